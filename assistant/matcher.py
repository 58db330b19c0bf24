"""Fuzzy matching of a question against every phrasing in the knowledge base.

The score is rapidfuzz's token-sort similarity of the normalised texts, adjusted for what fuzzy
similarity alone gets wrong in this domain:

* key tokens (a section letter such as ``#j``, a level or category number) must agree: "k codes"
  is not "j codes" although the strings differ by one character;
* a question must share at least one topic word with the knowledge base, so that "what is
  bitcoin" cannot reach an answer by character overlap.

``THRESHOLD`` is the score below which a match is not presented as an answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .kb import Entry
from .normalize import content_tokens

THRESHOLD = 72.0
SUGGEST_FLOOR = 45.0
KEY_PENALTY = 22.0

# Topic-neutral words: present in the knowledge base but not evidence that a question is on topic.
WEAK = frozenset(
    [
        "how",
        "who",
        "when",
        "where",
        "why",
        "many",
        "much",
        "use",
        "used",
        "using",
        "new",
        "old",
        "good",
        "best",
        "right",
        "work",
        "make",
        "need",
        "find",
        "look",
        "name",
        "number",
        "way",
        "time",
        "year",
        "day",
        "make",
        "made",
        "take",
        "go",
        "going",
        "see",
        "new",
        "first",
        "last",
        "get",
        "got",
        "versus",
        "difference",
        "list",
        "all",
        "each",
        "every",
        "other",
        "another",
        "same",
        "call",
        "called",
        "start",
        "stand",
    ]
)


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    question: str  # the entry's canonical question
    score: float


def _is_key(token: str) -> bool:
    return token.startswith("#") or token.isdigit()


class Matcher:
    """Index of every phrasing; built once per knowledge base."""

    def __init__(self, entries: tuple[Entry, ...] | list[Entry]):
        self._entries = {e.id: e for e in entries}
        self._choices: dict[int, str] = {}
        self._owner: dict[int, str] = {}
        self._keys: dict[int, frozenset[str]] = {}
        vocab: set[str] = set()
        for e in entries:
            for q in e.questions:
                toks = content_tokens(q)
                if not toks:
                    continue
                i = len(self._choices)
                self._choices[i] = " ".join(toks)
                self._owner[i] = e.id
                self._keys[i] = frozenset(t for t in toks if _is_key(t))
                vocab.update(toks)
        self._vocab = frozenset(
            t for t in vocab if len(t) >= 3 and not _is_key(t) and t not in WEAK
        )

    def on_topic(self, toks: list[str]) -> bool:
        """At least one topic word of the knowledge base, allowing a typo in longer words."""
        strong = [t for t in toks if len(t) >= 3 and not _is_key(t) and t not in WEAK]
        if any(t in self._vocab for t in strong):
            return True
        for t in strong:
            if len(t) >= 5 and process.extractOne(
                t, self._vocab, scorer=fuzz.ratio, score_cutoff=84
            ):
                return True
        return False

    def rank(self, question: str, limit: int = 4) -> list[Candidate]:
        """Best entries for a question, one candidate per entry, best first."""
        toks = content_tokens(question)
        if not toks or not self.on_topic(toks):
            return []
        query = " ".join(toks)
        qkeys = frozenset(t for t in toks if _is_key(t))
        hits = process.extract(
            query, self._choices, scorer=fuzz.token_sort_ratio, processor=None, limit=60
        )
        best: dict[str, float] = {}
        for _choice, score, idx in hits:
            missing = len(qkeys ^ self._keys[idx])
            adjusted = max(0.0, score - KEY_PENALTY * missing)
            eid = self._owner[idx]
            if adjusted > best.get(eid, -1.0):
                best[eid] = adjusted
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
        return [Candidate(eid, self._entries[eid].title, round(s, 1)) for eid, s in ranked]
