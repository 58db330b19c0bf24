"""Size: a 1 MB question is answered (its first 2,000 characters, saying so), and batch mode
streams: each answer is written as soon as it is ready, while the input is still open.

Timings are measured in ``scripts/bench.py``, not asserted here.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

import pytest
from conftest import DATA_ENV, ROOT
from test_contract import check_answer

from assistant.core.answer import ECHO_LIMIT
from assistant.core.result import CUT_NOTE

MB = 1_000_000
BIG = {
    "words": ("what are j codes " * (MB // 17 + 1))[:MB],
    "codes": ("99213 J1745 E11.9 modifier 25, 0450T " * (MB // 37 + 1))[:MB],
    "digits": "9" * MB,
    "escapes": "\x1b[31m" * (MB // 5),
    "one line of spaces": " " * MB,
    "newlines": "\n" * MB,
}


@pytest.mark.parametrize("name", list(BIG))
def test_a_1mb_question_is_answered_and_cut_politely(assistant_, name):
    reply = assistant_.answer(BIG[name])
    check_answer(reply.to_dict())
    assert len(reply.question) <= ECHO_LIMIT + 1
    assert reply.markdown.endswith(CUT_NOTE)
    assert CUT_NOTE not in assistant_.answer("what are j codes").markdown


def test_the_cut_keeps_what_was_read(assistant_):
    reply = assistant_.answer(BIG["words"])
    assert reply.kind == "answer"
    assert reply.entry_id == assistant_.answer("what are j codes").entry_id


def start(*args: str, empty_data_dir) -> subprocess.Popen:
    env = dict(os.environ, **{DATA_ENV: str(empty_data_dir)}, PYTHONIOENCODING="utf-8")
    env.pop("PYTHONUNBUFFERED", None)  # as a user runs it: stdout to a pipe is block-buffered
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )


def read_line(stream, timeout: float = 60.0) -> bytes:
    """One line from a pipe, failing rather than waiting forever."""
    deadline = time.monotonic() + timeout
    line = b""
    fd = stream.fileno()
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        assert left > 0, f"no complete line within {timeout}s (got {line!r})"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1)
            assert chunk, f"output ended early (got {line!r})"
            line += chunk
    return line


@pytest.mark.parametrize("args", [["ask", "--json"], ["code", "--json"], ["ask"]])
def test_batch_mode_streams_answers_while_input_is_open(args, empty_data_dir):
    proc = start(*args, empty_data_dir=empty_data_dir)
    try:
        for question in ("what are j codes", "99213", "J1745"):
            proc.stdin.write(question.encode() + b"\n")
            proc.stdin.flush()
            line = read_line(proc.stdout)  # answered before the next question is even sent
            if "--json" in args:
                json.loads(line)
            if args == ["ask"]:  # Markdown: read on to the sources line that ends each answer
                while not line.startswith(b"Sources:"):
                    line = read_line(proc.stdout)
        proc.stdin.close()
        rest = proc.stdout.read()
        assert proc.wait(timeout=60) == 0
        assert proc.stderr.read() == b""
    finally:
        proc.kill()
        proc.wait()
    if args == ["ask", "--json"]:
        assert rest == b""  # one line per question, already read


def test_batch_mode_handles_many_lines_in_order(empty_data_dir, tmp_path):
    questions = ["what are j codes", "", "99213", "modifier 59", "zzzz", "J1745-JW"] * 200
    proc = start("ask", "--json", empty_data_dir=empty_data_dir)
    out, err = proc.communicate("\n".join(questions).encode() + b"\n", timeout=300)
    assert proc.returncode == 0 and err == b""
    lines = out.decode().splitlines()
    assert len(lines) == len(questions)
    assert [json.loads(line)["question"] for line in lines[:6]] == questions[:6]


def test_a_1mb_line_on_stdin(empty_data_dir, assistant_):
    proc = start("ask", "--json", empty_data_dir=empty_data_dir)
    big = BIG["codes"].replace("E11.9", "J1745")  # (ICD-10-CM would load for seconds)
    out, err = proc.communicate(big.encode() + b"\nwhat are j codes\n", timeout=120)
    assert proc.returncode == 0 and err == b""
    first, second = (json.loads(line) for line in out.decode().splitlines())
    check_answer(first)
    assert first["answer"].endswith(CUT_NOTE)
    assert second["entry_id"] == assistant_.answer("what are j codes").entry_id
