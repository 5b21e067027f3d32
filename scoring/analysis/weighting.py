"""Weights by other methods than pairwise comparison: equal weights, budget allocation, and — as cross-checks
over a cohort of scored units — entropy weights and CRITIC.

Every method returns shares: positive (or zero for a data-driven method's uninformative criterion) and
adding up to 1. Equal weights and budget allocation are exact rationals; entropy and CRITIC involve
logarithms and square roots and are computed with 50-digit decimals.

What the data-driven methods read. For a cohort, the data matrix is units × indicators of each row's
*attainment*: its rounded points divided by its weight (1 = full marks), so every column is on the same 0–1
scale and higher is better. A row the rescale N/A policy left out of a unit counts as 0 there. Entropy reads
the attainments as they are (they need no further normalisation); CRITIC min-max normalises each column, as
the method prescribes.

- **Entropy** (熵权法): ``p_ij = x_ij / Σ_i x_ij``, ``e_j = −Σ_i p_ij ln p_ij / ln m`` (``0 ln 0 = 0``; a column
  of zeros has ``e_j = 1``), ``d_j = 1 − e_j``, ``w_j = d_j / Σ d``. An indicator on which the units differ
  more gets more weight; one on which all are equal gets none.
- **CRITIC** (Diakoulaki, Mavrotas & Papayannakis, 1995): ``C_j = σ_j Σ_k (1 − r_jk)``, ``w_j = C_j / Σ C``,
  with ``σ_j`` the population standard deviation of the normalised column and ``r_jk`` Pearson's correlation;
  a constant column has ``σ = 0`` (so weight 0) and is left out of the others' sums (its correlation is not
  defined).

With fewer than two units, or when no column varies, these weights are not defined (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ..numbers import CONTEXT, ONE, ZERO, from_fraction, in_context
from ..serialize import JsonForm
from .cohort import Cohort
from .effective_weights import EffectiveWeights, effective_weights

CrossMethod = Literal["entropy", "critic"]
CROSS_METHODS: tuple[CrossMethod, ...] = ("entropy", "critic")

Columns = Sequence[Sequence[Fraction]]


def equal_weights(count: int) -> tuple[Fraction, ...]:
    """``count`` equal shares."""
    return tuple(Fraction(1, count) for _ in range(count))


def budget_weights(allocations: Sequence[Sequence[Fraction]]) -> tuple[Fraction, ...]:
    """Budget allocation (each expert divides the points among the criteria): the mean of the experts'
    points for each criterion, as a share of the mean total. Exact."""
    means = [sum(column, Fraction(0)) / len(allocations) for column in zip(*allocations, strict=True)]
    total = sum(means, Fraction(0))
    return tuple(mean / total for mean in means)


@in_context
def entropy_weights(columns: Columns) -> tuple[Decimal, ...] | None:
    """Entropy weights of the criteria whose values across the units are ``columns`` (non-negative, higher
    better); None with fewer than two units or when no column varies."""
    units = len(columns[0]) if columns else 0
    if units < 2:
        return None
    scale = Decimal(units).ln(CONTEXT)
    divergences = []
    for column in columns:
        total = sum(column, Fraction(0))
        entropy = ONE  # a column of zeros, or one where every unit is alike: no information
        if total > 0 and any(x != column[0] for x in column):
            shares = [from_fraction(x / total) for x in column]
            entropy = -sum((p * p.ln(CONTEXT) for p in shares if p > 0), ZERO) / scale
        divergences.append(max(ONE - entropy, ZERO))
    return _shares(divergences)


@in_context
def critic_weights(columns: Columns) -> tuple[Decimal, ...] | None:
    """CRITIC weights of the criteria whose values across the units are ``columns``; None with fewer than
    two units or when no column varies."""
    units = len(columns[0]) if columns else 0
    if units < 2:
        return None
    normalised = [_min_max(column) for column in columns]
    moments = [_centred(column) for column in normalised]
    spreads = [from_fraction(variance).sqrt(CONTEXT) for _, variance in moments]
    information = []
    for j, (centred_j, variance_j) in enumerate(moments):
        conflict = ZERO
        for k, (centred_k, variance_k) in enumerate(moments):
            if k == j or not variance_j or not variance_k:
                continue
            covariance = sum((a * b for a, b in zip(centred_j, centred_k, strict=True)), Fraction(0)) / units
            correlation = from_fraction(covariance) / (spreads[j] * spreads[k])
            conflict += ONE - correlation
        information.append(spreads[j] * conflict)
    return _shares(information)


def _min_max(column: Sequence[Fraction]) -> list[Fraction]:
    low, high = min(column), max(column)
    return [(x - low) / (high - low) if high > low else Fraction(0) for x in column]


def _centred(column: Sequence[Fraction]) -> tuple[list[Fraction], Fraction]:
    """The column minus its mean, and its population variance (exact)."""
    mean = sum(column, Fraction(0)) / len(column)
    centred = [x - mean for x in column]
    return centred, sum((x * x for x in centred), Fraction(0)) / len(column)


def _shares(values: Sequence[Decimal]) -> tuple[Decimal, ...] | None:
    total = sum(values, ZERO)
    if total <= 0:
        return None
    return tuple(value / total for value in values)


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossRow(JsonForm):
    """One indicator's declared weight and share beside the shares other methods would give it."""

    __json__ = ("id", "label", "weight", "nominal_share", "variation_share", "entropy", "critic")
    id: str
    label: str
    weight: Decimal
    nominal_share: Decimal
    variation_share: Decimal | None
    entropy: Decimal | None
    critic: Decimal | None


