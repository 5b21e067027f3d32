"""Tables that come typed: Parquet files (read in batches), JSON Lines files (streamed) and data frames
(pandas, polars, pyarrow). Every column is cast to text: integers as digits, floats in their shortest
round-trip form (0.1 → ``0.1``), decimals exactly at their scale, booleans ``true``/``false``, dates in ISO
form; a missing value (null, a frame's NaN) is null. ``where`` gives ``FILE:row 7, column 在职人员数``, row 7
being the 7th data row (1-based; a Parquet file, a JSON Lines file and a frame have no header line).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DataError, Location, Problem, clip
from ._arrow import ArrowTable, arrow, arrow_module, cell_text, text_table
from .source import RowMap, TableSource, name_headers

#: pyarrow's JSON block: the longest line a JSON Lines file may hold.
JSON_BLOCK_BYTES = 1 << 26


def _check_types(schema: Any, headers: tuple[str, ...], name: str) -> None:
    """Refuse, all at once, the columns whose values are not cells (lists, structures, maps)."""
    pa = arrow()
    problems = []
    for header, column in zip(headers, schema, strict=True):
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_nested(kind):
            message = f"column '{clip(header)}' holds {clip(str(kind))}, which is not a cell value"
            hint = "give the column numbers or text (lists and structures are not cells)"
            problems.append(Problem("table-column-type", message, Location(name), header, hint))
    if problems:
        raise DataError(problems)


class _TypedSource(TableSource):
    """A table whose batches come typed from pyarrow; subclasses give the batches."""

    def __init__(self, name: str, schema: Any, rows: int | None) -> None:
        headers = name_headers([str(column) for column in schema.names], letters=False)
        _check_types(schema, headers, name)
        super().__init__(name, headers, rows)
        self._map = RowMap()

    def _batches(self, size: int) -> Iterator[Any]:
        raise NotImplementedError

    def _tables(self, size: int) -> Iterator[ArrowTable]:
        self._map = RowMap()
        self.skipped_empty_rows = 0
        origin = data_rows = 0
        for batch in self._batches(size):
            table = text_table(arrow().Table.from_batches([batch]), self.headers, self.name)
            kept, empty = self._drop_empty(table)
            position = 0
            for stop in [*empty, batch.num_rows]:  # the runs of data rows between empty rows
                if stop > position:
                    self._map.add_run(data_rows, origin + position)
                    data_rows += stop - position
                position = stop + 1
            origin += batch.num_rows
            yield kept

    def where(self, row: int, column: int | None = None) -> Location:
        """``NAME:row N, column HEADER`` (or ``NAME:row N``), N the 1-based data row."""
        number = self._map.origin(row, 0) + 1
        if column is None:
            return Location(f"{self.name}:row {number}")
        return Location(f"{self.name}:row {number}, {self._column_text(column)}")


class ParquetSource(_TypedSource):
    """A Parquet file, read ``size`` rows at a time."""

    def __init__(self, path: Path, name: str) -> None:
        pa, parquet = arrow(), arrow_module("pyarrow.parquet")
        try:
            self._file = parquet.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            message = f"not a readable Parquet file: {clip(str(exc), 200)}"
            raise DataError(Problem("table-format", message, Location(name))) from None
        super().__init__(name, self._file.schema_arrow, self._file.metadata.num_rows)

    def _batches(self, size: int) -> Iterator[Any]:
        try:
            yield from self._file.iter_batches(batch_size=size)
        except (arrow().ArrowInvalid, OSError) as exc:
            message = f"the Parquet file is damaged: {clip(str(exc), 200)}"
            raise DataError(Problem("table-format", message, Location(self.name))) from None


class JsonLinesSource(_TypedSource):
    """A JSON Lines file: one object per line, its keys the headers (those of the first lines read)."""

    def __init__(self, path: Path, name: str) -> None:
        self._path = path
        self.name = name  # named before the first read, whose problem gives the file's name
        super().__init__(name, self._open().schema, None)

    def _open(self) -> Any:
        pa, json = arrow(), arrow_module("pyarrow.json")
        options = json.ReadOptions(use_threads=False, block_size=JSON_BLOCK_BYTES)
        try:
            return json.open_json(self._path, read_options=options)
        except pa.ArrowInvalid as exc:
            raise self._invalid(str(exc)) from None

    def _invalid(self, text: str) -> DataError:
        message = f"the file cannot be read as JSON Lines: {clip(text, 200)}"
        hint = "write one JSON object per line, every line with the same keys"
        return DataError(Problem("table-json", message, Location(self.name), hint=hint))

    def _batches(self, size: int) -> Iterator[Any]:
        try:
            yield from self._open()
        except arrow().ArrowInvalid as exc:
            raise self._invalid(str(exc)) from None


class FrameSource(_TypedSource):
    """A data frame or Arrow table held in memory."""

    def __init__(self, table: ArrowTable, name: str) -> None:
        self._table = table
        super().__init__(name, table.schema, table.num_rows)

    def _batches(self, size: int) -> Iterator[Any]:
        yield from self._table.to_batches(max_chunksize=size)


def frame_source(frame: object, name: str = "DataFrame") -> TableSource:
    """A table of units from a pandas or polars DataFrame or a pyarrow Table (the type is told by its module,
    so neither pandas nor polars is imported here). pandas' NaN and None are missing values."""
    pa = arrow()
    module = type(frame).__module__.split(".")[0]
    if isinstance(frame, pa.Table):
        return FrameSource(frame, name)
    if module == "polars" and hasattr(frame, "to_arrow"):
        return FrameSource(frame.to_arrow(), name)
    if module == "pandas" and hasattr(frame, "columns"):
        return FrameSource(_from_pandas(pa, frame, name), name)
    message = f"cannot read a {clip(type(frame).__name__)} as a table"
    hint = "pass a pandas or polars DataFrame or a pyarrow Table"
    raise DataError(Problem("table-frame", message, Location(name), hint=hint))


def _from_pandas(pa: Any, frame: Any, name: str) -> ArrowTable:
    """The frame as an Arrow table; a column of mixed Python objects (numbers and text, as a sheet read by
    pandas gives) is turned into text cell by cell."""
    arrays, names = [], []
    for index in range(frame.shape[1]):
        column = frame.iloc[:, index]
        names.append(str(frame.columns[index]))
        try:
            arrays.append(pa.array(column, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            arrays.append(pa.array([_object_text(value) for value in column], pa.string()))
    return pa.Table.from_arrays(arrays, names=names)


def _object_text(value: object) -> str | None:
    try:
        return cell_text(value)
    except (TypeError, ValueError):  # a value whose comparison with "" fails (an array)
        return str(value)
