"""Evaluate one unit against an indicator set.

Everything that can be decided without the unit's data was decided when the set was loaded (formulas
compiled, rules built, dependencies resolved) and when the unit was bound (values checked, missing inputs
found), so this is a single pass: derived names, each indicator's value, its rule, rounding, subtotals.
"""

from __future__ import annotations

import decimal
import weakref
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..errors import EvaluationError, Problem
from ..formats.set_format import Rounding
from ..model.indicator_set import Indicator, IndicatorSet
from ..model.loading import unit_from_mapping
from ..model.panel_bind import panel_warnings
from ..model.unit import Override, Unit
from ..model.value_hints import value_warnings
from ..numbers import CONTEXT, HUNDRED, ROUNDING_MODES, ZERO, quantum_for, round_to
from ..rules import RuleFailure
from .failures import FAILURES, derived_failure, failure, number_or_bool
from .result import (
    DataProvenance,
    EngineProvenance,
    GroupResult,
    IndicatorResult,
    NotApplicableStep,
    OverrideStep,
    Provenance,
    Result,
    SetProvenance,
    Status,
    TraceInputs,
)


@cache
def engine_version() -> str:
    """The installed version of this library (recorded in every result)."""
    try:
        return version("scoring-engine")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout that was never installed
        return "0+unknown"


def evaluate(indicator_set: IndicatorSet, unit: Unit | Mapping[str, Any]) -> Result:
    """Score one unit. ``unit`` is a loaded :class:`Unit` or a mapping in the unit-data format.

    Raises :class:`~scoring.errors.DataError` for data that does not fit the set and
    :class:`~scoring.errors.EvaluationError` (naming the indicator, formula and inputs) when a formula fails.
    """
    if not isinstance(unit, Unit):
        unit = unit_from_mapping(unit, indicator_set)
    elif unit.indicator_set is not indicator_set:
        unit = unit.bind(indicator_set)
    with decimal.localcontext(CONTEXT):
        return _evaluate(indicator_set, unit)


def environment(
    indicator_set: IndicatorSet, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Exception]]:
    """The unit's values with every derived name computed, and the derived names that failed (and why).

    A derived name whose inputs are absent (only not-applicable rows need them) is left out; what needs
    it fails with a NameError. Run inside ``decimal.localcontext(CONTEXT)``.
    """
    env: dict[str, Any] = dict(values)
    failed: dict[str, Exception] = {}
    for name, formula in indicator_set.derived:
        try:
            env[name] = number_or_bool(formula.evaluate(env))
        except NameError:
            pass  # an input only N/A indicators need is absent; binding checked the rest
        except FAILURES as exc:
            failed[name] = exc
    return env, failed


def score_indicator(indicator: Indicator, env: Mapping[str, Any], unit: Unit) -> tuple[Any, Decimal, Any]:
    """(formula value, points at the reference weight, the rule's step) for one row of the unit.

    Raises what the formula or rule raises (one of :data:`FAILURES`). Run inside
    ``decimal.localcontext(CONTEXT)``.
    """
    rule = indicator.rule
    formula = indicator.formula
    if formula is not None:
        value = formula.evaluate(env)
        if value.__class__ is str and rule.scores_textual:
            pass  # a text or date input's value, given to a rule that reads it
        elif value.__class__ is not Decimal or not value.is_finite():
            value = number_or_bool(value)
            if rule.needs_value and value.__class__ is not Decimal:
                raise RuleFailure(f"the formula gives {value!r}, but the {rule.kind} rule needs a number")
        points, step = rule.score(value, env)
        return value, points, step
    if rule.judged:
        award = unit.judgments.get(indicator.id)
        if award is None:
            raise RuleFailure("no judgment given")  # only when overridden; binding requires it otherwise
        points, step = rule.score(award, env)
        return None, points, step
    points, step = rule.score(None, env)
    return None, points, step


def at_weight(points: Decimal, weight: Decimal, reference: Decimal) -> Decimal:
    """Points written at the reference weight, at the indicator's current weight (division last)."""
    return points if weight == reference else points * weight / reference


