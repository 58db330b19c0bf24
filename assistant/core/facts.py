"""Typed views of the section-fact tables in ``knowledge/facts``.

The classifier reads ranges and section names from here, and the answers embed the same tables,
so every range is written once, in the knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.core.kb import PROVENANCE_COLUMNS, KnowledgeBase, Problem, Table, is_iso_date

_RANGE_RE = re.compile(r"([0-9A-Z]{5})\s*-\s*([0-9A-Z]{5})")
# One CPT range, or a single code standing on its own (E/M owns 99091 alone).
_CPT_PART_RE = re.compile(r"(\d{5})(?:\s*-\s*(\d{5}))?")


@dataclass(frozen=True)
class CptSection:
    """A named set of CPT ranges: a section of the book, or a family of codes inside one."""

    name: str
    ranges: tuple[tuple[int, int], ...]
    range_text: str  # as written, e.g. "98000-98016, 99091, 99202-99499"

    def span_of(self, number: int) -> str | None:
        for lo, hi in self.ranges:
            if lo <= number <= hi:
                return f"{lo:05d}" if lo == hi else f"{lo:05d}-{hi:05d}"
        return None


@dataclass(frozen=True)
class CptDeletion:
    """CPT codes the AMA deleted, the day the deletion took effect (ISO), and what is reported
    instead, in our words."""

    codes: CptSection
    deleted_on: str
    instead: str
    source: str = ""


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
class HourlyService:
    """One row of the table of drug administration services billed by the hour: the service,
    the words questions name it by, the code for its first hour (reported from ``fewest``
    minutes on) and the add-on reported for each additional hour."""

    service: str
    names: tuple[str, ...]
    initial: str
    fewest: int
    additional: str
    source: str


@dataclass(frozen=True)
class DrugUnit:
    """One row of the table of common office drugs: the drug, its Level II code and the amount
    one billing unit of the code covers ("10 mg", "up to 50 mg"), as its CMS description
    states it."""

    code: str
    drug: str
    unit: str


@dataclass(frozen=True)
class ClaimCodeList:
    """A list of codes written on claims and remittances, other than procedure and diagnosis
    codes (place of service, UB-04 occurrence codes, claim adjustment reason codes ...): its
    name in the ``claim-codes`` table, its label in an answer ("Occurrence code") and the words
    a question names it by ("occurrence code", "pos")."""

    name: str
    label: str
    names: tuple[str, ...]
    source: str = ""  # who publishes the list, for a code the table does not hold


@dataclass(frozen=True)
class RepairBand:
    """One code of a wound repair group and the lengths it takes, in tenths of a cm: from
    ``low`` to ``high`` (None: no upper limit), or, for an add-on, ``each`` further length."""

    code: str
    low: int
    high: int | None
    each: int = 0


@dataclass(frozen=True)
class RepairGroup:
    """One row of the wound repair table: a kind of repair (simple, intermediate, complex), the
    sites of its group, the words questions name them by, and its codes by length."""

    kind: str
    sites: str
    names: tuple[str, ...]
    bands: tuple[RepairBand, ...]
    source: str = ""


@dataclass(frozen=True)
class ClaimCode:
    """One code of a claim code list and what it means, in our words, with its source."""

    list: str
    code: str
    meaning: str
    source: str


@dataclass(frozen=True)
class Facts:
    cpt_sections: tuple[CptSection, ...]
    cpt_categories: dict[str, str]  # category -> what it is for
    level2: dict[str, Level2Section]
    modifiers: dict[str, Modifier]
    pcs_sections: dict[str, str]
    cpt_families: tuple[CptSection, ...] = ()  # subsection families, described in our words
    cpt_deleted: tuple[CptDeletion, ...] = ()  # deleted codes people still ask about
    # runs of codes every number of which is current, each with its CPT edition
    cpt_current: tuple[tuple[CptSection, str], ...] = ()
    # common office drugs by code, with the amount one unit covers (knowledge, not the CMS file)
    drug_units: dict[str, DrugUnit] = field(default_factory=dict)
    # the claim code lists, and their codes by (list, code)
    claim_lists: tuple[ClaimCodeList, ...] = ()
    claim_codes: dict[tuple[str, str], ClaimCode] = field(default_factory=dict)
    # codes billed in 15-minute units under Medicare's 8-minute rule
    cpt_timed: tuple[CptSection, ...] = ()
    # drug administration services billed by the hour (a first hour, then each additional one)
    cpt_hourly: tuple[HourlyService, ...] = ()
    # wound repair codes by kind and site group, and the words that tell repairs apart
    cpt_repairs: tuple[RepairGroup, ...] = ()
    repair_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def cpt_section(self, number: int) -> tuple[CptSection, str] | None:
        return _holding(self.cpt_sections, number)

    def cpt_family(self, number: int) -> tuple[CptSection, str] | None:
        """The family of codes a CPT number falls in ("office or other outpatient visits,
        established patient", 99211-99215), and the span that holds it."""
        return _holding(self.cpt_families, number)

    def cpt_current_edition(self, number: int) -> str | None:
        """The CPT edition ("CPT 2026") in which ``number`` is a current code, when it lies in
        a run of the cpt-current table (every number of which is a code); else None."""
        return next((edition for codes, edition in self.cpt_current if codes.span_of(number)), None)

    def cpt_timed_code(self, number: int) -> bool:
        """Whether ``number`` is a code the cpt-timed table says is billed in 15-minute units
        (Medicare's 8-minute rule counts its minutes)."""
        return any(codes.span_of(number) for codes in self.cpt_timed)

    def cpt_deletion(self, number: int) -> CptDeletion | None:
        """The deletion of a CPT number ("99201", deleted on 2021-01-01), if it is listed."""
        return next((d for d in self.cpt_deleted if d.codes.span_of(number)), None)


def _holding(groups: tuple[CptSection, ...], number: int) -> tuple[CptSection, str] | None:
    for group in groups:
        span = group.span_of(number)
        if span:
            return group, span
    return None


def _strip(cell: str) -> str:
    return cell.replace("`", "").strip()


def build(kb: KnowledgeBase) -> Facts:
    """Facts from a loaded knowledge base; a missing table gives an empty view, not an error."""

    def records(table_id: str) -> list[dict[str, str]]:
        table = kb.tables.get(table_id)
        return table.records() if table else []

    def cpt_groups(
        table_id: str, name_column: str, range_column: str = "range"
    ) -> tuple[CptSection, ...]:
        groups = []
        for r in records(table_id):
            text = _strip(r.get(range_column, ""))
            ranges = tuple(
                (int(m.group(1)), int(m.group(2) or m.group(1)))
                for m in (_CPT_PART_RE.fullmatch(part.strip()) for part in text.split(","))
                if m
            )
            groups.append(CptSection(_strip(r.get(name_column, "")), ranges, text))
        return tuple(groups)

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
    deleted = tuple(
        CptDeletion(
            codes,
            _strip(r.get("deleted on", "")),
            _strip(r.get("report instead", "")),
            _strip(r.get("source", "")),
        )
        for codes, r in zip(
            cpt_groups("cpt-deleted", "codes", "codes"), records("cpt-deleted"), strict=True
        )
        if codes.ranges and is_iso_date(_strip(r.get("deleted on", "")))
    )
    gone = [span for d in deleted for span in d.codes.ranges]
    current = tuple(
        (codes, _strip(r.get("edition", "")))
        for codes, r in zip(
            cpt_groups("cpt-current", "codes", "codes"), records("cpt-current"), strict=True
        )
        if codes.ranges
        and _strip(r.get("edition", ""))
        # (a number also listed as deleted is never said to be current)
        and not any(lo <= dhi and dlo <= hi for lo, hi in codes.ranges for dlo, dhi in gone)
    )
    drug_units = {
        code: DrugUnit(code, _strip(r.get("drug (brand)", "")), _strip(r.get("one unit", "")))
        for r in records("drug-units")
        if _LEVEL2_CODE_RE.fullmatch(code := _strip(r.get("code", "")).upper())
    }
    claim_lists = tuple(
        ClaimCodeList(
            name,
            _strip(r.get("label", "")) or name,
            _names(r.get("names", "")),
            _strip(r.get("source", "")),
        )
        for r in records("claim-code-lists")
        if (name := _strip(r.get("list", "")).lower())
    )
    claim_codes = {
        (name, code): ClaimCode(
            name, code, _strip(r.get("meaning", "")), _strip(r.get("source", ""))
        )
        for r in records("claim-codes")
        if (name := _strip(r.get("list", "")).lower())
        and (code := _strip(r.get("code", "")).upper())
    }
    return Facts(
        cpt_groups("cpt-sections", "section"),
        categories,
        level2,
        modifiers,
        pcs,
        cpt_groups("cpt-families", "family"),
        deleted,
        current,
        drug_units,
        claim_lists,
        claim_codes,
        tuple(g for g in cpt_groups("cpt-timed", "codes", "codes") if g.ranges),
        tuple(
            HourlyService(
                _strip(r.get("service", "")),
                _names(r.get("names", "")),
                _strip(r.get("first hour", "")),
                int(fewest),
                _strip(r.get("each additional hour", "")),
                _strip(r.get("source", "")),
            )
            for r in records("cpt-hourly")
            if (fewest := _strip(r.get("fewest minutes", ""))).isdigit()
        ),
        tuple(
            RepairGroup(
                kind,
                _strip(r.get("sites", "")),
                _names(r.get("names", "")),
                bands,
                _strip(r.get("source", "")),
            )
            for r in records("cpt-repairs")
            if (kind := _strip(r.get("repair", "")).lower()) in REPAIR_KINDS
            and (bands := repair_bands(r.get("codes", "")))
        ),
        {
            _strip(r.get("words", "")).lower(): _names(r.get("names", ""))
            for r in records("cpt-repair-words")
        },
    )


def _name(text: str) -> str:
    """A name as questions are matched against it: lower case, single spaces."""
    return " ".join(_strip(text).lower().split())


def _names(cell: str) -> tuple[str, ...]:
    """The names of a comma-separated cell, each as :func:`_name` writes it."""
    return tuple(n for n in (_name(part) for part in cell.split(",")) if n)


REPAIR_KINDS = ("simple", "intermediate", "complex")
REPAIR_WORDS = (*REPAIR_KINDS, "wound", "other")
# one code of a repair group with its lengths in cm: "`12002` 7.5" (up to), "`13100` 1.1-2.5",
# "`12007` over 30.0", "`13102` each 5.0"
_BAND_RE = re.compile(r"`?(\d{5})`?\s+(?:(\d+\.\d)\s*-\s*)?(over\s+|each\s+)?(\d+\.\d)")


def repair_bands(cell: str) -> tuple[RepairBand, ...]:
    """The codes of a repair group's cell, in order, each from the length after the one before
    it; empty when any part cannot be read, or the lengths do not rise."""
    bands: list[RepairBand] = []
    low = 0
    for part in cell.split(","):
        m = _BAND_RE.fullmatch(part.strip())
        if m is None:
            return ()
        code, start, word, cm = m.groups()
        tenths = round(float(cm) * 10)
        if word and word.strip() == "each":
            if not bands or bands[-1].high is None:
                return ()
            bands.append(RepairBand(code, bands[-1].high + 1, None, tenths))
            continue
        if start is not None:
            low = round(float(start) * 10)
        if word:  # "over": no upper limit, from just past the length named
            if tenths + 1 < low:
                return ()
            bands.append(RepairBand(code, tenths + 1, None))
            continue
        if tenths < low:
            return ()
        bands.append(RepairBand(code, low, tenths))
        low = tenths + 1
    return tuple(bands)


# --- validation ------------------------------------------------------------------------------

_CPT_RANGE_RE = re.compile(r"(\d{5})(?:-(\d{5}))?")
_LEVEL2_RANGE_RE = re.compile(r"([A-Z])(\d{4})-([A-Z])(\d{4})")
_LEVEL2_CODE_RE = re.compile(r"[A-V]\d{4}")
# the amount one unit of a drug code covers, as CMS descriptions state it ("per 250 mg",
# "up to 1,000 mcg", "1 unit")
_DRUG_UNIT_RE = re.compile(r"(?:per |up to )?[\d.,]+ ?(?:mg|mcg|g|ml|cc|units?|meq|mci)", re.I)
_PCS_CHARACTERS = set("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
_COLUMNS = {
    "cpt-sections": ("section", "range"),
    "cpt-families": ("family", "range"),
    "cpt-deleted": ("codes", "deleted on", "report instead"),
    "cpt-current": ("codes", "edition"),
    "cpt-timed": ("codes",),
    "cpt-hourly": ("service", "names", "first hour", "fewest minutes", "each additional hour"),
    "cpt-repairs": ("repair", "sites", "names", "codes"),
    "cpt-repair-words": ("words", "names"),
    "level2-sections": ("letter", "section", "range"),
    "modifiers": ("modifier", "system", "meaning"),
    "icd10pcs-sections": ("first character", "section"),
    "cpt-categories": ("category", "what it is for"),
    "drug-units": ("drug (brand)", "code", "one unit"),
    "claim-code-lists": ("list", "label", "names"),
    "claim-codes": ("list", "code", "meaning"),
}
# a claim code as its list writes it: two to five letters and digits, or a group of revenue
# codes or bill types written with a final X ("045X")
_CLAIM_CODE_RE = re.compile(r"[0-9A-Z]{1,5}")
_MODIFIER_SYSTEMS = ("CPT modifier", "HCPCS Level II modifier")
# CPT modifiers written with a letter, like a Level II modifier, but part of CPT (Appendix A):
# the performance measurement modifiers of Category II codes, and the anesthesia physical
# status modifiers (which the CMS file also lists).
CPT_PERFORMANCE_MODIFIERS = frozenset({"1P", "2P", "3P", "8P"})
CPT_PHYSICAL_STATUS_MODIFIERS = frozenset({"P1", "P2", "P3", "P4", "P5", "P6"})
CPT_LETTER_MODIFIERS = CPT_PERFORMANCE_MODIFIERS | CPT_PHYSICAL_STATUS_MODIFIERS


def check(kb: KnowledgeBase) -> list[Problem]:
    """Problems in the fact tables that :func:`build` would otherwise skip without a word.

    A row the classifier cannot read (a range typed with an en dash, a letter that does not
    match its range, two sections claiming the same codes) would silently change how codes
    are classified, so ``hcpcs-assistant check`` reports it at its line.
    """
    problems: list[Problem] = []
    for each in kb.tables.values():
        problems += _check_provenance(each)
    for table_id, columns in _COLUMNS.items():
        table = kb.tables.get(table_id)
        if table is None:
            continue
        missing = _missing_columns(table, columns)
        if missing:
            problems.append(
                Problem(
                    table.path,
                    table.line,
                    f"table {table_id!r} needs the column(s) "
                    + ", ".join(repr(c) for c in missing),
                )
            )
            continue
        if table_id in _CHECKS:  # (the claim codes are checked with their lists, below)
            problems += _CHECKS[table_id](table)
    return (
        problems
        + _check_families_in_sections(kb)
        + _check_current_not_deleted(kb)
        + _check_claim_codes(kb)
    )


def _check_claim_lists(table: Table) -> list[Problem]:
    """Each list once, with a label and at least one name; no name for two lists (a question
    naming it would be read as either)."""
    problems = []
    lists: dict[str, int] = {}
    names: dict[str, str] = {}
    for line, r in _rows(table):
        name = r["list"].lower()
        if not name:
            problems.append(Problem(table.path, line, "claim code list without a name"))
            continue
        if name in lists:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"claim code list {name!r} twice (first at line {lists[name]})",
                )
            )
        lists.setdefault(name, line)
        written = _names(r["names"])
        if not r["label"] or not written:
            problems.append(
                Problem(table.path, line, f"claim code list {name!r} needs a label and names")
            )
        for each in written:
            if names.get(each, name) != name:
                problems.append(
                    Problem(
                        table.path,
                        line,
                        f"name {each!r} of claim code list {name!r} also names {names[each]!r}",
                    )
                )
            names.setdefault(each, name)
    return problems


