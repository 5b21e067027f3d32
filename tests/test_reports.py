"""Reports people read: the 评分表 workbook (read back with openpyxl), cohort workbooks, HTML reports, and the
language they speak. The browser checks of the HTML are in test_browser.py."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import scoring
from scoring.cli import main
from scoring.language import LANGUAGES, Catalogue, choose_language, locale_language
from scoring.report.problems import PATTERNS_KEY


class Done:
    def __init__(self, returncode: int, stderr: str) -> None:
        self.returncode, self.stderr = returncode, stderr


def run_cli(*args: str, capsys: Any = None) -> Done:
    """The command line in this process (the reports load plotly once for the whole module)."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return Done(code, err.getvalue())


openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("xlsxwriter")

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
SYNTHETIC = sorted((ROOT / "examples" / "synthetic").glob("dept-*.yaml"))
SEED = ROOT / "examples" / "hunan-hrss-2019.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


# --- the catalogues --------------------------------------------------------------------------------------


def test_both_catalogues_have_the_same_keys_and_fields() -> None:
    zh, en = Catalogue("zh"), Catalogue("en")
    # The patterns that translate the engine's English problems are the one section only the other
    # language holds: English is the engine's own language, so an English copy would map each message to
    # itself, and could only drift from the engine (tests/test_problem_messages_zh.py checks the section).
    translating = f"{PATTERNS_KEY}."
    zh_keys, en_keys = zh.keys(), en.keys()
    assert not any(key.startswith(translating) for key in en_keys)
    assert zh_keys - en_keys == {key for key in zh_keys if key.startswith(translating)}
    assert en_keys <= zh_keys
    for key in sorted(en_keys):
        fields = [set(re.findall(r"\{(\w+)\}", catalogue._texts[key])) for catalogue in (zh, en)]
        assert fields[0] == fields[1], key
        values = {name: "x" for name in fields[0]}
        assert zh.text(key, **values) and en.text(key, **values)


