"""The unit-data file format as pydantic models: one unit's figures, N/A marks, judgments, overrides and
any published result to reproduce. Checks against the indicator set are made when the data is bound to it
(:mod:`scoring.model.bind`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, WithJsonSchema

from ..fields import Number, StrictModel

#: A unit's input value; checked against the input's declared type when the unit is bound to a set.
InputValue = Annotated[Any, WithJsonSchema({"type": ["number", "boolean", "string"]})]


class Judgment(StrictModel):
    tier: str
    points: Number | None = Field(
        None,
        description="Points awarded (at the declared weight); without them the row is unknown within the tier.",
    )
    reason: str = Field(min_length=1)


class Rater(StrictModel):
    """One expert's score of a judged row on a panel."""

    name: str = Field(min_length=1)
    points: Number | Literal["unknown"] | None = Field(
        None,
        description="Points given (at the declared weight); unknown (or left out with a tier) if missing.",
    )
    tier: str | None = Field(None, description="The tier the rater chose; their points must lie in it.")
    reason: str | None = None


class PanelJudgment(StrictModel):
    """A judged row scored by a panel: the row takes the aggregate the set's panel: declares."""

    raters: list[Rater] = Field(min_length=1)
    reason: str | None = Field(None, description="The panel's own note on the row.")


def _judgment_kind(data: Any) -> str:
    if isinstance(data, PanelJudgment) or (isinstance(data, dict) and "raters" in data):
        return "panel"
    return "single"


#: A judgment: one evaluator's {tier, points, reason}, or a panel's {raters: [...]}.
AnyJudgment = Annotated[
    Annotated[Judgment, Tag("single")] | Annotated[PanelJudgment, Tag("panel")], Discriminator(_judgment_kind)
]


class UnknownRow(StrictModel):
    reason: str | None = Field(None, description="Why the data gives no basis for this row.")
    min: Number | None = Field(None, description="Lowest points the row can have (at the declared weight).")
    max: Number | None = Field(None, description="Highest points the row can have (at the declared weight).")


class Override(StrictModel):
    points: Number
    reason: str = Field(min_length=1)


class PublishedRow(StrictModel):
    points: Number
    weight: Number | None = Field(None, description="The weight the published table prints for this row.")


class Published(StrictModel):
    """A published result to reproduce and audit: total, grade and any rows or group subtotals printed."""

    total: Number | None = None
    grade: str | None = None
    indicators: dict[str, Number | PublishedRow] = Field(default_factory=dict)
    groups: dict[str, Number | PublishedRow] = Field(default_factory=dict)
    values: dict[str, Number | str] = Field(
        default_factory=dict,
        description="Printed intermediate figures (an input, a derived name, or an indicator id for its "
        "formula's value) → the figure as printed; compared at the decimals it is printed with.",
    )
    source: str | None = None


class UnitSpec(StrictModel):
    set: str | None = Field(None, description="Path of the indicator set, relative to this file.")
    unit: str | None = None
    period: str | None = None
    description: str | None = None
    values: dict[str, InputValue] = Field(
        default_factory=dict,
        description="Input name → number, true/false, text, or an ISO date (2022-12-31).",
    )
    not_applicable: list[str] = Field(default_factory=list)
    unknown: list[str] | dict[str, UnknownRow] = Field(
        default_factory=list,
        description="Indicators whose points cannot be determined from the data at hand: a list of ids, or "
        "id → {reason, min, max}.",
    )
    judgments: dict[str, AnyJudgment] = Field(default_factory=dict)
    overrides: dict[str, Override] = Field(default_factory=dict)
    published: Published | None = None
