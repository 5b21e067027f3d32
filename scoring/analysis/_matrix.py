"""The fast path: every unit of a cohort under thousands of weightings at once, exact to the last digit.

An indicator's points do not depend on the weights except through one factor: under weight ``w`` a row
scores ``P × w / w0`` (``P`` its points at the reference weight ``w0`` the file declares, see
:mod:`scoring.engine`), rounded to ``rounding.places``. So :meth:`CohortMatrix.from_cohort` evaluates each
unit once — under the set at its reference weights, which gives ``P`` exactly, and the status of each row
(scored, N/A full, N/A zero, N/A rescale) — and :meth:`CohortMatrix.evaluate` then takes a batch of
weightings and computes, with numpy, what :func:`scoring.evaluate` would give for every unit under every
weighting: rounded row points, row sum, attainable total, total and grade. The results are equal to the
engine's to the last rounded digit; this is how.

Weights. Every weight is exact at ``places`` (new weights always are: see :mod:`scoring.weights`), so a
weighting is a row of integers in units of ``10^-places`` (int64), and so are rounded points, row sums and
attainable totals. Sums are exact integer sums; no float is ever added up.

Row points. For a scored row the engine rounds ``P × w / w0`` (``P`` itself when ``w = w0``) to ``places``
with the set's mode. In units that is ``y = P·10^p / w0u × W`` (``W``, ``w0u``: the weights in units),
computed in float64 as ``q × W`` with ``q = float(P)·10^p / w0u`` precomputed per unit and row. Every step
is correctly rounded and ``10^p``, ``W`` and ``w0u`` are exact, so ``y`` is within ``4·2^-53·|y|`` of the
true quotient, and the engine's own 50-digit Decimal quotient is within ``10^-49·|y|`` of it. The float is
therefore rounded directly (nearest integer for the half modes, toward or away from zero for ``down`` and
``up``) unless it lies within ``TOLERANCE·max(|y|, 1)`` (2^-40 relative, a thousand times the combined
error) of a rounding boundary — ``k + ½`` for the half modes, an integer for ``down``/``up`` — or is too
large for a float to hold its fraction. Those entries — exact ties such as 0.35 × 10 =
3.4999999999999996 in floats, and the rare near-ties — are recomputed exactly:

* when ``P`` is a short decimal ``a·10^-e`` (judgments, bands, checklists, most rules) the quotient is the
  rational ``a·W·10^(p-e) / (w0u·10^(e-p))``, rounded with integer division in int64 (vectorised; the
  operands are checked to fit). The engine's Decimal quotient of such numbers is either exact or has 50
  significant digits and cannot sit on a boundary that the exact rational misses, so both round alike;
* otherwise (long quotients from ratio or linear rules) with Decimal, by the engine's own formula:
  ``(P if w == w0 else P × w / w0).quantize(10^-places, mode)`` in the engine's context.

N/A rows need no rounding: ``full`` scores the weight itself, ``zero`` scores 0, ``rescale`` drops the row
and its weight from the attainable total.

Totals. The engine rounds ``row_sum`` — or ``row_sum × total / attainable`` when rows were dropped — to
``total_places``. Both are rationals of integers here (``S·T / (A·10^(p-tp))`` in units of ``10^-tp``),
rounded exactly with integer floor division and the remainder compared against half the divisor (Python
integers where int64 could overflow). The engine's 50-digit quotient again cannot straddle a boundary
the rational does not.

Grades. ``grade_for`` takes a grade when ``total ≥ min`` (``total × scale ≥ min × maximum`` when the
weights add up to another total than the file's ``scale``). Each band's minimum becomes an integer
threshold in units of ``10^-total_places``, ``ceil(min × maximum / scale × 10^tp)`` (with
:class:`~fractions.Fraction`), so grading is an exact integer comparison.

numpy is imported inside the functions (``import scoring`` does not need it); install the ``fast`` extra.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..columnar.exact import (
    INT_LIMIT,
    apportion_rows,
    ceil_int,
    competition_ranks,
    numpy,
    round_div,
    to_units,
    units_to_decimal,
)
from ..errors import EvaluationError, OptionError, Problem
from ..model.indicator_set import IndicatorSet
from ..numbers import CONTEXT, ROUNDING_MODES, plain, quantum_for
from ._matrix_result import (
    DROPPED,
    FLOAT_LIMIT,
    FULL,
    SCORED,
    MatrixResult,
    Outputs,
    RowArrays,
    TablePoints,
    table_arrays,
)
from .cohort import Cohort

#: Relative distance from a rounding boundary within which a float row result is recomputed exactly.
TOLERANCE = 2.0**-40

#: Progress callback: (weightings done, weightings in all).
Progress = Callable[[int, int], None]


def matrix_of(cohort: Cohort | CohortMatrix) -> CohortMatrix:
    """The cohort's matrix (built once; a matrix is passed through)."""
    return cohort if isinstance(cohort, CohortMatrix) else CohortMatrix.from_cohort(cohort)


