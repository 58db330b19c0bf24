"""Side by side (`make compare`): the answer engine against plain retrieval baselines, on the
same knowledge base and the same real-question splits.

* **engine**: ``answer()``, as the command line and the chat app use it;
* **rapidfuzz**: the entry whose phrasing has the best ``WRatio`` with the question;
* **bm25**: ``bm25s`` over each entry's phrasings, title, tags and answer (Snowball stems);
* **minilm**: cosine of all-MiniLM-L6-v2 sentence embeddings over the phrasings, only when
  ``sentence-transformers`` (and torch) happen to be installed; never a dependency.

Each baseline answers with its best entry, or falls back below a score threshold chosen to pass
the most cases of the dev split; all of them see the same code classifier, so the comparison is
about understanding questions. The held-apart split is only measured here, never tuned on.
Figures: pass rate per split, out-of-scope cases answered as fallbacks, and per-query latency.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import grading  # noqa: E402

from assistant.codes import classify as codes  # noqa: E402
from assistant.core.answer import Assistant  # noqa: E402

CASES = ROOT / "tests" / "data" / "real_questions.jsonl"
FALLBACK = {"kind": "fallback", "answer": "No answer in the knowledge base."}

Ranker = Callable[[str], tuple[str | None, float]]  # question -> (entry id, score)


def code_dicts(assistant: Assistant, question: str) -> list[dict]:
    found = codes.detect(question, assistant.facts)
    return [assistant.classify(f.text).to_dict() for f in found]


def baseline_answers(assistant: Assistant, rank: Ranker, cases: list[dict]):
    """(entry id, score, code dicts, seconds) for every case."""
    out = []
    for case in cases:
        t0 = time.perf_counter()
        eid, score = rank(case["q"])
        elapsed = time.perf_counter() - t0
        out.append((eid, score, code_dicts(assistant, case["q"]), elapsed))
    return out


def as_answer(assistant: Assistant, eid: str | None, score: float, threshold: float, found):
    if eid is None or score < threshold:
        return {**FALLBACK, "codes": found}
    return {"kind": "answer", "answer": assistant.kb.by_id(eid).answer, "codes": found}


def pass_rate(assistant, cases, results, threshold) -> float:
    ok = 0
    for case, (eid, score, found, _t) in zip(cases, results, strict=True):
        ok += grading.grade(case, as_answer(assistant, eid, score, threshold, found)) is None
    return ok / max(1, len(cases))


def rapidfuzz_ranker(assistant: Assistant) -> Ranker:
    from rapidfuzz import fuzz, process, utils

    choices, owners = [], []
    for e in assistant.kb.entries:
        for q in e.questions:
            choices.append(q)
            owners.append(e.id)

    def rank(question: str):
        hit = process.extractOne(
            question, choices, scorer=fuzz.WRatio, processor=utils.default_process
        )
        return (owners[hit[2]], hit[1]) if hit else (None, 0.0)

    return rank


def bm25_ranker(assistant: Assistant) -> Ranker:
    import bm25s
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    entries = assistant.kb.entries
    corpus = [" ".join((*e.questions, " ".join(e.tags), e.answer)) for e in entries]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )

    def rank(question: str):
        tokens = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return None, 0.0
        docs, scores = retriever.retrieve(tokens, k=1, show_progress=False)
        return entries[int(docs[0][0])].id, float(scores[0][0])

    return rank


def minilm_ranker(assistant: Assistant) -> Ranker | None:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    try:
        model = SentenceTransformer("all-MiniLM-L6-v2")
    except Exception:  # noqa: BLE001 - no local model: the comparison is optional
        return None
    choices, owners = [], []
    for e in assistant.kb.entries:
        for q in e.questions:
            choices.append(q)
            owners.append(e.id)
    matrix = model.encode(choices, normalize_embeddings=True)

    def rank(question: str):
        vector = model.encode([question], normalize_embeddings=True)[0]
        scores = matrix @ vector
        best = int(scores.argmax())
        return owners[best], float(scores[best]) * 100

    return rank


def best_threshold(assistant, cases, results) -> float:
    scores = sorted({round(score, 2) for _e, score, _f, _t in results})
    candidates = [0.0, *scores]
    return max(candidates, key=lambda th: (pass_rate(assistant, cases, results, th), -th))


def latency(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]


def out_of_scope(cases, answers) -> str:
    pairs = [(c, a) for c, a in zip(cases, answers, strict=True) if c["expect"] == "fallback"]
    return f"{sum(a['kind'] == 'fallback' for _c, a in pairs)}/{len(pairs)}"


def main() -> int:
    assistant = Assistant.from_dir()
    dev, held = grading.load(CASES, "dev"), grading.load(CASES, "held")
    rows = []

    # The engine, as it answers everyone.
    for case in dev + held:  # warm first-use loads
        assistant.answer(case["q"])
    results = {}
    for name, cases in (("dev", dev), ("held", held)):
        answers, times = [], []
        for case in cases:
            t0 = time.perf_counter()
            answers.append(assistant.answer(case["q"]).to_dict())
            times.append(time.perf_counter() - t0)
        ok = sum(grading.grade(c, a) is None for c, a in zip(cases, answers, strict=True))
        results[name] = (ok / len(cases), answers, times)
    p50, p99 = latency(results["dev"][2] + results["held"][2])
    rows.append(
        (
            "engine",
            results["dev"][0],
            results["held"][0],
            out_of_scope(held, results["held"][1]),
            p50,
            p99,
        )
    )

    rankers = [("rapidfuzz WRatio", rapidfuzz_ranker(assistant)), ("bm25s", bm25_ranker(assistant))]
    minilm = minilm_ranker(assistant)
    if minilm is not None:
        rankers.append(("all-MiniLM-L6-v2", minilm))
    for name, rank in rankers:
        dev_results = baseline_answers(assistant, rank, dev)
        held_results = baseline_answers(assistant, rank, held)
        threshold = best_threshold(assistant, dev, dev_results)
        held_answers = [as_answer(assistant, e, s, threshold, f) for e, s, f, _t in held_results]
        p50, p99 = latency([t for *_r, t in dev_results + held_results])
        rows.append(
            (
                f"{name} (fallback below {threshold:g})",
                pass_rate(assistant, dev, dev_results, threshold),
                pass_rate(assistant, held, held_results, threshold),
                out_of_scope(held, held_answers),
                p50,
                p99,
            )
        )
    if minilm is None:
        print("all-MiniLM-L6-v2: skipped (sentence-transformers and torch are not installed)\n")

    print(f"Real questions: {len(dev)} dev, {len(held)} held apart ({CASES.relative_to(ROOT)})\n")
    print("| method | dev | held apart | held out-of-scope as fallback | median ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for name, d, h, oos, p50, p99 in rows:
        print(f"| {name} | {100 * d:.1f}% | {100 * h:.1f}% | {oos} | {p50:.2f} | {p99:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
