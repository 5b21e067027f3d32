"""Problems in the language the command speaks: in Chinese each line leads with its code and a Chinese title
(the catalogues' ``problem:`` section), then the message and hint in Chinese where the catalogue's patterns
translate them (tests/test_problem_messages_zh.py checks those), else as the engine wrote them; in English
the line is the engine's, unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.errors import Location, Problem
from scoring.language import Catalogue
from scoring.report.problems import problem_text, problem_title

ROOT = Path(__file__).resolve().parent.parent
BAD_UNIT = "tests/golden/inputs/bad-unit.yaml"


def _documented_codes() -> list[str]:
    """Every code in docs/format.md's "Problem codes" tables (a cell may list several)."""
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc.split("### Problem codes", 1)[1].split("\n## ", 1)[0]
    codes: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            codes += [code for code in re.findall(r"`([a-z0-9-]+)`", line.split("|")[1]) if code not in codes]
    return codes


def _stderr(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    assert main(argv) != 0
    return capsys.readouterr().err


def test_every_documented_code_has_a_title_in_both_catalogues() -> None:
    codes = _documented_codes()
    assert len(codes) > 100 and {"input-value", "more-problems", "table-csv", "weights-type"} <= set(codes)
    for language in ("zh", "en"):
        keys = Catalogue(language).keys()
        missing = [code for code in codes if f"problem.titles.{code}" not in keys]
        assert missing == [], f"{language}: no title for {missing}"
    zh = Catalogue("zh")
    untranslated = [code for code in codes if not re.search(r"[\u4e00-\u9fff]", problem_title(code, zh))]
    assert untranslated == []


def test_a_bad_unit_in_chinese_leads_each_line_with_its_code_and_a_chinese_title(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _stderr(["score", BAD_UNIT, "--lang", "zh"], capsys, monkeypatch).splitlines()
    assert lines[0] == (
        f"{BAD_UNIT}:5:3：[input-value] 输入值无效：输入 'budget_spent' 须为数字，不能是文本 '87.70%'"
        "（提示：请写 87.70（纯数字，不带 % 或千位分隔符））"
    )
    assert f"{BAD_UNIT}:8:18：[unknown-indicator] 未知的指标：指标体系中没有指标 'no_such_row'" in lines
    headline = re.compile(rf"^{re.escape(BAD_UNIT)}:\d+:\d+：\[([a-z-]+)\] [^：]*[\u4e00-\u9fff][^：]*：")
    codes = [match.group(1) for line in lines if (match := headline.match(line))]
    assert len(codes) == len(lines) > 5
    assert {"input-value", "unknown-input", "judgment-rule", "judgment-missing", "missing-input"} <= set(
        codes
    )


def test_a_usage_problem_in_chinese_keeps_the_command_prefix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    err = _stderr(["tune", "examples/demo.yaml", "--weight", "x", "--lang", "zh"], capsys, monkeypatch)
    assert err == (
        "scoring tune: [weight-option] 分值选项无效：--weight 'x' 不是 ID=分值 的写法"
        "（提示：例如 --weight staff_control_rate=8）\n"
    )


def test_english_output_is_the_engines_lines_unchanged(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    golden = (ROOT / "tests" / "golden" / "score-bad-unit.txt").read_text(encoding="utf-8")
    expected = golden.split("--- stderr\n", 1)[1]
    assert _stderr(["score", BAD_UNIT, "--lang", "en"], capsys, monkeypatch) == expected
    assert _stderr(["score", BAD_UNIT], capsys, monkeypatch) == expected  # an English locale (conftest)
    problem = Problem("input-value", "bad", Location("f.yaml", 1, 2), hint="fix it")
    assert problem_text(problem, Catalogue("en")) == problem_text(problem) == str(problem)


def test_a_code_without_a_title_falls_back_to_english_without_crashing() -> None:
    zh = Catalogue("zh")
    made_up = Problem("made-up-code", "something odd", Location("f.yaml", 3))
    assert problem_text(made_up, zh) == "f.yaml:3：[made-up-code] made up code：something odd"
    assert (
        problem_text(Problem("made-up-code", "odd", hint="h"), zh)
        == "[made-up-code] made up code：odd（提示：h）"
    )
    partial = Catalogue("zh")  # a catalogue that lost one title: the English title stands in
    partial._texts = {key: text for key, text in zh._texts.items() if key != "problem.titles.input-value"}
    line = problem_text(Problem("input-value", "not a number", Location("f.yaml")), partial)
    assert line == f"f.yaml：[input-value] {Catalogue('en').text('problem.titles.input-value')}：not a number"


def test_check_prints_its_problems_in_the_commands_language(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    unit = tmp_path / "bad.yaml"
    unit.write_text(
        f"set: {root / 'indicators' / 'hunan-department-overall.yaml'}\nunit: x\nvalues:\n  staff_in_post: 87.7%\n",
        encoding="utf-8",
    )

    def check(*options: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "scoring", "check", str(unit), *options],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        return done.stdout + done.stderr

    assert (
        "[input-value] 输入值无效：输入 'staff_in_post' 须为数字，不能是文本 '87.7%'（提示：请写 87.7（"
        in check("--lang", "zh")
    )
    english = check("--lang", "en")
    assert "input 'staff_in_post' must be a number" in english and "输入值无效" not in english
