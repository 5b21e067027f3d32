"""How much the results hang on the weights: one-at-a-time sensitivity and Monte Carlo uncertainty.

* :func:`sensitivity` moves each indicator weight (and optionally each group weight) by ±Δ points, the
  other weights rescaled as :func:`scoring.weights.reweight` does, and reports what every unit's total,
  grade and rank do; targets are ranked by influence (mean absolute change of the totals, in percentage
  points of the maximum, then the number of grade changes).
* :func:`monte_carlo` samples N weightings around the current weights — ``uniform``: each weight times an
  independent factor in [1 − p%, 1 + p%]; ``dirichlet``: shares from a Dirichlet distribution with mean
  the current shares and concentration c (larger is tighter) — normalises each to the set's total and
  apportions it to ``rounding.places`` by largest remainder (exactly, as :func:`scoring.weights.apportion`
  does; a weight that would round to 0 gets one unit first). Sampling uses ``numpy.random.default_rng(seed)``,
  so a seed reproduces a run exactly. Per unit: the mean and the 5–95% interval of the total, the
  probability of each grade, and the 5–95% interval of the rank. Spread 0 gives the deterministic result.

Every weighting is scored with the exact matrix path (:mod:`scoring.matrix`), so totals and grades are
what :func:`scoring.evaluate` gives, rounded as the set declares. Intervals are empirical quantiles that
are always observed values (the inverted CDF: the smallest value with at least q% of the samples at or
below it). Results are plain dataclasses with ``to_dict()``; :func:`sensitivity_table`,
:func:`sensitivity_csv`, :func:`monte_carlo_table` and :func:`monte_carlo_csv` render them.
"""

from __future__ import annotations

import csv
import decimal
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from ..errors import DefinitionError, Location, Problem
from ..model.indicator_set import IndicatorSet
from ..numbers import CONTEXT, HUNDRED, plain, round_to
from ..report.score import width
from ._matrix import CohortMatrix, Progress, apportion_rows, competition_ranks, progress_bar
from .cohort import Cohort
from .reweight import Rescale, WeightChange, reweight

Method = Literal["uniform", "dirichlet"]


def _np() -> Any:
    from ._matrix import _np as numpy

    return numpy()


def _matrix(cohort: Cohort | CohortMatrix) -> CohortMatrix:
    return cohort if isinstance(cohort, CohortMatrix) else CohortMatrix.from_cohort(cohort)


def _units(value: int, places: int) -> Decimal:
    return Decimal(int(value)).scaleb(-places)


def _mean(total: int, count: int, places: int) -> Decimal:
    """``total / count`` (integers in units of 10^-places) as a Decimal with 3 more places (half-even)."""
    with decimal.localcontext(CONTEXT):
        value = Decimal(int(total)).scaleb(-places) / count
    return round_to(value, places + 3, "half_even")


