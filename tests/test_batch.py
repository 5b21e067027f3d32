"""Batch scoring: every row of a table scored exactly as :func:`scoring.evaluate` scores it, every row
accounted for, problems placed at their cells; the command line's ``scoring batch``; DataFrames in and out."""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring
from scoring.batch import score_frame, score_table
from scoring.batch.layout import plan_layout
from scoring.batch.run import BatchScores, score_source
from scoring.errors import DataError, Location, ScoringError

from .profiles import examples
from .strategies import set_plans, to_yaml, unit_data

pa = pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
SYNTHETIC = sorted((ROOT / "examples" / "synthetic").glob("dept-*.yaml"))
INDICATORS = 21  # rows of the Hunan set


def cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def table_row(data: dict[str, Any]) -> dict[str, str]:
    """A unit mapping as one row of a sheet: inputs by name, <id>.na, <id>.tier/.points/.reason."""
    row = {"unit": data.get("unit", "")}
    row.update({name: cell(value) for name, value in data.get("values", {}).items()})
    row.update({f"{key}.na": "true" for key in data.get("not_applicable", [])})
    for key, judgment in data.get("judgments", {}).items():
        row[f"{key}.tier"] = judgment["tier"]
        row[f"{key}.points"] = cell(judgment["points"])
        row[f"{key}.reason"] = judgment["reason"]
    return row


def as_table(rows: list[dict[str, str]]) -> tuple[Any, list[str]]:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    return pa.table(
        {h: pa.array([row.get(h) or None for row in rows], pa.string()) for h in headers}
    ), headers


def score_rows(
    indicator_set: scoring.IndicatorSet, rows: list[dict[str, str]], chunk: int = 7
) -> BatchScores:
    table, headers = as_table(rows)
    layout = plan_layout(indicator_set, headers, "t")
    chunks = [(table.slice(start, chunk), start) for start in range(0, table.num_rows, chunk)]
    return score_source(indicator_set, chunks, layout, lambda r, c: Location(f"t:row {r + 1}"), "t")


def units(value: Any, places: int) -> int:
    return int(Decimal(value).scaleb(places))


def assert_row_equals(scores: BatchScores, row: int, expected: scoring.Result | ScoringError) -> None:
    """Every cell of a batch row equals the scalar engine's result (or the row failed as it does)."""
    indicator_set = scores.indicator_set
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    if isinstance(expected, ScoringError):
        assert row in scores.errors, (row, expected)
        assert [p.code for p in scores.errors[row]] == [p.code for p in expected.problems]
        return
    assert row not in scores.errors, scores.errors.get(row)
    points, known = scores.array("points")[row], scores.array("known")[row]
    for j, item in enumerate(expected.indicators):
        assert bool(known[j]) == (item.points is not None), item.id
        if item.points is not None:
            assert int(points[j]) == units(item.points, places), (item.id, points[j], item.points)
    subtotals = scores.array("subtotals")[row]
    for g, group in enumerate(expected.groups):
        if group.points is not None:
            assert int(subtotals[g]) == units(group.points, places), group.path
    labels = [grade.label for grade in indicator_set.grades]
    if expected.total is not None:
        assert bool(scores.array("total_known")[row])
        assert int(scores.array("total")[row]) == units(expected.total, total_places)
        assert labels[int(scores.array("grade")[row])] == expected.grade
    else:
        low, high = expected.total_range
        assert int(scores.array("total_low")[row]) == units(low, total_places)
        assert int(scores.array("total_high")[row]) == units(high, total_places)


def expected_of(indicator_set: scoring.IndicatorSet, data: dict[str, Any]) -> scoring.Result | ScoringError:
    try:
        return scoring.evaluate(indicator_set, data)
    except ScoringError as error:
        return error


def synthetic_rows() -> list[dict[str, str]]:
    rows = []
    for path in SYNTHETIC:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows.append(table_row(data))
    return rows


# --- equality with the scalar engine ------------------------------------------------------------------


