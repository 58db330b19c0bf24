"""The claim codes a question names, looked up in the facts tables ``claim-code-lists`` and
``claim-codes``.

Besides procedure and diagnosis codes, claims and remittances carry codes of short lists: place
of service, the UB-04's occurrence, condition and value codes, revenue codes, the type of bill,
claim adjustment group and reason codes (CARCs), remark codes (RARCs). "What is occurrence code
32?" names a list and a code of it, and the table row says what the code means, so the answer
can start with it, whatever entry explains the list. A code the table does not hold is never
given a meaning: it is said to be missing from the table ("denial code 300", "PR 187", whose
group code PR is still said), with the entry that explains its list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assistant.core.facts import ClaimCode, ClaimCodeList, Facts

# The list whose codes come before a reason code ("CO-45": group code CO, reason code 45), and
# the list of reason codes; the names are the ``List`` column of ``claim-code-lists``.
GROUPS = "claim adjustment group"
REASONS = "claim adjustment reason"
REMARKS = "remittance advice remark"

_TOKEN = r"[A-Za-z0-9]{1,5}"


@dataclass(frozen=True)
class Named:
    """A code a question names, the list it was named with, and its row."""

    written: str  # as the question wrote it, upper case ("636")
    list: ClaimCodeList
    row: ClaimCode
    bare: bool = False  # a remark code written alone ("N130"), which may be read otherwise


def named(text: str, facts: Facts) -> tuple[Named, ...]:
    """The codes of claim code lists that ``text`` names with their list ("occurrence code
    32", "POS 11", "a 32 occurrence code", "denial code CO-29") or as a group and a reason
    code ("CO-45"), each once, in the order named; only codes the table holds."""
    return scan(text, facts)[0]


@dataclass(frozen=True)
class Unlisted:
    """A code a question names with its list, or as a reason code after a group code, that
    the table does not hold: it is never given a meaning, only said to be missing."""

    written: str  # as the question wrote it, upper case ("187")
    list: ClaimCodeList
    bare: bool = False  # a remark code written alone ("MA99")


def unlisted(text: str, facts: Facts) -> tuple[Unlisted, ...]:
    """The codes ``text`` names with a list's name before them ("denial code 300", "remark
    code N999") or as a reason code after a group code ("PR 187") that the table does not
    hold, each once: a code with a digit, so that no word after a list's name reads as one."""
    return scan(text, facts)[1]


def scan(
    text: str, facts: Facts, bare: bool = False
) -> tuple[tuple[Named, ...], tuple[Unlisted, ...]]:
    """:func:`named` and :func:`unlisted` of one text, found in one pass over it; with
    ``bare``, also the remark codes written alone (marked ``bare``)."""
    if not facts.claim_codes or not facts.claim_lists:
        return (), ()
    index = _indexed(facts)
    found: list[tuple[int, Named]] = []
    missing: list[tuple[int, Unlisted]] = []
    if any(word in text.lower() for word in index.keys):
        for pattern, more in ((index.after, True), (index.before, False)):
            for m in pattern.finditer(text):
                listed = index.by_name[" ".join(m["name"].lower().split())]
                rows = _look_up(facts, index, listed, m["code"], m["more"] if more else None)
                found += [(m.start(), n) for n in rows]
                code = m["code"].upper()
                if more and not rows and any(c.isdigit() for c in code):
                    missing.append((m.start(), Unlisted(code, listed)))
    groups = index.lists.get(GROUPS)
    reasons = index.lists.get(REASONS)
    if groups is not None and reasons is not None:
        pairs = [*_PAIR.finditer(text), *_PAIR_TYPED.finditer(text)]
        if _REMITTANCE.search(text):
            pairs += _PAIR_SPACED.finditer(text)
        for m in sorted(pairs, key=lambda m: m.start()):
            written = m["group"].upper()
            group = _row(facts, index, groups, written)
            if group is None:
                continue
            reason = _row(facts, index, reasons, m["reason"])
            if reason is not None:
                found += [
                    (m.start(), Named(written, groups, group)),
                    (m.start(), Named(m["reason"].upper(), reasons, reason)),
                ]
                continue
            # ("PR 187" with a reason code the table does not hold: the group is still said,
            # and the reason code is missing)
            if m["reason"].isdigit():
                found.append((m.start(), Named(written, groups, group)))
            missing.append((m.start(), Unlisted(m["reason"].upper(), reasons)))
    remarks = index.lists.get(REMARKS)
    if bare and remarks is not None:
        _bare_remarks(text, facts, index, remarks, found, missing)
    return (
        _once(found, lambda n: (n.row.list, n.row.code)),
        _once(missing, lambda u: (u.list.name, u.written)),
    )


def _bare_remarks(
    text: str,
    facts: Facts,
    index: _Index,
    remarks: ClaimCodeList,
    found: list[tuple[int, Named]],
    missing: list[tuple[int, Unlisted]],
) -> None:
    """Remark codes written alone ("What does N130 mean?", "MA04"). An ``MA`` code is no other
    code set's, so one the table does not hold is said to be missing; so is an ``M`` or ``N``
    code of three digits that the caller finds no diagnosis code for ("N386"). An ``M`` or ``N`` code
    of two digits is an ICD-10-CM category too ("M81"): it is read as a remark code only in a
    text that names some claim code list or a denial ("N56 denial"); one of three digits
    ("N130") is read as one when the table holds it (the caller keeps a diagnosis code it is
    also read as, unless the text names a list or a denial)."""
    lists_named: bool | None = None
    for m in _BARE_REMARK.finditer(text):
        code = m[0].upper()
        row = _row(facts, index, remarks, code)
        if row is None:
            if code.startswith("MA") or len(code) == 4:
                # (an M or N code of three digits the table does not hold may still be a
                # diagnosis code: the caller keeps the one it reads as such, "N390")
                missing.append((m.start(), Unlisted(code, remarks, bare=True)))
            continue
        if len(code) == 3 and not code.startswith("MA"):
            if lists_named is None:
                lists_named = names_a_list(text, facts)
            if not lists_named:
                continue
        found.append((m.start(), Named(code, remarks, row, bare=True)))


def may_name_bare(text: str) -> bool:
    """Whether a text has something shaped like a remark code written alone (a quick test
    before the whole look-up)."""
    return _BARE_REMARK.search(text) is not None


def with_list_name(text: str, code: str, listed: ClaimCodeList) -> str:
    """A text with a code written alone given its list's shortest name before it ("N565":
    "remark code N565"), where it is not already after one."""
    name = min((n for n in listed.names if "code" in n), key=len, default=listed.names[0])
    pattern = re.compile(rf"(?<![A-Za-z0-9.-]){re.escape(code)}(?![A-Za-z0-9])", re.IGNORECASE)
    return pattern.sub(lambda m: f"{name} {m[0]}", text)


def group_codes_alone(text: str, facts: Facts) -> frozenset[str]:
    """The claim adjustment group codes ``text`` writes alone ("PI" and "CO") where it speaks of
    group codes or of a denial or a remittance and says no "modifier": there "CO" is the
    group code, not the HCPCS modifier of the same letters."""
    if _SAYS_MODIFIER.search(text) or not (_GROUP_WORDS.search(text) or _REMITTANCE.search(text)):
        return frozenset()
    index = _indexed(facts)
    groups = index.lists.get(GROUPS)
    if groups is None:
        return frozenset()
    return frozenset(
        m.group(0).upper()
        for m in _ALONE.finditer(text)
        if _row(facts, index, groups, m.group(0)) is not None
    )


def names_a_list(text: str, facts: Facts) -> bool:
    """Whether a text names some claim code list by a word of its name ("remark", "denial",
    "carc"): a code written alone in it is more likely one of theirs."""
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    return not words.isdisjoint(_indexed(facts).keys)


_T = TypeVar("_T")


def _once(found: list[tuple[int, _T]], key: Callable[[_T], tuple[str, str]]) -> tuple[_T, ...]:
    """The things found, in the order of where they start in the text, each once by ``key``."""
    seen: set[tuple[str, str]] = set()
    out: list[_T] = []
    for _start, each in sorted(found, key=lambda pair: pair[0]):
        if key(each) not in seen:
            seen.add(key(each))
            out.append(each)
    return tuple(out)


def key_words(facts: Facts) -> frozenset[str]:
    """The longest word of each name a list is called by, other than "code" ("occurrence",
    "qualifier", "pos"): a text without one of them names no list."""
    return _indexed(facts).keys


@dataclass(frozen=True)
class _Index:
    """What the look-ups need of one facts' claim code lists, worked out once."""

    lists: dict[str, ClaimCodeList]  # by their name in the table
    by_name: dict[str, ClaimCodeList]  # by the names questions call them
    keys: frozenset[str]  # see key_words
    widths: dict[str, frozenset[int]]  # the lengths of each list's codes
    after: re.Pattern[str]  # a list's name and the code after it
    before: re.Pattern[str]  # a code and the list's name after it


# The facts last looked at, and their index (one assistant's facts are looked at for every
# question).
_LAST: list[tuple[Facts, _Index]] = []


def _indexed(facts: Facts) -> _Index:
    if _LAST and _LAST[0][0] is facts:
        return _LAST[0][1]
    by_name = {n: each for each in facts.claim_lists for n in each.names}
    widths: dict[str, set[int]] = {}
    for name, code in facts.claim_codes:
        widths.setdefault(name, set()).add(len(code))
    index = _Index(
        {each.name: each for each in facts.claim_lists},
        by_name,
        frozenset(max(n.split(), key=lambda w: (w != "code", len(w))) for n in by_name),
        {name: frozenset(w) for name, w in widths.items()},
        *_patterns(tuple(by_name)),
    )
    _LAST[:] = [(facts, index)]
    return index


def lead(found: tuple[Named, ...], missing: tuple[Unlisted, ...] = ()) -> str:
    """The first lines of an answer: what each code named means, and which codes named are
    not in the table (with who publishes their list, where their meaning is)."""
    lines = []
    for each in found:
        meaning = each.row.meaning.rstrip(".") + "."
        if each.written != each.row.code and each.row.code.endswith("X"):
            # "revenue code 0451": its group's meaning, said as the group's
            lines.append(
                f"{each.list.label} `{each.written}` is in the group `{each.row.code}`: {meaning}"
            )
        else:
            lines.append(f"{each.list.label} `{each.row.code}`: {meaning}")
    for gone in missing:
        where = f" ({gone.list.source})" if gone.list.source else ""
        lines.append(
            f"{gone.list.label} `{gone.written}` is not in my table: it may be new, retired or "
            f"mistyped, so check the current list{where}."
        )
    return "\n\n".join(lines)


def _look_up(
    facts: Facts, index: _Index, listed: ClaimCodeList, code: str, more: str | None
) -> list[Named]:
    """The rows a list's name and the code after it name. A reason code's list named with a
    group code ("denial code CO-29", "the denial code CO") names the group code, and the reason
    code after it."""
    written = code.upper()
    row = _row(facts, index, listed, written)
    if row is not None:
        return [Named(written, listed, row)]
    groups = index.lists.get(GROUPS)
    if listed.name != REASONS or groups is None:
        return []
    group = _row(facts, index, groups, written)
    if group is None:
        return []
    out = [Named(written, groups, group)]
    reason = _row(facts, index, listed, more.upper()) if more else None
    if reason is not None and more:
        out.append(Named(more.upper(), listed, reason))
    return out


def _row(facts: Facts, index: _Index, listed: ClaimCodeList, written: str) -> ClaimCode | None:
    """A list's row for a code as a question writes it: as the list writes it, with the
    leading zeros the list's codes have ("POS 2" is `02`, "revenue code 636" is `0636`) or
    without those it has not ("CARC 045" is `45`), else the group that holds it ("revenue code
    0451" is in `045X`, "type of bill 131" in `013X`)."""
    written = written.upper()
    tried = [written]
    if written.isdigit():
        widths = index.widths.get(listed.name, frozenset())
        tried += [written.zfill(w) for w in sorted(widths) if w > len(written)]
        tried.append(written.lstrip("0") or "0")
    tried += [t[:-1] + "X" for t in list(tried) if len(t) >= 3 and t.isdigit()]
    for each in tried:
        row = facts.claim_codes.get((listed.name, each))
        if row is not None:
            return row
    return None


def _patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A list's name and the code after it ("occurrence code 32", "POS 11", "place of service
    22", "denial code CO-29"), and a code before it ("a 32 occurrence code": a code with a
    digit only, so that no word reads as one)."""
    alternatives = "|".join(
        r"\s+".join(re.escape(w) for w in n.split()) for n in sorted(names, key=len, reverse=True)
    )
    after = re.compile(
        rf"\b(?P<name>{alternatives})(?:\s+codes?)?\s*(?:#|no\.|number|:)?\s*[-\u2013]?\s*"
        rf"(?P<code>{_TOKEN})(?:\s*-\s*(?P<more>{_TOKEN}))?(?![A-Za-z0-9])",
        re.IGNORECASE,
    )
    before = re.compile(
        rf"(?<![A-Za-z0-9-])(?P<code>(?=[A-Za-z]{{0,4}}\d)[A-Za-z0-9]{{1,5}})\s+"
        rf"(?P<name>{alternatives})\b",
        re.IGNORECASE,
    )
    return after, before


# A remark code written alone: MA and two or three digits, or M or N and two or three.
_BARE_REMARK = re.compile(r"(?<![A-Za-z0-9.-])(?i:ma|[mn])\d{2,3}(?![A-Za-z0-9]|\.\d)")

# A group code and a reason code written together, as remittances show them ("CO-45", "PR 1"):
# the group code in capitals, so that words are not read as one.
_PAIR = re.compile(r"(?<![A-Za-z0-9-])(?P<group>[A-Z]{2})(?:\s*-\s*|\s)(?P<reason>[A-Z]?\d{1,3})\b")
# The same typed in lower case: with a hyphen or glued to the reason code ("co-97", "co252"),
# or with a space where the question speaks of a denial or a remittance ("denied with co 97").
# (the table says which two letters are a group code)
_PAIR_TYPED = re.compile(
    r"(?<![A-Za-z0-9-])(?P<group>[a-z]{2})(?:\s*-\s*|(?=\d))(?P<reason>\d{1,3})\b"
)
_PAIR_SPACED = re.compile(r"(?<![A-Za-z0-9-])(?P<group>[a-z]{2})\s(?P<reason>\d{1,3})\b")
_SAYS_MODIFIER = re.compile(r"\bmodifiers?\b", re.I)
_GROUP_WORDS = re.compile(r"\bgroup\s+codes?\b", re.I)
# a code of two capitals written alone, quoted or not ("PI" and "CO")
_ALONE = re.compile(r"(?<![A-Za-z0-9-])[A-Z]{2}(?![A-Za-z0-9-])")
_REMITTANCE = re.compile(
    r"\b(?:deni\w*|adjust\w*|remit\w*|remark|reason\s+codes?|eob|era|835|write[- ]?off)\b", re.I
)
