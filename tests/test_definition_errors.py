"""Every class of bad indicator-set definition: its problem code, the key words of its message, and its
exact file:line:column.

Each test starts from a tiny valid set and changes one thing. ``HEAD`` below is lines 1–16 of every set
built with :func:`with_b`; the second indicator ``b`` always starts on line 17. Columns are 1-based and
were counted by hand from the YAML text in the test.
"""

from __future__ import annotations

import textwrap

import pytest

import scoring
from scoring import DefinitionError, Location, Problem

SOURCE = "set.yaml"

# Lines 1-16. Indicator 'a' is lines 13-16; indicator 'b' (from with_b) starts on line 17.
HEAD = textwrap.dedent(
    """\
    format: scoring/1
    id: t
    total: 10
    grades:
      - {label: A, min: 8}
      - {label: B, min: 0}
    inputs:
      x: {min: 0}
      y: {}
      ok1: {type: boolean}
      ok2: {type: boolean}
    indicators:
      - id: a
        weight: 6
        formula: x / y * 100
        rule: {ratio: {target: 100}}
    """
)

VALID_B = """\
    - id: b
      weight: 4
      formula: x
      rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}
    """


def with_b(row: str) -> str:
    """HEAD plus indicator 'b' (written at any indentation, as a '- id: b' list item), from line 17."""
    return HEAD + textwrap.indent(textwrap.dedent(row), "  ")


BASE = with_b(VALID_B)


def changed(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (so each test changes exactly one thing)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(DefinitionError) as info:
        scoring.parse_set(text, SOURCE)
    problems = list(info.value.problems)
    assert problems, "a DefinitionError must carry at least one problem"
    for problem in problems:
        assert problem.message and problem.message.strip()
        assert problem.location is not None, f"problem without location: {problem}"
    return problems


def only_problem(text: str) -> Problem:
    """The single problem the text has (a one-thing change should give exactly one problem)."""
    problems = problems_of(text)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(map(str, problems))
    return problems[0]


def problem_with_code(text: str, code: str) -> Problem:
    problems = problems_of(text)
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected one '{code}' problem, got:\n" + "\n".join(
        f"[{p.code}] {p}" for p in problems
    )
    return found[0]


def check(problem: Problem, code: str, words: list[str], line: int | None, column: int | None) -> None:
    assert problem.code == code, f"code {problem.code!r} != {code!r}: {problem}"
    for word in words:
        assert word in problem.message, f"{word!r} not in message {problem.message!r}"
    assert problem.location == Location(SOURCE, line, column), f"location of {problem}"


def test_base_set_is_valid():
    indicator_set = scoring.parse_set(BASE, SOURCE)
    assert [i.id for i in indicator_set.indicators] == ["a", "b"]


# --- weights, groups and grades -----------------------------------------------------------------------


def test_weights_not_adding_up_to_total():
    text = with_b(VALID_B.replace("weight: 4", "weight: 5"))
    problem = only_problem(text)
    check(problem, "weights-sum", ["add up to 11", "total 10"], 3, 1)


GROUPED = textwrap.dedent(
    """\
    format: scoring/1
    id: t
    total: 10
    grades:
      - {label: A, min: 8}
      - {label: B, min: 0}
    inputs:
      x: {min: 0}
    groups:
      g: {weight: 10}
    indicators:
      - id: a
        group: g
        weight: 6
        formula: x
        rule: {ratio: {target: 100}}
      - id: b
        group: g
        weight: 4
        formula: x
        rule: {ratio: {target: 100}}
    """
)


def test_grouped_base_is_valid():
    assert scoring.parse_set(GROUPED, SOURCE).groups[0].declared_weight == 10


def test_declared_group_weight_differs_from_members_sum():
    text = changed(GROUPED, "g: {weight: 10}", "g: {weight: 5}")
    problem = only_problem(text)
    check(problem, "group-weight", ["group 'g'", "declares weight 5", "add up to 10"], 10, 7)
    assert "a 6" in (problem.hint or "") and "b 4" in (problem.hint or "")


def test_group_declared_but_unused():
    text = changed(GROUPED, "  g: {weight: 10}\n", "  g: {weight: 10}\n  gx: {label: X}\n")
    problem = only_problem(text)
    check(problem, "group-unused", ["group 'gx'", "no indicators"], 11, 3)
    assert "did you mean 'g'" in (problem.hint or "")


