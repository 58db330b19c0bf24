"""What a question is about and what it asks, read with the lexicon.

:func:`read_question` turns a question into a :class:`Reading`: its terms, the concepts it
names (code sets, levels, sections, modifiers, topics), its intents (define, compare, who,
when...), whether it is a yes/no question, the stem of a pasted multiple-choice question, and
whether it is out of scope (payment amounts, careers, clinical advice). Everything the engine
decides later is decided from this reading, not from the raw words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from assistant.core.lexicon import (
    LEVEL_WORDS,
    NUMBERS,
    SENTENCE_GAP,
    Found,
    Lexicon,
    ScopeRule,
    Term,
)
from assistant.core.text import (
    MARKS,
    POINTING_WORDS,
    SUBJECT,
    questions,
    sentences,
    spelled_out,
    stem,
    words,
)

# Auxiliary verbs that open a yes/no question ("Is CPT part of HCPCS?", "Can I bill...").
_YES_NO = re.compile(
    r"^(?:is|are|am|was|were|does|do|did|can|could|should|will|would|may|must|has|have|shall)\b"
)


# A request put as a question ("Can you tell me the full form of CPT?", "Could someone explain
# the global period?", "Can you give me the code for a walker?") asks for what it names, not yes
# or no; "Can you tell me if (whether) ..." still asks yes or no.
# (who a request asks: "can you", "could someone", "would anybody")
_REQUESTER = r"(?:can|could|would|will)\s+(?:you|some\s*one|any\s*one|some\s*body|any\s*body)\s+"
_REQUEST = re.compile(
    rf"^{_REQUESTER}(?:please\s+)?(?:tell|explain|describe|define|give|list|show|provide|clarify|share)\b"
    r"(?!.*\b(?:if|whether)\b)"
)


def _opens_yes_no(text: str) -> bool:
    """Whether read text (in lower case) opens with an auxiliary that asks yes or no."""
    return bool(_YES_NO.match(text)) and not _REQUEST.match(text)


def opens_yes_no(sentence: str) -> bool:
    """Whether a sentence opens as a yes/no question does ("Do I need ...", "Can we ..."), with
    or without its question mark."""
    opening = _CARRY_ON.sub("", _GREETING.sub("", sentence.lstrip(" \t\"'(*-"), count=1), count=1)
    return _opens_yes_no(opening.lower())


# A greeting before the question ("Hello, can we bill ...", "Hi all - does ...").
_GREETING = re.compile(
    r"^(?:hi|hello|hey|greetings|good\s+(?:morning|afternoon|evening))"
    r"(?:\s+(?:all|everyone|everybody|there|folks|guys|team))?\s*[,!:;-]+\s*",
    re.I,
)


# A question that ends by naming two alternatives asks which one, not yes or no ("... CPT or
# HCPCS?", "... 59 or XS?", "... the CPT code or the G code?"); "or not" and "yes or no" do not.
# Nor does "his or her" ("... if a beneficiary is uncertain of his or her vaccination history?"):
# one person either way.
_EITHER_OR = re.compile(
    r"\b(?!not\b|no\b|(?:he|his|him|she|her)\s+or\s+(?:he|his|him|she|her)\b)[\w/&-]+\s+or\s+"
    r"(?!not\b|no\b)(?:[\w/&-]+\s+){0,2}[\w/&-]+\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# "... to determine whether a patient is new or established?": the either-or is what is being
# determined, the question is the sentence's own ("tell me if I should use 59 or XS?" asks which).
_WHETHER = re.compile(
    r"\b(?:determin|decid)\w*\s+(?:whether|if)\b[^,;:?]*\bor\b[^,;:?]*\?*\s*$", re.I
)
# The question words, as one alternation for the patterns below.
_WH_WORDS = "what|which|who|whom|whose|when|where|why|how"
WH_WORDS = frozenset(_WH_WORDS.split("|"))  # the question words, as words
_WH = re.compile(rf"^(?:{_WH_WORDS})\b")
_WH_ANYWHERE = re.compile(rf"\b(?:{_WH_WORDS})\b")
# A statement asked as a question after a leading condition with no comma ("When a Category III
# code is available this code is reported instead of an unlisted code?"), no question word in it.
_STATED_AFTER_CONDITION = re.compile(
    rf"^(?:when|if|once|since)\s(?:(?!{_WH_WORDS})\w+\s){{2,12}}?"
    r"(?:(?:this|that|these|those)\s\w+|it|we|they)\s"
    r"(?:is|are|was|were|can|could|should|must|may|will|would)\s"
    rf"(?:(?!{_WH_WORDS})\w+\s)*(?!{_WH_WORDS})\w+$"
)
# A statement of what must, can or should be done, asked as a question by its mark alone ("Our
# hospice directors must now be reported on the 855A?"): a subject of a few words, then the
# verb, no "or" (a question word anywhere is checked where it is used).
_STATED_AS_QUESTION = re.compile(
    r"^(?!.*\bor\b)(?!(?:if|when|whether|please|i|we|you)\b)"
    r"(?:[\w']+ ){1,8}?"
    r"(?:must|can|should|may|need to|needs to|has to|have to) (?:(?:now|also|still|only) )?"
    r"(?:[\w']+ )*[\w']+$"
)
# A request to say whether something holds asks yes or no ("Please clarify whether tobacco
# counseling may be billed with the AWV.", "I would like to know whether ..."): "whether" among
# a sentence's first words, not "whether or not" said of a choice made elsewhere.
ASKS_WHETHER = re.compile(r"^(?:[\w'/-]+\s+){1,6}?whether\b(?!\s+(?:or|and)\b)")
# A statement asked as a question ("..., it is acceptable to use a code that approximates the
# service???", "we can bill both?"): yes or no, when it ends with a question mark.
_STATED = re.compile(
    r"^(?:it|this|that|we|i|you|they|he|she|one)\s+"
    r"(?:is|are|was|can|could|should|would|will|may|must|need|needs|do|does)\b"
)
# ... or says something of a code or modifier ("Just to confirm, 93 is for audio only?", "so
# modifier 25 goes on the E/M line?"), after a word that leads into a check.
_STATED_OF_CODE = re.compile(
    r"^(?:(?:just|so|ok|okay|and|then|also)\s+)*(?:(?:for|as a) confirmation|to confirm|to clarify|"
    r"to be sure|to double check)?\s*(?:so\s+)?(?:the\s+)?(?:modifier|code|cpt|hcpcs|icd-?10\S*)?\s*"
    r"[a-z]?\d[\w.]*\s+(?:is|are|was|goes|go|can|could|should|must|does|needs|requires|gets|has|"
    r"includes|covers)\b"
)
# ("modifier 25 is used for what?" asks what, not whether)
_ENDS_ASKING = re.compile(
    r"\b(?:what|which|who|whom|when|where|why|how|called|known as|referred to as)\W*$"
)
# Two codes or modifiers to choose between, after a verb of choosing: "use 59 or XS", "bill
# 99213 or 99214" (a code has a digit; a modifier of letters is written in capitals).
_CODE_SIDE = r"(?:(?i:modifier|code|cpt|hcpcs|the)\s+)?-?(?:[A-Za-z]?\d[\w.]*|[A-Z]{2})"
_CHOOSING_VERB = (
    r"use|using|bill|billing|code|coding|report|reporting|append|appending|choose|pick|"
    r"select|submit|assign|put"
)
_CODES_TO_CHOOSE = re.compile(
    rf"\b(?i:{_CHOOSING_VERB})\s+" + _CODE_SIDE + r"\s+(?i:or)\s+" + _CODE_SIDE + r"\b"
)
# Two codes that only name what comes before them ("on the same day as the AWV codes G0438 or
# G0439?"): "codes" right before them, and no verb of choosing before that.
_CODES_NAMING = re.compile(r"(?i:(\w+)\W*\s+(?:the\s+)?codes?)\s*$")
_A_CHOOSING_VERB = re.compile(rf"(?i:{_CHOOSING_VERB})")
# The same thing named twice, the second time after "or": "the day we cast or the day we give
# them", "a claim form or a claim line".
_SAME_THING_TWICE = re.compile(
    r"\b(?:the|a|an)\s+(\w{3,})\b[^?.;]{0,50}?\bor\s+(?:on\s+|at\s+|by\s+)?(?:the|a|an)\s+\1\b",
    re.IGNORECASE,
)
# A statement with a tag that asks whether it holds ("... unless there is a new diagnosis,
# correct?", "we bill both, right?").
# The words of a tag question that only asks whether what came before holds ("..., right?").
TAG_WORDS = r"(?:correct|right|true|ok|okay|agreed)"
# (a tag after a comma asks with its mark left off too: "..., correct", "..., right")
_TAGGED = re.compile(
    rf"(?:,|[.!]\s)\s*(?:{TAG_WORDS}|yes|no)\s*\?+[\s\W]*$|,\s*(?:correct|right)\s*$", re.I
)
# A pasted multiple-choice question: options "a) ... b) ...", "A. ... B. ...", "(a) ... (b)".
_OPTIONS = re.compile(
    r"(?:^|\s)(?:\(?[aA][).]|[aA]\s*[-:])\s+\S.*?(?:\s\(?[bB][).]|\s[bB]\s*[-:])\s+\S", re.S
)
# A letter that ends a name in brackets, "(Practice A)", "(Provider B)", is no option letter.
_NAMED_LETTERS = re.compile(r"\((?:[A-Za-z][\w'-]*\s+){1,3}[A-Ea-e]\)")
_OPTION_SPLIT = re.compile(r"\s\(?[a-eA-E][).]\s|\s[a-eA-E]\s*[-:]\s|\s\d[).]\s")
_TRUE_FALSE = re.compile(
    r"(?:\(?\s*\b(?:a[.)]?\s*)?true\b[\s.,/]*(?:b[.)]?\s*)?(?:or\s+)?false\b|\(?\s*\bt\s*/\s*f\b\s*\)?)"
    r"\s*[?.]?\s*\)?\s*[?.]?$",
    re.I,
)
# ... or said first: "True or False: If a Category III code is available, ..." (after a
# sentence that sets the scene too: "I'm studying. True or false: ..."; in brackets too:
# "(True/False) ...")
_TRUE_FALSE_LEAD = re.compile(
    r"(?:^\s*|(?<=[.!?]\s))\(?(?:true\s*(?:or|/)\s*false|t\s*/\s*f)\s*[:?.)-]\s*(?=\S)", re.I
)
# A whole statement followed by an answer blank ("CPT groups all repairs alike. ______") is a
# statement to judge; a blank inside a sentence ("the only code in it is ____") is to be filled.
_JUDGE_BLANK = re.compile(r"[.!]\s*_{3,}\W*$")
_FILL_IN = re.compile(r"_{3,}")
_MONEY = re.compile(r"\$\s?\d")
# A sum said as a bound ("services above $2010", "balances under $5") is a limit a rule
# turns on, not an amount asked for.
_BOUND_SUM = re.compile(
    r"\b(?:above|over|exceed(?:s|ed|ing)?|beyond|under|below|(?:more|less|greater|fewer)\s+than"
    r"|up\s+to|at\s+(?:least|most))\s+(?:the\s+)?\$\s?\d",
    re.I,
)


# A sentence that opens with a question word ("How do we ...", "What is ...").
_OPENS_WH = re.compile(rf"^\W*(?:{_WH_WORDS})\b", re.I)


def _marked(text: str) -> str:
    """A text with no question mark whose last sentence, after a story, opens as a question
    ("... The provider never signed it. Does it require a signature"), with the mark that
    shows that sentence is the one that asks."""
    if "?" in text:
        return text
    said = sentences(text)
    if len(said) < 2 or not (opens_yes_no(said[-1]) or _OPENS_WH.match(said[-1])):
        return text
    return text.rstrip(" .") + "?"


def offers_amounts(text: str) -> bool:
    """Whether sums of money follow the question as its answer's options ("What was the
    conversion factor for 2012? $30.12 $34.04 $36.79"): it asks for an amount, whatever its
    question says without them."""
    return len(_MONEY.findall(text.rpartition("?")[2])) >= 2


_CODE = r"(?:\d{5}|\d{4}[FTUM]|[A-V]\d{4})"  # a CPT or Level II code
# "What is HCPCS code J7298 used for?", "What is the code R53.83?": what a code named in the
# question is, not which code to use.
_CODE_USED_FOR = re.compile(
    rf"^\W*what\s+(?:is|are)\b[^?.]*?\b{_CODE}\s+(?:codes?\s+)?"
    r"(?:used|use)\s+for\s*\?*\s*$"
    r"|^\W*what\s+(?:is|are)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}codes?\s+"
    r"(?:\d{5}|\d{4}[FTUM]|[A-Z]\d{4}|[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)\s*\?*\s*$",
    re.I,
)
_A_CODE = re.compile(rf"\b{_CODE}\b")
# A concept named in this many words or more is named by a long name ("Healthcare Common
# Procedure Coding System"), whose words say less about what is asked than the question's own.
LONG_NAME = 4
_CHOOSING = re.compile(r"\b(?:which one|instead of|pick|choose|select)\b")
# "What is the ICD-10 code for diabetes with osteomyelitis?" asks for a code, not what ICD-10 is:
# the code set named before "code for" says which kind of code.
_THE_CODE_FOR = re.compile(
    r"^\W*what\s+(?:is|are)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?codes?\s+(?:for|to)\s+\w", re.I
)


@dataclass(frozen=True)
class Reading:
    """A question as the engine understands it."""

    text: str
    terms: tuple[Term, ...]
    concepts: tuple[str, ...]  # in order of mention, each once
    intents: tuple[str, ...]  # strongest first
    yes_no: bool
    choices: bool  # a pasted multiple-choice or true/false question
    scope: ScopeRule | None  # out of scope, and why
    options: tuple[tuple[str, str], ...] = ()  # its lettered options: ("B", "Tabular List")
    # Its options were pasted numbered "1) ... 2) ..." (read as lettered A, B...).
    numbered: bool = False
    true_false: bool = False  # a statement to judge ("... True or False"): a yes/no question
    stem: str = ""  # the question without pasted options ("" when there were none)
    flat: str = ""  # the stem as cue phrases see it (Lexicon.flat), read once
    named: frozenset[str] = frozenset()  # keys only said inside a long name of a concept
    # Keys said only in the sentences before (or around) the one that asks, when that one asks
    # something of its own ("I'm a new coder at a small practice. What is a HCPCS code?").
    told: frozenset[str] = frozenset()
    asked: str = ""  # that sentence, when there are such words: what to decide yes or no on
    codes_compared: bool = False  # a comparison of codes the question names ("99213 vs 99214")
    # Concepts named only in the story of a long question, not in the sentence that asks
    # ("Drs. A and B ... a new NPI ... Is Patient Jones a new patient to Dr. B?": the NPI).
    story: frozenset[str] = frozenset()
    # Keys said only in the pasted options ("a. Contains 3-7 characters b. ..."): the words of
    # the facts the question tests, which the stem often leaves out ("What is not true about
    # ICD-10-CM?"). They help rank the entries, at a small weight, and nothing else.
    offered: tuple[str, ...] = ()
    # A lone sentence that states a rule, asking nothing ("Modifier 25 is appended to the
    # procedure code."): judged true or false when a verdict decides it, answered as usual
    # otherwise.
    statement: bool = False
    # The words of ``told`` only tell who asks: they speak of the asker and name no concept and
    # no number ("I work in a small family practice. Can I bill ...?"), so they say nothing
    # about what is asked (see _sets_the_scene).
    scene: bool = False

    @cached_property
    def judged(self) -> Reading:
        """The reading as verdicts and the code-set tree decide it: a statement as a question to
        judge true or false, any other reading as it is (read once, so that the verdicts'
        reading of the question is worked out once too)."""
        return replace(self, yes_no=True, true_false=True) if self.statement else self

    @property
    def scene_words(self) -> frozenset[str]:
        """The keys said only in sentences that tell who asks (see ``scene``): no word of what
        is asked, so they rank, pick and keep on topic nothing."""
        return self.told if self.scene else frozenset()

    @cached_property
    def several_claims(self) -> bool:
        """Whether a statement to judge makes claims in more than one sentence ("Etiology codes
        are never listed first. The code in brackets is sequenced second. True or false?"):
        then no verdict or fact decides it by one of its claims. Sentences that set the scene,
        ask, or speak of the asker ("I'm studying.") claim nothing."""
        if not self.true_false or self.scene:
            return False
        said = sentences(self.stem or self.text)
        return len(said) > 1 and any(
            not s.rstrip().endswith("?")
            and not _ABOUT_THE_ASKER.search(s)
            and len(s.split()) >= CLAIM_WORDS
            for s in said[:-1]
        )

    def label(self, letter: str) -> str:
        """An option's label as the question pasted it: "B", or "2" for numbered options."""
        return str("ABCDE".index(letter) + 1) if self.numbered and letter in "ABCDE" else letter

    @property
    def intent(self) -> str | None:
        return self.intents[0] if self.intents else None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.term for t in self.terms)


