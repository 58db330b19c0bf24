"""ICD-10-CM look-ups: the compact index shipped with the package agrees with simple-icd-10-cm,
and without the index (or with a damaged one) the library answers the same."""

from __future__ import annotations

import pytest

from assistant.codes import icd, icd_index

HAS_INDEX = icd_index.DEFAULT_PATH.is_file()
needs_index = pytest.mark.skipif(not HAS_INDEX, reason="package built without the ICD index")


@pytest.fixture
def library_only():
    icd.use_index(None)
    yield
    icd.use_index(icd_index.DEFAULT_PATH)


@pytest.fixture(scope="module")
def lib():
    import simple_icd_10_cm

    return simple_icd_10_cm


@pytest.fixture(scope="module")
def index() -> icd_index.IcdIndex:
    if not HAS_INDEX:
        pytest.skip("package built without the ICD index")
    return icd_index.IcdIndex(icd_index.DEFAULT_PATH)


EXAMPLES = [
    # code, shown as, billable, chapter range, description
    ("E11.9", "E11.9", True, "E00-E89", "Type 2 diabetes mellitus without complications"),
    ("e119", "E11.9", True, "E00-E89", "Type 2 diabetes mellitus without complications"),
    ("E11", "E11", False, "E00-E89", "Type 2 diabetes mellitus"),
    ("I10", "I10", True, "I00-I99", "Essential (primary) hypertension"),
    ("B10", "B10", False, "A00-B99", "Other human herpesviruses"),  # also a block's name
    ("M54.5", "M54.5", False, "M00-M99", "Low back pain"),
    ("M54.50", "M54.50", True, "M00-M99", "Low back pain, unspecified"),
    (
        "S72.001A",
        "S72.001A",
        True,
        "S00-T88",
        "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",
    ),
    ("Z00.00", "Z00.00", True, "Z00-Z99", None),
    ("U07.1", "U07.1", True, "U00-U85", "COVID-19"),
]


@pytest.mark.parametrize(("typed", "code", "billable", "chapter_range", "description"), EXAMPLES)
@pytest.mark.parametrize("source", ["index", "library"])
def test_lookup(request, source, typed, code, billable, chapter_range, description):
    if source == "library":
        request.getfixturevalue("library_only")
    elif not HAS_INDEX:
        pytest.skip("package built without the ICD index")
    assert icd.source() == source
    info = icd.lookup(typed)
    assert info is not None
    assert (info.code, info.billable, info.chapter_range) == (code, billable, chapter_range)
    if description:
        assert info.description == description
    assert bool(info.children) == (not billable)


@pytest.mark.parametrize("code", ["E11.99", "A00.99", "I10.0", "B21.11ZZ", "E06O1", "XYZ", ""])
@pytest.mark.parametrize("source", ["index", "library"])
def test_not_in_the_code_set(request, source, code):
    if source == "library":
        request.getfixturevalue("library_only")
    elif not HAS_INDEX:
        pytest.skip("package built without the ICD index")
    assert icd.lookup(code) is None


def test_children_of_a_category():
    info = icd.lookup("E11")
    children = dict(info.children)
    assert "E11.9" in children and "E11.65" not in children  # one level below only
    assert children["E11.9"] == "Type 2 diabetes mellitus without complications"
    assert [c for c, _ in icd.lookup("S72.001").children][:2] == ["S72.001A", "S72.001B"]


def test_three_character_codes():
    three = icd.three_character_codes()
    assert {"I10", "R69", "Z23"} <= three
    assert "E11" not in three and "X12" not in three


@needs_index
def test_index_is_up_to_date_with_the_library():
    assert icd.release() == icd_index.source_release()
    assert "ICD-10-CM" in icd.release()


