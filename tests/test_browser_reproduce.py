"""The reproduction report (``scoring reproduce UNIT -o X.html``) opened in a real browser: Debian's chromium,
headless, driven by playwright, as in test_browser.py.

The page must open with no console error and no request beyond its own file, draw its chart (the computed
bars and the published markers), show the verdict, and show the engine's and the table's numbers. A
screenshot is written to tests/artifacts/reproduce-report.png for a person to look at.

Without chromium (or playwright) the tests skip, except where ``SCORING_REQUIRE_BROWSER=1`` (CI sets it):
there a missing browser fails them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring.language import Catalogue
from scoring.report.reproduce_figures import figure_lines
from tests.test_browser import Page as BrowserPage
from tests.test_reproduce_reports import DEMO, DEMO_PUBLISHED, SEED, unit_with

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Page(BrowserPage):
    """The reproduction report in the browser (see test_browser.Page)."""

    def check_clean(self) -> None:  # type: ignore[override]
        """No error, no request beyond the file, and the one chart drawn with both its traces."""
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith("file://")] == []
        drawn = self.page.eval_on_selector_all(
            "div.chart",
            "divs => divs.map(d => [d.querySelectorAll('svg.main-svg g.trace').length,"
            " d.querySelectorAll('svg.main-svg g.trace.bars path, svg.main-svg g.trace.scatter path.point').length])",
        )
        assert len(drawn) == 1, drawn
        traces, marks = drawn[0]
        assert traces == 2 and marks > 0, drawn


def _run(*args: str) -> int:
    from scoring.cli import main

    return main(list(args))


def test_the_reproduction_report_draws_its_chart_and_shows_each_figure(browser: Any, tmp_path: Path) -> None:
    unit = unit_with(DEMO, DEMO_PUBLISHED, tmp_path)
    out = tmp_path / "reproduce.html"
    assert _run("reproduce", str(unit), "-o", str(out), "--lang", "zh") == 1
    page = Page(browser, out)
    page.check_clean()
    texts = Catalogue("zh")
    loaded = scoring.load_unit(unit)
    outcome = scoring.reproduce(loaded.indicator_set, loaded)
    lines = figure_lines(outcome, loaded.indicator_set, texts)
    assert page.page.inner_text("#verdict") == texts.text("reproduce.verdict.not")
    shown = page.page.eval_on_selector_all(
        "#figures-table tbody tr",
        "rows => rows.map(r => [r.cells[1].dataset.value, r.cells[3].dataset.value, r.cells[4].dataset.value,"
        " r.cells[6].innerText, getComputedStyle(r.cells[6]).backgroundColor])",
    )
    assert len(shown) == len(lines)
    colours = {"good": "rgb(198, 239, 206)", "open": "rgb(255, 235, 156)", "bad": "rgb(255, 199, 206)"}
    for (subject, computed, published, status, colour), line in zip(shown, lines, strict=True):
        assert subject == line.subject and status == texts.text(f"reproduce.status.{line.status}")
        assert colour == colours[line.tone]
        if isinstance(line.computed, Decimal):
            assert Decimal(computed) == line.computed
        if isinstance(line.published, Decimal):
            assert Decimal(published) == line.published
    # the chart: a bar per published row the set scores, a published marker on each
    rows = [
        line
        for line in lines
        if line.kind == "indicator" and line.figure == "points" and line.computed is not None
    ]
    bars = page.page.eval_on_selector_all(
        "div.chart svg.main-svg g.trace.bars g.point", "points => points.length"
    )
    markers = page.page.eval_on_selector_all(
        "div.chart g.trace.scatter path.point", "points => points.length"
    )
    assert bars == markers == len(rows)
    page.screenshot("reproduce-report.png")


def test_the_seed_cases_report_shows_its_total_out_of_reach(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "seed.html"
    assert _run("reproduce", str(SEED), "-o", str(out), "--lang", "en") == 1
    page = Page(browser, out)
    page.check_clean()
    texts = Catalogue("en")
    assert page.page.inner_text("#verdict") == texts.text("reproduce.verdict.not")
    total = page.page.eval_on_selector(
        "#figures-table tbody tr",
        "r => [r.cells[3].innerText, r.cells[4].dataset.value, r.cells[6].innerText]",
    )
    assert total == ["49.6–92.0", "92.1", texts.text("reproduce.status.out_of_reach")]
    assert texts.text("reproduce.chart_total") in page.page.inner_text("div.chart")
    page.screenshot("reproduce-seed-report.png")
