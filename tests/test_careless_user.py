"""What a careless user meets (issue 12, point 5): each slip gets one clear message, pinned word for word.

Every case starts from a shipped file with one mistake in it, as a new user would make it, and checks that
the tool says what is wrong and what to do — once, and never by suggesting the very thing that was written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import scoring
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO_SET = ROOT / "indicators" / "demo.yaml"
DEMO_UNIT = ROOT / "examples" / "demo.yaml"
HUNAN_SET = ROOT / "indicators" / "hunan-department-overall.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


def edited(source: Path, old: str, new: str, count: int = 1) -> str:
    text = source.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


def messages(error: scoring.ScoringError) -> list[str]:
    return [f"{p.code}: {p.message}" + (f" — {p.hint}" if p.hint else "") for p in error.problems]


@pytest.fixture
def unit_dir(tmp_path: Path) -> Path:
    """A folder holding a copy of the demo set and a unit naming it, to be edited by each test."""
    (tmp_path / "set.yaml").write_text(DEMO_SET.read_text(encoding="utf-8"), encoding="utf-8")
    unit = edited(DEMO_UNIT, "set: ../indicators/demo.yaml", "set: set.yaml")
    (tmp_path / "unit.yaml").write_text(unit, encoding="utf-8")
    return tmp_path


# --- a set where a unit is expected, and the other way round -----------------------------------------------


def test_a_set_given_as_a_unit_is_one_problem_with_the_commands_that_fit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "score", "indicators/demo.yaml")
    assert code == 1 and out == ""
    assert lines(err) == [
        "indicators/demo.yaml:1:1: this file is an indicator set, not unit data — check the set with "
        "'scoring check indicators/demo.yaml', or score a unit under it with "
        "'scoring score UNIT --set indicators/demo.yaml'"
    ]


def test_a_unit_given_as_the_set_is_one_problem(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, "score", "examples/demo.yaml", "--set", "examples/demo.yaml")
    assert code == 1
    assert lines(err) == [
        "examples/demo.yaml:1:1: this file is unit data, not an indicator set — score it with "
        "'scoring score examples/demo.yaml' (its set: names its set), or give the set it names"
    ]


def test_a_unit_with_one_unknown_key_is_still_unit_data() -> None:
    """Only a file with set keys and no unit key reads as a set: a slip in a unit stays a slip."""
    text = edited(DEMO_UNIT, "period:", "format: scoring/1\nperiod:")
    with pytest.raises(scoring.DataError) as caught:
        scoring.parse_unit(text, "u.yaml", scoring.load_set(DEMO_SET))
    assert messages(caught.value) == ["unknown-key: unknown key 'format'"]


# --- unknown keys: never suggest what was written; say where a misplaced key belongs -------------------------


def test_otherwise_inside_the_cases_list_says_where_it_belongs() -> None:
    text = edited(
        DEMO_SET,
        "        - {when: year_end_balance <= prior_carryover, points: 2, label: 结余不超过上年结转}\n"
        "      otherwise: 0",
        "        - {when: year_end_balance <= prior_carryover, points: 2, label: 结余不超过上年结转}\n"
        "        - otherwise: 0",
    )
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert messages(caught.value) == [
        "unknown-key: unknown key 'otherwise' (indicator 'balance_control') — "
        "'otherwise' belongs beside 'cases', not inside one case"
    ]


def test_a_key_written_one_level_too_deep_says_where_it_belongs() -> None:
    text = edited(DEMO_SET, "rounding: {places: 2,", "rounding: {grades: [], places: 2,")
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert messages(caught.value) == [
        "unknown-key: unknown key 'grades' — 'grades' belongs beside 'rounding', not inside it"
    ]


def test_a_key_known_elsewhere_is_never_suggested_as_itself() -> None:
    text = edited(DEMO_UNIT, "period:", "grades: []\nperiod:")
    with pytest.raises(scoring.DataError) as caught:
        scoring.parse_unit(text, "u.yaml", scoring.load_set(DEMO_SET))
    for problem in caught.value.problems:
        assert problem.hint != "did you mean 'grades'?"
    assert messages(caught.value) == ["unknown-key: unknown key 'grades'"]


def test_a_misspelt_key_still_gets_its_suggestion() -> None:
    text = edited(DEMO_SET, "    label: 实际完成率\n", "    lable: 实际完成率\n")
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert messages(caught.value) == [
        "unknown-key: unknown key 'lable' (indicator 'task_completion_rate') — did you mean 'label'?"
    ]


# --- a number written as a formula is that constant ----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"), [("100", Decimal(100)), ("0.1", Decimal("0.1")), ("1e1", Decimal(10))]
)
def test_a_numeric_formula_is_the_constant_as_an_exact_decimal(written: str, value: Decimal) -> None:
    text = edited(DEMO_SET, "formula: nonconforming_cases", f"formula: {written}")
    indicator_set = scoring.parse_set(text, "set.yaml")
    result = scoring.evaluate(indicator_set, scoring.load_unit(DEMO_UNIT, indicator_set))
    row = next(row for row in result.indicators if row.id == "funds_compliance")
    assert isinstance(row.value, Decimal) and row.value == value
    assert str(row.value) == str(value)  # 0.1 is one tenth, not the float nearest it


def test_a_numeric_derived_formula_is_the_constant() -> None:
    text = edited(DEMO_SET, "  budget_total: budget_initial + budget_added", "  budget_total: 37897.23")
    indicator_set = scoring.parse_set(text, "set.yaml")
    result = scoring.evaluate(indicator_set, scoring.load_unit(DEMO_UNIT, indicator_set))
    assert result.total == Decimal("79.4")


# --- one stale weight is one problem --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "problem"),
    [
        (
            "3",
            "checklist-sum: checklist points add up to 5, not the weight 3 (indicator 'budget_management_rules')",
        ),
        (
            "5.123",
            "weight-places: weight 5.123 of 'budget_management_rules' has more decimals than rounding.places (2) — points are rounded to rounding.places; a weight must be exact at that precision",
        ),
    ],
)
def test_one_stale_weight_gives_no_follow_on_sums(weight: str, problem: str) -> None:
    """A checklist row whose weight no longer fits its points: the group subtotals and the total over it
    are not reported as well (they add up once the weight is put right)."""
    text = edited(
        HUNAN_SET,
        "    group: 过程/预算管理\n    weight: 5\n",
        f"    group: 过程/预算管理\n    weight: {weight}\n",
    )
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    found = messages(caught.value)
    assert found[0] == problem
    assert not [m for m in found if m.startswith(("group-weight", "weights-sum"))]


def test_a_stale_rule_weight_beside_a_balanced_group_is_one_problem() -> None:
    text = edited(
        DEMO_SET, "    group: 过程/预算管理\n    weight: 6\n", "    group: 过程/预算管理\n    weight: 4\n"
    )
    text = text.replace(
        "    group: 过程/预算管理\n    weight: 3\n", "    group: 过程/预算管理\n    weight: 5\n"
    )
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert messages(caught.value) == [
        "checklist-sum: checklist points add up to 6, not the weight 4 (indicator 'management_rules')"
    ]


def test_a_real_group_weight_error_is_still_reported() -> None:
    text = edited(DEMO_SET, "  过程/预算管理: {weight: 14}", "  过程/预算管理: {weight: 15}")
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert [p.code for p in caught.value.problems] == ["group-weight"]


# --- set: naming a missing file ---------------------------------------------------------------------------------


def test_a_missing_set_is_reported_at_the_set_line_of_the_unit(
    unit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = unit_dir / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("set: set.yaml", "set: ../nodir/set.yaml"), "utf-8"
    )
    code, _, err = run(capsys, "score", str(unit))
    assert code == 1
    assert lines(err) == [
        f"{unit}:4:1: set: '../nodir/set.yaml' not found (looked for {unit_dir.parent / 'nodir' / 'set.yaml'}) — "
        "set: is relative to the unit file; or give the set with --set"
    ]


def test_a_misspelt_set_name_gets_the_near_file(unit_dir: Path) -> None:
    unit = unit_dir / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("set: set.yaml", "set: sett.yaml"), "utf-8")
    with pytest.raises(scoring.DataError) as caught:
        scoring.load_unit(unit)
    (problem,) = caught.value.problems
    assert (problem.location.file, problem.location.line) == (str(unit), 4)
    assert problem.hint == (
        "did you mean 'set.yaml'? (set: is relative to the unit file; or give the set with --set)"
    )
