"""The allowlist: a parsed formula walked once, every construct outside the language and every unknown name
reported, and the kind of every expression (a number, true/false, text, a date, or either of a number and
true/false) worked out for the compiler.

Text and date names (inputs of ``type: text`` or ``type: date``) take part in no arithmetic, logic or
ordering: such a name may be the whole formula (scored by a rule that reads text or dates, such as ``met``),
a branch of ``x if c else y`` whose other branch is of the same kind, or — text only — one side of ``==`` or
``!=`` whose other side is a quoted text. A quoted text is allowed there and nowhere else."""

from __future__ import annotations

import ast
import decimal
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from .. import limits
from ..errors import Location, Problem, clip, did_you_mean
from ..numbers import within_magnitude
from .functions import FUNCTIONS

#: What an expression gives: a number, true/false, or either (a derived name, 'value', min of mixed kinds);
#: or text, or a date (written as its ISO text), which only a whole formula or an equality may give.
Kind = Literal["number", "bool", "any", "text", "date"]
#: What a formula reads from an input of each declared type.
INPUT_KINDS: dict[str, Kind] = {
    "number": "number",
    "integer": "number",
    "boolean": "bool",
    "text": "text",
    "date": "date",
}
#: The kinds that take part in no arithmetic, logic or ordering.
TEXTUAL: frozenset[str] = frozenset({"text", "date"})
_TEXTUAL_HINT = (
    "a text or date input can be the whole formula (scored by a met rule), or a text input compared with "
    "== or != to a text in quotes"
)

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
_OP_SYMBOLS: dict[type[ast.AST], str] = {ast.FloorDiv: "//", ast.LShift: "<<", ast.RShift: ">>"}
_OP_SYMBOLS |= {ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.MatMult: "@", ast.Invert: "~"}
_OP_SYMBOLS |= {ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


def join(kinds: list[Kind]) -> Kind:
    """The kind of an expression that gives one of several values."""
    return kinds[0] if kinds and all(kind == kinds[0] for kind in kinds) else "any"


class Checker:
    """Walks a parsed formula, collecting every disallowed construct and unknown name, and the kinds."""

    def __init__(
        self, text: str, names: Mapping[str, Kind], where: Location | None, subject: str | None
    ) -> None:
        self.text = text
        self.allowed = names
        self.where = where
        self.subject = subject
        self.problems: list[Problem] = []
        self.names: set[str] = set()
        #: id of each expression node → its kind (read by the compiler)
        self.kinds: dict[int, Kind] = {}
        #: the nodes whose kinds are recorded, kept alive so that their ids stay theirs while compiling
        self._seen: list[ast.AST] = []

    def fail(
        self, node: ast.AST | None, message: str, hint: str | None = None, code: str = "formula"
    ) -> None:
        column = getattr(node, "col_offset", None)
        position = f" (at character {column + 1})" if column is not None else ""
        owner = f" in formula of '{self.subject}'" if self.subject else ""
        shown = f": {clip(self.text, 200)}" if self.text else ""
        self.problems.append(
            Problem(code, f"{message}{owner}{position}{shown}", self.where, self.subject, hint)
        )

    def visit(self, node: ast.AST) -> Kind:
        kind = self._visit(node)
        self.kinds[id(node)] = kind
        self._seen.append(node)
        return kind

    def _visit(self, node: ast.AST) -> Kind:
        match node:
            case ast.Expression(body=body):
                return self.visit(body)
            case ast.Constant(value=value):
                return self.constant(node, value)
            case ast.Name(id=name):
                return self.name(node, name)
            case ast.BinOp(left=left, op=op, right=right):
                return self.binary(node, left, op, right)
            case ast.UnaryOp(op=op, operand=operand):
                if not isinstance(op, _UNARY_OPS):
                    self.fail(
                        node, f"operator '{_OP_SYMBOLS.get(type(op), type(op).__name__)}' is not allowed"
                    )
                self.plain(operand, self.visit(operand))
                return "bool" if isinstance(op, ast.Not) else "number"
            case ast.BoolOp(values=values):
                return join([self.plain(value, self.visit(value)) for value in values])
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                for compare in ops:
                    if not isinstance(compare, _COMPARE_OPS):
                        symbol = _OP_SYMBOLS.get(type(compare), type(compare).__name__)
                        self.fail(node, f"comparison '{symbol}' is not allowed")
                if not self.text_equality(left, ops, comparators):
                    for item in (left, *comparators):
                        self.plain(item, self.visit(item))
                return "bool"
            case ast.IfExp(test=test, body=body, orelse=orelse):
                self.plain(test, self.visit(test))
                return self.branches(node, self.visit(body), self.visit(orelse))
            case ast.Call(func=func, args=args, keywords=keywords):
                return self.call(node, func, args, keywords)
        self.fail(node, f"{_NODE_NAMES.get(type(node), type(node).__name__)} not allowed")
        return "any"

    def plain(self, node: ast.AST, kind: Kind) -> Kind:
        """``kind`` of an operand of arithmetic, logic, ordering or a function; text and dates are refused."""
        if kind in TEXTUAL:
            written = clip(ast.get_source_segment(self.text, node) or "", 40)
            self.fail(node, f"'{written}' is {kind}, which no arithmetic, logic or ordering takes",
                      _TEXTUAL_HINT, code="formula-type")  # fmt: skip
            return "any"
        return kind

    def branches(self, node: ast.AST, body: Kind, orelse: Kind) -> Kind:
        """The kind of ``x if c else y``: text or a date only when both branches give it."""
        if (body in TEXTUAL or orelse in TEXTUAL) and body != orelse:
            self.fail(node, f"the branches give {body} and {orelse}", _TEXTUAL_HINT, code="formula-type")
            return "any"
        return join([body, orelse])

    def text_equality(self, left: ast.expr, ops: list[ast.cmpop], comparators: list[ast.expr]) -> bool:
        """Whether the comparison is ``a == 'text'`` or ``a != 'text'`` (either way round), checked here:
        ``a`` must give text (or either kind: a derived name or 'value', which then never equals it)."""
        if len(ops) != 1 or not isinstance(ops[0], ast.Eq | ast.NotEq):
            return False
        pair = (left, comparators[0])
        quoted = [item for item in pair if isinstance(item, ast.Constant) and isinstance(item.value, str)]
        if len(quoted) != 1:
            return False
        other = pair[1] if quoted[0] is pair[0] else pair[0]
        self.kinds[id(quoted[0])] = "text"
        self._seen.append(quoted[0])
        kind = self.visit(other)
        if kind not in ("text", "any"):
            self.fail(
                other, f"a text in quotes is compared with a {kind}", _TEXTUAL_HINT, code="formula-type"
            )
        return True

    def constant(self, node: ast.AST, value: object) -> Kind:
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float):
            self.literal(node, ast.get_source_segment(self.text, node) or "")
            return "number"
        kind = "text strings are" if isinstance(value, str | bytes) else f"the constant {value!r} is"
        self.fail(node, f"{kind} not allowed", "formulas work on numbers and true/false only")
        return "any"

    def written_as(self, node: ast.Name) -> bool:
        """Whether the name is written as Python reads it (full-width ｍａｘ or ｘ is refused)."""
        written = ast.get_source_segment(self.text, node)
        if written is None or written == node.id:
            return True
        self.fail(
            node,
            f"name '{written}' is written with characters Python reads as '{node.id}'",
            f"write '{node.id}'",
        )
        return False

    def name(self, node: ast.Name, name: str) -> Kind:
        if name in ("True", "False"):
            return "bool"
        if not self.written_as(node):
            return "any"
        if name in self.allowed:
            self.names.add(name)
            return self.allowed[name]
        if name in FUNCTIONS:
            self.fail(node, f"function '{name}' used without calling it")
        else:
            hint = did_you_mean(name, self.allowed) or "declare it under inputs or derived"
            self.fail(node, f"unknown name '{clip(name)}'", hint, code="unknown-name")
        return "any"

    def binary(self, node: ast.BinOp, left: ast.expr, op: ast.operator, right: ast.expr) -> Kind:
        if not isinstance(op, _BINARY_OPS):
            self.fail(node, f"operator '{_OP_SYMBOLS.get(type(op), type(op).__name__)}' is not allowed")
        self.plain(left, self.visit(left))
        before = len(self.problems)
        self.plain(right, self.visit(right))
        if isinstance(op, ast.Pow) and len(self.problems) == before:
            self.constant_power(right)
        return "number"

    def literal(self, node: ast.AST, written: str) -> None:
        if len(written) > limits.MAX_NUMBER_CHARS:
            self.fail(node, f"number of {len(written)} characters is too long")
            return
        if not written.isascii():
            self.fail(
                node,
                f"number '{written}' is not written in ASCII digits",
                f"write {unicodedata.normalize('NFKC', written)}",
            )
            return
        try:
            number = Decimal(written)
        except decimal.InvalidOperation:
            self.fail(node, f"number '{written}' is not a decimal number", "write it in decimal digits")
            return
        if not within_magnitude(number):
            bound = limits.MAX_MAGNITUDE
            self.fail(node, f"number '{written}' is outside 10^-{bound} to 10^{bound}")

    def call(self, node: ast.Call, func: ast.expr, args: list[ast.expr], keywords: list[ast.keyword]) -> Kind:
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            name = func.id if isinstance(func, ast.Name) else ast.unparse(func)
            self.fail(
                node, f"call to '{clip(name)}' is not allowed", f"allowed functions: {', '.join(FUNCTIONS)}"
            )
            return "any"
        if not self.written_as(func):
            return "any"
        if keywords:
            self.fail(node, f"{func.id}() takes no keyword arguments")
        _, least, most, numeric = FUNCTIONS[func.id]
        if len(args) < least or (most is not None and len(args) > most):
            wanted = (
                f"{least}" if least == most else f"{least} or more" if most is None else f"{least} to {most}"
            )
            self.fail(node, f"{func.id}() takes {wanted} arguments, got {len(args)}")
        kinds = [self.plain(arg, self.visit(arg)) for arg in args]
        return "number" if numeric else join(kinds)

    def constant_power(self, exponent: ast.expr) -> None:
        """An exponent made of constants alone is computed now, so ``9 ** 9 ** 9`` fails at load."""
        if any(isinstance(node, ast.Name) for node in ast.walk(exponent)):
            return  # depends on data: checked at evaluation
        from .compile import evaluate_constant

        try:
            value = evaluate_constant(self.text, exponent)
        except ArithmeticError as exc:
            reason = (
                "division by zero"
                if isinstance(exc, decimal.DivisionByZero | ZeroDivisionError)
                else "undefined"
            )
            self.fail(exponent, f"exponent cannot be computed ({reason})")
            return
        if abs(value) > limits.MAX_POWER:
            self.fail(exponent, f"exponent {value} is too large (at most {limits.MAX_POWER})")
