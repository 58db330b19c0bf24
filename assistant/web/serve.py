"""``hcpcs-assistant serve``: the chat app in web browsers, with textual-serve.

Each browser tab opens a websocket, and each websocket gets its own app process
(``python -m assistant --browser --theme light [--kb DIR]``, with this interpreter), so learners
in a class never share a conversation. Everything the page needs is served from here:
textual-serve's script, stylesheet and Roboto Mono fonts ship inside its package, and the page
below replaces textual-serve's own, which loads the font from the internet. Nothing is fetched
from elsewhere, so a classroom machine without internet works.

What a browser (or any web page) can do is bounded:

* Only this server's own page may open a session: the websocket's ``Origin`` must be the
  address the page was served from, and every request's ``Host`` must be an address of this
  server (a loopback name, the address it listens on, this machine's names, or ``--allow-host``),
  so another site open in the trainer's browser cannot drive a session, not even through DNS
  rebinding. Anything else gets 403 with a one-line reason.
* Every message from the page is checked: terminal sizes are clamped to 500x200, a message over
  256 KiB closes its session, anything malformed is dropped with one log line per session.
  The app processes' own error output never reaches the console, only a one-line summary.
* At most ``--max-sessions`` tabs (40) at once; more get a page saying the class is full. A tab
  with no key or mouse input for ``--idle-timeout`` minutes (30) is ended.
* The app runs with ``--browser``: exports and screenshots are downloads; nothing the page sends
  names a file on this machine.

The server listens on 127.0.0.1 unless told otherwise; any other address gets a one-line warning,
because there is no login: anyone who can reach the port can use the assistant. Ctrl+C (or
SIGTERM) closes the browser sessions, stops their app processes and exits with status 0.

This module is the command (its options, its messages, the start and the stop); the rest of
``assistant/web/`` is the server: ``pages`` (the two HTML pages), ``guard`` (the checks on
addresses, messages and limits), ``session`` (one tab's app process, and the list of
textual-serve's private parts relied on, pinned and fingerprinted) and ``server`` (the routes).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from assistant import PROG
from assistant.web.guard import DEFAULT_IDLE_MINUTES, DEFAULT_MAX_SESSIONS, Limits, is_loopback
from assistant.web.pages import DEFAULT_FONT_SIZE, MAX_FONT_SIZE, MIN_FONT_SIZE, TITLE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOGGERS = ("textual-serve", "aiohttp")

# --- what to run and where ----------------------------------------------------------------


def app_argv(kb_dir: str | os.PathLike | None = None, theme: str = "light") -> list[str]:
    """The command each browser session runs: the chat app for a browser tab (``--browser``:
    files are downloads, never written here), with this Python interpreter."""
    argv = [sys.executable, "-m", "assistant", "--browser", "--theme", theme]
    if kb_dir is not None:
        argv += ["--kb", str(Path(kb_dir).resolve())]
    return argv


def app_command(kb_dir: str | os.PathLike | None = None, theme: str = "light") -> str:
    """:func:`app_argv` as one shell-quoted line (as shown to the user)."""
    argv = app_argv(kb_dir, theme)
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def exposure_warning(host: str, port: int) -> str | None:
    """The one-line warning for a server other machines can reach, or None on loopback."""
    if is_loopback(host):
        return None
    return (
        f"{PROG}: warning: serving on {host or 'every address'} port {port}: anyone who can "
        "reach it can use the assistant (there is no login)"
    )


def url(host: str, port: int) -> str:
    """The address to open in a browser (a wildcard host named as such)."""
    if host in ("", "0.0.0.0", "::"):
        return f"http://<this machine's address>:{port}"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _bind_problem(exc: OSError, host: str, port: int) -> str:
    """One line saying why the server could not listen."""
    if isinstance(exc, socket.gaierror):
        reason = f"unknown host {host!r}"
    elif exc.errno == errno.EADDRINUSE:
        reason = f"port {port} is already in use (choose another with --port)"
    elif exc.errno == errno.EADDRNOTAVAIL:
        reason = f"{host} is not an address of this machine"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = f"not allowed to listen on port {port}"
    else:
        reason = exc.strerror or str(exc)
    return f"{PROG}: cannot serve on {host} port {port}: {reason}"


class _OneLine(logging.Formatter):
    """Log records as one line each, never with a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text = f"{text} ({type(exc).__name__}: {exc})" if str(exc) != text else text
        return f"{PROG} serve: " + " ".join(text.split())


def _quiet_logging(err: TextIO) -> None:
    handler = logging.StreamHandler(err)
    handler.setFormatter(_OneLine())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    kb_dir: str | os.PathLike | None = None,
    *,
    theme: str = "light",
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    allow_hosts: tuple[str, ...] = (),
    font_size: int | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Serve the chat app to browsers until Ctrl+C; the exit status for the command line.

    ``font_size`` is the page's text size in pixels (default 16; larger for a projector).
    0 after a clean stop; 2 with one line on stderr when it cannot listen (a port in use, an
    address that is not this machine's) or an option is out of range.
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    if not 1 <= port <= 65535:
        err.write(f"{PROG}: --port must be between 1 and 65535, not {port}\n")
        return 2
    if not 1 <= max_sessions <= 1000:
        err.write(f"{PROG}: --max-sessions must be between 1 and 1000, not {max_sessions}\n")
        return 2
    if not 0 <= idle_minutes <= 7 * 24 * 60 or idle_minutes != idle_minutes:
        err.write(
            f"{PROG}: --idle-timeout must be between 0 (never) and 10080 minutes, "
            f"not {idle_minutes:g}\n"
        )
        return 2

    font_size = DEFAULT_FONT_SIZE if font_size is None else font_size
    if not MIN_FONT_SIZE <= font_size <= MAX_FONT_SIZE:
        err.write(
            f"{PROG}: --font-size must be between {MIN_FONT_SIZE} and {MAX_FONT_SIZE} pixels, "
            f"not {font_size}\n"
        )
        return 2

    from assistant.core import kb

    kb.load(kb_dir)  # a broken knowledge directory is reported here, not in every browser tab

    _quiet_logging(err)
    limits = Limits(max_sessions, idle_minutes, allow_hosts)
    from assistant.web.server import AppServer  # textual-serve is imported only to serve

    server = AppServer(app_argv(kb_dir, theme), host, port, limits, font_size)

    def ready() -> None:
        warning = exposure_warning(host, port)
        if warning:
            err.write(warning + "\n")
            err.flush()
        idle = f"idle ones end after {limits.idle_text}" if limits.idle_seconds else "no idle end"
        out.write(
            f"Serving the {TITLE} on {url(host, port)} (one session per browser tab, at most "
            f"{max_sessions}; {idle}; {theme} theme; text {font_size} px). Press Ctrl+C to "
            "stop.\n"
        )
        out.flush()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_signal() -> None:
            if stop.is_set():  # a second Ctrl+C: do not wait for the apps to quit
                server.kill_all()
            stop.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, on_signal)
        await server.run(ready, stop)

    try:
        asyncio.run(main())
    except OSError as exc:
        err.write(_bind_problem(exc, host, port) + "\n")
        return 2
    except KeyboardInterrupt:  # where signal handlers are not available (Windows)
        server.kill_all()
    out.write("Stopped.\n")
    out.flush()
    return 0
