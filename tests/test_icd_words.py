"""Finding ICD-10-CM codes by the condition they name (assistant/codes/icd_words.py)."""

from __future__ import annotations

import re

import pytest

from assistant.codes import icd_words

HAS_WORDS = icd_words.DEFAULT_PATH.exists()


def listed(reply) -> list[str]:
    """The ICD-10-CM codes a reply gives for a condition, in order: the code it names, when
    it names one (a card), then the codes it lists."""
    return [info.code for info in reply.codes] + re.findall(
        r"^- `([^`]+)`", reply.body, re.MULTILINE
    )


needs_words = pytest.mark.skipif(not HAS_WORDS, reason="package built without the ICD words")


@pytest.mark.parametrize(
    ("question", "what"),
    [
        ("What is the ICD-10 code for low back pain?", "low back pain"),
        ("the ICD\u201110 (10th Revision) code for Vitamin D deficiency", "vitamin d deficiency"),
        ("icd 10 codes for a history of falling", "a history of falling"),
        ("diagnosis code of Headache, unspecified?", "headache, unspecified"),
        ("Which ICD-10-CM code is appropriate for screening mammogram?", "screening mammogram"),
        # an exercise naming the condition after a colon
        (
            "Code the following conditions according to ICD-10 coding conventions: Plaque "
            "psoriasis",
            "plaque psoriasis",
        ),
        ("Assign codes to the following diagnoses: acute sinusitis.", "acute sinusitis"),
        # the code set said after the condition
        ("What is the code for a retained placenta in ICD-10-CM?", "a retained placenta"),
        ("what code do we use for pink eye in icd 10", "pink eye"),
        # a patient's diagnosis, the code set unsaid
        (
            "What code is assigned for a patient diagnosed with Type 2 Diabetes Mellitus?",
            "type 2 diabetes mellitus",
        ),
        ("Which code is reported for a diagnosis of acute sinusitis?", "acute sinusitis"),
        # a Z code asked for by its letter
        ("What is the Z-code for screening for colon cancer?", "screening for colon cancer"),
        ("which z code for a family history of diabetes", "a family history of diabetes"),
    ],
)
def test_the_condition_asked_for_is_read(question, what):
    assert icd_words.asked_for(question) == what


@pytest.mark.parametrize(
    "question",
    [
        "What ICD-10 codes are not billable?",
        "who maintains ICD-10-CM?",
        "what is a dx code",
        "Code the following: 99213 with modifier 25?",
        # how to code asks for the rule, which an entry gives
        "How do I code sepsis in ICD-10-CM?",
        # the code of a service given for a diagnosis
        "What CPT code is used for a patient diagnosed with asthma who gets a nebulizer?",
        # the case told before the question, pointed back to
        "She is here today for a breast ultrasound. What are the ICD-10-CM codes for this encounter?",
        "What is the ICD-10 code for her condition?",
    ],
)
def test_questions_about_the_code_set_ask_for_no_condition(question):
    assert icd_words.asked_for(question) is None


@needs_words
@pytest.mark.parametrize(
    ("words", "first"),
    [
        ("Headache, unspecified", "R51.9"),
        ("history of falling", "Z91.81"),
        ("screening mammogram", "Z12.31"),
        # among codes that match alike, the least specific comes first
        ("hypertension", "I10"),
        ("type 2 diabetes", "E11.9"),
        # an inclusion term names its code ("Lapsed immunization schedule status")
        ("lapsed immunization schedule status", "Z28.39"),
        # a typed stem reaches the longer word of the description ("exam", "examination")
        ("dental exam", "Z01.20"),
        # a category billable as written that is also a block of its own (B20)
        ("HIV disease", "B20"),
    ],
)
def test_a_condition_finds_its_code(words, first):
    hits = icd_words.search(words)
    assert hits and hits[0].code == first


@needs_words
@pytest.mark.parametrize("words", ["zxqv blorft", "the weather in Paris today", ""])
def test_words_no_description_says_find_nothing(words):
    assert icd_words.search(words) == []


def test_without_a_words_file_nothing_is_found(tmp_path):
    bad = tmp_path / "icd10cm.words"
    bad.write_bytes(b"not a words file\n")
    icd_words.use(bad)
    try:
        assert icd_words.search("low back pain") == []
    finally:
        icd_words.use(icd_words.DEFAULT_PATH)