CLAIM_WORDS = 4  # words, at least, in a sentence that claims something

# Intents that say more than "define" when both appear ("what is the difference": compare).
_PRIORITY = ("compare", "who", "when", "count", "where", "which-code", "bill", "why", "define")


def read_question(
    lexicon: Lexicon,
    text: str,
    spell: Callable[[str, str], str] | None = None,
    *,
    keep_glosses: bool = False,
    respell: Callable[[str], str | None] | None = None,
) -> Reading:
    """Read a question. ``spell`` maps a term the knowledge base does not know (and the word
    as typed) to the one a typo stands for (the retriever's vocabulary), before concepts are
    looked for. ``keep_glosses`` keeps the words in brackets that spell out an abbreviation:
    a verdict's question, in the knowledge base, keeps them for questions that use either."""
    text = text.translate(MARKS)  # ("CPT®", "(CPT)®": a mark, not a word)
    if respell is not None:
        text = _respelled(text, respell)
    text = spelled_out(text, lambda short, said: _same_concepts(lexicon, short, said))
    if not keep_glosses:
        text = _without_glosses(lexicon, text)
    if "(" in text:
        text = _EXAMPLES.sub("", text)
    text = _as_can(_without_names(text))
    text = _unopened(text)
    text, numbered = _lettered(_without_preamble(lexicon, without_courtesy(text)))
    text = _marked(text)
    text = _without_follow_ups(lexicon, text)
    stem, choices = _stem(text)
    flat, terms = lexicon.analyse(stem)
    first = flat.split(" | ")[0] if flat else ""
    last = flat.split(" | ")[-1] if flat else ""
    shown = lexicon.cues_in(flat)
    terms = _spelled(terms, spell)
    found = lexicon.find_concepts(terms)
    spans = lexicon.spans(flat, terms, found)
    intents = lexicon.intents_of(flat, lexicon.unnamed(flat, shown, spans))
    setting = _setting(lexicon, found, terms, flat)
    if setting is not None:
        # The setting is where the question applies, not what it asks about, and it asks
        # nothing ("what are the codes for a Medicare patient" asks for no code for a thing).
        found = [f for f in found if terms[f.start].index <= setting[0]]
        still = set(lexicon.intents_of(setting[1]))
        intents = [i for i in intents if i in still]
    # "When should modifier 25 be used?" asks how to use it, not when something changes.
    if "when" in intents and "bill" in intents and not re.search(r"\bupdat|\beffective", flat):
        intents.remove("when")
    condition = _CONDITION.match(stem.strip()) if "when" in intents else None
    if condition and "when" not in lexicon.intents_of(lexicon.flat(condition.group(1))):
        # "When a patient presents an insurance card, ... is called": a condition, not a
        # question about when.
        intents.remove("when")
    intents.sort(key=_PRIORITY.index)
    if "which-code" in intents and _CODE_USED_FOR.search(stem):
        # "What is HCPCS code J7298 used for?" asks what the code is, not which code to use.
        intents.remove("which-code")
        if "define" not in intents:
            intents.append("define")
    if "which-code" in intents and "define" in intents and _THE_CODE_FOR.search(stem):
        intents.remove("define")
    if "which-code" in intents and _CHOOSING.search(flat):
        # "a CPT code and a G code for the same service: which one do I put on the claim?"
        intents.remove("which-code")
        intents.insert(0, "which-code")
    true_false = (
        # (after a label too: "Q: True or False: ...")
        choices and bool(_TRUE_FALSE.search(text) or _TRUE_FALSE_LEAD.search(_unlabelled(text)))
    ) or bool(_JUDGE_BLANK.search(text))
    last = _main_clause(stem, last)
    # (the first sentence as it asks; one sentence alone is the last one, read just above)
    opening = last if " | " not in flat else _first_clause(stem, first)
    if (
        not _YES_NO.match(opening)
        and stem.count("?") >= 2
        and len(asking := questions(sentences(stem))) >= 2
    ):
        # (the first of several questions, after a story: "I have a question on counseling
        # codes. ... Does a similar code exist for adults? If so, what code would that be?")
        opening = _first_clause(asking[0], lexicon.flat(asking[0]))
    yes_no = true_false or (
        bool(
            _opens_yes_no(opening)
            or _opens_yes_no(last)
            or (
                (
                    _STATED.match(last)
                    or (_STATED_OF_CODE.match(last) and not _ENDS_ASKING.search(last))
                )
                and stem.rstrip().endswith("?")
            )
            or _TAGGED.search(stem)
            or (ASKS_WHETHER.match(last) and not _WHETHER.search(last))
        )
        # (a text that asks yes or no first and then how or where asks yes or no too: "Is NU
        # needed on every supply? Where does it go on the 1500?", "For 70 minutes of critical
        # care, would 99291 be coded once? If not, how?")
        and (not _WH.match(last) or (first != last and bool(_YES_NO.match(opening))))
        and not _which_of_two(lexicon, stem)
    )
    if (
        not yes_no
        and stem.rstrip().endswith("?")
        and _STATED_AFTER_CONDITION.match(flat.split(" | ")[-1])
        and not _which_of_two(lexicon, stem)
    ):
        # (a statement asked after its condition: "When a Category III code is available this
        # code is reported instead of an unlisted code?")
        yes_no = True
    if (
        not yes_no
        and stem.rstrip().endswith("?")
        and stem.count("?") == 1
        and _STATED_AS_QUESTION.match(last)
        and not _WH_ANYWHERE.search(flat)
        and not choices
    ):
        # (a statement asked by its mark alone: "Our hospice directors must now be reported on
        # the 855A?")
        yes_no = True
    if not yes_no and (inside := _asking_inside(stem)) is not None:
        # the one sentence that asks, between a story and a comment after it ("... supports
        # 99214. Can we bill the higher level on MDM? It's my understanding that ...")
        # (after a leading condition too: "When records are requested ... does the order need
        # to be sent? The ordering doctor is not in our group.")
        # (after a label too: "For non-direct prolonged services: can you add up times ...?
        # 10 minutes on 5/10, ...")
        inside_flat = lexicon.flat(inside)
        yes_no = bool(
            _YES_NO.match(inside_flat)
            or _YES_NO.match(inside_flat.rsplit(" | ", 1)[-1])
            or _YES_NO.match(_main_clause(inside, inside_flat))
        ) and not _which_of_two(lexicon, inside)
    scope = lexicon.out_of_scope(flat, shown, spans)
    if scope is None and spans and _A_CODE.search(stem):
        # A fee term said as a concept's name is a term ("what is the allowed amount?"), but
        # said of a code it asks for the amount ("the allowed amount for 99214").
        unmasked = lexicon.out_of_scope(flat, shown)
        if unmasked is not None and unmasked.topic == "fees":
            scope = unmasked
    if (
        scope is not None
        and scope.topic == "fees"
        and (offered := _options(text[len(stem) :]))
        and not re.search(r"[\d$%]", " ".join(o for _, o in offered))
    ):
        # A pasted test question whose options are names, not amounts ("Which document details
        # the reimbursement amount? A) Claim Summary B) Explanation of Benefits ...") asks for
        # a term.
        scope = None
    if scope is not None and scope.topic == "coverage" and choices:
        # A pasted test question ("Medicare pays ___ of the approved amount once the deductible
        # is met: a) 20 b) 80") asks how coverage works for everyone, not what one plan covers.
        scope = None
    if scope is not None and scope.topic == "fees" and not _MONEY.search(stem):
        # Payment told in the story ("My concern is reimbursement for materials using 97760.
        # Can you tell me the correct way to go?") is no question about an amount: a fee
        # question asks for it in a sentence that asks.
        said = sentences(stem)
        asked = questions(said)
        if asked and len(asked) < len(said):
            rule = lexicon.out_of_scope(lexicon.flat(" ".join(asked)))
            if rule is None or rule.topic != "fees":
                scope = rule
    alone = _asking_alone(lexicon, stem, spell)
    if choices and alone is not None and not _about_the_asker_only(lexicon, stem, alone):
        # (a test item's story is what its options are chosen by; only a scene about the
        # asker, "I work in a small practice. All categories are ___ characters. A. 3 ...",
        # is left aside; a statement before "True or false?" is no scene, and that sentence
        # asks nothing of its own)
        alone = None
    if scope is None and alone is not None and _about_the_asker_only(lexicon, stem, alone):
        # Words that only tell who asks are no exception to a cue of the sentence that asks:
        # "I'm a billing specialist. What should I take for a headache?" is a clinical
        # question, whatever "billing" excuses elsewhere.
        scope = lexicon.out_of_scope(lexicon.flat(alone[0]))
    if scope is not None and scope.topic == "coverage" and _to_be_filled(stem):
        # So does a statement that leaves a name to be filled in ("If a procedure will not be
        # covered, the patient is notified by means of a(n)"), also after a scene, whose
        # sentence was read alone above ("I'm a coding student. If ...").
        scope = None
    if scope is not None and _said_only_around(lexicon, alone):
        # "My doctor asked me this today. What is CDT?": the cue is in a sentence that asks
        # nothing, and the one that asks is about a topic of its own, with no cue.
        scope = None
    if (
        scope is None
        and len(_MONEY.findall(text)) > len(_BOUND_SUM.findall(text))
        and not {"which-code", "bill"} & set(intents)
    ):
        # (a sum in the story of "... owes us $3K. What code should we use?" asks for a code,
        # and one the fees rule's exceptions name is no fee: "the $3,000 review threshold")
        fees = next((i for i, r in enumerate(lexicon.scope) if r.topic == "fees"), None)
        if fees is not None and ("unless", fees) not in shown:
            scope = lexicon.scope[fees]
    if "compare" in intents and _one_thing_twice(lexicon, flat, terms, found):
        # "the HCPCS dose is different from the dose given": two doses, not HCPCS and units
        intents.remove("compare")
    if "compare" in intents and (rest := _against_the_rest(lexicon, flat, terms)) is not None:
        # "How are S codes different from other HCPCS codes?" asks what sets S codes apart
        # from the rest of their kind: what S codes are, not a comparison with HCPCS.
        intents[intents.index("compare")] = "define"
        intents = list(dict.fromkeys(intents))
        found = [f for f in found if not rest < terms[f.start].index < rest + SENTENCE_GAP]
    if "compare" in intents:  # "HCPCS G codes vs CPT": G codes against CPT
        found = _without_qualifiers(lexicon, found, terms)
    concepts = tuple(dict.fromkeys(f.concept for f in found))
    long = {i for f in found if f.end - f.start >= LONG_NAME for i in range(f.start, f.end)}
    named = (
        frozenset(
            {t.term for i, t in enumerate(terms) if i in long}
            - {t.term for i, t in enumerate(terms) if i not in long}
        )
        if long
        else frozenset()
    )
    if choices and stem != text and all("context" in lexicon.ancestors(c) for c in concepts):
        # The options can name what the stem only hints at ("which is a Level II code? ..."),
        # also when the stem names only the setting ("... that may affect payer processing").
        option_concepts = lexicon.find_concepts(lexicon.terms(text[len(stem) :]))
        concepts += tuple(
            dict.fromkeys(c.concept for c in option_concepts if c.concept not in concepts)
        )
    options = _options(text[len(stem) :]) if choices and not true_false else ()
    told = _told_terms(lexicon, alone, terms, intents, stem)
    story = _told_only(lexicon, stem, concepts, spell) if not choices else frozenset()
    if alone:
        # What the sentences around the one that asks name: a payer there is the setting
        # ("Our practice bills Medicare and Medicaid. What is DME?"), anything else the story
        # (of a question that asks about a topic of its own). A question that asks how to bill
        # or for a code keeps its story, but payers alone there are still its setting.
        found_in_it = lexicon.find_concepts(alone[1])
        in_it = {f.concept for f in found_in_it}
        around = [c for c in concepts if c not in in_it]
        payers_only = bool(around) and all(a_payer(lexicon, c) for c in around)
        if (
            payers_only
            and not told
            and not any(ch.isdigit() for ch in stem)
            and _names_topic(lexicon, found_in_it)
        ):
            # ("Our practice bills Medicare. How do I request a new CPT code?": what is said
            # around it is where, not what)
            told = frozenset(t.term for t in terms) - {t.term for t in alone[1]}
        if told or payers_only:
            concepts = tuple(c for c in concepts if c in in_it or not a_payer(lexicon, c))
        if told:
            story = story | frozenset(c for c in around if c in concepts)
    return Reading(
        text=text,
        terms=tuple(terms),
        concepts=concepts,
        story=story,
        intents=tuple(intents),
        yes_no=yes_no,
        choices=choices,
        options=options,
        numbered=numbered and bool(options),
        offered=(
            _offered(lexicon, terms, options, text[len(stem) :])
            if choices and not true_false
            else ()
        ),
        scope=scope,
        true_false=true_false,
        stem=stem if stem != text else "",
        flat=flat,
        named=named,
        told=told,
        asked=alone[0] if told and alone else "",
        statement=not (yes_no or choices or true_false)
        and (_states_a_rule(text) or _stated_after_a_scene(lexicon, text)),
        scene=_sets_the_scene(lexicon, stem, alone, told),
    )