def rounded_total(indicator_set: IndicatorSet, row_sum: Decimal, attainable: Decimal) -> Decimal:
    """The total for a sum of rounded rows: rescaled when N/A rows were dropped (× total / attainable,
    division last), then rounded as the set declares. Run inside ``decimal.localcontext(CONTEXT)``."""
    maximum, rounding = indicator_set.total, indicator_set.rounding
    exact = row_sum if attainable == maximum else row_sum * maximum / attainable
    return round_to(exact, rounding.total_places, rounding.mode)


#: What the totals need of a row: whether it counts, its lowest and highest rounded points, its weight.
_Share = tuple[bool, Decimal, Decimal, Decimal]


def _evaluate(indicator_set: IndicatorSet, unit: Unit) -> Result:
    rounding = indicator_set.rounding
    quantum, mode = quantum_for(rounding.places), ROUNDING_MODES[rounding.mode]
    env, failed_derived = environment(indicator_set, unit.values)
    problems: list[Problem] = []
    rows: list[IndicatorResult] = []
    shares: list[_Share] = []
    for indicator in indicator_set.indicators:
        key = indicator.id
        if key in unit.not_applicable or key in unit.unknown:
            row = (_not_applicable_row if key in unit.not_applicable else _unknown_row)(
                indicator, unit, rounding
            )
            rows.append(row)
            low, high = row.points_range or (row.points, row.points)
            # an N/A row has its points and an unknown row its range; the row type cannot say which
            shares.append((row.counted, low, high, indicator.weight))  # type: ignore[arg-type]
            continue
        override = unit.overrides.get(key)
        if failed_derived and override is None and not indicator.needs_derived.isdisjoint(failed_derived):
            problems.append(derived_failure(indicator_set, indicator, env, failed_derived))
            continue
        weight, reference = indicator.weight, indicator.reference_weight
        status: Status
        if override is not None:
            value, step, exact = _overridden(indicator, env, unit, override)
            status = "overridden"
        else:
            try:
                value, reference_points, step = score_indicator(indicator, env, unit)
            except FAILURES as exc:
                problems.append(failure(indicator, env, exc))
                continue
            exact = reference_points if weight == reference else reference_points * weight / reference
            status = "judged" if indicator.rule.judged else "scored"
        points = exact.quantize(quantum, rounding=mode)
        rows.append(
            IndicatorResult(
                indicator, status, value, exact, points, step, TraceInputs(indicator.trace_names, env)
            )
        )
        shares.append((True, points, points, weight))
    if problems:
        raise EvaluationError(problems)
    return _assemble(indicator_set, unit, rows, shares)


def _overridden(
    indicator: Indicator, env: Mapping[str, Any], unit: Unit, override: Override
) -> tuple[Any, OverrideStep, Decimal]:
    """(formula value, step, exact points) of an overridden row; what the formula and rule give is kept
    beside the override when they succeed, and left out when they fail."""
    weight, reference = indicator.weight, indicator.reference_weight
    value: Any = None
    computed_step: Any = None
    computed: Decimal | None = None
    try:
        value, reference_points, computed_step = score_indicator(indicator, env, unit)
    except FAILURES:
        pass  # the override stands in for the failed row
    else:
        computed = at_weight(reference_points, weight, reference)
    step = OverrideStep(
        points=override.points, reason=override.reason, computed_points=computed, computed=computed_step
    )
    return value, step, at_weight(override.points, weight, reference)


def _not_applicable_row(indicator: Indicator, unit: Unit, rounding: Rounding) -> IndicatorResult:
    policy = indicator.not_applicable
    exact = indicator.weight if policy == "full" else ZERO
    points = round_to(exact, rounding.places, rounding.mode)
    return IndicatorResult(indicator, "not_applicable", None, exact, points, NotApplicableStep(policy=policy))


