"""Every problem ``hcpcs-assistant check`` reports for a knowledge directory, in one place:
the files as read (:mod:`assistant.core.kb`), the facts tables (:mod:`assistant.core.facts`) and the
lexicon and the entries' metadata (:mod:`assistant.core.lexicon`)."""

from __future__ import annotations

from assistant.core import facts, kb, lexicon


def problems(knowledge: kb.KnowledgeBase) -> list[kb.Problem]:
    """All problems of a loaded knowledge base, by file and line."""
    found = [
        *knowledge.problems,
        *facts.check(knowledge),
        *lexicon.check(knowledge, facts.build(knowledge)),
    ]
    return sorted(found, key=lambda p: (p.path, p.line))