@needs_index
def test_index_agrees_with_the_library(index, lib):
    """Every category, and every 25th code of the whole code set, read both ways."""
    names = [c for c in lib.get_all_codes(True) if "-" not in c and not lib.is_chapter(c)]
    sample = sorted({c for c in names if len(c) == 3} | set(names[::25]))
    assert len(sample) > 5000
    for dotted in sample:
        bare = dotted.replace(".", "")
        item = index.item(bare)
        assert item is not None, dotted
        assert item.leaf == lib.is_leaf(dotted), dotted
        assert item.description == " ".join(lib.get_description(dotted).split()), dotted
        chapter = lib.get_description(lib.get_ancestors(dotted)[-1])
        name, span = index.chapter(bare[:3])
        assert chapter == f"{name} ({span})", dotted
    assert index.categories() == {c: lib.is_leaf(c) for c in names if len(c) == 3}
    parent = "S72.001"
    assert [item.code for item in index.children("S72001")] == [
        c.replace(".", "") for c in lib.get_children(parent)
    ]


def test_damaged_index_falls_back_to_the_library(tmp_path):
    bad = tmp_path / "icd10cm.idx"
    bad.write_bytes(b"not an index\n")
    icd.use_index(bad)
    try:
        assert icd.source() == "library"
        assert icd.lookup("E11.9").description == "Type 2 diabetes mellitus without complications"
    finally:
        icd.use_index(icd_index.DEFAULT_PATH)


@needs_index
def test_truncated_index_block_falls_back_to_the_library(tmp_path):
    data = icd_index.DEFAULT_PATH.read_bytes()
    cut = tmp_path / "icd10cm.idx"
    cut.write_bytes(data[: len(data) // 2])  # the header is whole, the later blocks are gone
    icd.use_index(cut)
    try:
        assert icd.source() == "index"
        info = icd.lookup("Z00.00")  # a block past the cut
        assert info is not None and info.billable
    finally:
        icd.use_index(icd_index.DEFAULT_PATH)


def test_lookups_never_load_the_library_when_the_index_is_there():
    import subprocess
    import sys

    if not HAS_INDEX:
        pytest.skip("package built without the ICD index")
    code = (
        "import sys; from assistant.codes import classify as codes, icd; from assistant.core import kb, facts;"
        "f = facts.build(kb.load());"
        "[codes.classify(c, f) for c in ('E11.9', 'E11', 'I10', 'S72.001A', 'J4590', 'B2111ZZ')];"
        "codes.detect('E11.9 and I10 and R69', f);"
        "print('simple_icd_10_cm' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("typed", "block", "parent", "chapter"),
    [
        ("Z59.0", "Z55-Z65", "Z59", 21),
        ("E11.9", "E08-E13", "E11", 4),
        ("E11", "E08-E13", None, 4),  # a category: no parent code
        ("S72.001A", "S70-S79", "S72.001", 19),
        ("T36.0X1A", "T36-T50", "T36.0X1", 19),  # (a placeholder X is part of the parent)
        ("U07.1", "U00-U49", "U07", 22),
    ],
)
@pytest.mark.parametrize("source", ["index", "library"])
def test_a_code_knows_its_block_and_parent(request, source, typed, block, parent, chapter):
    """Where a code sits in the tabular list: its chapter's number, the block of its category
    ("Diabetes mellitus (E08-E13)") and the code one level above it, the same from the index
    and the library."""
    if source == "library":
        request.getfixturevalue("library_only")
    elif not HAS_INDEX:
        pytest.skip("package built without the ICD index")
    info = icd.lookup(typed)
    assert info is not None and info.block is not None
    assert info.block[1] == block
    assert (info.parent[0] if info.parent else None) == parent
    assert info.chapter_number == chapter


@pytest.mark.parametrize("source", ["index", "library"])
def test_a_code_carries_the_notes_of_the_tabular_list_above_it(request, source):
    """The "code first" note of R65.2 holds for R65.20 below it; J02's Excludes1 note for J02.0."""
    if source == "library":
        request.getfixturevalue("library_only")
    elif not HAS_INDEX:
        pytest.skip("package built without the ICD index")
    assert icd.lookup("R65.20").code_first == "underlying infection"
    assert "peritonsillar abscess (J36)" in icd.lookup("J02.0").excludes1
    assert icd.lookup("I10").code_first == ""
    assert "chronic pharyngitis (J31.2)" in icd.lookup("J02.9").excludes2
