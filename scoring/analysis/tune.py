"""What a weight change does to every unit: total, grade and rank before and after."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..errors import ScoringError
from ..model import Unit, parse_set
from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import CONTEXT, HUNDRED, in_context, plain
from ..serialize import JsonForm
from .cohort import Cohort, Total, ranks, spearman
from .reweight import Rescale, WeightChange, reweight

#: The note a saved tuning starts with (YAML comments), after the set it came from.
SAVED_BY = "Written by scoring tune: {changes}; rescale {rescale}."
SAVED_UNSCALED = (
    "Every rule is kept as written, with its rule_weight: the rules with scaled points did not give every "
    "unit of the cohort its total under the new weights."
)


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
    #: The weight changes asked for (indicators and groups), as given.
    changes: tuple[WeightChange, ...] = ()

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
    changes = tuple(changes)
    after = reweight(cohort.indicator_set, changes, rescale)
    rows = compare(cohort, after)
    correlation = spearman([r.before for r in rows], [r.after for r in rows])
    return TuneReport(
        before=cohort.indicator_set,
        after=after,
        rescale=rescale,
        units=tuple(rows),
        spearman=correlation,
        changes=changes,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedSet:
    """A tuned set as the text of a ``scoring/1`` file, checked against the tuning it saves."""

    text: str
    #: Whether the rule points are written at the new weights (else every rule is kept as written).
    scaled: bool
    #: The rows whose weight changed but whose rule is kept as written, with its ``rule_weight``.
    kept: tuple[str, ...]


@in_context
def saved_set(report: TuneReport, cohort: Cohort, name: str = "tuned.yaml") -> SavedSet:
    """The set ``report`` tuned to, as the text of a set file with the new weights and its rules' points
    scaled to them (:meth:`IndicatorSet.dump` with ``scaled=True``; rows the cohort's unit files override keep
    their rule as written). The text is loaded again and every unit of ``cohort`` scored under it: unless each
    gets the total and grade of the report's "after" column, every rule is kept as written instead (a set that
    equals the tuned one). ``name`` is the file name problems would be located in."""
    asked = ", ".join(f"{change.target} = {plain(change.weight)}" for change in report.changes)
    note = [SAVED_BY.format(changes=asked or "—", rescale=report.rescale)]
    overridden = {key for unit in _unit_files(cohort) for key in unit.overrides}
    text = report.after.dump(scaled=True, keep=overridden, note=note)
    after = [(unit.after, unit.grade_after) for unit in report.units]
    try:
        saved = parse_set(text, name)
        totals = cohort.totals(saved, what="saving the tuned set")
    except ScoringError:  # a scaled rule the set's checks refuse, or that fails on a unit
        totals = []
    if [(t.total, t.grade) for t in totals] != after:
        text = report.after.dump(note=[*note, SAVED_UNSCALED])
        return SavedSet(text=text, scaled=False, kept=_kept(parse_set(text, name), report.before))
    return SavedSet(text=text, scaled=True, kept=_kept(saved, report.before))


def _unit_files(cohort: Cohort) -> tuple[Unit, ...]:
    """The units of a cohort of unit files (which may override rows); none for a cohort read from tables."""
    return cohort.units if type(cohort) is Cohort else ()


def _kept(saved: IndicatorSet, before: IndicatorSet) -> tuple[str, ...]:
    return tuple(
        new.id
        for new, old in zip(saved.indicators, before.indicators, strict=True)
        if new.weight != old.weight and new.reference_weight != new.weight
    )
