"""Hydration, infusion and chemotherapy infusion times counted into their first-hour code and
each-additional-hour add-on (assistant.codes.hourly, the facts' cpt-hourly table)."""

from __future__ import annotations

import pytest
from conftest import expect_problem, facts_problems, line_of

from assistant.codes import hourly


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("one hour and 32 minutes of hydration", [92]),
        ("1 hour 30 minutes", [90]),
        ("2 hours", [120]),
        ("2.5 hours", [150]),
        ("an hour", [60]),
        ("lasting 115 minutes", [115]),
        ("given from 11pm to 2am", [180]),
        ("began at 11:20 am and lasted till 4:40 pm", [320]),
        ("hydration from 1050-1325", [155]),
        ("for 1 hour 30 minutes and another for 1 hour and 31 minutes", [90, 91]),
        ("no time at all", []),
    ],
)
def test_the_times_a_question_states(text, minutes):
    assert hourly.times_stated(text) == minutes


@pytest.mark.parametrize(
    ("minutes", "more"),
    [(31, 0), (60, 0), (90, 0), (91, 1), (120, 1), (150, 1), (151, 2), (180, 2), (211, 3)],
)
def test_an_additional_hour_counts_past_thirty_minutes(minutes, more):
    assert hourly.additional_hours(minutes) == more


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        (
            "The patient received one hour and 32 minutes of hydration. Which codes are reported?",
            ["`96360` once and `96361` × 1"],
            [],
        ),
        ("Hydration was given from 11pm to 2am. How is it coded?", ["`96361` × 2"], []),
        ("How do we code a chemo infusion lasting 90 minutes?", ["`96413` once, no `96415`"], []),
        ("Can we bill hydration that ran 25 minutes?", ["not reported"], ["× "]),
        ("How do we code an antibiotic infusion of 10 minutes?", ["as a push"], ["× "]),
    ],
)
def test_a_time_of_one_service_is_counted(facts, question, expected, absent):
    said = hourly.units(question, facts)
    assert said is not None
    for text in expected:
        assert text in said
    for text in absent:
        assert text not in said


@pytest.mark.parametrize(
    "question",
    [
        # two services at once: the hierarchy decides which is initial, not the clock alone
        "Hydration ran 45 minutes, then a chemotherapy infusion ran 2 hours. How is it coded?",
        # no time
        "How is hydration coded?",
        # nothing asked about codes
        "The hydration ran 2 hours.",
        # a 15-minute therapy code: the 8-minute rule, not hours
        "How many units for 45 minutes of therapeutic exercise?",
    ],
)
def test_nothing_is_counted_without_one_service_and_its_time(facts, question):
    assert hourly.units(question, facts) is None


def test_a_question_naming_the_codes_is_counted_for_their_service(assistant_):
    reply = assistant_.answer(
        "If hydration 96360 and 96361 runs from 11pm to 2am, how is it coded?"
    )
    assert reply.markdown.startswith("**180 minutes (3 hours)** of hydration: `96360` once")


def test_a_question_naming_no_code_gets_the_count_first(assistant_):
    reply = assistant_.answer(
        "We gave a chemotherapy infusion lasting 115 minutes. How is it coded?"
    )
    assert reply.markdown.startswith("**115 minutes (1 hour 55 minutes)** of chemotherapy")
    assert "`96415` × 1" in reply.markdown


def test_the_table_is_checked(make_kb):
    text = (
        "# F\n\n## cpt-hourly\n\n"
        "| Service | Names | First hour | Fewest minutes | Each additional hour | Source | As of |\n"
        "|---|---|---|---|---|---|---|\n"
        "| hydration | hydration | `96360` | 95 | `96360` | S | 2026-01-01 |\n"
    )
    problems, path, _shown = facts_problems(make_kb, text)
    line = line_of(path, "| hydration |")
    expect_problem(problems, path, line, "two CPT codes")
    expect_problem(problems, path, line, "not a number of minutes")
