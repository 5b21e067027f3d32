"""Rows scored from figures: the nearest value of each input behind the row at which it gets the points it
needs, each answer verified by evaluating the whole unit there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...engine import FAILURES
from ...model.indicator_set import Indicator
from ...numbers import ZERO, plain
from ...rules import Target
from ...rules.base import holds
from .context import UnitContext
from .results import Assignment, Side, Solution
from .search import safe, search


@dataclass(frozen=True)
class _Row:
    """One row under study, and the points it needs."""

    ctx: UnitContext
    indicator: Indicator
    side: Side
    needed: Decimal

    def ok(self, values: Mapping[str, Any]) -> bool:
        points = self.ctx.row_points(self.indicator, values)
        return points >= self.needed if self.side == "up" else points <= self.needed


def input_solutions(
    ctx: UnitContext, indicator: Indicator, side: Side, needed: Decimal, targets: list[Target]
) -> tuple[list[Solution], list[str]]:
    """For each input behind the indicator: the nearest value (each way) at which the row gets ``needed``;
    and the answers dropped because another row cannot be scored there."""
    row = _Row(ctx, indicator, side, needed)
    solutions: list[Solution] = []
    unscorable: list[str] = []  # answers at which another row cannot be scored
    for name in sorted(ctx.inputs_of(indicator)):
        current = ctx.unit.values.get(name)
        if isinstance(current, bool):
            _flip(row, name, current, solutions, unscorable)
        elif isinstance(current, Decimal):
            for direction in (1, -1):
                found = _nearest(row, name, current, direction, targets)
                if found is None:
                    continue
                solution = _verify_input(row, name, current, found, direction)
                if solution is None:
                    unscorable.append(f"{name} = {plain(found)}")
                else:
                    solutions.append(solution)
    solutions.sort(key=lambda s: (not s.verified, abs(s.changes[0].change or ZERO) if s.changes else ZERO))
    return solutions, unscorable


def _flip(row: _Row, name: str, current: bool, solutions: list[Solution], unscorable: list[str]) -> None:
    """A boolean input flipped, when that gives the row enough points."""
    ctx = row.ctx
    try:
        ok = row.ok({**ctx.unit.values, name: not current})
    except FAILURES:
        ok = False
    if not ok:
        return
    result = ctx.evaluate_with(values={**ctx.unit.values, name: not current})
    if result is None:
        unscorable.append(f"{name} = {'false' if current else 'true'}")
        return
    solutions.append(
        Solution(
            kind="flip",
            changes=(Assignment(name=name, current=current, new=not current),),
            places=None,
            grade=result.grade or "",
            verified=ctx.crossed(result.grade, row.side),
            also_moves=ctx.moved(result, row.indicator.id),
        )
    )


def _nearest(row: _Row, name: str, current: Decimal, direction: int, targets: list[Target]) -> Decimal | None:
    """The nearest value of one input, one way, at which the row gets the points it needs."""
    ctx, indicator = row.ctx, row.indicator
    _, step = ctx.input_step(name)
    declared = ctx.set.inputs[name]

    def with_input(x: Decimal) -> dict[str, Any]:
        return {**ctx.unit.values, name: x}

    def row_at(x: Decimal) -> bool:
        return row.ok(with_input(x))

    def row_search() -> Decimal | None:
        x = search(current, direction, step, row_at, declared.min, declared.max)
        return x if x is not None and not safe(row_at, x - direction * step) else None

    if name in ctx.rule_inputs[indicator.id]:  # the points move without the value (a ratio's target)
        return row_search()
    found: Decimal | None = None
    for op, bound, _ in targets:

        def value_ok(x: Decimal, op: Any = op, bound: Fraction = bound) -> bool:
            value = ctx.value_of(indicator, with_input(x))
            return isinstance(value, Decimal) and holds(Fraction(value), op, bound)

        x = search(current, direction, step, value_ok, declared.min, declared.max)
        if x is not None and not (safe(row_at, x) and not safe(row_at, x - direction * step)):
            # the value reaches the bound but the row's points disagree (a narrow band overshot, or the
            # engine's 50-digit rounding at the bound): search the points themselves
            x = row_search()
        if x is not None and (found is None or abs(x - current) < abs(found - current)):
            found = x
    return found


def _verify_input(row: _Row, name: str, current: Decimal, new: Decimal, direction: int) -> Solution | None:
    """Evaluate the whole unit at the answer and one step before it (None when it cannot be scored there).

    When the input also moves other rows and the unit's grade does not change exactly there, the input is
    searched again on the unit's grade, for :attr:`Solution.unit_crossing`.
    """
    ctx, side = row.ctx, row.side
    places, step = ctx.input_step(name)

    def grade_at(x: Decimal) -> str | None:
        result = ctx.evaluate_with(values={**ctx.unit.values, name: x})
        return result.grade if result is not None else None

    result = ctx.evaluate_with(values={**ctx.unit.values, name: new})
    if result is None:
        return None
    ok = ctx.crossed(result.grade, side) and grade_at(new - direction * step) == ctx.grade
    moves = ctx.moved(result, row.indicator.id)
    crossing = None
    if not ok and moves:
        declared = ctx.set.inputs[name]
        crossing = search(current, direction, step, lambda x: ctx.crossed(ctx.grade_with_input(name, x), side),
                          declared.min, declared.max)  # fmt: skip
        if crossing is not None and not (
            ctx.crossed(grade_at(crossing), side) and grade_at(crossing - direction * step) == ctx.grade
        ):
            crossing = None  # the fast path and the full evaluation disagree: report nothing unverified
    return Solution(
        kind="input",
        changes=(Assignment(name=name, current=current, new=new),),
        places=places,
        grade=result.grade or "",
        verified=ok,
        also_moves=moves,
        unit_crossing=crossing,
    )
