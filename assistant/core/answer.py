"""One function answers a question: ``answer(question) -> Answer``.

The chat app, the command line and the tests all call it. An :class:`Assistant` holds what is
loaded once (knowledge base, matcher index, section facts) and what loads lazily (ICD-10-CM, the
imported HCPCS file); ``answer()`` uses a default one built on first call.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz

from assistant.codes import cards, hourly, icd, icd_words, repairs, shapes
from assistant.codes import classify as codes
from assistant.codes import questions as code_questions
from assistant.codes.data import DATA_ERRORS, HcpcsStore, problem_text
from assistant.codes.hcpcs import lexicon as abbreviations
from assistant.codes.hcpcs.records import CodeRecord
from assistant.core import claim_codes, dates, facts, kb, lexicon, options, prebuilt
from assistant.core.compose import Composer, Pick
from assistant.core.result import (
    MAX_QUESTION,
    Alternative,
    Answer,
    Confidence,
    EntryRef,
)
from assistant.core.retrieve import EXACT_WORDING, WORDS_FULL, Candidate, Retriever
from assistant.core.text import QUOTED_MARK, asked_apart, clean_text, questions, sentences, spaced
from assistant.core.understand import (
    LONG_WORD,
    WH_WORDS,
    Reading,
    a_payer,
    offers_amounts,
    question_labels,
    read_question,
    without_courtesy,
)
from assistant.core.verdicts import OWN_VERDICT, Verdicts

_T = TypeVar("_T")
DataSource = Callable[[], HcpcsStore | None]  # opens the imported data (None: nothing imported)
Hit = tuple[CodeRecord, float]  # a code the word search found, and its score

ECHO_LIMIT = 500  # characters of the question echoed back
CLEAN_LIMIT = 4 * MAX_QUESTION  # characters cleaned: enough for MAX_QUESTION after escapes go
# The code sets that label a CPT or Level II code in a question ("CPT code 99213", "HCPCS J1745").
CODE_SET_LABELS = frozenset({"cpt", "hcpcs", "hcpcs-level-1", "hcpcs-level-2"})
CONTEXT_DEPTH = 2  # concepts this close below "context" (CMS, Medicare, a payer) name no topic
CANDIDATES = 4  # entries ranked for a question
# A word this rare in the knowledge base (in a few entries at most) names a topic of its own: a
# facts row it is not in is no answer to a question that says it ("chaplains").
RARE_IDF = 5.0
# How far down the ranking an entry on a modifier asked about is looked for.
MODIFIER_CANDIDATES = 10
COMMON_IDF = 1.0  # a word this common ("what", "code", "bill") says nothing of a topic
RESPELLED = 80  # a typed word this close (rapidfuzz ratio) to a word the reading spelled is it
CLAIM_CODE_WORDS = 3  # a question this short that names claim codes asks what they mean
# what a claim code means is answered, even when asked of one's own claim or coverage
CLAIM_CODE_SCOPES = ("own-coverage", "coverage", "claims")
CLAIM_CODE_ENTRIES = 3  # entries looked at for one that names a claim code asked about
HIGH = 62.0  # an entry scoring this much answers with confidence ("high")
NAMING_CANDIDATES = 5  # how far down the ranking an entry naming a code is looked for
NAMING_CONCEPTS = 0.75  # share of the best one's concept agreement it keeps
NAMING_REACH = 10.0  # and how far below the best score
VERDICT_CANDIDATES = 3  # a coverage question's verdict is looked for among this many entries
VERDICT_REACH = 10.0  # scoring at most this much below the best
# A yes/no question that the best entry has no verdict on takes, from this many entries scoring
# at most this much below it, one whose verdict asks this very question ("Does G0009 need a
# modifier?": the entry on Medicare's vaccine G codes, not the one on pneumococcal vaccines).
VERDICT_ELSEWHERE = 6
VERDICT_ELSEWHERE_REACH = 25.0
VERDICT_ELSEWHERE_SHARE = 0.8  # and holding more of the verdict's own words than the best's
ANSWER = 45.0  # below this, no entry is offered as the answer ("none": a fallback)
WORDED_TERMS, WORDED_SHARE = 4, 0.75  # see Assistant._in_its_words
WORDED_SHARE_FEW = 0.85  # the same, for one rarer word fewer
ANSWER_WITHOUT_CONCEPT = 60.0  # the same, for a question that names no concept
SUGGEST_FLOOR = 35.0  # alternatives ("did you mean") score at least this
CLOSE = 4.0  # a runner-up this close to the best makes the best uncertain
EXACT_WORDED_TERMS = 3  # content words, at least, for that alone to put a question on topic
SEVERAL_DEFINED = 4  # "what are X, Y and Z?": at most this many things of one kind defined
SEVERAL_ENTRIES = 6  # unless one of this many best entries speaks of them all
SECOND_WITHIN = 10.0  # an uncertain answer also shows a runner-up this close
# Code sets and kinds of code: naming one beside a code ("is 99500 an E/M code?", "CPT code
# 99213") keeps a question about the code.
CODE_SET_CONCEPTS = frozenset("hcpcs icd ndc modifier".split())
# A range of codes written with a dash or "to/through" ("99446-99449", "G0438 to G0439")
_CODE_RANGE = re.compile(
    r"\b(?P<low>\d{5}|[A-Z]\d{4})\s*(?:-|\u2013|to|through|thru)\s*(?P<high>\d{5}|[A-Z]\d{4})\b",
    re.IGNORECASE,
)
# The first line when the codes of a pasted question's options are all it can be answered with.
OPTIONS_LEAD = (
    "I can't tell which option is right from what I know: the choice depends on the service "
    "documented and the code descriptors. Here is what each option's codes are."
)
SEARCH_MIN = 70.0  # word-search hits below this score are not shown
ICD_SEARCH_LIMIT = 5  # ICD-10-CM codes listed for a condition named in words
ICD_SEARCH_POOL = 25  # ... chosen among this many found by their words
NAME_WORDS = 3  # a condition's name, at most (more is a service or a story: an entry's)
ICD_WEAK_MATCH = 0.7  # a look-up matched worse than this does not override an entry
DIAGNOSES = abbreviations.DIAGNOSIS_PATH  # the abbreviations of conditions ("uti", "copd")
SEARCH_LIMIT = 5
SEARCH_WORDS = 10  # a question of more content words than this is not an item to look up

FALLBACK_HEAD = "I don't have an answer to that in my knowledge base."
SCOPE = (
    "I answer questions about CPT and HCPCS codes, modifiers and the related code sets "
    "(ICD-10-CM, NDC), and I classify codes you type, such as `99213`, `J1745`, `E11.9` or "
    "`modifier 59`."
)
FEE_TEXT = (
    "I don't quote payment or fee amounts: they depend on the payer, the year, the locality and "
    "the contract. For Medicare, look the code up in the CMS fee schedule that applies (for example "
    "the Physician Fee Schedule, or the DMEPOS fee schedule for equipment and supplies); for other "
    "payers, check the payer's own fee schedule or contract."
)


# Concepts a picked row belongs to, which say nothing about what else a question names.
_PICK_FAMILIES = frozenset(
    {"modifier", "cpt-modifier", "level2-modifier", "cpt", "hcpcs", "code-set"}
)


class Assistant:
    """Knowledge, index and data, loaded once; answers questions."""

    def __init__(
        self,
        knowledge: kb.KnowledgeBase,
        data_source: DataSource | None = None,
        core: prebuilt.Core | None = None,
    ) -> None:
        if core is None:
            core = prebuilt.assemble(knowledge)
        self.kb: kb.KnowledgeBase = core.kb
        self.facts: facts.Facts = core.facts
        self.lexicon: lexicon.Lexicon = core.lexicon
        self.retriever: Retriever = core.retriever
        self.composer: Composer = core.composer
        self.verdicts: Verdicts = core.verdicts
        self._data_source = data_source  # returns the imported data (or None), called lazily
        self._data: HcpcsStore | None = None
        self._data_loaded = False
        self.data_problem: str | None = None

    @classmethod
    def from_dir(
        cls, directory: str | Path | None = None, data_source: DataSource | None = None
    ) -> Assistant:
        """An assistant over a knowledge directory (None: the built-in one, from the index
        stored with the package when it matches the files, see :mod:`assistant.core.prebuilt`)."""
        if directory is None:
            core = prebuilt.load(kb.default_dir())
            if core is not None:
                return cls(core.kb, data_source, core)
        return cls(kb.load(directory), data_source)

    # -- imported data ---------------------------------------------------------------------
    @property
    def data(self) -> HcpcsStore | None:
        """The imported HCPCS Level II file, opened on first use (None when there is none).

        A broken data directory is not fatal: the problem is kept in ``data_problem`` for the
        interface to show once, and answers carry on without official descriptions.
        """
        if not self._data_loaded:
            self._data_loaded = True
            if self._data_source is not None:
                self._data = self._guarded(self._open_data, None)
        return self._data

    def _open_data(self) -> HcpcsStore | None:
        assert self._data_source is not None
        data = self._data_source()
        if data is not None:
            data.check()  # open it now: a damaged file is found before any answer uses it
            data.release  # noqa: B018 - read once, so later answers can name it
        return data

    def _guarded(self, run: Callable[[], _T], default: _T) -> _T:
        """``run()``, or ``default`` when the imported data fails: the one place where a data
        failure becomes :attr:`data_problem` (and the data is dropped)."""
        try:
            return run()
        except DATA_ERRORS as exc:
            self._data_failed(exc)
            return default

    def _with_data(self, use: Callable[[HcpcsStore], _T], default: _T) -> _T:
        """``use(data)`` with the imported data; ``default`` without it, or when it fails."""
        data = self.data
        if data is None:
            return default
        return self._guarded(lambda: use(data), default)

    def _data_failed(self, problem: Exception | str) -> None:
        """The imported data failed (on opening or on a later look-up): answer without it from
        now on, and keep the first problem for the interface to show once."""
        data, self._data, self._data_loaded = self._data, None, True
        if data is not None:
            with contextlib.suppress(*DATA_ERRORS):  # closing a broken file may fail too
                data.close()
        if self.data_problem is None:
            self.data_problem = clean_text(problem_text(problem))

    def data_release(self) -> str | None:
        """The imported release's name, or None without (usable) data."""
        return self._with_data(lambda data: data.release, None)

    def _known_modifier(self, code: str) -> bool:
        """A modifier the imported data or the knowledge's lexicon knows ("what does RR
        mean?": RR on its own is read as the modifier)."""
        if f"modifier-{code.lower()}" in self.lexicon.concepts:
            return True
        return self._with_data(lambda data: data.modifier(code) is not None, False)

    def _named_term(self, word: str) -> bool:
        """Whether the knowledge base names a word as a term of its own ("x12", "v28")."""
        return word in self.lexicon.name_terms

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
        # (a copy only of what cleaning changes: nearly always nothing)
        entry = reply.entry
        if entry is not None:
            title, sources = clean_text(entry.title), tuple(clean_text(s) for s in entry.sources)
            if title != entry.title or sources != entry.sources:
                entry = replace(entry, title=title, sources=sources)
        alternatives = tuple(
            a if (q := clean_text(a.question)) == a.question else replace(a, question=q)
            for a in reply.alternatives
        )
        return replace(
            reply,
            body=clean_text(reply.body),
            lead=clean_text(reply.lead),
            cards=clean_text(reply.cards),
            entry=entry,
            alternatives=alternatives,
            sources=tuple(clean_text(s) for s in reply.sources),
            elapsed_ms=elapsed,
            data_problem=self.data_problem,
        )

    def _answer(self, question: str) -> Answer:
        cleaned = clean_text(question[:CLEAN_LIMIT])
        cut = len(cleaned) > MAX_QUESTION or len(question) > CLEAN_LIMIT
        text = spaced(cleaned[:MAX_QUESTION])
        echo = cleaned if len(cleaned) <= ECHO_LIMIT else cleaned[:ECHO_LIMIT] + "…"
        reply = self._reply(text, echo)
        if reply.kind == "fallback" and reply.out_of_scope:
            reply = self._in_scope_part(text, echo, reply)
        # (a closing courtesy, "Who can assist me?", asks nothing of its own)
        asked = _asked(without_courtesy(text)) if reply.kind == "fallback" else None
        if asked and reply.out_of_scope == "fees" and offers_amounts(text):
            # Sums offered as the options of a question about a payment term ("What was the
            # conversion factor for 2012? $30.12 $34.04") ask for a payment amount; about
            # anything else ("Overpayments above which amount ...? A. $5 B. $10"), for a rule.
            rule = self.lexicon.out_of_scope(self.lexicon.flat(asked))
            if rule is not None and rule.topic == "fees":
                asked = None
        if asked:
            # A long story whose words drown what it asks ("I have a group of hospitalists ...
            # Are there any CMS guidelines ...?"), or that is itself out of scope when its
            # questions are not ("I'm studying for the CPC exam. ... What does 'list
            # separately' mean?"): what its questions alone are about, offered as a possible
            # answer, never a confident one, since the story was left out.
            # (a story refused as out of scope is left only for questions that name a topic
            # of their own: "Should there be a charge?" after one's own plan asks about it)
            said = self.read(asked)
            named = not reply.out_of_scope or any(self._topical_concept(c) for c in said.concepts)
            if named and not self._judges_the_story(said):
                retry = self._reply(asked, echo)
                if retry.kind != "fallback":
                    reply = replace(retry, confidence="uncertain")
        return replace(reply, cut=True) if cut else reply

    def _in_scope_part(self, text: str, echo: str, refused: Answer) -> Answer:
        """A text of two or more questions of which only some are out of scope ("Is modifier 50
        right for bilateral facet injections? If so, is the fee 150 percent?"): the questions
        in scope are answered, and the refusal follows for the rest; a question joined to another
        by ", and why ..." counts as two ("What is a level 5 visit, and why does it cost so
        much?"). A text with one question,
        or whose first question is out of scope, stays refused (one whose story alone is out of
        scope gets its questions tried on their own, in :meth:`_answer`)."""
        asked = asked_apart(sentences(text))
        if len(asked) < 2:
            return refused
        # The questions before the first one refused: one after it may lean on it ("And how
        # much for 99214?") and ask the same.
        kept = list(itertools.takewhile(lambda s: self.read(s).scope is None, asked))
        if not kept or len(kept) == len(asked):
            return refused
        part = self._reply(" ".join(kept), echo)
        if part.kind == "fallback":
            return refused
        return replace(part, body=f"{part.body}\n\n{refused.body}", confidence="uncertain")

    # -- understanding ---------------------------------------------------------------------
    def read(self, text: str, codes_found: Sequence[codes.CodeInfo] = ()) -> Reading:
        """The question's reading, with typos spelled as the knowledge base spells them and
        the concepts its codes imply ("modifier 25", "J1745": a J code)."""
        reading = read_question(
            self.lexicon, text, self.retriever.spell_typed, respell=self.retriever.respelled
        )
        implied = tuple(c for info in codes_found for c in self._code_concepts(info))
        implied += self._range_concepts(text)
        if implied:
            reading = replace(reading, concepts=tuple(dict.fromkeys(reading.concepts + implied)))
        if len(codes_found) >= 2 and reading.intent == "compare":
            # "20610 versus 20611": the codes are compared, not two of the concepts named, so
            # no entry needs to speak of two concepts to answer.
            reading = replace(reading, codes_compared=True)
        labelled = any(info.system in ("CPT", "HCPCS Level II") for info in codes_found)
        named = {c for c in reading.concepts if c in CODE_SET_LABELS}
        if labelled and len(named) < 2:
            # "What is CPT code G2211?", "when is CPT H0031 used": the code set written beside
            # a code only labels it (rightly or not), and the question is about the code; a
            # question naming two code sets is about them ("is 99213 CPT or HCPCS?").
            reading = replace(
                reading, concepts=tuple(c for c in reading.concepts if c not in CODE_SET_LABELS)
            )
        return reading

    def _range_concepts(self, text: str) -> tuple[str, ...]:
        """The concept whose code range holds a range of codes the question names, both its
        ends ("the four new CPT codes (99446-99449)": interprofessional consultations). A
        range is no code of its own, but it says what the question is about."""
        out: list[str] = []
        for m in _CODE_RANGE.finditer(text):
            low = self.lexicon.concepts_of_code(m["low"])
            high = set(self.lexicon.concepts_of_code(m["high"]))
            out.extend(c for c in low[:1] if c in high)
        return tuple(out)

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
                out.append(lexicon.section_concept(info.section))
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
        # (a word the words table reads as other words is no code: "co197" is CARC 197 with
        # group code CO, not C0197 typed with a letter O)
        found = [
            f
            for f in codes.detect(text, self.facts, self._known_modifier, self._named_term)
            if len(self.lexicon.spelled(f.text.lower())) < 2
        ]
        text, found, named_words = self._named_remarks(text, found)
        if groups := claim_codes.group_codes_alone(text, self.facts):
            # ("PI" and "CO" beside "group codes" are claim adjustment group codes)
            found = [f for f in found if f.text.upper() not in groups]
        if any(f.text[:1] in "Qq" for f in found):
            # (nor is a question's number that reads as a modifier: "Q5. Is there a code ...?")
            labels = question_labels(text)
            found = [f for f in found if not any(a <= f.start < b for a, b in labels)]
        infos = _unique(
            self._checked(codes.classify(f.text, self.facts, self.data, f.shape)) for f in found
        )
        if not infos and (drug := code_questions.drug_for_units(text, self.facts)) is not None:
            # "How many units is 40 mg of Kenalog?": the question of the drug's code
            infos = [self._checked(codes.classify(drug, self.facts, self.data))]
        reading = self.read(text, infos)
        ranked = self.retriever.rank(reading, limit=MODIFIER_CANDIDATES)
        candidates = ranked[:CANDIDATES]
        release = self.data_release() if infos else None

        # "What is occurrence code 32?", "POS 02 vs POS 10": what a claim code means is its
        # row of the claim-codes table, first, with the entry that explains the list; also
        # when it is asked about one's own bill ("what does CO-45 mean on my EOB?").
        # (and the codes it names that the table does not hold: "what is denial code 300?")
        claimed, missing = (
            self._claim_codes(text, reading)
            if not reading.choices and self._asks_meaning(reading, named_words)
            else ((), ())
        )
        if (
            (claimed or missing)
            and reading.scope is not None
            and reading.scope.topic in CLAIM_CODE_SCOPES
        ):
            reading = replace(reading, scope=None)
        # Out of scope, except that a coverage question about a code gets the code's card and
        # where coverage is decided (the code-question lead below), and a question that names a
        # code is about billing, not clinical advice ("my doctor removed a polyp: 45383?"). What
        # one's own plan covers stays the plan's question, a code named or not.
        if reading.scope is not None and not (
            infos
            and reading.scope.topic in ("coverage", "clinical")
            and not reading.scope.with_codes
        ):
            national = self._national_rule(reading, candidates)
            if national is None:
                return self._fallback(
                    echo,
                    candidates,
                    infos,
                    lead=reading.scope.reply,
                    out_of_scope=reading.scope.topic,
                )
            ruled, verdict = national
            rest = [c for c in candidates if c is not ruled]
            return self._entry_reply(
                echo, reading, ruled, "uncertain", [ruled, *rest], infos, release, [], verdict
            )
        if reading.scope is not None and reading.scope.topic == "clinical":
            # (then it is read as any billing question, its Yes or No decided as theirs are)
            reading = replace(reading, scope=None)
        # A yes/no question after sentences that set the scene is decided on its own words.
        # (a statement is judged true or false: "The AMA maintains HCPCS Level II.")
        decided, outright = self.composer.decide(
            self.read(reading.asked).judged if reading.asked else reading.judged
        )
        if decided is not None and reading.judged.several_claims:
            # (the facts decide one claim of a statement that makes several: not the whole)
            decided, outright = None, False
        if outright and decided is not None:
            # "Does modifier 99 mean unusual anesthesia?": decided from the modifiers table.
            return self._composed_reply(
                echo, reading, decided, candidates, infos, release, sure=True
            )
        if claimed or missing:
            return self._claim_code_reply(echo, claimed, ranked, infos, release, missing)
        # A statement to judge true or false has no options to pick from.
        picked = (
            None
            if reading.true_false
            else self.composer.pick(reading, lambda t: self.retriever.idf(t) >= RARE_IDF)
        )
        if picked is not None and reading.choices and options.negative(reading):
            picked = None  # "which is NOT a CPT category?": not the row that fits best
        if (
            picked is not None
            and not reading.choices
            and self._entry_covers(reading, candidates, picked)
        ):
            picked = None  # "which modifier for DME?": the entry on DME modifiers, not one row
        if picked is not None and (reading.choices or not infos):
            return self._pick_reply(echo, reading, picked, infos, release)
        # What the question asks about its codes (units, billable, "is it an E/M code"...);
        # codes that are only a pasted question's options ("A) 99285 B) 99291") are what it
        # chooses between, and an entry answers it.
        # (what is asked is read from where the question starts, after any opening)
        as_asked = _without_opening(text, reading)
        lead = (
            code_questions.lead(as_asked, infos, release, self.facts, self.lexicon.code_classes)
            if infos
            else None
        )
        # (found in the text as asked, the stem as read: a code is an option's when the stem
        # does not have it)
        stem = reading.stem.lower()
        optional = bool(stem) and all(f.text.lower() not in stem for f in found)
        if (
            optional
            and (infos or reading.options)
            and (coded := self._coded_option(reading, infos)) is not None
        ):
            # "Which of these is a HCPCS Level II code? A) 99213 B) J1745": the codes' own
            # places decide it, not an entry's words. (Modifiers given as bare options, "a. 25
            # b. LT", are read as modifiers there.)
            lead_line, placed = coded
            reply = self._code_reply(echo, reading, placed, ranked, release, lead_line)
            return replace(reply, confidence="high")
        if infos and not optional and (lead or self._about_codes(text, found, infos)):
            return self._code_reply(echo, reading, infos, ranked, release, lead)
        best = candidates[0] if candidates else None
        level = self._confidence(reading, candidates)
        if (
            infos
            and optional
            and level == "uncertain"
            and best is not None
            and not self._on_the_stem(reading, best)
        ):
            # Codes that are only a pasted question's options, and an entry reached only by
            # them (modifier 26's, for an option "76943-26"): what each option's codes are
            # (below), not an entry on what one option names.
            level = "none"
        # "What is the ICD-10 code for a headache?": the code set's own words name the codes,
        # unless a confident entry already names one of them.
        asked_icd, found_icd, matched = self._icd_search(as_asked) if not infos else ("", [], 0.0)
        if not found_icd and not infos and (level != "high" or icd_words.names_before(as_asked)):
            # "What is the code for hypertension?": a condition's code, when a diagnosis code's
            # description names exactly what was asked (and "the hypertension ICD-10 code"
            # asks for it, whatever entry speaks of ICD-10)
            asked_icd, found_icd, matched = self._icd_named(as_asked)
        if (
            found_icd
            # (words that only half match a description, "a patient's disease or condition",
            # name no condition: an entry answers the question they are part of)
            and not (level != "none" and matched < ICD_WEAK_MATCH)
            and not (
                level == "high"
                and best is not None
                # (a question that says one code's whole description asks that code: "type 2
                # diabetes mellitus without complications" is E11.9, whatever entry names it)
                and not (
                    found_icd[0].billable
                    and icd_words.names_wholly(asked_icd, found_icd[0].description)
                )
                and any(f"`{info.code}`" in self._entry(best.entry_id).answer for info in found_icd)
                and self._about_condition(best, asked_icd, as_asked)
            )
            # "... can I go ahead and assign the ICD-10-CM code for diabetes with hyperglycemia?"
            # asks whether to, which an entry answers, not which code ("is there a code for"
            # still asks which)
            and not (reading.yes_no and level != "none" and not code_questions.THERE_IS.match(text))
        ):
            return self._icd_reply(echo, asked_icd, found_icd, matched, candidates)
        if (
            not found_icd
            and not infos
            and best is not None
            and (condition := icd_words.asked_only(as_asked))
            and len(self.lexicon.terms(condition)) <= NAME_WORDS
            and not self._about_condition(best, condition, as_asked)
            and not self._titled_mostly(best, condition)
        ):
            # "What is the ICD-10 code for gum disease?", asked and no more, when no description
            # or inclusion term says it and no entry is about it: not another topic's entry (the
            # one defining ICD-10).
            return self._fallback(echo, candidates, infos, lead=_icd_unknown(condition))
        several = self._several_defined(reading)
        if (
            several
            and (reading.intent == "define" or len(several) > 2)
            and not any(self._speaks_of(c, several) for c in ranked[:SEVERAL_ENTRIES])
            and (composed := self.composer.definitions(several, reading.intent)) is not None
        ):
            # "What are J and G codes?", "How do Category I, II and III codes differ?": no
            # entry speaks of them all, so each in short.
            return self._composed_reply(echo, reading, composed, candidates, infos, release)
        if reading.intent == "compare" and (level == "none" or not self._compared(reading, best)):
            composed = self.composer.comparison(reading)
            if composed is not None:
                return self._composed_reply(echo, reading, composed, candidates, infos, release)
        if level == "none" and decided is not None:
            return self._composed_reply(echo, reading, decided, candidates, infos, release)
        # "A drug's HCPCS code is defined as 5 mg and 2 mg was given: what do we bill?": the
        # units worked out from the two amounts stated, with the entry that explains them.
        # ("How many units is 45 minutes?": the 8-minute rule's count)
        worked = (
            None
            if infos or decided
            else code_questions.units_without_code(text)
            or hourly.units(text, self.facts)
            or code_questions.timed_units(text)
            or repairs.worked(text, self.facts)
            or dates.worked(text)
        )
        if worked is not None and best is not None:
            return self._entry_reply(
                echo,
                reading,
                best,
                level if level != "none" else "uncertain",
                candidates,
                infos,
                release,
                [],
                worked,
            )
        if level != "none" and best is not None:
            held = self._verdict_holder(reading, ranked, infos)
            if held is not None:
                best = held[0]
            hits = self._search(reading) if not infos and reading.intent == "which-code" else []
            beside = () if infos or not found_icd else self._icd_beside(best, asked_icd, found_icd)
            return self._entry_reply(
                echo,
                reading,
                best,
                level,
                candidates,
                infos or beside,
                release,
                hits,
                decided or (held[1] if held else None),
                looked_up=bool(beside),
            )
        hits = self._search(reading)
        if hits:
            return self._search_reply(echo, hits, candidates)
        if infos:
            asked = _asked(text)
            if (
                asked
                and not self._which_of_story(said := self.read(asked))
                and not self._judges_the_story(said)
            ):
                # A story that names a code on its way to another question ("... billed 99214,
                # the payer denied it. Can we submit a corrected claim at a lower level?"):
                # what its questions alone ask is tried before the bare card.
                retry = self._reply(asked, echo)
                if retry.kind != "fallback":
                    return replace(retry, confidence="uncertain")
            if optional:
                # Codes that are only a pasted question's options, with no entry to answer it:
                # what each option's codes are, never the first card as if it were the answer.
                reply = self._code_reply(echo, reading, infos, ranked, release, OPTIONS_LEAD)
                return replace(reply, confidence="uncertain")
            return self._code_reply(echo, reading, infos, ranked, release)
        return self._fallback(echo, candidates, infos)

    def _judges_the_story(self, asked: Reading) -> bool:
        """Whether the questions of a story only ask to judge it ("Who is right?", "Am I
        correct?"): they name no concept and at most one word of their own, so what they ask
        about is the story, and they are never answered alone."""
        return not asked.concepts and (
            sum(
                1
                for t in asked.terms
                if t.word.lower() not in WH_WORDS and self.retriever.idf(t.term) >= COMMON_IDF
            )
            < 2
        )

    def _national_rule(
        self, reading: Reading, candidates: Sequence[Candidate]
    ) -> tuple[Candidate, str | None] | None:
        """For a yes/no coverage question ("does Medicare pay for deluxe frames?"), a close
        entry with a verdict on this very question: verdicts are written only where the answer
        is the same for everyone (a national rule or an exclusion by law). For another question
        on what traditional Medicare covers ("how often does Medicare pay for CPAP supplies?"),
        the confident answer when its entry states Medicare's national rule (``coverage:
        medicare`` in its meta). Other coverage questions are the payer's to answer. Returns the
        entry and its verdict as a first line (None when no verdict decides)."""
        if reading.scope is None or reading.scope.topic != "coverage":
            return None
        if not candidates or candidates[0].score < ANSWER:
            return None
        if reading.yes_no:
            floor = candidates[0].score - VERDICT_REACH
            for c in candidates[:VERDICT_CANDIDATES]:
                if c.score >= floor:
                    verdict = self.verdicts.decide(reading, c.entry_id, self.retriever.idf)
                    if verdict is not None:
                        return c, _verdict_line(verdict)
        if not reading.yes_no or {"which-code", "define"} & set(reading.intents):
            # "How often does Medicare pay for CPAP supplies?", "Which code is a cold therapy
            # unit, and does Medicare pay for it?": an entry that states Medicare's national
            # rule on its topic answers it when it is the confident answer.
            best = candidates[0]
            national = self._entry(best.entry_id).meta.get("coverage") == "medicare"
            if (
                national
                and self._names_medicare(reading)
                and best.score >= HIGH
                and self._on_its_topic(reading, best)
            ):
                return best, None
        return None

    def _on_the_stem(self, reading: Reading, best: Candidate) -> bool:
        """Whether an entry is about a concept the question names before its options."""
        asked = self.read(reading.stem).concepts if reading.stem else reading.concepts
        answered = self.retriever.profiles[best.entry_id].concepts
        return bool(asked) and self.retriever.concept_score(asked, answered) > 0

    def _on_its_topic(self, reading: Reading, best: Candidate) -> bool:
        """Whether an entry is about something the question names besides the payer: "will
        Medicare cover an MRI of the knee" shares words with an entry on artificial legs, and
        names no topic of it. Without a topic among its concepts, the entry must hold most of
        the question's words."""
        ancestors = self.lexicon.ancestors
        topic = tuple(
            c for c in reading.concepts if c != "context" and "context" not in ancestors(c)
        )
        if not topic:
            return best.words >= WORDS_FULL
        answered = self.retriever.profiles[best.entry_id].concepts
        return self.retriever.concept_score(topic, answered) > 0

    def _names_medicare(self, reading: Reading) -> bool:
        """Whether a question asks about traditional Medicare (not a Medicare Advantage plan,
        whose coverage is the plan's)."""
        ancestors = self.lexicon.ancestors
        return "medicare-advantage" not in reading.concepts and any(
            c == "medicare" or "medicare" in ancestors(c) for c in reading.concepts
        )

    def _entry_covers(
        self, reading: Reading, candidates: Sequence[Candidate], picked: Pick
    ) -> bool:
        """Whether the best entry, rather than the row ``picked``, answers: it is about
        everything specific the question names (beyond the family the row was picked from).
        Against a row picked with confidence the entry must also be a confident which-code
        answer; against a row that only shares some words and that the entry does not name
        ("which modifiers under the teaching physician rules?" and the hospice physician's
        GV) an entry on the topic named is enough."""
        if not candidates:
            return False
        profile = self.retriever.profiles[candidates[0].entry_id]
        specific = [c for c in reading.concepts if c not in _PICK_FAMILIES]
        if not specific or not all(c in profile.concepts for c in specific):
            return False
        if picked.sure or picked.member.concept in profile.concepts:
            return candidates[0].score >= HIGH and "which-code" in profile.intents
        return self._confidence(reading, candidates) != "none"

    def _confidence(self, reading: Reading, candidates: Sequence[Candidate]) -> Confidence:
        """The one rule that decides between a confident answer ("high"), an answer that may
        not be what was meant ("uncertain") and a fallback ("none")."""
        topical = [c for c in reading.concepts if self._topical_concept(c)]
        if reading.scene_words:
            # Words that only tell who asks ("I just started as a billing specialist.") make
            # no question about billing: what is asked must be on topic by its own words.
            reading = replace(
                reading, terms=tuple(t for t in reading.terms if t.term not in reading.scene_words)
            )
        # (a question that reads, word for word, as one of an entry's phrasings is on that
        # entry's topic, whether or not it names a concept: "Which organisations are involved
        # in medical coding?")
        worded = (
            bool(candidates)
            and candidates[0].wording >= EXACT_WORDING
            and len(set(reading.keys)) >= EXACT_WORDED_TERMS
        )
        on_topic = (
            bool(topical) or self._on_topic(reading) or worded or self._defined(reading, candidates)
        )
        # Without a concept or a concept's word, two words the knowledge base is about may
        # still reach the right entry ("soft oxygen cannulas in the rental period"); such an
        # answer is offered, never given with confidence.
        loosely = not on_topic and (
            self._topical_words(reading) >= 2
            or self._in_its_words(reading, candidates)
            or self._quotes_its_words(reading, candidates)
        )
        if not candidates or not (on_topic or loosely):
            return "none"
        best = candidates[0]
        if best.score < (ANSWER if topical else ANSWER_WITHOUT_CONCEPT):
            return "none"
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        # (a question that reads as one of the best entry's phrasings, word for word, is what
        # that entry answers however close another comes: no two entries share a phrasing)
        apart = best.score - runner_up >= CLOSE or best.wording >= EXACT_WORDING
        if best.score >= HIGH and apart and not loosely:
            return "high"
        return "uncertain"

    def _defined(self, reading: Reading, candidates: Sequence[Candidate]) -> bool:
        """Whether "what is X?" names only X, a concept of the setting (Medicare, a payer) that
        names no billing topic by itself, and the best entry is declared to define X first:
        "What is Medicare?" asks what the entry on Medicare answers."""
        if not candidates or reading.intents[:1] != ("define",) or len(reading.concepts) != 1:
            return False
        profile = self.retriever.profiles.get(candidates[0].entry_id)
        return (
            profile is not None
            and profile.concepts[:1] == reading.concepts
            and "define" in profile.intents
        )

    def _quotes_its_words(self, reading: Reading, candidates: Sequence[Candidate]) -> bool:
        """A question that quotes words that otherwise say nothing ('what does "and/or"
        indicate?', 'what does "with" mean?') asks about those words: the best entry that holds
        them all, quoted too, is on their topic."""
        quoted = [k for k in dict.fromkeys(reading.keys) if k.startswith(QUOTED_MARK)]
        return (
            bool(quoted)
            and bool(candidates)
            and all(self.retriever.holds(candidates[0].entry_id, k) for k in quoted)
        )

    def _in_its_words(self, reading: Reading, candidates: Sequence[Candidate]) -> bool:
        """A question that names no concept but says, in words of the knowledge base, what an
        entry says ("Codes in which the components of a procedure are reported separately are
        called"): at least WORDED_TERMS of its rarer words are the knowledge base's, and the
        best entry holds WORDED_SHARE of the question's words. A short question about anything
        else ("what time is it in Tokyo") has too few such words."""
        retriever = self.retriever
        known = [
            k for k in dict.fromkeys(reading.keys) if retriever.known(k) and retriever.idf(k) >= 1.0
        ]
        if not candidates:
            return False
        # (three such words are enough when the best entry holds nearly all of them: "code for
        # pre employment exam")
        return (len(known) >= WORDED_TERMS and candidates[0].words >= WORDED_SHARE) or (
            len(known) == WORDED_TERMS - 1 and candidates[0].words >= WORDED_SHARE_FEW
        )

    def _several_defined(self, reading: Reading) -> tuple[str, ...]:
        """The things a "what are X and Y?" (or "how do X, Y and Z differ?") question asks
        about, when it asks what two or more of one kind are (siblings under one concept): else
        (). Whether the facts describe each is the composer's to say."""
        # (a statement is judged true or false, as a yes/no question is: "ICD-10-CM is used
        # for inpatient procedures." asks no definitions)
        if (
            reading.intent not in ("define", "compare")
            or reading.yes_no
            or reading.choices
            or reading.statement
        ):
            return ()
        named = tuple(dict.fromkeys(reading.concepts))
        if not 2 <= len(named) <= SEVERAL_DEFINED:
            return ()
        parents = {self.lexicon.ancestors(c)[:1] for c in named}
        return named if len(parents) == 1 and () not in parents else ()

    def _speaks_of(self, candidate: Candidate | None, concepts: Sequence[str]) -> bool:
        """Whether an entry says it answers each of these concepts."""
        return candidate is not None and all(
            self.retriever.answers_exactly(candidate.entry_id, c) for c in concepts
        )

    def _compared(self, reading: Reading, best: Candidate | None) -> bool:
        """Whether the best entry speaks of both things a comparison names."""
        if reading.codes_compared:
            return best is not None
        return best is not None and all(
            self.retriever.answers_exactly(best.entry_id, c)
            for c in self.lexicon.sides(reading.concepts)
        )

    def _topical_concept(self, concept: str) -> bool:
        """Whether naming ``concept`` makes a question one the knowledge base is about."""
        d = self.lexicon.distance(concept, "context")
        return d is None or d > CONTEXT_DEPTH

    def _topical_words(self, reading: Reading) -> int:
        """How many of the question's words the knowledge base is about."""
        return sum(self.retriever.topical(k) for k in reading.keys)

    def _on_topic(self, reading: Reading) -> bool:
        """Without a concept, a question still needs words the knowledge base is about: two,
        one of them from a concept's name, or one in a question of few words ("bell")."""
        topical = self._topical_words(reading)
        if topical >= 2 and any(self.retriever.named(k) for k in reading.keys):
            return True
        short = len(reading.keys) <= 2 and all(self.retriever.known(k) for k in reading.keys)
        return topical == 1 and short and (len(reading.keys) == 1 or self._names_topic(reading))

    def _names_topic(self, reading: Reading) -> bool:
        """Whether a short question's one topical word carries it: a word of a concept's name
        ("ambulance codes"), or a word beside only common ones ("what is a evaluation"), not a
        word that is only some entry's tag beside a word of its own ("a definitive answer":
        "definitive" tags the drug test entries)."""
        retriever = self.retriever
        return any(retriever.topical(k) and retriever.named(k) for k in reading.keys) or all(
            retriever.idf(k) < COMMON_IDF for k in reading.keys if not retriever.topical(k)
        )

    def _about_codes(
        self, text: str, found: Sequence[codes.Found], infos: Sequence[codes.CodeInfo]
    ) -> bool:
        """Whether a question that names codes is about those codes (and not about a topic
        that merely mentions one): what is left once the codes are taken out names no
        concept beyond the code sets and sections the codes belong to."""
        left = _without_spans(text, found)
        implied: set[str] = set()
        for info in infos:
            for c in self._code_concepts(info):
                implied.update((c, *self.lexicon.ancestors(c)))
        if self._plainly_about(left, implied):
            return True
        rest = self.read(left)
        return all(c in implied or self._structural(c) for c in rest.concepts)

    def _plainly_about(self, left: str, implied: set[str]) -> bool:
        """Whether the words left beside a question's codes ("modifier vs", "what does mean")
        name nothing but code sets and the codes' own concepts, read without a full reading:
        no brackets, no word a spelling fix would change, and every concept their words name
        structural. (A full reading only drops concepts, or finds more through brackets and
        typos; it is needed when this says no.)"""
        if "(" in left:
            return False
        retriever = self.retriever
        if any(retriever.respelled(m.group(0).lower()) for m in LONG_WORD.finditer(left)):
            return False
        _flat, terms = self.lexicon.analyse(left)
        if any(retriever.spell_typed(t.term, t.word) != t.term for t in terms):
            return False
        return all(
            f.concept in implied or self._structural(f.concept)
            for f in self.lexicon.find_concepts(terms)
        )

    def _which_of_story(self, asked: Reading) -> bool:
        """Whether a story's question asks only which code its story is ("What CPT code is
        reported?"): it names nothing beyond code sets, so the story's codes answer it."""
        return asked.intent in (None, "which-code") and all(
            self._structural(c) for c in asked.concepts
        )

    @functools.cached_property
    def _modifier_families(self) -> frozenset[str]:
        """Concepts that group modifiers ("assistant at surgery modifiers"): those above some
        modifier's own concept ("modifier-80")."""
        ancestors = self.lexicon.ancestors
        return frozenset(
            a for c in self.lexicon.concepts if c.startswith("modifier-") for a in ancestors(c)
        )

    def _structural(self, concept: str) -> bool:
        """A code set, or a part of one (a level, category, section, kind of modifier): words
        that say what kind of code a code is."""
        chain = (concept, *self.lexicon.ancestors(concept))
        return any(c in CODE_SET_CONCEPTS for c in chain)

    def _search(self, reading: Reading) -> list[Hit]:
        """Active Level II codes whose official descriptions match the question's words. A
        question of many words is a question, not the name of an item: not searched."""
        if len(reading.keys) > SEARCH_WORDS:
            return []
        none: Sequence[Hit] = ()
        hits = self._with_data(lambda data: data.search(reading.text, limit=SEARCH_LIMIT), none)
        return [(record, score) for record, score in hits if score >= SEARCH_MIN]

    def _icd_search(self, text: str) -> tuple[str, list[icd.IcdInfo], float]:
        """ICD-10-CM codes valid on a claim whose descriptions say what a question asks the
        diagnosis code of ("the ICD-10 code for low back pain"), and the words that found
        them, and how well the first matched (0-1); nothing for any other question."""
        what = icd_words.asked_for(text)
        if what:
            # "the ICD-10 code for UTI": abbreviations in the words of the code set
            spelled = abbreviations.expand(what, abbreviations.default_expansions(DIAGNOSES))
            what = spelled[0] if spelled else what
        for words in icd_words.names_to_try(what) if what else ():
            hits = icd_words.search(words, limit=ICD_SEARCH_POOL)
            if hits:
                infos = {hit.code: info for hit in hits if (info := icd.lookup(hit.code))}
                described = [
                    (hit, infos[hit.code].description) for hit in hits if hit.code in infos
                ]
                ordered = icd_words.by_default(words, described)[:ICD_SEARCH_LIMIT]
                return words, [infos[hit.code] for hit, _ in ordered], hits[0].score
        return "", [], 0.0

    def _icd_beside(
        self, best: Candidate, what: str, found: Sequence[icd.IcdInfo]
    ) -> tuple[codes.CodeInfo, ...]:
        """The card to show beside an entry that answers "the ICD-10 code for X" and names the
        code whose description says X ("bitten by dog": `W54.0XXA`): the code asked for, with
        the entry that explains it."""
        answer = self._entry(best.entry_id).answer
        for info in found:
            if (
                info.billable
                and f"`{info.code}`" in answer
                and icd_words.names_exactly(what, info.description)
            ):
                return (self.classify(info.code),)
        return ()

    def _about_condition(self, best: Candidate, what: str, asked: str = "") -> bool:
        """Whether an entry is about the condition a question asks the code of: it shares a
        concept the condition's words name, or (when they name none) its title has all of
        them. The COPD entry names the pneumonia code it is reported with, and the
        sepsis entry the urinary tract infection's, but neither answers what either code is."""
        profile = self.retriever.profiles[best.entry_id]
        named = self.read(what).concepts
        if named:
            return bool(set(named) & set(profile.concepts))
        words = {t.term for t in self.lexicon.terms(what)}
        titled = self.lexicon.terms(self._entry(best.entry_id).title)
        if not words <= {t.term for t in titled}:
            return False
        # (nor is one whose title names these words only inside the name of a narrower
        # condition, with words the question does not say: "asthma" is not answered by the
        # entry on exercise-induced asthma, while the entry on the Z codes that "concern
        # depression, such as the depression screening code" names depression alone too)
        said = {t.term for t in self.lexicon.terms(asked)} | words
        narrower = [
            range(f.start, f.end)
            for f in self.lexicon.find_concepts(titled)
            if {t.term for t in titled[f.start : f.end]} - said
        ]
        return all(
            any(
                t.term == w and not any(i in span for span in narrower)
                for i, t in enumerate(titled)
            )
            for w in words
        )

    def _titled_mostly(self, best: Candidate, what: str) -> bool:
        """Whether an entry's title says more than half of the words of what was asked (the
        entry on routine eye examinations, for "routine vision without any complications")."""
        words = {t.term for t in self.lexicon.terms(what)}
        titled = {t.term for t in self.lexicon.terms(self._entry(best.entry_id).title)}
        return 2 * len(words & titled) > len(words)

    def _icd_named(self, text: str) -> tuple[str, list[icd.IcdInfo], float]:
        """Like :meth:`_icd_search` for "the code for X" with no code set named: only when
        the first code found is valid on a claim and its description names X exactly."""
        what = icd_words.asked_plainly(text)
        if not what:
            return "", [], 0.0
        words, found, matched = self._icd_search(f"the ICD-10-CM code for {what}")
        if found and found[0].billable and icd_words.names_exactly(words, found[0].description):
            return words, found, matched
        return "", [], 0.0

    def _icd_reply(
        self,
        echo: str,
        what: str,
        found: Sequence[icd.IcdInfo],
        matched: float,
        candidates: Sequence[Candidate],
    ) -> Answer:
        advice = (
            "Choose the code from the documentation: look the condition up in the ICD-10-CM "
            "Alphabetic Index, then confirm the code and its notes (Excludes, code first, 7th "
            "characters) in the Tabular List."
        )
        first = found[0]
        if first.billable and icd_words.names_exactly(what, first.description):
            # The words asked are one code's whole description: that code, with its card, and
            # the codes of close descriptions after it.
            others = _icd_list(found[1:])
            info = self.classify(first.code)
            return Answer(
                question=echo,
                kind="code",
                body=(f"Codes with close descriptions:\n\n{others}\n\n" if others else "") + advice,
                lead=f"`{first.code}` is the ICD-10-CM code whose description is"
                f" \u201c{cards.md_text(first.description)}\u201d.",
                cards=cards.cards([info]),
                cards_first=True,
                score=round(100 * matched, 1),
                alternatives=_alternatives(candidates),
                codes=(info,),
                sources=(f"CDC/NCHS: {icd.release()}",),
                confidence="high",
            )
        body = (
            f"These ICD-10-CM codes have descriptions that match \u201c{cards.md_text(what)}\u201d,"
            f" best first:\n\n{_icd_list(found)}\n\n{advice}"
        )
        # The best match's card goes beside the list: the question asked for a code, and this
        # is the one to check first (the list is uncertain; every code in it is valid on a claim).
        best = (self.classify(first.code),)
        return Answer(
            question=echo,
            kind="answer",
            body=body,
            cards=cards.cards(best),
            score=round(100 * matched, 1),
            alternatives=_alternatives(candidates),
            codes=best,
            sources=(f"CDC/NCHS: {icd.release()}",),
            confidence="uncertain",
        )

    def _search_reply(
        self, echo: str, hits: Sequence[Hit], candidates: Sequence[Candidate]
    ) -> Answer:
        release = self.data_release()
        body = (
            "These active HCPCS Level II codes have official descriptions that match your words, "
            "best first:\n\n" + cards.search_list(hits) + "\n\n"
            "Check the full descriptor and the payer's rules before you bill one of them."
        )
        return Answer(
            question=echo,
            kind="answer",
            body=body,
            score=round(hits[0][1], 1),
            alternatives=_alternatives(candidates),
            sources=(_file_source(release),),
            confidence="uncertain",
            release=release,
        )

    def _entry_reply(
        self,
        echo: str,
        reading: Reading,
        best: Candidate,
        level: Confidence,
        candidates: Sequence[Candidate],
        infos: Sequence[codes.CodeInfo],
        release: str | None,
        hits: Sequence[Hit],
        decided: str | None,
        looked_up: bool = False,
    ) -> Answer:
        """An entry's answer; ``decided`` is the question's "Yes."/"No." first line, from the
        facts or from a verdict the caller found (None when nothing decides it); ``looked_up``:
        ``infos`` is the code the question asked for, not codes it names."""
        entry = self._entry(best.entry_id)
        body = entry.answer
        sources = entry.sources
        second = self._second(level, best, candidates)
        if second is not None:
            # Two entries answer about as well: both are shown, the second under its title.
            body += f"\n\n---\n\n**{second.title}**\n\n{second.answer}"
            sources = tuple(dict.fromkeys((*sources, *second.sources)))
        about = self.retriever.profiles[entry.id].concepts
        lead = (
            decided or self.composer.lead(reading, body, about) or self._option_lead(reading, body)
        )
        if OWN_VERDICT.match(body) and (
            decided
            or not self.verdicts.answers_own(
                reading, entry.id, self.retriever.idf, self._implied(infos)
            )
        ):
            # The entry's own "Yes."/"No." answers the question its title asks ("is CPT part of
            # HCPCS?"), which may not be the one asked ("is HCPCS another name for CPT?").
            body = _unverdicted(body)
        if second is not None and lead and OWN_VERDICT.match(lead):
            # The second entry's own Yes or No answers its title, not the question, whose
            # Yes or No the lead gives: it is not left to seem to contradict it.
            body = body.replace(second.answer, _unverdicted(second.answer))
        said = f"{lead}\n\n{body}" if lead else body
        hits = [h for h in hits if h[0].code not in said]  # only codes the answer does not name
        if hits:
            release = self.data_release()
            body += "\n\n**Matching codes in the official HCPCS file**\n\n" + cards.search_list(
                hits
            )
            sources = (*sources, _file_source(release))
        return Answer(
            question=echo,
            kind="answer",
            body=body,
            lead=lead or "",
            cards=_summary(infos, "The code asked for") if looked_up else _summary(infos),
            entry=_ref(entry),
            score=best.score,
            alternatives=_alternatives(candidates[1:]),
            codes=tuple(infos),
            sources=sources,
            confidence=level,
            release=release,
        )

    def _verdict_holder(
        self, reading: Reading, ranked: Sequence[Candidate], infos: Sequence[codes.CodeInfo]
    ) -> tuple[Candidate, str] | None:
        """For a yes/no question, the entry whose verdict decides it, with that verdict as a
        first line: the best entry, or when it has none a close entry (see VERDICT_ELSEWHERE).
        None when no verdict decides the question (so the best entry has none). A statement
        (see Reading.statement) is judged as a true-or-false question."""
        reading = reading.judged
        if not reading.yes_no or (reading.choices and not reading.true_false) or not ranked:
            return None
        if reading.scope is not None and reading.scope.topic != "coverage":
            return None
        implied = self._implied(infos)
        idf = self.retriever.idf
        # ("We received an unprocessable claim from our MAC. Can we appeal this?": a payer
        # named only before the sentence that asks is where it happened, and a verdict that
        # decides the question without it is tried then)
        # (map is lazy: the second reading is worked out only when the first decides nothing)
        readings = itertools.chain((reading,), filter(None, map(self._without_setting, [reading])))
        floor = max(ANSWER, ranked[0].score - VERDICT_ELSEWHERE_REACH)
        for each in readings:
            verdict = self.verdicts.decide(each, ranked[0].entry_id, idf, implied)
            if verdict is not None and self._decides_scope(each, verdict):
                return ranked[0], _verdict_line(verdict, reading.true_false)
            for c in ranked[1:VERDICT_ELSEWHERE]:
                if c.score >= floor:
                    verdict = self.verdicts.decide(
                        each, c.entry_id, idf, implied, VERDICT_ELSEWHERE_SHARE
                    )
                    if verdict is not None and self._decides_scope(each, verdict):
                        return c, _verdict_line(verdict, reading.true_false)
        return None

    def _without_setting(self, reading: Reading) -> Reading | None:
        """The reading without the payers (Medicare, a MAC, a commercial plan) that only the
        sentences before the one that asks name, when there are such; else None."""
        said = sentences(reading.stem or reading.text)
        if len(said) < 2:
            return None
        last = {f.concept for f in self.lexicon.find_concepts(self.lexicon.terms(said[-1]))}
        setting = {c for c in reading.concepts if c not in last and a_payer(self.lexicon, c)}
        if not setting:
            return None
        return replace(reading, concepts=tuple(c for c in reading.concepts if c not in setting))

    def _decides_scope(self, reading: Reading, verdict: kb.Verdict) -> bool:
        """Whether a verdict may decide a question of its scope. A coverage question about a
        code ("Is 36415 covered by insurance?") is the payer's to decide, and an entry's verdict
        on billing the code does not answer it; a verdict that is itself on coverage ("Does
        Medicare cover 99397?") states a rule that is the same for everyone (verdicts on
        coverage are written only for national rules and exclusions by law), and does."""
        return reading.scope is None or self.verdicts.on_scope(verdict)

    def _verdict(
        self, reading: Reading, entry: kb.Entry, infos: Sequence[codes.CodeInfo] = ()
    ) -> str | None:
        """The entry's verdict on the yes/no question asked, as a first line, if it has one
        for this very question (see :mod:`assistant.core.verdicts`)."""
        if reading.scope is not None and reading.scope.topic != "coverage":
            return None  # (see _verdict_holder)
        verdict = self.verdicts.decide(reading, entry.id, self.retriever.idf, self._implied(infos))
        if verdict is None or not self._decides_scope(reading, verdict):
            return None
        return _verdict_line(verdict, reading.true_false)

    def _implied(self, infos: Sequence[codes.CodeInfo]) -> dict[str, tuple[str, ...]]:
        """Each code of the question (as a term: "99213") and the concepts it implies."""
        return {info.code.lower(): self._code_concepts(info) for info in infos}

    def _second(
        self, level: Confidence, best: Candidate, candidates: Sequence[Candidate]
    ) -> kb.Entry | None:
        """A runner-up entry worth showing beside an uncertain answer: nearly as good."""
        if level != "uncertain" or len(candidates) < 2:
            return None
        runner_up = candidates[1]
        if best.score - runner_up.score > SECOND_WITHIN:
            return None
        return self._entry(runner_up.entry_id)

    def _entry(self, entry_id: str) -> kb.Entry:
        """The entry of a ranked candidate (the retriever ranks only the knowledge base's)."""
        entry = self.kb.by_id(entry_id)
        if entry is None:
            raise KeyError(entry_id)
        return entry

    def _coded_option(
        self, reading: Reading, infos: Sequence[codes.CodeInfo]
    ) -> tuple[str, list[codes.CodeInfo]] | None:
        """For a pasted question that asks which option is a code of a code set or a part of
        one ("Which of these is a HCPCS Level II code? A) 99213 B) J1745 C) E11.9"), the one
        option the codes' own places decide, as a first line that says where each is, with the
        options' codes. None unless the stem names only such parts, every option holds one
        code, and exactly one option's code is in them all (or, asked which is not, exactly
        one is not). Asked which is a CPT or a Level II modifier ("a. 25 b. LT"), each option
        is read as a modifier and its code set decides."""
        if len(reading.options) < 2 or not reading.stem:
            return None
        bare = [_bare_option(text) for _letter, text in reading.options]
        if not infos and not all(_TWO_CHARACTERS.fullmatch(t) for t in bare):
            return None  # (no codes, and options that cannot be modifiers: nothing to place)
        asked = self.read(reading.stem).concepts
        if len(asked) == 1 and asked[0] in _MODIFIER_SETS:
            placed = self._modifier_options(reading, _MODIFIER_SETS[asked[0]])
        elif infos and asked and all(self.composer.describes(c) for c in asked):
            placed = self._code_options(reading, infos, asked)
        else:
            return None
        if placed is None:
            return None
        negative = options.negative(reading)
        hits = [p for p in placed if p[3] != negative]
        if len(hits) != 1:
            return None
        letter, text, _info, _in = hits[0]
        # (the narrowest part asked names it: "CPT Category III", not "CPT")
        part = max(asked, key=lambda c: len(self.lexicon.ancestors(c)))
        where = "outside" if negative else "in"
        said = "; ".join(self._code_place(info) for _l, _t, info, _in in placed)
        named = f"**{reading.label(letter)}) {cards.md_text(text)}**"
        line = (
            f"Of the options given, {named} is the one {where} {self.lexicon.label(part)}: {said}."
        )
        return line, [info for _l, _t, info, _in in placed]

    def _code_options(
        self, reading: Reading, infos: Sequence[codes.CodeInfo], asked: tuple[str, ...]
    ) -> list[tuple[str, str, codes.CodeInfo, bool]] | None:
        """Each option with its one code and whether the code is in every part asked (None
        when an option holds no code or more than one)."""
        placed = []
        for letter, text in reading.options:
            own = [
                i for i in infos if re.search(rf"(?<![\w.]){re.escape(i.code)}(?!\w)", text, re.I)
            ]
            if len(own) != 1:
                return None
            info = own[0]
            chain = {a for c in self._code_concepts(info) for a in (c, *self.lexicon.ancestors(c))}
            placed.append((letter, text, info, all(c in chain for c in asked)))
        return placed

    def _modifier_options(
        self, reading: Reading, system: str
    ) -> list[tuple[str, str, codes.CodeInfo, bool]] | None:
        """Each option read as a modifier, and whether it is one of ``system`` (None when an
        option is not two letters or digits that the facts know as a modifier)."""
        placed = []
        for letter, text in reading.options:
            token = _bare_option(text)
            if not _TWO_CHARACTERS.fullmatch(token) or not self._known_modifier(token):
                return None
            info = self._checked(codes.classify(token, self.facts, self.data, "modifier"))
            placed.append((letter, text, info, info.system == system))
        return placed

    def _code_place(self, info: codes.CodeInfo) -> str:
        """Where a code belongs, in a few words: "`J1745` is HCPCS Level II (J codes)"."""
        if info.system.endswith("modifier"):
            return f"`{info.code}` is a {info.system}"  # ("`LT` is a HCPCS Level II modifier")
        implied = self._code_concepts(info)
        label = self.lexicon.label(implied[0]) if implied else ""
        shown = f" ({label})" if label and label != info.system else ""
        return f"`{info.code}` is {info.system}{shown}"

    def _option_lead(self, reading: Reading, body: str) -> str | None:
        """For a pasted multiple-choice question, the option the answer's facts decide."""
        picked = options.pick(reading, body, self.lexicon, self.retriever.idf)
        if picked is None:
            return None
        named = f"**{reading.label(picked.letter)}) {cards.md_text(picked.text)}**"
        if picked.supported:
            return f"Of the options given, {named} fits the facts below."
        return f"Of the options given, {named} is the one the facts below do not support."

    def _composed_reply(
        self,
        echo: str,
        reading: Reading,
        body: str,
        candidates: Sequence[Candidate],
        infos: Sequence[codes.CodeInfo],
        release: str | None,
        sure: bool = False,
    ) -> Answer:
        """An answer made from the facts alone (a yes/no or a comparison no entry makes);
        ``sure`` when a facts table decides it outright (what a modifier means)."""
        return Answer(
            question=echo,
            kind="answer",
            body=body,
            cards=_summary(infos),
            score=0.0,
            alternatives=_alternatives(candidates),
            codes=tuple(infos),
            sources=self._fact_sources(reading),
            confidence="uncertain" if candidates and not sure else "high",
            release=release,
        )

    def _named_remarks(
        self, text: str, found: list[codes.Found]
    ) -> tuple[str, list[codes.Found], int]:
        """A text with each remark code written alone given its list's name ("What does N565
        mean?" is read as "What does remark code N565 mean?"), and the codes found in it less
        those that are such remark codes. A remark code that is read as another code too,
        "N130" (the diagnosis code N13.0), is that code unless the text names a claim code
        list or a denial ("N130 denial"). Also how many words the names added."""
        if not claim_codes.may_name_bare(text):
            return text, found, 0
        named, unlisted = claim_codes.scan(text, self.facts, bare=True)
        bare: list[claim_codes.Named | claim_codes.Unlisted] = [n for n in named if n.bare]
        bare += [u for u in unlisted if u.bare]
        if not bare:
            return text, found, 0
        if claim_codes.names_a_list(text, self.facts):
            remarks = {n.written for n in bare}
            found = [f for f in found if _undotted(f.text) not in remarks]
        else:
            taken = {_undotted(f.text) for f in found}
            bare = [n for n in bare if n.written not in taken]
        before = len(text.split())
        for each in bare:
            text = claim_codes.with_list_name(text, each.written, each.list)
        return text, found, len(text.split()) - before

    def _claim_codes(
        self, text: str, reading: Reading
    ) -> tuple[tuple[claim_codes.Named, ...], tuple[claim_codes.Unlisted, ...]]:
        """The claim codes a question names (see :mod:`assistant.core.claim_codes`), also with
        a list's name mistyped ("a 32 occurence code", "the qualfier 454"): then its words as
        the reading spelled them are looked at; and the codes it names that the table does not
        hold, as typed."""
        # (remark codes written alone were given their list's name already, or are other codes)
        found, missing = claim_codes.scan(text, self.facts)
        if found:
            return found, missing
        typed = {w.lower() for w in _WORD.findall(text)}
        spelled = [t.word for t in reading.terms if t.word not in typed]
        if not any(key in word for word in spelled for key in claim_codes.key_words(self.facts)):
            return (), missing  # (no list's name was spelled otherwise)
        fixed: dict[str, str] = {}
        for word in typed - {t.word for t in reading.terms}:
            best = max(spelled, key=lambda s: fuzz.ratio(word, s))
            if fuzz.ratio(word, best) >= RESPELLED:
                fixed[word] = best
        if not fixed:
            return (), missing
        respelled = _WORD.sub(lambda m: fixed.get(m[0].lower(), m[0]), text)
        return claim_codes.named(respelled, self.facts), missing

    def _asks_meaning(self, reading: Reading, named_words: int = 0) -> bool:
        """Whether a question asks what the codes it names mean: "what is / what does ...
        mean", a comparison of them, or no more than the codes and a few words ("POS 11?"; the
        words of a list's name given to a code written alone, ``named_words``, not counted)."""
        return bool({"define", "compare", "why"} & set(reading.intents)) or (
            not reading.yes_no and len(reading.keys) <= CLAIM_CODE_WORDS + named_words
        )

    def _claim_code_reply(
        self,
        echo: str,
        named: Sequence[claim_codes.Named],
        ranked: Sequence[Candidate],
        infos: Sequence[codes.CodeInfo],
        release: str | None,
        missing: Sequence[claim_codes.Unlisted] = (),
    ) -> Answer:
        """What each claim code named means, from its table row, then the confident entry on
        the question when it speaks of the code, else a close entry that names the code, else
        the confident entry (which explains the code's list). A code the table does not hold
        is said to be missing, and the answer is then uncertain unless another code is known."""
        lead = claim_codes.lead(tuple(named), tuple(missing))
        sources = tuple(
            dict.fromkeys(
                [n.row.source for n in named if n.row.source]
                + [m.list.source for m in missing if m.list.source]
            )
        )
        close = [c for c in ranked[:CLAIM_CODE_ENTRIES] if c.score >= ANSWER]
        written = {w for n in named for w in (n.row.code, n.written)} | {m.written for m in missing}
        # (a group, "013X", is spoken of by any code of it: "0131", "131", "13X")
        groups = {
            rf"0*{re.escape(n.row.code[:-1].lstrip('0'))}[0-9X]"
            for n in named
            if n.row.code.endswith("X")
        }
        said = re.compile(
            r"(?<![\w-])(?:" + "|".join([*map(re.escape, written), *groups]) + r")(?![\w-])",
            re.IGNORECASE,
        )
        confident = close[0] if close and close[0].score >= HIGH else None
        if confident is not None and said.search(self._entry(confident.entry_id).answer):
            best: Candidate | None = confident  # the confident entry, which speaks of the code
        else:
            # else a close entry that names the code as a code (`32`), not a number in passing
            quoted = [f"`{w}`".lower() for w in written]
            naming = (
                c for c in close if any(q in self._entry(c.entry_id).answer.lower() for q in quoted)
            )
            best = next(naming, confident)
        entry = self._entry(best.entry_id) if best is not None else None
        return Answer(
            question=echo,
            kind="answer",
            body=entry.answer if entry else "",
            lead=lead,
            cards=_summary(infos),
            entry=_ref(entry) if entry else None,
            score=best.score if best is not None else 0.0,
            alternatives=_alternatives([c for c in ranked[:CANDIDATES] if c is not best]),
            codes=tuple(infos),
            sources=tuple(dict.fromkeys((*sources, *(entry.sources if entry else ())))),
            confidence="high" if named else "uncertain",
            release=release,
        )

    def _pick_reply(
        self,
        echo: str,
        reading: Reading,
        picked: Pick,
        infos: Sequence[codes.CodeInfo],
        release: str | None,
    ) -> Answer:
        """The facts row a "which ... for ...?" question asks for, with its entry if any."""
        member = picked.member
        body = f"**{member.name}**: {member.text}."
        if picked.others:
            body += (
                "\n\nAlso close: " + "; ".join(f"{m.name} ({m.text})" for m in picked.others) + "."
            )
        sources = self.composer.sources_of(member.concept)
        entry = None
        focused = replace(reading, concepts=(member.concept,), intents=("define",))
        ranked = self.retriever.rank(focused)
        if ranked and member.concept in self.retriever.profiles[ranked[0].entry_id].concepts:
            entry = self._entry(ranked[0].entry_id)
            body += f"\n\n{entry.answer}"
            sources = tuple(dict.fromkeys((*sources, *entry.sources)))
        return Answer(
            question=echo,
            kind="answer",
            body=body,
            cards=_summary(infos),
            entry=_ref(entry) if entry else None,
            score=ranked[0].score if entry else 0.0,
            alternatives=_alternatives(ranked[1:] if entry else ranked),
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

    def _code_reply(
        self,
        echo: str,
        reading: Reading,
        infos: Sequence[codes.CodeInfo],
        candidates: Sequence[Candidate],
        release: str | None,
        lead: str | None = None,
    ) -> Answer:
        """The cards of the codes, what the question asks about them (``lead``), and the entry
        that answers the question when there is one: first when the question asks something
        beyond what the codes are ("when do I use JW and JZ?"), after the cards otherwise."""
        score, sources = 0.0, _code_sources(infos, release)
        # (when what the codes are already decides a yes/no question, "No: E0601 is a HCPCS
        # Level II code", no entry's verdict is looked for: it would not be said)
        decided = bool(lead and OWN_VERDICT.match(lead))
        entry, confidence, verdict = self._entry_for_codes(reading, infos, candidates, decided)
        # The entries ranked for any question, and the one chosen if it came from further down.
        deeper = [c for c in candidates[CANDIDATES:] if entry and c.entry_id == entry.id]
        candidates = [*candidates[:CANDIDATES], *deeper]
        alternatives = _alternatives(candidates)
        body = ""
        if verdict and not (lead and OWN_VERDICT.match(lead)):
            # "modifier 22 on 99291?" - "No. ...", before what the data says; when what the
            # data says already starts with Yes or No ("No: 99201 was deleted ..."), that is
            # the answer, and the entry's verdict is not said again.
            lead = f"{verdict}\n\n{lead}" if lead else verdict
        if entry is not None:
            score = next(c.score for c in candidates if c.entry_id == entry.id)
            sources = sources + tuple(s for s in entry.sources if s not in sources)
            alternatives = _alternatives([c for c in candidates if c.entry_id != entry.id])
            body = f"**{entry.title}**\n\n{entry.answer}"
        return Answer(
            question=echo,
            kind="code",
            body=body,
            lead=lead or "",
            cards=cards.cards(infos),
            # A question that asks what its codes are: cards first. One asking yes or no about
            # them ("can modifier 22 go on 99291?") gets the entry that may answer it first.
            cards_first=reading.intent in (None, "define") and not reading.yes_no,
            entry=_ref(entry) if entry else None,
            score=score,
            alternatives=alternatives,
            codes=tuple(infos),
            sources=sources,
            confidence=confidence,
            release=release,
        )

    def _entry_for_codes(
        self,
        reading: Reading,
        infos: Sequence[codes.CodeInfo],
        candidates: Sequence[Candidate],
        decided: bool = False,
    ) -> tuple[kb.Entry | None, Confidence, str | None]:
        """The entry to show beside code cards, how sure the reply is, and the entry's verdict
        on the question as a first line: a close entry whose verdict decides a yes/no question
        the best one does not, or else :meth:`_code_entry`'s choice. ``decided``: the codes
        already answer yes or no, so no verdict is looked for."""
        if reading.codes_compared:
            # "59 vs 51" is not answered by the entry comparing 50 with 51: an entry whose
            # title compares codes, some not asked and some asked left out, is on another pair.
            candidates = [c for c in candidates if not self._compares_others(c, infos)]
        if not candidates:
            return None, "high", None
        if decided:
            entry, confidence = self._code_entry(reading, infos, candidates)
            return entry, confidence, None
        held = self._verdict_holder(reading, candidates, infos)
        if held is not None:
            # The entry whose verdict decides the question ("can modifier 22 go on 99291?":
            # the modifier 22 entry's "No."), not one that only names the code.
            return self._entry(held[0].entry_id), "high", held[1]
        entry, confidence = self._code_entry(reading, infos, candidates)
        if entry is None or entry.id == candidates[0].entry_id:
            return entry, confidence, None  # (the best entry's verdict was looked for above)
        return entry, confidence, self._verdict(reading, entry, infos)

    def _code_entry(
        self, reading: Reading, infos: Sequence[codes.CodeInfo], candidates: Sequence[Candidate]
    ) -> tuple[kb.Entry | None, Confidence]:
        """A confident match, the best candidate when it is about one of the codes themselves
        (modifier JW's entry for "JW"), or an entry that may answer what is asked about the
        codes (the reply is then "uncertain", with the other topics offered). Cards alone are
        "high"."""
        best = candidates[0]
        implied = {c for info in infos for c in self._code_concepts(info)}
        # (A modifier named in a pasted option is not what the question is about, nor one
        # written on a code the question names: "93016 and 93018 with 93306-26".)
        coded = any("modifier" not in info.system for info in infos)
        specific = (
            {c for c in implied if c.startswith("modifier-")}
            if not (reading.choices or coded)
            else set()
        )
        # (a topic of modifiers in general that the question names beside its modifiers must
        # be the entry's too: "which modifier goes first, 59 or TC?" asks the order of
        # modifiers, not what 59 is for; a family of modifiers, such as the assistant-at-surgery
        # ones, or a class above the question's own, is no such topic)
        beyond = {
            c
            for c in reading.concepts
            if c not in implied
            and c not in self._modifier_families
            and not c.startswith("modifier-")
            and "modifier" in self.lexicon.ancestors(c)
        }
        for candidate in candidates:
            # "What is modifier 95 for telehealth?": the entry on modifier 95 itself.
            concepts = set(self.retriever.profiles[candidate.entry_id].concepts)
            about = specific & concepts
            if about and candidate.score >= ANSWER and beyond <= concepts:
                return self._entry(candidate.entry_id), "high"
        candidates = candidates[:CANDIDATES]
        level = self._confidence(reading, candidates)
        if level != "none" and not reading.choices:
            # "Can you bill different fees for V5256?": a close entry that names the code itself
            # (hearing aids) and shares as many of the question's words, rather than one that
            # names neither the code nor its range.
            # (a best entry whose title names other codes and none of these is about those:
            # "G0283 vs 97014" is not answered by the entry comparing 99183 with G0277)
            elsewhere = self._about_other_codes(best, infos)
            reach = NAMING_REACH * (2 if elsewhere else 1)
            close = [c for c in candidates[:NAMING_CANDIDATES] if c.score >= best.score - reach]
            named = self._naming(infos, close)
            if (
                named is not None
                and named is not best
                and named.words >= best.words
                # (not one on another topic that mentions the code: "Z23 for a flu shot" is
                # not answered by the pneumococcal entry because it names Z23 too)
                and (elsewhere or named.concepts >= NAMING_CONCEPTS * best.concepts)
            ):
                return self._entry(named.entry_id), "uncertain"
        if reading.codes_compared and self._on_code_sets_only(best, implied):
            # "the difference between D2954 and D2950": an entry comparing the code sets
            # (HCPCS and CPT) does not compare these two codes; their cards do.
            return None, "high"
        if level != "none":
            return self._entry(best.entry_id), level
        return None, "high"

    def _compares_others(self, candidate: Candidate, infos: Sequence[codes.CodeInfo]) -> bool:
        """Whether an entry's title names two codes or modifiers or more, one of them not among
        the question's, while a code of the question is named neither there nor in its answer."""
        titled, ranges = self._title_codes(candidate.entry_id)
        wanted = {i.code.upper() for i in infos}
        if len(titled) < 2 or not titled - wanted:
            return False
        entry = self._entry(candidate.entry_id)
        # (a range the title names, "20600-20611", holds the codes inside it and is no code
        # of another pair)
        # (nor is an entry whose answer speaks of the code its title leaves out: the PHQ-9
        # entry, titled with 96127 and 96161, also explains 96160)
        missing = {
            w
            for w in wanted - titled
            if not any(lo <= w <= hi for lo, hi in ranges)
            and not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", entry.answer)
        }
        return bool(missing)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one assistant per knowledge base
    def _title_codes(self, entry_id: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
        """The codes and modifiers an entry's title names one by one, and its ranges."""
        title = self._entry(entry_id).title
        ranges = tuple((low.upper(), high.upper()) for low, high in _TITLE_RANGE.findall(title))
        single = _TITLE_RANGE.sub(" ", title)
        titled = {m.upper() for m in _TITLE_CODE.findall(single)}
        titled |= {g.upper() for m in _TITLE_MODIFIER.finditer(single) for g in m.groups() if g}
        return frozenset(titled), ranges

    def _on_code_sets_only(self, candidate: Candidate, implied: set[str]) -> bool:
        """Whether an entry is about code sets as a whole (CPT, HCPCS, its levels) and about
        none of the concepts the codes imply."""
        concepts = set(self.retriever.profiles[candidate.entry_id].concepts)
        return bool(concepts) and concepts <= CODE_SET_LABELS and not concepts & implied

    def _about_other_codes(self, best: Candidate, infos: Sequence[codes.CodeInfo]) -> bool:
        """Whether the best entry's title names codes, none of them the question's, and its
        answer names none of the question's codes either: it answers about other codes."""
        entry = self._entry(best.entry_id)
        titled = {m.upper() for m in _TITLE_CODE.findall(entry.title)}
        wanted = {i.code for i in infos if "modifier" not in i.system}
        if not titled or not wanted or titled & wanted:
            return False
        for low, high in _TITLE_RANGE.findall(entry.title):
            if any(low.upper() <= code <= high.upper() for code in wanted):
                return False  # "the eye codes 92002-92014" are about 92004
        return not any(code in entry.answer for code in wanted)

    def _naming(
        self, infos: Sequence[codes.CodeInfo], candidates: Sequence[Candidate]
    ) -> Candidate | None:
        """The first of ``candidates`` scoring enough to answer that lists one of the codes in
        its tags (an entry about the code) and matches the question's concepts and words as
        well as the first does ("when is A0429 used?" gets the entry on ambulance levels of
        service, not the mileage entry that names A0429 in passing), or else the first whose
        answer names one on its own (not as the end of a range)."""
        wanted = [
            i.code for i in infos if i.system not in ("CPT modifier", "HCPCS Level II modifier")
        ]
        if not wanted:
            return None
        answering = [c for c in candidates if c.score >= ANSWER]
        tags = {code.lower() for code in wanted}
        best = candidates[0]
        tagged = [
            c
            for c in answering
            if c.concepts >= best.concepts
            and c.words >= best.words
            and tags.intersection(t.lower() for t in self._entry(c.entry_id).tags)
        ]
        if tagged:
            # (of several about the code, the one that holds more of the question's words:
            # "what is 98941?" gets the entry on the regions each code counts, not Medicare's
            # coverage of chiropractic, which lists the codes too)
            return max(tagged, key=lambda c: c.words)
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in wanted) + r")(?![\w-])"
        )
        for c in answering:
            if pattern.search(self._entry(c.entry_id).answer):
                return c
        return None

    def _fallback(
        self,
        echo: str,
        candidates: Sequence[Candidate],
        infos: Sequence[codes.CodeInfo],
        lead: str | None = None,
        out_of_scope: str | None = None,
    ) -> Answer:
        """No answer: the out-of-scope rule's reply (``lead``), or that the knowledge base has
        none and what it covers; the closest topics are :attr:`Answer.choices`."""
        body = lead or f"{FALLBACK_HEAD}\n\n{SCOPE}"
        return Answer(
            question=echo,
            kind="fallback",
            body=body,
            cards=cards.cards(infos) if infos else "",
            alternatives=_alternatives(candidates),
            codes=tuple(infos),
            out_of_scope=out_of_scope,
        )


