"""Search abbreviations (knowledge/lexicon/search-abbreviations.md): loaded, checked by
`hcpcs-assistant check`, and used by word search so that clerk words find the official
descriptions."""

from __future__ import annotations

import hcpcs_fixture as fx
import pytest
from conftest import ROOT, entry_md

from assistant.codes.hcpcs import import_file, lexicon, open_data

CLERK_WORDS = ["cpap", "bipap", "tens", "o2", "dme", "wheelchair"]

GOOD = """\
# Abbreviations

Prose before the section is free: - this: is not read.

## abbreviations

- cpap: continuous positive airway pressure
- o2: oxygen
- afo: ankle-foot orthosis

## notes

Anything here.
"""


def test_builtin_list_loads_without_problems():
    builtin = lexicon.load()
    assert builtin.problems == ()
    assert {"cpap", "bipap", "tens", "o2", "dme"} <= set(builtin.expansions)
    assert builtin.expansions["o2"] == "oxygen"


def test_parse_a_good_list():
    parsed = lexicon.parse(GOOD, "x.md")
    assert parsed.problems == ()
    assert parsed.expansions == {
        "cpap": "continuous positive airway pressure",
        "o2": "oxygen",
        "afo": "ankle-foot orthosis",
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("cpap: continuous positive airway pressure", "not an abbreviation line"),
        ("- CPAP: continuous positive airway pressure", "not one word of lower-case letters"),
        ("- w/c: wheelchair", "not one word of lower-case letters"),
        ("- cpap:", "without the words it stands for"),
        ("- cpap: Continuous (positive) airway", "must be lower-case letters, digits, spaces"),
        ("- oxygen: oxygen", "stands for itself"),
        ("- o2: oxygen gas", "'o2' twice (first at line 8)"),
        ("* o2 - oxygen", "not an abbreviation line"),
    ],
)
def test_malformed_lines_are_reported_at_their_line(line, message):
    text = GOOD.replace("- afo: ankle-foot orthosis", line)
    parsed = lexicon.parse(text, "lexicon/search-abbreviations.md")
    assert [str(p) for p in parsed.problems] == [
        f"lexicon/search-abbreviations.md:9: {p.message}" for p in parsed.problems
    ]
    assert len(parsed.problems) == 1
    assert message in parsed.problems[0].message


def test_missing_section_is_reported():
    parsed = lexicon.parse("# Abbreviations\n\n- cpap: continuous\n", "a.md")
    assert parsed.expansions == {}
    assert [(p.line, p.message) for p in parsed.problems] == [(1, "no '## abbreviations' section")]


def test_check_reports_lexicon_problems(make_kb, run_cli):
    root = make_kb(
        {
            "entries/01.md": "# Group\n\n" + entry_md("one", ["a question"]),
            "lexicon/search-abbreviations.md": GOOD.replace("- o2: oxygen", "- O2 oxygen"),
        }
    )
    result = run_cli("check", "--kb", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("search-abbreviations.md:8: not an abbreviation line: write "
                             "'- abbreviation: official words'")  # fmt: skip


def test_check_without_a_lexicon_is_fine(make_kb, run_cli):
    root = make_kb({"entries/01.md": "# Group\n\n" + entry_md("one", ["a question"])})
    result = run_cli("check", "--kb", str(root))
    assert result.returncode == 0, result.stdout
    assert "0 search abbreviations" in result.stdout


def test_check_of_the_builtin_knowledge_counts_the_abbreviations(run_cli):
    result = run_cli("check")
    assert result.returncode == 0
    assert f"{len(lexicon.load().expansions)} search abbreviations" in result.stdout
    diagnosis = lexicon.load(relative=lexicon.DIAGNOSIS_PATH).expansions
    assert f"{len(diagnosis)} diagnosis abbreviations, no problems" in result.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("cpap machine", ("continuous positive airway pressure machine", {"continuous", "positive", "airway", "pressure"})),
        ("O2 tank", ("oxygen tank", {"oxygen"})),
        ("wheelchair", None),
        ("afo", ("ankle-foot orthosis", {"ankle", "foot", "orthosis"})),
    ],
)  # fmt: skip
def test_expand(words, expected):
    got = lexicon.expand(words, lexicon.load().expansions)
    if expected is None:
        assert got is None
    else:
        assert (got[0], set(got[1])) == expected


