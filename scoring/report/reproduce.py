"""The outcome of ``scoring reproduce`` as text: rows by basis, total, differences, audit, verdict."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..audit.findings import Finding, Reproduction
from ..engine.result import Result
from ..formats.unit_format import PublishedRow
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, in_context, plain
from ..rules.base import english
from .csv import Cell, at, csv_text
from .gap import gap_lines
from .panel import panel_check_lines
from .problems import finding_text
from .reproduce_figures import finding_trace, published_summary
from .score import heading, number_of
from .text import text_output


@text_output
@in_context
def reproduction_text(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue | None = None) -> str:
    """Plain-text report of :func:`scoring.reproduce`: rows by basis, total, each published figure's status,
    what would make it hold, differences, audit, verdict; in the language of ``texts`` (English when not
    given), the findings' messages too where the catalogue's patterns say them."""
    texts = texts or english()
    t = "reproduce.text."
    lines = [
        heading(rep.result, indicator_set, texts),
        texts.text(t + "published", what=published_summary(rep, texts)),
        "",
        *_rows_section(rep, indicator_set.rounding.places, texts),
        "",
        *_total_section(rep, indicator_set.rounding.total_places, texts),
        "",
        *_figures_section(rep, indicator_set, texts),
        "",
        *panel_check_lines(rep.panels, texts),
    ]
    if rep.gap:
        lines += [texts.text(t + "gap"), *gap_lines(rep.gap, indicator_set, rep.result, texts), ""]
    differences, audit = rep.differences, rep.audit_findings
    what = (
        number_of(texts, t + "differences", len(differences))
        if differences
        else texts.text(t + "no_differences")
    )
    lines.append(texts.text(t + "differences", what=what))
    lines.extend(_finding_lines(differences, texts, rep.result))
    what = number_of(texts, t + "findings", len(audit)) if audit else texts.text(t + "clean")
    lines.append(texts.text(t + "audit", what=what))
    lines.extend(_finding_lines(audit, texts, rep.result))
    lines.append("")
    lines.append(_verdict(rep, texts))
    return "\n".join(lines) + "\n"


def _figures_section(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> list[str]:
    """Every published figure with its status."""
    t = "reproduce.text."
    lines = [texts.text(t + "figures")]
    for figure in rep.figures:
        kind = texts.text(f"{t}kind.{figure.kind}")
        name = kind if figure.kind in ("total", "grade") else f"{kind} {figure.subject}"
        published = (
            format(figure.published, "f") if isinstance(figure.published, Decimal) else figure.published
        )
        places = (
            indicator_set.rounding.total_places if figure.kind == "total" else indicator_set.rounding.places
        )
        shown = _computed_text(rep, figure.kind, figure.subject, figure.computed, texts, places)
        against = (
            texts.text(t + "against", computed=shown)
            if shown is not None and figure.status != "reproduced"
            else ""
        )
        status = texts.text(f"{t}status.{figure.status}")
        lines.append(texts.text(t + "figure", name=name, published=published, status=status, against=against))
    return lines


def _computed_text(
    rep: Reproduction, kind: str, subject: str, computed: object, texts: Catalogue, places: int
) -> str | None:
    """The computed figure in the report's language: a number, a range of points, or the grades possible."""
    t, result = "reproduce.text.", rep.result
    if isinstance(computed, Decimal):
        return plain(computed)
    span = None
    if kind == "total":
        span = result.total_range
    elif kind == "indicator":
        span = next((row.points_range for row in result.indicators if row.id == subject), None)
    elif kind == "group":
        span = next((group.points_range for group in result.groups if group.path == subject), None)
    elif kind == "grade" and result.grade is None:
        return texts.text(t + "grades_or").join(result.grades_possible)
    if span is not None:
        return texts.text(t + "range", low=fixed(span[0], places), high=fixed(span[1], places))
    return None if computed is None else str(computed)


_BASES = ("scored", "judged", "overridden", "not_applicable", "tier", "unknown")


