"""``hcpcs-assistant quiz``: the training quiz in a plain terminal.

One question at a time, answered with A-D (or 1-4); the right answer and its explanation follow
each question, and the score ends the quiz. ``q`` stops early, Ctrl+D or the end of piped input
ends cleanly with the score so far, Ctrl+C too (exit status 130). When stdin is not a terminal the
answers are read from it line by line, so a quiz can be scripted.
"""

from __future__ import annotations

import random
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from assistant import PROG
from assistant.cli.streams import stdin_is_terminal, stdin_lines
from assistant.core.prebuilt import load_knowledge
from assistant.core.text import clean_text
from assistant.quiz.questions import LETTERS, QuizQuestion, capacity, make_quiz

QUIT_WORDS = frozenset({"q", "quit", "exit"})
HINT = "Please type A, B, C or D (or 1-4), or q to stop."


class _Stop(Exception):
    """The learner typed q."""


def parse_answer(text: str) -> int | None | str:
    """0-3 for a choice, ``"quit"`` for q, None for anything else.

    Accepts ``b``, ``B``, ``b)``, ``(b)``, ``2`` and surrounding spaces.
    """
    word = text.strip().lower().strip("().:")
    if word in QUIT_WORDS:
        return "quit"
    if len(word) == 1:
        if word in LETTERS.lower():
            return LETTERS.lower().index(word)
        if word in "1234":
            return int(word) - 1
    return None


class _Screen:
    """Writes the quiz, wrapped to the terminal and with control characters removed."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        columns = shutil.get_terminal_size((80, 24)).columns
        self.width = max(40, min(columns, 100))

    def line(self, text: str = "", indent: str = "", hanging: str | None = None) -> None:
        text = clean_text(text)
        if not text:
            self.out.write("\n")
            return
        self.out.write(
            textwrap.fill(
                text,
                width=self.width,
                initial_indent=indent,
                subsequent_indent=hanging if hanging is not None else indent,
                break_on_hyphens=False,
            )
            + "\n"
        )

    def rule(self) -> None:
        self.out.write("-" * min(self.width, 72) + "\n")

    def flush(self) -> None:
        self.out.flush()


def _reader(lines: Iterable[str] | None, interactive: bool, out: TextIO) -> Callable[[str], str]:
    """A function that shows a prompt and returns one answer line, raising EOFError at the end."""
    if interactive:
        return input
    source: Iterator[str] = iter(lines if lines is not None else stdin_lines())

    def read(prompt: str) -> str:
        out.write(prompt)
        out.flush()
        try:
            line = next(source)
        except StopIteration:
            out.write("\n")
            raise EOFError from None
        line = line.rstrip("\r\n")
        out.write(clean_text(line) + "\n")  # echo, so a piped transcript reads as typed
        return line

    return read


def _ask(question: QuizQuestion, number: int, total: int, screen: _Screen, read) -> bool:
    """Show one question, read an answer until it is valid, show the right one: True if right."""
    screen.rule()
    screen.line(f"Question {number} of {total}  ({question.topic})")
    screen.line()
    screen.line(question.prompt)
    screen.line()
    for letter, choice in zip(LETTERS, question.choices, strict=True):
        screen.line(f"{letter}) {choice}", indent="  ", hanging="     ")
    screen.line()
    while True:
        screen.flush()
        picked = parse_answer(read("Your answer: "))
        if picked == "quit":
            raise _Stop
        if picked is None:
            screen.line(HINT)
            continue
        break
    right = picked == question.answer
    answer = f"{question.answer_letter}) {question.answer_text}"
    if right:
        screen.line(f"Correct! {answer}", hanging="  ")
    else:
        screen.line(f"Not quite. Right answer: {answer}", hanging="  ")
    screen.line(question.explanation)
    screen.line()
    return right


def _score(screen: _Screen, right: int, answered: int, total: int, seed: int) -> None:
    screen.rule()
    if answered < total:
        screen.line(f"Stopped after {answered} of {total} questions.")
    screen.line(f"Score: {right}/{answered}")
    screen.line(f"Same quiz again: {PROG} quiz --seed {seed} --questions {total}")
    screen.flush()


def run_quiz(
    seed: int | None = None,
    count: int = 10,
    kb_dir: str | None = None,
    *,
    lines: Iterable[str] | None = None,
    out: TextIO | None = None,
    interactive: bool | None = None,
) -> int:
    """Run a quiz in the terminal; returns the exit status (0, 2 for bad usage, 130 on Ctrl+C).

    ``lines`` (answers, one per item) and ``out`` stand in for stdin and stdout in tests.
    """
    out = out if out is not None else sys.stdout
    if count < 1:
        sys.stderr.write(f"{PROG}: --questions must be at least 1\n")
        return 2
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    knowledge = load_knowledge(kb_dir)
    asked, available = count, capacity(knowledge)
    if 0 < available < count:  # a quiz never asks about a subject twice: say so, and go on
        count = available
    questions = make_quiz(knowledge, count=count, seed=seed)
    if not questions:
        sys.stderr.write(
            f"{PROG}: the knowledge base has no section facts to make quiz questions from\n"
        )
        return 2
    if interactive is None:
        interactive = lines is None and stdin_is_terminal()
    screen = _Screen(out)
    read = _reader(lines, interactive, out)
    total = len(questions)

    plural = "question" if total == 1 else "questions"
    screen.line(f"HCPCS and CPT training quiz: {total} {plural} (seed {seed})")
    if total < asked:
        screen.line(
            f"(Only {total} different questions exist in the knowledge base, not {asked:,}.)"
        )
    screen.line("Answer with A, B, C or D (or 1-4). Type q to stop.")
    screen.line()
    right = answered = 0
    try:
        for number, question in enumerate(questions, 1):
            if _ask(question, number, total, screen, read):
                right += 1
            answered += 1
    except _Stop:
        pass
    except EOFError:
        if not interactive:
            screen.line("No more answers on stdin.")
        else:
            screen.line()
    except KeyboardInterrupt:
        screen.line()
        _score(screen, right, answered, total, seed)
        return 130
    _score(screen, right, answered, total, seed)
    return 0
