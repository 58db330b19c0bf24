"""Finding ICD-10-CM codes by what they describe: "what is the ICD-10 code for headache?".

A question that names no code but asks for the diagnosis code of a condition is answered from the
code set's own words. The file ``icd10cm.words`` beside this module holds, for every code valid on
a claim, the stems of its description and, marked apart, of its inclusion terms and includes notes
("Lapsed immunization schedule status" is an inclusion term of Z28.39), as posting lists by stem. It is written when the package
is built, or by ``python -m assistant.codes.icd_words``, from simple-icd-10-cm; nothing writes it
at run time, and without it nothing is found (the question is answered as before).

File layout: a first line naming the format; a line of JSON (the release, the codes in order,
each code's number of stems, and for each stem the offset and length of its postings); then the
postings, one run per stem: the positions of its codes in the code list, as comma-separated
differences from the previous position.

Words are read with the project's one text pipeline (:mod:`assistant.core.text`): folded, function
words dropped, Snowball stems.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.core.text import FUNCTION_WORDS, POINTING_WORDS, fold, stem

MAGIC = b"hcpcs-assistant icd-10-cm words, format 1\n"
WORDS_NAME = "icd10cm.words"
DEFAULT_PATH = Path(__file__).resolve().with_name(WORDS_NAME)

MIN_COVERAGE = 0.75  # share of the query's weight a description must match
PREFIX_MIN = 4  # a typed stem this long also matches longer stems it starts ("exam", "examin")
PREFIX_WEIGHT = 0.9
ALSO = "~"  # marks a stem found only in a code's inclusion terms or includes notes
ALSO_WEIGHT = 0.85
LOOSEN_FROM = 3  # words, at least, in a name that is looked up again without its commonest
MAX_TERMS = 8  # a condition is named in a few words; more is a question, not a name
EXTRA_WORDS_PENALTY = 0.02  # per description word the query does not have: the plainest wins
# Chapters of a setting or circumstance (O: pregnancy, childbirth and the puerperium; P: the
# perinatal period; Z: factors influencing health status, such as a personal history): a code
# there that matches the words as fully as a code elsewhere is less likely the one meant
# ("urinary tract infection": N39.0 before the newborn's P39.3 and the history code Z87.440).
# A question that names the setting ("in pregnancy") matches only such codes, so keeps them.
SETTING_CHAPTERS = "OPZ"
SETTING_PENALTY = 0.05

# The code set named: "ICD-10", "ICD10", "ICD-10-CM", "icd 10 cm".
_ICD10 = r"icd[- ]?10(?:[- ]?cm)?"

_WORD = re.compile(r"[a-z0-9]+")
_ARTICLES = frozenset({"a", "an", "the"})
_PARENTHESES = re.compile(r"\([^()]*\)")
# "the ICD-10 code for X", "ICD-10-CM codes for X", "diagnosis code for X", "dx code of X",
# "which ICD-10-CM code is appropriate for X" (a few words between)
_ASKED = re.compile(
    rf"\b(?:{_ICD10}|icd|diagnosis|diagnostic|dx|z)\s*-?\s*(?:diagnosis\s+)?codes?"
    r"(?:\(s\))?\s+(?:[a-z]+\s+){0,3}?(?:for|of)\s+(?P<what>[^?.;:!]+)",
    re.IGNORECASE,
)


# Shorthand with no "code": "icd10 for uti in pregnancy", "dx for low back pain" (a short
# question only: a longer one says more than a condition's name).
_ASKED_SHORT = re.compile(
    rf"^\W*(?:what(?:'s| is| are)\s+(?:the\s+)?)?(?:{_ICD10}|dx)\s+for\s+"
    r"(?P<what>[^?.;:!]+)\W*$",
    re.IGNORECASE,
)
SHORT_ASK = 10  # words, at most


# An exercise that names the conditions after a colon: "Code the following conditions
# according to ICD-10 coding conventions and guidelines: Plaque psoriasis".
_LISTED = re.compile(
    r"\b(?:code|assign)\s+(?:codes?\s+(?:to|for)\s+)?the\s+following\b[^:?]{0,80}?"
    rf"\b(?:{_ICD10}|diagnos[ei]s|conditions?)\b[^:?]{{0,80}}:\s*(?P<what>[^?.;:!]+)",
    re.IGNORECASE,
)


# The code set said after the condition: "What is the code for retained placenta in
# ICD-10-CM?" (not "how do I code sepsis in ICD-10-CM?", which asks how, and an entry answers)
_CODED_IN = re.compile(
    r"\bwhat\s+(?:is\s+the\s+(?:correct\s+|right\s+|proper\s+)?code|code\s+(?:is\s+used\s+|do\s+(?:i|we)\s+use\s+)?)"
    rf"\s*for\s+(?P<what>[^?.;:!]+?)\s+(?:in|with|using|under)\s+(?:the\s+)?{_ICD10}\b",
    re.IGNORECASE,
)


# The code asked for a patient's diagnosis: "What code is assigned for a patient diagnosed with
# type 2 diabetes mellitus without complications?" (a diagnosis names a condition, whatever
# code set the question leaves unsaid; a CPT or HCPCS code asked for is a service's)
_DIAGNOSED = re.compile(
    r"\b(?:what|which)\s+(?:(?!cpt\b|hcpcs\b|procedure\b|level\b)[a-z0-9-]+\s+){0,3}?codes?\b"
    r"[^?.;:!]{0,60}?"
    r"\b(?:diagnosed\s+with|(?:a|the)\s+diagnosis\s+of)\s+(?P<what>[^?.;:!]+)",
    re.IGNORECASE,
)


# "What is the code for hypertension?": a code asked for, its code set left unsaid. What it
# names is a condition only when a diagnosis code's description names it exactly (see
# :func:`names_exactly`): "the code for a flu shot" names a service, which no description does.
_PLAIN = re.compile(
    r"\b(?:what|which)\s+(?:of\s+the\s+following\s+)?(?:is|are)\s+(?:the\s+)?"
    r"(?:correct\s+|right\s+|proper\s+)?codes?"
    r"\s+(?:for|of)\s+(?P<what>[^?.;:!]+)",
    re.IGNORECASE,
)


# The condition named before the code set, the whole question no more than that: "What is the
# generalized anxiety disorder ICD 10 code?", "hyperlipidemia icd-10 code".
_NAMED_BEFORE = re.compile(
    r"^\W*(?:(?:what|which)(?:'s|\s+is|\s+are)\s+(?:the\s+)?)?(?P<what>[a-z][^?.;:!]*?)\s+"
    rf"(?:{_ICD10}|diagnosis|dx)\s+(?:diagnosis\s+)?codes?\W*$",
    re.IGNORECASE,
)


def asked_plainly(text: str) -> str | None:
    """The words a question asks "the code for", no code set named or the condition named
    before it (folded), or None: a condition only if a diagnosis code's description names
    them exactly, which the caller checks."""
    folded = _PARENTHESES.sub(" ", fold(text))
    m = _PLAIN.search(folded) or _NAMED_BEFORE.search(folded)
    what = m.group("what").strip(" ,\"'") if m else ""
    return what if what and len(_WORD.findall(what)) <= MAX_TERMS else None


def names_before(text: str) -> bool:
    """Whether the question is a condition's name and the code set after it, nothing more
    ("hyperlipidemia icd-10 code"): it asks for that code, whatever entry speaks of the code
    set."""
    return _NAMED_BEFORE.search(_PARENTHESES.sub(" ", fold(text))) is not None


def asked_for(text: str) -> str | None:
    """The condition a question asks the ICD-10-CM code of (folded), or None. What stands in
    brackets is left out: "the ICD-10 (International Classification of Diseases) code for"."""
    folded = _PARENTHESES.sub(" ", fold(text))
    m = (
        _ASKED.search(folded)
        or _LISTED.search(folded)
        or _CODED_IN.search(folded)
        or _DIAGNOSED.search(folded)
        or (_ASKED_SHORT.search(folded) if len(folded.split()) <= SHORT_ASK else None)
    )
    if m is None:
        return None
    what = m.group("what").strip(" ,\"'")
    if _POINTS_BACK.match(what):
        return None  # "the codes for this encounter": the case told before, not a condition
    return what or None


def asked_only(text: str) -> str | None:
    """The condition (folded) when the question is nothing but a look-up, "What is the ICD-10
    code for gum disease?", or None: a question that says more asks more than a code."""
    m = _ONLY.match(_PARENTHESES.sub(" ", fold(text)))
    return m.group("what").strip() if m else None


