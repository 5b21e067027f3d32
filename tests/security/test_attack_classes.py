"""The second attack run, by class: each class of hostile input the first hardening missed, with several members.

Every payload goes through the public API (or the command line) within the corpus budget (2 s, 100 MB; see
``budget.py``) and must end in a located :class:`scoring.ScoringError` — or, when accepted, give a bounded,
exact, safe result.
"""

from __future__ import annotations

import decimal
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import scoring
from scoring.cli import main

from .budget import refused, within_budget

ROOT = Path(__file__).resolve().parents[2]


def one_row_set(
    formula: str, inputs: str = "x: {}", rule: str = "{linear: {zero_at: 0, full_at: 100}}", **extra: str
) -> str:
    lines = [
        "format: scoring/1",
        "id: attack",
        "total: 10",
        "grades: [{label: A, min: 9}, {label: F, min: 0}]",
        f"inputs: {{{inputs}}}",
        *(f"{key}: {value}" for key, value in extra.items()),
        "indicators:",
        "  - id: row",
        "    weight: 10",
        f"    formula: {json.dumps(formula)}",
        f"    rule: {rule}",
    ]
    return "\n".join(lines) + "\n"


def digits_in(text: str) -> int:
    """The longest run of digits in a text (a number of 78,914 digits shows here)."""
    return max((len(run) for run in re.findall(r"\d+", text)), default=0)


# --- 1. arithmetic outside the Decimal context ------------------------------------------------------------

NESTED_POWER = "(True+True)"
for _ in range(6):
    NESTED_POWER = f"({NESTED_POWER})**(True*6)"

ARITHMETIC = {
    "nested boolean powers": NESTED_POWER,
    "boolean power tower in one line": "(True+True)**(True*99)**(True+True)",
    "not in a power": "((not x) + (not x)) ** 100 ** 2",
    "negated boolean to a power": "(-(x > 0)) ** (True * 77) * 10 ** 24",
    "abs of a boolean sum": "abs(True + True + True) ** 100 ** True",
    "max of booleans in arithmetic": "(max(x > 0, True) + True) ** 100 * (True + True) ** 100",
    "derived boolean in arithmetic": "(d + d) ** (d * 100) * (d + d) ** (d * 100)",
}


@pytest.mark.parametrize("formula", list(ARITHMETIC.values()), ids=list(ARITHMETIC))
def test_arithmetic_is_decimal_and_bounded(formula: str) -> None:
    text = one_row_set(formula, "x: {}, y: {}", derived="{d: x > y}")
    outcome = within_budget(f"arithmetic {formula[:40]}", lambda: scoring.parse_set(text, "set.yaml"))
    if isinstance(outcome, scoring.ScoringError):
        return  # refused at load (a constant exponent computed there), located
    result = within_budget(
        f"evaluate {formula[:40]}", lambda: scoring.evaluate(outcome, {"values": {"x": 1, "y": 0}})
    )
    if isinstance(result, scoring.ScoringError):
        assert all(p.location is not None for p in result.problems)
        return
    row = result.indicator("row")
    assert isinstance(row.value, Decimal | bool)
    output = (
        result.to_json() + scoring.report.score.to_csv(result) + scoring.report.score.table(result, outcome)
    )
    assert digits_in(output) <= 60  # 50 significant digits, as documented


# --- 2. the caller's own decimal context -------------------------------------------------------------------

HOSTILE_CONTEXTS = {
    "precision 2": decimal.Context(prec=2),
    "precision 28, rounding down": decimal.Context(prec=28, rounding=decimal.ROUND_DOWN),
    "every trap": decimal.Context(prec=5, traps=[decimal.Inexact, decimal.Rounded, decimal.Clamped,
                                                 decimal.Subnormal, decimal.Underflow, decimal.FloatOperation]),
    "tiny exponents": decimal.Context(prec=10, Emax=5, Emin=-5),
}  # fmt: skip


