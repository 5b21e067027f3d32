"""Grade margins, verified by re-evaluating each unit's data at the reported boundary.

Every answer the margins give is applied to the unit's data as a user would (a changed input, judgment,
checklist item or override in the unit mapping, through :func:`scoring.evaluate`): the grade must change
exactly there, and not one step (10^-precision) before.
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring.analysis import margins as M
from scoring.analysis.cohort import Cohort, load_cohort
from scoring.analysis.reweight import WeightChange, reweight
from scoring.engine.result import Result
from scoring.numbers import quantum_for, round_to
from scoring.report.margins import margins_csv, margins_table
from scoring.rules.base import holds
from scoring.rules.judgment import JudgmentRule
from tests.helpers import set_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SYNTHETIC = EXAMPLES / "synthetic"
SHIPPED = ["demo.yaml", "cn-project-employment-training.yaml", "supplier-acme.yaml"]


# --- re-evaluating a unit with changed data -----------------------------------------------------------


def mapping_of(unit: scoring.Unit) -> dict[str, Any]:
    return unit.spec.model_dump(by_alias=True, exclude_none=True)


def evaluate_changed(
    indicator_set: scoring.IndicatorSet,
    unit: scoring.Unit,
    values: dict[str, Any] | None = None,
    judgments: dict[str, dict[str, Any]] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> Result:
    data = mapping_of(unit)
    data["values"] = {**data.get("values", {}), **(values or {})}
    data["judgments"] = {**data.get("judgments", {}), **(judgments or {})}
    data["overrides"] = {**data.get("overrides", {}), **(overrides or {})}
    return scoring.evaluate(indicator_set, data)


def rank(indicator_set: scoring.IndicatorSet, grade: str | None) -> int:
    assert grade is not None
    return [g.label for g in indicator_set.grades].index(grade)


def crossed(indicator_set: scoring.IndicatorSet, now: str, grade: str | None, side: str) -> bool:
    before, after = rank(indicator_set, now), rank(indicator_set, grade)
    return after < before if side == "up" else after > before


def tier_of(rule: JudgmentRule, points: D, preferred: str) -> str:
    low, high = rule.tiers[preferred]
    if low <= points <= high:
        return preferred
    return next(label for label, (low, high) in rule.tiers.items() if low <= points <= high)


def check_unit(indicator_set: scoring.IndicatorSet, unit: scoring.Unit) -> M.UnitMargins:
    """Re-evaluate every margin and every solution of one unit; return the report."""
    report = M.unit_margins(indicator_set, unit)
    result = scoring.evaluate(indicator_set, unit)
    grade = result.grade
    assert grade is not None and report.grade == grade and report.total == result.total
    q = quantum_for(indicator_set.rounding.places)

    # unit margins: overrides that move the row sum by exactly the margin (spread over rows with room),
    # then by one step less
    for side, margin in (("up", report.up), ("down", report.down)):
        if margin is None:
            assert rank(indicator_set, grade) == (0 if side == "up" else len(indicator_set.grades) - 1)
            continue
        sign = 1 if side == "up" else -1
        assert margin.change * sign > 0 and margin.change % q == 0
        left, overrides, last = abs(margin.change), {}, None
        for row in result.indicators:
            if left == 0 or row.status not in ("scored", "judged") or row.points is None:
                continue
            definition = indicator_set.indicator(row.id)
            if definition.weight != definition.reference_weight:
                continue
            room = row.weight - row.points if side == "up" else row.points
            move = min(room, left)
            if move > 0:
                overrides[row.id] = row.points + sign * move
                left -= move
                last = row.id
        if left:
            continue  # the rows cannot move that far: nothing to construct
        data = {k: {"points": v, "reason": "test"} for k, v in overrides.items()}
        at = evaluate_changed(indicator_set, unit, overrides=data)
        assert at.grade == margin.grade and crossed(indicator_set, grade, at.grade, side)
        assert at.row_sum == result.row_sum + margin.change
        assert last is not None
        data[last] = {"points": overrides[last] - sign * q, "reason": "test"}
        before = evaluate_changed(indicator_set, unit, overrides=data)
        assert before.grade == grade, f"{side}: one step before the margin the grade already changes"

    for item in report.indicators:
        definition = indicator_set.indicator(item.id)
        for solution in item.solutions:
            check_solution(indicator_set, unit, grade, item, solution, definition)
        check_targets(indicator_set, unit, item, definition)
    return report


def check_solution(
    indicator_set: scoring.IndicatorSet,
    unit: scoring.Unit,
    grade: str,
    item: M.IndicatorMargin,
    solution: M.Solution,
    definition: Any,
) -> None:
    side = item.side
    if solution.kind == "input":
        (change,) = solution.changes
        assert isinstance(change.new, D) and isinstance(change.current, D)
        at = evaluate_changed(indicator_set, unit, values={change.name: change.new})
        assert at.grade == solution.grade
        step = quantum_for(solution.places or 0)
        direction = 1 if change.new > change.current else -1
        declared = indicator_set.inputs[change.name]
        if declared.type == "integer":
            assert change.new == change.new.to_integral_value()
        if declared.min is not None:
            assert change.new >= declared.min
        if declared.max is not None:
            assert change.new <= declared.max
        if not solution.also_moves:
            # the input feeds no other row whose points change: the answer must be exact
            assert solution.verified, f"{item.id} {side}: {solution}"
        if solution.verified:
            assert crossed(indicator_set, grade, at.grade, side), f"{item.id} {side}: {solution}"
            before = evaluate_changed(
                indicator_set, unit, values={change.name: change.new - direction * step}
            )
            assert before.grade == grade, f"{item.id} {side}: crosses already one step before {solution}"
            # and this row alone reaches the points it needs there
            assert item.needed is not None
            points = at.indicator(item.id).points
            assert points >= item.needed if side == "up" else points <= item.needed
        elif solution.unit_crossing is not None:
            at = evaluate_changed(indicator_set, unit, values={change.name: solution.unit_crossing})
            assert crossed(indicator_set, grade, at.grade, side)
            back = solution.unit_crossing - direction * step
            assert evaluate_changed(indicator_set, unit, values={change.name: back}).grade == grade
    elif solution.kind in ("flip", "checklist"):
        values = {c.name: c.new for c in solution.changes}
        at = evaluate_changed(indicator_set, unit, values=values)
        assert at.grade == solution.grade
        assert solution.verified and crossed(indicator_set, grade, at.grade, side)
    elif solution.kind == "judgment":
        (change,) = solution.changes
        rule = definition.rule
        reason = unit.judgments[item.id].reason
        assert isinstance(change.new, D) and solution.tier is not None
        at = evaluate_changed(
            indicator_set,
            unit,
            judgments={item.id: {"tier": solution.tier, "points": change.new, "reason": reason}},
        )
        assert solution.verified and crossed(indicator_set, grade, at.grade, side)
        q = quantum_for(indicator_set.rounding.places)
        back = change.new - q if side == "up" else change.new + q
        tier = tier_of(rule, back, solution.tier)
        before = evaluate_changed(
            indicator_set, unit, judgments={item.id: {"tier": tier, "points": back, "reason": reason}}
        )
        assert before.grade == grade
    elif solution.kind == "override":
        (change,) = solution.changes
        at = evaluate_changed(
            indicator_set, unit, overrides={item.id: {"points": change.new, "reason": "test"}}
        )
        assert solution.verified and crossed(indicator_set, grade, at.grade, side)
        q = quantum_for(indicator_set.rounding.places)
        assert isinstance(change.new, D)
        back = change.new - q if side == "up" else change.new + q
        before = evaluate_changed(indicator_set, unit, overrides={item.id: {"points": back, "reason": "t"}})
        assert before.grade == grade


def check_targets(
    indicator_set: scoring.IndicatorSet, unit: scoring.Unit, item: M.IndicatorMargin, definition: Any
) -> None:
    """For an indicator whose formula is one input: the row gets the needed points exactly at the value
    bound (closed) or just past it (open), and not on the current value's side of it."""
    formula = definition.formula
    if formula is None or formula.text not in indicator_set.inputs or not item.targets:
        return
    name, needed = formula.text, item.needed
    assert needed is not None
    declared = indicator_set.inputs[name]
    if declared.type != "number":
        return

    def reaches(value: D) -> bool | None:
        if (declared.min is not None and value < declared.min) or (
            declared.max is not None and value > declared.max
        ):
            return None
        points = evaluate_changed(indicator_set, unit, values={name: value}).indicator(item.id).points
        return points >= needed if item.side == "up" else points <= needed

    tiny = D("1e-9")
    for target in item.targets:
        if not target.exact:
            continue
        toward = -1 if target.op in ("≥", ">") else 1  # the side of the bound that does not satisfy
        assert reaches(target.bound) in (target.op in ("≥", "≤"), None)
        assert reaches(target.bound + toward * tiny) in (False, None)
        if not (target.piece and " = " in target.piece):  # a one-value band is left at once
            assert reaches(target.bound - toward * tiny) in (True, None)


