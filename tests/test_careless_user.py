"""What a careless user meets (issue 12, point 5): each slip gets one clear message, pinned word for word.

Every case starts from a shipped file with one mistake in it, as a new user would make it, and checks that
the tool says what is wrong and what to do — once, and never by suggesting the very thing that was written.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# --- --encoding naming no encoding ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["score", "check", "explain", "reproduce", "weights"])
def test_an_unknown_encoding_is_a_one_line_usage_error(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, command, str(DEMO_UNIT), "--encoding", "nosuch")
    assert (code, out) == (2, "")
    assert lines(err) == [
        f"scoring {command}: unknown encoding 'nosuch' — name one such as utf-8 or gb18030 (which reads GBK files too)"
    ]


def test_a_codec_that_is_no_text_encoding_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", str(DEMO_UNIT), "--encoding", "rot13")
    assert code == 2
    assert lines(err) == [
        "scoring score: 'rot13' is not a text encoding — name one such as utf-8 or gb18030 (which reads GBK files too)"
    ]


def test_a_known_encoding_still_reads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(DEMO_UNIT), "--encoding", "gb18030")
    assert code == 0 and "Total 79.4 / 100" in out


# --- a value written with its unit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        (
            "20101.67万元",
            "write 20101.67: the value is the bare number; its unit (万元) is the input's unit: in the set",
        ),
        (
            '"34,432.36 元"',
            "write the figure in 万元 (the input's unit: in the set) as a bare number, without '元'",
        ),
    ],
)
def test_a_value_with_its_unit_gets_the_bare_number_as_hint(written: str, hint: str) -> None:
    text = edited(DEMO_UNIT, "budget_spent: 34432.36", f"budget_spent: {written}")
    with pytest.raises(scoring.DataError) as caught:
        scoring.parse_unit(text, "u.yaml", scoring.load_set(DEMO_SET))
    (problem,) = caught.value.problems
    assert problem.code == "input-value" and problem.hint == hint
    assert problem.message.startswith("input 'budget_spent' must be a number, not the text")


def test_a_unit_on_an_input_without_one_still_points_to_unit() -> None:
    text = "format: scoring/1\nid: t\ntotal: 10\ngrades: [{label: A, min: 0}]\ninputs: {x: {}}\n"
    text += "indicators: [{id: a, weight: 10, formula: x, rule: {ratio: {target: 100}}}]\n"
    indicator_set = scoring.parse_set(text, "t.yaml")
    with pytest.raises(scoring.DataError) as caught:
        scoring.evaluate(indicator_set, {"values": {"x": "12个"}})
    assert caught.value.problems[0].hint == (
        "write 12: the value is the bare number; a unit belongs in the set, as the input's unit:"
    )


# --- a percentage given as a fraction -----------------------------------------------------------------------


def fraction_result(value: str, max_: str | None = None) -> scoring.Result:
    set_text = DEMO_SET.read_text(encoding="utf-8")
    if max_ is not None:
        set_text = set_text.replace('unit: "%", min: 0, max: 100}', f'unit: "%", min: 0, max: {max_}}}')
    indicator_set = scoring.parse_set(set_text, "set.yaml")
    text = edited(DEMO_UNIT, "satisfaction: 92.5", f"satisfaction: {value}")
    return scoring.evaluate(indicator_set, scoring.parse_unit(text, "u.yaml", indicator_set))


def test_a_percentage_given_as_a_fraction_is_warned_in_the_result() -> None:
    result = fraction_result("0.9153")
    (warning,) = result.warnings
    assert str(warning) == (
        "u.yaml:26:3: input 'satisfaction' is 0.9153 with unit %: it looks like a fraction of one — "
        "if the source prints 91.53%, write 91.53"
    )
    assert warning.code == "percent-fraction" and warning.subject == "satisfaction"
    assert result.total is not None  # it still scores


def test_the_warning_is_in_the_json() -> None:
    import json

    data = json.loads(fraction_result("1").to_json())
    assert [w["code"] for w in data["warnings"]] == ["percent-fraction"]
    assert data["warnings"][0]["line"] == 26
    assert json.loads(fraction_result("92.5").to_json())["warnings"] == []


@pytest.mark.parametrize("value", ["0", "1.5", "92.5", "100"])
def test_no_warning_for_what_is_a_percentage(value: str) -> None:
    assert fraction_result(value).warnings == ()


def test_no_warning_when_the_set_keeps_the_percentage_as_a_fraction() -> None:
    assert fraction_result("0.9153", max_="1").warnings == ()


def test_no_warning_for_a_small_figure_in_another_unit() -> None:
    indicator_set = scoring.load_set(DEMO_SET)
    text = edited(DEMO_UNIT, "sangong_actual: 301.08", "sangong_actual: 0.5")
    result = scoring.evaluate(indicator_set, scoring.parse_unit(text, "u.yaml", indicator_set))
    assert result.warnings == ()


def test_the_command_line_prints_the_warning_on_stderr(
    unit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = unit_dir / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("satisfaction: 92.5", "satisfaction: 0.9153"), "utf-8"
    )
    expected = [
        f"warning: {unit}:26:3: input 'satisfaction' is 0.9153 with unit %: it looks like a fraction of one — "
        "if the source prints 91.53%, write 91.53"
    ]
    for command in ("score", "check", "explain"):
        code, out, err = run(capsys, command, str(unit))
        assert code == 0 and out
        assert lines(err) == expected, command


# --- the analyses: rank order, one naming, no repeated column ------------------------------------------------

COHORT = str(ROOT / "examples" / "synthetic")


def table_rows(out: str, header: str) -> list[str]:
    """The rows of the text table whose header line starts with ``header`` (up to the blank line)."""
    text = out.split("\n" + header, 1)[1]
    return [line for line in text.split("\n\n", 1)[0].splitlines()[1:] if line.strip()]


def test_tune_lists_units_by_their_rank_after_the_change(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tune", COHORT, "--weight", "过程/预算执行=40")
    assert code == 0
    ranks = [int(row.split("→")[-1].split()[0]) for row in table_rows(out, "Unit")]
    assert len(ranks) == 24 and ranks == sorted(ranks)
    assert table_rows(out, "Unit")[0].startswith("示例省粮食和物资储备局（虚构）")


def test_tune_lists_units_as_read_with_order_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "tune", COHORT, "--weight", "过程/预算执行=40", "--order", "file", "--format", "csv"
    )
    assert code == 0
    names = [line.split(",")[0] for line in out.splitlines()[1:]]
    code, ranked, _ = run(capsys, "tune", COHORT, "--weight", "过程/预算执行=40", "--format", "csv")
    assert sorted(names) == sorted(line.split(",")[0] for line in ranked.splitlines()[1:])
    assert names[1] == "示例省民政服务厅（虚构）"  # dept-02, ranked 7th before and 9th after


def test_sensitivity_names_targets_alike_in_both_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sensitivity", COHORT, "--delta", "1", "--groups")
    assert code == 0
    changes = table_rows(out, "Grade changes\nweight of")[1:]  # below the rule line
    assert changes[0].startswith("在职人员控制率 ")
    ids = {indicator.id for indicator in scoring.load_set(HUNAN_SET).indicators}
    assert not [row for row in changes if row.split()[0] in ids]  # no id where the table shows labels
    assert any(row.startswith("[group] 投入 ") for row in changes)


def test_sensitivity_prints_one_change_column_on_a_total_of_100(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "sensitivity", COHORT, "--delta", "1")
    header = out.splitlines()[2]
    assert "mean |Δ total|" in header and "mean |Δ %|" not in header
    _, out, _ = run(capsys, "sensitivity", COHORT, "--delta", "1", "--rescale", "none")
    header = out.splitlines()[2]
    assert "mean |Δ total|" in header and "mean |Δ %|" in header  # the total moves: they differ


# --- found by trying the tool as a new user ------------------------------------------------------------------


def test_explain_takes_a_label_as_every_table_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", str(DEMO_UNIT), "预算完成率")
    assert code == 0
    assert out.splitlines()[0] == "budget_completion_rate — 预算完成率  [过程/预算执行]"


def test_a_weight_named_by_label_says_which_id_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tune", COHORT, "--weight", "预算完成率=6")
    assert code == 2
    assert lines(err) == [
        "scoring tune: no indicator or group '预算完成率' — '预算完成率' is the label of 'budget_completion_rate': "
        "name it by its id, budget_completion_rate"
    ]


def test_a_folder_given_for_one_unit_says_which_commands_take_folders(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "score", COHORT)
    assert code == 1
    assert lines(err) == [
        f"{COHORT}: this is a folder, not a file — name one file in it "
        "(the commands over many units — check, tune, weights, margins — take folders)"
    ]


def test_reproduce_without_published_figures_says_what_to_add(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "reproduce", str(DEMO_UNIT))
    assert code == 1
    assert lines(err) == [
        f"{DEMO_UNIT}: the unit data has no published: section to reproduce — add the figures the source prints, "
        "e.g. published: {total: 92.1, grade: 优} (docs/format.md)"
    ]


def test_margins_named_by_label_says_which_id_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "margins", COHORT, "--indicator", "预算完成率")
    assert code == 2
    assert lines(err) == [
        "scoring margins: no indicator '预算完成率' — '预算完成率' is the label of 'budget_completion_rate': "
        "name it by its id, budget_completion_rate"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  staff_in_post: 335",
            "  在职人员数: 335",
            "unknown-input: unknown input '在职人员数' — '在职人员数' is the label of input 'staff_in_post': "
            "write it as staff_in_post:",
        ),
        (
            "not_applicable: [building_area_control]",
            "not_applicable: [楼堂馆所面积控制率]",
            "unknown-indicator: no indicator '楼堂馆所面积控制率' in the set — '楼堂馆所面积控制率' is the label of "
            "'building_area_control': write its id, building_area_control",
        ),
        (
            "has_budget_rules: true",
            "has_budget_rules: 是",
            "input-value: input 'has_budget_rules' must be true or false, not '是' — "
            "write true or false, unquoted (yes, 是 → true; no, 否 → false)",
        ),
    ],
)
def test_a_unit_naming_things_by_their_labels_gets_one_problem_with_the_name(
    old: str, new: str, expected: str
) -> None:
    """Labels are what tables show: a unit written from a table names inputs and rows by them. The missing
    input or the row's own inputs are not reported as well."""
    text = edited(DEMO_UNIT, old, new)
    with pytest.raises(scoring.DataError) as caught:
        scoring.parse_unit(text, "u.yaml", scoring.load_set(DEMO_SET))
    assert messages(caught.value) == [expected]


