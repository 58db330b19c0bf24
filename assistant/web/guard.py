"""What a browser may send and from where: the checks ``serve`` puts in front of every request.

Pure functions and small classes, no server: the addresses this server answers to (DNS
rebinding), the page that may open a session (``Origin``), the messages a page may send and
their bounds, and the limits on sessions. Refusals are logged one line at a time, throttled.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import socket
import time
from typing import Any

DEFAULT_MAX_SESSIONS = 40  # a classroom
DEFAULT_IDLE_MINUTES = 30.0
MAX_WIDTH, MAX_HEIGHT = 500, 200  # the largest terminal a page may ask for
MIN_WIDTH, MIN_HEIGHT = 10, 5
MAX_MESSAGE = 256 * 1024  # bytes in one websocket message (a long paste fits)
MAX_PING = 64  # characters of a ping's payload (the page sends a timestamp)
log = logging.getLogger("textual-serve")


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: 127.0.0.0/8, ::1 and localhost."""
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


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
