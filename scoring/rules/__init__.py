"""Scoring rules: each turns an indicator's value into points at the rule's reference weight.

Points written in a rule are points at the weight the indicator declares (its *reference weight*); the
engine scales them when the weight changes, so a rule is in effect a share of the weight. Each rule also
reports its direction — how its points move as the value grows — and explains a result from the small
step record it returns, so tracing costs almost nothing until someone reads it.
"""

from __future__ import annotations

import decimal
import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal

from ..errors import Problem
from ..formats import models as spec
from ..formula import Formula
from ..numbers import ONE, ZERO, plain, shown

Direction = Literal["increasing", "decreasing", "none"]
#: Reports a problem found in a rule: (code, message, path inside the rule mapping, hint).
Report = Callable[[str, str, tuple[str | int, ...], str | None], None]


class RuleFailure(ArithmeticError):
    """A rule cannot score this value (for example a value that falls in no band)."""


class Rule(ABC):
    """A scoring rule at reference weight ``weight``."""

    kind: ClassVar[str]
    #: Whether the indicator must have a formula whose value the rule scores.
    needs_value: ClassVar[bool] = True
    #: Whether the indicator may have a formula at all.
    allows_value: ClassVar[bool] = True

    def __init__(self, weight: Decimal) -> None:
        self.weight = weight

    @property
    @abstractmethod
    def direction(self) -> Direction:
        """How points move as the value grows."""

    @abstractmethod
    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        """Points at the reference weight (0 ≤ points ≤ weight) and a step record for :meth:`describe`."""

    @abstractmethod
    def describe(self, step: Any) -> str:
        """Human explanation of a step record: which band, step or case applied."""

    def input_names(self) -> frozenset[str]:
        """Names the rule itself reads (beyond the indicator's formula)."""
        return frozenset()


def _check_points(points: Decimal, weight: Decimal, path: tuple[str | int, ...], report: Report) -> None:
    if points < 0 or points > weight:
        report(
            "rule-points",
            f"points {plain(points)} are outside 0 to the weight {plain(weight)}",
            path,
            "points in a rule are points at the indicator's weight",
        )


class DeductRule(Rule):
    """Full marks within a limit; ``points`` off per ``per`` beyond it, floored at zero (扣完为止)."""

    kind = "deduct"

    def __init__(self, weight: Decimal, s: spec.DeductSpec, report: Report) -> None:
        super().__init__(weight)
        if (s.over is None) == (s.under is None):
            report("deduct-limit", "deduct needs exactly one of 'over' or 'under'", ("deduct",), None)
        if s.per <= 0:
            report("deduct-per", f"'per' must be above 0, not {plain(s.per)}", ("deduct", "per"), None)
        if s.points <= 0:
            report(
                "deduct-points",
                f"'points' must be above 0, not {plain(s.points)}",
                ("deduct", "points"),
                None,
            )
        elif s.points > weight:
            report(
                "deduct-points",
                f"one step takes off {plain(s.points)} points, more than the weight {plain(weight)}",
                ("deduct", "points"),
                "points in a rule are points at the indicator's weight",
            )
        self.over = s.over is not None
        self.limit: Decimal = s.over if s.over is not None else (s.under if s.under is not None else ZERO)
        self.per = s.per if s.per > 0 else ONE
        self.points = s.points
        self.steps = s.steps

    @property
    def direction(self) -> Direction:
        return "decreasing" if self.over else "increasing"

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        excess = value - self.limit if self.over else self.limit - value
        if excess <= 0:
            return self.weight, None
        if self.steps == "exact":
            steps = excess / self.per
            deduction = excess * self.points / self.per  # one division, last: exact whenever the result is
        else:
            rounding = decimal.ROUND_FLOOR if self.steps == "whole" else decimal.ROUND_CEILING
            steps = (excess / self.per).to_integral_value(rounding=rounding)
            deduction = steps * self.points
        return max(self.weight - deduction, ZERO), (excess, steps, deduction)

    def describe(self, step: Any) -> str:
        side = "over" if self.over else "under"
        if step is None:
            return f"within the limit ({'≤' if self.over else '≥'} {plain(self.limit)}): full marks"
        excess, steps, deduction = step
        one = steps == 1
        counted = {
            "whole": "whole step" if one else "whole steps",
            "started": "started step" if one else "started steps",
            "exact": "step (exact)" if one else "steps (exact)",
        }[self.steps]
        floored = " (floored at 0)" if deduction > self.weight else ""
        return (
            f"{shown(excess)} {side} {plain(self.limit)}; {shown(steps)} {counted} of {plain(self.per)} "
            f"× {plain(self.points)} = −{shown(deduction)}{floored}"
        )