@pytest.mark.parametrize(
    ("formula", "hint"),
    [
        (
            "staff_in_post ÷ staff_quota × 100%",
            "write / for ÷, * for ×; a formula gives the number itself: write * 100 for a percentage, without %",
        ),
        ("staff_in_post／staff_quota＊100", "write / for ／, * for ＊"),
        (
            "staff_in_post / staff_quota * 100%",
            "a formula gives the number itself: write * 100 for a percentage, without %",
        ),
        ("staff_in_post / staff_quota x 100", "write * for multiplication"),
    ],
)
def test_a_formula_written_as_a_table_prints_it_gets_the_operators_to_write(formula: str, hint: str) -> None:
    text = edited(DEMO_SET, "formula: staff_in_post / staff_quota * 100", f"formula: {formula}")
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "formula" and problem.hint == hint


def test_a_formula_naming_inputs_by_their_labels_gets_their_names() -> None:
    text = edited(
        DEMO_SET, "formula: staff_in_post / staff_quota * 100", "formula: 在职人员数 / 编制数 * 100"
    )
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert [p.hint for p in caught.value.problems] == [
        "'在职人员数' is the label of input 'staff_in_post': a formula names it staff_in_post",
        "'编制数' is the label of input 'staff_quota': a formula names it staff_quota",
    ]


