"""The optional libraries, loaded on first use, and the conversion of any Arrow column or spreadsheet cell to
text: every cell a table yields is text (or null), so that numbers are parsed once, exactly, by the caller.

pyarrow and python-calamine ship no type information mypy reads here, so both are handled as ``Any`` behind
:func:`arrow` and :func:`calamine`.
"""

from __future__ import annotations

import datetime
import importlib
from typing import Any

from ..errors import DataError, Location, Problem, import_extra

#: A ``pyarrow.Table`` (pyarrow is optional and untyped, so the type is opaque here).
ArrowTable = Any


def _require(module: str, what: str) -> Any:
    return import_extra(module, "needs-tables", f"reading tables needs {what}", "tables")


def arrow() -> Any:
    """The ``pyarrow`` module (with ``pyarrow.compute`` loaded), or a ``needs-tables`` error."""
    pa = _require("pyarrow", "pyarrow, which is not installed")
    _require("pyarrow.compute", "pyarrow, which is not installed")
    return pa


def arrow_module(name: str) -> Any:
    """A pyarrow submodule (``pyarrow.csv``, ``pyarrow.parquet``), or a ``needs-tables`` error."""
    arrow()
    return _require(name, f"{name}, which is not installed")


def calamine() -> Any:
    """The ``python_calamine`` module, or a ``needs-tables`` error."""
    return _require("python_calamine", "python-calamine (for .xlsx files), which is not installed")


def cell_text(value: object) -> str | None:
    """A spreadsheet (or Python object) cell as text: numbers in their shortest exact form, ``true``/``false``,
    dates in ISO form; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN: a data frame's missing value
            return None
        # spreadsheets store every number as a float: 144.0 is the integer 144
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    return str(value).strip() or None  # int, Decimal, timedelta


def text_table(table: ArrowTable, headers: tuple[str, ...], name: str) -> ArrowTable:
    """``table`` with every column as trimmed text (an empty or blank cell null, NaN null) named ``headers``.

    Columns that cannot be text (lists, structs, maps, binary that is not UTF-8) are refused together.
    """
    pa = arrow()
    pc = importlib.import_module("pyarrow.compute")
    columns = []
    problems: list[Problem] = []
    for index, column in enumerate(table.columns):
        try:
            columns.append(_text_column(pa, pc, column))
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
            header = headers[index]
            message = f"column '{header}' holds {column.type}, which cannot be read as text"
            hint = "give the column numbers or text (lists, structures and binary data are not cells)"
            problems.append(Problem("table-column-type", message, Location(name), header, hint))
    if problems:
        raise DataError(problems)
    return pa.Table.from_arrays(columns, names=list(headers))


def _text_column(pa: Any, pc: Any, column: Any) -> Any:
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_nested(kind):
        raise pa.ArrowNotImplementedError(str(kind))
    if pa.types.is_floating(kind):
        # a frame's NaN is its missing value; pyarrow would write "nan"
        column = pc.if_else(pc.is_nan(column), pa.scalar(None, kind), column)
    text = column if kind == pa.string() else column.cast(pa.string())
    shapes = [_shape(chunk) for chunk in text.chunks]
    if not any(spaced for spaced, _ in shapes):  # most columns: the check costs a fraction of a trim
        if not any(empty for _, empty in shapes):
            return text
        return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    trimmed = pc.utf8_trim_whitespace(text)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _shape(chunk: Any) -> tuple[bool, bool]:
    """Whether some cell of a string array may need trimming — it starts or ends with a byte that may begin
    or end white space: a control character or space (≤ 0x20), or a byte of a multi-byte character (≥ 0x80,
    such as U+3000, the ideographic space) — and whether some cell is empty. Read from the array's offsets
    and bytes: two gathers instead of a trim."""
    import numpy as np

    rows = len(chunk)
    if rows == chunk.null_count:
        return False, False
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[chunk.offset : chunk.offset + rows + 1]
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    if chunk.null_count:
        valid = chunk.is_valid().to_numpy(zero_copy_only=False)
        empty = bool((valid & ~filled).any())
        filled &= valid
    else:
        empty = not filled.all()
    if not filled.all():
        starts, ends = starts[filled], ends[filled]
    if not len(starts):
        return False, empty
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    outside = np.uint8(0x80 - 0x21)  # a byte minus 0x21 (wrapping) at or above this is not printable ASCII
    first = np.take(data, starts) - np.uint8(0x21)
    last = np.take(data, ends - 1) - np.uint8(0x21)
    return bool((first >= outside).any() or (last >= outside).any()), empty


def empty_rows(table: ArrowTable) -> Any:
    """A boolean mask of the rows of a text table whose every cell is null."""
    pc = importlib.import_module("pyarrow.compute")
    mask = None
    for column in table.columns:
        nulls = pc.is_null(column)
        mask = nulls if mask is None else pc.and_(mask, nulls)
    return mask
