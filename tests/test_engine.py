"""The answer engine: the lexicon, the reading of a question (concepts, intents, yes/no,
pasted options, out-of-scope), the ranking of entries, the answers composed from the facts,
and the one confidence rule. Pure functions, parametrised, on the built-in knowledge base."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from assistant.core import check, kb, lexicon
from assistant.core.text import words as text_words
from assistant.core.understand import read_question


@pytest.fixture(scope="module")
def lex(assistant_):
    return assistant_.lexicon


def read(assistant_, text):
    return assistant_.read(text)


# --- words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hcpc vs cpt4", ["hcpcs", "versus", "cpt"]),
        ("who's in charge of level ii", ["who", "is", "maintain", "level", "2"]),
        ("what's a modifier", ["what", "is", "a", "modifier"]),  # not a possessive
        ("the payer's policy", ["the", "payer", "policy"]),
        ("lvl two codes", ["level", "2", "codes"]),
        ("the second level", ["the", "level", "2"]),
        ("category iii", ["category", "3"]),
        ("e/m and E&M", ["em", "and", "em"]),
        ("isn't it", ["is", "not", "it"]),
        ("what does ▲ mean", ["what", "does", "triangle", "mean"]),
        # an opening that asks nothing is read as nothing
        ("can you tell me what is cpt", ["what", "is", "cpt"]),
        ("can you tell me if 99213 is e/m", ["does", "99213", "is", "em"]),
        ("hi all quick question what is cpt", ["what", "is", "cpt"]),
        ("what are j codes in medical billing", ["what", "are", "#j", "codes"]),
        ("►◄ indicates", ["facing", "triangles", "indicates"]),
        ("a ●new code", ["a", "bullet", "new", "code"]),
    ],
)
def test_reading_applies_the_words_and_phrases_tables(lex, text, expected):
    assert lex.read(text) == expected


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("what are j codes", "#j"),
        ("J-codes", "#j"),
        ("the C section", "#c"),
        ("codes starting with J", "#j"),
        ("codes beginning with the letter a", "#a"),
        ("what is an a code", "#a"),
        ("a codes", "#a"),
        ("cpt codes ending in T", "#t"),
        ("what are G billing codes", "#g"),
        ("J HCPCS codes for drugs", "#j"),
    ],
)
def test_section_letters_are_marked(lex, text, letter):
    assert letter in lex.read(text)


@pytest.mark.parametrize(
    "text",
    [
        "is there a code for crutches",
        "a code for a walker",
        "can i code it",
        "I code",
        "is there a billing code for a flu shot",
    ],
)
def test_words_a_and_i_are_not_section_letters(lex, text):
    assert not any(w.startswith("#") for w in lex.read(text))


@pytest.mark.parametrize(
    ("text", "concept", "named"),
    [
        # a modal verb starts what is said of the subject: "condition ... coded" is no
        # "condition code"
        ("a symptom condition should be coded first", "condition-code", False),
        ("what is a condition code on the UB-04", "condition-code", True),
        # a doer ("modifier", "indicator", "supplier") is not the verb or thing its stem shares
        ("what does a modifier indicate on a claim", "ncci-modifier-indicator", False),
        ("what is a modifier indicator", "ncci-modifier-indicator", True),
        ("how do I modify a claim", "modifier", False),
        ("what does modifier 25 mean", "modifier-25", True),
        ("are dme supplies bundled", "dmepos-supplier", False),
        ("the dme supplier enrollment standards", "dmepos-supplier", True),
        # a function word that is no modal is still read across
        ("can a claim be denied", "claim-denial", True),
        # a specialty named with "medicine" is no CPT section (phrases.md)
        ("a letter from our internal medicine group", "cpt-medicine", False),
        ("which codes are in the medicine section", "cpt-medicine", True),
    ],
)
def test_an_alias_is_not_read_across_a_modal_or_from_another_word_form(lex, text, concept, named):
    found = [f.concept for f in lex.find_concepts(lex.terms(text))]
    assert (concept in found) is named


def test_the_g_modifiers_are_modifiers_not_the_g_codes(lex):
    """GA, GY, GZ... are "the G modifiers": the letter starts their names, it is no section."""
    found = [f.concept for f in lex.find_concepts(lex.terms("What role do G modifiers play?"))]
    assert "level2-g" not in found and "modifier" in found


# --- concepts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "concepts"),
    [
        ("What is the difference between CPT code and J code?", {"cpt", "level2-j"}),
        ("how do Level I and Level II codes differ", {"cpt", "hcpcs-level-2"}),
        ("who assigns J codes?", {"level2-j"}),
        ("what's a level 3 visit", {"em-level"}),
        ("what were level 3 codes", {"hcpcs-level-3"}),
        ("gy vs gz", {"modifier-gy", "modifier-gz"}),
        ("durable medical equipment", {"dme"}),
        ("behavioral health hcpcs codes", {"level2-h"}),
        ("Healthcare Common Procedure Coding System", {"hcpcs"}),
        ("what are X modifiers", {"x-modifiers"}),
        ("cpt codes ending in T", {"cpt-category-3"}),
        ("may those two be billed together on one day", {"ptp-edit"}),
        ("who hands out type 2 npis", {"npi"}),  # an acronym's plural
        ("do ndcs go on the claim", {"ndc"}),
    ],
)
def test_concepts_named_in_a_question(assistant_, question, concepts):
    assert concepts <= set(read(assistant_, question).concepts)


def test_a_word_ending_in_ss_is_no_acronym_plural(assistant_):
    """ "tossed" is stemmed "toss", which is no plural of TOS (type of service)."""
    assert "type-of-service" not in read(assistant_, "We tossed the rest of the vial").concepts
    assert "type-of-service" in read(assistant_, "what are the tos codes").concepts


@pytest.mark.parametrize(
    "question",
    [
        # a prefix joined by a hyphen is part of a word, not modifier CO
        "A new co-worker said we should bill the administration too",
        "Our co-pay policy changed",
    ],
)
def test_a_two_letter_word_part_names_no_modifier(assistant_, question):
    assert not any(c.startswith("modifier-") for c in read(assistant_, question).concepts)


def test_concepts_come_from_the_facts_tables(lex, facts):
    for letter in facts.level2:
        assert f"level2-{letter.lower()}" in lex.concepts
    for code in facts.modifiers:
        assert f"modifier-{code.lower()}" in lex.concepts
    assert "cpt-surgery" in lex.concepts and "cpt-category-3" in lex.concepts


def test_concept_tree(lex):
    assert lex.ancestors("level2-j")[0] == "hcpcs-level-2"
    assert "hcpcs" in lex.ancestors("level2-j")
    assert lex.distance("level2-j", "hcpcs") == 2
    assert "cpt" in lex.ancestors("modifier-25")


# --- intents, yes/no, options, scope -----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("who assigns J codes?", "who"),
        ("Which organization publishes CPT?", "who"),
        ("when is hcpcs updated", "when"),
        ("on what date do new CPT codes take effect", "when"),
        ("When should modifier 25 be used?", "bill"),
        ("how many digits are in a cpt code", "count"),
        ("hcpcs vs cpt", "compare"),
        ("how do Level I and Level II codes differ", "compare"),
        ("where can I download the hcpcs file", "where"),
        ("what is the code for a walker", "which-code"),
        # the code that is right for a case told before asks which code, however it is put
        ("A patient has glaucoma in one eye. What is the appropriate ICD-10 code?", "which-code"),
        ("what does hcpcs stand for", "define"),
        ("why is E/M first in the book", "why"),
        ("how are CPT and HCPCS different", "compare"),
        ("who developed the HCPCS Level II codes", "who"),
        ("which codes were developed by CMS", "who"),
        ("Does CMS maintain the HCPCS Level II codes?", "who"),
        ("who owns CPT", "who"),
        ("who writes the HCPCS Level II codes", "who"),
        ("who creates cpt codes", "who"),
        ("CPT is owned by which organization", "who"),
        ("how many years do Category III codes stay in CPT", "when"),  # a length of time
        ("Which term describes billing the parts of one procedure separately?", "define"),
        # a leading condition is not a question about when
        ("When a claim is sent to the payer, the process of deciding it is called what?", "define"),
        ("When the CPT book is updated each year, when do new codes take effect?", "when"),
        ("Reporting a higher level than the service supports is known as", "define"),
        ("what group of people publishes the CPT book", "who"),
        ("which CPT code is different from 99213", "compare"),
        ("how is home dialysis training billed by the physician", "bill"),
        ("when do you code a flu shot with a G code", "bill"),  # not when codes change
        # an adverb between the asking words and the verb
        ("Can we still bill 99213 after the patient left early?", "bill"),
        ("should I also report the venipuncture", "bill"),
        # when a service may be billed asks its conditions, not a date
        ("When is a visit billable on the same day as a procedure?", "bill"),
        ("When is 99211 reportable?", "bill"),
    ],
)
def test_intents(assistant_, question, intent):
    assert read(assistant_, question).intent == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # Coders "assign" codes and modifiers; only "who assigns" or "assigned by" asks who.
        ("can modifier 22 be assigned to a critical care code?", "who"),
        ("what modifier should be assigned to the second procedure", "who"),
        ("how do I assign a diagnosis code to a screening visit", "who"),
        # "issue", "manage" and "administer" read as maintain, but ask who only in a question
        ("we had an issue with a denied claim for 99214", "who"),
        ("how do we manage denials for modifier 25", "who"),
        # a patient responsible for an amount owes it; no one maintains anything
        ("is the patient responsible for a co 97 adjustment", "who"),
        # "own" is a word of its own; only "who owns" or "owned by" asks who
        ("is the discarded drug billed on its own line of the claim?", "who"),
        # "different types of" names kinds of one thing, not two things compared
        ("Are there different types of modifiers?", "compare"),
        # same day, same specialty and contrast compare nothing
        ("can two visits be billed on the same day", "compare"),
        ("is a patient new if seen by the same specialty", "compare"),
        ("which code is used for a CT of the head with contrast", "compare"),
        # what a code named in the question is used for asks what it is, not which code
        ("What is HCPCS Code J7298 Used For?", "which-code"),
        ("what are 99291 and 99292 used for", "which-code"),
        ("What is the code R53.83?", "which-code"),
        ("what is the cpt code 99213", "which-code"),
        # the code set before "code for" says which kind of code is asked for, not what to define
        ("What is the ICD-10 code for diabetes with osteomyelitis?", "define"),
        ("what is the HCPCS code for a walker", "define"),
    ],
)
def test_intents_a_question_does_not_show(assistant_, question, intent):
    assert intent not in read(assistant_, question).intents


@pytest.mark.parametrize(
    ("question", "has_a"),
    [("Is HCPCS a diagnosis code?", False), ("what are HCPCS A codes", True), ("HCPCS A", True)],
)
def test_the_word_a_after_hcpcs_is_a_section_letter_only_before_its_noun(
    assistant_, question, has_a
):
    assert ("level2-a" in read(assistant_, question).concepts) is has_a


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        # HCPCS Level II has no Z section: "Z codes" are ICD-10-CM's, unless HCPCS is named.
        ("Can Z codes be listed as a primary code?", "icd-z-codes"),
        ("what are Z codes in HCPCS?", "level2-unused"),
    ],
)
def test_z_codes_are_icd_10_cm_unless_hcpcs_is_named(assistant_, question, concept):
    assert read(assistant_, question).concepts[0] == concept


def test_a_patient_who_develops_an_infection_asks_no_who_question(assistant_):
    reading = read(assistant_, "the patient developed an abscess after surgery, which modifier?")
    assert "who" not in reading.intents


def test_a_hearing_aid_is_not_its_battery(assistant_):
    assert read(assistant_, "what are the hearing aid codes").concepts == ("hearing-aid",)
    assert "hearing-aid-battery" in read(assistant_, "hearing aid battery code").concepts


def test_observation_alone_names_the_observation_topics(assistant_):
    assert (
        "observation" in read(assistant_, "which codes are used for observation in 2024").concepts
    )
    assert assistant_.lexicon.distance("observation-status", "observation") == 1


def test_words_said_only_inside_a_long_name_weigh_less(assistant_):
    """A name written out ("Healthcare Common Procedure Coding System") names HCPCS; its
    words weigh less than the question's own, and a short name's words count in full."""
    reading = read(assistant_, "items without a Healthcare Common Procedure Coding System code")
    assert {"healthcar", "common", "system"} <= reading.named
    assert "item" not in reading.named
    assert not read(assistant_, "what are J codes").named
    assert assistant_.answer("what is the Current Procedural Terminology").entry_id == "what-is-cpt"


_PRACTICE_STORY = (
    "Drs. A and B were both members of a same-specialty practice that closed, and now both "
    "physicians join a new same-specialty practice with a new NPI. Patient Jones saw Dr. A at "
    "the original practice and, within three years, now sees Dr. B during a first visit to the "
    "new practice. Please clarify whether Patient Jones is a new patient to Dr. B."
)


def test_concepts_named_only_in_the_story_of_a_long_question_weigh_less(assistant_):
    """The sentence that asks says what the question is about; the story around it names
    other things (the NPI) that should not pull the answer their way."""
    reading = read(assistant_, _PRACTICE_STORY)
    assert "new-patient" in reading.concepts and "new-patient" not in reading.story
    assert "npi" in reading.story
    told = assistant_.retriever._question_weights(reading)
    plain = assistant_.retriever._question_weights(replace(reading, story=frozenset()))
    npi = reading.concepts.index("npi")
    assert told[npi] < plain[npi]
    ranked = assistant_.retriever.rank(reading)
    assert ranked[0].entry_id == "new-vs-established-patient"


@pytest.mark.parametrize(
    "question",
    [
        # short: three "sentences" only because of the abbreviations' dots
        "If we send one TPN bag to infuse 12 hours, starting at 7 p.m. and ending 7 a.m. the "
        "next day, are we billing one or two units of B4220 and B4193?",
        # several sentences ask: which one the story belongs to is not known
        "I am an endocrinologist. A colleague says Medicare pays for doctor-to-doctor consults. "
        "I know very little about coding this. Can you give me some details? Do both the "
        "referring physician and the consultant use CPT codes? What about private payers?",
        # the one that asks points back to the story: the story says what it is about
        "We gave a patient 40 mg from an 80 mg single-dose vial. The rest was thrown away. Our "
        "clinic director says the discarded drug is a loss that cannot be billed. Am I missing "
        "this rule in the HCPCS book?",
    ],
)
def test_short_questions_and_several_questions_have_no_story(assistant_, question):
    assert read(assistant_, question).story == frozenset()


@pytest.mark.parametrize(
    ("question", "topic", "setting"),
    [
        ("jz modifier for a Medicare patient?", "modifier-jz", "medicare"),
        ("Which modifier shows a bilateral procedure for Medicaid?", "modifier", "medicaid"),
        ("What is a HCPCS code for a Medicare patient?", "hcpcs", "medicare"),
    ],
)
def test_a_payer_named_only_where_a_question_ends_is_its_setting(
    assistant_, question, topic, setting
):
    """ "... for a Medicare patient" says where the question applies, not what it is about:
    the payer is not one of its concepts (its words still count), and "code for" a payer asks
    for no code for a thing."""
    reading = read(assistant_, question)
    assert topic in reading.concepts
    assert setting not in reading.concepts
    assert ("which-code" in reading.intents) == ("which modifier" in question.lower())
    assert {"medicar", "medicaid"} & set(reading.keys)


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("Does Medicare cover hearing aids?", "medicare"),  # the payer is what it asks about
        ("Medicare?", "medicare"),  # all it names
        ("What does Medicare require for modifier JZ?", "medicare"),  # not where it ends
    ],
)
def test_a_payer_the_question_is_about_stays_a_concept(assistant_, question, concept):
    assert concept in read(assistant_, question).concepts


def test_an_abbreviation_the_question_spells_out_is_read_as_its_words(assistant_):
    """ "locum tenens (LT)" is not modifier LT (left side), here or where LT is used again;
    "Current Procedural Terminology (CPT)" reads the same either way and is left as written."""
    reading = read(
        assistant_,
        "Our practice turns her patients over to a locum tenens (LT) physician. Is there a "
        "modifier we should append to the LT services?",
    )
    assert "modifier-lt" not in reading.concepts
    assert "substitute-physician" in reading.concepts
    assert "cpt" in read(assistant_, "Current Procedural Terminology (CPT) codes").keys


def test_words_in_brackets_that_spell_out_the_abbreviation_before_them_are_said_once(
    assistant_,
):
    """ "ICD-10 (International Classification of Diseases, 10th Revision)" names ICD-10 twice:
    the second time would pull the answer to what ICD-10 is. Words in brackets that say
    something else stay ("POS-20 (urgent care facility)")."""
    question = (
        "What ICD-10 (International Classification of Diseases, 10th Revision) codes are "
        "necessary to bill for a 7-year-old's well-child exam?"
    )
    assert "internat" not in read(assistant_, question).keys
    assert assistant_.answer(question).entry_id != "what-is-icd-10"
    # typed in lower case too
    assert "internat" not in read(assistant_, question.lower()).keys
    assert (
        "terminolog"
        not in read(
            assistant_, "can cpt (current procedural terminology) code 90833 go with 99204?"
        ).keys
    )
    assert "urgent" in read(assistant_, "Do we bill POS (urgent care facility) here?").keys


def test_words_said_around_the_sentence_that_asks_weigh_less(assistant_):
    """A sentence that sets the scene before a question about a topic of its own adds words
    that should not pull the answer to entries about coders or practices."""
    reading = read(assistant_, "I'm a new coder at a small practice. What is a HCPCS code?")
    assert {"coder", "practic"} <= reading.told and "hcpcs" not in reading.told
    assert (
        assistant_.answer("I'm a new coder at a small practice. What is a HCPCS code?").entry_id
        == "what-is-hcpcs"
    )


def test_a_scene_that_names_nothing_weighs_less_before_any_question(assistant_):
    """ "I work in a small family practice." names no concept or number: its words weigh less
    before an exam item that names none either, which is then still answered."""
    question = (
        "I work in a small family practice. If the first digit is 1 then the type of facility is a:"
    )
    assert {"famili", "practic"} <= read(assistant_, question).told
    assert (
        assistant_.answer(question).entry_id
        == assistant_.answer("If the first digit is 1 then the type of facility is a:").entry_id
    )


@pytest.mark.parametrize(
    "question",
    [
        "May I bill for more than one injection per visit?",
        "How is MUE calculated?",
        "What are some typical reasons why an item or service may not be covered?",
        # a "what is" question's topic is still the one it defines
        "What type of form is used to submit a DME claim?",
        # a greeting before the yes/no question still opens it
        "Hello, can we bill cpt code 90966 twice in a month for medicare",
        # an exam item's options are still chosen by its stem, not by the scene
        "All categories are _____ characters. A. 3 B. 4 C. 5 D. 7",
    ],
)
def test_a_scene_about_the_asker_leaves_the_answer_as_it_was(assistant_, question):
    """ "I work in a small family practice." tells who asks, not what about: the question after
    it gets the entry (and the Yes or No) it gets alone, although the scene's "small" is also
    a word of the entry on small joints."""
    scene = f"I work in a small family practice. {question}"
    assert read(assistant_, scene).scene and not read(assistant_, question).scene
    alone, after = assistant_.answer(question), assistant_.answer(scene)
    assert after.entry_id == alone.entry_id
    assert after.markdown.split()[0] == alone.markdown.split()[0]


@pytest.mark.parametrize(
    "question",
    [
        "tell me a joke",
        "what's the capital of australia",
        "What should I take for a headache?",
        "What Is Triamcinolone Acetonide?",
        "How old do you have to be to get Medicare?",
    ],
)
def test_a_scene_about_billing_work_makes_no_question_about_billing(assistant_, question):
    """ "I just started as a billing specialist." tells who asks: a question after it that is
    off topic, or out of scope, alone stays so, although "billing" is a word the knowledge
    base is about and excuses a clinical cue elsewhere."""
    scene = f"I just started as a billing specialist at a small clinic. {question}"
    assert read(assistant_, scene).scene
    alone, after = assistant_.answer(question), assistant_.answer(scene)
    assert alone.kind == after.kind == "fallback"
    assert after.out_of_scope == alone.out_of_scope


@pytest.mark.parametrize(
    "question",
    [
        "Are CPT codes the same as ICD codes?",
        "What are V codes in HCPCS?",
        "Do all dental codes start with D?",
        "When do federal programs generally implement the new codes?",
    ],
)
@pytest.mark.parametrize("opener", ["So ", "Ok so ", "Well, "])
def test_a_word_that_carries_the_talk_on_leaves_the_question_as_it_was(
    assistant_, opener, question
):
    """ "So are CPT codes the same as ICD codes?" is the yes/no question after "So", and gets
    the answer (and the Yes or No) the question gets alone; so does the last sentence of a
    story ("... So can we add modifier 25?")."""
    said = opener + question[0].lower() + question[1:]
    alone, after = assistant_.answer(question), assistant_.answer(said)
    assert read(assistant_, said).yes_no == read(assistant_, question).yes_no
    assert after.entry_id == alone.entry_id
    assert after.markdown.split()[0] == alone.markdown.split()[0]
    story = "Our office bills 99213 for these visits. So can we add modifier 25 today?"
    assert read(assistant_, story).yes_no


@pytest.mark.parametrize("opening", ["Hello! ", "Hi everyone, ", "Quick question: ", "So "])
def test_an_opening_before_a_question_about_a_code_leaves_its_answer(assistant_, opening):
    """What the question asks about its code is read from where the question starts, after a
    greeting, a label or "So": "Hello! Is J3490 a CPT code?" still gets its "No" first."""
    question = "Is J3490 a CPT code?"
    said = opening + ("is" if opening[0] in "QS" else "Is") + question[2:]
    assert assistant_.answer(said).markdown.split()[0] == "No:"
    assert assistant_.answer(question).markdown.split()[0] == "No:"


def test_a_scene_neither_picks_a_facts_row_nor_hides_what_is_asked_of_a_code(assistant_):
    """ "small" in "We are a small dermatology practice." is no word of the question: it does
    not pick modifier 81 (a minimum assistant surgeon, "a small part") from the modifiers
    table, and the question after the scene still gets what it asks about its code."""
    scene = "We are a small dermatology practice. "
    item = "Which of the following is an anatomic modifier? a. 77 b. LD c. 59 d. 25"
    assert assistant_.answer(scene + item).entry_id == assistant_.answer(item).entry_id
    assert assistant_.answer(scene + "Is J3490 a CPT code?").markdown.split()[0] == "No:"


def test_a_greeting_is_no_word_of_the_question_a_verdict_must_account_for(assistant_):
    question = "are there modifiers to show that a provider has an ABN on file?"
    alone = assistant_.answer(question[0].upper() + question[1:]).markdown
    assert alone.startswith("Yes.")
    assert assistant_.answer("Hi everyone, " + question).markdown.startswith("Yes.")


@pytest.mark.parametrize(
    "scene",
    ["I'm a medical coding student and I'm confused.", "We are a small dermatology practice."],
)
def test_what_the_asker_says_they_are_sets_the_scene(assistant_, scene):
    """ "I'm a medical coding student" says who asks, though "medical student" names a concept
    once "coding" is read as a word of the question: the question after it is answered as
    alone."""
    question = "When should HCPCS codes be used?"
    said = f"{scene} {question}"
    assert read(assistant_, said).scene
    assert assistant_.answer(said).entry_id == assistant_.answer(question).entry_id


def test_a_scene_before_a_statement_marked_true_or_false_is_set_aside(assistant_):
    """ "(T/F)" in the statement's own sentence: the sentence before it only sets the scene."""
    reading = read(
        assistant_, "I work in a small family practice. CMS maintains HCPCS Level II codes (T/F)"
    )
    assert reading.true_false and reading.scene and {"famili", "practic"} <= reading.told


