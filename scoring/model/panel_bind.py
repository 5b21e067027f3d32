"""Binding a panel's judgment (``judgments: {id: {raters: [...]}}``) to its judged row.

Each rater is checked where they are written (their tier, their points against the row's range and their
tier); the panel must have as many raters as the set's ``panel:`` asks. A panel whose raters are all known
gives a :class:`~scoring.rules.judgment.PanelAward`; one with raters whose points are not known gives a
:class:`~scoring.model.unit.PanelUnknown` spanning what they could still give.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..errors import Location, Problem, ProblemList, clip
from ..formats.unit_format import PanelJudgment, Rater
from ..numbers import ZERO, plain
from ..rules.judgment import JudgmentRule, PanelAward
from ..rules.panel import (
    Aggregate,
    PanelRule,
    RaterScore,
    aggregate_exact,
    build_panel,
    panel_rule,
    round_fraction,
)
from .indicator_set import IndicatorSet
from .unit import PanelUnknown, Unit

Where = Callable[..., Location]

#: What the parts above the model (audit, analysis) use of the panels' arithmetic, through the model.
__all__ = [
    "Aggregate",
    "PanelAward",
    "aggregate_exact",
    "bind_panel",
    "panel_warnings",
    "round_fraction",
    "row_panel_rule",
]


def row_panel_rule(indicator_set: IndicatorSet, rule: JudgmentRule) -> PanelRule:
    """The panel settings of a judged row: its own over the set's, the set's rounding filling in."""
    rounding = indicator_set.rounding
    return panel_rule(indicator_set.spec.panel, rule.panel, rounding.places, rounding.mode)


def bind_panel(
    indicator_set: IndicatorSet,
    indicator_id: str,
    judgment: PanelJudgment,
    problems: ProblemList,
    where: Where,
) -> PanelAward | PanelUnknown | None:
    """The panel's award (or range); None, with the problems reported, when a rater does not fit."""
    indicator = indicator_set.by_id[indicator_id]
    rule = indicator.rule
    assert isinstance(rule, JudgmentRule)  # the caller checked the row is judged
    settings = row_panel_rule(indicator_set, rule)
    weight = indicator.reference_weight
    scores: list[RaterScore] = []
    seen: set[str] = set()
    for index, rater in enumerate(judgment.raters):
        place = ("judgments", indicator_id, "raters", index)
        if rater.name in seen:
            message = f"rater '{clip(rater.name)}' scores '{indicator_id}' twice"
            problems.add(Problem("panel-rater", message, where(*place, "name"), indicator_id, "keep one"))
        seen.add(rater.name)
        score = _rater_score(rule, weight, indicator_id, rater, problems, _under(where, place))
        if score is not None:
            scores.append(score)
    if len(judgment.raters) < settings.fewest:
        message = (
            f"'{indicator_id}' has {len(judgment.raters)} raters; its panel ({settings.aggregate}) needs at "
            f"least {settings.fewest}"
        )
        hint = "add raters, or lower min_raters in the set's panel:"
        problems.add(
            Problem("panel-raters", message, where("judgments", indicator_id, "raters"), indicator_id, hint)
        )
        return None
    if len(scores) != len(judgment.raters):
        return None
    panel, low, high = build_panel(scores, settings, weight)
    reason = judgment.reason
    if low == high:
        return PanelAward(tier=rule.tier_of(low), points=low, reason=reason or "", panel=panel)
    return PanelUnknown(low=low, high=high, reason=reason, panel=panel)


def _under(where: Where, place: tuple[str | int, ...]) -> Where:
    """``where`` for the keys under ``place``."""
    return lambda *path: where(*place, *path)


def _rater_score(
    rule: JudgmentRule, weight: Decimal, indicator_id: str, rater: Rater, problems: ProblemList, where: Where
) -> RaterScore | None:
    """One rater's score, or None with the problem reported (at the rater's tier or points)."""
    low, high = ZERO, weight
    if rater.tier is not None:
        bounds = rule.tier_range(rater.tier)
        if bounds is None:
            message = (
                f"rater '{clip(rater.name)}' of '{indicator_id}' names no tier of it: '{clip(rater.tier)}'"
            )
            problems.add(
                Problem(
                    "judgment-tier", message, where("tier"), indicator_id, "tiers: " + ", ".join(rule.tiers)
                )
            )
            return None
        low, high = bounds
    points = rater.points
    if points is None and rater.tier is None:
        message = f"rater '{clip(rater.name)}' of '{indicator_id}' gives neither points nor a tier"
        hint = "give points (or points: unknown), a tier, or both"
        problems.add(Problem("panel-rater", message, where(), indicator_id, hint))
        return None
    if isinstance(points, Decimal) and not low <= points <= high:
        within = f"tier '{rater.tier}'" if rater.tier is not None else "the row's range"
        message = (
            f"rater '{clip(rater.name)}' gives '{indicator_id}' {plain(points)} points, outside {within} "
            f"({plain(low)} to {plain(high)})"
        )
        problems.add(
            Problem("panel-points", message, where("points"), indicator_id, "points must lie within it")
        )
        return None
    known = points if isinstance(points, Decimal) else None
    return RaterScore(name=rater.name, points=known, tier=rater.tier, reason=rater.reason, trimmed=False,
                      low=low, high=high)  # fmt: skip


def panel_warnings(unit: Unit) -> tuple[Problem, ...]:
    """A warning for each panel row whose raters are further apart than the set allows (``spread:``): the row
    scores, but the panel should look at it again. Results carry them beside the data's other warnings."""
    panels = [(key, award.panel) for key, award in unit.judgments.items() if isinstance(award, PanelAward)]
    panels += [(key, gap.panel) for key, gap in unit.unknown.items() if isinstance(gap, PanelUnknown)]
    warnings = []
    for key, panel in panels:
        if not panel.wide or panel.spread_limit is None:
            continue
        path = ("judgments", key, "raters")
        where = unit.document.locate(path) if unit.document is not None else Location(unit.source, keys=path)
        low = min((r for r in panel.raters if r.points is not None), key=lambda r: r.points or ZERO)
        high = max((r for r in panel.raters if r.points is not None), key=lambda r: r.points or ZERO)
        message = (
            f"the raters of '{key}' are {plain(panel.spread)} points apart ({clip(low.name)} {plain(low.points or ZERO)}, "
            f"{clip(high.name)} {plain(high.points or ZERO)}), more than the set's {plain(panel.spread_limit)}"
        )
        warnings.append(
            Problem("panel-spread", message, where, key, "the row still scores; have the panel review it")
        )
    return tuple(warnings)
