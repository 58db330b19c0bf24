"""Questions offered as choices: the welcome examples and "Did you mean" under an answer.

A :class:`Suggestions` list posts :class:`Suggestions.Chosen` when one is picked (Enter or a
click); the app then asks that question. Which questions to offer under an answer is decided by
the core (:attr:`assistant.core.answer.Answer.choices`), so the policy sits in one place.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class Suggestions(OptionList):
    """A short list of questions to ask with one key or one click."""

    class Chosen(Message):
        """A suggested question was chosen."""

        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def __init__(self, questions: tuple[str, ...] | list[str], *, id: str | None = None) -> None:
        self.questions = tuple(questions)
        super().__init__(*(Option(Content("› " + q)) for q in self.questions), id=id, markup=False)

    def retire(self) -> None:
        """Leave the keyboard's path (Tab skips it); it still answers a click."""
        self.can_focus = False
        self.highlighted = None
        self.add_class("-retired")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.questions[event.option_index]))
