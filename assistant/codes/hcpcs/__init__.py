"""The official HCPCS Level II code set (CMS Alpha-Numeric HCPCS file), imported into SQLite.

Typical use::

    from assistant.codes.hcpcs import open_data, import_file

    import_file("january-2026-alpha-numeric-hcpcs-file.zip")   # once per quarterly release
    data = open_data()              # None when nothing has been imported yet
    data.code("E0601")              # CodeRecord or None
    data.search("cpap machine")     # [(CodeRecord, score), ...]

Importing this package is cheap: ``sqlite3``, ``zipfile``, ``platformdirs`` and ``rapidfuzz``
are imported only when first needed.
"""

from assistant.codes.hcpcs.errors import DataUnavailable, ImportFailed
from assistant.codes.hcpcs.paths import data_dir
from assistant.codes.hcpcs.records import CodeRecord, ImportSummary
from assistant.codes.hcpcs.store import HcpcsData, import_file, open_data

__all__ = [
    "CodeRecord",
    "DataUnavailable",
    "HcpcsData",
    "ImportFailed",
    "ImportSummary",
    "data_dir",
    "import_file",
    "open_data",
]
