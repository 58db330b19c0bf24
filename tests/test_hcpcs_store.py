"""Importing into SQLite, atomic replacement, and reading back (the fixture file)."""

from __future__ import annotations

import datetime
import os
import sqlite3
import sys
import threading
from pathlib import Path

import hcpcs_fixture as fx  # noqa: E402 - tests/fixtures/hcpcs is on sys.path (conftest)
import platformdirs
import pytest

from assistant.codes.hcpcs import (
    DataUnavailable,
    HcpcsData,
    ImportFailed,
    ImportSummary,
    data_dir,
    import_file,
    open_data,
)
from assistant.codes.hcpcs.paths import DB_NAME

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


# --------------------------------------------------------------- files that are not files

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")


@posix_only
def test_a_named_pipe_or_a_device_as_the_import_file_is_refused_at_once(data_home, tmp_path):
    fifo = tmp_path / "HCPC2026_JAN_ANWEB.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer
    with pytest.raises(ImportFailed, match=r"is a named pipe, not a regular file"):
        import_file(fifo)
    with pytest.raises(ImportFailed, match=r"/dev/zero is a device, not a regular file"):
        import_file("/dev/zero")  # reading it would never end
    assert not data_home.exists()


@posix_only
def test_a_named_pipe_as_the_database_is_refused_and_replaced(data_home, tmp_path):
    data_home.mkdir()
    os.mkfifo(data_home / DB_NAME)
    message = _one_line_unavailable(open_data)
    assert "is a named pipe, not a database file" in message
    summary = import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert summary.replaced == "(a broken earlier file, not a database)"
    assert open_data().code("E0601") is not None


def test_the_database_path_taken_by_a_directory_is_named(data_home, tmp_path):
    (data_home / DB_NAME).mkdir(parents=True)
    with pytest.raises(ImportFailed, match="it is a directory") as info:
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert info.value.in_data_dir


# --------------------------------------------------------------- temporary files


def test_a_killed_import_s_temporary_file_is_removed_by_the_next(imported, data_home, tmp_path):
    stale = data_home / ".hcpcs-import-k1ll3d.tmp"
    stale.write_bytes(b"half a database" * 1000)
    import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert sorted(p.name for p in data_home.iterdir()) == [DB_NAME]


@pytest.mark.skipif(os.name != "posix", reason="advisory locks")
def test_a_running_import_s_temporary_file_is_left_alone(imported, data_home, tmp_path):
    import fcntl

    running = data_home / ".hcpcs-import-running.tmp"
    with running.open("wb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as the import that writes it does
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
        assert running.exists()
    import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert not running.exists()


def test_a_failed_import_leaves_no_temporary_file(imported, data_home, tmp_path):
    body, _, _ = fx.malformed_variants()["duplicate-code"]  # found after writing began
    with pytest.raises(ImportFailed, match="appears twice"):
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, body))
    assert sorted(p.name for p in data_home.iterdir()) == [DB_NAME]


# --------------------------------------------------------------- messages name the cause


def _fails_with(errno_value):
    def fail(*args, **kwargs):
        raise OSError(errno_value, os.strerror(errno_value))

    return fail


def test_a_full_disk_is_named(imported, data_home, tmp_path, monkeypatch):
    import errno

    monkeypatch.setattr(os, "replace", _fails_with(errno.ENOSPC))
    with pytest.raises(ImportFailed) as info:
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert info.value.in_data_dir
    assert str(info.value) == (
        f"cannot write the HCPCS database in {data_home}: the disk is full (no space left on "
        "device); the data imported before is unchanged"
    )
    monkeypatch.undo()
    assert sorted(p.name for p in data_home.iterdir()) == [DB_NAME]


def test_a_full_disk_found_by_sqlite_is_named(data_home, tmp_path, monkeypatch):
    from assistant.codes.hcpcs import store

    def full(*args, **kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13  # SQLITE_FULL
        raise error

    monkeypatch.setattr(store, "_build", full)
    with pytest.raises(ImportFailed, match="the disk is full"):
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))


@pytest.mark.parametrize(
    ("errno_name", "words"),
    [("EROFS", "it is on a read-only file system"), ("EACCES", "permission denied")],
)
def test_a_data_directory_that_cannot_be_written_is_not_blamed_on_the_file(
    data_home, tmp_path, monkeypatch, errno_name, words
):
    import errno
    import tempfile

    data_home.mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", _fails_with(getattr(errno, errno_name)))
    with pytest.raises(ImportFailed) as info:
        import_file(write_txt(tmp_path / fx.FIXTURE_NAME, fx.text()))
    assert str(info.value) == f"cannot write in the data directory {data_home}: {words}"
    assert info.value.in_data_dir


def test_an_unreadable_import_file_is_named_as_the_input(data_home, tmp_path, monkeypatch):
    import errno

    from assistant.core import files

    txt = write_txt(tmp_path / fx.FIXTURE_NAME, fx.text())
    monkeypatch.setattr(files, "open_regular", _fails_with(errno.EACCES))
    with pytest.raises(ImportFailed) as info:
        import_file(txt)
    assert str(info.value) == f"cannot read {txt}: permission denied"
    assert not info.value.in_data_dir
    assert not data_home.exists()


# --------------------------------------------------------------- streaming


def test_records_are_given_out_while_the_file_is_still_being_read():
    from assistant.codes.hcpcs.parse import iter_records

    read = []

    def lines():
        for line in fx.lines():
            read.append(line)
            yield line.encode("ascii")

    records = iter_records(lines(), "x.txt")
    first = next(records)
    assert first.code == fx.MODIFIERS[0][0]
    assert len(read) < len(fx.lines()) // 4  # only what the first record needed was read
    assert len([first, *records]) == fx.MODIFIER_COUNT + fx.CODE_COUNT


@pytest.mark.parametrize("chunk", [7, 320, 1000, 1 << 16])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", ""])
def test_the_file_is_read_in_chunks_whatever_their_size(chunk, line_end):
    import io

    from assistant.codes.hcpcs.parse import stream_lines

    good = fx.lines()
    body = "".join(line + line_end for line in good).encode("ascii")
    assert list(stream_lines(io.BytesIO(body), chunk)) == [line.encode() for line in good]


def test_a_big_file_imports_all_its_codes(data_home, tmp_path):
    big = tmp_path / "HCPC2026_JAN_ANWEB_BIG.txt"
    count = fx.write_big_txt(big, 3 * 1024 * 1024)
    summary = import_file(big)
    assert summary.codes == count > 4000
    assert summary.modifiers == fx.MODIFIER_COUNT
    data = open_data()
    assert data.counts["codes"] == count
    data.close()


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "", "/srv/xdg-data"])
def test_the_default_data_dir_is_where_platformdirs_puts_it(monkeypatch, xdg):
    """Without the variable, the data directory is platformdirs' user data dir, worked out
    without importing platformdirs on Linux."""
    from assistant.codes.hcpcs import paths

    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert paths.data_dir() == Path(platformdirs.user_data_dir(paths.APP_NAME))
