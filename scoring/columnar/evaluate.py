"""An indicator set evaluated over columns: every row of a table at once, exactly as :func:`scoring.evaluate`
scores each one, or marked for the scalar engine.

The argument, step by step (the float bounds are :mod:`scoring.columnar.approx`'s):

1. **Values.** Derived names and indicator formulas are evaluated over the columns
   (:mod:`scoring.columnar.formula`); a decision too close to call marks the row *unsure*.
2. **Rule points** at the reference weight (:mod:`scoring.columnar.rules`) are exact integers where the
   rule gives one of its own numbers, else a float with its bound.
3. **Row points.** The engine rounds ``P × w / w0`` (``P`` when ``w = w0``) to ``places``. Exact points
   are rounded as the rational ``P_units × w / (w0 × 10^(d−places))`` with integer division (numpy int64,
   or Python integers where int64 could overflow): the engine's 50-digit quotient cannot straddle a
   boundary the rational does not (as in :mod:`scoring.analysis._matrix`). Float points are rounded from
   the float unless it lies within its bound of a rounding boundary (``k + ½`` for the half modes, a whole
   number for ``down``/``up``): those rows are unsure.
4. **Subtotals, totals, grades** are exact integer arithmetic on the rounded rows: sums, the rescaled
   total ``S × T / A`` rounded with integer division, grade thresholds ``ceil(min × T / scale × 10^tp)``
   compared as integers.

Not-applicable rows are per row and exact (the weight, 0, or dropped from the attainable total). Rows the
caller marks ``forced`` (a cell that is not a clean number, a missing input, an unknown row, a judgment to
check) and every unsure row are returned in :attr:`ColumnarScores.unsure`, for the scalar engine to score;
the caller replaces them. A set this evaluator cannot take at all (see :class:`Unsupported`) marks every
row of the indicators concerned.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..model.indicator_set import Indicator, IndicatorSet
from ..numbers import decimal_places
from .approx import Bool, Ops
from .exact import INT_LIMIT, ceil_int, numpy, round_div
from .formula import ColumnFormula, Unsupported, Unsure, Value
from .rational import RatOps
from .rules import SCORERS, Points, units

#: Row status codes in :attr:`ColumnarScores.status`.
SCORED, JUDGED, NOT_APPLICABLE = 0, 1, 2


@dataclass
class Columns:
    """One chunk of a table, as the columnar evaluator takes it (every array has one entry per row).

    ``values``: input name → :class:`Num` (numbers; NaN where absent) or :class:`Bool`; ``present``: input
    name → where the cell holds a usable value; ``not_applicable``: indicator id → rows marked N/A;
    ``awards``: judged indicator id → (points in units of ``10^-places``, places); ``forced``: rows to
    leave to the scalar engine whatever the evaluation says.
    """

    rows: int
    values: dict[str, Value]
    present: dict[str, Any]
    not_applicable: dict[str, Any] = field(default_factory=dict)
    awards: dict[str, tuple[Any, int]] = field(default_factory=dict)
    forced: Any = None


@dataclass
class ColumnarScores:
    """Every row's scores, in integer units: ``points`` (rows × indicators, ``10^-places``), ``status``
    (rows × indicators: SCORED, JUDGED, NOT_APPLICABLE), ``counted`` (rows × indicators: False for rows
    dropped by the rescale policy), ``subtotals`` (rows × groups, ``10^-places``), ``total`` (rows,
    ``10^-total_places``), ``grade`` (rows: index into the set's grades). Rows marked ``unsure`` hold
    nothing meaningful: ``cells`` (rows × indicators) marks the rows' points too close to call, ``forced``
    the rows the engine must score whole (a bad cell, a missing input, nothing applicable)."""

    points: Any
    status: Any
    counted: Any
    subtotals: Any
    total: Any
    grade: Any
    unsure: Any
    cells: Any = None
    forced: Any = None
    #: Each indicator's rule points at its reference weight (None where the lane could not compute them).
    reference: list[Points | None] = field(default_factory=list)


def evaluate_columns(
    indicator_set: IndicatorSet, columns: Columns, exact: bool = False, only: Collection[int] | None = None
) -> ColumnarScores:
    """Score every row of ``columns`` (see the module docstring): in floats with their bounds, or with
    ``exact`` in rationals (the values of ``columns`` must then be :class:`~.rational.Rat`). With ``only``,
    just the indicators at those positions are scored (the others' points are 0, and so are the totals'
    shares of them: the caller puts the rows together)."""
    np = numpy()
    with np.errstate(all="ignore"):  # NaN and infinities are expected (absent cells) and checked for
        return _evaluate_columns(indicator_set, columns, exact, only)


def _evaluate_columns(
    indicator_set: IndicatorSet, columns: Columns, exact: bool, only: Collection[int] | None
) -> ColumnarScores:
    np = numpy()
    ops: Any = RatOps(np, columns.rows) if exact else Ops(np, columns.rows)
    forced = Unsure(np, columns.rows)
    if columns.forced is not None:
        forced.add(columns.forced)
    chosen = range(len(indicator_set.indicators)) if only is None else sorted(only)
    env, derived_unsure = _derived(indicator_set, columns, ops, chosen)
    count = len(indicator_set.indicators)
    # rows × indicators, each indicator's column contiguous (order "F"): columns are written and read
    # whole, one indicator at a time
    shape = (columns.rows, count)
    points = np.zeros(shape, dtype=np.int64, order="F")
    status = np.zeros(shape, dtype=np.int8, order="F")
    counted = np.ones(shape, dtype=bool, order="F")
    cells = np.zeros(shape, dtype=bool, order="F")
    places, mode = indicator_set.rounding.places, indicator_set.rounding.mode
    reference: list[Points | None] = []
    for j, indicator in enumerate(indicator_set.indicators):
        if only is not None and j not in only:
            reference.append(None)
            continue
        na = columns.not_applicable.get(indicator.id)
        scored = ~na if na is not None else np.ones(columns.rows, dtype=bool)
        _require_inputs(indicator, columns, scored, forced)
        row_unsure = Unsure(np, columns.rows)
        for name in indicator.needs_derived:
            row_unsure.add(derived_unsure[name])
        rule_points: Points | None = None
        try:
            rule_points = _rule_points(indicator, env, columns, ops, row_unsure)
            points[:, j] = _rounded(ops, indicator, rule_points, places, mode, row_unsure)
        except Unsupported:
            row_unsure.add(np.ones(columns.rows, dtype=bool))
        reference.append(rule_points)
        cells[:, j] = row_unsure.mask & scored
        status[:, j] = JUDGED if indicator.rule.judged else SCORED
        if na is not None:
            _not_applicable(indicator, na, places, mode, points[:, j], status[:, j], counted[:, j])
    # the points of rows left to other lanes may be anything: keep them out of the sums (no overflow)
    points[cells | forced.mask[:, None]] = 0
    scores = assemble(indicator_set, points, status, counted, forced.mask)
    scores.cells = cells
    scores.unsure |= cells.any(axis=1)
    scores.reference = reference
    return scores


def _derived(
    indicator_set: IndicatorSet, columns: Columns, ops: Any, chosen: Collection[int]
) -> tuple[dict[str, Value], dict[str, Any]]:
    """The columns with the derived names the chosen indicators need, and each derived name's doubtful
    rows (which matter only to the rows of indicators that need it)."""
    np = ops.np
    env = dict(columns.values)
    needed = set().union(*(indicator_set.indicators[j].needs_derived for j in chosen))
    derived_unsure: dict[str, Any] = {}
    for name, formula in indicator_set.derived:
        if name not in needed:
            continue
        own = Unsure(np, columns.rows)
        try:
            env[name] = ColumnFormula(formula).evaluate(env, ops, own)
        except Unsupported:
            env[name] = ops.nothing()
            own.add(np.ones(columns.rows, dtype=bool))
        for used in formula.names:
            own.add(derived_unsure.get(used, False))
        derived_unsure[name] = own.mask
    return env, derived_unsure


def _require_inputs(indicator: Indicator, columns: Columns, scored: Any, unsure: Unsure) -> None:
    """Rows that score the indicator but lack an input it needs: the engine reports them."""
    for name in indicator.needs_inputs:
        present = columns.present.get(name)
        if present is None:
            unsure.add(scored)
        else:
            unsure.add(scored & ~present)


def _rule_points(
    indicator: Indicator, env: Mapping[str, Value], columns: Columns, ops: Ops, unsure: Unsure
) -> Points:
    np = ops.np
    rule = indicator.rule
    if rule.judged:
        award = columns.awards.get(indicator.id)
        if award is None:
            raise Unsupported("a judged row without awards")
        values, award_places = award
        return Points(values, award_places, np.ones(ops.rows, dtype=bool))
    scorer = SCORERS.get(type(rule))
    if scorer is None:
        raise Unsupported(f"the {rule.kind} rule")
    value = ColumnFormula(indicator.formula).evaluate(env, ops, unsure) if indicator.formula else None
    if value is not None and rule.needs_value and isinstance(value, Bool):
        raise Unsupported("a true/false value where the rule needs a number")
    return scorer(rule, value, env, ops, unsure)


def _rounded(ops: Any, indicator: Indicator, points: Points, places: int, mode: str, unsure: Unsure) -> Any:
    """Rule points at the indicator's weight, rounded to ``places`` (integers in units of 10^-places)."""
    np = ops.np
    ratio = Fraction(indicator.weight) / Fraction(indicator.reference_weight)
    # exact rows: P_units · ratio · 10^(places − d), a rational rounded with integer division
    exact = _round_rational(np, points.exact, ratio * Fraction(10) ** (places - points.places), mode)
    if points.approx is None:
        return exact
    rounded, doubtful = ops.round_units(points.approx, ratio * 10**places, mode)
    unsure.add(doubtful & ~points.is_exact)
    return np.where(points.is_exact, exact, rounded)


def _round_rational(np: Any, values: Any, scale: Fraction, mode: str) -> Any:
    """``values × scale`` rounded to whole numbers with the set's mode, exactly."""
    if scale.denominator == 1 and abs(scale.numerator) * int(np.abs(values).max(initial=0)) < INT_LIMIT:
        return values * scale.numerator
    num, den = scale.numerator, scale.denominator
    if int(np.abs(values).max(initial=0)) * abs(num) < INT_LIMIT and den < INT_LIMIT:
        return round_div(values * num, den, mode)
    big = np.asarray([int(v) * num for v in values], dtype=object)
    return np.asarray(round_div(big, den, mode), dtype=np.int64)


def _not_applicable(
    indicator: Indicator, na: Any, places: int, mode: str, points: Any, status: Any, counted: Any
) -> None:
    """N/A rows in place: the weight (``full``, rounded as the engine rounds it), 0, or dropped."""
    policy = indicator.not_applicable
    if policy == "full":
        weight = Fraction(indicator.weight) * 10**places
        value = int(round_div(weight.numerator, weight.denominator, mode))
    else:
        value = 0
    points[na] = value
    status[na] = NOT_APPLICABLE
    if policy == "rescale":
        counted[na] = False


def assemble(
    indicator_set: IndicatorSet, points: Any, status: Any, counted: Any, forced: Any
) -> ColumnarScores:
    """Subtotals, totals and grades of rows of rounded points (``counted``: False where rescale drops a
    row); rows where nothing is applicable are added to ``forced``."""
    np = numpy()
    rounding = indicator_set.rounding
    places, total_places = rounding.places, rounding.total_places
    every = bool(counted.all())  # the usual case: no row dropped, nothing to mask
    included = points if every else np.where(counted, points, 0)
    row_sum = included.sum(axis=1)
    subtotals = np.zeros((points.shape[0], len(indicator_set.groups)), dtype=np.int64, order="F")
    for j, slots in enumerate(indicator_set.group_slots):
        for slot in slots:
            subtotals[:, slot] += included[:, j]
    weight_places = max(decimal_places(i.weight) for i in indicator_set.indicators)
    weights = np.asarray([units(i.weight, weight_places) for i in indicator_set.indicators], dtype=np.int64)
    maximum = units(indicator_set.total, weight_places)
    if every:
        attainable = np.full(points.shape[0], int(weights.sum()), dtype=np.int64)
    else:
        attainable = np.where(counted, weights[None, :], 0).sum(axis=1)
    nothing = attainable <= 0
    attainable = np.where(nothing, maximum, attainable)
    # total = S·10^-p × T / A, in units of 10^-tp: S·T·10^tp / (A·10^p)
    num = row_sum * maximum * 10 ** max(total_places - places, 0)
    den = attainable * 10 ** max(places - total_places, 0)
    if int(np.abs(row_sum).max(initial=0)) * maximum * 10 ** max(total_places - places, 0) >= INT_LIMIT:
        num = np.asarray(
            [int(s) * maximum * 10 ** max(total_places - places, 0) for s in row_sum], dtype=object
        )
    total = np.asarray(round_div(num, den, rounding.mode), dtype=np.int64)
    forced = forced | nothing
    grades = _grades(np, indicator_set, total)
    return ColumnarScores(points, status, counted, subtotals, total, grades, forced.copy(), forced=forced)


def _grades(np: Any, indicator_set: IndicatorSet, total: Any) -> Any:
    """Grade indexes: the first band whose minimum the total reaches (``total × scale ≥ min × maximum``)."""
    tp = indicator_set.rounding.total_places
    scale, maximum = Fraction(indicator_set.grades_total), Fraction(indicator_set.total)
    grade = np.full(total.shape, len(indicator_set.grades) - 1, dtype=np.int16)
    for index in range(len(indicator_set.grades) - 1, -1, -1):
        threshold = ceil_int(Fraction(indicator_set.grades[index].min) * maximum / scale * 10**tp)
        grade = np.where(total >= threshold, index, grade)
    return grade
