"""Error quality (issue 4): a table of bad inputs, each pinned to its exact problem.

Every row is one bad input — an indicator set, or unit data for the set ``UNIT_SET`` — and the one problem it
must give: error class, code, the exact message and hint, file, line and column. A change to any message
or location fails here, so messages do not rot silently; change the row with the message on purpose.

Rows are written as edits of a small valid base (``SET`` for sets, ``GOOD`` for unit data) so each changes
exactly one thing and shows what; lines and columns are 1-based, counted in the edited text.

Decisions pinned at the end of the file (issue 4, "Data"): numbers written as text ("87.70%", "1,234.56")
are rejected with a hint that shows the plain number to write — they are never read as numbers, whatever
the input's unit; NaN and infinities, booleans for numbers and numbers for booleans, and values under
``min`` are rejected; unknown names get a did-you-mean hint; every problem of a run is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import scoring
from scoring import DataError, DefinitionError, EvaluationError, Location, Problem

SET_FILE = "set.yaml"
UNIT_FILE = "unit.yaml"

# --- the bases ---------------------------------------------------------------------------------------

SET = """\
format: scoring/1
id: t
total: 10
grades: [{label: A, min: 8}, {label: B, min: 0}]
inputs: {x: {min: 0}, y: {}, ok: {type: boolean}}
indicators:
  - id: a
    weight: 6
    formula: x / y * 100
    rule: {ratio: {target: 100}}
  - id: b
    weight: 4
    formula: x
    rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}
"""

UNIT_SET = """\
format: scoring/1
id: t
total: 10
grades: [{label: A, min: 8}, {label: B, min: 0}]
inputs:
  spent: {min: 0}
  budget: {min: 0}
  rate: {min: 0, max: 100}
  cases: {type: integer, min: 0}
  ok: {type: boolean}
derived:
  share: spent / budget * 100
indicators:
  - {id: execution, weight: 3, formula: share, rule: {ratio: {target: 100}}}
  - {id: compliance, weight: 2, formula: cases, rule: {deduct: {over: 0, per: 1, points: 1, steps: whole}}}
  - {id: rules, weight: 1, rule: {checklist: [{input: ok, points: 1}]}}
  - {id: quality, weight: 2, rule: {judgment: {tiers: [{label: good, min_share: 0.8}, {label: poor, min_share: 0}]}}}
  - {id: band, weight: 2, formula: rate, rule: {bands: [{from: 90, points: 2}, {from: 60, below: 90, points: 1}]}}
"""

GOOD = """\
values:
  spent: 90
  budget: 100
  rate: 95
  cases: 1
  ok: true
judgments:
  quality: {tier: good, points: 1.8, reason: fine}
