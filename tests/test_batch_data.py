"""The batch benchmark's pieces: the synthetic table scores under the engine, and the hand-written numpy
scorer gives the engine's points, subtotals, totals and grades exactly, on generated rows and on rows placed
by hand on band edges, step boundaries and half-way points."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scoring

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import batch_data  # noqa: E402
import hunan_numpy  # noqa: E402

SET = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
ROWS = 2000


def differences(columns: dict[str, list[str]], results: dict[str, np.ndarray], i: int) -> list[str]:
    """Where ``results`` row ``i`` differs from ``scoring.evaluate`` on the same row (empty: none): points and
    subtotals as counts of 0.01, the total of 0.1, compared with the engine's Decimals exactly."""
    result = scoring.evaluate(SET, batch_data.row_mapping(columns, i))
    mine = {key: int(values[i]) for key, values in results.items()}
    found = []
    for row in result.indicators:
        if row.points * 100 != mine[row.id]:
            found.append(f"{row.id}: engine {row.points}, numpy {mine[row.id]} / 100")
    for group in result.groups:
        points, grade = mine[group.path], hunan_numpy.GRADES[mine[f"{group.path}.grade"]]
        if (group.points * 100, group.grade) != (points, grade):
            found.append(f"{group.path}: engine {group.points} {group.grade}, numpy {points} / 100 {grade}")
    total, grade = mine["total"], hunan_numpy.GRADES[mine["grade"]]
    if (result.total * 10, result.grade) != (total, grade):
        found.append(f"total: engine {result.total} {result.grade}, numpy {total} / 10 {grade}")
    return [f"row {i} ({columns['unit'][i]}): {text}" for text in found]


@pytest.fixture(scope="module")
def generated() -> dict[str, list[str]]:
    return batch_data.generate_rows(ROWS)


def test_the_columns_and_constants_are_the_sets() -> None:
    assert list(batch_data.INPUTS) == list(SET.inputs) == list(hunan_numpy.INPUTS)
    integers = {name for name, spec in SET.inputs.items() if spec.type == "integer"}
    assert {name for name, places in hunan_numpy.INPUTS.items() if places == 0} == integers
    booleans = {name for name, spec in SET.inputs.items() if spec.type == "boolean"}
    assert {name for name, places in hunan_numpy.INPUTS.items() if places is None} == booleans
    weights = {i.id: (i.group, int(i.weight)) for i in SET.indicators}
    assert weights == hunan_numpy.INDICATORS
    judged = {i.id for i in SET.indicators if i.rule.judged}
    assert set(hunan_numpy.JUDGED) == set(batch_data.JUDGED) == judged
    for row in hunan_numpy.JUDGED:
        rule = next(i.rule for i in SET.indicators if i.id == row)
        assert list(rule.tiers) == list(hunan_numpy.TIERS)
    assert set(hunan_numpy.NOT_APPLICABLE) == set(batch_data.NOT_APPLICABLE)
    assert all(i.not_applicable == "full" for i in SET.indicators)
    assert [(g.path, g.members) for g in SET.groups] == [
        (path, members) for path, (_, members) in hunan_numpy.GROUPS.items()
    ]
    assert (SET.rounding.places, SET.rounding.total_places, SET.rounding.mode) == (2, 1, "half_up")
    assert [(g.label, g.min) for g in SET.grades] == list(
        zip(hunan_numpy.GRADES, hunan_numpy.GRADE_MINIMUMS, strict=True)
    )


def test_generated_rows_score_under_the_engine_with_varied_grades(generated: dict[str, list[str]]) -> None:
    results = [scoring.evaluate(SET, batch_data.row_mapping(generated, i)) for i in range(200)]
    assert len({result.grade for result in results}) >= 3
    mapping = batch_data.row_mapping(generated, 0)
    assert isinstance(mapping["values"]["staff_quota"], Decimal)
    assert isinstance(mapping["values"]["disclosed"], bool)
    marks = {
        row: sum(1 for i in range(ROWS) if generated[f"{row}.na"][i]) for row in batch_data.NOT_APPLICABLE
    }
    assert all(0 < count < ROWS for count in marks.values()), marks
    assert all(text.isdigit() for text in generated["staff_quota"])  # counts without places, money with 2
    assert all(len(text.partition(".")[2]) == 2 for text in generated["basic_budget_added"])
    assert any(text.startswith("-") for text in generated["basic_budget_added"])  # net cuts


def test_the_numpy_scorer_gives_the_engines_results(generated: dict[str, list[str]]) -> None:
    results = hunan_numpy.score_hunan(generated)
    problems = [text for i in range(ROWS) for text in differences(generated, results, i)]
    assert not problems, "\n".join(problems[:20])
    # the sample exercises the places where inexact arithmetic goes wrong
    row_sums = np.sum([results[row] for row in hunan_numpy.INDICATORS], axis=0)
    assert (row_sums % 10 == 5).sum() > 50  # totals exactly half-way between two tenths, rounded up