B_ROW = "    weight: 4\n    formula: x\n    rule: {ratio: {target: 100}}\n"


@pytest.mark.parametrize(
    ("new", "code"),
    [
        (B_ROW.replace("formula: x", "formula: xx"), "unknown-name"),
        (B_ROW.replace("target: 100", "target: 0"), "ratio-target"),
    ],
    ids=["formula typo", "rule problem"],
)
def test_a_row_that_cannot_be_built_still_counts_in_its_group(new: str, code: str):
    """One typo gives one problem: the row left out for it still weighs in its group (no false group-weight,
    nor group-unused when it is the group's only row)."""
    assert only_problem(changed(GROUPED, B_ROW, new)).code == code
    alone = changed(GROUPED, "  - id: b\n    group: g\n", "  - id: b\n    group: h\n")
    alone = changed(alone, "  g: {weight: 10}\n", "  g: {weight: 6}\n  h: {weight: 4}\n")
    assert only_problem(changed(alone, B_ROW, new)).code == code


def test_grades_not_descending():
    text = changed(
        BASE,
        "{label: A, min: 8}\n  - {label: B, min: 0}",
        "{label: A, min: 5}\n  - {label: B, min: 8}\n  - {label: C, min: 0}",
    )
    problem = only_problem(text)
    check(problem, "grades-order", ["'B'", "min 8", "lower min than 'A'"], 6, 16)


def test_grades_not_reaching_zero():
    problem = only_problem(changed(BASE, "{label: B, min: 0}", "{label: B, min: 5}"))
    check(problem, "grades-floor", ["lowest grade 'B'", "start at 0", "not 5"], 6, 16)


def test_top_grade_above_total():
    problem = only_problem(changed(BASE, "{label: A, min: 8}", "{label: A, min: 11}"))
    check(problem, "grades-top", ["'A'", "11", "above the total 10"], 5, 16)


def test_duplicate_grade_label():
    problem = only_problem(changed(BASE, "{label: B, min: 0}", "{label: A, min: 0}"))
    check(problem, "grades-label", ["grade label 'A'", "used twice"], 6, 6)


# --- bands --------------------------------------------------------------------------------------------

# The rule of 'b' is on line 20: "    rule: {bands: [{...}, {...}]}"; '{' of the first band is column 20.


def bands_b(bands: str) -> str:
    return with_b(
        f"""\
        - id: b
          weight: 4
          formula: x
          rule: {{bands: [{bands}]}}
        """
    )


def test_bands_base_is_valid():
    scoring.parse_set(bands_b("{below: 10, points: 4}, {from: 10, points: 0}"), SOURCE)


def test_bands_touching_inclusive_bounds_overlap():
    # "    rule: {bands: [{upto: 10, points: 4}, {from: 10, points: 0}]}" — second band's '{' is column 43.
    problem = only_problem(bands_b("{upto: 10, points: 4}, {from: 10, points: 0}"))
    check(problem, "band-overlap", ["band 2 [10, +∞)", "overlaps band 1 (−∞, 10]", "'b'"], 20, 43)
    assert "exclusive" in (problem.hint or "")


def test_bands_overlapping_ranges():
    # "{below: 10, points: 4}, " is 24 characters from column 20, so band 2 starts at column 44.
    problem = only_problem(bands_b("{below: 10, points: 4}, {from: 5, points: 0}"))
    check(problem, "band-overlap", ["band 2 [5, +∞)", "overlaps band 1 (−∞, 10)"], 20, 44)


def test_band_equals_inside_range_overlaps():
    problem = only_problem(bands_b("{equals: 5, points: 1}, {from: 0, upto: 10, points: 2}"))
    check(problem, "band-overlap", ["band 2 [0, 10]", "overlaps band 1"], 20, 44)


