"""The quiz in the chat app (F4, or "Start quiz" in the command palette).

Pilot tests drive it as a learner would, over the built-in knowledge base with a fixed seed (the
app's ``quiz_seed`` option), so the questions are known in advance from
:func:`assistant.quiz.questions.make_quiz`. The snapshots use fixed questions (facts taken from the
knowledge base's tables), so the pictures change only when the screen's look changes.
Regenerate them after a deliberate change with
``.venv/bin/pytest tests/test_tui_quiz.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import OptionList
from tui_helpers import screen_text, settle, type_text

from assistant.core.answer import Assistant
from assistant.core.kb import KnowledgeBase
from assistant.quiz.questions import QuizQuestion, make_quiz
from assistant.tui.app import STEADY, HcpcsApp, make_app
from assistant.tui.keys import ALL_KEYS, APP_KEYS
from assistant.tui.screens.quiz import QuizScreen
from assistant.tui.widgets.chat_input import ChatInput

SEED = 7


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.from_dir(None)  # the built-in knowledge base, no imported data


@pytest.fixture
def app(assistant) -> HcpcsApp:
    app = make_app(assistant=assistant, options=replace(STEADY, quiz_seed=SEED))
    return app


@pytest.fixture(scope="module")
def expected(assistant) -> list[QuizQuestion]:
    return make_quiz(assistant.kb, count=10, seed=SEED)


def quiz(app) -> QuizScreen:
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    return screen


def wrong(question: QuizQuestion) -> int:
    return (question.answer + 1) % len(question.choices)


async def start(pilot) -> QuizScreen:
    await pilot.pause()
    await pilot.press("f4")
    await pilot.pause()
    return quiz(pilot.app)


# -- starting and leaving ----------------------------------------------------------------------


async def test_f4_starts_a_quiz_without_the_chat_s_commands_and_escape_returns(app, expected):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        assert screen.questions == expected
        assert screen.seed == SEED
        text = screen_text(app)
        assert "Question 1 of 10" in text
        assert expected[0].prompt in text
        for letter, choice in zip("ABCD", expected[0].choices, strict=True):
            assert f"{letter}) {choice}" in text
        assert isinstance(app.focused, OptionList)

        # The command palette over the quiz offers no chat commands: the chat is hidden.
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Switch light/dark theme" in titles
        assert not {"Clear conversation", "Toggle topics", "Start quiz"} & set(titles)

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)
        assert isinstance(app.focused, ChatInput)
        assert "My knowledge base has" in screen_text(app)


async def test_the_command_palette_starts_a_quiz(app):
    async with app.run_test() as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Start quiz" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "start quiz")
        await settle(pilot)  # the palette's search
        await pilot.press("enter")
        await pilot.pause()
        assert quiz(app).number == 1


def test_f4_is_bound_and_in_the_help():
    quiz_keys = [k for k in APP_KEYS if k.action == "start_quiz"]
    assert [k.keys for k in quiz_keys] == ["f4"]
    assert quiz_keys[0] in ALL_KEYS
    assert "f4" in {b.key for b in HcpcsApp.BINDINGS}


# -- answering ---------------------------------------------------------------------------------


async def test_a_right_answer_a_wrong_one_the_score_and_a_new_quiz(app, expected):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)

        # Question 1, right, with its letter.
        first = expected[0]
        await pilot.press("abcd"[first.answer])
        await pilot.pause()
        assert screen.state == "answered"
        assert screen.results[-1].right
        text = screen_text(app)
        assert f"Correct: {first.answer_letter}." in text
        assert first.explanation[:40] in text
        assert "1 of 1 right so far" in text
        await pilot.press("b")  # a second answer to the same question is ignored
        assert len(screen.results) == 1

        # Question 2, wrong, with the arrows and Enter.
        await pilot.press("enter")
        await pilot.pause()
        assert screen.state == "question" and screen.number == 2
        second = expected[1]
        assert "Question 2 of 10" in screen_text(app)
        await pilot.press(*["down"] * wrong(second), "enter")
        await pilot.pause()
        assert not screen.results[-1].right
        assert screen.results[-1].picked == wrong(second)
        text = screen_text(app)
        assert f"Not quite: the right answer is {second.answer_letter}." in text
        assert second.explanation[:40] in text
        assert "1 of 2 right so far" in text

        # The rest: on with N, right with the digit keys, typed without waiting in between.
        await type_text(pilot, "".join(f"n{q.answer + 1}" for q in expected[2:]) + "n")
        await pilot.pause()
        assert [r.question for r in screen.results] == expected  # each in turn, none skipped
        assert [r.right for r in screen.results] == [True, False] + [True] * (len(expected) - 2)
        assert screen.state == "done"
        assert screen.score == len(expected) - 1
        text = screen_text(app)
        assert f"Your score: {len(expected) - 1} of {len(expected)}" in text
        # The review: what was chosen, and for the missed one the right answer beside it.
        picked = wrong(second)
        assert f"You chose {'ABCD'[picked]}) {second.choices[picked][:20]}" in text
        assert f"Right answer: {second.answer_letter}) {second.answer_text[:20]}" in text
        assert f"You chose {first.answer_letter}) {first.answer_text[:20]}" in text

        # R after the score: a new quiz, with a fresh seed; the score names the old one's.
        assert f"quiz --seed {SEED}" in text.replace("\n", " ")
        await pilot.press("r")
        await pilot.pause()
        assert screen.state == "question" and screen.number == 1 and not screen.results
        assert screen.seed is not None and len(screen.questions) == 10

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)
        assert isinstance(app.focused, ChatInput)


async def test_keys_only_act_when_they_apply_and_chat_keys_never_reach_the_chat(app, expected):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await pilot.press("n", "r")  # no next before an answer, no new quiz mid-way
        await pilot.pause()
        assert screen.state == "question" and screen.number == 1
        assert screen.questions == expected
        await pilot.press("f2", "ctrl+l", "pageup", "f4")  # topics, clear, scroll, quiz again
        await pilot.pause()
        assert app.screen is screen, "a chat key acted under the quiz"
        assert screen.number == 1 and not screen.results


async def test_a_choice_can_be_clicked(app, expected):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        choices = app.screen.query_one("#quiz-choices", OptionList)
        target = wrong(expected[0])
        await pilot.click(choices, offset=(4, target))  # one line per short choice
        await pilot.pause()
        assert screen.results and screen.results[-1].picked == target


async def test_leaving_half_way_says_how_far_it_got(assistant):
    app = make_app(assistant=assistant, options=replace(STEADY, quiz_seed=SEED))
    async with app.run_test(notifications=True) as pilot:
        screen = await start(pilot)
        await pilot.press(str(screen.current.answer + 1))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Quiz left after 1 of 10 questions: 1 right" in m for m in messages)


async def test_a_quiz_without_questions_says_so(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(QuizScreen(questions=[]))
        await pilot.pause()
        screen = quiz(app)
        assert screen.state == "done" and not screen.questions
        assert "no section facts" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (120, 40)])
async def test_the_quiz_fits_small_and_large_terminals(app, expected, size):
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        choices = app.screen.query_one("#quiz-choices", OptionList)
        assert choices.region.right <= size[0]
        lines = screen_text(app).splitlines()
        assert "Answer" in lines[-1] and "Back to chat" in lines[-1]  # the footer
        # The keys are named from the first question, above the footer, whatever the size.
        keys = app.screen.query_one("#quiz-keys")
        assert keys.region.height >= 1 and keys.region.bottom <= size[1] - 1
        assert "A-D or 1-4: answer" in screen_text(app)


async def test_the_keys_line_follows_the_quiz(app, expected):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        assert "A-D or 1-4: answer" in screen.keys_text()
        await pilot.press("abcd"[expected[0].answer])
        await pilot.pause()
        assert screen.keys_text() == "Enter or N: the next question · Esc: back to chat"
        assert screen_text(app).splitlines()[-2].strip() == screen.keys_text()


# -- snapshots ---------------------------------------------------------------------------------

# Facts as the knowledge base's tables state them (cpt-sections, modifiers).
FIXED = [
    QuizQuestion(
        prompt="What is the code range of the Evaluation and Management section of CPT?",
        choices=("10004-69990", "00100-01999", "99202-99499", "70010-79999"),
        answer=2,
        explanation="The Evaluation and Management section of CPT Category I covers 99202-99499.",
        topic="CPT sections",
    ),
    QuizQuestion(
        prompt="What does modifier 26 mean?",
        choices=(
            "Professional component only (the interpretation), billed apart from the "
            "technical component",
            "Bilateral procedure performed on both sides in the same session",
            "Repeat procedure or service by another physician or other qualified professional",
            "Distinct procedural service: separate from other services that day (different "
            "site, session or encounter); use only when no better modifier fits",
        ),
        answer=0,
        explanation=(
            "26 is a CPT modifier: Professional component only (the interpretation), billed "
            "apart from the technical component."
        ),
        topic="Modifiers",
    ),
]


class NoQuestions:
    """The app's assistant for the snapshots: the quiz is given its questions directly."""

    kb = KnowledgeBase(())

    def answer(self, question):  # pragma: no cover - not asked
        raise AssertionError


def snapshot_app(theme: str | None = None):
    return make_app(assistant=NoQuestions(), theme=theme, options=STEADY)


def quiz_at(answers: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.push_screen(QuizScreen(questions=FIXED, seed=SEED))
        await pilot.pause()
        for key in answers:
            await pilot.press(key)
            await pilot.pause()

    return run_before


def test_snapshot_question(snap_compare):
    assert snap_compare(snapshot_app(), terminal_size=(80, 24), run_before=quiz_at(""))


def test_snapshot_wrong_answer_light(snap_compare):
    # Question 1 right (C), then question 2 wrong (D): the long choices wrap under themselves.
    assert snap_compare(snapshot_app("light"), terminal_size=(80, 24), run_before=quiz_at("cnd"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_review(snap_compare, size):
    """The score and the review: what was chosen beside the right answer."""
    assert snap_compare(snapshot_app(), terminal_size=size, run_before=quiz_at("bnan"))