@needs_words
def test_a_question_for_a_conditions_code_lists_the_codes(assistant_):
    reply = assistant_.answer("What is the ICD-10 code for back pain?")
    assert reply.kind == "answer" and reply.confidence == "uncertain" and reply.score > 0
    assert "`M54." in reply.body and "Alphabetic Index" in reply.body
    assert reply.sources and reply.sources[0].startswith("CDC/NCHS: ICD-10-CM")


@needs_words
def test_a_condition_said_and_no_more_gets_its_unspecified_code(assistant_):
    reply = assistant_.answer("What is the ICD-10 code for low back pain?")
    assert reply.kind == "code" and [info.code for info in reply.codes] == ["M54.50"]
    assert "`M54.59` Other low back pain" in reply.body


@needs_words
@pytest.mark.parametrize(
    ("question", "first"),
    [
        # an injury's initial encounter before its sequela; a fracture closed unless said open
        ("What is the ICD-10 code for struck by dog?", "W54.1XXA"),
        ("ICD-10 code for torus fracture of lower end of right radius", "S52.521A"),
    ],
)
def test_an_injury_is_listed_first_with_its_initial_encounter(assistant_, question, first):
    reply = assistant_.answer(question)
    assert reply.codes[0].code == first


@needs_words
def test_an_entry_naming_the_code_asked_for_is_shown_with_its_card(assistant_):
    reply = assistant_.answer("What is the ICD-10 code for bitten by dog?")
    assert reply.entry is not None and "`W54.0XXA`" in reply.body
    assert [info.code for info in reply.codes] == ["W54.0XXA"]
    assert reply.cards.startswith("**The code asked for**")


@needs_words
def test_words_that_only_half_match_a_description_leave_the_question_to_an_entry(assistant_):
    question = (
        "What is the first and second place that a coder goes to locate ICD-10-CM codes for a "
        "patient's disease or condition?"
    )
    reply = assistant_.answer(question)
    assert reply.entry_id == "icd10cm-index-and-tabular" and not reply.codes


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What is the generalized anxiety disorder ICD 10 code?", True),
        ("hyperlipidemia icd-10-cm code", True),
        ("what's the low back pain diagnosis code", True),
        # the code set first, or more than a name before it
        ("What is the ICD-10 code for low back pain?", False),
        ("Why is the hyperlipidemia ICD-10 code denied?", False),
    ],
)
def test_a_condition_named_before_the_code_set_is_read(question, named):
    assert icd_words.names_before(question) is named


@pytest.mark.parametrize(
    ("question", "what"),
    [
        ("Which of the following is the correct code for acute bronchitis?", "acute bronchitis"),
        ("What is the code for hypertension?", "hypertension"),
    ],
)
def test_the_code_asked_for_a_name_is_read_after_which_of_the_following(question, what):
    assert icd_words.asked_plainly(question) == what


@needs_words
@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("What is the generalized anxiety disorder ICD 10 code?", "F41.1"),
        ("hypothyroidism icd 10 code", "E03.9"),
    ],
)
def test_a_condition_named_before_the_code_set_gets_its_code(assistant_, question, code):
    reply = assistant_.answer(question)
    assert reply.kind == "code" and reply.codes[0].code == code


@needs_words
@pytest.mark.parametrize(
    "question", ["What is the correct ICD-10 code?", "what is the new icd 10 code"]
)
def test_a_word_before_the_code_set_that_names_no_condition_finds_no_code(assistant_, question):
    assert assistant_.answer(question).kind == "answer"


def test_narrower_readings_follow_of_and_for():
    assert icd_words.narrower("documentation of lapsed immunization status") == [
        "documentation of lapsed immunization status",
        "lapsed immunization status",
    ]


@needs_words
def test_words_around_the_condition_are_dropped_when_nothing_matches(assistant_):
    reply = assistant_.answer("Which ICD-10-CM code fits the documentation of low back pain?")
    assert listed(reply)[0] == "M54.50"


@needs_words
def test_an_entry_that_names_the_codes_still_answers(assistant_):
    """The dental diagnosis entry names Z01.20 and Z01.21: it answers, with its context."""
    reply = assistant_.answer("What is the ICD-10 code for dental examination?")
    assert reply.entry_id is not None and "`Z01.20`" in reply.body


@needs_words
@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("What is the ICD-10 code for UTI?", "`N39.0`"),
        ("icd 10 code for CHF", "`I50.9`"),
        ("dx code for T2DM", "`E11.9`"),
    ],
)
def test_an_abbreviated_condition_is_looked_up_in_the_code_sets_words(assistant_, question, code):
    """Coders write conditions as abbreviations the code set never uses; the diagnosis
    abbreviations list (knowledge/lexicon/diagnosis-abbreviations.md) spells them out."""
    reply = assistant_.answer(question)
    assert code.strip("`") in listed(reply)


