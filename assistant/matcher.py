"""Fuzzy matching of a question against every phrasing in the knowledge base.

A phrasing's score (0-100) blends two views of the normalised texts:

* rapidfuzz's token-sort similarity, which forgives typos and word order;
* an IDF-weighted overlap of topic words (an F1 of question and phrasing coverage), which
  forgives extra or missing filler and rewards the rare words that carry a topic.

It is then adjusted for what similarity alone gets wrong in this domain: key tokens (a section
letter such as ``#j``, a level or category number) and code-set names (HCPCS, CPT, ICD...) must
agree, so "k codes" is not "j codes" and "hcpcs sections" is not "cpt sections". A question must
also share at least one topic word with the knowledge base, so that "what is bitcoin" cannot
reach an answer through character overlap.

``THRESHOLD`` is the score below which a match is never presented as an answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .kb import Entry
from .normalize import content_tokens

THRESHOLD = 55.0
SUGGEST_FLOOR = 45.0
KEY_PENALTY = 22.0  # a key token of the question that the phrasing lacks
KEY_EXTRA = 10.0  # a key token of the phrasing that the question lacks
# Names of code sets and programs: a question about one is not answered by an entry about another.
CONCEPTS = frozenset("hcpcs cpt icd ndc cdt pcs".split())
CONCEPT_MISSING = 15.0  # the question names it, the phrasing does not
CONCEPT_EXTRA = 6.0  # the phrasing names it, the question does not
WEAK_IDF = 0.2  # weight of a topic-neutral word in the overlap score
TYPO_RATIO = 84
UNKNOWN_WEIGHT = 1.0  # weight of a word the knowledge base never uses, in the overlap score
RARE_POSTINGS = 40  # words in at most this many phrasings bring all of them into the pool
BETA2 = 2.0  # F-beta of the overlap: above 1, covering the question counts more than the phrasing
SIMILARITY_SHARE = 0.5  # share of character similarity in the blend (the rest: word overlap)  # two words this similar (and 5+ letters long) count as the same word

# Topic-neutral words: present in the knowledge base but not evidence that a question is on topic.
WEAK = frozenset(
    """how who when where why many much use used using new old good best right work make need
    find look name number way time year day made take go going see first last get got versus list
    all each every other another same call called start stand""".split()
)


# Everyday words the knowledge base happens to use, and the folded synonyms of everyday verbs
# ("change" -> update, "price" -> licence): they rank entries but do not show that a question is
# about coding at all, so "how do I change a flat tire" stays off topic.
GENERIC = WEAK | frozenset(
    """accept add after before become both check come count cover create current date early effect
    ever exist expire file fit five form four front group happen happened has have include included
    inside instead item line link long longer loud material no not often only order out page part
    per period put reading regular related repeat repeated replace replaced resource rule set seven
    side sign signed single site six skin sleep source specific still study thing three two up value
    verify version visit welcome whether without zero body machine mask power tube public online
    official common missing mistake forgot alway confirm decide pick primary secondary separate
    update licence choose maintain stand history retire pronounce origin use""".split()
)


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    question: str  # the entry's canonical question
    score: float


def _is_key(token: str) -> bool:
    """Section letters ("#j") and short numbers (a level, a category, a modifier): they must
    agree. Longer numbers such as years are ordinary words."""
    return token.startswith("#") or (token.isdigit() and len(token) <= 2)


@dataclass(frozen=True)
class _Phrasing:
    entry_id: str
    text: str
    tokens: frozenset[str]
    keys: frozenset[str]
    concepts: frozenset[str]
    weight: float  # sum of its tokens' IDF


class Matcher:
    """Index of every phrasing; built once per knowledge base."""

    def __init__(self, entries: tuple[Entry, ...] | list[Entry]):
        self._entries = {e.id: e for e in entries}
        per_entry: dict[str, set[str]] = {}
        raw: list[tuple[str, list[str]]] = []
        for e in entries:
            for q in e.questions:
                toks = content_tokens(q)
                if toks:
                    raw.append((e.id, toks))
                    per_entry.setdefault(e.id, set()).update(toks)
        n = max(1, len(per_entry))
        df: dict[str, int] = {}
        for toks in per_entry.values():
            for t in toks:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: WEAK_IDF if t in WEAK else math.log(1 + n / c) for t, c in df.items()}
        self._default_idf = math.log(1 + n)
        self._phrasings: list[_Phrasing] = []
        self._choices: dict[int, str] = {}
        self._postings: dict[str, list[int]] = {}
        for i, (eid, toks) in enumerate(raw):
            tokset = frozenset(toks)
            self._phrasings.append(
                _Phrasing(
                    eid,
                    " ".join(toks),
                    tokset,
                    frozenset(t for t in toks if _is_key(t)),
                    tokset & CONCEPTS,
                    sum(self._idf[t] for t in tokset),
                )
            )
            self._choices[i] = " ".join(toks)
            for t in tokset:
                self._postings.setdefault(t, []).append(i)
        self._short = frozenset(t for t in df if len(t) == 2 and t.isalpha())
        self._vocab = frozenset(
            t for t in df if not _is_key(t) and t not in GENERIC and len(t) >= 2
        )

    # -- on-topic gate ------------------------------------------------------------------------
    def _strong(self, toks: list[str]) -> list[str]:
        """Words that can show a question is on topic; two-letter ones only as known terms
        ("tc", "ga", "em"), since most short words are noise."""
        return [
            t
            for t in toks
            if not _is_key(t)
            and t not in GENERIC
            and (len(t) >= 3 or (len(t) == 2 and t in self._short))
        ]

    def _spell(self, token: str) -> str | None:
        """The knowledge-base word a typo stands for, if any."""
        if token in self._idf or len(token) < 5:
            return token if token in self._idf else None
        hit = process.extractOne(token, self._vocab, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO)
        # Slips rarely hit the first two letters; "printer" is not a misspelt "pointer".
        return hit[0] if hit and hit[0][:2] == token[:2] else None

    def on_topic(self, toks: list[str]) -> bool:
        """At least one topic word of the knowledge base, allowing a typo in longer words."""
        return any(self._spell(t) in self._vocab for t in self._strong(toks))

    # -- ranking ------------------------------------------------------------------------------
    def rank(self, question: str, limit: int = 4) -> list[Candidate]:
        """Best entries for a question, one candidate per entry, best first."""
        toks = content_tokens(question)
        if not toks or not self.on_topic(toks):
            return []
        spelled = [self._spell(t) or t for t in toks]
        # Words the knowledge base never uses cannot match anything: they only dilute the score a
        # little (chatty questions), instead of sinking it.
        known = [t for t in spelled if t in self._idf]
        unknown = len(spelled) - len(known)
        query = " ".join(known)
        qset = frozenset(known)
        qkeys = frozenset(t for t in spelled if _is_key(t))
        qconcepts = qset & CONCEPTS
        qweight = sum(self._idf[t] for t in qset) + UNKNOWN_WEIGHT * unknown

        pool = {
            idx
            for _c, _s, idx in process.extract(
                query, self._choices, scorer=fuzz.token_sort_ratio, processor=None, limit=25
            )
        }
        for t in qset:
            postings = self._postings.get(t, ())
            if t in self._vocab and len(postings) <= RARE_POSTINGS:
                pool.update(postings)

        best: dict[str, float] = {}
        for idx in pool:
            p = self._phrasings[idx]
            shared = sum(self._idf[t] for t in qset & p.tokens)
            recall = shared / qweight if qweight else 0.0
            precision = shared / p.weight if p.weight else 0.0
            overlap = (
                (1 + BETA2) * recall * precision / (BETA2 * precision + recall) if shared else 0.0
            )
            similarity = fuzz.token_sort_ratio(query, p.text)
            score = SIMILARITY_SHARE * similarity + (1 - SIMILARITY_SHARE) * 100 * overlap
            score -= (
                KEY_PENALTY * len(qkeys - p.keys)
                + KEY_EXTRA * len(p.keys - qkeys)
                + CONCEPT_MISSING * len(qconcepts - p.concepts)
                + CONCEPT_EXTRA * len(p.concepts - qconcepts)
            )
            if score > best.get(p.entry_id, -1.0):
                best[p.entry_id] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [
            Candidate(eid, self._entries[eid].title, round(max(0.0, s), 1)) for eid, s in ranked
        ]
