"""The SQLite database of one imported release: building it (import) and reading it.

One file, ``hcpcs.sqlite3`` in the data directory. An import builds a new file beside it and
``os.replace()``-s it in, so readers see either the old release or the new one, never half.

Tables: ``meta`` (release, counts, schema version), ``records`` (one row per code or
modifier), ``terms`` (document frequency of each search term) and ``postings`` (which
records each term occurs in, with what :mod:`.search` needs to score them).
"""

from __future__ import annotations

import datetime
import errno
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from assistant.codes.hcpcs.errors import DataUnavailable, ImportFailed
from assistant.codes.hcpcs.paths import ENV_VAR, db_path
from assistant.codes.hcpcs.records import CodeRecord, ImportSummary

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing

if TYPE_CHECKING:  # the modules below load on first use, to keep `import` cheap
    import sqlite3
    from typing import BinaryIO

    from assistant.codes.hcpcs.parse import ParsedRecord
    from assistant.codes.hcpcs.search import Row, Vocabulary

SCHEMA_VERSION = "2"  # 2: search terms are Snowball stems (the shared text pipeline)
CODE, MODIFIER = 0, 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
_REIMPORT = "re-import the CMS file with: hcpcs-assistant import-hcpcs FILE"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (
    rid INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,          -- 0 code, 1 modifier
    code TEXT NOT NULL,
    short TEXT NOT NULL,
    long TEXT NOT NULL,
    add_date TEXT,                  -- ISO date or NULL
    term_date TEXT,                 -- ISO date or NULL
    action TEXT NOT NULL,
    record INTEGER NOT NULL,        -- line number in the CMS file
    UNIQUE (kind, code)
);
CREATE TABLE terms (
    kind INTEGER NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL,
    PRIMARY KEY (kind, term)
) WITHOUT ROWID;
CREATE TABLE postings (
    kind INTEGER NOT NULL, term TEXT NOT NULL, rid INTEGER NOT NULL,
    flags INTEGER NOT NULL,         -- IN_LONG | IN_SHORT | text.index_terms() flags << 2
    nterms INTEGER NOT NULL,        -- number of distinct terms of the record
    nfirst INTEGER NOT NULL,        -- ... of the first segment of its long description
    term_date TEXT,
    PRIMARY KEY (kind, term, rid)
) WITHOUT ROWID;
"""

_RECORD_COLUMNS = "code, short, long, add_date, term_date, kind"


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _record(row: Row) -> CodeRecord:
    code, short, long, add, term, kind = row
    try:
        return CodeRecord(
            code=code,
            short_description=short,
            long_description=long,
            add_date=_date(add),
            term_date=_date(term),
            is_modifier=kind == MODIFIER,
        )
    except (TypeError, ValueError):  # a date that is not a date: the file was changed by hand
        raise DataUnavailable(
            f"the HCPCS database holds a damaged record ({code!r}); {_REIMPORT}"
        ) from None


# --------------------------------------------------------------------------- import

_TMP_PREFIX, _TMP_SUFFIX = ".hcpcs-import-", ".tmp"
_BATCH = 2000  # records written at a time: the import's memory does not grow with the file
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_IOERR = 13, 8, 14, 10


def import_file(path: str | Path, directory: Path | None = None) -> ImportSummary:
    """Import the CMS Alpha-Numeric HCPCS zip (or its fixed-width TXT) into ``directory``.

    ``directory`` defaults to :func:`~.paths.data_dir`. The file is read as a stream and the
    new database built beside the old one, then moved into place only when complete: on
    :class:`ImportFailed` the data imported before is untouched. Any release replaces the one
    imported before, and whatever is at the database's path (a damaged file, a named pipe).
    Temporary files left by an import that was killed are removed first.
    """
    import sqlite3

    from assistant.codes.hcpcs.parse import iter_records, open_source, release_name, stream_lines

    target = db_path(directory)
    with open_source(path) as (name, stream):  # a file that cannot be read fails before all
        _prepare_directory(target)
        remove_stale_imports(target.parent)
        replaced, replaced_effective = _previous_release(target)
        tmp, lock = _new_temporary(target.parent)
        summary: ImportSummary | None = None

        def finish(stats: _Stats) -> dict[str, str]:
            nonlocal summary
            release, effective = release_name(name, str(path), stats.latest_action)
            on = effective or datetime.date.today()
            summary = ImportSummary(
                release=release,
                codes=stats.total(CODE),
                active_codes=stats.active(CODE, on),
                modifiers=stats.total(MODIFIER),
                active_modifiers=stats.active(MODIFIER, on),
                effective=effective,
                replaced=replaced,
                replaces_newer=bool(
                    effective and replaced_effective and replaced_effective > effective
                ),
                path=str(target),
            )
            return {
                "schema": SCHEMA_VERSION,
                "release": summary.release,
                "effective": _iso(summary.effective) or "",
                "codes": str(summary.codes),
                "active_codes": str(summary.active_codes),
                "modifiers": str(summary.modifiers),
                "active_modifiers": str(summary.active_modifiers),
                "imported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "source": str(path),
            }

        try:
            _build(tmp, iter_records(stream_lines(stream), name), finish)
            os.replace(tmp, target)
        except ImportFailed:
            tmp.unlink(missing_ok=True)
            raise
        except (sqlite3.Error, OSError) as exc:  # the database could not be written
            tmp.unlink(missing_ok=True)
            raise _cannot_write(exc, target) from None
        except BaseException:  # KeyboardInterrupt: leave no half-built file behind
            tmp.unlink(missing_ok=True)
            raise
        finally:
            lock.close()
    assert summary is not None
    return summary


def _prepare_directory(target: Path) -> None:
    """Make the data directory; a file (or pipe) in its place, or the database path taken by a
    directory, is named as such."""
    from assistant.core import files

    directory = target.parent
    if directory.exists() and not directory.is_dir():
        raise ImportFailed(
            f"cannot use the data directory {directory}: it is {_what(directory)}, not a "
            f"directory (remove it, or point {ENV_VAR} at a directory)",
            in_data_dir=True,
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImportFailed(
            f"cannot create the data directory {directory}: {files.reason(exc)}",
            in_data_dir=True,
        ) from None
    if target.is_dir():
        raise ImportFailed(
            f"cannot replace {target}: it is a directory (remove it, then import again)",
            in_data_dir=True,
        )


def _what(path: Path) -> str:
    from assistant.core import files

    try:
        return "a file" if path.is_file() else files.kind(path.stat().st_mode)
    except OSError:
        return "not a directory"


def _new_temporary(directory: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file in ``directory`` (its path) and an open handle on it that holds a
    lock while the import runs, so another import does not take it for a stale one."""
    import tempfile

    from assistant.core import files

    try:
        fd, name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=directory)
    except OSError as exc:
        raise ImportFailed(
            f"cannot write in the data directory {directory}: {files.reason(exc)}",
            in_data_dir=True,
        ) from None
    handle = os.fdopen(fd, "rb")
    try:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):  # no advisory locks here: the file is still ours
        pass
    return Path(name), handle


