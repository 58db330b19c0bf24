"""Claim codes (place of service, occurrence, revenue, group and reason codes ...) that a
question names are looked up in the claim-codes table, never given a meaning the table does not
hold, and answer "what does ... code N mean?" with their row first."""

from __future__ import annotations

import pytest
from conftest import entry_md, expect_problem, facts_problems, line_of

from assistant.core import claim_codes, kb
from assistant.core import facts as facts_module
from assistant.core.answer import Assistant

LISTS = """\
# Claim codes

## claim-code-lists

| List | Label | Names | Source | As of |
|---|---|---|---|---|
| place of service | Place of service code | place of service, pos | S | 2026-01-01 |
| occurrence | Occurrence code | occurrence code | S | 2026-01-01 |
| occurrence span | Occurrence span code | occurrence span code, span code | S | 2026-01-01 |
| revenue | Revenue code | revenue code | S | 2026-01-01 |
| type of bill | Type of bill | type of bill, tob | S | 2026-01-01 |
| claim adjustment group | Claim adjustment group code | group code | S | 2026-01-01 |
| claim adjustment reason | Claim adjustment reason code (CARC) | reason code, carc, denial code | S | 2026-01-01 |
| remittance advice remark | Remittance advice remark code (RARC) | rarc, remark code | S | 2026-01-01 |

## claim-codes

| List | Code | Meaning | Source | As of |
|---|---|---|---|---|
| place of service | 02 | Telehealth away from home | S | 2026-01-01 |
| place of service | 11 | Office | S | 2026-01-01 |
| occurrence | 32 | Date the patient was told of a likely denial | S | 2026-01-01 |
| occurrence span | 74 | Non-covered level of care | S | 2026-01-01 |
| revenue | 0636 | Drugs requiring detailed coding | S | 2026-01-01 |
| revenue | 045X | Emergency room | S | 2026-01-01 |
| type of bill | 013X | Hospital outpatient | S | 2026-01-01 |
| claim adjustment group | CO | Contractual obligation | S | 2026-01-01 |
| claim adjustment group | PR | Patient responsibility | S | 2026-01-01 |
| claim adjustment reason | 29 | Filing time limit expired | S | 2026-01-01 |
| claim adjustment reason | B9 | Patient enrolled in hospice | S | 2026-01-01 |
| remittance advice remark | M15 | Separately billed services were bundled | S | 2026-01-01 |
| remittance advice remark | MA04 | Secondary payment needs the primary payer's information | S | 2026-01-01 |
| remittance advice remark | N130 | Consult plan benefit documents | S | 2026-01-01 |
"""


@pytest.fixture(scope="module")
def table_facts(tmp_path_factory):
    root = tmp_path_factory.mktemp("claims")
    (root / "entries").mkdir()
    (root / "entries" / "01.md").write_text("# G\n\n" + entry_md("ok", ["q1"]), "utf-8")
    (root / "facts").mkdir()
    (root / "facts" / "claims.md").write_text(LISTS, "utf-8")
    return facts_module.build(kb.load(root))


