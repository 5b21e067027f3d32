"""Inter-rater agreement over a cohort scored by panels: how far each rater stands from the panels, which
rows the raters were furthest apart on, and Kendall's coefficient of concordance W per judged row.

Everything is read from the units' bound panels (no unit is scored again) and computed exactly over
fractions; the figures are Decimals in the library's context.

Kendall's W for one row: the *m* raters who scored the row in every unit where it is complete rank those *n*
units by their points (ties take the mean of their ranks); with *Rᵢ* the rank sum of unit *i*, *S* the sum
of squares of *Rᵢ* − *m*(*n* + 1)/2 and *T* the sum, over raters and their groups of *t* tied units, of
*t*³ − *t*: W = 12 *S* / (*m*² (*n*³ − *n*) − *m* *T*) (Kendall and Babington Smith's coefficient of
concordance, with the usual correction for ties; tests/test_panel_agreement.py checks it on published figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..errors import OptionError, Problem
from ..model.unit import PanelUnknown, Unit
from ..numbers import from_fraction, in_context
from ..rules.judgment import PanelAward
from ..rules.panel import Panel, aggregate_exact
from ..serialize import JsonForm
from .cohort import Cohort


@dataclass(frozen=True, slots=True, kw_only=True)
class RaterAgreement:
    """One rater across the cohort: how far their points stand from the panels' aggregates (before rounding),
    in points and as a share of the row's weight; a positive deviation is a rater above the panel."""

    rater: str
    #: Rows (unit × indicator) the rater scored with points, in complete panels.
    rows: int
    #: How many of those rows a trimmed mean dropped the rater from.
    trimmed: int
    mean_deviation: Decimal
    mean_abs_deviation: Decimal
    #: The mean of |points − aggregate| / weight.
    mean_abs_share: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class SpreadRow:
    """One panel row of one unit: the raters' spread (max − min of their points) and whether it is wide."""

    unit: str
    indicator: str
    label: str
    weight: Decimal
    raters: int
    spread: Decimal
    #: spread / weight.
    share: Decimal
    wide: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Concordance:
    """Kendall's W of one judged row across the cohort (None when it is not defined)."""

    indicator: str
    label: str
    #: The raters ranked: those who scored this row with points in every unit counted.
    raters: tuple[str, ...]
    #: The units ranked.
    units: int
    w: Decimal | None
    #: The rank sums' squared deviations S and the tie term T (Σ t³ − t), for checking by hand.
    s: Decimal | None
    ties: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelAgreement(JsonForm):
    """Inter-rater agreement of a cohort's panels (``scoring panel``)."""

    set_id: str
    units: int
    raters: tuple[RaterAgreement, ...]
    widest: tuple[SpreadRow, ...]
    concordance: tuple[Concordance, ...]


def _panels(unit: Unit) -> dict[str, Panel]:
    """The unit's panel rows: indicator id → panel (complete or not)."""
    found: dict[str, Panel] = {}
    for key, award in unit.judgments.items():
        if isinstance(award, PanelAward):
            found[key] = award.panel
    for key, unknown in unit.unknown.items():
        if isinstance(unknown, PanelUnknown):
            found[key] = unknown.panel
    return found


@in_context
def panel_agreement(cohort: Cohort, top: int = 10) -> PanelAgreement:
    """The agreement of the cohort's raters; an :class:`OptionError` when no unit has a panel."""
    indicator_set = cohort.indicator_set
    by_unit = [(unit, _panels(unit)) for unit in cohort.units]
    if not any(panels for _, panels in by_unit):
        message = "no unit of the cohort has a judged row scored by raters"
        raise OptionError(
            Problem("panel-none", message, None, "UNITS", "give units with judgments: {id: {raters: [...]}}")
        )
    deviations: dict[str, list[tuple[Fraction, Fraction, bool]]] = {}
    spreads: list[SpreadRow] = []
    for unit, panels in by_unit:
        for key, panel in panels.items():
            indicator = indicator_set.by_id[key]
            weight = indicator.reference_weight
            spreads.append(_spread_row(unit.name, key, indicator.label, weight, panel))
            if panel.exact is None:
                continue
            known = [Fraction(r.points) for r in panel.raters if r.points is not None]
            centre = aggregate_exact(known, panel.aggregate, panel.trim)  # exact, not the rounded decimal
            for rater in panel.raters:
                if rater.points is not None:
                    gap = Fraction(rater.points) - centre
                    deviations.setdefault(rater.name, []).append(
                        (gap, abs(gap) / Fraction(weight), rater.trimmed)
                    )
    spreads.sort(key=lambda row: (-row.share, -row.spread, row.unit, row.indicator))
    concordance = tuple(
        _concordance(
            indicator.id,
            indicator.label,
            [panels[indicator.id] for _, panels in by_unit if indicator.id in panels],
        )
        for indicator in indicator_set.indicators
        if any(indicator.id in panels for _, panels in by_unit)
    )
    return PanelAgreement(
        set_id=indicator_set.id,
        units=len(cohort.units),
        # the raters in the order the units first list them (甲乙丙丁戊 as written, not by code point)
        raters=tuple(_rater(name, rows) for name, rows in deviations.items()),
        widest=tuple(spreads[:top]),
        concordance=concordance,
    )


