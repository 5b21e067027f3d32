"""A batch's scores as a table: one row per unit (wide) or per unit and indicator (long), written as CSV,
XLSX, Parquet or JSON lines.

Numbers are written from their integer units as exact decimal text (CSV, JSON lines), as exact decimals
(Parquet ``decimal128``) or as numbers (XLSX, whose cells are floats: points of a few decimals show
exactly). Headers are the indicators' ids and the groups' paths, as in the set file.
"""

from __future__ import annotations

import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import OptionError, Problem
from .run import FAILED, STATUS_NAMES, BatchScores

FORMATS = ("wide", "long")
SUFFIXES = (".csv", ".xlsx", ".parquet", ".jsonl")
#: Rows an XLSX sheet holds below its header.
XLSX_ROWS = 1_048_575


def decimals(units: Any, places: int) -> Any:
    """Integer counts of ``10^-places`` as exact pyarrow decimals (``decimal128``, the integers as they are)."""
    import numpy as np
    import pyarrow as pa

    units = np.asarray(units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype=np.int64)  # a decimal128 is a 128-bit two's-complement integer
    words[:, 0] = units
    words[:, 1] = units >> 63
    return pa.Array.from_buffers(pa.decimal128(38, places), len(units), [None, pa.py_buffer(words)])


def decimal_text(units: Any, places: int) -> Any:
    """Integer counts of ``10^-places`` as exact decimal text (a pyarrow string array)."""
    import pyarrow as pa

    return decimals(units, places).cast(pa.string())


def wide_table(scores: BatchScores, explain: bool = False) -> Any:
    """One row per unit: unit, status, total (or its range), grade, rank, subtotals, points, error.
    Points, subtotals and totals are exact decimals (``decimal128``); a row without one has null."""
    import pyarrow as pa

    return pa.concat_tables(list(wide_tables(scores, explain)))


def _parts(scores: BatchScores) -> Iterator[tuple[int, Callable[[str], Any]]]:
    """(first row, the part's arrays by key) for each scored chunk; one empty part for a table without rows."""
    if not scores.parts:
        yield 0, scores.array
        return
    base = 0
    for part in scores.parts:
        yield base, part.__getitem__
        base += len(part["total"])


def wide_tables(scores: BatchScores, explain: bool = False) -> Iterator[Any]:
    """:func:`wide_table` a chunk at a time (ranks over every row), so writing a million rows needs the
    memory of one chunk's table, not of the whole. Chunks are made two at a time on threads (pyarrow and
    numpy release the interpreter), in order."""
    ranks = scores.ranks()
    with ThreadPoolExecutor(max_workers=2) as pool:
        pending: deque[Future[Any]] = deque()
        for base, get in _parts(scores):
            pending.append(pool.submit(_wide, scores, get, base, ranks, explain))
            if len(pending) > 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _wide(scores: BatchScores, get: Callable[[str], Any], base: int, ranks: Any, explain: bool) -> Any:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    indicator_set = scores.indicator_set
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    labels = [grade.label for grade in indicator_set.grades]
    count = len(get("total"))
    rows = range(base, base + count)
    failed = np.asarray([row in scores.errors for row in rows], dtype=bool) if scores.errors else np.zeros(count, dtype=bool)  # fmt: skip
    known = get("total_known")

    def masked(values: Any, keep: Any) -> Any:
        if keep.all():  # the usual column: nothing to hide
            return values
        return pc.if_else(pa.array(keep), values, pa.scalar(None, values.type))

    ranged = ~known & ~failed
    if ranged.any():
        low, high = (decimal_text(get(key), total_places) for key in ("total_low", "total_high"))
        total_range = masked(pc.binary_join_element_wise(low, high, "–"), ranged)
    else:  # the usual chunk: every row has its total
        total_range = pa.nulls(count, pa.string())
    # grade g (lowest possible) and h (highest): one label, or a range when rows are unknown; each pair
    # is a position in a small array of texts, taken for every row at once
    size = len(labels)
    names = [None if g < 0 else labels[g] if g == h else f"{labels[h]}–{labels[g]}" for g in range(-1, size) for h in range(size)]  # fmt: skip
    pair = (get("grade").astype(np.int64) + 1) * size + np.maximum(get("grade_high"), 0)
    columns: dict[str, Any] = {
        "unit": pa.array(scores.names[base : base + count], pa.string()),
        "status": pa.array(["ok", "error"]).take(pa.array(failed.astype(np.int8))),
        "total": masked(decimals(get("total"), total_places), known),
        "total_range": total_range,
        "grade": pa.array(names, pa.string()).take(pa.array(pair)),
        "rank": masked(pa.array(ranks[base : base + count]), known),
    }
    subtotals, subtotal_known = get("subtotals"), get("subtotal_known")
    for g, group in enumerate(indicator_set.groups):
        columns[group.path] = masked(decimals(subtotals[:, g], places), subtotal_known[:, g])
    points, points_known = get("points"), get("known")
    for j, indicator in enumerate(indicator_set.indicators):
        columns[indicator.id] = masked(decimals(points[:, j], places), points_known[:, j])
        if explain:
            outcomes = [scores.explain.get(row, ())[j : j + 1] for row in rows]
            columns[f"{indicator.id}.outcome"] = pa.array(
                [o[0] if o else None for o in outcomes], pa.string()
            )
    columns["error"] = pa.array([error_text(scores, row) for row in rows] if scores.errors else [None] * count, pa.string())  # fmt: skip
    return pa.table(columns)


