"""The knowledge base loader (``kb.load``), the fact-table checks and ``hcpcs-assistant check``."""

from __future__ import annotations

import re

import pytest
from conftest import META_MD, entry_md, expect_problem, facts_problems, line_of
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core import facts as facts_module
from assistant.core import kb

# --- the built-in knowledge base -------------------------------------------------------------


def test_built_in_kb_has_no_problems(knowledge):
    assert [str(p) for p in knowledge.problems] == []
    assert facts_module.check(knowledge) == []


def test_built_in_kb_size(knowledge):
    assert len(knowledge.entries) >= 80


def test_every_entry_is_complete(knowledge):
    for e in knowledge.entries:
        assert kb.ID_RE.match(e.id), e.id
        assert len(e.questions) >= 4, e.id
        assert all(q.strip() for q in e.questions), e.id
        assert e.answer.strip(), e.id
        assert e.sources and all(s.strip() for s in e.sources), e.id
        assert "{{" not in e.answer, e.id  # every placeholder expanded
        assert e.title == e.questions[0]


def test_every_title_is_written_as_a_heading(knowledge):
    """An entry's title is shown in bold above its answer (and in the topics panel): it
    starts with a capital letter, a digit or a mark, never in lower case like a typed
    phrasing."""
    lower = [e.id for e in knowledge.entries if e.title[:1].islower()]
    assert not lower, lower


def test_ids_and_phrasings_are_unique(knowledge):
    ids = [e.id for e in knowledge.entries]
    assert len(ids) == len(set(ids))
    seen: dict[str, str] = {}
    for e in knowledge.entries:
        for q in e.questions:
            key = " ".join(q.lower().split())
            assert seen.setdefault(key, e.id) == e.id, (q, e.id, seen[key])


def test_fact_tables_present(knowledge):
    assert {"cpt-sections", "cpt-categories", "level2-sections", "modifiers"} <= set(
        knowledge.tables
    )
    assert "icd10pcs-sections" in knowledge.tables


def test_embedded_tables_are_the_fact_tables(knowledge):
    """An answer that embeds {{table:cpt-sections}} shows the very rows the classifier reads."""
    table = knowledge.tables["cpt-sections"].to_markdown()
    assert any(table in e.answer for e in knowledge.entries)


def test_entry_lookup_and_groups(knowledge):
    first = knowledge.entries[0]
    assert knowledge.by_id(first.id) is first
    assert knowledge.by_id("no-such-entry") is None
    groups = knowledge.groups()
    assert sum(len(v) for v in groups.values()) == len(knowledge.entries)
    assert all(groups)


def test_to_dict_shape(knowledge):
    d = knowledge.entries[0].to_dict()
    assert list(d) == ["id", "questions", "answer", "sources", "tags"]
    assert isinstance(d["questions"], list) and isinstance(d["sources"], list)
    assert isinstance(d["tags"], list)


def test_every_entry_has_a_source_and_an_as_of_date(knowledge):
    for e in knowledge.entries:
        assert e.sources, e.id
        assert kb.is_iso_date(e.meta.get("as of", "")), e.id
        assert set(e.meta) <= set(kb.META_KEYS), e.id


def test_meta_is_not_in_the_json_contract(knowledge, run_cli):
    """``kb --json`` keeps the contract's five keys; the Meta lines stay inside the loader."""
    entries = run_cli("kb", "--json").json_lines()[0]
    assert all(list(e) == ["id", "questions", "answer", "sources", "tags"] for e in entries)


# --- the ### Meta section --------------------------------------------------------------------


def meta_entry(eid: str, meta: str) -> str:
    return entry_md(eid, [f"what is {eid}"]).replace(META_MD.strip(), meta.strip())


def test_meta_lines_are_read(make_kb):
    text = "# G\n\n" + meta_entry(
        "full",
        "### Meta\n- as of: 2025-10-01\n- Concepts: cpt, category iii\n- intent:  definition\n",
    )
    knowledge = kb.load(make_kb({"entries/01.md": text}))
    assert knowledge.problems == ()
    assert knowledge.by_id("full").meta == {
        "as of": "2025-10-01",
        "concepts": "cpt, category iii",
        "intent": "definition",
    }


