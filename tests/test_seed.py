"""The seed case: the 2019 self-evaluation of the Hunan Department of Human Resources and Social Security."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

import scoring
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "hunan-hrss-2019.yaml"
REPORT = ROOT.parent / "shared" / "seeds" / "hunan-hrss-2019-self-evaluation.txt"


@pytest.fixture(scope="module")
def unit() -> scoring.Unit:
    return scoring.load_unit(SEED)


@pytest.fixture(scope="module")
def result(unit: scoring.Unit) -> scoring.Result:
    return scoring.evaluate(unit.indicator_set, unit)


def test_computed_rates_match_the_report(result: scoring.Result) -> None:
    staff = result.indicator("staff_control_rate")
    assert staff.value is not None and round(staff.value, 2) == D("87.70")  # 一、1 "在职人员控制率87.70%"
    sangong = result.indicator("sangong_change_rate")
    assert sangong.value is not None and round(sangong.value, 2) == D("-0.71")  # 三、（一）2 "同比下降0.71%"
    completion = result.indicator("budget_completion_rate")
    assert completion.inputs == {"spent_total": D("34432.36"), "budget_total": D("37897.23")}
    assert completion.points == D("3.00")  # 90.86%: one whole 5% step short → −2


def test_rows_by_basis(result: scoring.Result) -> None:
    status = {row.id: row.status for row in result.indicators}
    assert {i for i, s in status.items() if s == "scored"} == {
        "staff_control_rate",
        "sangong_change_rate",
        "budget_completion_rate",
        "budget_management_rules",
        "disclosure",
        "asset_management_rules",
        "key_task_completion",
    }
    tiers = {row.id for row in result.indicators if row.status == "unknown" and row.tier}
    assert tiers == {"funds_compliance", "basic_information", "economic_benefit", "social_benefit"}
    assert sum(1 for s in status.values() if s == "unknown") == 14
    assert result.indicator("budget_control_rate").points_range == (D("0.00"), D("3.00"))


def test_published_total_is_not_attainable_under_this_reconstruction(unit: scoring.Unit) -> None:
    outcome = scoring.reproduce(unit.indicator_set, unit)
    assert outcome.published.total == D("92.1") and outcome.published.grade == "优"
    assert outcome.result.total_range == (D("49.6"), D("92.0"))
    assert outcome.attainable is False
    assert "优" in outcome.result.grades_possible
    assert [f.check for f in outcome.findings] == ["attainable"]


def test_reproduce_report_states_the_basis_of_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert "computed from the unit's figures (7)" in out
    assert "judged within a tier, without points (4)" in out
    assert "unknown (no basis in the data) (10)" in out
    assert "the published total 92.1 is outside the attainable range" in out
    assert "the published grade 优 is within reach" in out


def test_hunan_set_marks_provenance() -> None:
    indicator_set = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
    provenance = {i.id: i.spec.provenance for i in indicator_set.indicators}
    assert set(provenance.values()) == {"form", "framework"}
    form = {i.id for i in indicator_set.indicators if i.spec.provenance == "form"}
    in_form_groups = {
        i.id
        for i in indicator_set.indicators
        if i.group and (i.group.startswith("投入") or i.group == "过程/预算执行")
    }
    assert form == in_form_groups
    weights = {
        g.path: sum(indicator_set.indicator(m).weight for m in g.members) for g in indicator_set.groups
    }
    assert weights["投入"] == 13 and weights["过程"] == 61 and weights["过程/预算执行"] == 20
    assert [
        indicator_set.indicator(i).weight
        for i in sorted(form - {"staff_control_rate", "sangong_change_rate"})
    ] == [5] * 4


@pytest.mark.skipif(not REPORT.exists(), reason="the seed report lies in ../shared/seeds")
def test_judgment_reasons_quote_the_report(unit: scoring.Unit) -> None:
    report = re.sub(r"\s+", "", REPORT.read_text(encoding="utf-8"))
    reasons = [j.reason for j in unit.spec.judgments.values()]
    assert reasons
    for reason in reasons:
        quotes = re.findall(r"“([^”]+)”", reason)
        assert quotes, reason
        for quote in quotes:
            for part in re.split(r"……", quote):
                assert re.sub(r"\s+", "", part) in report, part
