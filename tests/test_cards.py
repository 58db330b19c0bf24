"""Markdown cards for classified codes (``cards.card``)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass

import pytest

from assistant.codes import cards
from assistant.codes import classify as codes


def card_of(code: str, facts, data=None, shape: str = "code") -> str:
    return cards.card(codes.classify(code, facts, data, shape))


def table_rows(card: str) -> dict[str, str]:
    """The card's fact table as {label: value}."""
    return dict(re.findall(r"^\| \*\*(.+?)\*\* \| (.*) \|$", card, re.MULTILINE))


@pytest.mark.parametrize("code", ["J1745", "E0601", "A4253", "V5266", "G0008", "U0003"])
def test_level2_card_says_level2_not_cpt(facts, code):
    card = card_of(code, facts)
    assert card.startswith(f"### `{code}` · HCPCS Level II")
    # without the CMS file, the shape is all that is known: it is not called a real code
    assert f"`{code}` has the shape of a HCPCS Level II code, not CPT" in card
    assert table_rows(card)["Code set"] == "HCPCS Level II"
    assert table_rows(card)["Maintained by"] == "CMS"
    assert "CPT Category" not in card


def test_level2_card_without_data_tells_how_to_import(facts):
    card = card_of("J1745", facts)
    assert cards.IMPORT_HINT in card
    assert "hcpcs-assistant import-hcpcs FILE" in card
    assert "CMS" in cards.IMPORT_HINT
    assert "Description" not in table_rows(card)
    assert "In the code list" not in table_rows(card)  # unknown without data, not "no"


def test_dental_card_names_the_ada_and_has_no_import_hint(facts):
    """D codes are CDT (ADA) and are not in the CMS file: importing it would not help."""
    card = card_of("D0120", facts)
    assert "CDT" in card and "ADA" in card
    assert "not CPT" in card
    assert cards.IMPORT_HINT not in card
    assert table_rows(card)["Maintained by"] == "ADA"


@pytest.mark.parametrize("code", ["99499", "00100", "10004", "70010", "80047", "90281", "99500"])
def test_cpt_card_has_no_descriptor(facts, code):
    card = card_of(code, facts)
    rows = table_rows(card)
    assert "Description" not in rows  # AMA-copyrighted: never shipped
    assert rows["Code set"] == "CPT Category I, HCPCS Level I"
    assert rows["Maintained by"] == "AMA"
    info = codes.classify(code, facts)
    assert rows["Section"] == f"{info.section} (`{info.range}`)"
    assert "licensed CPT source" in card
    assert cards.IMPORT_HINT not in card
    # a number in a CPT range is not presented as a real code
    assert f"`{code}` is in the range of the CPT {info.section} section (`{info.range}`)" in card
    assert re.search(r"whether it is a current CPT code.* needs? a licensed CPT source", card)
    assert "Report it for the service it describes" not in card


@pytest.mark.parametrize(("code", "run"), [("99213", "99211-99215"), ("99245", "99242-99245")])
def test_a_code_in_a_run_the_facts_list_as_current_is_said_to_be_current(facts, code, run):
    """Every number of the E/M run is a code in the edition named (cpt-current), so the card
    says so; the descriptor is still the AMA's."""
    card = card_of(code, facts)
    assert "Description" not in table_rows(card)
    assert f"`{code}` is a current CPT code in CPT 2026" in card
    assert f"(`{run}`)" in card
    assert "licensed CPT source" in card


def test_a_number_both_current_and_deleted_is_reported_and_never_current(tmp_path):
    from assistant.core import facts as facts_module
    from assistant.core import kb

    root = tmp_path / "kb"
    shutil.copytree(kb.default_dir(), root)
    path = root / "facts" / "cpt.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("`99341-99342`, `99344-99345`", "`99341-99345`"), "utf-8")
    loaded = kb.load(root)
    problems = facts_module.check(loaded)
    assert any("include codes deleted" in p.message for p in problems)
    built = facts_module.build(loaded)
    assert built.cpt_current_edition(99343) is None
    assert built.cpt_current_edition(99213) == "CPT 2026"


@pytest.mark.parametrize(
    ("code", "category"), [("0001F", "Category II"), ("0042T", "Category III"), ("0001U", "PLA")]
)
def test_cpt_other_category_cards(facts, code, category):
    card = card_of(code, facts)
    assert table_rows(card)["Code set"] == f"CPT {category}, HCPCS Level I"
    assert "Description" not in table_rows(card)


def test_level_is_named_once(facts):
    """A system that names its level does not repeat it ("HCPCS Level II, HCPCS Level II")."""
    for code, expected in [
        ("J1745", "HCPCS Level II"),
        ("W1234", "HCPCS Level III"),
        ("LT", "HCPCS Level II modifier"),
        ("25", "CPT modifier, HCPCS Level I"),
        ("E11.9", "ICD-10-CM"),
        ("0SR9019", "ICD-10-PCS"),
        ("0002-1433-80", "NDC"),
    ]:
        assert table_rows(card_of(code, facts))["Code set"] == expected, code


def test_icd10cm_card(facts):
    card = card_of("E11.9", facts)
    rows = table_rows(card)
    assert rows["Chapter"] == "4: Endocrine, nutritional and metabolic diseases (`E00-E89`)"
    assert rows["Description"] == "Type 2 diabetes mellitus without complications"
    assert rows["Block"] == "Diabetes mellitus (`E08-E13`)"
    assert rows["Parent code"] == "`E11` Type 2 diabetes mellitus"
    assert "diagnosis code, not a procedure code" in card


