"""Evaluation results: plain data with the trace of every point and the provenance of the whole.

Each :class:`IndicatorResult` keeps the rule's small step record and explains it on demand
(:attr:`IndicatorResult.outcome`), so keeping the trace costs almost nothing during evaluation. Result
objects are values: treat them as read-only (they are not frozen only because frozen dataclasses are
several times slower to build, and evaluation builds one per indicator).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ..numbers import plain
from ..rules import Award, Rule

Status = Literal["scored", "judged", "overridden", "not_applicable", "unknown"]
#: An inclusive range of points (lowest, highest).
Range = tuple[Decimal, Decimal]


@dataclass(slots=True)
class IndicatorResult:
    """One indicator's score and why: inputs, formula value, the rule step that applied, the points."""

    id: str
    label: str
    group: str | None
    weight: Decimal
    status: Status
    rule: str
    #: Unit of the formula's value (for display), e.g. "%".
    unit: str | None
    formula: str | None
    #: Names the formula and rule read (their values: :attr:`inputs`).
    input_names: tuple[str, ...]
    #: The formula's value (None when the rule takes no value or the row was not scored).
    value: Decimal | bool | None
    #: Points before rounding; ``points`` is this rounded as the set declares. None when unknown.
    points_exact: Decimal | None
    points: Decimal | None
    #: N/A policy applied when status is not_applicable; 'rescale' rows are left out of the total.
    not_applicable: str | None
    #: Evaluator's reason for a judged or overridden row.
    reason: str | None
    #: For an overridden row, the points the rule would have given (None if it could not be computed).
    computed_points: Decimal | None
    _rule: Rule | None
    _step: Any
    #: The unit's values and derived values, read by :attr:`inputs` (not copied per row: it is the trace's
    #: largest cost, and most rows are never explained).
    _env: Mapping[str, Any]
    #: For an unknown row: the lowest and highest points it could have (rounded as the set declares).
    points_range: Range | None = None

    @property
    def inputs(self) -> dict[str, Any]:
        """The names the formula and rule read, with this unit's values."""
        return {name: self._env.get(name) for name in self.input_names}

    @property
    def share(self) -> Decimal | None:
        """Points as a share of the weight, before rounding (None when unknown)."""
        if self.points_exact is None:
            return None
        return self.points_exact / self.weight if self.weight else Decimal(0)

    @property
    def counted(self) -> bool:
        """False for a not-applicable row dropped by the 'rescale' policy."""
        return not (self.status == "not_applicable" and self.not_applicable == "rescale")

    @property
    def outcome(self) -> str:
        """Which band, step, case or tier applied, in words."""
        if self.status == "not_applicable":
            return {
                "full": "not applicable: full marks",
                "zero": "not applicable: no points",
                "rescale": "not applicable: left out, the other weights rescaled",
            }[self.not_applicable or "full"]
        if self.status == "unknown":
            low, high = self.points_range or (Decimal(0), self.weight)
            step = self._step
            if step is not None and step.tier:
                return (
                    f"judged tier '{step.tier}' without points: {plain(low)} to {plain(high)} — {step.reason}"
                )
            reason = f" — {step.reason}" if step is not None and step.reason else ""
            return f"unknown: {plain(low)} to {plain(high)}{reason}"
        if self.status == "overridden":
            computed = (
                f"computed {plain(self.computed_points)}"
                if self.computed_points is not None
                else "not computed"
            )
            return f"overridden ({computed}): {self.reason}"
        assert self._rule is not None
        text = self._rule.describe(self._step)
        if self.weight != self._rule.weight:  # the weight was changed: the rule's points are scaled with it
            text += (
                f" (points at the rule's weight {plain(self._rule.weight)}, scaled to {plain(self.weight)})"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "group": self.group,
            "weight": self.weight,
            "status": self.status,
            "rule": self.rule,
            "unit": self.unit,
            "formula": self.formula,
            "inputs": dict(self.inputs),
            "value": self.value,
            "outcome": self.outcome,
            "points_exact": self.points_exact,
            "points": self.points,
            "not_applicable": self.not_applicable,
            "reason": self.reason,
            "computed_points": self.computed_points,
            "points_range": list(self.points_range) if self.points_range is not None else None,
        }