_ONLY = re.compile(
    r"^\W*(?:(?:what|which)(?:'s|\s+is|\s+are)?\s+(?:the\s+)?)?"
    rf"(?:{_ICD10}|diagnosis)\s+(?:diagnosis\s+)?codes?\s+(?:for|of)\s+"
    r"(?P<what>[^?.;:!]+?)\W*$",
    re.IGNORECASE,
)


# Words that point back to a case told before the question ("this encounter", "that visit",
# "these diagnoses", "her condition"): no condition's name.
_POINTS_BACK = re.compile(rf"(?:the\s+)?(?:{POINTING_WORDS})\b")


def names_exactly(what: str, description: str) -> bool:
    """Whether a description says what was asked, word for word (in any order, articles and
    brackets aside), or that and only the words of a default code: "type 2 diabetes mellitus
    without complications" is E11.9's, and "low back pain", said and no more, is "Low back
    pain, unspecified" (M54.50), never "Other low back pain"."""
    asked = _said(what)
    said = _said(description)
    return bool(asked) and asked <= said and not (said - asked - DEFAULT_WORDS)


def names_wholly(what: str, description: str) -> bool:
    """Whether what was asked is a description word for word, with nothing left out, not even
    a default code's words ("type 2 diabetes mellitus without complications" is E11.9's):
    the look-up itself, which no entry says better."""
    said = _said(description)
    return bool(said) and _said(what) == said


