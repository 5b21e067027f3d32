"""``scoring reproduce UNIT -o X.xlsx``: the unit's 评分表 and a 复核 (Reproduction) sheet setting every
published figure beside the computed one (the lines of :mod:`scoring.report.reproduce_figures`): the
verdict, what was published and computed, a line per figure filled by its status's tone, the findings, and
the set's and data's hashes.

xlsxwriter (the ``reports`` or ``tables`` extra) writes the file; nothing here writes XML by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..audit.findings import Reproduction
from ..engine.result import Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed
from .gap import gap_lines
from .reproduce_figures import (
    TONE_COLOURS,
    FigureLine,
    figure_lines,
    finding_notes,
    range_text,
    summary_lines,
    verdict,
)
from .sheet_style import Styles, column_width, merge
from .workbook import ScoreSheet, footer_lines, xlsxwriter

#: The columns of the 复核 sheet, by their keys under ``reproduce.column``, and the widest each grows.
_COLUMNS = {
    "kind": 8,
    "subject": 24,
    "label": 30,
    "figure": 8,
    "computed": 14,
    "published": 14,
    "difference": 14,
    "status": 16,
    "notes": 70,
}
#: The columns of the findings listed below the figures (a blank key leaves the column empty).
_FINDING_COLUMNS = ("source", "check", "subject", "label", "computed", "published", "", "", "message")
_FONT = {"font_name": "等线", "font_size": 10, "valign": "vcenter", "border": 1}


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class _Formats:
    """The 复核 sheet's cell formats by tone, decimals and wrapping, each made once per workbook."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[str | None, int | None, bool], Any] = {}

    def get(self, tone: str | None, places: int | None = None, wrap: bool = False) -> Any:
        key = (tone, places, wrap)
        if key not in self.made:
            spec: dict[str, Any] = dict(_FONT)
            if tone is not None:
                spec["bg_color"] = TONE_COLOURS[tone]
            if places is not None:
                spec["num_format"] = "0" if places == 0 else "0." + "0" * places
            if wrap:
                spec.update(text_wrap=True, valign="top")
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