# A statement's verb, said of a rule ("... is appended to ...", "... always have 7 ...").
# (or said of who keeps a code set: "The AMA maintains HCPCS Level II.")
_STATES = re.compile(
    r"\b(?:is|are|can|cannot|can't|must|should|may|does|do|has|have|always|never|only|"
    r"maintains|publishes|develops|updates|owns|contains|includes|indicates|indicated|"
    r"requires|required|describes|represents|lists|listed|reported|used)\b",
    re.I,
)
# Texts that ask, tell the assistant what to do, speak of the asker or describe one patient.
_NOT_STATED = re.compile(
    rf"^\W*(?:{_WH_WORDS}|explain|describe|define|list|tell|"
    r"give|please|code|assign|bill|report|identify|name|select|choose|find|determine|compare|"
    r"help|hi|hello|hey|thanks|question|q|(?:an?\s+|the\s+|this\s+|our\s+)?"
    r"(?:[\w-]+[- ]year[- ]old\s+)?(?:new\s+|established\s+)?(?:patient|pt))\b",
    re.I,
)
_ASKER = re.compile(r"\b(?:i|i'm|i've|me|my|we|we're|us|our|you|your)\b", re.I)
# A stem left for the reader to finish ("DME is reported using", "HCFA stands for").
_UNFINISHED = re.compile(
    r"(?:\b(?:using|by|to|as|of|with|for|in|on|from|the|a|an|is|are|be|and|or|called|named|"
    r"known|include|includes|means|indicates|represents|stands)|\ba\(n\))\W*$",
    re.I,
)


