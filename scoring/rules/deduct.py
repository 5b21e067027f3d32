"""deduct: full marks within a limit — or between two, or within a tolerance of a target (= 100%, either side
loses) — points off per step beyond it, floored at zero (扣完为止)."""

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
    target: Number | None = Field(
        None, description="Full marks at this value (within 'tolerance'); deduct beyond it on either side."
    )
    tolerance: Number | None = Field(
        None,
        description="With 'target': full marks from target − tolerance to target + tolerance (default 0).",
    )
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
    value is within the limit); ``below``: beyond the lower limit (``under``) rather than the upper one."""

    kind: ClassVar[str] = "deduct"
    __json__ = ("kind", "within", "excess", "steps", "deduction", "below")
    excess: Decimal | None = None
    steps: Decimal | None = None
    deduction: Decimal | None = None
    below: bool = False

    @property
    def within(self) -> bool:
        return self.excess is None


_WITHIN = DeductStep()


@register
class DeductRule(Rule):
    """Full marks within a limit (or between two); ``points`` off per ``per`` beyond it, floored at zero
    (扣完为止)."""

    kind = "deduct"
    shape = DeductShape

    def __init__(self, weight: Decimal, shape: DeductShape, context: RuleContext) -> None:
        super().__init__(weight)
        s = shape.deduct
        #: The limits: full marks from ``lower`` to ``upper`` (either may be None: no limit that side).
        self.lower, self.upper = _limits(s, context)
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
        self.per = s.per if s.per > 0 else ONE
        self.points = s.points
        self.steps = s.steps

    @property
    def direction(self) -> Direction:
        if self.upper is not None and self.lower is not None:
            return "none"  # two-sided: points rise to the band, then fall
        return "decreasing" if self.upper is not None else "increasing"

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, DeductStep]:
        below = False
        if self.upper is not None and value > self.upper:
            excess = value - self.upper
        elif self.lower is not None and value < self.lower:
            excess, below = self.lower - value, True
        else:
            return self.weight, _WITHIN
        if self.steps == "exact":
            steps = excess / self.per
            deduction = excess * self.points / self.per  # one division, last: exact whenever the result is
        else:
            rounding = decimal.ROUND_FLOOR if self.steps == "whole" else decimal.ROUND_CEILING
            steps = (excess / self.per).to_integral_value(rounding=rounding)
            deduction = steps * self.points
        points = max(self.weight - deduction, ZERO)
        return points, DeductStep(excess=excess, steps=steps, deduction=deduction, below=below)

    def describe(self, step: DeductStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        if step.excess is None or step.steps is None or step.deduction is None:
            return self._within(texts)
        counted = texts.text(f"outcome.deduct.{self.steps}_{'one' if step.steps == 1 else 'many'}")
        floored = texts.text("outcome.deduct.floored") if step.deduction > self.weight else ""
        limit = self.lower if step.below else self.upper
        return texts.text(
            "outcome.deduct.under" if step.below else "outcome.deduct.over",
            excess=shown(step.excess),
            limit=plain(limit if limit is not None else ZERO),
            steps=shown(step.steps),
            counted=counted,
            per=plain(self.per),
            points=plain(self.points),
            deduction=shown(step.deduction),
            floored=floored,
        )

    def _within(self, texts: Catalogue) -> str:
        lower, upper = self.lower, self.upper
        if lower is not None and upper is not None:
            if lower == upper:
                return texts.text("outcome.deduct.on_target", target=plain(lower))
            return texts.text("outcome.deduct.between", under=plain(lower), over=plain(upper))
        if upper is not None:
            return texts.text("outcome.deduct.within", op="≤", limit=plain(upper))
        return texts.text("outcome.deduct.within", op="≥", limit=plain(lower if lower is not None else ZERO))

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        w, per, points = Fraction(self.weight), Fraction(self.per), Fraction(self.points)
        impossible = never(op, t, w)
        if impossible:
            return impossible
        up = op in ("≥", ">")
        excess, excess_closed = self._excess_bound(up, closed(op), w - t, per, points)
        # excess ≤ c (up) or ≥ c (down)
        excess_op: Op = ("≤" if excess_closed else "<") if up else ("≥" if excess_closed else ">")
        targets: list[Target] = []
        value_at = Fraction(value)
        # excess = value − upper above the band, lower − value below it
        if self.upper is not None and not (up and self.lower is not None and value_at < self.lower):
            targets.append((excess_op, Fraction(self.upper) + excess, None))
        if self.lower is not None and not (up and self.upper is not None and value_at > self.upper):
            targets.append((flip(excess_op), Fraction(self.lower) - excess, None))
        # more points: back toward the band on the side the value is (both at once are not alternatives);
        # fewer points: far enough beyond either limit
        return sorted(targets, key=lambda target: abs(target[1] - value_at))

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


def _limits(s: DeductSpec, context: RuleContext) -> tuple[Decimal | None, Decimal | None]:
    """(lower, upper): from 'under' and 'over', or from 'target' ± 'tolerance'; problems reported."""
    if s.target is not None:
        if s.over is not None or s.under is not None:
            context.report("deduct-limit", "use either 'target' or 'over'/'under', not both", ("deduct",))
        tolerance = s.tolerance if s.tolerance is not None else ZERO
        if tolerance < 0:
            message = f"'tolerance' must be 0 or more, not {plain(tolerance)}"
            context.report("deduct-tolerance", message, ("deduct", "tolerance"))
            tolerance = ZERO
        return s.target - tolerance, s.target + tolerance
    if s.tolerance is not None:
        context.report(
            "deduct-tolerance",
            "'tolerance' is only for a 'target'",
            ("deduct", "tolerance"),
            "write target: and tolerance:, or the limits under: and over:",
        )
    if s.over is None and s.under is None:
        context.report("deduct-limit", "deduct needs 'over', 'under', both, or 'target'", ("deduct",))
    elif s.over is not None and s.under is not None and s.under > s.over:
        context.report(
            "deduct-limit",
            f"'under' {plain(s.under)} is above 'over' {plain(s.over)}: no value gets full marks",
            ("deduct", "under"),
            "full marks lie from 'under' up to 'over'",
        )
    return s.under, s.over
