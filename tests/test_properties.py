"""Property-based tests over generated indicator sets and unit data (issue 2, "Tests").

Sets are generated as ``scoring/1`` mappings covering every rule kind (see ``tests/strategies.py``),
written to YAML text and loaded with :func:`scoring.parse_set`; unit data is a mapping evaluated with
:func:`scoring.evaluate`.
"""

from __future__ import annotations

import copy
import decimal
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import scoring
from scoring.numbers import CONTEXT, round_to

from .profiles import examples
from .strategies import (
    VALUE_KINDS,
    SetPlan,
    awards,
    decimals,
    full_marks,
    number_near,
    set_plans,
    share_of,
    shuffled,
    to_yaml,
    unit_data,
)

#: Every example builds, loads and evaluates a generated set, most of them several times (about 40 ms an
#: example): these tests take three quarters of the profile's examples (30 under 'dev'), as they always have,
#: which keeps the whole suite under a minute.
PROPERTY_EXAMPLES = 30
#: Relative tolerance for comparing unrounded points computed along different paths; see test 7.
RELATIVE = Decimal("1e-40")


@st.composite
def plans_with_data(draw, **kwargs: Any) -> tuple[SetPlan, dict[str, Any]]:
    plan = draw(set_plans(**kwargs))
    return plan, draw(unit_data(plan))


def load(plan: SetPlan) -> scoring.IndicatorSet:
    return scoring.parse_set(plan.text(), "generated.yaml")


def evaluate(plan: SetPlan, indicator_set: scoring.IndicatorSet, data: dict) -> scoring.Result | None:
    """The result, or None when every row is a rescaled N/A (then the engine must refuse, and does)."""
    na = data.get("not_applicable", [])
    if not any(plan.counted(i.id, na) for i in plan.indicators):
        with pytest.raises(scoring.EvaluationError) as info:
            scoring.evaluate(indicator_set, data)
        assert info.value.problems[0].code == "nothing-applicable"
        return None
    return scoring.evaluate(indicator_set, data)


def close(a: Decimal, b: Decimal) -> bool:
    with decimal.localcontext(CONTEXT):
        return abs(a - b) <= RELATIVE * max(abs(a), abs(b), Decimal(1))


# --- 1–3: bounds and sums of one evaluation ---------------------------------------------------------


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data())
def test_points_lie_between_zero_and_the_weight(case):
    plan, data = case
    indicator_set = load(plan)
    result = evaluate(plan, indicator_set, data)
    assume(result is not None)
    places = indicator_set.rounding.places
    for row in result.indicators:
        assert row.weight == plan.indicator(row.id).weight
        assert 0 <= row.points_exact <= row.weight, row.id
        assert 0 <= row.points <= row.weight, row.id
        assert row.points == round_to(row.points_exact, places, indicator_set.rounding.mode)


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data())
def test_total_lies_between_zero_and_the_set_total_under_any_not_applicable_subset(case):
    plan, data = case
    indicator_set = load(plan)
    result = evaluate(plan, indicator_set, data)
    assume(result is not None)
    assert 0 <= result.total_exact <= indicator_set.total
    assert 0 <= result.total <= indicator_set.total
    assert result.grade == indicator_set.grade_for(result.total)


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data())
def test_groups_add_up(case):
    plan, data = case
    indicator_set = load(plan)
    result = evaluate(plan, indicator_set, data)
    assume(result is not None)
    rows = {row.id: row for row in result.indicators}
    for group in result.groups:
        expected = {
            i.id
            for i in plan.indicators
            if i.spec.get("group") is not None
            and (i.spec["group"] == group.path or i.spec["group"].startswith(group.path + "/"))
        }
        assert set(group.members) == expected
        counted = [rows[m] for m in group.members if rows[m].counted]
        assert group.points == sum((row.points for row in counted), Decimal(0))
        assert group.points == sum((rows[m].points for m in group.members), Decimal(0))
        assert group.weight == sum((row.weight for row in counted), Decimal(0))
        if group.weight:
            assert group.points <= group.weight
    top = sum((g.points for g in result.groups if g.depth == 0), Decimal(0))
    ungrouped = sum((row.points for row in result.indicators if row.group is None), Decimal(0))
    assert top + ungrouped == result.row_sum
    assert result.row_sum == sum((row.points for row in result.indicators if row.counted), Decimal(0))


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data())
def test_not_applicable_policies(case):
    plan, data = case
    result = evaluate(plan, load(plan), data)
    assume(result is not None)
    na = data.get("not_applicable", [])
    dropped = Decimal(0)
    for row in result.indicators:
        if row.id not in na:
            assert row.status != "not_applicable"
            continue
        policy = plan.policy(row.id)
        assert (row.status, row.not_applicable) == ("not_applicable", policy)
        assert row.points_exact == {"full": row.weight, "zero": 0, "rescale": 0}[policy]
        if policy == "rescale":
            dropped += row.weight
    assert result.attainable + dropped == plan.total
    assert (result.scale is None) == (dropped == 0)


