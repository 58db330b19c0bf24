"""Verdicts: yes/no questions an entry decides, read from ``### Verdicts`` and matched against
the yes/no question asked, so that the answer starts with "Yes." or "No." and why."""

from __future__ import annotations

import pytest

from assistant.core import kb, verdicts
from assistant.core.answer import Assistant

ENTRY = """\
# Modifiers

## modifier-22

### Questions
- What does modifier 22 mean?
- modifier 22

### Answer
Modifier 22 is increased procedural services. CPT does not allow it on E/M codes.

### Sources
- AMA: CPT Appendix A

### Verdicts
- Can modifier 22 be used, added or appended on an E/M code? -> No: CPT does not allow modifier 22 on E/M codes.
- Does modifier 22 need documentation? -> yes. The operative report must show the extra work.
{extra}
### Meta
- as of: 2026-01-01
- concepts: modifier-22
- intent: define, bill
"""


def load(make_kb, extra: str = "") -> kb.KnowledgeBase:
    return kb.load(make_kb({"entries/01-mods.md": ENTRY.format(extra=extra)}))


def test_verdicts_are_read_with_their_answer_and_reason(make_kb):
    knowledge = load(make_kb)
    assert knowledge.problems == ()
    (entry,) = knowledge.entries
    first, second = entry.verdicts
    assert first.question == "Can modifier 22 be used, added or appended on an E/M code?"
    assert first.yes is False and first.reason == "CPT does not allow modifier 22 on E/M codes."
    assert (
        second.yes is True and second.lead == "Yes. The operative report must show the extra work."
    )
    assert "verdicts" not in entry.to_dict()  # not part of the contract's entry


@pytest.mark.parametrize(
    "line",
    [
        "- Can modifier 22 go on E/M codes -> No: not allowed.",  # no question mark
        "- Can modifier 22 go on E/M codes? -> Maybe: it depends.",  # not yes or no
        "- Can modifier 22 go on E/M codes? -> No",  # no reason
        "- Can modifier 22 go on E/M codes? No: not allowed.",  # no arrow
    ],
)
def test_a_verdict_not_written_as_question_answer_reason_is_a_problem(make_kb, line):
    knowledge = load(make_kb, line)
    assert len(knowledge.problems) == 1
    problem = knowledge.problems[0]
    assert "is not written as 'question? -> Yes: reason'" in problem.message
    text = ENTRY.format(extra=line).splitlines()
    assert text[problem.line - 1] == line  # reported at its own line
    assert len(knowledge.entries[0].verdicts) == 2  # the good ones are kept


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.from_dir(None)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # the built-in verdicts of modifier-22, uncertain-diagnosis-coding, drug-waste-documentation
        ("is modifier 22 allowed on critical care codes", "No."),  # critical care is E/M
        ("can modifier 22 be added to 99213?", "No."),  # 99213 is an office visit, E/M
        ("does modifier 22 need documentation", "Yes."),
        ("can I code a rule out diagnosis in the office", "No."),
        ("can i code a suspected diagnosis on an inpatient discharge", "Yes."),
        ("can I bill 76942 with 20611", "No."),  # the verdict names both codes
        ("can i bill 94010 and 94060 together", "No."),
        ("can modifier 22 be used on cpt critical care codes", "No."),  # CPT qualifies
        ("are rule out diagnoses coded for office visits? yes or no", "No."),
        ("Does 81025 need modifier QW?", "No."),  # the code the verdict names
        # "cover the cost of" reads as "cover" (phrases.md)
        ("Does Medicare cover the cost of hearing aids?", "No."),
        # a statement, then a sentence that only asks whether it holds
        (
            "Modifier 57 is only used when the major surgery is done the same day or the "
            "following day. Right?",
            "Yes.",
        ),
        # "True or false." before the options goes with them
        (
            "True or false. ABNs are required for emergency care. a) True b) False",
            "False.",
        ),
        # a request to say whether something holds asks it, the request's words aside
        ("I would like to know whether an ABN is required for emergency care.", "No."),
        (
            "Please clarify whether tobacco cessation counseling may be billed on the same "
            "day as the annual wellness visit.",
            "Yes.",
        ),
        # a concept named by its initials against the verdict's words for it ("annual
        # wellness visit"): the same name
        ("Can tobacco cessation counseling be billed on the same day as the AWV?", "Yes."),
        # a verdict that names a drug both ways ("adalimumab (Humira)") decides a question
        # that names it one way
        ("Does Medicare cover Humira?", "Yes."),
        # whether a thing exists is decided by a verdict on whether it exists, before one on
        # what it was, whose words are alike
        ("Is there a Level III HCPCS?", "No."),
        ("Were HCPCS Level III codes local codes?", "Yes."),
        ("Are there different types of CPT codes?", "Yes."),
        # no question mark anywhere: the one sentence that opens as a yes/no question asks
        (
            "Is an ABN required for emergency care. Our clinic sees many walk-in patients.",
            "No.",
        ),
        # a "No" on a list of codes holds for each of them, the one asked about too, although
        # another code of the list names a narrower concept
        ("Does Medicare cover H0031?", "No."),
        ("Does Medicare pay for H0031?", "No."),
        # "non-covered" reads as the verdict's "noncovered"
        ("Can Medicare patients be billed for non-covered services?", "Yes."),
        # "ever" and "via" are function words: they name nothing the verdict must hold
        ("Does Medicare ever pay for refraction?", "No."),
        ("Can I bill an office visit via telehealth?", "Yes."),
        # a negation inside a bracket is an aside, not the question's
        (
            "Is modifier 24 needed for an unrelated E/M during the postoperative global period "
            "(not on the day of surgery)?",
            "Yes.",
        ),
    ],
)
def test_a_yes_no_question_a_verdict_decides_starts_with_it(assistant, question, first):
    assert assistant.answer(question).markdown.startswith(first)


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("one should only report modifier 57", {"57"}),  # "one" a pronoun, not a count
        ("no one bills it twice", {"2"}),
        ("bill one unit of 96372", {"1"}),
    ],
)
def test_one_as_a_pronoun_is_no_amount(text, amounts):
    assert verdicts._amounts(text) == amounts


@pytest.mark.parametrize(
    "question",
    [
        "can modifier 22 be used on surgery codes",  # surgery is not what the verdict decides
        "what does modifier 22 mean",  # not a yes/no question
        "can I not document the wasted drug",  # negative, the verdict is positive
        "is modifier 22 a pricing modifier",  # another question about the same entry
        "can modifier 22 go on 10060",  # 10060 is surgery, not what the E/M verdict decides
        # one Z code's use is not whether Z codes may be listed first (a concept's aliases
        # name the concept, not what is said of it)
        "Is Z00.01 used when the adult exam is normal?",
        # a verdict on one code (81025) does not decide for another test under the same concept
        "Does a COVID test need modifier QW for Medicare?",
        # modifier 33 is a CPT modifier: a verdict on Level II modifiers on CPT codes is about
        # another kind of modifier
        "Is modifier 33 used for Medicare?",
        # a rule on the package's prenatal visits is not one on another service of it (59025,
        # a non-stress test)
        "Is 59025 included in the global obstetric package?",
        # what Medicare pays for (deluxe frames) is not what a code is for
        "Is V2020 for frames?",
        # the lab that performs a test is the other side of the one that refers it
        # (opposites.md)
        "Is modifier 90 used by the lab that performs the test?",
        # a rule on a part of the lipid panel (the calculated LDL) is not what the panel is
        "Is 80061 a lipid panel?",
        # a rule on whether a code takes a modifier is not what the code is
        "Is 97140 manual therapy?",
        # a non-participating provider is the other side of a participating one
        "Does a non-participating provider have to accept assignment on every claim?",
    ],
)
def test_no_verdict_unless_the_question_asks_what_it_decides(assistant, question):
    reply = assistant.answer(question)
    assert not reply.markdown.startswith(("Yes.", "No.")), reply.markdown[:80]


# --- the matcher itself, over the built-in lexicon --------------------------------------------


def verdicts_of(assistant, *lines: str) -> tuple[object, ...]:
    from assistant.core.kb import Entry
    from assistant.core.verdicts import Verdicts

    parsed = []
    for line in lines:
        m = kb.VERDICT_RE.match(line)
        assert m is not None, line
        parsed.append(kb.Verdict(m["question"], m["verdict"].lower() == "yes", m["reason"]))
    entry = Entry("e", ("q",), "a", ("s",), (), "g", "p", 1, verdicts=tuple(parsed))
    return Verdicts([entry], assistant.lexicon), parsed


def decide(assistant, verdicts, question: str, implied: dict[str, list[str]] | None = None):
    """The verdict of the test entry ``e`` that decides ``question``; ``implied`` maps the
    question's codes to their concepts, as the engine passes them."""
    from assistant.core.understand import read_question

    reading = read_question(assistant.lexicon, question)
    return verdicts.decide(reading, "e", assistant.retriever.idf, implied)


def test_two_verdicts_told_apart_by_the_words_of_one_concept(assistant):
    verdicts, (two, one) = verdicts_of(
        assistant,
        "Can both codes be reported together with an Excludes2 note? -> Yes: both may be coded.",
        "Can both codes be reported together with an Excludes1 note? -> No: never together.",
    )
    assert decide(assistant, verdicts, "can both codes be reported with an excludes1 note") is one
    assert decide(assistant, verdicts, "can both codes be reported with an excludes2 note") is two


def test_a_verdict_on_one_branch_does_not_decide_a_question_on_another(assistant):
    verdicts, _ = verdicts_of(
        assistant, "Is modifier TC a HCPCS Level II modifier? -> Yes: CMS maintains it."
    )
    assert decide(assistant, verdicts, "is modifier TC a CPT modifier") is None


def test_without_is_a_negation_like_not(assistant):
    """ "Valid without X?" -> No is not "is X required?" -> No: the two ask opposite things."""
    verdicts, (valid,) = verdicts_of(
        assistant,
        "Is an ICD-10-CM code valid without its placeholder X? -> No: the X is part of the code.",
    )
    assert decide(assistant, verdicts, "is a code valid without the placeholder x") is valid
    assert (
        decide(assistant, verdicts, "is the placeholder x required before a 7th character") is None
    )


def test_a_narrower_question_must_say_what_a_broader_verdict_says(assistant):
    """A verdict on breast imaging codes billed together does not decide whether CPT has a
    tomosynthesis code, a narrower concept that question names without the verdict's words."""
    reply = assistant.answer("Is there a CPT code for breast tomosynthesis?")
    assert not reply.markdown.startswith("No."), reply.markdown[:60]
    reply = assistant.answer("Is G0279 billed with a screening mammogram?")
    assert reply.markdown.startswith("No."), reply.markdown[:60]


def test_not_otherwise_classified_is_no_negation(assistant):
    verdicts, (noc,) = verdicts_of(
        assistant, "Is J3490 a not otherwise classified drug code? -> Yes: it is the NOC code."
    )
    assert decide(assistant, verdicts, "is j3490 a not otherwise classified drug code") is noc
    # read as a positive question, so that a positive question may match it
    from assistant.core.verdicts import NEGATION

    assert not NEGATION.search(noc.question)
    assert NEGATION.search("Is J3490 not a drug code?")


@pytest.mark.parametrize(
    ("verdict", "same", "other"),
    [
        # "only" is a restriction both must share; an alternative "or only" is none
        pytest.param(
            "Are DRGs used only for Medicare patients? -> No: other payers use them too.",
            "are drgs used only for medicare patients",
            "are drgs used for medicare patients",
            id="only",
        ),
        pytest.param(
            "Are DRGs used only for Medicare patients? -> No: other payers use them too.",
            "are drgs used only for medicare patients",
            "are drgs for all payers or only for medicare",
            id="or-only",
        ),
        # "just for" restricts as "only for" does; "just" alone is a filler word
        pytest.param(
            "Are DRGs used only for Medicare patients? -> No: other payers use them too.",
            "are drgs just for medicare patients",
            "i just want to know: are drgs for medicare patients",
            id="just-for",
        ),
        # a verdict on whether a code exists answers only that
        pytest.param(
            "Is there an ICD-10-CM code for telehealth visits? -> No: none means telehealth.",
            "is there an icd-10-cm code for telehealth visits",
            "do telehealth visits count for icd-10-cm coding",
            id="exists",
        ),
        pytest.param(
            "Is modifier QW used for waived tests? -> Yes: on a waived test's code.",
            "is modifier qw used for waived tests",
            "is modifier qw used for non-waived tests",
            id="non-waived",
        ),
        pytest.param(
            "Can 99217 still be used or billed? -> No: it was deleted in 2023.",
            "can 99217 still be billed",
            "was 99217 deleted",
            id="deleted",
        ),
        # a small amount the verdict does not say, in digits or words
        pytest.param(
            "Is a 20 mL vial of J0666 billed as 266 units? -> Yes: J0666 is per 1 mg.",
            "is a 20 ml vial of j0666 billed as 266 units",
            "is a 10 ml vial of j0666 billed as 266 units",
            id="amount",
        ),
        pytest.param(
            "Is a pair of knee braces billed as one unit? -> No: each side is its own line.",
            "is a pair of knee braces billed as one unit",
            "is a pair of knee braces billed as two units",
            id="amount-in-words",
        ),
        # the other side of a pair of opposites
        (
            "Is the first letter of the ambulance modifier the origin? -> Yes: origin first.",
            "is the first letter of the ambulance modifier the origin",
            "is the second letter of the ambulance modifier the origin",
        ),
        (
            "Does Medicare cover extraspinal manipulation by a chiropractor? -> No: spinal only.",
            "does medicare cover extraspinal manipulation by a chiropractor",
            "does medicare cover spinal manipulation by a chiropractor",
        ),
        (
            "Is K0001 a manual wheelchair? -> Yes: K0001 is a standard manual wheelchair.",
            "is k0001 a manual wheelchair",
            "is k0001 a power wheelchair",
        ),
        (
            "Is a simple repair included in the global package? -> Yes: it is part of it.",
            "is a simple repair included in the global package",
            "is a complex repair included in the global package",
        ),
        (
            "Is the ABN given before the service? -> Yes: it must be given in advance.",
            "is the abn given before the service",
            "is the abn given after the service",
        ),
        (
            "Can O80 be reported with a complication of pregnancy or delivery code? -> No: O80 "
            "is for an uncomplicated delivery.",
            "can o80 be reported with a delivery complication code",
            "is o80 used for a normal delivery",
        ),
    ],
)
def test_a_verdict_decides_its_question_not_the_other_side(assistant, verdict, same, other):
    verdicts, (one,) = verdicts_of(assistant, verdict)
    assert decide(assistant, verdicts, same) is one
    assert decide(assistant, verdicts, other) is None


