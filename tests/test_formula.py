"""The formula language: what is allowed, exact decimals, and agreement with simpleeval on the checked subset."""

from __future__ import annotations

import ast
import decimal
from collections.abc import Callable
from decimal import Decimal as D

import pytest
import simpleeval
from hypothesis import given
from hypothesis import strategies as st

from scoring.errors import FormulaError
from scoring.formula import compile_formula
from scoring.formula.functions import FUNCTIONS, as_number
from scoring.formula.functions import power as _pow
from scoring.limits import MAX_FORMULA_LENGTH as MAX_LENGTH
from scoring.numbers import CONTEXT
from tests.profiles import examples

NAMES = ("a", "b", "c")


def value(text: str, **env: object) -> object:
    with decimal.localcontext(CONTEXT):
        return compile_formula(text, env.keys()).evaluate(env)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.1 + 0.2", D("0.3")),
        ("1 / 4", D("0.25")),
        ("7 % 3", D("1")),
        ("2 ** 10", D("1024")),
        ("-a + +a", D("0")),
        ("min(3, 1, 2) + max(1, 5)", D("6")),
        ("abs(-2.5)", D("2.5")),
        ("round(2.345, 2)", D("2.35")),  # half-up, unlike Python's round on floats
        ("round(2.5)", D("3")),
        ("clamp(120, 0, 100)", D("100")),
        ("1 if a > 1 else 2", D("1")),
        ("a > 1 and a < 3", True),
        ("not a == 2 or False", False),
        ("1 < a <= 2", True),
    ],
)
def test_allowed_expressions(text: str, expected: object) -> None:
    assert value(text, a=D(2)) == expected