@pytest.mark.parametrize("label", ["4Q:", "Q4:", "Question 4:"])
def test_a_label_before_a_later_sentence_is_no_word_of_it(assistant_, label):
    reading = read(
        assistant_, f"I work in a small family practice. {label} Is CPT maintained by the AMA?"
    )
    assert reading.yes_no and not {"4q", "q4", "4"} & set(reading.keys)


def test_a_story_about_a_patient_is_no_scene(assistant_):
    """A story about a patient names what the question is about, concept or not; a pasted
    multiple-choice question's options are no scene either."""
    story = (
        "A patient is admitted to the hospital by the urologist for pyelonephritis. How do I "
        "charge for each day's visit?"
    )
    assert read(assistant_, story).told and not read(assistant_, story).scene
    options = "What coding system do physicians use? Five-digit numeric system Six-digit system"
    assert not read(assistant_, options).scene
    # an exam item's story is what its options are chosen by: none of it is set aside
    vignette = (
        "A patient is seen in the office for a sore throat. Which code reports the visit? "
        "A. 99213 B. 99283 C. 99221 D. 99304"
    )
    assert read(assistant_, vignette).choices and not read(assistant_, vignette).told


def test_a_person_named_by_title_reads_as_their_role(assistant_):
    """ "Dr. Red" is the physician, "Mrs. Jones" the patient: a rare surname would weigh like a
    topic and keep a verdict from matching the story's question."""
    question = (
        "Dr. Red reported G2211 for the patient last month. Can Dr. Yellow, of the same group "
        "and specialty, report G2211 too?"
    )
    keys = read(assistant_, question).keys
    assert "physician" in keys and "red" not in keys and "yellow" not in keys
    assert "patient" in read(assistant_, "Mrs. Jones has Medicare Part B.").keys
    assert assistant_.answer(question).markdown.startswith("Yes.")


def test_codes_only_in_the_options_stay_options_after_a_name_is_read(assistant_):
    """The stem is read with the name as a role (longer than the name), yet the codes after it
    are still the options: no option's card is given as the answer."""
    reply = assistant_.answer(
        "Dr. Kelly saw Mr. Smith today for the first time. How is this reported? "
        "a. 99213 b. 99203 c. 99385 d. 99403"
    )
    assert reply.markdown.startswith("I can't tell which option is right")
    assert reply.confidence == "uncertain"


@pytest.mark.parametrize("written", ["modifier 50", "modifier -50", "modifier-50"])
def test_a_modifier_written_with_its_dash_is_named(assistant_, written):
    """A dash on a modifier ("-50") ends no part of the sentence, as a dash before a word does."""
    reading = read(assistant_, f"Is it right to use {written} for bilateral facet injections?")
    assert "modifier-50" in reading.concepts


def test_a_greeting_that_reads_as_nothing_leaves_the_question_first(assistant_):
    """ "Hi all, quick question." has no word the engine reads: the question after it is read
    as if it came first, and its Yes or No still leads."""
    question = "Hi all, quick question. Are CPT codes the same as ICD codes?"
    assert read(assistant_, question).flat == read(assistant_, question[24:]).flat
    assert assistant_.answer(question).markdown.startswith("No")


def test_a_setting_that_names_nothing_weighs_less_before_a_question_on_how_to_bill(assistant_):
    """How to bill or which code keeps its story, which says for what; a sentence that only
    sets the scene, naming no concept and no number, says for nothing."""
    question = "I work in a small family practice. When should HCPCS codes be used?"
    reading = read(assistant_, question)
    assert "bill" in reading.intents
    assert {"famili", "practic", "small"} <= reading.told and "hcpcs" not in reading.told
    assert assistant_.answer(question).entry_id == "what-is-hcpcs"
    # a story that names what is billed keeps its words
    # a code is a topic of its own
    coded = read(assistant_, "I work in a small family practice. When should G2012 be used?")
    assert {"famili", "practic"} <= coded.told and "g2012" not in coded.told
    story = "The patient got a flu shot and an office visit. Which modifier do I use on the visit?"
    assert read(assistant_, story).told == frozenset()


@pytest.mark.parametrize(
    "question",
    [
        # the question asks about the story: its words are what it is about
        "Sally, 9, presents for her yearly physical and is also treated for a URI. What CPT "
        "coding is reported for this visit?",
        "We billed 99213 and 99214 on the same day. Is that allowed?",
        "The patient had a colonoscopy with a snare polypectomy. What code do I use?",
        "What is CPT?",  # one sentence
        # a payer is no topic of its own: the benefit asked about is the story's shot
        "Many of our Medicare patients want the shingles shot. What is the Medicare benefit?",
    ],
)
def test_a_question_about_its_story_keeps_the_story_words(assistant_, question):
    assert read(assistant_, question).told == frozenset()


def test_a_story_concept_around_a_question_of_its_own_weighs_less_even_beside_a_broad_one(
    assistant_,
):
    """ "I work in a hospital billing office." names the hospital bill concept; the question
    after it asks about CPT alone (broad as CPT is), and a comparison is between what the
    asking sentence names, not with the story."""
    question = "I work in a hospital billing office. Is CPT the same as HCPCS Level I?"
    reading = read(assistant_, question)
    assert reading.story and reading.told
    answer = assistant_.answer(question)
    alone = assistant_.retriever.rank(read(assistant_, "Is CPT the same as HCPCS Level I?"))
    # (the entry the question alone ranks first: the story does not pull another in)
    assert answer.entry_id == alone[0].entry_id
    assert "Level I" in answer.markdown


def test_a_yes_no_question_after_a_sentence_that_sets_the_scene_is_decided_on_its_words(
    assistant_,
):
    alone = assistant_.answer("Are CPT codes the same as ICD codes?")
    told = assistant_.answer(
        "I was wondering if someone could help. Are CPT codes the same as ICD codes?"
    )
    assert alone.markdown.startswith("No.") and told.markdown.startswith("No.")
    reading = read(
        assistant_, "I was wondering if someone could help. Are CPT codes the same as ICD codes?"
    )
    assert reading.asked == "Are CPT codes the same as ICD codes?"


def test_a_cue_only_in_a_sentence_that_asks_nothing_leaves_the_question_in_scope(assistant_):
    """ "my doctor" sets the scene; the question is what CDT is."""
    reply = assistant_.answer("My doctor asked me this today. What is CDT?")
    assert reply.kind == "answer" and "CDT" in reply.markdown
    # the sentence that asks names no topic: the story is what is asked about
    refused = assistant_.answer(
        "I'm on Medicare and I got a surprise medical bill. What should I do?"
    )
    assert refused.kind == "fallback" and refused.out_of_scope == "own-coverage"


@pytest.mark.parametrize(
    "question",
    [
        "Which modifier shows a bilateral procedure? Also, is there a good reference for this?",
        "Does discarded medication need to be documented in the medical record? Any thoughts?",
    ],
)
def test_a_follow_up_that_asks_nothing_of_its_own_is_left_out(assistant_, question):
    first = question.split("?")[0] + "?"
    asked, alone = read(assistant_, question), read(assistant_, first)
    assert (asked.concepts, asked.intents, asked.yes_no) == (
        alone.concepts,
        alone.intents,
        alone.yes_no,
    )
    assert "refer" not in asked.keys and "thought" not in asked.keys


@pytest.mark.parametrize(
    "closing",
    [
        "Please advise.",
        "Thanks in advance!",
        "Thank you so much for your help!!",
        "Thanks for your time.",
        "Any help would be greatly appreciated.",
        "Who can assist me?",
        "Can anyone help?",
    ],
)
def test_a_closing_courtesy_is_not_part_of_the_question(assistant_, closing):
    question = "Which modifier shows a bilateral procedure?"
    asked, alone = read(assistant_, f"{question} {closing}"), read(assistant_, question)
    assert (asked.keys, asked.concepts, asked.intents) == (
        alone.keys,
        alone.concepts,
        alone.intents,
    )


@pytest.mark.parametrize("opening", ["So", "Also,", "Furthermore,", "And", "Lastly,", "Well,"])
def test_a_word_that_carries_the_talk_on_is_not_part_of_the_question(assistant_, opening):
    question = "what is occurrence code 21?"
    asked, alone = read(assistant_, f"{opening} {question}"), read(assistant_, question)
    assert (asked.keys, asked.concepts, asked.intents) == (
        alone.keys,
        alone.concepts,
        alone.intents,
    )
    assert "define" in asked.intents


def test_a_request_for_help_after_a_story_is_not_answered_by_its_own_words(assistant_):
    """ "Who can assist me?" after a story the knowledge base cannot answer is no question about
    assistants (CPT Assistant, assistant surgeons): the story stays unanswered."""
    for closing in ("Who can assist me?", "who can assist me", "Who can assist me? Thanks!"):
        reply = assistant_.answer(f"The enrollment website will not let me log in. {closing}")
        assert reply.kind == "fallback", closing
    assert assistant_.answer("Who can assist at surgery?").kind == "answer"


@pytest.mark.parametrize(
    ("asked", "verdict"),
    [
        ("Can you use modifier 24 and 25 at the same time Thanks in advance!", "Yes"),
        ("Modifier 99 indicates unusual anesthesia. a. True b. False thank you", "False"),
    ],
)
def test_thanks_with_no_full_stop_before_them_leave_the_question_as_it_asks(
    assistant_, asked, verdict
):
    assert assistant_.answer(asked).markdown.lstrip("*").startswith(verdict)


@pytest.mark.parametrize(
    ("statement", "verdict"),
    [
        (
            "A code that has an applicable 7th character is considered invalid without the "
            "7th character. A. True B. False",
            "True",
        ),
        ("HCPCS Level II codes are maintained by the AMA. True or false?", "False"),
        # a statement of a rule with no "True or false?" after it
        ("HCPCS Level II codes are maintained by the AMA.", "False"),
    ],
)
def test_a_statement_to_judge_after_a_scene_is_judged_as_alone(assistant_, statement, verdict):
    alone = assistant_.answer(statement).markdown.lstrip("*")
    after = assistant_.answer(f"I work in a small family practice. {statement}").markdown
    assert alone.startswith(verdict) and after.lstrip("*").startswith(verdict)


def test_options_numbered_in_a_line_after_the_question_are_options(assistant_):
    reading = read(
        assistant_,
        "Which document does the payer mail to the patient to explain what was paid? "
        "1. Claim Summary 2. Explanation of Benefits 3. Patient Invoice 4. Benefit Statement",
    )
    assert reading.choices and [o for _, o in reading.options][1] == "Explanation of Benefits"
    # before the question, numbers are the asker's own list, not options
    assert not read(assistant_, "1. We billed 99213. 2. It was denied. 3. Why?").choices
    # after a colon that ends the stem too, but not before a question asked after them
    after_colon = read(
        assistant_,
        "This 2 digit code followed by 2 dates is a span of time: 1. Occurrence Code "
        "2. Occurrence Span Code 3. Revenue Code 4. Type of Bill Code",
    )
    assert after_colon.choices and after_colon.options[1] == ("B", "Occurrence Span Code")
    told = "What happened: 1. We billed 99213. 2. It was denied. 3. We appealed. Why?"
    assert not read(assistant_, told).choices


def test_a_pasted_question_whose_options_are_names_asks_for_a_term_not_an_amount(assistant_):
    reply = assistant_.answer(
        "Which document details the reimbursement amount of a covered benefit? "
        "A) Claim Summary B) Explanation of Benefits C) Patient Invoice D) Benefit Statement"
    )
    assert reply.out_of_scope != "fees"
    amounts = assistant_.answer(
        "What is the reimbursement amount for 99213? A) $75 B) $90 C) $110 D) $130"
    )
    assert amounts.kind == "fallback" and amounts.out_of_scope == "fees"


def test_whether_to_assign_a_diagnosis_code_is_answered_by_the_rule_not_a_code_list(
    assistant_,
):
    reply = assistant_.answer(
        "If the doctor documents uncontrolled diabetes and the labs show high glucose, can I "
        "assign the ICD-10-CM code for diabetes with hyperglycemia?"
    )
    assert reply.kind == "answer" and reply.entry_id is not None
    assert "have descriptions that match" not in reply.markdown
    # which code, asked yes or no, still gets the codes
    listed = assistant_.answer("Is there an ICD-10 code for plantar fasciitis?")
    assert "M72.2" in listed.markdown


def test_a_question_before_the_topic_that_asks_nothing_is_left_out(assistant_):
    asked = read(assistant_, "Does anyone know? hcpcs level 2 codes")
    assert asked.concepts == read(assistant_, "hcpcs level 2 codes").concepts
    assert not asked.yes_no
    # a question after a statement is what makes it a question: kept
    assert read(assistant_, "I billed 99213 with modifier 25. Is that right?").yes_no


@pytest.mark.parametrize(
    "question",
    [
        # the question after an earlier comma, the later commas listing what it qualifies
        "As it pertains to risk adjustment, is the coder allowed to code the BMI alone, "
        "without an associated diagnosis, such as obesity, being documented?",
        # the question after a quoted note
        'If the physician documents: "total time 75 min, mostly decision making" can I choose '
        "the E/M code by time alone?",
    ],
)
def test_a_question_after_a_leading_phrase_or_a_quote_asks_yes_or_no(assistant_, question):
    assert read(assistant_, question).yes_no


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        # no question mark: the clause after the comma asks when a subject follows its verb
        ("If a patient gets two flu shots in one season, will Medicare still pay for both", True),
        ("I know CXR is bundled into critical care, but is EKG also bundled", True),
        # a verb after it asks nothing
        ("For wheelchairs and walkers, is reported using E codes", False),
        ("When the patient is new, do not bill 99211", False),
    ],
)
def test_a_clause_without_its_mark_asks_when_a_subject_follows(assistant_, question, yes_no):
    assert read(assistant_, question).yes_no is yes_no


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        # a request put as a question asks for what it names
        ("Can you tell me the cpt4 full form?", False),
        ("Could someone explain the global period?", False),
        ("Can you give me the code for a walker?", False),
        # ... unless it asks whether
        ("Can you tell me if 99213 is an E/M code?", True),
        ("Could you explain whether modifier 25 goes on the E/M?", True),
        # an auxiliary with another verb still asks yes or no
        ("Can you bill 99213 and 99214 on the same day?", True),
    ],
)
def test_a_request_put_as_a_question_asks_no_yes_or_no(assistant_, question, yes_no):
    assert read(assistant_, question).yes_no is yes_no


def test_a_request_put_as_a_question_gets_no_verdict_of_another_topic(assistant_):
    reply = assistant_.answer("Can you tell me the cpt4 full form?")
    assert reply.body.lstrip().startswith("**CPT**") and "Yes" not in reply.lead


@pytest.mark.parametrize(
    "question",
    [
        "  Should  I  obtain  prior  authorization  before  applying  the  KX  modifier?  ",
        "Should I obtain prior\tauthorization before applying the KX modifier?",
        "Should I obtain prior\u00a0authorization before applying the KX modifier?",
    ],
)
def test_runs_of_spaces_and_tabs_read_as_one_space(assistant_, question):
    typed = "Should I obtain prior authorization before applying the KX modifier?"
    assert assistant_.answer(question).body == assistant_.answer(typed).body


def test_examples_listed_in_brackets_are_no_topics_of_their_own(assistant_):
    """ "different specialties (e.g., pain management, podiatry, rheumatology)": the question is
    about specialties, and podiatry, one example, must not make it a foot care question."""
    reading = read(
        assistant_,
        "If our doctors are of different specialties (e.g., pain management, podiatry, "
        "rheumatology), is each first visit with one of them a new patient visit?",
    )
    assert "podiatry" not in reading.concepts
    # (one example named alone in brackets stays: it may be the topic)
    assert (
        "podiatry" in read(assistant_, "Is routine foot care (e.g. by podiatry) covered?").concepts
    )


def test_a_payer_named_only_around_the_sentence_that_asks_is_its_setting(assistant_):
    reading = read(assistant_, "Our practice bills Medicare and Medicaid. What is DME?")
    assert "dme" in reading.concepts
    assert "medicare" not in reading.concepts and "medicaid" not in reading.concepts


def test_payers_alone_around_a_question_on_how_to_bill_are_its_setting(assistant_):
    """A question that asks how to bill keeps its story, but a sentence around it that names
    only payers says where, not what: its payers are no concepts and its words weigh little."""
    reading = read(
        assistant_, "Our office bills Medicare and Medicaid. Can you code probable diagnoses?"
    )
    assert "medicare" not in reading.concepts and {"medicar", "medicaid"} <= reading.told
    # a story of what was done stays the story
    story = read(
        assistant_,
        "The patient has Medicare. A colonoscopy with a snare polypectomy was done. "
        "What code do I use?",
    )
    assert story.told == frozenset()


def test_modifier_indicates_is_not_the_ncci_modifier_indicator(assistant_):
    assert (
        "ncci-modifier-indicator"
        not in read(assistant_, "Which modifier indicates a bilateral procedure?").concepts
    )
    assert (
        "ncci-modifier-indicator"
        in read(assistant_, "What does the NCCI modifier indicator mean?").concepts
    )


def test_a_follow_up_that_asks_for_something_is_kept(assistant_):
    asked = read(assistant_, "What is a nebulizer? Is there a code for it?")
    assert "which-code" in asked.intents  # asks for a code
    assert "which-code" not in read(assistant_, "What is a nebulizer?").intents
    # says how to answer: "99291 or 99292" alone reads as a choice between the two
    assert read(assistant_, "Can modifier 22 go on 99291 or 99292? Yes or no?").yes_no
    assert not read(assistant_, "Can modifier 22 go on 99291 or 99292?").yes_no


def test_a_different_person_is_not_a_comparison(assistant_):
    reading = read(assistant_, "the patient must see a different physician in our group")
    assert "compare" not in reading.intents


@pytest.mark.parametrize(
    "question",
    [
        "Hi all, quick question: Can CPR and critical care be billed for the same encounter?",
        "Hello everyone - is modifier 25 needed on a preventive visit?",
        "Coder here: can we bill 92014 and 92015 together?",
    ],
)
def test_an_opening_before_a_colon_or_dash_that_names_nothing_is_left_out(assistant_, question):
    assert read(assistant_, question).yes_no


def test_a_label_that_names_a_topic_or_asks_true_or_false_stays(assistant_):
    assert read(assistant_, "Modifier 25: when is it used?").concepts == ("modifier-25",)
    assert read(assistant_, "True or False: CPT is HCPCS Level I").true_false


def test_hcfa_beside_ub_names_the_two_claim_forms_not_the_agency(assistant_):
    """Billers still call the CMS-1500 "the HCFA"; beside "UB" it is the form, not CMS."""
    assert read(assistant_, "What is HCFA and UB?").concepts == ("cms1500", "ub04")
    # alone it is the agency's former name, a concept under CMS
    assert read(assistant_, "what did HCFA become?").concepts == ("hcfa",)
    assert "cms" in assistant_.lexicon.ancestors("hcfa")


def test_a_split_or_shared_visit_is_the_visit_not_its_modifier(assistant_):
    """The visit is a kind of E/M service; modifier FS only marks its claim line."""
    assert read(assistant_, "is a split or shared visit billed like incident to").concepts[0] == (
        "split-shared"
    )
    assert read(assistant_, "when is modifier FS used").concepts == ("modifier-fs",)


