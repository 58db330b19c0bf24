"""Training quiz questions, generated from the section facts and the code classifier.

Nothing here is a hand-written question list: every right answer is read from a fact table
(``cpt-sections``, ``cpt-categories``, ``level2-sections``, ``modifiers``) or given by
:func:`assistant.codes.classify.classify`, and the wrong choices are other rows of the same table (other
CPT sections, other Level II sections, other modifiers of the same kind, other maintainers).
Example codes are either numbers picked inside a CPT section's range (asked about as a range,
never with a descriptor) or codes written in the knowledge base itself.

The module is free of any user interface: the terminal quiz (:mod:`assistant.cli.quiz`) and the
chat app use the same :func:`make_quiz`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.codes import classify as codes
from assistant.codes import shapes
from assistant.codes.classify import CodeInfo
from assistant.core.facts import CptSection, Facts, Level2Section, Modifier, build
from assistant.core.kb import KnowledgeBase

LETTERS = "ABCD"
CHOICES = len(LETTERS)


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question: ``choices[answer]`` is the right one."""

    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    topic: str

    @property
    def answer_text(self) -> str:
        return self.choices[self.answer]

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]


# Code sets a learner meets on a claim, as the classifier names them (codes.SYSTEMS).
CODE_SETS = ("CPT", "HCPCS Level II", "ICD-10-CM", "ICD-10-PCS", "NDC")
# Code sets asked "who maintains X?": NDC is left out (the FDA publishes the directory, but the
# labelers assign the product and package parts), as is the retired Level III.
MAINTAINED_SETS = ("CPT", "HCPCS Level II", "ICD-10-CM", "ICD-10-PCS")
ORGANISATIONS = {
    "AMA": "AMA (American Medical Association)",
    "CMS": "CMS (Centers for Medicare & Medicaid Services)",
    "CDC/NCHS": "CDC/NCHS (National Center for Health Statistics)",
    "ADA": "ADA (American Dental Association)",
    "FDA": "FDA (Food and Drug Administration)",
    "BCBSA and AHIP": "BCBSA and AHIP (Blue Cross Blue Shield Association and AHIP)",
}
# Pairs too close to tell apart as a right and a wrong choice: 59 and the X modifiers that
# refine it; E (DME) and K (temporary DME codes) when the question names the section.
TOO_CLOSE = (
    frozenset({"59", "XE"}),
    frozenset({"59", "XP"}),
    frozenset({"59", "XS"}),
    frozenset({"59", "XU"}),
    frozenset({"GT", "95"}),
    frozenset({"E", "K"}),
)
_BACKTICKED = re.compile(r"`([^`\n]+)`")
_SUFFIX = re.compile(r"\band ([A-Z])$")


def _too_close(a: str, b: str) -> bool:
    return frozenset({a, b}) in TOO_CLOSE


@dataclass(frozen=True)
class Category:
    """A row of ``cpt-categories``, with its code letter when the classifier agrees on it."""

    name: str
    format: str
    example: str | None
    purpose: str
    suffix: str | None


