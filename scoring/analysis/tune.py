"""What a weight change does to every unit: total, grade and rank before and after."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..engine.result import Result
from ..model.indicator_set import IndicatorSet
from ..numbers import CONTEXT, HUNDRED
from .cohort import Cohort, ranks, require_complete, spearman
from .reweight import Rescale, WeightChange, reweight


@dataclass(frozen=True, slots=True)
class UnitComparison:
    """One unit under the old and the new weights."""

    unit: str
    before: Decimal
    after: Decimal
    #: Totals as a percentage of each set's total (they differ from the totals when rescale is 'none').
    before_percent: Decimal
    after_percent: Decimal
    grade_before: str
    grade_after: str
    rank_before: int
    rank_after: int

    @property
    def grade_changed(self) -> bool:
        return self.grade_before != self.grade_after

    @property
    def rank_move(self) -> int:
        """Places gained (positive) or lost (negative)."""
        return self.rank_before - self.rank_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "total_before": self.before,
            "total_after": self.after,
            "percent_before": self.before_percent,
            "percent_after": self.after_percent,
            "grade_before": self.grade_before,
            "grade_after": self.grade_after,
            "grade_changed": self.grade_changed,
            "rank_before": self.rank_before,
            "rank_after": self.rank_after,
            "rank_move": self.rank_move,
        }


@dataclass(frozen=True)
class TuneReport:
    """Before/after comparison of every unit, with the weights that changed and a summary."""

    before: IndicatorSet
    after: IndicatorSet
    rescale: Rescale
    units: tuple[UnitComparison, ...]
    #: Spearman's rank correlation between the totals before and after (None without variation).
    spearman: Decimal | None

    @property
    def weight_changes(self) -> list[tuple[str, Decimal, Decimal]]:
        """(indicator id, old weight, new weight) for every weight that differs."""
        return [
            (old.id, old.weight, new.weight)
            for old, new in zip(self.before.indicators, self.after.indicators, strict=True)
            if old.weight != new.weight
        ]

    @property
    def grade_changes(self) -> int:
        return sum(1 for unit in self.units if unit.grade_changed)

    @property
    def largest_rank_moves(self) -> list[UnitComparison]:
        """The units whose rank moved most (all of them when tied), largest first."""
        largest = max((abs(unit.rank_move) for unit in self.units), default=0)
        return [unit for unit in self.units if largest and abs(unit.rank_move) == largest]

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": {"id": self.before.id, "version": self.before.version, "sha256": self.before.sha256},
            "rescale": self.rescale,
            "total_before": self.before.total,
            "total_after": self.after.total,
            "weights": [{"id": i, "before": old, "after": new} for i, old, new in self.weight_changes],
            "summary": {
                "units": len(self.units),
                "grade_changes": self.grade_changes,
                "largest_rank_move": max((abs(u.rank_move) for u in self.units), default=0),
                "largest_rank_moves": [u.unit for u in self.largest_rank_moves],
                "spearman": self.spearman,
            },
            "units": [unit.to_dict() for unit in self.units],
        }


def compare(
    cohort: Cohort, after: IndicatorSet, before_results: list[Result] | None = None
) -> list[UnitComparison]:
    """Every unit of ``cohort`` scored under its own set and under ``after``."""
    before_results = before_results if before_results is not None else cohort.evaluate()
    after_results = cohort.evaluate(after)
    require_complete(before_results, "comparing weights")
    totals_before = [r.total for r in before_results]
    totals_after = [r.total for r in after_results]
    assert all(t is not None for t in totals_before + totals_after)
    ranks_before, ranks_after = ranks(totals_before), ranks(totals_after)  # type: ignore[arg-type]
    rows = []
    with decimal.localcontext(CONTEXT):
        for index, (old, new) in enumerate(zip(before_results, after_results, strict=True)):
            assert old.total is not None and new.total is not None and old.grade and new.grade
            rows.append(
                UnitComparison(
                    old.unit,
                    old.total,
                    new.total,
                    old.total * HUNDRED / old.maximum,
                    new.total * HUNDRED / new.maximum,
                    old.grade,
                    new.grade,
                    ranks_before[index],
                    ranks_after[index],
                )
            )
    return rows


def tune(cohort: Cohort, changes: Iterable[WeightChange], rescale: Rescale = "proportional") -> TuneReport:
    """Score every unit under the cohort's set and under the set with ``changes`` applied."""
    after = reweight(cohort.indicator_set, changes, rescale)
    rows = compare(cohort, after)
    correlation = spearman([r.before for r in rows], [r.after for r in rows])
    return TuneReport(cohort.indicator_set, after, rescale, tuple(rows), correlation)


def render_table(report: TuneReport) -> str:
    """Weights changed, then each unit before → after (changes marked), then the summary."""
    from ..numbers import count, plain
    from ..report.score import fixed, width

    before, after = report.before, report.after
    places = before.rounding.total_places
    lines = [
        f"Weights changed (rescale: {report.rescale}; total {plain(before.total)} → {plain(after.total)})",
    ]
    for indicator_id, old, new in report.weight_changes:
        label = before.indicator(indicator_id).label
        lines.append(f"  {indicator_id}  {label}: {plain(old)} → {plain(new)}")
    lines.append("")
    percent = before.total != after.total
    rows = [("Unit", "Total", "Grade", "Rank")]
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
        rows.append((unit.unit, total, grade, f"{unit.rank_before} → {unit.rank_after}{move}"))
    sizes = [max(width(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        lines.append("  ".join(cell + " " * (sizes[i] - width(cell)) for i, cell in enumerate(row)).rstrip())
    lines.append("")
    moves = report.largest_rank_moves
    moved = (
        f"largest rank move {abs(moves[0].rank_move)} ({', '.join(u.unit for u in moves)})"
        if moves
        else "no rank changes"
    )
    rho = "n/a" if report.spearman is None else plain(round(report.spearman, 4))
    lines.append(
        f"Summary: {count(len(report.units), 'unit')}; {report.grade_changes} change grade; {moved}; "
        f"Spearman rank correlation {rho}"
    )
    return "\n".join(lines) + "\n"


def render_csv(report: TuneReport) -> str:
    """One row per unit: totals, percentages, grades and ranks before and after."""
    import csv
    import io

    from ..numbers import plain

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["unit", "total_before", "total_after", "percent_before", "percent_after", "grade_before"]
    writer.writerow([*header, "grade_after", "grade_changed", "rank_before", "rank_after", "rank_move"])
    for u in report.units:
        writer.writerow(
            [u.unit, plain(u.before), plain(u.after), plain(u.before_percent), plain(u.after_percent), u.grade_before,
             u.grade_after, str(u.grade_changed).lower(), u.rank_before, u.rank_after, u.rank_move]
        )  # fmt: skip
    return buffer.getvalue()
