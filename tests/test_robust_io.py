"""Input and output at the edges: invalid UTF-8 on stdin or in arguments, a reader that goes
away (``| head -1``), a terminal that cannot show every character, and error messages that are
one line saying what went wrong and what to do.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest
from conftest import DATA_ENV, ROOT, cli_in_process
from test_contract import check_answer, check_codeinfo

from assistant.cli import main as cli


def run(*args, stdin: bytes = b"", data_dir, env_extra: dict | None = None):
    env = dict(os.environ, **{DATA_ENV: str(data_dir)}, PYTHONIOENCODING="utf-8")
    env.update(env_extra or {})
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


# --- invalid UTF-8 ------------------------------------------------------------------------------


def test_invalid_utf8_on_stdin_is_replaced(run_cli):
    stdin = b"what are \xff\xfe j codes\n\xc3\x28\n99213 \xed\xa0\x80\n\x80\x81\x82\n"
    result = run_cli("ask", "--json", stdin=stdin)
    assert result.returncode == 0 and result.stderr == ""
    replies = result.json_lines()
    assert len(replies) == 4
    for reply in replies:
        check_answer(reply)
    assert replies[0]["question"] == "what are \ufffd\ufffd j codes"
    assert replies[0]["kind"] == "answer"
    assert [c["code"] for c in replies[2]["codes"]] == ["99213"]


def test_invalid_utf8_codes_on_stdin(run_cli):
    result = run_cli("code", "--json", stdin=b"J1745\n\xff\xfe\n99213\xff\n")
    assert result.returncode == 0 and result.stderr == ""
    infos = result.json_lines()
    assert [i["code"] for i in infos] == ["J1745", "\ufffd\ufffd", "99213\ufffd"]
    for info in infos:
        check_codeinfo(info)


def test_undecodable_bytes_in_arguments(empty_data_dir):
    """An argument with bytes that are not UTF-8 reaches Python as lone surrogates."""
    args = [b"ask", b"--json", b"what are j codes \xff"]
    env = dict(os.environ, **{DATA_ENV: str(empty_data_dir)}, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"assistant", *args],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stderr == b""
    reply = json.loads(proc.stdout.decode("utf-8"))  # strict: the output is valid UTF-8
    assert reply["question"] == "what are j codes \ufffd"


# --- a closed pipe ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_questions(tmp_path_factory):
    path = tmp_path_factory.mktemp("qs") / "qs.txt"
    questions = ["what are j codes", "99213", "E11.9 and J1745", "modifier 59", "zzz", ""]
    path.write_text("\n".join(questions * 1500) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command", ["ask --json", "ask", "code", "code --json", "kb --json", "kb", "search x"]
)
def test_closed_pipe_ends_quietly(command, many_questions, empty_data_dir, tmp_path):
    if command == "search x":  # with data, search prints several lines
        data_dir = tmp_path / "data"
        fixture = ROOT / "tests" / "fixtures" / "hcpcs" / "HCPC2026_JAN_ANWEB_FIXTURE.txt"
        assert run("import-hcpcs", str(fixture), data_dir=data_dir)[0] == 0
        command = "search --limit 20 wheelchair crutches walker oxygen"
    else:
        data_dir = empty_data_dir
    err = tmp_path / "stderr.txt"
    script = (
        f"{shlex.quote(sys.executable)} -m assistant {command} < {shlex.quote(str(many_questions))}"
        f' 2> {shlex.quote(str(err))} | head -1; echo "status=${{PIPESTATUS[0]}}"'
    )
    env = dict(os.environ, **{DATA_ENV: str(data_dir)}, PYTHONIOENCODING="utf-8")
    env.pop("PYTHONUNBUFFERED", None)  # as a user runs it: stdout to a pipe is block-buffered
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    first, status = proc.stdout.splitlines()[0], proc.stdout.splitlines()[-1]
    assert first.strip()
    assert status in ("status=0", "status=141"), status
    assert err.read_text() == ""  # no BrokenPipeError, no "Exception ignored"


def test_stdout_closed_before_start(empty_data_dir):
    script = f"{shlex.quote(sys.executable)} -m assistant ask 'what are j codes' >&-"
    env = dict(os.environ, **{DATA_ENV: str(empty_data_dir)})
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert proc.returncode == 0
    assert proc.stderr == ""


# --- a terminal that cannot show every character ------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_encoding_without_unicode(encoding, empty_data_dir):
    """stdout and stderr in ``encoding``, as ``PYTHONIOENCODING`` or a terminal's locale sets
    them; what is written is decoded strictly in that encoding."""
    for args in (
        ["ask", "--json", "what is hcpcs level ii \u00e9\u2014\u4e2d"],
        ["ask", "what is hcpcs level ii \u4e2d"],
        ["code", "99213", "\u4e2d99213"],
        ["code", "--json", "\u4e2d"],
    ):
        result = cli_in_process(*args, env={DATA_ENV: str(empty_data_dir)}, encoding=encoding)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        if "--json" in args:
            for line in result.stdout.splitlines():
                json.loads(line)  # JSON falls back to \u escapes, still valid


# --- one-line errors that say what to do ---------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["--bogus"], "hcpcs-assistant --help"),
        (["ask", "--bogus", "x"], "hcpcs-assistant ask --help"),
        (["code", "99213", "-LT"], "hcpcs-assistant code -- -LT"),
        (["search"], "hcpcs-assistant search --help"),
    ],
)
def test_usage_errors_say_what_to_do(argv, hint, capsys):
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert hint in err


def test_a_modifier_with_a_dash_after_double_dash(capsys):
    assert cli.main(["code", "--json", "--", "-LT"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["code"] == "LT"


def test_unexpected_errors_are_one_line(monkeypatch, capsys):
    def boom(args, out):
        raise RuntimeError("first line\nsecond line\x1b[2J")

    monkeypatch.setitem(cli.COMMANDS, "kb", boom)
    assert cli.main(["kb"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "\x1b" not in err
    assert err.startswith("hcpcs-assistant: unexpected error: RuntimeError: first line second line")
    assert "report" in err
