"""Importing into SQLite, atomic replacement, and reading back (the fixture file)."""

from __future__ import annotations

import datetime
import sqlite3
import threading
from pathlib import Path

import hcpcs_fixture as fx  # noqa: E402 - tests/fixtures/hcpcs is on sys.path (conftest)
import platformdirs
import pytest

from assistant.hcpcs import (
    DataUnavailable,
    HcpcsData,
    ImportFailed,
    ImportSummary,
    data_dir,
    import_file,
    open_data,
)
from assistant.hcpcs.paths import DB_NAME

D = datetime.date
RELEASE = "January 2026 (HCPC2026_JAN_ANWEB_FIXTURE)"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("HCPCS_ASSISTANT_DATA", str(home))
    return home


@pytest.fixture
def imported(data_home, tmp_path) -> HcpcsData:
    import_file(fx.write_zip(tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"))
    data = open_data()
    assert data is not None
    yield data
    data.close()


def write_txt(path: Path, body: str) -> Path:
    path.write_bytes(body.encode("ascii"))
    return path


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HCPCS_ASSISTANT_DATA", str(tmp_path / "x"))
    assert data_dir() == tmp_path / "x"
    monkeypatch.delenv("HCPCS_ASSISTANT_DATA")
    assert data_dir() == Path(platformdirs.user_data_dir("hcpcs-assistant"))


def test_nothing_imported_gives_none(data_home):
    assert open_data() is None
    assert not data_home.exists()


def test_import_zip_summary(data_home, tmp_path):
    zipped = fx.write_zip(tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip")
    summary = import_file(zipped)
    assert isinstance(summary, ImportSummary)
    assert summary.release == RELEASE
    assert summary.codes == fx.CODE_COUNT
    assert summary.active_codes == fx.CODE_COUNT - len(fx.TERMINATED_CODES)
    assert summary.modifiers == fx.MODIFIER_COUNT
    assert summary.active_modifiers == fx.MODIFIER_COUNT - len(fx.TERMINATED_MODIFIERS)
    assert summary.effective == D(2026, 1, 1)
    assert summary.replaced is None
    text = str(summary)
    assert RELEASE in text
    assert f"{fx.CODE_COUNT} codes ({fx.CODE_COUNT - 1} active on 2026-01-01)" in text
    assert (data_home / DB_NAME).is_file()
    assert [p.name for p in data_home.iterdir()] == [DB_NAME]  # no temporary file left


def test_import_txt_into_an_explicit_directory(tmp_path, data_home):
    txt = write_txt(tmp_path / fx.FIXTURE_NAME, fx.text())
    summary = import_file(txt, tmp_path / "elsewhere")
    assert summary.codes == fx.CODE_COUNT
    assert open_data() is None  # the default directory is untouched
    data = open_data(tmp_path / "elsewhere")
    assert data.release == RELEASE
    assert data.counts["codes"] == fx.CODE_COUNT


def test_code_and_modifier_lookups(imported):
    e0601 = imported.code("E0601")
    assert e0601.long_description == "Continuous positive airway pressure (cpap) device"
    assert e0601.short_description == "Cont airway pressure device"
    assert e0601.add_date == D(1988, 1, 1)
    assert e0601.term_date is None and not e0601.is_modifier
    assert imported.code("e0601 ") == e0601
    assert imported.code("E0602") is None
    assert imported.code("LT") is None  # a modifier is not a code
    lt = imported.modifier("LT")
    assert lt.is_modifier and lt.short_description == "Left side"
    assert imported.modifier("-lt") == lt
    assert imported.modifier("E0601") is None
    assert imported.modifier("59") is None  # CPT modifiers are not in the CMS file
    xe = imported.modifier("XE")
    assert xe.long_description == (
        "Separate encounter, a service that is distinct because it occurred during a "
        "separate encounter"
    )


def test_terminated_records_are_kept(imported):
    c9089 = imported.code("C9089")
    assert c9089.term_date == D(2025, 12, 31)
    assert c9089.active(D(2025, 12, 31)) and not c9089.active(D(2026, 1, 1))
    jg = imported.modifier("JG")
    assert jg.term_date == D(2024, 12, 31) and not jg.active(D(2026, 1, 1))


def test_release_facts(imported):
    assert imported.release == RELEASE
    assert imported.effective_date == D(2026, 1, 1)
    assert imported.counts == {
        "codes": fx.CODE_COUNT,
        "active_codes": fx.CODE_COUNT - 1,
        "modifiers": fx.MODIFIER_COUNT,
        "active_modifiers": fx.MODIFIER_COUNT - 1,
    }


def test_text_is_kept_as_plain_text(data_home, tmp_path):
    odd = ("E0601", ["Device <b>[bold]</b> & *stars* `tick`"], "Short [x]", "36",
           "19880101", "20140101", "", "N")  # fmt: skip
    import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text(codes=[odd], modifiers=[])))
    assert open_data().code("E0601").long_description == "Device <b>[bold]</b> & *stars* `tick`"


def test_opening_is_lazy(imported, data_home):
    data = open_data()
    assert data._conn is None  # nothing read until first use
    data.code("E0601")
    assert data._conn is not None
    data.close()


def test_lookups_from_other_threads(imported):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(imported.code("V5266").code))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["V5266"] * 4


# --------------------------------------------------------------- failed imports keep old data


def _snapshot(directory: Path):
    data = open_data(directory)
    try:
        return data.release, data.code("E0601"), data.counts
    finally:
        data.close()


