"""The one text pipeline: how a question, the knowledge base and the official descriptions are
cut into words and terms.

Every side that is compared goes through these functions, so what matters is that both sides
agree: :func:`fold` (case, accents, typographic quotes and dashes), :func:`words` (word
tokens; hyphenated and slashed compounds are split, "e/m" kept whole), and :func:`stem`
(the Snowball English stemmer, memoised). Domain words (spellings, abbreviations, aliases of
concepts) are not here: they live in the knowledge base's lexicon, which applies them on top of
these functions (see :mod:`assistant.core.lexicon`).

Text from outside (a question, an imported file, an error message) is made safe to show and to
match by :func:`clean_text`, the one sanitiser; :func:`one_line` puts a message on one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

import snowballstemmer

# Words that point back to something told before ("this visit", "that claim", "can I bill
# it?", "her condition", "the above"): shared by the story reading and the ICD-10-CM look-up.
POINTING_WORDS = "this|that|these|those|it|they|them|he|she|his|her|their|above"
# English function words: they carry no topic. Question words (what, who, when, how...) are
# not here, since they say what a question asks; see the lexicon's intents.
FUNCTION_WORDS = frozenset(
    """a an the is are was were be been being am of for to in on at by as into onto from with
    within without about and or nor but if so than then there their they them it its this that
    these those i me my mine we us our you your yours he she his her him do does did done doing
    can could would should will shall may might must also just very really actually exactly
    please hi hey hello thanks thank any some each every all both either neither such own
    same other another again further once here ever via""".split()
)

# Two-letter English words that are also modifier names (AS, AT, GO, HE, ME, UP, US...): written
# in lower case next to the word "modifier" they are the word, not the modifier.
ENGLISH_PAIRS = frozenset(
    "am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we"
    " co ie eg vs re uh um ya ye yo".split()
)

# English phrases whose capital pair is no modifier: a "PO Box" is a mailing address (modifier
# PO is an off-campus hospital department's).
ENGLISH_PHRASES = re.compile(r"\bP\.?\s?O\.?\s+box(?:es)?\b", re.IGNORECASE)

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
# Every character that the steps below remove or change (an escape sequence starts with one)
_TO_CLEAN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def lower_first(name: str) -> str:
    """A name inside a sentence: "Office or other..." reads "office or other...", while a name
    that starts with an abbreviation ("CPT codes...") stays as it is."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def clean_text(text: str) -> str:
    """Text that is safe to show and to match: escape sequences and control characters removed
    (newline kept, a tab becomes a space, carriage return and form feed a newline), and lone
    surrogates (undecodable bytes in a command-line argument) replaced by U+FFFD."""
    if text.isprintable() or not _TO_CLEAN.search(text):  # the common case: nothing to do
        return text
    text = _SURROGATES.sub("\ufffd", text)
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _CONTROLS.sub("", text).replace("\t", " ")


# Abbreviations whose full stop ends no sentence ("Dr. Red saw the patient", "vs. 99214",
# "mod. 57": a modifier): look-behinds for the point just after that full stop, for patterns
# compiled without regard to case.
_NO_END_AFTER = ("dr", "drs", "mr", "mrs", "ms", "vs", "e.g", "i.e", "mod")
NOT_AFTER_TITLE = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _NO_END_AFTER)
# Where a sentence ends: after its punctuation and any closing quote or bracket ('... by the
# physician." Does that mean ...'), before white space. Dots just after an opening bracket mark
# words left out of a quotation ("73130 (... hand, minimum of three views)"), not an end.
_SENTENCE_END = re.compile(
    NOT_AFTER_TITLE
    + r"(?<!\(\.\.\.)(?<!\(\u2026)"
    + r"(?:(?<=[.?!])\s+|(?<=[.?!][\"'\u201d\u2019)\]])\s+)",
    re.IGNORECASE,
)


# A sentence run on into the next with no space ("... based on the MDM?It's my understanding
# that ..."): after "?" or "!", or a full stop after a lower-case word, a capitalised word.
# (not "Dr.Smith", "E11.9" or "cms.gov": the full stop must end a lower-case word and the
# next word be capitalised, not in capitals)
_RUN_ON = re.compile(r"(?:(?<=[?!])|(?<=[a-z]{2}\.))(?=[A-Z][a-z\u2019']|I\s)")


_SPACE_RUNS = re.compile(r"[ \t\u00a0]{2,}|\t|\u00a0")


def spaced(text: str) -> str:
    """The text with a space where a sentence runs on into the next without one, and one space
    for a run of spaces or tabs (text pasted from a page or typed with double spaces reads as
    typed with one: phrases such as "prior authorization" are read across a single space)."""
    return _RUN_ON.sub(" ", _SPACE_RUNS.sub(" ", text))


