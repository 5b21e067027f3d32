"""What the matrix path gives: every unit under every weighting, as integer arrays."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..columnar.exact import INT_LIMIT, numpy, short_fraction
from .cohort import ReferenceRows, ReferenceTable

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


def table_arrays(table: ReferenceTable, places: int, reference: list[int], policies: list[str]) -> RowArrays:
    """:class:`RowArrays` of a :class:`~scoring.analysis.cohort.ReferenceTable`, with numpy: ``P·10^p / w0u``
    as the integers ``num / den`` where ``P`` is exact, as a float where the table has one (its bound well
    inside the matrix's tolerance), else always recomputed exactly."""
    np = numpy()
    count, n = table.exact.shape
    arrays = RowArrays(count, n)
    codes = np.asarray([_POLICY[policy or "full"] for policy in policies], dtype=np.int8)
    arrays.status = np.where(table.not_applicable, codes[None, :], SCORED).astype(np.int8)
    ref = np.asarray(reference, dtype=np.int64)
    for j, digits in enumerate(table.places):
        up, down = 10 ** max(places - digits, 0), ref[j] * 10 ** max(digits - places, 0)
        units = table.exact_units[:, j]
        fits = table.exact[:, j] & (np.abs(units.astype(np.float64)) * up < INT_LIMIT) & (down < INT_LIMIT)
        arrays.num[:, j] = np.where(fits, units * up, 0)
        arrays.den[:, j] = np.where(fits, down, 1)
        arrays.int_ok[:, j] = fits
    scored = ~table.not_applicable
    exact_q = arrays.num / arrays.den
    whole = arrays.int_ok & (arrays.num % arrays.den == 0)
    exact_q = np.where(whole, arrays.num // np.where(arrays.den == 0, 1, arrays.den), exact_q)
    size = np.abs(table.approx)
    floated = ~table.exact & scored & np.isfinite(table.error) & (table.error <= size * 2.0**-45)
    approx_q = table.approx * float(10**places) / ref[None, :]
    arrays.q = np.where(arrays.int_ok, exact_q, np.where(floated, approx_q, 0.0))
    # everything else — exact points too long for integers, floats without a tight bound — is recomputed
    arrays.always = scored & ~arrays.int_ok & ~floated | (np.abs(arrays.q) >= FLOAT_LIMIT)
    return arrays


class TablePoints:
    """The reference points of a table, unit by unit: exact ones from their integers, others computed by
    the engine's code when the matrix asks for them (``points[u][j]``)."""

    def __init__(self, table: ReferenceTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table.units)

    def __getitem__(self, u: int) -> _TableRow:
        return _TableRow(self.table, u)


class _TableRow:
    def __init__(self, table: ReferenceTable, u: int) -> None:
        self.table, self.u = table, u

    def __len__(self) -> int:
        return len(self.table.places)

    def __getitem__(self, j: int) -> Decimal | None:
        table, u = self.table, self.u
        if table.not_applicable[u, j]:
            return None
        if table.exact[u, j]:
            return Decimal(int(table.exact_units[u, j])).scaleb(-table.places[j])
        return table.resolve(u, j)


class Outputs:
    """The arrays :meth:`~scoring.analysis._matrix.CohortMatrix.evaluate` fills, chunk by chunk."""

    def __init__(self, count_k: int, count_u: int, n: int, keep_points: bool) -> None:
        np = numpy()
        self.totals = np.empty((count_k, count_u), dtype=np.int64)
        self.row_sums = np.empty((count_k, count_u), dtype=np.int64)
        self.attainable = np.empty((count_k, count_u), dtype=np.int64)
        self.points = np.empty((count_k, count_u, n), dtype=np.int64) if keep_points else None
        self.exact_entries = 0
