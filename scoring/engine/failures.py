"""What a formula or rule may raise on a unit's data, and the problem each becomes.

Only failures of the unit's own arithmetic are caught — decimal signals (division by zero, overflow, an
undefined operation), a rule that cannot score a value, a value that is missing or of the wrong kind.
Anything else is a bug and is left to surface.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..errors import Problem
from ..formula import FormulaFailure
from ..model.indicator_set import Indicator, IndicatorSet
from ..numbers import value_text

#: What formulas and rules raise on bad data: ArithmeticError covers decimal's signals and the formula
#: functions' and the rules' own failures (:class:`~scoring.formula.FormulaFailure`,
#: :class:`~scoring.rules.RuleFailure`); NameError a value the unit does not give.
FAILURES: tuple[type[Exception], ...] = (ArithmeticError, NameError)


def number_or_bool(value: Any) -> Decimal | bool:
    """A formula's result as a finite Decimal or a bool (whole numbers from booleans become Decimal)."""
    if value.__class__ is Decimal or value.__class__ is bool:
        if value.__class__ is Decimal and not value.is_finite():
            raise ArithmeticError(f"result is {value}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise FormulaFailure(f"result {value!r} is neither a number nor true/false")


def failure(indicator: Indicator, env: Mapping[str, Any], exc: Exception) -> Problem:
    """The problem of an indicator whose formula or rule failed on this unit's values."""
    shown = ", ".join(f"{name} = {value_text(env.get(name), None)}" for name in indicator.trace_names)
    formula = f" formula {indicator.formula.text!r}" if indicator.formula is not None else ""
    return Problem(
        "evaluation",
        f"indicator '{indicator.id}' cannot be scored: {reason(exc)};{formula} with {shown or 'no inputs'}",
        indicator.location,
        indicator.id,
        "check these values, or mark the indicator not_applicable",
    )


def derived_failure(
    indicator_set: IndicatorSet, indicator: Indicator, env: Mapping[str, Any], failed: Mapping[str, Exception]
) -> Problem:
    """The problem of an indicator that needs a derived name whose formula failed on this unit's values."""
    name, formula = next(
        (name, formula)
        for name, formula in indicator_set.derived
        if name in failed and name in indicator.needs_derived
    )
    shown = ", ".join(f"{used} = {value_text(env.get(used), None)}" for used in sorted(formula.names))
    return Problem(
        "evaluation",
        f"indicator '{indicator.id}' cannot be scored: derived '{name}' = {formula.text!r} fails with "
        f"{shown or 'no inputs'}: {reason(failed[name])}",
        indicator.location,
        indicator.id,
        "check these values, or mark the indicator not_applicable",
    )


def reason(exc: Exception) -> str:
    """Why a formula or rule failed, in words."""
    if isinstance(exc, decimal.DivisionByZero | ZeroDivisionError):
        return "division by zero"
    if isinstance(exc, decimal.Overflow):
        return "a result is too large"
    if isinstance(exc, decimal.InvalidOperation):
        return "an undefined operation (such as 0/0 or a root of a negative number)"
    if isinstance(exc, NameError):
        return f"a value is missing ({exc})"
    return str(exc) or type(exc).__name__