def _to_be_filled(stem: str) -> bool:
    """Whether a text ends with a name left to be filled in, without a question mark: a blank
    ("... is called ____") or a last sentence that stops before one ("... by means of a(n)")."""
    said = stem.strip()
    if not said or said.endswith("?"):
        return False
    parts = sentences(said)
    last = parts[-1] if parts else said
    return bool(_FILL_IN.search(last) or _NAMES_LEFT_OUT.search(last))


# Last words that leave a name to be filled in ("... by means of a(n)", "... is called"), not an
# amount ("The Part B deductible is").
_NAMES_LEFT_OUT = re.compile(
    r"\b(?:a|an|a\(n\)|the|called|named|known\s+as|referred\s+to\s+as|by\s+means\s+of|using)\W*$",
    re.I,
)


# A condition before the rule a statement states, set off by a comma: "When X, ...", "If X, ...".
# (not "When is X updated, and by whom.", a question without its mark)
_CONDITION_FIRST = re.compile(
    r"^\W*(?:when|if|once|after|before|while|unless)\s+"
    r"(?!(?:is|are|was|were|do|does|did|can|could|should|would|will|must|may|might|has|have)\b)"
    r"[^,?]{3,80},\s*",
    re.I,
)
STATEMENT_WORDS = (4, 40)  # the fewest and most words of a statement judged true or false
# A clue that names what it describes only as "this" ("This is the time limit for submitting
# claims.", "Codes starting with this letter are for ..."): it asks for the term, the letter or
# the number, as a quiz game's clue does, and is no rule to judge true or false.
_CLUE = re.compile(
    r"^\W*(?:this|these)\b(?!\s+(?:patient|pt)\b)"
    r"|\b(?:this|these)\s+(?:letter|letters|number|numbers|term|terms|word|acronym|abbreviation|"
    r"form|document|process|organization|agency|act|law|system|type|kind)\b",
    re.I,
)


def _states_a_rule(text: str) -> bool:
    """Whether a text is one sentence that states a rule: no question mark, no question or
    request word first, no asker, not a stem to complete (":" at its end), with a verb of
    rule."""
    said = text.strip()
    n = len(said.split())
    if "?" in said or said.endswith(":") or not STATEMENT_WORDS[0] <= n <= STATEMENT_WORDS[1]:
        return False
    # ("When time is short, a coder may skip the Index.": the rule is said after its "when")
    main = _CONDITION_FIRST.sub("", said, count=1)
    if len(sentences(said)) != 1 or _NOT_STATED.match(main) or _ASKER.search(said):
        return False
    if _CLUE.search(said):
        return False
    if _UNFINISHED.search(said) or (_FILL_IN.search(said) and not _JUDGE_BLANK.search(said)):
        return False  # (a blank inside it is to be filled: "The only code in it is ____")
    return bool(_STATES.search(said))


def _stated_after_a_scene(lexicon: Lexicon, text: str) -> bool:
    """Whether a text is a statement of a rule after one sentence that only speaks of the asker
    ("I work in a small family practice. Vulva repair is reported with 56800-56810.")."""
    if not _ABOUT_THE_ASKER.search(text):
        return False
    said = sentences(text)
    return len(said) == 2 and _only_the_asker(lexicon, said[0]) and _states_a_rule(said[1])


def a_payer(lexicon: Lexicon, concept: str) -> bool:
    """Whether a concept is a payer, or a kind of one (Medicare, a commercial plan)."""
    return concept == "payer" or "payer" in lexicon.ancestors(concept)


# An abbreviation with its words in brackets after it: "ICD-10 (International Classification
# of Diseases, 10th Revision)", "MUE (Medically Unlikely Edit)".
_GLOSSED = re.compile(r"\b([A-Z][A-Za-z]*[A-Z](?:-\d+)?|[a-z]{2,5}(?:-\d+)?)\s*\(([^()]{4,90})\)")


def _without_glosses(lexicon: Lexicon, text: str) -> str:
    """The text without the brackets that only spell out the abbreviation before them: the
    words in them name the abbreviation's concepts (or concepts above them) and nothing else,
    so they say it a second time and would weigh it twice. A narrower concept in them says
    more ("POS (urgent care facility)") and stays."""
    if "(" not in text:
        return text

    def named(words: str) -> set[str]:
        return {f.concept for f in lexicon.find_concepts(lexicon.terms(words))}

    def gloss(m: re.Match[str]) -> str:
        short, said = named(m.group(1)), named(m.group(2))
        related = set(short)
        for c in short:
            related.update(lexicon.ancestors(c))
        if short and said and said <= related:
            return m.group(1)
        return m.group(0)

    return _GLOSSED.sub(gloss, text)


def _same_concepts(lexicon: Lexicon, short: str, said: str) -> bool:
    """Whether an abbreviation names what its words name ("Current Procedural Terminology
    (CPT)"), unlike "locum tenens (LT)", whose letters are also a modifier's."""
    return {f.concept for f in lexicon.find_concepts(lexicon.terms(short))} == {
        f.concept for f in lexicon.find_concepts(lexicon.terms(said))
    }


# A word long enough for a slip of a letter to be put right (see _respelled).
LONG_WORD = re.compile(r"\b[A-Za-z]{6,}\b")


def _respelled(text: str, respell: Callable[[str], str | None]) -> str:
    """The text with each word that is a slip of a known word ("reimurse", "scheule") put
    right, so that phrases, cues and names are found in it as in the word meant."""

    def put_right(m: re.Match[str]) -> str:
        typed = m.group(0)
        meant = respell(typed.lower())
        if meant is None:
            return typed
        return meant.capitalize() if typed[0].isupper() else meant

    return LONG_WORD.sub(put_right, text)


def _spelled(terms: list[Term], spell: Callable[[str, str], str] | None) -> list[Term]:
    """The terms with each typo read as the term it stands for (see :func:`read_question`)."""
    if spell is None:
        return terms
    out = [
        t if (s := spell(t.term, t.word)) == t.term else Term(t.word, s, t.index, t.clause, True)
        for t in terms
    ]
    for k in range(1, len(out)):
        # "cateogry ii": the number after a level word read only once the word is spelled
        before, t = out[k - 1], out[k]
        if before is not terms[k - 1] and before.term in _LEVEL_TERMS and t.word in NUMBERS:
            out[k] = Term(t.word, NUMBERS[t.word], t.index, t.clause)
    return out


_LEVEL_TERMS = frozenset(stem(w) for w in LEVEL_WORDS)


STORY = 3  # sentences, at least, before a question is read as a story and its question
STORY_WORDS = 40  # and words ("7 p.m. and ending 7 a.m." is not three sentences)


def _told_only(
    lexicon: Lexicon,
    stem: str,
    concepts: tuple[str, ...],
    spell: Callable[[str, str], str] | None,
) -> frozenset[str]:
    """The concepts a long question names only in the sentences that tell its story, not in
    the one that asks (the one ending with a question mark, else the last one: "Please clarify
    whether ...", "Assign the correct CPT code(s)"). Empty when several sentences ask, when the
    asking one points back to the story, or when it names none of the question's concepts: then
    the story is all there is to go by."""
    if len(concepts) < 2:
        return frozenset()
    said = sentences(stem)
    if len(said) < STORY or len(words(stem)) < STORY_WORDS:
        return frozenset()
    asking = questions(said) or said[-1:]
    if len(asking) != 1:
        return frozenset()  # (several questions: which one the story is for is not known)
    if _POINTS_BACK.search(asking[0]):
        return frozenset()  # ("Am I overlooking this info in the book?": the story's info)
    terms = _spelled(lexicon.terms(" ".join(asking)), spell)
    asked = {f.concept for f in lexicon.find_concepts(terms)} & set(concepts)
    if not asked:
        return frozenset()
    return frozenset(c for c in concepts if c not in asked)


ASKS_ITSELF = 2  # content words, at least, in a sentence that asks something of its own
# Words that point back to the story ("What CPT coding is reported for this visit?", "Is that
# allowed?", "can I bill it?"): the question asks about what was told.
_POINTS_BACK = re.compile(rf"\b(?:{POINTING_WORDS})\b", re.I)


def _asking_alone(
    lexicon: Lexicon, stem: str, spell: Callable[[str, str], str] | None
) -> tuple[str, list[Term]] | None:
    """The one sentence (and its terms) of a longer question that asks about a topic of its own:
    the one question among its sentences (else the last sentence), or the one of several
    questions that names a topic, the others asking nothing of their own ("What is CDT? Is
    there a good reference for this?"). None when there is no such sentence, or when it
    points back to the story ("What CPT coding is reported for this visit?", "Is that
    allowed?")."""
    said = sentences(stem)
    if len(said) < 2:
        return None
    asking = questions(said) or said[-1:]
    read = [_spelled(lexicon.terms(a), spell) for a in asking]
    if len(asking) > 1:
        topical = [
            (a, t)
            for a, t in zip(asking, read, strict=True)
            if _names_topic(lexicon, lexicon.find_concepts(t))
        ]
        others = [
            (a, t)
            for a, t in zip(asking, read, strict=True)
            if len(topical) == 1 and a != topical[0][0]
        ]
        if len(topical) != 1 or not all(
            _asks_nothing(lexicon, lexicon.flat(a)) and not lexicon.find_concepts(t)
            for a, t in others
        ):
            return None
        asking, read = [topical[0][0]], [topical[0][1]]
    if _POINTS_BACK.search(asking[0]):
        return None
    return asking[0], read[0]


