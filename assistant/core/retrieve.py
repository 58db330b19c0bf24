"""Ranking knowledge entries for a question.

Each entry is scored on four things, in this order of weight:

* **concepts**: how well the concepts the question names agree with the concepts the entry
  says it answers (its ``### Meta`` ``concepts``), with partial credit along the concept tree
  ("CPT" in a question about "modifier 25", a CPT modifier), rare concepts weighing more than
  common ones;
* **intent**: whether the entry answers what is asked (who, when, compare, how many...);
* **words**: a BM25F score over the entry's phrasings, title, tags and answer text (each field
  weighted and length-normalised apart), as a share of what the question's words could score;
* **wording**: rapidfuzz similarity of the question to the entry's closest phrasing, which
  forgives typos and word order.

The weights and the confidence thresholds (:mod:`assistant.confidence`) were chosen together on
the development part of the real-question set.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from string import ascii_lowercase

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from assistant.core.kb import Entry
from assistant.core.lexicon import Lexicon
from assistant.core.text import stem
from assistant.core.understand import Reading

K1 = 1.2
FIELDS = {  # weight, length normalisation
    "questions": (3.0, 0.4),
    "tags": (2.0, 0.3),
    "answer": (1.0, 0.75),
}
TYPO_RATIO = 84
SHORT_WORD = 6  # a typo in a word this short is one slip (see _another_word)
SLIP_WORD = 6  # a word this long or longer may be read as a known word a letter away
TOPICAL_SHARE = 0.12
COMMON_SHARE = 0.25  # a word in the phrasings or tags of this share of entries says little
WORD_POOL = 8  # entries scored for their words (besides those named by the concepts)
CONCEPT_POOL = 8  # entries scored because they answer a concept the question names
EACH_CONCEPT_POOL = 4  # and the best of each concept named, so that a narrow one is scored
PARENT_POOL = 6  # entries about the parents of the question's concepts, scored besides
COMMON_TERM = 0.2  # a term in more than this share of entries does not tell them apart
SHORTLIST = 15  # entries whose phrasings are compared with rapidfuzz
DEFINES_ITS_TOPIC = 0.7  # the intent score of "what is X" for an entry whose topic is X
DEFINES_NARROWER = 0.5  # ... and for an entry declared to define a topic below X
WORDING_GUESS = 0.5  # the wording similarity assumed before it is measured
EXACT_WORDING = 0.999  # a question whose words are those of a phrasing, in any order
EXACT_TERMS = 4  # content words, at least, for that to choose the entry
# Credit when the entry's concept is below the question's (more specific: an entry on J codes
# for a question on Level II) or above it (more general: an entry on Level II for a question on
# J codes, which answers it in part).
SPECIFIC, GENERAL = 0.45, 0.65
DECAY = 0.6  # each further step up or down the tree keeps this share of the credit
CONTEXT_WEIGHT = 0.3
ORDER_DECAY = 0.8  # weight of each further concept a question names, after the first
BROADER = 0.3  # weight of a concept that is above another one named beside it
BETA2 = 1.0  # F-beta of concept agreement: 1 weighs covering what is asked and saying nothing else alike
CONCEPT_SHARE = 0.35  # of the score, for a question whose concepts are specific
NAMED_SHARE = 0.5  # the weight of a word said only inside a long name of a concept
WORDS_FULL = 0.5  # a BM25F share of the ideal this high counts as a full match of the words
ASKED_SPECIFIC = 0.75  # share of a rare concept's weight that makes the asked concept specific
TOLD_SHARE = 0.3  # the weight of a word said only around the sentence that asks
# A year ("... in 2025?") mostly says when the question applies; entries about what changed
# that year still share it, at this weight.
YEAR_SHARE = 0.3
_YEAR = re.compile(r"^(?:19[89]|20[0-4])\d$")
# An entry naming parts of this many items of a form is about the whole form (an overview).
FORM_WIDE_ITEMS = 5
# A numbered part of a claim form, as questions and entries name it: "box 24J", "item 3",
# "block 21", "FL 42", "form locator 4". An entry about one part does not answer a question
# about another ("box 33b" is not answered by the entry on item 3).
_FORM_PART = re.compile(
    r"\b(?:box|boxes|item|items|block|blocks|field|fields|fl|form\s+locators?)\s*#?\s*"
    r"0?(\d{1,2})([a-z]?)\b",
    re.I,
)
TOLD = 0.4  # weight of a concept a long question names only in its story, not where it asks


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    question: str  # the entry's canonical question
    score: float  # 0-100
    concepts: float = 0.0  # the parts, 0-1, for calibration and tests
    intent: float = 0.0
    words: float = 0.0
    wording: float = 0.0


@dataclass(frozen=True)
class Profile:
    """What the engine knows of one entry."""

    id: str
    title: str
    concepts: tuple[str, ...]
    intents: tuple[str, ...]
    # How much each concept says about the entry: a concept above another of its concepts
    # ("ICD-10-CM" beside "the 7th character") says less than the one it contains.
    emphasis: tuple[float, ...] = ()
    # The numbered claim-form parts its phrasings and tags name ("24j", "3"): see form_parts.
    parts: frozenset[str] = frozenset()


class Retriever:
    """Index of the knowledge base; built once per knowledge base."""

    def __init__(self, entries: tuple[Entry, ...] | list[Entry], lexicon: Lexicon):
        self.lexicon = lexicon
        self.profiles: dict[str, Profile] = {}
        self._fields: dict[str, dict[str, Counter[str]]] = {}
        self._lengths: dict[str, dict[str, int]] = {}
        phrasings: dict[int, str] = {}
        self._phrasing_entry: dict[int, str] = {}
        for e in entries:
            profile = _profile(e, lexicon)
            self.profiles[e.id] = profile
            fields = {
                "questions": Counter(t.term for q in e.questions for t in lexicon.terms(q)),
                "tags": Counter(t.term for tag in e.tags for t in lexicon.terms(tag)),
                "answer": Counter(t.term for t in lexicon.terms(e.answer)),
            }
            self._fields[e.id] = fields
            self._lengths[e.id] = {f: sum(c.values()) for f, c in fields.items()}
            for q in e.questions:
                key = " ".join(t.term for t in lexicon.terms(q))
                if key:
                    idx = len(phrasings)
                    phrasings[idx] = key
                    self._phrasing_entry[idx] = e.id
        self._phrasings = phrasings
        self._sorted_phrasings: dict[str, list[str]] = {}
        for idx, key in phrasings.items():
            self._sorted_phrasings.setdefault(self._phrasing_entry[idx], []).append(
                " ".join(sorted(key.split()))
            )
        n = max(1, len(self._fields))
        df: Counter[str] = Counter()
        for fields in self._fields.values():
            df.update(set().union(*fields.values()))
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)
        self._avg = {
            f: max(1.0, sum(lengths[f] for lengths in self._lengths.values()) / n) for f in FIELDS
        }
        # BM25F: each term's saturated, field-weighted score in each entry, computed once.
        self._weights: dict[str, dict[str, float]] = {}
        self._packed: dict[str, tuple[tuple[str, ...], bytes]] = {}  # see __getstate__
        for eid, fields in self._fields.items():
            lengths = self._lengths[eid]
            for t in set().union(*fields.values()):
                tf = 0.0
                for name, (weight, b) in FIELDS.items():
                    count = fields[name].get(t)
                    if count:
                        tf += weight * count / (1 - b + b * lengths[name] / self._avg[name])
                score = self._idf[t] * tf * (K1 + 1) / (tf + K1)
                self._weights.setdefault(t, {})[eid] = score
        self._common = frozenset(t for t, c in df.items() if c > COMMON_TERM * n)
        self._by_concept: dict[str, set[str]] = {}
        for eid, profile in self.profiles.items():
            for c in profile.concepts:
                self._by_concept.setdefault(c, set()).add(eid)
        self._family = {c: frozenset(lexicon.ancestors(c)) for c in lexicon.concepts}
        # Concepts with others below them (code sets, sections, "modifier"): a question that
        # asks only about one of these leaves the rest of its words to say what about.
        self._broad = frozenset().union(*self._family.values()) if self._family else frozenset()
        concept_df: Counter[str] = Counter(c for p in self.profiles.values() for c in p.concepts)
        # Rare concepts weigh more; concepts of context (organisations, payers) weigh little.
        self._specific_weight = 0.5 + math.log(1 + n / 3)  # a concept 2 entries answer
        self._concept_weight = {
            c: (CONTEXT_WEIGHT if "context" in lexicon.ancestors(c) else 1.0)
            * (0.5 + math.log(1 + n / (1 + concept_df.get(c, 0))))
            for c in lexicon.concepts
        }
        self.vocabulary = frozenset(self._idf) | lexicon.alias_terms
        # Typos rarely hit the first two letters: candidates are looked for among the words
        # that start the same way.
        self._spell_choices: dict[str, list[str]] = {}
        for t in self.vocabulary:
            if len(t) >= 4 and t.isalpha():
                self._spell_choices.setdefault(t[:2], []).append(t)
        for choices in self._spell_choices.values():
            choices.sort()  # a tie between two spellings goes the same way in every run
        # The knowledge base's words as written, by first letter, with their terms: a letter
        # left out of a word ("modifer", "ctegory") is a slip away from the word, though its
        # stem may be further from the word's stem than a ratio allows.
        self._surface: dict[str, dict[str, str]] = {}
        for e in entries:
            for text in (*e.questions, *e.tags, e.title, e.answer):
                for said in lexicon.terms(text):
                    w = said.word
                    if len(w) >= SLIP_WORD and w.isalpha() and said.term in self.vocabulary:
                        self._surface.setdefault(w[0], {}).setdefault(w, said.term)
        # Topical words: one-word names of concepts and one-word tags, which name what the
        # knowledge base is about ("modifier", "ambulance", "superbill"), not everyday words
        # that happen to occur in a phrasing or in a longer name ("many", "last", "super"). A
        # knowledge base without a lexicon has only its phrasings' rarer words to go by.
        tagged: Counter[str] = Counter()
        asked: Counter[str] = Counter()
        for e in entries:
            tagged.update(
                one[0] for tag in e.tags if len(one := [t.term for t in lexicon.terms(tag)]) == 1
            )
        for fields in self._fields.values():
            asked.update(set(fields["questions"]) | set(fields["tags"]))
        named = lexicon.name_terms | frozenset(tagged)
        if not lexicon.concepts:
            named |= frozenset(t for t, c in asked.items() if c <= max(2, TOPICAL_SHARE * n))
        common = frozenset(t for t, c in asked.items() if c > max(2, COMMON_SHARE * n))
        self._topical = frozenset(
            t for t in named if t.isalpha() and len(t) >= 3 and t not in common
        )
        # What was only needed to build the index (it is kept small: the built-in knowledge
        # base's index is stored with the package, see assistant.core.prebuilt).
        del self._fields, self._lengths, self._phrasings, self._phrasing_entry, self._avg

    # -- storing -----------------------------------------------------------------------------
    # The term weights are some hundred thousand numbers: stored as one run of bytes a term (with
    # the entries it is in), they load in a fraction of the time, and a term's weights are made
    # a dictionary again when a question first uses it.
    def __getstate__(self) -> dict[str, object]:
        state = dict(vars(self))
        state["_weights"] = {}
        state["_packed"] = {
            t: self._packed[t]  # (a term no question has used is still packed)
            if (w := self._weights.get(t)) is None
            else (tuple(w), array("d", w.values()).tobytes())
            for t in self._idf
        }
        return state

    def _term(self, term: str) -> dict[str, float]:
        """Each entry's BM25F weight of a term of the index."""
        weights = self._weights.get(term)
        if weights is None:
            ids, packed = self._packed[term]
            weights = self._weights[term] = dict(zip(ids, array("d", packed), strict=True))
        return weights

    # -- typos -------------------------------------------------------------------------------
    @lru_cache(maxsize=8192)  # noqa: B019 - one retriever per knowledge base, kept for the run
    def spell(self, term: str) -> str:
        """The knowledge base's term that a typo stands for, or the term itself."""
        if term in self.vocabulary or len(term) < 5 or not term.isalpha():
            return term
        choices = self._spell_choices.get(term[:2], ())
        hit = process.extractOne(term, choices, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO)
        if hit is None or _only_extra_letters(term, hit[0]) or _another_word(term, hit[0]):
            # Two letters typed the wrong way round ("exlcudes") count twice in the ratio.
            return next((w for w in _transposed(term) if w in self.vocabulary), term)
        return hit[0]

    @lru_cache(maxsize=8192)  # noqa: B019 - one retriever per knowledge base, kept for the run
    def spell_typed(self, term: str, word: str) -> str:
        """The knowledge base's term for a word it does not know: the known word it is with a
        letter left out or typed twice (:meth:`_slipped`), or with two neighbouring letters
        swapped, or else :meth:`spell`'s nearest term. A slip in a word also keeps the stemmer
        from taking its ending off ("mdoifier" stems to itself, "modifier" to "modifi"), so the
        swap is undone on the word, read by the words table ("modfier" is "modifer", which reads
        as "modifier"), then stemmed."""
        if term in self.vocabulary or len(word) < 5 or not word.isalpha():
            return self.spell(term)
        # A letter left out is the commonest slip, and a known word one letter longer says
        # exactly which word was meant, where the nearest term by ratio may be another word
        # ("provder" is "provider", not the drug "Provera").
        slipped = self._slipped(word)
        if slipped is not None:
            return slipped
        # (so is a known word with two neighbouring letters swapped back: "modiifer")
        for swapped in _transposed(word):
            read = self.lexicon.read(swapped)
            if len(read) == 1 and (known := stem(read[0])) in self.vocabulary:
                return known
        return self.spell(term)

    def _slipped(self, word: str) -> str | None:
        """The term of the one word of the knowledge base that is ``word`` with a letter it left
        out (the first letter as typed), if there is exactly one: "ctegory" is "category". A
        letter mistyped is not undone this way: "hiking" and "familiar" are words of their
        own, one letter from "hiring" and "familial"."""
        said = self._slipped_word(word)
        return None if said is None else self._surface[word[0]][said]

    def _slipped_word(self, word: str) -> str | None:
        """The word of the knowledge base, as written, that :meth:`_slipped` reads ``word`` as
        (the shortest of its forms with that term: "modifer" is "modifier")."""
        if len(word) < SLIP_WORD:
            return None
        words = self._surface.get(word[0], {})
        near = [
            w
            for w, _d, _i in process.extract(
                word, list(words), scorer=Levenshtein.distance, score_cutoff=1, limit=None
            )
            if len(w) == len(word) + 1
        ]
        if not near:
            # a letter typed twice ("moodifier", "billiing"): the word with one of them
            near = [
                d
                for i in range(1, len(word))
                if word[i] == word[i - 1] and (d := word[:i] + word[i + 1 :]) in words
            ]
        if len({words[w] for w in near}) != 1:
            return None
        return min(near, key=lambda w: (len(w), w))

    @lru_cache(maxsize=8192)  # noqa: B019 - one retriever per knowledge base, kept for the run
    def respelled(self, word: str) -> str | None:
        """The knowledge base's word, as written, that a word it does not know (lower case, as
        typed) is a slip of: a letter left out or typed twice (:meth:`_slipped_word`), or two
        neighbouring letters swapped ("reimburesment"). None for a word it knows, and for one
        it cannot place with certainty. The question is read with such words put right before
        anything else (see read_question), so that the phrases that ask for a fee or name a
        topic are found in it as typed ("how much does medicare reimurse")."""
        if len(word) < SLIP_WORD or not word.isalpha():
            return None
        if all(stem(r) in self.vocabulary for r in self.lexicon.read(word)):
            # A word whose stem the knowledge base knows may still be a slip of a word it
            # writes: "biling" stems to "bile" and "remitance" to "remit", one letter short of
            # "billing" and "remittance". Only a letter left out is undone here, and only for a
            # word the knowledge base never writes as it is.
            if word in self._surface.get(word[0], {}):
                return None
            slipped = self._slipped_word(word)
            if slipped is None or stem(slipped) == stem(word):
                return None
            return slipped
        return self._slipped_word(word) or next(
            (
                swapped
                for swapped in _transposed(word)
                if len(r := self.lexicon.read(swapped)) == 1 and stem(r[0]) in self.vocabulary
            ),
            None,
        )

    def known(self, term: str) -> bool:
        return term in self._idf

    def holds(self, entry_id: str, term: str) -> bool:
        """Whether an entry's indexed text has a term."""
        return term in self._idf and entry_id in self._term(term)

    def idf(self, term: str) -> float:
        """How rare a term is in the knowledge base (a term it never uses counts as rare)."""
        return self._idf.get(term, self._max_idf)

    def topical(self, term: str) -> bool:
        """A word that shows a question is about something the knowledge base covers."""
        return term in self._topical

    def named(self, term: str) -> bool:
        """A word of some concept's name (an alias), or any topical word in a knowledge base
        without concepts."""
        return term in self._topical and (
            term in self.lexicon.name_terms or not self.lexicon.concepts
        )

    # -- scoring -----------------------------------------------------------------------------
    def rank(self, reading: Reading, limit: int = 4) -> list[Candidate]:
        """The best entries for a reading, one candidate each, best first."""
        keys = [
            k
            for k in dict.fromkeys(reading.keys + reading.offered)
            if k in self._idf and k not in reading.scene_words
        ]
        # Entries come into the pool by their rarer words; words in most entries ("code",
        # "what") are added to the pooled entries' scores afterwards.
        offered = frozenset(reading.offered)
        rare = [k for k in keys if k not in self._common]
        common = [k for k in keys if k in self._common]
        share = {
            k: TOLD_SHARE
            if k in reading.told or k in offered
            else NAMED_SHARE
            if k in reading.named
            else YEAR_SHARE
            if _YEAR.match(k)
            else 1.0
            for k in keys
        }
        words = _summed([(self._term(k), share[k]) for k in rare])

        def best(ids: Iterable[str], n: int) -> list[str]:
            get = words.get
            return _best({e: get(e, 0.0) for e in ids}, n)

        pool = set(_best(words, WORD_POOL))
        # Entries about the question's concepts, and about their parents: the best of each by
        # all their words, common ones too (a broad concept such as CPT names many entries, and
        # "hcpcs vs cpt" has no rarer word to choose among them by).
        named: set[str] = set()
        for c in reading.concepts:
            named.update(self._by_concept.get(c, ()))
        above: set[str] = set()
        for c in self._related(reading.concepts).difference(reading.concepts):
            above.update(self._by_concept.get(c, ()))
        weighed = pool | named | above
        if not weighed and common:
            weighed = set(self._term(common[0]))
            pool = set(weighed)
        get = words.get
        for k in common:
            weights = self._term(k)
            m = share[k]
            for eid in weights.keys() & weighed:  # (walks the shorter of the two)
                words[eid] = get(eid, 0.0) + weights[eid] * m
        for c in reading.concepts:  # the best of each concept, a narrow one too
            pool.update(best(set(self._by_concept.get(c, ())) - pool, EACH_CONCEPT_POOL))
        pool.update(best(named - pool, CONCEPT_POOL))
        pool.update(best(above - pool, PARENT_POOL))
        asked_parts = form_parts(reading.text)
        if asked_parts:
            profiles = self.profiles
            pool = {e for e in pool if not other_part(asked_parts, profiles[e].parts)}
        if not pool:
            return []
        ideal = sum(self._idf[k] * share[k] for k in keys) * (K1 + 1)
        rows = [self._row(q) for q in reading.concepts]
        asked = self._question_weights(reading)
        # How much the concepts say: a question that names only a broad concept ("CPT") is told
        # apart by its words more than by its concepts.
        focus = min(1.0, max(asked, default=0.0) / self._specific_weight)
        blend = self._blender(focus)
        merged, reach = self._merged_rows(reading.concepts)
        # The sides of a comparison are in the sentence that asks, not in a story around it.
        compared = [c for c in reading.concepts if not (reading.told and c in reading.story)]
        compare = reading.intent == "compare" and len(compared) >= 2 and not reading.codes_compared
        sides = [self._row(c) for c in self.lexicon.sides(compared)] if compare else []
        first: list[tuple[float, str, float, float, float]] = []
        defining = (
            {(c,) for c in reading.concepts}
            # (a story told around the question may be what it asks about; a scene that only
            # says who asks is not: "I work in a family practice. What is X?" asks what X is)
            if reading.intents[:1] == ("define",) and (not reading.told or reading.scene)
            else set()
        )
        # (the one topic a "what is X?" names: an entry defining a topic below it is narrower)
        topic = reading.concepts[0] if defining and len(reading.concepts) == 1 else None
        if defining:
            # (only for a topic no entry in the pool is declared to define)
            defining -= {
                self.profiles[eid].concepts[:1]
                for eid in pool
                if "define" in self.profiles[eid].intents
            }
        # (whether an entry in the pool is declared to define the one topic asked, first; a
        # broad topic, "CPT", is often what a question names beside a thing it has no name for,
        # "the plus sign before a CPT code")
        defined_exactly = (
            topic is not None
            and self._concept_weight.get(topic, 1.0) >= ASKED_SPECIFIC * self._specific_weight
        ) and any(
            self.profiles[eid].concepts[:1] == (topic,) and "define" in self.profiles[eid].intents
            for eid in pool
        )
        for eid in pool:
            profile = self.profiles[eid]
            if reach.isdisjoint(profile.concepts):
                agree = 0.0
            else:
                agree = _agreement(
                    rows, asked, profile, self._concept_weight, merged, self._weighed(eid)
                )
            if compare and agree:
                # A comparison is answered only by an entry that speaks of both sides.
                agree *= _both_sides(sides, profile.concepts)
            i = _intent_score(reading.intents, profile.intents)
            if (
                i == 1.0
                and topic is not None
                and profile.concepts
                and profile.concepts[0] != topic
                and (
                    topic in self.lexicon.ancestors(profile.concepts[0])
                    or topic in profile.concepts
                    or defined_exactly
                )
            ):
                # "What is the 3-day payment window?" is not defined by the entry that defines
                # modifier PD, one of the window's modifiers: a narrower topic. (Of two topics
                # named, a narrower one may be what both name: "box 6 on the UB-04" is a UB-04
                # form locator.) Nor by an entry that defines a topic of its own and names the
                # one asked after it: "What is an ABN?" is not answered by what a code that is
                # not covered means. And when an entry is declared to define the very topic,
                # first, an entry defining another ("What are anesthesia modifiers?" is the
                # modifiers' entry, not the one on the Anesthesia section).
                i = DEFINES_NARROWER
            if i < DEFINES_ITS_TOPIC and defining and profile.concepts[:1] in defining:
                # "What is Medicare's timely filing period?": an entry on a topic says what it is,
                # whatever else it is declared to answer, when no entry is declared to define it.
                i = DEFINES_ITS_TOPIC
            w = words.get(eid, 0.0) / ideal if ideal else 0.0
            first.append((blend(agree, i, w, WORDING_GUESS), eid, agree, i, w))
        first.sort(key=lambda x: (-x[0], x[1]))
        shortlist = first[:SHORTLIST]
        said = tuple(k for k in reading.keys if k not in reading.told) or reading.keys
        wording = self._wording(said, [eid for _pre, eid, *_parts in shortlist])
        scored = []
        for _pre, eid, agree, i, w in shortlist:
            f = wording.get(eid, 0.0)
            score = round(100 * blend(agree, i, w, f), 1)
            scored.append((-score, eid, agree, i, w, f))
        scored.sort(key=lambda x: x[:2])
        # A question that reads as one of an entry's phrasings, word for word, is what that
        # entry answers (no two entries share a phrasing), whatever the concepts say.
        # (a bag of a few common words, "what hcpcs code", is no particular phrasing)
        exact = (
            next((row for row in scored if row[5] >= EXACT_WORDING), None)
            if len(set(said)) >= EXACT_TERMS
            else None
        )
        if exact is not None and exact is not scored[0]:
            scored.remove(exact)
            scored.insert(0, exact)
        return [
            Candidate(eid, self.profiles[eid].title, -score, agree, i, w, f)
            for score, eid, agree, i, w, f in scored[:limit]
        ]

    @staticmethod
    def _blender(focus: float) -> Callable[[float, float, float, float], float]:
        """One score from the four parts (concepts ``c``, intent ``i``, words ``w``, wording
        ``f``), for a question whose concepts are this specific: ``focus`` (0-1); without any,
        words and wording decide, and the score is lower. (Made once per question, with what
        ``focus`` decides worked out: it scores every entry in the pool.)"""
        if focus <= 0.0:

            def loose(c: float, i: float, w: float, f: float) -> float:
                w = min(1.0, w / WORDS_FULL)
                return 0.85 * (0.15 * i + 0.5 * w + 0.35 * f)

            return loose
        share = CONCEPT_SHARE * focus
        rest = 1.0 - 0.15 - share

        def blend(c: float, i: float, w: float, f: float) -> float:
            w = min(1.0, w / WORDS_FULL)
            return share * c + 0.15 * i + rest * (0.6 * w + 0.4 * f)

        return blend

    def _wording(self, keys: tuple[str, ...], entry_ids: list[str]) -> dict[str, float]:
        """rapidfuzz similarity of the question to each entry's closest phrasing, 0-1 (word
        order ignored: both sides are compared with their words sorted)."""
        if not keys:
            return {}
        query = " ".join(sorted(keys))
        out: dict[str, float] = {}
        for eid in entry_ids:
            best = process.extractOne(query, self._sorted_phrasings[eid], scorer=fuzz.ratio)
            out[eid] = best[1] / 100 if best else 0.0
        return out

    def _related(self, concepts: tuple[str, ...]) -> set[str]:
        """The question's concepts and their parents: entries about these are worth scoring
        (others come in by their words)."""
        out = set(concepts)
        for c in concepts:
            out.update(
                p for p in self.lexicon.concepts[c].parents
            ) if c in self.lexicon.concepts else None
        return out

    @lru_cache(maxsize=8192)  # noqa: B019 - one retriever per knowledge base, kept for the run
    def _weighed(self, entry_id: str) -> tuple[tuple[tuple[str, float], ...], float]:
        """An entry's concepts with their weights (see :func:`_weighed`), worked out once."""
        return _weighed(self.profiles[entry_id], self._concept_weight)

    @lru_cache(maxsize=4096)  # noqa: B019 - one retriever per knowledge base, kept for the run
    def _row(self, asked: str) -> dict[str, float]:
        """How well each concept answers a question about ``asked``: 1 for itself, less for
        the concepts above it (more general) and below it (more specific)."""
        distance = self.lexicon.distance
        # (a concept's family are its ancestors: the distance to each is known)
        row = {
            c: GENERAL * DECAY ** ((distance(asked, c) or 1) - 1)
            for c in self._family.get(asked, ())
        }
        for c, above in self._family.items():
            if asked in above:
                row[c] = SPECIFIC * DECAY ** ((distance(c, asked) or 1) - 1)
        row[asked] = 1.0
        return row

    @lru_cache(maxsize=4096)  # noqa: B019 - as _row: the concept tree's, kept for the run
    def _merged_rows(self, concepts: tuple[str, ...]) -> tuple[dict[str, float], AbstractSet[str]]:
        """Each concept's best credit over the rows of ``concepts``, and the
        concepts any of them credits at all: worked out once for a set of concepts, since a
        row of a broad concept ("HCPCS") holds hundreds."""
        rows = [self._row(q) for q in concepts]
        if len(rows) == 1:
            return rows[0], rows[0].keys()
        merged: dict[str, float] = {}
        for row in rows:
            for c, v in row.items():
                if v > merged.get(c, 0.0):
                    merged[c] = v
        return merged, merged.keys()

    def answers_exactly(self, entry_id: str, concept: str) -> bool:
        """Whether an entry says it answers this very concept."""
        return concept in self.profiles[entry_id].concepts

    def concept_score(self, asked: tuple[str, ...], answered: tuple[str, ...]) -> float:
        """Agreement of the question's concepts with an entry's, 0-1."""
        rows = [self._row(q) for q in asked]
        weights = [self._concept_weight.get(q, 1.0) for q in asked]
        profile = Profile("", "", answered, (), _emphasis(answered, self.lexicon))
        merged = self._merged_rows(tuple(asked))[0]
        return _agreement(rows, weights, profile, self._concept_weight, merged)

    def _question_weights(self, reading: Reading) -> list[float]:
        """Each concept of the question by its rarity; unless two things are compared, the
        first named weighs most (the topic usually comes first), and one above another named
        concept ("HCPCS" in "a Level II code in HCPCS") weighs less."""
        concepts = reading.concepts
        even = reading.intent == "compare" or reading.yes_no
        # The story weighs less only when the sentence that asks names something specific:
        # "What CPT coding is reported for this visit?" leaves the story to say what about.
        # So does a story around a sentence that asks about a concept of its own without
        # pointing back to it (see Reading.told): "I work in a hospital billing office. Is
        # CPT the same as HCPCS Level I?" asks about CPT, broad as it is.
        told = reading.story and (
            bool(reading.told)
            or any(
                self._concept_weight.get(q, 1.0) >= ASKED_SPECIFIC * self._specific_weight
                and q not in self._broad
                for q in concepts
                if q not in reading.story
            )
        )
        out = []
        for position, q in enumerate(concepts):
            weight = self._concept_weight.get(q, 1.0)
            if not even:
                weight *= ORDER_DECAY**position
                if any(q in self.lexicon.ancestors(o) for o in concepts if o != q):
                    weight *= BROADER
            if told and q in reading.story:
                weight *= TOLD
            out.append(weight)
        return out


