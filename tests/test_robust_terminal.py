"""Terminal safety: escape sequences, other control characters and Rich/Textual markup, in a
question, in the knowledge base or in an imported HCPCS file, are shown literally or dropped.

On the command line, the stdout of ``ask``, ``code``, ``search``, ``kb`` (and ``check``,
``import-hcpcs``) never holds ESC, CSI, OSC or any other C0/C1 control but newline, and markup
comes out as the text it is. In the chat app, the same text neither stops the app nor reaches
the terminal as an escape: what the app would write to the terminal is rendered and searched.
"""

from __future__ import annotations

import re
from pathlib import Path

import hcpcs_fixture as fx  # tests/fixtures/hcpcs is on sys.path (conftest)
import pytest
from conftest import DATA_ENV, ROOT, cli_in_process, entry_md
from textual import events

from assistant.core.answer import Assistant
from assistant.tui.app import STEADY, make_app
from assistant.tui.widgets.transcript import AnswerCard, QuestionBubble

# Everything a terminal could act on, but the newline.
CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Sequences that set the title, clear the screen, colour, and C1 spellings of CSI and OSC; a bell,
# a backspace and a right-to-left override. ARG_ESCAPES can be a command-line argument (no NUL);
# ESCAPES adds NUL and a carriage return, for stdin.
ARG_ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x1b[31m\x9b33m\x9d0;OWNED\x9c\x07\x08\u202e"
ESCAPES = ARG_ESCAPES + "\x00\r"
MARKUP = "[bold red]x[/] [@click=app.quit]quit[/]"
INJECTED = ("\x1b]0;PWNED", "\x1b[2J", "\x1b[31m", "\x9b", "\x9d", "\x07", "\x00", "\u202e")


def assert_terminal_safe(text: str) -> None:
    found = CONTROLS.search(text)
    assert found is None, f"control {found.group()!r} in output: {text[:200]!r}"
    assert "\u202e" not in text


def run(*args: str, stdin: str | bytes = b"", data_dir: Path, cwd: Path = ROOT):
    """The command line in this process; the exit status and what it wrote to stdout and
    stderr (bytes decoded strictly as UTF-8)."""
    result = cli_in_process(
        *args,
        stdin=stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin,
        cwd=cwd,
        env={DATA_ENV: str(data_dir)},
    )
    return result.returncode, result.stdout, result.stderr


# --- a knowledge base and an imported file with escapes and markup ------------------------------


@pytest.fixture(scope="module")
def evil_kb(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("evil-kb")
    (root / "entries").mkdir()
    text = f"# Tricky group {ARG_ESCAPES} {MARKUP}\n\n" + entry_md(
        "tricky-entry",
        ["what is the zebra entry", f"zebra {MARKUP}", "zebra\x1b[5m lines"],
        answer=f"Zebra answer {ARG_ESCAPES}\n\nwith {MARKUP} in it.",
        source=f"Zebra source {ARG_ESCAPES} {MARKUP}",
    )
    (root / "entries" / "01.md").write_text(text, encoding="utf-8")
    return root


EVIL_DESCRIPTION = f"Zebra pad \u009b31m {MARKUP} \u0085end"


@pytest.fixture(scope="module")
def evil_data(tmp_path_factory) -> Path:
    """A data directory imported (by the command) from a CMS-layout zip whose TXT is named with
    an escape sequence and whose E0601 description holds a C1 CSI and markup (as UTF-8)."""
    placeholder = "Z" * len(EVIL_DESCRIPTION.encode("utf-8"))
    codes = [(c[0], [placeholder], *c[2:]) if c[0] == "E0601" else c for c in fx.CODES]
    body = (
        fx.text(codes)
        .encode("ascii")
        .replace(placeholder.encode(), EVIL_DESCRIPTION.encode("utf-8"))
    )
    tmp = tmp_path_factory.mktemp("evil-import")
    zipped = fx.write_zip(
        tmp / "hcpcs.zip", txt_name="HCPC2026_JAN_\x1b]0;PWNED\x07.txt", body=body
    )
    data_dir = tmp / "data"
    code, out, err = run("import-hcpcs", str(zipped), data_dir=data_dir)
    assert code == 0, err
    assert_terminal_safe(out)
    assert "Imported HCPCS Level II release January 2026" in out
    return data_dir


# --- command line ------------------------------------------------------------------------------


def test_ask_json_question_with_escapes_and_markup(empty_data_dir):
    question = f"what are j codes {ESCAPES} {MARKUP} 99213 \udcff"
    code, out, err = run("ask", "--json", stdin=question + "\n", data_dir=empty_data_dir)
    assert code == 0 and err == ""
    assert_terminal_safe(out)
    assert MARKUP in out  # echoed literally
    assert "\\u001b" not in out  # dropped, not merely escaped


def test_ask_question_argument_with_escapes(empty_data_dir):
    code, out, err = run("ask", f"{ARG_ESCAPES}what is 99213 {MARKUP}", data_dir=empty_data_dir)
    assert code == 0 and err == ""
    assert_terminal_safe(out)
    assert "99213" in out


def test_ask_answers_from_a_knowledge_base_with_escapes(evil_kb, empty_data_dir):
    for args in (["ask", "what is the zebra entry"], ["ask", "--json", "what is the zebra entry"]):
        code, out, err = run("--kb", str(evil_kb), *args, data_dir=empty_data_dir)
        assert code == 0, err
        assert_terminal_safe(out)
        assert "Zebra answer" in out and "Zebra source" in out
        assert MARKUP in out


def test_kb_listing_and_json_with_escapes(evil_kb, empty_data_dir):
    for args in (["kb"], ["kb", "--json"]):
        code, out, err = run("--kb", str(evil_kb), *args, data_dir=empty_data_dir)
        assert code == 0, err
        assert_terminal_safe(out)
        assert MARKUP in out


def test_check_reports_control_characters_at_their_line(evil_kb, empty_data_dir):
    code, out, err = run("check", "--kb", str(evil_kb), data_dir=empty_data_dir)
    assert code == 1
    assert_terminal_safe(out)
    lines = out.splitlines()
    assert lines and all(re.match(r"^\S+\.md:\d+: control character U\+", line) for line in lines)
    text = (evil_kb / "entries" / "01.md").read_text(encoding="utf-8")
    expected = {n for n, line in enumerate(text.split("\n"), 1) if CONTROLS.search(line)}
    assert len(expected) == 4  # the group heading, a question, the answer, the source
    assert {int(line.split(":")[1]) for line in lines} == expected


def test_code_with_escapes_and_markup(empty_data_dir):
    args = ["code", f"{ARG_ESCAPES}J1745", f"99213{MARKUP}", "\x9b31m0450T", "\udcff"]
    code, out, err = run(*args, data_dir=empty_data_dir)
    assert code == 0 and err == ""
    assert_terminal_safe(out)
    assert "### `J1745` · HCPCS Level II" in out
    assert "[BOLD RED]X[/]" in out  # shown as typed (upper-cased like any code)
    code, out, err = run("code", "--json", *args[1:], data_dir=empty_data_dir)
    assert code == 0 and err == ""
    assert_terminal_safe(out)


def test_imported_file_with_escapes_and_markup(evil_data):
    code, out, err = run("search", "zebra", "pad", data_dir=evil_data)
    assert code == 0, err
    assert_terminal_safe(out)
    assert f"E0601  Zebra pad 31m {MARKUP} end" in out  # the C1 controls are dropped
    assert "HCPCS data: January 2026 (HCPC2026_JAN_]0;PWNED)" in out
    for args in (["search", "--json", "zebra"], ["ask", "E0601"], ["ask", "--json", "E0601"]):
        code, out, err = run(*args, data_dir=evil_data)
        assert code == 0 and err == "", err
        assert_terminal_safe(out)
    code, out, err = run("code", "E0601", data_dir=evil_data)
    assert_terminal_safe(out)
    assert r"Zebra pad 31m \[bold red\]x\[/\]" in out  # Markdown-escaped in the card's table


def test_a_file_with_raw_escape_bytes_is_refused_with_one_line(tmp_path, empty_data_dir):
    body = fx.text().encode("ascii").replace(b"Standard wheelchair", b"Standard\x1b[2Jwheelch")
    path = tmp_path / fx.FIXTURE_NAME
    path.write_bytes(body)
    code, out, err = run("import-hcpcs", str(path), data_dir=tmp_path / "data")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "control characters" in err
    assert_terminal_safe(err)


def test_error_messages_are_terminal_safe(tmp_path, empty_data_dir):
    code, out, err = run(
        "--kb", str(tmp_path / "no\x1b]0;PWNED\x07pe"), "ask", "x", data_dir=empty_data_dir
    )
    assert code == 2 and out == ""
    assert_terminal_safe(err)
    assert len(err.splitlines()) == 1


# --- the chat app -----------------------------------------------------------------------------


def terminal_output(app) -> str:
    """What the app would write to the terminal for the whole screen, escapes and all."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_nothing_injected(output: str) -> None:
    for sequence in INJECTED:
        assert sequence not in output, (sequence, output[:300])


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def paste_and_ask(pilot, text: str) -> AnswerCard:
    """Paste ``text`` into the question box as a terminal paste arrives, then press Enter."""
    box = pilot.app.question_box
    box.post_message(events.Paste(text))
    await pilot.pause()
    assert_nothing_injected(terminal_output(pilot.app))  # the box itself shows nothing raw
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.query(AnswerCard).last()


@pytest.fixture(scope="module")
def builtin() -> Assistant:
    return Assistant.from_dir(None)


async def test_chat_question_with_escapes_and_markup(builtin):
    app = make_app(assistant=builtin, options=STEADY)
    async with app.run_test(size=(120, 40)) as pilot:
        card = await paste_and_ask(pilot, f"what is 99213 {ARG_ESCAPES} {MARKUP}")
        assert app.is_running  # [@click=app.quit] did nothing
        assert card.answer is not None and card.answer.kind == "code"
        bubble = app.query(QuestionBubble).last()
        assert MARKUP in bubble.visual.plain  # literally
        assert_nothing_injected(terminal_output(app))
        await pilot.press("up")  # the question comes back from history, still clean
        await pilot.pause()
        assert_nothing_injected(terminal_output(app))
        assert MARKUP in app.question_box.value


async def test_chat_knowledge_base_with_escapes_and_markup(evil_kb):
    app = make_app(kb_dir=evil_kb, options=STEADY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert_nothing_injected(terminal_output(app))  # welcome lists the group name
        card = await paste_and_ask(pilot, "what is the zebra entry")
        assert app.is_running
        assert card.answer.entry_id == "tricky-entry"
        output = terminal_output(app)
        assert_nothing_injected(output)
        assert "Zebra answer" in output
        await pilot.press("f2")  # the topics panel shows group and entry titles
        await pilot.pause()
        assert_nothing_injected(terminal_output(app))


async def test_chat_long_paste_is_cut_to_fit_not_refused(builtin):
    app = make_app(assistant=builtin, options=STEADY)
    async with app.run_test(size=(120, 40)) as pilot:
        box = app.question_box
        box.post_message(events.Paste("what are j codes " + "x" * 5000))
        await pilot.pause()
        assert box.value.startswith("what are j codes ")
        assert len(box.value) == box.max_length