def _told_terms(
    lexicon: Lexicon,
    alone: tuple[str, list[Term]] | None,
    terms: list[Term],
    intents: list[str],
    stem: str = "",
) -> frozenset[str]:
    """The keys of a question said only around the sentence that asks (``alone``, see
    :func:`_asking_alone`), when that one names a concept and asks about it: "I'm a new coder
    at a small practice. What is a HCPCS code?" asks what HCPCS is. Empty for a question that
    asks for a code or how to bill, whose story says for what, unless the story names nothing
    ("I work in a family practice. When should HCPCS codes be used?")."""
    if alone is None:
        return frozenset()
    asked = alone[1]
    keys = {t.term for t in asked}
    around = [t for t in terms if t.term not in keys]
    roles = _roles(lexicon, stem.replace(alone[0], " "))
    if len(asked) < ASKS_ITSELF or not (
        _names_topic(lexicon, lexicon.find_concepts(asked))
        or _A_CODE.search(alone[0])
        or _scene_only(lexicon, around, roles)
    ):
        # ("What is the Medicare benefit?" after a story asks about it; "When should G2012
        # be used?" asks about its code; a scene that names nothing, "I work in a family
        # practice.", is no story the question leans on, whatever it asks)
        return frozenset()
    if {"which-code", "bill"} & set(intents) and _names_something(
        lexicon, [t for t in around if t.term not in roles]
    ):
        return frozenset()  # (the story says what to bill: "... got a cast. How do I bill?")
    return frozenset(t.term for t in around)


# The asker speaking of themselves ("I work in a small family practice.", "We are a new clinic.")
_ABOUT_THE_ASKER = re.compile(r"\b(?:i|i'm|im|we|we're|my|our)\b", re.I)


def _sets_the_scene(
    lexicon: Lexicon, text: str, alone: tuple[str, list[Term]] | None, told: frozenset[str]
) -> bool:
    """Whether the words said around the sentence that asks only tell who or where the asker
    is: they name no concept and no number, and they speak of the asker ("I work in a small
    family practice. Can I bill ...?"). A story about a patient or a service ("A patient is
    admitted to the hospital ...") says what the question is about, concept or not."""
    if not told or alone is None:
        return False
    return _about_the_asker_only(lexicon, text, alone)


def _about_the_asker_only(lexicon: Lexicon, stem: str, alone: tuple[str, list[Term]]) -> bool:
    """Whether the sentences of ``stem`` around the one that asks only speak of the asker and
    where they work, naming no concept and no number ("I work in a small family practice.")."""
    return _only_the_asker(lexicon, stem.replace(alone[0], " "))


def _only_the_asker(lexicon: Lexicon, said: str) -> bool:
    """Whether words speak of the asker and name no concept and no number (but in what the
    asker says they are: "I'm a medical coding student.")."""
    return bool(_ABOUT_THE_ASKER.search(said)) and _scene_only(
        lexicon, lexicon.terms(said), _roles(lexicon, said)
    )


# What the asker says they are ("I'm a medical coding student", "We are a small dermatology
# practice", "I work as a billing specialist"): who asks, never what about, even where its
# words name a concept (a student, a specialty).
_ASKER_IS = re.compile(
    r"\b(?:i'?m|i\s+am|we'?re|we\s+are|i\s+work\s+as)\s+(?:a|an)\s+"
    r"([^.,;:!?]{1,60}?)(?=\s+(?:and|at|in|for|with|who|that|but|from|on|of)\b|[.,;:!?]|$)",
    re.I,
)


def _roles(lexicon: Lexicon, said: str) -> frozenset[str]:
    """The keys of the words in which the asker says what they are (see _ASKER_IS)."""
    return frozenset(t.term for m in _ASKER_IS.finditer(said) for t in lexicon.terms(m.group(1)))


def _names_something(lexicon: Lexicon, said: list[Term]) -> bool:
    """Whether words name a concept or a number (a story), not only set the scene."""
    return bool(lexicon.find_concepts(said)) or any(t.word[:1].isdigit() for t in said)


def _scene_only(lexicon: Lexicon, around: list[Term], roles: frozenset[str] = frozenset()) -> bool:
    """Whether words said around the sentence that asks only set the scene: no concept, no
    number, but in the words ``roles`` that say what the asker is."""
    return bool(around) and not _names_something(
        lexicon, [t for t in around if t.term not in roles]
    )


def _said_only_around(lexicon: Lexicon, alone: tuple[str, list[Term]] | None) -> bool:
    """Whether a question's out-of-scope cue is only in the sentences around the one that
    asks (``alone``, see :func:`_asking_alone`), and that one asks about a topic with no cue
    of its own."""
    if alone is None or lexicon.out_of_scope(lexicon.flat(alone[0])) is not None:
        return False
    return _names_topic(lexicon, lexicon.find_concepts(alone[1]))


def _names_topic(lexicon: Lexicon, found: list[Found]) -> bool:
    """Whether some concept found is a topic, not a payer or organisation (under context)."""
    return any("context" not in lexicon.ancestors(f.concept) for f in found)


# Whether a thing still holds asks yes or no of what follows: "Am I no longer required to
# document a history or exam?", "Do I still need the nurse's notes or prior records?"
_STILL = re.compile(r"\b(?:still|no longer|any ?more)\b", re.I)


# A second side that adds to the first asks whether the first is all: "Are G codes only for
# Medicare or other payers too?"
_TOO = re.compile(r"\b(?:too|also|as well)\W*$", re.I)


# A clause of reason, time or concession inside the sentence, after its first words.
_SUBORDINATE = re.compile(r"\s(?:since|because|although|though|unless|while|when)(?:\s|$)", re.I)


def _last_sentence(text: str) -> str:
    said = sentences(text)
    return said[-1] if said else text


# The start of a list of three or more places ("in SNFs, NFs or ALFs"): "in" or "at", then
# items set apart by commas up to the either-or at the end.
_PLACES_LISTED = re.compile(
    r"\b(?:in|at)\s+(?:[\w/&'-]+\s+){0,4}[\w/&'-]+,\s+(?:[\w/&'-]+\s+){0,4}$"
)


def _choice(lexicon: Lexicon, stem: str) -> bool:
    """Whether the "X or Y" a question ends with offers things to choose between: a side
    names a concept, a code or one side of a distinction ("CPT or HCPCS", "59 or XS", "new or
    established"). Other words are examples of what is asked about ("... related to the surgery,
    like a complication or infection?"), and the question still asks yes or no."""
    m = _EITHER_OR.search(stem)
    if m is None or _STILL.search(stem[: m.start()]) or _TOO.search(m.group(0)):
        return False
    if _SUBORDINATE.search(_last_sentence(stem[: m.start()])):
        # ("Does this lab need a CLIA number since it does not bill Medicare or Medicaid?": the
        # two are said in a clause that gives a reason or a time, not offered to choose from)
        return False
    if _PLACES_LISTED.search(stem[: m.start()]):
        # ("... to beneficiaries in skilled nursing facilities, nursing facilities or assisted
        # living facilities?": a list of the places a rule is asked of, not things to choose)
        return False
    offered = re.split(r"\s+or\s+", m.group(0).strip(" ?.!"), maxsplit=1)
    naming = _CODES_NAMING.search(stem[: m.start()])
    if (
        naming is not None
        and not _A_CHOOSING_VERB.fullmatch(naming.group(1))
        and all(any(ch.isdigit() for ch in side) for side in offered)
    ):
        return False
    before = stem[: m.start()].split()[-2:]
    said = " ".join([*before, m.group(0)])
    terms = lexicon.terms(said)
    named = {f.concept for f in lexicon.find_concepts(terms)}
    # ("Is an L code a Level II code for orthotics or prosthetics?": two that only say again
    # what the question already named, the L codes, offer nothing to choose)
    if named and not named <= {
        f.concept for f in lexicon.find_concepts(lexicon.terms(stem[: m.start()]))
    }:
        return True
    if any(ch.isdigit() for ch in said):
        return True
    sides = {side for pair in lexicon.opposites for side in pair}
    return any(t.term in sides for t in terms)


def _without_qualifiers(lexicon: Lexicon, found: list[Found], terms: list[Term]) -> list[Found]:
    """Concepts without those that only qualify the next one: "how are HCPCS G codes different
    from CPT codes" compares G codes with CPT, not HCPCS with G codes. Only a name written right
    before the next one qualifies it ("HCPCS and CPT" are two things)."""

    def qualifies(f: Found, nxt: Found) -> bool:
        touching = terms[f.end - 1].index + 1 == terms[nxt.start].index
        return touching and f.concept in lexicon.ancestors(nxt.concept)

    return [
        f
        for f, nxt in zip(found, [*found[1:], None], strict=False)
        if nxt is None or not qualifies(f, nxt)
    ]


SETTING_WORDS = 4  # words, at most, after the preposition of a setting that ends a question
_SETTING_LEAD = frozenset({"for", "under", "with", "to", "in", "on", "through"})


def _setting(
    lexicon: Lexicon, found: list[Found], terms: list[Term], flat: str
) -> tuple[int, str] | None:
    """Where a short phrase that ends the question names only the payer it applies to ("which modifier is for a bilateral procedure for a Medicare patient?", "JZ
    modifier for Medicare"), as the index of its first word among the terms' indexes and the
    flat text before it; None when there is none. A setting that is all the question names
    is its topic, not a setting."""
    if len(found) < 2 or not flat:
        return None
    said = flat.split(" | ")
    last = said[-1].split()
    lead = next(
        (
            j
            for j in range(len(last) - 2, max(0, len(last) - SETTING_WORDS - 2), -1)
            if last[j] in _SETTING_LEAD
        ),
        None,
    )
    if lead is None:
        return None
    start = sum(len(p.split()) + SENTENCE_GAP for p in said[:-1]) + lead

    def payer(f: Found) -> bool:
        return a_payer(lexicon, f.concept)

    inside = [f for f in found if terms[f.start].index > start]
    outside = [f for f in found if terms[f.start].index <= start]
    if not inside or not all(map(payer, inside)) or all(map(payer, outside)):
        return None
    return start, " | ".join([*said[:-1], " ".join(last[:lead])])


# "When a patient has ..., do I need modifier 25?": a condition, then the question itself.
# ("To bill 99214, does the note need ...?": a purpose, said first, is such a condition)
_CONDITION = re.compile(
    r"^(?:when|if|for|since|after|before|while|once|to)\b[^,]*,\s*(\S.*)$", re.I
)


_DIFFERENT_FROM = re.compile(r"\b(?:different|differs?|differing)\s+(?:from|than)\b")


# "different from other ...", "unlike other ...", "compared with other ...": set against the
# rest of its kind
_FROM_THE_REST = re.compile(
    r"\b(?:(?:different|differs?|differing|distinct)\s+(?:from|than)|unlike|"
    r"compared?\s+(?:to|with)|vs|versus)\s+(?:the\s+|all\s+)?(?:other|others)\b"
)


def _against_the_rest(lexicon: Lexicon, flat: str, terms: Sequence[Term]) -> int | None:
    """Where a comparison sets what it names against the rest of its kind ("how are S codes
    different from other HCPCS codes?"): the word index of "other", when every comparison cue
    of the question is such a one; else None."""
    hits = list(_FROM_THE_REST.finditer(flat))
    if not _every_cue_at(lexicon, flat, {m.start() for m in hits}):
        return None
    last = hits[-1]
    return _word_index(flat).get(last.end() - len(last.group().split()[-1]))


