"""Assemble ``tests/data/real_questions.jsonl`` from collected question files, and split it.

Each question gets ``split``: ``held`` (the held-apart part, measured but never studied) or
``dev``. The split is decided once per question by a hash of its text, which behaves like a
random draw with probability :data:`HELD_SHARE` and never changes when more questions are
added, so no question moves between the parts. Ids are stable too (``rq`` + hash prefix).

    python scripts/split_real_questions.py COLLECTED.jsonl... > tests/data/real_questions.jsonl
"""

from __future__ import annotations

import hashlib
import json
import sys

HELD_SHARE = 0.36  # a little over a third, so that the held-apart part is at least a third


def key(question: str) -> str:
    return " ".join(question.lower().split())


def digest(question: str) -> str:
    return hashlib.sha256(key(question).encode("utf-8")).hexdigest()


def split_of(question: str) -> str:
    return "held" if int(digest(question), 16) / 16**64 < HELD_SHARE else "dev"


def main(paths: list[str]) -> int:
    seen: set[str] = set()
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                case = json.loads(line)
                k = key(case["q"])
                if k in seen:
                    continue
                seen.add(k)
                case = {"id": "rq" + digest(case["q"])[:8], **case, "split": split_of(case["q"])}
                out.append(case)
    out.sort(key=lambda c: c["id"])
    for case in out:
        sys.stdout.write(json.dumps(case, ensure_ascii=False) + "\n")
    held = sum(c["split"] == "held" for c in out)
    print(f"{len(out)} questions: {len(out) - held} dev, {held} held apart", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