# --- the shipped units and the synthetic cohort ----------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_units_margins_reevaluate(name: str) -> None:
    unit = scoring.load_unit(EXAMPLES / name)
    report = check_unit(unit.indicator_set, unit)
    assert any(item.solutions for item in report.indicators)


def synthetic_units() -> list[Path]:
    files = sorted(SYNTHETIC.glob("*.yaml")) if SYNTHETIC.is_dir() else []
    return files[::4]  # a quarter of the cohort keeps the test fast; all share the code paths


@pytest.mark.skipif(not synthetic_units(), reason="no synthetic cohort in examples/synthetic")
def test_synthetic_cohort_margins_reevaluate() -> None:
    cohort = load_cohort(synthetic_units())
    solutions = 0
    for unit in cohort.units:
        report = check_unit(cohort.indicator_set, unit)
        solutions += sum(len(item.solutions) for item in report.indicators)
    assert solutions > 0


def test_demo_reports_each_kind_of_answer() -> None:
    unit = scoring.load_unit(EXAMPLES / "demo.yaml")
    report = M.unit_margins(unit.indicator_set, unit)
    assert (report.grade, report.total) == ("中", D("79.4"))
    assert report.up is not None and report.up.change == D("0.55") and report.up.grade == "良"
    assert report.up.total == D("80.0") and report.up.row_sum == D("79.95")
    assert report.down is not None and report.down.change == D("-19.46") and report.down.total == D("59.9")

    # deduct, whole steps under 100 per 5: 0 steps needs value > 95
    completion = report.indicator("budget_completion_rate", "up")
    assert [(t.op, t.bound) for t in completion.targets] == [(">", D(95))]
    assert completion.needed == D("3.55")
    spent = next(s for s in completion.solutions if s.changes[0].name == "budget_spent")
    assert spent.changes[0].new == D("36002.37") and spent.places == 2 and spent.verified
    # integer input: nonconforming cases 2 → 1
    cases = report.indicator("funds_compliance", "up")
    assert [(t.op, t.bound) for t in cases.targets] == [("<", D(2))]
    assert cases.solutions[0].changes[0].new == D(1) and cases.solutions[0].places == 0
    # a checklist item
    rules = report.indicator("management_rules", "up")
    assert [(c.name, c.new) for s in rules.solutions for c in s.changes] == [("has_procurement_rules", True)]
    # a judgment within its tier
    judged = report.indicator("social_benefit", "up")
    assert judged.solutions[0].changes[0].new == D("10.05") and judged.solutions[0].tier == "显著"
    # not invertible, or nothing to do
    assert "cases rule (not invertible)" in (report.indicator("balance_control", "up").note or "")
    assert "year_end_balance == 0" in (report.indicator("balance_control", "up").note or "")
    assert report.indicator("building_area_control", "up").note.startswith("not applicable")
    assert report.indicator("satisfaction_rate", "up").note == "already at full marks (10)"
    assert "at most 2" in (report.indicator("goal_reasonableness", "up").note or "")
    assert "has only" in (report.indicator("staff_control_rate", "down").note or "")
    # a shared input: tasks_planned also feeds timeliness_rate
    shared = next(
        s
        for s in report.indicator("task_completion_rate", "up").solutions
        if s.changes[0].name == "tasks_planned"
    )
    assert shared.also_moves == (M.MovedRow(id="timeliness_rate", points_before=D(8), points_after=D(10)),)


