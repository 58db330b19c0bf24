"""Questions offered as choices: the welcome examples and "Did you mean" under an answer.

A :class:`Suggestions` list posts :class:`Suggestions.Chosen` when one is picked (Enter or a
click); the app then asks that question. Which questions to offer for an answer is decided here,
by :func:`choices_for`, so the policy sits in one place.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.core.answer import STARTERS, Answer


def choices_for(answer: Answer) -> tuple[str, tuple[str, ...]]:
    """The heading and the questions to offer under ``answer``; no questions when it is certain.

    An answer the core marks ``uncertain`` and a fallback offer their alternatives; a fallback
    with none offers the core's starter questions. The command line shows the same choices.
    """
    alternatives = tuple(a.question for a in answer.alternatives)
    if answer.kind == "fallback":
        if alternatives:
            return "Closest topics I can answer:", alternatives
        return "You could ask, for example:", STARTERS
    if answer.confidence == "uncertain" and alternatives:
        return "Not what you meant? Did you mean:", alternatives
    return "", ()


def without_listed_choices(answer: Answer) -> str:
    """The answer's Markdown minus the list of questions the app shows as choices instead.

    A fallback's Markdown ends with those questions as a bullet list; shown as choosable options
    right below, the list would be said twice. Only an exact copy of the list is removed, so if
    the core words it differently the Markdown is shown unchanged.
    """
    text = answer.answer
    if answer.kind != "fallback":
        return text
    heading, questions = choices_for(answer)
    if not questions:
        return text
    block = f"{heading}\n\n" + "\n".join(f"- {q}" for q in questions)
    if block in text:
        text = text.replace(block, "").replace("\n\n\n\n", "\n\n").strip()
    return text


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
