"""The corpus cases taken from published evaluation results (绩效评价结果) rather than self-evaluation tables:
a notice that prints each project's score and grade (三门县, two of its lines), and a result table that prints
the weighted score of each criterion and the total (资阳, an ADB-loan project) — and one self-evaluation table
whose printed total its own rows cannot reach (银川, no grade printed). Listed in EXPECTED; each case's
verdict, the status of every published figure and the findings by (source, check, subject) are pinned, and a
few perturbations show that the checks the cases rest on — grade band, group sum, weighted rows — would catch
a printed figure that does not follow.

The files' header comments say why each outcome is what it is.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

import scoring
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "examples" / "published"

Figures = dict[tuple[str, str], str]
Findings = set[tuple[str, str, str]]

#: case → (verdict, every published figure's status by (kind, subject), findings as (source, check, subject)).
EXPECTED: dict[str, tuple[str, Figures, Findings]] = {
    # 三门县 2024, line 1: 评价得分 87, 评价结果 良 (财政部门重点评价); the evaluation table is not published
    "project-zhejiang-sanmen-2024-wushui": (
        "consistent",
        {("total", "total"): "consistent", ("grade", "grade"): "consistent"},
        set(),
    ),
    # 三门县 2024, line 5: 评价得分 90, 评价结果 优 (项目单位自评) — on the 优 band's lower bound
    "project-zhejiang-sanmen-2024-nongcun": (
        "consistent",
        {("total", "total"): "consistent", ("grade", "grade"): "consistent"},
        set(),
    ),
    # 银川 2021: 自评得分 98 printed above rows that reach 94 at most (84 printed + a 10-point row not stored)
    "project-ningxia-yinchuan-2021-gongyong": (
        "not_reproduced",
        {
            ("total", "total"): "not_reproduced",
            **{
                ("indicator", row): "reproduced"
                for row in (
                    "goal_completeness",
                    "relevance",
                    "feasibility",
                    "adequacy",
                    "budget_execution",
                    "finance_rules",
                    "monitoring",
                    "management_rules",
                    "pupils_covered",
                    "funding_standard",
                    "completion_time",
                    "office_cost",
                    "repair_cost",
                    "utilities_cost",
                    "social_effect",
                    "sustainability",
                )
            },
            ("value", "execution_rate"): "reproduced",
        },
        {("reproduction", "attainable", "total")},
    ),
    # 资阳 ADB 2024: four criteria at 20/50/20/10 %, their weighted scores and the total 82.68 all follow
    "project-sichuan-ziyang-2024-adb": (
        "reproduced",
        {
            ("total", "total"): "reproduced",
            ("group", "相关性"): "reproduced",
            ("group", "效率"): "reproduced",
            ("group", "效果"): "reproduced",
            ("group", "可持续性"): "reproduced",
        },
        set(),
    ),
}


def outcome_of(path: Path) -> scoring.Reproduction:
    unit = scoring.load_unit(path)
    return scoring.reproduce(unit.indicator_set, unit)


def findings_of(outcome: scoring.Reproduction) -> Findings:
    return {(f.source, f.check, f.subject) for f in outcome.findings}


def edited(tmp_path: Path, case: str, old: str, new: str) -> scoring.Reproduction:
    """The case's outcome with one printed figure changed in a copy of its unit file."""
    shutil.copy(PUBLISHED / f"{case}.set.yaml", tmp_path / f"{case}.set.yaml")
    unit_file = tmp_path / f"{case}.yaml"
    text = (PUBLISHED / f"{case}.yaml").read_text(encoding="utf-8")
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
def test_the_exit_code_follows_the_verdict(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    verdict = EXPECTED[case][0]
    assert main(["reproduce", str(PUBLISHED / f"{case}.yaml")]) == (0 if verdict == "reproduced" else 1)
    capsys.readouterr()


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_json_gives_each_figure_its_status(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["reproduce", "--format", "json", str(PUBLISHED / f"{case}.yaml")])
    data = json.loads(capsys.readouterr().out)
    verdict, figures, _ = EXPECTED[case]
    assert data["verdict"] == verdict
    assert {(f["kind"], f["subject"]): f["status"] for f in data["figures"]} == figures


# --- 三门县 2024 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "total"),
    [("project-zhejiang-sanmen-2024-wushui", "87"), ("project-zhejiang-sanmen-2024-nongcun", "90")],
)
def test_sanmen_the_unknown_table_must_give_the_printed_score(case: str, total: str) -> None:
    outcome = outcome_of(PUBLISHED / f"{case}.yaml")
    assert outcome.attainable is True
    assert outcome.required_unknown == (D(total), D(total))
    assert outcome.result.total_range == (D("0.00"), D("100.00"))


