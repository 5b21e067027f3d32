"""What a weight change does to every unit: total, grade and rank before and after."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import CONTEXT, HUNDRED, in_context
from ..serialize import JsonForm
from .cohort import Cohort, Total, ranks, spearman
from .reweight import Rescale, WeightChange, reweight


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitComparison(JsonForm):
    """One unit under the old and the new weights."""

    __json__ = ("unit", "total_before=before", "total_after=after", "percent_before=before_percent",
                "percent_after=after_percent", "grade_before", "grade_after", "grade_changed", "rank_before",
                "rank_after", "rank_move")  # fmt: skip

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


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightMove:
    id: str
    before: Decimal
    after: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class TuneSummary:
    units: int
    grade_changes: int
    largest_rank_move: int
    largest_rank_moves: tuple[str, ...]
    spearman: Decimal | None


@dataclass(frozen=True, kw_only=True)
class TuneReport(JsonForm):
    """Before/after comparison of every unit, with the weights that changed and a summary."""

    __json__ = ("set", "rescale", "total_before", "total_after", "weights", "summary", "units")

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

    # --- the JSON form ----------------------------------------------------------------------------------

    @property
    def set(self) -> SetIdentity:
        return self.before.identity

    @property
    def total_before(self) -> Decimal:
        return self.before.total

    @property
    def total_after(self) -> Decimal:
        return self.after.total

    @property
    def weights(self) -> list[WeightMove]:
        return [WeightMove(id=i, before=old, after=new) for i, old, new in self.weight_changes]

    @property
    def summary(self) -> TuneSummary:
        return TuneSummary(
            units=len(self.units),
            grade_changes=self.grade_changes,
            largest_rank_move=max((abs(u.rank_move) for u in self.units), default=0),
            largest_rank_moves=tuple(u.unit for u in self.largest_rank_moves),
            spearman=self.spearman,
        )


def compare(cohort: Cohort, after: IndicatorSet, before: list[Total] | None = None) -> list[UnitComparison]:
    """Every unit of ``cohort`` scored under its own set and under ``after``."""
    before = before if before is not None else cohort.totals(what="comparing weights")
    later = cohort.totals(after, what="comparing weights")
    ranks_before, ranks_after = ranks([t.total for t in before]), ranks([t.total for t in later])
    rows = []
    with decimal.localcontext(CONTEXT):
        for index, (old, new) in enumerate(zip(before, later, strict=True)):
            rows.append(
                UnitComparison(
                    unit=old.unit,
                    before=old.total,
                    after=new.total,
                    before_percent=old.total * HUNDRED / old.maximum,
                    after_percent=new.total * HUNDRED / new.maximum,
                    grade_before=old.grade,
                    grade_after=new.grade,
                    rank_before=ranks_before[index],
                    rank_after=ranks_after[index],
                )
            )
    return rows


@in_context
def tune(cohort: Cohort, changes: Iterable[WeightChange], rescale: Rescale = "proportional") -> TuneReport:
    """Score every unit under the cohort's set and under the set with ``changes`` applied."""
    after = reweight(cohort.indicator_set, changes, rescale)
    rows = compare(cohort, after)
    correlation = spearman([r.before for r in rows], [r.after for r in rows])
    return TuneReport(
        before=cohort.indicator_set, after=after, rescale=rescale, units=tuple(rows), spearman=correlation
    )
