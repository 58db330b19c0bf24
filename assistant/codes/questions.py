"""What a question asks about the codes in it, answered from the data: ``lead(question, infos)``.

Questions that name a code usually ask something about it: is 99500 an E/M code, is E11.9
billable, is C9089 still valid, how many units of J3301 for 40 mg, does it need a modifier.
:func:`lead` returns the Markdown that answers that, to be shown above the code cards, or None
when the question asks nothing this module can answer. It is a pure function of the question,
the classified codes (which carry what the loaded data says) and the section facts: it never
claims what the data does not say, and it says where the rest is decided.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.codes import hourly, repairs
from assistant.codes.classify import CodeInfo, release_name
from assistant.core.facts import DrugUnit, Facts
from assistant.core.text import lower_first, questions, sentences, stem
from assistant.core.understand import opens_yes_no

# --- what is asked -------------------------------------------------------------------------------

STATUS_WORDS = re.compile(
    # ("billable as 2 units" asks about units, not whether the code is current)
    r"\b(billable(?!\s+(?:as|for|with|under|in|on|at|by)\b)|valid|invalid|active|inactive|terminated|deleted|discontinued|expired|"
    r"obsolete|current(?!\s+procedural)|exists?|real|end[- ]?dated|in effect|replaced)\b",
    re.I,
)
# "still" and "currently" ask about status only beside a word of use: "can 99201 still be used?",
# not "is it still appropriate to append QZ?", nor with a condition after it, or told before
# it, which it holds despite ("can we still bill 99234 after a 5-hour stay?", "The patient left
# after 5 hours. Can we still bill 99234?")
STILL_USED = re.compile(
    r"\b(?:still|currently)\s+(?:be\s+)?(?:used|use|usable|in use|billed|bill|reported|report|"
    r"good|around|available|accepted|recogni[sz]ed|a code)\b"
    r"(?![^.?!]*\b(?:after|if|when|even|since|though|although|because|once|unless|without|"
    r"despite)\b)",
    re.I,
)
_TOLD_BEFORE = re.compile(r"[.!?]\s")


def asks_status(question: str) -> bool:
    """Whether a question asks if its code is current (valid, deleted, still used...)."""
    if STATUS_WORDS.search(question):
        return True
    m = STILL_USED.search(question)
    return m is not None and not _TOLD_BEFORE.search(question, 0, m.start())


# A status asked the other way round: whether a code has ended, not whether it is current.
ASKS_ENDED = re.compile(
    r"\b(deleted|terminated|discontinued|expired|obsolete|inactive|invalid|end[- ]?dated|retired|"
    r"replaced)\b",
    re.I,
)
UNITS_WORDS = re.compile(r"\bunits?\b", re.I)
UNITS_ASKED = re.compile(
    r"\bhow many\b|\b(bill|report|code|charge|enter|put|submit)\w*\b|\bunits? of service\b"
    r"|\bper unit\b|\bunit of measure\b|\bunits\s*\?",
    re.I,
)
HOW_MANY = re.compile(r"\bhow many\b|\bhow much\b", re.I)
YES_NO_START = re.compile(r"^\W*(is|isn'?t|are|does|do|was|would|can|could|should)\b", re.I)
THERE_IS = re.compile(r"^\W*(is|are|was|were)\s+there\b", re.I)
BELONGS = re.compile(r"\b(belongs?|part of|considered|fall[s]? (under|in))\b", re.I)

COVERAGE = re.compile(
    r"\b(covered|covers?|coverage|non-?covered|medically necessary|medical necessity|"
    # ("how should we bill to get paid for all three tests?" asks how to bill, not coverage)
    r"prior auth\w*|pre-?auth\w*|pre-?cert\w*|lcds?|ncds?|pays? for|(?<!get )(?<!be )paid for)\b",
    re.I,
)
# A code that "covers" a service describes it ("does G0289 cover a loose body in another
# compartment?", "which code covers both?"): what the code includes, not insurance coverage.
CODE_COVERS = re.compile(
    r"\b(?:codes?|\d{4}[\dFTUM]|[A-V]\d{4})\s+(?:also\s+|still\s+|really\s+)?covers?\b", re.I
)
NEEDS_MODIFIER = re.compile(
    r"\b(need|needs|require|requires|required|use|add|append|attach)\w*\s+(an?\s+|any\s+|the\s+)?"
    r"modifiers?\b|\b(which|what)\s+modifiers?\b|\bmodifiers?\s+(needed|required)\b",
    re.I,
)
WHO_BILLS = re.compile(
    r"\bcan\s+(an?\s+|the\s+|our\s+)?(np|nps|pa|pas|nurse practitioners?|physician assistants?|"
    r"rns?|nurses?|therapists?|chiropractors?|podiatrists?|mid-?levels?|cnms?|cnss?|"
    r"psychologists?|social workers?|lcsws?|residents?|students?|hospitalists?|dentists?)\s+"
    r"(bill|report|use|code)\b|\bwho can (bill|report|use)\b|\bincident[- ]to\b",
    re.I,
)
EDITS = re.compile(
    r"\bhow often\b|\bfrequency\b|\bmues?\b|\bncci\b|\bbundl\w*\b|\bunbundl\w*\b"
    # (billed "with modifier 50" is how it is billed, not with which other codes)
    r"|\b(billed|bill|report\w*) (it )?(together|with(?! (an? |the )?(modifier|mod)\b))\b",
    re.I,
)


def lead(
    question: str,
    infos: Sequence[CodeInfo],
    release: str | None = None,
    facts: Facts | None = None,
    classes: Classes = (),
) -> str | None:
    """Markdown answering what ``question`` asks about its codes, or None.

    ``infos`` are the question's codes as classified (with the imported data's description,
    status and dates, if any); ``release`` names the imported HCPCS file's release (the one
    the codes were looked up in comes first); ``facts`` the section facts, for the ranges a
    yes/no answer quotes; ``classes`` the names of the classes a yes/no question may ask a code
    to be in (the lexicon's ``code_classes``), in the order they are tried."""
    if not infos or not question.strip():
        return None
    release = next((c.release for c in infos if c.release), release)
    codes = [c for c in infos if "modifier" not in c.system] or list(infos)
    parts: list[str] = []
    membership = _membership(question, codes, facts, classes)
    status = []
    if asks_status(question):
        status = [line for c in codes[:3] if (line := _status(c, release))]
        if ASKS_ENDED.search(question) and not asks_status(ASKS_ENDED.sub(" ", question)):
            # "was 92506 deleted?": the status lines say whether it is current, so their Yes
            # and No answer the opposite question
            status = [_opposite(line) for line in status]
    # "is E11.9 a valid diagnosis code": the status line says yes; a "No" is kept with it
    if membership and not (status and membership.startswith("Yes")):
        parts.append(membership)
    parts += status
    per_unit = (
        _per_unit(question, codes, facts)
        or _drug_named(question, codes, facts)
        or _icd_named(question, codes)
    )
    if per_unit:
        parts.insert(0, per_unit)
    elif by_hour := hourly.units(question, facts, codes):
        # "96360 and 96361 for hydration from 11 pm to 2 am?": the hours the time makes
        parts.insert(0, by_hour)
    elif repaired := repairs.worked(question, facts, codes):
        # "simple repairs of 4.4 cm on the chest and 6.2 cm on the neck: is 12004 right?"
        parts.insert(0, repaired)
    elif (
        UNITS_WORDS.search(question)
        and UNITS_ASKED.search(question)
        or (HOW_MANY.search(question) and _dose_in(question, codes))
        # ("J0897 60 mg units", "units for J1100 10 mg": a dose of the code and its units)
        or (UNITS_WORDS.search(question) and _dose_in(question, codes))
    ):
        units = _units(question, codes, release, facts)
        if units:
            parts.append(units)
    policy = _policy(question, codes, facts, modifiers_named=len(codes) < len(infos))
    if policy:
        parts.append(policy)
    parts += [line for c in codes[:3] if (line := _icd_place(question, c))]
    sequenced = _icd_notes(question, codes) or _icd_excludes(question, codes)
    if sequenced:
        parts.insert(0, sequenced)
    return "\n\n".join(parts) if parts else None


# "Can R65.20 be listed as the primary diagnosis?", "Can J02.0 be coded with J36?": what the
# Tabular List's own notes decide.
ASKS_FIRST = re.compile(
    r"\b(?:primary|first[- ]listed|principal|(?:listed|sequenced|coded|reported|placed|used)\s+"
    r"(?:as\s+)?first|first\s+(?:diagnosis|code|position))\b",
    re.I,
)
ASKS_TOGETHER = re.compile(r"\b(?:together|along\s+with|with|and)\b", re.I)
# A manifestation code's title (or its parent's) says so: "Other retinal disorders in diseases
# classified elsewhere", "Dementia in other diseases classified elsewhere, ...".
MANIFESTATION = re.compile(r"\bin (?:other )?diseases classified elsewhere\b", re.I)
ASKS_MANIFESTATION = re.compile(r"^\W*(?:is|are)\b.*\bmanifestations?\b", re.I)
UNDERLYING_FIRST = re.compile(r"(?:the\s+)?underlying\b")  # "code first underlying disease"
CONDITIONAL = re.compile(r"\bif\b")  # "underlying etiology, if applicable"
# A code an Excludes item names ("(J03.-)", "(J35.0)", "(E00-E07, E15-E16)"); an item that
# narrows its codes further ("E08-E13 with .42") is left alone.
_NOTE_CODE = re.compile(r"\b([A-Z]\d[0-9A-Z])(?:\.([0-9A-Z]{1,4}))?(?:\.-)?(?:-([A-Z]\d[0-9A-Z]))?")


def _excluded(note: str, code: str) -> bool:
    """Whether an Excludes1 or Excludes2 item names ``code`` (without its dot): the code
    itself, a code above it ("J03.-" for J03.90) or a range of categories it is in."""
    if " with " in note or "character" in note:
        return False
    for m in _NOTE_CODE.finditer(note):
        category, rest, last = m.group(1), m.group(2) or "", m.group(3)
        if last:
            if category <= code[:3] <= last:
                return True
        elif code.startswith(category + rest):
            return True
    return False


def _icd_notes(question: str, codes: Sequence[CodeInfo]) -> str | None:
    """The answer the Tabular List's notes give a yes/no question on sequencing or on two codes
    together: a code with a "code first" note, or a manifestation code, is not listed first
    (Official Guidelines I.A.13); two codes one's Excludes1 note names are not coded together
    (I.A.12.a), unless the two conditions are unrelated; two codes one's Excludes2 note names
    may be, when the patient has both (I.A.12.b)."""
    icds = [c for c in codes if c.system == "ICD-10-CM" and c.known]
    if not icds or not YES_NO_START.search(question):
        return None
    if len(icds) == 1 and ASKS_MANIFESTATION.search(question):
        # ("Is F02.80 a manifestation code?": Yes when its title, or its parent's, says so;
        # the convention marks most manifestation codes so, not all, so nothing says No)
        return _manifestation_line("Yes", icds[0])
    if len(icds) == 1 and ASKS_FIRST.search(question):
        c = icds[0]
        # (only a note that asks for the underlying condition: "code first underlying
        # disease"; not a conditional one, "code first, if applicable, ...", "underlying
        # etiology, if applicable", nor one for a setting, B20's "HIV disease complicating
        # pregnancy")
        if UNDERLYING_FIRST.match(c.code_first) and not CONDITIONAL.search(c.code_first):
            return (
                f'No: `{c.code}` has a "code first" note in the Tabular List ({c.code_first}): '
                "that condition is sequenced before it (ICD-10-CM Official Guidelines, "
                "Section I.A.13)."
            )
        return _manifestation_line("No", c)
    if len(icds) == 2 and ASKS_TOGETHER.search(question):
        excluded = _named_in_notes(icds, "excludes1")
        if excluded:
            one, note = excluded
            return (
                f"No: the Excludes1 note at `{one.code}` lists {note}: the two are not coded "
                'together (Excludes1 means "not coded here"), unless the two conditions '
                "are unrelated (ICD-10-CM Official Guidelines, Section I.A.12.a)."
            )
        both = _named_in_notes(icds, "excludes2")
        if both:
            one, note = both
            return (
                f"Yes, when the patient has both: the Excludes2 note at `{one.code}` lists "
                f"{note}, a condition that is not part of `{one.code}`, so both codes may be "
                "reported together (ICD-10-CM Official Guidelines, Section I.A.12.b)."
            )
    return None


# "What is excluded from Y92.0?", "What are the Excludes1 notes for E11.9?", "codes excluded
# with Z87.891"
ASKS_EXCLUDES = re.compile(r"\bexclud(?:e|es|ed|ing)\b|\bexcludes\s*[12]\b", re.I)


def _icd_excludes(question: str, codes: Sequence[CodeInfo]) -> str | None:
    """What the Tabular List's Excludes notes at one ICD-10-CM code (or at the codes above it
    in its category, which hold for it too) list, when the question asks what it excludes."""
    icds = [c for c in codes if c.system == "ICD-10-CM" and c.known]
    if len(icds) != 1 or not ASKS_EXCLUDES.search(question):
        return None
    c = icds[0]
    if not c.excludes1 and not c.excludes2:
        return (
            f"The Tabular List has no Excludes1 or Excludes2 note at `{c.code}` or at the codes "
            "above it in its category."
        )
    parts = []
    if c.excludes1:
        parts.append(
            f"**Excludes1** at `{c.code}` (or above it): {'; '.join(c.excludes1)}. These are "
            'coded elsewhere, never together with it ("not coded here"), unless the two '
            "conditions are unrelated (ICD-10-CM Official Guidelines, Section I.A.12.a)."
        )
    if c.excludes2:
        parts.append(
            f"**Excludes2** at `{c.code}` (or above it): {'; '.join(c.excludes2)}. These are "
            '"not included here": both codes may be reported when the patient has both '
            "(Section I.A.12.b)."
        )
    return "\n\n".join(parts)


def _manifestation(c: CodeInfo) -> str | None:
    """The words of an ICD-10-CM code's title, or of its parent's, that mark it a manifestation
    code ("in other diseases classified elsewhere"), if any."""
    for title in (c.description or "", c.parent[1] if c.parent else ""):
        m = MANIFESTATION.search(title)
        if m:
            return m.group(0)
    return None


def _manifestation_line(answer: str, c: CodeInfo) -> str | None:
    """ "Yes" to whether a code is a manifestation code, or "No" to whether it may be listed
    first, with the words of its title that say so; None when its titles do not."""
    said = _manifestation(c)
    if not said:
        return None
    return (
        f'{answer}: `{c.code}` is a manifestation code ("{said}"): it is never listed first; '
        "the underlying condition is coded first (ICD-10-CM Official Guidelines, Section "
        "I.A.13)."
    )


def _named_in_notes(pair: Sequence[CodeInfo], kind: str) -> tuple[CodeInfo, str] | None:
    """The code of two whose notes of a kind (``excludes1``, ``excludes2``) name the other, and
    the item that names it."""
    a, b = pair
    for one, other in ((a, b), (b, a)):
        bare = other.code.replace(".", "")
        note = next((n for n in getattr(one, kind) if _excluded(n, bare)), None)
        if note:
            return one, note
    return None


# Where in the ICD-10-CM tabular list a code is, as asked: "What is the parent code of Z91.81?",
# "What section is Z59.0 in?", "Which chapter is E11.9 in?"
ASKS_PARENT = re.compile(r"\bparent\b", re.I)
ASKS_BLOCK = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+){0,2}?(?:section|block|range)\b"
    r"|\b(?:section|block)\s+(?:is|does)\b",
    re.I,
)
ASKS_CHAPTER = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+){0,2}?chapter\b|\bchapter\s+(?:is|does)\b", re.I
)


