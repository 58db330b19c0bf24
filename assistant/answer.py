"""One function answers a question: ``answer(question) -> Answer``.

The chat app, the command line and the tests all call it. An :class:`Assistant` holds what is
loaded once (knowledge base, matcher index, section facts) and what loads lazily (ICD-10-CM, the
imported HCPCS file); ``answer()`` uses a default one built on first call.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cards, codes, facts, kb
from .matcher import SUGGEST_FLOOR, THRESHOLD, Candidate, Matcher
from .normalize import content_tokens

MAX_QUESTION = 2000  # characters looked at; a pasted page is cut, not refused
ECHO_LIMIT = 500  # characters of the question echoed back
STRONG = 70.0  # a knowledge entry this good is shown beside a code card
SEARCH_MIN = 70.0  # word-search hits below this score are not shown
SEARCH_LIMIT = 5
# A question that asks for a code by what it describes: "code for a cpap", "what code is crutches".
LOOKUP_INTENT = re.compile(
    r"\b(code|codes|hcpcs)\s+(for|is)\b|\b(what|which)\s+(hcpcs\s+)?codes?\b|\bcodes?\s*\??$", re.I
)

# Words that may surround a code in a question that is only about the code.
CODE_FILLER = frozenset(
    [
        "versus",
        "code",
        "hcpcs",
        "cpt",
        "modifier",
        "icd",
        "cm",
        "pcs",
        "ndc",
        "10",
        "section",
        "category",
        "level",
        "system",
        "set",
        "valid",
        "billable",
        "real",
        "exist",
        "look",
        "lookup",
        "up",
        "check",
        "classify",
        "belong",
        "go",
        "number",
        "#i",
        "#ii",
        "this",
        "that",
        "does",
        "mean",
        "stand",
        "for",
        "tell",
        "explain",
        "describe",
        "used",
        "use",
        "when",
        "bill",
        "billing",
        "claim",
        "same",
        "pleas",
        "def",
        "is",
        "what",
        "which",
        "kind",
        "type",
        "1",
        "2",
        "3",
        "ii",
        "iii",
        "belong",
        "doe",
        "work",
    ]
)

FEE_PATTERNS = [
    re.compile(r"\$\s?\d"),
    re.compile(
        r"\bhow much\b.*\b(pay|paid|reimburs\w*|get|charge|allow\w*|worth|medicare|medicaid|insurance|payer|for)\b"
    ),
    re.compile(
        r"\b(reimbursement|payment|fee|allowable|allowed)\s+(amount|rate|schedule amount)s?\b"
    ),
    re.compile(r"\b(does|do|will|would|did)\s+(\w+\s+){1,3}(pay|reimburse|allow)\b"),
    re.compile(r"\breimburs\w*\b"),
    re.compile(r"\b(rate|price|fee|payment|amount)s?\s+(for|of)\b"),
]
LICENCE_WORDS = re.compile(
    r"\b(licen[cs]\w*|copyright\w*|free|book|books|subscription|download\w*|purchase|buy)\b"
)

FALLBACK_HEAD = "I don't have an answer to that in my knowledge base."
SCOPE = (
    "I answer questions about CPT and HCPCS codes, modifiers and the related code sets "
    "(ICD-10-CM, NDC), and I classify codes you type, such as `99213`, `J1745`, `E11.9` or "
    "`modifier 59`."
)
STARTERS = (
    "What is the difference between HCPCS and CPT?",
    "What are J codes?",
    "What are the CPT sections?",
    "What is a modifier?",
)
FEE_TEXT = (
    "I don't quote payment or fee amounts: they depend on the payer, the year, the locality and "
    "the contract. For Medicare, look the code up in the CMS fee schedule that applies (for example "
    "the Physician Fee Schedule, or the DMEPOS fee schedule for equipment and supplies); for other "
    "payers, check the payer's own fee schedule or contract."
)


@dataclass(frozen=True)
class Alternative:
    entry_id: str
    question: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"entry_id": self.entry_id, "question": self.question, "score": self.score}


@dataclass(frozen=True)
class Answer:
    """A reply: the contract's Answer object."""

    question: str
    kind: str  # "answer", "code" or "fallback"
    answer: str
    entry_id: str | None = None
    score: float = 0.0
    alternatives: tuple[Alternative, ...] = ()
    codes: tuple[codes.CodeInfo, ...] = ()
    sources: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    release: str | None = field(default=None, compare=False)  # imported data used, if any

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind,
            "answer": self.answer,
            "entry_id": self.entry_id,
            "score": self.score,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "codes": [c.to_dict() for c in self.codes],
            "sources": list(self.sources),
            "elapsed_ms": self.elapsed_ms,
        }


