"""The domain's words, read from the knowledge base's ``lexicon/*.md`` tables.

What the engine knows about words is data, reviewed like any knowledge and validated by
``hcpcs-assistant check``:

* ``words``: how people write a word (``hcpc``, ``cpt4``, ``modifer``, ``e/m``) and what it
  reads as; also everyday words folded into one (``assigns`` -> ``maintain``).
* ``phrases``: several words that read as one idea (``in charge of`` -> ``maintain``).
* ``concepts``: the things questions are about (code sets, HCPCS levels, CPT categories and
  sections, Level II letter sections, modifiers, topics), each with a parent and its aliases.
  Concepts for every CPT section and category, Level II letter and modifier in the facts tables
  are made from those tables; a lexicon row with the same id only adds aliases.
* ``intents``: what a question asks (who, when, how many, compare...), as cue phrases.
* ``out-of-scope``: questions the assistant never answers (payment amounts, careers, clinical
  advice), as cue phrases, with the reply that says so.

Cue phrases are words separated by spaces, where ``a/b`` is either word, ``word*`` any word
starting so, ``...`` up to four other words, and a leading ``^`` means the start of the
question or of a sentence in it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from assistant.core.kb import KnowledgeBase, Problem, Table
from assistant.core.text import (
    ENGLISH_PAIRS,
    FUNCTION_WORDS,
    JOINED_PREFIX,
    NOT_AFTER_TITLE,
    stem,
    words,
)

if TYPE_CHECKING:
    from assistant.core.facts import Facts

LEVEL_WORDS = frozenset({"level", "category", "tier"})
ASKING = frozenset({"how", "what", "which", "who", "when", "where", "why", "number"})
NUMBERS = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "first": "1",
    "second": "2",
    "third": "3",
    "1st": "1",
    "2nd": "2",
    "3rd": "3",
}
LETTER_NOUNS = frozenset("code codes coded section sections series range ranges chapter".split())
# Words that may stand between a section letter and its noun: "G billing codes", "J HCPCS codes".
LETTER_QUALIFIERS = frozenset("billing hcpcs medical procedure drug level".split())
LETTER_BEFORE = frozenset({"letter", "hcpcs", "section", "series", "with", "in"})
LETTER_MEANS = frozenset({"mean", "means", "stand", "stands"})  # "what does S mean?"
# Verbs that start what is said of a subject: an alias's words are never on both sides of one.
MODALS = frozenset("should must can could will would may might shall".split())
SHARED_WORD = 3  # the longest word a name shares its other words with ("III")
SHARED_KEYS_KEPT = 4096
SENTENCE_GAP = 1000  # term positions between sentences: no alias spans "HCPCS? 2. Who..."
# The intents whose one-word cues are ways of asking, not topics (see the alias check in build).
ASKING_INTENTS = ("define", "compare", "who", "when", "where", "why")
LETTER_MARK = "#"  # "#j": a section letter, kept apart from the words "a" and "i"

INTENTS = ("define", "compare", "who", "when", "count", "where", "bill", "which-code", "why")
SCOPE_TOPICS = (
    "fees",
    "enrollment",
    "coverage",
    "own-coverage",
    "claims",
    "careers",
    "products",
    "clinical",
    "legal",
    "other",
)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CUE_WORD_RE = re.compile(r"^[a-z0-9&/'*-]+$")


@dataclass(frozen=True)
class Term:
    """One word of a text as the engine reads it."""

    word: str  # the folded word as written (after spelling fixes)
    term: str  # its stem, or a section letter mark such as "#j"
    index: int  # position among the text's words (each sentence SENTENCE_GAP further on)
    # How many modal verbs come before it: no alias spans one ("a condition should be coded"
    # is no "condition code").
    clause: int = 0
    # Whether the term is read from a typo ("modifeir"): its word says nothing of a doer.
    typo: bool = False


@dataclass(frozen=True)
class Concept:
    id: str
    parents: tuple[str, ...]
    aliases: tuple[str, ...]
    label: str  # how an answer names it
    codes: tuple[tuple[str, str], ...] = ()  # ranges of codes that belong to it


@dataclass(frozen=True)
class Found:
    """A concept named in a text, over terms ``start`` to ``end`` (content terms only)."""

    concept: str
    start: int
    end: int


@dataclass(frozen=True)
class Cue:
    text: str
    source: str  # the regular expression of the cue, compiled when first tried
    # The alternatives of each of its words ("who", "maintain*"): the pattern is tried only on a
    # question that has one of each (a regular expression with gaps is slow over a long one).
    words: tuple[tuple[str, ...], ...] = ()

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.source)

    def says(self, name: str) -> bool:
        """Whether the first word of ``name`` (flat text) is one of the cue's own words: "humana
        ... timely filing" says "timely filing limit", while "what is the ... payment" only
        meets a word inside "3 day payment window"."""
        head = name.split(" ", 1)[0]
        return any(
            head == alt or (alt.endswith("*") and head.startswith(alt[:-1]))
            for alts in self.words
            for alt in alts
        )


@lru_cache(maxsize=4096)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


# The words of a cue other than the one it is indexed by: each as its exact alternatives and the
# heads of its prefix ones (``maintain*``: ``maintain``).
OtherWords = tuple[tuple[frozenset[str], tuple[str, ...]], ...]
CueAt = tuple[tuple[str, object], Cue, OtherWords]  # a cue, its group (an intent, a scope rule...)
PrefixCue = tuple[str, tuple[str, object], Cue, OtherWords]  # the same, under a prefix


@dataclass(frozen=True)
class ScopeRule:
    topic: str
    cues: tuple[Cue, ...]
    reply: str
    unless: tuple[Cue, ...] = ()  # cues that show the question is in scope after all
    # refused even when the question names a code ("what dose should the doctor give with
    # J1100?"); otherwise a code named keeps a coverage or clinical question about billing
    with_codes: bool = False


def _cue_words(text: str) -> tuple[tuple[str, ...], ...]:
    parts = text.lstrip("^").rstrip("$").split()
    return tuple(tuple(part.split("/")) for part in parts if part != "...")


@dataclass
class Lexicon:
    """The lexicon of one knowledge base; build with :func:`build`."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Letters written glued to a number, and what they read as before it ("co252" is "co 252",
    # a remittance's group code and reason code): rows "co# | co #" of words.md.
    glued: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    concepts: dict[str, Concept] = field(default_factory=dict)
    # Concept names of one word, three to six letters ("npi", "drg"), whose plural with an "s"
    # the stemmer keeps apart ("npis", "drgs"): a plural of one reads as the name itself.
    abbreviations: frozenset[str] = frozenset()
    # One-word names of the code sets in the facts' code-sets table ("cpt", "hcpcs", "ndc"): a
    # name ending in "codes" with one of them inside it is that name ("timed CPT codes").
    code_set_terms: frozenset[str] = frozenset()
    intents: dict[str, tuple[Cue, ...]] = field(default_factory=dict)
    scope: tuple[ScopeRule, ...] = ()
    # Stems naming the two sides of a distinction (inpatient / outpatient), from opposites.md.
    opposites: tuple[tuple[str, str], ...] = ()
    # Printed symbols and the words they are read as ("▲": "triangle"), from words.md.
    symbols: dict[str, str] = field(default_factory=dict)
    # English prefixes ("pre", "post", "non"), from words.md: a word made of one and a word
    # asked about is another word ("prediabetes" is not "diabetes"; "eyeglasses" are glasses).
    prefixes: frozenset[str] = frozenset()
    # The classes a yes/no question may ask a code to be in, each with the pattern of the names
    # written for it ("e/m", "evaluation and management"), in the order they are tried; from
    # code-classes.md (see CODE_CLASSES).
    code_classes: tuple[tuple[re.Pattern[str], str], ...] = ()
    problems: list[Problem] = field(default_factory=list)
    _aliases: dict[tuple[str, ...], str] = field(default_factory=dict)
    # For an alias with a word that names a doer ("modifier", "supplier", "indicator"), the
    # doer words of each alias that reads the same (see _doer): the stemmer reads "modifier" as
    # "modify" and "indicator" as "indicate", and a question that asks how to modify a claim,
    # or what a modifier indicates, names no modifier or indicator.
    _doers: dict[tuple[str, ...], frozenset[tuple[bool, ...]]] = field(default_factory=dict)
    _longest: int = 1
    _symbol_re: re.Pattern[str] | None = None

    @cached_property
    def opposite_terms(self) -> frozenset[str]:
        """Every stem of a pair of opposites: a question with none of them opposes nothing."""
        return frozenset(w for pair in self.opposites for w in pair)

    # -- reading text ------------------------------------------------------------------------
    def read(self, text: str) -> list[str]:
        """A text's words with section letters marked ("j codes" -> "#j codes") and the
        phrases and words tables applied (not stemmed)."""
        if self._symbol_re is not None and not text.isascii():
            text = self._symbol_re.sub(lambda m: f" {self.symbols[m.group()]} ", text)
        raw = words(text)
        dropped: set[int] = set()
        for i, word in enumerate(raw):
            if len(word) == 1 and word.isalpha():
                before = raw[i - 1] if i else ""
                after = raw[i + 1] if i + 1 < len(raw) else ""
                if _is_section_letter(word, before, after):
                    raw[i] = LETTER_MARK + word
                elif (
                    after in LETTER_QUALIFIERS
                    and i + 2 < len(raw)
                    and raw[i + 2] in LETTER_NOUNS
                    and _is_section_letter(word, before, raw[i + 2])
                ):
                    raw[i] = LETTER_MARK + word  # "G billing codes": the G codes
                    dropped.add(i + 1)
        if dropped:
            raw = [w for i, w in enumerate(raw) if i not in dropped]
        out: list[str] = []
        i = 0
        by_first = self._phrases_by_first
        while i < len(raw):
            for phrase, replacement in by_first.get(raw[i], ()):
                n = len(phrase)
                if tuple(raw[i : i + n]) == phrase:
                    out.extend(replacement)
                    i += n
                    break
            else:
                out.extend(self.spelled(raw[i]))
                i += 1
        for k in range(1, len(out)):  # "level two", "category ii" -> digits
            if out[k - 1] in LEVEL_WORDS and out[k] in NUMBERS:
                out[k] = NUMBERS[out[k]]
            elif out[k] in LEVEL_WORDS and out[k - 1] in ("first", "second", "third"):
                out[k - 1], out[k] = out[k], NUMBERS[out[k - 1]]
        return out

    def terms(self, text: str) -> list[Term]:
        """The content terms of a text: function words dropped, the rest stemmed."""
        return _content_terms(self.read(text), 0)

    # -- concepts ----------------------------------------------------------------------------
    def find_concepts(self, terms: list[Term]) -> list[Found]:
        """Concepts named in a sequence of terms, longest alias first, left to right, and the
        names that share their other words with one of them (see :meth:`_shared_heads`)."""
        found = self._scan(terms)
        return self._shared_heads(terms, found) if found else found

    def _scan(self, terms: list[Term]) -> list[Found]:
        keys = [t.term for t in terms]
        found: list[Found] = []
        i = 0
        while i < len(keys):
            for n in range(min(self._longest, len(keys) - i), 0, -1):
                key = tuple(keys[i : i + n])
                cid = self._aliases.get(key)
                if (
                    cid is None
                    and len(key[-1]) > 3
                    and key[-1].endswith("s")
                    and not key[-1].endswith("ss")
                ):
                    # An acronym's plural, which the stemmer keeps ("type 2 npis", "hccs"); a
                    # word in "ss" is no plural ("tossed" is not TOS).
                    cid = self._aliases.get((*key[:-1], key[-1][:-1]))
                if (
                    cid is None
                    and n >= 3
                    and key[-1] == "code"
                    and key[-2] in self.code_set_terms
                    and key[0] not in self.code_set_terms
                    and terms[i + n - 1].index - terms[i + n - 3].index == 2
                ):
                    # ("timed CPT codes", "unlisted HCPCS codes": a code set said inside a
                    # name that ends in "codes" only qualifies it; "added to CPT codes" is
                    # no name of a kind of code)
                    cid = self._aliases.get((*key[:-2], key[-1]))
                if (
                    cid is not None
                    and terms[i + n - 1].index - terms[i].index < SENTENCE_GAP
                    and terms[i + n - 1].clause == terms[i].clause
                    and self._same_doers(key, terms[i : i + n])
                    and not _may_be_done(key, terms, i + n)
                ):
                    found.append(Found(cid, i, i + n))
                    i += n
                    break
            else:
                i += 1
        return found

    def _shared_heads(self, terms: list[Term], found: list[Found]) -> list[Found]:
        """The names that share their other words with a name beside them, said once: "Level
        I and II" names Level II too, "Category I, II and III" Category III, "J and G codes"
        the J codes. The word left to share them is short (a numeral or a letter) and stands
        after a name of several words or before a name, with a word or none between ("and",
        "or", a comma); read with the name's other words, it must name another concept."""
        taken = {i for f in found for i in range(f.start, f.end)}
        extra: list[Found] = []

        def gap(a: int, b: int, k: int) -> int:
            """Words from term a to term b, when term k may share a name (else 0)."""
            if k in taken or len(terms[k].word) > SHARED_WORD:
                return 0
            if terms[a].clause != terms[b].clause:
                return 0
            n = terms[b].index - terms[a].index
            return n if n <= 2 else 0

        def add(chain: list[tuple[int, str, int]]) -> None:
            for k, cid, _ in chain:
                extra.append(Found(cid, k, k + 1))
                taken.add(k)

        for f in found:
            words = [t.word for t in terms[f.start : f.end]]
            chain: list[tuple[int, str, int]] = []
            j = f.end
            while len(words) > 1 and j < len(terms) and (g := gap(j - 1, j, j)):
                cid = self._named(" ".join([*words[:-1], terms[j].word]), last=True)
                if cid is None or cid == f.concept:
                    break
                chain.append((j, cid, g))
                j += 1
            # (a list ends in a word that joins its last item, "I, II and III": the items after
            # the last such word are no part of it, "modifier 59 go on ...": not GO)
            ends = [n for n, (_, _, g) in enumerate(chain) if g == 2]
            add(chain[: ends[-1] + 1] if ends else [])
            # ("G codes" is one term, "#g": the word after it is what the names share)
            tail = words[1:] or [t.word for t in terms[f.end : f.end + 1]]
            chain = []
            j = f.start - 1
            while tail and j >= 0 and (g := gap(j, j + 1, j)):
                cid = self._named(" ".join([terms[j].word, *tail]), last=False)
                if cid is None or cid == f.concept:
                    break
                chain.append((j, cid, g))
                j -= 1
            if chain and chain[0][2] == 2:
                # ("A, E and K codes": a word joins the item next to the name, commas the rest)
                add(chain)
        return sorted([*found, *extra], key=lambda f: f.start) if extra else found

    def _named(self, text: str, last: bool) -> str | None:
        """The concept a short text names by its last word (or its first), if one name spans
        it (kept: the same few texts recur)."""
        key = (text, last)
        if key not in self._shared_names:
            terms = self.terms(text)
            edge = len(terms) - 1 if last else 0
            cid = next((f.concept for f in self._scan(terms) if f.start <= edge < f.end), None)
            if len(self._shared_names) < SHARED_KEYS_KEPT:
                self._shared_names[key] = cid
            return cid
        return self._shared_names[key]

    @cached_property
    def _shared_names(self) -> dict[tuple[str, bool], str | None]:
        return {}

    def _same_doers(self, key: tuple[str, ...], terms: list[Term]) -> bool:
        """Whether the words of a question that read as an alias name doers where it does. A
        typo may hide a doer's ending ("modifeir" is "modifier"), never add one ("cardioverter"
        is no "cardioversion")."""
        said = tuple(_doer(t.word, t.term) for t in terms)
        allowed = self._doers.get(key)
        if allowed is None:
            return not any(said)
        if said in allowed:
            return True
        return any(t.typo for t in terms) and any(
            all(a == s or (t.typo and a) for a, s, t in zip(option, said, terms, strict=True))
            for option in allowed
        )

    def spelled(self, word: str) -> tuple[str, ...]:
        """A word (in lower case) as the words table reads it, itself when no row reads it
        (remembered: texts repeat their words)."""
        cache = self._spelled_cache
        hit = cache.get(word)
        if hit is None:
            hit = (
                self.words.get(word)
                or self.words.get(stem(word))
                or self._singular(word)
                or self._unglued(word)
            )
            if len(cache) < 100_000:
                cache[word] = hit
        return hit

    def _singular(self, word: str) -> tuple[str, ...] | None:
        """An abbreviation's plural ("npis", "drgs", "rvus") as the abbreviation (see
        ``abbreviations``): the stemmer keeps the "s" of a short word whose vowel is right
        before it, or that has none."""
        if word[-1:] == "s" and word[:-1] in self.abbreviations:
            return (word[:-1],)
        return None

    def _unglued(self, word: str) -> tuple[str, ...]:
        m = _GLUED.fullmatch(word)
        if m is None or m.group(1) not in self.glued:
            return (word,)
        return (*self.glued[m.group(1)], m.group(2))

    @cached_property
    def _spelled_cache(self) -> dict[str, tuple[str, ...]]:
        return {}

    def _cue_kinds(self, name: str) -> frozenset[str]:
        """The kinds of cue ("intent", "scope", "unless") that a concept's name as said holds
        itself, worked out once per name: names recur from question to question. (The cache
        starts again when full: names as typed, misspellings too, have no fixed number.)"""
        cache = self._cue_kinds_cache
        kinds = cache.get(name)
        if kinds is None:
            if len(cache) >= CUE_KINDS_KEPT:
                cache.clear()
            kinds = cache[name] = frozenset(group[0] for group in self.cues_in(name))
        return kinds

    @cached_property
    def _cue_kinds_cache(self) -> dict[str, frozenset[str]]:
        return {}

    @cached_property
    def _phrases_by_first(self) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
        out: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for phrase, replacement in self.phrases:  # longest first, as sorted when built
            out.setdefault(phrase[0], []).append((phrase, replacement))
        return out

    @cached_property
    def alias_terms(self) -> frozenset[str]:
        """Every term that appears in an alias of some concept."""
        return frozenset(k for key in self._aliases for k in key)

    def terms_of(self, cid: str) -> frozenset[str]:
        """The terms of a concept's aliases ("critical", "care" for critical care)."""
        return self._terms_by_concept.get(cid, frozenset())

    @cached_property
    def _terms_by_concept(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for key, cid in self._aliases.items():
            out.setdefault(cid, set()).update(key)
        return {cid: frozenset(terms) for cid, terms in out.items()}

    def spelled_out(self, cid: str, one: AbstractSet[str], other: AbstractSet[str]) -> bool:
        """Whether ``other`` holds nothing but the words of one of a concept's names that
        ``one`` says by its initials, or the reverse: "AWV" and "annual wellness visit" name the
        concept alike."""
        return any(
            (short in one and other <= full) or (short in other and other - {short} <= full <= one)
            for short, full in self._initialisms.get(cid, ())
        )

    @cached_property
    def _initialisms(self) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
        """Each concept's one-word names with the longer names they are the initials of."""
        by_concept: dict[str, list[tuple[str, ...]]] = {}
        for key, cid in self._aliases.items():
            by_concept.setdefault(cid, []).append(key)
        out: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}
        for cid, keys in by_concept.items():
            shorts = {key[0] for key in keys if len(key) == 1 and key[0].isalpha()}
            pairs = tuple(
                (initials, frozenset(key))
                for key in keys
                if len(key) >= 2 and (initials := "".join(k[0] for k in key)) in shorts
            )
            if pairs:
                out[cid] = pairs
        return out

    @cached_property
    def name_terms(self) -> frozenset[str]:
        """Terms that are a concept's whole name on their own ("hcpcs", "superbill")."""
        return frozenset(key[0] for key in self._aliases if len(key) == 1)

    def ancestors(self, cid: str) -> tuple[str, ...]:
        """Every concept above ``cid``, nearest first."""
        return tuple(self._ancestors.get(cid, {}))

    def sides(self, concepts: Sequence[str]) -> tuple[str, ...]:
        """The two things a comparison compares, among the concepts a question names: the two
        most alike, that is with the nearest concept above both (and neither above the other),
        first named first, so that "compare modifier 57 with modifier 25 using the CPT manual"
        compares the two modifiers (both CPT modifiers) and not a modifier and the book (both
        only CPT); else the first two named."""
        best: tuple[int, int, int] | None = None
        for i, a in enumerate(concepts):
            for j in range(i + 1, len(concepts)):
                b = concepts[j]
                if a == b or self.distance(a, b) or self.distance(b, a):
                    continue
                shared = [
                    max(da, db)
                    for x, da in self._ancestors.get(a, {}).items()
                    if (db := self._ancestors.get(b, {}).get(x))
                ]
                if shared and (best is None or (min(shared), i, j) < best):
                    best = (min(shared), i, j)
        if best is None:
            return tuple(concepts[:2])
        return (concepts[best[1]], concepts[best[2]])

    def distance(self, cid: str, ancestor: str) -> int | None:
        """How many steps up from ``cid`` to ``ancestor`` (1 for a parent), or None."""
        return self._ancestors.get(cid, {}).get(ancestor)

    @cached_property
    def _ancestors(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for cid in self.concepts:
            seen: dict[str, int] = {}
            queue = [(p, 1) for p in self.concepts[cid].parents]
            while queue:
                p, depth = queue.pop(0)
                if p in seen or p == cid or p not in self.concepts:
                    continue
                seen[p] = depth
                queue.extend((q, depth + 1) for q in self.concepts[p].parents)
            out[cid] = seen
        return out

    def concepts_of_code(self, code: str) -> tuple[str, ...]:
        """Concepts whose code ranges hold ``code``, narrowest range first."""
        code = code.upper()
        known = self._code_concepts_seen.get(code)
        if known is None:
            hits = [
                (_width(lo, hi), cid)
                for lo, hi, cid in self._code_ranges
                if len(lo) == len(code)
                and lo[0].isdigit() == code[0].isdigit()
                and lo <= code <= hi
            ]
            known = tuple(cid for _w, cid in sorted(hits))
            if len(self._code_concepts_seen) < 4096:
                self._code_concepts_seen[code] = known
        return known

    @cached_property
    def _code_ranges(self) -> tuple[tuple[str, str, str], ...]:
        return tuple(
            (lo, hi, cid) for cid, concept in self.concepts.items() for lo, hi in concept.codes
        )

    @cached_property
    def _code_concepts_seen(self) -> dict[str, tuple[str, ...]]:
        return {}

    def label(self, cid: str) -> str:
        concept = self.concepts.get(cid)
        return concept.label if concept else cid

    # -- intents and scope -------------------------------------------------------------------
    def intents_of(self, flat: str, shown: set[tuple[str, object]] | None = None) -> list[str]:
        """Intents whose cues occur in ``flat`` (see :meth:`flat`), in table order."""
        shown = self.cues_in(flat) if shown is None else shown
        return [name for name in self.intents if ("intent", name) in shown]

    def out_of_scope(
        self,
        flat: str,
        shown: set[tuple[str, object]] | None = None,
        named: Sequence[tuple[int, int]] = (),
    ) -> ScopeRule | None:
        """The out-of-scope rule a cue of which occurs in ``flat`` (and none of its
        exceptions). A span of ``flat`` in ``named`` names a concept; when that name is itself
        a cue, it is not read for cues: "the improper payment rate" names a CERT figure and
        "the Medicare coverage database" a place, and neither asks for a fee or a coverage
        rule, while "how much is the anesthesia conversion factor" still asks for an amount."""
        shown = self.cues_in(flat) if shown is None else shown
        cues = self.unnamed(flat, shown, named, "scope")
        for i, rule in enumerate(self.scope):
            if ("scope", i) in cues and ("unless", i) not in shown:
                return rule
        return None

    def unnamed(
        self,
        flat: str,
        shown: set[tuple[str, object]],
        named: Sequence[tuple[int, int]],
        kind: str = "intent",
    ) -> set[tuple[str, object]]:
        """The cues of ``kind`` ("intent" or "scope") that show in ``flat`` outside the spans
        that name a concept (:meth:`spans`): the words of a name name a thing and ask nothing
        ("same or similar" is a DME rule, not a comparison). A cue that ends on a word inside
        a name, before the name's last word, ends on a word that qualifies the name: "what is
        the 3-day payment window?" asks what the window is, not for a payment. (Only for
        out-of-scope cues: an intent's last word may be a verb the name starts with.)"""
        if not named or not any(group[0] == kind for group in shown):
            return shown
        kept = {group for group in shown if group[0] != kind}
        inner = kind == "scope"  # ("how do I code products" still asks how to code)
        # a name that is itself a cue ("medicare coverage database") is read as a name by any
        # cue that ends in it ("where do I search the medicare coverage database")
        cue_names = [
            (start, end) for start, end in named if kind in self._cue_kinds(flat[start:end])
        ]
        for group in shown - kept:
            if any(
                not any(
                    start <= m.start()
                    and m.end() <= end
                    or (inner and start < m.end() < end and not cue.says(flat[start:end]))
                    for start, end in named
                )
                and not any(start < m.end() <= end for start, end in cue_names)
                for cue in self._cue_groups[group]
                for m in cue.pattern.finditer(flat)
            ):
                kept.add(group)
        return kept

    @staticmethod
    def word_places(flat: str) -> dict[int, tuple[int, int]]:
        """Each word of ``flat`` (as made by :meth:`analyse`) by its index as :class:`Term`
        counts it (each sentence SENTENCE_GAP further on): its characters in ``flat``."""
        where: dict[int, tuple[int, int]] = {}
        pos = offset = 0
        for sentence in flat.split(" | "):
            words = sentence.split(" ")
            for i, word in enumerate(words):
                where[offset + i] = (pos, pos + len(word))
                pos += len(word) + 1
            pos += 2  # "| "
            offset += len(words) + SENTENCE_GAP
        return where

    def cue_spans(self, flat: str, intent: str) -> list[tuple[int, int]]:
        """Where in ``flat`` each cue of an intent shows (character spans)."""
        return [
            m.span()
            for cue in self._cue_groups[("intent", intent)]
            for m in cue.pattern.finditer(flat)
        ]

    @staticmethod
    def spans(flat: str, terms: Sequence[Term], found: Iterable[Found]) -> list[tuple[int, int]]:
        """Where in ``flat`` (as made by :meth:`analyse`) each concept of ``found`` named in
        more than one word is named: character spans from its first word to its last. (A
        one-word name such as "Medicare" is also what cues are made of.)"""
        where = Lexicon.word_places(flat)
        out = []
        for f in found:
            if f.end - f.start < 2 or (
                terms[f.end - 1].index - terms[f.start].index > f.end - f.start
            ):
                # a name read across more than one skipped word ("school to be a physical")
                # is no name said in the text ("codes for drugs" is)
                continue
            first, last = where.get(terms[f.start].index), where.get(terms[f.end - 1].index)
            if first is not None and last is not None:
                out.append((first[0], last[1]))
        return out

    def cues_in(self, flat: str) -> set[tuple[str, object]]:
        """The groups (an intent, an out-of-scope rule or its exceptions) of which some cue
        occurs in ``flat``. Only cues whose rarest word is in the text are tried; a cue of one
        word, anywhere in a sentence, is decided by the words alone."""
        exact, prefixes, alone, alone_prefixes = self._cue_index
        present = set(flat.split())
        tried: list[CueAt] = []
        shown: set[tuple[str, object]] = set()
        for word in present:
            tried.extend(exact.get(word, ()))
            for head, group, cue, others in prefixes.get(word[:2], ()):
                if word.startswith(head):
                    tried.append((group, cue, others))
            shown.update(alone.get(word, ()))
            for head, group in alone_prefixes.get(word[:2], ()):
                if word.startswith(head) and _word_tail(word, len(head)):
                    shown.add(group)
        prefixed: dict[str, bool] = {}
        ordered = sorted(present)  # a word starting with a head sorts right after the head

        def headed(heads: tuple[str, ...]) -> bool:
            for head in heads:
                if head not in prefixed:
                    i = bisect_left(ordered, head)
                    prefixed[head] = i < len(ordered) and ordered[i].startswith(head)
                if prefixed[head]:
                    return True
            return False

        disjoint = present.isdisjoint
        for group, cue, others in tried:
            if group in shown:
                continue
            for alts, heads in others:
                # (most words are ruled out by the set alone; the prefixes only when it fails)
                if disjoint(alts) and not (heads and headed(heads)):
                    break
            else:
                if cue.pattern.search(flat):
                    shown.add(group)
        return shown

    @cached_property
    def _cue_groups(self) -> dict[tuple[str, object], tuple[Cue, ...]]:
        """Each group of cues (an intent, an out-of-scope rule or its exceptions) by its key."""
        groups: dict[tuple[str, object], tuple[Cue, ...]] = {
            ("intent", name): cues for name, cues in self.intents.items()
        }
        for i, rule in enumerate(self.scope):
            groups[("scope", i)] = rule.cues
            groups[("unless", i)] = rule.unless
        return groups

    @cached_property
    def _cue_index(
        self,
    ) -> tuple[
        dict[str, list[CueAt]],
        dict[str, list[PrefixCue]],
        dict[str, list[tuple[str, object]]],
        dict[str, list[tuple[str, tuple[str, object]]]],
    ]:
        """Every cue by the exact words or the prefixes (``word*``) of its rarest word: the word
        fewest cues share ("modifier" rather than "what" in "what ... modifier"), so a question
        tries only the cues its rarer words could start (a cue holds every one of its words).
        Cues of one word, tied to no sentence's start or end, are kept apart by their groups:
        the word alone decides them."""
        shared: Counter[str] = Counter(
            alt.rstrip("*")
            for cues in self._cue_groups.values()
            for cue in cues
            for alts in cue.words
            for alt in alts
        )
        exact: dict[str, list[CueAt]] = {}
        prefixes: dict[str, list[PrefixCue]] = {}  # by their first two letters
        alone: dict[str, list[tuple[str, object]]] = {}
        alone_prefixes: dict[str, list[tuple[str, tuple[str, object]]]] = {}
        for group, cues in self._cue_groups.items():
            for cue in cues:
                if not cue.words:
                    continue
                free = cue.source.startswith(_FREE_HEAD) and cue.source.endswith(_FREE_TAIL)
                if len(cue.words) == 1 and free:
                    for alt in cue.words[0]:
                        if alt.endswith("*") and len(alt) > 2:
                            alone_prefixes.setdefault(alt[:2], []).append((alt[:-1], group))
                        else:
                            alone.setdefault(alt.rstrip("*"), []).append(group)
                    continue
                rarest = min(
                    range(len(cue.words)),
                    key=lambda k: sum(shared[a.rstrip("*")] for a in cue.words[k]),
                )
                others = tuple(
                    (
                        frozenset(a for a in alts if not a.endswith("*")),
                        tuple(a[:-1] for a in alts if a.endswith("*")),
                    )
                    for k, alts in enumerate(cue.words)
                    if k != rarest
                )
                for alt in cue.words[rarest]:
                    if alt.endswith("*") and len(alt) > 2:
                        prefixes.setdefault(alt[:2], []).append((alt[:-1], group, cue, others))
                    else:
                        exact.setdefault(alt.rstrip("*"), []).append((group, cue, others))
        return exact, prefixes, alone, alone_prefixes

    def flat(self, text: str) -> str:
        """The text as cue phrases see it: words joined by spaces, sentences by " | "."""
        return self.analyse(text)[0]

    def analyse(self, text: str) -> tuple[str, list[Term]]:
        """:meth:`flat` and :meth:`terms` of a text at once (each sentence read once)."""
        flat: list[str] = []
        out: list[Term] = []
        offset = 0
        for part in _SENTENCES.split(text):
            if not part.strip():
                continue
            seq = self.read(part)
            if not seq:
                continue  # ("Hi all, quick question." reads as nothing: no empty part first)
            flat.append(" ".join(seq))
            out += _content_terms(seq, offset)
            offset += len(seq) + SENTENCE_GAP
        return " | ".join(flat), out


# A sentence ends at its punctuation, with any closing quote or bracket after it ('... by the
# physician." Does that mean ...'); a part also ends before a bracket or a dash, but not a
# dash written on a modifier ("modifier -50", "-LT"). A title's full stop ends no sentence
# ("Dr. Richard's provider number"), as text.sentences reads them.
_SENTENCES = re.compile(
    rf"[.?!;:\n]{NOT_AFTER_TITLE}[.?!;:\n]*[\"'\u201d\u2019)\]]*(?:\s|$)"
    r"|\s(?:\(|-(?![0-9A-Za-z]{2}\b))\s?",
    re.IGNORECASE,
)


def _is_section_letter(letter: str, before: str, after: str) -> bool:
    """ "j codes", "the C section", "letter a", "codes starting with J": a letter naming a
    section, not a word. "a", "i" and "u" are also words ("is there a code for", "can u code
    it"), so they count as letters only before a plural ("a codes"), after "the", or after a
    word that announces a letter."""
    if before in LETTER_BEFORE:
        # "HCPCS A codes", "HCPCS I": a letter; "is HCPCS a diagnosis code": a word.
        if before == "hcpcs" and after and after not in LETTER_NOUNS:
            return letter not in "aiu"
        return letter not in "aiu" or before in ("letter", "hcpcs") or not after
    if after in LETTER_MEANS and before in ("does", "do", "the"):
        return letter not in "aiu"  # "what does S mean in a code?", "what does the J stand for"
    if after not in LETTER_NOUNS:
        return False
    if letter not in "aiu" or after.endswith("s") or after == "series":
        return True
    return before in ("the", "an") or (letter == "u" and not before)


# --- building ---------------------------------------------------------------------------------


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.replace("`", "").split(",") if c.strip()]