@pytest.mark.parametrize(
    ("question", "concept", "unasked"),
    [
        # The words of a concept's name name it and ask nothing.
        (
            "Equipment is the same or similar to equipment already being used",
            "dme-same-or-similar",
            "compare",
        ),
        ("what about the 60 day rule", "overpayment-rule", "bill"),
    ],
)
def test_cue_words_inside_a_concept_name_are_not_an_intent(assistant_, question, concept, unasked):
    reading = read(assistant_, question)
    assert concept in reading.concepts
    assert unasked not in reading.intents
    # the same cue said outside the name is read
    assert unasked in read(assistant_, f"{question}: compare the rules on how to bill it").intents


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("Are CPT and HCPCS the same?", True),
        ("Is CPT part of HCPCS?", True),
        ("Can you bill S codes to Medicare?", True),
        ("What is CPT?", False),
        ("who maintains hcpcs", False),
        ("When a patient has a sick visit and a flu shot, do I need modifier 25?", True),
        ("If a drug comes in a 40 mg vial, how many units do I bill?", False),
        # a statement asked with a question mark
        ("If no code fits exactly, it is acceptable to use one that is close???", True),
        ("we can bill 99213 and 96372 together?", True),
        ("we can bill 99213 and 96372 together.", False),
        ("CPT is part of HCPCS. True or false?", True),
        ("Does Medicaid pay with CPT or HCPCS?", False),  # which of the two
        ("should the claim carry modifier 59 or XS?", False),
        ("is the code billable or not?", True),
        ("can 99291 or 99292 take modifier 22? yes or no", True),
        ("can a probable or suspected diagnosis be coded outpatient?", True),
        # the question after a comma, whatever comes before it
        ("I bill Medicare Part A, do I need to use the CQ and CO modifiers?", True),
        ("If X happens, and Y is so, would this qualify as an emergency?", True),
        ("For 99214, which modifier do I use?", False),
        (
            "Is a neurologist the same specialty, to determine whether a patient is new or not?",
            True,
        ),
        ("Are they one specialty to decide if a patient is new or established?", True),
        ("Can you tell me if I should use 59 or XS?", False),
        ("Am I required to report external causes of injury?", True),
        # a sentence that ends inside its quote still ends
        ('The article said "only by the physician." Does that mean a PA cannot bill it?', True),
        # a condition without its comma, or with a comma inside it
        ("When billing a flu shot for a Medicare patient do I need a modifier?", True),
        (
            "When records are requested for a test (an x-ray, CT or endoscopy) does the "
            "ordering provider's note have to be sent too?",
            True,
        ),
        ("If a patient is seen twice in one day can both visits be billed?", True),
        ("If 99213 is billed alone is it paid in full?", True),  # "is" before its subject
        # the first of several questions after a story asks yes or no
        (
            "I bill for a pediatric office. Is there a counseling code for adults? If so, what "
            "code would that be?",
            True,
        ),
        # two things named in a clause of reason or time are not offered to choose from
        ("Does the lab need a CLIA number since it does not bill Medicare or Medicaid?", True),
        ("Should modifier 25 be used when billing 99213 or 99214?", True),
        ("Can you tell me if we bill 99213 or 99214?", False),
        # a statement asked after a comma ("Just to clarify, we can ...?")
        ("Just to clarify, we can also accept an NP signature?", True),
        # two codes that only name the thing before them ("the AWV codes G0438 or G0439")
        ("Can ACP be billed on the same day as the AWV codes G0438 or G0439?", True),
        ("Do I bill codes G0438 or G0439?", False),
        # a title's full stop ends no sentence
        ("Dr. Smith was out. Can we bill incident-to under Dr. Richard's number?", True),
        ("If the visit is billed alone is a modifier needed?", True),
        ("If the visit is billed alone what modifier is used?", False),
        ("When a patient is seen in the ED what code do I use?", False),
        ("When should modifier 25 be used?", False),
        # a bracket inside the question does not cut it off its start
        ("Should we report Current Procedural Terminology (CPT) code 82948?", True),
        ("What code (CPT) should I use?", False),
        # an "X or Y" that gives examples, not things to choose between
        ("Can you append modifier 24 when the visit is for a complication or infection?", True),
        ("Is the patient new or established?", False),  # two sides of a distinction
        ("Does the modifier go on the surgery code or the E/M code?", False),  # "E/M" a side
        # whether a thing still holds, of the things named
        ("Am I no longer required to document a history or exam?", True),
        ("Do I still need the nurse's notes or prior records?", True),
        # a second side that only adds to the first, and a question after "but"
        ("Are G codes only for Medicare or other payers too?", True),
        ("I know X-rays are bundled into critical care, but is an EKG bundled too?", True),
        # a purpose said first, with or without its comma
        ("To bill 99214, does the note need an exam?", True),
        ("To use modifier 73 does the patient have to be taken to the room?", True),
        # a setting said first, without its comma
        ("For RHC office visits under revenue code 0521 does modifier CG apply?", True),
        ("For how long does a claim stay open after it is filed?", False),  # asks how long
        # a list of places a rule is asked of, not things to choose between
        ("Can CCM be billed for patients in SNFs, nursing facilities or assisted living?", True),
        ("Should I use modifier 59, XS or XU?", False),
        # a statement asked after its condition, with no comma and no question word
        ("When a Category III code is available this code is reported instead of unlisted?", True),
        ("When a patient is seen in the ED what code do we use?", False),
        # a request to say whether
        ("Please clarify whether modifier 25 goes on the E/M visit.", True),
        ("Please explain how to decide whether a patient is new or established.", False),
        # one person either way
        ("Is the flu shot covered if a patient does not recall his or her vaccine history?", True),
        # without its question mark: after a comma only with a subject after the verb
        ("In lab claims, is the rendering NPI reported in item 24J", True),
        ("When a patient is new, do not bill 99211", False),
        ("True or False: CPT is part of HCPCS.", True),  # the label said first
        ("I am studying for a quiz. True or false: CPT is part of HCPCS.", True),  # after a scene
        ("(True/False) CPT is part of HCPCS.", True),  # the label in brackets
        # the question mark inside a closing bracket
        ("If a crew is not dispatched, would it qualify as an emergency (such as a crash?)", True),
        ("T/F: modifiers are two characters", True),
        ("Modifiers are two characters.\nA) True\nB) False", True),  # options True and False
        ("Q Do I need a modifier on 99213?", True),  # a bare "Q" before the question
        # the one question, after a label, before a worked example
        (
            "For prolonged services: can times from two dates be added? Day 1 10 min, day 2 25.",
            True,
        ),
        ("Q codes are temporary codes", False),  # and not the Q codes
        # a request to explain, or a wish to know, before the question as it would be asked
        ("Can someone explain are modifiers always two characters?", True),
        ("Please explain does 99213 need a modifier?", True),
        ("I want to know is CPT part of HCPCS.", True),
        ("I was wondering whether J codes are Level II codes", True),
        ("I asked if all radiology reports should include modifier 26.", True),
        ("My question is whether modifier 25 goes on the E/M line", True),
        ("Can someone explain what modifier 25 is?", False),
        # a statement of what must or can be done, asked by its mark alone
        ("Our nurse practitioners must now be listed on the group's enrollment?", True),
        ("The ABN should also be signed by the patient's representative?", True),
        # ... but not with a question word anywhere, two sides offered, or no mark
        ("The ABN must be signed by which person?", False),
        ("The ABN should be signed by the patient or the representative?", False),
        ("Our nurse practitioners must now be listed on the group's enrollment.", False),
        # a registered sign changes nothing, and a question word before a bracket still asks
        (
            "Which Current Procedural Terminology (CPT)\u00ae code should be used for a hearing test?",
            False,
        ),
        ("Which CPT\u00ae code should be used for a hearing test?", False),
        # a long condition with a question word late in it is read in one pass (a pattern once
        # searched it in time that grew with every word)
        (
            "When a customer service representative tells me that they will do a callback to "
            "research the claim or the situation further and then call the office back again, "
            "when should I expect a call back?",
            False,
        ),
    ],
)
def test_yes_no_questions(assistant_, question, yes_no):
    assert read(assistant_, question).yes_no is yes_no


@pytest.mark.parametrize(
    "question",
    [
        "A modifier\n\u25e6 adds a new code\n\u25e6 deletes a code\n\u25e6 gives more information",
        "Which appendix lists add-on codes? \u2022 Appendix A \u2022 Appendix B \u2022 Appendix D",
        "Which appendix lists add-on codes?\n- Appendix A\n- Appendix B\n- Appendix D",
        "Which appendix lists add-on codes?\n\n  1. Appendix A\n\n  2. Appendix B\n\n  3. Appendix D",
        "Which appendix lists add-on codes?\nA)Appendix A\nB)Appendix B\nC)Appendix D",
        "Add-on codes are listed in 1) Appendix A 2) Appendix B 3) Appendix D",
    ],
)
def test_options_pasted_as_a_bulleted_list_are_read_as_options(assistant_, question):
    reading = read(assistant_, question)
    assert reading.choices
    assert [letter for letter, _text in reading.options] == ["A", "B", "C"]
    assert all(text == text.strip() for _letter, text in reading.options)


def test_bullets_before_lettered_options_are_no_part_of_an_option(assistant_):
    reading = read(
        assistant_,
        "Which appendix lists add-on codes?\n  \u2022 A) Appendix A\n  \u2022 B) Appendix B\n"
        "  \u2022 C) Appendix D",
    )
    assert [text for _letter, text in reading.options] == ["Appendix A", "Appendix B", "Appendix D"]


@pytest.mark.parametrize(
    "question",
    [
        "What is modifier 25?\n- I bill it with 99213",
        "Steps we follow:\n1. register\n3. code\n4. bill. Is that right?",  # not 1, 2, 3
        "We do it in order 1) register 3) code 4) bill. Is that right?",
        "Can I bill 99213 with modifier 25 and 2) a flu shot?",
    ],
)
def test_a_few_dashed_or_unordered_numbered_lines_are_not_options(assistant_, question):
    assert not read(assistant_, question).choices


def test_options_about_rates_are_not_a_question_about_fees(assistant_):
    question = (
        "What does 'incident to' refer to in a billing context?\n 1. A billing rate of 100% if "
        "the physician is available\n 2. A billing rate of 80%\n 3. A separate billing entity"
    )
    assert assistant_.answer(question).kind == "answer"


def test_a_pasted_multiple_choice_question_is_read_by_its_stem_and_options(assistant_):
    reading = read(
        assistant_,
        "Question 3. Which CPT category is for emerging technology? A) Category I "
        "B) Category II C) Category III",
    )
    assert reading.choices
    assert [letter for letter, _text in reading.options] == ["A", "B", "C"]
    assert reading.options[2][1] == "Category III"
    assert "question" not in reading.keys  # "Question 3." is not part of what is asked


def test_the_words_of_pasted_options_help_rank_the_entries(assistant_):
    """The stem names only ICD-10-CM; the options say what is tested (its characters)."""
    question = (
        "Which is true of ICD-10-CM? a. It has 3 to 7 characters b. Its first character is "
        "a digit c. It codes procedures"
    )
    reading = read(assistant_, question)
    assert "charact" in reading.offered and "icd" not in reading.offered
    assert not {"a", "#a", "b", "c"} & set(reading.offered)  # not the option letters
    assert "charact" not in reading.keys  # the words asked are the stem's
    assert assistant_.answer(question).entry_id == "icd10cm-code-format"
    assert read(assistant_, "CPT is part of HCPCS. A. True B. False").offered == ()


def test_a_concept_is_never_read_across_two_sentences(assistant_):
    """ "HCPCS? 2. ..." is HCPCS, then a list number, not HCPCS Level 2."""
    assert read(assistant_, "1. What is HCPCS? 2. Who maintains it?").concepts == ("hcpcs",)
    assert read(assistant_, "What is HCPCS 2?").concepts == ("hcpcs-level-2",)


def test_options_lettered_without_punctuation_are_read_as_options(assistant_):
    reading = read(
        assistant_,
        "Which codes track performance measures a CPT Category I codes b CPT Category II codes "
        "c CPT Category III codes d HCPCS Level II codes",
    )
    assert reading.choices
    assert [letter for letter, _t in reading.options] == ["A", "B", "C", "D"]
    assert reading.options[1][1] == "CPT Category II codes"


@pytest.mark.parametrize(
    "question",
    [
        "is there a code for a walker and a cane",
        "a b c",
        "Is a code a code for b?",
        # a letter that ends a name in brackets is no option letter
        "I work for one group (Practice A) and for another (Practice B). Is the patient new?",
    ],
)
def test_ordinary_sentences_have_no_options(assistant_, question):
    assert read(assistant_, question).options == ()


def test_the_symbol_an_option_names_decides_between_options(assistant_):
    reply = assistant_.answer(
        "How are add-on codes marked in the CPT book? A) a '*' symbol B) a '+' symbol "
        "C) a bullet D) a triangle"
    )
    assert "**B) a '+' symbol**" in reply.markdown.replace("\\", "")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("how much does medicare pay for 99213", "fees"),
        ("how much is a 99214 visit", "fees"),
        ("what is the reimbursement for J1745", "fees"),
        ("99213 costs $100, what is the allowed amount", "fees"),
        ("how much do coders earn", "careers"),
        ("how do I become a medical coder", "careers"),
        ("Does Medicare cover CPAP equipment?", "coverage"),
        ("what are the side effects of ketorolac", "clinical"),
        ("How long can an opened multi-dose vial be used?", "clinical"),
        ("is it okay to drink coffee before my stress test", "clinical"),
        ("How do I use JZ on a claim for reimbursement?", None),
        ("how much does it cost to license CPT for our software", None),
        ("Will Cigna accept a G code instead of the CPT code?", "coverage"),
        ("where are Aetna's bundling guidelines", "coverage"),
        ("do commercial payers follow NCCI edits", None),
        ("how many MDM elements do I need to qualify for a level 4 visit", None),
        ("how do I bill noncovered foot orthotics", None),
        ("what are j codes", None),
        ("what is the treatment for wheezing", "clinical"),
        # A doctor's certification or order is a billing rule, not clinical advice.
        ("Does my doctor have to certify that I need the ambulance?", None),
        ("my doctor prescribed an antibiotic, is it safe", "clinical"),
        ("Where can I get my birth control implant removed?", "clinical"),
        ("are there any doctors that repair both hernias at once", "clinical"),
        ("where can I get the HCPCS file", None),
        ("which codes do we bill for a nebulizer treatment for wheezing", None),
        ("may a handling fee be reported twice on one day", None),
        # A question on how to bill or which modifier to use asks about billing, not a fee.
        ("How do I bill bilateral facet injections, is the fee 150 percent?", None),
        ("which modifier do I use so the fee is paid at 150 percent", None),
        ("what does a power wheelchair usually cost", "fees"),
        # A cue inside the name of a concept names it and asks nothing of fees or coverage.
        ("What is an improper payment rate?", None),
        ("Where do I search the Medicare coverage database?", None),
        ("Is a locum paid on a fee for time basis?", None),
        ("how much is the anesthesia conversion factor", "fees"),
        # "how much is ..." asks a price, whatever follows; "how much is a unit" asks a dose
        ("how much is a tooth cleaning?", "fees"),
        ("how much is 99214", "fees"),
        ("How much does an NPI cost?", None),
        ("how much is one unit of J1100", None),
        # pay to the surgeon for a service is a billing rule; a coder's pay is a career question
        ("Is compensation received for an H&P performed by the surgeon?", None),
        ("what is the average compensation for coders", "careers"),
        # the odds of an outcome are no rule; the odds of a code are not asked that way
        ("how likely is it that a biopsy finds cancer", "other"),
        ("how likely is it that a code with modifier 59 is audited", None),
        # "which is better" of two claim forms asks about the forms, not a treatment
        ("UB-04 or CMS-1500, which is better for a clinic?", None),
        # what a named Medicare contractor allows or requires is its own policy
        ("Will Noridian allow this billing?", "coverage"),
        ("Does Palmetto GBA require a signed order for this?", "coverage"),
        # how much of a drug to inject is a dose; how many units to bill is billing
        ("how many units of vitamin B12 should I inject", "clinical"),
        ("how many units of B12 should we bill for 1000 mcg", None),
        # drug schedules and DEA numbers are the DEA's
        ("what is a schedule II drug", "other"),
        ("What does A mean in DEA?", "other"),
        ("does medicare cover telehealth eligible codes", "coverage"),
        ("why code to the highest degree of specificity", None),
        ("Do I need a degree to be a coder?", "careers"),
        # A certification of the coder is a career question; a certification on a claim is not.
        ("which certification should I get, CPC or CCS?", "careers"),
        ("how should I study for the CPC exam", "careers"),
        ("a motor study for the same nerve: one study or two?", None),
        ("Is 01996 a fee-for-service code?", None),
        ("radiofrequency ablation at 80 degrees C, one level or two?", None),
        ("We got CLIA waived certification, which modifier for lab tests?", None),
        ("How do I bill the home health certification G0180?", None),
        # Eligibility of a person is coverage; which services or settings qualify is a rule.
        # A fee that names a service is asked about; a fee for a code is an amount.
        ("what is the originating site facility fee", None),
        ("what is the Medicare fee for 99214", "fees"),
        # A dollar amount on a remittance with its group or reason code asks what the code means.
        ("the whole dollar amount shows group code CO, what does it mean", None),
        ("why is the denial rate for 90471 so high", None),
        ("does a HCPCS code guarantee reimbursement for the product", None),
        ("Am I eligible for Medicare?", "coverage"),
        ("Does my patient qualify for home oxygen?", "coverage"),
        ("Who pays first for a patient with dual eligibility for Medicaid?", None),
        ("Who is eligible for APCM?", None),
        ("What care settings qualify for TCM?", None),
        # A named plan's own policy is the plan's to say.
        ("what is cigna's policy on telehealth visits", "coverage"),
        ("Can a Medigap plan cover the ambulance ride?", "coverage"),
        ("Could I be billed for an assistant surgeon I never met?", "own-coverage"),
        ("Who should take the AHIMA CCA exam?", "careers"),
        # a patient's own bill, a practice's business and staff, a named plan's rules
        ("can the lab send me to collections before my plan pays", "own-coverage"),
        ("ballpark cost for an MRI of the knee", "fees"),
        ("how long does credentialing with a commercial plan take", "legal"),
        ("do I need errors and omissions insurance for a home billing business", "legal"),
        ("what dose should the doctor give with J1100", "clinical"),
        ("what is humana's timely filing limit", "coverage"),
        ("icd-10 code for a patient who lost his job", None),
        # a HIPAA covered entity is a term, not a coverage question
        ("is a clearinghouse a covered entity", None),
        ("what is a non-covered item", None),
        ("what is home health certification and recertification", None),
        ("can I sue the hospital for it", "legal"),
        ("what is the dosing schedule for a B12 shot", "clinical"),
        # claiming reimbursement is billing, not asking for an amount
        ("May I claim reimbursement for a second visit in the global period?", None),
        ("Humana guidelines for physical therapy", "coverage"),
    ],
)
def test_out_of_scope(assistant_, question, topic):
    scope = read(assistant_, question).scope
    assert (scope.topic if scope else None) == topic


# --- ranking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "answered", "order"),
    [
        # the same concept beats a general one, which beats a specific one
        (("level2-j",), ("level2-j",), 0),
        (("level2-j",), ("hcpcs-level-2",), 1),
        (("hcpcs-level-2",), ("level2-j",), 2),
        (("level2-j",), ("cpt",), 3),
    ],
)
def test_concept_agreement_orders_exact_general_specific_unrelated(
    assistant_, asked, answered, order
):
    scores = [
        assistant_.retriever.concept_score(("level2-j",), ("level2-j",)),
        assistant_.retriever.concept_score(("level2-j",), ("hcpcs-level-2",)),
        assistant_.retriever.concept_score(("hcpcs-level-2",), ("level2-j",)),
        assistant_.retriever.concept_score(("level2-j",), ("cpt",)),
    ]
    assert scores == sorted(scores, reverse=True) and scores[-1] == 0.0
    assert assistant_.retriever.concept_score(asked, answered) == scores[order]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("What are G codes?", "level2-g-codes"),
        ("hcpcs e codes in medical billing", "level2-e-codes"),
        ("who is responsible for cpt", "who-maintains-cpt"),
        ("how often do hcpcs level 2 codes change", "hcpcs-update-schedule"),
        ("what is the purpose of hcpcs level ii codes", "hcpcs-level-2"),
        ("difference between ga and gz", "liability-modifiers-ga-gy-gz"),
        ("do I pick cpt or hcpcs", "choose-cpt-or-level2-code"),
        ("what does the modifer 59 mean", "modifier-59"),
        # "Ill" typed for "III"
        ("How many years do category Ill codes remain in the CPT Manual?", "category-iii-sunset"),
        # "crosswalk" alone is no one crosswalk: the NDC one here, the ASA one there
        ("what is the crosswalk for NDC and HCPCS", "ndc-hcpcs-crosswalk"),
        ("what is the anesthesia crosswalk", "anesthesia-crosswalk-and-asa"),
        # a group and reason code, written as one word or two, reaches its own reason codes
        ("co16", "carc-coding-denials"),
        ("co 16 denial", "carc-coding-denials"),
        ("co22", "carc-coverage-payer-provider-codes"),
        # a patient said to be "new" is the new-patient rule, in either order
        (
            'CPT considers a patient "new" if not seen within how many years?',
            "new-vs-established-patient",
        ),
        # the agency and the diagnosis code set are topics of their own, not of their parts
        ("What is CMS?", "what-is-cms"),
        ("What does CMS stand for?", "what-is-cms"),
        ("When did HCFA become CMS?", "cms-former-name-hcfa"),
        ("What is ICD-10-CM?", "icd10cm-purpose"),
        ("What is an ABN?", "abn-form-cms-r-131"),
        # an entry declared to define the very topic, not the broader one it belongs to
        ("What are anesthesia modifiers?", "anesthesia-modifiers"),
        ("What are HCPCS Level II modifiers?", "level2-modifiers-overview"),
        # a request for a change to CPT goes to the AMA, not to CMS's Level II process
        ("How do I request a change to a CPT code?", "cpt-code-change-process"),
        ("How do I request a new HCPCS Level II code?", "request-new-hcpcs-code"),
    ],
)
def test_questions_reach_their_entry(assistant_, question, entry):
    assert assistant_.answer(question).entry_id == entry


def test_entries_of_a_broad_concept_are_chosen_by_all_their_words(assistant_):
    """Every word of "hcpcs vs cpt" is in most entries: the entries about HCPCS and CPT that
    are scored are still the ones with those words, not the first few by name."""
    ranked = assistant_.retriever.rank(read(assistant_, "hcpcs vs cpt"), limit=12)
    assert ranked[0].entry_id == "hcpcs-vs-cpt"


# --- answers that answer -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "first_word"),
    [
        ("Are CPT and HCPCS the same?", "No"),
        ("Is CPT part of HCPCS?", "Yes"),
        ("Does HCPCS include CPT?", "Yes"),
        ("Is HCPCS part of CPT?", "No"),
        ("Are J codes CPT codes?", "No"),
        ("CPT is part of HCPCS. True or false?", "True"),
        ("HCPCS is part of CPT. a. True b. False", "False"),
        # the true/false mark after the statement, written short or in brackets
        ("HCPCS is part of CPT. T/F", "False"),
        ("CPT is maintained by the AMA. (True or False?)", "True"),
        ("CPT is part of HCPCS (T/F)", "True"),
        ("Does modifier 99 indicate unusual anesthesia?", "No"),
        ("Modifier 99 indicates unusual anesthesia. a. True b. False", "False"),
        ("Is modifier 23 used for unusual anesthesia?", "Yes"),
        ("Is HCPCS Level II maintained by the AMA?", "No"),
        ("Does the AMA maintain CPT?", "Yes"),
        ("Does CMS maintain J codes?", "Yes"),
        # ICD-10-CM is the US clinical modification, kept by the CDC's NCHS, not by WHO
        ("Is ICD-10-CM maintained by the World Health Organization?", "No"),
        ("ICD-10-CM is published by the World Health Organization. True or false?", "False"),
        # said with the organisation first, as a statement to judge
        ("The AMA maintains HCPCS Level II.", "False"),
        ("CMS maintains HCPCS Level II.", "True"),
        # two organisations, one of them wrong, and the verb a few words before "by"
        ("ICD-10-CM is updated every year by CMS and AMA.", "False"),
        ("Is HCPCS Level II updated by CMS and the AMA?", "No"),
        # two code sets, one asked to be the other
        ("Is HCPCS a diagnosis code?", "No"),
        ("is ICD-10-PCS a CPT code", "No"),
        ("Is a J code an NDC?", "No"),
    ],
)
def test_yes_no_questions_the_facts_decide_start_with_yes_or_no(assistant_, question, first_word):
    reply = assistant_.answer(question)
    assert reply.kind == "answer"
    assert re.match(rf"\W*{first_word}\b", reply.markdown), reply.markdown[:80]


