"""Outcome texts in Chinese and English, from the catalogues (``outcome.`` in ``scoring/locales/*.yaml``).

The English text read through the catalogue is exactly :attr:`IndicatorResult.outcome` (which golden files and
the docs pin) for every row of every shipped example; the Chinese one says the same numbers in Chinese words.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml

import scoring
from scoring.engine.result import IndicatorResult, Result
from scoring.language import Catalogue
from scoring.rules import RULE_KINDS
from tests.helpers import one, set_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DEPARTMENTS = sorted((ROOT / "examples" / "synthetic").glob("dept-*.yaml"))
DEPARTMENT_SET = ROOT / "indicators" / "hunan-department-overall.yaml"
EN, ZH = Catalogue("en"), Catalogue("zh")


@functools.cache
def _department_set() -> scoring.IndicatorSet:
    return scoring.load_set(DEPARTMENT_SET)


def _result(path: Path) -> Result:
    """A shipped unit scored (the synthetic departments against the department set)."""
    unit = scoring.load_unit(path, _department_set() if path in DEPARTMENTS else None)
    return scoring.evaluate(unit.indicator_set, unit)


def _outcome_keys(texts: Catalogue) -> set[str]:
    """The keys of a catalogue's ``outcome.`` section."""
    every = texts.keys()
    return {key for key in every if key.startswith("outcome.")}


def _english_words() -> set[str]:
    """The words of the English catalogue's outcome section (its fields left out)."""
    texts = [EN.text(key) for key in _outcome_keys(EN)]
    return {
        word.lower() for text in texts for word in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", "", text))
    }


def _user_texts(row: IndicatorResult) -> list[str]:
    """The texts a row's outcome quotes from the set or the unit (labels, conditions, tiers, reasons): any
    language, so left out when looking for English words."""
    rule: Any = row.definition.rule
    texts = [band.label for band in getattr(rule, "bands", ())]
    texts += [
        t for case in getattr(rule, "cases", ()) for t in (case.label, case.condition and case.condition.text)
    ]
    texts += [t for item in getattr(rule, "items", ()) for t in (item.label, item.input)]
    texts += list(getattr(rule, "tiers", {}))
    texts += [getattr(row.step, "reason", None), getattr(row.step, "tier", None)]
    return sorted((t for t in texts if t), key=len, reverse=True)


def _digits(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text))


def _check_row(row: IndicatorResult) -> None:
    assert row.outcome_text(EN) == row.outcome, row.id
    chinese = row.outcome_text(ZH)
    assert chinese.strip(), row.id
    assert _digits(chinese) == _digits(row.outcome), (row.id, chinese, row.outcome)
    own = chinese
    for text in _user_texts(row):
        own = own.replace(text, "")
    english = {word.lower() for word in re.findall(r"[A-Za-z]{3,}", own)} & _english_words()
    assert not english, (row.id, chinese, english)
    assert re.search(r"[\u4e00-\u9fff]", own) or own.startswith(("✓", "✗")), (row.id, chinese)


@pytest.mark.parametrize("path", EXAMPLES + DEPARTMENTS, ids=lambda path: path.name)
def test_every_shipped_row_speaks_both_languages(path: Path) -> None:
    """English from the catalogue is the outcome; Chinese carries the same numbers and no English words."""
    for row in _result(path).indicators:
        _check_row(row)


def test_the_demo_uses_every_rule_kind() -> None:
    """examples/demo.yaml covers every registered rule kind but met, which examples/project-targets.yaml
    shows (every condition, a partial, met and missed), so the test above covers every describe()."""
    demo = _result(ROOT / "examples" / "demo.yaml")
    targets = _result(ROOT / "examples" / "project-targets.yaml")
    assert {row.rule for row in demo.indicators} == set(RULE_KINDS) - {"met"}
    assert {row.rule for row in targets.indicators} >= {"met"}


def test_outcome_keys_are_under_one_section() -> None:
    """Both catalogues hold the outcome texts under ``outcome.``, with the same keys."""
    assert _outcome_keys(EN) == _outcome_keys(ZH)
    assert len(_outcome_keys(EN)) > 30


# --- worked examples ------------------------------------------------------------------------------------


