"""Grade margins: how far each unit is from the next grade up and down, and what would take it there.

Unit level. The total is ``round(row_sum × scale, total_places)`` (``scale`` is 1, or ``total / attainable``
when not-applicable rows were rescaled away) and its grade is read from the bands. Rows are rounded to
``rounding.places``, so the row sum moves in steps of ``q = 10^-places``. The margin up is the smallest
increase of the row sum, in steps of ``q``, that gives a higher grade; the margin down the smallest decrease
that gives a lower one. Both are found by bisection over whole steps (the grade can only rise with the row
sum) and checked by construction: the grade changes at the margin and not one step before it.

Indicator level. A row changing from ``p`` to ``p'`` points moves the row sum by ``p' − p``, so to cross
the boundary up it needs ``p' ≥ p + margin`` (down: ``p' ≤ p − margin``), with ``p'`` the row's *rounded*
points at its current weight. This is solved in three steps:

1. **Rounding and weight.** The set of exact points that round to at least (at most) the needed points is a
   half-line whose end and openness depend on the rounding mode (half_up: ``x ≥ p − q/2``; half_even: the
   same, closed only when ``p / q`` is even; down: ``x ≥ p``; up: ``x > p − q``); dividing by
   ``weight / reference weight`` gives the condition on the rule's points.
2. **The rule**, inverted exactly (rational arithmetic) to a condition on the formula's value:

   - deduct — the number of steps that may (must) be taken off, then the excess that gives it: ``whole``
     steps change at multiples of ``per`` (``value < limit + (k+1)·per``), ``started`` steps just past them
     (``value ≤ limit + k·per``), ``exact`` continuously;
   - ratio — ``value ≥ t·target/weight`` (lower is better: ``value ≤ target·weight/t``), with the unit's own
     target when the target is a formula;
   - linear — ``value ≥ zero_at + t·(full_at − zero_at)/weight`` (reversed when decreasing);
   - bands — the nearest band (or 'otherwise' gap) on each side of the value whose points suffice, entered
     at its near bound, open or closed as the band declares it.

   Cases and checklists are not inverted: the report lists the cases that would give enough points, or the
   checklist items that would need to change (each one that suffices alone, else the fewest that do
   together). A judgment reports the points the evaluator would need to award (in steps of ``q``, at the
   weight the rule is written at), and whether that is inside the current tier or needs another; an
   overridden row the override needed. N/A rows do not follow the data, and a row already at full marks
   (zero), or needing more than it can give, is said to be so.
3. **The formula**, for each number input behind the indicator (directly or through derived names): the
   input is moved alone, in steps of its **precision**, until the value condition holds — found by doubling
   the step and then bisecting (exact Decimal arithmetic throughout). The precision is 1 for integer inputs
   and otherwise the decimals the unit's figure is written with (``487.24`` → 0.01, ``92.5`` → 0.1,
   ``1880`` → 1), unless ``places`` says otherwise. The search is within the input's declared min/max and
   assumes the formula moves monotonically with the input between the current value and the answer (true
   of sums, differences, products and quotients away from a zero divisor); every answer is then checked:
   the row reaches the needed points at the reported value and not one step before. Both directions are
   tried, so a non-monotone rule or formula can give an answer each way. An input the rule itself reads (a
   ratio's target) is searched on the row's points directly. A boolean input is flipped.

Every answer is finally verified by evaluating the whole unit with the changed data: ``verified`` means the
grade changes at the reported value and not one step (of the precision) before. An input that also feeds
other rows moves them too (``also_moves``); when that stops the grade changing exactly there, the answer is
not verified, and the input is searched again on the unit's grade itself (``unit_crossing``: where the grade
does change, all rows recomputed). An answer at which another row cannot be scored (a zero divisor) is
dropped and named in the note.
"""

from __future__ import annotations

import contextlib
import csv
import decimal
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from ...engine.evaluate import evaluate, rounded_total
from ...engine.evaluate import number_or_bool as _number_or_bool
from ...engine.evaluate import score_row as _score
from ...engine.result import IndicatorResult, Result, to_json
from ...errors import EvaluationError
from ...formula import PowerTooLarge
from ...model.indicator_set import Indicator, IndicatorSet
from ...model.unit import Unit
from ...numbers import CONTEXT, ONE, ZERO, plain, quantum_for, round_to, shown, written_places
from ...rules import (
    Award,
    BandsRule,
    CasesRule,
    ChecklistRule,
    DeductRule,
    Interval,
    JudgmentRule,
    LinearRule,
    RatioRule,
    RuleFailure,
)
from ..cohort import Cohort, require_complete

Side = Literal["up", "down"]
#: A condition on a number: ``x op bound``.
Op = Literal["≥", ">", "≤", "<"]

_FAILURES = (ArithmeticError, TypeError, ValueError, NameError, RuleFailure, PowerTooLarge)
#: Most steps of an input's precision a search moves it (2^60: far beyond any sensible figure).
_MAX_STEPS = 2**60


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeMargin:
    """The smallest change of a unit's row sum that changes its grade, up or down."""

    side: Side
    #: The grade reached.
    grade: str
    #: Signed change of the row sum (a multiple of 10^-places): positive up, negative down.
    change: Decimal
    row_sum: Decimal
    #: The rounded total at the new row sum.
    total: Decimal
    #: How far the rows that follow the data or a judgment (not N/A, not overridden) can move that way.
    room: Decimal

    @property
    def reachable(self) -> bool:
        return abs(self.change) <= self.room

    def to_dict(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "grade": self.grade,
            "change": self.change,
            "row_sum": self.row_sum,
            "total": self.total,
            "room": self.room,
            "reachable": self.reachable,
        }