def _check_claim_codes(kb: KnowledgeBase) -> list[Problem]:
    """Each code of a list that the ``claim-code-lists`` table names, written as its list
    writes codes, once, with a meaning."""
    table, listed = kb.tables.get("claim-codes"), kb.tables.get("claim-code-lists")
    if table is None or _missing_columns(table, _COLUMNS["claim-codes"]):
        return []
    lists = {r.get("list", "").lower() for _line, r in _rows(listed)} if listed else set()
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for line, r in _rows(table):
        name, code = r["list"].lower(), r["code"].upper()
        if name not in lists:
            problems.append(
                Problem(table.path, line, f"claim code list {name!r} is not in 'claim-code-lists'")
            )
        if not _CLAIM_CODE_RE.fullmatch(code):
            problems.append(
                Problem(
                    table.path, line, f"claim code {code!r} is not one to five letters or digits"
                )
            )
        if (name, code) in seen:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"{name} code {code} twice (first at line {seen[name, code]})",
                )
            )
        seen.setdefault((name, code), line)
        if not r["meaning"]:
            problems.append(Problem(table.path, line, f"{name} code {code} without a meaning"))
    return problems


def _missing_columns(table: Table, columns: tuple[str, ...]) -> list[str]:
    header = [h.strip().lower() for h in table.header]
    return [c for c in columns if c not in header]