def _chapter(c: CodeInfo) -> str:
    """An ICD-10-CM code's chapter, by number when known: "chapter 21, Factors ... (`Z00-Z99`)"."""
    number = f" {c.chapter}," if c.chapter else ""
    return f"chapter{number} {c.section} (`{c.range}`)"


def _icd_place(question: str, c: CodeInfo) -> str | None:
    """The line saying where an ICD-10-CM code sits that the question asks about: its parent
    code, its block of the tabular list, or its chapter."""
    if c.system != "ICD-10-CM" or not c.known:
        return None
    code = f"`{c.code}`"
    if ASKS_PARENT.search(question):
        if c.parent:
            above, described = c.parent
            return f"The parent code of {code} is `{above}` ({described})."
        if c.family:
            name, span = c.family
            return (
                f"{code} is a three-character category: it has no parent code, and it is in "
                f"the block {name} (`{span}`) of the tabular list."
            )
    if ASKS_BLOCK.search(question) and c.family:
        name, span = c.family
        return (
            f"{code} is in the block (section) {name} (`{span}`) of the ICD-10-CM tabular list"
            + (f", in {_chapter(c)}." if c.section else ".")
        )
    if ASKS_CHAPTER.search(question) and c.section:
        return f"{code} is in ICD-10-CM {_chapter(c)}."
    return None


# --- yes/no: is CODE a X code? -------------------------------------------------------------------

_E_M = "Evaluation and Management"
_PATH = "Pathology and Laboratory"
# "a J code", "K codes": a Level II letter section (the names of the other classes a code may be
# asked to be in are knowledge: knowledge/lexicon/code-classes.md).
LETTER_CODE = re.compile(r"([a-v])[- ]?codes?\b", re.I)
Classes = Sequence[tuple[re.Pattern[str], str]]
SHORT_NAMES = {_E_M: "E/M", _PATH: "Pathology and Laboratory"}
# what may stand between the code and the class asked about: "is 99500 [an] E/M code",
# "is E11.9 [a valid] diagnosis code", "does 99213 [belong to the] E/M section"; never across
# the end of a sentence ("... specifically CPT 94640. The CPT book says ...")
TARGET_LEAD = re.compile(
    r"[^\w.?!;]*(?:(?:really|also|actually|still|even|not)\s+)?"
    r"(?:(?:an?|the|in|within|under|part\s+of|considered|counted\s+as|classified\s+as|from|"
    r"one\s+of|belongs?\s+to|falls?\s+(?:under|in)|is|an?|(?:used\s+|billed\s+|reported\s+)?for)\s+)*"
    r"(?:(?:valid|real|current|billable|true|proper|official|national|temporary)\s+)?",
    re.I,
)


# a question that asks what a code is ("is 90471 for vaccine administration?")
IS_ARE = re.compile(r"\W*(?:is|are)\b", re.I)


def _membership(
    question: str, codes: list[CodeInfo], facts: Facts | None, classes: Classes
) -> str | None:
    """ "is 99500 an E/M code?" -> "No: 99500 is in the Medicine section (99500-99607); E/M is
    99202-99499". Only for a yes/no question about one code."""
    if not (YES_NO_START.search(question) or BELONGS.search(question)):
        return None
    if THERE_IS.match(question):
        return None  # "is there such a thing as ... for 01992": not "is 01992 a ..."
    info = codes[0]
    after = _text_after(question, info)
    if after is not None and _OBJECT_OF.search(question[: len(question) - len(after)]):
        # "Is an EKG covered with a Z13.6 diagnosis?": the code is what something is done
        # with, not what the question asks to place
        return None
    if after is not None and "modifier" in info.system:
        # "is the KX modifier a red flag": "modifier" is part of its name, not what is asked
        after = re.sub(r"^\W*modifiers?\b", "", after, flags=re.I)
    elif after is not None:
        # "is 99213 with modifier 25 an E/M code", "01992 modifier QZ": a modifier named after
        # the code is not the class asked about
        after = re.sub(r"^\W*(with\s+)?modifiers?\s+-?[0-9a-z]{2}\b", "", after, flags=re.I)
    lead_in = TARGET_LEAD.match(after or "")
    if after is None or lead_in is None:
        return None
    if re.search(r"\bfor\b", lead_in.group(0), re.I) and not IS_ARE.match(question):
        return None  # "can we bill 99211 for a new patient?" asks about billing, not the class
    asked = after[lead_in.end() :]
    first = _target(asked, classes)
    if first is None:
        return None
    target, end = first
    if (
        target in ("level1", "level2", "level3")
        and info.system == "CPT"
        and not re.match(r"\s*hcpcs", asked, re.I)
        and not re.match(r"\s*codes?\b", asked[end:], re.I)
        and not EITHER_OR.match(asked[end:])
    ):
        # "is 99213 a level 3 visit?", "is 88304 level 3?": the code's own level (of a visit,
        # of surgical pathology), not the HCPCS level, which a CPT code is asked about as
        # "a level I code" or "HCPCS Level I"
        return None
    either = EITHER_OR.match(asked[end:])
    if either:
        # "is 99213 CPT or HCPCS?" asks which, not yes or no.
        rest = asked[end + either.end() :]
        second = _target(rest, classes)
        options = [(asked[:end], target)] + ([(rest[: second[1]], second[0])] if second else [])
        return _which(info, options)
    return _judge(info, target, facts)


# A code named as the object of a preposition ("with a Z13.6 diagnosis", "for code 99213")
_OBJECT_OF = re.compile(
    r"\b(?:with|for|under|using|by|to)\s+(?:an?\s+|the\s+)?(?:codes?\s+)?[\w.]+\s*$", re.I
)


# "CPT or HCPCS", "a CPT code or a HCPCS code", "Level I vs Level II"
EITHER_OR = re.compile(r"\s*(?:codes?\s+)?(?:or|vs\.?|versus)\s+(?:an?\s+|the\s+)?", re.I)


def _target(asked: str, classes: Classes) -> tuple[str, int] | None:
    """The class a question asks about, where the text starts with its name, and where the
    name ends."""
    for rx, target in classes:
        m = rx.match(asked)
        if m:
            return target, m.end()
    m = LETTER_CODE.match(asked)
    if m:
        return "letter:" + m.group(1).upper(), m.end()
    return None


def _which(c: CodeInfo, options: list[tuple[str, str]]) -> str | None:
    """Which of the classes named as alternatives a code is in ("is 99213 CPT or HCPCS?":
    both, since CPT is HCPCS Level I). Never a bare "Yes" or "No"."""
    what = _what(c)
    if what is None:
        return None
    judged = [(typed.strip(), _is(c, target)) for typed, target in options]
    if any(yes is None for _typed, yes in judged):
        return None
    named = [typed for typed, yes in judged if yes]
    if len(options) == 2 and len(named) == 2:
        level = "; CPT is HCPCS Level I" if c.system in ("CPT", "CPT modifier") else ""
        return f"Both: {what}{level}."
    if len(named) == 1:
        return f"{named[0][:1].upper()}{named[0][1:]}: {what}."
    return f"Neither: {what}." if len(options) == 2 else None


def _text_after(question: str, info: CodeInfo) -> str | None:
    """The question after the code, as typed (E11.9 or E119, a slip as typed)."""
    for written in (info.typed, info.code, info.code.replace(".", "")):
        if not written:
            continue
        m = re.search(rf"(?<![A-Za-z0-9]){re.escape(written)}(?![A-Za-z0-9])", question, re.I)
        if m:
            return question[m.end() :]
    return None


def _judge(c: CodeInfo, target: str, facts: Facts | None) -> str | None:
    what = _what(c)
    if what is None:
        return None
    if c.known is False:  # not in the loaded code list: never a "yes"
        return f"No: {what}."
    if target.startswith("family:"):
        return _judge_family(c, target.split(":", 1)[1], what, facts)
    yes = _is(c, target)
    if yes is None:
        return None
    if yes:
        return f"Yes. {what}."
    rule = _target_rule(target, facts)
    return f"No: {what}" + (f"; {rule}." if rule else ".")


def _judge_family(c: CodeInfo, name: str, what: str, facts: Facts | None) -> str | None:
    """ "is 99213 a physical therapy code?": whether a CPT code's number lies in a family of
    the cpt-families table (named by the start of its name), and that family's range."""
    if c.system != "CPT" or facts is None or not c.code[:5].isdigit():
        return None
    # (every family the name starts: "Preventive medicine visits" are the new patients' and
    # the established patients')
    families = [f for f in facts.cpt_families if f.name.startswith(name)]
    if not families:
        return None
    number = int(c.code[:5])
    held = next((f for f in families if f.span_of(number)), None)
    if held is not None:
        named = held.name.split(" (")[0]
        return f"Yes. {what}, among {named[:1].lower()}{named[1:]} ({held.range_text})."
    ranges = ", ".join(f.range_text for f in families)
    if len(families) > 1 and not name.endswith("s"):
        name += " codes"  # (the start of several families' names: "Preventive")
    return f"No: {what}; {name[:1].lower()}{name[1:]} {'is' if len(families) == 1 else 'are'} {ranges}."