class Context:
    """The facts a quiz is made from, read once per knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.facts: Facts = build(kb)
        self.sections: tuple[CptSection, ...] = tuple(
            s for s in self.facts.cpt_sections if s.name and s.ranges
        )
        self.level2: tuple[Level2Section, ...] = tuple(
            s for s in self.facts.level2.values() if s.name
        )
        self.modifiers: tuple[Modifier, ...] = tuple(
            m for m in self.facts.modifiers.values() if m.meaning and m.system
        )
        self._classified: dict[str, CodeInfo | None] = {}
        self._codes_of: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.categories = self._categories(kb)
        self.kb_codes = self._kb_codes(kb)

    def _categories(self, kb: KnowledgeBase) -> tuple[Category, ...]:
        table = kb.tables.get("cpt-categories")
        out = []
        for r in table.records() if table else []:
            name = _clean(r.get("category", ""))
            purpose = _clean(r.get("what it is for", ""))
            fmt = _clean(r.get("format", ""))
            if not name or not purpose:
                continue
            example = _clean(r.get("example", "")) or None
            info = self.classify(example) if example else None
            if info is None or info.category != name:
                example = None  # not a code, or the table and the classifier disagree
            m = _SUFFIX.search(fmt)
            suffix = m.group(1) if m else None
            if suffix and codes.CPT_SUFFIX_CATEGORY.get(suffix) != name:
                suffix = None
            out.append(Category(name, fmt, example, purpose, suffix))
        return tuple(out)

    @staticmethod
    def _kb_codes(kb: KnowledgeBase) -> tuple[str, ...]:
        """Codes written (in backticks) in the knowledge base's answers, in file order."""
        seen: dict[str, None] = {}
        for entry in kb.entries:
            for token in _BACKTICKED.findall(entry.answer):
                token = token.strip()
                if any(
                    rx.fullmatch(token)
                    for rx in (
                        shapes.CPT,
                        shapes.CPT_OTHER,
                        shapes.LEVEL2,
                        shapes.ICD_CM_WRITTEN,
                        shapes.ICD_PCS,
                    )
                ):
                    seen.setdefault(token, None)
        return tuple(seen)

    def classify(self, code: str) -> CodeInfo | None:
        """The classifier's reading of a code, or None when a quiz should not ask about it:
        unknown, outside its section, or readable as two code sets (``E1161``, ``A0225``)."""
        if code not in self._classified:
            info = codes.classify(code, self.facts)
            doubtful = any(
                note.startswith(("Also an ICD-10-CM", "Written ")) or " is outside " in note
                for note in info.notes
            )
            ok = info.system in CODE_SETS and not doubtful
            if info.system == "CPT" and info.category == "Category I" and not info.section:
                ok = False
            if info.system == "HCPCS Level II" and not info.section:
                ok = False
            self._classified[code] = info if ok else None
        return self._classified[code]

    def codes_of(self, *systems: str) -> tuple[str, ...]:
        """Knowledge-base codes of these code sets, by shape (classified when asked about);
        worked out once per set of code sets, as every quiz asks for the same few."""
        if systems not in self._codes_of:
            by_set = {
                "CPT": (shapes.CPT, shapes.CPT_OTHER),
                "HCPCS Level II": (shapes.LEVEL2,),
                "ICD-10-CM": (shapes.ICD_CM_WRITTEN,),
                "ICD-10-PCS": (shapes.ICD_PCS,),
            }
            wanted = [rx for s in systems for rx in by_set.get(s, ())]
            self._codes_of[systems] = tuple(
                c for c in self.kb_codes if any(rx.fullmatch(c) for rx in wanted)
            )
        return self._codes_of[systems]

    def maintainers(self) -> list[str]:
        """Every organisation the facts name as a maintainer: the pool of wrong choices."""
        names = {m for s, m in codes.MAINTAINERS.items() if s in CODE_SETS}
        names |= {s.maintainer for s in self.level2 if s.maintainer}
        return sorted(names)


def _clean(cell: str) -> str:
    return cell.replace("`", "").strip()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key(text: str) -> str:
    """What two choices are compared by: case and surrounding spaces do not count."""
    return text.casefold().strip()


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _question(
    rng: random.Random,
    prompt: str,
    right: str,
    pool: list[str],
    explanation: str,
    topic: str,
) -> QuizQuestion | None:
    """Four choices: the right one and three distinct others drawn from ``pool``."""
    others: list[str] = []
    seen = {_key(right)}
    for item in pool:
        if item and _key(item) not in seen:
            seen.add(_key(item))
            others.append(item)
    if len(others) < CHOICES - 1:
        return None
    choices = [right, *rng.sample(others, CHOICES - 1)]
    rng.shuffle(choices)
    return QuizQuestion(prompt, tuple(choices), choices.index(right), explanation, topic)


Made = tuple[str, QuizQuestion] | None  # (subject key, question): one question per subject
Generator = Callable[[Context, random.Random], Made]


# --- CPT sections -----------------------------------------------------------------------------


def _cpt_section_of_code(ctx: Context, rng: random.Random) -> Made:
    if len(ctx.sections) < CHOICES:
        return None
    known = ctx.codes_of("CPT")
    known = [c for c in known if shapes.CPT.fullmatch(c)]
    if known and rng.random() < 0.4:
        code = rng.choice(known)
        prompt = f"Which CPT section is {code} in?"
    else:
        section = rng.choice(ctx.sections)
        lo, hi = rng.choice(section.ranges)
        code = f"{rng.randint(lo, hi):05d}"
        prompt = f"Which CPT section's code range includes {code}?"
    info = ctx.classify(code)
    hit = ctx.facts.cpt_section(int(code))
    if info is None or hit is None or info.section != hit[0].name:
        return None
    section, span = hit
    if span == section.range_text:
        explanation = (
            f"{code} is within {span}, the range of the {section.name} section of CPT Category I."
        )
    else:
        explanation = (
            f"{code} is within {span}, one of the ranges of the {section.name} section of CPT "
            f"Category I ({section.range_text})."
        )
    q = _question(
        rng,
        prompt,
        section.name,
        [s.name for s in ctx.sections],
        explanation,
        "CPT sections",
    )
    return (f"cpt-code:{code}", q) if q else None