def _everything() -> str:
    """Load, evaluate, explain, reproduce and analyse, and render it all (one string to compare)."""
    indicator_set = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
    seed = scoring.load_unit(ROOT / "examples" / "hunan-hrss-2019.yaml", indicator_set)
    from scoring.analysis.cohort import load_cohort
    from scoring.analysis.effective_weights import effective_weights
    from scoring.analysis.reweight import WeightChange
    from scoring.analysis.tune import tune
    from scoring.report import reproduce as text_of_reproduction
    from scoring.report import score
    from scoring.report import tune as text_of_tune
    from scoring.report import weights as text_of_weights

    cohort = load_cohort([ROOT / "examples" / "synthetic"])
    demo_set = scoring.load_set(ROOT / "indicators" / "demo.yaml")
    demo = scoring.evaluate(demo_set, scoring.load_unit(ROOT / "examples" / "demo.yaml", demo_set))
    tuned = tune(cohort, [WeightChange("过程/预算执行", Decimal(25))])
    report = effective_weights(cohort)
    reproduction = scoring.reproduce(indicator_set, seed)
    return "\n".join(
        [
            demo.to_json(),
            score.table(demo, demo_set),
            score.explain(demo, demo_set),
            score.to_csv(demo),
            "; ".join(row.outcome for row in demo.indicators),
            str([row.share for row in demo.indicators]),
            reproduction.to_json(),
            text_of_reproduction.reproduction_text(reproduction, indicator_set),
            tuned.to_json(),
            text_of_tune.tune_table(tuned),
            report.to_json(),
            text_of_weights.weights_table(report),
        ]
    )


@pytest.fixture(scope="module")
def everything_in_the_default_context() -> str:
    with decimal.localcontext(decimal.Context()):
        return _everything()


@pytest.mark.parametrize("context", list(HOSTILE_CONTEXTS.values()), ids=list(HOSTILE_CONTEXTS))
def test_the_callers_context_changes_nothing(
    context: decimal.Context, everything_in_the_default_context: str
) -> None:
    with decimal.localcontext(context):
        assert _everything() == everything_in_the_default_context


@pytest.mark.parametrize(
    ("weights", "total"),
    [
        (["55", "46"], "100"),  # a host at precision 2 saw 100
        (["100000000000000000000000"] + ["0.000049"] * 1000, "100000000000000000000000"),  # off by 0.049
        (["33.33", "33.33", "33.33"], "100"),
    ],
    ids=["prec-2-sum", "long-sum", "thirds"],
)
def test_weights_are_added_exactly_whatever_the_context(weights: list[str], total: str) -> None:
    rows = "".join(
        f"  - {{id: r{i}, weight: {w}, formula: x, rule: {{linear: {{zero_at: 0, full_at: 1}}}}}}\n"
        for i, w in enumerate(weights)
    )
    text = f"format: scoring/1\nid: t\ntotal: {total}\nrounding: {{places: 6, total_places: 6}}\ngrades: [{{label: A, min: 0}}]\ninputs: {{x: {{}}}}\nindicators:\n{rows}"
    for name in ("precision 2", "every trap"):
        with decimal.localcontext(HOSTILE_CONTEXTS[name]):
            refused(
                f"weights sum under {name}",
                lambda: scoring.parse_set(text, "set.yaml"),
                "weights-sum",
            )


# --- 3. reading what is not a regular file ------------------------------------------------------------------

UNIT_NAMING = "set: {set}\nvalues: {{x: 1}}\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX devices and FIFOs")
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo", "directory", "/dev/null"])
def test_a_set_that_is_not_a_regular_file_is_refused(tmp_path: Path, target: str) -> None:
    link = tmp_path / "set.yaml"
    if target == "fifo":
        os.mkfifo(link)
    elif target == "directory":
        link.mkdir()
    else:
        link.symlink_to(target)
    unit = tmp_path / "unit.yaml"
    unit.write_text(UNIT_NAMING.format(set="set.yaml"), encoding="utf-8")
    error = refused(f"set is {target}", lambda: scoring.load_unit(unit))
    assert any(p.code in ("file-kind", "file-unreadable") for p in error.problems), error
    assert (target if target.startswith("/") else "set.yaml") in str(error)  # the file named, links followed


@pytest.mark.parametrize("name", ['"a\\0.yaml"', '"set\\0/../x.yaml"', '"\\0"'])
def test_a_set_name_with_a_nul_is_refused(tmp_path: Path, name: str) -> None:
    unit = tmp_path / "unit.yaml"
    unit.write_text(UNIT_NAMING.format(set=name), encoding="utf-8")
    error = refused(f"set named {name}", lambda: scoring.load_unit(unit))
    assert error.problems[0].code in ("set-path", "file-name")


