"""Each cohort analysis as a chart (plotly): ``tune`` as a before/after slope chart with grade changes
marked, effective weights as bars (declared beside effective), ``sensitivity`` as a tornado, ``montecarlo``
as rank intervals, ``margins`` as the points to the next grade up.

Charts of one mark per unit stop at :data:`MOST_MARKS` units (the most in need of attention first: the
largest moves, the widest intervals, the nearest to a grade): a page with a hundred thousand lines would
not open; the tables and workbooks keep every unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..analysis.effective_weights import EffectiveWeights
from ..analysis.margins import MarginsReport
from ..analysis.montecarlo import MonteCarloReport
from ..analysis.sensitivity import SensitivityReport
from ..analysis.tune import TuneReport
from ..language import Catalogue
from .html_page import chart, plotly

MOST_MARKS = 300
_CHANGED, _KEPT = "#C0504D", "#9DB3D1"


def tune_chart(report: TuneReport, texts: Catalogue) -> str:
    go = plotly()
    units = sorted(report.units, key=lambda u: (u.grade_before == u.grade_after, -abs(u.after - u.before)))
    figure = go.Figure()
    for unit in units[:MOST_MARKS]:
        changed = unit.grade_before != unit.grade_after
        figure.add_trace(
            go.Scatter(
                x=[texts.text("report.before"), texts.text("report.after")],
                y=[float(unit.before), float(unit.after)],
                mode="lines+markers",
                name=unit.unit,
                line={"color": _CHANGED if changed else _KEPT, "width": 2.5 if changed else 1},
                hovertext=f"{unit.unit}: {unit.grade_before} → {unit.grade_after}",
                showlegend=False,
            )
        )
    figure.update_layout(
        title=texts.text("report.tune_title"), height=520, yaxis_title=texts.text("column.total")
    )
    return chart(figure, "tune")


def weights_chart(report: EffectiveWeights, texts: Catalogue) -> str:
    go = plotly()
    labels = [item.label for item in report.indicators]
    declared = [float(item.nominal_share * 100) for item in report.indicators]
    effective = [float((item.variation_share or 0) * 100) for item in report.indicators]
    figure = go.Figure(
        [
            go.Bar(x=labels, y=declared, name=texts.text("column.declared"), marker_color="#9DB3D1"),
            go.Bar(x=labels, y=effective, name=texts.text("column.effective"), marker_color="#C0504D"),
        ]
    )
    figure.update_layout(
        title=texts.text("report.weights_title"), barmode="group", height=460, yaxis_title="%"
    )
    return chart(figure, "weights")


def sensitivity_chart(report: SensitivityReport, texts: Catalogue) -> str:
    """A tornado: for each weight, the mean change of the total when it is raised (right) and lowered
    (left), the most influential on top."""
    go = plotly()
    means: dict[str, dict[int, float]] = {}
    for step in report.steps:
        if step.skipped is None and step.changes:
            mean = float(sum(step.changes) / len(step.changes))
            means.setdefault(step.target, {})[step.direction] = mean
    order = [item.target for item in sorted(report.influence, key=lambda item: item.rank, reverse=True)]
    order = [target for target in order if target in means]
    indicator_set = report.indicator_set
    names = {group.path: group.label for group in indicator_set.groups}
    names.update({indicator.id: indicator.label for indicator in indicator_set.indicators})
    labels = [names.get(target, target) for target in order]
    raised = [means[target].get(1, 0.0) for target in order]
    lowered = [means[target].get(-1, 0.0) for target in order]
    figure = go.Figure(
        [
            go.Bar(y=labels, x=raised, orientation="h", name=f"+{report.delta}", marker_color="#63BE7B"),
            go.Bar(y=labels, x=lowered, orientation="h", name=f"−{report.delta}", marker_color="#E06666"),
        ]
    )
    figure.update_layout(
        title=texts.text("report.sensitivity_title"),
        barmode="overlay",
        height=max(320, 24 * len(order) + 120),
    )
    return chart(figure, "sensitivity")


def montecarlo_chart(report: MonteCarloReport, texts: Catalogue) -> str:
    go = plotly()
    units = sorted(report.units, key=lambda u: u.rank)
    if len(units) > MOST_MARKS:  # the widest intervals
        widest = sorted(units, key=lambda u: u.rank_high - u.rank_low, reverse=True)[:MOST_MARKS]
        units = sorted(widest, key=lambda u: u.rank)
    figure = go.Figure(
        go.Scatter(
            x=[u.rank for u in units],
            y=[u.unit for u in units],
            mode="markers",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [u.rank_high - u.rank for u in units],
                "arrayminus": [u.rank - u.rank_low for u in units],
            },
            marker={"color": "#5B9BD5"},
        )
    )
    figure.update_layout(
        title=texts.text("report.montecarlo_title"),
        xaxis_title=texts.text("column.rank"),
        height=max(320, 22 * len(units) + 120),
        yaxis={"autorange": "reversed"},
    )
    return chart(figure, "montecarlo")


def margins_chart(report: MarginsReport, texts: Catalogue) -> str:
    go = plotly()
    rising = sorted((u for u in report.units if u.up is not None), key=lambda u: u.up.change)  # type: ignore[union-attr]
    rising = rising[:MOST_MARKS]
    figure = go.Figure(
        go.Bar(
            x=[float(u.up.change) for u in rising],  # type: ignore[union-attr]
            y=[u.unit for u in rising],
            orientation="h",
            text=[f"{u.grade} → {u.up.grade}" for u in rising],  # type: ignore[union-attr]
            marker_color="#FFC000",
        )
    )
    figure.update_layout(
        title=texts.text("report.margins_title"),
        xaxis_title=texts.text("report.points_to_next"),
        height=max(320, 22 * len(rising) + 120),
        yaxis={"autorange": "reversed"},
    )
    return chart(figure, "margins")


def analysis_chart(kind: str, report: Any, texts: Catalogue) -> str:
    """The chart of an analysis by its command's name."""
    charts: dict[str, Callable[[Any, Catalogue], str]] = {
        "tune": tune_chart,
        "weights": weights_chart,
        "sensitivity": sensitivity_chart,
        "montecarlo": montecarlo_chart,
        "margins": margins_chart,
    }
    return charts[kind](report, texts)