def _quantile_index(level: Fraction, count: int) -> int:
    """Index into ascending values of the inverted-CDF quantile at ``level`` (0–100)."""
    position = level * count / 100
    return max(0, -((-position.numerator) // position.denominator) - 1)


def _level(value: Any) -> Fraction:
    level = Fraction(str(value))
    if not 0 <= level <= 100:
        raise ValueError(f"interval levels are percentages from 0 to 100, not {value}")
    return level


def _delta_units(indicator_set: IndicatorSet, delta: Decimal) -> None:
    places = indicator_set.rounding.places
    scaled = Decimal(delta).scaleb(places)
    if delta < 0 or scaled != scaled.to_integral_value():
        raise DefinitionError(
            Problem(
                "delta",
                f"Δ must be 0 or more with at most {places} decimals (rounding.places), not {plain(Decimal(delta))}",
                Location("delta"),
            )
        )


# --- one-at-a-time sensitivity -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SensitivityStep:
    """One target's weight moved by −Δ or +Δ, and every unit under it (or why it could not be moved)."""

    target: str
    kind: Literal["indicator", "group"]
    #: −1 or +1.
    direction: int
    weight_before: Decimal
    weight_after: Decimal
    #: Why the weight could not be moved this way (then the per-unit tuples are empty).
    skipped: str | None
    #: The set's total after the move (differs from before only with rescale: none).
    maximum: Decimal
    totals: tuple[Decimal, ...]
    grades: tuple[str, ...]
    ranks: tuple[int, ...]
    #: Each unit's total minus its total under the current weights.
    changes: tuple[Decimal, ...]
    #: Change of each unit's total as a percentage of the maximum (percentage points).
    percent_changes: tuple[Decimal, ...]

    def to_dict(self, units: Sequence[str] = ()) -> dict[str, Any]:
        data: dict[str, Any] = {
            "target": self.target,
            "kind": self.kind,
            "direction": "+" if self.direction > 0 else "-",
            "weight_before": self.weight_before,
            "weight_after": self.weight_after,
            "skipped": self.skipped,
            "maximum": self.maximum,
        }
        if self.skipped is None:
            data["units"] = [
                {
                    "unit": name,
                    "total": total,
                    "change": change,
                    "percent_change": percent,
                    "grade": grade,
                    "rank": rank,
                }
                for name, total, change, percent, grade, rank in zip(
                    units or [str(i) for i in range(len(self.totals))],
                    self.totals,
                    self.changes,
                    self.percent_changes,
                    self.grades,
                    self.ranks,
                    strict=True,
                )
            ]
        return data


@dataclass(frozen=True, slots=True)
class WeightInfluence:
    """How much the results hang on one target's weight, over both directions and every unit."""

    target: str
    kind: Literal["indicator", "group"]
    weight: Decimal
    #: Position by influence, 1 = most influential.
    rank: int
    #: Mean absolute change of the totals (points), over units and the directions that could be taken.
    mean_abs_change: Decimal
    max_abs_change: Decimal
    #: Mean absolute change in percentage points of the maximum (what the ranking uses).
    mean_abs_percent_change: Decimal
    #: (unit, direction) pairs whose grade differs from the current one.
    grade_changes: int
    #: Units whose grade changes in either direction.
    units_changing_grade: tuple[str, ...]
    largest_rank_move: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "target": self.target,
            "kind": self.kind,
            "weight": self.weight,
            "mean_abs_change": self.mean_abs_change,
            "max_abs_change": self.max_abs_change,
            "mean_abs_percent_change": self.mean_abs_percent_change,
            "grade_changes": self.grade_changes,
            "units_changing_grade": list(self.units_changing_grade),
            "largest_rank_move": self.largest_rank_move,
        }


@dataclass(frozen=True)
class SensitivityReport:
    """One-at-a-time sensitivity of every unit's total, grade and rank to each weight."""

    indicator_set: IndicatorSet
    delta: Decimal
    rescale: Rescale
    units: tuple[str, ...]
    totals: tuple[Decimal, ...]
    grades: tuple[str, ...]
    ranks: tuple[int, ...]
    steps: tuple[SensitivityStep, ...]
    #: Targets from the most to the least influential.
    influence: tuple[WeightInfluence, ...]

    def to_dict(self) -> dict[str, Any]:
        s = self.indicator_set
        return {
            "set": {"id": s.id, "version": s.version, "sha256": s.sha256},
            "analysis": "one-at-a-time",
            "delta": self.delta,
            "rescale": self.rescale,
            "maximum": s.total,
            "units": [
                {"unit": name, "total": total, "grade": grade, "rank": rank}
                for name, total, grade, rank in zip(
                    self.units, self.totals, self.grades, self.ranks, strict=True
                )
            ],
            "influence": [item.to_dict() for item in self.influence],
            "steps": [step.to_dict(self.units) for step in self.steps],
        }


def sensitivity(
    cohort: Cohort | CohortMatrix,
    delta: Decimal | int | str,
    *,
    groups: bool = False,
    rescale: Rescale = "proportional",
) -> SensitivityReport:
    """Move each indicator weight (and each group weight, with ``groups``) by −Δ and +Δ points, one at a time.

    The other weights follow ``rescale`` as in :func:`scoring.weights.reweight` (proportional: they are
    scaled to keep the total, apportioned exactly). A move that is not possible (a weight would reach 0,
    or leave nothing for the others) is reported as skipped. Δ = 0 changes nothing.
    """
    np = _np()
    matrix = _matrix(cohort)
    indicator_set = matrix.indicator_set
    delta = Decimal(str(delta)) if not isinstance(delta, Decimal) else delta
    _delta_units(indicator_set, delta)
    targets: list[tuple[str, Literal["indicator", "group"], Decimal]] = [
        (i.id, "indicator", i.weight) for i in indicator_set.indicators
    ]
    if groups:
        for group in indicator_set.groups:
            weight = sum((indicator_set.indicator(m).weight for m in group.members), Decimal(0))
            targets.append((group.path, "group", weight))
    planned: list[tuple[str, Literal["indicator", "group"], int, Decimal, Decimal, Any, str | None]] = []
    rows = [matrix.base_weights]
    for target, kind, weight in targets:
        for direction in (-1, 1):
            after = weight + direction * delta
            try:
                moved = reweight(indicator_set, [WeightChange(target, after)], rescale)
            except DefinitionError as exc:
                planned.append((target, kind, direction, weight, after, None, exc.problems[0].message))
                continue
            rows.append(matrix.weights_of(moved))
            planned.append((target, kind, direction, weight, after, len(rows) - 1, None))
    result = matrix.evaluate(np.stack(rows))
    ranks = competition_ranks(result.totals)
    count_u = len(matrix.units)
    tp = matrix.total_places
    base_totals = result.totals[0]
    steps = []
    for target, kind, direction, weight, after, k, skipped in planned:
        if k is None:
            steps.append(
                SensitivityStep(
                    target, kind, direction, weight, after, skipped, indicator_set.total, (), (), (), (), ()
                )
            )
            continue
        maximum = result.maximum(k)
        base_maximum = result.maximum(0)
        totals = tuple(result.total(k, u) for u in range(count_u))
        with decimal.localcontext(CONTEXT):
            percents = tuple(
                total * HUNDRED / maximum - result.total(0, u) * HUNDRED / base_maximum
                for u, total in enumerate(totals)
            )
        steps.append(
            SensitivityStep(
                target,
                kind,
                direction,
                weight,
                after,
                None,
                maximum,
                totals,
                tuple(result.grades_of(k)),
                tuple(int(r) for r in ranks[k]),
                tuple(_units(result.totals[k, u] - base_totals[u], tp) for u in range(count_u)),
                percents,
            )
        )
    base_grades = tuple(result.grades_of(0))
    influence = []
    for position, (target, kind, weight) in enumerate(targets):
        taken = [s for s in steps if s.target == target and s.kind == kind and s.skipped is None]
        changes = [abs(c) for s in taken for c in s.changes]
        percents = [abs(p) for s in taken for p in s.percent_changes]
        moved_grade = [
            (s.direction, matrix.units[u])
            for s in taken
            for u in range(count_u)
            if s.grades[u] != base_grades[u]
        ]
        with decimal.localcontext(CONTEXT):
            mean_change = sum(changes, Decimal(0)) / len(changes) if changes else Decimal(0)
            mean_percent = sum(percents, Decimal(0)) / len(percents) if percents else Decimal(0)
        influence.append(
            (
                position,
                target,
                kind,
                weight,
                round_to(mean_change, tp + 3, "half_even"),
                max(changes, default=Decimal(0)),
                round_to(mean_percent, 6, "half_even"),
                len(moved_grade),
                tuple(dict.fromkeys(name for _, name in moved_grade)),
                max(
                    (abs(s.ranks[u] - int(ranks[0][u])) for s in taken for u in range(count_u)),
                    default=0,
                ),
            )
        )
    influence.sort(key=lambda item: (-item[6], -item[7], item[0]))
    return SensitivityReport(
        indicator_set,
        delta,
        rescale,
        matrix.units,
        tuple(result.totals_of(0)),
        base_grades,
        tuple(int(r) for r in ranks[0]),
        tuple(steps),
        tuple(WeightInfluence(*item[1:4], rank, *item[4:]) for rank, item in enumerate(influence, start=1)),
    )


# --- Monte Carlo ---------------------------------------------------------------------------------------


def sample_weightings(
    base: Any,
    count: int,
    *,
    method: Method = "uniform",
    spread: Decimal | float | int = 10,
    concentration: Decimal | float | int = 100,
    rng: Any = None,
    seed: int | None = None,
) -> Any:
    """``count`` weightings around ``base`` (positive integers in units), each adding up to its total.

    ``uniform``: each weight × a factor drawn uniformly from [1 − spread%, 1 + spread%]; ``dirichlet``:
    shares ~ Dirichlet(concentration × base shares). Each sample is scaled to the total and apportioned
    by largest remainder (amounts within 10^-9 of a whole unit count as that unit, so spread 0 gives
    ``base`` itself); a sample with a weight of 0 is apportioned again after giving every weight one unit.
    """
    np = _np()
    base = np.asarray(base, dtype=np.int64)
    n = base.shape[0]
    total = int(base.sum())
    if rng is None:
        rng = np.random.default_rng(seed)
    if method == "uniform":
        p = float(spread) / 100
        if not 0 <= p < 1:
            raise ValueError(f"spread must be from 0 to under 100 percent, not {spread}")
        raw = base.astype(np.float64) * rng.uniform(1 - p, 1 + p, size=(count, n))
        amounts = raw * (total / raw.sum(axis=1, keepdims=True))
    elif method == "dirichlet":
        c = float(concentration)
        if not c > 0:
            raise ValueError(f"concentration must be above 0, not {concentration}")
        amounts = rng.dirichlet(c * base.astype(np.float64) / total, size=count) * total
        if not np.isfinite(amounts).all():
            raise ValueError("the Dirichlet sample is not finite; use a larger concentration")
    else:
        raise ValueError(f"method must be uniform or dirichlet, not {method!r}")
    nearest = np.rint(amounts)
    amounts = np.where(np.abs(amounts - nearest) <= 1e-9 * np.maximum(np.abs(amounts), 1), nearest, amounts)
    weights = apportion_rows(amounts, total)
    zero = np.nonzero((weights <= 0).any(axis=1))[0]
    if zero.size:
        if total < n:
            raise ValueError("the total is too small to give every weight at least one unit")
        rest = amounts[zero] * ((total - n) / total)
        weights[zero] = 1 + apportion_rows(rest, total - n)
    return weights


@dataclass(frozen=True, slots=True)
class UnitUncertainty:
    """One unit over the sampled weightings, beside its result under the current weights."""

    unit: str
    total: Decimal
    grade: str
    rank: int
    #: Mean of the sampled totals (3 more decimals than the totals, half-even).
    mean: Decimal
    #: Interval of the totals (observed values at the report's interval levels).
    low: Decimal
    high: Decimal
    #: (grade label, number of weightings giving it), for every grade of the set, highest first.
    grade_counts: tuple[tuple[str, int], ...]
    rank_low: int
    rank_high: int

    @property
    def samples(self) -> int:
        return sum(count for _, count in self.grade_counts)

    @property
    def grade_probability(self) -> dict[str, Decimal]:
        """Grade label → share of the weightings giving it (6 decimals, half-even)."""
        samples = self.samples
        with decimal.localcontext(CONTEXT):
            return {
                label: round_to(Decimal(count) / samples, 6, "half_even")
                for label, count in self.grade_counts
            }

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "total": self.total,
            "grade": self.grade,
            "rank": self.rank,
            "mean": self.mean,
            "low": self.low,
            "high": self.high,
            "grade_probability": self.grade_probability,
            "grade_counts": dict(self.grade_counts),
            "rank_low": self.rank_low,
            "rank_high": self.rank_high,
        }


