"""``scoring montecarlo`` as text and CSV: each unit's total, grade and rank over the sampled weightings."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.montecarlo import MonteCarloReport
from ..language import Catalogue
from ..numbers import fixed, in_context, percent, plain
from .csv import SHARE_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output


def _describe(report: MonteCarloReport, texts: Catalogue) -> str:
    if report.method == "uniform":
        how = texts.text("analysis.montecarlo.uniform", spread=plain(report.spread or Decimal(0)))
    else:
        how = texts.text(
            "analysis.montecarlo.dirichlet", concentration=plain(report.concentration or Decimal(0))
        )
    return texts.text("analysis.montecarlo.sampling", samples=report.samples, how=how, seed=report.seed)


@text_output
@in_context
def monte_carlo_table(report: MonteCarloReport, *, texts: Catalogue | None = None) -> str:
    """Per unit: current total, grade and rank; mean and interval of the total; grade probabilities; ranks.
    Then each weight's sampled mean and interval. In the words of ``texts`` (English when not given)."""
    texts = texts or Catalogue("en")
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

    def word(key: str, **values: object) -> str:
        return texts.text(f"analysis.montecarlo.{key}", **values)

    interval = word("interval", low=low, high=high)
    header = [word("unit"), word("total"), word("grade"), word("rank"), word("mean"), interval,
              *(word("probability", grade=label) for label in labels), word("rank_interval", low=low, high=high)]  # fmt: skip
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
        word("title", title=s.title, sampling=_describe(report, texts)),
        "",
        *table_lines(header, rows, [False, True, False, True, True, True, *([True] * len(labels)), True]),
        "",
        word("weights_title"),
        *table_lines(
            [word("indicator"), word("weight"), word("mean"), interval], weights, [False, True, True, True]
        ),
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
