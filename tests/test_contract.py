"""The public command-line contract (docs/contract.md): JSON objects field by field, batch mode,
exit statuses.

Each point of the contract is proven once in a subprocess of the real program (``run_process``):
batch mode, one answer object, codes from arguments and from stdin, the knowledge base, a
fallback's exit status and bad usage. The other cases run the same ``main`` in this process
(``run_cli``). A subprocess costs a start-up, and one that meets an ICD-10-CM code also loads
the code set, so the JSON output is collected in a few module-scoped runs.
"""

from __future__ import annotations

import json
import numbers
import re

import pytest

SYSTEMS = {
    "CPT",
    "HCPCS Level II",
    "CPT modifier",
    "HCPCS Level II modifier",
    "ICD-10-CM",
    "ICD-10-PCS",
    "NDC",
    "HCPCS Level III",
    "unknown",
}
CATEGORIES = {None, "Category I", "Category II", "Category III", "PLA", "MAAA"}
LEVELS = {None, "I", "II", "III"}
ANSWER_FIELDS = [
    "question",
    "kind",
    "answer",
    "entry_id",
    "score",
    "alternatives",
    "codes",
    "sources",
    "elapsed_ms",
    "confidence",  # extension (2026-12-01): "high", "uncertain" or "none"
]
CODEINFO_FIELDS = [
    "code",
    "system",
    "hcpcs_level",
    "category",
    "section",
    "range",
    "description",
    "known",
    "maintainer",
    "notes",
    # extension (contract, "Extensions (added 2026-12-01)")
    "status",
    "effective_date",
    "termination_date",
    "billable",
]
ISO_DATE = r"\d{4}-\d{2}-\d{2}"

BATCH = [
    "what's the difference between HCPCS and CPT?",
    "what are j codes",
    "",
    "99213",
    "is j1745 a cpt code?",
    "   ",
    "modifier 25",
    "zxcvbnm qwertyuiop asdfgh",
    "E11.9 with 99213-25 and J1745",
    "how much does medicare pay for 99213",
    "what is the weather in chicago tomorrow",
]


def is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_codeinfo(c: dict) -> None:
    assert list(c) == CODEINFO_FIELDS
    assert isinstance(c["code"], str) and c["code"]
    assert c["code"] == c["code"].upper()
    assert c["system"] in SYSTEMS
    assert c["hcpcs_level"] in LEVELS
    assert c["category"] in CATEGORIES
    if c["category"] is not None:
        assert c["system"] == "CPT"
    if c["system"] in ("CPT", "CPT modifier"):
        assert c["hcpcs_level"] == "I"
    elif c["system"] in ("HCPCS Level II", "HCPCS Level II modifier"):
        assert c["hcpcs_level"] == "II"
    elif c["system"] == "HCPCS Level III":
        assert c["hcpcs_level"] == "III"
    else:
        assert c["hcpcs_level"] is None
    for key in ("section", "range", "description", "maintainer"):
        assert c[key] is None or (isinstance(c[key], str) and c[key])
    if c["system"] == "CPT":
        assert c["description"] is None  # CPT descriptors are not shipped
    assert c["known"] in (None, True, False)
    assert isinstance(c["notes"], list) and all(isinstance(n, str) and n for n in c["notes"])
    assert c["status"] in (None, "active", "terminated")
    for key in ("effective_date", "termination_date"):
        assert c[key] is None or re.fullmatch(ISO_DATE, c[key])
    if c["termination_date"] is not None or c["effective_date"] is not None:
        assert c["status"] is not None  # dates come only from loaded data
    if c["status"] == "terminated":
        assert c["termination_date"] is not None
    assert c["billable"] in (None, True, False)
    if c["system"] != "ICD-10-CM" or c["known"] is not True:
        assert c["billable"] is None
    else:
        assert isinstance(c["billable"], bool)


