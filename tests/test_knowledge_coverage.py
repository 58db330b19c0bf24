"""Topics billing staff ask about, each answered by a sourced, dated entry in our own words."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

from assistant.core import kb

NEW_TOPICS = [
    "drug-dose-rounding",
    "ndc-on-claims",
    "modifier-gx",
    "level2-code-types",
    "cpt-category-i-section-count",
    "em-visit-levels",
    "code-set-update-calendar",
    "preventive-and-problem-visit-same-day",
]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


@pytest.mark.parametrize("entry_id", NEW_TOPICS)
def test_topic_entry_is_short_sourced_and_dated(knowledge, entry_id):
    e = knowledge.by_id(entry_id)
    assert e is not None, entry_id
    assert len(e.questions) >= 4
    assert 2 <= len(sentences(e.answer)) <= 8, sentences(e.answer)
    assert e.sources and kb.is_iso_date(e.meta.get("as of", ""))


def _asked(assistant_, pattern: str) -> set[tuple[str, ...]]:
    """The test questions of the files matching ``pattern``, as the engine reads them."""
    asked = set()
    for path in sorted((ROOT / "tests" / "data").glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            question = record.get("q") or record.get("question") or ""
            asked.add(tuple(t.term for t in assistant_.lexicon.terms(question)))
    return asked


def test_topic_phrasings_are_not_the_test_questions(knowledge, assistant_):
    """The phrasings are written for the knowledge base, not copied from the question sets."""
    asked = _asked(assistant_, "questions*.jsonl")
    assert asked
    for entry_id in NEW_TOPICS:
        for q in knowledge.by_id(entry_id).questions:
            assert tuple(t.term for t in assistant_.lexicon.terms(q)) not in asked, (entry_id, q)


def test_no_phrasing_is_a_real_question(knowledge, assistant_):
    """The real questions measure understanding: none of them is a phrasing of any entry
    (short canonical questions such as "what are NCCI edits" can only be worded one way)."""
    asked = {key for key in _asked(assistant_, "real_questions*.jsonl") if len(key) >= 5}
    assert len(asked) >= 300
    for e in knowledge.entries:
        for q in e.questions:
            assert tuple(t.term for t in assistant_.lexicon.terms(q)) not in asked, (e.id, q)


def answer(knowledge, entry_id):
    return knowledge.by_id(entry_id).answer


def test_dose_rounding(knowledge):
    text = answer(knowledge, "drug-dose-rounding")
    assert "rounded **up**" in text and "`J1885`" in text and '"up to"' in text


def test_ndc_on_claims(knowledge):
    text = answer(knowledge, "ndc-on-claims")
    for needle in ("11 digits", "5-4-2", "`N4`", "24A", "2410", "`UN`", "`ML`", "`GR`", "`F2`"):
        assert needle in text, needle


def test_abn_modifiers_ga_gx_gy_gz(knowledge, facts):
    assert {"GA", "GX", "GY", "GZ"} <= set(facts.modifiers)
    text = answer(knowledge, "liability-modifiers-ga-gy-gz")
    for code in ("GA", "GX", "GY", "GZ"):
        assert f"- `{code}`:" in text, code
    assert "`GY`" in answer(knowledge, "modifier-gx")


def test_three_kinds_of_level2_codes(knowledge):
    text = answer(knowledge, "level2-code-types")
    for kind in (
        "Permanent national codes",
        "Temporary national codes",
        "not otherwise classified",
    ):
        assert kind in text, kind


def test_temporary_sections_and_for_whom(knowledge, facts):
    text = answer(knowledge, "temporary-hcpcs-codes")
    for letter in "CGHKQST":
        line = next((s for s in text.splitlines() if s.startswith(f"- `{letter}` (")), None)
        assert line is not None, letter
        assert facts.level2[letter].maintainer in line, (letter, line)


def test_cpt_category_i_has_six_sections(knowledge, facts):
    assert len(facts.cpt_sections) == 6
    assert "**six sections**" in answer(knowledge, "cpt-category-i-section-count")


def test_em_levels_as_staff_say_them(knowledge):
    text = answer(knowledge, "em-visit-levels")
    assert '"level 3 visit" is `99213`' in text
    assert "`99202` to `99205`" in text and "`99201` was deleted" in text
    # Levels in our own words: no CPT descriptor text
    assert "evaluation and management of an established patient" not in text.lower()


def test_update_calendar_of_each_code_set(knowledge):
    text = answer(knowledge, "code-set-update-calendar")
    for needle in ("**CPT**", "**January 1**", "**Category III**", "**PLA**", "**quarterly**"):
        assert needle in text, needle
    assert "**October 1**" in text and "**April 1**" in text and "**NDC**" in text


def test_preventive_and_problem_visit_same_day(knowledge):
    text = answer(knowledge, "preventive-and-problem-visit-same-day")
    assert "modifier `25`" in text and "`99396`" in text


# --- who maintains, and when it changes: in every entry about a code set or a section ---------

QUARTERLY = r"quarter"
AMA_YEARLY = r"January 1"
WHO_AND_WHEN = {
    "what-is-cpt": (r"\bAMA\b", AMA_YEARLY),
    "what-is-hcpcs": (r"\bCMS\b", QUARTERLY),
    "hcpcs-level-1": (r"\bAMA\b", AMA_YEARLY),
    "hcpcs-level-2": (r"\bCMS\b", QUARTERLY),
    "level2-maintainer": (r"\bCMS\b", QUARTERLY),
    "level2-code-types": (r"\bCMS\b", QUARTERLY),
    "level2-sections-overview": (r"\bCMS\b", QUARTERLY),
    "who-maintains-cpt": (r"\bAMA\b", AMA_YEARLY),
    "cpt-categories": (r"\bAMA\b", AMA_YEARLY),
    "cpt-category-i": (r"\bAMA\b|Editorial Panel", AMA_YEARLY),
    "cpt-category-ii": (r"\bAMA\b", AMA_YEARLY),
    "cpt-category-iii": (r"\bAMA\b", r"twice a year"),
    "cpt-pla-codes": (r"\bAMA\b", QUARTERLY),
    "cpt-maaa-codes": (r"\bAMA\b", r"several times a year"),
    "cpt-category-i-section-count": (r"\bAMA\b", AMA_YEARLY),
    "cpt-evaluation-and-management": (r"\bAMA\b", AMA_YEARLY),
    "cpt-anesthesia": (r"\bAMA\b", AMA_YEARLY),
    "cpt-surgery": (r"\bAMA\b", AMA_YEARLY),
    "cpt-radiology": (r"\bAMA\b", AMA_YEARLY),
    "cpt-pathology-and-laboratory": (r"\bAMA\b", AMA_YEARLY),
    "cpt-medicine": (r"\bAMA\b", AMA_YEARLY),
    "cpt-vs-hcpcs-modifiers": (r"\bAMA\b(?s:.*)\bCMS\b", QUARTERLY),
    "icd10cm-code-format": (r"National Center for Health Statistics|NCHS", r"October 1"),
    "icd10cm-vs-cpt-hcpcs": (r"\bNCHS\b", r"October 1"),
    "icd10-pcs": (r"\bCMS\b", r"October 1"),
    "cdt-dental-codes": (r"\bADA\b|American Dental Association", AMA_YEARLY),
    "ndc-code-format": (r"\bFDA\b", r"continuously"),
    "drg-not-a-code-set": (r"\bCMS\b", r"October 1"),
}
MAINTAINER_WORDS = {"CMS": r"\bCMS\b", "ADA": r"\bADA\b", "BCBSA and AHIP": r"BCBSA[^.]*AHIP"}


@pytest.mark.parametrize("letter", list("ABCDEGHJKLMPQRSTUV"))
def test_each_level2_section_entry_says_who_and_when(knowledge, facts, letter):
    """'Who assigns J codes?', 'when are G codes updated?': the letter's own entry answers."""
    text = answer(knowledge, f"level2-{letter.lower()}-codes")
    assert re.search(MAINTAINER_WORDS[facts.level2[letter].maintainer], text), letter
    when = AMA_YEARLY if letter == "D" else QUARTERLY
    assert re.search(when, text), letter


@pytest.mark.parametrize(("entry_id", "who", "when"), [(k, *v) for k, v in WHO_AND_WHEN.items()])
def test_each_code_set_entry_says_who_and_when(knowledge, entry_id, who, when):
    text = answer(knowledge, entry_id)
    assert re.search(who, text), (entry_id, who)
    assert re.search(when, text), (entry_id, when)
