"""The analyses' text tables and the batch and check summaries speak Chinese with ``--lang zh``.

English stays the default (and byte for byte what tests/test_golden.py pins); ``--lang en`` prints the same.
Each Chinese case names words the table must show and English words it must no longer show. Texts the
analyses themselves write (a margin's notes, a skipped move's reason, the weights' note) stay English in the
results and their JSON (data), and are said in Chinese by the reports from the key and values beside them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scoring.analysis.cohort import load_cohort
from scoring.analysis.effective_weights import effective_weights
from scoring.analysis.margins import margins
from scoring.cli import main
from scoring.language import Catalogue
from scoring.report.margins import margins_table
from scoring.report.weights import weights_table
from scoring.rules import RULE_KINDS

ROOT = Path(__file__).resolve().parent.parent
COHORT = str(ROOT / "examples/synthetic")
DEMO = str(ROOT / "examples/demo.yaml")
SET = ROOT / "indicators/hunan-department-overall.yaml"
TABLE = ROOT / "examples/synthetic/departments.csv"

#: name: (argv, Chinese texts the output shows, English texts it must not show).
CASES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "tune": (
        ["tune", COHORT, "--weight", "过程/预算执行=25"],
        [
            "调整的权重（其余权重：按比例；总分 100 → 100）",
            "单位",
            "总分",
            "等级",
            "排名",
            "小结：24 个单位；0 个等级变化；排名最大变动 3（",
            "斯皮尔曼等级相关系数 0.9876",
        ],
        [
            "Weights changed",
            "rescale",
            "Unit",
            "Total",
            "Grade",
            "Rank",
            "Summary",
            "change grade",
            "largest rank move",
            "Spearman",
            "units",
        ],
    ),
    "tune-rescale-none": (
        ["tune", COHORT, "--weight", "budget_completion_rate=12", "--rescale", "none"],
        ["（其余权重：不调整；总分 100 → 107）", "小结：24 个单位；"],
        ["Weights changed", "rescale", "none", "Summary"],
    ),
    "weights": (
        ["weights", COHORT],
        [
            "实际权重 — ",
            "），24 个单位",
            "名义占比：分值 / 总分。",
            "差异占比",
            "平均分",
            "标准差",
            "平均得分率",
            "指标组",
            "指标",
            "总分（舍入前）：平均 84.44，标准差 9.45，方差 89.3656",
        ],
        [
            "Effective weights",
            "Weight",
            "Nominal",
            "Variation",
            "Mean",
            "SD",
            "Groups",
            "Indicators",
            "Totals",
            "variance",
            "units",
        ],
    ),
    "sensitivity": (
        ["sensitivity", COHORT, "--delta", "1", "--groups"],
        [
            "逐项敏感性分析：",
            "每项权重变动 ±1（其余权重：按比例），24 个单位",
            "序  变动权重",
            "分值",
            "总分平均变动",
            "最大变动",
            "等级变化",
            "排名变动",
            "［组］投入",
            "无法进行的变动",
        ],
        [
            "One-at-a-time",
            "each weight moved",
            "[group]",
            "mean |Δ total|",
            "max |Δ|",
            "grade chg",
            "rank move",
            "Grade changes",
            "Moves not possible",
            "units",
        ],
    ),
    "montecarlo": (
        ["montecarlo", COHORT, "-n", "300", "--seed", "7", "--no-progress"],
        [
            "蒙特卡洛模拟：",
            "300 组权重，每项权重在 ±10% 内均匀抽样，随机种子 7；总分按指标体系的规定舍入",
            "单位",
            "平均",
            "5–95% 区间",
            "P（优）",
            "P（差）",
            "排名 5–95% 区间",
            "抽样权重",
            "指标",
        ],
        [
            "Monte Carlo",
            "weightings",
            "uniform",
            "seed",
            "Sampled weights",
            "P(",
            "unit",
            "total",
            "grade",
            "rank",
            "mean",
            "indicator",
            "weight",
        ],
    ),
    "montecarlo-dirichlet": (
        ["montecarlo", COHORT, "-n", "200", "--seed", "3", "--method", "dirichlet", "--no-progress"],
        ["200 组权重，狄利克雷分布抽样，集中度 100，随机种子 3"],
        ["Dirichlet", "concentration", "weightings"],
    ),
    "margins": (
        ["margins", COHORT],
        [
            "只显示能跨越等级界限的调整；另有 844 项没有此类调整，未列出（--all 全部显示）。",
            "示例省粮食和物资储备局（虚构） — 总分 97.7，等级 优（各行合计 97.70）",
            "  升    已是最高等级",
            "  降    良：−7.76 分（各行合计 89.94 → 总分 89.9）",
            "（扣分）8.00 / 8，计算值 -13.1915",
            "需 ≤ 0.24 分；计算值 ≥ 10 (+23.1915)；",
            "✓ = 已按调整后的数据重新评分核实",
        ],
        [
            "Only the answers",
            "--all shows",
            "— total",
            ", grade",
            "(rows",
            "  up ",
            "  down ",
            "already in the",
            "needs",
            "points (",
            " of 8",
            ", value",
            "(deduct)",
            "✓ = verified",
        ],
    ),
    "margins-demo": (
        ["margins", DEMO, "--indicator", "budget_adjustment_rate", "--indicator", "management_rules"],
        [
            "指标：budget_adjustment_rate, management_rules。",
            "（分档）",
            "（清单）",
            "计算值 ≤ 30 (−37.5602)",
            "（同时改变 budget_completion_rate 3→5；此时该单位等级为 良，其等级在 13627.49 处变化） ✗",
            "has_procurement_rules → 是 ✓",
        ],
        [
            "Indicators:",
            "(bands)",
            "(checklist)",
            "value ≤",
            "also moves",
            "is graded",
            "grade changes at",
            "→ true",
        ],
    ),
}


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default language is the locale's: make it one that names neither zh nor en."""
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", sorted(CASES))
def test_lang_en_is_the_default_english_output(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, _, english = CASES[name]
    code, default, _ = _run(argv, capsys)
    assert code == 0
    assert _run([*argv, "--lang", "en"], capsys) == (0, default, "")
    assert [word for word in english if word not in default] == []  # the words the zh case bans are real


@pytest.mark.parametrize("name", sorted(CASES))
def test_lang_zh_speaks_chinese(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, chinese, english = CASES[name]
    code, out, _ = _run([*argv, "--lang", "zh"], capsys)
    assert code == 0
    missing = [text for text in chinese if text not in out]
    assert not missing, out
    left = [word for word in english if word in out]
    assert not left, out


def test_the_functions_speak_english_without_a_catalogue() -> None:
    cohort = load_cohort([COHORT])
    report = effective_weights(cohort)
    assert weights_table(report) == weights_table(report, texts=Catalogue("en"))
    assert weights_table(report, texts=Catalogue("zh")).startswith("实际权重 — ")
    demo = margins(load_cohort([DEMO]))
    assert margins_table(demo) == margins_table(demo, texts=Catalogue("en"))
    assert "需 ≥ 3.55 分" in margins_table(demo, texts=Catalogue("zh"))


def test_every_rule_kind_has_its_name_in_both_catalogues() -> None:
    for language in ("zh", "en"):
        keys = Catalogue(language).keys()
        assert {f"analysis.margins.kind.{kind}" for kind in RULE_KINDS} <= keys


def _broken_table(tmp_path: Path, failing: int) -> Path:
    """The synthetic departments with ``failing`` rows whose staff count is not a number."""
    with TABLE.open(encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    for row in rows[1 : failing + 1]:
        row[1] = "一百"
    table = tmp_path / "departments.csv"
    with table.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(rows)
    return table


def test_batch_summary_in_chinese_and_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _broken_table(tmp_path, 22)
    argv = ["batch", str(SET), str(table), "-o", str(tmp_path / "scores.csv")]
    code, _, err = _run([*argv, "--lang", "zh"], capsys)
    assert code == 1
    assert err.startswith("scoring batch：共 24 行，2 行已评分，22 行失败\n")
    assert err.endswith("  … 另有 2 行失败（见 error 列）\n")
    assert "：[" in err.splitlines()[1]  # each failed row's problem leads with its code and Chinese title
    code, _, err = _run(argv, capsys)
    assert code == 1
    assert err.startswith("scoring batch: 2 of 24 rows scored, 22 failed\n")
    assert err.endswith("  … and 2 more failed rows (see the error column)\n")
    assert "：[" not in err


def test_batch_summary_without_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["batch", str(SET), str(TABLE), "-o", str(tmp_path / "scores.csv"), "--lang", "zh"]
    assert _run(argv, capsys) == (0, "", "scoring batch：共 24 行，24 行已评分，0 行失败\n")


def test_check_summary_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", COHORT, "--lang", "zh"], capsys)
    assert code == 0 and out.endswith("\n共检查 24 个文件：24 个正常，0 个有问题\n")
    code, out, _ = _run(["check", COHORT], capsys)
    assert code == 0 and out.endswith("\n24 files checked: 24 ok, 0 with problems\n")
    bad = str(ROOT / "tests/golden/inputs/bad-unit.yaml")
    code, out, _ = _run(["check", DEMO, bad, "--lang", "zh"], capsys)
    assert code == 1 and out.endswith("\n共检查 2 个文件：1 个正常，1 个有问题\n")


def test_a_set_that_speaks_chinese_is_spoken_without_lang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The set's ``language: zh`` chooses Chinese for the check summary and the analyses; --lang wins."""
    text = SET.read_text(encoding="utf-8")
    (tmp_path / "set.yaml").write_text("language: zh\n" + text, encoding="utf-8")
    for name in ("dept-01.yaml", "dept-02.yaml"):
        unit = (ROOT / "examples/synthetic" / name).read_text(encoding="utf-8")
        unit = unit.replace("set: ../../indicators/hunan-department-overall.yaml", "set: set.yaml")
        (tmp_path / name).write_text(unit, encoding="utf-8")
    units = [str(tmp_path / "dept-01.yaml"), str(tmp_path / "dept-02.yaml")]
    code, out, _ = _run(["check", *units], capsys)
    assert code == 0 and out.endswith("\n共检查 2 个文件：2 个正常，0 个有问题\n")
    code, out, _ = _run(["weights", *units], capsys)
    assert code == 0 and out.startswith("实际权重 — ") and "，2 个单位" in out
    code, out, _ = _run(["weights", *units, "--lang", "en"], capsys)
    assert code == 0 and out.startswith("Effective weights — ") and ", 2 units" in out


def test_notes_stay_english_in_the_results_and_are_said_from_their_keys() -> None:
    """A margin's note keeps its English (and the JSON only that); the report says it from its key."""
    from scoring.serialize import to_data

    demo = margins(load_cohort([DEMO]))
    item = demo.units[0].indicator("goal_reasonableness", "down")
    assert item.note is not None and item.note.startswith("would need to lose 19.46 points")
    assert item.note_key == "below_zero" and dict(item.note_values) == {"change": "19.46", "points": "1.5"}
    data = to_data(demo)
    notes = [row["note"] for row in data["units"][0]["indicators"]]
    assert item.note in notes and "note_key" not in data["units"][0]["indicators"][0]
    assert "需减少 19.46 分，但该指标只得 1.5 分" in margins_table(demo, texts=Catalogue("zh"))
    assert item.note in margins_table(demo)
    chosen = margins(load_cohort([COHORT]), limit=2)
    assert chosen.selection == "the 2 units nearest a grade boundary, of 24"
    assert "距等级界限最近的 2 个单位（共 24 个）" in margins_table(chosen, texts=Catalogue("zh"))


def test_the_weights_note_is_said_from_its_key() -> None:
    report = effective_weights(load_cohort([str(ROOT / "examples/synthetic/dept-01.yaml")]))
    assert report.note == "there is only one unit; variation shares are not defined (no variation to share)"
    assert "注：只有一个单位" in weights_table(report, texts=Catalogue("zh"))
    assert f"Note: {report.note}" in weights_table(report)
