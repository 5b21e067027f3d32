"""One-at-a-time sensitivity: each weight moved by ±Δ, and what every unit's total, grade and rank do.

:func:`sensitivity` moves each indicator weight (and optionally each group weight) by ±Δ points, the other
weights rescaled as :func:`scoring.analysis.reweight.reweight` does, and reports what every unit's total,
grade and rank do; targets are ranked by influence (mean absolute change of the totals, in percentage
points of the maximum, then the number of grade changes). Every weighting is scored on the exact matrix
path (:mod:`scoring.analysis._matrix`).
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal, TypedDict

from ..errors import OptionError, Problem, ScoringError, clip
from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import CONTEXT, HUNDRED, ZERO, from_fraction, in_context, plain, round_to, within_magnitude
from ..serialize import OMIT, JsonForm
from ._matrix import CohortMatrix, MatrixResult, competition_ranks, matrix_of, numpy, units_to_decimal
from .cohort import Cohort
from .progress import advance
from .reweight import Rescale, WeightChange, reweight

Kind = Literal["indicator", "group"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StepUnit(JsonForm):
    """One unit after one move."""

    unit: str
    total: Decimal
    change: Decimal
    percent_change: Decimal
    grade: str
    rank: int


@dataclass(frozen=True, slots=True)
class _StepArrays:
    """One move's results as the matrix gives them: totals in units of ``10^-total_places``, grade indexes
    and ranks per unit, with the current ones to compare with."""

    totals: Any
    base_totals: Any
    grades: Any
    base_grades: Any
    ranks: Any
    base_ranks: Any
    labels: tuple[str, ...]
    total_places: int
    maximum: Decimal
    base_maximum: Decimal

    def changed(self) -> Any:
        """Positions of the units whose grade differs from the current one."""
        return numpy().nonzero(self.grades != self.base_grades)[0]


@dataclass(frozen=True, kw_only=True)
class SensitivityStep(JsonForm):
    """One target's weight moved by −Δ or +Δ, and every unit under it (or why it could not be moved).

    The per-unit tuples are made from the matrix's arrays when first read (a large cohort's report is
    summed up from the arrays without them)."""

    __json__ = ("target", "kind", "direction=sign", "weight_before", "weight_after", "skipped", "maximum",
                "units=unit_rows")  # fmt: skip
    target: str
    kind: Kind
    #: −1 or +1.
    direction: int
    weight_before: Decimal
    weight_after: Decimal
    #: Why the weight could not be moved this way (then the per-unit tuples are empty).
    skipped: str | None
    #: The set's total after the move (differs from before only with rescale: none).
    maximum: Decimal
    #: The names of the units, in the order of the per-unit tuples.
    units: tuple[str, ...] = ()
    arrays: _StepArrays | None = field(default=None, repr=False, compare=False)
    #: The code of the problem that made the move impossible (``weight``, ``weights-exceed``...), by which a
    #: report in another language says ``skipped``; not in the JSON, which keeps ``skipped``.
    skipped_code: str | None = field(default=None, compare=False)

    @property
    def sign(self) -> str:
        return "+" if self.direction > 0 else "-"

    def grade_changed(self) -> list[int]:
        """Positions of the units whose grade this move changes."""
        return [] if self.arrays is None else [int(u) for u in self.arrays.changed()]

    def total_at(self, u: int) -> Decimal:
        """Unit ``u``'s total after the move (without making every unit's)."""
        assert self.arrays is not None
        return units_to_decimal(int(self.arrays.totals[u]), self.arrays.total_places)

    def grade_at(self, u: int) -> str:
        assert self.arrays is not None
        return self.arrays.labels[int(self.arrays.grades[u])]

    @cached_property
    def totals(self) -> tuple[Decimal, ...]:
        if self.arrays is None:
            return ()
        return tuple(units_to_decimal(int(t), self.arrays.total_places) for t in self.arrays.totals)

    @cached_property
    def grades(self) -> tuple[str, ...]:
        if self.arrays is None:
            return ()
        return tuple(self.arrays.labels[int(g)] for g in self.arrays.grades)

    @cached_property
    def ranks(self) -> tuple[int, ...]:
        return () if self.arrays is None else tuple(int(r) for r in self.arrays.ranks)

    @cached_property
    def changes(self) -> tuple[Decimal, ...]:
        """Each unit's total minus its total under the current weights."""
        if self.arrays is None:
            return ()
        arrays = self.arrays
        deltas = (arrays.totals - arrays.base_totals).tolist()
        return tuple(units_to_decimal(d, arrays.total_places) for d in deltas)

    @cached_property
    def percent_changes(self) -> tuple[Decimal, ...]:
        """Change of each unit's total as a percentage of the maximum (percentage points)."""
        if self.arrays is None:
            return ()
        arrays = self.arrays
        with decimal.localcontext(CONTEXT):
            return tuple(
                total * HUNDRED / arrays.maximum - units_to_decimal(base, arrays.total_places) * HUNDRED / arrays.base_maximum
                for total, base in zip(self.totals, arrays.base_totals.tolist(), strict=True)
            )  # fmt: skip

    @property
    def unit_rows(self) -> list[StepUnit] | Any:
        if self.skipped is not None:
            return OMIT
        return [
            StepUnit(unit=name, total=total, change=change, percent_change=percent, grade=grade, rank=rank)
            for name, total, change, percent, grade, rank in zip(
                self.units,
                self.totals,
                self.changes,
                self.percent_changes,
                self.grades,
                self.ranks,
                strict=True,
            )
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightInfluence(JsonForm):
    """How much the results hang on one target's weight, over both directions and every unit."""

    __json__ = ("rank", "target", "kind", "weight", "mean_abs_change", "max_abs_change", "mean_abs_percent_change",
                "grade_changes", "units_changing_grade", "largest_rank_move")  # fmt: skip
    target: str
    kind: Kind
    weight: Decimal
    #: Position by influence, 1 = most influential.
    rank: int
    #: Mean absolute change of the totals (points), over units and the directions that could be taken.
    mean_abs_change: Decimal
    max_abs_change: Decimal
    #: Mean absolute change in percentage points of the maximum (what the ranking uses).
    mean_abs_percent_change: Decimal
    #: (unit, direction) pairs whose grade differs from the current one.
    grade_changes: int
    #: Units whose grade changes in either direction.
    units_changing_grade: tuple[str, ...]
    largest_rank_move: int


class _Move(TypedDict):
    """The fields of a :class:`SensitivityStep` that say which weight moved, and how."""

    target: str
    kind: Kind
    direction: int
    weight_before: Decimal
    weight_after: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitNow(JsonForm):
    """One unit under the current weights."""

    unit: str
    total: Decimal
    grade: str
    rank: int


@dataclass(frozen=True, kw_only=True)
class SensitivityReport(JsonForm):
    """One-at-a-time sensitivity of every unit's total, grade and rank to each weight."""

    __json__ = ("set", "analysis", "delta", "rescale", "maximum", "units=current", "influence", "steps")
    indicator_set: IndicatorSet
    delta: Decimal
    rescale: Rescale
    units: tuple[str, ...]
    totals: tuple[Decimal, ...]
    grades: tuple[str, ...]
    ranks: tuple[int, ...]
    steps: tuple[SensitivityStep, ...]
    #: Targets from the most to the least influential.
    influence: tuple[WeightInfluence, ...]

    @property
    def set(self) -> SetIdentity:
        return self.indicator_set.identity

    @property
    def analysis(self) -> str:
        return "one-at-a-time"

    @property
    def maximum(self) -> Decimal:
        return self.indicator_set.total

    @property
    def current(self) -> list[UnitNow]:
        return [
            UnitNow(unit=name, total=total, grade=grade, rank=rank)
            for name, total, grade, rank in zip(self.units, self.totals, self.grades, self.ranks, strict=True)
        ]


def check_delta(indicator_set: IndicatorSet, delta: Any) -> Decimal:
    """Δ as a Decimal: 0 or more, exact at the set's precision (an :class:`OptionError` otherwise)."""
    places = indicator_set.rounding.places
    value: Decimal | None
    try:
        value = delta if isinstance(delta, Decimal) else Decimal(str(delta))
        usable = value.is_finite() and within_magnitude(value)
        scaled = value.scaleb(places) if usable else None
        exact = scaled is not None and scaled == scaled.to_integral_value()
    except (ArithmeticError, ValueError):
        exact = False
        value = None
    if value is None or not exact or value < 0:
        shown = plain(value) if isinstance(value, Decimal) and value.is_finite() else clip(str(delta))
        message = f"Δ must be 0 or more with at most {places} decimals (rounding.places), not {shown}"
        raise OptionError(Problem("delta", message, None, "delta"))
    return value


@in_context
def sensitivity(
    cohort: Cohort | CohortMatrix,
    delta: Decimal | int | str,
    *,
    groups: bool = False,
    rescale: Rescale = "proportional",
) -> SensitivityReport:
    """Move each indicator weight (and each group weight, with ``groups``) by −Δ and +Δ points, one at a time.

    The other weights follow ``rescale`` as in :func:`scoring.analysis.reweight.reweight` (proportional: they
    are scaled to keep the total, apportioned exactly). A move that is not possible (a weight would reach 0,
    or leave nothing for the others) is reported as skipped. Δ = 0 changes nothing.
    """
    np = numpy()
    matrix = matrix_of(cohort)
    indicator_set = matrix.indicator_set
    delta = check_delta(indicator_set, delta)
    targets = _targets(indicator_set, groups)
    planned: list[tuple[str, Kind, int, Decimal, Decimal, int | None, Problem | None]] = []
    rows = [matrix.base_weights]
    for target, kind, weight in targets:
        for direction in (-1, 1):
            after = weight + direction * delta
            try:
                moved = reweight(indicator_set, [WeightChange(target, after)], rescale)
            except ScoringError as exc:
                planned.append((target, kind, direction, weight, after, None, exc.problems[0]))
                continue
            rows.append(matrix.weights_of(moved))
            planned.append((target, kind, direction, weight, after, len(rows) - 1, None))
    result = matrix.evaluate(np.stack(rows), progress=lambda done, total: advance("weightings", done, total))
    ranks = competition_ranks(result.totals)
    steps = tuple(_step(matrix, result, ranks, *plan) for plan in planned)
    base_grades = tuple(result.grades_of(0))
    influence = _influence(targets, steps, base_grades, ranks[0], matrix)
    return SensitivityReport(
        indicator_set=indicator_set,
        delta=delta,
        rescale=rescale,
        units=matrix.units,
        totals=tuple(result.totals_of(0)),
        grades=base_grades,
        ranks=tuple(int(r) for r in ranks[0]),
        steps=steps,
        influence=influence,
    )


def _targets(indicator_set: IndicatorSet, groups: bool) -> list[tuple[str, Kind, Decimal]]:
    """Every weight to move: each indicator's, then each group's (with ``groups``)."""
    targets: list[tuple[str, Kind, Decimal]] = [
        (i.id, "indicator", i.weight) for i in indicator_set.indicators
    ]
    if groups:
        for group in indicator_set.groups:
            weight = sum((indicator_set.indicator(m).weight for m in group.members), ZERO)
            targets.append((group.path, "group", weight))
    return targets


def _step(
    matrix: CohortMatrix,
    result: MatrixResult,
    ranks: Any,
    target: str,
    kind: Kind,
    direction: int,
    weight: Decimal,
    after: Decimal,
    k: int | None,
    skipped: Problem | None,
) -> SensitivityStep:
    move: _Move = {
        "target": target,
        "kind": kind,
        "direction": direction,
        "weight_before": weight,
        "weight_after": after,
    }
    if k is None:
        assert skipped is not None
        return SensitivityStep(**move, skipped=skipped.message, skipped_code=skipped.code,
                               maximum=matrix.indicator_set.total)  # fmt: skip
    arrays = _StepArrays(
        totals=result.totals[k],
        base_totals=result.totals[0],
        grades=result.grades[k],
        base_grades=result.grades[0],
        ranks=ranks[k],
        base_ranks=ranks[0],
        labels=tuple(result.grade_labels),
        total_places=matrix.total_places,
        maximum=result.maximum(k),
        base_maximum=result.maximum(0),
    )
    return SensitivityStep(**move, skipped=None, maximum=arrays.maximum, units=matrix.units, arrays=arrays)


def _mean_abs_percent(taken: list[_StepArrays], count: int) -> Decimal:
    """The mean of |total × 100 / maximum − current total × 100 / current maximum| over units and moves,
    exactly (a rational, made a Decimal once), so that rounding it is rounding the true mean.

    With the maxima as ``A / L`` and ``B / L`` (``L`` their common denominator) and totals ``t`` in units of
    ``10^-tp``, each term is ``100 · |t·A − t0·B| · L / (A · B · 10^tp)``: integers, added up exactly."""
    if not count:
        return ZERO
    np = numpy()
    mean = Fraction(0)
    for arrays in taken:
        now, before = Fraction(arrays.maximum), Fraction(arrays.base_maximum)
        common = math.lcm(now.denominator, before.denominator)
        a, b = (
            int(before * common),
            int(now * common),
        )  # t/now − t0/before = (t·a − t0·b) / (common·now·before)
        if max(a, b) * max(int(np.abs(arrays.totals).max(initial=0)), int(np.abs(arrays.base_totals).max(initial=0)), 1) < 2**62:  # fmt: skip
            spread = int(np.abs(arrays.totals * a - arrays.base_totals * b).sum())
        else:  # too large for int64: Python integers
            spread = sum(abs(t * a - u * b) for t, u in zip(arrays.totals.tolist(), arrays.base_totals.tolist(), strict=True))  # fmt: skip
        mean += Fraction(100 * spread, common * 10**arrays.total_places) / (now * before)
    return from_fraction(mean / count)


def _influence(
    targets: list[tuple[str, Kind, Decimal]],
    steps: tuple[SensitivityStep, ...],
    base_grades: tuple[str, ...],
    base_ranks: Any,
    matrix: CohortMatrix,
) -> tuple[WeightInfluence, ...]:
    """The targets ranked by influence: mean |Δ %| of the totals, then grade changes, then their order."""
    np = numpy()
    tp = matrix.total_places
    measured: list[tuple[int, WeightInfluence]] = []
    for position, (target, kind, weight) in enumerate(targets):
        taken = [s.arrays for s in steps if s.target == target and s.kind == kind and s.arrays is not None]
        count = sum(len(a.totals) for a in taken)
        moves = [np.abs(a.totals - a.base_totals) for a in taken]
        changed = [a.changed() for a in taken]
        moved = [matrix.units[u] for positions in changed for u in positions.tolist()]
        rank_moves = [int(np.abs(a.ranks - a.base_ranks).max(initial=0)) for a in taken]
        item = WeightInfluence(
            target=target,
            kind=kind,
            weight=weight,
            rank=0,  # given below, once every target is measured
            mean_abs_change=round_to(
                units_to_decimal(sum(int(m.sum()) for m in moves), tp) / count if count else ZERO,
                tp + 3,
                "half_even",
            ),
            max_abs_change=units_to_decimal(max((int(m.max(initial=0)) for m in moves), default=0), tp),
            mean_abs_percent_change=round_to(_mean_abs_percent(taken, count), 6, "half_even"),
            grade_changes=len(moved),
            units_changing_grade=tuple(dict.fromkeys(moved)),
            largest_rank_move=max(rank_moves, default=0),
        )
        measured.append((position, item))
    measured.sort(key=lambda entry: (-entry[1].mean_abs_percent_change, -entry[1].grade_changes, entry[0]))
    return tuple(replace(item, rank=rank) for rank, (_, item) in enumerate(measured, start=1))
