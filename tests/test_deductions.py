"""Reason codes: one unit's rows ranked by the points lost (against full marks or the cohort's median), the
most frequent deductions of a cohort, and ``scoring explain --top / --against median``."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring.analysis.cohort import Cohort, load_cohort
from scoring.analysis.deductions import deductions, frequent_deductions, row_medians
from scoring.cli import main
from scoring.report.deductions import deductions_csv, deductions_table, frequent_csv, frequent_table
from tests.helpers import set_text

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "examples" / "synthetic"
DEPT_07 = SYNTHETIC / "dept-07.yaml"
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"

BANDS = {"bands": {"bands": [{"from": 0, "below": 1, "points": 0}, {"from": 1, "upto": 100, "points": 1}]}}


def small_cohort(points: list[dict[str, Any]], mode: str = "half_up") -> Cohort:
    """Three rows of weight 2 scored as ``linear`` on 0–100, so a row's points are its value / 50."""
    linear = {"linear": {"zero_at": 0, "full_at": 100}}
    text = set_text(
        [{"id": key, "weight": 2, "formula": key, "rule": linear} for key in ("a", "b", "c")],
        rounding={"places": 2, "total_places": 1, "mode": mode},
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    units = tuple(
        scoring.unit_from_mapping({"unit": f"u{i}", "values": values}, indicator_set, f"u{i}")
        for i, values in enumerate(points)
    )
    return Cohort(indicator_set, units)


def test_rows_ranked_by_points_lost_against_full_marks() -> None:
    unit = scoring.load_unit(DEPT_07)
    result = scoring.evaluate(unit.indicator_set, unit)
    report = deductions(unit.indicator_set, result, top=3)
    top = [(row.rank, row.id, row.points, row.lost) for row in report.deductions]
    assert top == [
        (1, "building_area_control", D("1.50"), D("3.50")),
        (2, "investment_estimate_control", D("3.50"), D("1.50")),
        (3, "basic_information", D("5.60"), D("1.40")),
    ]
    assert report.deductions[0].outcome == "7.3749 over 100; 7 whole steps of 1 × 0.5 = −3.5"
    assert report.rows_losing == 9 and len(report.ranked) == 9
    assert report.lost_in_all == D("10.29")  # every row, not only the 3 shown


@pytest.mark.parametrize("path", sorted(SYNTHETIC.glob("*.yaml")), ids=lambda p: p.name)
def test_the_points_lost_add_up_to_what_the_total_misses(path: Path) -> None:
    unit = scoring.load_unit(path)
    result = scoring.evaluate(unit.indicator_set, unit)
    report = deductions(unit.indicator_set, result)
    assert report.lost_in_all == result.attainable - result.row_sum
    losses = [row.lost for row in report.ranked]
    assert losses == sorted(losses, reverse=True) and all(lost > 0 for lost in losses)
    order = [row.id for row in unit.indicator_set.indicators]
    for first, second in zip(report.ranked, report.ranked[1:], strict=False):
        if first.lost == second.lost:  # ties in the set's order
            assert order.index(first.id) < order.index(second.id)


def test_median_of_an_even_cohort_is_rounded_as_the_set_declares() -> None:
    # a: 0.50, 0.55 → median 0.525; b: 2 every time; c: 1.00, 1.20 → 1.10
    values = [{"a": 25, "b": 100, "c": 50}, {"a": D("27.5"), "b": 100, "c": 60}]
    half_up = small_cohort(values)
    assert row_medians(half_up.indicator_set, half_up.evaluate()) == {
        "a": D("0.53"),
        "b": D(2),
        "c": D("1.10"),
    }
    half_even = small_cohort(values, "half_even")
    assert row_medians(half_even.indicator_set, half_even.evaluate())["a"] == D("0.52")


def test_against_the_median_lists_only_rows_below_it() -> None:
    cohort = small_cohort(
        [{"a": 25, "b": 100, "c": 50}, {"a": 50, "b": 90, "c": 60}, {"a": 75, "b": 80, "c": 10}]
    )
    results = cohort.evaluate()
    # medians: a 1.00, b 1.80, c 1.00; unit 0 has a 0.50, b 2.00, c 1.00
    report = deductions(cohort.indicator_set, results[0], results, against="median")
    assert [(row.id, row.reference, row.points, row.lost) for row in report.ranked] == [
        ("a", D("1.00"), D("0.50"), D("0.50"))
    ]
    full = deductions(cohort.indicator_set, results[0])
    assert [(row.id, row.lost) for row in full.ranked] == [("a", D("1.50")), ("c", D("1.00"))]
    assert report.cohort_units == 3 and full.cohort_units is None


def test_ids_restrict_the_rows_and_bad_arguments_are_option_errors() -> None:
    cohort = small_cohort([{"a": 25, "b": 10, "c": 50}])
    indicator_set, result = cohort.indicator_set, cohort.evaluate()[0]
    assert [row.id for row in deductions(indicator_set, result, ids=["c"]).ranked] == ["c"]
    for kwargs, code in [
        ({"ids": ["nope"]}, "unknown-indicator"),
        ({"top": 0}, "option"),
        ({"against": "median"}, "option"),
    ]:
        with pytest.raises(scoring.OptionError) as caught:
            deductions(indicator_set, result, **kwargs)
        assert [p.code for p in caught.value.problems] == [code]
    other = load_cohort([SYNTHETIC]).evaluate()
    with pytest.raises(scoring.OptionError) as caught:
        deductions(indicator_set, result, other, against="median")
    assert caught.value.problems[0].code == "different-set"


def test_frequent_deductions_count_and_average_the_points_lost() -> None:
    cohort = small_cohort(
        [{"a": 25, "b": 100, "c": 50}, {"a": 50, "b": 100, "c": 100}, {"a": 100, "b": 90, "c": 0}]
    )
    rows = {row.id: row for row in frequent_deductions(cohort.indicator_set, cohort.evaluate())}
    # a loses 1.50 and 1.00; b 0.20; c 1.00 and 2.00
    assert (rows["a"].units, rows["a"].units_losing, rows["a"].total_lost) == (3, 2, D("2.50"))
    assert rows["a"].mean_lost == D("0.83") and rows["a"].mean_lost_when_lost == D("1.25")
    assert (rows["b"].units_losing, rows["b"].total_lost, rows["b"].mean_lost) == (1, D("0.20"), D("0.07"))
    order = [row.id for row in frequent_deductions(cohort.indicator_set, cohort.evaluate())]
    assert order == ["c", "a", "b"]  # 2 units each: c lost more; then b (1 unit)


def test_frequent_deductions_of_the_synthetic_cohort_render() -> None:
    cohort = load_cohort([SYNTHETIC])
    results = cohort.evaluate()
    rows = frequent_deductions(cohort.indicator_set, results)
    assert len(rows) == len(cohort.indicator_set.indicators)
    total = sum((row.total_lost for row in rows), D(0))
    assert total == sum((r.attainable - r.row_sum for r in results), D(0))
    text = frequent_table(rows, len(results), cohort.indicator_set.rounding.places)
    assert text.startswith("Most frequent deductions over 24 units")
    assert rows[0].id in text.splitlines()[4]
    parsed = list(csv.DictReader(io.StringIO(frequent_csv(rows, 2))))
    assert len(parsed) == len(rows) and D(parsed[0]["units_losing"]) == rows[0].units_losing


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["explain", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_top_and_against_median(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(DEPT_07), "--top", "2")
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "示例省信访局（虚构） — the 2 rows that lost most points, against full marks (total 89.7 of 100, 良)"
    )
    assert lines[4].split()[:6] == [
        "1",
        "building_area_control",
        "楼堂馆所面积控制率",
        "5.00",
        "1.50",
        "3.50",
    ]
    assert lines[-1] == "9 rows lost 10.29 points in all (2 shown)."
    code, out, _ = run(capsys, str(DEPT_07), "--top", "2", "--against", "median", str(SYNTHETIC))
    assert code == 0 and "against the median of 24 units" in out
    assert out.splitlines()[2].split()[:7] == [
        "#",
        "indicator",
        "label",
        "weight",
        "median",
        "points",
        "lost",
    ]


def test_cli_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(DEPT_07), "--against", "median", str(SYNTHETIC), "--format", "json")
    data = json.loads(out, parse_float=D)
    assert code == 0 and data["against"] == "median" and data["cohort_units"] == 24
    assert data["deductions"][2] == {
        "rank": 3, "id": "basic_information", "label": "基础信息完善性", "group": "过程/预算管理",
        "status": "judged", "weight": 7, "reference": D("5.65"), "points": D("5.6"), "lost": D("0.05"),
        "outcome": "judged '好' (5.6–7): 5.6 — 基础数据与财务、业务系统数据一致，支出凭证齐全。",
    }  # fmt: skip
    code, out, _ = run(capsys, str(DEPT_07), "--top", "3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [row["id"] for row in rows] == [
        "building_area_control", "investment_estimate_control", "basic_information"
    ]  # fmt: skip
    assert rows[0]["lost"] == "3.50" and rows[0]["against"] == "full"
    code, out, _ = run(capsys, str(DEPT_07), "--top", "1", "--format", "csv", "--excel")
    assert code == 0 and out.startswith("\ufeffrank,unit,against,")


