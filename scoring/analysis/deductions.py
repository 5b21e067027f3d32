"""Reason codes: where a unit lost its points (the 扣分清单), and where a cohort loses them most often.

:func:`deductions` ranks the rows of one result by the points they lost: against full marks (``weight −
points``), or against the cohort's median points of the row (``median − points``; only the rows below the
median are listed). :func:`frequent_deductions` counts, for each indicator of a cohort's results, how many
units lost points on it against full marks, and how many points in all and on average.

Which rows count: a row with points that the total counts — scored, judged and overridden rows, and
not-applicable rows with the ``full`` (nothing lost) or ``zero`` (the whole weight lost) policy. A row left
out of the total (the ``rescale`` policy) or unknown (no points, a range) loses nothing that can be said.

Arithmetic. Points and weights are exact decimals at ``rounding.places``, so a loss against full marks, a
count and a sum are exact. A median of an even number of units is the mean of the two middle points, and a
mean is a quotient: both are rounded to ``rounding.places`` with the set's rounding mode, as the row points
themselves are, and a loss against the median is computed from the rounded median.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..engine.result import IndicatorResult, Result
from ..errors import OptionError, Problem, did_you_mean
from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import ZERO, in_context, round_to
from ..serialize import JsonForm

Against = Literal["full", "median"]

#: Problems this module reports (English for now; the catalogue will hold them).
NO_COHORT = "a comparison against the median needs the results of a cohort"
OTHER_SET = "the cohort is scored under set '{other}', not under the unit's set '{own}'"
OTHER_SET_HINT = "give the cohort's units under the same set (or the same --set)"
BAD_TOP = "--top must be 1 or more, not {top}"
NO_INDICATOR = "no indicator '{id}' in set '{set}'"


@dataclass(frozen=True, slots=True, kw_only=True)
class Deduction(JsonForm):
    """One row of a unit that lost points: what it could have had (``reference``), what it got, and why."""

    __json__ = ("rank", "id", "label", "group", "status", "weight", "reference", "points", "lost", "outcome")

    rank: int
    id: str
    label: str
    group: str | None
    status: str
    weight: Decimal
    #: Full marks (the weight), or the cohort's median points of the row (rounded as the set declares).
    reference: Decimal
    points: Decimal
    #: ``reference − points``, above 0.
    lost: Decimal
    #: The row's outcome in words (its trace step).
    outcome: str


@dataclass(frozen=True, kw_only=True)
class DeductionReport(JsonForm):
    """The rows of one unit ranked by the points they lost, largest first (ties in the set's order)."""

    __json__ = ("set", "unit", "total", "grade", "maximum", "against", "cohort_units", "rows_losing",
                "lost_in_all", "unknown_rows", "top", "deductions")  # fmt: skip

    indicator_set: IndicatorSet
    result: Result
    against: Against
    #: How many units the median is taken over (None against full marks).
    cohort_units: int | None
    #: Every row that lost points, ranked.
    ranked: tuple[Deduction, ...]
    #: How many of them to show (None: all).
    top: int | None = None

    @property
    def set(self) -> SetIdentity:
        return self.indicator_set.identity

    @property
    def unit(self) -> str:
        return self.result.unit

    @property
    def total(self) -> Decimal | None:
        return self.result.total

    @property
    def grade(self) -> str | None:
        return self.result.grade

    @property
    def maximum(self) -> Decimal:
        return self.result.maximum

    @property
    def rows_losing(self) -> int:
        """How many rows lost points (all of them, shown or not)."""
        return len(self.ranked)

    @property
    def lost_in_all(self) -> Decimal:
        """The points lost on every row that lost points (shown or not)."""
        return sum((row.lost for row in self.ranked), ZERO)

    @property
    def unknown_rows(self) -> tuple[str, ...]:
        """The unit's unknown rows (a range of points, no points): not ranked, whatever they may lose."""
        return tuple(row.id for row in self.result.indicators if row.status == "unknown")

    @property
    def deductions(self) -> tuple[Deduction, ...]:
        """The rows shown: the ``top`` largest losses, or all."""
        return self.ranked if self.top is None else self.ranked[: self.top]


@dataclass(frozen=True, slots=True, kw_only=True)
class FrequentDeduction(JsonForm):
    """One indicator across a cohort: how many units lost points on it against full marks, and how many."""

    __json__ = ("id", "label", "group", "weight", "units", "units_losing", "total_lost", "mean_lost",
                "mean_lost_when_lost")  # fmt: skip

    id: str
    label: str
    group: str | None
    weight: Decimal
    #: Units whose row has points the total counts.
    units: int
    units_losing: int
    total_lost: Decimal
    #: ``total_lost / units``, rounded as the set declares (None without units).
    mean_lost: Decimal | None
    #: ``total_lost / units_losing``, rounded as the set declares (None when no unit lost points).
    mean_lost_when_lost: Decimal | None


def _points(row: IndicatorResult) -> Decimal | None:
    """The row's points as the total counts them; None for a row left out (rescale) or unknown."""
    return row.points if row.counted else None


def _median(values: Sequence[Decimal], indicator_set: IndicatorSet) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    exact = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return round_to(exact, indicator_set.rounding.places, indicator_set.rounding.mode)


def row_medians(indicator_set: IndicatorSet, cohort: Sequence[Result]) -> dict[str, Decimal]:
    """Indicator id → the median of the points of the cohort's units on that row (rows with points the total
    counts), rounded as the set declares; rows that no unit has points on are left out."""
    points: dict[str, list[Decimal]] = {}
    for result in cohort:
        for row in result.indicators:
            got = _points(row)
            if got is not None:
                points.setdefault(row.id, []).append(got)
    return {key: _median(values, indicator_set) for key, values in points.items()}


@in_context
def deductions(
    indicator_set: IndicatorSet,
    result: Result,
    cohort: Sequence[Result] | None = None,
    *,
    against: Against = "full",
    top: int | None = None,
    ids: Collection[str] = (),
) -> DeductionReport:
    """The rows of ``result`` that lost points, ranked by the points lost (largest first; ties in the set's
    order): against full marks, or with ``against='median'`` against the median points of the row in
    ``cohort`` (results under the same set, usually including the unit's own). ``top`` keeps the first N in
    :attr:`DeductionReport.deductions`; ``ids`` restricts the rows to those indicators. Bad arguments (no
    cohort for a median, a cohort under another set, ``top`` below 1, an unknown id) raise an
    :class:`OptionError`."""
    _check_arguments(indicator_set, cohort, against, top, ids)
    medians = row_medians(indicator_set, cohort or ()) if against == "median" else {}
    losing: list[tuple[Decimal, Decimal, IndicatorResult]] = []
    for row in result.indicators:
        points = _points(row)
        reference = row.weight if against == "full" else medians.get(row.id)
        if points is None or reference is None or (ids and row.id not in ids):
            continue
        if reference > points:
            losing.append((reference, points, row))
    ordered = sorted(losing, key=lambda item: item[1] - item[0])  # the largest loss first; stable on ties
    ranked = tuple(
        Deduction(rank=rank, id=row.id, label=row.label, group=row.group, status=row.status,
                  weight=row.weight, reference=reference, points=points, lost=reference - points,
                  outcome=row.outcome)
        for rank, (reference, points, row) in enumerate(ordered, 1)
    )  # fmt: skip
    size = len(cohort) if cohort is not None and against == "median" else None
    return DeductionReport(
        indicator_set=indicator_set, result=result, against=against, cohort_units=size, ranked=ranked, top=top
    )


def _check_arguments(
    indicator_set: IndicatorSet,
    cohort: Sequence[Result] | None,
    against: Against,
    top: int | None,
    ids: Collection[str],
) -> None:
    problems = [
        Problem("unknown-indicator", NO_INDICATOR.format(id=key, set=indicator_set.id), None, key,
                did_you_mean(key, indicator_set.by_id))
        for key in ids
        if key not in indicator_set.by_id
    ]  # fmt: skip
    if top is not None and top < 1:
        problems.append(Problem("option", BAD_TOP.format(top=top), None, "--top"))
    if against == "median" and not cohort:
        problems.append(Problem("option", NO_COHORT, None, "--against"))
    for other in {r.set.sha256: r.set for r in cohort or ()}.values():
        if other.sha256 != indicator_set.sha256:
            message = OTHER_SET.format(other=other.id, own=indicator_set.id)
            problems.append(Problem("different-set", message, None, "--against", OTHER_SET_HINT))
            break
    if problems:
        raise OptionError(problems)


@in_context
def frequent_deductions(indicator_set: IndicatorSet, cohort: Sequence[Result]) -> list[FrequentDeduction]:
    """For each indicator, how many of the cohort's units lost points on it against full marks, the points
    lost in all and on average — the most frequent first (then the most points lost, then the set's order).
    Indicators on which no unit lost points come last, with zeros."""
    rows = []
    places, mode = indicator_set.rounding.places, indicator_set.rounding.mode
    for index, indicator in enumerate(indicator_set.indicators):
        scored = [p for p in (_points(r.indicators[index]) for r in cohort) if p is not None]
        losses = [indicator.weight - points for points in scored if points < indicator.weight]
        lost = sum(losses, ZERO)
        rows.append(
            FrequentDeduction(
                id=indicator.id,
                label=indicator.label,
                group=indicator.group,
                weight=indicator.weight,
                units=len(scored),
                units_losing=len(losses),
                total_lost=lost,
                mean_lost=round_to(lost / len(scored), places, mode) if scored else None,
                mean_lost_when_lost=round_to(lost / len(losses), places, mode) if losses else None,
            )
        )
    return sorted(rows, key=lambda row: (-row.units_losing, -row.total_lost))