@pytest.mark.parametrize(
    "question",
    [
        # the "No" is on prediabetes, a prefixed form of the question's word
        "Are codes E08-E13 diabetes codes?",
        "Codes E08-E13 are diabetes",
    ],
)
def test_a_no_on_a_prefixed_form_of_a_word_does_not_decide_the_word(assistant, question):
    first = assistant.answer(question).markdown.split("\n", 1)[0]
    assert not first.startswith(("No", "False"))


def test_a_no_on_the_prefixed_word_asked_still_decides(assistant):
    reply = assistant.answer("Is prediabetes coded with a diabetes code from E08-E13?")
    assert reply.markdown.startswith("No.")


def test_a_number_the_verdict_does_not_name_keeps_it_out(assistant):
    verdicts, (limit,) = verdicts_of(
        assistant, "Is the Medicare timely filing limit 12 months? -> Yes: one calendar year."
    )
    assert decide(assistant, verdicts, "is the medicare timely filing limit 12 months") is limit
    assert decide(assistant, verdicts, "is the medicare timely filing limit 90 days") is None


def test_a_long_rare_name_counts_once_against_what_is_asked_about_it(assistant):
    """The three rare words of "good faith estimate" would outweigh "signed", the word the
    question turns on, if each counted: the verdict on codes does not answer it."""
    verdicts, (codes,) = verdicts_of(
        assistant,
        "Does a good faith estimate list diagnosis codes? -> Yes: with the service codes.",
    )
    assert decide(assistant, verdicts, "does a good faith estimate list diagnosis codes") is codes
    assert decide(assistant, verdicts, "does a good faith estimate need to be signed") is None


def test_a_question_without_the_verdicts_deciding_word_gets_none(assistant):
    verdicts, (includes,) = verdicts_of(
        assistant,
        "Does the J code include giving the injection or infusion? -> No: administration is separate.",
    )
    assert decide(assistant, verdicts, "does a j code include the injection") is includes
    assert decide(assistant, verdicts, "are j codes injectable drugs") is None


@pytest.mark.parametrize(
    ("verdict", "questions"),
    [
        (
            "Can modifier 51 be used, added or appended on an add-on code? -> No: add-ons are "
            "exempt.",
            (
                "can modifier 51 be appended to an add-on code",
                "is modifier 51 used on add-on codes",
            ),
        ),
        # "apply to, go on or be appended to": "be" is no alternative, "appended" is
        (
            "Can modifier 59 apply to, go on or be appended to an add-on code? -> Yes: when paired.",
            (
                "Does modifier 59 apply to add on codes?",
                "can modifier 59 go on an add-on code",
                "can modifier 59 be appended to an add-on code",
            ),
        ),
        # two lists in one verdict are two slots: the first list's last item is "HCPCS" (after
        # it "code have" belongs to no list), so "have" stays an alternative of the second
        (
            "Can a CPT or HCPCS code have, carry or take more than one modifier? -> Yes: up to four.",
            (
                "Can a CPT code have more than one modifier?",
                "can a hcpcs code take more than one modifier",
            ),
        ),
        # a word written with a slash is one item: "E/M" or "office"
        (
            "Can modifier 25 go on, be used, added or appended to an E/M or office visit code? -> Yes: "
            "on the E/M.",
            (
                "Is modifier 25 used with E/M codes?",
                "can modifier 25 be appended to an office visit code",
            ),
        ),
    ],
)
def test_listed_alternatives_need_only_one(assistant, verdict, questions):
    verdicts, (rule,) = verdicts_of(assistant, verdict)
    for question in questions:
        assert decide(assistant, verdicts, question) is rule, question


@pytest.mark.parametrize(
    ("verdict", "questions"),
    [
        # what a code is, said beside it, is named by the code and names it
        (
            "Can 69209, removal of impacted cerumen by irrigation or lavage, be performed when "
            "clinical staff such as a nurse or medical assistant (MA) do it? -> Yes: CPT allows it.",
            (
                "Can 69209 be performed by a nurse?",
                "Can a medical assistant perform removal of impacted cerumen by irrigation?",
            ),
        ),
        (
            "Is 90853 (group psychotherapy) an add-on code? -> No: it is reported alone.",
            ("Is 90853 an add-on code?",),
        ),
    ],
)
def test_a_code_and_what_it_is_and_a_kind_and_its_examples_are_one_word(
    assistant, verdict, questions
):
    """A verdict that says what its code is, or names a kind of thing with examples, or a
    name with its short form in brackets, is asked by a question that names the code, one of
    the examples or the name: the words beside them are one slot with them."""
    verdicts, (rule,) = verdicts_of(assistant, verdict)
    for question in questions:
        assert decide(assistant, verdicts, question) is rule, question


def test_words_after_the_examples_are_not_examples():
    slots = verdicts._EXAMPLES.search("billed as an E/M code such as 99213 with modifier 24?")
    assert slots is not None and slots.group("examples") == "99213"


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Is ICD-11 used for billing in the US?", "No."),  # the entry's own title question
        ("what is icd-11", "The WHO"),  # not a yes/no question: no "No." before it
        ("is hcpcs just another name for cpt", "**CPT is HCPCS Level I**"),  # not its question
    ],
)
def test_an_entrys_own_yes_or_no_answers_only_its_title_question(assistant, question, first):
    assert assistant.answer(question).markdown.startswith(first)


@pytest.mark.parametrize(
    ("answer", "title_verdict", "shown"),
    [
        ("No. JW needs a whole unit.", "no", "JW needs a whole unit."),
        ("No. JW needs a whole unit.", "no", "JW needs a whole unit."),
        ("Yes, when a separate problem is treated.", "yes", "When a separate problem is treated."),
        # "No" as a word of the sentence is not a verdict: taking it off would turn the answer
        # round ("Modifier is needed").
        ("No modifier is needed for this code.", None, "No modifier is needed for this code."),
        ("Yesterday's codes still apply.", None, "Yesterday's codes still apply."),
    ],
)
def test_only_a_punctuated_leading_yes_or_no_is_read_and_taken_off(
    make_kb, answer, title_verdict, shown
):
    text = (
        "# G\n\n## the-entry\n\n### Questions\n- Are widget codes billable?\n- widget codes\n\n"
        f"### Answer\n{answer}\n\n### Sources\n- CMS: a manual\n\n### Meta\n- as of: 2026-01-01\n"
    )
    assistant = Assistant(kb.load(make_kb({"entries/01.md": text})))
    own = assistant.verdicts._own.get("the-entry")
    assert (None if own is None else ("yes" if own.verdict.yes else "no")) == title_verdict
    reply = assistant.answer("widget codes")  # not its title question
    assert reply.entry_id == "the-entry"
    assert reply.markdown.startswith(shown), reply.markdown[:60]


