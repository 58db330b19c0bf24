"""Grading of answers against a case file, by the rules of the project's evaluation script
(``../shared/eval/run_eval.py``): used by ``scripts/compare.py`` and ``make bench`` to grade
in-process, so that many engines and the held-apart split can be measured in one run.

A case is ``{"q", "expect", "must", "must_not", "code"}``; an answer is the contract's Answer
object as a dict (``kind``, ``answer``, ``codes``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path


def same_code(got: str | None, want: str | None) -> bool:
    """Codes compare exactly; an NDC compares by its digits alone."""
    if got == want:
        return True
    digits = re.sub(r"\D", "", want or "")
    return len(digits) >= 10 and re.sub(r"\D", "", got or "") == digits


def grade(case: dict, out: dict) -> str | None:
    """None when the answer passes the case, else a short reason."""
    expect = case["expect"]
    kind = out.get("kind")
    answer = out.get("answer") or ""
    if not answer.strip():
        return "empty answer"
    if expect == "fallback":
        return None if kind == "fallback" else f"expected fallback, got {kind}"
    if expect == "answer" and kind == "fallback":
        return "got fallback"
    if expect == "code":
        want = case["code"]
        found = [c for c in out.get("codes") or [] if same_code(c.get("code"), want["code"])]
        if not found:
            return f"code {want['code']} not detected"
        c = found[0]
        if c.get("system") != want["system"]:
            return f"system {c.get('system')!r} != {want['system']!r}"
        if "category" in want and c.get("category") != want["category"]:
            return f"category {c.get('category')!r} != {want['category']!r}"
        section_re = want.get("section_re")
        if section_re and not re.search(section_re, c.get("section") or "", re.I):
            return f"section {c.get('section')!r} !~ /{section_re}/"
    for rx in case.get("must", []):
        if not re.search(rx, answer, re.I):
            return f"answer lacks /{rx}/"
    for rx in case.get("must_not", []):
        if re.search(rx, answer, re.I):
            return f"answer has forbidden /{rx}/"
    return None


def load(path: str | Path, split: str | None = None) -> list[dict]:
    """The cases of a JSON Lines file, optionally only one split (``dev`` or ``held``)."""
    with open(path, encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    return [c for c in cases if split is None or c.get("split") == split]