def _check_families_in_sections(kb: KnowledgeBase) -> list[Problem]:
    """A family lies inside one section's range: a family that straddles two sections, or
    lies outside every section, names codes the classifier would place elsewhere."""
    table = kb.tables.get("cpt-families")
    if table is None or "cpt-sections" not in kb.tables:
        return []
    facts = build(kb)
    problems = []
    for (line, r), family in zip(_rows(table), facts.cpt_families, strict=False):
        for lo, hi in family.ranges:
            home = [s for s in facts.cpt_sections if any(a <= lo and hi <= b for a, b in s.ranges)]
            if not home:
                span = f"{lo:05d}" if lo == hi else f"{lo:05d}-{hi:05d}"
                problems.append(
                    Problem(
                        table.path,
                        line,
                        f"CPT family {r['family']!r}: {span} is not inside one section's range",
                    )
                )
    return problems


def _check_provenance(table: Table) -> list[Problem]:
    """Every row of every facts table says where it comes from and when that was checked."""
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in PROVENANCE_COLUMNS if c not in header]
    if missing:
        return [
            Problem(
                table.path,
                table.line,
                f"table {table.id!r} needs the column(s) "
                + ", ".join(repr(c) for c in missing)
                + " (where each row comes from, and the date it was checked as YYYY-MM-DD)",
            )
        ]
    problems = []
    for line, r in _rows(table):
        if not r.get("source"):
            problems.append(Problem(table.path, line, f"row of {table.id!r} without a source"))
        when = r.get("as of", "")
        if not is_iso_date(when):
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"row of {table.id!r} without an 'as of' date written YYYY-MM-DD"
                    + (f" (found {when!r})" if when else ""),
                )
            )
    return problems


