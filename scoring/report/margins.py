"""``scoring margins`` as text and CSV: each unit's margins up and down, and each indicator's way across."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.margins import GradeMargin, IndicatorMargin, MarginsReport, UnitMargins
from ..numbers import count, fixed, in_context, plain, shown
from .csv import VALUE_PLACES, Cell, at, csv_text, upto
from .text import text_output

_LEGEND = (
    "✓ = verified by evaluating the unit with the change: the grade changes there and not one step before."
)
_SELECTION = "Grade margins of {selection} (--limit 0 for every unit)."
_INDICATORS = "Indicators: {ids}."
_HIDDEN = (
    "Only the answers with a change that crosses the grade boundary are shown; {hidden} (--all shows them)."
)


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + plain(abs(value))


def _margin_line(margin: GradeMargin | None, side: str, places: int, total_places: int) -> str:
    if margin is None:
        return f"  {side:<5} already in the {'top' if side == 'up' else 'lowest'} grade"
    room = (
        ""
        if margin.reachable
        else f"  (more than the rows can {'gain' if side == 'up' else 'lose'}: {plain(margin.room)})"
    )
    return (
        f"  {side:<5} {margin.grade}: {_signed(margin.change)} points "
        f"(rows {fixed(margin.row_sum, places)} → total {fixed(margin.total, total_places)}){room}"
    )


def _indicator_text(item: IndicatorMargin) -> str:
    parts: list[str] = []
    if item.needed is not None:
        parts.append(f"needs {'≥' if item.side == 'up' else '≤'} {plain(item.needed)} points")
    if item.targets:
        parts.append(" or ".join(str(t) for t in item.targets))
    if item.solutions:
        parts.append("; ".join(str(s) for s in item.solutions))
    if item.note:
        parts.append(item.note)
    return ": ".join(parts[:1]) + ("; " + "; ".join(parts[1:]) if len(parts) > 1 else "") if parts else ""


def _unit_block(report: UnitMargins, places: int, total_places: int) -> str:
    scale = f", rescaled × {shown(report.scale)}" if report.scale is not None else ""
    lines = [
        f"{report.unit} — total {fixed(report.total, total_places)}, grade {report.grade} "
        f"(rows {fixed(report.row_sum, places)}{scale})",
        _margin_line(report.up, "up", places, total_places),
        _margin_line(report.down, "down", places, total_places),
        "",
    ]
    seen: set[str] = set()
    for item in report.indicators:
        if (report.up if item.side == "up" else report.down) is None:
            continue  # the unit line says it: already in the top (lowest) grade
        if item.id not in seen:
            seen.add(item.id)
            points = "—" if item.points is None else fixed(item.points, places)
            value = f", value {shown(item.value)}" if isinstance(item.value, Decimal) else ""
            label = item.label if item.label != item.id else ""
            lines.append(
                f"  {item.id} {label} ({item.rule}) {points} of {plain(item.weight)}{value}".replace(
                    "  (", " ("
                )
            )
        lines.append(f"    {item.side:<5} {_indicator_text(item)}")
    return "\n".join(lines)


@text_output
@in_context
def margins_table(report: MarginsReport) -> str:
    """Plain text: per unit the margins up and down, then each indicator's way across."""
    rounding = report.indicator_set.rounding
    blocks = [_unit_block(unit, rounding.places, rounding.total_places) for unit in report.units]
    heading = [_SELECTION.format(selection=report.selection)] if report.selection else []
    if report.indicators:
        heading.append(_INDICATORS.format(ids=", ".join(report.indicators)))
    if report.hidden:
        heading.append(
            _HIDDEN.format(
                hidden=count(report.hidden, "answer without one is", "answers without one are") + " left out"
            )
        )
    head = "\n".join(heading) + "\n\n" if heading else ""
    return head + "\n\n".join(blocks) + "\n\n" + _LEGEND + "\n"


@in_context
def margins_csv(report: MarginsReport) -> str:
    """One row per unit margin and per indicator solution (an indicator without one gets one row): totals
    at ``rounding.total_places``, points at ``rounding.places``, values and conditions on them with at most
    :data:`~scoring.report.csv.VALUE_PLACES` decimals, the unit's figures as they are."""
    places, tp = report.indicator_set.rounding.places, report.indicator_set.rounding.total_places
    header = ["unit", "grade", "total", "side", "grade_reached", "row_sum_change", "indicator", "rule", "status",
              "points", "needed", "value", "value_targets", "kind", "changes", "places", "grade_after", "verified",
              "also_moves", "unit_crossing", "note"]  # fmt: skip
    rows: list[list[Cell]] = []
    for unit in report.units:
        head: list[Cell] = [unit.unit, unit.grade, at(unit.total, tp)]
        by_side = {"up": unit.up, "down": unit.down}
        for side, margin in by_side.items():
            note = "" if margin else f"already in the {'top' if side == 'up' else 'lowest'} grade"
            rows.append([*head, side, margin.grade if margin else "", at(margin.change if margin else None, places),
                         *[""] * 14, note])  # fmt: skip
        for item in unit.indicators:
            margin = by_side[item.side]
            common = [*head, item.side, margin.grade if margin else "", at(margin.change if margin else None, places),
                      item.id, item.rule, item.status, at(item.points, places), at(item.needed, places),
                      upto(item.value, VALUE_PLACES),
                      " or ".join(f"{t.op} {shown(t.bound, VALUE_PLACES)}" for t in item.targets)]  # fmt: skip
            if not item.solutions:
                rows.append([*common, "", "", "", "", "", "", "", item.note or ""])
            for s in item.solutions:
                changes = "; ".join(f"{c.name}={_cell(c.new)}" for c in s.changes)
                moves = "; ".join(f"{m.id}={fixed(m.points_after, places)}" for m in s.also_moves)
                rows.append([*common, s.kind, changes, s.places, s.grade, s.verified, moves, s.unit_crossing,
                             s.note or item.note or ""])  # fmt: skip
    return csv_text(header, rows)


def _cell(value: Decimal | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain(value)
