"""Deductions (the 扣分清单) as text and CSV: one unit's rows ranked by the points lost, and the most frequent
deductions of a cohort. JSON is the reports' own (``to_json()``)."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.deductions import DeductionReport, FrequentDeduction
from ..language import Catalogue
from ..numbers import fixed, in_context, plain
from ..rules.base import english
from .csv import Cell, at, csv_text
from .score import number_of
from .text import table_lines, text_output

#: The columns of each table (their headers: ``text.deductions.header.<column>`` in the catalogue).
HEADERS: dict[str, list[str]] = {
    "full": ["rank", "indicator", "label", "weight", "points", "lost", "outcome"],
    "median": ["rank", "indicator", "label", "weight", "median", "points", "lost", "outcome"],
    "frequent": [
        "indicator",
        "label",
        "weight",
        "units_losing",
        "units",
        "lost_in_all",
        "mean_lost",
        "mean_when_lost",
    ],
}


def _text(texts: Catalogue, key: str, **values: object) -> str:
    return texts.text(f"text.deductions.{key}", **values)


def _header(texts: Catalogue, table: str) -> list[str]:
    return [_text(texts, f"header.{column}") for column in HEADERS[table]]


@text_output
@in_context
def deductions_table(report: DeductionReport, texts: Catalogue | None = None) -> str:
    """The title (unit, total, what the rows are compared with), the rows ranked, and the points lost in all;
    in the language of ``texts`` (English when not given), each row's outcome too."""
    texts = texts or english()
    places = report.indicator_set.rounding.places
    median = report.against == "median"
    shown = _text(texts, "shown_top", n=report.top) if report.top is not None else _text(texts, "shown_all")
    units = number_of(texts, "text.deductions.units", report.cohort_units or 0)
    title = _text(
        texts, "title_median" if median else "title_full", unit=report.unit, shown=shown, units=units
    )
    lines = [_text(texts, "title", title=title, total=_total(report, texts)), ""]
    ids = _text(texts, "ids_separator").join(report.unknown_rows)
    unknown = [_text(texts, "unknown", ids=ids)] if report.unknown_rows else []
    if not report.ranked:
        lines.append(_text(texts, "none_median" if median else "none_full"))
        return "\n".join([*lines, *unknown]) + "\n"
    rows = []
    for row in report.deductions:
        cells = [str(row.rank), row.id, row.label, fixed(row.weight, places)]
        cells += [fixed(row.reference, places)] if median else []
        outcome = (
            row.outcome if texts.language == "en" else report.result.indicator(row.id).outcome_text(texts)
        )
        cells += [fixed(row.points, places), fixed(row.lost, places), outcome]
        rows.append(cells)
    right = [True, False, False, True, True, True, *([True] if median else []), False]
    lines += table_lines(_header(texts, report.against), rows, right)
    cut = len(report.deductions) < len(report.ranked)
    summary = _text(
        texts,
        "summary",
        rows=number_of(texts, "text.deductions.rows", report.rows_losing),
        lost=fixed(report.lost_in_all, places),
        shown=_text(texts, "summary_shown", n=len(report.deductions)) if cut else "",
    )
    return "\n".join([*lines, "", summary, *unknown]) + "\n"


def _total(report: DeductionReport, texts: Catalogue) -> str:
    places = report.indicator_set.rounding.total_places
    maximum = plain(report.maximum)
    if report.total is not None:
        return _text(texts, "total", total=fixed(report.total, places), maximum=maximum, grade=report.grade)
    low, high = report.result.total_range or (None, None)
    if low is None or high is None:
        return maximum
    return _text(texts, "total_range", low=fixed(low, places), high=fixed(high, places), maximum=maximum)


@in_context
def deductions_csv(report: DeductionReport) -> str:
    """One line per row shown: rank, unit, what it is compared with, indicator, label, group, status, then
    weight, reference (full marks or the median), points and lost at ``rounding.places``, and the outcome."""
    places = report.indicator_set.rounding.places
    header = ["rank", "unit", "against", "id", "label", "group", "status", "weight", "reference", "points",
              "lost", "outcome"]  # fmt: skip
    rows: list[list[Cell]] = [
        [row.rank, report.unit, report.against, row.id, row.label, row.group, row.status,
         at(row.weight, places), at(row.reference, places), at(row.points, places), at(row.lost, places),
         row.outcome]
        for row in report.deductions
    ]  # fmt: skip
    return csv_text(header, rows)


@text_output
@in_context
def frequent_table(
    rows: list[FrequentDeduction], units: int, places: int, texts: Catalogue | None = None
) -> str:
    """The indicators a cohort loses points on, most frequent first (those no unit lost points on left out); in
    the language of ``texts`` (English when not given)."""
    texts = texts or english()
    lines = [_text(texts, "frequent_title", units=number_of(texts, "text.deductions.units", units)), ""]
    cells = [
        [row.id, row.label, fixed(row.weight, places), str(row.units_losing), str(row.units),
         fixed(row.total_lost, places), _optional(row.mean_lost, places),
         _optional(row.mean_lost_when_lost, places)]
        for row in rows
        if row.units_losing
    ]  # fmt: skip
    lines += table_lines(
        _header(texts, "frequent"), cells, [False, False, True, True, True, True, True, True]
    )
    return "\n".join(lines) + "\n"


def _optional(value: Decimal | None, places: int) -> str:
    return fixed(value, places) if value is not None else "—"


@in_context
def frequent_csv(rows: list[FrequentDeduction], places: int) -> str:
    """One line per indicator: units scored, units losing points, and the weight and points lost in all and
    on average at ``places`` (the set's ``rounding.places``)."""
    header = ["id", "label", "group", "weight", "units", "units_losing", "total_lost", "mean_lost",
              "mean_lost_when_lost"]  # fmt: skip
    lines: list[list[Cell]] = [
        [row.id, row.label, row.group, at(row.weight, places), row.units, row.units_losing,
         at(row.total_lost, places), at(row.mean_lost, places), at(row.mean_lost_when_lost, places)]
        for row in rows
    ]  # fmt: skip
    return csv_text(header, lines)
