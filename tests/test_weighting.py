"""Deriving weights: equal weights, budget allocation, entropy and CRITIC; the derivation file applied to a set
(located problems, the consistency check, exact apportionment); `scoring weights derive` and `--compare`;
the numbers of docs/weights.md."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import evaluate, load_set
from scoring.analysis.cohort import load_cohort
from scoring.analysis.derive import derive, derived_set_text, weights_file_text
from scoring.analysis.reweight import apportion, load_weight_file
from scoring.analysis.weighting import (
    budget_weights,
    critic_weights,
    cross_check,
    entropy_weights,
    equal_weights,
)
from scoring.cli import main
from scoring.errors import DefinitionError
from scoring.model import load_unit, parse_set

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
AHP_FILE = ROOT / "examples" / "weights" / "hunan-department-overall.ahp.yaml"
SYNTHETIC = ROOT / "examples" / "synthetic"
DOC = (ROOT / "docs" / "weights.md").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, text: str, name: str = "ahp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hunan():  # type: ignore[no-untyped-def]
    return load_set(HUNAN)


# --- the methods -------------------------------------------------------------------------------------------

#: docs/weights.md, "Cross-checks": four units' attainments on three indicators.
DOC_COLUMNS = [
    [Fraction(1)] * 4,
    [Fraction(1), Fraction(1, 2), Fraction(0), Fraction(1, 2)],
    [Fraction(1), Fraction(3, 4), Fraction(1, 2), Fraction(1)],
]


def test_equal_and_budget_weights_are_exact() -> None:
    assert equal_weights(4) == (Fraction(1, 4),) * 4
    points = [[Fraction(p) for p in row] for row in ([30, 20, 20, 30], [25, 25, 20, 30], [30, 15, 25, 30])]
    assert budget_weights(points) == (Fraction(17, 60), Fraction(1, 5), Fraction(13, 60), Fraction(3, 10))


def test_entropy_and_critic_doc_example() -> None:
    entropy, critic = entropy_weights(DOC_COLUMNS), critic_weights(DOC_COLUMNS)
    assert entropy is not None and critic is not None
    assert [f"{w:.4f}" for w in entropy] == ["0.0000", "0.9092", "0.0908"]
    assert [f"{w:.4f}" for w in critic] == ["0.0000", "0.4603", "0.5397"]
    assert entropy[0] == 0 and critic[0] == 0  # the constant column: exactly nothing
    assert "**0, 0.9092, 0.0908**" in DOC and "**0, 0.4603, 0.5397**" in DOC


def test_data_weights_undefined_without_variation() -> None:
    assert entropy_weights([[Fraction(1)], [Fraction(2)]]) is None  # one unit
    assert critic_weights([[Fraction(1)], [Fraction(2)]]) is None
    flat = [[Fraction(1, 2)] * 3, [Fraction(1)] * 3]
    assert entropy_weights(flat) is None and critic_weights(flat) is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 10), min_size=3, max_size=3), min_size=2, max_size=6))
def test_data_weights_are_shares(rows: list[list[int]]) -> None:
    columns = [[Fraction(x, 10) for x in column] for column in zip(*rows, strict=True)]
    for weights in (entropy_weights(columns), critic_weights(columns)):
        if weights is not None:
            assert all(w >= 0 for w in weights)
            assert abs(sum((Fraction(w) for w in weights), Fraction(0)) - 1) < Fraction(1, 10**40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=12), st.integers(1, 5000), st.integers(0, 3))
def test_apportioned_weights_add_up_exactly(raw: list[int], total_units: int, places: int) -> None:
    whole = sum(raw)
    total = Decimal(total_units).scaleb(-places)
    amounts = {str(i): Decimal(r) * total / Decimal(whole) for i, r in enumerate(raw)}
    rounded = apportion(amounts, total, places)
    assert sum(rounded.values()) == total
    assert all(abs(rounded[k] - amounts[k]) < Decimal(1).scaleb(-places) for k in amounts)


def test_equal_weights_apportioned_as_documented() -> None:
    third = Decimal(10) / 3
    assert list(apportion({"a": third, "b": third, "c": third}, Decimal(10), 2).values()) == [
        Decimal("3.34"), Decimal("3.33"), Decimal("3.33"),
    ]  # fmt: skip
    assert "3.34, 3.33 and 3.33" in DOC


# --- the shipped file --------------------------------------------------------------------------------------


def test_shipped_file_derives_the_documented_weights(hunan) -> None:  # type: ignore[no-untyped-def]
    derivation = derive(AHP_FILE, hunan)
    top, process, management, delivery = derivation.levels
    assert [f"{w:.4f}" for w in top.shares] == ["0.1392", "0.5897", "0.1392", "0.1318"]
    p = top.priorities
    assert p is not None
    assert (f"{p.lambda_max:.4f}", f"{p.ci:.4f}", f"{p.cr:.4f}") == ("4.0062", "0.0021", "0.0023")
    assert process.priorities is not None and f"{process.priorities.cr:.4f}" == "0.0158"
    assert [f"{w:.4f}" for w in process.shares] == ["0.3874", "0.4434", "0.1692"]
    assert management.kind == "ahp" and len(management.experts) == 2 and len(management.experts_cr) == 2
    assert delivery.kind == "budget"
    groups = {g.id: g.after for g in derivation.groups}
    documented = {"投入": "13.92", "过程": "58.97", "过程/预算执行": "22.84", "过程/预算管理": "26.15",
                  "过程/资产管理": "9.98", "产出": "13.92", "效果": "13.19"}  # fmt: skip
    assert {k: str(groups[k]) for k in documented} == documented
    for path, weight in documented.items():
        assert f"| {path} |" in DOC and f"| {weight} |" in DOC
    for needle in (
        "0.1392, 过程 0.5897",
        "λmax 4.0062, CI 0.0021",
        "CR 0.0023",
        "CR 0.0158",
        "3.94, 2.78, 3.02 and 4.18",
    ):
        assert needle in DOC
    after = {i.id: i.after for i in derivation.indicators}
    assert [str(after[k]) for k in ("completion_rate", "timeliness_rate", "quality_rate", "key_task_completion")] == [
        "3.94", "2.78", "3.02", "4.18",
    ]  # fmt: skip
    assert sum(after.values()) == hunan.total
    for group in hunan.groups:  # every group adds up exactly to its derived weight
        assert sum(after[m] for m in group.members) == groups[group.path]
    # 效果 is not named in the file: its members keep their proportions 2 : 5 : 1 : 4
    assert [after[k] for k in ("economic_benefit", "social_benefit", "ecological_benefit", "satisfaction_rate")] == [
        Decimal("2.20"), Decimal("5.49"), Decimal("1.10"), Decimal("4.40"),
    ]  # fmt: skip


def test_derived_set_loads_scores_and_records_its_origin(hunan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    derivation = derive(AHP_FILE, hunan)
    text = derived_set_text(derivation)
    saved = parse_set(text, "derived.yaml")
    assert {i.id: i.weight for i in saved.indicators} == {i.id: i.after for i in derivation.indicators}
    assert derivation.sha256 in (saved.spec.source or "") and "CR 0.0023" in (saved.spec.source or "")
    assert "sha256 " + derivation.sha256 in text.split("\nformat:")[0]  # in the header comments too
    unit = load_unit(SYNTHETIC / "dept-01.yaml", saved)
    result = evaluate(saved, unit)
    assert result.total is not None and result.maximum == 100
    # the weights file gives the same weights to scoring tune
    weights = write(tmp_path, weights_file_text(derivation), "weights.yaml")
    changes, rescale = load_weight_file(weights)
    assert {c.target: c.weight for c in changes} == {i.id: i.after for i in derivation.indicators}
    assert rescale == "none"


# --- located problems --------------------------------------------------------------------------------------

TOP = "  - judgments:\n      投入: {{过程: {a}, 产出: 1, 效果: 1}}\n      过程: {{产出: 4, 效果: 5}}\n      产出: {{效果: 1}}\n"


def problems_of(hunan, tmp_path: Path, text: str, **options: object) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError) as caught:
        derive(write(tmp_path, text), hunan, **options)  # type: ignore[arg-type]
    return [(p.code, p.line) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("levels:\n" + TOP.format(a="12"), [("ahp-judgment-range", 3)]),
        ("levels:\n" + TOP.format(a="0"), [("ahp-judgment", 3)]),
        ("levels:\n" + TOP.format(a="1/0"), [("ahp-judgment", 3)]),
        (
            "levels:\n" + TOP.format(a="1/4").replace("产出: {效果: 1}", "产出: {效杲: 1}"),
            [("ahp-criterion", 5)],
        ),
        ("levels:\n" + TOP.format(a="1/4").replace("      产出: {效果: 1}\n", ""), [("ahp-missing", 2)]),
        ("levels:\n" + TOP.format(a="1/4") + "      效果: {产出: 1}\n", [("ahp-twice", 6)]),
        ("levels:\n  - group: 过桯\n    equal: true\n", [("derive-group", 2)]),
        ("set: other\nlevels:\n  - equal: true\n", [("derive-set", 1)]),
        ("levels:\n  - equal: true\n  - equal: true\n", [("derive-level-twice", 3)]),
        ("levels:\n  - group: 过程\n", [("derive-method", 2)]),
        ("levels:\n  - group: 过程\n    experts: []\n", [("derive-method", 3)]),
        ("levels:\n  - group: 过程\n    allocations: []\n", [("derive-method", 3)]),
        ("levels:\n  - judgments: {投入: {投入: 1}}\n", [("ahp-judgment", 2)]),
        # nothing to divide: a located problem, not a division by zero
        (
            "levels:\n  - points: 0\n    allocations:\n      - {name: x, points: {投入: 0, 过程: 0, 产出: 0, 效果: 0}}\n",
            [("derive-points", 2)],
        ),
    ],
)
def test_problems_are_located(hunan, tmp_path: Path, text: str, expected: list[tuple[str, int]]) -> None:  # type: ignore[no-untyped-def]
    assert problems_of(hunan, tmp_path, text) == expected


def test_allocation_problems(hunan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "levels:\n  - group: 产出/职责履行\n    allocations:\n"
        "      - {name: A, points: {completion_rate: 50, timeliness_rate: 50, quality_rate: 0}}\n"
        "      - {name: B, points: {completion_rate: 70, timeliness_rate: 20, quality_rate: 20, key_task_completion: -10}}\n"
        "      - {name: C, points: {completion_rate: 10, timeliness_rate: 10, quality_rate: 10, key_task_completion: 10, speed: 60}}\n"
    )
    codes = [code for code, _ in problems_of(hunan, tmp_path, text)]
    assert codes == ["derive-points-missing", "derive-points", "ahp-criterion"]


def test_inconsistent_matrix_is_refused_naming_the_judgment(hunan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "levels:\n  - group: 过程\n    judgments:\n      预算执行: {预算管理: 3, 资产管理: 1/3}\n      预算管理: {资产管理: 3}\n"
    with pytest.raises(DefinitionError) as caught:
        derive(write(tmp_path, text), hunan)
    (problem,) = caught.value.problems
    assert problem.code == "ahp-inconsistent" and problem.line == 4
    assert "CR 1.1494" in problem.message
    assert (
        "the most inconsistent is 预算执行 : 资产管理 = 1/3 (the priorities imply 1.00, about 1)"
        in problem.message
    )
    assert "CR is 1.1494" in DOC and "A : C = 1/3 (the\npriorities imply 1.00, about 1)" in DOC
    accepted = derive(write(tmp_path, text), hunan, accept_inconsistent=True)
    assert accepted.accepted_inconsistent == ("过程",)
    assert sum(i.after for i in accepted.indicators) == 100


TINY = """format: scoring/1
id: tiny
total: 5
rounding: {places: 0, total_places: 0}
grades: [{label: pass, min: 0}]
inputs: {x: {}}
indicators:
  - {id: a, weight: 3, formula: x, rule: {ratio: {target: 1}}}
  - {id: b, weight: 1, formula: x, rule: {ratio: {target: 1}}}
  - {id: c, weight: 1, formula: x, rule: {ratio: {target: 1}}}