def _icd_unknown(condition: str) -> str:
    """The reply when no ICD-10-CM description or inclusion term says the condition asked."""
    return (
        f"I found no ICD-10-CM code whose description or inclusion terms say"
        f" \u201c{cards.md_text(condition)}\u201d, and no entry of my knowledge base is about it."
        " Look the condition up in the ICD-10-CM Alphabetic Index (by its main term, often"
        " the condition's name or a symptom), then confirm the code and its notes in the"
        " Tabular List."
    )


# The concepts of a code set's modifiers, and the system the classifier gives their modifiers.
_MODIFIER_SETS = {"cpt-modifier": "CPT modifier", "level2-modifier": "HCPCS Level II modifier"}
_TWO_CHARACTERS = re.compile(r"[A-Z0-9]{2}")


def _bare_option(text: str) -> str:
    """An option's text without the punctuation around it, in capitals ("lt." -> "LT")."""
    return text.strip(" .,;:()-").upper()


def _verdict_line(verdict: kb.Verdict, true_false: bool = False) -> str:
    """A verdict as the first line of a reply: "No. the reason" ("False. the reason" for a
    statement to judge true or false). The word is the reply's very first text, with no markup
    before it, so whatever reads the reply finds the Yes or No where it starts."""
    word, _, reason = verdict.lead.partition(" ")
    if true_false:
        word = "True." if verdict.yes else "False."
    return f"{word} {reason}"


