"""Yes/no questions an entry decides, matched against the question asked.

An entry may list, under ``### Verdicts``, yes/no questions its facts decide, each with its
answer and the reason ("Can rule-out diagnoses be coded for an outpatient visit? -> No: code the
signs and symptoms."). When a yes/no question is answered by that entry and asks what one of
those verdicts asks, the answer starts with the verdict ("No. ..."), so that a yes/no question
gets its "Yes" or "No" first.

A verdict is used only when the two questions ask the same thing:

- every concept the question names is the verdict's, or below one of the verdict's in the
  concept tree ("critical care" is an E/M service, so a verdict on E/M codes decides it);
- nearly all of the question's words (weighted by how rare each is in the knowledge base) are
  the verdict's words, words of those concepts, codes (which imply their concepts) or words
  too common to tell entries apart;
- a fair share of the verdict's own distinctive words are in the question;
- both are negative or both positive ("can X be billed" and "can X not be billed" get opposite
  answers).

Otherwise no verdict is given and the entry answers as it is: a wrong "Yes" costs more than none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.core.kb import Entry, Verdict
from assistant.core.lexicon import Lexicon
from assistant.core.understand import Reading, read_question

COVERS_QUESTION = 0.75  # share of the question's words the verdict accounts for
COVERS_VERDICT = 0.4  # share of the verdict's own words found in the question
COMMON = 1.0  # a word this common (IDF below) says nothing about which question it is
NEGATION = re.compile(
    r"\b(?:not|never|cannot|without|no longer)\b|n't\b|\bnon-?billable\b", re.IGNORECASE
)


@dataclass(frozen=True)
class _Read:
    verdict: Verdict
    words: frozenset[str]
    concepts: frozenset[str]
    negative: bool


class Verdicts:
    """The verdicts of a knowledge base's entries, read once (stored with the index)."""

    def __init__(self, entries: Iterable[Entry], lexicon: Lexicon):
        self._lexicon = lexicon
        self._by_entry: dict[str, tuple[_Read, ...]] = {}
        for entry in entries:
            reads = []
            for v in entry.verdicts:
                reading = read_question(lexicon, v.question)
                reads.append(
                    _Read(
                        v,
                        frozenset(reading.keys),
                        frozenset(reading.concepts),
                        bool(NEGATION.search(v.question)),
                    )
                )
            if reads:
                self._by_entry[entry.id] = tuple(reads)

    def count(self) -> int:
        return sum(len(v) for v in self._by_entry.values())

    def decide(
        self,
        reading: Reading,
        entry_id: str,
        weight: Callable[[str], float],
        implied: Mapping[str, Sequence[str]] | None = None,
    ) -> Verdict | None:
        """The verdict of ``entry_id`` that the yes/no question ``reading`` asks, if any.
        ``weight`` says how much a word tells entries apart (its IDF); ``implied`` maps each
        code of the question (as a term: "99213") to the concepts it implies (office visits),
        which the reading's concepts include."""
        candidates = self._by_entry.get(entry_id)
        if not candidates or not reading.yes_no or reading.choices:
            return None
        implied = implied or {}
        negative = bool(NEGATION.search(reading.stem or reading.text))
        words = set(reading.keys)
        best: tuple[float, Verdict] | None = None
        for read in candidates:
            if read.negative != negative:
                continue
            # A code the verdict names itself ("Can 76942 be billed with 20611?") stands for
            # its concepts; one it does not name must fall under the verdict's concepts.
            named = {c for code, cs in implied.items() if code in read.words for c in cs}
            covered = self._covered([c for c in reading.concepts if c not in named], read)
            if covered is None and not named:
                continue
            covered = covered or set()
            distinctive = [w for w in read.words if weight(w) >= COMMON]
            asked = [w for w in words if weight(w) >= COMMON]
            total_asked = sum(weight(w) for w in asked)
            total_verdict = sum(weight(w) for w in distinctive)
            if not total_asked or not total_verdict:
                continue
            of_question = sum(
                weight(w)
                for w in asked
                if w in read.words or w in covered or self._held(implied.get(w, ()), read)
            )
            of_verdict = sum(weight(w) for w in distinctive if w in words or w in covered)
            share_q, share_v = of_question / total_asked, of_verdict / total_verdict
            if share_q >= COVERS_QUESTION and share_v >= COVERS_VERDICT:
                score = share_q + share_v
                if best is None or score > best[0]:
                    best = (score, read.verdict)
        return best[1] if best else None

    def _held(self, concepts: Iterable[str], read: _Read) -> bool:
        """Whether the verdict holds one of these concepts, or a concept above one."""
        return any(a in read.concepts for c in concepts for a in (c, *self._lexicon.ancestors(c)))

    def _covered(self, concepts: Iterable[str], read: _Read) -> set[str] | None:
        """The words of the concepts the question and the verdict share (the question's, and
        the verdict's it falls under), when the verdict holds every concept of the question (or
        one above it); None when one is not the verdict's, or none is named at all."""
        covered: set[str] = set()
        named = False
        for c in concepts:
            held = [a for a in (c, *self._lexicon.ancestors(c)) if a in read.concepts]
            if not held:
                return None
            covered |= self._lexicon.terms_of(c) | self._lexicon.terms_of(held[0])
            named = True
        return covered if named else None
