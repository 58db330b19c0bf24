"""Reading the CMS Alpha-Numeric HCPCS file: the zip as published or the fixed-width TXT.

:func:`open_source` finds the fixed-width text (in a zip or as a plain file) and hands it out
as a stream, :func:`iter_records` turns its lines into :class:`ParsedRecord` objects one at a
time and checks every record against the layout (:mod:`.layout`); anything that does not fit
raises :class:`ImportFailed` naming the record. The import reads the file this way, so its
memory does not grow with the file. :func:`read_source` and :func:`parse` do the same on a
file read whole.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import zipfile

from assistant.codes.hcpcs import layout as L
from assistant.codes.hcpcs.errors import ImportFailed
from assistant.core import files

MAX_TXT_BYTES = 200 * 1024 * 1024  # the 2026 file is 5 MB; refuse anything absurdly large
_CODE_RE = re.compile(rb"[A-Z][A-Z0-9]{4}")
_MODIFIER_RE = re.compile(rb"[A-Z0-9]{2}")
_CONTROL_RE = re.compile(rb"[\x00-\x1f\x7f]")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        start=1,
    )
}
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_TXT_NAME_RE = re.compile(r"HCPC_?(\d{4})_?([A-Z]{3})", re.IGNORECASE)
_LONG_NAME_RE = re.compile(r"(" + "|".join(_MONTH_NAMES) + r")[-_ ]?(\d{4})", re.IGNORECASE)
_HINT = "is this the CMS Alpha-Numeric HCPCS fixed-width file?"


@dataclass
class ParsedRecord:
    """One code or modifier with all its description lines joined."""

    code: str
    is_modifier: bool
    short_description: str
    long_lines: list[str]
    add_date: datetime.date | None
    term_date: datetime.date | None
    action_date: datetime.date | None
    action: str
    record: int  # line number of its first record
    last_sequence: int = field(default=0, repr=False)

    @property
    def long_description(self) -> str:
        return " ".join(part for part in self.long_lines if part).strip()


@dataclass
class Source:
    """The fixed-width text and where it came from."""

    data: bytes
    name: str  # the TXT's file name (inside the zip, or on disk)
    container: str  # the file the user gave


def read_source(path: str | Path) -> Source:
    """The fixed-width HCPCS text from ``path`` (the CMS zip or the TXT inside it), read whole."""
    with open_source(path) as (name, stream):
        return Source(stream.read(), name, str(path))


class _Input:
    """A stream of the input file whose read errors are :class:`ImportFailed` about that file
    (so an ``OSError`` during an import is always about the database being written)."""

    def __init__(self, stream: IO[bytes], path: Path) -> None:
        self.stream = stream
        self.path = path

    def read(self, size: int = -1) -> bytes:
        import zipfile
        import zlib

        try:
            data: bytes = self.stream.read(size)
            return data
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ImportFailed(f"{self.path} is a damaged zip archive ({exc})") from None
        except OSError as exc:
            raise ImportFailed(f"cannot read {self.path}: {files.reason(exc)}") from None


@contextlib.contextmanager
def open_source(path: str | Path) -> Iterator[tuple[str, _Input]]:
    """``(name, stream)``: the fixed-width text of the CMS zip or TXT at ``path``, as a stream.

    ``name`` is the TXT's file name (inside the zip, or on disk). Anything but a regular file
    (a directory, a named pipe, a device such as /dev/zero) is refused at once, without
    reading it. Reading the stream raises :class:`ImportFailed` for a problem of the input;
    what the caller's own code raises passes through unchanged.
    """
    path = Path(path)
    with contextlib.ExitStack() as stack:
        name, stream = _open_text(path, stack)
        yield name, _Input(stream, path)


def _open_text(path: Path, stack: contextlib.ExitStack[bool | None]) -> tuple[str, IO[bytes]]:
    import zipfile

    try:
        try:
            raw = stack.enter_context(files.open_regular(path))
        except files.NotRegularFile as exc:
            if exc.what == "a directory":
                raise ImportFailed(
                    f"{path} is a directory, not the CMS HCPCS zip or TXT file"
                ) from None
            raise ImportFailed(
                f"{path} is {exc.what}, not a regular file (give the CMS HCPCS zip or TXT)"
            ) from None
        if zipfile.is_zipfile(raw):
            raw.seek(0)
            archive = stack.enter_context(zipfile.ZipFile(raw))
            member = _pick_member(archive, path)
            if member.file_size > MAX_TXT_BYTES:
                raise ImportFailed(f"{member.filename} in {path} is too large for an HCPCS file")
            return Path(member.filename).name, stack.enter_context(archive.open(member))
        size = os.fstat(raw.fileno()).st_size
        if size > MAX_TXT_BYTES:
            raise ImportFailed(f"{path} is {size:,} bytes, too large for an HCPCS file")
        raw.seek(0)
        if raw.read(4) == b"PK\x03\x04":
            raise ImportFailed(f"{path} is a damaged or truncated zip archive")
        raw.seek(0)
        return path.name, raw
    except ImportFailed:
        raise
    except zipfile.BadZipFile as exc:
        raise ImportFailed(f"{path} is a damaged zip archive ({exc})") from None
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {files.reason(exc)}") from None
    except (RuntimeError, NotImplementedError, ValueError) as exc:  # encrypted, odd compression
        raise ImportFailed(f"cannot read the zip archive {path}: {exc}") from None


def _pick_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    """The HCPCS fixed-width TXT among the zip's files (CMS also ships xlsx, notes, layout)."""
    texts = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and info.filename.lower().endswith(".txt")
        and not any(w in Path(info.filename).name.lower() for w in ("layout", "notes"))
    ]
    named = [i for i in texts if _TXT_NAME_RE.match(Path(i.filename).name)]
    candidates = named or texts
    if not candidates:
        raise ImportFailed(
            f"{path} holds no HCPCS fixed-width TXT (expected a file like "
            "HCPC2026_JAN_ANWEB_01122026.txt inside the zip)"
        )
    return max(candidates, key=lambda i: i.file_size)


