"""The analytic hierarchy process (层次分析法): priorities from pairwise comparisons, and their consistency.

A comparison matrix ``A`` of ``n`` criteria holds in ``a_ij`` how many times more important criterion ``i``
is than criterion ``j``, on Saaty's scale 1/9 … 9, with ``a_ji = 1 / a_ij`` and ``a_ii = 1``. Two ways of
reading priorities ``w`` (positive, adding up to 1) off it are offered:

- ``eigenvector`` (Saaty's own): the principal right eigenvector, ``A w = λmax w``, found by power iteration
  in 50-digit decimals until it no longer moves at that precision;
- ``geometric``: the normalised geometric mean of each row, ``w_i ∝ (Π_j a_ij)^(1/n)`` (方根法);
- ``arithmetic``: each column normalised to add up to 1, then the mean of each row (和积法, the approximation
  many Chinese studies print), computed exactly in rationals.

Consistency: ``λmax`` is estimated as the mean of ``(A w)_i / w_i`` (exact for the eigenvector, the usual
estimate for the other two); ``CI = (λmax − n) / (n − 1)`` and ``CR = CI / RI(n)``, with Saaty's random
indices ``RI`` (:data:`RANDOM_INDICES`). A matrix with CR below 0.10 is taken as consistent enough; 1 and 2
criteria are always consistent (RI = 0, CR = 0 by definition).

A perfectly consistent matrix (``a_ij · a_jk = a_ik`` for every ``i, j, k``) is recognised in exact rational
arithmetic and gives its generating weights exactly, with ``λmax = n`` and ``CR = 0``, by either method.

Several experts' matrices are combined into one by the element-wise geometric mean of their judgments
(:func:`aggregate`), which keeps the result reciprocal; the combined matrix is then analysed as one.

The judgment that disagrees most with the priorities is the one whose ratio ``a_ij · w_j / w_i`` is farthest
from 1 on a log scale (:attr:`Priorities.worst`): changing it towards ``w_i / w_j`` lowers the CR most.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ..numbers import CONTEXT, ZERO, from_fraction, in_context
from ..serialize import JsonForm

Method = Literal["eigenvector", "geometric", "arithmetic"]
RandomIndex = Literal["saaty1980", "saaty2005"]

#: The most important judgment allowed, and its reciprocal the least (Saaty's 1–9 scale).
SCALE_MAX = Fraction(9)
SCALE_MIN = Fraction(1, 9)
#: A matrix is consistent enough below this consistency ratio (Saaty's rule of thumb).
CR_LIMIT = Decimal("0.10")

#: Saaty's random indices: the mean CI of random reciprocal matrices of each size.
#: ``saaty1980``: T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980 (n = 1…10) — the table
#: most Chinese studies quote (0.58, 0.90, 1.12, …). ``saaty2005``: T. L. Saaty, *Theory and Applications of
#: the Analytic Network Process*, RWS Publications, 2005, p. 31 (n = 1…15) — the later, larger simulation,
#: also the table of ``ahpy`` (``random_index='saaty'``).
RANDOM_INDICES: dict[RandomIndex, tuple[Decimal, ...]] = {
    "saaty1980": tuple(
        map(Decimal, ["0", "0", "0.58", "0.90", "1.12", "1.24", "1.32", "1.41", "1.45", "1.49"])
    ),
    "saaty2005": tuple(
        map(
            Decimal,
            [
                "0",
                "0",
                "0.52",
                "0.89",
                "1.11",
                "1.25",
                "1.35",
                "1.40",
                "1.45",
                "1.49",
                "1.52",
                "1.54",
                "1.56",
                "1.58",
                "1.59",
            ],
        )
    ),
}

#: Power iteration stops when no priority moves by more than this (or after MAX_ITERATIONS).
_TOLERANCE = Decimal("1e-45")
_MAX_ITERATIONS = 10_000

Matrix = Sequence[Sequence[Fraction]]


@dataclass(frozen=True, slots=True, kw_only=True)
class WorstJudgment(JsonForm):
    """The judgment farthest from what the priorities imply."""

    __json__ = ("row", "column", "given", "implied", "ratio")
    #: Positions of the criteria compared (row ``i`` against column ``j``, ``i < j``).
    row: int
    column: int
    #: The judgment as written (:func:`judgment_text`).
    given: str
    #: ``w_i / w_j``: the judgment that would agree with the priorities.
    implied: Decimal
    #: ``a_ij · w_j / w_i`` (1 for a judgment in full agreement).
    ratio: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Priorities(JsonForm):
    """The priorities read off one comparison matrix, with its consistency."""

    __json__ = ("method", "weights", "lambda_max", "ci", "ri", "cr", "consistent", "exact", "worst")
    method: Method
    #: One per criterion, in the matrix's order; positive, adding up to 1 (to 50 digits; exactly when exact).
    weights: tuple[Decimal, ...]
    lambda_max: Decimal
    ci: Decimal
    #: The random index for this size (0 for 1 or 2 criteria).
    ri: Decimal
    cr: Decimal
    #: The matrix was perfectly consistent: the weights are exact rationals (see ``exact_weights``).
    exact: bool
    worst: WorstJudgment | None
    exact_weights: tuple[Fraction, ...] | None = None

    @property
    def consistent(self) -> bool:
        """CR below :data:`CR_LIMIT`."""
        return self.cr < CR_LIMIT


def random_index(size: int, table: RandomIndex = "saaty1980") -> Decimal:
    """RI for ``size`` criteria from the named table (a ValueError beyond the table)."""
    values = RANDOM_INDICES[table]
    if not 1 <= size <= len(values):
        raise ValueError(f"the {table} random index table covers 1 to {len(values)} criteria, not {size}")
    return values[size - 1]


def complete(size: int, upper: dict[tuple[int, int], Fraction]) -> list[list[Fraction]]:
    """The full reciprocal matrix from the judgments above the diagonal (``(i, j)`` with ``i < j``)."""
    matrix = [[Fraction(1)] * size for _ in range(size)]
    for (i, j), value in upper.items():
        matrix[i][j] = value
        matrix[j][i] = 1 / value
    return matrix


def consistent_matrix(weights: Sequence[Fraction]) -> list[list[Fraction]]:
    """The perfectly consistent matrix ``a_ij = w_i / w_j`` of some weights (for tests and examples)."""
    return [[wi / wj for wj in weights] for wi in weights]


@in_context
def aggregate(matrices: Sequence[Matrix]) -> list[list[Fraction]]:
    """Several experts' matrices combined by the geometric mean of each judgment. Where all experts agree the
    judgment is kept exactly, and so is a mean that is a fraction (2 and 8: 4); otherwise the mean is taken to
    50 digits and its reciprocal mirrored exactly."""
    size = len(matrices[0])
    matrix = [[Fraction(1)] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            values = [m[i][j] for m in matrices]
            exact = _exact_root(math.prod(values, start=Fraction(1)), len(values))
            if exact is not None:  # all agree, or their product is an exact power (2 and 8: 4)
                mean = exact
            else:
                logs = sum((from_fraction(v).ln(CONTEXT) for v in values), ZERO)
                mean = Fraction(CONTEXT.exp(logs / len(values)))
            matrix[i][j] = mean
            matrix[j][i] = 1 / mean
    return matrix


def _exact_root(value: Fraction, n: int) -> Fraction | None:
    """The ``n``-th root of a positive ``value`` when it is a fraction, else None."""
    root_numerator, root_denominator = _integer_root(value.numerator, n), _integer_root(value.denominator, n)
    if root_numerator is None or root_denominator is None:
        return None
    return Fraction(root_numerator, root_denominator)


def _integer_root(k: int, n: int) -> int | None:
    """The whole ``n``-th root of ``k`` ≥ 1, or None (judgments are small: a float guess, checked exactly)."""
    guess = round(k ** (1 / n))
    return next((r for r in (guess - 1, guess, guess + 1) if r > 0 and r**n == k), None)


def is_consistent(matrix: Matrix) -> bool:
    """Whether ``a_ij · a_jk = a_ik`` holds exactly for every triple (and the matrix is reciprocal)."""
    size = len(matrix)
    return all(
        matrix[i][j] * matrix[j][k] == matrix[i][k]
        for i in range(size)
        for j in range(size)
        for k in range(size)
    )


@in_context
def priorities(
    matrix: Matrix, method: Method = "eigenvector", table: RandomIndex = "saaty1980"
) -> Priorities:
    """The priorities of a positive reciprocal matrix by ``method``, with λmax, CI, RI and CR (see the module
    docstring). Raises ValueError for an empty, non-square or non-positive matrix, or one beyond the RI table."""
    size = len(matrix)
    if not size or any(len(row) != size for row in matrix):
        raise ValueError("a comparison matrix must be square and not empty")
    if any(value <= 0 for row in matrix for value in row):
        raise ValueError("every judgment must be positive")
    ri = random_index(size, table)
    if is_consistent(matrix):
        total = sum((row[0] for row in matrix), Fraction(0))
        exact = tuple(row[0] / total for row in matrix)
        weights = tuple(from_fraction(w) for w in exact)
        return Priorities(
            method=method, weights=weights, lambda_max=Decimal(size), ci=ZERO, ri=ri, cr=ZERO, exact=True,
            worst=None, exact_weights=exact,
        )  # fmt: skip
    numbers = [[from_fraction(value) for value in row] for row in matrix]
    if method == "arithmetic":
        weights = tuple(from_fraction(w) for w in _arithmetic(matrix))
    else:
        weights = _eigenvector(numbers) if method == "eigenvector" else _geometric(numbers)
    products = [sum((a * w for a, w in zip(row, weights, strict=True)), ZERO) for row in numbers]
    lambda_max = sum((p / w for p, w in zip(products, weights, strict=True)), ZERO) / size
    ci = (lambda_max - size) / (size - 1) if size > 2 else ZERO
    cr = ci / ri if ri else ZERO
    return Priorities(
        method=method, weights=weights, lambda_max=lambda_max, ci=ci, ri=ri, cr=cr, exact=False,
        worst=_worst(matrix, weights),
    )  # fmt: skip


def _normalised(values: Sequence[Decimal]) -> tuple[Decimal, ...]:
    total = sum(values, ZERO)
    return tuple(value / total for value in values)


def _eigenvector(matrix: Sequence[Sequence[Decimal]]) -> tuple[Decimal, ...]:
    """The principal eigenvector by power iteration from the row sums (a positive matrix: it converges)."""
    weights = _normalised([sum(row, ZERO) for row in matrix])
    for _ in range(_MAX_ITERATIONS):
        moved = _normalised([sum((a * w for a, w in zip(row, weights, strict=True)), ZERO) for row in matrix])
        if max(abs(a - b) for a, b in zip(moved, weights, strict=True)) <= _TOLERANCE:
            return moved
        weights = moved
    return weights


def _arithmetic(matrix: Matrix) -> tuple[Fraction, ...]:
    """The mean of each row of the column-normalised matrix (exact)."""
    size = len(matrix)
    columns = [sum((row[j] for row in matrix), Fraction(0)) for j in range(size)]
    return tuple(sum((row[j] / columns[j] for j in range(size)), Fraction(0)) / size for row in matrix)


def _geometric(matrix: Sequence[Sequence[Decimal]]) -> tuple[Decimal, ...]:
    """Each row's geometric mean (through logarithms, to 50 digits), normalised."""
    size = len(matrix)
    means = [CONTEXT.exp(sum((a.ln(CONTEXT) for a in row), ZERO) / size) for row in matrix]
    return _normalised(means)


