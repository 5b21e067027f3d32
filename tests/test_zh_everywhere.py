"""With ``--lang zh`` no English prose is left in any command's output: text, workbooks and HTML reports,
and the help and usage errors of the command line.

Each case runs a command on a shipped example and collects the words of three or more ASCII letters it
writes (stdout, stderr, and the ``-o`` file: every cell and sheet name of a workbook; the visible text of an
HTML page and the texts of its charts). What may stay ASCII is what the data names, not what the program
says: the ids, inputs, derived values, groups, tiers, cases and labels of the set, the units' names and
files, option names (``--all``), rule kind names, unit symbols. What is left after removing those and the
short allowlist below is English prose, and must be empty. The help is held to the same measure, with the
parser's own names (options, their metavariables and choices, the commands) as the names.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from scoring.cli import main
from scoring.cli.program import parser
from scoring.model import load_set
from scoring.rules import RULE_KINDS

ROOT = Path(__file__).resolve().parent.parent
COHORT = str(ROOT / "examples/synthetic")
DEMO = str(ROOT / "examples/demo.yaml")
PANEL = [str(path) for path in sorted((ROOT / "examples/panel").glob("unit-*.yaml"))]
HUNAN = ROOT / "indicators/hunan-department-overall.yaml"
TABLE = str(ROOT / "examples/synthetic/departments.csv")
AHP = str(ROOT / "examples/weights/hunan-department-overall.ahp.yaml")
UNIT = str(ROOT / "examples/synthetic/dept-01.yaml")

#: ASCII words that may stay in Chinese output, each with its reason.
ALLOWED = {
    "scoring": "the program's own name (the command line, the generated-by note)",
    "csv": "a file format named as such",
    "xlsx": "a file format named as such",
    "html": "a file format named as such",
    "json": "a file format named as such",
    "yaml": "a file format named as such",
    "parquet": "a file format named as such",
    "jsonl": "a file format named as such (JSON lines)",
    "utf": "the encoding's name (UTF-8)",
    "true": "a yes/no input's value as the data writes it, where an answer names an input at which another row "
    "cannot be scored (not met in the shipped examples)",
    "false": "the same, for the other value",
    "CRITIC": "the method's usual name, beside the entropy method's Chinese name",
    "Saaty": "the random consistency index table is named by its author and year (Saaty 1980)",
    "max": "the symbol λmax of the largest eigenvalue, beside CI, RI and CR",
}

#: ASCII words the help may keep beyond the parser's own names, each with its reason.
HELP_ALLOWED = {
    "COMMAND": "the metavariable of the command",
    "Excel": "a product's name",
    "Dask": "a product's name",
    "dask": "the name of the package extra to install",
    "Schema": "JSON Schema is a standard's name",
    "gbk": "an encoding's name, as --encoding takes it",
    "derive": "the word of the command line 'weights derive'",
    "entropy": "a value --compare takes",
    "critic": "a value --compare takes",
    "language": "a key of the set format (language:)",
    "method": "a key of the weights file format (method:)",
    "published": "a key of the unit format (published:)",
    "rescale": "a key of the weights file format (rescale:)",
    "tier": "the column suffix the batch column map takes (<id>.tier)",
}

#: The set files whose names the outputs show.
SETS = (
    HUNAN,
    ROOT / "indicators/demo.yaml",
    ROOT / "examples/panel/set.yaml",
    ROOT / "indicators/project-targets-demo.yaml",
)


def _set_names(path: Path) -> set[str]:
    """Every name a set defines: set id, indicators, inputs, derived values, groups, their labels, and the
    words of its rules' tiers and cases (which are the set's own text)."""
    indicator_set = load_set(path)
    names = {indicator_set.id, indicator_set.version or "", indicator_set.title}
    names |= set(indicator_set.inputs)
    names |= {name for name, _ in indicator_set.derived}
    for group in indicator_set.groups:
        names |= {group.path, group.label, *group.path.split("/")}
    for indicator in indicator_set.indicators:
        names |= {indicator.id, indicator.label, indicator.unit or ""}
        names |= set(_strings(indicator.spec.model_dump(exclude_none=True), shown=True))  # formulas, cases
    names |= {grade.label for grade in indicator_set.grades}
    return names


def _words(text: str) -> Iterator[str]:
    yield from re.findall(r"[A-Za-z][A-Za-z_0-9./-]*[A-Za-z0-9]|[A-Za-z]", text)


def _names() -> set[str]:
    names: set[str] = set()
    for path in SETS:
        names |= _set_names(path)
    for folder in (COHORT, ROOT / "examples/panel"):
        names |= {path.stem for path in Path(folder).iterdir()}
    names |= set(RULE_KINDS) | set(COMMANDS_OF_THE_PARSER)
    return {word for name in names for word in [name, *_words(name)]}


class _Visible(HTMLParser):
    """The visible text of a page, and the plotly figures of its charts."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._in = tag if dict(attrs).get("type") != "application/json" else "data"
        for name, value in attrs:
            if name in ("title", "placeholder", "alt") and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is None:
            self.texts.append(data)
        elif self._in == "script" and "Plotly.newPlot(" in data:
            self.scripts.append(data)


