"""The two file formats as pydantic models: shape and types only.

These models check what one key can check on its own (types, required keys, unknown keys, finite numbers)
and give the JSON Schema for editors. Rules that tie keys together (weights adding up, bands not
overlapping, formulas naming declared inputs) live in :mod:`scoring.definition` and :mod:`scoring.unit`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Strict, Tag, WithJsonSchema

FORMAT = "scoring/1"

#: Numbers are Decimal, read exactly from the YAML text; quoted text is not a number.
Number = Annotated[Decimal, Strict(), Field(allow_inf_nan=False), WithJsonSchema({"type": "number"})]
Direction = Literal["increasing", "decreasing", "none"]
NotApplicablePolicy = Literal["full", "rescale", "zero"]
Identifier = Annotated[str, Field(pattern=r"^[^\W\d_][\w]*$", max_length=64)]
SetId = Annotated[str, Field(pattern=r"^[^\W_][\w.-]*$", max_length=100)]


class Strict(BaseModel):
    """Base: unknown keys are errors; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Rounding(Strict):
    places: int = Field(2, ge=0, le=6, description="Decimals kept for each indicator's points.")
    total_places: int = Field(1, ge=0, le=6, description="Decimals kept for the total.")
    mode: Literal["half_up", "half_even", "down", "up"] = Field(
        "half_up", description="half_up rounds 0.5 away from zero, as people round by hand."
    )


class GradeBand(Strict):
    label: str = Field(min_length=1)
    min: Number = Field(description="Lowest total (inclusive) that earns this grade.")


class InputSpec(Strict):
    label: str | None = None
    type: Literal["number", "integer", "boolean"] = "number"
    unit: str | None = None
    min: Number | None = None
    max: Number | None = None
    description: str | None = None
    source: str | None = Field(None, description="Where the figure comes from (a report section, a table).")


class GroupSpec(Strict):
    label: str | None = None
    weight: Number | None = Field(
        None, description="Declared weight, checked against the sum of its members."
    )
    description: str | None = None


# --- rules -------------------------------------------------------------------------------------------


class DeductSpec(Strict):
    over: Number | None = Field(None, description="Full marks up to this value; deduct above it.")
    under: Number | None = Field(None, description="Full marks down to this value; deduct below it.")
    per: Number = Field(description="Size of one step beyond the limit.")
    points: Number = Field(description="Points taken off per step (at the declared weight).")
    steps: Literal["whole", "started", "exact"] = Field(
        description="whole: only complete steps count; started: any begun step counts; exact: proportional."
    )


class DeductRule(Strict):
    deduct: DeductSpec


class Band(Strict):
    equals: Number | None = None
    from_: Number | None = Field(None, alias="from", description="Lower bound, inclusive.")
    above: Number | None = Field(None, description="Lower bound, exclusive.")
    below: Number | None = Field(None, description="Upper bound, exclusive.")
    upto: Number | None = Field(None, description="Upper bound, inclusive.")
    points: Number
    label: str | None = None


class BandsRule(Strict):
    bands: list[Band] = Field(min_length=1)
    otherwise: Number | None = Field(
        None, description="Points for a value in no band; without it that is an error."
    )


class RatioSpec(Strict):
    target: Number | str = Field(
        description="The target (指标值): a number, or a formula read from the unit's data (e.g. an input)."
    )
    lower_better: bool = False


class RatioRule(Strict):
    ratio: RatioSpec


class LinearSpec(Strict):
    zero_at: Number
    full_at: Number


class LinearRule(Strict):
    linear: LinearSpec


class Case(Strict):
    when: str = Field(
        description="Condition; may use inputs, derived names and 'value' (the formula's value)."
    )
    points: Number
    label: str | None = None


class CasesRule(Strict):
    cases: list[Case] = Field(min_length=1)
    otherwise: Number = Field(description="Points when no case matches.")


class ChecklistItem(Strict):
    input: str
    points: Number
    label: str | None = None


class ChecklistRule(Strict):
    checklist: list[ChecklistItem] = Field(min_length=1)


class Tier(Strict):
    label: str = Field(min_length=1)
    min_share: Number = Field(ge=0, le=1, description="Lowest share of the weight this tier allows.")


class JudgmentSpec(Strict):
    tiers: list[Tier] = Field(min_length=1)


class JudgmentRule(Strict):
    judgment: JudgmentSpec


RULE_KINDS = ("deduct", "bands", "ratio", "linear", "cases", "checklist", "judgment")