# Words of the code a record gets when it says no more than the condition's name ("low back
# pain": "Low back pain, unspecified"; "urinary tract infection": "..., site not specified";
# "asthma": "Unspecified asthma, uncomplicated"; an injury's first 7th character, "initial
# encounter", before "subsequent encounter" and "sequela"; a fracture not said to be open or
# nondisplaced is coded closed and displaced, by the Official Guidelines): they cost nothing
# when codes are ordered, nor do function words ("for"), while "other" (a type the record
# names) counts as any word the question did not say (the search itself reads it as a
# function word).
DEFAULT_WORDS = frozenset(
    stem(w)
    for w in (
        "unspecified unspecific specified not site organism nos uncomplicated"
        " initial encounter closed displaced"
    ).split()
)
_FUNCTION_STEMS = frozenset(stem(w) for w in FUNCTION_WORDS) - {stem("other")}
# "Zoster without complications" (B02.9) is what "zoster" names and no more, as "uncomplicated" is
_WITHOUT_COMPLICATIONS = re.compile(r"\bwithout\s+complications?\b", re.IGNORECASE)
DEFAULT_REACH = 0.06  # codes this close to the best by their words are ordered by defaults


def by_default(what: str, found: list[tuple[Hit, str]]) -> list[tuple[Hit, str]]:
    """Codes found for ``what`` (each with its description), those within DEFAULT_REACH of
    the best ordered by the words their descriptions add beyond what was asked, the words of
    a default code ("unspecified") aside and "other" counted: a condition named and no more is
    coded to its unspecified code (``M54.50``, not ``M54.59`` "Other low back pain")."""
    if not found:
        return found
    asked = _said(what)
    written = set(_WORD.findall(fold(what))) - FUNCTION_WORDS
    top = found[0][0].score

    def extra(description: str) -> tuple[int, int]:
        # (of two that add as many, the one with the words as written first: "immunization"
        # is no "Immune ...", though the stemmer reads both as one)
        words = _said(_WITHOUT_COMPLICATIONS.sub(" ", description))
        as_written = set(_WORD.findall(fold(description)))
        return len(words - asked - DEFAULT_WORDS - _FUNCTION_STEMS), -len(written & as_written)

    near = [f for f in found if f[0].score >= top - DEFAULT_REACH]
    rest = [f for f in found if f[0].score < top - DEFAULT_REACH]
    return sorted(near, key=lambda f: extra(f[1])) + rest


