"""Pilot tests of the chat app: asking, code cards, suggestions, history, help, topics, export.

They drive the app as a user would (keys and clicks) through ``App.run_test()``, over the real
knowledge base without imported data, and check what is shown. No timings are asserted.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_helpers import screen_lines, screen_text, settle, type_and_ask, type_text

from assistant.cli import main as cli
from assistant.codes.hcpcs import DataUnavailable
from assistant.core.answer import Assistant
from assistant.core.kb import Entry, KnowledgeBase
from assistant.core.result import STARTERS, Alternative, Answer, EntryRef
from assistant.tui import export
from assistant.tui.app import ERROR_TEXT, EXAMPLES, STEADY, AppOptions, HcpcsApp, make_app
from assistant.tui.bench import first_paint_seconds
from assistant.tui.conversation import Exchange, History
from assistant.tui.keys import ALL_KEYS, APP_KEYS
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.export import ExportScreen, ReplaceScreen
from assistant.tui.screens.help import HelpScreen
from assistant.tui.widgets.chat_input import ChatInput
from assistant.tui.widgets.suggestions import Suggestions
from assistant.tui.widgets.topics import TopicsPanel
from assistant.tui.widgets.transcript import AnswerCard, QuestionBubble, WelcomeCard

MARKUP = "[bold red]x[/] [@click=app.quit]quit[/]"


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.from_dir(None)  # the built-in knowledge base, no imported data


@pytest.fixture
def app(assistant) -> HcpcsApp:
    return make_app(assistant=assistant, options=STEADY)


class FixedAssistant:
    """A stand-in assistant with one canned reply, to check how the app shows it."""

    def __init__(self, reply: Answer | Exception):
        entry = Entry(
            id="what-is-hcpcs",
            questions=("What is HCPCS?",),
            answer="HCPCS is the Healthcare Common Procedure Coding System.",
            sources=("CMS: HCPCS - General Information",),
            tags=(),
            group="Basics",
            path="entries/basics.md",
            line=1,
        )
        self.kb = KnowledgeBase((entry,))
        self.reply = reply
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


# -- start -------------------------------------------------------------------------------------


async def test_welcome_offers_examples_focuses_the_input_and_blank_input_asks_nothing(app):
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, ChatInput)
        welcome = app.query_one(WelcomeCard)
        examples = welcome.query_one(Suggestions)
        assert examples.questions == EXAMPLES
        assert 4 <= len(EXAMPLES) <= 6
        text = screen_text(app)
        assert "My knowledge base has" in text
        assert "What is HCPCS Level III?" in text

        await pilot.press("space", "space", "enter")  # blank input asks nothing
        await settle(pilot)
        assert not app.query(QuestionBubble)
        assert app.exchanges == []
        assert app.query(WelcomeCard)


# -- asking ------------------------------------------------------------------------------------


async def test_asking_a_question_shows_it_and_its_answer(app):
    async with app.run_test(size=(120, 40)) as pilot:
        card = await type_and_ask(pilot, "what's the difference between HCPCS and CPT?", keys=True)
        assert app.question_box.value == ""
        assert isinstance(app.focused, ChatInput)
        bubble = app.query(QuestionBubble).last()
        assert bubble.question == "what's the difference between HCPCS and CPT?"
        assert card.answer is not None
        assert card.answer.kind == "answer"
        assert card.answer.entry_id == "hcpcs-vs-cpt"
        assert card.has_class("-answer")
        assert card.query_one(".sources")  # sources under the answer
        assert app.exchanges[-1].answer is card.answer
        assert "Sources:" in screen_text(app)


async def test_suggestions_can_be_chosen_with_the_mouse_or_the_keyboard(app):
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.click("#examples", offset=(4, 1))  # the welcome's second example
        await settle(pilot)
        assert app.query(QuestionBubble).last().question == EXAMPLES[1]
        assert app.query(AnswerCard).last().answer.entry_id is not None

        # A fallback offers suggestions: Tab reaches the newest; Enter asks the highlighted one.
        card = await type_and_ask(pilot, "what is the weather today")
        assert card.answer.kind == "fallback"
        assert card.has_class("-fallback")
        questions = card.answer.choices.questions
        offered = card.query_one(Suggestions)
        assert offered.questions == questions
        assert (
            questions == tuple(a.question for a in card.answer.alternatives)
            or questions == STARTERS
        )
        await pilot.press("tab")
        assert app.focused is offered
        await pilot.press("enter")
        await settle(pilot)
        assert app.query(QuestionBubble).last().question == questions[0]
        assert app.exchanges[-1].answer is not None
        assert isinstance(app.focused, ChatInput)
        assert not offered.can_focus  # older suggestions leave the Tab order


async def test_a_fallback_offers_its_typed_alternatives_and_does_not_list_them_twice():
    # The body says nothing of the alternatives: they reach the card from the typed field only.
    reply = Answer(
        question="bell",
        kind="fallback",
        body="Not in my knowledge base.",
        alternatives=(
            Alternative("what-is-cpt", "What is CPT?", 40.0),
            Alternative("what-is-hcpcs", "What is HCPCS?", 38.0),
        ),
    )
    assert "- What is CPT?" in reply.markdown  # the command line's text lists them
    app = make_app(assistant=FixedAssistant(reply), options=STEADY)
    async with app.run_test(size=(100, 32)) as pilot:
        card = await type_and_ask(pilot, "bell")
        assert card.query_one(Suggestions).questions == ("What is CPT?", "What is HCPCS?")
        text = screen_text(app)
        assert "Closest topics I can answer:" in text
        assert "- What is CPT?" not in text and "• What is CPT?" not in text
        assert text.count("What is CPT?") == 1


async def test_an_uncertain_match_offers_did_you_mean():
    reply = Answer(
        question="hcpcs thing",
        kind="answer",
        body="HCPCS is the Healthcare Common Procedure Coding System.",
        entry=EntryRef("what-is-hcpcs", "What is HCPCS?"),
        score=70.0,
        alternatives=(Alternative("what-is-cpt", "What is CPT?", 65.0),),
        confidence="uncertain",
        sources=("CMS: HCPCS - General Information",),
    )
    app = make_app(assistant=FixedAssistant(reply), options=STEADY)
    async with app.run_test() as pilot:
        card = await type_and_ask(pilot, "hcpcs thing")
        assert card.has_class("-uncertain")
        assert card.query_one(Suggestions).questions == ("What is CPT?",)
        assert "Did you mean" in screen_text(app)


async def test_answers_stay_in_the_order_asked_and_page_keys_scroll_them(app):
    async with app.run_test() as pilot:
        for q in ("j codes?", "V5266", "modifier 59"):
            await app.ask(q)
        await settle(pilot)
        bubbles = [b.question for b in app.query(QuestionBubble)]
        answers = [c.answer.question for c in app.query(AnswerCard)]
        assert bubbles == ["j codes?", "V5266", "modifier 59"]
        assert answers == bubbles

        transcript = app.transcript  # Page Up scrolls them, from the question box
        bottom = transcript.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < bottom
        assert isinstance(app.focused, ChatInput)


async def test_a_failing_answer_is_reported_not_fatal():
    app = make_app(assistant=FixedAssistant(RuntimeError("boom")), options=STEADY)
    async with app.run_test() as pilot:
        card = await type_and_ask(pilot, "anything")
        assert card.answer.kind == "fallback"
        assert card.answer.body == ERROR_TEXT
        assert app.is_running


# -- literal text ----------------------------------------------------------------------------


async def test_markup_typed_by_the_user_is_shown_literally(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_ask(pilot, MARKUP, keys=True)
        assert app.is_running  # [@click=app.quit] did nothing
        bubble = app.query(QuestionBubble).last()
        assert MARKUP in bubble.visual.plain
        assert MARKUP in screen_text(app)


async def test_markup_in_answers_and_sources_is_shown_literally():
    reply = Answer(
        question="q",
        kind="answer",
        body=f"Text with {MARKUP} in it.",
        score=100.0,
        confidence="high",
        sources=(f"Source {MARKUP}",),
        release="January 2026 [dim]",
    )
    app = make_app(assistant=FixedAssistant(reply), options=STEADY)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_and_ask(pilot, "q")
        text = screen_text(app)
        assert f"Text with {MARKUP} in it." in text
        assert f"Source {MARKUP}" in text
        assert "HCPCS data: January 2026 [dim]" in text


# -- history and the input ---------------------------------------------------------------------


async def test_up_and_down_walk_the_history_and_escape_clears(app):
    async with app.run_test() as pilot:
        await type_and_ask(pilot, "j codes?")
        await type_and_ask(pilot, "V5266")
        box = app.question_box
        await type_text(pilot, "draft")
        await pilot.press("up")
        assert box.value == "V5266"
        await pilot.press("up")
        assert box.value == "j codes?"
        await pilot.press("up")  # the oldest stays
        assert box.value == "j codes?"
        await pilot.press("down")
        assert box.value == "V5266"
        await pilot.press("down")
        assert box.value == "draft"
        await pilot.press("escape")
        assert box.value == ""
        assert isinstance(app.focused, ChatInput)


def test_history_skips_repeats_and_blanks():
    history = History()
    for q in ("a", "a", "  ", "b"):
        history.add(q)
    assert history.items == ("a", "b")
    assert history.newer() is None
    assert history.older("typed") == "b"
    assert history.older("ignored") == "a"
    assert history.older("ignored") is None
    assert history.newer() == "b"
    assert history.newer() == "typed"


# -- help, topics, palette, theme ------------------------------------------------------------


async def test_f1_shows_every_key_binding(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in ALL_KEYS:
            assert key.shown in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert isinstance(app.focused, ChatInput)


def test_every_app_key_is_in_the_help():
    assert set(APP_KEYS) <= set(ALL_KEYS)
    bound = {b.key for b in HcpcsApp.BINDINGS}
    assert {"f1", "f2,ctrl+t", "ctrl+s", "ctrl+y", "ctrl+l", "f3"} <= bound


async def test_topics_panel_lists_the_knowledge_base_and_asks(app, assistant):
    groups = assistant.kb.groups()
    first_group, entries = next(iter(groups.items()))
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.query_one(TopicsPanel)
        assert not panel.display
        await pilot.press("f2")
        await pilot.pause()
        assert panel.display
        assert app.focused is panel
        assert len(panel.root.children) == len(groups)
        assert str(panel.root.children[0].label).startswith(first_group)
        await pilot.press("enter")  # open the first group
        await pilot.press("down", "enter")  # its first entry
        await settle(pilot)
        asked = app.query(QuestionBubble).last().question
        assert asked == entries[0].title
        assert app.query(AnswerCard).last().answer.entry_id == entries[0].id
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not panel.display
        assert isinstance(app.focused, ChatInput)


async def test_command_palette_offers_the_app_commands(app):
    async with app.run_test() as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in (
            "Clear conversation",
            "Export conversation",
            "Toggle topics",
            "Switch light/dark theme",
            "Help",
        ):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "export conv")
        await settle(pilot)  # the palette's search
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)


async def test_themes_light_dark_and_switching(assistant):
    assert make_app(assistant=assistant).theme == "hcpcs-dark"
    light = make_app(theme="light", assistant=assistant, options=STEADY)
    assert light.theme == "hcpcs-light"
    async with light.run_test() as pilot:
        await pilot.press("f3")
        assert light.theme == "hcpcs-dark"
        await pilot.press("f3")
        assert light.theme == "hcpcs-light"


def test_make_app_builds_its_own_assistant():
    app = make_app(theme="light")
    assert isinstance(app, HcpcsApp)
    assert app.assistant.kb.entries


@pytest.mark.parametrize("options", [AppOptions(), STEADY])
async def test_options_chosen_through_the_factory_are_what_the_app_does(assistant, options):
    """The app as people use it blinks and opens the data in the background; a steady app does
    neither. Nothing else in the app knows who built it."""
    opened = []

    class WithData:
        kb = assistant.kb
        data_problem = None

        def answer(self, question):
            return assistant.answer(question)

        def data_release(self):
            opened.append(True)
            return None

    app = make_app(assistant=WithData(), options=options)
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.question_box.cursor_blink is options.cursor_blink
        assert bool(opened) is options.preload


# -- copy, clear, export -----------------------------------------------------------------------


async def test_ctrl_y_copies_the_last_answer_as_plain_text(app):
    async with app.run_test() as pilot:
        await pilot.press("ctrl+y")  # nothing yet: a warning, no crash
        assert app.clipboard == ""
        card = await type_and_ask(pilot, "What are the CPT sections?")
        assert "|" in card.answer.markdown and "`" in card.answer.markdown  # a table, codes
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("CPT Category I codes are grouped")
        assert "Surgery: 10004-69990\n" in app.clipboard
        assert "\n\nSources: " in app.clipboard

        await type_and_ask(pilot, "V5266")
        await pilot.press("ctrl+y")
        copied = app.clipboard
        assert copied.startswith("V5266 · HCPCS Level II\n\nCode set: HCPCS Level II\n")
        assert "Maintained by: CMS\n" in copied
        for mark in ("**", "`", "|", "###"):
            assert mark not in copied


async def test_clear_asks_first_n_or_escape_keep_the_conversation_and_y_clears(app):
    async with app.run_test(notifications=True) as pilot:
        await pilot.press("ctrl+l")  # nothing to lose: no question, nothing happens
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        await type_and_ask(pilot, "j codes?")
        for key in ("n", "escape", "enter"):  # Enter: on the focused Cancel button
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "Clear the conversation?" in screen_text(app)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, ConfirmScreen)
            assert len(app.query(QuestionBubble)) == 1 and len(app.exchanges) == 1
        assert isinstance(app.focused, ChatInput)

        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("y")  # Y clears
        await pilot.pause()
        assert not app.query(QuestionBubble)
        assert app.query(WelcomeCard)
        assert app.exchanges == []
        await pilot.press("up")  # the history survives a clear
        assert app.question_box.value == "j codes?"


async def test_export_writes_the_conversation_where_asked(app, tmp_path):
    target = tmp_path / "talk.md"
    async with app.run_test(notifications=True) as pilot:
        await type_and_ask(pilot, "What are J codes?")
        await type_and_ask(pilot, "V5266")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# HCPCS assistant conversation")
        assert "## 1. What are J codes?" in text
        assert "## 2. V5266" in text
        assert app.exchanges[0].answer.markdown.strip() in text
        assert app.exchanges[1].answer.markdown.strip() in text
        assert "Sources: " in text
        assert [p.name for p in tmp_path.iterdir()] == ["talk.md"]  # no temporary file left
        messages = [n.message for n in app._notifications]
        assert any(str(target) in m for m in messages)


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    """The user's documents folder, here an empty temporary one."""
    import platformdirs

    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(folder))
    return folder


