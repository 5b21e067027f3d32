"""CSV for machines and spreadsheets: one writer for every command, cells written one way."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..numbers import plain

Cell = str | int | bool | Decimal | None


def cell_text(value: Cell) -> str:
    """A CSV cell: numbers exact, true/false, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text with a header line; lines end with a newline alone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return buffer.getvalue()
