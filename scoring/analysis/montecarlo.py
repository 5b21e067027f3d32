"""Monte Carlo: how much totals, grades and ranks hang on the weights, over sampled weightings.

:func:`monte_carlo` samples N weightings around the current weights — ``uniform``: each weight times an
independent factor in [1 − p%, 1 + p%]; ``dirichlet``: shares from a Dirichlet distribution with mean the
current shares and concentration c (larger is tighter) — normalises each to the set's total and apportions it
to ``rounding.places`` by largest remainder (exactly, as :func:`scoring.analysis.reweight.apportion` does; a
weight that would round to 0 gets one unit first). Sampling uses ``numpy.random.default_rng(seed)``, so a
seed reproduces a run exactly. Per unit: the mean and the 5–95% interval of the total, the probability of
each grade, and the 5–95% interval of the rank. Spread 0 gives the deterministic result.

Every weighting is scored with the exact matrix path (:mod:`scoring.analysis._matrix`), so totals and grades
are what :func:`scoring.evaluate` gives, rounded as the set declares. Intervals are empirical quantiles that
are always observed values (the inverted CDF: the smallest value with at least q% of the samples at or
below it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

from ..errors import OptionError, Problem, clip
from ..model.indicator_set import IndicatorSet, SetIdentity
from ..numbers import CONTEXT, from_fraction, in_context, round_to
from ..serialize import JsonForm
from ._matrix import (
    CohortMatrix,
    MatrixResult,
    Progress,
    apportion_rows,
    competition_ranks,
    matrix_of,
    numpy,
    units_to_decimal,
)
from .cohort import Cohort

Method = Literal["uniform", "dirichlet"]
#: Most weightings one run samples (they are held in memory: samples × indicators integers).
MAX_SAMPLES = 1_000_000
#: Seeds are whole numbers below this: the 128 bits of entropy a fresh seed has.
MAX_SEED = 2**128


def _option(name: str, message: str) -> OptionError:
    return OptionError(Problem("option", message, None, name))


def _number(name: str, value: Any) -> float:
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise _option(name, f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise _option(name, f"{name} must be a finite number, not {value}")
    return number


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
    np = numpy()
    base = np.asarray(base, dtype=np.int64)
    n = base.shape[0]
    total = int(base.sum())
    rng = rng if rng is not None else np.random.default_rng(seed)
    if method == "uniform":
        p = _number("spread", spread) / 100
        if not 0 <= p < 1:
            raise _option("spread", f"spread must be from 0 to under 100 percent, not {spread}")
        raw = base.astype(np.float64) * rng.uniform(1 - p, 1 + p, size=(count, n))
        amounts = raw * (total / raw.sum(axis=1, keepdims=True))
    elif method == "dirichlet":
        c = _number("concentration", concentration)
        if not c > 0:
            raise _option("concentration", f"concentration must be above 0, not {concentration}")
        amounts = rng.dirichlet(c * base.astype(np.float64) / total, size=count) * total
        if not np.isfinite(amounts).all():
            raise _option("concentration", "the Dirichlet sample is not finite; use a larger concentration")
    else:
        raise _option("method", f"method must be uniform or dirichlet, not {method!r}")
    nearest = np.rint(amounts)
    amounts = np.where(np.abs(amounts - nearest) <= 1e-9 * np.maximum(np.abs(amounts), 1), nearest, amounts)
    weights = apportion_rows(amounts, total)
    zero = np.nonzero((weights <= 0).any(axis=1))[0]
    if zero.size:
        if total < n:
            raise _option("weights", "the total is too small to give every weight at least one unit")
        rest = amounts[zero] * ((total - n) / total)
        weights[zero] = 1 + apportion_rows(rest, total - n)
    return weights


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitUncertainty(JsonForm):
    """One unit over the sampled weightings, beside its result under the current weights."""

    __json__ = ("unit", "total", "grade", "rank", "mean", "low", "high", "grade_probability", "grade_counts=counts",
                "rank_low", "rank_high")  # fmt: skip
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
    def counts(self) -> dict[str, int]:
        return dict(self.grade_counts)

    @property
    def grade_probability(self) -> dict[str, Decimal]:
        """Grade label → share of the weightings giving it (6 decimals, half-even)."""
        samples = self.samples
        return {
            label: round_to(CONTEXT.divide(Decimal(count), Decimal(samples)), 6, "half_even")
            for label, count in self.grade_counts
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightSpread(JsonForm):
    """One indicator's sampled weights."""

    id: str
    weight: Decimal
    mean: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True, kw_only=True)
class MonteCarloReport(JsonForm):
    """Every unit's total, grade and rank over N weightings sampled around the current weights."""

    __json__ = ("set", "analysis", "method", "spread_percent=spread", "concentration", "samples", "seed",
                "interval", "maximum", "units", "weights")  # fmt: skip
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

    @property
    def set(self) -> SetIdentity:
        return self.indicator_set.identity

    @property
    def analysis(self) -> str:
        return "monte-carlo"

    @property
    def maximum(self) -> Decimal:
        return self.indicator_set.total


