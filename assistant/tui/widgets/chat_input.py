"""The question box: an Input with a history of earlier questions.

Up and Down walk the history (see :class:`assistant.tui.conversation.History`); Escape clears
the box. Enter posts Textual's ``Input.Submitted``, which the app handles.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from assistant.core.result import MAX_QUESTION
from assistant.core.text import clean_text
from assistant.tui.conversation import History

PLACEHOLDER = "Type a question or a code, e.g. What are J codes? or V5266"


class ChatInput(Input):
    """Where questions are typed; always at the bottom, and focused unless a list is."""

    BINDINGS = [
        Binding("up", "history_older", "Earlier question", show=False),
        Binding("down", "history_newer", "Later question", show=False),
        Binding("escape", "clear_input", "Clear", show=False),
    ]

    def __init__(self, *, id: str | None = None, cursor_blink: bool = True) -> None:
        # As much as the assistant reads of a question: a longer paste is cut here, in view.
        super().__init__(placeholder=PLACEHOLDER, id=id, max_length=MAX_QUESTION)
        self.history = History()
        self.cursor_blink = cursor_blink

    def replace(self, text: str, start: int, end: int) -> None:
        """Typed or pasted text goes in literally: control characters (a pasted terminal escape)
        are dropped, and a paste too long for the box is cut to fit rather than refused."""
        text = clean_text(text)
        room = self.max_length - (len(self.value) - abs(end - start)) if self.max_length else None
        if room is not None and len(text) > room:
            text = text[: max(0, room)]
            self.notify(f"The question box holds {self.max_length:,} characters: the rest was cut.")
        super().replace(text, start, end)

    def remember(self, question: str) -> None:
        """Add a question to the history (the app calls this for every question asked)."""
        self.history.add(question)

    def _show(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)

    def action_history_older(self) -> None:
        text = self.history.older(self.value)
        if text is not None:
            self._show(text)

    def action_history_newer(self) -> None:
        text = self.history.newer()
        if text is not None:
            self._show(text)

    def action_clear_input(self) -> None:
        self.history.reset()
        self.value = ""