def _said(text: str) -> set[str]:
    """The stems of a text's words, articles and what stands in brackets aside."""
    words = _WORD.findall(_PARENTHESES.sub(" ", fold(text)))
    return {stem(w) for w in words if w not in _ARTICLES}


# "a patient with ...", "a 45-year-old woman who has ...": who has the condition, not its name.
_WHO_HAS = re.compile(
    r"^(?:(?:a|an|the|my|our|his|her)\s+)?(?:\d+[- ]year[- ]old\s+)?"
    r"(?:patient|pt|person|man|woman|child|adult|infant|baby|male|female|boy|girl)s?\s+"
    r"(?:with|who\s+has|who\s+have|having|diagnosed\s+with)\s+"
)


def narrower(what: str) -> list[str]:
    """``what``, then what follows each "of" or "for" in it (or a leading "a patient with"),
    then what comes before an "in" or a "for a (the, my...)": "documentation of lapsed
    immunization status" is looked up as itself, then as "lapsed immunization status"; "vitamin
    d deficiency in medical billing" and "vitamin d deficiency for a medicare patient" as
    "vitamin d deficiency"; "a patient with prediabetes" as "prediabetes"."""
    tails = [m.end() for m in re.finditer(r"\b(?:of|for)\s+", what)]
    if who := _WHO_HAS.match(what):
        tails.insert(0, who.end())
    # ("for a Medicare patient" qualifies; "screening for colon cancer" names what is screened)
    heads = [
        m.start() for m in re.finditer(r"\s+(?:in|for\s+(?:a|an|the|my|our|his|her))\s+", what)
    ]
    return [
        what,
        *(what[end:] for end in tails if what[end:].strip()),
        *(what[:start] for start in reversed(heads) if what[:start].strip()),
    ]


def loosened(words: str) -> str | None:
    """``words`` without the one that the most descriptions have, for a name of three words or
    more that finds nothing as it is: "routine eye exam" is looked up as "eye exam" (most
    encounter codes say nothing of routine). None for shorter names or without a words file."""
    found = _get()
    said = [w for w in _WORD.findall(fold(words)) if w not in FUNCTION_WORDS]
    if found is None or len(said) < LOOSEN_FROM:
        return None
    try:
        # (by the descriptions alone: the notes written above many codes, "knee" in those
        # of a whole category, say nothing of how common a word is in the names)
        counts = [len(found._matches(stem(w), also=False)) for w in said]
    except (OSError, ValueError):
        return None
    drop = counts.index(max(counts))
    return " ".join(w for i, w in enumerate(said) if i != drop)


# A prefix the code set writes joined to its word ("Prediabetes", "Postprocedural"), which
# people often write with a hyphen ("pre-diabetes"); the hyphenated form ("pre" and
# "diabetes") finds other codes first ("pre-existing diabetes").
_PREFIXED = re.compile(r"\b(pre|post|non|anti|hyper|hypo|peri|intra|sub)-(?=[a-z])")


def _joined(name: str) -> str:
    """``name`` with each hyphenated prefix joined to its word: tried first."""
    return _PREFIXED.sub(r"\1", name)


