"""Inter-rater agreement (``scoring panel``) as text and CSV; JSON is the report's own (``to_json()``)."""

from __future__ import annotations

from decimal import Decimal

from ..analysis.panel import PanelAgreement
from ..audit.panel import PanelCheck
from ..language import Catalogue
from ..numbers import fixed, in_context, plain
from ..rules.base import english
from .csv import Cell, csv_text, upto
from .text import table_lines, text_output


def _text(texts: Catalogue, key: str, **values: object) -> str:
    return texts.text(f"text.panel.{key}", **values)


def _header(texts: Catalogue, *columns: str) -> list[str]:
    return [_text(texts, f"header.{column}") for column in columns]


def _w(value: Decimal | None) -> str:
    return "—" if value is None else fixed(value, 3)


#: One table of the report: its title, header, rows (text cells) and which columns are numbers.
PanelTable = tuple[str, list[str], list[list[str]], list[bool]]


@in_context
def panel_tables(report: PanelAgreement, texts: Catalogue) -> list[PanelTable]:
    """The report's three tables — the raters, the widest spreads, Kendall's W per row — as the text, the
    workbook and the HTML report show them."""
    raters = [
        [r.rater, str(r.rows), str(r.trimmed), fixed(r.mean_deviation, 2), fixed(r.mean_abs_deviation, 2),
         fixed(r.mean_abs_share * 100, 1)]
        for r in report.raters
    ]  # fmt: skip
    spreads = [
        [s.unit, s.indicator, s.label, plain(s.weight), str(s.raters), plain(s.spread), fixed(s.share * 100, 1),
         _text(texts, "wide") if s.wide else ""]
        for s in report.widest
    ]  # fmt: skip
    concordance = [
        [c.indicator, c.label, str(len(c.raters)), str(c.units), _w(c.w)] for c in report.concordance
    ]
    columns = ("rater", "rows", "trimmed", "mean_deviation", "mean_abs_deviation", "mean_abs_share")
    return [
        (_text(texts, "raters"), _header(texts, *columns), raters, [False] + [True] * 5),
        (_text(texts, "widest"),
         _header(texts, "unit", "indicator", "label", "weight", "raters_count", "spread", "share", "warning"),
         spreads, [False] * 3 + [True] * 4 + [False]),
        (_text(texts, "concordance"), _header(texts, "indicator", "label", "raters_count", "units", "w"),
         concordance, [False, False, True, True, True]),
    ]  # fmt: skip


@text_output
def panel_table(report: PanelAgreement, texts: Catalogue | None = None) -> str:
    """Three tables: the raters, the widest spreads, Kendall's W per row; in the language of ``texts``."""
    texts = texts or english()
    lines = [_text(texts, "title", units=report.units, set=report.set_id)]
    for title, header, rows, numbers in panel_tables(report, texts):
        lines += ["", title, "", *table_lines(header, rows, numbers)]
    lines += ["", _text(texts, "note")]
    return "\n".join(lines) + "\n"


#: Decimals of the deviations, shares and W in the CSV (the exact values, to 50 digits, are in the JSON).
CSV_PLACES = 6


def panel_csv(report: PanelAgreement) -> str:
    """One CSV of every figure: a ``table`` column (rater, spread, concordance) and the columns of each."""
    header = ["table", "rater", "unit", "indicator", "rows", "trimmed", "mean_deviation", "mean_abs_deviation",
              "mean_abs_share", "weight", "raters", "spread", "share", "wide", "units", "w", "s", "ties"]  # fmt: skip
    rows: list[list[Cell]] = []
    for r in report.raters:
        rows.append(["rater", r.rater, "", "", r.rows, r.trimmed, upto(r.mean_deviation, CSV_PLACES),
                     upto(r.mean_abs_deviation, CSV_PLACES), upto(r.mean_abs_share, CSV_PLACES), "", "", "", "", "",
                     "", "", "", ""])  # fmt: skip
    for s in report.widest:
        rows.append(["spread", "", s.unit, s.indicator, "", "", "", "", "", s.weight, s.raters, s.spread, s.share,
                     s.wide, "", "", "", ""])  # fmt: skip
    for c in report.concordance:
        rows.append(["concordance", "", "", c.indicator, "", "", "", "", "", "", len(c.raters), "", "", "",
                     c.units, upto(c.w, CSV_PLACES), c.s, c.ties])  # fmt: skip
    return csv_text(header, rows)


def panel_check_lines(checks: tuple[PanelCheck, ...], texts: Catalogue) -> list[str]:
    """For ``scoring reproduce``: each published panel row, the rules that give its figure, every rule tried
    (no lines when no published row was scored by a panel)."""
    if not checks:
        return []
    lines = [_text(texts, "checks")]
    for check in checks:
        declared = _text(texts, f"rule.{check.declared}")
        names = [_text(texts, f"rule.{rule}") for rule in check.reproduced_by]
        verdict = (
            _text(texts, "reproduced_by", rules=_text(texts, "or").join(names), declared=declared)
            if names
            else _text(texts, "by_none", declared=declared)
        )
        lines.append(
            _text(texts, "check", id=check.indicator, published=plain(check.published), verdict=verdict)
        )
        for c in check.candidates:
            mark = _text(texts, "mark") if c.reproduces else ""
            exact = plain(c.exact) if len(plain(c.exact)) <= 12 else f"≈{fixed(c.exact, 6)}"
            lines.append(_text(texts, "candidate", rule=_text(texts, f"rule.{c.rule}"), exact=exact,
                               rounded=plain(c.rounded), mark=mark))  # fmt: skip
    return [*lines, ""]