def _agreement(
    rows: Sequence[dict[str, float]],
    weights: Sequence[float],
    profile: Profile,
    concept_weight: dict[str, float],
    merged: dict[str, float],
    weighed: tuple[tuple[tuple[str, float], ...], float] | None = None,
) -> float:
    """F-beta of recall (the question's concepts the entry answers) and precision (the entry's
    concepts the question asks about): covering what is asked counts more. ``merged`` is the
    best of the rows for each concept (see Retriever._merged_rows). ``weighed``: the entry's
    concepts with their weights and the weights' sum (see :func:`_weighed`), when known."""
    answered = profile.concepts
    if not rows or not answered:
        return 0.0
    # Plain loops rather than generators: this runs for every entry scored.
    covered = 0.0
    for row, w in zip(rows, weights, strict=True):
        top = 0.0
        for e in answered:
            v = row.get(e, 0.0)
            if v > top:
                top = v
        covered += w * top
    recall = covered / sum(weights)
    if not recall:
        return 0.0
    best = merged.get
    pairs, weight_sum = weighed or _weighed(profile, concept_weight)
    total = 0.0
    for e, we in pairs:
        total += we * best(e, 0.0)
    precision = total / weight_sum
    if not precision:
        return 0.0
    b2 = BETA2
    return float((1 + b2) * recall * precision / (b2 * precision + recall))


