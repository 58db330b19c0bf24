"""The quiz screen (F4, or "Start quiz" in the command palette): practice questions in the chat app.

Questions come from :func:`assistant.quiz.questions.make_quiz`, the same ones as ``hcpcs-assistant quiz``.
One question at a time: the prompt and four choices, answered with A-D or 1-4, or with the arrows
and Enter, or a click; the keys that apply are named under the question box from the first
question on. The right answer and its explanation follow; Enter or N goes on. The score and a
review of every question (what was chosen, and the right answer) end the quiz. Escape goes back
to the chat at any time.

It is a full-screen modal screen, so the chat's own keys (topics, clear, scrolling) stay with the
chat while the quiz is shown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from assistant import PROG
from assistant.core.kb import KnowledgeBase
from assistant.quiz.questions import LETTERS, QuizQuestion, make_quiz

COUNT = 10


@dataclass(frozen=True)
class Result:
    """One answered question: the choice picked (0-3)."""

    question: QuizQuestion
    picked: int

    @property
    def right(self) -> bool:
        return self.picked == self.question.answer


def choice_text(index: int, text: str) -> str:
    return f"{LETTERS[index]}) {text}"


def choice_prompt(index: int, text: str) -> Table:
    """A choice for the option list: its letter, then the text, wrapped under itself."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(f"{LETTERS[index]})", Text(text))
    return grid


def row(mark: str, *lines: str, classes: str) -> Horizontal:
    """A mark (a tick, a cross, a letter) beside lines of text that wrap under themselves."""
    return Horizontal(
        Static(Content(mark), classes="mark", markup=False),
        Vertical(*(Static(Content(line), markup=False) for line in lines), classes="text"),
        classes=f"row {classes}",
    )


