"""Engine bugs found by fuzzing (``tests/test_fuzz.py``): one minimal deterministic reproduction each.

Each test_bug_* reproduces one bug fuzzing found, and failed when it was written (see the report on issue 4);
they stay as regression tests. A failing one is an open gap in the guarantees of SECURITY.md.

A test named after an error the engine used to let escape (or to report badly) now expects the located
:class:`~scoring.ScoringError` that replaced it, through :func:`tests.fuzzing.expect_scoring_error`: the class,
the problem codes and, where the input is a file, the place in it — so the test fails when the call
succeeds. A test named after a crash on valid input calls the engine directly and checks the result.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest

import scoring
from scoring import DataError, DefinitionError

from .fuzzing import ROOT, check_problems, expect_scoring_error, position

MINI = """\
format: scoring/1
id: t
total: 10
grades:
  - {label: A, min: 8}
  - {label: B, min: 0}
inputs:
  x: {min: 0}
indicators:
  - id: a
    weight: 10
    formula: x * 2
    rule: {ratio: {target: 100}}
"""
#: A message quoting a huge number digit by digit (the bugs below wrote 10 000 or 20 000 digits; an integer
#: such as -10**100 is still written with its 101 digits, hence the margin).
DIGIT_RUN = re.compile(r"\d{200}")


@pytest.fixture(scope="module")
def mini() -> scoring.IndicatorSet:
    return scoring.parse_set(MINI, "set.yaml")


def _python(code: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def _no_digit_floods(problems: list[scoring.Problem]) -> None:
    for problem in problems:
        assert not DIGIT_RUN.search(f"{problem.message} {problem.hint or ''}"), str(problem)[:300]


@pytest.mark.slow  # a child process
def test_bug_deeply_nested_flow_collections_crashed_the_interpreter():
    """30 000 nested '[' (60 KB, far below the 5 MB cap) killed the process with SIGSEGV: the composer of
    PyYAML's C extension recurses once per level with no depth check. Run in a child process."""
    code = (
        "import scoring\n"
        "try:\n"
        "    scoring.parse_set('[' * 50000 + ']' * 50000, 'set.yaml')\n"
        "except scoring.ScoringError as exc:\n"
        "    print(exc.problems[0].code)\n"
    )
    done = _python(code, timeout=60)
    assert done.returncode == 0, f"interpreter died (exit {done.returncode}): {done.stderr[-500:]}"
    assert done.stdout.strip() == "yaml-too-deep"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("weight: 10", "weight: 1.0e+60"),  # 'weights add up to …' message: plain() quantizes past 50 digits
        ("total: 10", "total: 1.0e+60"),
        ("target: 100", "target: -1.0e+60"),
        ("x: {min: 0}", "x: {min: 1.0e+60, max: 1}"),
        ("weight: 10", "weight: 1.0e+20000"),  # decimal_places(): normalize() overflows Emax 10 000
        ("total: 10", "total: 1.0e+10001"),
    ],
    ids=["weight-1e60", "total-1e60", "target-1e60", "min-1e60", "weight-1e20000", "total-1e10001"],
)
def test_bug_huge_numbers_in_a_set_escaped_as_decimal_errors(old: str, new: str):
    """These raised decimal.InvalidOperation (plain() quantizing past 50 digits for a message) or
    decimal.Overflow (decimal_places() normalizing past Emax). Now: one located DefinitionError, at the
    number."""
    text = MINI.replace(old, new)
    assert text != MINI
    number = re.search(r"-?1\.0e\+\d+", new)
    assert number is not None
    expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["number-magnitude"],
        at=[f"set.yaml:{position(text, number.group())}"],
    )