def test_a_group_weight_hint_lists_every_member_it_adds_up() -> None:
    """A row left out for a formula problem still counts in its group; the members listed add up to the sum."""
    text = edited(DEMO_SET, "key_spending / project_spending * 100", "key_spending / project_spendin * 100")
    text = text.replace("  过程/预算执行: {weight: 20}", "  过程/预算执行: {weight: 21}")
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert messages(caught.value)[1] == (
        "group-weight: group '过程/预算执行' declares weight 21, but its indicators add up to 20 — members: "
        "budget_completion_rate 5, budget_adjustment_rate 5, building_area_control 5, key_spending_rate 5"
    )


def test_check_lists_the_warning_in_its_json(unit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    unit = unit_dir / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("satisfaction: 92.5", "satisfaction: 0.9153"), "utf-8"
    )
    code, out, err = run(capsys, "check", str(unit), "--format", "json")
    data = json.loads(out)
    assert (code, err, data["ok"], data["problems"]) == (0, "", True, [])
    assert [(w["code"], w["subject"], w["line"]) for w in data["warnings"]] == [
        ("percent-fraction", "satisfaction", 26)
    ]


def test_the_warning_speaks_the_commands_language(unit_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = unit_dir / "unit.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("satisfaction: 92.5", "satisfaction: 0.9153"), "utf-8"
    )
    code, _, err = run(capsys, "score", str(unit), "--lang", "zh")
    assert code == 0
    (line,) = lines(err)
    assert line.startswith(f"警告：{unit}:26:3：[percent-fraction] 百分数疑似写成小数：")