@pytest.mark.parametrize(
    ("band", "words"),
    [
        ("{from: 1, above: 2, points: 4}", ["either 'from'", "or 'above'", "not both"]),
        ("{below: 1, upto: 2, points: 4}", ["either 'below'", "or 'upto'", "not both"]),
        ("{equals: 1, from: 2, points: 4}", ["'equals' cannot be combined"]),
        ("{points: 4}", ["needs a bound"]),
        ("{from: 6, upto: 5, points: 4}", ["[6, 5]", "contains no value"]),
        ("{above: 5, upto: 5, points: 4}", ["(5, 5]", "contains no value"]),
    ],
    ids=["from+above", "below+upto", "equals+from", "no-bound", "low-above-high", "open-point"],
)
def test_band_bounds_nonsense(band: str, words: list[str]):
    problem = only_problem(bands_b(band))
    check(problem, "band-bounds", [*words, "'b'"], 20, 20)


def test_empty_half_open_band_is_shown_with_its_bounds():
    # from 5 below 5 is the empty interval [5, 5); calling it "= 5" (the notation of equals: 5) misleads.
    problem = only_problem(bands_b("{from: 5, below: 5, points: 4}"))
    check(problem, "band-bounds", ["contains no value", "[5, 5)"], 20, 20)


@pytest.mark.parametrize("points", ["5", "-1"])
def test_band_points_outside_weight(points: str):
    # "{from: 0, " is 10 characters from column 20: 'points' is column 30.
    problem = only_problem(bands_b(f"{{from: 0, points: {points}}}"))
    check(problem, "rule-points", [f"points {points}", "outside 0 to the weight 4", "'b'"], 20, 30)


def test_bands_otherwise_above_weight():
    text = with_b(
        """\
        - id: b
          weight: 4
          formula: x
          rule: {bands: [{from: 0, points: 4}], otherwise: 7}
        """
    )
    check(only_problem(text), "rule-points", ["points 7", "weight 4"], 20, 43)


# --- deduct, ratio, linear ----------------------------------------------------------------------------

# "    rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}": 'deduct' col 12, 'per' col 30,
# 'points' col 38.


def deduct_b(spec: str) -> str:
    return with_b(
        f"""\
        - id: b
          weight: 4
          formula: x
          rule: {{deduct: {{{spec}}}}}
        """
    )


def test_deduct_base_is_valid():
    scoring.parse_set(deduct_b("over: 0, per: 1, points: 1, steps: whole"), SOURCE)


def test_deduct_needs_a_limit():
    problem = only_problem(deduct_b("per: 1, points: 1, steps: whole"))
    check(problem, "deduct-limit", ["needs 'over', 'under', both, or 'target'", "'b'"], 20, 12)


def test_deduct_limits_must_leave_a_band():
    """Both limits are two-sided (tests/test_two_sided.py), but 'under' above 'over' leaves no full marks."""
    problem = only_problem(deduct_b("over: 0, under: 5, per: 1, points: 1, steps: whole"))
    check(problem, "deduct-limit", ["'under' 5 is above 'over' 0", "'b'"], 20, 30)


@pytest.mark.parametrize("per", ["0", "-1"])
def test_deduct_per_not_positive(per: str):
    problem = only_problem(deduct_b(f"over: 0, per: {per}, points: 1, steps: whole"))
    check(problem, "deduct-per", ["'per' must be above 0", f"not {per}"], 20, 30)


@pytest.mark.parametrize("points", ["0", "-2"])
def test_deduct_points_not_positive(points: str):
    problem = only_problem(deduct_b(f"over: 0, per: 1, points: {points}, steps: whole"))
    check(problem, "deduct-points", ["'points' must be above 0", f"not {points}"], 20, 38)


def test_deduct_points_above_weight():
    problem = only_problem(deduct_b("over: 0, per: 1, points: 5, steps: whole"))
    check(problem, "deduct-points", ["5 points", "more than the weight 4"], 20, 38)


def test_deduct_steps_missing():
    problem = only_problem(deduct_b("over: 0, per: 1, points: 1"))
    check(problem, "missing-key", ["missing required key 'steps'"], 20, 12)


@pytest.mark.parametrize("target", ["0", "-3"])
def test_ratio_target_not_positive(target: str):
    text = with_b(
        f"""\
        - id: b
          weight: 4
          formula: x
          rule: {{ratio: {{target: {target}}}}}
        """
    )
    check(only_problem(text), "ratio-target", ["target must be above 0", f"not {target}", "'b'"], 20, 20)


def test_linear_zero_at_equals_full_at():
    text = with_b(
        """\
        - id: b
          weight: 4
          formula: x
          rule: {linear: {zero_at: 5, full_at: 5}}
        """
    )
    check(only_problem(text), "linear-range", ["'zero_at' and 'full_at' must differ", "'b'"], 20, 12)


