"""Exact integer arithmetic on arrays, for the columnar and matrix paths: rounding quotients as Decimal does, apportioning
by largest remainder, ranking; and the numbers moving between Decimal and integer counts of 10^-places."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import import_extra
from ..numbers import CONTEXT, plain

#: Integer operands are kept below this bound so that products and sums stay inside int64.
INT_LIMIT = 2**62


def numpy() -> Any:
    """The numpy module, or a located error saying how to install it."""
    message = "the columnar and matrix paths (batch scoring, sensitivity, Monte Carlo) need numpy"
    return import_extra("numpy", "needs-numpy", message, "fast")


def units_to_decimal(value: int, places: int) -> Decimal:
    """An integer count of ``10^-places`` as a Decimal."""
    return Decimal(int(value)).scaleb(-places, CONTEXT)


def to_units(value: Decimal, places: int) -> int:
    """A Decimal exact at ``places`` as an integer count of ``10^-places`` (ValueError otherwise)."""
    scaled = value.scaleb(places, context=CONTEXT)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{plain(value)} has more than {places} decimals")
    return int(scaled)


def round_div(num: Any, den: Any, mode: str) -> Any:
    """``num / den`` rounded to an integer with a declared mode (half_up, half_even, down, up); ``den > 0``.

    Works elementwise on int64 arrays (and on object arrays of Python integers) — and on plain ints.
    Half modes round ties away from zero (half_up) or to the even neighbour (half_even), like Decimal.
    """
    q = num // den  # floor division: 0 ≤ r < den
    r = num - q * den
    if mode == "down":  # toward zero
        return q + ((num < 0) & (r != 0))
    if mode == "up":  # away from zero
        return q + ((num >= 0) & (r != 0))
    twice = 2 * r
    above = twice > den
    tie = twice == den
    if mode == "half_up":  # ties away from zero: up for positive, down (= floor) for negative
        return q + (above | (tie & (num >= 0)))
    if mode == "half_even":
        return q + (above | (tie & (q % 2 == 1)))
    raise ValueError(f"unknown rounding mode {mode!r}")


def apportion_rows(amounts: Any, totals: Any) -> Any:
    """Largest remainder on each row of a float array (amounts in units): integers adding up to ``totals``.

    The vectorised :func:`scoring.weights.apportion` (with ``places`` 0, amounts already in units):
    every amount is rounded down, then the units still missing go to the largest remainders, ties to the
    earlier column. ``totals`` is an integer or one integer per row; each row of ``amounts`` must add up
    to its total (up to float error).
    """
    np = numpy()
    amounts = np.asarray(amounts, dtype=np.float64)
    rows, columns = amounts.shape
    floors = np.floor(amounts)
    remainders = amounts - floors  # exact for |x| < 2^52
    result = floors.astype(np.int64)
    missing = np.asarray(totals, dtype=np.int64) - result.sum(axis=1)
    if np.any(missing < 0) or np.any(missing > columns):
        raise ValueError("amounts do not add up to their totals")
    order = np.argsort(-remainders, axis=1, kind="stable")
    place = np.empty_like(order)
    np.put_along_axis(place, order, np.arange(columns)[None, :].repeat(rows, axis=0), axis=1)
    return result + (place < missing[:, None])


def ceil_int(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def short_fraction(points: Decimal, places: int, reference: int) -> tuple[int, int] | None:
    """P·10^places / reference as (num, den) integers within bounds, when P is a short decimal."""
    sign, digits, exponent = points.as_tuple()
    if not isinstance(exponent, int) or len(digits) > 18:
        return None
    a = int("".join(map(str, digits)) or "0")
    if sign:
        a = -a
    if exponent >= 0:
        a *= 10**exponent
        e = 0
    else:
        e = -exponent
    num = a * 10 ** max(places - e, 0)
    den = reference * 10 ** max(e - places, 0)
    if abs(num) >= INT_LIMIT or den >= INT_LIMIT:
        return None
    return num, den


def competition_ranks(totals: Any) -> Any:
    """Competition ranks along each row of a (K, U) integer array, highest first (95, 90, 90, 80 → 1, 2, 2, 4)."""
    np = numpy()
    totals = np.asarray(totals, dtype=np.int64)
    count_k, count_u = totals.shape
    if count_u == 0 or count_k == 0:
        return np.zeros(totals.shape, dtype=np.int64)
    shifted = totals - totals.min()
    span = int(shifted.max()) + 1
    if span * count_k < INT_LIMIT:
        keys = shifted + (np.arange(count_k, dtype=np.int64) * span)[:, None]
        flat = np.sort(keys, axis=None)
        after = np.searchsorted(flat, keys, side="right")
        ends = (np.arange(1, count_k + 1, dtype=np.int64) * count_u)[:, None]
        return 1 + ends - after
    ordered = np.sort(totals, axis=1)
    return np.stack(
        [1 + count_u - np.searchsorted(ordered[k], totals[k], side="right") for k in range(count_k)]
    )
