r"""Text for people: every character safe to print, column widths as a terminal shows them, fixed-width tables.

Labels, grade labels, unit names and reasons come from files a stranger may have written: a grade label
``"F\x1b[2K\rTotal 9.5 / 10 grade A"`` would make a terminal show a grade the unit did not get, and a
right-to-left override would reorder what follows it. So every text output passes through :func:`safe`
(each renderer is decorated with :func:`text_output`, each table cell is made safe before it is measured):
control characters (C0 but the line break, DEL, C1) and the invisible direction controls are written as
visible escapes (``\x1b``, ``\u202e``) instead.

Every fixed-width table the commands print is laid out by :func:`table_lines`, so they align alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import ParamSpec

#: Characters that could move the cursor, erase, or reorder the text around them: C0 controls (but the
#: line break), DEL, C1 controls, and the bidirectional controls (embeddings, overrides, isolates, marks).
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: The same, and the line break: what a table cell or a one-line field may not hold.
_UNSAFE_INLINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_Params = ParamSpec("_Params")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every control and direction character written as a visible escape (line breaks kept)."""
    return _UNSAFE.sub(_escape, text)


def safe_inline(text: str) -> str:
    """:func:`safe`, and line breaks escaped too: for a table cell or a one-line field."""
    return _UNSAFE_INLINE.sub(_escape, text)


def text_output(render: Callable[_Params, str]) -> Callable[_Params, str]:
    """Decorator for a renderer: its whole output made safe to print (see the module docstring)."""

    @functools.wraps(render)
    def rendered_safely(*args: _Params.args, **kwargs: _Params.kwargs) -> str:
        return safe(render(*args, **kwargs))

    return rendered_safely


#: Categories of characters that take no column of their own (combining marks, format characters such as
#: zero-width spaces and joiners).
_ZERO_WIDTH = frozenset({"Mn", "Me", "Cf"})


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two, combining and zero-width ones none."""
    columns = 0
    for ch in text:
        if unicodedata.category(ch) in _ZERO_WIDTH:
            continue
        columns += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return columns


def pad(text: str, size: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``size`` columns, on the left when ``right``-aligned."""
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def table_lines(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool] | None = None,
    *,
    rule: bool = True,
    last_rule: int | None = None,
) -> list[str]:
    """A fixed-width table: the header, a rule of dashes (unless ``rule`` is False; ``last_rule`` fixes the
    last column's dashes), then the rows. Columns are two spaces apart; trailing spaces are dropped."""
    aligned = list(right) if right is not None else [False] * len(header)
    header = [safe_inline(cell) for cell in header]
    rows = [[safe_inline(cell) for cell in row] for row in rows]
    sizes = [max(width(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            pad(cell, size, align) for cell, size, align in zip(cells, sizes, aligned, strict=True)
        ).rstrip()

    lines = [line(header)]
    if rule:
        dashes = ["-" * size for size in sizes]
        if last_rule is not None:
            dashes[-1] = "-" * last_rule
        lines.append("  ".join(dashes))
    lines.extend(line(row) for row in rows)
    return lines