def test_rescaled_unit_margins_use_the_scaled_total() -> None:
    unit = scoring.load_unit(EXAMPLES / "cn-project-employment-training.yaml")
    report = M.unit_margins(unit.indicator_set, unit)
    assert report.scale is not None and report.up is None and report.grade == "优"
    assert report.down is not None
    # rows 85.45 × 100/95 = 89.947… → 89.9; one step less than the margin gives 85.46 → 90.0
    assert report.down.row_sum == D("85.45") and report.down.total == D("89.9")
    assert report.indicator("benefit_ecological", "down").note.startswith("not applicable (rescale)")


def test_overridden_row_reports_the_override_needed() -> None:
    unit = scoring.load_unit(EXAMPLES / "demo.yaml")
    data = mapping_of(unit)
    data["overrides"] = {"timeliness_rate": {"points": 8, "reason": "set by the evaluator"}}
    overridden = scoring.unit_from_mapping(data, unit.indicator_set)
    report = check_unit(unit.indicator_set, overridden)
    item = report.indicator("timeliness_rate", "up")
    assert item.status == "overridden" and "overridden" in (item.note or "")
    assert [s.kind for s in item.solutions] == ["override"]
    assert item.solutions[0].changes[0].new == D("8.55")


def test_judgment_beyond_its_tier_names_the_other_tier() -> None:
    unit = scoring.load_unit(EXAMPLES / "demo.yaml")
    data = mapping_of(unit)
    data["values"]["tasks_on_time"] = D(36)  # timeliness 90%: 8 → 10, total 81.4 (良)
    higher = scoring.unit_from_mapping(data, unit.indicator_set)
    report = check_unit(unit.indicator_set, higher)
    assert report.grade == "良" and report.down is not None and report.down.change == D("-1.46")
    (judged,) = report.indicator("social_benefit", "down").solutions
    assert judged.changes[0].new == D("8.04") and judged.tier == "一般"
    assert "beyond tier '显著'" in (judged.note or "")
    # 2 points of goal_reasonableness cannot give 8.6 (to 优)
    assert "at most 2" in (report.indicator("goal_reasonableness", "up").note or "")