def _cpt_section_range(ctx: Context, rng: random.Random) -> Made:
    if len(ctx.sections) < CHOICES:
        return None
    section = rng.choice(ctx.sections)
    explanation = f"The {section.name} section of CPT Category I covers {section.range_text}."
    q = _question(
        rng,
        f"What is the code range of the {section.name} section of CPT?",
        section.range_text,
        [s.range_text for s in ctx.sections],
        explanation,
        "CPT sections",
    )
    return (f"cpt-range:{section.name}", q) if q else None


# --- HCPCS Level II sections ------------------------------------------------------------------


def _level2_letter_to_section(ctx: Context, rng: random.Random) -> Made:
    section = rng.choice(ctx.level2) if ctx.level2 else None
    if section is None:
        return None
    explanation = (
        f"HCPCS Level II codes starting with {section.letter} ({section.range_text}) are the "
        f'section "{section.name}".'
    )
    q = _question(
        rng,
        f"What does the {section.letter} section of HCPCS Level II cover?",
        section.name,
        [s.name for s in ctx.level2],
        explanation,
        "HCPCS Level II sections",
    )
    return (f"level2:{section.letter}", q) if q else None


def _level2_section_to_letter(ctx: Context, rng: random.Random) -> Made:
    section = rng.choice(ctx.level2) if ctx.level2 else None
    if section is None:
        return None
    right = f"{section.letter} codes"
    explanation = (
        f'"{section.name}" is the {section.letter} section of HCPCS Level II: {right} '
        f"({section.range_text})."
    )
    q = _question(
        rng,
        f'Which HCPCS Level II codes make up the section "{section.name}"?',
        right,
        [f"{s.letter} codes" for s in ctx.level2 if not _too_close(s.letter, section.letter)],
        explanation,
        "HCPCS Level II sections",
    )
    return (f"level2:{section.letter}", q) if q else None


def _level2_code_to_section(ctx: Context, rng: random.Random) -> Made:
    known = ctx.codes_of("HCPCS Level II")
    if not known:
        return None
    code = rng.choice(known)
    info = ctx.classify(code)
    section = ctx.facts.level2.get(code[0])
    if info is None or section is None or info.section != section.name:
        return None
    explanation = (
        f"{code} starts with {section.letter}, and {section.range_text} is the HCPCS Level II "
        f'section "{section.name}".'
    )
    q = _question(
        rng,
        f"Which HCPCS Level II section does a code like {code} belong to?",
        section.name,
        [s.name for s in ctx.level2],
        explanation,
        "HCPCS Level II sections",
    )
    return (f"code:{code}", q) if q else None


# --- modifiers --------------------------------------------------------------------------------


def _modifier_pool(ctx: Context, mod: Modifier) -> list[Modifier]:
    """Other modifiers of the same system (CPT with CPT, Level II with Level II)."""
    others = [
        m
        for m in ctx.modifiers
        if m.code != mod.code and m.system == mod.system and not _too_close(m.code, mod.code)
    ]
    return others


def _modifier_explanation(mod: Modifier) -> str:
    return f"{mod.code} is a {mod.system}: {mod.meaning}."


def _modifier_meaning(ctx: Context, rng: random.Random) -> Made:
    if not ctx.modifiers:
        return None
    mod = rng.choice(ctx.modifiers)
    q = _question(
        rng,
        f"What does modifier {mod.code} mean?",
        mod.meaning,
        [m.meaning for m in _modifier_pool(ctx, mod)],
        _modifier_explanation(mod),
        "Modifiers",
    )
    return (f"modifier:{mod.code}", q) if q else None


def _modifier_for_meaning(ctx: Context, rng: random.Random) -> Made:
    if not ctx.modifiers:
        return None
    mod = rng.choice(ctx.modifiers)
    q = _question(
        rng,
        f'Which modifier means "{mod.meaning}"?',
        mod.code,
        [m.code for m in _modifier_pool(ctx, mod) if not _same(m.meaning, mod.meaning)],
        _modifier_explanation(mod),
        "Modifiers",
    )
    return (f"modifier:{mod.code}", q) if q else None


