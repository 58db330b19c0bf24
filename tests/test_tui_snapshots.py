"""Snapshot tests of the chat app (pytest-textual-snapshot): welcome, answer, code card, fallback,
the payment reply, the topics panel and the question before clearing.

The app runs over a fixed stand-in assistant, so the pictures change only when the app's look
changes, not when the knowledge base or the matcher does; no timers, no background loading, no
blinking cursor (``make_app(options=STEADY)``). Regenerate after a deliberate change of look with
``.venv/bin/pytest tests/test_tui_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import pytest

from assistant.core.kb import Entry, KnowledgeBase
from assistant.core.result import Alternative, Answer, EntryRef
from assistant.tui.app import STEADY, make_app

SIZES = [(80, 24), (120, 40)]


def _entry(entry_id: str, question: str, group: str) -> Entry:
    return Entry(
        id=entry_id,
        questions=(question,),
        answer="(not shown)",
        sources=("CMS: HCPCS - General Information",),
        tags=(),
        group=group,
        path="entries/test.md",
        line=1,
    )


ENTRIES = (
    _entry("hcpcs-vs-cpt", "What is the difference between HCPCS and CPT?", "HCPCS and CPT basics"),
    _entry("what-is-hcpcs", "What is HCPCS?", "HCPCS and CPT basics"),
    _entry("hcpcs-level-3", "What was HCPCS Level III?", "HCPCS levels and history"),
    _entry("level2-j-codes", "What are J codes?", "HCPCS Level II sections"),
    _entry(
        "hearing-aid-battery-code",
        "What is the HCPCS code for a hearing aid battery?",
        "HCPCS Level II sections",
    ),
    _entry("modifier-59", "What does modifier 59 mean?", "Modifiers"),
)

J_CODES = Answer(
    question="What are J codes?",
    kind="answer",
    body=(
        "**J codes** are the HCPCS Level II codes in the `J0000-J9999` range: drugs "
        "administered other than by mouth, and chemotherapy drugs. They are maintained by CMS.\n\n"
        "For example, `J1745` is *Injection, infliximab, excludes biosimilar, 10 mg*. The J code "
        "covers the drug itself; giving the injection or infusion is reported separately."
    ),
    entry=EntryRef("level2-j-codes", "What are J codes?"),
    score=100.0,
    alternatives=(Alternative("what-is-hcpcs", "What is HCPCS?", 60.0),),
    confidence="high",
    sources=("CMS: Alpha-Numeric HCPCS file, January 2026", "CMS: HCPCS - General Information"),
)

V5266 = Answer(
    question="V5266",
    kind="code",
    body="",
    cards=(
        "### `V5266` · HCPCS Level II\n\n"
        "| | |\n|---|---|\n"
        "| **Code set** | HCPCS Level II |\n"
        "| **Maintained by** | CMS |\n"
        "| **Section** | Vision and hearing services (`V0000-V5999`) |\n"
        "| **Description** | Battery for use in hearing device |\n"
        "| **Status** | active since 2003-01-01 |\n"
        "| **In the code list** | yes |\n\n"
        "`V5266` is a HCPCS Level II code, not CPT: a national code maintained by CMS for items "
        "and services CPT does not cover."
    ),
    sources=("CMS: Alpha-Numeric HCPCS file, January 2026",),
    confidence="high",
    release="January 2026",
)

WEATHER = Answer(
    question="what is the weather today",
    kind="fallback",
    body=(
        "I don't have an answer to that in my knowledge base.\n\n"
        "I answer questions about CPT and HCPCS codes and modifiers."
    ),
    alternatives=(
        Alternative("what-is-hcpcs", "What is HCPCS?", 52.0),
        Alternative("level2-j-codes", "What are J codes?", 48.0),
    ),
)


FEES = Answer(
    question="how much does medicare pay for 99213",
    kind="fallback",
    body=(
        "I don't quote payment or fee amounts: they depend on the payer, the year, the locality "
        "and the contract. For Medicare, look the code up in the CMS fee schedule that applies "
        "(for example the Physician Fee Schedule); for other payers, check the payer's own fee "
        "schedule or contract."
    ),
    alternatives=(Alternative("what-is-hcpcs", "What is HCPCS?", 40.0),),
    out_of_scope="fees",
)


class CannedAssistant:
    """Answers from a fixed table, over a small fixed knowledge base."""

    kb = KnowledgeBase(ENTRIES)
    replies = {a.question: a for a in (J_CODES, V5266, WEATHER, FEES)}

    def answer(self, question: str) -> Answer:
        return self.replies[question]


def app():
    return make_app(assistant=CannedAssistant(), options=STEADY)


def asking(question: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.question_box.value = question
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, size):
    assert snap_compare(app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_answer(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=asking("What are J codes?"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_code_card(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=asking("V5266"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_fallback(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=asking("what is the weather today"))


def test_light_theme_code_card(snap_compare):
    light = make_app(assistant=CannedAssistant(), theme="light", options=STEADY)
    assert snap_compare(light, terminal_size=(120, 40), run_before=asking("V5266"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_payment_reply(snap_compare, size):
    question = "how much does medicare pay for 99213"
    assert snap_compare(app(), terminal_size=size, run_before=asking(question))


def with_topics(question: str | None = None):
    async def run_before(pilot) -> None:
        if question:
            await asking(question)(pilot)
        await pilot.press("f2")
        await pilot.press("down", "down", "enter")  # open the third group
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_topics_open(snap_compare, size):
    """Long titles end with an ellipsis; the newest answer stays in view beside the panel."""
    assert snap_compare(app(), terminal_size=size, run_before=with_topics("What are J codes?"))


def test_clear_asks_first(snap_compare):
    async def run_before(pilot) -> None:
        await asking("V5266")(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(80, 24), run_before=run_before)