@needs_words
def test_every_diagnosis_abbreviation_is_wording_of_the_code_set():
    """Each expansion finds ICD-10-CM codes: it is the code set's own wording, not a guess."""
    from assistant.codes.hcpcs import lexicon as abbreviations

    listed = abbreviations.load(relative=abbreviations.DIAGNOSIS_PATH)
    assert listed.problems == () and len(listed.expansions) >= 30
    unfound = [a for a, words in listed.expansions.items() if not icd_words.search(words)]
    assert unfound == []


@needs_words
def test_codes_of_a_setting_come_after_the_general_code_unless_the_setting_is_named():
    """A newborn's or a history code matching as fully as the general code is less likely
    the one meant; naming the setting ("in pregnancy") keeps its chapter's codes."""
    found = [hit.code for hit in icd_words.search("urinary tract infection")]
    assert found.index("N39.0") < found.index("P39.3") < found.index("Z87.440")
    assert icd_words.search("urinary tract infection in pregnancy")[0].code.startswith("O")


@needs_words
def test_what_follows_an_in_is_left_off_when_nothing_matches(assistant_):
    """ "... in medical billing" says where the question comes from, not the condition."""
    assert icd_words.narrower("vitamin d deficiency in medical billing")[-1] == (
        "vitamin d deficiency"
    )
    assert icd_words.narrower("vitamin d deficiency for a medicare patient")[-1] == (
        "vitamin d deficiency"
    )
    assert "screening" not in icd_words.narrower("screening for colon cancer")
    reply = assistant_.answer(
        "What is the ICD-10 code for vitamin D deficiency in medical billing?"
    )
    assert listed(reply)[0] == "E55.9"


@needs_words
def test_a_name_that_finds_nothing_is_looked_up_without_its_commonest_word(assistant_):
    """ "bilateral knee pain": no description says "bilateral" of knee pain, so the name finds
    nothing as it is; without its commonest word it finds the knee pain codes. Two words are
    not loosened."""
    assert icd_words.search("bilateral knee pain") == []
    assert icd_words.loosened("bilateral knee pain") == "knee pain"
    assert icd_words.loosened("knee pain") is None
    reply = assistant_.answer("What is the ICD-10 code for bilateral knee pain?")
    assert "`M25.561`" in reply.body and "`M25.562`" in reply.body
    assert reply.kind == "answer" and reply.confidence == "uncertain"


@needs_words
@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("shingles", "B02.9"),  # an includes note of B02; "without complications" is the default
        ("frozen shoulder", "M75.00"),  # an inclusion term of M75.0
        ("tennis elbow", "M77.10"),  # an inclusion term of M77.1
        ("routine eye exam", "Z01.00"),  # "routine examination" in Z01's includes note
    ],
)
def test_the_notes_of_the_codes_above_a_code_name_it_too(assistant_, name, first):
    """Inclusion terms and includes notes written at a category or subcategory hold for every
    code below it: the common name finds the codes, the default one first."""
    assert first in {hit.code for hit in icd_words.search(name, limit=20)}
    reply = assistant_.answer(f"What is the ICD-10 code for {name}?")
    assert listed(reply)[0] == first
    # the best match, valid on a claim, has its card beside the list; the list stays uncertain
    assert [info.code for info in reply.codes] == [first] and first in reply.cards
    assert reply.kind == "answer" and reply.confidence == "uncertain"


@needs_words
def test_a_qualifier_after_the_name_is_left_out(assistant_):
    qualified = assistant_.answer("What is ICD 10 code for routine eye exam in medical billing?")
    assert "`Z01.00`" in qualified.body


@pytest.mark.parametrize(
    ("what", "description", "exactly", "wholly"),
    [
        (
            "type 2 diabetes mellitus without complications",
            "Type 2 diabetes mellitus without complications",
            True,
            True,
        ),
        ("the hypertension", "Essential (primary) hypertension", False, False),
        ("essential hypertension", "Essential (primary) hypertension", True, True),
        # "other" and "unspecified" say which code of a family
        ("low back pain", "Other low back pain", False, False),
        # a default code's words ("unspecified") are what a condition said and no more gets:
        # named exactly, but not wholly, which leaves no word of the description out
        ("low back pain", "Low back pain, unspecified", True, False),
        ("urinary tract infection", "Urinary tract infection, site not specified", True, False),
        ("hyperlipidemia", "Hyperlipidemia, unspecified", True, False),
        ("low back pain", "Vertebrogenic low back pain", False, False),
        ("", "", False, False),
    ],
)
def test_a_description_names_the_condition_only_word_for_word(what, description, exactly, wholly):
    assert icd_words.names_exactly(what, description) is exactly
    assert icd_words.names_wholly(what, description) is wholly


