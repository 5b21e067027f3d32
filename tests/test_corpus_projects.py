"""The corpus of published project tables (项目支出绩效自评表): each case reproduced, and its verdict pinned.

Each case is a real table (examples/published/project-*.yaml, with its source and the verdict explained in the
file's header). The assertions are about which published figures match and which findings the reproduction and
the audit report, by check and subject — what a reader of the case is told.
"""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal as D
from pathlib import Path

import jsonschema
import pytest
import yaml

import scoring
from scoring.cli import main

PUBLISHED = Path(__file__).resolve().parent.parent / "examples" / "published"

#: case → (published subjects that match, findings as (source, check, subject)).
CASES: dict[str, tuple[set[str], set[tuple[str, str, str]]]] = {
    # 棠溪镇 2022: every row follows but the budget row; the total line (0 / 0 / 0, 执行率 0) contradicts its own
    # 本年财政拨款 line (90 / 89.974 / 89.974).
    "project-chizhou-tangxi-2022-weituo": (
        {
            "projects_count",
            "report_quality",
            "spending_compliance",
            "report_on_time",
            "project_cost",
            "item_cost",
            "market_fairness_effect",
            "cost_control_effect",
            "four_systems_effect",
        },
        {
            ("reproduction", "row", "budget_execution"),
            ("audit", "value", "total_initial"),
            ("audit", "value", "total_budget"),
            ("audit", "value", "total_spent"),
            ("audit", "value", "execution_rate"),
        },
    ),
    # 天长市水利局 2022: printed in full, every row and the 总分 100 follow.
    "project-tianchang-2022-flood": (
        {
            "total",
            "budget_execution",
            "irrigation_projects",
            "water_price_reform",
            "works_quality",
            "payment_completion",
            "within_budget",
            "flood_safety",
            "lives_property",
            "works_operation",
            "service_satisfaction",
        },
        set(),
    ),
    # 宣城市地震局 2021: every row read follows, the deadline rows as dates; the rest of the table is not stored.
    "project-xuancheng-2021-earthquake": (
        {
            "budget_execution",
            "training_count",
            "museum_count",
            "stations_running",
            "network_running",
            "training_deadline",
            "outreach_deadline",
        },
        set(),
    ),
    # 丽江市古城区 2020: four rows whose targets were met exactly are printed below their 分值 (9, 19, 19, 27).
    "project-lijiang-gucheng-2020-satellite": (
        {"budget_execution"},
        {
            ("reproduction", "row", "subsidy_amount"),
            ("reproduction", "row", "acceptance"),
            ("reproduction", "row", "on_time"),
            ("reproduction", "row", "stop_orders"),
        },
    ),
    # 廊坊市食品工程学校 2019: two rows worth 8.62 are printed in whole points, 9.
    "project-langfang-2019-hvac": (
        {
            "works_completion",
            "works_acceptance",
            "on_time",
            "cost_control",
            "safety",
            "development",
            "durability",
            "satisfaction",
        },
        {
            ("reproduction", "rounding", "budget_execution"),
            ("reproduction", "rounding", "works_funds_amount"),
        },
    ),
    # 大英县司法局 2023 (Sichuan form): the budget block follows; the 绩效指标 rows are not stored.
    "project-daying-2023-anke": ({"budget_execution"}, set()),
    # 甘其毛都口岸分局 2024: the 其他资金 line prints 执行率 0 for 1.8 budgeted and 1.8 spent.
    "project-bayannur-2024-ganqimaodu": (
        {"budget_execution", "car_hire_count", "poster_count", "car_quality", "poster_quality"},
        {("audit", "value", "other_rate")},
    ),
}


def reproduce(case: str) -> scoring.Reproduction:
    unit = scoring.load_unit(PUBLISHED / f"{case}.yaml")
    return scoring.reproduce(unit.indicator_set, unit)


