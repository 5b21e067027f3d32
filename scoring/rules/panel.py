"""Expert panels on judged rows: several raters score one row, and the row takes their aggregate.

Not a rule kind of its own (it registers nothing): it is what a ``judgment`` row does with ``raters:``. The
set declares how a panel aggregates (``panel:`` at the top level, and per row inside ``judgment:``, the row's
keys overriding the set's); this module holds that shape, the exact arithmetic — mean, trimmed mean and
median over Fractions, rounded once as declared —, the panel's record in the trace, and its words.

Every aggregate here is non-decreasing in each rater's points, so a panel with raters whose points are not
known lies between the aggregate with each of them at their lowest and at their highest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import Field

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import CONTEXT, plain

Aggregate = Literal["mean", "trimmed_mean", "median"]
AGGREGATES: tuple[Aggregate, ...] = ("mean", "trimmed_mean", "median")
RoundingMode = Literal["half_up", "half_even", "down", "up"]


class SpreadSpec(StrictModel):
    """When a panel's raters are too far apart: a warning, never an error."""

    max_range: Number | None = Field(
        None,
        ge=0,
        description="Largest allowed max − min of the raters' points (at the row's declared weight).",
    )
    max_share: Number | None = Field(
        None,
        ge=0,
        le=1,
        description="Largest allowed max − min of the raters' points, as a share of the weight.",
    )


class PanelSpec(StrictModel):
    """How a judged row's raters are aggregated. Keys left out are taken from the set's ``panel:``, then
    from the defaults (mean; trim 1; min_raters 1, or 2 × trim + 1 for a trimmed mean; the set's places)."""

    aggregate: Aggregate | None = Field(
        None, description="mean, trimmed_mean or median of the raters' points."
    )
    trim: int | None = Field(None, ge=1, le=10, description="Raters dropped at each end by trimmed_mean.")
    min_raters: int | None = Field(None, ge=1, le=1000, description="Fewest raters a row may have.")
    places: int | None = Field(None, ge=0, le=6, description="Decimals the aggregate is rounded to.")
    spread: SpreadSpec | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelRule:
    """A row's panel settings, the set's and the row's merged and the defaults filled in."""

    aggregate: Aggregate
    trim: int
    min_raters: int
    places: int
    mode: RoundingMode
    max_range: Decimal | None
    max_share: Decimal | None

    @property
    def fewest(self) -> int:
        """Fewest raters this rule accepts: min_raters, and enough for the trimmed mean to keep one."""
        return (
            max(self.min_raters, 2 * self.trim + 1) if self.aggregate == "trimmed_mean" else self.min_raters
        )


def panel_rule(
    set_spec: PanelSpec | None, row_spec: PanelSpec | None, places: int, mode: RoundingMode
) -> PanelRule:
    """The settings of one row: the row's keys over the set's, over the defaults."""
    merged = PanelSpec()
    for spec in (set_spec, row_spec):
        if spec is not None:
            merged = merged.model_copy(update={key: getattr(spec, key) for key in spec.model_fields_set})
    aggregate: Aggregate = merged.aggregate or "mean"
    trim = merged.trim or 1
    spread = merged.spread
    default_min = 2 * trim + 1 if aggregate == "trimmed_mean" else 1
    return PanelRule(
        aggregate=aggregate,
        trim=trim,
        min_raters=merged.min_raters or default_min,
        places=places if merged.places is None else merged.places,
        mode=mode,
        max_range=spread.max_range if spread is not None else None,
        max_share=spread.max_share if spread is not None else None,
    )


def aggregate_exact(points: Sequence[Fraction], how: Aggregate, trim: int = 1) -> Fraction:
    """The exact aggregate of ``points`` (at least one; for trimmed_mean more than 2 × trim)."""
    ordered = sorted(points)
    if how == "trimmed_mean":
        ordered = ordered[trim : len(ordered) - trim]
    if not ordered:
        raise ValueError("no points left to aggregate")
    if how == "median":
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return (ordered[middle - 1] + ordered[middle]) / 2
    return sum(ordered, Fraction(0)) / len(ordered)


def trimmed_positions(points: Sequence[Decimal], how: Aggregate, trim: int) -> frozenset[int]:
    """Which raters (by position) a trimmed mean drops: the ``trim`` lowest and highest; among equal points
    the one listed first is dropped at the low end and the one listed last at the high end."""
    if how != "trimmed_mean" or len(points) <= 2 * trim:
        return frozenset()
    order = sorted(range(len(points)), key=lambda i: (points[i], i))
    return frozenset(order[:trim] + order[len(order) - trim :])