def check_answer(a: dict) -> None:
    assert list(a) == ANSWER_FIELDS
    assert isinstance(a["question"], str)
    assert a["kind"] in ("answer", "code", "fallback")
    assert isinstance(a["answer"], str) and a["answer"].strip()
    assert a["entry_id"] is None or (isinstance(a["entry_id"], str) and a["entry_id"])
    # An answer composed from the facts tables or the official data has no entry (extension).
    if a["kind"] == "fallback":
        assert a["entry_id"] is None
    assert a["confidence"] in ("high", "uncertain", "none")
    assert (a["confidence"] == "none") == (a["kind"] == "fallback")
    assert is_number(a["score"]) and 0 <= a["score"] <= 100
    assert isinstance(a["alternatives"], list) and len(a["alternatives"]) <= 3
    for alt in a["alternatives"]:
        assert list(alt) == ["entry_id", "question", "score"]
        assert isinstance(alt["entry_id"], str) and alt["entry_id"] != a["entry_id"]
        assert isinstance(alt["question"], str) and alt["question"]
        assert is_number(alt["score"]) and 0 <= alt["score"] <= 100
    scores = [alt["score"] for alt in a["alternatives"]]
    assert scores == sorted(scores, reverse=True)
    assert isinstance(a["codes"], list)
    for c in a["codes"]:
        check_codeinfo(c)
    assert isinstance(a["sources"], list) and all(isinstance(s, str) and s for s in a["sources"])
    assert is_number(a["elapsed_ms"]) and a["elapsed_ms"] >= 0


