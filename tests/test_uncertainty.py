"""One-at-a-time sensitivity and Monte Carlo uncertainty (issue 5, "Sensitivity and uncertainty")."""

from __future__ import annotations

import csv
import decimal
import io
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from hypothesis import assume, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import scoring  # noqa: E402
from scoring import OptionError  # noqa: E402
from scoring.analysis._matrix import CohortMatrix  # noqa: E402
from scoring.analysis.cohort import Cohort, ranks  # noqa: E402
from scoring.analysis.montecarlo import monte_carlo, sample_weightings  # noqa: E402
from scoring.analysis.reweight import WeightChange, reweight  # noqa: E402
from scoring.analysis.sensitivity import sensitivity  # noqa: E402
from scoring.analysis.tune import tune  # noqa: E402
from scoring.numbers import CONTEXT, HUNDRED  # noqa: E402
from scoring.report.montecarlo import monte_carlo_csv, monte_carlo_table  # noqa: E402
from scoring.report.progress import progress_bar  # noqa: E402
from scoring.report.sensitivity import sensitivity_csv, sensitivity_table  # noqa: E402
from scoring.serialize import to_json  # noqa: E402

from .strategies import set_plans, unit_data  # noqa: E402
from .test_matrix import variants  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo() -> Cohort:
    return variants(scoring.load_unit(ROOT / "examples/demo.yaml"), 7, seed=11)


@pytest.fixture(scope="module")
def project() -> Cohort:
    """N/A rows with the rescale policy."""
    return variants(scoring.load_unit(ROOT / "examples/cn-project-employment-training.yaml"), 5, seed=12)


@pytest.fixture(scope="module")
def supplier() -> Cohort:
    """half_even rounding, total 1000."""
    return variants(scoring.load_unit(ROOT / "examples/supplier-acme.yaml"), 5, seed=13)


def deterministic(cohort: Cohort) -> list[tuple[Decimal, str, int]]:
    results = cohort.evaluate()
    totals = [r.total for r in results]
    return [(r.total, r.grade, rank) for r, rank in zip(results, ranks(totals), strict=True)]


# --- sampling -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["uniform", "dirichlet"])
def test_sampled_weightings_are_exact_positive_and_add_up(method):
    base = np.asarray([1, 2, 3, 500, 1000, 7], dtype=np.int64)
    weights = sample_weightings(base, 2000, method=method, spread=60, concentration=3, seed=1)
    assert weights.dtype == np.int64 and weights.shape == (2000, 6)
    assert (weights.sum(axis=1) == base.sum()).all()
    assert (weights >= 1).all()
    assert (sample_weightings(base, 2000, method=method, spread=60, concentration=3, seed=1) == weights).all()


def test_sampling_around_the_weights():
    base = np.asarray([200, 300, 500], dtype=np.int64)
    assert (sample_weightings(base, 50, spread=0, seed=3) == base).all()
    tight = sample_weightings(base, 500, method="dirichlet", concentration=1e7, seed=3)
    assert np.abs(tight - base).max() <= 2
    uniform = sample_weightings(base, 4000, spread=10, seed=3)
    assert np.abs(uniform.mean(axis=0) - base).max() < 2


def test_bad_sampling_parameters(demo):
    with pytest.raises(OptionError, match="spread"):
        monte_carlo(demo, 10, spread=100, seed=1)
    with pytest.raises(OptionError, match="concentration"):
        monte_carlo(demo, 10, method="dirichlet", concentration=0, seed=1)
    with pytest.raises(OptionError, match="samples"):
        monte_carlo(demo, 0, seed=1)
    with pytest.raises(OptionError, match="method"):
        monte_carlo(demo, 10, method="gaussian", seed=1)  # type: ignore[arg-type]


# --- Monte Carlo ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["demo", "project", "supplier"])
def test_monte_carlo_without_spread_is_the_deterministic_result(name, request):
    cohort = request.getfixturevalue(name)
    report = monte_carlo(cohort, 300, spread=0, seed=123)
    expected = deterministic(cohort)
    for unit, (total, grade, rank) in zip(report.units, expected, strict=True):
        assert (unit.total, unit.grade, unit.rank) == (total, grade, rank)
        assert unit.mean == total and unit.low == total and unit.high == total
        assert (unit.rank_low, unit.rank_high) == (rank, rank)
        assert dict(unit.grade_counts)[grade] == 300
        assert unit.grade_probability[grade] == 1
        assert sum(unit.grade_probability.values()) == 1
    for spread in report.weights:
        assert spread.mean == spread.weight == spread.low == spread.high


