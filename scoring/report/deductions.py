"""Deductions (the 扣分清单) as text and CSV: one unit's rows ranked by the points lost, and the most frequent
deductions of a cohort. JSON is the reports' own (``to_json()``)."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.deductions import DeductionReport, FrequentDeduction
from ..numbers import count, fixed, in_context, plain
from .csv import Cell, at, csv_text
from .text import table_lines, text_output

#: Every text the renderers show (English for now; the catalogue will hold them).
TEXTS: dict[str, str] = {
    "title_full": "{unit} — {shown}, against full marks",
    "title_median": "{unit} — {shown}, against the median of {units}",
    "shown_top": "the {n} rows that lost most points",
    "shown_all": "the rows that lost points",
    "total": "total {total} of {maximum}, {grade}",
    "total_range": "total {low} to {high} of {maximum}",
    "none_full": "No row lost points: full marks on every row scored.",
    "none_median": "No row is below the cohort's median.",
    "summary": "{rows} lost {lost} points in all{shown}.",
    "summary_shown": " ({n} shown)",
    "unknown": "Unknown rows, not ranked: {ids}.",
    "frequent_title": "Most frequent deductions over {units}, against full marks",
}
#: The tables' headers.
HEADERS: dict[str, list[str]] = {
    "full": ["#", "indicator", "label", "weight", "points", "lost", "outcome"],
    "median": ["#", "indicator", "label", "weight", "median", "points", "lost", "outcome"],
    "frequent": [
        "indicator",
        "label",
        "weight",
        "units losing",
        "units",
        "lost in all",
        "mean lost",
        "mean when lost",
    ],
}


@text_output
@in_context
def deductions_table(report: DeductionReport) -> str:
    """The title (unit, total, what the rows are compared with), the rows ranked, and the points lost in all."""
    places = report.indicator_set.rounding.places
    median = report.against == "median"
    shown = TEXTS["shown_top"].format(n=report.top) if report.top is not None else TEXTS["shown_all"]
    units = count(report.cohort_units or 0, "unit")
    title = TEXTS["title_median" if median else "title_full"].format(
        unit=report.unit, shown=shown, units=units
    )
    lines = [f"{title} ({_total(report)})", ""]
    unknown = [TEXTS["unknown"].format(ids=", ".join(report.unknown_rows))] if report.unknown_rows else []
    if not report.ranked:
        lines.append(TEXTS["none_median" if median else "none_full"])
        return "\n".join([*lines, *unknown]) + "\n"
    rows = []
    for row in report.deductions:
        cells = [str(row.rank), row.id, row.label, fixed(row.weight, places)]
        cells += [fixed(row.reference, places)] if median else []
        cells += [fixed(row.points, places), fixed(row.lost, places), row.outcome]
        rows.append(cells)
    header = HEADERS[report.against]
    right = [True, False, False, True, True, True, *([True] if median else []), False]
    lines += table_lines(header, rows, right)
    cut = len(report.deductions) < len(report.ranked)
    summary = TEXTS["summary"].format(
        rows=count(report.rows_losing, "row"),
        lost=fixed(report.lost_in_all, places),
        shown=TEXTS["summary_shown"].format(n=len(report.deductions)) if cut else "",
    )
    return "\n".join([*lines, "", summary, *unknown]) + "\n"


def _total(report: DeductionReport) -> str:
    places = report.indicator_set.rounding.total_places
    maximum = plain(report.maximum)
    if report.total is not None:
        return TEXTS["total"].format(total=fixed(report.total, places), maximum=maximum, grade=report.grade)
    low, high = report.result.total_range or (None, None)
    if low is None or high is None:
        return maximum
    return TEXTS["total_range"].format(low=fixed(low, places), high=fixed(high, places), maximum=maximum)


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
def frequent_table(rows: list[FrequentDeduction], units: int, places: int) -> str:
    """The indicators a cohort loses points on, most frequent first (those no unit lost points on left out)."""
    lines = [TEXTS["frequent_title"].format(units=count(units, "unit")), ""]
    cells = [
        [row.id, row.label, fixed(row.weight, places), str(row.units_losing), str(row.units),
         fixed(row.total_lost, places), _optional(row.mean_lost, places),
         _optional(row.mean_lost_when_lost, places)]
        for row in rows
        if row.units_losing
    ]  # fmt: skip
    lines += table_lines(HEADERS["frequent"], cells, [False, False, True, True, True, True, True, True])
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