def _spread_row(unit: str, key: str, label: str, weight: Decimal, panel: Panel) -> SpreadRow:
    return SpreadRow(unit=unit, indicator=key, label=label, weight=weight, raters=len(panel.raters),
                     spread=panel.spread, share=panel.spread / weight, wide=panel.wide)  # fmt: skip


def _rater(name: str, rows: list[tuple[Fraction, Fraction, bool]]) -> RaterAgreement:
    count = len(rows)
    return RaterAgreement(
        rater=name,
        rows=count,
        trimmed=sum(1 for _, _, trimmed in rows if trimmed),
        mean_deviation=from_fraction(sum((gap for gap, _, _ in rows), Fraction(0)) / count),
        mean_abs_deviation=from_fraction(sum((abs(gap) for gap, _, _ in rows), Fraction(0)) / count),
        mean_abs_share=from_fraction(sum((share for _, share, _ in rows), Fraction(0)) / count),
    )


def _concordance(key: str, label: str, panels: Sequence[Panel]) -> Concordance:
    """W over the units whose panel on this row is complete, ranked by the raters common to all of them."""
    complete = [panel for panel in panels if panel.exact is not None]
    names: set[str] = (
        set.intersection(*(set(r.name for r in p.raters) for p in complete)) if complete else set()
    )
    raters = tuple(r.name for r in complete[0].raters if r.name in names) if complete else ()
    scores = [[_points_of(panel, name) for panel in complete] for name in raters]
    w, s, ties = kendall_w(scores)
    return Concordance(indicator=key, label=label, raters=raters, units=len(complete), w=w, s=s, ties=ties)


def _points_of(panel: Panel, name: str) -> Fraction:
    return next(Fraction(r.points) for r in panel.raters if r.name == name and r.points is not None)


def mean_ranks(values: Sequence[Fraction]) -> tuple[list[Fraction], int]:
    """The rank of each value (1 = lowest; tied values share the mean of their ranks) and Σ (t³ − t) over the
    groups of t tied values."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks: list[Fraction] = [Fraction(0)] * len(values)
    ties = 0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        rank = Fraction(start + 1 + end + 1, 2)
        for position in range(start, end + 1):
            ranks[order[position]] = rank
        size = end - start + 1
        ties += size**3 - size
        start = end + 1
    return ranks, ties


def kendall_w(scores: Sequence[Sequence[Fraction]]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(W, S, T) for ``scores[rater][unit]``, W corrected for ties; (None, …) when W is not defined (fewer
    than 2 raters or units, or every rater ties every unit)."""
    m = len(scores)
    n = len(scores[0]) if scores else 0
    if m < 2 or n < 2:
        return None, None, None
    sums = [Fraction(0)] * n
    ties = 0
    for row in scores:
        ranks, tied = mean_ranks(row)
        ties += tied
        sums = [a + b for a, b in zip(sums, ranks, strict=True)]
    centre = Fraction(m * (n + 1), 2)
    s = sum(((r - centre) ** 2 for r in sums), Fraction(0))
    denominator = m * m * (n**3 - n) - m * ties
    if denominator == 0:
        return None, from_fraction(s), Decimal(ties)
    return from_fraction(12 * s / denominator), from_fraction(s), Decimal(ties)
