"""Two-sided deduct: full marks between 'under' and 'over' (or within 'tolerance' of a 'target'), points
off per step beyond either side; exact edges, located problems, outcomes in both languages, margins on both
sides, bounded and monotone away from the band under hypothesis, batch equal to the engine."""

from __future__ import annotations

import decimal
from decimal import Decimal as D
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import scoring
from scoring.errors import DefinitionError
from scoring.language import Catalogue
from scoring.numbers import CONTEXT

from .helpers import one
from .profiles import examples
from .strategies import decimals

EN, ZH = Catalogue("en"), Catalogue("zh")

#: 预算执行率 = 100%，每偏离1个百分点扣0.5分，扣完为止 (weight 5)
EXACT = {"deduct": {"target": 100, "per": 1, "points": D("0.5"), "steps": "whole"}}
TOLERANT = {"deduct": {"target": 100, "tolerance": 2, "per": 1, "points": D("0.5"), "steps": "whole"}}
LIMITS = {"deduct": {"under": 98, "over": 102, "per": 1, "points": D("0.5"), "steps": "whole"}}


def points_at(indicator_set: scoring.IndicatorSet, value: str) -> D:
    return scoring.evaluate(indicator_set, {"values": {"x": D(value)}}).indicator("row").points


@pytest.mark.parametrize(
    ("value", "expected"),
    [("100", "5"), ("99.99", "5"), ("99", "4.5"), ("97.5", "4"), ("103", "3.5"), ("100.5", "5"), ("80", "0")],
)
def test_a_target_loses_points_on_either_side(value: str, expected: str) -> None:
    assert points_at(one(EXACT), value) == D(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("98", "5"),  # the edges are inside
        ("102", "5"),
        ("100", "5"),
        ("97.9", "5"),  # 0.1 under 98: no whole step yet
        ("97", "4.5"),  # exactly one step under
        ("96.9", "4.5"),
        ("103", "4.5"),  # exactly one step over
        ("102.01", "5"),
        ("112", "0"),  # ten steps: floored at 0 (扣完为止)
    ],
)
def test_tolerance_edges_are_exact(value: str, expected: str) -> None:
    assert points_at(one(TOLERANT), value) == D(expected)
    assert points_at(one(LIMITS), value) == D(expected)  # the same band written as limits


def test_target_and_tolerance_mean_under_and_over() -> None:
    rule = one(TOLERANT).indicator("row").rule
    assert (rule.lower, rule.upper) == (D(98), D(102))
    assert one(EXACT).indicator("row").rule.lower == one(EXACT).indicator("row").rule.upper == D(100)


@pytest.mark.parametrize("steps", ["whole", "started", "exact"])
def test_steps_count_the_same_way_on_both_sides(steps: str) -> None:
    rule = {"deduct": {"under": 90, "over": 110, "per": 5, "points": 1, "steps": steps}}
    indicator_set = one(rule)
    for excess in ("2.5", "5", "7.5", "30"):
        above = points_at(indicator_set, str(110 + D(excess)))
        below = points_at(indicator_set, str(90 - D(excess)))
        assert above == below, (steps, excess)


def test_one_sided_rules_are_unchanged() -> None:
    over = one({"deduct": {"over": 100, "per": 1, "points": D("0.5"), "steps": "whole"}})
    under = one({"deduct": {"under": 100, "per": 5, "points": 2, "steps": "whole"}})
    assert [points_at(over, v) for v in ("50", "100", "103.5")] == [5, 5, D("3.5")]
    assert [points_at(under, v) for v in ("150", "100", "92.8")] == [5, 5, 3]
    assert (over.indicator("row").rule.direction, under.indicator("row").rule.direction) == (
        "decreasing",
        "increasing",
    )


def test_direction_is_none() -> None:
    for rule in (EXACT, TOLERANT, LIMITS):
        assert one(rule).indicator("row").rule.direction == "none"
    with pytest.raises(DefinitionError) as info:
        one(EXACT, direction="decreasing")
    assert [p.code for p in info.value.problems] == ["direction"]


