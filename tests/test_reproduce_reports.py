"""``scoring reproduce`` as reports people read: the workbook (its 评分表 and 复核 sheets, read back with
openpyxl), the HTML report, and CSV with the byte order mark (and ``score``'s CSV and ``--excel``).

The cases: the seed case (examples/hunan-hrss-2019.yaml, whose published total 92.1 is out of reach), every
shipped example given a published table equal to its own result (every figure reproduced), the demo unit
with a table planted with differences, and a small set for the rounding and consistency findings."""

from __future__ import annotations

import contextlib
import io
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

import scoring
from scoring.cli import main
from scoring.language import Catalogue
from scoring.report.csv import BOM
from scoring.report.reproduce import reproduction_csv
from scoring.report.reproduce_figures import TONE_COLOURS, figure_lines, finding_notes, verdict_key

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("xlsxwriter")
pytest.importorskip("plotly")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "hunan-hrss-2019.yaml"
DEMO = ROOT / "examples" / "demo.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ZH, EN = Catalogue("zh"), Catalogue("en")
RED, GREEN, AMBER = (f"FF{TONE_COLOURS[tone][1:].upper()}" for tone in ("bad", "good", "open"))

#: The demo unit's own result: 79.4 中, with 预算完成率 3 of 5, 过程/预算执行 9.4 of 20.
DEMO_PUBLISHED: dict[str, Any] = {
    "total": 79.4,
    "grade": "中",
    "indicators": {
        "staff_control_rate": 5,  # reproduced
        "sangong_change_rate": {"points": 8, "weight": 8},  # reproduced, weight as the set's
        "budget_completion_rate": 4,  # differs: computed 3
        "key_spending_rate": 1.4,  # reproduced (exact 1.399 → 1.40)
        "satisfaction_rate": {"points": 10, "weight": 12},  # reproduced, but the set's weight is 10
        "no_such_row": 2,  # not a row of the set
    },
    "groups": {"投入": 14.5, "过程/预算执行": {"points": 9.4, "weight": 20}, "产出": 27},
    "source": "测试用公布表",
}


def run_cli(*args: str) -> tuple[int, str]:
    """The command line in this process: (exit status, stdout)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


class _Dumper(yaml.SafeDumper):
    """YAML with decimals written as the plain numbers they are."""


_Dumper.add_representer(
    Decimal,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:float" if "." in str(value) else "tag:yaml.org,2002:int", str(value)
    ),
)


def unit_with(path: Path, published: dict[str, Any], folder: Path) -> Path:
    """A copy of a shipped unit file (its set named by an absolute path) with ``published`` as its table."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["set"] = str((path.parent / data["set"]).resolve())
    data["published"] = published
    copy = folder / path.name
    copy.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return copy


def own_table(path: Path) -> dict[str, Any]:
    """A published table equal to the unit's own result: every counted row, every group, total, grade."""
    unit = scoring.load_unit(path)
    result = scoring.evaluate(unit.indicator_set, unit)
    return {
        "total": result.total,
        "grade": result.grade,
        "indicators": {row.id: row.points for row in result.indicators if row.counted},
        "groups": {group.path: group.points for group in result.groups},
    }


def outcome_of(path: Path) -> tuple[scoring.IndicatorSet, scoring.Reproduction]:
    unit = scoring.load_unit(path)
    return unit.indicator_set, scoring.reproduce(unit.indicator_set, unit)


def sheet_lines(sheet: Any, header: str) -> tuple[int, list[tuple[Any, ...]]]:
    """(row of the header, the figure lines below it up to the first empty row) of the 复核 sheet."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == header)
    lines = []
    for row in rows[start + 1 :]:
        if row[0].value is None:
            break
        lines.append(row)
    return start + 1, lines


def decimal_of(value: Any, places: int) -> Decimal:
    """A number read back from the workbook, at the decimals shown."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places))


# --- the workbook ------------------------------------------------------------------------------------------