@pytest.mark.parametrize(
    ("meta", "marker", "message"),
    [
        ("", None, r"entry 'e' has no '### Meta' with an 'as of: YYYY-MM-DD' line"),
        ("### Meta\n- intent: define\n", None, r"entry 'e' has no 'as of: YYYY-MM-DD' line"),
        ("### Meta\n- as of: January 2026\n", "- as of", r"'as of' date 'January 2026'"),
        ("### Meta\n- as of: 2026-02-30\n", "- as of", r"'as of' date '2026-02-30'"),
        ("### Meta\n- as of: 2026-1-5\n", "- as of", r"is not a date written YYYY-MM-DD"),
        (
            "### Meta\n- as of: 2026-01-01\n- reviewed by: me\n",
            "- reviewed",
            r"unknown meta key 'reviewed by'",
        ),
        (
            "### Meta\n- as of: 2026-01-01\n- as of: 2026-02-01\n",
            "- as of: 2026-02",
            r"meta key 'as of' twice",
        ),
        ("### Meta\n- as of: 2026-01-01\n- just words\n", "- just", r"is not one 'key: value'"),
        (
            "### Meta\n- as of: 2026-01-01\n- coverage: aetna\n",
            "- coverage",
            r"coverage 'aetna' of 'e' is not one of: medicare",
        ),
        (
            "### Meta\nas of: 2026-01-01\n\n- as of: 2026-01-01\n",
            "as of: 2026-01-01",
            r"holds a bullet list of key: value lines",
        ),
    ],
)
def test_meta_problems_at_their_line(make_kb, tmp_path, monkeypatch, meta, marker, message):
    monkeypatch.chdir(tmp_path)
    root = make_kb({"entries/01.md": "# G\n\n" + meta_entry("e", meta)})
    path = root / "entries" / "01.md"
    line = line_of(path, marker) if marker else line_of(path, "## e")
    problems = problems_of(root)
    expect_problem(problems, path.relative_to(tmp_path), line, message)
    assert len(problems) == 1, problems
    assert kb.load(root).by_id("e") is not None  # the entry still answers


def test_a_list_under_the_tags_is_a_problem_at_its_line(make_kb, tmp_path, monkeypatch):
    """A verdict added at the end of a file lands under the last entry's tags, where it would
    be read as tags: it is shown where it is."""
    monkeypatch.chdir(tmp_path)
    text = (
        "# G\n\n"
        + entry_md("e", ["what is e"]).rstrip()
        + "\n\n### Tags\ncpt, hcpcs\n- Is e a code? -> Yes: it is.\n"
    )
    root = make_kb({"entries/01.md": text})
    path = root / "entries" / "01.md"
    problems = problems_of(root)
    expect_problem(
        problems,
        path.relative_to(tmp_path),
        line_of(path, "- Is e a code"),
        r"'### Tags' of 'e' is one line of comma-separated tags",
    )
    assert len(problems) == 1, problems


def test_embedded_table_leaves_out_source_and_as_of(make_kb):
    facts = """\
# Facts

## cpt-sections

| Section | Range | Source | As of |
|---|---|---|---|
| Surgery | `10004-69990` | AMA: CPT 2026 | 2026-01-01 |
"""
    root = make_kb(
        {
            "entries/01.md": "# G\n\n"
            + entry_md("tabled", ["q1"], answer="Sections:\n\n{{table:cpt-sections}}"),
            "facts/t.md": facts,
        }
    )
    knowledge = kb.load(root)
    answer = knowledge.by_id("tabled").answer
    assert "| Section | Range |\n|---|---|\n| Surgery | `10004-69990` |" in answer
    assert "AMA: CPT 2026" not in answer and "2026-01-01" not in answer and "As of" not in answer
    assert knowledge.tables["cpt-sections"].records()[0]["source"] == "AMA: CPT 2026"


