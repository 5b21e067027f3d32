"""The 评分表 of one unit as an Excel sheet, laid out as offices print it, with live subtotals.

Columns: one per level of the set's groups and one for the indicators (一级/二级/三级指标, each group's
cell merged over its rows), 分值, 指标解释, 评分标准, 数据, 得分, 扣分原因. Each group ends with its
subtotal row and the sheet with the total and the grade; those are formulas (``=SUM(...)``, ``=ROUND(...)``,
``=IF(...)``) over the points cells, their cached values the engine's, so an office that edits a points
cell sees the sheet recompute. A footer names the set, its version and the result's provenance hashes.

xlsxwriter (the ``reports`` or ``tables`` extra) writes the file; nothing here writes XML by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..engine.result import GroupResult, IndicatorResult, Result
from ..errors import import_extra
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain, value_text
from .score import group_tree
from .sheet_style import Styles, column_width, excel_round, merge

#: Rows above the table: the title, the header.
_TOP = 2


def xlsxwriter() -> Any:
    """The ``xlsxwriter`` module, or a ``needs-reports`` error naming the extra that installs it."""
    return import_extra("xlsxwriter", "needs-reports", "writing workbooks needs xlsxwriter", "reports")


@dataclass
class _Line:
    """One row of the sheet's table: an indicator, or the subtotal closing a group."""

    depth: int
    row: IndicatorResult | None = None
    group: GroupResult | None = None
    #: For a subtotal: the table lines of the group's indicators (every level below it).
    members: list[int] = field(default_factory=list)


@dataclass
class _Layout:
    lines: list[_Line]
    #: (level column, first line, last line) of each group's label, merged over its block.
    spans: list[tuple[int, int, int, GroupResult]]
    levels: int


def _layout(result: Result) -> _Layout:
    """The table's lines in the set's tree order: each group's members, then its subtotal."""
    groups = {group.path: group for group in result.groups}
    children = group_tree(result)
    lines: list[_Line] = []
    spans: list[tuple[int, int, int, GroupResult]] = []

    def emit(path: str, depth: int) -> list[int]:
        members: list[int] = []
        for child in children[path]:
            if isinstance(child, str):
                first = len(lines)
                inner = emit(child, depth + 1)
                spans.append((depth, first, len(lines) - 1, groups[child]))
                lines.append(_Line(depth, group=groups[child], members=inner))
                members += inner
            else:
                members.append(len(lines))
                lines.append(_Line(depth, row=child))
        return members

    emit("", 0)
    levels = max((line.depth for line in lines if line.row is not None), default=0) + 1
    return _Layout(lines, spans, levels)


def _data_text(row: IndicatorResult, indicator_set: IndicatorSet) -> str:
    """The row's inputs (by their labels) and the formula's value, as the 数据 column shows them."""
    parts = []
    for name, value in row.inputs.items():
        spec = indicator_set.inputs.get(name)
        label = spec.label if spec is not None and spec.label else name
        parts.append(f"{label} = {value_text(value)}")
    if row.value is not None and row.definition.formula:
        unit = row.unit or ""
        parts.append(f"→ {value_text(row.value)}{unit}")
    return "\n".join(parts)


def _cell(column: int, line: int) -> str:
    """An A1 reference to the sheet row of table line ``line``."""
    return f"{_letters(column)}{_TOP + line + 1}"


def _letters(column: int) -> str:
    text = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def _sum(column: int, lines: list[int]) -> str:
    """``SUM`` over the points cells of ``lines``, contiguous runs as ranges (a formula stays short)."""
    runs: list[tuple[int, int]] = []
    for line in sorted(lines):
        if runs and runs[-1][1] == line - 1:
            runs[-1] = (runs[-1][0], line)
        else:
            runs.append((line, line))
    parts = [_cell(column, a) if a == b else f"{_cell(column, a)}:{_cell(column, b)}" for a, b in runs]
    return f"SUM({','.join(parts) or '0'})"


