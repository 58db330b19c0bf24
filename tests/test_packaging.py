"""The knowledge base and the chat app's styles ship inside the wheel, so an installed copy
works outside the repository."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# What a build front end (pip, build) does: call the build backend named in pyproject.toml, in a
# process of its own, from the project's directory (here without an isolated environment: the
# backend and what the build step needs are installed in the test environment).
BUILD = """
import importlib, sys, tomllib
backend = tomllib.load(open("pyproject.toml", "rb"))["build-system"]["build-backend"]
print(importlib.import_module(backend).build_wheel(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    (built,) = out.glob("hcpcs_assistant-*.whl")
    assert done.stdout.split()[-1] == built.name
    return built


def test_wheel_carries_every_knowledge_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "knowledge").rglob("*.md"):
        rel = path.relative_to(ROOT / "knowledge").as_posix()
        assert f"assistant/knowledge/{rel}" in names


def test_wheel_carries_the_app_styles(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "assistant").rglob("*.tcss"):
        assert path.relative_to(ROOT).as_posix() in names


def test_installed_copy_answers_outside_the_repo(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from assistant.core import kb; from assistant.core.answer import answer;"
        "print(kb.default_dir()); print(answer('what are j codes').entry_id)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"HCPCS_ASSISTANT_DATA": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
    )
    where, entry = out.stdout.split()
    assert Path(where) == target / "assistant" / "knowledge"
    assert entry == "level2-j-codes"


def test_wheel_carries_the_icd_index(wheel, tmp_path):
    """The build writes the compact ICD-10-CM index into the wheel; installed, the look-up uses
    it and never loads the whole code set."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "assistant/codes/icd10cm.idx" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from assistant.codes import icd; info = icd.lookup('E11.9');"
        "print(icd.source(), info.billable, 'simple_icd_10_cm' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["index", "True", "False"]
