"""What every rule kind provides, and the registry that finds them.

A rule turns an indicator's value into points *at the rule's reference weight* (the weight the indicator
declares; the engine scales points when a weight changes, so a rule is in effect a share of its weight). A
rule kind is one module of this package holding:

- its **shape**: a pydantic model of the rule's mapping (``{deduct: {...}}``), checked when a set is read;
- its **checks and build**: ``__init__`` reports every problem through the :class:`RuleContext`;
- its **score**: ``score(value, env)`` gives the points and a typed, frozen **step** — what the rule saw,
  which branch applied — that is the row's trace;
- its **text**: ``describe(step, texts)`` says in words what the step records, its words read from the
  catalogue ``texts`` (the ``outcome.`` section of ``locales/*.yaml``; English when not given);
- its **inversion** (for grade margins): ``invert(op, t, value, env)`` gives the conditions on the value
  under which the points satisfy ``points op t``.

Decorating the class with :func:`register` is all it takes: nothing else lists the kinds.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal, Protocol, TypeVar

from ..fields import StrictModel
from ..formula import Formula
from ..language import Catalogue
from ..numbers import from_fraction, plain, shown

Direction = Literal["increasing", "decreasing", "none"]
#: A condition on a number: ``x op bound``.
Op = Literal["≥", ">", "≤", "<"]
#: A value condition that gives enough points: (op, bound, the band or piece entered there, if any).
Target = tuple[Op, Fraction, str | None]
#: How grade margins find the change that moves a row: through its value (``invert``), through an
#: evaluator's award (judged rows), or by switching items (checklists).
MarginWay = Literal["value", "award", "items"]


class RuleFailure(ArithmeticError):
    """A rule cannot score this value (for example a value that falls in no band)."""


class RuleContext(Protocol):
    """What a rule needs from the set being built: to report problems and to compile its own formulas."""

    @property
    def indicator_id(self) -> str:
        """The id of the indicator the rule belongs to."""

    @property
    def has_formula(self) -> bool:
        """Whether the indicator has a formula (so ``value`` may be used in the rule's conditions)."""

    def report(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        hint: str | None = None,
        *,
        names_indicator: bool = False,
    ) -> None:
        """Report a problem at ``path`` inside the rule's mapping; the message is followed by the
        indicator's id unless it ``names_indicator`` itself."""

    def formula(self, text: str, path: tuple[str | int, ...], *, value: bool = False) -> Formula | None:
        """Compile a formula written at ``path`` (``value`` allows the name 'value'); None if it is bad."""

    def input_type(self, name: str) -> str | None:
        """The declared type of an input ('number', 'integer', 'boolean', 'text', 'date'), or None when not
        declared."""

    @property
    def value_kind(self) -> str | None:
        """What the indicator's formula gives ('number', 'bool', 'text', 'date', or 'any' when its kind is
        known only from the data), or None without a (valid) formula."""

    def suggest_input(self, name: str) -> str | None:
        """A 'did you mean' hint among the declared inputs."""


class Rule(ABC):
    """A scoring rule at reference weight ``weight``."""

    kind: ClassVar[str]
    #: The pydantic model of the rule's mapping, e.g. ``{deduct: {over, per, points, steps}}``.
    shape: ClassVar[type[StrictModel]]
    #: Whether the indicator must have a formula whose value the rule scores.
    needs_value: ClassVar[bool] = True
    #: Whether the indicator may have a formula at all.
    allows_value: ClassVar[bool] = True
    #: Whether the points come from an evaluator's judgment in the unit data rather than from the data.
    judged: ClassVar[bool] = False
    #: Whether the rule scores a value that is text or a date (the engine passes such values to it only).
    scores_textual: ClassVar[bool] = False
    margin_way: ClassVar[MarginWay] = "value"

    def __init__(self, weight: Decimal) -> None:
        self.weight = weight

    @property
    @abstractmethod
    def direction(self) -> Direction:
        """How points move as the value grows."""

    @abstractmethod
    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, Any]:
        """Points at the reference weight (0 ≤ points ≤ weight) and the step that records why."""

    @abstractmethod
    def describe(self, step: Any, texts: Catalogue | None = None) -> str:
        """The step in words: which band, step or case applied, in the language of ``texts`` (English when
        None). Numbers are written the same way in every language."""

    def input_names(self) -> frozenset[str]:
        """Names the rule itself reads (beyond the indicator's formula)."""
        return frozenset()

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        """Conditions on the value under which the rule's points satisfy ``points op t``, nearest first;
        or why there are none."""
        return f"{self.kind} rule: not invertible"


RuleType = TypeVar("RuleType", bound=type[Rule])

#: Every rule kind, by name, in the order their modules were registered (alphabetical).
REGISTRY: dict[str, type[Rule]] = {}


def register(rule: RuleType) -> RuleType:
    """Class decorator: make a rule kind known to the set format and the engine."""
    REGISTRY[rule.kind] = rule
    return rule


# --- helpers the kinds share ------------------------------------------------------------------------


@functools.cache
def english() -> Catalogue:
    """The English catalogue: the words of an outcome when no language is asked for."""
    return Catalogue("en")


def label_text(label: str | None, texts: Catalogue) -> str:
    """A band's or case's label as an outcome shows it after the number (empty without a label)."""
    return texts.text("outcome.label", label=label) if label else ""


def check_points(points: Decimal, weight: Decimal, path: tuple[str | int, ...], context: RuleContext) -> None:
    """Report points written in a rule that lie outside 0 to the weight."""
    if points < 0 or points > weight:
        context.report(
            "rule-points",
            f"points {plain(points)} are outside 0 to the weight {plain(weight)}",
            path,
            "points in a rule are points at the indicator's weight",
        )


def holds(x: Fraction, op: Op, bound: Fraction) -> bool:
    """Whether ``x op bound``."""
    if op == "≥":
        return x >= bound
    if op == ">":
        return x > bound
    if op == "≤":
        return x <= bound
    return x < bound


def closed(op: Op) -> bool:
    return op in ("≥", "≤")


def flip(op: Op) -> Op:
    """The same openness the other way (a decreasing map turns x ≥ b into v ≤ b')."""
    flipped: dict[Op, Op] = {"≥": "≤", ">": "<", "≤": "≥", "<": ">"}
    return flipped[op]


def never(op: Op, t: Fraction, weight: Fraction) -> str | None:
    """Why rule points (0 to weight) can never satisfy ``points op t``, if they cannot."""
    if (op == "≥" and t > weight) or (op == ">" and t >= weight):
        return f"the rule gives at most {shown(from_fraction(weight))} points"
    if (op == "≤" and t < 0) or (op == "<" and t <= 0):
        return "the rule gives at least 0 points"
    return None


def names_of(formulas: Iterable[Formula | None]) -> frozenset[str]:
    """Every name the given formulas read."""
    return frozenset().union(*(formula.names for formula in formulas if formula is not None))