def _unknown_row(indicator: Indicator, unit: Unit, rounding: Rounding) -> IndicatorResult:
    unknown = unit.unknown[indicator.id]
    weight, reference = indicator.weight, indicator.reference_weight
    low = round_to(at_weight(unknown.low, weight, reference), rounding.places, rounding.mode)
    high = round_to(at_weight(unknown.high, weight, reference), rounding.places, rounding.mode)
    return IndicatorResult(indicator, "unknown", None, None, None, unknown, points_range=(low, high))


def _assemble(
    indicator_set: IndicatorSet, unit: Unit, rows: list[IndicatorResult], shares: list[_Share]
) -> Result:
    maximum = indicator_set.total
    row_sum = unknown_low = unknown_high = ZERO
    has_unknown = False
    attainable = maximum
    for (counted, low, high, weight), row in zip(shares, rows, strict=True):
        if not counted:
            attainable -= weight
        elif row.points is not None:
            row_sum += low
        else:
            has_unknown = True
            unknown_low += low
            unknown_high += high
    if attainable <= 0:
        raise EvaluationError(
            Problem(
                "nothing-applicable",
                "every indicator is not applicable with the 'rescale' policy; there is nothing to score",
                None,
                unit.name,
            )
        )
    if has_unknown:
        total = None
        total_range = (
            rounded_total(indicator_set, row_sum + unknown_low, attainable),
            rounded_total(indicator_set, row_sum + unknown_high, attainable),
        )
        grades = indicator_set.grades_between(*total_range)
    else:
        total = rounded_total(indicator_set, row_sum, attainable)
        total_range = None
        grades = (indicator_set.grade_for(total),)
    return Result.build(
        unit.name,
        unit.period,
        total,
        grades[0] if total is not None else None,
        maximum,
        row_sum,
        attainable,
        None if attainable == maximum else maximum / attainable,
        tuple(rows),
        _groups(indicator_set, rows, shares),
        _provenance(indicator_set, unit),
        total_range,
        grades,
        (unknown_low, unknown_high) if has_unknown else None,
        value_warnings(unit) + panel_warnings(unit),
    )


#: Each unit's provenance, made once (a unit is bound to one set, so it names what produced its results).
_PROVENANCE: weakref.WeakKeyDictionary[Unit, Provenance] = weakref.WeakKeyDictionary()


def _provenance(indicator_set: IndicatorSet, unit: Unit) -> Provenance:
    known = _PROVENANCE.get(unit)
    if known is None:
        known = _PROVENANCE[unit] = _make_provenance(indicator_set, unit)
    return known


def _make_provenance(indicator_set: IndicatorSet, unit: Unit) -> Provenance:
    return Provenance(
        set=SetProvenance(
            id=indicator_set.id,
            version=indicator_set.version,
            sha256=indicator_set.sha256,
            source=indicator_set.source,
        ),
        data=DataProvenance(source=unit.source, sha256=unit.sha256),
        engine=EngineProvenance(name="scoring", version=engine_version()),
    )


def _groups(
    indicator_set: IndicatorSet, rows: list[IndicatorResult], shares: list[_Share]
) -> tuple[GroupResult, ...]:
    """Subtotals: sums of the members' rounded points (a range when a member is unknown)."""
    count = len(indicator_set.groups)
    low, high, weights = [ZERO] * count, [ZERO] * count, [ZERO] * count
    uncertain = [False] * count
    for (counted, row_low, row_high, weight), row, slots in zip(
        shares, rows, indicator_set.group_slots, strict=True
    ):
        if not counted:
            continue
        unknown = row.points is None
        for slot in slots:
            low[slot] += row_low
            high[slot] += row_high
            weights[slot] += weight
            if unknown:
                uncertain[slot] = True
    groups = []
    for index, group in enumerate(indicator_set.groups):
        weight = weights[index]
        points = None if uncertain[index] else low[index]
        groups.append(
            GroupResult(
                group.path,
                group.label,
                group.depth,
                weight,
                points,
                points * HUNDRED / weight if points is not None and weight else None,
                indicator_set.grade_for(points, weight) if points is not None and weight else None,
                group.members,
                (low[index], high[index]) if uncertain[index] else None,
            )
        )
    return tuple(groups)
