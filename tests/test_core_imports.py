"""The headless core never imports the chat interface: answering from a script or the command
line must not pay for (or depend on) Textual.

Each check runs in a fresh interpreter, so modules imported by other tests cannot hide an import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from conftest import ROOT

UI_MODULES = ("textual", "rich", "assistant.tui")


def run_python(code: str, data_dir) -> dict:
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=str(data_dir))
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


REPORT = """
import json, sys
print(json.dumps({
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich")
                     or m.startswith("assistant.tui")),
    "kind": kind,
}))
"""


def test_answer_does_not_import_textual(empty_data_dir):
    code = (
        textwrap.dedent(
            """
        import assistant.core.answer
        kind = assistant.core.answer.answer("what are j codes").kind
        """
        )
        + REPORT
    )
    report = run_python(code, empty_data_dir)
    assert report["kind"] == "answer"
    assert report["loaded"] == []


def test_cli_ask_does_not_import_textual(empty_data_dir):
    code = (
        textwrap.dedent(
            """
        import io, contextlib
        from assistant.cli import main as cli
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            status = cli.main(["ask", "--json", "what are j codes"])
        assert status == 0, status
        kind = json.loads(buffer.getvalue())["kind"]
        """
        )
        + REPORT
    )
    report = run_python("import json\n" + code, empty_data_dir)
    assert report["kind"] == "answer"
    assert report["loaded"] == []


def test_cli_code_and_check_do_not_import_textual(empty_data_dir):
    code = (
        textwrap.dedent(
            """
        import io, contextlib
        from assistant.cli import main as cli
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli.main(["code", "--json", "99213", "J1745", "-59"]) == 0
            assert cli.main(["kb", "--json"]) == 0
            assert cli.main(["check"]) == 0
        kind = "code"
        """
        )
        + REPORT
    )
    report = run_python(code, empty_data_dir)
    assert report["loaded"] == []
