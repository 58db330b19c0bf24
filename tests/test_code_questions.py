"""What a question asks about its codes (``code_questions.lead``): units from the official
description, billable / valid / terminated from the data, "is 99500 an E/M code?", and where
payer-policy questions are decided."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from assistant.codes import classify as codes
from assistant.codes import icd_index
from assistant.codes import questions as code_questions
from assistant.codes.hcpcs.records import CodeRecord
from assistant.core import kb, lexicon
from assistant.core.answer import Assistant

CMS_ZIP = ROOT.parent / "shared" / "data" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip"

# Official long descriptions, as in the CMS January 2026 file (public domain).
DESCRIPTIONS = {
    "J3301": "Injection, triamcinolone acetonide, not otherwise specified, 10 mg",
    "J2270": "Injection, morphine sulfate, up to 10 mg",
    "J3420": "Injection, vitamin b-12 cyanocobalamin, up to 1000 mcg",
    "J1815": "Injection, insulin, per 5 units",
    "J0696": "Injection, ceftriaxone sodium, per 250 mg",
    "J7050": "Infusion, normal saline solution, 250 cc",
    "J1745": "Injection, infliximab, excludes biosimilar, 10 mg",
    "A4253": "Blood glucose test or reagent strips for home blood glucose monitor, per 50 strips",
    "E0601": "Continuous positive airway pressure (cpap) device",
    "C9089": "Bupivacaine, collagen-matrix implant, 1 mg",
}
TERMINATED = {"C9089": dt.date(2025, 12, 31)}


class FakeData:
    release = "January 2026 (test)"

    def code(self, code):
        if code not in DESCRIPTIONS:
            return None
        return CodeRecord(
            code, "", DESCRIPTIONS[code], dt.date(2000, 1, 1), TERMINATED.get(code), False
        )

    def modifier(self, code):
        if code == "GX":
            text = "Notice of liability issued, voluntary under payer policy"
            return CodeRecord(code, "", text, dt.date(2010, 4, 1), None, True)
        return None

    def nearest(self, code, limit=5):
        return []

    def check(self):
        pass

    def close(self):
        pass

    def search(self, words, limit=8):
        return []


DATA = FakeData()


_CLASSES = lexicon.build(kb.load()).code_classes


def lead(question: str, facts, data=DATA) -> str | None:
    found = codes.detect(question, facts, lambda m: data is not None and data.modifier(m))
    infos = [codes.classify(f.text, facts, data, f.shape) for f in found]
    return code_questions.lead(question, infos, data.release if data else None, facts, _CLASSES)


# --- units -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("J3301, 40 mg given, how many units?", ["**4 units** of `J3301`", "40 mg ÷ 10 mg = 4"]),
        ("J3301 45 mg how many units", ["**5 units**", "= 4.5, rounded up to 5"]),
        ("J3301 5 mg given, units?", ["**1 unit**", "less than one unit"]),
        ("how many units of j3301 for 120mg", ["**12 units**"]),
        ("J2270 15 mg how many units", ["**2 units**", "per unit of up to 10 mg"]),
        ("J3420 2 mg given, how many units", ["**2 units**", "2 mg (2,000 mcg) ÷ 1,000 mcg"]),
        ("J3420 500 mcg how many units", ["**1 unit**"]),
        ("J1815 insulin 12 units, how many units do I bill", ["**3 units**", "per 5 units"]),
        ("J0696 1 g given, how many units", ["**4 units**", "1 g (1,000 mg) ÷ 250 mg = 4"]),
        ("J7050 1000 ml, how many units?", ["**4 units**"]),
        ("A4253 100 strips how many units", ["**2 units**", "per 50 strips"]),
        ("the vial is 40 mg but we gave 20 mg of J3301, how many units", ["**2 units**"]),
    ],
)
def test_units_from_the_official_description(facts, question, expected):
    text = lead(question, facts)
    assert text is not None
    for part in expected:
        assert part in text
    assert "round up to the next whole unit" in text
    assert "Medicare Claims Processing Manual, chapter 17, section 10" in text


def test_units_without_a_dose_in_the_question_state_the_unit(facts):
    text = lead("how many units is J3301", facts)
    assert text.startswith("`J3301` is billed per 10 mg")
    assert "one unit for each 10 mg" in text
    assert "**" not in text  # no number of units invented


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Is J3301 per 10 mg?", "Yes: one unit of `J3301` is 10 mg"),
        ("is J3301 billed per 40 mg", "No: one unit of `J3301` is 10 mg, not 40 mg"),
        ("Is J0696 per 1 g?", "No: one unit of `J0696` is 250 mg, not 1 g"),
        ("Is J2270 per 10 mg?", "Yes: one unit of `J2270` covers up to 10 mg"),  # "up to"
        ("Is J2270 per 20 mg?", "No: one unit of `J2270` covers up to 10 mg, not 20 mg"),
    ],
)
def test_a_yes_no_question_on_the_amount_of_one_unit(facts, question, first):
    text = lead(question, facts)
    assert text is not None and text.startswith(first), text


@pytest.mark.parametrize("question", ["Is J3301 per mL?", "J3301 per 10 mg", "Is 99213 per visit?"])
def test_no_per_unit_answer_without_a_yes_no_question_on_a_known_unit(facts, question):
    text = lead(question, facts) or ""
    assert not text.startswith(("Yes: one unit", "No: one unit"))


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Is J0585 Botox?", "Yes: `J0585` is OnabotulinumtoxinA (Botox), billed per 1 unit"),
        ("is j3301 kenalog", "Yes: `J3301` is Triamcinolone acetonide (Kenalog)"),
        ("Is J1100 Kenalog?", "No: `J1100` is Dexamethasone sodium phosphate (Decadron); "),
        (
            "Is J2550 Phenergan?",
            "Yes: `J2550` is Promethazine (Phenergan), billed per unit of up to",
        ),
    ],
)
def test_a_yes_no_question_on_which_drug_a_code_is(facts, question, first):
    text = lead(question, facts, data=None)
    assert text is not None and text.startswith(first), text


@pytest.mark.parametrize(
    "question",
    [
        "Is J1030 Depo-Medrol?",  # a code the drug table does not hold: no verdict
        "Is J3301 acetate?",  # a word two drugs of the table share says no drug
        "what is J0585 botox",  # not a yes/no question
    ],
)
def test_no_drug_verdict_without_a_yes_no_question_on_a_drug_of_the_table(facts, question):
    text = lead(question, facts, data=None) or ""
    assert not text.startswith(("Yes: `", "No: `"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "J1100 10 mg and J3301 40 mg, how many units?",
            ["**10 units** of `J1100`", "**4 units** of `J3301`", "40 mg ÷ 10 mg = 4"],
        ),
        (
            "Units for J0585 and J0587? We injected 100 units of botulinum A and 2,500 units of "
            "botulinum B.",
            ["**100 units** of `J0585`", "**25 units** of `J0587`, billed per 100 units"],
        ),
    ],
)
def test_units_of_several_codes_each_with_its_amount(facts, question, expected):
    text = lead(question, facts, data=None) or ""
    assert all(part in text for part in expected), text


def test_several_codes_with_one_amount_are_not_paired(facts):
    text = lead("J1100 and J3301, 40 mg given: how many units?", facts, data=None) or ""
    assert "for the amounts in the order given" not in text


@pytest.mark.parametrize(
    ("question", "code", "first"),
    [
        ("How many units is 40 mg of Kenalog?", "J3301", "**4 units** of `J3301`"),
        ("Myobloc 5,000 units, how many units do we bill?", "J0587", "**50 units** of `J0587`"),
        ("How many units for 100 units of Xeomin?", "J0588", "**100 units** of `J0588`"),
    ],
)
def test_a_units_question_that_names_a_drug_of_the_table_is_its_codes(
    assistant_, question, code, first
):
    assert code_questions.drug_for_units(question, assistant_.facts) == code
    reply = assistant_.answer(question)
    assert reply.kind == "code" and reply.codes[0].code == code
    assert reply.lead.startswith(first) or reply.body.startswith(first)


@pytest.mark.parametrize(
    "question",
    [
        "What is Kenalog?",  # no units asked
        "How many units of Kenalog?",  # no amount given
        "Kenalog 2 ml, how many units?",  # an amount in another kind of unit
        "How many units of Botox and Xeomin for 100 units?",  # two drugs
    ],
)
def test_no_code_for_a_drug_named_without_a_units_question_and_its_amount(assistant_, question):
    assert code_questions.drug_for_units(question, assistant_.facts) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # CMS, Medicare Claims Processing Manual, chapter 5, section 20.2, examples
        (
            "97112 for 24 minutes and 97110 for 23 minutes, how many units?",
            ["**3 units** in all for 47 minutes", "2 units of `97112`, 1 unit of `97110`"],
        ),
        (
            "33 minutes of 97110 and 7 minutes of 97140: units?",
            ["**3 units** in all for 40 minutes", "2 units of `97110`, 1 unit of `97140`"],
        ),
        (
            "25 minutes of 97110 and 40 minutes of 97112, how many units?",
            ["**4 units** in all for 65 minutes", "either code may take it"],
        ),
    ],
)
def test_units_of_several_timed_codes_each_with_its_minutes(facts, question, expected):
    text = lead(question, facts) or ""
    assert all(part in text for part in expected), text


def test_several_timed_codes_with_one_time_are_not_split(facts):
    text = lead("97110 and 97112, 40 minutes in all: how many units?", facts) or ""
    assert "in all for" not in text


def test_units_up_to_form(facts):
    assert "each unit covers up to 1,000 mcg" in lead("J3420 how many units", facts)


def test_units_in_another_kind_of_measure_are_not_converted(facts):
    text = lead("J3301 2 ml given how many units", facts)
    assert "convert it first" in text and "**" not in text


def test_units_when_the_description_has_no_dose(facts):
    text = lead("how many units for E0601", facts)
    assert "states no dose or amount per unit" in text
    assert "**" not in text


def test_units_without_data_say_how_to_get_it(facts):
    text = lead("J2270, 20 mg given, how many units?", facts, data=None)
    assert "import-hcpcs" in text and "**" not in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("J3301, 40 mg given, how many units?", "**4 units** of `J3301`"),
        ("How many units of J2405 for 3.5 mg?", "= 3.5, rounded up to 4"),
        ("how many units is 25 mg of J2550", "**1 unit**"),
        # a dose of the code and the word "units", asked tersely
        ("J0897 60 mg units", "**60 units** of `J0897`"),
        ("units for J1100 10 mg", "**10 units** of `J1100`"),
        # the unit restated after "per" is not the dose
        ("J2405 is per 1 mg, dose ordered was 3.5mg. How many units?", "**4 units** of `J2405`"),
        ("J2405 is billed per 1 mg and we gave 2 mg: units?", "**2 units** of `J2405`"),
    ],
)
def test_units_without_data_count_with_the_table_of_common_drugs(facts, question, expected):
    """No file imported: a common office drug's unit comes from the knowledge base's table,
    which says so and still points to the file for the official description."""
    text = lead(question, facts, data=None)
    assert expected in text
    assert "table of common office drugs" in text and "import the CMS HCPCS file" in text


def test_drug_units_mention_discarded_amounts(facts):
    assert "JW" in lead("J3301, 40 mg given, how many units?", facts)
    assert "JW" not in lead("A4253 100 strips how many units", facts)


# --- status: billable, valid, active, terminated ----------------------------------------------


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("is E11.9 billable", "Yes: `E11.9` is a billable ICD-10-CM code"),
        ("is E11 billable?", "No: `E11` is an ICD-10-CM category, not billable as written"),
        ("is M54.5 billable", "No: `M54.5` is an ICD-10-CM category"),
        ("is I10 a billable code", "Yes: `I10` is a billable ICD-10-CM code"),
        ("is E11.99 valid", "No: `E11.99` is not in the ICD-10-CM code set"),
        ("is C9089 still valid", "No: `C9089` is terminated; its last valid date was 2025-12-31"),
        ("is J1745 active?", "Yes: `J1745` is an active HCPCS Level II code"),
        ("is J1746 a valid code", "No: `J1746` is not in the January 2026 HCPCS file"),
        ("is 99499 billable", "I can't confirm that `99499` is a current CPT code"),
        ("is 99213 billable", "Yes: `99213` is a current CPT code in CPT 2026"),
        ("was 99205 deleted", "No: `99205` is a current CPT code in CPT 2026"),
        ("is modifier GX still valid", "Yes: `GX` is an active HCPCS Level II modifier"),
        ("is W1234 valid", "No: `W1234` has the shape of a HCPCS Level III local code"),
    ],
)
def test_status_from_the_data(facts, question, start):
    assert lead(question, facts).startswith(start)


def test_billable_category_names_the_level_below(facts):
    text = lead("is E11 billable?", facts)
    assert "`E11.9`" not in text or "E11.0" in text
    assert "the level below it: `E11.0`" in text


@pytest.mark.parametrize(
    "question",
    ["can J1745 still be used?", "is J1745 still billable", "is J1745 currently in use"],
)
def test_still_and_currently_beside_a_word_of_use_ask_the_status(facts, question):
    assert lead(question, facts).startswith("Yes: `J1745` is an active HCPCS Level II code")


@pytest.mark.parametrize(
    "question",
    [
        # a rule, not whether QZ exists
        "Is it still appropriate to append modifier QZ to the CRNA claim?",
        # despite what happened: a condition after "still bill"
        "Can we still bill J1745 after the infusion was stopped?",
        "can I still bill J1745 if the patient left early",
        "The patient left after ten minutes. Can we still bill J1745?",
    ],
)
def test_still_in_another_sense_asks_no_status(facts, question):
    text = lead(question, facts) or ""
    assert "active HCPCS Level II" not in text


def test_status_without_data(facts):
    text = lead("is J1745 valid", facts, data=None)
    assert text.startswith("I can't tell whether `J1745` is current without the official")


# --- yes/no: is CODE a X code? -----------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["is 99213 a level 3 visit?", "is 88304 level 3", "is 99214 level IV?"]
)
def test_a_cpt_codes_own_level_is_not_a_hcpcs_level(facts, question):
    """A visit's or a pathology code's level is not HCPCS Level III: no "No" is said."""
    assert not (lead(question, facts) or "").startswith(("No", "Yes"))


@pytest.mark.parametrize(
    ("question", "start"),
    [("is 99213 a level 1 code?", "Yes"), ("is 99213 HCPCS Level II?", "No")],
)
def test_a_cpt_code_asked_about_a_hcpcs_level_is_still_judged(facts, question, start):
    assert (lead(question, facts) or "").startswith(start)


@pytest.mark.parametrize(
    ("question", "start", "family_range"),
    [
        ("Is 99213 a physical therapy code?", "No:", "97010-97150, 97161-97799"),
        ("Is 97153 a physical therapy code?", "No:", "97010-97150, 97161-97799"),
        # a family of a section whose name starts like another section's ("surgical")
        ("Is 88305 a surgical pathology code?", "Yes.", "surgical pathology (88300-88399)"),
        ("Is 88305 a cytology code?", "No:", "cytopathology is 88104-88199"),
        ("Is 99152 a sedation code?", "Yes.", "moderate sedation (99151-99157)"),
        ("is 97110 a PT code", "Yes.", "97010-97150, 97161-97799"),
        ("Is 90837 a psychotherapy code?", "Yes.", "90785-90899"),
        ("is 99285 an ER code?", "Yes.", "99281-99285"),
        ("Is 99204 an established patient visit?", "No:", "99211-99215"),
        # preventive counseling is a family of its own, and "preventive" names both families
        ("Is 99401 preventive counseling?", "Yes.", "99401-99412"),
        ("Is 99401 a preventive visit?", "No:", "99391-99397"),
        ("Is 99401 a preventive medicine code?", "Yes.", "99401-99412"),
        ("Is 99213 a preventive code?", "No:", "preventive codes are 99381-99387"),
        # hospital, nursing facility and home visit families
        ("Is 99233 a subsequent hospital visit?", "Yes.", "99231-99233"),
        ("Is 99213 a discharge code?", "No:", "99238-99239"),
        ("Is 99341 a home visit?", "Yes.", "99341-99345"),
        # a new patient eye exam is an ophthalmology code, not an office visit
        ("Is 92004 a new patient eye exam?", "Yes.", "92002-92004"),
        ("Is 92014 a new patient eye exam?", "No:", "92002-92004"),
        # "for" may stand between the code and the class asked about
        ("Is 90471 for vaccine administration?", "Yes.", "90460-90474"),
        ("Is 99213 for a new patient?", "No:", "99202-99205"),
    ],
)
def test_a_cpt_code_is_judged_against_a_family_of_codes(facts, question, start, family_range):
    """A family of the cpt-families table, named in code-classes.md, decides "is X a Y code?"
    by the code's number, and says the family's range."""
    said = lead(question, facts) or ""
    assert said.startswith(start) and family_range in said


def test_a_family_decides_nothing_for_a_level_ii_code(facts):
    assert lead("Is J1100 a physical therapy code?", facts, data=None) is None


def test_99500_is_not_e_m(facts):
    medicine = codes.classify("99500", facts)
    em = next(s for s in facts.cpt_sections if s.name == "Evaluation and Management")
    assert lead("is 99500 an E/M code?", facts) == (
        f"No: `99500` is in the {medicine.section} section ({medicine.range}); "
        f"E/M is {em.range_text}."
    )


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("is J1745 a HCPCS code", "Yes. `J1745` is a HCPCS Level II code"),
        ("is J1745 a cpt code?", "No: `J1745` is a HCPCS Level II code"),
        ("is 99213 a HCPCS code", "Yes. `99213` is in the Evaluation and Management section"),
        ("Is 99213 an E/M code", "Yes. `99213` is in the Evaluation and Management section"),
        ("does 99213 belong to E/M", "Yes."),
        ("is 99213 a level II code", "No: `99213` is in the Evaluation and Management section"),
        ("is E11.9 an ICD-10 code", "Yes. `E11.9` is an ICD-10-CM diagnosis code"),
        ("is B2111ZZ a cpt code", "No: `B2111ZZ` has the shape of an ICD-10-PCS"),
        ("is 0450T a category III code", "Yes. `0450T` has the shape of a CPT Category III code"),
        ("is 0450T a category II code", "No: `0450T` has the shape of a CPT Category III code"),
        ("is j1745 a j code", "Yes."),
        ("is J1745 a K code?", "No: `J1745` is a HCPCS Level II code (J section"),
        ("is E0601 a DME code", "Yes."),
        ("Is D0120 a CDT code?", "Yes. `D0120` has the shape of a CDT dental code"),
        ("is 99213 a dental code", "No: `99213` is in the Evaluation and Management section"),
        ("is J1746 a HCPCS code", "No: `J1746` is shaped like a HCPCS Level II code"),
        ("is the GX modifier a HCPCS modifier", "Yes. `GX` is a HCPCS Level II modifier"),
        ("is modifier 25 a level II modifier", "No: `25` is a CPT"),
        ("Is 99213 with modifier 25 an E/M code", "Yes. `99213` is in the Evaluation"),
    ],
)
def test_yes_no_questions(facts, question, start):
    assert lead(question, facts).startswith(start)


@pytest.mark.parametrize(
    "question",
    [
        "Is the GX modifier a reason for an audit?",
        "is adding the GX modifier a risk",
        "is 25 ok",
        "Is there such a thing as base units for 01992 modifier QZ",
    ],
)
def test_the_word_modifier_after_a_modifier_is_its_name_not_the_question(facts, question):
    """ "Is the KX modifier a red flag?" asks about audits, not whether KX is a modifier."""
    text = lead(question, facts)
    assert text is None or not text.startswith(("Yes", "No"))


@pytest.mark.parametrize(
    "question",
    [
        "Can you tell me how to bill nebulizer treatments, specifically CPT 94640. The CPT book "
        "says to append modifier 76 for a second one.",
        "Is a second session allowed for 94640? Medicine has its own rules for it.",
    ],
)
def test_a_class_named_in_the_next_sentence_is_not_what_is_asked(facts, question):
    """The words after a code's sentence are not the class the question asks about."""
    text = lead(question, facts)
    assert text is None or not text.startswith(("Yes", "No"))


