"""Expert panels on judged rows (issue 13, point 1): aggregation, the trace, located errors, ranges, the
shipped synthetic example (examples/panel/) and the worked example of docs/format.md."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring.cli import main
from scoring.errors import DataError, DefinitionError
from scoring.language import Catalogue
from scoring.numbers import CONTEXT
from scoring.rules.panel import PanelRule, aggregate, aggregate_exact, round_fraction, trimmed_positions

ROOT = Path(__file__).resolve().parent.parent
PANEL = ROOT / "examples" / "panel"
EN, ZH = Catalogue("en"), Catalogue("zh")

SET = """\
format: scoring/1
id: p
total: 20
rounding: {places: 2, total_places: 2}
grades: [{label: A, min: 0}]
panel: {aggregate: trimmed_mean, trim: 1, min_raters: 3, spread: {max_share: 0.2}}
indicators:
  - id: j
    weight: 10
    rule:
      judgment:
        tiers: [{label: hi, min_share: 0.8}, {label: mid, min_share: 0.5}, {label: lo, min_share: 0}]
  - id: k
    weight: 10
    rule:
      judgment:
        tiers: [{label: hi, min_share: 0.5}, {label: lo, min_share: 0}]
        panel: {aggregate: mean, min_raters: 2, places: 1}
