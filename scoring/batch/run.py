"""Score every row of a table: chunk by chunk on the columnar path, the rows it leaves to the scalar engine
one by one, every row accounted for (scored, or an error saying where and why).

The result keeps integers per row (points, subtotals, total, grade), the unit's name and, for rows that
failed, the error text: a few hundred bytes a row, so a million rows fit in memory while the input is read a
chunk at a time. Ranks need every total, so they are computed at the end.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from ..columnar.decimal_lane import score_cells
from ..columnar.evaluate import JUDGED, NOT_APPLICABLE, SCORED, ColumnarScores, assemble, evaluate_columns
from ..columnar.exact import competition_ranks, numpy, to_units
from ..engine import evaluate
from ..engine.result import Result
from ..errors import Location, Problem, ScoringError
from ..model.indicator_set import IndicatorSet
from .cells import Chunk
from .layout import Layout
from .reference import ReferencePart, reference_part

#: Cell status codes beyond the columnar ones: an unknown row, an overridden one, a row of a failed unit.
UNKNOWN, OVERRIDDEN, FAILED = 3, 4, 5
STATUS_NAMES = {
    SCORED: "scored",
    JUDGED: "judged",
    NOT_APPLICABLE: "not_applicable",
    UNKNOWN: "unknown",
    OVERRIDDEN: "overridden",
    FAILED: "error",
}
_FROM_RESULT = {"scored": SCORED, "judged": JUDGED, "not_applicable": NOT_APPLICABLE, "unknown": UNKNOWN}
_FROM_RESULT["overridden"] = OVERRIDDEN
#: Rows scored together, read from a file (each chunk read is scored and let go).
CHUNK_ROWS = 50_000
#: Rows scored together from a frame already in memory: larger chunks, fewer passes of the lanes' fixed
#: costs, while a chunk's working arrays stay a small share of the frame's own memory.
FRAME_CHUNK_ROWS = 100_000

Progress = Callable[[int], None]


@dataclass
class BatchScores:
    """Every row's scores, in integer units (``10^-places`` for points and subtotals, ``10^-total_places``
    for totals); ``-1`` grades and ``known`` masks mark what a row does not have. ``errors`` maps a failed
    row to its problems; ``explain`` (when asked for) maps a row to each indicator's outcome text."""

    indicator_set: IndicatorSet
    source: str
    names: list[str] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[int, tuple[Problem, ...]] = field(default_factory=dict)
    explain: dict[int, tuple[str, ...]] = field(default_factory=dict)
    scalar_rows: int = 0
    #: With ``reference``: every chunk's rows at the reference weights.
    reference: list[ReferencePart] = field(default_factory=list)

    def array(self, key: str) -> Any:
        np = numpy()
        arrays = [part[key] for part in self.parts]
        if arrays:
            return np.concatenate(arrays)
        count, groups = len(self.indicator_set.indicators), len(self.indicator_set.groups)
        shapes = {"points": count, "status": count, "known": count, "counted": count, "subtotals": groups}
        shapes["subtotal_known"] = groups
        shape = (0, shapes[key]) if key in shapes else (0,)
        kinds = {"known": bool, "subtotal_known": bool, "total_known": bool, "counted": bool}
        kinds.update(status=np.int8, grade=np.int16, grade_high=np.int16)
        return np.zeros(shape, dtype=kinds.get(key, np.int64))

    @property
    def rows(self) -> int:
        return len(self.names)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def ranks(self) -> Any:
        """Competition ranks of the rows with a total, highest first (0 where a row has none)."""
        np = numpy()
        total, known = self.array("total"), self.array("total_known")
        ranks = np.zeros(self.rows, dtype=np.int64)
        if known.any():
            ranks[known] = competition_ranks(total[known][None, :])[0]
        return ranks


@dataclass
class _ChunkScores:
    """One chunk's share of a :class:`BatchScores` (rows counted from the chunk's first)."""

    part: dict[str, Any]
    names: list[str]
    errors: dict[int, tuple[Problem, ...]] = field(default_factory=dict)
    explain: dict[int, tuple[str, ...]] = field(default_factory=dict)
    scalar_rows: int = 0
    reference: ReferencePart | None = None


