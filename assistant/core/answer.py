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

from assistant.codes import cards
from assistant.codes import classify as codes
from assistant.codes import questions as code_questions
from assistant.core import facts, kb, lexicon, prebuilt
from assistant.core.compose import Composer
from assistant.core.retrieve import Candidate, Retriever
from assistant.core.understand import Reading, read_question

MAX_QUESTION = 2000  # characters looked at; a pasted page is cut, not refused
ECHO_LIMIT = 500  # characters of the question echoed back
CLEAN_LIMIT = 4 * MAX_QUESTION  # characters cleaned: enough for MAX_QUESTION after escapes go
CUT_NOTE = f"_Your question was long: only its first {MAX_QUESTION:,} characters were read._"
HIGH = 62.0  # an entry scoring this much answers with confidence ("high")
ANSWER = 45.0  # below this, no entry is offered as the answer ("none": a fallback)
ANSWER_WITHOUT_CONCEPT = 60.0  # the same, for a question that names no concept
SUGGEST_FLOOR = 35.0  # alternatives ("did you mean") score at least this
CLOSE = 4.0  # a runner-up this close to the best makes the best uncertain
SECOND_WITHIN = 3.0  # an uncertain answer also shows a runner-up this close
OPTION_MIN, OPTION_MARGIN = 0.6, 0.25  # a pasted option the answer supports, and by how much
# Code sets and kinds of code: naming one beside a code ("is 99500 an E/M code?", "CPT code
# 99213") keeps a question about the code.
CODE_SET_CONCEPTS = frozenset("hcpcs icd ndc modifier".split())
SEARCH_MIN = 70.0  # word-search hits below this score are not shown
SEARCH_LIMIT = 5
SEARCH_WORDS = 10  # a question of more content words than this is not an item to look up

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


_SYMBOLS = "+*#•▲►○●⊘★"  # marks that tell options apart by themselves (CPT book symbols)


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
    confidence: str = "none"  # "high", "uncertain" or "none" (a fallback)
    release: str | None = field(default=None, compare=False)  # imported data used, if any
    # The topic of the out-of-scope rule a fallback comes from ("fees", "coverage", "careers",
    # "products", "clinical"; see knowledge/lexicon/scope.md), for front ends to title it; None
    # for every other reply. Not part of the JSON contract.
    out_of_scope: str | None = field(default=None, compare=False)

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
            "confidence": self.confidence,
        }


