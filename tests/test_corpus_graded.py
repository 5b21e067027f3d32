"""The corpus cases found for their printed total score (and, where the source prints one, a grade): four
project tables in examples/published/, listed in EXPECTED. Each case's outcome is pinned — the verdict, the
status of every published figure, and the findings by (source, check, subject) — and a few perturbations show
that the checks the cases rest on would catch a printed figure that does not follow.

The files' header comments say why each outcome is what it is.
"""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

import scoring
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "examples" / "published"

Figures = dict[tuple[str, str], str]


def reproduced(*rows: str) -> Figures:
    return {("indicator", row): "reproduced" for row in rows}


#: case → (verdict, every published figure's status by (kind, subject), findings as (source, check, subject)).
EXPECTED: dict[str, tuple[str, Figures, set[tuple[str, str, str]]]] = {
    # 上海 普陀 2022: rows and 总分 98.62 follow; the printed 执行率 86.19% does not (215457.6 / 250000 = 86.18%)
    "project-shanghai-putuo-2022-jiesuan": (
        "not_reproduced",
        {
            ("total", "total"): "reproduced",
            **reproduced(
                "budget_execution",
                "settlement_rate",
                "clause_rate",
                "settlement_timeliness",
                "contract_rate",
                "venue_satisfaction",
            ),
            ("value", "execution_rate"): "not_reproduced",
        },
        {("audit", "value", "execution_rate")},
    ),
    # 中江县 2022: rows printed with 分值 adding up to 110, all at full marks; the 总分 line prints 100
    "project-sichuan-zhongjiang-2022-shuibiaochi": (
        "not_reproduced",
        {
            ("total", "total"): "not_reproduced",
            **reproduced(
                "budget_execution",
                "gauge_length",
                "gauge_width",
                "acceptance",
                "start_on_time",
                "finish_on_time",
                "planned_investment",
                "beneficiaries",
                "living_conditions",
                "satisfaction",
            ),
            ("value", "execution_rate"): "reproduced",
        },
        {("reproduction", "total", "total"), ("audit", "total-sum", "total")},
    ),
    # 达州 2021: 自评得分 92.45 and 综合评价结果 优 printed, the table itself not stored
    "project-sichuan-dazhou-2021-feiyi": (
        "consistent",
        {
            ("total", "total"): "consistent",
            ("grade", "grade"): "consistent",
            ("value", "key_project_usage_rate"): "reproduced",
        },
        set(),
    ),
    # 广水 2021: 自评总分 95; the stored rows give 30 of 30, the 70 points not stored must give 65
    "project-hubei-guangshui-2021-xiangcun": (
        "consistent",
        {
            ("total", "total"): "consistent",
            **reproduced(
                "decision_basis", "finance_rules", "organisation", "monitoring", "goal_filing", "road_length"
            ),
            ("value", "execution_rate"): "reproduced",
        },
        set(),
    ),
}


def outcome_of(path: Path) -> scoring.Reproduction:
    unit = scoring.load_unit(path)
    return scoring.reproduce(unit.indicator_set, unit)


def findings_of(outcome: scoring.Reproduction) -> set[tuple[str, str, str]]:
    return {(f.source, f.check, f.subject) for f in outcome.findings}


def copy_case(tmp_path: Path, case: str) -> Path:
    """The case's set and unit files, copied to ``tmp_path`` (so a test can change a figure)."""
    shutil.copy(PUBLISHED / f"{case}.set.yaml", tmp_path / f"{case}.set.yaml")
    return Path(shutil.copy(PUBLISHED / f"{case}.yaml", tmp_path / f"{case}.yaml"))


def edited(tmp_path: Path, case: str, old: str, new: str) -> scoring.Reproduction:
    """The case's outcome with one printed figure changed in its unit file."""
    unit_file = copy_case(tmp_path, case)
    text = unit_file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    unit_file.write_text(text.replace(old, new), encoding="utf-8")
    return outcome_of(unit_file)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_outcome(case: str) -> None:
    verdict, figures, findings = EXPECTED[case]
    outcome = outcome_of(PUBLISHED / f"{case}.yaml")
    assert {(figure.kind, figure.subject): figure.status for figure in outcome.figures} == figures
    assert outcome.verdict == verdict
    assert findings_of(outcome) == findings


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_case_prints_a_total(case: str) -> None:
    outcome = outcome_of(PUBLISHED / f"{case}.yaml")
    assert outcome.figure("total", "total") is not None


def test_the_exit_code_follows_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    """No case is both reproduced and clean, so `scoring reproduce` exits 1 on each."""
    for case in EXPECTED:
        assert main(["reproduce", str(PUBLISHED / f"{case}.yaml")]) == 1
    capsys.readouterr()


# --- 上海 普陀 2022 ---------------------------------------------------------------------------------------------


def test_putuo_total_is_the_budget_points_plus_full_rows() -> None:
    outcome = outcome_of(PUBLISHED / "project-shanghai-putuo-2022-jiesuan.yaml")
    execution = outcome.result.indicator("budget_execution")
    assert isinstance(execution.value, D) and execution.value == D("86.18304")  # 215457.6 / 250000
    assert execution.points == D("8.62")
    assert outcome.result.total == D("98.62")
    assert outcome.result.grade == "优"  # on the declared usual bands; the table prints no grade


