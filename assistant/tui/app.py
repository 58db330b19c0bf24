"""The chat app: a full-screen Textual chat over :meth:`Assistant.answer`.

``make_app()`` builds it (the command line, ``serve`` and the tests all use it) and ``run()``
runs it in the terminal. Widgets post messages up (a question submitted, a suggestion or topic
chosen); the app answers and calls documented methods down on the transcript and the input.

Answers are computed in a thread, one at a time, so a first look-up that has to load data (the
ICD-10-CM code set) never freezes typing; the answer's card is placed at once and filled in, so
answers always follow their questions in order. ICD-10-CM is warmed in a worker after the first
frame. Nothing typed is written to disk unless the user exports the conversation.

In a browser tab (``serve`` starts each tab's app with ``browser=True``, and Textual's web driver
says so too) nothing is ever written on the server: Ctrl+S, the palette's export and its
screenshot send the file to the learner's browser as a download, and no path is asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from assistant.codes import icd
from assistant.core.kb import KnowledgeBase
from assistant.core.result import Answer
from assistant.tui import export, keys
from assistant.tui import theme as themes
from assistant.tui.conversation import Exchange
from assistant.tui.plain_text import answer_text
from assistant.tui.screens.confirm import ConfirmScreen
from assistant.tui.screens.export import ExportScreen, ReplaceScreen
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.quiz import QuizScreen
from assistant.tui.widgets.chat_input import ChatInput
from assistant.tui.widgets.suggestions import Suggestions
from assistant.tui.widgets.topics import TopicsPanel
from assistant.tui.widgets.transcript import AnswerCard, LoadingCard, Transcript, WelcomeCard

EXAMPLES = (
    "What's the difference between HCPCS and CPT?",
    "What are J codes?",
    "V5266",
    "modifier 59",
    "What is HCPCS Level III?",
)
START_DELAY = 0.1  # seconds after the first frame before the knowledge base starts loading
NARROW = 100  # below this width the topics panel closes after a topic is chosen
ERROR_TEXT = (
    "Something went wrong while answering that question, so there is no answer. "
    "Please try asking it another way."
)


async def in_background(function, *args):
    """``function(*args)`` in a daemon thread, awaited. A call stuck on a file (a hung network
    mount) then never keeps the app from quitting: Ctrl+Q ends the process whatever the thread
    is doing (``asyncio.to_thread`` would make the exit wait for it)."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(outcome, error) -> None:
        if not future.done():
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(outcome)

    def target() -> None:
        try:
            outcome, error = function(*args), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
            outcome, error = None, exc
        with contextlib.suppress(RuntimeError):  # the app has closed its loop: nobody waits
            loop.call_soon_threadsafe(settle, outcome, error)

    threading.Thread(target=target, name="hcpcs-background", daemon=True).start()
    return await future


class AssistantLike(Protocol):
    """What the app needs: a knowledge base to list, a way to answer, and what the imported
    data is (its release, or why it cannot be used)."""

    kb: KnowledgeBase
    data_problem: str | None

    def answer(self, question: str) -> Answer: ...

    def data_release(self) -> str | None: ...


@dataclass(frozen=True)
class AppOptions:
    """How the chat app behaves, chosen once by whoever builds it (through :func:`make_app`).

    The defaults are the app as people use it. A still picture (the README screenshot, the
    snapshots) or a scripted run wants a steady cursor, no background work it did not ask for,
    and the same quiz each time."""

    cursor_blink: bool = True  # the question box's cursor blinks
    preload: bool = True  # open ICD-10-CM and the imported data after the first frame
    quiz_seed: int | None = None  # the same ten quiz questions each time; None: a fresh quiz


STEADY = AppOptions(cursor_blink=False, preload=False)  # still pictures and scripted runs


