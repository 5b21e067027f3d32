"""Every row's points at the reference weights, as arrays, for the matrix of the weight analyses.

The matrix (:mod:`scoring.analysis._matrix`) rescales each row's unrounded points ``P`` to other weights. A
table's rows give ``P`` from the float lane: exactly, as integers, where the rule gives one of its own
numbers; as a float with its error bound where the rule computes (a ratio's quotient), which is all the
matrix needs unless a rescaled row lands near a rounding boundary — then it asks for the exact ``P``, and
the engine's Decimal code computes it from the row's values, kept for that. Cells the float lane was unsure
of, and rows the engine scored, get their exact ``P`` at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..columnar.decimal_lane import reference_cells
from ..columnar.evaluate import NOT_APPLICABLE, ColumnarScores
from ..columnar.exact import numpy
from ..engine import evaluate
from ..engine.result import Result
from ..model.indicator_set import IndicatorSet
from .cells import Chunk


@dataclass
class ReferencePart:
    """One chunk's rows at the reference weights (rows counted from the chunk's first).

    ``exact_units`` (rows × indicators) hold ``P`` in units of ``10^-places[j]`` where ``exact``; ``approx``
    and ``error`` hold a float ``P`` and its bound elsewhere; ``na`` marks not-applicable rows. ``known``
    maps (row, indicator) to an exact ``P`` found already; ``values`` keeps, for rows with float points, the
    inputs those points need, to compute them exactly when asked."""

    places: tuple[int, ...]
    exact_units: Any
    exact: Any
    approx: Any
    error: Any
    na: Any
    known: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    values: dict[int, dict[str, Any]] = field(default_factory=dict)


def reference_part(
    chunk: Chunk, columnar: ColumnarScores, status: Any, engine_rows: dict[int, Result], failed: set[int]
) -> ReferencePart:
    """The reference points of a scored chunk (``status``: its rows' statuses; ``engine_rows``: the rows the
    engine scored, with their results; ``failed``: rows with no scores)."""
    np = numpy()
    indicator_set = chunk.set
    count = len(indicator_set.indicators)
    shape = (chunk.rows, count)
    part = ReferencePart(
        places=tuple(p.places if p is not None else 0 for p in columnar.reference),
        exact_units=np.zeros(shape, dtype=np.int64),
        exact=np.zeros(shape, dtype=bool),
        approx=np.zeros(shape),
        error=np.full(shape, np.inf),
        na=status == NOT_APPLICABLE,
    )
    for j, points in enumerate(columnar.reference):
        if points is None:
            continue
        sure = ~columnar.cells[:, j]
        part.exact_units[:, j] = points.exact
        part.exact[:, j] = points.is_exact & sure
        if points.approx is not None and hasattr(points.approx, "e"):
            loose = ~points.is_exact & sure
            part.approx[:, j] = np.where(loose, points.approx.v, 0.0)
            part.error[:, j] = np.where(loose, points.approx.e, np.inf)
    part.exact[part.na] = False
    _fill_exact(part, chunk, indicator_set, engine_rows, failed)
    return part


def _fill_exact(
    part: ReferencePart,
    chunk: Chunk,
    indicator_set: IndicatorSet,
    engine_rows: dict[int, Result],
    failed: set[int],
) -> None:
    """Exact points now for the rows the engine scored and the cells the float lane was unsure of; the
    inputs of rows with float points kept for later."""
    np = numpy()
    needs = [indicator.needs_inputs for indicator in indicator_set.indicators]
    floated = np.isfinite(part.error) & ~part.exact & ~part.na
    for row in range(chunk.rows):
        if row in failed:
            continue
        result = engine_rows.get(row)
        if result is not None:
            for j, item in enumerate(result.indicators):
                if item.status != "not_applicable" and item.points_exact is not None:
                    part.known[row, j] = item.points_exact
            part.exact[row] = False
            part.error[row] = np.inf
            continue
        missing = [
            j for j in range(len(needs)) if not (part.na[row, j] or part.exact[row, j] or floated[row, j])
        ]
        later = np.nonzero(floated[row])[0].tolist()
        if later:
            part.values[row] = chunk.values(row, set().union(*(needs[j] for j in later)))
        if missing:
            names = set().union(*(needs[j] for j in missing))
            found = reference_cells(indicator_set, chunk.values(row, names), missing)
            if found is None:  # a judged row in doubt, say: the whole engine gives every point
                result = evaluate(indicator_set, chunk.mapping(row))
                found = {j: result.indicators[j].points_exact for j in missing}  # type: ignore[misc]
            part.known.update({(row, j): value for j, value in found.items()})