#: The keys of a plotly figure whose strings a reader sees.
_SHOWN = {"text", "title", "name", "hovertemplate", "texttemplate", "ticktext", "x", "y", "customdata"}


def _figure_texts(script: str) -> Iterator[str]:
    start = script.index("Plotly.newPlot(")
    decoder = json.JSONDecoder()
    position = script.index("[", start)
    data, end = decoder.raw_decode(script, position)
    layout, _ = decoder.raw_decode(script, script.index("{", end))
    layout.pop("template", None)
    yield from _strings(data, shown=False)
    yield from _strings(layout, shown=False)


def _strings(node: Any, shown: bool) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, shown or key in _SHOWN)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, shown)
    elif isinstance(node, str) and shown:
        yield re.sub(r"%\{[^}]*\}|<[^>]+>", " ", node)  # hover fields and tags are not words


def _html_texts(path: Path) -> Iterator[str]:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    yield from parser.texts
    for script in parser.scripts:
        yield from _figure_texts(script)


def _xlsx_texts(path: Path) -> Iterator[str]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        yield sheet.title
        for row in sheet.iter_rows(values_only=True):
            yield from (cell for cell in row if isinstance(cell, str) and not cell.startswith("="))


def _allowed(word: str) -> bool:
    return word.lower() in {allowed.lower() for allowed in ALLOWED}


def english(texts: list[str], names: set[str]) -> list[str]:
    """The words of ``texts`` that are English prose: not a name, an option, a number or allowed."""
    found: dict[str, None] = {}
    for text in texts:
        text = re.sub(r"--[a-z][a-z-]*", " ", text)  # option names
        text = re.sub(r"\S+\.(?:ya?ml|csv|xlsx|html|json)\b", " ", text)  # file names
        for word in _words(text):
            letters = re.sub(r"[^A-Za-z]", "", word)
            if len(letters) < 3 or word in names or _allowed(word):
                continue
            if all(part in names or _allowed(part) or len(part) < 3 for part in re.split(r"[./-]", word)):
                continue
            found[word] = None
    return list(found)


#: name: the command's arguments (an ``-o`` output is added by the file cases).
COMMANDS: dict[str, list[str]] = {
    "tune": ["tune", COHORT, "--weight", "过程/预算执行=25"],
    "weights": ["weights", COHORT],
    "sensitivity": ["sensitivity", COHORT, "--delta", "1", "--groups"],
    "montecarlo": ["montecarlo", COHORT, "-n", "200", "--seed", "7", "--no-progress"],
    "margins": ["margins", COHORT, "--limit", "3"],
    "margins-all": ["margins", COHORT, "--limit", "2", "--all"],
    "margins-demo": ["margins", DEMO, "--all"],
    "margins-met": ["margins", str(ROOT / "examples/project-targets.yaml"), "--all"],
    "weights-compare": ["weights", COHORT, "--compare", "entropy,critic"],
    "tune-none": ["tune", COHORT, "--weight", "budget_completion_rate=12", "--rescale", "none"],
    "montecarlo-dirichlet": ["montecarlo", COHORT, "-n", "100", "--method", "dirichlet", "--no-progress"],
    "explain-top": ["explain", UNIT, "--top", "5"],
    "explain-median": ["explain", UNIT, "--top", "5", "--against", "median", COHORT],
    "panel": ["panel", *PANEL],
    "derive": ["weights", "derive", AHP, "--set", str(HUNAN)],
    "check": ["check", COHORT, str(ROOT / "indicators/demo.yaml")],
}

#: Every command of the parser (for their help).
COMMANDS_OF_THE_PARSER = (
    "check", "score", "batch", "explain", "reproduce", "tune", "weights", "margins", "sensitivity",
    "montecarlo", "panel", "schema",
)  # fmt: skip

#: The commands that write a workbook or an HTML report with -o.
FILES = ("tune", "weights", "sensitivity", "montecarlo", "margins", "panel")


@pytest.fixture(scope="module")
def names() -> set[str]:
    return _names()