@pytest.mark.parametrize(
    "question",
    [
        # the right maintainer, but another claim (how often) that the maintainer cannot decide
        "ICD-10-CM is updated every month by NCHS.",
        "HCPCS Level II codes are maintained by CMS and updated every week.",
    ],
)
def test_a_right_maintainer_does_not_decide_a_claim_that_says_more(assistant_, question):
    first = assistant_.answer(question).markdown.split("\n")[0]
    assert not re.match(r"\W*(True|Yes)\b", first), first


def test_who_maintains_a_code_set_is_decided_only_of_the_code_set_itself(assistant_):
    """ "Does CMS publish utilization data on CPT codes?" asks about data CMS publishes, not
    who keeps CPT: the facts' "No, the AMA" is not its answer."""
    reply = assistant_.answer(
        "Does CMS publish utilization data on how often CPT codes are billed?"
    )
    assert "maintained by the American Medical Association" not in reply.markdown.split("\n")[0]


@pytest.mark.parametrize(
    "question",
    [
        # guidelines about a code set are not the code set: CMS and NCHS publish ICD-10-CM's
        "Does CMS publish the ICD-10-CM guidelines?",
        "Are ICD-10-CM guidelines published by CMS?",
        # each hospital sets its own ED facility levels: they are no CPT the AMA maintains
        "Does CMS publish facility level guidelines for ED visits?",
        # the guidelines are a concept below ICD-10-CM, not a part of the code set the facts
        # describe: NCHS, ICD-10-CM's maintainer, does not issue them alone
        "The official Guidelines for Coding and Reporting are updated every year by CMS and AMA.",
    ],
)
def test_who_maintains_is_not_decided_of_a_thing_the_code_set_only_qualifies(assistant_, question):
    first = assistant_.answer(question).markdown.split("\n")[0]
    assert "maintained by" not in first, first


@pytest.mark.parametrize(
    ("question", "first_word"),
    [
        ("Does CMS maintain the CPT code set?", "No"),
        ("Does the AMA maintain the HCPCS Level II coding system?", "No"),
    ],
)
def test_who_maintains_a_code_set_named_with_code_set_words(assistant_, question, first_word):
    reply = assistant_.answer(question)
    assert re.match(rf"\W*{first_word}\b", reply.markdown), reply.markdown[:80]


def test_when_a_code_set_changes_is_said_only_of_a_code_set(assistant_):
    """ "every year" in a question on how often a service is covered is no question on when a
    code set changes."""
    reply = assistant_.answer("Is the pap smear covered every year by Medicare?")
    assert not reply.markdown.startswith("**When"), reply.markdown[:60]
    assert assistant_.answer("When are J codes updated?").markdown.startswith("**When J codes")


@pytest.mark.parametrize(
    ("question", "dated"),
    [
        # ICD-10-CM's year is the federal fiscal year: its codes start the October before
        (
            "When do the 2024 diagnosis codes update?",
            "The 2024 ICD-10-CM codes take effect on October 1, 2023",
        ),
        (
            "When do the 2025 ICD-10-CM codes take effect?",
            "The 2025 ICD-10-CM codes take effect on October 1, 2024",
        ),
        (
            "When are the 2026 CPT codes effective?",
            "The 2026 CPT codes take effect on January 1, 2026",
        ),
    ],
)
def test_a_year_asked_of_a_code_set_gets_the_date_its_codes_take_effect(
    assistant_, question, dated
):
    assert dated in assistant_.answer(question).markdown.split("\n")[0]


@pytest.mark.parametrize(
    "question", ["When is ICD-10-CM updated?", "When do the 2024 and 2025 ICD-10-CM codes change?"]
)
def test_no_date_is_given_without_one_year_asked(assistant_, question):
    assert "take effect on" not in assistant_.answer(question).markdown.split("\n")[0]


def test_what_a_code_set_is_for_is_not_whether_it_is_another(assistant_):
    """ "Are U codes for COVID tests?" asks what U codes are for: no "No, different"."""
    reply = assistant_.answer("Are U codes for COVID tests?")
    assert not reply.markdown.startswith(("No", "Yes")), reply.markdown[:60]
    assert assistant_.answer("Are J codes CPT codes?").markdown.startswith("No")


def test_a_name_starting_with_the_others_codes_still_asks_what_it_is_for(assistant_):
    """ "codes for durable medical equipment" is a name that starts with E codes' "codes": the
    "for" inside it still asks what E codes are for, which their own verdict answers."""
    reply = assistant_.answer("Are E codes for durable medical equipment?").markdown
    assert reply.startswith("Yes"), reply[:80]


def test_a_modifier_in_brackets_is_a_gloss_not_what_is_asked(assistant_):
    """ "(mod 26)" glosses "professional component": the question is about the CBC."""
    reply = assistant_.answer(
        "Is there a professional component (mod 26) for a clinical lab test like a CBC?"
    )
    assert not reply.markdown.startswith("Yes. Modifier 26 means"), reply.markdown[:60]
    assert reply.markdown.startswith("No."), reply.markdown[:60]


def test_a_meaning_in_brackets_after_a_modifier_is_a_gloss_not_the_claim(assistant_):
    """ "modifier 52 (reduced services) to show a discontinued procedure" claims that 52 shows
    a discontinued procedure: its meaning in brackets is no "Yes, 52 means reduced services"."""
    glossed = assistant_.answer(
        "Should I attach modifier 52 (reduced services) to indicate a discontinued procedure?"
    )
    assert not glossed.markdown.startswith("Yes"), glossed.markdown[:60]
    said = assistant_.answer("Is modifier 52 used for reduced services?")
    assert said.markdown.startswith("Yes. Modifier 52 means"), said.markdown[:60]


@pytest.mark.parametrize(
    "question",
    [
        "Is HCPCS used with ICD-10 codes?",
        "Is CPT billed with diagnosis codes?",
        "is there a crosswalk from surgery codes to anesthesia codes",
    ],
)
def test_two_code_sets_asked_of_together_are_not_said_to_differ(assistant_, question):
    """Only "is X a Y" decides that two code sets differ; "is X used with Y" asks something
    else, which the facts of the tree do not answer."""
    assert not assistant_.answer(question).markdown.startswith("No.")


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Which modifier for DME?", "dme-claim-modifiers-overview"),
        ("which appendix lists modifiers", "cpt-appendix-a-modifiers"),
        # The hospice physician's GV shares "physician" and "under", not the topic.
        ("which modifiers go with teaching physician rules", "teaching-physician-presence-rules"),
    ],
)
def test_an_entry_that_answers_the_question_wins_over_one_picked_row(assistant_, question, entry):
    assert assistant_.answer(question).entry_id == entry


def test_a_terse_which_question_still_picks_the_row(assistant_):
    reply = assistant_.answer("modifier for a bilateral procedure")
    assert reply.markdown.startswith("**Modifier 50**")


def test_a_row_the_best_entry_names_is_still_picked(assistant_):
    # drug-waste-documentation is about JW and JZ: the row it names stays the answer.
    reply = assistant_.answer("which modifier when none of the drug was wasted")
    assert reply.markdown.startswith("**Modifier J"), reply.markdown[:80]
    assert "Modifier JZ" in reply.markdown


@pytest.mark.parametrize(
    "question",
    [
        "In ICD-10-CM, which note says one more code is needed to complete a category? "
        "a. Excludes1 b. Use additional code c. NOS",
        "Which ICD-10-CM category is used for one given diagnosis?",
    ],
)
def test_an_icd_10_cm_category_picks_no_cpt_category_row(assistant_, question):
    reply = assistant_.answer(question)
    assert reply.entry_id != "cpt-pla-codes" and "CPT PLA" not in reply.markdown[:80]


def test_options_that_name_no_row_of_a_family_are_not_picked_from_it(assistant_):
    """ "category" in the stem names CPT's categories, but the options are status indicators."""
    other = assistant_.answer(
        "____ is a category for new technology. A) Status Indicator H B) Status Indicator G"
    )
    assert not other.markdown.startswith("**CPT Category"), other.markdown[:60]
    named = assistant_.answer(
        "____ is the category for emerging technology. A) Category I B) Category II C) Category III"
    )
    assert named.markdown.startswith("**CPT Category III**"), named.markdown[:60]


def test_words_no_row_of_a_family_has_keep_a_row_from_being_picked(assistant_):
    """One word of a modifier's meaning ("assessment") does not make the modifier the answer
    to a question about something no modifier is for."""
    reply = assistant_.answer("Which modifiers are used for spiritual assessments by chaplains?")
    assert not reply.markdown.startswith("**Modifier AB**"), reply.markdown[:60]
    kept = assistant_.answer("Which modifier is used for a hearing assessment without an order?")
    assert kept.markdown.startswith("**Modifier AB**"), kept.markdown[:60]


def test_a_question_about_a_group_of_modifiers_gets_its_entry_not_one_picked_row(assistant_):
    reply = assistant_.answer("Does Medicare accept the X modifiers?")
    assert reply.entry_id == "modifier-x-epsu"


def test_a_modifier_claim_names_the_modifier_that_does_mean_it(assistant_):
    reply = assistant_.answer("Does modifier 99 indicate unusual anesthesia?")
    assert "modifier 23" in reply.markdown and reply.confidence == "high"
    assert any("Appendix A" in s for s in reply.sources)


@pytest.mark.parametrize(
    "question",
    ["Can modifier 25 be used with modifier 59?", "Is modifier 59 or XS for distinct services?"],
)
def test_two_modifiers_together_are_not_a_claim_about_meaning(assistant_, question):
    assert assistant_.composer.modifier_claim(read(assistant_, question)) is None


@pytest.mark.parametrize(
    ("question", "concepts"),
    [
        ("How are HCPCS G codes different from CPT codes?", ("level2-g", "cpt")),
        ("CPT E/M codes vs HCPCS codes", ("cpt-evaluation-and-management", "hcpcs")),
        ("what is the difference between hcpcs and cpt", ("hcpcs", "cpt")),
    ],
)
def test_a_code_set_that_only_qualifies_the_next_concept_is_not_compared(
    assistant_, question, concepts
):
    assert read(assistant_, question).concepts[:2] == concepts


def test_a_decided_yes_or_no_is_not_contradicted_by_the_entry_below_it(assistant_):
    text = assistant_.answer("are CPT and HCPCS the same?").markdown
    assert text.startswith("No.")
    assert not re.search(r"(?m)^\W*Yes\b", text)


def test_the_flagship_comparison_is_answered_with_confidence(assistant_):
    reply = assistant_.answer("What's the difference between HCPCS and CPT?")
    assert (reply.entry_id, reply.confidence) == ("hcpcs-vs-cpt", "high")


def test_a_comparison_no_entry_makes_is_composed_from_both_concepts(assistant_):
    reply = assistant_.answer("What is the difference between CPT code and J code?")
    assert reply.kind == "answer" and reply.entry_id is None
    assert "AMA" in reply.markdown and "CMS" in reply.markdown
    assert "NDC" not in reply.markdown


def test_two_cpt_categories_are_compared_from_the_categories_table(assistant_):
    reply = assistant_.answer("codes ending in F vs codes ending in T: what's the difference?")
    assert reply.kind == "answer" and reply.entry_id is None
    assert "four digits and F" in reply.markdown and "four digits and T" in reply.markdown
    assert "quality" in reply.markdown and "emerging technology" in reply.markdown


def test_a_part_of_a_code_set_is_not_compared_with_the_code_set(assistant_):
    """ "category 1 and 2 CPT codes" names Category I, Category II (the head they share) and
    CPT: the two categories are compared, not a category with CPT."""
    reply = assistant_.answer("What is the difference between category 1 and 2 CPT codes?")
    assert reply.markdown.startswith("**CPT Category I** and **CPT Category II** are not the same")
    assert "**CPT**:" not in reply.markdown


@pytest.mark.parametrize(
    ("question", "named"),
    [
        (
            "What is the difference between Category I, II, and III CPT codes?",
            ("CPT Category I", "CPT Category II", "CPT Category III"),
        ),
        ("what's the difference between J codes, G codes and Q codes?", ("J codes", "G", "Q")),
    ],
)
def test_three_things_compared_are_all_compared(assistant_, question, named):
    """A comparison of three things of one kind says what each is, not only the first two;
    the code set holding them ("CPT") is not a third side."""
    reply = assistant_.answer(question)
    assert "are not the same" in reply.markdown
    for name in named:
        assert f"**{name}" in reply.markdown
    assert "**CPT**:" not in reply.markdown and "All belong to" in reply.markdown


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What are J and G codes?", ("J codes", "G codes")),
        ("what are category I, II and III codes", ("Category I", "Category II", "Category III")),
    ],
)
def test_several_of_one_kind_with_no_entry_on_them_all_are_each_said_in_short(
    assistant_, question, named
):
    reply = assistant_.answer(question)
    assert reply.kind == "answer" and reply.entry_id is None
    assert all(f"**{n}" in reply.markdown or f"**CPT {n}" in reply.markdown for n in named)


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("Level I and II codes", "hcpcs-level-2"),  # the head said once, before both
        ("category I, II and III codes", "cpt-category-3"),
        ("J and G codes", "level2-j"),  # the head said once, after both
    ],
)
def test_a_name_whose_other_words_are_shared_with_the_name_beside_it_is_found(
    assistant_, text, concept
):
    lexicon = assistant_.lexicon
    assert concept in {f.concept for f in lexicon.find_concepts(lexicon.terms(text))}


@pytest.mark.parametrize("text", ["Category I and X-ray codes", "modifier 25 and the visit"])
def test_a_word_beside_a_name_that_makes_no_name_with_it_names_nothing(assistant_, text):
    lexicon = assistant_.lexicon
    assert len(lexicon.find_concepts(lexicon.terms(text))) == 1


def test_several_named_that_an_entry_speaks_of_get_that_entry(assistant_):
    """ "Level I and II" shares "Level": HCPCS Level II is named too, and the entry on the
    levels answers."""
    assert assistant_.answer("Explain Level I and II codes").entry_id == "hcpcs-levels"


def test_a_comparison_of_three_of_one_kind_says_all_three(assistant_):
    reply = assistant_.answer("What is the difference between CPT Category I, II, and III codes?")
    assert reply.markdown.count("- **CPT Category") == 3


def test_a_yes_no_question_on_two_cpt_categories_is_decided_by_the_tree(assistant_):
    assert assistant_.answer("Is a PLA code a CPT Category I code?").markdown.startswith("No")


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("who assigns J codes?", "CMS"),
        ("who maintains S codes", "BCBSA"),
        ("who creates CDT", "ADA"),
        # The entry on CPT's maintainer ranks first and names CMS in passing: HCPCS's is said.
        ("Who assigns HCPCS codes?", "CMS"),
    ],
)
def test_who_questions_name_who_first(assistant_, question, who):
    reply = assistant_.answer(question)
    assert who in reply.markdown.split("\n\n")[0], reply.markdown[:200]


@pytest.mark.parametrize(
    ("question", "member"),
    [
        ("Which modifier indicates a bilateral procedure?", "Modifier 50"),
        ("which modifier is for the left side", "Modifier LT"),
        (
            "Which CPT category is designed for emerging technologies? A) Category I "
            "B) Category II C) Category III",
            "CPT Category III",
        ),
        # A section of CPT, when CPT is named: not the Level II section of COVID-19 lab tests.
        (
            "In which CPT section would you find codes for laboratory tests?",
            "CPT Pathology and Laboratory",
        ),
        # the section named is the one asked for
        ("In which CPT section would you find codes for radiology?", "CPT Radiology"),
        ("which section covers drugs", "J codes (`J0000-J9999`)"),
        # every finger and toe has its row, named by digit: not the great toe for the fourth
        ("modifier for left foot fourth toe", "Modifier T3"),
        ("What is the modifier for the right hand second digit?", "Modifier F6"),
        ("which modifier is for the right great toe", "Modifier T5"),
        # "code set" names the family: its "set" is not the "setting" of the ICD-10-CM row.
        (
            "Which code set is used to report outpatient procedures?",
            "HCPCS (Healthcare Common Procedure Coding System)",
        ),
    ],
)
def test_which_questions_pick_the_facts_row(assistant_, question, member):
    reply = assistant_.answer(question)
    assert reply.markdown.startswith(f"**{member}**"), reply.markdown[:100]


def test_the_option_the_facts_support_is_named_first(assistant_):
    reply = assistant_.answer(
        "What does the acronym HCPCS stand for? a. Healthcare Common Procedure Coding System "
        "b. Health Codes and Procedure Coding System c. Health & Common Procedure Caring System"
    )
    assert reply.markdown.startswith("Of the options given, **A)")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # "all of the above" when the facts name what every other option says
        (
            "What do J codes report? a. injected drugs b. chemotherapy drugs c. infusions "
            "d. all of the above",
            "Of the options given, **D) all of the above** fits",
        ),
        (
            "What do J codes report? a. injected drugs b. chemotherapy drugs c. infusions "
            "d. All of these options",
            "Of the options given, **D) All of these options** fits",
        ),
        (
            "What do J codes report? a. injected drugs b. chemotherapy drugs c. infusions "
            "d. All of these are correct",
            "Of the options given, **D) All of these are correct** fits",
        ),
        (
            "What do J codes report? a. injected drugs b. chemotherapy drugs c. infusions "
            "d. any of these",
            "Of the options given, **D) any of these** fits",
        ),
        # a negative question names the one option the facts do not support
        (
            "Which of the following is NOT a CPT category? a. Category I b. Category II "
            "c. Category III d. Category IV",
            "Of the options given, **D) Category IV** is the one the facts below do not support",
        ),
        (
            "Which of the following is not a CPT section? A. Surgery B. Radiology C. Medicine "
            "D. Durable medical equipment",
            "Of the options given, **D) Durable medical equipment** is the one",
        ),
        # "none of the above" is never the option the facts do not support
        (
            "Which of the following is NOT a CPT category? a. Category I b. Category II "
            "c. Category IV d. None of the above",
            "Of the options given, **C) Category IV** is the one the facts below do not support",
        ),
    ],
)
def test_all_of_the_above_and_negative_multiple_choice(assistant_, question, lead):
    assert assistant_.answer(question).markdown.startswith(lead)


def test_all_of_the_above_is_not_named_when_an_option_is_unsupported(assistant_):
    text = assistant_.answer(
        "Who maintains HCPCS Level II codes? a. the AMA b. CMS c. the CDC d. all of the above"
    ).markdown
    assert text.startswith("Of the options given, **B) CMS** fits")


@pytest.mark.parametrize(
    ("body", "letter"),
    [
        ("The usual pattern is 1 = right, 2 = left and 3 = bilateral.", "C"),
        # a digit said elsewhere ("October 1") supports no option
        ("Coding to full specificity has applied since October 1, 2015.", None),
    ],
)
def test_a_one_digit_option_counts_only_beside_what_is_asked(assistant_, body, letter):
    from assistant.core import options

    reading = assistant_.read(
        "Which character denotes a bilateral condition in ICD-10-CM? a. 1 b. 2 c. 3 d. 4"
    )
    picked = options.pick(reading, body, assistant_.lexicon, assistant_.retriever.idf)
    assert (picked.letter if picked else None) == letter


def test_no_single_option_is_named_when_all_that_apply_are_asked(assistant_):
    from assistant.core import options

    reading = assistant_.read(
        "Who maintains HCPCS Level II? Select all that apply: a. the AMA b. CMS c. the CDC"
    )
    body = "CMS maintains HCPCS Level II."
    assert options.pick(reading, body, assistant_.lexicon, assistant_.retriever.idf) is None
    alone = assistant_.read("Who maintains HCPCS Level II? a. the AMA b. CMS c. the CDC")
    assert options.pick(alone, body, assistant_.lexicon, assistant_.retriever.idf).letter == "B"


@pytest.mark.parametrize(
    ("body", "letter"),
    [
        # what the stem asks about (the colon) is said in one sentence, the option's words in
        # another, about brackets: no pick
        (
            "Brackets hold synonyms, alternative wordings or explanations. A colon follows a "
            "term that is not complete and needs a modifier after it.",
            None,
        ),
        # the same words said of the colon itself decide it
        ("A colon is placed around synonyms, alternative wordings or explanations.", "A"),
    ],
)
def test_an_option_is_picked_only_where_the_answer_speaks_of_what_is_asked(
    assistant_, body, letter
):
    from assistant.core import options

    reading = assistant_.read(
        "How is the colon convention used in ICD-10-CM? A) Around synonyms, alternative "
        "wordings, or explanations B) After an incomplete term that needs another term"
    )
    picked = options.pick(reading, body, assistant_.lexicon, assistant_.retriever.idf)
    assert (picked.letter if picked else None) == letter


# --- confidence --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "how much do coders earn",
        "how do I become a coder",
        "what's 2+2",
        "how to cook rice",
        "what will the Medicare premium be next year",
        "how old do you have to be to get Medicare",
        "what is bitcoin",
        "how much is a 99214 visit",
        # two words, one of them only some entry's tag ("definitive" drug tests): no topic
        "Is there a definitive answer to this?",
    ],
)
def test_out_of_scope_and_off_topic_questions_fall_back(assistant_, question):
    reply = assistant_.answer(question)
    assert (reply.kind, reply.confidence) == ("fallback", "none")


def test_a_topic_below_a_payer_is_a_topic(assistant_):
    """EPSDT sits under Medicaid, which sits under the payers: naming it makes a question
    one the knowledge base is about, as naming Medicaid alone does not."""
    assert assistant_.answer("How does EPSDT help?").kind == "answer"
    # the patient's share of the bill is a billing term, not a payer
    for question in (
        "Can you clarify the distinction between coinsurance and copays? Both share costs, but "
        "how are they different?",
        "how is coinsurance different from a copay?",
        "coinsurance vs copay",
    ):
        reply = assistant_.answer(question)
        assert reply.kind == "answer" and reply.entry_id == "patient-cost-sharing-terms"
    # Medicare's payment method is a topic too, not one of the payers
    reply = assistant_.answer("what is a relative value scale?")
    assert reply.kind == "answer" and reply.entry_id == "rbrvs-relative-value-units"


