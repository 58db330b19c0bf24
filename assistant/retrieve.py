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
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .kb import Entry
from .lexicon import Lexicon
from .understand import Reading

K1 = 1.2
FIELDS = {  # weight, length normalisation
    "questions": (3.0, 0.4),
    "tags": (2.0, 0.3),
    "answer": (1.0, 0.75),
}
TYPO_RATIO = 84
TOPICAL_SHARE = 0.12
# Credit when the entry's concept is below the question's (more specific: an entry on J codes
# for a question on Level II) or above it (more general: an entry on Level II for a question on
# J codes, which answers it in part).
SPECIFIC, GENERAL = 0.45, 0.65


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
        n = max(1, len(self._fields))
        df: Counter[str] = Counter()
        for fields in self._fields.values():
            df.update(set().union(*fields.values()))
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._avg = {
            f: max(1.0, sum(lengths[f] for lengths in self._lengths.values()) / n) for f in FIELDS
        }
        self._postings: dict[str, list[str]] = {}
        for eid, fields in self._fields.items():
            for t in set().union(*fields.values()):
                self._postings.setdefault(t, []).append(eid)
        concept_df: Counter[str] = Counter(c for p in self.profiles.values() for c in p.concepts)
        self._concept_weight = {
            c: 0.5 + math.log(1 + n / (1 + concept_df.get(c, 0))) for c in lexicon.concepts
        }
        self.vocabulary = frozenset(self._idf) | frozenset(
            k for key in lexicon._aliases for k in key
        )
        self._spell_choices = [t for t in self.vocabulary if len(t) >= 4 and t.isalpha()]
        # Topical words: used in the phrasings or tags of a few entries, not in most of them
        # ("modifier", "ambulance"), unlike "what", "how" or "many".
        asked: Counter[str] = Counter()
        for fields in self._fields.values():
            asked.update(set(fields["questions"]) | set(fields["tags"]))
        self._topical = frozenset(
            t for t, c in asked.items() if c <= TOPICAL_SHARE * n and t.isalpha() and len(t) >= 3
        )

    # -- typos -------------------------------------------------------------------------------
    def spell(self, term: str) -> str:
        """The knowledge base's term that a typo stands for, or the term itself."""
        if term in self.vocabulary or len(term) < 5 or not term.isalpha():
            return term
        hit = process.extractOne(
            term, self._spell_choices, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO
        )
        # Slips rarely hit the first two letters; "printer" is not a misspelt "pointer".
        return hit[0] if hit and hit[0][:2] == term[:2] else term

    def known(self, term: str) -> bool:
        return term in self._idf

    def topical(self, term: str) -> bool:
        """A word that shows a question is about something the knowledge base covers."""
        return term in self._topical

    # -- scoring -----------------------------------------------------------------------------
    def rank(self, reading: Reading, limit: int = 4) -> list[Candidate]:
        keys = [k for k in dict.fromkeys(reading.keys) if k in self._idf]
        pool: set[str] = set()
        for k in keys:
            pool.update(self._postings.get(k, ()))
        for eid, profile in self.profiles.items():
            if set(profile.concepts) & self._related(reading.concepts):
                pool.add(eid)
        if not pool:
            return []
        ideal = sum(self._idf[k] for k in keys) * (K1 + 1)
        query = " ".join(reading.keys)
        wording: dict[str, float] = {}
        if query:
            for _choice, score, idx in process.extract(
                query, self._phrasings, scorer=fuzz.token_sort_ratio, limit=40
            ):
                eid = self._phrasing_entry[idx]
                wording[eid] = max(wording.get(eid, 0.0), score / 100)
        scored = []
        for eid in pool:
            profile = self.profiles[eid]
            c = self.concept_score(reading.concepts, profile.concepts)
            if reading.intent == "compare" and len(reading.concepts) >= 2:
                # A comparison is answered only by an entry that speaks of both sides.
                c *= min(self._match(q, profile.concepts) for q in reading.concepts[:2])
            i = _intent_score(reading.intents, profile.intents)
            w = self._bm25f(keys, eid) / ideal if ideal else 0.0
            f = wording.get(eid, 0.0)
            if reading.concepts:
                score = 0.45 * c + 0.15 * i + 0.25 * w + 0.15 * f
            else:
                score = 0.85 * (0.15 * i + 0.5 * w + 0.35 * f)
            scored.append(Candidate(eid, profile.title, round(100 * score, 1), c, i, w, f))
        scored.sort(key=lambda c: (-c.score, c.entry_id))
        return scored[:limit]

    def _related(self, concepts: tuple[str, ...]) -> set[str]:
        out = set(concepts)
        for c in concepts:
            out.update(self.lexicon.ancestors(c))
        return out

    def concept_score(self, asked: tuple[str, ...], answered: tuple[str, ...]) -> float:
        """Agreement of the question's concepts with an entry's, 0-1 (F2: covering what is
        asked counts more than saying nothing else)."""
        if not asked or not answered:
            return 0.0
        weight = self._concept_weight
        recall = sum(weight.get(q, 1.0) * self._match(q, answered) for q in asked) / sum(
            weight.get(q, 1.0) for q in asked
        )
        precision = sum(weight.get(a, 1.0) * self._match(a, asked) for a in answered) / sum(
            weight.get(a, 1.0) for a in answered
        )
        if not recall or not precision:
            return 0.0
        return 5 * recall * precision / (4 * precision + recall)

    def _match(self, concept: str, others: tuple[str, ...]) -> float:
        best = 0.0
        for other in others:
            if other == concept:
                return 1.0
            if concept in self.lexicon.ancestors(other):
                best = max(best, SPECIFIC)
            elif other in self.lexicon.ancestors(concept):
                best = max(best, GENERAL)
        return best

    def _bm25f(self, keys: list[str], eid: str) -> float:
        fields = self._fields[eid]
        lengths = self._lengths[eid]
        total = 0.0
        for k in keys:
            tf = 0.0
            for name, (weight, b) in FIELDS.items():
                count = fields[name].get(k)
                if count:
                    norm = 1 - b + b * lengths[name] / self._avg[name]
                    tf += weight * count / norm
            if tf:
                total += self._idf[k] * tf * (K1 + 1) / (tf + K1)
        return total


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
                dict.fromkeys(title_intents[:1] + [i for i, k in intent_counts.items() if k * 3 >= n])
            )
    return Profile(entry.id, entry.title, concepts, intents)