@dataclass(frozen=True, slots=True)
class WeightSpread:
    """One indicator's sampled weights."""

    id: str
    weight: Decimal
    mean: Decimal
    low: Decimal
    high: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "weight": self.weight, "mean": self.mean, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class MonteCarloReport:
    """Every unit's total, grade and rank over N weightings sampled around the current weights."""

    indicator_set: IndicatorSet
    method: Method
    #: ± percent per weight (uniform), or None.
    spread: Decimal | None
    #: Dirichlet concentration, or None.
    concentration: Decimal | None
    samples: int
    seed: int
    #: Interval levels in percent, e.g. (5, 95).
    interval: tuple[Decimal, Decimal]
    units: tuple[UnitUncertainty, ...]
    weights: tuple[WeightSpread, ...]
    #: Row entries recomputed exactly because they lay near a rounding boundary (diagnostic).
    exact_entries: int

    def to_dict(self) -> dict[str, Any]:
        s = self.indicator_set
        return {
            "set": {"id": s.id, "version": s.version, "sha256": s.sha256},
            "analysis": "monte-carlo",
            "method": self.method,
            "spread_percent": self.spread,
            "concentration": self.concentration,
            "samples": self.samples,
            "seed": self.seed,
            "interval": list(self.interval),
            "maximum": s.total,
            "units": [unit.to_dict() for unit in self.units],
            "weights": [weight.to_dict() for weight in self.weights],
        }