# --- outcomes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "value", "english", "chinese"),
    [
        (EXACT, "100", "on the target (100): full marks", "等于目标值（100）：得满分"),
        (TOLERANT, "101", "within 98 to 102: full marks", "在 98 至 102 之间：得满分"),
        (TOLERANT, "96.5", "1.5 under 98; 1 whole step of 1 × 0.5 = −0.5", "低于 98 达 1.5；每 1 为一步，1 个整步 × 0.5 = −0.5"),
        (TOLERANT, "104", "2 over 102; 2 whole steps of 1 × 0.5 = −1", "高于 102 达 2；每 1 为一步，2 个整步 × 0.5 = −1"),
        (EXACT, "70", "30 under 100; 30 whole steps of 1 × 0.5 = −15 (floored at 0)",
         "低于 100 达 30；每 1 为一步，30 个整步 × 0.5 = −15（扣至 0 分为止）"),
    ],
)  # fmt: skip
def test_outcomes_in_english_and_chinese(
    rule: dict[str, Any], value: str, english: str, chinese: str
) -> None:
    row = scoring.evaluate(one(rule), {"values": {"x": D(value)}}).indicator("row")
    assert row.outcome == english
    assert (row.outcome_text(EN), row.outcome_text(ZH)) == (english, chinese)


def test_the_step_says_which_side() -> None:
    indicator_set = one(TOLERANT)
    below = scoring.evaluate(indicator_set, {"values": {"x": D(95)}}).indicator("row").step
    above = scoring.evaluate(indicator_set, {"values": {"x": D(105)}}).indicator("row").step
    assert (below.below, below.excess, below.steps, below.deduction) == (True, D(3), D(3), D("1.5"))
    assert (above.below, above.excess) == (False, D(3))


# --- problems, located ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "code", "message", "place"),
    [
        ({"target": 100, "over": 102}, "deduct-limit", "use either 'target' or 'over'/'under', not both", (11, 7)),
        ({"target": 100, "tolerance": -1}, "deduct-tolerance", "'tolerance' must be 0 or more, not -1", (13, 9)),
        ({"over": 100, "tolerance": 1}, "deduct-tolerance", "'tolerance' is only for a 'target'", (13, 9)),
        ({"under": 102, "over": 98}, "deduct-limit",
         "'under' 102 is above 'over' 98: no value gets full marks", (12, 9)),
        ({}, "deduct-limit", "deduct needs 'over', 'under', both, or 'target'", (11, 7)),
    ],
)  # fmt: skip
def test_bad_limits_are_refused_where_they_are_written(
    spec: dict[str, Any], code: str, message: str, place: tuple[int, int]
) -> None:
    text = (
        "format: scoring/1\nid: t\ntotal: 5\ngrades: [{label: A, min: 0}]\ninputs: {x: {}}\nindicators:\n"
        "  - id: row\n    weight: 5\n    formula: x\n    rule:\n      deduct:\n"
        + "".join(f"        {key}: {value}\n" for key, value in spec.items())
        + "        per: 1\n        points: 0.5\n        steps: whole\n"
    )
    with pytest.raises(DefinitionError) as info:
        scoring.parse_set(text, "set.yaml")
    (problem,) = info.value.problems
    assert (problem.code, problem.message) == (code, f"{message} (indicator 'row')")
    assert (problem.location.file, problem.location.line, problem.location.column) == ("set.yaml", *place)


# --- margins ----------------------------------------------------------------------------------------------


def test_invert_gives_the_side_the_value_is_on_for_more_points() -> None:
    rule = one(TOLERANT).indicator("row").rule
    # at least 4.5 points: at most one whole step beyond either limit, i.e. from 96 (excl. 96 − 1) to 104 (excl.)
    assert rule.invert("≥", Fraction(9, 2), D(110), {}) == [("<", Fraction(104), None)]
    assert rule.invert("≥", Fraction(9, 2), D(90), {}) == [(">", Fraction(96), None)]
    # at most 4 points: two whole steps beyond either side; both are answers, nearest first
    assert rule.invert("≤", Fraction(4), D(101), {}) == [
        ("≥", Fraction(104), None),
        ("≤", Fraction(96), None),
    ]
    assert rule.invert("≤", Fraction(4), D(99), {}) == [("≤", Fraction(96), None), ("≥", Fraction(104), None)]
    assert "at most 5" in rule.invert("≥", Fraction(6), D(99), {})