def edited(base: dict[str, list[str]], cases: list[dict[str, str]]) -> dict[str, list[str]]:
    """One row per case: row 0 of ``base`` with the case's cells replaced."""
    return {name: [case.get(name, column[0]) for case in cases] for name, column in base.items()}


def budget(initial: str, spent: str, adjustment: str = "0.00") -> dict[str, str]:
    """A budget of ``initial`` (all 基本支出) with ``adjustment`` added, of which ``spent`` was spent."""
    return {
        "basic_budget_initial": initial,
        "basic_budget_added": adjustment,
        "project_budget_initial": "0.00",
        "project_budget_added": "0.00",
        "prior_carryover": "0.00",
        "basic_spent": spent,
        "project_spent": "0.00",
    }


def boundary_cases() -> Iterator[dict[str, str]]:
    # deduct over 100, per 1, whole: exactly 101% is one step, just below it none, 110% and beyond nothing left
    for in_post, quota in (
        ("101", "100"),
        ("100", "100"),
        ("10099", "10000"),
        ("110", "100"),
        ("111", "100"),
    ):
        yield {"staff_in_post": in_post, "staff_quota": quota}
    yield {"staff_in_post": "203", "staff_quota": "201"}  # 100.995…%: still no whole step
    # 三公 change exactly +1%, +0.99…%, 0, +10% (all 8 points gone), a fall
    for actual, prior in (
        ("101.00", "100.00"),
        ("100.99", "100.00"),
        ("100.00", "100.00"),
        ("110.00", "100.00"),
    ):
        yield {"sangong_actual": actual, "sangong_prior": prior}
    yield {"sangong_actual": "0.00", "sangong_prior": "0.01"}
    yield {"sangong_actual": "3.04", "sangong_prior": "3.00"}  # +1.333…%
    # budget completion exactly 95% (one step of 5 under 100), 95.01%, 100%, 90%, 85%, 80%, above 100%
    for spent in ("95.00", "95.01", "100.00", "90.00", "85.00", "80.00", "94.99", "101.00"):
        yield budget("100.00", spent)
    yield budget("3.00", "2.85")  # 95% of an amount that does not divide 100
    # budget control exactly 0, 10%, 20%, 30%, just above each, a net cut
    for adjustment in ("0.00", "10.00", "10.01", "20.00", "20.01", "30.00", "30.01", "-5.00", "0.01"):
        yield budget("100.00", "90.00", adjustment)
    # construction: exactly 101%, 100%, 102.5%, 111%; a row marked N/A whatever its figures
    for actual, approved in (
        ("10100.00", "10000"),
        ("10000.00", "10000"),
        ("10250.00", "10000"),
        ("11100.00", "10000"),
    ):
        yield {
            "building_area_actual": actual,
            "building_area_approved": approved,
            "building_area_control.na": "",
        }
        yield {
            "investment_actual": actual,
            "investment_approved": approved,
            "investment_estimate_control.na": "",
        }
    yield {"building_area_actual": "", "building_area_approved": "", "building_area_control.na": "true"}
    # fixed assets exactly on each band's lower edge, and a cent below it
    for in_use in ("90.00", "89.99", "80.00", "79.99", "70.00", "69.99", "60.00", "59.99"):
        yield {"fixed_assets_in_use": in_use, "fixed_assets_total": "100.00"}
    # ratio rules exactly half-way between two cents: 4 × 1/32 = 0.125, 4 × 3/32 = 0.375, 3 × 1/8 = 0.375
    for done, planned in (("1", "32"), ("3", "32"), ("31", "32"), ("1", "3"), ("32", "32")):
        yield {
            "tasks_done": done,
            "tasks_planned": planned,
            "tasks_on_time": "0",
            "tasks_up_to_standard": "0",
        }
    for good, done in (("1", "8"), ("5", "8"), ("7", "8"), ("2", "3")):
        yield {"tasks_up_to_standard": good, "tasks_done": done, "tasks_planned": done, "tasks_on_time": done}
    # timeliness exactly 95%, 90%, 80% and just below
    for on_time in ("19", "18", "16", "15"):
        yield {
            "tasks_on_time": on_time,
            "tasks_planned": "20",
            "tasks_done": "20",
            "tasks_up_to_standard": "20",
        }
    yield {"tasks_on_time": "18", "tasks_planned": "19", "tasks_done": "19", "tasks_up_to_standard": "19"}
    # key tasks: all done, one and four and five missing, more done than assigned
    for done in ("10", "9", "6", "5", "12"):
        yield {"key_tasks_assigned": "10", "key_tasks_done": done}
    # satisfaction on each band edge and a hundredth below
    for satisfaction in ("90.00", "89.99", "80.00", "70.00", "60.00", "59.99", "100", "0"):
        yield {"satisfaction": satisfaction}
    # judged points on a tier's edge (6.40 is both 好's floor and 中's ceiling), at the tier's extremes
    yield {"funds_compliance.tier": "好", "funds_compliance.points": "6.4"}
    yield {"funds_compliance.tier": "中", "funds_compliance.points": "6.40"}
    yield {"funds_compliance.tier": "差", "funds_compliance.points": "0"}
    yield {"social_benefit.tier": "好", "social_benefit.points": "5"}