def _rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    for i, record in enumerate(table.records()):
        yield table.row_line(i), {k: _strip(v) for k, v in record.items()}


def _check_cpt_sections(table: Table, noun: str = "section") -> list[Problem]:
    """Each section (or family) on one row, its ranges (or single codes) separated by commas;
    a section may own several ranges, but no number may belong to two ranges."""
    problems = []
    spans: list[tuple[int, int, str, int]] = []
    named: dict[str, int] = {}
    for line, r in _rows(table):
        name, text = r[noun], r["range"]
        parts = [part.strip() for part in text.split(",")]
        if not name:
            problems.append(Problem(table.path, line, f"CPT {noun} without a name"))
        elif name.lower() in named:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"CPT {noun} {name!r} twice (first at line {named[name.lower()]}): write "
                    "all its ranges on one row",
                )
            )
        else:
            named[name.lower()] = line
        bad = [part for part in parts if not _CPT_RANGE_RE.fullmatch(part)]
        if bad or not text:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"CPT range {text!r} of {name!r} is not written as 00000-00000 "
                    "(several ranges, or single codes, separated by commas)",
                )
            )
            continue
        for part in parts:
            matched = _CPT_RANGE_RE.fullmatch(part)
            assert matched is not None  # every part was checked above
            low, high = matched.groups()
            lo, hi = int(low), int(high or low)
            if lo > hi:
                problems.append(Problem(table.path, line, f"CPT range {part} runs backwards"))
            for olo, ohi, oname, _ in spans:
                if lo <= ohi and olo <= hi:
                    problems.append(
                        Problem(
                            table.path,
                            line,
                            f"CPT range {part} of {name!r} overlaps "
                            + (f"{olo:05d}" if olo == ohi else f"{olo:05d}-{ohi:05d}")
                            + f" of {oname!r}",
                        )
                    )
            spans.append((lo, hi, name, line))
    return problems