# --- checklist and judgment ---------------------------------------------------------------------------

# "    rule: {checklist: [{input: ok1, points: 2}, {input: ok2, points: 2}]}" on line 19 (no formula):
# 'checklist' col 12, first item '{' col 24, its 'input' col 25, second item 'input' col 50.


def checklist_b(items: str, formula: str | None = None) -> str:
    formula_line = f"  formula: {formula}\n" if formula else ""
    return with_b(f"- id: b\n  weight: 4\n{formula_line}  rule: {{checklist: [{items}]}}\n")


def test_checklist_base_is_valid():
    scoring.parse_set(checklist_b("{input: ok1, points: 2}, {input: ok2, points: 2}"), SOURCE)


def test_checklist_points_not_adding_to_weight():
    problem = only_problem(checklist_b("{input: ok1, points: 2}, {input: ok2, points: 1}"))
    check(problem, "checklist-sum", ["add up to 3", "weight 4", "'b'"], 19, 12)


def test_checklist_item_points_not_positive():
    # second item: "{input: ok2, points: " puts 'points' at column 62.
    problem = problem_with_code(
        checklist_b("{input: ok1, points: 5}, {input: ok2, points: -1}"), "checklist-points"
    )
    check(problem, "checklist-points", ["above 0", "'b'"], 19, 62)


def test_checklist_input_undeclared():
    problem = only_problem(checklist_b("{input: ok1, points: 2}, {input: ok3, points: 2}"))
    check(problem, "unknown-name", ["'b'", "undeclared input 'ok3'"], 19, 50)
    assert "did you mean 'ok2'" in (problem.hint or "")


def test_checklist_input_not_boolean():
    problem = only_problem(checklist_b("{input: ok1, points: 2}, {input: x, points: 2}"))
    check(problem, "checklist-input", ["'x'", "type: boolean"], 19, 50)


def test_checklist_bad_input_located_at_its_own_item():
    # 'zz' is the FIRST item ('input' at column 25); 'ok1' the second. The location must be zz's item,
    # whatever the alphabetical order of the names.
    problem = only_problem(checklist_b("{input: zz, points: 2}, {input: ok1, points: 2}"))
    check(problem, "unknown-name", ["undeclared input 'zz'"], 19, 25)


def test_checklist_two_bad_inputs_each_at_its_item():
    # "{input: zz, points: 2}, {input: x, points: 2}": zz's 'input' col 25, x's 'input' col 49.
    problems = problems_of(checklist_b("{input: zz, points: 2}, {input: x, points: 2}"))
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"unknown-name", "checklist-input"}
    check(by_code["unknown-name"], "unknown-name", ["'zz'"], 19, 25)
    check(by_code["checklist-input"], "checklist-input", ["'x'"], 19, 49)


def test_checklist_with_formula():
    problem = only_problem(checklist_b("{input: ok1, points: 2}, {input: ok2, points: 2}", formula="x"))
    check(problem, "formula-unused", ["'b'", "checklist rule", "takes no formula"], 19, 5)


# "    rule: {judgment: {tiers: [...]}}": 'tiers' is column 23.


def judgment_b(tiers: str, formula: str | None = None) -> str:
    formula_line = f"  formula: {formula}\n" if formula else ""
    return with_b(f"- id: b\n  weight: 4\n{formula_line}  rule: {{judgment: {{tiers: [{tiers}]}}}}\n")


GOOD_TIERS = "{label: G, min_share: 0.5}, {label: P, min_share: 0}"


def test_judgment_base_is_valid():
    scoring.parse_set(judgment_b(GOOD_TIERS), SOURCE)


def test_judgment_tiers_not_descending():
    problem = only_problem(
        judgment_b("{label: G, min_share: 0.5}, {label: M, min_share: 0.5}, {label: P, min_share: 0}")
    )
    check(problem, "tier-order", ["highest first", "falling min_share", "'b'"], 19, 23)


def test_judgment_last_tier_not_zero():
    problem = only_problem(judgment_b("{label: G, min_share: 0.8}, {label: P, min_share: 0.2}"))
    check(problem, "tier-floor", ["last tier", "min_share 0", "'b'"], 19, 23)


