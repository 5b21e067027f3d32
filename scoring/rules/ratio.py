"""ratio: points in proportion to value / target (or target / value when lower is better), capped at full."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ONE, ZERO, plain, shown
from .base import Direction, Op, Rule, RuleContext, RuleFailure, Target, english, flip, never, register


class RatioSpec(StrictModel):
    target: Number | str = Field(
        description="The target (指标值): a number, or a formula read from the unit's data (e.g. an input)."
    )
    lower_better: bool = False


class RatioShape(StrictModel):
    ratio: RatioSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class RatioStep:
    """The target the value was compared with, and the points that gave."""

    kind: ClassVar[str] = "ratio"
    __json__ = ("kind", "target", "points")
    target: Decimal
    points: Decimal


@register
class RatioRule(Rule):
    """Share = min(value / target, 1), or min(target / value, 1) when lower is better.

    The target is a number, or a formula (typically an input) when each unit has its own target.
    """

    kind = "ratio"
    shape = RatioShape

    def __init__(self, weight: Decimal, shape: RatioShape, context: RuleContext) -> None:
        super().__init__(weight)
        s = shape.ratio
        self.target = ONE
        self.target_formula = None
        if isinstance(s.target, str):
            self.target_formula = context.formula(s.target, ("ratio", "target"))
        elif s.target <= 0:
            context.report(
                "ratio-target", f"target must be above 0, not {plain(s.target)}", ("ratio", "target")
            )
        else:
            self.target = s.target
        self.lower_better = s.lower_better

    @property
    def direction(self) -> Direction:
        return "decreasing" if self.lower_better else "increasing"

    def input_names(self) -> frozenset[str]:
        return self.target_formula.names if self.target_formula is not None else frozenset()

    def target_for(self, env: Mapping[str, Any]) -> Decimal:
        """The target for this unit (its own when the target is a formula)."""
        if self.target_formula is None:
            return self.target
        target = self.target_formula.evaluate(env)
        if target.__class__ is not Decimal or target <= 0:
            raise RuleFailure(
                f"the target {self.target_formula.text} is {target}; it must be a number above 0"
            )
        return target

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, RatioStep]:
        target = self.target_for(env)
        # points = share × weight, computed with the division last so exact results stay exact
        if self.lower_better:
            points = self.weight if value <= target else target * self.weight / value
        elif value <= 0:
            points = ZERO
        else:
            points = self.weight if value >= target else value * self.weight / target
        return points, RatioStep(target=target, points=points)

    def describe(self, step: RatioStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        formula = texts.text(
            "outcome.ratio.lower_better" if self.lower_better else "outcome.ratio.higher_better"
        )
        return texts.text(
            "outcome.ratio.share",
            formula=formula,
            target=shown(step.target),
            share=shown(step.points / self.weight),
        )

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        w = Fraction(self.weight)
        impossible = never(op, t, w)
        if impossible:
            return impossible
        target = Fraction(self.target_for(env))
        if not self.lower_better:  # points = value × weight / target, capped
            return [(op, t * target / w, None)]
        if t <= 0:  # lower is better: points = target × weight / value never reach 0
            return "the rule never gives 0 points (lower is better: target / value stays above 0)"
        return [(flip(op), target * w / t, None)]