def is_fee_question(question: str) -> bool:
    """Asks for a payment amount (which the assistant never gives), not for a licence cost."""
    text = question.lower()
    if LICENCE_WORDS.search(text):
        return False
    return any(p.search(text) for p in FEE_PATTERNS)


class Assistant:
    """Knowledge, index and data, loaded once; answers questions."""

    def __init__(self, knowledge: kb.KnowledgeBase, data_source=None):
        self.kb = knowledge
        self.facts = facts.build(knowledge)
        self.matcher = Matcher(knowledge.entries)
        # Words a question about a code may use without being about anything else: filler, and
        # the names of code sets and sections ("is 99500 an E/M code?", "is J1745 a drug code?").
        self._code_words = CODE_FILLER | _name_words(self.facts)
        self._data_source = data_source  # callable returning HcpcsData | None, called lazily
        self._data: Any = None
        self._data_loaded = False
        self.data_problem: str | None = None

    @classmethod
    def from_dir(cls, directory: str | Path | None = None, data_source=None) -> Assistant:
        return cls(kb.load(directory), data_source)

    # -- imported data ---------------------------------------------------------------------
    @property
    def data(self):
        """The imported HCPCS Level II file, opened on first use (None when there is none).

        A broken data directory is not fatal: the problem is kept in ``data_problem`` for the
        interface to show once, and answers carry on without official descriptions.
        """
        if not self._data_loaded:
            self._data_loaded = True
            if self._data_source is not None:
                try:
                    self._data = self._data_source()
                except Exception as exc:  # noqa: BLE001 - any data failure means "no data"
                    self._data = None
                    self.data_problem = str(exc) or type(exc).__name__
        return self._data

    def _known_modifier(self, code: str) -> bool:
        data = self.data
        return bool(data is not None and data.modifier(code) is not None)

    # -- answering ---------------------------------------------------------------------------
    def classify(self, code: str) -> codes.CodeInfo:
        return codes.classify(code, self.facts, self.data)

    def answer(self, question: str) -> Answer:
        t0 = time.perf_counter()
        reply = self._answer(question if isinstance(question, str) else str(question))
        elapsed = round((time.perf_counter() - t0) * 1000, 3)
        return _with(reply, elapsed_ms=elapsed)

    def _answer(self, question: str) -> Answer:
        text = question[:MAX_QUESTION]
        echo = question if len(question) <= ECHO_LIMIT else question[:ECHO_LIMIT] + "…"
        found = codes.detect(text, self.facts, self._known_modifier)
        infos = _unique(codes.classify(f.text, self.facts, self.data, f.shape) for f in found)
        remainder = _without_spans(text, found)
        candidates = self.matcher.rank(text)
        best = candidates[0] if candidates and candidates[0].score >= THRESHOLD else None
        release = getattr(self.data, "release", None) if infos else None

        if is_fee_question(text):
            return self._fallback(echo, candidates, infos, lead=FEE_TEXT)
        about_codes = all(t in self._code_words for t in content_tokens(remainder))
        if infos and (about_codes or best is None or best.score < STRONG):
            return self._code_reply(echo, infos, candidates, release)
        if best is not None:
            hits = self._search(text) if not infos and LOOKUP_INTENT.search(text) else []
            return self._entry_reply(echo, best, candidates, infos, release, hits)
        hits = self._search(text)
        if hits:
            return self._search_reply(echo, hits, candidates)
        return self._fallback(echo, candidates, infos)

    def _search(self, text: str) -> list:
        """Active Level II codes whose official descriptions match the question's words."""
        data = self.data
        if data is None:
            return []
        try:
            hits = data.search(text, limit=SEARCH_LIMIT)
        except Exception:  # noqa: BLE001 - a failing data file must not stop the answer
            return []
        return [(record, score) for record, score in hits if score >= SEARCH_MIN]

    def _search_reply(self, echo, hits, candidates) -> Answer:
        release = self.data.release
        body = (
            "These active HCPCS Level II codes have official descriptions that match your words, "
            "best first:\n\n" + cards.search_list(hits) + "\n\n"
            "Check the full descriptor and the payer's rules before you bill one of them."
        )
        return Answer(
            question=echo,
            kind="answer",
            answer=body,
            score=round(hits[0][1], 1),
            alternatives=_alternatives(candidates),
            sources=(f"CMS: Alpha-Numeric HCPCS file, {release}",),
            release=release,
        )

    def _entry_reply(self, echo, best: Candidate, candidates, infos, release, hits=()) -> Answer:
        entry = self.kb.by_id(best.entry_id)
        body = entry.answer
        sources = entry.sources
        hits = [h for h in hits if h[0].code not in body]  # only codes the answer does not name
        if hits:
            release = self.data.release
            body += "\n\n**Matching codes in the official HCPCS file**\n\n" + cards.search_list(
                hits
            )
            sources = (*sources, f"CMS: Alpha-Numeric HCPCS file, {release}")
        if infos:
            body += "\n\n**Codes in your question**\n\n" + "\n".join(
                cards.summary_line(c) for c in infos
            )
        return Answer(
            question=echo,
            kind="answer",
            answer=body,
            entry_id=entry.id,
            score=best.score,
            alternatives=_alternatives(candidates[1:]),
            codes=tuple(infos),
            sources=sources,
            release=release,
        )

    def _code_reply(self, echo, infos, candidates, release) -> Answer:
        body = cards.cards(infos)
        entry_id, score, sources = None, 0.0, _code_sources(infos, release)
        alternatives = _alternatives(candidates)
        if candidates and candidates[0].score >= STRONG:
            entry = self.kb.by_id(candidates[0].entry_id)
            body += f"\n\n---\n\n**{entry.title}**\n\n{entry.answer}"
            entry_id, score = entry.id, candidates[0].score
            sources = sources + tuple(s for s in entry.sources if s not in sources)
            alternatives = _alternatives(candidates[1:])
        return Answer(
            question=echo,
            kind="code",
            answer=body,
            entry_id=entry_id,
            score=score,
            alternatives=alternatives,
            codes=tuple(infos),
            sources=sources,
            release=release,
        )

    def _fallback(self, echo, candidates, infos, lead: str | None = None) -> Answer:
        alternatives = _alternatives(candidates)
        parts = [lead or FALLBACK_HEAD, "" if lead else SCOPE]
        if alternatives:
            parts.append(
                "Closest topics I can answer:\n\n"
                + "\n".join(f"- {a.question}" for a in alternatives)
            )
        else:
            parts.append("You could ask, for example:\n\n" + "\n".join(f"- {q}" for q in STARTERS))
        if infos:
            parts.append(cards.cards(infos))
        return Answer(
            question=echo,
            kind="fallback",
            answer="\n\n".join(p for p in parts if p),
            alternatives=alternatives,
            codes=tuple(infos),
        )