"""


def _set() -> scoring.IndicatorSet:
    return scoring.parse_set(SET, "set.yaml")


def _unit(j: str, k: str = "raters: [{name: a, points: 5}, {name: b, points: 6}]") -> str:
    return f"judgments:\n  j: {{{j}}}\n  k: {{{k}}}\n"


def _score(text: str) -> scoring.Result:
    indicator_set = _set()
    return scoring.evaluate(indicator_set, scoring.parse_unit(text, "unit.yaml", indicator_set))


def _problems(text: str) -> list[scoring.Problem]:
    with pytest.raises(DataError) as caught:
        _score(text)
    return list(caught.value.problems)


def test_trimmed_mean_and_row_settings() -> None:
    result = _score(
        _unit(
            "raters: [{name: a, points: 9}, {name: b, points: 7}, {name: c, points: 8}, {name: d, points: 10}]"
        )
    )
    j, k = result.indicator("j"), result.indicator("k")
    assert (j.status, j.points, j.tier) == ("judged", D("8.50"), "hi")  # 7 and 10 dropped: (8 + 9) / 2
    assert [r.trimmed for r in j.panel.raters] == [False, True, False, True]
    assert j.panel.spread == 3 and j.panel.spread_limit == 2 and j.panel.wide  # 0.2 of 10
    assert k.points == D("5.5") and k.panel.aggregate == "mean" and k.panel.places == 1  # the row's own keys
    assert k.tier == "hi" and not k.panel.wide  # 5.5 of 10 is in hi (5–10); spread 1 ≤ 2
    assert result.total == D("14.00")


def test_without_panel_settings_a_panel_takes_the_mean_at_the_sets_places() -> None:
    text = SET.replace(
        "panel: {aggregate: trimmed_mean, trim: 1, min_raters: 3, spread: {max_share: 0.2}}\n", ""
    )
    indicator_set = scoring.parse_set(text, "set.yaml")
    unit = _unit("raters: [{name: a, points: 9}, {name: b, points: 7}, {name: c, points: 8.5}]")
    row = scoring.evaluate(indicator_set, scoring.parse_unit(unit, "unit.yaml", indicator_set)).indicator("j")
    assert (row.points, row.panel.aggregate, row.panel.places, row.panel.wide) == (
        D("8.17"),
        "mean",
        2,
        False,
    )
    assert not [r for r in row.panel.raters if r.trimmed]


def test_rounding_is_exact_and_as_declared() -> None:
    # mean of 1, 1, 2 = 4/3: 1.3 at one place; 1.25 would round half-up to 1.3 and half-even to 1.2
    result = _score(_unit("raters: [{name: a, points: 8}, {name: b, points: 8}, {name: c, points: 8}]",
                          "raters: [{name: a, points: 1}, {name: b, points: 1}, {name: c, points: 2}]"))  # fmt: skip
    assert result.indicator("k").points == D("1.3")
    assert result.indicator("k").panel.exact == CONTEXT.divide(D(4), D(3))
    rule = PanelRule(
        aggregate="mean", trim=1, min_raters=1, places=1, mode="half_even", max_range=None, max_share=None
    )
    assert aggregate([D("1.2"), D("1.3")], rule) == D("1.2")
    assert aggregate([D("1.2"), D("1.3")], PanelRule(**{**_fields(rule), "mode": "half_up"})) == D("1.3")


def _fields(rule: PanelRule) -> dict[str, object]:
    return {name: getattr(rule, name) for name in rule.__slots__}  # type: ignore[attr-defined]


def test_rater_errors_are_located_at_the_rater() -> None:
    text = _unit(
        "raters: [{name: a, points: 11}, {name: b, tier: lo, points: 9}, {name: c}, {name: c, tier: top}]"
    )
    problems = {(p.code, p.location.line, p.location.column) for p in _problems(text) if p.location}
    codes = sorted(p.code for p in _problems(text))
    assert codes == ["judgment-tier", "panel-points", "panel-points", "panel-rater", "panel-rater"]
    line = 2  # every rater of j is on line 2 of the unit file; a problem points at the rater's points: key
    assert ("panel-points", line, text.splitlines()[1].index("points: 11") + 1) in problems
    assert ("panel-points", line, text.splitlines()[1].index("points: 9}") + 1) in problems
    message = next(p.message for p in _problems(text) if "9 points" in p.message)
    assert "outside tier 'lo' (0 to 5)" in message


def test_too_few_raters_and_wrong_rows() -> None:
    problems = _problems(_unit("raters: [{name: a, points: 9}, {name: b, points: 7}]"))
    assert [p.code for p in problems] == ["panel-raters"]
    assert "needs at least 3" in problems[0].message and problems[0].location.line == 2
    both = "judgments:\n  j: {raters: [{name: a, points: 9}]}\nunknown: [j]\n"
    assert "unknown-clash" in {p.code for p in _problems(both)}


def test_trimmed_mean_without_enough_raters_is_a_set_problem() -> None:
    text = SET.replace(
        "panel: {aggregate: mean, min_raters: 2, places: 1}",
        "panel: {aggregate: trimmed_mean, trim: 2, min_raters: 4}",
    )
    with pytest.raises(DefinitionError) as caught:
        scoring.parse_set(text, "set.yaml")
    assert [p.code for p in caught.value.problems] == ["panel-trim"]


def test_unknown_raters_make_a_range() -> None:
    text = _unit(
        "raters: [{name: a, points: 9}, {name: b, points: unknown}, {name: c, tier: mid}, {name: d, points: 6}]"
    )
    result = _score(text)
    row = result.indicator("j")
    # b anywhere in 0–10, c in mid (5–8): lowest 0, 5, 6, 9 → (5 + 6) / 2; highest 6, 8, 9, 10 → (8 + 9) / 2
    assert (row.status, row.points, row.points_range) == ("unknown", None, (D("5.50"), D("8.50")))
    assert result.total is None and result.total_range == (D("11.00"), D("14.00"))
    assert "b ? (0–10)" in row.outcome and "c ? (5–8)" in row.outcome
    assert "b ?（0–10）" in row.outcome_text(ZH)


def test_panel_points_scale_with_a_weight_change() -> None:
    """Raters write points at the row's declared weight, like a judgment; a new weight scales the aggregate."""
    unit = scoring.load_unit(PANEL / "unit-a.yaml")
    heavier = unit.indicator_set.reweighted({"goals": 15, "plan": 15})
    row = scoring.evaluate(heavier, unit).indicator("goals")
    assert (row.weight, row.points) == (15, D("12.75"))  # 8.5 of 10 → 12.75 of 15
    assert "scaled to 15" in row.outcome


def test_panel_row_can_be_overridden() -> None:
    text = _unit("raters: [{name: a, points: 9}, {name: b, points: 7}, {name: c, points: 8}]") + (
        "overrides: {j: {points: 4, reason: moderated}}\n"
    )
    row = _score(text).indicator("j")
    assert row.status == "overridden" and row.points == 4 and row.computed_points == 8
    assert row.panel.raters[0].name == "a"


