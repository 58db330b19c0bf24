"""Text normalisation shared by the matcher's index and its queries.

Both sides go through the same function, so what matters is consistency: case, punctuation,
abbreviations and common misspellings (hcpc, cpt4, lvl, diff, vs, "r" for "are"), number words and
Roman numerals after "level"/"category", and plural endings are all folded to one form.
"""

from __future__ import annotations

import re
import unicodedata

# Whole-word rewrites, applied before stemming. Values may be several words.
WORD_FIXES = {
    "hcpc": "hcpcs",
    "hcps": "hcpcs",
    "hpcs": "hcpcs",
    "hcpsc": "hcpcs",
    "hpcps": "hcpcs",
    "hcpsc's": "hcpcs",
    "hcpcss": "hcpcs",
    "hcpcs's": "hcpcs",
    "hipps": "hipps",
    "cpt4": "cpt",
    "cpt-4": "cpt",
    "cpts": "cpt",
    "icd10": "icd",
    "icd-10": "icd",
    "icd10cm": "icd cm",
    "icd-10-cm": "icd cm",
    "icd10pcs": "icd pcs",
    "icd-10-pcs": "icd pcs",
    "lvl": "level",
    "lvls": "level",
    "levl": "level",
    "leval": "level",
    "diff": "versus",
    "diffrence": "versus",
    "differnce": "versus",
    "difference": "versus",
    "differences": "versus",
    "different": "versus",
    "differ": "versus",
    "compare": "versus",
    "compared": "versus",
    "comparison": "versus",
    "comparing": "versus",
    "vs": "versus",
    "v.s.": "versus",
    "vrs": "versus",
    "versus": "versus",
    "r": "are",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "whats": "what is",
    "what's": "what is",
    "wat": "what",
    "wht": "what",
    "whos": "who is",
    "who's": "who is",
    "hows": "how is",
    "isnt": "is not",
    "dont": "do not",
    "doesnt": "does not",
    "modifer": "modifier",
    "modifers": "modifier",
    "modifiers": "modifier",
    "modifyer": "modifier",
    "mod": "modifier",
    "mods": "modifier",
    "catagory": "category",
    "categorie": "category",
    "cat": "category",
    "sec": "section",
    "procdure": "procedure",
    "proceedure": "procedure",
    "medicade": "medicaid",
    "medicair": "medicare",
    "equiptment": "equipment",
    "equipement": "equipment",
    "anesthesiology": "anesthesia",
    "anaesthesia": "anesthesia",
    "e/m": "em",
    "e&m": "em",
    "eandm": "em",
    "dmepos": "dme",
    "prosthetics": "prosthetic",
    "orthotics": "orthotic",
    "thru": "through",
    "tho": "though",
    "abt": "about",
    "b/c": "because",
    "w/": "with",
    "med": "medical",
}

# Words people use for the same idea, folded to one token so that phrasings need not list them all.
SYNONYMS = {
    "maintain": "maintain maintains maintained maintaining maintainer owns own owned owner owner's "
    "responsible manage manages managed manages publish publishes published oversee oversees "
    "control controls controlled govern governs administer administers run runs update-owner",
    "stand": "stand stands acronym abbreviation abbreviated short abbreviate",
    "licence": "licence license licensed licensing licenses licences copyright copyrighted free cost "
    "costs price priced royalty royalties",
    "choose": "choose choosing chose pick picking select selecting decide deciding decision",
    "update": "update updates updated updating revise revised revision revisions change changes changed "
    "release releases released refresh",
    "payer": "payer payers payor payors insurer insurers insurance insurances carrier carriers plan "
    "plans",
    "commercial": "commercial private",
    "pronounce": "pronounce pronounced pronunciation pronouncing say",
    "use": "use uses used using utilize utilise",
    "code": "code codes coding coded",
    "drug": "drug drugs medication medications medicine-drug",
    "injection": "injection injections injectable injectables shot shots",
    "retire": "retire retired retirement eliminate eliminated elimination discontinue discontinued "
    "obsolete abolished phase phased deleted delete deletion terminate terminated termination",
    "history": "history historical origin origins began begin start started established establish created "
    "introduced",
}
for _canon, _words in SYNONYMS.items():
    for _w in _words.split():
        WORD_FIXES.setdefault(_w, _canon)

NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "1": "1", "2": "2", "3": "3"}
ORDINALS = {"first": "1", "second": "2", "third": "3", "1st": "1", "2nd": "2", "3rd": "3"}
LEVEL_WORDS = {"level", "category", "tier"}
UNITS = frozenset(
    "mg mcg ml cc g gm kg unit units mile miles minute minutes min hour hours day days strip strips "
    "each box boxes tablet tablets vial vials".split()
)
COUNTED = frozenset(
    {"levels", "categories", "sections", "types", "kinds", "tiers", "parts", "digits", "characters"}
)
LETTER_NOUNS = ("code", "section", "series", "modifier", "range", "chapter")
LETTER_MARK = "#"  # "#a": a section letter, kept apart from the article "a" and from stopwords