def test_the_workbook_sets_each_published_figure_beside_the_engines(tmp_path: Path) -> None:
    unit = unit_with(DEMO, DEMO_PUBLISHED, tmp_path)
    out = tmp_path / "复核.xlsx"
    code, _ = run_cli("reproduce", str(unit), "-o", str(out), "--lang", "zh")
    assert code == 1  # differences: not reproduced
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [ZH.text("sheet.score"), ZH.text("reproduce.sheet")]
    assert book.active.title == ZH.text("reproduce.sheet")
    sheet = book[ZH.text("reproduce.sheet")]
    header_row, lines = sheet_lines(sheet, ZH.text("reproduce.column.kind"))
    assert sheet.freeze_panes == f"A{header_row + 1}"
    indicator_set, outcome = outcome_of(unit)
    expected = figure_lines(outcome, indicator_set, ZH)
    assert [(row[1].value, row[3].value) for row in lines] == [
        (line.subject, ZH.text(f"reproduce.figure.{line.figure}")) for line in expected
    ]
    by_key = {(row[1].value, row[3].value): row for row in lines}
    points, weight = ZH.text("reproduce.figure.points"), ZH.text("reproduce.figure.weight")
    result = outcome.result
    rows = {row.id: row for row in result.indicators}
    for subject in (
        "staff_control_rate",
        "sangong_change_rate",
        "budget_completion_rate",
        "key_spending_rate",
    ):
        cells = by_key[(subject, points)]
        assert decimal_of(cells[4].value, 2) == rows[subject].points  # the engine's
        assert cells[4].number_format == "0.00"
        published = DEMO_PUBLISHED["indicators"][subject]
        published = published["points"] if isinstance(published, dict) else published
        assert Decimal(repr(cells[5].value)) == Decimal(str(published))
    differs = by_key[("budget_completion_rate", points)]
    assert differs[6].value == -1 and differs[7].value == ZH.text("reproduce.status.mismatch")
    assert "[row]" in differs[8].value and ZH.text("reproduce.trace", trace="")[:4] in differs[8].value
    assert all(cell.fill.fgColor.rgb == RED for cell in differs)
    assert all(cell.fill.fgColor.rgb == GREEN for cell in by_key[("staff_control_rate", points)])
    printed = by_key[("satisfaction_rate", weight)]
    assert (printed[4].value, printed[5].value, printed[6].value) == (10, 12, -2)
    assert printed[7].value == ZH.text("reproduce.status.mismatch") and printed[4].fill.fgColor.rgb == RED
    assert by_key[("satisfaction_rate", points)][4].fill.fgColor.rgb == GREEN
    missing = by_key[("no_such_row", points)]
    assert missing[7].value == ZH.text("reproduce.status.not_in_set") and missing[5].fill.fgColor.rgb == RED
    group = by_key[("过程/预算执行", points)]
    assert decimal_of(group[4].value, 2) == Decimal("9.40") and group[7].value == ZH.text(
        "reproduce.status.match"
    )
    total = by_key[("total", points)]
    assert decimal_of(total[4].value, 1) == result.total and total[4].number_format == "0.0"
    grade = by_key[("grade", ZH.text("reproduce.figure.grade"))]
    assert (grade[4].value, grade[5].value) == (result.grade, "中") and grade[7].fill.fgColor.rgb == GREEN