def test_the_same_seed_gives_the_same_output_and_another_seed_another(supplier):
    first = monte_carlo(supplier, 400, spread=25, seed=2024)
    again = monte_carlo(supplier, 400, spread=25, seed=2024)
    other = monte_carlo(supplier, 400, spread=25, seed=2025)
    assert to_json(first.to_dict()) == to_json(again.to_dict())
    assert monte_carlo_csv(first) == monte_carlo_csv(again)
    assert to_json(first.to_dict()) != to_json(other.to_dict())
    dirichlet = [
        to_json(monte_carlo(supplier, 200, method="dirichlet", concentration=30, seed=s).to_dict())
        for s in (7, 7, 8)
    ]
    assert dirichlet[0] == dirichlet[1] != dirichlet[2]


def test_monte_carlo_statistics_are_those_of_the_sampled_weightings(project):
    report = monte_carlo(project, 201, spread=30, seed=9)
    matrix = CohortMatrix.from_cohort(project)
    weights = sample_weightings(matrix.base_weights, 201, spread=30, rng=np.random.default_rng(9))
    result = matrix.evaluate(weights)
    for u, unit in enumerate(report.units):
        totals = sorted(result.total(k, u) for k in range(201))
        # inverted CDF: the ceil(5% × 201) = 11th and ceil(95% × 201) = 191st smallest values
        assert (unit.low, unit.high) == (totals[10], totals[190])
        with decimal.localcontext(CONTEXT):
            mean = sum(totals, Decimal(0)) / 201
        assert abs(unit.mean - mean) <= Decimal("0.0005").scaleb(-matrix.total_places)
        grades = [result.grade(k, u) for k in range(201)]
        assert dict(unit.grade_counts) == {
            g.label: grades.count(g.label) for g in project.indicator_set.grades
        }


def test_wider_spread_widens_the_intervals(demo):
    narrow = monte_carlo(demo, 500, spread=5, seed=4)
    wide = monte_carlo(demo, 500, spread=40, seed=4)
    assert sum(u.high - u.low for u in wide.units) > sum(u.high - u.low for u in narrow.units)