def remove_stale_imports(directory: Path) -> list[Path]:
    """Remove the temporary files of imports that were killed (``.hcpcs-import-*.tmp`` that no
    running import holds locked); the paths removed."""
    removed: list[Path] = []
    try:
        candidates = list(directory.glob(f"{_TMP_PREFIX}*{_TMP_SUFFIX}"))
    except OSError:
        return removed
    for path in candidates:
        try:
            if _in_use(path):
                continue
            path.unlink()
            removed.append(path)
        except OSError:  # gone already, or not ours to remove: the import goes on
            continue
    return removed


def _in_use(path: Path) -> bool:
    """True when a running import holds ``path`` locked."""
    import stat

    if not stat.S_ISREG(path.lstat().st_mode):
        return False  # not a file an import writes: remove it
    try:
        import fcntl
    except ImportError:  # Windows: a file still open cannot be removed anyway
        return False
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def _cannot_write(exc: sqlite3.Error | OSError, target: Path) -> ImportFailed:
    """An error while writing the new database, with its real cause."""
    import sqlite3

    from assistant.core import files

    if isinstance(exc, sqlite3.Error):
        code = exc.sqlite_errorcode & 0xFF
        if code == _SQLITE_FULL:
            reason = files.reason(OSError(errno.ENOSPC, "disk full"))
        elif code in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            reason = f"the data directory cannot be written ({exc})"
        elif code == _SQLITE_IOERR:
            reason = f"a disk error ({exc})"
        else:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    else:
        reason = files.reason(exc)
    return ImportFailed(
        f"cannot write the HCPCS database in {target.parent}: {reason}; the data imported "
        "before is unchanged",
        in_data_dir=True,
    )