def rule_kind(data: Any) -> str | None:
    """Which rule kind a rule mapping is, by the one kind key it holds."""
    if isinstance(data, BaseModel):
        data = data.model_dump(by_alias=True)
    if not isinstance(data, dict):
        return None
    kinds = [k for k in RULE_KINDS if k in data]
    return kinds[0] if len(kinds) == 1 else None


Rule = Annotated[
    Annotated[DeductRule, Tag("deduct")]
    | Annotated[BandsRule, Tag("bands")]
    | Annotated[RatioRule, Tag("ratio")]
    | Annotated[LinearRule, Tag("linear")]
    | Annotated[CasesRule, Tag("cases")]
    | Annotated[ChecklistRule, Tag("checklist")]
    | Annotated[JudgmentRule, Tag("judgment")],
    Discriminator(
        rule_kind,
        custom_error_type="rule_kind",
        custom_error_message="a rule needs exactly one of: " + ", ".join(RULE_KINDS),
    ),
]


class IndicatorSpec(Strict):
    id: Identifier
    label: str | None = None
    group: str | None = Field(None, description="Group path, levels separated by '/', e.g. 过程/预算执行.")
    weight: Number = Field(gt=0)
    formula: str | None = Field(None, description="Expression giving the value the rule scores.")
    unit: str | None = None
    description: str | None = Field(None, description="What the indicator means (指标解释).")
    criteria: str | None = Field(
        None, description="The scoring standard as written in the source (评分标准)."
    )
    provenance: str | None = Field(None, description="Where this row comes from.")
    rule: Rule
    not_applicable: NotApplicablePolicy | None = Field(None, description="Overrides the set's N/A policy.")
    direction: Direction | None = Field(None, description="Declared direction; checked against the rule.")


class SetSpec(Strict):
    format: Literal["scoring/1"]
    id: SetId
    title: str | None = None
    version: str | None = None
    source: str | None = None
    description: str | None = None
    total: Number = Field(gt=0, description="Attainable maximum; indicator weights must add up to it.")
    rounding: Rounding = Rounding()
    grades: list[GradeBand] = Field(min_length=1)
    not_applicable: NotApplicablePolicy = "full"
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    derived: dict[str, str] = Field(default_factory=dict)
    groups: dict[str, GroupSpec] = Field(default_factory=dict)
    indicators: list[IndicatorSpec] = Field(min_length=1)


# --- unit data ---------------------------------------------------------------------------------------

#: A unit's input value; checked against the input's declared type when the unit is bound to a set.
InputValue = Annotated[Any, WithJsonSchema({"type": ["number", "boolean"]})]


class Judgment(Strict):
    tier: str
    points: Number | None = Field(
        None,
        description="Points awarded (at the declared weight); without them the row is unknown within the tier.",
    )
    reason: str = Field(min_length=1)


class UnknownRow(Strict):
    reason: str | None = Field(None, description="Why the data gives no basis for this row.")
    min: Number | None = Field(None, description="Lowest points the row can have (at the declared weight).")
    max: Number | None = Field(None, description="Highest points the row can have (at the declared weight).")


class Override(Strict):
    points: Number
    reason: str = Field(min_length=1)


class PublishedRow(Strict):
    points: Number
    weight: Number | None = Field(None, description="The weight the published table prints for this row.")


class Published(Strict):
    """A published result to reproduce and audit: total, grade and any rows or group subtotals printed."""

    total: Number | None = None
    grade: str | None = None
    indicators: dict[str, Number | PublishedRow] = Field(default_factory=dict)
    groups: dict[str, Number | PublishedRow] = Field(default_factory=dict)
    source: str | None = None


class UnitSpec(Strict):
    set: str | None = Field(None, description="Path of the indicator set, relative to this file.")
    unit: str | None = None
    period: str | None = None
    description: str | None = None
    values: dict[str, InputValue] = Field(
        default_factory=dict, description="Input name → number or true/false."
    )
    not_applicable: list[str] = Field(default_factory=list)
    unknown: list[str] | dict[str, UnknownRow] = Field(
        default_factory=list,
        description="Indicators whose points cannot be determined from the data at hand: a list of ids, or "
        "id → {reason, min, max}.",
    )
    judgments: dict[str, Judgment] = Field(default_factory=dict)
    overrides: dict[str, Override] = Field(default_factory=dict)
    published: Published | None = None
