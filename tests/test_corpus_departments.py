"""The corpus of real published 部门整体支出 tables (examples/published/department-*.yaml): each case's outcome pinned.

For every case: which published figures match the computed ones (``Reproduction.matched``) and which findings
the reproduction and the audit report (by check and subject). The files' header comments say why each outcome
is what it is. A few perturbations show that the audit would catch a printed figure that does not follow.
"""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

import scoring

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "examples" / "published"

#: case → (subjects matched, findings as (source, check, subject)).
EXPECTED: dict[str, tuple[set[str], set[tuple[str, str, str]]]] = {
    # total 97.6 attainable with the 20 points not stored at full marks; every printed row reproduced
    "department-chongqing-2021-rongmeiti": (
        {
            "total attainable",
            "execution",
            "staff_control",
            "sangong_change",
            "basic_info",
            "budget_completion",
            "budget_adjustment",
            "carryover",
            "public_funds",
            "sangong_control",
            "procurement",
            "rules",
            "funds_compliance",
            "disclosure",
            "asset_safety",
            "fixed_assets",
            "party_training",
            "campaigns",
            "publicity_items",
            "articles",
            "service_capacity",
        },
        set(),
    ),
    # eight met rows reproduced; the printed 执行率 values are checked apart (see below)
    "department-anhui-jinzhai-2023-chagu": (
        {
            "model_villages_row",
            "livable_villages_row",
            "toilets_row",
            "central_villages_row",
            "village_pass_row",
            "toilet_pass_row",
            "village_check_row",
            "toilet_check_row",
        },
        set(),
    ),
    # rows printed with points only: each within its range, none determined
    "department-anhui-shouxian-2023-guihua": (
        {"basic_info", "plan_completeness", "plan_clarity", "goal_reasonableness", "goal_clarity"},
        set(),
    ),
    "department-guangdong-zhanjiang-undated-pingfenbiao": (
        {"team", "timeliness", "quality", "goal_submission"},
        set(),
    ),
    # computed rows from the 基础数据表's figures; the printed rates are checked apart (see below)
    "department-unnamed-2018-jichushuju": ({"staff_control", "sangong_change", "budget_completion"}, set()),
    # six judged rows as printed; total 90 attainable with the 22 rows not stored
    "department-unnamed-2017-defenbiao": (
        {
            "total attainable",
            "relevance",
            "clarity",
            "reasonableness",
            "estimate_basis",
            "goal_management",
            "provincial_allocation",
        },
        set(),
    ),
}


def outcome_of(path: Path) -> scoring.Reproduction:
    unit = scoring.load_unit(path)
    return scoring.reproduce(unit.indicator_set, unit)


def findings_of(outcome: scoring.Reproduction) -> set[tuple[str, str, str]]:
    return {(f.source, f.check, f.subject) for f in outcome.findings}


def test_every_case_pinned_here_exists() -> None:
    # cases are pinned across several files; tests/test_corpus.py checks that each one is pinned somewhere
    cases = {path.name.removesuffix(".yaml") for path in PUBLISHED.glob("department-*.yaml")}
    assert set(EXPECTED) <= {case for case in cases if not case.endswith(".set")}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_outcome(case: str) -> None:
    matched, findings = EXPECTED[case]
    outcome = outcome_of(PUBLISHED / f"{case}.yaml")
    assert set(outcome.matched) == matched
    assert findings_of(outcome) == findings


#: case → (verdict, the status of each published figure other than reproduced ones: (kind, subject) → status).
STATUSES: dict[str, tuple[str, dict[tuple[str, str], str]]] = {
    "department-chongqing-2021-rongmeiti": ("consistent", {("total", "total"): "consistent"}),
    "department-anhui-jinzhai-2023-chagu": ("reproduced", {}),
    "department-anhui-shouxian-2023-guihua": (
        "consistent",
        {
            ("indicator", row): "consistent"
            for row in (
                "basic_info",
                "plan_completeness",
                "plan_clarity",
                "goal_reasonableness",
                "goal_clarity",
            )
        },
    ),
    "department-guangdong-zhanjiang-undated-pingfenbiao": (
        "consistent",
        {("indicator", row): "consistent" for row in ("team", "timeliness", "quality", "goal_submission")},
    ),
    "department-unnamed-2017-defenbiao": ("consistent", {("total", "total"): "consistent"}),
    "department-unnamed-2018-jichushuju": ("reproduced", {}),
}


@pytest.mark.parametrize("case", sorted(STATUSES))
def test_figure_statuses(case: str) -> None:
    """Every published figure's status: reproduced unless listed; the case's verdict follows from them."""
    verdict, others = STATUSES[case]
    outcome = outcome_of(PUBLISHED / f"{case}.yaml")
    statuses = {(figure.kind, figure.subject): figure.status for figure in outcome.figures}
    assert {key: status for key, status in statuses.items() if status != "reproduced"} == others
    assert outcome.verdict == verdict