def test_cli_median_over_a_table_equals_the_median_over_the_files(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")
    table = SYNTHETIC / "departments.csv"
    _, from_table, _ = run(
        capsys, str(DEPT_07), "--against", "median", str(HUNAN), str(table), "--format", "json"
    )
    _, from_files, _ = run(capsys, str(DEPT_07), "--against", "median", str(SYNTHETIC), "--format", "json")
    assert json.loads(from_table)["deductions"] == json.loads(from_files)["deductions"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--against", "mean", str(SYNTHETIC)], "--against takes 'median'"),
        (["--against", "median"], "--against takes 'median'"),
        (["--format", "json"], "--format json or csv applies to --top or --against"),
    ],
)
def test_cli_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(capsys, str(DEPT_07), *args)
    assert code == 2 and message in err


def test_cli_top_must_be_a_positive_whole_number(capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("0", "-1", "x"):
        with pytest.raises(SystemExit) as caught:
            main(["explain", str(DEPT_07), "--top", value])
        assert caught.value.code == 2 and "--top" in capsys.readouterr().err


def test_cli_unknown_rows_are_named_not_ranked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ROOT / "examples" / "hunan-hrss-2019.yaml"), "--top", "5")
    assert code == 0
    assert "(total 49.6 to 92.0 of 100)" in out.splitlines()[0]
    assert out.splitlines()[-1].startswith("Unknown rows, not ranked: budget_control_rate, ")


