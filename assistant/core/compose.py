"""Answers made from the facts, for what an entry alone does not say.

* :func:`yes_no`: "Is CPT part of HCPCS?", "Are J codes CPT codes?", "Are CPT and HCPCS the
  same?" are decided by where the two concepts sit in the concept tree, and the answer starts
  with "Yes." or "No." and the reason.
* :func:`comparison`: two concepts that no entry compares ("CPT vs J codes") get a short
  description of each, from the facts tables, and how they relate.
* :func:`lead`: a "who" or "when" question about a code set or a section gets the maintainer
  or the update schedule first, from the ``code-sets`` and ``level2-sections`` tables.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.core.facts import Facts
from assistant.core.kb import KnowledgeBase
from assistant.core.lexicon import Lexicon, category_concept, section_concept
from assistant.core.text import FUNCTION_WORDS, sentences, stem
from assistant.core.understand import Reading, a_payer

# The shapes of a question the concept tree can decide: "is CPT a HCPCS code", "are J codes
# part of CPT", "does HCPCS include CPT", "are CPT and HCPCS the same".
_RELATION = re.compile(
    r"^(?:is|are|was|were)\b.*\b(?:a|an|part|same|identical|included|considered|type|kind|"
    r"one|level|section|category|code|codes|equivalent|interchangeable|subset)\b"
    r"|^(?:does|do|did)\b.*\b(?:include|includes|contain|contains|cover|covers|belong|belongs)\b"
)
# The same shapes in a statement to judge ("CPT is part of HCPCS. True or false?").
_STATED_RELATION = re.compile(
    r"\b(?:is|are)\b.*\b(?:a|an|part|same|identical|included|considered|type|kind|one|level|"
    r"section|category|code|codes|equivalent|interchangeable|subset)\b"
    r"|\b(?:include|includes|contain|contains|cover|covers|belong|belongs)\b"
)
_FOR_WORDS = frozenset({"for", "used"})
# At most this many things named are compared in one composed answer ("HCPCS Levels I, II and
# III, J codes" compares the first four).
MAX_COMPARED = 4
_BRACKETED = re.compile(r"\([^()]*\)")
# A modifier and a meaning: "does modifier 99 indicate unusual anesthesia", "is 23 for...".
_MEANS = re.compile(
    r"\b(?:indicat\w*|mean\w*|stand\w* for|signif\w*|describ\w*|denot\w*|represent\w*|"
    r"identif\w*|used for|for|is|are)\b"
)
# ...but not two modifiers used together or one instead of the other.
_TOGETHER = re.compile(r"\b(?:with|and|or|together|instead|both|plus|vs|versus|before|after)\b")
# A "who" question about who keeps a code set ("who assigns J codes?", read as "maintain"), not
# one asking who something is ("who is a new patient?").
_MAINTAINS = re.compile(
    r"\b(?:maintain\w*|publish\w*|own\w*|develop\w*|creat\w*|issu\w*|releas\w*|decid\w*|"
    r"approv\w*|updat\w*|run\w*|oversee\w*|govern\w*|made|make\w*|writ\w*)\b",
    re.IGNORECASE,
)
# The facts' "Year begins": "January 1", "October 1 of the year before".
_YEAR_BEGINS = re.compile(r"(?P<day>[A-Z][a-z]+ \d{1,2})(?P<before> of the year before)?")
_A_YEAR = re.compile(r"\b(20\d\d)\b")
# A "when" question about a code set's schedule ("when are CPT codes updated?"), not about when
# to do something ("how often should chronic conditions be reported?").
_UPDATES = re.compile(
    r"\b(?:updat\w*|chang\w*|revis\w*|releas\w*|publish\w*|effect\w*|new|come[s]? out|"
    r"added|deleted|refresh\w*|edition|version|year|annual\w*|quarter\w*)\b",
    re.IGNORECASE,
)
# A question on what an abbreviation stands for ("What does NPI stand for?").
_STANDS_FOR = re.compile(r"\bstands?\s+for\b|\bacronym\b|\babbreviat\w*", re.IGNORECASE)
# "What does ESRD mean?", "What is an MUE?", "what is tpl in medical billing?", "Can you tell me
# what is TPL?": an abbreviation is what is asked about, so its name in full is part of the answer
# too (when the lexicon spells it out: see Composer.expansion).
_ABBREVIATION_ASKED = re.compile(
    r"^\W*(?:(?:can|could)\s+you\s+tell\s+me\s+|do\s+you\s+know\s+)?what\s+(?:does|do|is|are)\s+"
    r"(?:an?\s+|the\s+)?[a-z][a-z&/]{1,6}s?(?:\s+means?)?"
    r"(?:\s+(?:in|for)\s+(?:medical\s+|health\s*care\s+)?(?:billing|coding|insurance))?\W*$",
    re.IGNORECASE,
)
# Words an abbreviation leaves out ("Place of Service": POS).
_UNLETTERED = FUNCTION_WORDS | {"&"}
# Words that may follow a code set's name in "is X a Y code?" ("codes", "code set"...).
_NAME_TAIL = frozenset(
    {"code", "set", "section", "categori", "level", "system", "modifi", "list", "book", "one"}
)
_SAME = re.compile(r"\b(?:same|identical|interchangeabl\w*|equivalent|synonym\w*)\b")
_INCLUDES = re.compile(r"\b(?:include[sd]?|contain[s]?|cover[s]?|encompass\w*|have|has)\b")
# The words of those shapes ("is X part of Y", "is X a type of Y", "does Y include X"), as the
# stemmer reads them: they may stand between the two things compared.
_RELATION_TERMS = frozenset(
    stem(w)
    for rx in (_RELATION, _SAME, _INCLUDES)
    for w in re.findall(r"[a-z]{3,}", rx.pattern)
    if w not in FUNCTION_WORDS
)


@dataclass(frozen=True)
class Profile:
    """What the facts say of one concept."""

    concept: str
    name: str
    maintainer: str | None
    covers: str | None
    format: str | None
    updated: str | None
    year_begins: str | None = None  # "January 1", "October 1 of the year before"


@dataclass(frozen=True)
class Member:
    """One row a "which ... for ...?" question can pick: a modifier, a category, a section."""

    concept: str
    name: str  # as the answer names it: "Modifier 62", "CPT Category III"
    text: str  # what it is for, from the facts
    terms: frozenset[str]


@dataclass(frozen=True)
class Pick:
    member: Member
    sure: bool  # clearly ahead of the next best
    others: tuple[Member, ...]


def _names_member(option: str, member: Member) -> bool:
    """Whether an option of a pasted question names a row of a family: "Category III" a CPT
    category, "50" or "-LT" a modifier, "J" or "J codes" a Level II section, "Surgery" a CPT
    section, "ICD-10-CM" a code set."""
    name = re.sub(r"\s*\(.*", "", member.name)
    name = re.sub(r"^(?:CPT|Modifier)\s+", "", name) or name
    if re.fullmatch(r"[A-Z] codes", name):
        # a Level II section: its letter alone, or the letter and "codes"
        return bool(re.fullmatch(rf"\W*{name[0]}(?:\s+codes?)?\W*", option, re.I))
    return bool(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w])", option, re.I))


class Composer:
    """Facts-based sentences for one knowledge base."""

    def __init__(self, kb: KnowledgeBase, facts: Facts, lexicon: Lexicon):
        self.lexicon = lexicon
        self.facts = facts
        self._profiles: dict[str, Profile] = {}
        table = kb.tables.get("code-sets")
        for r in table.records() if table else []:
            cid = r.get("concept", "").strip()
            if cid:
                self._profiles[cid] = Profile(
                    cid,
                    _plain(r.get("name", "")) or cid,
                    _plain(r.get("maintainer", "")) or None,
                    _plain(r.get("covers", "")) or None,
                    r.get("format", "").strip() or None,
                    _plain(r.get("updated", "")) or None,
                    _plain(r.get("year begins", "")) or None,
                )
        table = kb.tables.get("cpt-categories")
        for r in table.records() if table else []:
            name = _plain(r.get("category", ""))
            what = _plain(r.get("what it is for", ""))
            if name:
                cid = category_concept(name)
                self._profiles[cid] = Profile(
                    cid,
                    f"CPT {name}",
                    None,  # the AMA's, as all of CPT
                    _sentence_part(what) or None,
                    r.get("format", "").strip() or None,
                    None,
                )
        for letter, sec in facts.level2.items():
            cid = f"level2-{letter.lower()}"
            parent = self._profiles.get("hcpcs-level-2")
            self._profiles[cid] = Profile(
                cid,
                f"{letter} codes (`{sec.range_text}`)",
                sec.maintainer,
                f"{sec.name[0].lower()}{sec.name[1:]}, in HCPCS Level II",
                f"{letter} followed by four digits",
                parent.updated if parent else None,
            )
        for section in facts.cpt_sections:
            cid = section_concept(section.name)
            self._profiles[cid] = Profile(
                cid,
                f"the CPT {section.name} section (`{section.range_text}`)",
                None,
                f"one of the six sections of CPT Category I, codes {section.range_text}",
                "five digits",
                None,
            )

        self._families = self._build_families(kb)
        self._row_sources: dict[str, tuple[str, ...]] = {}
        for table_id, key, prefix in (
            ("modifiers", "modifier", "modifier-"),
            ("level2-sections", "letter", "level2-"),
            ("code-sets", "concept", ""),
        ):
            table = kb.tables.get(table_id)
            for r in table.records() if table else []:
                cid = prefix + r.get(key, "").replace("`", "").strip().lower()
                sources = tuple(x.strip() for x in r.get("source", "").split(";") if x.strip())
                if sources:
                    self._row_sources[cid] = sources

    def sources_of(self, cid: str) -> tuple[str, ...]:
        """Where the facts about a concept come from (its facts row's Source)."""
        return self._row_sources.get(cid, ())

    def _build_families(self, kb: KnowledgeBase) -> dict[str, list[Member]]:
        """The rows of each facts table that a "which ... is for ...?" question picks from,
        keyed by the word that names the family ("modifier", "category", "section"...)."""
        lex = self.lexicon

        def member(cid: str, name: str, text: str) -> Member:
            return Member(cid, name, text, frozenset(t.term for t in lex.terms(text)))

        modifiers = [
            member(f"modifier-{m.code.lower()}", f"Modifier {m.code}", m.meaning)
            for m in self.facts.modifiers.values()
        ]
        categories = [
            member(
                "cpt-category-" + {"I": "1", "II": "2", "III": "3"}.get(name.split()[-1], "")
                if name.startswith("Category")
                else "cpt-" + name.lower(),
                f"CPT {name}",
                text,
            )
            for name, text in self.facts.cpt_categories.items()
        ]
        level2 = [
            member(f"level2-{letter.lower()}", f"{letter} codes (`{sec.range_text}`)", sec.name)
            for letter, sec in self.facts.level2.items()
        ]
        cpt_sections = [
            Member(
                section_concept(sec.name),
                f"CPT {sec.name}",
                f"one of the six sections of CPT Category I, codes `{sec.range_text}`",
                frozenset(t.term for t in lex.terms(sec.name)),
            )
            for sec in self.facts.cpt_sections
        ]
        code_sets = [
            member(p.concept, p.name, f"{p.covers}")
            for p in self._profiles.values()
            if p.covers and not p.concept.startswith(("level2-", "cpt-"))
        ]
        return {
            "modifi": modifiers,
            "categori": categories,
            "section": level2,
            "cpt_section": cpt_sections,
            "code_set": code_sets,
        }

    def pick(self, reading: Reading, rare: Callable[[str], bool] | None = None) -> Pick | None:
        """For "which modifier is used for two surgeons?", "which CPT category is for
        emerging technology?": the facts row whose text best matches what is asked. Words
        that only tell who asks ("We are a small practice.") pick nothing. ``rare`` tells a
        word the knowledge base seldom uses (see below)."""
        keys = tuple(k for k in reading.keys if k not in reading.scene_words)
        family_key: str | None = next(
            (k for k in ("modifi", "categori", "section") if k in keys), None
        )
        if family_key is None and "code-set" in reading.concepts:
            family_key = "code_set"
        # "What HCPCS code letter is used for ...?": a Level II section, by its letter
        lettered = (
            family_key is None
            and "letter" in keys
            and bool(_LETTER_ASKED.match(reading.text))
            and any("hcpcs" in (c, *self.lexicon.ancestors(c)) for c in reading.concepts)
        )
        if lettered:
            family_key = "section"
        if family_key is None:
            return None
        if not (
            reading.choices
            or lettered
            or reading.intent == "which-code"
            or _asks_which(reading.text, family_key)
            # (after a sentence that sets the scene: "We are a small practice. What is the
            # modifier for ...?")
            or (
                (last := sentences(reading.stem or reading.text)[-1]) != reading.text
                and _asks_which(last, family_key)
            )
        ):
            return None
        if reading.intent is None and not reading.choices and self._specific(reading, family_key):
            return None  # "does Medicare accept the X modifiers": about them, not a pick
        if (
            family_key == "categori"
            and any("icd-10-cm" in (c, *self.lexicon.ancestors(c)) for c in reading.concepts)
            and not any("cpt" in (c, *self.lexicon.ancestors(c)) for c in reading.concepts)
        ):
            return None  # ICD-10-CM has categories of its own ("assignable to a category")
        if (
            family_key == "section"
            and not lettered
            and any("cpt" in (c, *self.lexicon.ancestors(c)) for c in reading.concepts)
        ):
            family_key = "cpt_section"  # "which CPT section has the lab tests?"
        members = self._families.get(family_key, [])
        named = {m.concept for m in members} & set(reading.concepts)
        if reading.true_false and not named:
            return None  # "The CMS form has three modifier fields. True or false?": no row asked
        if named and not reading.choices:
            if (
                family_key == "cpt_section"
                and len(named) == 1
                and self._only_family(reading, named)
            ):
                # "In which CPT section would you find codes for radiology?": the section
                # named is the one asked for
                return Pick(next(m for m in members if m.concept in named), True, ())
            return None  # "what does modifier 25 mean": the member is named, nothing to pick
        if reading.choices and named:
            members = [m for m in members if m.concept in named]
        elif reading.choices and not any(
            _names_member(text, m) for _letter, text in reading.options for m in members
        ):
            # Options that name no row of the family are not chosen by it: "___ is a category
            # for pass-through devices. A) Status Indicator H B) Status Indicator G" asks for an
            # OPPS status indicator, not a CPT category.
            return None
        family_terms: dict[str, int] = {}
        for m in members:
            for t in m.terms:
                family_terms[t] = family_terms.get(t, 0) + 1
        n = max(1, len(members))
        idf = {t: math.log(1 + n / c) for t, c in family_terms.items()}
        # The words that name the family pick no member ("code set" is not the "setting"
        # ICD-10-CM covers).
        naming = {
            "code_set": self.lexicon.terms_of("code-set"),
            "cpt_section": {"section", "cpt"},
        }.get(family_key, {family_key})
        # Nor do the words of a code set or section the question names, which say where the
        # member is used ("surgery" in "what is the modifier for bilateral surgery").
        own = {m.concept for m in members}
        context = {
            t
            for c in reading.concepts
            if c in self._profiles and c not in own
            for t in self.lexicon.terms_of(c)
        }
        # A payer named is where the member is used, not what it is for ("the modifier for
        # Medicare" is no modifier whose meaning says "Medicare").
        payers = {
            t.term
            for f in self.lexicon.find_concepts(list(reading.terms))
            if a_payer(self.lexicon, f.concept)
            for t in reading.terms[f.start : f.end]
        }
        said = [k for k in dict.fromkeys(keys) if k not in _PICK_NOISE | naming | context | payers]
        asked = [k for k in said if k in idf]
        if not asked:
            return None
        # Rare words no row of the family has ("chaplains" in "the modifiers for spiritual
        # assessments by chaplains") say the question is about something else: each counts
        # against every row as much as an average word of the family. (Common words, "cover"
        # or "start", say nothing either way.)
        elsewhere = [k for k in said if k not in idf and rare is not None and rare(k)]
        total = sum(idf[t] for t in asked) + len(elsewhere) * (sum(idf.values()) / len(idf))
        scored = sorted(
            ((sum(idf[t] for t in asked if t in m.terms) / total, m) for m in members),
            key=lambda x: -x[0],
        )
        best_score, best = scored[0]
        second = scored[1][0] if len(scored) > 1 else 0.0
        if best_score < PICK_MIN:
            return None
        others = tuple(m for sc, m in scored[1:3] if sc >= PICK_MIN)
        return Pick(best, best_score - second >= 0.2, others)

    def _only_family(self, reading: Reading, named: set[str]) -> bool:
        """Whether a question names nothing besides the member and the family it belongs to:
        the member's ancestors ("CPT") and concepts no deeper than they are ("the CPT
        sections"), not a topic inside the member ("qualifying circumstances" in "In the
        anesthesia section, which are the qualifying circumstances?")."""
        (member,) = named
        line = set(self.lexicon.ancestors(member))
        return all(
            c in named or c in line or set(self.lexicon.ancestors(c)) <= line
            for c in reading.concepts
        )

    def _specific(self, reading: Reading, family_key: str) -> bool:
        """Whether the question names a group inside the family ("the X modifiers", "anatomic
        modifiers"), which its own entry answers better than one picked row."""
        if family_key != "modifi":
            return False
        return any(
            c.endswith("-modifiers") and "modifier" in self.lexicon.ancestors(c)
            for c in reading.concepts
        )

    # -- the facts of a concept, inherited along the tree ---------------------------------
    def profile(self, cid: str) -> Profile | None:
        return self._profiles.get(cid)

    def inherited(self, cid: str, attribute: Literal["maintainer", "updated"]) -> str | None:
        """What the facts say of a concept (its maintainer, when it is updated), or of the
        nearest concept it belongs to that says it."""
        for c in (cid, *self.lexicon.ancestors(cid)):
            p = self._profiles.get(c)
            if p is None:
                continue
            value = p.maintainer if attribute == "maintainer" else p.updated
            if value:
                return value
        return None

    def label(self, cid: str) -> str:
        return self.lexicon.label(cid)

    def describes(self, cid: str) -> bool:
        """Whether the facts describe a concept as a code set or a part of one (a level,
        category, section or Level II letter section), so that a code's place decides it."""
        return cid in self._profiles

    # -- leads ---------------------------------------------------------------------------
    def lead(
        self, reading: Reading, answer: str, about: Collection[str] | None = None
    ) -> str | None:
        """A first sentence for a "who" or "when" question whose answer text does not already
        start with it. ``about`` are the concepts of the entry answering: one about neither the
        concept nor one above it ("who maintains CPT" for "who assigns HCPCS codes?") does not
        say it, even if it names the same organisation in passing."""
        concept = _main(reading)
        if concept is None:
            return None
        if _STANDS_FOR.search(reading.text) or _ABBREVIATION_ASKED.match(reading.text):
            expanded = self.expansion(reading)
            if expanded is not None and expanded[1].lower() not in answer[:400].lower():
                return f"**{expanded[0]}** stands for **{expanded[1]}**."
        if (
            reading.intent == "who"
            and self.describes(concept)
            and _MAINTAINS.search(reading.flat or reading.text)
            and self._asked_of(reading, concept)
        ):
            who = self.inherited(concept, "maintainer")
            said = _first_name(who) in answer[:400] if who else False
            line = (concept, *self.lexicon.ancestors(concept))
            elsewhere = about is not None and not any(c in about for c in line)
            if who and (not said or elsewhere):
                return f"**Who maintains {self.label(concept)}:** {who}."
        if (
            reading.intent == "when"
            and _UPDATES.search(reading.text)
            and not re.search(r"\b(?:history|created|began|start)", reading.text, re.I)
        ):
            # (only for a code set or a part of one the facts describe: "is the Pap smear
            # covered every year?" asks how often a service is covered)
            when = self.inherited(concept, "updated") if self.describes(concept) else None
            if when:
                dated = self._year_begins(concept, reading.text)
                return f"**When {self.label(concept)} change:** {when}.{dated}"
        return None

    def _year_begins(self, concept: str, text: str) -> str:
        """For a question that names a year ("when do the 2024 diagnosis codes take effect?"),
        the date that year's codes take effect, from the facts' "Year begins" ("October 1 of
        the year before": a fiscal year), as a sentence after the schedule; else ""."""
        profile = self._profiles.get(concept)
        begins = _YEAR_BEGINS.fullmatch(profile.year_begins or "") if profile else None
        years = {int(y) for y in _A_YEAR.findall(text)}
        if begins is None or len(years) != 1:
            return ""
        year = years.pop()
        starts = year - 1 if begins["before"] else year
        fiscal = f", the start of fiscal year {year}" if begins["before"] else ""
        return (
            f" The {year} {self.label(concept)} codes take effect on {begins['day']}, {starts}"
            f"{fiscal}."
        )

    def _asked_of(self, reading: Reading, concept: str) -> bool:
        """Whether the sentence that asks who maintains something names ``concept``: after
        "The physician prescribed a back brace ...", "Who is responsible for the claim?" asks
        who bills it, not who maintains the brace's codes."""
        said = sentences(reading.stem or reading.text)
        asking = [s for s in said if _MAINTAINS.search(self.lexicon.flat(s))]
        if len(said) < 2 or not asking:
            return True
        lexicon = self.lexicon
        return any(
            f.concept == concept for s in asking for f in lexicon.find_concepts(lexicon.terms(s))
        )

    def expansion(self, reading: Reading) -> tuple[str, str] | None:
        """An abbreviation the question names a concept by ("NPI") and the concept's name in
        full that it abbreviates, found among the concept's aliases in the lexicon ("national
        provider identifier": the initials of its words, those an abbreviation leaves out
        aside). None when the lexicon has no such name."""
        # (a hyphen joins the parts of one: "MS-DRG", an alias "ms drg")
        for word in re.findall(r"[A-Za-z][A-Za-z/&]{1,7}(?:-[A-Za-z]{2,5})?", reading.text):
            letters = re.sub(r"[^a-z]", "", word.lower())
            if not 2 <= len(letters) <= 6:
                continue
            for cid in reading.concepts:
                concept = self.lexicon.concepts.get(cid)
                if concept is None or word.lower().replace("-", " ") not in concept.aliases:
                    continue
                for alias in concept.aliases:
                    words = [w for w in re.split(r"[\s/-]+", alias) if w]
                    initials = "".join(w[0] for w in words if w not in _UNLETTERED)
                    if len(words) >= 2 and initials == letters:
                        shown = " ".join(
                            w if w in _UNLETTERED else w[:1].upper() + w[1:] for w in words
                        )
                        return word.upper(), shown
        return None

    # -- yes/no --------------------------------------------------------------------------
    def yes_no(self, reading: Reading) -> str | None:
        """ "Yes."/"No." and why, when two named concepts' places in the tree decide it, or a
        modifier named by its code and a meaning (:meth:`modifier_claim`); a statement to judge
        gets "True."/"False." instead."""
        return self.decide(reading)[0]

    def decide(self, reading: Reading) -> tuple[str | None, bool]:
        """:meth:`yes_no`, and whether the modifiers table decided it outright (then no entry
        needs to be weighed against it)."""
        claim = self.modifier_claim(reading)
        decided = claim or self._tree(reading) or self.maintainer_claim(reading)
        verdict = re.match(r"(Yes|No)\b", decided or "")
        if decided and verdict and reading.true_false:
            decided = ("True" if verdict.group(1) == "Yes" else "False") + decided[verdict.end() :]
        return decided, claim is not None

    def modifier_claim(self, reading: Reading) -> str | None:
        """Whether a modifier named by its code means what the question says: "Does modifier
        99 indicate unusual anesthesia?" (No: that is modifier 23), "Is modifier 25 for a
        significant, separately identifiable E/M service?" (Yes)."""
        if not reading.yes_no:
            return None
        mods = [c for c in reading.concepts if c.startswith("modifier-")]
        if not mods or len(mods) > 2:
            return None
        flat = reading.flat
        words = set(flat.replace("|", " ").split())
        if _TOGETHER.search(flat) or not _MEANS.search(flat):
            return None
        # (a modifier said only in brackets glosses the question's words: "a professional
        # component (mod 26) for a CBC?" asks about the CBC, not what 26 means)
        # (and a meaning said only in brackets glosses the code before it: "should I attach
        # modifier 52 (reduced services) to show the procedure was discontinued?" claims that
        # 52 shows a discontinued procedure, not that it means reduced services)
        plain = (
            self.lexicon.flat(_BRACKETED.sub(" ", reading.text)) if "(" in reading.text else flat
        )
        unbracketed = set(plain.replace("|", " ").split())
        by_code = [
            c
            for c in mods
            if c.removeprefix("modifier-") in words and c.removeprefix("modifier-") in unbracketed
        ]
        by_meaning = [c for c in mods if self._named_by_meaning(c, plain)]
        if len(by_code) != 1 or len(by_meaning) != 1:
            return None
        named, meant = by_code[0], by_meaning[0]
        said = self.facts.modifiers.get(named.removeprefix("modifier-").upper())
        if said is None:
            return None
        label = _cap(self.label(named))
        if named == meant:
            return f"Yes. {label} means: {_sentence(said.meaning)}"
        other = self.facts.modifiers.get(meant.removeprefix("modifier-").upper())
        if other is None:
            return None
        return (
            f"No. {label} means: {_sentence(said.meaning)} "
            f"What the question describes is {self.label(meant)}: {_sentence(other.meaning)}"
        )

    def maintainer_claim(self, reading: Reading) -> str | None:
        """ "Is HCPCS Level II maintained by the AMA?": No, by CMS; from the facts tables."""
        if not reading.yes_no or "who" not in reading.intents:
            return None
        organisations = [
            c for c in reading.concepts if self.lexicon.ancestors(c)[:1] == ("context",)
        ]
        # (a code set or a part of one the facts describe: the ICD-10-CM guidelines, below
        # ICD-10-CM, are issued by others than the code set's maintainer)
        subjects = [
            c for c in reading.concepts if self.describes(c) and self.inherited(c, "maintainer")
        ]
        if not 1 <= len(organisations) <= 2 or not subjects:
            return None
        subject = subjects[0]
        if not all(self._maintained_thing(reading, o, subject) for o in organisations):
            return None  # "Does CMS publish utilization data on CPT codes?": data, not CPT
        who = self.inherited(subject, "maintainer") or ""
        label = _cap(self.label(subject))
        verb = "are" if label.lower().endswith(("codes", "modifiers", "sections")) else "is"
        # ("updated every year by CMS and AMA": each organisation named must be a maintainer;
        # one that is not makes the claim false, while two that are leave any other claim of
        # the sentence, when it is updated, undecided)
        others = [
            self.label(o)
            for o in organisations
            if not re.search(rf"\b{re.escape(self.label(o))}\b", who, re.I)
        ]
        if not others:
            if len(reading.intents) > 1:
                return None
            return f"Yes. {label} {verb} maintained by {who}."
        return f"No. {label} {verb} maintained by {who}, not by {' or '.join(others)}."

    def _maintained_thing(self, reading: Reading, org: str, subject: str) -> bool:
        """Whether the code set asked about is what the verb of maintaining is said of: named
        before it ("Is CPT maintained by CMS?") or right after it, the organisation aside
        ("Does CMS maintain CPT?"), not a thing of its own between them ("Does CMS publish
        utilization data on CPT codes?")."""
        named = self.lexicon.terms_of(subject)
        if self._named_with_more(reading, named, org):
            return False  # "Does CMS publish the ICD-10-CM guidelines?": guidelines, not ICD
        keys = list(reading.keys)
        if "maintain" not in keys:
            return True
        at = keys.index("maintain")
        aside = self.lexicon.terms_of(org)
        after = [k for k in keys[at + 1 :] if k not in aside]
        return bool(named & set(keys[:at])) or (bool(after) and after[0] in named)

    def _named_with_more(self, reading: Reading, named: frozenset[str], org: str) -> bool:
        """Whether the words naming the code set run on, with no word between, into a word
        that no concept of the question holds: then the code set only qualifies the thing
        asked about ("ICD-10-CM guidelines", "facility level guidelines for ED visits")."""
        # (the words of "code set" itself name no other thing: "the CPT code set")
        held = {t for c in reading.concepts if c != org for t in self.lexicon.terms_of(c)}
        held |= self.lexicon.terms_of("code-set")
        # (nor does a verb of keeping it: "Is HCPCS Level II updated by CMS?")
        terms = [t for t in reading.terms if not _MAINTAINS.fullmatch(t.term)]
        for one, following in zip(terms, terms[1:], strict=False):
            if (
                one.term in named
                and following.index == one.index + 1
                and following.term not in held
                and following.term not in self.lexicon.terms_of(org)
            ):
                return True
        return False

    def _named_by_meaning(self, cid: str, flat: str) -> bool:
        """Whether a modifier is named in ``flat`` by words for its meaning, not its code."""
        concept = self.lexicon.concepts.get(cid)
        code = cid.removeprefix("modifier-")
        for alias in concept.aliases if concept else ():
            read = " ".join(self.lexicon.read(alias))
            if code in read.split() or len(read) < 6:
                continue
            if re.search(rf"(?:^|\s){re.escape(read)}(?:\s|$)", flat):
                return True
        return False

    def _tree(self, reading: Reading) -> str | None:
        if not reading.yes_no or len(reading.concepts) < 2:
            return None
        a, b = reading.concepts[0], reading.concepts[1]
        if a == b or not (self._kind(a) and self._kind(b)):
            return None  # only code sets and their parts are decided by the tree
        if a not in self._profiles and b not in self._profiles:
            # Two topics, neither a code set or section the facts describe ("Is RhoGAM
            # included in the global OB package?" asks about a bundle, not about the tree).
            return None
        ancestors = self.lexicon.ancestors
        if any(
            c not in ancestors(a) and c not in ancestors(b) and "context" not in ancestors(c)
            for c in reading.concepts[2:]
        ):
            # "Are category 3 CPT codes temporary codes?": CPT only qualifies Category III,
            # and what is asked is whether they are temporary codes, a third thing.
            return None
        # The whole text, pasted options included (the reading's flat is the stem's).
        flat = self.lexicon.flat(reading.text) if reading.stem else reading.flat
        relation = _STATED_RELATION if reading.true_false else _RELATION
        if not relation.search(flat):
            return None  # "is X a Y", "is X part of Y", "are X and Y the same"...
        if _ONLY_FOR.search(flat):
            return None  # "are Level II codes just for drugs?": what they are for, not X in Y
        if re.match(r"(?:is|are) there\b", flat) and (
            not reading.terms
            or reading.terms[0].term not in self.lexicon.terms_of(a)
            or not re.search(r"\bin\b", flat)
        ):
            # "is there a crosswalk from X to Y?" asks about the crosswalk, "is there a CPT
            # code for X?" whether one exists; "are there J codes in CPT?" is X in Y
            return None
        if not self._between(reading, a, b, _RELATION_TERMS):
            return None  # "are weakness or tachycardia secondary diagnoses, or ...": not X is Y
        la, lb = _cap(self.label(a)), _cap(self.label(b))
        if _SAME.search(flat):
            if b in self.lexicon.ancestors(a):
                return f"No. {la} {_be(la)} part of {lb}, not the same thing: {self._place(a)}"
            if a in self.lexicon.ancestors(b):
                return f"No. {lb} {_be(lb)} part of {la}, not the same thing: {self._place(b)}"
            return f"No. {la} and {lb} are different: {self._place(a)} {self._place(b)}"
        if _INCLUDES.search(flat):
            a, b = b, a  # "does HCPCS include CPT?": is CPT part of HCPCS?
            la, lb = lb, la
        elif self._said_after(reading, b):
            return None  # "are speech therapy CPT codes untimed?" asks about "untimed"
        if not self._coded(a):
            return None  # "is a CPT subsection part of HCPCS?": the book, not the code set
        if b in self.lexicon.ancestors(a):
            return f"Yes. {la} {_be(la)} part of {lb}: {self._place(a)}"
        if a in self.lexicon.ancestors(b):
            return f"No: it is the other way round. {lb} {_be(lb)} part of {la}: {self._place(b)}"
        if self._kind(a) == self._kind(b) or self._between(reading, a, b, frozenset()):
            # Two parts of one code set, or two code sets asked of plainly ("is HCPCS a
            # diagnosis code?"; not "is HCPCS used with ICD-10 codes?").
            return f"No. {la} and {lb} are different: {self._place(a)} {self._place(b)}"
        return None

    def _between(self, reading: Reading, a: str, b: str, allowed: frozenset[str]) -> bool:
        """Whether the question names ``a`` first and ``b`` after it with nothing between them
        but parts of a name ("codes", "set") and ``allowed`` words ("is X part of Y"), and
        nothing of its own before ``a``: then it asks whether one is the other."""
        found = self.lexicon.find_concepts(list(reading.terms))
        spans_a = [(f.start, f.end) for f in found if f.concept == a]
        spans_b = [(f.start, f.end) for f in found if f.concept == b]
        if not spans_a or not spans_b:
            return True  # (a concept implied by a code, or read another way: not decided here)
        a_start, a_end = spans_a[0]
        later = [s for s in spans_b if s[0] >= a_end]
        if not later:
            a_start, a_end = spans_b[0]  # "does HCPCS include CPT?": named the other way round
            later = [s for s in spans_a if s[0] >= a_end]
            if not later:
                return False
        b_start = later[0][0]
        keys = [t.term for t in reading.terms]
        gap = keys[:a_start] + keys[a_end:b_start]
        if not all(k in _NAME_TAIL or k in allowed for k in gap):
            return False
        # "Are U codes for COVID tests?" asks what one is for, not whether it is the other
        # (and so does "Are E codes for durable medical equipment?", where the second name,
        # "codes for durable medical equipment", starts with the first one's "codes")
        said = self.lexicon.read(reading.stem or reading.text)
        named_b = reading.terms[b_start : later[0][1]]
        lead = next((t for t in named_b if t.term not in _NAME_TAIL), named_b[0])
        first, then = reading.terms[a_end - 1].index, lead.index
        return not any(w in _FOR_WORDS for w in said[first + 1 : then])

    def _said_after(self, reading: Reading, cid: str) -> bool:
        """Whether the question goes on, after naming ``cid``, with a word that is not part of
        a name ("codes", "section"): then the question asks about that word, not whether one
        thing is part of the other."""
        names = self.lexicon.terms_of(cid)
        at = [t.index for t in reading.terms if t.term in names]
        if not at:
            return False
        return any(
            t.index > max(at) and t.term not in _NAME_TAIL and t.term not in names
            for t in reading.terms
        )

    def _coded(self, cid: str) -> bool:
        """Whether a concept is a set of codes the tree can place: a code set, level, category,
        section or letter section the facts describe, a modifier, or a topic with code ranges
        (office visits). A book, its index or its divisions are not."""
        concept = self.lexicon.concepts.get(cid)
        return (
            cid in self._profiles
            or cid == "modifier"
            or cid.startswith("modifier-")
            or cid.endswith("-modifier")
            or bool(concept and concept.codes)
        )

    def _kind(self, cid: str) -> str | None:
        """The top of a concept's tree: concepts under different code sets are different."""
        chain = (cid, *self.lexicon.ancestors(cid))
        for top in ("hcpcs", "icd", "ndc", "modifier"):
            if top in chain:
                return top
        return None

    def _place(self, cid: str) -> str:
        """One sentence on what a concept is, from the facts."""
        p = self._profiles.get(cid)
        label = self.label(cid)
        if p is not None and p.covers:
            who = self.inherited(cid, "maintainer")
            tail = f", maintained by {who}" if who else ""
            covers = "cover" if _be(p.name) == "are" else "covers"
            return f"{_cap(p.name)} {covers} {p.covers}{tail}."
        parents = self.lexicon.ancestors(cid)
        if parents:
            return f"{_cap(label)} belongs to {self.label(parents[0])}."
        return f"{_cap(label)}."

    # -- comparisons ---------------------------------------------------------------------
    def comparison(self, reading: Reading) -> str | None:
        """A composed comparison of the first two concepts named, and of the ones after them
        that are compared with them ("Category I, II, and III"), when the facts describe
        each."""
        if len(reading.concepts) < 2:
            return None
        a, b = reading.concepts[0], reading.concepts[1]
        pa, pb = self._profiles.get(a), self._profiles.get(b)
        if pa is None or pb is None:
            return None
        if self._nested(a, b):
            # (one thing, or "category 1 and 2 CPT codes": a part of CPT is not compared with CPT)
            return None
        compared = [a, b]
        for c in reading.concepts[2:MAX_COMPARED]:
            # (a third thing of the same kind, not a part of one named or what holds them)
            if (
                c in self._profiles
                and not any(self._nested(c, d) for d in compared)
                and self._kind(c) == self._kind(a)
            ):
                compared.append(c)
        return self.definitions(compared, "compare")

    def _nested(self, a: str, b: str) -> bool:
        """Whether one of two concepts is the same as, or a part of, the other."""
        return a == b or a in self.lexicon.ancestors(b) or b in self.lexicon.ancestors(a)

    def definitions(self, concepts: Sequence[str], intent: str | None = None) -> str | None:
        """What each of several things of one kind is, in short ("What are J and G codes?"),
        when the facts describe each; asked how they differ, said to be not the same."""
        profiles = [(c, p) for c in concepts if (p := self._profiles.get(c)) is not None]
        if len(profiles) < 2 or len(profiles) < len(concepts):
            return None
        names = [f"**{_cap(self.label(concepts[0]))}**"] + [
            f"**{self.label(c)}**" for c in concepts[1:]
        ]
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        lines = [
            f"{listed} are not the same:" if intent == "compare" else f"{listed}, each in short:",
            "",
        ]
        lines += [self._line(cid, p) for cid, p in profiles]
        common = self._common(concepts[0], concepts[1])
        if common and all(common in self.lexicon.ancestors(c) for c in concepts[2:]):
            lines += [
                "",
                f"All belong to {self.label(common)}."
                if len(concepts) > 2
                else f"Both belong to {self.label(common)}.",
            ]
        return "\n".join(lines)

    def _line(self, cid: str, p: Profile) -> str:
        """One thing's line in a comparison: what it covers, who maintains it, its format."""
        who = self.inherited(cid, "maintainer")
        parts = [f"- **{_cap(p.name)}**: {p.covers}" if p.covers else f"- **{_cap(p.name)}**"]
        if who:
            parts.append(f"maintained by {who}")
        if p.format:
            parts.append(f"written as {p.format}")
        return "; ".join(parts) + "."

    def _common(self, a: str, b: str) -> str | None:
        ancestors_b = (b, *self.lexicon.ancestors(b))
        for c in (a, *self.lexicon.ancestors(a)):
            if c in ancestors_b:
                return c
        return None


# Words of a "which ... for ...?" question that say nothing about which row is meant.
_PICK_NOISE = frozenset(
    "what which when how who where why use used code cpt hcpcs report bill append indic describ "
    "mean appli follow consid identifi design specif need should is are most often common "
    "frequent usual coder".split()
)
PICK_MIN = 0.6  # share of the question's words a row must match to be picked
# "which modifier ...", "what CPT category ...", "modifier for two surgeons", "modifier when no
# drug was wasted": the question asks for one member of a family. "Which appendix lists
# modifiers" asks for an appendix.
_WHICH = re.compile(r"^\W*(?:(?:in|on|under|from)\s+)?(?:which|what)\s+(?:\S+\s+)?(\S+)", re.I)

# "What letter ...", "Which HCPCS code letter ...": a letter of the code set is asked for.
_LETTER_ASKED = re.compile(r"^\W*(?:which|what)\s+(?:\S+\s+){0,3}?letters?\b", re.I)

_FAMILY_WORD = {
    "modifi": "modifier",
    "categori": "categor",
    "section": "section",
    "code_set": "code",
}
_PURPOSE = re.compile(r"\s+(?:used\s+)?(?:for|when|to|if)\b", re.I)
_TERSE = re.compile(r"^\W*(\S+)\s+(?:for|when|if|to)\b", re.I)
# "What is the correct HCPCS modifier for the right hand's second digit?": one member asked
# for by what it is for, after an article, a word of choosing and the code set's name ("Is
# there a modifier for a procedure on the left side?" asks for one too).
_WHAT_IS_THE = re.compile(
    r"^\W*(?:(?:what|which)\s+(?:is|are|'s)\s+(?:the\s+)?|(?:is|are)\s+there\s+(?:an?|any)\s+)"
    r"(?:(?:correct|right|proper|appropriate|best)\s+)?"
    r"(?:(?:hcpcs|cpt|level\s+(?:ii|2|i|1)|national)\s+)?(\S+?)s?(?=\s+(?:used\s+)?(?:for|when|to|if)\b)",
    re.I,
)


def _asks_which(text: str, family_key: str | None = None) -> bool:
    named = _WHAT_IS_THE.match(text)
    if (
        named is not None
        and family_key is not None
        and named.group(1).lower().startswith(_FAMILY_WORD.get(family_key, family_key))
    ):
        return True
    m = _WHICH.match(text) or _TERSE.match(text)
    if m is None:
        return False
    if family_key is None:
        return True
    asked = {m.group(1).lower(), *(w.lower() for w in m.group(0).split()[1:2])}
    if not any(w.startswith(_FAMILY_WORD.get(family_key, family_key)) for w in asked):
        return False
    words = m.group(0).split()
    if len(words) > 2 and words[1].lower() in FUNCTION_WORDS:
        # "what is modifier in medical billing?" asks what one is; "what is modifier for
        # bilateral surgery?" asks which
        return bool(_PURPOSE.match(text[m.end() :]))
    return True


def _main(reading: Reading) -> str | None:
    return reading.concepts[0] if reading.concepts else None


def _plain(text: str) -> str:
    return " ".join(text.split()).strip()


def _sentence(text: str) -> str:
    """Plain text ending with a full stop."""
    text = _plain(text).rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


# "only for", "just for": what a code set is used for, not whether it is part of another.
_ONLY_FOR = re.compile(r"\b(?:only|just|solely|exclusively)\s+(?:used\s+)?for\b")


def _be(label: str) -> str:
    """ "are" for a label that names several codes ("J codes", "CPT modifiers"), else "is"."""
    words = label.split(" (")[0].lower().split()
    last = words[-1] if words else ""
    return "are" if last in ("codes", "modifiers", "sections", "categories") else "is"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _first_name(text: str) -> str:
    """The first organisation named in a maintainer cell ("CMS, for ..." -> "CMS")."""
    head = re.split(r"[,;(]", text)[0].strip()
    acronym = re.search(r"\(([A-Z]{2,})\)", text)
    return acronym.group(1) if acronym else head.split()[-1] if head else text


def _sentence_part(text: str) -> str:
    """A table cell's text to go on in a sentence: its first letter in lower case, unless the
    first words are a name ("Proprietary Laboratory Analyses: ...")."""
    words = text.split()
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]
