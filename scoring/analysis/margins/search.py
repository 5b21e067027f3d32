"""The search for the nearest value of one input at which a condition holds: doubling, then bisection, all
on the grid of the input's precision (exact Decimal arithmetic)."""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from ... import limits
from ...engine import FAILURES
from ...numbers import CONTEXT

#: How far a search may move an input: across the whole range of numbers a unit may hold (±10^24), so that
#: no answer within it is missed, whatever the step (the doubling takes at most ~log2(range / step) tries).
SEARCH_RANGE = 2 * Decimal(10) ** limits.MAX_MAGNITUDE


def search(
    start: Decimal,
    direction: int,
    step: Decimal,
    predicate: Callable[[Decimal], bool],
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> Decimal | None:
    """The point ``start + direction·k·step`` with the smallest k ≥ 1 where ``predicate`` holds, within
    [low, high]; None if none is found.

    Doubles k until the predicate holds (or the bound is reached), then bisects between the last k where it
    did not and the first where it did, so it assumes the predicate holds from some k on (monotone). A
    predicate that raises counts as not holding; when it raises, the step just before is tried too, and
    when the doubling jumps across 0 the last point before 0 is tried (the points next to a zero divisor).
    Exact: every point is start + an integer number of steps.
    """

    def at(k: int) -> Decimal:
        with decimal.localcontext(CONTEXT):
            return start + direction * k * step

    def test(k: int) -> bool | None:
        try:
            with decimal.localcontext(CONTEXT):
                return bool(predicate(at(k)))
        except FAILURES:
            return None

    with decimal.localcontext(CONTEXT):
        limit = int((SEARCH_RANGE / step).to_integral_value(rounding=decimal.ROUND_CEILING))
    bound = high if direction > 0 else low
    if bound is not None:
        with decimal.localcontext(CONTEXT):
            room = (bound - start) * direction / step
        if room < 1:
            return None
        limit = min(limit, int(room.to_integral_value(rounding=decimal.ROUND_FLOOR)))
    # the last grid point before 0, on the start's side (a divisor's last valid point), if there is one
    before_zero = (
        math.ceil(abs(Fraction(start) / Fraction(step))) - 1 if start and direction * start < 0 else 0
    )
    bracket = _bracket(test, limit, before_zero)
    if bracket is None:
        return None
    return at(first_true(*bracket, test))


def first_true(low: int, high: int, test: Callable[[int], bool | None]) -> int:
    """The smallest k in (low, high] where ``test`` holds, by bisection: ``test`` must not hold at ``low``,
    must hold at ``high``, and must hold from its first k on (monotone)."""
    while high - low > 1:
        middle = (low + high) // 2
        if test(middle):
            high = middle
        else:
            low = middle
    return high


def _bracket(test: Callable[[int], bool | None], limit: int, before_zero: int) -> tuple[int, int] | None:
    """(k where the predicate does not hold, k ≥ it where it first does), found by doubling k up to ``limit``."""
    previous, k = 0, 1
    while True:
        outcome = test(k)
        if outcome:
            return previous, k
        if outcome is None and k - 1 > previous and test(k - 1):
            return previous, k - 1
        if previous < before_zero < k and test(before_zero):
            return previous, before_zero
        previous = k
        if k >= limit:
            return None
        k = min(2 * k, limit)


def safe(predicate: Callable[[Decimal], bool], x: Decimal) -> bool:
    try:
        with decimal.localcontext(CONTEXT):
            return predicate(x)
    except FAILURES:
        return False