def test_text_and_csv_cells_are_made_safe() -> None:
    cohort = small_cohort([])
    name = "=cmd|evil\x1b[2J"
    unit = scoring.unit_from_mapping(
        {"unit": name, "values": {"a": 25, "b": 100, "c": 100}}, cohort.indicator_set
    )
    report = deductions(cohort.indicator_set, scoring.evaluate(cohort.indicator_set, unit))
    assert "\x1b" not in deductions_table(report) and "=cmd|evil\\x1b[2J" in deductions_table(report)
    assert ",'=cmd|evil\\x1b[2J," in deductions_csv(report)


def test_no_row_lost_points() -> None:
    cohort = small_cohort([{"a": 100, "b": 100, "c": 100}])
    report = deductions(cohort.indicator_set, cohort.evaluate()[0])
    assert report.ranked == () and report.lost_in_all == 0
    assert deductions_table(report).splitlines()[2] == "No row lost points: full marks on every row scored."


def test_docs_examples_are_real_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/explain.md: each full example is the command's output as it is, and the Python block runs."""
    import re

    text = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")
    monkeypatch.chdir(ROOT)
    examples = re.findall(r"^\$ scoring (explain .*?)\n(.*?)(?=^\$ |^```)", text, re.MULTILINE | re.DOTALL)
    assert len(examples) == 2
    for command, shown in examples:
        assert main(command.split()) == 0
        assert capsys.readouterr().out == shown
    (block,) = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/explain.md python block", "exec"), namespace)
    assert namespace["report"].lost_in_all == D("10.29") and len(namespace["frequent"]) == 21