def test_literals_keep_their_written_text() -> None:
    assert value("0.10") == D("0.10")
    assert value("1e3") == D("1E+3")
    assert value("1_000") == D("1000")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a.real", "attribute access"),
        ("().__class__.__bases__", "attribute access"),
        ("a[0]", "subscripts"),
        ("'text'", "text strings"),
        ("lambda: 1", "lambda"),
        ("[x for x in a]", "comprehensions"),
        ("(b := 1)", "assignment"),
        ("f'{a}'", "f-strings"),
        ("open('x')", "call to 'open'"),
        ("__import__('os')", "call to '__import__'"),
        ("min(*a)", "starred"),
        ("round(a, ndigits=2)", "keyword"),
        ("1 << 10", "operator '<<'"),
        ("a // 2", "operator '//'"),
        ("a in b", "comparison 'in'"),
        ("2 ** 101", "exponent 101 is too large"),
        ("9 ** 9 ** 9", "exponent"),
        ("10 ** 3999999 > 0", "exponent 3999999 is too large"),
        ("zz + 1", "unknown name 'zz'"),
        ("min", "without calling"),
        ("clamp(a, 1)", "clamp() takes 3 arguments"),
        ("1 +", "does not parse"),
        ("", "empty"),
        ("1j", "constant"),
    ],
)
def test_rejected_at_load(text: str, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula(text, ["a", "b"], subject="row")
    message = str(info.value)
    assert fragment in message
    if text:
        assert "'row'" in message


def test_length_and_size_caps() -> None:
    with pytest.raises(FormulaError, match="characters long"):
        compile_formula("a + " * (MAX_LENGTH // 4) + "a", ["a"])
    with pytest.raises(FormulaError, match="parts"):
        compile_formula("+".join(["a"] * 200), ["a"])
    with pytest.raises(FormulaError):
        compile_formula("(" * 300 + "a" + ")" * 300, ["a"])


def test_unknown_name_suggests_a_declared_one() -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula("staf_quota * 2", ["staff_quota"])
    assert info.value.problems[0].hint == "did you mean 'staff_quota'?"
    assert info.value.problems[0].code == "unknown-name"


def test_all_problems_reported() -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula("x.y + zz + 'q'", ["a"])
    assert len(info.value.problems) == 3


def test_power_bound_applies_to_computed_exponents() -> None:
    with pytest.raises(ArithmeticError, match="exponent"):
        value("2 ** a", a=D(1000))


# --- the compiled form agrees with simpleeval on every checked formula ----------------------------------

numbers = st.integers(min_value=-20, max_value=20).map(str)
leaves = st.one_of(numbers, st.sampled_from(NAMES))


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(
        children, st.sampled_from(["+", "-", "*", "/", "%", "<", "<=", "==", "!=", "and", "or"]), children
    )
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        children.map(lambda c: f"(-{c})"),
        children.map(lambda c: f"(not {c})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        children.map(lambda c: f"abs({c})"),
        st.tuples(children, numbers, numbers).map(
            lambda t: f"clamp({t[0]}, {min(t[1], t[2], key=int)}, {max(t[1], t[2], key=int)})"
        ),
        st.tuples(children, exponents).map(lambda t: f"({t[0]} ** {t[1]})"),
    )


exponents = st.one_of(
    st.integers(0, 3).map(str),
    st.integers(-2, 3).map(lambda n: f"({n})"),
    st.tuples(st.integers(0, 2), st.integers(0, 1)).map(lambda t: f"({t[0]} + {t[1]})"),
)
expressions = st.recursive(leaves, _combine, max_leaves=12)
environments = st.fixed_dictionaries({name: st.decimals(-100, 100, places=2) for name in NAMES})


class DecimalSimpleEval(simpleeval.SimpleEval):
    """simpleeval reading number literals as exact decimals, as the formula language does."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.nodes[ast.Constant] = self._decimal_constant
        self.operators[ast.Pow] = _pow  # the same bounded power (0 ** -1 is an error, not Infinity)
        # arithmetic counts true/false as 1 and 0, as Decimals (never Python's own int or float)
        for op in (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.Pow):
            self.operators[op] = _on_numbers(self.operators[op])
        for op in (ast.USub, ast.UAdd):
            self.operators[op] = _on_numbers(self.operators[op])

    @staticmethod
    def _decimal_constant(node: ast.Constant) -> object:
        is_number = isinstance(node.value, int | float) and not isinstance(node.value, bool)
        return D(str(node.value)) if is_number else node.value


def _on_numbers(operator: Callable[..., object]) -> Callable[..., object]:
    """An arithmetic operator as formulas apply it: true/false operands count as 1 and 0."""
    return lambda *args: operator(*(as_number(arg) for arg in args))


def _numeric(function: Callable[..., object]) -> Callable[..., object]:
    """The function as formulas call it: true/false arguments count as 1 and 0 (and simpleeval's own whole
    numbers, from arithmetic on true/false, as the Decimals formulas compute instead)."""
    return lambda *args: function(*(as_number(D(arg) if type(arg) is int else arg) for arg in args))


def _outcome(run: object) -> object:
    try:
        with decimal.localcontext(CONTEXT):
            result = run()  # type: ignore[operator]
    except (ArithmeticError, TypeError, ValueError):
        return "error"
    return result


# An example costs about 3 ms and the space of expressions is large: this test takes 7.5 times the profile's
# examples (300 under 'dev').
@examples(300)
@given(expressions, environments)
def test_compiled_form_matches_simpleeval(text: str, env: dict[str, D]) -> None:
    formula = compile_formula(text, NAMES)
    functions = {name: _numeric(implementation) if numeric else implementation
                 for name, (implementation, _, _, numeric) in FUNCTIONS.items()}  # fmt: skip
    reference = DecimalSimpleEval(names=dict(env), functions=functions)
    ours = _outcome(lambda: formula.evaluate(dict(env)))
    theirs = _outcome(lambda: reference.eval(text))
    if isinstance(ours, D) and isinstance(theirs, D) and ours != theirs:
        # divisions are moved last (a / b * c → a * c / b), so inexact results may differ in the 50th digit
        assert abs(ours - theirs) <= abs(theirs) * D("1e-45") + D("1e-45"), text
    else:
        assert ours == theirs, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 / 3 * 150", D("100")),
        ("150 * (2 / 3)", D("100")),
        ("1 / 3 / 7 * 21", D("1")),
        ("a / 3 * 3", D("2")),
    ],
)
def test_divisions_are_done_last_so_exact_results_stay_exact(text: str, expected: D) -> None:
    assert value(text, a=D(2)) == expected


@pytest.mark.parametrize(
    ("text", "x", "expected"),
    [
        ("x * 10 ** -4", "50000", "5"),
        ("(x * 3) * 10 ** -4", "50000", "15"),
        ("x ** (1 / 2) * x ** (1 / 2)", "49", "49"),
        ("2 ** (1 + 1) * x", "3", "12"),
        ("  x +\n 10", "1", "11"),
    ],
)
def test_constant_exponents_do_not_disturb_the_formula(text: str, x: str, expected: str) -> None:
    """Checking a constant exponent at load must not change the literals of the compiled formula."""
    assert value(text, x=D(x)) == D(expected)