@pytest.mark.parametrize(
    "name",
    ["a" * 300 + ".yaml", ("d" * 200 + "/") * 30 + "x.yaml", "a" * 100_000 + ".yaml"],
    ids=["long name", "long path", "huge name"],
)
def test_a_set_path_too_long_for_the_system_is_refused(tmp_path: Path, name: str) -> None:
    unit = tmp_path / "unit.yaml"
    unit.write_text(UNIT_NAMING.format(set=name), encoding="utf-8")
    error = refused(f"set path of {len(name)} characters", lambda: scoring.load_unit(unit), "set-path")
    assert len(str(error)) < 500  # the path is not echoed in full


@pytest.mark.parametrize("escape", ["../../../secret.yaml", "/etc/secret.yaml", "sub/../../secret.yaml"])
def test_parse_unit_keeps_sets_inside_its_directory(tmp_path: Path, escape: str) -> None:
    inside = tmp_path / "units"
    inside.mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    text = UNIT_NAMING.format(set=escape)
    error = refused(
        f"set {escape}", lambda: scoring.parse_unit(text, "unit.yaml", base_dir=inside), "set-outside-root"
    )
    assert "hunter2" not in str(error) and "password" not in str(error)
    # load_unit reads a file of one's own disk: the same path is followed unless a root is given
    unit = inside / "unit.yaml"
    unit.write_text(text, encoding="utf-8")
    refused(f"load {escape} under root", lambda: scoring.load_unit(unit, root=inside), "set-outside-root")


def test_root_option_confines_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = ROOT / "examples" / "demo.yaml"  # its set is in ../indicators
    assert main(["score", str(unit), "--root", str(ROOT / "examples")]) == 1
    assert "lies outside" in capsys.readouterr().err
    assert main(["score", str(unit), "--root", str(ROOT)]) == 0


# --- 4. YAML tags ------------------------------------------------------------------------------------------

TAGS = [
    "!!bool 335",
    "!!str 5",
    "!!int '12'",
    "!!float abc",
    "!!null x",
    "!!timestamp 2019-01-01",
    "!custom x",
    "!!binary aGk=",
]


@pytest.mark.parametrize("tagged", TAGS)
def test_explicit_tags_are_refused_with_a_location(tagged: str) -> None:
    text = one_row_set("x") + f"title: {tagged}\n"
    error = refused(f"tag {tagged}", lambda: scoring.parse_set(text, "set.yaml"), "yaml-tag")
    problem = next(p for p in error.problems if p.code == "yaml-tag")
    assert problem.location is not None and problem.location.line == text.count("\n")


@pytest.mark.parametrize("tagged", ["!!bool 335", "!!str 5", "!!float 1"])
def test_explicit_tags_in_unit_values_are_refused(tagged: str) -> None:
    indicator_set = scoring.parse_set(one_row_set("x"), "set.yaml")
    text = f"values:\n  x: {tagged}\n"
    error = refused(
        f"unit tag {tagged}", lambda: scoring.parse_unit(text, "unit.yaml", indicator_set), "yaml-tag"
    )
    assert error.problems[0].location.line == 2  # type: ignore[union-attr]


# --- 5. amplification by repetition ------------------------------------------------------------------------


def test_a_long_anchor_used_as_many_keys_is_refused() -> None:
    text = f"a: &a {'k' * 1_000_000}\nvalues: {{" + ", ".join(["*a: 1"] * 90) + "}\n"
    error = refused(
        "anchor as keys", lambda: scoring.parse_unit(text, "unit.yaml", base_dir=ROOT), "yaml-too-large"
    )
    assert len(str(error)) < 2_000


def test_a_long_anchor_repeated_in_a_list_is_refused() -> None:
    text = f"a: &a {'x' * 1_000_000}\nnot_applicable: [" + ", ".join(["*a"] * 2000) + "]\n"
    refused(
        "anchor in a list", lambda: scoring.parse_unit(text, "unit.yaml", base_dir=ROOT), "yaml-too-large"
    )


def test_nested_anchors_of_text_are_refused() -> None:
    text = f"a: &a [{', '.join(['x' * 5000] * 10)}]\n"
    text += "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abc", "bcd", strict=True))
    refused("nested text anchors", lambda: scoring.parse_set(text, "set.yaml"), "yaml-too-large")


@pytest.mark.parametrize("where", ["values", "not_applicable", "judgments"])
def test_long_unknown_names_are_echoed_short(where: str) -> None:
    indicator_set = scoring.parse_set(one_row_set("x"), "set.yaml")
    name = "n" * 400_000
    body = {"values": f"values: {{{name}: 1, x: 1}}", "not_applicable": f"values: {{x: 1}}\nnot_applicable: [{name}]",
            "judgments": f"values: {{x: 1}}\njudgments: {{{name}: {{tier: a, points: 1, reason: r}}}}"}[where]  # fmt: skip
    error = refused(
        f"long name in {where}", lambda: scoring.parse_unit(body + "\n", "unit.yaml", indicator_set)
    )
    assert len(str(error)) < 2_000


