"""A batch's scores as a table: one row per unit (wide) or per unit and indicator (long), written as CSV,
XLSX, Parquet or JSON lines.

Numbers are written from their integer units as exact decimal text (CSV, JSON lines), as exact decimals
(Parquet ``decimal128``) or as numbers (XLSX, whose cells are floats: points of a few decimals show
exactly). Headers are the indicators' ids and the groups' paths, as in the set file.
"""

from __future__ import annotations

import json
import sys
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
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    indicator_set = scores.indicator_set
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    labels = [grade.label for grade in indicator_set.grades]
    failed = np.zeros(scores.rows, dtype=bool)
    failed[list(scores.errors)] = True
    known = scores.array("total_known")
    grade, grade_high = scores.array("grade"), scores.array("grade_high")

    def masked(values: Any, keep: Any) -> Any:
        if keep.all():  # the usual column: nothing to hide
            return values
        return pc.if_else(pa.array(keep), values, pa.scalar(None, values.type))

    low = decimal_text(scores.array("total_low"), total_places)
    high = decimal_text(scores.array("total_high"), total_places)
    ranged = ~known & ~failed
    # grade g (lowest possible) and h (highest): one label, or a range when rows are unknown
    names = [[None if g < 0 else labels[g] if g == h else f"{labels[h]}–{labels[g]}" for h in range(len(labels))] for g in range(-1, len(labels))]  # fmt: skip
    grade_text = np.asarray(names, dtype=object)[grade + 1, np.maximum(grade_high, 0)]
    columns: dict[str, Any] = {
        "unit": pa.array(scores.names, pa.string()),
        "status": pa.array(np.where(failed, "error", "ok")),
        "total": masked(decimals(scores.array("total"), total_places), known),
        "total_range": masked(pc.binary_join_element_wise(low, high, "–"), ranged),
        "grade": pa.array(grade_text, pa.string()),
        "rank": masked(pa.array(scores.ranks()), known),
    }
    subtotals, subtotal_known = scores.array("subtotals"), scores.array("subtotal_known")
    for g, group in enumerate(indicator_set.groups):
        columns[group.path] = masked(decimals(subtotals[:, g], places), subtotal_known[:, g])
    points, points_known = scores.array("points"), scores.array("known")
    for j, indicator in enumerate(indicator_set.indicators):
        columns[indicator.id] = masked(decimals(points[:, j], places), points_known[:, j])
        if explain:
            outcomes = [scores.explain.get(row, ())[j : j + 1] for row in range(scores.rows)]
            columns[f"{indicator.id}.outcome"] = pa.array(
                [o[0] if o else None for o in outcomes], pa.string()
            )
    errors: list[str | None] = [None] * scores.rows
    for row in scores.errors:
        errors[row] = error_text(scores, row)
    columns["error"] = pa.array(errors, pa.string())
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
    """Write ``table`` to ``destination`` by its suffix; ``-`` is CSV on standard output. Decimals are written
    as their exact text (CSV, JSON lines), as decimals (Parquet) or as numbers (XLSX)."""
    if destination == "-":
        import pyarrow.csv as pacsv

        sys.stdout.flush()
        pacsv.write_csv(table, sys.stdout.buffer)
        return
    suffix = Path(destination).suffix.lower()
    if suffix == ".csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, destination)
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, destination)
    elif suffix == ".jsonl":
        _write_jsonl(table, destination)
    elif suffix == ".xlsx":
        _write_xlsx(table, destination)
    else:
        message = f"cannot write '{destination}': the suffix must be one of {', '.join(SUFFIXES)}, or - for standard output"
        raise OptionError(Problem("output-format", message, None, destination))


def _write_jsonl(table: Any, destination: str) -> None:
    with open(destination, "w", encoding="utf-8") as out:
        for batch in table.to_batches(10_000):
            for row in batch.to_pylist():
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _write_xlsx(table: Any, destination: str) -> None:
    import xlsxwriter

    if table.num_rows > XLSX_ROWS:
        message = f"{table.num_rows} rows do not fit an XLSX sheet (at most {XLSX_ROWS})"
        raise OptionError(Problem("output-too-long", message, None, destination, "write .csv or .parquet"))
    book = xlsxwriter.Workbook(destination, {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("scores")
    sheet.write_row(0, 0, table.column_names)
    row_index = 1
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
    book.close()
