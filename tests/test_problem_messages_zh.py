"""Problems' messages and hints in Chinese: the zh catalogue's ``problem.from_english`` patterns.

Every row of the error table (tests/test_error_table.py) must print in Chinese in full — message and hint,
no English fallback — with every quoted name and number of the engine's text kept as written; a dozen rows
are pinned to their exact Chinese line. A text no pattern matches in full stays English (never a partial
or wrong translation), and the codes whose messages have no pattern yet are listed here, so a new code is
noticed.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import scoring
from scoring.cli import main
from scoring.errors import Location, Problem, import_extra
from scoring.language import Catalogue
from scoring.limits import MAX_PROBLEMS
from scoring.report.problems import PATTERNS_KEY, Translation, Translations, problem_text, translations
from tests.test_error_table import GOOD, ROWS, UNIT_SET, Row, problems_of, set_edit, unit_edit
from tests.test_problem_language import _documented_codes

ROOT = Path(__file__).resolve().parent.parent
ZH = Catalogue("zh")
CJK = re.compile(r"[\u4e00-\u9fff]")
#: What a translation must carry over unchanged: quoted parts and numbers.
KEPT = re.compile(r"(?<!\w)'[^']*'(?!\w)|-?\d+(?:\.\d+)?")  # not the apostrophe of "input's"
DEDUCT = "{deduct: {over: 0, per: 1, points: 1, steps: whole}}"
RATIO = "{ratio: {target: 100}}"


def _kept(text: str) -> list[str]:
    return KEPT.findall(text)


def _assert_translated(problem: Problem) -> None:
    """The problem's message and hint both translate, keeping every quoted part and number."""
    known = translations("zh")
    message = known.message(problem.code, problem.message)
    assert message is not None, f"[{problem.code}] no pattern for: {problem.message}"
    assert CJK.search(message), message
    for part in _kept(problem.message):
        assert part in message, f"{part!r} lost: {problem.message} → {message}"
    if problem.hint:
        hint = known.hint(problem.hint)
        assert hint is not None, f"[{problem.code}] no pattern for the hint: {problem.hint}"
        assert CJK.search(hint), hint
        for part in _kept(problem.hint):
            assert part in hint, f"{part!r} lost: {problem.hint} → {hint}"
    line = problem_text(problem, ZH)
    assert problem.message not in line and (not problem.hint or problem.hint not in line)


# --- every row of the error table ------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_every_error_table_problem_prints_in_chinese(row: Row) -> None:
    for problem in problems_of(row):  # the row's problem and the others it necessarily has
        _assert_translated(problem)