def test_level3_card_says_do_not_bill(facts):
    card = card_of("W1234", facts)
    assert "retired HCPCS Level III local code" in card
    assert "do not bill" in card


def test_unknown_card(facts):
    card = card_of("00099", facts)
    assert card.startswith("### `00099` · not recognised")
    assert "| **Code set**" not in card
    assert "outside every CPT section range" in card


def test_modifier_cards(facts):
    cpt = card_of("59", facts, shape="modifier")
    assert "CPT (Level I) modifier" in cpt
    assert facts.modifiers["59"].meaning in cpt
    level2 = card_of("LT", facts, shape="modifier")
    assert "Modifier `LT` is a HCPCS Level II modifier, maintained by CMS" in level2
    assert "Left side of the body" in level2
    # one the facts do not list, without the data: only its shape is known
    assert "has the shape of a HCPCS Level II modifier" in card_of("Q9", facts, shape="modifier")


def test_backtick_in_user_input_cannot_break_the_card(facts):
    card = card_of("a`b", facts)
    assert card.splitlines()[0] == "### `` A`B `` · not recognised"


def test_summary_line(facts):
    line = cards.summary_line(codes.classify("J1745", facts))
    assert line == f"- `J1745`: HCPCS Level II, {facts.level2['J'].name}"


def test_cards_joins_cards(facts):
    infos = [codes.classify(c, facts) for c in ("99213", "J1745")]
    text = cards.cards(infos)
    assert text.index("### `99213`") < text.index("### `J1745`")


# --- with imported data (a stand-in for the CMS file) -----------------------------------------


@dataclass(frozen=True)
class Record:
    code: str
    long_description: str
    term_date: dt.date | None = None
    add_date: dt.date | None = dt.date(2000, 1, 1)

    def active(self) -> bool:
        return self.term_date is None


class FakeData:
    release = "January 2026 (test)"
    records = {
        "J1745": Record("J1745", "Injection, infliximab, excludes biosimilar, 10 mg"),
        "J1746": Record("J1746", "A neighbouring code (test wording)"),
        "J0001": Record("J0001", "A terminated code (test wording)", dt.date(2020, 12, 31)),
    }
    modifiers = {"LT": Record("LT", "Left side (test wording)")}

    def code(self, code):
        return self.records.get(code)

    def nearest(self, code, limit=5):
        return [self.records["J1745"], self.records["J1746"]][:limit]

    def modifier(self, code):
        return self.modifiers.get(code)

    def check(self):
        pass

    def close(self):
        pass

    def search(self, words, limit=8):
        return []


def test_level2_card_with_data_has_the_official_description(facts):
    info = codes.classify("J1745", facts, FakeData())
    assert (info.known, info.description, info.status) == (
        True,
        "Injection, infliximab, excludes biosimilar, 10 mg",
        "active",
    )
    assert (info.effective_date, info.termination_date) == ("2000-01-01", None)
    card = cards.card(info)
    rows = table_rows(card)
    assert rows["Description"] == "Injection, infliximab, excludes biosimilar, 10 mg"
    assert rows["In the code list"] == "yes"
    assert rows["Status"] == "active since 2000-01-01"
    assert "`J1745` is a HCPCS Level II code, not CPT" in card
    assert cards.IMPORT_HINT not in card


def test_level2_card_with_data_for_a_code_not_in_the_file(facts):
    info = codes.classify("J1747", facts, FakeData())
    assert info.known is False and info.description is None
    assert (info.status, info.effective_date, info.termination_date) == (None, None, None)
    card = cards.card(info)
    assert table_rows(card)["In the code list"] == "no"
    lines = card.splitlines()
    # never presented as real: the heading and the first line say it is not in the file,
    # and the nearest valid codes come before anything else
    assert lines[0] == "### `J1747` · not in the HCPCS Level II file"
    assert lines[2] == (
        "`J1747` is shaped like a HCPCS Level II code, but not in the January 2026 HCPCS file."
    )
    assert lines[4:7] == [
        "Nearest valid codes:",
        "- `J1745`: Injection, infliximab, excludes biosimilar, 10 mg",
        "- `J1746`: A neighbouring code (test wording)",
    ]
    assert "is a HCPCS Level II code" not in card


def test_terminated_code_status(facts):
    info = codes.classify("J0001", facts, FakeData())
    assert (info.status, info.termination_date) == ("terminated", "2020-12-31")
    card = cards.card(info)
    assert table_rows(card)["Status"] == "terminated: last valid on 2020-12-31"
    assert "do not report it for dates of service after its last valid date" in card


def test_level2_modifier_with_data(facts):
    known = codes.classify("LT", facts, FakeData())
    assert (known.known, known.description, known.status) == (
        True,
        "Left side (test wording)",
        "active",
    )
    unknown = codes.classify("ZZ", facts, FakeData())
    assert unknown.known is False
    card = cards.card(unknown)
    assert card.splitlines()[0] == "### `ZZ` · not in the HCPCS Level II file"
    assert "`ZZ` is shaped like a HCPCS Level II modifier, but not in the January 2026" in card
    # CPT modifiers are not in the CMS file: their validity is never claimed from it.
    assert codes.classify("25", facts, FakeData()).known is None
