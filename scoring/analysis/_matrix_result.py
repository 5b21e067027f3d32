"""What the matrix path gives: every unit under every weighting, as integer arrays."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..columnar.exact import numpy, short_fraction
from .cohort import ReferenceRows

#: Floats at or above this magnitude (in units of 10^-places) are always recomputed exactly.
FLOAT_LIMIT = 2.0**50
#: Row status codes in :attr:`~scoring.analysis._matrix.CohortMatrix.status`.
SCORED, FULL, ZERO, DROPPED = 0, 1, 2, 3
_POLICY = {"full": FULL, "zero": ZERO, "rescale": DROPPED}


@dataclass(frozen=True, eq=False)
class MatrixResult:
    """Every unit (U) under every weighting (K): arrays of integers in units of the set's precision."""

    units: tuple[str, ...]
    ids: tuple[str, ...]
    places: int
    total_places: int
    grade_labels: tuple[str, ...]
    #: (K, n) the weightings, in units of 10^-places.
    weights: Any
    #: (K,) each weighting's total (the maximum), in units of 10^-places.
    maxima: Any
    #: (K, U) sums of rounded row points, in units of 10^-places.
    row_sums: Any
    #: (K, U) attainable totals (the maximum less dropped N/A rows), in units of 10^-places.
    attainable: Any
    #: (K, U) totals, in units of 10^-total_places.
    totals: Any
    #: (K, U) grade indices into ``grade_labels``.
    grades: Any
    #: (K, U, n) rounded row points in units of 10^-places (0 for dropped rows), when asked for.
    points: Any | None
    #: (U, n) whether a row counts (False for N/A rows dropped by 'rescale').
    counted: Any
    #: Row entries that lay near a rounding boundary and were recomputed exactly.
    exact_entries: int

    def total(self, k: int, u: int) -> Decimal:
        return Decimal(int(self.totals[k, u])).scaleb(-self.total_places)

    def grade(self, k: int, u: int) -> str:
        return self.grade_labels[int(self.grades[k, u])]

    def maximum(self, k: int) -> Decimal:
        return Decimal(int(self.maxima[k])).scaleb(-self.places)

    def row_sum(self, k: int, u: int) -> Decimal:
        return Decimal(int(self.row_sums[k, u])).scaleb(-self.places)

    def attainable_total(self, k: int, u: int) -> Decimal:
        return Decimal(int(self.attainable[k, u])).scaleb(-self.places)

    def row_points(self, k: int, u: int) -> dict[str, Decimal | None]:
        """Indicator id → rounded points (None for dropped rows); needs ``keep_points``."""
        if self.points is None:
            raise ValueError("evaluate(..., keep_points=True) to keep row points")
        return {
            key: Decimal(int(self.points[k, u, j])).scaleb(-self.places) if self.counted[u, j] else None
            for j, key in enumerate(self.ids)
        }

    def totals_of(self, k: int) -> list[Decimal]:
        return [self.total(k, u) for u in range(len(self.units))]

    def grades_of(self, k: int) -> list[str]:
        return [self.grade(k, u) for u in range(len(self.units))]


class RowArrays:
    """The per-unit, per-row arrays of a matrix, filled one evaluated unit at a time."""

    def __init__(self, count: int, n: int) -> None:
        np = numpy()
        self.status = np.zeros((count, n), dtype=np.int8)
        self.q = np.zeros((count, n), dtype=np.float64)
        self.always = np.zeros((count, n), dtype=bool)
        self.num = np.zeros((count, n), dtype=np.int64)
        self.den = np.ones((count, n), dtype=np.int64)
        self.int_ok = np.zeros((count, n), dtype=bool)

    def fill(
        self, u: int, rows: ReferenceRows, places: int, reference: list[int]
    ) -> tuple[Decimal | None, ...]:
        """Unit ``u``'s rows; returns its points at the reference weights (None for N/A rows)."""
        np = numpy()
        scale = 10**places
        for i, exact in enumerate(rows.points):
            if exact is None:
                self.status[u, i] = _POLICY[rows.policies[i] or "full"]
                continue
            value = float(exact) * scale / reference[i]
            if not np.isfinite(value) or abs(value) >= FLOAT_LIMIT:
                self.always[u, i] = True
            else:
                self.q[u, i] = value
            integer = short_fraction(exact, places, reference[i])
            if integer is not None:
                self.num[u, i], self.den[u, i] = integer
                self.int_ok[u, i] = True
                if integer[0] % integer[1] == 0 and not self.always[u, i]:
                    # a whole number of units per unit of weight: exact
                    self.q[u, i] = integer[0] // integer[1]
        return rows.points


class Outputs:
    """The arrays :meth:`~scoring.analysis._matrix.CohortMatrix.evaluate` fills, chunk by chunk."""

    def __init__(self, count_k: int, count_u: int, n: int, keep_points: bool) -> None:
        np = numpy()
        self.totals = np.empty((count_k, count_u), dtype=np.int64)
        self.row_sums = np.empty((count_k, count_u), dtype=np.int64)
        self.attainable = np.empty((count_k, count_u), dtype=np.int64)
        self.points = np.empty((count_k, count_u, n), dtype=np.int64) if keep_points else None
        self.exact_entries = 0