# How a cue's pattern starts and ends when no sentence's start or end ties it ("^", "$").
_FREE_HEAD, _FREE_TAIL = r"(?:^|(?<= ))", r"(?= |$)"


def _word_tail(word: str, start: int) -> bool:
    """Whether what follows a prefix in a word is what ``word*`` allows (letters, digits)."""
    tail = word[start:]
    return not tail or (tail.isascii() and tail.isalnum() and tail.lower() == tail)


def compile_cue(text: str) -> re.Pattern[str]:
    """A cue phrase as a pattern over :meth:`Lexicon.flat` text. Raises ValueError."""
    return re.compile(cue_source(text))


def cue_source(text: str) -> str:
    """The regular expression of a cue phrase. Raises ValueError."""
    parts = text.split()
    anchored = bool(parts) and parts[0].startswith("^")
    if anchored:
        parts[0] = parts[0][1:]
        if not parts[0]:
            parts.pop(0)
    ended = bool(parts) and parts[-1].endswith("$")  # "... pay ... for$": the sentence ends
    if ended:
        parts[-1] = parts[-1][:-1]
        if not parts[-1]:
            parts.pop()
    if not parts:
        raise ValueError("an empty cue")
    body = ""
    gap = 0  # "..." stands for up to four words, "... ..." for up to eight
    for part in parts:
        if part == "...":
            gap += 4
            continue
        if not all(_CUE_WORD_RE.match(a) for a in part.split("/")) or part.startswith("/"):
            raise ValueError(f"cue word {part!r} is not a word, a/b alternatives or word*")
        alts = []
        for alt in part.split("/"):
            star = alt.endswith("*")
            alts.append(re.escape(alt.rstrip("*")) + (r"[a-z0-9']*" if star else ""))
        word = "(?:" + "|".join(alts) + ")"
        if body:
            body += (rf"(?: [^ |]+){{0,{gap}}} " if gap else " ") + word
        else:
            body = (rf"(?:[^ |]+ ){{0,{gap}}}" if gap else "") + word
        gap = 0
    if not body:
        raise ValueError("a cue needs at least one word")
    head = r"(?:^|\| )" if anchored else _FREE_HEAD
    return head + body + (r"(?= \||$)" if ended else _FREE_TAIL)