def _previous_release(target: Path) -> tuple[str | None, datetime.date | None]:
    """The release (and its effective date) that an import into ``target`` replaces."""
    from assistant.core import files

    if not target.exists() and not target.is_symlink():
        return None, None
    if not files.is_regular(target):  # a named pipe would block the reader: never open it
        return "(a broken earlier file, not a database)", None
    try:
        data = HcpcsData(target)
        try:
            return data.release, data.effective_date
        finally:
            data.close()
    except (DataUnavailable, ValueError):
        return "(an unreadable earlier database)", None


class _Stats:
    """What the import counts as the records stream by."""

    def __init__(self) -> None:
        self.term_dates: dict[int, dict[datetime.date | None, int]] = {CODE: {}, MODIFIER: {}}
        self.latest_action: datetime.date | None = None

    def add(self, kind: int, record: ParsedRecord) -> None:
        dates = self.term_dates[kind]
        dates[record.term_date] = dates.get(record.term_date, 0) + 1
        when = record.action_date
        if when is not None and (self.latest_action is None or when > self.latest_action):
            self.latest_action = when

    def total(self, kind: int) -> int:
        return sum(self.term_dates[kind].values())

    def active(self, kind: int, on: datetime.date) -> int:
        return sum(n for d, n in self.term_dates[kind].items() if d is None or on <= d)


def _build(
    tmp: Path, records: Iterable[ParsedRecord], finish: Callable[[_Stats], dict[str, str]]
) -> None:
    """Write ``records`` into the new database at ``tmp`` a batch at a time, then the meta
    table that ``finish(stats)`` returns."""
    import sqlite3

    from assistant.codes.hcpcs.search import IN_LONG, IN_SHORT
    from assistant.codes.hcpcs.text import FIRST_SEGMENT, index_terms

    stats = _Stats()
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(_SCHEMA)
        rows: list[Row] = []
        postings: list[Row] = []
        df: dict[tuple[int, str], int] = {}

        def flush() -> None:
            conn.executemany("INSERT INTO records VALUES (?,?,?,?,?,?,?,?,?)", rows)
            conn.executemany("INSERT INTO postings VALUES (?,?,?,?,?,?,?)", postings)
            rows.clear()
            postings.clear()

        for rid, r in enumerate(records, 1):
            kind = MODIFIER if r.is_modifier else CODE
            stats.add(kind, r)
            long = r.long_description
            term_date = _iso(r.term_date)
            rows.append(
                (rid, kind, r.code, r.short_description, long, _iso(r.add_date), term_date)
                + (r.action, r.record)
            )
            long_terms = index_terms(long)
            short_terms = index_terms(r.short_description)
            terms = list(long_terms) + [t for t in short_terms if t not in long_terms]
            nfirst = sum(1 for f in long_terms.values() if f & FIRST_SEGMENT)
            for term in terms:
                in_long, in_short = long_terms.get(term), short_terms.get(term)
                flags = (IN_LONG if in_long is not None else 0) | (
                    IN_SHORT if in_short is not None else 0
                )
                flags |= ((in_long or 0) | ((in_short or 0) & ~FIRST_SEGMENT)) << 2
                postings.append((kind, term, rid, flags, len(terms), nfirst, term_date))
                df[kind, term] = df.get((kind, term), 0) + 1
            if len(rows) >= _BATCH:
                flush()
        flush()
        conn.executemany(
            "INSERT INTO terms VALUES (?,?,?)", [(k, t, n) for (k, t), n in df.items()]
        )
        conn.executemany("INSERT INTO meta VALUES (?, ?)", finish(stats).items())
        conn.commit()
    finally:
        conn.close()
    with open(tmp, "rb+") as f:  # the pragmas above skipped syncing; sync once, at the end
        os.fsync(f.fileno())