# --- 4–6: monotonicity ------------------------------------------------------------------------------


def _expected_direction(rule: dict[str, Any]) -> str | None:
    """The direction a deduct, ratio, linear or met rule must report, read off its parameters."""
    if "deduct" in rule:
        spec = rule["deduct"]
        if "target" in spec or ("over" in spec and "under" in spec):
            return "none"  # two-sided: points rise to the band and fall after it
        return "decreasing" if "over" in spec else "increasing"
    if "met" in rule:
        return "increasing" if "at_least" in rule["met"] else "decreasing"
    if "ratio" in rule:
        return "decreasing" if rule["ratio"].get("lower_better") else "increasing"
    if "linear" in rule:
        return "increasing" if rule["linear"]["full_at"] > rule["linear"]["zero_at"] else "decreasing"
    return None


@examples(PROPERTY_EXAMPLES)
@given(set_plans(), st.data())
def test_each_rule_moves_only_in_its_reported_direction(plan, data):
    indicator_set = load(plan)
    for item in plan.indicators:
        indicator = indicator_set.indicator(item.id)
        rule = indicator.rule
        with decimal.localcontext(CONTEXT):
            if item.kind in VALUE_KINDS:
                expected = _expected_direction(item.spec["rule"])
                if expected is not None:
                    assert rule.direction == expected, item.spec["rule"]
                # Values near the rule's own parameters (limits, bounds, targets) and anywhere else.
                a, b = sorted(data.draw(st.lists(number_near(item.marks), min_size=2, max_size=2)))
                low, _ = rule.score(a, {})
                high, _ = rule.score(b, {})
                assert 0 <= low <= indicator.reference_weight
                assert 0 <= high <= indicator.reference_weight
                if rule.direction == "increasing":
                    assert low <= high, (item.id, a, b, low, high)
                elif rule.direction == "decreasing":
                    assert low >= high, (item.id, a, b, low, high)
            elif item.kind == "checklist":
                assert rule.direction == "increasing"
                met = data.draw(st.lists(st.booleans(), min_size=len(item.flags), max_size=len(item.flags)))
                more = [m or data.draw(st.booleans()) for m in met]
                low, _ = rule.score(None, dict(zip(item.flags, met, strict=True)))
                high, _ = rule.score(None, dict(zip(item.flags, more, strict=True)))
                assert 0 <= low <= high <= indicator.reference_weight
            else:
                assert rule.direction == "none"


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data(), st.data())
def test_improving_one_indicator_never_lowers_the_total(case, data):
    plan, unit = case
    indicator_set = load(plan)
    na = unit.get("not_applicable", [])
    overridden = unit.get("overrides", {})
    candidates = [i for i in plan.indicators if i.id not in na and i.id not in overridden]
    assume(candidates)
    item = data.draw(st.sampled_from(candidates))
    direction = indicator_set.indicator(item.id).direction
    worse, better = unit, copy.deepcopy(unit)
    if item.kind in VALUE_KINDS and direction != "none":
        assert item.value_input is not None
        old = Decimal(unit["values"][item.value_input])
        step = data.draw(decimals(0, 50, 2))
        better["values"][item.value_input] = old + step if direction == "increasing" else old - step
    elif item.kind == "checklist":
        better["values"][data.draw(st.sampled_from(item.flags))] = True
    elif item.kind == "judgment":
        other = data.draw(awards(item))
        better["judgments"][item.id] = other
        if other["points"] < unit["judgments"][item.id]["points"]:
            worse, better = better, worse
    else:
        # No direction (cases, non-monotone bands): raise the share through an override instead.
        current = scoring.evaluate(indicator_set, unit).indicator(item.id).points_exact
        raised = data.draw(share_of(item.weight))
        assume(raised >= current)
        better.setdefault("overrides", {})[item.id] = {"points": raised, "reason": "更正"}
    before = scoring.evaluate(indicator_set, worse)
    after = scoring.evaluate(indicator_set, better)
    assert after.indicator(item.id).points_exact >= before.indicator(item.id).points_exact
    for row in before.indicators:
        if row.id != item.id:
            assert after.indicator(row.id).points_exact == row.points_exact
    assert after.total_exact >= before.total_exact
    assert after.total >= before.total