@pytest.mark.parametrize(
    ("value", "code", "column"),
    [
        ("-1.0e+60", "number-magnitude", 13),
        ("1.0e+20000", "number-magnitude", 13),
        ("-1.0e+20000", "number-magnitude", 13),
        ("-1.0e+23", "input-value", 10),  # within the loader's range, below min 0: at the input's name
    ],
    ids=["below-min-1e60", "overflow-1e20000", "below-min-1e20000", "below-min-1e23"],
)
def test_bug_huge_unit_values_in_a_file_escaped_as_decimal_errors(mini, value: str, code: str, column: int):
    """-1e60 below min 0: the message's plain(value) raised InvalidOperation; 1e20000: the formula overflowed
    (fine), then the evaluation message's plain() of the input raised InvalidOperation."""
    text = f"values: {{x: {value}}}\n"
    files = {"u.yaml": text, "set.yaml": MINI}
    problems = expect_scoring_error(
        lambda: scoring.evaluate(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini)),
        files,
        DataError,
        codes=[code],
        at=[f"u.yaml:1:{column}"],
    )
    _no_digit_floods(problems)


def test_bug_huge_unit_value_within_range_in_a_file_scores(mini):
    """1e23 (the same bug's neighbour, inside the loader's 10^24 range) is valid: x * 2 is far above the
    target, the row gets full marks — it must score, not merely not crash."""
    text = "values: {x: 1.0e+23}\n"
    result = scoring.evaluate(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini))
    assert result.total == 10
    assert result.indicator("a").points == 10


@pytest.mark.parametrize(
    "value",
    [Decimal("1E+20000"), Decimal("-1E+20000"), -(10**100), Decimal("1E+60"), Decimal("1E+999999")],
    ids=["1e20000", "-1e20000", "-10**100", "1e60", "1e999999"],
)
def test_bug_huge_values_from_a_mapping_escaped_or_flooded_the_message(mini, value):
    """Data from a mapping: x = 1E+20000 made 'x * 2' overflow and decimal.Overflow escaped from
    numbers.plain() while the message was built; with the first magnitude check (10^24) the message wrote
    every digit: "input 'x' is 1000…0 (20 001 digits), outside 10^-24 to 10^24"."""
    problems = expect_scoring_error(
        lambda: scoring.evaluate(mini, {"values": {"x": value}}),
        None,
        DataError,
        codes=["number-magnitude"],
        at=["<data>: values.x"],
    )
    _no_digit_floods(problems)


@pytest.mark.parametrize(
    ("published", "where"),
    [
        ({"total": Decimal("1E+100")}, "published.total"),
        ({"total": 5, "indicators": {"a": Decimal("1E+100")}}, "published.indicators.a"),
        ({"indicators": {"a": {"points": Decimal("1E+60")}}}, "published.indicators.a.points"),
    ],
    ids=["total", "row", "row-mapping"],
)
def test_bug_reproduce_with_a_huge_published_figure_escaped(mini, published: dict[str, Any], where: str):
    """round_to(published, …) quantized in the 50-digit context: InvalidOperation escaped reproduce()."""
    data = {"values": {"x": 5}, "published": published}
    expect_scoring_error(
        lambda: scoring.reproduce(mini, scoring.unit_from_mapping(data, mini)),
        None,
        DataError,
        codes=["number-magnitude"],
        at=[f"<data>: {where}"],
    )


def test_bug_reproduce_with_unknown_rows_and_a_huge_published_total_escaped(mini):
    """With unknown rows the total's feasibility is solved: preimage() of a published total of 1E+20000
    overflowed and decimal.Overflow escaped reproduce()."""
    data = {"values": {"x": 5}, "unknown": ["a"], "published": {"total": Decimal("1E+20000")}}
    expect_scoring_error(
        lambda: scoring.reproduce(mini, scoring.unit_from_mapping(data, mini)),
        None,
        DataError,
        codes=["number-magnitude"],
        at=["<data>: published.total"],
    )


