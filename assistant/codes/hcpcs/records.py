"""The value types the HCPCS data layer hands out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeRecord:
    """One HCPCS Level II code or Level II modifier as CMS publishes it.

    Descriptions are the file's text, unchanged apart from joining the 80-character
    continuation lines with a space; they are plain text (escape them before rendering).
    """

    code: str
    short_description: str
    long_description: str
    add_date: datetime.date | None
    term_date: datetime.date | None
    is_modifier: bool

    def active(self, on: datetime.date | None = None) -> bool:
        """True when the code is not terminated on ``on`` (default: today).

        CMS's termination date is the last date the code may be used, so a code is still
        active on its termination date. The add date is not considered (see :meth:`status`).
        """
        on = on or datetime.date.today()
        return self.term_date is None or on <= self.term_date

    def status(self, on: datetime.date | None = None) -> str:
        """``"active"``, ``"terminated"`` or ``"not yet effective"`` (added after ``on``)."""
        on = on or datetime.date.today()
        if not self.active(on):
            return "terminated"
        if self.add_date is not None and self.add_date > on:
            return "not yet effective"
        return "active"


@dataclass(frozen=True)
class ImportSummary:
    """What :func:`import_file` stored. ``str()`` gives the lines ``import-hcpcs`` prints.

    ``active_codes`` and ``active_modifiers`` are counted as of ``effective`` (the release's
    effective date, e.g. 2026-01-01 for the January 2026 file; the import date when the
    release date is unknown).
    """

    release: str
    codes: int
    active_codes: int
    modifiers: int
    active_modifiers: int = 0
    effective: datetime.date | None = None
    replaced: str | None = None
    replaces_newer: bool = False  # the release replaced is more recent than this one
    path: str = ""

    def __str__(self) -> str:
        on = f" on {self.effective.isoformat()}" if self.effective else ""
        lines = [
            f"Imported HCPCS Level II release {self.release}.",
            f"{self.codes:,} codes ({self.active_codes:,} active{on}), "
            f"{self.modifiers:,} modifiers ({self.active_modifiers:,} active{on}).",
        ]
        if self.replaced and self.replaced != self.release:
            lines.append(f"It replaces the previously imported release {self.replaced}.")
        elif self.replaced:
            lines.append("It replaces the earlier import of the same release.")
        if self.replaces_newer:
            lines.append(
                "Note: the release it replaces is more recent; import the newest CMS file "
                "to get current codes."
            )
        if self.path:
            lines.append(f"Stored in {self.path}")
        return "\n".join(lines)
