"""Wound repairs added by kind and site group into their CPT codes (assistant.codes.repairs,
the facts' cpt-repairs and cpt-repair-words tables)."""

from __future__ import annotations

import pytest
from conftest import expect_problem, facts_problems, line_of

from assistant.codes import repairs
from assistant.core.facts import RepairBand, repair_bands


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # one kind, one site group: the lengths are added
        (
            "A simple 2.5-cm repair of an eyebrow laceration and a 3.2-cm laceration of the "
            "forehead, also simple. Do I report a code for each?",
            ["2.5 + 3.2 = **5.7 cm** → `12014`"],
        ),
        (
            "What code for a 3 cm laceration of the arm and a 2 cm laceration of the leg, both "
            "simple repairs?",
            ["3.0 + 2.0 = **5.0 cm** → `12002`"],
        ),
        # chest and neck are one group for simple repairs, not for intermediate ones
        (
            "Simple repair: 4.4 cm on the chest and 6.2 cm on the neck. Code?",
            ["**10.6 cm** → `12004`"],
        ),
        (
            "Intermediate repairs of 4.4 cm on the chest and 6.2 cm on the neck: which codes?",
            ["**4.4 cm** → `12032`", "**6.2 cm** → `12042`"],
        ),
        # kinds coded apart, the most complicated first
        (
            "Wounds closed: 7.6 cm simple closure of the forearm\n5.7 cm intermediate closure of "
            "the upper arm\n4.7 cm complex closure of the neck\n10.3 cm intermediate closure of "
            "the chest\nWhat CPT codes are reported?",
            ["**4.7 cm** → `13132`", "5.7 + 10.3 = **16.0 cm** → `12035`", "**7.6 cm** → `12004`"],
        ),
        # a complex repair past 7.5 cm takes the add-on for each further 5 cm or part of it
        ("How is a 13 cm complex repair of the abdomen coded?", ["`13101` + `13102` × 2"]),
        ("How do I code a 0.8 cm complex repair of the chin?", ["not with a complex code"]),
        ("Code for a 31 cm simple laceration repair of the scalp?", ["`12007`"]),
    ],
)
def test_repairs_are_added_by_kind_and_site_group(facts, question, expected):
    said = repairs.worked(question, facts)
    assert said is not None
    for text in expected:
        assert text in said
    assert "modifier `59`" in said


def test_the_most_complicated_repair_comes_first(facts):
    said = repairs.worked(
        "What codes for a 3 cm simple repair of the arm and a 4 cm complex repair of the leg?",
        facts,
    )
    assert said is not None and said.index("`13121`") < said.index("`12002`")


@pytest.mark.parametrize(
    "question",
    [
        # another procedure's length (an excised diameter)
        "Excision of a 0.9 cm lesion of the cheek with simple repair: what code?",
        # a site no group names
        "Complex repair of the back 9 cm, what code?",
        # a kind said two ways in one wound
        "A simple single-layer repair of a heavily contaminated 3 cm wound of the arm: code?",
        # no kind said anywhere
        "How do I code a 3 cm laceration of the arm?",
        # nothing asked about codes
        "The simple repair of the arm was 3 cm long.",
        # no length
        "How are simple repairs of the face coded?",
    ],
)
def test_nothing_is_added_without_each_wound_placed(facts, question):
    assert repairs.worked(question, facts) is None


def test_a_length_that_is_no_wound_is_left_out(facts):
    said = repairs.worked(
        "A 4.4-cm superficial wound of the chest and a 6.2-cm simple laceration of the neck are "
        "repaired. Add them as 4.4 cm + 6.2 cm = 10.6 cm and report 12004?",
        facts,
    )
    assert said is not None and "4.4 + 6.2 = **10.6 cm** → `12004`" in said


def test_the_sum_leads_the_answer(assistant_):
    reply = assistant_.answer(
        "The doctor did a simple repair of a 2 cm cut on the nose and a 4 cm cut on the cheek. "
        "How should the repairs be coded?"
    )
    assert reply.kind == "answer"
    assert reply.markdown.startswith("- Simple repair, face")
    assert "2.0 + 4.0 = **6.0 cm** → `12014`" in reply.markdown


@pytest.mark.parametrize(
    ("cell", "bands"),
    [
        (
            "`12001` 2.5, `12002` 7.5, `12007` over 7.5",
            (
                RepairBand("12001", 0, 25),
                RepairBand("12002", 26, 75),
                RepairBand("12007", 76, None),
            ),
        ),
        (
            "`13100` 1.1-2.5, `13101` 7.5, `13102` each 5.0",
            (
                RepairBand("13100", 11, 25),
                RepairBand("13101", 26, 75),
                RepairBand("13102", 76, None, 50),
            ),
        ),
        ("`12001` 2.5, `12002` 1.5", ()),  # lengths that do not rise
        ("`12001` two cm", ()),
        ("`13102` each 5.0", ()),  # an add-on with no code before it
    ],
)
def test_the_codes_of_a_group_are_read_by_length(cell, bands):
    assert repair_bands(cell) == bands


def test_the_tables_are_checked(make_kb):
    text = (
        "# F\n\n## cpt-repairs\n\n"
        "| Repair | Sites | Names | Codes | Source | As of |\n"
        "|---|---|---|---|---|---|\n"
        "| simple | trunk | chest, trunk | `12001` 2.5 | S | 2026-01-01 |\n"
        "| simple | face | face, chest | `12011` 2.5 | S | 2026-01-01 |\n"
        "| deep | face | lip | `12051` two | S | 2026-01-01 |\n\n"
        "## cpt-repair-words\n\n"
        "| Words | Names | Source | As of |\n"
        "|---|---|---|---|\n"
        "| tiny | small | S | 2026-01-01 |\n"
        "| simple | single-layer | S | 2026-01-01 |\n"
    )
    problems, path, _shown = facts_problems(make_kb, text)
    expect_problem(problems, path, line_of(path, "| simple | face |"), "already a site")
    deep = line_of(path, "| deep |")
    expect_problem(problems, path, deep, "is not one of")
    expect_problem(problems, path, deep, "cannot read the codes")
    expect_problem(problems, path, line_of(path, "| tiny |"), "repair words")
    expect_problem(problems, path, line_of(path, "| simple | single-layer |"), "words and spaces")


def test_a_question_naming_repair_codes_gets_the_sum_first(assistant_):
    reply = assistant_.answer(
        "Simple repairs: 4.4 cm on the chest and 6.2 cm on the neck. Is 12004 correct?"
    )
    assert reply.kind == "code"
    assert reply.markdown.startswith("- Simple repair, scalp")
    assert "**10.6 cm** → `12004`" in reply.markdown


def test_a_question_naming_another_code_gets_no_sum(assistant_):
    reply = assistant_.answer(
        "A simple repair of a 3 cm cut on the arm and 99213: how do we bill them?"
    )
    assert "**3.0 cm**" not in reply.markdown
