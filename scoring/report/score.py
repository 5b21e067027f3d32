"""One unit's result as text for people (table, markdown, explanation) and for machines (CSV).

The texts for people speak the language of the catalogue they are given (``texts``; English when not given):
headers, the total line and every row's outcome (the catalogue's ``text.`` and ``outcome.`` sections)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..engine.result import IndicatorResult, Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, in_context, plain, shown, value_text, written_places
from ..rules.base import english
from .csv import VALUE_PLACES, Cell, at, csv_text, upto
from .text import pad, table_lines, text_output, width

FORMATS = ("table", "json", "csv", "markdown")


def number_of(texts: Catalogue, key: str, n: int) -> str:
    """``n`` things in words: the catalogue's ``<key>_one`` for one, ``<key>_many`` otherwise."""
    return texts.text(f"{key}_{'one' if n == 1 else 'many'}", n=n)


def _value_text(value: object, texts: Catalogue) -> str:
    """An input's value as the trace shows it, true/false and a missing value in words."""
    if isinstance(value, bool):
        return texts.text("text.value_true" if value else "text.value_false")
    return texts.text("text.missing") if value is None else value_text(value)


def value_with_unit(row: IndicatorResult, texts: Catalogue | None = None) -> str:
    """The row's value as a table shows it: two decimals at most, with its unit (true/false in the words of
    ``texts``, English when not given)."""
    if row.value is None:
        return ""
    if isinstance(row.value, bool):
        return _value_text(row.value, texts or english())
    if isinstance(row.value, str):
        return row.value  # a text or a date, as the unit gave it
    unit = row.unit or ""
    return f"{shown(row.value, 2)}{unit if unit in ('%', '‰') else (' ' + unit if unit else '')}"


def group_tree(result: Result) -> dict[str, list[str | IndicatorResult]]:
    """Each group's children in order of first appearance (``""`` is the top): the paths of its groups and
    its indicators' rows, even when the set lists a group's indicators apart from each other."""
    children: dict[str, list[str | IndicatorResult]] = {"": []}
    for row in result.indicators:
        parts = row.group.split("/") if row.group else []
        for depth in range(len(parts)):
            parent, path = "/".join(parts[:depth]), "/".join(parts[: depth + 1])
            if path not in children:
                children[path] = []
                children[parent].append(path)
        children["/".join(parts)].append(row)
    return children


def _lines(result: Result, places: int, texts: Catalogue) -> list[tuple[int, bool, list[str]]]:
    """(depth, is_group, cells) rows: the group tree in order of first appearance, each group's subtotal
    above its members, even when the set lists a group's indicators apart from each other."""
    groups = {group.path: group for group in result.groups}
    children = group_tree(result)
    out: list[tuple[int, bool, list[str]]] = []

    def emit(path: str, depth: int) -> None:
        for child in children[path]:
            if isinstance(child, str):
                group = groups[child]
                weight = fixed(group.weight, places)
                if group.points_range is not None:
                    low, high = group.points_range
                    cells = [
                        group.label,
                        weight,
                        "",
                        "?",
                        texts.text("text.group_range", low=plain(low), high=plain(high)),
                    ]
                elif group.points is None or group.percentage is None:  # every member left out (rescale)
                    cells = [group.label, weight, "", "—", texts.text("text.group_not_applicable")]
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
                    value_with_unit(child, texts),
                    points,
                    child.outcome_text(texts),
                ]
                out.append((depth, False, cells))

    emit("", 0)
    return out


def heading(result: Result, indicator_set: IndicatorSet, texts: Catalogue | None = None) -> str:
    """The unit, its period and the set (title, id, version) on one line."""
    return (texts or english()).text(
        "text.heading",
        unit=result.unit,
        period=f" · {result.period}" if result.period else "",
        title=indicator_set.title,
        id=indicator_set.id,
        version=f" {indicator_set.version}" if indicator_set.version else "",
    )


def total_line(result: Result, indicator_set: IndicatorSet, texts: Catalogue | None = None) -> str:
    """The total and grade (or their range, with the unknown rows), and the rescaling when rows were left out."""
    texts = texts or english()
    places = indicator_set.rounding.total_places
    maximum = plain(result.maximum)
    if result.total is None:
        assert result.total_range is not None and result.unknown_range is not None
        low, high = result.total_range
        unknown = sum(1 for row in result.indicators if row.status == "unknown")
        text = texts.text(
            "text.total_range",
            low=fixed(low, places),
            high=fixed(high, places),
            maximum=maximum,
            grades=texts.text("text.grades_or").join(result.grades_possible),
            unknown=number_of(texts, "text.unknown_rows", unknown),
            unknown_low=plain(result.unknown_range[0]),
            unknown_high=plain(result.unknown_range[1]),
        )
    else:
        text = texts.text(
            "text.total", total=fixed(result.total, places), maximum=maximum, grade=result.grade
        )
    if result.scale is not None:
        text += texts.text(
            "text.rescaled",
            row_sum=plain(result.row_sum),
            attainable=plain(result.attainable),
            scale=shown(result.scale),
        )
    return text


