"""Single-unit benchmark: one unit scored against a 30-indicator set, many times.

Usage::

    python benchmarks/single_unit.py            # full run (about 15-20 s)
    python benchmarks/single_unit.py --quick    # smoke run (about 2 s)
    python benchmarks/single_unit.py --strict   # exit 1 when a/b exceeds the required 3

What is timed (µs per unit, best of several rounds, all in this process, rounds interleaved):

(a)  ``scoring.evaluate(indicator_set, unit)`` with its trace, the unit pre-loaded by ``scoring.load_unit``;
(a+) the same plus ``result.to_dict()``, which renders every outcome text of the trace (informational);
(b)  a hand-written plain-Python function using :class:`~decimal.Decimal` that computes the same points for
     this exact set (``benchmarks/thirty.yaml``): formulas as Python expressions, rules written out per
     indicator, rounding half-up to the set's places, group subtotals and the total from the rounded rows;
(c)  formulas (derived names, indicator formulas, case conditions) through ``simpleeval.simple_eval``,
     re-parsing each formula every evaluation; the rule part is (b)'s;
(d)  formulas through one ``simpleeval.SimpleEval`` with ASTs parsed once (``eval(expr, previously_parsed=)``);
     the rule part is (b)'s.

Before timing, (a)–(d) must agree on every formula value, every indicator's rounded points, every group
subtotal and grade, the total and the grade; any difference is printed and the script exits with status 1.

Also timed: loading and validating the set (``scoring.load_set``) and the unit (``scoring.load_unit``).
"""

from __future__ import annotations

import argparse
import decimal
import gc
import itertools
import platform
import sys
import time
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    # This checkout's scoring, even when the installed (editable) copy is stale or elsewhere.
    sys.path.insert(0, str(HERE.parent))

import simpleeval  # noqa: E402

import scoring  # noqa: E402

SET_PATH = HERE / "thirty.yaml"
UNIT_PATH = HERE / "thirty_unit.yaml"

#: The arithmetic the engine documents: 50 significant digits, errors trapped (same parameters as the engine's).
CTX = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=10_000,
    Emin=-10_000,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

# --- (b) the hand-written scorer for benchmarks/thirty.yaml -------------------------------------------