# The classes of code-classes.md besides "section:" and a CPT section's name: the HCPCS levels,
# code sets, CPT categories, kinds of code (see assistant.codes.questions for what each means).
SECTION_CLASS = "section:"
FAMILY_CLASS = "family:"  # followed by the start of a family's name in the cpt-families table
CODE_CLASSES = frozenset(
    ("level1", "level2", "level3", "hcpcs", "cpt", "icd", "pcs", "ndc", "dme", "cdt", "modifier")
    + ("Category I", "Category II", "Category III", "PLA", "MAAA")
)


def _names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """One pattern for the names of a code class, the longest first, each matched as typed in
    any case, a space also matching a hyphen or nothing ("icd 10 cm": "ICD-10-CM", "icd10cm"),
    and "/" or "&" with spaces around them or not ("e/m", "E / M")."""
    alternatives = []
    for name in sorted({" ".join(n.split()) for n in names}, key=len, reverse=True):
        parts = [
            re.escape(word).replace("\\&", "&").replace("/", r"\s*/\s*").replace("&", r"\s*&\s*")
            for word in name.split()
        ]
        alternatives.append(r"\b" + r"[\s-]*".join(parts) + r"\b")
    return re.compile("|".join(alternatives), re.I)


NOTHING = ("-", "\u2014")  # a phrase read as no words at all


