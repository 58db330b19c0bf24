"""What the core reads from the imported data, as types: the boundary between the engine and
the files a user imports or the package ships.

:class:`HcpcsStore` is what the engine calls on the imported CMS HCPCS file
(:class:`assistant.codes.hcpcs.HcpcsData` is the real one; tests pass small stand-ins).
:class:`IcdLibrary` is what :mod:`assistant.codes.icd` calls on simple-icd-10-cm, a library
without type information. A store that cannot be used raises one of :data:`DATA_ERRORS`;
:func:`problem_text` turns such a failure into the one line the user is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.codes.hcpcs.errors import DataUnavailable
from assistant.codes.hcpcs.records import CodeRecord
from assistant.core.text import one_line

# What a store raises when its file is missing, damaged, locked or unreadable: the store turns
# SQLite errors and damaged values into DataUnavailable; the operating system's errors pass.
DATA_ERRORS: tuple[type[Exception], ...] = (DataUnavailable, OSError)
REIMPORT = "re-import with: hcpcs-assistant import-hcpcs FILE"


class HcpcsStore(Protocol):
    """The imported HCPCS Level II file. Every member may raise one of :data:`DATA_ERRORS`."""

    @property
    def release(self) -> str:
        """The release's name, e.g. ``January 2026 (HCPC2026_JAN_ANWEB_01122026)``."""
        ...

    def check(self) -> None:
        """Open the file now, so a damaged one is found before any answer uses it."""
        ...

    def close(self) -> None: ...

    def code(self, code: str) -> CodeRecord | None:
        """The Level II code's record, or None when the file does not have it."""
        ...

    def modifier(self, modifier: str) -> CodeRecord | None:
        """The Level II modifier's record, or None when the file does not have it."""
        ...

    def nearest(self, code: str, limit: int = 5) -> Sequence[CodeRecord]:
        """Active codes one typing slip from ``code``, best first."""
        ...

    def search(self, words: str, limit: int = 8) -> Sequence[tuple[CodeRecord, float]]:
        """Active codes whose descriptions match ``words``, best first, scored 0-100."""
        ...


class IcdLibrary(Protocol):
    """The part of simple-icd-10-cm that the ICD-10-CM look-ups use (codes with their dot)."""

    def is_valid_item(self, code: str) -> bool: ...

    def is_category_or_subcategory(self, code: str) -> bool: ...

    def is_chapter(self, code: str) -> bool: ...

    def is_leaf(self, code: str) -> bool: ...

    def get_description(self, code: str) -> str: ...

    def get_ancestors(self, code: str) -> list[str]: ...

    def get_children(self, code: str) -> list[str]: ...

    def get_code_first(self, code: str) -> str: ...

    def get_excludes1(self, code: str) -> list[str]: ...

    def get_excludes2(self, code: str) -> list[str]: ...


def problem_text(problem: Exception | str) -> str:
    """The one line that says why the imported data cannot be used, and what to do."""
    text = problem if isinstance(problem, str) else one_line(str(problem))
    text = text or type(problem).__name__
    if "import-hcpcs" not in text:
        text += f" ({REIMPORT})"
    return text
