"""Code detection (``codes.detect``) and rule-based classification (``codes.classify``).

Classification is checked against the section-fact tables of the built-in knowledge base, and a
changed copy of those tables shows that the classifier reads its ranges from there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, entry_md
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.codes import classify as codes
from assistant.codes import icd
from assistant.codes.classify import SYSTEMS, CodeInfo
from assistant.core import facts as facts_module
from assistant.core import kb
from assistant.core.text import defined_abbreviations

# --- detection -------------------------------------------------------------------------------


def found(question: str, facts, known_modifier=None) -> list[tuple[str, str]]:
    hits = codes.detect(question, facts, known_modifier)
    for f in hits:  # positions point at the text as written
        assert question[f.start : f.end] == f.text
    return [(f.text.upper(), f.shape) for f in hits]


C, M = "code", "modifier"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("99213", [("99213", C)]),
        ("what is 99213", [("99213", C)]),
        ("WHAT IS 99213", [("99213", C)]),
        ("is (99213) an office visit", [("99213", C)]),
        ("99213, 99214 and 99215", [("99213", C), ("99214", C), ("99215", C)]),
        ("J1745?", [("J1745", C)]),
        ("is j1745 a cpt code?", [("J1745", C)]),
        ("code: e0601.", [("E0601", C)]),
        ("E0601/E0470", [("E0601", C), ("E0470", C)]),
        ("is 0450t ok", [("0450T", C)]),
        ("3074f", [("3074F", C)]),
        ("0001U and 0002M", [("0001U", C), ("0002M", C)]),
        ("modifier 25", [("25", M)]),
        ("what is modifier 25", [("25", M)]),
        ("Modifier: 59", [("59", M)]),
        ("modifier #59", [("59", M)]),
        ("mod25", [("25", M)]),
        ("mod 76", [("76", M)]),
        ("modifiers 25 and 59", [("25", M), ("59", M)]),
        ("modifier 25 vs 59", [("25", M), ("59", M)]),
        ("modifier 59 vs. XS", [("59", M), ("XS", M)]),
        ("modifiers XE, XP, XS, and XU", [("XE", M), ("XP", M), ("XS", M), ("XU", M)]),
        ("use the 25 or 59 modifier", [("25", M), ("59", M)]),
        ("can I bill -59 here", [("59", M)]),
        ("-25", [("25", M)]),
        ("(-LT)", [("LT", M)]),
        ("99213-25", [("99213", C), ("25", M)]),
        ("99213\u201325", [("99213", C), ("25", M)]),  # an en dash from a word processor
        ("j1745-jw", [("J1745", C), ("JW", M)]),
        ("0001F-8P", [("0001F", C), ("8P", M)]),
        ("LT modifier", [("LT", M)]),
        # the word as it is often mistyped
        ("modifer 25", [("25", M)]),
        ("what does modifeir 59 mean", [("59", M)]),
        ("25 modifer", [("25", M)]),
        ("What Is Mdoifier 79 for Unrelated Procedures?", [("79", M)]),
        ("what does modfiier PT mean", [("PT", M)]),
        # a claim adjustment group code named as one is no modifier (CO is also one)
        ("is the patient billed for the CO adjustment?", []),
        ("PR amount on the remit", []),
        # capitals listed beside capitals that name no modifier are abbreviations of one kind
        ("What's the difference between PR and CO?", []),
        ("Can an NP and PA bill 99214?", [("99214", C)]),
        ("RT and LT on the same line", [("RT", M), ("LT", M)]),
        # the first characters of a family of Level II codes name the family, not a modifier
        ("what are the Q5 codes", []),
        ("Q5 hcpcs codes for biosimilars", []),
        ("Q5 modifier", [("Q5", M)]),
        ("97110 with CO for the OT assistant", [("97110", C), ("CO", M)]),
        ("Moidfier 33 used for", [("33", M)]),
        ("what is modifier code gz", [("GZ", M)]),
        # a word with a letter changed is another word
        ("the payer modified 25 claims", []),
        ("lt modifier?", [("LT", M)]),
        # a modifier named by an English word, just after "modifier", ending what is asked
        ("what does modifier at mean?", [("AT", M)]),
        ("what is modifier go used for?", [("GO", M)]),
        ("put the modifier at the end of the line", []),
        ("modifier lt", [("LT", M)]),
        ("what's the GA modifier", [("GA", M)]),
        ("modifier AS", [("AS", M)]),  # typed in capitals: the modifier, not the word
        ("20610 with RT", [("20610", C), ("RT", M)]),
        ("LT", [("LT", M)]),
        ("lt", [("LT", M)]),
        ("59", [("59", M)]),
        ("59?", [("59", M)]),
        ("E11.9", [("E11.9", C)]),
        ("is e11.9 billable", [("E11.9", C)]),
        ("report mod. 57 on the visit", [("57", M)]),  # "mod." abbreviated with its dot
        ("what about m54.50", [("M54.50", C)]),
        ("s72.001a", [("S72.001A", C)]),
        ("what is I10", [("I10", C)]),
        # a category with subdivisions, where the question speaks of the diagnosis code set
        # or asks for its chapter or section
        ("is E11 billable", [("E11", C)]),
        ("What section is R05 in?", [("R05", C)]),
        ("What chapter is Y92 in?", [("Y92", C)]),
        ("U07.1", [("U07.1", C)]),
        ("J45.90", [("J45.90", C)]),
        ("0SR9019", [("0SR9019", C)]),
        ("ICD-10-PCS code 0SR9019", [("0SR9019", C)]),
        ("COVID-19 test U0003", [("U0003", C)]),
        (
            "j1745 then 99213 then E11.9 then modifier 25",
            [("J1745", C), ("99213", C), ("E11.9", C), ("25", M)],
        ),
        ("CPT 99213 with modifier 25 for E11.9", [("99213", C), ("25", M), ("E11.9", C)]),
        # ICD-10-PCS with digits in the 2nd and 3rd places
        ("is B2111ZZ a cpt code", [("B2111ZZ", C)]),
        # typing slips in a Level II code
        ("what is E06O1", [("E06O1", C)]),
        ("EO601 for a cpap", [("EO601", C)]),
        ("is e060l billable", [("E060L", C)]),
        # modifiers in any case when the words around them say so
        ("modifier gx", [("GX", M)]),
        ("what does the gx modifier mean", [("GX", M)]),
        ("Modifier Ga or modifier gz?", [("GA", M), ("GZ", M)]),
        ("modifiers gx and kx", [("GX", M), ("KX", M)]),
        ("bill it with -rt", [("RT", M)]),
        ("when do I use Rt and Lt", [("RT", M), ("LT", M)]),
        ("xe or xs for a separate site", [("XE", M), ("XS", M)]),
        ("99213 level", [("99213", C)]),  # not a round number: a code
    ],
)
def test_detects_codes(facts, question, expected):
    assert found(question, facts) == expected


@pytest.mark.parametrize(
    "ndc", ["0002-1433-80", "12345-678-90", "12345-6789-0", "12345-6789-01", "12345678901"]
)
def test_detects_ndc_shapes(facts, ndc):
    assert found(f"what is NDC {ndc}?", facts) == [(ndc, C)]


@pytest.mark.parametrize(
    "question",
    [
        "1978",
        "born in 1978",
        "1996",
        "HIPAA was passed in 1996",
        "2003",
        "Level III codes ended in 2003",
        "3 questions",
        "in 2026",
        "in 2026 which codes changed",
        "5 and 10",
        "covid-19",
        "COVID-19 testing codes",
        "ICD-10",
        "CPT-4",
        "what's ICD-10-CM",
        "ICD 10-CM codes",
        "B12 shot",
        "X12 837P",
        "What does R05 mean?",  # a category with subdivisions, said with no word of the code set
        "HIPAA 5010",
        "patients aged 10-12",
        "the 2023-24 season",
        "2025-01-15",
        "what is a modifier",
        "which modifier do I use",
        "what modifier is used for bilateral",
        "no modifier needed",
        "modifier at the end of the line",
        "can modifiers be stacked",
        "modems and modes",
        "hi",
        "ok",
        "what are j codes",
        "HCPCS Level II",
        # numbers that name a range, not a code
        "the 80000-level codes",
        "what are the 80000 level codes",
        "the 90000 series",
        "codes in the 70000s",
        "is a level 3 visit 99xxx",
        "99XXX codes",
        # an address, not modifier PO
        "Send the payments to our PO Box",
        "is a P.O. Box allowed as the pay-to address",
        # an X12 segment's qualifier, not modifier F8
        "the payer wants REF*F8 on an original claim",
        # words that look a little like codes with slips
        "aioli and polio",
        "Hello Lolli",
        # two-letter words beside "modifier", or joined like a list of modifiers
        "do or go",
        "in or at the office",
        "is it a modifier or not",
        "pt and ot visits",
    ],
)
def test_not_codes(facts, question):
    assert found(question, facts) == []


def test_codes_in_order_of_appearance(facts):
    question = "E11.9 then 99213-25, J1745, 0SR9019, modifier LT and 0002-1433-80"
    hits = codes.detect(question, facts)
    assert [f.start for f in hits] == sorted(f.start for f in hits)
    assert [f.text for f in hits] == [
        "E11.9",
        "99213",
        "25",
        "J1745",
        "0SR9019",
        "LT",
        "0002-1433-80",
    ]


@pytest.mark.parametrize(
    "question", ["A00.MODIFER", "a00.Modifer 25", "modfiier PT", "E11.MOIDFIER"]
)
def test_found_text_is_what_was_typed(facts, question):
    """The slip reading of "modifier" replaces the word's letters but not its place: a code
    shape that runs into the slipped word is reported as typed, never as the reading."""
    found = codes.detect(question, facts)
    assert found
    for f in found:
        assert question[f.start : f.end] == f.text


def test_detection_is_capped(facts):
    question = " ".join(f"{n:05d}" for n in range(10004, 10004 + codes.MAX_CODES + 5))
    assert len(codes.detect(question, facts)) == codes.MAX_CODES


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # an abbreviation the question spells out is what it says, wherever it stands
        (
            "we use a locum tenens (LT) physician. Which modifier goes on the LT services?",
            [],
        ),
        ("physical therapy (PT) on the right knee, modifier RT", [("RT", M)]),
        # brackets that spell nothing out leave a modifier a modifier
        ("bill 20610 (LT) for the left knee", [("20610", C), ("LT", M)]),
    ],
)
def test_an_abbreviation_the_question_defines_is_not_a_modifier(facts, question, expected):
    assert found(question, facts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a locum tenens (LT) physician", {"LT": "locum tenens"}),
        ("Current Procedural Terminology (CPT) codes", {"CPT": "Current Procedural Terminology"}),
        ("durable medical equipment (DME)", {"DME": "durable medical equipment"}),
        ("the left side (LT)", {}),  # "side" and "the" are not L and T
        ("20610 (LT)", {}),
        # a letter after the first mistyped, from three letters
        ("the National Drug Code (NOC) on the claim", {"NOC": "National Drug Code"}),
        ("the two sides (TC)", {}),  # two letters: both must be the words' initials
        ("the National Drug Code (ADC)", {}),  # the first letter must be the first word's
    ],
)
def test_defined_abbreviations(text, expected):
    assert defined_abbreviations(text) == expected


def test_imported_modifier_names_need_the_word_modifier(facts):
    """Once the CMS file is imported, MD, ER, CT, US and HI are modifiers too; in a sentence
    they are abbreviations unless the question says "modifier" or they stand alone."""
    imported = {"MD", "ER", "CT", "US", "HI", "NU", "AT", "LT"}.__contains__
    assert found("is the MD on site for the ER and CT visits in the US", facts, imported) == []
    assert found("E0601 with modifier NU", facts, imported) == [("E0601", C), ("NU", M)]
    assert found("modifier nu", facts, imported) == [("NU", M)]
    assert found("modifier at the end", facts, imported) == []  # "at" the word
    assert found("HI", facts, imported) == [("HI", M)]
    assert found("hi", facts, imported) == []
    assert found("HI", facts, None) == []  # not a modifier we know without the data
    assert found("NU", facts, None) == [("NU", M)]  # in the modifiers facts table


def test_the_numeral_of_a_level_is_not_a_modifier(facts):
    assert found("how long is a HCPCS Level II modifier", facts) == []
    assert found("What Is A Level II Modifier?", facts) == []
    assert found("what is modifier II", facts, {"II"}.__contains__) == [("II", M)]


@pytest.mark.parametrize("question", ["What CO-97 means", "What is CO 4 Mean?", "PR-1 on my EOB"])
def test_the_group_of_a_denial_reason_code_is_not_a_modifier(facts, question):
    assert found(question, facts) == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does 51 mean?", [("51", M)]),
        ("what does code 25 mean on a claim", [("25", M)]),
        ("what is code 59?", [("59", M)]),
        ("what is code 10?", []),  # not a modifier of the table
        ("we saw 25 patients, what does that mean", []),  # not asked the meaning of
    ],
)
def test_two_digits_asked_the_meaning_of_are_the_cpt_modifier(facts, question, expected):
    assert found(question, facts) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("We used -32 for the place of service, but the payer wants -31", []),
        ("POS 11 or 22 for a telehealth visit?", []),
        ("bill 99213 -25 with POS 11", [("99213", C), ("25", M)]),  # on the code: a modifier
        ("place of service 11 with modifier 25", [("25", M)]),
    ],
)
def test_two_digits_in_a_place_of_service_question_are_pos_codes(facts, question, expected):
    assert found(question, facts) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what is a 99213 25 code?", [("99213", C), ("25", M)]),
        ("99213 59 modifier", [("99213", C), ("59", M)]),
        ("billed 99213 25 minutes", [("99213", C)]),  # a number of minutes
        ("what is a 99213 10 code?", [("99213", C)]),  # not in the modifiers table
    ],
)
def test_two_digits_after_a_code_and_a_space_are_its_modifier(facts, question, expected):
    assert found(question, facts) == expected


def test_the_co_modifier_is_still_read_as_one(facts):
    assert found("what is modifier CO for", facts) == [("CO", M)]
    assert found("use CO with 97110", facts) == [("CO", M), ("97110", C)]


def test_all_capitals_question_does_not_make_words_modifiers(facts):
    assert found("WHICH MODIFIER DO I USE", facts) == []
    assert found("WHAT IS THE LT MODIFIER", facts) == [("LT", M)]
    # nearly all capitals after a greeting in lower case: still typed in capitals
    assert found("Hi all, SHOULD I GET BOTH MY KNEES DONE AT ONCE OR ONE AT A TIME?", facts) == []
    # a short question of capitals beside words keeps its modifiers
    assert found("Is GY or GZ used?", facts) == [("GY", M), ("GZ", M)]


def test_modifier_word_reads_any_two_letters_but_english_words(facts):
    """Beside the word "modifier", two letters in lower case are a modifier (also one that is
    not in the curated table, and without the CMS file), unless they are an English word."""
    assert "QQ" not in facts.modifiers
    assert found("modifier qq", facts) == [("QQ", M)]
    assert found("is modifier as needed", facts) == []
    assert found("modifier ie the second one", facts) == []


# --- classification: CPT ---------------------------------------------------------------------

CPT_BOUNDARIES = [
    ("00100", "Anesthesia", "00100-01999"),
    ("01999", "Anesthesia", "00100-01999"),
    ("10004", "Surgery", "10004-69990"),
    ("69990", "Surgery", "10004-69990"),
    ("70010", "Radiology", "70010-79999"),
    ("79999", "Radiology", "70010-79999"),
    ("80047", "Pathology and Laboratory", "80047-89398"),
    ("89398", "Pathology and Laboratory", "80047-89398"),
    ("90281", "Medicine", "90281-97999"),
    ("99199", "Medicine", "99141-99199"),
    ("99500", "Medicine", "99500-99607"),
    ("99607", "Medicine", "99500-99607"),
    ("99202", "Evaluation and Management", "99202-99499"),
    ("99213", "Evaluation and Management", "99202-99499"),
    ("99499", "Evaluation and Management", "99202-99499"),
]


@pytest.mark.parametrize(("code", "section", "span"), CPT_BOUNDARIES)
def test_cpt_section_boundaries(facts, code, section, span):
    info = codes.classify(code, facts)
    assert info.code == code
    assert info.system == "CPT"
    assert info.hcpcs_level == "I"
    assert info.category == "Category I"
    assert info.section == section
    assert info.range == span
    assert info.maintainer == "AMA"
    assert info.description is None  # CPT descriptors are never shipped
    assert info.known is None


@pytest.mark.parametrize(
    "code",
    ["00099", "02000", "10003", "69991", "70009", "80046", "89399", "90280", "99200", "99608"],
)
def test_just_outside_every_cpt_range_is_flagged_not_guessed(facts, code):
    info = codes.classify(code, facts)
    assert info.system == "unknown"
    assert (info.hcpcs_level, info.category, info.section, info.range) == (None, None, None, None)
    assert info.maintainer is None
    assert any("outside every CPT section range" in n for n in info.notes)


def test_every_range_in_the_cpt_sections_table(facts):
    """Both ends of every range in the table classify into it; one step outside does not."""
    table = facts.cpt_sections
    assert {s.name for s in table} == {
        "Evaluation and Management",
        "Anesthesia",
        "Surgery",
        "Radiology",
        "Pathology and Laboratory",
        "Medicine",
    }
    for section in table:
        assert section.ranges, section
        for lo, hi in section.ranges:
            for n in (lo, hi):
                info = codes.classify(f"{n:05d}", facts)
                span = f"{lo:05d}" if lo == hi else f"{lo:05d}-{hi:05d}"
                assert (info.section, info.range) == (section.name, span)
            for n in (lo - 1, hi + 1):
                assert codes.classify(f"{n:05d}", facts).section != section.name or any(
                    a <= n <= b for a, b in section.ranges
                )


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("0001F", "Category II"),
        ("3074f", "Category II"),
        ("0042T", "Category III"),
        ("0450T", "Category III"),
        ("0001U", "PLA"),
        ("0002M", "MAAA"),
    ],
)
def test_cpt_other_categories(facts, code, category):
    info = codes.classify(code, facts)
    assert info.code == code.upper()
    assert (info.system, info.hcpcs_level, info.category) == ("CPT", "I", category)
    assert info.maintainer == "AMA"
    assert info.description is None


# --- classification: HCPCS Level II and III -------------------------------------------------

LEVEL2_EXAMPLES = {
    "A": "A0428",
    "B": "B4034",
    "C": "C1751",
    "D": "D0120",
    "E": "E0601",
    "G": "G0008",
    "H": "H0001",
    "J": "J1745",
    "K": "K0001",
    "L": "L3000",
    "M": "M0075",
    "P": "P9603",
    "Q": "Q0091",
    "R": "R0070",
    "S": "S0020",
    "T": "T1015",
    "U": "U0003",
    "V": "V5266",
}


def test_level2_table_has_every_letter_section(facts):
    assert sorted(facts.level2) == sorted(LEVEL2_EXAMPLES)


@pytest.mark.parametrize(("letter", "code"), sorted(LEVEL2_EXAMPLES.items()))
def test_level2_letter_sections(facts, letter, code):
    row = facts.level2[letter]
    info = codes.classify(code.lower(), facts)
    assert info.code == code
    assert (info.system, info.hcpcs_level, info.category) == ("HCPCS Level II", "II", None)
    assert info.section == row.name
    assert info.range == row.range_text
    assert info.maintainer == {"D": "ADA", "S": "BCBSA and AHIP"}.get(letter, "CMS")
    assert info.known is None  # no data imported in the tests
    assert info.description is None


def test_level2_well_known_sections(facts):
    j = codes.classify("J1745", facts)
    assert j.section == "Drugs administered other than oral method, and chemotherapy drugs"
    assert j.range == "J0000-J9999"
    v = codes.classify("V5266", facts)
    assert (v.section, v.range) == (
        "Vision, hearing and speech-language pathology services",
        "V0000-V5999",
    )
    d = codes.classify("D0120", facts)
    assert any("CDT" in n and "ADA" in n for n in d.notes)


def test_level2_code_outside_its_letter_range(facts):
    info = codes.classify("V6000", facts)
    assert info.system == "HCPCS Level II"
    assert (info.section, info.range) == (None, None)
    assert any("outside the V0000-V5999 range" in n for n in info.notes)


@pytest.mark.parametrize("code", ["F9999", "I9999", "N9999", "O9999"])
def test_unused_letters(facts, code):
    assert icd.lookup(code) is None  # precondition: not an ICD-10-CM code without its dot
    info = codes.classify(code, facts)
    assert info.system == "unknown"
    assert info.hcpcs_level is None
    assert any(f"letter {code[0]}" in n for n in info.notes)


def test_unused_letter_that_is_icd10cm(facts):
    info = codes.classify("O0000", facts)
    assert (info.system, info.code, info.known) == ("ICD-10-CM", "O00.00", True)


@pytest.mark.parametrize("code", ["W1234", "X1234", "Y1234", "Z1234", "w0001"])
def test_w_to_z_are_retired_level3_local_codes(facts, code):
    info = codes.classify(code, facts)
    assert info.code == code.upper()
    assert (info.system, info.hcpcs_level) == ("HCPCS Level III", "III")
    assert info.section is None and info.category is None
    assert any("retired" in n.lower() for n in info.notes)
    assert info.maintainer == codes.MAINTAINERS["HCPCS Level III"]


def test_z_code_that_is_icd10cm_is_not_level3(facts):
    info = codes.classify("Z0000", facts)
    assert (info.system, info.code, info.known) == ("ICD-10-CM", "Z00.00", True)
    assert (
        info.description
        == "Encounter for general adult medical examination without abnormal findings"
    )
    assert any("Level III" in n for n in info.notes)


def test_j4590_is_level2_with_a_note_naming_the_icd10cm_code(facts):
    info = codes.classify("J4590", facts)
    assert (info.system, info.hcpcs_level, info.section) == (
        "HCPCS Level II",
        "II",
        facts.level2["J"].name,
    )
    note = next(n for n in info.notes if "J45.90" in n)
    assert "ICD-10-CM" in note
    assert "not billable" in note  # J45.90 is a subcategory, not a valid claim code


# --- classification: ICD-10-CM, ICD-10-PCS, NDC ----------------------------------------------


@pytest.mark.parametrize(
    ("code", "normalised", "chapter", "chapter_range", "description"),
    [
        (
            "E11.9",
            "E11.9",
            "Endocrine, nutritional and metabolic diseases",
            "E00-E89",
            "Type 2 diabetes mellitus without complications",
        ),
        (
            "e119",
            "E11.9",
            "Endocrine, nutritional and metabolic diseases",
            "E00-E89",
            "Type 2 diabetes mellitus without complications",
        ),
        (
            "M54.50",
            "M54.50",
            "Diseases of the musculoskeletal system and connective tissue",
            "M00-M99",
            "Low back pain, unspecified",
        ),
        (
            "I10",
            "I10",
            "Diseases of the circulatory system",
            "I00-I99",
            "Essential (primary) hypertension",
        ),
        ("U07.1", "U07.1", "Codes for special purposes", "U00-U85", "COVID-19"),
    ],
)
def test_icd10cm(facts, code, normalised, chapter, chapter_range, description):
    info = codes.classify(code, facts)
    assert info.code == normalised
    assert info.system == "ICD-10-CM"
    assert (info.hcpcs_level, info.category) == (None, None)
    assert (info.section, info.range) == (chapter, chapter_range)
    assert info.description == description
    assert info.known is True
    assert info.maintainer == "CDC/NCHS"


def test_icd10cm_category_is_known_but_not_billable(facts):
    info = codes.classify("E11", facts)
    assert (info.system, info.known) == ("ICD-10-CM", True)
    assert any("not billable" in n for n in info.notes)


@pytest.mark.parametrize("code", ["A00.99", "Z99.999", "e11.8z"])
def test_invalid_icd10cm_shape_is_known_false(facts, code):
    info = codes.classify(code, facts)
    assert info.system == "ICD-10-CM"
    assert info.known is False
    assert info.code == code.upper()
    assert info.description is None


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("0SR9019", "Medical and Surgical"),
        ("0sr9019", "Medical and Surgical"),
        ("BW03ZZZ", "Imaging"),
        ("GZ3ZZZZ", "Mental Health"),
    ],
)
def test_icd10pcs(facts, code, section):
    info = codes.classify(code, facts)
    assert info.code == code.upper()
    assert (info.system, info.section, info.maintainer) == ("ICD-10-PCS", section, "CMS")
    assert (info.hcpcs_level, info.category, info.known) == (None, None, None)


@pytest.mark.parametrize("code", ["B2111ZZ", "b2111zz", "B3151ZZ", "C2121ZZ", "D0010ZZ", "F0102ZZ"])
def test_icd10pcs_with_digits_in_second_and_third_place(facts, code):
    """Sections B, C, D and F: the CM shape (letter, two digits) must not win (B21.11ZZ)."""
    info = codes.classify(code, facts)
    assert (info.code, info.system) == (code.upper(), "ICD-10-PCS")
    assert info.section == facts.pcs_sections[code[0].upper()]
    assert info.billable is None


def test_icd10cm_code_without_its_dot_is_not_read_as_pcs(facts):
    info = codes.classify("H4010X0", facts)  # H40.10X0: also the shape of a PCS code
    assert (info.system, info.code, info.known) == ("ICD-10-CM", "H40.10X0", True)


@pytest.mark.parametrize("typed", ["I10", "i10", "I10."])
def test_three_character_icd10cm_code_has_no_dot(facts, typed):
    info = codes.classify(typed, facts)
    assert (info.code, info.system, info.billable, info.status) == (
        "I10",
        "ICD-10-CM",
        True,
        "active",
    )


@pytest.mark.parametrize(
    ("code", "billable"), [("E11.9", True), ("I10", True), ("E11", False), ("M54.5", False)]
)
def test_icd10cm_billable(facts, code, billable):
    info = codes.classify(code, facts)
    assert info.billable is billable
    assert (info.effective_date, info.termination_date) == (None, None)
    assert bool(info.children) is not billable


def test_icd10cm_not_in_the_code_set_has_no_status(facts):
    info = codes.classify("E11.99", facts)
    assert (info.known, info.status, info.billable) == (False, None, None)


@pytest.mark.parametrize("ndc", ["0002-1433-80", "12345-678-90", "12345-6789-0", "12345678901"])
def test_ndc(facts, ndc):
    info = codes.classify(ndc, facts)
    assert info.code == ndc
    assert (info.system, info.maintainer, info.hcpcs_level, info.known) == (
        "NDC",
        "FDA",
        None,
        None,
    )


# --- classification: modifiers ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["25", "-59", "76", "22", "99"])
def test_numeric_modifiers_are_cpt(facts, code):
    info = codes.classify(code, facts)
    assert info.code == code.lstrip("-")
    assert (info.system, info.hcpcs_level, info.maintainer) == ("CPT modifier", "I", "AMA")
    assert info.category is None and info.section is None


@pytest.mark.parametrize("code", ["1P", "2P", "3P", "8p"])
def test_category_ii_performance_modifiers_are_cpt(facts, code):
    info = codes.classify(code, facts, shape="modifier")
    assert (info.code, info.system, info.hcpcs_level, info.maintainer) == (
        code.upper(),
        "CPT modifier",
        "I",
        "AMA",
    )


@pytest.mark.parametrize("code", ["LT", "rt", "-XU", "JW", "QW", "GA", "F1", "E1"])
def test_letter_modifiers_are_level2(facts, code):
    info = codes.classify(code, facts)
    assert info.code == code.lstrip("-").upper()
    assert (info.system, info.hcpcs_level, info.maintainer) == (
        "HCPCS Level II modifier",
        "II",
        "CMS",
    )
    assert info.known is None  # no data imported


@pytest.mark.parametrize("typed", ["E06O1", "EO601", "E060l", "e06o1", "EO6O1"])
def test_typing_slips_without_data_are_read_as_the_level2_code(facts, typed):
    info = codes.classify(typed, facts)
    assert (info.code, info.system, info.typed, info.known) == (
        "E0601",
        "HCPCS Level II",
        typed,
        None,
    )
    assert info.notes[0].startswith(f"{typed} was read as E0601 (the letter")
    assert "not the shape" not in " ".join(info.notes)


@pytest.mark.parametrize("typed", ["E0A01", "EOOOO", "E06"])
def test_not_a_typing_slip(facts, typed):
    assert codes.classify(typed, facts).typed is None


def test_modifier_meaning_comes_from_the_modifiers_table(facts):
    info = codes.classify("59", facts)
    meaning = facts.modifiers["59"].meaning
    assert any(meaning in n for n in info.notes)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("EY", "no order"),
        ("AS", "Assistant at surgery"),
        ("GC", "resident"),
        ("RB", "part of a DME"),
        ("KQ", "second or a later drug"),
    ],
)
def test_the_modifiers_billers_ask_about_have_their_meaning(facts, code, said):
    info = codes.classify(code, facts, shape="modifier")
    assert info.system == "HCPCS Level II modifier"
    assert any(said in n for n in info.notes), info.notes


@pytest.mark.parametrize(
    "question",
    [
        "What is an ER Level Charge?",
        "Is PT billed with GP?",
        "Please explain: Q3. What does the prefix brady- mean? (A) Fast (B) Slow",
    ],
)
def test_abbreviations_billers_write_in_capitals_are_not_read_as_modifiers(facts, question):
    """ER, PT, CT, PA, TB ... are also HCPCS Level II modifiers, but a biller writes them for
    the emergency room, physical therapy and the rest: the table does not hold them."""
    found = {f.text.upper() for f in codes.detect(question, facts)}
    assert not found & {"ER", "PT", "Q3"}


# --- classification: every result is a valid CodeInfo ---------------------------------------

ALL_SAMPLES = [
    "99213",
    "00099",
    "0001F",
    "J1745",
    "D0120",
    "V6000",
    "F9999",
    "W1234",
    "Z0000",
    "E11.9",
    "A00.99",
    "0SR9019",
    "0002-1433-80",
    "25",
    "LT",
    "8P",
    "ABC",
    "",
    "!!",
    "99213-25",
]


@pytest.mark.parametrize("code", ALL_SAMPLES)
def test_every_codeinfo_is_within_the_contract(facts, code):
    info = codes.classify(code, facts)
    d = info.to_dict()
    assert list(d) == [
        "code",
        "system",
        "hcpcs_level",
        "category",
        "section",
        "range",
        "description",
        "known",
        "maintainer",
        "notes",
        "status",
        "effective_date",
        "termination_date",
        "billable",
    ]
    assert d["system"] in SYSTEMS
    assert d["hcpcs_level"] in (None, "I", "II", "III")
    assert d["category"] in (None, "Category I", "Category II", "Category III", "PLA", "MAAA")
    if d["category"] is not None:
        assert d["system"] == "CPT"
    assert d["known"] in (None, True, False)
    assert all(isinstance(n, str) and n for n in d["notes"])
    if d["system"] in codes.MAINTAINERS:
        assert d["maintainer"] in (codes.MAINTAINERS[d["system"]], "ADA")
    else:
        assert d["maintainer"] is None
    level = {"CPT": "I", "CPT modifier": "I", "HCPCS Level II": "II", "HCPCS Level III": "III"}
    level["HCPCS Level II modifier"] = "II"
    assert d["hcpcs_level"] == level.get(d["system"])


def test_codeinfo_is_hashable_and_comparable():
    a = CodeInfo("99213", "CPT", notes=("x",))
    assert a == CodeInfo("99213", "CPT", notes=("x",))
    assert len({a, CodeInfo("99213", "CPT", notes=("x",))}) == 1


# --- the facts tables are the single source ---------------------------------------------------


def _copy_kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge" / "facts", root / "facts")
    (root / "entries").mkdir()
    (root / "entries" / "01.md").write_text(
        "# Test\n\n" + entry_md("only", ["a question"]), encoding="utf-8"
    )
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_classifier_follows_the_facts_tables(tmp_path, facts):
    root = _copy_kb(tmp_path)
    _edit(root / "facts" / "cpt.md", "| Surgery | `10004-69990` |", "| Surgery | `10004-49999` |")
    _edit(
        root / "facts" / "cpt.md",
        "| Radiology | `70010-79999` |",
        "| Radiology | `50000-79999` |",
    )
    _edit(root / "facts" / "hcpcs-level2.md", "`V0000-V5999`", "`V0000-V9999`")
    _edit(
        root / "facts" / "hcpcs-level2.md",
        "| J | Drugs administered other than oral method, and chemotherapy drugs |",
        "| J | Injectable drugs (test wording) |",
    )
    _edit(root / "facts" / "icd10.md", "| B | Imaging |", "| B | Imaging (test wording) |")
    changed = facts_module.build(kb.load(root))
    assert facts_module.check(kb.load(root)) == []

    # Before: the built-in tables.
    assert codes.classify("55000", facts).section == "Surgery"
    assert codes.classify("V6000", facts).section is None

    radiology = codes.classify("55000", changed)
    assert (radiology.section, radiology.range) == ("Radiology", "50000-79999")
    assert codes.classify("49999", changed).range == "10004-49999"
    assert codes.classify("V6000", changed).range == "V0000-V9999"
    assert codes.classify("J1745", changed).section == "Injectable drugs (test wording)"
    assert codes.classify("BW03ZZZ", changed).section == "Imaging (test wording)"


def test_without_facts_tables_nothing_is_guessed(tmp_path):
    root = _copy_kb(tmp_path)
    shutil.rmtree(root / "facts")
    empty = facts_module.build(kb.load(root))
    assert codes.classify("99213", empty).system == "unknown"
    assert codes.classify("J1745", empty).system == "unknown"
    assert codes.classify("0SR9019", empty).section is None


def test_range_text_in_notes_comes_from_the_table(facts):
    """The Medicine note quotes the table's own text for its ranges."""
    medicine = next(s for s in facts.cpt_sections if s.name == "Medicine")
    info = codes.classify("90281", facts)
    assert any(medicine.range_text in n for n in info.notes)
    assert re.fullmatch(r"\d{5}-\d{5}(, \d{5}-\d{5})+", medicine.range_text)


