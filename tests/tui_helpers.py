"""Driving the chat app in Pilot tests (``App.run_test()``): typing, waiting for answers, and
reading the screen as text."""

from __future__ import annotations

import html
import re

from textual import events
from textual.keys import _character_to_key

from assistant.tui.widgets.transcript import AnswerCard


async def settle(pilot) -> None:
    """Wait until every answer (and any other worker, such as the command palette's search) has
    finished and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type ``text`` into the focused widget, one key event per character, as Pilot names them.

    ``pilot.press(*text)`` waits for the app to go idle after every key (twice, a fraction of a
    second each); here the keys are queued at once, as when someone types faster than the app
    draws, and the app catches up once. It gets the same events in the same order.
    """
    app = pilot.app
    for char in text:
        key = events.Key(_character_to_key(char), char)
        key.set_sender(app)
        app.post_message(key)
    await pilot.pause()


async def type_and_ask(pilot, text: str, *, keys: bool = False) -> AnswerCard:
    """Ask with Enter; the text is typed key by key when ``keys``, else put in the box (faster)."""
    if keys:
        await type_text(pilot, text)
    else:
        pilot.app.question_box.value = text
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.query(AnswerCard).last()


def screen_lines(app) -> list[str]:
    """The screen as lines of plain text, rebuilt from Textual's SVG screenshot."""
    svg = app.export_screenshot()
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    cell = 12.2  # the SVG's character width
    pattern = r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[\w-]*-line-(\d+)\)">([^<]*)</text>'
    for m in re.finditer(pattern, svg):
        col, row = round(float(m[1]) / cell), int(m[2])
        for i, ch in enumerate(html.unescape(m[3]).replace("\xa0", " ")):
            if row < height and col + i < width:
                rows[row][col + i] = ch
    return ["".join(r).rstrip() for r in rows]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))
