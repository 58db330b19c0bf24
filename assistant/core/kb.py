"""The knowledge base: question-answer entries and section facts, read from Markdown.

Layout of a knowledge directory:

* ``entries/*.md``: one ``# Group`` heading per file, then one ``## entry-id`` per entry with
  ``### Questions`` (a bullet list), ``### Answer`` (Markdown), ``### Sources`` (a bullet list),
  ``### Meta`` (a bullet list of ``key: value`` lines, at least ``as of: YYYY-MM-DD``) and an
  optional ``### Tags`` (comma-separated).
* ``facts/*.md``: one ``## table-id`` per table of section facts (a Markdown table). The
  classifier and the answers both read these tables, so a range is written down once. Every
  row carries its ``Source`` and ``As of`` date; answers that embed a table leave those two
  columns out.

An answer may embed a fact table with a line ``{{table:TABLE-ID}}``. Problems are collected as
``path:line: message`` so a broken file can be fixed from the report alone.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown-it is imported on first use (see _md)
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PLACEHOLDER_RE = re.compile(r"^\{\{table:([a-z0-9-]+)\}\}$", re.MULTILINE)
STRAY_PLACEHOLDER_RE = re.compile(r"^.*\{\{\s*table\b.*$", re.MULTILINE | re.IGNORECASE)
SECTIONS = ("questions", "answer", "sources", "tags", "meta", "verdicts")
# A ``### Verdicts`` item: a yes/no question the entry's facts decide, its answer and why:
# "Can rule-out diagnoses be coded on outpatient claims? -> No: code the signs and symptoms."
VERDICT_RE = re.compile(
    r"^(?P<question>[^?]+\?)\s*->\s*(?P<verdict>(?i:yes|no))\b[.:,;]?\s*(?P<reason>.*)$"
)
# Keys an entry's ``### Meta`` list may hold: the date its facts were checked, and two keys the
# answer engine reads (their values are not checked here).
META_KEYS = ("as of", "concepts", "intent", "coverage")
COVERAGE_VALUES = ("medicare",)  # `coverage: medicare`: the answer states Medicare's national rule
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Columns of a facts table that say where a row comes from: kept in the file, left out of answers.
PROVENANCE_COLUMNS = ("source", "as of")


@dataclass(frozen=True)
class Verdict:
    """A yes/no question an entry decides: its answer ("Yes" or "No") and the reason."""

    question: str
    yes: bool
    reason: str

    @property
    def lead(self) -> str:
        """The verdict as the first line of an answer: "No. Code the signs and symptoms."."""
        reason = self.reason[:1].upper() + self.reason[1:]
        return f"{'Yes' if self.yes else 'No'}. {reason}"


@dataclass(frozen=True)
class Entry:
    """One curated question with its answer."""

    id: str
    questions: tuple[str, ...]
    answer: str
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    group: str
    path: str
    line: int
    # ``### Meta`` lines (``as of``, ``concepts``, ``intent``); not part of ``to_dict()``.
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # The file line of each question, for problem reports.
    question_lines: tuple[int, ...] = field(default=(), compare=False, hash=False)
    # Yes/no questions the entry decides (``### Verdicts``); not part of ``to_dict()``.
    verdicts: tuple[Verdict, ...] = field(default=(), compare=False, hash=False)

    @property
    def title(self) -> str:
        """The canonical question, shown in suggestions and the topics panel."""
        return self.questions[0]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "questions": list(self.questions),
            "answer": self.answer,
            "sources": list(self.sources),
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class Table:
    """A table of section facts: a header and rows of cells, each row with its source line."""

    id: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    path: str
    line: int
    row_lines: tuple[int, ...] = ()  # the source line of each row, for problem reports

    def row_line(self, index: int) -> int:
        return self.row_lines[index] if index < len(self.row_lines) else self.line

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by the lower-cased header."""
        keys = [h.strip().lower() for h in self.header]
        return [dict(zip(keys, row, strict=False)) for row in self.rows]

    def to_markdown(self) -> str:
        """The table as shown in an answer: without its ``Source`` and ``As of`` columns."""
        keep = [i for i, h in enumerate(self.header) if h.strip().lower() not in PROVENANCE_COLUMNS]
        header = [self.header[i] for i in keep]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += [
            "| " + " | ".join(row[i] if i < len(row) else "" for i in keep) + " |"
            for row in self.rows
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class Problem:
    """A defect in a knowledge file, located at ``path:line``."""

    path: str
    line: int
    message: str
    unreadable: bool = False  # the file cannot be read as Markdown text at all

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything read from one knowledge directory."""

    entries: tuple[Entry, ...]
    tables: dict[str, Table] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    lexicon_tables: dict[str, Table] = field(default_factory=dict)  # lexicon/*.md

    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def by_id(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def groups(self) -> dict[str, list[Entry]]:
        """Entries by group, in file order: the topics panel's outline."""
        out: dict[str, list[Entry]] = {}
        for e in self.entries:
            out.setdefault(e.group, []).append(e)
        return out


class KnowledgeError(Exception):
    """The knowledge directory cannot be used at all (missing, unreadable, or with problems)."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()):
        super().__init__(message)
        self.problems = problems


def default_dir() -> Path:
    """The built-in knowledge directory: inside the installed package, else beside it."""
    package = Path(__file__).resolve().parent.parent  # assistant/
    for candidate in (package / "knowledge", package.parent / "knowledge"):
        if (candidate / "entries").is_dir():
            return candidate
    return package.parent / "knowledge"


# Markdown-it tries its block rules in turn at the start of every line. Some can only apply to
# a line that starts with a character of their own (after indentation and any quote or list
# markers): a text without it cannot contain what they read, so they are left out for that text
# and its tokens are exactly the same. A large file of plain entries reads a fifth faster.
# A thematic break ("---", "* * *") or a setext heading's underline ("===", "---") is a line of
# nothing but such marks, spaces, and quote or list markers; found generously (a line of only
# these characters, with one of the marks), as finding one only keeps the two rules in.
_BREAK_OR_UNDERLINE = re.compile(r"^(?=[^\n]*[-*_=])[ \t>0-9.)+*_=-]*$", re.M)


def _rules_not_needed(text: str) -> list[str]:
    """The block rules that cannot apply anywhere in ``text``."""
    if "\r" in text:  # a line break for Markdown too
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    marks = _BREAK_OR_UNDERLINE.search(text) is not None
    found = {
        "table": "|" in text,  # a table's header row has one
        "fence": "```" in text or "~~~" in text,
        "blockquote": ">" in text,
        "html_block": "<" in text,
        "reference": "[" in text,  # a link reference definition
        "hr": marks,
        "lheading": marks,
    }
    return [rule for rule, there in found.items() if not there]


def _md(text: str) -> MarkdownIt:
    """The parser for ``text``: block structure only, as the text of headings, list items and
    cells is read as written, so inline parsing (half the time of a large file) is not needed;
    and without the block rules that cannot apply to it. (Imported here: an assistant built
    from the stored index never parses Markdown.)"""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").disable("inline")
    unused = _rules_not_needed(text)
    return md.disable(unused) if unused else md


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while knowledge files are read: a large file makes
    hundreds of thousands of Markdown tokens and entry parts, which hold no reference cycles
    (reference counting frees them), and the collector would scan them over and over while they
    are made (a third of the time of a 5 MB file)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _inline_text(tokens: Sequence[Token], i: int) -> str:
    """Text of the inline token that follows an opening token at ``i``."""
    tok = tokens[i + 1] if i + 1 < len(tokens) else None
    return tok.content.strip() if tok is not None and tok.type == "inline" else ""


def _list_items(tokens: Sequence[Token], start: int, end: int) -> list[tuple[str, int]]:
    """Bullet-list item texts between two token indexes, with their 1-based lines."""
    items: list[tuple[str, int]] = []
    for i in range(start, end):
        t = tokens[i]
        if t.type == "list_item_open":
            j = i + 1
            while j < end and tokens[j].type != "inline":
                j += 1
            if j < end:
                items.append((tokens[j].content.strip(), (t.map[0] + 1) if t.map else 0))
    return items


def _parse_tables(path: str, text: str, problems: list[Problem]) -> list[Table]:
    tokens = _md(text).parse(text)
    tables: list[Table] = []
    current_id, current_line = None, 0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.type == "heading_open" and t.tag == "h2":
            current_id = _inline_text(tokens, i)
            current_line = t.map[0] + 1 if t.map else 0
            if not ID_RE.match(current_id):
                problems.append(
                    Problem(path, current_line, f"table id {current_id!r} is not a slug")
                )
        elif t.type == "table_open":
            line = t.map[0] + 1 if t.map else 0
            if current_id is None:
                problems.append(Problem(path, line, "table without a '## table-id' heading"))
            header: list[str] = []
            rows: list[tuple[str, ...]] = []
            row_lines: list[int] = []
            row: list[str] = []
            in_head = False
            while i < len(tokens) and tokens[i].type != "table_close":
                tt = tokens[i]
                if tt.type == "thead_open":
                    in_head = True
                elif tt.type == "thead_close":
                    in_head = False
                elif tt.type == "tr_open":
                    row = []
                    row_line = tt.map[0] + 1 if tt.map else line
                elif tt.type in ("th_open", "td_open"):
                    row.append(_inline_text(tokens, i))
                elif tt.type == "tr_close":
                    if in_head:
                        header = row
                    else:
                        rows.append(tuple(row))
                        row_lines.append(row_line)
                i += 1
            if current_id is not None:
                if any(tb.id == current_id for tb in tables):
                    problems.append(Problem(path, line, f"second table under {current_id!r}"))
                else:
                    tables.append(
                        Table(
                            current_id,
                            tuple(header),
                            tuple(rows),
                            path,
                            current_line,
                            tuple(row_lines),
                        )
                    )
        i += 1
    return tables


@dataclass
class _RawEntry:
    """An entry as written in its file, before it is checked."""

    id: str
    line: int
    group: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # section: (token, line)
    answer: str = ""
    answer_line: int | None = None
    questions: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)
    verdicts: list[tuple[str, int]] = field(default_factory=list)
    meta: list[tuple[str, int]] = field(default_factory=list)
    meta_stray: list[int] = field(default_factory=list)  # lines of text that is not a list
    tags_listed: list[int] = field(default_factory=list)  # lines of a list under the tags
    tags: list[str] = field(default_factory=list)


def _parse_entries(path: str, text: str, problems: list[Problem]) -> list[_RawEntry]:
    """Raw entries of one file; answers are kept as the Markdown source lines."""
    lines = text.splitlines()
    tokens = _md(text).parse(text)
    group = Path(path).stem
    entries: list[_RawEntry] = []
    entry: _RawEntry | None = None
    section: str | None = None
    section_start = 0

    def close_section(end_line: int) -> None:
        if entry is not None and section == "answer":
            body = lines[section_start:end_line]
            blank = next((k for k, text in enumerate(body) if text.strip()), 0)
            entry.answer = "\n".join(body).strip()
            entry.answer_line = section_start + blank + 1

    for i, t in enumerate(tokens):
        if t.type != "heading_open":
            continue
        line0 = t.map[0] if t.map else 0
        title = _inline_text(tokens, i)
        if t.tag == "h1":
            close_section(line0)
            section = None
            group = title or group
        elif t.tag == "h2":
            close_section(line0)
            section = None
            entry = _RawEntry(title, line0 + 1, group)
            entries.append(entry)
            if not ID_RE.match(title):
                problems.append(Problem(path, line0 + 1, f"entry id {title!r} is not a slug"))
        elif t.tag == "h3":
            close_section(line0)
            name = title.lower()
            if entry is None:
                problems.append(Problem(path, line0 + 1, f"'### {title}' outside an entry"))
                section = None
                continue
            if name not in SECTIONS:
                problems.append(Problem(path, line0 + 1, f"unknown section '### {title}'"))
                section = None
                continue
            if name in entry.spans:
                problems.append(Problem(path, line0 + 1, f"second '### {title}' in {entry.id}"))
            section = name
            section_start = t.map[1] if t.map else line0 + 1
            entry.spans[name] = (i, section_start)
    close_section(len(lines))

    # Second pass: list items and tags, now that section boundaries are known.
    heading_idx = [i for i, t in enumerate(tokens) if t.type == "heading_open"] + [len(tokens)]
    for raw in entries:
        for name, (tok_i, _line) in raw.spans.items():
            end = heading_idx[bisect.bisect_right(heading_idx, tok_i)]  # the next heading
            if name == "questions":
                raw.questions = _list_items(tokens, tok_i + 3, end)
            elif name == "sources":
                raw.sources = _list_items(tokens, tok_i + 3, end)
            elif name == "verdicts":
                raw.verdicts = _list_items(tokens, tok_i + 3, end)
            if name == "meta":  # text that is not a bullet item cannot be read as key: value
                raw.meta = _list_items(tokens, tok_i + 3, end)
                raw.meta_stray = [
                    map_[0] + 1
                    for j in range(tok_i + 3, end)
                    if tokens[j].type in ("paragraph_open", "fence", "code_block", "table_open")
                    and tokens[j].level == 0
                    and (map_ := tokens[j].map)
                ]
            elif name == "tags":
                text_parts = [
                    tokens[j].content for j in range(tok_i + 3, end) if tokens[j].type == "inline"
                ]
                raw.tags = [s.strip() for s in ",".join(text_parts).split(",") if s.strip()]
                # (a list there is a slip, such as a verdict added after the last section)
                raw.tags_listed = [
                    map_[0] + 1
                    for j in range(tok_i + 3, end)
                    if tokens[j].type == "list_item_open" and (map_ := tokens[j].map)
                ]
    return entries


_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|\||#|>|```|~~~|\{\{)")


def unwrap(markdown: str) -> str:
    """Join soft-wrapped lines of paragraphs (and of list items) into one line each.

    The Markdown renders the same, and the plain text reads well in JSON and in a terminal.
    """
    out: list[str] = []
    fence = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            out.append(line)
            continue
        prev = out[-1] if out else ""
        joinable = (
            not fence
            and stripped
            and prev.strip()
            and not _BLOCK_START.match(line)
            and not prev.lstrip().startswith(("|", "#", "```", "~~~"))
            and not prev.endswith("  ")
        )
        if joinable:
            out[-1] = prev.rstrip() + " " + stripped
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _expand_tables(
    answer: str, tables: dict[str, Table], where: Problem
) -> tuple[str, list[Problem]]:
    """Replace each ``{{table:ID}}`` line; ``where.line`` is the answer's first line."""
    problems = []

    def line_of(pos: int) -> int:
        return where.line + answer.count("\n", 0, pos)

    def sub(m: re.Match[str]) -> str:
        table = tables.get(m.group(1))
        if table is None:
            problems.append(
                Problem(where.path, line_of(m.start()), f"unknown table {m.group(1)!r}")
            )
            return ""
        return table.to_markdown()

    for m in STRAY_PLACEHOLDER_RE.finditer(answer):
        if not PLACEHOLDER_RE.fullmatch(m.group(0)):
            problems.append(
                Problem(
                    where.path,
                    line_of(m.start()),
                    f"table placeholder {m.group(0).strip()!r} must be alone on its line, "
                    "as {{table:TABLE-ID}}",
                )
            )
    return PLACEHOLDER_RE.sub(sub, answer), problems


def _load_tables(paths: list[Path], root: Path, problems: list[Problem]) -> dict[str, Table]:
    """The tables of some knowledge files by id; a second table of the same id is a problem."""
    tables: dict[str, Table] = {}
    for path in paths:
        text = _read(path, problems)
        for table in _parse_tables(_rel(path, root), text, problems):
            if table.id in tables:
                problems.append(Problem(table.path, table.line, f"duplicate table id {table.id!r}"))
            tables[table.id] = table
    return tables


def load(directory: str | Path | None = None) -> KnowledgeBase:
    """Read a knowledge directory. Problems in it are returned, not raised.

    Raises KnowledgeError only when the directory cannot be read at all.
    """
    root = Path(directory) if directory is not None else default_dir()
    try:
        if root.exists() and not root.is_dir():
            raise KnowledgeError(
                f"{root} is a file, not a knowledge directory (give the directory that holds "
                "entries/*.md)"
            )
        if not root.is_dir():
            raise KnowledgeError(f"knowledge directory not found: {root} (check the path)")
        entry_files = sorted((root / "entries").glob("*.md"))
        fact_files = sorted((root / "facts").glob("*.md"))
        lexicon_files = sorted((root / "lexicon").glob("*.md"))
    except OSError as exc:
        raise KnowledgeError(
            f"cannot read the knowledge directory {root}: {exc.strerror or exc}"
        ) from None
    if not entry_files:
        raise KnowledgeError(
            f"no entries/*.md files in knowledge directory {root} (a knowledge directory "
            "holds its entries in entries/*.md)"
        )

    with _collector_paused():
        return _load_files(root, entry_files, fact_files, lexicon_files)


def _load_files(
    root: Path, entry_files: list[Path], fact_files: list[Path], lexicon_files: list[Path]
) -> KnowledgeBase:
    """The knowledge base of a directory's files (see :func:`load`)."""
    problems: list[Problem] = []
    tables = _load_tables(fact_files, root, problems)
    lexicon = _load_tables(lexicon_files, root, problems)

    entries: list[Entry] = []
    seen_ids: dict[str, str] = {}
    for path in entry_files:
        rel = _rel(path, root)
        text = _read(path, problems)
        for raw in _parse_entries(rel, text, problems):
            where = Problem(rel, raw.answer_line or raw.line, "")
            eid = raw.id
            if eid in seen_ids:
                problems.append(
                    Problem(rel, raw.line, f"duplicate id {eid!r} (first at {seen_ids[eid]})")
                )
                continue
            seen_ids[eid] = f"{rel}:{raw.line}"
            questions = [q for q, _ in raw.questions]
            question_lines = tuple(line for _, line in raw.questions)
            sources = [s for s, _ in raw.sources]
            # Tables first, on the answer as written, so a problem's line is the file's line.
            answer, more = _expand_tables(raw.answer, tables, where)
            answer = unwrap(answer).strip()
            problems += more
            if not questions:
                problems.append(Problem(rel, raw.line, f"entry {eid!r} has no questions"))
            if not answer.strip():
                problems.append(Problem(rel, raw.line, f"entry {eid!r} has an empty answer"))
            if not sources:
                problems.append(Problem(rel, raw.line, f"entry {eid!r} has no sources"))
            meta = _parse_meta(raw, rel, problems)
            verdicts = _parse_verdicts(raw, rel, problems)
            if not questions or not answer.strip():
                continue
            entries.append(
                Entry(
                    id=eid,
                    questions=tuple(questions),
                    answer=answer,
                    sources=tuple(sources),
                    tags=tuple(raw.tags),
                    group=raw.group,
                    path=rel,
                    line=raw.line,
                    meta=meta,
                    question_lines=question_lines,
                    verdicts=verdicts,
                )
            )
    problems.sort(key=lambda p: (p.path, p.line))
    return KnowledgeBase(tuple(entries), tables, tuple(problems), lexicon)


def _parse_verdicts(raw: _RawEntry, path: str, problems: list[Problem]) -> tuple[Verdict, ...]:
    """An entry's ``### Verdicts`` items; one not written as ``question? -> Yes|No: reason``
    is a problem (a verdict without its reason would answer "Yes." and nothing more)."""
    verdicts = []
    for text, line in raw.verdicts:
        m = VERDICT_RE.match(" ".join(text.split()))
        if m is None or not m["reason"].strip():
            problems.append(
                Problem(
                    path,
                    line,
                    f"verdict {text[:60]!r} is not written as 'question? -> Yes: reason' "
                    "(or '-> No: reason')",
                )
            )
            continue
        reason = m["reason"].strip()
        verdicts.append(Verdict(m["question"].strip(), m["verdict"].lower() == "yes", reason))
    return tuple(verdicts)


def _parse_meta(raw: _RawEntry, path: str, problems: list[Problem]) -> dict[str, str]:
    """An entry's ``### Meta`` lines as a dict; a missing or malformed ``as of`` date, an
    unknown key, a repeated key or a line that is not ``key: value`` is a problem."""
    eid = raw.id
    meta: dict[str, str] = {}
    if "meta" not in raw.spans:
        problems.append(
            Problem(
                path,
                raw.line,
                f"entry {eid!r} has no '### Meta' with an 'as of: YYYY-MM-DD' line "
                "(the date its facts were checked)",
            )
        )
        return meta
    for line in raw.meta_stray:
        problems.append(
            Problem(path, line, f"'### Meta' of {eid!r} holds a bullet list of key: value lines")
        )
    for line in raw.tags_listed:
        problems.append(
            Problem(path, line, f"'### Tags' of {eid!r} is one line of comma-separated tags")
        )
    for text, line in raw.meta:
        key, sep, value = text.partition(":")
        key, value = " ".join(key.lower().split()), value.strip()
        if not sep or not key or not value or "\n" in value:
            problems.append(
                Problem(path, line, f"meta line {text!r} of {eid!r} is not one 'key: value'")
            )
            continue
        if key not in META_KEYS:
            problems.append(
                Problem(
                    path,
                    line,
                    f"unknown meta key {key!r} in {eid!r} (known: " + ", ".join(META_KEYS) + ")",
                )
            )
            continue
        if key in meta:
            problems.append(Problem(path, line, f"meta key {key!r} twice in {eid!r}"))
            continue
        if key == "coverage" and value not in COVERAGE_VALUES:
            problems.append(
                Problem(
                    path,
                    line,
                    f"coverage {value!r} of {eid!r} is not one of: " + ", ".join(COVERAGE_VALUES),
                )
            )
            continue
        if key == "as of" and not is_iso_date(value):
            problems.append(
                Problem(
                    path,
                    line,
                    f"'as of' date {value!r} of {eid!r} is not a date written YYYY-MM-DD",
                )
            )
            continue
        meta[key] = value
    if "as of" not in meta and not any(
        t.partition(":")[0].strip().lower() == "as of" for t, _ in raw.meta
    ):
        problems.append(
            Problem(
                path,
                raw.line,
                f"entry {eid!r} has no 'as of: YYYY-MM-DD' line in its '### Meta'",
            )
        )
    return meta


def is_iso_date(text: str) -> bool:
    """A calendar date written YYYY-MM-DD (``2026-02-30`` is not one)."""
    if not ISO_DATE_RE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _rel(path: Path, root: Path) -> str:
    """The path to show in a problem report: one that opens from where the command was run
    (relative to the working directory when the file is below it, else as the user named it)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


# Control characters a knowledge file must not hold (tab, newline and carriage return are
# fine): a terminal would act on them. Also the bidirectional overrides, which reorder text.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_FILE_BYTES = 5 * 1024 * 1024  # a knowledge file is a few kB; more is not a knowledge file


# The lines git writes around a merge conflict it could not resolve.
MERGE_MARK_RE = re.compile(r"^(?:<{7}|>{7})(?: .*)?$|^={7}$", re.MULTILINE)


def _read(path: Path, problems: list[Problem]) -> str:
    """A knowledge file's text. A file that cannot be read as UTF-8 Markdown is reported as
    ``unreadable``; control characters are reported at their line and removed."""
    shown = _rel(path, path.parent)

    def unreadable(message: str) -> str:
        problems.append(Problem(shown, 1, message, unreadable=True))
        return ""

    try:
        if not path.is_file():  # a directory, a FIFO (reading it would wait forever)...
            return unreadable("cannot read: not a regular file")
        if path.stat().st_size > MAX_FILE_BYTES:
            return unreadable(f"too large for a knowledge file (over {MAX_FILE_BYTES:,} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        return unreadable(f"cannot read: {exc.strerror or exc}")
    if b"\x00" in raw:
        return unreadable("a binary file, not Markdown text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                shown,
                1,
                f"not valid UTF-8 ({exc.reason} at byte {exc.start}, line {line})",
                unreadable=True,
            )
        )
        text = raw.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):  # a byte-order mark some editors write
        text = text[1:]
    if "\t" in text:  # Markdown reads a tab as a tab stop of 4: the same, without the tab
        text = "\n".join(line.expandtabs(4) for line in text.split("\n"))
    if CONTROL_RE.search(text):
        for n, row in enumerate(re.split(r"\r\n|\r|\n", text), 1):  # lines as Markdown counts them
            found = CONTROL_RE.search(row)
            if found:
                problems.append(
                    Problem(
                        shown,
                        n,
                        f"control character U+{ord(found.group()):04X} in the text (remove it)",
                    )
                )
        text = CONTROL_RE.sub("", text)
    for m in MERGE_MARK_RE.finditer(text):
        # a merge left unresolved: two versions of the same lines, both read as knowledge
        line = text.count("\n", 0, m.start()) + 1
        problems.append(Problem(shown, line, "an unresolved merge conflict marker (resolve it)"))
    return text
