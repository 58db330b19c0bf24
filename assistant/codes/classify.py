"""Finding literal codes in a question and classifying them by rule.

Detection works on the raw question: CPT (``99213``, ``0450T``, ``0001U``), HCPCS Level II
(``J1745``), ICD-10-CM (``E11.9``), ICD-10-PCS (``0SR9019``), NDC (``0002-1433-80``) and modifiers
("modifier 25", "-59", "LT modifier", "Rt and Lt"). Years, small numbers and ranges ("the
80000-level codes") are not codes: a bare number must have five digits, and a two-character
modifier needs the word "modifier", a dash, a list of known modifiers, or to stand alone as the
whole question. Level II codes with a typing slip (``E06O1``, ``EO601``, ``E060l``: a letter O, I
or l where a digit goes) are found and read as the code they were meant to be.

Classification is by shape and by the section facts; descriptions, status and dates come only
from loaded official data (the imported HCPCS file, the ICD-10-CM code set). CPT descriptors are
never shipped, and a code the data does not have is never presented as real.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypedDict

from rapidfuzz.distance import OSA

from assistant.codes import icd, shapes
from assistant.codes.data import DATA_ERRORS, HcpcsStore, problem_text
from assistant.codes.hcpcs.records import CodeRecord
from assistant.core.facts import (
    CPT_LETTER_MODIFIERS,
    CPT_PHYSICAL_STATUS_MODIFIERS,
    CptDeletion,
    Facts,
)
from assistant.core.text import ENGLISH_PAIRS, ENGLISH_PHRASES, defined_abbreviations
from assistant.core.understand import bare

SYSTEMS = (
    "CPT",
    "HCPCS Level II",
    "CPT modifier",
    "HCPCS Level II modifier",
    "ICD-10-CM",
    "ICD-10-PCS",
    "NDC",
    "HCPCS Level III",
    "unknown",
)
MAINTAINERS = {
    "CPT": "AMA",
    "CPT modifier": "AMA",
    "HCPCS Level II": "CMS",
    "HCPCS Level II modifier": "CMS",
    "ICD-10-CM": "CDC/NCHS",
    "ICD-10-PCS": "CMS",
    "NDC": "FDA",
    "HCPCS Level III": "local payers (retired)",
}
CPT_SUFFIX_CATEGORY = {"F": "Category II", "T": "Category III", "U": "PLA", "M": "MAAA"}
LOCAL_LETTERS = "WXYZ"  # letters of the retired Level III local codes
MAX_CODES = 20  # a pasted claim can hold many; cards beyond this are not useful
KnownModifier = Callable[[str], bool]  # whether the imported data has a modifier of that name
NamedTerm = Callable[[str], bool]  # whether the knowledge base names a word as a term ("x12")
DATA_UNAVAILABLE_NOTE = (
    "The imported HCPCS Level II file cannot be read, so official descriptions are not shown: "
    "re-import it with `hcpcs-assistant import-hcpcs FILE`."
)


@dataclass(frozen=True)
class CodeInfo:
    """One classified code: the contract's CodeInfo object, with its extension fields."""

    code: str
    system: str
    hcpcs_level: str | None = None
    category: str | None = None
    section: str | None = None
    range: str | None = None
    description: str | None = None
    known: bool | None = None
    maintainer: str | None = None
    notes: tuple[str, ...] = ()
    # Contract extension: "active", "terminated" or None (no data for that system); ISO dates
    # from the loaded data; for ICD-10-CM whether the code is valid on a claim (a leaf).
    status: str | None = None
    effective_date: str | None = None
    termination_date: str | None = None
    billable: bool | None = None
    # Extra detail for the card, not part of the JSON contract.
    suggestions: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # Why the imported data could not be used for this code (it failed during the look-up).
    data_problem: str | None = field(default=None, compare=False)
    release: str | None = field(default=None, compare=False)  # the data release looked in
    typed: str | None = field(default=None, compare=False)  # as typed, when read as another code
    # For an ICD-10-CM category: the codes one level below it, (code, description).
    children: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # For a CPT code: the family of codes its number falls in, in our words, and its span
    # ("Office or other outpatient visits, established patient", "99211-99215"); for an
    # ICD-10-CM code, the tabular list's block of its category ("Diabetes mellitus", "E08-E13").
    family: tuple[str, str] | None = field(default=None, compare=False)
    # For an ICD-10-CM code below a category: the code one level above it, (code, description).
    parent: tuple[str, str] | None = field(default=None, compare=False)
    # For an ICD-10-CM code: the number of its chapter (1-22), and the Tabular List's notes on
    # it or above it: what a "code first" note puts before it, its Excludes1 and Excludes2 items.
    chapter: int | None = field(default=None, compare=False)
    code_first: str = field(default="", compare=False)
    excludes1: tuple[str, ...] = field(default=(), compare=False)
    excludes2: tuple[str, ...] = field(default=(), compare=False)
    # For a CPT code the facts list as deleted: when, and what is reported now.
    deletion: CptDeletion | None = field(default=None, compare=False)
    # For a CPT code the facts list as current (cpt-current): the edition, "CPT 2026".
    current: str | None = field(default=None, compare=False)
    # A modifier the modifiers facts table lists: it is one, whether or not data is loaded.
    curated: bool = field(default=False, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "system": self.system,
            "hcpcs_level": self.hcpcs_level,
            "category": self.category,
            "section": self.section,
            "range": self.range,
            "description": self.description,
            "known": self.known,
            "maintainer": self.maintainer,
            "notes": list(self.notes),
            "status": self.status,
            "effective_date": self.effective_date,
            "termination_date": self.termination_date,
            "billable": self.billable,
        }


