"""A formula evaluated over whole columns: the checked formula's tree walked once per chunk, each node an
array operation of :mod:`scoring.columnar.approx`.

The formula was checked when the set was loaded (:mod:`scoring.formula.check`), so only the allowed nodes
occur here. Each node gives a number of the lane (a :class:`~scoring.columnar.approx.Num`, or an
exact :class:`~scoring.columnar.rational.Rat`) or a
:class:`~scoring.columnar.approx.Bool`, as the engine's Decimal or bool; rows where a decision was too close
to call, or where the engine would fail (a division by a zero, a power of a negative number), are added to
the :class:`Unsure` mask, to be recomputed by the scalar engine. A construct this evaluator does not take
(``and``/``or`` on numbers, ``min`` of true/false values, a branch giving a number on one side and
true/false on the other) raises :class:`Unsupported`, and the caller sends every row to the scalar engine.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ..formula import Formula
from ..formula.compile import divide_last, evaluate_constant
from .approx import Bool

#: A column: a number (the lane's own kind: float with a bound, or exact rational) or true/false.
Value = Any


class Unsupported(Exception):
    """The formula uses a construct the columnar evaluator leaves to the scalar engine."""


class Unsure:
    """The rows some decision could not settle (an OR of boolean masks)."""

    def __init__(self, np: Any, rows: int) -> None:
        self.mask = np.zeros(rows, dtype=bool)

    def add(self, rows: Any) -> None:
        self.mask |= rows


def constant(ops: Any, number: Decimal) -> Any:
    """A Decimal constant as a column of the lane's numbers."""
    return ops.constant(number)


def as_num(ops: Any, value: Value, unsure: Unsure) -> Any:
    """true/false as 1/0 (arithmetic on them is the engine's too: ``True + True`` is 2)."""
    if isinstance(value, Bool):
        unsure.add(value.unsure)
        return ops.from_bool(value)
    return value


def as_bool(ops: Any, value: Value, unsure: Unsure) -> Bool:
    """A value's truth: a number is true when it is not 0."""
    if isinstance(value, Bool):
        return value
    truth: Bool = ops.compare(value, ops.constant(Decimal(0)), "!=")
    return truth