PINNED = {
    "yaml-duplicate-top-key": "set.yaml:4:1：[duplicate-key] 键重复：键 'total' 重复（第 3 行已写过）"
    "（提示：YAML 只保留其中一个；请删除或改名其一）",
    "shape-unknown-key": "set.yaml:9:5：[unknown-key] 未知的键：键 'lable' 无法识别（指标 'a'）（提示：是否应为 'label'？）",
    "set-grades-order": "set.yaml:4:41：[grades-order] 等级顺序错误：等级 'B'（min 9）的 min 须低于 'A'（min 8）"
    "（提示：请从最高等级往下列出）",
    "set-weights-sum": "set.yaml:3:1：[weights-sum] 分值合计不符：指标分值合计 9，不等于总分 10（提示：请修改某个分值或总分）",
    "set-group-weight": "set.yaml:6:14：[group-weight] 分组分值不符：分组 'G' 声明分值 5，但其指标分值合计 6（提示：成员：a 6）",
    "formula-unknown-name": "set.yaml:9:5：[unknown-name] 未声明的名称：名称 'yy' 未声明（'a' 的公式，第 5 个字符）："
    "x / yy * 100（提示：是否应为 'y'？）",
    "formula-eval-call": "set.yaml:9:5：[formula] 公式无效：不允许调用 'eval'（'a' 的公式，第 1 个字符）：eval(x)"
    "（提示：允许的函数：min, max, abs, round, clamp）",
    "data-percent-quoted": "unit.yaml:4:3：[input-value] 输入值无效：输入 'rate' 须为数字，不能是文本 '87.70%'"
    "（提示：请写 87.70（纯数字，不带 % 或千位分隔符））",
    "data-below-min": "unit.yaml:2:3：[input-value] 输入值无效：输入 'spent' 为 -1，低于其下限 0",
    "data-unknown-input": "unit.yaml:7:3：[unknown-input] 未知的输入项：指标体系中没有输入 'spnt'（提示：是否应为 'spent'？）",
    "data-judgment-missing": "unit.yaml:1:1：[judgment-missing] 缺少评议：未给出 'quality' 的评议"
    "（提示：请添加 judgments: {quality: {tier, points, reason}}，或把它标为 not_applicable）",
    "data-missing-input": "unit.yaml:1:1：[missing-input] 缺少输入值：缺少输入 'rate'（指标 band 需要）"
    "（提示：请在 values: 下添加它，或把这些指标标为 not_applicable）",
    "eval-division-by-zero": "set.yaml:14:5：[evaluation] 计算失败：指标 'execution' 无法计分：派生量 'share' = "
    "'spent / budget * 100' 在 budget = 0, spent = 90 时出错：除以零（提示：请检查这些数值，或把该指标标为 not_applicable）",
    "eval-value-in-no-band": "set.yaml:18:5：[evaluation] 计算失败：指标 'band' 无法计分：数值 50 不在任何一档内"
    "（[90, +∞); [60, 90)），规则也没有 'otherwise'；公式 'rate'，其中 rate = 50"
    "（提示：请检查这些数值，或把该指标标为 not_applicable）",
}


@pytest.mark.parametrize("row_id", sorted(PINNED))
def test_representative_rows_print_exactly(row_id: str) -> None:
    row = next(row for row in ROWS if row.id == row_id)
    problem = next(problem for problem in problems_of(row) if problem.code == row.code)
    assert problem_text(problem, ZH) == PINNED[row_id]


# --- problems the other tests meet -------------------------------------------------------------------------


def test_the_bad_unit_of_the_golden_tests_prints_in_chinese() -> None:
    with pytest.raises(scoring.DataError) as info:
        scoring.load_unit(ROOT / "tests" / "golden" / "inputs" / "bad-unit.yaml")
    problems = list(info.value.problems)
    assert {"input-value", "unknown-input", "judgment-rule", "judgment-missing", "missing-input"} <= {
        problem.code for problem in problems
    }
    for problem in problems:
        _assert_translated(problem)
    labelled = next(problem for problem in problems if problem.code == "judgment-missing")
    assert translations("zh").message("judgment-missing", labelled.message) == (
        "未给出 'goal_reasonableness'（绩效目标合理性）的评议"
    )


def test_a_file_of_the_wrong_kind_prints_in_chinese() -> None:
    with pytest.raises(scoring.DataError) as info:
        scoring.load_unit(ROOT / "indicators" / "hunan-department-overall.yaml")
    (problem,) = info.value.problems
    _assert_translated(problem)
    assert problem_text(problem, ZH).endswith(
        "此文件是指标体系，不是单位数据（提示：请用 'scoring check "
        f"{ROOT / 'indicators' / 'hunan-department-overall.yaml'}' 检查指标体系，或用 'scoring score UNIT --set "
        f"{ROOT / 'indicators' / 'hunan-department-overall.yaml'}' 在其下为单位评分）"
    )