def _found(text: str, facts: facts_module.Facts) -> list[tuple[str, str]]:
    return [(n.row.list, n.row.code) for n in claim_codes.named(text, facts)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What does occurrence code 32 mean?", [("occurrence", "32")]),
        ("What is a 32 occurrence code?", [("occurrence", "32")]),
        ("What is occurrence span code 74?", [("occurrence span", "74")]),
        ("What Does Place of Service 11 Code Mean?", [("place of service", "11")]),
        ("pos 2 or pos-11?", [("place of service", "02"), ("place of service", "11")]),
        ("What is revenue code 636?", [("revenue", "0636")]),
        ("revenue code 0451", [("revenue", "045X")]),
        ("Can a CAH bill type of bill 131?", [("type of bill", "013X")]),
        ("What is reason code B9?", [("claim adjustment reason", "B9")]),
        ("What is CARC 029?", [("claim adjustment reason", "29")]),
        (
            "What does denial code CO-29 indicate?",
            [("claim adjustment group", "CO"), ("claim adjustment reason", "29")],
        ),
        ("What does the denial code CO mean?", [("claim adjustment group", "CO")]),
        (
            "We got CO-29 on the remittance",
            [("claim adjustment group", "CO"), ("claim adjustment reason", "29")],
        ),
        # a code the table does not hold is no code of the list; words after a list's name
        # are no codes
        ("What is occurrence code 99?", []),
        ("What is place of service 57?", []),
        ("Which occurrence code is for an accident?", []),
        ("Where does the place of service go on the claim?", []),
        # a group and reason code in lower case only with a hyphen, glued, or beside words of
        # a denial or a remittance; a known group with a reason code the table does not hold is
        # still the group (the reason code is unlisted, below)
        ("co 29 patients", []),
        (
            "what does co-29 mean",
            [("claim adjustment group", "CO"), ("claim adjustment reason", "29")],
        ),
        ("What is co29?", [("claim adjustment group", "CO"), ("claim adjustment reason", "29")]),
        (
            "Why is my code denied with co 29?",
            [("claim adjustment group", "CO"), ("claim adjustment reason", "29")],
        ),
        ("CO 77 on the remittance", [("claim adjustment group", "CO")]),
        ("XY 29 on the remittance", []),
        ("modifier 32", []),
    ],
)
def test_codes_named_with_their_list_are_found_in_the_table(text, expected, table_facts):
    assert _found(text, table_facts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is occurrence code 99?", [("occurrence", "99")]),
        ("What is place of service 57?", [("place of service", "57")]),
        ("What does PR 187 mean?", [("claim adjustment reason", "187")]),
        ("What is denial code 300?", [("claim adjustment reason", "300")]),
        ("denial code 300 and denial code 300", [("claim adjustment reason", "300")]),
        # codes the table holds, words after a list's name, and a group code after a list's
        # name are not unlisted
        ("What is occurrence code 32?", []),
        ("What does denial code CO-29 indicate?", []),
        ("What does the denial code CO mean?", []),
        ("Which occurrence code is for an accident?", []),
        ("revenue code 0451", []),
        ("co 187 patients", []),
        ("XY 187", []),
    ],
)
def test_codes_the_table_does_not_hold_are_unlisted(text, expected, table_facts):
    found = claim_codes.unlisted(text, table_facts)
    assert [(u.list.name, u.written) for u in found] == expected


def test_an_unlisted_code_is_said_to_be_missing_never_given_a_meaning(table_facts):
    lead = claim_codes.lead(
        claim_codes.named("PR 187", table_facts), claim_codes.unlisted("PR 187", table_facts)
    )
    assert lead == (
        "Claim adjustment group code `PR`: Patient responsibility.\n\n"
        "Claim adjustment reason code (CARC) `187` is not in my table: it may be new, retired "
        "or mistyped, so check the current list (S)."
    )


def test_the_lead_says_each_code_and_its_meaning(table_facts):
    lead = claim_codes.lead(claim_codes.named("revenue code 0451 and POS 11", table_facts))
    assert lead == (
        "Revenue code `0451` is in the group `045X`: Emergency room.\n\n"
        "Place of service code `11`: Office."
    )


def test_without_the_tables_nothing_is_found():
    empty = facts_module.Facts((), {}, {}, {}, {})
    assert claim_codes.named("What is occurrence code 32?", empty) == ()


