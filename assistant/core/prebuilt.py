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
FORMAT = "1"
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
    tmp = target.with_suffix(".idx.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(fingerprint(directory), handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(core, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(target)


def up_to_date(directory: Path, source: Path = FILE) -> bool:
    """Whether ``source`` was built from exactly this directory's files by this code (what
    :func:`load` checks before using it), so that a build need not write it again."""
    try:
        with open(source, "rb") as handle:
            return bool(pickle.load(handle) == fingerprint(directory))  # noqa: S301 - see above
    except (OSError, EOFError, ValueError, TypeError, AttributeError, pickle.PickleError):
        return False


def load(directory: Path, source: Path = FILE) -> Core | None:
    """The stored index when it was built from exactly this directory's files, else None."""
    collecting = gc.isenabled()
    try:
        with open(source, "rb") as handle:
            if pickle.load(handle) != fingerprint(directory):  # noqa: S301 - see above
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
    return core if isinstance(core, Core) else None


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
