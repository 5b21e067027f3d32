"""A cohort's scores as a workbook people read: a ranked summary sheet (grades coloured by band, header
frozen, filters on, columns as wide as their Chinese text), the scores as data on a second sheet, and
optionally one 评分表 sheet per unit.

The input is the wide table of :func:`scoring.batch.output.wide_tables` (a pyarrow table: unit, status,
total, total_range, grade, rank, subtotals by group path, points by indicator id, error).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..engine.result import Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from .sheet_style import Styles, column_width
from .workbook import ScoreSheet, xlsxwriter

#: The widest a summary column grows, in character units.
_WIDEST = 40
#: Characters Excel refuses in a sheet's name.
_NOT_IN_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _ranked_rows(table: Any) -> list[dict[str, Any]]:
    """The rows ranked: by rank, ties and unranked rows (a total range, an error) in table order after."""
    rows: list[dict[str, Any]] = table.to_pylist()
    return sorted(rows, key=lambda row: (row["rank"] is None, row["rank"] or 0))


def _summary_columns(indicator_set: IndicatorSet, texts: Catalogue) -> list[tuple[str, str]]:
    """(key in the wide table, header) of the summary's columns, in order."""
    columns = [(key, texts.text(f"column.{key}")) for key in ("rank", "unit", "total", "grade", "status")]
    columns.append(("total_range", texts.text("column.total_range")))
    columns += [(group.path, group.label) for group in indicator_set.groups]
    columns += [(indicator.id, indicator.label) for indicator in indicator_set.indicators]
    columns.append(("error", texts.text("column.error")))
    return columns


def write_summary(
    book: Any, styles: Styles, table: Any, indicator_set: IndicatorSet, texts: Catalogue
) -> None:
    """The ranked summary sheet."""
    sheet = book.add_worksheet(texts.text("sheet.summary"))
    columns = _summary_columns(indicator_set, texts)
    sheet.write_row(0, 0, [header for _, header in columns], styles.header)
    widths = [column_width(header) for _, header in columns]
    labels = [grade.label for grade in indicator_set.grades]
    places = {group.path: indicator_set.rounding.places for group in indicator_set.groups}
    places.update({i.id: indicator_set.rounding.places for i in indicator_set.indicators})
    places["total"] = indicator_set.rounding.total_places
    rows = _ranked_rows(table)
    for number, row in enumerate(rows, start=1):
        for column, (key, _) in enumerate(columns):
            value = row.get(key)
            if value is None:
                continue
            if isinstance(value, Decimal):
                sheet.write_number(number, column, float(value), styles.points(places[key]))
                text = str(value)
            elif key == "grade" and value in labels:
                sheet.write_string(number, column, value, styles.grade_band(labels.index(value), len(labels)))
                text = value
            elif key == "status":
                text = texts.text(f"status.{value}")
                sheet.write_string(number, column, text, styles.text)
            elif isinstance(value, int):
                sheet.write_number(number, column, value, styles.text)
                text = str(value)
            else:
                text = str(value)
                sheet.write_string(number, column, text, styles.text)
            widths[column] = max(widths[column], column_width(text))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width, _WIDEST))
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def write_data(book: Any, styles: Styles, table: Any, texts: Catalogue) -> None:
    """The wide table as data: headers as the set's ids, rows in the table's order, numbers as numbers."""
    sheet = book.add_worksheet(texts.text("sheet.units"))
    sheet.write_row(0, 0, table.column_names, styles.header)
    for number, row in enumerate(table.to_pylist(), start=1):
        for column, value in enumerate(row.values()):
            if value is None:
                continue
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                sheet.write_number(number, column, float(value))
            else:
                sheet.write_string(number, column, str(value))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, max(table.num_rows, 1), table.num_columns - 1)


def sheet_name(unit: str, taken: set[str]) -> str:
    """A sheet name for a unit: Excel's characters refused, at most 31 characters, unique in the book."""
    base = (unit.translate(_NOT_IN_NAMES).strip("'") or "unit")[:28]
    name, number = base, 2
    while name.lower() in taken:
        name, number = f"{base[: 28 - len(str(number))]}~{number}", number + 1
    taken.add(name.lower())
    return name


def write_cohort_workbook(
    path: str,
    table: Any,
    indicator_set: IndicatorSet,
    texts: Catalogue,
    results: Iterable[Result] = (),
) -> None:
    """The summary, the data and, for each of ``results``, the unit's 评分表."""
    book = xlsxwriter().Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        styles = Styles(book)
        write_summary(book, styles, table, indicator_set, texts)
        write_data(book, styles, table, texts)
        taken = {texts.text("sheet.summary").lower(), texts.text("sheet.units").lower()}
        writer = ScoreSheet(book, styles, texts)
        for result in results:
            writer.write(book.add_worksheet(sheet_name(result.unit, taken)), result, indicator_set)
    finally:
        book.close()