def test_bug_reproduce_crashed_when_a_row_computed_as_zero_differed(mini):
    """The commonest finding of all — the table gives a row points, the data gives it none — crashed:
    reproduce() wrote plain(row.points or 0), the int 0 replaced Decimal('0.00'), and numbers.plain()
    raised AttributeError: 'int' object has no attribute 'is_finite'. Valid input: it must reproduce."""
    text = "values: {x: 0}\npublished: {total: 5, indicators: {a: 5}}\n"
    rep = scoring.reproduce(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini))
    assert [f.subject for f in rep.differences] == ["total", "a"]
    assert not rep.reproduced


@pytest.mark.parametrize(
    "published", ["{total: 1.0e+100}", "{total: 5, indicators: {a: 1.0e+60}}"], ids=["total", "row"]
)
def test_bug_huge_published_figure_in_a_file(mini, published: str):
    """The same through a file (the loader's magnitude check refuses these first), at the number."""
    text = f"values: {{x: 5}}\npublished: {published}\n"
    number = re.search(r"1\.0e\+\d+", published)
    assert number is not None
    expect_scoring_error(
        lambda: scoring.reproduce(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini)),
        {"u.yaml": text, "set.yaml": MINI},
        DataError,
        codes=["number-magnitude"],
        at=[f"u.yaml:{position(text, number.group())}"],
    )


def test_bug_deeply_nested_mapping_data_escaped_as_recursion_error(mini):
    """unit_from_mapping's _normalize() recursed without a limit: RecursionError escaped evaluate()."""
    data: dict[str, Any] = {}
    inner = data
    for _ in range(3000):
        inner["a"] = {}
        inner = inner["a"]
    expect_scoring_error(
        lambda: scoring.evaluate(mini, {"values": {"x": data}}), None, DataError, codes=["too-deep"]
    )


CHECKLIST_SET = """\
format: scoring/1
id: t
total: 10
grades: [{label: A, min: 0}]
inputs: {ok: {type: boolean}}
indicators:
  - {id: c, weight: 10, rule: {checklist: [{input: ok, points: 10}]}}
"""


def test_bug_overridden_checklist_without_its_input_raised_key_error():
    """An overridden row needs no inputs, but the engine still ran its rule for 'computed_points': the
    checklist rule read env[name] and KeyError (not among the failures it catches) escaped evaluate().
    Valid input: it must score."""
    indicator_set = scoring.parse_set(CHECKLIST_SET, "set.yaml")
    text = "overrides: {c: {points: 5, reason: checked by hand}}\n"
    result = scoring.evaluate(indicator_set, scoring.parse_unit(text, "u.yaml", indicator_set=indicator_set))
    assert result.total == 5
    assert result.indicator("c").status == "overridden"


def test_bug_control_character_error_had_no_line_or_column():
    """A control character is a YAML ReaderError (not a MarkedYAMLError): the problem had no line and
    column, and its message leaked PyYAML's '"<unicode string>", position 195'."""
    text = MINI + "\x01"
    problems = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["yaml-syntax"],
        at=[f"set.yaml:{position(text, chr(1))}"],
    )
    assert "<unicode string>" not in problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\ntitle: 名称\x01\n", 2, 10),
        ("title: 指标体系说明\x1f\n", 1, 14),
        ("a: 1\x85b: \x01\n", 2, 4),
        ("a: 1\r\nb: \x01\n", 2, 4),
    ],
    ids=["chinese-before", "chinese-same-line", "nel-line-break", "crlf"],
)
def test_bug_control_character_location_after_non_ascii_text(text: str, line: int, column: int):
    """libyaml reports a control character's place as a byte offset into the UTF-8 text; the loader counted
    it as characters, so after Chinese text the line and column were wrong ('a: 1\ntitle: 名称\x01' was
    reported at 3:3, not 2:10), and YAML's other line breaks (NEL) were not counted."""
    problems = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["yaml-syntax"],
    )
    assert [p.location for p in problems] == [scoring.Location("set.yaml", line, column)]


