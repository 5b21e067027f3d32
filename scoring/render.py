"""Results as text for people (table, markdown, explanation) and for machines (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from .definition import IndicatorSet
from .numbers import plain, round_to, shown
from .result import IndicatorResult, Result

FORMATS = ("table", "json", "csv", "markdown")


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def _fixed(value: Decimal, places: int) -> str:
    return format(round_to(value, places), "f")


def _value(row: IndicatorResult) -> str:
    if row.value is None:
        return ""
    if isinstance(row.value, bool):
        return "true" if row.value else "false"
    unit = row.unit or ""
    return f"{shown(row.value, 2)}{unit if unit in ('%', '‰') else (' ' + unit if unit else '')}"


def _lines(result: Result, places: int) -> list[tuple[int, bool, list[str]]]:
    """(depth, is_group, cells) rows: the group tree in order of first appearance, each group's subtotal
    above its members, even when the set lists a group's indicators apart from each other."""
    groups = {group.path: group for group in result.groups}
    children: dict[str, list[str | IndicatorResult]] = {"": []}
    for row in result.indicators:
        parts = row.group.split("/") if row.group else []
        for depth in range(len(parts)):
            parent, path = "/".join(parts[:depth]), "/".join(parts[: depth + 1])
            if path not in children:
                children[path] = []
                children[parent].append(path)
        children["/".join(parts)].append(row)
    out: list[tuple[int, bool, list[str]]] = []

    def emit(path: str, depth: int) -> None:
        for child in children[path]:
            if isinstance(child, str):
                group = groups[child]
                if group.points is None or group.percentage is None:
                    assert group.points_range is not None
                    low, high = group.points_range
                    cells = [
                        group.label,
                        _fixed(group.weight, places),
                        "",
                        "?",
                        f"{plain(low)} to {plain(high)}",
                    ]
                else:
                    grade = f"{_fixed(group.percentage, places)}% {group.grade or ''}".strip()
                    cells = [
                        group.label,
                        _fixed(group.weight, places),
                        "",
                        _fixed(group.points, places),
                        grade,
                    ]
                out.append((depth, True, cells))
                emit(child, depth + 1)
            else:
                points = (
                    "—"
                    if not child.counted
                    else "?"
                    if child.points is None
                    else _fixed(child.points, places)
                )
                cells = [child.label, _fixed(child.weight, places), _value(child), points, child.outcome]
                out.append((depth, False, cells))

    emit("", 0)
    return out


def _header(result: Result, indicator_set: IndicatorSet) -> str:
    period = f" · {result.period}" if result.period else ""
    version = f" {indicator_set.version}" if indicator_set.version else ""
    return f"{result.unit}{period} — {indicator_set.title} ({indicator_set.id}{version})"


def _total_line(result: Result, indicator_set: IndicatorSet) -> str:
    places = indicator_set.rounding.total_places
    if result.total is None:
        assert result.total_range is not None and result.unknown_range is not None
        low, high = result.total_range
        unknown = sum(1 for row in result.indicators if row.status == "unknown")
        text = (
            f"Total between {_fixed(low, places)} and {_fixed(high, places)} / {plain(result.maximum)}  "
            f"grade {' or '.join(result.grades_possible)}  ({unknown} unknown rows, worth "
            f"{plain(result.unknown_range[0])} to {plain(result.unknown_range[1])})"
        )
    else:
        text = f"Total {_fixed(result.total, places)} / {plain(result.maximum)}  grade {result.grade}"
    if result.scale is not None:
        text += (
            f"  (rows {plain(result.row_sum)} of an attainable {plain(result.attainable)}, "
            f"rescaled × {shown(result.scale)})"
        )
    return text


