"""What would make a published total or grade hold: the smallest changes of the data, for a reproduction.

A published figure constrains the row sum (the sum of the rounded rows): a total holds for the row sums
whose rounded (and rescaled) total is that total, a grade for those whose total earns it. Both are an
interval of multiples of the row precision, found by bisection, as grade margins are. The unit's rows allow
another interval: the known rows' sum, plus anything the unknown rows can add. Then:

- the intervals meet: the figure is within reach, and holds when the unknown rows add up to the part of the
  needed interval they can reach; a row whose share is forced says at least (at most) how much it needs;
- the needed interval lies above (below) the rows': with every unknown row at its highest (lowest), the
  figure is still out of reach by a change of the row sum, and the moves that would close it are found by
  the grade-margins solver (:mod:`scoring.analysis.margins`) run on that best (worst) case against a set
  whose only grade boundary is the published figure: a computed row's input by how much, a judged row at
  which points (and so which tier), an unknown row at which points.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..engine import evaluate, rounded_total
from ..engine.result import Result
from ..model.indicator_set import Grade, IndicatorSet
from ..model.sums import resum
from ..model.unit import Override, Unit
from ..numbers import CONTEXT, ZERO, in_context, plain, quantum_for
from ..rules.judgment import JudgmentRule
from ..serialize import JsonForm
from .margins import unit_margins
from .margins.results import IndicatorMargin, Solution
from .margins.search import first_true

Side = Literal["up", "down"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RowNeed(JsonForm):
    """What the published figure asks of one unknown row: at least / at most these points (rounded, at the
    declared weight), where it could score ``low`` to ``high``."""

    id: str
    label: str
    low: Decimal
    high: Decimal
    at_least: Decimal | None = None
    at_most: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap(JsonForm):
    """The smallest changes that would make one published figure (the total or the grade) hold."""

    __json__ = (
        "figure",
        "published",
        "reachable",
        "side",
        "change",
        "needed",
        "unknown_sum",
        "rows",
        "moves",
    )
    #: total or grade.
    figure: Literal["total", "grade"]
    published: Decimal | str
    #: The row sums for which the figure holds (None when no row sum gives it: a total that rounding skips).
    needed: tuple[Decimal, Decimal] | None
    #: Out of reach: up (the rows cannot add up to enough) or down (they cannot add up to little enough).
    side: Side | None = None
    #: Out of reach: the change of the row sum still needed with every unknown row at its best (worst).
    change: Decimal | None = None
    #: Within reach with unknown rows: what their points must add up to.
    unknown_sum: tuple[Decimal, Decimal] | None = None
    rows: tuple[RowNeed, ...] = ()
    #: Out of reach: each row's way across, one row at a time (feasible answers only).
    moves: tuple[IndicatorMargin, ...] = ()

    @property
    def reachable(self) -> bool:
        return self.side is None and self.needed is not None


@in_context
def published_gaps(indicator_set: IndicatorSet, unit: Unit, result: Result) -> tuple[Gap, ...]:
    """A :class:`Gap` for the published total and for the published grade, each unless the figure follows
    from the data already (determined and equal)."""
    published = unit.published
    gaps: list[Gap] = []
    if published is None:
        return ()
    q_total = quantum_for(indicator_set.rounding.total_places)
    if published.total is not None and not (result.total is not None and result.total == published.total):
        target = published.total
        bounds = (target, target + q_total)
        gaps.append(_gap(indicator_set, unit, result, "total", target, target.__le__, target.__ge__, bounds))
    labels = [grade.label for grade in indicator_set.grades]
    grade = published.grade
    if grade is not None and grade in labels and result.grade != grade:
        rank = labels.index(grade)
        floor = indicator_set.grades[rank].min * indicator_set.total / indicator_set.grades_total
        above = (
            indicator_set.grades[rank - 1].min * indicator_set.total / indicator_set.grades_total
            if rank
            else None
        )

        def at_least(total: Decimal) -> bool:
            return labels.index(indicator_set.grade_for(total)) <= rank

        def at_most(total: Decimal) -> bool:
            return labels.index(indicator_set.grade_for(total)) >= rank

        gaps.append(_gap(indicator_set, unit, result, "grade", grade, at_least, at_most, (floor, above)))
    return tuple(gaps)


def _gap(
    indicator_set: IndicatorSet,
    unit: Unit,
    result: Result,
    figure: Literal["total", "grade"],
    published: Decimal | str,
    at_least: Callable[[Decimal], bool],
    at_most: Callable[[Decimal], bool],
    bounds: tuple[Decimal, Decimal | None],
) -> Gap:
    needed = _needed(indicator_set, result, at_least, at_most)
    if needed is None:
        return Gap(figure=figure, published=published, needed=None)
    unknown_low, unknown_high = result.unknown_range or (ZERO, ZERO)
    lowest, highest = result.row_sum + unknown_low, result.row_sum + unknown_high
    if needed[0] > highest or needed[1] < lowest:
        side: Side = "up" if needed[0] > highest else "down"
        change = needed[0] - highest if side == "up" else needed[1] - lowest
        moves = _moves(indicator_set, unit, result, side, bounds, needed, _shown(published))
        return Gap(figure=figure, published=published, needed=needed, side=side, change=change, moves=moves)
    if result.unknown_range is None:
        return Gap(figure=figure, published=published, needed=needed)
    need = (max(needed[0] - result.row_sum, unknown_low), min(needed[1] - result.row_sum, unknown_high))
    rows = []
    for row in result.indicators:
        if row.points is not None or row.points_range is None or not row.counted:
            continue
        low, high = row.points_range
        # the others at their highest (lowest) leave this row at least (at most) the rest
        least = need[0] - (unknown_high - high)
        most = need[1] - (unknown_low - low)
        if least > low or most < high:
            rows.append(RowNeed(id=row.id, label=row.label, low=low, high=high,
                                at_least=least if least > low else None, at_most=most if most < high else None))  # fmt: skip
    return Gap(figure=figure, published=published, needed=needed, unknown_sum=need, rows=tuple(rows))


def _needed(
    indicator_set: IndicatorSet,
    result: Result,
    at_least: Callable[[Decimal], bool],
    at_most: Callable[[Decimal], bool],
) -> tuple[Decimal, Decimal] | None:
    """The row sums (multiples of the row precision, 0 to every counted row full) whose total passes both
    tests, found by bisection (both tests are monotone in the row sum)."""
    q = quantum_for(indicator_set.rounding.places)
    steps = int((result.attainable / q).to_integral_value(rounding=decimal.ROUND_FLOOR))

    def total(k: int) -> Decimal:
        with decimal.localcontext(CONTEXT):
            return rounded_total(indicator_set, k * q, result.attainable)

    if not at_least(total(steps)) or not at_most(total(0)):
        return None
    first = 0 if at_least(total(0)) else first_true(0, steps, lambda k: at_least(total(k)))
    last = steps if at_most(total(steps)) else first_true(0, steps, lambda k: not at_most(total(k))) - 1
    if first > last:
        return None
    return first * q, last * q


def _moves(
    indicator_set: IndicatorSet,
    unit: Unit,
    result: Result,
    side: Side,
    bounds: tuple[Decimal, Decimal | None],
    needed: tuple[Decimal, Decimal],
    reached: str,
) -> tuple[IndicatorMargin, ...]:
    """The feasible one-row moves from the best case (up: every unknown row at its highest) or the worst
    (down), against a set whose only grade boundary is the published figure's; each solution's ``grade`` is
    ``reached``, the published figure it makes attainable."""
    floor, above = bounds
    boundary = floor if side == "up" else above
    if boundary is None:
        return ()
    scale = indicator_set.grades_total / indicator_set.total
    two_bands = (Grade(label="reached", min=boundary * scale), Grade(label="short", min=ZERO))
    if side == "down":
        two_bands = (Grade(label="above", min=boundary * scale), Grade(label="reached", min=ZERO))
    target_set = dataclasses.replace(indicator_set, grades=two_bands)
    overrides = dict(unit.overrides)
    for indicator_id, unknown in unit.unknown.items():
        points = unknown.high if side == "up" else unknown.low
        overrides[indicator_id] = Override(points=points, reason=unknown.reason or "unknown")
    case = dataclasses.replace(unit, indicator_set=target_set, overrides=overrides, unknown={})
    case_result = evaluate(target_set, case)
    if case_result.grade == "reached":
        return ()
    margins = unit_margins(target_set, case, case_result)
    tiers = {indicator.id: indicator.rule for indicator in indicator_set.indicators}
    moves = []
    for move in margins.indicators:
        if move.side != side or not move.feasible:
            continue
        plain_unknown = move.id in unit.unknown and not isinstance(tiers[move.id], JudgmentRule)
        if plain_unknown and (move.needed is None or not ZERO <= move.needed <= move.weight):
            continue
        # made on the unit as it is (unknown rows still open), a move must leave the figure within reach: one
        # that jumps past it (a band's step, an item worth more) still may, when the unknown rows can give back
        kept = tuple(
            way
            for way in move.solutions
            if _within(evaluate(indicator_set, _with(unit, move.id, way)), needed)
        )
        if not kept:
            continue
        # the margins ran against a stand-in set: say what the rows are, not its grade labels
        kept = tuple(dataclasses.replace(way, grade=reached) for way in kept)
        entered = unit.unknown.get(move.id)
        note = move.note
        if entered is not None:
            within = f"judged within tier {entered.tier}" if entered.tier else "unknown"
            note = f"{within}: {plain(entered.low)} to {plain(entered.high)} points as entered"
        moves.append(dataclasses.replace(move, solutions=kept, note=note))
    return tuple(moves)


def _within(result: Result, needed: tuple[Decimal, Decimal]) -> bool:
    """Whether the rows' possible sums meet the needed ones."""
    low, high = result.unknown_range or (ZERO, ZERO)
    return needed[0] <= result.row_sum + high and result.row_sum + low <= needed[1]


def _with(unit: Unit, indicator_id: str, way: Solution) -> Unit:
    """The unit with one solution's changes made."""
    if way.kind in ("override", "judgment"):
        (change,) = way.changes
        assert isinstance(change.new, Decimal)
        overrides = {
            **unit.overrides,
            indicator_id: Override(points=change.new, reason="the published figure"),
        }
        unknown = {key: value for key, value in unit.unknown.items() if key != indicator_id}
        return dataclasses.replace(unit, overrides=overrides, unknown=unknown)
    changed = {**unit.values, **{c.name: c.new for c in way.changes}}
    return dataclasses.replace(unit, values=resum(unit.indicator_set.totals, unit.summed, changed))


def _shown(figure: Decimal | str) -> str:
    return plain(figure) if isinstance(figure, Decimal) else figure