#: Problems of the command line met in tests/test_cli.py, tests/test_careless_user.py and
#: tests/test_problem_language.py, and a few file problems hard to cause in a test, as the engine writes
#: them, and their Chinese message and hint.
CLI_PROBLEMS = [
    (
        Problem("file-too-large", "file is 20000000 bytes; the limit is 10000000"),
        "文件有 20000000 字节，上限为 10000000",
        None,
    ),
    (
        Problem("file-kind", "not a regular file (a device, a pipe or a socket): only files are read",
                hint="name the YAML file itself"),
        "不是普通文件（而是设备、管道或套接字）：只读取文件",
        "请给出 YAML 文件本身",
    ),
    (Problem("too-deep", "the data is nested more than 64 levels deep"), "数据嵌套超过 64 层", None),
    (
        Problem("table-sheet", "the workbook has no sheet 'Sheet2'", hint="the sheets are 'Sheet1', '汇总'"),
        "工作簿中没有工作表 'Sheet2'",
        "工作表有：'Sheet1', '汇总'",
    ),
    (
        Problem("table-header", "row 3 of sheet 'Sheet1' is empty: it cannot be the header row",
                hint="name the row holding the column names"),
        "工作表 'Sheet1' 的第 3 行是空的，不能作表头行",
        "请指明列名所在的行",
    ),
    (
        Problem("id-column", "no column '单位' in units.csv", hint="headers: unit, spent, budget"),
        "units.csv 中没有 '单位' 列",
        "表头：unit, spent, budget",
    ),
    (Problem("no-rows", "the table has a header but no rows of data"), "表格只有表头，没有数据行", None),
    (
        Problem("column-map", "a column map is a mapping of header → input name (both text)",
                hint="e.g. 在职人员数: staff_in_post"),
        "列映射须为“表头 → 输入名”的映射（两者均为文本）",
        "例如 在职人员数: staff_in_post",
    ),
    (
        Problem("units-table", "tables of units are scored under a set named first (SET TABLE...) or with --set, "
                "and without unit files", hint="e.g. scoring tune SET units.csv"),
        "单位表格须在先写出的指标体系下评分（SET TABLE...）或用 --set 指定，且不能同时给出单位文件",
        "例如 scoring tune SET units.csv",
    ),
    (
        Problem("output-format", "cannot write 'scores.txt': the suffix must be one of .csv, .xlsx, .parquet, "
                ".jsonl, or - for standard output"),
        "无法写出 'scores.txt'：后缀须为 .csv, .xlsx, .parquet, .jsonl 之一，或用 - 表示标准输出",
        None,
    ),
    (
        Problem("output-too-long", "1048577 rows do not fit an XLSX sheet (at most 1048575)",
                hint="write .csv or .parquet"),
        "1048577 行超出 XLSX 工作表的容量（至多 1048575 行）",
        "请写成 .csv 或 .parquet",
    ),
    (
        Problem("unknown-unit", "no unit 'dept-99' in the cohort", hint="did you mean 'dept-09'?"),
        "这批单位中没有 'dept-99'",
        "是否应为 'dept-09'？",
    ),
    (
        Problem("not-a-set", "this file is unit data, not an indicator set", hint="score it with "
                "'scoring score examples/demo.yaml' (its set: names its set), or give the set it names"),
        "此文件是单位数据，不是指标体系",
        "请用 'scoring score examples/demo.yaml' 评分（其 set: 指明了指标体系），或给出它所指的指标体系",
    ),
    (
        Problem("set-not-found", "set: '../nodir/set.yaml' not found (looked for /tmp/nodir/set.yaml)",
                hint="set: is relative to the unit file; or give the set with --set"),
        "set: '../nodir/set.yaml' 不存在（查找的是 /tmp/nodir/set.yaml）",
        "set: 按单位文件所在目录解析；也可用 --set 指定指标体系",
    ),
    (
        Problem("set-not-found", "set: 'dmo.yaml' not found (looked for /tmp/dmo.yaml)",
                hint="did you mean 'demo.yaml'? (set: is relative to the unit file; or give the set with --set)"),
        "set: 'dmo.yaml' 不存在（查找的是 /tmp/dmo.yaml）",
        "是否应为 'demo.yaml'？（set: 按单位文件所在目录解析；也可用 --set 指定指标体系）",
    ),
    (
        Problem("encoding", "'rot13' is not a text encoding",
                hint="name one such as utf-8 or gb18030 (which reads GBK files too)"),
        "'rot13' 不是文本编码",
        "请写一种编码，如 utf-8 或 gb18030（也能读 GBK 文件）",
    ),
    (
        Problem("encoding", "unknown encoding 'nosuch'",
                hint="name one such as utf-8 or gb18030 (which reads GBK files too)"),
        "未知的编码 'nosuch'",
        "请写一种编码，如 utf-8 或 gb18030（也能读 GBK 文件）",
    ),
    (Problem("file-not-found", "file not found"), "文件不存在", None),
    (
        Problem("percent-fraction", "input 'satisfaction' is 0.9153 with unit %: it looks like a fraction of one",
                hint="if the source prints 91.53%, write 91.53"),
        "输入 'satisfaction' 为 0.9153，单位是 %：看起来像是以 1 为整体的小数",
        "若原件印的是 91.53%，请写 91.53",
    ),
    (
        Problem("no-units", "no set or unit files (.yaml or .yml) in /tmp/empty",
                hint="name set or unit files, or folders that hold unit files"),
        "/tmp/empty 中没有指标体系或单位文件（.yaml 或 .yml）",
        "请给出指标体系或单位文件，或存放单位文件的文件夹",
    ),
    (
        Problem("group-weight", "group '投入/预算配置' declares weight 13, but its indicators add up to 14",
                hint="members: staff_control_rate 6, sangong_change_rate 8"),
        "分组 '投入/预算配置' 声明分值 13，但其指标分值合计 14",
        "成员：staff_control_rate 6, sangong_change_rate 8",
    ),
    (
        Problem("weights-sum", "indicator weights add up to 101, not the total 100",
                hint="change a weight or the total"),
        "指标分值合计 101，不等于总分 100",
        "请修改某个分值或总分",
    ),
    (
        Problem("weight-option", "--weight 'x' is not ID=WEIGHT", hint="e.g. --weight staff_control_rate=8"),
        "--weight 'x' 不是 ID=分值 的写法",
        "例如 --weight staff_control_rate=8",
    ),
]  # fmt: skip


