"""Speed figures of the HCPCS data layer: ``bench(zip_path)`` or
``python -m assistant.codes.hcpcs.bench ZIP``.

Targets: import of the January 2026 zip within 5 s, ``code()`` within 0.2 ms, ``search()``
p99 within 5 ms, ``open_data()`` without measurable work. Every timed call counts, the
first (cold) ones included.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.codes.hcpcs.store import import_file, open_data

SEARCHES = [
    "what is the code for a cpap machine",
    "hearing aid battery code",
    "crutches",
    "wheelchair cushion",
    "glucose test strips",
    "oxygen concentrator",
    "walker with wheels",
    "knee brace",
    "flu shot",
    "vitamin b12 injection",
    "hospital bed",
    "nebulizer",
    "insulin pump supplies",
    "compression stockings",
    "ambulance mileage",
    "power wheelchair battery",
    "diabetic shoes",
    "blood pressure monitor",
    "wheelchiar cushion",  # a typo: the fuzzy path
    "colonoscopy screening",
    "telehealth",
    "infliximab",
    "pizza delivery",  # nothing: the unknown-word path
    "how are you",
]
NEAREST = ["EO6O1", "J1754", "E061", "V52666", "K0O01", "E0691", "jl745"]


def _ms(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (
        round(statistics.median(ordered), 4),
        round(p99, 4),
        round(ordered[-1], 4),
    )


def bench(zip_path: str | Path, rounds: int = 20, lookups: int = 5000) -> dict[str, object]:
    """Import ``zip_path`` into a temporary directory and time the public calls."""
    clock = time.perf_counter
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as tmp:
        directory = Path(tmp)
        t = clock()
        summary = import_file(zip_path, directory)
        import_s = clock() - t

        t = clock()
        data = open_data(directory)
        open_ms = (clock() - t) * 1000
        assert data is not None
        try:
            all_codes = [row[0] for row in data._query("SELECT code FROM records WHERE kind = 0")]
            rng = random.Random(2026)
            sample = [rng.choice(all_codes) for _ in range(lookups)]
            sample += [f"Z{rng.randrange(10000):04d}" for _ in range(lookups // 10)]  # misses

            lookup = []
            for code in sample:
                t = clock()
                data.code(code)
                lookup.append((clock() - t) * 1000)

            search = []
            first_pass = []
            for round_no in range(rounds):
                for words in SEARCHES:
                    t = clock()
                    data.search(words)
                    elapsed = (clock() - t) * 1000
                    search.append(elapsed)
                    if round_no == 0:
                        first_pass.append(elapsed)

            nearest = []
            for _ in range(rounds):
                for typed in NEAREST:
                    t = clock()
                    data.nearest(typed)
                    nearest.append((clock() - t) * 1000)
        finally:
            data.close()

    lookup_median, lookup_p99, _ = _ms(lookup)
    search_median, search_p99, search_max = _ms(search)
    nearest_median, nearest_p99, _ = _ms(nearest)
    return {
        "release": summary.release,
        "codes": summary.codes,
        "import_s": round(import_s, 3),
        "open_ms": round(open_ms, 3),
        "lookup_median_ms": lookup_median,
        "lookup_p99_ms": lookup_p99,
        "search_median_ms": search_median,
        "search_p99_ms": search_p99,
        "search_max_ms": search_max,
        "search_first_pass_max_ms": round(max(first_pass), 3),
        "nearest_median_ms": nearest_median,
        "nearest_p99_ms": nearest_p99,
        "lookups_timed": len(lookup),
        "searches_timed": len(search),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m assistant.codes.hcpcs.bench ZIP", file=sys.stderr)
        raise SystemExit(2)
    print(json.dumps(bench(sys.argv[1]), indent=2))
