"""CSV and TSV files, streamed through ``pyarrow.csv`` with every column read as text (never through a float).

Rows are numbered as the file's lines: row N is the Nth line, the header being the line ``header_row`` (1 by
default); this is exact unless a quoted cell above spans several lines (each such record counts once). Blank
lines and lines of empty cells are left out of the data rows but keep their numbers.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DataError, Location, Problem, ProblemList, clip
from ._arrow import ArrowTable, arrow, arrow_module, text_table
from .source import RowMap, TableSource, name_headers

#: Bytes read ahead to check the encoding and find the header.
SAMPLE_BYTES = 1 << 20
#: pyarrow's block: the largest row (one cell of it) a CSV file may hold; memory is bounded by a few blocks.
BLOCK_BYTES = 1 << 26
_LINE_END = re.compile(r"\r\n|\r|\n")


def _problem(code: str, message: str, where: Location, hint: str | None = None) -> DataError:
    return DataError(Problem(code, message, where, hint=hint))


def _bad_line(raw: bytes, start: int) -> int:
    return raw[:start].count(b"\n") + 1


def choose_encoding(sample: bytes, whole: bool, name: str, encoding: str | None) -> str:
    """The encoding pyarrow reads the file in, after checking the file's first bytes: UTF-8 (a BOM is
    fine) unless ``encoding`` names another and the file is not UTF-8; UTF-16/32 only when named."""
    where = Location(name)
    wide = sample.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in sample[:4096]
    named = None
    if encoding is not None:
        try:
            named = codecs.lookup(encoding).name
        except LookupError:
            raise _problem("encoding", f"unknown encoding '{clip(encoding, 40)}'", where) from None
    if wide and not (named or "").startswith(("utf-16", "utf-32")):
        hint = "save it as UTF-8 CSV (in Excel: Save As → CSV UTF-8)"
        raise _problem("encoding", "the file is saved as UTF-16 (or UTF-32), not UTF-8", where, hint)
    if named is not None and named not in ("utf-8", "utf-8-sig"):
        if not sample.isascii() and _decodes(sample, "utf-8", whole) is None:
            return "utf8"  # a UTF-8 file stays UTF-8: one option serves a mix of files
        failed = _decodes(sample, named, whole)
        if failed is not None:
            message = f"the file is not valid {encoding}"
            raise _problem("encoding", message, Location(f"{name}:row {_bad_line(sample, failed)}"))
        return named
    failed = _decodes(sample, "utf-8", whole)
    if failed is not None:
        hint = "save the file as UTF-8"
        if _decodes(sample, "gb18030", whole) is None:
            hint = "the file looks like GBK/GB18030 (common on Windows): save it as UTF-8, or read it with --encoding gbk"
        where = Location(f"{name}:row {_bad_line(sample, failed)}")
        raise _problem("encoding", "the file is not valid UTF-8", where, hint)
    return "utf8"


def _decodes(raw: bytes, encoding: str, whole: bool) -> int | None:
    """None when ``raw`` decodes (a character cut at the end of a sample is fine), else the first bad byte."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(raw, final=whole)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def read_header(text: str, header_row: int, delimiter: str, name: str) -> tuple[list[str], int]:
    """The header cells on line ``header_row`` of ``text`` (the file's start) and the lines they span."""
    start = 0
    for count, end in enumerate(_LINE_END.finditer(text), start=1):
        if count == header_row:
            break
        start = end.end()
    else:
        if header_row > 1 and text.count("\n") + text.count("\r") < header_row - 1:
            raise _problem("table-header", f"the file has fewer than {header_row} lines", Location(name))
    try:
        cells = next(csv.reader(io.StringIO(text[start:], newline=""), delimiter=delimiter), None)
    except csv.Error as exc:
        raise _problem("table-csv", f"the header row cannot be read: {exc}", Location(name)) from None
    if not cells or not any(cell.strip() for cell in cells):
        what = "the file is empty" if not text.strip() else f"the header row (row {header_row}) is empty"
        raise _problem("table-empty", what, Location(name), "put the column names on the first line")
    return cells, 1 + sum(cell.count("\n") for cell in cells)


