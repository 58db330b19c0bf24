"""ICD-10-CM look-ups through the simple-icd-10-cm package, loaded on first use.

Importing the package parses the whole tabular list (over a second), so nothing here touches it
until an ICD-shaped code that is in the code list appears (the list itself, read from the package's
data file, takes milliseconds); ``preload()`` lets the chat app warm the rest in a worker.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()
_module = None
_CHAPTER_RANGE_RE = re.compile(r"^(.*?)\s*\(([A-Z0-9]{3}-[A-Z0-9]{3})\)\s*$")


@dataclass(frozen=True)
class IcdInfo:
    code: str  # with its dot
    description: str
    billable: bool  # a leaf of the tabular list: valid on a claim
    chapter: str | None
    chapter_range: str | None


def _lib():
    global _module
    if _module is None:
        with _lock:
            if _module is None:
                import simple_icd_10_cm

                _module = simple_icd_10_cm
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
    """Load the code set now (the chat app calls this in a worker)."""
    _lib()


def loaded() -> bool:
    return _module is not None


def with_dot(code: str) -> str:
    code = code.upper().replace(".", "")
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@lru_cache(maxsize=4096)
def lookup(code: str) -> IcdInfo | None:
    """The ICD-10-CM code (with or without its dot), or None when it is not in the code set."""
    bare = code.upper().replace(".", "")
    if bare not in _code_list():
        return None
    lib = _lib()
    dotted = with_dot(code)
    if not lib.is_valid_item(dotted) or lib.is_chapter_or_block(dotted):
        return None
    chapter = chapter_range = None
    ancestors = lib.get_ancestors(dotted)
    if ancestors:
        m = _CHAPTER_RANGE_RE.match(lib.get_description(ancestors[-1]))
        if m:
            chapter, chapter_range = m.group(1), m.group(2)
    return IcdInfo(dotted, lib.get_description(dotted), lib.is_leaf(dotted), chapter, chapter_range)