def test_the_lists_and_codes_are_checked(make_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = """\
# Claim codes

## claim-code-lists

| List | Label | Names | Source | As of |
|---|---|---|---|---|
| occurrence | Occurrence code | occurrence code | S | 2026-01-01 |
| condition | | condition code | S | 2026-01-01 |
| value | Value code | value code, occurrence code | S | 2026-01-01 |

## claim-codes

| List | Code | Meaning | Source | As of |
|---|---|---|---|---|
| occurrence | 32 | Told of a likely denial | S | 2026-01-01 |
| occurrence | 32 | Again | S | 2026-01-01 |
| remark | N130 | Consult plan benefit documents | S | 2026-01-01 |
| occurrence | 1 2 | Two codes in one cell | S | 2026-01-01 |
| occurrence | 40 | | S | 2026-01-01 |
"""
    problems, path, shown = facts_problems(make_kb, text)
    expect_problem(problems, shown, line_of(path, "| condition |"), r"needs a label and names")
    expect_problem(problems, shown, line_of(path, "| value |"), r"also names 'occurrence'")
    expect_problem(problems, shown, line_of(path, "| Again |"), r"occurrence code 32 twice")
    expect_problem(problems, shown, line_of(path, "| N130 |"), r"'remark' is not in")
    expect_problem(problems, shown, line_of(path, "| 1 2 |"), r"is not one to five letters")
    expect_problem(problems, shown, line_of(path, "| 40 |"), r"without a meaning")
    assert len(problems) == 6, problems


# The built-in table: the codes people ask about most, as CMS and X12 define them.
@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("What is POS 11?", r"^Place of service code `11`: Office"),
        ("What does place of service 22 mean?", r"^Place of service code `22`: On[- ]campus"),
        ("What is revenue code 636?", r"^Revenue code `0636`: .*detailed coding"),
        ("What does denial code CO-29 mean?", r"`CO`: .*[Cc]ontractual.*\n\n.*`29`: .*time limit"),
        ("What is reason code B9?", r"`B9`: .*hospice"),
        # a list's name mistyped, as the reading spells it
        ("What is a 40 occurence code?", r"^Occurrence code `40`: .*admission"),
        ("what is place of sevice 23", r"^Place of service code `23`: Emergency room"),
        # a remark code written alone, read as if its list's name came before it
        ("What does N565 mean?", r"^Remittance advice remark code \(RARC\) `N565`: "),
        ("MA04", r"^Remittance advice remark code \(RARC\) `MA04`: .*primary payer"),
        # also read as the diagnosis code N13.0, but the text speaks of a denial
        ("N130 denial", r"^Remittance advice remark code \(RARC\) `N130`: .*benefit"),
        # why a claim got a code: the code's meaning is the first part of the reason
        ("Why did the claim get a CO-18?", r"`CO`: .*[Cc]ontractual.*\n\n.*`18`: .*[Dd]uplicate"),
    ],
)
def test_the_built_in_table_leads_what_a_claim_code_means(question, lead, assistant_):
    import re

    answer = assistant_.answer(question)
    assert answer.kind == "answer"
    assert answer.confidence == "high"
    assert re.search(lead, answer.markdown), answer.markdown[:300]


@pytest.mark.parametrize(
    "question",
    [
        "Is POS 24 a facility or non facility place of service?",  # a yes/no: its entry
        "How much does Medicare pay for POS 11 visits?",  # fees: out of scope
    ],
)
def test_other_questions_about_a_claim_code_are_not_only_its_meaning(question, assistant_):
    answer = assistant_.answer(question)
    assert not answer.markdown.startswith("Place of service code `")


def test_the_engine_answers_from_the_claim_code_rows_alone_when_no_entry_fits(make_kb):
    root = make_kb(
        {"entries/01.md": "# G\n\n" + entry_md("bells", ["what is a bell"]), "facts/c.md": LISTS}
    )
    # (a knowledge base without the intents table: a question of a few words asks the meaning)
    answer = Assistant.from_dir(root).answer("occurrence code 32?")
    assert answer.lead == "Occurrence code `32`: Date the patient was told of a likely denial."
    assert answer.confidence == "high"
    assert answer.entry_id is None
    assert answer.sources == ("S",)


def test_a_code_the_table_does_not_hold_gets_an_uncertain_answer_that_says_so(make_kb):
    root = make_kb(
        {"entries/01.md": "# G\n\n" + entry_md("bells", ["what is a bell"]), "facts/c.md": LISTS}
    )
    answer = Assistant.from_dir(root).answer("occurrence code 99?")
    assert answer.kind == "answer"
    assert answer.lead.startswith("Occurrence code `99` is not in my table")
    assert answer.confidence == "uncertain"
    assert answer.sources == ("S",)