def _table(kb: KnowledgeBase, table_id: str) -> Table | None:
    return kb.lexicon_tables.get(table_id)


_GLUED = re.compile(r"([a-z]+)(\d+)")
_GLUED_ROW = re.compile(r"([a-z]+)#")


def build(kb: KnowledgeBase, facts: Facts | None = None) -> Lexicon:
    """The lexicon of a knowledge base (and concepts made from its facts). Problems found on
    the way are kept in ``problems``; a broken row is skipped, never fatal."""
    lex = Lexicon()
    problems = lex.problems

    def where(table: Table, i: int) -> tuple[str, int]:
        return table.path, table.row_line(i)

    t = _table(kb, "words")
    if t is not None:
        for i, r in enumerate(t.records()):
            glued = _GLUED_ROW.fullmatch(r.get("written", "").strip().lower())
            if glued is not None:
                reads_as = r.get("reads as", "").strip().lower()
                if not reads_as.endswith("#") or not words(reads_as[:-1]):
                    problems.append(
                        Problem(*where(t, i), "a row for letters before a number reads as 'x #'")
                    )
                    continue
                lex.glued[glued.group(1)] = tuple(words(reads_as[:-1]))
                continue
            written = [w for c in _cells(r.get("written", "")) for w in words(c)]
            reads = words(r.get("reads as", ""))
            if len(written) != 1 or not reads:
                problems.append(
                    Problem(*where(t, i), "a word row needs one written word and what it reads as")
                )
                continue
            if written[0] in lex.words:
                problems.append(Problem(*where(t, i), f"word {written[0]!r} twice"))
            lex.words[written[0]] = tuple(reads)
    t = _table(kb, "code-classes")
    if t is not None:
        sections = {sec.name for sec in facts.cpt_sections} if facts is not None else None
        families = [f.name for f in facts.cpt_families] if facts is not None else None
        classes = []
        for i, r in enumerate(t.records()):
            target = r.get("class", "").replace("`", "").strip()
            names = [n for n in _cells(r.get("written as", "")) if n.strip()]
            section = target.removeprefix(SECTION_CLASS) if target != SECTION_CLASS else ""
            is_section = bool(section) and section != target
            family = target.removeprefix(FAMILY_CLASS) if target != FAMILY_CLASS else ""
            is_family = bool(family) and family != target
            if not (target in CODE_CLASSES or is_section or is_family):
                problems.append(Problem(*where(t, i), f"unknown code class {target!r}"))
                continue
            if is_section and sections is not None and section not in sections:
                problems.append(Problem(*where(t, i), f"no CPT section named {section!r}"))
                continue
            if (
                is_family
                and families is not None
                and not any(name.startswith(family) for name in families)
            ):
                problems.append(Problem(*where(t, i), f"no CPT family named {family!r}"))
                continue
            if not names:
                problems.append(Problem(*where(t, i), f"code class {target!r} without names"))
                continue
            classes.append((_names_pattern(names), target))
        lex.code_classes = tuple(classes)
    t = _table(kb, "symbols")
    if t is not None:
        for i, r in enumerate(t.records()):
            symbol = "".join(r.get("symbol", "").replace("`", "").split())
            reads = words(r.get("reads as", ""))
            if not symbol or len(symbol) > 3 or any(ch.isalnum() for ch in symbol) or not reads:
                problems.append(
                    Problem(*where(t, i), "a symbol row needs a symbol and the words it reads as")
                )
                continue
            if symbol in lex.symbols:
                problems.append(Problem(*where(t, i), f"symbol {symbol!r} twice"))
            lex.symbols[symbol] = " ".join(reads)
        if lex.symbols:  # the longest first: "►◄" before "►"
            lex._symbol_re = re.compile(
                "|".join(re.escape(k) for k in sorted(lex.symbols, key=len, reverse=True))
            )
    t = _table(kb, "prefixes")
    if t is not None:
        found: set[str] = set()
        for i, r in enumerate(t.records()):
            prefix = r.get("prefix", "").strip().lower()
            if not re.fullmatch(r"[a-z]{2,6}", prefix):
                problems.append(Problem(*where(t, i), "a prefix row needs one word of 2-6 letters"))
                continue
            if prefix in found:
                problems.append(Problem(*where(t, i), f"prefix {prefix!r} twice"))
            found.add(prefix)
        lex.prefixes = frozenset(found)
    t = _table(kb, "phrases")
    if t is not None:
        for i, r in enumerate(t.records()):
            phrase = tuple(words(r.get("written", "")))
            said = r.get("reads as", "").strip()
            # "-" reads the phrase as nothing: an opening that asks nothing ("can you tell me")
            meaning = () if said in NOTHING else tuple(words(said))
            if len(phrase) < 2 or not (meaning or said in NOTHING):
                problems.append(
                    Problem(
                        *where(t, i), "a phrase row needs two or more words and what they read as"
                    )
                )
                continue
            lex.phrases.append((phrase, meaning))
        lex.phrases.sort(key=lambda p: -len(p[0]))

    t = _table(kb, "opposites")
    if t is not None:
        pairs = []
        for i, r in enumerate(t.records()):
            side = [x.term for x in lex.terms(r.get("word", ""))]
            other = [x.term for x in lex.terms(r.get("opposite", ""))]
            if len(side) != 1 or len(other) != 1 or side == other:
                problems.append(
                    Problem(*where(t, i), "an opposites row needs one word on each side, not alike")
                )
                continue
            pairs.append((side[0], other[0]))
        lex.opposites = tuple(pairs)

    # (the intents first: the concepts' aliases are checked against the words of their cues)
    t = _table(kb, "intents")
    if t is not None:
        for i, r in enumerate(t.records()):
            name = r.get("intent", "").strip()
            if name not in INTENTS:
                problems.append(
                    Problem(*where(t, i), f"intent {name!r} is not one of " + ", ".join(INTENTS))
                )
                continue
            lex.intents[name] = lex.intents.get(name, ()) + _cues(
                r.get("cues", ""), t, i, problems, lex
            )
    _concepts(kb, facts, lex)
    lex.abbreviations = frozenset(
        name
        for concept in lex.concepts.values()
        for name in concept.aliases
        if name.isalpha() and 3 <= len(name) <= 6 and stem(name + "s") != stem(name)
    )
    sets = kb.tables.get("code-sets")
    if sets is not None:
        named = {r.get("concept", "").strip() for r in sets.records()}
        lex.code_set_terms = frozenset(
            key[0]
            for key, cid in lex._aliases.items()
            if len(key) == 1 and cid in named and key[0] in lex.abbreviations
        )
    lex._spelled_cache.clear()  # (words spelled before the abbreviations were known)
    _code_ranges(kb, lex)

    t = _table(kb, "out-of-scope")
    if t is not None:
        rules = []
        for i, r in enumerate(t.records()):
            topic = r.get("topic", "").strip()
            reply = r.get("reply", "").strip()
            if topic not in SCOPE_TOPICS or not reply:
                problems.append(
                    Problem(
                        *where(t, i),
                        f"out-of-scope row needs a topic ({', '.join(SCOPE_TOPICS)}) and a reply",
                    )
                )
                continue
            rules.append(
                ScopeRule(
                    topic,
                    _cues(r.get("cues", ""), t, i, problems, lex),
                    reply,
                    _cues(r.get("unless", ""), t, i, problems, lex),
                    r.get("with a code", "").strip().lower() == "refused",
                )
            )
        lex.scope = tuple(rules)
    return lex