@pytest.mark.parametrize("problem, message, hint", CLI_PROBLEMS, ids=[p.code for p, _, _ in CLI_PROBLEMS])
def test_command_line_problems_print_in_chinese(problem: Problem, message: str, hint: str | None) -> None:
    _assert_translated(problem)
    known = translations("zh")
    assert known.message(problem.code, problem.message) == message
    assert (known.hint(problem.hint) if problem.hint else None) == hint


def test_check_prints_a_bad_sets_message_and_hint_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "format: scoring/1\nid: t\ntotal: 10\ngrades: [{label: A, min: 0}]\ninputs: {x: {}}\n"
        "indicators:\n  - id: a\n    wieght: 10\n    formula: x\n    rule: {ratio: {target: 100}}\n",
        encoding="utf-8",
    )
    assert main(["check", str(path), "--lang", "zh"]) != 0
    captured = capsys.readouterr()
    assert (
        f"{path}:8:5：[unknown-key] 未知的键：键 'wieght' 无法识别（指标 'a'）（提示：是否应为 'weight'？）"
        in (captured.out + captured.err)
    )
    assert main(["check", str(path), "--lang", "en"]) != 0
    captured = capsys.readouterr()
    assert f"{path}:8:5: unknown key 'wieght' (indicator 'a') — did you mean 'weight'?" in (
        captured.out + captured.err
    )