def _check_level2_sections(table: Table) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for line, r in _rows(table):
        letter, text = r["letter"].upper(), r["range"]
        if not re.fullmatch(r"[A-Z]", letter):
            problems.append(
                Problem(table.path, line, f"Level II letter {letter!r} is not one letter")
            )
            continue
        if letter in seen:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"Level II letter {letter} twice (first at line {seen[letter]})",
                )
            )
        seen.setdefault(letter, line)
        if not r["section"]:
            problems.append(
                Problem(table.path, line, f"Level II letter {letter} without a section name")
            )
        m = _LEVEL2_RANGE_RE.fullmatch(text)
        if m is None:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"Level II range {text!r} is not written as {letter}0000-{letter}9999",
                )
            )
        elif m.group(1) != letter or m.group(3) != letter:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"Level II range {text} does not start with the letter {letter}",
                )
            )
        elif m.group(2) > m.group(4):
            problems.append(Problem(table.path, line, f"Level II range {text} runs backwards"))
    return problems


def _check_modifiers(table: Table) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for line, r in _rows(table):
        code, system = r["modifier"].upper(), r["system"]
        if not re.fullmatch(r"[0-9A-Z]{2}", code):
            problems.append(
                Problem(table.path, line, f"modifier {code!r} is not two letters or digits")
            )
            continue
        if code in seen:
            problems.append(
                Problem(table.path, line, f"modifier {code} twice (first at line {seen[code]})")
            )
        seen.setdefault(code, line)
        if system not in _MODIFIER_SYSTEMS:
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"modifier {code}: system {system!r} is not one of "
                    + ", ".join(_MODIFIER_SYSTEMS),
                )
            )
        elif (system == "CPT modifier") != (code.isdigit() or code in CPT_LETTER_MODIFIERS):
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"modifier {code}: two digits (and 1P, 2P, 3P, 8P, P1-P6) are CPT modifiers, the others HCPCS Level II "
                    f"modifiers, not {system!r}",
                )
            )
        if not r["meaning"]:
            problems.append(Problem(table.path, line, f"modifier {code} without a meaning"))
    return problems


