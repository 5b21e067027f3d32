"""checklist: the points of each item (a true/false input) that is met, added up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ZERO, plain
from .base import Direction, Rule, RuleContext, RuleFailure, english, register


class ChecklistItem(StrictModel):
    input: str
    points: Number
    label: str | None = None


class ChecklistShape(StrictModel):
    checklist: list[ChecklistItem] = Field(min_length=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistStep:
    """Whether each item (in the order of the rule) was met."""

    kind: ClassVar[str] = "checklist"
    __json__ = ("kind", "met")
    met: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    input: str
    points: Decimal
    label: str | None


@register
class ChecklistRule(Rule):
    """Sum of the points of the items (boolean inputs) that are met."""

    kind = "checklist"
    shape = ChecklistShape
    needs_value = False
    allows_value = False
    margin_way = "items"

    def __init__(self, weight: Decimal, shape: ChecklistShape, context: RuleContext) -> None:
        super().__init__(weight)
        total = ZERO
        for i, item in enumerate(shape.checklist):
            if item.points <= 0:
                context.report("checklist-points", "item points must be above 0", ("checklist", i, "points"))
            total += item.points
        if total != weight:
            context.report(
                "checklist-sum",
                f"checklist points add up to {plain(total)}, not the weight {plain(weight)}",
                ("checklist",),
            )
        self._check_inputs(shape, context)
        self.items = tuple(ChecklistEntry(item.input, item.points, item.label) for item in shape.checklist)

    @staticmethod
    def _check_inputs(shape: ChecklistShape, context: RuleContext) -> None:
        seen: set[str] = set()
        owner = context.indicator_id
        for i, entry in enumerate(shape.checklist):
            name, path = entry.input, ("checklist", i, "input")
            declared = context.input_type(name)
            if declared is None:
                context.report(
                    "unknown-name",
                    f"checklist item of '{owner}' names undeclared input '{name}'",
                    path,
                    context.suggest_input(name) or "declare it under inputs with type: boolean",
                    names_indicator=True,
                )
            elif declared != "boolean":
                message = f"checklist input '{name}' of '{owner}' must have type: boolean"
                context.report("checklist-input", message, path, names_indicator=True)
            if name in seen:
                message = f"checklist of '{owner}' lists input '{name}' twice"
                context.report("checklist-duplicate", message, path, names_indicator=True)
            seen.add(name)

    @property
    def direction(self) -> Direction:
        return "increasing"

    def input_names(self) -> frozenset[str]:
        return frozenset(item.input for item in self.items)

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, ChecklistStep]:
        total = ZERO
        met = []
        for item in self.items:
            ok = env.get(item.input)
            if ok is None:
                raise RuleFailure(f"checklist input '{item.input}' has no value")
            met.append(bool(ok))
            if ok:
                total += item.points
        return total, ChecklistStep(met=tuple(met))

    def describe(self, step: ChecklistStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        met, missed = texts.text("outcome.checklist.met"), texts.text("outcome.checklist.missed")
        parts = [
            texts.text(
                "outcome.checklist.item",
                mark=met if ok else missed,
                label=item.label or item.input,
                got=plain(item.points) if ok else "0",
                points=plain(item.points),
            )
            for item, ok in zip(self.items, step.met, strict=True)
        ]
        return texts.text("outcome.checklist.separator").join(parts)
