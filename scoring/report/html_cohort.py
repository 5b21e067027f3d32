"""A cohort's HTML report: the grade distribution, every unit ranked (sortable, filterable), and where the
units stand on each indicator.

The input is the wide table of :func:`scoring.batch.output.wide_tables` (a pyarrow table).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain, round_to
from .html_page import chart, data_script, escape, generated_note, page, plotly, section, table

#: Units drawn as points beside each indicator's box; beyond this only the boxes are drawn (a page of a
#: million points would not open).
_MOST_POINTS = 2_000


def _grades_chart(rows: list[dict[str, Any]], indicator_set: IndicatorSet, texts: Catalogue) -> str:
    go = plotly()
    labels = [grade.label for grade in indicator_set.grades]
    counts = [sum(1 for row in rows if row["grade"] == label) for label in labels]
    colours = ["#63BE7B", "#5B9BD5", "#FFC000", "#E06666"]
    bar_colours = [
        colours[0 if len(labels) < 2 else round(i * 3 / (len(labels) - 1))] for i in range(len(labels))
    ]
    figure = go.Figure(go.Bar(x=labels, y=counts, marker_color=bar_colours, text=counts))
    figure.update_layout(
        title=texts.text("report.grade_distribution"),
        yaxis_title=texts.text("report.units_count"),
        height=320,
    )
    return chart(figure, "grades")


def _ranked(rows: list[dict[str, Any]], indicator_set: IndicatorSet, texts: Catalogue) -> str:
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    labels = [grade.label for grade in indicator_set.grades]
    top = [group for group in indicator_set.groups if "/" not in group.path]
    header = [
        (texts.text("column.rank"), True),
        (texts.text("column.unit"), False),
        (texts.text("column.total"), True),
        (texts.text("column.grade"), False),
        (texts.text("column.status"), False),
        *((group.label, True) for group in top),
    ]
    cells = []
    for row in rows:
        total = row["total"]
        grade = row["grade"] or ""
        band = f"grade-{min(labels.index(grade), 3)}" if grade in labels else ""
        line: list[tuple[str, str | None, str]] = [
            (str(row["rank"] or ""), str(row["rank"] or ""), "n rank"),
            (row["unit"], None, "unit"),
            _number(total, total_places, row["total_range"] or "", "n total"),
            (grade, None, band),
            (texts.text(f"status.{row['status']}"), None, ""),
        ]
        line += [_number(row.get(group.path), places, "", "n") for group in top]
        cells.append(line)
    search = f'<input class="filter" data-table="ranked" placeholder="{escape(texts.text("report.filter"))}">'
    return search + table(header, cells, table_id="ranked", sortable=True)


def _number(value: Decimal | None, places: int, otherwise: str, css: str) -> tuple[str, str | None, str]:
    """A table cell of a number shown at ``places`` with its exact value (``otherwise`` when None)."""
    if value is None:
        return (otherwise, None, css)
    return (fixed(value, places), plain(value), css)


def _spread_chart(rows: list[dict[str, Any]], indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """Each indicator's points as a share of its weight over the units: a box, and the units as points."""
    go = plotly()
    figure = go.Figure()
    show_points = "all" if len(rows) <= _MOST_POINTS else False
    for indicator in indicator_set.indicators:
        shares, names = [], []
        for row in rows:
            points = row.get(indicator.id)
            if points is not None and indicator.weight:
                shares.append(float(points / indicator.weight * 100))
                names.append(row["unit"])
        figure.add_trace(
            go.Box(y=shares, name=indicator.label, boxpoints=show_points, text=names, jitter=0.4, pointpos=0)
        )
    figure.update_layout(
        title=texts.text("report.indicator_spread"),
        yaxis_title=texts.text("report.share"),
        showlegend=False,
        height=460,
    )
    return chart(figure, "indicator-spread")


def _frequent(rows: list[dict[str, Any]], indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """Each indicator on which some unit lost points: how many units, the points lost in all and per
    unit scored on it, the most frequent first."""
    places = indicator_set.rounding.places
    lines = []
    for indicator in indicator_set.indicators:
        scored = [row[indicator.id] for row in rows if row.get(indicator.id) is not None]
        lost = [indicator.weight - points for points in scored if points < indicator.weight]
        if lost:
            total = sum(lost, Decimal(0))
            mean = round_to(total / len(scored), places, indicator_set.rounding.mode)
            lines.append((len(lost), total, mean, indicator.label))
    lines.sort(key=lambda line: (-line[0], -line[1]))
    header = [
        (texts.text("column.indicator"), False),
        (texts.text("report.units_losing"), True),
        (texts.text("report.total_lost"), True),
        (texts.text("report.mean_lost"), True),
    ]
    cells = [
        [
            (label, None, ""),
            (str(count), str(count), "n"),
            (fixed(total, places), plain(total), "n"),
            (fixed(mean, places), plain(mean), "n"),
        ]
        for count, total, mean, label in lines
    ]
    return table(header, cells, table_id="frequent", sortable=True)


def cohort_report(scores: Any, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """The cohort's report as one self-contained HTML document."""
    rows: list[dict[str, Any]] = sorted(
        scores.to_pylist(), key=lambda row: (row["rank"] is None, row["rank"] or 0)
    )
    failed = sum(1 for row in rows if row["status"] == "error")
    sections = [
        section(texts.text("report.grade_distribution"), _grades_chart(rows, indicator_set, texts), "grades"),
        section(texts.text("report.ranked"), _ranked(rows, indicator_set, texts), "ranked"),
        section(texts.text("report.indicator_spread"), _spread_chart(rows, indicator_set, texts), "spread"),
        section(texts.text("report.frequent"), _frequent(rows, indicator_set, texts), "frequent"),
        data_script(
            "figures", {row["unit"]: None if row["total"] is None else plain(row["total"]) for row in rows}
        ),
    ]
    if failed:
        sections.insert(0, f'<p class="failed">{escape(texts.text("report.failed_rows", count=failed))}</p>')
    title = texts.text("report.cohort_title", title=indicator_set.title, count=len(rows))
    note = generated_note(texts, indicator_set)
    return page(title, texts.language, sections, note)