def test_built_in_answers_show_no_provenance_columns(knowledge):
    for e in knowledge.entries:
        assert "| Source |" not in e.answer and "| As of |" not in e.answer, e.id


# --- problems in broken knowledge directories ------------------------------------------------

FACTS = """\
# Facts

## cpt-sections

| Section | Range | Source | As of |
|---|---|---|---|
| Surgery | `10004-69990` | AMA: CPT | 2026-01-01 |
"""


def problems_of(root) -> list[str]:
    """What ``hcpcs-assistant check`` reports for a knowledge directory."""
    from assistant.core import check

    return [str(p) for p in check.problems(kb.load(root))]


@pytest.fixture
def broken(make_kb):
    text = (
        "# Group\n\n"
        + entry_md("alpha", ["What is alpha?", "alpha meaning"])
        + "\n"
        + entry_md("alpha", ["a second alpha"])
        + "\n"
        + entry_md("beta", ["What is ALPHA?", "beta"])
        + "\n"
        + "## empty-answer\n\n### Questions\n- empty one\n\n### Answer\n\n### Sources\n- S\n\n"
        + META_MD
        + "## no-sources\n\n### Questions\n- sourceless\n\n### Answer\nAn answer.\n\n"
        + META_MD
        + entry_md("odd-section", ["odd"]).replace("### Sources", "### Notes\nx\n\n### Sources")
        + "\n"
        + entry_md(
            "bad-table",
            ["tabled"],
            answer="A paragraph\nwrapped over\nthree lines.\n\n{{table:nope}}",
        )
    )
    root = make_kb({"entries/01-broken.md": text, "facts/t.md": FACTS})
    return root, root / "entries" / "01-broken.md"


def test_problems_are_path_line_message(broken, monkeypatch, tmp_path):
    root, path = broken
    monkeypatch.chdir(tmp_path)  # paths print relative to where the command runs
    shown = path.relative_to(tmp_path)
    problems = problems_of(root)
    assert all(re.match(r"^[^:]+:\d+: \S", p) for p in problems), problems

    second_alpha = [
        n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "## alpha"
    ]
    expect_problem(problems, shown, second_alpha[1], r"duplicate id 'alpha'")
    expect_problem(
        problems, shown, line_of(path, "- What is ALPHA?"), r"question .*also in|reads the same"
    )
    expect_problem(
        problems,
        shown,
        line_of(path, "## empty-answer"),
        r"entry 'empty-answer' has an empty answer",
    )
    expect_problem(
        problems, shown, line_of(path, "## no-sources"), r"entry 'no-sources' has no sources"
    )
    expect_problem(problems, shown, line_of(path, "### Notes"), r"unknown section '### Notes'")
    expect_problem(problems, shown, line_of(path, "{{table:nope}}"), r"unknown table 'nope'")
    assert len(problems) == 6, problems


def test_problems_in_file_order(broken):
    root, _ = broken
    lines = [int(p.split(":")[1]) for p in problems_of(root)]
    assert lines == sorted(lines)


def test_broken_entries_are_left_out_but_the_rest_load(broken):
    root, _ = broken
    knowledge = kb.load(root)
    ids = [e.id for e in knowledge.entries]
    assert ids.count("alpha") == 1
    assert "empty-answer" not in ids
    assert "beta" in ids and "no-sources" in ids


