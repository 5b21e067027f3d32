"""Text for people: column widths as a terminal shows them, and fixed-width tables.

Every fixed-width table the commands print is laid out by :func:`table_lines`, so they align alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

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
