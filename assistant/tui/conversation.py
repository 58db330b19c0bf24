"""The conversation the chat app holds in memory: questions, their answers, and typed history.

Nothing here touches the disk: what the user types stays in memory until they export it
(see :mod:`assistant.tui.export`).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.answer import ECHO_LIMIT
from assistant.core.result import Answer
from assistant.core.text import clean_text


def shown_question(question: str) -> str:
    """The question as echoed in the transcript: one paragraph, cut like the core's echo."""
    text = clean_text(question).strip()
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


@dataclass
class Exchange:
    """One question and, once it has arrived, its answer."""

    question: str
    answer: Answer | None = None


class History:
    """Questions asked, for Up and Down in the question box (newest last, no repeats in a row).

    ``older()`` and ``newer()`` walk the list; walking past the newest gives back the draft that
    was being typed when the walk began.
    """

    def __init__(self) -> None:
        self._items: list[str] = []
        self._pos: int | None = None  # index while walking, None when not
        self._draft = ""

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(self._items)

    def add(self, question: str) -> None:
        """Remember a question and end any walk."""
        question = question.strip()
        if question and (not self._items or self._items[-1] != question):
            self._items.append(question)
        self._pos = None

    def older(self, current: str) -> str | None:
        """The previous question, or None at the oldest (or with no history)."""
        if not self._items:
            return None
        if self._pos is None:
            self._draft = current
            self._pos = len(self._items)
        if self._pos == 0:
            return None
        self._pos -= 1
        return self._items[self._pos]

    def newer(self) -> str | None:
        """The next question, the draft after the newest, or None when not walking."""
        if self._pos is None:
            return None
        self._pos += 1
        if self._pos >= len(self._items):
            self._pos = None
            return self._draft
        return self._items[self._pos]

    def reset(self) -> None:
        """End a walk (the user typed or cleared the box)."""
        self._pos = None
