"""Privacy: no question or answer is written to disk unless the user exports a conversation.

Questions go through the command line and the chat app with HOME, the XDG directories, the
temporary directory and the working directory all pointed at empty temporary directories;
afterwards nothing may exist there, except the data directory's own database after an import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA_ENV, ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "hcpcs" / "HCPC2026_JAN_ANWEB_FIXTURE.txt"
SECRET = "patient Jane Roe MRN 4417 needs E0601 and 99213 modifier 25"
QUESTIONS = [SECRET, "what are j codes", "zxcvbnm", "J1745 or modifier 59"]
XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


@pytest.fixture
def sandbox(tmp_path) -> dict[str, Path]:
    """Empty home, XDG, temporary and working directories."""
    dirs = {"HOME": tmp_path / "home", "TMPDIR": tmp_path / "tmp", "cwd": tmp_path / "cwd"}
    dirs.update({name: tmp_path / name.lower() for name in XDG})
    for path in dirs.values():
        path.mkdir()
    return dirs


def files_in(sandbox: dict[str, Path]) -> set[Path]:
    return {p for root in sandbox.values() for p in root.rglob("*") if not p.is_dir()}


def run(sandbox, *args: str, stdin: str = ""):
    env = {k: v for k, v in os.environ.items() if k != DATA_ENV and not k.startswith("XDG_")}
    env.update({k: str(v) for k, v in sandbox.items() if k != "cwd"})
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=sandbox["cwd"],
        env=env,
        timeout=120,
    )


def ask_everything(sandbox) -> None:
    assert run(sandbox, "ask", SECRET).returncode == 0
    assert run(sandbox, "ask", "--json", stdin="\n".join(QUESTIONS) + "\n").returncode == 0
    assert run(sandbox, "code", "E0601", "99213", "LT").returncode == 0
    run(sandbox, "search", "cpap", "machine")
    assert run(sandbox, "kb").returncode == 0


def test_command_line_writes_nothing(sandbox):
    ask_everything(sandbox)
    assert files_in(sandbox) == set()


def test_command_line_with_imported_data_writes_only_the_database(sandbox):
    result = run(sandbox, "import-hcpcs", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    database = {p for p in files_in(sandbox)}
    assert len(database) == 1
    (db,) = database
    assert db.name == "hcpcs.sqlite3" and sandbox["XDG_DATA_HOME"] in db.parents
    before = (db.stat().st_size, db.stat().st_mtime_ns)
    ask_everything(sandbox)
    assert files_in(sandbox) == database  # no journal, no history, no cache
    assert (db.stat().st_size, db.stat().st_mtime_ns) == before
    assert SECRET.encode() not in db.read_bytes()


async def test_chat_app_writes_nothing(sandbox, monkeypatch):
    from assistant.tui.app import STEADY, make_app

    monkeypatch.delenv(DATA_ENV, raising=False)
    for name, path in sandbox.items():
        if name != "cwd":
            monkeypatch.setenv(name, str(path))
    monkeypatch.chdir(sandbox["cwd"])
    app = make_app(options=STEADY)
    async with app.run_test(size=(120, 40)) as pilot:
        for question in QUESTIONS:
            app.question_box.value = question
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert len(app.exchanges) == len(QUESTIONS)
        assert all(e.answer is not None for e in app.exchanges)
        await pilot.press("up", "up")  # the history lives in memory only
        await pilot.pause()
    assert files_in(sandbox) == set()