def _check_pcs_sections(table: Table) -> list[Problem]:
    problems = []
    for line, r in _rows(table):
        char = r["first character"].upper()
        if len(char) != 1 or char not in _PCS_CHARACTERS:
            problems.append(
                Problem(
                    table.path, line, f"ICD-10-PCS first character {char!r} is not one character"
                )
            )
        if not r["section"]:
            problems.append(
                Problem(table.path, line, f"ICD-10-PCS section {char!r} without a name")
            )
    return problems


def _check_categories(table: Table) -> list[Problem]:
    return [
        Problem(table.path, line, "CPT category row without a name or a purpose")
        for line, r in _rows(table)
        if not r["category"] or not r["what it is for"]
    ]


def _check_drug_units(table: Table) -> list[Problem]:
    """A drug row names a Level II code and the amount one unit covers, in a form the units
    answer can count with ("10 mg", "per 15 mg", "up to 50 mg", "1 unit")."""
    problems = []
    for line, r in _rows(table):
        if not _LEVEL2_CODE_RE.fullmatch(_strip(r["code"]).upper()):
            problems.append(
                Problem(table.path, line, f"drug row: {r['code']!r} is no Level II code")
            )
        if not _DRUG_UNIT_RE.fullmatch(_strip(r["one unit"])):
            problems.append(
                Problem(table.path, line, f"drug row: cannot read the unit {r['one unit']!r}")
            )
    return problems