def _weighed(
    profile: Profile, concept_weight: dict[str, float]
) -> tuple[tuple[tuple[str, float], ...], float]:
    """An entry's concepts, each with its weight (its rarity times its emphasis), and the sum
    of the weights, summed in order: the same for every question, so worked out once."""
    answered = profile.concepts
    pairs = []
    weight_sum = 0.0
    for e, emphasis in zip(answered, profile.emphasis or (1.0,) * len(answered), strict=True):
        we = concept_weight.get(e, 1.0) * emphasis
        weight_sum += we
        pairs.append((e, we))
    return tuple(pairs), weight_sum


def _both_sides(sides: Sequence[dict[str, float]], concepts: tuple[str, ...]) -> float:
    """How well an entry's concepts speak of the side it speaks of least."""
    least = 1.0
    for row in sides:
        top = 0.0
        for e in concepts:
            v = row.get(e, 0.0)
            if v > top:
                top = v
        if top < least:
            least = top
    return least


def _summed(postings: list[tuple[dict[str, float], float]]) -> dict[str, float]:
    """Each entry's score summed over the terms' postings, each term weighted. The longest
    posting list is copied rather than walked (a word such as "hcpcs" is in hundreds of
    entries); the sums are the same whatever the order."""
    if not postings:
        return {}
    postings = sorted(postings, key=lambda p: -len(p[0]))
    first, m = postings[0]
    out = dict(first) if m == 1.0 else {e: s * m for e, s in first.items()}
    get = out.get
    for weights, m in postings[1:]:
        if m == 1.0:
            for e, s in weights.items():
                out[e] = get(e, 0.0) + s
        else:
            for e, s in weights.items():
                out[e] = get(e, 0.0) + s * m
    return out


