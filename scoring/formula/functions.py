"""What a compiled formula can call: the functions of the language and the conversion of true/false to a
number, each bounded, each failing with :class:`FormulaFailure` on values outside its domain."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import limits
from ..numbers import CONTEXT, ONE, ZERO


class FormulaFailure(ArithmeticError):
    """A formula cannot be computed on these values (a function given values outside its domain)."""


class PowerTooLarge(FormulaFailure):
    """Raised at evaluation when an exponent computed from data exceeds :data:`limits.MAX_POWER`."""


def as_number(value: Any) -> Decimal:
    """A value arithmetic may take: true and false count as 1 and 0; every number stays a Decimal (so no
    Python integer, with its unbounded size, ever enters the arithmetic)."""
    if value.__class__ is Decimal:
        return value
    if value is True:
        return ONE
    if value is False:
        return ZERO
    raise FormulaFailure(f"{value!r} is not a number")


def power(base: Decimal, exponent: Decimal) -> Decimal:
    if abs(exponent) > limits.MAX_POWER:
        raise PowerTooLarge(f"exponent {exponent} is larger than {limits.MAX_POWER}")
    result = base**exponent
    if not result.is_finite():  # 0 ** -1 is Infinity without a signal
        raise FormulaFailure(f"{base} ** {exponent} has no finite value")
    return result


def smallest(*args: Any) -> Any:
    return min(args)


def largest(*args: Any) -> Any:
    return max(args)


def absolute(value: Decimal) -> Decimal:
    return abs(value)


def round_half_up(value: Decimal, places: Decimal = ZERO) -> Decimal:
    if places != places.to_integral_value() or not 0 <= places <= 12:
        raise FormulaFailure(f"round() places must be a whole number from 0 to 12, not {places}")
    return value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP, context=CONTEXT)


def clamp(value: Any, low: Any, high: Any) -> Any:
    if low > high:
        raise FormulaFailure(f"clamp() lower bound {low} is above upper bound {high}")
    return min(max(value, low), high)


#: name → (implementation, fewest arguments, most arguments or None for any number, whether its arguments
#: are numbers (true/false converted) and its result always a number)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int | None, bool]] = {
    "min": (smallest, 2, None, False),
    "max": (largest, 2, None, False),
    "abs": (absolute, 1, 1, True),
    "round": (round_half_up, 1, 2, True),
    "clamp": (clamp, 3, 3, False),
}

#: Words that cannot be used as input or derived names.
RESERVED_NAMES = frozenset(FUNCTIONS) | {"value", "True", "False", "true", "false"}


def scope() -> dict[str, Any]:
    """Globals of a compiled formula: no builtins, only these functions (constants are added per formula)."""
    names: dict[str, Any] = {"__builtins__": {}, "_pow": power, "_num": as_number}
    names.update({f"_{name}": impl for name, (impl, _, _, _) in FUNCTIONS.items()})
    return names
