"""Markdown "cards" for classified codes: what a code is and what that means for billing."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from assistant.codes.classify import DATA_UNAVAILABLE_NOTE, CodeInfo
from assistant.codes.hcpcs.records import CodeRecord
from assistant.core.text import lower_first, one_line

MAX_CHILDREN = 12  # codes below an ICD-10-CM category listed on its card

IMPORT_HINT = (
    "Official descriptions are not loaded: download the Alpha-Numeric HCPCS file from the CMS "
    "HCPCS quarterly update page and run `hcpcs-assistant import-hcpcs FILE`."
)


def _code(text: str) -> str:
    """Inline code that a backtick in what the user typed cannot break."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _billing_line(c: CodeInfo) -> str:
    code = _code(c.code)
    if c.system == "CPT" and c.status == "terminated":
        # A deleted code the facts list ("99201"): its note says when, and what is used now.
        return (
            f"{code} was a CPT code (HCPCS Level I, maintained by the AMA), deleted from CPT: "
            "do not report it for dates of service after its last valid date."
        )
    if c.system == "CPT":
        if c.section and c.family and c.current:
            name, span = c.family
            return (
                f"{code} is a current CPT code in {c.current}, one of the codes for "
                f"{lower_first(name)} (`{span}`) in the CPT {c.section} section "
                f"(`{c.range}`); its exact descriptor is in a licensed CPT source."
            )
        if c.section and c.family:
            name, span = c.family
            return (
                f"{code} is in the range of the CPT {c.section} section (`{c.range}`), among "
                f"the codes for {lower_first(name)} (`{span}`); whether it is a current CPT "
                "code, and its exact descriptor, need a licensed CPT source."
            )
        if c.section:
            return (
                f"{code} is in the range of the CPT {c.section} section (`{c.range}`); whether "
                "it is a current CPT code needs a licensed CPT source."
            )
        return (
            f"{code} has the shape of a CPT {c.category} code (HCPCS Level I, maintained by the "
            "AMA); whether it is a current code needs a licensed CPT source."
        )
    if c.system == "HCPCS Level II":
        if c.code.startswith("D"):
            return (
                f"{code} has the shape of a CDT dental code (maintained by the ADA), carried in "
                "HCPCS Level II, not CPT."
            )
        verb = "is" if c.known else "has the shape of"
        by = c.maintainer or "CMS"
        if c.code.startswith("S"):
            return (
                f"{code} {verb} a HCPCS Level II code, not CPT: an S code, a temporary national "
                f"code maintained by {by} for private payers; Medicare does not pay S codes."
            )
        return (
            f"{code} {verb} a HCPCS Level II code, not CPT: a national code maintained by {by} "
            "for items and services CPT does not cover."
        )
    if c.system == "HCPCS Level III":
        return f"{code} has the shape of a retired HCPCS Level III local code: do not bill it."
    if c.system == "ICD-10-CM" and c.billable is False:
        return (
            f"{code} is an ICD-10-CM diagnosis category, not a procedure code: a claim's "
            "diagnosis fields take one of the complete codes below it."
        )
    if c.system == "ICD-10-CM":
        return (
            f"{code} is an ICD-10-CM diagnosis code, not a procedure code: it goes in the diagnosis "
            "fields of a claim and supports the medical necessity of the CPT or HCPCS codes billed."
        )
    if c.system == "ICD-10-PCS":
        return (
            f"{code} has the shape of an ICD-10-PCS code: inpatient hospital procedures only; "
            "physician and outpatient claims use CPT and HCPCS instead."
        )
    if c.system == "NDC":
        return f"{code} has the shape of a National Drug Code (NDC), maintained by the FDA."
    if c.system == "CPT modifier":
        return f"Modifier {code} is a CPT (Level I) modifier: appended to a code, it adds information without changing the code's meaning."
    if c.system == "HCPCS Level II modifier":
        verb = "is" if c.known or c.curated else "has the shape of"
        return f"Modifier {code} {verb} a HCPCS Level II modifier, maintained by CMS: appended to a code, it adds information without changing the code's meaning."
    return f"{code} is not a code this assistant recognises: check it for typing slips."


def _title(c: CodeInfo) -> str:
    if c.known is False and c.system in ("HCPCS Level II", "HCPCS Level II modifier"):
        return "not in the HCPCS Level II file"
    if c.known is False and c.system == "ICD-10-CM":
        return "not in the ICD-10-CM code set"
    return c.system if c.system != "unknown" else "not recognised"


def status_text(c: CodeInfo) -> str | None:
    """The status of a code of the CMS file (or a CPT code the facts list as deleted), with its
    dates, for a card or an answer."""
    if c.status == "terminated":
        ended = "deleted from CPT" if c.system == "CPT" else "terminated"
        return f"{ended}: last valid on {c.termination_date}" if c.termination_date else ended
    if c.status != "active" or c.system == "ICD-10-CM":
        return None
    today = datetime.date.today().isoformat()
    if c.effective_date and c.effective_date > today:
        text = f"effective from {c.effective_date}"
    else:
        text = f"active since {c.effective_date}" if c.effective_date else "active"
    if c.termination_date:
        text += f", last valid on {c.termination_date}"
    return text


