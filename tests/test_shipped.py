"""Every shipped YAML file is valid and exercised."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest

import scoring
from scoring.engine.result import Status
from scoring.rules import RULE_KINDS

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((ROOT / "indicators").glob("*.yaml"))
UNITS = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_set_loads_and_round_trips(path: Path) -> None:
    indicator_set = scoring.load_set(path)
    assert scoring.parse_set(indicator_set.dump(), "dumped.yaml") == indicator_set
    for indicator in indicator_set.indicators:
        assert indicator.spec.label, f"{indicator.id} has no label"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_unit_scores(path: Path) -> None:
    unit = scoring.load_unit(path)
    result = scoring.evaluate(unit.indicator_set, unit)
    labels = {grade.label for grade in unit.indicator_set.grades}
    if result.complete:
        assert result.total is not None
        assert 0 <= result.total <= result.maximum
        assert result.grade in labels
    else:  # unknown rows: a range of totals
        assert result.total_range is not None
        assert 0 <= result.total_range[0] <= result.total_range[1] <= result.maximum
        assert set(result.grades_possible) <= labels


def test_every_set_has_an_example() -> None:
    used = {scoring.load_unit(path).indicator_set.source for path in UNITS}
    for path in SETS:
        assert any(Path(source).resolve() == path for source in used), f"no example uses {path.name}"


#: The demo unit (examples/demo.yaml with indicators/demo.yaml), checked by hand: each row's rule kind (as
#: written in the set), its status and its points (see the comments in test_demo_result_by_hand).
DEMO_ROWS = {
    "goal_reasonableness": ("judgment", "judged", "1.50"),
    "staff_control_rate": ("deduct", "scored", "5.00"),
    "sangong_change_rate": ("deduct", "scored", "8.00"),
    "budget_completion_rate": ("deduct", "scored", "3.00"),
    "budget_adjustment_rate": ("bands", "scored", "0.00"),
    "building_area_control": ("deduct", "not_applicable", "5.00"),
    "key_spending_rate": ("linear", "scored", "1.40"),
    "management_rules": ("checklist", "scored", "4.00"),
    "funds_compliance": ("deduct", "scored", "3.00"),
    "balance_control": ("cases", "scored", "2.00"),
    "task_completion_rate": ("ratio", "scored", "19.00"),
    "timeliness_rate": ("bands", "scored", "8.00"),
    "social_benefit": ("judgment", "judged", "9.50"),
    "satisfaction_rate": ("bands", "scored", "10.00"),
}
#: The rule kinds of the format (docs/format.md), written out rather than read from the engine's registry.
FORMAT_RULE_KINDS = {"bands", "cases", "checklist", "deduct", "judgment", "linear", "met", "ratio"}
#: Kinds the demo leaves to another shipped example: met (text, dates and targets met or not) is shown by
#: examples/project-targets.yaml, checked in test_the_targets_example_by_hand.
ELSEWHERE = {"met"}
#: Every status a row can have; the demo has no overrides and no unknown rows, so it shows the other three.
ROW_STATUSES = {"scored", "judged", "overridden", "not_applicable", "unknown"}
DEMO_STATUSES = ROW_STATUSES - {"overridden", "unknown"}


def test_demo_uses_every_rule_kind_and_every_status() -> None:
    """The demo shows every rule kind and every status of a unit without overrides or unknown rows, each row
    scored as worked out by hand: 79.4 of 100, grade 中 (what `scoring score examples/demo.yaml` prints)."""
    assert set(RULE_KINDS) == FORMAT_RULE_KINDS
    assert set(get_args(Status)) == ROW_STATUSES
    assert {kind for kind, _, _ in DEMO_ROWS.values()} == FORMAT_RULE_KINDS - ELSEWHERE
    assert {status for _, status, _ in DEMO_ROWS.values()} == DEMO_STATUSES
    assert sum(Decimal(points) for _, _, points in DEMO_ROWS.values()) == Decimal("79.4")

    unit = scoring.load_unit(ROOT / "examples" / "demo.yaml")
    assert Path(unit.indicator_set.source).resolve() == ROOT / "indicators" / "demo.yaml"
    kinds = {indicator.id: indicator.rule.kind for indicator in unit.indicator_set.indicators}
    assert kinds == {indicator_id: kind for indicator_id, (kind, _, _) in DEMO_ROWS.items()}
    result = scoring.evaluate(unit.indicator_set, unit)
    rows = {row.id: (kinds[row.id], row.status, str(row.points)) for row in result.indicators}
    assert rows == DEMO_ROWS
    top = {group.path: str(group.points) for group in result.groups if group.depth == 0}
    assert top == {"投入": "14.50", "过程": "18.40", "产出": "27.00", "效果": "19.50"}
    assert result.complete
    assert (str(result.total), result.maximum, result.grade) == ("79.4", 100, "中")


def test_demo_result_by_hand() -> None:
    """The demo total, row by row (see the comments in examples/demo.yaml for the figures)."""
    unit = scoring.load_unit(ROOT / "examples" / "demo.yaml")
    result = scoring.evaluate(unit.indicator_set, unit)
    expected = {
        "goal_reasonableness": "1.50",  # judged 中
        "staff_control_rate": "5.00",  # 87.70% ≤ 100%
        "sangong_change_rate": "8.00",  # −0.71% ≤ 0
        "budget_completion_rate": "3.00",  # 90.86%: one whole 5% step short → −2
        "budget_adjustment_rate": "0.00",  # 67.56% > 30%
        "building_area_control": "5.00",  # N/A → full
        "key_spending_rate": "1.40",  # (61.19 − 50) / 40 × 5 = 1.399
        "management_rules": "4.00",  # two of three
        "funds_compliance": "3.00",  # two cases × 1
        "balance_control": "2.00",  # 800 ≤ 1200 carried over
        "task_completion_rate": "19.00",  # 38/40
        "timeliness_rate": "8.00",  # 87.5% in [80, 90)
        "social_benefit": "9.50",  # judged 显著
        "satisfaction_rate": "10.00",  # 92.5% ≥ 90
    }
    assert {row.id: str(row.points) for row in result.indicators} == expected
    assert str(result.total) == "79.4"
    assert result.grade == "中"


def test_project_example_reverse_row_by_hand() -> None:
    unit = scoring.load_unit(ROOT / "examples" / "cn-project-employment-training.yaml")
    result = scoring.evaluate(unit.indicator_set, unit)
    assert str(result.indicator("output_cost").points) == "9.38"  # 2400 / 2560 × 10 = 9.375
    assert result.indicator("benefit_ecological").status == "not_applicable"
    assert result.attainable == 95
    assert str(result.total) == "94.6"  # 89.90 × 100 / 95 = 94.63
    assert result.grade == "优"


def test_project_set_has_the_form_parts() -> None:
    indicator_set = scoring.load_set(ROOT / "indicators" / "cn-project-self-evaluation.yaml")
    top = {
        group.path: sum(indicator_set.indicator(i).weight for i in group.members)
        for group in indicator_set.groups
        if group.depth == 0
    }
    assert sorted(top.values()) == [10, 10, 30, 50]
    assert indicator_set.spec.not_applicable == "rescale"


def test_supplier_example_is_general() -> None:
    unit = scoring.load_unit(ROOT / "examples" / "supplier-acme.yaml")
    result = scoring.evaluate(unit.indicator_set, unit)
    assert result.maximum == 1000
    assert unit.indicator_set.rounding.mode == "half_even"
    assert result.row_sum == Decimal("694.5")
    assert str(result.total) == "694"  # 694.5 half-even → 694
    assert result.grade == "C"


def test_project_published_table_with_rescaled_row_reproduces(tmp_path: Path) -> None:
    """A group printing its full weight (a rescaled N/A row included) is not a weight error."""
    source = ROOT / "examples" / "cn-project-employment-training.yaml"
    unit = scoring.load_unit(source)
    result = scoring.evaluate(unit.indicator_set, unit)
    rows = {row.id: {"points": row.points, "weight": row.weight} for row in result.indicators if row.counted}
    groups = {g.path: g.points for g in result.groups if g.points is not None}
    data = {**unit.spec.model_dump(exclude_none=True), "set": None}
    data["published"] = {"total": result.total, "grade": result.grade, "indicators": rows, "groups": groups}
    data["published"]["groups"]["效益指标"] = {"points": groups["效益指标"], "weight": Decimal(30)}
    published = scoring.unit_from_mapping(data, unit.indicator_set)
    outcome = scoring.reproduce(unit.indicator_set, published)
    assert outcome.findings == ()
    assert outcome.ok


def test_the_targets_example_by_hand() -> None:
    """examples/project-targets.yaml: every met condition (text with a partial, a number each way, a date)
    and a two-sided deduct, each row as worked out by hand: 27.0 of 40, grade 中."""
    unit = scoring.load_unit(ROOT / "examples" / "project-targets.yaml")
    result = scoring.evaluate(unit.indicator_set, unit)
    rows = {row.id: (row.rule, str(row.points)) for row in result.indicators}
    assert rows == {
        "budget_execution": ("deduct", "9.00"),  # 95.9% is 2.1 under 98 (100 − 2): 2 whole steps × 0.5
        "training_done": ("met", "3.00"),  # 基本达成: the declared partial score
        "acceptance": ("met", "5.00"),  # 96.5 ≥ 95
        "on_schedule": ("met", "2.00"),  # 2023-01-20 is after 2022-12-31: otherwise 2
        "complaints": ("met", "5.00"),  # 1 ≤ 2
        "platform": ("cases", "3.00"),  # 已建成, not 已投用
    }
    assert {kind for kind, _ in rows.values()} | {
        kind for kind, _, _ in DEMO_ROWS.values()
    } == FORMAT_RULE_KINDS
    assert (str(result.total), result.grade) == ("27.0", "中")