def test_the_workbook_lists_every_finding_and_sizes_its_columns_for_chinese(tmp_path: Path) -> None:
    unit = unit_with(DEMO, DEMO_PUBLISHED, tmp_path)
    out = tmp_path / "out.xlsx"
    run_cli("reproduce", str(unit), "-o", str(out), "--lang", "zh")
    sheet = openpyxl.load_workbook(out)[ZH.text("reproduce.sheet")]
    _, findings = sheet_lines(sheet, ZH.text("reproduce.column.source"))
    _, outcome = outcome_of(unit)
    assert len(outcome.findings) == 3  # budget_completion_rate, no_such_row, satisfaction_rate's weight
    # the messages and traces in Chinese (tests/test_finding_messages_zh.py checks the translation)
    assert [(row[1].value, row[2].value, row[8].value) for row in findings] == [
        (f.check, f.subject, finding_notes((f,), ZH, checks=False, result=outcome.result))
        for f in outcome.findings
    ]
    assert not any(f.message in str(row[8].value) for row in findings for f in outcome.findings)
    sources = {row[0].value for row in findings}
    assert sources == {ZH.text("reproduce.source.reproduction"), ZH.text("reproduce.source.audit")}
    # a wide character counts two: the label column holds the longest label, 社会公众或服务对象满意度
    assert sheet.column_dimensions["C"].width >= 2 * len("社会公众或服务对象满意度")
    assert sheet["A1"].value == ZH.text("reproduce.title", unit="示例部门")
    assert sheet["A2"].value == ZH.text("reproduce.verdict.not") and sheet["A2"].fill.fgColor.rgb == RED


def test_the_seed_cases_total_is_out_of_reach_and_its_score_sheet_shows_the_range(tmp_path: Path) -> None:
    out = tmp_path / "seed.xlsx"
    code, _ = run_cli("reproduce", str(SEED), "-o", str(out), "--lang", "en")
    assert code == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [EN.text("sheet.score"), EN.text("reproduce.sheet")]
    score = book[EN.text("sheet.score")]
    assert any(row[0].value == EN.text("row.total") for row in score.iter_rows())
    _, lines = sheet_lines(book[EN.text("reproduce.sheet")], EN.text("reproduce.column.kind"))
    total, grade = lines
    assert (total[1].value, total[4].value, total[5].value) == ("total", "49.6–92.0", 92.1)
    assert total[7].value == EN.text("reproduce.status.out_of_reach") and total[5].fill.fgColor.rgb == RED
    assert "[attainable]" in total[8].value and total[6].value is None
    assert grade[7].value == EN.text("reproduce.status.in_range") and grade[7].fill.fgColor.rgb == AMBER
    assert grade[4].value == "优/良/中/差"


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p != SEED], ids=lambda p: p.stem)
def test_a_table_equal_to_the_result_is_reproduced_line_by_line(path: Path, tmp_path: Path) -> None:
    unit = unit_with(path, own_table(path), tmp_path)
    out = tmp_path / "own.xlsx"
    code, _ = run_cli("reproduce", str(unit), "-o", str(out), "--lang", "en")
    assert code == 0
    indicator_set, outcome = outcome_of(unit)
    assert outcome.ok
    _, lines = sheet_lines(
        openpyxl.load_workbook(out)[EN.text("reproduce.sheet")], EN.text("reproduce.column.kind")
    )
    result = outcome.result
    engine = {row.id: row.points for row in result.indicators} | {g.path: g.points for g in result.groups}
    engine["total"] = result.total
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    assert len(lines) == len(outcome.published.indicators) + len(outcome.published.groups) + 2
    for cells in lines:
        assert cells[7].value == EN.text("reproduce.status.match")
        assert all(cell.fill.fgColor.rgb == GREEN for cell in cells)
        if cells[1].value == "grade":
            assert cells[4].value == result.grade
            continue
        shown = total_places if cells[1].value == "total" else places
        assert decimal_of(cells[4].value, shown) == engine[cells[1].value]
        assert cells[4].number_format == ("0" if shown == 0 else "0." + "0" * shown)
        assert cells[6].value == 0


