"""Save a screenshot of the chat app for the README: ``python -m assistant.tui.screenshot``.

The app runs headless at 100x32 over the built-in knowledge base (no imported data, so the
picture does not depend on the machine), asks one question and saves Textual's SVG.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

SIZE = (100, 32)
QUESTION = "What are J codes?"


async def _save(path: Path, question: str, theme: str | None) -> Path:
    from assistant.core.answer import Assistant
    from assistant.tui.app import STEADY, make_app

    app = make_app(assistant=Assistant.from_dir(None), theme=theme, options=STEADY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.question_box.value = question
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        app.save_screenshot(filename=path.name, path=str(path.parent))
    return path


def save(path: str | Path = "docs/screenshot.svg", question: str = QUESTION, theme=None) -> Path:
    """Write the screenshot to ``path`` and return it."""
    return asyncio.run(_save(Path(path), question, theme))


if __name__ == "__main__":
    print(save(*sys.argv[1:2]))
