"""Benchmarks for `make bench`: answer latency, a 1 MB question, one-shot command time, ICD-10-CM
look-ups (one-shot `code E11.9` against `code 99213`, the first ICD question in a session), batch
mode over 100,000 lines (time and peak memory), a knowledge file near its 5 MB limit, the
import's peak memory (the CMS zip and a generated 63 MB file), data and app start, and a load
check of ``serve`` (BENCH_SESSIONS tabs at once, 20 by default).

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


def _timed(assistant, questions: list[str], rounds: int) -> tuple[float, float]:
    for q in questions:  # warm: first-use loads (ICD-10-CM code list) are not per-answer costs
        assistant.answer(q)
    times = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            assistant.answer(q)
            times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 3), round(pct(times, 0.99), 3)


def _real_questions() -> list[str]:
    path = ROOT / "tests" / "data" / "real_questions.jsonl"
    return [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines()]


def bench_answer(rounds: int = 300) -> dict:
    from assistant.core import kb, prebuilt
    from assistant.core.answer import Assistant

    t0 = time.perf_counter()
    Assistant(kb.load())
    build_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    assistant = Assistant.from_dir()
    load_ms = (time.perf_counter() - t0) * 1000
    stored = prebuilt.load(kb.default_dir()) is not None
    median, p99 = _timed(assistant, QUESTIONS, rounds)
    real_median, real_p99 = _timed(assistant, _real_questions(), 3)
    return {
        "kb_read_and_index_ms": round(build_ms, 1),
        "kb_from_stored_index_ms" if stored else "kb_load_ms (no stored index)": round(load_ms, 1),
        "answer_median_ms": median,
        "answer_p99_ms": p99,
        "answer_real_questions_median_ms": real_median,
        "answer_real_questions_p99_ms": real_p99,
    }


def bench_answer_with_data(rounds: int = 100) -> dict:
    """answer() with the January 2026 CMS file imported (skipped without it)."""
    if not CMS_ZIP.exists():
        return {"answer_with_data": "skipped: no CMS file beside the project"}
    from assistant.codes.hcpcs import import_file, open_data
    from assistant.core.answer import Assistant

    with tempfile.TemporaryDirectory() as tmp:
        import_file(CMS_ZIP, Path(tmp))
        data = open_data(Path(tmp))
        assistant = Assistant.from_dir(None, data_source=lambda: data)
        questions = [*QUESTIONS, "code for a cpap machine", "walker", "J3301 40 mg how many units"]
        median, p99 = _timed(assistant, questions, rounds)
        real_median, real_p99 = _timed(assistant, _real_questions(), 2)
        data.close()
    return {
        "answer_with_data_median_ms": median,
        "answer_with_data_p99_ms": p99,
        "answer_with_data_real_questions_p99_ms": real_p99,
    }


# Runs the command line and reports its own peak memory. VmHWM is the process's high-water
# mark since exec; rusage's maxrss would also count the parent's memory at fork time.
_PEAK_WRAPPER = """
import sys
from assistant.cli.main import main
status = main(sys.argv[1:])
sys.stdout.flush()
try:
    with open("/proc/self/status") as f:
        peak = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.stderr.write(f"peak_kb={peak}\\n")
sys.exit(status)
"""


def _oneshot_walls(args: list[str], runs: int, env: dict) -> list[float]:
    """Wall times (s) of ``hcpcs-assistant ARGS...``, each in a fresh process."""
    exe = ROOT / ".venv" / "bin" / "hcpcs-assistant"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant"]
    walls = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd + args, capture_output=True, env=env, check=True)
        walls.append(time.perf_counter() - t)
    return walls


def _oneshot_peak_mb(args: list[str], env: dict) -> float:
    """Peak memory (MB) of ``hcpcs-assistant ARGS...``: the child's own peak (RUSAGE_CHILDREN
    would also count this process's memory at fork time)."""
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return int(proc.stderr.rsplit("peak_kb=", 1)[1].split()[0]) / 1024


def bench_oneshot(runs: int = 7) -> dict:
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    walls = _oneshot_walls(["ask", "what are j codes?"], runs, env)
    peak = _oneshot_peak_mb(["ask", "what are j codes?"], env)
    return {
        "oneshot_ask_median_s": round(statistics.median(walls), 3),
        "oneshot_ask_min_s": round(min(walls), 3),
        "oneshot_peak_rss_mb": round(peak, 1),
    }