def test_no_answer_names_the_rule(facts):
    assert "; CPT codes are five characters" in lead("is J1745 a cpt code?", facts)
    k = facts.level2["K"]
    assert f"; K codes are {k.range_text} ({k.name})." in lead("is J1745 a K code?", facts)


@pytest.mark.parametrize(
    ("question", "start"),
    [
        # Two classes named as alternatives ask which, never yes or no.
        ("is 99213 CPT or HCPCS?", "Both: `99213`"),
        ("is J1745 a CPT code or a HCPCS code?", "HCPCS: `J1745`"),
        ("is 99213 level I or level II?", "Level I: `99213`"),
        ("is J1745 an E/M or surgery code?", "Neither: `J1745`"),
    ],
)
def test_either_or_about_a_code_names_which(facts, question, start):
    text = lead(question, facts)
    assert text.startswith(start)
    assert not text.startswith(("Yes", "No"))


def test_units_of_an_anesthesia_code_are_time(facts):
    text = lead("how many units for 00790", facts)
    assert "anesthesia minutes" in text and "descriptor" not in text


def test_unknown_code_is_never_a_yes(facts):
    text = lead("is J1746 a HCPCS code", facts)
    assert "not in the January 2026 HCPCS file" in text and "Yes" not in text


# --- payer policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("is E0601 covered by medicare", "Local Coverage Determinations (NCDs, LCDs)"),
        ("Does Medicare pay for 99496?", "Local Coverage Determinations (NCDs, LCDs)"),
        ("does J1745 need prior auth", "prior authorization rules come from the payer"),
        ("does 20610 need a modifier", "NCCI procedure-to-procedure edits"),
        ("what modifier goes with J1745", "NCCI procedure-to-procedure edits"),
        ("can an NP bill 99213", "scope of practice under state law"),
        ("can a nurse practitioner bill G0008", "scope of practice under state law"),
        ("how often can G0008 be billed", "medically unlikely edits"),
        ("can 99213 be billed with 20610", "medically unlikely edits"),
    ],
)
def test_payer_policy_questions_say_where_it_is_decided(facts, question, where):
    text = lead(question, facts)
    assert where in text
    assert not text.startswith(("Yes", "No"))


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("Does 90834 need a modifier?", "Only when the claim calls for one"),
        ("is a modifier required for J1100?", "Only when the claim calls for one"),
        ("which modifier do I use with 20610", "Whether it needs a modifier depends on the claim"),
        ("what modifier goes with J1745", "Whether it needs a modifier depends on the claim"),
    ],
)
def test_whether_a_code_needs_a_modifier_is_answered_as_asked(facts, question, opening):
    """Asked yes or no, the answer says when (only when the claim calls for one); asked which,
    it says where that is decided."""
    assert lead(question, facts).startswith(opening)


