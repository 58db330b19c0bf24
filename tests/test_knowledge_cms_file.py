"""The knowledge base against the real CMS Alpha-Numeric HCPCS file, January 2026 (skipped when
``../shared/data/hcpcs/`` is absent): the Level II letter sections, their maintainers as far as
the file shows them, and every Level II modifier the facts name.

Nothing from the file is stored in the repository: it is read here, at test time.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from assistant.codes.hcpcs import layout
from assistant.codes.hcpcs.parse import parse, read_source

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hcpcs"
CMS_ZIP = SHARED / "january-2026-alpha-numeric-hcpcs-file.zip"
JAN_1 = datetime.date(2026, 1, 1)
# Field 16 of the CMS record layout ("HCPCS Coverage Code", position 230): the code's Medicare
# coverage status; "I" is "not payable by Medicare".
COVERAGE = slice(229, 230)
NOT_PAYABLE_BY_MEDICARE = b"I"

pytestmark = pytest.mark.skipif(not CMS_ZIP.is_file(), reason="CMS HCPCS file not present")


class CmsFile:
    """The parts of the CMS file these tests compare with: codes, modifiers, coverage codes."""

    def __init__(self, path: Path) -> None:
        source = read_source(path)
        records = parse(source.data, source.name)
        self.codes = {r.code: r for r in records if not r.is_modifier}
        self.modifiers = {r.code: r for r in records if r.is_modifier}
        self.coverage: dict[str, bytes] = {}
        for line in source.data.splitlines():
            if line[layout.RECORD_ID] == layout.CODE_FIRST:
                self.coverage[line[layout.CODE].decode()] = line[COVERAGE]

    @staticmethod
    def active(record) -> bool:
        return record.term_date is None or record.term_date >= JAN_1


@pytest.fixture(scope="module")
def cms() -> CmsFile:
    return CmsFile(CMS_ZIP)


# --- letter sections -----------------------------------------------------------------------------


def test_every_letter_in_the_file_has_a_section_and_back(cms, facts):
    """Letters with active codes in the file are exactly the facts' sections, except D: the CDT
    dental codes, which CMS leaves out of its file (the facts name the ADA for them)."""
    in_file = {code[0] for code, r in cms.codes.items() if cms.active(r)}
    assert in_file == set(facts.level2) - {"D"}
    assert not any(code.startswith("D") for code in cms.codes)
    assert facts.level2["D"].maintainer == "ADA"


def test_section_ranges_cover_every_code_in_the_file(cms, facts):
    for code in cms.codes:
        section = facts.level2.get(code[0])
        assert section is not None, code
        assert section.low <= code <= section.high, (code, section.range_text)


def test_sections_maintained_outside_cms_are_not_medicare_codes(cms, facts):
    """The file cannot name a section's maintainer, but it shows Medicare's coverage of each
    code: a section the facts give to private payers' bodies (S: BCBSA and AHIP) holds codes
    Medicare does not pay, and every section whose codes Medicare mostly pays is CMS's."""
    by_letter: dict[str, Counter] = defaultdict(Counter)
    for code, r in cms.codes.items():
        if cms.active(r):
            by_letter[code[0]][cms.coverage.get(code) == NOT_PAYABLE_BY_MEDICARE] += 1
    for letter, counts in by_letter.items():
        share_not_payable = counts[True] / (counts[True] + counts[False])
        maintainer = facts.level2[letter].maintainer
        if maintainer != "CMS":
            assert share_not_payable >= 0.99, (letter, maintainer, counts)
        if share_not_payable < 0.5:
            assert maintainer == "CMS", (letter, maintainer, counts)


# --- modifiers -----------------------------------------------------------------------------------

_STOP = frozenset(
    "a an and any are as at be by for from has have in is it its of on or that the this to "
    "was were which with".split()
)


def _words(text: str) -> set[str]:
    """Content words, lower case, with plural and -ed/-ing/-s endings folded."""
    out = set()
    for w in re.findall(r"[a-z]+", text.lower()):
        if len(w) < 3 or w in _STOP:
            continue
        out.add(re.sub(r"(ies|es|s|ed|ing|ly)$", "", w) if len(w) > 5 else w)
    return out


