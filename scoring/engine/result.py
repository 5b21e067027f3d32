"""Evaluation results: frozen values with the trace of every point and the provenance of the whole.

Each :class:`IndicatorResult` keeps its rule's typed step (:attr:`IndicatorResult.step`) and says it in words
on demand (:attr:`IndicatorResult.outcome`, or :meth:`IndicatorResult.outcome_text` in a report's language), so
keeping the trace costs almost nothing during evaluation.
Their JSON form is generated from the classes (:mod:`scoring.serialize`); ``scoring schema result`` prints it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal, NamedTuple, TypeVar

from ..errors import Problem
from ..fields import NotApplicablePolicy
from ..language import Catalogue
from ..model.indicator_set import Indicator, SetIdentity
from ..model.unit import PanelUnknown, Unknown
from ..numbers import in_context, plain
from ..rules.base import english
from ..rules.judgment import PanelAward
from ..rules.panel import Panel, describe_panel
from ..serialize import OMIT, JsonForm, _Omit, to_data

Status = Literal["scored", "judged", "overridden", "not_applicable", "unknown"]
#: An inclusive range of points (lowest, highest).
Range = tuple[Decimal, Decimal]
_Frozen = TypeVar("_Frozen")
#: A value a formula reads: a number, true/false, text (a date as its ISO text), or None when the unit
#: gives none.
TraceValue = Decimal | bool | str | None


class TraceInputs(Mapping[str, TraceValue]):
    """The names a row's formula and rule read, with this unit's values (read from the unit's shared values
    when asked, so keeping them costs nothing per row)."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: tuple[str, ...], values: Mapping[str, Any]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, name: str) -> TraceValue:
        if name not in self._names:
            raise KeyError(name)
        value: TraceValue = self._values.get(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __hash__(self) -> int:
        return hash(tuple(self.items()))

    def __repr__(self) -> str:
        return repr(dict(self))


NO_INPUTS = TraceInputs((), {})


@dataclass(frozen=True, slots=True, kw_only=True)
class NotApplicableStep:
    """A row marked not applicable, and the policy applied to it."""

    kind: ClassVar[str] = "not_applicable"
    __json__ = ("kind", "policy")
    policy: NotApplicablePolicy


@dataclass(frozen=True, slots=True, kw_only=True)
class OverrideStep:
    """A row whose points an evaluator set: the points, the reason, and what the rule gave (its points and
    step, None when the rule could not score this unit)."""

    kind: ClassVar[str] = "override"
    __json__ = ("kind", "points", "reason", "computed_points", "computed")
    points: Decimal
    reason: str
    computed_points: Decimal | None
    computed: Any


_new = object.__new__
_set = object.__setattr__


def _constructor(cls: type[_Frozen]) -> Callable[..., _Frozen]:
    """A function making an instance of a frozen slots dataclass from all its field values in order, without
    the keyword call of its ``__init__`` (which costs about twice as much; the engine makes one per row and
    group of every unit). Generated from the field names, as dataclasses generates ``__init__``."""
    names: tuple[str, ...] = cls.__slots__  # type: ignore[attr-defined]  # a slots dataclass; type declares none
    lines = [f"def construct({', '.join(names)}):", "    instance = new(cls)"]
    lines += [f"    set_(instance, {name!r}, {name})" for name in names]
    lines.append("    return instance")
    namespace: dict[str, Any] = {"new": _new, "set_": _set, "cls": cls}
    exec("\n".join(lines), namespace)  # our own field names, never data
    construct: Callable[..., _Frozen] = namespace["construct"]
    return construct


class _IndicatorRecord(NamedTuple):
    #: The indicator as the set defines it (at the weight it was scored under).
    definition: Indicator
    status: Status
    #: The formula's value (None when the rule takes no value or the row was not scored).
    value: Decimal | bool | str | None
    #: Points before rounding; ``points`` is this rounded as the set declares. None when unknown.
    points_exact: Decimal | None
    points: Decimal | None
    #: The typed trace: the rule's step (scored, judged), or what decided the row otherwise.
    step: Any
    #: The names the formula and rule read, with this unit's values.
    inputs: Mapping[str, TraceValue] = NO_INPUTS
    #: For an unknown row: the lowest and highest points it could have (rounded as the set declares).
    points_range: Range | None = None


class IndicatorResult(_IndicatorRecord):
    """One indicator's score and why: inputs, formula value, the rule step that applied, the points.

    An immutable record: a named tuple, because the engine makes one per row of every unit and a named
    tuple costs a third of a frozen dataclass. Its fields are those of the record; the rest are read from
    the indicator's definition and its step.
    """

    __slots__ = ()
    __json__ = ("id", "label", "group", "weight", "status", "rule", "unit", "formula", "inputs", "value",
                "outcome", "points_exact", "points", "not_applicable", "reason", "computed_points",
                "points_range", "panel")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Plain data; numbers stay :class:`~decimal.Decimal` (exact)."""
        data: dict[str, Any] = to_data(self)
        return data

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def label(self) -> str:
        return self.definition.label

    @property
    def group(self) -> str | None:
        return self.definition.group

    @property
    def weight(self) -> Decimal:
        return self.definition.weight

    @property
    def rule(self) -> str:
        """The rule's kind."""
        return self.definition.rule.kind

    @property
    def unit(self) -> str | None:
        """Unit of the formula's value (for display), e.g. "%"."""
        return self.definition.unit

    @property
    def formula(self) -> str | None:
        formula = self.definition.formula
        return formula.text if formula is not None else None

    @property
    def input_names(self) -> tuple[str, ...]:
        """Names the formula and rule read (their values: :attr:`inputs`)."""
        return tuple(self.inputs)

    @property
    def not_applicable(self) -> NotApplicablePolicy | None:
        """The N/A policy applied when the row is not applicable; 'rescale' rows are left out of the total."""
        return self.step.policy if isinstance(self.step, NotApplicableStep) else None

    @property
    def reason(self) -> str | None:
        """The evaluator's reason for a judged, overridden or unknown row."""
        reason: str | None = getattr(self.step, "reason", None) if self.status != "scored" else None
        return reason

    @property
    def computed_points(self) -> Decimal | None:
        """For an overridden row, the points the rule would have given (None if it could not be computed)."""
        return self.step.computed_points if isinstance(self.step, OverrideStep) else None

    @property
    def panel(self) -> Panel | _Omit:
        """The raters of a row judged by a panel, how they were aggregated and their spread (left out of the
        JSON of other rows)."""
        step = self.step
        if isinstance(step, PanelAward | PanelUnknown):
            return step.panel
        if isinstance(step, OverrideStep) and isinstance(step.computed, PanelAward):
            return step.computed.panel
        return OMIT

    @property
    def tier(self) -> str | None:
        """The judgment tier of a judged row, or of an unknown row judged within a tier without points."""
        tier: str | None = getattr(self.step, "tier", None)
        return tier

    @property
    @in_context
    def share(self) -> Decimal | None:
        """Points as a share of the weight, before rounding (None when unknown)."""
        if self.points_exact is None:
            return None
        return self.points_exact / self.weight if self.weight else Decimal(0)

    @property
    def counted(self) -> bool:
        """False for a not-applicable row dropped by the 'rescale' policy."""
        return self.status != "not_applicable" or self.step.policy != "rescale"

    @property
    def outcome(self) -> str:
        """Which band, step, case or tier applied, in English words (:meth:`outcome_text` in another
        language)."""
        return self.outcome_text(english())

    @in_context
    def outcome_text(self, texts: Catalogue) -> str:
        """Which band, step, case or tier applied, in the words of ``texts`` (the catalogue's ``outcome.``
        section); numbers are written the same way in every language."""
        step = self.step
        if isinstance(step, NotApplicableStep):
            return texts.text(f"outcome.not_applicable.{step.policy}")
        if isinstance(step, Unknown):
            low, high = self.points_range or (Decimal(0), self.weight)
            if step.tier:
                return texts.text(
                    "outcome.unknown_tier",
                    tier=step.tier,
                    low=plain(low),
                    high=plain(high),
                    reason=step.reason,
                )
            reason = texts.text("outcome.unknown_reason", reason=step.reason) if step.reason else ""
            text = texts.text("outcome.unknown", low=plain(low), high=plain(high), reason=reason)
            if isinstance(step, PanelUnknown):
                text += texts.text("outcome.panel.of_unknown", panel=describe_panel(step.panel, texts))
            return text
        if isinstance(step, OverrideStep):
            computed = (
                texts.text("outcome.not_computed")
                if step.computed_points is None
                else texts.text("outcome.computed", points=plain(step.computed_points))
            )
            return texts.text("outcome.overridden", computed=computed, reason=step.reason)
        definition = self.definition
        text = definition.rule.describe(step, texts)
        if definition.weight != definition.reference_weight:  # the rule's points are scaled with the weight
            text += texts.text(
                "outcome.scaled",
                reference=plain(definition.reference_weight),
                weight=plain(definition.weight),
            )
        return text


class GroupResult(NamedTuple):
    """A group's subtotal: the sum of its members' rounded points, with a percentage and grade (an immutable
    record, a named tuple like :class:`IndicatorResult`)."""

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
        """Plain data; numbers stay :class:`~decimal.Decimal` (exact)."""
        data: dict[str, Any] = to_data(self)
        return data


@dataclass(frozen=True, slots=True, kw_only=True)
class SetProvenance(SetIdentity):
    """The set a result was computed under, and where it was read from."""

    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DataProvenance:
    source: str
    sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineProvenance:
    name: str
    version: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """What produced a result: the set and data (by content hash) and the engine version."""

    set: SetProvenance
    data: DataProvenance
    engine: EngineProvenance


@dataclass(frozen=True, slots=True, kw_only=True)
class Result(JsonForm):
    """A unit's evaluation: total and grade, group subtotals, every indicator with its trace."""

    __json__ = ("set", "data", "engine", "unit", "period", "total", "grade", "maximum", "row_sum",
                "attainable", "scale", "complete", "total_range", "grades_possible", "unknown_range",
                "warnings", "groups", "indicators")  # fmt: skip
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
    #: What in the data scores but looks mistaken (a percentage given as a fraction): located problems
    #: that do not stop scoring.
    warnings: tuple[Problem, ...] = ()

    @classmethod
    def build(
        cls,
        unit: str,
        period: str | None,
        total: Decimal | None,
        grade: str | None,
        maximum: Decimal,
        row_sum: Decimal,
        attainable: Decimal,
        scale: Decimal | None,
        indicators: tuple[IndicatorResult, ...],
        groups: tuple[GroupResult, ...],
        provenance: Provenance,
        total_range: Range | None,
        grades_possible: tuple[str, ...],
        unknown_range: Range | None,
        warnings: tuple[Problem, ...] = (),
    ) -> Result:
        """A result, built as :meth:`IndicatorResult.build` builds a row."""
        return _make_result(unit, period, total, grade, maximum, row_sum, attainable, scale, indicators, groups,
                            provenance, total_range, grades_possible, unknown_range, warnings)  # fmt: skip

    @property
    def set(self) -> SetProvenance:
        return self.provenance.set

    @property
    def data(self) -> DataProvenance:
        return self.provenance.data

    @property
    def engine(self) -> EngineProvenance:
        return self.provenance.engine

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
    @in_context
    def total_exact(self) -> Decimal | None:
        """The total before its final rounding (None when some rows are unknown)."""
        if self.total is None:
            return None
        return self.row_sum * self.maximum / self.attainable if self.scale is not None else self.row_sum


_make_result = _constructor(Result)