@pytest.mark.parametrize(
    "question",
    [
        "99213",
        "what is J1745",
        "99213 vs 99214",
        "E11.9",
        "modifier 25",
        "tell me about V5266",
        # billed "with modifier 50" is how it is billed, not with which other codes
        "how much is allowed for 27447 billed with modifier 50",
    ],
)
def test_nothing_asked_about_the_code(facts, question):
    assert lead(question, facts) is None


@pytest.mark.parametrize(
    "question",
    [
        "should we append modifiers GP and GO to therapy codes",
        "when is KX modifier needed",
        # a modifier named beside a code: the question is about the modifier
        "A staff member used modifier 25 appended to CPT code 99213. What does it mean?",
    ],
)
def test_a_question_about_using_named_modifiers_gets_no_claim_level_modifier_line(facts, question):
    """The modifiers are the subject, not something the code may need: their entry answers."""
    assert "depends on the claim" not in (lead(question, facts) or "")


def test_no_codes_no_lead(facts):
    assert code_questions.lead("how many units", [], DATA, facts) is None


# --- end to end through answer() -----------------------------------------------------------------


@pytest.fixture(scope="module")
def assistant_with_data(knowledge):
    return Assistant(knowledge, data_source=lambda: DATA)


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("J3301, 40 mg given, how many units?", "**4 units** of `J3301`"),
        ("is 99500 an E/M code?", "No: `99500` is in the Medicine section"),
        ("is J1745 a HCPCS code", "Yes. `J1745`"),
        ("is E11.9 billable", "Yes: `E11.9` is a billable ICD-10-CM code"),
        ("is E0601 covered?", "Whether it is covered"),
    ],
)
def test_answer_leads_with_what_is_asked_then_the_card(assistant_with_data, question, start):
    reply = assistant_with_data.answer(question)
    assert reply.kind == "code"
    assert reply.markdown.startswith(start)
    assert f"### `{reply.codes[0].code}`" in reply.markdown  # the card follows


