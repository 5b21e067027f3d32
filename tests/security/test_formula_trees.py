"""Fuzzing the formula compiler with generated expression trees, evaluated on extreme inputs.

Random text mostly fails to parse; trees built from the language's own grammar reach the compiler and the
evaluator in every combination — true/false in arithmetic, powers of powers, division by zero, huge and
tiny numbers. Every accepted formula must evaluate within the budget on 0, ±10^24 (just under: that is
refused as data), ±10^-24 and true/false,
to a Decimal or true/false of bounded size, or fail with a located :class:`scoring.ScoringError`.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import scoring

from .conftest import run_timed

LEAVES = st.sampled_from(["x", "y", "b", "d", "0", "1", "2.5", "100", "1e24", "1e-24", "True", "False"])
BINARY = st.sampled_from(["+", "-", "*", "/", "%", "**", "<", ">=", "==", "and", "or"])
UNARY = st.sampled_from(["-", "+", "not "])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, BINARY, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(UNARY, children).map(lambda t: f"({t[0]}{t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=2, max_size=4)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(st.sampled_from(["abs", "round"]), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
    )


TREES = st.recursive(LEAVES, _combine, max_leaves=20)
#: The largest and smallest figures data may hold (10^24 itself is refused when read), and zero.
EXTREMES = [Decimal(0), Decimal("9.999999e23"), Decimal("-9.999999e23"), Decimal("1e-24"), Decimal("-1e-24")]


def _set(formula: str) -> str:
    return (
        "format: scoring/1\nid: tree\ntotal: 10\ngrades: [{label: A, min: 0}]\n"
        "inputs: {x: {}, y: {}, b: {type: boolean}}\nderived: {d: 'x > y or b'}\n"
        f"indicators:\n  - {{id: row, weight: 10, formula: {json.dumps(formula)}, rule: {{linear: {{zero_at: 0, full_at: 1}}}}}}\n"
    )


def _bounded(value: object) -> bool:
    if isinstance(value, bool):
        return True
    assert isinstance(value, Decimal), value
    return len(value.as_tuple().digits) <= 50 and abs(value.adjusted()) <= 10_000


@given(TREES)
def test_every_accepted_formula_evaluates_within_the_budget(formula: str) -> None:
    loaded = run_timed(
        f"load {formula[:60]}", lambda: scoring.parse_set(_set(formula), "set.yaml"), limit=1.0
    )
    if loaded.error is not None:
        error = loaded.raised()
        assert isinstance(error, scoring.DefinitionError), f"{formula}: {error!r}"
        assert all(problem.location is not None for problem in error.problems)
        return
    indicator_set = loaded.result
    for x in EXTREMES:
        for y, b in ((Decimal(1), True), (x, False), (-x, True)):
            unit = {"values": {"x": x, "y": y, "b": b}}
            outcome = run_timed(
                f"evaluate {formula[:60]}", lambda unit=unit: scoring.evaluate(indicator_set, unit), 1.0
            )
            if outcome.error is not None:
                error = outcome.raised()
                assert isinstance(error, scoring.EvaluationError), f"{formula} with {unit}: {error!r}"
                assert all(problem.location is not None for problem in error.problems)
                continue
            row = outcome.result.indicator("row")
            assert _bounded(row.value), f"{formula} with {unit}: {row.value}"
            assert len(outcome.result.to_json()) < 20_000