async def test_export_goes_to_the_documents_folder_and_never_replaces_without_asking(
    app, documents
):
    target = documents / "notes.md"
    target.write_text("my own notes\n", encoding="utf-8")
    async with app.run_test(notifications=True) as pilot:
        await type_and_ask(pilot, "What are J codes?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert str(documents) in app.screen.directory
        await pilot.press("enter")  # the default name, in the documents folder
        await pilot.pause()
        (written,) = (p for p in documents.iterdir() if p != target)
        assert written.name.startswith("hcpcs-conversation-") and written.suffix == ".md"
        assert "## 1. What are J codes?" in written.read_text(encoding="utf-8")

        for keys, kept in ((["escape"], True), (["enter"], True), (["n"], True), (["y"], False)):
            await pilot.press("ctrl+s")
            await pilot.pause()
            app.screen.query_one("#export-path", Input).value = "notes.md"  # relative: documents
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReplaceScreen), keys
            assert str(target) in app.screen.path
            await pilot.press(*keys)  # Enter presses the focused button: Cancel
            await pilot.pause()
            assert not isinstance(app.screen, (ReplaceScreen, ExportScreen))
            text = target.read_text(encoding="utf-8")
            assert (text == "my own notes\n") is kept, keys
        assert "## 1. What are J codes?" in text
        messages = [n.message for n in app._notifications]
        assert any("was kept as it was" in m for m in messages)
        assert any(f"exported to {target}" in m for m in messages)
    assert sorted(documents.iterdir()) == sorted([written, target])  # no temporary file