def _unverdicted(body: str) -> str:
    """An answer without the "Yes."/"No." it starts with, its next word capitalised."""
    rest = OWN_VERDICT.sub("", body, count=1)
    if rest == body:
        return body
    m = re.match(r"[*`]*[a-z]", rest)
    return rest[: m.end() - 1] + rest[m.end() - 1].upper() + rest[m.end() :] if m else rest


# A CPT or Level II code written in an entry's title ("99183", "G0277", "0001U"), and a range.
_CODE = rf"(?<!\w)({shapes.PROCEDURE.pattern})(?!\w)"
_TITLE_CODE = re.compile(_CODE)
_TITLE_RANGE = re.compile(rf"{_CODE}\s*-\s*{_CODE}")
# A modifier a title names: "modifier 50", "modifiers 59 and XS", "-25".
_TITLE_MODIFIER = re.compile(
    r"(?:\bmodifiers?\s+|(?<![\w-])-)([0-9A-Z]{2})\b(?:\s*(?:,|and|or|vs\.?|versus)\s*-?([0-9A-Z]{2})\b)?"
)


def _asked(text: str) -> str | None:
    """The sentences of a longer text that ask something, when it also has sentences that do
    not (a story told before the question); None otherwise."""
    said = sentences(text)
    asked = questions(said)
    return " ".join(asked) if asked and len(asked) < len(said) else None


