"""The weight-derivation file read by ``scoring weights derive``: for levels of a set's group tree, pairwise
comparisons (AHP), experts' point allocations, or equal weights.

A level is named by ``group``: omitted, it is the set's top level (its top groups, and any indicator outside
every group); a group path names that group's members (its sub-groups by their last path segment, and the
indicators directly in it by id). Judgments are written above the diagonal only: ``a: {b: 3}`` says that
``a`` is 3 times as important as ``b``; ``b: {a: 1/3}`` says the same, and each pair is given once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..fields import Number, StrictModel

#: A judgment: a number (3, 0.5) or a fraction written as text (1/3).
FractionText = Annotated[str, Field(pattern=r"^\s*\d+(\.\d+)?\s*/\s*\d+(\.\d+)?\s*$", max_length=40)]
JudgmentValue = Number | FractionText
Judgments = dict[str, dict[str, JudgmentValue]]


class ExpertSpec(StrictModel):
    name: str = Field(max_length=100, description="Who made these judgments.")
    judgments: Judgments = Field(
        description="Criterion → {criterion compared with: how many times as important}."
    )


class AllocationSpec(StrictModel):
    name: str = Field(max_length=100, description="Who divided the points.")
    points: dict[str, Number] = Field(description="Criterion → the points this expert gives it.")


class LevelSpec(StrictModel):
    group: str | None = Field(
        None, max_length=300, description="The group whose members are weighed; omitted: the top level."
    )
    judgments: Judgments | None = Field(None, description="One matrix of pairwise judgments (AHP).")
    experts: list[ExpertSpec] | None = Field(
        None, description="Several experts' judgments, combined by the geometric mean of each judgment."
    )
    allocations: list[AllocationSpec] | None = Field(
        None, description="Budget allocation: each expert divides the points; the mean is taken."
    )
    points: Number | None = Field(
        None, description="The points each expert divides in allocations (default 100)."
    )
    equal: Literal[True] | None = Field(None, description="Equal weights for the members.")
    note: str | None = Field(None, description="Informational.")


class DeriveSpec(StrictModel):
    format: Literal["scoring-derive/1"] | None = Field(
        None, description="Optional; exactly scoring-derive/1."
    )
    set: str | None = Field(None, max_length=100, description="The id of the set these judgments are for.")
    title: str | None = None
    source: str | None = Field(None, description="Where the judgments come from. Informational.")
    description: str | None = None
    method: Literal["eigenvector", "geometric", "arithmetic"] | None = Field(
        None, description="How priorities are read off each matrix (default eigenvector)."
    )
    random_index: Literal["saaty1980", "saaty2005"] | None = Field(
        None, description="Saaty's random index table for the consistency ratio (default saaty1980)."
    )
    levels: list[LevelSpec] = Field(description="The levels whose weights are derived.")