@examples(100)
@given(
    low=decimals(-50, 100, 1),
    width=decimals(0, 20, 1),
    per=st.sampled_from([D("0.25"), D("0.5"), D(1), D(2)]),
    points=st.integers(1, 20),
    steps=st.sampled_from(["whole", "started", "exact"]),
    value=decimals(-100, 200, 2),
    t=st.integers(0, 20),
    up=st.booleans(),
)
@example(  # an edge of 121/12: no decimal holds it, so it is checked a hair inside
    low=D("11.5"), width=D(0), per=D("0.25"), points=3, steps="exact", value=D(0), t=3, up=True
)
def test_invert_agrees_with_score(
    low: D, width: D, per: D, points: int, steps: str, value: D, t: int, up: bool
) -> None:
    """Every target invert gives is the exact boundary: on its side the points satisfy the condition, and
    just outside (by a hair toward the value) they do not — when the value itself does not satisfy it."""
    weight = 5
    rule = (
        one(
            {
                "deduct": {
                    "under": low,
                    "over": low + width,
                    "per": per,
                    "points": D(points) / 4,
                    "steps": steps,
                }
            }
        )
        .indicator("row")
        .rule
    )
    op = "≥" if up else "≤"
    bound = Fraction(t, 4)
    with decimal.localcontext(CONTEXT):
        now, _ = rule.score(value, {})
    if (now >= bound) if up else (now <= bound):
        return  # already there: margins do not ask
    targets = rule.invert(op, bound, value, {})
    if isinstance(targets, str):
        assert (up and bound > weight) or (not up and bound < 0), targets
        return
    hair = Fraction(1, 10**6)
    for target_op, edge, _ in targets:
        # a closed edge the engine's decimals hold is itself enough; another is checked a hair inside
        held = target_op in ("≥", "≤") and edge == Fraction(D(edge.numerator) / D(edge.denominator))
        x = edge if held else edge + (hair if target_op in ("≥", ">") else -hair)
        with decimal.localcontext(CONTEXT):
            got, _ = rule.score(D(x.numerator) / D(x.denominator), {})
        assert (got >= bound) if up else (got <= bound), (target_op, edge, x, got)


def test_margins_of_a_two_sided_row_in_the_example() -> None:
    from pathlib import Path

    from scoring.analysis.margins import unit_margins

    root = Path(__file__).resolve().parent.parent
    unit = scoring.load_unit(root / "examples" / "project-targets.yaml")
    report = unit_margins(unit.indicator_set, unit)
    down = report.indicator("budget_execution", "down")
    assert [(t.op, t.bound) for t in down.targets] == [("≤", D(89)), ("≥", D(111))]
    assert down.solutions and all(s.verified for s in down.solutions)


# --- bounds and shape under hypothesis ----------------------------------------------------------------------


@examples(100)
@given(
    target=decimals(-50, 150, 1),
    tolerance=decimals(0, 5, 1),
    per=st.sampled_from([D("0.25"), D("0.5"), D(1), D(5)]),
    share=st.integers(1, 20),
    steps=st.sampled_from(["whole", "started", "exact"]),
    a=decimals(-200, 300, 2),
    b=decimals(-200, 300, 2),
)
def test_points_stay_within_the_weight_and_fall_away_from_the_band(
    target: D, tolerance: D, per: D, share: int, steps: str, a: D, b: D
) -> None:
    """Within [0, weight]; full marks inside the band; and moving away from the band on either side never
    gains points."""
    weight = D(5)
    spec = {
        "target": target,
        "tolerance": tolerance,
        "per": per,
        "points": weight * share / 20,
        "steps": steps,
    }
    rule = one({"deduct": spec}).indicator("row").rule
    with decimal.localcontext(CONTEXT):
        pa, _ = rule.score(a, {})
        pb, _ = rule.score(b, {})
        assert rule.score(target - tolerance, {})[0] == rule.score(target + tolerance, {})[0] == weight
    assert 0 <= pa <= weight and 0 <= pb <= weight
    lower, upper = target - tolerance, target + tolerance
    if lower <= a <= upper:
        assert pa == weight
    if upper <= a <= b:
        assert pa >= pb
    if b <= a <= lower:
        assert pa >= pb


# --- batch --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [EXACT, TOLERANT, LIMITS], ids=["target", "tolerance", "limits"])
def test_batch_equals_the_engine_at_the_edges(rule: dict[str, Any]) -> None:
    pytest.importorskip("pyarrow")
    from .test_batch import assert_row_equals, expected_of, score_rows, table_row

    indicator_set = one(rule)
    values = ["100", "98", "102", "97.99", "102.01", "97", "103", "96.9", "0", "250", "99.5", "100.000001"]
    mappings = [{"values": {"x": D(v)}} for v in values]
    scores = score_rows(indicator_set, [table_row(m) for m in mappings], chunk=5)
    for row, mapping in enumerate(mappings):
        assert_row_equals(scores, row, expected_of(indicator_set, mapping))
