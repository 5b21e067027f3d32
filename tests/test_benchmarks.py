"""The benchmarks still run and still agree with the engine (no timing is asserted: machines are noisy).

Each benchmark checks, before timing, that what it times gives the engine's results exactly, and exits 1
with "MISMATCH" when it does not; run at their smallest size here, they keep working as the package moves.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["benchmarks/single_unit.py", "--quick"],
        ["benchmarks/monte_carlo.py", "--quick", "--units", "10", "--weightings", "50"],
        ["benchmarks/batch.py", "--quick", "--rows", "3000"],
    ],
    ids=["single_unit", "monte_carlo", "batch"],
)
def test_benchmark_runs_and_agrees_with_the_engine(command: list[str]) -> None:
    finished = subprocess.run(
        [sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 0, finished.stderr
    assert "MISMATCH" not in finished.stdout + finished.stderr
    assert "agree" in finished.stdout or "exactness" in finished.stdout