def _split_records(data: bytes) -> list[bytes]:
    if b"\n" not in data and data and len(data) % L.RECORD_LENGTH == 0:
        # records without line breaks, as some mainframe extracts are
        return [data[i : i + L.RECORD_LENGTH] for i in range(0, len(data), L.RECORD_LENGTH)]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


CHUNK = 1 << 16
MAX_LINE = 1 << 16  # a longer "line" is reported as it is (too long) without reading it all


def stream_lines(stream: IO[bytes] | _Input, chunk: int = CHUNK) -> Iterator[bytes]:
    """The records of a fixed-width file read from a binary stream, a chunk at a time: lines
    without their line ends, or 320-byte records when the file has no line breaks."""
    buf = b""
    while len(buf) <= 2 * L.RECORD_LENGTH + 2:  # enough to see whether the file has lines
        more = stream.read(chunk)
        if not more:  # the whole file is in buf
            if b"\n" not in buf:
                yield from _split_records(buf)
                return
            break
        buf += more
    if b"\n" not in buf:
        start = 0  # records without line breaks: cut every RECORD_LENGTH bytes
        while True:
            while len(buf) - start >= L.RECORD_LENGTH:
                yield buf[start : start + L.RECORD_LENGTH]
                start += L.RECORD_LENGTH
            more = stream.read(chunk)
            if not more:
                if start < len(buf):
                    yield buf[start:]
                return
            buf = buf[start:] + more
            start = 0
    while True:
        start = 0
        while (end := buf.find(b"\n", start)) >= 0:
            line = buf[start:end]
            yield line[:-1] if line.endswith(b"\r") else line
            start = end + 1
        rest = buf[start:]
        if len(rest) > MAX_LINE:
            yield rest  # far too long to be a record: reported as such
            rest = b""
        more = stream.read(chunk)
        if not more:
            if rest:
                yield rest[:-1] if rest.endswith(b"\r") else rest
            return
        buf = rest + more


# Control characters that survive decoding (C1, e.g. U+009B, the one-character CSI): dropped so
# that an odd or tampered file cannot send escape sequences to a terminal that shows its text.
_TEXT_CONTROLS = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0)])


def _text(raw: bytes) -> str:
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        text = text.translate(_TEXT_CONTROLS)
    return text.rstrip()


def _date(raw: bytes, what: str, number: int, source: str) -> datetime.date | None:
    value = raw.strip()
    if not value:
        return None
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        shown = value.decode("ascii", errors="replace")
        raise ImportFailed(
            f"invalid {what} {shown!r} (expected YYYYMMDD)", record=number, source=source
        ) from None


def parse(data: bytes, source: str = "HCPCS file") -> list[ParsedRecord]:
    """Every code and modifier in the fixed-width ``data``, in file order.

    Raises :class:`ImportFailed` naming the record (line) number of the first problem.
    """
    return list(iter_records(_split_records(data), source))