def test_progress(demo, monkeypatch):
    calls = []
    monte_carlo(demo, 5000, seed=1, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (5000, 5000)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    update, close = progress_bar("Monte Carlo")
    monte_carlo(demo, 3000, seed=1, progress=update)
    close()
    assert "Monte Carlo" in terminal.getvalue() and "100%" in terminal.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    update, close = progress_bar("Monte Carlo")
    assert update is None
    monte_carlo(demo, 3000, seed=1, progress=update)
    close()
    assert pipe.getvalue() == ""


def test_monte_carlo_renderers(demo):
    report = monte_carlo(demo, 300, spread=20, seed=5)
    table = monte_carlo_table(report)
    assert "seed 5" in table and all(unit.name in table for unit in demo.units)
    rows = list(csv.DictReader(io.StringIO(monte_carlo_csv(report))))
    assert [row["unit"] for row in rows] == demo.names
    labels = [g.label for g in demo.indicator_set.grades]
    for row, unit in zip(rows, report.units, strict=True):
        assert Decimal(row["total"]) == unit.total and Decimal(row["mean"]) == unit.mean
        assert sum(Decimal(row[f"p_{label}"]) for label in labels) == pytest.approx(1, abs=1e-5)
    data = json.loads(to_json(report.to_dict()), parse_float=Decimal)
    assert data["seed"] == 5 and data["samples"] == 300 and len(data["units"]) == len(demo.units)


# --- one-at-a-time --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["demo", "project", "supplier"])
def test_a_zero_delta_changes_nothing(name, request):
    cohort = request.getfixturevalue(name)
    report = sensitivity(cohort, 0, groups=True)
    expected = deterministic(cohort)
    assert list(zip(report.totals, report.grades, report.ranks, strict=True)) == expected
    assert report.steps and all(step.skipped is None for step in report.steps)
    for step in report.steps:
        assert step.weight_after == step.weight_before
        assert list(zip(step.totals, step.grades, step.ranks, strict=True)) == expected
        assert set(step.changes) == {0} and set(step.percent_changes) == {0}
    for item in report.influence:
        assert (item.mean_abs_change, item.max_abs_change, item.grade_changes) == (0, 0, 0)


@pytest.mark.parametrize("rescale", ["proportional", "none"])
def test_each_move_is_what_tune_gives(demo, rescale):
    report = sensitivity(demo, Decimal(2), groups=True, rescale=rescale)
    checked = 0
    for step in report.steps[::5]:
        if step.skipped:
            continue
        after = tune(demo, [WeightChange(step.target, step.weight_after)], rescale)
        assert [u.after for u in after.units] == list(step.totals)
        assert [u.grade_after for u in after.units] == list(step.grades)
        assert [u.rank_after for u in after.units] == list(step.ranks)
        assert step.maximum == after.after.total
        checked += 1
    assert checked >= 3


def test_moves_that_are_not_possible_are_skipped(demo):
    smallest = min(i.weight for i in demo.indicator_set.indicators)
    report = sensitivity(demo, smallest)
    skipped = [s for s in report.steps if s.skipped]
    assert skipped and all(s.direction == -1 for s in skipped)
    assert "above 0" in skipped[0].skipped
    assert "not possible" in sensitivity_table(report)
    with pytest.raises(scoring.DefinitionError):
        sensitivity(demo, Decimal("0.0001"))
    with pytest.raises(scoring.DefinitionError):
        sensitivity(demo, Decimal(-1))


def test_influence_ranking(supplier):
    report = sensitivity(supplier, 20, groups=True)
    assert [item.rank for item in report.influence] == list(range(1, len(report.influence) + 1))
    keys = [(item.mean_abs_percent_change, item.grade_changes) for item in report.influence]
    assert all(a >= b for a, b in itertools.pairwise(keys))
    top = report.influence[0]
    steps = [s for s in report.steps if s.target == top.target and s.skipped is None]
    changes = [abs(c) for s in steps for c in s.changes]
    assert top.max_abs_change == max(changes)
    with decimal.localcontext(CONTEXT):
        assert abs(top.mean_abs_change - sum(changes, Decimal(0)) / len(changes)) < Decimal("0.001")
    assert top.grade_changes == sum(
        1 for s in steps for g, base in zip(s.grades, report.grades, strict=True) if g != base
    )


def test_sensitivity_renderers(project):
    report = sensitivity(project, 1, groups=True)
    table = sensitivity_table(report)
    assert "rescale proportional" in table and "[group]" in table
    rows = list(csv.DictReader(io.StringIO(sensitivity_csv(report))))
    assert len(rows) == len(report.steps) * len(project.units)
    assert {row["direction"] for row in rows} == {"+", "-"}
    data = json.loads(to_json(report.to_dict()), parse_float=Decimal)
    assert data["delta"] == 1 and len(data["influence"]) == len(report.influence)


# --- a property of the weights themselves ---------------------------------------------------------------


def percentage_before_rounding(result: scoring.Result) -> Decimal:
    with decimal.localcontext(CONTEXT):
        counted = sum((row.points_exact for row in result.indicators if row.counted), Decimal(0))
        return counted * HUNDRED / result.attainable


@given(st.data())
def test_raising_the_weight_of_the_best_share_never_lowers_the_percentage(data):
    """Raising one indicator's weight (the others rescaled proportionally) while its share is above every
    other's share in a unit never lowers that unit's percentage before rounding."""
    plan = data.draw(set_plans(max_indicators=6))
    assume(len(plan.indicators) >= 2)
    indicator_set = scoring.parse_set(plan.text(), "generated.yaml")
    unit_mapping = data.draw(unit_data(plan))
    try:
        result = scoring.evaluate(indicator_set, unit_mapping)
    except scoring.ScoringError:
        assume(False)
        raise
    counted = [row for row in result.indicators if row.counted]
    assume(len(counted) >= 1)
    with decimal.localcontext(CONTEXT):
        shares = {row.id: row.points_exact / row.weight for row in counted}
    best = max(shares, key=lambda key: shares[key])
    assume(all(shares[best] > share for key, share in shares.items() if key != best))
    places = indicator_set.rounding.places
    weight = indicator_set.indicator(best).weight
    step = Decimal(data.draw(st.integers(1, 4 * 10**places))).scaleb(-places)
    try:
        heavier = reweight(indicator_set, [WeightChange(best, weight + step)])
    except scoring.DefinitionError:
        assume(False)
        raise
    after = scoring.evaluate(heavier, unit_mapping)
    before_percent, after_percent = percentage_before_rounding(result), percentage_before_rounding(after)
    # Decimal keeps 50 significant digits; allow for its last digit only (computed at that precision too)
    with decimal.localcontext(CONTEXT):
        assert after_percent >= before_percent - before_percent.copy_abs() * Decimal("1e-45")


def test_the_mean_change_is_the_exact_mean_rounded_once() -> None:
    """512 units, 9 of them moving by a third of a percentage point each way: the exact mean 0.5859375 is a
    tie, which half-even rounding takes to 0.585938 (a sum of 50-digit thirds would fall just short)."""
    from scoring.analysis.cohort import Cohort
    from scoring.analysis.sensitivity import sensitivity

    indicator_set = scoring.parse_set(
        """
format: scoring/1
id: s
total: 3
rounding: {places: 0, total_places: 0}
grades: [{label: A, min: 2}, {label: B, min: 0}]
inputs: {x: {}, y: {}}
indicators:
  - {id: a, weight: 1, formula: x, rule: {bands: [{from: 1, points: 1}], otherwise: 0}}
  - {id: b, weight: 2, formula: y, rule: {bands: [{from: 1, points: 2}], otherwise: 0}}
"""
    )
    data = [{"unit": f"u{i}", "values": {"x": 1 if i < 9 else 0, "y": 0}} for i in range(512)]
    cohort = Cohort(indicator_set, tuple(scoring.unit_from_mapping(d, indicator_set) for d in data))
    report = sensitivity(cohort, 1)
    assert {item.mean_abs_percent_change for item in report.influence} == {Decimal("0.585938")}
