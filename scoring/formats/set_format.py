"""The indicator-set file format (``format: scoring/1``) as pydantic models: shape and types only.

These models check what one key can check on its own (types, required keys, unknown keys, finite numbers)
and give the JSON Schema for editors. Each rule's own shape comes from its kind's module
(:mod:`scoring.rules`). Checks that tie keys together (weights adding up, bands not overlapping, formulas
naming declared inputs) are made when the set is built (:mod:`scoring.model.build`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from ..fields import Direction, Identifier, NotApplicablePolicy, Number, SetId, StrictModel
from ..rules import RuleSpec
from ..rules.panel import PanelSpec


class Rounding(StrictModel):
    places: int = Field(2, ge=0, le=6, description="Decimals kept for each indicator's points.")
    total_places: int = Field(1, ge=0, le=6, description="Decimals kept for the total.")
    mode: Literal["half_up", "half_even", "down", "up"] = Field(
        "half_up", description="half_up rounds 0.5 away from zero, as people round by hand."
    )


class GradeBand(StrictModel):
    label: str = Field(min_length=1)
    min: Number = Field(description="Lowest total (inclusive) that earns this grade.")


class InputSpec(StrictModel):
    label: str | None = None
    type: Literal["number", "integer", "boolean", "text", "date"] = Field(
        "number", description="text: a non-empty string; date: an ISO date such as 2022-12-31."
    )
    unit: str | None = None
    min: Number | None = None
    max: Number | None = None
    description: str | None = None
    source: str | None = Field(None, description="Where the figure comes from (a report section, a table).")
    sum_of: list[Identifier] | None = Field(
        None,
        min_length=2,
        description="The input is the sum of these inputs (a total and its sub-lines): computed from them when "
        "the unit does not give it, and checked against them by the audit when it does.",
    )


def _constant_as_text(value: object) -> object:
    """A number written as a formula (``formula: 100``) is that constant, kept as its exact decimal text."""
    return format(value, "f") if isinstance(value, Decimal) and value.is_finite() else value


#: A formula's text; a number written bare is read as the constant formula.
FormulaText = Annotated[
    str, BeforeValidator(_constant_as_text), WithJsonSchema({"type": ["string", "number"]})
]


class GroupSpec(StrictModel):
    label: str | None = None
    weight: Number | None = Field(
        None, description="Declared weight, checked against the sum of its members."
    )
    description: str | None = None


class IndicatorSpec(StrictModel):
    id: Identifier
    label: str | None = None
    group: str | None = Field(None, description="Group path, levels separated by '/', e.g. 过程/预算执行.")
    weight: Number = Field(gt=0)
    rule_weight: Number | None = Field(
        None,
        gt=0,
        description="The weight the rule's points are written at, when it is not the weight (a set saved after "
        "a weight change keeps its rules as written); points scale by weight / rule_weight.",
    )
    formula: FormulaText | None = Field(None, description="Expression giving the value the rule scores.")
    unit: str | None = None
    description: str | None = Field(None, description="What the indicator means (指标解释).")
    criteria: str | None = Field(
        None, description="The scoring standard as written in the source (评分标准)."
    )
    provenance: str | None = Field(None, description="Where this row comes from.")
    rule: RuleSpec
    not_applicable: NotApplicablePolicy | None = Field(None, description="Overrides the set's N/A policy.")
    direction: Direction | None = Field(None, description="Declared direction; checked against the rule.")


class SetSpec(StrictModel):
    format: Literal["scoring/1"]
    id: SetId
    title: str | None = None
    version: str | None = None
    source: str | None = None
    description: str | None = None
    language: Literal["zh", "en"] | None = Field(
        None, description="The language reports of this set speak by default (zh or en); --lang overrides it."
    )
    total: Number = Field(gt=0, description="Attainable maximum; indicator weights must add up to it.")
    rounding: Rounding = Rounding()
    grades: list[GradeBand] = Field(min_length=1)
    grades_total: Number | None = Field(
        None,
        gt=0,
        description="The total the grade minimums are written on, when it is not the total (a set saved after "
        "a weight change that moved the total); grades are then read on the percentage.",
    )
    not_applicable: NotApplicablePolicy = "full"
    panel: PanelSpec | None = Field(
        None,
        description="How judged rows scored by several raters are aggregated (a row's judgment: panel: overrides).",
    )
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    derived: dict[str, FormulaText] = Field(default_factory=dict)
    groups: dict[str, GroupSpec] = Field(default_factory=dict)
    indicators: list[IndicatorSpec] = Field(min_length=1)