# --- CPT categories ---------------------------------------------------------------------------


def _category_explanation(cat: Category) -> str:
    example = f", for example {cat.example}" if cat.example else ""
    return f"CPT {cat.name} codes ({cat.purpose}) are written as {cat.format}{example}."


def _category_by_format(ctx: Context, rng: random.Random) -> Made:
    usable = [c for c in ctx.categories if c.format]
    if not usable:
        return None
    cat = rng.choice(usable)
    if cat.suffix:
        prompt = f"Which CPT category has codes ending in {cat.suffix}?"
    else:
        prompt = f"Which CPT category is written as {cat.format}?"
    q = _question(
        rng,
        prompt,
        cat.name,
        [c.name for c in usable if c.format != cat.format],
        _category_explanation(cat),
        "CPT categories",
    )
    return (f"category:{cat.name}", q) if q else None


def _format_of_category(ctx: Context, rng: random.Random) -> Made:
    usable = [c for c in ctx.categories if c.format]
    if not usable:
        return None
    cat = rng.choice(usable)
    q = _question(
        rng,
        f"How are CPT {cat.name} codes written?",
        _sentence(cat.format),
        [_sentence(c.format) for c in usable],
        _category_explanation(cat),
        "CPT categories",
    )
    return (f"category:{cat.name}", q) if q else None


def _purpose_of_category(ctx: Context, rng: random.Random) -> Made:
    if not ctx.categories:
        return None
    cat = rng.choice(ctx.categories)
    example = f" (like {cat.example})" if cat.example else ""
    explanation = f"CPT {cat.name} codes{example}: {cat.purpose}."
    q = _question(
        rng,
        f"What are CPT {cat.name} codes for?",
        cat.purpose,
        [c.purpose for c in ctx.categories],
        explanation,
        "CPT categories",
    )
    return (f"category:{cat.name}", q) if q else None


# --- code sets and maintainers ----------------------------------------------------------------


def _describe(code: str, info: CodeInfo) -> str:
    """Why the classifier puts a code in its code set, from the facts it used."""
    if info.system == "CPT" and info.category == "Category I":
        return (
            f"{code} is five digits in the {info.section} range ({info.range}): a CPT "
            "(HCPCS Level I) Category I code"
        )
    if info.system == "CPT":
        return f"{code} is four digits and {code[-1]}: a CPT {info.category} code"
    if info.system == "HCPCS Level II":
        return (
            f"{code} is a letter and four digits, in the {code[0]} section ({info.range}): "
            "a HCPCS Level II code"
        )
    if info.system == "ICD-10-CM":
        where = f", in the chapter {info.section} ({info.range})" if info.section else ""
        return f"{code} is an ICD-10-CM diagnosis code{where}"
    if info.system == "ICD-10-PCS":
        where = f" (first character {code[0]}: {info.section})" if info.section else ""
        return f"{code} is seven characters{where}: an ICD-10-PCS procedure code"
    return f"{code} is a {info.system} code"


def _code_set(ctx: Context, rng: random.Random) -> Made:
    known = ctx.codes_of(*CODE_SETS)
    if not known:
        return None
    # Pick the code set first, so a quiz is not all Level II codes (most examples are).
    systems = [s for s in CODE_SETS if ctx.codes_of(s)]
    code = rng.choice(ctx.codes_of(rng.choice(systems)))
    info = ctx.classify(code)
    if info is None:
        return None
    q = _question(
        rng,
        f"Which code set does {code} belong to?",
        info.system,
        list(CODE_SETS),
        _describe(code, info) + ".",
        "Code sets",
    )
    return (f"code:{code}", q) if q else None


def _organisation(name: str) -> str:
    return ORGANISATIONS.get(name, name)


