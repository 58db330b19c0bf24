"""The command line in its human-readable modes, and its error handling.

JSON output is covered field by field in ``test_contract.py``.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from conftest import entry_md

from assistant.cli import main as cli

# --- in process: argument handling -----------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["bogus"],
        ["ask", "--bogus", "what are j codes"],
        ["code", "--nope", "99213"],
        ["kb", "--xml"],
        ["check", "extra-argument"],
        ["quiz", "--seed", "abc"],
        ["serve", "--port", "eighty"],
        ["search"],
        ["import-hcpcs"],
    ],
)
def test_bad_usage_in_process(argv, capsys):
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("hcpcs-assistant: ")
    assert "Traceback" not in err and "usage:" not in err


def test_parser_knows_every_contract_command():
    parser = cli.build_parser()
    for command in ("ask", "code", "kb", "search", "import-hcpcs", "check", "serve", "quiz"):
        assert command in cli.COMMANDS
        parser.parse_args([command, "x"] if command in ("search", "import-hcpcs") else [command])


def test_text_for_the_terminal_loses_whole_escape_sequences():
    text = "ok\x1b[2J\x07\x9b31m done\n\ttab"
    assert cli.clean_text(text) == "ok done\n tab"


# --- what a user or a script sees (in this process; one subprocess per contract point) --------


def assert_usage_error(result, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr_lines) == 1, result.stderr
    assert result.stderr.startswith("hcpcs-assistant: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def test_unknown_option(run_cli):
    assert_usage_error(run_cli("ask", "--bogus", "what are j codes"), "--bogus")


def test_unknown_command(run_cli):
    assert_usage_error(run_cli("frobnicate"), "frobnicate")


def test_import_missing_file(run_cli, tmp_path):
    assert_usage_error(run_cli("import-hcpcs", str(tmp_path / "nope.zip")), "nope.zip")


def test_import_a_directory(run_cli, tmp_path):
    assert_usage_error(run_cli("import-hcpcs", str(tmp_path)), "directory")


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes")
def test_import_a_named_pipe_or_a_device(run_process, tmp_path):
    import os

    fifo = tmp_path / "codes.txt"
    os.mkfifo(fifo)
    # In a subprocess, with its time limit: waiting for a writer must fail the test, not hang it.
    result = run_process("import-hcpcs", str(fifo))
    assert_usage_error(result, f"{fifo} is a named pipe, not a regular file")
    assert_usage_error(run_process("import-hcpcs", "/dev/zero"), "/dev/zero is a device")


def test_missing_kb_dir(run_cli, tmp_path):
    assert_usage_error(run_cli("--kb", str(tmp_path / "nope"), "ask", "hi"), "not found")


def test_search_without_data_says_how_to_import(run_cli):
    assert_usage_error(run_cli("search", "cpap"), "import-hcpcs")


def test_ask_markdown(run_process):
    result = run_process("ask", "what are j codes")
    assert result.returncode == 0
    assert result.stderr == ""
    assert "**J codes**" in result.stdout
    assert "\nSources: " in result.stdout


def test_ask_joins_words(run_cli):
    quoted = run_cli("ask", "what are j codes")
    unquoted = run_cli("ask", "what", "are", "j", "codes")
    assert quoted.stdout == unquoted.stdout


def test_fallback_exits_0(run_cli):
    result = run_cli("ask", "zxcvbnm qwertyuiop asdfgh")
    assert result.returncode == 0
    assert result.stdout.startswith("I don't have an answer to that")
    assert "Did you mean" not in result.stdout  # a fallback never passes a weak match off


def test_ask_batch_markdown_separates_answers(run_cli):
    result = run_cli("ask", stdin="what are j codes\nwhat is a modifier\n")
    assert result.returncode == 0
    assert result.stdout.count("\n---\n") == 1


def test_code_cards(run_cli):
    result = run_cli("code", "99213", "j1745", "-59")
    assert result.returncode == 0
    out = result.stdout
    assert out.index("### `99213` · CPT") < out.index("### `J1745` · HCPCS Level II")
    assert "### `59` · CPT modifier" in out


def test_code_reads_stdin_and_skips_blank_lines(run_cli):
    result = run_cli("code", stdin="99213\n\n  \nJ1745\n")
    assert result.returncode == 0
    assert result.stdout.count("### ") == 2


def test_control_characters_never_reach_the_terminal(run_cli):
    result = run_cli("code", "\x1b[2J\x1b]0;title\x07")
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_kb_listing(run_cli, knowledge):
    result = run_cli("kb")
    assert result.returncode == 0
    for e in knowledge.entries[:5]:
        assert e.id in result.stdout


def test_kb_option_before_or_after_the_command(run_process, make_kb):
    root = make_kb(
        {"entries/01.md": "# G\n\n" + entry_md("only-entry", ["what is the test entry"])}
    )
    before = run_process("--kb", str(root), "ask", "what is the test entry", "--json")
    after = run_process("ask", "--kb", str(root), "what is the test entry", "--json")
    assert before.json_lines()[0]["entry_id"] == "only-entry"
    assert after.json_lines()[0]["entry_id"] == "only-entry"


def test_python_m_assistant_is_the_console_script(run_process, empty_data_dir):
    import os
    import subprocess

    script = Path(sys.executable).with_name("hcpcs-assistant")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=str(empty_data_dir))
    direct = subprocess.run(
        [str(script), "code", "--json", "99213", "J1745"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    module = run_process("code", "--json", "99213", "J1745")
    assert direct.returncode == module.returncode == 0
    assert direct.stdout == module.stdout
    bad = subprocess.run(
        [str(script), "--bogus"], capture_output=True, text=True, env=env, timeout=60
    )
    assert bad.returncode == 2
    assert bad.stderr == run_process("--bogus").stderr


def test_the_program_ends_with_all_its_output_written(run_process):
    """The program leaves without the interpreter's teardown: what it printed, far more than a
    pipe's buffer holds, still arrives whole, and the exit status is the command's."""
    codes = [f"J{n:04d}" for n in range(1000, 1600)]
    result = run_process("code", "--json", stdin="\n".join(codes) + "\n")
    assert result.returncode == 0
    lines = result.json_lines()
    assert len(result.stdout) > 65536
    assert [line["code"] for line in lines] == codes
    assert run_process("ask", "--bogus").returncode == 2


@pytest.mark.parametrize("command", ["ask", "code"])
def test_nothing_to_read_from_a_terminal_is_bad_usage(command, monkeypatch, capsys):
    monkeypatch.setattr(cli, "stdin_is_terminal", lambda: True)
    assert cli.main([command, "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "stdin" in err


@pytest.mark.parametrize(
    ("argv", "theme"), [(["serve"], "light"), (["--theme", "dark", "serve"], "dark")]
)
def test_serve_is_light_unless_a_theme_is_asked_for(monkeypatch, argv, theme):
    import assistant.web.serve

    seen = {}
    monkeypatch.setattr(assistant.web.serve, "serve", lambda **kw: seen.update(kw) or 0)
    assert cli.main(argv) == 0
    assert seen["theme"] == theme
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)


# --- version, help, output for people --------------------------------------------------------


def test_version(run_cli):
    from importlib import metadata

    import assistant

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"hcpcs-assistant {metadata.version('hcpcs-assistant')}\n"
    assert metadata.version("hcpcs-assistant") == assistant.__version__


@pytest.mark.parametrize("command", [None, *cli.COMMANDS])
def test_every_help_ends_with_examples(command, capsys):
    argv = [command, "--help"] if command else ["--help"]
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 0
    text = capsys.readouterr().out
    examples = text.split("\nexamples:\n", 1)[1]
    first = examples.splitlines()[0].split()
    assert first[0] == "hcpcs-assistant"
    if command:
        assert first[1] == command


class Terminal(io.StringIO):
    """A stand-in for stdout on a terminal."""

    def isatty(self) -> bool:
        return True


def run_on_terminal(monkeypatch, *argv: str) -> str:
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.main(list(argv)) == 0
    return screen.getvalue()


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_ask_on_a_terminal_draws_the_markdown(monkeypatch):
    drawn = run_on_terminal(monkeypatch, "ask", "what are the CPT sections?")
    assert "\x1b[" in drawn  # styled
    text = plain(drawn)
    assert "**" not in text and "`" not in text and "|" not in text
    assert re.search(r"Surgery +10004-69990", text)
    assert "Sources: AMA" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80


def test_code_on_a_terminal_draws_the_card(monkeypatch):
    text = plain(run_on_terminal(monkeypatch, "code", "V5266", "99213"))
    assert "V5266 · HCPCS Level II" in text and "99213 · CPT" in text
    assert re.search(r"Maintained by +CMS", text)  # the label on one line, no header row
    assert "|" not in text and "`" not in text and "###" not in text


def test_a_wide_terminal_keeps_lines_readable(monkeypatch):
    monkeypatch.setattr(cli, "_is_terminal", lambda out: True)
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "200")
    assert cli.main(["ask", "what are J codes?"]) == 0
    lines = plain(screen.getvalue()).splitlines()
    assert 80 < max(len(line.rstrip()) for line in lines) <= 100


def test_piped_output_stays_markdown_and_json_is_unchanged(run_cli):
    markdown = run_cli("ask", "what are the CPT sections?")
    assert "| Surgery | `10004-69990` |" in markdown.stdout
    assert "\x1b[" not in markdown.stdout
    as_json = run_cli("ask", "--json", "what are the CPT sections?")
    assert as_json.json_lines()[0]["answer"].startswith("CPT Category I codes")