def test_write_atomic_without_overwrite_keeps_an_existing_file(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(FileExistsError):
        export.write_atomic(target, "new\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
    export.write_atomic(tmp_path / "fresh.md", "new\n", overwrite=False)
    assert (tmp_path / "fresh.md").read_text(encoding="utf-8") == "new\n"


async def test_nothing_typed_reaches_the_disk_without_export(app, tmp_path, monkeypatch, documents):
    monkeypatch.chdir(tmp_path)
    async with app.run_test() as pilot:
        await type_and_ask(pilot, "my patient's question")
        await pilot.press("up", "escape")
        await pilot.press("ctrl+s")  # an export, cancelled
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    assert list(tmp_path.iterdir()) == [documents]
    assert list(documents.iterdir()) == []


async def test_export_to_a_folder_uses_the_default_name_and_to_a_missing_one_fails(app, tmp_path):
    async with app.run_test(notifications=True) as pilot:
        await type_and_ask(pilot, "j codes?")
        path = app.export_conversation(str(tmp_path))
        assert path is not None and path.parent == tmp_path
        assert path.name.startswith("hcpcs-conversation-") and path.suffix == ".md"
        assert not any(n.severity == "error" for n in app._notifications)
        assert app.export_conversation(str(tmp_path / "no" / "such" / "x.md")) is None
        await pilot.pause()
        assert any(n.severity == "error" for n in app._notifications)


def test_write_atomic_replaces_an_existing_file(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    export.write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_export_markdown_keeps_questions_literal_on_one_line():
    reply = Answer(
        question="q", kind="answer", body="An answer.", sources=("S",), confidence="high"
    )
    text = export.conversation_markdown(
        [Exchange("two\nlines [b]x[/b]", reply), Exchange("pending")]
    )
    assert "## 1. two lines [b]x[/b]" in text
    assert "pending" not in text  # an answer that never arrived is not exported


def test_export_resolves_relative_paths_in_the_documents_folder(documents, tmp_path):
    assert export.documents_dir() == documents
    assert export.resolve("x.md") == documents / "x.md"
    assert export.resolve("").parent == documents
    assert export.resolve(None).name.startswith("hcpcs-conversation-")
    assert export.resolve("x.md", base=tmp_path) == tmp_path / "x.md"


def test_without_a_documents_folder_export_goes_home(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "none"))
    assert export.documents_dir() == Path.home()


# -- in a browser tab: downloads, never files --------------------------------------------------


@pytest.fixture
def nowhere(tmp_path, monkeypatch, documents) -> list[Path]:
    """Every folder a file could land in by default, all empty temporary ones."""
    import platformdirs

    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    monkeypatch.setattr(platformdirs, "user_downloads_dir", lambda: str(downloads))
    monkeypatch.setattr("textual.app.user_downloads_path", lambda: downloads)
    monkeypatch.chdir(tmp_path)
    return [tmp_path, documents, downloads]


def files_in(folders: list[Path]) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


async def test_in_a_browser_tab_export_and_screenshot_are_downloads(
    assistant, nowhere, monkeypatch
):
    """Ctrl+S, the palette's export and its screenshot, one after the other in one tab."""
    app = make_app(assistant=assistant, options=STEADY, browser=True)
    monkeypatch.setattr(HcpcsApp, "is_web", property(lambda self: True))  # as on the web driver
    sent = []

    def deliver_binary(binary, **kwargs):  # what Textual's web driver streams to the browser
        sent.append((binary.read(), kwargs))

    async with app.run_test(notifications=True) as pilot:
        monkeypatch.setattr(app._driver, "deliver_binary", deliver_binary)
        await type_and_ask(pilot, "What are J codes?")
        for how in ("ctrl+s", "palette export", "palette screenshot"):
            if how == "ctrl+s":
                await pilot.press("ctrl+s")
            else:
                await pilot.press("ctrl+p")
                await pilot.pause()
                await type_text(pilot, how.removeprefix("palette "))
                await settle(pilot)  # the palette's search
                await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, ExportScreen), how  # no path is asked for
            assert len(sent) == 1, how
            ((body, options),) = sent
            if how == "palette screenshot":
                assert options["mime_type"] == "image/svg+xml" and "<svg" in body
            else:
                assert options["mime_type"] == "text/markdown", how
                assert options["save_path"].name.startswith("hcpcs-conversation-"), how
                assert "## 1. What are J codes?" in body, how
            sent.clear()
    assert files_in(nowhere) == []


async def test_a_browser_tab_outside_a_browser_writes_nothing(assistant, nowhere):
    """Started for a browser (``--browser``) but not on the web driver: no download can be
    made, and nothing is written anywhere instead."""
    app = make_app(assistant=assistant, options=STEADY, browser=True)
    async with app.run_test(notifications=True) as pilot:
        await type_and_ask(pilot, "What are J codes?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert app.export_conversation(str(nowhere[0] / "x.md")) is None
        assert app.deliver_screenshot() is None
        await pilot.pause()
        assert sum(n.severity == "error" for n in app._notifications) == 2
    assert files_in(nowhere) == []


def test_the_browser_option_reaches_the_app(monkeypatch):
    seen = {}
    monkeypatch.setattr("assistant.tui.app.run", lambda **kw: seen.update(kw) or 0)
    assert cli.main(["--browser", "--theme", "light"]) == 0
    assert seen["browser"] is True and seen["theme"] == "light"


# -- size, start-up, command line --------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_code_gets_a_distinct_code_card_at_small_and_large_sizes(app, size):
    async with app.run_test(size=size) as pilot:
        card = await type_and_ask(pilot, "V5266")
        assert card.answer.kind == "code"
        assert card.has_class("-code")
        assert card.border_title == "Code lookup"
        assert card.answer.codes[0].code == "V5266"
        box = app.question_box.region
        assert box.bottom <= size[1] and box.right <= size[0]
        assert box.height == 3
        lines = screen_lines(app)
        assert "Code lookup" in "\n".join(lines)
        assert any("V5266 · HCPCS Level II" in line for line in lines)
        assert lines[-1].lstrip().startswith("^q Quit")  # the footer is on the last line


def test_first_paint_seconds_measures_something():
    seconds = first_paint_seconds()
    assert isinstance(seconds, float) and seconds > 0


def test_command_line_without_arguments_opens_the_chat(monkeypatch):
    calls = []

    def fake_run(kb_dir=None, theme=None, browser=False):
        calls.append((kb_dir, theme, browser))
        return 0

    monkeypatch.setattr("assistant.tui.app.run", fake_run)
    assert cli.main([]) == 0
    assert cli.main(["--theme", "light"]) == 0
    assert calls == [(None, None, False), (None, "light", False)]


def test_the_app_is_styled_from_tcss_files():
    here = Path(HcpcsApp.__module__.replace(".", "/")).parent
    for name in HcpcsApp.CSS_PATH:
        assert (Path(__file__).parents[1] / here / name).is_file()


@pytest.mark.parametrize("question", EXAMPLES)
def test_every_welcome_example_has_a_real_answer(assistant, question):
    reply = assistant.answer(question)
    assert reply.kind in ("answer", "code")
    assert not reply.choices.questions  # a demo example must not land on "Did you mean"


async def test_unusable_imported_data_is_reported_once_and_answers_carry_on():
    def broken_data():
        raise DataUnavailable("the HCPCS database is unusable (database disk image is malformed)")

    assistant = Assistant.from_dir(None, data_source=broken_data)
    app = make_app(assistant=assistant, options=STEADY)
    async with app.run_test(notifications=True) as pilot:
        app._preload()
        await app.workers.wait_for_complete()
        await settle(pilot)
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        assert "malformed" in warnings[0].message
        assert app.sub_title == "HCPCS data unavailable"
        card = await type_and_ask(pilot, "what are j codes")
        assert "J codes" in card.answer.markdown


async def test_data_that_fails_on_a_look_up_is_reported_once_from_the_answers():
    class FailsOnLookUp:
        release = "January 2026 (test)"

        def check(self):
            pass

        def close(self):
            pass

        def code(self, code):
            raise DataUnavailable("the HCPCS database is unusable (disk I/O error)")

        def modifier(self, code):
            return None

        def nearest(self, code, limit=5):
            return []

        def search(self, words, limit=8):
            return []

    assistant = Assistant.from_dir(None, data_source=FailsOnLookUp)
    app = make_app(assistant=assistant, options=STEADY)
    async with app.run_test(notifications=True) as pilot:
        card = await type_and_ask(pilot, "E0601")
        assert "disk I/O error" in card.answer.data_problem
        await type_and_ask(pilot, "J1745")
        await settle(pilot)
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        assert "disk I/O error" in warnings[0].message
        assert app.sub_title == "HCPCS data unavailable"


# -- never stuck -------------------------------------------------------------------------------

HUNG_APP = """
import threading
from assistant.core.answer import Assistant
from assistant.tui.app import STEADY, make_app

real = Assistant.from_dir(None)

class Stuck:
    kb = real.kb
    def answer(self, question):  # a look-up stuck on a hung network mount
        threading.Event().wait()

app = make_app(assistant=Stuck(), options=STEADY)

async def ask_then_quit():
    await app.ask("What are J codes?")
    app.set_timer(0.5, lambda: app.run_action("quit"))  # what Ctrl+Q does

app.call_after_refresh(ask_then_quit)
app.run(headless=True, size=(80, 24))
print("quit", flush=True)
"""


def test_ctrl_q_quits_even_while_an_answer_is_stuck(empty_data_dir):
    import os
    import subprocess
    import sys

    env = dict(os.environ, HCPCS_ASSISTANT_DATA=str(empty_data_dir))
    done = subprocess.run(
        [sys.executable, "-c", HUNG_APP],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,  # before: the exit waited for the stuck thread forever
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("quit")


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes")
async def test_a_named_pipe_as_the_data_file_neither_blocks_the_app_nor_quitting(
    tmp_path, monkeypatch
):
    import os

    from assistant.codes.hcpcs.paths import DB_NAME

    data = tmp_path / "data"
    data.mkdir()
    os.mkfifo(data / DB_NAME)  # reading it would wait forever for a writer
    monkeypatch.setenv("HCPCS_ASSISTANT_DATA", str(data))
    app = make_app(theme="light")  # the real start: the user's data is opened
    async with app.run_test(notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.sub_title == "HCPCS data unavailable"
        (warning,) = [n for n in app._notifications if n.severity == "warning"]
        assert "is a named pipe, not a database file" in warning.message
        card = await type_and_ask(pilot, "what are j codes")
        assert "J codes" in card.answer.markdown
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


# -- layout and discoverability ----------------------------------------------------------------

LONG_CARD = Answer(
    question="J1745",
    kind="code",
    body="",
    cards=(
        "### `J1745` · HCPCS Level II\n\n| | |\n|---|---|\n"
        "| **Code set** | HCPCS Level II |\n"
        "| **Maintained by** | CMS |\n"
        "| **Section** | Drugs administered other than oral method, and chemotherapy drugs "
        "(`J0000-J9999`) |\n"
        "| **Description** | Injection, infliximab, excludes biosimilar, 10 mg |\n"
        "| **Status** | active since 2000-01-01 |\n"
        "| **In the code list** | yes |\n\n"
        "`J1745` is a HCPCS Level II code, not CPT."
    ),
    confidence="high",
)


async def test_a_code_card_s_labels_never_wrap_at_80_columns():
    app = make_app(assistant=FixedAssistant(LONG_CARD), options=STEADY)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_and_ask(pilot, "J1745")
        lines = screen_lines(app)
        for label in ("Maintained by", "In the code list"):
            assert any(f"┃  {label}  " in line for line in lines), label
        heading = next(i for i, line in enumerate(lines) if "J1745 · HCPCS Level II" in line)
        assert lines[heading + 1].strip("┃ ▁▂▃▄▅▆▇█") == ""  # a blank line (not a header row)
        assert "Code set" in lines[heading + 2]


async def test_answers_keep_a_readable_width_on_a_wide_screen(app):
    async with app.run_test(size=(200, 55)) as pilot:
        card = await type_and_ask(pilot, "What are J codes?")
        assert card.region.width <= 100
        bubble = app.query(QuestionBubble).last()
        assert bubble.region.x == card.region.x  # one centred column
        assert card.region.x > 40


async def test_a_narrow_topics_panel_cuts_long_titles_and_closes_after_a_choice(app, assistant):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        panel = app.query_one(TopicsPanel)
        for node in panel.root.children:
            node.expand()
        await pilot.pause()
        assert panel.virtual_size.width <= panel.scrollable_content_region.width
        assert panel.scrollbars_enabled[1] is False  # no horizontal scrollbar
        longest = max((e.title for e in assistant.kb.entries), key=len)
        assert len(longest) > panel.size.width
        assert "…" in screen_text(app)

        await pilot.press("down", "enter")  # the first group's first entry
        await settle(pilot)
        assert not panel.display  # closed after the choice: the screen is narrow
        assert app.query(AnswerCard)


async def test_the_footer_shows_the_quiz_and_in_a_browser_not_quit(assistant):
    terminal = make_app(assistant=assistant, options=STEADY)
    async with terminal.run_test(size=(80, 24)):
        footer = screen_lines(terminal)[-1]
        assert "f4 Quiz" in footer and "^q Quit" in footer and "^p palette" in footer
    browser = make_app(assistant=assistant, options=STEADY, browser=True)
    async with browser.run_test(size=(80, 24)) as pilot:
        footer = screen_lines(browser)[-1]
        assert "f4 Quiz" in footer and "f3 Theme" in footer
        assert "Quit" not in footer and "^q" not in footer
        await pilot.press("ctrl+q")  # still ends the session
        await pilot.pause()
        assert not browser.is_running


async def test_a_certain_answer_offers_no_suggestions_and_notices_leave_the_input_free(app):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        card = await type_and_ask(pilot, "What are J codes?")
        assert card.answer.score >= 85
        assert not card.query(Suggestions)  # nothing to choose from under a certain answer
        await pilot.press("ctrl+y")  # its notice: never over the question box
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert toasts
        for toast in toasts:
            assert not toast.region.overlaps(app.question_box.region)
            assert toast.region.y < app.size.height // 2


async def newest_in_view(app) -> bool:
    """Whether the newest answer is on the screen: all of it, or (when it is taller than the
    transcript) from its question at the top down."""
    shown = app.transcript.region
    bubble = app.query(QuestionBubble).last()
    card = app.query(AnswerCard).last()
    if shown.contains_region(bubble.region) and shown.contains_region(card.region):
        return True
    return shown.contains_region(bubble.region) and bubble.region.y - shown.y <= 1


async def test_opening_topics_or_resizing_keeps_the_newest_answer_in_view(app):
    async with app.run_test(size=(120, 40)) as pilot:
        for question in ("What are J codes?", "What are the CPT sections?", "modifier 59"):
            await type_and_ask(pilot, question)
        assert await newest_in_view(app)
        await pilot.press("f2")  # the transcript narrows and its answers grow taller
        await settle(pilot)
        assert await newest_in_view(app)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert await newest_in_view(app)
        await pilot.resize_terminal(200, 55)
        await settle(pilot)
        assert await newest_in_view(app)


async def test_the_payment_reply_has_its_own_title(app):
    async with app.run_test(size=(80, 24)) as pilot:
        card = await type_and_ask(pilot, "how much does medicare pay for 99213")
        assert card.answer.out_of_scope == "fees"
        assert card.border_title == "Payment amounts are not in this assistant"
        assert card.has_class("-scope")
        text = screen_text(app)
        assert "Payment amounts are not in this assistant" in text
        assert "fee schedule" in " ".join(
            md.source for md in card.query("AnswerMarkdown").results()
        )


async def test_a_question_on_ones_own_plan_is_titled_so(app):
    async with app.run_test(size=(80, 24)) as pilot:
        card = await type_and_ask(pilot, "does my health insurance cover a walker")
        assert card.answer.out_of_scope == "own-coverage"
        assert card.border_title == "Your own plan decides your coverage"
        assert card.has_class("-scope")


# -- starting: the app is there at once -----------------------------------------------------


async def test_the_app_starts_before_the_knowledge_base_is_loaded(assistant):
    import threading

    release = threading.Event()

    def slow_load():
        release.wait(30)
        return assistant

    app = HcpcsApp(None, load=slow_load)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Loading the knowledge base" in screen_text(app)
        assert not app.ready
        app.question_box.value = "What are J codes?"
        await pilot.press("enter")  # asked while loading: answered once it is there
        await pilot.press("f4")  # no quiz yet, and no crash
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert app.ready
        assert app.query(WelcomeCard) and not app.query("LoadingCard")
        assert list(app.transcript.children)[0] is app.query_one(WelcomeCard)
        assert "J codes" in app.query(AnswerCard).last().answer.markdown
        assert app.topics.root.children


async def test_ctrl_q_quits_at_once_while_the_knowledge_base_loads(assistant):
    import threading

    never = threading.Event()
    app = HcpcsApp(None, load=lambda: never.wait() and assistant)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="terminals")
def test_keys_typed_during_start_up_are_kept_and_the_terminal_put_back(monkeypatch):
    import os
    import termios

    leader, follower = os.openpty()
    with os.fdopen(follower, "r", closefd=False) as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        before = termios.tcgetattr(follower)
        assert before[0] & termios.IXON and before[3] & termios.ICANON
        with cli._keys_kept_for_the_app():
            during = termios.tcgetattr(follower)
            assert not during[0] & termios.IXON  # Ctrl+Q is a key, not flow control
            assert not during[3] & (termios.ICANON | termios.ECHO)
            assert during[3] & termios.ISIG  # Ctrl+C still interrupts
            os.write(leader, b"\x11")
            assert os.read(follower, 1) == b"\x11"  # kept for the app, not swallowed
        assert termios.tcgetattr(follower) == before
    os.close(leader)
    os.close(follower)


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="terminals")
def test_ctrl_q_pressed_as_the_app_is_launched_quits_it(empty_data_dir):
    """In a real terminal, Ctrl+Q typed before the app has drawn anything (while Python loads
    it) is not lost: the app quits as soon as it reads it, without waiting for the knowledge
    base."""
    import os
    import pty
    import select
    import sys
    import time

    pid, leader = pty.fork()
    if pid == 0:  # the child: the chat app, as a user starts it
        os.environ["HCPCS_ASSISTANT_DATA"] = str(empty_data_dir)
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "assistant"])
    import termios

    try:
        drawn = b""
        deadline = time.monotonic() + 60
        while termios.tcgetattr(leader)[0] & termios.IXON:  # until the keys are kept
            assert time.monotonic() < deadline
            if select.select([leader], [], [], 0.005)[0]:
                drawn += os.read(leader, 65536)
        assert b"\x1b[?1049h" not in drawn  # the app has not taken the screen yet
        os.write(leader, b"\x11")
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            select.select([leader], [], [], 0.1)
            with contextlib.suppress(OSError):
                os.read(leader, 65536)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("Ctrl+Q typed at launch was lost: the app did not quit")
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        os.close(leader)