def names_to_try(what: str) -> Iterator[str]:
    """The names a condition is looked up by, in order, each once: :func:`narrower`'s (each
    first with its hyphenated prefixes joined, as the code set writes them), then each of them
    :func:`loosened` ("routine eye exam in medical billing", "routine eye exam",
    then "eye exam"). Lazily: the first that finds codes ends the look-up."""
    narrow = list(dict.fromkeys(n for name in narrower(what) for n in (_joined(name), name)))
    yield from narrow
    tried = set(narrow)
    for name in narrow:
        loose = loosened(name)
        if loose and loose not in tried:
            tried.add(loose)
            yield loose


def terms(text: str) -> list[str]:
    """The stems of a text's words, function words left out, each once, in order."""
    out: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if word not in FUNCTION_WORDS:
            out[stem(word)] = None
    return list(out)


@dataclass(frozen=True)
class Hit:
    code: str  # with its dot
    score: float  # 0-1


class Words:
    """A words file, read whole on first use (2.5 MB); postings are decoded as a search needs
    them."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with open(self.path, "rb") as f:
            if f.readline() != MAGIC:
                raise ValueError(f"{self.path} is not an ICD-10-CM words file of this format")
            header = json.loads(f.readline())
            self._postings_blob = f.read()
        self.release: str = header["release"]
        self._codes: list[str] = header["codes"]
        self._lengths: list[int] = header["lengths"]
        self._where: dict[str, tuple[int, int]] = {t: (o, n) for t, o, n in header["terms"]}
        self._sorted = sorted(self._where)

    def _postings(self, term: str) -> list[int]:
        where = self._where.get(term)
        if where is None:
            return []
        offset, length = where
        data = self._postings_blob[offset : offset + length].decode("ascii")
        out, at = [], 0
        for step in data.split(","):
            at += int(step)
            out.append(at)
        return out

    def _matches(self, term: str, also: bool = True) -> dict[int, float]:
        """Code positions whose words include ``term`` (1.0) or a longer stem it starts (less);
        with ``also``, those whose inclusion terms do (less still)."""
        found: dict[int, float] = {}
        for mark, weight in (("", 1.0), (ALSO, ALSO_WEIGHT))[: 2 if also else 1]:
            key = mark + term
            for pos in self._postings(key):
                found.setdefault(pos, weight)
            if len(term) >= PREFIX_MIN and term.isalpha():
                i = bisect.bisect_right(self._sorted, key)
                while i < len(self._sorted) and self._sorted[i].startswith(key):
                    for pos in self._postings(self._sorted[i]):
                        found.setdefault(pos, weight * PREFIX_WEIGHT)
                    i += 1
        return found

    def search(self, words: str, limit: int = 5) -> list[Hit]:
        """Codes whose description (or inclusion terms) say what ``words`` say, best first."""
        asked = terms(words)[: MAX_TERMS + 1]
        if not asked or len(asked) > MAX_TERMS:
            return []
        total = len(self._codes)
        matches = [self._matches(t) for t in asked]
        weights = [math.log(1 + total / (1 + len(m))) for m in matches]
        full = sum(weights)
        scores: dict[int, float] = {}
        for found, weight in zip(matches, weights, strict=True):
            for pos, strength in found.items():
                scores[pos] = scores.get(pos, 0.0) + weight * strength
        ranked = []
        for pos, got in scores.items():
            coverage = got / full
            if coverage < MIN_COVERAGE:
                continue
            extra = max(0, self._lengths[pos] - len(asked))
            code = self._codes[pos]
            setting = SETTING_PENALTY if code[0] in SETTING_CHAPTERS else 0.0
            ranked.append((round(coverage - EXTRA_WORDS_PENALTY * extra - setting, 2), code))
        # among equals, the less specific code first (I10 before I15.0, E11.9 before E11.21)
        ranked.sort(key=lambda r: (-r[0], len(r[1]), r[1]))
        return [Hit(code, max(0.0, score)) for score, code in ranked[:limit]]


_lock = threading.Lock()
_words: Words | None = None
_path: Path | None = DEFAULT_PATH
_problem: str | None = None


def _get() -> Words | None:
    global _words, _problem
    if _words is None and _path is not None and _problem is None:
        with _lock:
            if _words is None and _problem is None:
                try:
                    _words = Words(_path)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    _problem = str(exc)
    return _words


def use(path: Path | str | None) -> None:
    """Search the words file at ``path`` (None: no search). For tests and tools."""
    global _words, _path, _problem
    with _lock:
        _words, _problem = None, None
        _path = Path(path) if path is not None else None


def search(words: str, limit: int = 5) -> list[Hit]:
    """Codes valid on a claim whose descriptions match ``words``; [] without a words file."""
    found = _get()
    if found is None:
        return []
    try:
        return found.search(words, limit)
    except (OSError, ValueError):
        return []  # a damaged file finds nothing; look-ups by code are not affected


# --- building (needs simple-icd-10-cm) -------------------------------------------------------


def up_to_date(path: str | Path) -> bool:
    """Whether ``path`` holds the words of the release simple-icd-10-cm carries."""
    from assistant.codes import icd_index

    try:
        return Words(Path(path)).release == icd_index.source_release()
    except (OSError, ValueError, KeyError, TypeError):
        return False


def build(path: str | Path) -> dict[str, int]:
    """Write the words file of the code set simple-icd-10-cm carries; returns counts."""
    import simple_icd_10_cm as cm

    from assistant.codes import icd_index

    codes: list[str] = []
    lengths: list[int] = []
    postings: dict[str, list[int]] = {}
    seen_codes: set[str] = set()
    for code in cm.get_all_codes(True):
        # chapters ("1"), blocks ("A00-A09") and categories not billable as written are left
        # out; a block of one category is listed under the category's name, before it (B20)
        if "-" in code or len(code) < 3 or code in seen_codes or not cm.is_leaf(code):
            continue
        seen_codes.add(code)
        pos = len(codes)
        codes.append(code)
        description = cm.get_description(code)
        # its words beside the nonessential modifiers (in parentheses): "Essential (primary)
        # hypertension" is two words more or less than what was asked
        lengths.append(len(terms(_PARENTHESES.sub(" ", description))))
        said = set(terms(description))
        for t in said:
            postings.setdefault(t, []).append(pos)
        # inclusion terms and "includes" notes name it too ("High blood pressure" under I10),
        # kept apart: a code named by its own description comes first. Those of the codes
        # above it hold for it as well ("Frozen shoulder" is written under M75.0, "shingles"
        # under B02); a block's or chapter's notes are too broad to name one condition.
        other: set[str] = set()
        for named in (code, *(a for a in cm.get_ancestors(code) if "-" not in a and len(a) >= 3)):
            for phrase in (*cm.get_inclusion_term(named), *cm.get_includes(named)):
                other.update(terms(phrase))
        for t in other - said:
            postings.setdefault(ALSO + t, []).append(pos)
    blob = bytearray()
    directory = []
    for t in sorted(postings):
        previous, steps = 0, []
        for pos in postings[t]:
            steps.append(str(pos - previous))
            previous = pos
        data = ",".join(steps).encode("ascii")
        directory.append((t, len(blob), len(data)))
        blob += data
    header = json.dumps(
        {
            "release": icd_index.source_release(),
            "codes": codes,
            "lengths": lengths,
            "terms": directory,
        },
        separators=(",", ":"),
    ).encode("ascii")
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(MAGIC + header + b"\n" + bytes(blob))
    tmp.replace(path)
    return {"codes": len(codes), "terms": len(directory), "bytes": path.stat().st_size}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    counts = build(target)
    print(
        f"{target}: {counts['codes']:,} codes, {counts['terms']:,} stems, {counts['bytes']:,} bytes"
    )
