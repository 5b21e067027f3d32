"""Stale weights: an indicator whose weight no longer fits the points its rule awards.

When a weight is changed and its rule is not (a checklist still adding up to the old weight, bands still
giving the old full marks), the rule's problem is the one to report. The weights over that indicator — the
total and its groups' subtotals — would add up with the weight its rule implies, so a difference they show
that this explains is a follow-on of the same slip, not a problem of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..numbers import ZERO

#: Problems that say an indicator's weight does not fit its rule (or is not exact at the set's precision).
WEIGHT_CODES = frozenset({"weight-places", "checklist-sum", "rule-points", "deduct-points"})


def implied_weight(rule: object) -> Decimal | None:
    """The weight a rule's own points imply: a checklist's sum, the highest points of bands or cases
    (with their ``otherwise``). None for the kinds whose points do not name a weight."""
    items = getattr(rule, "checklist", None)
    if isinstance(items, list):
        return sum((item.points for item in items), ZERO)
    entries = getattr(rule, "bands", None) or getattr(rule, "cases", None)
    if not isinstance(entries, list):
        return None  # a deduction or a met rule: its points say nothing of the weight
    points = [getattr(entry, "points", None) for entry in entries] + [getattr(rule, "otherwise", None)]
    found = [p for p in points if isinstance(p, Decimal)]
    return max(found) if found else None


@dataclass
class StaleWeights:
    """The indicators whose weight a problem of their own calls in question, with the weight each implies."""

    #: (the indicator's group paths, written weight, implied weight) of each.
    entries: list[tuple[tuple[str, ...], Decimal, Decimal]] = field(default_factory=list)

    def add(self, paths: Iterable[str], written: Decimal, rule: object) -> None:
        implied = implied_weight(rule)
        if implied is not None and implied != written:
            self.entries.append((tuple(paths), written, implied))

    def explains(self, written_sum: Decimal, expected: Decimal, path: str | None = None) -> bool:
        """Whether the sum (the total's when ``path`` is None, else that group's) adds up once each stale
        weight under it is the one its rule implies."""
        change = sum(
            (implied - written for paths, written, implied in self.entries if path is None or path in paths),
            ZERO,
        )
        return change != 0 and written_sum + change == expected