def _cues(
    text: str, table: Table, i: int, problems: list[Problem], lex: Lexicon
) -> tuple[Cue, ...]:
    out = []
    for cue in (c.strip() for c in text.replace("`", "").split(",")):
        if not cue:
            continue
        cue = _prefix_joined(_as_read(_phrased(cue, lex._phrases_by_first), lex.words))
        try:
            out.append(Cue(cue, cue_source(cue), _cue_words(cue)))
        except ValueError as exc:
            problems.append(Problem(table.path, table.row_line(i), f"cue {cue!r}: {exc}"))
    return tuple(out)


def _prefix_joined(cue: str) -> str:
    """A cue with :data:`~assistant.core.text.JOINED_PREFIX` joined to the word after it, as
    :func:`assistant.core.text.words` joins them in a question: "bill* ... non covered" is
    looked for as "bill* ... noncovered", since "non" is never a word of its own there."""
    parts = cue.split()
    if JOINED_PREFIX not in parts[:-1]:
        return cue
    out: list[str] = []
    for part in parts:
        if out and out[-1] == JOINED_PREFIX and part != "...":
            alts = (
                alt if alt.startswith(JOINED_PREFIX) else JOINED_PREFIX + alt
                for alt in part.split("/")
            )
            out[-1] = "/".join(dict.fromkeys(alts))
        else:
            out.append(part)
    return " ".join(out)