class QuizScreen(ModalScreen[None]):
    """A quiz over a knowledge base: question, answer and explanation, then the score."""

    CSS_PATH = "quiz.tcss"
    BINDINGS = [
        Binding("a,1", "choose(0)", "Answer", key_display="A-D"),
        Binding("b,2", "choose(1)", "Answer B", show=False),
        Binding("c,3", "choose(2)", "Answer C", show=False),
        Binding("d,4", "choose(3)", "Answer D", show=False),
        Binding("enter,n", "next", "Next"),
        Binding("r", "restart", "New quiz"),
        Binding("escape", "leave", "Back to chat"),
    ]

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        *,
        seed: int | None = None,
        count: int = COUNT,
        questions: list[QuizQuestion] | None = None,
    ) -> None:
        """A quiz of ``count`` questions from ``kb`` with ``seed`` (None: a fresh one), or of
        the given ``questions``."""
        super().__init__()
        self.kb = kb
        self.count = count
        self.seed: int | None = None
        self.questions: list[QuizQuestion] = []
        self.results: list[Result] = []
        self.state = "question"  # question, answered or done
        self._new_quiz(seed, questions)

    # -- the quiz ------------------------------------------------------------------------------
    def _new_quiz(self, seed: int | None, questions: list[QuizQuestion] | None = None) -> None:
        if questions is None and self.kb is not None:
            if seed is None:
                seed = random.SystemRandom().randrange(1, 1_000_000)
            questions = make_quiz(self.kb, count=self.count, seed=seed)
        self.seed = seed
        self.questions = list(questions or [])
        self.results = []
        self.state = "question" if self.questions else "done"

    @property
    def number(self) -> int:
        """The current question's number, from 1."""
        return min(len(self.results) + (self.state == "question"), len(self.questions))

    @property
    def current(self) -> QuizQuestion | None:
        """The question on screen (answered or not), or None at the end."""
        if self.state == "done" or not self.questions:
            return None
        return self.questions[self.number - 1]

    @property
    def score(self) -> int:
        return sum(r.right for r in self.results)

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="quiz-progress", markup=False)
            yield VerticalScroll(id="quiz-body")
            yield Static(id="quiz-keys", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = "Training quiz"
        await self._show()

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#quiz-body", VerticalScroll)

    async def _show(self) -> None:
        """Draw the current state: a question, its answer, or the score."""
        self._update_progress()
        if self.state == "question":
            parts = self._question_parts()
        elif self.state == "answered":
            parts = self._answered_parts()
        else:
            parts = self._score_parts()
        body = self.body
        await body.remove_children()
        await body.mount_all(parts)
        body.scroll_home(animate=False)
        if self.state == "question":
            self.query_one("#quiz-choices", OptionList).focus()
        else:
            body.focus()
        self.refresh_bindings()

    def keys_text(self) -> str:
        """What the keys do now: under the question box from the first question on, so they
        never scroll out of sight."""
        if self.state == "question":
            return "A-D or 1-4: answer · ↑↓ Enter: choose · Esc: back to chat"
        if self.state == "answered":
            last = len(self.results) == len(self.questions)
            where = "your score" if last else "the next question"
            return f"Enter or N: {where} · Esc: back to chat"
        if self.kb is not None and self.questions:
            return "R: a new quiz · Esc: back to chat"
        return "Esc: back to chat"

    def _update_progress(self) -> None:
        total = len(self.questions)
        answered = len(self.results)
        question = self.current
        if not total:
            text = "No quiz"
        elif question is None:
            text = f"Quiz finished · {self.score} of {answered} right"
        else:
            text = f"Question {self.number} of {total} · {question.topic}"
            if answered:
                text += f" · {self.score} of {answered} right so far"
        self.query_one("#quiz-progress", Static).update(Content(text))
        self.query_one("#quiz-keys", Static).update(Content(self.keys_text()))

    def _question_parts(self) -> list[Widget]:
        question = self.current
        assert question is not None
        choices = OptionList(
            *(
                Option(choice_prompt(i, text), id=f"choice-{i}")
                for i, text in enumerate(question.choices)
            ),
            id="quiz-choices",
        )
        choices.highlighted = 0
        return [Static(Content(question.prompt), classes="prompt", markup=False), choices]

    def _answered_parts(self) -> list[Widget]:
        result = self.results[-1]
        question = result.question
        rows: list[Widget] = []
        for i, text in enumerate(question.choices):
            if i == question.answer:
                mark, classes = "✓", "choice -right"
            elif i == result.picked:
                mark, classes = "✗", "choice -wrong"
            else:
                mark, classes = " ", "choice"
            rows.append(row(f"{mark} {LETTERS[i]})", text, classes=classes))
        if result.right:
            verdict = Static(
                Content(f"Correct: {question.answer_letter}."), classes="verdict -right"
            )
        else:
            verdict = Static(
                Content(f"Not quite: the right answer is {question.answer_letter}."),
                classes="verdict -wrong",
            )
        return [
            Static(Content(question.prompt), classes="prompt", markup=False),
            Vertical(*rows, classes="choices"),
            verdict,
            Static(Content(question.explanation), classes="explanation", markup=False),
        ]

    def _score_parts(self) -> list[Widget]:
        total = len(self.results)
        if not self.questions:
            return [
                Static(
                    Content("The knowledge base has no section facts to make quiz questions from."),
                    classes="verdict -wrong",
                ),
            ]
        percent = round(100 * self.score / total) if total else 0
        parts: list[Widget] = [
            Static(
                Content(f"Your score: {self.score} of {total} ({percent}%)"),
                classes="score",
                markup=False,
            ),
        ]
        if self.seed is not None:
            again = f"The same quiz in a terminal: {PROG} quiz --seed {self.seed}"
            parts.append(Static(Content(again), classes="keys", markup=False))
        for n, result in enumerate(self.results, 1):
            question = result.question
            chosen = choice_text(result.picked, question.choices[result.picked])
            lines = [question.prompt]
            if result.right:
                lines.append(f"You chose {chosen} (right)")
            else:
                lines.append(f"You chose {chosen}")
                lines.append(f"Right answer: {choice_text(question.answer, question.answer_text)}")
            mark = "✓" if result.right else "✗"
            classes = "review -right" if result.right else "review -wrong"
            if n == 1:
                classes += " -first"
            parts.append(row(f"{mark} {n:>2}.", *lines, classes=classes))
        parts[-1].add_class("-last")
        return parts

    # -- keys ----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that do something now are active (and shown in the footer)."""
        if action == "choose":
            return self.state == "question"
        if action == "next":
            return self.state == "answered"
        if action == "restart":
            return self.state == "done" and self.kb is not None
        return True

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.action_choose(event.option_index)

    async def action_choose(self, index: int) -> None:
        """Answer the current question with choice ``index`` (0-3)."""
        question = self.current
        if self.state != "question" or question is None or not 0 <= index < len(question.choices):
            return
        self.results.append(Result(question, index))
        self.state = "answered"
        await self._show()

    async def action_next(self) -> None:
        """On to the next question, or to the score after the last one."""
        if self.state != "answered":
            return
        self.state = "done" if len(self.results) >= len(self.questions) else "question"
        await self._show()

    async def action_restart(self) -> None:
        """A new quiz with a fresh seed."""
        if self.state != "done" or self.kb is None:
            return
        self._new_quiz(None)
        await self._show()

    def action_leave(self) -> None:
        """Back to the chat; a quiz left half-way says how far it got."""
        answered = len(self.results)
        if self.state != "done" and answered:
            self.app.notify(
                f"Quiz left after {answered} of {len(self.questions)} questions: "
                f"{self.score} right.",
                markup=False,
            )
        self.dismiss(None)
