"""Integration: the real CMS January 2026 Alpha-Numeric HCPCS zip (skipped when absent).

Counts and texts are those of PROVENANCE.md beside the zip. "Active" is counted as of the
release's effective date, 2026-01-01: no termination date, or one on or after that day.
"""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest

from assistant.codes.hcpcs import HcpcsData, import_file, open_data

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hcpcs"
CMS_ZIP = SHARED / "january-2026-alpha-numeric-hcpcs-file.zip"
RELEASE = "January 2026 (HCPC2026_JAN_ANWEB_01122026)"
JAN_1 = datetime.date(2026, 1, 1)

pytestmark = pytest.mark.skipif(not CMS_ZIP.is_file(), reason="CMS HCPCS zip not present")


@pytest.fixture(scope="module")
def imported(real_hcpcs):
    summary, home = real_hcpcs  # imported once per test process (conftest)
    data = open_data(home)
    yield summary, data
    data.close()


@pytest.fixture(scope="module")
def data(imported) -> HcpcsData:
    return imported[1]


def test_summary_counts(imported):
    summary, _ = imported
    assert summary.release == RELEASE
    assert summary.effective == JAN_1
    assert summary.codes == 8623
    assert summary.active_codes == 7323  # as of 2026-01-01
    assert summary.modifiers == 383
    assert summary.active_modifiers == 363
    assert str(summary).splitlines()[:2] == [
        f"Imported HCPCS Level II release {RELEASE}.",
        "8,623 codes (7,323 active on 2026-01-01), 383 modifiers (363 active on 2026-01-01).",
    ]


def test_uses_the_environment_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HCPCS_ASSISTANT_DATA", str(tmp_path))
    assert open_data() is None
    txt = tmp_path / "HCPC2026_JAN_ANWEB_01122026.txt"
    with zipfile.ZipFile(CMS_ZIP) as archive:
        txt.write_bytes(archive.read("HCPC2026_JAN_ANWEB_01122026.txt"))
    summary = import_file(txt)  # the TXT inside the zip imports the same
    assert (summary.release, summary.codes, summary.active_codes) == (RELEASE, 8623, 7323)
    assert open_data().code("V5266") is not None


@pytest.mark.parametrize(
    "code, description",
    [
        ("V5266", "Battery for use in hearing device"),
        ("E0601", "Continuous positive airway pressure (cpap) device"),
        ("J1745", "Injection, infliximab, excludes biosimilar, 10 mg"),
        ("A0427", "Ambulance service, advanced life support, emergency transport, level 1 "
                  "(als 1 - emergency)"),
        ("E0114", "Crutches underarm, other than wood, adjustable or fixed, pair, with pads, "
                  "tips and handgrips"),
        ("A4253", "Blood glucose test or reagent strips for home blood glucose monitor, per 50 "
                  "strips"),
        ("K0001", "Standard wheelchair"),
        ("G0008", "Administration of influenza virus vaccine"),
    ],
)  # fmt: skip
def test_descriptions(data, code, description):
    record = data.code(code)
    assert record is not None and not record.is_modifier
    assert record.long_description == description
    assert record.active(JAN_1)


def test_a_terminated_code(data):
    c9089 = data.code("C9089")
    assert c9089.term_date == datetime.date(2025, 12, 31)
    assert c9089.active(datetime.date(2025, 12, 31))
    assert not c9089.active(JAN_1)


def test_modifiers(data):
    lt = data.modifier("LT")
    assert lt.is_modifier
    assert lt.long_description == (
        "Left side (used to identify procedures performed on the left side of the body)"
    )
    jw = data.modifier("JW")
    assert jw.long_description == "Drug amount discarded/not administered to any patient"
    assert jw.active(JAN_1)
    assert data.modifier("59") is None  # CPT (Level I) modifiers are not in the file
    assert data.code("99213") is None  # nor CPT codes


def test_search_for_the_common_items(data):
    def first(words):
        results = data.search(words, on=JAN_1)
        return results[0][0].code if results else None

    assert first("cpap machine") == "E0601"
    assert first("what is the code for a cpap machine") == "E0601"
    assert first("hearing aid battery code") == "V5266"
    crutches = [r.code for r, _ in data.search("crutches", on=JAN_1)]
    assert {"E0110", "E0114"} <= set(crutches[:4])
    assert first("wheelchair cushion").startswith("E26")
    assert "A4253" in [r.code for r, _ in data.search("glucose test strips", on=JAN_1)][:3]
    assert first("oxygen concentrator") in {"E1390", "E1391", "E1392"}
    assert data.search("pizza delivery", on=JAN_1) == []


def test_nearest_on_the_real_file(data):
    assert data.nearest("EO6O1", on=JAN_1)[0].code == "E0601"
    assert data.nearest("J1754", on=JAN_1)[0].code == "J1745"
    assert data.nearest("V5626", on=JAN_1)[0].code == "V5266"