def _is(c: CodeInfo, target: str) -> bool | None:
    system = c.system
    if "modifier" in system and (
        target.startswith(("section:", "letter:", "Category"))
        or target in ("PLA", "MAAA", "dme", "cdt")
    ):
        # "is modifier 25 an E/M modifier?", "is 52 a surgical modifier?": a modifier named by
        # the codes it goes on, which the code sets' classes do not decide
        return None
    if target == "level2":
        return system in ("HCPCS Level II", "HCPCS Level II modifier")
    if target == "level1":
        return system in ("CPT", "CPT modifier")
    if target == "level3":
        return system == "HCPCS Level III"
    if target == "hcpcs":
        return c.hcpcs_level in ("I", "II") or system in ("CPT modifier", "HCPCS Level II modifier")
    if target == "cpt":
        return system in ("CPT", "CPT modifier")
    if target == "icd":
        return system in ("ICD-10-CM", "ICD-10-PCS")
    if target == "pcs":
        return system == "ICD-10-PCS"
    if target in ("Category I", "Category II", "Category III", "PLA", "MAAA"):
        return system == "CPT" and c.category == target
    if target.startswith("section:"):
        return system == "CPT" and c.section == target.split(":", 1)[1]
    if target == "ndc":
        return system == "NDC"
    if target == "dme":
        return system == "HCPCS Level II" and c.code[0] in "EK"
    if target == "cdt":
        return system == "HCPCS Level II" and c.code[0] == "D"
    if target.startswith("letter:"):
        return system == "HCPCS Level II" and c.code[0] == target[-1]
    if target == "modifier":
        return "modifier" in system
    return None


def _what(c: CodeInfo) -> str | None:
    """What the code is, as one clause, from its classification."""
    code = f"`{c.code}`"
    if c.system == "CPT" and c.category == "Category I" and c.section:
        return f"{code} is in the {c.section} section ({c.range})"
    if c.system == "CPT":
        return f"{code} has the shape of a CPT {c.category} code (HCPCS Level I)"
    if c.system == "HCPCS Level II":
        where = f" ({c.code[0]} section: {c.section})" if c.section else ""
        if c.code.startswith("D"):
            return f"{code} has the shape of a CDT dental code, carried in HCPCS Level II{where}"
        if c.known is False:
            return (
                f"{code} is shaped like a HCPCS Level II code{where}, but it is not in the "
                f"{release_name(c.release)} HCPCS file"
            )
        if c.known:
            return f"{code} is a HCPCS Level II code{where}"
        return f"{code} has the shape of a HCPCS Level II code{where}"
    if c.system == "ICD-10-CM":
        if c.known is False:
            return f"{code} is shaped like an ICD-10-CM code, but it is not in the code set"
        return f"{code} is an ICD-10-CM diagnosis code ({c.section})"
    if c.system == "ICD-10-PCS":
        return f"{code} has the shape of an ICD-10-PCS inpatient procedure code"
    if c.system == "NDC":
        return f"{code} has the shape of a National Drug Code"
    if c.system == "HCPCS Level III":
        return f"{code} has the shape of a retired HCPCS Level III local code"
    if c.system == "CPT modifier":
        return f"{code} is a CPT (HCPCS Level I) modifier"
    if c.system == "HCPCS Level II modifier":
        return f"{code} is a HCPCS Level II modifier"
    return None


def _target_rule(target: str, facts: Facts | None) -> str | None:
    """What the asked-about class is, for a "No" answer."""
    if target.startswith("section:"):
        name = target.split(":", 1)[1]
        section = next((s for s in facts.cpt_sections if s.name == name), None) if facts else None
        if section is None:
            return None
        return f"{SHORT_NAMES.get(name, name)} is {section.range_text}"
    if target.startswith("letter:"):
        letter = target[-1]
        row = facts.level2.get(letter) if facts else None
        return f"{letter} codes are {row.range_text} ({row.name})" if row else None
    if target == "dme" and facts and "E" in facts.level2:
        return f"DME codes are in the E section ({facts.level2['E'].range_text})"
    if target == "cdt" and facts and "D" in facts.level2:
        return f"CDT dental codes are the D codes ({facts.level2['D'].range_text}), from the ADA"
    return {
        "cpt": "CPT codes are five characters: five digits, or four digits and F, T, U or M",
        "level1": "HCPCS Level I is CPT: five digits, or four digits and F, T, U or M",
        "level2": "HCPCS Level II codes are a letter and four digits, such as J1745",
        "level3": "HCPCS Level III codes were local codes, retired at the end of 2003",
        "hcpcs": "HCPCS has CPT as Level I and the national letter-and-four-digit codes as "
        "Level II",
        "icd": "ICD-10-CM diagnosis codes are a letter, two characters, then a dot and up to "
        "four more (E11.9)",
        "pcs": "ICD-10-PCS codes are seven characters, for inpatient hospital procedures",
        "ndc": "a National Drug Code has 10 or 11 digits in three parts",
        "modifier": "modifiers are two characters appended to a code",
        "Category I": "CPT Category I codes are five digits",
        "Category II": "CPT Category II codes are four digits and F",
        "Category III": "CPT Category III codes are four digits and T",
        "PLA": "PLA codes are four digits and U",
        "MAAA": "MAAA codes are four digits and M",
    }.get(target)


# --- status: billable, valid, active, terminated ---------------------------------------------------


def _opposite(line: str) -> str:
    """A status line's answer for the question asked the other way round ("Yes: ... active"
    answers "is it active?"; "was it deleted?" gets "No: ... active")."""
    for said, other in (("Yes: ", "No: "), ("No: ", "Yes: ")):
        if line.startswith(said):
            return other + line[len(said) :]
    return line


def _status(c: CodeInfo, release: str | None) -> str | None:
    code = f"`{c.code}`"
    rel = f"the {release_name(release)} HCPCS file" if release else "the imported HCPCS file"
    if c.system == "HCPCS Level II" and c.code.startswith("D"):
        return (
            f"{code} has the shape of a CDT dental code: CDT codes are the ADA's and are not in "
            "the CMS HCPCS file, so a current CDT list says whether it is valid."
        )
    if c.deletion is not None:
        return (
            f"No: {code} was deleted from CPT on {c.deletion.deleted_on} (its last valid date "
            f"was {c.termination_date}): {c.deletion.instead}."
        )
    if c.system in ("HCPCS Level II", "HCPCS Level II modifier"):
        kind = "modifier" if "modifier" in c.system else "code"
        if c.known is None:
            if c.data_problem:
                return f"I can't tell whether {code} is current: the imported HCPCS file cannot be read."
            return (
                f"I can't tell whether {code} is current without the official HCPCS file: import "
                "it with `hcpcs-assistant import-hcpcs FILE` and ask again."
            )
        if c.known is False:
            return f"No: {code} is not in {rel}, so it is not a valid HCPCS Level II {kind}."
        if c.status == "terminated":
            return (
                f"No: {code} is terminated; its last valid date was {c.termination_date} "
                f"({rel}). Report it only for dates of service up to that day."
            )
        since = f", in effect since {c.effective_date}" if c.effective_date else ""
        return f"Yes: {code} is an active HCPCS Level II {kind} in {rel}{since}."
    if c.system == "ICD-10-CM":
        if c.known is False:
            return f"No: {code} is not in the ICD-10-CM code set, so it cannot go on a claim."
        if c.billable:
            return (
                f"Yes: {code} is a billable ICD-10-CM code: complete, and valid in a claim's "
                "diagnosis fields."
            )
        below = ", ".join(f"`{child}`" for child, _ in c.children[:4])
        if len(c.children) > 4:
            below += " and more"
        more = f" (the level below it: {below})" if below else ""
        return (
            f"No: {code} is an ICD-10-CM category, not billable as written: it needs more "
            f"characters{more}."
        )
    if c.system == "CPT" and c.current:
        family = (
            f", one of the codes for {lower_first(c.family[0])} (`{c.family[1]}`)"
            if c.family
            else ""
        )
        return (
            f"Yes: {code} is a current CPT code in {c.current}{family}; its exact descriptor is "
            "in a licensed CPT source."
        )
    if c.system == "CPT" and c.category == "Category I" and c.section:
        return (
            f"I can't confirm that {code} is a current CPT code: that needs a licensed CPT source "
            f"(the AMA's code set). It is in the range of the {c.section} section ({c.range})."
        )
    if c.system == "CPT":
        return (
            f"I can't confirm that {code} is a current CPT {c.category} code: that needs a "
            "licensed CPT source (the AMA's code set)."
        )
    if c.system == "CPT modifier":
        return f"Modifier {code} is a CPT modifier: the current list is in CPT Appendix A."
    if c.system == "HCPCS Level III":
        return f"No: {code} has the shape of a HCPCS Level III local code; those were retired at the end of 2003."
    if c.system == "ICD-10-PCS":
        return f"{code} is checked by shape only: the ICD-10-PCS tables (CMS) say whether it is a valid code."
    if c.system == "NDC":
        return f"{code} is checked by shape only: the FDA's National Drug Code Directory says whether it is listed."
    if c.system == "unknown" and any("outside every CPT section range" in n for n in c.notes):
        return f"No: {code} is outside every CPT section range."
    if c.system == "unknown":
        return f"No: {code} is not the shape of a code this assistant knows."
    return None