_WORD = re.compile(r"[A-Za-z]+")


def _icd_list(found: Sequence[icd.IcdInfo]) -> str:
    """ICD-10-CM codes as a Markdown list, each with its official description."""
    return "\n".join(f"- `{info.code}` {cards.md_text(info.description)}" for info in found)


def _alternatives(candidates: Sequence[Candidate]) -> tuple[Alternative, ...]:
    return tuple(
        Alternative(c.entry_id, c.question, c.score) for c in candidates if c.score >= SUGGEST_FLOOR
    )[:3]


def _ref(entry: kb.Entry) -> EntryRef:
    return EntryRef(entry.id, entry.title, entry.sources)


def _summary(infos: Sequence[codes.CodeInfo], heading: str = "Codes in your question") -> str:
    """The one-line summaries of the question's codes, under their heading ("" without)."""
    if not infos:
        return ""
    return f"**{heading}**\n\n" + "\n".join(cards.summary_line(c) for c in infos)


def _file_source(release: str | None) -> str:
    return (
        f"CMS: Alpha-Numeric HCPCS file, {release}" if release else "CMS: Alpha-Numeric HCPCS file"
    )


def _code_sources(infos: Sequence[codes.CodeInfo], release: str | None) -> tuple[str, ...]:
    out: list[str] = []
    systems = {c.system for c in infos}
    if systems & {"CPT", "CPT modifier"}:
        out.append("AMA: CPT code set structure (section ranges and categories)")
    for c in infos:  # a deleted CPT code: where its deletion is stated
        if c.deletion is not None and c.deletion.source and c.deletion.source not in out:
            out.append(c.deletion.source)
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