# --- 6. quadratic checks ----------------------------------------------------------------------------------


def _bands(count: int, overlapping: bool) -> str:
    if overlapping:
        bands = ", ".join(f"{{from: {i}, points: 1}}" for i in range(count))
    else:
        bands = ", ".join(f"{{from: {i}, below: {i + 1}, points: 1}}" for i in range(count))
    return one_row_set("x", rule=f"{{bands: [{bands}], otherwise: 0}}")


def test_many_overlapping_bands_are_reported_within_the_cap() -> None:
    error = refused(
        "2000 overlapping bands", lambda: scoring.parse_set(_bands(2_000, True), "set.yaml"), "band-overlap"
    )
    assert len(error.problems) == scoring.limits.MAX_PROBLEMS + 1 and error.omitted > 0


def test_many_disjoint_bands_load() -> None:
    indicator_set = within_budget(
        "2000 disjoint bands", lambda: scoring.parse_set(_bands(2_000, False), "set.yaml")
    )
    assert isinstance(indicator_set, scoring.IndicatorSet)
    assert scoring.evaluate(indicator_set, {"values": {"x": Decimal("1999.5")}}).indicator("row").points == 1


def test_more_bands_than_the_node_cap_are_refused() -> None:
    refused(
        "20000 disjoint bands", lambda: scoring.parse_set(_bands(20_000, False), "set.yaml"), "yaml-too-large"
    )


def test_a_deep_group_path_is_refused() -> None:
    path = "/".join(f"g{i}" for i in range(100_000))
    text = one_row_set("x").replace("    weight: 10\n", f"    weight: 10\n    group: {path}\n")
    refused("100000-level group", lambda: scoring.parse_set(text, "set.yaml"), "group-path")


def test_many_unknown_names_are_reported_within_the_cap() -> None:
    indicator_set = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
    values = ", ".join(f"unknown_input_{i}: 1" for i in range(10_000))
    error = refused(
        "10000 unknown inputs", lambda: scoring.parse_unit(f"values: {{{values}}}\n", "u.yaml", indicator_set)
    )
    # every problem counted, the ones past the cap without being made: 10,000 unknown inputs and, as no
    # input was given, one missing-input or judgment-missing problem per row need
    unknown = [p for p in error.problems if p.code == "unknown-input"]
    assert len(error.problems) == 201 and len(unknown) == 200
    assert error.problems[-1].code == "more-problems"
    assert str(error.omitted) in error.problems[-1].message
    assert error.omitted >= 10_000 - 200


@pytest.mark.parametrize("where", ["not_applicable", "unknown"])
def test_every_unknown_id_is_counted_past_the_cap(where: str) -> None:
    indicator_set = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
    ids = ", ".join(f"n{i}" for i in range(5_000))
    error = refused(
        f"5000 unknown ids in {where}",
        lambda: scoring.parse_unit(f"{where}: [{ids}]\n", "u.yaml", indicator_set),
    )
    unknown_ids = 5_000
    assert 200 + error.omitted >= unknown_ids  # none lost, however many were skipped
    assert [p.code for p in error.problems[:200]] == ["unknown-indicator"] * 200


def test_many_refused_judgments_are_reported_within_the_cap() -> None:
    indicator_set = scoring.load_set(ROOT / "indicators" / "hunan-department-overall.yaml")
    judgments = "".join(f"  j{i}: {{tier: a, points: 1e99, reason: r}}\n" for i in range(3_000))
    refused(
        "3000 refused judgments",
        lambda: scoring.parse_unit("judgments:\n" + judgments, "u.yaml", indicator_set),
    )


def test_a_large_cohort_checks_names_in_linear_time(tmp_path: Path) -> None:
    from scoring.analysis.cohort import load_cohort

    indicator_set = scoring.parse_set(one_row_set("x"), "set.yaml")
    for i in range(1500):
        (tmp_path / f"u{i:04}.yaml").write_text(f"unit: same\nvalues: {{x: {i % 100}}}\n", encoding="utf-8")
    error = refused(
        "1500 units of one name", lambda: load_cohort([tmp_path], indicator_set), "duplicate-unit"
    )
    assert error.omitted > 0


