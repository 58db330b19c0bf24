"""How many hours of a drug administration service billed by the hour a question's time makes.

Hydration, drug infusions and chemotherapy infusions are billed with one code for the first hour
and an add-on for each additional hour (the facts' cpt-hourly table). CPT counts an additional
hour only when the time runs more than 30 minutes past the last full hour, and reports the first
hour only from a fewest number of minutes. A question that states how long one such service ran
("1 hour 32 minutes of hydration", "from 11 pm to 2 am", "a chemo infusion lasting 115 minutes")
and asks what to code gets the codes and units worked out here, with the rule that gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.codes.classify import CodeInfo
from assistant.core.facts import Facts, HourlyService

HOUR = 60
PAST_THE_HOUR = 30  # more than this many minutes past the last full hour makes another hour
MOST_TIMES = 3  # a question stating more times than this is a story, not a count

# Some sign of a time in a question (most questions have none, and are let go at once).
_TIMEISH = re.compile(
    r"\b(?:hours?|hrs?|minutes?|mins?)\b|\d\s*[ap]\.?\s?m\b|\d:\d\d|\bfrom\s+\d{3,4}\b", re.I
)
# What a question asks: the codes or units to report.
ASKS_CODES = re.compile(
    r"\b(?:cod(?:e|es|ed|ing)|bill\w*|report\w*|units?|how\s+many|charg\w*|submit\w*)\b", re.I
)
_NUMBER_WORDS = {
    "an": 1,
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
}
_COUNT = r"(\d{1,2}|an?|one|two|three|four|five|six|seven|eight)"
# "1 hour 32 minutes", "one hour and 32 minutes", "2 hours", "2.5 hours", "an hour", "115 minutes"
_LENGTH = re.compile(
    rf"\b(?:(\d{{1,2}}\.\d+|{_COUNT})\s*(?:-\s*)?(?:hours?|hrs?)\b"
    r"(?:\s*(?:and\s+)?(\d{1,2})\s*(?:minutes?|mins?)\b)?"
    r"|(\d{1,3})\s*(?:-\s*)?(?:minutes?|mins?)\b)",
    re.I,
)
# A clock time: "11 pm", "4:40 p.m.", "11:20am"; or a 24-hour one, "1050", "13:25".
_CLOCK = r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\.?"
_MILITARY = r"([01]\d|2[0-3]):?([0-5]\d)"
# Two clock times that say when something started and stopped: "from 11 pm to 2 am", "began at
# 11:20 am and lasted till 4:40 pm", "from 1050-1325".
_SPAN = re.compile(
    rf"\b{_CLOCK}\b(?:(?!\b\d{{1,2}}(?::\d{{2}})?\s*[ap]\.?\s?m\b)[^.?!]){{0,60}}?\b{_CLOCK}"
    rf"|\bfrom\s+{_MILITARY}\s*(?:-|to|until|till)\s*{_MILITARY}\b",
    re.I,
)


def _clock_minutes(hour: str, minute: str | None, half: str) -> int:
    h = int(hour) % 12 + (12 if half.lower() == "p" else 0)
    return h * HOUR + int(minute or 0)


def times_stated(question: str) -> list[int]:
    """The lengths of time a question states, in minutes, in order: each "N hours M minutes"
    or "N minutes", and each pair of clock times it names as a start and a stop."""
    found: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    for m in _SPAN.finditer(question):
        g = m.groups()
        if g[0] is not None:
            start, stop = _clock_minutes(g[0], g[1], g[2]), _clock_minutes(g[3], g[4], g[5])
        else:
            start = int(g[6]) * HOUR + int(g[7])
            stop = int(g[8]) * HOUR + int(g[9])
        found.append((m.start(), (stop - start) % (24 * HOUR)))
        spans.append((m.start(), m.end()))
    for m in _LENGTH.finditer(question):
        if any(a <= m.start() < b for a, b in spans):
            continue
        hours, count, minutes, alone = m.groups()
        if alone is not None:
            length = int(alone)
        elif "." in (hours or ""):
            length = round(float(hours) * HOUR)
        else:
            n = _NUMBER_WORDS.get((count or "").lower())
            length = (n if n is not None else int(count)) * HOUR + int(minutes or 0)
        found.append((m.start(), length))
    return [length for _at, length in sorted(found) if length > 0]


def _services_named(question: str, facts: Facts) -> list[HourlyService]:
    """The services of the table the question names, each once, a longer name first ("chemo
    infusion" is chemotherapy, not a drug infusion)."""
    text = " ".join(re.findall(r"[a-z0-9]+", question.lower()))
    names = sorted(
        ((name, row) for row in facts.cpt_hourly for name in row.names), key=lambda x: -len(x[0])
    )
    taken: list[tuple[int, int]] = []
    named: list[HourlyService] = []
    for name, row in names:
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            if row not in named:
                named.append(row)
    return named


def _length(minutes: int) -> str:
    hours, rest = divmod(minutes, HOUR)
    if not hours:
        return f"{minutes} minutes"
    said = f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{minutes} minutes ({said} {rest} minutes)" if rest else f"{minutes} minutes ({said})"


def additional_hours(minutes: int) -> int:
    """The units of the each-additional-hour add-on a time makes: one for every full hour past
    the first, and one more for a part that runs more than 30 minutes past the last full hour."""
    past = minutes - HOUR
    if past <= PAST_THE_HOUR:
        return 0
    full, rest = divmod(past, HOUR)
    return full + (1 if rest > PAST_THE_HOUR else 0)


def counted(row: HourlyService, minutes: int) -> str:
    """The codes and units ``minutes`` of the service make, said in one line."""
    first, more = f"`{row.initial}`", f"`{row.additional}`"
    if minutes < row.fewest:
        short = (
            "is not reported"
            if row.fewest > HOUR // 2
            else f"is reported as a push, not with {first}"
        )
        return (
            f"**{_length(minutes)}** of {row.service}: {first} needs at least {row.fewest} "
            f"minutes, so a shorter {row.service} {short}."
        )
    extra = additional_hours(minutes)
    codes = f"{first} once" + (f" and {more} × {extra}" if extra else f", no {more}")
    return f"**{_length(minutes)}** of {row.service}: {codes}."


RULE = (
    "The first-hour code is reported once the service lasts its fewest minutes; the "
    "each-additional-hour add-on is reported for every further full hour, and for a last part "
    "that runs more than 30 minutes past the full hour (CPT's time rules for hydration, infusion "
    "and chemotherapy administration). Only the time the infusion actually ran counts: stop the "
    "clock for interruptions, and time spent on another service is not counted twice."
)


def units(question: str, facts: Facts | None, infos: Sequence[CodeInfo] = ()) -> str | None:
    """The codes and units the times a question states make for the one hourly service it is
    about (named by its words, or by its codes when the question names them), with the rule;
    None when it states no time or more than a few, names no such service or several, or asks
    nothing about codes or units."""
    if (
        facts is None
        or not facts.cpt_hourly
        or not _TIMEISH.search(question)
        or not ASKS_CODES.search(question)
    ):
        return None
    coded = {c.code for c in infos}
    if coded:
        rows = [r for r in facts.cpt_hourly if {r.initial, r.additional} & coded]
        if len(rows) != 1 or coded - {rows[0].initial, rows[0].additional}:
            return None
    else:
        rows = _services_named(question, facts)
    times = times_stated(question)
    if len(rows) != 1 or not times or len(times) > MOST_TIMES:
        return None
    lines = [counted(rows[0], minutes) for minutes in dict.fromkeys(times)]
    return (
        "\n".join(f"- {line}" for line in lines) + f"\n\n{RULE}"
        if len(lines) > 1
        else (f"{lines[0]} {RULE}")
    )