@dataclass(frozen=True)
class ValueTarget:
    """A condition on the indicator's formula value that gives the row the points it needs."""

    op: Op
    bound: Decimal
    #: False when the bound is a rational number that Decimal shows rounded to 50 digits.
    exact: bool
    #: bound − the current value.
    change: Decimal | None
    #: For bands: the band or 'otherwise' range that is entered there.
    piece: str | None = None

    def __str__(self) -> str:
        text = f"value {self.op} {shown(self.bound)}"
        if self.change is not None and self.op in ("≥", "≤"):  # an open bound is passed, not reached
            text += f" ({'+' if self.change > 0 else '−'}{shown(abs(self.change))})"
        return text + (f" [{self.piece}]" if self.piece else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "bound": self.bound,
            "exact": self.exact,
            "change": self.change,
            "piece": self.piece,
        }


@dataclass(frozen=True)
class Assignment:
    """One figure of the unit's data changed: an input, a judgment's points or an override's points."""

    name: str
    current: Decimal | bool
    new: Decimal | bool

    @property
    def change(self) -> Decimal | None:
        if isinstance(self.current, Decimal) and isinstance(self.new, Decimal):
            return self.new - self.current
        return None

    def __str__(self) -> str:
        if isinstance(self.new, bool):
            return f"{self.name} → {'true' if self.new else 'false'}"
        change = self.change
        assert change is not None
        sign = "+" if change > 0 else "−"
        return f"{self.name} {plain(self.current)} → {plain(self.new)} ({sign}{plain(abs(change))})"  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "current": self.current, "new": self.new, "change": self.change}


@dataclass(frozen=True)
class Solution:
    """A change of the unit's data that, alone, moves the row (and so the unit) across the grade boundary."""

    #: input: a number input; flip: a boolean input; checklist: items; judgment / override: points awarded.
    kind: Literal["input", "flip", "checklist", "judgment", "override"]
    changes: tuple[Assignment, ...]
    #: Decimals of the steps a number input was moved in (None when not a number search).
    places: int | None
    #: The unit's grade with this change (evaluated in full).
    grade: str
    #: Full evaluation of the unit with the change: the grade changes there and (for a number or points)
    #: not one step before it.
    verified: bool
    #: Other rows whose points the change moves too: (id, points before, points after).
    also_moves: tuple[tuple[str, Decimal, Decimal], ...] = ()
    #: For an input that also feeds other rows, when the unit's grade does not change exactly at ``new``:
    #: the value of the input at which it does (searched on the whole unit; None if not found).
    unit_crossing: Decimal | None = None
    note: str | None = None
    #: For a judgment: the tier the new points belong to (the current one when it allows them).
    tier: str | None = None

    def __str__(self) -> str:
        text = " + ".join(str(change) for change in self.changes)
        if self.note:
            text += f" ({self.note})"
        if self.also_moves:
            moved = ", ".join(f"{i} {plain(a)}→{plain(b)}" for i, a, b in self.also_moves)
            text += f" (also moves {moved}"
            if not self.verified:
                text += f"; the unit is graded {self.grade} there"
                if self.unit_crossing is not None:
                    text += f", and its grade changes at {plain(self.unit_crossing)}"
            text += ")"
        return text + (" ✓" if self.verified else " ✗")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "changes": [c.to_dict() for c in self.changes],
            "places": self.places,
            "grade": self.grade,
            "verified": self.verified,
            "also_moves": [{"id": i, "points_before": a, "points_after": b} for i, a, b in self.also_moves],
            "unit_crossing": self.unit_crossing,
            "note": self.note,
            "tier": self.tier,
        }


@dataclass(frozen=True)
class IndicatorMargin:
    """What change of one indicator alone would move its unit to the next grade up or down."""

    id: str
    label: str
    side: Side
    rule: str
    status: str
    weight: Decimal
    #: The row's rounded points now.
    points: Decimal | None
    value: Decimal | bool | None
    #: The rounded points the row needs: at least this (up) or at most this (down). None when not solvable.
    needed: Decimal | None
    targets: tuple[ValueTarget, ...]
    solutions: tuple[Solution, ...]
    #: Plain words: why there is no answer, or what the answer depends on.
    note: str | None

    @property
    def solvable(self) -> bool:
        return bool(self.targets or self.solutions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "side": self.side,
            "rule": self.rule,
            "status": self.status,
            "weight": self.weight,
            "points": self.points,
            "value": self.value,
            "needed": self.needed,
            "needed_op": ("≥" if self.side == "up" else "≤") if self.needed is not None else None,
            "targets": [t.to_dict() for t in self.targets],
            "solutions": [s.to_dict() for s in self.solutions],
            "note": self.note,
        }


@dataclass(frozen=True)
class UnitMargins:
    """A unit's distance to the next grade up and down, and each indicator's way there."""

    unit: str
    grade: str
    total: Decimal
    row_sum: Decimal
    scale: Decimal | None
    up: GradeMargin | None
    down: GradeMargin | None
    indicators: tuple[IndicatorMargin, ...]

    def indicator(self, indicator_id: str, side: Side) -> IndicatorMargin:
        for item in self.indicators:
            if item.id == indicator_id and item.side == side:
                return item
        raise KeyError((indicator_id, side))

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "grade": self.grade,
            "total": self.total,
            "row_sum": self.row_sum,
            "scale": self.scale,
            "up": self.up.to_dict() if self.up else None,
            "down": self.down.to_dict() if self.down else None,
            "indicators": [i.to_dict() for i in self.indicators],
        }


# --- exact conditions --------------------------------------------------------------------------------


def _holds(x: Fraction, op: Op, bound: Fraction) -> bool:
    if op == "≥":
        return x >= bound
    if op == ">":
        return x > bound
    if op == "≤":
        return x <= bound
    return x < bound


def _closed(op: Op) -> bool:
    return op in ("≥", "≤")


def _flip(op: Op) -> Op:
    """The same openness the other way (a decreasing map turns x ≥ b into v ≤ b')."""
    return {"≥": "≤", ">": "<", "≤": "≥", "<": ">"}[op]  # type: ignore[return-value]