@dataclass(frozen=True, slots=True)
class Interval:
    """A band's range of values; ``None`` bounds are unbounded."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    def contains(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and not self.low_closed)):
            return False
        return not (
            self.high is not None and (value > self.high or (value == self.high and not self.high_closed))
        )

    def is_empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and not (self.low_closed and self.high_closed))

    def overlaps(self, other: Interval) -> bool:
        return not (self._ends_before(other) or other._ends_before(self))

    def _ends_before(self, other: Interval) -> bool:
        if self.high is None or other.low is None:
            return False
        return self.high < other.low or (
            self.high == other.low and not (self.high_closed and other.low_closed)
        )

    def __str__(self) -> str:
        if self.low is not None and self.low == self.high and self.low_closed and self.high_closed:
            return f"= {plain(self.low)}"
        low = "(−∞" if self.low is None else ("[" if self.low_closed else "(") + plain(self.low)
        high = "+∞)" if self.high is None else plain(self.high) + ("]" if self.high_closed else ")")
        return f"{low}, {high}"

    def sort_key(self) -> tuple[int, Decimal, int]:
        return (0, ZERO, 0) if self.low is None else (1, self.low, 0 if self.low_closed else 1)


def band_interval(band: spec.Band) -> Interval | str:
    """The interval a band covers, or a message saying why its bounds make no sense."""
    if band.equals is not None:
        if any(b is not None for b in (band.from_, band.above, band.below, band.upto)):
            return "'equals' cannot be combined with other bounds"
        return Interval(band.equals, True, band.equals, True)
    if band.from_ is not None and band.above is not None:
        return "use either 'from' (inclusive) or 'above' (exclusive), not both"
    if band.below is not None and band.upto is not None:
        return "use either 'below' (exclusive) or 'upto' (inclusive), not both"
    low = band.from_ if band.from_ is not None else band.above
    high = band.below if band.below is not None else band.upto
    if low is None and high is None:
        return "a band needs a bound: equals, from/above and/or below/upto"
    interval = Interval(low, band.from_ is not None, high, band.upto is not None)
    if interval.is_empty():
        return f"the band {interval} contains no value"
    return interval


class BandsRule(Rule):
    """Points by the band the value falls in; bands must not overlap."""

    kind = "bands"

    def __init__(self, weight: Decimal, s: spec.BandsRule, report: Report) -> None:
        super().__init__(weight)
        #: (interval, points, label, position in the file counted from 1)
        self.bands: list[tuple[Interval, Decimal, str | None, int]] = []
        for i, band in enumerate(s.bands):
            interval = band_interval(band)
            if isinstance(interval, str):
                report("band-bounds", interval, ("bands", i), None)
                continue
            _check_points(band.points, weight, ("bands", i, "points"), report)
            for other, _, _, number in self.bands:
                if interval.overlaps(other):
                    report(
                        "band-overlap",
                        f"band {i + 1} {interval} overlaps band {number} {other}",
                        ("bands", i),
                        "make one bound exclusive: 'below'/'above' exclude, 'from'/'upto' include",
                    )
            self.bands.append((interval, band.points, band.label, i + 1))
        self.otherwise = s.otherwise
        if s.otherwise is not None:
            _check_points(s.otherwise, weight, ("otherwise",), report)

    @property
    def direction(self) -> Direction:
        """Read the points left to right along the number line, counting 'otherwise' in every gap."""
        ordered = sorted((band[0] for band in self.bands), key=Interval.sort_key)
        points_of = {band[0]: band[1] for band in self.bands}
        sequence: list[Decimal] = []
        previous: Interval | None = None
        for interval in ordered:
            if self.otherwise is not None and _gap_between(previous, interval):
                sequence.append(self.otherwise)
            sequence.append(points_of[interval])
            previous = interval
        if self.otherwise is not None and previous is not None and previous.high is not None:
            sequence.append(self.otherwise)
        return _direction_of(sequence)

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        for index, (interval, points, _, _) in enumerate(self.bands):
            if interval.contains(value):
                return points, index
        if self.otherwise is None:
            ranges = "; ".join(str(band[0]) for band in self.bands)
            raise RuleFailure(
                f"value {shown(value)} falls in no band ({ranges}) and the rule has no 'otherwise'"
            )
        return self.otherwise, None

    def describe(self, step: Any) -> str:
        if step is None:
            return f"in no band: otherwise {plain(self.otherwise or ZERO)}"
        interval, points, label, number = self.bands[step]
        name = f" '{label}'" if label else ""
        return f"band {number}{name} {interval}: {plain(points)}"


def _gap_between(previous: Interval | None, following: Interval) -> bool:
    """Whether some value lies between two neighbouring bands (or before the first one)."""
    if previous is None:
        return following.low is not None
    if previous.high is None or following.low is None:
        return False
    return not Interval(
        previous.high, not previous.high_closed, following.low, not following.low_closed
    ).is_empty()


def _direction_of(sequence: Sequence[Decimal]) -> Direction:
    pairs = list(itertools.pairwise(sequence))
    if all(a == b for a, b in pairs):
        return "none"
    if all(a <= b for a, b in pairs):
        return "increasing"
    if all(a >= b for a, b in pairs):
        return "decreasing"
    return "none"


class RatioRule(Rule):
    """Share = min(value / target, 1), or min(target / value, 1) when lower is better.

    The target is a number, or a formula (typically an input) when each unit has its own target.
    """

    kind = "ratio"

    def __init__(self, weight: Decimal, s: spec.RatioSpec, target: Formula | None, report: Report) -> None:
        super().__init__(weight)
        self.target_formula = target
        self.target = ONE
        if isinstance(s.target, Decimal):
            if s.target <= 0:
                report(
                    "ratio-target",
                    f"target must be above 0, not {plain(s.target)}",
                    ("ratio", "target"),
                    None,
                )
            else:
                self.target = s.target
        self.lower_better = s.lower_better

    @property
    def direction(self) -> Direction:
        return "decreasing" if self.lower_better else "increasing"

    def input_names(self) -> frozenset[str]:
        return self.target_formula.names if self.target_formula is not None else frozenset()

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        target = self.target
        if self.target_formula is not None:
            target = self.target_formula.evaluate(env)
            if target.__class__ is not Decimal or target <= 0:
                raise RuleFailure(
                    f"the target {self.target_formula.text} is {target}; it must be a number above 0"
                )
        # points = share × weight, computed with the division last so exact results stay exact
        if self.lower_better:
            points = self.weight if value <= target else target * self.weight / value
        elif value <= 0:
            points = ZERO
        else:
            points = self.weight if value >= target else value * self.weight / target
        return points, (points, target)

    def describe(self, step: Any) -> str:
        points, target = step
        formula = "target / value" if self.lower_better else "value / target"
        return f"{formula} with target {shown(target)}, capped at 1: share {shown(points / self.weight)}"


class LinearRule(Rule):
    """Share rises (or falls) linearly from 0 at ``zero_at`` to 1 at ``full_at``, clamped."""

    kind = "linear"

    def __init__(self, weight: Decimal, s: spec.LinearSpec, report: Report) -> None:
        super().__init__(weight)
        if s.zero_at == s.full_at:
            report("linear-range", "'zero_at' and 'full_at' must differ", ("linear",), None)
        self.zero_at = s.zero_at
        self.full_at = s.full_at if s.full_at != s.zero_at else s.zero_at + 1

    @property
    def direction(self) -> Direction:
        return "increasing" if self.full_at > self.zero_at else "decreasing"

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        span = self.full_at - self.zero_at
        points = (value - self.zero_at) * self.weight / span
        points = min(max(points, ZERO), self.weight)
        return points, points

    def describe(self, step: Any) -> str:
        share = shown(step / self.weight)
        return f"linear from 0 at {plain(self.zero_at)} to full at {plain(self.full_at)}: share {share}"


class CasesRule(Rule):
    """First matching condition gives the points; ``otherwise`` when none matches."""

    kind = "cases"
    needs_value = False

    def __init__(
        self, weight: Decimal, s: spec.CasesRule, conditions: Sequence[Formula | None], report: Report
    ):
        super().__init__(weight)
        for i, case in enumerate(s.cases):
            _check_points(case.points, weight, ("cases", i, "points"), report)
        _check_points(s.otherwise, weight, ("otherwise",), report)
        self.cases = [(cond, case.points, case.label) for cond, case in zip(conditions, s.cases, strict=True)]
        self.otherwise = s.otherwise

    @property
    def direction(self) -> Direction:
        return "none"

    def input_names(self) -> frozenset[str]:
        return frozenset().union(*(cond.names for cond, _, _ in self.cases if cond is not None))

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        scope = env
        if value is not None:  # 'value' is reserved, so it shadows nothing the unit gave
            scope = dict(env)
            scope["value"] = value
        for index, (condition, points, _) in enumerate(self.cases):
            if condition is not None and condition.evaluate(scope):
                return points, index
        return self.otherwise, None

    def describe(self, step: Any) -> str:
        if step is None:
            return f"no case matched: otherwise {plain(self.otherwise)}"
        condition, points, label = self.cases[step]
        name = f" '{label}'" if label else ""
        text = condition.text if condition is not None else "?"
        return f"case {step + 1}{name} ({text}): {plain(points)}"


class ChecklistRule(Rule):
    """Sum of the points of the items (boolean inputs) that are met."""

    kind = "checklist"
    needs_value = False
    allows_value = False

    def __init__(self, weight: Decimal, s: spec.ChecklistRule, report: Report) -> None:
        super().__init__(weight)
        total = ZERO
        for i, item in enumerate(s.checklist):
            if item.points <= 0:
                report("checklist-points", "item points must be above 0", ("checklist", i, "points"), None)
            total += item.points
        if total != weight:
            report(
                "checklist-sum",
                f"checklist points add up to {plain(total)}, not the weight {plain(weight)}",
                ("checklist",),
                None,
            )
        self.items = [(item.input, item.points, item.label) for item in s.checklist]

    @property
    def direction(self) -> Direction:
        return "increasing"

    def input_names(self) -> frozenset[str]:
        return frozenset(name for name, _, _ in self.items)

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        total = ZERO
        met = []
        for name, points, _ in self.items:
            ok = bool(env[name])
            met.append(ok)
            if ok:
                total += points
        return total, met

    def describe(self, step: Any) -> str:
        parts = [
            f"{'✓' if ok else '✗'} {label or name} {plain(points) if ok else '0'}/{plain(points)}"
            for (name, points, label), ok in zip(self.items, step, strict=True)
        ]
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Award:
    """An evaluator's judgment for one indicator, as the unit data gives it."""

    tier: str
    points: Decimal
    reason: str