def test_example_scores_explains_and_reproduces(capsys: pytest.CaptureFixture[str]) -> None:
    a = scoring.load_unit(PANEL / "unit-a.yaml")
    result = scoring.evaluate(a.indicator_set, a)
    assert [result.indicator(i).points for i in ("goals", "plan", "management", "benefit")] == [
        D("8.50"), D("16.50"), D("16.00"), D("16.67")]  # fmt: skip
    assert (result.total, result.grade) == (D("86.2"), "良")
    data = json.loads(result.to_json(), parse_float=D)
    benefit = next(row for row in data["indicators"] if row["id"] == "benefit")
    assert benefit["panel"]["exact"] == CONTEXT.divide(D(50), D(3)) and benefit["panel"]["spread"] == D("2.5")
    assert [r["trimmed"] for r in benefit["panel"]["raters"]] == [False, True, False, False, True]
    assert "panel" not in next(row for row in data["indicators"] if row["id"] == "completion")
    b = scoring.load_unit(PANEL / "unit-b.yaml")
    assert scoring.evaluate(b.indicator_set, b).total_range == (D("82.7"), D("83.0"))
    c = scoring.load_unit(PANEL / "unit-c.yaml")
    result_c = scoring.evaluate(c.indicator_set, c)
    assert [(w.code, w.line) for w in result_c.warnings] == [("panel-spread", 30)]  # at benefit's raters:
    wide = result_c.indicator("benefit")
    assert wide.panel.wide and wide.outcome.endswith("— warning: spread 6 exceeds 3")
    assert wide.outcome_text(ZH).endswith("；警告：极差 6 超过 3")
    assert main(["score", str(PANEL / "unit-c.yaml")]) == 0
    assert "spread 6 exceeds 3" in capsys.readouterr().out
    assert main(["explain", str(PANEL / "unit-b.yaml"), "goals", "--lang", "zh"]) == 0
    assert "专家丙 ?（8–10）" in capsys.readouterr().out
    assert main(["reproduce", str(PANEL / "unit-a.yaml")]) == 0
    assert "REPRODUCED" in capsys.readouterr().out


def test_reproduce_names_the_rules_that_give_a_published_panel_row() -> None:
    unit = scoring.load_unit(PANEL / "unit-a.yaml")
    reproduction = scoring.reproduce(unit.indicator_set, unit)
    by_row = {check.indicator: check for check in reproduction.panels}
    assert by_row["benefit"].reproduced_by == ("trimmed_mean_1",)
    assert by_row["goals"].reproduced_by == ("trimmed_mean_1", "trimmed_mean_2", "median")  # the mean is 8.6
    assert [c.rounded for c in by_row["benefit"].candidates] == [D("16.7"), D("16.67"), D(17), D(17)]
    assert reproduction.ok and json.loads(reproduction.to_json())["panels"][0]["declared"] == "trimmed_mean_1"
    source = (PANEL / "unit-a.yaml").read_text(encoding="utf-8")
    # printed with one decimal, 16.7 is both the mean (16.7) and the trimmed mean (16.666… → 16.7)
    coarse = scoring.parse_unit(
        source.replace("benefit: 16.67", "benefit: 16.7"), "a.yaml", unit.indicator_set
    )
    assert scoring.reproduce(unit.indicator_set, coarse).panels[1].reproduced_by == ("mean", "trimmed_mean_1")
    wrong = scoring.parse_unit(
        source.replace("benefit: 16.67", "benefit: 16.5"), "a.yaml", unit.indicator_set
    )
    changed = scoring.reproduce(unit.indicator_set, wrong)
    assert not changed.reproduced and changed.panels[1].reproduced_by == ()
    seed = scoring.load_unit(ROOT / "examples" / "hunan-hrss-2019.yaml")  # no panel: no panels key
    assert "panels" not in json.loads(scoring.reproduce(seed.indicator_set, seed).to_json())