def test_bug_too_deep_document_had_no_line_or_column():
    """'yaml-too-deep' had no line or column. Now it points at a bracket of the nesting, on line 1."""
    text = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    (problem,) = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["yaml-too-deep"],
    )
    assert problem.location is not None and problem.location.line == 1 and problem.location.column
    assert text[problem.location.column - 1] == "[", str(problem)


def test_bug_recursive_alias_had_no_line_or_column():
    """'&a [*a]' was reported as 'nested too deeply', with no line or column."""
    text = "a: &a [*a]\n"
    (problem,) = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["yaml-alias-loop"],
    )
    assert problem.location is not None and problem.location.line == 1
    assert problem.location.column is not None


@pytest.mark.slow  # a child process
def test_bug_huge_exponent_in_a_whole_number_field_was_slow():
    """'places: 1.0e+9999999' (20 characters) took ~9 s (1.0e+99999999: ~15 min): pydantic turned the
    Decimal into a Python int digit by digit before checking 'at most 6'. Run in a child process, which
    prints the codes of the problems (the set has none of its required keys: those are refused too)."""
    code = (
        "import scoring\n"
        "try:\n"
        "    scoring.parse_set('rounding: {places: 1.0e+9999999}\\n')\n"
        "except scoring.ScoringError as exc:\n"
        "    print(' '.join(p.code for p in exc.problems))\n"
    )
    try:
        done = _python(code, timeout=4)
    except subprocess.TimeoutExpired:
        pytest.fail("loading 'rounding: {places: 1.0e+9999999}' took more than 4 s")
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-500:]}"
    assert "number-magnitude" in done.stdout.split(), done.stdout


def test_bug_messages_printed_every_digit_of_a_huge_number():
    """'places: 1.0e+9999' gave "'places' must be at most 6, not 1000…" with all 10 000 digits."""
    text = MINI.replace("total: 10", "total: 10\nrounding: {places: 1.0e+9999}")
    problems = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["number-magnitude"],
        at=[f"set.yaml:{position(text, '1.0e+9999')}"],
    )
    _no_digit_floods(problems)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"unit": Decimal("1E+20000"), "values": {"x": 1}}, ["unit"]),
        ({"values": {"x": [Decimal("1E+20000")]}, "period": Decimal("-1E+5000")}, ["values.x.0", "period"]),
        (
            {"values": {"x": 1}, "judgments": {"a": {"tier": Decimal("1E+20000"), "reason": "r"}}},
            ["judgments.a.tier"],
        ),
    ],
    ids=["unit", "period", "tier"],
)
def test_bug_messages_from_a_mapping_printed_every_digit(mini, data: dict[str, Any], where: list[str]):
    """describe() wrote a Decimal in full: "'unit' must be text, not 1000…" was 20 026 characters long."""
    problems = expect_scoring_error(
        lambda: scoring.evaluate(mini, data),
        None,
        DataError,
        codes=["number-magnitude"] * len(where),
        at=[f"<data>: {keys}" for keys in where],
    )
    _no_digit_floods(problems)


@pytest.mark.parametrize(
    ("text", "leaked", "column"),
    [
        ("values: {x: 5}\npublished: {indicators: {a: '5'}}\n", "'decimal'", 26),
        ("values: {x: 5}\npublished: {indicators: {a: '5'}}\n", "'PublishedRow'", 26),
        ("values: {x: 5}\nunknown: 5\n", "'list[str]'", 1),
        ("values: {x: 5}\nunknown: 5\n", "'dict[str,UnknownRow]'", 1),
    ],
    ids=["published-decimal", "published-row", "unknown-list", "unknown-dict"],
)
def test_bug_union_type_names_leaked_into_messages(mini, text: str, leaked: str, column: int):
    """A value of a union type (number or {points, weight}; list or mapping) got one message per union
    member, named by pydantic's internal tag: "'decimal' must be a number, not '5'". Now one problem."""
    problems = expect_scoring_error(
        lambda: scoring.parse_unit(text, "u.yaml", indicator_set=mini),
        {"u.yaml": text},
        DataError,
        codes=["type"],
        at=[f"u.yaml:2:{column}"],
    )
    assert not any(leaked in p.message for p in problems), "\n".join(map(str, problems))


