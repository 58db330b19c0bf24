"""Answers as plain text (the chat app's Ctrl+Y): no Markdown marks, fact tables as lines."""

from __future__ import annotations

import pytest

from assistant.core.result import Answer
from assistant.tui.plain_text import answer_text, markdown_to_text

CARD = (
    "### `V5266` · HCPCS Level II\n\n"
    "| | |\n|---|---|\n"
    "| **Code set** | HCPCS Level II |\n"
    "| **Maintained by** | CMS |\n"
    "| **Section** | Vision and hearing services (`V0000-V5999`) |\n\n"
    "`V5266` is a **HCPCS Level II** code, not *CPT*.\n\n"
    "- Official descriptions are not loaded: run `hcpcs-assistant import-hcpcs FILE`."
)


def test_a_code_card_becomes_label_and_value_lines():
    assert markdown_to_text(CARD) == (
        "V5266 · HCPCS Level II\n\n"
        "Code set: HCPCS Level II\n"
        "Maintained by: CMS\n"
        "Section: Vision and hearing services (V0000-V5999)\n\n"
        "V5266 is a HCPCS Level II code, not CPT.\n\n"
        "- Official descriptions are not loaded: run hcpcs-assistant import-hcpcs FILE."
    )


def test_tables_with_a_header_become_one_line_per_row():
    two = (
        "| Section | Range |\n|---|---|\n| Surgery | `10004-69990` |\n| Radiology | `70010-79999` |"
    )
    assert markdown_to_text(two) == "Surgery: 10004-69990\nRadiology: 70010-79999"
    four = "| Letter | Section | Range | Maintainer |\n|---|---|---|---|\n| J | Drugs | `J0000-J9999` | CMS |"
    assert (
        markdown_to_text(four)
        == "Letter · Section · Range · Maintainer\nJ · Drugs · J0000-J9999 · CMS"
    )


def test_escapes_lists_links_and_breaks():
    text = markdown_to_text(
        "Use \\*only\\* the \\| sign\nsoftly.\n\n1. first\n2. second\n\n---\n\n"
        "[CMS](https://www.cms.gov/) and <https://www.cms.gov/>"
    )
    assert text == (
        "Use *only* the | sign softly.\n\n1. first\n2. second\n\n"
        "CMS (https://www.cms.gov/) and https://www.cms.gov/"
    )


def test_answer_text_adds_sources_and_release():
    reply = Answer(
        question="V5266",
        kind="code",
        body="",
        cards=CARD,
        sources=("CMS: Alpha-Numeric HCPCS file, January 2026",),
        release="January 2026",
    )
    text = answer_text(reply)
    assert text.endswith(
        "\n\nSources: CMS: Alpha-Numeric HCPCS file, January 2026\nHCPCS data: January 2026\n"
    )


@pytest.mark.parametrize(
    "question",
    ["what are the cpt sections", "what are the level 2 sections", "modifier 59 vs XS", "V5266"],
)
def test_real_answers_lose_every_markdown_mark(assistant_, question):
    text = answer_text(assistant_.answer(question))
    for mark in ("**", "`", "|", "###", "---"):
        assert mark not in text, (mark, text)