class JudgmentRule(Rule):
    """The evaluator awards points inside a named tier; the tier bounds the points."""

    kind = "judgment"
    needs_value = False
    allows_value = False

    def __init__(self, weight: Decimal, s: spec.JudgmentSpec, report: Report) -> None:
        super().__init__(weight)
        shares = [tier.min_share for tier in s.tiers]
        if any(a <= b for a, b in itertools.pairwise(shares)):
            report(
                "tier-order",
                "tiers must be listed highest first, with falling min_share",
                ("judgment", "tiers"),
                None,
            )
        if shares[-1] != 0:
            report("tier-floor", "the last tier must have min_share 0", ("judgment", "tiers"), None)
        labels = [tier.label for tier in s.tiers]
        if len(set(labels)) != len(labels):
            report("tier-label", "tier labels must be unique", ("judgment", "tiers"), None)
        self.tiers: dict[str, tuple[Decimal, Decimal]] = {}
        upper = ONE
        for tier in s.tiers:
            self.tiers[tier.label] = (tier.min_share * weight, upper * weight)
            upper = tier.min_share

    @property
    def direction(self) -> Direction:
        return "none"

    def tier_range(self, label: str) -> tuple[Decimal, Decimal] | None:
        """Lowest and highest points (inclusive, at reference weight) the tier allows."""
        return self.tiers.get(label)

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        assert isinstance(value, Award)
        return value.points, value

    def describe(self, step: Any) -> str:
        low, high = self.tiers[step.tier]
        return f"judged '{step.tier}' ({plain(low)}–{plain(high)}): {plain(step.points)} — {step.reason}"


def build_rule(
    rule: spec.Rule,
    weight: Decimal,
    conditions: Sequence[Formula | None],
    report: Report,
    target: Formula | None = None,
) -> Rule:
    """Runtime rule for a validated rule spec; problems go to ``report``.

    ``conditions`` are the compiled ``when`` formulas of a cases rule, ``target`` a ratio's target formula.
    """
    match rule:
        case spec.DeductRule(deduct=s):
            return DeductRule(weight, s, report)
        case spec.BandsRule():
            return BandsRule(weight, rule, report)
        case spec.RatioRule(ratio=s):
            return RatioRule(weight, s, target, report)
        case spec.LinearRule(linear=s):
            return LinearRule(weight, s, report)
        case spec.CasesRule():
            return CasesRule(weight, rule, conditions, report)
        case spec.ChecklistRule():
            return ChecklistRule(weight, rule, report)
        case spec.JudgmentRule(judgment=s):
            return JudgmentRule(weight, s, report)
    raise TypeError(f"unknown rule {rule!r}")  # unreachable: the spec union is closed


__all__ = ["Award", "Direction", "Problem", "Rule", "RuleFailure", "build_rule"]
