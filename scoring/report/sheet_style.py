"""How the workbooks look: cell formats made once per workbook, column widths that fit Chinese text, and
the set's rounding as an Excel function."""

from __future__ import annotations

import unicodedata
from typing import Any

#: Fill colours of grade cells, best grade first (then repeated): green, blue, amber, red.
GRADE_COLOURS = ("#C6EFCE", "#DDEBF7", "#FFEB9C", "#FFC7CE")
_FONT = {"font_name": "等线", "font_size": 10, "valign": "vcenter", "border": 1}


def column_width(text: str) -> int:
    """The width a column needs for ``text``'s longest line, in character units: a wide (CJK) character
    counts two, as Excel draws it."""
    longest = 0
    for line in str(text).split("\n"):
        size = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)
        longest = max(longest, size)
    return longest + 2


def excel_round(expression: str, places: int, mode: str) -> str:
    """``expression`` rounded to ``places`` as the set's mode rounds: ``half_up`` (away from zero on a tie)
    is Excel's ROUND, ``down`` ROUNDDOWN, ``up`` ROUNDUP. Excel has no half-even rounding: ROUND is written,
    which differs from the engine only on an exact tie (the cached value is always the engine's)."""
    function = {"down": "ROUNDDOWN", "up": "ROUNDUP"}.get(mode, "ROUND")
    return f"{function}({expression},{places})"


class Styles:
    """The cell formats of one workbook (xlsxwriter formats belong to their workbook)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.title = book.add_format({**_FONT, "bold": True, "font_size": 14, "border": 0, "align": "center"})
        self.header = book.add_format(
            {**_FONT, "bold": True, "bg_color": "#D9E1F2", "align": "center", "text_wrap": True}
        )
        self.text = book.add_format({**_FONT})
        self.group = book.add_format({**_FONT, "bold": True, "align": "center", "text_wrap": True})
        self.wrapped = book.add_format({**_FONT, "text_wrap": True, "valign": "top"})
        self.subtotal = book.add_format({**_FONT, "bold": True, "bg_color": "#F2F2F2"})
        self.grade = book.add_format({**_FONT, "bold": True, "bg_color": "#F2F2F2", "align": "center"})
        self.footer = book.add_format({**_FONT, "border": 0, "font_color": "#595959", "font_size": 9})
        self._numbers: dict[tuple[int, bool], Any] = {}
        self._grades: dict[int, Any] = {}

    def _number(self, places: int, bold: bool) -> Any:
        key = (places, bold)
        if key not in self._numbers:
            pattern = "0" if places == 0 else "0." + "0" * places
            extra = {"bold": True, "bg_color": "#F2F2F2"} if bold else {}
            self._numbers[key] = self.book.add_format({**_FONT, "num_format": pattern, **extra})
        return self._numbers[key]

    def points(self, places: int) -> Any:
        """Numbers shown with ``places`` decimals."""
        return self._number(places, False)

    def points_bold(self, places: int) -> Any:
        """A subtotal's or total's number."""
        return self._number(places, True)

    def grade_band(self, index: int, count: int) -> Any:
        """The fill of the grade at ``index`` of ``count`` grades (best first): the best green, the worst
        red, those between spread over blue and amber."""
        if index not in self._grades:
            colour = GRADE_COLOURS[0 if count < 2 else round(index * (len(GRADE_COLOURS) - 1) / (count - 1))]
            self._grades[index] = self.book.add_format({**_FONT, "bg_color": colour, "align": "center"})
        return self._grades[index]


def merge(
    sheet: Any, first_row: int, first_col: int, last_row: int, last_col: int, value: Any, style: Any
) -> None:
    """``value`` over a range of cells, merged — or written to the one cell when the range is one cell (a set
    without groups has one level column; xlsxwriter refuses to merge a single cell)."""
    if (first_row, first_col) == (last_row, last_col):
        sheet.write(first_row, first_col, value, style)
    else:
        sheet.merge_range(first_row, first_col, last_row, last_col, value, style)