def test_placeholder_not_alone_on_its_line(make_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = make_kb(
        {
            "entries/01.md": "# G\n\n"
            + entry_md("inline", ["q1"], answer="See {{table:cpt-sections}} here."),
            "facts/t.md": FACTS,
        }
    )
    path = root / "entries" / "01.md"
    expect_problem(
        problems_of(root),
        path.relative_to(tmp_path),
        line_of(path, "See {{table"),
        r"table placeholder .* must be alone on its line",
    )


def test_known_table_is_embedded(make_kb):
    root = make_kb(
        {
            "entries/01.md": "# G\n\n"
            + entry_md("tabled", ["q1"], answer="Sections:\n\n{{table:cpt-sections}}"),
            "facts/t.md": FACTS,
        }
    )
    knowledge = kb.load(root)
    assert knowledge.problems == ()
    assert "| Surgery | `10004-69990` |" in knowledge.by_id("tabled").answer


def test_missing_directory_raises(tmp_path):
    with pytest.raises(kb.KnowledgeError, match="not found"):
        kb.load(tmp_path / "nowhere")


def test_directory_without_entries_raises(tmp_path):
    (tmp_path / "facts").mkdir()
    with pytest.raises(kb.KnowledgeError, match="no entries"):
        kb.load(tmp_path)


def test_invalid_utf8_is_a_problem_not_a_crash(make_kb):
    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("ok", ["q1"])})
    (root / "entries" / "02.md").write_bytes(b"# G\n\n## bad\n\n### Questions\n- caf\xe9\n")
    problems = problems_of(root)
    assert any("02.md:1: not valid UTF-8" in p for p in problems), problems


# --- fact-table checks -------------------------------------------------------------------------