# --- units ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dose:
    amount: float  # in the base unit
    unit: str  # base unit: mg, ml, unit, mci, meq, or a counted noun ("strip")
    text: str  # as written
    word: str = ""  # the unit as written ("mcg"), for showing amounts the way the code does
    factor: float = 1.0  # of that unit to the base

    def shown(self, like: Dose | None = None) -> str:
        """The amount in the unit ``like`` was written in (default: its own)."""
        ref = like or self
        if not ref.word:
            return _amount(self)
        amount = self.amount / ref.factor
        word = ref.word
        if word in ("unit", "units"):
            word = "unit" if amount == 1 else "units"
        return f"{_fmt(amount)} {word}"


# unit word -> (base unit, factor to the base)
UNIT_WORDS: dict[str, tuple[str, float]] = {
    "mg": ("mg", 1.0),
    "milligram": ("mg", 1.0),
    "milligrams": ("mg", 1.0),
    "mcg": ("mg", 0.001),
    "µg": ("mg", 0.001),
    "ug": ("mg", 0.001),
    "microgram": ("mg", 0.001),
    "micrograms": ("mg", 0.001),
    "g": ("mg", 1000.0),
    "gm": ("mg", 1000.0),
    "gram": ("mg", 1000.0),
    "grams": ("mg", 1000.0),
    "ml": ("ml", 1.0),
    "cc": ("ml", 1.0),
    "milliliter": ("ml", 1.0),
    "milliliters": ("ml", 1.0),
    "l": ("ml", 1000.0),
    "liter": ("ml", 1000.0),
    "liters": ("ml", 1000.0),
    "unit": ("unit", 1.0),
    "units": ("unit", 1.0),
    "iu": ("unit", 1.0),
    "i.u.": ("unit", 1.0),
    "millicurie": ("mci", 1.0),
    "millicuries": ("mci", 1.0),
    "mci": ("mci", 1.0),
    "microcurie": ("mci", 0.001),
    "microcuries": ("mci", 0.001),
    "uci": ("mci", 0.001),
    "meq": ("meq", 1.0),
}
_UNIT_RE = "|".join(re.escape(w) for w in sorted(UNIT_WORDS, key=len, reverse=True) if w != "i.u.")
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
# "10 mg", "per 10 mg", "up to 10 mg", "per mg", "1,000 units", "10mg"; "i.u." written out
DESC_DOSE = re.compile(
    rf"(?:\b(?P<kind>up to|per)\s+)?(?:{_NUMBER}\s*)?(?P<unit>i\.u\.|(?:{_UNIT_RE})\b)", re.I
)
QUESTION_DOSE = re.compile(rf"(?<![\w.]){_NUMBER}\s*(?P<unit>i\.u\.|(?:{_UNIT_RE})\b)", re.I)
# "per 50 strips": a counted item in the description
DESC_COUNT = re.compile(r"\bper\s+(\d+)\s+([a-z]+)", re.I)
_PER_BEFORE = re.compile(r"\bper\s*$", re.I)
GIVEN = re.compile(
    r"\b(gave|given|give|administered|infused|injected|used|dose|dosage|pushed|ordered)\b", re.I
)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _description_dose(description: str) -> tuple[Dose, bool] | None:
    """The billing unit an official description states (the last dose in it), and whether it
    is an "up to" unit; None when it states none."""
    best = None
    for m in DESC_DOSE.finditer(description):
        number = m.group(2)
        kind = (m.group("kind") or "").lower()
        if number is None and kind != "per":
            continue  # a bare "unit" or "mg" without a number or "per" is not a dose
        if description[max(0, m.start() - 2) : m.start()].strip() == "=":
            continue  # "1 month's supply = 1 unit"
        word = m.group("unit").lower()
        base, factor = UNIT_WORDS[word]
        amount = _number(number) if number else 1.0
        best = (Dose(amount * factor, base, m.group(0).strip(), word, factor), kind == "up to")
    if best is not None:
        return best
    counted = DESC_COUNT.search(description)
    if counted:
        noun = _singular(counted.group(2).lower())
        return Dose(float(counted.group(1)), noun, counted.group(0)), False
    return None


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _question_doses(question: str, codes: Sequence[CodeInfo]) -> list[tuple[Dose, int]]:
    text = question
    for c in codes:  # the code itself holds digits ("J3301"): not a dose
        for written in {c.code, c.typed or ""} - {""}:
            text = re.sub(re.escape(written), " " * len(written), text, flags=re.I)
    doses = []
    for m in QUESTION_DOSE.finditer(text):
        word = m.group("unit").lower()
        base, factor = UNIT_WORDS[word]
        amount = _number(m.group(1)) * factor
        doses.append((Dose(amount, base, m.group(0).strip(), word, factor), m.start()))
    for m in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)\s+([a-z]+)", text, re.I):
        noun = _singular(m.group(2).lower())
        if noun not in {w.rstrip("s") for w in UNIT_WORDS} and noun.isalpha():
            doses.append((Dose(_number(m.group(1)), noun, m.group(0)), m.start()))
    return doses


def _dose_in(question: str, codes: Sequence[CodeInfo]) -> bool:
    return any(d.unit in UNIT_BASES for d, _ in _question_doses(question, codes))


UNIT_BASES = {base for base, _ in UNIT_WORDS.values()}


def _pick_dose(question: str, doses: list[tuple[Dose, int]], unit: str) -> Dose | None:
    """The dose given: the only one in the description's kind of unit, else the one next to
    "given", "administered"..."""
    same = [(d, at) for d, at in doses if d.unit == unit]
    if len(same) > 1:
        # ("J2405 is per 1 mg, the dose was 3.5mg": an amount after "per" restates the unit)
        same = [(d, at) for d, at in same if not _PER_BEFORE.search(question, 0, at)] or same
    if len(same) == 1:
        return same[0][0]
    near = [d for d, at in same if GIVEN.search(question[max(0, at - 15) : at + len(d.text) + 10])]
    return near[0] if len(near) == 1 else None


def _fmt(x: float) -> str:
    return f"{x:,.4f}".rstrip("0").rstrip(".")


ROUNDING = (
    "When the amount given is not a multiple of the amount in the description, round up to the "
    "next whole unit; an amount below one unit is billed as 1 unit (CMS, Medicare Claims "
    "Processing Manual, chapter 17, section 10)."
)
WASTE = (
    "For a drug from a single-dose container, Medicare asks for any discarded amount on its own "
    "line with modifier JW, or modifier JZ when nothing was discarded."
)