class ReproductionSheet:
    """Writes the 复核 sheet of one reproduction into a worksheet of an xlsxwriter workbook: the verdict,
    what was published and computed, a line per published figure filled by its tone, the findings, and the
    set's and data's hashes."""

    def __init__(self, book: Any, styles: Styles, texts: Catalogue) -> None:
        self.styles, self.texts, self.formats = styles, texts, _Formats(book)
        #: The result of the reproduction being written: the rows the findings' traces are said from.
        self.result: Result | None = None

    def write(self, sheet: Any, rep: Reproduction, indicator_set: IndicatorSet) -> None:
        texts, last = self.texts, len(_COLUMNS) - 1
        self.result = rep.result
        merge(sheet, 0, 0, 0, last, texts.text("reproduce.title", unit=rep.result.unit), self.styles.title)
        tone, text = verdict(rep, texts)
        merge(sheet, 1, 0, 1, last, text, self.formats.get(tone))
        row = 2
        for line_text in summary_lines(rep, indicator_set, texts):
            merge(sheet, row, 0, row, last, line_text, self.formats.get(None))
            row += 1
        header = [texts.text(f"reproduce.column.{key}") for key in _COLUMNS]
        sheet.write_row(row, 0, header, self.styles.header)
        sheet.freeze_panes(row + 1, 0)
        widths = [column_width(text) for text in header]
        for line in figure_lines(rep, indicator_set, texts):
            row += 1
            shown = self._line(sheet, row, line)
            widths = [max(width, column_width(text)) for width, text in zip(widths, shown, strict=True)]
        row = self._findings(sheet, row + 2, rep, widths)
        if rep.gap:
            row += 2
            merge(sheet, row, 0, row, last, texts.text("reproduce.text.gap"), self.styles.header)
            for line_text in gap_lines(rep.gap, indicator_set, rep.result, texts):
                row += 1
                merge(sheet, row, 0, row, last, line_text.strip(), self.formats.get(None))
        self._footer(sheet, row + 2, rep.result, indicator_set)
        for column, widest in enumerate(_COLUMNS.values()):
            sheet.set_column(column, column, min(widths[column], widest))

    def _line(self, sheet: Any, row: int, line: FigureLine) -> list[str]:
        """Writes one figure line; returns the text of each cell (for the column widths)."""
        texts, formats, tone = self.texts, self.formats, line.tone
        plain_cells = [
            texts.text(f"reproduce.kind.{line.kind}"),
            line.subject,
            line.label,
            texts.text(f"reproduce.figure.{line.figure}"),
        ]
        for column, text in enumerate(plain_cells):
            sheet.write_string(row, column, text, formats.get(tone))
        shown = self._computed(sheet, row, line)
        places = line.places
        if isinstance(line.published, Decimal):
            places = max(places, _decimals(line.published))
            sheet.write_number(row, 5, float(line.published), formats.get(tone, places))
            published = fixed(line.published, places)
        else:
            published = line.published or ""
            sheet.write_string(row, 5, published, formats.get(tone))
        difference = line.difference
        if difference is None:
            sheet.write_blank(row, 6, None, formats.get(tone))
        else:
            sheet.write_number(row, 6, float(difference), formats.get(tone, places))
        status = texts.text(f"reproduce.status.{line.status}")
        sheet.write_string(row, 7, status, formats.get(tone))
        notes = finding_notes(line.findings, texts, result=self.result)
        sheet.write_string(row, 8, notes, formats.get(tone, wrap=True))
        shown_difference = "" if difference is None else fixed(difference, places)
        return [*plain_cells, shown, published, shown_difference, status, notes]

    def _computed(self, sheet: Any, row: int, line: FigureLine) -> str:
        """Writes the computed figure: a number at the set's places, a grade, a range, or why there is none."""
        tone = line.tone
        if isinstance(line.computed, Decimal):
            sheet.write_number(row, 4, float(line.computed), self.formats.get(tone, line.places))
            return fixed(line.computed, line.places)
        if isinstance(line.computed, str):
            text = line.computed
        elif line.computed_range is not None:
            text = range_text(line.computed_range, line.places)
        elif line.status == "not_counted":
            text = self.texts.text("row.not_counted")
        else:
            text = self.texts.text("reproduce.none")
        sheet.write_string(row, 4, text, self.formats.get(tone))
        return text

    def _findings(self, sheet: Any, row: int, rep: Reproduction, widths: list[int]) -> int:
        """The findings below the figures, under their own header; returns the last row written."""
        texts, last = self.texts, len(_COLUMNS) - 1
        merge(sheet, row, 0, row, last, texts.text("reproduce.findings"), self.styles.subtotal)
        if not rep.findings:
            merge(
                sheet, row + 1, 0, row + 1, last, texts.text("reproduce.no_findings"), self.formats.get(None)
            )
            return row + 1
        header = [texts.text(f"reproduce.column.{key}") if key else "" for key in _FINDING_COLUMNS]
        sheet.write_row(row + 1, 0, header, self.styles.header)
        labels = {r.id: r.label for r in rep.result.indicators} | {g.path: g.label for g in rep.result.groups}
        for offset, finding in enumerate(rep.findings, start=2):
            cells = [
                texts.text(f"reproduce.source.{finding.source}"),
                finding.check,
                finding.subject,
                labels.get(finding.subject, ""),
                finding.computed,
                finding.published,
                None,
                None,
                finding_notes((finding,), texts, checks=False, result=rep.result),
            ]
            for column, value in enumerate(cells):
                self._finding_cell(sheet, row + offset, column, value)
            widths[1] = max(widths[1], column_width(finding.check))
        return row + 1 + len(rep.findings)

    def _finding_cell(self, sheet: Any, row: int, column: int, value: object) -> None:
        if isinstance(value, Decimal):
            sheet.write_number(row, column, float(value), self.formats.get(None))
        elif value is None:
            sheet.write_blank(row, column, None, self.formats.get(None))
        else:
            sheet.write_string(row, column, str(value), self.formats.get(None, wrap=column == 8))

    def _footer(self, sheet: Any, row: int, result: Result, indicator_set: IndicatorSet) -> None:
        for offset, text in enumerate(footer_lines(self.texts, result, indicator_set, engine=False)):
            merge(sheet, row + offset, 0, row + offset, len(_COLUMNS) - 1, text, self.styles.footer)


def write_reproduction_workbook(
    path: str, rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue
) -> None:
    """A workbook of two sheets: the unit's 评分表 and the 复核 sheet (shown first when it opens)."""
    book = xlsxwriter().Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        styles = Styles(book)
        score = book.add_worksheet(texts.text("sheet.score"))
        ScoreSheet(book, styles, texts).write(score, rep.result, indicator_set)
        sheet = book.add_worksheet(texts.text("reproduce.sheet"))
        ReproductionSheet(book, styles, texts).write(sheet, rep, indicator_set)
        sheet.activate()
    finally:
        book.close()
