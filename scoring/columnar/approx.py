"""Columns of numbers computed in float64, each with a proven bound on its distance from the exact value.

A :class:`Num` is a pair of arrays: ``v`` the float64 values and ``e`` an upper bound on ``|v − x|``, where
``x`` is the exact (real) value the engine's Decimal arithmetic approximates to 50 significant digits. Every
operation returns such a pair, by the standard model of floating-point arithmetic: each correctly rounded
operation adds at most ``2^-53·|result|``; the bound used is :data:`ULP` ``= 2^-52`` per operation, twice
that, which also covers the rounding of the bound's own computation. Inputs read from decimal text are
within ``2^-53·|x|`` of their value (zero for whole numbers of at most 15 digits, which floats hold
exactly).

Decisions (a comparison, a band edge, a step, a rounding tie, a grade threshold) are where floats could
differ from the engine: continuous operations (sums, products, quotients, min, max, abs, clamp) move a
result by no more than the bounds say, but a decision flips on the smallest change. So every decision is
made from the float only when the float lies more than ``2·e`` from the boundary (the factor 2 is a margin
on the bound itself); then the exact value lies on the same side, and so does the engine's, which is within
``10^-48`` relative of it — far inside the margin. Rows where some decision is closer are marked *unsure*
(:class:`Flags.unsure`) and recomputed by the scalar engine. Where both sides are exact (``e = 0``), the
float decides: equality of whole numbers is settled.

numpy is imported by the caller (:func:`scoring.columnar.exact.numpy`); nothing here imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

#: Relative error bound added by each float operation (twice the unit roundoff: see the module docstring).
ULP = 2.0**-52
#: How many times its error bound a value must lie from a boundary for the float to decide.
MARGIN = 2.0


@dataclass(slots=True)
class Num:
    """Float64 values ``v`` and bounds ``e`` on their distance from the exact values."""

    v: Any
    e: Any


@dataclass(slots=True)
class Bool:
    """A true/false column; ``unsure`` marks rows where a comparison was too close to call."""

    v: Any
    unsure: Any


class Ops:
    """Arithmetic on :class:`Num` columns, with numpy bound once; every row has the same length.

    :class:`~scoring.columnar.rational.RatOps` has the same methods, on exact rationals."""

    exact = False

    def __init__(self, np: Any, rows: int) -> None:
        self.np = np
        self.rows = rows

    def constant(self, number: Decimal) -> Num:
        """A Decimal constant as a column (exact when the float holds it exactly)."""
        value = float(number)
        return self.const(value, Decimal(value) == number)

    def from_bool(self, value: Bool) -> Num:
        """true/false as 1/0 (the engine's arithmetic on them too: ``True + True`` is 2)."""
        return Num(value.v.astype("float64"), self.np.where(value.unsure, self.np.inf, 0.0))

    def nothing(self) -> Num:
        """A column that has no value (every row left to the scalar engine)."""
        np = self.np
        return Num(np.full(self.rows, np.nan), np.full(self.rows, np.inf))

    def invalid(self, a: Num) -> Any:
        np = self.np
        return ~(np.isfinite(a.v) & np.isfinite(a.e))

    def absolute(self, a: Num) -> Num:
        return Num(self.np.abs(a.v), a.e)

    def const(self, value: float, exact: bool) -> Num:
        np = self.np
        v = np.full(self.rows, value, dtype=np.float64)
        return Num(v, np.zeros(self.rows) if exact else np.abs(v) * ULP)

    def rounded(self, v: Any, *terms: Any) -> Num:
        """A result ``v`` whose inputs' errors propagate as ``terms``, plus its own rounding."""
        e = self.np.abs(v) * ULP
        for term in terms:
            e = e + term
        return Num(v, e)

    def whole(self, v: Any, *operands: Num) -> Any:
        """Where ``v`` is surely exact: exact whole operands and a whole result a float holds exactly."""
        np = self.np
        exact = np.abs(v) < 2.0**53
        for operand in operands:
            exact &= (operand.e == 0) & (operand.v == np.trunc(operand.v))
        return exact

    def integral(self, v: Any, *operands: Num) -> Num:
        """A sum, difference or product: its own rounding bound, except where it is exact."""
        np = self.np
        e = np.where(self.whole(v, *operands), 0.0, np.abs(v) * ULP)
        for operand in operands:
            e = e + operand.e
        return Num(v, e)

    def add(self, a: Num, b: Num) -> Num:
        return self.integral(a.v + b.v, a, b)

    def sub(self, a: Num, b: Num) -> Num:
        return self.integral(a.v - b.v, a, b)

    def neg(self, a: Num) -> Num:
        return Num(-a.v, a.e)

    def mul(self, a: Num, b: Num) -> Num:
        np = self.np
        v = a.v * b.v
        own = np.where(self.whole(v, a, b), 0.0, np.abs(v) * ULP)
        return Num(v, own + np.abs(a.v) * b.e + np.abs(b.v) * a.e + a.e * b.e)

    def div(self, a: Num, b: Num) -> tuple[Num, Any]:
        """a / b and the rows where b may be zero (unsure, or surely zero: the engine fails there)."""
        np = self.np
        size = np.abs(b.v)
        doubtful = size <= MARGIN * b.e
        safe = np.where(doubtful, 1.0, b.v)
        with np.errstate(all="ignore"):
            v = a.v / safe
            spread = (np.abs(a.v) * b.e + size * a.e) / (size * (size - b.e))
        result = self.rounded(v, np.where(doubtful, 0.0, spread))
        # a whole quotient of exact whole numbers is exact when it multiplies back (products < 2^53 are)
        exact = self.whole(v, a, b) & (v == np.trunc(v)) & (v * b.v == a.v) & ~doubtful
        result.e = np.where(exact, 0.0, result.e)
        return result, doubtful

    def power(self, a: Num, exponent: float) -> tuple[Num, Any]:
        """a ** k for a constant k, and the rows where the engine may fail or the bound breaks down: near
        0 for a negative k, at or below 0 for a fractional one (a whole, non-negative k is continuous)."""
        np = self.np
        k = abs(exponent)
        size = np.abs(a.v)
        with np.errstate(all="ignore"):
            if float(exponent).is_integer() and exponent >= 0:
                doubtful = np.zeros(self.rows, dtype=bool)
                v = np.power(a.v, exponent)
                spread = np.power(size + a.e, k) - np.power(size, k)  # mean value theorem on |x|^k
            else:
                near = (size <= MARGIN * a.e) | (size == 0)
                doubtful = near if float(exponent).is_integer() else near | (a.v < 0)
                v = np.power(np.where(doubtful, 1.0, a.v), exponent)
                relative = np.where(doubtful, 0.0, a.e / np.where(doubtful, 1.0, size))
                spread = np.abs(v) * np.expm1(-k * np.log1p(-relative))  # |a|^k·((1 − e/|a|)^−|k| − 1)
        # np.power is not correctly rounded: allow it a few more units in the last place than one
        return self.rounded(v, spread, np.abs(v) * 4 * ULP), doubtful

    # --- decisions -----------------------------------------------------------------------------------

    def compare(self, a: Num, b: Num, op: str) -> Bool:
        """``a op b`` for op in < <= > >= == !=, unsure where the two are too close to call."""
        np = self.np
        gap = a.v - b.v
        slack = MARGIN * (a.e + b.e)
        unsure = (np.abs(gap) <= slack * (1 + 4 * ULP)) & (slack > 0)
        truth = {
            "<": gap < 0,
            "<=": gap <= 0,
            ">": gap > 0,
            ">=": gap >= 0,
            "==": gap == 0,
            "!=": gap != 0,
        }[op]
        return Bool(truth, unsure)

    def near_integer(self, a: Num, offset: float = 0.0) -> Any:
        """Rows whose value may lie on ``k + offset`` for a whole k (a step or rounding boundary)."""
        np = self.np
        shifted = a.v - offset
        distance = np.abs(shifted - np.round(shifted))
        return (distance <= MARGIN * a.e * (1 + 4 * ULP)) & (a.e > 0) | (np.abs(a.v) >= 2.0**52)

    def select(self, condition: Any, a: Num, b: Num) -> Num:
        np = self.np
        return Num(np.where(condition, a.v, b.v), np.where(condition, a.e, b.e))

    def minimum(self, a: Num, b: Num) -> Num:
        """min of two columns: 1-Lipschitz, so the larger bound covers it (no decision to make)."""
        np = self.np
        return Num(np.minimum(a.v, b.v), np.maximum(a.e, b.e))

    def maximum(self, a: Num, b: Num) -> Num:
        np = self.np
        return Num(np.maximum(a.v, b.v), np.maximum(a.e, b.e))

    def steps(self, q: Num, whole: bool) -> tuple[Any, Any]:
        """floor (whole) or ceil (started) of q, and the rows where that may differ from the exact one —
        near a whole number where the count jumps (a whole step's at 1, 2, …; a started step's at 0 too)."""
        np = self.np
        jumps = q.v > (0.5 if whole else -0.5)
        steps = np.floor(q.v) if whole else np.ceil(q.v)
        return np.nan_to_num(steps, nan=0.0), self.near_integer(q) & jumps | self.invalid(q)

    def round_units(self, points: Num, factor: Fraction, mode: str) -> tuple[Any, Any]:
        """points × factor rounded to a whole number with the set's mode, and the rows within their bound of
        a rounding boundary (k + ½ for the half modes, a whole number for down and up)."""
        np = self.np
        scale = self.constant(Decimal(factor.numerator) / Decimal(factor.denominator))
        if factor.denominator != 1:  # not exact as a decimal: the float is within ULP of it
            scale.e = np.abs(scale.v) * ULP
        y = self.mul(points, scale)
        half = mode in ("half_up", "half_even")
        unsure = self.near_integer(y, 0.5 if half else 0.0) | self.invalid(y)
        if half:
            rounded = np.sign(y.v) * np.floor(np.abs(y.v) + 0.5)
        elif mode == "down":
            rounded = np.trunc(y.v)
        else:
            rounded = np.sign(y.v) * np.ceil(np.abs(y.v))
        # a value too large for a whole number of int64 is left to the engine (as unsure), its points 0 here
        huge = ~(np.abs(rounded) < 2.0**53)
        return np.where(huge, 0.0, rounded).astype(np.int64), unsure | huge

    def remainder(self, a: Num, b: Num) -> tuple[Num, Any]:
        """Decimal's ``%``: the remainder of truncated division, with the sign of ``a`` (numpy's fmod)."""
        np = self.np
        quotient, doubtful = self.div(a, b)
        unsure = doubtful | self.near_integer(quotient)  # truncation jumps at whole quotients
        whole = np.trunc(quotient.v)
        with np.errstate(all="ignore"):
            v = np.fmod(a.v, np.where(doubtful, 1.0, b.v))
        return self.rounded(v, a.e, np.abs(whole) * b.e), unsure

    def round_half_up(self, a: Num, places: int) -> tuple[Num, Any]:
        """round(x, p): half away from zero at p places; rows near a tie are unsure."""
        np = self.np
        scale = self.constant(Decimal(10) ** places)
        scaled = self.mul(a, scale)
        unsure = self.near_integer(scaled, 0.5) | (np.abs(scaled.v) >= 2.0**52)
        whole = np.sign(scaled.v) * np.floor(np.abs(scaled.v) + 0.5)
        v = whole / scale.v
        return Num(v, np.zeros(self.rows) if places == 0 else np.abs(v) * 2 * ULP), unsure