def _every_cue_at(lexicon: Lexicon, flat: str, starts: set[int]) -> bool:
    """Whether there are such places and every comparison cue of the question takes in one of
    them (else another cue compares too: "difference between", "versus")."""
    return bool(starts) and all(
        any(begin <= at < end for at in starts) for begin, end in lexicon.cue_spans(flat, "compare")
    )


def _word_index(flat: str) -> dict[int, int]:
    """Each word's index among the flat text's words, by where it starts."""
    return {start: index for index, (start, _end) in Lexicon.word_places(flat).items()}


def _one_thing_twice(
    lexicon: Lexicon, flat: str, terms: Sequence[Term], found: Sequence[Found]
) -> bool:
    """Whether "different from" sets one concept against itself: the concept named right
    after the cue is one the same sentence named before it ("the HCPCS dose is different from
    the dose given" sets a dose against a dose). Only when every comparison cue is such a one:
    "difference between" and "versus" compare what they name."""
    starts = {m.start() for m in _DIFFERENT_FROM.finditer(flat)}
    if not _every_cue_at(lexicon, flat, starts):
        return False
    place = _word_index(flat)
    for at in (place[s] for s in starts):
        after = next((f for f in found if at < terms[f.start].index < at + SENTENCE_GAP), None)
        if after is None or not any(
            g.concept == after.concept and at - SENTENCE_GAP < terms[g.end - 1].index < at
            for g in found
        ):
            return False
    return True


def _which_of_two(lexicon: Lexicon, text: str) -> bool:
    """Whether a question ends by asking which of two things ("does Medicare use CPT or
    HCPCS?"); "... to decide whether a patient is new or established?" does not. Two codes
    after a verb of choosing ("Should I use 59 or XS on this claim?") and the same thing said
    twice ("on the day we cast or the day we deliver") offer a choice wherever they stand."""
    if _WHETHER.search(text):
        return False
    # (codes named in a leading condition are what it is about, not what is chosen: "When
    # billing code 11720 or 11721, does the note need the class findings?")
    condition = _CONDITION.match(text)
    asked = condition.group(1) if condition else text
    chosen = _CODES_TO_CHOOSE.search(asked)
    if chosen and _SUBORDINATE.search(_last_sentence(asked[: chosen.start()])):
        chosen = None  # ("Is 25 used when billing 99213 or 99214?": a time, not a choice)
    return bool(
        (_EITHER_OR.search(text) and _choice(lexicon, text))
        or chosen
        or _SAME_THING_TWICE.search(text)
    )


def _asking_inside(stem: str) -> str | None:
    """The one sentence that asks, when sentences that ask nothing follow it."""
    if _ends_asking(stem) or "?" not in stem:
        return None  # (the last sentence is read as the question then, or none asks)
    asking = questions(sentences(stem))
    return asking[0] if len(asking) == 1 else None


_AFTER_QUOTE = re.compile(r"[\"\u201d]\s+([^\"\u201c\u201d]+)$")


# Words in brackets that ask nothing: a code's description, an example, an aside.
_BRACKETED = re.compile(r"\([^()?]*\)")


def _main_clause(stem: str, last: str) -> str:
    """The last sentence without a leading condition, read as the lexicon reads it. A
    semicolon ends a clause that may ask on its own ("... my focus is one diagnosis; when
    estimating the complexity can I count the comorbidities?"), though not inside brackets
    ("should I code 73120 (hand; two views) and 73130?": what is in them asks nothing)."""
    if "(" in stem:
        stem = _BRACKETED.sub(" ", stem)
    sentences = [s for s in re.split(r"[.?!;]+(?:\s|$)", stem) if s.strip()]
    if not sentences:
        return last
    sentence = sentences[-1].strip()
    if "," in sentence and (_ends_asking(stem) or "?" not in stem):
        # "I bill Medicare Part A, do I need the CQ modifier?": the question after the comma,
        # its mark left out too ("In lab claims, is the rendering NPI in item 24J"). Or after
        # an earlier comma, when the commas after it only list or qualify ("As it pertains to
        # risk adjustment, is the coder allowed to code the BMI alone, without obesity, ...?").
        parts = sentence.split(",")
        for k in range(len(parts) - 1, 0, -1):
            clause = " ".join(words(",".join(parts[k:])))
            # ("I know CXR is bundled, but is EKG bundled too?": the conjunction asks nothing)
            clause = re.sub(r"^(?:but|and|so|then|yet)\s+", "", clause)
            if _YES_NO.match(clause) and (_ends_asking(stem) or _ASKED_OF.match(clause)):
                return clause
            if k == len(parts) - 1 and _STATED.match(clause) and stem.rstrip().endswith("?"):
                return clause  # ("Just to clarify, we can also accept an NP's signature?")
            if _WH.match(clause):
                break
    quoted = _AFTER_QUOTE.search(sentence) if '"' in sentence or "\u201d" in sentence else None
    if quoted and _ends_asking(stem):
        # 'The note says: "... is 75 min" can I choose the level by time?': what is asked
        # follows the quoted words
        clause = " ".join(words(quoted.group(1)))
        if _YES_NO.match(clause):
            return clause
    m = _CONDITION.match(sentence)
    clause = " ".join(words(m.group(1))) if m else ""
    if _YES_NO.match(clause) and not _ends_asking(stem) and not _ASKED_OF.match(clause):
        clause = ""  # ("When a patient is new, do not bill 99211": an instruction)
    if not (_YES_NO.match(clause) or _WH.match(clause)):
        # No comma after the condition, or one inside it ("(such as an x-ray, CT scan or
        # endoscopy) does ..."): the question may still follow it.
        return _after_unmarked_condition(sentence, stem) or clause or _whole(sentence, last)
    return clause


# Without its question mark, a clause asks when a subject follows its auxiliary ("is the
# rendering NPI ...", "can I bill ...", "will Medicare still pay ...", "is EKG also bundled
# ..."), not a verb ("..., such as wheelchairs, is reported using", "..., do not bill 99211",
# "..., should be billed", "..., is being", "..., is paid").
_ASKED_OF = re.compile(
    rf"^\w+\s+(?:{SUBJECT}|(?!(?:not|be|been|being|paid|made|done|given|seen|sent|billable|"
    r"payable|reportable|required|needed|allowed|covered|included|bundled|considered)\b)"
    r"[a-z][a-z0-9/-]*(?<!ed)(?<!ing)\b)"
)


def _first_clause(stem: str, first: str) -> str:
    """The first sentence without a leading condition, read as the lexicon reads it."""
    if _YES_NO.match(first):
        return first
    said = sentences(stem)
    return _main_clause(said[0], first) if said else first


def _ends_asking(text: str) -> bool:
    """Whether a text ends with a question mark, inside a closing bracket or quote too
    ("... (such as a car accident or man-down?)")."""
    return text.rstrip().rstrip(")]\"'\u201d\u2019 ").endswith("?")


def _whole(sentence: str, last: str) -> str:
    """The last part of a question as the lexicon split it, or its whole last sentence when a
    bracket cut the part off its start ("Should we report Current Procedural Terminology
    (CPT) code 82948?": the part "cpt code 82948" asks nothing; the sentence asks yes or no)."""
    if _YES_NO.match(last) or _WH.match(last):
        return last
    return " ".join(words(sentence))


# A question word that starts the main clause of "When billing X do I need ...?" (no comma).
_ASKING = re.compile(r"^(?:does|do|did|can|could|should|must|will|would|may|shall)$")
_BEING = re.compile(r"^(?:is|are|was|were)$")


# Words that open a condition, purpose or setting before the question ("For RHC visits under
# revenue code 0521 does modifier CG apply?")
_LEADING = frozenset("when if to for since after before while once during".split())


def _after_unmarked_condition(sentence: str, stem: str) -> str | None:
    """The question after a leading condition or purpose written without a comma ("When
    documentation is requested for a lab test does documentation from the ordering provider
    need to be submitted?", "To use modifier 73 does the patient have to be in the room?"):
    from the last "does", "can", "should"... (or "is", "are" before its subject) that comes
    at least three words after the condition's first word, with no question word on the way
    ("When a patient is seen in the ED what code do I use?" asks which)."""
    said = words(sentence)
    if len(said) < 6 or said[0] not in _LEADING or not _ends_asking(stem):
        return None
    for i in range(len(said) - 2, 3, -1):
        if _ASKING.match(said[i]) or (
            # ("If 99213 is billed alone is it paid in full?": "is" asks when its subject follows)
            _BEING.match(said[i]) and re.match(SUBJECT, said[i + 1])
        ):
            if any(_WH.match(w) for w in said[1:i]):
                return None
            return " ".join(said[i:])
    return None


_OPTION_MARK = re.compile(r"(?:^|\s)\(?([a-eA-E])(?:[).]|\s*[-:])\s+")


_BARE_MARK = {letter: re.compile(rf"(?:^|\s){letter}\s+(?=\S)") for letter in "abcdeABCDE"}


def _bare_marks(text: str) -> list[tuple[str, int, int]]:
    """Options lettered without punctuation ("... data a CPT Category I codes b CPT Category
    II codes c ..."): the letters a, b, c (and d, e), in order and in one case, each a word of
    its own before text; ``(letter, start, end)`` of each mark, or [] when there are not at
    least three."""
    for letters in ("abcde", "ABCDE"):
        marks: list[tuple[str, int, int]] = []
        at = 0
        for letter in letters:
            m = _BARE_MARK[letter].search(text, at)
            if m is None:
                break
            marks.append((letter.upper(), m.start(), m.end()))
            at = m.end()
        if len(marks) >= 3:
            return marks
    return []


def _offered(
    lexicon: Lexicon, terms: list[Term], options: tuple[tuple[str, str], ...], tail: str
) -> tuple[str, ...]:
    """The keys of pasted options that the stem does not say, each once (not their letters)."""
    said = {t.term for t in terms}
    offered = " ".join(text for _letter, text in options) or tail
    return tuple(dict.fromkeys(t.term for t in lexicon.terms(offered) if t.term not in said))


# The bullet signs a pasted list may put before its lettered options ("• A) 96360"): no part of
# the option before them.
_BULLET_SIGNS = "\u25e6\u2022\u25aa\u25cb\u25cf\u2023\u2219\u00b7"


