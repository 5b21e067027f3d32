"""CSV for machines and spreadsheets: one writer for every command, cells written one way.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by a
spreadsheet as a formula (``=HYPERLINK(...)``, ``=cmd|...``): such cells are written with a leading
apostrophe, which spreadsheets show as text. Numbers are written as numbers (``-0.5`` stays ``-0.5``), and
control characters in text are escaped as in every text output (:func:`scoring.report.text.safe`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..numbers import plain
from .text import safe

_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-]([0-9]+\.?[0-9]*|\.[0-9]+)?$")


def text_cell(text: str) -> str:
    """A text cell that no spreadsheet reads as a formula, without control characters. A sign alone or a
    signed plain number (``-``, ``-0.5``) is not a formula and stays as it is."""
    if text.startswith(_FORMULA_START) or (text.startswith(("+", "-")) and not _SIGNED_NUMBER.match(text)):
        text = "'" + text
    return safe(text)


Cell = str | int | bool | Decimal | None


def cell_text(value: Cell) -> str:
    """A CSV cell: numbers exact, true/false, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, int):
        return str(value)
    return text_cell(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text with a header line; lines end with a newline alone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([text_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue()