def score_source(
    indicator_set: IndicatorSet,
    chunks: Iterable[tuple[Any, int]],
    layout: Layout,
    where: Callable[[int, int | None], Location],
    source: str,
    *,
    explain: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    reference: bool = False,
) -> BatchScores:
    """Score each (text table, first row) chunk under ``layout``; ``where(row, column)`` locates a cell.

    Chunks are scored on ``workers`` threads (default: one per core, at most 4): pyarrow and numpy release
    the interpreter while they work, so the columnar lanes of two chunks run at once. At most one chunk
    per worker waits to be scored, so memory stays bounded; results are put together in table order.
    ``reference`` also keeps every row's unrounded points (:attr:`BatchScores.reference`), for the matrix
    of the weight analyses; the set must then be at the weights its rules are written at."""
    scores = BatchScores(indicator_set, source)
    count = workers or min(os.cpu_count() or 1, 4)

    def score(item: tuple[Any, int]) -> _ChunkScores:
        table, first_row = item
        chunk = Chunk(indicator_set, layout, table, first_row)
        return _score_chunk(indicator_set, chunk, where, explain, reference)

    with ThreadPoolExecutor(max_workers=count) as pool:
        pending: deque[Future[_ChunkScores]] = deque()
        for item in chunks:
            pending.append(pool.submit(score, item))
            if len(pending) > count:
                _merge(scores, pending.popleft().result(), progress)
        while pending:
            _merge(scores, pending.popleft().result(), progress)
    return scores


def _merge(scores: BatchScores, chunk: _ChunkScores, progress: Progress | None) -> None:
    base = len(scores.names)
    scores.names.extend(chunk.names)
    scores.parts.append(chunk.part)
    scores.errors.update({base + row: problems for row, problems in chunk.errors.items()})
    scores.explain.update({base + row: texts for row, texts in chunk.explain.items()})
    scores.scalar_rows += chunk.scalar_rows
    if chunk.reference is not None:
        scores.reference.append(chunk.reference)
    if progress is not None:
        progress(scores.rows)


def _score_chunk(
    indicator_set: IndicatorSet,
    chunk: Chunk,
    where: Callable[[int, int | None], Location],
    explain: bool,
    reference: bool = False,
) -> _ChunkScores:
    np = numpy()
    columnar = evaluate_columns(indicator_set, chunk.columns())
    part: dict[str, Any] = {
        "points": columnar.points,
        "status": columnar.status,
        "subtotals": columnar.subtotals,
        "total": columnar.total,
        "grade": columnar.grade.astype(np.int16),
        "known": np.ones(columnar.points.shape, dtype=bool, order="F"),
        "subtotal_known": np.ones(columnar.subtotals.shape, dtype=bool, order="F"),
        "total_known": np.ones(chunk.rows, dtype=bool),
        "total_low": columnar.total.copy(),
        "total_high": columnar.total.copy(),
        "grade_high": columnar.grade.astype(np.int16),
        "counted": columnar.counted,
    }
    scored = _ChunkScores(part, chunk.unit_names())
    unsure = _settle(chunk, part, columnar)
    rows = range(chunk.rows) if explain else np.nonzero(unsure)[0]
    results: dict[int, Result] = {}
    for row in rows:
        row = int(row)
        scored.scalar_rows += 1
        try:
            result = evaluate(indicator_set, chunk.mapping(row))
        except ScoringError as error:
            scored.errors[row] = tuple(_located(p, chunk, row, where) for p in error.problems)
            _failed(part, row)
            continue
        _from_result(part, row, result, indicator_set)
        results[row] = result
        if explain:
            scored.explain[row] = tuple(r.outcome for r in result.indicators)
    if reference:
        failed = set(scored.errors)
        scored.reference = reference_part(chunk, columnar, part["status"], results, failed)
    return scored


