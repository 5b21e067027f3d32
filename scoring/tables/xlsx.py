"""Excel workbooks (.xlsx, .xlsm) through python-calamine, which reads a whole sheet at once; its rows become
Arrow text chunks as they are asked for.

What a sheet gives: a formula cell gives the value Excel saved with it (a workbook written by a program that
never computed its formulas gives nothing, or what that program wrote); a merged range gives its value in its
top-left cell only, the others being empty; error cells (``#DIV/0!``) come back empty from calamine; dates
give their ISO text. Rows with every cell empty are left out (counted in ``skipped_empty_rows``) and every
data row keeps its own sheet row number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DataError, Location, Problem, clip, did_you_mean
from ._arrow import ArrowTable, arrow, calamine, cell_text
from .source import RowMap, TableSource, column_letters, name_headers


def _problem(code: str, message: str, where: Location, hint: str | None = None) -> DataError:
    return DataError(Problem(code, message, where, hint=hint))


def _sheet(path: Path, name: str, sheet: str | None) -> Any:
    module = calamine()
    try:
        workbook = module.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's errors (zip, XML, password) share no base class worth naming
        message = f"the workbook cannot be read: {clip(str(exc), 200)}"
        hint = "open it in Excel and save it again as .xlsx"
        raise _problem("table-format", message, Location(name), hint) from None
    names: list[str] = list(workbook.sheet_names)
    if sheet is None:
        if not names:
            raise _problem("table-empty", "the workbook has no sheets", Location(name))
        sheet = names[0]
    elif sheet not in names:
        listed = ", ".join(f"'{clip(each)}'" for each in names[:50])
        hint = did_you_mean(sheet, names) or f"the sheets are {listed}"
        message = f"the workbook has no sheet '{clip(sheet)}'"
        raise DataError(Problem("table-sheet", message, Location(name), sheet, hint))
    return workbook.get_sheet_by_name(sheet)


def _is_empty(row: list[Any]) -> bool:
    return all(cell_text(cell) is None for cell in row)


def _width(row: list[Any]) -> int:
    """Columns up to the row's last non-empty cell."""
    width = len(row)
    while width and cell_text(row[width - 1]) is None:
        width -= 1
    return width


#: How many rows from the top of a sheet may hold titles and notes above the header row.
HEADER_SEARCH_ROWS = 30


def _find_header(rows: list[list[Any]]) -> int:
    """Among the first rows, the one with the most text cells (the first of them on a tie): a title or a
    note above the header has a cell or two, the header a cell per column; else the first non-empty row."""
    counts = [
        sum(1 for cell in row if isinstance(cell, str) and cell.strip()) for row in rows[:HEADER_SEARCH_ROWS]
    ]
    if counts and max(counts) >= 2:
        return counts.index(max(counts))
    return next(index for index, row in enumerate(rows) if not _is_empty(row))


class XlsxSource(TableSource):
    """One sheet of a workbook. ``where`` gives ``FILE:Sheet1!C7`` (the cell as Excel names it) or
    ``FILE:Sheet1, row 7`` for a whole row; a sheet name other than letters, digits and ``_`` is quoted as in
    Excel (``'My sheet'!C7``)."""

    def __init__(self, path: Path, name: str, sheet: str | None, header_row: int | None) -> None:
        data = _sheet(path, name, sheet)
        self.sheet: str = data.name
        rows: list[list[Any]] = data.to_python(skip_empty_area=True)
        start = data.start
        if start is None or all(_is_empty(row) for row in rows):
            raise _problem("table-empty", f"sheet '{clip(self.sheet)}' is empty", Location(name))
        self._top: int = start[0]
        self._left: int = start[1]
        header = self._header_index(rows, header_row, name)
        self._rows = rows
        width = max(_width(row) for row in rows[header:])
        cells = [cell_text(cell) for cell in rows[header][:width]]
        super().__init__(name, name_headers(cells, letters=True, first=self._left), None)
        self._kept = [index for index in range(header + 1, len(rows)) if not _is_empty(rows[index])]
        self.rows = len(self._kept)
        self.skipped_empty_rows = len(rows) - header - 1 - len(self._kept)
        self._map = RowMap()
        for data_row, index in enumerate(self._kept):
            self._map.add_run(data_row, self._top + index + 1)

    def _header_index(self, rows: list[list[Any]], header_row: int | None, name: str) -> int:
        if header_row is None:
            return _find_header(rows)
        index = header_row - 1 - self._top
        if index < 0 or index >= len(rows) or _is_empty(rows[index]):
            message = f"row {header_row} of sheet '{clip(self.sheet)}' is empty: it cannot be the header row"
            raise _problem("table-header", message, Location(name), "name the row holding the column names")
        return index

    def _prefix(self) -> str:
        sheet = self.sheet if re.fullmatch(r"\w+", self.sheet) else "'" + self.sheet.replace("'", "''") + "'"
        return f"{self.name}:{sheet}"

    def where(self, row: int, column: int | None = None) -> Location:
        """``FILE:Sheet1!C7``: the cell of data row ``row`` in column ``column``, numbered as in the sheet."""
        number = self._map.origin(row, self._top + 1)
        if column is None:
            return Location(f"{self._prefix()}, row {number}")
        return Location(f"{self._prefix()}!{column_letters(self._left + column)}{number}")

    def _tables(self, size: int) -> Iterator[ArrowTable]:
        pa = arrow()
        columns = len(self.headers)
        for begin in range(0, len(self._kept), size):
            picked = [self._rows[index] for index in self._kept[begin : begin + size]]
            arrays = [
                pa.array(
                    [cell_text(row[column]) if column < len(row) else None for row in picked], pa.string()
                )
                for column in range(columns)
            ]
            yield pa.Table.from_arrays(arrays, names=list(self.headers))
