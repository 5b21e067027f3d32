"""``scoring tune`` as text and CSV: the weights changed, each unit before and after, and a summary."""

from __future__ import annotations

from ..analysis.tune import TuneReport, UnitComparison
from ..language import Catalogue
from ..numbers import fixed, in_context, plain, round_to
from .csv import PERCENT_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output


@text_output
@in_context
def tune_table(report: TuneReport, *, texts: Catalogue | None = None, order: str = "rank") -> str:
    """Weights changed, then each unit before → after (changes marked), then the summary, in the words of
    ``texts`` (English when not given). Units are listed by their rank after the change (``order="file"``:
    as the files or rows came)."""
    texts = texts or Catalogue("en")
    before, after = report.before, report.after
    places = before.rounding.total_places
    rescale = texts.text(f"analysis.rescale.{report.rescale}")
    lines = [
        texts.text(
            "analysis.tune.changed", rescale=rescale, before=plain(before.total), after=plain(after.total)
        )
    ]
    for indicator_id, old, new in report.weight_changes:
        label = before.indicator(indicator_id).label
        lines.append(f"  {indicator_id}  {label}: {plain(old)} → {plain(new)}")
    lines.append("")
    percent = before.total != after.total
    rows = []
    for unit in ordered(report, order):
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
    header = [texts.text(f"analysis.tune.{key}") for key in ("unit", "total", "grade", "rank")]
    lines += table_lines(header, rows, rule=False)
    lines += ["", _summary(report, texts)]
    return "\n".join(lines) + "\n"


#: The orders units can be listed in: by rank after the change, or as they were read.
ORDERS = ("rank", "file")


def ordered(report: TuneReport, order: str = "rank") -> list[UnitComparison]:
    """The units by their rank after the change (ties by the rank before, then as read), or as read."""
    units = list(report.units)
    if order == "file":
        return units
    return sorted(units, key=lambda unit: (unit.rank_after, unit.rank_before))


def _summary(report: TuneReport, texts: Catalogue) -> str:
    """The summary line: units, grade changes, the largest rank move, Spearman's rho."""
    moves = report.largest_rank_moves
    moved = (
        texts.text(
            "analysis.tune.largest_move",
            move=abs(moves[0].rank_move),
            units=texts.text("analysis.separator").join(u.unit for u in moves),
        )
        if moves
        else texts.text("analysis.tune.no_rank_changes")
    )
    rho = (
        texts.text("analysis.tune.no_correlation")
        if report.spearman is None
        else plain(round_to(report.spearman, 4, "half_even"))
    )
    n = len(report.units)
    units = texts.text(f"analysis.tune.units_{'one' if n == 1 else 'many'}", n=n)
    return texts.text(
        "analysis.tune.summary", units=units, changes=report.grade_changes, moved=moved, rho=rho
    )


@in_context
def tune_csv(report: TuneReport, order: str = "rank") -> str:
    """One row per unit (in ``order``, as :func:`tune_table`): totals (at ``rounding.total_places``), percentages of the maximum (at most
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
        for u in ordered(report, order)
    ]
    return csv_text(header, rows)