def _row(indicator_set: scoring.IndicatorSet, **data: Any) -> IndicatorResult:
    row = scoring.evaluate(indicator_set, data).indicator("row")
    _check_row(row)
    return row


def _zh(indicator_set: scoring.IndicatorSet, **data: Any) -> str:
    return _row(indicator_set, **data).outcome_text(ZH)


def test_deduct_in_chinese() -> None:
    """The issue's example: 7.2 under a floor of 100, one whole step of 5, 2 points off."""
    rule = {"deduct": {"under": 100, "per": 5, "points": 2, "steps": "whole"}}
    s = one(rule, weight=5)
    assert _row(s, values={"x": D("92.8")}).outcome == "7.2 under 100; 1 whole step of 5 × 2 = −2"
    assert _zh(s, values={"x": D("92.8")}) == "低于 100 达 7.2；每 5 为一步，1 个整步 × 2 = −2"
    assert _zh(s, values={"x": 100}) == "在限值以内（≥ 100）：得满分"
    over = one({"deduct": {"over": 0, "per": 1, "points": 2, "steps": "started"}}, weight=5)
    assert (
        _zh(over, values={"x": D("3.5")})
        == "高于 0 达 3.5；每 1 为一步，4 步（不足一步按一步计） × 2 = −8（扣至 0 分为止）"
    )
    exact = one({"deduct": {"over": 0, "per": 2, "points": 1, "steps": "exact"}}, weight=5)
    assert _zh(exact, values={"x": 3}) == "高于 0 达 3；每 2 为一步，1.5 步（按比例计） × 1 = −1.5"


def test_bands_in_chinese() -> None:
    bands = [{"from": 90, "points": 5, "label": "优"}, {"from": 60, "below": 90, "points": 3}]
    s = one({"bands": bands, "otherwise": 0}, weight=5)
    assert _zh(s, values={"x": 95}) == "第 1 档「优」 [90, +∞)：5"
    assert _zh(s, values={"x": 70}) == "第 2 档 [60, 90)：3"
    assert _zh(s, values={"x": 10}) == "不在任何一档：其他情况得 0"


def test_ratio_and_linear_in_chinese() -> None:
    s = one({"ratio": {"target": 100}}, weight=5)
    assert _zh(s, values={"x": 95}) == "实际值 / 目标值（目标值 100，至多为 1）：得分率 0.95"
    lower = one({"ratio": {"target": 500, "lower_better": True}}, weight=5)
    assert _zh(lower, values={"x": 800}) == "目标值 / 实际值（目标值 500，至多为 1）：得分率 0.625"
    linear = one({"linear": {"zero_at": 50, "full_at": 90}}, weight=5)
    assert _zh(linear, values={"x": 70}) == "50 时得 0 分，90 时得满分，其间线性：得分率 0.5"


def test_cases_in_chinese() -> None:
    s = one({"cases": [{"when": "x >= 1", "points": 5, "label": "达标"}], "otherwise": 1}, weight=5)
    assert _zh(s, values={"x": 2}) == "第 1 种情形「达标」（x >= 1）：5"
    assert _zh(s, values={"x": 0}) == "各情形均不成立：其他情况得 1"


def test_judgment_in_chinese() -> None:
    tiers = [
        {"label": "好", "min_share": 0.8},
        {"label": "中", "min_share": 0.6},
        {"label": "差", "min_share": 0},
    ]
    s = one({"judgment": {"tiers": tiers}}, weight=5, formula=None)
    judged = {"row": {"tier": "中", "points": D("3.5"), "reason": "目标不够细化"}}
    assert _zh(s, judgments=judged) == "评议为「中」档（3–4）：3.5；理由：目标不够细化"
    tier_only = {"row": {"tier": "好", "reason": "成效明显"}}
    assert _zh(s, judgments=tier_only) == "评议为「好」档但未给分：4 至 5；理由：成效明显"


def test_checklist_in_chinese() -> None:
    text = set_text(
        [
            {
                "id": "row",
                "weight": 3,
                "rule": {
                    "checklist": [
                        {"input": "a", "points": 2, "label": "预算管理办法"},
                        {"input": "b", "points": 1, "label": "资产管理制度"},
                    ]
                },
            }
        ],
        inputs={"a": {"type": "boolean"}, "b": {"type": "boolean"}},
    )
    s = scoring.parse_set(text, "set.yaml")
    assert _zh(s, values={"a": True, "b": False}) == "✓ 预算管理办法 2/2；✗ 资产管理制度 0/1"


