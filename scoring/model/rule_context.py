"""What one indicator's rule sees of the set being built: the place to report its problems, the names its
formulas may read, the inputs' types (the :class:`scoring.rules.RuleContext` a rule kind builds with)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import did_you_mean
from ..formats.set_format import IndicatorSpec
from ..formula import TEXTUAL, Formula, Kind, parse_formula

if TYPE_CHECKING:
    from .build import SetBuilder

Path_ = tuple[str | int, ...]


class BuildingRuleContext:
    """What one indicator's rule sees of the set being built (see :class:`scoring.rules.RuleContext`)."""

    def __init__(self, builder: SetBuilder, item: IndicatorSpec, base: Path_) -> None:
        self.builder = builder
        self.item = item
        self.base = base

    @property
    def indicator_id(self) -> str:
        return self.item.id

    @property
    def has_formula(self) -> bool:
        return self.item.formula is not None

    def report(
        self,
        code: str,
        message: str,
        path: Path_,
        hint: str | None = None,
        *,
        names_indicator: bool = False,
    ) -> None:
        text = message if names_indicator else f"{message} (indicator '{self.item.id}')"
        self.builder.report(code, text, (*self.base, "rule", *path), self.item.id, hint)

    @property
    def value_kind(self) -> str | None:
        if self.item.formula is None:
            return None
        # compiled again for its kind alone: its problems are the builder's, reported once
        formula, _ = parse_formula(self.item.formula, self.builder.names)
        return formula.kind if formula is not None else None

    def formula(self, text: str, path: Path_, *, value: bool = False) -> Formula | None:
        # 'value' is of the formula's kind when that is text or a date, so a condition cannot do sums on it
        kind: Kind = "any"
        if value and self.value_kind in TEXTUAL:
            kind = "text" if self.value_kind == "text" else "date"
        allowed: dict[str, Kind] = {**self.builder.names, "value": kind} if value else self.builder.names
        formula = self.builder.formula(text, (*self.base, "rule", *path), self.item.id, allowed)
        if formula is not None and formula.kind in TEXTUAL:  # a condition or a target, never text itself
            message = f"'{formula.text}' gives {formula.kind}, where a number or true/false is needed"
            self.report("formula-type", message, path, "a text can only be compared: status == '达成'")
            return None
        return formula

    def input_type(self, name: str) -> str | None:
        declared = self.builder.model.inputs.get(name)
        return declared.type if declared is not None else None

    def suggest_input(self, name: str) -> str | None:
        return did_you_mean(name, self.builder.model.inputs)
