"""The training quiz: questions made from the section facts and the classifier, and the terminal
flow of ``hcpcs-assistant quiz``."""

from __future__ import annotations

import io
import random
import re

import pytest

from assistant.cli.quiz import HINT, parse_answer, run_quiz
from assistant.codes import classify as codes
from assistant.quiz.questions import (
    CODE_SETS,
    GENERATORS,
    MAINTAINED_SETS,
    ORGANISATIONS,
    TOO_CLOSE,
    QuizQuestion,
    capacity,
    make_quiz,
)
from tests.conftest import entry_md

SEEDS = range(200)
SCORE_RE = re.compile(r"^Score: (\d+)/(\d+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def quizzes(knowledge) -> dict[int, list[QuizQuestion]]:
    return {seed: make_quiz(knowledge, count=10, seed=seed) for seed in SEEDS}


def all_questions(quizzes):
    for quiz in quizzes.values():
        yield from quiz


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_same_quiz(knowledge, quizzes):
    for seed in (0, 1, 3, 42, 199):
        assert make_quiz(knowledge, count=10, seed=seed) == quizzes[seed]


def test_different_seeds_different_quizzes(quizzes):
    shapes = {tuple((q.prompt, q.choices) for q in quiz) for quiz in quizzes.values()}
    assert len(shapes) == len(quizzes)


def test_no_seed_gives_a_fresh_quiz(knowledge):
    a = make_quiz(knowledge, count=10)
    b = make_quiz(knowledge, count=10)
    assert len(a) == len(b) == 10
    assert a != b


def test_global_random_untouched(knowledge):
    random.seed(12345)
    state = random.getstate()
    make_quiz(knowledge, count=10, seed=7)
    assert random.getstate() == state


def test_count_is_honoured(knowledge):
    for count in (1, 3, 10, 40):
        assert len(make_quiz(knowledge, count=count, seed=5)) == count
    assert make_quiz(knowledge, count=0, seed=5) == []


# --- shape of every question ------------------------------------------------------------------


def test_four_distinct_choices_and_one_answer(quizzes):
    for q in all_questions(quizzes):
        assert len(q.choices) == 4, q
        assert len({_fold(c) for c in q.choices}) == 4, q
        assert all(c.strip() for c in q.choices), q
        assert 0 <= q.answer < 4, q
        assert q.topic in GENERATORS, q


def test_prompts_and_subjects_do_not_repeat_within_a_quiz(quizzes):
    for quiz in quizzes.values():
        prompts = [q.prompt for q in quiz]
        assert len(set(prompts)) == len(prompts)


def test_quiz_mixes_topics(quizzes):
    for quiz in quizzes.values():
        assert {q.topic for q in quiz} == set(GENERATORS)


def test_explanation_names_the_right_answer(quizzes):
    for q in all_questions(quizzes):
        assert _fold(q.choices[q.answer]) in _fold(q.explanation), q
        assert q.explanation.endswith("."), q
        # One or two sentences.
        assert len(re.findall(r"[.!?](?:\s|$)", q.explanation)) <= 3, q


def test_every_generator_is_used(quizzes):
    prompts = [q.prompt for q in all_questions(quizzes)]
    for pattern in ORACLE_PATTERNS:
        assert any(re.fullmatch(pattern, p) for p in prompts), pattern


# --- wrong choices are the same kind of thing -------------------------------------------------


def _pools(facts) -> dict[str, set[str]]:
    by_system: dict[str, set[str]] = {}
    meaning_by_system: dict[str, set[str]] = {}
    for m in facts.modifiers.values():
        by_system.setdefault(m.system, set()).add(m.code)
        meaning_by_system.setdefault(m.system, set()).add(m.meaning)
    pools = {
        "cpt section names": {s.name for s in facts.cpt_sections},
        "cpt section ranges": {s.range_text for s in facts.cpt_sections},
        "level2 section names": {s.name for s in facts.level2.values()},
        "level2 letters": {f"{s.letter} codes" for s in facts.level2.values()},
        "cpt categories": set(facts.cpt_categories),
        "cpt category purposes": set(facts.cpt_categories.values()),
        "code sets": set(CODE_SETS),
        "maintainers": set(ORGANISATIONS.values()),
    }
    for system, items in by_system.items():
        pools[f"{system} codes"] = items
    for system, items in meaning_by_system.items():
        pools[f"{system} meanings"] = items
    return pools


def test_wrong_choices_are_the_same_kind(quizzes, knowledge, facts):
    pools = _pools(facts)
    formats = set()
    for r in knowledge.tables["cpt-categories"].records():
        text = r["format"].replace("`", "").strip()
        formats.add(text[:1].upper() + text[1:])
    pools["cpt category formats"] = formats
    for q in all_questions(quizzes):
        kinds = [name for name, pool in pools.items() if set(q.choices) <= pool]
        assert kinds, f"choices of mixed kinds: {q}"


def test_too_close_pairs_are_never_right_and_wrong_choice(quizzes, facts):
    """59 and XS (or E and K codes) as the right and a wrong choice would be two right answers."""

    def name(choice: str) -> str:
        for m in facts.modifiers.values():
            if choice == m.meaning:
                return m.code
        return choice.removesuffix(" codes")

    for q in all_questions(quizzes):
        right = name(q.choices[q.answer])
        for i, choice in enumerate(q.choices):
            if i != q.answer:
                assert frozenset({right, name(choice)}) not in TOO_CLOSE, q


# --- the right answer is the fact, and only one choice is right -------------------------------


def _cpt_number(m, facts):
    hit = facts.cpt_section(int(m.group(1)))
    assert hit is not None
    return {hit[0].name}


def _cpt_range(m, facts):
    return {s.range_text for s in facts.cpt_sections if s.name == m.group(1)}


def _level2_letter(m, facts):
    return {facts.level2[m.group(1)].name}


def _level2_name(m, facts):
    return {f"{s.letter} codes" for s in facts.level2.values() if s.name == m.group(1)}


def _level2_code(m, facts):
    return {facts.level2[m.group(1)[0]].name}


def _modifier_meaning(m, facts):
    return {facts.modifiers[m.group(1)].meaning}


def _modifier_for(m, facts):
    return {mod.code for mod in facts.modifiers.values() if mod.meaning == m.group(1)}


def _category_suffix(m, facts):
    return {codes.CPT_SUFFIX_CATEGORY[m.group(1)]}


def _category_written(m, facts):
    return {"Category I"} if m.group(1) == "five digits" else set()


def _category_format(m, facts):
    return {
        "Five digits" if m.group(1) == "Category I" else f"Four digits and {suffix}"
        for suffix, name in codes.CPT_SUFFIX_CATEGORY.items()
        if name == m.group(1) or m.group(1) == "Category I"
    }


def _category_purpose(m, facts):
    return {facts.cpt_categories[m.group(1)]}


def _code_set(m, facts):
    return {codes.classify(m.group(1), facts).system}


def _maintainer_of_set(m, facts):
    return {ORGANISATIONS[codes.MAINTAINERS[m.group(1)]]}


def _maintainer_of_letter(m, facts):
    return {ORGANISATIONS[facts.level2[m.group(1)].maintainer]}


def _maintainer_of_code(m, facts):
    return {ORGANISATIONS[codes.classify(m.group(1), facts).maintainer]}


ORACLE_PATTERNS = {
    r"Which CPT section(?:'s code range includes| is) (\d{5})(?: in)?\?": _cpt_number,
    r"What is the code range of the (.+) section of CPT\?": _cpt_range,
    r"What does the ([A-Z]) section of HCPCS Level II cover\?": _level2_letter,
    r'Which HCPCS Level II codes make up the section "(.+)"\?': _level2_name,
    r"Which HCPCS Level II section does a code like ([A-Z]\d{4}) belong to\?": _level2_code,
    r"What does modifier (\w\w) mean\?": _modifier_meaning,
    r'Which modifier means "(.+)"\?': _modifier_for,
    r"Which CPT category has codes ending in ([A-Z])\?": _category_suffix,
    r"Which CPT category is written as (.+)\?": _category_written,
    r"How are CPT (.+) codes written\?": _category_format,
    r"What are CPT (.+) codes for\?": _category_purpose,
    r"Which code set does (\S+) belong to\?": _code_set,
    r"Who maintains (CPT|HCPCS Level II|ICD-10-CM|ICD-10-PCS)\?": _maintainer_of_set,
    r"Who maintains the ([A-Z]) codes of HCPCS Level II\?": _maintainer_of_letter,
    r"Who maintains the code set that (\S+) belongs to\?": _maintainer_of_code,
}


def test_right_answer_is_the_fact_and_the_only_right_choice(quizzes, facts):
    for q in all_questions(quizzes):
        oracles = [(p, f) for p, f in ORACLE_PATTERNS.items() if re.fullmatch(p, q.prompt)]
        assert len(oracles) == 1, f"no single oracle for {q.prompt!r}"
        pattern, oracle = oracles[0]
        right = oracle(re.fullmatch(pattern, q.prompt), facts)
        assert len(right) == 1, q
        correct = [i for i, c in enumerate(q.choices) if c in right]
        assert correct == [q.answer], q


def test_cpt_numbers_are_inside_a_section_range(quizzes, facts):
    seen = 0
    for q in all_questions(quizzes):
        m = re.search(r"\b(\d{5})\b", q.prompt)
        if m and q.topic == "CPT sections":
            seen += 1
            info = codes.classify(m.group(1), facts)
            assert info.system == "CPT" and info.section == q.choices[q.answer]
    assert seen


def test_example_codes_come_from_the_knowledge_base(quizzes, knowledge):
    text = "\n".join(e.answer for e in knowledge.entries)
    text += "\n" + "\n".join(t.to_markdown() for t in knowledge.tables.values())
    for q in all_questions(quizzes):
        if q.topic == "CPT sections" and "range includes" in q.prompt:
            continue  # a number picked in a range, asked about as a range
        for code in re.findall(
            r"\b([A-Z]\d{4}|\d{4}[FTUM]|\d{5}|[A-Z]\d\w\.\w+|\w{7})\b", q.prompt
        ):
            if code.isalpha():
                continue
            assert f"`{code}`" in text, f"{code} in {q.prompt!r} is not from the knowledge base"


def test_ambiguous_codes_are_never_asked(knowledge, quizzes):
    """E1161 is also ICD-10-CM E11.61 written without its dot; 99201 was deleted."""
    more = {s: make_quiz(knowledge, 10, s) for s in range(len(SEEDS), 400)}  # seeds 0-399
    prompts = [q.prompt for quiz in [*quizzes.values(), *more.values()] for q in quiz]
    for code in ("E1161", "A0225", "99201"):
        assert not any(code in p for p in prompts)


def test_a_knowledge_base_without_fact_tables(make_kb, monkeypatch):
    """Only the classifier's own facts (who maintains which code set) are left to ask about;
    with nothing at all to ask, the command says so and exits 2."""
    from assistant.cli import quiz as quiz_cli
    from assistant.core import kb

    root = make_kb({"entries/01-x.md": "# X\n\n" + entry_md("only-entry", ["What is x?"])})
    quiz = make_quiz(kb.load(root), count=5, seed=1)
    assert quiz and {q.topic for q in quiz} == {"Maintainers"}
    sets = "|".join(re.escape(s) for s in MAINTAINED_SETS)
    assert all(re.fullmatch(rf"Who maintains ({sets})\?", q.prompt) for q in quiz)

    monkeypatch.setattr(quiz_cli, "make_quiz", lambda *a, **k: [])
    out = io.StringIO()
    assert run_quiz(seed=1, count=5, kb_dir=str(root), lines=[], out=out) == 2


# --- answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("a", 0),
        ("B", 1),
        (" c ", 2),
        ("d)", 3),
        ("(a)", 0),
        ("1", 0),
        ("4", 3),
        ("q", "quit"),
        ("Q", "quit"),
        ("quit", "quit"),
        ("", None),
        ("e", None),
        ("5", None),
        ("0", None),
        ("ab", None),
        ("yes", None),
    ],
)
def test_parse_answer(typed, expected):
    assert parse_answer(typed) == expected


