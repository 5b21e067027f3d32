"""One unit under study: its evaluation, and re-evaluating it with changed data, row by row or whole."""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...engine import (
    FAILURES,
    at_weight,
    environment,
    evaluate,
    number_or_bool,
    rounded_total,
    score_indicator,
)
from ...engine.result import Result
from ...errors import EvaluationError
from ...model.indicator_set import Indicator, IndicatorSet
from ...model.names import names_behind
from ...model.sums import parts_behind, resum
from ...model.unit import Unit
from ...numbers import CONTEXT, ONE, ZERO, quantum_for, round_to, written_places
from ...rules import Op
from .results import GradeMargin, MovedRow, Side
from .search import first_true


class UnitContext:
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
        derived = dict(indicator_set.derived)
        #: indicator id → the inputs its rule itself reads (a ratio's target), through derived names
        self.rule_inputs = {
            indicator.id: names_behind(indicator.rule.input_names() - {"value"}, derived)[0]
            for indicator in indicator_set.indicators
        }
        #: input name → the scored rows that read it (directly or through derived names)
        self.readers: dict[str, list[Indicator]] = {}
        for indicator in indicator_set.indicators:
            if self.rows[indicator.id].status == "scored":
                for name in self.inputs_of(indicator):
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
    def inputs_of(self, indicator: Indicator) -> set[str]:
        """The figures of the unit behind the indicator: its inputs, a total the unit did not give replaced by
        the parts it was summed from."""
        return parts_behind(self.set.totals, self.unit.summed, indicator.needs_inputs)

    def env(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The values with their totals summed again and the derived names computed (those that fail left
        out)."""
        return environment(self.set, resum(self.set.totals, self.unit.summed, values))[0]

    def row_points(self, indicator: Indicator, values: Mapping[str, Any]) -> Decimal:
        """The row's rounded points with these input values (raises when the row cannot be scored)."""
        with decimal.localcontext(CONTEXT):
            _, reference_points, _ = score_indicator(indicator, self.env(values), self.unit)
            exact = at_weight(reference_points, indicator.weight, indicator.reference_weight)
            return round_to(exact, self.places, self.mode)

    def value_of(self, indicator: Indicator, values: Mapping[str, Any]) -> Any:
        assert indicator.formula is not None
        with decimal.localcontext(CONTEXT):
            return number_or_bool(indicator.formula.evaluate(self.env(values)))

    def input_step(self, name: str) -> tuple[int, Decimal]:
        """(decimals, step) a number input is searched in: 1 for integers, else its written precision or the
        decimals asked for."""
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
        if "values" in changes:
            changes["values"] = resum(self.set.totals, self.unit.summed, changes["values"])
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
        except FAILURES:
            return None
        return self.grade_at(row_sum)

    def moved(self, other: Result, indicator_id: str) -> tuple[MovedRow, ...]:
        """The other rows whose points differ in ``other``."""
        return tuple(
            MovedRow(id=row.id, points_before=before.points, points_after=row.points)
            for before, row in zip(self.result.indicators, other.indicators, strict=True)
            if row.id != indicator_id
            and before.points is not None
            and row.points is not None
            and row.points != before.points
        )


def rounding_condition(needed: Decimal, side: Side, places: int, mode: str) -> tuple[Op, Fraction]:
    """Exact points x ≥ 0 round (to ``places``, ``mode``) to at least (up) / at most (down) ``needed`` iff
    ``x op bound``."""
    need, q = Fraction(needed), Fraction(quantum_for(places))
    half = q / 2
    even = (need / q).numerator % 2 == 0
    conditions: dict[str, tuple[Op, Fraction]]
    if side == "up":
        conditions = {
            "half_up": ("≥", need - half),
            "half_even": ("≥" if even else ">", need - half),
            "down": ("≥", need),
            "up": (">", need - q),
        }
    else:
        conditions = {
            "half_up": ("<", need + half),
            "half_even": ("≤" if even else "<", need + half),
            "down": ("<", need + q),
            "up": ("≤", need),
        }
    return conditions[mode]


def grade_margin(ctx: UnitContext, side: Side) -> GradeMargin | None:
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

        if not crosses(steps):  # cannot happen: full marks reach the top grade, zero the bottom one
            return None
        high = first_true(0, steps, crosses)
        assert crosses(high) and not crosses(high - 1)  # by construction: here, and not one step before
        new_sum = row_sum + sign * high * q
        room = ZERO
        for row in result.indicators:
            if row.status in ("scored", "judged") and row.points is not None:
                room += (row.weight - row.points) if side == "up" else row.points
        return GradeMargin(
            side=side,
            grade=ctx.grade_at(new_sum),
            change=new_sum - row_sum,
            row_sum=new_sum,
            total=ctx.total_for(new_sum),
            room=room,
        )