def monte_carlo(
    cohort: Cohort | CohortMatrix,
    samples: int = 1000,
    *,
    method: Method = "uniform",
    spread: Decimal | float | int = 10,
    concentration: Decimal | float | int = 100,
    seed: int | None = None,
    interval: tuple[Any, Any] = (5, 95),
    progress: Progress | bool | None = None,
) -> MonteCarloReport:
    """Score every unit under ``samples`` weightings sampled around the cohort set's weights.

    ``seed`` (default: fresh entropy, recorded in the report) makes the run reproducible. ``progress``:
    a callback ``(done, total)``, False for none, or None for a bar on stderr when it is a terminal.
    """
    np = _np()
    if samples < 1:
        raise ValueError("samples must be at least 1")
    low_level, high_level = _level(interval[0]), _level(interval[1])
    if low_level > high_level:
        raise ValueError("the interval's lower level is above its upper level")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    matrix = _matrix(cohort)
    places, tp = matrix.places, matrix.total_places
    weights = sample_weightings(
        matrix.base_weights,
        samples,
        method=method,
        spread=spread,
        concentration=concentration,
        rng=np.random.default_rng(seed),
    )
    close = None
    if callable(progress):
        callback: Progress | None = progress
    else:
        callback, close = progress_bar("Monte Carlo", None if progress is None else bool(progress))
    try:
        result = matrix.evaluate(weights, progress=callback)
    finally:
        if close is not None:
            close()
    base = matrix.evaluate(matrix.base_weights)
    base_ranks = competition_ranks(base.totals)[0]
    ranks = competition_ranks(result.totals)
    ordered_totals = np.sort(result.totals, axis=0)
    ordered_ranks = np.sort(ranks, axis=0)
    lo, hi = _quantile_index(low_level, samples), _quantile_index(high_level, samples)
    sums = result.totals.sum(axis=0, dtype=np.int64)
    labels = result.grade_labels
    counts = np.stack([(result.grades == g).sum(axis=0) for g in range(len(labels))], axis=1)
    units = tuple(
        UnitUncertainty(
            name,
            base.total(0, u),
            base.grade(0, u),
            int(base_ranks[u]),
            _mean(int(sums[u]), samples, tp),
            _units(ordered_totals[lo, u], tp),
            _units(ordered_totals[hi, u], tp),
            tuple((label, int(counts[u, g])) for g, label in enumerate(labels)),
            int(ordered_ranks[lo, u]),
            int(ordered_ranks[hi, u]),
        )
        for u, name in enumerate(matrix.units)
    )
    ordered_weights = np.sort(weights, axis=0)
    weight_sums = weights.sum(axis=0, dtype=np.int64)
    spreads = tuple(
        WeightSpread(
            key,
            _units(matrix.base_weights[j], places),
            _mean(int(weight_sums[j]), samples, places),
            _units(ordered_weights[lo, j], places),
            _units(ordered_weights[hi, j], places),
        )
        for j, key in enumerate(matrix.ids)
    )
    return MonteCarloReport(
        matrix.indicator_set,
        method,
        Decimal(str(spread)) if method == "uniform" else None,
        Decimal(str(concentration)) if method == "dirichlet" else None,
        samples,
        seed,
        (_decimal(low_level), _decimal(high_level)),
        units,
        spreads,
        result.exact_entries,
    )


