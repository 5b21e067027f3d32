"""Exact decimal arithmetic: the one context every computation runs in, rounding as people do it, and
numbers written as text for people (one way, everywhere)."""

from __future__ import annotations

import decimal
import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal, ParamSpec, TypeVar

from .limits import MAX_EXPONENT, MAX_MAGNITUDE, PRECISION

CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=MAX_EXPONENT,
    Emin=-MAX_EXPONENT,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

RoundingMode = Literal["half_up", "half_even", "down", "up"]

_Params = ParamSpec("_Params")
_Returns = TypeVar("_Returns")


def in_context(function: Callable[_Params, _Returns]) -> Callable[_Params, _Returns]:
    """Run ``function`` in the library's decimal context, whatever context the calling program has set (its
    precision, rounding and traps must not change a score)."""

    @functools.wraps(function)
    def in_library_context(*args: _Params.args, **kwargs: _Params.kwargs) -> _Returns:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)

    return in_library_context


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


def within_magnitude(number: Decimal) -> bool:
    """Whether a finite number lies within 10**±MAX_MAGNITUDE (or is zero)."""
    return number.is_zero() or -MAX_MAGNITUDE <= number.adjusted() < MAX_MAGNITUDE


def python_scalar(value: object) -> object:
    """A numpy scalar (a cell taken from an array or a DataFrame) as the Python int, float or bool it holds —
    a float32 or float16 as the Decimal of its own shortest text (``float32(0.1)`` is 0.1, not the float64
    0.10000000149011612 it widens to); anything else as it is. numpy itself is not imported."""
    kind = type(value)
    if kind.__module__ == "numpy" and hasattr(value, "item"):
        if kind.__name__ in ("float32", "float16") and value == value and abs(value) != float("inf"):  # type: ignore[arg-type]
            return Decimal(str(value))  # numpy prints a float of either width as its shortest text
        return value.item()
    return value


def as_decimal(value: object) -> Decimal | None:
    """A number given as a Python value, as a Decimal: ints exactly, floats from their shortest text (0.1 →
    Decimal('0.1'), as the YAML reader reads 0.1), numpy scalars as the number they hold. None for anything
    else, booleans and text included."""
    value = python_scalar(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def from_fraction(value: Fraction) -> Decimal:
    """A rational as a Decimal with the engine's precision (exact whenever it fits in it)."""
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


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
    if value.is_zero():
        value = value.copy_abs()  # -0 is 0
    elif not -40 < value.adjusted() < 40:
        return f"{value:E}"
    if value == value.to_integral_value():
        return format(value.quantize(ONE, context=CONTEXT), "f")
    return format(value.normalize(CONTEXT), "f")


ROUNDING_HALF_UP = decimal.ROUND_HALF_UP


def shown(value: Decimal, places: int = 4) -> str:
    """A value for people to read: at most ``places`` decimals (half-up), trailing zeros dropped."""
    exponent = value.as_tuple().exponent  # an int when the value is finite, a letter otherwise
    if isinstance(exponent, int) and exponent < -places:
        value = round_to(value, places)
    return plain(value)


def fixed(value: Decimal, places: int) -> str:
    """``value`` rounded (half-up) and written with exactly ``places`` decimals: 78 → '78.0' (and -0.001 →
    '0.00', not '-0.00')."""
    rounded = round_to(value, places)
    return format(rounded.copy_abs() if rounded.is_zero() else rounded, "f")


def percent(share: Decimal | None, places: int = 1) -> str:
    """A share as a percentage with ``places`` decimals (0.257 → '25.7%'); '—' for None."""
    if share is None:
        return "—"
    return fixed(share * HUNDRED, places) + "%"


def signed(value: Decimal, places: int) -> str:
    """``fixed`` with a '+' before a positive value (zero has no sign)."""
    text = fixed(value, places)
    return text if text.startswith("-") or round_to(value, places) == 0 else "+" + text


def value_text(value: object, places: int | None = 4) -> str:
    """A figure as a trace shows it: true/false, a number with at most ``places`` decimals (all of them
    when None), 'missing' for no value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value) if places is None else shown(value, places)
    return "missing" if value is None else str(value)


def count(number: int | Decimal, noun: str, plural: str | None = None) -> str:
    """'1 difference', '2 differences' (``plural`` when it is not ``noun`` + 's')."""
    return f"{number} {noun if number == 1 else (plural or noun + 's')}"


#: Text that is a number but for a percent sign or thousands separators ('87.70%', '1,234.56').
_NUMBER_TEXT = re.compile(r"^\s*[-+]?[\d,]*\.?\d+\s*%?\s*$", re.ASCII)


def number_meant(text: str) -> str | None:
    """For text such as '87.70%' or '1,234.56', the plain number the user probably meant."""
    text = unicodedata.normalize("NFKC", text)  # full-width １２３，％ as Chinese input methods type them
    if not _NUMBER_TEXT.match(text):
        return None
    cleaned = text.strip().replace(",", "").rstrip("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    # keep the digits as written (87.70 stays 87.70) unless they need normalising (0090 → 90)
    return (
        cleaned if cleaned.lstrip("+-")[:1] != "0" or cleaned.lstrip("+-").startswith("0.") else plain(number)
    )


def number_hint(text: str) -> str | None:
    """The hint for a number given as text ('87.70%', '1,234.56', a quoted '95'): the number to write."""
    meant = number_meant(text)
    return None if meant is None else f"write {meant} (a plain number, without % or thousands separators)"
