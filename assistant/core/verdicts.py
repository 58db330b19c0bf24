"""Yes/no questions an entry decides, matched against the question asked.

An entry may list, under ``### Verdicts``, yes/no questions its facts decide, each with its
answer and the reason ("Can rule-out diagnoses be coded for an outpatient visit? -> No: code the
signs and symptoms."). When a yes/no question is answered by that entry and asks what one of
those verdicts asks, the answer starts with the verdict ("No. ..."), so that a yes/no question
gets its "Yes" or "No" first.

A verdict is used only when the two questions ask the same thing:

- every concept the question names is the verdict's, or below one of the verdict's in the
  concept tree ("critical care" is an E/M service, so a verdict on E/M codes decides it); a
  question that names none is matched on its words alone;
- nearly all of the question's words (weighted by how rare each is in the knowledge base) are
  the verdict's words, words of those concepts, codes (which imply their concepts) or words
  too common to tell entries apart;
- a fair share of the verdict's own distinctive words are in the question;
- both are negative or both positive ("can X be billed" and "can X not be billed" get opposite
  answers);
- the question does not say one side of a distinction the verdict speaks of the other side of
  only ("the E/M code" against "a procedure code": the lexicon's opposites).

Otherwise no verdict is given and the entry answers as it is: a wrong "Yes" costs more than none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from assistant.core.kb import Entry, Verdict
from assistant.core.lexicon import Lexicon, Term
from assistant.core.text import FUNCTION_WORDS, questions, sentences
from assistant.core.understand import (
    ASKS_WHETHER,
    TAG_WORDS,
    Reading,
    opens_yes_no,
    read_question,
)

COVERS_QUESTION = 0.75  # share of the question's words the verdict accounts for
SAYS_OF_IT = 0.5  # share of what a verdict says of a broader concept a narrower question says
COVERS_VERDICT = 2 / 3  # share of the verdict's own words found in the question
# A verdict's share of words found only just at the bar is under it when half its words or
# more are not asked about: "are J codes injectable drugs?" holds two thirds of what "Does the
# J code include giving the injection or infusion?" weighs, but not its verb (the weights of
# words move a little with every entry).
AT_THE_EDGE = 0.01
# A word of the verdict the question does not say weighs at least this much against it (an
# IDF): common verbs such as "include" or "give" weigh little by their rarity, yet they are
# what a verdict turns on, and more entries using them must not let a question without them
# ("are J codes injectable drugs?") reach the verdict's bar.
UNSAID_WEIGHT = 1.75
SAYS_IT_EXISTS = 0.5  # added to the match of an existence verdict to an existence question
COMMON = 1.0  # a word this common (IDF below) says nothing about which question it is
SAYS_SOMETHING = 0.3  # a common word this rare ("bill", "only") still says something asked
# ("without" is one: "valid without its placeholder X?" is not "is the X required?"; "not
# otherwise classified" is a name, and "non-waived" the other side of "waived".)
# A sentence that only asks whether the one before it holds ("... the following day. Right?")
_TAG_ONLY = re.compile(rf"^\W*(?:is that |is this )?{TAG_WORDS}\W*$", re.IGNORECASE)
_IF_NOT = re.compile(r"\bif\W+not\b", re.IGNORECASE)
NEGATION = re.compile(
    r"\b(?:not(?!\s+otherwise\s+(?:classified|specified))|never|cannot|no longer|without)\b"
    # ("no" before what there is none of: "when no drug is wasted", "with no ABN")
    r"|\bno\s+(?!(?:one|more|later|less|matter|doubt|longer)\b)(?=[a-z])"
    r"|n['\u2019]t\b|\bnon-?(?:billable|waived|covered|payable|reimbursable)\b",
    re.IGNORECASE,
)


# "used, added or appended", "rule-out, probable or suspected", "93320, 93321 or 93325": one
# slot of alternatives. The first item may have two words ("go on"), the others three ("be put
# on"); the last is one word after any function words ("or be appended").
_FUNCTION = "|".join(sorted((re.escape(w) for w in FUNCTION_WORDS if w.isalpha()), key=len)[::-1])
# One item of such a list: a word, a code, or a word written with a slash ("E/M", "HCPCS/CPT").
_ITEM = r"[A-Za-z0-9-]+(?:/[A-Za-z0-9-]+)*"
_ALTERNATIVES = re.compile(
    rf"\b(?:[A-Za-z-]+\s+)?{_ITEM}(?:,\s+(?:[A-Za-z-]+\s+){{0,2}}{_ITEM})*,?"
    rf"\s+or\s+(?:(?:{_FUNCTION})\s+){{0,2}}{_ITEM}\b",
    re.IGNORECASE,
)


_SAME = re.compile(r"\bsame\b", re.IGNORECASE)
_OTHER = re.compile(r"\b(?:separate|different|another|other)\b", re.IGNORECASE)
# A question whether two things are one ("Is the EOMB the same as the MSN?", "... the same
# thing?"): only a verdict that speaks of the same or of another decides it.
_IDENTITY = re.compile(
    r"\bsame\s+(?:thing\s+)?as\b|\bthe\s+same(?:\s+(?:things?|services?|codes?|forms?))?\W*$",
    re.IGNORECASE,
)


def _same_or_other(text: str) -> int:
    """1 for a text that says "same" and none of "separate", "different", "another", "other";
    -1 for the reverse; 0 for both or neither."""
    same, other = bool(_SAME.search(text)), bool(_OTHER.search(text))
    return 0 if same == other else (1 if same else -1)


@dataclass(frozen=True)
class _Read:
    verdict: Verdict
    words: frozenset[str]
    concepts: frozenset[str]
    negative: bool
    # The verdict's words in slots: alternatives it lists share one, any other word has its own.
    slots: tuple[frozenset[str], ...] = ()
    # The words with which the verdict names its concepts ("E/M" in "on an E/M code"): only
    # these may be stood for by a concept of the question below ("critical care").
    naming: frozenset[str] = frozenset()
    # The slots that are one concept name of several words ("modifiers JW"): such a slot counts
    # by the words of it the question has, not by its rarest ("modifiers" is not "JW").
    names: frozenset[frozenset[str]] = frozenset()
    # Whether the verdict asks about two things together ("billed with", "on the same day").
    together: bool = False
    # Read once from its question: "same" or "other" (1, -1, 0), "only", whether something
    # exists, and the small numbers it says.
    side: int = 0
    identity: bool = False  # it asks whether two things are one (see _IDENTITY)
    only: bool = False
    exists: bool = False
    amounts: frozenset[str] = frozenset()
    # The slots that say something of the verdict's concepts: those that are not all words of
    # their names, and its codes (what a question on a narrower concept must still say).
    said: frozenset[frozenset[str]] = frozenset()
    # The ranges of codes it names, each as its two ends ("99202", "99215").
    ranges: tuple[tuple[str, str], ...] = ()

    @property
    def paid(self) -> bool:
        """Whether the verdict asks whether something is paid or covered (see _PAID), and not
        also whether it is billed ("Can a nurse visit be charged, billed or paid ...?")."""
        question = self.verdict.question
        return bool(_PAID.search(question)) and not _BILLED.search(question)

    @property
    def per_unit(self) -> bool:
        """Whether the verdict asks about a billing unit ("Is A4253 billed per strip?")."""
        return bool(_PER.search(self.verdict.question))

    def in_range(self, code: str) -> tuple[str, str] | None:
        """The range of codes of the verdict that ``code`` (a term: "99204") is in, if any."""
        for low, high in self.ranges:
            if (
                len(code) == len(low)
                and code[0].isalpha() == low[0].isalpha()
                and (low <= code <= high)
            ):
                return low, high
        return None


# "Yes." or "**No.**" at the start of an entry's answer: the word with its punctuation ("No
# modifier is needed" is not one), and the space after it.
OWN_VERDICT = re.compile(r"^\s*\**(yes|no)(?:[.,:;!]+\**|\**[.,:;!]+)\s*", re.IGNORECASE)
# A date: "10/1/2008", "1/1/26" (each number), or a year on its own.
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b|\b((?:19|20)\d{2})\b")
# A gloss in brackets: "(increased procedural services)", "(CPT)".
_ASIDE = re.compile(r"\([^()]*\)")
# Two things asked about together: "billed with", "together", "on the same day".
_TOGETHER = re.compile(
    r"\b(?:with|together|along|both|plus|same (?:day|date|claim|visit|session|encounter))\b",
    re.IGNORECASE,
)
# "We cannot bill X unless Y": a negation that "unless" lifts says Y is required for X.
_UNLESS = re.compile(r"\bunless\b", re.IGNORECASE)
# A verdict on a billing unit ("Is A4253 billed per strip?"), and a question that asks about
# units at all ("per", "each", "units", "how many", a box of them).
_PER = re.compile(r"\bper\b", re.IGNORECASE)
_UNITS_ASKED = re.compile(r"\b(?:per|each|units?|how\s+many|box(?:es)?)\b", re.IGNORECASE)
# Whether something is paid or covered ("Does Medicare pay for deluxe frames?"): a verdict on what
# a payer it names pays decides only a question on payment, or one that names a payer, not "Is
# V2020 for frames?".
_BILLED = re.compile(r"\b(?:bill|billed|billing|charge|charged|report|reported|coded)\b", re.I)
_PAID = re.compile(
    r"\b(?:pay|pays|paid|payable|payment|reimburs\w*|cover|covers|covered|coverage)\b",
    re.IGNORECASE,
)
# (a question on whether a code exists: "Is there a code for the originating site fee?")
_A_CODE = re.compile(r"\bcodes?\b", re.IGNORECASE)
# A question on whether something exists: "Is there a CPT code for tomosynthesis?"
_EXISTS = re.compile(
    r"^\W*(?:is|are)\s+there\b|\bthat\s+there\s+(?:is|are)\b|\bexists?\b"
    r"|\b(?:have|has)\s+(?:a|an|any|its\s+own)\s+(?:[\w-]+\s+){0,3}(?:codes?|component)\b",
    re.IGNORECASE,
)
# A small number (an amount, a count, a position), not a code: "20 mL", "5 units".
_AMOUNT = re.compile(
    r"(?<![\w.-])(\d{1,3}(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|once|twice)"
    r"(?![\w-]|\.\d)"
    # ("one should report ...", "no one", "the one that ...": a pronoun, not a count)
    r"(?<!\bone(?=\s+(?:should|must|can|could|would|may|might|is|was|has|does|that|who|of)\b))"
    r"(?<!\bno one)(?<!\bthe one)",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": "1",
    "once": "1",
    "two": "2",
    "twice": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}


def _amounts(text: str) -> frozenset[str]:
    """The small numbers a text says, in digits or words ("two units", "20 mL", "once")."""
    found = (m.group(1).lower() for m in _AMOUNT.finditer(text))
    return frozenset(_NUMBER_WORDS.get(n, n) for n in found)


# A code in a verdict ("Does 81025 need modifier QW?") is what the verdict decides about, not a
# name of the concept it falls under: a narrower question must name it ("a COVID test").
_CODE_TERM = re.compile(r"\d{5}|\d{4}[ftum]|[a-z]\d{4}")
# A range of codes a verdict names ("office visit codes 99202-99215", "G0380 through G0384"):
# the codes between its ends are named too.
_RANGE = re.compile(r"\b(\d{5}|[a-v]\d{4})\s*(?:-|\u2013|to|through)\s*(\d{5}|[a-v]\d{4})\b", re.I)
# "Is HCPCS used only for Medicare?" is not "Is HCPCS used for Medicare?": function words to
# the matcher, but a restriction the verdict's answer turns on.
_ONLY = re.compile(
    r"(?<!\bor )\b(?:only|solely|exclusively|just(?= (?:for|used for|applied to|apply to)\b))\b",
    re.IGNORECASE,
)
# A last sentence that only offers the other side ("Or would you not charge these visits?", "If
# not, how should I code it?"): the question is the sentence before it.
_OR_ELSE = re.compile(r"\s*(?:or\b|if\W+(?:not|no)\b)", re.IGNORECASE)
# "... yes or no?" is the question's form, not what it asks.
# Words of a question's form, not of what it asks ("yes or no", "... or other payers too?")
_FORM_WORDS = frozenset({"yes", "no", "too"})


def _slots(
    lexicon: Lexicon, question: str, keys: Iterable[str], named: Collection[str] = ()
) -> tuple[tuple[frozenset[str], ...], frozenset[frozenset[str]]]:
    """The words of a verdict's question in slots: the items of each "X, Y or Z" list share
    one slot (the question asked needs one of them), every other word has its own. Words the
    first item carries before its last ("HCPCS used, meant or required") are no alternatives:
    each is a slot of its own, and those that are words of the verdict's concepts' names
    (``named``) are also returned apart (the second value), so that no name takes them in."""
    slots: list[frozenset[str]] = []
    optional: set[frozenset[str]] = set()
    grouped: set[str] = set()
    for m in _ALTERNATIVES.finditer(question):
        items = re.split(r",\s*|\s+or\s+", m.group(0))
        first = [t.term for t in lexicon.terms(items[0])]
        last = [t.term for t in lexicon.terms(items[-1])][:1]  # "be appended": appended
        slot = (
            frozenset(first[-1:])
            | frozenset(t.term for item in items[1:-1] for t in lexicon.terms(item))
            | frozenset(last)
        )
        if len(slot) > 1:
            slots.append(slot)
            grouped |= slot
            for lead in first[:-1]:
                if lead not in slot and lead in named:
                    optional.add(frozenset({lead}))
                    grouped.add(lead)
    slots += [frozenset({k}) for k in dict.fromkeys(keys) if k not in grouped]
    return tuple(slots) + tuple(optional), frozenset(optional)


# A code and what it is, said beside it ("Can 69209, removal of impacted cerumen by irrigation
# or lavage, be performed ...?", "Is 90853 (group psychotherapy) an add-on code?").
_DESCRIBED = re.compile(
    r"\b(?P<code>[A-Za-z]\d{4}|\d{4}[0-9FTUftu])\b(?:,\s+(?P<said>[A-Za-z][^,?()\d]*?),"
    r"(?=\s+(?:be|is|are|was|were|billed|reported|coded|used|performed|done|paid|covered"
    r"|requires?|needs?|includes?|included)\b)|\s+\((?P<glossed>[A-Za-z][^()\d]*)\))"
)


# A kind of thing and its examples ("clinical staff such as a nurse or medical assistant").
# (an example is a word or two, and ends before a preposition, a verb "be" or a conjunction)
_STOP = "with|for|when|on|in|to|after|before|by|from|at|of|if|that|which|be|is|are|or|and"
_WORD = rf"(?!(?:{_STOP})\b)[\w'&/-]+"
_EXAMPLE = rf"(?:(?:an?|the)\s+)?{_WORD}(?:\s+{_WORD})?"
_EXAMPLES = re.compile(
    rf"(?P<kind>(?:[\w'-]+\s+)?[\w'-]+)\s+such\s+as\s+"
    rf"(?P<examples>{_EXAMPLE}(?:(?:\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+){_EXAMPLE})*)",
    re.IGNORECASE,
)


# Words and their short form in brackets ("a medical assistant (MA)").
_SHORT_FORM = re.compile(r"(?P<before>(?:[A-Za-z][\w'-]*\s+){1,5})\((?P<short>[A-Za-z]{2,5})\)")


def _described(
    lexicon: Lexicon, question: str, slots: tuple[frozenset[str], ...]
) -> tuple[frozenset[str], ...]:
    """The slots with a code and the words that say what it is in one slot, and a kind of thing
    and its examples in one: a question that names the code names what it is, and one that
    says what it is names the code; one that names an example names the kind (so neither
    leaves those words of the verdict unasked)."""
    joins = [
        {t.term for t in lexicon.terms(m.group("said") or m.group("glossed"))}
        | {m.group("code").lower()}
        for m in _DESCRIBED.finditer(question)
    ] + [
        {t.term for t in lexicon.terms(f"{m.group('kind')} {m.group('examples')}")}
        for m in _EXAMPLES.finditer(question)
    ]
    for m in _SHORT_FORM.finditer(question):
        # "medical assistant (MA)": the initials of the words before it
        short, before = m.group("short"), m.group("before").split()
        named = before[-len(short) :]
        if len(named) == len(short) and "".join(w[0] for w in named).lower() == short.lower():
            joins.append({t.term for t in lexicon.terms(" ".join((*named, short)))})
    made: set[frozenset[str]] = set()  # (a slot joined already joins again where it overlaps)
    for joined in joins:
        taken = [slot for slot in slots if slot <= joined or (slot in made and slot & joined)]
        if not taken:
            continue
        new = frozenset().union(*taken)
        made.add(new)
        slots = (*(slot for slot in slots if slot not in taken), new)
    return slots


def _name_groups(lexicon: Lexicon, terms: Sequence[Term]) -> dict[str, int]:
    """The words of each concept name of several words in ``terms`` ("good faith estimate"),
    each mapped to its name's number, so that a name can count once."""
    out: dict[str, int] = {}
    for n, f in enumerate(lexicon.find_concepts(list(terms))):
        if f.end - f.start >= 2:
            for t in terms[f.start : f.end]:
                out.setdefault(t.term, n)
    return out