@pytest.mark.parametrize(
    ("text", "head", "mod"), [("99213-25", "99213", "25"), ("j1745-jw", "J1745", "JW")]
)
def test_code_with_modifier_attached_is_not_guessed_but_explained(facts, text, head, mod):
    info = codes.classify(text, facts)
    assert info.system == "unknown"
    assert any(f"code {head} with the modifier {mod}" in n for n in info.notes)


# --- never a crash, whatever is typed -------------------------------------------------------


CODEY = st.sampled_from(
    ["99213", "J1745", "-59", "modifier", " and ", ", ", "E11.9", "0SR9019", "lt", "25", "-", "/"]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(CODEY, st.text(max_size=8)), max_size=12).map("".join))
def test_detect_and_classify_never_fail(facts, question):
    hits = codes.detect(question, facts)
    assert len(hits) <= codes.MAX_CODES
    starts = [f.start for f in hits]
    assert starts == sorted(starts)
    for f in hits:
        assert question[f.start : f.end] == f.text
        assert f.shape in ("code", "modifier")
        info = codes.classify(f.text, facts, shape=f.shape)
        assert info.system in SYSTEMS
    assert codes.classify(question, facts).system in SYSTEMS


@pytest.mark.parametrize("code", ["P1", "P3", "P6", "1P", "8P"])
def test_cpt_modifiers_written_with_a_letter_are_cpt_modifiers(facts, code):
    """CPT's own modifiers include the physical status (P1-P6) and performance measurement
    (1P-8P) modifiers, though they look like Level II modifiers."""
    info = codes.classify(code, facts, shape="modifier")
    assert (info.system, info.hcpcs_level, info.maintainer) == ("CPT modifier", "I", "AMA")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a space where the dot goes, beside words of diagnosis codes
        ("What is diagnosis code Z34 91?", [("Z34 91", C)]),
        ("icd 10 code e11 9 for diabetes", [("E11 9", C)]),
        # or beside two words of what the code describes ("Obstructive sleep apnea ...")
        ("What is obstructive sleep apnea G47 33?", [("G47 33", C)]),
        # or in a question that only asks what it is
        ("What is F32 89?", [("F32 89", C)]),
        ("f02 80", [("F02 80", C)]),
        ("what does G47 33 mean", [("G47 33", C)]),
        # one such word is not enough
        ("We saw sleep G47 33 patients", []),
        # not a code of the code set with its dot, or no diagnosis words: left as it is
        ("what is diagnosis code Z34 77?", []),
        ("Z34 91 is on the claim", []),
        # the article "a" after a category is no letter of a code (E11.A exists)
        ("Is E11 a billable diagnosis code?", []),
    ],
)
def test_an_icd_10_cm_code_typed_with_a_space_for_its_dot(facts, question, expected):
    got = [(t, s) for t, s in found(question, facts) if " " in t]
    assert got == expected


