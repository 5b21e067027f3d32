"""The met rule and text and date inputs: full marks when a target is met (a text among some, a number at
least or at most a bound, a date on or before a deadline), a declared partial score or 'otherwise' when not;
load-time problems located at file:line:column; outcomes in both languages; batch equal to the engine."""

from __future__ import annotations

import datetime
import decimal
from decimal import Decimal as D
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scoring
from scoring.errors import DataError, DefinitionError, EvaluationError, Problem
from scoring.language import Catalogue
from scoring.numbers import CONTEXT
from scoring.rules import RuleFailure
from scoring.rules.met import MetRule, iso_date

from .profiles import examples
from .strategies import decimals

EN, ZH = Catalogue("en"), Catalogue("zh")

SET = """\
format: scoring/1
id: targets
total: 20
grades: [{label: A, min: 15}, {label: B, min: 0}]
inputs:
  status: {type: text}
  done_on: {type: date}
  rate: {unit: "%"}
  count: {type: integer}
indicators:
  - id: words
    weight: 5
    formula: status
    rule: {met: {equals: [达成, 已完成], partial: {基本达成: 3, 部分达成: 1}, otherwise: 0}}
  - id: deadline
    weight: 5
    formula: done_on
    rule: {met: {by: 2022-12-31, otherwise: 1}}
  - id: reached
    weight: 5
    formula: rate
    rule: {met: {at_least: 95, otherwise: 0}}
  - id: few
    weight: 5
    formula: count
    rule: {met: {at_most: 2, otherwise: 1.5}}
"""

GOOD = {"status": "达成", "done_on": "2022-12-31", "rate": D(95), "count": D(2)}


@pytest.fixture(scope="module")
def targets() -> scoring.IndicatorSet:
    return scoring.parse_set(SET, "set.yaml")


def score(indicator_set: scoring.IndicatorSet, **values: Any) -> dict[str, D]:
    result = scoring.evaluate(indicator_set, {"values": {**GOOD, **values}})
    return {row.id: row.points for row in result.indicators}


def set_problems(text: str) -> list[Problem]:
    with pytest.raises(DefinitionError) as info:
        scoring.parse_set(text, "set.yaml")
    return list(info.value.problems)


def edited(old: str, new: str) -> str:
    assert old in SET
    return SET.replace(old, new)


# --- scoring and its boundaries ------------------------------------------------------------------------


def test_full_marks_when_every_target_is_met_on_its_boundary(targets: scoring.IndicatorSet) -> None:
    """at_least, at_most and by are inclusive: 95, 2 and the deadline day itself meet them."""
    assert score(targets) == {"words": D(5), "deadline": D(5), "reached": D(5), "few": D(5)}


@pytest.mark.parametrize(
    ("values", "row", "points"),
    [
        ({"rate": D("94.99")}, "reached", D(0)),
        ({"rate": D("95.01")}, "reached", D(5)),
        ({"count": D(3)}, "few", D("1.5")),
        ({"count": D(0)}, "few", D(5)),
        ({"done_on": "2023-01-01"}, "deadline", D(1)),
        ({"done_on": "2022-12-30"}, "deadline", D(5)),
        ({"status": "已完成"}, "words", D(5)),
        ({"status": "  达成 "}, "words", D(5)),  # text inputs are trimmed
        ({"status": "基本达成"}, "words", D(3)),
        ({"status": "部分达成"}, "words", D(1)),
        ({"status": "未达成"}, "words", D(0)),
        ({"status": "达 成"}, "words", D(0)),  # texts are compared as written, not guessed
    ],
)
def test_each_side_of_each_target(
    targets: scoring.IndicatorSet, values: dict[str, Any], row: str, points: D
) -> None:
    assert score(targets, **values)[row] == points