def _names_once(
    lexicon: Lexicon,
    terms: Sequence[Term],
    slots: tuple[frozenset[str], ...],
    optional: Collection[frozenset[str]],
) -> tuple[frozenset[str], ...]:
    """The slots with the words of each concept name of several words in one slot ("modifier
    25", "good faith estimate"): a name counts once, as it does in the question asked, so that
    it does not outweigh the words the verdict turns on."""
    name_of = _name_groups(lexicon, terms)
    if not name_of:
        return slots
    kept: list[frozenset[str]] = []
    merged: dict[int, set[str]] = {}
    for slot in slots:
        word = next(iter(slot))
        if len(slot) == 1 and slot not in optional and word in name_of:
            merged.setdefault(name_of[word], set()).add(word)
        else:
            kept.append(slot)
    return (*kept, *(frozenset(words) for words in merged.values()))


def _weighed(
    asked: Iterable[str],
    held: Collection[str],
    weight: Callable[[str], float],
    names: Mapping[str, int],
    partly: bool = False,
) -> tuple[float, float]:
    """The weight of the words asked, and of those among them the verdict holds, each concept
    name of several words (``names``) counting once, by its rarest word; with ``partly`` (the
    verdict says a name with a word of its own), a name counts as far as its words are held."""
    total: dict[object, float] = {}
    found: dict[object, float] = {}
    # (a name's share of its words that the verdict holds, by weight: "diabetic eye exam" is
    # not held by a verdict on a "routine eye exam", though its rarest word "eye" is)
    whole: dict[object, float] = {}
    part: dict[object, float] = {}
    for w in asked:
        unit = ("name", names[w]) if w in names else w
        total[unit] = max(total.get(unit, 0.0), weight(w))
        whole[unit] = whole.get(unit, 0.0) + weight(w)
        if w in held:
            found[unit] = max(found.get(unit, 0.0), weight(w))
            part[unit] = part.get(unit, 0.0) + weight(w)
    return sum(total.values()), sum(
        total[u] * part[u] / whole[u] if partly and isinstance(u, tuple) and whole[u] else f
        for u, f in found.items()
    )


