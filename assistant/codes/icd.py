"""ICD-10-CM look-ups: from the compact index shipped with the package, else simple-icd-10-cm.

The index (:mod:`assistant.codes.icd_index`, built from simple-icd-10-cm when the package is built)
answers a look-up by reading one small block: a first look-up costs a few milliseconds and a
few megabytes. Without it (a source checkout that was never built), the library is loaded on
first use instead, which parses the whole tabular list (seconds, about 200 MB); ``preload()``
lets the chat app do that in a worker. Nothing here writes to disk.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

from assistant.codes import icd_index, shapes
from assistant.codes.data import IcdLibrary

_lock = threading.Lock()
_module: IcdLibrary | None = None
MAX_CHILDREN = 12  # codes below a category listed on its card


@dataclass(frozen=True)
class IcdInfo:
    code: str  # with its dot when it has more than three characters
    description: str
    billable: bool  # a leaf of the tabular list: valid on a claim
    chapter: str | None
    chapter_range: str | None
    # for a category that is not billable: the codes one level below it, (code, description)
    children: tuple[tuple[str, str], ...] = ()
    # the tabular list's block of its category, (title, range): "Diabetes mellitus", "E08-E13"
    block: tuple[str, str] | None = None
    # the code one level above it, (code, description); None for a three-character category
    parent: tuple[str, str] | None = None
    chapter_number: int | None = None  # the chapters are numbered 1-22 in tabular order
    # the Tabular List's notes on it or on the codes above it in its category: what a "code
    # first" note puts before it ("underlying infection"), and the Excludes1 notes' items
    code_first: str = ""
    excludes1: tuple[str, ...] = ()
    excludes2: tuple[str, ...] = ()


# --- the index ------------------------------------------------------------------------------

_index: icd_index.IcdIndex | None = None
_index_path: Path | None = icd_index.DEFAULT_PATH
_index_problem: str | None = None


def _get_index() -> icd_index.IcdIndex | None:
    """The shipped index, opened on first use; None when there is none (or it is damaged)."""
    global _index, _index_problem
    if _index is None and _index_path is not None and _index_problem is None:
        with _lock:
            if _index is None and _index_problem is None:
                try:
                    _index = icd_index.IcdIndex(_index_path)
                except icd_index.IndexUnavailable as exc:
                    _index_problem = str(exc)
    return _index


def use_index(path: Path | str | None) -> None:
    """Look codes up in the index at ``path`` (None: in the library only). For tests and tools."""
    global _index, _index_path, _index_problem, _codes
    with _lock:
        _index, _index_problem, _codes = None, None, None
        _index_path = Path(path) if path is not None else None
    lookup.cache_clear()
    three_character_codes.cache_clear()


def source() -> str:
    """Where look-ups come from: ``index`` or ``library``."""
    return "index" if _get_index() is not None else "library"


def release() -> str:
    """The ICD-10-CM release the look-ups use."""
    index = _get_index()
    return index.release if index is not None else icd_index.source_release()


# --- the library (fallback) -------------------------------------------------------------------


def _lib() -> IcdLibrary:
    """simple-icd-10-cm, imported on first use; typed by what the look-ups call on it."""
    global _module
    if _module is None:
        with _lock:
            if _module is None:
                import simple_icd_10_cm

                _module = cast(IcdLibrary, simple_icd_10_cm)
    return _module


_codes: frozenset[str] | None = None


def _code_list() -> frozenset[str]:
    """Every ICD-10-CM item without dots, from the package's code list: fast, no full parse."""
    global _codes
    if _codes is None:
        spec = importlib.util.find_spec("simple_icd_10_cm")
        names: frozenset[str] = frozenset()
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for path in sorted(Path(folder, "data").glob("code-list-*.txt")):
                names = frozenset(path.read_text(encoding="utf-8").split())
        _codes = names
    return _codes


def preload() -> None:
    """Make the first look-up quick: open the index, or load the library when there is none
    (the chat app calls this in a worker)."""
    if _get_index() is None:
        _lib()


def loaded() -> bool:
    return _index is not None or _module is not None


# --- look-ups ---------------------------------------------------------------------------------