@dataclass(frozen=True)
class Found:
    """A code as it appears in a question: its text, its kind of shape, and where it starts."""

    text: str
    shape: str  # "code" or "modifier"
    start: int
    end: int


# --- detection -------------------------------------------------------------------------------

# "the 80000-level codes", "the 90000 series": a round number naming a range, not a code
RANGE_WORD_AFTER = re.compile(r"\s*-?\s*(?:level|series|range|block|family)\b", re.I)
SLIP_DIGITS = {"O": "0", "I": "1", "L": "1"}
# Words that make a three-character category such as E11 a diagnosis code in a question
# (or asks in which chapter or section of the code set it is: "What section is R05 in?")
ICD_CONTEXT = re.compile(
    r"\b(icd|icd-?10(-?cm)?|diagnos\w*|dx|billable|subcategor(y|ies)|chapters?|sections?)\b", re.I
)
MOD = r"([0-9]{2}|[A-Za-z]{2}|[A-Za-z][0-9]|[0-9][A-Za-z])"
_DASH = "[-\u2013]"  # a hyphen, or the en dash word processors put in its place
_LIST_SEP = r"(?:,\s*(?:and|or)\b|,|/|&|\band\b|\bor\b|\bvs\b\.?|\bversus\b)"
LEVEL_NUMERAL = re.compile(r"\blevel\s+(i{1,3})\b", re.IGNORECASE)
# "CO-97", "PR 1": a claim adjustment group and reason code of a remittance, not a modifier.
REASON_CODE = re.compile(r"(?<![A-Za-z0-9\-])([A-Z]{2})(?:-|\s)?\d{1,3}(?![A-Za-z0-9]|\s*-\s*\d)")
# Two capitals that name an amount or a group on a remittance ("the CO adjustment", "PR
# amount", "OA group"): a claim adjustment group code, never a modifier (though CO is also the
# occupational therapy assistant modifier).
GROUP_CODE_NAMED = re.compile(
    r"\b([A-Z]{2})\s+(?=(?:adjustments?|amounts?|group|groups|balances?|write[- ]?offs?)\b)"
)
# The first characters of a family of Level II codes ("Q5 codes", "the J1 code for ..."): a
# range of codes, not the modifier of the same letters (Q5 is also a modifier).
CODE_FAMILY_NAMED = re.compile(
    r"\b([A-Z][0-9])\s+(?=(?:hcpcs\s+|level\s+ii\s+)?(?:codes\b|code\s+(?:for|range)\b|series\b))",
    re.IGNORECASE,
)
# "modifier" or "mod" (a slip in the word is read as "mod" first: _modifier_slips_read)
_MODIFIER_WORD = r"mod(?:ifier)?s?"
MODIFIER_AFTER_WORD = re.compile(
    r"\b"
    + _MODIFIER_WORD
    + r"(?:\s+codes?)?"  # "modifier code GZ"
    + r"(?:\s*[#:.]\s*|\s*"  # ("mod. 57" too)
    + _DASH
    + r"\s*|\s+|(?=\d))"
    + MOD
    + r"(?![A-Za-z0-9])",
    re.I,
)
MODIFIER_LIST_TAIL = re.compile(r"\s*" + _LIST_SEP + r"\s*-?" + MOD + r"(?![A-Za-z0-9])", re.I)
MODIFIER_LIST_HEAD = re.compile(
    r"(?<![A-Za-z0-9\-])-?" + MOD + r"\s*" + _LIST_SEP + r"\s*-?$", re.I
)
MODIFIER_BEFORE_WORD = re.compile(
    r"(?<![A-Za-z0-9\-])-?" + MOD + r"\s+" + _MODIFIER_WORD + r"\b", re.I
)
# Two known modifiers named together, in any case ("Rt and Lt", "xe or xs").
MODIFIER_PAIR = re.compile(
    r"(?<![A-Za-z0-9\-])" + MOD + r"\s*" + _LIST_SEP + r"\s*" + MOD + r"(?![A-Za-z0-9])", re.I
)
# A CPT or Level II code's shape, as a modifier may follow it: five digits, four and a letter,
# or a letter and four.
_CODE_BEFORE = r"(?<![A-Za-z0-9])(?:\d{5}|\d{4}[A-Za-z]|[A-Za-z]\d{4})"
# A dash glued to the end of a code ("99213-25", "J1745-JW", "0001F-8P"): always a modifier.
MODIFIER_AFTER_CODE = re.compile(_CODE_BEFORE + _DASH + MOD + r"(?![A-Za-z0-9])")
# Two digits written after a code with a space, "99214 25 code", "99213 25?": its modifier.
MODIFIER_AFTER_CODE_SPACE = re.compile(
    _CODE_BEFORE + r"\s+(\d{2})(?=\s*(?:codes?\b|modifiers?\b|[?.,;]|$))", re.I
)
# A code just before a dashed modifier ("99213 -25"): the modifier is that code's.
_ENDS_WITH_CODE = re.compile(_CODE_BEFORE + r"\s*$")
# A dash after a space or an opening bracket ("bill it with -59", "(-LT)").
MODIFIER_DASH = re.compile(r"(?:(?<=[\s(\[,;/])|(?<=^))" + _DASH + MOD + r"(?![A-Za-z0-9])")
LONE_UPPER_PAIR = re.compile(r"(?<![A-Za-z0-9\-])([A-Z]{2}|[A-Z][0-9])(?![A-Za-z0-9])")
# A question on place of service: its two-digit numbers ("-32", "11 or 22") are POS codes, not
# modifiers, unless the word "modifier" is beside them.
POS_CONTEXT = re.compile(r"\bplace\s+of\s+service\b|\bpos\b", re.I)
# "what does 25 mean?", "what is code 51?": two digits asked the meaning of, alone, are the
# CPT modifier (a five-digit code, a revenue code or a condition code never reads this way).
MEANING_ASKED = re.compile(
    r"\bwhat\s+(?:does|do|is)\s+(?:the\s+)?(?:code\s+)?([0-9]{2})\s+(?:mean|stand)"
    r"|\bwhat\s+is\s+(?:the\s+)?code\s+([0-9]{2})\s*(?:\?|$)",
    re.I,
)
ONLY_CODE = re.compile(r"^\W*(?:modifier\s*)?-?([0-9A-Za-z]{2})\W*(?:modifier)?\W*$", re.I)
# A question that is an ICD-10-CM category and nothing else, or asks only what one means ("Z49",
# "What does M54 mean?", "what is code K12?")
_CATEGORY = r"[A-Za-z]\d[0-9A-Za-z]"
CATEGORY_ALONE = re.compile(
    rf"^\W*(?:what\s+(?:is|does)\s+(?:the\s+)?(?:code\s+)?)?({_CATEGORY})"
    r"(?:\s+(?:mean|means|stand\s+for|code))?\W*$",
    re.I,
)
# (a question with no word of that shape is not looked at further: most are not)
_HAS_CATEGORY = re.compile(rf"\b{_CATEGORY}\b")


