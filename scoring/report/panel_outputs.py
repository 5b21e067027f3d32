"""Inter-rater agreement (``scoring panel -o``) as a workbook, one sheet per table, or as a self-contained
HTML report with the three tables, sortable. The tables are those of the text output
(:func:`scoring.report.panel.panel_tables`), so the outputs never disagree."""

from __future__ import annotations

from ..analysis.panel import PanelAgreement
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from .html_page import generated_note, page, section, table
from .panel import panel_tables
from .sheet_style import Styles, column_width
from .workbook import xlsxwriter

#: The widest a column grows, in character units.
_WIDEST = 48


def write_panel_workbook(path: str, report: PanelAgreement, texts: Catalogue) -> None:
    """One sheet per table: numbers as numbers, text as text (never a formula)."""
    book = xlsxwriter().Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        styles = Styles(book)
        for index, (title, header, rows, numbers) in enumerate(panel_tables(report, texts), start=1):
            sheet = book.add_worksheet(f"{index} {title}"[:31].replace(":", " "))
            sheet.write_row(0, 0, header, styles.header)
            widths = [column_width(text) for text in header]
            for number, row in enumerate(rows, start=1):
                for column, text in enumerate(row):
                    if numbers[column] and text not in ("", "—"):
                        sheet.write_number(number, column, float(text), styles.text)
                    else:
                        sheet.write_string(number, column, text, styles.text)
                    widths[column] = max(widths[column], column_width(text))
            for column, width in enumerate(widths):
                sheet.set_column(column, column, min(width, _WIDEST))
            sheet.freeze_panes(1, 0)
    finally:
        book.close()


def panel_report(report: PanelAgreement, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """The three tables as one HTML document, each sortable."""
    sections = []
    for index, (title, header, rows, numbers) in enumerate(panel_tables(report, texts)):
        cells = [
            [(text, text if numbers[column] and text not in ("", "—") else None, "n" if numbers[column] else "")
             for column, text in enumerate(row)]
            for row in rows
        ]  # fmt: skip
        body = table(list(zip(header, numbers, strict=True)), cells, table_id=f"panel-{index}", sortable=True)
        sections.append(section(title, body, f"panel-{index}"))
    title = f"{indicator_set.title} — {texts.text('text.panel.title', units=report.units, set=report.set_id)}"
    return page(title, texts.language, sections, generated_note(texts, indicator_set))
