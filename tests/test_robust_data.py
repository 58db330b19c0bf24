"""A missing, unreadable or corrupt HCPCS database never stops the assistant: answers still
come, code cards say the data is unavailable, and the command line says what is wrong in one
line on stderr, once per run. Failures are tried at opening and lazily, on the first look-up.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA_ENV, ROOT, cli_in_process
from test_contract import check_answer, check_codeinfo

from assistant.codes import cards
from assistant.codes import classify as codes
from assistant.codes.hcpcs import DataUnavailable, import_file
from assistant.codes.hcpcs.paths import DB_NAME
from assistant.core import prebuilt
from assistant.core.answer import Assistant, _open_user_data

FIXTURE = ROOT / "tests" / "fixtures" / "hcpcs" / "HCPC2026_JAN_ANWEB_FIXTURE.txt"
PROBLEM = (
    "the HCPCS database is damaged; re-import the CMS file with: hcpcs-assistant import-hcpcs FILE"
)
QUESTIONS = [
    "E0601",
    "what is E0601",
    "modifier LT",
    "E0601 LT and 99213",
    "what is the code for a cpap machine",
    "crutches",
    "what are j codes",
    "is J1745 a cpt code",
    "zxcvbnm",
]


class Record:
    code = "E0601"
    long_description = "Continuous positive airway pressure (cpap) device"
    add_date = None
    term_date = None

    def active(self):
        return True


class Data:
    """A stand-in for the imported data; ``fail`` names the methods that raise."""

    def __init__(self, fail=()):
        self.fail = set(fail)
        self.calls = 0

    def _maybe_fail(self, name):
        self.calls += 1
        if name in self.fail:
            raise DataUnavailable(PROBLEM)

    def check(self):
        self._maybe_fail("check")

    def close(self):
        pass

    @property
    def release(self):
        self._maybe_fail("release")
        return "January 2026 (TEST)"

    def code(self, code):
        self._maybe_fail("code")
        return Record() if code == "E0601" else None

    def modifier(self, code):
        self._maybe_fail("modifier")
        return None

    def nearest(self, code, limit=5):
        self._maybe_fail("nearest")
        return []

    def search(self, words, limit=8):
        self._maybe_fail("search")
        return []


@pytest.fixture(scope="module")
def core(assistant_) -> prebuilt.Core:
    """The built-in knowledge base's engine (facts, lexicon, retriever, composer), built once;
    each test's assistant has its own data source around it."""
    a = assistant_
    return prebuilt.Core(a.kb, a.facts, a.lexicon, a.retriever, a.composer, a.verdicts)


def assistant_with(core, source) -> Assistant:
    return Assistant(core.kb, data_source=source, core=core)


def check_all_answers(assistant: Assistant) -> list:
    replies = [assistant.answer(q) for q in QUESTIONS]
    for reply in replies:
        check_answer(reply.to_dict())
    return replies


def level2_cards(replies) -> list:
    return [c for r in replies for c in r.codes if codes.uses_data(c)]


def assert_cards_say_unavailable(replies) -> None:
    found = level2_cards(replies)
    assert found
    for info in found:
        assert info.description is None and info.known is None
        assert codes.DATA_UNAVAILABLE_NOTE in info.notes
        card = cards.card(info)
        assert "cannot be read" in card
        assert cards.IMPORT_HINT not in card  # not "import it": it was imported, and is broken


@pytest.mark.parametrize("fail", ["open", "check", "release"])
def test_data_that_fails_on_opening(core, fail):
    def source():
        if fail == "open":
            raise DataUnavailable(PROBLEM)
        return Data(fail={fail})

    assistant = assistant_with(core, source)
    replies = check_all_answers(assistant)
    assert assistant.data_problem == PROBLEM
    assert assistant.data is None
    assert_cards_say_unavailable(replies)


@pytest.mark.parametrize("fail", ["code", "modifier", "search", "nearest"])
def test_data_that_fails_lazily_on_first_lookup(core, fail):
    data = Data(fail={fail})
    assistant = assistant_with(core, lambda: data)
    check_all_answers(assistant)
    assert assistant.data_problem == PROBLEM
    assert assistant.data is None  # dropped after the failure: not asked again and again
    calls = data.calls
    assert_cards_say_unavailable(check_all_answers(assistant))
    assert data.calls == calls


def test_an_operating_system_error_from_the_data_is_survived(core):
    class Broken(Data):
        def code(self, code):
            raise OSError(5, "Input/output error")

    assistant = assistant_with(core, Broken)
    replies = check_all_answers(assistant)
    assert "Input/output error" in assistant.data_problem
    assert "import-hcpcs" in assistant.data_problem
    assert "\n" not in assistant.data_problem
    # Every answer from the first failure on carries the one problem, for front ends to show.
    failed = next(i for i, r in enumerate(replies) if r.data_problem)
    assert all(r.data_problem == assistant.data_problem for r in replies[failed:])
    assert all(r.data_problem is None for r in replies[:failed])


def test_a_programming_error_in_the_data_is_not_hidden(core):
    class Wrong(Data):
        def code(self, code):
            raise TypeError("a bug, not a damaged file")

    assistant = assistant_with(core, Wrong)
    with pytest.raises(TypeError):
        assistant.answer("E0601")


def test_the_first_problem_is_kept(core):
    data = Data(fail={"code", "modifier", "search"})
    assistant = assistant_with(core, lambda: data)
    assistant.answer("E0601")
    first = assistant.data_problem
    check_all_answers(assistant)
    assert assistant.data_problem == first