def test_the_synthetic_cohort_scores_as_the_scalar_engine_does() -> None:
    indicator_set = scoring.load_set(HUNAN)
    scores = score_rows(indicator_set, synthetic_rows())
    assert scores.rows == len(SYNTHETIC) and not scores.errors
    for row, path in enumerate(SYNTHETIC):
        assert_row_equals(
            scores, row, scoring.evaluate(indicator_set, scoring.load_unit(path, indicator_set))
        )
    # most rows take the columnar path (a few sit on a rounding tie and go to the scalar engine)
    assert scores.scalar_rows < len(SYNTHETIC) // 2


@pytest.fixture(params=["both lanes", "exact lane only"])
def lanes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test as it is, and with the float lane made unsure of every row (so the exact lane scores
    every row it can, and its results are checked on every generated case, not only on rare ties)."""
    if request.param == "exact lane only":
        from scoring.columnar import evaluate as module

        real = module.evaluate_columns

        def doubtful(indicator_set: Any, columns: Any, exact: bool = False, only: Any = None) -> Any:
            scores = real(indicator_set, columns, exact, only)
            if not exact:
                scores.unsure[:] = True
                scores.cells[:] = True
            return scores

        monkeypatch.setattr("scoring.batch.run.evaluate_columns", doubtful)
    return str(request.param)


# the monkeypatch is the same for every example of a run: the function-scoped fixture is safe here
@settings(examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_cell_equals_the_scalar_engine(lanes: str, data: st.DataObject) -> None:
    """Generated sets and tables (values often exactly on band edges and step boundaries): every point,
    subtotal, total, grade and failure equals :func:`scoring.evaluate` on that row."""
    plan = data.draw(set_plans())
    indicator_set = scoring.parse_set(to_yaml(plan.spec))
    mappings = [data.draw(unit_data(plan, overrides=False)) for _ in range(data.draw(st.integers(1, 12)))]
    rows = [table_row(mapping) for mapping in mappings]
    try:
        scores = score_rows(indicator_set, rows, chunk=data.draw(st.integers(1, 5)))
    except DataError as error:  # a column the whole table lacks (every row marks an input's rows N/A)
        assert all(p.code == "missing-column" for p in error.problems)
        return
    for row, mapping in enumerate(mappings):
        assert_row_equals(scores, row, expected_of(indicator_set, mapping))


@pytest.mark.slow
def test_a_hundred_thousand_rows_equal_the_scalar_engine() -> None:
    """100,000 synthetic rows of the Hunan set (benchmarks/batch_data.py, seeded): every indicator's points,
    every subtotal, every total and grade the batch gives equal what scoring.evaluate gives each row."""
    np = pytest.importorskip("numpy")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import batch_data

    indicator_set = scoring.load_set(HUNAN)
    count = 100_000
    columns = batch_data.generate_columns(count, batch_data.DEFAULT_SEED)
    table = pa.table(columns)
    layout = plan_layout(indicator_set, table.column_names, "t")
    chunks = [(table.slice(start, 25_000), start) for start in range(0, count, 25_000)]
    scores = score_source(indicator_set, chunks, layout, lambda r, c: Location(f"t:row {r + 1}"), "t")
    assert scores.rows == count and not scores.errors
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    labels = [grade.label for grade in indicator_set.grades]
    points, subtotals = scores.array("points"), scores.array("subtotals")
    totals, grades = scores.array("total"), scores.array("grade")
    expected_points = np.zeros_like(points)
    expected_subtotals = np.zeros_like(subtotals)
    expected_totals, expected_grades = np.zeros_like(totals), np.zeros_like(grades)
    for row in range(count):
        result = scoring.evaluate(indicator_set, batch_data.row_mapping(columns, row))
        expected_points[row] = [units(r.points, places) for r in result.indicators]
        expected_subtotals[row] = [units(g.points, places) for g in result.groups]
        expected_totals[row] = units(result.total, total_places)
        expected_grades[row] = labels.index(result.grade)
    assert np.array_equal(points, expected_points)
    assert np.array_equal(subtotals, expected_subtotals)
    assert np.array_equal(totals, expected_totals)
    assert np.array_equal(grades, expected_grades)
    assert scores.scalar_rows < count // 100  # the columnar lanes scored nearly every row


def scores_mapping(indicator_set: scoring.IndicatorSet, row: dict[str, str]) -> dict[str, Any]:
    from scoring.batch.cells import Chunk

    table, headers = as_table([row])
    return Chunk(indicator_set, plan_layout(indicator_set, headers, "t"), table, 0).mapping(0)


# --- every row accounted for, problems at their cells -------------------------------------------------


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, headers)
        writer.writeheader()
        writer.writerows(rows)


def test_bad_cells_fail_their_row_only_with_the_cell_and_the_hint(tmp_path: Path) -> None:
    rows = synthetic_rows()
    rows[3]["staff_in_post"] = "87.70%"
    rows[5]["sangong_actual"] = "1,234.56"
    rows[7]["funds_compliance.points"] = "99"
    path = tmp_path / "units.csv"
    write_csv(path, rows)
    scores = score_table(scoring.load_set(HUNAN), path)
    assert scores.rows == len(rows) and sorted(scores.errors) == [3, 5, 7]
    first = scores.errors[3][0]
    assert str(first.location) == f"{path}:row 5, column staff_in_post"
    assert "87.70" in (first.hint or "")
    assert "thousands" in (scores.errors[5][0].hint or "")
    assert scores.errors[7][0].code == "judgment-points"
    assert "funds_compliance.points" in str(scores.errors[7][0].location)


def test_a_missing_column_is_one_problem_of_the_table(tmp_path: Path) -> None:
    rows = synthetic_rows()
    for row in rows:
        del row["staff_quota"]
    path = tmp_path / "units.csv"
    write_csv(path, rows)
    with pytest.raises(DataError) as info:
        score_table(scoring.load_set(HUNAN), path)
    assert [p.code for p in info.value.problems] == ["missing-column"]
    assert "staff_quota" in info.value.problems[0].message


def test_labels_and_a_column_map_name_inputs(tmp_path: Path) -> None:
    indicator_set = scoring.load_set(HUNAN)
    label = indicator_set.inputs["staff_in_post"].label
    assert label
    rows = [
        {(label if key == "staff_in_post" else key): value for key, value in row.items()}
        for row in synthetic_rows()
    ]
    rows = [
        {("编制数" if key == "staff_quota" else key): value for key, value in row.items()} for row in rows
    ]
    path = tmp_path / "units.csv"
    write_csv(path, rows)
    scores = score_table(indicator_set, path, columns={"编制数": "staff_quota"})
    assert not scores.errors and scores.rows == len(rows)


# --- the command and the frames -----------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=ROOT)


def test_batch_command_writes_every_row_and_exits_1_when_one_fails(tmp_path: Path) -> None:
    rows = synthetic_rows()
    rows[2]["staff_in_post"] = "一百"
    source = tmp_path / "units.csv"
    write_csv(source, rows)
    out = tmp_path / "scores.csv"
    done = run_cli("batch", str(HUNAN), str(source), "-o", str(out))
    assert done.returncode == 1, done.stderr
    assert f"{len(rows) - 1} of {len(rows)} rows scored, 1 failed" in done.stderr
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(written) == len(rows)
    assert written[2]["status"] == "error" and "staff_in_post" in written[2]["error"]
    assert written[0]["status"] == "ok" and written[0]["total"] == "97.7" and written[0]["grade"] == "优"
    ranks = sorted(int(r["rank"]) for r in written if r["rank"])
    assert ranks[0] == 1


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".jsonl"])
def test_batch_writes_each_format(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "units.csv"
    write_csv(source, synthetic_rows())
    out = tmp_path / f"scores{suffix}"
    done = run_cli("batch", str(HUNAN), str(source), "-o", str(out), "--format", "long")
    assert done.returncode == 0, done.stderr
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
        assert sheet[0][:5] == ["unit", "indicator", "label", "status", "points"]
        assert len(sheet) == 1 + len(SYNTHETIC) * INDICATORS
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.num_rows == len(SYNTHETIC) * INDICATORS
        assert str(table.schema.field("points").type).startswith("decimal128")
    else:
        lines = out.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(SYNTHETIC) * INDICATORS


def test_score_frame_takes_pandas_and_polars_and_gives_the_same_kind() -> None:
    pandas = pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    indicator_set = scoring.load_set(HUNAN)
    table, _ = as_table(synthetic_rows())
    frame = table.to_pandas()
    scored = score_frame(indicator_set, frame)
    assert isinstance(scored, pandas.DataFrame) and len(scored) == len(SYNTHETIC)
    assert scored["total"].iloc[0] == Decimal("97.7")
    scored_polars = score_frame(indicator_set, polars.from_arrow(table))
    assert isinstance(scored_polars, polars.DataFrame)
    assert scored_polars["total"].to_list() == scored["total"].to_list()


TIES_SET = """
format: scoring/1
id: ties
total: 10
rounding: {places: 2, total_places: 2, mode: half_up}
grades: [{label: A, min: 6.5}, {label: B, min: 0}]
inputs: {x: {type: number}, a: {type: number}, b: {type: number}}
indicators:
  - {id: share, weight: 5, formula: x, rule: {ratio: {target: 5}}}
  - {id: rate, weight: 5, formula: a / b * 100, rule: {bands: [{from: 230, points: 5}, {below: 230, points: 2}]}}