def _options(tail: str) -> tuple[tuple[str, str], ...]:
    """The lettered options of a pasted multiple-choice question, in order."""
    bare = _bare_marks(tail)
    if bare and not _OPTION_MARK.search(tail):
        return tuple(
            (letter, tail[end : nxt[1] if nxt else len(tail)].strip(" ,;.\n\t-" + _BULLET_SIGNS))
            for (letter, _s, end), nxt in zip(bare, [*bare[1:], None], strict=False)
        )
    marks = list(_OPTION_MARK.finditer(tail))
    out = []
    for m, nxt in zip(marks, [*marks[1:], None], strict=False):
        text = tail[m.end() : nxt.start() if nxt else len(tail)].strip(" ,;\n\t-" + _BULLET_SIGNS)
        if text:
            out.append((m.group(1).upper(), text))
    letters = [letter for letter, _t in out]
    return tuple(out) if len(out) >= 2 and len(set(letters)) == len(letters) else ()


# (at the start of any sentence: "I work in a small practice. Question 2: Can you ...", "4Q:")
_NUMBERED = re.compile(r"(?:^|(?<=[.?!]))\s*(?:question\s*\d*|q\s*\d*|\d+\s*q)\s*[.:)]\s*", re.I)
_BARE_Q = re.compile(r"^\s*q\s+", re.I)
# A closing courtesy that asks nothing ("... billed together? Please advise.", "Thanks!"):
# the question before it is what is asked. Thanks need no full stop before them ("... at the
# same time Thanks in advance!"); the others do ("What is TIA" asks about an abbreviation).
_THANKS = (
    r"thanks?(?:\s+you)?(?:\s+(?:so\s+much|very\s+much|in\s+advance))?"
    r"(?:\s+for\s+(?:your|any|the)\s+(?:help|time|advice|input|assistance))?"
)
_COURTESY = re.compile(
    r"(?:(?<=[?.!])\s+(?:please\s+(?:advise|suggest|help|clarify|confirm|let\s+me\s+know)|tia"
    r"|any\s+(?:help|advice|input|suggestions?|guidance)(?:\s+(?:is|would\s+be))?"
    r"(?:\s+(?:greatly|much|really))?(?:\s+appreciated)?"
    # ("I can't log into the portal. Who can assist me?": who helps is asked of the story)
    r"|(?:who|can\s+(?:you|anyone|someone|somebody))\s+(?:can\s+|could\s+)?"
    r"(?:please\s+)?(?:help|assist)(?:\s+(?:me|us))?(?:\s+with\s+(?:this|that))?\s*\?*)"
    # ("... B. False Any help would be appreciated.": said in full, it needs no full stop)
    r"|(?<=[\w?.!])\s+any\s+(?:help|advice|input|suggestions?|guidance)\s+(?:is|would\s+be)"
    r"\s+(?:(?:greatly|much|really)\s+)?appreciated"
    rf"|(?<=[\w?.!])\s+{_THANKS})\s*[.!]*\s*$",
    re.I,
)


def bare(text: str) -> str:
    """The question without a greeting or "can you tell me" before it, or a closing courtesy
    after it ("Hi, can you tell me what does K02 mean? Thanks!" is "what does K02 mean?")."""
    return without_courtesy(_unopened(text)).strip()


def _unopened(text: str) -> str:
    """The text without what opens it and asks nothing: a greeting, "can you tell me", "so"."""
    return _CARRY_ON.sub("", _EXPLAIN.sub("", _GREETING.sub("", text.lstrip(), count=1)))


def without_courtesy(text: str) -> str:
    """The text without the closing courtesies that ask nothing ("Please advise.", "Who can
    assist me? Thanks in advance!")."""
    for _ in range(3):
        shorter = _COURTESY.sub("", text)
        if shorter == text:
            break
        text = shorter
    return text


# A person named by title and surname in a story ("Dr. Red works at a primary care practice",
# "Mrs. Jones has Medicare Part B"): the name says who, not what about, and a rare surname would
# weigh like a topic. A doctor is read as the physician; anyone else so named, as the patient.
_TITLED_NAME = re.compile(r"\b(?:(Dr)|Mrs|Mr|Ms)\.?\s+[A-Z][a-z]+\b")


def _without_names(text: str) -> str:
    return _TITLED_NAME.sub(lambda m: "the physician" if m.group(1) else "the patient", text)


# Ways of asking "can X do Y?" with the doer in the middle, which no phrase of fixed words
# reads: "Is a nurse practitioner able (allowed, permitted) to bill ...?", "Is it OK
# (possible, appropriate, acceptable) for the physician to report ...?". Read as "Can ...".
_START = r"(?:^|(?<=[.?!,]\s))"
_ABLE_TO = re.compile(
    _START + r"(?:is|are)\s+((?:[\w/&'-]+\s+){1,4}?)(?:able|allowed|permitted)\s+to\s+",
    re.I,
)
_FOR_TO = re.compile(
    _START + r"(?:is|would)\s+it\s+(?:be\s+)?(?:ok|okay|possible|appropriate|acceptable|"
    r"permissible|correct|proper|allowed)\s+for\s+((?:[\w/&'-]+\s+){1,5}?)to\s+",
    re.I,
)


# "Is 97530 billable with 97110?": the adjective asks what "Can 97530 be billed ...?" asks, and
# so it does inside another question ("Does anyone know if fracture care is billable ...?");
# "a billable code" (a diagnosis code valid on a claim) is no such question.
_NOT_VALIDITY = r"(?!\s+(?:codes?|diagnos\w*|icd|dx|status)\b)"
_ABLE_ADJECTIVE = re.compile(
    _START + r"(?:is|are)\s+((?:[\w/&'.-]+\s+){1,6}?)(bill|report)able\b" + _NOT_VALIDITY, re.I
)
_IF_ABLE = re.compile(
    r"(?:(?<=\bif\s)|(?<=\bwhether\s))((?:[\w/&'.-]+\s+){1,6}?)(?:is|are)\s+(bill|report)able\b"
    + _NOT_VALIDITY,
    re.I,
)
# (a diagnosis code said before "billable" asks whether it is valid on a claim)
_DIAGNOSIS_CODE = re.compile(r"\b[A-TV-Z]\d[\dA-Z](?:\.[\dA-Z]{1,4})?\b")


def _billed_as(said: str) -> Callable[[re.Match[str]], str]:
    """A replacement that says "billable" as ``said`` ("Can {}be {}ed"), but leaves a diagnosis
    code's "billable" as written."""

    def billed(m: re.Match[str]) -> str:
        if _DIAGNOSIS_CODE.search(m.group(1)):
            return m.group(0)
        return said.format(m.group(1), m.group(2))

    return billed


_BILLED = (
    (_ABLE_ADJECTIVE, _billed_as("Can {}be {}ed")),
    (_IF_ABLE, _billed_as("{}can be {}ed")),
)


# Examples listed in brackets ("different specialties (e.g., Pain Management, Podiatry,
# Rheumatology)"): what they are examples of is named outside them, and the examples would
# weigh as topics of their own.
_EXAMPLES = re.compile(
    r"\s*\((?:e\.?\s?g\.?|for example|for instance|such as|like)[,:]?\s+[^()]*,[^()]*\)", re.I
)


def _as_can(text: str) -> str:
    """The question with its "is X able to" or "is it OK for X to" opening read as "Can X",
    and its "is X billable" as "Can X be billed"."""
    lowered = text.lower()
    if "billable" in lowered or "reportable" in lowered:
        for pattern, billed in _BILLED:
            text = pattern.sub(billed, text)
        lowered = text.lower()
    if " to " not in lowered:
        return text
    if "able to " in lowered or "allowed to " in lowered or "permitted to " in lowered:
        text = _ABLE_TO.sub(lambda m: f"Can {m.group(1)}", text)
    if " it " in lowered and " for " in lowered:
        text = _FOR_TO.sub(lambda m: f"Can {m.group(1)}", text)
    return text


# A word that only carries the talk on ("So what are V codes?", "... Well, can we bill it?"):
# the question after it is what is asked, yes/no or not.
_CARRY_ON = re.compile(
    r"(?:^|(?<=[.?!]\s))(?:(?:ok|okay|alright|right)[,]?\s+)?"
    r"(?:so|well|now|also|and|but|then|next|further(?:more)?|additionally|moreover|besides|"
    r"lastly|finally|second(?:ly)?|third(?:ly)?)\s*,?\s+"
    r"(?=(?:is|are|am|was|were|does|do|did|can|could|should|will|would|may|must|has|have|"
    r"what|which|who|when|where|why|how)\b)",
    re.I,
)


# A request to explain a question that follows as it would be asked ("Can someone explain are
# CPT and HCPCS the same thing?", "Please explain when was HCPCS created?", "Can you tell me is
# ICD-10-PCS used for inpatient?", "Tell me who maintains CPT"): the question is read on its
# own, so that it asks yes or no, or when.
_EXPLAIN = re.compile(
    rf"(?:^|(?<=[.?!]\s))(?:{_REQUESTER})?(?:please\s+)?(?:explain\s+(?:to\s+me\s+)?|tell\s+me\s+|"
    r"let\s+me\s+know\s+|help\s+me\s+understand\s+)"
    r"(?=(?:is|are|am|was|were|does|do|did|can|could|should|will|would|may|must|has|have|"
    r"what|which|who|when|where|why|how)\b)",
    re.I,
)


# Options pasted as a bulleted list ("◦ is used to ...", "• Appendix A"), lettered here so that
# they read like "A) ... B) ...": bullet signs, or lines that start with "-" or "*".
_BULLET = re.compile(r"(?:^|(?<=\s))[\u25e6\u2022\u25aa\u25cb\u25cf\u2023\u2219\u00b7]\s*")
_DASH_LINE = re.compile(r"(?m)^\s*[-*]\s+(?=\S)")
_TIGHT = re.compile(r"(?:^|(?<=\s))\(?([A-Ea-e])\)(?=[^\s)])")
_TIGHT_LINE = re.compile(r"(?m)^[ \t]*\(?([A-Ea-e])\.(?=[^\s.])")  # "A.99201" opening a line
_LETTERED = re.compile(r"(?:^|\s)\(?[aA][).]\s+\S.*?\s\(?[bB][).]\s+\S", re.S)
_NUMBER_LINE = re.compile(r"(?m)^\s*([1-5])[.)]\s+(?=\S)")  # "1. ...", "2) ..." on their own lines
_NUMBER_INLINE = re.compile(r"(?:^|(?<=\s))([1-5])\)\s+(?=\S)")  # "... 1) 11 2) 11c 3) 11a"
# "...? 1. Claim Summary 2. Explanation of Benefits 3. ...": in a line, after the question (its
# mark or a colon) only
_NUMBER_DOT_INLINE = re.compile(r"(?:^|(?<=\s))([1-5])\.\s+(?=[A-Za-z])")