@dataclass(slots=True)
class GroupResult:
    """A group's subtotal: the sum of its members' rounded points, with a percentage and grade."""

    path: str
    label: str
    depth: int
    weight: Decimal
    #: None when a member's points are unknown (see ``points_range``).
    points: Decimal | None
    #: points / weight × 100, unrounded (None when unknown).
    percentage: Decimal | None
    grade: str | None
    members: tuple[str, ...]
    points_range: Range | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "label": self.label,
            "weight": self.weight,
            "points": self.points,
            "percentage": self.percentage,
            "grade": self.grade,
            "members": list(self.members),
            "points_range": list(self.points_range) if self.points_range is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Provenance:
    """What produced a result: the set and data (by content hash) and the engine version."""

    set_id: str
    set_version: str | None
    set_sha256: str
    set_source: str
    data_source: str
    data_sha256: str
    engine_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": {
                "id": self.set_id,
                "version": self.set_version,
                "sha256": self.set_sha256,
                "source": self.set_source,
            },
            "data": {"source": self.data_source, "sha256": self.data_sha256},
            "engine": {"name": "scoring", "version": self.engine_version},
        }


@dataclass(slots=True)
class Result:
    """A unit's evaluation: total and grade, group subtotals, every indicator with its trace."""

    unit: str
    period: str | None
    #: The total, rounded to rounding.total_places; None when some rows are unknown (see ``total_range``).
    total: Decimal | None
    grade: str | None
    #: The set's total (the attainable maximum).
    maximum: Decimal
    #: Sum of the rounded rows that count and are known, before any N/A rescaling and rounding the total.
    row_sum: Decimal
    #: Weight of the rows that count (the set's total minus the weights of rescaled N/A rows).
    attainable: Decimal
    #: maximum / attainable when N/A rows were rescaled, else None; the total is row_sum × scale.
    scale: Decimal | None
    indicators: tuple[IndicatorResult, ...]
    groups: tuple[GroupResult, ...]
    provenance: Provenance
    #: With unknown rows: the lowest and highest total attainable (each rounded as the total is).
    total_range: Range | None = None
    #: The grades the total can have: one when complete, those the range reaches otherwise.
    grades_possible: tuple[str, ...] = ()
    #: With unknown rows: the lowest and highest sum of their rounded points.
    unknown_range: Range | None = None

    @property
    def complete(self) -> bool:
        """False when some rows are unknown, so the total is a range."""
        return self.total is not None

    def indicator(self, indicator_id: str) -> IndicatorResult:
        for row in self.indicators:
            if row.id == indicator_id:
                return row
        raise KeyError(indicator_id)

    def group(self, path: str) -> GroupResult:
        for group in self.groups:
            if group.path == path:
                return group
        raise KeyError(path)

    @property
    def total_exact(self) -> Decimal | None:
        """The total before its final rounding (None when some rows are unknown)."""
        if self.total is None:
            return None
        return self.row_sum * self.maximum / self.attainable if self.scale is not None else self.row_sum

    def to_dict(self) -> dict[str, Any]:
        """Plain data; numbers stay :class:`~decimal.Decimal` (exact)."""
        return {
            **self.provenance.to_dict(),
            "unit": self.unit,
            "period": self.period,
            "total": self.total,
            "grade": self.grade,
            "maximum": self.maximum,
            "row_sum": self.row_sum,
            "attainable": self.attainable,
            "scale": self.scale,
            "complete": self.complete,
            "total_range": list(self.total_range) if self.total_range is not None else None,
            "grades_possible": list(self.grades_possible),
            "unknown_range": list(self.unknown_range) if self.unknown_range is not None else None,
            "groups": [g.to_dict() for g in self.groups],
            "indicators": [i.to_dict() for i in self.indicators],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text; decimals are written as exact JSON numbers (read them back with parse_float=Decimal)."""
        return to_json(self.to_dict(), indent)


def to_json(data: Any, indent: int | None = 2) -> str:
    """JSON with :class:`Decimal` written as exact number text (json's own encoder would need floats)."""
    return _encode(data, indent, 0)


def _encode(value: Any, indent: int | None, level: int) -> str:
    if isinstance(value, Decimal):
        return plain(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, dict):
        items = [
            (json.dumps(str(k), ensure_ascii=False), _encode(v, indent, level + 1)) for k, v in value.items()
        ]
        return _container("{", "}", [f"{k}: {v}" for k, v in items], indent, level)
    if isinstance(value, list | tuple):
        return _container("[", "]", [_encode(v, indent, level + 1) for v in value], indent, level)
    if isinstance(value, Award):
        return _encode({"tier": value.tier, "points": value.points, "reason": value.reason}, indent, level)
    return json.dumps(value, ensure_ascii=False)


def _container(open_: str, close: str, parts: list[str], indent: int | None, level: int) -> str:
    if not parts:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(parts) + close
    pad = " " * (indent * (level + 1))
    return open_ + "\n" + ",\n".join(pad + p for p in parts) + "\n" + " " * (indent * level) + close