class HcpcsApp(App[None]):
    """Questions in, answers out: the transcript, the question box and the topics panel."""

    TITLE = "HCPCS assistant"
    SUB_TITLE = "CPT and HCPCS questions, answered offline"
    CSS_PATH = ["app.tcss", "screens.tcss"]
    BINDINGS = keys.bindings()

    def __init__(
        self,
        assistant: AssistantLike | None,
        *,
        theme_choice: str | None = None,
        options: AppOptions = AppOptions(),
        browser: bool = False,
        load: Callable[[], AssistantLike] | None = None,
    ) -> None:
        """The app over ``assistant``; or, with ``assistant=None``, over the one ``load()``
        returns, built in the background after the first frame (so the app, and Ctrl+Q, are
        there at once)."""
        super().__init__()
        if assistant is None and load is None:
            raise ValueError("an assistant, or a way to load one, is needed")
        self.assistant: AssistantLike | None = assistant
        self._load = load
        self._loaded = asyncio.Event()  # set once the assistant is there
        if assistant is not None:
            self._loaded.set()
        self.options = options
        self.browser = browser  # one browser tab of `serve`: never write a file here
        self.exchanges: list[Exchange] = []
        self._data_problem_shown = False
        self._answer_lock = threading.Lock()  # one answer at a time: the core is not thread-safe
        for t in themes.THEMES.values():
            self.register_theme(t)
        self.theme = themes.theme_name(theme_choice)
        if browser:  # the footer of a browser tab: Ctrl+Q (which may quit the browser) left out
            table = self._bindings.key_to_bindings
            for binding in keys.bindings(browser=True):
                for key in binding.key.split(","):
                    table[key] = [replace(b, show=binding.show) for b in table.get(key, [])]

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            groups = self.assistant.kb.groups() if self.assistant is not None else {}
            yield TopicsPanel(groups, id="topics")
            yield Transcript(id="transcript")
        yield ChatInput(id="question", cursor_blink=self.options.cursor_blink)
        yield Footer()

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def question_box(self) -> ChatInput:
        return self.query_one(ChatInput)

    @property
    def topics(self) -> TopicsPanel:
        return self.query_one(TopicsPanel)

    def _welcome(self) -> WelcomeCard:
        assert self.assistant is not None
        knowledge = self.assistant.kb
        return WelcomeCard(len(knowledge.entries), list(knowledge.groups()), EXAMPLES)

    async def on_mount(self) -> None:
        if self.assistant is not None:
            await self.transcript.show_welcome(self._welcome())
        else:
            await self.transcript.show_welcome(LoadingCard())
        self.question_box.focus()

    def on_ready(self) -> None:
        if self.assistant is None:
            # Keys typed during start-up (Ctrl+Q) are handled first, before the loading
            # thread competes for the interpreter.
            self.set_timer(START_DELAY, self._start)
        elif self.options.preload:
            self._preload()

    @work(group="start", exit_on_error=False)
    async def _start(self) -> None:
        """Build the assistant in the background, then show the welcome and the topics.

        Questions typed meanwhile wait for it (in order); quitting never does: the thread is
        a daemon."""
        assert self._load is not None
        try:
            self.assistant = await in_background(self._load)
        except Exception as exc:  # noqa: BLE001 - said in the app, which stays usable to quit
            await self.transcript.replace_welcome(LoadingCard(failed=str(exc)))
            return
        self.topics.load(self.assistant.kb.groups())
        await self.transcript.replace_welcome(self._welcome())
        self._loaded.set()
        if self.options.preload:
            self._preload()

    @property
    def ready(self) -> bool:
        """Whether the knowledge base is loaded (the app has an assistant)."""
        return self._loaded.is_set()

    @work(group="preload", exit_on_error=False)
    async def _preload(self) -> None:
        """Load ICD-10-CM and open the imported HCPCS data, so the first look-up is quick.

        In a browser tab ICD-10-CM is left to load on the first question that needs it: a class
        opens many tabs, and most never ask about a diagnosis code."""
        release = await in_background(self._load_data, not self.in_browser)
        problem = self.assistant.data_problem if self.assistant is not None else None
        if release:
            self._show_release(release)
        elif problem:
            self._show_data_problem(problem)

    def _load_data(self, with_icd: bool) -> str | None:
        """(In a background thread.) The imported data's release, or None."""
        if with_icd:
            # Without ICD-10-CM (library missing or unreadable), look-ups load it or say so.
            with contextlib.suppress(ImportError, OSError):
                icd.preload()
        if self.assistant is None:
            return None
        with self._answer_lock:
            return self.assistant.data_release()  # None, with data_problem set, when it fails

    def _show_release(self, release: str) -> None:
        self.sub_title = f"HCPCS data: {release}"

    def _show_data_problem(self, problem: str) -> None:
        """Say once that the imported data cannot be used; answers carry on without it."""
        if self._data_problem_shown:
            return
        self._data_problem_shown = True
        self.sub_title = "HCPCS data unavailable"
        self.notify(
            f"{problem}\nAnswers carry on without official descriptions.",
            title="HCPCS data unavailable",
            severity="warning",
            timeout=12,
            markup=False,
        )

    # -- asking ------------------------------------------------------------------------------
    async def ask(self, question: str) -> AnswerCard | None:
        """Ask a question: show it, remember it for Up/Down, and answer it in its place.

        Returns the card the answer goes into (None for a blank question).
        """
        question = question.strip()
        if not question:
            return None
        self.question_box.remember(question)
        exchange = Exchange(question)
        self.exchanges.append(exchange)
        card = await self.transcript.add_question(question)
        self.question_box.focus()
        self._answer(exchange, card)
        return card

    @work(group="answers", exit_on_error=False)
    async def _answer(self, exchange: Exchange, card: AnswerCard) -> None:
        await self._loaded.wait()  # the knowledge base is still loading
        reply = await in_background(self._compute, exchange.question)
        exchange.answer = reply
        await self.transcript.show_answer(card, reply)
        if reply.data_problem:  # the data failed on a look-up, after it opened
            self._show_data_problem(reply.data_problem)

    def _compute(self, question: str) -> Answer:
        assert self.assistant is not None
        with self._answer_lock:
            try:
                return self.assistant.answer(question)
            except Exception:  # noqa: BLE001 - one bad question must not end the session
                return Answer(question=question, kind="fallback", body=ERROR_TEXT)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self.question_box:
            return
        event.stop()
        text = event.value
        self.question_box.value = ""
        await self.ask(text)

    async def on_suggestions_chosen(self, message: Suggestions.Chosen) -> None:
        await self.ask(message.question)

    async def on_topics_panel_topic_chosen(self, message: TopicsPanel.TopicChosen) -> None:
        if self.size.width < NARROW:
            self.topics.remove_class("-visible")
        await self.ask(message.question)

    # -- actions (keys and the command palette) ----------------------------------------------
    def action_focus_input(self) -> None:
        """Back to the question box."""
        self.question_box.focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_topics(self) -> None:
        """Show the topics panel (and move into it), or hide it (and go back to the input)."""
        panel = self.topics
        panel.toggle_class("-visible")
        if panel.has_class("-visible"):
            panel.focus()
        else:
            self.question_box.focus()
        self.transcript.reveal_newest()  # the transcript's width changed

    def action_start_quiz(self) -> None:
        """Open the training quiz over the chat; Escape comes back."""
        if self.assistant is None:
            self.notify("The knowledge base is still loading: try again in a moment.")
            return
        if not isinstance(self.screen, QuizScreen):
            self.push_screen(QuizScreen(self.assistant.kb, seed=self.options.quiz_seed))

    def action_toggle_theme(self) -> None:
        self.theme = themes.switched(self.current_theme.dark)

    def action_scroll_transcript(self, direction: int) -> None:
        self.transcript.page(direction)

    def last_answer(self) -> Answer | None:
        """The newest answer that has arrived."""
        for exchange in reversed(self.exchanges):
            if exchange.answer is not None:
                return exchange.answer
        return None

    def action_copy_last(self) -> None:
        """Copy the last answer to the clipboard as plain text (no Markdown marks), with its
        sources: ready to paste into an email or a claim note."""
        reply = self.last_answer()
        if reply is None:
            self.notify("There is no answer to copy yet.", severity="warning")
            return
        self.copy_to_clipboard(answer_text(reply))
        self.notify("Copied the last answer to the clipboard as plain text.")

    def action_clear(self) -> None:
        """Clear the conversation, after asking (a trainer's demo is easily lost); the question
        history for Up/Down is kept."""
        if isinstance(self.screen, ConfirmScreen) or self.assistant is None:
            return
        asked = len(self.exchanges)
        if not asked:
            self.notify("The conversation is already empty.")
            return
        what = "question" if asked == 1 else f"{asked} questions"
        self.push_screen(
            ConfirmScreen(
                "Clear the conversation?",
                f"The {what} and {'its answer' if asked == 1 else 'their answers'} will be "
                "removed from the screen (export them first with Ctrl+S to keep them).",
                "Clear",
            ),
            callback=self._clear_if,
        )

    async def _clear_if(self, yes: bool | None) -> None:
        if yes:
            await self.clear_conversation()
        self.question_box.focus()

    async def clear_conversation(self) -> None:
        """Clear the conversation at once (Ctrl+L asks first)."""
        self.exchanges = []
        await self.transcript.show_welcome(self._welcome())
        self.question_box.focus()
        self.notify("Conversation cleared.")

    @property
    def in_browser(self) -> bool:
        """True in a browser tab: started by ``serve`` (``browser=True``) or on Textual's web
        driver. Files then go to the browser as downloads, never to this machine's disk."""
        return self.browser or self.is_web

    def action_export(self) -> None:
        """In a browser: download the conversation. In the terminal: ask where to write it."""
        if self.in_browser:
            self.download_conversation()
            return
        if isinstance(self.screen, (ExportScreen, ReplaceScreen)):
            return
        directory = export.documents_dir()
        self.push_screen(
            ExportScreen(
                export.default_name(), str(directory), cursor_blink=self.options.cursor_blink
            ),
            callback=lambda typed: self._export_to(typed, directory),
        )

    def _export_to(self, path_text: str | None, directory: Path | None = None) -> None:
        if path_text is None:
            return
        self.export_conversation(path_text, base=directory)

    def export_conversation(
        self, path_text: str | None = None, *, base: Path | None = None, overwrite: bool = False
    ) -> Path | None:
        """Write the conversation as Markdown (see :mod:`assistant.tui.export`); notify where.

        A relative path is in ``base`` (default: the documents folder). An existing file is
        replaced only with ``overwrite=True``; otherwise the user is asked first. In a browser
        tab nothing is written (see :meth:`download_conversation`).
        """
        if self.in_browser:
            self.notify(
                "In the browser the conversation is downloaded (Ctrl+S): nothing is saved here.",
                severity="warning",
                markup=False,
            )
            return None
        try:
            path = export.resolve(path_text, base=base)
            export.write_atomic(
                path, export.conversation_markdown(self.exchanges), overwrite=overwrite
            )
        except FileExistsError:
            self.push_screen(
                ReplaceScreen(str(path)),
                callback=lambda replace: self._replace(path, replace),
            )
            return None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.notify(
                f"Could not export to {path_text}: {reason}",
                severity="error",
                markup=False,
                timeout=8,
            )
            return None
        self.notify(f"Conversation exported to {path}", markup=False, timeout=8)
        return path

    def _replace(self, path: Path, replace: bool | None) -> None:
        if replace:
            self.export_conversation(str(path), overwrite=True)
        else:
            self.notify(f"Not exported: {path} was kept as it was.", markup=False, timeout=8)

    def download_conversation(self) -> str | None:
        """Send the conversation to the browser as a Markdown download (the delivery key)."""
        if not self.is_web:  # started for a browser but not in one: write nothing anywhere
            self.notify(
                "The conversation can only be downloaded from the browser page.",
                severity="error",
                markup=False,
            )
            return None
        name = export.default_name()
        key = self.deliver_text(
            io.StringIO(export.conversation_markdown(self.exchanges)),
            save_directory=".",  # ignored in a browser: the file is streamed to it
            save_filename=name,
            mime_type="text/markdown",
            name="conversation",
        )
        self.notify(f"Your browser is downloading the conversation as {name}", markup=False)
        return key

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's screenshot: a download in a browser (never a file on the server)."""
        if self.in_browser:
            if not self.is_web:
                self.notify(
                    "A screenshot can only be downloaded from the browser page.",
                    severity="error",
                    markup=False,
                )
                return None
            path = None  # Textual streams it to the browser; no directory of this machine
        return super().deliver_screenshot(filename, path, time_format)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, QuizScreen):  # not the chat commands: the chat is hidden
            yield SystemCommand(
                "Switch light/dark theme",
                "Light for projectors, dark for all day",
                self.action_toggle_theme,
            )
            yield from super().get_system_commands(screen)
            return
        yield SystemCommand("Clear conversation", "Start again from the welcome", self.action_clear)
        yield SystemCommand(
            "Export conversation", "Save the conversation as Markdown", self.action_export
        )
        yield SystemCommand(
            "Toggle topics", "Show or hide the knowledge base outline", self.action_toggle_topics
        )
        yield SystemCommand(
            "Switch light/dark theme",
            "Light for projectors, dark for all day",
            self.action_toggle_theme,
        )
        yield SystemCommand(
            "Start quiz", "Ten practice questions on codes and modifiers", self.action_start_quiz
        )
        yield SystemCommand("Help", "Every key binding", self.action_help)
        yield SystemCommand(
            "Copy last answer",
            "Copy the newest answer to the clipboard as plain text",
            self.action_copy_last,
        )
        yield from super().get_system_commands(screen)


