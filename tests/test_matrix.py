"""The matrix path (issue 5, "Performance"): every unit under many weightings equals ``scoring.evaluate``
to the last rounded digit — rows, row sums, attainable totals, totals and grades — including exact ties
where float arithmetic lands on the wrong side of a rounding boundary."""

from __future__ import annotations

import dataclasses
import decimal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")

from hypothesis import assume, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import scoring  # noqa: E402
from scoring.analysis._matrix import (  # noqa: E402
    CohortMatrix,
    apportion_rows,
    competition_ranks,
    evaluate_weightings,
    round_div,
)
from scoring.analysis.cohort import Cohort, ranks  # noqa: E402
from scoring.analysis.montecarlo import sample_weightings  # noqa: E402
from scoring.analysis.reweight import WeightChange, apportion, reweight  # noqa: E402
from scoring.numbers import CONTEXT, ROUNDING_MODES  # noqa: E402

from .helpers import set_text  # noqa: E402
from .strategies import MODES, set_plans, unit_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [
    "examples/demo.yaml",
    "examples/cn-project-employment-training.yaml",  # an N/A row with the rescale policy
    "examples/supplier-acme.yaml",  # half_even, total 1000
]


# --- helpers --------------------------------------------------------------------------------------------


def variants(unit: scoring.Unit, count: int, seed: int = 0) -> Cohort:
    """The unit and ``count`` copies with every number scaled by a random factor (types and bounds kept)."""
    indicator_set = unit.indicator_set
    rng = np.random.default_rng(seed)
    units = [unit]
    base = unit.spec.model_dump(by_alias=True, exclude_none=True)
    attempts = 0
    while len(units) <= count and attempts < 50 * (count + 1):
        attempts += 1
        data = dict(base, unit=f"{unit.name} #{len(units)}")
        values: dict[str, Any] = {}
        for name, value in base["values"].items():
            declared = indicator_set.inputs[name]
            if isinstance(value, bool):
                values[name] = (not value) if rng.random() < 0.25 else value
                continue
            varied = Decimal(str(round(float(value) * rng.uniform(0.8, 1.2), 2)))
            if declared.type == "integer":
                varied = varied.to_integral_value()
            if declared.min is not None:
                varied = max(varied, declared.min)
            if declared.max is not None:
                varied = min(varied, declared.max)
            values[name] = varied
        data["values"] = values
        try:
            varied_unit = scoring.unit_from_mapping(data, indicator_set, f"<variant {len(units)}>")
            scoring.evaluate(indicator_set, varied_unit)
        except scoring.ScoringError:
            continue
        units.append(varied_unit)
    return Cohort(indicator_set, tuple(units))


def assert_same(cohort: Cohort, matrix: CohortMatrix, weights: Any) -> int:
    """Every unit under every weighting: matrix path == scoring.evaluate, to the last digit."""
    result = matrix.evaluate(weights, keep_points=True)
    for k in range(result.weights.shape[0]):
        decimal_weights = matrix.decimal_weights(result.weights[k])
        total = sum(decimal_weights.values(), Decimal(0))
        reweighted = cohort.indicator_set.reweighted(decimal_weights, total=total)
        for u, unit in enumerate(cohort.units):
            expected = scoring.evaluate(reweighted, unit)
            rows = result.row_points(k, u)
            assert rows == {r.id: (r.points if r.counted else None) for r in expected.indicators}, (k, u)
            assert result.row_sum(k, u) == expected.row_sum, (k, u)
            assert result.attainable_total(k, u) == expected.attainable, (k, u)
            assert result.maximum(k) == expected.maximum, (k, u)
            assert (result.total(k, u), result.grade(k, u)) == (expected.total, expected.grade), (k, u)
    return result.exact_entries


