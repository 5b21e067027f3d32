"""The Python examples in docs/tuning.md run as written, one after another (as a reader would paste them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring import IndicatorSet
from scoring.analysis._matrix_result import MatrixResult

ROOT = Path(__file__).resolve().parent.parent


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


@pytest.mark.slow
def test_tuning_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(ROOT / "docs" / "tuning.md")
    assert len(blocks) >= 3
    monkeypatch.chdir(ROOT)  # the examples name files relative to the checkout
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"docs/tuning.md python block {number}", "exec"), namespace)
    results, heavier, result = namespace["results"], namespace["heavier"], namespace["result"]
    assert isinstance(results, list) and len(results) == 24
    assert isinstance(heavier, IndicatorSet) and heavier.total == 100
    assert isinstance(result, MatrixResult)
    # the matrix path's second weighting is the reweighted set, scored by the engine
    cohort: Any = namespace["cohort"]
    assert result.totals_of(1)[0] == scoring.evaluate(heavier, cohort.units[0]).total