def test_two_topical_words_without_a_concept_are_offered_an_answer_never_a_confident_one(
    assistant_,
):
    reply = assistant_.answer("bill the patient for soft oxygen cannulas during the rental period")
    assert reply.kind == "answer" and reply.entry_id == "oxygen-equipment-codes-and-rental"
    assert reply.confidence == "uncertain"


def test_a_question_about_using_a_modifier_for_reimbursement_is_answered(assistant_):
    reply = assistant_.answer("How is modifier JZ used on a claim for reimbursement?")
    assert reply.kind != "fallback" and "JZ" in reply.markdown


def test_a_question_about_codes_gets_the_entry_that_may_answer_it_marked_uncertain(assistant_):
    """A question that names a code and asks about something beyond it keeps the code's card
    and gets the entry that may answer it, marked uncertain with the other topics offered,
    rather than the card alone."""
    reply = assistant_.answer("is E0601 rented or bought, and what happens after the rental months")
    assert reply.kind == "code" and reply.codes[0].code == "E0601"
    assert reply.entry_id == "capped-rental-kh-ki-kj"
    assert reply.confidence == "uncertain" and reply.is_uncertain
    assert reply.choices.questions  # the other topics are offered
    assert "E0601" in reply.cards


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # A close entry that names the code itself wins over one on the words around it.
        ("Who uses CPT code G0463?", "clinic-visit-revenue-code-0510"),
        ("Can you bill different fees for HCPCS V5256?", "hearing-aid-codes"),
        # of two entries that list the code, the one holding more of the question's words
        ("what does cpt 98942 cover?", "cmt-spinal-and-extraspinal-regions"),
        # One far ahead on what is asked keeps its place ("can a nurse practitioner bill").
        ("Can a nurse practitioner bill a 99214?", "np-pa-em-billing"),
        # An entry about the code (tagged with it) that matches the question as well, over
        # one naming the code in passing (the mileage entry names A0429 in a parenthesis).
        ("When is CPT A0429 used?", "ambulance-levels-of-service"),
        # ... but not over the entry on what is asked (waste units), which matches better.
        (
            "drug waste for J1885 ketorolac: how do we bill units used and units wasted when "
            "we only know the mg?",
            "jw-waste-units-calculation",
        ),
    ],
)
def test_a_code_question_gets_a_close_entry_that_names_the_code(assistant_, question, entry):
    reply = assistant_.answer(question)
    assert reply.kind == "code" and reply.entry_id == entry


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        # The code set written beside a code only labels it, rightly or not.
        ("What is CPT code G2211?", False),
        ("When is CPT H0031 used?", False),
        # Two code sets named: the question is about them.
        ("is 99213 CPT or HCPCS?", True),
    ],
)
def test_a_code_set_that_labels_a_code_is_not_what_is_asked(assistant_, question, kept):
    from assistant.codes import classify as codes

    found = codes.detect(question, assistant_.facts)
    infos = [assistant_.classify(f.text) for f in found]
    concepts = assistant_.read(question, infos).concepts
    assert ("cpt" in concepts) is kept


def test_a_comparison_of_two_codes_compares_them_not_their_code_set(assistant_):
    """The words "CPT code" only label the two codes compared: the entry on them answers."""
    reply = assistant_.answer("What is the difference between CPT Code 99457 and 99458?")
    assert reply.entry_id == "remote-patient-monitoring"


def test_a_modifier_written_on_a_code_leaves_the_question_about_the_codes(assistant_):
    reply = assistant_.answer("Can you bill 93016 and 93018 with 93306-26?")
    assert reply.kind == "code" and reply.entry_id != "modifier-26"
    assert assistant_.answer("what is modifier 26 used for").entry_id == "modifier-26"


def test_two_codes_compared_need_no_entry_on_two_concepts(assistant_):
    """The comparison is between the two codes; the entry on their topic answers it, though
    the question also names guidance and documentation."""
    reply = assistant_.answer(
        "No images were saved for the shoulder injection under ultrasound: should we report "
        "20610 versus 20611?"
    )
    assert reply.kind == "code" and reply.entry_id == "joint-injection-aspiration"


def test_a_question_on_a_modifier_gets_that_modifier_s_entry_though_its_words_are_elsewhere(
    assistant_,
):
    """The words "append", "CPT" and "code" are in other entries (the 51-exempt symbol); the
    question is about modifier AS, whose entry is scored and shown."""
    reply = assistant_.answer("When should I append modifier AS to a CPT code?")
    assert reply.kind == "code" and reply.entry_id == "modifier-as"
    assert len(reply.alternatives) <= 3


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what does the 95 modifier mean for telehealth", "telehealth-modifiers"),
        ("explain the GT modifier for telehealth", "telehealth-modifiers"),
    ],
)
def test_a_question_naming_a_modifier_gets_the_entry_about_that_modifier(
    assistant_, question, entry
):
    """An entry about the modifier named is preferred to one that ranks above it on other
    words (the Medicare telehealth list, for "telehealth")."""
    reply = assistant_.answer(question)
    assert reply.entry_id == entry and reply.confidence == "high"


def test_a_code_alone_is_a_confident_card(assistant_):
    reply = assistant_.answer("E0601")
    assert reply.kind == "code" and reply.confidence == "high"


def test_confidence_is_one_of_three_and_fallbacks_have_none(assistant_):
    for question in ("what are j codes", "hcpcs thing maybe", "zxcvbnm"):
        reply = assistant_.answer(question)
        assert reply.confidence in ("high", "uncertain", "none")
        assert (reply.confidence == "none") == (reply.kind == "fallback")


# --- the lexicon is checked like any knowledge -------------------------------------------

LEXICON = """\
# Concepts

## concepts

| Concept | Part of | Label | Aliases |
|---|---|---|---|
| widget | | widgets | widget, gizmo |
| Not A Slug | | x | thing |
| sprocket | nowhere | sprockets | sprocket |
| cog | | cogs | gizmo |
| gear-rule | | gear rules | same or similar, similar gear, gear without a rule, no rule gear, gears of the same widget, same gear rule for every widget |
| contrast-agent | | contrast agents | definity, definity contrast |
"""
INTENTS = """\
# Intents

## intents

| Intent | Cues |
|---|---|
| who | ^who, which organization |
| define | define*, explain |
| wonder | why oh why |
| when | when (bad |
"""


def test_check_reports_lexicon_problems_at_their_line(make_kb):
    from conftest import entry_md

    entry = entry_md("e", ["what is a widget"]).replace(
        "- as of: 2026-01-01", "- as of: 2026-01-01\n- concepts: widget, nothing\n- intent: guess"
    )
    root = make_kb(
        {
            "entries/01.md": "# G\n\n" + entry,
            "lexicon/concepts.md": LEXICON,
            "lexicon/intents.md": INTENTS,
            "lexicon/opposites.md": (
                "# Opposites\n\n## opposites\n\n| Word | Opposite |\n|---|---|\n"
                "| inpatient | outpatient |\n| new patient | established |\n| group | groups |\n"
            ),
            "lexicon/words.md": (
                "# Words\n\n## words\n\n| Written | Reads as |\n|---|---|\n"
                "| co# | co |\n| pr# | pr # |\n"
            ),
        }
    )
    problems = [str(p) for p in check.problems(kb.load(root))]
    text = "\n".join(problems)
    assert "concept id 'Not A Slug' is not a slug" in text
    assert "concept 'sprocket': unknown parent 'nowhere'" in text
    assert "alias 'gizmo' of 'cog' reads the same as one of 'widget'" in text
    assert "alias 'same or similar' of 'gear-rule' reads as the one word 'similar'" in text
    assert "'similar gear'" not in text
    # "without" is a function word: "gear without a rule" would be any "gear rule"; "no" is
    # read, so "no rule gear" keeps its negation
    assert "alias 'gear without a rule' of 'gear-rule' reads without its negation" in text
    assert "'no rule gear'" not in text
    # "same" is a function word too: "gears of the same widget" would be any "gear widget"
    # (a longer name still says which it is)
    assert "alias 'gears of the same widget' of 'gear-rule' reads without 'same'" in text
    assert "'same gear rule for every widget'" not in text
    # "Definity" reads as "define": it would be named by every "define ..." question
    assert "alias 'definity' of 'contrast-agent' reads as 'defin', a word questions" in text
    assert "'definity contrast'" not in text
    assert "intent 'wonder' is not one of" in text
    assert "cue 'when (bad'" in text
    assert "entry 'e': unknown concept 'nothing'" in text
    assert "entry 'e': intent 'guess' is not one of" in text
    # an opposites row of two words on one side, or of one word twice
    assert sum("an opposites row needs one word on each side" in p for p in problems) == 2
    assert "opposites.md:7:" not in text  # inpatient / outpatient is fine
    # letters glued to a number must read as letters and the number ("co #")
    assert "words.md:7: a row for letters before a number reads as" in text
    assert "words.md:8:" not in text
    assert all(re.match(r"^[^:]+:\d+: ", p) for p in problems)


def test_the_built_in_lexicon_has_no_problems(knowledge, facts):
    assert lexicon.check(knowledge, facts) == []


def test_cue_phrases():
    assert lexicon.compile_cue("who maintain*").search("who maintains cpt")
    assert lexicon.compile_cue("^who").search("is it | who is")
    assert not lexicon.compile_cue("^who").search("patients who")
    assert lexicon.compile_cue("how much ... pay").search("how much does medicare pay")
    assert not lexicon.compile_cue("how much ... pay").search("how much a b c d e pay")
    # "... ..." is up to eight words
    assert lexicon.compile_cue("how much ... ... pay").search("how much a b c d e pay")
    assert not lexicon.compile_cue("how much ... ... pay").search("how much a b c d e f g h i pay")
    with pytest.raises(ValueError):
        lexicon.compile_cue("...")


def test_reading_without_a_lexicon_still_works(make_kb):
    from conftest import entry_md

    from assistant.core.answer import Assistant

    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("bells", ["what is a bell"])})
    assistant = Assistant.from_dir(root)
    assert read_question(assistant.lexicon, "what is a bell").concepts == ()
    assert assistant.answer("what is a bell").entry_id == "bells"


def test_answers_do_not_depend_on_the_hash_seed(tmp_path):
    """Ties are broken by entry id, never by the order of a set."""
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT

    questions = [
        "what are j codes?",
        "cpt or hcpcs which one do i bill",
        "What Is the Difference Between CPT and HCPCS Codes?",
        "Which modifier indicates a bilateral procedure?",
        "how do i bill drug waste",
        "what is needed for a 99214",
    ]
    code = (
        "import json, sys\nfrom assistant.core.answer import Assistant\n"
        "a = Assistant.from_dir()\n"
        "print(json.dumps([a.answer(q).entry_id for q in json.loads(sys.argv[1])]))"
    )
    results = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, HCPCS_ASSISTANT_DATA=str(tmp_path))
        proc = subprocess.run(
            [sys.executable, "-c", code, json.dumps(questions)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        results.add(proc.stdout.strip())
    assert len(results) == 1


@pytest.mark.parametrize(
    ("word", "spelled"),
    [
        ("modifer", "modifi"),
        ("heart", "heart"),
        ("forum", "forum"),
        ("thought", "thought"),
        # two letters the wrong way round
        ("exlcudes", "exclud"),
        ("hcpsc", "hcpcs"),
        # the start of a longer known word is a word of its own
        ("media", "media"),
        ("complain", "complain"),
        ("signify", "signifi"),
        # a short word two slips from a known one is not a typo for it
        ("experience", "experi"),
        ("anesthsia", "anesthesia"),
    ],
)
def test_typos_are_spelled_but_longer_english_words_are_kept(assistant_, word, spelled):
    """A word that is a known word with letters added is usually another word ("heart" is not
    a typo for "hear"); a doubled letter or a missing one is a typo."""
    term = assistant_.lexicon.terms(word)[0].term
    assert assistant_.retriever.spell(term) == spelled


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("mdoifier", "modifi"),
        ("surgrey", "surgeri"),
        ("evalutaion", "evalu"),
        ("radiloogy", "radiolog"),
    ],
)
def test_two_letters_swapped_are_undone_on_the_word_before_stemming(assistant_, typed, known):
    """A slip keeps the stemmer from taking a word's ending off ("mdoifier" stems to itself),
    so the swap is undone on the word as typed, then stemmed."""
    term = assistant_.lexicon.terms(typed)[0]
    assert assistant_.retriever.spell(term.term) == term.term  # the stem alone is not enough
    assert assistant_.retriever.spell_typed(term.term, term.word) == known
    assert assistant_.answer(f"what is a {typed}").kind != "fallback"


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("modfier", "modifi"),  # "modifer", read by the words table as "modifier"
        ("copyirghted", "licenc"),  # "copyrighted", which the words table reads as "licence"
    ],
)
def test_a_swap_undone_is_read_by_the_words_table_before_stemming(assistant_, typed, known):
    term = assistant_.lexicon.terms(typed)[0]
    assert assistant_.retriever.spell_typed(term.term, term.word) == known


@pytest.mark.parametrize(
    ("typed", "known", "entry"),
    [
        ("ctegory ii codes", "categori", "cpt-category-ii"),  # the second letter left out
        ("weelchair code", "wheelchair", "wheelchair-codes"),
        ("evluation and management codes", "evalu", "cpt-evaluation-and-management"),
    ],
)
def test_a_letter_left_out_is_put_back_on_the_word(assistant_, typed, known, entry):
    """The stem of a word with a letter missing may be too far from the word's stem for a
    ratio ("evluat" and "evalu"), and its first two letters other than the word's."""
    term = assistant_.lexicon.terms(typed)[0]
    assert assistant_.retriever.spell_typed(term.term, term.word) == known
    answer = assistant_.answer(typed)
    assert answer.kind == "answer" and answer.entry_id == entry


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("provder", "provid"),  # a letter left out: "provider", not the nearest term "provera"
        ("descripton", "descript"),  # "description", not "descriptor"
        ("moodifier", "modifi"),  # a letter typed twice
        ("billiing", "bill"),
        ("modiifer", "modifi"),  # two letters swapped, before the nearest term "modif"
    ],
)
def test_a_letter_left_out_or_doubled_or_swapped_comes_before_the_nearest_term(
    assistant_, typed, known
):
    term = assistant_.lexicon.terms(typed)[0]
    assert assistant_.retriever.spell_typed(term.term, term.word) == known


def test_a_typo_may_hide_a_doers_ending_but_not_add_one(assistant_):
    """ "modifeir" reads as the concept "modifier" though its word does not end like a doer's;
    "cardioverter", a doer's word read as the term of "cardioversion", stays no cardioversion."""
    assert "modifier" in read(assistant_, "What Is a Modifeir?").concepts
    reading = read(assistant_, "What is an internal cardioverter-defibrillator (ICD) implant?")
    assert "cardioversion" not in reading.concepts


@pytest.mark.parametrize("word", ["hiking", "familiar", "complains"])
def test_a_word_a_letter_different_from_a_known_one_is_kept(assistant_, word):
    """Only a letter left out is put back: a word with one letter other than a known word's
    is usually a word of its own ("hiking", not "hiring")."""
    term = assistant_.lexicon.terms(word)[0]
    assert assistant_.retriever.spell_typed(term.term, term.word) == term.term


@pytest.mark.parametrize(
    ("question", "concept"),
    [("cateogry ii codes", "cpt-category-2"), ("what are hcpcs levle ii codes", "hcpcs-level-2")],
)
def test_a_number_after_a_mistyped_level_word_is_read_as_a_number(assistant_, question, concept):
    assert concept in read(assistant_, question).concepts


@pytest.mark.parametrize(
    ("typed", "known", "kept"),
    [("heart", "hear", True), ("forum", "form", True), ("modifierr", "modifier", False),
     ("modifer", "modifier", False)],
)  # fmt: skip
def test_only_added_letters_keep_the_word(typed, known, kept):
    from assistant.core.retrieve import _only_extra_letters

    assert _only_extra_letters(typed, known) is kept


def test_modifiers_the_lexicon_names_are_read_without_imported_data(assistant_):
    """ "-nu", "-rr": the knowledge base's own modifiers count as known, as the data's do."""
    codes = [c.code for c in assistant_.answer("do I put -nu or -rr on the claim").codes]
    assert codes == ["NU", "RR"]


def test_who_is_a_new_patient_gets_no_maintainer_lead(assistant_):
    reply = assistant_.answer("Who is a new patient?")
    assert not reply.markdown.startswith("**Who maintains")
    assert assistant_.answer("who assigns j codes").markdown.startswith("**Who maintains J codes")


def test_who_is_responsible_after_a_story_asks_of_the_sentence_that_asks(assistant_):
    """The brace is named in the story; "who is responsible for the claim?" does not ask who
    maintains its codes. Asked of the codes themselves, after a story, it does."""
    story = "The physician prescribed a back brace to use right after surgery. "
    reply = assistant_.answer(story + "Who is responsible for the claim?")
    assert "Who maintains" not in reply.markdown
    asked = assistant_.answer("I code J codes every day. Who maintains J codes?")
    assert asked.markdown.startswith("**Who maintains J codes")


@pytest.mark.parametrize(
    ("concepts", "sides"),
    [
        # Two CPT modifiers are more alike than a modifier and the CPT book (both only CPT).
        (("modifier-57", "cpt-book", "modifier-25", "modifier"), ("modifier-57", "modifier-25")),
        (("cpt", "hcpcs-level-2"), ("cpt", "hcpcs-level-2")),
        (("hcpcs", "cpt"), ("hcpcs", "cpt")),  # one above the other: the first two named
    ],
)
def test_a_comparison_compares_the_two_concepts_most_alike(assistant_, concepts, sides):
    assert assistant_.lexicon.sides(concepts) == sides


def test_a_long_comparison_naming_a_book_still_compares_the_two_modifiers(assistant_):
    reply = assistant_.answer(
        "Using the CPT manual, compare and contrast modifier 57 with modifier 25: what are "
        "the significant differences between these two modifiers?"
    )
    assert reply.entry_id == "modifier-57"


def test_a_true_or_false_statement_about_modifiers_picks_no_modifier_row(assistant_):
    reply = assistant_.answer(
        "A pricing modifier should be entered in the first modifier field if an "
        "informational modifier is also reported.\na. True\nb. False"
    )
    assert reply.entry_id == "pricing-vs-informational-modifiers"


def test_a_question_naming_a_code_is_about_billing_not_clinical_advice(assistant_):
    reply = assistant_.answer(
        "My doctor removed the polyp with cold biopsy forceps during the colonoscopy. "
        "Should I assign 45383?"
    )
    assert reply.kind == "code" and reply.out_of_scope is None
    # and is decided as any billing question is: 45383 was deleted
    assert reply.markdown.startswith("No.")
    assert assistant_.answer("my doctor says I need a colonoscopy").out_of_scope == "clinical"


def test_cues_found_are_those_whose_pattern_matches(assistant_):
    """cues_in tries a cue's pattern only on text that has each of its words; it must find
    exactly the groups trying every pattern finds."""
    import json
    from pathlib import Path

    lexicon = assistant_.lexicon
    groups = [(("intent", name), cues) for name, cues in lexicon.intents.items()]
    for i, rule in enumerate(lexicon.scope):
        groups += [(("scope", i), rule.cues), (("unless", i), rule.unless)]
    data = Path(__file__).parent / "data"
    questions = [
        json.loads(line)["q"]
        for name in ("real_questions.jsonl", "questions.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(questions) > 600
    for question in questions:
        flat = lexicon.flat(question)
        every = {g for g, cues in groups if any(c.pattern.search(flat) for c in cues)}
        assert lexicon.cues_in(flat) == every, question


def test_a_question_in_the_knowledge_bases_own_words_is_offered_its_entry(assistant_):
    """No concept is named, but four and more of the question's rarer words are an entry's."""
    reply = assistant_.answer(
        "Codes in which the components of a procedure are separated and reported separately "
        "are called"
    )
    assert reply.kind == "answer" and reply.confidence == "uncertain"
    assert reply.entry_id == "bundling-and-unbundling"


@pytest.mark.parametrize(("held", "offered"), [(0.9, True), (0.8, False)])
def test_three_rarer_words_nearly_all_in_one_entry_are_offered_it(assistant_, held, offered):
    """Three of the question's rarer words are enough when the best entry holds nearly all of
    them (four need only three quarters)."""
    from dataclasses import replace

    reading = read(assistant_, "code for pre employment exam")
    best = assistant_.retriever.rank(reading)[0]
    assert assistant_._in_its_words(reading, [replace(best, words=held)]) is offered


@pytest.mark.parametrize(
    "question",
    [
        "what time is it in tokyo",
        "who is the president of france",
        "best hiking trails near me",
        "recipe for chicken soup tonight",
    ],
)
def test_a_short_question_about_anything_else_still_falls_back(assistant_, question):
    assert assistant_.answer(question).kind == "fallback"


@pytest.mark.parametrize(
    ("question", "choices"),
    [
        (
            "Define and differentiate between them? 1) First listed diagnosis 2) Principal "
            "diagnosis 3) Secondary diagnosis",
            False,
        ),
        ("Explain the following: a) CPT b) HCPCS c) ICD-10-CM", False),
        ("Which code set is for drugs? a) CPT b) HCPCS c) ICD-10-CM", True),
        # a request to explain a question that offers options to choose from
        ("Please explain: What does the prefix brady- mean? (A) Fast (B) Slow", True),
    ],
)
def test_items_listed_after_a_request_to_explain_them_are_no_options(assistant_, question, choices):
    assert read(assistant_, question).choices is choices


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        # a name left to be filled in: how coverage works for everyone
        (
            "If a provider thinks that a procedure will not be covered by Medicare, the patient "
            "is notified by means of a(n)",
            False,
        ),
        ("A service Medicare does not pay for is called a ____", False),
        # after a scene, the sentence that asks is read alone, and is still a test item
        (
            "I'm a coding student. If a procedure will not be covered by Medicare, the patient "
            "is notified by means of a(n)",
            False,
        ),
        # an amount left to be filled in stays the payer's
        ("The Part B Medicare annual deductible is", True),
        ("Will Medicare cover my knee surgery?", True),
    ],
)
def test_a_coverage_statement_that_leaves_a_name_to_fill_in_is_a_test_item(
    assistant_, question, refused
):
    assert (read(assistant_, question).scope is not None) is refused


def test_options_lettered_on_dashed_lines_keep_their_own_letters(assistant_):
    reading = read(assistant_, "What CPT code is reported?\n- A) 99285\n- B) 99291\n- C) 99236")
    assert reading.options == (("A", "99285"), ("B", "99291"), ("C", "99236"))


