"""Reading tables of units (scoring.tables): every fixture is built in tmp_path, so no binary file is kept."""

from __future__ import annotations

import datetime
import decimal
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pytest.importorskip("python_calamine")

from scoring.errors import DataError  # noqa: E402
from scoring.tables import TABLE_SUFFIXES, frame_source, open_table  # noqa: E402


def rows_of(source: Any, size: int = 2) -> list[dict[str, Any]]:
    """Every data row, read in chunks of ``size``, checking the chunks' positions and types."""
    out: list[dict[str, Any]] = []
    for chunk in source.chunks(size):
        assert chunk.first_row == len(out)
        assert chunk.table.num_rows <= size
        assert all(pa.types.is_string(t) or pa.types.is_large_string(t) for t in chunk.table.schema.types)
        assert tuple(chunk.table.column_names) == source.headers
        out.extend(chunk.table.to_pylist())
    return out


def codes(error: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [problem.code for problem in error.value.problems]


def write_xlsx(path: Path, build: Any) -> Path:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    workbook = xlsxwriter.Workbook(str(path))
    build(workbook, workbook.add_worksheet("Sheet1"))
    workbook.close()
    return path


# --- Excel ------------------------------------------------------------------------------------------------


def test_sheet_with_title_merged_cells_formulas_dates_and_empty_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build(workbook: Any, sheet: Any) -> None:
        sheet.merge_range("A1:D1", "2019年度部门整体支出绩效评价表")
        sheet.write_row(2, 0, ["单位", " 在职人员数 ", "金额", "备注"])
        sheet.write_row(3, 0, ["甲", 144, 0.1, "x"])
        sheet.write_row(4, 0, ["乙", 335, 87.7])
        sheet.write_formula(4, 3, "=B5*2", None, 670)
        # row 6 empty, row 7 too
        sheet.merge_range("A8:A9", "丙")
        sheet.write_datetime(
            7, 1, datetime.datetime(2020, 1, 2), workbook.add_format({"num_format": "yyyy-mm-dd"})
        )
        sheet.write_boolean(8, 2, True)

    write_xlsx(tmp_path / "units.xlsx", build)
    monkeypatch.chdir(tmp_path)
    source = open_table("units.xlsx")
    assert source.headers == ("单位", "在职人员数", "金额", "备注")
    assert source.rows == 4 and source.duplicates == {}
    assert rows_of(source) == [
        {"单位": "甲", "在职人员数": "144", "金额": "0.1", "备注": "x"},
        {"单位": "乙", "在职人员数": "335", "金额": "87.7", "备注": "670"},
        {"单位": "丙", "在职人员数": "2020-01-02", "金额": None, "备注": None},
        {
            "单位": None,
            "在职人员数": None,
            "金额": "true",
            "备注": None,
        },  # merged: only the top-left holds 丙
    ]
    assert source.skipped_empty_rows == 2
    assert str(source.where(0, 1)) == "units.xlsx:Sheet1!B4"
    assert str(source.where(1, 3)) == "units.xlsx:Sheet1!D5"
    assert str(source.where(2, 2)) == "units.xlsx:Sheet1!C8"  # past the empty rows, the sheet's own number
    assert str(source.where(3)) == "units.xlsx:Sheet1, row 9"


def test_sheet_chosen_header_row_and_offset_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def build(workbook: Any, sheet: Any) -> None:
        other = workbook.add_worksheet("My data")
        other.write_row(2, 1, ["id", "b", "b", None, "c"])
        other.write_row(3, 1, ["u1", 1, 2, 3, 4.25])

    write_xlsx(tmp_path / "units.xlsx", build)
    monkeypatch.chdir(tmp_path)
    path = Path("units.xlsx")
    source = open_table(path, sheet="My data", header_row=3)
    assert source.headers == ("id", "b", "b", "column E", "c")
    assert source.duplicates == {"b": [1, 2]}
    assert rows_of(source) == [
        dict(zip(["id", "b", "b", "column E", "c"], ["u1", "1", "2", "3", "4.25"], strict=True))
    ]
    assert str(source.where(0, 4)) == "units.xlsx:'My data'!F4"
    with pytest.raises(DataError) as error:
        open_table(path, sheet="My dat")
    assert codes(error) == ["table-sheet"] and "did you mean 'My data'?" in str(error.value)
    with pytest.raises(DataError) as error:
        open_table(path, sheet="My data", header_row=1)
    assert codes(error) == ["table-header"]


def test_header_only_and_empty_sheets(tmp_path: Path) -> None:
    only = write_xlsx(tmp_path / "only.xlsx", lambda wb, ws: ws.write_row(0, 0, ["a", "b"]))
    source = open_table(only)
    assert source.rows == 0 and rows_of(source) == []
    with pytest.raises(DataError) as error:
        open_table(write_xlsx(tmp_path / "empty.xlsx", lambda wb, ws: None))
    assert codes(error) == ["table-empty"] and "sheet 'Sheet1' is empty" in str(error.value)


def test_openpyxl_merged_cells_and_long_cell(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位", "说明"])
    sheet.append(["甲", "y" * 32767])  # Excel's longest cell
    sheet.append([None, "z"])
    sheet.merge_cells("A2:A3")
    workbook.save(tmp_path / "m.xlsx")
    rows = rows_of(open_table(tmp_path / "m.xlsx"))
    assert rows == [{"单位": "甲", "说明": "y" * 32767}, {"单位": None, "说明": "z"}]


def test_files_that_are_not_workbooks(tmp_path: Path) -> None:
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (tmp_path / "text.xlsx").write_text("a,b\n1,2\n")
    with zipfile.ZipFile(tmp_path / "renamed.xlsx", "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    for file, says in [
        ("old.xlsx", "Excel 97–2003"),
        ("old.xls", "Excel 97–2003"),
        ("text.xlsx", "not an Excel workbook"),
        ("renamed.xlsx", "no xl/workbook.xml"),
    ]:
        with pytest.raises(DataError) as error:
            open_table(tmp_path / file)
        assert codes(error) == ["table-format"] and says in str(error.value), file


def test_missing_directory_and_unknown_suffix(tmp_path: Path) -> None:
    (tmp_path / "units.txt").write_text("a")
    (tmp_path / "dir.csv").mkdir()
    for file, code in [
        ("none.csv", "file-not-found"),
        ("dir.csv", "file-kind"),
        ("units.txt", "table-suffix"),
    ]:
        with pytest.raises(DataError) as error:
            open_table(tmp_path / file)
        assert codes(error) == [code]
    assert ".parquet" in str(error.value) and ".parquet" in TABLE_SUFFIXES


# --- CSV --------------------------------------------------------------------------------------------------


def test_csv_text_bom_blank_lines_and_where(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("\ufeff单位, 在职人员数 ,金额\n甲,0335,0.10\n\n,,\n乙, 12 ,\n".encode())
    source = open_table(path)
    assert source.headers == ("单位", "在职人员数", "金额") and source.rows is None
    assert rows_of(source, 1) == [
        {"单位": "甲", "在职人员数": "0335", "金额": "0.10"},  # text as written, never through a float
        {"单位": "乙", "在职人员数": "12", "金额": None},
    ]
    assert source.skipped_empty_rows == 2
    assert str(source.where(0, 1)) == f"{path}:row 2, column 在职人员数"
    assert str(source.where(1)) == f"{path}:row 5"


def test_tsv_with_header_row_and_empty_header(tmp_path: Path) -> None:
    path = tmp_path / "units.tsv"
    path.write_text("标题\n\nid\t\tx\nu1\t1\t2\n", encoding="utf-8")
    source = open_table(path, header_row=3)
    assert source.headers == ("id", "column 2", "x")
    assert rows_of(source) == [{"id": "u1", "column 2": "1", "x": "2"}]
    assert str(source.where(0, 2)) == f"{path}:row 4, column x"


def test_csv_ragged_rows_reported_together_with_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("a,b\n1,2\n3\n4,5,6\n7,8\n")
    source = open_table(path)
    with pytest.raises(DataError) as error:
        rows_of(source)
    assert codes(error) == ["table-row-fields", "table-row-fields"]
    assert [str(p.location) for p in error.value.problems] == [f"{path}:row 3", f"{path}:row 4"]
    assert str(source.where(1, 0)) == f"{path}:row 5, column a"  # 7,8 keeps its own row


def test_csv_encodings(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("单位,人数\n甲,3\n".encode("gbk"))
    with pytest.raises(DataError) as error:
        open_table(gbk)
    assert codes(error) == ["encoding"] and "--encoding gbk" in str(error.value)
    assert rows_of(open_table(gbk, encoding="gbk")) == [{"单位": "甲", "人数": "3"}]
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text("单位,人数\n乙,4\n", encoding="utf-8")
    assert rows_of(open_table(utf8, encoding="gbk")) == [{"单位": "乙", "人数": "4"}]  # UTF-8 stays UTF-8
    wide = tmp_path / "wide.csv"
    wide.write_bytes("a,b\n1,2\n".encode("utf-16"))
    with pytest.raises(DataError) as error:
        open_table(wide)
    assert codes(error) == ["encoding"] and "UTF-16" in str(error.value)
    with pytest.raises(DataError) as error:
        open_table(gbk, encoding="no-such")
    assert codes(error) == ["encoding"]


def test_csv_empty_and_header_only(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(DataError) as error:
        open_table(tmp_path / "empty.csv")
    assert codes(error) == ["table-empty"]
    (tmp_path / "head.csv").write_text("a,b\n")
    assert rows_of(open_table(tmp_path / "head.csv")) == []


def test_csv_cell_of_50_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("a,b\n1," + "x" * 50_000_000 + "\n2,3\n")
    rows = rows_of(open_table(path), 10)
    assert [row["a"] for row in rows] == ["1", "2"] and len(rows[0]["b"]) == 50_000_000


def test_csv_chunks_cover_every_row_once(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("id,v\n" + "".join(f"u{i},{i}\n" for i in range(1000)))
    rows = rows_of(open_table(path), 7)
    assert [row["v"] for row in rows] == [str(i) for i in range(1000)]


# --- Parquet, JSON Lines, frames --------------------------------------------------------------------------


def test_parquet_columns_as_text(tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "f": pa.array([0.1, 87.7, None, float("nan")]),
            "i": pa.array([1, None, -3, 2**40], pa.int64()),
            "d": pa.array(
                [decimal.Decimal("1.10"), None, decimal.Decimal("-0.005"), None], pa.decimal128(10, 3)
            ),
            "b": pa.array([True, False, None, True]),
        }
    )
    parquet.write_table(table, tmp_path / "u.parquet")
    source = open_table(tmp_path / "u.parquet")
    assert source.rows == 4
    assert rows_of(source, 3) == [
        {"f": "0.1", "i": "1", "d": "1.100", "b": "true"},
        {"f": "87.7", "i": None, "d": None, "b": "false"},
        {"f": None, "i": "-3", "d": "-0.005", "b": None},
        {"f": None, "i": "1099511627776", "d": None, "b": "true"},
    ]
    assert str(source.where(3, 0)) == f"{tmp_path / 'u.parquet'}:row 4, column f"


def test_parquet_nested_column_refused(tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    parquet.write_table(pa.table({"a": [[1], [2]], "b": [1, 2]}), tmp_path / "n.parquet")
    with pytest.raises(DataError) as error:
        open_table(tmp_path / "n.parquet")
    assert codes(error) == ["table-column-type"] and error.value.problems[0].subject == "a"
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(DataError) as error:
        open_table(tmp_path / "bad.parquet")
    assert codes(error) == ["table-format"]


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "u.jsonl"
    path.write_text('{"id": "u1", "v": 0.1}\n{"id": "u2", "v": 12}\n')
    assert rows_of(open_table(path)) == [{"id": "u1", "v": "0.1"}, {"id": "u2", "v": "12"}]


def test_pandas_frame_with_nan_and_mixed_objects() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"id": ["u1", "u2", None], "v": [1.5, float("nan"), 87.7], "m": [335, "n/a", 2.0]}
    )
    source = frame_source(frame)
    assert source.name == "DataFrame" and source.rows == 3
    assert rows_of(source) == [
        {"id": "u1", "v": "1.5", "m": "335"},
        {"id": "u2", "v": None, "m": "n/a"},
        {"id": None, "v": "87.7", "m": "2"},
    ]
    assert str(source.where(1, 1)) == "DataFrame:row 2, column v"


def test_polars_and_arrow_frames() -> None:
    polars = pytest.importorskip("polars")
    frame = polars.DataFrame({"id": ["u1", None, "u3"], "v": [0.1, None, float("nan")]})
    rows = rows_of(frame_source(frame, "units"))
    assert rows == [{"id": "u1", "v": "0.1"}, {"id": "u3", "v": None}]  # the all-missing row is left out
    source = frame_source(frame, "units")
    rows_of(source)
    assert source.skipped_empty_rows == 1 and str(source.where(1, 0)) == "units:row 3, column id"
    assert rows_of(frame_source(pa.table({"a": [1, 2]}))) == [{"a": "1"}, {"a": "2"}]
    with pytest.raises(DataError) as error:
        frame_source([1, 2])
    assert codes(error) == ["table-frame"]


def test_quoted_line_breaks_and_many_ragged_rows(tmp_path: Path) -> None:
    from scoring import limits

    path = tmp_path / "q.csv"
    path.write_text('a,b\n"x\ny",1\n2,3\n' + "9\n" * (limits.MAX_PROBLEMS + 5))
    source = open_table(path)
    with pytest.raises(DataError) as error:
        rows_of(source)
    assert len(error.value.problems) == limits.MAX_PROBLEMS + 1 and error.value.omitted == 5
    assert str(error.value.problems[0].location) == f"{path}:row 4"  # a record spanning lines counts once
    assert str(source.where(1, 1)) == f"{path}:row 3, column b"


def test_missing_pyarrow_is_one_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring.errors import ScoringError

    (tmp_path / "u.csv").write_text("a,b\n1,2\n")
    monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)
    with pytest.raises(ScoringError) as error:
        rows_of(open_table(tmp_path / "u.csv"))
    assert [p.code for p in error.value.problems] == ["needs-tables"] and "pip install" in str(error.value)


_CELL_TEXTS = st.lists(
    st.one_of(
        st.none(),
        st.text(
            alphabet=st.sampled_from(["1", ".", "a", "好", " ", "\t", "\n", "\u3000", "\xa0", "\x7f"]),
            max_size=4,
        ),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(cells=_CELL_TEXTS, cut=st.integers(0, 4), chunks=st.integers(1, 3))
def test_text_cells_are_trimmed_and_empty_ones_null_whether_or_not_the_trim_is_skipped(
    cells: list[str | None], cut: int, chunks: int
) -> None:
    """Columns with nothing to trim skip the trim (read from the array's bytes); every column, sliced or in
    several chunks, must come out as if trimmed: surrounding white space gone, empty cells null."""
    import pyarrow.compute as pc

    from scoring.tables._arrow import _text_column

    whole = pa.array(cells, pa.string())[min(cut, len(cells)) :]
    size = max(len(whole) // chunks, 1)
    parts = [whole[i : i + size] for i in range(0, len(whole), size)] or [whole]
    column = pa.chunked_array(parts, pa.string())
    expected = [None if c is None or not c.strip() else c.strip() for c in whole.to_pylist()]
    assert _text_column(pa, pc, column).to_pylist() == expected
    assert _text_column(pa, pc, column.cast(pa.large_string())).to_pylist() == expected