def table(result: Result, indicator_set: IndicatorSet) -> str:
    """A fixed-width table: groups with subtotals, indicators with value, points and outcome."""
    places = indicator_set.rounding.places
    header = ["Indicator", "Weight", "Value", "Points", "Outcome / grade"]
    rows = _lines(result, places)
    cells = [(depth, ["  " * depth + cell[0], *cell[1:]]) for depth, _, cell in rows]
    sizes = [max([width(header[i])] + [width(c[i]) for _, c in cells]) for i in range(4)]
    right = (False, True, True, True)
    lines = [_header(result, indicator_set), ""]
    lines.append("  ".join(_pad(header[i], sizes[i], right[i]) for i in range(4)) + "  " + header[4])
    lines.append("  ".join("-" * size for size in sizes) + "  " + "-" * 15)
    for _, cell in cells:
        lines.append(
            ("  ".join(_pad(cell[i], sizes[i], right[i]) for i in range(4)) + "  " + cell[4]).rstrip()
        )
    lines.append("")
    lines.append(_total_line(result, indicator_set))
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(result: Result, indicator_set: IndicatorSet) -> str:
    """A Markdown table, group rows in bold."""
    places = indicator_set.rounding.places
    lines = [f"**{_md_escape(_header(result, indicator_set))}**", ""]
    lines.append("| Indicator | Weight | Value | Points | Outcome / grade |")
    lines.append("|---|---:|---:|---:|---|")
    for depth, is_group, cell in _lines(result, places):
        name = _md_escape(cell[0])
        label = ("&nbsp;" * 4 * depth) + (f"**{name}**" if is_group else name)
        lines.append("| " + " | ".join([label, *(_md_escape(c) for c in cell[1:])]) + " |")
    lines.append("")
    lines.append(f"**{_md_escape(_total_line(result, indicator_set))}**")
    return "\n".join(lines) + "\n"


def to_csv(result: Result) -> str:
    """One row per indicator, then per group, then the total (column 'kind' says which).

    Unknown points are left empty, with their range in points_low/points_high.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "kind",
            "id",
            "label",
            "group",
            "weight",
            "value",
            "points",
            "points_low",
            "points_high",
            "grade",
            "outcome",
        ]
    )

    def number(value: Decimal | None) -> str:
        return "" if value is None else plain(value)

    for row in result.indicators:
        value = (
            ""
            if row.value is None
            else (str(row.value).lower() if isinstance(row.value, bool) else plain(row.value))
        )
        points = number(row.points) if row.counted else ""
        low, high = row.points_range or (None, None)
        writer.writerow(
            ["indicator", row.id, row.label, row.group or "", plain(row.weight), value, points,
             number(low), number(high), "", row.outcome]
        )  # fmt: skip
    for group in result.groups:
        low, high = group.points_range or (None, None)
        writer.writerow(
            ["group", group.path, group.label, "", plain(group.weight), "", number(group.points),
             number(low), number(high), group.grade or "", ""]
        )  # fmt: skip
    low, high = result.total_range or (None, None)
    grade = result.grade or " or ".join(result.grades_possible)
    writer.writerow(
        ["total", "", result.unit, "", plain(result.maximum), "", number(result.total),
         number(low), number(high), grade, ""]
    )  # fmt: skip
    return buffer.getvalue()


def explain(result: Result, indicator_set: IndicatorSet, ids: Sequence[str] = ()) -> str:
    """Why each indicator (or those named) got its points: definition, inputs, value, rule step, points."""
    chosen: Iterable[IndicatorResult] = [result.indicator(i) for i in ids] if ids else result.indicators
    places = indicator_set.rounding.places
    blocks = []
    for row in chosen:
        definition = indicator_set.indicator(row.id)
        lines = [f"{row.id} — {row.label}" + (f"  [{row.group}]" if row.group else "")]
        fields: list[tuple[str, Any]] = [
            ("meaning", definition.spec.description),
            ("criteria", definition.spec.criteria),
            ("formula", row.formula),
            ("inputs", ", ".join(f"{name} = {_plain_value(v)}" for name, v in row.inputs.items()) or None),
            ("value", _value(row) or None),
            ("rule", f"{row.rule} ({definition.rule.direction})"),
            ("outcome", row.outcome),
            ("points", _points_text(row, places)),
        ]
        lines.extend(f"  {name:<9}{text}" for name, text in fields if text)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _points_text(row: IndicatorResult, places: int) -> str:
    if row.points is None or row.points_exact is None:
        low, high = row.points_range or (Decimal(0), row.weight)
        return f"unknown, {_fixed(low, places)} to {_fixed(high, places)} of {plain(row.weight)}"
    exact = f" (exact {shown(row.points_exact, 6)})" if row.points_exact != row.points else ""
    return f"{_fixed(row.points, places)} of {plain(row.weight)}{exact}"


def _plain_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return shown(value)
    return "missing" if value is None else str(value)