def rounding_condition(needed: Decimal, side: Side, places: int, mode: str) -> tuple[Op, Fraction]:
    """Exact points x ≥ 0 round (to ``places``, ``mode``) to at least (up) / at most (down) ``needed`` iff
    ``x op bound``."""
    need, q = Fraction(needed), Fraction(quantum_for(places))
    half = q / 2
    even = (need / q).numerator % 2 == 0
    if side == "up":
        return {
            "half_up": ("≥", need - half),
            "half_even": ("≥" if even else ">", need - half),
            "down": ("≥", need),
            "up": (">", need - q),
        }[mode]  # type: ignore[return-value]
    return {
        "half_up": ("<", need + half),
        "half_even": ("≤" if even else "<", need + half),
        "down": ("<", need + q),
        "up": ("≤", need),
    }[mode]  # type: ignore[return-value]


#: A rule inverted: value targets (op, bound, piece) or the reason it cannot be done.
_Targets = list[tuple[Op, Fraction, str | None]] | str


def _never(op: Op, t: Fraction, weight: Fraction) -> str | None:
    """Why rule points (0 to weight) can never satisfy ``points op t``, if they cannot."""
    if (op == "≥" and t > weight) or (op == ">" and t >= weight):
        return f"the rule gives at most {shown(_dec(weight))} points"
    if (op == "≤" and t < 0) or (op == "<" and t <= 0):
        return "the rule gives at least 0 points"
    return None


def _deduct_targets(rule: DeductRule, op: Op, t: Fraction) -> _Targets:
    w, per, points, limit = (Fraction(x) for x in (rule.weight, rule.per, rule.points, rule.limit))
    never = _never(op, t, w)
    if never:
        return never
    up = op in ("≥", ">")
    gap = w - t  # up: the deduction must stay ≤ gap (< gap); down: reach ≥ gap (> gap)
    if rule.steps == "exact":
        excess, excess_closed = gap * per / points, _closed(op)
    elif up:
        steps = math.floor(gap / points) if _closed(op) else math.ceil(gap / points) - 1
        if rule.steps == "whole":  # floor(e/per) ≤ k  ⇔  e < (k+1)·per
            excess, excess_closed = (steps + 1) * per, False
        else:  # started: ceil(e/per) ≤ k  ⇔  e ≤ k·per
            excess, excess_closed = steps * per, True
    else:
        steps = math.ceil(gap / points) if _closed(op) else math.floor(gap / points) + 1
        if rule.steps == "whole":  # floor(e/per) ≥ m  ⇔  e ≥ m·per
            excess, excess_closed = steps * per, True
        else:  # started: ceil(e/per) ≥ m  ⇔  e > (m−1)·per
            excess, excess_closed = (steps - 1) * per, False
    # excess ≤ c (up) or ≥ c (down); excess = value − limit (over) or limit − value (under)
    excess_op: Op = ("≤" if excess_closed else "<") if up else ("≥" if excess_closed else ">")
    if rule.over:
        return [(excess_op, limit + excess, None)]
    return [(_flip(excess_op), limit - excess, None)]


def _ratio_targets(rule: RatioRule, op: Op, t: Fraction, env: Mapping[str, Any]) -> _Targets:
    w = Fraction(rule.weight)
    never = _never(op, t, w)
    if never:
        return never
    target = Fraction(rule.target_formula.evaluate(env) if rule.target_formula is not None else rule.target)
    if not rule.lower_better:  # points = value × weight / target, capped
        return [(op, t * target / w, None)]
    if t <= 0:  # lower is better: points = target × weight / value never reach 0
        return "the rule never gives 0 points (lower is better: target / value stays above 0)"
    return [(_flip(op), target * w / t, None)]


def _linear_targets(rule: LinearRule, op: Op, t: Fraction) -> _Targets:
    w = Fraction(rule.weight)
    never = _never(op, t, w)
    if never:
        return never
    zero_at, full_at = Fraction(rule.zero_at), Fraction(rule.full_at)
    bound = zero_at + t * (full_at - zero_at) / w
    return [(op if full_at > zero_at else _flip(op), bound, None)]


def band_pieces(rule: BandsRule) -> list[tuple[Interval, Decimal | None, str]]:
    """The number line cut into the bands and the gaps between them (scored 'otherwise', or None)."""
    ordered = sorted(rule.bands, key=lambda band: band[0].sort_key())
    pieces: list[tuple[Interval, Decimal | None, str]] = []
    previous: Interval | None = None
    for interval, points, label, number in ordered:
        gap = None
        if previous is None:
            if interval.low is not None:
                gap = Interval(None, False, interval.low, not interval.low_closed)
        elif previous.high is not None and interval.low is not None:
            gap = Interval(previous.high, not previous.high_closed, interval.low, not interval.low_closed)
            gap = None if gap.is_empty() else gap
        if gap is not None:
            pieces.append((gap, rule.otherwise, f"otherwise {gap}"))
        name = f" '{label}'" if label else ""
        pieces.append((interval, points, f"band {number}{name} {interval}"))
        previous = interval
    if previous is not None and previous.high is not None:
        gap = Interval(previous.high, not previous.high_closed, None, False)
        pieces.append((gap, rule.otherwise, f"otherwise {gap}"))
    return pieces


def _bands_targets(rule: BandsRule, op: Op, t: Fraction, value: Decimal) -> _Targets:
    above: tuple[Op, Fraction, str | None] | None = None
    below: tuple[Op, Fraction, str | None] | None = None
    for interval, points, name in band_pieces(rule):
        if points is None or not _holds(Fraction(points), op, t) or interval.contains(value):
            continue
        piece = f"{name}: {plain(points)}"
        low, high = interval.low, interval.high
        if low is not None and (value < low or (value == low and not interval.low_closed)):
            candidate: tuple[Op, Fraction, str | None] = (
                "≥" if interval.low_closed else ">",
                Fraction(low),
                piece,
            )
            if above is None or candidate[1] < above[1]:
                above = candidate
        elif high is not None and (value > high or (value == high and not interval.high_closed)):
            candidate = ("≤" if interval.high_closed else "<", Fraction(high), piece)
            if below is None or candidate[1] > below[1]:
                below = candidate
    targets = [target for target in (above, below) if target is not None]
    if not targets:
        return f"no band gives {'at least' if op in ('≥', '>') else 'at most'} the points needed"
    return sorted(targets, key=lambda target: abs(target[1] - Fraction(value)))