# --------------------------------------------------------------------------- reading


def open_data(directory: Path | None = None) -> HcpcsData | None:
    """The imported data in ``directory`` (default: the data directory), or None if none.

    Cheap: it only checks that the file is there and looks like an intact SQLite database
    (header and size). The database is opened on first use; a problem found then raises
    :class:`DataUnavailable` from that call.
    """
    from assistant.core import files

    path = db_path(directory)
    try:
        if path.parent.exists() and not path.parent.is_dir():
            raise DataUnavailable(
                f"the data directory {path.parent} is a file, not a directory; remove it (or "
                f"point {ENV_VAR} at a directory) and {_REIMPORT}"
            )
        if not path.exists():
            return None
        if path.is_dir():
            raise DataUnavailable(
                f"the HCPCS database {path} is a directory; remove it and {_REIMPORT}"
            )
        with files.open_regular(path) as f:  # a named pipe is refused, never waited on
            header = f.read(100)
            size = os.fstat(f.fileno()).st_size
    except files.NotRegularFile as exc:
        raise DataUnavailable(
            f"the HCPCS database {path} is {exc.what}, not a database file; {_REIMPORT} "
            "(it replaces it)"
        ) from None
    except OSError as exc:
        raise DataUnavailable(
            f"cannot read the HCPCS database {path} ({files.reason(exc)}); {_REIMPORT}"
        ) from None
    _check_header(path, header, size)
    return HcpcsData(path)


