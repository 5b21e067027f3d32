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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from ..engine.result import Result
from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import CONTEXT, from_fraction, in_context, shown
from ..serialize import JsonForm
from .cohort import Cohort, UnitRows, require_complete, unit_rows

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
    #: ``note`` as a catalogue key (``analysis.weights.notes.<key>``) and the values it is filled with, which
    #: a report in another language says instead; not in the JSON, which keeps ``note``.
    note_key: str | None = None
    note_values: tuple[tuple[str, str], ...] = ()

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


@dataclass(frozen=True, slots=True)
class _Series:
    """A column of integers ``x`` standing for ``x / scale``, with the sums the moments need."""

    count: int
    total: int  # Σx
    squares: int  # Σx²
    products: int  # Σx·t, t the units' totals (on the same scale)


def _series(values: Sequence[int], totals: Sequence[int]) -> _Series:
    return _Series(
        len(values),
        sum(values),
        sum(x * x for x in values),
        sum(x * t for x, t in zip(values, totals, strict=True)),
    )


def _moments(series: _Series, totals: _Series, scale: int) -> tuple[Fraction, Fraction, Fraction]:
    """(mean, population variance, population covariance with the totals), exactly, from integer sums:
    ``var = (N·Σx² − (Σx)²) / (N·scale)²`` and ``cov = (N·Σxt − Σx·Σt) / (N·scale)²``."""
    count = series.count
    if not count:
        return Fraction(0), Fraction(0), Fraction(0)
    mean = Fraction(series.total, count * scale)
    spread = (count * scale) ** 2
    variance = Fraction(count * series.squares - series.total**2, spread)
    covariance = Fraction(count * series.products - series.total * totals.total, spread)
    return mean, variance, covariance


def _sqrt(value: Fraction) -> Decimal:
    return from_fraction(value).sqrt(CONTEXT)


def _note(totals: Sequence[Decimal], variance: Fraction) -> dict[str, Any]:
    """Why there are no variation shares, if there are none: the note's fields of :class:`EffectiveWeights`
    (in English, and as a catalogue key with its values)."""
    count = len(totals)
    if count == 0:
        return {"note": "no units: nothing to compare", "note_key": "no_units"}
    if variance:
        return {}
    values: tuple[tuple[str, str], ...] = ()
    if count == 1:
        alike, key = "there is only one unit", "one_unit"
    else:
        alike = f"the totals do not vary: all {count} units have {shown(totals[0])}"
        key, values = "no_variation", (("count", str(count)), ("total", shown(totals[0])))
    note = alike + "; variation shares are not defined (no variation to share)"
    return {"note": note, "note_key": key, "note_values": values}


def _influence(
    kind: Kind,
    key: str,
    label: str,
    weight: Decimal,
    moments: tuple[Fraction, Fraction, Fraction],
    total_variance: Fraction,
    set_total: Decimal,
    members: tuple[str, ...] = (),
) -> Influence:
    mean, variance, covariance = moments
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
    if results is not None:
        require_complete(results, "effective weights")
        rows = [unit_rows(result, indicator_set.rounding.places) for result in results]
    else:
        rows = cohort.rows("effective weights")
    matrix, scale = _contributions(indicator_set, rows)  # units × indicators, integers of 1 / scale
    unit_totals = [sum(row) for row in matrix]
    totals = _series(unit_totals, unit_totals)
    total_mean, total_variance, _ = _moments(totals, totals, scale)

    def moments(columns: Sequence[int]) -> tuple[Fraction, Fraction, Fraction]:
        values = [sum(row[i] for i in columns) for row in matrix] if len(columns) > 1 else [row[columns[0]] for row in matrix]  # fmt: skip
        return _moments(_series(values, unit_totals), totals, scale)

    indicators = [
        _influence(
            "indicator",
            indicator.id,
            indicator.label,
            indicator.weight,
            moments([index]),
            total_variance,
            indicator_set.total,
        )
        for index, indicator in enumerate(indicator_set.indicators)
    ]
    groups = _group_influences(indicator_set, moments, total_variance)
    decimal_totals = tuple(from_fraction(Fraction(t, scale)) for t in unit_totals)
    return EffectiveWeights(
        indicator_set=indicator_set,
        units=tuple(row.unit for row in rows),
        totals=decimal_totals,
        total_mean=from_fraction(total_mean),
        total_variance=from_fraction(total_variance),
        total_std=_sqrt(total_variance),
        indicators=tuple(indicators),
        groups=tuple(groups),
        **_note(decimal_totals, total_variance),
    )


def _group_influences(
    indicator_set: IndicatorSet,
    moments: Callable[[Sequence[int]], tuple[Fraction, Fraction, Fraction]],
    total_variance: Fraction,
) -> list[Influence]:
    """Each group's influence: its members' contributions added up."""
    position = {indicator.id: index for index, indicator in enumerate(indicator_set.indicators)}
    groups = []
    for group in indicator_set.groups:
        slots = [position[member] for member in group.members]
        weight = sum((indicator_set.indicators[i].weight for i in slots), Decimal(0))
        influence = _influence(
            "group", group.path, group.label, weight, moments(slots), total_variance, indicator_set.total,
            group.members,
        )  # fmt: skip
        groups.append(influence)
    return groups


def _contributions(indicator_set: IndicatorSet, rows: Sequence[UnitRows]) -> tuple[list[list[int]], int]:
    """Each unit's contributions as integers over one common scale: rounded points (integers of
    ``10^-places``) times the unit's rescale factor ``total / attainable``, over the least common multiple
    of those factors' denominators (1 when no unit left rows out)."""
    maximum = Fraction(indicator_set.total)
    factors = [maximum / Fraction(row.attainable) for row in rows]
    common = math.lcm(*(f.denominator for f in factors)) if factors else 1
    scale = common * 10**indicator_set.rounding.places
    matrix = []
    for row, factor in zip(rows, factors, strict=True):
        multiplier = factor.numerator * (common // factor.denominator)
        matrix.append([points * multiplier for points in row.points])
    return matrix, scale
