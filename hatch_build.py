"""Build step: writes the compact ICD-10-CM index (``assistant/codes/icd10cm.idx``) from the
simple-icd-10-cm package, so that an installed copy looks ICD-10-CM codes up without loading
the whole code set, the words of its descriptions (``assistant/codes/icd10cm.words``, see
``assistant/codes/icd_words.py``), so that a code can be found by the condition it names, and the index of the built-in knowledge base (``assistant/core/knowledge.idx``,
see ``assistant/core/prebuilt.py``), so that a one-shot question does not read the Markdown. Runs
for wheels and editable installs; each is written only when it is missing or stale, and skipped
(with a message) when it cannot be built, in which case the assistant builds what it needs at
run time, in memory.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

INDEX = "assistant/codes/icd10cm.idx"
KNOWLEDGE_INDEX = "assistant/core/knowledge.idx"
ICD_WORDS = "assistant/codes/icd10cm.words"


def _builder(root: Path):
    """``assistant/codes/icd_index.py`` loaded on its own, without importing the package."""
    spec = importlib.util.spec_from_file_location(
        "_icd_index_build", root / "assistant" / "codes" / "icd_index.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building classes
    spec.loader.exec_module(module)
    return module


class IcdIndexHook(BuildHookInterface):
    PLUGIN_NAME = "icd-index"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        self._icd_index(root, build_data)
        self._knowledge_index(root, build_data)
        self._icd_words(root, build_data)

    def _icd_index(self, root: Path, build_data: dict) -> None:
        target = root / INDEX
        # Found, not imported: importing it loads the whole code set (seconds), which only a
        # stale index needs.
        if importlib.util.find_spec("simple_icd_10_cm") is None:
            self._no_icd_index()
            return
        builder = _builder(root)
        if not _up_to_date(builder, target):
            self.app.display_info(f"building the ICD-10-CM index {INDEX}")
            try:
                builder.build(target)
            except ImportError:
                self._no_icd_index()
                return
        build_data["artifacts"].append(INDEX)  # included although git ignores it

    def _no_icd_index(self) -> None:
        self.app.display_warning(
            "simple-icd-10-cm is not importable: building without the ICD-10-CM index "
            "(look-ups will load the library at run time)"
        )

    def _knowledge_index(self, root: Path, build_data: dict) -> None:
        """The stored index of the built-in knowledge base (needs the runtime dependencies,
        which the build environment may not have: then it is skipped)."""
        sys.path.insert(0, str(root))
        try:
            from assistant.core import prebuilt  # noqa: PLC0415 - the project being built

            if not prebuilt.up_to_date(root / "knowledge", root / KNOWLEDGE_INDEX):
                prebuilt.write(root / "knowledge", root / KNOWLEDGE_INDEX)
        except Exception as exc:  # noqa: BLE001 - any failure means: build it at run time
            self.app.display_warning(f"knowledge index not built ({exc}); built at run time")
            return
        finally:
            sys.path.remove(str(root))
        build_data["artifacts"].append(KNOWLEDGE_INDEX)


    def _icd_words(self, root: Path, build_data: dict) -> None:
        """The words of the ICD-10-CM descriptions (needs simple-icd-10-cm and the runtime's
        text pipeline): skipped when they cannot be built, and then codes are not found by
        the condition they name."""
        sys.path.insert(0, str(root))
        try:
            from assistant.codes import icd_words  # noqa: PLC0415 - the project being built

            target = root / ICD_WORDS
            if not icd_words.up_to_date(target):
                self.app.display_info(f"building the ICD-10-CM words {ICD_WORDS}")
                icd_words.build(target)
        except Exception as exc:  # noqa: BLE001 - any failure means: no search by words
            self.app.display_warning(f"ICD-10-CM words not built ({exc})")
            return
        finally:
            sys.path.remove(str(root))
        build_data["artifacts"].append(ICD_WORDS)


def _up_to_date(builder, target: Path) -> bool:
    try:
        return builder.IcdIndex(target).release == builder.source_release()
    except builder.IndexUnavailable:
        return False