@pytest.fixture(autouse=True)
def neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    code = main([*argv, "--lang", "zh"])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    return [captured.out, captured.err]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_text_output_has_no_english(name: str, names: set[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert english(_run(COMMANDS[name], capsys), names) == []


@pytest.mark.parametrize("suffix", ["html", "xlsx"])
@pytest.mark.parametrize("name", FILES)
def test_files_have_no_english(
    name: str, suffix: str, names: set[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / f"out.{suffix}"
    texts = _run([*COMMANDS[name], "-o", str(output)], capsys)
    texts += list(_html_texts(output) if suffix == "html" else _xlsx_texts(output))
    assert english(texts, names) == []


def test_batch_summary_has_no_english(
    names: set[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = _run(["batch", str(HUNAN), TABLE, "-o", str(tmp_path / "scores.csv")], capsys)
    assert texts[1].startswith("scoring batch：")
    assert english(texts, names) == []


def test_english_is_found() -> None:
    """The measure finds prose: an English note of margins, a header left in English."""
    assert english(["需 ≤ 4.5 分；judgment points 4.7 → 4.5 (within tier '中')"], {"judgment"}) == [
        "points",
        "within",
        "tier",
    ]
    assert english(["total_before", "staff_in_post → 否", "--all", "scores.xlsx"], {"staff_in_post"}) == [
        "total_before"
    ]


# --- the command line: help and usage errors --------------------------------------------------------------


def _parser_names() -> set[str]:
    """The names the parser defines: commands, options, metavariables, choices."""
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    names = set(commands.choices)
    for command in commands.choices.values():
        for action in command._actions:
            names |= set(action.option_strings) | {str(choice) for choice in action.choices or ()}
            metavar = action.metavar if isinstance(action.metavar, tuple) else (action.metavar,)
            names |= {str(m) for m in metavar if m} | {action.dest.upper()}
    names |= {word for name in set(names) for word in _words(name)}
    return names | set(HELP_ALLOWED) | set(ALLOWED)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [None, *sorted(COMMANDS_OF_THE_PARSER)])
def test_help_speaks_chinese(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    if command is None:  # the top level has no --lang: the locale speaks
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("LANG", "zh_CN.UTF-8")
            out = _help(["--help"], capsys)
        assert "按 YAML 指标体系为单位的数据评分" in out and "检查指标体系和单位数据文件" in out
    else:
        out = _help([command, "--help", "--lang", "zh"], capsys)
    assert out.startswith("用法：scoring")
    assert "显示此帮助信息并退出" in out
    assert english([out], _parser_names()) == []


def test_help_in_english_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(["margins", "--help"], capsys)
    assert out.startswith("usage: scoring margins") and "show this help message and exit" in out
    assert "only the N units nearest a grade boundary (default 100; 0 for every unit)" in out.replace(
        "\n                        ", " "
    )


def test_usage_errors_speak_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["margins", "--lang", "zh"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("用法：scoring margins")
    assert err.endswith("scoring margins：错误：缺少以下参数：UNITS\n")
    with pytest.raises(SystemExit):
        main(["margins", COHORT, "--limit", "x", "--lang", "zh"])
    assert capsys.readouterr().err.endswith("scoring margins：错误：参数 --limit：无效的 int 值：'x'\n")
    with pytest.raises(SystemExit):
        main(["frob", "--lang", "zh"])
    assert "scoring：错误：参数 COMMAND：无效的选择：'frob'（可选：" in capsys.readouterr().err
    # and argparse speaks English again afterwards
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["margins"])
    assert capsys.readouterr().err.endswith(
        "scoring margins: error: the following arguments are required: UNITS\n"
    )


#: A command's own usage errors: its arguments, and the line it prints in Chinese.
COMMAND_USAGE_ERRORS = {
    "margins-limit": (
        ["margins", COHORT, "--limit", "-1"],
        "scoring margins：--limit 为单位个数（0 表示全部），不能是 -1",
    ),
    "margins-places": (
        ["margins", COHORT, "--places", "x"],
        "scoring margins：--places 的格式为 INPUT=K，K 为 0 至 12 的整数，不能是 'x'",
    ),
    "montecarlo-interval": (
        ["montecarlo", COHORT, "--interval", "5", "--no-progress"],
        "scoring montecarlo：--interval 的格式为 LO,HI（两个百分位数），不能是 '5'",
    ),
    "tune-no-weights": (["tune", COHORT], "scoring tune：请至少给出一个 --weight ID=W 或 --weights FILE"),
}


@pytest.mark.parametrize("name", sorted(COMMAND_USAGE_ERRORS))
def test_commands_usage_errors_speak_chinese(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, line = COMMAND_USAGE_ERRORS[name]
    assert main([*argv, "--lang", "zh"]) == 2
    assert capsys.readouterr().err == line + "\n"
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"scoring {argv[0]}: ") and english([err], set()) != []  # English without --lang


def test_progress_bars_speak_chinese(
    names: set[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bars of montecarlo and batch (drawn when stderr is a terminal) are labelled in Chinese."""
    import scoring.report.progress as progress

    monkeypatch.setattr(progress, "on_terminal", lambda stream=None: True)
    texts = _run(["montecarlo", COHORT, "-n", "50", "--seed", "1"], capsys)
    assert "蒙特卡洛模拟" in texts[1] and "组权重" in texts[1]
    texts += _run(["batch", str(HUNAN), TABLE, "-o", str(tmp_path / "scores.csv")], capsys)
    assert "评分" in texts[3] and "行" in texts[3]
    assert english(texts, names) == []
