"""A checked formula tree rewritten for execution, then compiled once to a code object.

Number literals become exact :class:`~decimal.Decimal` constants from their written text; ``**`` and the
functions become calls to the bounded implementations in :mod:`scoring.formula.functions`; every operand of
arithmetic that may be true/false is converted to a Decimal (``True + True`` is 2, a Decimal, never a Python
integer of unbounded size); divisions move outward so that exact results stay exact.
"""

from __future__ import annotations

import ast
import copy
import decimal
from decimal import Decimal
from typing import Any

from ..numbers import CONTEXT
from .check import Kind
from .functions import FUNCTIONS, scope


def _is_division(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)


def divide_last(node: ast.BinOp) -> ast.BinOp:
    """Move divisions outward: a / b * c → a * c / b and a / b / c → a / (b * c).

    Equal in exact arithmetic; with decimals it keeps results exact whenever the true result is (2 / 3 * 150
    is exactly 100, not 99.999…), so a value on a band's boundary lands in the right band.
    """
    left, right = node.left, node.right
    if isinstance(node.op, ast.Mult) and isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div):
        product = ast.BinOp(left=left.left, op=ast.Mult(), right=right)
        return ast.copy_location(ast.BinOp(left=product, op=ast.Div(), right=left.right), node)
    if isinstance(node.op, ast.Mult) and isinstance(right, ast.BinOp) and isinstance(right.op, ast.Div):
        product = ast.BinOp(left=left, op=ast.Mult(), right=right.left)
        return ast.copy_location(ast.BinOp(left=product, op=ast.Div(), right=right.right), node)
    if isinstance(node.op, ast.Div) and isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div):
        divisor = ast.BinOp(left=left.right, op=ast.Mult(), right=right)
        return ast.copy_location(ast.BinOp(left=left.left, op=ast.Div(), right=divisor), node)
    return node


def _call(name: str, args: list[ast.expr], like: ast.AST) -> ast.Call:
    return ast.copy_location(ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=[]), like)


class Compiler(ast.NodeTransformer):
    """Rewrites a checked tree for execution (see the module docstring). ``kinds`` are the checker's."""

    def __init__(self, text: str, names: dict[str, Any], kinds: dict[int, Kind]) -> None:
        self.text = text
        self.scope = names
        self.kinds = kinds

    def number(self, node: ast.expr, original: ast.AST) -> ast.expr:
        """``node`` (compiled from ``original``) converted to a number unless it surely is one."""
        return node if self.kinds.get(id(original)) == "number" else _call("_num", [node], node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, bool | str):  # a quoted text is allowed only where it is compared as text
            return node
        written = ast.get_source_segment(self.text, node) or repr(node.value)
        name = f"_k{len(self.scope)}"
        self.scope[name] = Decimal(written)
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        left, right = node.left, node.right
        node.left = self.number(self.visit(left), left)
        node.right = self.number(self.visit(right), right)
        node = divide_last(node)
        if isinstance(node.op, ast.Pow):
            return _call("_pow", [node.left, node.right], node)
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        operand = node.operand
        node.operand = self.visit(operand)
        if not isinstance(node.op, ast.Not):
            node.operand = self.number(node.operand, operand)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        assert isinstance(node.func, ast.Name)
        numeric = FUNCTIONS[node.func.id][3]
        originals = list(node.args)
        node.args = [self.visit(arg) for arg in originals]
        if numeric:
            node.args = [
                self.number(arg, original) for arg, original in zip(node.args, originals, strict=True)
            ]
        node.func = ast.copy_location(ast.Name(id=f"_{node.func.id}", ctx=ast.Load()), node.func)
        return node


def compile_tree(text: str, tree: ast.Expression, kinds: dict[int, Kind]) -> tuple[Any, dict[str, Any]]:
    """(code object, globals) of a checked tree."""
    names = scope()
    compiled = ast.fix_missing_locations(Compiler(text, names, kinds).visit(tree))
    return compile(compiled, "<formula>", "eval"), names


def evaluate_constant(text: str, expression: ast.expr) -> Decimal:
    """The value of an expression of constants alone (a power's exponent, checked at load)."""
    from .check import Checker

    copied = copy.deepcopy(
        expression
    )  # the compiler rewrites nodes in place: the formula's own tree stays intact
    checker = Checker(text, {}, None, None)
    checker.visit(copied)
    code, names = compile_tree(text, ast.Expression(body=copied), checker.kinds)
    with decimal.localcontext(CONTEXT):
        value = eval(code, names, {})
    number: Decimal = Decimal(value) if isinstance(value, bool) else value
    return number