def _units(
    question: str, codes: Sequence[CodeInfo], release: str | None, facts: Facts | None = None
) -> str | None:
    level2 = [c for c in codes if c.system == "HCPCS Level II" and not c.code.startswith("D")]
    if not level2:
        cpt = [c for c in codes if c.system == "CPT"]
        if cpt and cpt[0].section == "Anesthesia":
            return (
                f"`{cpt[0].code}` is an anesthesia code: its units are time, not a count. For "
                "Medicare the anesthesia minutes go in the units field, and the code's base units "
                "come from CMS's anesthesia base units list; other payers may ask for time units "
                "(usually 15 minutes each) instead (CMS, Medicare Claims Processing Manual, "
                "chapter 26, item 24G: the units field carries anesthesia minutes)."
            )
        if len(cpt) > 1 and (together := _timed_codes_units(question, cpt, facts)) is not None:
            return together
        if cpt and (counted := _timed_code_units(question, cpt[0], facts)) is not None:
            return counted
        if cpt:
            return (
                f"Units of `{cpt[0].code}` follow its CPT descriptor (per session, per 15 "
                "minutes, each additional...), which only a licensed CPT source shows; CMS's "
                "NCCI MUE tables give the most units a claim line may carry."
            )
        return None
    if len(level2) > 1 and (paired := _paired_units(question, level2, facts)) is not None:
        return paired
    c = next((c for c in level2 if c.description), level2[0])
    code = f"`{c.code}`"
    description, tabled = _unit_source(c, facts)
    if tabled is None and c.known is None:
        return (
            f"The units of {code} come from the amount in its official description, which is not "
            "loaded: import the CMS HCPCS file (`hcpcs-assistant import-hcpcs FILE`) and ask again."
        )
    if c.known is False or not description:
        return None
    found = _description_dose(description)
    if found is None:
        return (
            f"The official description of {code} states no dose or amount per unit, so the units "
            "cannot be worked out from it: bill the number of items or services the description "
            "names (one unit each unless it says otherwise), and check the payer's billing "
            "instructions."
        )
    per, up_to = found
    unit_text = _unit_phrase(per, up_to)
    quoted = (
        f'(its official description ends "{per.text}")'
        if tabled is None
        else f'(its CMS description gives the unit as "{tabled.unit}", in the table of common '
        "office drugs; import the CMS HCPCS file to check the current description)"
    )
    doses = _question_doses(question, [c])
    given = _pick_dose(question, doses, per.unit)
    other_units = [d for d, _ in doses if d.unit != per.unit and d.unit in UNIT_BASES]
    if given is None:
        if other_units and not [d for d, _ in doses if d.unit == per.unit]:
            return (
                f"{code} is billed {unit_text} {quoted}, but the amount in your question is in "
                f"{other_units[0].word}: convert it first (with the drug's concentration from "
                f"its label), then count one unit per {per.shown()}. {ROUNDING}"
            )
        each = (
            f"each unit covers up to {per.shown()}" if up_to else f"one unit for each {per.shown()}"
        )
        return f"{code} is billed {unit_text} {quoted}: {each}. {ROUNDING}"
    amount = given.shown(per)
    if given.word and per.word and given.factor != per.factor:
        amount = f"{given.shown()} ({given.shown(per)})"
    units, how = _counted(amount, given.amount / per.amount, per)
    plural = "unit" if units == 1 else "units"
    text = (
        f"**{units} {plural}** of {code}: it is billed {unit_text} {quoted}, and {how}. {ROUNDING}"
    )
    if c.code[0] in "JQC" and per.unit in ("mg", "ml", "unit", "mci", "meq"):
        text += f" {WASTE}"
    return text


def _paired_units(question: str, level2: Sequence[CodeInfo], facts: Facts | None) -> str | None:
    """Units of each of several drug codes, each with its own amount given, in the same order
    ("J0585 and J0587? ... 100 units of botulinum A and 2,500 units of botulinum B"): None
    unless every code's unit is known and the amounts pair with the codes one for one."""
    doses = [d for d, _ in _question_doses(question, level2) if d.unit in UNIT_BASES]
    if len(doses) != len(level2):
        return None
    lines = []
    for c, given in zip(level2, doses, strict=True):
        description, _tabled = _unit_source(c, facts)
        found = _description_dose(description) if description else None
        if found is None or found[0].unit != given.unit:
            return None
        per, up_to = found
        units, how = _counted(given.shown(per), given.amount / per.amount, per)
        lines.append(
            f"- **{_units_text(units)}** of `{c.code}`, billed {_unit_phrase(per, up_to)}: {how}."
        )
    where = (
        "from each code's CMS description (or the table of common office drugs when no CMS "
        "HCPCS file is imported)"
    )
    return "\n".join([f"Units {where}, for the amounts in the order given:", *lines, "", ROUNDING])


# Where a question without a code states the code's amount per unit ("a J code defined as
# 5 mg", "the HCPCS billing unit is 10 mg", "per 1 mg"), and where an amount is a package's
# size, which never counts ("the vial size is 5 mg", "20-mg vials").
PER_UNIT_CUE = re.compile(
    r"\b(?:per|code|codes|descriptor|description|defined|define[sd]?|billing unit|billed in|"
    r"each unit|unit is|units? of)[^\w;.]+(?:[a-z]+[^\w;.]+){0,3}$",
    re.I,
)
PACKAGE_CUE = re.compile(r"\b(?:vials?|bottles?|packages?|syringes?|containers?|ampules?)\b", re.I)
GIVEN_CUE = re.compile(
    r"\b(?:gave|give|given|administered|administer|infused|injected|ordered|orders|used|uses)"
    r"[^\w;.]+(?:[a-z]+[^\w;.]+){0,2}$",
    re.I,
)


WHAT_TO_BILL = re.compile(r"\bwhat\s+(?:do|should|would)\s+(?:we|i|you)\s+bill\b", re.I)


# "45 minutes", "45 min", "an hour": the time a question says was spent
MINUTES = re.compile(r"\b(\d{1,3})\s*(?:-\s*)?(?:minutes?|mins?)\b", re.I)
TIMED_RULE_MINUTES = 8  # the fewest minutes that make a unit of a 15-minute code (Medicare)
UNIT_MINUTES = 15
TIMED_RULE = (
    "Medicare counts the total minutes of all timed (15-minute) codes given that day and bills "
    "1 unit for 8 to 22 minutes, 2 for 23 to 37, 3 for 38 to 52, one more for every further 15 "
    "minutes (CMS, Medicare Claims Processing Manual, chapter 5, section 20.2, the 8-minute "
    "rule); fewer than 8 minutes is no unit, and untimed (service-based) codes are one unit "
    "whatever their length. Other payers may count each code's own minutes instead, so check "
    "the payer's policy."
)


# The length of one unit, when a question states it: "in 20-minute increments", "units of 10
# minutes", "per 30 minutes", "each unit is 20 minutes".
INCREMENT = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:minutes?|mins?)\s+(?:increments?|units?|intervals?|blocks?)\b"
    r"|\b(?:increments?|units?|intervals?|blocks?)\s+of\s+(\d{1,3})\s*-?\s*(?:minutes?|mins?)\b"
    r"|\b(?:per|every|each)\s+(\d{1,3})\s*-?\s*(?:minutes?|mins?)\b"
    r"|\bunit\s+(?:is|equals|=)\s+(\d{1,3})\s*-?\s*(?:minutes?|mins?)\b",
    re.I,
)
ANESTHESIA = re.compile(r"\banesth", re.I)
ANESTHESIA_TIME = (
    "For Medicare, anesthesia time units are the minutes of anesthesia time divided by 15 and "
    "reported to one decimal place, not rounded to whole units (CMS, Medicare Claims Processing "
    "Manual, chapter 12, section 50); other payers may count whole units, so check the payer's "
    "policy."
)


def stated_increment_units(question: str) -> str | None:
    """How many units a time makes when the question states how long one unit is ("How many
    units for 80 minutes of anesthesia time in 20-minute increments?"): the time divided by the
    unit. A part of a unit is worked out only for anesthesia time (Medicare counts it to one
    decimal); otherwise None, as for a question stating no unit or more than one time."""
    increments = {int(next(g for g in m.groups() if g)) for m in INCREMENT.finditer(question)}
    if len(increments) != 1:
        return None
    step = increments.pop()
    anesthesia = bool(ANESTHESIA.search(question))
    if step <= 0 or (step == UNIT_MINUTES and not anesthesia):
        return None  # (15-minute units of other services are counted by the 8-minute rule)
    times = {int(m.group(1)) for m in MINUTES.finditer(question)} - {step}
    if len(times) != 1:
        return None
    minutes = times.pop()
    ratio = minutes / step
    note = f" {ANESTHESIA_TIME}" if anesthesia else ""
    if ratio == int(ratio) and ratio >= 1:
        units = int(ratio)
        plural = "unit" if units == 1 else "units"
        return f"**{units} {plural}**: {minutes} minutes ÷ {step} minutes per unit = {units}.{note}"
    if anesthesia:
        return (
            f"**{round(ratio, 1):g} units**: {minutes} minutes ÷ {step} minutes per unit = "
            f"{round(ratio, 1):g}.{note}"
        )
    return None


