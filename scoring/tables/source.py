"""What every table reader gives: its headers, its data rows in chunks of text cells, and the place of any
cell in the user's own terms (a spreadsheet cell ``Sheet1!C7``, a CSV row, a frame's row)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import Location, clip
from ._arrow import ArrowTable, arrow, empty_rows


@dataclass(frozen=True)
class TableChunk:
    """Consecutive data rows of a table.

    Every column of ``table`` is Arrow text (``string``), named by its header text; an empty cell is null.
    """

    table: ArrowTable
    #: Index, among the data rows of the whole table (0-based), of this chunk's first row.
    first_row: int


def column_letters(index: int) -> str:
    """The spreadsheet letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, digit = divmod(index - 1, 26)
        letters = chr(ord("A") + digit) + letters
    return letters


def name_headers(cells: list[str | None], letters: bool, first: int = 0) -> tuple[str, ...]:
    """Header texts, stripped; an empty header cell is named after its column (``column C`` in a spreadsheet,
    ``column 3`` otherwise) so every column has a name; ``first`` is the index of the first cell's column."""
    names = []
    for index, cell in enumerate(cells, start=first):
        text = (cell or "").strip()
        label = column_letters(index) if letters else str(index + 1)
        names.append(text or f"column {label}")
    return tuple(names)


def find_duplicates(headers: tuple[str, ...]) -> dict[str, list[int]]:
    """Each header that names more than one column, with the indexes of its columns."""
    seen: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        seen.setdefault(header, []).append(index)
    return {header: indexes for header, indexes in seen.items() if len(indexes) > 1}


@dataclass
class RowMap:
    """Where each data row lies in the source (its sheet row or file row), kept as runs of consecutive rows:
    the rows skipped (empty or refused) split the runs, so memory grows with those, not with the table."""

    starts: list[int] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)

    def add_run(self, data_row: int, origin: int) -> None:
        """Data rows from ``data_row`` on lie at ``origin``, ``origin + 1``, … until the next run."""
        if self.starts and self.origins[-1] - self.starts[-1] == origin - data_row:
            return  # continues the run before
        self.starts.append(data_row)
        self.origins.append(origin)

    def origin(self, data_row: int, base: int) -> int:
        """The source row of ``data_row`` (``base + data_row`` before any run is known)."""
        at = bisect.bisect_right(self.starts, data_row) - 1
        if at < 0:
            return base + data_row
        return self.origins[at] + data_row - self.starts[at]


class TableSource:
    """A table of units: its headers and its data rows, read ``size`` rows at a time.

    ``duplicates`` maps each header naming more than one column to their indexes (the table still opens; a
    caller refuses a duplicated header only when it uses it). ``skipped_empty_rows`` counts the rows with
    every cell empty that were left out (counted as they are read). Empty header cells are named
    ``column C`` (spreadsheets) or ``column 3`` (other tables).
    """

    def __init__(self, name: str, headers: tuple[str, ...], rows: int | None) -> None:
        #: The file as the user named it, or ``"DataFrame"``.
        self.name = name
        self.headers = headers
        #: Number of data rows when known without reading the table, else None.
        self.rows = rows
        self.duplicates = find_duplicates(headers)
        self.skipped_empty_rows = 0

    def chunks(self, size: int) -> Iterator[TableChunk]:
        """The data rows in order, ``size`` at a time (the last chunk may be shorter), each exactly once."""
        if size < 1:
            raise ValueError(f"chunk size must be at least 1, not {size}")
        return _rechunk(self._tables(size), size)

    def _tables(self, size: int) -> Iterator[ArrowTable]:
        """Text tables of consecutive data rows, of any length; the readers define it."""
        raise NotImplementedError

    def where(self, row: int, column: int | None = None) -> Location:
        """The place of data row ``row`` (0-based among the data rows), at column ``column`` (0-based, into
        ``headers``) or the whole row when None. Each reader documents its form."""
        raise NotImplementedError

    def _column_text(self, column: int) -> str:
        header = self.headers[column]
        if header in self.duplicates:
            return f"column {column + 1} ({clip(header)})"
        return header if header.startswith("column ") else f"column {clip(header)}"

    def _drop_empty(self, table: ArrowTable) -> tuple[ArrowTable, list[int]]:
        """``table`` without its rows of empty cells, and the positions of those rows (counted as skipped)."""
        if not table.num_columns or not table.num_rows:
            return table, []
        pc = arrow().compute
        mask = empty_rows(table)
        if not pc.any(mask).as_py():
            return table, []
        positions = pc.indices_nonzero(mask).to_pylist()
        self.skipped_empty_rows += len(positions)
        return table.filter(pc.invert(mask)), positions


def _rechunk(tables: Iterator[ArrowTable], size: int) -> Iterator[TableChunk]:
    pa = arrow()
    pending: list[ArrowTable] = []
    held = 0
    first = 0
    for table in tables:
        if not table.num_rows:
            continue
        pending.append(table)
        held += table.num_rows
        if held < size:
            continue
        whole = pa.concat_tables(pending)
        start = 0
        while held - start >= size:
            yield TableChunk(whole.slice(start, size), first)
            start += size
            first += size
        pending = [whole.slice(start)] if held > start else []
        held -= start
    if held:
        yield TableChunk(pa.concat_tables(pending), first)
