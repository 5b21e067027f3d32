"""The rest of the problems in Chinese: derived weights (AHP), panels, met rules, sums, reproduction, the
analyses' options, tables and the command line — each caused for real (a bad file loaded, an analysis
called with a bad option, a command run) and its message and hint required to translate in full, keeping
every quoted name and number. A few messages are pinned to their exact Chinese.

The few problems that cannot be caused here are built by hand, each saying why (BUILT): a table reader's
errors that a small file does not reach, and an internal check of a saved set that cannot fail.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import scoring
from scoring.analysis.cohort import load_cohort
from scoring.analysis.derive import derive
from scoring.cli import main
from scoring.errors import Problem
from scoring.language import Catalogue
from scoring.report.problems import problem_text, translations
from tests import test_met_rule as met
from tests import test_panels as panels
from tests import test_published_figures as published
from tests import test_weighting as weighting
from tests.test_problem_messages_zh import _assert_translated

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "examples" / "synthetic"
ZH = Catalogue("zh")

Cause = Callable[[Path], object]


def _problems(cause: Cause, tmp_path: Path) -> list[Problem]:
    with pytest.raises(scoring.ScoringError) as info:
        cause(tmp_path)
    return list(info.value.problems)


# --- derived weights ---------------------------------------------------------------------------------------

TOP = weighting.TOP


def _derive(text: str, indicator_set: str = "hunan") -> Cause:
    def cause(tmp_path: Path) -> object:
        target = (
            scoring.load_set(weighting.HUNAN)
            if indicator_set == "hunan"
            else scoring.parse_set(indicator_set, "tiny.yaml")
        )
        return derive(weighting.write(tmp_path, text), target)

    return cause


#: 18 rows: more than Saaty's random indices cover.
BIG = weighting.TINY.replace("total: 5", "total: 20") + "".join(
    f"  - {{id: z{i}, weight: 1, formula: x, rule: {{ratio: {{target: 1}}}}}}\n" for i in range(15)
)
ALLOCATIONS = (
    "levels:\n  - group: 产出/职责履行\n    allocations:\n"
    "      - {name: A, points: {completion_rate: 50, timeliness_rate: 50, quality_rate: 0}}\n"
    "      - {name: B, points: {completion_rate: 70, timeliness_rate: 20, quality_rate: 20, key_task_completion: -10}}\n"
    "      - {name: C, points: {completion_rate: 10, timeliness_rate: 10, quality_rate: 10, key_task_completion: 10, speed: 60}}\n"
    "      - {name: D, points: {completion_rate: 50, timeliness_rate: 30, quality_rate: 10, key_task_completion: 0}}\n"
)

DERIVED: dict[str, Cause] = {
    "judgment-range": _derive("levels:\n" + TOP.format(a="12")),
    "judgment-zero": _derive("levels:\n" + TOP.format(a="0")),
    "criterion": _derive("levels:\n" + TOP.format(a="1/4").replace("产出: {效果: 1}", "产出: {效杲: 1}")),
    "missing": _derive("levels:\n" + TOP.format(a="1/4").replace("      产出: {效果: 1}\n", "")),
    "twice": _derive("levels:\n" + TOP.format(a="1/4") + "      效果: {产出: 1}\n"),
    "group": _derive("levels:\n  - group: 过桯\n    equal: true\n"),
    "set": _derive("set: other\nlevels:\n  - equal: true\n"),
    "level-twice": _derive("levels:\n  - equal: true\n  - equal: true\n"),
    "no-method": _derive("levels:\n  - group: 过程\n"),
    "two-methods": _derive("levels:\n  - group: 过程\n    equal: true\n    experts: []\n"),
    "nobody": _derive("levels:\n  - group: 过程\n    experts: []\n"),
    "itself": _derive("levels:\n  - judgments: {投入: {投入: 1}}\n"),
    "allocations": _derive(ALLOCATIONS),
    "inconsistent": _derive(
        "levels:\n  - group: 过程\n    judgments:\n      预算执行: {预算管理: 3, 资产管理: 1/3}\n      预算管理: {资产管理: 3}\n"
    ),
    "zero-weight": _derive(
        "levels:\n  - judgments:\n      a: {b: 9, c: 9}\n      b: {c: 1}\n", weighting.TINY
    ),
    "zero-points": _derive(
        "levels:\n  - allocations:\n      - {name: A, points: {a: 50, b: 50, c: 0}}\n", weighting.TINY
    ),
    "size": _derive("levels:\n  - judgments:\n      a: {b: 1}\n", BIG),
}


# --- sets, units and panels ----------------------------------------------------------------------------


def _set(text: str) -> Cause:
    return lambda _: scoring.parse_set(text, "set.yaml")


def _sums(inputs: dict[str, object]) -> Cause:
    names = [name for name in inputs if name not in ("t", "u")]
    rows = [{"id": "r", "weight": 100, "formula": names[0], "rule": {"linear": {"zero_at": 0, "full_at": 1}}}]
    return _set(published.set_text(rows, inputs=inputs))


def _cohort_with_twins(tmp_path: Path) -> object:
    twin = tmp_path / "twin.yaml"
    text = (SYNTHETIC / "dept-01.yaml").read_text(encoding="utf-8")
    twin.write_text(text.replace("set: ", f"set: {SYNTHETIC}/", 1), encoding="utf-8")
    return load_cohort([SYNTHETIC / "dept-01.yaml", twin])


RATERS = "raters: [{name: a, points: 11}, {name: b, tier: lo, points: 9}, {name: c}, {name: c, tier: top}]"

LOADED: dict[str, Cause] = {
    "met-two-conditions": _set(met.edited("{met: {at_least: 95, otherwise: 0}}", "{met: {at_least: 95, at_most: 99, otherwise: 0}}")),
    "met-no-condition": _set(met.edited("{met: {at_least: 95, otherwise: 0}}", "{met: {otherwise: 0}}")),
    "met-otherwise": _set(met.edited("{at_least: 95, otherwise: 0}", "{at_least: 95, otherwise: 5}")),
    "met-partial-alone": _set(met.edited("{at_least: 95, otherwise: 0}", "{at_least: 95, partial: {a: 1}, otherwise: 0}")),
    "met-partial-twice": _set(met.edited("partial: {基本达成: 3,", "partial: {达成: 3,")),
    "met-date-text": _set(met.edited("by: 2022-12-31", "by: 2022/12/31")),
    "met-date-number": _set(met.edited("by: 2022-12-31", "by: 20221231")),
    "met-date-list": _set(met.edited("by: 2022-12-31", "by: [1]")),
    "met-compares-text": _set(met.edited("formula: rate\n", "formula: status\n")),
    "met-compares-number": _set(met.edited("formula: status\n", "formula: rate\n")),
    "branches": _set(met.edited("formula: rate\n", "formula: 1 if rate > 1 else status\n")),
    "branches-dates": _set(met.edited("formula: rate\n", "formula: done_on if rate > 1 else status\n")),
    "panel-trim": _set(panels.SET.replace("panel: {aggregate: mean, min_raters: 2, places: 1}",
                                          "panel: {aggregate: trimmed_mean, trim: 2, min_raters: 4}")),
    "panel-raters": lambda _: panels._score(panels._unit(RATERS)),
    "panel-too-few": lambda _: panels._score(panels._unit("raters: [{name: a, points: 9}, {name: b, points: 7}]")),
    "sum-not-input": _sums({"t": {"sum_of": ["a", "x"]}, "a": {}}),
    "sum-boolean": _sums({"t": {"sum_of": ["a", "b"]}, "a": {}, "b": {"type": "boolean"}}),
    "sum-cycle": _sums({"t": {"sum_of": ["a", "u"]}, "a": {}, "u": {"sum_of": ["t", "a"]}}),
    "published-value": lambda _: published.budget_unit(published.PARTS, {"values": {"rates": Decimal("93.5")}}),
    "no-published": lambda _: scoring.reproduce(published.budget_set(), published.budget_unit(published.PARTS)),
    "type-nothing": _set(met.SET.replace("weight: 5\n    formula: rate", "weight:\n    formula: rate")),
    "rescale-literal": lambda _: scoring.parse_set(
        met.SET.replace("grades:", "not_applicable: sideways\ngrades:"), "set.yaml"
    ),
}  # fmt: skip


# --- cohorts and the analyses' options -------------------------------------------------------------------


def _synthetic() -> scoring.analysis.cohort.Cohort:
    return load_cohort([SYNTHETIC])


def _monte_carlo(**options: object) -> Cause:
    from scoring.analysis.montecarlo import monte_carlo

    return lambda _: monte_carlo(_synthetic(), **options)  # type: ignore[arg-type]


def _weights(make: Callable[[object, int], object]) -> Cause:
    def cause(_: Path) -> object:
        numpy = pytest.importorskip("numpy")
        from scoring.analysis._matrix import matrix_of

        matrix = matrix_of(_synthetic())
        return matrix.check(make(numpy, len(matrix.ids)))

    return cause


def _deductions(**options: object) -> Cause:
    from scoring.analysis.deductions import deductions

    def cause(_: Path) -> object:
        cohort = _synthetic()
        return deductions(cohort.indicator_set, cohort.evaluate()[0], **options)  # type: ignore[arg-type]

    return cause


def _against_another_set(_: Path) -> object:
    from scoring.analysis.deductions import deductions

    cohort = _synthetic()
    others = load_cohort([panels.PANEL / "unit-a.yaml"]).evaluate()
    return deductions(cohort.indicator_set, cohort.evaluate()[0], others, against="median")


def _panel_none(_: Path) -> object:
    from scoring.analysis.panel import panel_agreement

    return panel_agreement(_synthetic())


def _sensitivity(delta: str) -> Cause:
    from scoring.analysis.sensitivity import sensitivity

    return lambda _: sensitivity(_synthetic(), delta)


def _places(places: dict[str, int]) -> Cause:
    from scoring.analysis.margins import check_places

    return lambda _: check_places(_synthetic().indicator_set, places)


PANEL_UNITS = [panels.PANEL / "unit-a.yaml", panels.PANEL / "unit-b.yaml"]  # unit-b has an unknown row

ANALYSED: dict[str, Cause] = {
    "different-set": lambda _: load_cohort([SYNTHETIC / "dept-01.yaml", panels.PANEL / "unit-a.yaml"]),
    "duplicate-unit": _cohort_with_twins,
    "unknown-rows": lambda _: load_cohort(PANEL_UNITS).totals(),
    "unknown-rows-weights": lambda _: load_cohort(PANEL_UNITS).rows("effective weights"),
    "delta-negative": _sensitivity("-1"),
    "delta-places": _sensitivity("0.123456"),
    "weights-shape": _weights(lambda np, n: np.zeros((2, 3))),
    "weights-type": _weights(lambda np, n: np.zeros((2, n))),
    "weights-zero": _weights(lambda np, n: np.zeros((2, n), dtype=np.int64)),
    "weights-large": _weights(lambda np, n: np.full((1, n), 2**60, dtype=np.int64)),
    "samples": _monte_carlo(samples=0),
    "interval-order": _monte_carlo(interval=(90, 10)),
    "interval-level": _monte_carlo(interval=(5, 101)),
    "seed": _monte_carlo(seed=-1),
    "spread": _monte_carlo(spread=100),
    "spread-text": _monte_carlo(spread="x"),
    "spread-infinite": _monte_carlo(spread=float("inf")),
    "concentration": _monte_carlo(method="dirichlet", concentration=0),
    "method": _monte_carlo(method="normal"),
    "places": _places({"nosuch": 1, "budget_total": 20}),
    "top": _deductions(top=0),
    "median-alone": _deductions(against="median"),
    "median-other-set": _against_another_set,
    "panel-none": _panel_none,
}


@pytest.mark.parametrize(
    "cause", [*DERIVED.values(), *LOADED.values(), *ANALYSED.values()], ids=[*DERIVED, *LOADED, *ANALYSED]
)
def test_every_problem_caused_prints_in_chinese(cause: Cause, tmp_path: Path) -> None:
    problems = _problems(cause, tmp_path)
    assert problems
    for problem in problems:
        _assert_translated(problem)


def _message(cause: Cause, code: str, tmp_path: Path) -> tuple[str, str | None]:
    problem = next(p for p in _problems(cause, tmp_path) if p.code == code)
    known = translations("zh")
    return known.message(code, problem.message) or "", known.hint(problem.hint) if problem.hint else None


def test_some_caused_problems_print_exactly(tmp_path: Path) -> None:
    assert _message(DERIVED["inconsistent"], "ahp-inconsistent", tmp_path) == (
        "层次 '过程' 的判断不一致：CR 1.1494 ≥ 0.10；最不一致的是 预算执行 : 资产管理 = 1/3（由权重推得 1.00，约为 1）",
        "请修改该判断，或加上 --accept-inconsistent",
    )
    assert _message(DERIVED["missing"], "ahp-missing", tmp_path) == (
        "缺少 1 个两两比较：产出 / 效果",
        "请对 4 个要素两两各判断一次",
    )
    assert _message(DERIVED["no-method"], "derive-method", tmp_path)[0] == (
        "每个层次须恰好给出 judgments、experts、allocations、equal 之一（此处一个也没有）"
    )
    assert _message(LOADED["panel-raters"], "panel-points", tmp_path) == (
        "专家 'a' 给 'j' 打 11 分，超出该行的范围（0 至 10）",
        "分数须在该范围内",
    )
    assert _message(LOADED["branches"], "formula-type", tmp_path)[0] == (
        "条件表达式的两个分支一个给出数字，一个给出文本（'reached' 的公式，第 1 个字符）：1 if rate > 1 else status"
    )
    assert _message(LOADED["met-compares-text"], "value-type", tmp_path)[0] == (
        "met 的 'at_least' 比较的是数字，但公式给出的是文本（指标 'reached'）"
    )
    assert (
        _message(LOADED["type-nothing"], "type", tmp_path)[0]
        == "'weight' 须为数字，不能为空（指标 'reached'）"
    )
    assert _message(LOADED["rescale-literal"], "invalid-value", tmp_path)[0] == (
        "'not_applicable' 须为 'full'、'rescale' 或 'zero' 之一，不能是 'sideways'"
    )
    assert _message(ANALYSED["unknown-rows"], "unknown-rows", tmp_path) == (
        "单位 '示例单位乙（虚构）' 有未知的行（goals）；此项分析需要所有行均已知",
        "请给出数字或评议，或不纳入该单位",
    )
    assert _message(ANALYSED["seed"], "option", tmp_path)[0] == "seed 须为 0 至 2^128 − 1 的整数，不能是 -1"


def test_a_panel_spread_warning_prints_in_chinese() -> None:
    unit = scoring.load_unit(panels.PANEL / "unit-c.yaml")
    (warning,) = scoring.evaluate(unit.indicator_set, unit).warnings
    _assert_translated(warning)
    assert problem_text(warning, ZH).endswith(
        "[panel-spread] 专家评分差距过大：'benefit' 的专家评分相差 6 分（专家乙 12，专家甲 18），超过指标体系允许的 3 分"
        "（提示：该行照常计分；请专家组复核）"
    )


# --- the command line ----------------------------------------------------------------------------------

AHP = ROOT / "examples" / "weights" / "hunan-department-overall.ahp.yaml"
HUNAN = str(weighting.HUNAN)
COMMANDS = {
    "derive-alone": ["weights", "derive", str(AHP)],
    "derive-only": ["weights", str(SYNTHETIC), "--method", "geometric"],
    "compare-names": ["weights", str(SYNTHETIC), "--compare", "entropy,pca"],
    "compare-derive": ["weights", "derive", str(AHP), "--set", HUNAN, "--compare", "entropy"],
    "derive-xlsx": ["weights", "derive", str(AHP), "--set", HUNAN, "-o", "weights.xlsx"],
    "derive-sheet": ["weights", "derive", str(AHP), "--set", HUNAN, "--sheet", "Sheet1"],
    "compare-html": ["weights", str(SYNTHETIC), "--compare", "entropy", "-o", "x.html"],
    "derive-to-nowhere": ["weights", "derive", str(AHP), "--set", HUNAN, "-o", "{tmp}/none/w.yaml"],
    "derive-to-folder": ["weights", "derive", str(AHP), "--set", HUNAN, "--write-set", "{tmp}"],
    "tune-to-folder": ["tune", str(SYNTHETIC), "--weight", "过程/预算执行=25", "--write-set", "{tmp}"],
    "tune-to-nowhere": ["tune", str(SYNTHETIC), "--weight", "过程/预算执行=25", "--write-set", "{tmp}/none/s.yaml"],
    "montecarlo": ["montecarlo", str(SYNTHETIC), "--samples", "0"],
    "sensitivity": ["sensitivity", str(SYNTHETIC), "--delta", "-1"],
    "panel": ["panel", str(SYNTHETIC)],
    "weights-file": ["tune", str(SYNTHETIC), "--weights", "{tmp}/weights.yaml"],
}  # fmt: skip


@pytest.mark.parametrize("argv", list(COMMANDS.values()), ids=list(COMMANDS))
def test_command_line_problems_caused_print_in_chinese(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "weights.yaml").write_text(
        "weights: {过程/预算执行: x}\nrescale: sideways\n", encoding="utf-8"
    )
    assert main([part.replace("{tmp}", str(tmp_path)) for part in argv] + ["--lang", "zh"]) != 0
    err = capsys.readouterr().err
    assert err.strip()
    for line in err.strip().splitlines():
        body = line.split("：", 2)[-1]  # after the location (if any) and the Chinese headline
        assert not any(word in body for word in (" must ", " cannot ", " only with ", " give ", " name ")), (
            line
        )


def test_writing_into_a_folder_prints_the_os_error_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*COMMANDS["tune-to-folder"][:-1], str(tmp_path), "--lang", "zh"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"scoring tune: [write-set] 无法写入指标体系文件：无法把调整后的指标体系写入 {tmp_path}：这是文件夹"
    )
    # an OS error the catalogue does not name keeps the whole message English
    problem = Problem("write-set", f"cannot write the tuned set to {tmp_path}: Something new")
    assert translations("zh").message("write-set", problem.message) is None


# --- what cannot be caused here --------------------------------------------------------------------------

#: Built by hand: the table readers' problems that a small file cannot reach (a row over 64 MB; a CSV or JSON
#: Lines error, quoted as pyarrow or the csv module wrote it, which only a file past the column checks
#: meets), a table of rows with unknown rows, and a saved derived set that loses its weights (the dump
#: always keeps them: the check guards it against a future change).
BUILT = [
    (Problem("table-csv", "the file cannot be read as CSV: CSV parse error: Expected 3 columns, got 2"),
     "无法按 CSV 读取文件（pyarrow 报告：CSV parse error: Expected 3 columns, got 2）"),
    (Problem("table-csv", "the header row cannot be read: unexpected end of data"),
     "无法读取表头行（csv 模块报告：unexpected end of data）"),
    (Problem("table-json", "the file cannot be read as JSON Lines: JSON parse error: Missing a name for object member.",
             hint="write one JSON object per line, every line with the same keys"),
     "无法按 JSON Lines 读取文件（pyarrow 报告：JSON parse error: Missing a name for object member.）"),
    (Problem("table-cell-too-large", "a row of the file is larger than 64 MB", hint="split the text of its large cell"),
     "文件中有一行超过 64 MB"),
    (Problem("table-column-type", "column 'a' holds list<item: int64>, which is not a cell value",
             hint="give the column numbers or text (lists and structures are not cells)"),
     "'a' 列存放的是 list<item: int64>，不是单元格的值"),
    (Problem("table-column-type", "column 'b' holds binary, which cannot be read as text",
             hint="give the column numbers or text (lists, structures and binary data are not cells)"),
     "'b' 列存放的是 binary，无法读作文本"),
    (Problem("table-frame", "cannot read a list as a table", hint="pass a pandas or polars DataFrame or a pyarrow Table"),
     "无法把 list 读作表格"),
    (Problem("derive-saved", "the saved set does not keep the derived weights: a 3 ≠ 4"),
     "保存的指标体系没有保持推导出的权重：a 3 ≠ 4"),
    (Problem("duplicate-unit", "two rows hold unit 'A'", hint="name each unit once (the id column: unit, 单位 or 单位名称)"),
     "两行都是单位 'A'"),
    (Problem("unknown-rows", "unit 'A' has unknown rows; grade margins needs every row known"),
     "单位 'A' 有未知的行；等级边界分析需要所有行均已知"),
]  # fmt: skip


@pytest.mark.parametrize("problem, message", BUILT, ids=[p.code for p, _ in BUILT])
def test_problems_built_by_hand_print_in_chinese(problem: Problem, message: str) -> None:
    _assert_translated(problem)
    assert translations("zh").message(problem.code, problem.message) == message


def test_table_problems_caused_print_in_chinese(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    from scoring.tables import open_table
    from scoring.tables.arrow_sources import frame_source

    parquet.write_table(pa.table({"a": [[1], [2]], "b": [1, 2]}), tmp_path / "n.parquet")
    causes: list[Cause] = [
        lambda _: open_table(tmp_path / "n.parquet"),
        lambda _: frame_source([1, 2]),
    ]
    codes = set()
    for cause in causes:
        for problem in _problems(cause, tmp_path):
            _assert_translated(problem)
            codes.add(problem.code)
    assert codes == {"table-column-type", "table-frame"}


def test_yaml_syntax_errors_print_in_chinese() -> None:
    texts = [
        "a: [1, 2\n", "a: {b: 1\n", "a: *x\n", "a: @x\n", 'a: "\\q"\n', "a:\n  b: 1\n c: 2\n", "- a\nb: c\n",
        "a: !foo!bar 1\n", "a: 'x\n", "a: b: c\n", "&\n", "a: |0\n", "\ta: 1\n", "a: 1\n---\nb: 2\n",
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "a: `x\n", "a: 1\x07\n",
    ]  # fmt: skip
    for text in texts:
        with pytest.raises(scoring.ScoringError) as info:
            scoring.parse_set(text, "s.yaml")
        (problem,) = info.value.problems
        assert problem.code == "yaml-syntax", text
        _assert_translated(problem)


def test_the_previously_untranslated_codes_are_all_caused_or_built(tmp_path: Path) -> None:
    caused = {p.code for cause in [*DERIVED.values(), *LOADED.values(), *ANALYSED.values()]
              for p in _problems(cause, tmp_path)}  # fmt: skip
    built = {problem.code for problem, _ in BUILT}
    cli = {"write-set", "weights-option"}
    assert {"ahp-size", "derive-zero-weight", "met-date", "option", "panel-raters", "sum-of"} <= caused
    from tests.test_problem_messages_zh import NEVER_WRITTEN

    wanted = set(translations("zh").messages) - {"weights-file", "rescale"}
    newly = {
        "sum-of", "met-condition", "met-otherwise", "met-partial", "met-date", "panel-trim", "panel-rater",
        "panel-points", "panel-raters", "no-published", "published-value", "different-set",
        "duplicate-unit", "unknown-rows", "delta", "weights-shape", "weights-type", "option",
        "table-cell-too-large", "table-csv", "table-json", "table-column-type", "table-frame", "panel-none",
        "write-set", "ahp-criterion", "ahp-judgment", "ahp-judgment-range", "ahp-twice", "ahp-missing",
        "ahp-size", "ahp-inconsistent", "derive-set", "derive-group", "derive-level-twice", "derive-method",
        "derive-points", "derive-points-missing", "derive-points-sum", "derive-zero-weight", "derive-saved",
        "weights-option",
    }  # fmt: skip
    assert newly <= wanted
    assert newly - caused - built - cli == set()
    assert {"weights-file", "rescale"} == NEVER_WRITTEN


# --- warnings ------------------------------------------------------------------------------------------


def test_warnings_print_in_chinese_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_careless_user import fraction_result

    (fraction,) = fraction_result("0.9153").warnings
    _assert_translated(fraction)
    assert problem_text(fraction, ZH) == (
        "u.yaml:26:3：[percent-fraction] 百分数疑似写成小数：输入 'satisfaction' 为 0.9153，单位是 %：看起来像是以 1 "
        "为整体的小数（提示：若原件印的是 91.53%，请写 91.53）"
    )
    unit = panels.PANEL / "unit-c.yaml"
    assert main(["score", str(unit), "--lang", "zh"]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    # the prefix is the command line's own (scoring/cli), not a problem's text
    assert line == (
        f"警告：{unit}:30:5：[panel-spread] 专家评分差距过大：'benefit' 的专家评分相差 6 分（专家乙 12，专家甲 18），"
        "超过指标体系允许的 3 分（提示：该行照常计分；请专家组复核）"
    )


# --- formulas and data written as a table prints them ----------------------------------------------------

FORMULAS = [
    "x ÷ y × 100%", "x／y＊100", "lambda q: 1", "[q for q in (x, y)]", "(z := 1)", "round(x, ndigits=2)",
    "x in y", "min", "clamp(x, 1)", "min(x)", "1j", "x = y", "x x y", "x / (y", "x ≤ y",
]  # fmt: skip


@pytest.mark.parametrize("formula", FORMULAS)
def test_formulas_written_carelessly_print_in_chinese(formula: str) -> None:
    from tests.test_error_table import set_edit

    with pytest.raises(scoring.DefinitionError) as info:
        scoring.parse_set(set_edit("formula: x / y * 100", f'formula: "{formula}"'), "set.yaml")
    (problem,) = info.value.problems
    _assert_translated(problem)


def test_a_formula_hint_of_several_parts_prints_in_chinese() -> None:
    from tests.test_error_table import set_edit

    with pytest.raises(scoring.DefinitionError) as info:
        scoring.parse_set(set_edit("formula: x / y * 100", 'formula: "x ÷ y × 100%"'), "set.yaml")
    (problem,) = info.value.problems
    assert translations("zh").hint(problem.hint or "") == (
        "请把 ÷ 写作 /，把 × 写作 *；公式给出数值本身：百分数请写 * 100，不要写 %"
    )


DEDUCT = "{deduct: {over: 0, per: 1, points: 1, steps: whole}}"
MORE_LOADED = {
    "deduct-points": ("set", DEDUCT, DEDUCT.replace("points: 1", "points: 0")),
    "deduct-target-and-over": ("set", DEDUCT, DEDUCT.replace("over: 0,", "over: 0, target: 1,")),
    "input-name": ("set", "ok: {type: boolean}", "ok: {type: boolean}, my-input: {}"),
    "band-equals": ("set", "rule: {ratio: {target: 100}}",
                    "rule: {bands: [{equals: 5, points: 6}, {from: 0, upto: 10, points: 1}]}"),
    "direction": ("set", "rule: {ratio: {target: 100}}", "direction: decreasing\n    rule: {ratio: {target: 100}}"),
    "unknown-clash": ("unit", "  ok: true\n", "  ok: true\nunknown: [execution]\nnot_applicable: [execution]\n"
                      "overrides: {execution: {points: 1, reason: x}}\n"),
    "magnitude": ("unit", "spent: 90", "spent: 1E+60"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MORE_LOADED))
def test_more_set_and_unit_problems_print_in_chinese(name: str) -> None:
    from tests.test_error_table import UNIT_SET, set_edit, unit_edit

    kind, old, new = MORE_LOADED[name]
    with pytest.raises(scoring.ScoringError) as info:
        if kind == "set":
            scoring.parse_set(set_edit(old, new), "set.yaml")
        else:
            judged = scoring.parse_set(UNIT_SET, "set.yaml")
            scoring.evaluate(judged, scoring.parse_unit(unit_edit(old, new), "u.yaml", indicator_set=judged))
    for problem in info.value.problems:
        _assert_translated(problem)


@pytest.mark.parametrize(
    "values",
    [{"status": Decimal(1)}, {"status": "   "}, {"status": True}, {"done_on": "2022/12/31"},
     {"done_on": Decimal(20221231)}],
    ids=["text-number", "text-empty", "text-true", "date-text", "date-number"],
)  # fmt: skip
def test_text_and_date_values_given_wrongly_print_in_chinese(values: dict[str, object]) -> None:
    with pytest.raises(scoring.DataError) as info:
        scoring.evaluate(scoring.parse_set(met.SET, "set.yaml"), {"values": {**met.GOOD, **values}})
    (problem,) = info.value.problems
    _assert_translated(problem)


def test_a_met_rule_given_a_number_at_the_row_prints_in_chinese() -> None:
    text = met.SET.replace("indicators:\n", "derived: {doubled: rate * 2}\nindicators:\n").replace(
        "    formula: status\n", "    formula: doubled\n"
    )
    with pytest.raises(scoring.EvaluationError) as info:
        scoring.evaluate(scoring.parse_set(text, "set.yaml"), {"values": met.GOOD})
    (problem,) = info.value.problems
    _assert_translated(problem)
    assert translations("zh").message(problem.code, problem.message) == (
        "指标 'words' 无法计分：met 规则比较的是文本，但数值是数字 190；公式 'doubled'，其中 doubled = 190"
    )


def test_a_file_name_too_long_prints_in_chinese(tmp_path: Path) -> None:
    long = tmp_path / ("x" * 300)
    causes: list[Cause] = [
        lambda _: scoring.load_set(f"{long}.yaml"),
        lambda _: scoring.score_table(_synthetic().indicator_set, f"{long}.csv"),
    ]
    said = []
    for cause in causes:
        (problem,) = _problems(cause, tmp_path)
        assert problem.code == "file-unreadable"
        _assert_translated(problem)
        said.append(translations("zh").message(problem.code, problem.message) or "")
    assert said[0] == "无法读取文件：文件名过长"
    assert said[1] == f"无法读取文件：文件名过长（错误 36：'{long}.csv'）"


def test_a_table_with_a_unit_twice_prints_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    rows = (SYNTHETIC / "departments.csv").read_text(encoding="utf-8").splitlines()
    table = tmp_path / "twice.csv"
    table.write_text("\n".join([rows[0], rows[1], rows[1]]) + "\n", encoding="utf-8")
    argv = ["tune", HUNAN, str(table), "--weight", "过程/预算执行=25", "--lang", "zh"]
    assert main(argv) != 0
    assert capsys.readouterr().err.strip() == (
        f"{table}：[duplicate-unit] 单位重复：两行都是单位 '示例省粮食和物资储备局（虚构）'"
        "（提示：每个单位只能出现一次（单位名称列：unit、单位 或 单位名称））"
    )