# --- rule inversion against brute force --------------------------------------------------------------

RULES: dict[str, dict[str, Any]] = {
    "deduct-over-whole": {"deduct": {"over": 40, "per": 3, "points": 3, "steps": "whole"}},
    "deduct-over-started": {"deduct": {"over": 40, "per": 3, "points": 3, "steps": "started"}},
    "deduct-over-exact": {"deduct": {"over": 40, "per": 7, "points": 3, "steps": "exact"}},
    "deduct-under-whole": {"deduct": {"under": 60, "per": 4, "points": 3.5, "steps": "whole"}},
    "deduct-under-started": {"deduct": {"under": 60, "per": 4, "points": 3.5, "steps": "started"}},
    "ratio": {"ratio": {"target": 70}},
    "ratio-lower-better": {"ratio": {"target": 30, "lower_better": True}},
    "linear-up": {"linear": {"zero_at": 10, "full_at": 85}},
    "linear-down": {"linear": {"zero_at": 90, "full_at": 15}},
    "bands": {
        "bands": [
            {"below": 20, "points": 0},
            {"from": 20, "upto": 35, "points": 6},
            {"above": 35, "below": 50, "points": 11},
            {"equals": 50, "points": 20},
            {"above": 60, "points": 15},
        ],
        "otherwise": 13,
    },
}
MODES = ["half_up", "half_even", "down", "up"]


def two_row_set(rule: dict[str, Any], mode: str, places: int = 2) -> scoring.IndicatorSet:
    """'row' scores x by the rule (weight 20); 'rest' gives y points of 80 (linear, exact)."""
    text = set_text(
        [
            {"id": "row", "weight": 20, "formula": "x", "rule": rule},
            {"id": "rest", "weight": 80, "formula": "y", "rule": {"linear": {"zero_at": 0, "full_at": 80}}},
        ],
        inputs={"x": {"type": "integer", "min": 0, "max": 120}, "y": {}},
        rounding={"places": places, "total_places": 1, "mode": mode},
    )
    return scoring.parse_set(text, "set.yaml")


