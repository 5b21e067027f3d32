"""Effective weights: nominal shares and shares of the variation of the totals across a cohort."""

from __future__ import annotations

import json
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

import scoring
from scoring.analysis.cohort import Cohort, load_cohort
from scoring.analysis.effective_weights import contributions, effective_weights
from scoring.report.weights import weights_csv, weights_table
from tests.helpers import set_text

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "examples" / "synthetic"
LINEAR = {"linear": {"zero_at": 0, "full_at": 100}}


def cohort_of(values: list[dict[str, object]], not_applicable: str = "full", **top: object) -> Cohort:
    """a (40) and b (20) in group G, c (40) alone; each scores its input linearly out of 100."""
    text = set_text(
        [
            {"id": "a", "group": "G", "weight": 40, "formula": "a", "rule": LINEAR},
            {"id": "b", "group": "G", "weight": 20, "formula": "b", "rule": LINEAR},
            {"id": "c", "weight": 40, "formula": "c", "rule": LINEAR},
        ],
        inputs={"a": {}, "b": {}, "c": {}},
        not_applicable=not_applicable,
        **top,
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    units = tuple(
        scoring.unit_from_mapping({"unit": f"u{i}", **v}, indicator_set, f"u{i}")
        for i, v in enumerate(values)
    )
    return Cohort(indicator_set, units)


def test_hand_checked_case() -> None:
    # points: a = 0.4·a, b = 0.2·b, c = 0.4·c
    cohort = cohort_of(
        [
            {"values": {"a": 100, "b": 50, "c": 50}},  # 40 + 10 + 20 = 70
            {"values": {"a": 50, "b": 50, "c": 100}},  # 20 + 10 + 40 = 70
            {"values": {"a": 100, "b": 50, "c": 100}},  # 40 + 10 + 40 = 90
        ]
    )
    report = effective_weights(cohort)
    # totals 70, 70, 90: mean 230/3, variance ((−20/3)² · 2 + (40/3)²) / 3 = 800/9
    assert report.totals == (D(70), D(70), D(90))
    assert Fraction(report.total_variance) == pytest.approx(Fraction(800, 9), abs=1e-40)
    a, b, c = report.indicators
    # a: 40, 20, 40 — mean 100/3; deviations 20/3, −40/3, 20/3; totals' deviations −20/3, −20/3, 40/3
    # cov = (−400/9 + 800/9 + 800/9) / 3 = 400/9; share = (400/9) / (800/9) = 1/2
    assert a.variation_share_exact == Fraction(1, 2)
    # c: 20, 40, 40 — deviations −40/3, 20/3, 20/3; cov = (800/9 − 400/9 + 800/9) / 3 = 400/9: also 1/2
    assert c.variation_share_exact == Fraction(1, 2)
    assert b.variation_share_exact == 0 and b.decides_nothing and b.variance == 0 and b.std == 0
    assert (a.nominal_share, b.nominal_share, c.nominal_share) == (D("0.4"), D("0.2"), D("0.4"))
    assert a.mean_share_of_weight is not None and Fraction(a.mean_share_of_weight) == pytest.approx(
        Fraction(5, 6), abs=1e-40
    )
    # variance of a: ((20/3)² · 2 + (40/3)²) / 3 = 800/9 — the same spread as the totals
    assert Fraction(a.variance) == pytest.approx(Fraction(800, 9), abs=1e-40)
    (group,) = report.groups
    assert group.id == "G" and group.members == ("a", "b") and group.weight == 60
    assert group.variation_share_exact == Fraction(1, 2)  # the sum of its members'
    assert group.nominal_share == D("0.6")


def test_an_indicator_every_unit_aces_decides_nothing() -> None:
    cohort = cohort_of(
        [
            {"values": {"a": 100, "b": 37, "c": 80}},
            {"values": {"a": 100, "b": 64, "c": 55}},
            {"values": {"a": 100, "b": 91, "c": 70}},
            {"values": {"a": 100, "b": 12, "c": 99}},
        ]
    )
    report = effective_weights(cohort)
    aced = report.indicator("a")
    assert aced.nominal_share == D("0.4")  # the largest weight on paper…
    assert aced.variation_share == 0 and aced.variation_share_exact == 0  # …decides nothing
    assert aced.variance == 0 and aced.mean == 40 and aced.mean_share_of_weight == 1
    assert aced.decides_nothing
    line = next(line for line in weights_table(report).splitlines() if line.startswith("  a "))
    assert line.endswith("(same in every unit)")


def test_shares_add_up_to_one_and_groups_are_member_sums() -> None:
    cohort = cohort_of(
        [
            {"values": {"a": 13, "b": 97, "c": 41}},
            {"values": {"a": 88, "b": 3, "c": 67}},
            {"values": {"a": 59, "b": 71, "c": 7}},
            {"values": {"a": 33, "b": 29, "c": 93}},
            {"values": {"a": 71, "b": 55, "c": 49}},
        ],
        rounding={"places": 2, "total_places": 0, "mode": "half_even"},
    )
    report = effective_weights(cohort)
    shares = [item.variation_share_exact for item in report.indicators]
    assert all(share is not None for share in shares)
    assert sum(shares, Fraction(0)) == 1  # exactly
    assert abs(sum(item.variation_share for item in report.indicators) - 1) < D("1e-45")  # type: ignore[misc]
    assert sum(item.nominal_share for item in report.indicators) == 1
    group = report.group("G")
    members = [report.indicator(m).variation_share_exact for m in group.members]
    assert group.variation_share_exact == sum(members, Fraction(0))  # type: ignore[arg-type]
    # a negative share: b moves against the rest here
    assert report.indicator("b").variation_share_exact < 0  # type: ignore[operator]


def test_no_variation_is_said_not_divided() -> None:
    cohort = cohort_of([{"values": {"a": 50, "b": 50, "c": 50}}, {"values": {"a": 60, "b": 50, "c": 40}}])
    report = effective_weights(cohort)
    assert report.total_variance == 0 and report.note is not None and "do not vary" in report.note
    assert all(item.variation_share is None for item in (*report.indicators, *report.groups))
    assert report.indicator("a").variance > 0  # the rows vary; their sum does not
    assert "Note: the totals do not vary" in weights_table(report)
    single = effective_weights(cohort_of([{"values": {"a": 50, "b": 50, "c": 50}}]))
    assert single.note is not None and "only one unit" in single.note


def test_rescaled_not_applicable_rows_count_as_the_total_does() -> None:
    cohort = cohort_of(
        [
            {"values": {"a": 80, "b": 50}, "not_applicable": ["c"]},  # (32 + 10) × 100/60 = 70
            {"values": {"a": 50, "b": 100, "c": 100}},  # 20 + 20 + 40 = 80
            {"values": {"a": 100, "b": 100, "c": 25}},  # 40 + 20 + 10 = 70
        ],
        not_applicable="rescale",
    )
    results = cohort.evaluate()
    for result in results:
        assert sum(contributions(result), Fraction(0)) == Fraction(result.total_exact)  # type: ignore[arg-type]
    report = effective_weights(cohort, results)
    assert report.totals == (D(70), D(80), D(70))
    assert sum((i.variation_share_exact for i in report.indicators), Fraction(0)) == 1  # type: ignore[misc]
    assert abs(Fraction(report.indicator("c").mean) - Fraction(50, 3)) < Fraction(1, 10**45)  # 0, 40, 10


def test_unknown_rows_are_refused() -> None:
    cohort = cohort_of(
        [{"values": {"a": 50, "b": 50}, "unknown": ["c"]}, {"values": {"a": 1, "b": 2, "c": 3}}]
    )
    with pytest.raises(scoring.DataError, match="effective weights needs every row known"):
        effective_weights(cohort)


@pytest.mark.skipif(not SYNTHETIC.is_dir(), reason="no synthetic cohort in examples/synthetic")
def test_synthetic_cohort() -> None:
    cohort = load_cohort([SYNTHETIC])
    report = effective_weights(cohort)
    assert len(report.units) == len(cohort.units) and report.total_variance > 0
    assert sum((i.variation_share_exact for i in report.indicators), Fraction(0)) == 1  # type: ignore[misc]
    for group in report.groups:  # groups nest: each is the sum of its members
        members = sum((report.indicator(m).variation_share_exact for m in group.members), Fraction(0))  # type: ignore[misc]
        assert group.variation_share_exact == members
    tops = [g for g in report.groups if "/" not in g.id]
    if sum(g.weight for g in tops) == cohort.indicator_set.total:  # every indicator is in a group
        assert sum((g.variation_share_exact for g in tops), Fraction(0)) == 1  # type: ignore[misc]


def test_outputs() -> None:
    cohort = cohort_of([{"values": {"a": 100, "b": 50, "c": 50}}, {"values": {"a": 50, "b": 50, "c": 100}},
                        {"values": {"a": 100, "b": 50, "c": 100}}])  # fmt: skip
    report = effective_weights(cohort)
    text = weights_table(report)
    assert "Nominal" in text and "Variation" in text and "50.0%" in text
    rows = weights_csv(report).splitlines()
    assert rows[0].split(",")[:6] == ["kind", "id", "label", "weight", "nominal_share", "variation_share"]
    assert rows[1].startswith("group,G,") and rows[2].startswith("indicator,a,")
    data = json.loads(report.to_json(), parse_float=D)
    assert data["indicators"][1]["variation_share"] == 0 and data["total_mean"] > 76
    assert [g["id"] for g in data["groups"]] == ["G"]