# --- 7. output that lies ----------------------------------------------------------------------------------

#: Text that a terminal, a spreadsheet or a Markdown viewer would act on.
LIES = {
    "grade label erasing its line": "F\x1b[2K\rTotal 9.5 / 10  grade A",
    "right-to-left override": "A\u202e gnitset",
    "C1 control": "A\x9b31m",
    "spreadsheet formula": '=HYPERLINK("http://x","A")',
    "markdown script": "<script>alert(1)</script>",
    "markdown link": "[A](javascript:alert(1))",
}


def _lying_set(text: str) -> str:
    quoted = json.dumps(text)
    return (
        "format: scoring/1\nid: lies\n"
        f"title: {quoted}\ntotal: 10\n"
        f"grades: [{{label: {quoted}, min: 9}}, {{label: {json.dumps('@F' + text)}, min: 0}}]\n"
        "inputs: {x: {}}\n"
        f"groups: {{G: {{label: {quoted}}}}}\n"
        "indicators:\n"
        f"  - {{id: row, label: {quoted}, group: G, weight: 10, formula: x, unit: {quoted},\n"
        "      rule: {cases: [{when: 'x > 1', points: 10, label: %s}], otherwise: 0}}\n" % quoted
    )


def _no_live_text(output: str, csv_like: bool = False) -> None:
    assert not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", output
    ), output
    if csv_like:
        for line in output.splitlines():
            for cell in line.split(","):
                assert not cell.strip('"').startswith(("=", "@", "\t", "\r")) or cell.startswith("'"), cell


