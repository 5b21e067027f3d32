"""Results as text for people (table, markdown, explanation) and for machines (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from ..audit.reproduce import Finding, Reproduction
from ..engine.result import IndicatorResult, Result
from ..model.indicator_set import IndicatorSet
from ..numbers import count, plain, round_to, shown

FORMATS = ("table", "json", "csv", "markdown")


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def fixed(value: Decimal, places: int) -> str:
    """``value`` rounded (half-up) and written with exactly ``places`` decimals: 78 → '78.0'."""
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
                cells = [child.label, fixed(child.weight, places), _value(child), points, child.outcome]
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


def _plain_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return shown(value)
    return "missing" if value is None else str(value)


_STATUS_TITLES = {
    "scored": "computed from the unit's figures",
    "judged": "judged by the evaluator",
    "overridden": "overridden by the evaluator",
    "not_applicable": "not applicable",
    "tier": "judged within a tier, without points",
    "unknown": "unknown (no basis in the data)",
}


def reproduction(rep: Reproduction, indicator_set: IndicatorSet) -> str:
    """Plain-text report of :func:`scoring.reproduce`: rows by basis, total, differences, audit, verdict."""
    result, published = rep.result, rep.published
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    shown_total = "—" if published.total is None else plain(published.total)
    lines = [
        _header(result, indicator_set),
        f"Published: total {shown_total}, grade {published.grade or '—'}",
        "",
    ]
    lines.append("Rows")
    by_status = rep.rows_by_basis()
    unknown_rows = [row for row in result.indicators if row.status == "unknown"]
    for status, title in _STATUS_TITLES.items():
        rows = by_status.get(status, [])
        if not rows:
            continue
        lines.append(f"  {title} ({len(rows)}):")
        for row in rows:
            if row.points is None:
                low, high = row.points_range or (Decimal(0), row.weight)
                tier = f" (tier {row._step.tier})" if getattr(row._step, "tier", None) else ""
                figure = f"{fixed(low, places)} to {fixed(high, places)}{tier}"
            else:
                figure = fixed(row.points, places) if row.counted else "left out"
            why = (
                f" — {row.reason}"
                if row.reason and status in ("judged", "overridden", "tier", "unknown")
                else ""
            )
            lines.append(f"    {row.id} {row.label}: {figure} of {plain(row.weight)}{why}")
    lines.append("")
    lines.append("Total")
    if result.total is not None:
        lines.append(f"  computed {fixed(result.total, total_places)}, grade {result.grade}")
    else:
        assert result.total_range is not None and result.unknown_range is not None
        low, high = result.total_range
        lines.append(
            f"  known rows give {plain(result.row_sum)}; the unknown rows can add {plain(result.unknown_range[0])} "
            f"to {plain(result.unknown_range[1])}"
        )
        lines.append(
            f"  so the total lies between {fixed(low, total_places)} and {fixed(high, total_places)}, "
            f"grade {' or '.join(result.grades_possible)}"
        )
        if rep.attainable and rep.required_unknown is not None:
            need_low, need_high = rep.required_unknown
            need = plain(need_low) if need_low == need_high else f"{plain(need_low)} to {plain(need_high)}"
            lines.append(
                f"  the published total {shown_total} is attainable: the unknown rows must add up to {need} points"
            )
        if published.grade is not None and published.grade in result.grades_possible:
            lines.append(f"  the published grade {published.grade} is attainable")
    lines.append("")
    differences, audit = rep.differences, rep.audit_findings
    lines.append(
        f"Reproduction: {'no differences' if not differences else count(len(differences), 'difference')}"
    )
    lines.extend(_finding_lines(differences))
    lines.append(f"Audit of the published table: {'clean' if not audit else count(len(audit), 'finding')}")
    lines.extend(_finding_lines(audit))
    lines.append("")
    if rep.ok:
        verdict = "REPRODUCED — every published figure follows from the data, and the table is consistent"
    elif rep.reproduced:
        verdict = "REPRODUCED, but the published table has inconsistencies (see the audit)"
    elif not result.complete and rep.attainable is not False and not differences:
        verdict = (
            f"NOT DETERMINED — {count(len(unknown_rows), 'row is', 'rows are')} not known exactly; "
            "the published result is attainable"
        )
    else:
        verdict = "NOT REPRODUCED — see the differences above"
    lines.append(verdict)
    return "\n".join(lines) + "\n"


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    lines = []
    for finding in findings:
        lines.append(f"  - [{finding.check}] {finding.message}")
        if finding.trace:
            lines.append(f"      why: {finding.trace}")
    return lines
