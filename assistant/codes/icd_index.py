"""A compact, read-only index of the ICD-10-CM code set, built once from simple-icd-10-cm.

Loading simple-icd-10-cm parses the whole tabular list (seconds and 200 MB); a look-up in this
index reads one small compressed block. The index is built when the package is built or
installed (``hatch_build.py`` calls :func:`build`; ``scripts/build_icd_index.py`` does it by
hand) and ships beside this module as ``icd10cm.idx``. Nothing writes it at run time: without
it, :mod:`assistant.codes.icd` falls back to the library.

File layout: a first line naming the format; a line of JSON (release, chapters, and the
tabular list's blocks, the ranges of categories that the chapters are divided into, "Diabetes
mellitus (E08-E13)"); a line with, for every three-character category, its chapter, the length
of its block, whether it is billable as written and its tabular block
(``A00 0 345 0 0;A01 0 ...``); then one zlib-compressed block per category. A block holds the category and every
code below it, one per line: ``CODE<TAB>L<TAB>DESCRIPTION`` (code without its dot, L ``1`` for
a leaf, i.e. a code valid on a claim, ``0`` for a category that needs more characters), and for a
code with instructional notes of its own ``<TAB>CODE FIRST<TAB>EXCLUDES1<TAB>EXCLUDES2`` (what its
"code first" note puts before it; its Excludes1 and Excludes2 notes' items, separated by " | ").
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"hcpcs-assistant icd-10-cm index, format 1\n"
INDEX_NAME = "icd10cm.idx"
DEFAULT_PATH = Path(__file__).resolve().with_name(INDEX_NAME)
NOTE_SEPARATOR = " | "  # between the items of an Excludes1 note in a block's line
CHAPTER_RANGE_RE = re.compile(r"^(.*?)\s*\(([A-Z0-9]{3}-[A-Z0-9]{3})\)\s*$")


class IndexUnavailable(Exception):
    """The index file is missing, damaged or of another format."""


@dataclass(frozen=True)
class Item:
    code: str  # without its dot
    leaf: bool
    description: str
    # the Tabular List's instructional notes on the code itself (not those above it): what its
    # "code first" note asks to sequence before it, and what its Excludes1 note lists
    code_first: str = ""
    excludes1: tuple[str, ...] = ()
    excludes2: tuple[str, ...] = ()


class IcdIndex:
    """Read access to an index file. Blocks are decompressed on demand and kept."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            with open(self.path, "rb") as f:
                magic = f.readline()
                header = f.readline()
                table = f.readline()
        except OSError as exc:
            raise IndexUnavailable(f"cannot read {self.path}: {exc.strerror or exc}") from None
        if magic != MAGIC:
            raise IndexUnavailable(f"{self.path} is not an ICD-10-CM index of this format")
        try:
            meta = json.loads(header)
            self.release: str = meta["release"]
            self.chapters: list[tuple[str, str]] = [tuple(c) for c in meta["chapters"]]
            # (an index written before blocks were kept has none: no category names one)
            self.tabular_blocks: list[tuple[str, str]] = [tuple(b) for b in meta.get("blocks", ())]
            offset = len(magic) + len(header) + len(table)
            self._categories: dict[str, tuple[int, int, int, bool]] = {}
            self._block_of: dict[str, int] = {}
            for row in table.decode("ascii").split(";"):
                category, chapter, length, leaf, *block = row.split()
                self._categories[category] = (int(chapter), offset, int(length), leaf == "1")
                if block and int(block[0]) >= 0:
                    self._block_of[category] = int(block[0])
                offset += int(length)
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexUnavailable(f"{self.path} is damaged ({exc})") from None
        self._blocks: dict[str, str] = {}

    def categories(self) -> dict[str, bool]:
        """Every three-character category, mapped to whether it is billable as written."""
        return {cat: leaf for cat, (_, _, _, leaf) in self._categories.items()}

    def _block(self, category: str) -> str:
        """The category's lines, each starting with a newline, with a newline at the end."""
        cached = self._blocks.get(category)
        if cached is not None:
            return cached
        where = self._categories.get(category)
        if where is None:
            return ""
        _, offset, length, _ = where
        try:
            with open(self.path, "rb") as f:
                f.seek(offset)
                text = "\n" + zlib.decompress(f.read(length)).decode("utf-8") + "\n"
        except (OSError, zlib.error, UnicodeDecodeError) as exc:
            raise IndexUnavailable(f"{self.path} is damaged ({exc})") from None
        self._blocks[category] = text
        return text

    def item(self, bare: str) -> Item | None:
        """The code (without its dot, upper case), or None when the code set does not have it."""
        text = self._block(bare[:3])
        start = text.find(f"\n{bare}\t")
        if start < 0:
            return None
        line = text[start + 1 : text.index("\n", start + 1)]
        code, leaf, description, *notes = line.split("\t")
        code_first = notes[0] if notes else ""
        excludes1, excludes2 = (
            tuple(n for n in notes[i].split(NOTE_SEPARATOR) if n) if len(notes) > i else ()
            for i in (1, 2)
        )
        return Item(code, leaf == "1", description, code_first, excludes1, excludes2)

    def chapter(self, category: str) -> tuple[str, str] | None:
        where = self._categories.get(category)
        return self.chapters[where[0]] if where is not None else None

    def chapter_number(self, category: str) -> int | None:
        """The number of the category's chapter (1-22: the chapters are kept in tabular
        order)."""
        where = self._categories.get(category)
        return where[0] + 1 if where is not None else None

    def tabular_block(self, category: str) -> tuple[str, str] | None:
        """The tabular list's block a category is in, (title, range): "Diabetes mellitus",
        "E08-E13"; None when the index keeps no blocks."""
        where = self._block_of.get(category)
        return self.tabular_blocks[where] if where is not None else None

    def children(self, bare: str) -> list[Item]:
        """The codes one level below ``bare``, in tabular order."""
        below = [
            Item(m.group(1), m.group(2) == "1", m.group(3))
            for m in re.finditer(
                rf"\n({re.escape(bare)}[0-9A-Z]+)\t([01])\t([^\t\n]*)", self._block(bare[:3])
            )
        ]
        codes = {item.code for item in below} | {bare}
        # a code's parent is its longest proper prefix that is a code
        return [
            item
            for item in below
            if next(
                item.code[:n] for n in range(len(item.code) - 1, 0, -1) if item.code[:n] in codes
            )
            == bare
        ]