@examples(PROPERTY_EXAMPLES)
@given(set_plans(max_indicators=3), st.data())
def test_grade_is_monotone_in_the_total(plan, data):
    indicator_set = load(plan)
    total = indicator_set.total
    labels = [g.label for g in indicator_set.grades]
    mins = [g.min for g in indicator_set.grades]
    points = st.one_of(
        st.sampled_from(mins),
        st.integers(0, 1000).map(lambda n: total * n / 1000),
    )
    a, b = sorted(data.draw(st.lists(points, min_size=2, max_size=2)))
    assert labels.index(indicator_set.grade_for(a)) >= labels.index(indicator_set.grade_for(b))
    for x in (a, b):
        assert indicator_set.grade_for(x) == next(g.label for g in indicator_set.grades if x >= g.min)
    # Group grades read points out of a group's own weight on the total's scale.
    maximum = data.draw(decimals(1, 50, 2))
    pa, pb = sorted(data.draw(st.lists(decimals(0, 50, 2), min_size=2, max_size=2)))
    assume(pb <= maximum)
    ga, gb = indicator_set.grade_for(pa, maximum), indicator_set.grade_for(pb, maximum)
    assert labels.index(ga) >= labels.index(gb)
    assert indicator_set.grade_for(maximum, maximum) == indicator_set.grade_for(total)


# --- 7: scaling -------------------------------------------------------------------------------------

FACTORS = [Decimal(s) for s in ("0.1", "0.25", "0.5", "1.5", "2", "3", "7", "10", "12.5")]


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data(), st.sampled_from(FACTORS))
def test_scaling_every_weight_and_the_total_scales_unrounded_points(case, k):
    """Unrounded points scale by k, compared within a relative 1e-40.

    Not exact equality: a rule's share may already be a 50-digit rounded quotient (ratio, linear, a
    derived ``/ 2``), and the engine multiplies it by ``new weight / reference weight`` — another
    50-digit operation — so ``k × old`` and ``new`` may differ in the 50th significant digit. 1e-40 is
    far above that noise and far below any difference the few-decimal data could produce by mistake.
    """
    plan, data = case
    indicator_set = load(plan)
    with decimal.localcontext(CONTEXT):
        weights = {i.id: i.weight * k for i in indicator_set.indicators}
        try:
            scaled = indicator_set.reweighted(weights, total=indicator_set.total * k)
        except scoring.DefinitionError as error:
            # a fractional k can give weights finer than the set's rounding, which reweighting refuses
            assert {p.code for p in error.problems} <= {"weight-places", "total-places"}, error
            assume(False)
    assert scaled.total == indicator_set.total * k
    before = evaluate(plan, indicator_set, data)
    assume(before is not None)
    after = scoring.evaluate(scaled, data)
    for row in before.indicators:
        new = after.indicator(row.id)
        assert new.weight == row.weight * k
        with decimal.localcontext(CONTEXT):
            expected = row.points_exact * k
        assert close(new.points_exact, expected), (row.id, row.points_exact, new.points_exact, k)
        assert close(new.share, row.share)
    with decimal.localcontext(CONTEXT):
        assert after.attainable == before.attainable * k