# Words that carry no topic. Removed from both sides before fuzzy matching.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "as",
        "do",
        "does",
        "did",
        "done",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "there",
        "their",
        "they",
        "them",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "please",
        "tell",
        "explain",
        "explained",
        "explaining",
        "describe",
        "about",
        "and",
        "or",
        "any",
        "some",
        "with",
        "from",
        "into",
        "hi",
        "hey",
        "hello",
        "thanks",
        "thank",
        "know",
        "want",
        "need",
        "help",
        "get",
        "give",
        "show",
        "list",
        "meaning",
        "mean",
        "means",
        "define",
        "definition",
        "defined",
        "info",
        "information",
        "overview",
        "basics",
        "basic",
        "whats",
        "exactly",
        "really",
        "actually",
        "just",
        "so",
        "also",
        "more",
        "like",
        "kind",
        "sort",
        "type",
        "types",
        "us",
        "one",
        "ones",
        "if",
        "than",
        "then",
        "here",
        "quick",
        "question",
        "questions",
        "regarding",
        "re",
        "but",
        "between",
    ]
)

KEEP_AS_IS = STOPWORDS | {"hcpcs", "cms", "ams", "dmepos", "status", "bus", "plus", "versus", "ops"}


# Phrases folded before splitting into words.
PHRASES = {
    "full form": "stand",
    "full name": "stand",
    "short for": "stand",
    "in charge of": "maintain",
    "responsible for": "maintain",
    "go away": "retire",
    "went away": "retire",
    "get rid of": "retire",
    "done away with": "retire",
    "do away with": "retire",
    "no longer used": "retire",
    "not used anymore": "retire",
    "come out": "update",
    "comes out": "update",
    "come from": "origin",
}
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in PHRASES) + r")\b")


def fold(text: str) -> str:
    """Lower case, accents and typographic quotes folded, control characters dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )
    text = "".join(ch for ch in text if ch.isprintable() or ch == " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _PHRASE_RE.sub(lambda m: PHRASES[m.group(1)], text.lower())


_TOKEN_RE = re.compile(r"e/m|e&m|b/c|w/|[a-z0-9]+(?:['\-][a-z0-9]+)*")


def stem(word: str) -> str:
    """A tiny, consistent plural folder: enough for "codes"/"code", "modifiers"/"modifier"."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_section_letter(word: str, before: str, after: str) -> bool:
    """ "j codes", "the C section", "letter a": a letter naming a section, not a word.

    "a", "i" and "u" are also words ("is there a code for", "can u code it"), so they count as
    letters only before a plural ("a codes") or after "letter"/"hcpcs".
    """
    if before in ("letter", "hcpcs"):
        return True
    if before in ("", "a", "an", "the") and after.startswith(LETTER_NOUNS):
        return True  # "an a code", "what is a u code", "the a codes"
    if not after.startswith(LETTER_NOUNS):
        return False
    return word not in "aiu" or after.endswith("s") or after in ("series",)


def tokens(text: str) -> list[str]:
    """Normalised word tokens, stopwords included."""
    raw: list[str] = []
    for word in _TOKEN_RE.findall(fold(text)):
        if "-" in word and word not in WORD_FIXES and not word.replace("-", "").isdigit():
            raw.extend(p for p in word.split("-") if p)
        else:
            raw.append(word)
    out: list[str] = []
    for i, word in enumerate(raw):
        before = raw[i - 1] if i else ""
        after = raw[i + 1] if i + 1 < len(raw) else ""
        if (word.isdigit() or word in NUMBER_WORDS) and after in COUNTED:
            continue  # "the 3 levels", "six sections": a count, not level 3 or section 6
        if word.isdigit() and (before == "per" or after in UNITS):
            continue  # "per 50", "10 mg": a quantity, not a modifier or a level
        if len(word) == 1 and word.isalpha() and _is_section_letter(word, before, after):
            out.append(LETTER_MARK + word)  # "a codes", "u codes": a section letter, not a word
            if after.startswith(LETTER_NOUNS) and not after.startswith(("code", "modifier")):
                raw[i + 1] = "code"  # "the C section", "J series": the same as "C codes"
            continue
        fixed = WORD_FIXES.get(word)
        if fixed is None and "'" in word:
            word = word.split("'")[0]
            fixed = WORD_FIXES.get(word)
        for part in (fixed or word).split():
            out.append(part if part in KEEP_AS_IS else stem(part))
    # "icd 10", "icd 10 cm": the version number is part of the name, as in "icd-10".
    out = [t for i, t in enumerate(out) if not (t == "10" and i and out[i - 1] == "icd")]
    # Numbers after level/category words: "level two", "lvl ii", "category 3" -> digits.
    for i in range(1, len(out)):
        if out[i - 1] in LEVEL_WORDS:
            w = out[i]
            out[i] = NUMBER_WORDS.get(w) or ROMAN.get(w) or ORDINALS.get(w) or w
        elif out[i] in LEVEL_WORDS and out[i - 1] in ORDINALS:
            out[i - 1] = ORDINALS[out[i - 1]]
    return out


def content_tokens(text: str) -> list[str]:
    """Tokens that carry the topic: stopwords removed, order kept."""
    out: list[str] = []
    for t in tokens(text):
        if t not in STOPWORDS and t not in out:
            out.append(t)
    return out


def normalise(text: str) -> str:
    """The string the matcher compares: content tokens joined by single spaces."""
    return " ".join(content_tokens(text))
