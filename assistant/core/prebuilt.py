"""The built-in knowledge base, read and indexed once when the package is built.

Reading and indexing the Markdown knowledge base takes about a second; a one-shot
``hcpcs-assistant ask`` must answer in a fraction of that. So the build (``hatch_build.py``,
also for editable installs, and ``make``) stores the loaded knowledge base with its facts,
lexicon and retrieval index in ``assistant/knowledge.idx``, together with a fingerprint of the
knowledge files it was made from. At run time the file is used only when the built-in knowledge
directory still has exactly those files (same names, same bytes) and the code that built it is
the same version; otherwise the knowledge base is read and indexed as usual, in memory. Nothing
is ever written at run time. A ``--kb`` directory is always read as it is.

The file is a pickle, written by the build into the package directory and read only from there:
it is as trusted as the package's own code.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the modules that import this one at run time
    from assistant.core.compose import Composer
    from assistant.core.facts import Facts
    from assistant.core.kb import KnowledgeBase
    from assistant.core.lexicon import Lexicon
    from assistant.core.retrieve import Retriever
    from assistant.core.verdicts import Verdicts

PACKAGE = Path(__file__).resolve().parent
FILE = PACKAGE / "knowledge.idx"
FORMAT = "2"
PROTOCOL = pickle.HIGHEST_PROTOCOL
# The code whose objects are stored: a change to any of it makes the stored index stale.
CODE = (
    "kb.py",
    "facts.py",
    "lexicon.py",
    "retrieve.py",
    "compose.py",
    "text.py",
    "understand.py",
    "verdicts.py",
    "prebuilt.py",
)


@dataclass
class Core:
    """Everything an assistant reads from a knowledge directory."""

    kb: KnowledgeBase
    facts: Facts
    lexicon: Lexicon
    retriever: Retriever
    composer: Composer
    verdicts: Verdicts


def fingerprint(directory: Path) -> str:
    """A digest of every Markdown file of a knowledge directory (names and bytes) and of the
    code that reads and indexes it."""
    digest = hashlib.sha256(FORMAT.encode())
    for name in CODE:
        digest.update((PACKAGE / name).read_bytes() + b"\0")
    for path in sorted(directory.rglob("*.md")):
        digest.update(str(path.relative_to(directory)).encode("utf-8", "replace") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def signature(directory: Path) -> str:
    """A digest of the names, sizes and modification times of a knowledge directory's Markdown
    files and of the indexing code: what :func:`load` compares first, since reading every file
    takes longer than a one-shot answer should. Files changed since the index was built differ
    in it (and when only it differs, the full :func:`fingerprint` decides)."""
    digest = hashlib.sha256(FORMAT.encode())
    paths = [str(PACKAGE / name) for name in CODE] + _markdown_files(str(directory))
    for path in paths:
        info = os.stat(path)
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "replace"))
    return digest.hexdigest()


def _markdown_files(top: str) -> list[str]:
    """The Markdown files under a directory, in a fixed order: with plain strings and
    ``os.scandir``, a quarter of the time ``Path.rglob`` takes, which a one-shot answer pays."""
    found: list[str] = []
    pending = [top]
    while pending:
        with os.scandir(pending.pop()) as listing:
            for item in listing:
                if item.is_dir(follow_symlinks=False):
                    pending.append(item.path)
                elif item.name.endswith(".md") and item.is_file():
                    found.append(item.path)
    return sorted(found)


def build(directory: Path) -> Core:
    """Read and index a knowledge directory."""
    from assistant.core import kb

    return assemble(kb.load(directory))


def assemble(knowledge: KnowledgeBase) -> Core:
    """Index a loaded knowledge base: its facts, lexicon, retrieval index and verdicts."""
    from assistant.core import facts, lexicon
    from assistant.core.compose import Composer
    from assistant.core.retrieve import Retriever
    from assistant.core.verdicts import Verdicts

    fact_view = facts.build(knowledge)
    words = lexicon.build(knowledge, fact_view)
    return Core(
        knowledge,
        fact_view,
        words,
        Retriever(knowledge.entries, words),
        Composer(knowledge, fact_view, words),
        Verdicts(knowledge.entries, words),
    )


def write(directory: Path, target: Path = FILE) -> None:
    """Build the index of ``directory`` into ``target`` (atomically)."""
    core = build(directory)
    shared(core, {}, {})
    tmp = target.with_suffix(".idx.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump((fingerprint(directory), signature(directory)), handle, protocol=PROTOCOL)
        pickle.dump(core, handle, protocol=PROTOCOL)
    tmp.replace(target)


def shared(value: object, equal: dict[object, object], done: dict[int, object]) -> object:
    """``value`` with its equal unchangeable parts (strings, floats, and tuples and frozensets
    of the very same parts) made one object, so that the index stores each once and loading it
    makes each once: the same word set is in many verdicts, the same word in many entries.
    Lists, sets, dictionaries and objects are filled in place. ``done`` holds what was already
    seen (by id), ``equal`` the one object of each value."""
    kind = type(value)
    if isinstance(value, str) and kind is str:
        return equal.setdefault(value, value)
    if isinstance(value, float) and kind is float:  # by its exact bits: -0.0 is not 0.0
        return equal.setdefault((float, value.hex()), value)
    key = id(value)
    if key in done or kind in (int, bool, bytes) or value is None:
        return done.get(key, value)
    done[key] = value
    result: object = value
    if isinstance(value, (tuple, frozenset)) and kind in (tuple, frozenset):
        parts = [shared(part, equal, done) for part in value]
        made = tuple(parts) if kind is tuple else frozenset(parts)
        ids = tuple(map(id, parts)) if kind is tuple else frozenset(map(id, made))
        result = equal.setdefault((kind, ids), made)  # (its parts are kept alive by it)
    elif isinstance(value, list) and kind is list:
        value[:] = [shared(part, equal, done) for part in value]
    elif isinstance(value, dict):
        items = [(shared(k, equal, done), shared(v, equal, done)) for k, v in value.items()]
        value.clear()
        value.update(items)
    elif isinstance(value, set) and kind is set:
        parts = [shared(part, equal, done) for part in value]
        value.clear()
        value.update(parts)
    elif hasattr(value, "__dict__"):
        for name, part in list(vars(value).items()):
            object.__setattr__(value, name, shared(part, equal, done))
    done[key] = result
    return result


def up_to_date(directory: Path, source: Path = FILE) -> bool:
    """Whether ``source`` was built from exactly this directory's files by this code (what
    :func:`load` checks before using it), so that a build need not write it again."""
    try:
        with open(source, "rb") as handle:
            return _built_from(pickle.load(handle), directory)  # noqa: S301 - see above
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.PickleError):
        return False


def _built_from(stamp: object, directory: Path) -> bool:
    """Whether an index's stamp (its files' fingerprint and signature) is this directory's:
    the signature when it is the same, else the fingerprint (the files were copied or touched
    since, but may have the same bytes)."""
    if not (isinstance(stamp, tuple) and len(stamp) == 2):
        return False
    return bool(stamp[1] == signature(directory) or stamp[0] == fingerprint(directory))


def load(directory: Path, source: Path = FILE) -> Core | None:
    """The stored index when it was built from exactly this directory's files, else None."""
    collecting = gc.isenabled()
    try:
        with open(source, "rb") as handle:
            if not _built_from(pickle.load(handle), directory):  # noqa: S301 - see above
                return None
            # Unpickling makes some hundred thousand objects, none of them garbage: the
            # collector, run over them again and again on the way, would add half the time.
            gc.disable()
            core = pickle.load(handle)  # noqa: S301 - written by the build, see above
    except (
        OSError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        ImportError,
        pickle.PickleError,
    ):
        return None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(core, Core):
        return None
    # The index lives as long as the process. Left to the collector, its objects would be
    # scanned again whenever an older generation is collected: pauses of 25 to 50 ms in the
    # middle of an answer. Frozen, the collector leaves them (and what was loaded before them).
    gc.freeze()
    return core


if (
    __name__ == "__main__"
):  # python -m assistant.core.prebuilt: refresh the index of the built-in KB
    # Run through the package's own module, so that the stored classes are importable by name.
    from assistant.core import prebuilt
    from assistant.core.kb import default_dir

    prebuilt.write(default_dir())
    print(f"wrote {prebuilt.FILE}")


def load_knowledge(directory: str | Path | None = None) -> KnowledgeBase:
    """The knowledge base of ``directory``; the built-in one (None) from its stored index when
    that matches the files, as the assistant reads it (so ``kb`` and ``quiz`` start as fast as
    ``ask``). Raises what :func:`assistant.core.kb.load` raises."""
    from assistant.core import kb as knowledge

    if directory is None:
        core = load(knowledge.default_dir())
        if core is not None:
            return core.kb
    return knowledge.load(directory)