def test_a_coverage_question_a_verdict_decides_for_everyone_gets_it(assistant):
    reply = assistant.answer("Does Medicare pay for deluxe frames?")
    assert reply.kind == "answer" and reply.entry_id == "eyeglass-lens-and-frame-codes"
    assert reply.markdown.startswith("No.") and reply.out_of_scope is None


@pytest.mark.parametrize(
    "question",
    [
        "Does Medicare cover CPAP equipment?",
        "Does Medicaid pay for deluxe frames?",
        # what another payer or a plan covers, even where an entry states Medicare's rule
        "will my aetna plan pay for cpap supplies",
        "How often does Medicaid pay for CPAP supplies?",
        "How often will a Medicare Advantage plan pay for CPAP supplies?",
    ],
)
def test_other_coverage_questions_are_still_the_payers(assistant, question):
    """(one's own plan, "my aetna plan", is refused as one's own coverage)"""
    reply = assistant.answer(question)
    assert reply.kind == "fallback"
    assert reply.out_of_scope == ("own-coverage" if "my " in question else "coverage")


def test_a_question_on_what_medicare_covers_gets_an_entry_stating_its_national_rule(assistant):
    reply = assistant.answer("How often does Medicare pay for CPAP supplies?")
    assert reply.kind == "answer" and reply.entry_id == "cpap-supply-replacement-schedule"
    assert reply.out_of_scope is None


@pytest.mark.parametrize(("meta", "kind"), [("- coverage: medicare\n", "answer"), ("", "fallback")])
def test_only_an_entry_that_states_medicares_rule_answers_a_coverage_question(make_kb, meta, kind):
    text = (
        "# G\n\n## widget-limits\n\n### Questions\n- How many widgets does Medicare allow?\n"
        "- widget replacement schedule\n\n### Answer\nMedicare allows one widget a year.\n\n"
        f"### Sources\n- CMS: a manual\n\n### Meta\n- as of: 2026-01-01\n{meta}"
    )
    lexicon = {  # the built-in lexicon: its coverage rule and its Medicare concepts
        f"lexicon/{p.name}": p.read_text(encoding="utf-8")
        for p in (kb.default_dir() / "lexicon").glob("*.md")
    }
    assistant = Assistant(kb.load(make_kb({"entries/01.md": text, **lexicon})))
    assert assistant.answer("how often will medicare pay for a widget replacement").kind == kind


@pytest.mark.parametrize(
    "question",
    [
        # sentences that set the scene, with words of their own and a negative, then the question
        "Our vendor does not have the update loaded and the staff keep asking. Can I still use "
        "the old codes after the new codes take effect?",
        # the date a thing happened is not what is asked
        "Can I still use the old codes after the new codes take effect on 10/1/2025?",
        # the question mark left out
        "Our vendor does not have the update loaded and the staff keep asking. Can I still use "
        "the old codes after the new codes take effect",
    ],
)
def test_the_question_after_the_scene_is_what_a_verdict_must_answer(assistant, question):
    reply = assistant.answer(question)
    assert reply.entry_id == "old-codes-after-update"
    assert reply.markdown.startswith("No."), reply.markdown[:60]


def test_a_close_entry_with_a_verdict_on_the_question_answers_it(assistant):
    """The best entry for "Does G0009 need a modifier?" is the one on pneumococcal vaccines,
    which has no verdict on it; the entry on Medicare's vaccine G codes, scored lower, has."""
    ranked = assistant.retriever.rank(assistant.read("Does G0009 need a modifier?"), limit=6)
    assert ranked[0].entry_id != "medicare-vaccine-admin-g-code-rules"
    reply = assistant.answer("Does G0009 need a modifier?")
    assert reply.entry_id == "medicare-vaccine-admin-g-code-rules"
    assert reply.markdown.startswith("No."), reply.markdown[:60]


def test_a_word_said_before_a_list_is_no_alternative_of_it(assistant):
    """ "Is HCPCS used, meant or required only for Medicare?": "HCPCS" is not one of the
    alternatives, so a question with "HCPCS" and none of them is not that question."""
    assert not assistant.answer("Is a HCPCS code a procedure code?").markdown.startswith("No")
    reply = assistant.answer("Is HCPCS only used for Medicare?")
    assert reply.markdown.startswith("No"), reply.markdown[:60]


def test_a_last_sentence_offering_the_other_side_leaves_the_question_before_it(assistant):
    """ "... Or should we not charge?" is no negative question: the one before it asks."""
    reply = assistant.answer("Can we bill 99211 for a new patient? Or should we not charge?")
    assert reply.markdown.startswith("No."), reply.markdown[:60]


def test_a_concept_said_before_a_list_must_be_in_the_question(assistant):
    """ "Is a new diagnosis required, needed or necessary for modifier 25 on an E/M code?"
    does not decide whether modifier 25 itself is required."""
    asked = assistant.answer("Is a new diagnosis required for modifier 25?")
    assert asked.markdown.startswith("No."), asked.markdown[:60]
    other = assistant.answer("Is modifier 25 required on the E/M?")
    assert not other.markdown.startswith(("No", "Yes")), other.markdown[:60]


def test_a_word_said_before_a_list_need_not_be_in_the_question(assistant):
    """ "... an NPWT pump need or require ...": the question need not say "pump"."""
    reply = assistant.answer("Does negative pressure wound therapy require a doctor's order?")
    assert reply.markdown.startswith("Yes."), reply.markdown[:60]


def test_a_closing_tag_question_leaves_the_sentences_before_it_to_say_what_is_asked(assistant):
    """ "... Is that correct?" alone matches no verdict: the whole text is matched."""
    reply = assistant.answer("Part B covers the shingles vaccine. Is that correct?")
    assert reply.markdown.startswith("No."), reply.markdown[:60]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("Does Part B cover the shingles vaccine?", "No."),
        ("Can we bill for a free drug sample?", "No."),
    ],
)
def test_a_narrow_name_reaches_its_own_verdict(assistant, question, first):
    """ "Shingrix" names the shingles vaccine, not every vaccine; a "free drug sample" is a
    sample, not a licence question."""
    assert assistant.answer(question).markdown.startswith(first)


def test_is_it_true_that_asks_what_follows_it(assistant):
    reply = assistant.answer("Is it true that a claim can only take 4 diagnosis codes?")
    assert reply.markdown.startswith("No."), reply.markdown[:60]