# Some character that one of the patterns below needs.
_MAY_LIST = re.compile(r"[)\n\u25e6\u2022\u25aa\u25cb\u25cf\u2023\u2219\u00b7]|\d\.\s|^\s*[-*]\s")


def _lettered(text: str) -> tuple[str, bool]:
    """``text`` with a bulleted list of two to five options (three to five dashed lines, or
    lines numbered 1, 2, 3..., or "1) ... 2) ... 3) ..." in a line, or "1. ... 2. ... 3. ..."
    in a line after the question's mark or a colon) lettered A, B, C...; other text as it is.
    And whether the options so lettered were numbered (a reply names them as pasted)."""
    if not _MAY_LIST.search(text):
        return text, False  # (most questions: no bracket, line, bullet, dash or "1. ")
    for tight_mark in (_TIGHT, _TIGHT_LINE):  # "A)outpatient B)inpatient", "A.99201" lines
        tight = list(tight_mark.finditer(text))
        if [m.group(1).upper() for m in tight[:2]] == ["A", "B"]:
            text = tight_mark.sub(lambda m: m.group(0) + " ", text)
    if _LETTERED.search(text):
        return text, False  # lettered already ("- A) 99285")
    patterns = ((_BULLET, 2), (_DASH_LINE, 3), (_NUMBER_LINE, 3), (_NUMBER_INLINE, 3))
    for pattern, least in (*patterns, (_NUMBER_DOT_INLINE, 3)):
        marks = list(pattern.finditer(text))
        if pattern is _NUMBER_DOT_INLINE and marks and not _asked_before(text, marks[0].start()):
            continue
        numbered = pattern in (_NUMBER_LINE, _NUMBER_INLINE, _NUMBER_DOT_INLINE)
        if numbered and [m.group(1) for m in marks] != [str(i + 1) for i in range(len(marks))]:
            continue  # numbered lines count as options only as 1, 2, 3...
        if least <= len(marks) <= 5 and marks[0].start() >= 8:
            out, at = [], 0
            for letter, m in zip("ABCDE", marks, strict=False):
                out += [text[at : m.start()], f" {letter}) "]
                at = m.end()
            return "".join(out) + text[at:], numbered
    return _plain_lines(text), False


# Options pasted from a quiz page as bare lines under the question ("Which of the following ...?"
# then "Acute appendicitis", "Exposure to fire", ... one to a line): short lines, none a question
# or a sentence of its own, after a stem that asks which or what.
PLAIN_OPTION_CHARS = 80
_ASKS_TO_CHOOSE = re.compile(r"\b(?:which|what)\b", re.I)


def _plain_lines(text: str) -> str:
    """``text`` with three to five bare option lines under a question lettered A, B, C...;
    other text as it is."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    stem, rest = lines[0], lines[1:]
    if not (
        3 <= len(rest) <= 5
        and stem.endswith("?")
        and _ASKS_TO_CHOOSE.search(stem)
        and all(len(o) <= PLAIN_OPTION_CHARS and not o.endswith(("?", ":", ".")) for o in rest)
    ):
        return text
    return stem + "".join(f" {letter}) {o}" for letter, o in zip("ABCDE", rest, strict=False))


def _asked_before(text: str, at: int) -> bool:
    """Whether the question is asked before ``at``: its mark, or a colon that ends its stem
    when nothing after it asks ("This code followed by two dates is a span of time: 1.
    Occurrence Code 2. ..."; not "What happened: 1. We billed ... 3. Why was it denied?")."""
    if 0 <= text.find("?") < at:
        return True
    return 0 <= text.find(":") < at and "?" not in text[at:]


# A few words before a colon or a dash that open a question ("Hi all, quick question: ...",
# "Hello everyone - ...", "Scenario: ...").
_PREAMBLE = re.compile(r"^\s*([^:?!.\n]{2,60}?)\s*(?::|\s[-\u2013\u2014]\s)\s*(?=\S)")
PREAMBLE_WORDS = 6


SCENE_BEFORE_STORY = 2  # sentences after an opening about the asker that make it a story's
# A short first sentence with more after it (one that reads as nothing is a few words).
_SHORT_OPENING = re.compile(r"\s*[^.!?\n]{1,60}[.!?]+\s+(?=\S)")


def _without_preamble(lexicon: Lexicon, text: str) -> str:
    """The question without an opening that names nothing it is about ("Hi all, quick
    question: Can CPR and critical care be billed together?" is a yes/no question): a first
    sentence of no content word, or a few words before a colon or a spaced dash that name no
    concept. A label that asks something of its
    own ("True or False: ...") or names a topic ("Modifier 25: when is it used?") stays."""
    first = _SHORT_OPENING.match(text)
    if first is not None and not lexicon.terms(first.group(0)):
        # ("Hi all, quick question. Rule-out diagnoses are coded as if they exist.": an opening
        # sentence that reads as nothing leaves the statement to judge alone)
        text = text[first.end() :]
    elif (
        first is not None
        and len(sentences(_stem(text)[0])) > SCENE_BEFORE_STORY  # (options pasted are none)
        and _only_the_asker(lexicon, first.group(0))
    ):
        # ("I just started as a billing specialist. I received a denial for ... Has the coding
        # changed?": who asks is no part of the story, which is read as it would be alone)
        text = text[first.end() :]
    m = _PREAMBLE.match(text)
    if m is None or _TRUE_FALSE_LEAD.match(text):
        return text
    opening = m.group(1)
    if len(words(opening)) > PREAMBLE_WORDS or lexicon.find_concepts(lexicon.terms(opening)):
        return text
    return text[m.end() :]


# What a follow-up question may ask and still ask nothing of its own ("Also, is there a good
# reference for this?", "Any thoughts?", "Can anyone help?").
_FOLLOW_UP_INTENTS = frozenset({"where", "define"})
_ANSWER_FORM = re.compile(r"\b(yes or no|true or false)\b", re.I)  # how to answer: kept


def _without_follow_ups(lexicon: Lexicon, text: str) -> str:
    """The question without the questions around it that ask nothing of their own (after the
    first that names a topic, or before the first sentence that names one: "Does anyone know?
    ..."): no concept, no code or number, nothing out of scope and nothing but where to look ("Which modifier shows a bilateral
    procedure? Also, is there a good reference for this?" asks which modifier)."""
    said = sentences(text)
    if len(said) < 2:
        return text
    asking = [i for i, s in enumerate(said) if questions([s])]
    if not asking:
        return text
    known: dict[int, bool] = {}

    def names(i: int) -> bool:  # (each sentence read once)
        if i not in known:
            known[i] = bool(lexicon.find_concepts(lexicon.terms(said[i])))
        return known[i]

    topical = [i for i in asking if names(i)] or [len(said)]
    first = next((i for i in range(len(said)) if names(i)), -1)
    drop = {
        i
        for i in asking
        if (i > topical[0] or i < first)
        and i not in topical
        and not any(ch.isdigit() for ch in said[i])
        and not _ANSWER_FORM.search(said[i])
        and _asks_nothing(lexicon, lexicon.flat(said[i]))
    }
    if not drop:
        return text
    return " ".join(s for i, s in enumerate(said) if i not in drop)


def _asks_nothing(lexicon: Lexicon, flat: str) -> bool:
    """Whether a sentence asks nothing but where to look, and nothing out of scope either
    ("... And how much more does Medicare pay?" asks for a fee)."""
    shown = lexicon.cues_in(flat)
    return set(lexicon.intents_of(flat, shown)) <= _FOLLOW_UP_INTENTS and (
        lexicon.out_of_scope(flat, shown) is None
    )


def question_labels(text: str) -> list[tuple[int, int]]:
    """Where a question's number stands at the start of a sentence ("Q5. Is there ...",
    "Question 2:"): a label, which the reading leaves out, and no code ("Q5" is no modifier
    there)."""
    return [m.span() for m in _NUMBERED.finditer(text)]


def _unlabelled(text: str) -> str:
    """The question without a label before it: "Question 3. Which ...", "Q3. What ...", "Q:
    ...", or a bare "Q" before the question's first word ("Q Do I need ...?", not "Q codes")."""
    text = _NUMBERED.sub(" ", text).strip()
    bare = _BARE_Q.match(text)
    if bare:
        rest = text[bare.end() :]
        if _YES_NO.match(rest.lower()) or _WH.match(rest.lower()):
            return rest
    return text


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


# A request to explain the items listed after it, which are then no options.
_ITEMS_ASKED = re.compile(
    r"\W*(?:please\s+)?(?:define|differentiate|distinguish|explain|describe|compare|contrast)\b",
    re.I,
)


# Words that make a list after them options to choose from ("Please explain: What does the
# prefix brady- mean? (A) Fast (B) Slow").
_CHOOSES = re.compile(r"\b(?:what|which|who|when|where|how|why|select|choose|true|false)\b", re.I)


def _stem(text: str) -> tuple[str, bool]:
    """The question without pasted answer options, and whether there were options."""
    text = _unlabelled(text)
    if _TRUE_FALSE.search(text):
        # ("True or false. ABNs are ... a) True b) False": the mark before it goes too)
        judged = _TRUE_FALSE_LEAD.sub("", _TRUE_FALSE.sub("", text).strip()).strip()
        return judged or text, True
    if _TRUE_FALSE_LEAD.search(text):
        return _TRUE_FALSE_LEAD.sub("", text).strip(), True
    if _ITEMS_ASKED.match(text) and not _CHOOSES.search(_OPTION_SPLIT.split(" " + text, 1)[0]):
        # ("Define and differentiate: 1) First listed diagnosis 2) Principal diagnosis": the
        # items listed are what is asked about, not options to choose from)
        return text, False
    if _OPTIONS.search(_NAMED_LETTERS.sub(_blank, text)):
        mark = text.find("?")
        if mark >= 8 and _OPTIONS.search(text[mark:]):
            return text[: mark + 1], True
        parts = _OPTION_SPLIT.split(" " + text, maxsplit=1)
        head = parts[0].strip()
        if len(head) >= 8:
            return head, True
    bare = _bare_marks(text)
    if bare and bare[0][1] >= 8:
        return text[: bare[0][1]].strip(), True
    return text, False
