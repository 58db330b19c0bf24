"""The web server: textual-serve's ``Server`` with the page, the checks and the limits of
:mod:`assistant.web.guard`, one :class:`~assistant.web.session.Session` per browser tab, and a
clean stop.

Its routes and message loop replace textual-serve's (``_make_app`` and ``_process_messages``,
the private methods overridden here, are fingerprinted with the others in
:mod:`assistant.web.session`); the handlers are its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import shlex
import time

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from assistant.web.guard import (
    MAX_HEIGHT,
    MAX_MESSAGE,
    MAX_WIDTH,
    MIN_HEIGHT,
    MIN_WIDTH,
    Addresses,
    Limits,
    Malformed,
    _message_error,
    _shown,
    _Throttled,
    _to_int,
    log,
    read_message,
)
from assistant.web.pages import (
    DEFAULT_FONT_SIZE,
    FULL_PAGE,
    MAX_FONT_SIZE,
    MIN_FONT_SIZE,
    PAGE,
    TITLE,
)
from assistant.web.session import STOP_SECONDS, Session


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
        size = _to_int(request.query.get("fontsize"), self.font_size, MIN_FONT_SIZE, MAX_FONT_SIZE)
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
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"Ended after no use")
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