def _check_cpt_families(table: Table) -> list[Problem]:
    return _check_cpt_sections(table, "family")


def _code_runs(table: Table, kind: str) -> tuple[list[Problem], list[tuple[int, int, int]]]:
    """The "codes" column of a table of CPT codes (deleted, current): each row's codes written
    as CPT ranges or single codes, forwards, on no other row. The problems found, and every
    range read as (low, high, line)."""
    problems = []
    seen: list[tuple[int, int, int]] = []
    for line, r in _rows(table):
        text = r["codes"]
        found = [_CPT_RANGE_RE.fullmatch(part.strip()) for part in text.split(",")]
        if not text or not all(found):
            problems.append(
                Problem(
                    table.path,
                    line,
                    f"{kind} CPT codes {text!r} are not written as 00000-00000 or 00000 "
                    "(several separated by commas)",
                )
            )
            continue
        for m in found:
            assert m is not None  # every part was checked above
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            if lo > hi:
                problems.append(Problem(table.path, line, f"CPT range {m.group(0)} runs backwards"))
            for olo, ohi, oline in seen:
                if lo <= ohi and olo <= hi:
                    problems.append(
                        Problem(
                            table.path, line, f"{kind} CPT codes {m.group(0)} also at line {oline}"
                        )
                    )
            seen.append((lo, hi, line))
    return problems, seen


def _check_cpt_deleted(table: Table) -> list[Problem]:
    """The codes as :func:`_code_runs` wants them; the day of the deletion a real date; what
    is reported instead said."""
    problems, _runs = _code_runs(table, "deleted")
    for line, r in _rows(table):
        if not is_iso_date(r["deleted on"]):
            problems.append(
                Problem(table.path, line, f"deletion date {r['deleted on']!r} is not YYYY-MM-DD")
            )
        if not r["report instead"]:
            problems.append(Problem(table.path, line, "say what is reported instead"))
    return problems


def _check_current_not_deleted(kb: KnowledgeBase) -> list[Problem]:
    """No number is both current (cpt-current) and deleted (cpt-deleted)."""
    current, deleted = kb.tables.get("cpt-current"), kb.tables.get("cpt-deleted")
    if current is None or deleted is None:
        return []
    _problems, gone = _code_runs(deleted, "deleted")
    _problems, runs = _code_runs(current, "current")
    return [
        Problem(
            current.path,
            line,
            f"current CPT codes {lo:05d}-{hi:05d} include codes deleted at line {dline}",
        )
        for lo, hi, line in runs
        for dlo, dhi, dline in gone
        if lo <= dhi and dlo <= hi
    ]


