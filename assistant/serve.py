"""``hcpcs-assistant serve``: the chat app in web browsers, with textual-serve.

Each browser tab opens a websocket, and each websocket gets its own app process
(``python -m assistant --theme light [--kb DIR]``, with this interpreter), so learners in a class
never share a conversation. Everything the page needs is served from here: textual-serve's
script, stylesheet and Roboto Mono fonts ship inside its package, and the page below replaces
textual-serve's own, which loads the font from the internet. Nothing is fetched from elsewhere,
so a classroom machine without internet works.

The server listens on 127.0.0.1 unless told otherwise; any other address gets a one-line warning,
because there is no login: anyone who can reach the port can use the assistant. Ctrl+C (or
SIGTERM) closes the browser sessions, stops their app processes and exits with status 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import html
import ipaddress
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
from asyncio.subprocess import Process
from pathlib import Path
from string import Template
from typing import Any, TextIO

PROG = "hcpcs-assistant"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "HCPCS assistant"
STOP_SECONDS = 5.0  # how long an app process gets to quit before it is killed
LOGGERS = ("textual-serve", "aiohttp")

PAGE = Template("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<link rel="icon" href="data:,">
<link rel="preload" href="${static}fonts/RobotoMono-VariableFont_wght.ttf" as="font"
      type="font/ttf" crossorigin>
<link rel="stylesheet" href="${static}css/xterm.css">
<style>
@font-face {
  font-family: "Roboto Mono";
  src: url("${static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: normal;
}
@font-face {
  font-family: "Roboto Mono";
  src: url("${static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: italic;
}
body { margin: 0; background: #ffffff; color: #000000; font-family: "Roboto Mono", monospace; }
.dialog-container {
  position: absolute; width: 100vw; height: 100vh; z-index: 10;
  display: flex; align-items: center; justify-content: center;
}
.intro {
  padding: 32px 48px; font-size: 18px; text-align: center;
  background: #f2f4f7; border: 2px solid #0b3d91; border-radius: 6px;
}
button {
  display: block; margin: 16px auto 0; padding: 12px 28px; border: none; cursor: pointer;
  background: #0b3d91; color: #ffffff; font: inherit;
}
body.-first-byte .intro-dialog { display: none; }
.textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; }
.closed-dialog { display: none; }
body.-closed .closed-dialog { display: flex; }
body.-closed .intro-dialog { display: none; }
#start { display: none; }
#start.-delay { display: block; }
</style>
<script src="${static}js/textual.js"></script>
<script>
function startAgain() {
  const params = new URLSearchParams(window.location.search);
  params.delete("delay");
  window.location.href = window.location.pathname + "?" + params.toString();
}
</script>
</head>
<body>
<div class="dialog-container intro-dialog">
  <div class="intro">
    <div>Starting the $title&hellip;</div>
    <button type="button" id="start" onclick="startAgain()">Start</button>
  </div>
</div>
<div class="dialog-container closed-dialog">
  <div class="intro">
    <div>This session has ended.</div>
    <button type="button" onclick="startAgain()">Start a new session</button>
  </div>
</div>
<div id="terminal" class="textual-terminal"
     data-session-websocket-url="$websocket_url" data-font-size="$font_size"></div>
</body>
</html>
""")


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


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost."""
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


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


# --- the server ---------------------------------------------------------------------------


def _server_class():
    """The server class, built on textual-serve (imported only when serving)."""
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class Session(AppService):
        """One browser tab's app process, started without a shell in its own process group
        (so a Ctrl+C in the server's terminal reaches the server, which stops it in order)."""

        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            super().__init__(shlex.join(argv), **kwargs)
            self.argv = argv

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
            extra: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {}
            self._process = process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=self._build_environment(width=width, height=height),
                **extra,
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            return process

        @property
        def pid(self) -> int | None:
            return self._process.pid if self._process is not None else None

        def kill(self) -> None:
            """Kill the app process (and anything it started) if it is still running."""
            process = self._process
            if process is None or process.returncode is not None:
                return
            with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
                if os.name == "posix":
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()

        async def finish(self) -> None:
            """Ask the app to quit, wait a little, then make sure it is gone."""
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.stop(), STOP_SECONDS)
            self.kill()
            if self._process is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._process.wait(), STOP_SECONDS)

    class AppServer(Server):
        """textual-serve's server with a page that needs no internet, one process per tab,
        and a clean stop."""

        def __init__(self, argv: list[str], host: str, port: int) -> None:
            super().__init__(shlex.join(argv), host=host, port=port, title=TITLE)
            self.argv = argv
            self.sessions: dict[Session, web.WebSocketResponse] = {}

        async def _make_app(self) -> web.Application:
            app = web.Application()
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, name="static"),
                ]
            )
            app.on_shutdown.append(self._close_sessions)
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            size = _to_int(request.query.get("fontsize"), 16, 8, 48)
            scheme = "wss" if request.secure else "ws"
            page = PAGE.substitute(
                title=html.escape(TITLE),
                static="/static/",
                websocket_url=html.escape(f"{scheme}://{request.host}/ws"),
                font_size=size,
            )
            return web.Response(text=page, content_type="text/html")

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _to_int(request.query.get("width"), 80, 10, 1000)
            height = _to_int(request.query.get("height"), 24, 5, 500)
            session: Session | None = None
            try:
                await websocket.prepare(request)
                session = Session(
                    self.argv,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                )
                self.sessions[session] = websocket
                await session.start(width, height)
                await self._process_messages(websocket, session)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await websocket.close()
            except Exception as exc:  # noqa: BLE001 - one broken tab must not stop the server
                logging.getLogger("textual-serve").warning(
                    "a browser session ended with an error: %s", exc
                )
            finally:
                if session is not None:
                    await session.finish()
                    self.sessions.pop(session, None)
            return websocket

        async def _close_sessions(self, app: web.Application) -> None:
            """On shutdown: close every browser's websocket, which stops its app process."""
            for websocket in list(self.sessions.values()):
                with contextlib.suppress(Exception):
                    await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"Server stopped")

        def kill_all(self) -> None:
            for session in list(self.sessions):
                session.kill()

        async def run(self, ready, stop: asyncio.Event) -> None:
            """Listen, call ``ready()``, serve until ``stop`` is set, then shut down in order."""
            runner = web.AppRunner(
                await self._make_app(),
                handle_signals=False,
                access_log=None,
                shutdown_timeout=STOP_SECONDS + 2,
            )
            await runner.setup()
            try:
                await web.TCPSite(runner, self.host, self.port).start()
                ready()
                await stop.wait()
            finally:
                await runner.cleanup()
                self.kill_all()

    return AppServer


def _to_int(value: str | None, default: int, lowest: int, highest: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return max(lowest, min(highest, number))


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
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Serve the chat app to browsers until Ctrl+C; the exit status for the command line.

    0 after a clean stop; 2 with one line on stderr when it cannot listen (a port in use, an
    address that is not this machine's) or the port is out of range.
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    if not 1 <= port <= 65535:
        err.write(f"{PROG}: --port must be between 1 and 65535, not {port}\n")
        return 2

    from . import kb

    kb.load(kb_dir)  # a broken knowledge directory is reported here, not in every browser tab

    _quiet_logging(err)
    server = _server_class()(app_argv(kb_dir, theme), host, port)

    def ready() -> None:
        warning = exposure_warning(host, port)
        if warning:
            err.write(warning + "\n")
            err.flush()
        out.write(
            f"Serving the {TITLE} on {url(host, port)} (one session per browser tab, "
            f"{theme} theme). Press Ctrl+C to stop.\n"
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
