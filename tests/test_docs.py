"""Every ```python block of README.md and docs/*.md runs as written: the blocks of one file one after another
in one namespace, from the checkout's root (as a reader would paste them).

A block that cannot run on its own says so on its first line, visibly to readers too: ``# not run: <why>``
(a cluster to connect to, say). Such blocks are few, and counted.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring import IndicatorSet

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: The first line of a block that is shown but not run, and why.
NOT_RUN = "# not run:"
#: At most this many blocks may be left out in all.
MOST_NOT_RUN = 2


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def run_blocks(path: Path) -> dict[str, Any]:
    """Run the file's blocks in order in one namespace (those marked not run left out); the namespace."""
    namespace: dict[str, Any] = {}
    name = path.relative_to(ROOT)
    for number, block in enumerate(python_blocks(path), 1):
        if not block.startswith(NOT_RUN):
            exec(compile(block, f"{name} python block {number}", "exec"), namespace)
    return namespace


def documents_with_code() -> list[Path]:
    return [path for path in DOCUMENTS if python_blocks(path)]


def test_the_documents_hold_python_examples() -> None:
    names = {path.name for path in documents_with_code()}
    assert {"README.md", "tuning.md", "batch.md", "explain.md"} <= names


def test_few_blocks_are_left_out_and_each_says_why() -> None:
    left_out = [block for path in DOCUMENTS for block in python_blocks(path) if block.startswith(NOT_RUN)]
    assert len(left_out) <= MOST_NOT_RUN
    assert all(block.splitlines()[0].removeprefix(NOT_RUN).strip() for block in left_out)


@pytest.mark.parametrize(
    "path", [p for p in documents_with_code() if p.name != "tuning.md"], ids=lambda p: p.name
)
def test_the_python_blocks_run(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if path.name in ("README.md", "batch.md"):
        pytest.importorskip("polars")  # their table examples need the tables extra
    monkeypatch.chdir(ROOT)  # the examples name files relative to the checkout
    run_blocks(path)


def test_the_readme_example_gives_what_its_comments_say(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("polars")
    monkeypatch.chdir(ROOT)
    namespace = run_blocks(ROOT / "README.md")
    result = namespace["result"]
    assert (result.total, result.grade) == (Decimal("79.4"), "中")
    assert scoring.evaluate(namespace["indicator_set"], namespace["data"]).total == Decimal("79.4")
    assert len(namespace["scores"]) == 24


@pytest.mark.slow
def test_tuning_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring.analysis._matrix_result import MatrixResult

    monkeypatch.chdir(ROOT)
    assert len(python_blocks(ROOT / "docs" / "tuning.md")) >= 3
    namespace = run_blocks(ROOT / "docs" / "tuning.md")
    results, heavier, result = namespace["results"], namespace["heavier"], namespace["result"]
    assert isinstance(results, list) and len(results) == 24
    assert isinstance(heavier, IndicatorSet) and heavier.total == 100
    assert isinstance(result, MatrixResult)
    # the matrix path's second weighting is the reweighted set, scored by the engine
    cohort: Any = namespace["cohort"]
    assert result.totals_of(1)[0] == scoring.evaluate(heavier, cohort.units[0]).total
