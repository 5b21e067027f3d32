"""Which aggregation rules reproduce a published panel row from its raters' points.

A published table prints a judged row's points but rarely says how the experts' scores were combined. For
each published row that a panel scored (every rater known), this tries the usual rules — the mean, the mean
without the highest and lowest one or two scores, the median — each computed exactly, rounded to the
panel's places as the engine rounds it, then to the decimals the table prints (with the set's rounding
mode), and reports which give the printed figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..formats.unit_format import Published, PublishedRow
from ..model.indicator_set import IndicatorSet
from ..model.panel_bind import Aggregate, PanelAward, aggregate_exact, round_fraction
from ..model.unit import Unit
from ..numbers import from_fraction, written_places
from ..serialize import JsonForm

#: The rules tried, in order: (name, aggregate, trim, fewest raters it needs).
CANDIDATES: tuple[tuple[str, Aggregate, int, int], ...] = (
    ("mean", "mean", 1, 1),
    ("trimmed_mean_1", "trimmed_mean", 1, 3),
    ("trimmed_mean_2", "trimmed_mean", 2, 5),
    ("median", "median", 1, 1),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelCandidate:
    """One aggregation rule on a panel row: its exact value, rounded as the table prints, and whether that
    is the published figure."""

    rule: str
    exact: Decimal
    rounded: Decimal
    reproduces: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelCheck(JsonForm):
    """A published panel row: the printed points, the set's own rule, and every rule tried."""

    __json__ = ("indicator", "published", "places", "declared", "reproduced_by", "candidates")
    indicator: str
    published: Decimal
    #: Decimals the table prints the row with (the candidates are rounded to them).
    places: int
    #: The rule the set declares for the row (one of the candidates' names).
    declared: str
    candidates: tuple[PanelCandidate, ...]

    @property
    def reproduced_by(self) -> tuple[str, ...]:
        """The rules that give the published figure."""
        return tuple(c.rule for c in self.candidates if c.reproduces)


def panel_checks(indicator_set: IndicatorSet, unit: Unit, published: Published) -> tuple[PanelCheck, ...]:
    """A check for each published row the unit's panel scored with every rater known."""
    checks = []
    for indicator_id, entry in published.indicators.items():
        award = unit.judgments.get(indicator_id)
        indicator = indicator_set.by_id.get(indicator_id)
        if not isinstance(award, PanelAward) or indicator is None:
            continue
        printed = entry.points if isinstance(entry, PublishedRow) else entry
        places = written_places(printed)
        scale = Fraction(indicator.weight) / Fraction(indicator.reference_weight)  # points at today's weight
        points = [Fraction(r.points) for r in award.panel.raters if r.points is not None]
        candidates = []
        for name, how, trim, fewest in CANDIDATES:
            if len(points) < fewest:
                continue
            # as the engine does: the aggregate rounded to the panel's places at the rule's weight, then
            # scaled to today's weight and rounded to the decimals the table prints
            mode = indicator_set.rounding.mode
            exact = (
                Fraction(round_fraction(aggregate_exact(points, how, trim), award.panel.places, mode)) * scale
            )
            rounded = round_fraction(exact, places, mode)
            candidates.append(PanelCandidate(rule=name, exact=from_fraction(exact), rounded=rounded,
                                             reproduces=rounded == printed))  # fmt: skip
        panel = award.panel
        declared = f"trimmed_mean_{panel.trim}" if panel.aggregate == "trimmed_mean" else panel.aggregate
        checks.append(PanelCheck(indicator=indicator_id, published=printed, places=places, declared=declared,
                                 candidates=tuple(candidates)))  # fmt: skip
    return tuple(checks)
