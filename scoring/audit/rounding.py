"""Which exact values round to a published figure, and back: the arithmetic of "equal at the printed places"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..numbers import CONTEXT, RoundingMode, plain, quantum_for, round_to, shown, written_places


@dataclass(frozen=True, slots=True)
class Bound:
    """An interval end: value and whether the interval includes it."""

    value: Decimal
    closed: bool


def exact_text(value: Decimal) -> str:
    """An exact computed figure for a message: as it is up to 6 decimals, else '≈' and 6 decimals (a
    rescaled sum can run to the context's 50 digits)."""
    return plain(value) if written_places(value) <= 6 else f"≈{shown(value, 6)}"


def rounds_to(value: Decimal, published: Decimal, places: int, mode: RoundingMode) -> bool:
    """Whether ``value`` rounded to ``places`` with ``mode`` gives ``published``."""
    return round_to(value, places, mode) == published


def preimage(published: Decimal, places: int, mode: RoundingMode) -> tuple[Bound, Bound]:
    """The exact values that round to ``published`` at ``places`` with ``mode`` (for values ≥ 0)."""
    half = quantum_for(places) / 2
    if mode == "half_up":
        return Bound(published - half, True), Bound(published + half, False)
    if mode == "half_even":
        even = int(published.scaleb(places, context=CONTEXT)) % 2 == 0
        return Bound(published - half, even), Bound(published + half, even)
    if mode == "down":
        return Bound(published, True), Bound(published + 2 * half, False)
    return Bound(published - 2 * half, False), Bound(published, True)


def multiple_at_least(value: Decimal, step: Decimal, closed: bool) -> Decimal:
    """The smallest multiple of ``step`` at or above ``value`` (above it when not ``closed``)."""
    multiple = (value / step).to_integral_value(rounding="ROUND_CEILING") * step
    return multiple if closed or multiple != value else multiple + step


def multiple_at_most(value: Decimal, step: Decimal, closed: bool) -> Decimal:
    """The largest multiple of ``step`` at or below ``value`` (below it when not ``closed``)."""
    multiple = (value / step).to_integral_value(rounding="ROUND_FLOOR") * step
    return multiple if closed or multiple != value else multiple - step


def match(exact: Decimal, published: Decimal, places: int, mode: RoundingMode) -> tuple[bool, str | None]:
    """Whether ``published`` is ``exact`` at the set's precision; if not, what rounding would explain it.

    Equal means equal after rounding both to the set's places with its mode: a table printing fewer decimals
    than the set declares does not count as reproducing it, but the explanation says so.
    """
    if round_to(exact, places, mode) == round_to(published, places, mode):
        return True, None
    modes: tuple[RoundingMode, ...] = ("half_up", "half_even", "down", "up")
    reasons = [f"rounded {m}" for m in modes if m != mode and rounds_to(exact, published, places, m)]
    written = written_places(published)
    if written < places and rounds_to(exact, published, written, mode):
        reasons.append(f"rounded to {written} decimals")
    if not reasons:
        return False, None
    return False, f"{' or '.join(reasons)}, where the set declares {places} decimals {mode}"
