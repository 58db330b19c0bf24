"""The lettered options of a pasted multiple-choice question, weighed against an answer.

A coder pastes an exam question with its options ("a. the AMA b. CMS c. the CDC"). The answer
engine answers the question from an entry; :func:`pick` then says which option the entry's
facts support: the one whose words (and word pairs) the answer says, "all of the above" when it
says what every other option says, or, for a question asking which is NOT so, the one option it
does not support. Only a clear pick is made: otherwise the answer speaks for itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from assistant.core.lexicon import Lexicon
from assistant.core.understand import Reading

OPTION_MIN, OPTION_MARGIN = 0.6, 0.25  # a pasted option the answer supports, and by how much
# Marks that tell options apart by themselves (CPT book symbols).
SYMBOLS = "+*#•▲►○●⊘★"
# An option that stands for all the others.
# ("all of these are correct", "all of the above are true": the same option, said in full;
# "any of these", after "... may result in denial because of": each of them, so all)
_SAID_RIGHT = r"(?: (?:are|is) (?:correct|true|right))?"
ALL_ABOVE = re.compile(
    r"^(?:all (?:of )?(?:the )?(?:above|these|them|of the above)(?: options| answers| choices)?"
    rf"{_SAID_RIGHT}|any of (?:the )?(?:above|these|them)|all (?:are|is) (?:correct|true)"
    r"|both [a-e] and [a-e])$"
)
# A question asking for the odd one out: "NOT", "EXCEPT", "which of these is not".
# "None of the above" says nothing the facts could support or not: it is never scored.
NONE_ABOVE = re.compile(
    rf"^none (?:of )?(?:the )?(?:above|these|them|of the above)(?: options| answers)?{_SAID_RIGHT}$"
)
NEGATIVE = re.compile(
    r"\b(?:NOT|EXCEPT)\b"
    r"|(?i:\bwhich\b[^?.]{0,40}?\b(?:isn't|is not|are not|aren't|doesn't|does not)\b)"
    r"|(?i:\bwhich\s+(?:(?!and\b)\w+\s+){0,3}?(?:is|are)\s+never\b)"
    r"|(?i:\bwhich\b[^?.]{0,40}?\b(?:is|are|is/are)\s+(?:false|incorrect|untrue|wrong)\b)"
    r"|(?i:\bwhat\s+(?:is|are)\s+(?:not|n't)\s+(?:true|correct|accurate)\b)"
)


# A question whose answer may be several options: naming one of them would say the rest are wrong.
SELECT_ALL = re.compile(r"\b(?:select|choose|check|mark|pick|circle)\s+all\b", re.I)


class Picked(NamedTuple):
    """An option named for a multiple-choice question."""

    letter: str
    text: str
    supported: bool  # False: the one option the facts do not support (a NOT question)


def negative(reading: Reading) -> bool:
    """Whether a pasted question asks which option is NOT so."""
    return bool(NEGATIVE.search(reading.stem or reading.text))


def pick(
    reading: Reading, body: str, lexicon: Lexicon, idf: Callable[[str], float]
) -> Picked | None:
    """The option of ``reading`` that the answer ``body`` clearly decides, or None."""
    if len(reading.options) < 2 or SELECT_ALL.search(reading.text):
        return None  # ("Select all that apply": one option named would say the others are not)
    scored, worded = _scored(reading, body, lexicon, idf)
    every = [o for o in scored if ALL_ABOVE.match(o[2].strip(" .").lower())]
    rest = sorted(
        (o for o in scored if o not in every and not NONE_ABOVE.match(o[2].strip(" .").lower())),
        key=lambda o: -o[0],
    )
    if len(every) == 1 and len(rest) >= 2 and all(worded[o[1]] >= OPTION_MIN for o in rest):
        # "d. all of the above": the facts name what each other option says
        return Picked(every[0][1], every[0][2], True)
    if len(rest) < 2:
        return None
    if negative(reading):
        # "which of the following is NOT ...": the one option the facts do not support
        (worst, letter, text), above = rest[-1], rest[-2][0]
        if worst < OPTION_MIN <= above and above - worst >= OPTION_MARGIN:
            return Picked(letter, text, False)
        return None
    (best, letter, text), runner_up = rest[0], rest[1][0]
    if best < OPTION_MIN or best - runner_up < OPTION_MARGIN:
        return _above(reading, lexicon)
    if _said_of_another(reading, body, letter, lexicon, idf):
        return None
    return Picked(letter, text, True)


def _scored(
    reading: Reading, body: str, lexicon: Lexicon, idf: Callable[[str], float]
) -> tuple[list[tuple[float, str, str]], dict[str, float]]:
    """Each option's support in ``body`` (its words and word pairs said), with its letter and
    text; and the share of its words said alone, by letter."""
    said_terms = [t.term for t in lexicon.terms(body)]
    said = set(said_terms)
    said_pairs = set(zip(said_terms, said_terms[1:], strict=False))
    scored: list[tuple[float, str, str]] = []
    worded: dict[str, float] = {}
    asked: set[str] | None = None  # (the question's telling words, found once when needed)
    for letter, text in reading.options:
        seq = [t.term for t in lexicon.terms(text)]
        if seq and all(t.isdigit() and len(t) == 1 for t in seq):
            # "a. 1 b. 2 c. 3": a one-digit number is in most answers ("October 1"), so it counts
            # only where the answer says it beside what the question asks about ("3 =
            # bilateral" for "which character denotes a bilateral condition?")
            if asked is None:
                asked = _asked_words(reading, idf)
            words = _said_beside(seq, said_terms, asked)
            scored.append((words, letter, text))
            worded[letter] = words
            continue
        weight = sum(idf(t) for t in set(seq))
        hit = sum(idf(t) for t in set(seq) if t in said)
        words = hit / weight if weight else 0.0
        pairs = list(zip(seq, seq[1:], strict=False))
        joined = sum(p in said_pairs for p in pairs) / len(pairs) if pairs else words
        score = (words + joined) / 2
        symbols = {c for c in text if c in SYMBOLS}
        if symbols:  # "a '+' symbol" or "a '*' symbol": the symbol itself decides
            shown = all(re.search(rf"[`'\"(\s]{re.escape(c)}[`'\")\s]", body) for c in symbols)
            score = (score + 1.0) / 2 if shown else score / 4
        scored.append((score, letter, text))
        worded[letter] = words
    return scored, worded


FOCUS_IDF = 3.0  # a stem word this rare, said by no option, is what the stem asks about
# The sentences and clauses of an answer (a bullet, a table row or a clause after ";" is one).
_PASSAGES = re.compile(r"(?<=[.;!?])\s+|\n+")


def _said_of_another(
    reading: Reading, body: str, letter: str, lexicon: Lexicon, idf: Callable[[str], float]
) -> bool:
    """Whether the passages of the answer that speak of what the stem asks about (its rarest
    word that no option says) support another option clearly better than the one picked. An
    answer on several conventions says what brackets hold in one sentence and what a colon
    means in another: "How is the colon convention used? A) Around synonyms ... D) After an
    incomplete term" is not answered A by the brackets' sentence."""
    offered: set[str] = set()
    for _letter, text in reading.options:
        offered.update(t.term for t in lexicon.terms(text))
    telling = {
        t.term
        for t in lexicon.terms(reading.stem or reading.text)
        if t.term not in offered and idf(t.term) >= FOCUS_IDF
    }
    if not telling:
        return False
    parts = [p for p in _PASSAGES.split(body) if p.strip()]
    terms = [{t.term for t in lexicon.terms(p)} for p in parts]
    present = [w for w in telling if any(w in ts for ts in terms)]
    if not present:
        return False
    rarest = max(present, key=lambda w: (idf(w), w))
    focused = "\n".join(p for p, ts in zip(parts, terms, strict=True) if rarest in ts)
    scored, _worded = _scored(reading, focused, lexicon, idf)
    mine = next(score for score, other, _text in scored if other == letter)
    others = [score for score, other, _text in scored if other != letter]
    # (another option better supported there, or the one picked not said there at all)
    return max(others) >= mine + OPTION_MARGIN or (not mine and max(others) > 0.0)


