"""The outcome of ``scoring reproduce`` as text: rows by basis, total, differences, audit, verdict."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..audit.findings import Finding, Reproduction
from ..formats.unit_format import PublishedRow
from ..model.indicator_set import IndicatorSet
from ..numbers import count, fixed, in_context, plain
from .csv import Cell, at, csv_text
from .gap import gap_lines
from .score import heading
from .text import text_output

_STATUS_TITLES = {
    "scored": "computed from the unit's figures",
    "judged": "judged by the evaluator",
    "overridden": "overridden by the evaluator",
    "not_applicable": "not applicable",
    "tier": "judged within a tier, without points",
    "unknown": "unknown (no basis in the data)",
}


@text_output
@in_context
def reproduction_text(rep: Reproduction, indicator_set: IndicatorSet) -> str:
    """Plain-text report of :func:`scoring.reproduce`: rows by basis, total, differences, audit, verdict."""
    lines = [
        heading(rep.result, indicator_set),
        f"Published: {_published_summary(rep)}",
        "",
        *_rows_section(rep, indicator_set.rounding.places),
        "",
        *_total_section(rep, indicator_set.rounding.total_places),
        "",
        *_figures_section(rep),
        "",
    ]
    if rep.gap:
        lines += ["What would make it hold", *gap_lines(rep.gap, indicator_set, rep.result), ""]
    differences, audit = rep.differences, rep.audit_findings
    lines.append(
        f"Reproduction: {'no differences' if not differences else count(len(differences), 'difference')}"
    )
    lines.extend(_finding_lines(differences))
    lines.append(f"Audit of the published table: {'clean' if not audit else count(len(audit), 'finding')}")
    lines.extend(_finding_lines(audit))
    lines.append("")
    lines.append(_verdict(rep))
    return "\n".join(lines) + "\n"


def _published_summary(rep: Reproduction) -> str:
    """What the published section gives, naming only what it gives."""
    published = rep.published
    parts = []
    if published.total is not None:
        parts.append(f"total {plain(published.total)}")
    if published.grade is not None:
        parts.append(f"grade {published.grade}")
    for entries, one, many in ((published.indicators, "row", "rows"), (published.groups, "subtotal", "subtotals"),
                               (published.values, "value", "values")):  # fmt: skip
        if entries:
            parts.append(count(len(entries), one, many))
    return ", ".join(parts) or "nothing to compare"


_FIGURE_STATUS = {
    "reproduced": "reproduced",
    "consistent": "consistent, not determined",
    "not_reproduced": "NOT reproduced",
}


def _figures_section(rep: Reproduction) -> list[str]:
    """Every published figure with its status."""
    lines = ["Published figures"]
    for figure in rep.figures:
        name = figure.kind if figure.kind in ("total", "grade") else f"{figure.kind} {figure.subject}"
        published = plain(figure.published) if isinstance(figure.published, Decimal) else figure.published
        computed = figure.computed
        shown = plain(computed) if isinstance(computed, Decimal) else computed
        against = f" (computed {shown})" if shown is not None and figure.status != "reproduced" else ""
        lines.append(f"  {name} {published}: {_FIGURE_STATUS[figure.status]}{against}")
    return lines


def _rows_section(rep: Reproduction, places: int) -> list[str]:
    lines = ["Rows"]
    by_status = rep.rows_by_basis()
    for status, title in _STATUS_TITLES.items():
        rows = by_status.get(status, [])
        if not rows:
            continue
        lines.append(f"  {title} ({len(rows)}):")
        for row in rows:
            if row.points is None:
                low, high = row.points_range or (Decimal(0), row.weight)
                tier = f" (tier {row.tier})" if row.tier else ""
                figure = f"{fixed(low, places)} to {fixed(high, places)}{tier}"
            else:
                figure = fixed(row.points, places) if row.counted else "left out"
            explained = row.reason and status in ("judged", "overridden", "tier", "unknown")
            why = f" — {row.reason}" if explained else ""
            lines.append(f"    {row.id} {row.label}: {figure} of {plain(row.weight)}{why}")
    return lines


def _total_section(rep: Reproduction, total_places: int) -> list[str]:
    result, published = rep.result, rep.published
    if result.total is not None:
        return ["Total", f"  computed {fixed(result.total, total_places)}, grade {result.grade}"]
    assert result.total_range is not None and result.unknown_range is not None
    low, high = result.total_range
    lines = [
        "Total",
        f"  known rows give {plain(result.row_sum)}; the unknown rows can add {plain(result.unknown_range[0])} "
        f"to {plain(result.unknown_range[1])}",
        f"  so the total lies between {fixed(low, total_places)} and {fixed(high, total_places)}, "
        f"grade {' or '.join(result.grades_possible)}",
    ]
    if rep.attainable and rep.required_unknown is not None:
        need_low, need_high = rep.required_unknown
        need = plain(need_low) if need_low == need_high else f"{plain(need_low)} to {plain(need_high)}"
        shown_total = "—" if published.total is None else plain(published.total)
        lines.append(
            f"  the published total {shown_total} is attainable: the unknown rows must add up to {need} points"
        )
    if published.grade is not None and published.grade in result.grades_possible:
        lines.append(f"  the published grade {published.grade} is within reach")
    return lines


def _verdict(rep: Reproduction) -> str:
    unknown = sum(1 for row in rep.result.indicators if row.status == "unknown")
    aside = (
        f" ({count(unknown, 'row is', 'rows are')} not known; no published figure depends on them)"
        if unknown and rep.reproduced
        else ""
    )
    if rep.ok:
        return (
            f"REPRODUCED — every published figure follows from the data, and the table is consistent{aside}"
        )
    if rep.reproduced:
        return f"REPRODUCED, but the published table has inconsistencies (see the audit){aside}"
    if rep.verdict == "consistent":
        open_ = sum(1 for figure in rep.figures if figure.status == "consistent")
        return (
            f"NOT DETERMINED — {count(open_, 'published figure depends', 'published figures depend')} on "
            f"{count(unknown, 'row', 'rows')} not known exactly, and lies within what they allow"
        )
    wrong = sum(1 for figure in rep.figures if figure.status == "not_reproduced")
    return f"NOT REPRODUCED — {count(wrong, 'published figure does', 'published figures do')} not follow (see above)"


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    lines = []
    for finding in findings:
        lines.append(f"  - [{finding.check}] {finding.message}")
        if finding.trace:
            lines.append(f"      why: {finding.trace}")
    return lines


@in_context
def reproduction_csv(rep: Reproduction, indicator_set: IndicatorSet) -> str:
    """One row per indicator, then per group, then the total: computed beside published (weights and points
    at ``rounding.places``, the total at ``rounding.total_places``, published figures as printed), and the
    findings about each. Findings about no row (the grade, the table as a whole) go on the total's row."""
    places, tp = indicator_set.rounding.places, indicator_set.rounding.total_places
    header = ["kind", "id", "label", "basis", "weight", "points", "points_low", "points_high", "grade",
              "published", "published_weight", "published_grade", "findings"]  # fmt: skip
    result, published = rep.result, rep.published
    basis = {row.id: status for status, rows in rep.rows_by_basis().items() for row in rows}
    subjects = {row.id for row in result.indicators} | {group.path for group in result.groups}
    findings: dict[str, list[str]] = {}
    for finding in rep.findings:
        subject = finding.subject if finding.subject in subjects else "total"
        findings.setdefault(subject, []).append(f"[{finding.check}] {finding.message}")
    rows: list[list[Cell]] = []
    for row in result.indicators:
        low, high = row.points_range or (None, None)
        shown_points, shown_weight = _published(published.indicators.get(row.id))
        rows.append(["indicator", row.id, row.label, basis.get(row.id, row.status), at(row.weight, places),
                     at(row.points if row.counted else None, places), at(low, places), at(high, places), "",
                     shown_points, shown_weight, "", "; ".join(findings.get(row.id, []))])  # fmt: skip
    for group in result.groups:
        low, high = group.points_range or (None, None)
        shown_points, shown_weight = _published(published.groups.get(group.path))
        rows.append(["group", group.path, group.label, "", at(group.weight, places), at(group.points, places),
                     at(low, places), at(high, places), group.grade, shown_points, shown_weight, "",
                     "; ".join(findings.get(group.path, []))])  # fmt: skip
    low, high = result.total_range or (None, None)
    grade = result.grade or " or ".join(result.grades_possible)
    rows.append(["total", "", result.unit, "", at(result.maximum, tp), at(result.total, tp), at(low, tp),
                 at(high, tp), grade, published.total, None, published.grade or "",
                 "; ".join(findings.get("total", []))])  # fmt: skip
    return csv_text(header, rows)


def _published(entry: Decimal | PublishedRow | None) -> tuple[Decimal | None, Decimal | None]:
    """The points and weight a published table prints for a row (None where it prints nothing)."""
    if entry is None:
        return None, None
    return (entry.points, entry.weight) if isinstance(entry, PublishedRow) else (entry, None)
