"""What would make a published total or grade hold (:mod:`scoring.analysis.gap`), as lines of text in the
language of the catalogue given."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.gap import Gap
from ..analysis.margins.results import IndicatorMargin
from ..engine.result import Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain
from ..rules.base import english
from ..rules.judgment import JudgmentRule

_G = "reproduce.gap."


def gap_lines(
    gaps: tuple[Gap, ...], indicator_set: IndicatorSet, result: Result, texts: Catalogue | None = None
) -> list[str]:
    """One paragraph per published figure that does not follow from the data (``result``: the unit's)."""
    texts = texts or english()
    tiers = {row.id: row.tier for row in result.indicators}
    unknown = {row.id for row in result.indicators if row.status == "unknown"}
    places = indicator_set.rounding.places
    lines: list[str] = []
    for gap in gaps:
        published = gap.published if isinstance(gap.published, str) else plain(gap.published)
        what = texts.text(_G + "what", figure=texts.text(f"{_G}figure.{gap.figure}"), published=published)
        if gap.needed is None:
            lines.append(texts.text(_G + "skipped", what=what))
            continue
        low, high = (fixed(end, places) for end in gap.needed)
        needs = (
            texts.text(_G + "needs_one", low=low)
            if low == high
            else texts.text(_G + "needs_range", low=low, high=high)
        )
        if gap.side is not None:
            assert gap.change is not None
            change = fixed(abs(gap.change), places)
            known = "" if result.unknown_range is not None else "_known"  # no unknown row to speak of
            lines.append(texts.text(f"{_G}out_{gap.side}{known}", what=what, needs=needs, change=change))
            lines.append(texts.text(_G + ("any" if gap.moves else "no_move")))
            for move in gap.moves:
                line = _move(move, indicator_set, tiers.get(move.id), texts, move.id not in unknown)
                lines.append(texts.text(_G + "move", move=line))
            continue
        if gap.unknown_sum is None:
            lines.append(texts.text(_G + "needs_only", what=what, needs=needs))
            continue
        need_low, need_high = (fixed(end, places) for end in gap.unknown_sum)
        span = need_low if need_low == need_high else texts.text(_G + "span", low=need_low, high=need_high)
        lines.append(texts.text(_G + "within", what=what, needs=needs, span=span))
        for row in gap.rows:
            bounds = []
            if row.at_least is not None and row.at_least == row.at_most:
                bounds.append(texts.text(_G + "exactly", points=fixed(row.at_least, places)))
            elif row.at_least is not None:
                bounds.append(texts.text(_G + "at_least", points=fixed(row.at_least, places)))
            if row.at_most is not None and row.at_least != row.at_most:
                bounds.append(texts.text(_G + "at_most", points=fixed(row.at_most, places)))
            lines.append(texts.text(_G + "row", id=row.id, label=row.label, bounds=texts.text(_G + "and").join(bounds),
                                    low=fixed(row.low, places), high=fixed(row.high, places)))  # fmt: skip
    return lines


def _move(
    move: IndicatorMargin, indicator_set: IndicatorSet, tier: str | None, texts: Catalogue, fixed_points: bool
) -> str:
    """One row's way across: which input to what, which items, or which points (and tier)."""
    places = indicator_set.rounding.places
    needed = fixed(move.needed, places) if move.needed is not None else "?"
    fields = {"name": f"{move.id} {move.label}", "op": "≥" if move.side == "up" else "≤", "needed": needed}
    solution = move.solutions[0] if move.solutions else None
    if solution is None:
        return texts.text(_G + ("points_note" if move.note else "points"), note=move.note, **fields)
    if solution.kind in ("override", "judgment"):
        rule = indicator_set.by_id[move.id].rule
        now = fixed(move.points, places) if move.points is not None else "—"
        if isinstance(rule, JudgmentRule) and move.needed is not None:
            current = texts.text(_G + "current_tier", tier=tier) if tier else ""
            key = "judged_fixed" if fixed_points else "judged"  # points awarded, or the top of a tier's range
            return texts.text(_G + key, tier=rule.tier_of(move.needed), now=now, current=current, **fields)
        return texts.text(_G + "unknown", now=now, **fields)
    ways = [
        ", ".join(f"{c.name} {_shown(c.current, texts)} → {_shown(c.new, texts)}" for c in way.changes)
        for way in move.solutions
    ]
    more = texts.text(_G + "more", n=len(ways) - 2) if len(ways) > 2 else ""
    return texts.text(_G + "input", ways=texts.text(_G + "or").join(ways[:2]), more=more, **fields)


def _shown(value: object, texts: Catalogue) -> str:
    if isinstance(value, bool):
        return texts.text(_G + ("value_true" if value else "value_false"))
    return plain(value) if isinstance(value, Decimal) else str(value)