def _prefixed_unasked(
    said: AbstractSet[str], present: AbstractSet[str], prefixes: AbstractSet[str]
) -> bool:
    """Whether the verdict says a word the question does not, made of a word the question does
    say with one of the lexicon's prefixes before it ("prediabetes", "diabetes"; "postoperative",
    "operative"); a word joined in front is no prefix ("eyeglasses" are glasses)."""
    asked = [w for w in present if len(w) >= 4 and w.isalpha()]
    return any(
        w not in present and any(w.endswith(a) and w[: -len(a)] in prefixes for a in asked)
        for w in said
        if w.isalpha()
    )


def _telling(word: str, weight: Callable[[str], float]) -> bool:
    """A word that says which question it is: a rare one, or any number ("90 days", "76")."""
    return weight(word) >= COMMON or any(ch.isdigit() for ch in word)


@dataclass(frozen=True)
class _Asked:
    """The question's side of matching verdicts (see Verdicts._asked)."""

    words: frozenset[str]  # the question's words
    own: frozenset[str]  # the words of the sentence that asks
    dates: frozenset[str]  # words said only in a date or a bracket's gloss
    negative: bool
    names: Mapping[str, int]
    together: bool  # a billing question on two things together ("bill 99214 with ...")
    restricted: bool = False  # the sentence that asks says "only" ("used only for Medicare?")
    exists: bool = False  # it asks whether something exists ("is there a code for ...?")
    amounts: frozenset[str] = frozenset()  # the small numbers it says ("two units", "20 mL")
    identity: bool = False  # it asks whether two things are one (see _IDENTITY)
    code_exists: bool = False  # it asks whether a code exists ("is there a code for ...?")
    units: bool = False  # it speaks of billing units ("per", "each", "units", "how many")
    paid: bool = False  # it speaks of payment or coverage, or names a payer (see _PAID)