def test_a_row_left_out_and_a_coarser_figure_get_their_own_status(tmp_path: Path) -> None:
    example = ROOT / "examples" / "cn-project-employment-training.yaml"
    table = own_table(example)
    unit = scoring.load_unit(example)
    left_out = next(row for row in scoring.evaluate(unit.indicator_set, unit).indicators if not row.counted)
    table["indicators"][left_out.id] = 5
    exact = next(
        r for r in scoring.evaluate(unit.indicator_set, unit).indicators if r.points_exact != r.points
    )
    table["indicators"][exact.id] = Decimal(str(exact.points)).quantize(Decimal("0.1"))
    indicator_set, outcome = outcome_of(unit_with(example, table, tmp_path))
    lines = {line.subject: line for line in figure_lines(outcome, indicator_set, EN)}
    statuses = {subject: line.status for subject, line in lines.items()}
    assert statuses[left_out.id] == "not_counted" and lines[left_out.id].computed is None
    # 9.375 printed as 9.4: the set's 2 decimals would print 9.38
    assert (exact.id, exact.points_exact, statuses[exact.id]) == ("output_cost", Decimal("9.375"), "rounding")
    assert lines[exact.id].difference == Decimal("-0.02") and lines[exact.id].tone == "bad"
    # the table's own sums no longer hold: the groups above the row and the total are inconsistent
    assert statuses["产出指标/成本指标"] == statuses["产出指标"] == statuses["total"] == "inconsistent"
    assert {statuses[path] for path in ("预算执行", "效益指标", "满意度指标", "grade")} == {"match"}
    assert verdict_key(outcome) == "not"


# --- HTML ------------------------------------------------------------------------------------------------