def first_crossing(
    indicator_set: scoring.IndicatorSet, x: int, y: D, grade: str, side: str, direction: int
) -> int | None:
    """Brute force: the nearest integer x (one way) at which the grade changes up/down."""
    for candidate in range(x + direction, 121 if direction > 0 else -1, direction):
        result = scoring.evaluate(indicator_set, {"values": {"x": candidate, "y": y}})
        if crossed(indicator_set, grade, result.grade, side):
            return candidate
    return None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_input_answers_match_brute_force(name: str, mode: str) -> None:
    indicator_set = two_row_set(RULES[name], mode)
    cases = [(48, D("70.93")), (75, D("58.5"))] if mode.startswith("half") else [(23, D("65.55"))]
    for x, y in cases:
        unit = scoring.unit_from_mapping({"values": {"x": x, "y": y}}, indicator_set)
        report = M.unit_margins(indicator_set, unit)
        for side in ("up", "down"):
            item = report.indicator("row", side)
            reported = {(1 if s.changes[0].new > x else -1): s.changes[0].new for s in item.solutions}
            for direction in (1, -1):
                truth = first_crossing(indicator_set, x, y, report.grade, side, direction)
                assert reported.get(direction) == truth, (name, mode, x, y, side, direction, item)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_value_targets_are_exact(name: str, mode: str) -> None:
    """At the bound (closed) the row reaches the points; just short of it (or at an open bound) it does not."""
    text = set_text(
        [
            {"id": "row", "weight": 20, "formula": "x", "rule": RULES[name]},
            {"id": "rest", "weight": 80, "formula": "y", "rule": {"linear": {"zero_at": 0, "full_at": 80}}},
        ],
        inputs={"x": {}, "y": {}},
        rounding={"places": 2, "total_places": 1, "mode": mode},
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    for x, y in ((D("48.3"), D("70.93")), (D("23.7"), D("65.55")), (D("75.1"), D("58.5"))):
        unit = scoring.unit_from_mapping({"values": {"x": x, "y": y}}, indicator_set)
        report = M.unit_margins(indicator_set, unit)
        for item in report.indicators:
            check_targets(indicator_set, unit, item, indicator_set.indicator(item.id))


def test_decimal_input_precision_and_weight_scaling() -> None:
    """A reweighted row (weight 25 of reference 20, total 105 graded on its percentage) and a 0.1 input."""
    base = two_row_set(RULES["ratio"], "half_even")
    text = base.dump().replace("type: integer", "type: number")
    indicator_set = reweight(scoring.parse_set(text, "s.yaml"), [WeightChange("row", D(25))], "none")
    assert indicator_set.total == 105
    unit = scoring.unit_from_mapping({"values": {"x": D("52.3"), "y": D("73.12")}}, indicator_set)
    report = check_unit(indicator_set, unit)
    up = report.indicator("row", "up")
    (solution,) = up.solutions
    assert solution.places == 1 and solution.verified
    # brute force over tenths
    x = D("52.3")
    while True:
        x += D("0.1")
        result = scoring.evaluate(indicator_set, {"values": {"x": x, "y": D("73.12")}})
        if crossed(indicator_set, report.grade, result.grade, "up"):
            break
    assert solution.changes[0].new == x


def test_places_option_sets_the_search_precision() -> None:
    unit = scoring.load_unit(EXAMPLES / "demo.yaml")
    coarse = M.unit_margins(unit.indicator_set, unit, places={"budget_spent": 0})
    solution = next(
        s
        for s in coarse.indicator("budget_completion_rate", "up").solutions
        if s.changes[0].name == "budget_spent"
    )
    # 36002.37 is needed: 34432.36 + 1570 steps of 1 falls short by 0.01, so 1571 steps
    assert solution.places == 0 and solution.changes[0].new == D("36003.36")
    assert solution.verified


@pytest.mark.parametrize(
    ("places", "words"),
    [
        ({"budget_spent": 13}, "from 0 to 12"),
        ({"budget_spent": -1}, "from 0 to 12"),
        ({"budget_spent": True}, "from 0 to 12"),
        ({"budget_spent": "2"}, "from 0 to 12"),
        ({"budget_spnt": 2}, "did you mean"),
        ({"has_budget_rules": 2}, "no number input"),
    ],
)
def test_places_are_checked_in_the_api(places: dict[str, Any], words: str) -> None:
    unit = scoring.load_unit(EXAMPLES / "demo.yaml")
    with pytest.raises(scoring.OptionError) as caught:
        M.unit_margins(unit.indicator_set, unit, places=places)
    assert words in str(caught.value)
    with pytest.raises(scoring.OptionError):
        M.margins(load_cohort([EXAMPLES / "demo.yaml"]), places)


def test_a_far_answer_at_the_finest_precision_is_found() -> None:
    """At 12 decimals the grade needs x to move by about 5 million: 5·10^18 steps, which a search capped
    at 2^60 steps (the first version's) missed without a word."""
    text = set_text(
        [
            {
                "id": "row",
                "weight": 100,
                "formula": "x",
                "rule": {"linear": {"zero_at": 0, "full_at": 10_000_000}},
            }
        ],
        inputs={"x": {}},
        grades=[{"label": "A", "min": 50}, {"label": "B", "min": 0}],
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    unit = scoring.unit_from_mapping({"values": {"x": D("1.000000000000")}}, indicator_set)
    report = M.unit_margins(indicator_set, unit, places={"x": 12})
    (solution,) = report.indicator("row", "up").solutions
    assert solution.verified and solution.places == 12
    # 4994500 gives 49.945 points, shown as 49.95, and a total of 49.95 shown as 50.0 (half-up): grade A
    assert solution.changes[0].new == D("4994500.000000000000")


def test_derived_name_formula_is_solved_through_its_inputs() -> None:
    """supplier: defect_rate's formula is the derived defect_ppm = parts_defective / parts_received × 10^6."""
    unit = scoring.load_unit(EXAMPLES / "supplier-acme.yaml")
    report = M.unit_margins(unit.indicator_set, unit)
    item = report.indicator("defect_rate", "up")
    names = {s.changes[0].name: s.changes[0].new for s in item.solutions}
    assert names == {"parts_defective": D(36), "parts_received": D(53181)}


def test_boolean_input_in_a_formula_is_flipped() -> None:
    text = set_text(
        [
            {"id": "row", "weight": 20, "formula": "x if bonus else x / 2", "rule": RULES["linear-up"]},
            {"id": "rest", "weight": 80, "formula": "y", "rule": {"linear": {"zero_at": 0, "full_at": 80}}},
        ],
        inputs={"x": {}, "bonus": {"type": "boolean"}, "y": {}},
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    unit = scoring.unit_from_mapping({"values": {"x": 80, "bonus": False, "y": 70}}, indicator_set)
    report = check_unit(indicator_set, unit)  # value 40 → 8 points, total 78.0: rows 79.95 round to 80.0
    item = report.indicator("row", "up")
    assert item.needed == D("9.95")  # reached by exact points from 9.945 (half_up)
    assert [(t.op, t.bound) for t in item.targets] == [("≥", D("47.29375"))]  # 10 + 9.945 × 75 / 20
    assert {(s.kind, s.changes[0].name, s.changes[0].new) for s in item.solutions} == {
        ("input", "x", D(95)),  # x / 2 ≥ 47.29375, in steps of 1
        ("flip", "bonus", True),  # value 80: 18.67 points
    }


def test_unknown_rows_are_refused() -> None:
    unit = scoring.load_unit(EXAMPLES / "hunan-hrss-2019.yaml")
    with pytest.raises(scoring.DataError, match="grade margins needs every row known"):
        M.unit_margins(unit.indicator_set, unit)


# --- pieces ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("places", [0, 1, 2])
def test_rounding_condition_is_exact(mode: str, places: int) -> None:
    q = quantum_for(places)
    fine = q / 20
    for needed in (q * 7, q * 8, q * 125, D(0)):
        for side in ("up", "down"):
            op, bound = M.rounding_condition(needed, side, places, mode)  # type: ignore[arg-type]
            x = max(needed - 3 * q, D(0))
            while x <= needed + 3 * q:
                rounded = round_to(x, places, mode)  # type: ignore[arg-type]
                want = rounded >= needed if side == "up" else rounded <= needed
                assert holds(Fraction(x), op, bound) == want, (mode, places, needed, side, x)
                x += fine


def test_search_finds_the_first_step() -> None:
    assert M.search(D(10), 1, D("0.1"), lambda x: x >= D("13.37")) == D("13.4")
    assert M.search(D(10), -1, D(1), lambda x: x <= 2, low=D(3)) is None
    assert M.search(D(10), -1, D(1), lambda x: x <= 3, low=D(3)) == D(3)
    # the grid points next to zero are tried when the doubling jumps across it (a divisor)
    assert M.search(D(100), -1, D(1), lambda x: 1000 / x >= 1000) == D(1)
    assert M.search(D(100), -1, D(3), lambda x: 1000 / x >= 900) == D(1)
    # and the one before a point where it raises
    assert M.search(D(100), -1, D(1), lambda x: 1000 / x >= 1000, low=D(0)) == D(1)


def test_band_pieces_cover_the_line() -> None:
    indicator_set = two_row_set(RULES["bands"], "half_up")
    pieces = indicator_set.indicator("row").rule.pieces()  # type: ignore[attr-defined]
    shown = [(str(interval), points) for interval, points, _ in pieces]
    assert shown == [
        ("(−∞, 20)", D(0)),
        ("[20, 35]", D(6)),
        ("(35, 50)", D(11)),
        ("= 50", D(20)),
        ("(50, 60]", D(13)),
        ("(60, +∞)", D(15)),
    ]


# --- output ------------------------------------------------------------------------------------------


def test_renderers() -> None:
    unit = scoring.load_unit(EXAMPLES / "supplier-acme.yaml")
    reports = M.margins(Cohort(unit.indicator_set, (unit,)))
    text = margins_table(reports)
    assert "up    B: +5 points (rows 699.5 → total 700)" in text
    assert "response_hours 6.5 → 4 (−2.5) ✓" in text
    rows = margins_csv(reports).splitlines()
    assert rows[0].startswith("unit,grade,total,side,grade_reached,row_sum_change,indicator")
    assert len({len(row.split(",")) for row in rows if '"' not in row}) == 1
    data = json.loads(reports.to_json(), parse_float=D)
    first = data["units"][0]
    assert first["up"]["change"] == 5 and first["indicators"][0]["id"] == "on_time_delivery"
    assert reports.units[0].to_dict()["down"]["grade"] == "D"


def test_a_limit_keeps_the_units_nearest_a_grade_boundary_in_cohort_order() -> None:
    from decimal import Decimal

    from scoring.analysis.cohort import load_cohort
    from scoring.analysis.margins import margins

    cohort = load_cohort(
        [ROOT / "examples" / "synthetic"], ROOT / "indicators" / "hunan-department-overall.yaml"
    )
    full = margins(cohort)
    minimums = [g.min for g in cohort.indicator_set.grades if g.min > 0]
    gaps = {u.unit: min(abs(u.total - m) for m in minimums) for u in full.units}
    nearest = sorted(range(len(full.units)), key=lambda i: (gaps[full.units[i].unit], i))[:3]
    chosen = margins(cohort, limit=3)
    assert [u.unit for u in chosen.units] == [full.units[i].unit for i in sorted(nearest)]
    assert chosen.selection == f"the 3 units nearest a grade boundary, of {len(full.units)}"
    assert all(gaps[u.unit] <= sorted(gaps.values())[2] for u in chosen.units)
    by_name = {u.unit: u for u in full.units}
    assert all(u == by_name[u.unit] for u in chosen.units)  # the same margins as in the full run
    assert margins(cohort, limit=len(full.units)).selection is None  # nothing left out: no selection
    named = margins(cohort, units=[full.units[5].unit, full.units[1].unit])
    assert [u.unit for u in named.units] == [full.units[1].unit, full.units[5].unit]
    assert isinstance(gaps[named.units[0].unit], Decimal)


def test_margins_unit_option_and_a_misspelt_name(tmp_path) -> None:
    from .helpers import console_script

    ok = subprocess.run(
        [str(console_script()), "margins", "examples/synthetic", "--unit", "示例省民政服务厅（虚构）"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert ok.returncode == 0 and "Grade margins of 1 named units of 24" in ok.stdout
    bad = subprocess.run(
        [str(console_script()), "margins", "examples/synthetic", "--unit", "示例省民政服务厅"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "no unit '示例省民政服务厅'" in bad.stderr
