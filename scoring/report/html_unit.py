"""One unit's HTML report: the score table, points lost per group, the deductions ranked by points lost
(the 扣分清单) and the trace of every row on demand."""

from __future__ import annotations

from decimal import Decimal

from ..engine.result import IndicatorResult, Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain, value_text
from .html_page import chart, data_script, escape, generated_note, page, plotly, section, table


def points_lost(row: IndicatorResult) -> Decimal | None:
    """Weight minus points, for a counted row with known points (None otherwise)."""
    if not row.counted or row.points is None:
        return None
    return row.weight - row.points


def _title(result: Result, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    places = indicator_set.rounding.total_places
    if result.total is None:
        low, high = result.total_range or (Decimal(0), Decimal(0))
        return texts.text(
            "report.unit_title_open", unit=result.unit, low=fixed(low, places), high=fixed(high, places)
        )
    return texts.text(
        "report.unit_title", unit=result.unit, total=fixed(result.total, places), grade=result.grade
    )


def _score_table(result: Result, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    places = indicator_set.rounding.places
    header = [
        (texts.text("column.indicator"), False),
        (texts.text("column.weight"), True),
        (texts.text("report.value"), True),
        (texts.text("column.points"), True),
        (texts.text("report.outcome"), False),
    ]
    rows: list[list[tuple[str, str | None, str]]] = []
    classes: list[str] = []
    groups = {group.path: group for group in result.groups}
    seen: set[str] = set()
    for row in result.indicators:
        parts = row.group.split("/") if row.group else []
        for depth in range(len(parts)):
            path = "/".join(parts[: depth + 1])
            if path in seen:
                continue
            seen.add(path)
            group = groups[path]
            points = "?" if group.points is None else fixed(group.points, places)
            exact = None if group.points is None else plain(group.points)
            indent = "\u3000" * depth
            rows.append(
                [
                    (indent + group.label, None, ""),
                    (fixed(group.weight, places), plain(group.weight), "n"),
                    ("", None, "n"),
                    (points, exact, "n points"),
                    (group.grade or "", None, ""),
                ]
            )
            classes.append("group")
        value = "" if row.value is None else value_text(row.value) + (row.unit or "")
        points = "—" if not row.counted else "?" if row.points is None else fixed(row.points, places)
        exact = plain(row.points) if row.points is not None and row.counted else None
        rows.append(
            [
                ("\u3000" * len(parts) + row.label, None, ""),
                (fixed(row.weight, places), plain(row.weight), "n"),
                (value, None, "n"),
                (points, exact, "n points"),
                (row.outcome_text(texts), None, ""),
            ]
        )
        classes.append(f"indicator row-{escape(row.id)}")
    return table(header, rows, table_id="score-table", row_classes=classes)


def _lost_chart(result: Result, texts: Catalogue) -> str:
    """Points lost in each top-level group, over its rows whose points are known."""
    go = plotly()
    lost: dict[str, Decimal] = {}
    labels = {group.path: group.label for group in result.groups}
    for row in result.indicators:
        top = row.group.split("/")[0] if row.group else row.label
        amount = points_lost(row)
        lost[top] = lost.get(top, Decimal(0)) + (amount or Decimal(0))
    names = [labels.get(path, path) for path in lost]
    values = [float(amount) for amount in lost.values()]
    figure = go.Figure(
        go.Bar(x=names, y=values, marker_color="#C0504D", text=[plain(v) for v in lost.values()])
    )
    figure.update_layout(title=texts.text("report.lost_by_group"), height=320)
    return chart(figure, "lost-by-group")


def _deductions(result: Result, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    places = indicator_set.rounding.places
    lost = [(amount, row) for row in result.indicators if (amount := points_lost(row))]
    ranked = sorted(lost, key=lambda pair: -pair[0])
    if not ranked:
        return f"<p>{escape(texts.text('report.no_deductions'))}</p>"
    header = [
        (texts.text("column.indicator"), False),
        (texts.text("column.weight"), True),
        (texts.text("column.points"), True),
        (texts.text("column.lost"), True),
        (texts.text("column.reason"), False),
    ]
    rows = [
        [
            (row.label, None, ""),
            (fixed(row.weight, places), plain(row.weight), "n"),
            (fixed(row.weight - amount, places), plain(row.weight - amount), "n"),
            (fixed(amount, places), plain(amount), "n lost"),
            (row.outcome_text(texts), None, ""),
        ]
        for amount, row in ranked
    ]
    return table(header, rows, table_id="deductions")


def _trace(result: Result, texts: Catalogue) -> str:
    blocks = []
    for row in result.indicators:
        inputs = "; ".join(f"{name} = {value_text(value)}" for name, value in row.inputs.items())
        value = "" if row.value is None else value_text(row.value)
        formula = row.definition.formula.text if row.definition.formula is not None else ""
        blocks.append(
            f'<details data-row="{escape(row.id)}"><summary>{escape(row.label)}</summary>'
            f"<p>{escape(texts.text('report.inputs'))}: {escape(inputs)}</p>"
            f"<p>{escape(formula)} = {escape(value)}</p><p>{escape(row.outcome_text(texts))}</p></details>"
        )
    return "\n".join(blocks)


def unit_report(result: Result, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """The unit's report as one self-contained HTML document."""
    figures = {
        "unit": result.unit,
        "total": None if result.total is None else plain(result.total),
        "grade": result.grade,
        "points": {row.id: None if row.points is None else plain(row.points) for row in result.indicators},
    }
    sections = [
        section(texts.text("report.score_table"), _score_table(result, indicator_set, texts), "score-table"),
        section(texts.text("report.lost_by_group"), _lost_chart(result, texts), "lost-by-group"),
        section(texts.text("report.deductions"), _deductions(result, indicator_set, texts), "deductions"),
        section(texts.text("report.trace"), _trace(result, texts), "trace"),
        data_script("figures", figures),
    ]
    note = generated_note(texts, indicator_set)
    return page(_title(result, indicator_set, texts), texts.language, sections, note)
