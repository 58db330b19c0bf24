"""``hcpcs-assistant check [--kb DIR]``: every kind of problem in a knowledge directory is one
``path:line: message`` line (exit 1), and a directory that cannot be read at all is reported in
one line with exit 2, never a traceback and never a hang.
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import META_MD, entry_md

GOOD = entry_md("good-entry", ["what is the good entry"])


def lines_of(path, needle: str) -> list[int]:
    return [n for n, line in enumerate(path.read_text().split("\n"), 1) if needle in line]


def assert_problems(result, path, expected: dict[str, list[int]]) -> None:
    """``expected``: message part -> the lines it must be reported at, in ``path``."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr_lines) == 1 and "problem(s)" in result.stderr
    reported = result.stdout.splitlines()
    assert all(re.match(r"^[^:]+:\d+: \S", line) for line in reported), reported
    for message, lines in expected.items():
        at = sorted(
            int(line.split(":")[1])
            for line in reported
            if line.startswith(f"{path}:") and message in line
        )
        assert at == lines, (message, reported)


def test_built_in_knowledge_passes(run_process):
    result = run_process("check")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("ok: ")


def test_every_kind_of_problem_at_its_line(run_process, make_kb, tmp_path):
    text = (
        "# Group\n\n"
        + entry_md("dup", ["what is a duplicate"])
        + "\n"
        + entry_md("dup", ["second entry with the same id"])
        + "\n"
        + entry_md("same-phrasing", ["What is a DUPLICATE?"])
        + "\n"
        + "## empty-answer\n\n### Questions\n- an empty one\n\n### Answer\n\n### Sources\n- S\n\n"
        + META_MD
        + "## no-sources\n\n### Questions\n- a sourceless one\n\n### Answer\nText.\n\n"
        + META_MD
        + "## no-questions\n\n### Answer\nText.\n\n### Sources\n- S\n\n"
        + META_MD
        + "## Not A Slug\n\n### Questions\n- unslugged\n\n### Answer\nText.\n\n### Sources\n- S\n\n"
        + META_MD
        + entry_md("odd", ["odd one"]).replace("### Sources", "### Notes\nx\n\n### Sources")
    )
    root = make_kb({"entries/01.md": "### Questions\n- orphan\n\n" + text})
    path = root / "entries" / "01.md"
    result = run_process("check", "--kb", str(root), cwd=root)
    shown = "entries/01.md"
    assert_problems(
        result,
        shown,
        {
            "'### Questions' outside an entry": [1],
            "duplicate id 'dup'": [lines_of(path, "## dup")[1]],
            "reads the same as one in entry 'dup'": lines_of(path, "- What is a DUPLICATE?"),
            "entry 'empty-answer' has an empty answer": lines_of(path, "## empty-answer"),
            "entry 'no-sources' has no sources": lines_of(path, "## no-sources"),
            "entry 'no-questions' has no questions": lines_of(path, "## no-questions"),
            "entry id 'Not A Slug' is not a slug": lines_of(path, "## Not A Slug"),
            "unknown section '### Notes'": lines_of(path, "### Notes"),
        },
    )


def test_the_same_phrasing_across_files(run_cli, make_kb):
    root = make_kb(
        {
            "entries/01.md": "# A\n\n" + entry_md("first", ["how are codes updated"]),
            "entries/02.md": "# B\n\n" + entry_md("second", ["How are codes updated?"]),
        }
    )
    result = run_cli("check", "--kb", str(root), cwd=root)
    assert_problems(result, "entries/02.md", {"reads the same as one in entry 'first'": [6]})


def test_control_characters_are_reported_and_kept_out_of_answers(run_cli, make_kb):
    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("bell", ["bell"], answer="Ding\x07!")})
    result = run_cli("check", "--kb", str(root), cwd=root)
    path = root / "entries" / "01.md"
    assert_problems(result, "entries/01.md", {"control character U+0007": lines_of(path, "Ding")})
    answer = run_cli("--kb", str(root), "ask", "--json", "bell").json_lines()[0]
    assert answer["answer"] == "Ding!"


# --- directories that cannot be read ----------------------------------------------------------