def test_judgment_duplicate_tier_label():
    problem = only_problem(judgment_b("{label: G, min_share: 0.5}, {label: G, min_share: 0}"))
    check(problem, "tier-label", ["unique", "'b'"], 19, 23)


def test_judgment_with_formula():
    problem = only_problem(judgment_b(GOOD_TIERS, formula="x"))
    check(problem, "formula-unused", ["'b'", "judgment rule", "takes no formula"], 19, 5)


# --- formulas -----------------------------------------------------------------------------------------

# Formula of 'b' is on line 19: "    formula: ..." — key at column 5.


def formula_b(formula: str) -> str:
    return with_b(f"- id: b\n  weight: 4\n  formula: {formula}\n  rule: {{ratio: {{target: 1}}}}\n")


def test_formula_syntax_error():
    problem = only_problem(formula_b("x / (y"))
    check(problem, "formula", ["does not parse", "'b'", "x / (y"], 19, 5)


def test_formula_unknown_name_with_hint():
    problem = only_problem(formula_b("xx + y"))
    check(problem, "unknown-name", ["unknown name 'xx'", "'b'", "xx + y"], 19, 5)
    assert problem.hint == "did you mean 'x'?"


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("x.real", ["attribute"]),
        ('"x.__class__"', ["attribute"]),
        ('"x[0]"', ["subscript"]),
        ("open(x)", ["call to 'open'", "not allowed"]),
        ("__import__(x)", ["call to '__import__'", "not allowed"]),
        ("\"x + 'a'\"", ["text strings", "not allowed"]),
        ('"lambda q: 1"', ["lambda", "not allowed"]),
        ('"[q for q in (x, y)]"', ["comprehension", "not allowed"]),
        ('"(z := 1)"', ["assignment", "not allowed"]),
        ('"x // 2"', ["'//'", "not allowed"]),
        ("x ** 1000", ["exponent 1000", "too large"]),
        ('"x ** -101"', ["exponent -101", "too large"]),
    ],
    ids=[
        "attribute",
        "dunder",
        "subscript",
        "call-open",
        "call-import",
        "string",
        "lambda",
        "comprehension",
        "walrus",
        "floordiv",
        "huge-exponent",
        "huge-negative-exponent",
    ],
)
def test_formula_disallowed_construct(formula: str, words: list[str]):
    problem = problem_with_code(formula_b(formula), "formula")
    check(problem, "formula", [*words, "'b'"], 19, 5)


def test_formula_too_long():
    problem = only_problem(formula_b("+".join(["x"] * 300)))
    check(problem, "formula-too-long", ["at most 250"], 19, 5)


def test_formula_empty():
    check(only_problem(formula_b('""')), "formula", ["empty", "'b'"], 19, 5)


def test_rule_needing_formula_has_none():
    text = with_b("- id: b\n  weight: 4\n  rule: {ratio: {target: 1}}\n")
    problem = only_problem(text)
    check(problem, "formula-missing", ["'b'", "ratio rule", "no formula"], 17, 5)


def test_cases_condition_unknown_name():
    # "    rule: {cases: [{when: 'zz > 1', points: 1}], otherwise: 0}": 'when' is column 21.
    text = with_b("- id: b\n  weight: 4\n  rule: {cases: [{when: 'zz > 1', points: 1}], otherwise: 0}\n")
    problem = only_problem(text)
    check(problem, "unknown-name", ["unknown name 'zz'", "zz > 1"], 19, 21)


# --- derived names ------------------------------------------------------------------------------------


def derived(lines: str, formula_of_b: str = "x") -> str:
    """BASE with a derived: block inserted before indicators (derived: is line 12, its first name line 13)."""
    text = changed(BASE, "indicators:\n", "derived:\n" + lines + "indicators:\n")
    return changed(text, "    formula: x\n", f"    formula: {formula_of_b}\n")


def test_derived_base_is_valid():
    scoring.parse_set(derived("  p: x + 1\n", formula_of_b="p"), SOURCE)


def test_derived_cycle_two_names():
    problem = only_problem(derived("  p: q + 1\n  q: p * 2\n"))
    check(problem, "derived-cycle", ["cycle", "p → q → p"], 13, 3)


def test_derived_uses_itself():
    problem = only_problem(derived("  p: p + 1\n"))
    check(problem, "derived-cycle", ["cycle", "p → p"], 13, 3)


