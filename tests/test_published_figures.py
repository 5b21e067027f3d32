"""Published figures below the points (sub-line totals, printed values), the status of every published
figure, the exit rule, and what would make an out-of-reach total or grade hold."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring.analysis.margins import unit_margins
from scoring.cli import main
from scoring.language import Catalogue
from scoring.model.unit import Override
from scoring.report.problems import problem_text
from scoring.report.reproduce import reproduction_text
from tests.helpers import set_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "hunan-hrss-2019.yaml"

# A budget block as project tables print it: 资金总额 = 财政拨款 + 其他资金, each with 全年预算数 and
# 全年执行数, and the 执行率 row scored on the totals (10 points × rate, capped).
BUDGET_INPUTS: dict[str, Any] = {
    "budget_total": {"label": "年度资金总额 全年预算数", "sum_of": ["budget_fiscal", "budget_other"]},
    "budget_fiscal": {"label": "财政拨款 全年预算数"},
    "budget_other": {"label": "其他资金 全年预算数"},
    "spent_total": {"label": "年度资金总额 全年执行数", "sum_of": ["spent_fiscal", "spent_other"]},
    "spent_fiscal": {"label": "财政拨款 全年执行数"},
    "spent_other": {"label": "其他资金 全年执行数"},
    "output": {"label": "产出 实际完成值"},
}


def budget_set() -> scoring.IndicatorSet:
    rows = [
        {"id": "rate", "label": "预算执行率", "weight": 10, "formula": "spent_total / budget_total * 100",
         "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
        {"id": "output_row", "label": "产出", "weight": 90, "formula": "output",
         "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
    ]  # fmt: skip
    return scoring.parse_set(set_text(rows, inputs=BUDGET_INPUTS), "budget.yaml")


def budget_unit(values: dict[str, Any], published: dict[str, Any] | None = None) -> scoring.Unit:
    data: dict[str, Any] = {"values": values}
    if published is not None:
        data["published"] = published
    return scoring.unit_from_mapping(data, budget_set())


PARTS = {"budget_fiscal": D("80"), "budget_other": D("20"), "spent_fiscal": D("75.5"), "spent_other": D("18"),
         "output": D("100")}  # fmt: skip


def test_a_total_the_unit_does_not_give_is_the_sum_of_its_parts() -> None:
    unit = budget_unit(PARTS)
    assert unit.values["budget_total"] == D("100") and unit.values["spent_total"] == D("93.5")
    result = scoring.evaluate(budget_set(), unit)
    assert result.indicator("rate").points == D("9.35")


def test_a_missing_total_names_its_parts_in_the_hint() -> None:
    values = {key: value for key, value in PARTS.items() if key != "budget_other"}
    with pytest.raises(scoring.DataError) as caught:
        budget_unit(values)
    (problem,) = caught.value.problems
    assert problem.message == "missing input 'budget_total', needed by rate"
    assert problem.hint == (
        "add it (or all of its parts: budget_fiscal, budget_other) under values:, or mark those indicators "
        "not_applicable"
    )


def test_the_audit_checks_a_printed_total_against_its_printed_parts() -> None:
    indicator_set = budget_set()
    wrong = budget_unit({**PARTS, "budget_total": D("120")}, {"indicators": {"output_row": D("90")}})
    outcome = scoring.reproduce(indicator_set, wrong)
    (finding,) = outcome.audit_findings
    assert (finding.check, finding.subject) == ("sum", "budget_total")
    assert finding.message == (
        "'budget_total' (年度资金总额 全年预算数): its sub-lines budget_fiscal, budget_other add up to 80 + 20 = "
        "100, not to the printed total 120 (a difference of 20)"
    )
    assert not outcome.ok
    # a total printed one cent off the sum of its two printed parts is within their rounding, and said so
    two_places = {**PARTS, "budget_fiscal": D("80.00"), "budget_other": D("20.00")}
    close = budget_unit({**two_places, "budget_total": D("100.01")}, {"indicators": {"output_row": D("90")}})
    (finding,) = scoring.reproduce(indicator_set, close).audit_findings
    assert finding.check == "rounding" and "within the rounding of the printed figures" in finding.message
    # whole numbers are taken as exact: 101 under 80 + 20 is a difference, not a rounding
    off = budget_unit({**PARTS, "budget_total": D("101")}, {"indicators": {"output_row": D("90")}})
    assert [f.check for f in scoring.reproduce(indicator_set, off).audit_findings] == ["sum"]
    # a printed total equal to its parts is clean, and is the figure the rows use
    right = budget_unit({**PARTS, "budget_total": D("100.00")}, {"indicators": {"output_row": D("90")}})
    assert scoring.reproduce(indicator_set, right).ok


def test_a_printed_rate_that_its_own_budget_lines_contradict_is_found_by_the_audit() -> None:
    # the township case: the table prints 执行率 0% while its sub-lines give 93.5%
    published = {"values": {"rate": D("0"), "spent_total": D("93.50")}, "indicators": {"rate": D("0")}}
    outcome = scoring.reproduce(budget_set(), budget_unit(PARTS, published))
    value = next(f for f in outcome.audit_findings if f.check == "value")
    assert value.subject == "rate"
    assert (
        value.message
        == "'rate' (预算执行率): the table prints 0, its own figures give 93.5 (94 at the printed decimals)"
    )
    statuses = {(f.kind, f.subject): f.status for f in outcome.figures}
    assert statuses == {
        ("indicator", "rate"): "not_reproduced",
        ("value", "rate"): "not_reproduced",
        ("value", "spent_total"): "reproduced",  # the sum of its printed parts, at its printed 2 decimals
    }
    assert outcome.verdict == "not_reproduced" and not outcome.ok


def test_printed_values_are_compared_at_the_decimals_they_are_printed_with() -> None:
    values = {**PARTS, "spent_fiscal": D("75.57")}  # rate 93.57
    for printed, status in (("93.57", "reproduced"), ("93.6", "reproduced"), ("94", "reproduced"),
                            ("93.5", "not_reproduced"), ("93.570", "reproduced")):  # fmt: skip
        outcome = scoring.reproduce(budget_set(), budget_unit(values, {"values": {"rate": D(printed)}}))
        assert outcome.figure("rate", "value").status == status, printed  # type: ignore[union-attr]


def test_a_published_value_must_name_something_of_the_set(tmp_path: Path) -> None:
    with pytest.raises(scoring.DataError) as caught:
        budget_unit(PARTS, {"values": {"rates": D("93.5")}})
    (problem,) = caught.value.problems
    assert problem.code == "published-value"
    assert problem.message == "published value 'rates' is not an input, derived name or indicator of the set"
    assert problem.hint == "did you mean 'rate'?"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"t": {"sum_of": ["a", "x"]}, "a": {}}, "'t' is the sum of 'x', which is not an input"),
        ({"t": {"sum_of": ["a", "b"]}, "a": {}, "b": {"type": "boolean"}},
         "'t' is the sum of 'b': a sum is of number inputs, not true/false ones"),
        ({"t": {"sum_of": ["a", "d"]}, "a": {}, "d": {"type": "date"}},
         "'t' is the sum of 'd': a sum is of number inputs, not date ones"),
        ({"t": {"sum_of": ["a", "u"]}, "a": {}, "u": {"sum_of": ["t", "a"]}},
         "'t' is, through its parts, a part of itself: t → u → t"),
    ],
)  # fmt: skip
def test_sums_that_cannot_be_are_refused_at_their_place(inputs: dict[str, Any], message: str) -> None:
    names = [name for name in inputs if name not in ("t", "u")]
    rows = [{"id": "r", "weight": 100, "formula": names[0], "rule": {"linear": {"zero_at": 0, "full_at": 1}}}]
    with pytest.raises(scoring.DefinitionError) as caught:
        scoring.parse_set(set_text(rows, inputs=inputs), "sums.yaml")
    messages = [problem.message for problem in caught.value.problems]
    assert message in messages
    problem = next(p for p in caught.value.problems if p.message == message)
    assert problem.code == "sum-of" and problem.location.line is not None


# --- statuses and the exit rule ------------------------------------------------------------------------


def three_rows_published(tmp_path: Path, **published: Any) -> Path:
    """The demo-like set: rows a, b computed, c unknown; the unit's table prints only a and b."""
    set_path = tmp_path / "set.yaml"
    rows = [
        {"id": "a", "weight": 40, "formula": "a", "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
        {"id": "b", "weight": 40, "formula": "b", "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
        {"id": "c", "weight": 20, "formula": "c", "rule": {"linear": {"zero_at": 0, "full_at": 100}}},
    ]
    set_path.write_text(set_text(rows, inputs={"a": {}, "b": {}, "c": {}}), encoding="utf-8")
    unit = {"set": "set.yaml", "values": {"a": 90, "b": 75.5}, "unknown": {"c": {"reason": "no figure"}},
            "published": published}  # fmt: skip
    path = tmp_path / "unit.yaml"
    path.write_text(json.dumps(unit, ensure_ascii=False), encoding="utf-8")
    return path


def test_figures_that_do_not_depend_on_unknown_rows_are_reproduced_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = three_rows_published(tmp_path, indicators={"a": 36, "b": 30.2})
    assert main(["reproduce", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Published: 2 rows\n" in out
    assert "published total" not in out and "total attainable" not in out
    assert out.rstrip().endswith(
        "REPRODUCED — every published figure follows from the data, and the table is consistent "
        "(1 row is not known; no published figure depends on it)"
    )
    assert main(["reproduce", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "reproduced" and data["ok"] is True
    assert [(f["kind"], f["subject"], f["status"]) for f in data["figures"]] == [
        ("indicator", "a", "reproduced"),
        ("indicator", "b", "reproduced"),
    ]


def test_a_figure_that_depends_on_an_unknown_row_is_consistent_not_reproduced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = three_rows_published(tmp_path, total=80, indicators={"a": 36, "c": 13})
    assert main(["reproduce", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "consistent"
    assert {f["subject"]: f["status"] for f in data["figures"]} == {
        "total": "consistent",
        "a": "reproduced",
        "c": "consistent",
    }
    assert main(["reproduce", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "NOT DETERMINED — 2 published figures depend on 1 row not known exactly; none is contradicted" in out
    )
    # what the total asks of the unknown row: 80 needs c ≥ 13.75 (a 36 + b 30.2 = 66.2; 79.95 − 66.2)
    assert "    - c c: at least 13.75 and at most 13.84 (it can score 0.00 to 20.00)" in out


# --- what would make it hold --------------------------------------------------------------------------


def test_on_the_seed_reproduce_says_what_brings_92_1_within_reach(capsys: pytest.CaptureFixture[str]) -> None:
    unit = scoring.load_unit(SEED)
    indicator_set = unit.indicator_set
    outcome = scoring.reproduce(indicator_set, unit)
    assert outcome.figure("total").status == "not_reproduced"  # type: ignore[union-attr]
    assert outcome.figure("grade").status == "consistent"  # type: ignore[union-attr]
    total_gap = next(gap for gap in outcome.gap if gap.figure == "total")
    assert (total_gap.side, total_gap.change, total_gap.needed) == ("up", D("0.05"), (D("92.05"), D("92.14")))
    moves = {move.id: move for move in total_gap.moves}
    assert {
        "budget_completion_rate",
        "budget_management_rules",
        "funds_compliance",
        "basic_information",
    } <= set(moves)
    # each move, made on the unit as it is, brings 92.1 within the range its unknown rows allow
    for move_id in ("budget_completion_rate", "budget_management_rules"):
        (change,) = moves[move_id].solutions[0].changes
        changed = dataclasses.replace(unit, values={**unit.values, change.name: change.new})
        low, high = scoring.evaluate(indicator_set, changed).total_range  # type: ignore[misc]
        assert low <= D("92.1") <= high, move_id
    funds = dataclasses.replace(unit, unknown={k: v for k, v in unit.unknown.items() if k != "funds_compliance"},
                                overrides={"funds_compliance": Override(points=D("6.45"), reason="好")})  # fmt: skip
    assert scoring.evaluate(indicator_set, funds).total_range[1] == D("92.1")  # type: ignore[index]
    assert moves["funds_compliance"].needed == D("6.45")
    assert main(["reproduce", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert (
        "  the published total 92.1 needs the rows to add up to 92.05 to 92.14: even with every unknown row at "
        "its highest, they fall 0.05 short.\n    Any one of these would close it:\n"
    ) in out
    assert (
        "    - funds_compliance 资金使用合规性 judged at ≥ 6.45 points, tier 好 (now at most 6.40, tier 中)"
        in out
    )
    assert (
        "    - budget_management_rules 管理制度健全性 ≥ 4.05 points: has_internal_control_review false → true"
        in out
    )
    assert (
        "  the published grade 优 needs the rows to add up to 89.95 to 100.00: it holds when the unknown rows "
        in out
    )


def test_a_determined_total_that_differs_gets_its_moves(tmp_path: Path) -> None:
    path = three_rows_published(tmp_path, total=85)
    unit = scoring.load_unit(path)
    known = dataclasses.replace(unit, values={**unit.values, "c": D("50")}, unknown={})
    outcome = scoring.reproduce(unit.indicator_set, known)
    (gap,) = outcome.gap
    # computed 36 + 30.2 + 10 = 76.2; 85 needs 84.95: 8.75 more from one row
    assert (gap.side, gap.change) == ("up", D("8.75"))
    changes = {move.id: move.solutions[0].changes[0].new for move in gap.moves}
    # with no row unknown the report speaks of the rows, not of unknown ones at their highest
    text = reproduction_text(outcome, unit.indicator_set)
    assert (
        "  the published total 85 needs the rows to add up to 84.95 to 85.04: the rows fall 8.75 short.\n"
        in text
    )
    # a cannot give 8.75 more (36 + 8.75 > 40); c is moved in whole units, as its figure 50 is written
    assert changes == {"b": D("97.4"), "c": D("94")}


def test_the_reproduction_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reproduce", str(SEED), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    for line in (
        "公布：总分 92.1，等级 优",
        "  故总分在 49.6 至 92.0 之间，等级 优 或 良 或 中 或 差",
        "  总分 92.1：未复现（计算 49.6 至 92.0）",
        "  等级 优：相容，未确定（计算 优 或 良 或 中 或 差）",
        "  公布总分 92.1，要求各行合计 92.05 至 92.14：即使未知各行都取最高，仍差 0.05 分。",
        "    - budget_management_rules 管理制度健全性 ≥ 4.05 分：has_internal_control_review 否 → 是",
        "    - funds_compliance 资金使用合规性 评为 ≥ 6.45 分，档次 好（现在至多 6.40，档次 中）",
        "公布表审核：无问题",
        "未复现 — 1 个公布数字不能由数据得出（见上）",
    ):
        assert line + "\n" in out, line


def test_the_workbook_and_the_html_report_say_what_would_make_it_hold(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    assert main(["reproduce", str(SEED), "-o", str(html), "--lang", "zh"]) == 1
    page = html.read_text(encoding="utf-8")
    assert '<section data-section="gap"><h2>怎样才能成立</h2>' in page
    assert (
        "<li>funds_compliance 资金使用合规性 评为 ≥ 6.45 分，档次 好（现在至多 6.40，档次 中）</li>" in page
    )
    assert '"verdict": "not_reproduced"' in page
    assert main(["reproduce", str(SEED), "-o", str(xlsx)]) == 1
    sheet = openpyxl.load_workbook(xlsx).worksheets[-1]
    cells = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0]]
    start = cells.index("What would make it hold")
    assert cells[start + 1].startswith("the published total 92.1 needs the rows to add up to 92.05 to 92.14")
    assert (
        "- budget_management_rules 管理制度健全性 ≥ 4.05 points: has_internal_control_review false → true"
        in cells
    )


def test_a_verdict_not_determined_still_says_the_audit_found_something(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 80 and 中 are each within reach (the total may be 66.2 to 86.2), but not together: the audit says so
    path = three_rows_published(tmp_path, total=80, grade="中")
    assert main(["reproduce", str(path)]) == 1
    out = capsys.readouterr().out
    assert "  - [grade-band] a total of 80 earns grade 良 in the set's bands, but the table says 中" in out
    assert out.rstrip().endswith("but the published table has inconsistencies (see the audit)")


# --- totals summed from their parts, through the checks, the analyses and the batch path ----------------

SUMS_SET = """\
format: scoring/1
id: sums
total: 100
grades: [{label: good, min: 80}, {label: bad, min: 0}]
inputs:
  a: {}
  b: {}
  tot: {sum_of: [a, b], max: 200}
indicators:
  - {id: A, weight: 50, formula: a, rule: {linear: {zero_at: 0, full_at: 100}}}
  - {id: B, weight: 50, formula: tot, rule: {deduct: {over: 100, per: 1, points: 10, steps: whole}}}
"""


def sums_set() -> scoring.IndicatorSet:
    return scoring.parse_set(SUMS_SET, "sums.yaml")


def test_a_summed_total_meets_its_own_declaration() -> None:
    with pytest.raises(scoring.DataError) as caught:
        scoring.unit_from_mapping({"values": {"a": 150, "b": 60}}, sums_set())
    (problem,) = caught.value.problems
    assert problem.message == "input 'tot' is 210, above its maximum 200 (the sum of its parts a + b)"
    assert problem.hint == "check the parts' figures"
    assert problem_text(problem, Catalogue("zh")).endswith(
        "输入 'tot' 为 210，高于其上限 200（该值为其各部分 a + b 之和）（提示：请核对各部分的数字）"
    )


def test_a_refused_part_is_the_one_problem_not_its_total_too() -> None:
    with pytest.raises(scoring.DataError) as caught:
        scoring.unit_from_mapping({"values": {"a": "3万", "b": 60}}, sums_set())
    assert [problem.code for problem in caught.value.problems] == ["input-value"]


def test_margins_move_a_part_and_its_total_with_it() -> None:
    indicator_set = sums_set()
    unit = scoring.unit_from_mapping({"unit": "u", "values": {"a": 40, "b": 50}}, indicator_set)
    margins = unit_margins(indicator_set, unit)
    (up,) = [m for m in margins.indicators if m.id == "A" and m.side == "up"]
    (way,) = up.solutions
    # a 40 → 60 lifts A to 30 but the total it feeds to 110, where B loses all 50: the grade stays bad
    assert (way.changes[0].name, way.changes[0].new, way.verified) == ("a", D("60"), False)
    assert [(moved.id, moved.points_after) for moved in way.also_moves] == [("B", D("0.00"))]
    # the total itself is never offered as a figure to change: the unit gave its parts, not it
    assert all(c.name != "tot" for m in margins.indicators for s in m.solutions for c in s.changes)


def test_a_table_with_the_parts_but_not_the_total_scores_as_the_engine_does(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    table = tmp_path / "units.csv"
    table.write_text("unit,a,b\nu1,40,50\nu2,60,50\nu3,10,5\n", encoding="utf-8")
    indicator_set = sums_set()
    batch = scoring.score_table(indicator_set, table)
    expected = [
        scoring.evaluate(indicator_set, {"unit": name, "values": {"a": a, "b": b}}).total
        for name, a, b in (("u1", 40, 50), ("u2", 60, 50), ("u3", 10, 5))
    ]
    places = indicator_set.rounding.total_places  # the batch's totals are whole units of the last decimal
    assert [D(int(total)).scaleb(-places) for total in batch.array("total")] == expected
    assert expected == [D("70.0"), D("30.0"), D("55.0")] and batch.failed == 0


def test_a_published_section_without_figures_reproduces_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = three_rows_published(tmp_path, source="自评报告")
    assert main(["reproduce", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Published: nothing to compare\n" in out
    assert out.rstrip().endswith(
        "NOTHING TO COMPARE — the published: section gives no total, grade, row, subtotal or value"
    )


def test_printed_values_keep_their_written_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values = {**PARTS, "spent_fiscal": D("75.6")}  # rate 93.6 exactly
    # a figure written as text, as tables print it, is read as the number it shows
    for printed, status in (("93.60%", "reproduced"), ("93.6", "reproduced"), ("1,093.6", "not_reproduced")):
        outcome = scoring.reproduce(budget_set(), budget_unit(values, {"values": {"rate": printed}}))
        assert outcome.figure("rate", "value").status == status, printed  # type: ignore[union-attr]
    # and the report shows the figure as printed, its last zero kept
    outcome = scoring.reproduce(budget_set(), budget_unit(values, {"values": {"rate": D("93.60")}}))
    text = reproduction_text(outcome, budget_set())
    assert "  value rate 93.60: reproduced\n" in text


def test_the_reports_speak_only_of_the_figures_published(tmp_path: Path) -> None:
    from scoring.report.reproduce_figures import summary_lines

    path = three_rows_published(tmp_path, indicators={"a": 36, "b": 30.2}, source="自评表")
    unit = scoring.load_unit(path)
    outcome = scoring.reproduce(unit.indicator_set, unit)
    assert summary_lines(outcome, unit.indicator_set, Catalogue("zh"))[0] == "公布：2 行得分；来源：自评表"
    assert (
        summary_lines(outcome, unit.indicator_set, Catalogue("en"))[0] == "Published: 2 rows; source: 自评表"
    )


def test_no_published_section_is_said_in_the_commands_language(capsys: pytest.CaptureFixture[str]) -> None:
    demo = ROOT / "examples" / "demo.yaml"
    assert main(["reproduce", str(demo), "--lang", "zh"]) == 1
    assert capsys.readouterr().err.startswith(f"{demo}：单位数据没有 published: 部分，无可复核 — ")
