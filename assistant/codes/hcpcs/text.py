"""Words of descriptions and questions for word search: negation, segments, filler words.

The same scanner runs over the official descriptions at import time (:func:`index_terms`)
and over the user's words at search time (:func:`query_terms`), so both sides agree on what is
negated ("walker, heavy duty, *without* wheels"). Folding, function words and the stemmer are
the project's one text pipeline (:mod:`assistant.core.text`), the same the answer engine uses.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator

from assistant.core.text import FUNCTION_WORDS, fold
from assistant.core.text import stem as _stem

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[,;:()\[\]]")
_APOSTROPHE_RE = re.compile(r"(?<=[a-z])['\u2019][a-z]*")  # woman's -> woman, what's -> what

# Function words: not indexed, not searched (the shared list, and the abbreviations of
# descriptions: "e.g.", "i.e.", "per").
STOPWORDS = FUNCTION_WORDS | frozenset("e g eg ie etc per".split())

# Words people put around what they are looking for; they say nothing about the item.
FILLER = STOPWORDS | frozenset(
    """
    what whats which who where when how why code codes coding coded hcpcs hcpc cpt level ii
    number numbers don doesn isn aren need needs needed want wants find look looking lookup up
    get use used using bill billing billed billable bills charge charging claim claims submit
    report reporting tell show give list search correct proper appropriate best machine
    machines thing things stuff item items kind type sort modifier modifiers mean means meaning
    stand stands define definition explain difference between maintain maintains maintained
    update updates updated medicare dme durable medical equipment
    """.split()
)

# Everyday words mapped to the wording CMS uses, tried at a lower weight (by stem).
_EVERYDAY = {
    "aid": ("device",),
    "flu": ("influenza",),
    "shot": ("injection", "vaccine"),
    "tank": ("cylinder",),
    "bipap": ("bilevel",),
    "glucometer": ("glucose",),
    "brace": ("orthosis",),
    "unit": ("device",),
}
SYNONYM_WEIGHT = 0.8

# Prepositions after the item: in "battery for hearing aid" the item is "battery".
_HEAD_BREAKERS = frozenset("for of with without used in on from to".split())
# Words that negate what follows up to the next punctuation ("without wheels").
_NEGATORS = frozenset("without excludes excluding except no".split())
_SCOPE_ENDS = frozenset(",;:()[]") | {"with", "and", "includes", "including"}
_SEGMENT_ENDS = frozenset(",;:")

# term flags
BASE_FORM, INFLECTED_FORM, POSITIVE, NEGATED, FIRST_SEGMENT = 1, 2, 4, 8, 16

AFTER_HEAD_WEIGHT = 0.6  # words after "for"/"with"... in a query: what the item is for


def stem(word: str) -> str:
    """The shared Snowball stem (``crutches -> crutch``, ``batteries -> batteri``)."""
    return _stem(word)


SYNONYMS: dict[str, tuple[str, ...]] = {
    stem(word): tuple(stem(w) for w in others) for word, others in _EVERYDAY.items()
}
_INFLECTIONS = ("s", "ed", "ing")


def _scan(text: str) -> Iterator[tuple[str, bool, int]]:
    """``(word, negated, segment)`` for every word; hyphenated compounds come as one word.

    ``segment`` counts the commas, semicolons and colons before the word: segment 0 of a
    CMS description names the item ("Oxygen concentrator, single delivery port, ...").
    """
    negated = False
    previous = ""
    segment = 0
    for token in _TOKEN_RE.findall(_APOSTROPHE_RE.sub("", fold(text))):
        if token in _SCOPE_ENDS:
            negated = False
            if token in _SEGMENT_ENDS:
                segment += 1
        elif token in _NEGATORS and not (token == "without" and previous == "or"):
            negated = True
        else:
            yield token, negated, segment
        if previous == "other" and token == "than":
            negated = True
        previous = token


def _parts(word: str, negated: bool) -> Iterator[tuple[str, bool]]:
    """The pieces of a word to index: a compound joined and split (``bi-level`` ->
    ``bilevel``, ``bi``, ``level``); in ``non-sealed`` the ``sealed`` part is negated."""
    pieces = word.split("-")
    if len(pieces) == 1:
        yield word, negated
        return
    yield "".join(pieces), negated
    negate_rest = pieces[0] in ("non", "no")
    for i, piece in enumerate(pieces):
        if piece:
            yield piece, negated or (negate_rest and i > 0)


def index_terms(text: str) -> dict[str, int]:
    """The distinct terms a description is indexed under, in order of first appearance,
    with flags: word forms seen (:data:`BASE_FORM` ``crutch``, :data:`INFLECTED_FORM`
    ``crutches``), polarity (:data:`POSITIVE`, :data:`NEGATED` as in "without wheels") and
    :data:`FIRST_SEGMENT` when the term is in the part before the first comma.
    """
    out: dict[str, int] = {}
    for word, negated, segment in _scan(text):
        for part, neg in _parts(word, negated):
            if part in STOPWORDS:
                continue
            term = stem(part)
            flags = form_of(part) | (NEGATED if neg else POSITIVE)
            if segment == 0:
                flags |= FIRST_SEGMENT
            out[term] = out.get(term, 0) | flags
    return out


def form_of(word: str) -> int:
    """:data:`INFLECTED_FORM` for a word with an ending the stem drops (``crutches``,
    ``wheeled``, ``folding``), else :data:`BASE_FORM` (``crutch``)."""
    inflected = word.isalpha() and word.endswith(_INFLECTIONS) and not word.endswith("ss")
    return INFLECTED_FORM if inflected and stem(word) != word else BASE_FORM


def query_terms(
    text: str, vocabulary: Container[str], keep: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, int, bool, float]], int | None]:
    """The terms to search for and the index of the head term (or None).

    Each term is ``(term, form, negated, weight)``. ``vocabulary`` answers
    ``term in vocabulary``: a hyphenated compound is searched joined when the descriptions
    use it joined, else as its parts. Filler and function words go. The head term is the
    last content word before the first preposition that follows a content word ("battery
    for hearing aid" -> battery), else the last content word; the words after that
    preposition describe the item's use and weigh less. Words in ``keep`` (the official words an
    abbreviation stands for) are searched even when they are filler ("durable medical
    equipment").
    """
    terms: list[tuple[str, int, bool, float]] = []
    seen: set[str] = set()
    head: int | None = None
    for word, negated, _ in _scan(text):
        if word in _HEAD_BREAKERS and terms and head is None:
            head = len(terms) - 1
        if (word in FILLER and word not in keep) or word in STOPWORDS:
            continue
        pieces = word.split("-")
        if len(pieces) > 1:
            joined = "".join(pieces)
            if stem(joined) in vocabulary:
                parts = [(joined, negated)]
            else:
                parts = [(p, n) for p, n in _parts(word, negated)][1:]
        else:
            parts = [(word, negated)]
        for part, neg in parts:
            term = stem(part)
            filler = term in FILLER and part not in keep
            if term and term not in STOPWORDS and not filler and term not in seen:
                seen.add(term)
                weight = AFTER_HEAD_WEIGHT if head is not None else 1.0
                terms.append((term, form_of(part), neg, weight))
    if head is None and terms:
        head = len(terms) - 1
    return terms, head