def with_dot(code: str) -> str:
    code = code.upper().replace(".", "")
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@lru_cache(maxsize=4096)
def lookup(code: str) -> IcdInfo | None:
    """The ICD-10-CM code (with or without its dot), or None when it is not in the code set."""
    bare = code.upper().replace(".", "")
    if not shapes.ICD_CM_BARE.fullmatch(bare):
        return None
    index = _get_index()
    if index is not None:
        try:
            return _from_index(index, bare)
        except icd_index.IndexUnavailable:
            pass  # a damaged index: the library still answers
    return _from_library(bare)


def _from_index(index: icd_index.IcdIndex, bare: str) -> IcdInfo | None:
    item = index.item(bare)
    if item is None:
        return None
    chapter = index.chapter(bare[:3]) or (None, None)
    number = index.chapter_number(bare[:3])
    children: tuple[tuple[str, str], ...] = ()
    if not item.leaf:
        children = tuple((with_dot(c.code), c.description) for c in index.children(bare))
    # (a code's parent is its longest proper prefix that is a code; its notes are its own and
    # those of the codes above it)
    chain = [item, *(a for n in range(len(bare) - 1, 2, -1) if (a := index.item(bare[:n])))]
    above = chain[1] if len(chain) > 1 else None
    code_first = next((c.code_first for c in chain if c.code_first), "")
    excludes1 = tuple(dict.fromkeys(n for c in chain for n in c.excludes1))
    excludes2 = tuple(dict.fromkeys(n for c in chain for n in c.excludes2))
    return IcdInfo(
        with_dot(bare),
        item.description,
        item.leaf,
        chapter[0],
        chapter[1],
        children,
        index.tabular_block(bare[:3]),
        (with_dot(above.code), above.description) if above else None,
        number,
        code_first,
        excludes1,
        excludes2,
    )


def _from_library(bare: str) -> IcdInfo | None:
    if bare not in _code_list():
        return None
    lib = _lib()
    dotted = with_dot(bare)
    # "B10" names a block and the category in it: the category is meant
    if not lib.is_valid_item(dotted) or not lib.is_category_or_subcategory(dotted):
        return None
    chapter = chapter_range = None
    number = None
    ancestors = lib.get_ancestors(dotted)
    if ancestors:
        number = int(ancestors[-1]) if ancestors[-1].isdigit() else None
        m = icd_index.CHAPTER_RANGE_RE.match(lib.get_description(ancestors[-1]))
        if m:
            chapter, chapter_range = m.group(1), m.group(2)
    billable = lib.is_leaf(dotted)
    children: tuple[tuple[str, str], ...] = ()
    if not billable:
        children = tuple((c, lib.get_description(c)) for c in lib.get_children(dotted))
    # (its notes are its own and those of the codes above it; its parent is the nearest of them)
    chain = [dotted] + [a for a in ancestors if lib.is_category_or_subcategory(a)]
    code_first = next(
        (text for c in chain if (text := icd_index.code_first_text(lib.get_code_first(c)))), ""
    )
    excludes1, excludes2 = (
        tuple(dict.fromkeys(" ".join(n.split()) for c in chain for n in notes(c)))
        for notes in (lib.get_excludes1, lib.get_excludes2)
    )
    parent = (chain[1], " ".join(lib.get_description(chain[1]).split())) if chain[1:] else None
    block = icd_index.tabular_block(lib, dotted[:3])
    return IcdInfo(
        dotted,
        " ".join(lib.get_description(dotted).split()),
        billable,
        chapter,
        chapter_range,
        children,
        block,
        parent,
        number,
        code_first,
        excludes1,
        excludes2,
    )


@lru_cache(maxsize=1)
def three_character_codes() -> frozenset[str]:
    """ICD-10-CM codes of three characters that are billable as written (I10, R69, Z23...):
    categories with no code below them."""
    index = _get_index()
    if index is not None:
        return frozenset(cat for cat, leaf in index.categories().items() if leaf)
    names = _code_list()
    parents = {n[:3] for n in names if len(n) > 3 and n.isalnum()}
    return frozenset(
        n for n in names if len(n) == 3 and n[0].isalpha() and n.isalnum() and n not in parents
    )
