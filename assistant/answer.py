"""One function answers a question: ``answer(question) -> Answer``.

The chat app, the command line and the tests all call it. An :class:`Assistant` holds what is
loaded once (knowledge base, matcher index, section facts) and what loads lazily (ICD-10-CM, the
imported HCPCS file); ``answer()`` uses a default one built on first call.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import cards, code_questions, codes, facts, kb
from .matcher import SUGGEST_FLOOR, THRESHOLD, Candidate, Matcher
from .normalize import content_tokens

MAX_QUESTION = 2000  # characters looked at; a pasted page is cut, not refused
ECHO_LIMIT = 500  # characters of the question echoed back
CLEAN_LIMIT = 4 * MAX_QUESTION  # characters cleaned: enough for MAX_QUESTION after escapes go
CUT_NOTE = f"_Your question was long: only its first {MAX_QUESTION:,} characters were read._"
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
    r"\b(licen[cs]\w*|copyright\w*|free|book|books|subscription|download\w*|purchase|buy|software)\b"
    r"|\bpay\s+(to\s+use|for\s+(the\s+)?(cpt|codes?))\b"
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


# Terminal escape sequences (CSI, OSC and the other ESC forms, and their one-byte C1 spellings),
# removed whole; then every other control character (C0 but tab and newline, DEL, C1) and the
# bidirectional overrides that reorder what a terminal shows.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS...
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text that is safe to show and to match: escape sequences and control characters removed
    (newline kept, a tab becomes a space, carriage return and form feed a newline), and lone
    surrogates (undecodable bytes in a command-line argument) replaced by U+FFFD."""
    if text.isprintable():  # the common case: nothing to do
        return text
    text = _SURROGATES.sub("\ufffd", text)
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _CONTROLS.sub("", text).replace("\t", " ")


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
                    data = self._data_source()
                    check = getattr(data, "check", None)
                    if check is not None:
                        check()  # open it now: a damaged file is found before any answer uses it
                        data.release  # noqa: B018 - read once, so later answers can name it
                    self._data = data
                except Exception as exc:  # noqa: BLE001 - any data failure means "no data"
                    self._data_failed(exc)
        return self._data

    def _data_failed(self, problem: Exception | str) -> None:
        """The imported data failed (on opening or on a later look-up): answer without it from
        now on, and keep the first problem for the interface to show once."""
        data, self._data, self._data_loaded = self._data, None, True
        close = getattr(data, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):  # closing a broken file may fail too
                close()
        if self.data_problem is None:
            text = problem if isinstance(problem, str) else " ".join(str(problem).split())
            text = clean_text(text or type(problem).__name__)
            if "import-hcpcs" not in text:
                text += " (re-import with: hcpcs-assistant import-hcpcs FILE)"
            self.data_problem = text

    def _release(self) -> str | None:
        """The imported release's name, or None without (usable) data."""
        data = self.data
        if data is None:
            return None
        try:
            return data.release
        except Exception as exc:  # noqa: BLE001 - a failing data file must not stop the answer
            self._data_failed(exc)
            return None

    def _known_modifier(self, code: str) -> bool:
        data = self.data
        if data is None:
            return False
        try:
            return data.modifier(code) is not None
        except Exception as exc:  # noqa: BLE001 - a failing data file must not stop the answer
            self._data_failed(exc)
            return False

    def _checked(self, info: codes.CodeInfo) -> codes.CodeInfo:
        """A classified code, with a data failure met while classifying it recorded, and the
        card of a code the data would have described saying that the data is unavailable."""
        if info.data_problem:
            self._data_failed(info.data_problem)
        elif self.data_problem is not None and self._data is None:
            info = codes.without_data(info, self.data_problem)
        return info

    # -- answering ---------------------------------------------------------------------------
    def classify(self, code: str) -> codes.CodeInfo:
        text = clean_text(code if isinstance(code, str) else str(code))[:MAX_QUESTION]
        return self._checked(codes.classify(text, self.facts, self.data))

    def answer(self, question: str) -> Answer:
        t0 = time.perf_counter()
        reply = self._answer(question if isinstance(question, str) else str(question))
        elapsed = round((time.perf_counter() - t0) * 1000, 3)
        # Whatever the knowledge or the data held, no control character leaves in an answer.
        return replace(
            reply,
            answer=clean_text(reply.answer),
            sources=tuple(clean_text(s) for s in reply.sources),
            elapsed_ms=elapsed,
        )

    def _answer(self, question: str) -> Answer:
        cleaned = clean_text(question[:CLEAN_LIMIT])
        cut = len(cleaned) > MAX_QUESTION or len(question) > CLEAN_LIMIT
        text = cleaned[:MAX_QUESTION]
        echo = cleaned if len(cleaned) <= ECHO_LIMIT else cleaned[:ECHO_LIMIT] + "…"
        reply = self._reply(text, echo)
        if cut:
            reply = replace(reply, answer=f"{reply.answer}\n\n{CUT_NOTE}")
        return reply

    def _reply(self, text: str, echo: str) -> Answer:
        found = codes.detect(text, self.facts, self._known_modifier)
        infos = _unique(
            self._checked(codes.classify(f.text, self.facts, self.data, f.shape)) for f in found
        )
        remainder = _without_spans(text, found)
        candidates = self.matcher.rank(text)
        best = candidates[0] if candidates and candidates[0].score >= THRESHOLD else None
        release = self._release() if infos else None

        if is_fee_question(text):
            return self._fallback(echo, candidates, infos, lead=FEE_TEXT)
        # what the question asks about its codes (units, billable, "is it an E/M code"...)
        lead = code_questions.lead(text, infos, self.data, self.facts) if infos else None
        about_codes = all(t in self._code_words for t in content_tokens(remainder))
        if infos and (lead or about_codes or best is None or best.score < STRONG):
            return self._code_reply(echo, infos, candidates, release, lead)
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
        except Exception as exc:  # noqa: BLE001 - a failing data file must not stop the answer
            self._data_failed(exc)
            return []
        return [(record, score) for record, score in hits if score >= SEARCH_MIN]

    def _search_reply(self, echo, hits, candidates) -> Answer:
        release = self._release()
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
            sources=(_file_source(release),),
            release=release,
        )

    def _entry_reply(self, echo, best: Candidate, candidates, infos, release, hits=()) -> Answer:
        entry = self.kb.by_id(best.entry_id)
        body = entry.answer
        sources = entry.sources
        hits = [h for h in hits if h[0].code not in body]  # only codes the answer does not name
        if hits:
            release = self._release()
            body += "\n\n**Matching codes in the official HCPCS file**\n\n" + cards.search_list(
                hits
            )
            sources = (*sources, _file_source(release))
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

    def _code_reply(self, echo, infos, candidates, release, lead=None) -> Answer:
        body = f"{lead}\n\n{cards.cards(infos)}" if lead else cards.cards(infos)
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


def _file_source(release: str | None) -> str:
    return (
        f"CMS: Alpha-Numeric HCPCS file, {release}" if release else "CMS: Alpha-Numeric HCPCS file"
    )


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


_default: Assistant | None = None


def default_assistant() -> Assistant:
    """The built-in knowledge base with the user's imported data, built on first use."""
    global _default
    if _default is None:
        _default = Assistant.from_dir(None, data_source=_open_user_data)
    return _default


def _open_user_data():
    """The user's imported data, or None. A broken data directory raises (DataUnavailable);
    :attr:`Assistant.data` turns that into ``data_problem`` and answers without it."""
    try:
        from .hcpcs import open_data
    except ImportError:
        return None
    return open_data()


def answer(question: str, assistant: Assistant | None = None) -> Answer:
    """Answer one question with the given assistant, or the default one."""
    return (assistant or default_assistant()).answer(question)
