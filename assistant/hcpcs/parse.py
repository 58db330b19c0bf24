"""Reading the CMS Alpha-Numeric HCPCS file: the zip as published or the fixed-width TXT.

:func:`read_source` finds the fixed-width text (in a zip or as a plain file), :func:`parse`
turns it into :class:`ParsedRecord` objects and checks every record against the layout
(:mod:`.layout`); anything that does not fit raises :class:`ImportFailed` naming the record.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L
from .errors import ImportFailed

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
    """The fixed-width HCPCS text from ``path``: the CMS zip or the TXT inside it."""
    import zipfile

    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFailed(f"{path} is a directory, not the CMS HCPCS zip or TXT file")
        is_zip = zipfile.is_zipfile(path)
        if not is_zip:
            size = path.stat().st_size
            if size > MAX_TXT_BYTES:
                raise ImportFailed(f"{path} is {size:,} bytes, too large for an HCPCS file")
            data = path.read_bytes()
            if data.startswith(b"PK\x03\x04"):
                raise ImportFailed(f"{path} is a damaged or truncated zip archive")
            return Source(data, path.name, str(path))
        with zipfile.ZipFile(path) as archive:
            member = _pick_member(archive, path)
            if member.file_size > MAX_TXT_BYTES:
                raise ImportFailed(f"{member.filename} in {path} is too large for an HCPCS file")
            data = archive.read(member)
            return Source(data, Path(member.filename).name, str(path))
    except ImportFailed:
        raise
    except zipfile.BadZipFile as exc:
        raise ImportFailed(f"{path} is a damaged zip archive ({exc})") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ImportFailed(f"cannot read {path}: {reason}") from None
    except (RuntimeError, NotImplementedError, ValueError) as exc:  # encrypted, odd compression
        raise ImportFailed(f"cannot read the zip archive {path}: {exc}") from None


def _pick_member(archive, path: Path):
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
    lines = _split_records(data)
    records: list[ParsedRecord] = []
    seen: dict[tuple[bool, str], int] = {}
    current: ParsedRecord | None = None
    last_nonblank = max((i for i, line in enumerate(lines, 1) if line.strip()), default=0)

    def fail(problem: str, number: int) -> ImportFailed:
        if not records:  # nothing valid read yet: most likely the wrong file
            problem = f"{problem}; {_HINT}"
        return ImportFailed(problem, record=number, source=source)

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        length = len(line)
        if length < L.RECORD_LENGTH or line[L.RECORD_LENGTH :].strip():
            problem = f"is {length} characters long, expected {L.RECORD_LENGTH}"
            if length < L.RECORD_LENGTH and number == last_nonblank:
                problem += " (the file looks truncated)"
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
        records.append(current)

    if not any(not r.is_modifier for r in records):
        if not lines or not any(line.strip() for line in lines):
            raise ImportFailed(f"{source} is empty")
        raise ImportFailed(f"no HCPCS code records (record type 3) found; {_HINT}", source=source)
    return records


def release_of(source: Source, records: list[ParsedRecord]) -> tuple[str, datetime.date | None]:
    """A human-readable release name and the release's effective date.

    CMS names the TXT ``HCPC<year>_<MON>_...`` (e.g. ``HCPC2026_JAN_ANWEB_01122026``): the
    release is effective on the first of that month. A renamed file is dated by the zip's
    name (``january-2026-...``) or, failing that, by the latest action date in the file.
    """
    stem = Path(source.name).stem.translate(_TEXT_CONTROLS)  # the name may come from a zip
    match = _TXT_NAME_RE.search(stem)
    if match and match.group(2).upper() in _MONTHS:
        year, month = int(match.group(1)), _MONTHS[match.group(2).upper()]
    else:
        match = _LONG_NAME_RE.search(Path(source.container).stem)
        if match:
            year, month = int(match.group(2)), _MONTH_NAMES.index(match.group(1).lower()) + 1
        else:
            dates = [r.action_date for r in records if r.action_date]
            if not dates:
                return stem, None
            latest = max(dates)
            year, month = latest.year, latest.month
    effective = datetime.date(year, month, 1)
    return f"{_MONTH_NAMES[month - 1].capitalize()} {year} ({stem})", effective