# --- building (needs simple-icd-10-cm) ---------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def source_release() -> str:
    """The release simple-icd-10-cm carries, from its data file's name, and its own version."""
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("simple_icd_10_cm")
    names = []
    for folder in (spec.submodule_search_locations or []) if spec else []:
        names += sorted(p.name for p in Path(folder, "data").glob("*tabular*.xml"))
    when = ""
    if names:
        m = re.search(r"([A-Za-z]+)-(\d{1,2})-(\d{4})", names[-1])
        if m:
            when = f"{m.group(1)} {int(m.group(2))}, {m.group(3)}"
    try:
        version = importlib.metadata.version("simple-icd-10-cm")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown version"
    tabular = f"tabular list of {when}" if when else "tabular list"
    return f"ICD-10-CM {tabular} (simple-icd-10-cm {version})"


def tabular_block(cm: object, category: str) -> tuple[str, str] | None:
    """The block of the tabular list a category is in, (title, range), from the library: its
    nearest ancestor that is no chapter ("E08-E13", or "C7A", a block of one category)."""
    for ancestor in cm.get_ancestors(category):  # type: ignore[attr-defined]
        if cm.is_chapter(ancestor):  # type: ignore[attr-defined]
            return None
        title = _clean(cm.get_description(ancestor))  # type: ignore[attr-defined]
        m = CHAPTER_RANGE_RE.match(title)
        return (m.group(1), m.group(2)) if m else (title, ancestor)
    return None


def code_first_text(note: str) -> str:
    """What a "code first" note puts first: its first line, without the examples after it or
    their "such as:" ("underlying infection")."""
    return _clean(note.split("\n")[0]).removesuffix("such as:").strip().rstrip(",")


def build(path: str | Path) -> dict[str, int]:
    """Write the index of the code set simple-icd-10-cm carries to ``path``; returns counts."""
    import simple_icd_10_cm as cm

    chapters: list[tuple[str, str]] = []
    chapter_of: dict[str, int] = {}
    tabular_blocks: dict[tuple[str, str], int] = {}  # (in order, each with its place)
    block_of: dict[str, int] = {}
    blocks: dict[str, list[str]] = {}
    leaves: dict[str, bool] = {}
    count = 0
    seen: set[str] = set()
    for code in cm.get_all_codes(True):
        if cm.is_chapter(code):
            m = CHAPTER_RANGE_RE.match(_clean(cm.get_description(code)))
            if m is None:
                raise ValueError(f"chapter {code} has no range in its title")
            chapters.append((m.group(1), m.group(2)))
            continue
        # Blocks are ranges ("E08-E13"); a block of one category has the category's name and
        # is listed just before it: the name is kept once, as the category.
        if "-" in code or code in seen:
            continue
        seen.add(code)
        bare = code.replace(".", "")
        category = bare[:3]
        if len(bare) == 3:
            chapter_of[category] = len(chapters) - 1
            leaves[category] = cm.is_leaf(code)
            block = tabular_block(cm, code)
            if block is not None:
                block_of[category] = tabular_blocks.setdefault(block, len(tabular_blocks))
        leaf = "1" if cm.is_leaf(code) else "0"
        line = f"{bare}\t{leaf}\t{_clean(cm.get_description(code))}"
        first = code_first_text(cm.get_code_first(code))
        excludes1 = NOTE_SEPARATOR.join(_clean(n) for n in cm.get_excludes1(code))
        excludes2 = NOTE_SEPARATOR.join(_clean(n) for n in cm.get_excludes2(code))
        if first or excludes1 or excludes2:
            line += f"\t{first}\t{excludes1}\t{excludes2}"
        blocks.setdefault(category, []).append(line)
        count += 1
    payload = bytearray()
    table = []
    for category, lines in blocks.items():
        data = zlib.compress("\n".join(lines).encode("utf-8"), 9)
        billable = int(leaves[category])
        table.append(
            f"{category} {chapter_of[category]} {len(data)} {billable} {block_of.get(category, -1)}"
        )
        payload += data
    header = json.dumps(
        {"release": source_release(), "chapters": chapters, "blocks": list(tabular_blocks)},
        separators=(",", ":"),
    ).encode("ascii")
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(MAGIC + header + b"\n" + ";".join(table).encode("ascii") + b"\n" + payload)
    tmp.replace(path)
    return {"codes": count, "categories": len(table), "bytes": path.stat().st_size}
