"""Effective weights: how much each indicator and group weighs on paper, and how much it decides in fact.

For a cohort of units scored under one set, each indicator (and each group) gets

- its **nominal share**: its weight divided by the set's total — what the table promises;
- its **variation share**: its share of the actual variation of the totals across the units,

  ``cov(c_i, T) / var(T)``

  where ``c_i`` is the indicator's contribution to a unit's total and ``T = Σ c_i`` the unit's total. Because
  covariance is linear, ``Σ_i cov(c_i, T) = cov(Σ_i c_i, T) = var(T)``, so the variation shares of all
  indicators add up to exactly 1 (and a group's share is the sum of its members'). An indicator that every
  unit aces has a constant contribution, covariance 0 and so variation share 0: it carries weight but decides
  nothing. A share can be negative (the indicator tends to be high where the rest is low, so it narrows the
  spread of totals) or above 1 (the rest offset each other).

with the mean, variance and standard deviation of its contribution across the units.

What is decomposed. ``c_i`` is the row's rounded points as the total counts them: times the unit's N/A
rescale factor (``total / attainable``) when not-applicable rows were left out and the rest rescaled, and 0
for such a left-out row (its weight went to the other rows). ``T`` is then the total *before* its final
rounding to ``rounding.total_places`` (:attr:`~scoring.result.Result.total_exact`): that last rounding is not
additive, so no exact decomposition of the rounded totals exists; it moves a total by at most half a unit of
its last place.

Arithmetic. Every mean, variance and covariance is computed exactly as a rational number (the cohort is
small) from the exact Decimal points; a figure is converted to Decimal once, at the end, with the engine's 50
significant digits — so it is exact whenever its decimal expansion ends within them, and the exact shares
add up to exactly 1. Variances are population variances (divided by the number of units: the units given
are the whole population described, not a sample); the shares do not depend on that choice. Standard
deviations are square roots, correct to those 50 digits.

When the totals do not vary at all (every unit has the same total, or there is one unit), there is no
variation to share: the variation shares are ``None`` and :attr:`EffectiveWeights.note` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ..engine.result import Result
from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import CONTEXT, from_fraction, in_context, shown
from ..serialize import JsonForm
from .cohort import Cohort, require_complete

Kind = Literal["indicator", "group"]


@dataclass(frozen=True, kw_only=True)
class Influence(JsonForm):
    """One indicator's or group's nominal and effective weight across the cohort."""

    __json__ = ("kind", "id", "label", "weight", "nominal_share", "variation_share", "mean",
                "mean_share_of_weight", "variance", "std", "covariance", "members")  # fmt: skip
    kind: Kind
    #: Indicator id or group path.
    id: str
    label: str
    weight: Decimal
    #: weight / the set's total.
    nominal_share: Decimal
    #: Mean contribution to the total (points as the total counts them).
    mean: Decimal
    #: Population variance of the contribution across the units.
    variance: Decimal
    std: Decimal
    #: Population covariance of the contribution with the (unrounded) total.
    covariance: Decimal
    #: covariance / variance of the totals; None when the totals do not vary.
    variation_share: Decimal | None
    #: Mean contribution as a share of the weight (1 when every unit has full marks).
    mean_share_of_weight: Decimal | None
    #: A group's indicators (empty for an indicator).
    members: tuple[str, ...] = ()
    #: The variation share as an exact rational (the shares of all indicators add up to exactly 1).
    variation_share_exact: Fraction | None = field(default=None, repr=False, compare=False)

    @property
    def decides_nothing(self) -> bool:
        """True when the contribution is the same in every unit (so its variation share is 0)."""
        return self.variance == 0


@dataclass(frozen=True, kw_only=True)
class EffectiveWeights(JsonForm):
    """Nominal and effective weights of every indicator and group of a set, across a cohort of units."""

    __json__ = ("set", "total", "units", "totals", "total_mean", "total_variance", "total_std", "note",
                "groups", "indicators")  # fmt: skip
    indicator_set: IndicatorSet
    units: tuple[str, ...]
    #: Each unit's total before its final rounding (the sum of the contributions).
    totals: tuple[Decimal, ...]
    total_mean: Decimal
    total_variance: Decimal
    total_std: Decimal
    indicators: tuple[Influence, ...]
    groups: tuple[Influence, ...]
    #: Why variation shares are missing (None when they are computed).
    note: str | None = None

    @property
    def set(self) -> SetIdentity:
        return self.indicator_set.identity

    @property
    def total(self) -> Decimal:
        return self.indicator_set.total

    def indicator(self, indicator_id: str) -> Influence:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise KeyError(indicator_id)

    def group(self, path: str) -> Influence:
        for item in self.groups:
            if item.id == path:
                return item
        raise KeyError(path)


def contributions(result: Result) -> list[Fraction]:
    """Each row's contribution to the unit's unrounded total, exactly (rows in the set's order)."""
    scale = (
        Fraction(result.maximum) / Fraction(result.attainable) if result.scale is not None else Fraction(1)
    )
    out = []
    for row in result.indicators:
        if not row.counted:
            out.append(Fraction(0))
        else:
            assert row.points is not None
            out.append(Fraction(row.points) * scale)
    return out


def _moments(series: Sequence[Fraction], totals: Sequence[Fraction]) -> tuple[Fraction, Fraction, Fraction]:
    """(mean, population variance, population covariance with the totals)."""
    count = len(series)
    if not count:
        return Fraction(0), Fraction(0), Fraction(0)
    mean = sum(series, Fraction(0)) / count
    total_mean = sum(totals, Fraction(0)) / count
    variance = sum(((x - mean) ** 2 for x in series), Fraction(0)) / count
    covariance = sum(
        ((x - mean) * (t - total_mean) for x, t in zip(series, totals, strict=True)), Fraction(0)
    )
    return mean, variance, covariance / count


def _sqrt(value: Fraction) -> Decimal:
    return from_fraction(value).sqrt(CONTEXT)


def _note(totals: Sequence[Fraction], variance: Fraction) -> str | None:
    """Why there are no variation shares, if there are none."""
    count = len(totals)
    if count == 0:
        return "no units: nothing to compare"
    if variance:
        return None
    alike = (
        "there is only one unit"
        if count == 1
        else f"the totals do not vary: all {count} units have {shown(from_fraction(totals[0]))}"
    )
    return alike + "; variation shares are not defined (no variation to share)"


def _influence(
    kind: Kind,
    key: str,
    label: str,
    weight: Decimal,
    series: list[Fraction],
    totals: list[Fraction],
    total_variance: Fraction,
    set_total: Decimal,
    members: tuple[str, ...] = (),
) -> Influence:
    mean, variance, covariance = _moments(series, totals)
    share = covariance / total_variance if total_variance else None
    return Influence(
        kind=kind,
        id=key,
        label=label,
        weight=weight,
        nominal_share=from_fraction(Fraction(weight) / Fraction(set_total)),
        mean=from_fraction(mean),
        variance=from_fraction(variance),
        std=_sqrt(variance),
        covariance=from_fraction(covariance),
        variation_share=from_fraction(share) if share is not None else None,
        mean_share_of_weight=from_fraction(mean / Fraction(weight)) if weight else None,
        members=members,
        variation_share_exact=share,
    )


@in_context
def effective_weights(cohort: Cohort, results: Sequence[Result] | None = None) -> EffectiveWeights:
    """Nominal and variation shares of every indicator and group across the cohort's units.

    ``results`` are the units' results under the cohort's set, when already computed. Every unit must be
    complete (no unknown rows); see the module docstring for what is computed and how exactly.
    """
    indicator_set = cohort.indicator_set
    results = list(results) if results is not None else cohort.evaluate()
    require_complete(results, "effective weights")
    matrix = [contributions(result) for result in results]  # units × indicators
    totals = [sum(row, Fraction(0)) for row in matrix]
    total_mean, total_variance, _ = _moments(totals, totals)
    indicators = [
        _influence(
            "indicator",
            indicator.id,
            indicator.label,
            indicator.weight,
            [row[index] for row in matrix],
            totals,
            total_variance,
            indicator_set.total,
        )
        for index, indicator in enumerate(indicator_set.indicators)
    ]
    position = {indicator.id: index for index, indicator in enumerate(indicator_set.indicators)}
    groups = []
    for group in indicator_set.groups:
        slots = [position[member] for member in group.members]
        series = [sum((row[i] for i in slots), Fraction(0)) for row in matrix]
        weight = sum((indicator_set.indicators[i].weight for i in slots), Decimal(0))
        groups.append(
            _influence(
                "group",
                group.path,
                group.label,
                weight,
                series,
                totals,
                total_variance,
                indicator_set.total,
                group.members,
            )
        )
    return EffectiveWeights(
        indicator_set=indicator_set,
        units=tuple(result.unit for result in results),
        totals=tuple(from_fraction(t) for t in totals),
        total_mean=from_fraction(total_mean),
        total_variance=from_fraction(total_variance),
        total_std=_sqrt(total_variance),
        indicators=tuple(indicators),
        groups=tuple(groups),
        note=_note(totals, total_variance),
    )