NUMBER_REACH = 2  # how near a bare number must be said to a word the question asks about
TELLING_IDF = 1.0  # the words of a question that say what it asks about (not "code", "what")


def _asked_words(reading: Reading, idf: Callable[[str], float]) -> set[str]:
    """The words of the question's stem that tell what it asks about."""
    return {k for k in reading.keys if not k.isdigit() and idf(k) >= TELLING_IDF}


def _said_beside(numbers: list[str], said: list[str], asked: set[str]) -> float:
    """1.0 when the answer says each number within NUMBER_REACH words of an asked word."""
    for number in numbers:
        places = [i for i, t in enumerate(said) if t == number]
        if not any(
            t in asked
            for i in places
            for t in said[max(0, i - NUMBER_REACH) : i + NUMBER_REACH + 1]
        ):
            return 0.0
    return 1.0


def _above(reading: Reading, lexicon: Lexicon) -> Picked | None:
    """The one option that names a concept above one the question names, in the concept tree
    ("Which CPT code category is used to report E/M services? A. Category I B. Category II":
    the E/M section is part of Category I), when the answer's words decide none."""
    asked = set(reading.concepts)
    above = {a for c in asked for a in lexicon.ancestors(c)} - asked
    hits = []
    for letter, text in reading.options:
        named = {f.concept for f in lexicon.find_concepts(lexicon.terms(text))}
        # what the option names most specifically ("CPT Category I codes": Category I)
        named -= {a for c in named for a in lexicon.ancestors(c)}
        if named & asked:
            return None  # an option is what the question itself names: not a part-of question
        if named & above:
            hits.append((letter, text))
    return Picked(*hits[0], True) if len(hits) == 1 else None