def round_fraction(value: Fraction, places: int, mode: RoundingMode = "half_up") -> Decimal:
    """``value`` rounded to ``places`` decimals in one step (no double rounding through a long decimal)."""
    scaled = value * 10**places
    sign = -1 if scaled < 0 else 1
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    twice, denominator = 2 * rest, scaled.denominator
    if rest and (
        mode == "up"
        or (mode == "half_up" and twice >= denominator)
        or (mode == "half_even" and (twice > denominator or (twice == denominator and whole % 2)))
    ):
        whole += 1
    return Decimal(sign * whole).scaleb(-places)


def aggregate(points: Sequence[Decimal], rule: PanelRule) -> Decimal:
    """The panel's points: the exact aggregate rounded as the rule declares."""
    exact = aggregate_exact([Fraction(p) for p in points], rule.aggregate, rule.trim)
    return round_fraction(exact, rule.places, rule.mode)


@dataclass(frozen=True, slots=True, kw_only=True)
class RaterScore:
    """One rater's score as the trace keeps it: points None when the rater's points are not known (then
    ``low``–``high`` is what they could have given)."""

    name: str
    points: Decimal | None
    tier: str | None
    reason: str | None
    trimmed: bool
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Panel:
    """A panel's record in a judged row's trace: every rater, how they were aggregated, the spread."""

    __json__ = ("aggregate", "trim", "places", "raters", "exact", "spread", "spread_limit", "wide")
    aggregate: Aggregate
    trim: int
    places: int
    raters: tuple[RaterScore, ...]
    #: The aggregate before rounding (None when some raters' points are not known).
    exact: Decimal | None
    #: max − min of the known points.
    spread: Decimal
    #: The largest spread the set allows without a warning, in points (None: no threshold).
    spread_limit: Decimal | None

    @property
    def wide(self) -> bool:
        """Whether the raters are further apart than the set allows (a warning)."""
        return self.spread_limit is not None and self.spread > self.spread_limit

    @property
    def complete(self) -> bool:
        return all(rater.points is not None for rater in self.raters)


def build_panel(
    raters: Sequence[RaterScore], rule: PanelRule, weight: Decimal
) -> tuple[Panel, Decimal, Decimal]:
    """The panel record and the lowest and highest points it gives (equal when every rater is known)."""
    known = [r.points for r in raters if r.points is not None]
    lows = [r.low if r.points is None else r.points for r in raters]
    highs = [r.high if r.points is None else r.points for r in raters]
    # rounded to the panel's places, the aggregate of points within [0, weight] stays within it: places
    # coarser than the weight's own decimals (places 0 for a weight of 9.5) must not round past the weight
    low, high = (min(aggregate(points, rule), weight) for points in (lows, highs))
    exact = None
    if len(known) == len(raters):
        dropped = trimmed_positions(known, rule.aggregate, rule.trim)
        raters = [_with_trimmed(r, i in dropped) for i, r in enumerate(raters)]
        fraction = aggregate_exact([Fraction(p) for p in known], rule.aggregate, rule.trim)
        exact = CONTEXT.divide(Decimal(fraction.numerator), Decimal(fraction.denominator))
    limits = [
        v
        for v in (rule.max_range, None if rule.max_share is None else rule.max_share * weight)
        if v is not None
    ]
    panel = Panel(
        aggregate=rule.aggregate,
        trim=rule.trim,
        places=rule.places,
        raters=tuple(raters),
        exact=exact,
        spread=max(known) - min(known) if known else Decimal(0),
        spread_limit=min(limits) if limits else None,
    )
    return panel, low, high


def _with_trimmed(rater: RaterScore, trimmed: bool) -> RaterScore:
    return RaterScore(name=rater.name, points=rater.points, tier=rater.tier, reason=rater.reason,
                      trimmed=trimmed, low=rater.low, high=rater.high)  # fmt: skip


def describe_panel(panel: Panel, texts: Catalogue) -> str:
    """The panel in words: how it aggregates, every rater (trimmed ones marked), the spread."""
    scores = []
    for rater in panel.raters:
        if rater.points is None:
            scores.append(texts.text("outcome.panel.rater_unknown", name=rater.name, low=plain(rater.low),
                                     high=plain(rater.high)))  # fmt: skip
        else:
            key = "outcome.panel.rater_trimmed" if rater.trimmed else "outcome.panel.rater"
            scores.append(texts.text(key, name=rater.name, points=plain(rater.points)))
    how = texts.text(f"outcome.panel.{panel.aggregate}", trim=panel.trim)
    text = texts.text(
        "outcome.panel.summary",
        how=how,
        count=len(panel.raters),
        raters=texts.text("outcome.panel.separator").join(scores),
        spread=plain(panel.spread),
    )
    if panel.wide and panel.spread_limit is not None:
        text += texts.text("outcome.panel.wide", spread=plain(panel.spread), limit=plain(panel.spread_limit))
    return text