class CsvSource(TableSource):
    """A CSV (or, with ``delimiter="\\t"``, TSV) file. ``where`` gives ``FILE:row 7, column 在职人员数``."""

    def __init__(
        self, path: Path, name: str, header_row: int | None, encoding: str | None, tab: bool
    ) -> None:
        with open(path, "rb") as file:
            sample = file.read(SAMPLE_BYTES)
        whole = len(sample) < SAMPLE_BYTES
        self._path = path
        self._delimiter = "\t" if tab else ","
        self._encoding = choose_encoding(sample, whole, name, encoding)
        codec = "utf-8-sig" if self._encoding == "utf8" else self._encoding
        text = codecs.getincrementaldecoder(codec)(errors="replace").decode(sample, final=whole)
        header_row = header_row or 1
        cells, span = read_header(text, header_row, self._delimiter, name)
        self._skip = header_row - 1 + span
        super().__init__(name, name_headers(list(cells), letters=False), None)
        self._map = RowMap()

    def where(self, row: int, column: int | None = None) -> Location:
        """``FILE:row N, column HEADER`` (or ``FILE:row N``): N is the row's line in the file (see the module)."""
        number = self._map.origin(row, self._skip + 1)
        if column is None:
            return Location(f"{self.name}:row {number}")
        return Location(f"{self.name}:row {number}, {self._column_text(column)}")

    def _tables(self, size: int) -> Iterator[ArrowTable]:
        self._map = RowMap()
        self.skipped_empty_rows = 0
        refused: collections.deque[int] = collections.deque()
        problems = ProblemList()
        state = _Numbering(self._skip + 1)
        try:  # pyarrow reads the first block when the reader opens: a decoding error may come then
            for batch in self._open(refused, problems):
                table, positions = self._drop_empty(text_table(batch_table(batch), self.headers, self.name))
                state.place(self._map, batch.num_rows, positions, refused)
                yield table
        except UnicodeDecodeError as exc:
            message = f"the file is not valid {self._encoding}: {clip(exc.reason)}"
            raise _problem("encoding", message, Location(self.name), "check the encoding") from None
        except arrow().ArrowInvalid as exc:
            raise self._invalid(str(exc)) from None
        problems.raise_if_any(DataError)

    def _open(self, refused: collections.deque[int], problems: ProblemList) -> Any:
        pa, csv_module = arrow(), arrow_module("pyarrow.csv")
        names = [f"c{index}" for index in range(len(self.headers))]

        def refuse(row: Any) -> str:
            refused.append(row.number)
            if not problems.skip():
                cells = "1 cell" if row.actual_columns == 1 else f"{row.actual_columns} cells"
                message = f"this row has {cells}; the header has {row.expected_columns}"
                hint = "give every row as many cells as the header (check for a stray separator or quote)"
                problems.add(
                    Problem("table-row-fields", message, Location(f"{self.name}:row {row.number}"), hint=hint)
                )
            return "skip"

        read = csv_module.ReadOptions(
            use_threads=False,
            block_size=BLOCK_BYTES,
            skip_rows=self._skip,
            column_names=names,
            encoding=self._encoding,
        )
        parse = csv_module.ParseOptions(
            delimiter=self._delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=refuse,
        )
        convert = csv_module.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        )
        try:
            return csv_module.open_csv(
                self._path, read_options=read, parse_options=parse, convert_options=convert
            )
        except pa.ArrowInvalid as exc:
            if "Empty CSV file" in str(exc):  # only a header: no data rows
                return iter(())
            raise self._invalid(str(exc)) from None

    def _invalid(self, text: str) -> DataError:
        where = Location(self.name)
        if "straddl" in text:
            message = f"a row of the file is larger than {BLOCK_BYTES >> 20} MB"
            return _problem("table-cell-too-large", message, where, "split the text of its large cell")
        if "UTF8" in text:
            hint = "save the file as UTF-8, or name its encoding (--encoding gbk)"
            return _problem("encoding", f"the file is not valid {self._encoding}", where, hint)
        return _problem("table-csv", f"the file cannot be read as CSV: {clip(text, 200)}", where)


def batch_table(batch: Any) -> ArrowTable:
    """A record batch as a table."""
    return arrow().Table.from_batches([batch])


class _Numbering:
    """Numbers the rows of each batch as pyarrow reads them: the next record's row, skipping the rows the
    reader refused (their numbers arrive first, through its handler)."""

    def __init__(self, first: int) -> None:
        self.next = first
        self.data_rows = 0

    def place(self, rows: RowMap, count: int, empty: list[int], refused: collections.deque[int]) -> None:
        """Record where the ``count`` rows of a batch lie, leaving out those at positions ``empty``."""
        empty_at = collections.deque(empty)
        position = 0
        while position < count:
            while refused and refused[0] <= self.next:
                if refused.popleft() == self.next:
                    self.next += 1
            run = count - position
            if refused:
                run = min(run, refused[0] - self.next)
            while run:
                if empty_at and empty_at[0] == position:  # an empty row: numbered but not a data row
                    empty_at.popleft()
                    position, run, self.next = position + 1, run - 1, self.next + 1
                    continue
                length = min(run, (empty_at[0] if empty_at else count) - position)
                rows.add_run(self.data_rows, self.next)
                position, run, self.next = position + length, run - length, self.next + length
                self.data_rows += length
