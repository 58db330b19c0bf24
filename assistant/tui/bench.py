"""How long the chat app takes to show its first screen, for ``make bench``.

Measured from creating the app (knowledge base load included, Python imports excluded) to the
first screen being composed, mounted and refreshed under ``App.run_test()``, with the welcome
message in place. ICD-10-CM is not part of it: the app loads it in a worker after that.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path


def first_paint_seconds(
    kb_dir: str | Path | None = None, size: tuple[int, int] = (120, 40)
) -> float:
    """Seconds from ``make_app()`` to the first screen being ready (one run)."""
    from assistant.tui.app import STEADY, make_app

    async def measure() -> float:
        start = time.perf_counter()
        app = make_app(kb_dir=kb_dir, options=STEADY)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()  # the welcome's Markdown is mounted and a frame is drawn
            elapsed = time.perf_counter() - start
        return elapsed

    return asyncio.run(measure())


if __name__ == "__main__":
    runs = [first_paint_seconds() for _ in range(5)]
    print(f"first paint: min {min(runs):.3f} s, max {max(runs):.3f} s")