def test_sanmen_a_grade_outside_the_scores_band_would_be_found(tmp_path: Path) -> None:
    outcome = edited(tmp_path, "project-zhejiang-sanmen-2024-wushui", "grade: 良 ", "grade: 优 ")
    assert ("audit", "grade-band", "grade") in findings_of(outcome)
    assert outcome.ok is False and outcome.audit_clean is False
    # Each figure alone is still within what the unknown row allows (87 by itself, 优 by itself), so both stay
    # 'consistent': the contradiction between them is the audit's to report, not the figures' statuses.
    assert {figure.status for figure in outcome.figures} == {"consistent"}


def test_sanmen_90_is_on_the_excellent_side_of_the_band_edge(tmp_path: Path) -> None:
    """优 starts at 90 inclusive: 90 printed with 良 is the contradiction, not 90 with 优."""
    outcome = edited(tmp_path, "project-zhejiang-sanmen-2024-nongcun", "grade: 优 ", "grade: 良 ")
    assert ("audit", "grade-band", "grade") in findings_of(outcome)
    outcome = edited(tmp_path, "project-zhejiang-sanmen-2024-nongcun", "total: 90 ", "total: 89.99 ")
    assert ("audit", "grade-band", "grade") in findings_of(outcome)


def test_sanmen_a_score_above_the_scale_would_be_out_of_reach(tmp_path: Path) -> None:
    outcome = edited(tmp_path, "project-zhejiang-sanmen-2024-wushui", "total: 87 ", "total: 101 ")
    assert outcome.attainable is False
    assert ("reproduction", "attainable", "total") in findings_of(outcome)


# --- 资阳 ADB 2024 ----------------------------------------------------------------------------------------------


def test_ziyang_each_criterion_is_its_score_times_its_weight() -> None:
    outcome = outcome_of(PUBLISHED / "project-sichuan-ziyang-2024-adb.yaml")
    points = {row: outcome.result.indicator(row).points for row in ("relevance", "efficiency")}
    assert points == {"relevance": D("20.00"), "efficiency": D("38.70")}  # 77.39 × 50% = 38.695, half up
    assert outcome.result.total == D("82.68")
    assert outcome.result.grade == "良"  # on the stand-in bands only; the notice's grade is not compared


def test_ziyang_a_weighted_score_rounded_down_would_be_found(tmp_path: Path) -> None:
    outcome = edited(
        tmp_path, "project-sichuan-ziyang-2024-adb", "效率: {points: 38.70", "效率: {points: 38.69"
    )
    assert ("reproduction", "group", "效率") in findings_of(outcome)
    assert ("audit", "total-sum", "total") in findings_of(outcome)  # 20 + 38.69 + 14.78 + 9.20 ≠ 82.68


def test_ziyang_a_different_criterion_score_would_move_its_row_and_the_total(tmp_path: Path) -> None:
    outcome = edited(
        tmp_path,
        "project-sichuan-ziyang-2024-adb",
        "effectiveness_score: 73.90",
        "effectiveness_score: 75.00",
    )
    assert {("reproduction", "group", "效果"), ("reproduction", "total", "total")} <= findings_of(outcome)


# --- 银川 2021 --------------------------------------------------------------------------------------------------


def test_yinchuan_the_rows_reach_94_at_most() -> None:
    outcome = outcome_of(PUBLISHED / "project-ningxia-yinchuan-2021-gongyong.yaml")
    assert outcome.result.total_range == (D("84.00"), D("94.00"))
    assert outcome.attainable is False
    groups = {group.path: group.points for group in outcome.result.groups if group.points is not None}
    assert {key: groups[key] for key in ("项目决策", "项目管理", "项目产出")} == {
        "项目决策": D("10.00"),
        "项目管理": D("24.00"),
        "项目产出": D("29.00"),
    }


def test_yinchuan_rows_at_full_marks_would_make_98_reachable(tmp_path: Path) -> None:
    """Give back the four points docked where targets were met or 分值 not reached, and 98 is in reach."""
    case = "project-ningxia-yinchuan-2021-gongyong"
    shutil.copy(PUBLISHED / f"{case}.set.yaml", tmp_path / f"{case}.set.yaml")
    text = (PUBLISHED / f"{case}.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("budget_execution: {tier: 得分, points: 9,", "budget_execution: {tier: 得分, points: 10,"),
        ("completion_time: {tier: 得分, points: 4,", "completion_time: {tier: 得分, points: 5,"),
        ("social_effect: {tier: 得分, points: 13,", "social_effect: {tier: 得分, points: 15,"),
        ("sustainability: {tier: 得分, points: 8,", "sustainability: {tier: 得分, points: 10,"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / f"{case}.yaml").write_text(text, encoding="utf-8")
    outcome = outcome_of(tmp_path / f"{case}.yaml")
    assert outcome.attainable is True
    assert outcome.required_unknown == (D("8"), D("8"))
