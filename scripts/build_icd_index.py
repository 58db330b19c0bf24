"""Rebuild the compact ICD-10-CM index from the installed simple-icd-10-cm package.

The package build does this on its own (``hatch_build.py``); run this after upgrading
simple-icd-10-cm in a development checkout:

    python scripts/build_icd_index.py [PATH]      # default: assistant/codes/icd10cm.idx
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    from assistant.codes import icd_index

    target = Path(argv[0]) if argv else icd_index.DEFAULT_PATH
    t = time.perf_counter()
    counts = icd_index.build(target)
    print(
        f"{target}: {counts['codes']:,} codes in {counts['categories']:,} categories, "
        f"{counts['bytes']:,} bytes ({icd_index.source_release()}), "
        f"{time.perf_counter() - t:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