def _decimal(value: Fraction) -> Decimal:
    with decimal.localcontext(CONTEXT):
        return Decimal(value.numerator) / value.denominator


# --- rendering -----------------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    sizes = [max(width(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, size, align in zip(cells, sizes, right, strict=True):
            gap = " " * (size - width(cell))
            parts.append(gap + cell if align else cell + gap)
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * size for size in sizes]), *(line(row) for row in rows)]


def _fixed(value: Decimal, places: int) -> str:
    return format(round_to(value, places), "f")


def _signed(value: Decimal, places: int) -> str:
    text = _fixed(value, places)
    return text if text.startswith("-") or round_to(value, places) == 0 else "+" + text


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([plain(v) if isinstance(v, Decimal) else v for v in row])
    return out.getvalue()


def sensitivity_table(report: SensitivityReport) -> str:
    """Targets ranked by influence, then every grade change."""
    s = report.indicator_set
    tp = s.rounding.total_places
    lines = [
        f"One-at-a-time sensitivity: {s.title} — each weight moved by ±{plain(report.delta)} "
        f"(rescale {report.rescale}), {len(report.units)} units",
        "",
    ]
    labels = {i.id: i.label for i in s.indicators}
    moves = {(st.target, st.kind, st.direction): st for st in report.steps}
    rows = []
    for item in report.influence:
        weights = []
        for direction in (-1, 1):
            step = moves[item.target, item.kind, direction]
            weights.append("—" if step.skipped else plain(step.weight_after))
        name = labels.get(item.target, item.target) if item.kind == "indicator" else f"[group] {item.target}"
        rows.append(
            [
                str(item.rank),
                name,
                plain(item.weight),
                " / ".join(weights),
                _fixed(item.mean_abs_change, tp + 2),
                _fixed(item.max_abs_change, tp),
                _fixed(item.mean_abs_percent_change, 3),
                str(item.grade_changes),
                str(item.largest_rank_move),
            ]
        )
    lines += _table(
        [
            "#",
            "weight of",
            "weight",
            "−Δ / +Δ",
            "mean |Δ total|",
            "max |Δ|",
            "mean |Δ %|",
            "grade chg",
            "rank move",
        ],
        rows,
        [True, False, True, True, True, True, True, True, True],
    )
    changes = []
    for step in report.steps:
        if step.skipped:
            continue
        for u, name in enumerate(report.units):
            if step.grades[u] != report.grades[u]:
                sign = "+" if step.direction > 0 else "−"
                changes.append(
                    [
                        step.target,
                        f"{sign}{plain(report.delta)}",
                        name,
                        f"{_fixed(report.totals[u], tp)} → {_fixed(step.totals[u], tp)}",
                        f"{report.grades[u]} → {step.grades[u]}",
                    ]
                )
    lines.append("")
    if changes:
        lines.append("Grade changes")
        lines += _table(
            ["weight of", "move", "unit", "total", "grade"], changes, [False, True, False, True, False]
        )
    else:
        lines.append("No grade changes.")
    skipped = [st for st in report.steps if st.skipped]
    if skipped:
        lines.append("")
        lines.append("Moves not possible")
        for st in skipped:
            sign = "+" if st.direction > 0 else "−"
            lines.append(f"  {st.target} {sign}{plain(report.delta)}: {st.skipped}")
    return "\n".join(lines) + "\n"