@pytest.mark.parametrize(
    "question", ["what are the 80000-level codes", "is a level 3 visit 99xxx", "the 90000 series"]
)
def test_numbers_that_are_not_codes(assistant_, question):
    assert assistant_.answer(question).codes == ()


@pytest.mark.skipif(not CMS_ZIP.is_file(), reason="CMS HCPCS zip not present")
def test_units_on_the_real_file(facts, real_hcpcs):
    from assistant.codes.hcpcs import open_data

    data = open_data(real_hcpcs[1])
    try:
        assert data.code("J3301").long_description.endswith(", 10 mg")
        text = lead("J3301, 40 mg given, how many units?", facts, data)
        assert text.startswith("**4 units** of `J3301`")
    finally:
        data.close()


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        # units asked, not whether the code is current
        ("is 97110 for 16 minutes billable as 2 units", "current"),
        # how to bill, not whether it is covered
        (
            "the payer denied two of three 82947 tests; how should we bill to get paid for all three",
            "covered",
        ),
        # payment told in the story, not asked
        (
            "We bill 96365 and 96360 with modifier 59. Medicare pays for these codes. "
            "What is the proper way to code an infusion with hydration?",
            "covered",
        ),
    ],
)
def test_words_of_billing_are_not_read_as_status_or_coverage(facts, question, unwanted):
    text = lead(question, facts) or ""
    assert unwanted not in text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("is 97110 billable", "current"),
        ("will medicare pay for 82947", "covered"),
        ("is 29880 covered by Medicare", "covered"),
        # a story before a question that asks about payment
        ("We billed 99214 with 96372 today. Will Medicare pay for both?", "covered"),
    ],
)
def test_status_and_coverage_questions_still_get_their_lines(facts, question, wanted):
    assert wanted in (lead(question, facts) or "")