def iter_records(lines: Iterable[bytes], source: str = "HCPCS file") -> Iterator[ParsedRecord]:
    """Every code and modifier of the file's ``lines``, in file order, each given out once its
    last line has been read (so only the record being read is held, and the codes seen).

    Raises :class:`ImportFailed` naming the record (line) number of the first problem, or at
    the end when the file holds no code at all.
    """
    lines = iter(lines)
    seen: dict[tuple[bool, str], int] = {}
    current: ParsedRecord | None = None
    found = codes = 0
    nonblank = False

    def fail(problem: str, number: int) -> ImportFailed:
        if not found:  # nothing valid read yet: most likely the wrong file
            problem = f"{problem}; {_HINT}"
        return ImportFailed(problem, record=number, source=source)

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        nonblank = True
        length = len(line)
        if length < L.RECORD_LENGTH or line[L.RECORD_LENGTH :].strip():
            problem = f"is {length} characters long, expected {L.RECORD_LENGTH}"
            if length < L.RECORD_LENGTH and not any(rest.strip() for rest in lines):
                problem += " (the file looks truncated)"  # the last record, cut short
            raise fail(problem, number)
        if _CONTROL_RE.search(line):
            raise fail("contains control characters (a binary or damaged file?)", number)
        record_id = line[L.RECORD_ID]
        if record_id not in L.RECORD_IDS:
            shown = record_id.decode("ascii", errors="replace")
            raise fail(
                f"unknown record type {shown!r} in column 11 (expected 3, 4, 7 or 8)", number
            )
        sequence = line[L.SEQUENCE]
        if not sequence.isdigit():
            shown = sequence.decode("ascii", errors="replace")
            raise fail(f"invalid sequence number {shown!r} in columns 6-10", number)
        is_modifier = record_id in (L.MODIFIER_FIRST, L.MODIFIER_MORE)
        if is_modifier:
            key = line[L.MODIFIER]
            if line[L.MODIFIER_FILLER].strip() or not _MODIFIER_RE.fullmatch(key):
                shown = line[: L.MODIFIER.stop].decode("ascii", errors="replace")
                raise fail(f"invalid HCPCS modifier {shown!r} in columns 1-5", number)
        else:
            key = line[L.CODE]
            if not _CODE_RE.fullmatch(key):
                shown = key.decode("ascii", errors="replace")
                raise fail(f"invalid HCPCS code {shown!r} in columns 1-5", number)
        code = key.decode("ascii")
        seq = int(sequence)

        if record_id in (L.CODE_MORE, L.MODIFIER_MORE):
            if current is None or current.code != code or current.is_modifier != is_modifier:
                kind = "modifier" if is_modifier else "code"
                raise fail(
                    f"continuation line for {kind} {code} does not follow that {kind}'s first line",
                    number,
                )
            if seq <= current.last_sequence:
                raise fail(
                    f"sequence number {seq:05d} of {code} is out of order "
                    f"(after {current.last_sequence:05d})",
                    number,
                )
            current.long_lines.append(_text(line[L.LONG_DESCRIPTION]))
            current.last_sequence = seq
            continue

        if (is_modifier, code) in seen:
            kind = "modifier" if is_modifier else "code"
            raise fail(
                f"{kind} {code} appears twice (first at record {seen[is_modifier, code]})", number
            )
        add_date = _date(line[L.ADD_DATE], "add date (columns 269-276)", number, source)
        term_date = _date(
            line[L.TERMINATION_DATE], "termination date (columns 285-292)", number, source
        )
        try:
            action_date = _date(line[L.ACTION_EFFECTIVE_DATE], "", number, source)
        except ImportFailed:
            action_date = None  # not stored; only used to date a file with an unusual name
        if current is not None:
            yield current
        current = ParsedRecord(
            code=code,
            is_modifier=is_modifier,
            short_description=_text(line[L.SHORT_DESCRIPTION]),
            long_lines=[_text(line[L.LONG_DESCRIPTION])],
            add_date=add_date,
            term_date=term_date,
            action_date=action_date,
            action=_text(line[L.ACTION_CODE]),
            record=number,
            last_sequence=seq,
        )
        seen[is_modifier, code] = number
        found += 1
        codes += not is_modifier

    if current is not None:
        yield current
    if not codes:
        if not nonblank:
            raise ImportFailed(f"{source} is empty")
        raise ImportFailed(f"no HCPCS code records (record type 3) found; {_HINT}", source=source)


def release_of(source: Source, records: list[ParsedRecord]) -> tuple[str, datetime.date | None]:
    """A human-readable release name and the release's effective date.

    CMS names the TXT ``HCPC<year>_<MON>_...`` (e.g. ``HCPC2026_JAN_ANWEB_01122026``): the
    release is effective on the first of that month. A renamed file is dated by the zip's
    name (``january-2026-...``) or, failing that, by the latest action date in the file.
    """
    dates = [r.action_date for r in records if r.action_date]
    return release_name(source.name, source.container, max(dates, default=None))


def release_name(
    name: str, container: str, latest_action: datetime.date | None
) -> tuple[str, datetime.date | None]:
    """:func:`release_of` from the TXT's name, the file the user gave and the latest action
    date in the file (None when it has none)."""
    stem = Path(name).stem.translate(_TEXT_CONTROLS)  # the name may come from a zip
    match = _TXT_NAME_RE.search(stem)
    if match and match.group(2).upper() in _MONTHS:
        year, month = int(match.group(1)), _MONTHS[match.group(2).upper()]
    else:
        match = _LONG_NAME_RE.search(Path(container).stem)
        if match:
            year, month = int(match.group(2)), _MONTH_NAMES.index(match.group(1).lower()) + 1
        else:
            if latest_action is None:
                return stem, None
            year, month = latest_action.year, latest_action.month
    effective = datetime.date(year, month, 1)
    return f"{_MONTH_NAMES[month - 1].capitalize()} {year} ({stem})", effective
