"""Dates counted from a question's own date: a global period's last day and Medicare's last
day to file a claim (``assistant.core.dates``)."""

from __future__ import annotations

import pytest

from assistant.core import dates


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the 90 days follow the day of the procedure (2/20 is day 1)
        ("A 90 day global period for a service rendered on 2/19/21 ends when?", "**5/20/21**"),
        ("Procedure on 9/6 with a 10-day global: when does the global end?", "**9/16**"),
        ("0 day global, surgery 12/31/2025: last day?", "**12/31/2025**"),
        (
            "When does the global period end for a 90 day procedure done on March 1, 2024?",
            "**May 30, 2024**",
        ),
        (
            "The deadline to file a Medicare claim for services rendered on September 23, 2016 is",
            "**September 23, 2017**",
        ),
        ("Medicare timely filing for a 2/29/2024 date of service?", "**2/28/2025**"),
        ("What is the timely filing deadline for Medicare, DOS Sept. 3, 2025?", "**Sep. 3, 2026**"),
    ],
)
def test_the_date_asked_is_counted_from_the_date_given(question, expected):
    assert expected in (dates.worked(question) or "")


@pytest.mark.parametrize(
    "question",
    [
        "What is a global period?",  # no date
        "Global period for a procedure on 9/6?",  # no length stated
        "A 10-day or 90-day global for a procedure on 9/6?",  # two lengths
        "What is the timely filing limit for Medicare?",  # no date
        "Medicaid timely filing for a 9/23/2016 date of service?",  # not Medicare's rule
        "Timely filing for Medicare: DOS 1/2/2024 and 3/4/2024?",  # two dates of service
        "Is 99213 billed on 13/45/2024 with a 10-day global?",  # no such date
    ],
)
def test_no_date_without_one_date_and_what_to_count(question):
    assert dates.worked(question) is None


def test_the_counted_date_leads_the_answer(assistant_):
    reply = assistant_.answer(
        "The deadline to file a Medicare claim for services rendered on September 23, 2016 is"
    )
    assert reply.kind == "answer" and "**September 23, 2017**" in reply.lead + reply.body
