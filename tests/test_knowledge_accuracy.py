"""Facts a certified coder checked in the knowledge base: each test here failed on an earlier,
wrong text (a range, a maintainer, an example code or a claim), so the error cannot come back.
"""

from __future__ import annotations

import re

import pytest
from conftest import entry_md

from assistant.codes import classify as codes
from assistant.core import facts as facts_module
from assistant.core import kb


def answer(knowledge, entry_id: str) -> str:
    entry = knowledge.by_id(entry_id)
    assert entry is not None, entry_id
    return entry.answer


def sentences(text: str) -> list[str]:
    """Sentences of an answer (list items and table rows count as sentences)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


def all_text(knowledge):
    """(where, text) of every answer and every facts-table row."""
    for e in knowledge.entries:
        yield e.id, e.answer
    for table in knowledge.tables.values():
        for row in table.rows:
            yield table.id, " | ".join(row)


# --- CPT sections: a section owns several ranges (E/M and Anesthesia codes among the 99000s) --


@pytest.mark.parametrize(
    ("code", "section", "span"),
    [
        ("99091", "Evaluation and Management", "99091"),
        ("98000", "Evaluation and Management", "98000-98016"),
        ("98016", "Evaluation and Management", "98000-98016"),
        ("99213", "Evaluation and Management", "99202-99499"),
        ("99100", "Anesthesia", "99100-99140"),
        ("99140", "Anesthesia", "99100-99140"),
        ("00100", "Anesthesia", "00100-01999"),
        ("99500", "Medicine", "99500-99607"),
        ("90471", "Medicine", "90281-97999"),
        ("97999", "Medicine", "90281-97999"),
        ("98017", "Medicine", "98017-99090"),
        ("98975", "Medicine", "98017-99090"),
        ("99090", "Medicine", "98017-99090"),
        ("99092", "Medicine", "99092-99099"),
        ("99141", "Medicine", "99141-99199"),
        ("99152", "Medicine", "99141-99199"),
    ],
)
def test_cpt_codes_outside_their_sections_main_range(facts, code, section, span):
    info = codes.classify(code, facts)
    assert (info.system, info.category, info.section, info.range) == (
        "CPT",
        "Category I",
        section,
        span,
    )


def test_cpt_sections_cover_one_contiguous_block_without_overlap(facts):
    """From 90281 to 99607 every number belongs to exactly one section (E/M, Anesthesia or
    Medicine), so no number in that block is left unclassified or classified twice."""
    for n in range(90281, 99608):
        if n in (99200, 99201):  # between Medicine's 99199 and E/M's 99202: no code
            continue
        owners = [s.name for s in facts.cpt_sections if s.span_of(n)]
        assert len(owners) == 1, (n, owners)


def test_entries_place_the_codes_outside_the_main_ranges(knowledge):
    em = answer(knowledge, "cpt-evaluation-and-management")
    assert "98000-98016" in em and "99091" in em
    anesthesia = answer(knowledge, "cpt-anesthesia")
    assert "99100-99140" in anesthesia
    for where, text in all_text(knowledge):
        for s in sentences(text):
            assert not re.search(r"qualifying.circumstance[^.]*Medicine section", s), (where, s)
            assert not re.search(r"Medicine section has two ranges", s), (where, s)
            assert not re.search(r"Medicine is split around them \(`90281-99199`", s), (where, s)


FACTS_HEAD = (
    "# Facts\n\n## cpt-sections\n\n| Section | Range | Source | As of |\n|---|---|---|---|\n"
)


def cpt_facts_problems(make_kb, rows: str) -> list[str]:
    root = make_kb(
        {
            "entries/01.md": "# G\n\n" + entry_md("ok", ["q1"]),
            "facts/f.md": FACTS_HEAD + rows,
        }
    )
    return [p.message for p in facts_module.check(kb.load(root))]


def test_a_section_may_own_several_ranges_and_single_codes(make_kb):
    rows = (
        "| Evaluation and Management | `98000-98016`, `99091`, `99202-99499` | AMA | 2026-01-01 |\n"
        "| Anesthesia | `00100-01999`, `99100-99140` | AMA | 2026-01-01 |\n"
        "| Medicine | `90281-97999`, `98017-99090`, `99092-99099`, `99141-99199` | AMA | 2026-01-01 |\n"
    )
    assert cpt_facts_problems(make_kb, rows) == []


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "| Evaluation and Management | `99091`, `99202-99499` | AMA | 2026-01-01 |\n"
            "| Medicine | `90281-99199` | AMA | 2026-01-01 |\n",
            "CPT range 90281-99199 of 'Medicine' overlaps 99091 of 'Evaluation and Management'",
        ),
        (
            "| Anesthesia | `00100-01999`, `99100-99140` | AMA | 2026-01-01 |\n"
            "| Medicine | `99500-99607`, `99135-99139` | AMA | 2026-01-01 |\n",
            "CPT range 99135-99139 of 'Medicine' overlaps 99100-99140 of 'Anesthesia'",
        ),
        (
            "| Medicine | `90281-97999`, `97000-98000` | AMA | 2026-01-01 |\n",
            "CPT range 97000-98000 of 'Medicine' overlaps 90281-97999 of 'Medicine'",
        ),
        (
            "| Medicine | `90281-97999` | AMA | 2026-01-01 |\n"
            "| Medicine | `99500-99607` | AMA | 2026-01-01 |\n",
            "CPT section 'Medicine' twice",
        ),
        (
            "| Evaluation and Management | `99091-`, `99202-99499` | AMA | 2026-01-01 |\n",
            "is not written as 00000-00000",
        ),
    ],
)
def test_real_overlaps_are_still_reported(make_kb, rows, message):
    problems = cpt_facts_problems(make_kb, rows)
    assert len(problems) == 1 and message in problems[0], problems


# --- CPT families: inside one section, never overlapping ------------------------------------

SECTIONS = (
    "| Evaluation and Management | `99202-99499` | AMA | 2026-01-01 |\n"
    "| Medicine | `90281-97999` | AMA | 2026-01-01 |\n"
)
FAMILIES_HEAD = "\n## cpt-families\n\n| Family | Range | Source | As of |\n|---|---|---|---|\n"


@pytest.mark.parametrize(
    ("families", "message"),
    [
        (
            "| Office visits, established | `99211-99215` | AMA | 2026-01-01 |\n"
            "| Office visits, all | `99202-99215` | AMA | 2026-01-01 |\n",
            "CPT range 99202-99215 of 'Office visits, all' overlaps 99211-99215",
        ),
        (
            "| Straddling | `97990-99210` | AMA | 2026-01-01 |\n",
            "CPT family 'Straddling': 97990-99210 is not inside one section's range",
        ),
        (
            "| Nowhere | `00100-00222` | AMA | 2026-01-01 |\n",
            "CPT family 'Nowhere': 00100-00222 is not inside one section's range",
        ),
    ],
)
def test_cpt_family_problems_are_reported(make_kb, families, message):
    problems = cpt_facts_problems(make_kb, SECTIONS + FAMILIES_HEAD + families)
    assert len(problems) == 1 and message in problems[0], problems


def test_families_inside_their_sections_have_no_problems(make_kb):
    families = (
        "| Office visits, new | `99202-99205` | AMA | 2026-01-01 |\n"
        "| Visits, established | `99211-99215`, `99231-99233` | AMA | 2026-01-01 |\n"
    )
    assert cpt_facts_problems(make_kb, SECTIONS + FAMILIES_HEAD + families) == []


@pytest.mark.parametrize(
    ("code", "family", "span"),
    [
        ("99213", "Office or other outpatient visits, established patient", "99211-99215"),
        ("99204", "Office or other outpatient visits, new patient", "99202-99205"),
        ("99285", "Emergency department visits", "99281-99285"),
        ("90471", "Immunization administration for vaccines and toxoids", "90460-90474"),
        ("99451", "Interprofessional telephone", "99451-99452"),
        ("01967", "Anesthesia for obstetric procedures", "01958-01969"),
        ("71046", "Diagnostic radiology", "70010-76499"),
    ],
)
def test_a_cpt_card_names_the_family_of_its_code(code, family, span):
    from assistant.codes import cards, classify
    from assistant.core.answer import default_assistant

    info = classify.classify(code, default_assistant().facts)
    assert info.family is not None and info.family[0].startswith(family) and info.family[1] == span
    card = cards.card(info)
    assert f"| **Family** | {family}" in card and f"`{span}`" in card


def test_a_number_between_families_has_no_family():
    from assistant.codes import classify
    from assistant.core.answer import default_assistant

    info = classify.classify("99450", default_assistant().facts)  # disability evaluation
    assert info.family is not None and info.family[1] == "99450"
    assert classify.classify("99240", default_assistant().facts).family is None  # a gap


# --- which CPT codes are paid: not only five-digit ones ----------------------------------------


def test_no_claim_that_only_five_digit_codes_are_paid(knowledge):
    """PLA codes are paid like other lab tests and many Category III codes are paid; only
    Category II codes never are."""
    for where, text in all_text(knowledge):
        for s in sentences(text):
            if re.search(r"\b(bill(ed)?|paid) for payment\b", s, re.I):
                assert not re.search(r"five digits|Category I\b", s), (where, s)


@pytest.mark.parametrize("entry_id", ["what-is-cpt", "hcpcs-level-1", "cpt-categories"])
def test_entries_on_cpt_say_which_codes_are_paid(knowledge, entry_id):
    text = answer(knowledge, entry_id)
    assert re.search(r"PLA[^.]*\b(paid|payment)", text), text
    assert re.search(r"Category III[^.]*\b(paid|payment)", text), text
    assert re.search(r"Category II\b[^.]*never paid", text), text


# --- example codes: current, and dated --------------------------------------------------------

DELETED_EXAMPLES = {"0042T"}  # CT cerebral perfusion: deleted, replaced by Category I codes


def test_no_deleted_code_is_used_as_an_example(knowledge):
    for where, text in all_text(knowledge):
        for code in DELETED_EXAMPLES:
            assert code not in text, (where, code)


def test_category_iii_examples_are_the_dated_fact_and_say_when(knowledge):
    """A Category III code is archived after five years: the only one the answers name is the
    facts table's example, which carries an As of date, and each sentence naming it says that
    it was current in that CPT edition."""
    rows = {r["category"]: r for r in knowledge.tables["cpt-categories"].records()}
    row = rows["Category III"]
    example = row["example"].strip("`")
    assert re.fullmatch(r"\d{4}T", example)
    assert kb.is_iso_date(row["as of"])
    year = row["as of"][:4]
    named = 0
    for e in knowledge.entries:
        for s in sentences(e.answer):
            for code in re.findall(r"\b\d{4}T\b", s):
                assert code == example, (e.id, s)
                # a table row shows no date column: the answer says it beside the table
                dated = e.answer if s.startswith("|") else s
                assert re.search(rf"current as of CPT {year}", dated), (e.id, s)
                named += 1
    assert named >= 3


# --- global surgery periods ---------------------------------------------------------------------


def test_global_periods_are_not_only_0_10_or_90_days(knowledge):
    """Add-on codes are ZZZ (the knowledge base's own add-on entry says so), some codes XXX or
    YYY: no answer may say every procedure gets 0, 10 or 90 days."""
    for where, text in all_text(knowledge):
        for s in sentences(text):
            if re.search(r"global period[^.]*\b0, 10 or 90\b", s):
                assert "ZZZ" in s and "XXX" in s, (where, s)
    surgery = answer(knowledge, "cpt-surgery")
    for indicator in ("000", "010", "090", "XXX", "YYY", "ZZZ"):
        assert f"`{indicator}`" in surgery, indicator
    assert "ZZZ" in answer(knowledge, "cpt-add-on-codes")


# --- who maintains the Level II sections -------------------------------------------------------


def test_s_codes_are_maintained_by_bcbsa_and_ahip(facts):
    assert facts.level2["S"].maintainer == "BCBSA and AHIP"
    assert facts.level2["D"].maintainer == "ADA"
    others = {letter for letter, s in facts.level2.items() if s.maintainer == "CMS"}
    assert others == set(facts.level2) - {"S", "D"}
    assert codes.classify("S9083", facts).maintainer == "BCBSA and AHIP"


def test_no_answer_says_cms_maintains_every_section_but_d(knowledge):
    for where, text in all_text(knowledge):
        for s in sentences(text):
            assert not re.search(r"CMS maintains every (Level II )?section except", s), (where, s)
    for entry_id in ("level2-s-codes", "level2-sections-overview", "level2-maintainer"):
        text = answer(knowledge, entry_id)
        assert "BCBSA" in text and "AHIP" in text, entry_id


# --- ICD-10-PCS codes whose second and third characters are digits ---------------------------


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("B2111ZZ", "Imaging"),
        ("C2111ZZ", "Nuclear Medicine"),
        ("D0Y0CZZ", "Radiation Therapy"),
        ("F0201ZZ", "Physical Rehabilitation and Diagnostic Audiology"),
    ],
)
def test_icd10pcs_with_digits_after_the_section_is_not_read_as_icd10cm(facts, code, section):
    info = codes.classify(code, facts)
    assert (info.code, info.system, info.section, info.maintainer) == (
        code,
        "ICD-10-PCS",
        section,
        "CMS",
    )


def test_a_real_seven_character_icd10cm_code_stays_icd10cm(facts):
    info = codes.classify("H401131", facts)
    assert (info.code, info.system, info.known) == ("H40.1131", "ICD-10-CM", True)


def test_pcs_code_in_a_question_is_classified_as_pcs(assistant_):
    result = assistant_.answer("what is B2111ZZ")
    assert [(c.code, c.system) for c in result.codes] == [("B2111ZZ", "ICD-10-PCS")]


# --- questionable claims made precise ----------------------------------------------------------


def test_v_section_includes_speech_language_pathology(facts, knowledge):
    assert "speech-language pathology" in facts.level2["V"].name
    text = answer(knowledge, "level2-v-codes")
    assert "speech-language pathology" in text and "V5362" in text


def test_pla_codes_may_be_licensed_to_several_labs(knowledge, facts):
    row = next(r for r in knowledge.tables["cpt-categories"].records() if r["category"] == "PLA")
    for text in (row["what it is for"], answer(knowledge, "cpt-pla-codes")):
        assert re.search(r"licensed[^.]*several lab", text), text
    note = codes.classify("0001U", facts).notes[0]
    assert "several" in note and "single laboratory or manufacturer" not in note


def test_cpt_modifiers_are_not_only_two_digits(knowledge, facts):
    for where, text in all_text(knowledge):
        for s in sentences(text):
            assert not re.search(r"CPT (\(Level I\) )?modifiers\*{0,2} are two digits", s), (
                where,
                s,
            )
    for entry_id in ("what-are-modifiers", "cpt-vs-hcpcs-modifiers"):
        text = answer(knowledge, entry_id)
        assert "1P" in text and "P1" in text, entry_id
    assert not any("CPT modifiers are two digits" in n for n in codes.classify("25", facts).notes)


def test_three_character_icd10cm_codes_have_no_dot(knowledge):
    for where, text in all_text(knowledge):
        for s in sentences(text):
            if "`I10`" in s and re.search(r"\bdot\b", s):
                assert re.search(r"no dot|has none|but `I10`", s), (where, s)
    assert "`I10` has no dot" in answer(knowledge, "icd10cm-code-format")


def test_only_terminated_codes_have_a_termination_date(knowledge):
    for where, text in all_text(knowledge):
        for s in sentences(text):
            assert not re.search(r"\b(each|every) code has a termination date", s), (where, s)
    assert "an active code has none" in answer(knowledge, "deleted-codes")


def test_hipaa_names_icd10pcs_for_inpatient_hospital_procedures(knowledge):
    text = answer(knowledge, "hipaa-code-sets")
    assert re.search(r"hospital inpatients[^.]*ICD-10-PCS", text), text
    listing = answer(knowledge, "hipaa-standard-code-sets-list")
    assert re.search(r"ICD-10-PCS[^.]*hospital inpatients", listing), listing


# --- found in a full review of the entries ---------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (
            r"(?<!nearly )\ball power wheelchairs are\b",
            "E1239 is a (pediatric) power wheelchair E code",
        ),
        (r"CPT modifier is a separate two-digit", "CPT also has 1P-8P and P1-P6"),
        (r"annual Alpha-Numeric HCPCS file", "CMS posts the complete file every quarter"),
        (r"published as the\s+full Alpha-Numeric", "CMS posts the complete file every quarter"),
        (r"\(vision and hearing\) section", "V also holds speech-language pathology codes"),
        (r"\bC, G, K, Q, S and T\b", "H codes are temporary national codes too"),
    ],
)
def test_review_findings_stay_fixed(knowledge, pattern, why):
    for where, text in all_text(knowledge):
        assert not re.search(pattern, text), (where, why)


def test_nearly_all_power_wheelchairs_are_k_codes(knowledge):
    assert "`E1239`" in answer(knowledge, "wheelchair-codes")


# --- CPT codes deleted that people still ask about ------------------------------------------

DELETED_HEAD = (
    "\n## cpt-deleted\n\n| Codes | Deleted on | Report instead | Source | As of |\n"
    "|---|---|---|---|---|\n"
)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "| `99201` | 2021-13-01 | new patient visits `99202-99205` | AMA | 2026-01-01 |\n",
            "deletion date '2021-13-01' is not YYYY-MM-DD",
        ),
        (
            "| `99217-99220` | 2023-01-01 | hospital care | AMA | 2026-01-01 |\n"
            "| `99219` | 2023-01-01 | hospital care | AMA | 2026-01-01 |\n",
            "deleted CPT codes 99219 also at line",
        ),
        ("| `9920` | 2021-01-01 | visits | AMA | 2026-01-01 |\n", "are not written as"),
        ("| `99201` | 2021-01-01 | | AMA | 2026-01-01 |\n", "say what is reported instead"),
    ],
)
def test_deleted_cpt_code_problems_are_reported(make_kb, rows, message):
    problems = cpt_facts_problems(make_kb, SECTIONS + DELETED_HEAD + rows)
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize(
    ("code", "section", "last", "instead"),
    [
        # below E/M's range today: a CPT code still, with no section
        ("99201", None, "2020-12-31", "99202-99205"),
        # inside E/M's range: its section kept
        ("99241", "Evaluation and Management", "2022-12-31", "99242-99245"),
        ("99443", "Evaluation and Management", "2024-12-31", "98008-98015"),
    ],
)
def test_a_deleted_cpt_code_says_when_it_ended_and_what_is_used_now(code, section, last, instead):
    from assistant.codes import cards, classify
    from assistant.core.answer import default_assistant

    info = classify.classify(code, default_assistant().facts)
    assert (info.system, info.category, info.section) == ("CPT", "Category I", section)
    assert (info.status, info.termination_date, info.known) == ("terminated", last, None)
    assert any(n.startswith("Deleted from CPT on") and instead in n for n in info.notes)
    card = cards.card(info)
    assert f"deleted from CPT: last valid on {last}" in card
    assert "CMS file" not in card  # the CMS file says nothing about CPT codes


def test_a_code_not_listed_as_deleted_is_not_called_deleted():
    from assistant.codes import classify
    from assistant.core.answer import default_assistant

    facts = default_assistant().facts
    assert classify.classify("99202", facts).status is None
    assert classify.classify("99200", facts).system == "unknown"  # never a code


def test_asked_whether_a_deleted_cpt_code_is_valid_the_answer_is_no_and_when():
    from assistant.core.answer import default_assistant

    reply = default_assistant().answer("can we still bill 99201?")
    assert reply.markdown.startswith(
        "No: `99201` was deleted from CPT on 2021-01-01 (its last valid date was 2020-12-31)"
    ), reply.markdown[:120]
    assert any("CPT 2021" in s for s in reply.sources)