class ScoreSheet:
    """Writes one unit's 评分表 into a worksheet of an xlsxwriter workbook."""

    def __init__(self, book: Any, styles: Styles, texts: Catalogue) -> None:
        self.book, self.styles, self.texts = book, styles, texts

    def write(self, sheet: Any, result: Result, indicator_set: IndicatorSet) -> None:
        layout = _layout(result)
        levels = layout.levels
        names = [self._level_name(n) for n in range(levels)]
        header = [*names, *(self.texts.text(f"column.{key}") for key in _COLUMNS)]
        self.points_column = levels + _COLUMNS.index("points")
        width = len(header)
        title = f"{indicator_set.title} — {result.unit}" + (f" · {result.period}" if result.period else "")
        merge(sheet, 0, 0, 0, width - 1, title, self.styles.title)
        sheet.write_row(1, 0, header, self.styles.header)
        places = indicator_set.rounding.places
        widths = [column_width(text) for text in header]
        for index, line in enumerate(layout.lines):
            cells = self._line(sheet, index, line, levels, places, indicator_set)
            for column, text in cells.items():
                widths[column] = max(widths[column], column_width(text))
        for depth, first, last, group in layout.spans:
            if last > first:
                merge(sheet, _TOP + first, depth, _TOP + last, depth, group.label, self.styles.group)
            else:
                sheet.write(_TOP + first, depth, group.label, self.styles.group)
            widths[depth] = max(widths[depth], column_width(group.label))
        end = self._closing(sheet, layout, result, indicator_set, width)
        self._footer(sheet, end + 1, result, indicator_set, width)
        for column, size in enumerate(widths):
            sheet.set_column(column, column, min(size, _WIDEST.get(column - levels, 24)))
        sheet.freeze_panes(_TOP, 0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(1)

    def _level_name(self, level: int) -> str:
        if level < 3:
            return self.texts.text(f"level_{level + 1}")
        return self.texts.text("level", n=level + 1)

    def _line(
        self, sheet: Any, index: int, line: _Line, levels: int, places: int, indicator_set: IndicatorSet
    ) -> dict[int, str]:
        """Writes one table line; returns the texts written by column (for the column widths)."""
        row_number = _TOP + index
        styles = self.styles
        points_format = styles.points(places)
        weight_column = levels
        if line.group is not None:
            group = line.group
            label = self.texts.text("row.subtotal", label=group.label)
            merge(sheet, row_number, line.depth, row_number, levels - 1, label, styles.subtotal)
            sheet.write_number(row_number, weight_column, float(group.weight), styles.points_bold(places))
            for column in range(weight_column + 1, self.points_column):
                sheet.write_blank(row_number, column, None, styles.subtotal)
            formula = "=" + _sum(self.points_column, line.members)
            if group.points is None:  # unknown rows inside: the range, as text
                sheet.write(row_number, self.points_column, self._range(group.points_range), styles.subtotal)
            else:
                cached = float(group.points)
                sheet.write_formula(
                    row_number, self.points_column, formula, styles.points_bold(places), cached
                )
            sheet.write_blank(row_number, self.points_column + 1, None, styles.subtotal)
            return {line.depth: label}
        row = line.row
        assert row is not None
        if line.depth < levels - 1:
            merge(sheet, row_number, line.depth, row_number, levels - 1, row.label, styles.text)
        else:
            sheet.write(row_number, line.depth, row.label, styles.text)
        definition = row.definition.spec
        data = _data_text(row, indicator_set)
        reason = (
            row.outcome_text(self.texts)
            if (row.points is None or row.points < row.weight or not row.counted)
            else ""
        )
        sheet.write_number(row_number, weight_column, float(row.weight), points_format)
        sheet.write(row_number, weight_column + 1, definition.description or "", styles.wrapped)
        sheet.write(row_number, weight_column + 2, definition.criteria or "", styles.wrapped)
        sheet.write(row_number, weight_column + 3, data, styles.wrapped)
        if not row.counted:
            sheet.write(row_number, self.points_column, self.texts.text("row.not_counted"), styles.text)
        elif row.points is None:
            sheet.write(row_number, self.points_column, self._range(row.points_range), styles.text)
        else:
            sheet.write_number(row_number, self.points_column, float(row.points), points_format)
        sheet.write(row_number, self.points_column + 1, reason, styles.wrapped)
        return {line.depth: row.label, weight_column + 3: data}

    def _range(self, points_range: tuple[Decimal, Decimal] | None) -> str:
        unknown = self.texts.text("row.unknown")
        if points_range is None:
            return unknown
        return f"{unknown} ({plain(points_range[0])}–{plain(points_range[1])})"

    def _closing(
        self, sheet: Any, layout: _Layout, result: Result, indicator_set: IndicatorSet, width: int
    ) -> int:
        """The total and grade rows; returns the last row written."""
        styles, levels = self.styles, layout.levels
        rounding = indicator_set.rounding
        total_row = _TOP + len(layout.lines)
        grade_row = total_row + 1
        for row_number, key in ((total_row, "row.total"), (grade_row, "row.grade")):
            merge(sheet, row_number, 0, row_number, levels - 1, self.texts.text(key), styles.subtotal)
            for column in range(levels, width):
                if column != self.points_column:
                    sheet.write_blank(row_number, column, None, styles.subtotal)
        sheet.write_number(total_row, levels, float(result.maximum), styles.points_bold(rounding.places))
        counted = [i for i, line in enumerate(layout.lines) if line.row is not None and line.row.counted]
        total_cell = _cell(self.points_column, len(layout.lines))
        if result.total is None:
            low, high = result.total_range or (Decimal(0), Decimal(0))
            total_text = f"{fixed(low, rounding.total_places)}–{fixed(high, rounding.total_places)}"
            sheet.write(total_row, self.points_column, total_text, styles.subtotal)
            sheet.write(grade_row, self.points_column, "/".join(result.grades_possible), styles.subtotal)
            return grade_row
        rows = _sum(self.points_column, counted)
        if result.scale is not None:  # rows left out (N/A, rescale): the sum scaled to the total
            rows = f"{rows}*{plain(result.maximum)}/{plain(result.attainable)}"
        formula = f"={excel_round(rows, rounding.total_places, rounding.mode)}"
        total_style = styles.points_bold(rounding.total_places)
        sheet.write_formula(total_row, self.points_column, formula, total_style, float(result.total))
        sheet.write_formula(
            grade_row,
            self.points_column,
            _grade_formula(total_cell, indicator_set),
            styles.grade,
            result.grade,
        )
        return grade_row

    def _footer(
        self, sheet: Any, first: int, result: Result, indicator_set: IndicatorSet, width: int
    ) -> None:
        for offset, text in enumerate(footer_lines(self.texts, result, indicator_set)):
            merge(sheet, first + 1 + offset, 0, first + 1 + offset, width - 1, text, self.styles.footer)


def footer_lines(
    texts: Catalogue, result: Result, indicator_set: IndicatorSet, engine: bool = True
) -> list[str]:
    """A sheet's foot: the set (title, id, version) and its hash, the data and its hash, and (``engine``)
    what computed the figures."""
    provenance = result.provenance
    version = indicator_set.version or "—"
    lines = [
        texts.text("footer.set", title=indicator_set.title, id=indicator_set.id, version=version),
        texts.text("footer.set_hash", sha256=provenance.set.sha256),
        texts.text("footer.data", source=provenance.data.source, sha256=provenance.data.sha256),
    ]
    if engine:
        lines.append(
            texts.text("footer.engine", name=provenance.engine.name, version=provenance.engine.version)
        )
    return lines


#: The columns after the level columns, by their catalogue keys.
_COLUMNS = ("weight", "description", "criteria", "data", "points", "reason")
#: The widest a column after the levels grows (by its position among _COLUMNS); text wraps beyond.
_WIDEST = {0: 8, 1: 40, 2: 40, 3: 30, 4: 10, 5: 40}


def _grade_formula(total_cell: str, indicator_set: IndicatorSet) -> str:
    """``=IF(total>=t1,"优",IF(total>=t2,"良",...))``: each band's minimum on the total's scale, raised to
    the total's places (a total is a multiple of 10^-places, so ``total ≥ min`` and ``total ≥ ceil(min)``
    agree)."""
    places = indicator_set.rounding.total_places
    scale = indicator_set.total / indicator_set.grades_total
    grades = indicator_set.grades
    formula = _quoted(grades[-1].label)
    for grade in reversed(grades[:-1]):
        threshold = Decimal(math.ceil(grade.min * scale * 10**places)) / 10**places
        formula = f"IF({total_cell}>={plain(threshold)},{_quoted(grade.label)},{formula})"
    return "=" + formula


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_unit_workbook(path: str, result: Result, indicator_set: IndicatorSet, texts: Catalogue) -> None:
    """A workbook holding one sheet: the unit's 评分表."""
    book = xlsxwriter().Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        sheet = book.add_worksheet(texts.text("sheet.score"))
        ScoreSheet(book, Styles(book), texts).write(sheet, result, indicator_set)
    finally:
        book.close()