def _rows(c: CodeInfo) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if c.system != "unknown":
        # "CPT Category I, HCPCS Level I"; a system that names its level already says it once.
        named = "HCPCS Level" in c.system
        level = f", HCPCS Level {c.hcpcs_level}" if c.hcpcs_level and not named else ""
        kind = f" {c.category}" if c.category else ""
        rows.append(("Code set", f"{c.system}{kind}{level}"))
    if c.maintainer:
        rows.append(("Maintained by", md_text(c.maintainer)))
    if c.section:
        label = "Chapter" if c.system == "ICD-10-CM" else "Section"
        section = md_text(c.section)
        if c.chapter:
            section = f"{c.chapter}: {section}"
        rows.append((label, f"{section} (`{c.range}`)" if c.range else section))
    if c.family:
        name, span = c.family
        rows.append(
            ("Block" if c.system == "ICD-10-CM" else "Family", f"{md_text(name)} (`{span}`)")
        )
    if c.parent:
        code, described = c.parent
        rows.append(("Parent code", f"`{code}` {md_text(described)}"))
    if c.description:
        rows.append(("Description", md_text(c.description)))
    status = status_text(c)
    if status:
        rows.append(("Status", status))
    if c.billable is not None:
        rows.append(
            (
                "Billable",
                "yes: a complete code, valid on a claim"
                if c.billable
                else "no: a category that needs more characters",
            )
        )
    if c.known is not None and c.system != "ICD-10-CM":
        rows.append(("In the code list", "yes" if c.known else "no"))
    return rows


def card(c: CodeInfo) -> str:
    """One code as a Markdown block: heading, a fact table, the billing line and notes.

    A code the loaded data does not have opens with that, and with the nearest valid codes; a
    code read from a typing slip opens with how it was read."""
    lines = [f"### {_code(c.code)} · {_title(c)}", ""]
    notes = list(c.notes)
    if c.typed and notes:
        lines += [_sentence(c, notes.pop(0)), ""]
    lead = None
    if c.known is False and c.system in ("HCPCS Level II", "HCPCS Level II modifier", "ICD-10-CM"):
        lead = notes.pop(0) if notes else None
        lines += [_sentence(c, lead) if lead else _billing_line(c), ""]
        if c.suggestions:
            lines += _suggestions(c)
            lines.append("")
    rows = _rows(c)
    if rows:
        lines += ["| | |", "|---|---|"]
        lines += [f"| **{k}** | {_pipe_safe(v)} |" for k, v in rows]
        lines.append("")
    if lead is None:
        lines.append(_billing_line(c))
    if c.status == "terminated" and c.system != "CPT":
        lines += [
            "",
            f"{_code(c.code)} is terminated in the CMS file: do not report it for dates of "
            "service after its last valid date.",
        ]
    if (
        c.system == "HCPCS Level II"
        and c.known is None
        and not c.code.startswith("D")
        and DATA_UNAVAILABLE_NOTE not in notes  # imported, but unreadable: the note says so
    ):
        notes.append(IMPORT_HINT)
    if notes:
        if lines[-1] != "":
            lines.append("")
        lines += [f"- {n}" for n in notes]
    if c.children:
        lines += ["", "Codes one level below it:"]
        lines += [f"- `{code}`: {_cell(desc)}" for code, desc in c.children[:MAX_CHILDREN]]
        if len(c.children) > MAX_CHILDREN:
            lines.append(f"- and {len(c.children) - MAX_CHILDREN} more")
    if c.suggestions and lead is None:
        lines += [""] + _suggestions(c)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def _sentence(c: CodeInfo, note: str) -> str:
    """A note as a sentence of the card, with the codes in it shown as code."""
    text = md_text(note)
    for code in {c.code} | ({c.typed} if c.typed else set()):
        if re.fullmatch(r"[0-9A-Za-z.]+", code):
            text = re.sub(rf"(?<![\w`.]){re.escape(code)}(?![\w`])", f"`{code}`", text)
    return text


def _suggestions(c: CodeInfo) -> list[str]:
    return ["Nearest valid codes:"] + [f"- `{code}`: {_cell(desc)}" for code, desc in c.suggestions]


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def md_text(text: str) -> str:
    """Plain text (an official description, a user's words) made safe to embed in Markdown."""
    return one_line(text).translate(_MD_SPECIAL)


def _pipe_safe(markdown: str) -> str:
    return markdown.replace("|", "\\|")


def _cell(text: str) -> str:
    return md_text(text)


def search_list(hits: Iterable[tuple[CodeRecord, float]]) -> str:
    """Word-search hits as a Markdown list: code and official description."""
    return "\n".join(
        f"- `{record.code}` {md_text(record.long_description)}" for record, _score in hits
    )


def cards(infos: Iterable[CodeInfo]) -> str:
    return "\n\n".join(card(c) for c in infos)


def summary_line(c: CodeInfo) -> str:
    """A one-line mention of a code, for answers that are mainly about something else."""
    where = f", {c.section}" if c.section else ""
    return f"- `{c.code}`: {c.system}{where}"
