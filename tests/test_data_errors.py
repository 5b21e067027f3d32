"""Unit data that does not fit its indicator set, and evaluation failures: each problem's code, the key
words of its message, and its exact location (line and column counted by hand from the YAML below).

``GOOD`` is a valid unit for ``SET``; each test changes one thing in it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

import scoring
from scoring import DataError, DefinitionError, EvaluationError, Location, Problem

SET_TEXT = textwrap.dedent(
    """\
    format: scoring/1
    id: t
    total: 20
    grades:
      - {label: A, min: 16}
      - {label: B, min: 0}
    inputs:
      spent: {min: 0}
      budget: {min: 0}
      rate: {min: 0, max: 100}
      cases: {type: integer, min: 0}
      has_rules: {type: boolean}
      area: {min: 0}
      area_approved: {min: 0}
    derived:
      share: spent / budget * 100
      area_pct: area / area_approved * 100
    indicators:
      - id: execution
        weight: 4
        formula: spent / budget * 100
        rule: {ratio: {target: 100}}
      - id: compliance
        weight: 4
        formula: cases
        rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}
      - id: rules
        weight: 2
        rule: {checklist: [{input: has_rules, points: 2}]}
      - id: area_control
        weight: 2
        formula: area_pct
        rule: {deduct: {over: 100, per: 1, points: 1, steps: whole}}
      - id: quality
        weight: 4
        rule: {judgment: {tiers: [{label: 好, min_share: 0.8}, {label: 中, min_share: 0.6}, {label: 差, min_share: 0}]}}
      - id: rate_band
        weight: 2
        formula: rate
        rule: {bands: [{from: 90, points: 2}, {from: 60, below: 90, points: 1}]}
      - id: budget_use
        weight: 2
        formula: share
        rule: {linear: {zero_at: 50, full_at: 100}}
    """
)
# Where each indicator starts in SET_TEXT ('- id:' at column 5): evaluation errors point there.
SET_LINE = {
    "execution": 19,
    "compliance": 23,
    "rules": 27,
    "area_control": 30,
    "quality": 34,
    "rate_band": 37,
    "budget_use": 41,
}

GOOD = textwrap.dedent(
    """\
    values:
      spent: 90
      budget: 100
      rate: 95
      cases: 1
      has_rules: true
      area: 90
      area_approved: 100
    judgments:
      quality: {tier: 好, points: 3.5, reason: fine}
    """
)

UNIT = "unit.yaml"


@pytest.fixture(scope="module")
def indicator_set() -> scoring.IndicatorSet:
    return scoring.parse_set(SET_TEXT, "set.yaml")


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def data_problems(indicator_set: scoring.IndicatorSet, text: str) -> list[Problem]:
    """Problems of loading and evaluating ``text``; fails if it loads and scores fine."""
    with pytest.raises(DataError) as info:
        unit = scoring.parse_unit(text, UNIT, indicator_set=indicator_set)
        scoring.evaluate(indicator_set, unit)
    problems = list(info.value.problems)
    assert problems
    for problem in problems:
        assert problem.message.strip()
        assert problem.location is not None, f"problem without location: {problem}"
    return problems


def only_problem(indicator_set: scoring.IndicatorSet, text: str) -> Problem:
    problems = data_problems(indicator_set, text)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(map(str, problems))
    return problems[0]


def check(
    problem: Problem,
    code: str,
    words: list[str],
    line: int | None,
    column: int | None,
    file: str = UNIT,
) -> None:
    assert problem.code == code, f"code {problem.code!r} != {code!r}: {problem}"
    for word in words:
        assert word in problem.message, f"{word!r} not in message {problem.message!r}"
    assert problem.location == Location(file, line, column), f"location of {problem}"


def test_good_unit_scores(indicator_set):
    unit = scoring.parse_unit(GOOD, UNIT, indicator_set=indicator_set)
    result = scoring.evaluate(indicator_set, unit)
    assert 0 <= result.total <= 20


# --- missing and unknown inputs -----------------------------------------------------------------------


def test_every_missing_input_listed_with_the_indicators_needing_it(indicator_set):
    text = changed(changed(GOOD, "  spent: 90\n", ""), "  rate: 95\n", "")
    problems = data_problems(indicator_set, text)
    assert {p.subject for p in problems} == {"spent", "rate"}
    by_name = {p.subject: p for p in problems}
    # 'spent' is read by execution directly and by budget_use through the derived 'share'.
    check(by_name["spent"], "missing-input", ["missing input 'spent'", "execution", "budget_use"], 1, 1)
    check(by_name["rate"], "missing-input", ["missing input 'rate'", "rate_band"], 1, 1)
    assert "execution" not in by_name["rate"].message


def test_inputs_behind_a_derived_name_are_required(indicator_set):
    text = changed(changed(GOOD, "  area: 90\n", ""), "  area_approved: 100\n", "")
    problems = data_problems(indicator_set, text)
    assert {p.subject for p in problems} == {"area", "area_approved"}
    for problem in problems:
        check(problem, "missing-input", [f"'{problem.subject}'", "area_control"], 1, 1)


def test_input_needed_only_by_not_applicable_indicator_is_not_required(indicator_set):
    text = changed(changed(GOOD, "  area: 90\n", ""), "  area_approved: 100\n", "")
    text += "not_applicable: [area_control]\n"
    unit = scoring.parse_unit(text, UNIT, indicator_set=indicator_set)
    result = scoring.evaluate(indicator_set, unit)
    row = next(r for r in result.indicators if r.id == "area_control")
    assert row.status == "not_applicable"


def test_unknown_input_with_did_you_mean(indicator_set):
    problem = only_problem(indicator_set, changed(GOOD, "  area: 90\n", "  area: 90\n  spnt: 1\n"))
    check(problem, "unknown-input", ["unknown input 'spnt'"], 8, 3)
    assert problem.hint == "did you mean 'spent'?"


def test_value_given_for_a_derived_name(indicator_set):
    problem = only_problem(indicator_set, changed(GOOD, "  area: 90\n", "  area: 90\n  share: 50\n"))
    check(problem, "unknown-input", ["'share'"], 8, 3)
    assert "derived" in (problem.hint or "")


def test_value_given_for_an_indicator_id(indicator_set):
    problem = only_problem(indicator_set, changed(GOOD, "  area: 90\n", "  area: 90\n  execution: 4\n"))
    check(problem, "unknown-input", ["'execution'"], 8, 3)
    assert "indicator" in (problem.hint or "")


# --- wrong types and out-of-range values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("  spent: 90", "  spent: true", 2, ["'spent'", "must be a number", "true"]),
        ("  has_rules: true", "  has_rules: 1", 6, ["'has_rules'", "true or false", "1"]),
        ("  has_rules: true", '  has_rules: "yes"', 6, ["'has_rules'", "true or false", "'yes'"]),
        ("  cases: 1", "  cases: 1.5", 5, ["'cases'", "whole number", "1.5"]),
        ("  spent: 90", "  spent: -1", 2, ["'spent'", "-1", "below its minimum 0"]),
        ("  rate: 95", "  rate: 100.5", 4, ["'rate'", "100.5", "above its maximum 100"]),
        ("  rate: 95", "  rate: .inf", 4, ["'rate'", "finite number"]),
        ("  rate: 95", "  rate:", 4, ["'rate'", "must be a number"]),
    ],
    ids=[
        "bool-for-number",
        "number-for-bool",
        "text-for-bool",
        "non-integer",
        "below-min",
        "above-max",
        "inf",
        "null",
    ],
)
def test_value_of_wrong_type_or_range(indicator_set, old: str, new: str, line: int, words: list[str]):
    problem = only_problem(indicator_set, changed(GOOD, old, new))
    check(problem, "input-value", words, line, 3)


@pytest.mark.parametrize(
    ("old", "new", "line", "meant"),
    [
        ("  rate: 95", '  rate: "87.70%"', 4, r"87\.70?"),
        ("  rate: 95", "  rate: 87.70%", 4, r"87\.70?"),
        ("  spent: 90", "  spent: 1,234.56", 2, r"1234\.56"),
    ],
    ids=["percent-quoted", "percent-plain", "thousands-separator"],
)
def test_number_written_as_text_suggests_the_plain_number(indicator_set, old, new, line, meant):
    problem = only_problem(indicator_set, changed(GOOD, old, new))
    written = new.split(": ", 1)[1].strip('"')
    check(problem, "input-value", ["must be a number", f"'{written}'"], line, 3)
    assert re.search(rf"write {meant}\b", str(problem)), f"no suggestion in {problem}"


def test_list_for_number_is_described_plainly(indicator_set):
    problem = only_problem(indicator_set, changed(GOOD, "  rate: 95", "  rate: [95]"))
    check(problem, "input-value", ["'rate'", "must be a number", "list"], 4, 3)
    assert "Decimal(" not in problem.message, f"Python repr leaks into the message: {problem.message}"


# --- not_applicable, judgments, overrides -------------------------------------------------------------


def test_unknown_id_in_not_applicable(indicator_set):
    # "not_applicable: [area_ctrl]" on line 11: the item is column 18.
    problem = only_problem(indicator_set, GOOD + "not_applicable: [area_ctrl]\n")
    check(problem, "unknown-indicator", ["no indicator 'area_ctrl'"], 11, 18)
    assert problem.hint == "did you mean 'area_control'?"


def test_unknown_id_in_judgments(indicator_set):
    problem = only_problem(indicator_set, GOOD + "  qualty: {tier: 好, points: 3.5, reason: x}\n")
    check(problem, "unknown-indicator", ["no indicator 'qualty'"], 11, 3)
    assert problem.hint == "did you mean 'quality'?"


def test_unknown_id_in_overrides(indicator_set):
    problem = only_problem(indicator_set, GOOD + "overrides:\n  executon: {points: 1, reason: x}\n")
    check(problem, "unknown-indicator", ["no indicator 'executon'"], 12, 3)
    assert problem.hint == "did you mean 'execution'?"


def test_judgment_for_non_judgment_indicator(indicator_set):
    problem = only_problem(indicator_set, GOOD + "  rules: {tier: 好, points: 2, reason: x}\n")
    check(problem, "judgment-rule", ["'rules'", "checklist rule", "not by judgment"], 11, 3)


def test_judgment_unknown_tier(indicator_set):
    # "  quality: {tier: 优, ..." — 'tier' is column 13.
    problem = only_problem(indicator_set, changed(GOOD, "tier: 好", "tier: 优"))
    check(problem, "judgment-tier", ["'quality'", "no tier '优'"], 10, 13)
    assert "好" in (problem.hint or "") and "差" in (problem.hint or "")


@pytest.mark.parametrize("points", ["2", "4.5", "-1"])
def test_judgment_points_outside_tier(indicator_set, points: str):
    # "  quality: {tier: 好, points: ..." — 'points' is column 22 (好 is one character).
    problem = only_problem(indicator_set, changed(GOOD, "points: 3.5", f"points: {points}"))
    check(
        problem, "judgment-points", ["'quality'", f"gives {points} points", "tier '好'", "3.2 to 4"], 10, 22
    )


def test_judgment_missing(indicator_set):
    problem = only_problem(indicator_set, GOOD.split("judgments:")[0])
    check(problem, "judgment-missing", ["no judgment", "'quality'"], 1, 1)


def test_judgment_without_reason(indicator_set):
    problem = only_problem(indicator_set, changed(GOOD, ", reason: fine", ""))
    check(problem, "missing-key", ["missing required key 'reason'"], 10, 3)


@pytest.mark.parametrize("points", ["5", "-1"])
def test_override_outside_zero_to_weight(indicator_set, points: str):
    # "  execution: {points: ..." on line 12 — 'points' is column 15.
    problem = only_problem(
        indicator_set, GOOD + f"overrides:\n  execution: {{points: {points}, reason: x}}\n"
    )
    check(
        problem,
        "override-points",
        ["'execution'", f"gives {points} points", "outside 0 to its weight 4"],
        12,
        15,
    )


def test_override_and_not_applicable_on_same_indicator(indicator_set):
    text = GOOD + "not_applicable: [area_control]\noverrides:\n  area_control: {points: 1, reason: x}\n"
    problem = only_problem(indicator_set, text)
    check(problem, "override-na", ["'area_control'", "both not applicable and overridden"], 13, 3)


# --- evaluation failures ------------------------------------------------------------------------------


def test_division_by_zero_names_indicator_formula_and_inputs(indicator_set):
    text = changed(GOOD, "  budget: 100", "  budget: 0") + "not_applicable: [budget_use]\n"
    with pytest.raises(EvaluationError) as info:
        scoring.evaluate(indicator_set, scoring.parse_unit(text, UNIT, indicator_set=indicator_set))
    (problem,) = info.value.problems
    check(
        problem,
        "evaluation",
        ["'execution'", "division by zero", "spent / budget * 100", "budget = 0", "spent = 90"],
        SET_LINE["execution"],
        5,
        file="set.yaml",
    )


def test_division_by_zero_inside_a_derived_name(indicator_set):
    # budget_use reads 'share' = spent / budget * 100; with budget 0 both execution and budget_use fail.
    text = changed(GOOD, "  budget: 100", "  budget: 0")
    with pytest.raises(EvaluationError) as info:
        scoring.evaluate(indicator_set, scoring.parse_unit(text, UNIT, indicator_set=indicator_set))
    by_id = {p.subject: p for p in info.value.problems}
    assert set(by_id) == {"execution", "budget_use"}
    check(
        by_id["budget_use"],
        "evaluation",
        ["'budget_use'", "share", "division by zero", "budget = 0"],
        SET_LINE["budget_use"],
        5,
        file="set.yaml",
    )


def test_value_in_no_band_without_otherwise(indicator_set):
    unit = scoring.parse_unit(changed(GOOD, "  rate: 95", "  rate: 50"), UNIT, indicator_set=indicator_set)
    with pytest.raises(EvaluationError) as info:
        scoring.evaluate(indicator_set, unit)
    (problem,) = info.value.problems
    check(
        problem,
        "evaluation",
        ["'rate_band'", "50", "no band", "otherwise", "rate = 50"],
        SET_LINE["rate_band"],
        5,
        file="set.yaml",
    )


def test_all_evaluation_failures_reported_together(indicator_set):
    text = changed(changed(GOOD, "  budget: 100", "  budget: 0"), "  rate: 95", "  rate: 50")
    text += "not_applicable: [budget_use]\n"
    with pytest.raises(EvaluationError) as info:
        scoring.evaluate(indicator_set, scoring.parse_unit(text, UNIT, indicator_set=indicator_set))
    assert [p.subject for p in info.value.problems] == ["execution", "rate_band"]


# --- all data problems at once; files -----------------------------------------------------------------


def test_all_data_problems_reported_together(indicator_set):
    text = textwrap.dedent(
        """\
        values:
          spent: "90%"
          budget: 100
          cases: 1.5
          has_rules: 1
          area: -5
          area_approved: 100
          spnt: 3
        not_applicable: [area_ctrl]
        judgments:
          quality: {tier: 优, points: 3.5, reason: fine}
          rules: {tier: 好, points: 2, reason: x}
        overrides:
          execution: {points: 9, reason: x}
        """
    )
    problems = data_problems(indicator_set, text)
    found = {(p.code, p.subject): p.location for p in problems}
    assert found == {
        ("input-value", "spent"): Location(UNIT, 2, 3),
        ("input-value", "cases"): Location(UNIT, 4, 3),
        ("input-value", "has_rules"): Location(UNIT, 5, 3),
        ("input-value", "area"): Location(UNIT, 6, 3),
        ("unknown-input", "spnt"): Location(UNIT, 8, 3),
        ("unknown-indicator", "area_ctrl"): Location(UNIT, 9, 18),
        ("judgment-tier", "quality"): Location(UNIT, 11, 13),
        ("judgment-rule", "rules"): Location(UNIT, 12, 3),
        ("override-points", "execution"): Location(UNIT, 14, 15),
        ("missing-input", "rate"): Location(UNIT, 1, 1),
    }, "\n".join(f"[{p.code}] {p}" for p in problems)
    assert len(problems) == 10


def test_unknown_top_level_key_in_unit(indicator_set):
    problem = only_problem(indicator_set, GOOD + "valuse: {}\n")
    check(problem, "unknown-key", ["unknown key 'valuse'"], 11, 1)
    assert problem.hint == "did you mean 'values'?"


def test_duplicate_key_in_unit_is_a_data_error(indicator_set):
    problem = only_problem(indicator_set, changed(GOOD, "  rate: 95\n", "  rate: 95\n  rate: 96\n"))
    check(problem, "duplicate-key", ["duplicate key 'rate'", "line 4"], 5, 3)


def test_yaml_syntax_error_in_unit_is_a_data_error(indicator_set):
    with pytest.raises(DataError) as info:
        scoring.parse_unit(changed(GOOD, "  rate: 95", "  rate: [95"), UNIT, indicator_set=indicator_set)
    assert not isinstance(info.value, DefinitionError)
    (problem,) = info.value.problems
    assert problem.code == "yaml-syntax"
    assert problem.location is not None and problem.location.file == UNIT


@pytest.mark.parametrize(("text", "what"), [("", "empty"), ("- 1\n", "a list")], ids=["empty", "list"])
def test_unit_file_not_a_mapping(indicator_set, text: str, what: str):
    check(only_problem(indicator_set, text), "top-level", ["must be a mapping", what], 1, 1)


def test_load_unit_file_locations_name_the_file(indicator_set, tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text(changed(GOOD, "  rate: 95", '  rate: "87.70%"'), encoding="utf-8")
    with pytest.raises(DataError) as info:
        scoring.load_unit(path, indicator_set)
    (problem,) = info.value.problems
    assert problem.code == "input-value"
    assert problem.location == Location(str(path), 4, 3)


def test_load_unit_missing_file(indicator_set, tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(DataError) as info:
        scoring.load_unit(path, indicator_set)
    (problem,) = info.value.problems
    assert problem.code == "file-not-found"
    assert problem.location == Location(str(path))


def test_evaluate_mapping_names_the_key(indicator_set):
    data = {
        "values": {
            "spent": 90,
            "budget": 100,
            "rate": "87.70%",
            "cases": 1,
            "has_rules": True,
            "area": 90,
            "area_approved": 100,
        },
        "judgments": {"quality": {"tier": "好", "points": 3.5, "reason": "fine"}},
    }
    with pytest.raises(DataError) as info:
        scoring.evaluate(indicator_set, data)
    (problem,) = info.value.problems
    assert problem.code == "input-value"
    assert "values.rate" in str(problem)


def test_set_path_must_be_a_yaml_file(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("set: /etc/passwd\nvalues: {}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        scoring.load_unit(unit)
    problem = info.value.problems[-1]
    assert problem.code == "set-path"
    assert "root:" not in str(info.value)  # nothing of the named file is read or echoed
    assert (problem.location.line, problem.location.column) == (1, 1)


def test_set_that_does_not_exist_is_located_at_the_set_key_with_the_nearest_name(tmp_path):
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "demo.yaml").write_text("format: scoring/1\n", encoding="utf-8")
    unit = tmp_path / "unit.yaml"
    unit.write_text("unit: x\nset: sets/demo.yml\nvalues: {}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        scoring.load_unit(unit)
    (problem,) = info.value.problems
    assert problem.code == "set-not-found"
    assert problem.location == Location(str(unit), 2, 1)
    assert str(tmp_path / "sets" / "demo.yml") in problem.message
    assert "did you mean 'demo.yaml'?" in (problem.hint or "") and "--set" in (problem.hint or "")


def test_yaml_1_1_number_traps_are_refused_or_read_as_written(indicator_set):
    # 0100 would be octal 64 in YAML 1.1 and 42:40 base-60 2560: here 0100 is 100 and 42:40 an error
    unit = scoring.parse_unit(GOOD.replace("spent: 90", "spent: 0090"), UNIT, indicator_set)
    assert unit.values["spent"] == 90
    with pytest.raises(DataError) as info:
        scoring.parse_unit(GOOD.replace("spent: 90", "spent: 42:40"), UNIT, indicator_set)
    assert info.value.problems[0].code == "yaml-number"
    assert "not a plain decimal number" in info.value.problems[0].message


def test_override_decides_a_tier_only_judgment(indicator_set):
    text = GOOD.replace("quality: {tier: 好, points: 3.5, reason: fine}", "quality: {tier: 中, reason: fine}")
    text += "overrides:\n  quality: {points: 2, reason: re-checked}\n"
    result = scoring.evaluate(indicator_set, scoring.parse_unit(text, UNIT, indicator_set))
    assert result.indicator("quality").status == "overridden"
    assert result.complete


def test_judgment_on_a_not_applicable_row(indicator_set):
    problem = only_problem(indicator_set, GOOD + "not_applicable: [quality]\n")
    assert problem.code == "judgment-na"


def test_encoding_option_reads_gbk_files(tmp_path, capsys):
    from scoring.cli import main

    source = Path("examples/demo.yaml").read_text(encoding="utf-8")
    unit = tmp_path / "gbk.yaml"
    unit.write_bytes(
        source.replace("../indicators/demo.yaml", str(Path("indicators/demo.yaml").resolve())).encode("gbk")
    )
    with pytest.raises(DataError) as info:
        scoring.load_unit(unit)
    assert "--encoding gbk" in info.value.problems[0].hint
    loaded = scoring.load_unit(unit, encoding="gbk")  # the UTF-8 set it names is still read as UTF-8
    assert loaded.name == "示例部门"
    assert main(["score", str(unit), "--encoding", "gbk"]) == 0
    assert "grade 中" in capsys.readouterr().out
    with pytest.raises(DataError, match="unknown encoding"):
        scoring.load_unit(unit, encoding="no-such-codec")


@pytest.mark.parametrize(
    "written",
    [
        "not_applicable: [area_contrl]\n",
        "unknown: [area_contrl]\n",
        "overrides: {area_contrl: {points: 1, reason: checked}}\n",
    ],
    ids=["not_applicable", "unknown", "overrides"],
)
def test_a_misspelt_id_is_the_one_problem(indicator_set, written):
    """A misspelt id hides the row it meant: what that row would need (area, area_approved) is not also
    reported missing, which would send the user to add figures the row does not need."""
    text = GOOD.replace("  area: 90\n  area_approved: 100\n", "") + written
    with pytest.raises(DataError) as info:
        scoring.parse_unit(text, UNIT, indicator_set)
    (problem,) = info.value.problems
    assert problem.code == "unknown-indicator"
    assert problem.hint == "did you mean 'area_control'?"


def test_a_misspelt_judgment_id_is_the_one_problem(indicator_set):
    text = GOOD.replace("  quality: {tier", "  qualty: {tier")
    with pytest.raises(DataError) as info:
        scoring.parse_unit(text, UNIT, indicator_set)
    assert [p.code for p in info.value.problems] == ["unknown-indicator"]


def test_a_percent_written_where_a_number_goes_gets_the_plain_number_as_hint(indicator_set):
    """Shape checks give the same hint as input values: '75%' → write 75, '1,234.5' → write 1234.5."""
    text = GOOD.replace("points: 3.5", "points: 3.5%")
    with pytest.raises(DataError) as info:
        scoring.parse_unit(text, UNIT, indicator_set)
    (problem,) = info.value.problems
    assert problem.code == "type"
    assert problem.hint == "write 3.5 (a plain number, without % or thousands separators)"
    bad_set = SET_TEXT.replace("{label: A, min: 16}", "{label: A, min: '1,6'}")
    with pytest.raises(DefinitionError) as caught:
        scoring.parse_set(bad_set, "set.yaml")
    assert caught.value.problems[0].hint == "write 16 (a plain number, without % or thousands separators)"