"""


def test_weight_rounding_to_zero_is_refused(tmp_path: Path) -> None:
    tiny = parse_set(TINY, "tiny.yaml")
    text = "levels:\n  - judgments:\n      a: {b: 9, c: 9}\n      b: {c: 1}\n"
    with pytest.raises(DefinitionError) as caught:  # 4.09, 0.45, 0.45 → 4, 1, 0
        derive(write(tmp_path, text), tiny)
    assert [(p.code, p.subject) for p in caught.value.problems] == [("derive-zero-weight", "c")]
    equal = derive(write(tmp_path, "levels:\n  - equal: true\n"), tiny)
    assert [i.after for i in equal.indicators] == [2, 2, 1]


# --- random judgments on the Hunan set: always exact -------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_random_judgments_apportion_exactly(hunan, tmp_path: Path, seed: int) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    scale = ["1/3", "1/2", "1", "2", "3"]
    lines = ["levels:", "  - judgments:"]
    top = ["投入", "过程", "产出", "效果"]
    for i, a in enumerate(top[:-1]):
        lines.append(f"      {a}: {{" + ", ".join(f"{b}: {rnd.choice(scale)}" for b in top[i + 1 :]) + "}")
    lines += ["  - group: 过程/预算执行", "    equal: true"]
    derived = derive(write(tmp_path, "\n".join(lines) + "\n"), hunan, accept_inconsistent=True,
                     method=rnd.choice(["eigenvector", "geometric", "arithmetic"]))  # fmt: skip
    weights = [i.after for i in derived.indicators]
    assert sum(weights) == hunan.total and all(w > 0 for w in weights)
    assert all(w == w.quantize(Decimal("0.01")) for w in weights)


# --- the command line --------------------------------------------------------------------------------------


def test_cli_derive_writes_weights_and_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    weights, new_set = tmp_path / "w.yaml", tmp_path / "derived.yaml"
    code, out, err = run(capsys, "weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "-o", str(weights),
                         "--write-set", str(new_set), "--lang", "en")  # fmt: skip
    assert code == 0, err
    assert "λmax 4.0062  CI 0.0021  RI 0.90  CR 0.0023 — consistent (CR < 0.10)" in out
    assert (
        "\nThe top level — pairwise comparisons (AHP)\n" in out
        and "\n过程 — pairwise comparisons (AHP)\n" in out
    )
    assert "budget allocation" in out and f"wrote {weights}" in err
    code, out, err = run(capsys, "check", str(new_set))
    assert code == 0, err
    code, out, err = run(capsys, "score", str(SYNTHETIC / "dept-01.yaml"), "--set", str(new_set))
    assert code == 0, err
    code, out, err = run(capsys, "tune", str(SYNTHETIC), "--weights", str(weights), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["total_after"] == 100


def test_cli_derive_json_and_zh(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "--format", "json")
    assert code == 0, err
    data = json.loads(out, parse_float=Decimal)
    assert sum(Decimal(str(i["after"])) for i in data["indicators"]) == 100
    assert data["levels"][0]["priorities"]["consistent"] is True
    code, out, err = run(capsys, "weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "--lang", "zh")
    assert code == 0 and "通过一致性检验" in out and "专家分配分值" in out
    code, out, _ = run(capsys, "weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "--format", "csv")
    assert code == 0 and out.startswith("kind,id,label,before,after,share")


def test_cli_derive_refuses_inconsistent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "levels:\n  - group: 过程\n    judgments:\n      预算执行: {预算管理: 3, 资产管理: 1/3}\n      预算管理: {资产管理: 3}\n",
    )
    code, out, err = run(capsys, "weights", "derive", str(path), "--set", str(HUNAN), "--lang", "en")
    assert code == 1 and out == ""
    assert f"{path}:4" in err and "预算执行 : 资产管理 = 1/3" in err and "--accept-inconsistent" in err
    code, out, err = run(
        capsys, "weights", "derive", str(path), "--set", str(HUNAN), "--accept-inconsistent", "--lang", "en"
    )
    assert code == 0, err
    assert "NOT consistent" in out and "Most inconsistent judgment: 预算执行 : 资产管理 = 1/3" in out


@pytest.mark.parametrize(
    "args",
    [
        ("weights", "derive", str(AHP_FILE)),  # no --set
        ("weights", "derive", "--set", str(HUNAN)),  # no file
        ("weights", str(SYNTHETIC), "--method", "geometric"),  # a derive option without derive
        ("weights", str(SYNTHETIC), "--accept-inconsistent"),
        ("weights", str(SYNTHETIC), "--compare", "entropy,pca"),
        ("weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "--compare", "entropy"),
        ("weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "-o", "weights.xlsx"),
        ("weights", "derive", str(AHP_FILE), "--set", str(HUNAN), "--sheet", "Sheet1"),
        ("weights", str(SYNTHETIC), "--compare", "entropy", "-o", "x.html"),
    ],
)
def test_cli_usage_errors(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and "scoring weights:" in err


def test_cli_weights_without_derive_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "weights", str(SYNTHETIC), "--lang", "en")
    assert code == 0, err
    assert out.startswith("Effective weights — ") and "Variation" in out


def test_cli_compare(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "weights", str(SYNTHETIC), "--compare", "entropy,critic", "--lang", "en")
    assert code == 0, err
    assert "Entropy" in out and "CRITIC" in out and "Declared" in out
    code, out, err = run(capsys, "weights", str(SYNTHETIC), "--compare", "critic", "--format", "json")
    assert code == 0, err
    data = json.loads(out, parse_float=Decimal)
    assert data["methods"] == ["critic"] and data["units"] == 24
    assert abs(sum((Fraction(row["critic"]) for row in data["indicators"]), Fraction(0)) - 1) < Fraction(
        1, 10**40
    )
    assert all(row["entropy"] is None for row in data["indicators"])


def test_cross_check_matches_the_methods() -> None:
    cohort = load_cohort([SYNTHETIC])
    report = cross_check(cohort)
    assert report.units == 24 and report.note is None
    shares = [row.entropy for row in report.indicators]
    assert all(s is not None and s >= 0 for s in shares)
    assert report.indicators[0].nominal_share == Decimal("0.05")


def test_docs_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = re.findall(r"^```python\n(.*?)^```", DOC, re.MULTILINE | re.DOTALL)
    monkeypatch.chdir(ROOT)  # the example names files relative to the checkout
    namespace: dict[str, object] = {}
    exec(compile(block, "docs/weights.md python block", "exec"), namespace)
    assert namespace["shares"] == [Decimal("0.6370"), Decimal("0.2583"), Decimal("0.1047")]
    result = namespace["result"]
    assert f"{result.cr:.4f}" == "0.0332"  # type: ignore[attr-defined]
    assert namespace["derived"].total == 100  # type: ignore[attr-defined]
    assert "weights derived (eigenvector" in str(namespace["text"])


def test_cli_derive_problem_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "levels:\n  - judgments:\n      投入: {过程: 12, 产出: 1, 效果: 1}\n      过程: {产出: 4, 效果: 5}\n      产出: {效果: 1}\n",
    )
    code, out, err = run(capsys, "weights", "derive", str(path), "--set", str(HUNAN), "--lang", "zh")
    assert code == 1 and out == ""
    assert f"{path}:3:12：[ahp-judgment-range] 判断值超出 1/9 至 9：" in err


def test_check_knows_a_derivation_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from scoring.cli import main

    shipped = ROOT / "examples" / "weights" / "hunan-department-overall.ahp.yaml"
    hunan_path = ROOT / "indicators" / "hunan-department-overall.yaml"
    # alone, it is said to be a derivation file (not a set with ten false problems)
    assert main(["check", str(shipped), "--lang", "en"]) == 0
    assert (
        "a weights derivation for set 'hunan-department-overall', not checked here" in capsys.readouterr().out
    )
    # after its set in the same run, it is checked in full
    assert main(["check", str(hunan_path), str(shipped), "--lang", "en"]) == 0
    assert "ok — weights derivation for set 'hunan-department-overall', 4 levels" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        shipped.read_text(encoding="utf-8").replace("资产管理: 2}", "资产管理: 1/9}"), encoding="utf-8"
    )
    assert main(["check", str(hunan_path), str(bad), "--lang", "en"]) == 1
    assert "the judgments of level '过程' are inconsistent: CR" in capsys.readouterr().err
