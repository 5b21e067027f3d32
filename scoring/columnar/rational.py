"""The exact lane: the rows the float lane could not settle, evaluated again as rationals of int64.

A :class:`Rat` is ``num / den`` per row (``den > 0``, reduced), with two masks: ``ok`` (the value exists and
fits: every product is checked to stay below 2^62, a row that would overflow is not ok) and ``term`` (the
value and every value it was computed from are terminating decimals whose denominator divides 10^18).

Why that decides as the engine does. The engine computes in Decimal with 50 significant digits. Where every
intermediate value is a terminating decimal of at most 19 + 18 digits, the engine computes it *exactly*
(``term``): its decisions are the exact ones, ties and values exactly on a boundary included. Elsewhere the
engine's values are within ``10^-48`` relative of the exact ones, so a decision is the exact one unless the
exact value lies within ``10^-40`` (relative) of the boundary; such rows — and rows that are not ok — are
left unsure, for the scalar engine.

The lane has the float lane's interface (:class:`~scoring.columnar.approx.Ops`), so the formula walker and
the rule scorers run on either.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .approx import Bool

#: Operands and results stay below this, so that products of two fit in int64.
LIMIT = 2**62
#: Relative distance from a boundary within which an inexact (non-terminating) decision is unsure.
CLOSE = 1e-40
TEN_18 = 10**18


@dataclass(slots=True)
class Rat:
    num: Any
    den: Any
    ok: Any
    term: Any


class RatOps:
    """Exact arithmetic on :class:`Rat` columns."""

    exact = True

    def __init__(self, np: Any, rows: int) -> None:
        self.np = np
        self.rows = rows

    # --- making values -------------------------------------------------------------------------------

    def make(self, num: Any, den: Any, ok: Any, term: Any) -> Rat:
        """A reduced rational, not ok where it does not fit; garbage rows are set to 0/1."""
        np = self.np
        with np.errstate(all="ignore"):
            fits = ok & (np.abs(num) < LIMIT) & (den != 0) & (np.abs(den) < LIMIT)
            num = np.where(fits, num, 0).astype(np.int64)
            den = np.where(fits, den, 1).astype(np.int64)
            sign = np.where(den < 0, -1, 1)
            num, den = num * sign, den * sign
            g = np.gcd(num, den)
            g = np.where(g == 0, 1, g)
            num, den = num // g, den // g
        return Rat(num, den, fits, term & fits & (TEN_18 % den == 0))

    def constant(self, number: Decimal) -> Rat:
        return self._fraction(Fraction(number))

    def from_bool(self, value: Bool) -> Rat:
        np = self.np
        ones = np.ones(self.rows, dtype=bool)
        return Rat(value.v.astype(np.int64), np.ones(self.rows, dtype=np.int64), ~value.unsure, ones)

    def nothing(self) -> Rat:
        np = self.np
        zeros = np.zeros(self.rows, dtype=bool)
        return Rat(np.zeros(self.rows, dtype=np.int64), np.ones(self.rows, dtype=np.int64), zeros, zeros)

    def invalid(self, a: Rat) -> Any:
        return ~a.ok

    def _product_fits(self, *pairs: tuple[Any, Any]) -> Any:
        """Where every product ``x·y`` of the pairs stays below the limit (checked in floats, with room)."""
        np = self.np
        fits = np.ones(self.rows, dtype=bool)
        for x, y in pairs:
            fits &= np.abs(x.astype(np.float64)) * np.abs(y.astype(np.float64)) < LIMIT / 4
        return fits

    # --- arithmetic ----------------------------------------------------------------------------------

    def add(self, a: Rat, b: Rat) -> Rat:
        fits = self._product_fits((a.num, b.den), (b.num, a.den), (a.den, b.den))
        ok = a.ok & b.ok & fits
        with self.np.errstate(all="ignore"):
            num = a.num * b.den + b.num * a.den
            den = a.den * b.den
        return self.make(num, den, ok, a.term & b.term)

    def neg(self, a: Rat) -> Rat:
        return Rat(-a.num, a.den, a.ok, a.term)

    def sub(self, a: Rat, b: Rat) -> Rat:
        return self.add(a, self.neg(b))

    def mul(self, a: Rat, b: Rat) -> Rat:
        fits = self._product_fits((a.num, b.num), (a.den, b.den))
        with self.np.errstate(all="ignore"):
            return self.make(a.num * b.num, a.den * b.den, a.ok & b.ok & fits, a.term & b.term)

    def div(self, a: Rat, b: Rat) -> tuple[Rat, Any]:
        """a / b, and the rows where b is 0 (the engine fails there)."""
        zero = b.ok & (b.num == 0)
        fits = self._product_fits((a.num, b.den), (a.den, b.num))
        with self.np.errstate(all="ignore"):
            result = self.make(a.num * b.den, a.den * b.num, a.ok & b.ok & fits & ~zero, a.term & b.term)
        return result, zero

    def absolute(self, a: Rat) -> Rat:
        return Rat(self.np.abs(a.num), a.den, a.ok, a.term)

    def power(self, a: Rat, exponent: float) -> tuple[Rat, Any]:
        """a ** k for a whole k (repeated products); a fractional k is left to the scalar engine."""
        np = self.np
        if not float(exponent).is_integer() or abs(exponent) > 64:
            return self.nothing(), np.zeros(self.rows, dtype=bool)
        k = int(abs(exponent))
        result = self.constant(Decimal(1))
        for _ in range(k):
            result = self.mul(result, a)
        if exponent >= 0:
            return result, np.zeros(self.rows, dtype=bool)
        one = self.constant(Decimal(1))
        return self.div(one, result)

    def minimum(self, a: Rat, b: Rat) -> Rat:
        return self._pick(a, b, "<=")

    def maximum(self, a: Rat, b: Rat) -> Rat:
        return self._pick(a, b, ">=")

    def _pick(self, a: Rat, b: Rat, op: str) -> Rat:
        """The one of two values that is ``op`` the other. Where their difference does not fit, nothing is
        known (the row is not ok); near a tie either is within the engine's error of the other (min and max
        are continuous), so the row stays ok but no longer exact: later decisions then test closeness."""
        diff = self.sub(a, b)
        first = diff.num <= 0 if op == "<=" else diff.num >= 0
        size = self.np.maximum(self.magnitude(a), self.magnitude(b))
        close = self._close(diff.num, diff.den, size, a.term & b.term)
        picked = self.select(first, a, b)
        return Rat(picked.num, picked.den, a.ok & b.ok & diff.ok, picked.term & ~close)

    def select(self, condition: Any, a: Rat, b: Rat) -> Rat:
        np = self.np
        return Rat(
            np.where(condition, a.num, b.num),
            np.where(condition, a.den, b.den),
            np.where(condition, a.ok, b.ok),
            np.where(condition, a.term, b.term),
        )

    # --- decisions -----------------------------------------------------------------------------------

    def _close(self, num: Any, den: Any, size: Any, term: Any) -> Any:
        """Where a non-terminating computation puts ``num/den`` within CLOSE (relative to ``size``) of 0."""
        np = self.np
        distance = np.abs(num.astype(np.float64)) / den.astype(np.float64)
        return ~term & (distance <= CLOSE * np.maximum(size, 1e-300))

    def magnitude(self, a: Rat) -> Any:
        np = self.np
        return np.abs(a.num.astype(np.float64)) / a.den.astype(np.float64)

    def compare(self, a: Rat, b: Rat, op: str) -> Bool:
        diff = self.sub(a, b)
        sign = diff.num
        truth = {
            "<": sign < 0,
            "<=": sign <= 0,
            ">": sign > 0,
            ">=": sign >= 0,
            "==": sign == 0,
            "!=": sign != 0,
        }[op]
        size = self.np.maximum(self.magnitude(a), self.magnitude(b))
        unsure = ~diff.ok | self._close(diff.num, diff.den, size, a.term & b.term)
        return Bool(truth, unsure)

    def steps(self, q: Rat, whole: bool) -> tuple[Any, Any]:
        """floor (whole) or ceil (started) of q, and the rows too close to a whole number to tell."""
        np = self.np
        floor = q.num // q.den
        remainder = q.num - floor * q.den
        steps = floor if whole else floor + (remainder != 0)
        distance = np.minimum(remainder, q.den - remainder)
        unsure = ~q.ok | self._close(distance, q.den, self.magnitude(q), q.term)
        return steps, unsure

    def round_units(self, points: Rat, factor: Fraction, mode: str) -> tuple[Any, Any]:
        """points × factor rounded to a whole number with the set's mode, and the unsure rows."""
        from .exact import round_div

        np = self.np
        y = self.mul(points, self._fraction(factor))
        rounded = round_div(y.num, y.den, mode)
        remainder = y.num - (y.num // y.den) * y.den
        if mode in ("half_up", "half_even"):
            distance = np.abs(2 * remainder - y.den)
            den = 2 * y.den
        else:
            distance = np.minimum(remainder, y.den - remainder)
            den = y.den
        unsure = ~y.ok | self._close(distance, den, self.magnitude(y), y.term)
        return rounded, unsure

    def _fraction(self, value: Fraction) -> Rat:
        np = self.np
        ok = abs(value.numerator) < LIMIT and value.denominator < LIMIT
        num = np.full(self.rows, value.numerator if ok else 0, dtype=np.int64)
        den = np.full(self.rows, value.denominator if ok else 1, dtype=np.int64)
        return self.make(num, den, np.full(self.rows, ok), np.ones(self.rows, dtype=bool))

    def remainder(self, a: Rat, b: Rat) -> tuple[Rat, Any]:
        """Decimal's ``%``: a − b·trunc(a / b)."""
        np = self.np
        quotient, zero = self.div(a, b)
        whole = np.sign(quotient.num) * (np.abs(quotient.num) // quotient.den)
        part = self.mul(b, Rat(whole, np.ones(self.rows, dtype=np.int64), quotient.ok, quotient.term))
        _, unsure = self.steps(quotient, True)
        return self.sub(a, part), zero | unsure

    def round_half_up(self, a: Rat, places: int) -> tuple[Rat, Any]:
        np = self.np
        scaled = self.mul(a, self.constant(Decimal(10) ** places))
        size = np.abs(scaled.num)
        with np.errstate(all="ignore"):
            whole = np.sign(scaled.num) * ((2 * size + scaled.den) // (2 * scaled.den))
        remainder = size % scaled.den
        unsure = ~scaled.ok | self._close(
            np.abs(2 * remainder - scaled.den), 2 * scaled.den, self.magnitude(scaled), scaled.term
        )
        result = self.make(
            whole, np.full(self.rows, 10**places, dtype=np.int64), scaled.ok, np.ones(self.rows, dtype=bool)
        )
        return result, unsure