D = Decimal
Z = D(0)
ONE = D(1)
H = D(100)
THOUSAND = D(1000)
HALF = D("0.5")
Q_POINTS = D("0.01")  # rounding.places: 2
Q_TOTAL = D("0.1")  # rounding.total_places: 1
GRADES = ((D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差"))

Env = dict[str, Any]
#: A condition tester: (indicator id, case index, scope) → truth.
Cond = Callable[[str, int, Mapping[str, Any]], Any]

#: Derived names in evaluation order.
PY_DERIVED: list[tuple[str, Callable[[Env], Any]]] = [
    ("budget_total", lambda e: e["budget_initial"] + e["budget_added"]),
    ("spending_share", lambda e: e["budget_spent"] / e["budget_total"] * H),
    ("cost_overrun_rate", lambda e: (e["actual_cost"] - e["planned_cost"]) / e["planned_cost"] * H),
    ("complaints_per_thousand", lambda e: e["complaints"] / e["people_served"] * THOUSAND),
    ("assets_total", lambda e: e["fixed_assets"] + e["current_assets"]),
]

#: Indicator formulas.
PY_FORMULAS: dict[str, Callable[[Env], Any]] = {
    "staff_control_rate": lambda e: e["staff_in_post"] / e["staff_quota"] * H,
    "sangong_change_rate": lambda e: (e["sangong_actual"] - e["sangong_prior"]) / e["sangong_prior"] * H,
    "key_spending_rate": lambda e: e["key_spending"] / e["project_spending"] * H,
    "vehicle_control": lambda e: max(e["vehicles_actual"] - e["vehicles_quota"], Z),
    "budget_completion_rate": lambda e: e["spending_share"],
    "budget_adjustment_rate": lambda e: e["budget_added"] / e["budget_initial"] * H,
    "payment_progress": lambda e: e["spent_by_q3"] / e["budget_total"] * H,
    "carryover_change": lambda e: (e["year_end_balance"] - e["prior_carryover"]) / e["prior_carryover"] * H,
    "sangong_control_rate": lambda e: e["sangong_actual"] / e["sangong_budget"] * H,
    "building_area_control": lambda e: e["building_area_actual"] / e["building_area_approved"] * H,
    "public_expense_control": lambda e: e["public_spent"] / e["public_budget"] * H,
    "funds_compliance": lambda e: e["nonconforming_cases"],
    "asset_management": lambda e: e["assets_verified"] / e["assets_total"] * H,
    "procurement_compliance": lambda e: e["procurement_compliant"] / e["procurement_total"] * H,
    "audit_rectification": lambda e: e["issues_fixed"] / max(e["issues_found"], ONE) * H,
    "asset_utilization": lambda e: min(e["assets_in_use"] / e["assets_total"] * H, H),
    "task_completion_rate": lambda e: e["tasks_done"] / e["tasks_planned"] * H,
    "output_quantity": lambda e: e["outputs_delivered"] / e["outputs_planned"] * H,
    "timeliness_rate": lambda e: e["tasks_on_time"] / e["tasks_planned"] * H,
    "quality_pass_rate": lambda e: e["quality_passed"] / e["quality_checked"] * H,
    "cost_control": lambda e: e["cost_overrun_rate"],
    "satisfaction_rate": lambda e: e["satisfaction"],
    "complaint_control": lambda e: e["complaints_per_thousand"],
}

#: Case conditions, by (indicator id, case index).
PY_CONDITIONS: dict[tuple[str, int], Callable[[Mapping[str, Any]], Any]] = {
    ("balance_control", 0): lambda s: s["year_end_balance"] == 0,
    ("balance_control", 1): lambda s: s["year_end_balance"] <= s["prior_carryover"],
    ("asset_management", 0): lambda s: s["value"] >= 100,
    ("asset_management", 1): lambda s: s["value"] >= 95,
    ("sustainability", 0): lambda s: s["has_long_term_plan"] and s["training_hours"] >= 40,
    ("sustainability", 1): lambda s: s["has_long_term_plan"] or s["training_hours"] >= 40,
}


def python_condition(indicator_id: str, index: int, scope: Mapping[str, Any]) -> Any:
    return PY_CONDITIONS[indicator_id, index](scope)


def python_formulas(values: Mapping[str, Any], na: frozenset[str]) -> tuple[Env, Env]:
    """(env with derived names, formula value of each applicable indicator) — formulas as Python code."""
    env = dict(values)
    for name, fn in PY_DERIVED:
        env[name] = fn(env)
    return env, {i: fn(env) for i, fn in PY_FORMULAS.items() if i not in na}


#: Constants of the rules below, built once (as a hand-written scorer would).
N1_2 = D("1.2")
N1_5 = D("1.5")
N1_8 = D("1.8")
N2 = D(2)
N2_4 = D("2.4")
N3 = D(3)
N3_6 = D("3.6")
N4 = D(4)
N4_8 = D("4.8")
N5 = D(5)
N6 = D(6)
N7 = D(7)
N10 = D(10)
N50 = D(50)
N60 = D(60)
N80 = D(80)
N90 = D(90)
N95 = D(95)


def _deduct(excess: Decimal, per: Decimal, points: Decimal, weight: Decimal, steps: str | None) -> Decimal:
    """Full marks within the limit; ``points`` off per ``per`` of excess, floored at zero."""
    if excess <= 0:
        return weight
    n = excess / per
    if steps is not None:
        n = n.to_integral_value(rounding=steps)
    return max(weight - n * points, Z)


def _ratio(x: Decimal, target: Decimal, weight: Decimal) -> Decimal:
    return min(max(x / target, Z), ONE) * weight


def _linear(x: Decimal, zero_at: Decimal, full_at: Decimal, weight: Decimal) -> Decimal:
    return min(max((x - zero_at) / (full_at - zero_at), Z), ONE) * weight


def _cases(
    indicator_id: str, scope: Mapping[str, Any], cond: Cond, points: tuple[Decimal, ...], otherwise: Decimal
) -> Decimal:
    for index, p in enumerate(points):
        if cond(indicator_id, index, scope):
            return p
    return otherwise


def _satisfaction(x: Decimal) -> Decimal:
    if x >= 90:
        return N6
    if x >= 80:
        return N4_8
    if x >= 70:
        return N3_6
    if x >= 60:
        return N2_4
    return Z


def _adjustment(x: Decimal) -> Decimal:
    if x == 0:
        return N3
    if 0 < x <= 10:
        return N2_4
    if 10 < x <= 20:
        return N1_8
    if 20 < x <= 30:
        return N1_2
    if x > 30:
        return Z
    return N3  # otherwise (a budget cut)


def _timeliness(x: Decimal) -> Decimal:
    return N5 if x >= 90 else N4 if x >= 80 else N3 if x >= 70 else N2 if x >= 60 else Z


def _payment(x: Decimal) -> Decimal:
    return N3 if x >= 75 else N2 if x >= 60 else ONE if x >= 45 else Z


def _quantity(x: Decimal) -> Decimal:
    return N5 if x > 95 else N3 if x > 85 else Z


def _public_expense(x: Decimal) -> Decimal:  # ratio, lower is better, target 100
    return (ONE if x <= H else H / x) * N3


#: id → (weight, leaf group, N/A gives full marks, rule(x, env, cond, judged) → points before rounding).
Rule = Callable[[Any, Env, Cond, Mapping[str, Decimal]], Decimal]
INDICATORS: dict[str, tuple[Decimal, str, bool, Rule]] = {
    "goal_reasonableness": (N2, "投入/目标设定", False, lambda x, e, c, j: j["goal_reasonableness"]),
    "goal_clarity": (N2, "投入/目标设定", False, lambda x, e, c, j: j["goal_clarity"]),
    "staff_control_rate": (
        N3,
        "投入/预算配置",
        False,
        lambda x, e, c, j: _deduct(x - H, ONE, HALF, N3, ROUND_FLOOR),
    ),
    "sangong_change_rate": (
        N3,
        "投入/预算配置",
        False,
        lambda x, e, c, j: _deduct(x, ONE, HALF, N3, None),
    ),
    "key_spending_rate": (N3, "投入/预算配置", False, lambda x, e, c, j: _linear(x, N50, N90, N3)),
    "vehicle_control": (
        N2,
        "投入/预算配置",
        False,
        lambda x, e, c, j: _deduct(x, ONE, ONE, N2, ROUND_FLOOR),
    ),
    "budget_completion_rate": (
        N4,
        "过程/预算执行",
        False,
        lambda x, e, c, j: _deduct(H - x, N5, N2, N4, ROUND_FLOOR),
    ),
    "budget_adjustment_rate": (N3, "过程/预算执行", False, lambda x, e, c, j: _adjustment(x)),
    "payment_progress": (N3, "过程/预算执行", False, lambda x, e, c, j: _payment(x)),
    "carryover_change": (
        N2,
        "过程/预算执行",
        False,
        lambda x, e, c, j: _deduct(x, N5, HALF, N2, ROUND_CEILING),
    ),
    "sangong_control_rate": (
        N2,
        "过程/预算执行",
        False,
        lambda x, e, c, j: _deduct(x - H, ONE, HALF, N2, ROUND_CEILING),
    ),
    "building_area_control": (
        N2,
        "过程/预算执行",
        True,
        lambda x, e, c, j: _deduct(x - H, ONE, HALF, N2, ROUND_CEILING),
    ),
    "public_expense_control": (N3, "过程/预算执行", False, lambda x, e, c, j: _public_expense(x)),
    "management_rules": (
        N3,
        "过程/预算管理",
        False,
        lambda x, e, c, j: (
            (ONE if e["has_budget_rules"] else Z)
            + (ONE if e["has_asset_rules"] else Z)
            + (ONE if e["has_procurement_rules"] else Z)
        ),
    ),
    "funds_compliance": (
        N3,
        "过程/预算管理",
        False,
        lambda x, e, c, j: _deduct(x, ONE, ONE, N3, ROUND_FLOOR),
    ),
    "balance_control": (
        N2,
        "过程/预算管理",
        False,
        lambda x, e, c, j: _cases("balance_control", e, c, (N2, N1_5), Z),
    ),
    "info_disclosure": (
        N2,
        "过程/预算管理",
        False,
        lambda x, e, c, j: (ONE if e["budget_published"] else Z) + (ONE if e["accounts_published"] else Z),
    ),
    "asset_management": (
        N2,
        "过程/预算管理",
        False,
        lambda x, e, c, j: _cases("asset_management", {**e, "value": x}, c, (N2, N1_5), HALF),
    ),
    "procurement_compliance": (
        N2,
        "过程/预算管理",
        False,
        lambda x, e, c, j: _deduct(H - x, N10, ONE, N2, None),
    ),
    "audit_rectification": (N2, "过程/预算管理", False, lambda x, e, c, j: _ratio(x, H, N2)),
    "asset_utilization": (N2, "过程/预算管理", False, lambda x, e, c, j: _linear(x, N60, N95, N2)),
    "task_completion_rate": (N7, "产出/数量", False, lambda x, e, c, j: _ratio(x, H, N7)),
    "output_quantity": (N5, "产出/数量", False, lambda x, e, c, j: _quantity(x)),
    "timeliness_rate": (N5, "产出/时效", False, lambda x, e, c, j: _timeliness(x)),
    "quality_pass_rate": (N5, "产出/质量", False, lambda x, e, c, j: _linear(x, N80, H, N5)),
    "cost_control": (N5, "产出/成本", False, lambda x, e, c, j: _deduct(x, ONE, HALF, N5, None)),
    "social_benefit": (N6, "效果/效益", False, lambda x, e, c, j: j["social_benefit"]),
    "sustainability": (
        N4,
        "效果/效益",
        False,
        lambda x, e, c, j: _cases("sustainability", e, c, (N4, N2), Z),
    ),
    "satisfaction_rate": (N6, "效果/满意度", False, lambda x, e, c, j: _satisfaction(x)),
    "complaint_control": (
        N5,
        "效果/满意度",
        False,
        lambda x, e, c, j: _deduct(x - 2, HALF, ONE, N5, ROUND_CEILING),
    ),
}


def _group_members() -> dict[str, tuple[tuple[str, ...], Decimal]]:
    """Every level of the group tree → (member ids, weight)."""
    members: dict[str, list[str]] = {}
    for indicator_id, (_, group, _, _) in INDICATORS.items():
        parts = group.split("/")
        for depth in range(1, len(parts) + 1):
            members.setdefault("/".join(parts[:depth]), []).append(indicator_id)
    return {path: (tuple(ids), sum((INDICATORS[i][0] for i in ids), Z)) for path, ids in members.items()}


GROUPS = _group_members()


def _grade(percentage: Decimal) -> str:
    for minimum, label in GRADES:
        if percentage >= minimum:
            return label
    return GRADES[-1][1]


Formulas = Callable[[Mapping[str, Any], frozenset[str]], tuple[Env, Env]]


def hand_written(
    values: Mapping[str, Any],
    na: frozenset[str],
    judged: Mapping[str, Decimal],
    formulas: Formulas = python_formulas,
    cond: Cond = python_condition,
) -> tuple[dict[str, Decimal], dict[str, tuple[Decimal, str]], Decimal, str, Env]:
    """(rounded points by id, (points, grade) by group, total, grade, formula values) for thirty.yaml."""
    with decimal.localcontext(CTX):
        env, fv = formulas(values, na)
        rows: dict[str, Decimal] = {}
        for indicator_id, (weight, _, na_full, rule) in INDICATORS.items():
            if indicator_id in na:
                exact = weight if na_full else Z  # the set's default N/A policy is zero
            else:
                exact = rule(fv.get(indicator_id), env, cond, judged)
            rows[indicator_id] = exact.quantize(Q_POINTS, rounding=ROUND_HALF_UP)
        groups: dict[str, tuple[Decimal, str]] = {}
        for path, (members, weight) in GROUPS.items():
            points = Z
            for indicator_id in members:
                points += rows[indicator_id]
            groups[path] = (points, _grade(points / weight * H))
        row_sum = Z
        for points in rows.values():
            row_sum += points
        total = row_sum.quantize(Q_TOTAL, rounding=ROUND_HALF_UP)
        return rows, groups, total, _grade(total), fv


# --- (c) and (d): the formula part through simpleeval --------------------------------------------------

SE_FUNCTIONS = {"min": min, "max": max, "abs": abs}


class FormulaTexts:
    """The formula texts of the loaded set: derived names, indicator formulas, case conditions."""

    def __init__(self, indicator_set: scoring.IndicatorSet) -> None:
        self.derived = [(name, formula.text) for name, formula in indicator_set.derived]
        self.formulas = {i.id: i.formula.text for i in indicator_set.indicators if i.formula is not None}
        self.conditions = {
            (i.id, index): case.condition.text
            for i in indicator_set.indicators
            if i.rule.kind == "cases"
            for index, case in enumerate(i.rule.cases)
        }
        if set(self.formulas) != set(PY_FORMULAS) or set(self.conditions) != set(PY_CONDITIONS):
            raise SystemExit("benchmark out of date: the set's formulas differ from the hand-written ones")
        if [name for name, _ in self.derived] != [name for name, _ in PY_DERIVED]:
            raise SystemExit(
                "benchmark out of date: the set's derived names differ from the hand-written ones"
            )

    def count(self) -> int:
        return len(self.derived) + len(self.formulas) + len(self.conditions)


def reparsing(texts: FormulaTexts) -> tuple[Formulas, Cond]:
    """(c): ``simple_eval`` per formula, each call parsing its text again."""
    simple_eval = simpleeval.simple_eval

    def formulas(values: Mapping[str, Any], na: frozenset[str]) -> tuple[Env, Env]:
        env = dict(values)
        for name, text in texts.derived:
            env[name] = simple_eval(text, functions=SE_FUNCTIONS, names=env)
        fv = {
            i: simple_eval(text, functions=SE_FUNCTIONS, names=env)
            for i, text in texts.formulas.items()
            if i not in na
        }
        return env, fv

    def cond(indicator_id: str, index: int, scope: Mapping[str, Any]) -> Any:
        return simple_eval(texts.conditions[indicator_id, index], functions=SE_FUNCTIONS, names=scope)

    return formulas, cond


def preparsed(texts: FormulaTexts) -> tuple[Formulas, Cond]:
    """(d): one ``SimpleEval`` whose ASTs were parsed once; only the tree walk runs per evaluation."""
    evaluator = simpleeval.SimpleEval(functions=SE_FUNCTIONS)
    parse = simpleeval.SimpleEval.parse
    derived = [(name, text, parse(text)) for name, text in texts.derived]
    formulas_ = [(i, text, parse(text)) for i, text in texts.formulas.items()]
    conditions = {key: (text, parse(text)) for key, text in texts.conditions.items()}
    run = evaluator.eval

    def formulas(values: Mapping[str, Any], na: frozenset[str]) -> tuple[Env, Env]:
        env = dict(values)
        evaluator.names = env
        for name, text, tree in derived:
            env[name] = run(text, previously_parsed=tree)
        return env, {i: run(text, previously_parsed=tree) for i, text, tree in formulas_ if i not in na}

    def cond(indicator_id: str, index: int, scope: Mapping[str, Any]) -> Any:
        text, tree = conditions[indicator_id, index]
        evaluator.names = scope
        return run(text, previously_parsed=tree)

    return formulas, cond


# --- checking and timing -----------------------------------------------------------------------------


def verify(name: str, result: scoring.Result, outcome: tuple[Any, ...]) -> list[str]:
    """Differences between the engine's result and a hand-written outcome (empty when they agree)."""
    rows, groups, total, grade, fv = outcome
    problems = []
    engine_rows = {row.id: row for row in result.indicators}
    if set(engine_rows) != set(rows):
        problems.append(f"{name}: indicator ids differ: {sorted(set(engine_rows) ^ set(rows))}")
    for indicator_id, row in engine_rows.items():
        if rows.get(indicator_id) != row.points:
            problems.append(f"{name}: {indicator_id} points {rows.get(indicator_id)} != engine {row.points}")
        if row.value is not None and fv.get(indicator_id) != row.value:
            problems.append(f"{name}: {indicator_id} value {fv.get(indicator_id)} != engine {row.value}")
    for group in result.groups:
        if groups.get(group.path) != (group.points, group.grade):
            problems.append(
                f"{name}: group {group.path} {groups.get(group.path)} != engine {(group.points, group.grade)}"
            )
    if len(groups) != len(result.groups):
        problems.append(f"{name}: {len(groups)} groups != engine {len(result.groups)}")
    if (total, grade) != (result.total, result.grade):
        problems.append(f"{name}: total {total} {grade} != engine {result.total} {result.grade}")
    return problems


def _run(fn: Callable[[], Any], number: int) -> float:
    loop = itertools.repeat(None, number)
    start = time.perf_counter()
    for _ in loop:
        fn()
    return time.perf_counter() - start


def _calibrate(fn: Callable[[], Any], target: float) -> int:
    """Repetitions for one round to take about ``target`` seconds."""
    number = 1
    while True:
        elapsed = _run(fn, number)
        if elapsed >= target / 4 or number >= 1 << 24:
            return max(1, round(number * target / max(elapsed, 1e-9)))
        number *= 2


def measure(cases: dict[str, Callable[[], Any]], rounds: int, target: float) -> dict[str, list[float]]:
    """Seconds per call of each case in every round; rounds are interleaved so drift hits every case alike."""
    numbers = {key: _calibrate(fn, target) for key, fn in cases.items()}
    times: dict[str, list[float]] = {key: [] for key in cases}
    for _ in range(rounds):
        for key, fn in cases.items():
            gc.collect()
            times[key].append(_run(fn, numbers[key]) / numbers[key])
    return times


def engine_formulas(
    indicator_set: scoring.IndicatorSet, values: Mapping[str, Any], na: frozenset[str]
) -> Formulas:
    """The engine's compiled formulas alone (derived names, then indicator formulas), as a formula back-end."""
    derived = indicator_set.derived
    formulas = [
        (i.id, i.formula) for i in indicator_set.indicators if i.formula is not None and i.id not in na
    ]

    def run(values: Mapping[str, Any], na: frozenset[str]) -> tuple[Env, Env]:
        env = dict(values)
        for name, formula in derived:
            env[name] = formula.evaluate(env)
        return env, {i: formula.evaluate(env) for i, formula in formulas}

    return run


def in_context(formulas: Formulas, values: Mapping[str, Any], na: frozenset[str]) -> Callable[[], Any]:
    """A formula back-end run alone, in the engine's arithmetic."""

    def run() -> Any:
        with decimal.localcontext(CTX):
            return formulas(values, na)

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fast smoke run (few short rounds)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a/b is above the required 3")
    args = parser.parse_args(argv)
    rounds, target = (3, 0.03) if args.quick else (7, 0.2)

    indicator_set = scoring.load_set(SET_PATH)
    unit = scoring.load_unit(UNIT_PATH, indicator_set)
    values = unit.values
    na = unit.not_applicable
    judged = {key: award.points for key, award in unit.judgments.items()}
    texts = FormulaTexts(indicator_set)
    se_formulas, se_cond = reparsing(texts)
    pp_formulas, pp_cond = preparsed(texts)
    compiled = engine_formulas(indicator_set, values, na)

    cases: dict[str, Callable[[], Any]] = {
        "a": lambda: scoring.evaluate(indicator_set, unit),
        "a+": lambda: scoring.evaluate(indicator_set, unit).to_dict(),
        "b": lambda: hand_written(values, na, judged),
        "c": lambda: hand_written(values, na, judged, se_formulas, se_cond),
        "d": lambda: hand_written(values, na, judged, pp_formulas, pp_cond),
        "fa": in_context(compiled, values, na),
        "fb": in_context(python_formulas, values, na),
        "fc": in_context(se_formulas, values, na),
        "fd": in_context(pp_formulas, values, na),
    }

    result = scoring.evaluate(indicator_set, unit)
    problems = []
    for key in ("b", "c", "d"):
        problems += verify(key, result, cases[key]())
    engine_values = cases["fa"]()[1]
    for key in ("fb", "fc", "fd"):
        if cases[key]()[1] != engine_values:
            problems.append(f"{key}: formula values differ from the engine's compiled formulas")
    if problems:
        print("MISMATCH between scoring.evaluate and the hand-written scorers:", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        return 1

    times = measure(cases, rounds, target)
    loads = measure(
        {
            "set": lambda: scoring.load_set(SET_PATH),
            "unit": lambda: scoring.load_unit(UNIT_PATH, indicator_set),
        },
        max(2, rounds - 2),
        target,
    )

    us = {key: min(seconds) * 1e6 for key, seconds in times.items()}
    a = us["a"]
    n_formulas = len(indicator_set.derived) + len(engine_values)
    print(
        f"single-unit benchmark: {len(indicator_set.indicators)} indicators ({len(na)} N/A), "
        f"{len(indicator_set.derived)} derived, {len(result.groups)} groups; total {result.total} {result.grade}"
    )
    print(
        f"python {platform.python_version()}, simpleeval {package_version('simpleeval')}, "
        f"scoring {scoring.__version__}; best of {rounds} rounds{' (--quick)' if args.quick else ''}; "
        "(a)-(d) agree on every value, point, subtotal and the total"
    )
    print()
    print(f"{'per unit':42} {'µs':>8} {'÷ (a)':>7}")
    labels = {
        "a": "(a)  scoring.evaluate, with trace",
        "a+": "(a+) evaluate + to_dict (trace as text)",
        "b": "(b)  hand-written Decimal",
        "c": "(c)  simple_eval, re-parse each formula",
        "d": "(d)  SimpleEval, pre-parsed ASTs",
    }
    for key, label in labels.items():
        print(f"{label:42} {us[key]:8.1f} {us[key] / a:7.2f}")
    print()
    print(f"{f'formulas alone ({n_formulas} per unit)':42} {'µs':>8} {'µs each':>8}")
    formula_labels = {
        "fa": "engine: compiled code objects",
        "fb": "hand-written Python",
        "fc": "simple_eval, re-parse each time",
        "fd": "SimpleEval, pre-parsed ASTs",
    }
    for key, label in formula_labels.items():
        print(f"{label:42} {us[key]:8.1f} {us[key] / n_formulas:8.2f}")
    print()
    ratio = a / us["b"]
    paired = sorted(x / y for x, y in zip(times["a"], times["b"], strict=True))
    verdict = "OK" if ratio <= 3 else "NOT MET"
    aim = "aim of 2 met" if ratio <= 2 else "aim of 2 not met"
    print(
        f"a/b = {ratio:.2f}  (required ≤ 3: {verdict}; {aim}; per-round a/b {paired[0]:.2f}–{paired[-1]:.2f})"
    )
    print(f"c/a = {us['c'] / a:.2f}   d/a = {us['d'] / a:.2f}")
    print(
        f"load + validate: set {min(loads['set']) * 1e3:.2f} ms (scoring.load_set), "
        f"unit {min(loads['unit']) * 1e3:.2f} ms (scoring.load_unit, set given)"
    )
    return 1 if args.strict and ratio > 3 else 0


if __name__ == "__main__":
    sys.exit(main())
