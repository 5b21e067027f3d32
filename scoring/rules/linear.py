"""linear: the share of the weight rises (or falls) in a straight line between two values, clamped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ZERO, plain, shown
from .base import Direction, Op, Rule, RuleContext, Target, english, flip, never, register


class LinearSpec(StrictModel):
    zero_at: Number
    full_at: Number


class LinearShape(StrictModel):
    linear: LinearSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class LinearStep:
    """The points the line gives at the value (clamped to 0 and the weight)."""

    kind: ClassVar[str] = "linear"
    __json__ = ("kind", "points")
    points: Decimal


@register
class LinearRule(Rule):
    """Share rises (or falls) linearly from 0 at ``zero_at`` to 1 at ``full_at``, clamped."""

    kind = "linear"
    shape = LinearShape

    def __init__(self, weight: Decimal, shape: LinearShape, context: RuleContext) -> None:
        super().__init__(weight)
        s = shape.linear
        if s.zero_at == s.full_at:
            context.report("linear-range", "'zero_at' and 'full_at' must differ", ("linear",))
        self.zero_at = s.zero_at
        self.full_at = s.full_at if s.full_at != s.zero_at else s.zero_at + 1

    @property
    def direction(self) -> Direction:
        return "increasing" if self.full_at > self.zero_at else "decreasing"

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, LinearStep]:
        span = self.full_at - self.zero_at
        points = (value - self.zero_at) * self.weight / span
        points = min(max(points, ZERO), self.weight)
        return points, LinearStep(points=points)

    def describe(self, step: LinearStep, texts: Catalogue | None = None) -> str:
        return (texts or english()).text(
            "outcome.linear.share",
            zero_at=plain(self.zero_at),
            full_at=plain(self.full_at),
            share=shown(step.points / self.weight),
        )

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        w = Fraction(self.weight)
        impossible = never(op, t, w)
        if impossible:
            return impossible
        zero_at, full_at = Fraction(self.zero_at), Fraction(self.full_at)
        bound = zero_at + t * (full_at - zero_at) / w
        return [(op if full_at > zero_at else flip(op), bound, None)]