def _undotted(code: str) -> str:
    """A code as a remark code would be written: upper case, without a dot ("n13.0": "N130")."""
    return code.upper().replace(".", "")


def _unique(infos: Iterable[codes.CodeInfo]) -> list[codes.CodeInfo]:
    seen: set[str] = set()
    out: list[codes.CodeInfo] = []
    for c in infos:
        if c.code not in seen:
            seen.add(c.code)
            out.append(c)
    return out


def _without_spans(text: str, found: Sequence[codes.Found]) -> str:
    out: list[str] = []
    pos = 0
    for f in found:
        out.append(text[pos : f.start])
        pos = f.end
    out.append(text[pos:])
    return " ".join(out)


_default: Assistant | None = None


def default_assistant() -> Assistant:
    """The built-in knowledge base with the user's imported data, built on first use."""
    global _default
    if _default is None:
        _default = Assistant.from_dir(None, data_source=_open_user_data)
    return _default


def _open_user_data() -> HcpcsStore | None:
    """The user's imported data, or None. A broken data directory raises (DataUnavailable);
    :attr:`Assistant.data` turns that into ``data_problem`` and answers without it."""
    from assistant.codes.hcpcs import open_data

    return open_data()


def answer(question: str, assistant: Assistant | None = None) -> Answer:
    """Answer one question with the given assistant, or the default one."""
    return (assistant or default_assistant()).answer(question)


OPENING_MATCH = 16  # characters of the question as read that find where it starts as written


def _without_opening(text: str, reading: Reading) -> str:
    """The question as written from where the question as read starts: without a greeting, a
    label, "So" or a scene before it ("Hello! Is J3490 a CPT code?"), which the engine's reading leaves
    out and the code questions, reading the text as written, would take for its start. The text
    as written when the reading starts elsewhere or was reworded."""
    # (after a scene that only tells who asks, the sentence that asks: "We are a small
    # practice. Is J3490 a CPT code?")
    asked = reading.asked if reading.scene and reading.asked else reading.stem or reading.text
    start = asked[:OPENING_MATCH]
    at = text.find(start) if len(start) == OPENING_MATCH else -1
    return text[at:] if at > 0 else text
