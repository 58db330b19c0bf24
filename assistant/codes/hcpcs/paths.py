"""Where imported data lives."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "HCPCS_ASSISTANT_DATA"
APP_NAME = "hcpcs-assistant"
DB_NAME = "hcpcs.sqlite3"


def data_dir() -> Path:
    """``$HCPCS_ASSISTANT_DATA`` when set (and not empty), else the platform's user data dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    if sys.platform == "linux":
        # The XDG base directory rule, as platformdirs applies it on Linux (a test checks they
        # agree): importing platformdirs costs a one-shot `ask` some 20 ms, most of it the
        # modules it loads for directories this app never uses.
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        return Path(xdg or os.path.expanduser("~/.local/share")) / APP_NAME
    import platformdirs  # imported here: only needed without the variable, off Linux

    return Path(platformdirs.user_data_dir(APP_NAME))


def db_path(directory: Path | str | None = None) -> Path:
    """The database file inside ``directory`` (default :func:`data_dir`)."""
    return Path(directory if directory is not None else data_dir()) / DB_NAME