#: Set problems beyond the error table: (the code, an edit of its base set, the Chinese message and hint).
MORE_SET_PROBLEMS = [
    ("deduct-per", set_edit("per: 1,", "per: 0,"), "'per' 须大于 0，不能是 0（指标 'b'）", None),
    ("deduct-tolerance", set_edit("{over: 0, per", "{target: 0, tolerance: -1, per"),
     "'tolerance' 须不小于 0，不能是 -1（指标 'b'）", None),
    ("checklist-points", set_edit(DEDUCT, "{checklist: [{input: ok, points: 0}, {input: ok, points: 4}]}"),
     "清单项的分数须大于 0（指标 'b'）", None),
    ("checklist-input", set_edit(DEDUCT, "{checklist: [{input: x, points: 4}]}"),
     "'b' 的清单输入 'x' 须为 type: boolean", None),
    ("checklist-duplicate", set_edit(DEDUCT, "{checklist: [{input: ok, points: 2}, {input: ok, points: 2}]}"),
     "'b' 的清单两次列出输入 'ok'", None),
    ("tier-order", set_edit(RATIO, "{judgment: {tiers: [{label: a, min_share: 0}, {label: b, min_share: 0.5}]}}"),
     "各档须从最高档往下列出，min_share 逐档递减（指标 'a'）", None),
    ("tier-label", set_edit(RATIO, "{judgment: {tiers: [{label: a, min_share: 0.5}, {label: a, min_share: 0}]}}"),
     "各档名称不能重复（指标 'a'）", None),
    ("group-path", set_edit("    weight: 6\n", "    weight: 6\n    group: a//b\n"), "分组路径 'a//b' 中有空的一级", None),
    ("formula-type", set_edit("inputs: {x: {min: 0}", "inputs: {t: {type: text}, x: {min: 0}").replace("x / y * 100", "t + 1"),
     "'t' 是文本，不能用于算术、逻辑运算或比较大小（'a' 的公式，第 1 个字符）：t + 1",
     "文本或日期输入可以单独作为整个公式（由 met 规则计分），文本输入也可以用 == 或 != 与引号中的文本比较"),
    ("band-bounds", set_edit(RATIO, "{bands: [{from: 5, below: 5, points: 6}]}"), "档 [5, 5) 不含任何数值（指标 'a'）", None),
    ("name-lookalike", set_edit("y: {}", "y: {}, х: {}"), "名称 'х' 看起来与 'x' 相同，但用了其他字符（U+0445 CYRILLIC SMALL LETTER HA）",
     "请统一写法，只用一种文字"),
    ("yaml-alias-loop", "a: &a [*a]\n", "别名引用了包含它自身的列表或映射，展开永无止境",
     "请删除位于其自身锚点（&name）内的别名（*name）"),
    ("yaml-too-deep", "a: " + "[" * 80 + "]" * 80 + "\n", "列表与映射嵌套过深（超过 64 层）", "指标体系与单位数据只需几层"),
]  # fmt: skip


def _only_formula(text: str) -> str:
    """A checklist or judgment rule takes no formula: the edited row loses its own."""
    return (
        text.replace("    formula: x\n", "")
        if "checklist" in text
        else text.replace("    formula: x / y * 100\n", "")
    )


@pytest.mark.parametrize(
    "code, text, message, hint", MORE_SET_PROBLEMS, ids=[code for code, *_ in MORE_SET_PROBLEMS]
)
def test_more_set_problems_print_in_chinese(code: str, text: str, message: str, hint: str | None) -> None:
    with pytest.raises(scoring.DefinitionError) as info:
        scoring.parse_set(_only_formula(text) if code.startswith(("checklist", "tier")) else text, "set.yaml")
    problem = next(problem for problem in info.value.problems if problem.code == code)
    _assert_translated(problem)
    known = translations("zh")
    assert known.message(code, problem.message) == message
    assert (known.hint(problem.hint) if problem.hint else None) == hint


