"""One unit's result as text for people (table, markdown, explanation) and for machines (CSV)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..engine.result import IndicatorResult, Result
from ..model.indicator_set import IndicatorSet
from ..numbers import count, fixed, in_context, plain, shown, value_text, written_places
from .csv import VALUE_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output

FORMATS = ("table", "json", "csv", "markdown")


def value_with_unit(row: IndicatorResult) -> str:
    """The row's value as a table shows it: two decimals at most, with its unit."""
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
                weight = fixed(group.weight, places)
                if group.points_range is not None:
                    low, high = group.points_range
                    cells = [group.label, weight, "", "?", f"{plain(low)} to {plain(high)}"]
                elif group.points is None or group.percentage is None:  # every member left out (rescale)
                    cells = [group.label, weight, "", "—", "not applicable"]
                else:
                    grade = f"{fixed(group.percentage, places)}% {group.grade or ''}".strip()
                    cells = [
                        group.label,
                        fixed(group.weight, places),
                        "",
                        fixed(group.points, places),
                        grade,
                    ]
                out.append((depth, True, cells))
                emit(child, depth + 1)
            else:
                points = (
                    "—" if not child.counted else "?" if child.points is None else fixed(child.points, places)
                )
                cells = [
                    child.label,
                    fixed(child.weight, places),
                    value_with_unit(child),
                    points,
                    child.outcome,
                ]
                out.append((depth, False, cells))

    emit("", 0)
    return out


def heading(result: Result, indicator_set: IndicatorSet) -> str:
    period = f" · {result.period}" if result.period else ""
    version = f" {indicator_set.version}" if indicator_set.version else ""
    return f"{result.unit}{period} — {indicator_set.title} ({indicator_set.id}{version})"


def total_line(result: Result, indicator_set: IndicatorSet) -> str:
    places = indicator_set.rounding.total_places
    if result.total is None:
        assert result.total_range is not None and result.unknown_range is not None
        low, high = result.total_range
        unknown = sum(1 for row in result.indicators if row.status == "unknown")
        text = (
            f"Total between {fixed(low, places)} and {fixed(high, places)} / {plain(result.maximum)}  "
            f"grade {' or '.join(result.grades_possible)}  ({count(unknown, 'unknown row')}, worth "
            f"{plain(result.unknown_range[0])} to {plain(result.unknown_range[1])})"
        )
    else:
        text = f"Total {fixed(result.total, places)} / {plain(result.maximum)}  grade {result.grade}"
    if result.scale is not None:
        text += (
            f"  (rows {plain(result.row_sum)} of an attainable {plain(result.attainable)}, "
            f"rescaled × {shown(result.scale)})"
        )
    return text


@text_output
@in_context
def table(result: Result, indicator_set: IndicatorSet) -> str:
    """A fixed-width table: groups with subtotals, indicators with value, points and outcome."""
    places = indicator_set.rounding.places
    header = ["Indicator", "Weight", "Value", "Points", "Outcome / grade"]
    cells = [["  " * depth + cell[0], *cell[1:]] for depth, _, cell in _lines(result, places)]
    lines = [heading(result, indicator_set), ""]
    lines += table_lines(header, cells, (False, True, True, True, False), last_rule=15)
    lines.append("")
    lines.append(total_line(result, indicator_set))
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Text that Markdown shows as it is: no HTML (``<script>``, ``<img onerror>``), no links or images made
    from it (``[x](javascript:…)``), no table cell broken by a bar or a line break."""
    text = html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")
    return text.replace("](", "]\\(")


@text_output
@in_context
def markdown(result: Result, indicator_set: IndicatorSet) -> str:
    """A Markdown table, group rows in bold."""
    places = indicator_set.rounding.places
    lines = [f"**{_md_escape(heading(result, indicator_set))}**", ""]
    lines.append("| Indicator | Weight | Value | Points | Outcome / grade |")
    lines.append("|---|---:|---:|---:|---|")
    for depth, is_group, cell in _lines(result, places):
        name = _md_escape(cell[0])
        label = ("&nbsp;" * 4 * depth) + (f"**{name}**" if is_group else name)
        lines.append("| " + " | ".join([label, *(_md_escape(c) for c in cell[1:])]) + " |")
    lines.append("")
    lines.append(f"**{_md_escape(total_line(result, indicator_set))}**")
    return "\n".join(lines) + "\n"


@in_context
def to_csv(result: Result, indicator_set: IndicatorSet | None = None) -> str:
    """One row per indicator, then per group, then the total (column 'kind' says which).

    Weights and points are written at ``rounding.places``, the total at ``rounding.total_places`` (read
    from the result's own rounded figures when ``indicator_set`` is not given), values with at most
    :data:`~scoring.report.csv.VALUE_PLACES` decimals. Unknown points are left empty, with their range in
    points_low/points_high.
    """
    places, total_places = _csv_places(result, indicator_set)
    header = ["kind", "id", "label", "group", "weight", "value", "points", "points_low", "points_high", "grade", "outcome"]  # fmt: skip
    rows: list[list[Cell]] = []
    for row in result.indicators:
        low, high = row.points_range or (None, None)
        points = row.points if row.counted else None
        rows.append(["indicator", row.id, row.label, row.group, at(row.weight, places), upto(row.value, VALUE_PLACES),
                     at(points, places), at(low, places), at(high, places), "", row.outcome])  # fmt: skip
    for group in result.groups:
        low, high = group.points_range or (None, None)
        rows.append(["group", group.path, group.label, "", at(group.weight, places), "", at(group.points, places),
                     at(low, places), at(high, places), group.grade, ""])  # fmt: skip
    low, high = result.total_range or (None, None)
    grade = result.grade or " or ".join(result.grades_possible)
    rows.append(["total", "", result.unit, "", at(result.maximum, total_places), "", at(result.total, total_places),
                 at(low, total_places), at(high, total_places), grade, ""])  # fmt: skip
    return csv_text(header, rows)


def _csv_places(result: Result, indicator_set: IndicatorSet | None) -> tuple[int, int]:
    """The set's (places, total_places), or as the result's rounded points and total are written."""
    if indicator_set is not None:
        return indicator_set.rounding.places, indicator_set.rounding.total_places
    points = [row.points for row in result.indicators if row.points is not None]
    points += [p for row in result.indicators for p in (row.points_range or ())]
    totals = [t for t in (result.total, *(result.total_range or ())) if t is not None]
    return max(map(written_places, points), default=0), max(map(written_places, totals), default=0)


@text_output
@in_context
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
            ("inputs", ", ".join(f"{name} = {value_text(v)}" for name, v in row.inputs.items()) or None),
            ("value", value_with_unit(row) or None),
            ("rule", f"{row.rule} ({definition.rule.direction})"),
            ("source", definition.spec.provenance),
            ("outcome", row.outcome),
            ("points", _points_text(row, places)),
        ]
        lines.extend(f"  {name:<9}{text}" for name, text in fields if text)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _points_text(row: IndicatorResult, places: int) -> str:
    if row.points is None or row.points_exact is None:
        low, high = row.points_range or (Decimal(0), row.weight)
        return f"unknown, {fixed(low, places)} to {fixed(high, places)} of {plain(row.weight)}"
    exact = f" (exact {shown(row.points_exact, 12)})" if row.points_exact != row.points else ""
    return f"{fixed(row.points, places)} of {plain(row.weight)}{exact}"