def _level(value: Any) -> Fraction:
    try:
        level = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise _option("interval", f"interval levels are percentages from 0 to 100, not {value}") from None
    if not 0 <= level <= 100:
        raise _option("interval", f"interval levels are percentages from 0 to 100, not {value}")
    return level


def _quantile_index(level: Fraction, count: int) -> int:
    """Index into ascending values of the inverted-CDF quantile at ``level`` (0–100)."""
    position = level * count / 100
    return max(0, -((-position.numerator) // position.denominator) - 1)


def _mean(total: int, count: int, places: int) -> Decimal:
    """``total / count`` (integers in units of 10^-places) as a Decimal with 3 more places (half-even)."""
    value = CONTEXT.divide(Decimal(int(total)).scaleb(-places, CONTEXT), Decimal(count))
    return round_to(value, places + 3, "half_even")


@in_context
def monte_carlo(
    cohort: Cohort | CohortMatrix,
    samples: int = 1000,
    *,
    method: Method = "uniform",
    spread: Decimal | float | int = 10,
    concentration: Decimal | float | int = 100,
    seed: int | None = None,
    interval: tuple[Any, Any] = (5, 95),
    progress: Progress | None = None,
) -> MonteCarloReport:
    """Score every unit under ``samples`` weightings sampled around the cohort set's weights.

    ``seed`` (default: fresh entropy, recorded in the report) makes the run reproducible. ``progress`` is
    called ``(done, total)`` as the weightings are scored (:func:`scoring.report.progress.progress_bar`
    draws a bar).
    """
    np = numpy()
    if not 1 <= samples <= MAX_SAMPLES:
        raise _option("samples", f"samples must be from 1 to {MAX_SAMPLES}, not {samples}")
    levels = _level(interval[0]), _level(interval[1])
    if levels[0] > levels[1]:
        raise _option("interval", "the interval's lower level is above its upper level")
    if seed is not None and not (isinstance(seed, int) and 0 <= seed < MAX_SEED):
        raise _option("seed", f"seed must be a whole number from 0 to 2^128 − 1, not {clip(str(seed))}")
    seed = seed if seed is not None else int(np.random.SeedSequence().entropy)
    matrix = matrix_of(cohort)
    weights = sample_weightings(matrix.base_weights, samples, method=method, spread=spread,
                                concentration=concentration, rng=np.random.default_rng(seed))  # fmt: skip
    result = matrix.evaluate(weights, progress=progress)
    quantiles = _quantile_index(levels[0], samples), _quantile_index(levels[1], samples)
    return MonteCarloReport(
        indicator_set=matrix.indicator_set,
        method=method,
        spread=Decimal(str(spread)) if method == "uniform" else None,
        concentration=Decimal(str(concentration)) if method == "dirichlet" else None,
        samples=samples,
        seed=seed,
        interval=(from_fraction(levels[0]), from_fraction(levels[1])),
        units=_units(matrix, result, quantiles),
        weights=_weight_spreads(matrix, weights, quantiles),
        exact_entries=result.exact_entries,
    )


def _units(
    matrix: CohortMatrix, result: MatrixResult, quantiles: tuple[int, int]
) -> tuple[UnitUncertainty, ...]:
    np = numpy()
    base = matrix.evaluate(matrix.base_weights)
    base_ranks = competition_ranks(base.totals)[0]
    ordered_totals = np.sort(result.totals, axis=0)
    ordered_ranks = np.sort(competition_ranks(result.totals), axis=0)
    lo, hi = quantiles
    samples, tp = result.totals.shape[0], matrix.total_places
    sums = result.totals.sum(axis=0, dtype=np.int64)
    labels = result.grade_labels
    counts = np.stack([(result.grades == g).sum(axis=0) for g in range(len(labels))], axis=1)
    return tuple(
        UnitUncertainty(
            unit=name,
            total=base.total(0, u),
            grade=base.grade(0, u),
            rank=int(base_ranks[u]),
            mean=_mean(int(sums[u]), samples, tp),
            low=units_to_decimal(ordered_totals[lo, u], tp),
            high=units_to_decimal(ordered_totals[hi, u], tp),
            grade_counts=tuple((label, int(counts[u, g])) for g, label in enumerate(labels)),
            rank_low=int(ordered_ranks[lo, u]),
            rank_high=int(ordered_ranks[hi, u]),
        )
        for u, name in enumerate(matrix.units)
    )


def _weight_spreads(
    matrix: CohortMatrix, weights: Any, quantiles: tuple[int, int]
) -> tuple[WeightSpread, ...]:
    np = numpy()
    places, samples = matrix.places, weights.shape[0]
    ordered = np.sort(weights, axis=0)
    sums = weights.sum(axis=0, dtype=np.int64)
    lo, hi = quantiles
    return tuple(
        WeightSpread(
            id=key,
            weight=units_to_decimal(matrix.base_weights[j], places),
            mean=_mean(int(sums[j]), samples, places),
            low=units_to_decimal(ordered[lo, j], places),
            high=units_to_decimal(ordered[hi, j], places),
        )
        for j, key in enumerate(matrix.ids)
    )
