"""Answers as plain text, for pasting into an email or a claim note (the chat app's Ctrl+Y).

:func:`markdown_to_text` reads the Markdown the core writes and keeps only the words: no ``**``,
no backticks, no table pipes. A code card's fact table (a table without a header) becomes
"Code set: HCPCS Level II" lines; a table with a header becomes one line per row, its cells
joined with " · " under a line of the column names (two columns: "first: second"). Headings stand
on their own line, lists keep "- " and "1. ", and a paragraph is one line, so the mail program
wraps it. :func:`answer_text` adds the sources and the data release, as the app shows them.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_to_text(markdown: str) -> str:
    """The words of ``markdown`` as plain text (see the module's description)."""
    root = SyntaxTreeNode(_PARSER.parse(markdown))
    blocks = _blocks(root.children)
    return "\n\n".join(b for b in blocks if b.strip()).strip()


def answer_text(answer) -> str:
    """An :class:`assistant.core.answer.Answer` as plain text with its sources and data release,
    ending with a newline."""
    parts = [markdown_to_text(answer.markdown)]
    notes = []
    if answer.sources:
        notes.append("Sources: " + "; ".join(answer.sources))
    if answer.release:
        notes.append(f"HCPCS data: {answer.release}")
    if notes:
        parts.append("\n".join(notes))
    return "\n\n".join(p for p in parts if p) + "\n"


def _blocks(nodes) -> list[str]:
    return [text for node in nodes if (text := _block(node))]


def _block(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind in ("paragraph", "heading"):
        return _inline_of(node)
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "table":
        return _table(node)
    if kind in ("fence", "code_block"):
        return node.content.rstrip("\n")
    if kind == "blockquote":
        return "\n\n".join(_blocks(node.children))
    if kind == "html_block":
        return node.content.strip()
    return ""  # a thematic break ("---"): the blank line around it is enough


def _inline_of(node: SyntaxTreeNode) -> str:
    return "".join(_inline(child) for child in node.children).strip()


def _inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "inline":
        return "".join(_inline(child) for child in node.children)
    if kind in ("text", "code_inline", "html_inline"):
        return node.content
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "\n"
    if kind == "image":
        return "".join(_inline(child) for child in node.children)
    if kind == "link":
        text = "".join(_inline(child) for child in node.children)
        href = str(node.attrs.get("href", ""))
        return text if not href or href in (text, f"mailto:{text}") else f"{text} ({href})"
    return "".join(_inline(child) for child in node.children)  # strong, em, s


def _list(node: SyntaxTreeNode) -> str:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1) or 1) if ordered else 0
    lines: list[str] = []
    for item in node.children:
        mark = f"{number}. " if ordered else "- "
        number += 1
        body = "\n".join(_blocks(item.children)).splitlines() or [""]
        lines.append(mark + body[0])
        lines += [" " * len(mark) + line if line else "" for line in body[1:]]
    return "\n".join(lines)


def _table(node: SyntaxTreeNode) -> str:
    header: list[str] = []
    rows: list[list[str]] = []
    for section in node.children:
        for tr in section.children:
            cells = [_inline_of(cell) for cell in tr.children]
            if section.type == "thead":
                header = cells
            else:
                rows.append(cells)
    if not any(header):  # a fact card: label and value
        return "\n".join(_pair(r) for r in rows)
    if len(header) == 2:
        return "\n".join(_pair(r) for r in rows)
    lines = [" · ".join(header)]
    lines += [" · ".join(c for c in r if c) for r in rows]
    return "\n".join(lines)


def _pair(cells: list[str]) -> str:
    label, *rest = cells or [""]
    value = " · ".join(c for c in rest if c)
    return f"{label}: {value}" if label and value else label or value
