"""``scoring tune`` as text and CSV: the weights changed, each unit before and after, and a summary."""

from __future__ import annotations

from ..analysis.tune import TuneReport
from ..numbers import count, fixed, in_context, plain, round_to
from .csv import PERCENT_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output


@text_output
@in_context
def tune_table(report: TuneReport) -> str:
    """Weights changed, then each unit before → after (changes marked), then the summary."""
    before, after = report.before, report.after
    places = before.rounding.total_places
    lines = [
        f"Weights changed (rescale: {report.rescale}; total {plain(before.total)} → {plain(after.total)})"
    ]
    for indicator_id, old, new in report.weight_changes:
        label = before.indicator(indicator_id).label
        lines.append(f"  {indicator_id}  {label}: {plain(old)} → {plain(new)}")
    lines.append("")
    percent = before.total != after.total
    rows = []
    for unit in report.units:
        total = f"{fixed(unit.before, places)} → {fixed(unit.after, places)}"
        if percent:
            total += f" ({fixed(unit.after_percent, 2)}%)"
        grade = unit.grade_before if not unit.grade_changed else f"{unit.grade_before} → {unit.grade_after} *"
        move = (
            ""
            if not unit.rank_move
            else (f" ▲{unit.rank_move}" if unit.rank_move > 0 else f" ▼{-unit.rank_move}")
        )
        rows.append([unit.unit, total, grade, f"{unit.rank_before} → {unit.rank_after}{move}"])
    lines += table_lines(["Unit", "Total", "Grade", "Rank"], rows, rule=False)
    lines.append("")
    moves = report.largest_rank_moves
    moved = (
        f"largest rank move {abs(moves[0].rank_move)} ({', '.join(u.unit for u in moves)})"
        if moves
        else "no rank changes"
    )
    rho = "n/a" if report.spearman is None else plain(round_to(report.spearman, 4, "half_even"))
    lines.append(
        f"Summary: {count(len(report.units), 'unit')}; {report.grade_changes} change grade; {moved}; "
        f"Spearman rank correlation {rho}"
    )
    return "\n".join(lines) + "\n"


@in_context
def tune_csv(report: TuneReport) -> str:
    """One row per unit: totals (at ``rounding.total_places``), percentages of the maximum (at most
    :data:`~scoring.report.csv.PERCENT_PLACES` decimals), grades and ranks before and after."""
    tp = report.before.rounding.total_places
    header = ["unit", "total_before", "total_after", "percent_before", "percent_after", "grade_before",
              "grade_after", "grade_changed", "rank_before", "rank_after", "rank_move"]  # fmt: skip
    rows: list[list[Cell]] = [
        [
            u.unit,
            at(u.before, tp),
            at(u.after, tp),
            upto(u.before_percent, PERCENT_PLACES),
            upto(u.after_percent, PERCENT_PLACES),
            u.grade_before,
            u.grade_after,
            u.grade_changed,
            u.rank_before,
            u.rank_after,
            u.rank_move,
        ]
        for u in report.units
    ]
    return csv_text(header, rows)