def test_rows_on_edges_and_half_way_points(generated: dict[str, list[str]]) -> None:
    cases = list(boundary_cases())
    columns = edited(generated, cases)
    results = hunan_numpy.score_hunan(columns)
    problems = [text for i in range(len(cases)) for text in differences(columns, results, i)]
    assert not problems, "\n".join(problems)
    staff = [int(results["staff_control_rate"][i]) for i in range(6)]
    assert staff == [450, 500, 500, 0, 0, 500]  # the cases above, as the criteria say
    assert 13 in results["completion_rate"] and 38 in results["completion_rate"]  # 0.125 → 0.13, 0.375 → 0.38


def test_totals_half_way_to_the_next_grade_round_up(generated: dict[str, list[str]]) -> None:
    """A row sum of 89.95 (or 79.95) is a total of 90.0 (80.0): the grade above, in both scorers."""
    results = hunan_numpy.score_hunan(generated)
    row_sums = np.sum([results[row] for row in hunan_numpy.INDICATORS], axis=0)
    # move one judged row's points so that the sum lands on 89.95 and 79.95 exactly (when it can)
    cases = []
    for target in (8995, 7995, 5995):
        for i in np.flatnonzero(np.abs(row_sums - target) <= 40):
            points = int(results["funds_compliance"][i]) + target - int(row_sums[i])
            tier = next(
                label
                for label, (low, high) in zip(hunan_numpy.TIERS, hunan_numpy.TIER_SHARES, strict=True)
                if low * 80 <= points <= high * 80
            )
            row = {name: column[i] for name, column in generated.items()}
            row |= {"funds_compliance.tier": tier, "funds_compliance.points": f"{points / 100:.2f}"}
            cases.append(row)
            break
    assert len(cases) == 3
    columns = {name: [case[name] for case in cases] for name in generated}
    results = hunan_numpy.score_hunan(columns)
    assert list(results["total"]) == [900, 800, 600]
    assert [hunan_numpy.GRADES[g] for g in results["grade"]] == ["优", "良", "中"]
    problems = [text for i in range(len(cases)) for text in differences(columns, results, i)]
    assert not problems, "\n".join(problems)


def test_same_seed_same_rows_whatever_the_count(tmp_path: Path) -> None:
    small = batch_data.generate_rows(30)
    assert small == {name: column[:30] for name, column in batch_data.generate_rows(40).items()}
    assert small != batch_data.generate_rows(30, seed=7)
    assert small["unit"][:2] == ["示例部门000001（虚构）", "示例部门000002（虚构）"]
    path = tmp_path / "units.csv"
    batch_data.write_csv(path, 30)
    with path.open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == list(batch_data.COLUMNS)
    assert [list(row) for row in zip(*rows, strict=True)] == [small[name] for name in header]


def test_prepare_refuses_what_the_engine_refuses(generated: dict[str, list[str]]) -> None:
    bad: list[dict[str, Any]] = [
        {"funds_compliance.tier": "好", "funds_compliance.points": "6.3"},  # below the tier
        {"funds_compliance.tier": "优", "funds_compliance.points": "7.0"},  # no such tier
        {"sangong_actual": "1.234"},  # more places than the input's scale
        {"staff_quota": "0"},
        {"tasks_done": "0", "tasks_up_to_standard": "0"},
        {"disclosed": "yes"},
        {"satisfaction": ""},
    ]
    for case in bad:
        with pytest.raises(ValueError):
            hunan_numpy.prepare(edited(generated, [case]))


def test_without_pyarrow_the_same_text_and_results(
    generated: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    if batch_data.pa is None:
        pytest.skip("pyarrow is not installed: every other test already ran the numpy path")
    with_arrow = hunan_numpy.score_hunan(generated)
    monkeypatch.setattr(batch_data, "pa", None)
    monkeypatch.setattr(hunan_numpy, "pa", None)
    assert batch_data.generate_rows(ROWS) == generated
    without = hunan_numpy.score_hunan(generated)
    assert all(np.array_equal(with_arrow[key], without[key]) for key in with_arrow)
