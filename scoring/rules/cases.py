"""cases: the first condition that holds gives the points; 'otherwise' when none does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from ..fields import Number, StrictModel
from ..formula import Formula
from ..language import Catalogue
from ..numbers import plain
from .base import (
    Direction,
    Op,
    Rule,
    RuleContext,
    Target,
    check_points,
    english,
    holds,
    label_text,
    names_of,
    register,
)


class Case(StrictModel):
    when: str = Field(
        description="Condition; may use inputs, derived names and 'value' (the formula's value)."
    )
    points: Number
    label: str | None = None


class CasesShape(StrictModel):
    cases: list[Case] = Field(min_length=1)
    otherwise: Number = Field(description="Points when no case matches.")


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseStep:
    """The case that matched (counted from 1), or None for 'otherwise'."""

    kind: ClassVar[str] = "cases"
    __json__ = ("kind", "case", "label", "points")
    case: int | None
    label: str | None
    points: Decimal


@dataclass(frozen=True, slots=True)
class _Case:
    condition: Formula | None
    points: Decimal
    label: str | None
    step: CaseStep


@register
class CasesRule(Rule):
    """First matching condition gives the points; ``otherwise`` when none matches."""

    kind = "cases"
    shape = CasesShape
    needs_value = False
    scores_textual = True  # 'value' may be text or a date: conditions compare it, never compute with it

    def __init__(self, weight: Decimal, shape: CasesShape, context: RuleContext) -> None:
        super().__init__(weight)
        self.cases: list[_Case] = []
        for i, case in enumerate(shape.cases):
            condition = context.formula(case.when, ("cases", i, "when"), value=context.has_formula)
            check_points(case.points, weight, ("cases", i, "points"), context)
            step = CaseStep(case=i + 1, label=case.label, points=case.points)
            self.cases.append(_Case(condition, case.points, case.label, step))
        check_points(shape.otherwise, weight, ("otherwise",), context)
        self.otherwise = shape.otherwise
        self._otherwise_step = CaseStep(case=None, label=None, points=shape.otherwise)

    @property
    def direction(self) -> Direction:
        return "none"

    def input_names(self) -> frozenset[str]:
        return names_of(case.condition for case in self.cases)

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, CaseStep]:
        scope = env
        if value is not None:  # 'value' is reserved, so it shadows nothing the unit gave
            scope = dict(env)
            scope["value"] = value
        for case in self.cases:
            if case.condition is not None and case.condition.evaluate(scope):
                return case.points, case.step
        return self.otherwise, self._otherwise_step

    def describe(self, step: CaseStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        if step.case is None:
            return texts.text("outcome.cases.otherwise", points=plain(self.otherwise))
        case = self.cases[step.case - 1]
        return texts.text(
            "outcome.cases.case",
            number=step.case,
            label=label_text(case.label, texts),
            condition=case.condition.text if case.condition is not None else "?",
            points=plain(case.points),
        )

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        """Conditions are not inverted: the answer names the cases that would give enough points."""
        good = [
            f"case {i + 1}{' ' + repr(case.label) if case.label else ''} "
            f"({case.condition.text if case.condition else '?'}) {plain(case.points)}"
            for i, case in enumerate(self.cases)
            if holds(Fraction(case.points), op, t)
        ]
        if holds(Fraction(self.otherwise), op, t):
            good.append(f"otherwise {plain(self.otherwise)}")
        want = "at least" if op in ("≥", ">") else "at most"
        if not good:
            return f"cases rule (not invertible): no case gives {want} the points needed"
        return f"cases rule (not invertible): the data would need to meet {'; '.join(good)}"
