"""``scoring reproduce UNIT -o X.html``: the reproduction of a published result as one self-contained page.

A headline verdict, what was published and what was computed, every published figure beside the computed
one with its status (the lines of :func:`scoring.report.reproduce_figures.figure_lines`), a chart of the
computed and published points of each row the table prints (the total when it prints none), what each row's
points rest on, and the findings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..audit.findings import Reproduction
from ..engine.result import Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, plain
from .gap import gap_lines
from .html_page import chart, data_script, escape, generated_note, page, plotly, section, table
from .reproduce_figures import FigureLine, figure_lines, finding_notes, range_text, summary_lines
from .reproduce_figures import verdict as verdict_of

#: The CSS class of each tone (the fills of the page's grade classes: green, amber, red).
_TONE_CLASSES = {"good": "grade-0", "open": "grade-2", "bad": "grade-3"}
_BAR, _BAR_RANGE = "#4472C4", "#A9C4EB"

#: This report's own few rules: findings keep their line breaks, short cells stay on one line.
_STYLE = "td.notes,td.message{white-space:pre-line}td.figure,td.status,td.computed{white-space:nowrap}"

Cell = tuple[str, str | None, str]


def _verdict(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    tone, text = verdict_of(rep, texts)
    lines = "".join(f"<p>{escape(line)}</p>" for line in summary_lines(rep, indicator_set, texts))
    return (
        f"<style>{_STYLE}</style>\n"
        f'<p id="verdict" class="verdict {_TONE_CLASSES[tone]}" data-verdict="{escape(tone)}" '
        f'style="padding:.6rem 1rem;font-weight:600;font-size:1.1rem">{escape(text)}</p>\n{lines}'
    )


def _computed_cell(line: FigureLine, texts: Catalogue) -> Cell:
    if isinstance(line.computed, Decimal):
        return fixed(line.computed, line.places), plain(line.computed), "n computed"
    if isinstance(line.computed, str):
        return line.computed, None, "computed"
    if line.computed_range is not None:
        low, high = line.computed_range
        return range_text(line.computed_range, line.places), f"{plain(low)}..{plain(high)}", "n computed"
    key = "row.not_counted" if line.status == "not_counted" else "reproduce.none"
    return texts.text(key), "", "computed"


def _published_cell(line: FigureLine) -> Cell:
    if isinstance(line.published, Decimal):
        return plain(line.published), plain(line.published), "n published"
    return line.published or "", None, "published"


def _figures_table(lines: list[FigureLine], texts: Catalogue, result: Result) -> str:
    keys = ("kind", "label", "figure", "computed", "published", "difference", "status", "notes")
    numeric = {"computed", "published", "difference"}
    header = [(texts.text(f"reproduce.column.{key}"), key in numeric) for key in keys]
    rows: list[list[Cell]] = []
    classes: list[str] = []
    for line in lines:
        difference = line.difference
        tone = _TONE_CLASSES[line.tone]
        rows.append(
            [
                (texts.text(f"reproduce.kind.{line.kind}"), line.kind, ""),
                (line.subject if line.kind == "group" else line.label, line.subject, "subject"),
                (texts.text(f"reproduce.figure.{line.figure}"), line.figure, "figure"),
                _computed_cell(line, texts),
                _published_cell(line),
                ("" if difference is None else plain(difference), None, "n difference"),
                (texts.text(f"reproduce.status.{line.status}"), line.status, f"status {tone}"),
                (finding_notes(line.findings, texts, result=result), None, "notes"),
            ]
        )
        classes.append(f"figure tone-{line.tone}")
    return table(header, rows, table_id="figures-table", row_classes=classes)


def _chart(lines: list[FigureLine], texts: Catalogue) -> tuple[str, str]:
    """(title, chart): computed (a bar, or a floating bar over the possible range) and published (a marker
    coloured by its status) points of each row the table prints; the total when it prints no row."""
    shown = [line for line in lines if line.kind == "indicator" and line.figure == "points"]
    shown = [line for line in shown if line.computed is not None or line.computed_range is not None]
    title = texts.text("reproduce.chart")
    if not shown:
        shown = [line for line in lines if line.kind == "total"]
        title = texts.text("reproduce.chart_total")
    if not shown:
        return title, f"<p>{escape(texts.text('reproduce.no_chart'))}</p>"
    go = plotly()
    labels = [line.label for line in shown]
    names = [
        f"{label} ({line.subject})" if labels.count(label) > 1 else label
        for label, line in zip(labels, shown, strict=True)
    ]
    bases, heights, colours = [], [], []
    for line in shown:
        low, high = _span(line)
        bases.append(float(low))
        heights.append(float(high - low))
        colours.append(_BAR if line.computed_range is None or low == high else _BAR_RANGE)
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=names,
            y=heights,
            base=bases,
            marker_color=colours,
            name=texts.text("reproduce.computed"),
            hovertext=[_computed_text(line) for line in shown],
            hoverinfo="x+text",
        )
    )
    published = [float(line.published) if isinstance(line.published, Decimal) else None for line in shown]
    figure.add_trace(
        go.Scatter(
            x=names,
            y=published,
            mode="markers",
            name=texts.text("reproduce.published"),
            marker={
                "symbol": "diamond",
                "size": 13,
                "line": {"width": 1, "color": "#333"},
                "color": [_marker(line) for line in shown],
            },
        )
    )
    figure.update_layout(title=title, height=380, barmode="overlay", legend={"orientation": "h"})
    return title, chart(figure, "computed-published")


def _span(line: FigureLine) -> tuple[Decimal, Decimal]:
    if isinstance(line.computed, Decimal):
        return Decimal(0), line.computed
    assert line.computed_range is not None
    return line.computed_range


def _computed_text(line: FigureLine) -> str:
    if isinstance(line.computed, Decimal):
        return fixed(line.computed, line.places)
    return range_text(line.computed_range, line.places)


#: A published marker's colour by its tone: green, amber, red, darker than the table's fills.
_MARKERS = {"good": "#2E7D32", "open": "#F9A825", "bad": "#C62828"}


def _marker(line: FigureLine) -> str:
    return _MARKERS[line.tone]


def _rows_by_basis(rep: Reproduction, texts: Catalogue) -> str:
    header = [
        (texts.text("reproduce.column.basis"), False),
        (texts.text("reproduce.column.count"), True),
        (texts.text("reproduce.column.rows"), False),
    ]
    rows: list[list[Cell]] = []
    for basis, members in rep.rows_by_basis().items():
        labels = ("、" if texts.language == "zh" else ", ").join(row.label for row in members)
        rows.append(
            [
                (texts.text(f"reproduce.basis.{basis}"), basis, ""),
                (str(len(members)), None, "n"),
                (labels, None, ""),
            ]
        )
    return table(header, rows, table_id="rows-by-basis")


def _findings(rep: Reproduction, texts: Catalogue) -> str:
    if not rep.findings:
        return f"<p>{escape(texts.text('reproduce.no_findings'))}</p>"
    keys = ("source", "check", "subject", "message")
    header = [(texts.text(f"reproduce.column.{key}"), False) for key in keys]
    rows: list[list[Cell]] = [
        [
            (texts.text(f"reproduce.source.{finding.source}"), finding.source, ""),
            (finding.check, None, "check"),
            (finding.subject, None, "subject"),
            (finding_notes((finding,), texts, checks=False, result=rep.result), None, "message"),
        ]
        for finding in rep.findings
    ]
    return table(header, rows, table_id="findings")


def _gap(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """What would make the published total or grade hold: a paragraph per figure, its changes as a list."""
    parts: list[str] = []
    items: list[str] = []
    for line in gap_lines(rep.gap, indicator_set, rep.result, texts):
        text = line.strip()
        if text.startswith("- "):
            items.append(f"<li>{escape(text[2:])}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        parts.append(f"<p>{escape(text)}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(parts)


def _figures_data(rep: Reproduction, lines: list[FigureLine]) -> dict[str, Any]:
    """The figures as data for a reader to check: exact decimals as text."""

    def number(value: object) -> object:
        return plain(value) if isinstance(value, Decimal) else value

    return {
        "unit": rep.result.unit,
        "verdict": {
            "verdict": rep.verdict,
            "reproduced": rep.reproduced,
            "audit_clean": rep.audit_clean,
            "ok": rep.ok,
        },
        "lines": [
            {
                "kind": line.kind,
                "subject": line.subject,
                "figure": line.figure,
                "computed": number(line.computed),
                "computed_range": None
                if line.computed_range is None
                else [plain(v) for v in line.computed_range],
                "published": number(line.published),
                "status": line.status,
            }
            for line in lines
        ],
    }


def reproduction_report(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> str:
    """The reproduction as one self-contained HTML document."""
    lines = figure_lines(rep, indicator_set, texts)
    chart_title, chart_body = _chart(lines, texts)
    sections = [
        _verdict(rep, indicator_set, texts),
        section(texts.text("reproduce.figures"), _figures_table(lines, texts, rep.result), "figures"),
        section(chart_title, chart_body, "chart"),
        section(texts.text("reproduce.findings"), _findings(rep, texts), "findings"),
        *(
            [section(texts.text("reproduce.text.gap"), _gap(rep, indicator_set, texts), "gap")]
            if rep.gap
            else []
        ),
        section(texts.text("reproduce.rows"), _rows_by_basis(rep, texts), "rows"),
        data_script("figures", _figures_data(rep, lines)),
    ]
    note = generated_note(texts, indicator_set)
    return page(texts.text("reproduce.title", unit=rep.result.unit), texts.language, sections, note)