def test_codes_only_in_pasted_options_are_shown_without_taking_a_side(assistant_):
    """A pasted multiple-choice question whose codes are only its options, that no entry
    answers: each option's codes are shown, after a line saying the choice is not made, so
    that the first card never reads as the chosen answer."""
    question = (
        "A 62-year-old retired teacher has osteoarthritis of the right knee. The "
        "attending performs the procedure described in "
        "the note. How should the service be reported?\nGroup of answer choices\n- 20612, 76943-26\n- 20611\n- 20612, 76943\n"
        "- 20615, 76944"
    )
    reply = assistant_.answer(question)
    assert reply.kind == "code"
    assert reply.confidence == "uncertain"
    assert reply.markdown.startswith("I can't tell which option is right")
    assert {"20611", "20612", "20615"} <= {c.code for c in reply.codes}
    # a code asked about in the question itself still gets its card first
    assert assistant_.answer("What is 20611?").markdown.startswith("### `20611`")


@pytest.mark.parametrize(
    "question",
    [
        "does G0289 cover a loose body removed from another compartment?",
        "which code covers both procedures, 29880 or 29881?",
    ],
)
def test_a_code_that_covers_a_service_describes_it_and_is_no_coverage_question(facts, question):
    assert "covered" not in (lead(question, facts) or "")


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("was 99201 deleted?", "Yes: `99201` was deleted"),
        ("is 99201 still valid?", "No: `99201` was deleted"),
        ("has 99201 been discontinued?", "Yes: `99201` was deleted"),
        ("is J1745 terminated?", "No: `J1745` is an active HCPCS Level II code"),
        ("has 99201 been replaced?", "Yes: `99201` was deleted"),
    ],
)
def test_a_status_asked_the_other_way_round_gets_the_opposite_yes_or_no(facts, question, start):
    """The status line says whether a code is current; "was it deleted?" asks the opposite."""
    assert lead(question, facts).startswith(start)