_WORD_LIKE_MODIFIER = re.compile(r"\b[Mm][A-Za-z]{5,9}\b")
_MODIFIER_SPELLINGS = ("modifier", "modifiers")
_MODIFIER_VERBS = ("modifies", "modified")  # one letter from "modifiers" and "modifier"


def _modifier_slips_read(text: str) -> str:
    """``text`` with the word "modifier" typed with a slip ("modiifer", "moidfier",
    "modfiier": its letters, one more or one fewer, at most two edits away) read as "mod", kept
    at the same length so that every position in the text stays where it was. A word with a
    letter changed is another word ("modified", "modifies") and stays."""

    def read(m: re.Match[str]) -> str:
        word = m.group(0)
        typed = word.lower()
        if typed in _MODIFIER_SPELLINGS or typed in _MODIFIER_VERBS:
            return word
        for spelled in _MODIFIER_SPELLINGS:
            if (
                abs(len(typed) - len(spelled)) <= 1
                and _letters_apart(typed, spelled) <= 1
                and OSA.distance(typed, spelled) <= 2
            ):
                return "mod" + " " * (len(word) - 3)
        return word

    return _WORD_LIKE_MODIFIER.sub(read, text)


def _letters_apart(a: str, b: str) -> int:
    """How many letters one word has that the other has not, both ways (a letter changed
    counts two)."""
    left, right = Counter(a), Counter(b)
    return sum(((left - right) + (right - left)).values())