def test_an_icd_10_cm_code_typed_with_a_space_is_classified_with_its_dot(facts):
    info = codes.classify("Z34 91", facts)
    assert (info.system, info.code) == ("ICD-10-CM", "Z34.91")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a hyphen where the dot goes, a digit after it, beside words of diagnosis codes
        ("What is ICD-10 code Z79-891?", ["Z79-891"]),
        ("Is E11-9 a billable diagnosis code?", ["E11-9"]),
        # a range of categories is no code
        ("Are diagnosis codes E08-E13 for diabetes?", []),
        # not in the code set with its dot: left alone
        ("What is diagnosis code Z34-77?", []),
    ],
)
def test_an_icd_10_cm_code_typed_with_a_hyphen_for_its_dot(facts, question, expected):
    assert [t for t, _s in found(question, facts) if "-" in t] == expected


def test_an_icd_10_cm_code_typed_with_a_hyphen_is_classified_with_its_dot(facts):
    info = codes.classify("Z79-891", facts)
    assert (info.system, info.code) == ("ICD-10-CM", "Z79.891")


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Z49", "Z49"),
        ("m54", "m54"),
        ("What does R05 mean?", "R05"),
        ("what is code K12?", "K12"),
        ("G20 code", "G20"),
        # a greeting before it or a closing courtesy after it asks nothing
        ("Hi, what does K02 mean? Thanks!", "K02"),
        ("Hello all - what is code K12? Thanks in advance", "K12"),
        ("Can you tell me what does R05 mean?", "R05"),
    ],
)
def test_a_category_asked_about_alone_is_a_code(facts, question, code):
    """An ICD-10-CM category with subdivisions, asked about alone, is the code: unless the
    knowledge base names the word as a term of its own."""
    assert [f.text for f in codes.detect(question, facts, named_term=lambda w: False)] == [code]
    assert codes.detect(question, facts, named_term=lambda w: w == code.lower()) == []


@pytest.mark.parametrize(
    "question",
    [
        "Z49 and dialysis",  # more than the code: its words decide
        "what does U99 mean",  # no such category
        "what is Q00 for",
    ],
)
def test_a_category_is_a_code_only_when_it_exists_and_is_asked_about_alone(facts, question):
    assert codes.detect(question, facts, named_term=lambda w: False) == []