@pytest.mark.parametrize(
    ("question", "units"),
    [
        # the code's amount and the dose stated, no code named
        (
            "A physician orders 2 mg of a drug defined by its HCPCS code as 5 mg. What do we bill?",
            1,
        ),
        ("The J code is per 10 mg and we gave 25 mg. How many units?", 3),
        (
            "The drug comes in 20 mg vials and the code is per 10 mg; 30 mg was given. How many units?",
            3,
        ),
        ("HCPCS code descriptor says 1 mL, we injected 4 mL, how many units do I bill?", 4),
    ],
)
def test_units_are_worked_out_from_amounts_stated_without_a_code(question, units):
    worked = code_questions.units_without_code(question)
    assert worked is not None and worked.startswith(f"**{units} unit")


@pytest.mark.parametrize(
    "question",
    [
        "How many units is 40 mg?",  # no amount per unit
        "We gave 30 mg from two 20 mg vials. How many units?",  # a vial is no billing unit
        "The code is per 10 mg and we gave 2 mL. How many units?",  # not the same kind of unit
        "The code is per 10 mg and we gave 25 mg.",  # nothing asked
    ],
)
def test_no_units_without_both_amounts_in_one_kind_of_unit(question):
    assert code_questions.units_without_code(question) is None


def test_a_question_stating_both_amounts_gets_its_units_first(assistant_):
    reply = assistant_.answer(
        "Example: a physician orders 2 mg of a drug whose HCPCS code is defined as 5 mg. The "
        "vial size is 5 mg. What do we bill?"
    )
    assert reply.kind == "answer" and reply.markdown.startswith("**1 unit**")


@pytest.mark.parametrize(
    "question", ["Is modifier 25 an E/M modifier?", "Is modifier 52 a surgical modifier?"]
)
def test_a_modifier_named_by_the_codes_it_goes_on_is_not_judged_by_code_sections(
    assistant_, question
):
    """ "An E/M modifier" is one used on E/M codes: no section of the code set decides it."""
    reply = assistant_.answer(question)
    assert not reply.markdown.startswith(("No", "Yes"))


