"""judgment: an evaluator awards points inside a named tier; the tier bounds the points."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ONE, plain
from .base import Direction, Rule, RuleContext, RuleFailure, english, register
from .panel import Panel, PanelSpec, describe_panel


class Tier(StrictModel):
    label: str = Field(min_length=1)
    min_share: Number = Field(ge=0, le=1, description="Lowest share of the weight this tier allows.")


class JudgmentSpec(StrictModel):
    tiers: list[Tier] = Field(min_length=1)
    panel: PanelSpec | None = Field(
        None, description="How this row's raters are aggregated (over the set's panel:)."
    )


class JudgmentShape(StrictModel):
    judgment: JudgmentSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class Award:
    """An evaluator's judgment of one indicator as the unit data gives it: the tier, the points awarded (at
    the rule's weight) and the reason. It is also the judged row's trace step."""

    kind: ClassVar[str] = "judgment"
    __json__ = ("kind", "tier", "points", "reason")
    tier: str
    points: Decimal
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelAward(Award):
    """A panel's judgment of one indicator: the aggregate of its raters' points, in the tier it falls in,
    with every rater in ``panel``. ``reason`` is the panel's own note (empty when it gives none)."""

    __json__ = ("kind", "tier", "points", "reason", "panel")  # type: ignore[assignment]  # one key more
    panel: Panel


@register
class JudgmentRule(Rule):
    """The evaluator awards points inside a named tier; the tier bounds the points."""

    kind = "judgment"
    shape = JudgmentShape
    needs_value = False
    allows_value = False
    judged = True
    margin_way = "award"

    def __init__(self, weight: Decimal, shape: JudgmentShape, context: RuleContext) -> None:
        super().__init__(weight)
        tiers = shape.judgment.tiers
        shares = [tier.min_share for tier in tiers]
        path = ("judgment", "tiers")
        if any(a <= b for a, b in itertools.pairwise(shares)):
            context.report("tier-order", "tiers must be listed highest first, with falling min_share", path)
        if shares[-1] != 0:
            context.report("tier-floor", "the last tier must have min_share 0", path)
        labels = [tier.label for tier in tiers]
        if len(set(labels)) != len(labels):
            context.report("tier-label", "tier labels must be unique", path)
        #: tier label → (lowest, highest) points it allows, inclusive, at the reference weight
        self.tiers: dict[str, tuple[Decimal, Decimal]] = {}
        upper = ONE
        for tier in tiers:
            self.tiers[tier.label] = (tier.min_share * weight, upper * weight)
            upper = tier.min_share
        #: The row's own panel settings (merged over the set's when a unit is bound).
        self.panel = shape.judgment.panel
        panel = self.panel
        trimmed = panel is not None and panel.aggregate == "trimmed_mean"
        if (
            trimmed
            and panel is not None
            and panel.min_raters is not None
            and panel.min_raters <= 2 * (panel.trim or 1)
        ):
            message = "a trimmed mean needs min_raters above twice trim, or nothing is left to average"
            context.report("panel-trim", message, ("judgment", "panel", "min_raters"))

    @property
    def direction(self) -> Direction:
        return "none"

    def tier_of(self, points: Decimal) -> str:
        """The highest tier that allows ``points`` (a panel's aggregate lies within the weight, so one does)."""
        for label, (low, high) in self.tiers.items():
            if low <= points <= high:
                return label
        return next(iter(self.tiers))

    def tier_range(self, label: str) -> tuple[Decimal, Decimal] | None:
        """Lowest and highest points (inclusive, at reference weight) the tier allows."""
        return self.tiers.get(label)

    def tier_for(self, points: Decimal, current: str, side: Literal["up", "down"]) -> str:
        """The current tier if it allows ``points``, else the nearest tier that does (toward ``side``)."""
        low, high = self.tiers[current]
        if low <= points <= high:
            return current
        fitting = [label for label, (low, high) in self.tiers.items() if low <= points <= high]
        if not fitting:
            return current
        return fitting[-1] if side == "up" else fitting[0]  # tiers run highest first

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Award]:
        if not isinstance(value, Award):
            raise RuleFailure("a judgment rule scores the evaluator's award")
        return value.points, value

    def describe(self, step: Award, texts: Catalogue | None = None) -> str:
        low, high = self.tiers[step.tier]
        texts = texts or english()
        if isinstance(step, PanelAward):
            reason = texts.text("outcome.unknown_reason", reason=step.reason) if step.reason else ""
            return texts.text(
                "outcome.panel.judged",
                tier=step.tier,
                low=plain(low),
                high=plain(high),
                points=plain(step.points),
                panel=describe_panel(step.panel, texts),
                reason=reason,
            )
        return texts.text(
            "outcome.judgment.judged",
            tier=step.tier,
            low=plain(low),
            high=plain(high),
            points=plain(step.points),
            reason=step.reason,
        )
