"""Dates worked out from a question's own date: when a surgical global period ends, and the
last day to file a Medicare claim. Coders ask these as exercises ("The deadline to file a
Medicare claim for services rendered on September 23, 2016 is ...", "a 90-day global for a
procedure on 2/19/21 ends when?"); the rule alone leaves the counting to them, and counting
from the day after or the day of is where they go wrong.

:func:`worked` returns the Markdown line that states the date, or None when the question asks
neither or does not give one date to count from. The date is written the way it was typed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))

# "9/6", "2/19/21", "09-23-2016"; "September 23, 2016", "Sept. 23 2016"
_NUMERIC = re.compile(r"(?<![\w/.-])(\d{1,2})([/-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/-])")
_WORDED = re.compile(
    rf"\b({_MONTH_NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I
)

# The question asks about a global period of a stated length ...
_GLOBAL = re.compile(r"\bglobal\b", re.I)
_GLOBAL_DAYS = re.compile(r"\b(0|10|90|zero|ten|ninety)[- ]?days?\b", re.I)
_DAYS = {"0": 0, "zero": 0, "10": 10, "ten": 10, "90": 90, "ninety": 90}
# ... or about the time limit for filing a Medicare claim.
_FILING = re.compile(
    r"\btimely[- ]filing\b|\b(?:deadline|last day|time limit|limit)\s+(?:to|for)\s+"
    r"(?:file|filing|submit|submitting|send)\b|\bfil(?:e|ed|ing)\b[^.?!]{0,40}\bno later than\b"
    r"|\bfiling (?:deadline|limit)\b|\bmust (?:be )?(?:filed|submitted) by\b",
    re.I,
)
_MEDICARE = re.compile(r"\bmedicare\b", re.I)
# (a Medicaid program or a Medicare Advantage plan sets its own filing limit)
_OTHER_PAYER = re.compile(r"\bmedicaid\b|\badvantage\b", re.I)

_GLOBAL_RULE = {
    0: "a 0-day global period covers the day of the procedure only",
    10: (
        "a 10-day global period covers the day of the procedure and the 10 days immediately "
        "following it"
    ),
    90: (
        "a 90-day global period covers the day before the procedure, the day of the procedure "
        "and the 90 days immediately following it"
    ),
}
_GLOBAL_SOURCE = "CMS, Medicare Claims Processing Manual, chapter 12, section 40.1"
_FILING_SOURCE = "42 CFR 424.44; Medicare Claims Processing Manual, chapter 1, section 70"


@dataclass(frozen=True)
class _Typed:
    """A date as the question wrote it, and how to write another date the same way."""

    day: dt.date
    form: str  # "numeric" or "worded"
    separator: str = "/"
    year_digits: int = 4  # 0 when no year was typed, 2 for "21"
    month_style: str = ""  # the month's name as typed: "September", "Sept", "sep"

    def write(self, other: dt.date) -> str:
        if self.form == "numeric":
            text = f"{other.month}{self.separator}{other.day}"
            if self.year_digits:
                year = other.year % 100 if self.year_digits == 2 else other.year
                text += f"{self.separator}{year:0{self.year_digits}d}"
            return text
        name = calendar.month_name[other.month]
        if len(self.month_style) <= 4:
            name = calendar.month_abbr[other.month] + "."
        text = f"{name} {other.day}"
        return f"{text}, {other.year}" if self.year_digits else text


def _dates(text: str) -> list[_Typed]:
    found: list[tuple[int, _Typed]] = []
    for m in _NUMERIC.finditer(text):
        month, day, year = int(m.group(1)), int(m.group(3)), m.group(4)
        typed = _typed(year, month, day, "numeric", m.group(2), "")
        if typed is not None:
            found.append((m.start(), typed))
    for m in _WORDED.finditer(text):
        month = _MONTHS[m.group(1).lower()]
        typed = _typed(m.group(3), month, int(m.group(2)), "worded", "/", m.group(1))
        if typed is not None:
            found.append((m.start(), typed))
    return [typed for _at, typed in sorted(found, key=lambda f: f[0])]


def _typed(
    year: str | None, month: int, day: int, form: str, sep: str, style: str
) -> _Typed | None:
    digits = len(year) if year else 0
    number = (2000 + int(year) if digits == 2 else int(year)) if year else 2001  # (no leap day)
    try:
        return _Typed(dt.date(number, month, day), form, sep, digits, style)
    except ValueError:
        return None


def _plus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29: the year after has none
        return day.replace(year=day.year + 1, day=28)


def worked(question: str) -> str | None:
    """The date a question asks for, counted from the one date it gives: the last day of a
    global period of a stated length, or Medicare's last day to file a claim; None otherwise."""
    global_period = _GLOBAL.search(question) is not None
    if not (global_period or _FILING.search(question)):
        return None  # (nearly every question)
    dates = _dates(question)
    if not dates:
        return None
    if global_period:
        lengths = {_DAYS[m.group(1).lower()] for m in _GLOBAL_DAYS.finditer(question)}
        if len(lengths) != 1:
            return None
        (days,) = lengths
        start = dates[0]
        end = start.day + dt.timedelta(days=days)
        after = end + dt.timedelta(days=1)
        return (
            f"A {days}-day global period for a procedure on {start.write(start.day)} ends on "
            f"**{start.write(end)}**: {_GLOBAL_RULE[days]} ({_GLOBAL_SOURCE}); a related visit "
            f"from {start.write(after)} on is outside it. Count from the day after the procedure "
            "as day 1."
        )
    if len({d.day for d in dates}) != 1 or not _MEDICARE.search(question):
        return None
    if _OTHER_PAYER.search(question):
        return None
    service = dates[0]
    last = _plus_year(service.day)
    return (
        f"For a Medicare service on {service.write(service.day)}, the claim must be filed by "
        f"**{service.write(last)}**: no later than 12 months (one calendar year) after the date "
        f"of service ({_FILING_SOURCE})."
    )