def _settle(chunk: Chunk, part: dict[str, Any], columnar: ColumnarScores) -> Any:
    """Settle the rows the float lane left unsure: as exact rationals, then the points still in doubt with
    the engine's Decimal code; returns the rows left for the whole engine (forced, or failing)."""
    np = numpy()
    engine = columnar.forced.copy()
    rows = np.nonzero(columnar.unsure & ~columnar.forced)[0]
    if not len(rows):
        return engine
    indicator_set = chunk.set
    # only the indicators some row is in doubt about are scored again, from the inputs they need
    only = np.nonzero(columnar.cells[rows].any(axis=0))[0]
    inputs = set().union(*(indicator_set.indicators[j].needs_inputs for j in only))
    sub = Chunk(indicator_set, chunk.layout, chunk.table.take(rows), chunk.first_row)
    exact = evaluate_columns(
        indicator_set, sub.columns(exact=True, inputs=inputs), exact=True, only=set(only)
    )
    part["points"][np.ix_(rows, only)] = exact.points[:, only]
    engine[rows[exact.forced]] = True
    doubtful = exact.cells & ~exact.forced[:, None]
    # the rows still in doubt are mostly rows on a boundary, and those repeat (23 of 24 tasks done, in
    # many units): each distinct set of indicators and values is scored once
    scored: dict[tuple[Any, ...], dict[int, int] | None] = {}
    for k in np.nonzero(doubtful.any(axis=1))[0]:
        row = int(rows[k])
        indexes = np.nonzero(doubtful[k])[0].tolist()
        names = set().union(*(indicator_set.indicators[j].needs_inputs for j in indexes))
        values = sub.values(int(k), names)
        seen = (*indexes, *sorted((name, str(value)) for name, value in values.items()))
        if seen not in scored:
            scored[seen] = score_cells(indicator_set, values, indexes)
        points = scored[seen]
        if points is None:
            engine[row] = True
            continue
        for index, value in points.items():
            part["points"][row, index] = value
    settled = rows[~engine[rows]]
    totals = assemble(
        indicator_set,
        part["points"][settled],
        part["status"][settled],
        part["counted"][settled],
        engine[settled],
    )
    part["subtotals"][settled] = totals.subtotals
    for key in ("total", "total_low", "total_high"):
        part[key][settled] = totals.total
    part["grade"][settled] = part["grade_high"][settled] = totals.grade
    engine[settled[totals.forced]] = True
    return engine


def _failed(part: dict[str, Any], row: int) -> None:
    part["status"][row, :] = FAILED
    part["known"][row, :] = False
    part["subtotal_known"][row, :] = False
    part["total_known"][row] = False
    part["grade"][row] = part["grade_high"][row] = -1
    part["total_low"][row] = part["total_high"][row] = 0


def _from_result(part: dict[str, Any], row: int, result: Result, indicator_set: IndicatorSet) -> None:
    """A row scored by the scalar engine, written into the chunk's arrays."""
    rounding = indicator_set.rounding
    places, total_places = rounding.places, rounding.total_places
    for j, item in enumerate(result.indicators):
        part["status"][row, j] = _FROM_RESULT[item.status]
        part["counted"][row, j] = item.counted
        part["known"][row, j] = item.points is not None
        part["points"][row, j] = to_units(item.points, places) if item.points is not None else 0
    for g, group in enumerate(result.groups):
        part["subtotal_known"][row, g] = group.points is not None
        part["subtotals"][row, g] = to_units(group.points, places) if group.points is not None else 0
    grades = [grade.label for grade in indicator_set.grades]
    if result.total is not None:
        part["total"][row] = part["total_low"][row] = part["total_high"][row] = to_units(
            result.total, total_places
        )
        part["total_known"][row] = True
        part["grade"][row] = part["grade_high"][row] = grades.index(result.grade or "")
    else:
        low, high = result.total_range or (None, None)
        part["total_known"][row] = False
        part["total"][row] = 0
        part["total_low"][row] = to_units(low, total_places) if low is not None else 0
        part["total_high"][row] = to_units(high, total_places) if high is not None else 0
        part["grade"][row] = grades.index(result.grades_possible[-1])
        part["grade_high"][row] = grades.index(result.grades_possible[0])


def _located(
    problem: Problem, chunk: Chunk, row: int, where: Callable[[int, int | None], Location]
) -> Problem:
    """A problem found in a row's unit data, placed at the cell it comes from."""
    keys = problem.location.keys if problem.location is not None else None
    column = None
    if keys and len(keys) >= 2 and keys[0] == "values":
        column = chunk.layout.inputs.get(str(keys[1]))
    elif keys and len(keys) >= 2 and keys[0] in ("judgments", "not_applicable", "unknown"):
        field_name = str(keys[2]) if len(keys) >= 3 and keys[0] == "judgments" else "tier"
        indicator_id = str(keys[1]) if keys[0] == "judgments" else (problem.subject or "")
        column = chunk.layout.mark(indicator_id, field_name)
        if field_name == "raters" and len(keys) >= 4 and isinstance(keys[3], int):  # a panel's rater
            raters = chunk.rater_columns(indicator_id, row)
            column = raters[keys[3]][1] if keys[3] < len(raters) else None
        if column is None and keys[0] != "judgments":
            column = chunk.layout.mark(indicator_id, keys[0] if keys[0] == "unknown" else "na")
    elif problem.subject is not None and problem.subject in chunk.layout.inputs:
        column = chunk.layout.inputs[problem.subject]
    return replace(problem, location=where(chunk.first_row + row, column), path=None)