def _phrased(cue: str, by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]) -> str:
    """A cue with the phrases table (by first word, longest first) applied to its runs of plain
    words, as a question's words are read before cues are looked for: "will i be responsible
    for" is read "will i be maintain", and a cue written as people write would otherwise never
    be found. (Words with alternatives, wildcards or gaps are left as written, and so is a
    phrase read as nothing: a cue of filler alone, "certification in medical coding" read
    "certification", would say more than was meant.)"""
    parts = cue.split()
    if len(parts) < 2:
        return cue
    out: list[str] = []
    i = 0
    while i < len(parts):
        for phrase, replacement in by_first.get(parts[i], ()):
            n = len(phrase)
            run = parts[i : i + n]
            if replacement and tuple(run) == phrase and all(map(str.isalpha, run)):
                out.extend(replacement)
                i += n
                break
        else:
            out.append(parts[i])
            i += 1
    return " ".join(out) if out else cue


def _as_read(cue: str, words: dict[str, tuple[str, ...]]) -> str:
    """A cue with, beside each word the words table reads as another single word, that word:
    questions are matched as read ("my health insurance" is read "my health payer"), and the
    cue is written as people write."""
    parts = []
    for part in cue.split():
        alts = part.split("/")
        extra = []
        for alt in alts:
            plain = alt.lstrip("^")
            if plain.endswith("*") or not plain:
                continue
            reads = words.get(plain) or words.get(stem(plain))
            if reads and len(reads) == 1 and reads[0] not in alts and reads[0] not in extra:
                extra.append(reads[0])
        parts.append("/".join(alts + extra))
    return " ".join(parts)