def _best(scores: dict[str, float], n: int) -> list[str]:
    """The ``n`` entries of highest score, ties by id. The n-th best score is found first (a
    sort of plain numbers, in C), so that only the few entries at or above it are ordered."""
    if len(scores) > n:
        floor = sorted(scores.values(), reverse=True)[n - 1]
        top = [(-w, e) for e, w in scores.items() if w >= floor]
    else:
        top = [(-w, e) for e, w in scores.items()]
    top.sort()
    return [e for _w, e in top[:n]]


def _intent_score(asked: tuple[str, ...], answered: tuple[str, ...]) -> float:
    if not asked:
        return 0.5
    if asked[0] in answered:
        return 1.0
    if any(a in answered for a in asked):
        return 0.7
    if "define" in answered:
        return 0.3
    return 0.0


def _profile(entry: Entry, lexicon: Lexicon) -> Profile:
    """The entry's declared concepts and intents, or ones read from its title and phrasings."""
    meta = entry.meta if hasattr(entry, "meta") else {}
    concepts = tuple(c.strip() for c in meta.get("concepts", "").split(",") if c.strip())
    intents = tuple(c.strip() for c in meta.get("intent", "").split(",") if c.strip())
    if not concepts or not intents:
        counts: Counter[str] = Counter()
        intent_counts: Counter[str] = Counter()
        for q in entry.questions:
            counts.update(set(f.concept for f in lexicon.find_concepts(lexicon.terms(q))))
            intent_counts.update(lexicon.intents_of(lexicon.flat(q))[:1])
        title = [f.concept for f in lexicon.find_concepts(lexicon.terms(entry.title))]
        n = len(entry.questions)
        if not concepts:
            concepts = tuple(
                dict.fromkeys(title + [c for c, k in counts.most_common() if k * 3 >= n])
            )
        if not intents:
            title_intents = lexicon.intents_of(lexicon.flat(entry.title))
            intents = tuple(
                dict.fromkeys(
                    title_intents[:1] + [i for i, k in intent_counts.items() if k * 3 >= n]
                )
            )
    parts = form_parts(" ; ".join((*entry.questions, *entry.tags)))
    return Profile(entry.id, entry.title, concepts, intents, _emphasis(concepts, lexicon), parts)