"""


def edit(base: str, old: str, new: str) -> str:
    """``base`` with its one occurrence of ``old`` replaced by ``new``."""
    assert base.count(old) == 1, f"{old!r} occurs {base.count(old)} times in the base"
    return base.replace(old, new)


def set_edit(old: str, new: str) -> str:
    return edit(SET, old, new)


def unit_edit(old: str, new: str) -> str:
    return edit(GOOD, old, new)


# --- the table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: str
    #: 'set' (parse_set), 'unit' (parse_unit against UNIT_SET, then evaluate) or 'eval' (parse_set of
    #: ``set_text``, then evaluate the unit ``text``).
    kind: str
    text: str
    error: type[scoring.ScoringError]
    code: str
    message: str
    file: str | None
    line: int | None
    column: int | None
    hint: str | None = None
    #: Codes of other problems the input necessarily also has (each change gives exactly one otherwise).
    others: tuple[str, ...] = ()
    set_text: str = field(default=UNIT_SET, repr=False)


def S(id, text, error, code, message, line, column, hint=None, others=()):
    return Row(id, "set", text, error, code, message, SET_FILE, line, column, hint, others)


def U(id, text, error, code, message, line, column, hint=None, others=(), file=UNIT_FILE):
    return Row(id, "unit", text, error, code, message, file, line, column, hint, others)


#: Error classes. A set's formula problems come in the DefinitionError that lists all of the set's problems.
DE, DA, EV = DefinitionError, DataError, EvaluationError
STEP = "points in a rule are points at the indicator's weight"
NAME_HINT = "use letters, digits and '_', starting with a letter"
PLAIN = "(a plain number, without % or thousands separators)"
CHECK = "check these values, or mark the indicator not_applicable"

ROWS = [
    # --- YAML ----------------------------------------------------------------------------------------
    S("yaml-unclosed-flow", set_edit("{target: 100}}", "{target: 100}"), DE, "yaml-syntax",
      "YAML syntax error: did not find expected ',' or '}'", 11, 3),
    S("yaml-tab-indent", set_edit("    weight: 6", "\tweight: 6"), DE, "yaml-syntax",
      "YAML syntax error: found a tab character that violates indentation", 8, 1,
      "indent with spaces, not tabs"),
    S("yaml-duplicate-top-key", set_edit("total: 10\n", "total: 10\ntotal: 12\n"), DE, "duplicate-key",
      "duplicate key 'total' (first written at line 3)", 4, 1,
      "YAML keeps only one of them; remove or rename one"),
    S("yaml-duplicate-nested-key", set_edit("    weight: 4\n", "    weight: 4\n    weight: 5\n"), DE,
      "duplicate-key", "duplicate key 'weight' (first written at line 12)", 13, 5,
      "YAML keeps only one of them; remove or rename one"),
    S("yaml-merge-key", set_edit("y: {}", "y: {<<: {min: 0}}"), DE, "yaml-merge",
      "merge keys ('<<') are not supported", 5, 27, "write the keys out in full"),
    S("yaml-python-tag", set_edit("id: t\n", "id: t\ntitle: !!python/name:os.system x\n"), DE, "yaml-tag",
      "unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'", 3, 8,
      "only plain strings, numbers, booleans, lists and mappings are allowed"),
    S("yaml-list-as-key", set_edit("id: t\n", "id: t\n? [a, b]\n: 1\n"), DE, "yaml-key",
      "a key must be plain text, not a list or mapping", 3, 3),
    S("yaml-number-too-long", set_edit("x: {min: 0}", "x: {min: " + "1" * 61 + "}"), DE,
      "number-too-long", "number literal of 61 characters is too long", 5, 19),
    S("yaml-not-a-decimal-number", set_edit("x: {min: 0}", "x: {min: 0x1F}"), DE, "yaml-number",
      "'0x1F' is not a plain decimal number", 5, 19,
      "write decimal digits (e.g. 2560 or 12.5), or quote it if it is text"),
    S("yaml-number-out-of-range", set_edit("x: {min: 0}", "x: {min: 1.0e+30}"), DE, "number-magnitude",
      "'1.0e+30' is outside the numbers this tool accepts (10^-24 to 10^24)", 5, 19,
      "check the figure's unit (万元, 元, %)"),
    S("yaml-alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
      + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcde", "bcdef", strict=True)),
      DE, "yaml-too-large",
      "document expands to more than 100000 nodes (aliases count each time they are used)", 5, 36,
      "remove repeated aliases (&name / *name)"),
    # --- shape -----------------------------------------------------------------------------------------
    S("shape-top-level-list", "- format: scoring/1\n", DE, "top-level",
      "the file must be a mapping of keys, but it is a list", 1, 1),
    S("shape-empty-file", "", DE, "top-level", "the file must be a mapping of keys, but it is empty", 1, 1),
    S("shape-missing-total", set_edit("total: 10\n", ""), DE, "missing-key",
      "missing required key 'total'", 1, 1),
    S("shape-unknown-key", set_edit("    weight: 6\n", "    weight: 6\n    lable: A\n"), DE, "unknown-key",
      "unknown key 'lable' (indicator 'a')", 9, 5, "did you mean 'label'?"),
    S("shape-misspelt-required-key", set_edit("    weight: 6", "    wieght: 6"), DE, "unknown-key",
      "unknown key 'wieght' (indicator 'a')", 8, 5, "did you mean 'weight'?"),
    S("shape-version-number", set_edit("id: t\n", "id: t\nversion: 2019\n"), DE, "type",
      "'version' must be text, not 2019", 3, 1, 'quote it: version: "2019"'),
    S("shape-quoted-weight", set_edit("weight: 6", 'weight: "6"'), DE, "type",
      "'weight' must be a number, not '6' (indicator 'a')", 8, 5, f"write 6 {PLAIN}"),
    S("shape-infinite-weight", set_edit("weight: 6", "weight: .inf"), DE, "type",
      "'weight' must be a finite number, not Infinity (indicator 'a')", 8, 5),
    S("shape-bad-id", set_edit("- id: a", "- id: 1 a"), DE, "name",
      "id '1 a' is not a valid name (indicator '1 a')", 7, 5, NAME_HINT),
    S("shape-format", set_edit("scoring/1", "scoring/2"), DE, "invalid-value",
      "'format' must be 'scoring/1', not 'scoring/2'", 1, 1),
    S("shape-weight-zero", set_edit("weight: 6", "weight: 0"), DE, "invalid-value",
      "'weight' must be above 0, not 0 (indicator 'a')", 8, 5, others=("weights-sum",)),
    S("shape-places-too-many", set_edit("total: 10\n", "total: 10\nrounding: {places: 7}\n"), DE,
      "invalid-value", "'places' must be at most 6, not 7", 4, 12),
    S("shape-grades-empty", set_edit("[{label: A, min: 8}, {label: B, min: 0}]", "[]"), DE, "empty",
      "'grades' must not be empty", 4, 1),
    S("shape-two-rule-kinds", set_edit("{ratio: {target: 100}}", "{ratio: {target: 100}, linear: {zero_at: 0, full_at: 1}}"),
      DE, "rule-kind", "a rule has exactly one kind, but this one has linear and ratio (indicator 'a')", 10, 5),
    S("shape-misspelt-rule-kind", set_edit("{ratio: {target: 100}}", "{ratoi: {target: 100}}"), DE,
      "rule-kind",
      "a rule needs one of: bands, cases, checklist, deduct, judgment, linear, met, ratio (found ratoi) (indicator 'a')",
      10, 5, "did you mean 'ratio'?"),
    # --- set semantics -------------------------------------------------------------------------------
    S("set-reserved-input", set_edit("y: {}", "y: {}, value: {}"), DE, "name",
      "input name 'value' is reserved", 5, 30, "choose another name"),
    S("set-boolean-with-min", set_edit("ok: {type: boolean}", "ok: {type: boolean, min: 0}"), DE,
      "input-bounds", "boolean input 'ok' cannot have min or max", 5, 30),
    S("set-min-above-max", set_edit("x: {min: 0}", "x: {min: 5, max: 1}"), DE, "input-bounds",
      "input 'x' has min 5 above max 1", 5, 10),
    S("set-derived-clash", set_edit("indicators:\n", "derived: {x: y * 2}\nindicators:\n"), DE,
      "derived-clash", "'x' is both an input and a derived name", 6, 11),
    S("set-derived-cycle", set_edit("indicators:\n", "derived: {p: q + 1, q: p + 1}\nindicators:\n"), DE,
      "derived-cycle", "derived names form a cycle: p → q → p", 6, 11,
      "break the cycle: a derived name cannot depend on itself"),
    S("set-grades-order", set_edit("{label: B, min: 0}]", "{label: B, min: 9}, {label: C, min: 0}]"), DE,
      "grades-order", "grade 'B' (min 9) must have a lower min than 'A' (min 8)", 4, 41,
      "list grades from the highest down"),
    S("set-grades-floor", set_edit("{label: B, min: 0}", "{label: B, min: 1}"), DE, "grades-floor",
      "the lowest grade 'B' must start at 0, not 1", 4, 41, "otherwise low totals would have no grade"),
    S("set-grades-top", set_edit("{label: A, min: 8}", "{label: A, min: 11}"), DE, "grades-top",
      "grade 'A' needs 11, above the total 10", 4, 21),
    S("set-grade-label-twice", set_edit("{label: B, min: 0}", "{label: A, min: 0}"), DE, "grades-label",
      "grade label 'A' is used twice", 4, 31),
    S("set-duplicate-id", set_edit("- id: b", "- id: a"), DE, "duplicate-id",
      "indicator id 'a' is used twice (first at indicator 1)", 11, 5),
    S("set-weight-places", set_edit("total: 10\n", "total: 10\nrounding: {places: 0}\n").replace("weight: 6", "weight: 6.5").replace("weight: 4", "weight: 3.5"),
      DE, "weight-places", "weight 6.5 of 'a' has more decimals than rounding.places (0)", 9, 5,
      "points are rounded to rounding.places; a weight must be exact at that precision",
      others=("weight-places",)),
    S("set-weights-sum", set_edit("weight: 6", "weight: 5"), DE, "weights-sum",
      "indicator weights add up to 9, not the total 10", 3, 1, "change a weight or the total"),
    S("set-total-places", set_edit("total: 10", "total: 10.25").replace("weight: 6", "weight: 6.25"), DE,
      "total-places", "total 10.25 has more decimals than rounding.total_places (1)", 3, 1,
      "full marks must round to exactly the total; raise total_places or change the total"),
    S("set-group-weight", set_edit("    weight: 6\n", "    weight: 6\n    group: G\n").replace("indicators:\n", "groups: {G: {weight: 5}}\nindicators:\n"),
      DE, "group-weight", "group 'G' declares weight 5, but its indicators add up to 6", 6, 14, "members: a 6"),
    S("set-group-unused", set_edit("indicators:\n", "groups: {H: {}}\nindicators:\n"), DE, "group-unused",
      "group 'H' has no indicators", 6, 10, "set 'group:' on its indicators or remove it"),
    S("set-formula-missing", set_edit("    formula: x / y * 100\n", ""), DE, "formula-missing",
      "indicator 'a' has a ratio rule, which scores a value, but no formula", 7, 5,
      "add 'formula:' giving the value to score"),
    S("set-formula-unused", set_edit("{deduct: {over: 0, per: 1, points: 1, steps: whole}}", "{checklist: [{input: ok, points: 4}]}"),
      DE, "formula-unused", "indicator 'b' has a checklist rule, which takes no formula", 13, 5, "remove 'formula:'"),
    S("set-deduct-step-above-weight", set_edit("points: 1, steps", "points: 5, steps"), DE, "deduct-points",
      "one step takes off 5 points, more than the weight 4 (indicator 'b')", 14, 38, STEP),
    S("set-deduct-limits-crossed", set_edit("{over: 0, per", "{over: 0, under: 5, per"), DE, "deduct-limit",
      "'under' 5 is above 'over' 0: no value gets full marks (indicator 'b')", 14, 30,
      "full marks lie from 'under' up to 'over'"),
    S("set-deduct-no-limit", set_edit("{over: 0, per", "{per"), DE, "deduct-limit",
      "deduct needs 'over', 'under', both, or 'target' (indicator 'b')", 14, 12),
    S("set-band-overlap", set_edit("{ratio: {target: 100}}", "{bands: [{from: 0, points: 6}, {from: 50, points: 3}]}"),
      DE, "band-overlap", "band 2 [50, +∞) overlaps band 1 [0, +∞) (indicator 'a')", 10, 42,
      "make one bound exclusive: 'below'/'above' exclude, 'from'/'upto' include"),
    S("set-band-points-above-weight", set_edit("{ratio: {target: 100}}", "{bands: [{from: 0, points: 7}]}"), DE,
      "rule-points", "points 7 are outside 0 to the weight 6 (indicator 'a')", 10, 30, STEP),
    S("set-ratio-target-zero", set_edit("target: 100", "target: 0"), DE, "ratio-target",
      "target must be above 0, not 0 (indicator 'a')", 10, 20),
    S("set-linear-empty-range", set_edit("{ratio: {target: 100}}", "{linear: {zero_at: 5, full_at: 5}}"), DE,
      "linear-range", "'zero_at' and 'full_at' must differ (indicator 'a')", 10, 12),
    S("set-checklist-sum", set_edit("{deduct: {over: 0, per: 1, points: 1, steps: whole}}", "{checklist: [{input: ok, points: 3}]}").replace("    formula: x\n", ""),
      DE, "checklist-sum", "checklist points add up to 3, not the weight 4 (indicator 'b')", 13, 12),
    S("set-checklist-undeclared-input", set_edit("{deduct: {over: 0, per: 1, points: 1, steps: whole}}", "{checklist: [{input: okk, points: 4}]}").replace("    formula: x\n", ""),
      DE, "unknown-name", "checklist item of 'b' names undeclared input 'okk'", 13, 25, "did you mean 'ok'?"),
    S("set-tier-floor", set_edit("{ratio: {target: 100}}", "{judgment: {tiers: [{label: good, min_share: 0.5}]}}").replace("    formula: x / y * 100\n", ""),
      DE, "tier-floor", "the last tier must have min_share 0 (indicator 'a')", 9, 23),
    S("set-direction-mismatch", set_edit("    weight: 6\n", "    weight: 6\n    direction: decreasing\n"), DE,
      "direction", "indicator 'a' declares direction decreasing, but its rule is increasing", 9, 5),
    # --- formulas ------------------------------------------------------------------------------------
    S("formula-unknown-name", set_edit("x / y * 100", "x / yy * 100"), DE, "unknown-name",
      "unknown name 'yy' in formula of 'a' (at character 5): x / yy * 100", 9, 5, "did you mean 'y'?"),
    S("formula-attribute", set_edit("x / y * 100", "x.__class__"), DE, "formula",
      "attribute access not allowed in formula of 'a' (at character 1): x.__class__", 9, 5),
    S("formula-eval-call", set_edit("x / y * 100", "eval(x)"), DE, "formula",
      "call to 'eval' is not allowed in formula of 'a' (at character 1): eval(x)", 9, 5,
      "allowed functions: min, max, abs, round, clamp"),
    S("formula-floor-division", set_edit("x / y * 100", "x // y"), DE, "formula",
      "operator '//' is not allowed in formula of 'a' (at character 1): x // y", 9, 5),
    S("formula-huge-exponent", set_edit("x / y * 100", "x ** 9 ** 9"), DE, "formula",
      "exponent 387420489 is too large (at most 100) in formula of 'a' (at character 6): x ** 9 ** 9", 9, 5),
    S("formula-text-string", set_edit("x / y * 100", "\"'a'\""), DE, "formula",
      "text strings are not allowed in formula of 'a' (at character 1): 'a'", 9, 5,
      "formulas work on numbers and true/false only"),
    S("formula-syntax", set_edit("x / y * 100", "x +"), DE, "formula",
      "formula does not parse (invalid syntax) in formula of 'a': x +", 9, 5),
    S("formula-subscript", set_edit("x / y * 100", "x[0]"), DE, "formula",
      "subscripts ([...]) not allowed in formula of 'a' (at character 1): x[0]", 9, 5),
    S("formula-too-long", set_edit("x / y * 100", "x" + " + x" * 300), DE, "formula-too-long",
      "formula is 1201 characters long (at most 1000)", 9, 5),
    # --- unit data -----------------------------------------------------------------------------------
    U("data-unknown-input", unit_edit("  ok: true\n", "  ok: true\n  spnt: 1\n"), DA, "unknown-input",
      "unknown input 'spnt'", 7, 3, "did you mean 'spent'?"),
    U("data-value-for-indicator", unit_edit("  ok: true\n", "  ok: true\n  execution: 3\n"), DA,
      "unknown-input", "unknown input 'execution'", 7, 3, "it is an indicator; give the inputs its formula uses"),
    U("data-value-for-derived", unit_edit("  ok: true\n", "  ok: true\n  share: 90\n"), DA, "unknown-input",
      "unknown input 'share'", 7, 3, "it is derived from a formula in the set; remove it here"),
    U("data-boolean-for-number", unit_edit("spent: 90", "spent: true"), DA, "input-value",
      "input 'spent' must be a number, not true", 2, 3, "write the number itself"),
    U("data-number-for-boolean", unit_edit("ok: true", "ok: 1"), DA, "input-value",
      "input 'ok' must be true or false, not 1", 6, 3),
    U("data-text-for-boolean", unit_edit("ok: true", 'ok: "yes"'), DA, "input-value",
      "input 'ok' must be true or false, not 'yes'", 6, 3,
      "write true or false, unquoted (yes, 是 → true; no, 否 → false)"),
    U("data-percent-quoted", unit_edit("rate: 95", 'rate: "87.70%"'), DA, "input-value",
      "input 'rate' must be a number, not the text '87.70%'", 4, 3, f"write 87.70 {PLAIN}"),
    U("data-percent-plain", unit_edit("rate: 95", "rate: 87.70%"), DA, "input-value",
      "input 'rate' must be a number, not the text '87.70%'", 4, 3, f"write 87.70 {PLAIN}"),
    U("data-thousands-separator", unit_edit("spent: 90", "spent: 1,234.56"), DA, "input-value",
      "input 'spent' must be a number, not the text '1,234.56'", 2, 3, f"write 1234.56 {PLAIN}"),
    U("data-nan", unit_edit("rate: 95", "rate: .nan"), DA, "input-value",
      "input 'rate' must be a finite number, not NaN", 4, 3),
    U("data-infinity", unit_edit("rate: 95", "rate: -.inf"), DA, "input-value",
      "input 'rate' must be a finite number, not -Infinity", 4, 3),
    # A refused number under values: must not cascade into "input 'spent' must be a number, not nothing".
    U("data-number-out-of-range", unit_edit("spent: 90", "spent: 1.0e+30"), DA, "number-magnitude",
      "'1.0e+30' is outside the numbers this tool accepts (10^-24 to 10^24)", 2, 10,
      "check the figure's unit (万元, 元, %)"),
    U("data-not-a-decimal-number", unit_edit("spent: 90", "spent: 0x1F"), DA, "yaml-number",
      "'0x1F' is not a plain decimal number", 2, 10,
      "write decimal digits (e.g. 2560 or 12.5), or quote it if it is text"),
    U("data-below-min", unit_edit("spent: 90", "spent: -1"), DA, "input-value",
      "input 'spent' is -1, below its minimum 0", 2, 3),
    U("data-above-max", unit_edit("rate: 95", "rate: 100.5"), DA, "input-value",
      "input 'rate' is 100.5, above its maximum 100", 4, 3),
    U("data-not-whole", unit_edit("cases: 1", "cases: 1.5"), DA, "input-value",
      "input 'cases' must be a whole number, not 1.5", 5, 3),
    U("data-null", unit_edit("rate: 95", "rate:"), DA, "input-value",
      "input 'rate' must be a number, not nothing", 4, 3),
    U("data-list", unit_edit("rate: 95", "rate: [95]"), DA, "input-value",
      "input 'rate' must be a number, not a list", 4, 3),
    U("data-mapping", unit_edit("rate: 95", "rate: {value: 95}"), DA, "input-value",
      "input 'rate' must be a number, not a mapping", 4, 3),
    U("data-na-unknown-id", GOOD + "not_applicable: [qualty]\n", DA, "unknown-indicator",
      "no indicator 'qualty' in the set", 9, 18, "did you mean 'quality'?"),
    U("data-override-unknown-id", GOOD + "overrides:\n  executon: {points: 1, reason: x}\n", DA,
      "unknown-indicator", "no indicator 'executon' in the set", 10, 3, "did you mean 'execution'?"),
    U("data-judgment-unknown-id", GOOD + "  qualty: {tier: good, points: 1.8, reason: x}\n", DA,
      "unknown-indicator", "no indicator 'qualty' in the set", 9, 3, "did you mean 'quality'?"),
    U("data-judgment-unknown-tier", unit_edit("tier: good", "tier: great"), DA, "judgment-tier",
      "'quality' has no tier 'great'", 8, 13, "tiers: good, poor"),
    U("data-judgment-points-outside-tier", unit_edit("points: 1.8", "points: 1"), DA, "judgment-points",
      "judgment of 'quality' gives 1 points, outside tier 'good' (1.6 to 2)", 8, 25,
      "choose the tier the points belong to, or points inside the tier"),
    U("data-judgment-for-computed-row", GOOD + "  rules: {tier: good, points: 1, reason: x}\n", DA,
      "judgment-rule", "'rules' is scored by a checklist rule, not by judgment", 9, 3,
      "use overrides: to correct a computed score"),
    U("data-judgment-missing", GOOD.split("judgments:")[0], DA, "judgment-missing",
      "no judgment given for 'quality'", 1, 1,
      "add judgments: {quality: {tier, points, reason}} or mark it not_applicable"),
    U("data-judgment-without-reason", unit_edit(", reason: fine", ""), DA, "missing-key",
      "missing required key 'reason'", 8, 3),
    U("data-override-above-weight", GOOD + "overrides:\n  execution: {points: 4, reason: x}\n", DA,
      "override-points", "override of 'execution' gives 4 points, outside 0 to its weight 3", 10, 15),
    U("data-override-and-na", GOOD + "not_applicable: [band]\noverrides:\n  band: {points: 1, reason: x}\n", DA,
      "override-na", "'band' is both not applicable and overridden", 11, 3, "remove one of them"),
    U("data-unknown-and-na", GOOD + "not_applicable: [band]\nunknown: [band]\n", DA, "unknown-clash",
      "'band' is marked unknown but also listed under not_applicable", 10, 11, "remove one of them"),
    U("data-unknown-range", GOOD + "unknown: {band: {min: 1, max: 3}}\n", DA, "unknown-range",
      "unknown 'band' is given the range 1 to 3, which must lie within 0 to its weight 2 with min ≤ max", 9, 11),
    U("data-missing-input", unit_edit("  rate: 95\n", ""), DA, "missing-input",
      "missing input 'rate', needed by band", 1, 1, "add it under values:, or mark those indicators not_applicable"),
    U("data-unknown-top-key", GOOD + "valuse: {}\n", DA, "unknown-key", "unknown key 'valuse'", 9, 1,
      "did you mean 'values'?"),
    U("data-duplicate-key", unit_edit("  rate: 95\n", "  rate: 95\n  rate: 96\n"), DA, "duplicate-key",
      "duplicate key 'rate' (first written at line 4)", 5, 3, "YAML keeps only one of them; remove or rename one"),
    U("data-yaml-syntax", unit_edit("rate: 95", "rate: [95"), DA, "yaml-syntax",
      "YAML syntax error: did not find expected ',' or ']'", 5, 8),
    U("data-top-level-list", "- spent: 90\n", DA, "top-level", "the file must be a mapping of keys, but it is a list",
      1, 1),
    # --- evaluation ----------------------------------------------------------------------------------
    U("eval-division-by-zero", unit_edit("budget: 100", "budget: 0"), EV, "evaluation",
      "indicator 'execution' cannot be scored: derived 'share' = 'spent / budget * 100' fails with budget = 0, "
      "spent = 90: division by zero", 14, 5, CHECK, file=SET_FILE),
    U("eval-value-in-no-band", unit_edit("rate: 95", "rate: 50"), EV, "evaluation",
      "indicator 'band' cannot be scored: value 50 falls in no band ([90, +∞); [60, 90)) and the rule has no "
      "'otherwise'; formula 'rate' with rate = 50", 18, 5, CHECK, file=SET_FILE),
    Row("eval-overflow", "eval", "values: {x: 100}\n", EV, "evaluation",
        "indicator 'a' cannot be scored: a result is too large; formula '(x ** 100) ** 100' with x = 100",
        SET_FILE, 7, 5, CHECK,
        set_text=set_edit("x / y * 100", "(x ** 100) ** 100")),
    Row("eval-nothing-applicable", "eval", "values: {x: 1, y: 1}\nnot_applicable: [a, b]\n", EV, "nothing-applicable",
        "every indicator is not applicable with the 'rescale' policy; there is nothing to score", None, None, None,
        set_text=set_edit("indicators:\n", "not_applicable: rescale\nindicators:\n")),
]  # fmt: skip


def problems_of(row: Row) -> list[Problem]:
    """The problems the row's input gives (it must fail with exactly the row's error class)."""
    with pytest.raises(scoring.ScoringError) as info:
        if row.kind == "set":
            scoring.parse_set(row.text, SET_FILE)
        else:
            indicator_set = scoring.parse_set(row.set_text, SET_FILE)
            unit = scoring.parse_unit(row.text, UNIT_FILE, indicator_set=indicator_set)
            scoring.evaluate(indicator_set, unit)
    assert type(info.value) is row.error, f"raised {type(info.value).__name__}, expected {row.error.__name__}"
    return list(info.value.problems)


def test_table_has_at_least_40_rows_with_unique_ids():
    assert len(ROWS) >= 40
    assert len({row.id for row in ROWS}) == len(ROWS)
    kinds = {row.code for row in ROWS}
    for code in ("yaml-syntax", "top-level", "type", "unknown-name", "formula", "input-value", "evaluation"):
        assert code in kinds


def test_bases_are_valid():
    scoring.parse_set(SET, SET_FILE)
    indicator_set = scoring.parse_set(UNIT_SET, SET_FILE)
    scoring.evaluate(indicator_set, scoring.parse_unit(GOOD, UNIT_FILE, indicator_set=indicator_set))


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_error_row(row: Row):
    problems = problems_of(row)
    listing = "\n".join(f"  [{p.code}] {p} @ {p.location!r}" for p in problems)
    main = [p for p in problems if p.code == row.code]
    assert main, f"no '{row.code}' problem; got:\n{listing}"
    problem = main[0]
    assert sorted(p.code for p in problems) == sorted([row.code, *row.others]), f"problems:\n{listing}"
    assert problem.message == row.message
    assert problem.hint == row.hint
    expected = Location(row.file, row.line, row.column) if row.file is not None else None
    assert problem.location == expected, f"{problem.location!r} != {expected!r}"
    assert str(problem) == (
        (f"{expected}: " if expected else "") + row.message + (f" — {row.hint}" if row.hint else "")
    )


# --- data decisions (issue 4, "Data") ----------------------------------------------------------------


@pytest.fixture(scope="module")
def unit_set() -> scoring.IndicatorSet:
    return scoring.parse_set(UNIT_SET, SET_FILE)


def _data_problems(indicator_set: scoring.IndicatorSet, text: str) -> list[Problem]:
    with pytest.raises(DataError) as info:
        scoring.evaluate(indicator_set, scoring.parse_unit(text, UNIT_FILE, indicator_set=indicator_set))
    return list(info.value.problems)


@pytest.mark.parametrize(
    ("written", "hint_number"),
    [
        ('"87.70%"', "87.70"),
        ('" 87.70 % "', "87.70"),
        ('"87%"', "87"),
        ('"1,234.56"', "1234.56"),
        ('"1,234"', "1234"),
        ('"-1,234.5"', "-1234.5"),
        ('"+5"', "+5"),
        ('".5%"', ".5"),
        ('"95"', "95"),
    ],
)
def test_number_written_as_text_is_rejected_with_the_plain_number(unit_set, written: str, hint_number: str):
    """Decision: text is never a number, whatever the input's unit; the hint shows the number to write."""
    (problem,) = _data_problems(unit_set, unit_edit("spent: 90", f"spent: {written}"))
    shown = written.strip('"')
    assert problem.code == "input-value"
    assert problem.message == f"input 'spent' must be a number, not the text '{shown}'"
    assert problem.hint == f"write {hint_number} {PLAIN}"
    assert problem.location == Location(UNIT_FILE, 2, 3)


