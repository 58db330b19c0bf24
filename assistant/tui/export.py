"""Exporting the conversation to a Markdown file, written atomically.

In the terminal the file goes to the user's documents folder unless another place is typed, and
an existing file is replaced only when asked (``overwrite=True``, after the app has asked the
user). The file is written to a temporary file in the target directory and moved into place, so
a reader never sees half a file and an existing file is never left truncated. It is created
readable by the owner only: a conversation may hold details the user would not share by
accident. In a browser the app sends :func:`conversation_markdown` as a download instead.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from assistant.core.text import clean_text
from assistant.tui.conversation import Exchange

TITLE = "HCPCS assistant conversation"


def default_name(now: datetime | None = None) -> str:
    """A file name that sorts by time and does not clash within a second."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    return f"hcpcs-conversation-{stamp}.md"


def documents_dir() -> Path:
    """The user's documents folder (``platformdirs.user_documents_dir``), or the home folder
    when there is none."""
    import platformdirs

    for candidate in (platformdirs.user_documents_dir(), Path.home()):
        with contextlib.suppress(OSError, RuntimeError):
            if Path(candidate).is_dir():
                return Path(candidate)
    return Path.cwd()


def resolve(
    path_text: str | os.PathLike[str] | None,
    now: datetime | None = None,
    base: Path | None = None,
) -> Path:
    """Where to write: ``~`` expanded, relative to ``base`` (default: :func:`documents_dir`), a
    directory gets the default name inside it, and no path at all means the default name in
    ``base``."""
    base = base if base is not None else documents_dir()
    text = str(path_text).strip() if path_text is not None else ""
    if not text:
        return base / default_name(now)
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = base / path
    if path.is_dir():
        path = path / default_name(now)
    return path


def conversation_markdown(exchanges: Iterable[Exchange], now: datetime | None = None) -> str:
    """The conversation as one Markdown document: each question as a heading, then its answer,
    sources and the HCPCS data release it used."""
    when = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    parts = [f"# {TITLE}", f"Exported {when}."]
    number = 0
    for ex in exchanges:
        if ex.answer is None:
            continue
        number += 1
        question = " ".join(clean_text(ex.question).split())
        parts.append(f"## {number}. {question}")
        parts.append(ex.answer.markdown.strip())
        notes = []
        if ex.answer.sources:
            notes.append("Sources: " + "; ".join(ex.answer.sources))
        if ex.answer.release:
            notes.append(f"HCPCS data: {ex.answer.release}")
        if notes:
            parts.append("\n".join(f"*{n}*  " for n in notes).rstrip())
    if number == 0:
        parts.append("No questions were asked.")
    return "\n\n".join(parts) + "\n"


def write_atomic(path: Path, text: str, *, overwrite: bool = True) -> Path:
    """Write ``text`` to ``path`` through a temporary file moved into place; returns ``path``.

    The directory must exist (a typing slip should not create folders); OSError says why not.
    With ``overwrite=False`` an existing ``path`` is left alone and FileExistsError raised.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            _move_unless_exists(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _move_unless_exists(tmp: str, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if nothing is there (a hard link fails on an existing name,
    so nothing can appear in between); FileExistsError otherwise."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system: check, then move
        if os.path.lexists(path):
            raise FileExistsError(17, "File exists", str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def export(
    exchanges: Iterable[Exchange],
    path_text: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
    *,
    base: Path | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the conversation as Markdown to ``path_text`` (see :func:`resolve`); returns the
    path. An existing file is replaced only with ``overwrite=True`` (else FileExistsError)."""
    path = resolve(path_text, now, base)
    return write_atomic(path, conversation_markdown(exchanges, now), overwrite=overwrite)