def form_parts(text: str) -> frozenset[str]:
    """The numbered claim-form parts a text names, as number and letter: "box 24J" is "24j",
    "FL 04" is "4"."""
    return frozenset(m[1] + m[2].lower() for m in _FORM_PART.finditer(text))


def other_part(asked: frozenset[str], named: frozenset[str]) -> bool:
    """Whether an entry naming the form parts ``named`` is about other parts than the ones a
    question asks about: it names some, and none is one asked, or the whole item a part asked
    belongs to, or a part of an item asked ("24" and "24c" go together, "24a" and "24j" do
    not). An entry naming the parts of many items is about the form as a whole."""
    if not asked or not named or len({_item(p) for p in named}) >= FORM_WIDE_ITEMS:
        return False
    whole = {_item(p) for p in asked}
    return not any(p in asked or p in whole or _item(p) in asked for p in named)


def _item(part: str) -> str:
    """The item a form part belongs to: "24j" is part of item "24"."""
    return part.rstrip(ascii_lowercase)


def _emphasis(concepts: tuple[str, ...], lexicon: Lexicon) -> tuple[float, ...]:
    """1 for each concept, less for one that is above another of the same list."""
    return tuple(
        BROADER if any(c in lexicon.ancestors(o) for o in concepts if o != c) else 1.0
        for c in concepts
    )


def _transposed(term: str) -> list[str]:
    """The term with each pair of neighbouring letters swapped."""
    return [term[:i] + term[i + 1] + term[i] + term[i + 2 :] for i in range(len(term) - 1)]


def _another_word(typed: str, known: str) -> bool:
    """Whether ``typed`` is more likely a word of its own than a typo for ``known``: the start
    of it ("media" of "medial", "complain" of "complaint"), or, for a word of up to six letters,
    more than one slip away ("recal" is not "rectal" with a letter lost, it is "recall")."""
    if known.startswith(typed):
        return True
    return len(typed) <= SHORT_WORD and Levenshtein.distance(typed, known) > 1


def _only_extra_letters(typed: str, known: str) -> bool:
    """Whether ``typed`` is ``known`` with letters added, other than a doubled one: then it is
    far more often another word ("heart", "forum", "thought") than a typo for "hear", "form",
    "though". A doubled letter ("modifierr") is still read as a typo."""
    if len(typed) <= len(known):
        return False
    rest = iter(typed)
    if not all(ch in rest for ch in known):
        return False
    undoubled = "".join(ch for i, ch in enumerate(typed) if i == 0 or ch != typed[i - 1])
    return undoubled != known and len(undoubled) > len(known)