def test_hcpcs_level_ii_modifiers_are_named_as_one_thing(assistant):
    """ "HCPCS Level II modifiers" names the Level II modifiers, not Level II and modifiers."""
    assert (
        "level2-modifier"
        in assistant.read("Can HCPCS Level II modifiers go on CPT codes?").concepts
    )
    reply = assistant.answer("Can HCPCS Level II modifiers be used with CPT codes?")
    assert reply.markdown.startswith("Yes."), reply.markdown[:60]


def test_a_verdict_from_a_lower_entry_needs_more_of_its_words(assistant):
    """ "Can two office visits be billed on the same day?" is not what "is there a CPT code for
    an office visit?" asks: its "two" and "same day" are missing."""
    reply = assistant.answer("is there a cpt code for an office visit")
    assert "unrelated problems" not in reply.markdown.split("\n")[0]
    assert assistant.answer("Can two office visits be billed on the same day?").markdown.startswith(
        "Yes."
    )


def test_is_there_a_code_for_it_is_no_question_of_one_thing_being_part_of_another(assistant):
    first = assistant.answer("Is there a CPT code for a DOT physical?").markdown.split("\n")[0]
    assert "other way round" not in first and "is part of" not in first


def test_codes_listed_as_alternatives_need_only_one(assistant):
    """ "Is 93320, 93321 or 93325 an add-on code?" decides each of the three, not another."""
    from assistant.codes import classify as codes

    verdicts, (addon,) = verdicts_of(
        assistant, "Is 93320, 93321 or 93325 an add-on code? -> Yes: each is an add-on code."
    )

    def decided(question: str):
        found = codes.detect(question, assistant.facts, assistant._known_modifier)
        infos = [assistant.classify(f.text) for f in found]
        reading = assistant.read(question, infos)
        return verdicts.decide(reading, "e", assistant.retriever.idf, assistant._implied(infos))

    assert decided("Is 93321 an add-on code?") is addon
    assert decided("is cpt 93325 an add on code") is addon
    assert decided("Is 93306 an add-on code?") is None


@pytest.mark.parametrize(
    "question",
    [
        "Is it possible to use modifiers along with HCPCS codes?",
        "is it okay to add a modifier to a HCPCS code?",
        "Are we able to use modifiers with HCPCS codes?",
        "Am I allowed to add a modifier to a HCPCS code?",
        "Is it appropriate to append modifiers to HCPCS codes?",
        "Is it acceptable to use modifiers with HCPCS codes?",
        "Is it correct to add modifiers to HCPCS codes?",
        "Are we supposed to use modifiers with HCPCS codes?",  # (reads as "should we")
    ],
)
def test_is_it_possible_to_reads_as_can(assistant, question):
    """ "is it possible to", "is it okay to", "are we able to", "am I allowed to", "is it
    appropriate (acceptable, correct) to" read as "can" (phrases.md), "along with" as "with":
    the verdict "Can modifiers be used, added or appended with HCPCS codes?" decides them."""
    assert assistant.answer(question).markdown.startswith("Yes.")


@pytest.mark.parametrize(
    "question",
    [
        "Is a nurse practitioner able to bill a 99214?",
        "Is it OK for a nurse practitioner to bill a 99214?",
        "Are nurse practitioners allowed to bill 99214?",
    ],
)
def test_is_x_able_to_and_is_it_ok_for_x_to_read_as_can_x(assistant, question):
    """The doer said between "is" and "able to" (or "for" and "to") is read as "Can a nurse
    practitioner bill ...?", which the entry on NP and PA visits decides."""
    assert assistant.answer(question).markdown.startswith("Yes.")


def test_the_can_reading_starts_a_sentence_or_follows_a_comma():
    from assistant.core.understand import _as_can

    assert _as_can("When the physician is away, is it possible for an NP to bill 99214?") == (
        "When the physician is away, Can an NP bill 99214?"
    )
    # (a doer of more than four words is no opening of this kind)
    text = "Is there a code that is able to describe it?"
    assert _as_can(text) == text


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Is 97530 billable with 97110?", "Can 97530 be billed with 97110?"),
        ("Is a consult reportable for an established patient?", "Can a consult be reported"),
        ("Does anyone know if fracture care is billable after", "if fracture care can be billed"),
        # a diagnosis code that is "billable" is valid on a claim: another question
        ("Is E11.9 billable?", "Is E11.9 billable?"),
        ("Is Z00.00 a billable code?", "Is Z00.00 a billable code?"),
    ],
)
def test_is_x_billable_reads_as_can_x_be_billed(text, read):
    from assistant.core.understand import _as_can

    assert read in _as_can(text)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # "does anyone know if" asks what follows it
        (
            "We used Q6 years ago. Does anyone know if it is still a valid modifier with CMS?",
            "Yes.",
        ),
        # a bare "Is that correct?" asks about the sentence before it ...
        ("Part B covers the shingles vaccine. Is that correct?", "No."),
        ("Part B covers the shingles vaccine. Is this accurate?", "No."),
    ],
)
def test_the_words_around_a_question_that_ask_nothing(assistant, question, first):
    assert assistant.answer(question).markdown.startswith(first)


def test_a_tag_question_takes_the_negation_of_the_sentence_it_asks_about(assistant):
    """ "Part B does not cover the shingles vaccine. Is that correct?": a "No." would say Part B
    covers it; the verdict is on the positive question, so none is given."""
    for tag in ("Is that correct?", "Is this true?"):
        reply = assistant.answer(f"Part B does not cover the shingles vaccine. {tag}")
        assert not reply.markdown.startswith("No."), tag


def test_a_code_question_shows_the_entry_whose_verdict_decides_it(assistant):
    """ "can modifier 22 be appended to 99291?": the modifier 22 entry's "No." (E/M codes, and
    critical care is E/M), not the critical care entry that names 99291."""
    reply = assistant.answer("can modifier 22 be appended to 99291?")
    assert reply.kind == "code" and reply.entry_id == "modifier-22"
    assert reply.markdown.startswith("No."), reply.markdown[:80]


def test_a_question_naming_no_concept_can_still_get_a_verdict_in_its_words(assistant):
    """ "can the patient sign the form later?" names no concept; the verdict that holds its
    words decides it, while a question of other words gets none."""
    verdicts, (later,) = verdicts_of(
        assistant, "Can the patient sign the form later? -> Yes: before the claim is sent."
    )
    from assistant.core.understand import read_question

    assert not read_question(assistant.lexicon, "can the patient sign the form later?").concepts
    assert decide(assistant, verdicts, "can the patient sign the form later?") is later
    assert decide(assistant, verdicts, "can the doctor fax the results later?") is None


@pytest.mark.parametrize(
    ("question", "not_first"),
    [
        # the verdict is about the procedure code; the question names the E/M code only
        ("Is modifier 25 appended to the E/M code?", "No."),
        # the verdict is about physicians' procedures; the question about inpatient hospital ones
        ("Is ICD-10-PCS used for inpatient hospital procedures?", "No."),
    ],
)
def test_a_verdict_on_the_other_side_of_a_distinction_is_not_said(assistant, question, not_first):
    assert not assistant.answer(question).markdown.startswith(not_first)