def test_bug_ratio_target_union_names_leaked_into_messages():
    """'target: [1]' gave "'decimal' must be a number" and "'str' must be text"."""
    text = MINI.replace("target: 100", "target: [1]")
    problems = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["type"],
        at=[f"set.yaml:{position(text, 'target: [1]')}"],  # at the key
    )
    assert not any(p.message.startswith(("'decimal'", "'str'")) for p in problems), "\n".join(
        map(str, problems)
    )


def test_bug_formula_with_leading_space_got_a_false_number_error():
    """formula: "  x + 1.5" — the checker sliced the unstripped text with offsets from the stripped one and
    reported "number '+ 1' is not a decimal number"; the formula is fine, and scores: (48.5 + 1.5) of 100."""
    text = MINI.replace("formula: x * 2", 'formula: "  x + 1.5"')
    indicator_set = scoring.parse_set(text, "set.yaml")
    assert scoring.evaluate(indicator_set, {"values": {"x": Decimal("48.5")}}).indicator("a").points == 5


def test_bug_fullwidth_digit_in_a_name_could_not_be_used():
    """Python NFKC-normalizes identifiers when parsing, so the formula '指标１' (full-width 1, as Chinese input
    methods type it) read '指标1': "unknown name '指标1' … did you mean '指标１'?", a loop with no way out.
    Either such a name works, or every place it is written is refused with a hint whose advice, followed,
    gives a set that loads."""
    text = MINI.replace("x: {min: 0}", "指标１: {min: 0}").replace("formula: x * 2", "formula: 指标１ * 2")
    try:
        indicator_set = scoring.parse_set(text, "set.yaml")
    except DefinitionError as exc:
        check_problems(exc, {"set.yaml": text})
        hints = {p.hint for p in exc.problems}
        assert {p.location.line for p in exc.problems if p.location} == {8, 12}  # the input and the formula
        assert hints == {"write '指标1'"}, "\n".join(map(str, exc.problems))
        scoring.parse_set(text.replace("指标１", "指标1"), "set.yaml")
        return
    assert scoring.evaluate(indicator_set, {"values": {"指标１": 50}}).total == 10


def test_bug_tiny_values_were_shown_as_zero(mini):
    """1.0e-20000 underflowed in plain() (Emin −10 000): 'weights add up to 0' and '… not 0' named a number
    the file does not hold."""
    text = MINI.replace("weight: 10", "weight: 1.0e-20000")
    problems = expect_scoring_error(
        lambda: scoring.parse_set(text, "set.yaml"),
        {"set.yaml": text},
        DefinitionError,
        codes=["number-magnitude"],
        at=[f"set.yaml:{position(text, '1.0e-20000')}"],
    )
    assert not any("add up to 0," in p.message for p in problems), "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("written", "code"),
    [("1.0e+30", "number-magnitude"), ("0x1F", "yaml-number"), ("1" * 61, "number-too-long")],
    ids=["range", "hex", "too-long"],
)
def test_bug_refused_number_under_values_cascades(mini, written: str, code: str):
    """A number the loader refuses (out of range, not decimal, too long) under values: becomes None, and the
    unit check adds "input 'x' must be a number, not nothing" — a second, misleading problem for the same
    figure. Elsewhere (a set's weight, an override's points) a refused number gives one problem."""
    text = f"values: {{x: {written}}}\n"
    expect_scoring_error(
        lambda: scoring.parse_unit(text, "u.yaml", indicator_set=mini),
        {"u.yaml": text, "set.yaml": MINI},
        DataError,
        codes=[code],  # exactly one problem
        at=[f"u.yaml:1:{len('values: {x: ') + 1}"],
    )
