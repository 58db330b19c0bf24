"""Answers and code cards drawn for a terminal with Rich: what ``ask`` and ``code`` print when
stdout is a terminal (piped, they print the Markdown itself; see :mod:`assistant.cli.main`).

Headings and bold text are bold, codes stand out, fact tables are aligned columns (a code card's
table has no header row), and lines wrap at the terminal's width, at most :data:`MAX_WIDTH`
columns so that a wide terminal still reads well. Rich is imported only here, and only when
output goes to a terminal: scripts and pipes never pay for it. Colours follow the terminal's
settings (``NO_COLOR`` and ``TERM=dumb`` are respected).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown, TableElement
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

MAX_WIDTH = 100


class _Table(TableElement):
    """A Markdown table; one whose header cells are all empty (a code card's facts) has no
    header row."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cells = self.header.row.cells if self.header and self.header.row else []
        if any(c.content.plain.strip() for c in cells):
            yield from super().__rich_console__(console, options)
            return
        table = Table(
            box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0), collapse_padding=True
        )
        for _ in cells:
            table.add_column()
        for row in self.body.rows if self.body else []:
            table.add_row(*(cell.content for cell in row.cells))
        yield table


class _Markdown(Markdown):
    elements = {**Markdown.elements, "table_open": _Table}


def console_for(out: TextIO) -> Console:
    """A Rich console writing to ``out`` (a terminal), at most :data:`MAX_WIDTH` wide."""
    console = Console(file=out, highlight=False, emoji=False)
    console.width = min(console.width, MAX_WIDTH)
    return console


def markdown(console: Console, text: str) -> None:
    """Draw Markdown (text already cleaned of control characters)."""
    console.print(_Markdown(text, hyperlinks=False))


def note(console: Console, text: str, *, style: str = "dim") -> None:
    """A line of plain text (sources, the data release, suggestions), shown literally."""
    console.print(Text(text, style=style))


def separator(console: Console) -> None:
    console.print(Rule(style="dim"))
