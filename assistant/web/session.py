"""One browser tab's app process: textual-serve's ``AppService``, with what this server changes.

textual-serve has no public hook for these, so its private parts are overridden here, and only
here: ``_open_app_process`` (start the app without a shell, in its own process group) and
``run`` (relay the app's output while keeping its error output off the console). The relay
follows textual-serve's own loop and its wire format (the ``__GANGLION__`` prelude, then
``D``/``M``/``P`` packets). ``UPSTREAM`` names every private part this module relies on, with a
fingerprint of the upstream code it was written against; ``tests/test_serve_upstream.py`` fails,
naming the part, when an installed textual-serve differs, so an upgrade is reviewed, not
discovered in a classroom.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import time
from asyncio.subprocess import Process
from typing import Any

from textual_serve.app_service import AppService

from assistant.web.guard import log

STOP_SECONDS = 5.0  # how long an app process gets to quit before it is killed

# The textual-serve parts this module overrides or reads, with the SHA-256 (first 16 hex
# digits) of their source in the version written against (see tests/test_serve_upstream.py).
TEXTUAL_SERVE_VERSION = "1.1.3"
UPSTREAM: dict[str, str] = {
    # overridden here (Session) and in assistant/web/server.py (AppServer)
    "AppService._open_app_process": "1202e78eb3e9d5d6",
    "AppService.run": "065799c360c53d92",
    "Server._make_app": "f49af73ecb6eb223",
    "Server._process_messages": "c30aaa2d9521fe13",
    # private parts read or called: the process, its stdin and environment, the start and stop
    "AppService.__init__": "97d2aa2d006bca53",
    "AppService._build_environment": "7411a31d53d5e8ae",
    "AppService.start": "677839f69c78d856",
    "AppService.stop": "e17b0255d820b5e6",
    "Server.__init__": "e7388c474b965a3b",
    "Server.handle_download": "0f198f68877ae6fb",
    # the relay's targets, called from the overridden run()
    "AppService.send_bytes": "7188bc997d4e972a",
    "AppService.set_terminal_size": "83809ee887c2bc13",
    "AppService.blur": "dcfc8d5f662de15f",
    "AppService.focus": "5a0918e5f16b7290",
    "AppService.on_data": "21891c37562df0e4",
    "AppService.on_meta": "eba44f1309ee50a1",
    "AppService.on_packed": "678bc07a4b5bb6b6",
}


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