def _maintainer(ctx: Context, rng: random.Random) -> Made:
    kind = rng.choice(("code set", "letter", "code"))
    if kind == "letter" and ctx.level2:
        # The D and S sections are the exceptions to CMS, so ask about them more often.
        dental = [s for s in ctx.level2 if s.maintainer != "CMS"]
        section = rng.choice(dental if dental and rng.random() < 0.5 else ctx.level2)
        if not section.maintainer:
            return None
        right = _organisation(section.maintainer)
        key = f"maintainer:{section.letter}"
        prompt = f"Who maintains the {section.letter} codes of HCPCS Level II?"
        explanation = (
            f'The {section.letter} section ({section.range_text}, "{section.name}") is '
            f"maintained by the {right}."
        )
    elif kind == "code":
        known = ctx.codes_of(*MAINTAINED_SETS)
        if not known:
            return None
        code = rng.choice(known)
        info = ctx.classify(code)
        if info is None or not info.maintainer or info.system not in MAINTAINED_SETS:
            return None
        right = _organisation(info.maintainer)
        key = f"code:{code}"
        prompt = f"Who maintains the code set that {code} belongs to?"
        explanation = f"{_describe(code, info)}, maintained by the {right}."
    else:
        system = rng.choice(MAINTAINED_SETS)
        right = _organisation(codes.MAINTAINERS[system])
        key = f"maintainer:{system}"
        prompt = f"Who maintains {system}?"
        explanation = f"{system} is maintained by the {right}."
    pool = [_organisation(m) for m in ctx.maintainers()]
    q = _question(rng, prompt, right, pool, explanation, "Maintainers")
    return (key, q) if q else None


# By topic: a quiz takes the topics in turn (shuffled), and one of the topic's kinds of question.
GENERATORS: dict[str, tuple[Generator, ...]] = {
    "CPT sections": (_cpt_section_of_code, _cpt_section_range),
    "HCPCS Level II sections": (
        _level2_letter_to_section,
        _level2_section_to_letter,
        _level2_code_to_section,
    ),
    "Modifiers": (_modifier_meaning, _modifier_for_meaning),
    "CPT categories": (_category_by_format, _format_of_category, _purpose_of_category),
    "Code sets": (_code_set,),
    "Maintainers": (_maintainer,),
}

_contexts: list[tuple[KnowledgeBase, Context]] = []


def context(kb: KnowledgeBase) -> Context:
    """The quiz facts of a knowledge base, kept for the last few bases used."""
    for known, ctx in _contexts:
        if known is kb:
            return ctx
    ctx = Context(kb)
    _contexts.insert(0, (kb, ctx))
    del _contexts[4:]
    return ctx


def capacity(kb: KnowledgeBase) -> int:
    """How many different questions the knowledge base gives: one per subject a quiz can ask
    about (each CPT section's range, which CPT section a code is in (once per section), each
    Level II section, each code written in the knowledge base, each modifier, CPT category and
    maintainer). A quiz never asks about a subject twice, so this caps its length."""
    ctx = context(kb)
    subjects: set[str] = set()
    if len(ctx.sections) >= CHOICES:
        subjects |= {f"cpt-range:{s.name}" for s in ctx.sections}
        subjects |= {f"cpt-section:{s.name}" for s in ctx.sections}
    subjects |= {f"level2:{s.letter}" for s in ctx.level2}
    subjects |= {f"maintainer:{s.letter}" for s in ctx.level2 if s.maintainer}
    subjects |= {f"maintainer:{system}" for system in MAINTAINED_SETS}
    subjects |= {f"code:{c}" for c in ctx.kb_codes if ctx.classify(c) is not None}
    subjects |= {f"modifier:{m.code}" for m in ctx.modifiers}
    subjects |= {f"category:{c.name}" for c in ctx.categories}
    return len(subjects)


def make_quiz(kb: KnowledgeBase, count: int = 10, seed: int | None = None) -> list[QuizQuestion]:
    """``count`` questions (fewer if the facts cannot support that many, and never more than
    :func:`capacity`); the same seed gives the same quiz, ``None`` a fresh one.

    Topics take turns in a shuffled order, so a short quiz still mixes them, and no two
    questions share a subject (a modifier, a Level II letter, a code, a CPT category).
    """
    rng = random.Random(seed)
    ctx = context(kb)
    count = min(count, capacity(kb))
    quiz: list[QuizQuestion] = []
    subjects: set[str] = set()
    prompts: set[str] = set()
    topics = list(GENERATORS)
    misses = 0
    while len(quiz) < count and misses < 100 + 10 * count:
        order = topics[:]
        rng.shuffle(order)
        for topic in order:
            if len(quiz) >= count:
                break
            for _attempt in range(5):  # a few tries, so one unlucky pick does not skip a topic
                made = rng.choice(GENERATORS[topic])(ctx, rng)
                if made is None or made[0] in subjects or made[1].prompt in prompts:
                    misses += 1
                    continue
                key, q = made
                subjects.add(key)
                prompts.add(q.prompt)
                quiz.append(q)
                break
    return quiz