@pytest.mark.parametrize(
    ("text", "named", "missing"),
    [
        ("What does N130 mean?", ["N130"], []),
        ("ma04", ["MA04"], []),
        ("what is MA99", [], ["MA99"]),  # an MA code is a remark code, held or not
        # an N code of three digits the table does not hold is missing, unless the caller
        # finds a diagnosis code in it ("N390" is N39.0)
        ("N999", [], ["N999"]),
        ("M15", [], []),  # two digits: an ICD-10-CM category too
        ("M15 denial", ["M15"], []),  # unless the text names a list or a denial
        ("N13.0", [], []),  # a diagnosis code as written
        ("C9130", [], []),  # part of another code
    ],
)
def test_remark_codes_written_alone_are_found_as_bare(text, named, missing, table_facts):
    found, unlisted = claim_codes.scan(text, table_facts, bare=True)
    assert [n.written for n in found if n.bare] == named
    assert [u.written for u in unlisted if u.bare] == missing


def test_a_code_written_alone_is_given_its_lists_name(table_facts):
    (remarks,) = [c for c in table_facts.claim_lists if c.name == claim_codes.REMARKS]
    said = claim_codes.with_list_name("Got N130 and n130 again", "N130", remarks)
    assert said == "Got remark code N130 and remark code n130 again"


def test_an_ma_remark_code_written_alone_that_the_table_does_not_hold_is_missing(assistant_):
    answer = assistant_.answer("what is MA99")
    assert answer.kind == "answer"
    assert answer.markdown.startswith(
        "Remittance advice remark code (RARC) `MA99` is not in my table"
    ), answer.markdown[:300]


def test_a_remark_code_that_is_a_diagnosis_code_too_is_the_diagnosis_code_alone(assistant_):
    answer = assistant_.answer("N130")
    assert answer.kind == "code"
    assert answer.codes[0].code == "N13.0"
    assert not answer.markdown.startswith("Remittance advice remark code")


@pytest.mark.parametrize("question", ["What does N386 stand for?", "what is n999"])
def test_an_m_or_n_code_that_is_no_diagnosis_code_is_a_missing_remark_code(assistant_, question):
    # (no N38.6 or N99.9 in ICD-10-CM: the code read alone is a remark code, said missing)
    answer = assistant_.answer(question)
    assert answer.kind == "answer"
    assert answer.markdown.startswith("Remittance advice remark code (RARC)"), answer.markdown[:200]
    assert " is not in my table" in answer.markdown.split("\n")[0]


def test_an_m_or_n_code_that_is_a_diagnosis_code_not_in_the_table_stays_a_diagnosis(assistant_):
    answer = assistant_.answer("What does N390 mean?")
    assert answer.kind == "code"
    assert answer.codes[0].code == "N39.0"
    assert "remark code" not in answer.markdown.split("\n")[0].lower()


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # beside "group codes", or in a question about a denial, two capitals that are a group
        # code are the group code
        (
            'The 835 lists the group codes. "PR" and "CO" say who owes the amount.',
            {"PR", "CO"},
        ),
        ("Claims with denied status were sent w/CO for invalid name. Is CO appropriate?", {"CO"}),
        # where "modifier" is said, or nothing of a remittance, they stay what they are
        ("What does modifier CO mean on a therapy claim that was denied?", set()),
        ("CO", set()),
    ],
)
def test_group_codes_written_alone_beside_their_words(text, groups, table_facts):
    assert claim_codes.group_codes_alone(text, table_facts) == groups


def test_a_group_code_beside_group_codes_gets_no_modifier_card(assistant_):
    reply = assistant_.answer("What do the group codes PI and CO mean on the 835?")
    assert not any(c.code == "CO" for c in reply.codes)
    assert assistant_.answer("What does modifier CO mean?").codes[0].code == "CO"