@pytest.mark.parametrize("text", list(LIES.values()), ids=list(LIES))
def test_no_output_carries_live_text(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    set_file = tmp_path / "set.yaml"
    set_file.write_text(_lying_set(text), encoding="utf-8")
    unit = tmp_path / "unit.yaml"
    unit.write_text(f"set: set.yaml\nunit: {json.dumps(text)}\nvalues: {{x: 0}}\n", encoding="utf-8")
    for output in ("table", "markdown", "csv", "json"):
        assert main(["score", str(unit), "--format", output]) == 0
        captured = capsys.readouterr()
        _no_live_text(captured.out, csv_like=output == "csv")
        if output == "markdown":
            assert "<script" not in captured.out and "](javascript" not in captured.out
    assert main(["explain", str(unit)]) == 0
    _no_live_text(capsys.readouterr().out)
    for command in ("tune", "weights", "sensitivity"):
        extra = {"tune": ["--weight", "row=10"], "weights": [], "sensitivity": ["--delta", "1"]}[command]
        for output in ("table", "csv"):
            main([command, str(unit), *extra, "--format", output])
            captured = capsys.readouterr()
            _no_live_text(captured.out + captured.err, csv_like=output == "csv")


@pytest.mark.parametrize("text", list(LIES.values())[:3], ids=list(LIES)[:3])
def test_error_messages_carry_no_live_text(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_lying_set(text).replace("weight: 10", "weight: 9"), encoding="utf-8")
    stray = tmp_path / "stray.yaml"  # the text as an unknown key: echoed in the message, subject and path
    stray.write_text(_lying_set(text) + f"{json.dumps('k' + text)}: 1\n", encoding="utf-8")
    for path in (bad, stray):
        assert main(["check", str(path)]) == 1
        _no_live_text(capsys.readouterr().err)
        assert main(["check", str(path), "--format", "json"]) == 1
        _no_live_text(capsys.readouterr().out)


# --- 8. numbers and names that are not what they look like ---------------------------------------------------


@pytest.mark.parametrize("written", ["９２", "٥٠", "3٠8", "٣", "१२"])
def test_only_ascii_digits_are_numbers(written: str) -> None:
    indicator_set = scoring.parse_set(one_row_set("x"), "set.yaml")
    error = refused(
        f"digits {written}",
        lambda: scoring.parse_unit(f"values: {{x: {written}}}\n", "u.yaml", indicator_set),
    )
    assert error.problems[0].code == "input-value"


@pytest.mark.parametrize(
    "formula",
    ["x  # rate\n+ 1000", "x # + 1000", "# x\nx", "max(x, 1) #"],
    ids=["block-comment", "inline", "leading", "trailing"],
)
def test_comments_in_formulas_are_refused(formula: str) -> None:
    error = refused(
        f"comment {formula!r}", lambda: scoring.parse_set(one_row_set(formula), "set.yaml"), "formula"
    )
    assert "comments" in str(error)


@pytest.mark.parametrize(
    ("first", "second"),
    [("rate", "rаte"), ("total", "tоtal"), ("x", "х"), ("budget", "buԁget")],
    ids=["cyrillic-a", "cyrillic-o", "cyrillic-x", "cyrillic-d"],
)
def test_lookalike_names_are_refused(first: str, second: str) -> None:
    text = one_row_set(first, f"{first}: {{}}, {second}: {{}}")
    error = refused(f"lookalike {second}", lambda: scoring.parse_set(text, "set.yaml"), "name-lookalike")
    assert "U+04" in str(error) or "U+05" in str(error)


def test_distinct_cjk_names_are_not_lookalikes() -> None:
    text = one_row_set("在职人员数 / 编制人数", "在职人员数: {}, 编制人数: {}")
    assert isinstance(
        within_budget("cjk names", lambda: scoring.parse_set(text, "set.yaml")), scoring.IndicatorSet
    )


@pytest.mark.parametrize("call", ["ｍａｘ(x, 1)", "ｍｉｎ(x, 1)", "ａｂｓ(x)", "ｒｏｕｎｄ(x)"])
def test_full_width_function_names_are_refused(call: str) -> None:
    error = refused(f"full-width {call}", lambda: scoring.parse_set(one_row_set(call), "set.yaml"), "formula")
    assert "characters Python reads as" in str(error)


@pytest.mark.parametrize("value", ["-0", "-0.000", "-0E-5"])
def test_negative_zero_is_shown_as_zero(value: str) -> None:
    indicator_set = scoring.parse_set(one_row_set("x * 1", "x: {}"), "set.yaml")
    result = scoring.evaluate(indicator_set, {"values": {"x": Decimal(value)}})
    output = (
        scoring.report.score.table(result, indicator_set)
        + result.to_json()
        + scoring.report.score.to_csv(result)
    )
    assert "-0" not in output.replace("−", "")


# --- 9. the caller's own options --------------------------------------------------------------------------

OPTIONS = {
    "rot13": ["score", "examples/demo.yaml", "--encoding", "rot13"],
    "base64": ["score", "examples/demo.yaml", "--encoding", "base64"],
    "zlib": ["score", "examples/demo.yaml", "--encoding", "zlib"],
    "utf-16 on utf-8": ["score", "examples/demo.yaml", "--encoding", "utf-16"],
    "huge weight": ["tune", "examples/synthetic", "--weight", "staff_control_rate=1e99999"],
    "weight with too many decimals": ["tune", "examples/synthetic", "--weight", "staff_control_rate=4.123"],
    "huge delta": ["sensitivity", "examples/synthetic", "--delta", "1e99999"],
    "NaN delta": ["sensitivity", "examples/synthetic", "--delta", "NaN"],
    "infinite spread": ["montecarlo", "examples/synthetic", "-n", "10", "--spread", "inf", "--no-progress"],
    "too many samples": ["montecarlo", "examples/synthetic", "-n", "100000000000", "--no-progress"],
    "places out of range": ["margins", "examples/demo.yaml", "--places", "budget_spent=99999"],
    "negative seed": ["montecarlo", "examples/synthetic", "-n", "10", "--seed", "-1", "--no-progress"],
    "huge seed": ["montecarlo", "examples/synthetic", "-n", "10", "--seed", "9" * 60, "--no-progress"],
}


@pytest.mark.parametrize("argv", list(OPTIONS.values()), ids=list(OPTIONS))
def test_bad_options_end_in_one_clear_line(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses the value itself
        code = exc.code  # type: ignore[assignment]
    captured = capsys.readouterr()
    assert code in (1, 2)
    assert "Traceback" not in captured.err and "decimal." not in captured.err
    assert captured.err.strip() and len(captured.err) < 1_000


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("delay", [0.3, 0.6, 1.5], ids=["while loading", "early", "while sampling"])
def test_interrupt_ends_with_one_line_and_status_130(delay: float) -> None:
    """Ctrl-C at any moment — while the engine loads or while a command runs — ends in one line, status 130."""
    import signal
    import subprocess
    import time

    from tests.helpers import console_script

    command = [str(console_script()), "montecarlo", "examples/synthetic", "-n", "1000000"]
    command += ["--seed", "1", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip() in ("scoring: interrupted", "scoring montecarlo: interrupted"), err
