"""The synthetic cohort in examples/synthetic: exactly what its generator makes, and fully scorable."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from scoring.analysis.cohort import load_cohort

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate_synthetic_units.py"
SHIPPED = ROOT / "examples" / "synthetic"


def generator():
    spec = importlib.util.spec_from_file_location("generate_synthetic_units", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_what_the_default_seed_generates(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)
    shipped = sorted(path.name for path in SHIPPED.glob("*.yaml"))
    made = sorted(path.name for path in tmp_path.glob("*.yaml"))
    assert made == shipped
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), (
            f"{name} differs: re-run {SCRIPT.name}"
        )


def test_same_seed_same_files_other_seed_other_files() -> None:
    module = generator()
    assert module.generate(7, 6) == module.generate(7, 6)
    assert module.generate(7, 6) != module.generate(8, 6)


def test_a_smaller_run_removes_stale_generated_files(tmp_path: Path) -> None:
    module = generator()
    module.write(module.generate(1, 12), tmp_path)
    (tmp_path / "dept-99.yaml").write_text("# someone else's file\n", encoding="utf-8")
    removed = module.write(module.generate(1, 5), tmp_path)
    assert [path.name for path in removed] == [f"dept-{i:02d}.yaml" for i in range(6, 13)]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        *(f"dept-{i:02d}.yaml" for i in range(1, 6)),
        "dept-99.yaml",  # not written by the generator: left alone
    ]


def test_every_file_says_it_is_synthetic() -> None:
    for path in SHIPPED.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# SYNTHETIC DATA"), path.name
        assert "--seed 2019" in text.splitlines()[1], path.name
        assert "（虚构）" in text, path.name


def test_cohort_scores_completely_across_grades() -> None:
    cohort = load_cohort([SHIPPED])
    assert len(cohort.units) >= 20
    assert all("虚构" in name for name in cohort.names)
    results = cohort.evaluate()
    assert all(result.complete for result in results)
    assert all(row.status != "unknown" for result in results for row in result.indicators)
    assert len({result.grade for result in results}) >= 3
    # some units use the N/A rows the set allows, most do not
    not_applicable = [
        row.id for result in results for row in result.indicators if row.status == "not_applicable"
    ]
    assert 0 < not_applicable.count("building_area_control") < len(results) / 2
    assert 0 < not_applicable.count("investment_estimate_control") < len(results) / 2