def test_full_width_digits_get_a_hint_in_plain_digits(unit_set):
    """Chinese input methods type full-width digits. The hint must show the number to write in plain digits:
    "write １２３" repeats the text that was just refused (the pattern's \\d matches any Unicode digit)."""
    (problem,) = _data_problems(unit_set, unit_edit("spent: 90", 'spent: "１２３"'))
    assert problem.message == "input 'spent' must be a number, not the text '１２３'"
    assert problem.hint == f"write 123 {PLAIN}"


@pytest.mark.parametrize("written", ['"abc"', '"87,70%x"', '"%"', '"1.2.3"', '"N/A"', '"一百"'])
def test_text_that_is_no_number_gets_no_number_hint(unit_set, written: str):
    (problem,) = _data_problems(unit_set, unit_edit("spent: 90", f"spent: {written}"))
    assert problem.message == f"input 'spent' must be a number, not the text '{written.strip(chr(34))}'"
    assert problem.hint is None


def test_number_text_from_a_mapping_names_the_key_and_shows_the_number(unit_set):
    data = {
        "values": {"spent": "1,234.56", "budget": 100, "rate": "87.70%", "cases": 1, "ok": True},
        "judgments": {"quality": {"tier": "good", "points": 1.8, "reason": "fine"}},
    }
    with pytest.raises(DataError) as info:
        scoring.evaluate(unit_set, data)
    found = {p.subject: p for p in info.value.problems}
    assert set(found) == {"spent", "rate"}
    assert str(found["rate"]) == (
        f"<data>: values.rate: input 'rate' must be a number, not the text '87.70%' — write 87.70 {PLAIN}"
    )
    assert found["spent"].hint == f"write 1234.56 {PLAIN}"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "input 'rate' must be a finite number, not NaN"),
        (float("inf"), "input 'rate' must be a finite number, not Infinity"),
        (True, "input 'rate' must be a number, not true"),
        (-0.5, "input 'rate' is -0.5, below its minimum 0"),
        (None, "input 'rate' must be a number, not nothing"),
    ],
    ids=["nan", "inf", "bool", "below-min", "none"],
)
def test_bad_numbers_from_a_mapping(unit_set, value, message: str):
    data = {
        "values": {"spent": 90, "budget": 100, "rate": value, "cases": 1, "ok": True},
        "judgments": {"quality": {"tier": "good", "points": 1.8, "reason": "fine"}},
    }
    with pytest.raises(DataError) as info:
        scoring.evaluate(unit_set, data)
    (problem,) = info.value.problems
    assert problem.message == message
    assert problem.location == Location("<data>", keys=("values", "rate"))
    assert str(problem.location) == "<data>: values.rate"


