"""Weight changes and the before/after comparison of many units."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

import scoring
from scoring.analysis.cohort import Cohort, load_cohort, ranks, spearman
from scoring.analysis.reweight import (
    WeightChange,
    apportion,
    load_weight_file,
    parse_weight,
    reweight,
    weights_of,
)
from scoring.analysis.tune import tune
from scoring.cli import main
from tests.helpers import set_text

LINEAR = {"linear": {"zero_at": 0, "full_at": 100}}


def cohort_of(values: list[dict[str, int]], **top: object) -> Cohort:
    text = set_text(
        [
            {"id": "a", "group": "G", "weight": 40, "formula": "a", "rule": LINEAR},
            {"id": "b", "group": "G", "weight": 20, "formula": "b", "rule": LINEAR},
            {"id": "c", "weight": 40, "formula": "c", "rule": LINEAR},
        ],
        inputs={"a": {}, "b": {}, "c": {}},
        **top,
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    units = tuple(
        scoring.unit_from_mapping({"unit": f"u{i}", "values": v}, indicator_set, f"u{i}")
        for i, v in enumerate(values)
    )
    return Cohort(indicator_set, units)


COHORT_VALUES = [{"a": 95, "b": 60, "c": 88}, {"a": 70, "b": 100, "c": 92}, {"a": 85, "b": 85, "c": 85}]


def test_parse_weight() -> None:
    assert parse_weight("staff_control_rate=8") == WeightChange("staff_control_rate", D("8"))
    assert parse_weight(" 过程/预算执行 = 25 ") == WeightChange("过程/预算执行", D("25"))
    for bad in ("nope", "=3", "x=abc", "x=inf"):
        with pytest.raises(scoring.DefinitionError):
            parse_weight(bad)


def test_apportion_is_exact_and_largest_remainder() -> None:
    shares = {"x": D(10) / 3, "y": D(10) / 3, "z": D(10) / 3}
    assert apportion(shares, D(10), 2) == {"x": D("3.34"), "y": D("3.33"), "z": D("3.33")}
    assert sum(apportion({"p": D("4.6875"), "q": D("4.6875"), "r": D("0.625")}, D(10), 2).values()) == 10


def test_same_weights_change_nothing() -> None:
    cohort = cohort_of(COHORT_VALUES)
    same = reweight(
        cohort.indicator_set, [WeightChange(k, v) for k, v in weights_of(cohort.indicator_set).items()]
    )
    assert same == cohort.indicator_set
    for before, after in zip(cohort.evaluate(), cohort.evaluate(same), strict=True):
        assert before.to_json() == after.to_json()
    report = tune(cohort, [WeightChange("a", D(40))])
    assert report.grade_changes == 0 and all(u.rank_move == 0 and u.before == u.after for u in report.units)


def test_group_weight_equals_member_weights() -> None:
    cohort = cohort_of(COHORT_VALUES)
    by_group = reweight(cohort.indicator_set, [WeightChange("G", D(45))])
    by_members = reweight(cohort.indicator_set, [WeightChange("a", D(30)), WeightChange("b", D(15))])
    assert weights_of(by_group) == weights_of(by_members) == {"a": D(30), "b": D(15), "c": D(55)}
    for one, other in zip(cohort.evaluate(by_group), cohort.evaluate(by_members), strict=True):
        assert one.total == other.total and one.grade == other.grade


def test_proportional_keeps_the_total_and_none_grades_on_percentage() -> None:
    cohort = cohort_of(COHORT_VALUES)
    kept = reweight(cohort.indicator_set, [WeightChange("c", D(60))])
    assert kept.total == 100 and weights_of(kept) == {"a": D("26.67"), "b": D("13.33"), "c": D(60)}
    grown = reweight(cohort.indicator_set, [WeightChange("c", D(60))], "none")
    assert grown.total == 120
    result = scoring.evaluate(grown, cohort.units[0])
    # a 95% of 40, b 60% of 20, c 88% of 60: 38 + 12 + 52.8 = 102.8 of 120 = 85.67% → 良 on the percentage
    assert result.total == D("102.8") and result.grade == "良"


def test_rule_points_scale_with_the_weight() -> None:
    bands = {"bands": [{"from": 90, "points": 8}, {"below": 90, "points": 2}]}
    text = set_text(
        [
            {"id": "r", "weight": 10, "formula": "x", "rule": bands},
            {"id": "s", "weight": 90, "formula": "x", "rule": LINEAR},
        ]
    )
    s = scoring.parse_set(text)
    heavier = reweight(s, [WeightChange("r", D(20))])
    assert scoring.evaluate(heavier, {"values": {"x": 95}}).indicator("r").points == D(
        "16.00"
    )  # 8 of 10 → 16 of 20


def test_reweight_problems_reported_together() -> None:
    cohort = cohort_of(COHORT_VALUES)
    with pytest.raises(scoring.DefinitionError) as info:
        reweight(
            cohort.indicator_set,
            [
                WeightChange("aa", D(5)),
                WeightChange("b", D(-1)),
                WeightChange("G", D(10)),
                WeightChange("a", D(5)),
            ],
        )
    codes = [p.code for p in info.value.problems]
    assert codes == ["unknown-target", "weight", "weight-twice"]
    assert info.value.problems[0].hint == "did you mean 'a'?"
    with pytest.raises(scoring.DefinitionError, match="leaving nothing"):
        reweight(cohort.indicator_set, [WeightChange("a", D(100))])
    with pytest.raises(scoring.DefinitionError, match=r"more decimals than rounding\.places"):
        reweight(cohort.indicator_set, [WeightChange("a", D("40.123"))], "none")


def test_weights_file(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("weights: {a: 30, G: 45}\nrescale: none\n", encoding="utf-8")
    changes, rescale = load_weight_file(path)
    assert changes == [WeightChange("a", D(30)), WeightChange("G", D(45))] and rescale == "none"
    path.write_text("weights: {a: x}\nrescal: none\n", encoding="utf-8")
    with pytest.raises(scoring.DefinitionError) as info:
        load_weight_file(path)
    assert {p.code for p in info.value.problems} == {"type", "unknown-key"}


def test_ranks_and_spearman() -> None:
    assert ranks([D(95), D(90), D(90), D(80)]) == [1, 2, 2, 4]
    assert spearman([D(1), D(2), D(3)], [D(10), D(20), D(30)]) == 1
    assert spearman([D(1), D(2), D(3)], [D(30), D(20), D(10)]) == -1
    assert spearman([D(1), D(1)], [D(1), D(2)]) is None


def test_tune_report_marks_changes() -> None:
    cohort = cohort_of(COHORT_VALUES)
    # before: u0 38 + 12 + 35.2 = 85.2 良; u1 28 + 20 + 36.8 = 84.8 良; u2 34 + 17 + 34 = 85.0 良
    report = tune(cohort, [WeightChange("b", D(50))])
    by_unit = {u.unit: u for u in report.units}
    assert [by_unit[n].before for n in ("u0", "u1", "u2")] == [D("85.2"), D("84.8"), D("85.0")]
    assert by_unit["u1"].after > by_unit["u0"].after  # b weighs more: u1 (b = 100) overtakes u0 (b = 60)
    assert by_unit["u1"].rank_move == 2 and by_unit["u0"].rank_move == -2
    assert report.largest_rank_moves == [by_unit["u0"], by_unit["u1"]]
    assert report.spearman == -1  # the order is reversed: u0, u2, u1 → u1, u2, u0


def test_tune_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = Path("examples/demo.yaml").resolve()
    second = tmp_path / "second.yaml"
    second.write_text(
        first.read_text(encoding="utf-8")
        .replace("set: ../indicators/demo.yaml", f"set: {Path('indicators/demo.yaml').resolve()}")
        .replace("unit: 示例部门", "unit: 示例部门二")
        .replace("satisfaction: 92.5", "satisfaction: 85"),
        encoding="utf-8",
    )
    assert (
        main(
            [
                "tune",
                str(first),
                str(second),
                "--weight",
                "satisfaction_rate=20",
                "--weight",
                "staff_control_rate=2",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "satisfaction_rate  社会公众或服务对象满意度: 10 → 20" in out
    assert "中 → 良 *" in out
    assert "Summary: 2 units; 1 change grade" in out
    assert (
        main(["tune", str(first), str(second), "--weight", "satisfaction_rate=20", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["grade_changes"] == 1 and len(data["units"]) == 2
    assert main(["tune", str(first), "--weight", "satisfaction_rate=20", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("unit,total_before,total_after")
    assert main(["tune", str(first), "--weight", "nope=3"]) == 2  # a bad option value is a usage error
    assert "no indicator or group 'nope'" in capsys.readouterr().err
    assert main(["tune", str(first)]) == 2


def test_cohort_problems_reported_together(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("set: ../nowhere.yaml\n", encoding="utf-8")
    with pytest.raises(scoring.ScoringError):
        load_cohort([bad])
    with pytest.raises(scoring.DataError, match="two files hold unit"):
        load_cohort(["examples/demo.yaml", "examples/demo.yaml"])
    with pytest.raises(scoring.DataError, match="uses set"):
        load_cohort(["examples/demo.yaml", "examples/supplier-acme.yaml"])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["weights"], "Nominal"),
        (["margins"], "grade"),
        (["sensitivity", "--delta", "2"], "One-at-a-time"),
        (["montecarlo", "-n", "200", "--seed", "3", "--no-progress"], "Monte Carlo"),
    ],
)
def test_analysis_commands(command: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    units = [
        "examples/synthetic/dept-01.yaml",
        "examples/synthetic/dept-02.yaml",
        "examples/synthetic/dept-03.yaml",
    ]
    assert main([command[0], *units, *command[1:]]) == 0
    assert expected in capsys.readouterr().out
    assert main([command[0], *units, *command[1:], "--format", "json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict)
    assert main([command[0], *units, *command[1:], "--format", "csv"]) == 0
    assert "," in capsys.readouterr().out.splitlines()[0]


def test_analysis_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    units = ["examples/synthetic/dept-01.yaml"]
    assert main(["montecarlo", *units, "--spread", "abc", "--no-progress"]) == 2
    assert main(["margins", *units, "--places", "x"]) == 2
    assert main(["margins", *units, "--places", "no_such_input=2"]) == 2
    assert main(["sensitivity", *units, "--delta", "1", "--set", "indicators/demo.yaml"]) == 1


def test_outcome_says_when_rule_points_were_scaled() -> None:
    cohort = cohort_of(COHORT_VALUES)
    heavier = reweight(cohort.indicator_set, [WeightChange("c", D(60))])
    row = scoring.evaluate(heavier, cohort.units[0]).indicator("c")
    assert "points at the rule's weight 40, scaled to 60" in row.outcome
    assert "scaled" not in scoring.evaluate(cohort.indicator_set, cohort.units[0]).indicator("c").outcome
