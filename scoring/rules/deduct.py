"""deduct: full marks within a limit, points off per step beyond it, floored at zero (扣完为止)."""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ONE, ZERO, plain, shown
from .base import Direction, Op, Rule, RuleContext, Target, closed, english, flip, never, register


class DeductSpec(StrictModel):
    over: Number | None = Field(None, description="Full marks up to this value; deduct above it.")
    under: Number | None = Field(None, description="Full marks down to this value; deduct below it.")
    per: Number = Field(description="Size of one step beyond the limit.")
    points: Number = Field(description="Points taken off per step (at the declared weight).")
    steps: Literal["whole", "started", "exact"] = Field(
        description="whole: only complete steps count; started: any begun step counts; exact: proportional."
    )


class DeductShape(StrictModel):
    deduct: DeductSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class DeductStep:
    """How far the value went beyond the limit, the steps counted and the points taken off (None when the
    value is within the limit)."""

    kind: ClassVar[str] = "deduct"
    __json__ = ("kind", "within", "excess", "steps", "deduction")
    excess: Decimal | None = None
    steps: Decimal | None = None
    deduction: Decimal | None = None

    @property
    def within(self) -> bool:
        return self.excess is None


_WITHIN = DeductStep()


@register
class DeductRule(Rule):
    """Full marks within a limit; ``points`` off per ``per`` beyond it, floored at zero (扣完为止)."""

    kind = "deduct"
    shape = DeductShape

    def __init__(self, weight: Decimal, shape: DeductShape, context: RuleContext) -> None:
        super().__init__(weight)
        s = shape.deduct
        if (s.over is None) == (s.under is None):
            context.report("deduct-limit", "deduct needs exactly one of 'over' or 'under'", ("deduct",))
        if s.per <= 0:
            context.report("deduct-per", f"'per' must be above 0, not {plain(s.per)}", ("deduct", "per"))
        if s.points <= 0:
            message = f"'points' must be above 0, not {plain(s.points)}"
            context.report("deduct-points", message, ("deduct", "points"))
        elif s.points > weight:
            context.report(
                "deduct-points",
                f"one step takes off {plain(s.points)} points, more than the weight {plain(weight)}",
                ("deduct", "points"),
                "points in a rule are points at the indicator's weight",
            )
        self.over = s.over is not None
        self.limit: Decimal = s.over if s.over is not None else (s.under if s.under is not None else ZERO)
        self.per = s.per if s.per > 0 else ONE
        self.points = s.points
        self.steps = s.steps

    @property
    def direction(self) -> Direction:
        return "decreasing" if self.over else "increasing"

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, DeductStep]:
        excess = value - self.limit if self.over else self.limit - value
        if excess <= 0:
            return self.weight, _WITHIN
        if self.steps == "exact":
            steps = excess / self.per
            deduction = excess * self.points / self.per  # one division, last: exact whenever the result is
        else:
            rounding = decimal.ROUND_FLOOR if self.steps == "whole" else decimal.ROUND_CEILING
            steps = (excess / self.per).to_integral_value(rounding=rounding)
            deduction = steps * self.points
        points = max(self.weight - deduction, ZERO)
        return points, DeductStep(excess=excess, steps=steps, deduction=deduction)

    def describe(self, step: DeductStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        if step.excess is None or step.steps is None or step.deduction is None:
            return texts.text("outcome.deduct.within", op="≤" if self.over else "≥", limit=plain(self.limit))
        counted = texts.text(f"outcome.deduct.{self.steps}_{'one' if step.steps == 1 else 'many'}")
        floored = texts.text("outcome.deduct.floored") if step.deduction > self.weight else ""
        return texts.text(
            "outcome.deduct.over" if self.over else "outcome.deduct.under",
            excess=shown(step.excess),
            limit=plain(self.limit),
            steps=shown(step.steps),
            counted=counted,
            per=plain(self.per),
            points=plain(self.points),
            deduction=shown(step.deduction),
            floored=floored,
        )

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        w, per, points = Fraction(self.weight), Fraction(self.per), Fraction(self.points)
        impossible = never(op, t, w)
        if impossible:
            return impossible
        up = op in ("≥", ">")
        excess, excess_closed = self._excess_bound(up, closed(op), w - t, per, points)
        # excess ≤ c (up) or ≥ c (down); excess = value − limit (over) or limit − value (under)
        excess_op: Op = ("≤" if excess_closed else "<") if up else ("≥" if excess_closed else ">")
        limit = Fraction(self.limit)
        if self.over:
            return [(excess_op, limit + excess, None)]
        return [(flip(excess_op), limit - excess, None)]

    def _excess_bound(
        self, up: bool, closed_op: bool, gap: Fraction, per: Fraction, points: Fraction
    ) -> tuple[Fraction, bool]:
        """The excess (and whether it may be reached) at which the deduction stays within (up) or reaches
        (down) ``gap``."""
        if self.steps == "exact":
            return gap * per / points, closed_op
        if up:
            steps = math.floor(gap / points) if closed_op else math.ceil(gap / points) - 1
            if self.steps == "whole":  # floor(e/per) ≤ k  ⇔  e < (k+1)·per
                return (steps + 1) * per, False
            return steps * per, True  # started: ceil(e/per) ≤ k  ⇔  e ≤ k·per
        steps = math.ceil(gap / points) if closed_op else math.floor(gap / points) + 1
        if self.steps == "whole":  # floor(e/per) ≥ m  ⇔  e ≥ m·per
            return steps * per, True
        return (steps - 1) * per, False  # started: ceil(e/per) ≥ m  ⇔  e > (m−1)·per