def sensitivity_csv(report: SensitivityReport) -> str:
    """One row per target, direction and unit (skipped moves: one row without unit figures)."""
    header = [
        "target",
        "kind",
        "direction",
        "weight_before",
        "weight_after",
        "unit",
        "total_before",
        "total_after",
        "change",
        "percent_change",
        "grade_before",
        "grade_after",
        "grade_changed",
        "rank_before",
        "rank_after",
        "skipped",
    ]
    rows: list[list[Any]] = []
    for step in report.steps:
        sign = "+" if step.direction > 0 else "-"
        head = [step.target, step.kind, sign, step.weight_before, step.weight_after]
        if step.skipped:
            rows.append([*head, "", "", "", "", "", "", "", "", "", "", step.skipped])
            continue
        for u, name in enumerate(report.units):
            rows.append(
                [
                    *head,
                    name,
                    report.totals[u],
                    step.totals[u],
                    step.changes[u],
                    round_to(step.percent_changes[u], 6, "half_even"),
                    report.grades[u],
                    step.grades[u],
                    "yes" if step.grades[u] != report.grades[u] else "no",
                    report.ranks[u],
                    step.ranks[u],
                    "",
                ]
            )
    return _csv(header, rows)


def _describe(report: MonteCarloReport) -> str:
    if report.method == "uniform":
        how = f"uniform ±{plain(report.spread or Decimal(0))}% per weight"
    else:
        how = f"Dirichlet, concentration {plain(report.concentration or Decimal(0))}"
    return f"{report.samples} weightings, {how}, seed {report.seed}"