"""


@pytest.mark.parametrize(
    ("x", "a", "b"), [("0.145", "2.3", "1"), ("0.565", "2.3", "0.5"), ("0.815", "4.6", "2")]
)
def test_values_floats_get_wrong_are_settled_exactly(x: str, a: str, b: str) -> None:
    """In floats 0.145 × 5 / 5 × 100 is 14.499999999999998 (a rounding tie missed) and 2.3 × 100 / 1 is
    229.99999999999997 (a band edge missed): the float lane's margin sends these rows to the exact lane,
    which settles them as the engine does."""
    indicator_set = scoring.parse_set(TIES_SET)
    mapping = {"unit": "u", "values": {"x": Decimal(x), "a": Decimal(a), "b": Decimal(b)}}
    expected = scoring.evaluate(indicator_set, mapping)
    assert expected.indicator("rate").points == 5 and expected.indicator("share").points * 100 % 10 != 0
    scores = score_rows(indicator_set, [table_row(mapping)])
    assert_row_equals(scores, 0, expected)
    assert scores.scalar_rows == 0  # settled by the exact lane, not by the engine


def test_the_shipped_table_is_the_synthetic_cohort_and_scores_as_it(tmp_path: Path) -> None:
    """examples/synthetic/departments.csv is what scripts/units_to_table.py writes from the unit files, and
    scoring it gives each unit's own scores."""
    out = tmp_path / "departments.csv"
    script = ROOT / "scripts" / "units_to_table.py"
    done = subprocess.run(
        [sys.executable, str(script), *map(str, SYNTHETIC), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    shipped = ROOT / "examples" / "synthetic" / "departments.csv"
    assert out.read_bytes() == shipped.read_bytes(), "regenerate it with scripts/units_to_table.py"
    indicator_set = scoring.load_set(HUNAN)
    scores = score_table(indicator_set, shipped)
    assert scores.rows == len(SYNTHETIC) and not scores.errors
    for row, path in enumerate(SYNTHETIC):
        assert_row_equals(
            scores, row, scoring.evaluate(indicator_set, scoring.load_unit(path, indicator_set))
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("tune", ["--weight", "过程/预算执行=25"]),
        ("weights", []),
        ("margins", []),
        ("margins", ["--limit", "5"]),
        ("sensitivity", ["--delta", "1"]),
        ("montecarlo", ["--samples", "100", "--seed", "7"]),
    ],
)
def test_every_cohort_command_takes_a_table_as_it_takes_unit_files(command: str, extra: list[str]) -> None:
    """SET TABLE gives, to the byte, what the folder of the same units' files gives."""
    table = ROOT / "examples" / "synthetic" / "departments.csv"
    from_table = run_cli(command, str(HUNAN), str(table), *extra, "--format", "json")
    from_files = run_cli(command, "examples/synthetic", "--set", str(HUNAN), *extra, "--format", "json")
    assert from_table.returncode == from_files.returncode == 0, from_table.stderr
    assert from_table.stdout == from_files.stdout


def test_a_cohort_table_with_a_bad_row_stops_with_the_cell(tmp_path: Path) -> None:
    rows = synthetic_rows()
    rows[1]["staff_in_post"] = "87.70%"
    source = tmp_path / "units.csv"
    write_csv(source, rows)
    done = run_cli("tune", str(HUNAN), str(source), "--weight", "过程/预算执行=25")
    assert done.returncode == 1
    assert f"{source}:row 3, column staff_in_post: input 'staff_in_post' must be a number" in done.stderr
    usage = run_cli("tune", str(source), "--weight", "过程/预算执行=25")
    assert usage.returncode == 2 and "SET TABLE" in usage.stderr


def test_progress_counts_rows_and_explain_gives_each_outcome(tmp_path: Path) -> None:
    source = tmp_path / "units.csv"
    write_csv(source, synthetic_rows())
    seen: list[int] = []
    indicator_set = scoring.load_set(HUNAN)
    scores = score_table(indicator_set, source, explain=True, progress=seen.append, chunk_rows=10)
    assert seen == [10, 20, 24]
    expected = scoring.evaluate(indicator_set, scoring.load_unit(SYNTHETIC[0], indicator_set))
    assert scores.explain[0] == tuple(row.outcome for row in expected.indicators)
    out = tmp_path / "explained.csv"
    done = run_cli("batch", str(HUNAN), str(source), "-o", str(out), "--explain")
    assert done.returncode == 0, done.stderr
    first = next(csv.DictReader(out.open(encoding="utf-8")))
    assert first["staff_control_rate.outcome"] == expected.indicator("staff_control_rate").outcome


# --- a bad-sheet corpus, end to end ------------------------------------------------------------------


def write_sheet(
    path: Path, rows: list[dict[str, str]], *, title: bool = True, extra: Any = None
) -> list[str]:
    """The rows as a workbook the way offices make them: a merged title row above the header, numbers as
    numbers, one input computed by a formula (with its saved value). Returns the headers."""
    import xlsxwriter

    headers = list(dict.fromkeys(key for row in rows for key in row))
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    top = 0
    if title:
        sheet.merge_range(0, 0, 0, 5, "2019年度部门整体支出绩效评价表（虚构）")
        top = 1
    sheet.write_row(top, 0, headers)
    quota = headers.index("staff_quota")
    for r, row in enumerate(rows, start=top + 1):
        for c, header in enumerate(headers):
            text = row.get(header)
            if not text:
                continue
            if c == quota:  # a formula whose saved value is the figure
                sheet.write_formula(r, c, f"={text}+0", None, int(text))
            elif text.replace(".", "", 1).replace("-", "", 1).isdigit():
                sheet.write_number(r, c, float(text))
            else:
                sheet.write_string(r, c, text)
    if extra is not None:
        extra(book, sheet, top, headers)
    book.close()
    return headers


def test_a_sheet_as_offices_make_it_scores_every_row_and_fails_only_the_bad_one(tmp_path: Path) -> None:
    import datetime

    rows = synthetic_rows()
    path = tmp_path / "units.xlsx"

    def oddities(book: Any, sheet: Any, top: int, headers: list[str]) -> None:
        dated = top + 1 + 5  # the sixth unit: a date typed into a number column
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_datetime(dated, headers.index("staff_in_post"), datetime.datetime(2019, 12, 31), date)
        sheet.write_string(0, len(headers) + 1, "x" * 32_000)  # a long note beside the title, unused

    headers = write_sheet(path, rows, extra=oddities)
    out = tmp_path / "scores.csv"
    done = run_cli("batch", str(HUNAN), str(path), "-o", str(out))
    assert done.returncode == 1, done.stderr
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(written) == len(rows)  # every row accounted for
    assert [r["status"] for r in written].count("error") == 1
    column = chr(ord("A") + headers.index("staff_in_post"))
    assert f"units.xlsx:Sheet1!{column}8: input 'staff_in_post' must be a number" in written[5]["error"]
    indicator_set = scoring.load_set(HUNAN)
    for row, unit in enumerate(SYNTHETIC):
        if row != 5:
            expected = scoring.evaluate(indicator_set, scoring.load_unit(unit, indicator_set))
            assert written[row]["total"] == str(expected.total), unit.name


def test_empty_rows_merged_cells_and_duplicate_headers(tmp_path: Path) -> None:
    rows = synthetic_rows()[:4]
    path = tmp_path / "units.xlsx"

    def oddities(book: Any, sheet: Any, top: int, headers: list[str]) -> None:
        sheet.write_string(top, len(headers), "备注")  # an unused column…
        sheet.write_string(top, len(headers) + 1, "备注")  # …named twice: harmless

    write_sheet(path, rows, title=False, extra=oddities)
    assert run_cli("batch", str(HUNAN), str(path), "-o", str(tmp_path / "a.csv")).returncode == 0
    # a header that is used, twice: refused before any row is scored, naming both columns
    doubled = [{**row, "staff_quota ": row["staff_quota"]} for row in rows]
    source = tmp_path / "doubled.csv"
    write_csv(source, doubled)
    done = run_cli("batch", str(HUNAN), str(source))
    assert done.returncode == 1 and "duplicate-column" not in done.stderr
    assert "appears in more than one column" in done.stderr
    # a merged range over inputs: only its first cell holds the value, the others read as missing
    merged = tmp_path / "merged.xlsx"

    def merge(book: Any, sheet: Any, top: int, headers: list[str]) -> None:
        column = headers.index("tasks_done")
        sheet.merge_range(top + 1, column, top + 2, column, rows[0]["tasks_done"])

    write_sheet(merged, [rows[0], {**rows[1], "tasks_done": ""}, *rows[2:]], title=False, extra=merge)
    out = tmp_path / "merged.csv"
    done = run_cli("batch", str(HUNAN), str(merged), "-o", str(out))
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert done.returncode == 1 and len(written) == len(rows)
    assert written[0]["status"] == "ok" and written[1]["status"] == "error"
    assert "missing input 'tasks_done'" in written[1]["error"]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "xlsx"),
        ("renamed.xlsx", None, "workbook"),
        ("header-only.csv", None, "no rows of data"),
    ],
)
def test_files_that_cannot_be_scored_say_why(
    tmp_path: Path, name: str, content: bytes | None, words: str
) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        write_csv(path, synthetic_rows()[:1])
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    elif content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "not a workbook")
    else:
        path.write_bytes(content)
    done = run_cli("batch", str(HUNAN), str(path))
    assert done.returncode == 1
    assert words in done.stderr and "Traceback" not in done.stderr


