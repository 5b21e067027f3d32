"""Inter-rater agreement (issue 13, point 2): Kendall's W checked on textbook figures and against scipy's
Friedman test, each rater's deviation from the panels worked out by hand, and ``scoring panel``."""

from __future__ import annotations

import json
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring.analysis.cohort import Cohort
from scoring.analysis.panel import kendall_w, mean_ranks, panel_agreement
from scoring.cli import main
from scoring.numbers import from_fraction

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "examples" / "panel").glob("unit-*.yaml"))


def _fractions(rows: list[list[float]]) -> list[list[Fraction]]:
    return [[Fraction(str(v)) for v in row] for row in rows]


def test_kendall_w_textbook_example_without_ties() -> None:
    """Siegel, S. (1956), *Nonparametric Statistics for the Behavioral Sciences*, McGraw-Hill, chapter 9, the
    coefficient of concordance W: three executives rank six job applicants; the rank sums are 8, 14, 11, 11,
    11, 8, s = 25.5 and W = 25.5 / (1/12 · 3² · (6³ − 6)) = 0.16."""
    ranks = _fractions([[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]])
    w, s, ties = kendall_w(ranks)
    assert s == D("25.5") and ties == 0
    assert w == from_fraction(Fraction(17, 105)) and round(w, 2) == D("0.16")


def test_tie_term_textbook_example() -> None:
    """Kothari, C. R. (2004), *Research Methodology: Methods and Techniques*, 2nd ed., New Age, §"Kendall's
    coefficient of concordance", case of tied ranks: the ranks 1, 2, 3.5, 5, 6, 3.5, 8, 10, 8, 8 have one group
    of two and one of three tied ranks, so Σ (t³ − t) = (2³ − 2) + (3³ − 3) = 30 (the book's T = 30/12 = 2.5)."""
    values = [Fraction(v) for v in ("1", "2", "3.5", "5", "6", "3.5", "8", "10", "8", "8")]
    ranks, ties = mean_ranks(values)
    assert ranks == values and ties == 30


#: The ``anxiety`` data of the R package irr (Gamer, Lemon, Fellows and Singh, "irr: Various Coefficients of
#: Interrater Reliability and Agreement", CRAN): three raters score the anxiety of 20 subjects from 1 to 6,
#: with many ties. Its manual's example ``kendall(anxiety, correct = TRUE)`` prints Wt = 0.54 and
#: Chisq(19) = 30.8.
ANXIETY = [(3, 3, 2), (3, 6, 1), (3, 4, 4), (4, 6, 4), (5, 2, 3), (5, 4, 2), (2, 2, 1), (3, 4, 6), (5, 3, 1),
           (2, 3, 1), (2, 2, 1), (6, 3, 2), (1, 3, 3), (5, 3, 3), (2, 2, 1), (2, 2, 1), (1, 1, 3), (2, 3, 3),
           (4, 3, 2), (3, 4, 2)]  # fmt: skip


def test_kendall_w_with_ties_on_the_irr_manual_example() -> None:
    """W corrected for ties on irr's anxiety data: 0.54, and χ² = m (n − 1) W = 30.8, as its manual prints;
    exactly, S = 3004, Σ (t³ − t) = 1674 and W = 12 · 3004 / (3² · (20³ − 20) − 3 · 1674) = 6008/11133."""
    scores = [[Fraction(row[rater]) for row in ANXIETY] for rater in range(3)]
    w, s, ties = kendall_w(scores)
    assert (s, ties) == (D(3004), D(1674)) and w == from_fraction(Fraction(6008, 11133))
    assert round(w, 2) == D("0.54") and round(3 * 19 * w, 1) == D("30.8")


def test_kendall_w_with_ties_by_hand() -> None:
    """The plan row of examples/panel: five raters, three units (A, B, C), two raters tie A and B.

    Ranks (1 lowest) for A, B, C: 甲 3, 2, 1; 乙 2.5, 2.5, 1; 丙 3, 2, 1; 丁 2.5, 2.5, 1; 戊 3, 2, 1. Rank sums
    14, 11, 5 about m(n + 1)/2 = 10: S = 16 + 1 + 25 = 42; T = 2 × (2³ − 2) = 12;
    W = 12 · 42 / (5² · (3³ − 3) − 5 · 12) = 504 / 540 = 14/15."""
    scores = _fractions([[17, 16, 14], [16, 16, 13], [18, 17, 15], [15, 15, 14], [16.5, 16, 12]])
    assert kendall_w(scores) == (from_fraction(Fraction(14, 15)), D(42), D(12))
    report = panel_agreement(_cohort())
    plan = next(c for c in report.concordance if c.indicator == "plan")
    assert (plan.w, plan.units, len(plan.raters)) == (from_fraction(Fraction(14, 15)), 3, 5)


