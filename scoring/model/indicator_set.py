"""A loaded indicator set: validated as a whole, formulas compiled and rules built once, ready to evaluate.

Build one with :func:`load_set` or :func:`parse_set` (see :mod:`scoring.model.build` for the checks).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from .. import limits
from ..errors import DefinitionError, Location, OptionError, Problem, clip, did_you_mean
from ..fields import NotApplicablePolicy
from ..formats.dump import dump_yaml
from ..formats.set_format import IndicatorSpec, InputSpec, Rounding, SetSpec
from ..formula import Formula
from ..numbers import ZERO, as_decimal, decimal_places, in_context, plain, within_magnitude
from ..rules import Direction, Rule


@dataclass(frozen=True, eq=False)
class Indicator:
    """One row of the table: what is measured (formula), how it scores (rule) and its weight."""

    id: str
    label: str
    group: str | None
    weight: Decimal
    #: Weight the rule's points are written at; points scale by ``weight / reference_weight``.
    reference_weight: Decimal
    formula: Formula | None
    rule: Rule
    not_applicable: NotApplicablePolicy
    spec: IndicatorSpec
    #: Inputs this indicator needs, directly or through derived names.
    needs_inputs: frozenset[str]
    #: Derived names this indicator needs, directly or through other derived names.
    needs_derived: frozenset[str]
    #: Names shown in the trace: those the formula and rule read directly.
    trace_names: tuple[str, ...]
    location: Location

    @property
    def direction(self) -> Direction:
        return self.rule.direction

    @property
    def unit(self) -> str | None:
        """Unit of the formula's value (for display), e.g. "%"."""
        return self.spec.unit


@dataclass(frozen=True)
class Group:
    """A node of the group tree; ``path`` levels are separated by '/'."""

    path: str
    label: str
    declared_weight: Decimal | None
    members: tuple[str, ...]
    depth: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SetIdentity:
    """Which indicator set: its id and version, and the hash of its content (and weights)."""

    id: str
    version: str | None
    sha256: str


@dataclass(frozen=True)
class Grade:
    label: str
    min: Decimal