# --- search ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    home = tmp_path_factory.mktemp("lexicon-fixture")
    import_file(fx.FIXTURE_PATH, home)
    data = open_data(home)
    yield data
    data.close()


def codes_for(data, words, **kw):
    return [r.code for r, _ in data.search(words, **kw)]


@pytest.mark.parametrize(
    ("words", "expected"),
    [("cpap", "E0601"), ("bipap", "E0470"), ("o2 concentrator", "E1390"), ("wheelchair", "K0001")],
)
def test_clerk_words_on_the_fixture(fixture_data, words, expected):
    assert expected in codes_for(fixture_data, words)[:3]


def test_without_abbreviations_bipap_is_weaker(fixture_data):
    with_list = dict((r.code, s) for r, s in fixture_data.search("bipap"))
    without = dict((r.code, s) for r, s in fixture_data.search("bipap", abbreviations={}))
    assert with_list["E0470"] > without.get("E0470", 0)
    assert "E0470" in with_list


@pytest.fixture(scope="module")
def real_data(real_hcpcs):
    _, home = real_hcpcs  # imported once per test process (conftest)
    data = open_data(home)
    yield data
    data.close()


@pytest.mark.parametrize(
    ("words", "first", "in_description"),
    [
        ("cpap", "E0601", "continuous positive airway pressure"),
        ("bipap", None, "bi-level"),
        ("tens", None, "transcutaneous electrical nerve stimulation"),
        ("o2", None, "oxygen"),
        ("dme", "E1399", "durable medical equipment"),
        ("wheelchair", None, "wheelchair"),
    ],
)
def test_clerk_words_on_the_real_file(real_data, words, first, in_description):
    import datetime

    hits = real_data.search(words, on=datetime.date(2026, 1, 1))
    assert hits, words
    assert hits[0][1] >= 70  # strong enough for the chat answers to show
    if first:
        assert hits[0][0].code == first
    assert in_description in hits[0][0].long_description.lower()


def test_every_expansion_is_wording_of_the_real_file(real_data):
    """Each abbreviation finds codes whose official descriptions hold all the words it stands
    for."""
    for word, words in lexicon.load().expansions.items():
        wanted = words.replace("-", " ").split()
        hits = real_data.search(word, limit=10)
        assert any(
            all(w in record.long_description.lower() for w in wanted) for record, _ in hits
        ), (word, words, [r.code for r, _ in hits])


@pytest.mark.parametrize(
    ("cue", "read"),
    [
        ("my health insurance", "my health insurance/payer"),
        ("is it recommended to administer/give", "is it recommended to administer/give/maintain"),
        ("my payer/insurance ... cover*", "my payer/insurance ... cover*"),  # already there
        ("^how much ... cost*", "^how much ... cost*"),  # no row: unchanged
    ],
)
def test_a_cue_also_names_what_the_words_table_reads_its_words_as(cue, read):
    from assistant.core.lexicon import _as_read

    words = {"insurance": ("payer",), "administer": ("maintain",), "icd10": ("icd", "10")}
    assert _as_read(cue, words) == read


def _check_with(make_kb, run_cli, files):
    """``check`` on a knowledge directory of one entry and the given files."""
    root = make_kb({"entries/01.md": "# Group\n\n" + entry_md("one", ["a question"]), **files})
    return run_cli("check", "--kb", str(root))


def test_check_reports_a_symbol_row_that_is_a_word(make_kb, run_cli):
    """A symbols row reads a printed mark as words; a row whose "symbol" is a word would
    rewrite ordinary text, so ``check`` refuses it."""
    table = "## symbols\n\n| Symbol | Reads as |\n|---|---|\n| ▲ | triangle |\n| ab | bee |\n"
    result = _check_with(make_kb, run_cli, {"lexicon/words.md": "# Words\n\n" + table})
    assert result.returncode == 1
    assert "a symbol row needs a symbol and the words it reads as" in result.stdout


def test_check_reports_a_prefix_row_that_is_no_prefix(make_kb, run_cli):
    """A prefixes row names one short English prefix; two words, or one said twice, are
    refused."""
    table = "## prefixes\n\n| Prefix |\n|---|\n| pre |\n| eye glass |\n| pre |\n"
    result = _check_with(make_kb, run_cli, {"lexicon/words.md": "# Words\n\n" + table})
    assert result.returncode == 1
    assert "a prefix row needs one word of 2-6 letters" in result.stdout
    assert "prefix 'pre' twice" in result.stdout


