"""The stored index of a knowledge base is used only when it was built from exactly the files
it would otherwise read, and answers exactly as a freshly read knowledge base does."""

from __future__ import annotations

import shutil

import pytest

from assistant.core import kb, prebuilt
from assistant.core.answer import Assistant

QUESTIONS = [
    "what are j codes?",
    "who assigns J codes?",
    "Are CPT and HCPCS the same?",
    "Which modifier indicates a bilateral procedure?",
    "how much do coders earn",
    "99213",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A copy of the built-in knowledge directory and an index of it, built once."""
    root = tmp_path_factory.mktemp("prebuilt")
    directory = root / "knowledge"
    shutil.copytree(kb.default_dir(), directory)
    index = root / "knowledge.idx"
    prebuilt.write(directory, index)
    return directory, index


@pytest.fixture
def copied(built, tmp_path):
    """A copy of ``built`` (directory and index) of the test's own, free to change."""
    directory = tmp_path / "knowledge"
    shutil.copytree(built[0], directory)
    index = tmp_path / "knowledge.idx"
    shutil.copyfile(built[1], index)
    return directory, index


def test_a_matching_index_answers_like_the_files(copied, assistant_):
    directory, index = copied
    assert prebuilt.up_to_date(directory, index)  # a build leaves it as it is
    core = prebuilt.load(directory, index)
    assert core is not None
    stored = Assistant(core.kb, None, core)
    for question in QUESTIONS:
        a, b = stored.answer(question), assistant_.answer(question)
        assert (a.kind, a.entry_id, a.markdown, a.confidence) == (
            b.kind,
            b.entry_id,
            b.markdown,
            b.confidence,
        )


def test_a_loaded_index_is_left_out_of_garbage_collection(copied):
    """The index lives as long as the process: its objects are frozen, so that a collection of
    an older generation does not scan them again in the middle of an answer."""
    import gc

    directory, index = copied
    before = gc.get_freeze_count()
    core = prebuilt.load(directory, index)
    assert core is not None
    assert gc.get_freeze_count() >= before + len(core.kb.entries)


@pytest.mark.parametrize("change", ["edit", "add", "remove", "nested", "lexicon"])
def test_a_changed_knowledge_file_makes_the_index_stale(copied, change):
    directory, index = copied
    entries = sorted((directory / "entries").glob("*.md"))
    if change == "edit":
        entries[0].write_text(entries[0].read_text() + "\n", encoding="utf-8")
    elif change == "add":
        (directory / "entries" / "99-new.md").write_text(entries[0].read_text(), encoding="utf-8")
    elif change == "nested":
        (directory / "entries" / "more").mkdir()
        (directory / "entries" / "more" / "new.md").write_text(entries[0].read_text(), "utf-8")
    elif change == "lexicon":
        table = sorted((directory / "lexicon").glob("*.md"))[0]
        table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        entries[-1].unlink()
    assert prebuilt.load(directory, index) is None
    assert not prebuilt.up_to_date(directory, index)  # a build writes it again


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_or_missing_index_is_ignored(copied, damage):
    directory, index = copied
    index.write_bytes(damage)
    assert prebuilt.load(directory, index) is None
    assert not prebuilt.up_to_date(directory, index)
    index.unlink()
    assert prebuilt.load(directory, index) is None
    assert not prebuilt.up_to_date(directory, index)


def test_another_knowledge_directory_never_uses_the_stored_index(make_kb):
    from conftest import entry_md

    root = make_kb({"entries/01.md": "# G\n\n" + entry_md("bells", ["what is a bell"])})
    assistant = Assistant.from_dir(root)
    assert [e.id for e in assistant.kb.entries] == ["bells"]


def test_files_other_than_markdown_leave_the_index_in_use(copied):
    directory, index = copied
    (directory / "entries" / "notes.txt").write_text("not knowledge", encoding="utf-8")
    (directory / "scratch").mkdir()
    (directory / "scratch" / "draft.md~").write_text("# not read", encoding="utf-8")
    assert prebuilt.load(directory, index) is not None


def test_files_touched_but_unchanged_still_use_the_index(copied):
    """The names, sizes and times of the files are compared first; when only their times
    differ (copied, checked out again), the bytes decide."""
    directory, index = copied
    for path in (directory / "entries").glob("*.md"):
        path.touch()
    assert prebuilt.load(directory, index) is not None


def test_equal_values_are_stored_once():
    words = [("cpt", "code"), ("cpt", "code"), frozenset({"a", "b"}), frozenset({"b", "a"})]
    numbers = [(1,), (True,), (0.0,), (-0.0,)]
    holder = {"first": words, "second": [("cpt", "code")], "numbers": numbers}
    prebuilt.shared(holder, {}, {})
    assert holder["first"] is words  # filled in place
    assert words[0] is words[1] is holder["second"][0]
    assert words[2] is words[3]
    # Equal is not the same: True is not 1, -0.0 is not 0.0.
    assert numbers[0] is not numbers[1] and numbers[1][0] is True
    assert numbers[2] is not numbers[3] and str(numbers[3][0]) == "-0.0"


def test_a_loaded_retriever_stores_and_ranks_as_built():
    import pickle

    from assistant.core.understand import read_question

    core = prebuilt.build(kb.default_dir())
    loaded = pickle.loads(pickle.dumps(core.retriever))  # noqa: S301 - made just above
    again = pickle.loads(pickle.dumps(loaded))  # noqa: S301 - (some of its terms used, some not)
    for question in QUESTIONS:
        reading = read_question(core.lexicon, question)
        expected = [(c.entry_id, c.score) for c in core.retriever.rank(reading)]
        assert expected
        assert [(c.entry_id, c.score) for c in loaded.rank(reading)] == expected
        assert [(c.entry_id, c.score) for c in again.rank(reading)] == expected
