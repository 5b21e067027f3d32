"""What would make a published total or grade hold (:mod:`scoring.analysis.gap`), as lines of text."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.gap import Gap
from ..analysis.margins.results import IndicatorMargin
from ..engine.result import Result
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain
from ..rules.judgment import JudgmentRule


def gap_lines(gaps: tuple[Gap, ...], indicator_set: IndicatorSet, result: Result) -> list[str]:
    """One paragraph per published figure that does not follow from the data (``result``: the unit's)."""
    tiers = {row.id: row.tier for row in result.indicators}
    places = indicator_set.rounding.places
    lines: list[str] = []
    for gap in gaps:
        what = f"the published {gap.figure} {gap.published if isinstance(gap.published, str) else plain(gap.published)}"
        if gap.needed is None:
            lines.append(f"  {what}: no sum of rows gives it (the set's rounding skips it)")
            continue
        low, high = (fixed(end, places) for end in gap.needed)
        needs = f"needs the rows to add up to {low}" + (f" to {high}" if low != high else "")
        if gap.side is not None:
            assert gap.change is not None
            best = "highest" if gap.side == "up" else "lowest"
            lines.append(
                f"  {what} {needs}: even with every unknown row at its {best}, they fall "
                f"{fixed(abs(gap.change), places)} {'short' if gap.side == 'up' else 'over'}."
            )
            if not gap.moves:
                lines.append("    No change of one row alone closes it.")
            else:
                lines.append("    Any one of these would close it:")
                lines.extend(f"    - {_move(move, indicator_set, tiers.get(move.id))}" for move in gap.moves)
            continue
        if gap.unknown_sum is None:
            lines.append(f"  {what} {needs}.")
            continue
        need_low, need_high = (fixed(end, places) for end in gap.unknown_sum)
        span = need_low if need_low == need_high else f"{need_low} to {need_high}"
        lines.append(f"  {what} {needs}: it holds when the unknown rows add up to {span}.")
        for row in gap.rows:
            bounds = []
            if row.at_least is not None:
                bounds.append(f"at least {fixed(row.at_least, places)}")
            if row.at_most is not None:
                bounds.append(f"at most {fixed(row.at_most, places)}")
            lines.append(
                f"    - {row.id} {row.label}: {' and '.join(bounds)} "
                f"(it can score {fixed(row.low, places)} to {fixed(row.high, places)})"
            )
    return lines


def _move(move: IndicatorMargin, indicator_set: IndicatorSet, tier: str | None) -> str:
    """One row's way across: which input to what, which items, or which points (and tier)."""
    places = indicator_set.rounding.places
    needed = fixed(move.needed, places) if move.needed is not None else "?"
    name = f"{move.id} {move.label}"
    op = "≥" if move.side == "up" else "≤"
    solution = move.solutions[0] if move.solutions else None
    if solution is None:
        return f"{name}: {op} {needed} points ({move.note})" if move.note else f"{name}: {op} {needed} points"
    if solution.kind in ("override", "judgment"):
        rule = indicator_set.by_id[move.id].rule
        now = fixed(move.points, places) if move.points is not None else "—"
        if isinstance(rule, JudgmentRule) and move.needed is not None:
            return (
                f"{name} judged at {op} {needed} points, tier {rule.tier_of(move.needed)} "
                f"(now at most {now}{f', tier {tier}' if tier else ''})"
            )
        return f"{name} at {op} {needed} points, outside the range entered for it (up to {now})"
    ways = [
        ", ".join(f"{change.name} {_shown(change.current)} → {_shown(change.new)}" for change in way.changes)
        for way in move.solutions
    ]
    more = f" (or {len(ways) - 2} other ways)" if len(ways) > 2 else ""
    return f"{name} {op} {needed} points: {' or '.join(ways[:2])}{more}"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain(value) if isinstance(value, Decimal) else str(value)
