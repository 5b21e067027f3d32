"""The findings of ``scoring reproduce`` in Chinese: the zh catalogue's ``findings`` patterns.

Every check the audit and the reproduction make is caused here on a small set (tests/test_reproduce.py's
four rows in two groups) or on the budget set with sums and printed values (tests/test_published_figures.py),
and each finding's message must translate in full, keeping every quoted name and number. The text report,
the 复核 workbook and the HTML report in Chinese then show no finding in English, and the rows' traces in
the Chinese words of their outcomes; JSON and CSV keep the audit's English (data, not prose). A message no
pattern matches in full stays English, whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring.audit.findings import Finding
from scoring.language import Catalogue
from scoring.report.html_reproduce import reproduction_report
from scoring.report.problems import finding_text, translations
from scoring.report.reproduce import reproduction_csv, reproduction_text
from scoring.report.reproduce_figures import finding_notes
from tests import test_published_figures as budget
from tests.helpers import set_text
from tests.test_reproduce import LINEAR, VALUES, run, small_set, table

ZH, EN = Catalogue("zh"), Catalogue("en")
CJK = re.compile(r"[\u4e00-\u9fff]")
#: What a translation must carry over unchanged: quoted parts and numbers.
KEPT = re.compile(r"(?<!\w)'[^']*'(?!\w)|-?\d+(?:\.\d+)?")

Case = Callable[[], tuple[scoring.Reproduction, scoring.IndicatorSet]]


def _small(published: dict[str, Any], values: dict[str, Any] | None = None, **unit: Any) -> Case:
    return lambda: (run(published, values, **unit), small_set())


def _budget(values: dict[str, Any], published: dict[str, Any]) -> Case:
    return lambda: (
        scoring.reproduce(budget.budget_set(), budget.budget_unit(values, published)),
        budget.budget_set(),
    )


def _rescaled() -> tuple[scoring.Reproduction, scoring.IndicatorSet]:
    rows = [{"id": i, "group": g, "weight": w, "formula": i, "rule": LINEAR}
            for i, g, w in (("a", "G1", 30), ("b", "G1", 20), ("c", "G2", 40), ("d", "G2", 10))]  # fmt: skip
    indicator_set = scoring.parse_set(
        set_text(rows, inputs={n: {} for n in "abcd"}, not_applicable="rescale"), "rescaled.yaml"
    )
    data = {"values": VALUES, "not_applicable": ["d"], "published": {"indicators": {"d": D("9")}}}
    return scoring.reproduce(indicator_set, scoring.unit_from_mapping(data, indicator_set)), indicator_set


UNKNOWN_D = {k: v for k, v in VALUES.items() if k != "d"}
CASES: dict[str, Case] = {
    "total-row-group": _small(table(), {**VALUES, "c": D("80")}),
    "rounding-row": _small(table(indicators={"a": D("27.5")})),
    "rounding-total-and-sum": _small(
        table(total=D("92.0"), indicators={"d": D("9.15")}, groups={"G2": D("46.15")}), {**VALUES, "d": D("91.5")}
    ),
    "rounding-group": _small(table(groups={"G1": D("46")})),
    "attainable": _small({"total": D("95")}, UNKNOWN_D, unknown=["d"]),
    "grade-and-band": _small(table(grade="良")),
    "grade-unknown": _small({"grade": "差"}, UNKNOWN_D, unknown=["d"]),
    "grade-not-in-set": _small(table(grade="特优")),
    "row-differs": _small(table(indicators={"d": D("8")})),
    "row-not-in-set": _small(table(indicators={"zz": D("1")})),
    "row-unknown": _small({"indicators": {"d": D("50")}}, UNKNOWN_D, unknown=["d"]),
    "row-rescaled": _rescaled,
    "row-range": _small(table(indicators={"d": D("10.5")}, groups={"G2": D("47.5")}, total=D("93.4"))),
    "group-sum": _small(table(groups={"G1": D("46.9")})),
    "group-not-in-set": _small(table(groups={"GX": D("1")})),
    "group-unknown": _small({"groups": {"G2": D("99")}}, UNKNOWN_D, unknown=["d"]),
    "weight": _small(table(indicators={"a": {"points": D("27.45"), "weight": D("35")}})),
    "group-weight": _small(table(groups={"G1": {"points": D("45.9"), "weight": D("60")}})),
    "total-sum": _small({"total": D("92.1"), "groups": {"G1": D("45.9"), "G2": D("56.17")}}),
    "sum": _budget({**budget.PARTS, "budget_total": D("120")}, {"indicators": {"output_row": D("90")}}),
    "sum-rounding": _budget(
        {**budget.PARTS, "budget_fiscal": D("80.00"), "budget_other": D("20.00"), "budget_total": D("100.01")},
        {"indicators": {"output_row": D("90")}},
    ),
    "value": _budget(budget.PARTS, {"values": {"rate": D("0"), "spent_total": D("93.50")}, "indicators": {"rate": D("0")}}),
    "value-exact": _budget(budget.PARTS, {"values": {"rate": D("93.4")}, "indicators": {"rate": D("9.35")}}),
}  # fmt: skip


def _findings(case: Case) -> list[Finding]:
    rep, _ = case()
    assert rep.findings, "the case causes no finding"
    return list(rep.findings)


def _assert_said(finding: Finding) -> str:
    said = translations("zh").finding(finding.check, finding.message)
    assert said is not None, f"[{finding.check}] no pattern for: {finding.message}"
    assert CJK.search(said), said
    for part in KEPT.findall(finding.message):
        assert part in said, f"{part!r} lost: {finding.message} → {said}"
    return said


@pytest.mark.parametrize("name", list(CASES))
def test_every_finding_caused_says_its_message_in_chinese(name: str) -> None:
    for finding in _findings(CASES[name]):
        _assert_said(finding)


def test_every_check_is_caused() -> None:
    checks = {finding.check for case in CASES.values() for finding in _findings(case)}
    assert checks == {
        "total", "rounding", "attainable", "grade", "row", "group", "row-range", "weight", "group-sum",
        "total-sum", "grade-band", "sum", "value",
    }  # fmt: skip
    assert set(translations("zh").findings) == checks


def _said(name: str, check: str, subject: str) -> str:
    finding = next(f for f in _findings(CASES[name]) if f.check == check and f.subject == subject)
    return _assert_said(finding)


def test_some_findings_say_exactly() -> None:
    assert _said("total-row-group", "total", "total") == "计算的总分 87.1 与公布的 92.1 相差 -5"
    assert _said("rounding-row", "rounding", "a") == (
        "'a'（a）：公布的 27.5 是计算值 27.45 舍入到 1 位小数的结果，而指标体系规定保留 2 位小数、四舍五入（half_up）；"
        "计算得 27.45 分"
    )
    rounded = next(f for f in _findings(CASES["rounding-total-and-sum"]) if f.source == "audit")
    assert _said("rounding-total-and-sum", "rounding", "total") == (
        "公布的总分 92 是计算值 92.05 按四舍六入五成双（half_even）舍入或按直接舍去（down）舍入的结果，"
        "而指标体系规定保留 1 位小数、四舍五入（half_up）"
    )
    assert _assert_said(rounded) == (
        "公布的各行合计 92.05，只有按四舍六入五成双（half_even）舍入或按直接舍去（down）舍入时"
        "（指标体系规定保留 1 位小数、四舍五入（half_up））才得出总分 92"
    )
    assert _said("attainable", "attainable", "total") == (
        "无论未知各行得多少分，公布的总分 95 都在可得范围 82.9 至 92.9 之外"
    )
    assert _said("grade-unknown", "grade", "grade") == "计算的等级 优 或 良 与公布的等级 差 不同"
    assert _said("grade-and-band", "grade-band", "grade") == (
        "按指标体系的等级线，总分 92.1 应为 优 等级，但表格写的是 良"
    )
    assert _said("sum", "sum", "budget_total") == (
        "'budget_total'（年度资金总额 全年预算数）：其明细 budget_fiscal, budget_other 合计 80 + 20 = 100，"
        "不等于印出的合计 120（相差 20）"
    )
    assert _said("value", "value", "rate") == (
        "'rate'（预算执行率）：表格印的是 0，由其自身数字得出 93.5（按印出的小数位为 94）"
    )


# --- where findings are shown ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["total-row-group", "rounding-total-and-sum", "weight", "sum", "value"])
def test_the_chinese_text_report_shows_no_finding_in_english(name: str) -> None:
    rep, indicator_set = CASES[name]()
    text = reproduction_text(rep, indicator_set, ZH)
    english = reproduction_text(rep, indicator_set, EN)
    for finding in rep.findings:
        assert finding.message not in text
        assert f"[{finding.check}] {finding.message}" in english  # English stays the audit's own
        assert f"[{finding.check}] {finding_text(finding.check, finding.message, ZH)}" in text


def test_a_rows_trace_is_said_in_chinese_where_the_row_is_known() -> None:
    rep, indicator_set = CASES["total-row-group"]()
    row = next(f for f in rep.findings if f.subject == "c")
    assert row.trace is not None and row.trace.startswith(rep.result.indicator("c").outcome)
    text = reproduction_text(rep, indicator_set, ZH)
    outcome = rep.result.indicator("c").outcome_text(ZH)
    assert f"原因：{outcome} [c = 80；计算值 80]" in text
    assert row.trace not in text
    assert row.trace in reproduction_text(rep, indicator_set, EN)
    # without the result, the notes keep the audit's trace
    assert row.trace in finding_notes((row,), ZH)


def test_the_chinese_workbook_and_html_show_no_finding_in_english(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    from scoring.report.reproduce_sheet import write_reproduction_workbook

    rep, indicator_set = CASES["total-row-group"]()
    path = tmp_path / "rep.xlsx"
    write_reproduction_workbook(str(path), rep, indicator_set, ZH)
    cells = [str(c) for sheet in openpyxl.load_workbook(path).worksheets for r in sheet.iter_rows(values_only=True)
             for c in r if c is not None]  # fmt: skip
    shown = "\n".join(cells)
    html = reproduction_report(rep, indicator_set, ZH)
    for finding in rep.findings:
        said = finding_text(finding.check, finding.message, ZH)
        assert finding.message not in shown and said in shown
        assert finding.message not in html and said in html.replace("&#x27;", "'")
        if finding.trace:
            assert finding.trace not in shown and finding.trace not in html


def test_json_and_csv_keep_the_audits_english() -> None:
    rep, indicator_set = CASES["total-row-group"]()
    messages = [finding["message"] for finding in json.loads(rep.to_json())["findings"]]
    assert messages == [finding.message for finding in rep.findings]
    csv = reproduction_csv(rep, indicator_set)
    assert all(finding.message in csv for finding in rep.findings)


def test_the_panel_lines_are_said_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from scoring.cli import main

    panel = Path(__file__).resolve().parent.parent / "examples" / "panel"
    main(["reproduce", str(panel / "unit-a.yaml"), "--lang", "zh"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "专家" in line or "去掉" in line or "平均" in line]
    assert lines, out
    assert not any(re.search(r"\b(mean|median|trimmed|reproduced by|none of)\b", line) for line in lines), (
        lines
    )


# --- falling back -----------------------------------------------------------------------------------------


def test_a_finding_no_pattern_matches_in_full_stays_english() -> None:
    known = translations("zh")
    assert known.finding("total", "computed total 1 differs from the published 2 by a lot") is None
    assert known.finding("nosuch", "computed total 1 differs from the published 2 by -1") is None
    # a clause no pattern knows (a rounding mode never written) leaves the whole message English
    odd = "the published total 92.0 is the computed 92.05 rounded sideways, where the set declares 1 decimals half_up"
    assert known.finding("rounding", odd) is None
    assert finding_text("rounding", odd, ZH) == odd
    assert finding_text("total", "computed total 1 differs from the published 2 by -1", EN) == (
        "computed total 1 differs from the published 2 by -1"
    )


def test_every_finding_and_clause_pattern_uses_exactly_its_groups() -> None:
    import string

    known = translations("zh")
    for key, pairs in [*known.findings.items(), *known.clauses.items()]:
        for pair in pairs:
            fields = {name for _, name, _, _ in string.Formatter().parse(pair.template) if name}
            assert fields == set(pair.pattern.groupindex), (key, pair.pattern.pattern)
            assert CJK.search(pair.template) or key in ("grades", "name", "lists"), pair.template