def test_the_language_is_the_option_then_the_set_then_the_locale() -> None:
    assert choose_language("en", "zh", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language(None, "zh", {"LANG": "en_US.UTF-8"}) == "zh"
    assert choose_language(None, None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert choose_language(None, None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language(None, None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert choose_language(None, None, {}) == "en"
    assert locale_language({"LANG": "C.UTF-8"}) is None
    assert set(LANGUAGES) == {"zh", "en"}


def test_a_set_may_declare_its_language(tmp_path: Path) -> None:
    data = yaml.safe_load(HUNAN.read_text(encoding="utf-8"))
    assert scoring.load_set(HUNAN).language is None
    data["language"] = "zh"
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert scoring.load_set(path).language == "zh"
    data["language"] = "fr"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(scoring.DefinitionError):
        scoring.load_set(path)


# --- the 评分表 workbook -----------------------------------------------------------------------------------


def _cells(reference: str) -> list[str]:
    """The cells of ``A1,B2:B4`` one by one (same column ranges only, as the sheet writes them)."""
    out = []
    for part in reference.split(","):
        first, _, last = part.partition(":")
        if not last:
            out.append(first)
            continue
        column, start = re.match(r"([A-Z]+)(\d+)", first).groups()  # type: ignore[union-attr]
        end = int(re.match(r"[A-Z]+(\d+)", last).group(1))  # type: ignore[union-attr]
        out += [f"{column}{row}" for row in range(int(start), end + 1)]
    return out


def _workbook(tmp_path: Path, unit: Path, lang: str = "zh") -> tuple[Any, Any, scoring.Result]:
    out = tmp_path / f"{unit.stem}.xlsx"
    done = run_cli("score", str(unit), "-o", str(out), "--lang", lang)
    assert done.returncode == 0, done.stderr
    indicator_set = scoring.load_set(HUNAN) if "dept" in unit.name else None
    loaded = scoring.load_unit(unit, indicator_set)
    result = scoring.evaluate(loaded.indicator_set, loaded)
    formulas = openpyxl.load_workbook(out).active
    cached = openpyxl.load_workbook(out, data_only=True).active
    return formulas, cached, result


def _grade_of(formula: str, total: Decimal) -> str:
    """Evaluates the sheet's ``=IF(X>=t,"g",IF(...))`` for a total."""
    for threshold, label in re.findall(r'IF\([A-Z]+\d+>=([\d.]+),"([^"]*)"', formula):
        if total >= Decimal(threshold):
            return label
    return re.findall(r'"([^"]*)"\)*$', formula)[0]


@pytest.mark.parametrize("unit", [*SYNTHETIC[:6], *EXAMPLES], ids=lambda p: p.stem)
def test_the_score_sheet_has_every_row_and_live_subtotals_equal_to_the_engine(
    tmp_path: Path, unit: Path
) -> None:
    formulas, cached, result = _workbook(tmp_path, unit)
    indicator_set = scoring.load_unit(
        unit, scoring.load_set(HUNAN) if "dept" in unit.name else None
    ).indicator_set
    header = [c.value for c in formulas[2]]
    points_column = header.index("得分") + 1
    assert header[-6:] == ["分值", "指标解释", "评分标准", "数据", "得分", "扣分原因"]
    by_label: dict[str, int] = {}
    for row in range(3, formulas.max_row + 1):
        for column in range(1, points_column - 4):
            value = formulas.cell(row, column).value
            if isinstance(value, str):
                by_label.setdefault(value, row)
    # every indicator: its label on a row whose points cell is the engine's points (or says why not)
    for item in result.indicators:
        row = by_label[item.label]
        value = cached.cell(row, points_column).value
        if item.counted and item.points is not None:
            assert Decimal(str(value)) == item.points, item.id
        else:
            assert isinstance(value, str) and value, item.id
    # every subtotal: a SUM of exactly its members' points cells, cached as the engine's subtotal
    letter = openpyxl.utils.get_column_letter(points_column)
    for group in result.groups:
        row = by_label[f"小计：{group.label}"]
        formula = formulas.cell(row, points_column).value
        if group.points is None:
            assert isinstance(formula, str) and not formula.startswith("=")
            continue
        assert formula.startswith("=SUM("), formula
        referenced = _cells(formula[5:-1])
        members = [
            i
            for i in result.indicators
            if i.group == group.path or (i.group or "").startswith(group.path + "/")
        ]
        assert sorted(referenced) == sorted(f"{letter}{by_label[i.label]}" for i in members)
        assert Decimal(str(cached.cell(row, points_column).value)) == group.points
        summed = sum(
            (Decimal(str(cached[c].value)) for c in referenced if not isinstance(cached[c].value, str)),
            Decimal(0),
        )
        assert summed.quantize(Decimal(1).scaleb(-indicator_set.rounding.places)) == group.points
    total_row = by_label["合计"]
    total_formula = formulas.cell(total_row, points_column).value
    grade_formula = formulas.cell(total_row + 1, points_column).value
    if result.total is None:
        assert "–" in str(total_formula)
        return
    assert total_formula.startswith("=ROUND(SUM("), total_formula
    assert Decimal(str(cached.cell(total_row, points_column).value)) == result.total
    assert cached.cell(total_row + 1, points_column).value == result.grade
    assert _grade_of(grade_formula, result.total) == result.grade
    # the grade formula agrees with the set's grades at and just below every threshold
    step = Decimal(1).scaleb(-indicator_set.rounding.total_places)
    for band in indicator_set.grades:
        for total in (band.min, band.min - step):
            if 0 <= total <= indicator_set.total:
                assert _grade_of(grade_formula, total) == indicator_set.grade_for(total), total


def test_the_score_sheet_merges_groups_and_names_its_provenance(tmp_path: Path) -> None:
    formulas, _, result = _workbook(tmp_path, SYNTHETIC[0])
    merged = {str(r) for r in formulas.merged_cells.ranges}
    labels = {formulas[r.split(":")[0]].value for r in merged}
    top = {g.label for g in result.groups if g.depth == 1}
    assert top <= labels  # each 一级指标 merged over its rows
    text = "\n".join(str(c.value) for row in formulas.iter_rows() for c in row if c.value)
    assert result.provenance.set.sha256 in text and result.provenance.data.sha256 in text
    assert formulas.freeze_panes == "A3"
    english, _, _ = _workbook(tmp_path, SYNTHETIC[0], "en")
    assert [c.value for c in english[2]][-2:] == ["Points", "Reason for deduction"]


def test_a_unit_named_like_a_formula_is_text_in_the_workbooks(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    lines = (ROOT / "examples" / "synthetic" / "departments.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("单位")] = "=1+1"
    table = tmp_path / "units.csv"
    table.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    out = tmp_path / "scores.xlsx"
    assert run_cli("batch", str(HUNAN), str(table), "-o", str(out), "--sheets-per-unit").returncode == 0
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)  # summary and data sheets
    assert any(title.startswith("_1+1") or title.startswith("=1+1") for title in book.sheetnames)
    sheet = book[next(t for t in book.sheetnames if "1+1" in t)]
    assert sheet["A1"].data_type == "s" and "=1+1" in sheet["A1"].value


# --- cohort workbooks --------------------------------------------------------------------------------------


def test_the_batch_workbook_ranks_colours_grades_and_adds_a_sheet_per_unit(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    table = ROOT / "examples" / "synthetic" / "departments.csv"
    out = tmp_path / "scores.xlsx"
    done = run_cli("batch", str(HUNAN), str(table), "-o", str(out), "--lang", "zh", "--sheets-per-unit")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["汇总", "单位"]
    assert len(book.sheetnames) == 2 + len(SYNTHETIC)
    summary = book["汇总"]
    header = [c.value for c in summary[1]]
    assert header[:5] == ["排名", "单位", "总分", "等级", "状态"]
    assert summary.freeze_panes == "C2" and summary.auto_filter.ref
    indicator_set = scoring.load_set(HUNAN)
    results = {}
    for path in SYNTHETIC:
        result = scoring.evaluate(indicator_set, scoring.load_unit(path, indicator_set))
        results[result.unit] = result
    ranks = [summary.cell(row, 1).value for row in range(2, summary.max_row + 1)]
    assert ranks == sorted(ranks)
    fills = {}
    for row in range(2, summary.max_row + 1):
        unit, total, grade = (summary.cell(row, c).value for c in (2, 3, 4))
        assert Decimal(str(total)) == results[unit].total and grade == results[unit].grade
        fills.setdefault(grade, set()).add(summary.cell(row, 4).fill.fgColor.rgb)
    assert all(len(colours) == 1 for colours in fills.values())  # one colour per grade
    assert len({next(iter(c)) for c in fills.values()}) == len(fills)  # a different one for each
    unit_sheet = book[book.sheetnames[2]]
    assert unit_sheet["A2"].value == "一级指标"


# --- HTML --------------------------------------------------------------------------------------------------


def _figures(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="figures">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_unit_report_is_one_file_that_fetches_nothing(tmp_path: Path) -> None:
    pytest.importorskip("plotly")
    out = tmp_path / "unit.html"
    assert run_cli("score", str(SYNTHETIC[0]), "--set", str(HUNAN), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=\"?http", page)
    indicator_set = scoring.load_set(HUNAN)
    result = scoring.evaluate(indicator_set, scoring.load_unit(SYNTHETIC[0], indicator_set))
    figures = _figures(page)
    assert Decimal(figures["total"]) == result.total
    assert {k: Decimal(v) for k, v in figures["points"].items()} == {
        r.id: r.points for r in result.indicators
    }
    for row in result.indicators:
        assert f'data-row="{row.id}"' in page  # the trace of every row
    # each trace shows its formula as written, not the compiled object
    formula = indicator_set.by_id["staff_control_rate"].formula
    assert formula is not None and f"<p>{formula.text} = " in page and "Formula(" not in page


def test_the_reports_escape_what_a_set_or_unit_says(tmp_path: Path) -> None:
    pytest.importorskip("plotly")
    data = yaml.safe_load(SYNTHETIC[0].read_text(encoding="utf-8"))
    data["unit"] = "<script>alert(1)</script>"
    data["set"] = str(HUNAN)
    unit = tmp_path / "dept.yaml"
    unit.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "unit.html"
    assert run_cli("score", str(unit), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_csv_for_a_chinese_reader_starts_with_the_byte_order_mark() -> None:
    import subprocess
    import sys

    def weights_csv(*options: str) -> str:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scoring",
                "weights",
                str(ROOT / "examples" / "synthetic"),
                "--format",
                "csv",
                *options,
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={"PATH": "", "LANG": "C.UTF-8"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert weights_csv("--lang", "zh").startswith("\ufeff")
    assert not weights_csv("--lang", "en").startswith("\ufeff")
    assert weights_csv("--lang", "en", "--excel").startswith("\ufeff")


# --- the analyses ------------------------------------------------------------------------------------------

ANALYSES = [
    ("tune", ["--weight", "过程/预算执行=25"]),
    ("weights", []),
    ("sensitivity", ["--delta", "1"]),
    ("montecarlo", ["--samples", "50", "--seed", "7"]),
    ("margins", []),
]


def _synthetic_totals() -> dict[str, scoring.Result]:
    indicator_set = scoring.load_set(HUNAN)
    results = [scoring.evaluate(indicator_set, scoring.load_unit(p, indicator_set)) for p in SYNTHETIC]
    return {result.unit: result for result in results}


@pytest.mark.parametrize(("command", "options"), ANALYSES, ids=[name for name, _ in ANALYSES])
def test_every_analysis_writes_a_ranked_workbook_and_its_table(
    tmp_path: Path, command: str, options: list[str]
) -> None:
    folder = str(ROOT / "examples" / "synthetic")
    out = tmp_path / f"{command}.xlsx"
    done = run_cli(command, folder, *options, "-o", str(out), "--lang", "zh")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    zh = Catalogue("zh")
    assert book.sheetnames == ["汇总", zh.text(f"analysis.sheet.{command}")]
    summary = book["汇总"]
    assert [c.value for c in summary[1]] == ["排名", "单位", "总分", "等级"]
    results = _synthetic_totals()
    ranks = [summary.cell(row, 1).value for row in range(2, summary.max_row + 1)]
    assert ranks == sorted(ranks) and len(ranks) == len(results)
    if command != "tune":  # tune's summary is after the change
        for row in range(2, summary.max_row + 1):
            unit = summary.cell(row, 2).value
            assert Decimal(str(summary.cell(row, 3).value)) == results[unit].total
            assert summary.cell(row, 4).value == results[unit].grade
    # in Chinese the analysis' sheet has its CSV's columns, named in Chinese; in English it holds exactly its CSV
    header = [c.value for c in book[zh.text(f"analysis.sheet.{command}")][1]]
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in header), header
    out = tmp_path / f"{command}-en.xlsx"
    assert run_cli(command, folder, *options, "-o", str(out), "--lang", "en").returncode == 0
    book = openpyxl.load_workbook(out)
    csv_out = tmp_path / f"{command}.csv"
    assert (
        run_cli(command, folder, *options, "--format", "csv", "-o", str(csv_out), "--lang", "en").returncode
        == 0
    )
    import csv as csv_module

    expected = list(csv_module.reader(csv_out.read_text(encoding="utf-8").splitlines()))
    sheet = book[command]
    assert [c.value for c in sheet[1]] == expected[0]
    first = [c.value for c in sheet[2]]
    assert [("" if v is None else v) for v in first][: len(expected[1])] == [
        float(text) if re.match(r"^-?(\d+\.?\d*|\.\d+)$", text) else text for text in expected[1]
    ]


@pytest.mark.parametrize(("command", "options"), ANALYSES, ids=[name for name, _ in ANALYSES])
def test_every_analysis_writes_an_html_report_with_its_chart(
    tmp_path: Path, command: str, options: list[str]
) -> None:
    pytest.importorskip("plotly")
    out = tmp_path / f"{command}.html"
    done = run_cli(command, str(ROOT / "examples" / "synthetic"), *options, "-o", str(out), "--lang", "en")
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert f'data-chart="{command}"' in page and 'id="ranked"' in page and 'id="analysis"' in page
    assert not re.search(r"<script[^>]+src=", page)
    for unit in _synthetic_totals():
        assert escape_html(unit) in page


def escape_html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_the_cohort_report_lists_the_most_frequent_deductions(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("plotly")
    from scoring.analysis.deductions import frequent_deductions

    out = tmp_path / "cohort.html"
    table = ROOT / "examples" / "synthetic" / "departments.csv"
    assert run_cli("batch", str(HUNAN), str(table), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    body = page[page.index('id="frequent"') :]
    body = body[: body.index("</table>")]
    shown = [
        [cell for cell in re.findall(r'data-value="([^"]*)"', row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1])
    ]
    indicator_set = scoring.load_set(HUNAN)
    expected = [
        [item.label, str(item.units_losing), item.total_lost, item.mean_lost]
        for item in frequent_deductions(indicator_set, list(_synthetic_totals().values()))
        if item.units_losing
    ]
    assert [[label, count, Decimal(total), Decimal(mean)] for label, count, total, mean in shown] == expected


def test_score_writes_the_kind_of_file_its_name_says(tmp_path: Path) -> None:
    cases = (("unit.csv", "kind,id,"), ("unit.json", "{"), ("unit.md", "**示例"), ("unit.txt", "示例"))
    for name, start in cases:
        out = tmp_path / name
        assert run_cli("score", str(SYNTHETIC[0]), "--set", str(HUNAN), "-o", str(out)).returncode == 0
        assert out.read_text(encoding="utf-8").startswith(start), name


def test_a_set_without_groups_writes_its_workbooks_without_a_warning(tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    import warnings

    from scoring.cli import main

    case = ROOT / "examples" / "published" / "project-sichuan-dazhou-2021-feiyi.yaml"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns when asked to merge a single cell
        assert main(["score", str(case), "-o", str(tmp_path / "unit.xlsx")]) == 0
        assert main(["reproduce", str(case), "-o", str(tmp_path / "check.xlsx")]) == 1