# --- 8–10: order, round trip, determinism ----------------------------------------------------------


def summary(result: scoring.Result) -> dict[str, Any]:
    """What a result says, independent of the order things were written in."""
    return {
        "total": result.total,
        "total_exact": result.total_exact,
        "grade": result.grade,
        "row_sum": result.row_sum,
        "attainable": result.attainable,
        "rows": {
            r.id: (r.points_exact, r.points, r.status, r.value, r.outcome, r.weight)
            for r in result.indicators
        },
        "groups": {
            g.path: (g.points, g.weight, g.percentage, g.grade, frozenset(g.members)) for g in result.groups
        },
    }


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data(), st.randoms(use_true_random=False))
def test_reordering_indicators_and_inputs_changes_nothing(case, rnd):
    plan, data = case

    def permute(items: list) -> list:
        items = list(items)
        rnd.shuffle(items)
        return items

    original = load(plan)
    reordered = scoring.parse_set(to_yaml(shuffled(plan, permute)), "reordered.yaml")
    data2 = copy.deepcopy(data)
    data2["values"] = dict(permute(list(data["values"].items())))
    for key in ("judgments", "overrides"):
        if key in data2:
            data2[key] = dict(permute(list(data2[key].items())))
    if "not_applicable" in data2:
        data2["not_applicable"] = permute(data2["not_applicable"])
    first = evaluate(plan, original, data)
    assume(first is not None)
    second = scoring.evaluate(reordered, data2)
    a, b = summary(first), summary(second)
    # Bands and checklist items were shuffled too, and their traces name them by position in the file.
    for rid, (exact, points, status, value, outcome, weight) in a["rows"].items():
        exact2, points2, status2, value2, outcome2, weight2 = b["rows"][rid]
        assert (exact, points, status, value, weight) == (exact2, points2, status2, value2, weight2)
        if plan.indicator(rid).kind not in ("bands", "checklist"):
            assert outcome == outcome2
    for key in ("total", "total_exact", "grade", "row_sum", "attainable", "groups"):
        assert a[key] == b[key], key


@examples(PROPERTY_EXAMPLES)
@given(set_plans())
def test_load_dump_load_is_equal(plan):
    indicator_set = load(plan)
    text = indicator_set.dump()
    again = scoring.parse_set(text, "dumped.yaml")
    assert again == indicator_set
    assert again.dump() == text
    assert [i.id for i in again.indicators] == [i.id for i in indicator_set.indicators]
    assert [(g.path, g.members) for g in again.groups] == [(g.path, g.members) for g in indicator_set.groups]
    assert [i.direction for i in again.indicators] == [i.direction for i in indicator_set.indicators]


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data())
def test_dumped_set_scores_the_same(case):
    plan, data = case
    indicator_set = load(plan)
    first = evaluate(plan, indicator_set, data)
    assume(first is not None)
    again = scoring.parse_set(indicator_set.dump(), "dumped.yaml")
    assert summary(scoring.evaluate(again, data)) == summary(first)


@examples(PROPERTY_EXAMPLES)
@given(plans_with_data())
def test_identical_json_on_rerun(case):
    plan, data = case
    text = plan.text()
    one, two = scoring.parse_set(text, "s.yaml"), scoring.parse_set(text, "s.yaml")
    first = evaluate(plan, one, data)
    assume(first is not None)
    json = first.to_json()
    assert scoring.evaluate(one, data).to_json() == json
    assert scoring.evaluate(two, copy.deepcopy(data)).to_json() == json
    unit = scoring.unit_from_mapping(data, two)
    assert scoring.evaluate(two, unit).to_json() == json
    assert first.to_json(indent=None) == scoring.evaluate(two, unit).to_json(indent=None)