# --- regressions found by review: each row as the engine scores it ----------------------------------

BAND_SET = """
format: scoring/1
id: edges
total: 10
rounding: {places: 2, total_places: 1}
grades: [{label: A, min: 5}, {label: B, min: 0}]
inputs: {x: {}, y: {}}
indicators:
  - {id: i0, weight: 4, formula: "min(x, y)", rule: {bands: [{below: EDGE, points: 4}, {from: EDGE, points: 0}]}}
  - {id: i1, weight: 6, formula: "x", rule: {bands: [{below: EDGE, points: 6}, {from: EDGE, points: 0}]}}
"""


@pytest.mark.parametrize(
    ("edge", "x", "y"),
    [
        ("10", "100", "9.99999999999999999"),  # min() whose difference does not fit the exact lane's int64
        ("10", "1e24", "1"),  # at the magnitude limit: refused by the engine
        ("10", "-1e24", "1"),
        ("10", "1000000000000000000000001", "1"),
        ("10", "0.99999999999999999999e-24", "1"),
        ("10000000000000000", "9999999999999999", "1e17"),  # 16 digits: more than a float holds apart
        ("9007199254740993", "9007199254740993", "1e17"),
    ],
)
def test_rows_at_the_edges_of_the_lanes_score_as_the_engine_does(edge: str, x: str, y: str) -> None:
    indicator_set = scoring.parse_set(BAND_SET.replace("EDGE", edge))
    mapping = {"unit": "u", "values": {"x": Decimal(x), "y": Decimal(y)}}
    scores = score_rows(indicator_set, [table_row(mapping)])
    assert_row_equals(scores, 0, expected_of(indicator_set, mapping))


