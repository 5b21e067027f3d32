"""The HTML reports opened in a real browser: Debian's chromium, headless, driven by playwright.

Each page must open with no console error and no request beyond its own file, draw every chart (a
non-empty SVG per chart), sort and filter its ranked table, and show the engine's numbers. A screenshot of
each page is written to tests/artifacts/ for a person to look at.

Without chromium (or playwright) the tests skip, except where ``SCORING_REQUIRE_BROWSER=1`` (CI sets it):
there a missing browser fails them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import scoring

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
SYNTHETIC = sorted((ROOT / "examples" / "synthetic").glob("dept-*.yaml"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Page:
    """A report opened in the browser, with what it logged and asked for."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.page.set_default_timeout(180_000)  # the machines are shared: a busy one draws slowly
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def check_clean(self, charts: int) -> None:
        assert self.errors == []
        assert [url for url in self.requests if not url.startswith("file://")] == []
        drawn = self.page.eval_on_selector_all(
            "div.chart",
            "divs => divs.map(d => d.querySelectorAll('svg.main-svg g.trace, svg.main-svg path').length)",
        )
        assert len(drawn) == charts and all(count > 0 for count in drawn), drawn

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _run(*args: str) -> None:
    from scoring.cli import main

    assert main(list(args)) in (0, 1)


def test_the_unit_report_draws_its_chart_and_shows_the_engines_points(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "unit.html"
    _run("score", str(SYNTHETIC[3]), "--set", str(HUNAN), "-o", str(out), "--lang", "zh")
    page = Page(browser, out)
    page.check_clean(charts=1)
    indicator_set = scoring.load_set(HUNAN)
    result = scoring.evaluate(indicator_set, scoring.load_unit(SYNTHETIC[3], indicator_set))
    shown = page.page.eval_on_selector_all(
        "#score-table tr.indicator td.points", "cells => cells.map(c => c.dataset.value)"
    )
    assert [Decimal(value) for value in shown] == [row.points for row in result.indicators]
    assert str(result.total) in page.page.inner_text("h1")
    lost = page.page.eval_on_selector_all("#deductions td.lost", "cells => cells.map(c => c.dataset.value)")
    assert [Decimal(v) for v in lost] == sorted(
        (
            row.weight - row.points
            for row in result.indicators
            if row.points is not None and row.points < row.weight
        ),
        reverse=True,
    )
    page.page.click("details[data-row] summary")  # the trace opens on demand
    assert page.page.is_visible("details[data-row][open] p")
    page.screenshot("unit-report.png")


def test_the_cohort_report_sorts_filters_and_draws_every_chart(browser: Any, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "cohort.html"
    _run("batch", str(HUNAN), str(ROOT / "examples" / "synthetic" / "departments.csv"), "-o", str(out))
    page = Page(browser, out)
    page.check_clean(charts=2)
    indicator_set = scoring.load_set(HUNAN)
    results = [scoring.evaluate(indicator_set, scoring.load_unit(p, indicator_set)) for p in SYNTHETIC]
    expected = {r.unit: r.total for r in results}
    rows = page.page.eval_on_selector_all(
        "#ranked tbody tr", "rows => rows.map(r => [r.cells[1].innerText, r.cells[2].dataset.value])"
    )
    assert {unit: Decimal(total) for unit, total in rows} == expected
    totals = [Decimal(total) for _, total in rows]
    assert totals == sorted(totals, reverse=True)  # ranked
    page.page.click("#ranked th:nth-child(3)")  # sort by total, lowest first
    first = page.page.eval_on_selector("#ranked tbody tr", "r => r.cells[2].dataset.value")
    assert Decimal(first) == min(expected.values())
    name = results[0].unit
    page.page.fill("input.filter", name)
    visible = page.page.eval_on_selector_all(
        "#ranked tbody tr",
        "rows => rows.filter(r => r.style.display !== 'none').map(r => r.cells[1].innerText)",
    )
    assert visible == [name]
    page.screenshot("cohort-report.png")


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("tune", ["--weight", "过程/预算执行=25"]),
        ("weights", []),
        ("sensitivity", ["--delta", "1"]),
        ("montecarlo", ["--samples", "50", "--seed", "7"]),
        ("margins", []),
    ],
)
def test_each_analysis_report_draws_its_chart(
    browser: Any, tmp_path: Path, command: str, options: list[str]
) -> None:
    out = tmp_path / f"{command}.html"
    _run(command, str(ROOT / "examples" / "synthetic"), *options, "-o", str(out), "--lang", "zh")
    page = Page(browser, out)
    page.check_clean(charts=1)
    rows = page.page.eval_on_selector_all(
        "#ranked tbody tr", "rows => rows.map(r => [r.cells[1].innerText, r.cells[2].dataset.value])"
    )
    assert len(rows) == len(SYNTHETIC)
    if command != "tune":
        indicator_set = scoring.load_set(HUNAN)
        expected = {}
        for path in SYNTHETIC:
            result = scoring.evaluate(indicator_set, scoring.load_unit(path, indicator_set))
            expected[result.unit] = result.total
        assert {unit: Decimal(total) for unit, total in rows} == expected
    page.screenshot(f"{command}-report.png")