def _check_cpt_current(table: Table) -> list[Problem]:
    """The codes as :func:`_code_runs` wants them, and the CPT edition named."""
    problems, _runs = _code_runs(table, "current")
    for line, r in _rows(table):
        if not re.fullmatch(r"CPT (?:19|20)\d\d", r["edition"]):
            problems.append(
                Problem(table.path, line, f"edition {r['edition']!r} is not written as CPT YYYY")
            )
    return problems


def _check_cpt_timed(table: Table) -> list[Problem]:
    """The codes as :func:`_code_runs` wants them."""
    problems, _runs = _code_runs(table, "timed")
    return problems


def _check_cpt_hourly(table: Table) -> list[Problem]:
    """Each row's two codes written as CPT codes, different, and the fewest minutes of its
    first hour a number from 1 to 60."""
    problems = []
    for line, r in _rows(table):
        first, more = r["first hour"], r["each additional hour"]
        if not (re.fullmatch(r"\d{5}", first) and re.fullmatch(r"\d{5}", more)) or first == more:
            problems.append(
                Problem(table.path, line, "first hour and each additional hour need two CPT codes")
            )
        fewest = r["fewest minutes"]
        if not fewest.isdigit() or not 1 <= int(fewest) <= 60:
            problems.append(
                Problem(table.path, line, f"fewest minutes {fewest!r} is not a number of minutes")
            )
    return problems


def _check_cpt_repairs(table: Table) -> list[Problem]:
    """Each row a kind of repair with codes by length that can be read, and no site name in two
    groups of one kind (a wound's site would not say which to add it to)."""
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for line, r in _rows(table):
        kind = _strip(r["repair"]).lower()
        if kind not in REPAIR_KINDS:
            problems.append(
                Problem(table.path, line, f"repair {kind!r} is not one of {REPAIR_KINDS}")
            )
        if not repair_bands(r["codes"]):
            problems.append(Problem(table.path, line, f"cannot read the codes {r['codes']!r}"))
        problems += _unreadable_names(table, line, r["names"])
        for name in _names(r["names"]):
            if (kind, name) in seen:
                problems.append(
                    Problem(
                        table.path,
                        line,
                        f"{name!r} is already a site of {kind} repairs (line {seen[kind, name]})",
                    )
                )
            seen[kind, name] = line
    return problems


def _unreadable_names(table: Table, line: int, cell: str) -> list[Problem]:
    """Names a question's words can never make: the words are read with any other character
    as a space ("single-layer" is "single layer")."""
    return [
        Problem(table.path, line, f"{name!r}: write a name in words and spaces")
        for name in _names(cell)
        if not re.fullmatch(r"[a-z0-9]+(?: [a-z0-9]+)*", name)
    ]


def _check_repair_words(table: Table) -> list[Problem]:
    problems = []
    for line, r in _rows(table):
        problems += _unreadable_names(table, line, r["names"])
        if _strip(r["words"]).lower() not in REPAIR_WORDS or not _names(r["names"]):
            problems.append(
                Problem(
                    table.path, line, f"repair words: a row of one of {REPAIR_WORDS} with names"
                )
            )
    return problems


_CHECKS = {
    "cpt-repairs": _check_cpt_repairs,
    "cpt-repair-words": _check_repair_words,
    "cpt-hourly": _check_cpt_hourly,
    "cpt-timed": _check_cpt_timed,
    "cpt-sections": _check_cpt_sections,
    "cpt-deleted": _check_cpt_deleted,
    "cpt-current": _check_cpt_current,
    "cpt-families": _check_cpt_families,
    "level2-sections": _check_level2_sections,
    "modifiers": _check_modifiers,
    "icd10pcs-sections": _check_pcs_sections,
    "cpt-categories": _check_categories,
    "drug-units": _check_drug_units,
    "claim-code-lists": _check_claim_lists,
}