def test_opposites_keep_apart_only_questions_that_name_one_side(assistant):
    verdicts, (procedure,) = verdicts_of(
        assistant,
        "Can modifier 25 go on, be used or appended to a procedure code? -> No: the E/M code.",
    )
    assert decide(assistant, verdicts, "can modifier 25 be appended to a procedure code") is (
        procedure
    )
    assert decide(assistant, verdicts, "can modifier 25 be appended to the E/M code") is None


def test_a_concepts_other_names_do_not_stand_for_a_verdicts_own_words(assistant):
    """ "Is CPT a procedure code?" is not "is 99213 a current code?": "current" and "procedure"
    are words of CPT's long name, but "procedure" in the verdict is no name of CPT."""
    verdicts, (procedure,) = verdicts_of(
        assistant, "Is CPT a procedure code? -> Yes: CPT codes report procedures and services."
    )
    assert decide(assistant, verdicts, "is CPT a procedure code") is procedure
    assert not assistant.answer("is 99213 a current code").markdown.startswith("Yes. CPT")


def test_current_procedural_terminology_asks_no_status(assistant):
    reply = assistant.answer("Should we report Current Procedural Terminology (CPT) code 82948?")
    assert "can't confirm that `82948` is a current" not in reply.markdown


def test_a_gloss_in_brackets_is_not_what_is_asked(assistant):
    """ "modifier 22 (increased procedural services)": the bracket restates what modifier 22
    is; its words need not be the verdict's, and "procedural" in it is no side of the E/M and
    procedure distinction."""
    reply = assistant.answer(
        "can modifier 22 (increased procedural services) be appended to 99291? yes or no"
    )
    assert reply.markdown.startswith("No."), reply.markdown[:80]


def test_included_and_separately_are_two_sides(assistant):
    """ "Is RhoGAM billed separately ...? -> Yes" does not answer "Is RhoGAM included ...?"."""
    verdicts, (separately,) = verdicts_of(
        assistant,
        "Is RhoGAM billed separately from the global OB? -> Yes: it is outside the package.",
    )
    assert decide(assistant, verdicts, "is rhogam billed separately from the global ob") is (
        separately
    )
    assert decide(assistant, verdicts, "is rhogam included in the global ob package") is None


def test_a_statement_to_judge_gets_the_verdict_as_true_or_false(assistant):
    reply = assistant.answer(
        "True or False: If a Category III code is available, it must be reported instead of a "
        "Category I unlisted procedure code."
    )
    assert reply.markdown.startswith("True."), reply.markdown[:80]


def test_a_labelled_true_or_false_statement_is_still_judged(assistant):
    """ "Q:" before "True or False:" is a label: the statement after both is judged."""
    reply = assistant.answer(
        "Q: True or False: If a Category III code is available, it must be reported instead "
        "of a Category I unlisted procedure code."
    )
    assert reply.markdown.startswith("True."), reply.markdown[:80]


def test_a_statement_of_what_a_code_is_used_to_bill_for_is_judged(assistant):
    """ "used to bill for" names no topic of its own (no concept of patients' itemized bills):
    the statement is about the L codes, and their section decides it."""
    reply = assistant.answer("A K code is a Level II HCPCS code used to bill for DME items.")
    assert reply.markdown.startswith("True."), reply.markdown[:80]
    reply = assistant.answer("An L code is a Level II code used to bill for orthotics.")
    assert reply.markdown.startswith("True."), reply.markdown[:80]


def test_a_statement_naming_two_code_sets_is_judged_not_defined(assistant):
    """A statement that names two code sets ("inpatient procedures" names ICD-10-PCS) is a
    claim to judge, not a request to define both: its verdict comes first."""
    reply = assistant.answer("ICD-10-CM is used for coding inpatient procedures.")
    assert reply.markdown.startswith("False."), reply.markdown[:80]


def test_a_long_name_counts_once_in_the_verdict_too(assistant):
    """The verdict's own words are weighed with "good faith estimate" as one word, so that a
    question sharing only that name and "need" does not take its answer."""
    verdicts, _ = verdicts_of(
        assistant,
        "Does a good faith estimate need a patient signature? -> No: none is required.",
    )
    assert decide(assistant, verdicts, "does a good faith estimate need a patient signature")
    assert decide(assistant, verdicts, "does a good faith estimate need a date") is None


def test_a_word_of_a_long_name_is_not_the_whole_name(assistant):
    """ "modifier" in a question about JZ is not "modifiers JW" of a verdict on JW and JZ on
    one line: the question asks something else, and is decided, if at all, by a verdict on
    which payers require JZ, never by the one on the same line."""
    reply = assistant.answer("is modifier JZ only for medicare patients?")
    first = reply.markdown.split("\n", 1)[0]
    assert "same line" not in first and "own line" not in first, first
    if first.startswith(("Yes.", "No.")):
        assert "payer" in first, first


def test_the_one_question_sentence_is_what_is_asked_when_the_story_follows_it(assistant):
    question = "Can we bill a subsequent hospital visit and a discharge on the same date?"
    story = " The doctor saw the patient in the morning and discharged her that evening."
    alone = assistant.answer(question).markdown
    assert alone.startswith("No.")
    assert assistant.answer(question + story).markdown.startswith("No.")


def test_a_word_of_the_words_table_reads_as_the_verdict_s_word(assistant_):
    """ "impact" reads as "affect" (knowledge/lexicon/words.md), so the verdict on whether
    ICD-10 affects CPT and HCPCS decides the question asked with the other word."""
    reply = assistant_.answer("Will ICD-10 impact CPT and HCPCS codes?")
    assert reply.markdown.startswith("No.")


def test_a_verdict_on_what_a_code_is_does_not_decide_billing_it_with_another(assistant_):
    """ "Is 99214 a preventive code? -> No" must not answer whether 99214 can be billed with
    a well exam: that asks about the two together, which only a verdict on both decides."""
    question = (
        "Can we bill 99214 (Current Procedural Terminology code for an office or other "
        "outpatient visit) with a well exam?"
    )
    assert not assistant_.answer(question).markdown.startswith("No.")
    assert assistant_.answer("Is 99214 a preventive code?").markdown.lstrip("*").startswith("No")


@pytest.mark.parametrize(
    "question",
    [
        "We were told that we could not use modifier 25 on an E/M code unless we have a new"
        " diagnosis. Is this true?",
        "We cannot use modifier 25 on an E/M code unless there is a new diagnosis, correct?",
    ],
)
def test_a_negation_lifted_by_unless_asks_whether_something_is_required(assistant, question):
    """ "We can't X unless Y" says Y is required for X: the verdict on whether a new diagnosis
    is required decides it (without "unless", "could not use" would be a negative question no
    positive verdict may answer)."""
    assert assistant.answer(question).markdown.startswith("No."), question
    reply = assistant.answer("We could not use modifier 25 on an E/M code. Is this true?")
    assert "new or different diagnosis is not required" not in reply.markdown


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        # a question after a leading phrase, its mark left out
        ("In lab claims, is the rendering NPI reported in item 24J", True),
        ("For Medicare patients, can we bill G0008 for the flu shot", True),
        # a statement to complete: the verb after the comma has no subject
        ("Durable medical equipment (DME), such as wheelchairs, is reported using", False),
        ("When a patient is new, do not bill 99211", False),
    ],
)
def test_a_question_after_a_comma_asks_without_its_mark_only_with_a_subject(
    assistant, question, yes_no
):
    assert assistant.read(question).yes_no is yes_no