def test_codes_that_are_only_a_pasted_questions_options_are_chosen_between(assistant_):
    """The question asks which of the codes; the entry that answers it is the reply, not the
    cards of the four codes."""
    reply = assistant_.answer(
        "Which code is reported for the first 30-74 minutes of critical care? "
        "A) 99285 B) 99291 C) 99292 D) 99223"
    )
    assert reply.kind == "answer" and "99291" in reply.markdown


def test_options_name_the_topic_when_the_stem_names_only_the_setting(assistant_):
    """The stem names only the payer (a context); the options name what it is about, each
    concept once."""
    reading = read(
        assistant_,
        "This is a 2 digit code that clarifies an EVENT related to the bill that may affect payer "
        "processing\n  1. occurrence span code\n  2. condition code\n  3. Occurrence code\n"
        "  4. Revenue code",
    )
    assert "condition-code" in reading.concepts
    assert len(reading.concepts) == len(set(reading.concepts))


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        # a name whose stem is an everyday verb or adjective names nothing in other questions
        ("the information is entered into the computer", "level2-b"),  # "enteral"
        ("how do I prevent claim denials", "preventive-visit"),  # "preventive"
        ("billing for a terminally ill patient in hospice", "deleted-code"),  # "terminated"
        (
            "Can a PA bill without the patient being seen by the physician as well?",
            "wellness-visit",
        ),
    ],
)
def test_everyday_words_do_not_name_a_concept_by_their_stem(assistant_, question, concept):
    assert concept not in read(assistant_, question).concepts


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("what is enteral nutrition billed with", "level2-b"),
        ("what are preventive codes", "preventive-visit"),
        ("can I bill a terminated code", "deleted-code"),
    ],
)
def test_those_names_still_name_their_concept_in_full(assistant_, question, concept):
    assert concept in read(assistant_, question).concepts


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("Cologuard\u2122 tests", ["cologuard", "tests"]),
        ("CPT\u00ae codes", ["cpt", "codes"]),
        ("\u00a92025 AMA", ["2025", "ama"]),
        ("140% of Medicare", ["140", "percent", "of", "medicare"]),  # a sign read as its word
    ],
)
def test_trademark_and_copyright_signs_are_not_part_of_a_word(written, read_as):
    from assistant.core.text import words

    assert words(written) == read_as


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("non-covered services", ["noncovered", "services"]),
        ("non covered services", ["noncovered", "services"]),
        ("noncovered services", ["noncovered", "services"]),
        ("a non-par provider", ["a", "nonpar", "provider"]),
        ("non of the above", ["non", "of", "the", "above"]),  # a slip for "none": kept apart
        ("non 99213", ["non", "99213"]),
    ],
)
def test_non_is_one_word_with_the_word_after_it(written, read_as):
    assert text_words(written) == read_as


def test_a_hyphenated_opposite_is_read_as_one_side_of_its_pair(assistant_):
    from assistant.core.text import stem

    read = assistant_.lexicon.read("the non-facility rate")
    assert "nonfacility" in read
    assert stem("nonfacility") in assistant_.lexicon.opposite_terms


@pytest.mark.parametrize(
    ("question", "picked"),
    [
        ("What is modifier in medical billing?", False),
        ("what is modifier for a procedure on the left side", True),
        # after "the", a word of choosing or the code set's name, still one member asked for
        ("What Is the HCPCS Modifier for Right Hand Second Digit?", True),
        ("What is correct modifier for left foot fourth toe?", True),
        ("We are a small practice. What is the HCPCS modifier for right hand second digit?", True),
        ("Is there a modifier for a procedure on the left side?", True),
        ("Is there a modifier for Medicare?", False),
        # "a modifier for X" asks what one is; a payer is where, not what a modifier is for
        ("What is a modifier for Medicare?", False),
        ("What is the modifier for Medicare?", False),
    ],
)
def test_what_is_modifier_asks_which_only_with_what_it_is_for(assistant_, question, picked):
    """A facts row is picked for "what is modifier for X?", not for "what is modifier?"."""
    assert (assistant_.composer.pick(read(assistant_, question)) is not None) is picked


def test_the_tree_decides_only_a_question_asking_whether_one_thing_is_the_other(assistant_):
    """The two concepts are in the question, but it asks about other words ("weakness",
    "tachycardia"): the concept tree does not say "Yes." to it."""
    reply = assistant_.answer(
        "are weakness or tachycardia really independent secondary diagnoses, or should they be "
        "considered inherent to the definitive diagnosis?"
    )
    assert not reply.markdown.startswith(("Yes", "No"))


@pytest.mark.parametrize(
    ("question", "negative"),
    [
        ("Which of the following statements is/are false regarding ultrasound guidance?", True),
        ("Which statement is incorrect? a. one b. two", True),
        ("Which of the following is NOT a CPT category?", True),
        ("Which statement is true? a. one b. two", False),
        ("What is not true about HCPCS? a. one b. two", True),
        ("What is true about HCPCS? a. one b. two", False),
        ("Which factor is never considered in a DRG? a. one b. two", True),
        # "never" in the fact asked about, not in what is asked
        ("Add-on codes are shown by which symbol and are never reported alone? a. + b. *", False),
    ],
)
def test_a_question_asking_which_is_false_asks_for_the_option_that_is_not_so(
    assistant_, question, negative
):
    from assistant.core import options

    assert options.negative(read(assistant_, question)) is negative


def test_the_concept_tree_relates_only_what_the_facts_describe(assistant_):
    """Two topics that are no code set or section ("RhoGAM", "the global OB package") are not
    "different parts of HCPCS": whether one is included in the other is a bundling question."""
    text = assistant_.answer("Is RhoGAM included in the global OB package?").markdown
    assert "are different" not in text.split("\n")[0]
    assert assistant_.answer("Is a J code a CPT code?").markdown.startswith("No. J codes and CPT")


def test_the_concept_tree_does_not_answer_when_a_third_thing_is_asked(assistant_):
    """ "Are category 3 CPT codes temporary codes?": CPT only qualifies Category III; the tree's
    "Category III is part of CPT" would answer a question not asked."""
    text = assistant_.answer("Are category 3 CPT codes temporary codes?").markdown
    assert "is part of CPT" not in text.split("\n")[0]


@pytest.mark.parametrize(
    ("question", "entry_first"),
    [
        # Asked yes or no about a code: the entry that may answer it, then the card.
        ("can modifier 22 be appended to 99291?", True),
        # Asked what a code is: the card, then the entry.
        ("what is modifier 22?", False),
    ],
)
def test_a_yes_no_question_about_a_code_leads_with_the_entry(assistant_, question, entry_first):
    reply = assistant_.answer(question)
    assert reply.kind == "code" and reply.body and reply.cards
    assert (not reply.markdown.startswith("### ")) is entry_first, reply.markdown[:80]
    assert reply.markdown.startswith("### `") is not entry_first


_STORY = (
    "I run the front desk of a busy family practice with four physicians, two nurse "
    "practitioners and a lab. Every morning the schedule is full, the phones ring all day, the "
    "parking lot is small and the waiting room is crowded, and our staff turnover has been high "
    "since the spring. We use an old practice management system that our vendor no longer "
    "updates, and we are looking at new ones. Last week a new hire asked me something I could "
    "not answer. "
)


def test_a_long_story_before_a_question_gets_what_the_question_asks(assistant_):
    """The story's words and concepts weigh less than the question sentence's, which asks
    about a topic of its own: what it asks is answered, with the whole question echoed."""
    question = _STORY + "Who maintains the CPT code set?"
    reading = read(assistant_, question)
    assert {"phone", "park", "vendor"} <= reading.told and reading.story
    reply = assistant_.answer(question)
    assert reply.kind == "answer" and reply.entry_id == "who-maintains-cpt"
    assert reply.question.startswith("I run the front desk")


def test_a_story_naming_a_code_gets_what_its_question_asks_not_the_bare_card(assistant_):
    """The code is only part of the story: what the question sentence asks is answered
    (uncertain, since the story was left out) instead of the code's card alone."""
    question = (
        "Our pediatric office billed 99214 and a lab panel for a sick visit. The insurer asked "
        "for the notes and then denied the visit, saying the level was not documented. We "
        "think the level was right. Can we send a corrected claim with a lower level of service?"
    )
    reply = assistant_.answer(question)
    assert reply.kind == "answer" and reply.entry_id == "corrected-claim-resubmission"
    assert reply.confidence == "uncertain"


def test_a_story_whose_question_only_asks_which_code_keeps_the_card(assistant_):
    reply = assistant_.answer("Yesterday we sent 99214 again. What CPT code is reported?")
    assert reply.kind == "code" and [c.code for c in reply.codes] == ["99214"]


def test_a_long_story_before_a_question_off_topic_still_falls_back(assistant_):
    assert assistant_.answer(_STORY + "What time is it in Tokyo?").kind == "fallback"


def test_a_statement_to_judge_is_answered_by_an_entry_not_a_picked_row(assistant_):
    """A true/false statement has no options: no row of the facts is picked as its answer,
    whichever side the label is written on."""
    statement = (
        "If a Category III code is available, it must be reported instead of a Category I "
        "unlisted procedure code."
    )
    for question in (f"True or False: {statement}", f"{statement} True or False?"):
        reply = assistant_.answer(question)
        assert reply.entry_id is not None, question
        assert "unlisted" in reply.body.lower()


@pytest.mark.parametrize(
    "question", ["is the cpt book part of hcpcs", "is the cpt index part of hcpcs"]
)
def test_the_tree_places_codes_not_books(assistant_, question):
    """A book, its index or its divisions sit under CPT in the concept tree, but the tree's
    "X is part of HCPCS" is said only of sets of codes."""
    assert "is part of HCPCS:" not in assistant_.answer(question).markdown


def test_a_subset_is_a_part(assistant_):
    reply = assistant_.answer("is cpt a subset of hcpcs")
    assert reply.markdown.startswith("Yes. CPT is part of HCPCS")


def test_a_facts_row_is_picked_only_when_it_matches_most_of_what_is_asked(assistant_):
    """ "second" alone is in the row of F1 (left hand, second finger): a row matching one of
    the two words asked about is no pick, and an entry answers."""
    reply = assistant_.answer("which modifier for a second surgeon")
    assert "F1" not in reply.markdown.split("\n\n")[0]
    assert assistant_.answer("what modifier for left index finger").markdown.startswith(
        "**Modifier F1**"
    )


def test_reason_code_names_the_remittance_codes(assistant_):
    reply = assistant_.answer("what does reason code 96 mean")
    assert reply.kind == "answer" and "CARC" in reply.markdown


def test_an_entry_naming_the_code_on_another_topic_does_not_answer(assistant_):
    """Z23 (an encounter for immunization) is named by the pneumococcal vaccine entry too, but
    a question about a flu shot is not answered by it."""
    reply = assistant_.answer("is z23 the correct code for a flu vaccination given to an adult?")
    assert reply.kind == "code" and reply.codes[0].code == "Z23"
    assert reply.entry_id != "pneumococcal-vaccine-codes"
    assert "influenza" in reply.markdown.lower()


@pytest.mark.parametrize(
    ("question", "letter"),
    [
        (
            "Which CPT category holds the E/M codes? a. Category I b. Category II c. Category III",
            "A",
        ),
        ("Which code set has the office visit codes? a. ICD-10-CM b. CPT c. NDC", "B"),
        ("Radiation oncology codes are found in which section? a. Medicine b. Radiology", "B"),
    ],
)
def test_the_option_above_what_is_asked_in_the_concept_tree_is_picked(assistant_, question, letter):
    """The E/M section is part of CPT Category I: an option naming the concept above the one
    asked about is picked when the answer's words decide nothing."""
    assert f"**{letter})" in assistant_.answer(question).markdown


def test_no_option_is_picked_by_the_tree_when_an_option_is_what_is_asked(assistant_):
    reply = assistant_.answer(
        "What codes report performance measures? a. CPT Category I codes b. CPT Category II"
        " codes c. CPT Category III codes"
    )
    assert "**A)" not in reply.markdown


def test_codes_ending_in_99_are_the_unlisted_codes(assistant_):
    reply = assistant_.answer("which cpt codes end in 99")
    assert reply.kind == "answer" and "unlisted" in reply.markdown.lower()


def test_the_rental_cap_is_capped_rental(assistant_):
    reply = assistant_.answer("what happens when a hospital bed reaches the rental cap")
    assert reply.kind == "answer" and "capped rental" in reply.markdown.lower()


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("what does RPM stand for", "**RPM** stands for **Remote Patient Monitoring**."),
        ("RPM is an acronym for what?", "**RPM** stands for **Remote Patient Monitoring**."),
        # an abbreviation written in capitals and asked about
        ("What does ESRD mean?", "**ESRD** stands for **End Stage Renal Disease**."),
        ("What is RPM?", "**RPM** stands for **Remote Patient Monitoring**."),
        # typed in lower case, after an opening, or with a trailing "in medical billing": the
        # lexicon spells it out all the same
        ("what does esrd mean", "**ESRD** stands for **End Stage Renal Disease**."),
        ("what is tpl?", "**TPL** stands for **Third Party Liability**."),
        ("What is TPL in medical billing?", "**TPL** stands for **Third Party Liability**."),
        ("Can you tell me what is TPL?", "**TPL** stands for **Third Party Liability**."),
    ],
)
def test_an_abbreviation_is_spelled_out_from_the_lexicon(assistant_, question, first):
    assert assistant_.answer(question).markdown.startswith(first)


@pytest.mark.parametrize("question", ["what does care mean", "What is a claim?", "what is time?"])
def test_a_word_no_name_abbreviates_is_not_spelled_out(assistant_, question):
    assert "stands for" not in assistant_.answer(question).markdown[:200]


def test_an_answer_that_spells_it_out_already_is_not_led(assistant_):
    reply = assistant_.answer("what does hcpcs stand for")
    assert reply.markdown.count("Healthcare Common Procedure Coding System") == 1


def test_how_many_icd_10_codes_is_a_count_of_the_code_set(assistant_):
    reply = assistant_.answer("how many icd-10-cm codes are there")
    assert reply.entry_id == "icd10cm-code-count"


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("How many ICD-10 codes are there?", True),
        ("how many CPT codes exist", True),
        # a modal verb right after it: how many one may use, not how many there are
        ("How many ICD-10 codes can go on a claim?", False),
        ("How many CPT codes should be billed per visit?", False),
    ],
)
def test_how_many_codes_followed_by_a_modal_verb_is_no_count_of_the_code_set(
    assistant_, question, counted
):
    reading = read(assistant_, question)
    assert ("code-count" in reading.concepts) is counted
    reply = assistant_.answer(question)
    assert (reply.entry_id in ("icd10cm-code-count", "hcpcs-code-count")) is counted


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("What are timed CPT codes?", "timed-codes"),
        ("what are Level II HCPCS codes", "hcpcs-level-2"),
    ],
)
def test_a_code_set_said_inside_a_name_that_ends_in_codes_only_qualifies_it(
    assistant_, question, concept
):
    assert read(assistant_, question).concepts == (concept,)
    # (the code set alone is still the code set)
    assert read(assistant_, "what are CPT codes").concepts == ("cpt",)
    # (with a word between, it is no name of a kind of code: "added to CPT codes" is no
    # "add code")
    assert "cpt" in read(assistant_, "Can Level II modifiers be added to CPT codes?").concepts


def test_a_verdict_on_what_is_denied_does_not_decide_what_is_paid(assistant_):
    """Paid and denied are two sides (opposites.md): "Is the column 2 code denied ...? -> Yes"
    gives no "Yes." to a question on whether it is paid."""
    paid = assistant_.answer("Is the column 2 code paid when billed with the column 1 code?")
    assert not paid.markdown.startswith("Yes")
    denied = assistant_.answer("Is the column 2 code denied when billed with the column 1 code?")
    assert denied.markdown.startswith("Yes.")


def test_prior_authorization_is_a_topic_not_only_a_payer(assistant_):
    reply = assistant_.answer("what is prior authorization")
    assert reply.kind == "answer" and reply.entry_id == "prior-authorization-claims"


def test_a_question_that_reads_as_a_phrasing_is_answered_with_confidence(assistant_):
    """The question "Who maintains CPT codes?" is one of its entry's phrasings: another CPT entry that
    also answers a "who" question, close behind, does not make it uncertain."""
    reply = assistant_.answer("Who maintains CPT codes?")
    assert reply.entry_id == "who-maintains-cpt" and reply.confidence == "high"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("what does T mean on a code", "level2-t-codes"),
        ("what does G mean in hcpcs", "level2-g-codes"),
    ],
)
def test_a_letter_asked_what_it_means_is_its_section(assistant_, question, entry_id):
    assert assistant_.answer(question).entry_id == entry_id


def test_a_title_or_e_g_ends_no_sentence():
    from assistant.core.text import sentences

    text = "Dr. Red reported G2211. Can Dr. Yellow report it too, e.g. when covering? Thanks."
    assert sentences(text) == [
        "Dr. Red reported G2211.",
        "Can Dr. Yellow report it too, e.g. when covering?",
        "Thanks.",
    ]


def test_a_code_described_in_brackets_still_asks_yes_or_no(assistant_):
    """Dots that open a bracket leave words out and end no sentence, and a semicolon inside a
    bracket ends no clause: the question around the codes' descriptions asks yes or no, and the
    numbers inside them are not what it asks about."""
    from assistant.core.text import sentences

    question = (
        "After three views of the knee, may we report 73560 (Radiologic examination, knee; 1 "
        "or 2 views) and 73562 (... knee; 3 views) together?"
    )
    assert sentences(question) == [question]
    assert read(assistant_, question).yes_no
    plain = "Are 73120 and 73130 billed together when five views of the hand are taken?"
    described = (
        "When five views of the hand are taken, are 73120 (Radiologic examination, hand; two "
        "views) and 73130 (... hand, minimum of three views) billed together?"
    )
    first = assistant_.answer(plain).markdown.splitlines()[0]
    assert first.startswith("No.")
    assert assistant_.answer(described).markdown.splitlines()[0] == first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a question pasted after a list with no full stop before it
        (
            "Duties include: - Checking patients - Coordinating scheduling matters Do you agree "
            "that lines may be placed?",
            [
                "Duties include: - Checking patients - Coordinating scheduling matters",
                "Do you agree that lines may be placed?",
            ],
        ),
        # a question after a colon that ends the words leading to it
        (
            "I saw my doctor last week and was wondering: Is there a time limit to file?",
            ["I saw my doctor last week and was wondering:", "Is there a time limit to file?"],
        ),
        # after a colon, typed all in lower case too
        (
            "i saw my doctor last week and was wondering: is there a time limit to file?",
            ["i saw my doctor last week and was wondering:", "is there a time limit to file?"],
        ),
        # but not with no colon: "... and is there" goes on the same sentence
        (
            "i saw my doctor and is there a time limit to file?",
            ["i saw my doctor and is there a time limit to file?"],
        ),
        # after a dash typed with no space, in lower case too
        (
            "we would like to know some of the billing issues-can the physician bill 97597?",
            ["we would like to know some of the billing issues", "can the physician bill 97597?"],
        ),
        # (a compound is no dash: "to-do list", "add-on code"; nor is a dash between spaces,
        # which sets words apart inside one sentence)
        ("Use the to-do list. Is it done?", ["Use the to-do list.", "Is it done?"]),
        (
            "he is not sure which is primary - is there a line to call?",
            ["he is not sure which is primary - is there a line to call?"],
        ),
        # ("Question: Is ...": a label, not words leading to a question, stays)
        ("Question: Is G2211 billed alone?", ["Question: Is G2211 billed alone?"]),
        # a title in capitals is one sentence
        ("What Is the Time Requirement for 99215?", ["What Is the Time Requirement for 99215?"]),
        ("Medicare Is the payer", ["Medicare Is the payer"]),
    ],
)
def test_a_question_with_no_mark_before_it_starts_a_sentence(text, expected):
    from assistant.core.text import sentences

    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "based on the MDM?It\u2019s my understanding",
            "based on the MDM? It\u2019s my understanding",
        ),
        ("bill it with 99213!The payer says no", "bill it with 99213! The payer says no"),
        ("is that right?I think so", "is that right? I think so"),
        (
            "we billed the code.Then the payer denied it",
            "we billed the code. Then the payer denied it",
        ),
        # no sentence ends inside a code, a title, a web address or capitals
        ("E11.9 and Z01.00", "E11.9 and Z01.00"),
        ("Dr.Smith saw the patient", "Dr.Smith saw the patient"),
        ("see cms.gov/Medicare and U.S.A", "see cms.gov/Medicare and U.S.A"),
        ("Which modifier?A. 25 B. 59", "Which modifier?A. 25 B. 59"),
    ],
)
def test_a_sentence_run_on_into_the_next_is_spaced(text, expected):
    from assistant.core.text import spaced

    assert spaced(text) == expected


def test_the_one_sentence_that_asks_yes_or_no_after_a_condition_before_a_comment(assistant_):
    """A leading "When ..." and a comment after the sentence that asks leave it yes/no."""
    text = (
        "When the MAC asks for records for an x-ray (or a CT scan) do we send the ordering"
        " doctor's notes too? The ordering doctor is not in our group."
    )
    assert assistant_.read(text, []).yes_no
    assert not assistant_.read("When the MAC asks for records, what do we send? Thanks.", []).yes_no


def test_the_one_sentence_that_asks_yes_or_no_is_the_question_before_a_comment(assistant_):
    """ "... Can we bill X?It's my understanding that ... either A or B.": the story, the
    question run on into a comment, and the comment's either-or asks nothing."""
    text = (
        "Our physician documented 20 minutes, enough for 99213, but the medical decision making"
        " was moderate. Can we bill the higher-level code based on MDM?I believe the rules say"
        " to pick either the total time or the MDM."
    )
    reading = assistant_.read(text, [])
    assert not reading.yes_no  # (read as typed, the run-on hides the question)
    from assistant.core.text import spaced

    assert assistant_.read(spaced(text), []).yes_no
    assert assistant_.answer(text).markdown.startswith("Yes.")


