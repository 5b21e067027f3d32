"""Rows whose points are not a value's: what an evaluator would need to award (judged and overridden rows),
and which checklist items would need to change."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ...engine.result import IndicatorResult, Result
from ...model.indicator_set import Indicator
from ...model.unit import Override
from ...numbers import from_fraction, plain
from ...rules import Op
from ...rules.base import closed, holds
from ...rules.checklist import ChecklistRule
from ...rules.judgment import Award, JudgmentRule
from .context import UnitContext
from .results import Assignment, Note, Side, Solution
from .results import note as _note


def award(
    ctx: UnitContext,
    indicator: Indicator,
    side: Side,
    op: Op,
    t: Fraction,
    kind: Literal["judgment", "override"],
) -> Solution | None:
    """The points an evaluator would need to award (judgment or override, at the reference weight)."""
    q = Fraction(ctx.quantum)
    if side == "up":
        k = math.ceil(t / q) if closed(op) else math.floor(t / q) + 1
    else:
        k = math.floor(t / q) if closed(op) else math.ceil(t / q) - 1
    points = from_fraction(k * q)
    if points < 0 or points > indicator.reference_weight:
        return None
    step_back = points - ctx.quantum * (1 if side == "up" else -1)
    if kind == "override":
        current: Decimal = ctx.unit.overrides[indicator.id].points
        result, previous = _with_override(ctx, indicator, points), _with_override(ctx, indicator, step_back)
        tier, note = None, Note(None)
    else:
        rule = indicator.rule
        assert isinstance(rule, JudgmentRule)
        given = ctx.unit.judgments[indicator.id]
        current = given.points
        tier = rule.tier_for(points, given.tier, side)
        result = _with_judgment(ctx, indicator, Award(tier=tier, points=points, reason=given.reason))
        back_tier = rule.tier_for(step_back, given.tier, side)
        previous = _with_judgment(
            ctx, indicator, Award(tier=back_tier, points=step_back, reason=given.reason)
        )
        note = _tier_note(rule, given.tier, tier, points)
    if result is None:
        return None
    verified = ctx.crossed(result.grade, side) and previous is not None and previous.grade == ctx.grade
    return Solution(
        kind=kind,
        changes=(Assignment(name=f"{kind} points", current=current, new=points),),
        places=ctx.places,
        grade=result.grade or "",
        verified=verified,
        also_moves=ctx.moved(result, indicator.id),
        note=note.english,
        note_key=note.key,
        note_values=note.values,
        tier=tier,
    )


def _tier_note(rule: JudgmentRule, given: str, tier: str, points: Decimal) -> Note:
    """Whether the points awarded stay within the tier the evaluator chose, or move to another."""
    low, high = rule.tiers[given]
    span = {"low": plain(low), "high": plain(high)}
    if low <= points <= high:
        return _note(f"within tier '{tier}' ({plain(low)}–{plain(high)})", "within_tier", tier=tier, **span)
    english = f"beyond tier '{given}' ({plain(low)}–{plain(high)}): tier '{tier}'"
    return _note(english, "beyond_tier", given=given, tier=tier, **span)


def _with_override(ctx: UnitContext, indicator: Indicator, points: Decimal) -> Result | None:
    reason = ctx.unit.overrides[indicator.id].reason
    return ctx.evaluate_with(
        overrides={**ctx.unit.overrides, indicator.id: Override(points=points, reason=reason)}
    )


def _with_judgment(ctx: UnitContext, indicator: Indicator, given: Award) -> Result | None:
    return ctx.evaluate_with(judgments={**ctx.unit.judgments, indicator.id: given})


def checklist(
    ctx: UnitContext, indicator: Indicator, row: IndicatorResult, side: Side, op: Op, t: Fraction
) -> list[Solution]:
    """Each checklist item that alone gives enough points when switched; else the fewest that do together."""
    rule = indicator.rule
    assert isinstance(rule, ChecklistRule)
    values = ctx.unit.values
    current = Fraction(row.points_exact or 0) * Fraction(indicator.reference_weight) / Fraction(row.weight)
    want = side == "up"
    candidates = [(item.input, item.points) for item in rule.items if bool(values[item.input]) != want]
    sign = 1 if want else -1

    def enough(total: Fraction) -> bool:
        return holds(current + sign * total, op, t)

    choices: list[list[tuple[str, Decimal]]] = [[item] for item in candidates if enough(Fraction(item[1]))]
    if not choices:
        chosen: list[tuple[str, Decimal]] = []
        for item in sorted(candidates, key=lambda item: -item[1]):
            chosen.append(item)
            if enough(sum((Fraction(p) for _, p in chosen), Fraction(0))):
                choices = [chosen]
                break
    solutions = []
    for choice in choices:
        result = ctx.evaluate_with(values={**values, **{name: want for name, _ in choice}})
        if result is None:
            continue
        solutions.append(
            Solution(
                kind="checklist",
                changes=tuple(Assignment(name=name, current=not want, new=want) for name, _ in choice),
                places=None,
                grade=result.grade or "",
                verified=ctx.crossed(result.grade, side),
                also_moves=ctx.moved(result, indicator.id),
                note=None if len(choice) == 1 else "all of these together",
                note_key=None if len(choice) == 1 else "together",
            )
        )
    return solutions
