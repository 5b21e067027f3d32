"""bands: points by the band (range of values) the value falls in; bands must not overlap."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ZERO, plain, shown
from .base import (
    Direction,
    Op,
    Rule,
    RuleContext,
    RuleFailure,
    Target,
    check_points,
    english,
    holds,
    label_text,
    register,
)


class Band(StrictModel):
    equals: Number | None = None
    from_: Number | None = Field(None, alias="from", description="Lower bound, inclusive.")
    above: Number | None = Field(None, description="Lower bound, exclusive.")
    below: Number | None = Field(None, description="Upper bound, exclusive.")
    upto: Number | None = Field(None, description="Upper bound, inclusive.")
    points: Number
    label: str | None = None


class BandsShape(StrictModel):
    bands: list[Band] = Field(min_length=1)
    otherwise: Number | None = Field(
        None, description="Points for a value in no band; without it that is an error."
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

    def ends_before(self, other: Interval) -> bool:
        """Whether every value of this interval lies below every value of ``other``."""
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


def band_interval(band: Band) -> Interval | str:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class BandStep:
    """The band the value fell in (its number in the file, counted from 1), or None for 'otherwise'."""

    kind: ClassVar[str] = "bands"
    __json__ = ("kind", "band", "label", "points")
    band: int | None
    label: str | None
    points: Decimal


@dataclass(frozen=True, slots=True)
class _Band:
    interval: Interval
    points: Decimal
    label: str | None
    number: int
    step: BandStep


@register
class BandsRule(Rule):
    """Points by the band the value falls in; bands must not overlap."""

    kind = "bands"
    shape = BandsShape

    def __init__(self, weight: Decimal, shape: BandsShape, context: RuleContext) -> None:
        super().__init__(weight)
        self.bands: list[_Band] = []
        for i, band in enumerate(shape.bands):
            interval = band_interval(band)
            if isinstance(interval, str):
                context.report("band-bounds", interval, ("bands", i))
                continue
            check_points(band.points, weight, ("bands", i, "points"), context)
            step = BandStep(band=i + 1, label=band.label, points=band.points)
            self.bands.append(_Band(interval, band.points, band.label, i + 1, step))
        self._by_number = {band.number: band for band in self.bands}
        self._report_overlaps(context)
        self.otherwise = shape.otherwise
        self._otherwise_step = BandStep(band=None, label=None, points=shape.otherwise or ZERO)
        if shape.otherwise is not None:
            check_points(shape.otherwise, weight, ("otherwise",), context)

    def _report_overlaps(self, context: RuleContext) -> None:
        """Each band that overlaps one before it, found in one pass over the bands sorted by lower bound."""
        reported: set[tuple[int, int]] = set()
        ordered = sorted(self.bands, key=lambda band: band.interval.sort_key())
        reach: _Band | None = None  # the band, among those seen, that reaches highest
        for band in ordered:
            if reach is not None and not reach.interval.ends_before(band.interval):
                later, earlier = (band, reach) if band.number > reach.number else (reach, band)
                if (later.number, earlier.number) not in reported:
                    reported.add((later.number, earlier.number))
                    context.report(
                        "band-overlap",
                        f"band {later.number} {later.interval} overlaps band {earlier.number} {earlier.interval}",
                        ("bands", later.number - 1),
                        "make one bound exclusive: 'below'/'above' exclude, 'from'/'upto' include",
                    )
            if reach is None or _reaches_further(band.interval, reach.interval):
                reach = band

    @property
    def direction(self) -> Direction:
        """Read the points left to right along the number line, counting 'otherwise' in every gap."""
        return _direction_of([points for _, points, _ in self.pieces() if points is not None])

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, BandStep]:
        for band in self.bands:
            if band.interval.contains(value):
                return band.points, band.step
        if self.otherwise is None:
            ranges = "; ".join(str(band.interval) for band in self.bands)
            raise RuleFailure(
                f"value {shown(value)} falls in no band ({ranges}) and the rule has no 'otherwise'"
            )
        return self.otherwise, self._otherwise_step

    def describe(self, step: BandStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        if step.band is None:
            return texts.text("outcome.bands.otherwise", points=plain(self.otherwise or ZERO))
        band = self._by_number[step.band]
        return texts.text(
            "outcome.bands.band",
            number=band.number,
            label=label_text(band.label, texts),
            interval=str(band.interval),
            points=plain(band.points),
        )

    def pieces(self) -> list[tuple[Interval, Decimal | None, str]]:
        """The number line cut into the bands and the gaps between them (scored 'otherwise', or None)."""
        ordered = sorted(self.bands, key=lambda band: band.interval.sort_key())
        pieces: list[tuple[Interval, Decimal | None, str]] = []
        previous: Interval | None = None
        for band in ordered:
            interval = band.interval
            gap = _gap_before(previous, interval)
            if gap is not None:
                pieces.append((gap, self.otherwise, f"otherwise {gap}"))
            name = f" '{band.label}'" if band.label else ""
            pieces.append((interval, band.points, f"band {band.number}{name} {interval}"))
            previous = interval
        if previous is not None and previous.high is not None:
            gap = Interval(previous.high, not previous.high_closed, None, False)
            pieces.append((gap, self.otherwise, f"otherwise {gap}"))
        return pieces

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        """The nearest band (or 'otherwise' gap) on each side of the value whose points suffice, entered at
        its near bound, open or closed as the band declares it."""
        above: Target | None = None
        below: Target | None = None
        for interval, points, name in self.pieces():
            if points is None or not holds(Fraction(points), op, t) or interval.contains(value):
                continue
            piece = f"{name}: {plain(points)}"
            low, high = interval.low, interval.high
            if low is not None and (value < low or (value == low and not interval.low_closed)):
                candidate: Target = ("≥" if interval.low_closed else ">", Fraction(low), piece)
                if above is None or candidate[1] < above[1]:
                    above = candidate
            elif high is not None and (value > high or (value == high and not interval.high_closed)):
                candidate = ("≤" if interval.high_closed else "<", Fraction(high), piece)
                if below is None or candidate[1] > below[1]:
                    below = candidate
        targets = [target for target in (above, below) if target is not None]
        if not targets:
            return f"no band gives {'at least' if op in ('≥', '>') else 'at most'} the points needed"
        return sorted(targets, key=lambda target: abs(target[1] - Fraction(value)))


def _reaches_further(interval: Interval, other: Interval) -> bool:
    """Whether ``interval`` extends above ``other``'s upper end."""
    if interval.high is None:
        return other.high is not None or interval.high_closed
    if other.high is None:
        return False
    return interval.high > other.high or (
        interval.high == other.high and interval.high_closed and not other.high_closed
    )


def _gap_before(previous: Interval | None, following: Interval) -> Interval | None:
    """The values between two neighbouring bands (or before the first one), if there are any."""
    if previous is None:
        return (
            None if following.low is None else Interval(None, False, following.low, not following.low_closed)
        )
    if previous.high is None or following.low is None:
        return None
    gap = Interval(previous.high, not previous.high_closed, following.low, not following.low_closed)
    return None if gap.is_empty() else gap


def _direction_of(sequence: Sequence[Decimal]) -> Direction:
    pairs = list(itertools.pairwise(sequence))
    if all(a == b for a, b in pairs):
        return "none"
    if all(a <= b for a, b in pairs):
        return "increasing"
    if all(a >= b for a, b in pairs):
        return "decreasing"
    return "none"