def test_a_verdict_whose_reason_gives_one_payers_rule_decides_the_question_asked_of_it(assistant):
    verdicts, (specialty,) = verdicts_of(
        assistant,
        "Are a cardiologist and an internist the same specialty when deciding if a patient is "
        "new? -> No: Medicare enrolls cardiology and internal medicine as separate specialties.",
    )
    asked = "are a cardiologist and an internist the same specialty by {} when deciding if a "
    asked += "patient is new"
    assert decide(assistant, verdicts, asked.format("medicare")) is specialty
    assert decide(assistant, verdicts, asked.format("medicaid")) is None


def test_too_after_the_other_side_is_no_word_a_verdict_must_hold(assistant):
    reply = assistant.answer("Are G codes only for Medicare or other payers too?")
    assert reply.entry_id == "level2-g-codes" and reply.markdown.startswith("No.")


def test_codes_a_verdict_names_do_not_stand_for_a_modifier_the_question_asks_about(assistant):
    """ "Can we use modifier 24 on 92002-92014?" names the codes of a verdict on their
    coverage, but asks about modifier 24, which that verdict does not hold."""
    reply = assistant.answer(
        "Can we use modifier -24 on an eye exam code (92002, 92004, 92012, 92014)?"
    )
    first = reply.markdown.split("\n")[0]
    assert "covers these eye exams" not in first and "24" in first


def _decide_with_codes(assistant, verdicts, question: str, *codes: str):
    """A question that names codes, decided as the answer engine decides it: the reading
    holds the concepts its codes imply, and the codes are passed with them."""
    infos = [assistant.classify(code) for code in codes]
    reading = assistant.read(question, infos)
    implied = {info.code.lower(): assistant._code_concepts(info) for info in infos}
    return verdicts.decide(reading, "e", assistant.retriever.idf, implied)


def test_a_code_is_decided_by_a_verdict_on_the_class_it_belongs_to(assistant):
    # 99245 is a consultation code: a verdict on consultation codes decides it, though the
    # question never says "consultation".
    verdicts, (rule,) = verdicts_of(
        assistant,
        "Does Medicare pay for or accept consultation codes? -> No: bill the visit code instead.",
    )
    assert _decide_with_codes(assistant, verdicts, "Does Medicare pay for 99245?", "99245") is rule
    # (a code of another class is not decided by it)
    assert _decide_with_codes(assistant, verdicts, "Does Medicare pay for 99213?", "99213") is None


def test_a_verdict_naming_another_code_of_the_class_does_not_decide_a_code_it_omits(assistant):
    verdicts, _ = verdicts_of(
        assistant,
        "Does Medicare pay for or accept consultation codes such as 99242? -> No: not paid.",
    )
    assert _decide_with_codes(assistant, verdicts, "Does Medicare pay for 99245?", "99245") is None


def test_a_code_inside_a_range_the_verdict_names_is_named_by_it(assistant):
    """ "99204" is one of the codes of a verdict on "99202-99215", so it decides a question on
    99204 as it decides one on 99202; a code outside the range (or of another kind) is not."""
    from assistant.codes.classify import classify
    from assistant.core.understand import read_question

    verdicts, (office,) = verdicts_of(
        assistant,
        "Can 90833 be billed or reported with an office visit code, 99202-99215? -> Yes: the "
        "add-on goes with the visit.",
    )

    def decided(question: str, *codes: str):
        infos = [classify(code, assistant.facts) for code in codes]
        reading = read_question(assistant.lexicon, question)
        implied = assistant._implied(infos)
        return verdicts.decide(reading, "e", assistant.retriever.idf, implied)

    assert decided("can 90833 be billed with 99202", "90833", "99202") is office
    assert decided("can 90833 be billed with 99204", "90833", "99204") is office
    assert decided("can 90833 be billed with 99221", "90833", "99221") is None


def test_a_statement_of_several_claims_is_judged_whole(assistant):
    """ "Etiology codes are never listed first. The code in brackets is sequenced second. True
    or False?" claims two things: the verdict on the second alone does not make it True, while
    a sentence about the asker before one claim still leaves that claim to judge."""
    both = (
        "Etiology codes are never listed first in ICD-10-CM. The code in brackets is always "
        "sequenced second. True or False?"
    )
    assert not assistant.answer(both).markdown.startswith(("True.", "False."))
    # (nor by a verdict on the second claim whose concepts hold the first's: modifier 25 is a
    # CPT modifier, and "The AMA maintains CPT" is true)
    mixed = "Modifier 25 goes on the procedure code. The AMA maintains CPT. True or false?"
    assert not assistant.answer(mixed).markdown.startswith(("True.", "False."))
    alone = "The code in brackets is always sequenced second. True or False?"
    assert assistant.answer(alone).markdown.startswith("True.")
    scene = "I am studying for my exam. The AMA maintains CPT. True or false?"
    assert assistant.answer(scene).markdown.startswith("True.")


def test_whether_two_things_are_one_is_decided_only_by_a_verdict_on_that(assistant):
    """Two names of one concept leave a question nothing else to match by: "Is the EOMB the same
    as the MSN?" must not take the verdict on whether the MSN is a bill, nor the reverse."""
    verdicts, (bill, same) = verdicts_of(
        assistant,
        "Is the Medicare Summary Notice (MSN) a bill? -> No: it is not a bill.",
        "Is the EOMB the same as the MSN? -> Yes: the MSN replaced the EOMB.",
    )
    assert decide(assistant, verdicts, "Is the EOMB the same as the MSN?") is same
    assert decide(assistant, verdicts, "is the msn a bill") is bill
    assert decide(assistant, verdicts, "Is the EOMB a bill?") is not same


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Our MAC returned a claim as unprocessable last week. Can we appeal it?", "No."),
        ("Our Medicare contractor sent back a claim as unprocessable. Can we appeal it?", "No."),
    ],
)
def test_a_payer_named_only_before_the_question_is_its_setting(assistant, question, lead):
    """The payer the story names (where the claim went) is not what is asked: a verdict that
    decides the question without it decides it."""
    assert assistant.answer(question).markdown.startswith(lead)


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        # (a sentence that asks on its own leaves a payer around it aside as it is read; one
        # that points back, "Can we appeal it?", keeps the story, and its payer)
        ("Our MAC returned a claim as unprocessable last week. Can we appeal it?", {"mac"}),
        # one sentence, or the payer in the sentence that asks: nothing is left out
        ("Can a claim Medicare returned as unprocessable be appealed?", None),
        ("We got a claim back. Can Medicare claims returned as unprocessable be appealed?", None),
    ],
)
def test_only_payers_named_before_the_sentence_that_asks_are_its_setting(
    assistant, question, left_out
):
    reading = assistant.read(question)
    without = assistant._without_setting(reading)
    if left_out is None:
        assert without is None
    else:
        assert without is not None
        assert set(reading.concepts) - set(without.concepts) == left_out