def test_derived_name_clashes_with_input():
    problem = only_problem(derived("  x: y + 1\n"))
    check(problem, "derived-clash", ["'x'", "both an input and a derived name"], 13, 3)


def test_derived_unknown_name():
    problem = only_problem(derived("  p: zz + 1\n"))
    check(problem, "unknown-name", ["unknown name 'zz'", "'p'"], 13, 3)


def test_broken_derived_name_is_not_also_reported_unknown_where_used():
    # 'p' IS declared; its own formula is wrong. Saying "unknown name 'p'" at the indicator using it, with
    # the hint "declare it under inputs or derived", sends the user the wrong way.
    problems = problems_of(derived("  p: zz + 1\n", formula_of_b="p"))
    assert not [p for p in problems if "unknown name 'p'" in p.message], "\n".join(map(str, problems))
    check(problems[0], "unknown-name", ["unknown name 'zz'"], 13, 3)


# --- ids, keys, types, names --------------------------------------------------------------------------


def test_duplicate_indicator_id():
    problem = only_problem(changed(BASE, "- id: b", "- id: a"))
    check(problem, "duplicate-id", ["'a'", "used twice", "indicator 1"], 17, 5)


def test_duplicate_yaml_key_top_level():
    problem = only_problem(BASE + "total: 10\n")
    check(problem, "duplicate-key", ["duplicate key 'total'", "line 3"], 21, 1)


def test_duplicate_yaml_key_nested():
    text = changed(BASE, "    formula: x\n", "    formula: x\n    weight: 4\n")
    problem = only_problem(text)
    check(problem, "duplicate-key", ["duplicate key 'weight'", "line 18"], 20, 5)


def test_duplicate_yaml_key_in_flow_mapping():
    # "  y: {min: 0, min: 1}": the second 'min' is column 15.
    problem = only_problem(changed(BASE, "  y: {}", "  y: {min: 0, min: 1}"))
    check(problem, "duplicate-key", ["duplicate key 'min'", "line 9"], 9, 15)


def test_unknown_key_with_did_you_mean():
    problem = problem_with_code(changed(BASE, "    weight: 4", "    wieght: 4"), "unknown-key")
    check(problem, "unknown-key", ["unknown key 'wieght'"], 18, 5)
    assert problem.hint == "did you mean 'weight'?"


def test_unknown_top_level_key_with_did_you_mean():
    problem = only_problem(BASE + "titel: T\n")
    check(problem, "unknown-key", ["unknown key 'titel'"], 21, 1)
    assert problem.hint == "did you mean 'title'?"


def test_missing_required_key_in_indicator():
    text = changed(BASE, "    rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}\n", "")
    check(only_problem(text), "missing-key", ["missing required key 'rule'"], 17, 5)


def test_missing_required_top_level_key():
    text = changed(BASE, "id: t\n", "")
    check(only_problem(text), "missing-key", ["missing required key 'id'"], 1, 1)


@pytest.mark.parametrize(
    ("weight", "code", "words"),
    [
        ('"abc"', "type", ["'weight' must be a number", "'abc'"]),
        ("true", "type", ["'weight' must be a number", "true"]),
        ("[4]", "type", ["'weight' must be a number", "list"]),
        (".inf", "type", ["'weight' must be a finite number"]),
    ],
    ids=["text", "boolean", "list", "infinity"],
)
def test_weight_of_wrong_type(weight: str, code: str, words: list[str]):
    problem = only_problem(changed(BASE, "    weight: 4", f"    weight: {weight}"))
    check(problem, code, words, 18, 5)


def test_weight_not_positive():
    text = changed(changed(BASE, "    weight: 4", "    weight: 0"), "weight: 6", "weight: 10")
    check(only_problem(text), "invalid-value", ["'weight'", "must be above 0"], 18, 5)


def test_rule_with_no_kind():
    text = changed(BASE, "{deduct: {over: 0, per: 1, points: 1, steps: whole}}", "{target: 1}")
    check(
        only_problem(text), "rule-kind", ["a rule needs one of", "deduct", "judgment", "found target"], 20, 5
    )