def test_classify_survives_failing_data(facts):
    for text, shape in (("E0601", "code"), ("LT", "modifier"), ("E9999", "code")):
        info = codes.classify(text, facts, Data(fail={"code", "modifier", "nearest"}), shape)
        check_codeinfo(info.to_dict())
        assert info.data_problem == PROBLEM
        assert codes.DATA_UNAVAILABLE_NOTE in info.notes
    cpt = codes.classify("99213", facts, Data(fail={"code", "modifier"}))
    assert cpt.data_problem is None and codes.DATA_UNAVAILABLE_NOTE not in cpt.notes


def test_assistant_classify_says_unavailable(core):
    assistant = assistant_with(core, lambda: Data(fail={"check"}))
    info = assistant.classify("E0601")
    assert codes.DATA_UNAVAILABLE_NOTE in info.notes
    assert assistant.data_problem == PROBLEM


def test_nothing_imported_is_not_a_problem(core, empty_data_dir):
    assistant = assistant_with(core, _open_user_data)
    replies = check_all_answers(assistant)
    assert assistant.data_problem is None
    assert any(cards.IMPORT_HINT in cards.card(c) for c in level2_cards(replies))


# --- real databases, damaged in different ways -------------------------------------------------


def damage(data_dir: Path, how: str) -> None:
    db = data_dir / DB_NAME
    if how == "missing file, directory in its place":
        db.unlink()
        db.mkdir()
    elif how == "garbage":
        db.write_bytes(os.urandom(30000))
    elif how == "empty":
        db.write_bytes(b"")
    elif how == "truncated":
        db.write_bytes(db.read_bytes()[:5000])
    elif how == "pages overwritten":
        raw = bytearray(db.read_bytes())
        raw[4096:] = b"\x5a" * (len(raw) - 4096)
        db.write_bytes(bytes(raw))
    elif how == "fails on first look-up":  # opens, has its release, but records cannot be read
        conn = sqlite3.connect(db)
        conn.execute("ALTER TABLE records RENAME COLUMN short TO x")
        conn.commit()
        conn.close()
    elif how == "named pipe in its place":  # reading it would wait forever for a writer
        db.unlink()
        os.mkfifo(db)
    elif how == "data directory is a file":
        db.unlink()
        data_dir.rmdir()
        data_dir.write_text("not a directory")
    else:
        raise AssertionError(how)


DAMAGE = [
    "missing file, directory in its place",
    "garbage",
    "empty",
    "truncated",
    "pages overwritten",
    "fails on first look-up",
    "data directory is a file",
    *(["named pipe in its place"] if hasattr(os, "mkfifo") else []),
]


@pytest.fixture(params=DAMAGE)
def damaged(request, tmp_path) -> Path:
    data_dir = tmp_path / "data"
    import_file(FIXTURE, data_dir)
    damage(data_dir, request.param)
    return data_dir


def run(*args, data_dir: Path, stdin: str = ""):
    """The command line with ``data_dir`` as the data directory: in this process, but in a
    subprocess when the database is a named pipe, whose time limit turns a wait for a writer
    into a failure instead of a hung test run."""
    if not (data_dir / DB_NAME).is_fifo():
        return cli_in_process(*args, stdin=stdin, env={DATA_ENV: str(data_dir)})
    env = dict(os.environ, **{DATA_ENV: str(data_dir)}, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def assert_one_data_line(stderr: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("hcpcs-assistant: HCPCS data unavailable: ")
    assert "import-hcpcs" in lines[0]
    assert "Traceback" not in stderr


def test_cli_keeps_answering_and_says_so_once(damaged):
    import json

    result = run("ask", "--json", data_dir=damaged, stdin="\n".join(QUESTIONS) + "\n")
    assert result.returncode == 0
    assert_one_data_line(result.stderr)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == len(QUESTIONS)
    for reply in replies:
        check_answer(reply)
    assert codes.DATA_UNAVAILABLE_NOTE in replies[0]["codes"][0]["notes"]


def test_cli_code_cards_say_unavailable(damaged):
    result = run("code", "E0601", "-59", "LT", "J1745", data_dir=damaged)
    assert result.returncode == 0
    assert_one_data_line(result.stderr)
    assert result.stdout.count("cannot be read") == 3  # E0601, LT, J1745; not the CPT modifier


def test_cli_search_reports_in_one_line(damaged):
    result = run("search", "cpap", data_dir=damaged)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_one_data_line(result.stderr)


def test_cli_with_good_data_says_nothing(tmp_path):
    import_file(FIXTURE, tmp_path / "data")
    result = run("ask", "E0601", data_dir=tmp_path / "data")
    assert result.returncode == 0 and result.stderr == ""
    assert "Continuous positive airway pressure" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_database_is_refused_at_once_and_import_replaces_it(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    os.mkfifo(data_dir / DB_NAME)
    result = run("search", "cpap", data_dir=data_dir)
    assert result.returncode == 2
    assert_one_data_line(result.stderr)
    assert "is a named pipe, not a database file" in result.stderr

    result = run("import-hcpcs", str(FIXTURE), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "replaces the previously imported release (a broken earlier file" in result.stdout
    assert (data_dir / DB_NAME).is_file()
    result = run("search", "cpap", data_dir=data_dir)
    assert result.returncode == 0 and result.stderr == ""
    assert "E0601" in result.stdout