def test_a_true_false_ratio_target_fails_the_row_as_in_the_engine() -> None:
    indicator_set = scoring.parse_set(
        """
format: scoring/1
id: target
total: 5
grades: [{label: A, min: 0}]
inputs: {x: {}, y: {}}
indicators:
  - {id: r1, weight: 5, formula: x, rule: {ratio: {target: "y > 0"}}}
"""
    )
    mapping = {"unit": "u", "values": {"x": Decimal("0.5"), "y": Decimal(3)}}
    scores = score_rows(indicator_set, [table_row(mapping)])
    assert_row_equals(scores, 0, expected_of(indicator_set, mapping))


def test_huge_points_of_a_row_left_to_the_engine_do_not_sink_the_others(tmp_path: Path) -> None:
    set_path = tmp_path / "set.yaml"
    set_path.write_text(
        """format: scoring/1
id: huge
total: 10
rounding: {places: 0, total_places: 1}
grades: [{label: A, min: 0}]
inputs: {x: {}, y: {}}
indicators:
  - {id: i0, weight: 5, formula: x, rule: {ratio: {target: y, lower_better: true}}}
  - {id: i1, weight: 5, formula: y, rule: {bands: [{below: 10, points: 5}], otherwise: 0}}
""",
        encoding="utf-8",
    )
    source = tmp_path / "rows.csv"
    source.write_text("unit,x,y\nA,1e-20,-1\nB,2,3\n", encoding="utf-8")
    done = run_cli("batch", str(set_path), str(source))
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    assert done.returncode == 1 and "1 of 2 rows scored, 1 failed" in done.stderr