def _panel_table(path: Path) -> list[dict[str, str]]:
    """The example units as one table: a column per input and per rater, ``<indicator>.<rater>``."""
    import csv

    import yaml

    rows = []
    for unit in sorted(PANEL.glob("unit-*.yaml")):
        data = yaml.safe_load(unit.read_text(encoding="utf-8"))
        row = {"unit": data["unit"], **{k: str(v) for k, v in data["values"].items()}}
        for key, judgment in data["judgments"].items():
            row.update({f"{key}.{r['name']}": str(r["points"]) for r in judgment["raters"]})
            row[f"{key}.reason"] = judgment.get("reason", "")
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_batch_reads_rater_columns_and_agrees_with_evaluate(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from scoring.batch import score_table

    rows = _panel_table(tmp_path / "panel.csv")
    indicator_set = scoring.load_set(PANEL / "set.yaml")
    scores = score_table(indicator_set, tmp_path / "panel.csv", explain=True)
    assert not scores.errors and scores.scalar_rows == 3  # panel rows go to the exact engine
    for index, unit_path in enumerate(sorted(PANEL.glob("unit-*.yaml"))):
        # the table gives the raters' points only: the same unit without the raters' tiers
        text = re.sub(r"tier: [^,]+, ", "", unit_path.read_text(encoding="utf-8"))
        result = scoring.evaluate(indicator_set, scoring.parse_unit(text, str(unit_path), indicator_set))
        assert scores.explain[index] == tuple(row.outcome for row in result.indicators)
        if result.total is not None:
            assert scores.array("total")[index] == int(result.total * 10)  # tenths: total_places 1
        else:
            low, high = result.total_range  # type: ignore[misc]
            assert (scores.array("total_low")[index], scores.array("total_high")[index]) == (
                low * 10,
                high * 10,
            )
    rows[0]["goals.专家甲"] = "11"
    import csv

    with (tmp_path / "bad.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    bad = score_table(indicator_set, tmp_path / "bad.csv")
    assert list(bad.errors) == [0] and bad.errors[0][0].code == "panel-points"
    assert str(bad.errors[0][0].location).endswith("row 2, column goals.专家甲")


def test_docs_worked_example() -> None:
    """The numbers of the Panels section of docs/format.md."""
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    points = [Fraction(p) for p in ("17", "18", "16", "17", "15.5")]
    assert aggregate_exact(points, "trimmed_mean", 1) == Fraction(50, 3)
    assert round_fraction(Fraction(50, 3), 2) == D("16.67") and "**16.67**" in docs
    assert aggregate_exact(points, "mean") == Fraction("16.7") and "83.5/5 = 16.7" in docs
    assert aggregate_exact(points, "median") == 17 and "the median 17" in docs
    a = scoring.load_unit(PANEL / "unit-a.yaml")
    row = scoring.evaluate(a.indicator_set, a).indicator("benefit")
    assert " ".join(row.outcome.split()) in " ".join(docs.split())
    b = scoring.load_unit(PANEL / "unit-b.yaml")
    goals = scoring.evaluate(b.indicator_set, b).indicator("goals")
    assert goals.points_range == (D("8.50"), D("8.83")) and "the row is 8.5 to 8.83" in docs


# --- properties -------------------------------------------------------------------------------------------

points_st = st.decimals(min_value=0, max_value=20, places=1, allow_nan=False, allow_infinity=False)
HOWS = st.sampled_from(["mean", "trimmed_mean", "median"])


@given(st.lists(points_st, min_size=3, max_size=12), st.integers(1, 5))
def test_trimmed_mean_lies_between_min_and_max(scores: list[D], trim: int) -> None:
    trim = min(trim, (len(scores) - 1) // 2)
    value = aggregate_exact([Fraction(s) for s in scores], "trimmed_mean", trim)
    assert min(scores) <= value <= max(scores)
    assert len(trimmed_positions(scores, "trimmed_mean", trim)) == 2 * trim


@given(st.lists(points_st, min_size=1, max_size=12))
def test_adding_a_rater_at_the_mean_keeps_the_mean(scores: list[D]) -> None:
    fractions = [Fraction(s) for s in scores]
    mean = aggregate_exact(fractions, "mean")
    assert aggregate_exact([*fractions, mean], "mean") == mean


@given(st.lists(points_st, min_size=3, max_size=12), HOWS, st.randoms(use_true_random=False))
def test_aggregate_ignores_the_order_of_raters(scores: list[D], how: str, rnd: object) -> None:
    fractions = [Fraction(s) for s in scores]
    shuffled = fractions[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert aggregate_exact(fractions, how, 1) == aggregate_exact(shuffled, how, 1)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.decimals(min_value=5, max_value=8, places=2), min_size=3, max_size=7), HOWS)
def test_panel_row_stays_within_its_tier_and_weight(scores: list[D], how: str) -> None:
    raters = ", ".join(f"{{name: r{i}, tier: mid, points: {s}}}" for i, s in enumerate(scores))
    text = _unit(f"raters: [{raters}]")
    indicator_set = scoring.parse_set(SET.replace("aggregate: trimmed_mean", f"aggregate: {how}"), "set.yaml")
    row = scoring.evaluate(indicator_set, scoring.parse_unit(text, "unit.yaml", indicator_set)).indicator("j")
    assert D(5) <= row.points <= D(8) and row.tier in ("hi", "mid")
    assert min(scores) - D("0.005") <= row.points <= max(scores) + D("0.005")


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=1000), st.integers(0, 4),
       st.sampled_from(["half_up", "half_even", "down", "up"]))  # fmt: skip