class _DivideLast(ast.NodeTransformer):
    """The engine's rewriting of divisions (a / b * c → a * c / b), applied bottom-up as it does."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        return divide_last(node)


_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


class ColumnFormula:
    """One formula, ready to evaluate over columns (name → column)."""

    def __init__(self, formula: Formula) -> None:
        self.formula = formula
        self.tree = _DivideLast().visit(ast.parse(formula.text, mode="eval").body)

    def evaluate(self, env: Mapping[str, Value], ops: Any, unsure: Unsure) -> Value:
        walker = _Walker(self.formula.text, env, ops, unsure)
        result = walker.visit(self.tree)
        if not isinstance(result, Bool):
            unsure.add(ops.invalid(result))
        return result


class _Walker:
    def __init__(self, text: str, env: Mapping[str, Value], ops: Any, unsure: Unsure) -> None:
        self.text = text
        self.env = env
        self.ops = ops
        self.unsure = unsure

    def visit(self, node: ast.AST) -> Value:
        method: Callable[[Any], Value] | None = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise Unsupported(type(node).__name__)
        return method(node)

    def number(self, node: ast.AST) -> Any:
        return as_num(self.ops, self.visit(node), self.unsure)

    def truth(self, node: ast.AST) -> Bool:
        value = as_bool(self.ops, self.visit(node), self.unsure)
        self.unsure.add(value.unsure)
        return value

    def visit_Constant(self, node: ast.Constant) -> Value:
        ops = self.ops
        if isinstance(node.value, bool):
            np = ops.np
            return Bool(np.full(ops.rows, node.value), np.zeros(ops.rows, dtype=bool))
        if isinstance(node.value, str):
            raise Unsupported("text in quotes")  # compared with a text input, which has no column
        written = ast.get_source_segment(self.text, node) or repr(node.value)  # exact, as the engine reads it
        return ops.constant(Decimal(written))

    def visit_Name(self, node: ast.Name) -> Value:
        value = self.env.get(node.id)
        if (
            value is None
        ):  # an input no column gives: the rows that need it are the engine's (it reports them)
            return self.ops.nothing()
        return value

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Value:
        if isinstance(node.op, ast.Not):
            truth = self.truth(node.operand)
            return Bool(~truth.v, truth.unsure)
        operand = self.number(node.operand)
        return self.ops.neg(operand) if isinstance(node.op, ast.USub) else operand

    def visit_BinOp(self, node: ast.BinOp) -> Value:
        ops = self.ops
        if isinstance(node.op, ast.Pow):
            exponent = evaluate_constant(self.text, node.right)
            result, doubtful = ops.power(self.number(node.left), float(exponent))
            self.unsure.add(doubtful)
            return result
        # the engine moves divisions outward (a / b * c → a * c / b); the bounds hold either way
        left, right = self.number(node.left), self.number(node.right)
        if isinstance(node.op, ast.Add):
            return ops.add(left, right)
        if isinstance(node.op, ast.Sub):
            return ops.sub(left, right)
        if isinstance(node.op, ast.Mult):
            return ops.mul(left, right)
        if isinstance(node.op, ast.Div):
            quotient, doubtful = ops.div(left, right)
            self.unsure.add(doubtful)
            return quotient
        if isinstance(node.op, ast.Mod):
            return self.remainder(left, right)
        raise Unsupported(type(node.op).__name__)

    def remainder(self, a: Any, b: Any) -> Any:
        result, unsure = self.ops.remainder(a, b)
        self.unsure.add(unsure)
        return result

    def visit_BoolOp(self, node: ast.BoolOp) -> Value:
        values = [value for value in map(self.visit, node.values) if isinstance(value, Bool)]
        if len(values) != len(node.values):
            raise Unsupported("and/or on numbers")
        truth = values[0].v.copy()
        for value in values:
            truth = (truth & value.v) if isinstance(node.op, ast.And) else (truth | value.v)
            self.unsure.add(value.unsure)  # (every operand counts: a settled one could have decided alone)
        return Bool(truth, truth & False)

    def visit_Compare(self, node: ast.Compare) -> Value:
        ops = self.ops
        left = self.number(node.left)
        truth: Any = None
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.number(right_node)
            result = ops.compare(left, right, _COMPARE[type(op)])
            self.unsure.add(result.unsure)
            truth = result.v if truth is None else truth & result.v
            left = right
        return Bool(truth, truth & False)

    def visit_IfExp(self, node: ast.IfExp) -> Value:
        test = self.truth(node.test)
        body, orelse = self.visit(node.body), self.visit(node.orelse)
        if not isinstance(body, Bool) and not isinstance(orelse, Bool):
            return self.ops.select(test.v, body, orelse)
        if isinstance(body, Bool) and isinstance(orelse, Bool):
            np = self.ops.np
            return Bool(np.where(test.v, body.v, orelse.v), np.where(test.v, body.unsure, orelse.unsure))
        raise Unsupported("a branch of a number and a true/false value")

    def visit_Call(self, node: ast.Call) -> Value:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        args = [self.visit(arg) for arg in node.args]
        if any(isinstance(arg, Bool) for arg in args):
            raise Unsupported(f"{name}() of true/false values")
        ops = self.ops
        if name in ("min", "max"):
            combine = ops.minimum if name == "min" else ops.maximum
            result = args[0]
            for arg in args[1:]:
                result = combine(result, arg)
            return result
        if name == "abs":
            return ops.absolute(args[0])
        if name == "clamp":
            value, low, high = args
            inverted = ops.compare(low, high, ">")
            self.unsure.add(inverted.v | inverted.unsure)  # the engine fails when low > high
            return ops.minimum(ops.maximum(value, low), high)
        if name == "round":
            places = evaluate_constant(self.text, node.args[1]) if len(node.args) > 1 else Decimal(0)
            if places != places.to_integral_value() or not 0 <= places <= 12:
                self.unsure.add(ops.np.ones(ops.rows, dtype=bool))  # the engine fails
                return args[0]
            result, unsure = ops.round_half_up(args[0], int(places))
            self.unsure.add(unsure)
            return result
        raise Unsupported(name)