class Assistant:
    """Knowledge, index and data, loaded once; answers questions."""

    def __init__(self, knowledge: kb.KnowledgeBase, data_source=None, core=None):
        if core is None:
            fact_view = facts.build(knowledge)
            words = lexicon.build(knowledge, fact_view)
            core = prebuilt.Core(
                knowledge,
                fact_view,
                words,
                Retriever(knowledge.entries, words),
                Composer(knowledge, fact_view, words),
            )
        self.kb = core.kb
        self.facts = core.facts
        self.lexicon = core.lexicon
        self.retriever = core.retriever
        self.composer = core.composer
        self._data_source = data_source  # callable returning HcpcsData | None, called lazily
        self._data: Any = None
        self._data_loaded = False
        self.data_problem: str | None = None

    @classmethod
    def from_dir(cls, directory: str | Path | None = None, data_source=None) -> Assistant:
        """An assistant over a knowledge directory (None: the built-in one, from the index
        stored with the package when it matches the files, see :mod:`assistant.core.prebuilt`)."""
        if directory is None:
            core = prebuilt.load(kb.default_dir())
            if core is not None:
                return cls(core.kb, data_source, core)
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

    # -- understanding ---------------------------------------------------------------------
    def read(self, text: str, codes_found: list[codes.CodeInfo] = ()) -> Reading:
        """The question's reading, with typos spelled as the knowledge base spells them and
        the concepts its codes imply ("modifier 25", "J1745": a J code)."""
        reading = read_question(self.lexicon, text, self.retriever.spell)
        implied = tuple(c for info in codes_found for c in self._code_concepts(info))
        if implied:
            reading = replace(reading, concepts=tuple(dict.fromkeys(reading.concepts + implied)))
        return reading

    def _code_concepts(self, info: codes.CodeInfo) -> tuple[str, ...]:
        """The concepts a classified code belongs to, most specific first."""
        known = self.lexicon.concepts
        out: list[str] = []
        if info.system in ("CPT modifier", "HCPCS Level II modifier"):
            out.append(f"modifier-{info.code.lower()}")
            out.append("cpt-modifier" if info.system == "CPT modifier" else "level2-modifier")
        elif info.system in ("CPT", "HCPCS Level II") and (
            ranged := self.lexicon.concepts_of_code(info.code)
        ):
            out.extend(ranged[:1])
        elif info.system == "CPT":
            if info.section:
                out.append("cpt-" + _slug(info.section))
            out.append(
                {
                    "Category II": "cpt-category-2",
                    "Category III": "cpt-category-3",
                    "PLA": "cpt-pla",
                    "MAAA": "cpt-maaa",
                }.get(info.category or "", "cpt")
            )
        elif info.system == "HCPCS Level II":
            out.append(f"level2-{info.code[0].lower()}")
        elif info.system == "HCPCS Level III":
            out.append("hcpcs-level-3")
        elif info.system == "ICD-10-CM":
            out.append("icd-10-cm")
        elif info.system == "ICD-10-PCS":
            out.append("icd-10-pcs")
        elif info.system == "NDC":
            out.append("ndc")
        return tuple(c for c in out if c in known)[:1]

    def _reply(self, text: str, echo: str) -> Answer:
        found = codes.detect(text, self.facts, self._known_modifier)
        infos = _unique(
            self._checked(codes.classify(f.text, self.facts, self.data, f.shape)) for f in found
        )
        reading = self.read(text, infos)
        candidates = self.retriever.rank(reading)
        release = self._release() if infos else None

        # Out of scope, except that a coverage question about a code gets the code's card and
        # where coverage is decided (the code-question lead below).
        if reading.scope is not None and not (infos and reading.scope.topic == "coverage"):
            return self._fallback(
                echo, candidates, infos, lead=reading.scope.reply, out_of_scope=reading.scope.topic
            )
        # "Does modifier 99 mean unusual anesthesia?": decided from the modifiers table.
        claim = self.composer.modifier_claim(reading)
        if claim is not None:
            decided = self.composer.yes_no(reading) or claim
            return self._composed_reply(
                echo, reading, decided, candidates, infos, release, sure=True
            )
        picked = self.composer.pick(reading)
        if picked is not None and (reading.choices or not infos):
            return self._pick_reply(echo, reading, picked, infos, release)
        # What the question asks about its codes (units, billable, "is it an E/M code"...).
        lead = code_questions.lead(text, infos, self.data, self.facts) if infos else None
        if infos and (lead or self._about_codes(text, found, infos)):
            return self._code_reply(echo, reading, infos, candidates, release, lead)
        decided = self.composer.yes_no(reading)
        best = candidates[0] if candidates else None
        level = self._confidence(reading, candidates)
        if reading.intent == "compare" and (level == "none" or not self._compared(reading, best)):
            composed = self.composer.comparison(reading)
            if composed is not None:
                return self._composed_reply(echo, reading, composed, candidates, infos, release)
        if level == "none" and decided is not None:
            return self._composed_reply(echo, reading, decided, candidates, infos, release)
        if level != "none" and best is not None:
            hits = self._search(reading) if not infos and reading.intent == "which-code" else []
            return self._entry_reply(
                echo, reading, best, level, candidates, infos, release, hits, decided
            )
        hits = self._search(reading)
        if hits:
            return self._search_reply(echo, hits, candidates)
        if infos:
            return self._code_reply(echo, reading, infos, candidates, release)
        return self._fallback(echo, candidates, infos)

    def _confidence(self, reading: Reading, candidates: list[Candidate]) -> str:
        """The one rule that decides between a confident answer ("high"), an answer that may
        not be what was meant ("uncertain") and a fallback ("none")."""
        topical = [c for c in reading.concepts if "context" not in self.lexicon.ancestors(c)]
        if not candidates or (not topical and not self._on_topic(reading)):
            return "none"
        best = candidates[0]
        if best.score < (ANSWER if topical else ANSWER_WITHOUT_CONCEPT):
            return "none"
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        if best.score >= HIGH and best.score - runner_up >= CLOSE:
            return "high"
        return "uncertain"

    def _compared(self, reading: Reading, best: Candidate | None) -> bool:
        """Whether the best entry speaks of both things a comparison names."""
        return best is not None and all(
            self.retriever.answers_exactly(best.entry_id, c) for c in reading.concepts[:2]
        )

    def _on_topic(self, reading: Reading) -> bool:
        """Without a concept, a question still needs words the knowledge base is about: two,
        one of them from a concept's name, or one in a question of few words ("bell")."""
        topical = sum(self.retriever.topical(k) for k in reading.keys)
        if topical >= 2 and any(self.retriever.named(k) for k in reading.keys):
            return True
        short = len(reading.keys) <= 2 and all(self.retriever.known(k) for k in reading.keys)
        return topical == 1 and short

    def _about_codes(self, text: str, found, infos) -> bool:
        """Whether a question that names codes is about those codes (and not about a topic
        that merely mentions one): what is left once the codes are taken out names no
        concept beyond the code sets and sections the codes belong to."""
        rest = self.read(_without_spans(text, found))
        implied: set[str] = set()
        for info in infos:
            for c in self._code_concepts(info):
                implied.update((c, *self.lexicon.ancestors(c)))
        return all(c in implied or self._structural(c) for c in rest.concepts)

    def _structural(self, concept: str) -> bool:
        """A code set, or a part of one (a level, category, section, kind of modifier): words
        that say what kind of code a code is."""
        chain = (concept, *self.lexicon.ancestors(concept))
        return any(c in CODE_SET_CONCEPTS for c in chain)

    def _search(self, reading: Reading) -> list:
        """Active Level II codes whose official descriptions match the question's words. A
        question of many words is a question, not the name of an item: not searched."""
        data = self.data
        if data is None or len(reading.keys) > SEARCH_WORDS:
            return []
        text = reading.text
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
            confidence="uncertain",
            release=release,
        )

    def _entry_reply(
        self, echo, reading, best: Candidate, level, candidates, infos, release, hits, decided
    ) -> Answer:
        entry = self.kb.by_id(best.entry_id)
        body = entry.answer
        sources = entry.sources
        second = self._second(level, best, candidates)
        if second is not None:
            # Two entries answer about as well: both are shown, the second under its title.
            body += f"\n\n---\n\n**{second.title}**\n\n{second.answer}"
            sources = tuple(dict.fromkeys((*sources, *second.sources)))
        lead = decided or self.composer.lead(reading, body) or self._option_lead(reading, body)
        if lead:
            body = f"{lead}\n\n{body}"
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
            confidence=level,
            release=release,
        )

    def _second(self, level: str, best: Candidate, candidates) -> kb.Entry | None:
        """A runner-up entry worth showing beside an uncertain answer: nearly as good."""
        if level != "uncertain" or len(candidates) < 2:
            return None
        runner_up = candidates[1]
        if best.score - runner_up.score > SECOND_WITHIN:
            return None
        return self.kb.by_id(runner_up.entry_id)

    def _option_lead(self, reading: Reading, body: str) -> str | None:
        """For a pasted multiple-choice question: the option that the answer's facts support,
        when one clearly does."""
        if len(reading.options) < 2:
            return None
        said_terms = [t.term for t in self.lexicon.terms(body)]
        said = set(said_terms)
        said_pairs = set(zip(said_terms, said_terms[1:], strict=False))
        scored = []
        for letter, text in reading.options:
            seq = [t.term for t in self.lexicon.terms(text)]
            weight = sum(self.retriever.idf(t) for t in set(seq))
            hit = sum(self.retriever.idf(t) for t in set(seq) if t in said)
            words = hit / weight if weight else 0.0
            pairs = list(zip(seq, seq[1:], strict=False))
            joined = sum(p in said_pairs for p in pairs) / len(pairs) if pairs else words
            score = (words + joined) / 2
            symbols = {c for c in text if c in _SYMBOLS}
            if symbols:  # "a '+' symbol" or "a '*' symbol": the symbol itself decides
                shown = all(re.search(rf"[`'\"(\s]{re.escape(c)}[`'\")\s]", body) for c in symbols)
                score = (score + 1.0) / 2 if shown else score / 4
            scored.append((score, letter, text))
        scored.sort(key=lambda x: -x[0])
        (best, letter, text), runner_up = scored[0], scored[1][0]
        if best < OPTION_MIN or best - runner_up < OPTION_MARGIN:
            return None
        return f"Of the options given, **{letter}) {cards.md_text(text)}** fits the facts below."

    def _composed_reply(
        self, echo, reading, body, candidates, infos, release, sure: bool = False
    ) -> Answer:
        """An answer made from the facts alone (a yes/no or a comparison no entry makes);
        ``sure`` when a facts table decides it outright (what a modifier means)."""
        sources = self._fact_sources(reading)
        if infos:
            body += "\n\n**Codes in your question**\n\n" + "\n".join(
                cards.summary_line(c) for c in infos
            )
        return Answer(
            question=echo,
            kind="answer",
            answer=body,
            score=0.0,
            alternatives=_alternatives(candidates),
            codes=tuple(infos),
            sources=sources,
            confidence="uncertain" if candidates and not sure else "high",
            release=release,
        )

    def _pick_reply(self, echo, reading, picked, infos, release) -> Answer:
        """The facts row a "which ... for ...?" question asks for, with its entry if any."""
        member = picked.member
        body = f"**{member.name}**: {member.text}."
        if picked.others:
            body += (
                "\n\nAlso close: " + "; ".join(f"{m.name} ({m.text})" for m in picked.others) + "."
            )
        sources = self.composer.sources_of(member.concept)
        entry_id = None
        focused = replace(reading, concepts=(member.concept,), intents=("define",))
        ranked = self.retriever.rank(focused)
        if ranked and member.concept in self.retriever.profiles[ranked[0].entry_id].concepts:
            entry = self.kb.by_id(ranked[0].entry_id)
            body += f"\n\n{entry.answer}"
            entry_id = entry.id
            sources = tuple(dict.fromkeys((*sources, *entry.sources)))
        if infos:
            body += "\n\n**Codes in your question**\n\n" + "\n".join(
                cards.summary_line(c) for c in infos
            )
        return Answer(
            question=echo,
            kind="answer",
            answer=body,
            entry_id=entry_id,
            score=ranked[0].score if entry_id else 0.0,
            alternatives=_alternatives(ranked[1:] if entry_id else ranked),
            codes=tuple(infos),
            sources=sources or ("AMA: CPT code set structure", "CMS: HCPCS - General Information"),
            confidence="high" if picked.sure else "uncertain",
            release=release,
        )

    def _fact_sources(self, reading: Reading) -> tuple[str, ...]:
        table = self.kb.tables.get("code-sets")
        out: list[str] = []
        for r in table.records() if table else []:
            if r.get("concept", "").strip() in reading.concepts and r.get("source"):
                out.extend(s.strip() for s in r["source"].split(";"))
        for cid in reading.concepts:  # modifiers and Level II sections: their table rows
            if cid.startswith(("modifier-", "level2-")):
                out.extend(self.composer.sources_of(cid))
        return tuple(dict.fromkeys(out)) or ("CMS: HCPCS - General Information",)

    def _code_reply(self, echo, reading, infos, candidates, release, lead=None) -> Answer:
        """The cards of the codes, what the question asks about them (``lead``), and the entry
        that answers the question when there is one: first when the question asks something
        beyond what the codes are ("when do I use JW and JZ?"), after the cards otherwise."""
        card_text = cards.cards(infos)
        entry_id, score, sources = None, 0.0, _code_sources(infos, release)
        alternatives = _alternatives(candidates)
        entry = self._entry_for_codes(reading, infos, candidates)
        parts = [lead] if lead else []
        if entry is not None:
            entry_id, score = entry.id, candidates[0].score
            sources = sources + tuple(s for s in entry.sources if s not in sources)
            alternatives = _alternatives(candidates[1:])
            block = f"**{entry.title}**\n\n{entry.answer}"
            if reading.intent not in (None, "define"):
                parts += [block, "---", card_text]
            else:
                parts += [card_text, "---", block]
        else:
            parts.append(card_text)
        body = "\n\n".join(parts)
        return Answer(
            question=echo,
            kind="code",
            answer=body,
            entry_id=entry_id,
            score=score,
            alternatives=alternatives,
            codes=tuple(infos),
            sources=sources,
            confidence="high",
            release=release,
        )

    def _entry_for_codes(self, reading, infos, candidates):
        """The entry to show beside code cards: a confident match, or the best candidate when
        it is about one of the codes themselves (modifier JW's entry for "JW")."""
        if not candidates:
            return None
        best = candidates[0]
        if self._confidence(reading, candidates) == "high":
            return self.kb.by_id(best.entry_id)
        implied = {c for info in infos for c in self._code_concepts(info)}
        specific = {c for c in implied if c.startswith("modifier-")}
        if best.score >= ANSWER and specific & set(self.retriever.profiles[best.entry_id].concepts):
            return self.kb.by_id(best.entry_id)
        return None

    def _fallback(
        self, echo, candidates, infos, lead: str | None = None, out_of_scope: str | None = None
    ) -> Answer:
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
            out_of_scope=out_of_scope,
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


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


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
        from assistant.codes.hcpcs import open_data
    except ImportError:
        return None
    return open_data()


def answer(question: str, assistant: Assistant | None = None) -> Answer:
    """Answer one question with the given assistant, or the default one."""
    return (assistant or default_assistant()).answer(question)