# --- 11: rescale ------------------------------------------------------------------------------------


@examples(PROPERTY_EXAMPLES)
@given(
    set_plans(set_policies=["rescale"], indicator_policies=[None, "rescale"]),
    st.data(),
)
def test_rescale_keeps_the_attainable_maximum_at_the_total(plan, data):
    """All applicable indicators at full marks, some N/A with 'rescale': the total is the set's total."""
    ids = [i.id for i in plan.indicators]
    assume(len(ids) >= 2)
    na = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=len(ids) - 1))
    indicator_set = load(plan)
    result = scoring.evaluate(indicator_set, full_marks(plan, na))
    for row in result.indicators:
        if row.id not in na:
            assert row.points_exact == row.weight, row.id
    dropped = sum((plan.indicator(i).weight for i in na), Decimal(0))
    assert result.attainable + dropped == indicator_set.total
    assert result.row_sum == result.attainable
    # Rows are exact at their weights; only the rescaling division may be inexact (50 digits).
    assert close(result.total_exact, indicator_set.total)
    rounding = indicator_set.rounding
    assert result.total == round_to(indicator_set.total, rounding.total_places, rounding.mode)
    assert result.grade == indicator_set.grade_for(result.total)


@examples(PROPERTY_EXAMPLES)
@given(set_plans(max_indicators=5))
def test_full_marks_give_the_set_total_and_never_more(plan):
    indicator_set = load(plan)
    result = scoring.evaluate(indicator_set, full_marks(plan))
    assert result.total_exact == indicator_set.total
    assert result.scale is None
    rounding = indicator_set.rounding
    assert result.total == round_to(indicator_set.total, rounding.total_places, rounding.mode)
    assert result.total <= indicator_set.total  # property 2 at its edge


# --- minimal failing examples found by the properties above (kept as plain regression tests) --------


def _two_ratio_set(total: str, first: str, second: str, rounding: str, policy: str) -> scoring.IndicatorSet:
    return scoring.parse_set(
        f"""
format: scoring/1
id: edge
total: {total}
rounding: {rounding}
grades: [{{label: A, min: {total}}}, {{label: B, min: 0}}]
not_applicable: {policy}
inputs: {{x: {{}}, y: {{}}}}
indicators:
  - {{id: a, weight: {first}, formula: x, rule: {{ratio: {{target: 1}}}}}}
  - {{id: b, weight: {second}, formula: y, rule: {{ratio: {{target: 1}}}}}}
""",
        "edge.yaml",
    )


@pytest.mark.parametrize(
    ("total", "first", "second", "mode"),
    [("4", "1", "3", "down"), ("5", "2", "3", "up")],
)
def test_rescaled_full_marks_give_exactly_the_total(total, first, second, mode):
    """Full marks on 'b' with 'a' rescaled must give the total: 3 × (4/3) is 4, not 3.99…9 or 5.00…01."""
    indicator_set = _two_ratio_set(
        total, first, second, f"{{places: 0, total_places: 0, mode: {mode}}}", "rescale"
    )
    result = scoring.evaluate(indicator_set, {"values": {"x": 1, "y": 1}, "not_applicable": ["a"]})
    assert result.total == Decimal(total)
    assert result.grade == "A"


@pytest.mark.parametrize("mode", ["half_up", "up"])
def test_total_is_not_rounded_above_the_set_total(mode):
    """A total of 1.25 with total_places 1: full marks must not show 1.3 out of 1.25.

    Either fix passes: refusing the set (its total has more decimals than total_places, as a weight with
    more decimals than places is refused) or never rounding the total above the set's total.
    """
    try:
        indicator_set = _two_ratio_set(
            "1.25", "0.25", "1", f"{{places: 2, total_places: 1, mode: {mode}}}", "full"
        )
    except scoring.DefinitionError as error:
        assert "total_places" in str(error)
        return
    result = scoring.evaluate(indicator_set, {"values": {"x": 1, "y": 1}})
    assert result.total <= indicator_set.total