def test_putuo_the_rate_its_own_figures_give_would_be_reproduced(tmp_path: Path) -> None:
    outcome = edited(
        tmp_path,
        "project-shanghai-putuo-2022-jiesuan",
        "execution_rate: 86.19 ",
        "execution_rate: 86.18 ",
    )
    assert outcome.verdict == "reproduced"
    assert findings_of(outcome) == set()


def test_putuo_a_late_settlement_would_take_the_row_and_the_total(tmp_path: Path) -> None:
    outcome = edited(
        tmp_path,
        "project-shanghai-putuo-2022-jiesuan",
        "settlement_timing: 及时 ",
        "settlement_timing: 滞后 ",
    )
    assert outcome.result.indicator("settlement_timeliness").points == D("0.00")
    assert {
        ("reproduction", "row", "settlement_timeliness"),
        ("reproduction", "total", "total"),
    } <= findings_of(outcome)


def test_putuo_sub_lines_that_do_not_add_up_would_be_found(tmp_path: Path) -> None:
    outcome = edited(
        tmp_path,
        "project-shanghai-putuo-2022-jiesuan",
        "carryover_spent: 0\n",
        "carryover_spent: 100\n",
    )
    assert ("audit", "sum", "total_spent") in findings_of(outcome)


# --- 中江县 2022 -------------------------------------------------------------------------------------------------


def test_zhongjiang_rows_add_up_to_110_of_110() -> None:
    outcome = outcome_of(PUBLISHED / "project-sichuan-zhongjiang-2022-shuibiaochi.yaml")
    assert outcome.result.total == D("110.00")
    assert outcome.result.grade == "优"  # 110 of 110 read on the 100-point bands
    difference = next(f for f in outcome.findings if f.check == "total")
    assert (difference.computed, difference.published) == (D("110.00"), D("100"))


def test_zhongjiang_the_printed_total_is_the_indicator_rows_without_the_budget_row(tmp_path: Path) -> None:
    """Were the budget row printed at 0 points, the rows would add up to the printed 100."""
    case = "project-sichuan-zhongjiang-2022-shuibiaochi"
    outcome = edited(
        tmp_path,
        case,
        "budget_execution: {points: 10, weight: 10}",
        "budget_execution: {points: 0, weight: 10}",
    )
    assert ("audit", "total-sum", "total") not in findings_of(outcome)
    assert ("reproduction", "row", "budget_execution") in findings_of(outcome)


def test_zhongjiang_a_judged_row_outside_its_tier_is_refused(tmp_path: Path) -> None:
    case = "project-sichuan-zhongjiang-2022-shuibiaochi"
    unit_file = copy_case(tmp_path, case)
    text = unit_file.read_text(encoding="utf-8")
    old = "  gauge_length:\n    tier: 100%–80%\n    points: 10\n"
    assert text.count(old) == 1
    unit_file.write_text(text.replace(old, "  gauge_length:\n    tier: 100%–80%\n    points: 7\n"), "utf-8")
    with pytest.raises(scoring.DataError):
        scoring.load_unit(unit_file)


# --- 达州 2021 ---------------------------------------------------------------------------------------------------


def test_dazhou_the_printed_grade_agrees_with_the_printed_total() -> None:
    outcome = outcome_of(PUBLISHED / "project-sichuan-dazhou-2021-feiyi.yaml")
    assert outcome.attainable is True
    assert outcome.required_unknown == (D("92.45"), D("92.45"))
    assert outcome.result.total_range == (D("0.00"), D("100.00"))
    rate = outcome.figure("key_project_usage_rate", "value")
    assert rate is not None and rate.status == "reproduced"


def test_dazhou_a_grade_out_of_the_totals_band_would_be_found(tmp_path: Path) -> None:
    outcome = edited(tmp_path, "project-sichuan-dazhou-2021-feiyi", "grade: 优 ", "grade: 良 ")
    assert ("audit", "grade-band", "grade") in findings_of(outcome)


def test_dazhou_allocations_that_do_not_add_up_would_be_found(tmp_path: Path) -> None:
    outcome = edited(tmp_path, "project-sichuan-dazhou-2021-feiyi", "total_funds: 42 ", "total_funds: 44 ")
    assert ("audit", "sum", "total_funds") in findings_of(outcome)


# --- 广水 2021 ---------------------------------------------------------------------------------------------------


def test_guangshui_the_rows_not_stored_must_give_65_of_their_70() -> None:
    outcome = outcome_of(PUBLISHED / "project-hubei-guangshui-2021-xiangcun.yaml")
    assert outcome.result.total_range == (D("30.0"), D("100.0"))
    assert outcome.attainable is True
    assert outcome.required_unknown == (D("64.95"), D("65.04"))


def test_guangshui_a_total_above_the_reach_of_the_rows_would_be_out_of_reach(tmp_path: Path) -> None:
    outcome = edited(
        tmp_path, "project-hubei-guangshui-2021-xiangcun", "road_km: 300 ", "road_km: 200 "
    )  # 数量指标 10 of 15: the rows can then reach 95 at most, and the printed 95 needs every unknown row full
    assert outcome.attainable is True
    assert ("reproduction", "row", "road_length") in findings_of(outcome)
    outcome = edited(tmp_path, "project-hubei-guangshui-2021-xiangcun", "road_km: 300 ", "road_km: 150 ")
    assert outcome.attainable is False
    assert ("reproduction", "attainable", "total") in findings_of(outcome)
