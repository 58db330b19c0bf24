"""Typing slips: the codes one slip away from what was typed, with a cost (lower = likelier).

Slips covered: letter O for zero and I or l for one in the digit positions, two neighbouring
characters swapped, a missing or an extra character, one wrong digit, a wrong first letter.
The caller keeps the candidates that exist (and are active) and ranks by cost.
"""

from __future__ import annotations

import re

from assistant.codes.shapes import LEVEL2

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOOKALIKE = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"}
_LOOKALIKE_COST = {"O": 0.2, "I": 0.2, "L": 0.2}  # the common ones; others cost more

MAX_COST = 1.6


def normalise(text: str) -> str:
    """Upper case without spaces, dots or dashes (``e-0601 `` -> ``E0601``)."""
    return re.sub(r"[\s.\-_]", "", text).upper()


def candidates(text: str) -> dict[str, float]:
    """Code-shaped strings one slip from ``text`` (itself excluded), mapped to their cost."""
    typed = normalise(text)
    out: dict[str, float] = {}
    if not typed or len(typed) > 7 or typed.isdigit() and len(typed) >= 5:
        return out  # empty, far too long, or a CPT-shaped number: not a Level II slip

    def add(code: str, cost: float) -> None:
        if cost <= MAX_COST and LEVEL2.fullmatch(code) and cost < out.get(code, 9.0):
            out[code] = cost

    # the typed text, and the typed text with look-alike letters read as digits
    bases = {typed: 0.0}
    fixed, cost = typed[:1], 0.0
    for ch in typed[1:]:
        if ch in _LOOKALIKE:
            fixed += _LOOKALIKE[ch]
            cost += _LOOKALIKE_COST.get(ch, 0.6)
        else:
            fixed += ch
    if fixed != typed:
        bases[fixed] = cost

    for base, base_cost in bases.items():
        add(base, base_cost)
        n = len(base)
        for i in range(n - 1):  # two neighbouring characters swapped
            if base[i] != base[i + 1]:
                add(base[:i] + base[i + 1] + base[i] + base[i + 2 :], base_cost + 0.8)
        for i in range(n):  # an extra character
            add(base[:i] + base[i + 1 :], base_cost + 1.0)
        for i in range(1, n + 1):  # a missing digit
            for d in _DIGITS:
                add(base[:i] + d + base[i:], base_cost + 1.0)
        if base[:1].isdigit():  # a missing letter
            for letter in _LETTERS:
                add(letter + base, base_cost + 1.2)
        for i in range(1, n):  # one wrong digit; a neighbouring key is likelier
            for d in _DIGITS:
                if d != base[i]:
                    near = base[i].isdigit() and abs(int(d) - int(base[i])) == 1
                    add(base[:i] + d + base[i + 1 :], base_cost + (0.95 if near else 1.0))
        for letter in _LETTERS:  # a wrong letter
            if n and letter != base[0]:
                add(letter + base[1:], base_cost + 1.3)
    out.pop(typed, None)
    return out


def rank_key(typed: str, code: str, cost: float) -> tuple[float, int, int, str]:
    """Sort key: cost; then the longer start in common with what was typed (people get the
    start right more often); then numeric closeness; then the code."""
    typed = normalise(typed)
    prefix = 0
    for a, b in zip(typed, code, strict=False):
        if a != b:
            break
        prefix += 1
    digits = re.sub(r"\D", "", typed)
    distance = abs(int(code[1:]) - int(digits)) if digits and len(digits) <= 6 else 0
    return (cost, -prefix, distance, code)