class _Table(HTMLParser):
    """The rows of one table of a page: each row's class and its cells' (data-value, class, text)."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside = table_id, False
        self.rows: list[tuple[str, list[tuple[str, str, str]]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.inside = found.get("id") == self.table_id
        elif self.inside and tag == "tr":
            self.rows.append((found.get("class") or "", []))
        elif self.inside and tag == "td":
            self.cell = [found.get("data-value") or "", found.get("class") or "", ""]

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            value, css, text = self.cell
            self.rows[-1][1].append((value, css, text))
            self.cell = None
        elif tag == "table":
            self.inside = False


def table_rows(page: str, table_id: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    parser = _Table(table_id)
    parser.feed(page)
    return [row for row in parser.rows if row[1]]


def test_the_html_report_shows_every_published_figure_with_its_status(tmp_path: Path) -> None:
    unit = unit_with(DEMO, DEMO_PUBLISHED, tmp_path)
    out = tmp_path / "report.html"
    code, _ = run_cli("reproduce", str(unit), "-o", str(out), "--lang", "zh")
    assert code == 1
    page = out.read_text(encoding="utf-8")
    indicator_set, outcome = outcome_of(unit)
    lines = figure_lines(outcome, indicator_set, ZH)
    rows = table_rows(page, "figures-table")
    assert len(rows) == len(lines)
    for (classes, cells), line in zip(rows, lines, strict=True):
        assert f"tone-{line.tone}" in classes
        subject, computed, published, status = cells[1], cells[3], cells[4], cells[6]
        assert subject[0] == line.subject
        assert status[0] == line.status and status[2] == ZH.text(f"reproduce.status.{line.status}")
        assert {"good": "grade-0", "open": "grade-2", "bad": "grade-3"}[line.tone] in status[1]
        if isinstance(line.published, Decimal):
            assert Decimal(published[0]) == line.published
        if isinstance(line.computed, Decimal):
            assert Decimal(computed[0]) == line.computed
    assert ZH.text("reproduce.verdict.not") in page and 'data-verdict="bad"' in page
    findings = table_rows(page, "findings")
    assert [cells[1][2] for _, cells in findings] == [f.check for f in outcome.findings]
    block = re.search(r'<script type="application/json" id="figures">(.*?)</script>', page)
    assert block is not None
    figures = json.loads(block.group(1))
    assert [line["subject"] for line in figures["lines"]] == [line.subject for line in lines]
    assert figures["verdict"] == {
        "verdict": "not_reproduced",
        "reproduced": False,
        "audit_clean": False,
        "ok": False,
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_html_report_fetches_nothing_and_draws_its_chart(path: Path, tmp_path: Path) -> None:
    unit = path if path == SEED else unit_with(path, own_table(path), tmp_path)
    out = tmp_path / "report.html"
    run_cli("reproduce", str(unit), "-o", str(out), "--lang", "en")
    page = out.read_text(encoding="utf-8")
    import plotly.offline

    library = plotly.offline.get_plotlyjs()
    assert page.count(library) == 1  # inlined once; the rest of the page names no address to fetch
    ours = page.replace(library, "")
    assert "<script src" not in ours.lower() and "<link" not in ours.lower()
    assert not re.search(r"""(src|href|url)[=(]["']?(https?:|//)""", ours, re.IGNORECASE)
    assert page.count('data-chart="computed-published"') == 1
    title = EN.text("reproduce.chart_total") if path == SEED else EN.text("reproduce.chart")
    assert title in page
    verdict = "not" if path == SEED else "ok"
    assert EN.text(f"reproduce.verdict.{verdict}") in page


def test_text_from_the_files_is_escaped_in_the_html(tmp_path: Path) -> None:
    published = {**DEMO_PUBLISHED, "source": "<script>alert(1)</script>", "indicators": {"<b>x</b>": 1}}
    unit = unit_with(DEMO, published, tmp_path)
    out = tmp_path / "report.html"
    run_cli("reproduce", str(unit), "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>x</b>" not in page


# --- CSV and --excel -----------------------------------------------------------------------------------------


def test_reproduce_writes_its_csv_with_a_byte_order_mark_for_excel(tmp_path: Path) -> None:
    indicator_set, outcome = outcome_of(SEED)
    expected = reproduction_csv(outcome, indicator_set)
    code, text = run_cli("reproduce", str(SEED), "--format", "csv", "--lang", "en")
    assert code == 1 and text == expected and not text.startswith(BOM)
    assert run_cli("reproduce", str(SEED), "--format", "csv", "--excel", "--lang", "en")[1] == BOM + expected
    assert run_cli("reproduce", str(SEED), "--format", "csv", "--lang", "zh")[1] == BOM + expected
    assert not run_cli("reproduce", str(SEED), "--format", "json", "--excel")[1].startswith(BOM)
    out = tmp_path / "seed.csv"
    run_cli("reproduce", str(SEED), "--format", "csv", "--excel", "-o", str(out))
    assert out.read_text(encoding="utf-8") == BOM + expected
    run_cli("reproduce", str(SEED), "--format", "csv", "--lang", "en", "-o", str(out))
    assert out.read_text(encoding="utf-8") == expected
    run_cli("reproduce", str(SEED), "-o", str(tmp_path / "seed.txt"), "--excel")
    assert (tmp_path / "seed.txt").read_text(encoding="utf-8").startswith(outcome.result.unit)


def test_score_takes_excel_for_its_csv_on_stdout_and_in_a_file(tmp_path: Path) -> None:
    code, plain = run_cli("score", str(DEMO), "--format", "csv", "--lang", "en")
    assert code == 0 and not plain.startswith(BOM) and "," in plain.splitlines()[0]
    assert run_cli("score", str(DEMO), "--format", "csv", "--excel", "--lang", "en")[1] == BOM + plain
    out = tmp_path / "demo.csv"
    run_cli("score", str(DEMO), "--format", "csv", "--excel", "--lang", "en", "-o", str(out))
    assert out.read_text(encoding="utf-8") == BOM + plain
    run_cli("score", str(DEMO), "--format", "csv", "--lang", "en", "-o", str(out))
    assert out.read_text(encoding="utf-8") == plain
    run_cli("score", str(DEMO), "--format", "json", "--excel", "-o", str(out))
    assert not out.read_text(encoding="utf-8").startswith(BOM)


def test_reproduce_without_a_published_section_writes_no_report(tmp_path: Path) -> None:
    out = tmp_path / "none.xlsx"
    code, _ = run_cli("reproduce", str(DEMO), "-o", str(out))
    assert code == 1 and not out.exists()


def test_the_difference_has_the_sign_the_findings_message_gives(tmp_path: Path) -> None:
    unit = unit_with(DEMO, {"total": 80, "grade": "良"}, tmp_path)
    out = tmp_path / "total.xlsx"
    assert run_cli("reproduce", str(unit), "-o", str(out), "--lang", "en")[0] == 1
    _, lines = sheet_lines(
        openpyxl.load_workbook(out)[EN.text("reproduce.sheet")], EN.text("reproduce.column.kind")
    )
    total, grade = lines
    assert (total[4].value, total[5].value, total[6].value) == (79.4, 80, -0.6)
    assert "by -0.6" in total[8].value and total[7].value == EN.text("reproduce.status.mismatch")
    assert (grade[4].value, grade[5].value, grade[7].value) == (
        "中",
        "良",
        EN.text("reproduce.status.mismatch"),
    )


def test_a_table_that_prints_no_figure_has_no_lines_and_no_chart(tmp_path: Path) -> None:
    unit = unit_with(DEMO, {"source": "a report that gives no figures"}, tmp_path)
    out = tmp_path / "none.html"
    # nothing published to compare reproduces nothing: exit 1
    assert run_cli("reproduce", str(unit), "-o", str(out), "--lang", "en")[0] == 1
    page = out.read_text(encoding="utf-8")
    assert table_rows(page, "figures-table") == [] and 'data-chart="' not in page
    assert EN.text("reproduce.no_chart") in page and EN.text("reproduce.no_findings") in page
    assert EN.text("reproduce.verdict.nothing") in page and "a report that gives no figures" in page


def test_an_attainable_total_and_rows_in_their_range_are_open_not_reproduced(tmp_path: Path) -> None:
    """The seed case with a total it can reach (80) and rows that lie in their ranges: nothing contradicts
    the table, nothing is reproduced — amber lines, the verdict 'not determined', what the unknown rows need."""
    published = {
        "total": 80,
        "grade": "良",
        "indicators": {"funds_compliance": 5, "staff_control_rate": 5},
        "groups": {"过程/预算管理": 20},
    }
    unit = unit_with(SEED, published, tmp_path)
    out = tmp_path / "open.xlsx"
    assert run_cli("reproduce", str(unit), "-o", str(out), "--lang", "en")[0] == 1
    _, outcome = outcome_of(unit)
    assert verdict_key(outcome) == "open" and outcome.required_unknown is not None
    sheet = openpyxl.load_workbook(out)[EN.text("reproduce.sheet")]
    assert sheet["A2"].value == EN.text("reproduce.verdict.open", count=14)
    assert sheet["A2"].fill.fgColor.rgb == AMBER
    low, high = outcome.required_unknown
    assert sheet["A5"].value == EN.text(
        "reproduce.required", need=f"{low}–{high}" if low != high else f"{low}"
    )
    _, lines = sheet_lines(sheet, EN.text("reproduce.column.kind"))
    status = {
        (row[1].value, row[3].value): (row[4].value, row[7].value, row[7].fill.fgColor.rgb) for row in lines
    }
    points = EN.text("reproduce.figure.points")
    assert status[("funds_compliance", points)] == ("4.80–6.40", EN.text("reproduce.status.in_range"), AMBER)
    assert status[("staff_control_rate", points)] == (5, EN.text("reproduce.status.match"), GREEN)
    assert status[("过程/预算管理", points)] == ("18.00–21.00", EN.text("reproduce.status.in_range"), AMBER)
    assert status[("total", points)] == ("49.6–92.0", EN.text("reproduce.status.attainable"), AMBER)
    assert status[("grade", EN.text("reproduce.figure.grade"))][1:] == (
        EN.text("reproduce.status.in_range"),
        AMBER,
    )
