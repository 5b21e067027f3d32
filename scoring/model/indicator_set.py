"""A loaded indicator set: validated as a whole, formulas compiled and rules built once, ready to evaluate.

Build one with :func:`load_set` or :func:`parse_set` (see :mod:`scoring.model.build` for the checks).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from .. import limits
from ..errors import DefinitionError, Location, OptionError, Problem, clip, did_you_mean
from ..fields import NotApplicablePolicy
from ..formats.dump import dump_yaml
from ..formats.set_format import IndicatorSpec, InputSpec, Rounding, SetSpec
from ..formula import Formula
from ..numbers import ZERO, as_decimal, decimal_places, from_fraction, in_context, plain, within_magnitude
from ..rules import Direction, Rule
from .sums import totals_of

#: The keys of a rule's mapping whose numbers are points at the rule's weight (a band's, a case's or a
#: checklist item's points, a deduction per step, the points ``otherwise``, a met rule's ``partial`` points,
#: a panel's widest spread allowed); every other number in a rule is a value, a step or a share, and reads the
#: same at any weight.
RULE_POINT_KEYS = frozenset({"points", "otherwise", "partial", "max_range"})

#: The header of a set saved after a weight change (YAML comments; the first line is formatted with the
#: original set's id, version and sha256).
SAVED_FROM = "Saved from indicator set '{id}' version {version} (sha256 {sha256}), with other weights:"
SAVED_TOTAL = "  total {old} → {new}"
SAVED_WEIGHT = "  {id} {old} → {new}"
SAVED_SCALED = (
    "Rule points are written at the new weights. A row with rule_weight keeps its rule as written at that "
    "weight (judged rows, whose awarded points unit files give at it; rows whose points do not scale exactly; "
    "rows the unit data overrides)."
)


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
    #: The set as loaded, when this one was derived from it by :meth:`reweighted` (None for a loaded set).
    base: IndicatorSet | None = field(repr=False, default=None)

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
    def language(self) -> str | None:
        """The language the set's reports speak by default (``zh``, ``en``), if the set says."""
        return self.spec.language

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
    def totals(self) -> dict[str, tuple[str, ...]]:
        """Each input declared ``sum_of`` → its parts (made once: binding a unit reads it)."""
        return totals_of(self.inputs)

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
    def dump(self, *, scaled: bool = False, keep: Collection[str] = (), note: Sequence[str] = ()) -> str:
        """The set as YAML text in the ``scoring/1`` format, with its current weights.

        By default each rule is written as it was loaded, with its ``rule_weight`` where the weight changed:
        loading the text gives an equal set, which scores every unit file alike. ``scaled=True`` writes the
        rule points at the current weights instead, as a table is printed (see :meth:`saved_spec`; the rows
        named in ``keep`` stay as written). A set derived by :meth:`reweighted` starts with comments naming the
        set it came from and the weights that changed; ``note`` lines are added to them.
        """
        header = [*self.origin_lines(), *(("", SAVED_SCALED) if scaled and self.base is not None else ())]
        if note:
            header += ["", *note]
        return dump_yaml(self.saved_spec(scaled=scaled, keep=keep), header)

    def origin_lines(self) -> list[str]:
        """Where a set derived by :meth:`reweighted` came from: the loaded set's id, version and sha256, and
        each weight (and the total) that differs from it; nothing for a loaded set."""
        base = self.base
        if base is None:
            return []
        lines = [SAVED_FROM.format(id=base.id, version=base.version or "—", sha256=base.sha256)]
        if base.total != self.total:
            lines.append(SAVED_TOTAL.format(old=plain(base.total), new=plain(self.total)))
        lines += [
            SAVED_WEIGHT.format(id=new.id, old=plain(old.weight), new=plain(new.weight))
            for old, new in zip(base.indicators, self.indicators, strict=True)
            if old.weight != new.weight
        ]
        return lines

    @in_context
    def saved_spec(self, *, scaled: bool = False, keep: Collection[str] = ()) -> SetSpec:
        """The file format of the set to save: :attr:`effective_spec`, or with ``scaled`` each rule's points
        (the numbers under :data:`RULE_POINT_KEYS`) multiplied by weight / rule weight and its ``rule_weight``
        dropped — for every row whose weight changed but those that keep their rule as written: judged rows
        (a unit file's awarded points are at the rule's weight), rows named in ``keep`` (rows the unit data
        overrides, say), and rows whose scaled points would not be exact decimals of at most
        ``limits.MAX_NUMBER_CHARS`` characters (the row then scores exactly as before)."""
        spec = self.effective_spec
        if not scaled:
            return spec
        indicators = [
            _scaled_row(item, indicator) if indicator.id not in keep else item
            for item, indicator in zip(spec.indicators, self.indicators, strict=True)
        ]
        return spec.model_copy(update={"indicators": indicators})

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
        return replace(changed, sha256=digest, base=self.base if unchanged else (self.base or self))

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


def _scaled_row(item: IndicatorSpec, indicator: Indicator) -> IndicatorSpec:
    """The row ``item`` (an indicator as :attr:`IndicatorSet.effective_spec` writes it) with its rule's points at
    its weight and no ``rule_weight``; ``item`` itself when it has no rule weight, is judged, or a point would
    not scale exactly."""
    if item.rule_weight is None or indicator.rule.judged:
        return item
    factor = Fraction(indicator.weight) / Fraction(indicator.reference_weight)
    rule = _scaled_points(item.rule.model_dump(by_alias=True, exclude_none=True), factor, False)
    if rule is None:
        return item
    return item.model_copy(update={"rule": type(item.rule).model_validate(rule), "rule_weight": None})


def _scaled_points(data: Any, factor: Fraction, is_points: bool) -> Any:
    """``data`` (a rule's mapping as plain data) with every number under :data:`RULE_POINT_KEYS` times
    ``factor``; None if one of them would not be an exact decimal short enough to be read back."""
    if isinstance(data, dict):
        # a mapping under a points key (met's partial: text → points) holds points in every value
        scaled = {
            key: _scaled_points(value, factor, is_points or key in RULE_POINT_KEYS)
            for key, value in data.items()
        }
        return None if any(value is None for value in scaled.values()) else scaled
    if isinstance(data, list):
        items = [_scaled_points(value, factor, is_points) for value in data]
        return None if any(value is None for value in items) else items
    if not is_points or not isinstance(data, Decimal):
        return data
    exact = Fraction(data) * factor
    points = from_fraction(exact)
    fits = Fraction(points) == exact and len(plain(points)) <= limits.MAX_NUMBER_CHARS
    return points if fits else None


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
