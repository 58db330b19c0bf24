"""What ``answer()`` returns: a typed :class:`Answer` and its parts.

Front ends render these fields (the command line as Markdown or JSON, the chat app as widgets)
and never read the Markdown back: the alternatives, the confidence, the code cards and any data
problem are fields of their own. ``Answer.to_dict()`` is the JSON of the command-line contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.codes import classify as codes

MAX_QUESTION = 2000  # characters looked at; a pasted page is cut, not refused
CUT_NOTE = f"_Your question was long: only its first {MAX_QUESTION:,} characters were read._"
Kind = Literal["answer", "code", "fallback"]
Confidence = Literal["high", "uncertain", "none"]
# Questions a fallback offers when no topic is close.
STARTERS = (
    "What is the difference between HCPCS and CPT?",
    "What are J codes?",
    "What are the CPT sections?",
    "What is a modifier?",
)

CLOSEST_HEADING = "Closest topics I can answer:"
EXAMPLES_HEADING = "You could ask, for example:"
DID_YOU_MEAN_HEADING = "Not what you meant? Did you mean:"


@dataclass(frozen=True)
class Alternative:
    """A topic close to the question ("did you mean"): an entry and its title question."""

    entry_id: str
    question: str  # the entry's first question, its title in every front end
    score: float

    def to_dict(self) -> dict[str, object]:
        return {"entry_id": self.entry_id, "question": self.question, "score": self.score}


@dataclass(frozen=True)
class EntryRef:
    """The knowledge-base entry an answer comes from."""

    id: str
    title: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choices:
    """Questions a front end offers under an answer, under a heading (none: nothing to offer)."""

    heading: str = ""
    questions: tuple[str, ...] = ()

    def markdown(self) -> str:
        return f"{self.heading}\n\n" + "\n".join(f"- {q}" for q in self.questions)


@dataclass(frozen=True)
class Answer:
    """A reply, in typed parts. :attr:`markdown` puts them together as the contract's
    ``answer`` text; :meth:`to_dict` is the contract's Answer object."""

    question: str  # the question as read (cleaned, and cut when very long)
    kind: Kind  # "answer" (an entry or composed facts), "code" (code cards) or "fallback"
    # The answer itself in Markdown: the entry's (or the composed) answer, a fallback's message.
    body: str
    # What the question asks about its codes ("**4 units** of J3301"), or the option of a pasted
    # multiple-choice question the answer supports: shown first. "" when there is none.
    lead: str = ""
    cards: str = ""  # the cards (or summary lines) of the question's codes, Markdown; "" without
    cards_first: bool = False  # a code question that asks what its codes are: cards, then entry
    entry: EntryRef | None = None
    score: float = 0.0
    alternatives: tuple[Alternative, ...] = ()  # the closest other topics, best first
    codes: tuple[codes.CodeInfo, ...] = ()
    sources: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    confidence: Confidence = "none"  # "high", "uncertain" or "none" (a fallback)
    release: str | None = field(default=None, compare=False)  # imported data used, if any
    # The topic of the out-of-scope rule a fallback comes from ("fees", "coverage", "careers",
    # "products", "clinical", "legal"...; see knowledge/lexicon/scope.md), for front ends to title it; None
    # for every other reply.
    out_of_scope: str | None = field(default=None, compare=False)
    # Why the imported data could not be used (one line for the user), None when it could.
    data_problem: str | None = field(default=None, compare=False)
    cut: bool = False  # the question was long: only its first MAX_QUESTION characters were read

    @property
    def entry_id(self) -> str | None:
        return self.entry.id if self.entry is not None else None

    @property
    def is_uncertain(self) -> bool:
        """An answer that may not be what was meant (a fallback is not an answer at all): the
        one rule by which every front end marks it and offers its alternatives."""
        return self.kind != "fallback" and self.confidence == "uncertain"

    @property
    def choices(self) -> Choices:
        """The questions to offer under this answer: a fallback's closest topics (or example
        questions when there are none), an uncertain answer's alternatives; none otherwise."""
        questions = tuple(a.question for a in self.alternatives)
        if self.kind == "fallback":
            if questions:
                return Choices(CLOSEST_HEADING, questions)
            return Choices(EXAMPLES_HEADING, STARTERS)
        if self.is_uncertain and questions:
            return Choices(DID_YOU_MEAN_HEADING, questions)
        return Choices()

    def render(self, *, choices: bool = True) -> str:
        """The whole answer as Markdown. A fallback lists its :attr:`choices` in the text;
        ``choices=False`` leaves them out, for a front end that offers them as options."""
        if self.kind == "code" and self.body and self.cards:
            pair = (self.cards, self.body) if self.cards_first else (self.body, self.cards)
            middle = [pair[0], "---", pair[1]]
        else:
            offered = self.choices.markdown() if choices and self.kind == "fallback" else ""
            middle = [self.body, offered, self.cards]
        parts = [self.lead, *middle, CUT_NOTE if self.cut else ""]
        return "\n\n".join(p for p in parts if p)

    @property
    def markdown(self) -> str:
        """The whole answer as Markdown: the contract's ``answer``."""
        return self.render()

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "kind": self.kind,
            "answer": self.markdown,
            "entry_id": self.entry_id,
            "score": self.score,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "codes": [c.to_dict() for c in self.codes],
            "sources": list(self.sources),
            "elapsed_ms": self.elapsed_ms,
            "confidence": self.confidence,
        }