def test_check_reports_an_unknown_code_class_and_section(make_kb, run_cli):
    """The names of the classes a code may be asked to be in are knowledge; a class the
    engine cannot judge, or a CPT section the facts do not have, is reported at its line."""
    table = (
        "## code-classes\n\n| Class | Written as |\n|---|---|\n"
        "| level2 | level ii, level 2 |\n"
        "| level9 | level nine |\n"
        "| section:Dentistry | dental |\n"
        "| cpt | |\n"
    )
    result = _check_with(
        make_kb,
        run_cli,
        {
            "lexicon/code-classes.md": "# Code classes\n\n" + table,
            "facts/cpt.md": (ROOT / "knowledge" / "facts" / "cpt.md").read_text(),
        },
    )
    assert result.returncode == 1
    assert "unknown code class 'level9'" in result.stdout
    assert "no CPT section named 'Dentistry'" in result.stdout
    assert "code class 'cpt' without names" in result.stdout


def test_code_class_names_match_as_typed_with_spaces_hyphens_or_none():
    from assistant.core import kb, lexicon

    classes = dict((target, rx) for rx, target in lexicon.build(kb.load()).code_classes)
    for text in ("ICD-10-CM code", "icd10cm", "ICD 10 CM"):
        assert classes["icd"].match(text)
    for text in ("E/M code", "e / m", "E&M", "evaluation and management"):
        assert classes["section:Evaluation and Management"].match(text)
    assert not classes["level1"].match("level ii")  # not the start of "Level II"


@pytest.mark.parametrize(
    ("cue", "flat", "found"),
    [
        ("pay ... for$", "what does medicare pay chiropractors for", True),
        ("pay ... for$", "what does medicare pay chiropractors for | it is urgent", True),
        ("pay ... for$", "what does medicare pay for 99213", False),
        ("^what ... for$", "so | what is it for", True),
    ],
)
def test_a_trailing_dollar_sign_ends_a_cue_at_the_end_of_a_sentence(cue, flat, found):
    from assistant.core.lexicon import compile_cue

    assert bool(compile_cue(cue).search(flat)) is found


def test_a_phrase_may_read_as_nothing_but_not_as_an_empty_cell(make_kb, run_cli):
    table = (
        "## phrases\n\n| Written | Reads as |\n|---|---|\n"
        "| quick question | - |\n"
        "| in charge of | |\n"
    )
    result = _check_with(make_kb, run_cli, {"lexicon/phrases.md": "# Phrases\n\n" + table})
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "phrase row" in line]
    assert len(lines) == 1 and lines[0].endswith(
        "a phrase row needs two or more words and what they read as"
    )


def test_a_name_and_its_initials_name_a_concept_alike():
    """ "AWV" and "annual wellness visit" are one name said two ways; "IPPE" is none of it."""
    from assistant.core.answer import Assistant

    lexicon = Assistant.from_dir(None).lexicon

    def said(text: str) -> frozenset[str]:
        return frozenset(t.term for t in lexicon.terms(text))

    full, short = said("annual wellness visit"), said("AWV")
    assert lexicon.spelled_out("wellness-visit", short, full)
    assert lexicon.spelled_out("wellness-visit", full, short)
    assert not lexicon.spelled_out("wellness-visit", said("IPPE"), full)


@pytest.mark.parametrize(
    ("cue", "read"),
    [
        ("will i be responsible for", "will i be maintain"),  # a phrase inside a cue
        ("am i responsible for paying", "am i maintain paying"),
        ("responsible/liable for", "responsible/liable for"),  # alternatives: as written
        ("certification in medical coding", "certification in medical coding"),  # filler
        ("stand", "stand"),
    ],
)
def test_a_cue_is_read_with_the_phrases_table_as_questions_are(cue, read):
    by_first = {
        "responsible": [(("responsible", "for"), ("maintain",))],
        "in": [(("in", "medical", "coding"), ())],
    }
    from assistant.core.lexicon import _phrased

    assert _phrased(cue, by_first) == read
