"""The transcript: the welcome message, then each question with its answer, newest at the bottom.

The app calls down into :class:`Transcript` (``show_welcome``, ``add_question``,
``show_answer``, ``clear``, ``page``); the cards inside post :class:`Suggestions.Chosen` up when
a suggested question is picked. Everything typed or loaded is shown literally: questions,
sources and headings are ``Content`` objects (never markup), answers go through ``Markdown``.
"""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static

from ...answer import Answer
from ..conversation import plain
from .suggestions import Suggestions, choices_for, without_listed_choices

INTRO = (
    "I answer questions about CPT and HCPCS codes and modifiers, and I classify codes you type: "
    "CPT (`99213`), HCPCS Level II (`J1745`), modifiers (`modifier 59`), ICD-10-CM (`E11.9`) "
    "and NDC."
)
TITLES = {
    "code": "Code lookup",
    "answer": "Answer",
    "uncertain": "Closest answer",
    "fallback": "Not in my knowledge base",
}


def card_kind(answer: Answer) -> str:
    """The card style for an answer: code, answer, uncertain (a weak match) or fallback."""
    if answer.kind != "fallback" and answer.confidence == "uncertain":
        return "uncertain"
    return answer.kind if answer.kind in TITLES else "answer"


class QuestionBubble(Static):
    """A question as the user asked it, shown literally."""

    def __init__(self, question: str) -> None:
        super().__init__(Content.assemble(("You: ", "bold"), plain(question)), markup=False)
        self.question = question


class AnswerCard(Vertical):
    """One answer: Markdown body, then sources, the data release and any suggested questions.

    It is mounted at once with a placeholder, and filled by :meth:`show` when the answer is
    ready, so answers stay in the order the questions were asked.
    """

    def __init__(self) -> None:
        super().__init__(classes="card -pending")
        self.answer: Answer | None = None
        self.border_title = "Answer"

    def compose(self):
        yield Static(Content("…"), classes="pending")

    async def show(self, answer: Answer) -> None:
        """Replace the placeholder with ``answer``."""
        self.answer = answer
        kind = card_kind(answer)
        self.remove_class("-pending")
        self.add_class(f"-{kind}")
        self.border_title = TITLES[kind]
        parts: list[Widget] = [Markdown(without_listed_choices(answer), classes="body")]
        if answer.sources:
            text = "Sources: " + " · ".join(plain(s) for s in answer.sources)
            parts.append(Static(Content(text), classes="sources", markup=False))
        if answer.release:
            text = f"HCPCS data: {plain(answer.release)}"
            parts.append(Static(Content(text), classes="release", markup=False))
        heading, questions = choices_for(answer)
        if questions:
            spaced = " -spaced" if len(parts) > 1 else ""  # after sources, not right after text
            parts.append(Static(Content(heading), classes="choices-heading" + spaced, markup=False))
            parts.append(Suggestions(questions))
        with self.app.batch_update():
            await self.query(".pending").remove()
            await self.mount_all(parts)

    @property
    def suggestions(self) -> Suggestions | None:
        found = self.query(Suggestions)
        return found.first() if found else None


class WelcomeCard(Vertical):
    """What the assistant knows, and example questions to choose from."""

    def __init__(self, topics: int, groups: list[str], examples: tuple[str, ...]) -> None:
        super().__init__(classes="card -welcome")
        self.border_title = "Welcome"
        self.topics = topics
        self.groups = groups
        self.examples = examples

    def compose(self):
        groups = ", ".join(plain(g) for g in self.groups)
        intro = (
            f"{INTRO}\n\n"
            f"My knowledge base has **{self.topics} topics**: {groups}. "
            "Press **F2** to browse them, **F1** for help."
        )
        yield Markdown(intro, classes="body")
        yield Static(
            Content("Try one of these (Tab, then Enter, or click):"),
            classes="choices-heading",
            markup=False,
        )
        yield Suggestions(self.examples, id="examples")


class Transcript(VerticalScroll):
    """The scrolling conversation. Not focusable: Page Up and Page Down scroll it from the input."""

    can_focus = False

    async def show_welcome(self, welcome: WelcomeCard) -> None:
        """Start (or restart) the transcript with the welcome message."""
        await self.remove_children()
        await self.mount(welcome)
        self.scroll_home(animate=False)

    async def add_question(self, question: str) -> AnswerCard:
        """Show a question with a placeholder for its answer; returns the card to fill."""
        self._retire_suggestions()
        card = AnswerCard()
        await self.mount_all([QuestionBubble(question), card])
        self.scroll_end(animate=False)
        return card

    async def show_answer(self, card: AnswerCard, answer: Answer) -> None:
        """Fill ``card`` with ``answer`` and bring it into view (no-op if it was cleared away)."""
        if not card.is_attached:
            return
        await card.show(answer)
        self.call_after_refresh(self._reveal, card)

    def reveal_newest(self) -> None:
        """Bring the newest answer back into view once the layout settles (after a resize)."""
        cards = self.query(AnswerCard)
        if cards:
            self.call_after_refresh(self._reveal, cards.last())

    def _reveal(self, card: AnswerCard) -> None:
        """Show the newest exchange: to its end if it fits, else from its question down."""
        if not card.is_attached:
            return
        index = self.children.index(card)
        bubble = self.children[index - 1] if index else card
        height = card.outer_size.height + bubble.outer_size.height
        if height <= self.scrollable_content_region.height:
            self.scroll_end(animate=False, immediate=True)
        else:
            self.scroll_to_widget(bubble, animate=False, top=True, immediate=True)

    def _retire_suggestions(self) -> None:
        for suggestions in self.query(Suggestions):
            suggestions.retire()

    @property
    def newest_suggestions(self) -> Suggestions | None:
        """The suggestions under the newest answer (or the welcome), if they are still live."""
        live = [s for s in self.query(Suggestions) if s.can_focus]
        return live[-1] if live else None

    def page(self, direction: int) -> None:
        """Scroll a page up (-1) or down (1)."""
        if direction < 0:
            self.scroll_page_up(animate=False)
        else:
            self.scroll_page_down(animate=False)
