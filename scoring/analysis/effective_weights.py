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

import csv
import decimal
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from ..engine.result import Result, to_json
from ..model.indicator_set import IndicatorSet
from ..numbers import CONTEXT, HUNDRED, plain, round_to, shown
from .cohort import Cohort, require_complete

Kind = Literal["indicator", "group"]


def _decimal(value: Fraction) -> Decimal:
    """A rational as a Decimal with the engine's precision (exact when it fits)."""
    with decimal.localcontext(CONTEXT):
        return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class Influence:
    """One indicator's or group's nominal and effective weight across the cohort."""

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "weight": self.weight,
            "nominal_share": self.nominal_share,
            "variation_share": self.variation_share,
            "mean": self.mean,
            "mean_share_of_weight": self.mean_share_of_weight,
            "variance": self.variance,
            "std": self.std,
            "covariance": self.covariance,
            "members": list(self.members),
        }


@dataclass(frozen=True)
class EffectiveWeights:
    """Nominal and effective weights of every indicator and group of a set, across a cohort of units."""

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

    def to_dict(self) -> dict[str, Any]:
        s = self.indicator_set
        return {
            "set": {"id": s.id, "version": s.version, "sha256": s.sha256},
            "total": s.total,
            "units": list(self.units),
            "totals": list(self.totals),
            "total_mean": self.total_mean,
            "total_variance": self.total_variance,
            "total_std": self.total_std,
            "note": self.note,
            "groups": [g.to_dict() for g in self.groups],
            "indicators": [i.to_dict() for i in self.indicators],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return to_json(self.to_dict(), indent)


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
    mean = sum(series, Fraction(0)) / count
    total_mean = sum(totals, Fraction(0)) / count
    variance = sum(((x - mean) ** 2 for x in series), Fraction(0)) / count
    covariance = sum(
        ((x - mean) * (t - total_mean) for x, t in zip(series, totals, strict=True)), Fraction(0)
    )
    return mean, variance, covariance / count


def _sqrt(value: Fraction) -> Decimal:
    with decimal.localcontext(CONTEXT):
        return _decimal(value).sqrt()


def effective_weights(cohort: Cohort, results: Sequence[Result] | None = None) -> EffectiveWeights:
    """Nominal and variation shares of every indicator and group across the cohort's units.

    ``results`` are the units' results under the cohort's set, when already computed. Every unit must be
    complete (no unknown rows); see the module docstring for what is computed and how exactly.
    """
    indicator_set = cohort.indicator_set
    results = list(results) if results is not None else cohort.evaluate()
    require_complete(results, "effective weights")
    count = len(results)
    matrix = [contributions(result) for result in results]  # units × indicators
    totals = [sum(row, Fraction(0)) for row in matrix]
    set_total = Fraction(indicator_set.total)
    if count == 0:
        note: str | None = "no units: nothing to compare"
        total_mean = total_variance = Fraction(0)
    else:
        total_mean = sum(totals, Fraction(0)) / count
        total_variance = sum(((t - total_mean) ** 2 for t in totals), Fraction(0)) / count
        note = None
        if total_variance == 0:
            note = (
                "there is only one unit"
                if count == 1
                else f"the totals do not vary: all {count} units have {shown(_decimal(totals[0]))}"
            ) + "; variation shares are not defined (no variation to share)"

    def influence(
        kind: Kind, key: str, label: str, weight: Decimal, series: list[Fraction], members: tuple[str, ...]
    ) -> Influence:
        if count:
            mean, variance, covariance = _moments(series, totals)
        else:
            mean = variance = covariance = Fraction(0)
        share = covariance / total_variance if total_variance else None
        return Influence(
            kind,
            key,
            label,
            weight,
            _decimal(Fraction(weight) / set_total),
            _decimal(mean),
            _decimal(variance),
            _sqrt(variance),
            _decimal(covariance),
            _decimal(share) if share is not None else None,
            _decimal(mean / Fraction(weight)) if weight else None,
            members,
            share,
        )

    indicators = []
    for index, indicator in enumerate(indicator_set.indicators):
        series = [row[index] for row in matrix]
        indicators.append(influence("indicator", indicator.id, indicator.label, indicator.weight, series, ()))
    position = {indicator.id: index for index, indicator in enumerate(indicator_set.indicators)}
    groups = []
    for group in indicator_set.groups:
        slots = [position[member] for member in group.members]
        series = [sum((row[i] for i in slots), Fraction(0)) for row in matrix]
        weight = sum((indicator_set.indicators[i].weight for i in slots), Decimal(0))
        groups.append(influence("group", group.path, group.label, weight, series, group.members))
    return EffectiveWeights(
        indicator_set,
        tuple(result.unit for result in results),
        tuple(_decimal(t) for t in totals),
        _decimal(total_mean),
        _decimal(total_variance),
        _sqrt(total_variance),
        tuple(indicators),
        tuple(groups),
        note,
    )


# --- output ------------------------------------------------------------------------------------------


def _percent(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "—"
    return format(round_to(value * HUNDRED, places), "f") + "%"


def _fixed(value: Decimal, places: int) -> str:
    return format(round_to(value, places), "f")


def weights_table(report: EffectiveWeights) -> str:
    """Fixed-width table: groups (indented by depth), then indicators, with nominal and variation shares."""
    from ..report.score import width

    s = report.indicator_set
    places = s.rounding.places
    header = ["", "Weight", "Nominal", "Variation", "Mean", "SD", "Mean/weight"]
    body: list[list[str]] = []

    def cells(item: Influence, name: str) -> list[str]:
        return [
            name,
            plain(item.weight),
            _percent(item.nominal_share),
            _percent(item.variation_share),
            _fixed(item.mean, places),
            _fixed(item.std, places),
            _percent(item.mean_share_of_weight),
        ]

    depth = {g.id: g.id.count("/") for g in report.groups}
    if report.groups:
        body.append(["Groups", "", "", "", "", "", ""])
        body.extend(cells(g, "  " * (depth[g.id] + 1) + g.label) for g in report.groups)
    body.append(["Indicators", "", "", "", "", "", ""])
    for item in report.indicators:
        flag = "  (same in every unit)" if item.decides_nothing else ""
        body.append(cells(item, f"  {item.id} {item.label}" if item.label != item.id else f"  {item.id}"))
        body[-1][-1] += flag
    sizes = [max(width(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        parts = [row[0] + " " * (sizes[0] - width(row[0]))]
        parts += [" " * (sizes[i] - width(row[i])) + row[i] for i in range(1, len(row) - 1)]
        parts.append(row[-1])
        return "  ".join(parts).rstrip()

    count = len(report.units)
    lines = [
        f"Effective weights — {s.title} ({s.id}{' ' + s.version if s.version else ''}), {count} units",
        "Nominal: weight / total.  Variation: share of the variance of the totals, cov(points, total) / var(total).",
        "",
        line(header),
        "  ".join("-" * size for size in sizes),
        *(line(row) for row in body),
        "",
        f"Totals (before rounding): mean {_fixed(report.total_mean, places)}, "
        f"SD {_fixed(report.total_std, places)}, variance {shown(report.total_variance)}",
    ]
    if report.note:
        lines.append(f"Note: {report.note}")
    return "\n".join(lines) + "\n"


def weights_csv(report: EffectiveWeights) -> str:
    """One row per group, then per indicator; shares as fractions (0.2 = 20%), numbers exact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["kind", "id", "label", "weight", "nominal_share", "variation_share", "mean",
         "mean_share_of_weight", "variance", "std", "covariance", "members"]
    )  # fmt: skip

    def number(value: Decimal | None) -> str:
        return "" if value is None else plain(value)

    for item in (*report.groups, *report.indicators):
        writer.writerow(
            [item.kind, item.id, item.label, plain(item.weight), number(item.nominal_share),
             number(item.variation_share), number(item.mean), number(item.mean_share_of_weight),
             number(item.variance), number(item.std), number(item.covariance), " ".join(item.members)]
        )  # fmt: skip
    return buffer.getvalue()