def test_kendall_w_edges() -> None:
    assert kendall_w(_fractions([[1, 2, 3], [1, 2, 3], [1, 2, 3]]))[0] == 1
    assert kendall_w(_fractions([[2, 2], [5, 5]]))[0] is None  # every rater ties every unit
    assert kendall_w(_fractions([[1, 2, 3]]))[0] is None  # one rater
    assert kendall_w(_fractions([[1], [2]]))[0] is None  # one unit


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6), st.integers(3, 8), st.data())
def test_kendall_w_matches_friedman_with_tie_correction(m: int, n: int, data: st.DataObject) -> None:
    """W = χ²_F / (m (n − 1)), with scipy's Friedman statistic (corrected for ties) as the oracle."""
    stats = pytest.importorskip("scipy.stats")
    rows = [data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)) for _ in range(m)]
    w, _, _ = kendall_w(_fractions(rows))
    if w is None:
        return
    if any(len(set(row)) == 1 for row in rows):
        return  # a rater tying every unit: scipy warns and divides by a smaller n; W keeps them (T counts them)
    chi2 = stats.friedmanchisquare(*[[row[i] for row in rows] for i in range(n)]).statistic
    assert abs(float(w) - chi2 / (m * (n - 1))) < 1e-9


def _cohort() -> Cohort:
    units = [scoring.load_unit(path) for path in UNITS]
    indicator_set = units[0].indicator_set
    return Cohort(indicator_set, tuple(unit.bind(indicator_set) for unit in units))


def test_rater_deviations_by_hand() -> None:
    """专家甲 over the 11 complete panel rows: 0, 0.5, 0, 1/3 (unit A); 0, 0, −1/6 (B, goals incomplete);
    −1/6, 1/3, 0, 1 (C) — in all 11/6, a mean of 1/6 above the panels."""
    report = panel_agreement(_cohort())
    first = next(r for r in report.raters if r.rater == "专家甲")
    assert (first.rows, first.trimmed) == (11, 1)
    assert first.mean_deviation == from_fraction(Fraction(1, 6))
    assert first.mean_abs_deviation == from_fraction(Fraction(5, 2) / 11)
    widest = report.widest[0]
    assert (widest.unit, widest.indicator, widest.spread, widest.share, widest.wide) == (
        "示例单位丙（虚构）", "benefit", D(6), D("0.3"), True)  # fmt: skip


def test_panel_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    units = [str(path) for path in UNITS]
    assert main(["panel", *units]) == 0
    out = capsys.readouterr().out
    assert "Kendall's W" in out and "0.933" in out and "above the set's limit" in out
    assert main(["panel", *units, "--lang", "zh"]) == 0
    assert "肯德尔和谐系数" in capsys.readouterr().out
    assert main(["panel", *units, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out, parse_float=D)
    assert data["units"] == 3 and {c["indicator"] for c in data["concordance"]} == {
        "goals",
        "plan",
        "management",
        "benefit",
    }
    assert main(["panel", *units, "--format", "csv", "-o", str(tmp_path / "p.csv")]) == 0
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").startswith("table,rater,unit")
    assert main(["panel", *units, "-o", str(tmp_path / "p.xlsx"), "--lang", "zh"]) == 0
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert len(book.sheetnames) == 3 and book.worksheets[2]["E3"].value == pytest.approx(14 / 15, abs=5e-4)
    assert main(["panel", *units, "-o", str(tmp_path / "p.html")]) == 0
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "Kendall&#x27;s W" in html or "Kendall's W" in html
    assert main(["panel", str(ROOT / "examples" / "demo.yaml")]) == 2  # no panel in it


def test_panel_command_reads_a_table_of_units(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """SET TABLE: the raters' columns <indicator>.<rater> of a table give the same agreement as the files."""
    pytest.importorskip("pyarrow")
    from tests.test_panels import _panel_table

    _panel_table(tmp_path / "panel.csv")
    assert (
        main(
            [
                "panel",
                str(ROOT / "examples" / "panel" / "set.yaml"),
                str(tmp_path / "panel.csv"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    from_table = json.loads(capsys.readouterr().out, parse_float=D)
    assert main(["panel", *[str(path) for path in UNITS], "--format", "json"]) == 0
    from_files = json.loads(capsys.readouterr().out, parse_float=D)
    assert from_table["concordance"] == from_files["concordance"]
    assert from_table["raters"] == from_files["raters"]


def test_the_csv_rounds_and_lists_the_raters_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    from scoring.cli import main

    units = sorted(str(path) for path in (ROOT / "examples" / "panel").glob("unit-*.yaml"))
    assert main(["panel", *units, "--format", "csv"]) == 0
    rows = [line.split(",") for line in capsys.readouterr().out.splitlines()[1:] if line.startswith("rater,")]
    assert [row[1] for row in rows] == [
        "专家甲",
        "专家乙",
        "专家丙",
        "专家丁",
        "专家戊",
    ]  # as the units list them
    assert rows[0][6:9] == ["0.166667", "0.227273", "0.012121"]  # 1/6, 5/22, 2/165: six decimals, not fifty
