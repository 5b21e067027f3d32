"""Tables of units — CSV/TSV, Excel, Parquet and JSON Lines files, and data frames — read as chunks of text
cells with the place of every cell, and clear errors.

Every cell comes as text (or null when empty), so numbers are parsed once, exactly, by the caller. pyarrow
(and python-calamine for Excel) are optional: they are imported when a table is first opened, and their
absence is a ``needs-tables`` problem.
"""

from __future__ import annotations

from .arrow_sources import frame_source
from .opening import TABLE_SUFFIXES, open_table
from .source import TableChunk, TableSource

__all__ = ["TABLE_SUFFIXES", "TableChunk", "TableSource", "frame_source", "open_table"]