def _concepts(kb: KnowledgeBase, facts: Facts | None, lex: Lexicon) -> None:
    """Concepts from the facts tables, then the lexicon's own rows (new concepts, or more
    aliases for one made from the facts)."""
    made: dict[str, tuple[list[str], list[str], str]] = {}  # id -> parents, aliases, label
    labelled: set[str] = set()  # concepts whose label a row has stated

    def add(cid: str, parents: list[str], aliases: list[str], label: str) -> None:
        labelled.add(cid)  # (the facts name their code sets, sections and modifiers)
        if cid in made:
            made[cid][1].extend(aliases)
        else:
            made[cid] = (list(parents), list(aliases), label)

    if facts is not None:
        for sec in facts.cpt_sections:
            add(
                section_concept(sec.name),
                ["cpt-category-1"],
                [sec.name, f"{sec.name} section"],
                f"the CPT {sec.name} section",
            )
        for name in facts.cpt_categories:
            add(
                category_concept(name),
                ["cpt"],
                [name, f"cpt {name}", f"{name} codes"],
                f"CPT {name}",
            )
        for letter in facts.level2:
            add(
                f"level2-{letter.lower()}",
                ["hcpcs-level-2"],
                [f"{letter} codes"],
                f"{letter} codes",
            )
        for code, mod in facts.modifiers.items():
            parent = "cpt-modifier" if mod.system == "CPT modifier" else "level2-modifier"
            # (letters that are a function word, "AT", would leave only "modifier" of these)
            aliases = (
                [f"modifier {code}", f"{code} modifier"]
                if code.lower() not in FUNCTION_WORDS
                else []
            )
            if code.isalpha() and code.lower() not in ENGLISH_PAIRS:
                aliases.append(code)  # "gy vs gz": letters that are not a word name the modifier
            add(f"modifier-{code.lower()}", [parent], aliases, f"modifier {code}")

    tables = [
        t
        for tid, t in kb.lexicon_tables.items()
        if tid == "concepts" or tid.startswith("concepts-")
    ]
    table = tables[0] if tables else None
    rows: list[tuple[str, list[str], list[str], str, int, str]] = []
    for table in tables:
        for i, r in enumerate(table.records()):
            cid = r.get("concept", "").strip().replace("`", "")
            if not ID_RE.match(cid):
                lex.problems.append(
                    Problem(table.path, table.row_line(i), f"concept id {cid!r} is not a slug")
                )
                continue
            parents = _cells(r.get("part of", ""))
            aliases = _cells(r.get("aliases", ""))
            stated = r.get("label", "").strip()
            label = stated or (aliases[0] if aliases else cid)
            rows.append((cid, parents, aliases, label, table.row_line(i), table.path))
            if cid in made:
                made[cid][0].extend(p for p in parents if p not in made[cid][0])
                if stated and cid not in labelled:
                    # (the row that names the concept, wherever its file sorts, gives its label
                    # and its first names: "DRG", "diagnosis related group", before a later
                    # file's "diagnostic related group")
                    made[cid] = (made[cid][0], [*aliases, *made[cid][1]], stated)
                else:
                    made[cid][1].extend(aliases)
            else:
                made[cid] = (parents, aliases, label)
            if stated:
                labelled.add(cid)

    for cid, (parents, aliases, label) in made.items():
        lex.concepts[cid] = Concept(
            cid, tuple(dict.fromkeys(parents)), tuple(dict.fromkeys(aliases)), label
        )

    def where(cid: str) -> tuple[str, int] | None:
        """The file and line of a concept's lexicon row, if it has one."""
        return next(((path, ln) for c, _p, _a, _l, ln, path in rows if c == cid), None)

    # Words people ask with ("define", "explain", "compare", "why"): an alias that reads as
    # one of them ("Definity" is "define" to the stemmer) would name its concept in every
    # question asked that way.
    asking = {
        t.term
        for name in ASKING_INTENTS
        for cue in lex.intents.get(name, ())
        if len(cue.words) == 1
        for w in cue.words[0]
        for t in lex.terms(w.rstrip("*"))
    }
    claimed: dict[tuple[str, ...], str] = {}
    for cid, concept in lex.concepts.items():
        for parent in concept.parents:
            if parent not in lex.concepts and (at := where(cid)):
                lex.problems.append(Problem(*at, f"concept {cid!r}: unknown parent {parent!r}"))
        for alias in concept.aliases:
            key = tuple(t.term for t in lex.terms(alias))
            read = lex.read(alias)
            if len(key) == 1 and len(read) > 1 and (at := where(cid)):
                # "same or similar" would be any "similar", "status i" any "status": the
                # function words of a name are not matched.
                lex.problems.append(
                    Problem(
                        *at,
                        f"alias {alias!r} of {cid!r} reads as the one word {key[0]!r} (function"
                        " words are not matched): write that word, or a name with another word",
                    )
                )
            for lost, why, instead in (
                # "no ncci edit" would be any "ncci edit": "no" is a function word
                (
                    _NEGATIONS,
                    "its negation",
                    'name what is missing in other words ("missing edit")',
                ),
                # "codes for the same procedure" would be any "code" and "procedure" ("same"
                # and "other" are function words; a longer name still says which it is)
                (
                    _SAMENESS if len(key) <= 2 else frozenset(),
                    None,
                    'say it in other words ("one procedure\'s codes") or leave the alias out',
                ),
            ):
                said = [w for w in read if w in lost]
                if said and not any(w in lost for w in key) and (at := where(cid)):
                    lex.problems.append(
                        Problem(
                            *at,
                            f"alias {alias!r} of {cid!r} reads without {why or repr(said[0])}, as"
                            f" {' '.join(key)!r} (function words are not matched): {instead}",
                        )
                    )
            if len(key) == 1 and key[0] in asking and (at := where(cid)):
                lex.problems.append(
                    Problem(
                        *at,
                        f"alias {alias!r} of {cid!r} reads as {key[0]!r}, a word questions are"
                        " asked with: write a name of two words",
                    )
                )
            if len(key) == 2 and key[0][0] == LETTER_MARK and key[1] == "code":
                key = key[:1]  # "J codes": the letter mark alone names the section
            if not key or key == ("code",):
                if at := where(cid):
                    lex.problems.append(
                        Problem(*at, f"alias {alias!r} of {cid!r} names nothing particular")
                    )
                continue
            owner = claimed.get(key)
            if owner is not None and owner != cid:
                if at := where(cid):
                    lex.problems.append(
                        Problem(
                            *at,
                            f"alias {alias!r} of {cid!r} reads the same as one of {owner!r}",
                        )
                    )
                continue
            claimed[key] = cid
            doers = tuple(_doer(t.word, t.term) for t in lex.terms(alias))
            if len(doers) == len(key):
                lex._doers[key] = lex._doers.get(key, frozenset()) | {doers}
    lex._doers = {k: v for k, v in lex._doers.items() if any(any(d) for d in v)}
    for key, cid in list(claimed.items()):
        # "behavioral health code": also "behavioral health" (but "how many cpt codes" is not
        # "how many cpt": a name that is a question stays whole)
        if len(key) >= 3 and key[-1] == "code" and key[:-1] not in claimed and key[0] not in ASKING:
            claimed[key[:-1]] = cid
            if key in lex._doers:
                lex._doers[key[:-1]] = frozenset(d[:-1] for d in lex._doers[key])
    lex._aliases = claimed
    lex._longest = max((len(k) for k in claimed), default=1)


