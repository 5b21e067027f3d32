"""Exact decimal arithmetic: the one context every computation runs in, and rounding as people do it."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Literal

#: Significant digits kept by intermediate results (divisions such as 335/382 are the only inexact step).
PRECISION = 50
#: Largest decimal exponent a value may reach; beyond it a computation fails instead of running on.
MAX_EXPONENT = 10_000

CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=MAX_EXPONENT,
    Emin=-MAX_EXPONENT,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

RoundingMode = Literal["half_up", "half_even", "down", "up"]

#: decimal's rounding constant for each declared mode.
ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(0, 13)}


def round_to(value: Decimal, places: int, mode: RoundingMode = "half_up") -> Decimal:
    """Round ``value`` to ``places`` decimals with the named mode (half_up: 2.345 → 2.35)."""
    return value.quantize(quantum_for(places), rounding=ROUNDING_MODES[mode], context=CONTEXT)


def quantum_for(places: int) -> Decimal:
    """The Decimal 10**-places, which ``quantize`` rounds to."""
    return _QUANTUM.get(places) or Decimal(1).scaleb(-places)


def decimal_places(value: Decimal) -> int:
    """Number of digits after the point as written (5 → 0, 0.25 → 2, 1.50 → 2)."""
    exponent = value.normalize(CONTEXT).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def written_places(value: Decimal) -> int:
    """Digits after the point as the figure was written, trailing zeros included (92.0 → 1, 92 → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def plain(value: Decimal) -> str:
    """Decimal as plain text without exponent notation and without trailing zeros beyond the point.

    Values too large or small to write out (beyond 10**±40) keep scientific notation.
    """
    if not value.is_finite():
        return str(value)
    if not value.is_zero() and not -40 < value.adjusted() < 40:
        return f"{value:E}"
    if value == value.to_integral_value():
        return format(value.quantize(ONE, context=CONTEXT), "f")
    return format(value.normalize(CONTEXT), "f")


ROUNDING_HALF_UP = decimal.ROUND_HALF_UP


def shown(value: Decimal, places: int = 4) -> str:
    """A value for people to read: at most ``places`` decimals (half-up), trailing zeros dropped."""
    if value.is_finite() and value.as_tuple().exponent < -places:  # type: ignore[operator]
        value = round_to(value, places)
    return plain(value)


def count(number: int | Decimal, noun: str, plural: str | None = None) -> str:
    """'1 difference', '2 differences' (``plural`` when it is not ``noun`` + 's')."""
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"
