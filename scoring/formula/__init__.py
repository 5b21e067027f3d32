"""The formula language: parsed and checked once against an allowlist, then compiled.

A formula is a Python-syntax expression restricted to numbers, declared names, arithmetic
(``+ - * / %`` and ``**`` with a bounded exponent), comparisons, ``and``/``or``/``not``,
``x if c else y`` and the functions ``min``, ``max``, ``abs``, ``round`` (half-up) and ``clamp``.
Everything else — attributes, subscripts, strings, lambdas, comprehensions, comments, other calls — is
rejected at load time (:mod:`~scoring.formula.check`), so a definition from a stranger cannot reach any
Python object. The checked tree is compiled to a code object (:mod:`~scoring.formula.compile`) whose only
globals are the bounded functions of :mod:`~scoring.formula.functions` and its own constants; every value
arithmetic sees is a :class:`~decimal.Decimal`, computed in the library's context (50 significant digits,
exponents within ±10,000), so no result can grow without bound.

Formulas are compiled rather than interpreted (by simpleeval, say) because they run once per row of every
unit: ``benchmarks/single_unit.py`` measures a compiled formula at several times less than a pre-parsed
simpleeval expression (about 0.6 against 4 µs on the project's machine), and the allowlist is checked once,
at load, instead of at every step.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from .. import limits
from ..errors import FormulaError, Location, Problem
from .check import INPUT_KINDS, TEXTUAL, Checker, Kind
from .compile import compile_tree
from .functions import FUNCTIONS, RESERVED_NAMES, FormulaFailure, PowerTooLarge


@dataclass(frozen=True, eq=False)
class Formula:
    """A checked, compiled formula. ``names`` are the declared names it reads; ``kind`` what it gives."""

    text: str
    names: frozenset[str]
    code: CodeType = field(repr=False)
    scope: dict[str, Any] = field(repr=False)
    kind: Kind = "any"

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """Evaluate against ``env`` (name → Decimal or bool). Run inside ``decimal.localcontext(CONTEXT)``."""
        return eval(self.code, self.scope, env)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _kinds(allowed: Mapping[str, Kind] | Iterable[str]) -> Mapping[str, Kind]:
    if isinstance(allowed, Mapping):
        return allowed
    return dict.fromkeys(allowed, "any")


def check_formula(
    text: str,
    allowed: Mapping[str, Kind] | Iterable[str],
    where: Location | None = None,
    subject: str | None = None,
) -> tuple[list[Problem], ast.Expression | None, Checker]:
    """Parse and check ``text``; return (problems, tree, the checker with the names used and the kinds)."""
    if isinstance(text, str):
        text = " ".join(text.split())  # surrounding and line-break white space mean nothing in a formula
    checker = Checker(text, _kinds(allowed), where, subject)
    if not isinstance(text, str) or not text.strip():
        checker.fail(None, "formula is empty")
        return checker.problems, None, checker
    if len(text) > limits.MAX_FORMULA_LENGTH:
        message = f"formula is {len(text)} characters long (at most {limits.MAX_FORMULA_LENGTH})"
        checker.problems.append(Problem("formula-too-long", message, where, subject))
        return checker.problems, None, checker
    if "#" in text:  # a comment would hide the rest of a line (and, joined, of the formula) from view
        checker.fail(
            None, "comments ('#') are not allowed in a formula", "write notes in the indicator's description"
        )
        return checker.problems, None, checker
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        checker.fail(None, f"formula does not parse ({exc.msg})", _syntax_hint(text))
        return checker.problems, None, checker
    except (RecursionError, MemoryError, ValueError):
        checker.fail(None, "formula is nested too deeply")
        return checker.problems, None, checker
    count = sum(1 for _ in ast.walk(tree))
    if count > limits.MAX_FORMULA_NODES:
        limit = limits.MAX_FORMULA_NODES
        checker.fail(None, f"formula has {count} parts (at most {limit})", code="formula-too-long")
        return checker.problems, None, checker
    checker.visit(tree)
    return checker.problems, tree, checker


#: Operators as printed tables write them, and how a formula writes them.
_PRINTED_OPERATORS = {"×": "*", "÷": "/", "＋": "+", "－": "-", "＊": "*", "／": "/", "（": "(", "）": ")",
                      "≤": "<=", "≥": ">=", "≠": "!=", "＝": "==", "＜": "<", "＞": ">"}  # fmt: skip


def _syntax_hint(text: str) -> str | None:
    """For a formula written as a table prints it: ``×``, ``÷`` and full-width operators, a trailing ``%``."""
    printed = sorted({c for c in text if c in _PRINTED_OPERATORS}, key=text.index)
    hints = ["write " + ", ".join(f"{_PRINTED_OPERATORS[c]} for {c}" for c in printed)] if printed else []
    if re.search(r"\w\s+[xX]\s+\w", text):
        hints.append("write * for multiplication")
    if re.search(r"(?<![<>=!])=(?!=)", text):
        hints.append("compare with ==, not =")
    if text.rstrip().endswith(("%", "％")):
        hints.append("a formula gives the number itself: write * 100 for a percentage, without %")
    return "; ".join(hints) or None


def parse_formula(
    text: str,
    allowed: Mapping[str, Kind] | Iterable[str],
    where: Location | None = None,
    subject: str | None = None,
) -> tuple[Formula | None, list[Problem]]:
    """Parse, check and compile a formula once: (the formula, []) or (None, every problem).

    ``allowed`` are the names it may read, with their kinds ('number', 'bool' or 'any'; a plain iterable of
    names makes every one 'any').
    """
    problems, tree, checker = check_formula(text, allowed, where, subject)
    if problems or tree is None:
        return None, problems
    stripped = " ".join(text.split())
    code, names = compile_tree(stripped, tree, checker.kinds)
    return Formula(stripped, frozenset(checker.names), code, names, checker.kinds[id(tree)]), []


def compile_formula(
    text: str,
    allowed: Mapping[str, Kind] | Iterable[str],
    where: Location | None = None,
    subject: str | None = None,
) -> Formula:
    """Check and compile a formula; raise :class:`FormulaError` listing every problem."""
    formula, problems = parse_formula(text, allowed, where, subject)
    if formula is None:
        raise FormulaError(problems)
    return formula


__all__ = [
    "FUNCTIONS",
    "INPUT_KINDS",
    "RESERVED_NAMES",
    "TEXTUAL",
    "Formula",
    "FormulaFailure",
    "Kind",
    "PowerTooLarge",
    "check_formula",
    "compile_formula",
    "parse_formula",
]
