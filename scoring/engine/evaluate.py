"""Evaluate one unit against an indicator set.

Everything that can be decided without the unit's data was decided when the set was loaded (formulas
compiled, rules built, dependencies resolved) and when the unit was bound (values checked, missing inputs
found), so this is a single pass: derived names, each indicator's value, its rule, rounding, subtotals.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from ..errors import EvaluationError, Problem
from ..formula import PowerTooLarge
from ..model.indicator_set import Indicator, IndicatorSet
from ..model.unit import Unit, Unknown, unit_from_mapping
from ..numbers import CONTEXT, HUNDRED, ROUNDING_MODES, ZERO, plain, quantum_for, round_to
from ..rules import RuleFailure
from ..version import __version__
from .result import GroupResult, IndicatorResult, Provenance, Result

#: What a formula or rule may raise on bad data; each becomes an :class:`EvaluationError` problem.
#: The values of a row that read none (not applicable, unknown).
_NO_VALUES: Mapping[str, Any] = MappingProxyType({})

_FAILURES = (ArithmeticError, TypeError, ValueError, NameError, KeyError, RuleFailure, PowerTooLarge)


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


def _evaluate(indicator_set: IndicatorSet, unit: Unit) -> Result:
    rounding = indicator_set.spec.rounding
    places, mode = rounding.places, rounding.mode
    quantum, rounding_mode = quantum_for(places), ROUNDING_MODES[mode]
    env: dict[str, Any] = dict(unit.values)
    failed_derived: dict[str, Exception] = {}
    for name, formula in indicator_set.derived:
        try:
            env[name] = _number_or_bool(formula.evaluate(env))
        except NameError:
            pass  # an input only N/A indicators need is absent; binding checked the rest
        except _FAILURES as exc:
            failed_derived[name] = exc

    problems: list[Problem] = []
    rows: list[IndicatorResult] = []
    not_applicable = unit.not_applicable
    overrides = unit.overrides
    unknown = unit.unknown
    for indicator in indicator_set.indicators:
        key = indicator.id
        if key in not_applicable:
            rows.append(_not_applicable_row(indicator, places, mode))
            continue
        if unknown and key in unknown:
            rows.append(_unknown_row(indicator, unknown[key], places, mode))
            continue
        overridden = bool(overrides) and key in overrides
        if failed_derived and not overridden and not indicator.needs_derived.isdisjoint(failed_derived):
            problems.append(_derived_failure(indicator_set, indicator, env, failed_derived))
            continue
        try:
            value, reference_points, step = _score(indicator, env, unit)
        except _FAILURES as exc:
            if not overridden:
                problems.append(_failure(indicator, env, exc))
                continue
            value = reference_points = step = None
        weight, reference = indicator.weight, indicator.reference_weight
        rule = indicator.rule
        computed_points = None
        if overridden:
            override = overrides[key]
            if reference_points is not None:
                computed_points = _at_weight(reference_points, weight, reference)
            exact = _at_weight(override.points, weight, reference)
            status, reason = "overridden", override.reason
        else:
            assert reference_points is not None
            exact = reference_points if weight == reference else reference_points * weight / reference
            judged = rule.kind == "judgment"
            status, reason = ("judged", step.reason) if judged else ("scored", None)
        formula = indicator.formula
        rows.append(
            IndicatorResult(
                key,
                indicator.label,
                indicator.group,
                weight,
                status,
                rule.kind,
                indicator.spec.unit,
                formula.text if formula is not None else None,
                indicator.trace_names,
                value,
                exact,
                exact.quantize(quantum, rounding=rounding_mode),
                None,
                reason,
                computed_points,
                rule,
                step,
                env,
            )
        )
    if problems:
        raise EvaluationError(problems)
    return _assemble(indicator_set, unit, rows)


def _score(indicator: Indicator, env: dict[str, Any], unit: Unit) -> tuple[Any, Decimal, Any]:
    """(formula value, points at the reference weight, the rule's step record)."""
    rule = indicator.rule
    formula = indicator.formula
    if formula is not None:
        value = eval(formula.code, formula.scope, env)  # the compiled, allowlisted formula (see formula.py)
        if value.__class__ is not Decimal or not value.is_finite():
            value = _number_or_bool(value)
            if rule.needs_value and value.__class__ is not Decimal:
                raise TypeError(f"the formula gives {value!r}, but the {rule.kind} rule needs a number")
        points, step = rule.score(value, env)
        return value, points, step
    if rule.kind == "judgment":
        award = unit.judgments.get(indicator.id)
        if award is None:
            raise ValueError("no judgment given")  # only when overridden; binding requires it otherwise
        points, step = rule.score(award, env)
        return None, points, step
    points, step = rule.score(None, env)
    return None, points, step


def _number_or_bool(value: Any) -> Decimal | bool:
    if value.__class__ is Decimal or value.__class__ is bool:
        if value.__class__ is Decimal and not value.is_finite():
            raise ArithmeticError(f"result is {value}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"result {value!r} is neither a number nor true/false")


def _at_weight(points: Decimal, weight: Decimal, reference: Decimal) -> Decimal:
    """Points written at the reference weight, at the indicator's current weight (division last)."""
    return points if weight == reference else points * weight / reference


def _not_applicable_row(indicator: Indicator, places: int, mode: Any) -> IndicatorResult:
    policy = indicator.not_applicable
    exact = indicator.weight if policy == "full" else ZERO
    return IndicatorResult(
        indicator.id,
        indicator.label,
        indicator.group,
        indicator.weight,
        "not_applicable",
        indicator.rule.kind,
        indicator.spec.unit,
        indicator.formula.text if indicator.formula is not None else None,
        (),
        None,
        exact,
        round_to(exact, places, mode),
        policy,
        None,
        None,
        None,
        None,
        _NO_VALUES,
    )


def _unknown_row(indicator: Indicator, unknown: Unknown, places: int, mode: Any) -> IndicatorResult:
    weight, reference = indicator.weight, indicator.reference_weight
    low = round_to(_at_weight(unknown.low, weight, reference), places, mode)
    high = round_to(_at_weight(unknown.high, weight, reference), places, mode)
    formula = indicator.formula
    return IndicatorResult(
        indicator.id,
        indicator.label,
        indicator.group,
        weight,
        "unknown",
        indicator.rule.kind,
        indicator.spec.unit,
        formula.text if formula is not None else None,
        (),
        None,
        None,
        None,
        None,
        unknown.reason,
        None,
        indicator.rule,
        unknown,
        _NO_VALUES,
        (low, high),
    )


def _failure(indicator: Indicator, env: Mapping[str, Any], exc: Exception) -> Problem:
    shown = ", ".join(f"{name} = {_show(env.get(name))}" for name in indicator.trace_names)
    formula = f" formula {indicator.formula.text!r}" if indicator.formula is not None else ""
    return Problem(
        "evaluation",
        f"indicator '{indicator.id}' cannot be scored: {_reason(exc)};{formula} with {shown or 'no inputs'}",
        indicator.location,
        indicator.id,
        "check these values, or mark the indicator not_applicable",
    )


def _derived_failure(
    indicator_set: IndicatorSet, indicator: Indicator, env: Mapping[str, Any], failed: Mapping[str, Exception]
) -> Problem:
    formulas = dict(indicator_set.derived)
    name = next(
        name for name, _ in indicator_set.derived if name in failed and name in indicator.needs_derived
    )
    formula = formulas[name]
    shown = ", ".join(f"{used} = {_show(env.get(used))}" for used in sorted(formula.names))
    return Problem(
        "evaluation",
        f"indicator '{indicator.id}' cannot be scored: derived '{name}' = {formula.text!r} fails with "
        f"{shown or 'no inputs'}: {_reason(failed[name])}",
        indicator.location,
        indicator.id,
        "check these values, or mark the indicator not_applicable",
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, decimal.DivisionByZero | ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, decimal.Overflow):
        return "a result is too large"
    if isinstance(exc, decimal.InvalidOperation):
        return "an undefined operation (such as 0/0 or a root of a negative number)"
    if isinstance(exc, NameError):
        return f"a value is missing ({exc})"
    return str(exc) or type(exc).__name__


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    return "missing" if value is None else str(value)


def _assemble(indicator_set: IndicatorSet, unit: Unit, rows: list[IndicatorResult]) -> Result:
    maximum = indicator_set.total
    row_sum = ZERO
    unknown_low = unknown_high = ZERO
    has_unknown = False
    attainable = maximum
    for row in rows:
        if not row.counted:
            attainable -= row.weight
        elif row.points is not None:
            row_sum += row.points
        else:
            assert row.points_range is not None
            has_unknown = True
            unknown_low += row.points_range[0]
            unknown_high += row.points_range[1]
    if attainable <= 0:
        raise EvaluationError(
            Problem(
                "nothing-applicable",
                "every indicator is not applicable with the 'rescale' policy; there is nothing to score",
                None,
                unit.name,
            )
        )
    scale = None if attainable == maximum else maximum / attainable

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
    return Result(
        unit=unit.name,
        period=unit.period,
        total=total,
        grade=grades[0] if total is not None else None,
        maximum=maximum,
        row_sum=row_sum,
        attainable=attainable,
        scale=scale,
        indicators=tuple(rows),
        groups=_groups(indicator_set, rows),
        provenance=Provenance(
            indicator_set.id,
            indicator_set.version,
            indicator_set.sha256,
            indicator_set.source,
            unit.source,
            unit.sha256,
            __version__,
        ),
        total_range=total_range,
        grades_possible=grades,
        unknown_range=(unknown_low, unknown_high) if has_unknown else None,
    )


def rounded_total(indicator_set: IndicatorSet, row_sum: Decimal, attainable: Decimal) -> Decimal:
    """The total for a sum of rounded rows: rescaled when N/A rows were dropped (× total / attainable,
    division last), then rounded as the set declares. Run inside ``decimal.localcontext(CONTEXT)``."""
    maximum, rounding = indicator_set.total, indicator_set.spec.rounding
    exact = row_sum if attainable == maximum else row_sum * maximum / attainable
    return round_to(exact, rounding.total_places, rounding.mode)


#: Public names for analyses that score one row at a time (scoring.margins).
score_row = _score
number_or_bool = _number_or_bool


def _groups(indicator_set: IndicatorSet, rows: list[IndicatorResult]) -> tuple[GroupResult, ...]:
    """Subtotals: sums of the members' rounded points (a range when a member is unknown)."""
    count = len(indicator_set.groups)
    low, high, weights = [ZERO] * count, [ZERO] * count, [ZERO] * count
    uncertain = [False] * count
    for row, slots in zip(rows, indicator_set.group_slots, strict=True):
        if not row.counted:
            continue
        if row.points is not None:
            row_low = row_high = row.points
        else:
            assert row.points_range is not None
            row_low, row_high = row.points_range
        for slot in slots:
            low[slot] += row_low
            high[slot] += row_high
            weights[slot] += row.weight
            uncertain[slot] = uncertain[slot] or row.points is None
    groups = []
    for index, group in enumerate(indicator_set.groups):
        weight = weights[index]
        points = None if uncertain[index] else low[index]
        percentage = points * HUNDRED / weight if points is not None and weight else None
        grade = indicator_set.grade_for(points, weight) if points is not None and weight else None
        points_range = (low[index], high[index]) if uncertain[index] else None
        groups.append(
            GroupResult(
                group.path,
                group.label,
                group.depth,
                weight,
                points,
                percentage,
                grade,
                group.members,
                points_range,
            )
        )
    return tuple(groups)
