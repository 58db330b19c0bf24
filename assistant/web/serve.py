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
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import html
import ipaddress
import json
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from asyncio.subprocess import Process
from pathlib import Path
from string import Template
from typing import Any, TextIO

from assistant import PROG

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "HCPCS assistant"
STOP_SECONDS = 5.0  # how long an app process gets to quit before it is killed
LOGGERS = ("textual-serve", "aiohttp")
DEFAULT_MAX_SESSIONS = 40  # a classroom
DEFAULT_IDLE_MINUTES = 30.0
DEFAULT_FONT_SIZE = 16  # pixels; --font-size (or ?fontsize= in the address) for a projector
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 48
MAX_WIDTH, MAX_HEIGHT = 500, 200  # the largest terminal a page may ask for
MIN_WIDTH, MIN_HEIGHT = 10, 5
MAX_MESSAGE = 256 * 1024  # bytes in one websocket message (a long paste fits)
MAX_PING = 64  # characters of a ping's payload (the page sends a timestamp)
log = logging.getLogger("textual-serve")

FULL_PAGE = Template("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title: full</title>
<link rel="icon" href="data:,">
<style>
body { margin: 0; background: #ffffff; color: #000000; font-family: sans-serif; }
main { max-width: 36em; margin: 15vh auto; padding: 32px 48px; font-size: 18px;
       background: #f2f4f7; border: 2px solid #0b3d91; border-radius: 6px; text-align: center; }
button { margin-top: 16px; padding: 12px 28px; border: none; cursor: pointer;
         background: #0b3d91; color: #ffffff; font: inherit; }
</style>
</head>
<body>
<main>
<h1>The $title is full</h1>
<p>All $limit sessions are in use. Please try again in a few minutes, or ask your trainer
(a session ends when its tab is closed, or after $idle of no use).</p>
<button type="button" onclick="window.location.reload()">Try again</button>
</main>
</body>
</html>
""")

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


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header or URL authority (port None when absent), lower-case
    and without IPv6 brackets; None when it cannot be read."""
    value = value.strip().lower()
    if not value or any(c in value for c in "/@ \t"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1 :]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else None
    elif value.count(":") == 1:
        name, port_text = value.split(":")
    elif ":" in value:  # a bare IPv6 address
        name, port_text = value, None
    else:
        name, port_text = value, None
    if port_text is not None:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return None
        return name.rstrip("."), int(port_text)
    return name.rstrip("."), None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Addresses:
    """Which ``Host`` names this server answers to, and which ``Origin`` may open a session.

    Served on ``host``: a loopback address answers to every loopback name (``localhost``,
    127.0.0.0/8, ``::1``); a wildcard (0.0.0.0, ::) to any IP address and this machine's names;
    a specific address to itself and this machine's names. ``extra`` names (``--allow-host``)
    are added. A name any DNS server could point here (DNS rebinding) is refused otherwise.
    """

    def __init__(self, host: str, port: int, extra: tuple[str, ...] = ()) -> None:
        self.port = port
        bound = host.strip().strip("[]").lower()
        self.loopback_only = is_loopback(bound)
        self.any_ip = bound in ("", "0.0.0.0", "::")
        names = {"localhost"} | {e.strip().strip("[]").lower().rstrip(".") for e in extra}
        if bound:
            names.add(bound.rstrip("."))
        if not self.loopback_only:
            with contextlib.suppress(OSError, UnicodeError):
                names.add(socket.gethostname().lower())
                names.add(socket.getfqdn().lower())
        self.names = {n for n in names if n}

    def host_ok(self, value: str | None) -> bool:
        """True when a request's Host header names this server (and its port)."""
        parsed = _split_host(value or "")
        if parsed is None:
            return False
        name, port = parsed
        if (port if port is not None else 80) != self.port:
            return False
        if name in self.names:
            return True
        if _is_ip(name):
            if self.any_ip:
                return True
            return self.loopback_only and is_loopback(name)
        return False

    def origin_ok(self, origin: str | None, host: str | None) -> bool:
        """True when ``origin`` is this server's own page: the same scheme-less address as the
        request's (already checked) Host."""
        if not origin or "://" not in origin:
            return False
        scheme, _, authority = origin.partition("://")
        if scheme.lower() not in ("http", "https") or "/" in authority:
            return False
        page, request = _split_host(authority), _split_host(host or "")
        if page is None or request is None:
            return False
        default = 443 if scheme.lower() == "https" else 80
        return (page[0], page[1] or default) == (request[0], request[1] or 80)


class _Throttled:
    """Log lines about refused requests: the first at once, then at most one a minute with a
    count, so a page that retries in a loop cannot flood the console."""

    def __init__(self, seconds: float = 60.0) -> None:
        self.seconds = seconds
        self.last = -seconds
        self.skipped = 0

    def warning(self, message: str) -> None:
        now = time.monotonic()
        if now - self.last < self.seconds:
            self.skipped += 1
            return
        if self.skipped:
            message += f" ({self.skipped} more since the last such line)"
        self.last, self.skipped = now, 0
        log.warning(message)


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


class Limits:
    """What one browser may use: sessions at once, idle minutes, names it may call us by."""

    def __init__(
        self,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
        allow_hosts: tuple[str, ...] = (),
    ) -> None:
        self.max_sessions = max_sessions
        self.idle_seconds = idle_minutes * 60 if idle_minutes > 0 else None
        self.allow_hosts = allow_hosts

    @property
    def idle_text(self) -> str:
        if self.idle_seconds is None:
            return "a long time"
        minutes = self.idle_seconds / 60
        return f"{minutes:g} minute{'s' if minutes != 1 else ''}"


class Malformed(ValueError):
    """A message from the page that is not one the page sends."""


def read_message(text: str) -> tuple[str, Any]:
    """``(type, payload)`` of one message from the page, checked and bounded.

    ``stdin`` (text typed), ``resize`` (``{"width", "height"}``, clamped to 500x200), ``ping``
    (a short text), ``focus`` and ``blur``. Anything else raises :class:`Malformed`.
    """
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        raise Malformed("not JSON") from None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        raise Malformed("not a [type, data] list")
    kind = envelope[0]
    if kind in ("focus", "blur"):
        return kind, None
    if len(envelope) != 2:
        raise Malformed(f"{kind!r} without its data" if len(envelope) < 2 else "extra items")
    data = envelope[1]
    if kind == "stdin":
        if not isinstance(data, str):
            raise Malformed("stdin that is not text")
        return kind, data
    if kind == "resize":
        if not isinstance(data, dict):
            raise Malformed("resize without a size")
        size = []
        for key, lowest, highest in (
            ("width", MIN_WIDTH, MAX_WIDTH),
            ("height", MIN_HEIGHT, MAX_HEIGHT),
        ):
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise Malformed(f"resize with a {key} that is not a number")
            if value != value:  # NaN
                raise Malformed(f"resize with a {key} that is not a number")
            size.append(max(lowest, min(highest, int(min(max(value, -1e9), 1e9)))))
        return kind, (size[0], size[1])
    if kind == "ping":
        if not isinstance(data, str) or len(data) > MAX_PING:
            raise Malformed("ping that is not a short text")
        return kind, data
    raise Malformed(f"unknown type {kind[:20]!r}")


def _server_class():
    """The server class, built on textual-serve (imported only when serving)."""
    from aiohttp import WSCloseCode, WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class Session(AppService):
        """One browser tab's app process, started without a shell in its own process group
        (so a Ctrl+C in the server's terminal reaches the server, which stops it in order).

        The app's standard error is kept (its last 8 KB) and summed up in one log line if the
        app fails; it is never copied to the console."""

        STDERR_KEPT = 8192

        def __init__(self, argv: list[str], **kwargs: Any) -> None:
            super().__init__(shlex.join(argv), **kwargs)
            self.argv = argv
            self.stderr_tail = b""
            self.last_input = time.monotonic()
            self.malformed = 0
            self.stopping = False

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

        async def run(self) -> None:
            """Relay the app's output to the browser until the app ends (textual-serve's loop,
            with the app's error output kept out of the console)."""
            process = self._process
            assert process is not None and process.stdout is not None
            stdout, stderr = process.stdout, process.stderr

            async def read_stderr() -> None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    while data := await stderr.read(4096):
                        self.stderr_tail = (self.stderr_tail + data)[-self.STDERR_KEPT :]

            stderr_task = asyncio.create_task(read_stderr())
            started = False
            try:
                for _ in range(10):  # the prelude that says a Textual app is talking
                    line = await stdout.readline()
                    if not line:
                        break
                    if line == b"__GANGLION__\n":
                        started = True
                        break
                if started:
                    while True:
                        kind = await stdout.readexactly(1)
                        size = int.from_bytes(await stdout.readexactly(4), "big")
                        payload = await stdout.readexactly(size)
                        if kind == b"D":
                            await self.on_data(payload)
                        elif kind == b"M":
                            await self.on_meta(payload)
                        elif kind == b"P":
                            await self.on_packed(payload)
            except (asyncio.IncompleteReadError, ConnectionResetError, asyncio.CancelledError):
                pass
            except Exception as exc:  # noqa: BLE001 - a broken tab must not stop the server
                log.warning("a browser session stopped relaying its app: %s", exc)
            finally:
                stderr_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await stderr_task
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), 1.0)
            if not started:
                log.warning("a browser session's app did not start%s", self._last_error())
            elif process.returncode not in (0, None) and not self.stopping:
                log.warning(
                    "a browser session's app ended with status %s%s",
                    process.returncode,
                    self._last_error(),
                )

        def _last_error(self) -> str:
            lines = self.stderr_tail.decode("utf-8", "replace").strip().splitlines()
            last = lines[-1].strip() if lines else ""
            return f": {last[:200]}" if last else ""

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
            self.stopping = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.stop(), STOP_SECONDS)
            self.kill()
            if self._process is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._process.wait(), STOP_SECONDS)

    class AppServer(Server):
        """textual-serve's server with a page that needs no internet, one process per tab,
        checked addresses and messages, a session limit, idle sessions ended, and a clean
        stop."""

        def __init__(
            self,
            argv: list[str],
            host: str,
            port: int,
            limits: Limits,
            font_size: int = DEFAULT_FONT_SIZE,
        ) -> None:
            super().__init__(shlex.join(argv), host=host, port=port, title=TITLE)
            self.argv = argv
            self.font_size = font_size  # the page's text size unless its address asks for one
            self.limits = limits
            self.addresses = Addresses(host, port, limits.allow_hosts)
            self.sessions: dict[Session, web.WebSocketResponse] = {}
            self.reserved = 0  # sessions being started (counted against the limit)
            self.refusals = _Throttled()

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[self._check_host], client_max_size=64 * 1024)
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

        @web.middleware
        async def _check_host(self, request: web.Request, handler):
            """Only requests addressed to this server (DNS rebinding protection)."""
            if not self.addresses.host_ok(request.headers.get("Host")):
                self.refusals.warning(
                    f"refused a request for another address ({_shown(request.headers.get('Host'))})"
                )
                return web.Response(
                    status=403,
                    text=f"{TITLE}: this server does not answer to that address; open it with "
                    f"the address it was started on (port {self.port}).\n",
                )
            return await handler(request)

        @property
        def busy(self) -> int:
            return len(self.sessions) + self.reserved

        def _full_page(self) -> web.Response:
            page = FULL_PAGE.substitute(
                title=html.escape(TITLE),
                limit=self.limits.max_sessions,
                idle=html.escape(self.limits.idle_text),
            )
            return web.Response(
                status=503, text=page, content_type="text/html", headers={"Retry-After": "60"}
            )

        async def handle_index(self, request: web.Request) -> web.Response:
            if self.busy >= self.limits.max_sessions:
                return self._full_page()
            size = _to_int(
                request.query.get("fontsize"), self.font_size, MIN_FONT_SIZE, MAX_FONT_SIZE
            )
            scheme = "wss" if request.secure else "ws"
            page = PAGE.substitute(
                title=html.escape(TITLE),
                static="/static/",
                websocket_url=html.escape(f"{scheme}://{request.host}/ws"),
                font_size=size,
            )
            return web.Response(text=page, content_type="text/html")

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            origin = request.headers.get("Origin")
            if not self.addresses.origin_ok(origin, request.headers.get("Host")):
                self.refusals.warning(
                    f"refused a session opened from another site (Origin: {_shown(origin)})"
                )
                return web.Response(
                    status=403,
                    text=f"{TITLE}: a session can only be opened from this server's own page.\n",
                )
            if self.busy >= self.limits.max_sessions:
                self.refusals.warning(
                    f"refused a session: all {self.limits.max_sessions} sessions are in use "
                    "(--max-sessions)"
                )
                return self._full_page()
            self.reserved += 1
            reserved = True
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
            width = _to_int(request.query.get("width"), 80, MIN_WIDTH, MAX_WIDTH)
            height = _to_int(request.query.get("height"), 24, MIN_HEIGHT, MAX_HEIGHT)
            session: Session | None = None
            watchdog: asyncio.Task | None = None
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
                self.reserved -= 1
                reserved = False
                await session.start(width, height)
                if self.limits.idle_seconds is not None:
                    watchdog = asyncio.create_task(self._end_when_idle(session, websocket))
                await self._process_messages(websocket, session)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await websocket.close()
            except Exception as exc:  # noqa: BLE001 - one broken tab must not stop the server
                log.warning("a browser session ended with an error: %s", exc)
            finally:
                if reserved:
                    self.reserved -= 1
                if watchdog is not None:
                    watchdog.cancel()
                if session is not None:
                    await session.finish()
                    self.sessions.pop(session, None)
                    if session.malformed > 1:
                        log.warning(
                            "a browser session sent %d malformed messages in all (dropped)",
                            session.malformed,
                        )
            return websocket

        async def _end_when_idle(self, session: Session, websocket) -> None:
            """Close the tab's session after ``idle_seconds`` without key or mouse input."""
            limit = self.limits.idle_seconds
            assert limit is not None
            while not websocket.closed:
                left = session.last_input + limit - time.monotonic()
                if left <= 0:
                    await websocket.close(
                        code=WSCloseCode.GOING_AWAY, message=b"Ended after no use"
                    )
                    return
                await asyncio.sleep(min(left, 60.0))

        async def _process_messages(self, websocket, session: Session) -> None:
            """Relay the page's messages to the app, each one checked (see read_message)."""
            async for message in websocket:
                if message.type == WSMsgType.ERROR:
                    log.warning(
                        "a browser session was closed: %s",
                        _message_error(websocket.exception()),
                    )
                    break
                if message.type != WSMsgType.TEXT:
                    self._drop(session, "a binary message")
                    continue
                try:
                    kind, data = read_message(message.data)
                except Malformed as exc:
                    self._drop(session, str(exc))
                    continue
                if kind == "stdin":
                    session.last_input = time.monotonic()
                    await session.send_bytes(data.encode("utf-8", "replace"))
                elif kind == "resize":
                    await session.set_terminal_size(*data)
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await session.blur()
                elif kind == "focus":
                    await session.focus()

        def _drop(self, session: Session, what: str) -> None:
            session.malformed += 1
            if session.malformed == 1:  # one line per session, and a count at its end
                log.warning("dropped a malformed message from a browser session: %s", what)

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


def _shown(value: str | None) -> str:
    """A header value as it may appear in a log line: printable, short."""
    if not value:
        return "none"
    text = "".join(c if c.isprintable() else "?" for c in value)
    return text[:80] + ("..." if len(text) > 80 else "")


def _message_error(exc: BaseException | None) -> str:
    text = str(exc) if exc is not None else ""
    if "too big" in text.lower() or "message size" in text.lower():
        return f"it sent a message over {MAX_MESSAGE // 1024} KiB"
    return text or "a protocol error"


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
    server = _server_class()(app_argv(kb_dir, theme), host, port, limits, font_size)

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