def _dec(value: Fraction) -> Decimal:
    with decimal.localcontext(CONTEXT):
        return Decimal(value.numerator) / Decimal(value.denominator)


def _exact(value: Fraction) -> bool:
    return Fraction(_dec(value)) == value


# --- the search --------------------------------------------------------------------------------------


def search(
    start: Decimal,
    direction: int,
    step: Decimal,
    predicate: Callable[[Decimal], bool],
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Decimal | None:
    """The point ``start + direction·k·step`` with the smallest k ≥ 1 where ``predicate`` holds, within
    [low, high]; None if none is found.

    Doubles k until the predicate holds (or the bound is reached), then bisects between the last k where it
    did not and the first where it did, so it assumes the predicate holds from some k on (monotone). A
    predicate that raises counts as not holding; when it raises, the step just before is tried too, and
    when the doubling jumps across 0 the last point before 0 is tried (the points next to a zero divisor).
    Exact: every point is start + an integer number of steps.
    """

    def at(k: int) -> Decimal:
        with decimal.localcontext(CONTEXT):
            return start + direction * k * step

    def test(k: int) -> bool | None:
        try:
            with decimal.localcontext(CONTEXT):
                return bool(predicate(at(k)))
        except _FAILURES:
            return None

    limit = _MAX_STEPS
    bound = high if direction > 0 else low
    if bound is not None:
        with decimal.localcontext(CONTEXT):
            room = (bound - start) * direction / step
        if room < 1:
            return None
        limit = min(limit, int(room.to_integral_value(rounding=decimal.ROUND_FLOOR)))
    # the last grid point before 0, on the start's side (a divisor's last valid point), if there is one
    before_zero = (
        math.ceil(abs(Fraction(start) / Fraction(step))) - 1 if start and direction * start < 0 else 0
    )
    previous, k, found = 0, 1, None
    while found is None:
        outcome = test(k)
        if outcome:
            found = k
            break
        if outcome is None and k - 1 > previous and test(k - 1):
            found = k - 1
            break
        if previous < before_zero < k and test(before_zero):
            found = before_zero
            break
        previous = k
        if k >= limit:
            break
        k = min(2 * k, limit)
    if found is None:
        return None
    low_k, high_k = previous, found
    while high_k - low_k > 1:
        middle = (low_k + high_k) // 2
        if test(middle):
            high_k = middle
        else:
            low_k = middle
    return at(high_k)


# --- per unit ---------------------------------------------------------------------------------------


class _Context:
    """One unit's evaluation and the helpers every indicator's inversion needs."""

    def __init__(self, indicator_set: IndicatorSet, unit: Unit, result: Result, places: Mapping[str, int]):
        self.set = indicator_set
        self.unit = unit
        self.result = result
        self.places_override = places
        rounding = indicator_set.rounding
        self.places, self.mode = rounding.places, rounding.mode
        self.quantum = quantum_for(self.places)
        self.order = [grade.label for grade in indicator_set.grades]  # highest first
        assert result.grade is not None
        self.grade = result.grade
        self.rank = self.order.index(self.grade)
        self.rows = {row.id: row for row in result.indicators}
        rule_names: dict[str, frozenset[str]] = {}
        derived = dict(indicator_set.derived)
        for indicator in indicator_set.indicators:
            rule_names[indicator.id] = _inputs_behind(indicator.rule.input_names() - {"value"}, derived)
        self.rule_inputs = rule_names
        #: input name → the scored rows that read it (directly or through derived names)
        self.readers: dict[str, list[Indicator]] = {}
        for indicator in indicator_set.indicators:
            if self.rows[indicator.id].status == "scored":
                for name in indicator.needs_inputs:
                    self.readers.setdefault(name, []).append(indicator)

    # grades ------------------------------------------------------------------------------------------
    def total_for(self, row_sum: Decimal) -> Decimal:
        with decimal.localcontext(CONTEXT):
            return rounded_total(self.set, row_sum, self.result.attainable)

    def grade_at(self, row_sum: Decimal) -> str:
        return self.set.grade_for(self.total_for(row_sum))

    def crossed(self, grade: str | None, side: Side) -> bool:
        if grade is None:
            return False
        rank = self.order.index(grade)
        return rank < self.rank if side == "up" else rank > self.rank

    # one row ----------------------------------------------------------------------------------------
    def env(self, values: Mapping[str, Any]) -> dict[str, Any]:
        env = dict(values)
        for name, formula in self.set.derived:
            with contextlib.suppress(*_FAILURES):  # left out: what needs it fails with NameError
                env[name] = _number_or_bool(formula.evaluate(env))
        return env

    def row_points(self, indicator: Indicator, values: Mapping[str, Any]) -> Decimal:
        """The row's rounded points with these input values (raises when the row cannot be scored)."""
        with decimal.localcontext(CONTEXT):
            _, reference_points, _ = _score(indicator, self.env(values), self.unit)
            weight, reference = indicator.weight, indicator.reference_weight
            exact = reference_points if weight == reference else reference_points * weight / reference
            return round_to(exact, self.places, self.mode)

    def value_of(self, indicator: Indicator, values: Mapping[str, Any]) -> Any:
        assert indicator.formula is not None
        with decimal.localcontext(CONTEXT):
            return _number_or_bool(indicator.formula.evaluate(self.env(values)))

    def input_step(self, name: str) -> tuple[int, Decimal]:
        declared = self.set.inputs[name]
        if declared.type == "integer":
            return 0, ONE
        places = self.places_override.get(name)
        if places is None:
            current = self.unit.values[name]
            assert isinstance(current, Decimal)
            places = written_places(current)
        return places, quantum_for(places)

    # whole unit -------------------------------------------------------------------------------------
    def evaluate_with(self, **changes: Any) -> Result | None:
        """The whole unit evaluated with changed values / judgments / overrides (None if it fails)."""
        unit = replace(self.unit, **changes)
        try:
            return evaluate(self.set, unit)
        except EvaluationError:
            return None

    def grade_with_input(self, name: str, value: Decimal) -> str | None:
        """The unit's grade with one input changed, recomputing only the rows that read it (fast path of
        :meth:`evaluate_with`; None when a row cannot be scored)."""
        values = {**self.unit.values, name: value}
        row_sum = self.result.row_sum
        try:
            for indicator in self.readers.get(name, ()):
                row = self.rows[indicator.id]
                assert row.points is not None
                row_sum += self.row_points(indicator, values) - row.points
        except _FAILURES:
            return None
        return self.grade_at(row_sum)

    def moved(self, other: Result, indicator_id: str) -> tuple[tuple[str, Decimal, Decimal], ...]:
        return tuple(
            (row.id, before.points, row.points)
            for before, row in zip(self.result.indicators, other.indicators, strict=True)
            if row.id != indicator_id
            and before.points is not None
            and row.points is not None
            and row.points != before.points
        )


def _inputs_behind(names: Iterable[str], derived: Mapping[str, Any]) -> frozenset[str]:
    inputs: set[str] = set()
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in derived:
            stack.extend(derived[name].names)
        else:
            inputs.add(name)
    return frozenset(inputs)


def _grade_margin(ctx: _Context, side: Side) -> GradeMargin | None:
    """Smallest change of the row sum (in steps of 10^-places) that changes the grade, by bisection."""
    result = ctx.result
    if (side == "up" and ctx.rank == 0) or (side == "down" and ctx.rank == len(ctx.order) - 1):
        return None
    q, row_sum = ctx.quantum, result.row_sum
    with decimal.localcontext(CONTEXT):
        # the row sum runs from 0 to the attainable (every counted row full), whose total is the maximum
        room_steps = (result.attainable - row_sum) / q if side == "up" else row_sum / q
        steps = int(room_steps.to_integral_value(rounding=decimal.ROUND_FLOOR))
        sign = 1 if side == "up" else -1

        def crosses(k: int) -> bool:
            return ctx.crossed(ctx.grade_at(row_sum + sign * k * q), side)

        low, high = 0, steps
        if not crosses(high):  # cannot happen: full marks reach the top grade, zero the bottom one
            return None
        while high - low > 1:
            middle = (low + high) // 2
            if crosses(middle):
                high = middle
            else:
                low = middle
        assert crosses(high) and not crosses(high - 1)  # by construction: here, and not one step before
        new_sum = row_sum + sign * high * q
        movable = [row for row in result.indicators if row.status in ("scored", "judged")]
        room = sum(
            ((row.weight - row.points) if side == "up" else row.points for row in movable),  # type: ignore[operator]
            ZERO,
        )
        return GradeMargin(
            side, ctx.grade_at(new_sum), new_sum - row_sum, new_sum, ctx.total_for(new_sum), room
        )


def _indicator_margin(
    ctx: _Context, indicator: Indicator, row: IndicatorResult, side: Side, margin: GradeMargin | None
) -> IndicatorMargin:
    def answer(
        note: str | None,
        needed: Decimal | None = None,
        targets: Sequence[ValueTarget] = (),
        solutions: Sequence[Solution] = (),
    ) -> IndicatorMargin:
        return IndicatorMargin(
            indicator.id,
            indicator.label,
            side,
            indicator.rule.kind,
            row.status,
            row.weight,
            row.points,
            row.value,
            needed,
            tuple(targets),
            tuple(solutions),
            note,
        )

    if margin is None:
        return answer(f"already in the {'top' if side == 'up' else 'lowest'} grade")
    if row.status == "not_applicable":
        return answer(f"not applicable ({row.not_applicable}): its points do not depend on the data")
    assert row.points is not None
    points, weight = row.points, row.weight
    needed = points + margin.change
    if side == "up" and points >= weight:
        return answer(f"already at full marks ({plain(weight)})")
    if side == "down" and points <= 0:
        return answer("already at 0 points")
    if needed > weight:
        return answer(
            f"would need {plain(needed)} points (+{plain(margin.change)}), but the row gives at most "
            f"{plain(weight)} (+{plain(weight - points)})"
        )
    if needed < 0:
        return answer(
            f"would need to lose {plain(-margin.change)} points, but the row has only {plain(points)}"
        )
    op, at_weight = rounding_condition(needed, side, ctx.places, ctx.mode)
    # condition on the rule's points at the reference weight
    t = at_weight * Fraction(indicator.reference_weight) / Fraction(weight)
    if row.status == "overridden":
        solution = _award(ctx, indicator, side, op, t, "override")
        note = f"overridden ({row.reason}): the points are the evaluator's, not computed from the data"
        return answer(note, needed, (), [solution] if solution else ())
    rule = indicator.rule
    if isinstance(rule, JudgmentRule):
        solution = _award(ctx, indicator, side, op, t, "judgment")
        if solution is None:
            return answer("judged: no award within 0 to the weight gives enough points", needed)
        return answer(None, needed, (), [solution])
    if isinstance(rule, CasesRule):
        return answer(_cases_note(rule, op, t), needed)
    if isinstance(rule, ChecklistRule):
        solutions = _checklist(ctx, indicator, row, side, op, t)
        note = None if solutions else "checklist: no change of its items gives enough points"
        return answer(note, needed, (), solutions)
    value = row.value
    assert isinstance(value, Decimal)
    with decimal.localcontext(CONTEXT):
        env = ctx.env(ctx.unit.values)
        if isinstance(rule, DeductRule):
            raw = _deduct_targets(rule, op, t)
        elif isinstance(rule, RatioRule):
            raw = _ratio_targets(rule, op, t, env)
        elif isinstance(rule, LinearRule):
            raw = _linear_targets(rule, op, t)
        elif isinstance(rule, BandsRule):
            raw = _bands_targets(rule, op, t, value)
        else:  # pragma: no cover - every rule kind is handled above
            return answer(f"{rule.kind} rule: not invertible", needed)
    if isinstance(raw, str):
        return answer(raw, needed)
    targets = [
        ValueTarget(target_op, _dec(bound), _exact(bound), _dec(bound - Fraction(value)), piece)
        for target_op, bound, piece in raw
    ]
    solutions, unscorable = _inputs(ctx, indicator, side, needed, raw)
    notes = []
    if not solutions and indicator.needs_inputs:
        notes.append("no single input reaches it within its declared range")
    if unscorable:
        notes.append(f"at {', '.join(unscorable)} another row cannot be scored")
    return answer("; ".join(notes) or None, needed, targets, solutions)


def _cases_note(rule: CasesRule, op: Op, t: Fraction) -> str:
    good = [
        f"case {i + 1}{' ' + repr(label) if label else ''} ({cond.text if cond else '?'}) {plain(points)}"
        for i, (cond, points, label) in enumerate(rule.cases)
        if _holds(Fraction(points), op, t)
    ]
    if _holds(Fraction(rule.otherwise), op, t):
        good.append(f"otherwise {plain(rule.otherwise)}")
    want = "at least" if op in ("≥", ">") else "at most"
    if not good:
        return f"cases rule (not invertible): no case gives {want} the points needed"
    return f"cases rule (not invertible): the data would need to meet {'; '.join(good)}"


def _award(
    ctx: _Context,
    indicator: Indicator,
    side: Side,
    op: Op,
    t: Fraction,
    kind: Literal["judgment", "override"],
) -> Solution | None:
    """The points an evaluator would need to award (judgment or override, at the reference weight)."""
    q = Fraction(ctx.quantum)
    if side == "up":
        k = math.ceil(t / q) if _closed(op) else math.floor(t / q) + 1
    else:
        k = math.floor(t / q) if _closed(op) else math.ceil(t / q) - 1
    award = _dec(k * q)
    reference = indicator.reference_weight
    if award < 0 or award > reference:
        return None
    unit = ctx.unit
    if kind == "override":
        current_award = unit.overrides[indicator.id]
        changed = {**unit.overrides, indicator.id: Award("override", award, current_award.reason)}
        before = {
            **unit.overrides,
            indicator.id: Award(
                "override", award - ctx.quantum * (1 if side == "up" else -1), current_award.reason
            ),
        }
        result = ctx.evaluate_with(overrides=changed)
        previous = ctx.evaluate_with(overrides=before)
        tier_note = tier = None
    else:
        rule = indicator.rule
        assert isinstance(rule, JudgmentRule)
        current_award = unit.judgments[indicator.id]
        tier = _tier_for(rule, award, current_award.tier, side)
        step_back = award - ctx.quantum * (1 if side == "up" else -1)
        back_tier = _tier_for(rule, step_back, current_award.tier, side)
        result = ctx.evaluate_with(
            judgments={**unit.judgments, indicator.id: Award(tier, award, current_award.reason)}
        )
        previous = ctx.evaluate_with(
            judgments={**unit.judgments, indicator.id: Award(back_tier, step_back, current_award.reason)}
        )
        low, high = rule.tiers[current_award.tier]
        inside = low <= award <= high
        tier_note = (
            f"within tier '{tier}' ({plain(low)}–{plain(high)})"
            if inside
            else f"beyond tier '{current_award.tier}' ({plain(low)}–{plain(high)}): tier '{tier}'"
        )
    if result is None:
        return None
    verified = ctx.crossed(result.grade, side) and previous is not None and previous.grade == ctx.grade
    return Solution(
        kind,
        (Assignment(f"{kind} points", current_award.points, award),),
        ctx.places,
        result.grade or "",
        verified,
        ctx.moved(result, indicator.id),
        None,
        tier_note,
        tier,
    )


def _tier_for(rule: JudgmentRule, points: Decimal, current: str, side: Side) -> str:
    """The current tier if it allows the points, else the nearest tier that does."""
    low, high = rule.tiers[current]
    if low <= points <= high:
        return current
    fitting = [label for label, (low, high) in rule.tiers.items() if low <= points <= high]
    if not fitting:
        return current
    return fitting[-1] if side == "up" else fitting[0]  # tiers run highest first


def _checklist(
    ctx: _Context, indicator: Indicator, row: IndicatorResult, side: Side, op: Op, t: Fraction
) -> list[Solution]:
    rule = indicator.rule
    assert isinstance(rule, ChecklistRule)
    values = ctx.unit.values
    current = Fraction(row.points_exact or 0) * Fraction(indicator.reference_weight) / Fraction(row.weight)
    want = side == "up"
    candidates = [(name, points) for name, points, _ in rule.items if bool(values[name]) != want]
    sign = 1 if want else -1

    def enough(total: Fraction) -> bool:
        return _holds(current + sign * total, op, t)

    singles = [[item] for item in candidates if enough(Fraction(item[1]))]
    choices: list[list[tuple[str, Decimal]]] = singles
    if not singles:
        chosen: list[tuple[str, Decimal]] = []
        for item in sorted(candidates, key=lambda item: -item[1]):
            chosen.append(item)
            if enough(sum((Fraction(p) for _, p in chosen), Fraction(0))):
                choices = [chosen]
                break
    solutions = []
    for choice in choices:
        new_values = {**values, **{name: want for name, _ in choice}}
        result = ctx.evaluate_with(values=new_values)
        if result is None:
            continue
        solutions.append(
            Solution(
                "checklist",
                tuple(Assignment(name, not want, want) for name, _ in choice),
                None,
                result.grade or "",
                ctx.crossed(result.grade, side),
                ctx.moved(result, indicator.id),
                None,
                None if len(choice) == 1 else "all of these together",
            )
        )
    return solutions


def _inputs(
    ctx: _Context,
    indicator: Indicator,
    side: Side,
    needed: Decimal,
    targets: list[tuple[Op, Fraction, str | None]],
) -> tuple[list[Solution], list[str]]:
    """For each input behind the indicator: the nearest value (each way) at which the row gets ``needed``;
    and the answers dropped because another row cannot be scored there."""
    values = ctx.unit.values
    up = side == "up"

    def row_ok(changed: Mapping[str, Any]) -> bool:
        points = ctx.row_points(indicator, changed)
        return points >= needed if up else points <= needed

    solutions: list[Solution] = []
    unscorable: list[str] = []  # answers at which another row cannot be scored
    for name in sorted(indicator.needs_inputs):
        current = values.get(name)
        if isinstance(current, bool):
            flipped = {**values, name: not current}
            try:
                ok = row_ok(flipped)
            except _FAILURES:
                ok = False
            flip = _verify_flip(ctx, indicator, name, current, side) if ok else None
            if flip is not None:
                solutions.append(flip)
            elif ok:
                unscorable.append(f"{name} = {'false' if current else 'true'}")
            continue
        if not isinstance(current, Decimal):
            continue
        places, step = ctx.input_step(name)
        declared = ctx.set.inputs[name]
        reads_rule = name in ctx.rule_inputs[indicator.id]

        def with_input(x: Decimal, name: str = name) -> dict[str, Any]:
            return {**values, name: x}

        def row_at(x: Decimal) -> bool:
            return row_ok(with_input(x))

        def row_search(
            direction: int,
            current: Decimal = current,
            step: Decimal = step,
            low: Decimal | None = declared.min,
            high: Decimal | None = declared.max,
        ) -> Decimal | None:
            x = search(current, direction, step, row_at, low, high)
            return x if x is not None and not _safe(row_at, x - direction * step) else None

        for direction in (1, -1):
            found: Decimal | None = None
            if reads_rule:  # the points move without the value (a ratio's target): search the points
                found = row_search(direction)
            for target_op, bound, _ in () if reads_rule else targets:

                def value_ok(x: Decimal, op: Op = target_op, bound: Fraction = bound) -> bool:
                    value = ctx.value_of(indicator, with_input(x))
                    return isinstance(value, Decimal) and _holds(Fraction(value), op, bound)

                x = search(current, direction, step, value_ok, declared.min, declared.max)
                if x is not None and not (_safe(row_at, x) and not _safe(row_at, x - direction * step)):
                    # the value reaches the bound but the row's points disagree (a narrow band overshot,
                    # or the engine's 50-digit rounding at the bound): search the points themselves
                    x = row_search(direction)
                if x is not None and (found is None or abs(x - current) < abs(found - current)):
                    found = x
            if found is not None:
                solution = _verify_input(ctx, indicator, name, current, found, direction, places, step, side)
                if solution is None:
                    unscorable.append(f"{name} = {plain(found)}")
                else:
                    solutions.append(solution)
    solutions.sort(key=lambda s: (not s.verified, abs(s.changes[0].change or ZERO) if s.changes else ZERO))
    return solutions, unscorable


def _safe(predicate: Callable[[Decimal], bool], x: Decimal) -> bool:
    try:
        with decimal.localcontext(CONTEXT):
            return predicate(x)
    except _FAILURES:
        return False


def _verify_flip(
    ctx: _Context, indicator: Indicator, name: str, current: bool, side: Side
) -> Solution | None:
    """The whole unit evaluated with a boolean input flipped (None when it cannot be scored then)."""
    result = ctx.evaluate_with(values={**ctx.unit.values, name: not current})
    if result is None:
        return None
    return Solution(
        "flip",
        (Assignment(name, current, not current),),
        None,
        result.grade or "",
        ctx.crossed(result.grade, side),
        ctx.moved(result, indicator.id),
    )


def _verify_input(
    ctx: _Context,
    indicator: Indicator,
    name: str,
    current: Decimal,
    new: Decimal,
    direction: int,
    places: int,
    step: Decimal,
    side: Side,
) -> Solution | None:
    """Evaluate the whole unit at the answer and one step before it (None when it cannot be scored there).

    When the input also moves other rows and the unit's grade does not change exactly there, the input is
    searched again on the unit's grade, for :attr:`Solution.unit_crossing`.
    """
    values = ctx.unit.values

    def grade_at(x: Decimal) -> str | None:
        result = ctx.evaluate_with(values={**values, name: x})
        return result.grade if result is not None else None

    result = ctx.evaluate_with(values={**values, name: new})
    if result is None:
        return None
    grade = result.grade
    ok = ctx.crossed(grade, side) and grade_at(new - direction * step) == ctx.grade
    moves = ctx.moved(result, indicator.id)
    crossing = None
    if not ok and moves:
        declared = ctx.set.inputs[name]
        crossing = search(
            current,
            direction,
            step,
            lambda x: ctx.crossed(ctx.grade_with_input(name, x), side),
            declared.min,
            declared.max,
        )
        if crossing is not None and not (
            ctx.crossed(grade_at(crossing), side) and grade_at(crossing - direction * step) == ctx.grade
        ):
            crossing = None  # the fast path and the full evaluation disagree: report nothing unverified
    return Solution(
        "input", (Assignment(name, current, new),), places, grade or "", ok, moves, crossing, None
    )


def unit_margins(
    indicator_set: IndicatorSet,
    unit: Unit,
    result: Result | None = None,
    places: Mapping[str, int] | None = None,
) -> UnitMargins:
    """Margins of one unit to the next grade up and down, and each indicator's way across.

    ``places`` sets the precision (decimals) to search a number input in, by input name; by default the
    decimals the unit's figure is written with (1 for integer inputs). See the module docstring.
    """
    if unit.indicator_set is not indicator_set:
        unit = unit.bind(indicator_set)
    result = result if result is not None else evaluate(indicator_set, unit)
    require_complete([result], "grade margins")
    ctx = _Context(indicator_set, unit, result, places or {})
    up, down = _grade_margin(ctx, "up"), _grade_margin(ctx, "down")
    rows = []
    for indicator in indicator_set.indicators:
        row = ctx.rows[indicator.id]
        rows.append(_indicator_margin(ctx, indicator, row, "up", up))
        rows.append(_indicator_margin(ctx, indicator, row, "down", down))
    assert result.total is not None
    return UnitMargins(
        result.unit, ctx.grade, result.total, result.row_sum, result.scale, up, down, tuple(rows)
    )


def margins(
    cohort: Cohort, places: Mapping[str, int] | None = None, results: Sequence[Result] | None = None
) -> list[UnitMargins]:
    """:func:`unit_margins` for every unit of the cohort (all must be complete)."""
    results = list(results) if results is not None else cohort.evaluate()
    require_complete(results, "grade margins")
    return [
        unit_margins(cohort.indicator_set, unit, result, places)
        for unit, result in zip(cohort.units, results, strict=True)
    ]


# --- output ------------------------------------------------------------------------------------------


def margins_dict(reports: Sequence[UnitMargins], indicator_set: IndicatorSet) -> dict[str, Any]:
    """Plain data for JSON: the set, then each unit's margins (numbers stay exact Decimals)."""
    return {
        "set": {"id": indicator_set.id, "version": indicator_set.version, "sha256": indicator_set.sha256},
        "units": [report.to_dict() for report in reports],
    }


def margins_json(reports: Sequence[UnitMargins], indicator_set: IndicatorSet, indent: int | None = 2) -> str:
    """JSON text; decimals written as exact numbers."""
    return to_json(margins_dict(reports, indicator_set), indent)


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + plain(abs(value))


def _margin_line(margin: GradeMargin | None, side: Side, places: int, total_places: int) -> str:
    if margin is None:
        return f"  {side:<5} already in the {'top' if side == 'up' else 'lowest'} grade"
    room = (
        ""
        if margin.reachable
        else f"  (more than the rows can {'gain' if side == 'up' else 'lose'}: {plain(margin.room)})"
    )
    return (
        f"  {side:<5} {margin.grade}: {_signed(margin.change)} points "
        f"(rows {format(round_to(margin.row_sum, places), 'f')} → total "
        f"{format(round_to(margin.total, total_places), 'f')}){room}"
    )


def _indicator_text(item: IndicatorMargin) -> str:
    parts: list[str] = []
    if item.needed is not None:
        parts.append(f"needs {'≥' if item.side == 'up' else '≤'} {plain(item.needed)} points")
    if item.targets:
        parts.append(" or ".join(str(t) for t in item.targets))
    if item.solutions:
        parts.append("; ".join(str(s) for s in item.solutions))
    if item.note:
        parts.append(item.note)
    return ": ".join(parts[:1]) + ("; " + "; ".join(parts[1:]) if len(parts) > 1 else "") if parts else ""


def margins_table(reports: Sequence[UnitMargins], indicator_set: IndicatorSet) -> str:
    """Plain text: per unit the margins up and down, then each indicator's way across."""
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    blocks = []
    for report in reports:
        lines = [
            f"{report.unit} — total {format(round_to(report.total, total_places), 'f')}, grade {report.grade} "
            f"(rows {format(round_to(report.row_sum, places), 'f')}"
            + (f", rescaled × {shown(report.scale)}" if report.scale is not None else "")
            + ")",
            _margin_line(report.up, "up", places, total_places),
            _margin_line(report.down, "down", places, total_places),
            "",
        ]
        seen: set[str] = set()
        for item in report.indicators:
            if (report.up if item.side == "up" else report.down) is None:
                continue  # the unit line says it: already in the top (lowest) grade
            if item.id not in seen:
                seen.add(item.id)
                points = "—" if item.points is None else format(round_to(item.points, places), "f")
                value = ""
                if isinstance(item.value, Decimal):
                    value = f", value {shown(item.value)}"
                lines.append(
                    f"  {item.id} {item.label if item.label != item.id else ''} ({item.rule}) "
                    f"{points} of {plain(item.weight)}{value}".replace("  (", " (")
                )
            lines.append(f"    {item.side:<5} {_indicator_text(item)}")
        blocks.append("\n".join(lines))
    legend = "✓ = verified by evaluating the unit with the change: the grade changes there and not one step before."
    return "\n\n".join(blocks) + "\n\n" + legend + "\n"


def margins_csv(reports: Sequence[UnitMargins]) -> str:
    """One row per unit margin and per indicator solution (an indicator without one gets one row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["unit", "grade", "total", "side", "grade_reached", "row_sum_change", "indicator", "rule", "status",
         "points", "needed", "value", "value_targets", "kind", "changes", "places", "grade_after",
         "verified", "also_moves", "unit_crossing", "note"]
    )  # fmt: skip

    def number(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return plain(value) if isinstance(value, Decimal) else str(value)

    for report in reports:
        head = [report.unit, report.grade, plain(report.total)]
        margins_by_side = {"up": report.up, "down": report.down}
        for side, margin in margins_by_side.items():
            writer.writerow(
                [*head, side, margin.grade if margin else "", number(margin.change if margin else None),
                 "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                 "" if margin else f"already in the {'top' if side == 'up' else 'lowest'} grade"]
            )  # fmt: skip
        for item in report.indicators:
            margin = margins_by_side[item.side]
            common = [
                *head, item.side, margin.grade if margin else "", number(margin.change if margin else None),
                item.id, item.rule, item.status, number(item.points), number(item.needed), number(item.value),
                " or ".join(f"{t.op} {plain(t.bound)}" for t in item.targets),
            ]  # fmt: skip
            if not item.solutions:
                writer.writerow([*common, "", "", "", "", "", "", "", item.note or ""])
            for solution in item.solutions:
                writer.writerow(
                    [*common, solution.kind,
                     "; ".join(f"{c.name}={number(c.new)}" for c in solution.changes),
                     number(solution.places), solution.grade, "true" if solution.verified else "false",
                     "; ".join(f"{i}={plain(b)}" for i, _, b in solution.also_moves),
                     number(solution.unit_crossing), solution.note or item.note or ""]
                )  # fmt: skip
    return buffer.getvalue()