@dataclass(frozen=True, eq=False)
class IndicatorSet:
    """A validated indicator set ready to evaluate units. Build it with :func:`load_set` or :func:`parse_set`.

    Two sets are equal when they define the same table: the same file content once weights are applied
    (comments, key order and the file's path do not count).
    """

    spec: SetSpec
    source: str
    #: Content hash of the file, combined with the weights when they were changed (:meth:`reweighted`).
    sha256: str
    total: Decimal
    grades: tuple[Grade, ...]
    inputs: Mapping[str, InputSpec]
    #: Derived names in evaluation order (each after the names it uses).
    derived: tuple[tuple[str, Formula], ...]
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    by_id: Mapping[str, Indicator] = field(repr=False)
    #: For each indicator (by position), the positions in ``groups`` of the groups it belongs to.
    group_slots: tuple[tuple[int, ...], ...] = field(repr=False, default=())

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str | None:
        return self.spec.version

    @property
    def identity(self) -> SetIdentity:
        return SetIdentity(id=self.id, version=self.version, sha256=self.sha256)

    @property
    def title(self) -> str:
        return self.spec.title or self.spec.id

    @property
    def rounding(self) -> Rounding:
        return self.spec.rounding

    @property
    def grades_total(self) -> Decimal:
        """The total the grade minimums are written on."""
        return self.spec.grades_total or self.spec.total

    @in_context
    def grade_for(self, points: Decimal, maximum: Decimal | None = None) -> str:
        """Grade band for ``points`` out of ``maximum`` (default: the set's total).

        Bands are written on the scale of :attr:`grades_total`; any other maximum (a group's weight, a total
        changed by reweighting) is graded on its percentage. Compared without dividing, so a value exactly on
        a band's minimum gets that band.
        """
        scale = self.grades_total
        maximum = self.total if maximum is None else maximum
        if maximum == scale:
            for grade in self.grades:
                if points >= grade.min:
                    return grade.label
        else:  # points / maximum ≥ min / scale
            for grade in self.grades:
                if points * scale >= grade.min * maximum:
                    return grade.label
        return self.grades[-1].label

    @in_context
    def grades_between(self, low: Decimal, high: Decimal) -> tuple[str, ...]:
        """Grades of every total from ``low`` to ``high`` (out of the set's total), highest first."""
        order = [grade.label for grade in self.grades]  # highest first
        return tuple(order[order.index(self.grade_for(high)) : order.index(self.grade_for(low)) + 1])

    def indicator(self, indicator_id: str) -> Indicator:
        return self.by_id[indicator_id]

    @in_context
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndicatorSet):
            return NotImplemented
        return self.effective_spec == other.effective_spec

    def __hash__(self) -> int:
        return hash((self.spec.id, self.total, tuple((i.id, i.weight) for i in self.indicators)))

    @cached_property
    @in_context
    def effective_spec(self) -> SetSpec:
        """The file format of this set as it stands: the file's, with the current weights and total (rules
        and grades keep the weight and total they are written at)."""
        indicators = []
        for item in self.indicators:
            rule_weight = item.reference_weight if item.reference_weight != item.weight else None
            indicators.append(
                item.spec.model_copy(update={"weight": item.weight, "rule_weight": rule_weight})
            )
        weights = {
            group.path: sum((self.by_id[m].weight for m in group.members), ZERO) for group in self.groups
        }
        groups = {
            path: group if group.weight is None else group.model_copy(update={"weight": weights[path]})
            for path, group in self.spec.groups.items()
        }
        grades_total = self.grades_total if self.grades_total != self.total else None
        changes = {
            "total": self.total,
            "grades_total": grades_total,
            "groups": groups,
            "indicators": indicators,
        }
        return self.spec.model_copy(update=changes)

    @in_context
    def dump(self) -> str:
        """The set as YAML text in the ``scoring/1`` format, with its current weights (loading the text
        gives an equal set)."""
        return dump_yaml(self.effective_spec)

    @in_context
    def reweighted(
        self, weights: Mapping[str, Decimal | int | float], total: Decimal | int | float | None = None
    ) -> IndicatorSet:
        """A copy with some indicator weights (and optionally the total) changed; rule points scale along.

        Weights and the total may be Decimal, int or float (a float is read from its shortest text, 0.1 as
        exactly 0.1). The new weights must add up to the (new) total; the grade bands stay on the total's
        scale. Arguments that are not finite numbers within 10^±24 raise an :class:`OptionError`.
        """
        weights, new_total = _weight_arguments(weights, self.total if total is None else total)
        indicators = tuple(replace(i, weight=weights.get(i.id, i.weight)) for i in self.indicators)
        problems = self._weight_problems(weights, new_total)
        weight_sum = sum((i.weight for i in indicators), ZERO)
        if not problems and weight_sum != new_total:
            message = f"weights add up to {plain(weight_sum)}, not the total {plain(new_total)}"
            problems.append(Problem("weights-sum", message))
        if problems:
            raise DefinitionError(problems)
        unchanged = new_total == self.total and all(
            a.weight == b.weight for a, b in zip(indicators, self.indicators, strict=True)
        )
        # the result's provenance must name these weights, not the file's: hash them with the file's hash
        weights_text = ";".join(f"{i.id}={i.weight}" for i in indicators) + f";total={new_total}"
        digest = (
            self.sha256 if unchanged else hashlib.sha256(f"{self.sha256};{weights_text}".encode()).hexdigest()
        )
        changed = replace(self, total=new_total, indicators=indicators, by_id={i.id: i for i in indicators})
        return replace(changed, sha256=digest)

    def _weight_problems(self, weights: Mapping[str, Decimal], total: Decimal) -> list[Problem]:
        problems = [
            Problem("unknown-indicator", f"no indicator '{key}'", None, key, did_you_mean(key, self.by_id))
            for key in weights
            if key not in self.by_id
        ]
        problems += [
            Problem("weight", f"weight of '{key}' must be above 0, not {plain(value)}", None, key)
            for key, value in weights.items()
            if value <= 0
        ]
        places = self.rounding.places
        problems += [
            Problem(
                "weight-places",
                f"weight {plain(value)} of '{key}' has more decimals than rounding.places ({places})",
            )
            for key, value in weights.items()
            if decimal_places(value) > places
        ]
        if decimal_places(total) > self.rounding.total_places:
            message = f"total {plain(total)} has more decimals than rounding.total_places"
            problems.append(Problem("total-places", message))
        return problems


def _weight_arguments(
    weights: Mapping[str, Decimal | int | float], total: Decimal | int | float
) -> tuple[dict[str, Decimal], Decimal]:
    """The arguments of :meth:`IndicatorSet.reweighted` as Decimals, or an :class:`OptionError` naming each
    that is not a finite number within the magnitude limit."""
    problems: list[Problem] = []

    def number(value: object, what: str, subject: str) -> Decimal:
        converted = as_decimal(value)
        if converted is not None and converted.is_finite() and within_magnitude(converted):
            return converted
        bound = limits.MAX_MAGNITUDE
        message = f"{what} must be a finite number within 10^-{bound} to 10^{bound}, not {clip(repr(value))}"
        problems.append(Problem("weight", message, None, subject, "give a Decimal, an int or a float"))
        return ZERO

    converted = {key: number(value, f"the weight of '{clip(key)}'", key) for key, value in weights.items()}
    new_total = number(total, "the total", "total")
    if problems:
        raise OptionError(problems)
    return converted, new_total
