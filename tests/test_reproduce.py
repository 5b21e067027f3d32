"""Reproducing published results and auditing published tables; unknown rows and feasible ranges."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scoring
from scoring.cli import main
from tests.helpers import set_text
from tests.profiles import examples

LINEAR = {"linear": {"zero_at": 0, "full_at": 100}}


def small_set() -> scoring.IndicatorSet:
    """Four rows in two groups; each row's points are its value's share of 100 of its weight."""
    return scoring.parse_set(
        set_text(
            [
                {"id": "a", "group": "G1", "weight": 30, "formula": "a", "rule": LINEAR},
                {"id": "b", "group": "G1", "weight": 20, "formula": "b", "rule": LINEAR},
                {"id": "c", "group": "G2", "weight": 40, "formula": "c", "rule": LINEAR},
                {"id": "d", "group": "G2", "weight": 10, "formula": "d", "rule": LINEAR},
            ],
            inputs={name: {} for name in "abcd"},
        ),
        "small.yaml",
    )


VALUES = {"a": D("91.5"), "b": D("92.25"), "c": D("92.5"), "d": D("91.7")}
# points: a 27.45, b 18.45, c 37.00, d 9.17 → G1 45.90, G2 46.17 → total 92.07 → 92.1 优


def table(**changes: Any) -> dict[str, Any]:
    """The correct published table for VALUES, with ``changes`` planted into it."""
    published: dict[str, Any] = {
        "total": D("92.1"),
        "grade": "优",
        "indicators": {"a": D("27.45"), "b": D("18.45"), "c": D("37"), "d": D("9.17")},
        "groups": {"G1": D("45.9"), "G2": D("46.17")},
    }
    for key, value in changes.items():
        if key in ("indicators", "groups"):
            published[key] = {**published[key], **value}
        else:
            published[key] = value
    return published


def run(published: dict[str, Any], values: dict[str, Any] | None = None, **unit: Any) -> scoring.Reproduction:
    indicator_set = small_set()
    data = {"values": values if values is not None else VALUES, "published": published, **unit}
    return scoring.reproduce(indicator_set, scoring.unit_from_mapping(data, indicator_set))


def checks(outcome: scoring.Reproduction) -> set[tuple[str, str, str]]:
    return {(f.source, f.check, f.subject) for f in outcome.findings}


def test_correct_table_is_reproduced() -> None:
    outcome = run(table())
    assert outcome.findings == ()
    assert outcome.ok
    assert set(outcome.matched) >= {"total", "grade", "a", "b", "c", "d", "G1", "G2"}


def test_coarser_published_figures_are_a_rounding_finding() -> None:
    # a table printing 27.5 for the computed 27.45 does not reproduce the set's 2 decimals, but says why
    outcome = run(table(indicators={"a": D("27.5")}))
    finding = next(f for f in outcome.findings if f.subject == "a")
    assert (finding.source, finding.check) == ("reproduction", "rounding")
    assert "rounded to 1 decimals" in finding.message
    assert "a" not in outcome.matched and not outcome.reproduced


def test_integer_published_row_is_not_equal_to_a_fraction() -> None:
    outcome = run(table(indicators={"d": D("9")}))  # computed 9.17: only equal at 0 decimals
    assert ("reproduction", "rounding", "d") in checks(outcome)
    assert "d" not in outcome.matched
    outcome = run(table(indicators={"d": D("8")}))
    assert ("reproduction", "row", "d") in checks(outcome)


def test_total_audited_against_top_level_groups() -> None:
    published = {"total": D("92.1"), "groups": {"G1": D("45.9"), "G2": D("56.17")}}
    outcome = run(published)
    assert ("audit", "total-sum", "total") in checks(outcome)


def test_audit_keeps_its_own_rounding_finding() -> None:
    values = {**VALUES, "d": D("91.5")}
    outcome = run(table(total=D("92.0"), indicators={"d": D("9.15")}, groups={"G2": D("46.15")}), values)
    assert {(f.source, f.check) for f in outcome.findings} == {
        ("reproduction", "rounding"),
        ("audit", "rounding"),
    }


def test_reproduce_needs_a_published_section() -> None:
    indicator_set = small_set()
    with pytest.raises(scoring.DataError, match="no published"):
        scoring.reproduce(indicator_set, scoring.unit_from_mapping({"values": VALUES}, indicator_set))


def test_row_over_its_weight() -> None:
    outcome = run(table(indicators={"d": D("10.5")}, groups={"G2": D("47.5")}, total=D("93.4")))
    audit = {c for c in checks(outcome) if c[0] == "audit"}
    assert audit == {("audit", "row-range", "d")}
    assert not outcome.ok


def test_rows_not_adding_up() -> None:
    outcome = run(table(groups={"G1": D("46.9")}))
    assert {c for c in checks(outcome) if c[0] == "audit"} == {("audit", "group-sum", "G1")}
    assert ("reproduction", "group", "G1") in checks(outcome)  # the computed subtotal disagrees too


def test_wrong_grade() -> None:
    outcome = run(table(grade="良"))
    assert checks(outcome) == {("audit", "grade-band", "grade"), ("reproduction", "grade", "grade")}
    finding = next(f for f in outcome.findings if f.check == "grade-band")
    assert "92.1 earns grade 优" in finding.message


def test_changed_weight() -> None:
    changed = {"a": {"points": D("27.45"), "weight": D("35")}}
    outcome = run(table(indicators=changed))
    assert checks(outcome) == {("audit", "weight", "a")}
    assert outcome.reproduced and not outcome.ok


def test_different_rounding() -> None:
    # rows 27.45 + 18.45 + 37 + 9.15 = 92.05: half-up gives 92.1, the table shows 92.0 (half-even or down)
    values = {**VALUES, "d": D("91.5")}
    outcome = run(table(total=D("92.0"), indicators={"d": D("9.15")}, groups={"G2": D("46.15")}), values)
    assert {c[1] for c in checks(outcome)} == {"rounding"}
    assert all(f.subject == "total" for f in outcome.findings)
    assert all("half_even" in f.message for f in outcome.findings)


def test_total_not_reproduced_shows_difference() -> None:
    outcome = run(table(), values={**VALUES, "c": D("80")})
    kinds = checks(outcome)
    assert ("reproduction", "total", "total") in kinds
    row = next(f for f in outcome.findings if f.subject == "c")
    assert row.trace is not None and "c = 80" in row.trace


class TestUnknownRows:
    def test_range_and_required_sum_by_hand(self) -> None:
        # a, b, c known: 27.45 + 18.45 + 37.00 = 82.90; d unknown in [0, 10]
        values = {k: v for k, v in VALUES.items() if k != "d"}
        outcome = run({"total": D("92.1"), "grade": "优"}, values, unknown=["d"])
        result = outcome.result
        assert result.total is None and result.grade is None
        assert result.total_range == (D("82.9"), D("92.9"))
        assert result.grades_possible == ("优", "良")
        # 82.90 + U rounds to 92.1 (half-up) ⟺ 92.05 ≤ 82.90 + U < 92.15 ⟺ U ∈ [9.15, 9.24] in steps of 0.01
        assert outcome.attainable is True
        assert outcome.required_unknown == (D("9.15"), D("9.24"))
        assert not outcome.reproduced  # cannot be claimed while a row is unknown

    def test_unattainable_total(self) -> None:
        values = {k: v for k, v in VALUES.items() if k != "d"}
        outcome = run({"total": D("95")}, values, unknown=["d"])
        assert outcome.attainable is False
        assert checks(outcome) == {("reproduction", "attainable", "total")}

    def test_tier_narrows_the_range(self) -> None:
        tiers = [
            {"label": "好", "min_share": D("0.8")},
            {"label": "中", "min_share": D("0.6")},
            {"label": "差", "min_share": 0},
        ]
        text = set_text(
            [
                {"id": "a", "weight": 90, "formula": "a", "rule": LINEAR},
                {"id": "j", "weight": 10, "rule": {"judgment": {"tiers": tiers}}},
            ],
            inputs={"a": {}},
        )
        s = scoring.parse_set(text)
        result = scoring.evaluate(
            s, {"values": {"a": 100}, "judgments": {"j": {"tier": "中", "reason": "r"}}}
        )
        assert result.indicator("j").status == "unknown"
        assert result.indicator("j").points_range == (D("6.00"), D("8.00"))
        assert result.total_range == (D("96.0"), D("98.0"))
        assert result.grades_possible == ("优",)

    def test_groups_become_ranges(self) -> None:
        values = {k: v for k, v in VALUES.items() if k != "d"}
        result = scoring.evaluate(small_set(), {"values": values, "unknown": ["d"]})
        assert result.group("G2").points is None
        assert result.group("G2").points_range == (D("37.00"), D("47.00"))
        assert result.group("G1").points == D("45.90")


# An example costs about 5 ms: this test takes 1.5 times the profile's examples (60 under 'dev').
@examples(60)
@given(
    st.fixed_dictionaries({name: st.decimals(0, 120, places=2) for name in "abcd"}),
    st.sets(st.sampled_from("abcd"), min_size=1),
)
def test_computed_total_lies_in_the_interval(values: dict[str, D], unknown: set[str]) -> None:
    indicator_set = small_set()
    complete = scoring.evaluate(indicator_set, {"values": values})
    partial = scoring.evaluate(indicator_set, {"values": values, "unknown": sorted(unknown)})
    assert partial.total_range is not None
    low, high = partial.total_range
    assert low <= complete.total <= high
    assert complete.grade in partial.grades_possible
    for group in complete.groups:
        ranged = partial.group(group.path)
        if ranged.points_range is not None:
            assert ranged.points_range[0] <= group.points <= ranged.points_range[1]
    # and the published total of the complete result is always attainable from the partial one
    unit = scoring.unit_from_mapping(
        {"values": values, "unknown": sorted(unknown), "published": {"total": complete.total}}, indicator_set
    )
    assert scoring.reproduce(indicator_set, unit).attainable is True


def test_cli_reproduce_exit_codes(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    small = tmp_path / "small.yaml"
    small.write_text(small_set().dump(), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(
        "set: small.yaml\nvalues: {a: 91.5, b: 92.25, c: 92.5, d: 91.7}\npublished: {total: 92.1, grade: 优}\n",
        encoding="utf-8",
    )
    assert main(["reproduce", str(good)]) == 0
    assert "REPRODUCED" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("grade: 优", "grade: 良"), encoding="utf-8")
    assert main(["reproduce", str(bad), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert {f["check"] for f in data["findings"]} == {"grade", "grade-band"}
