"""Where imported data lives."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "HCPCS_ASSISTANT_DATA"
APP_NAME = "hcpcs-assistant"
DB_NAME = "hcpcs.sqlite3"


def data_dir() -> Path:
    """``$HCPCS_ASSISTANT_DATA`` when set (and not empty), else the platform's user data dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # imported here: costs a few ms and is only needed without the variable

    return Path(platformdirs.user_data_dir(APP_NAME))


def db_path(directory: Path | str | None = None) -> Path:
    """The database file inside ``directory`` (default :func:`data_dir`)."""
    return Path(directory if directory is not None else data_dir()) / DB_NAME