def _valid_pcs(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    return digits >= 2 and letters >= 1 and text.upper() == text if letters else False


# An element of an X12 segment as billers quote it ("REF*F8", "HI*ABK", "NM1*82"): what follows
# a segment's name and its "*" separator.
X12_ELEMENT = re.compile(r"\b[A-Z][A-Z0-9]{1,2}\*([A-Z0-9]{1,3})\b")


def detect(
    question: str,
    facts: Facts | None = None,
    known_modifier: KnownModifier | None = None,
    named_term: NamedTerm | None = None,
) -> list[Found]:
    """Codes and modifiers in a question, in order of appearance, each once.

    ``named_term`` says which words the knowledge base names as terms: an ICD-10-CM category
    asked about alone ("Z49", "what does M54 mean?") is a code unless it is one of them ("X12"
    is the standards body, "V28" the risk-adjustment model)."""
    typed = question
    question = _modifier_slips_read(question)
    found: list[Found] = []
    # "a locum tenens (LT) physician ... the LT services": an abbreviation the question
    # defines is never a modifier, wherever it stands.
    taken: list[tuple[int, int]] = [
        (m.start(), m.end())
        for short in defined_abbreviations(question)
        for m in re.finditer(rf"\b{short}\b", question)
    ]
    # ("send payments to our PO Box": an address, not modifier PO)
    taken += [(m.start(), m.end()) for m in ENGLISH_PHRASES.finditer(question)]
    # ("REF*F8", "HI*BK": an X12 segment's qualifier, written after the separator, is no
    # modifier or code)
    taken += [(m.start(1), m.end(1)) for m in X12_ELEMENT.finditer(question)]
    # all capitals, or nearly ("Hi all, SHOULD I GET BOTH MY KNEES DONE?"): case says nothing
    # about what is a code
    shouting = _shouting(question)

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(shape: str, a: int, b: int) -> None:
        if free(a, b):
            # as typed: the slip reading keeps positions but not the letters it replaced
            found.append(Found(typed[a:b], shape, a, b))
            taken.append((a, b))

    def pair_ok(text: str, beside_word: bool = False) -> bool:
        """A modifier-sized token next to "modifier", a dash or a list of modifiers."""
        return _plausible_modifier(text, shouting, facts, known_modifier, beside_word)

    # (every code shape has digits: a question without any has only modifiers to look for)
    patterns = shapes.CODE_PATTERNS if any(ch.isdigit() for ch in question) else ()
    for kind, rx in patterns:
        for m in rx.finditer(question):
            text = m.group(1)
            if kind == "pcs" and not _valid_pcs(text):
                continue
            if kind == "icd_nodot" and not _icd_without_dot(text):
                continue
            if kind == "icd_spaced" and not _spaced_icd(question, text):
                continue
            if kind == "icd3" and not (
                _icd_three_characters(text)
                or (ICD_CONTEXT.search(question) and icd.lookup(text) is not None)
            ):
                continue
            if kind == "slip" and _slip_reading(text, facts) is None:
                continue
            if kind == "cpt" and text.endswith("00") and RANGE_WORD_AFTER.match(question, m.end(1)):
                continue
            add("code", m.start(1), m.end(1))

    for m in MODIFIER_AFTER_WORD.finditer(question):
        if not pair_ok(m.group(1), beside_word=True) and not _word_named_as_modifier(
            m.group(1), question[m.end() :], facts
        ):
            continue
        add("modifier", m.start(1), m.end(1))
        pos = m.end()
        while (tail := MODIFIER_LIST_TAIL.match(question, pos)) and pair_ok(tail.group(1), True):
            add("modifier", tail.start(1), tail.end(1))
            pos = tail.end()
    # "a HCPCS Level II modifier": the level's numeral is never a modifier; nor is the group
    # of a denial reason ("CO-16").
    taken += [(m.start(1), m.end(1)) for m in LEVEL_NUMERAL.finditer(question)]
    taken += [(m.start(1), m.end(1)) for m in REASON_CODE.finditer(question)]
    taken += [(m.start(1), m.end(1)) for m in GROUP_CODE_NAMED.finditer(question)]
    taken += [(m.start(1), m.end(1)) for m in CODE_FAMILY_NAMED.finditer(question)]
    for m in MODIFIER_BEFORE_WORD.finditer(question):
        if not pair_ok(m.group(1), beside_word=True):
            continue
        add("modifier", m.start(1), m.end(1))
        end = m.start()
        while (head := MODIFIER_LIST_HEAD.search(question, 0, end)) and pair_ok(
            head.group(1), True
        ):
            add("modifier", head.start(1), head.end(1))
            end = head.start()
    for m in MODIFIER_AFTER_CODE.finditer(question):
        add("modifier", m.start(1), m.end(1))
    if facts is not None:
        for m in MODIFIER_AFTER_CODE_SPACE.finditer(question):
            if m.group(1) in facts.modifiers:
                add("modifier", m.start(1), m.end(1))
    pos = bool(POS_CONTEXT.search(question))
    for m in MODIFIER_DASH.finditer(question):
        if pos and m.group(1).isdigit() and not _ENDS_WITH_CODE.search(question, 0, m.start()):
            continue  # "-32" in a place of service question is the POS code
        if pair_ok(m.group(1)):
            add("modifier", m.start(1), m.end(1))
    if facts is not None:
        for m in MODIFIER_PAIR.finditer(question):
            pair = (m.group(1), m.group(2))
            if pos and any(t.isdigit() for t in pair):
                continue
            if all(_curated_modifier(t, facts) for t in pair):
                for i in (1, 2):
                    add("modifier", m.start(i), m.end(i))

    if not found and facts is not None and not pos:
        for m in MEANING_ASKED.finditer(question):
            group = m.lastindex or 1
            if m.group(group) in facts.modifiers:
                add("modifier", m.start(group), m.end(group))
    if not found:
        only = ONLY_CODE.match(question)
        if only and _is_modifier_alone(only.group(1), facts, known_modifier):
            add("modifier", only.start(1), only.end(1))
    # (a greeting or a closing courtesy asks nothing: "Hi, what does K02 mean? Thanks!")
    if (
        not found
        and named_term is not None
        and _HAS_CATEGORY.search(question)
        and (alone := CATEGORY_ALONE.match(bare(question)))
    ):
        category = alone.group(1)
        if not named_term(category.lower()) and icd.lookup(category.upper()) is not None:
            at = question.index(category)
            add("code", at, at + len(category))
    if not shouting:
        if facts is not None:
            # "PR and CO", "PT or OT", "NP and PA": capitals listed beside capitals that name
            # no modifier are abbreviations of one kind (group codes, professions), so neither
            # is a modifier here
            for m in MODIFIER_PAIR.finditer(question):
                pair = (m.group(1), m.group(2))
                if all(t.isalpha() and t.isupper() for t in pair) and (
                    (pair[0] in facts.modifiers) != (pair[1] in facts.modifiers)
                ):
                    taken += [(m.start(1), m.end(1)), (m.start(2), m.end(2))]
        for m in LONE_UPPER_PAIR.finditer(question):
            # Only the curated modifiers: the full CMS list also holds MD, ER, CT, PT, US...
            if facts is not None and m.group(1) in facts.modifiers:
                add("modifier", m.start(1), m.end(1))

    found.sort(key=lambda f: f.start)
    return found[:MAX_CODES]


# What may follow a modifier named by an English word ("what does modifier at mean?", "modifier
# go used for"): the end of the clause or what is asked of it, never the rest of a phrase
# ("modifier at the end of the line").
_AFTER_NAMED_WORD = re.compile(
    r"\s*(?:$|[?.!,;:)]|(?:mean|means|meant|used|use|stand|stands|modifiers?)\b)", re.I
)


# A text this long (in letters) with this share of them capitals is typed in capitals, whatever
# a greeting before it says: "MY", "AT" or "OR" in it are words, not modifiers.
SHOUTING_LETTERS = 20
SHOUTING_SHARE = 0.8


def _shouting(text: str) -> bool:
    """Whether a text is written in capitals: all of it, or a long text nearly all of it."""
    if text.isupper():
        return True
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < SHOUTING_LETTERS:
        return False
    return sum(ch.isupper() for ch in letters) >= SHOUTING_SHARE * len(letters)


def _word_named_as_modifier(text: str, after: str, facts: Facts | None) -> bool:
    """Whether an English two-letter word just after "modifier" ("modifier at", "modifier go")
    names the curated modifier of those letters: it ends the clause or is asked about."""
    return (
        facts is not None
        and text.isalpha()
        and text.upper() in facts.modifiers
        and bool(_AFTER_NAMED_WORD.match(after))
    )


def _curated_modifier(text: str, facts: Facts) -> bool:
    """In the modifiers table, and not an English word typed in lower case ("go", "at")."""
    if text.islower() and text in ENGLISH_PAIRS:
        return False
    return text.upper() in facts.modifiers


def _slip_reading(text: str, facts: Facts | None = None) -> str | None:
    """The Level II code meant by a letter and four characters where a letter O, I or l stands
    for a digit (``E06O1``, ``EO601``, ``E060l`` -> ``E0601``); None for anything else. At least
    two real digits, so that no word is read as a code."""
    code = text.upper()
    if len(code) != 5 or not code[0].isalpha():
        return None
    tail = code[1:]
    if not all(ch.isdigit() or ch in SLIP_DIGITS for ch in tail):
        return None
    if tail.isdigit() or sum(ch.isdigit() for ch in tail) < 2:
        return None
    if facts is not None and code[0] not in facts.level2:
        return None
    return code[0] + "".join(SLIP_DIGITS.get(ch, ch) for ch in tail)


def _is_named_modifier(
    text: str, facts: Facts | None, known_modifier: KnownModifier | None
) -> bool:
    code = text.upper()
    if facts is not None and code in facts.modifiers:
        return True
    return bool(known_modifier and known_modifier(code))


# A word of a code's description long enough to tell one condition from another.
_DESCRIBING = re.compile(r"[a-z]{4,}")


# A question that only asks what the code it names is ("What is F32 89?", "g47 33 meaning"),
# once the code is taken out of it.
_ONLY_ASKS_WHAT = re.compile(
    r"\W*(?:(?:what(?:'s|\s+is|\s+does)|define|meaning\s+of)\W+)?(?:code\W+)?\W*"
    r"(?:mean|meaning|stand\s+for)?\W*",
    re.IGNORECASE,
)


def _spaced_icd(question: str, text: str) -> bool:
    """Whether "G47 33" is the ICD-10-CM code typed with a space for its dot: the code set has
    it, and the question speaks of diagnosis codes or names the condition the code describes
    in two of its words ("What is obstructive sleep apnea G47 33?"). Letters alone after the
    space are the code's only in capitals: "Is E11 a billable code?" asks about E11, not E11.A."""
    tail = re.split(r"[ -]", text, maxsplit=1)[1]
    if not any(ch.isdigit() for ch in tail) and not tail.isupper():
        return False
    info = icd.lookup(re.sub(r"[ -]", "", text))
    if info is None:
        return False
    if ICD_CONTEXT.search(question) or _ONLY_ASKS_WHAT.fullmatch(question.replace(text, "", 1)):
        return True
    said = set(_DESCRIBING.findall(question.lower()))
    return len(said & set(_DESCRIBING.findall(info.description.lower()))) >= 2


def _plausible_modifier(
    text: str,
    shouting: bool,
    facts: Facts | None,
    known_modifier: KnownModifier | None,
    beside_word: bool = False,
) -> bool:
    """Digits or a letter and a digit always are; two letters typed in capitals are; two letters
    in lower or mixed case are when they are not an English word ("is", "at") and either stand
    beside the word "modifier" ("modifier gx") or name a known modifier ("-rt")."""
    if not text.isalpha():
        return True
    if text.isupper() and not shouting:
        return True
    if text.lower() in ENGLISH_PAIRS:
        return False
    return beside_word or _is_named_modifier(text, facts, known_modifier)


def _is_modifier_alone(
    text: str, facts: Facts | None, known_modifier: KnownModifier | None
) -> bool:
    """A question that is only "59" or "lt": a modifier when we know one by that name
    (but "hi", "go" or "us" typed in lower case are words)."""
    if text.isalpha() and text.islower() and text in ENGLISH_PAIRS:
        return False
    return _is_named_modifier(text, facts, known_modifier)


def _icd_without_dot(text: str) -> bool:
    """Letter + 3-6 characters without a dot: an ICD-10-CM code only if the code set has it."""
    if len(text) < 4 or shapes.LEVEL2.fullmatch(text.upper()):
        return False
    return icd.lookup(text) is not None


def _icd_three_characters(text: str) -> bool:
    """An ICD-10-CM code of three characters billable as written (I10, R69, Z23...). Categories
    with subdivisions (E11, X12) are left out: without a dot they are too easily something else
    ("X12 837P")."""
    return text.upper() in icd.three_character_codes()


# --- classification --------------------------------------------------------------------------


def classify(
    text: str, facts: Facts, data: HcpcsStore | None = None, shape: str = "code"
) -> CodeInfo:
    """Classify one code by rule. ``data`` is the imported HCPCS Level II file, if any."""
    raw = text.strip()
    if shape == "modifier" or (len(raw.lstrip("-")) == 2 and raw.lstrip("-").isalnum()):
        return _modifier(raw.lstrip("-").upper(), facts, data)
    code = raw.upper()
    if shapes.ICD_CM_CATEGORY_DOT.fullmatch(code):  # "I10." at the end of a sentence
        code = code.rstrip(".")
    if shapes.ICD_CM_SPACED.fullmatch(code):  # "Z34 91", "Z79-891": where the dot goes
        code = code.replace(" ", ".").replace("-", ".")
    digits = re.sub(r"\D", "", code)
    if shapes.NDC.fullmatch(code):
        return _ndc(code, digits)
    if shapes.CPT.fullmatch(code):
        return _cpt_category_one(code, facts)
    if shapes.CPT_OTHER.fullmatch(code):
        return _cpt_other(code)
    if shapes.LEVEL2.fullmatch(code):
        return _letter_code(code, facts, data)
    slip = _slip_reading(code, facts)
    if slip is not None and icd.lookup(code) is None:
        return _typing_slip(raw, slip, facts, data)
    if shapes.ICD_PCS.fullmatch(code) and icd.lookup(code) is None:
        # ICD-10-PCS, also where the 2nd and 3rd characters are digits (B2111ZZ, imaging),
        # unless the code set of ICD-10-CM has it written without its dot
        return _pcs(code, facts)
    if shapes.ICD_CM.fullmatch(code):
        return _icd_cm(code)
    joined = shapes.WITH_MODIFIER.fullmatch(code)
    if joined:
        head, mod = joined.groups()
        return CodeInfo(
            code,
            "unknown",
            notes=(
                f"This looks like the code {head} with the modifier {mod}: look them up one at "
                f"a time ({head}, then {mod}).",
            ),
        )
    return CodeInfo(code, "unknown", notes=("Not the shape of any code set this assistant knows.",))


def _typing_slip(typed: str, code: str, facts: Facts, data: HcpcsStore | None) -> CodeInfo:
    """``typed`` (E06O1) read as the Level II code ``code`` (E0601) it was meant to be."""
    letters = sorted({SLIP_DIGITS[ch] for ch in typed.upper()[1:] if ch in SLIP_DIGITS})
    what = " and ".join(
        {"0": "the letter O for a zero", "1": "the letter I or l for a one"}[d] for d in letters
    )
    info = _letter_code(code, facts, data)
    note = f"{typed} was read as {code} ({what})."
    return replace(info, notes=(note, *info.notes), typed=typed)


def _cpt_category_one(code: str, facts: Facts) -> CodeInfo:
    hit = facts.cpt_section(int(code))
    deletion = facts.cpt_deletion(int(code))
    if deletion is not None:
        # A deleted code people still ask about ("is 99201 still valid?"): a CPT code, with
        # the day it ended and what is reported now; its section only while its number lies
        # in one (99201 is below E/M's range today).
        last = datetime.date.fromisoformat(deletion.deleted_on) - datetime.timedelta(days=1)
        return CodeInfo(
            code,
            "CPT",
            hcpcs_level="I",
            category="Category I",
            section=hit[0].name if hit else None,
            range=hit[1] if hit else None,
            maintainer="AMA",
            notes=(f"Deleted from CPT on {deletion.deleted_on}: {deletion.instead}.",),
            status="terminated",
            termination_date=last.isoformat(),
            deletion=deletion,
        )
    if hit is None:
        return CodeInfo(
            code,
            "unknown",
            notes=(
                "Five digits like a CPT Category I code, but outside every CPT section range: "
                "check the number, or whether it is a code deleted from CPT.",
            ),
        )
    section, span = hit
    notes = [
        "CPT descriptors are copyrighted by the AMA: look up the wording in a licensed CPT source."
    ]
    current = facts.cpt_current_edition(int(code))
    if section.name == "Medicine" and "," in section.range_text:
        notes.append(f"The Medicine section spans {section.range_text}.")
    family = facts.cpt_family(int(code))
    return CodeInfo(
        code,
        "CPT",
        hcpcs_level="I",
        category="Category I",
        section=section.name,
        range=span,
        maintainer="AMA",
        notes=tuple(notes),
        family=(family[0].name, family[1]) if family else None,
        current=current,
    )


_CPT_OTHER_NOTES = {
    "Category II": "Category II codes track quality and performance measures; they are optional and carry no payment of their own.",
    "Category III": "Category III codes are temporary codes for emerging technology; report one instead of an unlisted code when it fits.",
    "PLA": "PLA codes identify one proprietary laboratory test, performed by a single laboratory or licensed by its manufacturer to several.",
    "MAAA": "MAAA codes identify multianalyte assays with algorithmic analyses.",
}


def _cpt_other(code: str) -> CodeInfo:
    category = CPT_SUFFIX_CATEGORY[code[-1]]
    return CodeInfo(
        code,
        "CPT",
        hcpcs_level="I",
        category=category,
        maintainer="AMA",
        notes=(_CPT_OTHER_NOTES[category],),
    )


def _letter_code(code: str, facts: Facts, data: HcpcsStore | None) -> CodeInfo:
    """A letter and four digits: Level II, a retired Level III local code, or ICD-10-CM without its dot."""
    letter = code[0]
    icd_hit = icd.lookup(code) if letter != "U" else None
    if letter in LOCAL_LETTERS:
        if icd_hit is not None:
            return _icd_info(
                icd_hit,
                extra=(
                    f"Written {code}, it also has the shape of a retired HCPCS Level III local code.",
                ),
            )
        return CodeInfo(
            code,
            "HCPCS Level III",
            hcpcs_level="III",
            known=None,
            maintainer=MAINTAINERS["HCPCS Level III"],
            notes=(
                "Retired local code: Level III codes (letters W-Z) were set by local payers and "
                "eliminated under HIPAA at the end of 2003. Use a national CPT or Level II code.",
            ),
        )
    section = facts.level2.get(letter)
    if section is None:
        if icd_hit is not None:
            return _icd_info(icd_hit)
        return CodeInfo(
            code,
            "unknown",
            notes=(
                f"No HCPCS Level II section uses the letter {letter}, and it is not an ICD-10-CM code.",
            ),
        )
    notes: list[str] = []
    in_range = section.low <= code <= section.high
    if not in_range:
        notes.append(f"{code} is outside the {section.range_text} range of the {letter} section.")
    if icd_hit is not None:
        kind = "code" if icd_hit.billable else "category (not billable as written)"
        notes.append(
            f"Also an ICD-10-CM {kind} written without its dot: {icd_hit.code} ({icd_hit.description})."
        )
    if letter == "D":
        notes.append("D codes are the ADA's CDT dental codes, used in HCPCS Level II by reference.")
    drug = facts.drug_units.get(code)
    if drug is not None and data is None:
        # (no file imported: the knowledge base still says which common office drug it is)
        notes.append(
            f"In the table of common office drugs: {drug.drug}, one unit {drug.unit} (the CMS "
            "file gives the official description)."
        )
    return _with_data(
        CodeInfo(
            code,
            "HCPCS Level II",
            hcpcs_level="II",
            section=section.name if in_range else None,
            range=section.range_text if in_range else None,
            maintainer=section.maintainer,
            notes=tuple(notes),
        ),
        data,
    )


def uses_data(info: CodeInfo) -> bool:
    """Whether the imported HCPCS file would describe this code (Level II, except CDT D codes)."""
    if info.system == "HCPCS Level II modifier":
        return True
    return info.system == "HCPCS Level II" and not info.code.startswith("D")


def without_data(info: CodeInfo, problem: str) -> CodeInfo:
    """``info`` as classified without the imported file, which cannot be read (``problem``):
    its card says so instead of showing a description."""
    if not uses_data(info) or DATA_UNAVAILABLE_NOTE in info.notes:
        return info
    return replace(
        info,
        known=None,
        description=None,
        status=None,
        suggestions=(),
        notes=(*info.notes, DATA_UNAVAILABLE_NOTE),
        data_problem=problem,
    )


def _with_data(info: CodeInfo, data: HcpcsStore | None) -> CodeInfo:
    """Official description, status, dates and near misses from the imported file."""
    if data is None or info.code.startswith("D"):
        return info
    try:
        record = data.code(info.code)
        near: tuple[tuple[str, str], ...] = ()
        if record is None:
            near = tuple((r.code, r.long_description) for r in data.nearest(info.code, limit=5))
        release = data.release
    except DATA_ERRORS as exc:  # a damaged data file must not stop the look-up
        return without_data(info, problem_text(exc))
    if record is None:
        note = not_in_file(info.code, "HCPCS Level II code", release)
        return replace(
            info, known=False, suggestions=near, release=release, notes=(note, *info.notes)
        )
    return replace(
        info,
        known=True,
        description=record.long_description,
        release=release,
        **record_dates(record),
    )


def release_name(release: str | None) -> str:
    """``January 2026`` for ``January 2026 (HCPC2026_JAN_ANWEB_01122026)``."""
    return release.split(" (")[0].strip() if release else "imported"


def not_in_file(code: str, what: str, release: str | None) -> str:
    """The sentence for a code (or modifier) that has the shape but is not in the CMS file."""
    return f"{code} is shaped like a {what}, but not in the {release_name(release)} HCPCS file."


class Dates(TypedDict):
    status: str | None
    effective_date: str | None
    termination_date: str | None


def record_dates(record: CodeRecord) -> Dates:
    """``status``, ``effective_date`` and ``termination_date`` of a record of the CMS file.

    CMS's termination date is the last day the code may be used: a code is terminated after
    it. The effective date is the day CMS added the code."""
    add, term = record.add_date, record.term_date
    return {
        "status": "active" if record.active() else "terminated",
        "effective_date": add.isoformat() if add else None,
        "termination_date": term.isoformat() if term else None,
    }


def _icd_cm(code: str) -> CodeInfo:
    hit = icd.lookup(code)
    if hit is None:
        return CodeInfo(
            icd.with_dot(code),
            "ICD-10-CM",
            known=False,
            maintainer=MAINTAINERS["ICD-10-CM"],
            notes=(
                f"{icd.with_dot(code)} is shaped like an ICD-10-CM code, but not in the current "
                "ICD-10-CM code set.",
            ),
        )
    return _icd_info(hit)


def _icd_info(hit: icd.IcdInfo, extra: tuple[str, ...] = ()) -> CodeInfo:
    notes = [
        "ICD-10-CM is a diagnosis code set: it says why a service was given, not what was done.",
    ]
    if not hit.billable:
        notes.append(
            "A category or subcategory, not billable as written: it needs more characters; "
            "code to the highest specificity below it."
        )
    return CodeInfo(
        hit.code,
        "ICD-10-CM",
        section=hit.chapter,
        range=hit.chapter_range,
        description=hit.description,
        known=True,
        maintainer=MAINTAINERS["ICD-10-CM"],
        notes=(*notes, *extra),
        status="active",
        billable=hit.billable,
        children=hit.children,
        family=hit.block,
        parent=hit.parent,
        chapter=hit.chapter_number,
        code_first=hit.code_first,
        excludes1=hit.excludes1,
        excludes2=hit.excludes2,
    )


def _pcs(code: str, facts: Facts) -> CodeInfo:
    return CodeInfo(
        code,
        "ICD-10-PCS",
        section=facts.pcs_sections.get(code[0]),
        maintainer=MAINTAINERS["ICD-10-PCS"],
        notes=("ICD-10-PCS codes report inpatient hospital procedures; checked by shape only.",),
    )


def _ndc(code: str, digits: str) -> CodeInfo:
    return CodeInfo(
        code,
        "NDC",
        maintainer=MAINTAINERS["NDC"],
        notes=(
            "A National Drug Code identifies a drug package (labeler, product, package); checked by shape only.",
            "On a claim, bill the drug with its HCPCS code (often a J code) and give the NDC where the payer asks.",
        ),
    )


def _modifier_record(code: str, data: HcpcsStore | None) -> CodeRecord | None:
    """The modifier's record in the imported file, or None (raises when the file fails)."""
    return data.modifier(code) if data is not None else None


def _modifier(code: str, facts: Facts, data: HcpcsStore | None) -> CodeInfo:
    mod = facts.modifiers.get(code)
    if code in CPT_LETTER_MODIFIERS or code.isdigit():
        notes: tuple[str, ...]
        if code in CPT_PHYSICAL_STATUS_MODIFIERS:
            notes = (
                "A CPT anesthesia physical status modifier (P1-P6): appended to anesthesia "
                "codes to say how ill the patient is; CMS's file lists them too.",
            )
        elif code in CPT_LETTER_MODIFIERS:
            notes = (
                "A CPT Category II performance measurement modifier (1P, 2P, 3P, 8P): reported "
                "only with CPT Category II codes.",
            )
        else:
            notes = (
                "Two-digit modifiers are CPT modifiers, from the AMA's CPT code set (HCPCS Level I).",
            )
        if mod is not None:
            notes = (f"In short: {mod.meaning}.", *notes)
        return CodeInfo(code, "CPT modifier", hcpcs_level="I", maintainer="AMA", notes=notes)
    try:
        record = _modifier_record(code, data)
        release = data.release if data is not None else None
    except DATA_ERRORS as exc:  # a damaged data file must not stop the look-up
        return without_data(_modifier(code, facts, None), problem_text(exc))
    said: list[str] = []
    if data is not None and record is None:
        said.append(not_in_file(code, "HCPCS Level II modifier", release))
    if mod is not None and record is None:
        said.append(f"In short: {mod.meaning}.")
    said.append(
        "HCPCS Level II modifiers are two letters, or a letter and a digit, maintained by CMS."
    )
    dates: Dates = (
        record_dates(record)
        if record is not None
        else {"status": None, "effective_date": None, "termination_date": None}
    )
    return CodeInfo(
        code,
        "HCPCS Level II modifier",
        hcpcs_level="II",
        description=record.long_description if record else None,
        known=None if data is None else record is not None,
        maintainer="CMS",
        notes=tuple(said),
        release=release,
        curated=mod is not None,
        **dates,
    )
