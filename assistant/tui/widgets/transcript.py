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
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent

from assistant.core.result import Answer
from assistant.core.text import clean_text
from assistant.tui.widgets.suggestions import Suggestions

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
    "scope": "Outside what this assistant answers",
}
# A question the assistant never answers, titled by what it asked for (Answer.out_of_scope).
SCOPE_TITLES = {
    "fees": "Payment amounts are not in this assistant",
    "coverage": "Coverage is decided by the payer",
    "own-coverage": "Your own plan decides your coverage",
    "enrollment": "Enrollment and eligibility are not in this assistant",
    "careers": "Careers and training are not in this assistant",
    "products": "No product recommendations",
    "clinical": "No medical advice",
    "legal": "No legal advice",
}
LABEL_MAX = 30  # a fact table's first column is at most this wide; longer labels wrap


def card_kind(answer: Answer) -> str:
    """The card style for an answer: code, answer, uncertain (a weak match), fallback, or scope
    (a question the assistant never answers: payment amounts, coverage, careers...)."""
    if answer.kind == "fallback" and answer.out_of_scope:
        return "scope"
    if answer.is_uncertain:
        return "uncertain"
    return answer.kind if answer.kind in TITLES else "answer"


def card_title(answer: Answer) -> str:
    """The title on an answer's card: an out-of-scope reply says what it cannot give."""
    kind = card_kind(answer)
    if kind == "scope":
        return SCOPE_TITLES.get(answer.out_of_scope or "", TITLES["scope"])
    return TITLES[kind]


class FactTable(MarkdownTable):
    """A Markdown table whose first column is as wide as its longest label (up to
    :data:`LABEL_MAX`), so "Maintained by" never wraps at 80 columns; the other columns share
    the rest. A table without column names (a code card's facts) has no empty header row."""

    def compose(self):
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        content = MarkdownTableContent(headers, rows)
        if not any(h.plain.strip() for h in headers):
            content.add_class("-no-header")
        labels = [row[0].cell_length for row in rows if row] + [
            headers[0].cell_length if headers else 0
        ]
        if len(headers) == 2 and rows:
            content.styles.grid_columns = f"{min(max(labels) + 2, LABEL_MAX)} 1fr"
        yield content


class AnswerMarkdown(Markdown):
    """The Markdown of an answer, with :class:`FactTable` tables."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": FactTable}


class QuestionBubble(Static):
    """A question as the user asked it, shown literally."""

    def __init__(self, question: str) -> None:
        super().__init__(Content.assemble(("You: ", "bold"), clean_text(question)), markup=False)
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
        self.border_title = card_title(answer)
        # The choices are offered as options below, so the text does not list them too.
        parts: list[Widget] = [AnswerMarkdown(answer.render(choices=False), classes="body")]
        if answer.sources:
            text = "Sources: " + " · ".join(clean_text(s) for s in answer.sources)
            parts.append(Static(Content(text), classes="sources", markup=False))
        if answer.release:
            text = f"HCPCS data: {clean_text(answer.release)}"
            parts.append(Static(Content(text), classes="release", markup=False))
        heading, questions = answer.choices.heading, answer.choices.questions
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


WELCOME_GROUPS = 6  # topic groups named on the welcome card; F2 lists them all


class WelcomeCard(Vertical):
    """What the assistant knows, and example questions to choose from."""

    def __init__(self, topics: int, groups: list[str], examples: tuple[str, ...]) -> None:
        super().__init__(classes="card -welcome")
        self.border_title = "Welcome"
        self.topics = topics
        self.groups = groups
        self.examples = examples

    def compose(self):
        names = [clean_text(g) for g in self.groups]
        if len(names) > WELCOME_GROUPS:  # a long list would push the examples off the screen
            shown = ", ".join(names[:WELCOME_GROUPS])
            groups = f"{shown} and {len(names) - WELCOME_GROUPS} more groups"
        else:
            groups = ", ".join(names)
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


class LoadingCard(Vertical):
    """In place of the welcome while the knowledge base loads (or, if it could not, why)."""

    def __init__(self, failed: str | None = None) -> None:
        super().__init__(classes="card -welcome")
        self.border_title = "Welcome"
        self.failed = failed

    def compose(self):
        if self.failed is None:
            text = "Loading the knowledge base… You can type your question already."
        else:
            text = f"The knowledge base could not be loaded: {clean_text(self.failed)}"
        yield Static(Content(text), classes="pending", markup=False)


class Transcript(VerticalScroll):
    """The scrolling conversation. Not focusable: Page Up and Page Down scroll it from the input."""

    can_focus = False

    async def show_welcome(self, welcome: Widget) -> None:
        """Start (or restart) the transcript with the welcome message."""
        await self.remove_children()
        await self.mount(welcome)
        self.scroll_home(animate=False)

    async def replace_welcome(self, welcome: Widget) -> None:
        """Put ``welcome`` in place of the first card (the loading card), keeping any questions
        asked meanwhile."""
        first = self.children[0] if self.children else None
        if isinstance(first, (LoadingCard, WelcomeCard)):
            await self.mount(welcome, before=first)
            await first.remove()
        else:
            await self.mount(welcome, before=0 if self.children else None)

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
        """Bring the newest answer back into view once the layout settles (after a resize, or
        the topics panel opening or closing)."""
        cards = self.query(AnswerCard)
        if cards:
            self.call_after_refresh(self._reveal, cards.last())

    def on_resize(self) -> None:
        # Its width changed (the terminal, or the topics panel): answers reflow, so the newest
        # would drift out of view.
        self.reveal_newest()

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