# The words that may open the subject of a question after its auxiliary ("can I", "is the",
# "do both", "is 99213"); a verb there instead ("is reported", "do not bill") asks nothing.
_SUBJECT_WORDS = (
    "i we you he she it they this that these those there a an the my our your his her their its "
    "any each every all both one"
).split()
SUBJECT = rf"(?:{'|'.join(_SUBJECT_WORDS)}|\d\w*)\b"
# A question that starts with no mark before it, after a list or a phrase pasted without its
# full stop ("... - Coordinating scheduling matters Do you agree that ...?") or after a colon
# ("... and was wondering: Is there a time limit ...?"): a capital
# auxiliary and its subject right after a word in lower case ("What Is the ..." is a title).
# (after a colon the auxiliary may be in lower case too: "... was wondering: is there ...?", and
# after a dash typed with no space: "... some of the billing issues-can the physician bill ...?")
_AUXILIARY = "Do|Does|Did|Is|Are|Can|Could|Should|Would|Will|May|Must"
_UNMARKED_START = re.compile(
    rf"(?<=[a-z])\s+(?=(?:{_AUXILIARY})\s+(?i:{SUBJECT}))"
    rf"|(?<=[a-z]:)\s+(?=(?i:{_AUXILIARY})\s+(?i:{SUBJECT}))"
    rf"|(?<=[a-z])-{{1,2}}(?=(?i:{_AUXILIARY})\s+(?i:{SUBJECT}))"
)
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _unmarked(sentence: str) -> list[str]:
    """A sentence cut where a question starts with no mark before it (see _UNMARKED_START)."""
    parts, start = [], 0
    for m in _UNMARKED_START.finditer(sentence):
        before = _LAST_WORD.search(sentence[start : m.start()])
        if before and before.group(1).islower():
            parts.append(sentence[start : m.start()])
            start = m.end()
    return [*parts, sentence[start:]]


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with its own punctuation, empty ones left out."""
    return [
        part for s in _SENTENCE_END.split(text.strip()) for part in _unmarked(s) if part.strip()
    ]


def questions(said: Sequence[str]) -> list[str]:
    """The sentences that end with a question mark (inside a closing quote or bracket too)."""
    return [s for s in said if s.rstrip("\"'\u201d\u2019)] ").endswith("?")]


# ", and" before a question word that starts a second question in the same sentence: "What is
# a level 5 visit, and why does it cost so much?"
_SECOND_QUESTION = re.compile(
    r",\s+and\s+(?=(?:why|how|what|where|when|who|which|is|are|does|do|did|can|could|will|"
    r"would|should)\b)",
    re.IGNORECASE,
)


def asked_apart(said: Sequence[str]) -> list[str]:
    """The questions of ``said`` (:func:`questions`), with a question that joins a second one
    to it by ", and why ..." (how, what, is, does ...) taken as two questions, each ending with
    a question mark."""
    out: list[str] = []
    for question in questions(said):
        parts = _SECOND_QUESTION.split(question)
        out.extend(p.strip().rstrip("?,;") + "?" for p in parts[:-1])
        out.append(parts[-1])
    return out


# Words, then a short capital abbreviation in brackets: "locum tenens (LT)".
_DEFINED = re.compile(r"((?:[A-Za-z][A-Za-z'-]*[\s/]+){2,4})\(([A-Z]{2,4})\)")


def defined_abbreviations(text: str) -> dict[str, str]:
    """The abbreviations a text spells out before it uses them, with the words they stand for:
    capitals in brackets after words whose first letters they are ("a locum tenens (LT)
    physician": LT, "locum tenens"). Such an abbreviation names what the writer says, never a
    modifier or a code of the same letters."""
    out: dict[str, str] = {}
    if "(" not in text:
        return out
    for m in _DEFINED.finditer(text):
        short = m.group(2)
        said = [w for w in re.split(r"[\s/]+", m.group(1)) if w][-len(short) :]
        if len(said) == len(short) and _initials_of(said, short):
            out[short] = " ".join(said)
    return out


def _initials_of(said: list[str], short: str) -> bool:
    """Whether ``short`` is the initials of the words ``said``, or, from three letters, the
    initials with one letter after the first mistyped: "National Drug Code (NOC)" spells out
    what it names, whatever else the slip spells."""
    wrong = sum(w[0].upper() != ch for w, ch in zip(said, short, strict=True))
    return wrong == 0 or (len(short) >= 3 and wrong == 1 and said[0][0].upper() == short[0])


def spelled_out(text: str, keep: Callable[[str, str], bool] | None = None) -> str:
    """A text with the abbreviations it defines read as the words they stand for (the
    brackets that define them dropped): "a locum tenens (LT) physician ... the LT services"
    reads "a locum tenens physician ... the locum tenens services". ``keep(short, said)``
    says which to leave as written (one that reads the same either way)."""
    for short, said in defined_abbreviations(text).items():
        if keep is None or not keep(short, said):
            text = re.sub(rf"\s*\({short}\)", "", text)
            text = re.sub(rf"\b{short}\b", said, text)
    return text


def one_line(text: str) -> str:
    """The text on one line: every run of white space (newlines included) made one space."""
    return " ".join(text.split())


_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
# Trademark, service mark, registered and copyright signs: not part of the word they follow
# (NFKC would make "Cologuard\u2122" the word "cologuardtm").
MARKS = str.maketrans({"\u2122": " ", "\u2120": " ", "\u00ae": " ", "\u00a9": " "})


def fold(text: str) -> str:
    """Lower case, accents removed, typographic quotes and dashes made plain, trademark and
    copyright signs dropped."""
    text = unicodedata.normalize("NFKC", text.translate(MARKS)).translate(_DASHES)
    text = text.translate(_QUOTES)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


QUOTED_MARK = "q_"  # before a function word kept because it was quoted (see _QUOTED)
# "e/m" and "e&m" stay whole; other words are runs of letters and digits. Hyphens, slashes and
# dots split words; an apostrophe ends one ("payer's" -> "payer") except in a negation ("isn't"
# -> "is not") and after a question word ("what's" -> "what is"). A percent sign is the word
# "percent" ("140% of Medicare").
# (an ICD-10 code with its dot, "m54.50", is one word: its pieces would be other words, "50")
_WORD_RE = re.compile(
    r"e/m|e&m|e & m|[a-z][0-9][0-9a-z]\.[0-9a-z]{1,4}\b|"
    + QUOTED_MARK
    + r"[a-z]+|[a-z0-9]+(?:'[a-z]+)?|%"
)
_NEGATIONS = {"can't": ("can", "not"), "won't": ("will", "not"), "ain't": ("is", "not")}
# A question word with "'s" is the word and "is" ("what's a modifier?" asks what one is), not a
# possessive.
_IS_AFTER = frozenset({"what's", "who's", "where's", "when's", "how's"})


# A function word in quotes is the word itself being asked about ('"and" and "with" in
# ICD-10-CM'): it is kept, marked, where it would otherwise be dropped as saying nothing.
# Two or three words quoted together are asked about as well when every one is a function word
# ('"and/or"', '"and or"').
_QUOTED = re.compile(r"(?<![a-z0-9])[\"']([a-z]{2,7}(?:[ /][a-z]{2,7}){0,2})[\"'](?![a-z0-9])")


def _quoted(match: re.Match[str]) -> str:
    said = re.split(r"[ /]", match.group(1))
    if not all(word in FUNCTION_WORDS for word in said):
        return match.group(0)
    return " " + " ".join(f"{QUOTED_MARK}{word}" for word in said) + " "


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    out: list[str] = []
    folded = fold(text)
    if '"' in folded or "'" in folded:
        folded = _QUOTED.sub(_quoted, folded)
    for word in _WORD_RE.findall(folded):
        if word == "%":
            out.append("percent")
        elif "." in word:  # an ICD-10 code: its category, then the code itself
            out.extend((word.partition(".")[0], word))
        elif "'" not in word:
            out.append(word.replace(" ", ""))
        elif word in _NEGATIONS:
            out.extend(_NEGATIONS[word])
        elif word in _IS_AFTER:
            out.extend((word[:-2], "is"))
        elif word.endswith("n't"):
            out.extend((word[:-3], "not") if len(word) > 3 else ("not",))  # "n't" alone
        else:
            out.append(word.partition("'")[0])
    if JOINED_PREFIX in out:
        out = _prefix_joined(out)
    return out


# A prefix that is no word on its own, read as one word with the word after it: "non-covered",
# "non covered" and "noncovered" are one word, however the writer spelled it (the lexicon reads
# its cues the same way).
JOINED_PREFIX = "non"


def _prefix_joined(said: list[str]) -> list[str]:
    """The words with :data:`JOINED_PREFIX` joined to the word after it."""
    out: list[str] = []
    for word in said:
        if out and out[-1] == JOINED_PREFIX and word.isalpha() and word not in FUNCTION_WORDS:
            out[-1] = JOINED_PREFIX + word
        else:
            out.append(word)
    return out


_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of a word; numbers, codes and short words are kept as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    stemmed: str = _stemmer.stemWord(word)
    return stemmed