def _header(texts: Catalogue) -> list[str]:
    return [
        texts.text(f"text.header.{name}") for name in ("indicator", "weight", "value", "points", "outcome")
    ]


@text_output
@in_context
def table(result: Result, indicator_set: IndicatorSet, texts: Catalogue | None = None) -> str:
    """A fixed-width table: groups with subtotals, indicators with value, points and outcome, in the language
    of ``texts`` (English when not given)."""
    texts = texts or english()
    places = indicator_set.rounding.places
    header = _header(texts)
    cells = [["  " * depth + cell[0], *cell[1:]] for depth, _, cell in _lines(result, places, texts)]
    lines = [heading(result, indicator_set, texts), ""]
    rule = max(15, width(header[-1]))
    lines += table_lines(header, cells, (False, True, True, True, False), last_rule=rule)
    lines.append("")
    lines.append(total_line(result, indicator_set, texts))
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Text that Markdown shows as it is: no HTML (``<script>``, ``<img onerror>``), no links or images made
    from it (``[x](javascript:…)``), no table cell broken by a bar or a line break."""
    text = html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")
    return text.replace("](", "]\\(")


@text_output
@in_context
def markdown(result: Result, indicator_set: IndicatorSet, texts: Catalogue | None = None) -> str:
    """A Markdown table, group rows in bold, in the language of ``texts`` (English when not given)."""
    texts = texts or english()
    places = indicator_set.rounding.places
    lines = [f"**{_md_escape(heading(result, indicator_set, texts))}**", ""]
    lines.append("| " + " | ".join(_md_escape(cell) for cell in _header(texts)) + " |")
    lines.append("|---|---:|---:|---:|---|")
    for depth, is_group, cell in _lines(result, places, texts):
        name = _md_escape(cell[0])
        label = ("&nbsp;" * 4 * depth) + (f"**{name}**" if is_group else name)
        lines.append("| " + " | ".join([label, *(_md_escape(c) for c in cell[1:])]) + " |")
    lines.append("")
    lines.append(f"**{_md_escape(total_line(result, indicator_set, texts))}**")
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
def explain(
    result: Result, indicator_set: IndicatorSet, ids: Sequence[str] = (), texts: Catalogue | None = None
) -> str:
    """Why each indicator (or those named) got its points: definition, inputs, value, rule step, points; in the
    language of ``texts`` (English when not given)."""
    texts = texts or english()
    chosen: Iterable[IndicatorResult] = [result.indicator(i) for i in ids] if ids else result.indicators
    names = {name: texts.text(f"text.explain.{name}") for name in _EXPLAINED}
    size = max(map(width, names.values())) + 1
    blocks = []
    for row in chosen:
        group = texts.text("text.explain.group", group=row.group) if row.group else ""
        lines = [texts.text("text.explain.title", id=row.id, label=row.label, group=group)]
        fields = _explained(row, indicator_set, texts)
        lines.extend(f"  {pad(names[name], size)}{text}" for name, text in fields if text)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


#: The fields of an explained row, in order (their names: ``text.explain.<field>``).
_EXPLAINED = ("meaning", "criteria", "formula", "inputs", "value", "rule", "source", "outcome", "points")


def _explained(row: IndicatorResult, indicator_set: IndicatorSet, texts: Catalogue) -> list[tuple[str, Any]]:
    """Each field of an explained row with its text (None or empty when the row has none)."""
    definition = indicator_set.indicator(row.id)
    inputs = [f"{name} = {_value_text(v, texts)}" for name, v in row.inputs.items()]
    rule = texts.text(
        "text.explain.rule_kind",
        kind=_kind_name(row.rule, texts),
        direction=texts.text(f"text.direction.{definition.rule.direction}"),
    )
    return [
        ("meaning", definition.spec.description),
        ("criteria", definition.spec.criteria),
        ("formula", row.formula),
        ("inputs", texts.text("text.separator").join(inputs) or None),
        ("value", value_with_unit(row, texts) or None),
        ("rule", rule),
        ("source", definition.spec.provenance),
        ("outcome", row.outcome_text(texts)),
        ("points", _points_text(row, indicator_set.rounding.places, texts)),
    ]


def _kind_name(kind: str, texts: Catalogue) -> str:
    """A rule kind in words (the kind itself when the catalogue has no name for it)."""
    try:
        return texts.text(f"text.kind.{kind}")
    except KeyError:
        return kind


def _points_text(row: IndicatorResult, places: int, texts: Catalogue) -> str:
    if row.points is None or row.points_exact is None:
        low, high = row.points_range or (Decimal(0), row.weight)
        return texts.text(
            "text.explain.unknown", low=fixed(low, places), high=fixed(high, places), weight=plain(row.weight)
        )
    exact = (
        texts.text("text.explain.exact", exact=shown(row.points_exact, 12))
        if row.points_exact != row.points
        else ""
    )
    return texts.text(
        "text.explain.points_of", points=fixed(row.points, places), weight=plain(row.weight), exact=exact
    )
