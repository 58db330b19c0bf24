"""The layers in the folders hold: every import in ``assistant/`` (at the top of a module or inside
a function) is read from the source and checked against the rules below, the way import rules in
a project file would check them.

- ``core`` (knowledge, engine, ``answer()``) and ``codes`` (classifier, ICD-10-CM, imported HCPCS
  data) and ``quiz`` import no front end and no UI library.
- Inside the core, only ``assistant.core.answer`` (the one entry point) and
  ``assistant.core.result`` (what it returns, which holds code cards) reach into ``codes``; the
  code layer may use the core's knowledge, facts and text pipeline, never ``answer`` itself.
- The front ends (``cli``, ``tui``, ``web``) import the layers below them; ``tui`` and ``web`` do
  not import each other or the command line; only ``cli`` starts them (lazily, inside a command).
- Textual is imported by ``tui`` and ``web`` only; textual-serve and aiohttp by ``web`` only.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "assistant"
LAYERS = ("core", "codes", "quiz", "cli", "tui", "web")
FRONT_ENDS = {"cli", "tui", "web"}
UI_LIBRARIES = {"textual", "textual_serve", "aiohttp", "rich"}

# Which layers each layer may import (besides itself).
ALLOWED = {
    "core": {"codes"},  # narrowed below: only assistant.core.answer
    "codes": {"core"},
    "quiz": {"core", "codes"},
    "cli": {"core", "codes", "quiz", "tui", "web"},
    "tui": {"core", "codes", "quiz"},
    "web": {"core"},
}
CORE_TO_CODES = {"assistant.core.answer", "assistant.core.result"}
# Which third-party UI libraries each layer may import.
ALLOWED_LIBRARIES = {
    "core": set(),
    "codes": set(),
    "quiz": set(),
    "cli": {"rich"},
    "tui": {"textual", "rich"},
    "web": {"textual", "textual_serve", "aiohttp"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[str]:
    """Every module name imported anywhere in the file, relative imports made absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
                found.append(module)
                if not node.module:
                    found += [f"{module}.{alias.name}" for alias in node.names]
            else:
                found.append(node.module or "")
                found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "assistant" and len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return None


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if layer_of(module_name(p)))


def violations(path: Path) -> list[str]:
    source = module_name(path)
    layer = layer_of(source)
    problems = []
    for target in imports_of(path):
        top = target.split(".")[0]
        if top in UI_LIBRARIES and top not in ALLOWED_LIBRARIES[layer]:
            problems.append(f"{source} imports {target}")
        other = layer_of(target)
        if other is None or other == layer:
            continue
        if other not in ALLOWED[layer]:
            problems.append(f"{source} imports {target}")
        elif layer == "core" and source not in CORE_TO_CODES:
            problems.append(f"{source} imports {target} (only answer() and its result use codes)")
        elif layer == "codes" and target.startswith(
            ("assistant.core.answer", "assistant.core.result")
        ):
            problems.append(f"{source} imports {target} (the code layer sits below answer())")
    return problems


def test_every_module_belongs_to_a_layer():
    loose = [
        module_name(p)
        for p in PACKAGE.rglob("*.py")
        if not layer_of(module_name(p))
        and module_name(p) not in ("assistant", "assistant.__main__")
    ]
    assert loose == []
    assert len(SOURCES) > 30


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_follow_the_layers(path):
    assert violations(path) == []


@pytest.mark.parametrize(
    ("module", "code", "expected"),
    [
        ("assistant/core/kb.py", "from assistant.tui import app\n", "imports assistant.tui"),
        ("assistant/core/kb.py", "import textual\n", "imports textual"),
        (
            "assistant/core/facts.py",
            "from ..codes import classify\n",
            "only answer() and its result",
        ),
        ("assistant/codes/cards.py", "from assistant.core.answer import answer\n", "below answer"),
        ("assistant/quiz/questions.py", "def f():\n    from ..cli import main\n", "assistant.cli"),
        ("assistant/tui/app.py", "from assistant.web import serve\n", "assistant.web"),
    ],
)
def test_the_rules_catch_a_wrong_import(tmp_path, monkeypatch, module, code, expected):
    """The checker itself: a planted wrong import (also inside a function) is reported."""
    fake_root = tmp_path
    target = fake_root / module
    target.parent.mkdir(parents=True)
    target.write_text(code, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    found = violations(target)
    assert found and expected in found[0]
