"""A cohort analysis written for people: a workbook (the units ranked, grades coloured, then the analysis'
table) or an HTML report (the analysis' chart, the units ranked, the analysis' table, sortable).

The analysis' table is its CSV (the same rows and numbers ``--format csv`` prints), so the three outputs
never disagree; its headers, the words its columns take (``up``, ``indicator``, ``yes``) and its notes are
said in the report's language (the catalogue's ``analysis.column`` and ``analysis.cell``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain, round_to
from .analysis_charts import analysis_chart
from .html_page import escape, generated_note, page, section, table
from .sheet_style import Styles, column_width
from .workbook import xlsxwriter

_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)$")
#: The widest a column grows, in character units.
_WIDEST = 48


@dataclass(frozen=True)
class RankedUnit:
    unit: str
    total: Decimal
    grade: str
    rank: int


def _competition_ranks(totals: list[Decimal]) -> list[int]:
    """1 for the highest total; equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    first: dict[Decimal, int] = {}
    for position, total in enumerate(ordered, start=1):
        first.setdefault(total, position)
    return [first[total] for total in totals]


def ranked_units(kind: str, report: Any, indicator_set: IndicatorSet) -> list[RankedUnit]:
    """The units an analysis covers, with their total, grade and rank (for ``tune``: after the change)."""
    if kind == "tune":
        rows = [RankedUnit(u.unit, u.after, u.grade_after, u.rank_after) for u in report.units]
    elif kind == "montecarlo":
        rows = [RankedUnit(u.unit, u.total, u.grade, u.rank) for u in report.units]
    elif kind == "sensitivity":
        fields = zip(report.units, report.totals, report.grades, report.ranks, strict=True)
        rows = [RankedUnit(*row) for row in fields]
    else:
        if kind == "weights":  # its totals are the rows' sums: rounded here as the set rounds totals
            rounding = indicator_set.rounding
            totals = [round_to(total, rounding.total_places, rounding.mode) for total in report.totals]
            pairs = list(zip(report.units, totals, strict=True))
        else:  # margins
            pairs = [(u.unit, u.total) for u in report.units]
        ranks = _competition_ranks([total for _, total in pairs])
        rows = [
            RankedUnit(unit, total, indicator_set.grade_for(total), rank)
            for (unit, total), rank in zip(pairs, ranks, strict=True)
        ]
    return sorted(rows, key=lambda row: (row.rank, row.unit))


def _cells(csv_text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))


def table_cells(kind: str, report: Any, texts: Catalogue, csv_text: str) -> list[list[str]]:
    """The analysis' CSV as cells, in the words of ``texts``: the notes of margins and sensitivity written
    in the language, then the headers and the words of the columns that take a few words."""
    if kind == "margins":
        from .margins import margins_csv

        csv_text = margins_csv(report, texts)
    elif kind == "sensitivity":
        from .sensitivity import sensitivity_csv

        csv_text = sensitivity_csv(report, texts)
    cells = _cells(csv_text)
    if not cells:
        return cells
    header, known = cells[0], texts.keys()
    for row in cells[1:]:
        for column, text in enumerate(row[: len(header)]):
            key = f"analysis.cell.{header[column]}.{text}"
            if text and key in known:
                row[column] = texts.text(key)
    return [[_column_name(name, texts, known) for name in header], *cells[1:]]


def _column_name(name: str, texts: Catalogue, known: frozenset[str]) -> str:
    """A column's header in words: the catalogue's, a grade's probability (``p_<grade>``), else as it is."""
    key = f"analysis.column.{name}"
    if key in known:
        return texts.text(key)
    if name.startswith("p_"):
        return texts.text("analysis.column.p_grade", grade=name[2:])
    return name