def _play(knowledge_dir=None, seed=3, count=3, lines=(), interactive=False):
    out = io.StringIO()
    status = run_quiz(
        seed=seed,
        count=count,
        kb_dir=knowledge_dir,
        lines=list(lines),
        out=out,
        interactive=interactive,
    )
    return status, out.getvalue()


def test_all_right_scores_full_marks(knowledge):
    quiz = make_quiz(knowledge, count=4, seed=11)
    status, text = _play(seed=11, count=4, lines=[q.answer_letter for q in quiz])
    assert status == 0
    assert SCORE_RE.findall(text) == [("4", "4")]
    assert text.count("Correct!") == 4
    for n in range(1, 5):
        assert f"Question {n} of 4" in text


def test_wrong_answer_shows_the_right_one_and_explanation(knowledge):
    quiz = make_quiz(knowledge, count=1, seed=8)
    q = quiz[0]
    wrong = "abcd"[(q.answer + 1) % 4]
    status, text = _play(seed=8, count=1, lines=[wrong])
    assert status == 0
    assert "Not quite" in text
    assert f"{q.answer_letter}) " in text
    assert _fold(q.explanation) in _fold(text)
    assert SCORE_RE.findall(text) == [("0", "1")]


def test_interactive_ctrl_d_ends_cleanly(monkeypatch):
    def eof(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", eof)
    status, text = _play(interactive=True)
    assert status == 0
    assert SCORE_RE.findall(text) == [("0", "0")]


def test_interactive_ctrl_c_ends_with_130(monkeypatch):
    answers = iter(["a"])

    def typed(prompt=""):
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("builtins.input", typed)
    status, text = _play(interactive=True)
    assert status == 130
    assert "Stopped after 1 of 3 questions." in text
    assert re.search(r"^Score: [01]/1$", text, re.MULTILINE)


# --- the command ------------------------------------------------------------------------------


def test_cli_quiz_scores_and_exits_zero(run_cli):
    run = run_cli("quiz", "--seed", "3", "--questions", "3", stdin="a\nb\nc\n")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    for n in (1, 2, 3):
        assert f"Question {n} of 3" in run.stdout
    assert re.search(r"^Score: [0-3]/3$", run.stdout, re.MULTILINE)
    assert "--seed 3" in run.stdout


def test_a_quiz_longer_than_the_knowledge_base_allows_is_capped_with_a_notice(run_cli, knowledge):
    available = capacity(knowledge)
    assert 150 < available < 100_000  # fewer than asked for below
    assert len(make_quiz(knowledge, count=100_000, seed=4)) <= available
    run = run_cli("quiz", "--seed", "4", "--questions", "100000", stdin="q\n")
    assert run.returncode == 0 and run.stderr == ""
    lines = run.stdout.splitlines()
    total = int(re.match(r"HCPCS and CPT training quiz: (\d+) questions", lines[0]).group(1))
    assert total <= available
    assert (
        lines[1] == f"(Only {total} different questions exist in the knowledge base, not 100,000.)"
    )
    assert f"Question 1 of {total}" in run.stdout


def test_cli_quiz_same_seed_same_output_across_processes(run_process, monkeypatch, knowledge):
    """Hash randomisation must not leak into the quiz: different PYTHONHASHSEED, same quiz."""
    outputs = []
    for hash_seed in ("1", "2"):
        monkeypatch.setenv("PYTHONHASHSEED", hash_seed)
        outputs.append(
            run_process("quiz", "--seed", "3", "--questions", "5", stdin="a\n" * 5).stdout
        )
    assert outputs[0] == outputs[1]
    for q in make_quiz(knowledge, count=5, seed=3):
        assert _fold(q.prompt) in _fold(outputs[0])


def test_cli_right_answers_from_the_api_score_full_marks(run_cli, knowledge):
    quiz = make_quiz(knowledge, count=3, seed=3)
    stdin = "".join(f"{q.answer + 1}\n" for q in quiz)
    run = run_cli("quiz", "--seed", "3", "--questions", "3", stdin=stdin)
    assert run.returncode == 0
    assert SCORE_RE.findall(run.stdout) == [("3", "3")]


def test_cli_invalid_input_asks_again(run_cli):
    run = run_cli("quiz", "--seed", "3", "--questions", "3", stdin="x\n\n7\na\nb\nc\n")
    assert run.returncode == 0
    assert run.stdout.count(HINT) == 3
    assert run.stdout.count("Question 1 of 3") == 1
    assert re.search(r"^Score: [0-3]/3$", run.stdout, re.MULTILINE)


def test_cli_q_quits_with_the_score_so_far(run_cli):
    run = run_cli("quiz", "--seed", "3", "--questions", "3", stdin="a\nq\nb\n")
    assert run.returncode == 0
    assert "Question 2 of 3" in run.stdout
    assert "Question 3 of 3" not in run.stdout
    assert "Stopped after 1 of 3 questions." in run.stdout
    assert re.search(r"^Score: [01]/1$", run.stdout, re.MULTILINE)


def test_cli_eof_ends_cleanly(run_cli):
    run = run_cli("quiz", "--seed", "3", "--questions", "3", stdin="a\n")
    assert run.returncode == 0
    assert "Traceback" not in run.stderr
    assert "No more answers on stdin." in run.stdout
    assert re.search(r"^Score: [01]/1$", run.stdout, re.MULTILINE)

    empty = run_cli("quiz", "--seed", "3", "--questions", "3", stdin="")
    assert empty.returncode == 0
    assert SCORE_RE.findall(empty.stdout) == [("0", "0")]


def test_cli_without_seed_prints_one_to_repeat(run_cli, knowledge):
    run = run_cli("quiz", "--questions", "2", stdin="")
    assert run.returncode == 0
    m = re.search(r"quiz --seed (\d+) --questions 2", run.stdout)
    assert m
    seed = int(m.group(1))
    first = make_quiz(knowledge, count=2, seed=seed)[0]
    assert _fold(first.prompt) in _fold(run.stdout)


def test_cli_bad_question_count_is_usage_error(run_cli):
    run = run_cli("quiz", "--questions", "0")
    assert run.returncode == 2
    assert run.stderr.strip() == "hcpcs-assistant: --questions must be at least 1"
    bad = run_cli("quiz", "--questions", "many")
    assert bad.returncode == 2
