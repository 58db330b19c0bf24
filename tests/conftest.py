"""Shared fixtures for the headless core: one built-in knowledge base and assistant per session,
command-line runners (in this process, and in a subprocess), and a writer for small knowledge
directories.

No test may see the user's imported HCPCS data: the whole session runs with
``HCPCS_ASSISTANT_DATA`` pointed at an empty directory, and subprocesses get the same.

The command line is run in this process (``run_cli``): ``main(argv)`` with stdin, stdout and
stderr replaced by byte buffers, as a pipe would give them. ``run_process`` starts the real
program (``python -m assistant``); it is kept for what only a process shows: start-up, exit
status as the shell sees it, the output streams themselves, and one test of each point of the
command-line contract end to end.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The hand-written CMS-layout fixture and its generator: `import hcpcs_fixture` in tests.
sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "hcpcs"))
# Generated inputs near the size limits (`import bigkb`), shared with scripts/bench.py.
sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
DATA_ENV = "HCPCS_ASSISTANT_DATA"
# The real CMS January 2026 Alpha-Numeric HCPCS file, beside the repository (tests only).
CMS_ZIP = ROOT.parent / "shared" / "data" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip"


# The test files that take longest, longest first. `make test` runs the suite on two processes
# (pytest-xdist, --dist loadfile), which take whole files in the order collected, each taking the
# next file as it finishes one: started first, the long files run beside the many short ones
# instead of leaving one process busy alone at the end. The other files follow in their usual
# order.
SLOW_FIRST = (
    "test_tui.py",
    "test_serve.py",
    "test_tui_quiz.py",
    "test_kb.py",
    "test_tui_snapshots.py",
    "test_icd.py",
    "test_code_questions.py",
    "test_robust_privacy.py",
    "test_engine.py",
)


def pytest_configure(config):
    if hasattr(config.option, "loadscopereorder"):  # pytest-xdist: keep the files in our order,
        config.option.loadscopereorder = False  # not by their number of tests


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a process of `pytest -n`
        rank = {name: i for i, name in enumerate(SLOW_FIRST)}
        items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable


@pytest.fixture(scope="session")
def empty_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("no-imported-data")


@pytest.fixture(scope="session", autouse=True)
def _no_user_data(empty_data_dir):
    """Keep the user's real data directory out of every test in this session."""
    before = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(empty_data_dir)
    yield
    if before is None:
        os.environ.pop(DATA_ENV, None)
    else:
        os.environ[DATA_ENV] = before


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_less_often():
    """A test process starts dozens of Textual apps, whose widgets are freed in reference cycles,
    so Python's cyclic collector runs often, and each full collection scans every object in the
    process: in the chat app's tests that was a fifth of their time. Here a collection starts
    after 10,000 new objects instead of 700, so it runs about a tenth as often. Nothing a test
    checks depends on when garbage is collected; the programs the tests start are unchanged."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, *before[1:])
    yield
    gc.set_threshold(*before)


@pytest.fixture(scope="session", autouse=True)
def _stylesheets_parsed_once():
    """Textual parses the same CSS (its widgets' defaults and the app's .tcss files) for every
    app a test starts, and all of it again when a screen brings CSS of its own or the theme
    changes. In this test process each distinct piece of CSS is parsed once per set of theme
    variables and its rules are shared: Textual never changes rules once parsed, so every app
    applies exactly the rules it would have parsed itself."""
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def parse_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        if key not in parsed:
            parsed[key] = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stylesheet, "_parse_rules", parse_once)
        yield


@pytest.fixture(scope="session")
def real_hcpcs(tmp_path_factory):
    """The real CMS file imported once per test process: ``(summary, data directory)``.

    Tests only read the imported data (each opens its own connection); skipped when the file
    is absent.
    """
    if not CMS_ZIP.is_file():
        pytest.skip("CMS HCPCS zip not present")
    from assistant.codes.hcpcs import import_file

    home = tmp_path_factory.mktemp("hcpcs-real")
    return import_file(CMS_ZIP, home), home


@pytest.fixture(scope="session")
def knowledge():
    from assistant.core import kb

    return kb.load()


@pytest.fixture(scope="session")
def facts(knowledge):
    from assistant.core import facts as facts_module

    return facts_module.build(knowledge)


@pytest.fixture(scope="session")
def assistant_(knowledge):
    """The built-in knowledge base, no imported data: built once for the session."""
    from assistant.core.answer import Assistant

    return Assistant(knowledge, data_source=None)


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json_lines(self) -> list:
        return [json.loads(line) for line in self.stdout.splitlines()]

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def _run(*args: str, stdin: str | None = None, cwd: Path | None = None, data_dir: Path) -> Run:
    env = dict(os.environ)
    env[DATA_ENV] = str(data_dir)
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONSTARTUP", None)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env=env,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def run_process(empty_data_dir):
    """``run_process(*args, stdin=None, cwd=None)``: ``python -m assistant ARGS`` in a
    subprocess.

    stdin is never a terminal (an empty string when not given), so ``ask``/``code`` without
    arguments read it.
    """

    def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> Run:
        return _run(*args, stdin=stdin, cwd=cwd, data_dir=empty_data_dir)

    return run


@contextlib.contextmanager
def _environment(changes: dict[str, str | None]):
    """``os.environ`` with ``changes`` (None: unset) for the duration of the block."""
    before = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def cli_in_process(
    *args: str,
    stdin: str | bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str | None] | None = None,
    encoding: str = "utf-8",
) -> Run:
    """``hcpcs-assistant ARGS`` run by calling ``main(argv)`` in this process.

    stdin, stdout and stderr are byte buffers behind text streams of ``encoding`` (as
    ``PYTHONIOENCODING`` sets them for a process), so stdin is never a terminal and what the
    program writes is decoded strictly afterwards. ``env`` changes environment variables for
    the call (None: unset); ``cwd`` is the working directory for the call. An exit through
    ``SystemExit`` (``--help``, ``--version``) gives its status, as the process would.
    """
    from assistant.cli import main as cli

    raw = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    fake_in = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding)
    fake_out = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    fake_err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="backslashreplace")
    saved = sys.stdin, sys.stdout, sys.stderr
    here = Path.cwd()
    try:
        with _environment(env or {}):
            if cwd is not None:
                os.chdir(cwd)
            sys.stdin, sys.stdout, sys.stderr = fake_in, fake_out, fake_err
            try:
                status = cli.main(list(args))
            except SystemExit as stop:
                if stop.code is None or isinstance(stop.code, int):
                    status = stop.code or 0
                else:
                    sys.stderr.write(f"{stop.code}\n")
                    status = 1
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = sys.stdout, sys.stderr  # main may have replaced stdout (None: devnull)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(here)
    return Run(status, _written(out, encoding), _written(err, encoding))


def _written(stream, encoding: str) -> str:
    buffer = getattr(stream, "buffer", None)
    if not isinstance(buffer, io.BytesIO):
        return ""
    return buffer.getvalue().decode(encoding)


@pytest.fixture(scope="session")
def run_cli(empty_data_dir):
    """``run_cli(*args, stdin=None, cwd=None)``: the command line run in this process (see
    :func:`cli_in_process`), with no imported data.

    stdin is never a terminal (empty when not given), so ``ask``/``code`` without arguments
    read it.
    """

    def run(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> Run:
        return cli_in_process(*args, stdin=stdin, cwd=cwd, env={DATA_ENV: str(empty_data_dir)})

    return run


# The ``### Meta`` section every entry needs (its facts' "as of" date).
META_MD = "### Meta\n- as of: 2026-01-01\n\n"

GOOD_ENTRY = """\
## {id}

