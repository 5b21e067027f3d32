"""Scoring tables of units: a file (CSV, XLSX, Parquet) or a DataFrame in, one row of scores per unit out.

:func:`score_table` reads a file chunk by chunk (:mod:`scoring.tables`), maps its columns onto the set
(:mod:`.layout`), scores each chunk on the columnar path and the rows it leaves to the scalar engine one by
one (:mod:`.run`); :func:`score_frame` does the same for a DataFrame and gives a DataFrame of the same kind
back. Needs the ``tables`` extra (numpy, pyarrow, python-calamine, xlsxwriter).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..engine.result import Result
from ..model.indicator_set import IndicatorSet
from .layout import Layout, plan_layout
from .run import CHUNK_ROWS, FRAME_CHUNK_ROWS, BatchScores, Progress, score_source


def score_table(
    indicator_set: IndicatorSet,
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    explain: bool = False,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    reference: bool = False,
) -> BatchScores:
    """Score every row of a table file; raises :class:`~scoring.errors.DataError` when the table as a whole
    cannot be used (unreadable, a needed column missing). Rows that fail are in the result's ``errors``."""
    from ..tables import open_table

    source = open_table(path, sheet=sheet, header_row=header_row, encoding=encoding)
    return _score(indicator_set, source, columns, id_column, explain, progress, chunk_rows, reference)


def table_results(
    indicator_set: IndicatorSet,
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
) -> Iterator[Result]:
    """Each row of a table file scored by the scalar engine, with its whole trace (for the few units a
    report shows in full, such as a 评分表 sheet per unit); rows that cannot be scored are skipped (the
    batch's ``errors`` report them)."""
    from ..engine import evaluate
    from ..errors import ScoringError
    from ..tables import open_table
    from .cells import Chunk

    source = open_table(path, sheet=sheet, header_row=header_row, encoding=encoding)
    layout = plan_layout(indicator_set, source.headers, source.name, renames=columns, id_column=id_column, duplicates=source.duplicates)  # fmt: skip
    for part in source.chunks(CHUNK_ROWS):
        chunk = Chunk(indicator_set, layout, part.table, part.first_row)
        for row in range(chunk.rows):
            try:
                yield evaluate(indicator_set, chunk.mapping(row))
            except ScoringError:
                continue


def score_frame(
    indicator_set: IndicatorSet,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
    explain: bool = False,
    format: str = "wide",
    name: str = "DataFrame",
) -> Any:
    """Score every row of a pandas or polars DataFrame (or a pyarrow Table); returns the scores as the same
    kind of frame, one row per unit (``format="wide"``) or per unit and indicator (``"long"``), points and
    totals as exact decimals (polars ``Decimal``, Python ``Decimal`` objects in pandas), with ``status`` and
    ``error`` columns for rows that could not be scored. ``name`` is how problems' locations name the
    frame (``DataFrame:row 7, column x``)."""
    from ..tables import frame_source
    from .output import long_table, wide_table

    source = frame_source(frame, name)
    scores = _score(indicator_set, source, columns, id_column, explain, None, FRAME_CHUNK_ROWS)
    table = long_table(scores, explain) if format == "long" else wide_table(scores, explain)
    return _like(frame, table)


def _score(
    indicator_set: IndicatorSet,
    source: Any,
    columns: Mapping[str, str] | None,
    id_column: str | None,
    explain: bool,
    progress: Progress | None,
    chunk_rows: int,
    reference: bool = False,
) -> BatchScores:
    layout: Layout = plan_layout(
        indicator_set,
        source.headers,
        source.name,
        renames=columns,
        id_column=id_column,
        duplicates=source.duplicates,
    )
    chunks = ((chunk.table, chunk.first_row) for chunk in source.chunks(chunk_rows))
    return score_source(
        indicator_set,
        chunks,
        layout,
        source.where,
        source.name,
        explain=explain,
        progress=progress,
        reference=reference,
    )


def _like(frame: Any, table: Any) -> Any:
    """The pyarrow ``table`` as the kind of frame ``frame`` is."""
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        return table.to_pandas()
    if module == "polars":
        import polars

        return polars.from_arrow(table)
    return table


__all__ = ["BatchScores", "score_frame", "score_table", "table_results"]