def weightings(matrix: CohortMatrix, count: int, seed: int) -> Any:
    """The cohort's own weights, then uniform ±40% and loose Dirichlet samples."""
    half = max(1, count // 2)
    return np.vstack(
        [
            matrix.base_weights,
            sample_weightings(matrix.base_weights, half, spread=40, seed=seed),
            sample_weightings(matrix.base_weights, half, method="dirichlet", concentration=8, seed=seed),
        ]
    )


# --- integer building blocks ----------------------------------------------------------------------------


@given(
    st.lists(st.tuples(st.integers(-(10**12), 10**12), st.integers(1, 10**6)), min_size=1, max_size=30),
    st.sampled_from(MODES),
)
def test_round_div_rounds_like_decimal(pairs, mode):
    # plant exact ties: num = (2m + 1) × den / 2 for even den
    pairs = [*pairs, *(((2 * n + 1) * (2 * d) // 2, 2 * d) for n, d in pairs), ((-5, 2)), ((5, 2))]
    num = np.asarray([p[0] for p in pairs], dtype=np.int64)
    den = np.asarray([p[1] for p in pairs], dtype=np.int64)
    got = round_div(num, den, mode)
    with decimal.localcontext(CONTEXT):
        expected = [
            int((Decimal(n) / Decimal(d)).quantize(Decimal(1), rounding=ROUNDING_MODES[mode]))
            for n, d in pairs
        ]
    assert got.tolist() == expected
    objects = round_div(np.asarray(num, dtype=object), np.asarray(den, dtype=object), mode)
    assert [int(x) for x in objects] == expected


@given(
    st.lists(st.lists(st.integers(0, 10**6), min_size=1, max_size=8), min_size=1, max_size=6),
    st.integers(1, 5000),
)
def test_apportion_rows_is_largest_remainder_like_apportion(rows, total):
    width = max(len(r) for r in rows)
    rows = [[*r, *([1] * (width - len(r)))] for r in rows]
    raw = np.asarray(rows, dtype=np.float64) + 1
    amounts = raw * (total / raw.sum(axis=1, keepdims=True))
    got = apportion_rows(amounts, total)
    assert (got.sum(axis=1) == total).all()
    for row, result in zip(amounts, got, strict=True):
        # the floats themselves, exactly, through the Decimal implementation
        shares = {str(j): Decimal(float(x)) for j, x in enumerate(row)}
        with decimal.localcontext(CONTEXT):
            expected = apportion(shares, Decimal(total), 0)
        assert [int(expected[str(j)]) for j in range(width)] == result.tolist()


def test_competition_ranks_match_batch_ranks():
    rng = np.random.default_rng(5)
    totals = rng.integers(0, 6, size=(50, 9))
    got = competition_ranks(totals)
    for k in range(50):
        assert got[k].tolist() == ranks([Decimal(int(t)) for t in totals[k]])


# --- planted ties ---------------------------------------------------------------------------------------


def fixed_points_set(points: list[str], weights: list[str], mode: str, places: int, total_places: int, **top):
    """A set whose indicators score fixed points (at their declared weights) whatever the value."""
    indicators = [
        {
            "id": f"i{j}",
            "weight": Decimal(w),
            "formula": "x",
            "rule": {"bands": [{"from": 0, "points": Decimal(p)}], "otherwise": 0},
            **({"not_applicable": "rescale"} if j == 0 else {}),
        }
        for j, (p, w) in enumerate(zip(points, weights, strict=True))
    ]
    text = set_text(
        indicators,
        inputs={"x": {}},
        rounding={"places": places, "total_places": total_places, "mode": mode},
        **top,
    )
    return scoring.parse_set(text, "ties.yaml")


def trap_cohort(points: str, mode: str, places: int, weight: str = "1") -> tuple[Cohort, CohortMatrix]:
    indicator_set = fixed_points_set(
        [points, str(20 - Decimal(weight))], [weight, str(20 - Decimal(weight))], mode, places, places
    )
    unit = scoring.unit_from_mapping({"unit": "u", "values": {"x": 1}}, indicator_set)
    cohort = Cohort(indicator_set, (unit,))
    return cohort, CohortMatrix.from_cohort(cohort)


@pytest.mark.parametrize(("mode", "expected"), [("half_up", "2.9"), ("half_even", "2.8")])
def test_a_tie_that_floats_miss_is_recomputed_exactly(mode, expected):
    """0.285 × 10 = 2.85 exactly, a tie at one decimal; in floats it is 2.8499999999999996, which would
    round down. The matrix path sees the tie and recomputes it, as the engine rounds it."""
    q = 0.285 * 10 / 10  # the matrix path's factor: float(P) · 10^places / reference weight in units
    assert q * 100 == 28.499999999999996  # ... times the new weight, 10, in units of 0.1
    cohort, matrix = trap_cohort("0.285", mode, 1)
    result = matrix.evaluate(np.asarray([[100, 100]]), keep_points=True)
    assert result.row_points(0, 0)["i0"] == Decimal(expected)
    assert result.exact_entries == 1
    assert_same(cohort, matrix, np.asarray([[100, 100], [10, 190], [30, 170], [170, 30], [35, 165]]))


@pytest.mark.parametrize("mode", ["down", "up", "half_up"])
def test_a_whole_number_that_floats_miss_is_recomputed_exactly(mode):
    """4.35 of 5 points at weight 100 is 87 exactly; in floats 86.99999999999999, which 'down' would cut
    to 86."""
    assert 4.35 / 5 * 100 == 86.99999999999999
    cohort, matrix = trap_cohort("4.35", mode, 0, weight="5")
    result = matrix.evaluate(np.asarray([[100, 100]]), keep_points=True)
    assert result.row_points(0, 0)["i0"] == 87
    assert_same(cohort, matrix, np.asarray([[100, 100], [10, 190], [20, 180], [60, 140], [199, 1]]))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("places", "total_places"), [(0, 0), (1, 0), (2, 1), (2, 3)])
def test_planted_ties_in_rows_and_totals(mode, places, total_places):
    """Points in twentieths and halves of the weight, every weighting of a small total: many exact ties,
    in rows (k + ½ units) and in rescaled totals (row sum × total / attainable)."""
    q = Decimal(1).scaleb(-places)
    weights = [str(Decimal(w) * q) for w in (4, 6, 10)]
    points = [str(Decimal(p) * q) for p in ("1.4", "4.5", "7.5")]
    indicator_set = fixed_points_set(points, weights, mode, places, total_places)
    units = (
        scoring.unit_from_mapping({"unit": "all", "values": {"x": 1}}, indicator_set, "a"),
        scoring.unit_from_mapping(
            {"unit": "rescaled", "values": {"x": 1}, "not_applicable": ["i0"]}, indicator_set, "b"
        ),
        scoring.unit_from_mapping({"unit": "nothing", "values": {"x": -1}}, indicator_set, "c"),
    )
    cohort = Cohort(indicator_set, units)
    matrix = CohortMatrix.from_cohort(cohort)
    grid = np.asarray([[a, b, 20 - a - b] for a in range(1, 19) for b in range(1, 20 - a)], dtype=np.int64)
    if places > total_places:
        grid = grid * 10 ** (places - total_places)  # totals must stay exact at total_places
    assert assert_same(cohort, matrix, grid) > 0


def test_the_decimal_fallback_agrees_too():
    """Entries near a boundary whose P is not a short decimal are recomputed with Decimal, by the engine's
    formula; forcing every such entry through it gives the same results."""
    indicator_set = fixed_points_set(["1.4", "4.5", "7.5"], ["4", "6", "10"], "half_even", 0, 0)
    unit = scoring.unit_from_mapping({"unit": "u", "values": {"x": 1}}, indicator_set)
    cohort = Cohort(indicator_set, (unit,))
    matrix = CohortMatrix.from_cohort(cohort)
    forced = dataclasses.replace(matrix, _int_ok=np.zeros_like(matrix._int_ok))
    grid = np.asarray([[a, b, 20 - a - b] for a in range(1, 19) for b in range(1, 20 - a)], dtype=np.int64)
    assert assert_same(cohort, forced, grid) > 0
    assert (forced.evaluate(grid).totals == matrix.evaluate(grid).totals).all()


# --- shipped cohorts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED)
def test_matrix_equals_evaluate_on_shipped_cohorts(path):
    unit = scoring.load_unit(ROOT / path)
    cohort = variants(unit, 5, seed=len(path))
    matrix = CohortMatrix.from_cohort(cohort)
    assert_same(cohort, matrix, weightings(matrix, 24, seed=7))


def test_shipped_cohorts_cover_what_they_should():
    sets = {path: scoring.load_unit(ROOT / path).indicator_set for path in SHIPPED}
    supplier = sets["examples/supplier-acme.yaml"]
    assert (supplier.rounding.mode, supplier.total) == ("half_even", 1000)
    project = scoring.load_unit(ROOT / "examples/cn-project-employment-training.yaml")
    assert any(project.indicator_set.indicator(i).not_applicable == "rescale" for i in project.not_applicable)


def test_a_reweighted_cohort_set_uses_reference_points():
    """The cohort's set may itself be reweighted: points still scale from the reference weights."""
    unit = scoring.load_unit(ROOT / "examples/demo.yaml")
    cohort = variants(unit, 3, seed=1)
    ids = [i.id for i in cohort.indicator_set.indicators]
    heavier = reweight(
        cohort.indicator_set, [WeightChange(ids[0], cohort.indicator_set.indicators[0].weight + 3)]
    )
    moved = Cohort(heavier, cohort.units)
    matrix = CohortMatrix.from_cohort(moved)
    assert matrix.base_weights.tolist() != matrix.reference.tolist()
    assert_same(moved, matrix, weightings(matrix, 10, seed=3))


def test_totals_other_than_the_files_are_graded_on_the_percentage():
    unit = scoring.load_unit(ROOT / "examples/supplier-acme.yaml")
    cohort = variants(unit, 3, seed=2)
    matrix = CohortMatrix.from_cohort(cohort)
    base = matrix.base_weights
    bigger = base.copy()
    bigger[0] += 50 * 10**matrix.places
    smaller = base.copy()
    step = 10 ** max(matrix.places - matrix.total_places, 0)
    smaller[-1] -= step * (smaller[-1] // (2 * step))
    assert smaller[-1] > 0 and smaller.sum() < base.sum()
    assert_same(cohort, matrix, np.vstack([base, bigger, smaller]))


# --- random sets ----------------------------------------------------------------------------------------


@st.composite
def cohorts(draw):
    plan = draw(set_plans(max_indicators=6))
    indicator_set = scoring.parse_set(plan.text(), "generated.yaml")
    units = []
    for index in range(draw(st.integers(1, 3))):
        data = draw(unit_data(plan))
        data["unit"] = f"u{index}"
        try:
            unit = scoring.unit_from_mapping(data, indicator_set, f"u{index}")
            scoring.evaluate(indicator_set, unit)
        except scoring.ScoringError:
            continue
        units.append(unit)
    assume(units)
    return Cohort(indicator_set, tuple(units)), draw(st.integers(0, 2**32 - 1))


@given(cohorts())
def test_matrix_equals_evaluate_on_random_sets(case):
    cohort, seed = case
    matrix = CohortMatrix.from_cohort(cohort)
    weights = weightings(matrix, 6, seed)
    rng = np.random.default_rng(seed)
    # weightings adding up to another total (graded on the percentage), still exact at total_places
    step = 10 ** max(matrix.places - matrix.total_places, 0)
    other = matrix.base_weights + rng.integers(0, 3, size=matrix.base_weights.shape) * step
    assert_same(cohort, matrix, np.vstack([weights, other]))


# --- API ------------------------------------------------------------------------------------------------


def test_chunks_and_progress_do_not_change_results():
    unit = scoring.load_unit(ROOT / "examples/demo.yaml")
    cohort = variants(unit, 4, seed=3)
    matrix = CohortMatrix.from_cohort(cohort)
    weights = weightings(matrix, 30, seed=1)
    calls = []
    one_by_one = matrix.evaluate(weights, chunk=1, progress=lambda done, total: calls.append((done, total)))
    together = matrix.evaluate(weights)
    assert (one_by_one.totals == together.totals).all() and (one_by_one.grades == together.grades).all()
    assert calls[-1] == (weights.shape[0], weights.shape[0]) and len(calls) == weights.shape[0]
    via_sets = evaluate_weightings(cohort, [cohort.indicator_set, matrix.decimal_weights(weights[3])])
    assert via_sets.totals[1].tolist() == together.totals[3].tolist()
    assert via_sets.totals_of(0) == [r.total for r in cohort.evaluate()]
    assert via_sets.grades_of(0) == [r.grade for r in cohort.evaluate()]


def test_invalid_weightings_are_refused():
    unit = scoring.load_unit(ROOT / "examples/demo.yaml")
    matrix = CohortMatrix.from_cohort(Cohort(unit.indicator_set, (unit,)))
    zero = matrix.base_weights.copy()
    zero[1] += zero[0]
    zero[0] = 0
    with pytest.raises(scoring.DefinitionError):
        matrix.evaluate(zero)
    with pytest.raises(scoring.DefinitionError):
        matrix.weights_of({matrix.ids[0]: Decimal("1.23456789")})
    with pytest.raises(scoring.DefinitionError):
        matrix.weights_of({"no_such_indicator": Decimal(1)})
    with pytest.raises(scoring.OptionError, match="integers"):
        matrix.evaluate(matrix.base_weights.astype(float))  # weights are integers in units


def test_incomplete_units_are_refused():
    unit = scoring.load_unit(ROOT / "examples/hunan-hrss-2019.yaml")  # has unknown rows
    with pytest.raises(scoring.DataError):
        CohortMatrix.from_cohort(Cohort(unit.indicator_set, (unit,)))


def test_import_scoring_does_not_import_numpy():
    code = "import sys, scoring, scoring.analysis, scoring.analysis._matrix, scoring.analysis.montecarlo, scoring.analysis.sensitivity; assert 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