def test_an_input_headed_by_its_name_and_its_label_is_refused(tmp_path: Path) -> None:
    indicator_set = scoring.load_set(HUNAN)
    rows = [{**row, "在职人员数": row["staff_in_post"]} for row in synthetic_rows()]
    source = tmp_path / "units.csv"
    write_csv(source, rows)
    with pytest.raises(DataError) as caught:
        score_table(indicator_set, source)
    assert [p.code for p in caught.value.problems] == ["duplicate-column"]
    assert "'staff_in_post' is given by two columns" in caught.value.problems[0].message


def test_scores_of_a_strangers_sheet_carry_no_live_formula_or_control_character(tmp_path: Path) -> None:
    rows = synthetic_rows()[:3]
    rows[0]["unit"] = '=HYPERLINK("http://example.invalid","点我")'
    rows[1]["unit"] = "@SUM(A1)"
    rows[2]["staff_in_post"] = "12\x1b[31m"
    source = tmp_path / "units.csv"
    write_csv(source, rows)
    out = tmp_path / "scores.csv"
    done = run_cli("batch", str(HUNAN), str(source), "-o", str(out))
    assert done.returncode == 1
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert written[0]["unit"].startswith("'=HYPERLINK") and written[1]["unit"] == "'@SUM(A1)"
    assert "\x1b" not in out.read_text(encoding="utf-8") and "\\x1b" in written[2]["error"]
    assert "\x1b" not in done.stderr