def test_rule_with_two_kinds():
    text = changed(
        BASE,
        "{deduct: {over: 0, per: 1, points: 1, steps: whole}}",
        "{ratio: {target: 1}, linear: {zero_at: 0, full_at: 1}}",
    )
    check(only_problem(text), "rule-kind", ["exactly one kind", "linear and ratio"], 20, 5)


def test_declared_direction_disagrees_with_rule():
    text = changed(BASE, "    formula: x\n", "    formula: x\n    direction: increasing\n")
    problem = only_problem(text)
    check(problem, "direction", ["'b'", "declares direction increasing", "rule is decreasing"], 20, 5)


def test_weight_with_more_decimals_than_rounding_places():
    text = changed(changed(BASE, "weight: 6", "weight: 5.995"), "weight: 4", "weight: 4.005")
    problems = problems_of(text)
    assert [p.code for p in problems] == ["weight-places", "weight-places"]
    check(problems[0], "weight-places", ["5.995", "'a'", "rounding.places (2)"], 14, 5)
    check(problems[1], "weight-places", ["4.005", "'b'", "rounding.places (2)"], 18, 5)


def test_invalid_indicator_id():
    problem = only_problem(changed(BASE, "- id: b", "- id: 2b"))
    check(problem, "name", ["'2b'", "not a valid name"], 17, 5)


def test_invalid_set_id():
    problem = only_problem(changed(BASE, "id: t\n", "id: 't t'\n"))
    check(problem, "name", ["'t t'", "not a valid name"], 2, 1)


def test_invalid_input_name():
    problem = only_problem(changed(BASE, "  y: {}\n", "  y: {}\n  my-input: {}\n"))
    check(problem, "name", ["input name 'my-input'", "not a valid name"], 10, 3)


def test_reserved_input_name():
    problem = only_problem(changed(BASE, "  y: {}\n", "  y: {}\n  max: {}\n"))
    check(problem, "name", ["input name 'max'", "reserved"], 10, 3)


def test_input_min_above_max():
    problem = only_problem(changed(BASE, "  y: {}", "  y: {min: 5, max: 1}"))
    check(problem, "input-bounds", ["'y'", "min 5 above max 1"], 9, 3)


# --- YAML and file level ------------------------------------------------------------------------------


def test_yaml_syntax_error():
    # "  x: {min: 0]": the stray ']' is column 13.
    problem = only_problem(changed(BASE, "  x: {min: 0}", "  x: {min: 0]"))
    check(problem, "yaml-syntax", ["YAML syntax error"], 8, 13)


def test_yaml_tab_indentation():
    problem = only_problem(changed(BASE, "  y: {}", "\ty: {}"))
    check(problem, "yaml-syntax", ["YAML syntax error"], 9, 1)
    assert "tab" in (problem.hint or ""), f"no hint about the tab: {problem}"


def test_yaml_merge_key_refused():
    text = changed(BASE, "  y: {}\n", "  y: &base {min: 0}\n  z: {<<: *base}\n")
    check(only_problem(text), "yaml-merge", ["merge keys"], 10, 7)


@pytest.mark.parametrize("text", ["", "# only a comment\n"], ids=["empty", "comment-only"])
def test_empty_file(text: str):
    check(only_problem(text), "top-level", ["must be a mapping", "empty"], 1, 1)


def test_top_level_list():
    check(only_problem("- format: scoring/1\n- id: t\n"), "top-level", ["must be a mapping", "a list"], 1, 1)


# --- several problems at once -------------------------------------------------------------------------


def test_several_problems_reported_together():
    text = BASE
    text = changed(text, "total: 10", "total: 12")  # weights-sum, 3:1
    text = changed(text, "{label: B, min: 0}", "{label: B, min: 1}")  # grades-floor, 6:16
    text = changed(text, "  x: {min: 0}", "  x: {min: 5, max: 1}")  # input-bounds, 8:3
    text = changed(text, "x / y * 100", "x / yy * 100")  # unknown-name, 15:5
    text = changed(
        text,
        "    formula: x\n    rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}",
        "    formula: x\n    direction: increasing\n"
        "    rule: {bands: [{upto: 10, points: 4}, {from: 10, points: 0}]}",
    )  # direction, 20:5; band-overlap, 21:43
    problems = problems_of(text)
    found = {p.code: p.location for p in problems}
    assert found == {
        "weights-sum": Location(SOURCE, 3, 1),
        "grades-floor": Location(SOURCE, 6, 16),
        "input-bounds": Location(SOURCE, 8, 3),
        "unknown-name": Location(SOURCE, 15, 5),
        "direction": Location(SOURCE, 20, 5),
        "band-overlap": Location(SOURCE, 21, 43),
    }, "\n".join(map(str, problems))
    assert len(problems) == 6