def test_round_fraction_agrees_with_decimal_quantize(value: Fraction, places: int, mode: str) -> None:
    """Rounding a fraction once gives what Decimal gives on its (long enough) decimal expansion."""
    import decimal

    with decimal.localcontext() as context:
        context.prec = 60
        exact = D(value.numerator) / D(value.denominator)
        modes = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN,
                 "down": decimal.ROUND_DOWN, "up": decimal.ROUND_UP}  # fmt: skip
        # a terminating decimal is exact at 60 digits; a repeating one is never within 10^-60 of a rounding edge
        expected = exact.quantize(D(1).scaleb(-places), rounding=modes[mode])
        assert round_fraction(value, places, mode) == expected  # type: ignore[arg-type]


def test_panel_files_and_results_match_their_schemas(capsys: pytest.CaptureFixture[str]) -> None:
    """The example's set and units fit the file schemas, and their results (panel key, warnings) the
    result schema, as ``scoring schema`` prints them."""
    import jsonschema
    import yaml

    def validator(kind: str) -> jsonschema.Draft202012Validator:
        assert main(["schema", kind]) == 0
        return jsonschema.Draft202012Validator(json.loads(capsys.readouterr().out))

    unit_schema, result_schema = validator("unit"), validator("result")
    assert not list(
        validator("set").iter_errors(yaml.safe_load((PANEL / "set.yaml").read_text(encoding="utf-8")))
    )
    for path in sorted(PANEL.glob("unit-*.yaml")):
        assert not list(unit_schema.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert main(["score", str(path), "--format", "json"]) == 0
        assert not list(result_schema.iter_errors(json.loads(capsys.readouterr().out, parse_float=D)))


rater_st = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "c", "d", "e", "f"])},
    optional={
        "points": st.one_of(st.just("unknown"), st.decimals(min_value=-2, max_value=12, places=2)),
        "tier": st.sampled_from(["hi", "mid", "lo", "nope"]),
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(rater_st, min_size=1, max_size=7))
def test_any_panel_scores_or_fails_with_located_problems(raters: list[dict[str, object]]) -> None:
    """Whatever the raters write, the unit scores (within the row's range, or as a range inside it) or fails
    with problems located in the file — never a traceback."""
    text = _unit(
        "raters: ["
        + ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in r.items()) + "}" for r in raters)
        + "]"
    )
    try:
        row = _score(text).indicator("j")
    except DataError as error:
        assert all(p.location is not None and p.location.line is not None for p in error.problems)
        return
    low, high = row.points_range or (row.points, row.points)
    assert D(0) <= low <= high <= D(10)


def _one_row_panel(weight: str, places: int, set_places: int = 2) -> scoring.IndicatorSet:
    return scoring.parse_set(
        f"""\
format: scoring/1
id: p
total: {weight}
rounding: {{places: {set_places}, total_places: 1}}
grades: [{{label: A, min: 5}}, {{label: B, min: 0}}]
indicators:
  - id: g
    weight: {weight}
    rule: {{judgment: {{tiers: [{{label: hi, min_share: 0.5}}, {{label: lo, min_share: 0}}],
             panel: {{aggregate: mean, places: {places}, min_raters: 2}}}}}}
""",
        "p.yaml",
    )


def _raters(*points: str) -> dict[str, object]:
    raters = [{"name": f"r{i}", "points": D(p), "reason": "x"} for i, p in enumerate(points)]
    return {"g": {"raters": raters, "reason": "panel"}}


def test_a_panels_places_never_round_the_row_past_its_weight() -> None:
    # the mean 9.5 at places 0 would round half-up to 10, above the weight 9.5
    indicator_set = _one_row_panel("9.5", 0)
    unit = scoring.unit_from_mapping({"judgments": _raters("9.5", "9.5")}, indicator_set)
    result = scoring.evaluate(indicator_set, unit)
    assert result.indicators[0].points == D("9.50") and result.total == D("9.5")


def test_reproduce_rounds_the_candidates_as_the_engine_does() -> None:
    # mean of 2 and 2.8 is 2.4: the panel rounds it to 2 (places 0), the row prints 2.0 at the set's 1 place
    indicator_set = _one_row_panel("10", 0, set_places=1)
    data = {"judgments": _raters("2", "2.8"), "published": {"indicators": {"g": D("2.0")}}}
    outcome = scoring.reproduce(indicator_set, scoring.unit_from_mapping(data, indicator_set))
    assert outcome.verdict == "reproduced"
    (check,) = outcome.panels
    assert check.declared == "mean" and "mean" in check.reproduced_by
