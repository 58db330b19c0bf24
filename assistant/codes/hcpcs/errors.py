"""The two errors the HCPCS data layer raises; both carry a one-line message for the user."""

from __future__ import annotations


class DataUnavailable(Exception):
    """The imported database cannot be used (unreadable, corrupt or from another version).

    The message says what is wrong and what to do (re-import the CMS file).
    """


class ImportFailed(Exception):
    """A file could not be imported; the data imported before is left as it was.

    ``record`` is the 1-based record (line) number in the fixed-width file where the problem
    was found, or ``None`` when the problem is not tied to one record (e.g. not a zip).
    ``in_data_dir`` is True when the file was fine but the data directory could not take the
    database (read-only, full disk, no permission): the message names the directory then.
    """

    def __init__(
        self,
        message: str,
        *,
        record: int | None = None,
        source: str | None = None,
        in_data_dir: bool = False,
    ):
        if record is not None:
            message = f"record {record}: {message}"
        if source:
            message = f"{message} (in {source})"
        super().__init__(message)
        self.record = record
        self.source = source
        self.in_data_dir = in_data_dir