def test_every_case_listed_here_exists() -> None:
    # cases are pinned across several files; tests/test_corpus.py checks that each one is pinned somewhere
    names = {p.name.removesuffix(".yaml") for p in PUBLISHED.glob("project-*.yaml")}
    assert {*CASES, *(f"{case}.set" for case in CASES)} <= names


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_verdict(case: str) -> None:
    matched, findings = CASES[case]
    outcome = reproduce(case)
    assert set(outcome.matched) == matched
    assert {(f.source, f.check, f.subject) for f in outcome.findings} == findings
    assert outcome.ok is (not findings)


def test_tangxi_sub_lines_give_what_the_total_line_does_not() -> None:
    outcome = reproduce("project-chizhou-tangxi-2022-weituo")
    by_subject = {f.subject: f for f in outcome.findings}
    # Compared at the printed precision (whole 万元): 90, 89.974 and 89.974 are all 90.
    for name in ("total_initial", "total_budget", "total_spent"):
        assert by_subject[name].published == 0 and by_subject[name].computed == 90
    assert by_subject["execution_rate"].computed == 100
    row = by_subject["budget_execution"]
    assert (row.published, row.computed) == (0, D("10.00"))
    # The 满意度 row is not in the stored text: no total is claimed.
    assert outcome.published.total is None
    assert outcome.result.total_range == (D("90.0"), D("100.0"))


def test_tianchang_total_is_reproduced() -> None:
    outcome = reproduce("project-tianchang-2022-flood")
    assert outcome.result.total == D("100.0") and outcome.published.total == 100


def test_xuancheng_deadline_rows_are_dates() -> None:
    outcome = reproduce("project-xuancheng-2021-earthquake")
    row = outcome.result.indicator("training_deadline")
    assert row.points == D("5.00") and row.status == "scored"


def test_lijiang_rows_fall_short_by_a_tenth_or_a_twentieth() -> None:
    outcome = reproduce("project-lijiang-gucheng-2020-satellite")
    short = {f.subject: (f.computed - f.published) / f.computed for f in outcome.findings}
    assert short == {
        "subsidy_amount": D("0.1"),
        "acceptance": D("0.05"),
        "on_time": D("0.05"),
        "stop_orders": D("0.1"),
    }


def test_langfang_rows_are_printed_in_whole_points() -> None:
    outcome = reproduce("project-langfang-2019-hvac")
    for finding in outcome.findings:
        assert finding.published == 9 and round(finding.computed, 2) == D("8.62")
    # The printed 执行率 86% is 86.20% at its printed precision: no finding.
    assert "execution_rate" not in {finding.subject for finding in outcome.findings}


def test_bayannur_other_funds_rate() -> None:
    finding = reproduce("project-bayannur-2024-ganqimaodu").findings[0]
    assert (finding.published, finding.computed) == (0, 100)


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_json_lists_every_finding(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["reproduce", "--format", "json", str(PUBLISHED / f"{case}.yaml")])
    data = json.loads(capsys.readouterr().out)
    _, findings = CASES[case]
    assert {(f["source"], f["check"], f["subject"]) for f in data["findings"]} == findings
    assert code == (0 if not findings else 1)


def _schema_errors(kind: str, instance: object) -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["schema", kind]) == 0
    validator = jsonschema.Draft202012Validator(json.loads(printed.getvalue()))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def _yaml_as_read(path: Path) -> object:
    """The file as plain YAML, with dates kept as text (as the loader keeps them; PyYAML would make dates)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader, less the dates


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_files_and_result_match_the_schemas(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _schema_errors("set", _yaml_as_read(PUBLISHED / f"{case}.set.yaml")) == []
    assert _schema_errors("unit", _yaml_as_read(PUBLISHED / f"{case}.yaml")) == []
    capsys.readouterr()
    main(["score", "--format", "json", str(PUBLISHED / f"{case}.yaml")])
    assert _schema_errors("result", json.loads(capsys.readouterr().out)) == []
