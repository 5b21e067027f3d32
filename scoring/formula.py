"""The formula language: parsed and checked once against an allowlist, then compiled.

A formula is a Python-syntax expression restricted to numbers, declared names, arithmetic
(``+ - * / %`` and ``**`` with a bounded exponent), comparisons, ``and``/``or``/``not``,
``x if c else y`` and the functions ``min``, ``max``, ``abs``, ``round`` (half-up) and ``clamp``.
Everything else — attributes, subscripts, strings, lambdas, comprehensions, other calls — is rejected at
load time, so a definition from a stranger cannot reach any Python object. The checked tree is compiled to
a code object whose only globals are our functions and its own constants; number literals become exact
:class:`~decimal.Decimal` values from their written text.
"""

from __future__ import annotations

import ast
import copy
import decimal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import CodeType
from typing import Any

from . import limits
from .errors import FormulaError, Location, Problem, did_you_mean
from .numbers import CONTEXT, ROUNDING_HALF_UP, ZERO, within_magnitude


class FormulaFailure(ArithmeticError):
    """A formula cannot be computed on these values (a function given values outside its domain)."""


class PowerTooLarge(FormulaFailure):
    """Raised at evaluation when an exponent computed from data exceeds :data:`limits.MAX_POWER`."""


def _pow(base: Any, exponent: Any) -> Any:
    if abs(exponent) > limits.MAX_POWER:
        raise PowerTooLarge(f"exponent {exponent} is larger than {limits.MAX_POWER}")
    result = base**exponent
    if isinstance(result, Decimal) and not result.is_finite():  # 0 ** -1 is Infinity without a signal
        raise FormulaFailure(f"{base} ** {exponent} has no finite value")
    return result


def _min(*args: Any) -> Any:
    return min(args)


def _max(*args: Any) -> Any:
    return max(args)


def _abs(value: Any) -> Any:
    return abs(value)


def _round(value: Any, places: Any = ZERO) -> Decimal:
    if places != int(places) or not 0 <= places <= 12:
        raise FormulaFailure(f"round() places must be a whole number from 0 to 12, not {places}")
    return Decimal(value).quantize(
        Decimal(1).scaleb(-int(places)), rounding=ROUNDING_HALF_UP, context=CONTEXT
    )


def _clamp(value: Any, low: Any, high: Any) -> Any:
    if low > high:
        raise FormulaFailure(f"clamp() lower bound {low} is above upper bound {high}")
    return min(max(value, low), high)


#: name → (implementation, fewest arguments, most arguments or None for any number)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int | None]] = {
    "min": (_min, 2, None),
    "max": (_max, 2, None),
    "abs": (_abs, 1, 1),
    "round": (_round, 1, 2),
    "clamp": (_clamp, 3, 3),
}

#: Words that cannot be used as input or derived names.
RESERVED_NAMES = frozenset(FUNCTIONS) | {"value", "True", "False", "true", "false"}

_BINARY_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.Pow)
_UNARY_OPS = (ast.UAdd, ast.USub, ast.Not)
_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts ([...])",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.NamedExpr: "assignment (:=)",
    ast.JoinedStr: "f-strings",
    ast.Starred: "starred arguments",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}