@pytest.mark.parametrize(("gap", "shown"), [(0.5, True), (7.0, True), (12.0, False)])
def test_an_uncertain_answer_shows_a_runner_up_within_ten_points(assistant_, gap, shown):
    """When the engine is unsure, the two closest entries are both shown, the second under its
    own title; one far behind is left to the "did you mean" list."""
    from assistant.core.retrieve import Candidate

    best = Candidate("what-are-modifiers", "What is a modifier in medical coding?", 70.0)
    runner_up = Candidate("modifier-25", "What does modifier 25 mean?", 70.0 - gap)
    second = assistant_._second("uncertain", best, [best, runner_up])
    assert (second is not None and second.id == "modifier-25") is shown
    assert assistant_._second("high", best, [best, runner_up]) is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('the difference between "and" and "with" in ICD-10-CM', ["q_and", "q_with"]),
        ("what does 'see also' mean", []),  # "see" says something: each is read as usual
        ('what does "and/or" indicate', ["q_and", "q_or"]),  # words that all say nothing
        ('what does "and or" mean', ["q_and", "q_or"]),
        ("the patient's and the doctor's notes", []),  # apostrophes, not quotes
        ('"CPT" codes', []),  # a quoted word that says something is read as usual
    ],
)
def test_a_function_word_in_quotes_is_kept_as_the_word_asked_about(text, kept):
    from assistant.core.text import words

    assert [w for w in words(text) if w.startswith("q_")] == kept


def test_the_entry_on_a_quoted_function_word_answers_it(assistant_):
    quoted = assistant_.answer('How do "and" and "with" differ in ICD-10-CM?')
    assert quoted.entry_id == "icd10cm-and-with-see-conventions"
    assert quoted.confidence == "high"
    # unquoted, the two words say nothing and the answer is only a guess
    assert assistant_.answer("How do and and with differ in ICD-10-CM?").confidence != "high"


def test_a_question_that_quotes_words_which_say_nothing_is_on_their_entrys_topic(assistant_):
    """No concept is named, but the quoted words are the best entry's: it is offered."""
    reply = assistant_.answer('what does "or" mean in a code description?')
    assert reply.kind == "answer"
    assert reply.entry_id == "icd10cm-and-with-see-conventions"


def test_two_codes_compared_are_not_answered_by_an_entry_on_two_other_codes(assistant_):
    """The entry whose title names other codes and never these two compares something else;
    the entry that names them answers (as a possible answer)."""
    reply = assistant_.answer("difference between G0283 and 97014")
    assert reply.entry_id == "physical-medicine-modalities"
    assert "G0277" not in reply.markdown.split("\n")[0]


@pytest.mark.parametrize(
    ("question", "not_from", "from_"),
    [
        # the entry comparing 50 with 51 shares 51 only: it compares another pair
        (
            "What is the difference between modifier 59 and 51?",
            "modifier-50-vs-51",
            "modifier-59",
        ),
        # a range of the title holds the codes inside it ("20600-20611")
        ("20610 vs 20611", None, "joint-injection-aspiration"),
        # and an answer that explains the code the title leaves out still speaks of it
        (
            "would you bill 96127 or 96160, and how do the two differ?",
            None,
            "behavioral-screening-96127-96161",
        ),
    ],
)
def test_two_codes_compared_are_not_answered_by_an_entry_on_another_pair(
    assistant_, question, not_from, from_
):
    reply = assistant_.answer(question)
    assert reply.entry_id != not_from
    assert reply.entry_id == from_


@pytest.mark.parametrize(
    "question",
    ["What is the difference between D7140 and D7210?", "how do D1110 and D1120 differ"],
)
def test_two_codes_compared_are_not_answered_by_an_entry_comparing_code_sets(assistant_, question):
    """Two dental codes compared: the entry comparing HCPCS with CPT says nothing of them;
    the two codes' cards are the answer."""
    reply = assistant_.answer(question)
    assert reply.kind == "code"
    assert reply.entry_id != "hcpcs-vs-cpt"
    assert len(reply.codes) == 2


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what goes in block 13 on the cms 1500", "cms1500-items-overview"),
        ("item 31 of the hcfa form", "cms1500-items-overview"),
        ("what is box 6 on the UB-04", "ub04-form-locators"),
    ],
)
def test_a_claim_form_box_named_by_its_number_gets_the_forms_items(assistant_, question, entry):
    """A numbered box, item, block or field that has no entry of its own is answered by the
    table of the form's items; the form named decides which form's."""
    assert "claim-form-box" in read(assistant_, question).concepts
    assert assistant_.answer(question).entry_id == entry


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Can someone explain when was HCPCS created?", "when"),
        ("Could you please explain who maintains CPT?", "who"),
        ("I would like to know how many modifiers there are", "count"),
        ("Does anyone know when HCPCS codes are updated?", "when"),
        ("Do you know who maintains CPT?", "who"),
    ],
)
def test_a_request_to_explain_leaves_the_question_it_asks(assistant_, question, intent):
    assert read(assistant_, question).intent == intent


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Tell me are CPT codes the same as ICD codes?", "No."),
        ("Can you tell me is ICD-10-PCS used for inpatient?", "Yes."),
        ("Could you let me know can CPT and HCPCS be billed together?", "Yes."),
    ],
)
def test_a_request_to_tell_leaves_the_yes_no_question_it_asks(assistant_, question, lead):
    assert assistant_.answer(question).markdown.startswith(lead)


def test_a_last_sentence_that_asks_without_its_mark_is_the_question(assistant_):
    story = (
        "I am new to vaccine administration coding. When several vaccines are given, do you bill "
        "90460 for the first and then 90461 for each additional vaccine"
    )
    assert read(assistant_, story).yes_no
    assert assistant_.answer(story).markdown.startswith("No")


@pytest.mark.parametrize(
    "question",
    ["What is an NDC?", "Are CPT codes the same as ICD codes?", "What is CPT procedure?"],
)
def test_does_anyone_know_before_a_question_asks_that_question(assistant_, question):
    """ "Does anyone know what is an NDC?" asks what an NDC is, not whether anyone knows: no
    Yes or No comes of the opening, and the answer is the one the question gets alone."""
    asked = f"Does anyone know {question[0].lower()}{question[1:]}"
    alone, after = assistant_.answer(question), assistant_.answer(asked)
    assert read(assistant_, asked).yes_no == read(assistant_, question).yes_no
    assert after.entry_id == alone.entry_id
    assert after.markdown.split()[0] == alone.markdown.split()[0]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Do I still need prior auth before adding modifier KX in 2025?", "modifier-kx"),
        ("What changed in E/M coding in 2023?", "em-2023-changes"),  # a year's changes still
    ],
)
def test_a_year_says_when_a_question_applies_and_weighs_little(assistant_, question, entry):
    """A year at the end of a question is its time, not its topic: its weight is low, so an
    entry that names no year still answers; entries about what changed that year still win."""
    assert assistant_.answer(question).entry_id == entry


def test_a_coverage_question_about_a_code_gets_no_verdict_on_billing_it(assistant_):
    """ "Is 36415 covered?" is the payer's to decide: the venipuncture entry's "Yes" on billing
    the draw separately does not answer it, though the same entry decides the billing rule."""
    covered = assistant_.answer("Is 36415 covered by insurance?")
    assert covered.kind == "code" and not covered.markdown.startswith(("Yes", "Yes", "No"))
    assert "payer" in covered.markdown
    billed = assistant_.answer("Can 36415 be billed with an office visit?")
    assert billed.markdown.startswith("Yes.")


@pytest.mark.parametrize(
    ("text", "judged"),
    [
        # a whole statement with an answer blank after it is to be judged true or false
        ("CPT groups every kind of repair by the same body sites. __________", True),
        # a blank inside the sentence is to be filled in
        ("The only code in the operating microscope subsection is _________", False),
    ],
)
def test_a_statement_before_an_answer_blank_is_judged(assistant_, text, judged):
    reading = read(assistant_, text)
    assert reading.true_false is judged and reading.yes_no is judged
    # (nor is a sentence with a blank to fill a statement of a rule to judge)
    assert reading.judged.true_false is judged


@pytest.mark.parametrize(
    ("question", "compare"),
    [
        # one thing set against itself: two doses, not HCPCS against units
        ("How do I bill when the HCPCS dose is different from the dose that was given?", False),
        # two things set against each other
        ("How is CPT different from HCPCS?", True),
        ("Is modifier 59 different from XS?", True),
    ],
)
def test_different_from_compares_two_things_not_one_thing_twice(assistant_, question, compare):
    assert ("compare" in read(assistant_, question).intents) is compare


@pytest.mark.parametrize(
    ("question", "concepts", "entry"),
    [
        ("How are G codes different from other HCPCS codes?", ("level2-g",), "level2-g-codes"),
        ("How is modifier 59 different from other modifiers?", ("modifier-59",), "modifier-59"),
        (
            "How are S codes different from other HCPCS and CPT codes? Who uses them?",
            ("level2-s",),
            "level2-s-codes",
        ),
    ],
)
def test_different_from_the_rest_of_its_kind_asks_what_the_thing_is(
    assistant_, question, concepts, entry
):
    """Set against "other" codes of its kind, a thing is not compared with the kind: the
    question asks what sets it apart, which its own entry says."""
    reading = read(assistant_, question)
    assert "compare" not in reading.intents and reading.concepts == concepts
    assert assistant_.answer(question).entry_id == entry
    # set against another named thing, it is a comparison still
    assert "compare" in read(assistant_, "How are G codes different from CPT codes?").intents


def test_at_the_same_time_reads_as_together(assistant_):
    reply = assistant_.answer("Can modifiers 24 and 25 be used at the same time?")
    assert reply.markdown.startswith("Yes.")


def test_if_not_offers_the_other_case_and_negates_nothing(assistant_):
    """The verdict on coding 99291 once decides the question, though "if not" follows."""
    reply = assistant_.answer(
        "Is 99291 coded once for 70 minutes of critical care? If not, how is it coded?"
    )
    assert reply.markdown.startswith("Yes.")


def test_if_not_after_a_story_leaves_the_question_before_it(assistant_):
    """After a story, "If not, how should I code it?" only offers the other case: the yes/no
    question before it is the one the verdict must decide."""
    story = (
        "The doctor drained a skin abscess on Monday and the nurse repacked the wound with gauze "
        "on Wednesday."
    )
    alone = assistant_.answer(
        f"{story} Is the repacking included in the original incision and drainage code?"
    )
    after = assistant_.answer(
        f"{story} Is the repacking included in the original incision and drainage code? If not, what code do I use?"
    )
    assert alone.markdown.startswith("Yes.") and after.markdown.startswith("Yes.")


def test_a_clause_after_a_semicolon_may_ask_yes_or_no(assistant_):
    reading = read(
        assistant_,
        "In the context of a visit for one problem, my focus is one diagnosis; when estimating "
        "the complexity can I still count the comorbid disorders?",
    )
    assert reading.yes_no


def test_a_coverage_question_about_a_code_gets_a_verdict_on_its_national_coverage(assistant_):
    """A verdict that is itself on Medicare's coverage of a code is a national rule (routine
    physicals are excluded by law): it decides the question, with the code's card."""
    reply = assistant_.answer("Does Medicare pay for CPT code 99397?")
    assert reply.kind == "code" and [info.code for info in reply.codes] == ["99397"]
    assert reply.markdown.startswith("No.") and "payer" in reply.markdown


@pytest.mark.parametrize(
    "question",
    [
        "I want to confirm that modifier 25 goes on the E/M code.",
        "Can someone confirm that J codes are HCPCS Level II codes",
        # a tag after a comma, its mark left off
        "Modifier 25 goes on the E/M code, correct",
        "J codes are HCPCS Level II codes, right",
    ],
)
def test_asking_to_confirm_a_statement_asks_yes_or_no(assistant_, question):
    assert read(assistant_, question).yes_no


@pytest.mark.parametrize("word", ["the right", "is correct"])
def test_a_last_word_that_is_no_tag_asks_nothing(assistant_, word):
    """Only a comma before "correct" or "right" makes it a tag."""
    assert not read(assistant_, f"Modifier RT is used for {word}").yes_no


def test_a_global_surgical_fee_is_the_global_period(assistant_):
    assert "global-period" in read(assistant_, "what is in the global surgical fee").concepts


def test_data_elements_of_a_form_are_not_the_data_element_of_mdm(assistant_):
    assert (
        "mdm-data" not in read(assistant_, "How many data elements does the UB-04 have?").concepts
    )
    assert "mdm-data" in read(assistant_, "what counts in the data element of MDM").concepts


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what dose should the doctor give with J1100 for a rash", "fallback"),
        ("how far apart should the J3420 injections be given", "fallback"),
        # a code named keeps other clinical words about billing it
        ("my doctor removed a polyp, is that 45385?", "code"),
    ],
)
def test_a_clinical_row_marked_refused_refuses_even_with_a_code(assistant_, question, kind):
    assert assistant_.answer(question).kind == kind


def test_original_medicare_is_medicare_not_a_history(assistant_):
    """ "original" stems to "origin", an alias of the history concept; "Original Medicare" is
    Medicare's own name for fee-for-service Medicare."""
    concepts = read(assistant_, "Does Original Medicare pay for dental services?").concepts
    assert "medicare" in concepts and "history" not in concepts
    assert "history" in read(assistant_, "what is the origin of hcpcs").concepts


@pytest.mark.parametrize(
    "question", ["Which modifiers do coders use most often?", "which modifiers are used most?"]
)
def test_a_question_on_the_most_used_modifiers_picks_no_single_modifier(assistant_, question):
    """ "most", "often" and "coders" say nothing of which modifier: no row of the modifiers
    table is picked for them, and the entry on the common modifiers answers."""
    assert assistant_.answer(question).entry_id == "commonly-used-modifiers"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Which organisations are involved in medical coding?", "coding-organizations"),
        ("How often should a practice audit its own coding and billing?", None),
    ],
)
def test_a_question_that_reads_as_a_phrasing_is_answered_without_a_concept(
    assistant_, question, entry
):
    """A question that reads, word for word, as one of an entry's own phrasings is on that
    entry's topic though it names no concept of the lexicon."""
    reply = assistant_.answer(question)
    assert reply.kind == "answer"
    if entry:
        assert reply.entry_id == entry


@pytest.mark.parametrize(
    "entry_id",
    ["medicare-part-b-vs-part-d-drugs", "hbot-medicare-coverage-ncd", "cold-therapy-codes"],
)
def test_an_entry_on_a_national_medicare_rule_answers_its_own_question(assistant_, entry_id):
    """Entries that state Medicare's national rule say so (`coverage: medicare`), so their own
    questions, which read as coverage questions, get them."""
    entry = assistant_.kb.by_id(entry_id)
    assert assistant_.answer(entry.questions[0]).entry_id == entry_id


def test_a_question_worded_as_a_phrasing_gets_its_entry_whatever_the_concepts(assistant_):
    """ "face-to-face encounter" is also a risk adjustment term: the concepts alone put that
    entry first, but the question reads, word for word, as a phrasing of the home health entry
    (no two entries share a phrasing). A bag of a few common words is no phrasing."""
    reply = assistant_.answer("What is the home health face-to-face encounter requirement?")
    assert reply.entry_id == "home-health-face-to-face-encounter"
    assert (
        assistant_.answer("I'm a new coder at a small practice. What is a HCPCS code?").entry_id
        == "what-is-hcpcs"
    )


def test_every_entry_answers_its_own_first_phrasing_nearly_always(assistant_):
    """A knowledge-base check: an entry's own question reaches it, except for the few whose
    question is also out of scope as worded or names a code the card answers."""
    missed = [
        e.id for e in assistant_.kb.entries if assistant_.answer(e.questions[0]).entry_id != e.id
    ]
    assert len(missed) <= 0.03 * len(assistant_.kb.entries), missed[:20]


def test_a_verdict_on_a_separate_thing_does_not_answer_a_question_on_the_same_one(assistant_):
    """ "same" and "separate" are function words to the verdict matcher, but the two sides of
    what the biopsy verdict decides: its "Yes." is for a different lesion only."""
    same = assistant_.answer("Can I bill both the biopsy and the excision of the same lesion?")
    assert not same.markdown.startswith("Yes.")
    other = assistant_.answer("Can a biopsy of a different lesion be billed with an excision?")
    assert other.markdown.startswith("Yes.")


def test_what_is_asked_of_a_topic_no_entry_defines_gets_the_entry_on_it(assistant_):
    """The timely filing entry is declared to answer "when" and "how to bill"; asked what the
    filing period is, it still beats an entry that defines something else it mentions."""
    reply = assistant_.answer("What is the usual timely filing period for Medicare?")
    assert reply.entry_id == "timely-filing"
    assert reply.confidence == "high"


@pytest.mark.parametrize("question", ["what does co197 mean", "co45 denial on a claim"])
def test_a_word_the_words_table_reads_as_other_words_is_no_code(assistant_, question):
    """ "co197" is reason code 197 with group code CO (words.md), not C0197 typed with a
    letter O: no code card, the denial codes' entry."""
    reply = assistant_.answer(question)
    assert not reply.codes and reply.entry_id is not None and "denial" in reply.entry_id


@pytest.mark.parametrize(
    ("word", "read_as"), [("co252", ("co", "252")), ("pr3", ("pr", "3")), ("oa1", ("oa", "1"))]
)
def test_letters_glued_to_any_number_read_as_the_words_table_says(assistant_, word, read_as):
    """A row "co# | co #" reads any number after the letters: no row per reason code."""
    assert assistant_.lexicon.spelled(word) == read_as
    assert not assistant_.answer(f"what is {word}?").codes  # no Level II card, C0252 or other


def test_a_range_of_codes_says_what_the_question_is_about(assistant_):
    """A range is no code (no cards), but the concept whose range holds both its ends is
    what is asked about: interprofessional consultations, not the consultation codes."""
    reply = assistant_.answer(
        "Can we bill the codes (99446-99449) when a consultative physician gives the "
        "assessment by telephone?"
    )
    assert reply.kind == "answer" and not reply.codes
    assert reply.entry_id == "interprofessional-consultations"


def test_what_a_topic_is_is_not_answered_by_an_entry_defining_another_topic(assistant_):
    """An entry that defines what a non-covered code means names the ABN among its concepts,
    after its own topic; asked what an ABN is, an entry on the ABN answers."""
    reply = assistant_.answer("What is an ABN?")
    assert reply.kind == "answer" and "abn" in retriever_concepts(assistant_, reply)[:2]


def retriever_concepts(assistant_, reply) -> tuple[str, ...]:
    return assistant_.retriever.profiles[reply.entry_id].concepts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an ICD-10 code is its category and itself, never its digits after the dot as words
        ("what is M54.50", ["what", "is", "m54", "m54.50"]),
        ("E11.9 and J45.909.", ["e11", "e11.9", "and", "j45", "j45.909"]),
        # a version or an amount with a dot is still its numbers
        ("v1.0 of 2.5 mg", ["v1", "0", "of", "2", "5", "mg"]),
    ],
)
def test_an_icd_code_is_one_word_with_its_category(text, expected):
    assert text_words(text) == expected


def test_an_icd_code_does_not_bring_in_a_modifier_of_its_digits(assistant_):
    reply = assistant_.answer("what is M54.50")
    assert reply.kind == "code" and reply.entry_id != "modifier-50"


@pytest.mark.parametrize("question", ["Z49", "What does M54 mean?"])
def test_an_icd_category_asked_about_alone_gets_its_card(assistant_, question):
    reply = assistant_.answer(question)
    assert reply.kind == "code"
    assert [(c.system, c.billable) for c in reply.codes] == [("ICD-10-CM", False)]


@pytest.mark.parametrize(("question", "entry"), [("X12", "x12"), ("V28", "hcc")])
def test_a_category_the_knowledge_base_names_as_a_term_is_that_term(assistant_, question, entry):
    """X12 and V28 are ICD-10-CM categories too, but asked alone they are the standards body
    and the risk-adjustment model the knowledge base names."""
    reply = assistant_.answer(question)
    assert reply.kind == "answer" and not reply.codes
    assert entry in (reply.entry_id or "")


def test_what_a_topic_is_is_not_answered_by_the_definition_of_a_narrower_one(assistant_):
    """Modifier PD's entry defines PD, one of the payment window's modifiers, and is close
    in words; asked what the window is, the entry on the window answers (and "payment" in
    the window's name asks for no amount)."""
    reply = assistant_.answer("What is the 3-day payment window?")
    assert reply.kind == "answer"
    assert reply.entry_id == "hospital-three-day-window-outpatient-claims"
    # asked what modifier PD is, PD's own entry still answers
    assert assistant_.answer("What is the PD modifier?").entry_id == "modifier-pd"


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("So modifier 25 goes on the E/M line, not the procedure?", True),
        ("To confirm, G0444 is billed once a year?", True),
        ("just to clarify 99214 requires moderate MDM?", True),
        # a statement said of a code that ends asking what, or without a question mark
        ("modifier 25 is used for what?", False),
        ("Modifier 93 is for audio only.", False),
    ],
)
def test_a_statement_about_a_code_with_a_question_mark_asks_whether_it_holds(
    assistant_, question, yes_no
):
    assert read(assistant_, question).yes_no is yes_no


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        # two codes to choose between, wherever they stand in the sentence
        ("Should I use 59 or XS on this claim?", False),
        ("Do we bill 99213 or 99214 for this visit?", False),
        # the same thing named twice: one or the other
        ("Do we bill custom orthotics on the day we cast or the day we give them?", False),
        # either of two, asked yes or no
        ("Can 99213 or 99214 be billed with modifier 25?", True),
        ("Is the date of service the day the item is delivered?", True),
        # ... after a leading condition too, and "if not" offers the other case
        ("For 70 minutes of critical care, is 99291 coded once? If not, how is it coded?", True),
        # a yes/no question first, then one asking where or how: yes or no is asked too
        ("Is modifier NU needed on every supply? Where does it go on the 1500?", True),
        ("Where does modifier NU go on the 1500?", False),
        # codes named in a leading condition are what it is about; a choice after it is one
        ("When billing code 11720 or 11721, must each note show the class findings?", True),
        ("When billing this visit, should I use 59 or XS?", False),
    ],
)
def test_a_choice_between_two_codes_or_one_thing_twice_is_no_yes_no_question(
    assistant_, question, yes_no
):
    assert read(assistant_, question).yes_no is yes_no


def test_a_choice_between_two_modifiers_gets_no_yes_or_no(assistant_):
    reply = assistant_.answer("Should I use 59 or XS on this claim?")
    assert not re.match(r"\W*(Yes|No)\b", reply.markdown)


@pytest.mark.parametrize(
    ("word", "read_as"),
    [("npis", "npi"), ("drgs", "drg"), ("ndcs", "ndc"), ("lcds", "lcd"), ("pts", "pts")],
)
def test_an_abbreviations_plural_reads_as_the_abbreviation(assistant_, word, read_as):
    """The stemmer keeps the "s" of "npis" and "drgs"; a plural of a one-word concept name
    reads as the name, so that it finds the entries that write it in the singular. A short
    word no concept is named by ("pts", patients) is left as written."""
    assert assistant_.lexicon.spelled(word) == (read_as,)


