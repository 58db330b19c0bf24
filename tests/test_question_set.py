"""The regression question sets: realistic questions written apart from the knowledge base's
phrasings (and from each other), graded like the project's evaluation (answers, fallbacks, safe
replies, codes).

It guards the matcher's calibration as a whole: a change that helps one phrasing but costs
several others shows up here as a lower pass rate.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.core.answer import Assistant

DATA = Path(__file__).parent / "data"
SETS = ("questions.jsonl", "questions2.jsonl")
MIN_PASS_RATE = 0.95


def _cases(name: str) -> list[dict]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def grade(case: dict, out: dict) -> str | None:
    """None when the reply passes the case, else why not."""
    answer = out["answer"]
    if case["expect"] == "fallback":
        return None if out["kind"] == "fallback" else f"expected a fallback, got {out['entry_id']}"
    if case["expect"] == "answer" and out["kind"] == "fallback":
        return "got a fallback"
    if case["expect"] == "code":
        want = case["code"]
        found = [c for c in out["codes"] if c["code"] == want["code"]]
        if not found:
            return f"{want['code']} not detected"
        got = found[0]
        if got["system"] != want["system"]:
            return f"system {got['system']}"
        if "category" in want and got["category"] != want["category"]:
            return f"category {got['category']}"
        if want.get("section_re") and not re.search(want["section_re"], got["section"] or "", re.I):
            return f"section {got['section']}"
    for rx in case.get("must", []):
        if not re.search(rx, answer, re.I):
            return f"answer lacks /{rx}/ ({out['entry_id']})"
    for rx in case.get("must_not", []):
        if re.search(rx, answer, re.I):
            return f"answer has /{rx}/"
    return None


@pytest.fixture(scope="module")
def assistant(empty_data_dir) -> Assistant:
    return Assistant.from_dir(None)


@pytest.fixture(scope="module", params=SETS)
def results(request, assistant) -> list[tuple[dict, str | None]]:
    return [
        (case, grade(case, assistant.answer(case["q"]).to_dict())) for case in _cases(request.param)
    ]


@pytest.mark.parametrize("name", SETS)
def test_the_question_set_is_substantial(name):
    cases = _cases(name)
    assert len(cases) >= 150
    assert {c["expect"] for c in cases} == {"answer", "fallback", "safe", "code"}


def test_pass_rate(results):
    failures = [f"{c['id']} {c['q']!r}: {why}" for c, why in results if why]
    rate = 1 - len(failures) / len(results)
    assert rate >= MIN_PASS_RATE, "\n".join(failures)


@pytest.mark.parametrize("kind", ["fallback", "safe", "code"])
def test_every_off_topic_fee_and_code_case_passes(results, kind):
    failures = [f"{c['id']} {c['q']!r}: {why}" for c, why in results if why and c["expect"] == kind]
    assert not failures, "\n".join(failures)
