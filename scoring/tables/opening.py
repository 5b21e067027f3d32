"""Opening a table file: the file checked (it exists, it is a regular file, its bytes are what its name
says) and handed to the reader its suffix names."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from ..errors import DataError, Location, Problem, clip_middle
from .source import TableSource

#: The file suffixes :func:`open_table` reads (case does not matter).
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".parquet", ".pq", ".jsonl")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLS_HINT = "open it in Excel and save it as .xlsx (File → Save As → Excel Workbook)"


def _refuse(code: str, message: str, name: str, hint: str | None = None) -> DataError:
    return DataError(Problem(code, message, Location(name), hint=hint))


def _check_file(path: Path, name: str) -> bytes:
    """The first bytes of a regular file (a located error for anything else)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise _refuse("file-not-found", "file not found", name) from None
    except (OSError, ValueError) as exc:
        raise _refuse("file-unreadable", f"cannot read file: {exc}", name) from None
    if stat.S_ISDIR(mode):
        raise _refuse("file-kind", "a directory, not a table file", name, "name the table file itself")
    if not stat.S_ISREG(mode):
        hint = "name the table file itself"
        raise _refuse("file-kind", "not a regular file (a device, a pipe or a socket)", name, hint)
    try:
        with open(path, "rb") as file:
            return file.read(8)
    except OSError as exc:
        raise _refuse("file-unreadable", f"cannot read file: {exc.strerror}", name) from None


def _check_workbook(path: Path, start: bytes, name: str) -> None:
    if start == _OLE2:
        message = "an old Excel 97–2003 workbook (.xls), or a password-protected one: it cannot be read"
        raise _refuse("table-format", message, name, _XLS_HINT)
    if not start.startswith(b"PK"):
        raise _refuse(
            "table-format", "not an Excel workbook (.xlsx is a zip file; this is not)", name, _XLS_HINT
        )
    try:
        with zipfile.ZipFile(path) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse("table-format", f"a damaged zip file: {exc}", name, _XLS_HINT) from None
    if "xl/workbook.xml" not in parts:
        message = "a zip file without a workbook in it (no xl/workbook.xml): not an .xlsx file"
        raise _refuse("table-format", message, name, "name the .xlsx file itself")


def open_table(
    path: str | Path, *, sheet: str | None = None, header_row: int | None = None, encoding: str | None = None
) -> TableSource:
    """Open a table of units: CSV/TSV, Excel (.xlsx, .xlsm), Parquet or JSON Lines, told by the suffix.

    ``sheet`` names the workbook's sheet (default: the first); ``header_row`` is the 1-based row (sheet row,
    or line of a CSV file) of the column names (default: a CSV file's first line; in a sheet, the first row
    with two text cells or more, so a title row above is skipped); ``encoding`` names a CSV file's encoding
    when it is not UTF-8. Options that do not apply to the file's kind are ignored. Problems are
    :class:`~scoring.errors.DataError` (``needs-tables`` when pyarrow or python-calamine is missing).
    """
    name = str(path)
    path = Path(path)
    if header_row is not None and (isinstance(header_row, bool) or header_row < 1):
        raise _refuse("table-header", f"the header row must be 1 or more, not {header_row}", name)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        if suffix == ".xls":
            message = "an old Excel 97–2003 workbook (.xls): it cannot be read"
            raise _refuse("table-format", message, name, _XLS_HINT)
        listed = ", ".join(TABLE_SUFFIXES)
        message = f"cannot tell the kind of table from the name '{clip_middle(path.name)}'"
        raise _refuse("table-suffix", message, name, f"name a file ending in one of {listed}")
    start = _check_file(path, name)
    if suffix in (".xlsx", ".xlsm"):
        _check_workbook(path, start, name)
        from .xlsx import XlsxSource

        return XlsxSource(path, name, sheet, header_row)
    if suffix in (".csv", ".tsv"):
        from .delimited import CsvSource

        return CsvSource(path, name, header_row, encoding, tab=suffix == ".tsv")
    from .arrow_sources import JsonLinesSource, ParquetSource

    if suffix == ".jsonl":
        return JsonLinesSource(path, name)
    if not start.startswith(b"PAR1"):
        raise _refuse("table-format", "not a Parquet file (it does not start with PAR1)", name)
    return ParquetSource(path, name)