def test_a_plural_abbreviation_finds_what_the_singular_finds(assistant_):
    one = assistant_.answer("Is an NPI 10 digits long?")
    many = assistant_.answer("Are NPIs 10 digits long?")
    assert one.markdown.startswith("Yes.")
    assert many.markdown.startswith("Yes.")


def test_a_concepts_label_is_the_one_its_row_states_whatever_file_sorts_first(make_kb):
    """A concept named in several files takes the label of the row that states one, and that
    row's names first, even when a file with more aliases for it sorts before ("concepts-a.md"
    before "concepts.md"): the label is what composed answers call the concept."""
    extra = (
        "# More\n\n## concepts-a\n\n| Concept | Part of | Label | Aliases |\n|---|---|---|---|\n"
        "| drg | | | diagnostic related group |\n"
    )
    main = (
        "# Concepts\n\n## concepts\n\n| Concept | Part of | Label | Aliases |\n|---|---|---|---|\n"
        "| drg | | DRG | drg, diagnosis related group |\n"
    )
    from conftest import entry_md

    root = make_kb(
        {
            "entries/01.md": "# G\n\n" + entry_md("e", ["what is a drg"]),
            "lexicon/concepts-a.md": extra,
            "lexicon/concepts.md": main,
        }
    )
    built = lexicon.build(kb.load(root))
    concept = built.concepts["drg"]
    assert concept.label == "DRG"
    assert concept.aliases[:2] == ("drg", "diagnosis related group")
    assert "diagnostic related group" in concept.aliases


def test_an_abbreviation_joined_by_a_hyphen_is_spelled_out(assistant_):
    reply = assistant_.answer("What does the acronym MS-DRG stand for?")
    assert reply.markdown.startswith("**MS-DRG** stands for **Medicare Severity Diagnosis")


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("Modifier 25 is appended to the procedure code.", True),
        ("Level III codes are still used", True),
        ("Is modifier 25 appended to the procedure code?", False),  # a question
        ("Durable medical equipment (DME) is reported using", False),  # a stem to finish
        ("HCFA stands for:", False),
        ("The patient is seen for follow-up of a fracture.", False),  # one patient's case
        ("I think modifier 25 is appended to the E/M code.", False),  # the asker's own view
        ("Explain why modifier 25 is used.", False),  # a request
        ("Modifier 25 is used. It goes on the E/M code.", False),  # more than one sentence
        # verbs of a rule beyond "is" and "can": what a code set or a part of it holds or says
        ("Section IV of the guidelines contains the outpatient coding rules.", True),
        ("The final character of these codes indicated laterality.", True),
        ("The AMA maintains HCPCS Level II.", True),
    ],
)
def test_a_lone_sentence_that_states_a_rule_is_a_statement(assistant_, text, statement):
    assert assistant_.read(text).statement is statement


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Modifier 25 is appended to the procedure code.", "False."),  # a verdict decides
        ("HCPCS is part of CPT.", "False"),  # the code-set tree decides
        ("CPT is part of HCPCS.", "True"),
    ],
)
def test_a_statement_is_judged_true_or_false_when_the_knowledge_decides_it(assistant_, text, first):
    assert assistant_.answer(text).markdown.startswith(first)


def test_a_statement_nothing_decides_is_answered_without_a_verdict(assistant_):
    reply = assistant_.answer("J codes are drugs.")
    assert reply.kind == "answer"
    assert not reply.markdown.startswith(("True.", "False.", "True", "False"))


def test_part_a_is_read_as_a_name_not_an_article(assistant_):
    """ "a" is a function word, but "Part A" names Medicare's hospital insurance (phrases.md):
    a question on Part A is told apart from one on Part B."""
    assert "parta" in read(assistant_, "What is the difference between Medicare Part A and B?").keys
    assert "parta" not in read(assistant_, "Is modifier 26 a part of the global fee?").keys


@pytest.mark.parametrize(
    ("statement", "verdict"),
    [
        (
            "In the outpatient setting, a diagnosis that is documented as rule-out should be "
            "coded as if it exists.",
            "False",
        ),
        ("HCPCS Level II codes are maintained by the AMA.", "False"),
    ],
)
def test_a_statement_after_an_opening_that_reads_as_nothing_is_judged_as_alone(
    assistant_, statement, verdict
):
    """ "Hi all, quick question." has no content word: the statement after it is still one
    sentence that states a rule, judged true or false as it is alone."""
    alone = assistant_.answer(statement).markdown.lstrip("*")
    after = assistant_.answer(f"Hi all, quick question. {statement}").markdown.lstrip("*")
    assert alone.startswith(verdict) and after.startswith(verdict)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("reimurse", "reimburse"),  # a letter left out
        ("billiing", "billing"),  # a letter typed twice
        ("reimbrusement", "reimbursement"),  # two letters swapped
        ("provder", "provider"),
        ("modifier", None),  # a word it knows
        ("hiking", None),  # a word of its own, one letter from "hiring"
        ("provera", None),  # a drug's name, not a slip of "provider"
        # a slip whose stem is another known word ("bile", "remit") is still a slip
        ("biling", "billing"),
        ("remitance", "remittance"),
        ("reimbursing", None),  # a form of a known word, no slip
    ],
)
def test_a_slip_of_a_known_word_is_put_right_before_the_question_is_read(assistant_, typed, meant):
    assert assistant_.retriever.respelled(typed) == meant


@pytest.mark.parametrize(
    "question",
    [
        "how much does medicare reimurse for 99214",
        "what is the medicare fee scheule amount for E0601",
        "What is the aveage cost of a B12 shot?",
    ],
)
def test_a_fee_question_with_a_slip_in_its_cue_is_still_refused(assistant_, question):
    """The phrases that ask for a fee are found in the question as meant, not only as typed."""
    reply = assistant_.answer(question)
    assert reply.kind == "fallback" and reply.out_of_scope == "fees"


def test_a_scene_before_a_story_leaves_the_story_as_it_reads_alone(assistant_):
    """An opening that only says who asks, before a story and its question, is no part of the
    story: the text gets the answer the story gets alone."""
    story = (
        "A patient came in for a problem visit and got a flu shot at the same visit. The payer "
        "denied the office visit. Which modifier goes on the visit?"
    )
    scene = "I just started as a billing specialist at a small clinic. "
    alone, after = assistant_.answer(story), assistant_.answer(scene + story)
    assert after.entry_id == alone.entry_id and after.kind == alone.kind


@pytest.mark.parametrize(
    ("question", "letter"),
    [
        (
            "What HCPCS code letter is used for professional services that have no CPT code yet?",
            "G",
        ),
        ("What letter do HCPCS codes for durable medical equipment start with?", "E"),
    ],
)
def test_a_letter_asked_of_hcpcs_is_picked_from_the_level2_sections(assistant_, question, letter):
    """ "What HCPCS code letter ...?" asks for a Level II section by what it holds, even when
    the question also names CPT (the services have no CPT code): the section's row comes
    first."""
    assert assistant_.answer(question).markdown.startswith(f"**{letter} codes")


@pytest.mark.parametrize("label", ["Q5.", "Q1)", "Q3:"])
def test_a_question_number_that_reads_as_a_modifier_is_no_code(assistant_, label):
    """ "Q5. Is there ...?" numbers the question: no card for modifier Q5, while "modifier Q5"
    named in a question still is one."""
    question = "Is there an ICD-10-CM code for a vaccine not given because of a prior disease?"
    assert not assistant_.answer(f"{label} {question}").codes
    assert [c.code for c in assistant_.answer("What does modifier Q5 mean?").codes] == ["Q5"]


def test_two_words_that_say_again_what_was_named_offer_no_choice(assistant_):
    """ "... orthotics or prosthetics?" repeats what "an L code" names: the question still asks
    yes or no, while "CPT or HCPCS" after a question naming neither asks which."""
    assert read(
        assistant_, "Is an L code a Level II HCPCS code used to bill for orthotics or prosthetics?"
    ).yes_no
    assert not read(assistant_, "Does Medicare use CPT or HCPCS?").yes_no


def test_a_plea_for_help_after_pasted_options_is_no_option(assistant_):
    """ "... A. True B. False Any help would be appreciated." needs no full stop before the
    plea: the statement is still judged, as it is without it."""
    item = (
        "A code that has an applicable 7th character is considered invalid without the 7th "
        "character. A. True B. False"
    )
    alone = assistant_.answer(item).markdown.split()[0]
    assert alone == "True."
    assert assistant_.answer(item + " Any help would be appreciated.").markdown.split()[0] == alone


def test_a_time_asked_in_units_leads_the_answer(assistant_):
    """ "How many units is 45 minutes?" names no code: the 8-minute rule's count comes first,
    above the entry on units."""
    assert assistant_.answer("How many units is 45 minutes?").markdown.startswith("**3 units**")


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # naming the modifiers does not make the question one about what each is for: the
        # entry on the order of modifiers answers, not one about one of them
        ("Which modifier goes first, 26 or RT?", "modifier-count-and-order"),
        ("What is the correct order for modifiers 59 and TC?", "modifier-count-and-order"),
        # "more than one procedure" reads as multiple procedures
        ("What modifier indicates that more than one procedure was performed?", "modifier-51"),
        ("modifier for more than one surgical procedure in the same session", "modifier-51"),
    ],
)
def test_a_question_about_modifiers_in_general_gets_the_entry_on_its_topic(
    assistant_, question, entry
):
    reply = assistant_.answer(question)
    assert reply.entry is not None and reply.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        "Can a patient be billed for timely filing?",
        "Can we bill the patient when a claim is denied for timely filing?",
    ],
)
def test_billing_a_patient_after_late_filing_gets_no_verdict_on_the_limit(assistant_, question):
    """The Medicare limit's verdict (12 months) says nothing of billing the patient, nor does
    the one on appeal rights: neither answers "Yes" or "No" here."""
    reply = assistant_.answer(question)
    assert not reply.markdown.lstrip("*").startswith(("Yes", "No"))


@pytest.mark.parametrize(
    ("statement", "first"),
    [
        ("If a patient is new, modifier 25 is appended to the procedure code.", "False."),
        (
            "When time is short, coders can skip the Alphabetic Index and go directly to the Tabular List.",
            "False.",
        ),
    ],
)
def test_a_rule_stated_after_its_condition_is_judged(assistant_, statement, first):
    """A statement whose condition comes first ("When ..., ...", "If ..., ...") is still a
    statement to judge, not a "when" question."""
    reading = read(assistant_, statement)
    assert reading.statement and not reading.yes_no
    assert assistant_.answer(statement).markdown.lstrip("*").startswith(first)


def test_a_when_question_is_no_statement(assistant_):
    assert not read(assistant_, "When is HCPCS Level II updated, and by whom.").statement


def test_a_code_set_asked_only_for_one_use_is_no_part_of_question(assistant_):
    """ "Are HCPCS Level II codes just for drugs?" asks what Level II is for, not whether it
    is part of the J codes: no "the other way round" from the code-set tree."""
    reply = assistant_.answer("Are HCPCS Level II codes just for drugs?")
    assert "other way round" not in reply.markdown


def test_a_plural_code_class_takes_a_plural_verb(assistant_):
    said = assistant_.answer("Are J codes part of HCPCS Level II?").markdown
    assert said.startswith("Yes. J codes are part of HCPCS Level II") and " cover drugs" in said


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("What goes in box 33b on the CMS-1500?", {"33b"}),
        ("item 24J and Item 3", {"24j", "3"}),
        ("FL 04 on the UB-04", {"4"}),
        ("form locator 42", {"42"}),
        ("blocks 14 through 33", {"14"}),
        ("which item is billed, and in which box?", set()),  # (a number must follow)
        ("what is the UB-04", set()),
    ],
)
def test_form_parts_named_in_a_text(text, parts):
    from assistant.core.retrieve import form_parts

    assert form_parts(text) == frozenset(parts)


@pytest.mark.parametrize(
    ("asked", "named", "other"),
    [
        ({"33b"}, {"3"}, True),  # the entry on item 3 is not about item 33b
        ({"24j"}, {"24a"}, True),
        ({"24c"}, {"24"}, False),  # the whole item 24 holds 24C
        ({"24"}, {"24b"}, False),
        ({"19"}, set(), False),  # an entry naming no part is not about another
        ({"19"}, {"1", "17", "22", "23", "32"}, False),  # an overview of the form
        ({"19"}, {"21", "24e"}, True),
    ],
)
def test_an_entry_about_another_form_part(asked, named, other):
    from assistant.core.retrieve import other_part

    assert other_part(frozenset(asked), frozenset(named)) is other


@pytest.mark.parametrize(
    ("question", "wrong"),
    [
        ("What goes in box 33b on the CMS-1500?", "cms1500-item-3-patient-birth-date"),
        ("what is box 24j on cms 1500", "cms1500-item-3-patient-birth-date"),
        ("What is entered in item 1 of the CMS 1500?", "cms1500-item-3-patient-birth-date"),
    ],
)
def test_a_question_on_one_form_part_is_not_answered_by_the_entry_on_another(
    assistant_, question, wrong
):
    reply = assistant_.answer(question)
    assert reply.kind == "answer"
    assert reply.entry_id != wrong
    assert all(c.entry_id != wrong for c in reply.alternatives)


def test_a_mistyped_abbreviation_after_the_name_it_stands_for_reads_as_that_name(assistant_):
    # "NOC" is also the unlisted-drug concept; written after "National Drug Code" it is a slip
    reading = assistant_.read("Which part of the National Drug Code (NOC) identifies the product?")
    assert "ndc" in reading.concepts
    assert "noc" not in reading.concepts


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "Which is a HCPCS Level II code? A) 99213 B) J1745 C) 0001U",
            "Of the options given, **B) J1745** is the one in HCPCS Level II",
        ),
        (
            "Which of these is a CPT code? a. J1745 b. 99213 c. E11.9",
            "Of the options given, **B) 99213** is the one in CPT",
        ),
        (
            "Which of the following is an ICD-10-CM code? 1) 99213 2) E11.9 3) J1745",
            "Of the options given, **2) E11.9** is the one in ICD-10-CM",
        ),
        (
            "Which of the following is NOT a CPT code? A. 99213 B. 0450T C. J3301 D. 0001F",
            "Of the options given, **C) J3301** is the one outside CPT",
        ),
        # modifiers given as bare options, numbers too, are read as modifiers
        (
            "Which is a HCPCS Level II modifier? a. 25 b. LT c. 59 d. 51",
            "Of the options given, **B) LT** is the one in HCPCS Level II modifiers",
        ),
        (
            "Which of the following is NOT a HCPCS Level II modifier? a. RT b. LT c. 25 d. GA",
            "Of the options given, **C) 25** is the one outside HCPCS Level II modifiers",
        ),
    ],
)
def test_which_option_is_a_code_of_a_code_set_is_decided_by_the_codes(assistant_, question, lead):
    reply = assistant_.answer(question)
    assert reply.kind == "code"
    assert reply.confidence == "high"
    assert reply.lead.startswith(lead)


@pytest.mark.parametrize(
    "question",
    [
        # both are HCPCS (CPT is Level I): the codes do not decide it
        "Which of the following is a HCPCS code? a. 99213 b. J3301",
        # the stem asks by meaning, which a code's place does not decide
        "Which code represents a new patient office visit? a. 99203 b. 99213 c. 99283",
        # a modifier asked by its meaning, not by its code set
        "Which modifier is used for the left side? a. RT b. LT c. 50 d. 59",
        # two options of the code set asked about
        "Which is a CPT modifier? a. 25 b. 59 c. LT",
        # an option that is no modifier
        "Which is a CPT modifier? a. 25 b. XY c. LT",
    ],
)
def test_options_the_codes_places_do_not_tell_apart_are_not_decided_by_them(assistant_, question):
    assert "is the one in" not in assistant_.answer(question).lead


def test_numbered_options_are_named_as_pasted(assistant_):
    reply = assistant_.answer(
        "What does the abbreviation NDC stand for? 1) National Data Center "
        "2) National Drug Code 3) New Drug Claim"
    )
    assert reply.lead.startswith("Of the options given, **2) National Drug Code**")


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        ("This is the time limit for submitting claims to an insurance payer.", False),
        ("Codes starting with this letter are used for temporary national services.", False),
        ("These are codes reported for durable medical equipment.", False),
        ("Modifier 25 is appended to the E/M code.", True),
        ("This patient is new to the practice and is seen for a cough.", False),
    ],
)
def test_a_clue_that_names_its_answer_this_is_no_statement_to_judge(assistant_, text, statement):
    assert assistant_.read(text).statement is statement


def test_a_clue_gets_no_true_or_false(assistant_):
    reply = assistant_.answer("This is the time limit for submitting claims to an insurance payer.")
    assert not re.match(r"\W*(True|False)\b", reply.lead or reply.body)


def test_the_quick_reading_beside_codes_never_disagrees_with_the_full_one(assistant_):
    """What is left beside a question's codes is read in full only when a quick look cannot
    tell: whenever the quick look says the question is about its codes, a full reading of those
    words agrees (checked over every question of the data files that names a code)."""
    import json
    from pathlib import Path

    from assistant.codes import classify as codes
    from assistant.core.answer import _without_spans

    data = Path(__file__).parent / "data"
    questions = [
        json.loads(line)["q"]
        for name in ("real_questions.jsonl", "questions.jsonl", "questions2.jsonl")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    plain = 0
    for question in questions:
        found = codes.detect(question, assistant_.facts, assistant_._known_modifier)
        infos = [assistant_.classify(f.text) for f in found]
        if not infos:
            continue
        implied = {
            a
            for info in infos
            for c in assistant_._code_concepts(info)
            for a in (c, *assistant_.lexicon.ancestors(c))
        }
        left = _without_spans(question, found)
        if assistant_._plainly_about(left, implied):
            plain += 1
            rest = assistant_.read(left)
            assert all(c in implied or assistant_._structural(c) for c in rest.concepts), question
    assert plain > 50


def test_what_a_payer_of_the_setting_is_gets_the_entry_that_defines_it(assistant_):
    # Medicare alone names no billing topic ("Does Medicare have an app?" stays refused), but
    # "what is Medicare?" asks what the entry declared to define it answers.
    reply = assistant_.answer("What is Medicare?")
    assert reply.kind == "answer" and reply.entry_id == "medicare-program-and-its-parts"
    assert assistant_.answer("Does Medicare have an app?").kind == "fallback"


def test_what_s_asks_what_a_thing_is(assistant_):
    reading = assistant_.read("What's Medicare")
    assert reading.intents[:1] == ("define",)
    assert assistant_.answer("What's Medicare").entry_id == "medicare-program-and-its-parts"


@pytest.mark.parametrize(
    ("asked", "judges"),
    [
        ("Who is right?", True),
        ("Am I correct?", True),
        ("Is that right?", True),
        ("Which modifier goes on 99213?", False),  # asks something of its own
        ("Is modifier 25 right here?", False),  # names a concept
    ],
)
def test_a_question_that_only_judges_its_story_is_never_answered_alone(assistant_, asked, judges):
    # ("Who is right?" after a story on which diagnosis is listed first was answered on its own
    # with the right/left modifiers)
    assert assistant_._judges_the_story(assistant_.read(asked)) is judges


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # "three components" alone names no concept: of an RVU they are work, practice
        # expense and malpractice; of an E/M visit, history, exam and decision making
        ("What are the three components of an RVU?", "rbrvs-relative-value-units"),
        ("what are the three components of an E/M visit?", "em-1995-1997-guidelines"),
    ],
)
def test_three_components_are_those_of_what_the_question_names(assistant_, question, entry):
    assert assistant_.answer(question).entry_id == entry


def test_hospice_in_general_is_no_modifier_concept(assistant_):
    """Hospice and its topics are one concept tree and the GV/GW modifiers a family of Level II
    modifiers, so a question on the modifier for hospice gets the modifiers' entry, and one on
    a hospice topic is not read as a question on modifiers."""
    assert assistant_.answer("What is the modifier for hospice billing?").entry_id == (
        "hospice-modifiers-gv-gw"
    )
    reading = assistant_.read("what is the hospice benefit period")
    assert "modifier" not in assistant_.lexicon.ancestors(reading.concepts[0])


def test_a_body_part_alone_names_no_modifier_family(assistant_):
    """ "Circumflex" or "eyelid" said alone names the artery or the lid, not the anatomic
    modifiers: a PCI question gets the PCI entry, and a question that asks for the modifier
    still gets the modifiers."""
    assert (
        assistant_.answer("PCI of the circumflex with a stent").entry_id == "cardiac-cath-and-pci"
    )
    reply = assistant_.answer("which modifier for the upper eyelid")
    assert "E1" in reply.markdown and "E3" in reply.markdown


def test_an_adjustment_code_is_no_code_altered_by_a_modifier(assistant_):
    """ "Adjustment code" stems to the words of "adjust a code", which named the concept of a
    modifier altering a code: a remittance's adjustment code is no such thing."""
    reading = assistant_.read("What is the adjustment code for a non covered service?")
    assert "code-alteration" not in reading.concepts
    assert "code-alteration" in assistant_.read("Does a modifier alter the code?").concepts


@pytest.mark.parametrize(
    ("question", "options"),
    [
        # bare lines under the question, as a quiz page is copied
        (
            "Which code set does the AMA maintain?\nHCPCS Level II\nCPT\nICD-10-CM\nNDC",
            (("A", "HCPCS Level II"), ("B", "CPT"), ("C", "ICD-10-CM"), ("D", "NDC")),
        ),
        # lettered tightly, one to a line
        (
            "Which code reports a new patient office visit?\nA.99213\nB.99203\nC.99283",
            (("A", "99213"), ("B", "99203"), ("C", "99283")),
        ),
    ],
)
def test_options_pasted_one_to_a_line_are_read_as_options(assistant_, question, options):
    assert assistant_.read(question).options == options


@pytest.mark.parametrize(
    "question",
    [
        # a story told in lines, and lines of an example, are no options
        "We billed these lines:\n99213\n36415\n85025\nWhy was one denied?",
        "How should these be sequenced?\nFor example:\nZ12.11 screening\nK63.5 polyp",
        # a stem that does not ask which or what
        "Can we bill these?\nan office visit\na venipuncture\na CBC",
    ],
)
def test_lines_that_are_not_options_stay_as_written(assistant_, question):
    assert assistant_.read(question).options == ()