def _worst(matrix: Matrix, weights: Sequence[Decimal]) -> WorstJudgment | None:
    """The judgment above the diagonal whose ``a_ij · w_j / w_i`` is farthest from 1 (by its logarithm)."""
    best: tuple[Decimal, WorstJudgment] | None = None
    for i in range(len(matrix)):
        for j in range(i + 1, len(matrix)):
            ratio = from_fraction(matrix[i][j]) * weights[j] / weights[i]
            distance = abs(ratio.ln(CONTEXT))
            if best is None or distance > best[0]:
                implied = weights[i] / weights[j]
                worst = WorstJudgment(
                    row=i, column=j, given=judgment_text(matrix[i][j]), implied=implied, ratio=ratio
                )
                best = (distance, worst)
    return best[1] if best is not None and best[0] > 0 else None


def nearest_on_scale(value: Decimal) -> Fraction:
    """The value of Saaty's scale (1/9 … 1/2, 1 … 9) closest to ``value`` on a log scale."""
    scale = [Fraction(1, k) for k in range(9, 1, -1)] + [Fraction(k) for k in range(1, 10)]
    target = value.ln(CONTEXT)
    return min(scale, key=lambda s: abs(from_fraction(s).ln(CONTEXT) - target))


def judgment_text(value: Fraction) -> str:
    """A judgment as people write it: ``3``, ``1/3``, else a decimal to 4 places (a geometric mean)."""
    if value.denominator == 1:
        return str(value.numerator)
    if value.numerator == 1 and value.denominator <= 9:
        return f"1/{value.denominator}"
    return f"{from_fraction(value):.4f}"
