"""The wound repair codes a question's lengths make, added the way CPT adds them.

CPT adds the lengths of wounds repaired in one session when they are of the same kind (simple,
intermediate, complex) and in the same site group, and reports the sum with one code; each other
kind or group is coded apart. A question that states each wound's length, kind and site ("a
simple 2.5 cm repair of the eyebrow and a 3.2 cm one of the forehead", "4.7 cm complex closure
of the neck") and asks what to report gets the sums and codes worked out here from the facts'
cpt-repairs table, with the rule. The words for kinds and sites are knowledge (cpt-repairs and
cpt-repair-words), not Python lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.codes.classify import CodeInfo
from assistant.codes.hourly import ASKS_CODES
from assistant.core.facts import REPAIR_KINDS, Facts, RepairBand, RepairGroup

# a wound's length: "2.5 cm", "3.2-cm", "4 centimeters"
_LENGTH = re.compile(r"\b(\d{1,2}(?:\.\d{1,2})?)\s*-?\s*(?:cm|centimet(?:er|re)s?)\b", re.I)
# where a sentence ends: a wound's kind and site are looked for inside its own sentence
_SENTENCE_END = re.compile(r"[.?!;](?=\s|$)|\n")
MOST_WOUNDS = 8  # a question stating more lengths than this is a table, not a count

RULE = (
    "CPT adds the lengths of repairs of the **same kind in the same site group** and reports the "
    "sum with one code; each other kind or group is coded apart, the most complicated repair "
    "listed first and the others with modifier `59` (CPT's wound repair guidelines). A complex "
    "repair of 1.0 cm or less is reported as a simple or intermediate one."
)


@dataclass(frozen=True)
class _Wound:
    tenths: int
    kind: str
    group: RepairGroup


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _named(text: str, names: tuple[str, ...]) -> bool:
    return any(f" {name} " in text for name in names)


def _kinds(text: str, facts: Facts) -> list[str]:
    return [k for k in REPAIR_KINDS if _named(text, facts.repair_words.get(k, ()))]


def _groups(text: str, kind: str, facts: Facts) -> list[RepairGroup]:
    return [g for g in facts.cpt_repairs if g.kind == kind and _named(text, g.names)]


def _windows(question: str) -> list[tuple[int, str, str]]:
    """Each length stated, with the words after it (to the next length or the end of its
    sentence) and before it (from the last length or the start of its sentence)."""
    found = list(_LENGTH.finditer(question))
    out = []
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(question)
        after = question[m.end() : stop]
        end = _SENTENCE_END.search(after)
        after = after[: end.start()] if end else after
        start = found[i - 1].end() if i else 0
        before = question[start : m.start()]
        ends = list(_SENTENCE_END.finditer(before))
        before = before[ends[-1].end() :] if ends else before
        out.append((round(float(m.group(1)) * 10), _words(after), _words(before)))
    return out


def _wounds(question: str, whole: str, facts: Facts) -> list[_Wound] | None:
    """The wounds stated, each with its kind and site group; None when one of them cannot be
    placed (its kind or its site unsaid, or said two ways). ``whole`` is the question's words
    (:func:`_words`)."""
    only_kind = _kinds(whole, facts)
    wound_words = facts.repair_words.get("wound", ())
    sites = [g.names for g in facts.cpt_repairs]
    wounds = []
    for tenths, after, before in _windows(question):
        kinds = _kinds(after, facts) or _kinds(before, facts)
        if not kinds and not any(
            _named(side, names) for side in (after, before) for names in (wound_words, *sites)
        ):
            continue  # a length that is no wound's ("4.4 cm + 6.2 cm = 10.6 cm")
        if not kinds and len(only_kind) == 1:
            kinds = only_kind
        if len(kinds) != 1:
            return None
        groups = _groups(after, kinds[0], facts) or _groups(before, kinds[0], facts)
        if len(groups) != 1:
            return None
        wounds.append(_Wound(tenths, kinds[0], groups[0]))
    return wounds


def _cm(tenths: int) -> str:
    return f"{tenths / 10:.1f}"


def _codes(group: RepairGroup, tenths: int) -> str | None:
    """The code (and add-on units) a total length makes in a group; None below its first code."""
    bands: tuple[RepairBand, ...] = group.bands
    for band in bands:
        if band.each and tenths >= band.low:
            first = bands[bands.index(band) - 1]
            extra = -(-(tenths - (band.low - 1)) // band.each)
            return f"`{first.code}` + `{band.code}` × {extra}"
        if band.low <= tenths and (band.high is None or tenths <= band.high):
            return f"`{band.code}`"
    return None


def _line(group: RepairGroup, lengths: list[int]) -> str:
    total = sum(lengths)
    added = " + ".join(_cm(t) for t in lengths) + " = " if len(lengths) > 1 else ""
    span = f"{group.bands[0].code}-{group.bands[-1].code}"
    head = f"{group.kind.capitalize()} repair, {group.sites} (`{span}`): {added}**{_cm(total)} cm**"
    codes = _codes(group, total)
    if codes is None:
        return f"{head}: reported as a simple or intermediate repair, not with a {group.kind} code."
    return f"{head} → {codes}"


def worked(question: str, facts: Facts | None, codes: Sequence[CodeInfo] = ()) -> str | None:
    """The repair codes the wounds a question states make, added by kind and site group, with
    the rule; None when it is no such question (no repair words, another procedure's lengths,
    nothing asked about codes, a code named that is no repair code) or a wound cannot be
    placed."""
    if (
        facts is None
        or not facts.cpt_repairs
        or not _LENGTH.search(question)
        or not (codes or ASKS_CODES.search(question))  # (a repair code named asks about it)
    ):
        return None
    if codes:
        known = {b.code for g in facts.cpt_repairs for b in g.bands}
        if any(c.code not in known for c in codes):
            return None
    whole = _words(question)
    if _named(whole, facts.repair_words.get("other", ())) or not _named(
        whole, facts.repair_words.get("wound", ())
    ):
        return None
    wounds = _wounds(question, whole, facts)
    if not wounds or len(wounds) > MOST_WOUNDS:
        return None
    summed: dict[RepairGroup, list[int]] = {}
    for w in wounds:
        summed.setdefault(w.group, []).append(w.tenths)
    order = {kind: i for i, kind in enumerate(reversed(REPAIR_KINDS))}
    lines = [
        _line(group, lengths)
        for group, lengths in sorted(summed.items(), key=lambda x: order[x[0].kind])
    ]
    return "\n".join(f"- {line}" for line in lines) + f"\n\n{RULE}"