@needs_words
def test_a_condition_named_as_a_codes_description_gets_that_code_and_its_card(assistant_):
    reply = assistant_.answer(
        "What code is assigned for a patient diagnosed with type 2 diabetes mellitus without "
        "complications?"
    )
    assert reply.kind == "code" and reply.confidence == "high"
    assert [info.code for info in reply.codes] == ["E11.9"]
    assert reply.lead.startswith("`E11.9` is the ICD-10-CM code") and "E11.9" in reply.cards
    # the codes of close descriptions follow
    assert "`E11.8`" in reply.body and "Alphabetic Index" in reply.body


@needs_words
@pytest.mark.parametrize(
    ("condition", "first"),
    [
        # a condition named and no more is coded to its default (unspecified) code, not to an
        # "Other ..." code or a named type
        ("low back pain", "M54.50"),
        ("chest pain", "R07.9"),
        ("asthma", "J45.909"),
        ("pneumonia", "J18.9"),
        ("anemia", "D64.9"),
        ("urinary tract infection", "N39.0"),
        # one that the words name exactly keeps its place
        ("hypertension", "I10"),
        ("type 2 diabetes", "E11.9"),
    ],
)
def test_a_condition_named_and_no_more_lists_its_default_code_first(assistant_, condition, first):
    reply = assistant_.answer(f"What is the ICD-10 code for {condition}?")
    assert listed(reply)[0] == first, listed(reply)


@needs_words
@pytest.mark.parametrize(
    ("question", "code", "entry"),
    [
        # the COPD entry names the pneumonia code reported with J44.0, and the sepsis entry
        # the urinary tract infection's: neither is about that condition, so the codes come
        ("What is the ICD-10 code for pneumonia?", "J18.9", None),
        ("What is the ICD-10 code for urinary tract infection?", "N39.0", None),
        # an entry about the condition asked answers it, with its code
        ("icd 10 code for COPD", None, "copd-diagnosis-codes-j44"),
    ],
)
def test_an_entry_answers_a_condition_s_code_only_when_it_is_about_it(
    assistant_, question, code, entry
):
    reply = assistant_.answer(question)
    if code is not None:
        assert listed(reply)[0] == code, listed(reply)
    assert reply.entry_id == entry


def test_codes_are_ordered_by_the_words_they_add_beyond_a_default():
    found = [
        (icd_words.Hit("M54.59", 1.0), "Other low back pain"),
        (icd_words.Hit("M54.51", 0.98), "Vertebrogenic low back pain"),
        (icd_words.Hit("M54.50", 0.98), "Low back pain, unspecified"),
        (icd_words.Hit("X99.9", 0.5), "Something far less alike"),
    ]
    ordered = [hit.code for hit, _ in icd_words.by_default("low back pain", found)]
    assert ordered == ["M54.50", "M54.59", "M54.51", "X99.9"]


def test_of_codes_that_add_as_many_words_the_one_with_the_words_as_written_comes_first():
    """ "immunization" and "immune" are one stem: the description that says "immunization"
    comes first among those that add as many words."""
    found = [
        (icd_words.Hit("D69.3", 0.96), "Immune thrombocytopenic purpura"),
        (icd_words.Hit("Z23", 0.93), "Encounter for immunization"),
    ]
    ordered = [hit.code for hit, _ in icd_words.by_default("immunization", found)]
    assert ordered == ["Z23", "D69.3"]


@needs_words
@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("What is the code for asthma?", "J45.909"),
        ("what is the code for a UTI", "N39.0"),
        ("What is the code for low back pain?", "M54.50"),
    ],
)
def test_the_code_for_a_condition_named_exactly_is_its_diagnosis_code(assistant_, question, code):
    """No code set named: a diagnosis code answers when its description names exactly what
    was asked."""
    reply = assistant_.answer(question)
    assert reply.kind == "code" and [info.code for info in reply.codes] == [code]


@needs_words
def test_the_code_for_a_service_is_no_diagnosis_code(assistant_):
    reply = assistant_.answer("What is the code for a flu shot?")
    assert reply.kind == "answer" and all(info.system != "ICD-10-CM" for info in reply.codes)