def test_an_input_no_column_gives_fails_only_the_rows_that_need_it(tmp_path: Path) -> None:
    """The columns of an indicator's inputs may be left out when its `.na` column can mark rows not
    applicable: rows so marked score, a row that needs the inputs fails with them named."""
    indicator_set = scoring.load_set(HUNAN)
    needed = indicator_set.by_id["building_area_control"].needs_inputs
    rows = []
    for index, row in enumerate(synthetic_rows()[:4]):
        row = {key: value for key, value in row.items() if key not in needed}
        row["building_area_control.na"] = "true" if index < 3 else ""
        rows.append(row)
    scores = score_rows(indicator_set, rows)
    assert sorted(scores.errors) == [3]
    assert all(p.code == "missing-input" for p in scores.errors[3])
    for row in range(3):
        expected = scoring.evaluate(indicator_set, scores_mapping(indicator_set, rows[row]))
        assert_row_equals(scores, row, expected)


def test_a_frame_of_numbers_scores_as_the_same_frame_of_text() -> None:
    """A DataFrame read with its numbers typed (float64, int64, bool) scores exactly as the same table read
    as text: a float cell stands for its shortest text."""
    pandas = pytest.importorskip("pandas")
    indicator_set = scoring.load_set(HUNAN)
    table = ROOT / "examples" / "synthetic" / "departments.csv"
    typed = pandas.read_csv(table)
    assert "float64" in set(map(str, typed.dtypes)) and "bool" in set(map(str, typed.dtypes))
    text = pandas.read_csv(table, dtype=str, keep_default_na=False)
    assert score_frame(indicator_set, typed).equals(score_frame(indicator_set, text))