_OP_SYMBOLS = {ast.FloorDiv: "//", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&"}
_OP_SYMBOLS |= {ast.BitXor: "^", ast.MatMult: "@", ast.Invert: "~", ast.Is: "is", ast.IsNot: "is not"}
_OP_SYMBOLS |= {ast.In: "in", ast.NotIn: "not in"}


@dataclass(frozen=True, eq=False)
class Formula:
    """A checked, compiled formula. ``names`` are the declared names it reads."""

    text: str
    names: frozenset[str]
    code: CodeType = field(repr=False)
    scope: dict[str, Any] = field(repr=False)

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """Evaluate against ``env`` (name → Decimal or bool). Run inside ``decimal.localcontext(CONTEXT)``."""
        return eval(self.code, self.scope, env)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class _Checker:
    """Walks a parsed formula, collecting every disallowed construct and unknown name."""

    def __init__(
        self, text: str, allowed: frozenset[str], where: Location | None, subject: str | None
    ) -> None:
        self.text = text
        self.allowed = allowed
        self.where = where
        self.subject = subject
        self.problems: list[Problem] = []
        self.names: set[str] = set()

    def fail(
        self, node: ast.AST | None, message: str, hint: str | None = None, code: str = "formula"
    ) -> None:
        column = getattr(node, "col_offset", None)
        position = f" (at character {column + 1})" if column is not None else ""
        owner = f" in formula of '{self.subject}'" if self.subject else ""
        shown = f": {self.text}" if self.text else ""
        self.problems.append(
            Problem(code, f"{message}{owner}{position}{shown}", self.where, self.subject, hint)
        )

    def visit(self, node: ast.AST) -> None:
        match node:
            case ast.Expression(body=body):
                self.visit(body)
            case ast.Constant(value=value):
                if isinstance(value, bool):
                    return
                if isinstance(value, int | float):
                    self._check_literal(node, ast.get_source_segment(self.text, node) or "")
                    return
                kind = "text strings are" if isinstance(value, str | bytes) else f"the constant {value!r} is"
                self.fail(node, f"{kind} not allowed", "formulas work on numbers and true/false only")
            case ast.Name(id=name):
                if name in ("True", "False"):
                    return
                written = ast.get_source_segment(self.text, node)
                if written is not None and written != name:  # Python reads full-width ｘ as x
                    self.fail(node, f"name '{written}' is written with characters Python reads as '{name}'",
                              f"write '{name}'")  # fmt: skip
                    return
                if name in self.allowed:
                    self.names.add(name)
                elif name in FUNCTIONS:
                    self.fail(node, f"function '{name}' used without calling it")
                else:
                    self.fail(
                        node,
                        f"unknown name '{name}'",
                        did_you_mean(name, self.allowed) or "declare it under inputs or derived",
                        code="unknown-name",
                    )
            case ast.BinOp(left=left, op=op, right=right):
                if not isinstance(op, _BINARY_OPS):
                    symbol = _OP_SYMBOLS.get(type(op), type(op).__name__)
                    self.fail(node, f"operator '{symbol}' is not allowed")
                self.visit(left)
                before = len(self.problems)
                self.visit(right)
                if isinstance(op, ast.Pow) and len(self.problems) == before:
                    self._check_power(right)
            case ast.UnaryOp(op=op, operand=operand):
                if not isinstance(op, _UNARY_OPS):
                    self.fail(
                        node, f"operator '{_OP_SYMBOLS.get(type(op), type(op).__name__)}' is not allowed"
                    )
                self.visit(operand)
            case ast.BoolOp(values=values):
                for value in values:
                    self.visit(value)
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                for op in ops:
                    if not isinstance(op, _COMPARE_OPS):
                        self.fail(
                            node,
                            f"comparison '{_OP_SYMBOLS.get(type(op), type(op).__name__)}' is not allowed",
                        )
                self.visit(left)
                for item in comparators:
                    self.visit(item)
            case ast.IfExp(test=test, body=body, orelse=orelse):
                self.visit(test)
                self.visit(body)
                self.visit(orelse)
            case ast.Call(func=func, args=args, keywords=keywords):
                self._check_call(node, func, args, keywords)
            case _:
                what = _NODE_NAMES.get(type(node), type(node).__name__)
                self.fail(node, f"{what} not allowed")

    def _check_literal(self, node: ast.AST, written: str) -> None:
        if len(written) > limits.MAX_NUMBER_CHARS:
            self.fail(node, f"number of {len(written)} characters is too long")
            return
        try:
            number = Decimal(written)
        except decimal.InvalidOperation:
            self.fail(node, f"number '{written}' is not a decimal number", "write it in decimal digits")
            return
        if not within_magnitude(number):
            self.fail(
                node, f"number '{written}' is outside 10^-{limits.MAX_MAGNITUDE} to 10^{limits.MAX_MAGNITUDE}"
            )

    def _check_call(
        self, node: ast.Call, func: ast.expr, args: list[ast.expr], keywords: list[ast.keyword]
    ) -> None:
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            name = func.id if isinstance(func, ast.Name) else ast.unparse(func)
            self.fail(node, f"call to '{name}' is not allowed", f"allowed functions: {', '.join(FUNCTIONS)}")
            return
        if keywords:
            self.fail(node, f"{func.id}() takes no keyword arguments")
        _, least, most = FUNCTIONS[func.id]
        if len(args) < least or (most is not None and len(args) > most):
            wanted = (
                f"{least}" if least == most else f"{least} or more" if most is None else f"{least} to {most}"
            )
            self.fail(node, f"{func.id}() takes {wanted} arguments, got {len(args)}")
        for arg in args:
            self.visit(arg)

    def _check_power(self, exponent: ast.expr) -> None:
        """An exponent made of constants alone is computed now, so ``9 ** 9 ** 9`` fails at load."""
        if any(isinstance(node, ast.Name) for node in ast.walk(exponent)):
            return  # depends on data: checked at evaluation by _pow
        scope = _scope()
        # the compiler rewrites nodes in place: work on a copy so the formula's own tree stays intact
        exponent_copy = copy.deepcopy(exponent)
        tree = ast.fix_missing_locations(
            _Compiler(self.text, scope).visit(ast.Expression(body=exponent_copy))
        )
        try:
            with decimal.localcontext(CONTEXT):
                value = eval(compile(tree, "<exponent>", "eval"), scope, {})
        except (ArithmeticError, ValueError, TypeError) as exc:
            reason = (
                "division by zero"
                if isinstance(exc, decimal.DivisionByZero | ZeroDivisionError)
                else "undefined"
            )
            self.fail(exponent, f"exponent cannot be computed ({reason})")
            return
        if abs(value) > limits.MAX_POWER:
            self.fail(exponent, f"exponent {value} is too large (at most {limits.MAX_POWER})")


def _scope() -> dict[str, Any]:
    """Globals of a compiled formula: no builtins, only our functions (constants are added per formula)."""
    scope: dict[str, Any] = {"__builtins__": {}, "_pow": _pow}
    scope.update({f"_{name}": impl for name, (impl, _, _) in FUNCTIONS.items()})
    return scope


def _is_division(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)


def _divide_last(node: ast.BinOp) -> ast.BinOp:
    """Move divisions outward: a / b * c → a * c / b and a / b / c → a / (b * c).

    Equal in exact arithmetic; with decimals it keeps results exact whenever the true result is (2 / 3 * 150
    is exactly 100, not 99.999…), so a value on a band's boundary lands in the right band.
    """
    if isinstance(node.op, ast.Mult) and _is_division(node.left):
        inner = node.left
        assert isinstance(inner, ast.BinOp)
        product = ast.BinOp(left=inner.left, op=ast.Mult(), right=node.right)
        return ast.copy_location(ast.BinOp(left=product, op=ast.Div(), right=inner.right), node)
    if isinstance(node.op, ast.Mult) and _is_division(node.right):
        inner = node.right
        assert isinstance(inner, ast.BinOp)
        product = ast.BinOp(left=node.left, op=ast.Mult(), right=inner.left)
        return ast.copy_location(ast.BinOp(left=product, op=ast.Div(), right=inner.right), node)
    if isinstance(node.op, ast.Div) and _is_division(node.left):
        inner = node.left
        assert isinstance(inner, ast.BinOp)
        divisor = ast.BinOp(left=inner.right, op=ast.Mult(), right=node.right)
        return ast.copy_location(ast.BinOp(left=inner.left, op=ast.Div(), right=divisor), node)
    return node


class _Compiler(ast.NodeTransformer):
    """Rewrites a checked tree for execution: literals → exact Decimal constants, calls → our functions."""

    def __init__(self, text: str, scope: dict[str, Any]) -> None:
        self.text = text
        self.scope = scope

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, bool):
            return node
        written = ast.get_source_segment(self.text, node) or repr(node.value)
        name = f"_k{len(self.scope)}"
        self.scope[name] = Decimal(written)
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        node = _divide_last(node)
        if isinstance(node.op, ast.Pow):
            call = ast.Call(
                func=ast.Name(id="_pow", ctx=ast.Load()), args=[node.left, node.right], keywords=[]
            )
            return ast.copy_location(call, node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        assert isinstance(node.func, ast.Name)
        node.func = ast.copy_location(ast.Name(id=f"_{node.func.id}", ctx=ast.Load()), node.func)
        return node


def check_formula(
    text: str, allowed: Iterable[str], where: Location | None = None, subject: str | None = None
) -> tuple[list[Problem], ast.Expression | None, frozenset[str]]:
    """Parse and check ``text``; return (problems, tree, names used). No exception for bad formulas."""
    if isinstance(text, str):
        text = " ".join(text.split())  # surrounding and line-break white space mean nothing in a formula
    checker = _Checker(text, frozenset(allowed), where, subject)
    if not isinstance(text, str) or not text.strip():
        checker.fail(None, "formula is empty")
        return checker.problems, None, frozenset()
    if len(text) > limits.MAX_FORMULA_LENGTH:
        checker.problems.append(
            Problem(
                "formula-too-long",
                f"formula is {len(text)} characters long (at most {limits.MAX_FORMULA_LENGTH})",
                where,
                subject,
            )
        )
        return checker.problems, None, frozenset()
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        checker.fail(None, f"formula does not parse ({exc.msg})")
        return checker.problems, None, frozenset()
    except (RecursionError, MemoryError, ValueError):
        checker.fail(None, "formula is nested too deeply")
        return checker.problems, None, frozenset()
    count = sum(1 for _ in ast.walk(tree))
    if count > limits.MAX_FORMULA_NODES:
        limit = limits.MAX_FORMULA_NODES
        checker.fail(None, f"formula has {count} parts (at most {limit})", code="formula-too-long")
        return checker.problems, None, frozenset()
    checker.visit(tree)
    return checker.problems, tree, frozenset(checker.names)


def parse_formula(
    text: str, allowed: Iterable[str], where: Location | None = None, subject: str | None = None
) -> tuple[Formula | None, list[Problem]]:
    """Parse, check and compile a formula once: (the formula, []) or (None, every problem)."""
    problems, tree, names = check_formula(text, allowed, where, subject)
    if problems or tree is None:
        return None, problems
    stripped = " ".join(text.split())
    scope = _scope()
    compiled_tree = ast.fix_missing_locations(_Compiler(stripped, scope).visit(tree))
    code = compile(compiled_tree, "<formula>", "eval")
    return Formula(stripped, names, code, scope), []


def compile_formula(
    text: str, allowed: Iterable[str], where: Location | None = None, subject: str | None = None
) -> Formula:
    """Check and compile a formula; raise :class:`FormulaError` listing every problem."""
    formula, problems = parse_formula(text, allowed, where, subject)
    if formula is None:
        raise FormulaError(problems)
    return formula