def _similarity(ours: str, record) -> float:
    """Word overlap (Jaccard) of our meaning with the official long or short description,
    whichever is closer (long ones carry explanations, short ones are abbreviated)."""
    mine = _words(ours)
    best = 0.0
    for theirs in (_words(record.long_description), _words(record.short_description)):
        if mine | theirs:
            best = max(best, len(mine & theirs) / len(mine | theirs))
    return best


def level2_modifiers(knowledge):
    table = knowledge.tables["modifiers"].records()
    return [r for r in table if r["system"] == "HCPCS Level II modifier"]


def test_every_level2_modifier_in_the_facts_is_an_active_cms_modifier(cms, knowledge):
    rows = level2_modifiers(knowledge)
    assert len(rows) >= 15
    for r in rows:
        code = r["modifier"].strip("`")
        assert code in cms.modifiers, code
        assert cms.active(cms.modifiers[code]), code


def test_each_meaning_agrees_with_its_official_description(cms, knowledge):
    """Our meaning is closer to its own official description than to any other modifier's:
    swapping two meanings (GA and GX, XE and XS, JW and JZ, GP and GO) fails here."""
    official = {code: r for code, r in cms.modifiers.items() if cms.active(r)}
    for r in level2_modifiers(knowledge):
        code, meaning = r["modifier"].strip("`"), r["meaning"]
        own = _similarity(meaning, official[code])
        assert own >= 0.2, (code, meaning, official[code].long_description, own)
        best = max(
            (c for c in official if c != code), key=lambda c: _similarity(meaning, official[c])
        )
        assert own > _similarity(meaning, official[best]), (
            code,
            meaning,
            best,
            official[best].long_description,
        )


def test_level2_modifiers_named_in_modifier_answers_exist(cms, knowledge):
    """Two-character Level II modifiers written in the modifier answers (`LT`, `QK`, `F1-F9`...)
    are active modifiers in the file; CPT's own (digits, 1P-8P) are not looked for there."""
    named: set[str] = set()
    for e in knowledge.entries:
        if e.group != "Modifiers" and e.id != "cpt-anesthesia":
            continue
        for token in re.findall(r"`([^`]+)`", e.answer):
            span = re.fullmatch(r"([A-Z])(\d)-\1?(\d)", token)
            if span:
                named |= {f"{span[1]}{n}" for n in range(int(span[2]), int(span[3]) + 1)}
            elif re.fullmatch(r"[A-Z][A-Z0-9]", token):
                named.add(token)
    assert {"LT", "RT", "GA", "GX", "GY", "GZ", "QK", "F1", "T9", "E4", "P1"} <= named
    for code in sorted(named):
        assert code in cms.modifiers and cms.active(cms.modifiers[code]), code


# --- Level II codes the answers name ---------------------------------------------------------------


def test_every_level2_code_named_in_an_answer_is_in_the_file(cms, knowledge):
    """No answer names a Level II code the CMS file lacks; one that has ended is named in a
    sentence that says so. Range bounds (`J0000-J9999`) are not codes and are skipped."""
    named = 0
    for e in knowledge.entries:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", e.answer):
            for token in re.findall(r"`([^`]+)`", sentence):
                if re.fullmatch(r"[A-Z]\d{4}-[A-Z]\d{4}", token):
                    continue
                for code in re.findall(r"\b([A-CE-V]\d{4})\b", token):
                    record = cms.codes.get(code)
                    assert record is not None, (e.id, code)
                    if not cms.active(record):
                        assert re.search(r"terminat|ends? on|ended", sentence), (e.id, sentence)
                    named += 1
    assert named >= 100


# --- the table of common office drugs ----------------------------------------------------------


def test_each_drug_unit_is_the_one_its_official_description_states(cms, facts):
    """A units answer given without an imported file counts with the table's unit: each row's
    code is active and its official description ends with that very unit ("per 250 mg",
    "up to 1000 mcg")."""
    assert len(facts.drug_units) >= 10
    for code, row in facts.drug_units.items():
        record = cms.codes[code]
        assert cms.active(record), code
        unit = row.unit.lower().replace(",", "")
        assert record.long_description.lower().rstrip().endswith(unit), (code, row.unit)
