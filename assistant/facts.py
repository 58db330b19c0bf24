"""Typed views of the section-fact tables in ``knowledge/facts``.

The classifier reads ranges and section names from here, and the answers embed the same tables,
so every range is written once, in the knowledge base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .kb import KnowledgeBase

_RANGE_RE = re.compile(r"([0-9A-Z]{5})\s*-\s*([0-9A-Z]{5})")


@dataclass(frozen=True)
class CptSection:
    name: str
    ranges: tuple[tuple[int, int], ...]
    range_text: str  # as written, e.g. "90281-99199, 99500-99607"

    def span_of(self, number: int) -> str | None:
        for lo, hi in self.ranges:
            if lo <= number <= hi:
                return f"{lo:05d}-{hi:05d}"
        return None


@dataclass(frozen=True)
class Level2Section:
    letter: str
    name: str
    low: str
    high: str
    maintainer: str

    @property
    def range_text(self) -> str:
        return f"{self.low}-{self.high}"


@dataclass(frozen=True)
class Modifier:
    code: str
    system: str
    meaning: str


@dataclass(frozen=True)
class Facts:
    cpt_sections: tuple[CptSection, ...]
    cpt_categories: dict[str, str]  # category -> what it is for
    level2: dict[str, Level2Section]
    modifiers: dict[str, Modifier]
    pcs_sections: dict[str, str]

    def cpt_section(self, number: int) -> tuple[CptSection, str] | None:
        for section in self.cpt_sections:
            span = section.span_of(number)
            if span:
                return section, span
        return None


def _strip(cell: str) -> str:
    return cell.replace("`", "").strip()


def build(kb: KnowledgeBase) -> Facts:
    """Facts from a loaded knowledge base; a missing table gives an empty view, not an error."""

    def records(table_id: str) -> list[dict[str, str]]:
        table = kb.tables.get(table_id)
        return table.records() if table else []

    cpt_sections = []
    for r in records("cpt-sections"):
        text = _strip(r.get("range", ""))
        ranges = tuple(
            (int(a), int(b)) for a, b in _RANGE_RE.findall(text) if a.isdigit() and b.isdigit()
        )
        cpt_sections.append(CptSection(_strip(r.get("section", "")), ranges, text))

    level2 = {}
    for r in records("level2-sections"):
        m = _RANGE_RE.search(_strip(r.get("range", "")))
        letter = _strip(r.get("letter", "")).upper()
        if m and letter:
            level2[letter] = Level2Section(
                letter,
                _strip(r.get("section", "")),
                m.group(1),
                m.group(2),
                _strip(r.get("maintainer", "CMS")),
            )

    modifiers = {}
    for r in records("modifiers"):
        code = _strip(r.get("modifier", "")).upper()
        if code:
            modifiers[code] = Modifier(
                code, _strip(r.get("system", "")), _strip(r.get("meaning", ""))
            )

    categories = {
        _strip(r.get("category", "")): _strip(r.get("what it is for", ""))
        for r in records("cpt-categories")
    }
    pcs = {
        _strip(r.get("first character", "")).upper(): _strip(r.get("section", ""))
        for r in records("icd10pcs-sections")
    }
    return Facts(tuple(cpt_sections), categories, level2, modifiers, pcs)