def test_a_modifier_asked_its_hcpcs_level_still_gets_yes_or_no(assistant_):
    assert assistant_.answer("Is modifier 59 a HCPCS Level II modifier?").markdown.startswith("No")
    assert assistant_.answer("Is modifier 26 a CPT modifier?").markdown.startswith("Yes")


def test_a_common_drug_card_names_the_drug_without_the_file(facts):
    """Without an imported file a card has no official description, but a common office drug
    in the knowledge base's table is still named, with its unit; with the file, the official
    description is shown instead."""
    without = codes.classify("J2550", facts, None)
    assert any("Promethazine (Phenergan), one unit up to 50 mg" in n for n in without.notes)
    with_file = codes.classify("J3301", facts, DATA)
    assert not any("table of common office drugs" in n for n in with_file.notes)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many units is 45 minutes?", "**3 units** for 45 minutes"),
        ("how many units do I bill for 20 minutes of therapy", "**1 unit** for 20 minutes"),
        ("How many units for 23 minutes?", "**2 units** for 23 minutes"),
        ("How many units for 5 minutes?", "**No unit** for 5 minutes"),
    ],
)
def test_a_time_asked_in_units_is_counted_by_the_8_minute_rule(question, expected):
    text = code_questions.timed_units(question)
    assert text.startswith(expected)
    assert "8-minute rule" in text and "check the payer's policy" in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many units for 80 minutes of anesthesia in 20-minute increments?", "**4 units**"),
        ("how many units for 60 minutes if each unit is 30 minutes", "**2 units**"),
        ("How many units are 90 minutes billed in units of 30 minutes?", "**3 units**"),
        # anesthesia time counts a part of a unit, to one decimal
        ("how many anesthesia time units for 50 minutes in 15-minute increments", "**3.3 units**"),
    ],
)
def test_a_time_with_its_unit_stated_is_divided_by_it(question, expected):
    assert code_questions.timed_units(question).startswith(expected)


@pytest.mark.parametrize(
    "question",
    [
        # a part of a unit is worked out only for anesthesia time
        "how many units for 70 minutes in 20-minute increments",
        # 15-minute units of other services: the 8-minute rule, which needs one time alone
        "how many units for 50 minutes of therapy per 15 minutes",
    ],
)
def test_no_division_by_a_stated_unit_where_the_count_is_not_plain(question):
    assert code_questions.stated_increment_units(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "How many minutes is one unit?",  # no time stated
        "30 min of exercise and 15 min of manual therapy: how many units?",  # two times
        "how many units for 60 mg given over 30 minutes",  # a drug's dose
    ],
)
def test_no_count_of_timed_units_without_one_time_alone(question):
    assert code_questions.timed_units(question) is None


def test_a_supply_code_in_the_a_section_gets_no_ambulance_verdict(assistant_):
    """A4257 is an A code but no ambulance code: Medicare's ambulance coverage rule is not
    what decides it (the ambulance concept holds A0021-A0999, not the whole A section)."""
    reply = assistant_.answer("Does Medicare cover A4257?")
    assert not reply.markdown.startswith("Yes"), reply.markdown[:80]
    assert "ambulance" not in reply.markdown.split("\n")[0].lower()
    assert assistant_.answer("What is CPT code A0427?").entry_id == "ambulance-codes"


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("What is the parent code of Z91.81?", "The parent code of `Z91.81` is `Z91.8`"),
        ("What section is Z59.0 in?", "`Z59.0` is in the block (section) Persons with potential"),
        ("Which chapter is E11.9 in?", "`E11.9` is in ICD-10-CM chapter 4, Endocrine"),
    ],
)
def test_where_an_icd_code_sits_is_answered_first(assistant_, question, lead):
    if not icd_index.DEFAULT_PATH.is_file():
        pytest.skip("package built without the ICD index")
    reply = assistant_.answer(question)
    assert reply.markdown.startswith(lead)
    assert "| **Block** |" in reply.markdown and "| **Parent code** |" in reply.markdown


def test_a_code_question_that_asks_no_place_gets_no_place_line(assistant_):
    assert not assistant_.answer("Is Z59.0 billable?").markdown.startswith("`Z59.0` is in the")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Can R65.20 be listed as the primary diagnosis?", 'No: `R65.20` has a "code first" note'),
        ("Can G63 be sequenced first?", 'No: `G63` has a "code first" note'),
        ("Can J02.0 be coded with J36?", "No: the Excludes1 note at `J02.0` lists"),
        ("Can E11.A and E11.9 be reported together?", "No: the Excludes1 note at `E11.A`"),
    ],
)
def test_the_tabular_lists_notes_say_no(assistant_, question, lead):
    assert assistant_.answer(question).markdown.startswith(lead)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Can J02.9 and J31.2 be coded together?", "Yes, when the patient has both: the Excludes2"),
        # a range the note names ("I60-I69") holds the code asked
        (
            "Can I10 be coded with I63.9?",
            "Yes, when the patient has both: the Excludes2 note at `I10`",
        ),
    ],
)
def test_an_excludes2_note_says_both_may_be_coded(assistant_, question, lead):
    assert assistant_.answer(question).markdown.startswith(lead)


