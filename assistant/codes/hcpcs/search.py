"""Ranking official descriptions against a few words ("cpap machine", "crutches").

Scoring, for each record that has at least one query term:

* coverage: the share of the query's weight that the record matches, where each term
  weighs its inverse document frequency (rare words count more), the head term (the item
  itself, e.g. *battery* in "hearing aid battery") weighs 1.5 times, and a term that is not
  in any description weighs as much as the rarest word, so unknown words push the score
  down instead of being ignored. Synonyms and typo corrections match at a lower weight.
* then small bonuses: for matches in the description's first segment (before the first
  comma, where CMS names the item: "Oxygen concentrator, single delivery port, ..."), for
  how much of that item name the words cover, for matches the short description has too,
  and for the word form typed ("crutches" over "crutch").

A record needs a coverage of at least :data:`MIN_COVERAGE`; results far below the best one
are dropped, so a weak match is never passed off as an answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from assistant.codes.hcpcs.text import (
    FIRST_SEGMENT,
    NEGATED,
    POSITIVE,
    SYNONYM_WEIGHT,
    SYNONYMS,
    query_terms,
)

IN_LONG, IN_SHORT = 1, 2  # postings flags; the word forms seen are stored shifted by 2

HEAD_WEIGHT = 1.5
FUZZY_WEIGHT = 0.85
SHORT_ONLY_STRENGTH = 0.75  # a term only the (abbreviated) short description has
MIN_COVERAGE = 0.65
RELATIVE_CUTOFF = 0.6  # drop results scoring below this share of the best one
BASE_QUALITY = 0.7
LEAD_BONUS = 0.08  # matches before the first comma, where CMS names the item
SHORT_BONUS = 0.08  # matches the short description has too
FORM_BONUS = 0.07  # the same word form as typed ("crutches" for "crutches")
FOCUS_BONUS = 0.07  # how much of that item name the query matched
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 16  # a pasted paragraph is not a search; keep its cost bounded
_CACHE_LIMIT = 50_000

# A row as SQLite returns it (sqlite3 gives its values no static type); the schema in
# store.py says what each column holds.
Row = tuple[Any, ...]
Query = Callable[..., list[Row]]  # (sql, parameters) -> rows


class Vocabulary:
    """Document frequencies of search terms, read from the database as needed."""

    def __init__(self, query: Query, kind: int, total: int):
        self._query = query
        self.kind = kind
        self.total = max(total, 1)
        self.max_idf = math.log(1 + self.total)
        self._df: dict[str, int] = {}
        self._fuzzy: dict[str, str | None] = {}

    def prefetch(self, terms: Iterable[str]) -> None:
        missing = [t for t in dict.fromkeys(terms) if t not in self._df]
        if not missing:
            return
        if len(self._df) > _CACHE_LIMIT:
            self._df.clear()
        marks = ",".join("?" * len(missing))
        rows = self._query(
            f"SELECT term, df FROM terms WHERE kind = ? AND term IN ({marks})",
            (self.kind, *missing),
        )
        found: dict[str, int] = dict(rows)
        for term in missing:
            self._df[term] = found.get(term, 0)

    def df(self, term: str) -> int:
        if term not in self._df:
            self.prefetch([term])
        return self._df[term]

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.df(term) > 0

    def idf(self, term: str) -> float:
        df = self.df(term)
        return math.log(1 + self.total / df) if df else self.max_idf

    def fuzzy(self, term: str) -> str | None:
        """The indexed word one typing slip (a letter missing, extra, wrong or two letters
        swapped) from a misspelt ``term``; the commonest such word, or None."""
        if len(term) < 6 or not term.isalpha():
            return None  # one slip from a short word is too often another real word
        if term in self._fuzzy:
            return self._fuzzy[term]
        # typing slips rarely hit the first letter, and allowing it invites wrong words
        # ("dental" is one letter from "rental")
        candidates = sorted(c for c in _one_slip(term) if c[:1] == term[:1] and c != term)
        best: str | None = None
        if candidates:
            marks = ",".join("?" * len(candidates))
            rows = self._query(
                f"SELECT term, df FROM terms WHERE kind = ? AND term IN ({marks})",
                (self.kind, *candidates),
            )
            if rows:
                best = max(rows, key=lambda row: (row[1], row[0]))[0]
        if len(self._fuzzy) > _CACHE_LIMIT:
            self._fuzzy.clear()
        self._fuzzy[term] = best
        return best


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _one_slip(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    out.update(a + c + b for a, b in splits for c in _ALPHABET)
    return out


def rank(
    query: Query,
    vocab: Vocabulary,
    kind: int,
    words: str,
    day: str,
    limit: int,
    expansions: dict[str, str] | None = None,
) -> list[tuple[int, float]]:
    """``(rid, score)`` of the best records for ``words``, active on ``day`` (ISO date).

    With ``expansions`` (abbreviation -> official words, :mod:`.lexicon`), a query holding an
    abbreviation is ranked as typed and as spelt out, and each record keeps its better score."""
    from assistant.codes.hcpcs.lexicon import expand

    ranked = _rank(query, vocab, kind, words, day, limit)
    expanded = expand(words[:MAX_QUERY_CHARS], expansions) if expansions else None
    if expanded is None:
        return ranked
    best = dict(ranked)
    for rid, score in _rank(query, vocab, kind, expanded[0], day, limit, expanded[1]):
        best[rid] = max(score, best.get(rid, 0.0))
    merged = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    if not merged:
        return []
    floor = merged[0][1] * RELATIVE_CUTOFF
    return [(rid, score) for rid, score in merged[:limit] if score >= floor]


def _rank(
    query: Query,
    vocab: Vocabulary,
    kind: int,
    words: str,
    day: str,
    limit: int,
    keep: frozenset[str] = frozenset(),
) -> list[tuple[int, float]]:
    if limit <= 0:
        return []
    terms, head = query_terms(words[:MAX_QUERY_CHARS], vocab, keep)
    if not terms:
        return []
    terms = terms[:MAX_QUERY_TERMS]
    if not any(len(t[0]) > 1 and not t[0].isdigit() for t in terms):
        return []  # "59", "j codes": a number or a letter alone describes no item
    vocab.prefetch([t[0] for t in terms] + [s for t in terms for s in SYNONYMS.get(t[0], ())])

    specs: list[tuple[float, float, dict[str, float], str, int, bool]] = []
    for i, (term, form, negated, weight) in enumerate(terms):
        if i == head and len(terms) > 1:
            weight *= HEAD_WEIGHT
        alternatives: dict[str, float] = {}
        if term in vocab:
            alternatives[term] = 1.0
        for synonym in SYNONYMS.get(term, ()):
            if synonym in vocab:
                alternatives.setdefault(synonym, SYNONYM_WEIGHT)
        if not alternatives:
            corrected = vocab.fuzzy(term)
            if corrected:
                alternatives[corrected] = FUZZY_WEIGHT
        if term in vocab:
            idf = vocab.idf(term)
        elif alternatives:
            idf = max(vocab.idf(a) for a in alternatives)
        else:
            idf = vocab.max_idf
        specs.append((weight, idf, alternatives, term, form, negated))

    wanted = sorted({a for spec in specs for a in spec[2]})
    if not wanted:
        return []
    total = sum(spec[0] * spec[1] for spec in specs)
    marks = ",".join("?" * len(wanted))
    rows = query(
        "SELECT term, rid, flags, nfirst FROM postings"
        f" WHERE kind = ? AND term IN ({marks}) AND (term_date IS NULL OR term_date >= ?)",
        (kind, *wanted, day),
    )
    docs: dict[int, dict[str, int]] = {}
    first_sizes: dict[int, int] = {}
    for term, rid, flags, nfirst in rows:
        docs.setdefault(rid, {})[term] = flags
        first_sizes[rid] = nfirst

    scored: list[tuple[float, int]] = []
    for rid, found in docs.items():
        matched = lead = short = exact = 0.0
        lead_hits = 0
        for weight, idf, alternatives, term, form, negated in specs:
            best, best_flags, used = 0.0, 0, ""
            polarity = NEGATED if negated else POSITIVE
            for alt, strength in alternatives.items():
                flags = found.get(alt)
                if flags is None or not (flags >> 2) & polarity:
                    continue  # "without wheels" does not match "wheels", nor the reverse
                if not flags & IN_LONG:
                    strength *= SHORT_ONLY_STRENGTH
                if strength > best:
                    best, best_flags, used = strength, flags, alt
            if not best:
                continue
            part = weight * idf * best
            matched += part
            if (best_flags >> 2) & FIRST_SEGMENT:
                lead += part
                lead_hits += 1
            if best_flags & IN_SHORT:
                short += part
            if used == term and (best_flags >> 2) & form:
                exact += part
        coverage = matched / total
        if coverage < MIN_COVERAGE:
            continue
        focus = min(1.0, lead_hits / max(first_sizes[rid], 1))
        quality = (
            BASE_QUALITY
            + LEAD_BONUS * lead / matched
            + SHORT_BONUS * short / matched
            + FORM_BONUS * exact / matched
            + FOCUS_BONUS * focus
        )
        scored.append((round(100.0 * coverage * quality, 1), rid))

    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], item[1]))
    floor = scored[0][0] * RELATIVE_CUTOFF
    return [(rid, score) for score, rid in scored[:limit] if score >= floor]
