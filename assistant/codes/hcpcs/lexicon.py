"""Abbreviations billing staff type (``cpap``, ``o2``, ``dme``), mapped to the words the official
descriptions use: ``knowledge/lexicon/search-abbreviations.md`` for the HCPCS Level II word
search, and ``knowledge/lexicon/diagnosis-abbreviations.md`` (``uti``, ``copd``) for finding
ICD-10-CM codes by the condition a question names.

The file is Markdown: prose, then a ``## abbreviations`` section in which every line is
``- abbreviation: official words``. :func:`load` reads it and reports every other line of that
section (``hcpcs-assistant check`` prints them as ``path:line: message``); word search expands
an abbreviation into its words (:func:`expand`), and ranks both readings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

RELATIVE_PATH = Path("lexicon") / "search-abbreviations.md"
DIAGNOSIS_PATH = Path("lexicon") / "diagnosis-abbreviations.md"
SECTION = "abbreviations"
_ENTRY = re.compile(r"-\s+(?P<word>\S+?)\s*:\s*(?P<words>.*?)\s*")
_WORD = re.compile(r"[a-z0-9]+")
_WORDS = re.compile(r"[a-z0-9]+(?:[- ][a-z0-9]+)*")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LexiconProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Lexicon:
    expansions: dict[str, str] = field(default_factory=dict)
    problems: tuple[LexiconProblem, ...] = ()


def path_in(knowledge_dir: str | Path, relative: Path = RELATIVE_PATH) -> Path:
    return Path(knowledge_dir) / relative


def load(
    knowledge_dir: str | Path | None = None,
    shown: str | None = None,
    relative: Path = RELATIVE_PATH,
) -> Lexicon:
    """The abbreviations of a knowledge directory (default: the built-in one), from the list at
    ``relative`` (the search list, or DIAGNOSIS_PATH). A directory without the file has none,
    and no problem; ``shown`` is the path to name in problems."""
    if knowledge_dir is None:
        from assistant.core.kb import default_dir

        knowledge_dir = default_dir()
    path = path_in(knowledge_dir, relative)
    name = shown or str(path)
    if not path.exists():
        return Lexicon()
    try:
        if not path.is_file():
            return Lexicon(problems=(LexiconProblem(name, 1, "cannot read: not a regular file"),))
        if path.stat().st_size > MAX_BYTES:
            return Lexicon(
                problems=(LexiconProblem(name, 1, "too large for an abbreviation list"),)
            )
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return Lexicon(problems=(LexiconProblem(name, 1, f"cannot read: {exc.strerror or exc}"),))
    except UnicodeDecodeError as exc:
        return Lexicon(problems=(LexiconProblem(name, 1, f"not valid UTF-8 ({exc.reason})"),))
    return parse(text, name)


def parse(text: str, name: str) -> Lexicon:
    expansions: dict[str, str] = {}
    first_line: dict[str, int] = {}
    problems: list[LexiconProblem] = []
    in_section = found_section = False

    def problem(line: int, message: str) -> None:
        problems.append(LexiconProblem(name, line, message))

    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#"):
            heading = line.lstrip("#").strip().lower()
            in_section = line.startswith("## ") and heading == SECTION
            found_section = found_section or in_section
            continue
        if not in_section or not line:
            continue
        m = _ENTRY.fullmatch(line)
        if m is None:
            problem(number, "not an abbreviation line: write '- abbreviation: official words'")
            continue
        word, words = m.group("word"), " ".join(m.group("words").split())
        if not _WORD.fullmatch(word):
            problem(
                number,
                f"abbreviation {word!r} is not one word of lower-case letters and digits",
            )
            continue
        if not words:
            problem(number, f"abbreviation {word!r} without the words it stands for")
            continue
        if not _WORDS.fullmatch(words):
            problem(
                number,
                f"the words for {word!r} must be lower-case letters, digits, spaces and hyphens",
            )
            continue
        if words == word:
            problem(number, f"abbreviation {word!r} stands for itself")
            continue
        if word in first_line:
            problem(number, f"abbreviation {word!r} twice (first at line {first_line[word]})")
            continue
        first_line[word] = number
        expansions[word] = words
    if not found_section:
        problem(1, f"no '## {SECTION}' section")
    return Lexicon(expansions, tuple(problems))


@lru_cache(maxsize=2)
def default_expansions(relative: Path = RELATIVE_PATH) -> dict[str, str]:
    """A built-in list, read once (a damaged file gives none; `check` reports it)."""
    return load(relative=relative).expansions


_TOKEN = re.compile(r"[A-Za-z0-9]+")


def expand(words: str, expansions: dict[str, str]) -> tuple[str, frozenset[str]] | None:
    """``words`` with each abbreviation replaced by its official words, and the set of those
    words (searched even where they are usually filler, as "durable medical equipment" is);
    None when no abbreviation is in ``words``."""
    kept: set[str] = set()

    def sub(m: re.Match[str]) -> str:
        found = expansions.get(m.group(0).lower())
        if found is None:
            return str(m.group(0))
        kept.update(re.split(r"[- ]", found))
        return found

    text = _TOKEN.sub(sub, words)
    return (text, frozenset(kept)) if kept else None