def test_files_that_cannot_be_read_and_units_without_their_set_print_in_chinese(tmp_path: Path) -> None:
    (tmp_path / "no-set.yaml").write_text("values: {x: 1}\n", encoding="utf-8")
    (tmp_path / "bad-set.yaml").write_text("set: s.txt\nvalues: {x: 1}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "outside.yaml").write_text("set: ../s.yaml\nvalues: {x: 1}\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text(UNIT_SET, encoding="utf-8")
    expected = {
        "file-unreadable": "这是文件夹，不是文件",
        "file-name": "文件名含有 NUL 字符",
        "set-missing": "单位数据没有指明指标体系",
        "set-path": "set: 's.txt' 不是 .yaml 或 .yml 文件",
        "set-outside-root": f"set: '../s.yaml' 位于 {tmp_path / 'sub'} 之外，只能从该目录读取指标体系",
        "judgment-na": "'quality' 既标为不适用又给出了评议",
    }
    judged = scoring.parse_set(UNIT_SET, "set.yaml")
    calls = [
        lambda: scoring.load_set(tmp_path),
        lambda: scoring.load_set(str(tmp_path / "a\0b.yaml")),
        lambda: scoring.load_unit(tmp_path / "no-set.yaml"),
        lambda: scoring.load_unit(tmp_path / "bad-set.yaml"),
        lambda: scoring.load_unit(tmp_path / "sub" / "outside.yaml", root=tmp_path / "sub"),
        lambda: scoring.parse_unit(GOOD + "not_applicable: [quality]\n", "u.yaml", indicator_set=judged),
    ]
    for call in calls:
        with pytest.raises(scoring.ScoringError) as info:
            call()
        (problem,) = info.value.problems
        _assert_translated(problem)
        assert translations("zh").message(problem.code, problem.message) == expected.pop(problem.code)
    assert expected == {}


def test_the_count_of_problems_not_shown_prints_in_chinese() -> None:
    error = scoring.DataError([Problem("input-value", "input 'x' is empty text")] * (MAX_PROBLEMS + 3))
    more = error.problems[-1]
    assert more.code == "more-problems"
    _assert_translated(more)
    assert problem_text(more, ZH) == (
        "[more-problems] 问题过多未全部显示：…另有 3 个问题未显示（提示：请先修正以上问题；修正后再报告其余问题）"
    )


#: Tables of units with one problem each, and its Chinese message and hint.
TABLES = {
    "empty.csv": ("", "table-empty", "文件是空的", "请把列名写在第一行"),
    "short.csv": (
        "unit,spent,budget,cases,ok,quality.tier\nA,1,2,3,true,good\n",
        "missing-column",
        "没有 'rate' 列（指标 band 需要）",
        "请添加该列（以名称或标签为表头），或用 --columns 把某个表头映射到它",
    ),
    "twice.csv": (
        "unit,spent,支出,budget,rate,cases,ok,quality.tier\nA,1,1,2,3,4,true,good\n",
        "duplicate-column",
        "输入 'spent' 由两列给出：'spent' 与 '支出'",
        "请只保留其中之一",
    ),
    "cells.csv": (
        "unit,spent,budget,rate,cases,ok,quality.tier\nA,1,2\n",
        "table-row-fields",
        "此行有 3 个单元格，表头有 7 个",
        "请让每行的单元格数与表头相同（检查多余的分隔符或引号）",
    ),
    "units.txt": ("a\n", "table-suffix", "无法从文件名 'units.txt' 判断表格的类型", None),
    "old.xls": (
        "not\n",
        "table-format",
        "这是旧版 Excel 97–2003 工作簿（.xls），无法读取",
        "请在 Excel 中打开并另存为 .xlsx（文件 → 另存为 → Excel 工作簿）",
    ),
    "fake.xlsx": (
        "not a zip",
        "table-format",
        "不是 Excel 工作簿（.xlsx 是 zip 文件，此文件不是）",
        "请在 Excel 中打开并另存为 .xlsx（文件 → 另存为 → Excel 工作簿）",
    ),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_problems_print_in_chinese(name: str, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    text, code, message, hint = TABLES[name]
    labelled = scoring.parse_set(
        UNIT_SET.replace("  spent: {min: 0}", "  spent: {min: 0, label: 支出}"), "set.yaml"
    )
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(scoring.ScoringError) as info:
        scoring.score_table(labelled, tmp_path / name)
    problem = next(problem for problem in info.value.problems if problem.code == code)
    _assert_translated(problem)
    known = translations("zh")
    assert known.message(code, problem.message) == message
    if hint is not None:
        assert known.hint(problem.hint or "") == hint


@pytest.mark.parametrize(
    "weights, message, hint",
    [
        (["nosuch=3"], "没有指标或分组 'nosuch'", None),
        (["staff_control_rate=0"], "'staff_control_rate' 的分值须大于 0", None),
        (
            ["投入=10", "staff_control_rate=3"],
            "'staff_control_rate' 同时从 '投入' 与 'staff_control_rate' 得到分值",
            "每个指标只能指定一次：直接指定或通过一个分组",
        ),
        (
            ["投入=60", "过程=40"],
            "新分值合计 100，总分 100 没有留给其他指标的分值",
            "请降低新分值，或使用 rescale: none",
        ),
    ],
)
def test_new_weights_problems_print_in_chinese(weights: list[str], message: str, hint: str | None) -> None:
    from scoring.analysis.reweight import changes_from, reweight

    hunan = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
    with pytest.raises(scoring.ScoringError) as info:
        reweight(hunan, changes_from(weights))
    (problem,) = info.value.problems
    _assert_translated(problem)
    assert translations("zh").message(problem.code, problem.message) == message
    assert (translations("zh").hint(problem.hint) if problem.hint else None) == hint


def test_a_missing_extra_prints_in_chinese() -> None:
    with pytest.raises(scoring.ScoringError) as info:
        import_extra(
            "no_such_module", "needs-tables", "reading tables needs pyarrow, which is not installed", "tables"
        )
    (problem,) = info.value.problems
    _assert_translated(problem)
    assert problem_text(problem, ZH) == (
        "[needs-tables] 需要安装 tables 组件：读取表格需要 pyarrow，但尚未安装"
        "（提示：请安装可选部分 tables：pip install '.[tables]'（或 scoring-engine[tables]））"
    )


#: The error table's unit set with labels and a unit, for the hints that name them.
LABELLED_SET = UNIT_SET.replace("  spent: {min: 0}", "  spent: {min: 0, label: 支出, unit: 万元}").replace(
    "{id: execution, weight: 3,", "{id: execution, label: 执行率, weight: 3,"
)


@pytest.mark.parametrize(
    "text, hint",
    [
        (
            unit_edit("spent: 90", "spent: 90万元"),
            "请写 90：数值只写数字本身；其单位（万元）已是指标体系中该输入的 unit:",
        ),
        (
            unit_edit("spent: 90", "spent: 90元"),
            "请以 万元（指标体系中该输入的 unit:）为单位只写数字，不带 '元'",
        ),
        (unit_edit("  ok: true\n", "  ok: true\n  支出: 1\n"), "'支出' 是输入 'spent' 的标签：请写作 spent:"),
        (GOOD + "not_applicable: [执行率]\n", "'执行率' 是 'execution' 的标签：请写其 id execution"),
        (unit_edit("  ok: true\n", "  ok: true\n  zzz: 1\n"), "请在指标体系的 inputs 中声明它，或删除它"),
    ],
    ids=["unit-in-value", "other-unit", "input-label", "indicator-label", "undeclared"],
)
def test_values_written_carelessly_get_chinese_hints(text: str, hint: str) -> None:
    labelled = scoring.parse_set(LABELLED_SET, "set.yaml")
    with pytest.raises(scoring.DataError) as info:
        scoring.parse_unit(text, "unit.yaml", indicator_set=labelled)
    (problem,) = info.value.problems
    _assert_translated(problem)
    assert translations("zh").hint(problem.hint or "") == hint


# --- falling back to English -------------------------------------------------------------------------------


def test_a_message_no_pattern_matches_in_full_stays_english() -> None:
    new = Problem(
        "input-value", "input 'x' is something new", Location("u.yaml", 2, 3), hint="did you mean 'y'?"
    )
    assert (
        problem_text(new, ZH)
        == "u.yaml:2:3：[input-value] 输入值无效：input 'x' is something new（提示：是否应为 'y'？）"
    )
    # 'nothing' is the engine's English word for an empty value: it is said as such, never quoted.
    empty = Problem("type", "'weight' must be a number, not nothing (indicator 'a')")
    assert problem_text(empty, ZH) == "[type] 类型错误：'weight' 须为数字，不能为空（指标 'a'）"
    # a word the catalogue's words do not list leaves the whole message English
    other = Problem("type", "'weight' must be a fraction, not nothing")
    assert problem_text(other, ZH) == "[type] 类型错误：'weight' must be a fraction, not nothing"
    # a frame whose body no pattern knows: the whole message stays English, not just its body
    framed = Problem("unknown-key", "a new kind of trouble (indicator 'a')")
    assert problem_text(framed, ZH).endswith("：a new kind of trouble (indicator 'a')")
    # a message matched by another code's pattern is not translated under this one
    assert translations("zh").message("weights-sum", "unknown key 'lable'") is None


def test_a_hint_no_pattern_matches_stays_english() -> None:
    problem = Problem("unknown-input", "unknown input 'spnt'", hint="a hint nobody wrote a pattern for")
    assert problem_text(problem, ZH) == (
        "[unknown-input] 未知的输入项：指标体系中没有输入 'spnt'（提示：a hint nobody wrote a pattern for）"
    )


def test_a_template_naming_a_group_the_match_left_empty_falls_back() -> None:
    optional = Translation(re.compile(r"value(?: (?P<number>\d+))?"), "数值 {number}")
    assert optional.apply("value 5") == "数值 5"
    assert optional.apply("value") is None
    assert optional.apply("value 5 and more") is None  # the whole text or nothing
    known = Translations({"x": (optional,)}, (), ())
    assert known.message("x", "value") is None and known.message("y", "value 5") is None


def test_english_has_no_patterns_and_lines_stay_the_engines() -> None:
    assert translations("en") == Translations({}, (), ())
    english_keys = Catalogue("en").keys()
    assert not any(key.startswith(f"{PATTERNS_KEY}.") for key in english_keys)
    problem = Problem(
        "unknown-key", "unknown key 'lable'", Location("s.yaml", 1), hint="did you mean 'label'?"
    )
    assert problem_text(problem, Catalogue("en")) == str(problem)


# --- the catalogue ----------------------------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_pattern_compiles_once_and_its_template_uses_exactly_its_groups() -> None:
    known = translations("zh")
    assert known is translations("zh")  # compiled once
    pairs = [*(pair for pairs in known.messages.values() for pair in pairs), *known.hints]
    assert len(pairs) > 100
    for pair in [*pairs, *known.frames]:
        groups = set(pair.pattern.groupindex)
        assert _fields(pair.template) == groups, pair.pattern.pattern  # nothing lost, nothing made up
        assert CJK.search(pair.template) or pair in known.hints, pair.template
    assert all("body" in frame.pattern.groupindex for frame in known.frames)


#: Documented codes whose messages have no Chinese pattern: none. A new code must get patterns (or join this
#: set, which prints it with a Chinese headline and the engine's English message).
UNTRANSLATED: set[str] = set()
#: Documented codes nothing in the package writes: a bad weights file is refused by the shape checks
#: (``type``, ``invalid-value``: tests/test_problem_messages_zh_rest.py), not under these codes.
NEVER_WRITTEN = {"weights-file", "rescale"}


def test_the_codes_without_message_patterns_are_listed() -> None:
    codes = _documented_codes()
    patterned = set(translations("zh").messages)
    assert patterned - set(codes) == set()  # no pattern under a misspelt or retired code
    assert {code for code in codes if code not in patterned} == UNTRANSLATED | NEVER_WRITTEN