def test_all_data_problems_of_a_run_are_reported_together(unit_set):
    text = """\
values:
  spent: "1,234.56"
  budget: -1
  rate: .nan
  cases: 1.5
  ok: 1
  spnt: 3
not_applicable: [bnd]
judgments:
  quality: {tier: great, points: 1.8, reason: fine}
  rules: {tier: good, points: 1, reason: x}
overrides:
  execution: {points: 9, reason: x}
"""
    problems = _data_problems(unit_set, text)
    assert [(p.code, p.location.line, p.location.column, p.message) for p in problems if p.location] == [
        ("input-value", 2, 3, "input 'spent' must be a number, not the text '1,234.56'"),
        ("input-value", 3, 3, "input 'budget' is -1, below its minimum 0"),
        ("input-value", 4, 3, "input 'rate' must be a finite number, not NaN"),
        ("input-value", 5, 3, "input 'cases' must be a whole number, not 1.5"),
        ("input-value", 6, 3, "input 'ok' must be true or false, not 1"),
        ("unknown-input", 7, 3, "unknown input 'spnt'"),
        ("unknown-indicator", 8, 18, "no indicator 'bnd' in the set"),
        ("override-points", 13, 15, "override of 'execution' gives 9 points, outside 0 to its weight 3"),
        ("judgment-tier", 10, 13, "'quality' has no tier 'great'"),
        ("judgment-rule", 11, 3, "'rules' is scored by a checklist rule, not by judgment"),
    ]
    assert len(problems) == 10
    assert all(p.location is not None and p.location.file == UNIT_FILE for p in problems)


def test_all_set_problems_of_a_run_are_reported_together():
    text = """\
format: scoring/1
id: t
total: 10
grades: [{label: A, min: 8}, {label: B, min: 1}]
inputs: {x: {min: 5, max: 1}, value: {}}
indicators:
  - id: a
    weight: 6
    formula: x / yy
    rule: {ratio: {target: 0}}
  - id: b
    weight: 3
    formula: x
    rule: {deduct: {over: 0, per: 1, points: 5, steps: whole}}
"""
    with pytest.raises(DefinitionError) as info:
        scoring.parse_set(text, SET_FILE)
    found = sorted((p.location.line, p.location.column, p.code) for p in info.value.problems if p.location)
    assert found == [
        (3, 1, "weights-sum"),
        (4, 41, "grades-floor"),
        (5, 10, "input-bounds"),
        (5, 31, "name"),
        (9, 5, "unknown-name"),
        (10, 20, "ratio-target"),
        (14, 38, "deduct-points"),
    ]