def _oneshot_code(code: str, runs: int) -> tuple[float, float]:
    """Median wall time (s) of ``hcpcs-assistant code CODE`` and its peak memory (MB)."""
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    walls = _oneshot_walls(["code", code], runs, env)
    return statistics.median(walls), _oneshot_peak_mb(["code", code], env)


# The first ICD-shaped question in a fresh process, after the assistant is built (as in a chat
# session): with the shipped index, and with the library the index replaces.
_FIRST_ICD = """
import sys, time
from assistant.codes import icd
from assistant.core.answer import Assistant
if sys.argv[1] == "library":
    icd.use_index(None)
assistant = Assistant.from_dir()
t = time.perf_counter()
reply = assistant.answer("is E11.9 billable?")
elapsed = (time.perf_counter() - t) * 1000
assert reply.codes and reply.codes[0].description, reply
print(f"{elapsed:.2f} {icd.source()}")
"""


def bench_icd(runs: int = 5) -> dict:
    """One-shot `code E11.9` against `code 99213`, and the first ICD look-up in a session."""
    cpt_s, cpt_mb = _oneshot_code("99213", runs)
    icd_s, icd_mb = _oneshot_code("E11.9", runs)
    out = {
        "oneshot_code_99213_median_s": round(cpt_s, 3),
        "oneshot_code_E11.9_median_s": round(icd_s, 3),
        "oneshot_code_E11.9_vs_99213": round(icd_s / cpt_s, 2),
        "oneshot_code_99213_peak_rss_mb": round(cpt_mb, 1),
        "oneshot_code_E11.9_peak_rss_mb": round(icd_mb, 1),
    }
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    for source in ("index", "library"):
        times, used = [], ""
        for _ in range(runs if source == "index" else 1):
            proc = subprocess.run(
                [sys.executable, "-c", _FIRST_ICD, source],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                check=True,
            )
            ms, used = proc.stdout.split()
            times.append(float(ms))
        out[f"icd_first_question_{source}_ms"] = round(statistics.median(times), 1)
        if used != source:
            out[f"icd_first_question_{source}_ms"] = f"skipped: no {source} ({used} used)"
    return out


# The first question for a condition's ICD-10-CM code in a fresh process (the words are read on
# first use), and later ones.
_ICD_WORDS = """
import time
from assistant.core.answer import Assistant
assistant = Assistant.from_dir()
times = []
for q in ("What is the ICD-10 code for low back pain?", "icd 10 code for a history of falling",
          "diagnosis code for type 2 diabetes", "ICD-10 code for headache, unspecified"):
    t = time.perf_counter()
    assistant.answer(q)
    times.append((time.perf_counter() - t) * 1000)
print(" ".join(f"{x:.2f}" for x in times))
"""


def bench_icd_words(runs: int = 5) -> dict:
    """A condition's ICD-10-CM code asked for in words: the first question of a session, the
    next ones, and one-shot `ask`."""
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    first, later = [], []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", _ICD_WORDS],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        times = [float(x) for x in proc.stdout.split()]
        first.append(times[0])
        later.extend(times[1:])
    walls = _oneshot_walls(["ask", "What is the ICD-10 code for low back pain?"], runs, env)
    return {
        "icd_words_first_question_ms": round(statistics.median(first), 1),
        "icd_words_later_question_median_ms": round(statistics.median(later), 2),
        "icd_words_oneshot_ask_median_s": round(statistics.median(walls), 3),
    }