def test_shape_and_semantic_problems_reported_together():
    # A typo'd optional key in 'b' must not hide the broken formula of 'a' or the weight sum.
    text = changed(BASE, "    formula: x\n", "    formula: x\n    lable: B\n")  # unknown key, 20:5
    text = changed(text, "x / y * 100", "x / (y")  # formula syntax, 15:5
    text = changed(text, "total: 10", "total: 12")  # weights-sum, 3:1
    problems = problems_of(text)
    found = {p.code: p.location for p in problems}
    assert found == {
        "unknown-key": Location(SOURCE, 20, 5),
        "formula": Location(SOURCE, 15, 5),
        "weights-sum": Location(SOURCE, 3, 1),
    }, "\n".join(f"[{p.code}] {p}" for p in problems)


def test_error_text_lists_every_problem_with_its_location():
    text = changed(changed(BASE, "total: 10", "total: 12"), "{label: B, min: 0}", "{label: B, min: 1}")
    with pytest.raises(DefinitionError) as info:
        scoring.parse_set(text, SOURCE)
    shown = str(info.value)
    assert "set.yaml:3:1: indicator weights add up to 10, not the total 12" in shown
    assert "set.yaml:6:16: the lowest grade 'B' must start at 0, not 1" in shown


# --- files --------------------------------------------------------------------------------------------


def test_load_set_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(DefinitionError) as info:
        scoring.load_set(path)
    (problem,) = info.value.problems
    assert problem.code == "file-not-found"
    assert "not found" in problem.message
    assert problem.location == Location(str(path))


def test_load_set_gbk_encoded_file(tmp_path):
    text = changed(BASE, "  - id: b\n", "  - id: b\n    label: 在职人员控制率\n")  # label on line 18
    path = tmp_path / "gbk.yaml"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(DefinitionError) as info:
        scoring.load_set(path)
    (problem,) = info.value.problems
    assert problem.code == "encoding"
    assert "not valid UTF-8" in problem.message
    assert "GBK" in (problem.hint or "") and "UTF-8" in (problem.hint or "")
    assert problem.location is not None
    assert (problem.location.file, problem.location.line) == (str(path), 18)


def test_load_set_utf8_bom_file_loads(tmp_path):
    text = changed(BASE, "  - id: b\n", "  - id: b\n    label: 在职人员控制率\n")
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    indicator_set = scoring.load_set(path)
    assert indicator_set.id == "t"
    assert indicator_set.indicator("b").label == "在职人员控制率"


def test_utf8_bom_does_not_shift_locations(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + changed(BASE, "total: 10", "total: 12").encode("utf-8"))
    with pytest.raises(DefinitionError) as info:
        scoring.load_set(path)
    (problem,) = info.value.problems
    assert problem.code == "weights-sum"
    assert problem.location == Location(str(path), 3, 1)


def test_total_with_more_decimals_than_total_places():
    text = changed(BASE, "total: 10", "total: 10.25")
    problems = problems_of(text)
    assert "total-places" in {p.code for p in problems}
    problem = next(p for p in problems if p.code == "total-places")
    assert "more decimals than rounding.total_places" in problem.message
    assert (problem.location.line, problem.location.column) == (3, 1)


def test_shape_problems_outside_indicators_do_not_hide_the_rest():
    text = textwrap.dedent(
        """\
        format: scoring/1
        id: t
        version: 2019
        total: 10
        grades: [{label: A, min: 0}]
        inputs:
          x: {type: nmber}
        groups:
          G: {wieght: 10}
        indicators:
          - {id: a, group: G, weight: 4, formula: zz + x, rule: {ratio: {target: 1}}}
          - {id: b, weight: 5, formula: x, rule: {ratio: {target: 1}}}
        """
    )
    problems = problems_of(text)
    assert [(p.code, p.location.line) for p in problems] == [
        ("type", 3),
        ("invalid-value", 7),
        ("unknown-key", 9),
        ("unknown-name", 11),
        ("weights-sum", 4),
    ]
