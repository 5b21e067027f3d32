"""CSV for machines and spreadsheets: one writer for every command, cells written one way.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by a
spreadsheet as a formula (``=HYPERLINK(...)``, ``=cmd|...``): such cells are written with a leading
apostrophe, which spreadsheets show as text. Numbers are written as numbers (``-0.5`` stays ``-0.5``), and
control characters in text are escaped as in every text output (:func:`scoring.report.text.safe`).

Numbers are written at a stated precision, never with the fifty digits an exact quotient carries: each
report wraps its numbers in :func:`at` (exactly so many decimals: points and weights at
``rounding.places``, totals at ``rounding.total_places``) or :func:`upto` (at most so many, trailing zeros
dropped: shares, percentages, statistics and formula values at the precisions below). A bare ``Decimal`` is
written as it is, for figures that are exact and short (a unit's own inputs).

Excel reads a CSV file as UTF-8 only when it begins with a byte order mark: :func:`csv_document` adds it
(``scoring ... --format csv --excel``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from ..numbers import fixed, plain, shown
from .text import safe

_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-]([0-9]+\.?[0-9]*|\.[0-9]+)?$")

#: Decimals of shares, fractions and probabilities (0.126573 = 12.6573%), at most.
SHARE_PLACES = 6
#: Decimals of percentages and percentage points (12.6573), at most.
PERCENT_PLACES = 4
#: Decimals of a formula's value and of a condition on it, at most.
VALUE_PLACES = 6
#: Decimals of means, standard deviations, variances and covariances beyond the points' ``rounding.places``.
STATISTIC_EXTRA_PLACES = 4

#: The byte order mark that tells Excel a CSV file is UTF-8.
BOM = "\ufeff"


def text_cell(text: str) -> str:
    """A text cell that no spreadsheet reads as a formula, without control characters. A sign alone or a
    signed plain number (``-``, ``-0.5``) is not a formula and stays as it is."""
    if text.startswith(_FORMULA_START) or (text.startswith(("+", "-")) and not _SIGNED_NUMBER.match(text)):
        text = "'" + text
    return safe(text)


class Rounded(NamedTuple):
    """A number to write at a precision: ``places`` decimals exactly, or at most (``trim``)."""

    value: Decimal
    places: int
    trim: bool = False

    def __str__(self) -> str:
        return shown(self.value, self.places) if self.trim else fixed(self.value, self.places)


def at(value: Decimal | None, places: int) -> Rounded | None:
    """``value`` written with exactly ``places`` decimals (half-up): points, weights, totals."""
    return None if value is None else Rounded(value, places)


def upto(value: Decimal | bool | str | None, places: int) -> Rounded | bool | str | None:
    """``value`` written with at most ``places`` decimals (half-up, trailing zeros dropped); true/false,
    text (and dates, as their text) and None as they are."""
    return value if value is None or isinstance(value, bool | str) else Rounded(value, places, trim=True)


Cell = str | int | bool | Decimal | Rounded | None


def cell_text(value: Cell) -> str:
    """A CSV cell: numbers as numbers, true/false, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Rounded):
        return str(value)
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


def csv_document(text: str, *, bom: bool) -> str:
    """CSV text as a file or a pipe gets it: with a byte order mark first when ``bom`` (for Excel, which
    otherwise reads UTF-8 as the system's code page)."""
    return BOM + text if bom and not text.startswith(BOM) else text


def csv_bytes(text: str, *, bom: bool) -> bytes:
    """CSV text encoded as UTF-8, with a byte order mark first when ``bom``."""
    return csv_document(text, bom=bom).encode("utf-8")
