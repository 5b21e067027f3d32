"""Worked examples of every rule pattern in the domain reference (shared/domain/README.md), by hand."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any, ClassVar

import pytest

import scoring
from scoring.numbers import CONTEXT
from tests.helpers import one, points, set_text


class TestDeductionBeyondLimit:
    """以100%为标准，≤100%计满分；每超过一个百分点扣0.5分，扣完为止."""

    rule: ClassVar[dict[str, Any]] = {"over": 100, "per": 1, "points": 0.5}

    @pytest.mark.parametrize(
        ("steps", "value", "expected"),
        [
            ("whole", "100", "5.00"),  # at the limit: full marks
            ("whole", "87.70", "5.00"),  # 在职人员控制率 of the seed case
            ("whole", "103.5", "3.50"),  # 3 whole points over → −1.5
            ("started", "103.5", "3.00"),  # 4 begun points → −2
            ("exact", "103.5", "3.25"),  # 3.5 × 0.5 = −1.75
            ("whole", "130", "0.00"),  # 30 × 0.5 = 15 > 5: 扣完为止
        ],
    )
    def test_over(self, steps: str, value: str, expected: str) -> None:
        s = one({"deduct": {**self.rule, "steps": steps}})
        assert points(s, x=value) == D(expected)


class TestDeductionBelowTarget:
    """100%计满分，每低于5%扣2分，扣完为止 — 92.8% is one whole step short → −2."""

    @pytest.mark.parametrize(
        ("steps", "value", "expected"),
        [
            ("whole", "92.8", "3.00"),
            ("started", "92.8", "1.00"),  # 7.2 short → 2 begun steps → −4
            ("exact", "92.8", "2.12"),  # 7.2 / 5 × 2 = 2.88
            ("whole", "95", "3.00"),  # exactly one step
            ("whole", "100", "5.00"),
            ("whole", "101", "5.00"),  # above the target is not rewarded beyond full marks
            ("whole", "85", "0.00"),  # 3 steps → −6, floored at 0
        ],
    )
    def test_under(self, steps: str, value: str, expected: str) -> None:
        s = one({"deduct": {"under": 100, "per": 5, "points": 2, "steps": steps}})
        assert points(s, x=value) == D(expected)


def test_change_rate_over_zero() -> None:
    """≤0 计满分；>0 每超一个百分点扣0.8分，扣完为止 (三公经费变动率, weight 8)."""
    s = one({"deduct": {"over": 0, "per": 1, "points": 0.8, "steps": "whole"}}, weight=8)
    formula_set = one(
        {"deduct": {"over": 0, "per": 1, "points": 0.8, "steps": "whole"}},
        weight=8,
        formula="(actual - prior) / prior * 100",
    )
    assert points(s, x="-0.71") == D("8.00")
    assert points(s, x="0") == D("8.00")
    assert points(s, x="3.2") == D("5.60")  # 3 whole points → −2.4
    # the seed case: 301.08 this year against 303.24 last year is a fall of 0.71%
    assert points(formula_set, actual="301.08", prior="303.24") == D("8.00")
    assert points(formula_set, actual="315.37", prior="303.24") == D("4.80")  # +4.0% → −3.2


class TestTiers:
    """=0 满分；0–10%(含) 4分；10–20%(含) 3分；20–30%(含) 2分；>30% 0分 — bands (a, b]."""

    rule: ClassVar[dict[str, Any]] = {
        "bands": [
            {"equals": 0, "points": 5},
            {"above": 0, "upto": 10, "points": 4},
            {"above": 10, "upto": 20, "points": 3},
            {"above": 20, "upto": 30, "points": 2},
            {"above": 30, "points": 0},
        ]
    }

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("0", "5"), ("0.01", "4"), ("10", "4"), ("10.01", "3"), ("20", "3"), ("30", "2"), ("30.0001", "0")],
    )
    def test_inclusive_upper_bounds(self, value: str, expected: str) -> None:
        assert points(one(self.rule), x=value) == D(expected)

    def test_value_in_no_band_is_an_error(self) -> None:
        with pytest.raises(scoring.EvaluationError, match="falls in no band"):
            points(one(self.rule), x="-1")

    def test_otherwise_covers_gaps(self) -> None:
        s = one({**self.rule, "otherwise": 5})
        assert points(s, x="-1") == D("5")

    def test_direction_is_decreasing(self) -> None:
        assert one(self.rule).indicator("row").direction == "decreasing"


class TestTiersFromBelow:
    """≥90% 5分；80%(含)–90% 4分；70%(含)–80% 3分；60%(含)–70% 2分；<60% 0分 — bands [a, b)."""

    rule: ClassVar[dict[str, Any]] = {
        "bands": [
            {"from": 90, "points": 5},
            {"from": 80, "below": 90, "points": 4},
            {"from": 70, "below": 80, "points": 3},
            {"from": 60, "below": 70, "points": 2},
            {"below": 60, "points": 0},
        ]
    }

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("100", "5"),
            ("90", "5"),
            ("89.99", "4"),
            ("80", "4"),
            ("79.999", "3"),
            ("60", "2"),
            ("59.99", "0"),
        ],
    )
    def test_inclusive_lower_bounds(self, value: str, expected: str) -> None:
        assert points(one(self.rule), x=value) == D(expected)

    def test_direction_is_increasing(self) -> None:
        assert one(self.rule).indicator("row").direction == "increasing"


def test_not_applicable_scores_full_marks() -> None:
    """没有楼堂馆所项目的部门按满分计算."""
    text = set_text(
        [
            {"id": "area", "weight": 5, "formula": "actual / approved * 100", "not_applicable": "full",
             "rule": {"deduct": {"over": 100, "per": 1, "points": 0.5, "steps": "whole"}}},
            {"id": "other", "weight": 5, "formula": "x", "rule": {"ratio": {"target": 100}}},
        ]
    )  # fmt: skip
    s = scoring.parse_set(text)
    result = scoring.evaluate(s, {"values": {"x": 50}, "not_applicable": ["area"]})
    assert result.indicator("area").points == D("5.00")
    assert result.indicator("area").status == "not_applicable"
    assert result.total == D("7.5")


@pytest.mark.parametrize(
    ("balance", "carryover", "expected"),
    [("0", "100", "3"), ("80", "100", "2"), ("100", "100", "2"), ("100.01", "100", "0")],
)
def test_three_way_balance_case(balance: str, carryover: str, expected: str) -> None:
    """无结余3分；有结余但不超过上年结转2分；超过不得分."""
    rule: ClassVar[dict[str, Any]] = {
        "cases": [{"when": "balance == 0", "points": 3}, {"when": "balance <= carryover", "points": 2}],
        "otherwise": 0,
    }
    s = scoring.parse_set(
        set_text([{"id": "row", "weight": 3, "rule": rule}], inputs={"balance": {}, "carryover": {}})
    )
    assert points(s, balance=balance, carryover=carryover) == D(expected)


@pytest.mark.parametrize(("cases", "expected"), [(0, "5.00"), (1, "4.00"), (3, "2.00"), (7, "0.00")])
def test_per_item_deduction(cases: int, expected: str) -> None:
    """每出现一例不符合要求扣1分，扣完为止."""
    s = one({"deduct": {"over": 0, "per": 1, "points": 1, "steps": "whole"}}, formula="problems")
    assert points(s, problems=cases) == D(expected)


def test_per_item_half_point_deduction() -> None:
    """每一个专项未按进度扣0.5分."""
    s = one({"deduct": {"over": 0, "per": 1, "points": 0.5, "steps": "whole"}}, formula="late_projects")
    assert points(s, late_projects=3) == D("3.50")


def test_checklist_each_item_one_point() -> None:
    """①②③ 各1分."""
    rule: ClassVar[dict[str, Any]] = {
        "checklist": [{"input": "a", "points": 1}, {"input": "b", "points": 1}, {"input": "c", "points": 1}]
    }
    inputs = {name: {"type": "boolean"} for name in "abc"}
    s = scoring.parse_set(set_text([{"id": "row", "weight": 3, "rule": rule}], inputs=inputs))
    assert points(s, a=True, b=False, c=True) == D("2.00")
    assert points(s, a=True, b=True, c=True) == D("3.00")
    assert points(s, a=False, b=False, c=False) == D("0.00")


class TestRatioToTarget:
    """正向指标 得分 = 实际值/指标值 × 分值；反向指标 得分 = 指标值/实际值 × 分值 (capped)."""

    def test_higher_is_better(self) -> None:
        s = one({"ratio": {"target": 200}}, weight=10)
        assert points(s, x="150") == D("7.50")
        assert points(s, x="250") == D("10.00")  # capped at full marks
        assert points(s, x="0") == D("0.00")

    def test_lower_is_better(self) -> None:
        s = one({"ratio": {"target": 5, "lower_better": True}}, weight=10)
        assert points(s, x="8") == D("6.25")  # 5/8 × 10
        assert points(s, x="4") == D("10.00")
        assert points(s, x="0") == D("10.00")  # nothing at all is at least as good as the target

    def test_inexact_share_rounds_half_up(self) -> None:
        s = one({"ratio": {"target": 3}}, weight=10)
        assert points(s, x="2") == D("6.67")  # 6.666… → 6.67


def test_linear_interpolation_both_directions() -> None:
    rising = one({"linear": {"zero_at": 50, "full_at": 90}}, weight=5)
    falling = one({"linear": {"zero_at": 30, "full_at": 10}}, weight=5)
    assert points(rising, x="70") == D("2.50")
    assert points(rising, x="40") == D("0.00")
    assert points(rising, x="95") == D("5.00")
    assert points(falling, x="15") == D("3.75")
    assert rising.indicator("row").direction == "increasing"
    assert falling.indicator("row").direction == "decreasing"


def test_judgment_within_tier() -> None:
    """Three tiers at 100–80%, 80–60%, 60–0% of the weight; the evaluator awards points inside one."""
    tiers = [
        {"label": "好", "min_share": 0.8},
        {"label": "中", "min_share": 0.6},
        {"label": "差", "min_share": 0},
    ]
    s = one({"judgment": {"tiers": tiers}}, weight=5, formula=None)
    result = scoring.evaluate(
        s, {"judgments": {"row": {"tier": "中", "points": 3.5, "reason": "目标不够细化"}}}
    )
    row = result.indicator("row")
    assert row.points == D("3.50")
    assert row.status == "judged"
    assert "目标不够细化" in row.outcome
    assert "中" in row.outcome
    # tier bounds are inclusive at both ends: 80% (4 points) fits 好 and 中
    for tier in ("好", "中"):
        assert (
            scoring.evaluate(s, {"judgments": {"row": {"tier": tier, "points": 4, "reason": "r"}}}).total == 4
        )
    with pytest.raises(scoring.DataError, match="outside tier"):
        scoring.evaluate(s, {"judgments": {"row": {"tier": "好", "points": 3.9, "reason": "r"}}})


def test_not_applicable_dropped_and_rest_rescaled() -> None:
    """Indicators that do not apply are removed and the rest rescaled to 100 (project self-evaluation)."""
    text = set_text(
        [
            {"id": "a", "weight": 60, "formula": "x", "rule": {"ratio": {"target": 100}}},
            {"id": "b", "weight": 20, "formula": "x", "rule": {"ratio": {"target": 100}}},
            {"id": "c", "weight": 20, "formula": "y", "rule": {"ratio": {"target": 100}}},
        ],
        not_applicable="rescale",
    )
    s = scoring.parse_set(text)
    full = scoring.evaluate(s, {"values": {"x": 100}, "not_applicable": ["c"]})
    assert full.total == D("100.0")
    assert full.attainable == D("80")
    assert full.indicator("c").counted is False
    partial = scoring.evaluate(s, {"values": {"x": 90}, "not_applicable": ["c"]})
    assert partial.row_sum == D("72.00")  # 54 + 18 of an attainable 80
    assert partial.total == D("90.0")  # × 100/80


def test_not_applicable_zero_policy() -> None:
    s = one({"ratio": {"target": 100}}, weight=5, not_applicable="zero")
    result = scoring.evaluate(s, {"not_applicable": ["row"]})
    assert result.indicator("row").points == 0
    assert result.total == 0


class TestExactness:
    def test_formula_literals_are_exact(self) -> None:
        s = one({"bands": [{"equals": D("0.3"), "points": 5}], "otherwise": 0}, formula="0.1 + 0.2")
        assert points(s) == D("5.00")

    def test_data_values_are_exact(self) -> None:
        s = one({"bands": [{"equals": D("0.3"), "points": 5}], "otherwise": 0}, formula="a + b")
        yaml_unit = scoring.parse_unit("values: {a: 0.1, b: 0.2}", "unit.yaml", s)
        assert scoring.evaluate(s, yaml_unit).indicator("row").points == D("5.00")
        assert scoring.evaluate(s, {"values": {"a": 0.1, "b": 0.2}}).indicator("row").points == D("5.00")

    def test_points_round_half_up(self) -> None:
        # 2.345 as a float is 2.34499…, which float rounding would take down
        s = one({"linear": {"zero_at": 0, "full_at": 100}}, weight=5)
        assert points(s, x="46.9") == D("2.35")  # exactly 2.345 → 2.35

    def test_total_rounds_half_up_from_rounded_rows(self) -> None:
        text = set_text(
            [
                {"id": "a", "weight": 50, "formula": "x", "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
                {"id": "b", "weight": 50, "formula": "y", "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
            ]
        )
        s = scoring.parse_set(text)
        # rows 46.025 → 46.03 and 46.02 → sum 92.05 → total 92.1 (half-even would give 92.0)
        result = scoring.evaluate(s, {"values": {"x": D("92.05"), "y": D("92.04")}})
        assert [row.points for row in result.indicators] == [D("46.03"), D("46.02")]
        assert result.row_sum == D("92.05")
        assert result.total == D("92.1")
        assert result.grade == "优"

    def test_declared_rounding_mode_is_used(self) -> None:
        text = set_text(
            [{"id": "row", "weight": 5, "formula": "x", "rule": {"linear": {"zero_at": 0, "full_at": 100}}}],
            rounding={"places": 2, "total_places": 1, "mode": "half_even"},
        )
        assert points(scoring.parse_set(text), x="46.9") == D("2.34")


def test_group_percentage_and_grade() -> None:
    """Some published results grade each dimension by its percentage: 13 of 15 = 86.7% → 良."""
    text = set_text(
        [
            {"id": "a", "group": "投入", "weight": 15, "formula": "x", "rule": {"linear": {"zero_at": 0, "full_at": 15}}},
            {"id": "b", "group": "过程", "weight": 85, "formula": "x", "rule": {"ratio": {"target": 1}}},
        ]
    )  # fmt: skip
    result = scoring.evaluate(scoring.parse_set(text), {"values": {"x": 13}})
    group = result.group("投入")
    assert group.points == D("13.00")
    assert group.grade == "良"
    assert round(group.percentage, 1) == D("86.7")


def test_seed_staff_control_rate_matches_report() -> None:
    """The seed report prints 在职人员控制率 87.70% for 335 in post of 382."""
    s = scoring.load_set("indicators/demo.yaml")
    result = scoring.evaluate(s, scoring.load_unit("examples/demo.yaml", s))
    row = result.indicator("staff_control_rate")
    assert round(row.value, 2) == D("87.70")
    assert row.inputs == {"staff_in_post": 335, "staff_quota": 382}


class TestDivisionLast:
    """Points exactly on a rounding boundary must round the right way: divide once, last."""

    def test_linear(self) -> None:
        s = one({"linear": {"zero_at": 0, "full_at": 30}}, weight=3)
        assert points(s, x="3.55") == D("0.36")  # 3.55 / 30 × 3 = 0.355 exactly

    def test_ratio(self) -> None:
        assert points(one({"ratio": {"target": 30}}, weight=3), x="3.55") == D("0.36")
        assert points(one({"ratio": {"target": D("0.355"), "lower_better": True}}, weight=3), x="30") == D(
            "0.04"
        )

    def test_deduct_exact(self) -> None:
        s = one({"deduct": {"over": 0, "per": 3, "points": 1, "steps": "exact"}}, weight=3)
        assert points(s, x="1.015") == D("2.66")  # 3 − 1.015 / 3 = 2.661666… → 2.66
        assert points(s, x="1.035") == D("2.66")  # 3 − 0.345 = 2.655 exactly → 2.66 (half-up)

    def test_group_grade_on_its_boundary(self) -> None:
        s = one({"ratio": {"target": 1}}, weight=21, group="g")
        # 7 of 21 is exactly a third; on a scale of 30 that is exactly the grade minimum 10
        assert s.grade_for(D(7), D(21)) == s.grade_for(D(10), D(30))

    def test_reweighted_points_scale_exactly(self) -> None:
        s = one({"bands": [{"from": 0, "points": 1}]}, weight=3)
        heavier = s.reweighted({"row": D(7)}, total=D(7))
        assert scoring.evaluate(heavier, {"values": {"x": 1}}).indicator(
            "row"
        ).points_exact == CONTEXT.divide(D(7), D(3))


class TestRatioTargetFromData:
    """Project forms: each row has its own 年度指标值 in the unit data; one division keeps 9.375 exact."""

    def test_lower_is_better_with_target_input(self) -> None:
        rule = {"ratio": {"target": "cost_target", "lower_better": True}}
        s = scoring.parse_set(
            set_text(
                [{"id": "row", "weight": 10, "formula": "cost", "rule": rule}],
                inputs={"cost": {}, "cost_target": {}},
            )
        )
        result = scoring.evaluate(s, {"values": {"cost": 2560, "cost_target": 2400}})
        assert result.indicator("row").points == D("9.38")  # 2400 / 2560 × 10 = 9.375, half-up
        assert "target 2400" in result.indicator("row").outcome
        assert result.indicator("row").inputs == {"cost": 2560, "cost_target": 2400}

    def test_target_must_be_positive_at_evaluation(self) -> None:
        rule = {"ratio": {"target": "goal"}}
        s = scoring.parse_set(
            set_text(
                [{"id": "row", "weight": 10, "formula": "x", "rule": rule}], inputs={"x": {}, "goal": {}}
            )
        )
        with pytest.raises(scoring.EvaluationError, match="must be a number above 0"):
            scoring.evaluate(s, {"values": {"x": 5, "goal": 0}})

    def test_target_formula_is_checked_at_load(self) -> None:
        rule = {"ratio": {"target": "gaol"}}
        with pytest.raises(scoring.DefinitionError, match="unknown name 'gaol'"):
            scoring.parse_set(
                set_text(
                    [{"id": "row", "weight": 10, "formula": "x", "rule": rule}], inputs={"x": {}, "goal": {}}
                )
            )

    def test_missing_target_input_is_reported(self) -> None:
        rule = {"ratio": {"target": "goal"}}
        s = scoring.parse_set(
            set_text(
                [{"id": "row", "weight": 10, "formula": "x", "rule": rule}], inputs={"x": {}, "goal": {}}
            )
        )
        with pytest.raises(scoring.DataError, match="missing input 'goal', needed by row"):
            scoring.evaluate(s, {"values": {"x": 5}})
