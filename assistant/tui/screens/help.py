"""The help screen (F1): every key binding, from :mod:`assistant.tui.keys`, and how to ask."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.tui.keys import ALL_KEYS

ABOUT = (
    "Type a question or a code and press Enter. Answers come from the built-in knowledge base "
    "and the official code-set data; they are a guide, not payer policy."
)


def keys_table() -> Table:
    """The key bindings as a two-column table of plain text."""
    table = Table(box=None, show_header=True, expand=True, padding=(0, 2, 0, 0))
    table.add_column(Text("Key", style="bold"), no_wrap=True)
    table.add_column(Text("What it does", style="bold"), ratio=1)
    for key in ALL_KEYS:
        table.add_row(Text(key.shown, style="bold"), Text(key.description))
    return table


class HelpScreen(ModalScreen[None]):
    """Key bindings over the chat; Escape, F1 or Q closes it."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Help"
            dialog.border_subtitle = "Up/Down to scroll · Escape to close"
            with VerticalScroll(id="help-body"):
                yield Static(Content(ABOUT), id="help-about", markup=False)
                yield Static(keys_table(), id="help-keys")
