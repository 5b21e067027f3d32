"""Golden outputs: every command, in every format, on the shipped examples and the synthetic cohort.

The files under ``tests/golden/`` hold what each command printed (stdout, stderr and exit status) when they
were last accepted. A change to any output shows here as a failing case with a diff; when the change is
meant, regenerate them with ``SCORING_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and say why
in the commit.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
BAD = "tests/golden/inputs"

EXAMPLES = ["demo", "hunan-hrss-2019", "cn-project-employment-training", "supplier-acme"]
SETS = ["demo", "hunan-department-overall", "cn-project-self-evaluation", "supplier-scorecard"]
COHORT = "examples/synthetic"

CASES: dict[str, list[str]] = {}
for name in EXAMPLES:
    for output in ("table", "json", "csv", "markdown"):
        CASES[f"score-{name}-{output}"] = ["score", f"examples/{name}.yaml", "--format", output]
    CASES[f"explain-{name}"] = ["explain", f"examples/{name}.yaml"]
    CASES[f"check-{name}"] = ["check", f"examples/{name}.yaml"]
    CASES[f"margins-{name}"] = ["margins", f"examples/{name}.yaml"]
for name in SETS:
    CASES[f"check-set-{name}"] = ["check", f"indicators/{name}.yaml", "--format", "json"]
CASES["score-synthetic-01"] = ["score", f"{COHORT}/dept-01.yaml"]
CASES["explain-selected"] = ["explain", "examples/demo.yaml", "budget_completion_rate", "staff_control_rate"]
CASES["explain-unknown-id"] = ["explain", "examples/demo.yaml", "no_such_row"]
CASES["score-explicit-set"] = ["score", "examples/demo.yaml", "--set", "indicators/demo.yaml"]
for output in ("text", "json"):
    CASES[f"reproduce-hunan-{output}"] = ["reproduce", "examples/hunan-hrss-2019.yaml", "--format", output]
CASES["reproduce-no-published"] = ["reproduce", "examples/demo.yaml"]
for output in ("table", "json", "csv"):
    CASES[f"tune-{output}"] = ["tune", COHORT, "--weight", "过程/预算执行=25", "--format", output]
    CASES[f"weights-{output}"] = ["weights", COHORT, "--format", output]
    CASES[f"margins-{output}"] = ["margins", COHORT, "--format", output]
    CASES[f"sensitivity-{output}"] = ["sensitivity", COHORT, "--delta", "1", "--groups", "--format", output]
    CASES[f"montecarlo-{output}"] = ["montecarlo", COHORT, "-n", "300", "--seed", "7", "--no-progress", "--format", output]  # fmt: skip
CASES["tune-rescale-none"] = ["tune", COHORT, "--weight", "budget_completion_rate=12", "--rescale", "none"]
CASES["tune-weights-file"] = ["tune", COHORT, "--weights", f"{BAD}/weights.yaml"]
CASES["tune-no-weights"] = ["tune", COHORT]
CASES["tune-bad-weight"] = ["tune", COHORT, "--weight", "nothing=3", "--weight", "x"]
CASES["margins-places"] = ["margins", "examples/demo.yaml", "--places", "budget_spent=0"]
CASES["margins-bad-places"] = ["margins", "examples/demo.yaml", "--places", "nothing=2"]
CASES["sensitivity-bad-delta"] = ["sensitivity", COHORT, "--delta", "0.001"]
CASES["montecarlo-dirichlet"] = ["montecarlo", COHORT, "-n", "200", "--seed", "3", "--method", "dirichlet", "--no-progress"]  # fmt: skip
CASES["montecarlo-bad-interval"] = ["montecarlo", COHORT, "-n", "10", "--seed", "1", "--interval", "5,101", "--no-progress"]  # fmt: skip
CASES["weights-demo-examples"] = ["weights", "examples/demo.yaml", "examples/synthetic/dept-01.yaml"]
for kind in ("set", "unit"):
    CASES[f"schema-{kind}"] = ["schema", kind]
CASES["check-bad-set"] = ["check", f"{BAD}/bad-set.yaml"]
CASES["check-bad-set-json"] = ["check", f"{BAD}/bad-set.yaml", "--format", "json"]
CASES["check-bad-unit"] = ["check", f"{BAD}/bad-unit.yaml"]
CASES["score-bad-unit"] = ["score", f"{BAD}/bad-unit.yaml"]
CASES["score-missing-file"] = ["score", f"{BAD}/no-such-file.yaml"]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    output = f"$ scoring {' '.join(argv)}\nexit {code}\n--- stdout\n{captured.out}--- stderr\n{captured.err}"
    # a set found through a unit's set: is named by its absolute path, which depends on where the checkout is
    return output.replace(str(ROOT), "<checkout>")


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps its messages to the terminal's width
    actual = _run(CASES[name], capsys)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("SCORING_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), "golden", "now", n=2
            )
        )
        pytest.fail(f"output of {name} changed:\n{diff[:6000]}")


def test_every_golden_file_has_a_case() -> None:
    stale = {path.stem for path in GOLDEN.glob("*.txt")} - set(CASES)
    assert not stale, f"golden files without a case (delete them): {sorted(stale)}"