def _alternatives(candidates) -> tuple[Alternative, ...]:
    return tuple(
        Alternative(c.entry_id, c.question, c.score) for c in candidates if c.score >= SUGGEST_FLOOR
    )[:3]


def _code_sources(infos, release) -> tuple[str, ...]:
    out: list[str] = []
    systems = {c.system for c in infos}
    if systems & {"CPT", "CPT modifier"}:
        out.append("AMA: CPT code set structure (section ranges and categories)")
    if systems & {"HCPCS Level II", "HCPCS Level II modifier", "HCPCS Level III"}:
        out.append(
            f"CMS: Alpha-Numeric HCPCS file, {release}"
            if release
            else "CMS: HCPCS - General Information"
        )
    if "ICD-10-CM" in systems:
        out.append("CDC/NCHS: ICD-10-CM code set (via simple-icd-10-cm)")
    if "ICD-10-PCS" in systems:
        out.append("CMS: ICD-10-PCS Official Guidelines")
    if "NDC" in systems:
        out.append("FDA: National Drug Code Directory")
    return tuple(out)


def _unique(infos) -> list[codes.CodeInfo]:
    seen, out = set(), []
    for c in infos:
        if c.code not in seen:
            seen.add(c.code)
            out.append(c)
    return out


def _without_spans(text: str, found) -> str:
    out, pos = [], 0
    for f in found:
        out.append(text[pos : f.start])
        pos = f.end
    out.append(text[pos:])
    return " ".join(out)


def _name_words(f: facts.Facts) -> frozenset[str]:
    names = [sec.name for sec in f.cpt_sections] + [sec.name for sec in f.level2.values()]
    names += list(f.cpt_categories) + list(codes.SYSTEMS) + ["e/m", "dme", "lab", "path", "drug"]
    return frozenset(t for name in names for t in content_tokens(name))


def _with(reply: Answer, **changes) -> Answer:
    from dataclasses import replace

    return replace(reply, **changes)


_default: Assistant | None = None


def default_assistant() -> Assistant:
    """The built-in knowledge base with the user's imported data, built on first use."""
    global _default
    if _default is None:
        _default = Assistant.from_dir(None, data_source=_open_user_data)
    return _default


def _open_user_data():
    try:
        from .hcpcs import open_data
    except ImportError:
        return None
    try:
        return open_data()
    except Exception:  # noqa: BLE001 - a broken data directory must not stop answers
        return None


def answer(question: str, assistant: Assistant | None = None) -> Answer:
    """Answer one question with the given assistant, or the default one."""
    return (assistant or default_assistant()).answer(question)
