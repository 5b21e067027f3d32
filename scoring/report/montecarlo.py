"""``scoring montecarlo`` as text and CSV: each unit's total, grade and rank over the sampled weightings."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.montecarlo import MonteCarloReport
from ..numbers import fixed, in_context, percent, plain
from .csv import SHARE_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output


def _describe(report: MonteCarloReport) -> str:
    if report.method == "uniform":
        how = f"uniform ±{plain(report.spread or Decimal(0))}% per weight"
    else:
        how = f"Dirichlet, concentration {plain(report.concentration or Decimal(0))}"
    return f"{report.samples} weightings, {how}, seed {report.seed}"


@text_output
@in_context
def monte_carlo_table(report: MonteCarloReport) -> str:
    """Per unit: current total, grade and rank; mean and interval of the total; grade probabilities; ranks.
    Then each weight's sampled mean and interval."""
    s = report.indicator_set
    places, tp = s.rounding.places, s.rounding.total_places
    low, high = (plain(level) for level in report.interval)
    labels = [grade.label for grade in s.grades]
    rows = []
    for unit in report.units:
        probability = unit.grade_probability
        ranks = f"{unit.rank_low}–{unit.rank_high}" if unit.rank_low != unit.rank_high else str(unit.rank_low)
        rows.append([unit.unit, fixed(unit.total, tp), unit.grade, str(unit.rank), fixed(unit.mean, tp + 2),
                     f"{fixed(unit.low, tp)}–{fixed(unit.high, tp)}",
                     *(percent(probability[label]) for label in labels), ranks])  # fmt: skip
    header = ["unit", "total", "grade", "rank", "mean", f"{low}–{high}%", *(f"P({label})" for label in labels),
              f"rank {low}–{high}%"]  # fmt: skip
    names = {i.id: i.label for i in s.indicators}
    weights = [
        [
            names.get(w.id, w.id),
            plain(w.weight),
            fixed(w.mean, places + 2),
            f"{fixed(w.low, places)}–{fixed(w.high, places)}",
        ]
        for w in report.weights
    ]
    lines = [
        f"Monte Carlo: {s.title} — {_describe(report)}; totals rounded as the set declares",
        "",
        *table_lines(header, rows, [False, True, False, True, True, True, *([True] * len(labels)), True]),
        "",
        "Sampled weights",
        *table_lines(["indicator", "weight", "mean", f"{low}–{high}%"], weights, [False, True, True, True]),
    ]
    return "\n".join(lines) + "\n"


@in_context
def monte_carlo_csv(report: MonteCarloReport) -> str:
    """One row per unit; one probability column per grade (``p_<label>``): totals at
    ``rounding.total_places``, the mean with 3 decimals more, probabilities with at most
    :data:`~scoring.report.csv.SHARE_PLACES` decimals."""
    tp = report.indicator_set.rounding.total_places
    labels = [grade.label for grade in report.indicator_set.grades]
    header = ["unit", "total", "grade", "rank", "mean", "low", "high", *(f"p_{label}" for label in labels),
              "rank_low", "rank_high"]  # fmt: skip
    rows: list[list[Cell]] = []
    for unit in report.units:
        probability = unit.grade_probability
        rows.append([unit.unit, at(unit.total, tp), unit.grade, unit.rank, at(unit.mean, tp + 3), at(unit.low, tp),
                     at(unit.high, tp), *(upto(probability[label], SHARE_PLACES) for label in labels),
                     unit.rank_low, unit.rank_high])  # fmt: skip
    return csv_text(header, rows)