def test_rows_no_rule_scored_in_chinese() -> None:
    """Not applicable under each policy, overridden, unknown: the steps the engine itself records."""
    s = one({"ratio": {"target": 100}}, weight=5)
    assert _zh(s, not_applicable=["row"]) == "不适用：得满分"
    zero = one({"ratio": {"target": 100}}, weight=5, not_applicable="zero")
    assert _zh(zero, not_applicable=["row"]) == "不适用：不得分"
    override = {"row": {"points": 4, "reason": "复核后调整"}}
    assert _zh(s, values={"x": 90}, overrides=override) == "已改分（原计算得分 4.5）：复核后调整"
    assert _zh(s, overrides=override) == "已改分（原得分无法计算）：复核后调整"
    assert _zh(s, unknown=["row"]) == "未知：0 至 5"
    assert _zh(s, unknown={"row": {"reason": "报告未提供", "max": 3}}) == "未知：0 至 3；说明：报告未提供"


def test_rescaled_row_in_chinese() -> None:
    text = set_text(
        [
            {"id": "row", "weight": 60, "formula": "x", "rule": {"ratio": {"target": 100}}},
            {"id": "other", "weight": 40, "formula": "x", "rule": {"ratio": {"target": 100}}},
        ],
        not_applicable="rescale",
    )
    s = scoring.parse_set(text, "set.yaml")
    assert _zh(s, values={"x": 100}, not_applicable=["row"]) == "不适用：不计入，其余分值按比例折算"


def test_reweighted_row_in_chinese() -> None:
    """A row whose weight changed says the rule's weight and the new one, in either language."""
    text = set_text(
        [
            {"id": "row", "weight": 5, "formula": "x", "rule": {"ratio": {"target": 100}}},
            {"id": "other", "weight": 5, "formula": "x", "rule": {"ratio": {"target": 100}}},
        ]
    )
    s = scoring.parse_set(text, "set.yaml").reweighted({"row": 8, "other": 2})
    row = _row(s, values={"x": 50})
    assert row.outcome.endswith(" (points at the rule's weight 5, scaled to 8)")
    assert (
        row.outcome_text(ZH)
        == "实际值 / 目标值（目标值 100，至多为 1）：得分率 0.5（按规则分值 5 计分，折算为分值 8）"
    )


# --- score, explain and the deductions in either language ------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The output of a command under a locale that names no language (so --lang or the set decides)."""
    from scoring.cli import main

    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_english_texts_are_the_default(path: Path) -> None:
    """Given the English catalogue, every renderer writes what it writes without one."""
    from scoring.report import score as render

    result = _result(path)
    s = scoring.load_unit(path).indicator_set
    assert render.table(result, s, EN) == render.table(result, s)
    assert render.markdown(result, s, EN) == render.markdown(result, s)
    assert render.explain(result, s, (), EN) == render.explain(result, s)


def test_score_table_in_chinese(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = _cli(capsys, monkeypatch, "score", str(ROOT / "examples" / "demo.yaml"), "--lang", "zh")
    lines = text.splitlines()
    assert lines[2].split() == ["指标", "分值", "数值", "得分", "评分结果", "/", "等级"]
    assert "低于 100 达 9.1428；每 5 为一步，1 个整步 × 2 = −2" in text
    assert "不适用：得满分" in text
    assert lines[-1].startswith("总分 79.4 / 100  等级 ")
    assert "Total" not in text and "judged" not in text
    english = _cli(capsys, monkeypatch, "score", str(ROOT / "examples" / "demo.yaml"))
    assert "Total 79.4 / 100" in english and "9.1428 under 100" in english


def test_score_range_and_markdown_in_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hunan = str(ROOT / "examples" / "hunan-hrss-2019.yaml")
    text = _cli(capsys, monkeypatch, "score", hunan, "--lang", "zh")
    assert (
        text.splitlines()[-1]
        == "总分在 49.6 至 92.0 之间 / 100  等级 优 或 良 或 中 或 差  （14 行未知，共计 14.6 至 57 分）"
    )
    assert "未知：0 至 3；说明：" in text
    training = str(ROOT / "examples" / "cn-project-employment-training.yaml")
    md = _cli(capsys, monkeypatch, "score", training, "--lang", "zh", "--format", "markdown")
    assert "| 指标 | 分值 | 数值 | 得分 | 评分结果 / 等级 |" in md
    assert (
        md.splitlines()[-1] == "**总分 94.6 / 100  等级 优  （各行合计 89.9，可得分 95，按 × 1.0526 折算）**"
    )
    assert "不适用：不计入，其余分值按比例折算" in md


def test_the_set_language_chooses_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without --lang, a set that declares ``language: zh`` is scored in Chinese; --lang en overrides it."""
    demo = ROOT / "examples" / "demo.yaml"
    unit = scoring.load_unit(demo)
    set_path = demo.parent / yaml.safe_load(demo.read_text(encoding="utf-8"))["set"]
    zh_set = tmp_path / "set.yaml"
    zh_set.write_text(set_path.read_text(encoding="utf-8") + "\nlanguage: zh\n", encoding="utf-8")
    assert unit.indicator_set.language is None
    text = _cli(capsys, monkeypatch, "score", str(demo), "--set", str(zh_set))
    assert "总分 79.4 / 100" in text
    text = _cli(capsys, monkeypatch, "score", str(demo), "--set", str(zh_set), "--lang", "en")
    assert "Total 79.4 / 100" in text


def test_explain_in_chinese(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    demo = str(ROOT / "examples" / "demo.yaml")
    text = _cli(capsys, monkeypatch, "explain", demo, "staff_control_rate", "--lang", "zh")
    assert text.splitlines() == [
        "staff_control_rate — 在职人员控制率  [投入/预算配置]",
        "  指标解释 在职人员控制率 = 在职人员数 / 编制数 × 100%。",
        "  评分标准 以100%为标准，≤100%计满分；每超过一个百分点扣0.5分，扣完为止。",
        "  计算公式 staff_in_post / staff_quota * 100",
        "  输入数据 staff_in_post = 335；staff_quota = 382",
        "  计算值   87.7%",
        "  评分规则 扣分（数值越大得分越低）",
        "  评分结果 在限值以内（≤ 100）：得满分",
        "  得分     5.00（分值 5）",
    ]
    hunan = str(ROOT / "examples" / "hunan-hrss-2019.yaml")
    text = _cli(capsys, monkeypatch, "explain", hunan, "satisfaction_rate", "--lang", "zh")
    assert "  得分     未知，0.00 至 4.00（分值 4）" in text.splitlines()


def test_deductions_in_chinese(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    demo = str(ROOT / "examples" / "demo.yaml")
    text = _cli(capsys, monkeypatch, "explain", demo, "--top", "3", "--lang", "zh")
    lines = text.splitlines()
    assert lines[0] == "示例部门 — 扣分最多的 3 行，与满分相比（总分 79.4 / 100，中）"
    assert lines[2].split() == ["#", "指标", "名称", "分值", "得分", "扣分", "评分结果"]
    assert lines[6].endswith("低于 100 达 9.1428；每 5 为一步，1 个整步 × 2 = −2")
    assert lines[-1] == "10 行共扣 20.60 分（列出 3 行）。"
    hunan = str(ROOT / "examples" / "hunan-hrss-2019.yaml")
    text = _cli(capsys, monkeypatch, "explain", hunan, "--top", "1", "--lang", "zh")
    assert text.splitlines()[-1].startswith(
        "未知的行，未参与排序：budget_control_rate、building_area_control、"
    )


def test_frequent_deductions_in_chinese() -> None:
    from scoring.analysis.deductions import frequent_deductions
    from scoring.report.deductions import frequent_table

    results = [_result(path) for path in DEPARTMENTS[:4]]
    rows = frequent_deductions(_department_set(), results)
    text = frequent_table(rows, len(results), 2, ZH)
    assert text.splitlines()[0] == "4 个单位最常见的扣分项（与满分相比）"
    assert text.splitlines()[2].split()[:4] == ["指标", "名称", "分值", "扣分单位数"]
    assert frequent_table(rows, len(results), 2, EN) == frequent_table(rows, len(results), 2)