### Questions
{questions}

### Answer
{answer}

### Sources
- {source}

### Meta
- as of: 2026-01-01
"""


def entry_md(
    eid: str, questions: list[str], answer: str = "An answer.", source: str = "CMS"
) -> str:
    return GOOD_ENTRY.format(
        id=eid,
        questions="\n".join(f"- {q}" for q in questions),
        answer=answer,
        source=source,
    )


@pytest.fixture
def make_kb(tmp_path):
    """``make_kb({"entries/01-x.md": text, "facts/t.md": text})`` -> the knowledge directory."""

    def make(files: dict[str, str], name: str = "kb") -> Path:
        root = tmp_path / name
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        (root / "entries").mkdir(parents=True, exist_ok=True)
        return root

    return make


def line_of(path, text: str) -> int:
    """1-based line of the first line of ``path`` that contains ``text``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return n
    raise AssertionError(f"{text!r} not in {path}")


def expect_problem(problems: list[str], path, line: int, message_re: str) -> None:
    pattern = re.compile(rf"^{re.escape(str(path))}:{line}: .*?{message_re}")
    assert any(pattern.search(p) for p in problems), problems


def facts_problems(make_kb, text: str) -> tuple[list[str], Path, Path]:
    """The problems ``check`` finds in a facts file ``text`` (in a knowledge base with one good
    entry), the file's path, and that path as problems show it (from the directory above the
    knowledge base, where the tests run)."""
    from assistant.core import facts, kb

    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("ok", ["q1"]), "facts/f.md": text})
    path = root / "facts" / "f.md"
    return [str(p) for p in facts.check(kb.load(root))], path, path.relative_to(root.parent)
