"""Verdicts: yes/no questions an entry decides, read from ``### Verdicts`` and matched against
the yes/no question asked, so that the answer starts with "Yes." or "No." and why."""

from __future__ import annotations

import pytest

from assistant.core import kb
from assistant.core.answer import Assistant

ENTRY = """\
# Modifiers

## modifier-22

### Questions
- What does modifier 22 mean?
- modifier 22

### Answer
Modifier 22 is increased procedural services. CPT does not allow it on E/M codes.

### Sources
- AMA: CPT Appendix A

### Verdicts
- Can modifier 22 be used, added or appended on an E/M code? -> No: CPT does not allow modifier 22 on E/M codes.
- Does modifier 22 need documentation? -> yes. The operative report must show the extra work.
{extra}
### Meta
- as of: 2026-01-01
- concepts: modifier-22
- intent: define, bill
"""


def load(make_kb, extra: str = "") -> kb.KnowledgeBase:
    return kb.load(make_kb({"entries/01-mods.md": ENTRY.format(extra=extra)}))


def test_verdicts_are_read_with_their_answer_and_reason(make_kb):
    knowledge = load(make_kb)
    assert knowledge.problems == ()
    (entry,) = knowledge.entries
    first, second = entry.verdicts
    assert first.question == "Can modifier 22 be used, added or appended on an E/M code?"
    assert first.yes is False and first.reason == "CPT does not allow modifier 22 on E/M codes."
    assert (
        second.yes is True and second.lead == "Yes. The operative report must show the extra work."
    )
    assert "verdicts" not in entry.to_dict()  # not part of the contract's entry


@pytest.mark.parametrize(
    "line",
    [
        "- Can modifier 22 go on E/M codes -> No: not allowed.",  # no question mark
        "- Can modifier 22 go on E/M codes? -> Maybe: it depends.",  # not yes or no
        "- Can modifier 22 go on E/M codes? -> No",  # no reason
        "- Can modifier 22 go on E/M codes? No: not allowed.",  # no arrow
    ],
)
def test_a_verdict_not_written_as_question_answer_reason_is_a_problem(make_kb, line):
    knowledge = load(make_kb, line)
    assert len(knowledge.problems) == 1
    problem = knowledge.problems[0]
    assert "is not written as 'question? -> Yes: reason'" in problem.message
    text = ENTRY.format(extra=line).splitlines()
    assert text[problem.line - 1] == line  # reported at its own line
    assert len(knowledge.entries[0].verdicts) == 2  # the good ones are kept


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.from_dir(None)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # the built-in verdicts of modifier-22, uncertain-diagnosis-coding, drug-waste-documentation
        ("is modifier 22 allowed on critical care codes", "**No.**"),  # critical care is E/M
        ("can modifier 22 be added to 99213?", "**No.**"),  # 99213 is an office visit, E/M
        ("does modifier 22 need documentation", "**Yes.**"),
        ("can I code a rule out diagnosis in the office", "**No.**"),
        ("can i code a suspected diagnosis on an inpatient discharge", "**Yes.**"),
        ("can I bill 76942 with 20611", "**No.**"),  # the verdict names both codes
        ("can i bill 94010 and 94060 together", "**No.**"),
    ],
)
def test_a_yes_no_question_a_verdict_decides_starts_with_it(assistant, question, first):
    assert assistant.answer(question).markdown.startswith(first)


@pytest.mark.parametrize(
    "question",
    [
        "can modifier 22 be used on surgery codes",  # surgery is not what the verdict decides
        "what does modifier 22 mean",  # not a yes/no question
        "can I not document the wasted drug",  # negative, the verdict is positive
        "is modifier 22 a pricing modifier",  # another question about the same entry
        "can modifier 22 go on 10060",  # 10060 is surgery, not what the E/M verdict decides
    ],
)
def test_no_verdict_unless_the_question_asks_what_it_decides(assistant, question):
    reply = assistant.answer(question)
    assert not reply.markdown.startswith(("**Yes.**", "**No.**")), reply.markdown[:80]