def _check_header(path: Path, header: bytes, size: int) -> None:
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise DataUnavailable(f"the HCPCS database {path} is damaged (not a database); {_REIMPORT}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    if pages and valid_for == change_counter and size < pages * page_size:
        raise DataUnavailable(f"the HCPCS database {path} is damaged (truncated); {_REIMPORT}")


class HcpcsData:
    """Read access to one imported release. Thread-safe; opened lazily on first use.

    Every method may raise :class:`DataUnavailable` if the database turns out to be damaged.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._meta: dict[str, str] | None = None
        self._lock = threading.RLock()
        self._vocab: dict[int, Vocabulary] = {}

    # -- connection ---------------------------------------------------------------

    def _unavailable(self, exc: Exception) -> DataUnavailable:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return DataUnavailable(
            f"the HCPCS database {self.path} is unusable ({reason}); {_REIMPORT}"
        )

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        import sqlite3

        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            try:
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.Error:
                conn.close()
                raise
        except sqlite3.Error as exc:
            raise self._unavailable(exc) from None
        if meta.get("schema") != SCHEMA_VERSION or "release" not in meta:
            conn.close()
            raise DataUnavailable(
                f"the HCPCS database {self.path} was made by another version of this program; "
                f"{_REIMPORT}"
            )
        self._meta, self._conn = meta, conn
        return conn

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        import sqlite3

        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._unavailable(exc) from None

    def _meta_value(self, key: str) -> str:
        with self._lock:
            self._connection()
            assert self._meta is not None
            return self._meta.get(key, "")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> HcpcsData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self) -> None:
        """Open the database now (raises :class:`DataUnavailable` when it is unusable)."""
        self._query("SELECT count(*) FROM records WHERE rid = 1")

    # -- facts about the release -----------------------------------------------------

    @property
    def release(self) -> str:
        """e.g. ``January 2026 (HCPC2026_JAN_ANWEB_01122026)``."""
        return self._meta_value("release")

    @property
    def effective_date(self) -> datetime.date | None:
        """The release's effective date (first day of its month), if known."""
        return _date(self._meta_value("effective") or None)

    @property
    def counts(self) -> dict[str, int]:
        """``codes``, ``active_codes``, ``modifiers``, ``active_modifiers`` (as of import)."""
        keys = ("codes", "active_codes", "modifiers", "active_modifiers")
        try:
            return {k: int(self._meta_value(k) or 0) for k in keys}
        except ValueError:
            raise DataUnavailable(
                f"the HCPCS database {self.path} has damaged counts; {_REIMPORT}"
            ) from None

    # -- lookups ----------------------------------------------------------------------

    def _lookup(self, kind: int, code: str) -> CodeRecord | None:
        rows = self._query(
            f"SELECT {_RECORD_COLUMNS} FROM records WHERE kind = ? AND code = ?",
            (kind, code.strip().upper()),
        )
        return _record(rows[0]) if rows else None

    def code(self, code: str) -> CodeRecord | None:
        """The Level II code (terminated ones included; see :meth:`CodeRecord.active`)."""
        return self._lookup(CODE, code)

    def modifier(self, modifier: str) -> CodeRecord | None:
        """The Level II modifier, e.g. ``"LT"`` (a leading dash is ignored)."""
        return self._lookup(MODIFIER, modifier.strip().lstrip("-"))

    def nearest(
        self, code: str, limit: int = 5, *, on: datetime.date | None = None
    ) -> list[CodeRecord]:
        """Active codes (on ``on``, default today) one typing slip from ``code``, best first."""
        from assistant.codes.hcpcs import nearest as slips

        found = slips.candidates(code)
        if not found or limit <= 0:
            return []
        day = (on or datetime.date.today()).isoformat()
        marks = ",".join("?" * len(found))
        rows = self._query(
            f"SELECT {_RECORD_COLUMNS} FROM records WHERE kind = {CODE} AND code IN ({marks})"
            " AND (term_date IS NULL OR term_date >= ?)",
            (*found, day),
        )
        rows.sort(key=lambda row: slips.rank_key(code, row[0], found[row[0]]))
        return [_record(row) for row in rows[:limit]]

    def _vocabulary(self, kind: int) -> Vocabulary:
        from assistant.codes.hcpcs.search import Vocabulary

        with self._lock:
            if kind not in self._vocab:
                total = self.counts["modifiers" if kind == MODIFIER else "codes"]
                self._vocab[kind] = Vocabulary(self._query, kind, total)
            return self._vocab[kind]

    def search(
        self,
        words: str,
        limit: int = 8,
        *,
        on: datetime.date | None = None,
        modifiers: bool = False,
        abbreviations: dict[str, str] | None = None,
    ) -> list[tuple[CodeRecord, float]]:
        """Active codes (or, with ``modifiers=True``, modifiers) matching ``words``.

        Best first, with a 0-100 score; an empty list when nothing matches well.
        Abbreviations (``cpap``, ``o2``...) are also searched as the official words they stand
        for: ``abbreviations`` maps them (default: the built-in list, :mod:`.lexicon`).
        """
        from assistant.codes.hcpcs.search import rank

        if abbreviations is None:
            from assistant.codes.hcpcs.lexicon import default_expansions

            abbreviations = default_expansions()
        kind = MODIFIER if modifiers else CODE
        day = (on or datetime.date.today()).isoformat()
        ranked = rank(self._query, self._vocabulary(kind), kind, words, day, limit, abbreviations)
        if not ranked:
            return []
        rids = [rid for rid, _ in ranked]
        marks = ",".join("?" * len(rids))
        rows = self._query(
            f"SELECT rid, {_RECORD_COLUMNS} FROM records WHERE rid IN ({marks})", rids
        )
        by_rid = {row[0]: _record(row[1:]) for row in rows}
        return [(by_rid[rid], score) for rid, score in ranked if rid in by_rid]