def monte_carlo_table(report: MonteCarloReport) -> str:
    """Per unit: current total, grade and rank; mean and interval of the total; grade probabilities; ranks."""
    s = report.indicator_set
    places, tp = s.rounding.places, s.rounding.total_places
    low, high = (plain(level) for level in report.interval)
    labels = [grade.label for grade in s.grades]
    lines = [
        f"Monte Carlo: {s.title} — {_describe(report)}; totals rounded as the set declares",
        "",
    ]
    rows = []
    for unit in report.units:
        probability = unit.grade_probability
        rows.append(
            [
                unit.unit,
                _fixed(unit.total, tp),
                unit.grade,
                str(unit.rank),
                _fixed(unit.mean, tp + 2),
                f"{_fixed(unit.low, tp)}–{_fixed(unit.high, tp)}",
                *(_percent(probability[label]) for label in labels),
                f"{unit.rank_low}–{unit.rank_high}"
                if unit.rank_low != unit.rank_high
                else str(unit.rank_low),
            ]
        )
    header = [
        "unit",
        "total",
        "grade",
        "rank",
        "mean",
        f"{low}–{high}%",
        *(f"P({label})" for label in labels),
        f"rank {low}–{high}%",
    ]
    lines += _table(header, rows, [False, True, False, True, True, True, *([True] * len(labels)), True])
    lines.append("")
    lines.append("Sampled weights")
    names = {i.id: i.label for i in s.indicators}
    lines += _table(
        ["indicator", "weight", "mean", f"{low}–{high}%"],
        [
            [
                names.get(w.id, w.id),
                plain(w.weight),
                _fixed(w.mean, places + 2),
                f"{_fixed(w.low, places)}–{_fixed(w.high, places)}",
            ]
            for w in report.weights
        ],
        [False, True, True, True],
    )
    return "\n".join(lines) + "\n"


def _percent(probability: Decimal) -> str:
    return _fixed(probability * HUNDRED, 1) + "%"


def monte_carlo_csv(report: MonteCarloReport) -> str:
    """One row per unit; one probability column per grade (``p_<label>``)."""
    labels = [grade.label for grade in report.indicator_set.grades]
    header = [
        "unit",
        "total",
        "grade",
        "rank",
        "mean",
        "low",
        "high",
        *(f"p_{label}" for label in labels),
        "rank_low",
        "rank_high",
    ]
    rows = []
    for unit in report.units:
        probability = unit.grade_probability
        rows.append(
            [
                unit.unit,
                unit.total,
                unit.grade,
                unit.rank,
                unit.mean,
                unit.low,
                unit.high,
                *(probability[label] for label in labels),
                unit.rank_low,
                unit.rank_high,
            ]
        )
    return _csv(header, rows)