# Words that turn a name round ("no ncci edit"), all function words to the matcher.
_NEGATIONS = frozenset({"no", "not", "without", "never", "nor"})
# Words that say which of two things a name is ("the same procedure", "another provider"), all
# function words to the matcher.
_SAMENESS = frozenset({"same", "other", "another"})


def _content_terms(words: Sequence[str], offset: int) -> list[Term]:
    """The terms of a sentence's words (read by Lexicon.read): function words dropped, the rest
    stemmed, each at its position plus ``offset`` and with the modal verbs before it counted."""
    out = []
    clause = 0
    for i, word in enumerate(words):
        if word in FUNCTION_WORDS:
            clause += word in MODALS
            continue
        out.append(Term(word, word if word[0] == LETTER_MARK else stem(word), offset + i, clause))
    return out


CUE_KINDS_KEPT = 4096  # concept names as said whose cue kinds are kept (see _cue_kinds)
MODAL_REACH = 3  # words from the end of an asking alias to the verb after its modal


def _may_be_done(key: tuple[str, ...], terms: list[Term], after: int) -> bool:
    """Whether an alias that asks how many codes there are ("how many ICD-10 codes") is
    followed at once by a modal verb: "how many ICD-10 codes can be billed?" asks how many one
    may use, not how many the code set holds."""
    if key[0] not in ASKING or key[-1] != "code" or after >= len(terms):
        return False
    last, nxt = terms[after - 1], terms[after]
    return nxt.clause > last.clause and nxt.index - last.index <= MODAL_REACH


def _doer(word: str, term: str) -> bool:
    """Whether a word names a doer that its stem does not ("modifier": "modifi")."""
    return word.endswith(("or", "ors", "er", "ers")) and not term.endswith(("or", "er"))


def _width(lo: str, hi: str) -> int:
    """How many codes a range spans (by its digits)."""

    def digits(code: str) -> int:
        return int("".join(ch for ch in code if ch.isdigit()) or 0)

    return digits(hi) - digits(lo)


_CODE_RANGE_RE = re.compile(r"^([0-9A-Z]{5})(?:\s*-\s*([0-9A-Z]{5}))?$")


def _code_ranges(kb: KnowledgeBase, lex: Lexicon) -> None:
    """The ``concept-codes`` table: code ranges that belong to concepts."""
    table = _table(kb, "concept-codes")
    if table is None:
        return
    for i, r in enumerate(table.records()):
        cid = r.get("concept", "").strip()
        concept = lex.concepts.get(cid)
        if concept is None:
            lex.problems.append(
                Problem(table.path, table.row_line(i), f"codes for unknown concept {cid!r}")
            )
            continue
        ranges = []
        for part in _cells(r.get("codes", "")):
            m = _CODE_RANGE_RE.match(part.upper())
            lo, hi = (m.group(1), m.group(2) or m.group(1)) if m else ("", "")
            if not m or lo > hi or lo[0].isdigit() != hi[0].isdigit():
                lex.problems.append(
                    Problem(
                        table.path,
                        table.row_line(i),
                        f"code range {part!r} of {cid!r} is not written as 99202 or 99202-99205",
                    )
                )
                continue
            ranges.append((lo, hi))
        lex.concepts[cid] = replace(concept, codes=concept.codes + tuple(ranges))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def category_concept(name: str) -> str:
    """The concept of a CPT category ("Category II": cpt-category-2; "PLA": cpt-pla)."""
    m = re.match(r"Category (I+)$", name)
    return f"cpt-category-{NUMBERS[m.group(1).lower()]}" if m else f"cpt-{_slug(name)}"


def section_concept(name: str) -> str:
    """The concept of a CPT section ("Pathology and Laboratory": cpt-pathology-and-laboratory)."""
    return "cpt-" + _slug(name)


# A phrasing made only of these words would match any question.
TOO_GENERIC = frozenset({"code", "what", "how", "who", "why", "when", "where", "which"})


def check(kb: KnowledgeBase, facts: Facts | None = None) -> list[Problem]:
    """Problems in the lexicon tables; entries whose ``### Meta`` names a concept or an intent
    the lexicon does not know; phrasings too generic to match, or that read the same to the
    engine as a phrasing of another entry. For ``hcpcs-assistant check``."""
    lex = build(kb, facts)
    problems = list(lex.problems)
    seen: dict[tuple[str, ...], str] = {}
    for entry in kb.entries:
        lines = entry.question_lines or (entry.line,) * len(entry.questions)
        for question, line in zip(entry.questions, lines, strict=False):
            key = tuple(t.term for t in lex.terms(question))
            if set(key) <= TOO_GENERIC:
                shown = " ".join(key) or "nothing"
                problems.append(
                    Problem(
                        entry.path,
                        line,
                        f"question {question!r} is too generic to match (reads as {shown!r})",
                    )
                )
            elif seen.get(key, entry.id) != entry.id:
                problems.append(
                    Problem(
                        entry.path,
                        line,
                        f"question {question!r} reads the same as one in entry {seen[key]!r}",
                    )
                )
            seen.setdefault(key, entry.id)
    for entry in kb.entries:
        for cid in _cells(entry.meta.get("concepts", "")):
            if cid not in lex.concepts:
                problems.append(
                    Problem(entry.path, entry.line, f"entry {entry.id!r}: unknown concept {cid!r}")
                )
        for name in _cells(entry.meta.get("intent", "")):
            if name not in INTENTS:
                problems.append(
                    Problem(
                        entry.path,
                        entry.line,
                        f"entry {entry.id!r}: intent {name!r} is not one of " + ", ".join(INTENTS),
                    )
                )
    return problems