def test_fact_table_problems(make_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    facts_text = """\
# Facts

## cpt-sections

| Section | Range | Source | As of |
|---|---|---|---|
| Surgery | `10004–69990` | S | 2026-01-01 |
| Radiology | `70010-79999` | S | 2026-01-01 |
| Imaging | `79000-80000` | S | 2026-01-01 |

## level2-sections

| Letter | Section | Range | Maintainer | Source | As of |
|---|---|---|---|---|---|
| J | Drugs | `K0000-K9999` | CMS | S | 2026-01-01 |
| V | Vision | `V5999-V0000` | CMS | S | 2026-01-01 |

## modifiers

| Modifier | System | Meaning | Source | As of |
|---|---|---|---|---|
| 25 | HCPCS Level II modifier | Significant E/M | S | 2026-01-01 |
| 8P | CPT modifier | Performance measure reporting modifier | S | 2026-01-01 |
| LT | HCPCS Level II modifier | | S | 2026-01-01 |
"""
    problems, path, shown = facts_problems(make_kb, facts_text)
    expect_problem(problems, shown, line_of(path, "| Surgery |"), r"CPT range .* is not written as")
    expect_problem(
        problems,
        shown,
        line_of(path, "| Imaging |"),
        r"CPT range 79000-80000 .*overlaps 70010-79999",
    )
    expect_problem(problems, shown, line_of(path, "| J |"), r"does not start with the letter J")
    expect_problem(problems, shown, line_of(path, "| V |"), r"runs backwards")
    expect_problem(problems, shown, line_of(path, "| 25 |"), r"modifier 25: two digits")
    expect_problem(problems, shown, line_of(path, "| LT |"), r"modifier LT without a meaning")
    assert not any(":" + str(line_of(path, "| 8P |")) + ":" in p for p in problems)
    assert len(problems) == 6, problems


def test_a_drug_row_needs_a_level2_code_and_a_unit_to_count_with(make_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    facts_text = """\
# Facts

## drug-units

| Drug (brand) | Code | One unit | Example | Source | As of |
|---|---|---|---|---|---|
| Ketorolac | `J1885` | per 15 mg | 30 mg = 2 units | S | 2026-01-01 |
| Kenalog | `99213` | 10 mg | | S | 2026-01-01 |
| Rocephin | `J0696` | a vial | | S | 2026-01-01 |
"""
    problems, path, shown = facts_problems(make_kb, facts_text)
    expect_problem(problems, shown, line_of(path, "| Kenalog |"), r"'99213' is no Level II code")
    expect_problem(problems, shown, line_of(path, "| Rocephin |"), r"cannot read the unit 'a vial'")
    assert len(problems) == 2, problems
    assert set(facts_module.build(kb.load(path.parents[1])).drug_units) == {"J1885", "J0696"}


def test_fact_rows_need_a_source_and_an_as_of_date(make_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    facts_text = """\
# Facts

## cpt-sections

| Section | Range | Source | As of |
|---|---|---|---|
| Surgery | `10004-69990` | | 2026-01-01 |
| Radiology | `70010-79999` | AMA: CPT | |
| Medicine | `90281-99199` | AMA: CPT | Jan 2026 |

## modifiers

| Modifier | System | Meaning |
|---|---|---|
| 25 | CPT modifier | Significant, separately identifiable E/M |

## my-notes

| Note | Source |
|---|---|
| A table the classifier does not read | Me |
"""
    problems, path, shown = facts_problems(make_kb, facts_text)
    expect_problem(problems, shown, line_of(path, "| Surgery |"), r"without a source")
    expect_problem(problems, shown, line_of(path, "| Radiology |"), r"without an 'as of' date")
    expect_problem(problems, shown, line_of(path, "| Medicine |"), r"\(found 'Jan 2026'\)")
    expect_problem(problems, shown, line_of(path, "## modifiers"), r"needs .*'source', 'as of'")
    expect_problem(problems, shown, line_of(path, "## my-notes"), r"needs the column\(s\) 'as of'")
    assert len(problems) == 5, problems


# --- the check command -----------------------------------------------------------------------


def test_check_built_in_kb(run_cli):
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    assert result.stderr == ""


def test_check_broken_dir_prints_problems_and_exits_1(run_cli, broken, tmp_path):
    root, path = broken
    result = run_cli("check", "--kb", str(root), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == problems_of_from(root, tmp_path)
    assert len(lines) == 6
    for line in lines:
        assert re.match(rf"^{re.escape(str(path.relative_to(tmp_path)))}:\d+: ", line), line
    assert len(result.stderr_lines) == 1 and "6 problem" in result.stderr
    assert "Traceback" not in result.stderr


def problems_of_from(root, cwd) -> list[str]:
    import os

    before = os.getcwd()
    os.chdir(cwd)
    try:
        return problems_of(root)
    finally:
        os.chdir(before)


def test_check_reports_fact_table_problems(run_cli, make_kb, tmp_path):
    bad = FACTS.replace("`10004-69990`", "`10004-6999`")
    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("ok", ["q1"]), "facts/t.md": bad})
    result = run_cli("check", "--kb", str(root), cwd=tmp_path)
    assert result.returncode == 1
    assert re.fullmatch(r"kb/facts/t\.md:7: CPT range '10004-6999' .*\n", result.stdout)


def test_check_missing_dir_exits_2_with_one_line(run_cli, tmp_path):
    result = run_cli("check", "--kb", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr_lines) == 1
    assert "knowledge directory not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_problem_paths_open_from_the_working_directory(broken, tmp_path, monkeypatch):
    """Each ``path`` in ``path:line:`` opens from where the command runs, wherever that is."""
    root, _ = broken
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd in (tmp_path, elsewhere, root / "entries"):
        monkeypatch.chdir(cwd)
        for problem in problems_of(root):
            assert (cwd / problem.split(":")[0]).is_file(), (cwd, problem)


PIECES = st.sampled_from(
    [
        "# Group\n",
        "## an-id\n",
        "## Not A Slug\n",
        "### Questions\n",
        "### Answer\n",
        "### Sources\n",
        "### Tags\n",
        "### Meta\n",
        "- as of: 2026-01-01\n",
        "- as of: soon\n",
        "### Other\n",
        "- a bullet\n",
        "{{table:cpt-sections}}\n",
        "{{table:x}} inline\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "text\n",
        "\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=10)), max_size=25).map("".join))
def test_loader_never_fails_on_any_markdown(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "entries").mkdir()
        (root / "entries" / "01.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        knowledge = kb.load(root)
        for p in knowledge.problems:
            assert re.match(r"^.+:\d+: \S", str(p)), str(p)
        for e in knowledge.entries:
            assert e.questions and e.answer.strip()
        facts_module.check(knowledge)
        facts_module.build(knowledge)


# What starts (or could start) each block rule the loader leaves out of a text without it, in
# and out of quotes and lists, indented or not, with every kind of line break.
MARKS = st.sampled_from(
    ["#", "##", "-", "*", "+", "1.", "2)", ">", "> -", "  ", "    ", " ", "text", "x", ":"]
    + ["<div>", "<!--", "-->", "[a]:", "[a]", "http://x", '"t"', "```", "~~~", "`", "~"]
    + ["---", "***", "___", "===", "=", "- - -", "* * *", "-  ", "|", "|a|b|", "|-|-|", "a | b"]
)
LINES = st.lists(st.lists(MARKS, max_size=4).map(" ".join), min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(LINES, st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_rules_left_out_of_a_text_change_none_of_its_tokens(lines, newline):
    """The loader leaves out the block rules a text gives no sign of (see kb._md): the tokens
    are exactly those of the parser with every rule."""
    from markdown_it import MarkdownIt

    def tokens(parser, text):
        return [
            (t.type, t.tag, t.map, t.content, t.level, t.markup, t.info, t.hidden)
            for t in parser.parse(text)
        ]

    text = newline.join(lines) + newline
    every_rule = MarkdownIt("commonmark").enable("table").disable("inline")
    assert tokens(kb._md(text), text) == tokens(every_rule, text)


def test_rules_are_left_out_only_without_a_sign_of_them():
    plain = "# G\n\n## an-id\n\n### Questions\n- What?\n\n### Answer\nText.\n"
    assert set(kb._rules_not_needed(plain)) == {
        "table",
        "fence",
        "blockquote",
        "html_block",
        "reference",
        "hr",
        "lheading",
    }
    for sign, kept in [
        ("| a | b |", {"table"}),
        ("```", {"fence"}),
        ("~~~", {"fence"}),
        ("> quoted", {"blockquote"}),
        ("<div>", {"html_block"}),
        ("[a]: http://x", {"reference"}),
        ("- ***", {"hr", "lheading"}),
        ("Title\r===", {"hr", "lheading"}),  # a line of its own for Markdown too
        ("-  ", {"hr", "lheading"}),  # a setext underline with spaces after it
    ]:
        left_out = set(kb._rules_not_needed(plain + sign + "\n"))
        assert not kept & left_out, sign


def test_loading_leaves_the_garbage_collector_as_it_found_it(make_kb, monkeypatch):
    """The collector is paused while files are read (kb._collector_paused), then as before."""
    import gc

    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("an-id", ["What?"])})
    seen = []
    parse_entries = kb._parse_entries
    monkeypatch.setattr(
        kb, "_parse_entries", lambda *a: seen.append(gc.isenabled()) or parse_entries(*a)
    )
    assert gc.isenabled()
    assert [e.id for e in kb.load(root).entries] == ["an-id"]
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        kb.load(root)
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()


# --- size -------------------------------------------------------------------------------------


def test_a_knowledge_file_near_the_size_limit_loads_every_entry(tmp_path):
    """Thousands of entries in one file just under the 5 MB limit: every one loads. (Their
    answers are long, as parsing a file of some 20,000 tiny entries takes seconds: that case
    is timed in make bench.)"""
    from bigkb import write_big_kb

    count = write_big_kb(tmp_path, answer_lines=40)
    path = tmp_path / "entries" / "01-generated.md"
    assert kb.MAX_FILE_BYTES - 128 * 1024 < path.stat().st_size <= kb.MAX_FILE_BYTES
    knowledge = kb.load(tmp_path)
    assert knowledge.problems == ()
    assert len(knowledge.entries) == count > 2_000
    last = knowledge.entries[-1]
    assert last.id == f"entry-{count - 1}"
    assert last.questions == (
        f"What is generated question number {count - 1}?",
        f"Where is generated topic {count - 1} written down?",
    )
    assert last.sources == (f"Generated source {count - 1}",)
    assert last.answer.count("It goes on") == 39  # the whole paragraph, unwrapped