def make_app(
    kb_dir: str | Path | None = None,
    theme: str | None = None,
    assistant: AssistantLike | None = None,
    *,
    options: AppOptions = AppOptions(),
    browser: bool = False,
) -> HcpcsApp:
    """The chat app over ``assistant``, or over one built from ``kb_dir`` and the imported data.

    ``theme`` is "light" or "dark" (None: dark). ``options`` are the
    :class:`AppOptions` (``STEADY`` for still pictures and scripted runs). ``browser`` is for the
    app processes of ``serve`` (``--browser`` on the command line): files become downloads.
    """
    if assistant is None:
        assistant = _build(kb_dir)
    return HcpcsApp(assistant, theme_choice=theme, options=options, browser=browser)


def _build(kb_dir: str | Path | None = None) -> AssistantLike:
    from assistant.core.answer import Assistant, _open_user_data

    return Assistant.from_dir(kb_dir, data_source=_open_user_data)


def run(kb_dir: str | Path | None = None, theme: str | None = None, browser: bool = False) -> int:
    """Run the chat app (in the terminal, or for one browser tab of ``serve``); the exit status
    for the command line.

    The built-in knowledge base loads in the background after the first frame, so the app is
    there (and Ctrl+Q quits) at once; another ``kb_dir`` is loaded first, so that a broken one
    is reported in one line before the app starts."""
    if kb_dir is None:
        app = HcpcsApp(None, theme_choice=theme, browser=browser, load=_build)
    else:
        app = make_app(kb_dir=kb_dir, theme=theme, browser=browser)
    app.run()
    return 0
