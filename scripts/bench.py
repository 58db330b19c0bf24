"""Benchmarks for `make bench`: answer latency, one-shot command time, memory, data and app start.

Figures, not pass/fail: they are printed for the README and for comparing changes.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = [
    "what's the difference between HCPCS and CPT?",
    "j codes?",
    "who maintains cpt",
    "what is hcpcs level iii",
    "hearing aid battery code",
    "modifier 59 vs XS",
    "cpt category ii codes",
    "when is hcpcs updated",
    "what is the weather today",
    "zxcvbnm",
    "99213",
    "V5266",
    "0450T",
    "modifier 25",
    "what does LT mean",
    "is E0601 a cpt code",
]
CMS_ZIP = ROOT.parent / "shared" / "data" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def bench_answer(rounds: int = 300) -> dict:
    from assistant.answer import Assistant

    t0 = time.perf_counter()
    assistant = Assistant.from_dir()
    load_ms = (time.perf_counter() - t0) * 1000
    for q in QUESTIONS:  # warm: first-use loads (ICD-10-CM code list) are not per-answer costs
        assistant.answer(q)
    times = []
    for _ in range(rounds):
        for q in QUESTIONS:
            t = time.perf_counter()
            assistant.answer(q)
            times.append((time.perf_counter() - t) * 1000)
    return {
        "kb_load_ms": round(load_ms, 1),
        "answer_median_ms": round(statistics.median(times), 3),
        "answer_p99_ms": round(pct(times, 0.99), 3),
        "answers_timed": len(times),
    }


def bench_oneshot(runs: int = 7) -> dict:
    exe = ROOT / ".venv" / "bin" / "hcpcs-assistant"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    walls = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd + ["ask", "what are j codes?"], capture_output=True, env=env, check=True)
        walls.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "oneshot_ask_median_s": round(statistics.median(walls), 3),
        "oneshot_ask_min_s": round(min(walls), 3),
        "oneshot_peak_rss_mb": round(peak, 1),
    }


def bench_data() -> dict:
    if not CMS_ZIP.exists():
        return {"hcpcs_data": "skipped: CMS zip not found"}
    try:
        from assistant.hcpcs.bench import bench
    except ImportError:
        return {"hcpcs_data": "skipped: data layer not installed"}
    return {f"hcpcs_{k}": v for k, v in bench(CMS_ZIP).items()}


def bench_app() -> dict:
    try:
        from assistant.tui.bench import first_paint_seconds
    except ImportError:
        return {"app": "skipped: chat app not installed"}
    runs = [first_paint_seconds() for _ in range(3)]
    return {
        "app_first_paint_s": round(min(runs), 3),
        "app_first_paint_median_s": round(statistics.median(runs), 3),
    }


def main() -> int:
    results: dict = {}
    for part in (bench_answer, bench_oneshot, bench_data, bench_app):
        results.update(part())
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["bench_process_peak_rss_mb"] = round(peak_self, 1)
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    if "--json" in sys.argv:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