def test_a_verdict_saying_only_names_does_not_decide_a_question_with_other_words(assistant):
    # "end with F" is a name of Category II codes: the verdict says nothing else of them, so it
    # answers its own question, not whether they are billable
    assert assistant.answer("Do category II codes end with F?").markdown.startswith("Yes.")
    assert not assistant.answer("Are category II codes billable?").markdown.startswith("Yes")


@pytest.mark.parametrize(
    ("text", "negative"),
    [
        ("Is JW used when no drug is wasted?", True),  # "no" before what there is none of
        ("Is the claim denied with no ABN on file?", True),
        ("Is JW for drug wastage?", False),
        ("Is a modifier needed no more than once?", False),  # "no more than" is a limit
        ("Can it be billed no later than 30 days?", False),
    ],
)
def test_no_before_a_noun_is_a_negation(text, negative):
    from assistant.core.verdicts import NEGATION

    assert bool(NEGATION.search(text)) is negative


def test_a_verdict_on_none_of_a_thing_does_not_decide_the_positive_question(assistant):
    # "Is JW used ... when no drug is wasted?" (No) is not "Is JW for drug wastage?"
    assert not assistant.answer("Is JW for drug wastage?").markdown.startswith("No")


def test_a_no_on_a_concept_the_question_never_names_does_not_decide_it(assistant):
    verdicts, (modifier,) = verdicts_of(
        assistant,
        "Does 36415 or a venipuncture need, require or take a modifier? -> No: none is needed.",
    )
    # the "No" is about a modifier: whether 36415 is a venipuncture code is another question
    assert decide(assistant, verdicts, "Is 36415 a venipuncture code?") is None
    assert decide(assistant, verdicts, "Does 36415 need a modifier?") is modifier


def test_a_yes_on_more_still_decides_a_question_on_less(assistant):
    verdicts, (unlisted,) = verdicts_of(
        assistant, "Is 01999 the unlisted anesthesia code? -> Yes: it closes the section."
    )
    assert decide(assistant, verdicts, "is 01999 an anesthesia code?") is unlisted


def test_a_no_not_on_existence_does_not_say_a_code_does_not_exist(assistant):
    verdicts, _ = verdicts_of(
        assistant,
        "Does a distant site provider bill the originating site fee? -> No: the originating "
        "site does.",
    )
    assert decide(assistant, verdicts, "Is there a code for the originating site fee?") is None


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Is 36415 a venipuncture code?", None),  # not "No" (a verdict on its modifier)
        ("Is there a code for telehealth originating site fee?", None),
        # a verdict on limits still decides whether there are any
        ("Are there any visit caps or limits for chiropractic services?", "No."),
    ],
)
def test_a_no_decides_only_what_it_is_about(assistant, question, lead):
    reply = assistant.answer(question).markdown
    if lead is None:
        assert not reply.startswith("No"), reply[:80]
    else:
        assert reply.startswith(lead), reply[:80]


def test_a_verdict_on_another_code_does_not_decide_a_question_on_this_one(assistant):
    verdicts, (pair,) = verdicts_of(
        assistant,
        "Is G0279 billed, reported or added with a screening mammogram or 77067? -> No: G0279 "
        "goes with the diagnostic codes.",
    )
    mammogram = ["breast-imaging"]
    assert (
        decide(assistant, verdicts, "Is 77067 a screening mammogram?", {"77067": mammogram}) is None
    )
    both = {"g0279": mammogram, "77067": mammogram}
    assert decide(assistant, verdicts, "Is G0279 billed with 77067?", both) is pair
    assert not assistant.answer("Is 77067 a screening mammogram?").markdown.startswith("No")


@pytest.mark.parametrize(
    "question",
    [
        # the verdicts found speak of the ABN and of DME, not of a modifier
        "Is modifier GA required when an ABN is signed?",
        "Is modifier UE for used equipment?",
    ],
)
def test_a_question_on_a_modifier_is_decided_only_by_a_verdict_on_modifiers(assistant, question):
    reply = assistant.answer(question).markdown
    assert not reply.startswith(("Yes. DME", "No. An ABN")), reply[:80]


def test_a_verdict_on_a_billing_unit_decides_only_a_question_on_units(assistant):
    verdicts, (per_strip,) = verdicts_of(
        assistant, "Is A4253 billed or reported per strip? -> No: one unit is 50 strips."
    )
    assert decide(assistant, verdicts, "Is A4253 test strips?") is None
    assert decide(assistant, verdicts, "Is A4253 billed per strip?") is per_strip


def test_a_no_on_a_narrower_case_does_not_decide_the_broader_question(assistant):
    verdicts, (peritonsillar,) = verdicts_of(
        assistant,
        "Is 10060 or 10061 billed, reported or used for incision and drainage (I&D) of a "
        "peritonsillar abscess? -> No: CPT reports it with 42700.",
    )
    coded = {"10060": ["incision-drainage"]}
    assert decide(assistant, verdicts, "Is 10060 an I&D?", coded) is None
    asked = "Is 10060 used for a peritonsillar abscess I&D?"
    assert decide(assistant, verdicts, asked, coded) is peritonsillar


def test_a_name_said_with_another_qualifier_is_not_the_verdicts_name(assistant):
    # "diabetic eye exam" and "routine eye exam" name one concept, and the rarest word of both
    # is "eye": the verdict on the routine exam ("No") does not decide the diabetic one
    reply = assistant.answer("Does Medicare cover a diabetic eye exam?")
    assert not reply.markdown.startswith("No."), reply.markdown[:80]
    # the routine exam is still decided by it
    assert assistant.answer("Does Medicare cover a routine eye exam?").markdown.startswith("No.")


def test_a_word_joined_in_front_is_no_prefix(assistant):
    """ "Eyeglasses" are glasses: a verdict on eyeglasses decides a question on glasses, while a
    "No" on "prediabetes" still does not decide one on diabetes."""
    reply = assistant.answer(
        "Must the patient have both eyes operated on before Medicare pays for glasses after "
        "cataract surgery?"
    )
    assert reply.markdown.startswith("No.")


def test_a_verdicts_verb_the_question_lacks_keeps_it_out_in_the_real_knowledge_base(assistant):
    """ "Are J codes for injectable drugs?" names the J codes and injections but not what the
    verdict on the J code's content turns on (whether it includes the administration): no
    "No." from it, however little "include" weighs among the entries."""
    reply = assistant.answer("Are J codes for injectable drugs?")
    assert not reply.markdown.startswith("No.")
    assert assistant.answer("Does a J code include the injection?").markdown.startswith("No.")