@dataclass(frozen=True, kw_only=True)
class CrossCheck(JsonForm):
    """Declared, effective and data-driven weights of a set's indicators over a cohort."""

    __json__ = ("methods", "units", "indicators", "note")
    methods: tuple[CrossMethod, ...]
    effective: EffectiveWeights
    indicators: tuple[CrossRow, ...]
    #: Why a method gives no weights (too few units, nothing varies), if so.
    note: str | None = None

    @property
    def units(self) -> int:
        return len(self.effective.units)


def attainments(cohort: Cohort) -> tuple[EffectiveWeights, list[list[Fraction]]]:
    """The cohort's effective weights and its data matrix as columns: each indicator's points over its weight
    in every unit (see the module docstring)."""
    indicator_set = cohort.indicator_set
    rows = cohort.rows("cross-checking weights")
    effective = effective_weights(cohort)
    quantum = 10**indicator_set.rounding.places
    columns = [
        [Fraction(row.points[index], quantum) / Fraction(indicator.weight) for row in rows]
        for index, indicator in enumerate(indicator_set.indicators)
    ]
    return effective, columns


def cross_check(cohort: Cohort, methods: Sequence[CrossMethod] = CROSS_METHODS) -> CrossCheck:
    """Entropy and/or CRITIC weights of the cohort's indicators beside their declared and effective shares."""
    effective, columns = attainments(cohort)
    entropy = entropy_weights(columns) if "entropy" in methods else None
    critic = critic_weights(columns) if "critic" in methods else None
    rows = tuple(
        CrossRow(
            id=item.id,
            label=item.label,
            weight=item.weight,
            nominal_share=item.nominal_share,
            variation_share=item.variation_share,
            entropy=entropy[index] if entropy is not None else None,
            critic=critic[index] if critic is not None else None,
        )
        for index, item in enumerate(effective.indicators)
    )
    missing = [m for m, w in (("entropy", entropy), ("critic", critic)) if m in methods and w is None]
    note = None
    if missing:
        why = "fewer than two units" if len(effective.units) < 2 else "no indicator varies across the units"
        note = f"{' and '.join(missing)} weights are not defined: {why}"
    return CrossCheck(methods=tuple(methods), effective=effective, indicators=rows, note=note)