def assert_unreadable(result, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(result.stderr_lines) == 1 and result.stderr.startswith("hcpcs-assistant: ")
    for word in words:
        assert word in result.stdout + result.stderr, (word, result.stdout, result.stderr)
    for line in result.stdout.splitlines():
        assert re.match(r"^[^:]+:\d+: \S", line), line


def with_good(make_kb):
    return make_kb({"entries/01.md": "# G\n\n" + GOOD})


def test_missing_directory(run_cli, tmp_path):
    assert_unreadable(run_cli("check", "--kb", str(tmp_path / "nope")), "not found")


def test_a_file_instead_of_a_directory(run_cli, tmp_path):
    path = tmp_path / "kb.md"
    path.write_text("# not a directory\n")
    assert_unreadable(run_cli("check", "--kb", str(path)), "is a file, not a knowledge directory")


def test_no_entries_directory(run_cli, tmp_path):
    (tmp_path / "facts").mkdir()
    assert_unreadable(run_cli("check", "--kb", str(tmp_path)), "no entries/*.md")


def test_entries_is_a_file(run_cli, tmp_path):
    (tmp_path / "entries").write_text("x")
    assert_unreadable(run_cli("check", "--kb", str(tmp_path)), "no entries/*.md")


def test_invalid_utf8(run_cli, make_kb):
    root = with_good(make_kb)
    (root / "entries" / "02.md").write_bytes(b"# G\n\n## bad\n\n### Questions\n- caf\xe9\n")
    result = run_cli("check", "--kb", str(root), cwd=root)
    assert_unreadable(result, "entries/02.md:1: not valid UTF-8", "line 6")


def test_binary_junk(run_cli, make_kb):
    root = with_good(make_kb)
    (root / "entries" / "02.md").write_bytes(bytes(range(256)) * 4)
    result = run_cli("check", "--kb", str(root), cwd=root)
    assert_unreadable(result, "entries/02.md:1: a binary file, not Markdown text")


def test_an_unreadable_file(run_cli, make_kb):
    """Tests run as root, so permissions cannot deny a read: a dangling link cannot be read."""
    root = with_good(make_kb)
    (root / "entries" / "02.md").symlink_to(root / "gone.md")
    result = run_cli("check", "--kb", str(root), cwd=root)
    assert_unreadable(result, "entries/02.md:1: cannot read")


def test_a_directory_named_like_a_file(run_cli, make_kb):
    root = with_good(make_kb)
    (root / "entries" / "02.md").mkdir()
    result = run_cli("check", "--kb", str(root), cwd=root)
    assert_unreadable(result, "entries/02.md:1: cannot read: not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_does_not_hang(run_process, make_kb):
    root = with_good(make_kb)
    os.mkfifo(root / "entries" / "02.md")
    # A subprocess, timed out after 120 s: a hang fails the test instead of stopping the suite.
    result = run_process("check", "--kb", str(root), cwd=root)
    assert_unreadable(result, "entries/02.md:1: cannot read: not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", [["check"], ["ask", "hi"], ["serve"]])
def test_a_named_pipe_as_the_knowledge_directory_is_named(run_process, tmp_path, command):
    pipe = tmp_path / "knowledge"
    os.mkfifo(pipe)
    result = run_process(*command, "--kb", str(pipe))  # a subprocess: a hang times out
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr_lines == [
        f"hcpcs-assistant: --kb {pipe} is a named pipe, not a knowledge directory (give the "
        "directory that holds entries/*.md)"
    ]


def test_other_commands_still_answer_from_the_readable_files(run_cli, make_kb):
    root = with_good(make_kb)
    (root / "entries" / "02.md").write_bytes(b"\x00\x01junk")
    result = run_cli("--kb", str(root), "ask", "--json", "what is the good entry")
    assert result.returncode == 0
    assert result.json_lines()[0]["entry_id"] == "good-entry"


def test_an_unresolved_merge_is_reported_at_its_markers(run_cli, make_kb):
    answer = "<<<<<<< HEAD\nOne version.\n=======\nThe other.\n>>>>>>> branch"
    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("merged", ["merged"], answer=answer)})
    result = run_cli("check", "--kb", str(root), cwd=root)
    path = root / "entries" / "01.md"
    marks = lines_of(path, "<<<<<<<") + lines_of(path, "=======") + lines_of(path, ">>>>>>>")
    assert_problems(result, "entries/01.md", {"unresolved merge conflict marker": marks})