@pytest.mark.parametrize(
    ("question", "notes"),
    [
        # a category's notes hold for the codes below it
        ("What is excluded from Y92.01?", ["**Excludes1** at `Y92.01`", "barn (Y92.71)"]),
        (
            "What codes are excluded with Z87.891?",
            ["**Excludes1** at `Z87.891`", "(F17.2-)", "**Excludes2** at `Z87.891`"],
        ),
        ("excludes1 for I10", ["**Excludes1** at `I10`", "(O10-O11, O13-O16)"]),
    ],
)
def test_what_an_icd_code_excludes_is_listed_from_the_tabular_list(assistant_, question, notes):
    reply = assistant_.answer(question)
    assert reply.markdown.startswith(notes[0]) and all(n in reply.markdown for n in notes)


def test_a_code_with_no_excludes_notes_is_said_to_have_none(assistant_):
    reply = assistant_.answer("What is excluded from Z23?")
    assert reply.markdown.startswith("The Tabular List has no Excludes1 or Excludes2 note at")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Is H36.89 a manifestation code?", "Yes: `H36.89` is a manifestation code"),
        # "in other diseases classified elsewhere" marks one too
        ("Is F02.80 a manifestation code?", "Yes: `F02.80` is a manifestation code"),
    ],
)
def test_a_manifestation_code_is_said_to_be_one(assistant_, question, lead):
    assert assistant_.answer(question).markdown.startswith(lead)


@pytest.mark.parametrize(
    "question",
    [
        # its title does not say so, and not every manifestation code's title does: no answer
        "Is E11.9 a manifestation code?",
        # a question on needing one is not whether the code is one
        "Does F02.80 need a manifestation code?",
    ],
)
def test_no_manifestation_verdict_the_title_does_not_decide(assistant_, question):
    markdown = assistant_.answer(question).markdown
    assert not markdown.startswith(("Yes:", "No:"))


@pytest.mark.parametrize(
    "question",
    [
        # B20's note is for HIV in pregnancy, not a rule that B20 never goes first
        "Can B20 be the primary diagnosis?",
        # no note between them
        "Can E11.9 and I10 be coded together?",
        # G63 excludes diabetic polyneuropathy only "with .42": the item is not read as E08-E13
        "Can G63 be coded with E11.9?",
    ],
)
def test_no_no_where_the_tabular_lists_notes_decide_nothing(assistant_, question):
    assert not assistant_.answer(question).markdown.startswith("No:")


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("How many units of 97110 for 38 minutes?", "**3 units** of `97110`"),
        ("97140 for 20 minutes how many units", "**1 unit** of `97140`"),
        ("How many units of 97530 for 7 minutes?", "**No unit** of `97530`"),
        ("How many units of 97110?", "`97110` is billed in 15-minute units"),
    ],
)
def test_a_timed_code_counts_its_minutes_by_the_eight_minute_rule(assistant_, question, start):
    """The cpt-timed table names the codes billed in 15-minute units; the time a question states
    for one of them is counted as Medicare counts it."""
    assert assistant_.answer(question).markdown.startswith(start)


def test_a_code_not_in_the_timed_table_gets_no_count(assistant_):
    assert "**" not in assistant_.answer("How many units of 97150 for 30 minutes?").markdown[:12]


def test_timed_codes_are_checked_like_other_runs_of_cpt_codes(make_kb):
    from conftest import facts_problems

    text = (
        "# T\n\n## cpt-timed\n\n| Codes | Source | As of |\n|---|---|---|\n"
        "| `97530`, 97x33 | S | 2026-01-01 |\n"
    )
    problems, _path, _shown = facts_problems(make_kb, text)
    assert any("timed CPT codes" in m and "not written as" in m for m in problems), problems


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Is R05.9 a cough?", "Yes: `R05.9` is Cough, unspecified (ICD-10-CM)."),
        ("Is I10 for essential hypertension?", "Yes: `I10` is Essential (primary) hypertension"),
        ("Is E11.9 type 2 diabetes?", "Yes: `E11.9` is Type 2 diabetes mellitus"),
        # a word the description does not have, a number that differs, or "with" against
        # "without": no lead at all (a condition has names its description does not use)
        ("Is E11.9 type 1 diabetes?", None),
        ("Is E11.9 diabetes with complications?", None),
        ("Is R05.9 a chronic cough?", None),
        ("Is R05.9 asthma?", None),
    ],
)
def test_a_diagnosis_code_is_what_its_description_calls_it(facts, question, expected):
    text = lead(question, facts, data=None) or ""
    if expected is None:
        assert not text.startswith(("Yes", "No")), text
    else:
        assert text.startswith(expected), text


@pytest.mark.parametrize(
    "question",
    [
        "Is an EKG covered by Medicare with a Z13.6 diagnosis?",
        "Is a screening visit billed for code 99213?",
    ],
)
def test_a_code_named_as_an_object_is_not_placed_in_a_class(facts, question):
    """A code said after "with", "for" ... is what something is done with; the question does
    not ask which code set or section it is in."""
    text = lead(question, facts) or ""
    assert not text.startswith(("Yes.", "No:", "No."))


def test_a_code_asked_about_is_still_placed(facts):
    assert (lead("Is code 99213 a CPT code?", facts) or "").startswith("Yes.")