def _timed_code_units(question: str, info: CodeInfo, facts: Facts | None) -> str | None:
    """How many units the one time a question states makes for a code billed in 15-minute
    units (the cpt-timed table): "How many units of 97110 for 38 minutes?" - 3, by Medicare's
    8-minute rule; with no time stated, how such a code's units are counted. None for any other
    code, or a question stating more than one time."""
    if facts is None or not info.code[:5].isdigit() or not facts.cpt_timed_code(int(info.code[:5])):
        return None
    times = {int(m.group(1)) for m in MINUTES.finditer(question)}
    code = f"`{info.code}`"
    if not times:
        return f"{code} is billed in 15-minute units (the table of timed codes). {TIMED_RULE}"
    if len(times) != 1:
        return None
    minutes = times.pop()
    units = _eight_minute_units(minutes)
    if not units:
        return f"**No unit** of {code} for {minutes} minutes under Medicare. {TIMED_RULE}"
    return (
        f"**{_units_text(units)}** of {code} for {minutes} minutes: it is billed in 15-minute "
        f"units (the table of timed codes). {TIMED_RULE}"
    )


def _timed_codes_units(question: str, cpt: Sequence[CodeInfo], facts: Facts | None) -> str | None:
    """The units of several 15-minute codes given the same day, each with its own time, in the
    order the question names them ("25 minutes of 97110 and 40 minutes of 97112"): Medicare
    counts the total timed minutes, then gives each code its whole 15-minute units and the
    units left to the codes with the most minutes left over. None unless every code is timed
    and the times pair with the codes one for one."""
    if facts is None or not all(
        c.code[:5].isdigit() and facts.cpt_timed_code(int(c.code[:5])) for c in cpt
    ):
        return None
    times = [int(m.group(1)) for m in MINUTES.finditer(question)]
    at = {c.code: question.upper().find(c.code) for c in cpt}
    if len(times) != len(cpt) or min(at.values()) < 0:
        return None
    ordered = sorted(cpt, key=lambda c: at[c.code])
    total = sum(times)
    units = _eight_minute_units(total)
    given = {c.code: m // UNIT_MINUTES for c, m in zip(ordered, times, strict=True)}
    left = units - sum(given.values())
    if left < 0:  # (never for whole units; kept safe)
        return None
    rest = sorted(
        zip(ordered, times, strict=True), key=lambda cm: cm[1] % UNIT_MINUTES, reverse=True
    )
    tied = 0 < left < len(rest) and rest[left - 1][1] % UNIT_MINUTES == rest[left][1] % UNIT_MINUTES
    for c, _m in rest[:left]:
        given[c.code] += 1
    split = ", ".join(f"{_units_text(given[c.code])} of `{c.code}`" for c in ordered)
    text = (
        f"**{_units_text(units)}** in all for {total} minutes of timed codes "
        f"({' + '.join(str(m) for m in times)}): {split}. Each code first gets its whole 15 "
        "minutes; a unit left over goes to the code with the most minutes left"
    )
    if tied:
        text += " (here the minutes left are equal, so either code may take it)"
    return f"{text}. {TIMED_RULE}"


def _eight_minute_units(minutes: int) -> int:
    """The units Medicare's 8-minute rule gives a number of minutes of 15-minute codes."""
    if minutes < TIMED_RULE_MINUTES:
        return 0
    return (minutes - TIMED_RULE_MINUTES) // UNIT_MINUTES + 1


def _units_text(units: int) -> str:
    return f"{units} {'unit' if units == 1 else 'units'}"


def timed_units(question: str) -> str | None:
    """How many units a time makes, for a question that names no code and asks how many units
    a number of minutes is ("How many units is 45 minutes?"): the 8-minute rule for codes
    billed per 15 minutes, or the time divided by the unit the question states
    (:func:`stated_increment_units`). None when it states no one time or asks no number of
    units."""
    if not (UNITS_WORDS.search(question) and HOW_MANY.search(question)):
        return None
    stated = stated_increment_units(question)
    if stated is not None:
        return stated
    times = {int(m.group(1)) for m in MINUTES.finditer(question)}
    # (a dose beside the time is a drug's: "per 1 mg over 30 minutes" is no timed code)
    if len(times) != 1 or any(d.unit in UNIT_BASES for d, _at in _question_doses(question, ())):
        return None
    minutes = times.pop()
    units = _eight_minute_units(minutes)
    if not units:
        return f"**No unit** for {minutes} minutes of a 15-minute code under Medicare. {TIMED_RULE}"
    return (
        f"**{_units_text(units)}** for {minutes} minutes of 15-minute (timed) codes. {TIMED_RULE}"
    )


def units_without_code(question: str) -> str | None:
    """How many units, for a question that names no code but states the code's amount per unit
    and the amount given ("a physician orders 2 mg of a drug whose HCPCS code is defined as
    5 mg: what do we bill?"), worked out as :func:`lead` does for a code; None when the question
    does not state both in the same kind of unit."""
    if not (
        (UNITS_WORDS.search(question) and UNITS_ASKED.search(question))
        or HOW_MANY.search(question)
        or WHAT_TO_BILL.search(question)
    ):
        return None
    per: list[Dose] = []
    given: list[Dose] = []
    for d, at in _question_doses(question, ()):
        if d.unit not in UNIT_BASES:
            continue
        before = question[max(0, at - 40) : at]
        around = question[max(0, at - 20) : at + len(d.text) + 12]
        if PER_UNIT_CUE.search(before):
            per.append(d)
        elif GIVEN_CUE.search(before) or not PACKAGE_CUE.search(around):
            given.append(d)
    if len({(d.amount, d.unit) for d in per}) != 1 or len({(d.amount, d.unit) for d in given}) != 1:
        return None
    unit, dose = per[0], given[0]
    if unit.unit != dose.unit or unit.amount <= 0:
        return None
    units, how = _counted(dose.shown(unit), dose.amount / unit.amount, unit)
    plural = "unit" if units == 1 else "units"
    text = (
        f"**{units} {plural}**: a code billed per {unit.shown()} counts the dose given, "
        f"whatever the vial or package size, and {how}. {ROUNDING}"
    )
    return f"{text} {WASTE}" if unit.unit in ("mg", "ml", "unit") else text


def drug_for_units(question: str, facts: Facts | None) -> str | None:
    """The code of the table of common office drugs that a units question names by the drug's
    name alone, with the amount given in the code's kind of unit ("How many units is 40 mg of
    Kenalog?" is `J3301`'s question), so that it is answered as the code's; None otherwise."""
    if facts is None or not facts.drug_units or not UNITS_WORDS.search(question):
        return None
    if not (UNITS_ASKED.search(question) or HOW_MANY.search(question)):
        return None
    names = _drug_words(facts)
    named = {names[w] for w in _DRUG_WORD.findall(question.lower()) if w in names}
    if len(named) != 1:
        return None
    (code,) = named
    found = _description_dose(facts.drug_units[code].unit)
    if found is None:
        return None
    given = {d.unit for d, _ in _question_doses(question, ()) if d.unit in UNIT_BASES}
    return code if found[0].unit in given else None


def _counted(amount: str, ratio: float, per: Dose) -> tuple[int, str]:
    """The units billed for a dose ``ratio`` times the code's amount ``per`` (a part of a unit
    rounds up, less than one unit is 1), and how they were counted, the dose written as
    ``amount``."""
    units = max(1, math.ceil(round(ratio, 6)))
    if abs(ratio - round(ratio)) < 1e-6 and ratio >= 1:
        return units, f"{amount} ÷ {per.shown()} = {units}"
    if ratio < 1:
        return units, f"{amount} is less than one unit of {per.shown()}, so 1 unit"
    return units, f"{amount} ÷ {per.shown()} = {_fmt(ratio)}, rounded up to {units}"


def _amount(d: Dose) -> str:
    if d.unit == "mg" and d.amount < 1:
        return f"{_fmt(d.amount * 1000)} mcg"
    if d.unit == "mci" and d.amount < 1:
        return f"{_fmt(d.amount * 1000)} microcuries"
    unit = d.unit if d.unit in UNIT_BASES else (d.unit if d.amount == 1 else d.unit + "s")
    if d.unit == "unit":
        unit = "unit" if d.amount == 1 else "units"
    return f"{_fmt(d.amount)} {unit}"


def _unit_source(c: CodeInfo, facts: Facts | None) -> tuple[str | None, DrugUnit | None]:
    """The text a Level II code's billing unit is read from: its official description, or,
    with no file imported, the row of the table of common office drugs that holds it (and
    that row)."""
    tabled = facts.drug_units.get(c.code) if facts and c.known is None else None
    if tabled is not None:
        return f"{tabled.drug}, {tabled.unit}", tabled
    return c.description, None


# "Is J1100 per 1 mg?": a yes/no question on the amount one unit of a code stands for.
ASKS_PER_UNIT = re.compile(rf"\bper\s+(?:{_NUMBER}\s*)?(?:i\.u\.|(?:{_UNIT_RE})\b)", re.I)


def _per_unit(question: str, codes: Sequence[CodeInfo], facts: Facts | None) -> str | None:
    """ "Yes" or "No" to whether one unit of a Level II code is the amount asked ("Is J1100 per
    1 mg?"), from its official description, or from the table of common office drugs when no
    file is loaded; None when the question asks no such thing or the unit is not known."""
    if not YES_NO_START.search(question):
        return None
    asked = ASKS_PER_UNIT.search(question)
    level2 = [c for c in codes if c.system == "HCPCS Level II" and not c.code.startswith("D")]
    if asked is None or len(level2) != 1:
        return None
    c = level2[0]
    description, tabled = _unit_source(c, facts)
    if not description or (tabled is None and not c.known):
        return None
    found = _description_dose(description)
    said = _description_dose(asked.group(0))
    if found is None or said is None or found[0].unit != said[0].unit:
        return None
    per, up_to = found
    where = (
        f'its official description ends "{per.text}"'
        if tabled is None
        else f'the CMS description gives the unit as "{tabled.unit}"'
    )
    is_ = "covers up to" if up_to else "is"
    if abs(per.amount - said[0].amount) < 1e-9:
        return f"Yes: one unit of `{c.code}` {is_} {per.shown()} ({where})."
    return f"No: one unit of `{c.code}` {is_} {per.shown()}, not {said[0].shown()} ({where})."


def _drug_named(question: str, codes: Sequence[CodeInfo], facts: Facts | None) -> str | None:
    """ "Yes" or "No" to whether a Level II code of the table of common office drugs is the drug
    a yes/no question names ("Is J0585 Botox?", "Is J1100 Kenalog?"), by a word of one row's
    drug or brand name; None when the question names no such drug or the code is not in it."""
    if facts is None or not facts.drug_units or not YES_NO_START.search(question):
        return None
    level2 = [c for c in codes if c.system == "HCPCS Level II"]
    row = facts.drug_units.get(level2[0].code) if len(level2) == 1 else None
    if row is None:
        return None
    names = _drug_words(facts)
    said = {w for w in _DRUG_WORD.findall(question.lower()) if w in names}
    named = {names[w] for w in said}
    if len(named) != 1:
        return None
    (other,) = named
    code = f"`{row.code}`"
    unit = row.unit.removeprefix("per ")
    billed = f"billed per unit of {unit}" if unit.startswith("up to") else f"billed per {unit}"
    if other == row.code:
        return f"Yes: {code} is {row.drug}, {billed} (the table of common office drugs)."
    drug = facts.drug_units[other].drug
    return f"No: {code} is {row.drug}; {drug} is `{other}` (the table of common office drugs)."


def _icd_named(question: str, codes: Sequence[CodeInfo]) -> str | None:
    """ "Yes" to whether an ICD-10-CM code is what a yes/no question calls it ("Is R05.9 a
    cough?"), when every word it calls the code by is a word of the code's description; None
    otherwise, never "No" (a condition has names the description does not use)."""
    if not YES_NO_START.search(question):
        return None
    icd = [c for c in codes if c.system == "ICD-10-CM" and c.description and c.known]
    if len(icd) != 1 or len(codes) != 1:
        return None
    (info,) = icd
    written = re.search(
        rf"{re.escape(info.typed or info.code)}\s+(?:(?:used\s+)?for\s+)?(?:(?:an?|the)\s+)?"
        r"(?P<name>[A-Za-z][A-Za-z0-9 ,'-]*?)\s*\??$",
        question.strip(),
        re.IGNORECASE,
    )
    if written is None:
        return None
    # (numbers count whatever their length: "type 1" is not "type 2")
    said = re.findall(r"[a-z]+|\d+", written["name"].lower())
    called = [stem(w) for w in said if len(w) > 2 or w.isdigit()]
    described = {stem(w) for w in re.findall(r"[a-z]+|\d+", (info.description or "").lower())}
    if not called or not set(called) <= described:
        return None
    return f"Yes: `{info.code}` is {info.description} (ICD-10-CM)."


_DRUG_WORD = re.compile(r"[a-z][a-z-]{4,}")  # a word of a drug's name ("kenalog", "b-12")
_DRUG_WORDS: list[tuple[Facts, dict[str, str]]] = []


def _drug_words(facts: Facts) -> dict[str, str]:
    """The words of the drug table's names that only one row has ("kenalog", "botox"), with the
    row's code; worked out once per facts."""
    if _DRUG_WORDS and _DRUG_WORDS[0][0] is facts:
        return _DRUG_WORDS[0][1]
    rows: dict[str, set[str]] = {}
    for code, row in facts.drug_units.items():
        for word in _DRUG_WORD.findall(row.drug.lower()):
            rows.setdefault(word, set()).add(code)
    words = {w: next(iter(codes)) for w, codes in rows.items() if len(codes) == 1}
    _DRUG_WORDS[:] = [(facts, words)]
    return words


def _unit_phrase(per: Dose, up_to: bool) -> str:
    if up_to:
        return f"per unit of up to {per.shown()}"
    return f"per {per.shown()}"


# --- payer policy --------------------------------------------------------------------------------


def _policy(
    question: str,
    codes: Sequence[CodeInfo] = (),
    facts: Facts | None = None,
    modifiers_named: bool = False,
) -> str | None:
    lines = []
    # ("Medicare pays for these codes when we append 59 ... What is the proper way to code
    # them?": a story that speaks of payment, a question that does not)
    asked = " ".join(questions(sentences(question))) or question
    if COVERAGE.search(CODE_COVERS.sub(" ", asked)):
        lines.append(
            "Whether it is covered is not part of the code set: the payer decides. For Medicare, "
            "coverage is set by National and Local Coverage Determinations (NCDs, LCDs) and their "
            "billing articles in the Medicare Coverage Database; other payers publish their own "
            "medical policies, and prior authorization rules come from the payer too."
        )
    # "Should we append GP and GO?" names the modifiers it asks about: no claim-level line;
    # nor does "a staff member used modifier AP on 92012: what does it mean?", which asks
    # about the modifier it names.
    if (
        NEEDS_MODIFIER.search(question)
        and any("modifier" not in c.system for c in codes)
        and not modifiers_named
    ):
        # ("Does 90834 need a modifier?" asks yes or no: only when the claim calls for one)
        lines.append(
            (
                "Only when the claim calls for one; the code itself needs no modifier"
                if opens_yes_no(question)
                else "Whether it needs a modifier depends on the claim, not on the code alone"
            )
            + ": CMS's NCCI procedure-to-procedure edits say when two "
            "codes billed together need one (such as 59 or XE, XP, XS, XU), and payer policies "
            "ask for others (for Medicare, GP, GO or GN on outpatient therapy services and JW or "
            "JZ on drugs from single-dose containers)."
        )
        em = [
            c.code for c in codes if c.system == "CPT" and c.section == "Evaluation and Management"
        ]
        named = [m for m in (facts.modifiers.values() if facts else ()) if "E/M" in m.meaning]
        if em and named:
            lines.append(
                f"The modifiers made for E/M codes such as {em[0]}: "
                + "; ".join(f"{m.code} ({m.meaning[0].lower()}{m.meaning[1:]})" for m in named)
                + "."
            )
    if WHO_BILLS.search(question):
        lines.append(
            "Who may bill it is not in the code set: it depends on the clinician's licence and "
            "scope of practice under state law and on the payer's enrollment and billing rules "
            "(for Medicare, its rules for non-physician practitioners and incident-to services, "
            "applied by the MAC)."
        )
    if EDITS.search(question):
        lines.append(
            "How often it may be billed, and with which other codes, comes from CMS's NCCI edits "
            "(procedure-to-procedure edits and medically unlikely edits, MUEs) and from the "
            "payer's policy."
        )
    return " ".join(lines) if lines else None
