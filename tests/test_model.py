"""The indicator set as a value: equality and hashing agree, a set saved after a weight change keeps it, and
``reweighted`` takes the numbers an embedding program has (refusing the rest with an ``OptionError``).

The first two pin bugs of the first version: equal sets hashed differently (``__eq__`` ignored the file's
hash, ``__hash__`` used it), and ``reweighted(...).dump()`` wrote the old weights.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

import scoring
from scoring.analysis.cohort import load_cohort
from scoring.analysis.reweight import WeightChange, reweight

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "indicators" / "demo.yaml"


def test_equal_sets_hash_alike() -> None:
    text = DEMO.read_text(encoding="utf-8")
    first = scoring.parse_set(text, "a.yaml")
    second = scoring.parse_set("# the same set, with a comment\n" + text, "b.yaml")
    assert first.sha256 != second.sha256  # the files differ ...
    assert first == second  # ... but they define the same table
    assert hash(first) == hash(second)
    assert len({first, second}) == 1


def test_sets_with_other_weights_differ() -> None:
    indicator_set = scoring.load_set(DEMO)
    first = indicator_set.indicators[0]
    heavier = reweight(indicator_set, [WeightChange(first.id, first.weight + 1)])
    assert heavier != indicator_set


def test_reweighted_set_dumps_its_new_weights() -> None:
    indicator_set = scoring.load_set(DEMO)
    first = indicator_set.indicators[0]
    changed = reweight(indicator_set, [WeightChange(first.id, first.weight + 1)])
    again = scoring.parse_set(changed.dump(), "saved.yaml")
    assert again == changed
    assert again.indicator(first.id).weight == first.weight + 1
    assert again.total == changed.total


def test_saved_tuned_set_scores_every_unit_as_the_tuned_one() -> None:
    cohort = load_cohort([ROOT / "examples" / "synthetic"])
    changes = [WeightChange("过程/预算执行", D(25)), WeightChange("staff_control_rate", D(4))]
    for rescale in ("proportional", "none"):
        tuned = reweight(cohort.indicator_set, changes, rescale)  # type: ignore[arg-type]
        saved = scoring.parse_set(tuned.dump(), "tuned.yaml")
        assert saved == tuned and hash(saved) == hash(tuned)
        for unit in cohort.units:
            expected, actual = scoring.evaluate(tuned, unit), scoring.evaluate(saved, unit)
            assert (actual.total, actual.grade) == (expected.total, expected.grade)
            assert [row.points for row in actual.indicators] == [row.points for row in expected.indicators]
            assert [row.outcome for row in actual.indicators] == [row.outcome for row in expected.indicators]


def test_reweighted_takes_ints_and_floats_as_exact_decimals() -> None:
    demo = scoring.load_set(DEMO)
    by_int = demo.reweighted({"staff_control_rate": 8}, 103)
    by_float = demo.reweighted({"staff_control_rate": 8.0}, 103.0)
    by_decimal = demo.reweighted({"staff_control_rate": D(8)}, D(103))
    assert by_int == by_float == by_decimal
    assert by_int.total == D(103) and isinstance(by_int.by_id["staff_control_rate"].weight, D)


@pytest.mark.parametrize(
    ("weight", "total"),
    [("8", None), (D("NaN"), None), (D("1e99999"), None), (True, None), (8, "103"), (8, float("inf"))],
)
def test_reweighted_refuses_what_is_not_a_finite_number(weight: object, total: object) -> None:
    demo = scoring.load_set(DEMO)
    with pytest.raises(scoring.OptionError) as caught:
        demo.reweighted({"staff_control_rate": weight}, total)  # type: ignore[dict-item, arg-type]
    (problem,) = caught.value.problems
    assert problem.code == "weight"
    assert problem.subject == ("total" if total is not None else "staff_control_rate")
    assert "must be a finite number" in problem.message


def test_data_nested_too_deep_is_located_by_its_keys() -> None:
    demo = scoring.load_set(DEMO)
    nested: object = 1
    for _ in range(70):
        nested = {"k": nested}
    with pytest.raises(scoring.DataError) as caught:
        scoring.unit_from_mapping({"values": nested}, demo)
    (problem,) = caught.value.problems
    assert problem.code == "too-deep"
    assert problem.location is not None and problem.location.keys is not None
    assert problem.location.keys[:3] == ("values", "k", "k")


@pytest.mark.parametrize(
    ("data", "code", "where"),
    [
        ({"values": 5}, "type", "<data>: values"),
        ({"valuez": {}}, "unknown-key", "<data>: valuez"),
        (
            {"judgments": {"goal_reasonableness": {"tier": "中", "points": "x", "reason": "r"}}},
            "type",
            "<data>: judgments.goal_reasonableness.points",
        ),
        ([1, 2], "top-level", "<data>"),
    ],
)
def test_shape_problems_of_mapping_data_are_located_by_their_keys(
    data: object, code: str, where: str
) -> None:
    with pytest.raises(scoring.DataError) as caught:
        scoring.unit_from_mapping(data, scoring.load_set(DEMO))  # type: ignore[arg-type]
    problem = next(p for p in caught.value.problems if p.code == code)
    assert str(problem.location) == where


def test_numpy_scalars_are_read_as_the_numbers_they_hold() -> None:
    """A row taken from a DataFrame holds numpy scalars: int64, float64 (0.1 stays exactly 0.1), float32,
    bool_; NaN is refused with its input named, as a float NaN is."""
    np = pytest.importorskip("numpy")
    demo = scoring.load_set(DEMO)
    data = scoring.load_unit(ROOT / "examples" / "demo.yaml").spec.model_dump(exclude_none=True)
    del data["set"]
    expected = scoring.evaluate(demo, data)
    values = data["values"]
    values["staff_in_post"] = np.int64(values["staff_in_post"])
    values["staff_quota"] = np.float64(values["staff_quota"])
    values["satisfaction"] = np.float32(92.5)
    values["has_budget_rules"] = np.bool_(True)
    result = scoring.evaluate(demo, data)
    assert result.to_json() == expected.to_json().replace(expected.data.sha256, result.data.sha256)
    tenths = scoring.unit_from_mapping({**data, "values": {**values, "satisfaction": np.float64(92.1)}}, demo)
    assert tenths.values["satisfaction"] == D("92.1")  # exactly, not 92.0999999999999943...
    narrow = scoring.unit_from_mapping({**data, "values": {**values, "satisfaction": np.float32(92.1)}}, demo)
    assert narrow.values["satisfaction"] == D("92.1")  # a float32's own shortest text, not 92.09999847...
    assert demo.reweighted({"staff_control_rate": np.int64(8)}, np.float64(103)).total == 103
    values["satisfaction"] = np.float64("nan")
    with pytest.raises(scoring.DataError) as caught:
        scoring.evaluate(demo, data)
    assert "satisfaction" in str(caught.value) and "finite" in str(caught.value)


def test_pandas_scalars_are_read_or_refused_with_the_input_named() -> None:
    """A cell of a pandas frame: a nullable Int64 or Float64 holds a number; pandas' NA, NaT and a
    Timestamp are refused as data, each naming its input — never a crash."""
    pandas = pytest.importorskip("pandas")
    demo = scoring.load_set(DEMO)
    data = scoring.load_unit(ROOT / "examples" / "demo.yaml").spec.model_dump(exclude_none=True)
    del data["set"]
    expected = scoring.evaluate(demo, data)
    values = data["values"]
    values["staff_in_post"] = pandas.array([values["staff_in_post"]], dtype="Int64")[0]
    values["satisfaction"] = pandas.array([float(values["satisfaction"])], dtype="Float64")[0]
    assert scoring.evaluate(demo, data).total == expected.total
    for refused in (pandas.NA, pandas.NaT, pandas.Timestamp("2020-01-01")):
        values["satisfaction"] = refused
        with pytest.raises(scoring.DataError) as caught:
            scoring.evaluate(demo, data)
        assert [p.subject for p in caught.value.problems] == ["satisfaction"]