def test_who_has_the_condition_is_left_off_its_name():
    assert "prediabetes" in icd_words.narrower("a patient with prediabetes")
    assert "vitamin d deficiency" in icd_words.narrower(
        "a 45-year-old woman with vitamin d deficiency"
    )
    # ("with" inside a condition's name stays: "diabetes with hyperglycemia")
    assert icd_words.narrower("diabetes with hyperglycemia") == ["diabetes with hyperglycemia"]


def test_a_hyphenated_prefix_is_tried_joined_first():
    assert list(icd_words.names_to_try("pre-diabetes"))[:2] == ["prediabetes", "pre-diabetes"]
    # (a hyphen that is no prefix's stays as it is)
    assert list(icd_words.names_to_try("x-ray finding"))[0] == "x-ray finding"


@needs_words
def test_a_condition_written_with_a_hyphen_or_after_who_has_it_finds_its_code(assistant_):
    reply = assistant_.answer("What is the ICD-10 code for a patient with pre-diabetes?")
    assert listed(reply)[0] == "R73.03"


@pytest.mark.parametrize(
    ("question", "what"),
    [
        ("icd10 for uti in pregnancy", "uti in pregnancy"),
        ("dx for low back pain", "low back pain"),
        ("What is the ICD-10 for hypertension?", "hypertension"),
    ],
)
def test_shorthand_with_no_code_still_asks_for_the_condition(question, what):
    assert icd_words.asked_for(question) == what


def test_a_longer_question_is_no_shorthand_for_a_condition():
    # ("for" after ICD-10 in a longer sentence says more than a condition's name)
    text = "ICD-10 for the outpatient, inpatient and physician office coding rules in one place"
    assert icd_words.asked_for(text) is None


@needs_words
def test_an_entry_on_a_narrower_condition_does_not_answer_the_broader_one(assistant_):
    """The entry on exercise-induced asthma names "asthma" in its title, but a question on the
    code for asthma gets the code set's default code; the narrower question gets the entry."""
    plain = assistant_.answer("What is the ICD-10 code for asthma?")
    assert listed(plain)[0] == "J45.909" and plain.entry_id != "exercise-induced-bronchospasm-code"
    narrow = assistant_.answer("What is the ICD-10 code for exercise induced asthma?")
    assert narrow.entry_id == "exercise-induced-bronchospasm-code"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # the title names depression alone too, beside the screening code's name
        ("What is the Z code for depression?", "depression-z-codes-screening"),
        # the words of a narrower name that the question says itself ("Z code") narrow nothing
        (
            "What is an ICD-10-CM Z code for Social Determinants of Health (SDOH)?",
            "icd10cm-sdoh-z-codes",
        ),
    ],
)
def test_an_entry_naming_the_condition_alone_still_answers(assistant_, question, entry):
    assert assistant_.answer(question).entry_id == entry


@needs_words
def test_a_condition_with_an_entry_of_its_own_gets_the_entry(assistant_):
    """An entry about the condition, naming its code, answers rather than the bare look-up:
    hyperlipidemia's entry tells it from high cholesterol (E78.5 against E78.00)."""
    reply = assistant_.answer("hyperlipidemia icd 10 code")
    assert reply.kind == "answer" and "`E78.5`" in reply.markdown and "`E78.00`" in reply.markdown


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("What is the ICD-10 code for tooth pain?", "tooth pain"),
        ("icd-10-cm code for pink eye", "pink eye"),
        ("Which diagnosis code for head lice?", "head lice"),
        ("What ICD 10 code covers lipid panel for Medicare?", None),  # says more than a name
        ("Why is a diagnosis code necessary for billing?", None),
    ],
)
def test_a_question_that_is_only_a_look_up(question, condition):
    assert icd_words.asked_only(question) == condition


@needs_words
@pytest.mark.parametrize(
    "condition", ["zorblax disease", "gum disease", "pink eye", "head lice", "bed bugs"]
)
def test_a_condition_no_code_or_entry_names_is_not_answered_with_another_conditions_entry(
    assistant_, condition
):
    """No description or inclusion term says it, and no entry is about it: the reply says so
    and points to the Alphabetic Index, rather than giving another condition's entry."""
    reply = assistant_.answer(f"What is the ICD-10 code for {condition}?")
    assert reply.kind == "fallback" and reply.confidence == "none"
    assert condition in reply.body and "Alphabetic Index" in reply.body
    assert not reply.codes


@needs_words
def test_an_entry_whose_title_names_most_of_the_condition_still_answers(assistant_):
    reply = assistant_.answer(
        "What is the diagnosis code for routine vision without any complications?"
    )
    assert reply.kind == "answer" and "Z01.0" in reply.body