def test_a_date_may_be_a_yaml_date_or_a_python_date() -> None:
    unit = "set: set.yaml\nvalues: {status: 达成, done_on: 2023-01-05, rate: 99, count: 0}\n"
    indicator_set = scoring.parse_set(SET, "set.yaml")
    result = scoring.evaluate(
        indicator_set, scoring.parse_unit(unit, "unit.yaml", indicator_set=indicator_set)
    )
    assert result.indicator("deadline").points == 1
    assert result.indicator("deadline").value == "2023-01-05"  # a date's value is its ISO text
    for given_as in (datetime.date(2022, 6, 1), datetime.datetime(2022, 6, 1)):
        assert score(indicator_set, done_on=given_as)["deadline"] == 5


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2022-12-31", "2022-12-31"),
        (" 2022-01-05 ", "2022-01-05"),
        (datetime.date(2020, 2, 29), "2020-02-29"),
        (datetime.datetime(2020, 2, 29, 0, 0), "2020-02-29"),
        (datetime.datetime(2020, 2, 29, 12, 0), None),  # a moment, not a day
        ("2022/12/31", None),
        ("20221231", None),
        ("2022-2-3", None),
        ("2022-02-30", None),
        ("2023-01-20 00:00:00.000000", "2023-01-20"),  # a DataFrame's date column, as text
        ("2023-01-20T00:00", "2023-01-20"),
        ("2023-01-20 08:30:00", None),
        ("2022年12月31日", None),
        (D(20221231), None),
        (True, None),
    ],
)
def test_only_iso_dates_are_dates(written: object, iso: str | None) -> None:
    assert iso_date(written) == iso


def test_the_step_records_value_condition_met_and_partial(targets: scoring.IndicatorSet) -> None:
    result = scoring.evaluate(targets, {"values": {**GOOD, "status": "基本达成", "rate": D(93)}})
    words, reached = result.indicator("words").step, result.indicator("reached").step
    assert (words.value, words.condition, words.met, words.partial, words.points) == (
        "基本达成", "∈ {达成, 已完成}", False, "基本达成", D(3),
    )  # fmt: skip
    assert (reached.value, reached.condition, reached.met, reached.partial) == (D(93), "≥ 95", False, None)
    met = result.indicator("deadline").step
    assert (met.condition, met.met) == ("≤ 2022-12-31", True)
    data = result.to_dict()["indicators"][0]
    assert data["value"] == "基本达成" and data["inputs"] == {"status": "基本达成"}


# --- outcomes in both languages -----------------------------------------------------------------------


def test_outcomes_in_english_and_chinese(targets: scoring.IndicatorSet) -> None:
    values = {**GOOD, "status": "基本达成", "rate": D(93), "done_on": "2023-02-01"}
    rows = {row.id: row for row in scoring.evaluate(targets, {"values": values}).indicators}
    assert rows["reached"].outcome_text(EN) == "not met: 93 < 95, scores 0"
    assert rows["reached"].outcome_text(ZH) == "未达成：实际 93 < 95，得 0 分"
    assert rows["few"].outcome_text(EN) == "met (≤ 2): 2"
    assert rows["few"].outcome_text(ZH) == "达成（≤ 2）：实际 2"
    assert rows["words"].outcome_text(EN) == "partly met: 基本达成, scores 3 as declared"
    assert rows["words"].outcome_text(ZH) == "部分达成：实际 基本达成，按规定得 3 分"
    assert rows["deadline"].outcome_text(EN) == "not met: 2023-02-01 > 2022-12-31, scores 1"
    assert rows["deadline"].outcome_text(ZH) == "未达成：实际 2023-02-01 > 2022-12-31，得 1 分"
    assert rows["words"].outcome == rows["words"].outcome_text(EN)
    met = scoring.evaluate(targets, {"values": GOOD}).indicator("words")
    assert met.outcome_text(ZH) == "达成（∈ {达成, 已完成}）：实际 达成"