class Verdicts:
    """The verdicts of a knowledge base's entries, read once (stored with the index)."""

    def __init__(self, entries: Iterable[Entry], lexicon: Lexicon):
        self._lexicon = lexicon
        self._by_entry: dict[str, tuple[_Read, ...]] = {}
        # An answer that starts with "Yes."/"No." answers the entry's own title question.
        self._own: dict[str, _Read] = {}
        self._last: tuple[Reading, _Asked] | None = None
        # Each verdict's slots that tell questions apart, and their weight: the same for every
        # question (the weights are the knowledge base's), so worked out once per verdict.
        self._telling_slots: dict[int, tuple[list[frozenset[str]], list[float]]] = {}
        # The verdicts whose own question is out of scope as asked ("Does Medicare cover
        # 99397?"): rules on coverage itself, the same for everyone (see ``on_scope``).
        self._scoped: set[Verdict] = set()
        for entry in entries:
            reads = [self._read(v) for v in entry.verdicts]
            if reads:
                self._by_entry[entry.id] = tuple(reads)
            lead = OWN_VERDICT.match(entry.answer)
            if lead and entry.title.rstrip().endswith("?"):
                own = Verdict(entry.title, lead.group(1).lower() == "yes", "(the entry's answer)")
                self._own[entry.id] = self._read(own)

    def _payer(self, concept: str) -> bool:
        """Whether a concept is a payer itself (Medicare, Medicaid), not a topic under one."""
        return self._lexicon.ancestors(concept)[:1] == ("payer",) and concept != "payer-edits"

    def on_scope(self, verdict: Verdict) -> bool:
        """Whether a verdict's own question is one an out-of-scope rule speaks of (coverage):
        such a verdict states that rule, read once when the index is built."""
        return verdict in self._scoped

    def _read(self, v: Verdict) -> _Read:
        lexicon = self._lexicon
        reading = read_question(lexicon, v.question, keep_glosses=True)
        if reading.scope is not None:
            self._scoped.add(v)
        terms = lexicon.terms(v.question)
        naming = frozenset(
            terms[i].term for f in lexicon.find_concepts(terms) for i in range(f.start, f.end)
        )
        slots, optional = _slots(
            lexicon,
            v.question,
            reading.keys,
            set().union(*(lexicon.terms_of(c) for c in reading.concepts)),
        )
        before = set(slots)
        slots = _described(lexicon, v.question, _names_once(lexicon, terms, slots, optional))
        concepts = frozenset(reading.concepts)
        if not any(self._payer(c) for c in concepts):
            # A verdict whose reason gives one payer's rule ("-> No: Medicare treats neurology
            # and neurosurgery as separate specialties") decides the question asked of that
            # payer too ("... the same specialty by Medicare ...?"), not of another payer.
            said = {f.concept for f in lexicon.find_concepts(lexicon.terms(v.reason))}
            payers = {c for c in said if self._payer(c)}
            if len(payers) == 1:
                concepts |= payers
        return _Read(
            v,
            frozenset(reading.keys),
            concepts,
            bool(NEGATION.search(v.question)),
            slots,
            naming,
            frozenset(slot for slot in slots if slot not in before),
            bool(_TOGETHER.search(v.question)),
            _same_or_other(v.question),
            bool(_IDENTITY.search(v.question)),
            bool(_ONLY.search(v.question)),
            bool(_EXISTS.search(v.question)),
            _amounts(v.question),
            frozenset(
                slot
                for slot in slots
                if not slot <= naming or any(_CODE_TERM.fullmatch(w) for w in slot)
            ),
            tuple(
                (low.lower(), high.lower())
                for low, high in _RANGE.findall(v.question)
                if low[0].isalpha() == high[0].isalpha() and low.lower() < high.lower()
            ),
        )

    def answers_own(
        self,
        reading: Reading,
        entry_id: str,
        weight: Callable[[str], float],
        implied: Mapping[str, Sequence[str]] | None = None,
    ) -> bool:
        """Whether the question asks what the entry's own title asks, so that the "Yes." or
        "No." its answer starts with answers it ("Is CPT part of HCPCS?" - "Yes."). For any other
        question that first word is taken off: it would answer a question not asked."""
        own = self._own.get(entry_id)
        return own is not None and self._match(reading, (own,), weight, implied) is not None

    def count(self) -> int:
        return sum(len(v) for v in self._by_entry.values())

    def decide(
        self,
        reading: Reading,
        entry_id: str,
        weight: Callable[[str], float],
        implied: Mapping[str, Sequence[str]] | None = None,
        share: float = COVERS_VERDICT,
    ) -> Verdict | None:
        """The verdict of ``entry_id`` that the yes/no question ``reading`` asks, if any.
        ``weight`` says how much a word tells entries apart (its IDF); ``implied`` maps each
        code of the question (as a term: "99213") to the concepts it implies (office visits),
        which the reading's concepts include; ``share`` is the share of the verdict's own words
        the question must have (more for an entry that is not the best one)."""
        return self._match(reading, self._by_entry.get(entry_id, ()), weight, implied, share)

    def _match(
        self,
        reading: Reading,
        candidates: Sequence[_Read],
        weight: Callable[[str], float],
        implied: Mapping[str, Sequence[str]] | None,
        share: float = COVERS_VERDICT,
    ) -> Verdict | None:
        # (a statement to judge true or false is a yes/no question; other pasted options are
        # what an entry chooses between, not a verdict)
        if not candidates or not reading.yes_no or (reading.choices and not reading.true_false):
            return None
        if reading.several_claims:
            # (a verdict decides one claim; a statement of several is not judged by one of
            # them, and a wrong True costs more than none)
            return None
        implied = implied or {}
        q = self._asked(reading)
        # "... Is that correct?": when the last sentence alone matches no verdict, the
        # sentences before it may say what is asked (the whole text is matched then).
        for asked in (q.own, q.words) if q.own != q.words else (q.own,):
            found = self._match_words(reading, candidates, weight, implied, q, asked, share)
            if found is not None:
                return found
        return None

    def _asked(self, reading: Reading) -> _Asked:
        """What a question asks, as verdicts are matched against it: the same for every entry
        tried, so worked out once for the reading (the last one is kept)."""
        last = self._last
        if last is not None and last[0] is reading:
            return last[1]
        text = reading.stem or reading.text
        # After sentences that set the scene, the last one asks ("Our system does not have the
        # new codes yet. Can I still use the old codes?"): its words are what the verdict must
        # account for and its form is the question's, while the verdict's own words may be
        # found anywhere.
        said = sentences(text)
        # (a last sentence that opens as a yes/no question asks, its mark left out or not:
        # "I am developing a product with CPT codes. Do I need permission from the AMA")
        # (and a statement to judge is its last sentence, after the scene: "I work in a small
        # practice. A code that needs a 7th character is invalid without it. True or false?")
        asks_last = (
            text.rstrip().endswith("?")
            or (reading.yes_no and opens_yes_no(said[-1]))
            or reading.true_false
        )
        question = said[-1] if len(said) > 1 and asks_last else text
        if len(said) > 1 and _OR_ELSE.match(said[-1]):
            # "Can we use 99211 for them? Or would you not charge these visits?": the sentence
            # that offers the other side leaves the question to the one before it.
            said = said[:-1]
            question = said[-1]
        if question is text and len(said) > 1:
            # "Should we bill both ...? Our gastroenterologist examined the patient early ...":
            # the one sentence that asks, wherever it stands, is the question.
            asking = questions(said)
            if not asking and "?" not in text:
                # "Does CMS require an exam for 99238. The physician decides ...": no mark
                # anywhere, the one sentence that opens as a yes/no question asks
                asking = [s for s in said if opens_yes_no(s)]
            if len(asking) == 1:
                question = asking[0]
        # ("... would 99291 be coded once? If not, how?": "if not" offers the other case)
        # (and a negation inside a bracket is an aside, not the question's: "If I dispense
        # only the insoles (three pairs a year, and not the shoes), are the rules the same?")
        negative = bool(NEGATION.search(_IF_NOT.sub(" ", _ASIDE.sub(" ", question))))
        words = set(reading.keys) - _FORM_WORDS
        own = words if question is text else {t.term for t in self._lexicon.terms(question)}
        if (not own - _FORM_WORDS or _TAG_ONLY.match(question)) and len(said) > 1:
            # "... he can bill the payer anyway. Is this true?": a question of no words of its
            # own asks about the sentence before it.
            question = said[-2]
            own = {t.term for t in self._lexicon.terms(question)}
            negative = bool(NEGATION.search(question))  # "X is not paid. Is that right?"
        if request := ASKS_WHETHER.match(self._lexicon.flat(question)):
            # "Please clarify whether X may be billed with Y.": the request is not what is asked
            dropped = {t.term for t in self._lexicon.terms(request.group(0))}
            own, words = own - dropped, words - dropped
        if negative and _UNLESS.search(question):
            # "... could not use modifier 25 on an E/M unless we have a new diagnosis. Is this
            # true?" asks whether a new diagnosis is required: no negation, one word more.
            negative = False
            said_not = " ".join(m.group(0) for m in NEGATION.finditer(question))
            dropped = {t.term for t in self._lexicon.terms(f"{said_not} unless")}
            required = {t.term for t in self._lexicon.terms("required")}
            own, words = (own - dropped) | required, (words - dropped) | required
        # The date something happened ("effective 10/1/2008") is not what is asked, nor what a
        # bracket glosses ("modifier 22 (increased procedural services)"): words said only
        # there need not be the verdict's.
        dates = {n for m in _DATE.finditer(text) for n in m.groups() if n}
        terms = self._lexicon.terms
        dates |= {t.term for t in terms(" ".join(_ASIDE.findall(text)))} - {
            t.term for t in terms(_ASIDE.sub(" ", text))
        }
        names = self._names(reading)
        together = "bill" in reading.intents and bool(_TOGETHER.search(text))
        restricted = bool(_ONLY.search(question))
        exists = bool(_EXISTS.search(question))
        # (numbers in a bracket, such as a code's description "hand; two views", are not
        # what is asked about)
        amounts = _amounts(_ASIDE.sub(" ", question) if "(" in question else question)
        asked = _Asked(
            frozenset(words),
            frozenset(own),
            frozenset(dates),
            negative,
            names,
            together,
            restricted,
            exists,
            amounts,
            bool(_IDENTITY.search(text)),
            exists and bool(_A_CODE.search(question)),
            bool(_UNITS_ASKED.search(text)),
            bool(_PAID.search(reading.text)) or any(self._payer(c) for c in reading.concepts),
        )
        self._last = (reading, asked)
        return asked

    def _match_words(
        self,
        reading: Reading,
        candidates: Sequence[_Read],
        weight: Callable[[str], float],
        implied: Mapping[str, Sequence[str]],
        q: _Asked,
        own: AbstractSet[str],
        share: float,
    ) -> Verdict | None:
        """The best verdict whose words account for ``own`` (the words asked, the question's
        dates aside) and are found among the question's words. A concept name of several words
        (:meth:`_names`) counts as one word."""
        words, dates, names = q.words, q.dates, q.names
        best: tuple[float, Verdict] | None = None
        side = _same_or_other(reading.stem or reading.text)
        # (the question's side of each pair of opposites, found once)
        sided = (words - dates) & self._lexicon.opposite_terms
        # (the words asked that tell questions apart, found once for every verdict tried)
        telling = [w for w in own & words if _telling(w, weight)]
        # (the modifiers the question's codes name, found once)
        modifiers = {c for cs in implied.values() for c in cs if c.startswith("modifier-")}
        # (the concepts the question holds through a code it names, found once)
        coded = frozenset(c for cs in implied.values() for c in cs)
        # A coverage question on a code that names no payer ("Is E0601 covered?") is every
        # payer's to decide: one payer's rule ("Is CPAP covered under Medicare?") does not
        # answer it. (A program's own service, "the AWV", names its payer by itself.)
        unpaid = (
            bool(implied)
            and reading.scope is not None
            and reading.scope.topic == "coverage"
            and not any(self._payer(c) for c in reading.concepts)
        )
        for read in candidates:
            if unpaid and any(self._payer(c) for c in read.concepts):
                continue
            if read.negative != q.negative or (sided and self._opposed(sided, read.words)):
                continue
            if not q.exists and read.exists:
                continue  # "is there a code for telehealth?" does not say whether X counts
            if q.code_exists and not read.exists and not read.verdict.yes:
                # nor does "No" to whether the distant site bills the originating site's fee
                # say that there is no code for that fee ("are there limits?" is still "does
                # Medicare limit ...?")
                continue
            if q.restricted != read.only:
                continue  # "only for Medicare" against "for Medicare"
            if read.amounts and not q.amounts <= read.amounts:
                continue  # "a 10 mL vial" is not "a 20 mL vial", nor "two units" "one unit"
            if q.identity != read.identity and (q.identity or read.side == 1):
                # "Is the EOMB the same as the MSN?" is not "Is the MSN a bill?", nor the
                # other way round
                continue
            if (
                all(w in names for w in telling)
                and not any(_telling(w, weight) for slot in read.said for w in slot)
                and any(
                    w not in read.words and w not in names and weight(w) >= SAYS_SOMETHING
                    for w in own - dates
                )
            ):
                # A question that names only concepts ("Are Category II codes billable?") is
                # told apart by its common words; a verdict that says nothing of the same
                # concepts but their names ("Do Category II codes end with F?", "end with F"
                # being a name of them) must hold them too.
                continue
            if side and read.side == -side:
                # "the same lesion" is not "a separate lesion": function words to the matcher,
                # but the two sides of what a verdict decides.
                continue
            if q.together and not read.together:
                # "Can I bill 99214 with a well exam?" asks about the two together, which
                # "Is 99214 a preventive code?" does not decide.
                continue
            # A code the verdict names itself ("Can 76942 be billed with 20611?"), or one in a
            # range it names ("99204" in "99202-99215"), stands for its concepts; one it does
            # not name must fall under the verdict's concepts.
            ranged = (
                {code: r for code in implied if (r := read.in_range(code))} if read.ranges else {}
            )
            named = {
                c
                for code, cs in implied.items()
                if code in read.words or code in ranged
                for c in cs
            }
            covered = self._covered(
                [c for c in reading.concepts if c not in named], read, words, coded, implied.keys()
            )
            if covered is None and (
                not named or any(c not in named and not self._held((c,), read) for c in modifiers)
            ):
                # (the question's codes the verdict names stand for their concepts, but not for
                # a modifier it asks about: "Can we use modifier 24 on 92002-92014?" is not
                # "Does Medicare cover 92002-92014?")
                continue
            covered = covered or set()
            asked = [w for w in telling if w not in dates or w in read.words]
            # A concept of the question accounts for the verdict's words that name a concept,
            # not for its other words ("procedure" in "Is CPT a procedure code?" is no name of
            # CPT here, though "Current Procedural Terminology" is one).
            present = words | (covered & read.naming)
            if ranged:
                present = present | {end for r in ranged.values() for end in r}
            known = self._telling_slots.get(id(read))
            if known is None:
                kept = [slot for slot in read.slots if any(_telling(w, weight) for w in slot)]
                # (each slot with what it weighs unsaid: its heaviest word, or the least an
                # unsaid word weighs)
                known = (kept, [max(UNSAID_WEIGHT, *(weight(w) for w in slot)) for slot in kept])
                self._telling_slots[id(read)] = known
            slots, unsaid_weights = known
            if not read.verdict.yes and self._about_more(reading, read, coded, words):
                continue
            if implied and self._other_code(read, words, ranged):
                continue
            if not q.paid and read.paid and any(self._payer(c) for c in read.concepts):
                # "Is V2020 for frames?" is not "Does Medicare pay for deluxe frames?"
                continue
            if not q.units and read.per_unit:
                # "Is A4253 billed per strip? -> No" is on its billing unit, not on whether
                # A4253 is the test strips' code
                continue
            if (
                implied
                and not modifiers
                and any(self._on_modifiers(v) for v in read.concepts)
                and not any(self._on_modifiers(c) for c in reading.concepts)
            ):
                # nor is a verdict on whether a code takes a modifier ("Do therapy codes such as
                # 97140 need a modifier?") one on what a code the question names is ("Is 97140
                # manual therapy?")
                continue
            if modifiers and not any(self._on_modifiers(v) for v in read.concepts):
                # "Is modifier GA required when an ABN is signed?" is about the modifier: a
                # verdict that speaks of no modifier ("Must an ABN be given before every
                # service?") does not decide it, whatever topic the modifier falls under
                continue
            held = {
                w
                for w in asked
                if w in read.words
                or w in covered
                or w in ranged
                or self._held(implied.get(w, ()), read)
            }
            # (a name the verdict says with a word of its own, "routine eye exam", holds the
            # question's name, "diabetic eye exam", only as far as their words agree)
            own_name = any(slot - words for slot in read.names)
            total_asked, of_question = _weighed(asked, held, weight, names, own_name)
            if not total_asked or not slots:
                continue
            of_verdict = sum(
                max(weight(w) for w in (slot & present if slot in read.names else slot))
                for slot in slots
                if slot & present
            )
            unsaid = sum(
                w for slot, w in zip(slots, unsaid_weights, strict=True) if not slot & present
            )
            share_q, share_v = of_question / total_asked, of_verdict / (of_verdict + unsaid)
            if share_q < COVERS_QUESTION or share_v < share:
                continue
            if not read.verdict.yes and _prefixed_unasked(
                read.words, present, self._lexicon.prefixes
            ):
                # A "No" on a prefixed form of the question's word turns on the prefix: "Is
                # prediabetes coded with a code from E08-E13? -> No" does not answer "Are
                # E08-E13 diabetes codes?".
                continue
            if share_v < share + AT_THE_EDGE and 2 * sum(
                1 for slot in slots if not slot & present
            ) >= len(slots):
                # (just at the bar, half the verdict's words or more not asked about, whatever
                # they weigh, leave it under)
                continue
            if self._narrower(reading.concepts, read):
                # A question on a narrower concept than the verdict's ("a CPT code for breast
                # tomosynthesis" against a verdict on breast imaging codes) must still say
                # what the verdict says of it ("billed with a screening mammogram").
                said = [slot for slot in slots if slot in read.said]
                weigh = sum(max(weight(w) for w in slot) for slot in said)
                told = sum(max(weight(w) for w in slot) for slot in said if slot & words)
                if weigh and told / weigh < SAYS_OF_IT:
                    continue
            score = share_q + share_v
            if q.exists and read.exists:
                # "Is there a Level III?" is decided by a verdict on whether it exists before
                # one on what it was ("Were Level III codes local codes?"), the words alike
                score += SAYS_IT_EXISTS
            if best is None or score > best[0]:
                best = (score, read.verdict)
        return best[1] if best else None

    @staticmethod
    def _other_code(
        read: _Read, words: AbstractSet[str], ranged: Mapping[str, tuple[str, str]]
    ) -> bool:
        """Whether a verdict names a code that a question naming codes does not name, by
        itself, as one of the verdict's listed alternatives or as an end of a range one of the
        question's codes is in: "Is G0279 billed with a screening mammogram or 77067? -> No"
        is about G0279, and does not decide "Is 77067 a screening mammogram?"."""
        ends = {end for r in ranged.values() for end in r}
        return any(
            not slot & words and not slot & ends and any(_CODE_TERM.fullmatch(w) for w in slot)
            for slot in read.slots
        )

    def _on_modifiers(self, concept: str) -> bool:
        """Whether a concept is modifiers, or one of them."""
        return concept == "modifier" or "modifier" in self._lexicon.ancestors(concept)

    def _about_more(
        self, reading: Reading, read: _Read, coded: AbstractSet[str], asked: AbstractSet[str]
    ) -> bool:
        """Whether a verdict answering "No" turns on a concept the question does not speak of:
        one of its concepts (a payer aside) off the lines of the question's concepts, or below
        one of them, that the question's own words (``asked``) name none of. "Does 36415 need
        a modifier? -> No" does not answer "Is 36415 a venipuncture code?": the "No" is about
        the modifier; nor does "Is 10060 used for I&D of a peritonsillar abscess? -> No" answer
        "Is 10060 an I&D?": the "No" is about the narrower case. (A "Yes" on more, "Is 01999
        the unlisted anesthesia code?", still holds for less: "Is 01999 an anesthesia code?";
        and an item of a list the question has another item of, "a procedure or surgery code",
        is only another name.)"""
        ancestors = self._lexicon.ancestors
        mine = set(reading.concepts) | coded
        line = mine | {a for c in mine for a in ancestors(c)}
        for v in read.concepts:
            if v in line or v == "payer" or self._payer(v):
                continue
            terms = self._lexicon.terms_of(v)
            if terms & asked:
                continue  # named in part ("first" of "first-listed diagnosis")
            holding = [slot for slot in read.slots if slot & terms]
            if holding and all(slot & asked for slot in holding):
                # named only as an item of a list the question names another item of ("Does
                # Medicare cover H0004, H0031 or H2014? -> No" on H0031, whose concept is
                # wider than H0004's): the "No" holds for each item alike
                continue
            if any(c in ancestors(v) for c in mine):
                return True  # a narrower case, which the question does not name
            if any(slot & terms and not slot & asked for slot in read.slots):
                return True
        return False

    def _names(self, reading: Reading) -> dict[str, int]:
        """The words of each concept name of several words in the question ("good faith
        estimate"), each mapped to its name's number. A rare long name would otherwise
        outweigh what is asked about it: "Does a good faith estimate need to be signed?" is not
        "Does a good faith estimate include codes?", though most of its rare words are."""
        return _name_groups(self._lexicon, reading.terms)

    def _opposed(self, asked: Collection[str], said: Collection[str]) -> bool:
        """Whether the question says one side of a distinction and the verdict only the other
        ("the E/M code" against "a procedure code"; opposites.md)."""
        for a, b in self._lexicon.opposites:
            for one, other in ((a, b), (b, a)):
                if one in asked and other not in asked and other in said and one not in said:
                    return True
        return False

    def _narrower(self, concepts: Iterable[str], read: _Read) -> bool:
        """Whether the question names a concept the verdict holds only from above."""
        ancestors = self._lexicon.ancestors
        return any(
            c not in read.concepts and any(a in read.concepts for a in ancestors(c))
            for c in concepts
        )

    def _held(self, concepts: Iterable[str], read: _Read) -> bool:
        """Whether the verdict holds one of these concepts, or a concept above one."""
        return any(a in read.concepts for c in concepts for a in (c, *self._lexicon.ancestors(c)))

    def _covered(
        self,
        concepts: Sequence[str],
        read: _Read,
        words: AbstractSet[str],
        coded: AbstractSet[str] = frozenset(),
        codes: AbstractSet[str] = frozenset(),
    ) -> set[str] | None:
        """The words the question's concepts account for, when the verdict holds every concept
        of the question (or one above it). None when one is not the verdict's, or when the
        verdict names, beside the one it holds, a concept on another branch under it ("a HCPCS
        Level II modifier" against "a CPT modifier", both modifiers). A broad concept named only
        to qualify a narrower one the verdict holds ("CPT codes 99291": CPT, critical care) is
        let through.

        A concept the verdict holds from above accounts for its words ("critical care" falls
        under a verdict on E/M codes). Where both name the very same concept, its words count
        only when the verdict does not name it by other words of its own ("Excludes1" against
        "Excludes2", both Excludes notes): those are what its answer turns on. A concept the
        question holds only through one of its ``codes`` (``coded``: 99245, a consultation
        code) is named by the verdict's words for the class, unless the verdict names another
        code of it."""
        covered: set[str] = set()
        named = False
        for c in concepts:
            line = (c, *self._lexicon.ancestors(c))
            held = [a for a in line if a in read.concepts]
            if not held:
                narrower = [d for d in concepts if c in self._lexicon.ancestors(d)]
                if any(self._held((d,), read) for d in narrower):
                    continue  # "CPT" in "CPT codes 99291": the narrower concept decides
                return None
            top = held[0]
            # (the concepts above c up to the one the verdict holds: a verdict concept under
            # one of them, beside c, is another member: "modifier 33" is a CPT modifier, not
            # the Level II modifiers of a verdict that also names CPT)
            between = line[1 : line.index(top) + 1]
            for v in read.concepts:
                ancestors = self._lexicon.ancestors(v)
                if v not in line and c not in ancestors and any(a in ancestors for a in between):
                    return None  # a sibling branch: the verdict is about another member
            terms = self._lexicon.terms_of(c)
            if top != c:
                covered |= terms | self._lexicon.terms_of(top)
            elif (
                not (extra := (read.words & terms) - words)
                or self._lexicon.spelled_out(c, words, extra)
                or (said := words & terms)
                and said <= read.words
                or c in coded
                and said - codes <= read.words
                and not any(ch.isdigit() for t in extra for ch in t)
            ):
                # (or the one names it by its initials: "AWV", "annual wellness visit"; or the
                # verdict names it both ways, the question's way too: "adalimumab (Humira)")
                covered |= terms
            named = True
        return covered if named or not concepts else None
