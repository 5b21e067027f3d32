"""Monte Carlo benchmark: 10,000 weightings × 100 units × 30 indicators through the exact matrix path.

The set is ``benchmarks/thirty.yaml``; the 100 units are synthetic, made in memory from
``benchmarks/thirty_unit.yaml`` by scaling every number by a random factor (seeded; integers stay whole,
bounds are kept) and flipping some true/false inputs. Weightings are sampled as ``scoring.analysis.montecarlo``
does (uniform ±20% per weight, normalised and apportioned to the set's precision).

Prints the time of the matrix path (precomputing the cohort, then scoring every weighting), the time of
re-running :func:`scoring.evaluate` for a sample of weightings extrapolated to all of them, and the ratio.
Before timing anything it checks, on a sample of weightings, that both paths agree on every rounded row,
row sum, total and grade, and exits 1 if they do not.

    python benchmarks/monte_carlo.py [--quick] [--weightings N] [--units N]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

import scoring
from scoring.analysis._matrix import CohortMatrix
from scoring.analysis.cohort import Cohort
from scoring.analysis.montecarlo import sample_weightings
from scoring.formats.yaml import load_yaml

HERE = Path(__file__).resolve().parent
SET_PATH = HERE / "thirty.yaml"
UNIT_PATH = HERE / "thirty_unit.yaml"


def synthetic_cohort(count: int, seed: int = 20240601, set_path: Path = SET_PATH) -> Cohort:
    """``count`` synthetic units for the 30-indicator set, varied from the benchmark unit (seeded)."""
    indicator_set = scoring.load_set(set_path)
    data = load_yaml(UNIT_PATH).data
    rng = np.random.default_rng(seed)
    units = []
    attempts = 0
    while len(units) < count:
        attempts += 1
        if attempts > count * 20:
            raise SystemExit("could not make synthetic units that score")
        values: dict[str, Any] = {}
        for name, value in data["values"].items():
            declared = indicator_set.inputs[name]
            if isinstance(value, bool):
                values[name] = (not value) if rng.random() < 0.2 else value
                continue
            varied = Decimal(str(round(float(value) * rng.uniform(0.85, 1.15), 2)))
            if declared.type == "integer":
                varied = varied.to_integral_value()
            if declared.min is not None:
                varied = max(varied, declared.min)
            if declared.max is not None:
                varied = min(varied, declared.max)
            values[name] = varied
        mapping = {
            "unit": f"合成单位 {len(units) + 1:03d}",
            "period": "2024",
            "values": values,
            "not_applicable": list(data.get("not_applicable", [])),
            "judgments": data.get("judgments", {}),
        }
        try:
            unit = scoring.unit_from_mapping(mapping, indicator_set, f"<synthetic {len(units) + 1}>")
            scoring.evaluate(indicator_set, unit)
        except scoring.ScoringError:
            continue
        units.append(unit)
    return Cohort(indicator_set, tuple(units))


def compare(cohort: Cohort, matrix: CohortMatrix, weights: np.ndarray) -> list[str]:
    """Differences between the matrix path and ``scoring.evaluate`` (empty when they agree exactly)."""
    result = matrix.evaluate(weights, keep_points=True)
    problems = []
    for k in range(weights.shape[0]):
        reweighted = cohort.indicator_set.reweighted(matrix.decimal_weights(weights[k]))
        for u, unit in enumerate(cohort.units):
            expected = scoring.evaluate(reweighted, unit)
            rows = result.row_points(k, u)
            for row in expected.indicators:
                if rows[row.id] != (row.points if row.counted else None):
                    problems.append(f"weighting {k}, {unit.name}, {row.id}: {rows[row.id]} != {row.points}")
            got = (result.total(k, u), result.grade(k, u), result.row_sum(k, u))
            if got != (expected.total, expected.grade, expected.row_sum):
                problems.append(
                    f"weighting {k}, {unit.name}: {got} != {(expected.total, expected.grade, expected.row_sum)}"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller run: 1,000 weightings, fewer checks")
    parser.add_argument("--weightings", type=int, default=None, help="weightings to time (default 10,000)")
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count = args.weightings or (1_000 if args.quick else 10_000)
    checked = 3 if args.quick else 20
    timed_evaluate = 2 if args.quick else 5

    start = time.perf_counter()
    cohort = synthetic_cohort(args.units)
    made = time.perf_counter() - start
    indicator_set = cohort.indicator_set
    n = len(indicator_set.indicators)

    start = time.perf_counter()
    matrix = CohortMatrix.from_cohort(cohort)
    prepared = time.perf_counter() - start
    weights = sample_weightings(matrix.base_weights, count, spread=20, seed=args.seed)

    # Exactness first: a sample of the weightings (and the current weights) through both paths.
    sample = np.vstack([matrix.base_weights, weights[np.linspace(0, count - 1, checked).astype(int)]])
    problems = compare(cohort, matrix, sample)
    if problems:
        print("MISMATCH between the matrix path and scoring.evaluate:", file=sys.stderr)
        for problem in problems[:20]:
            print("  " + problem, file=sys.stderr)
        print(f"  ({len(problems)} differences)", file=sys.stderr)
        return 1

    start = time.perf_counter()
    result = matrix.evaluate(weights)
    elapsed = time.perf_counter() - start

    start = time.perf_counter()
    for k in range(timed_evaluate):
        reweighted = indicator_set.reweighted(matrix.decimal_weights(weights[k]))
        for unit in cohort.units:
            scoring.evaluate(reweighted, unit)
    per_weighting = (time.perf_counter() - start) / timed_evaluate
    extrapolated = per_weighting * count

    entries = count * len(cohort.units) * n
    print(
        f"Monte Carlo benchmark: {count:,} weightings × {len(cohort.units)} units × {n} indicators "
        f"({entries:,} row scores); set {indicator_set.id}, rounding {indicator_set.rounding.places} places "
        f"{indicator_set.rounding.mode}"
    )
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, scoring {scoring.__version__}"
        f"{' (--quick)' if args.quick else ''}"
    )
    print(
        f"exactness: matrix path == scoring.evaluate on {sample.shape[0]} weightings × {len(cohort.units)} units "
        "(every rounded row, row sum, total and grade)"
    )
    print()
    print(f"synthetic units made          {made:8.3f} s")
    print(
        f"matrix: precompute the cohort {prepared:8.3f} s  ({len(cohort.units)} evaluations at reference weights)"
    )
    print(
        f"matrix: {count:,} weightings     {elapsed:8.3f} s  ({elapsed / count * 1e6:.1f} µs per weighting; "
        f"{result.exact_entries:,} row entries near a rounding boundary recomputed exactly)"
    )
    total_matrix = prepared + elapsed
    print(
        f"evaluate: {per_weighting:.3f} s per weighting (×{len(cohort.units)} units, {timed_evaluate} timed) "
        f"→ {extrapolated:,.1f} s for {count:,} (extrapolated)"
    )
    print()
    print(
        f"matrix path {total_matrix:.3f} s vs evaluate {extrapolated:,.1f} s: {extrapolated / total_matrix:,.0f}× faster"
    )
    target = 10.0 * count / 10_000
    verdict = "OK" if total_matrix < target else "NOT MET"
    print(f"target: well under {target:g} s for {count:,} weightings — {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