def test_score_prints_text_and_dates_as_values(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from scoring.cli import main

    (tmp_path / "set.yaml").write_text(SET, encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(
        "set: set.yaml\nvalues: {status: 未达成, done_on: 2022-05-01, rate: 99.5, count: 7}\n",
        encoding="utf-8",
    )
    for fmt in ("table", "csv", "json", "markdown"):
        assert main(["score", str(tmp_path / "unit.yaml"), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "未达成" in out and "2022-05-01" in out, fmt
    assert main(["explain", str(tmp_path / "unit.yaml"), "words", "--lang", "zh"]) == 0
    assert "未达成：实际 未达成 ∉ {达成, 已完成}，得 0 分" in capsys.readouterr().out


# --- load-time problems, located ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "code", "message", "line", "column"),
    [
        ("{met: {at_least: 95, otherwise: 0}}", "{met: {at_least: 95, at_most: 99, otherwise: 0}}", "met-condition",
         "met needs exactly one of equals, at_least, at_most or by, not 2 (indicator 'reached')", 22, 12),
        ("{met: {at_least: 95, otherwise: 0}}", "{met: {otherwise: 0}}", "met-condition",
         "met needs exactly one of equals, at_least, at_most or by, not 0 (indicator 'reached')", 22, 12),
        ("{at_least: 95, otherwise: 0}", "{at_least: 95, otherwise: 5}", "met-otherwise",
         "'otherwise' 5 must be from 0 to below the weight 5 (indicator 'reached')", 22, 32),
        ("{at_least: 95, otherwise: 0}", "{at_least: 95, otherwise: -1}", "met-otherwise",
         "'otherwise' -1 must be from 0 to below the weight 5 (indicator 'reached')", 22, 32),
        ("{at_least: 95, otherwise: 0}", "{at_least: 95, partial: {a: 1}, otherwise: 0}", "met-partial",
         "'partial' goes with 'equals' only (indicator 'reached')", 22, 32),
        ("partial: {基本达成: 3,", "partial: {达成: 3,", "met-partial",
         "'达成' is both met (in 'equals') and partial (indicator 'words')", 14, 47),
        ("partial: {基本达成: 3,", "partial: {基本达成: 6,", "rule-points",
         "points 6 are outside 0 to the weight 5 (indicator 'words')", 14, 47),
        ("by: 2022-12-31", "by: 2022/12/31", "met-date",
         "'by' must be a date, not '2022/12/31' (indicator 'deadline')", 18, 18),
        ("by: 2022-12-31", "by: 20221231", "met-date",
         "'by' must be a date, not 20221231 (indicator 'deadline')", 18, 18),
        ("formula: rate\n", "formula: status\n", "value-type",
         "met 'at_least' compares a number, but the formula gives text (indicator 'reached')", 22, 18),
        ("formula: status\n", "formula: rate\n", "value-type",
         "met 'equals' compares text, but the formula gives a number (indicator 'words')", 14, 18),
        ("formula: done_on\n", "formula: count\n", "value-type",
         "met 'by' compares a date, but the formula gives a number (indicator 'deadline')", 18, 18),
        ("status: {type: text}", "status: {type: text, max: 3}", "input-bounds",
         "text input 'status' cannot have min or max", 6, 3),
    ],
)  # fmt: skip
def test_a_bad_met_rule_is_refused_where_it_is_written(
    old: str, new: str, code: str, message: str, line: int, column: int
) -> None:
    problems = set_problems(edited(old, new))
    assert [p.code for p in problems] == [code], [str(p) for p in problems]
    problem = problems[0]
    assert problem.message == message
    assert (problem.location.file, problem.location.line, problem.location.column) == (
        "set.yaml",
        line,
        column,
    )


def test_the_date_problem_shows_the_iso_form() -> None:
    (problem,) = set_problems(edited("by: 2022-12-31", "by: 2022/12/31"))
    assert problem.hint == "write the date as year-month-day, e.g. 2022-12-31"


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("status + 1", "'status' is text, which no arithmetic, logic or ordering takes"),
        ("done_on - 1", "'done_on' is date, which no arithmetic, logic or ordering takes"),
        ("not status", "'status' is text, which no arithmetic, logic or ordering takes"),
        ("min(rate, status)", "'status' is text, which no arithmetic, logic or ordering takes"),
        ("status < '达成'", "'status' is text, which no arithmetic, logic or ordering takes"),
        ("status if rate > 1 else rate", "the branches give text and number"),
        ("rate == '达成'", "a text in quotes is compared with a number"),
        ("done_on == '2022-12-31'", "a text in quotes is compared with a date"),
    ],
)
def test_text_and_dates_take_no_arithmetic(formula: str, message: str) -> None:
    problems = set_problems(edited("formula: rate\n", f'formula: "{formula}"\n'))
    assert problems[0].code == "formula-type", [str(p) for p in problems]
    assert problems[0].message.startswith(message), problems[0].message
    assert problems[0].hint is not None and "met rule" in problems[0].hint
    assert (problems[0].location.line, problems[0].location.column) == (21, 5)


def test_a_derived_name_cannot_hold_text() -> None:
    (problem,) = set_problems(edited("indicators:\n", "derived: {copy: status}\nindicators:\n"))
    assert problem.code == "formula-type"
    assert problem.message == "derived 'copy' gives text; a derived name must give a number or true/false"
    assert (problem.location.line, problem.location.column) == (10, 11)


def test_a_number_rule_cannot_score_text() -> None:
    (problem,) = set_problems(edited("{met: {at_least: 95, otherwise: 0}}", "{bands: [{from: 0, points: 5}]}").replace(
        "formula: rate\n", "formula: status\n"))  # fmt: skip
    assert problem.code == "value-type"
    assert (
        problem.message
        == "indicator 'reached' has a bands rule, which scores a number, but its formula gives text"
    )
    assert (problem.location.line, problem.location.column) == (21, 5)


def test_text_compared_in_a_cases_rule() -> None:
    text = edited(
        "    formula: rate\n    rule: {met: {at_least: 95, otherwise: 0}}",
        "    rule: {cases: [{when: \"status != '未达成' and rate >= 90\", points: 5}], otherwise: 2}",
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    assert score(indicator_set)["reached"] == 5
    assert score(indicator_set, status="未达成")["reached"] == 2
    assert score(indicator_set, rate=D(80))["reached"] == 2
    with_value = edited(
        "    formula: rate\n    rule: {met: {at_least: 95, otherwise: 0}}",
        "    formula: status\n    rule: {cases: [{when: \"value == '达成'\", points: 5}], otherwise: 0}",
    )
    assert score(scoring.parse_set(with_value, "set.yaml"))["reached"] == 5
    refused = with_value.replace("value == '达成'", "value + 1 > 2")
    assert set_problems(refused)[0].code == "formula-type"  # 'value' is text here


# --- data problems ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "message", "hint"),
    [
        ("status", D(1), "input 'status' must be text, not 1", "write the text in quotes"),
        ("status", "   ", "input 'status' is empty text", "write what the source says, e.g. 达成"),
        ("status", True, "input 'status' must be text, not true", "write the text in quotes"),
        ("done_on", "2022/12/31", "input 'done_on' must be a date, not the text '2022/12/31'",
         "write the date as year-month-day, e.g. 2022-12-31"),
        ("done_on", D(20221231), "input 'done_on' must be a date, not 20221231",
         "write the date as year-month-day, e.g. 2022-12-31"),
    ],
)  # fmt: skip
def test_a_bad_text_or_date_value_is_a_located_data_error(
    targets: scoring.IndicatorSet, name: str, value: Any, message: str, hint: str
) -> None:
    with pytest.raises(DataError) as info:
        scoring.evaluate(targets, {"values": {**GOOD, name: value}})
    (problem,) = info.value.problems
    assert (problem.code, problem.message, problem.hint) == ("input-value", message, hint)
    assert problem.location.keys == ("values", name)


def test_a_bad_date_in_a_file_is_located_at_its_line() -> None:
    indicator_set = scoring.parse_set(SET, "set.yaml")
    unit = "set: set.yaml\nvalues:\n  status: 达成\n  done_on: 2022.12.31\n  rate: 99\n  count: 0\n"
    with pytest.raises(DataError) as info:
        scoring.parse_unit(unit, "unit.yaml", indicator_set=indicator_set)
    (problem,) = info.value.problems
    assert (problem.code, str(problem.location)) == ("input-value", "unit.yaml:4:3")


def test_a_mixed_formula_is_refused_at_load() -> None:
    """Branches of a text and a date (or a number) are refused: the kind of a met rule's value is known."""
    text = SET.replace("    formula: done_on\n", '    formula: "done_on if count < 5 else status"\n')
    (problem,) = set_problems(text)
    assert (problem.code, problem.location.line) == ("formula-type", 17)
    assert problem.message.startswith("the branches give date and text")


def test_a_value_of_the_wrong_kind_known_only_from_the_data_fails_its_row() -> None:
    """A derived name may hold a number or true/false: a met rule comparing text learns its kind at the row,
    and the row fails with a located evaluation problem (the other rows are not affected)."""
    text = SET.replace("indicators:\n", "derived: {doubled: rate * 2}\nindicators:\n").replace(
        "    formula: status\n", "    formula: doubled\n"
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    with pytest.raises(EvaluationError) as info:
        scoring.evaluate(indicator_set, {"values": GOOD})
    (problem,) = info.value.problems
    assert (problem.code, problem.subject) == ("evaluation", "words")
    assert "the met rule compares text, but the value is the number 190" in problem.message
    assert (problem.location.file, problem.location.line) == ("set.yaml", 12)
    rule = indicator_set.indicator("words").rule
    assert isinstance(rule, MetRule)
    with pytest.raises(RuleFailure, match="compares text, but the value is true"):
        rule.score(True, {})


# --- direction, margins, bounds ---------------------------------------------------------------------------


def test_directions(targets: scoring.IndicatorSet) -> None:
    directions = {i.id: i.rule.direction for i in targets.indicators}
    assert directions == {
        "words": "none",
        "deadline": "decreasing",
        "reached": "increasing",
        "few": "decreasing",
    }


def test_invert_gives_the_condition_on_a_number_and_words_for_text(targets: scoring.IndicatorSet) -> None:
    reached, few, words, deadline = (
        targets.indicator(i).rule for i in ("reached", "few", "words", "deadline")
    )
    assert reached.invert("≥", Fraction(5), D(90), {}) == [("≥", Fraction(95), None)]
    assert reached.invert("≤", Fraction(0), D(99), {}) == [("<", Fraction(95), None)]
    assert few.invert("≥", Fraction(2), D(7), {}) == [("≤", Fraction(2), None)]
    assert few.invert("<", Fraction(5), D(0), {}) == [(">", Fraction(2), None)]
    assert "meets ∈ {达成, 已完成}" in words.invert("≥", Fraction(4), "未达成", {})
    assert "= 基本达成 (3)" in words.invert("≥", Fraction(2), "未达成", {})
    assert "meets ≤ 2022-12-31" in deadline.invert("≥", Fraction(5), "2023-01-01", {})


def test_margins_of_a_unit_with_text_and_dates() -> None:
    from pathlib import Path

    from scoring.analysis.margins import unit_margins

    root = Path(__file__).resolve().parent.parent
    unit = scoring.load_unit(root / "examples" / "project-targets.yaml")
    report = unit_margins(unit.indicator_set, unit)
    date_row = report.indicator("on_schedule", "up")
    assert (
        date_row.note == "met rule (not invertible): the value would need to be one that meets ≤ 2022-12-31"
    )
    number_row = report.indicator("acceptance", "down")
    assert [(t.op, t.bound) for t in number_row.targets] == [("<", D(95))]


@examples(100)
@given(
    bound=decimals(-50, 150, 1),
    at_least=st.booleans(),
    weight=st.integers(1, 20),
    share=st.integers(0, 19),
    a=decimals(-200, 300, 2),
    b=decimals(-200, 300, 2),
)
def test_points_stay_within_the_weight_and_move_one_way(
    bound: D, at_least: bool, weight: int, share: int, a: D, b: D
) -> None:
    otherwise = D(weight) * share / 20
    condition = "at_least" if at_least else "at_most"
    text = (
        f"format: scoring/1\nid: p\ntotal: {weight}\ngrades: [{{label: A, min: 0}}]\ninputs: {{x: {{}}}}\n"
        f"indicators:\n  - {{id: row, weight: {weight}, formula: x, "
        f"rule: {{met: {{{condition}: {bound}, otherwise: {otherwise}}}}}}}\n"
    )
    rule = scoring.parse_set(text, "set.yaml").indicator("row").rule
    low, high = sorted((a, b))
    with decimal.localcontext(CONTEXT):
        p_low, _ = rule.score(low, {})
        p_high, _ = rule.score(high, {})
    assert 0 <= p_low <= weight and 0 <= p_high <= weight
    assert (p_low <= p_high) if at_least else (p_low >= p_high)
    assert rule.score(bound, {})[0] == weight  # the bound itself meets the target


# --- batch: text and dates go to the scalar engine; numbers are scored column-wise ------------------------


def test_batch_equals_the_engine_for_text_dates_and_numbers(targets: scoring.IndicatorSet) -> None:
    pytest.importorskip("pyarrow")
    from .test_batch import assert_row_equals, expected_of, score_rows, table_row

    mappings = [
        {"values": GOOD},
        {
            "values": {
                **GOOD,
                "status": "基本达成",
                "done_on": "2023-01-01",
                "rate": D("94.99"),
                "count": D(3),
            }
        },
        {"values": {**GOOD, "status": "未达成", "rate": D("95.00")}},
        {"values": {**GOOD, "done_on": "2022/12/31"}},  # a bad date: the row fails as in the engine
        {"values": {**GOOD, "status": "部分达成", "count": D(0)}, "not_applicable": ["deadline"]},
    ]
    scores = score_rows(targets, [table_row(m) for m in mappings], chunk=2)
    for row, mapping in enumerate(mappings):
        assert_row_equals(scores, row, expected_of(targets, mapping))
    assert scores.scalar_rows == len(mappings)  # every row reads a text input


def test_batch_scores_a_met_rule_on_numbers_column_wise() -> None:
    pytest.importorskip("pyarrow")
    from .test_batch import assert_row_equals, expected_of, score_rows, table_row

    numbers = scoring.parse_set(
        SET.replace("  - id: words", "  - id: gone").split("  - id: gone")[0]
        .replace("total: 20", "total: 10")
        .replace("min: 15", "min: 8")
        + "  - id: reached\n    weight: 5\n    formula: rate\n    rule: {met: {at_least: 95, otherwise: 0}}\n"
        + "  - id: few\n    weight: 5\n    formula: count\n    rule: {met: {at_most: 2, otherwise: 1.5}}\n",
        "set.yaml",
    )  # fmt: skip
    mappings = [{"values": {"rate": D(r), "count": D(c)}} for r, c in (("95", 2), ("94.99", 3), ("100", 0))]
    scores = score_rows(numbers, [table_row(m) for m in mappings])
    for row, mapping in enumerate(mappings):
        assert_row_equals(scores, row, expected_of(numbers, mapping))
    assert scores.scalar_rows == 0  # no text, no date: no row needed the scalar engine


def test_batch_equals_the_engine_for_text_compared_in_cases_and_derived() -> None:
    pytest.importorskip("pyarrow")
    from .test_batch import assert_row_equals, expected_of, score_rows, table_row

    text = SET.replace("indicators:\n", "derived: {done: \"status == '达成'\"}\nindicators:\n").replace(
        "    formula: rate\n    rule: {met: {at_least: 95, otherwise: 0}}",
        '    rule: {cases: [{when: "done and rate >= 90", points: 5}, {when: "status != \'未达成\'", points: 3}],'
        " otherwise: 1}",
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    mappings = [
        {"values": {**GOOD, "status": status, "rate": D(rate)}}
        for status, rate in (("达成", 95), ("达成", 80), ("基本达成", 99), ("未达成", 99))
    ]
    scores = score_rows(indicator_set, [table_row(m) for m in mappings])
    for row, mapping in enumerate(mappings):
        assert_row_equals(scores, row, expected_of(indicator_set, mapping))
    assert [scoring.evaluate(indicator_set, m).indicator("reached").points for m in mappings] == [5, 3, 3, 1]


@pytest.mark.parametrize(
    "formula",
    ["status == 'a' * 9", "status == ('a' + 'b')", "'a' < status", "status == 'a' == 'a'", "min('a', 'b')",
     "'达成'", "status in '达成'", "status == f'{status}'"],
)  # fmt: skip
def test_a_quoted_text_goes_nowhere_but_an_equality(formula: str) -> None:
    """A quoted text is allowed only as one side of ==/!= against text: no operator or call takes it."""
    text = edited("    formula: rate\n    rule: {met: {at_least: 95, otherwise: 0}}",
                  f'    rule: {{cases: [{{when: "{formula}", points: 5}}], otherwise: 0}}')  # fmt: skip
    problems = set_problems(text)
    assert {p.code for p in problems} <= {"formula", "formula-type"}, [str(p) for p in problems]


@pytest.mark.parametrize(
    ("rule", "column"),
    [("{cases: [{when: status, points: 5}], otherwise: 0}", 21), ("{ratio: {target: status}}", 20)],
)
def test_a_condition_or_target_cannot_be_text(rule: str, column: int) -> None:
    (problem,) = set_problems(edited("{met: {at_least: 95, otherwise: 0}}", rule))
    assert (problem.code, problem.message) == (
        "formula-type",
        "'status' gives text, where a number or true/false is needed (indicator 'reached')",
    )
    assert (problem.location.line, problem.location.column) == (22, column)


@pytest.fixture(scope="module")
def batch() -> Any:
    """tests/test_batch.py's helpers (imported outside any @given: that module's own tests use @given)."""
    pytest.importorskip("pyarrow")
    from . import test_batch

    return test_batch


@examples(20)
@given(data=st.data())
def test_batch_equals_the_engine_on_generated_rows(batch: Any, data: st.DataObject) -> None:
    """Texts among the listed, partial and other ones, dates about the deadline (some not ISO), numbers on
    and about the bounds, some rows with an indicator N/A: every row as the engine scores it."""
    targets = scoring.parse_set(SET, "set.yaml")
    texts = st.sampled_from(["达成", "已完成", "基本达成", "部分达成", "未达成", " 达成 "])
    dates = st.sampled_from(["2022-12-30", "2022-12-31", "2023-01-01", "2022-12-31 00:00:00", "2022/12/31"])
    rows = []
    for _ in range(data.draw(st.integers(1, 8))):
        values = {
            "status": data.draw(texts),
            "done_on": data.draw(dates),
            "rate": data.draw(st.sampled_from([D("94.99"), D(95), D("95.01"), D(0)])),
            "count": data.draw(st.sampled_from([D(0), D(2), D(3)])),
        }
        mapping: dict[str, Any] = {"values": values}
        if data.draw(st.booleans()):
            mapping["not_applicable"] = [data.draw(st.sampled_from(["words", "deadline", "reached", "few"]))]
        rows.append(mapping)
    scores = batch.score_rows(targets, [batch.table_row(m) for m in rows], chunk=data.draw(st.integers(1, 4)))
    for row, mapping in enumerate(rows):
        batch.assert_row_equals(scores, row, batch.expected_of(targets, mapping))