@pytest.mark.parametrize("name", sorted(fx.malformed_variants()))
def test_malformed_import_keeps_the_old_data(name, imported, data_home, tmp_path):
    before = _snapshot(data_home)
    body, number, part = fx.malformed_variants()[name]
    bad = write_txt(tmp_path / fx.FIXTURE_NAME, body)
    with pytest.raises(ImportFailed) as info:
        import_file(bad)
    assert str(info.value).startswith(f"record {number}: ")
    assert part in str(info.value)
    assert _snapshot(data_home) == before
    assert [p.name for p in data_home.iterdir()] == [DB_NAME]


def test_malformed_zip_import_keeps_the_old_data(imported, data_home, tmp_path):
    before = _snapshot(data_home)
    body, number, _ = fx.malformed_variants()["truncated"]
    bad = fx.write_zip(tmp_path / "bad.zip", body=body)
    with pytest.raises(ImportFailed, match=f"^record {number}: .*truncated"):
        import_file(bad)
    assert _snapshot(data_home) == before


@pytest.mark.parametrize("kind", ["missing", "empty", "directory", "zip-without-txt", "csv"])
def test_wrong_files_keep_the_old_data(kind, imported, data_home, tmp_path):
    before = _snapshot(data_home)
    target = tmp_path / "input"
    if kind == "empty":
        target.write_bytes(b"")
    elif kind == "directory":
        target.mkdir()
    elif kind == "zip-without-txt":
        import zipfile

        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("codes.xlsx", b"PK")
    elif kind == "csv":
        target.write_text("code,short_description,long_description\nE0601,Cpap,Cpap device\n")
    with pytest.raises(ImportFailed) as info:
        import_file(target)
    assert "\n" not in str(info.value)
    assert _snapshot(data_home) == before


def test_unwritable_data_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ImportFailed, match="data directory"):
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()), blocker / "sub")


def test_newer_release_replaces_the_older(data_home, tmp_path):
    older_codes = [c for c in fx.CODES if c[0] != "E0143"]  # pretend E0143 is new in 2026
    older_codes = [(c[0], ["Old wording"], *c[2:]) if c[0] == "V5266" else c for c in older_codes]
    older = write_txt(tmp_path / "HCPC2025_OCT_ANWEB_10012025.txt", fx.text(codes=older_codes))
    first = import_file(older)
    assert first.release == "October 2025 (HCPC2025_OCT_ANWEB_10012025)"
    data = open_data()
    assert data.code("V5266").long_description == "Old wording"
    assert data.code("E0143") is None
    data.close()

    newer = fx.write_zip(tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip")
    second = import_file(newer)
    assert second.replaced == first.release
    assert "replaces the previously imported release October 2025" in str(second)
    data = open_data()
    assert data.release == RELEASE
    assert data.code("V5266").long_description == "Battery for use in hearing device"
    assert data.code("E0143") is not None
    assert data.counts["codes"] == fx.CODE_COUNT
    data.close()
    assert not second.replaces_newer


def test_an_older_release_replaces_too_with_a_note(data_home, tmp_path):
    import_file(fx.write_zip(tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"))
    older = write_txt(tmp_path / "HCPC2025_OCT_ANWEB_10012025.txt", fx.text())
    summary = import_file(older)
    assert summary.replaced == RELEASE and summary.replaces_newer
    assert "more recent" in str(summary)
    assert open_data().release == "October 2025 (HCPC2025_OCT_ANWEB_10012025)"


def test_an_open_reader_keeps_working_across_an_import(imported, data_home, tmp_path):
    assert imported.code("E0601") is not None
    import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert imported.code("E0601") is not None  # still reads the file it opened


# --------------------------------------------------------------- damaged databases


def _one_line_unavailable(call):
    with pytest.raises(DataUnavailable) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    assert "import-hcpcs" in message
    return message


def test_garbage_database(data_home):
    data_home.mkdir()
    (data_home / DB_NAME).write_bytes(b"this is not a database" * 100)
    assert "damaged" in _one_line_unavailable(open_data)


def test_empty_database_file(data_home):
    data_home.mkdir()
    (data_home / DB_NAME).write_bytes(b"")
    _one_line_unavailable(open_data)


def test_truncated_database(imported, data_home):
    imported.close()
    path = data_home / DB_NAME
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])
    assert "truncated" in _one_line_unavailable(open_data)


def test_damaged_pages_are_reported_on_first_use(imported, data_home):
    imported.close()
    path = data_home / DB_NAME
    raw = bytearray(path.read_bytes())
    for i in range(4096, len(raw), 3):  # keep the header page, scribble over the rest
        raw[i] = 0x5A
    path.write_bytes(bytes(raw))
    data = open_data()

    def use():
        data.code("E0601")
        data.search("cpap")

    _one_line_unavailable(use)


def test_a_database_of_something_else(data_home):
    data_home.mkdir()
    conn = sqlite3.connect(data_home / DB_NAME)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    data = open_data()
    _one_line_unavailable(lambda: data.code("E0601"))
    _one_line_unavailable(lambda: data.release)


def test_a_database_from_another_version(imported, data_home):
    imported.close()
    conn = sqlite3.connect(data_home / DB_NAME)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    message = _one_line_unavailable(lambda: open_data().code("E0601"))
    assert "another version" in message


def test_database_path_is_a_directory(data_home):
    (data_home / DB_NAME).mkdir(parents=True)
    _one_line_unavailable(open_data)


def test_import_over_a_damaged_database_repairs_it(data_home, tmp_path):
    data_home.mkdir()
    (data_home / DB_NAME).write_bytes(b"junk")
    summary = import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert summary.replaced == "(an unreadable earlier database)"
    assert open_data().code("E0601") is not None
