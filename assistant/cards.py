"""Markdown "cards" for classified codes: what a code is and what that means for billing."""

from __future__ import annotations

from .codes import DATA_UNAVAILABLE_NOTE, CodeInfo

IMPORT_HINT = (
    "Official descriptions are not loaded: download the Alpha-Numeric HCPCS file from the CMS "
    "HCPCS quarterly update page and run `hcpcs-assistant import-hcpcs FILE`."
)


def _code(text: str) -> str:
    """Inline code that a backtick in what the user typed cannot break."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _billing_line(c: CodeInfo) -> str:
    code = _code(c.code)
    if c.system == "CPT":
        where = f" in the {c.section} section" if c.section else ""
        return (
            f"{code} is a CPT {c.category} code (HCPCS Level I){where}, maintained by the AMA. "
            "Report it for the service it describes."
        )
    if c.system == "HCPCS Level II":
        if c.code.startswith("D"):
            return f"{code} is a CDT dental code (maintained by the ADA), carried in HCPCS Level II, not CPT."
        return (
            f"{code} is a HCPCS Level II code, not CPT: a national code maintained by CMS for "
            "items and services CPT does not cover."
        )
    if c.system == "HCPCS Level III":
        return f"{code} has the shape of a retired HCPCS Level III local code: do not bill it."
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
        return f"Modifier {code} is a HCPCS Level II modifier, maintained by CMS: appended to a code, it adds information without changing the code's meaning."
    return f"{code} is not a code this assistant recognises: check it for typing slips."


def card(c: CodeInfo) -> str:
    """One code as a Markdown block: heading, a fact table, the billing line and notes."""
    title = f"### {_code(c.code)} · {c.system if c.system != 'unknown' else 'not recognised'}"
    rows: list[tuple[str, str]] = []
    if c.system != "unknown":
        # "CPT Category I, HCPCS Level I"; a system that names its level already says it once.
        named = "HCPCS Level" in c.system
        level = f", HCPCS Level {c.hcpcs_level}" if c.hcpcs_level and not named else ""
        kind = f" {c.category}" if c.category else ""
        rows.append(("Code set", f"{c.system}{kind}{level}"))
    if c.maintainer:
        rows.append(("Maintained by", c.maintainer))
    if c.section:
        label = "Chapter" if c.system == "ICD-10-CM" else "Section"
        section = md_text(c.section)
        rows.append((label, f"{section} (`{c.range}`)" if c.range else section))
    if c.description:
        rows.append(("Description", md_text(c.description)))
    if c.status:
        rows.append(("Status", c.status))
    if c.known is not None and c.system != "ICD-10-CM":
        rows.append(("In the code list", "yes" if c.known else "no"))
    lines = [title, ""]
    if rows:
        lines += ["| | |", "|---|---|"]
        lines += [f"| **{k}** | {_pipe_safe(v)} |" for k, v in rows]
        lines.append("")
    lines.append(_billing_line(c))
    notes = list(c.notes)
    if (
        c.system == "HCPCS Level II"
        and c.known is None
        and not c.code.startswith("D")
        and DATA_UNAVAILABLE_NOTE not in notes  # imported, but unreadable: the note says so
    ):
        notes.append(IMPORT_HINT)
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    if c.suggestions:
        lines += ["", "Nearest valid codes:"]
        lines += [f"- `{code}`: {_cell(desc)}" for code, desc in c.suggestions]
    return "\n".join(lines)


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})


def md_text(text: str) -> str:
    """Plain text (an official description, a user's words) made safe to embed in Markdown."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _pipe_safe(markdown: str) -> str:
    return markdown.replace("|", "\\|")


def _cell(text: str) -> str:
    return md_text(text)


def search_list(hits) -> str:
    """Word-search hits as a Markdown list: code and official description."""
    return "\n".join(
        f"- `{record.code}` {md_text(record.long_description)}" for record, _score in hits
    )


def cards(infos: list[CodeInfo] | tuple[CodeInfo, ...]) -> str:
    return "\n\n".join(card(c) for c in infos)


def summary_line(c: CodeInfo) -> str:
    """A one-line mention of a code, for answers that are mainly about something else."""
    where = f", {c.section}" if c.section else ""
    return f"- `{c.code}`: {c.system}{where}"