# --- ask --json ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(run_process):
    result = run_process("ask", "--json", stdin="\n".join(BATCH) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.json_lines()


def test_batch_one_line_per_question_in_order(batch):
    assert len(batch) == len(BATCH)
    assert [a["question"] for a in batch] == BATCH


def test_every_answer_object_is_within_the_contract(batch):
    for a in batch:
        check_answer(a)


def test_blank_lines_get_fallback_objects(batch):
    for i, q in enumerate(BATCH):
        if not q.strip():
            assert batch[i]["kind"] == "fallback"
            assert batch[i]["codes"] == []


def test_kinds(batch):
    by_question = dict(zip(BATCH, batch, strict=True))
    assert by_question["what's the difference between HCPCS and CPT?"]["kind"] == "answer"
    assert by_question["what are j codes"]["kind"] == "answer"
    assert by_question["99213"]["kind"] == "code"
    assert by_question["zxcvbnm qwertyuiop asdfgh"]["kind"] == "fallback"
    assert by_question["what is the weather in chicago tomorrow"]["kind"] == "fallback"
    # Payment amounts are never quoted: a fallback that still classifies the code.
    fee = by_question["how much does medicare pay for 99213"]
    assert fee["kind"] == "fallback"
    assert [c["code"] for c in fee["codes"]] == ["99213"]
    assert "$" not in fee["answer"]


def test_codes_in_order_of_appearance(batch):
    a = batch[BATCH.index("E11.9 with 99213-25 and J1745")]
    assert [c["code"] for c in a["codes"]] == ["E11.9", "99213", "25", "J1745"]
    assert [c["system"] for c in a["codes"]] == [
        "ICD-10-CM",
        "CPT",
        "CPT modifier",
        "HCPCS Level II",
    ]


def test_codes_listed_also_when_an_entry_answers(batch):
    a = batch[BATCH.index("is j1745 a cpt code?")]
    assert [c["code"] for c in a["codes"]] == ["J1745"]


def test_single_question_is_one_json_line(run_process):
    result = run_process("ask", "what are j codes", "--json")
    assert result.returncode == 0
    assert result.stdout.count("\n") == 1
    a = json.loads(result.stdout)
    check_answer(a)
    assert a["question"] == "what are j codes"


def test_empty_stdin_gives_no_lines(run_cli):
    result = run_cli("ask", "--json", stdin="")
    assert result.returncode == 0
    assert result.stdout == ""


def test_fallback_exit_status_is_0(run_process):
    result = run_process("ask", "--json", "zxcvbnm qwertyuiop asdfgh")
    assert result.returncode == 0
    assert json.loads(result.stdout)["kind"] == "fallback"


# --- code --json -----------------------------------------------------------------------------

CODES = [
    ("99213", "99213", "CPT"),
    ("0450t", "0450T", "CPT"),
    ("j1745", "J1745", "HCPCS Level II"),
    ("V5266", "V5266", "HCPCS Level II"),
    ("-59", "59", "CPT modifier"),
    ("lt", "LT", "HCPCS Level II modifier"),
    ("e119", "E11.9", "ICD-10-CM"),
    ("M54.50", "M54.50", "ICD-10-CM"),
    ("0SR9019", "0SR9019", "ICD-10-PCS"),
    ("0002-1433-80", "0002-1433-80", "NDC"),
    ("W1234", "W1234", "HCPCS Level III"),
    ("00099", "00099", "unknown"),
]


@pytest.fixture(scope="module")
def code_infos(run_process):
    result = run_process("code", "--json", *[c for c, _, _ in CODES])
    assert result.returncode == 0, result.stderr
    return result.json_lines()


def test_code_json_one_object_per_code(code_infos):
    assert len(code_infos) == len(CODES)
    for info, (_, normalised, system) in zip(code_infos, CODES, strict=True):
        check_codeinfo(info)
        assert (info["code"], info["system"]) == (normalised, system)


def test_code_json_example_from_the_contract(code_infos):
    v = next(c for c in code_infos if c["code"] == "V5266")
    # The contract's example predates the section's full name, which includes speech-language
    # pathology (V5336, V5362-V5364); the field is the same.
    assert v["section"] == "Vision, hearing and speech-language pathology services"
    assert v["range"] == "V0000-V5999"
    assert v["maintainer"] == "CMS"
    assert v["known"] is None  # no data imported: only the format was checked


def test_code_json_icd10cm_is_known(code_infos):
    e = next(c for c in code_infos if c["code"] == "E11.9")
    assert e["known"] is True
    assert e["description"] == "Type 2 diabetes mellitus without complications"


def test_code_json_from_stdin(run_process, run_cli):
    # No ICD-10-CM code here: this run stays cheap.
    stdin = "99213\n\nj1745\n-59\n"
    result = run_process("code", "--json", stdin=stdin)
    assert result.returncode == 0
    infos = result.json_lines()
    assert [c["code"] for c in infos] == ["99213", "J1745", "59"]
    for c in infos:
        check_codeinfo(c)
    args = run_cli("code", "--json", "99213", "j1745", "-59")
    assert args.stdout == result.stdout


# --- kb --json -------------------------------------------------------------------------------


def test_kb_json(run_process, knowledge):
    result = run_process("kb", "--json")
    assert result.returncode == 0
    entries = json.loads(result.stdout)
    assert isinstance(entries, list) and len(entries) == len(knowledge.entries)
    for e in entries:
        assert list(e) == ["id", "questions", "answer", "sources", "tags"]
        assert isinstance(e["id"], str) and e["id"]
        assert isinstance(e["questions"], list) and e["questions"]
        assert all(isinstance(q, str) and q for q in e["questions"])
        assert isinstance(e["answer"], str) and e["answer"].strip()
        assert isinstance(e["sources"], list) and e["sources"]
        assert isinstance(e["tags"], list) and all(isinstance(t, str) for t in e["tags"])
    assert [e["id"] for e in entries] == [e.id for e in knowledge.entries]


# --- exit statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--no-such-option",),
        ("ask", "--no-such-option", "what are j codes"),
        ("code", "--json", "--no-such-option", "99213"),
        ("no-such-command",),
        ("import-hcpcs", "/no/such/file.zip"),
    ],
)
def test_bad_usage_exit_2_one_line_no_traceback(run_cli, args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr_lines) == 1
    assert "Traceback" not in result.stderr


def test_bad_usage_exit_2_from_the_program(run_process):
    result = run_process("ask", "--no-such-option", "what are j codes")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr_lines) == 1
    assert "Traceback" not in result.stderr
