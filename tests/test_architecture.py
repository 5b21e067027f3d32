"""The package keeps the layout docs/architecture.md describes.

Each part imports only the parts the document allows (so the pipeline stays one-way: nothing below
``report`` formats for display, nothing but ``cli`` imports ``report``), every rule kind in the registry has
its section in docs/format.md, and every problem code the library can produce is listed there.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.rules import RULE_KINDS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scoring"
FORMAT_DOC = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")

FOUNDATION = {"errors", "limits", "numbers", "fields", "serialize", "lazy", "language"}
#: Part → the parts it may import (besides itself), as in docs/architecture.md's table.
ALLOWED: dict[str, set[str]] = {
    "limits": set(),
    "lazy": set(),
    "language": set(),
    "errors": {"limits"},
    "numbers": {"limits"},
    "fields": set(),
    "serialize": {"numbers"},
    "formula": FOUNDATION,
    "rules": FOUNDATION | {"formula"},
    "formats": FOUNDATION | {"rules"},
    "model": FOUNDATION | {"formula", "rules", "formats"},
    "engine": FOUNDATION | {"formula", "rules", "formats", "model"},
    "audit": FOUNDATION | {"formats", "model", "engine", "analysis"},
    "tables": FOUNDATION | {"formats", "model"},
    "columnar": FOUNDATION | {"formula", "rules", "formats", "model", "engine"},
    "batch": FOUNDATION | {"formats", "model", "engine", "tables", "columnar", "analysis"},
    "dask": FOUNDATION | {"model", "batch"},
    "analysis": FOUNDATION | {"rules", "formats", "model", "engine", "columnar"},
    "report": FOUNDATION | {"formula", "rules", "formats", "model", "engine", "audit", "analysis"},
    "cli": FOUNDATION
    | {
        "formula",
        "rules",
        "formats",
        "model",
        "engine",
        "audit",
        "analysis",
        "report",
        "batch",
        "tables",
        "columnar",
        "dask",
    },
    # the package's front door re-exports the public API; ``python -m scoring`` runs the command line
    "__init__": FOUNDATION | {"model", "engine", "audit", "analysis", "report", "batch"},
    "__main__": {"cli"},
}


def _module_name(path: Path) -> tuple[str, str]:
    """(dotted name of the module, dotted name of the package its relative imports start from)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), ".".join(parts[:-1])
    return ".".join(parts), ".".join(parts[:-1])


def _part(dotted: str) -> str:
    """The part of ``scoring`` a dotted name belongs to: ``scoring.rules.bands`` → ``rules``."""
    pieces = dotted.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def _imported_modules(path: Path) -> set[str]:
    """Dotted names of the ``scoring`` modules a file imports (at any depth: lazy imports count too)."""
    _, package = _module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # ``from . import limits`` imports the module ``scoring.limits``
            found |= {f"{target}.{alias.name}" for alias in node.names if node.module is None}
    return {name for name in found if name == "scoring" or name.startswith("scoring.")}


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_part_imports_only_what_the_architecture_allows(path: Path) -> None:
    name, _ = _module_name(path)
    part = _part(name)
    assert part in ALLOWED, f"{name}: part '{part}' is not in docs/architecture.md (add it there and here)"
    imported = {_part(target) for target in _imported_modules(path) if target != "scoring"} - {part}
    assert imported <= ALLOWED[part], f"{name} imports {sorted(imported - ALLOWED[part])}"


def test_the_import_check_sees_relative_and_lazy_imports() -> None:
    bands = PACKAGE / "rules" / "bands.py"
    assert {"scoring.rules.base"} <= _imported_modules(bands)
    errors = _imported_modules(PACKAGE / "errors.py")
    assert "scoring.limits" in errors  # imported inside a function, relative to the package


def test_nothing_but_the_command_line_imports_report() -> None:
    importers = {
        _part(_module_name(path)[0])
        for path in MODULES
        if any(_part(target) == "report" for target in _imported_modules(path))
    }
    assert importers - {"report", "__init__"} == {"cli"}


@pytest.mark.parametrize("kind", sorted(RULE_KINDS))
def test_every_rule_kind_has_its_section_in_the_format_reference(kind: str) -> None:
    assert re.search(rf"^### {kind} — ", FORMAT_DOC, re.MULTILINE), f"docs/format.md has no '### {kind} — …'"


def _codes_in_source() -> set[str]:
    """Every problem code written in the package: the first argument of a ``Problem``, or a code passed on
    its own line to a helper that makes one."""
    codes: set[str] = set()
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"Problem\(\s*\"([a-z][a-z0-9-]*)\"", text))
        codes |= set(re.findall(r"\n\s+\"([a-z]+(?:-[a-z0-9]+)+)\",\n", text))
    return codes


def test_every_problem_code_is_documented() -> None:
    codes = _codes_in_source()
    assert {"file-kind", "name-lookalike", "more-problems", "set-outside-root"} <= codes  # the scan works
    missing = sorted(code for code in codes if f"`{code}`" not in FORMAT_DOC)
    assert missing == [], f"problem codes missing from docs/format.md: {missing}"


#: docs/architecture.md, "Size": past these a module holds two concepts, a function two steps.
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"{path.name} has {text.count(chr(10))} lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_subpackages_load_on_first_use_without_numpy() -> None:
    """README: the analyses are reachable as ``scoring.analysis.<module>`` after ``import scoring``, which loads
    neither them nor numpy until asked."""
    code = (
        "import sys, scoring\n"
        "assert 'scoring.analysis.cohort' not in sys.modules and 'numpy' not in sys.modules\n"
        "assert callable(scoring.analysis.cohort.load_cohort) and callable(scoring.report.score.table)\n"
        "assert 'numpy' not in sys.modules\n"
        "try:\n    scoring.analysis.no_such_module\nexcept AttributeError:\n    pass\n"
        "else:\n    raise SystemExit('no AttributeError')\n"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