# --- the precomputed cohort ---------------------------------------------------------------------------


def reference_set(indicator_set: IndicatorSet) -> IndicatorSet:
    """The set at the weights its file declares (the reference weights rule points are written at)."""
    if all(i.weight == i.reference_weight for i in indicator_set.indicators):
        return indicator_set
    return indicator_set.reweighted(
        {i.id: i.reference_weight for i in indicator_set.indicators}, total=indicator_set.spec.total
    )


@dataclass(frozen=True, eq=False)
class CohortMatrix:
    """A cohort reduced to what weights act on: each unit's points at the reference weights, per row.

    Build with :meth:`from_cohort`; then :meth:`evaluate` scores every unit under a batch of weightings.
    Arrays are numpy arrays, weights and points integers in units of ``10^-places``.
    """

    indicator_set: IndicatorSet
    units: tuple[str, ...]
    ids: tuple[str, ...]
    places: int
    total_places: int
    mode: str
    #: Reference weights (n,), in units.
    reference: Any
    #: The cohort set's own weights (n,), in units.
    base_weights: Any
    #: Row status (U, n): SCORED, FULL, ZERO or DROPPED.
    status: Any
    #: Points at the reference weight per unit and row (None for N/A rows), as the engine computes them.
    points: Sequence[Sequence[Decimal | None]]
    #: float(P)·10^p / w0u (U, n); 0 for N/A rows.
    _q: Any
    #: Entries that are always recomputed exactly (a float could not hold them).
    _always: Any
    #: Integer form of P·10^p/w0u = num / den where P is a short decimal; _int_ok marks where it exists.
    _num: Any
    _den: Any
    _int_ok: Any
    #: Scored rows whose P·10^p/w0u is not a whole number (others score a whole number of units exactly).
    _fractional: Any

    @classmethod
    def from_cohort(cls, cohort: Cohort) -> CohortMatrix:
        """Evaluate every unit once at the reference weights (all rows must be known)."""
        np = numpy()
        indicator_set = cohort.indicator_set
        places = indicator_set.rounding.places
        reference = [to_units(i.reference_weight, places) for i in indicator_set.indicators]
        table = cohort.reference_table(reference_set(indicator_set), "weight analysis")
        if table is not None:
            arrays = table_arrays(
                table, places, reference, [i.not_applicable for i in indicator_set.indicators]
            )
            points: Any = TablePoints(table)
            units = table.units
        else:
            results = cohort.reference(reference_set(indicator_set), "weight analysis")
            arrays = RowArrays(len(results), len(reference))
            points = tuple(arrays.fill(u, result, places, reference) for u, result in enumerate(results))
            units = tuple(rows.unit for rows in results)
        status, num, den, int_ok, always = arrays.status, arrays.num, arrays.den, arrays.int_ok, arrays.always
        return cls(
            indicator_set=indicator_set,
            units=units,
            ids=tuple(i.id for i in indicator_set.indicators),
            places=places,
            total_places=indicator_set.rounding.total_places,
            mode=indicator_set.rounding.mode,
            reference=np.asarray(reference, dtype=np.int64),
            base_weights=np.asarray(
                [to_units(i.weight, places) for i in indicator_set.indicators], dtype=np.int64
            ),
            status=status,
            points=points,
            _q=arrays.q,
            _always=always,
            _num=num,
            _den=den,
            _int_ok=int_ok,
            _fractional=(status == SCORED) & ~(int_ok & (num % den == 0) & ~always),
        )

    # --- weights in and out --------------------------------------------------------------------------

    def weights_of(self, weights: IndicatorSet | Mapping[str, Decimal]) -> Any:
        """One weighting (a set, or indicator id → weight; ids not named keep the cohort's weight) in units."""
        np = numpy()
        if isinstance(weights, IndicatorSet):
            weights = {i.id: i.weight for i in weights.indicators}
        unknown = [key for key in weights if key not in self.ids]
        if unknown:
            raise OptionError(
                [Problem("unknown-indicator", f"no indicator '{key}'", None, key) for key in unknown]
            )
        row = self.base_weights.copy()
        problems = []
        for index, key in enumerate(self.ids):
            if key in weights:
                try:
                    row[index] = to_units(Decimal(weights[key]), self.places)
                except ValueError:
                    problems.append(
                        Problem(
                            "weight-places",
                            f"weight {plain(Decimal(weights[key]))} of '{key}' has more decimals than "
                            f"rounding.places ({self.places})",
                            None,
                            key,
                        )
                    )
        if problems:
            raise OptionError(problems)
        return np.asarray(row, dtype=np.int64)

    def stack(self, weightings: Iterable[IndicatorSet | Mapping[str, Decimal]]) -> Any:
        """Several weightings as a (K, n) array in units."""
        np = numpy()
        rows = [self.weights_of(w) for w in weightings]
        return np.stack(rows) if rows else np.zeros((0, len(self.ids)), dtype=np.int64)

    def decimal_weights(self, row: Any) -> dict[str, Decimal]:
        """A weighting in units back to indicator id → Decimal weight."""
        return {key: Decimal(int(v)).scaleb(-self.places) for key, v in zip(self.ids, row, strict=True)}

    def check(self, weights: Any) -> Any:
        """Validate a (K, n) weights array as :meth:`IndicatorSet.reweighted` does; returns the totals (K,)."""
        np = numpy()
        weights = np.asarray(weights)
        if weights.ndim != 2 or weights.shape[1] != len(self.ids):
            message = f"weights must be an array of shape (K, {len(self.ids)})"
            raise OptionError(Problem("weights-shape", message, None, "weights"))
        if not np.issubdtype(weights.dtype, np.integer):
            raise OptionError(
                Problem("weights-type", "weights must be integers in units of 10^-places", None, "weights")
            )
        problems = []
        bad = np.nonzero((weights <= 0).any(axis=1))[0]
        problems += [
            Problem("weight", f"weighting {int(k)} has a weight of 0 or less", None, f"weighting {int(k)}")
            for k in bad[:10]
        ]
        if int(np.abs(weights).max(initial=0)) * len(self.ids) >= INT_LIMIT:
            problems.append(Problem("weight", "weights too large", None, "weights"))
        totals = weights.sum(axis=1, dtype=np.int64)
        if self.places > self.total_places:
            step = 10 ** (self.places - self.total_places)
            off = np.nonzero(totals % step)[0]
            problems += [
                Problem(
                    "total-places",
                    f"weighting {int(k)} adds up to {plain(Decimal(int(totals[k])).scaleb(-self.places))}, "
                    "which has more decimals than rounding.total_places",
                    None,
                    f"weighting {int(k)}",
                )
                for k in off[:10]
            ]
        if problems:
            raise OptionError(problems)
        return totals

    # --- evaluation ----------------------------------------------------------------------------------

    def evaluate(
        self,
        weights: Any,
        *,
        keep_points: bool = False,
        chunk: int | None = None,
        progress: Progress | None = None,
    ) -> MatrixResult:
        """Every unit under every weighting (rows of ``weights``, integers in units of ``10^-places``).

        ``keep_points`` also returns each row's rounded points (K × U × n integers). ``chunk`` is how many
        weightings are computed together (default: about two million row entries at a time);
        ``progress(done, total)`` is called after each chunk.
        """
        np = numpy()
        weights = np.asarray(weights)
        if weights.ndim == 1:
            weights = weights[None, :]
        maxima = self.check(weights)
        weights = np.ascontiguousarray(weights, dtype=np.int64)
        count_k, (count_u, n) = weights.shape[0], self.status.shape
        if chunk is None:
            chunk = max(1, 2_000_000 // max(1, count_u * n))
        out = Outputs(count_k, count_u, n, keep_points)
        for start in range(0, count_k, chunk):
            stop = min(count_k, start + chunk)
            self._evaluate_chunk(weights[start:stop], maxima[start:stop], out, slice(start, stop))
            if progress is not None:
                progress(stop, count_k)
        if np.any(out.attainable <= 0):
            raise EvaluationError(
                Problem(
                    "nothing-applicable",
                    "a unit has every indicator not applicable with the 'rescale' policy; there is nothing to score",
                )
            )
        return MatrixResult(
            units=self.units,
            ids=self.ids,
            places=self.places,
            total_places=self.total_places,
            grade_labels=tuple(g.label for g in self.indicator_set.grades),
            weights=weights,
            maxima=maxima,
            row_sums=out.row_sums,
            attainable=out.attainable,
            totals=out.totals,
            grades=self._grades(out.totals, maxima),
            points=out.points,
            counted=self.status != DROPPED,
            exact_entries=out.exact_entries,
        )

    def _evaluate_chunk(self, part: Any, maxima: Any, out: Outputs, rows: slice) -> None:
        """Weightings ``part`` (their totals ``maxima``) into the rows ``rows`` of ``out``."""
        np = numpy()
        full = (self.status == FULL).astype(np.int64)
        dropped = (self.status == DROPPED).astype(np.int64)
        points, exact = self._row_points(part)
        out.exact_entries += exact
        sums = points.sum(axis=2) + part @ full.T
        lost = part @ dropped.T
        out.row_sums[rows] = sums
        out.attainable[rows] = maxima[:, None] - lost
        out.totals[rows] = self._totals(sums, maxima, lost)
        if out.points is not None:
            out.points[rows] = points + part[:, None, :] * full[None, :, :]

    def _row_points(self, weights: Any) -> tuple[Any, int]:
        """Rounded points (k, U, n) of scored rows (0 elsewhere), and how many were recomputed exactly."""
        np = numpy()
        mode = self.mode
        y = self._q[None, :, :] * weights[:, None, :].astype(np.float64)
        if mode in ("half_up", "half_even"):
            rounded = np.rint(y)
            near = np.abs(y - np.floor(y) - 0.5) <= TOLERANCE * np.maximum(np.abs(y), 1.0)
        else:
            nearest = np.rint(y)
            near = np.abs(y - nearest) <= TOLERANCE * np.maximum(np.abs(y), 1.0)
            near &= self._fractional[None, :, :]
            rounded = np.trunc(y) if mode == "down" else np.where(y >= 0, np.ceil(y), np.floor(y))
        near |= np.abs(y) >= FLOAT_LIMIT
        near |= self._always[None, :, :]
        points = rounded.astype(np.int64)
        ks, us, js = np.nonzero(near)
        if ks.size:
            points[ks, us, js] = self._exact(weights, ks, us, js)
        return points, int(ks.size)

    def _exact(self, weights: Any, ks: Any, us: Any, js: Any) -> Any:
        """Exact rounded points of the entries (ks, us, js): integer arithmetic, or Decimal."""
        np = numpy()
        w = weights[ks, js]
        num = self._num[us, js]
        den = self._den[us, js]
        limit = INT_LIMIT // np.maximum(weights.max(axis=0), 1)
        ok = self._int_ok[us, js] & (np.abs(num) < limit[js]) & (den < INT_LIMIT)
        values = np.zeros(ks.size, dtype=np.int64)
        if ok.any():
            values[ok] = round_div(num[ok] * w[ok], den[ok], self.mode)
        rest = np.nonzero(~ok)[0]
        if rest.size:
            places = self.places
            quantum, rounding = quantum_for(places), ROUNDING_MODES[self.mode]
            with decimal.localcontext(CONTEXT):
                for index in rest:
                    u, j = int(us[index]), int(js[index])
                    p = self.points[u][j]
                    assert p is not None
                    weight = Decimal(int(w[index])).scaleb(-places)
                    w0 = self.indicator_set.indicators[j].reference_weight
                    exact = p if weight == w0 else p * weight / w0
                    values[index] = int(exact.quantize(quantum, rounding=rounding).scaleb(places))
        return values

    def _totals(self, sums: Any, maxima: Any, lost: Any) -> Any:
        """Totals in units of 10^-total_places, rounded exactly (rescaled where rows were dropped)."""
        np = numpy()
        places, total_places, mode = self.places, self.total_places, self.mode
        up = 10 ** max(total_places - places, 0)
        down = 10 ** max(places - total_places, 0)
        plain_totals = sums * up if down == 1 else round_div(sums, down, mode)
        rescaled = lost != 0
        if not rescaled.any():
            return plain_totals
        ks, us = np.nonzero(rescaled)
        s, t = sums[ks, us], maxima[ks]
        a = t - lost[ks, us]
        bound = max(int(np.abs(s).max(initial=0)) * int(t.max(initial=0)) * up, int(a.max(initial=0)) * down)
        if bound >= INT_LIMIT:  # Python integers (object arrays) rather than overflow int64
            s, t, a = (np.asarray(x, dtype=object) for x in (s, t, a))
        result = plain_totals.copy()
        result[ks, us] = np.asarray(round_div(s * t * up, a * down, mode), dtype=np.int64)
        return result

    def _grades(self, totals: Any, maxima: Any) -> Any:
        """Grade index (into the set's grades) of each total, by exact integer thresholds."""
        np = numpy()
        grades = self.indicator_set.grades
        scale = Fraction(self.indicator_set.spec.total)
        result = np.empty(totals.shape, dtype=np.int16)
        for maximum in np.unique(maxima):
            rows = maxima == maximum
            ratio = Fraction(int(maximum), 10**self.places) / scale * 10**self.total_places
            thresholds = [ceil_int(Fraction(grade.min) * ratio) for grade in grades]
            limit = np.iinfo(np.int64)
            clipped = np.asarray([min(max(t, limit.min), limit.max) for t in thresholds], dtype=np.int64)
            below = (totals[rows][:, :, None] < clipped[None, None, :]).sum(axis=2)
            result[rows] = np.minimum(below, len(grades) - 1)
        return result


def evaluate_weightings(
    cohort: Cohort | CohortMatrix,
    weightings: Sequence[IndicatorSet | Mapping[str, Decimal]],
    *,
    keep_points: bool = False,
) -> MatrixResult:
    """Convenience: every unit of ``cohort`` under each weighting (sets, or id → weight mappings)."""
    matrix = cohort if isinstance(cohort, CohortMatrix) else CohortMatrix.from_cohort(cohort)
    return matrix.evaluate(matrix.stack(weightings), keep_points=keep_points)


__all__ = [
    "CohortMatrix",
    "MatrixResult",
    "Progress",
    "apportion_rows",
    "competition_ranks",
    "evaluate_weightings",
    "matrix_of",
    "numpy",
    "reference_set",
    "round_div",
    "units_to_decimal",
]
