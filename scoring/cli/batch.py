"""``scoring batch SET TABLE -o OUT``: every row of a table of units scored, one row of scores per unit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..batch import score_table
from ..batch.output import FORMATS, SUFFIXES, long_table, wide_tables, write_table, write_tables
from ..errors import DataError, Location, OptionError, Problem
from ..formats.yaml import load_yaml
from ..language import Catalogue
from ..model import IndicatorSet, load_set
from ..report.csv import text_cell
from ..report.problems import problem_text
from ..report.progress import progress_bar
from ..report.text import safe_inline
from .common import Commands, texts_for
from .exits import EXIT_INVALID, EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    batch = commands.add_parser(
        "batch",
        parents=[reading],
        help="score every row of a table (CSV, XLSX, Parquet): one row of scores per unit",
    )
    batch.add_argument("set_path", type=Path, metavar="SET", help="indicator set")
    batch.add_argument("table", type=Path, metavar="TABLE", help="units, one per row (.csv, .xlsx, .parquet)")
    batch.add_argument(
        "-o", "--output", default="-", metavar="OUT", help=f"{'/'.join(SUFFIXES)}, or - for CSV on stdout"
    )
    batch.add_argument(
        "--format", choices=FORMATS, default="wide", help="a row per unit, or per unit and indicator"
    )
    batch.add_argument("--explain", action="store_true", help="add each indicator's outcome text (slower)")
    batch.add_argument("--sheet", metavar="NAME", help="the sheet of an XLSX workbook (default: the first)")
    batch.add_argument(
        "--header-row", type=int, metavar="N", help="the header's row in the sheet (default: found)"
    )
    batch.add_argument(
        "--columns", type=Path, metavar="MAP", help="YAML mapping: header → input or <id>.tier"
    )
    batch.add_argument(
        "--id-column", metavar="HEADER", help="the column naming each unit (default: unit/单位/单位名称)"
    )
    batch.add_argument(
        "--sheets-per-unit",
        action="store_true",
        help="with -o .xlsx: also one 评分表 sheet per unit (each row scored with its whole trace)",
    )
    batch.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="score on the Dask cluster at ADDRESS (CSV or Parquet; the dask extra)",
    )
    batch.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    indicator_set = load_set(args.set_path)
    columns = column_map(args.columns, args.encoding) if args.columns else None
    if args.dask:
        return _on_cluster(args, indicator_set, columns)
    words = texts_for(args, indicator_set)
    update, close = progress_bar(
        words.text("text.cli.progress.batch"), unit=words.text("text.cli.progress.rows")
    )
    try:
        scores = score_table(
            indicator_set,
            args.table,
            **_reading(args, columns),
            explain=args.explain,
            progress=(lambda done: update(done, 0)) if update is not None else None,
        )
    finally:
        close()
    if scores.rows == 0:
        raise DataError(
            Problem("no-rows", "the table has a header but no rows of data", Location(str(args.table)))
        )
    long = args.format == "long"
    suffix = Path(args.output).suffix.lower()
    if not long and suffix in (".xlsx", ".html", ".htm"):
        _write_report(args, indicator_set, scores, columns)
        return _summary(scores, texts_for(args, indicator_set))
    tables: Iterable[Any] = [long_table(scores, args.explain)] if long else wide_tables(scores, args.explain)
    if args.output == "-" or args.output.lower().endswith(".csv"):
        tables = map(spreadsheet_safe, tables)
    write_tables(tables, args.output, scores.rows * (len(indicator_set.indicators) if long else 1))
    return _summary(scores, texts_for(args, indicator_set))


def _reading(args: argparse.Namespace, columns: dict[str, str] | None) -> dict[str, Any]:
    """How the table is read: its sheet and header row, encoding, column map and id column."""
    return {
        "sheet": args.sheet,
        "header_row": args.header_row,
        "encoding": args.encoding,
        "columns": columns,
        "id_column": args.id_column,
    }


#: The most 评分表 sheets ``--sheets-per-unit`` writes into one workbook.
MOST_UNIT_SHEETS = 1_000


def _write_report(
    args: argparse.Namespace, indicator_set: IndicatorSet, scores: Any, columns: dict[str, str] | None
) -> None:
    """The scores as a workbook people read (ranked summary, data, 评分表 sheets) or an HTML report."""
    import pyarrow as pa

    from ..batch import table_results
    from ..batch.output import XLSX_ROWS

    texts = texts_for(args, indicator_set)
    table = pa.concat_tables(list(wide_tables(scores, args.explain)))
    if Path(args.output).suffix.lower() != ".xlsx":
        from ..report.html_cohort import cohort_report

        Path(args.output).write_text(cohort_report(table, indicator_set, texts), encoding="utf-8")
        return
    if scores.rows > XLSX_ROWS:
        message = f"{scores.rows} rows do not fit an XLSX sheet (at most {XLSX_ROWS})"
        raise OptionError(Problem("output-too-long", message, None, args.output, "write .csv or .parquet"))
    from ..report.summary_sheet import write_cohort_workbook

    results: Iterable[Any] = ()
    if args.sheets_per_unit:
        if scores.rows > MOST_UNIT_SHEETS:
            message = f"--sheets-per-unit writes at most {MOST_UNIT_SHEETS} sheets, and the table has {scores.rows} units"
            hint = "leave it out (the summary has every unit), or score a smaller table"
            raise OptionError(Problem("output-too-long", message, None, args.output, hint))
        results = table_results(indicator_set, args.table, **_reading(args, columns))
    write_cohort_workbook(args.output, table, indicator_set, texts, results)


def _summary(scores: Any, texts: Catalogue) -> int:
    """The counts on stderr, the first failures with their reasons, in the words of ``texts``; the exit
    status."""
    ok = scores.rows - scores.failed
    summary = texts.text("analysis.batch.summary", ok=ok, rows=scores.rows, failed=scores.failed)
    print(summary, file=sys.stderr)
    for row in sorted(scores.errors)[:20]:
        for problem in scores.errors[row]:
            print(safe_inline(f"  {scores.names[row]}: {problem_text(problem, texts)}"), file=sys.stderr)
    if scores.failed > 20:
        print(texts.text("analysis.batch.more", more=scores.failed - 20), file=sys.stderr)
    return EXIT_INVALID if scores.failed else EXIT_OK


#: Text a spreadsheet would read as a formula (a leading = + - @ tab or return), or that holds a control or
#: direction character: such cells are written as report.csv writes every CSV cell.
_LIVE = "^[=+\\-@\t\r]|[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def spreadsheet_safe(table: Any) -> Any:
    """``table`` with every text cell that a spreadsheet would run, or that hides characters, made plain
    (:func:`scoring.report.csv.text_cell`): scores from a stranger's sheet never carry a live formula."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type):
            live = pc.fill_null(pc.match_substring_regex(column, _LIVE), False)
            if pc.any(live).as_py():
                cells = column.to_pylist()
                flags = live.to_pylist()
                column = pa.array(
                    [text_cell(c) if f else c for c, f in zip(cells, flags, strict=True)], pa.string()
                )
        columns.append(column)
    return pa.table(dict(zip(table.column_names, columns, strict=True)))


def column_map(path: Path, encoding: str | None) -> dict[str, str]:
    """The ``--columns`` file: a mapping of header text → input name (or ``<indicator>.tier`` …)."""
    document = load_yaml(path, encoding)
    data = document.data
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        message = "a column map is a mapping of header → input name (both text)"
        raise OptionError(
            Problem("column-map", message, Location(str(path)), None, "e.g. 在职人员数: staff_in_post")
        )
    return dict(data)


def _on_cluster(args: argparse.Namespace, indicator_set: IndicatorSet, columns: dict[str, str] | None) -> int:
    """``--dask ADDRESS``: the table read and scored by the cluster's workers, the scores gathered here."""
    import pyarrow as pa

    from ..dask import client, read_table, score_dataframe

    with client(args.dask):
        frame = read_table(args.table, encoding=args.encoding)
        scored = score_dataframe(indicator_set, frame, columns=columns, id_column=args.id_column).compute()
    table = pa.Table.from_pandas(scored, preserve_index=False)
    write_table(table, args.output)
    failed = int((scored["status"] == "error").sum())
    texts = texts_for(args, indicator_set)
    summary = texts.text("analysis.batch.summary", ok=len(scored) - failed, rows=len(scored), failed=failed)
    print(summary, file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK
