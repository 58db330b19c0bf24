"""textual-serve is used through private parts it may change in any release (see
``assistant/web/session.py``). These tests fail, naming the part, when the installed
textual-serve is not the one those parts were written against, so an upgrade is reviewed
rather than found broken in a classroom."""

from __future__ import annotations

import hashlib
import inspect
from importlib.metadata import version

import pytest
from textual_serve.app_service import AppService
from textual_serve.server import Server

from assistant.web import session
from assistant.web.server import AppServer
from assistant.web.session import Session

OWNERS = {"AppService": AppService, "Server": Server}


def fingerprint(name: str) -> str:
    owner, _, member = name.partition(".")
    source = inspect.getsource(getattr(OWNERS[owner], member))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def test_the_installed_textual_serve_is_the_pinned_one():
    assert version("textual-serve") == session.TEXTUAL_SERVE_VERSION, (
        "textual-serve was upgraded: review every part listed in assistant/web/session.py "
        "UPSTREAM against the new release, then update the fingerprints and the version"
    )


@pytest.mark.parametrize("name", sorted(session.UPSTREAM))
def test_each_private_part_relied_on_is_unchanged(name):
    assert fingerprint(name) == session.UPSTREAM[name], (
        f"textual-serve's {name} changed: the override or call in assistant/web/ was written "
        "against the old code; review it, then update its fingerprint in UPSTREAM"
    )


def test_every_override_is_listed():
    """A private method newly overridden here is listed too (so it is fingerprinted)."""
    for ours, owner in ((Session, "AppService"), (AppServer, "Server")):
        base = OWNERS[owner]
        overridden = {
            name
            for name in vars(ours)
            if name in vars(base) and name.startswith("_") and not name.startswith("__")
        }
        assert {f"{owner}.{name}" for name in overridden} <= set(session.UPSTREAM)


def test_a_changed_part_is_caught(monkeypatch):
    """The check itself: a different upstream method gives a different fingerprint."""
    before = fingerprint("AppService.run")

    async def run(self) -> None:  # a new release's relay loop
        return None

    monkeypatch.setattr(AppService, "run", run)
    assert fingerprint("AppService.run") != before