def _summary_sheet(
    book: Any, styles: Styles, rows: list[RankedUnit], indicator_set: IndicatorSet, texts: Catalogue
) -> None:
    sheet = book.add_worksheet(texts.text("sheet.summary"))
    header = [texts.text(f"column.{key}") for key in ("rank", "unit", "total", "grade")]
    sheet.write_row(0, 0, header, styles.header)
    labels = [grade.label for grade in indicator_set.grades]
    widths = [column_width(text) for text in header]
    places = indicator_set.rounding.total_places
    for number, row in enumerate(rows, start=1):
        sheet.write_number(number, 0, row.rank, styles.text)
        sheet.write_string(number, 1, row.unit, styles.text)
        sheet.write_number(number, 2, float(row.total), styles.points(places))
        band = styles.grade_band(labels.index(row.grade), len(labels)) if row.grade in labels else styles.text
        sheet.write_string(number, 3, row.grade, band)
        widths[1] = max(widths[1], column_width(row.unit))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width, _WIDEST))
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)


def _table_sheet(book: Any, styles: Styles, name: str, cells: list[list[str]]) -> None:
    """The analysis' CSV as a sheet: numbers as numbers, text as text (never a formula)."""
    sheet = book.add_worksheet(name[:31])
    if not cells:
        return
    sheet.write_row(0, 0, cells[0], styles.header)
    widths = [column_width(text) for text in cells[0]]
    for number, row in enumerate(cells[1:], start=1):
        for column, text in enumerate(row):
            if _NUMBER.match(text):
                sheet.write_number(number, column, float(text), styles.text)
            elif text:
                sheet.write_string(number, column, text, styles.text)
            if column < len(widths):
                widths[column] = max(widths[column], column_width(text))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width, _WIDEST))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(cells) - 1, 1), len(cells[0]) - 1)


def write_analysis_workbook(
    path: str, kind: str, report: Any, indicator_set: IndicatorSet, texts: Catalogue, csv_text: str
) -> None:
    """The units ranked, then the analysis' table, in one workbook."""
    book = xlsxwriter().Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        styles = Styles(book)
        _summary_sheet(book, styles, ranked_units(kind, report, indicator_set), indicator_set, texts)
        _table_sheet(
            book, styles, texts.text(f"analysis.sheet.{kind}"), table_cells(kind, report, texts, csv_text)
        )
    finally:
        book.close()


def _table_cell(text: str) -> tuple[str, str | None, str]:
    number = bool(_NUMBER.match(text))
    return (text, text if number else None, "n" if number else "")


def analysis_report(
    kind: str, report: Any, indicator_set: IndicatorSet, texts: Catalogue, csv_text: str
) -> str:
    """The analysis as one self-contained HTML document: its chart, the units ranked, its table."""
    rows = ranked_units(kind, report, indicator_set)
    places = indicator_set.rounding.total_places
    labels = [grade.label for grade in indicator_set.grades]
    ranked = table(
        [
            (texts.text(f"column.{key}"), key in ("rank", "total"))
            for key in ("rank", "unit", "total", "grade")
        ],
        [
            [
                (str(row.rank), str(row.rank), "n rank"),
                (row.unit, None, "unit"),
                (fixed(row.total, places), plain(row.total), "n total"),
                (row.grade, None, f"grade-{min(labels.index(row.grade), 3)}" if row.grade in labels else ""),
            ]
            for row in rows
        ],
        table_id="ranked",
        sortable=True,
    )
    cells = table_cells(kind, report, texts, csv_text)
    details = table(
        [(text, False) for text in cells[0]] if cells else [],
        [[_table_cell(text) for text in row] for row in cells[1:]],
        table_id="analysis",
        sortable=True,
    )
    search = f'<input class="filter" data-table="ranked" placeholder="{escape(texts.text("report.filter"))}">'
    sections = [
        section(texts.text(f"report.{kind}_title"), analysis_chart(kind, report, texts), kind),
        section(texts.text("report.ranked"), search + ranked, "ranked"),
        section(texts.text(f"analysis.sheet.{kind}"), details, "analysis"),
    ]
    title = f"{indicator_set.title} — {texts.text(f'report.{kind}_title')}"
    note = generated_note(texts, indicator_set)
    return page(title, texts.language, sections, note)