def _rows_section(rep: Reproduction, places: int, texts: Catalogue) -> list[str]:
    t = "reproduce.text."
    lines = [texts.text(t + "rows")]
    by_status = rep.rows_by_basis()
    for status in _BASES:
        rows = by_status.get(status, [])
        if not rows:
            continue
        lines.append(texts.text(t + "basis", title=texts.text(f"reproduce.basis.{status}"), n=len(rows)))
        for row in rows:
            if row.points is None:
                low, high = row.points_range or (Decimal(0), row.weight)
                tier = texts.text(t + "tier", tier=row.tier) if row.tier else ""
                figure = texts.text(t + "range", low=fixed(low, places), high=fixed(high, places)) + tier
            else:
                figure = fixed(row.points, places) if row.counted else texts.text(t + "left_out")
            explained = row.reason and status in ("judged", "overridden", "tier", "unknown")
            why = f" — {row.reason}" if explained else ""
            lines.append(texts.text(t + "row", id=row.id, label=row.label, figure=figure, weight=plain(row.weight),
                                    why=why))  # fmt: skip
    return lines


def _total_section(rep: Reproduction, total_places: int, texts: Catalogue) -> list[str]:
    result, published, t = rep.result, rep.published, "reproduce.text."
    heading_line = texts.text(t + "total_heading")
    if result.total is not None:
        return [
            heading_line,
            texts.text(t + "computed", total=fixed(result.total, total_places), grade=result.grade),
        ]
    assert result.total_range is not None and result.unknown_range is not None
    low, high = result.total_range
    lines = [
        heading_line,
        texts.text(
            t + "known",
            known=plain(result.row_sum),
            low=plain(result.unknown_range[0]),
            high=plain(result.unknown_range[1]),
        ),
        texts.text(
            t + "lies",
            low=fixed(low, total_places),
            high=fixed(high, total_places),
            grades=texts.text(t + "grades_or").join(result.grades_possible),
        ),
    ]
    if rep.attainable and rep.required_unknown is not None and published.total is not None:
        need_low, need_high = rep.required_unknown
        need = plain(need_low) if need_low == need_high else texts.text(t + "range", low=plain(need_low),
                                                                          high=plain(need_high))  # fmt: skip
        lines.append(texts.text(t + "attainable", total=plain(published.total), need=need))
    if published.grade is not None and published.grade in result.grades_possible:
        lines.append(texts.text(t + "grade_within", grade=published.grade))
    return lines


def _verdict(rep: Reproduction, texts: Catalogue) -> str:
    t = "reproduce.text."
    unknown = sum(1 for row in rep.result.indicators if row.status == "unknown")
    aside = number_of(texts, t + "aside", unknown) if unknown and rep.reproduced else ""
    if rep.ok:
        return texts.text(t + "verdict_ok", aside=aside)
    if rep.reproduced:
        return texts.text(t + "verdict_audit", aside=aside)
    if not rep.figures:
        return texts.text(t + "verdict_nothing")
    if rep.verdict == "consistent":
        open_ = sum(1 for figure in rep.figures if figure.status == "consistent")
        key = "verdict_open" if rep.audit_clean else "verdict_open_audit"
        return texts.text(t + key, figures=number_of(texts, t + "open_figures", open_),
                          rows=number_of(texts, t + "open_rows", unknown))  # fmt: skip
    wrong = sum(1 for figure in rep.figures if figure.status == "not_reproduced")
    return number_of(texts, t + "verdict_not", wrong)


def _finding_lines(findings: Sequence[Finding], texts: Catalogue, result: Result) -> list[str]:
    """Each finding's message in the language (the audit's English when no pattern says it), then its
    row's trace."""
    lines = []
    for finding in findings:
        lines.append(f"  - [{finding.check}] {finding_text(finding.check, finding.message, texts)}")
        if finding.trace:
            lines.append(texts.text("reproduce.text.why", trace=finding_trace(finding, texts, result)))
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
