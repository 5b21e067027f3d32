"""Saving a tuning: ``scoring tune --write-set`` and ``IndicatorSet.dump(scaled=True)`` write the new weights
with rule points scaled to them, and the saved file gives every unit exactly the tune's "after" column."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import typing
from decimal import Decimal as D
from pathlib import Path

import pytest
from pydantic import BaseModel

import scoring
import scoring.model.indicator_set as indicator_set_module
from scoring.analysis.cohort import Cohort, load_cohort
from scoring.analysis.reweight import WeightChange, reweight
from scoring.analysis.tune import saved_set, tune
from scoring.cli import main
from scoring.model.indicator_set import RULE_POINT_KEYS
from scoring.rules import REGISTRY
from tests.helpers import set_text

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "examples" / "synthetic"
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

#: Numbers in rule shapes that are values, steps or shares (they read the same at any weight).
NOT_POINTS = {"over", "under", "per", "equals", "from", "above", "below", "upto", "zero_at", "full_at",
              "target", "min_share", "tolerance", "at_least", "at_most", "max_share"}  # fmt: skip


def tuned_by_cli(tmp_path: Path, *options: str) -> tuple[dict[str, typing.Any], Path]:
    """The JSON report of ``scoring tune`` on the synthetic cohort, and the set file it wrote."""
    out = tmp_path / "tuned.yaml"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["tune", str(SYNTHETIC), *options, "--write-set", str(out), "--format", "json"])
    assert code == 0
    return typing.cast(dict[str, typing.Any], json.loads(buffer.getvalue())), out


CASES = [
    ("--weight", "过程/预算执行=25"),
    ("--weight", "过程/预算执行=25", "--weight", "staff_control_rate=4", "--rescale", "none"),
    ("--weight", "satisfaction_rate=7", "--weight", "sangong_change_rate=10"),
]


@pytest.mark.parametrize("options", CASES, ids=["group", "rescale-none", "two-rows"])
def test_written_set_gives_every_unit_the_after_column(tmp_path: Path, options: tuple[str, ...]) -> None:
    report, written = tuned_by_cli(tmp_path, *options)
    saved = scoring.load_set(written)
    cohort = load_cohort([SYNTHETIC], written)
    assert cohort.indicator_set == saved
    after = {unit["unit"]: (D(str(unit["total_after"])), unit["grade_after"]) for unit in report["units"]}
    assert len(after) == 24
    for result in cohort.evaluate():
        assert (result.total, result.grade) == after[result.unit]
    # and row by row, the tuned set the report scored with
    original = load_cohort([SYNTHETIC])
    tuned = reweight(original.indicator_set, changes_of(options), rescale_of(options))
    for unit, result in zip(original.units, cohort.evaluate(), strict=True):
        expected = scoring.evaluate(tuned, unit)
        assert [row.points for row in result.indicators] == [row.points for row in expected.indicators]
        assert result.total_exact == expected.total_exact


def changes_of(options: tuple[str, ...]) -> list[WeightChange]:
    from scoring.analysis.reweight import parse_weight

    return [parse_weight(value) for flag, value in itertools.pairwise(options) if flag == "--weight"]


def rescale_of(options: tuple[str, ...]) -> typing.Literal["proportional", "none"]:
    return "none" if "none" in options else "proportional"


def test_written_set_has_new_weights_and_scaled_rule_points(tmp_path: Path) -> None:
    _, written = tuned_by_cli(tmp_path, "--weight", "过程/预算执行=25")
    saved = scoring.load_set(written)
    staff = saved.indicator("staff_control_rate")  # deduct 0.5 per point at 5; now 4.69
    assert (
        staff.weight == D("4.69") and staff.reference_weight == D("4.69") and staff.spec.rule_weight is None
    )
    assert staff.spec.rule.model_dump()["deduct"]["points"] == D("0.469")  # 0.5 × 4.69 / 5
    budget = saved.indicator("budget_completion_rate")  # deduct 2 per 5% at 5; now 6.25
    assert budget.spec.rule.model_dump()["deduct"]["points"] == D("2.5")
    # judged rows keep their rule as written: the points unit files award are at the declared weight
    assert saved.indicator("basic_information").reference_weight == D(7)
    assert saved.indicator("basic_information").weight == D("6.56")
    # 3 → 2.81 does not scale 0.5 points to an exact decimal: the row keeps its rule_weight
    timeliness = saved.indicator("timeliness_rate")
    assert (timeliness.weight, timeliness.reference_weight) == (D("2.81"), D(3))
    assert main(["check", str(written)]) == 0


def test_written_set_says_where_it_came_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = scoring.load_set(HUNAN)
    _, written = tuned_by_cli(tmp_path, "--weight", "过程/预算执行=25")
    assert "kept as written" in capsys.readouterr().err
    text = written.read_text(encoding="utf-8")
    header = text[: text.index("format: scoring/1")]
    assert all(line.startswith("#") or not line for line in header.splitlines())
    assert (
        f"'{original.id}'" in header and original.sha256 in header and f"version {original.version}" in header
    )
    assert "#   staff_control_rate 5 → 4.69\n" in header
    assert "#   budget_completion_rate 5 → 6.25\n" in header
    assert "过程/预算执行 = 25; rescale proportional" in header
    assert "total" not in header.split("with other weights:")[1].split("\n#\n")[0]  # the total did not move


def test_write_set_to_a_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["tune", str(SYNTHETIC), "--weight", "过程/预算执行=25", "--write-set", str(tmp_path)])
    assert code == 2
    assert "cannot write the tuned set" in capsys.readouterr().err


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("factor", [D(2), D("1.25"), D("0.5")])
def test_scaled_dump_scores_every_example_alike(path: Path, factor: D) -> None:
    """Every rule kind (the demo set uses each) scores the same with its points scaled into the rule."""
    unit = scoring.load_unit(path)
    original = unit.indicator_set
    weights = {i.id: i.weight * factor for i in original.indicators}
    if any(w != w.quantize(D(1).scaleb(-original.rounding.places)) for w in weights.values()):
        pytest.skip("a weight would have more decimals than the set's rounding.places")
    tuned = original.reweighted(weights, total=original.total * factor)
    keep = {*unit.overrides, *unit.unknown}  # points the unit data gives at the declared weight
    saved = scoring.parse_set(tuned.dump(scaled=True, keep=keep), "saved.yaml")
    for indicator in saved.indicators:
        scaled = not indicator.rule.judged and indicator.id not in keep
        assert (indicator.reference_weight == indicator.weight) == scaled, indicator.id
    expected, actual = scoring.evaluate(tuned, unit), scoring.evaluate(saved, unit)
    assert [r.points for r in actual.indicators] == [r.points for r in expected.indicators]
    assert [r.points_range for r in actual.indicators] == [r.points_range for r in expected.indicators]
    assert (actual.total, actual.total_range, actual.grade) == (
        expected.total,
        expected.total_range,
        expected.grade,
    )


def test_points_that_do_not_scale_exactly_keep_the_rule_as_written() -> None:
    text = set_text(
        [
            {
                "id": "a",
                "weight": 3,
                "formula": "x",
                "rule": {"deduct": {"over": 0, "per": 1, "points": 1, "steps": "whole"}},
            },
            {
                "id": "b",
                "weight": 5,
                "formula": "x",
                "rule": {"deduct": {"over": 0, "per": 1, "points": 1, "steps": "whole"}},
            },
        ]
    )
    original = scoring.parse_set(text, "set.yaml")
    tuned = original.reweighted({"a": D(2), "b": D(6)})  # 1 × 2/3 is no decimal; 1 × 6/5 = 1.2
    saved = scoring.parse_set(tuned.dump(scaled=True), "saved.yaml")
    assert (saved.indicator("a").weight, saved.indicator("a").reference_weight) == (D(2), D(3))
    assert (saved.indicator("b").weight, saved.indicator("b").reference_weight) == (D(6), D(6))
    assert saved.indicator("b").spec.rule.model_dump()["deduct"]["points"] == D("1.2")
    for x in range(7):
        unit = {"values": {"x": x}}
        assert scoring.evaluate(saved, unit).total_exact == scoring.evaluate(tuned, unit).total_exact


def test_default_dump_keeps_rules_as_written_and_loads_as_an_equal_set() -> None:
    original = scoring.load_set(HUNAN)
    tuned = reweight(original, [WeightChange("过程/预算执行", D(25))])
    text = tuned.dump()
    assert text.startswith("# Saved from indicator set 'hunan-department-overall'")
    assert scoring.parse_set(text, "saved.yaml") == tuned
    assert scoring.parse_set(tuned.dump(scaled=True), "saved.yaml") != tuned  # other rules, same scores
    assert not original.dump().startswith("#")  # a loaded set has no origin to record


def test_header_cannot_break_out_of_its_comment() -> None:
    text = set_text([{"id": "a", "weight": 10, "formula": "x", "rule": {"linear": {"zero_at": 0, "full_at": 1}}},
                     {"id": "b", "weight": 10, "formula": "x", "rule": {"linear": {"zero_at": 0, "full_at": 1}}}],
                    version="1\nformat: evil\u2028x")  # fmt: skip
    tuned = scoring.parse_set(text, "set.yaml").reweighted({"a": D(5), "b": D(15)})
    dumped = tuned.dump(scaled=True, note=["asked\r\nid: other"])
    saved = scoring.parse_set(dumped, "saved.yaml")
    assert saved.id == "test-set" and saved.version == "1\nformat: evil\u2028x"
    assert "# Saved from indicator set 'test-set' version 1\\u000aformat: evil\\u2028x" in dumped
    assert "# asked\\u000d\\u000aid: other\n" in dumped


def test_rows_the_cohort_overrides_keep_their_rule_as_written() -> None:
    linear = {"deduct": {"over": 0, "per": 1, "points": 2, "steps": "whole"}}
    text = set_text([{"id": "a", "weight": 40, "formula": "x", "rule": linear},
                     {"id": "b", "weight": 60, "formula": "x", "rule": linear}])  # fmt: skip
    indicator_set = scoring.parse_set(text, "set.yaml")
    units = (
        scoring.unit_from_mapping({"unit": "u0", "values": {"x": 3}}, indicator_set),
        scoring.unit_from_mapping(
            {"unit": "u1", "values": {"x": 1}, "overrides": {"a": {"points": 30, "reason": "audit"}}},
            indicator_set,
        ),
    )
    cohort = Cohort(indicator_set, units)
    report = tune(cohort, [WeightChange("a", D(52))])  # b: 60 → 48
    saved = saved_set(report, cohort)
    assert saved.scaled and saved.kept == ("a",)
    loaded = scoring.parse_set(saved.text, "tuned.yaml")
    assert loaded.indicator("a").reference_weight == D(40)  # the override's 30 points are at weight 40
    assert loaded.indicator("b").spec.rule.model_dump()["deduct"]["points"] == D("1.6")  # 2 × 48/60
    totals = [scoring.evaluate(loaded, unit).total for unit in units]
    assert totals == [unit.after for unit in report.units]


def test_saved_set_falls_back_to_the_rules_as_written_when_scaling_would_change_a_total(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cohort = load_cohort([SYNTHETIC])
    report = tune(cohort, [WeightChange("过程/预算执行", D(25))])
    assert saved_set(report, cohort).scaled
    # a rule whose points were not scaled (as if 'points' were not known as points) scores otherwise: caught
    monkeypatch.setattr(indicator_set_module, "RULE_POINT_KEYS", frozenset())
    fallback = saved_set(report, cohort)
    assert not fallback.scaled
    loaded = scoring.parse_set(fallback.text, "tuned.yaml")
    assert loaded == report.after
    assert "rules with scaled points did not give every" in fallback.text


def _number_fields(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    """Names of the number fields of a rule shape, at every depth."""
    names: set[str] = set()
    if model in seen:
        return names
    seen.add(model)
    for name, info in model.model_fields.items():
        key = info.alias or name
        for arg in _flatten(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                names |= _number_fields(arg, seen)
            elif arg is D:
                names.add(key)
    return names


def _flatten(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    return [a for arg in args for a in _flatten(arg)]


def test_every_number_in_a_rule_shape_is_known_as_points_or_not() -> None:
    """A new rule kind with points under another key would not be scaled: this names the key to classify."""
    numbers = set().union(*(_number_fields(kind.shape, set()) for kind in REGISTRY.values()))
    assert "points" in numbers and "min_share" in numbers  # the walk finds them
    assert numbers - RULE_POINT_KEYS - NOT_POINTS == set()


def test_a_table_cohort_writes_the_same_set(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from_files, from_table = tmp_path / "files.yaml", tmp_path / "table.yaml"
    table = SYNTHETIC / "departments.csv"
    options = ["--weight", "过程/预算执行=25", "--format", "csv"]
    assert main(["tune", str(SYNTHETIC), *options, "--write-set", str(from_files)]) == 0
    assert main(["tune", str(HUNAN), str(table), *options, "--write-set", str(from_table)]) == 0
    assert from_table.read_text(encoding="utf-8") == from_files.read_text(encoding="utf-8")