def error_text(scores: BatchScores, row: int) -> str | None:
    problems = scores.errors.get(row)
    return None if problems is None else "; ".join(str(problem) for problem in problems)


def long_table(scores: BatchScores, explain: bool = False) -> Any:
    """One row per unit and indicator: unit, indicator, label, status, points (and outcome), error."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    indicator_set = scores.indicator_set
    count = len(indicator_set.indicators)
    rows = scores.rows
    points = scores.array("points").reshape(-1)
    known = scores.array("known").reshape(-1)
    status = scores.array("status").reshape(-1)
    names = np.asarray(scores.names, dtype=object).repeat(count)
    status_names = np.asarray([STATUS_NAMES[code] for code in range(len(STATUS_NAMES))], dtype=object)
    exact = decimals(points, indicator_set.rounding.places)
    columns: dict[str, Any] = {
        "unit": pa.array(names, pa.string()),
        "indicator": pa.array(np.tile([i.id for i in indicator_set.indicators], rows), pa.string()),
        "label": pa.array(np.tile([i.label for i in indicator_set.indicators], rows), pa.string()),
        "status": pa.array(status_names[status], pa.string()),
        "points": pc.if_else(pa.array(known), exact, pa.scalar(None, exact.type)),
    }
    if explain:
        columns["outcome"] = pa.array(
            [scores.explain.get(row, (None,) * count)[j] for row in range(rows) for j in range(count)],
            pa.string(),
        )
    errors = [error_text(scores, row) if status[row * count] == FAILED else None for row in range(rows)]
    columns["error"] = pa.array(np.asarray(errors, dtype=object).repeat(count), pa.string())
    return pa.table(columns)


def write_table(table: Any, destination: str) -> None:
    """Write ``table`` to ``destination`` by its suffix (see :func:`write_tables`)."""
    write_tables([table], destination, table.num_rows)


def write_tables(tables: Iterable[Any], destination: str, rows: int) -> None:
    """Write the tables (one table's parts, ``rows`` in all) to ``destination`` by its suffix; ``-`` is CSV on
    standard output. Decimals are written as their exact text (CSV, JSON lines), as decimals (Parquet) or as
    numbers (XLSX). Parts are written as they come, so memory holds one part at a time."""
    suffix = ".csv" if destination == "-" else Path(destination).suffix.lower()
    if suffix not in SUFFIXES:
        message = f"cannot write '{destination}': the suffix must be one of {', '.join(SUFFIXES)}, or - for standard output"
        raise OptionError(Problem("output-format", message, None, destination))
    if suffix == ".xlsx" and rows > XLSX_ROWS:
        message = f"{rows} rows do not fit an XLSX sheet (at most {XLSX_ROWS})"
        raise OptionError(Problem("output-too-long", message, None, destination, "write .csv or .parquet"))
    if suffix == ".jsonl":
        _write_jsonl(tables, destination)
    elif suffix == ".xlsx":
        _write_xlsx(tables, destination)
    else:
        _write_arrow(tables, destination, suffix)


def _write_arrow(tables: Iterable[Any], destination: str, suffix: str) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    writer: Any = None
    sink: Any = sys.stdout.buffer if destination == "-" else destination
    if destination == "-":
        sys.stdout.flush()
    try:
        for table in tables:
            if writer is None:
                writer = (pacsv.CSVWriter if suffix == ".csv" else pq.ParquetWriter)(sink, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _write_jsonl(tables: Iterable[Any], destination: str) -> None:
    with open(destination, "w", encoding="utf-8") as out:
        for table in tables:
            for batch in table.to_batches(10_000):
                for row in batch.to_pylist():
                    out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _write_xlsx(tables: Iterable[Any], destination: str) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(destination, {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("scores")
    row_index = 1
    for number, table in enumerate(tables):
        if number == 0:
            sheet.write_row(0, 0, table.column_names)
        row_index = _write_sheet_rows(sheet, table, row_index)
    book.close()


def _write_sheet_rows(sheet: Any, table: Any, row_index: int) -> int:
    """The table's rows from ``row_index`` on; returns the next free row."""
    for batch in table.to_batches(10_000):
        for row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(row_index, col, value)
                else:  # a decimal or a rank: a number cell (points of a few decimals show exactly)
                    sheet.write_number(row_index, col, float(value))
            row_index += 1
    return row_index
