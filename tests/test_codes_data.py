"""Codes classified with imported CMS data: the CMS-layout fixture, and the real January 2026 file
in ../shared/data/hcpcs when it is there.

A code or modifier the file does not have is never presented as real; typing slips lead to the
code meant; every Level II modifier of the file gets its official description and status.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import hcpcs_fixture as fx
import pytest
from conftest import ROOT, _run, entry_md

from assistant.codes import cards
from assistant.codes import classify as codes
from assistant.codes.hcpcs import import_file, open_data
from assistant.core import facts as facts_module
from assistant.core import kb, prebuilt
from assistant.core.answer import Assistant

CMS_ZIP = ROOT.parent / "shared" / "data" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip"
needs_real = pytest.mark.skipif(not CMS_ZIP.is_file(), reason="CMS HCPCS zip not present")


@pytest.fixture(scope="module")
def fixture_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("hcpcs-fixture")
    import_file(fx.FIXTURE_PATH, home)
    return home


@pytest.fixture(scope="module")
def data(fixture_home):
    data = open_data(fixture_home)
    yield data
    data.close()


@pytest.fixture(scope="module")
def with_data(assistant_, data) -> Assistant:
    """The built-in knowledge base's engine (built once for the session) with the fixture data."""
    a = assistant_
    core = prebuilt.Core(a.kb, a.facts, a.lexicon, a.retriever, a.composer, a.verdicts)
    return Assistant(core.kb, data_source=lambda: data, core=core)


@pytest.fixture(scope="module")
def real_data(real_hcpcs):
    _, home = real_hcpcs  # imported once per test process (conftest)
    data = open_data(home)
    yield data
    data.close()


def rows(card: str) -> dict[str, str]:
    import re

    return dict(re.findall(r"^\| \*\*(.+?)\*\* \| (.*) \|$", card, re.MULTILINE))


# --- typing slips ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["E06O1", "EO601", "E060l", "e06o1"])
def test_typing_slips_lead_to_the_code_in_the_file(facts, data, typed):
    info = codes.classify(typed, facts, data)
    assert (info.code, info.known, info.typed) == ("E0601", True, typed)
    assert info.description == "Continuous positive airway pressure (cpap) device"
    card = cards.card(info)
    assert card.splitlines()[0] == "### `E0601` · HCPCS Level II"
    assert "was read as `E0601`" in card.splitlines()[2]
    assert "ICD-10-CM" not in card and "not the shape" not in card


def test_typing_slip_to_a_code_not_in_the_file_is_not_presented_as_real(facts, data):
    info = codes.classify("E06O9", facts, data)  # E0609 is not in the fixture
    assert (info.code, info.known) == ("E0609", False)
    card = cards.card(info)
    assert "not in the January 2026 HCPCS file" in card
    assert "is a HCPCS Level II code" not in card


@pytest.mark.parametrize("question", ["what is E06O1", "EO601 for sleep apnea?", "e060l?"])
def test_typing_slips_in_a_question(with_data, question):
    assistant = with_data
    reply = assistant.answer(question)
    assert [c.code for c in reply.codes] == ["E0601"]
    assert "Continuous positive airway pressure (cpap) device" in reply.markdown


def test_typing_slip_on_the_command_line(fixture_home):
    result = _run("code", "E06O1", "EO601", "E060l", "--json", data_dir=fixture_home)
    assert result.returncode == 0, result.stderr
    infos = result.json_lines()
    assert [(c["code"], c["known"], c["status"]) for c in infos] == [("E0601", True, "active")] * 3


# --- codes the file does not have ---------------------------------------------------------------


def test_level2_code_not_in_the_file_names_the_release_and_nearest_codes_first(facts, data):
    info = codes.classify("J1754", facts, data)
    assert info.known is False
    assert info.suggestions[0][0] == "J1745"
    lines = cards.card(info).splitlines()
    assert lines[0] == "### `J1754` · not in the HCPCS Level II file"
    assert lines[2] == (
        "`J1754` is shaped like a HCPCS Level II code, but not in the January 2026 HCPCS file."
    )
    assert lines[4] == "Nearest valid codes:"
    assert lines[5].startswith("- `J1745`: Injection, infliximab")


@pytest.mark.parametrize("code", ["C9089", "A0427"])
def test_status_and_dates_from_the_file(facts, data, code):
    info = codes.classify(code, facts, data)
    record = data.code(code)
    assert info.status == ("active" if record.active() else "terminated")
    assert info.effective_date == record.add_date.isoformat()
    expected_end = record.term_date.isoformat() if record.term_date else None
    assert info.termination_date == expected_end


def test_terminated_code_card(facts, data):
    info = codes.classify("C9089", facts, data)
    assert datetime.date.today() > datetime.date(2025, 12, 31)  # the fixture's end date
    assert (info.status, info.termination_date) == ("terminated", "2025-12-31")
    assert rows(cards.card(info))["Status"] == "terminated: last valid on 2025-12-31"


# --- modifiers from the file ---------------------------------------------------------------------


@pytest.mark.parametrize("entry", fx.MODIFIERS, ids=[m[0] for m in fx.MODIFIERS])
def test_every_fixture_modifier_has_its_official_card(facts, data, entry):
    code, long_lines = entry[0], entry[1]
    info = codes.classify(code.lower(), facts, data, shape="modifier")
    assert (info.code, info.system, info.known) == (code, "HCPCS Level II modifier", True)
    assert info.description == " ".join(long_lines)
    expected = "terminated" if code in fx.TERMINATED_MODIFIERS else "active"
    assert info.status == expected
    card = cards.card(info)
    assert rows(card)["Description"] == cards.md_text(info.description)
    assert rows(card)["Status"].startswith(expected if expected == "terminated" else "active")


@pytest.mark.parametrize(
    "question",
    ["what is modifier gx", "modifier ga?", "when do I use GA vs GZ", "-jw on a drug line"],
)
def test_modifiers_in_questions_with_data(with_data, question):
    assistant = with_data
    reply = assistant.answer(question)
    assert reply.codes, question
    for c in reply.codes:
        assert c.system == "HCPCS Level II modifier"


@needs_real
def test_every_modifier_of_the_real_file_has_its_official_card(facts, real_data):
    modifiers = real_data._query("SELECT code FROM records WHERE kind = 1")
    assert len(modifiers) == 383
    for (code,) in modifiers:
        record = real_data.modifier(code)
        info = codes.classify(code, facts, real_data, shape="modifier")
        if info.system == "CPT modifier":  # the file also lists CPT's P1-P6, 1P-8P
            continue
        assert info.system == "HCPCS Level II modifier", code
        assert info.description == record.long_description, code
        assert info.status == ("active" if record.active() else "terminated"), code
        assert info.known is True
    for code in ("GX", "GA", "GY", "GZ", "KX"):
        info = codes.classify(code, facts, real_data, shape="modifier")
        assert info.description and info.status == "active", code


@needs_real
@pytest.mark.parametrize(
    ("typed", "code"), [("E06O1", "E0601"), ("EO601", "E0601"), ("E060l", "E0601")]
)
def test_typing_slips_on_the_real_file(facts, real_data, typed, code):
    info = codes.classify(typed, facts, real_data)
    assert (info.code, info.known) == (code, True)


@needs_real
def test_real_code_not_in_the_file(facts, real_data):
    info = codes.classify("J9998", facts, real_data)
    assert info.known is False
    assert info.suggestions and all(real_data.code(c) is not None for c, _ in info.suggestions)
    assert "not in the January 2026 HCPCS file" in cards.card(info)


# --- the S section's maintainer comes from the facts table ----------------------------------------


def test_s_code_card_names_the_maintainer_of_the_facts_table(tmp_path):
    """The card shows whatever the facts table's Maintainer column says for the S section."""
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge" / "facts", root / "facts")
    (root / "entries").mkdir()
    (root / "entries" / "01.md").write_text("# T\n\n" + entry_md("only", ["q"]), encoding="utf-8")
    table = root / "facts" / "hcpcs-level2.md"
    lines = table.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Letter"))
    column = [c.strip().lower() for c in lines[header].split("|")].index("maintainer")
    s_row = next(i for i, line in enumerate(lines) if line.startswith("| S |"))
    cells = lines[s_row].split("|")
    cells[column] = " BCBSA and AHIP (test wording) "
    lines[s_row] = "|".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    knowledge = kb.load(root)
    assert facts_module.check(knowledge) == []
    facts = facts_module.build(knowledge)
    assert facts.level2["S"].maintainer == "BCBSA and AHIP (test wording)"

    info = codes.classify("S9083", facts)
    assert info.maintainer == "BCBSA and AHIP (test wording)"
    card = cards.card(info)
    assert rows(card)["Maintained by"] == "BCBSA and AHIP (test wording)"
    assert "maintained by BCBSA and AHIP (test wording) for private payers" in card
    assert "Medicare does not pay S codes" in card
    assert "CMS" not in card.split("Maintained by", 1)[1].split("\n", 1)[0]


def test_s_code_card_with_the_builtin_facts(facts):
    card = cards.card(codes.classify("S9083", facts))
    assert rows(card)["Maintained by"] == facts.level2["S"].maintainer
    assert f"maintained by {facts.level2['S'].maintainer} for private payers" in card
