"""search() ranking and nearest() typing slips, on the fixture file."""

from __future__ import annotations

import datetime

import hcpcs_fixture as fx  # noqa: E402 - tests/fixtures/hcpcs is on sys.path (conftest)
import pytest

from assistant.codes.hcpcs import HcpcsData, import_file, open_data
from assistant.codes.hcpcs.text import index_terms, query_terms, stem

JAN_1 = datetime.date(2026, 1, 1)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> HcpcsData:
    home = tmp_path_factory.mktemp("hcpcs-data")
    txt = tmp_path_factory.mktemp("in") / fx.FIXTURE_NAME
    txt.write_bytes(fx.text().encode("ascii"))
    import_file(txt, home)
    data = open_data(home)
    yield data
    data.close()


def codes(results) -> list[str]:
    return [record.code for record, _ in results]


# ------------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "words, first",
    [
        ("what is the code for a cpap machine", "E0601"),
        ("cpap", "E0601"),
        ("hearing aid battery code", "V5266"),
        ("battery for a hearing aid", "V5266"),
        ("wheelchair cushion", "E2601"),
        ("oxygen concentrator", "E1390"),
        ("portable oxygen concentrator", "E1392"),
        ("standard wheelchair", "K0001"),
        ("infliximab injection", "J1745"),
        ("flu vaccine administration", "G0008"),
        ("bipap", "E0470"),
        ("walker without wheels", "E0148"),
        ("wheeled walker", "E0143"),
        ("wheelchiar cushion", "E2601"),  # a typo
        ("Blood Glucose Test Strips!", "A4772"),
    ],
)
def test_search_finds(data, words, first):
    results = data.search(words, on=JAN_1)
    assert results, words
    assert results[0][0].code == first, (words, codes(results))


def test_crutches_find_the_crutch_codes(data):
    found = codes(data.search("crutches", on=JAN_1))
    assert found[:2] == ["E0110", "E0114"]  # the pairs of crutches, then the attachment
    assert "E0157" in found


def test_glucose_test_strips_include_home_strips(data):
    assert "A4253" in codes(data.search("glucose test strips", on=JAN_1))[:2]


@pytest.mark.parametrize(
    "words",
    ["", "   ", "what is the code for", "pizza delivery", "how are you", "asdfgh", "unicorn",
     "car insurance", "hcpcs code", "E0601", "dental", "what's the code for pasta?", "modifier 59", "j codes",
     "who maintains hcpcs"],
)  # fmt: skip
def test_nothing_good_gives_nothing(data, words):
    assert data.search(words, on=JAN_1) == []


def test_scores_are_sorted_and_bounded(data):
    results = data.search("oxygen concentrator", on=JAN_1)
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 100 for s in scores)
    assert len(data.search("crutches", limit=1, on=JAN_1)) == 1
    assert data.search("crutches", limit=0) == []


def test_terminated_codes_are_not_found(data):
    assert data.search("bupivacaine implant", on=JAN_1) == []
    last_day = data.search("bupivacaine implant", on=datetime.date(2025, 12, 31))
    assert codes(last_day) == ["C9089"]


def test_negation_is_respected(data):
    found = codes(data.search("walker with wheels", on=JAN_1))
    assert found[0] == "E0143"
    assert "E0148" not in found  # "without wheels"
    assert "E0148" not in codes(data.search("wheels", on=JAN_1))


def test_modifier_search(data):
    assert codes(data.search("left side", modifiers=True, on=JAN_1))[0] == "LT"
    assert codes(data.search("right side modifier", modifiers=True, on=JAN_1))[0] == "RT"
    assert codes(data.search("discarded drug", modifiers=True, on=JAN_1))[:2] == ["JW", "JZ"]
    assert codes(data.search("waiver of liability", modifiers=True, on=JAN_1)) == ["GA"]
    assert data.search("340b drug", modifiers=True, on=JAN_1) == []  # JG is terminated
    assert data.search("left side", on=JAN_1) == []  # not among the codes


def test_search_defaults_to_today(data):
    assert codes(data.search("cpap"))[0] == "E0601"


# ------------------------------------------------------------------------------- nearest


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("EO6O1", "E0601"),  # letter O for zero
        ("eo6o1", "E0601"),
        ("JI745", "J1745"),  # letter I for one
        ("jl745", "J1745"),  # letter l for one
        ("V5626", "V5266"),  # transposed digits
        ("J1754", "J1745"),
        ("E061", "E0601"),  # a missing digit
        ("E06011", "E0601"),  # an extra digit
        ("E0691", "E0601"),  # one wrong digit
        ("K0011", "K0001"),
        ("0601", "E0601"),  # the letter left off
    ],
)
def test_nearest_slips(data, typed, expected):
    found = [r.code for r in data.nearest(typed, on=JAN_1)]
    assert found and found[0] == expected, (typed, found)


def test_nearest_only_offers_active_codes(data):
    assert data.nearest("C9098", on=JAN_1) == []  # C9089 is terminated
    assert [r.code for r in data.nearest("C9098", on=datetime.date(2025, 6, 1))] == ["C9089"]


def test_nearest_never_offers_what_was_typed_or_far_codes(data):
    assert "E0601" not in [r.code for r in data.nearest("E0601", on=JAN_1)]
    assert data.nearest("99213", on=JAN_1) == []  # a CPT code is not a slip
    assert data.nearest("", on=JAN_1) == []
    assert data.nearest("Z9999", on=JAN_1) == []
    assert data.nearest("hello world", on=JAN_1) == []


def test_nearest_limit(data):
    assert len(data.nearest("E0141", limit=1, on=JAN_1)) == 1  # E0143, E0148, E0114 are near
    assert data.nearest("E0141", limit=0, on=JAN_1) == []


# ------------------------------------------------------------------------------- text


def test_stemming_is_the_shared_pipeline():
    from assistant.core import text

    assert stem("crutches") == stem("crutch") == "crutch"
    assert stem("batteries") == stem("battery")
    assert stem("strips") == "strip"
    assert stem("wheeled") == stem("wheels") == "wheel"
    assert stem("padded") == "pad"
    assert stem("glass") == "glass"
    assert stem("status") == "status"
    for word in ("crutches", "batteries", "wheeled", "modifiers", "nebulizer"):
        assert stem(word) == text.stem(word)  # the answer engine reads words the same way


def test_index_terms_marks_negation_and_compounds():
    terms = index_terms("Walker, heavy duty, without wheels, rigid or folding")
    from assistant.codes.hcpcs.text import NEGATED, POSITIVE

    assert terms["wheel"] & NEGATED and not terms["wheel"] & POSITIVE
    assert terms["rigid"] & POSITIVE
    assert "bilevel" in index_terms("bi-level pressure")
    with_or_without = index_terms("with or without wheels")
    assert with_or_without["wheel"] & POSITIVE
    assert index_terms("crutches underarm, other than wood")["wood"] & NEGATED


def test_query_terms_drop_filler_and_find_the_head():
    terms, head = query_terms("what is the hcpcs code for a cpap machine", set())
    assert [t[0] for t in terms] == ["cpap"] and head == 0
    terms, head = query_terms("battery for a hearing aid", set())
    assert [t[0] for t in terms] == [stem("battery"), "hear", "aid"] and head == 0
    assert terms[1][3] < 1.0  # words after "for" weigh less
    terms, head = query_terms("hearing aid battery", set())
    assert head == 2