def test_chongqing_total_needs_the_rows_not_stored_at_full_marks() -> None:
    outcome = outcome_of(PUBLISHED / "department-chongqing-2021-rongmeiti.yaml")
    assert outcome.result.total_range == (D("77.6"), D("97.6"))
    assert outcome.attainable is True
    assert outcome.required_unknown == (D("19.95"), D("20"))
    assert outcome.result.indicator("execution").points == D("7.60")  # 76% × 10


def test_chongqing_procurement_as_a_plain_ratio_would_put_97_6_out_of_reach(tmp_path: Path) -> None:
    """The header's note: scored as 完成值/指标值 (72.74%), 政府采购执行率 gives 1.45, and 97.6 is out of reach."""
    unit_file = copy_case(tmp_path, "department-chongqing-2021-rongmeiti")
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(text.replace("coef_procurement: 100 ", "coef_procurement: 72.74 "), encoding="utf-8")
    outcome = outcome_of(unit_file)
    assert outcome.result.total_range == (D("77.1"), D("97.1"))
    assert outcome.attainable is False
    assert ("reproduction", "row", "procurement") in findings_of(outcome)


def test_jinzhai_printed_execution_rates_follow_from_the_budget_lines() -> None:
    outcome = outcome_of(PUBLISHED / "department-anhui-jinzhai-2023-chagu.yaml")
    assert outcome.result.total == D("70.00")
    execution = outcome.result.indicator("execution")
    assert isinstance(execution.value, D) and round(execution.value, 2) == D("102.59")  # 338.31 / 329.77
    assert execution.points == D("10.00")


def test_jinzhai_a_wrong_printed_rate_would_be_found(tmp_path: Path) -> None:
    unit_file = copy_case(tmp_path, "department-anhui-jinzhai-2023-chagu")
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(text.replace("execution_rate: 102.59 ", "execution_rate: 102.69 "), encoding="utf-8")
    assert any(subject == "execution_rate" for _, _, subject in findings_of(outcome_of(unit_file)))


def test_jinzhai_an_unmet_target_scores_nothing(tmp_path: Path) -> None:
    unit_file = copy_case(tmp_path, "department-anhui-jinzhai-2023-chagu")
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(text.replace("livable_villages: 202 ", "livable_villages: 198 "), encoding="utf-8")
    outcome = outcome_of(unit_file)
    assert outcome.result.indicator("livable_villages_row").points == D("0.00")
    assert ("reproduction", "row", "livable_villages_row") in findings_of(outcome)


def test_unnamed_2017_total_needs_68_of_the_74_points_not_stored() -> None:
    outcome = outcome_of(PUBLISHED / "department-unnamed-2017-defenbiao.yaml")
    assert outcome.result.total_range == (D("22.0"), D("96.0"))
    assert outcome.attainable is True
    assert outcome.required_unknown == (D("67.95"), D("68.04"))


def test_unnamed_2018_printed_rates_follow_from_the_basic_data() -> None:
    outcome = outcome_of(PUBLISHED / "department-unnamed-2018-jichushuju.yaml")
    values = {figure.subject for figure in outcome.figures if figure.kind == "value"}
    assert values == {"staff_control_rate", "sangong_change_rate", "budget_completion_rate"}
    assert outcome.result.indicator("budget_control").points == D("0.00")  # 767.86 / 1922.76 = 39.94% > 30%
    assert outcome.result.total == D("16.00")


def test_unnamed_2018_a_sub_line_that_does_not_add_up_would_be_found(tmp_path: Path) -> None:
    unit_file = copy_case(tmp_path, "department-unnamed-2018-jichushuju")
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(text.replace("reception_2018_final: 4.99", "reception_2018_final: 5.99"), "utf-8")
    subjects = {subject for _, _, subject in findings_of(outcome_of(unit_file))}
    assert "sangong_2018_final" in subjects  # 39.30 + 5.99 is not the printed 44.29


def test_a_printed_row_above_its_weight_would_be_found(tmp_path: Path) -> None:
    """Rows printed with points only are unknown, but a point outside the row's range is still caught."""
    unit_file = copy_case(tmp_path, "department-guangdong-zhanjiang-undated-pingfenbiao")
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(
        text.replace("team: {points: 8, weight: 8}", "team: {points: 9, weight: 8}"), "utf-8"
    )
    checks = {(check, subject) for _, check, subject in findings_of(outcome_of(unit_file))}
    assert ("row-range", "team") in checks


def copy_case(tmp_path: Path, case: str) -> Path:
    """The case's set and unit files, copied to ``tmp_path`` (so a test can change a figure)."""
    shutil.copy(PUBLISHED / f"{case}.set.yaml", tmp_path / f"{case}.set.yaml")
    return Path(shutil.copy(PUBLISHED / f"{case}.yaml", tmp_path / f"{case}.yaml"))
