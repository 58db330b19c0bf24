"""Reading stdin: the helpers every command-line front end shares. (Text bound for a terminal
goes through :func:`assistant.core.text.clean_text`.)"""

from __future__ import annotations

import sys
from collections.abc import Iterator


def stdin_lines() -> Iterator[str]:
    """Lines of stdin as text, invalid UTF-8 replaced rather than fatal."""
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stream is None:
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    for raw in stream:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is None or sys.stdin.isatty()
    except (ValueError, OSError):
        return True
