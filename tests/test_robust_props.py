"""Property tests: whatever is pasted, detection, classification and ``answer()`` never fail,
every reply is a valid contract object, and no control character comes back out.

Inputs: arbitrary Unicode (lone surrogates included: a command-line argument with undecodable
bytes arrives as one), control characters and terminal escape sequences, long strings, and
strings of digits, letters and punctuation that almost look like codes.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_contract import SYSTEMS, check_answer, check_codeinfo

from assistant.codes import classify as codes
from assistant.core.result import MAX_QUESTION
from assistant.core.text import clean_text

FAST = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# What must never leave the core: C0 controls but newline, DEL, C1 controls.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates too
CONTROL_CHAR = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(
    min_codepoint=0x7F, max_codepoint=0x9F
)
ESCAPES = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b]0;title\x07",
        "\x1b]52;c;aGk=\x07",
        "\x1b]8;;http://x\x1b\\",
        "\x9b31m",
        "\x9d0;t\x9c",
        "\x1bc",
        "\x1b",
        "\x07",
        "\x00",
        "\r",
        "\u202e",
        "[bold red]x[/]",
        "[@click=app.quit]q[/]",
    ]
)
# Near-codes: the shapes the detector looks for, with one thing off.
NEAR_CODE = st.one_of(
    st.from_regex(r"\A[A-Za-z]\d{3,5}\Z"),
    st.from_regex(r"\A\d{4,6}[A-Za-z]?\Z"),
    st.from_regex(r"\A[A-Za-z]\d[0-9A-Za-z]\.[0-9A-Za-z]{0,5}\Z"),
    st.from_regex(r"\A\d{4,5}-\d{3,4}-\d{1,2}\Z"),
    st.from_regex(r"\A-?[0-9A-Za-z]{1,3}\Z"),
    st.from_regex(r"\A\d{5}[-\u2013][0-9A-Za-z]{2}\Z"),
    st.from_regex(r"\A[0-9BCDFGHX][0-9A-Z]{5,7}\Z"),
    st.sampled_from(["99213", "J1745", "E11.9", "0450T", "modifier", "mod", "-59", "LT", "lt"]),
)
# apostrophes and contractions, alone or cut short ("n't" has no word before it)
APOSTROPHES = st.sampled_from(["n't", "'t", "'s", "don't", "'", "\u2019", "can\u2019t", "''"])
SEPARATOR = st.sampled_from([" ", ", ", " and ", " or ", "/", "-", "\n", "\t", ".", "?", "  "])
PIECES = st.one_of(NEAR_CODE, SEPARATOR, ESCAPES, APOSTROPHES, st.text(ANY_CHAR, max_size=6))
QUESTIONS = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.lists(PIECES, max_size=16).map("".join),
    st.lists(CONTROL_CHAR | ANY_CHAR, max_size=40).map("".join),
    # long: past the part that is read, so the cut is exercised too
    st.tuples(st.lists(PIECES, max_size=6).map("".join), st.integers(1, 3000)).map(
        lambda t: (t[0] or "9") * (1 + t[1] // max(1, len(t[0])))
    ),
)


def assert_no_controls(text: str) -> None:
    assert not CONTROL.search(text), repr(text)
    assert not re.search(r"[\ud800-\udfff]", text), repr(text)


@FAST
@given(QUESTIONS)
def test_answer_is_always_a_contract_object(assistant_, question):
    reply = assistant_.answer(question)
    obj = reply.to_dict()
    check_answer(obj)
    assert isinstance(obj["elapsed_ms"], float)
    text = json.dumps(obj, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate left to break the output
    assert json.loads(text) == obj
    for value in (obj["question"], obj["answer"], *obj["sources"]):
        assert_no_controls(value)
    for alt in obj["alternatives"]:
        assert_no_controls(alt["question"])
    assert len(obj["question"]) <= 501  # the echo is cut, not the whole paste


@pytest.mark.parametrize("question", ["n't", "why n't modifier 25", "n\u2019t?", "' n't '"])
def test_a_contraction_with_no_word_before_it_is_read(assistant_, question):
    """ "n't" alone split into an empty word and "not"; the empty word broke the reading."""
    check_answer(assistant_.answer(question).to_dict())


@FAST
@given(QUESTIONS)
def test_detection_never_fails_and_finds_only_what_is_there(facts, question):
    text = clean_text(question)[:MAX_QUESTION]
    found = codes.detect(text, facts)
    assert len(found) <= codes.MAX_CODES
    for f in found:
        assert text[f.start : f.end] == f.text
        assert f.shape in ("code", "modifier")
        check_codeinfo(codes.classify(f.text, facts, shape=f.shape).to_dict())


@FAST
@given(
    st.one_of(NEAR_CODE, st.text(ANY_CHAR, max_size=30), st.lists(PIECES, max_size=4).map("".join))
)
def test_classify_anything_typed_as_a_code(assistant_, text):
    info = assistant_.classify(text)
    obj = info.to_dict()
    assert obj["system"] in SYSTEMS
    json.dumps(obj, ensure_ascii=False).encode("utf-8")
    for value in (obj["code"], *obj["notes"]):
        assert_no_controls(value)
    if clean_text(text).strip():
        check_codeinfo(obj)


@FAST
@given(st.text(ANY_CHAR, max_size=200) | st.lists(PIECES, max_size=20).map("".join))
def test_clean_text_leaves_nothing_a_terminal_acts_on(text):
    cleaned = clean_text(text)
    assert_no_controls(cleaned)
    assert "\x1b" not in cleaned
    assert clean_text(cleaned) == cleaned  # stable: cleaning twice changes nothing
    if text.isprintable():
        assert cleaned == text  # ordinary text is untouched


def test_a_pasted_coloured_code_is_still_found(assistant_):
    """Terminal colours copied along with a code are removed whole, not left glued to it."""
    reply = assistant_.answer("what is \x1b[1;31m99213\x1b[0m?")
    assert [c.code for c in reply.codes] == ["99213"]
    assert reply.question == "what is 99213?"
