"""Every rule kind over whole columns: the points at the reference weight for each row.

A rule's points are of two sorts. Where they are one of the rule's own numbers (a band's points, full
marks, a deduction of whole steps, a checklist's sum, a judgment's award) they are exact: whole numbers of
``10^-places`` for some ``places`` (:class:`Points` ``exact``). Where they come out of arithmetic on the
value (ratio, linear, deduct with exact steps) they are a :class:`~scoring.columnar.approx.Num` with its
error bound, to be rounded by :mod:`scoring.columnar.evaluate` with the same care as any decision. Rows
whose points depend on a decision too close to call are added to the ``Unsure`` mask. Text and dates are
not read into columns: a met rule on them raises :class:`Unsupported`, which sends its rows to the scalar
engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..numbers import decimal_places
from ..rules import Rule
from ..rules.bands import BandsRule, Interval
from ..rules.cases import CasesRule
from ..rules.checklist import ChecklistRule
from ..rules.deduct import DeductRule
from ..rules.linear import LinearRule
from ..rules.met import MetRule
from ..rules.ratio import RatioRule
from .approx import Bool
from .formula import ColumnFormula, Unsupported, Unsure, Value, as_bool, constant

#: A lane's operations (:class:`~scoring.columnar.approx.Ops` or :class:`~scoring.columnar.rational.RatOps`).
Ops = Any


@dataclass(slots=True)
class Points:
    """A rule's points per row: ``exact`` (integers in units of ``10^-places``) where ``is_exact``, else
    ``approx`` (a number of the lane)."""

    exact: Any
    places: int
    is_exact: Any
    approx: Any = None


def units(number: Decimal, places: int) -> int:
    """A Decimal with at most ``places`` decimals as a whole count of ``10^-places``."""
    return int(number.scaleb(places))


def places_of(*numbers: Decimal | None) -> int:
    return max((decimal_places(n) for n in numbers if n is not None), default=0)


def exact_points(ops: Ops, values: Any, places: int) -> Points:
    np = ops.np
    return Points(np.asarray(values, dtype=np.int64), places, np.ones(ops.rows, dtype=bool))


def mixed(ops: Ops, exact: Any, places: int, is_exact: Any, approx: Any) -> Points:
    return Points(ops.np.asarray(exact, dtype=ops.np.int64), places, is_exact, approx)


Scorer = Callable[[Any, "Value | None", Mapping[str, Value], Ops, Unsure], Points]


def score_deduct(rule: DeductRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    """Points fall continuously with exact steps; with whole or started steps they jump where the excess
    is a whole number of steps (a started step also jumps as the excess leaves 0)."""
    np = ops.np
    v = _number(value, unsure)
    excess = _excess(rule, v, ops)
    places = places_of(rule.weight, rule.points)
    weight = units(rule.weight, places)
    zero = constant(ops, Decimal(0))
    if rule.steps == "exact":
        deduction, doubtful = ops.div(ops.mul(excess, constant(ops, rule.points)), constant(ops, rule.per))
        unsure.add(doubtful)
        left = ops.sub(constant(ops, rule.weight), deduction)
        within = ops.compare(excess, zero, "<=")
        floored = ops.compare(left, zero, "<=")
        full = within.v & ~within.unsure  # surely within: exactly the weight
        empty = floored.v & ~floored.unsure  # surely floored: exactly 0
        exact = np.where(full, weight, 0)
        return mixed(
            ops, exact, places, full | empty, ops.maximum(ops.minimum(left, constant(ops, rule.weight)), zero)
        )
    quotient, doubtful = ops.div(excess, constant(ops, rule.per))
    steps, unsure_steps = ops.steps(quotient, rule.steps == "whole")
    unsure.add(unsure_steps | doubtful)
    cap = weight // max(units(rule.points, places), 1) + 1  # more steps than this floor the points at 0
    steps = np.clip(steps, 0, cap).astype(np.int64)
    return exact_points(ops, np.maximum(weight - steps * units(rule.points, places), 0), places)


def _excess(rule: DeductRule, v: Any, ops: Ops) -> Any:
    """How far beyond the limits each value lies (0 or less within them). With two limits at most one is
    passed (lower ≤ upper), so the larger of the two excesses is the engine's: value − upper above the band,
    lower − value below it."""
    above = ops.sub(v, constant(ops, rule.upper)) if rule.upper is not None else None
    below = ops.sub(constant(ops, rule.lower), v) if rule.lower is not None else None
    if above is None or below is None:
        excess = above if above is not None else below
        assert excess is not None  # a built rule has a limit
        return excess
    return ops.maximum(above, below)


def score_met(rule: MetRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    """A number against at_least/at_most: full marks or 'otherwise', the comparison settled as any decision.
    Text and dates have no column (:mod:`scoring.batch.cells` leaves them to the scalar engine), so a
    condition on them is not vectorised: every row of the indicator goes to the scalar engine."""
    np = ops.np
    if rule.condition not in ("at_least", "at_most"):
        raise Unsupported(f"the met rule's '{rule.condition}' (text or dates)")
    v = _number(value, unsure)
    met = ops.compare(v, constant(ops, rule.bound), ">=" if rule.condition == "at_least" else "<=")
    unsure.add(met.unsure)
    places = places_of(rule.weight, rule.otherwise)
    return exact_points(
        ops, np.where(met.v, units(rule.weight, places), units(rule.otherwise, places)), places
    )


def _contains(ops: Ops, v: Any, interval: Interval, unsure: Unsure) -> Any:
    inside: Any = None
    if interval.low is not None:
        low = ops.compare(v, constant(ops, interval.low), ">=" if interval.low_closed else ">")
        unsure.add(low.unsure)
        inside = low.v
    if interval.high is not None:
        high = ops.compare(v, constant(ops, interval.high), "<=" if interval.high_closed else "<")
        unsure.add(high.unsure)
        inside = high.v if inside is None else inside & high.v
    return inside


def score_bands(rule: BandsRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    np = ops.np
    v = _number(value, unsure)
    places = places_of(rule.otherwise, *(band.points for band in rule.bands))
    found = np.zeros(ops.rows, dtype=bool)
    points = np.full(ops.rows, units(rule.otherwise, places) if rule.otherwise is not None else 0)
    for band in rule.bands:
        inside = _contains(ops, v, band.interval, unsure) & ~found
        points = np.where(inside, units(band.points, places), points)
        found |= inside
    if rule.otherwise is None:
        unsure.add(~found)  # the engine fails: the row is reported by it
    return exact_points(ops, points, places)


def score_ratio(rule: RatioRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    np = ops.np
    v = _number(value, unsure)
    if rule.target_formula is not None:
        # a target of true/false fails in the engine ("must be a number above 0"): _number refuses it
        target = _number(ColumnFormula(rule.target_formula).evaluate(env, ops, unsure), unsure)
        positive = ops.compare(target, constant(ops, Decimal(0)), ">")
        unsure.add(~positive.v | positive.unsure)
    else:
        target = constant(ops, rule.target)
    weight = constant(ops, rule.weight)
    places = places_of(rule.weight)
    full_units = units(rule.weight, places)
    # points are continuous where the cap starts (value = target) and, higher being better, at 0: rows too
    # close to call there take the capped quotient, which the rounding then settles
    zero = constant(ops, Decimal(0))
    if rule.lower_better:
        full = ops.compare(v, target, "<=")
        quotient, doubtful = ops.div(ops.mul(target, weight), v)
        unsure.add(doubtful & ~(full.v & ~full.unsure))
        sure = full.v & ~full.unsure
        return mixed(ops, np.where(sure, full_units, 0), places, sure, ops.minimum(quotient, weight))
    nothing = ops.compare(v, zero, "<=")
    full = ops.compare(v, target, ">=")
    quotient, doubtful = ops.div(ops.mul(v, weight), target)
    unsure.add(doubtful)
    none_sure, full_sure = nothing.v & ~nothing.unsure, full.v & ~full.unsure
    exact = np.where(full_sure, full_units, 0)
    capped = ops.maximum(ops.minimum(quotient, weight), zero)
    return mixed(ops, exact, places, none_sure | full_sure, capped)


def score_linear(rule: LinearRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    np = ops.np
    v = _number(value, unsure)
    span = constant(ops, rule.full_at - rule.zero_at)
    raw, _ = ops.div(ops.mul(ops.sub(v, constant(ops, rule.zero_at)), constant(ops, rule.weight)), span)
    clamped = ops.minimum(ops.maximum(raw, constant(ops, Decimal(0))), constant(ops, rule.weight))
    places = places_of(rule.weight)
    below, above = (
        ops.compare(raw, constant(ops, Decimal(0)), "<="),
        ops.compare(raw, constant(ops, rule.weight), ">="),
    )
    low, high = below.v & ~below.unsure, above.v & ~above.unsure  # surely clamped: exactly 0 or the weight
    exact = np.where(high, units(rule.weight, places), 0)
    return mixed(ops, exact, places, low | high, clamped)


def score_cases(rule: CasesRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    np = ops.np
    scope = dict(env)
    if value is not None:
        scope["value"] = value
    places = places_of(rule.otherwise, *(case.points for case in rule.cases))
    points = np.full(ops.rows, units(rule.otherwise, places))
    decided = np.zeros(ops.rows, dtype=bool)
    for case in rule.cases:
        if case.condition is None:
            raise Unsupported("a case without a condition")
        truth = as_bool(ops, ColumnFormula(case.condition).evaluate(scope, ops, unsure), unsure)
        unsure.add(truth.unsure & ~decided)
        hit = truth.v & ~decided
        points = np.where(hit, units(case.points, places), points)
        decided |= hit
    return exact_points(ops, points, places)


def score_checklist(rule: ChecklistRule, value: Value | None, env: Mapping[str, Value], ops: Ops, unsure: Unsure) -> Points:  # fmt: skip
    np = ops.np
    places = places_of(*(item.points for item in rule.items))
    total = np.zeros(ops.rows, dtype=np.int64)
    for item in rule.items:
        met = env.get(item.input)
        if met is None:  # no column gives it: the rows that need it are the engine's
            unsure.add(np.ones(ops.rows, dtype=bool))
            continue
        if not isinstance(met, Bool):
            raise Unsupported("a checklist item that is not true/false")
        unsure.add(met.unsure)
        total += np.where(met.v, units(item.points, places), 0)
    return exact_points(ops, total, places)


def _number(value: Value | None, unsure: Unsure) -> Any:
    if value is None:
        raise Unsupported("a rule that needs a value, without one")
    if isinstance(value, Bool):
        raise Unsupported("a true/false value where the rule needs a number")  # the engine fails the row
    return value


SCORERS: dict[type[Rule], Scorer] = {
    DeductRule: score_deduct,
    BandsRule: score_bands,
    RatioRule: score_ratio,
    LinearRule: score_linear,
    CasesRule: score_cases,
    ChecklistRule: score_checklist,
    MetRule: score_met,
}