def bench_big_question(rounds: int = 5) -> dict:
    """A 1 MB question (a pasted page): answered from its first 2,000 characters, in-process."""
    import random

    from assistant.core.answer import Assistant

    assistant = Assistant.from_dir()
    assistant.answer("E11.9 99213 what are j codes")  # warm: first-use loads are not per answer
    mb = 1_000_000
    words = sorted({w for e in assistant.kb.entries for q in e.questions for w in q.split()})
    rng = random.Random(1)
    shapes = {
        "words": ("what are j codes " * (mb // 17 + 1))[:mb],
        "codes": ("99213 J1745 E11.9 modifier 25, 0450T " * (mb // 37 + 1))[:mb],
        "kb_words": " ".join(rng.choice(words) for _ in range(mb // 4))[:mb],
        "digits": "9" * mb,
        "escapes": "\x1b[31m" * (mb // 5),
        "unicode": ("\u00e9\u6f22\U0001f642" * (mb // 3 + 1))[:mb],
    }
    worst: dict[str, float] = {}
    for name, question in shapes.items():
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            assistant.answer(question)
            times.append((time.perf_counter() - t) * 1000)
        worst[name] = max(times)
    slowest = max(worst, key=worst.get)
    return {
        "question_1mb_max_ms": round(worst[slowest], 1),
        "question_1mb_slowest_shape": slowest,
        "question_1mb_ms_by_shape": {k: round(v, 1) for k, v in worst.items()},
    }


def _batch_run(lines: int) -> tuple[float, float, int]:
    """``ask --json`` over ``lines`` questions streamed through a pipe: (wall s, peak RSS MB,
    output lines)."""
    import threading

    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    cmd = [sys.executable, "-c", _PEAK_WRAPPER, "ask", "--json"]
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )

    def feed() -> None:
        for i in range(lines):
            proc.stdin.write((QUESTIONS[i % len(QUESTIONS)] + "\n").encode())
        proc.stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    count = sum(1 for _ in proc.stdout)
    writer.join()
    err = proc.stderr.read().decode()
    if proc.wait() != 0 or "peak_kb=" not in err:
        raise SystemExit(f"batch run failed with status {proc.returncode}: {err}")
    wall = time.perf_counter() - t
    peak_kb = int(err.rsplit("peak_kb=", 1)[1].split()[0])
    return wall, peak_kb / 1024, count


def bench_batch(lines: int = 100_000) -> dict:
    """Batch mode's memory does not grow with its input: peak RSS for 1k and for 100k lines."""
    _, small_rss, _ = _batch_run(1000)
    wall, big_rss, count = _batch_run(lines)
    return {
        "batch_lines": count,
        "batch_100k_wall_s": round(wall, 1),
        "batch_100k_lines_per_s": round(count / wall),
        "batch_1k_peak_rss_mb": round(small_rss, 1),
        "batch_100k_peak_rss_mb": round(big_rss, 1),
    }


def bench_big_kb() -> dict:
    """Loading a knowledge file just under the 5 MB limit (about 22,000 small entries)."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    from bigkb import write_big_kb

    from assistant.core import kb

    with tempfile.TemporaryDirectory() as tmp:
        count = write_big_kb(Path(tmp))
        size = (Path(tmp) / "entries" / "01-generated.md").stat().st_size
        t = time.perf_counter()
        loaded = kb.load(tmp)
        seconds = time.perf_counter() - t
    return {
        "kb_near_limit_mb": round(size / 1024 / 1024, 2),
        "kb_near_limit_entries": f"{len(loaded.entries)} of {count}",
        "kb_near_limit_load_s": round(seconds, 1),
    }


def _import_peak(path: Path) -> tuple[float, float]:
    """``import-hcpcs PATH`` into a new data directory: (wall s, the child's own peak RSS MB)."""
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp())
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, "import-hcpcs", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    if proc.returncode != 0 or "peak_kb=" not in proc.stderr:
        raise SystemExit(f"import failed with status {proc.returncode}: {proc.stderr}")
    peak_kb = int(proc.stderr.rsplit("peak_kb=", 1)[1].split()[0])
    return time.perf_counter() - t, peak_kb / 1024


def bench_import_memory(big_mb: int = 63) -> dict:
    """The import streams its file: peak memory for the CMS zip and for a generated TXT of
    ``big_mb`` MB (the fixture's codes under made-up unique codes)."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "hcpcs"))
    from hcpcs_fixture import write_big_txt

    results: dict = {}
    if CMS_ZIP.exists():
        _, peak = _import_peak(CMS_ZIP)
        results["import_cms_zip_peak_rss_mb"] = round(peak, 1)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "HCPC2026_JAN_ANWEB_BIG.txt"
        codes = write_big_txt(big, big_mb * 1024 * 1024)
        wall, peak = _import_peak(big)
    results[f"import_{big_mb}mb_codes"] = codes
    results[f"import_{big_mb}mb_wall_s"] = round(wall, 1)
    results[f"import_{big_mb}mb_peak_rss_mb"] = round(peak, 1)
    return results


def bench_data() -> dict:
    if not CMS_ZIP.exists():
        return {"hcpcs_data": "skipped: CMS zip not found"}
    try:
        from assistant.codes.hcpcs.bench import bench
    except ImportError:
        return {"hcpcs_data": "skipped: data layer not installed"}
    return {f"hcpcs_{k}": v for k, v in bench(CMS_ZIP).items()}


_ESCAPES = (
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[@-Z\\-_]"
)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _proc_mb(pid: int, path: str, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def bench_serve(sessions: int = int(os.environ.get("BENCH_SESSIONS", "20"))) -> dict:
    """Load check: ``sessions`` browser tabs at once over loopback, each asking a question;
    time to the first screen and to the answer, memory per tab, processes left after closing."""
    if not Path("/proc").is_dir():
        return {"serve_load": "skipped: needs /proc"}
    import asyncio
    import re
    import signal
    import socket

    import aiohttp

    escapes = re.compile(_ESCAPES)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    home = tempfile.mkdtemp()
    env = dict(os.environ, HCPCS_ASSISTANT_DATA=tempfile.mkdtemp(), HOME=home)
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
        + ["--max-sessions", str(sessions)],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    if b"Serving" not in server.stdout.readline():
        server.kill()
        return {"serve_load": f"skipped: the server did not start: {server.stderr.read()[-300:]}"}

    async def tab(http, ready: asyncio.Barrier) -> tuple[float, float]:
        url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
        t = time.perf_counter()
        async with http.ws_connect(url, origin=base) as ws:
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            screen = b""

            async def until(word: str) -> None:
                nonlocal screen
                while word not in escapes.sub("", screen.decode("utf-8", "replace")):
                    message = await ws.receive(timeout=600)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        screen += message.data
                    elif message.type != aiohttp.WSMsgType.TEXT:
                        raise RuntimeError("the session closed")

            await until("knowledge base has")
            first_screen = time.perf_counter() - t
            await ready.wait()  # every tab asks at once
            screen = b""
            t = time.perf_counter()
            for char in "What are J codes?\r":
                await ws.send_json(["stdin", char])
            await until("infliximab")
            answer = time.perf_counter() - t
            if await ready.wait() == 0:  # measured with every tab still open
                apps = _children(server.pid)
                memory["rss"] = sum(_proc_mb(a, "status", "VmRSS") for a in apps) / len(apps)
                memory["pss"] = sum(_proc_mb(a, "smaps_rollup", "Pss") for a in apps) / len(apps)
                memory["server"] = _proc_mb(server.pid, "status", "VmRSS")
            await ready.wait()
        return first_screen, answer

    memory: dict[str, float] = {}

    async def run() -> list[tuple[float, float]]:
        ready = asyncio.Barrier(sessions)
        async with aiohttp.ClientSession() as http:
            return await asyncio.gather(*(tab(http, ready) for _ in range(sessions)))

    try:
        times = asyncio.run(run())
        end = time.monotonic() + 60
        while _children(server.pid) and time.monotonic() < end:
            time.sleep(0.2)
        left = len(_children(server.pid))
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(30)
    starts = [t for t, _ in times]
    answers = [a for _, a in times]
    return {
        "serve_sessions": sessions,
        "serve_first_screen_median_s": round(statistics.median(starts), 1),
        "serve_first_screen_max_s": round(max(starts), 1),
        "serve_answer_median_s": round(statistics.median(answers), 2),
        "serve_answer_max_s": round(max(answers), 2),
        "serve_rss_per_session_mb": round(memory.get("rss", 0), 1),
        "serve_pss_per_session_mb": round(memory.get("pss", 0), 1),
        "serve_server_rss_mb": round(memory.get("server", 0), 1),
        "serve_processes_left_after_closing": left,
    }


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
    for part in (
        bench_answer,
        bench_answer_with_data,
        bench_big_question,
        bench_oneshot,
        bench_icd,
        bench_icd_words,
        bench_batch,
        bench_big_kb,
        bench_import_memory,
        bench_data,
        bench_app,
        bench_serve,
    ):
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