def test_a_stale_weight_under_bands_is_the_rule_points_problem_only() -> None:
    """Bands still giving the old full marks (5) to a row now weighted 3: the sums over it would add up at 5."""
    text = edited(
        DEMO_SET,
        "    group: 过程/预算执行\n    weight: 5\n    formula: budget_added",
        "    group: 过程/预算执行\n    weight: 3\n    formula: budget_added",
    )
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert {p.code for p in caught.value.problems} == {"rule-points"}


def test_a_deduction_too_large_for_its_weight_leaves_a_real_sum_error_reported() -> None:
    """A deduction's points say nothing of the weight: a wrong total beside it is reported as ever."""
    text = edited(
        DEMO_SET,
        "{deduct: {over: 0, per: 1, points: 1, steps: whole}}",
        "{deduct: {over: 0, per: 1, points: 9, steps: whole}}",
    )
    text = text.replace("total: 100\n", "total: 101\n", 1).replace("min: 90}", "min: 91}", 1)
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert {p.code for p in caught.value.problems} == {"deduct-points", "weights-sum"}


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("when: year_end_balance == 0", "when: year_end_balance = 0", "compare with ==, not ="),
        (
            "when: year_end_balance <= prior_carryover",
            "when: year_end_balance ≤ prior_carryover",
            "write <= for ≤",
        ),
    ],
)
def test_a_condition_written_as_printed_gets_the_operator_to_write(old: str, new: str, hint: str) -> None:
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(edited(DEMO_SET, old, new), "set.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "formula" and problem.hint == hint


def test_a_number_written_with_its_word_gets_the_bare_number() -> None:
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(edited(DEMO_SET, "- {label: 优, min: 90}", "- {label: 优, min: 90分}"), "set.yaml")
    assert messages(caught.value) == [
        "type: 'min' must be a number, not '90分' — write 90 (a plain number, without '分')"
    ]


@given(
    value=st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=4),
    unit=st.sampled_from(["%", "万元", None]),
)
def test_the_fraction_warning_is_given_exactly_for_a_fraction_of_one_with_unit_percent(
    value: Decimal, unit: str | None
) -> None:
    declared = f", unit: '{unit}'" if unit else ""
    text = (
        "format: scoring/1\nid: t\ntotal: 10\ngrades: [{label: A, min: 0}]\n"
        f"inputs: {{p: {{label: rate{declared}}}}}\n"
        "indicators: [{id: a, weight: 10, formula: p, rule: {linear: {zero_at: -2000, full_at: 2000}}}]\n"
    )
    indicator_set = scoring.parse_set(text, "t.yaml")
    result = scoring.evaluate(indicator_set, {"values": {"p": value}})
    expected = unit == "%" and 0 < abs(value) <= 1
    assert [w.code for w in result.warnings] == (["percent-fraction"] if expected else [])


def test_a_bad_json_lines_table_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(scoring.DataError) as caught:
        scoring.batch.score_table(scoring.load_set(ROOT / "indicators" / "demo.yaml"), bad)
    (problem,) = caught.value.problems
    assert problem.code == "table-json" and problem.location is not None and problem.location.file == str(bad)
