"""met: full marks when the value meets a target — is one of some texts, reaches a number, or falls on or
before a date — and a declared share otherwise (达成/未达成, 按期完成)."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from ..errors import clip, describe
from ..fields import Number, StrictModel
from ..language import Catalogue
from ..numbers import ZERO, plain, shown
from .base import (
    Direction,
    Op,
    Rule,
    RuleContext,
    RuleFailure,
    Target,
    check_points,
    english,
    holds,
    register,
)

#: How a date is written: the ISO form, year-month-day.
DATE_HINT = "write the date as year-month-day, e.g. 2022-12-31"
#: An ISO date, optionally at midnight (a sheet's or a DataFrame's date column comes as a timestamp).
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII)

Condition = Literal["equals", "at_least", "at_most", "by"]


def iso_date(value: object) -> str | None:
    """The ISO text (``2022-12-31``) of a date written that way (or at midnight, ``2022-12-31 00:00:00``) or
    given as a date, or None for anything else (other spellings such as 2022/12/31 or 20221231 are refused
    rather than guessed)."""
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time() or value.tzinfo is not None:
            return None  # a moment, not a day
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    written = _ISO_DATE.fullmatch(value.strip())
    if written is None:
        return None
    try:
        return datetime.date.fromisoformat(written.group(1)).isoformat()
    except ValueError:  # 2022-02-30
        return None


#: A date in a file: its ISO text (YAML's date scalars are read as text), or a date given from Python (kept
#: as its ISO text, as a set saved again writes it). Anything else is refused by the rule with the ISO form as
#: hint, never read as a timestamp.
DateText = Annotated[
    Any,
    BeforeValidator(lambda value: (iso_date(value) or value) if isinstance(value, datetime.date) else value),
    WithJsonSchema({"type": "string", "format": "date"}),
]


class MetSpec(StrictModel):
    equals: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None, min_length=1, description="Met when the value (text) is one of these."
    )
    at_least: Number | None = Field(None, description="Met when the value is at least this number.")
    at_most: Number | None = Field(None, description="Met when the value is at most this number.")
    by: DateText | None = Field(None, description="Met when the value (a date) is on or before this date.")
    partial: dict[str, Number] | None = Field(
        None, description="With 'equals': points for other texts, e.g. {基本达成: 3}."
    )
    otherwise: Number = Field(description="Points when the target is not met (below the weight).")


class MetShape(StrictModel):
    met: MetSpec


@dataclass(frozen=True, slots=True, kw_only=True)
class MetStep:
    """The value the rule saw, whether it met the condition, the partial score that applied (its text), and
    the points."""

    kind: ClassVar[str] = "met"
    __json__ = ("kind", "value", "condition", "met", "partial", "points")
    value: Decimal | str
    condition: str
    met: bool
    partial: str | None
    points: Decimal


#: What each condition reads, for messages and for the check against the formula's kind.
_READS: dict[Condition, str] = {"equals": "text", "at_least": "number", "at_most": "number", "by": "date"}
_KIND_WORDS = {"number": "a number", "bool": "true/false", "text": "text", "date": "a date"}


@register
class MetRule(Rule):
    """Full marks when the value meets the condition; ``partial`` points for named texts; ``otherwise``."""

    kind = "met"
    shape = MetShape
    scores_textual = True

    def __init__(self, weight: Decimal, shape: MetShape, context: RuleContext) -> None:
        super().__init__(weight)
        s = shape.met
        given: list[Condition] = [c for c in _READS if getattr(s, c) is not None]
        self.condition: Condition = given[0] if given else "at_least"
        if len(given) != 1:
            context.report(
                "met-condition",
                f"met needs exactly one of equals, at_least, at_most or by, not {len(given)}",
                ("met",),
                "equals: [达成] for text, at_least/at_most: 95 for a number, by: 2022-12-31 for a date",
            )
        self.equals: tuple[str, ...] = tuple(text.strip() for text in s.equals or ())
        self.bound: Decimal = next((b for b in (s.at_least, s.at_most) if b is not None), ZERO)
        self.by = self._date(s.by, context)
        self.partial: dict[str, Decimal] = {text.strip(): p for text, p in (s.partial or {}).items()}
        self.otherwise = s.otherwise
        self._check_points(s, context)
        self._check_kind(context)

    def _date(self, written: object, context: RuleContext) -> str:
        if written is None:
            return ""
        day = iso_date(written)
        if day is None:
            shown = repr(clip(written)) if isinstance(written, str) else describe(written)
            context.report("met-date", f"'by' must be a date, not {shown}", ("met", "by"), DATE_HINT)
        return day or ""

    def _check_points(self, s: MetSpec, context: RuleContext) -> None:
        weight = self.weight
        if not ZERO <= s.otherwise < weight:
            context.report(
                "met-otherwise",
                f"'otherwise' {plain(s.otherwise)} must be from 0 to below the weight {plain(weight)}",
                ("met", "otherwise"),
                "full marks are for meeting the target; 'otherwise' is what is left when it is not met",
            )
        if s.partial is None:
            return
        if self.condition != "equals":
            context.report("met-partial", "'partial' goes with 'equals' only", ("met", "partial"))
        for text, points in s.partial.items():
            check_points(points, weight, ("met", "partial", text), context)
            if text.strip() in self.equals:
                message = f"'{clip(text)}' is both met (in 'equals') and partial"
                context.report("met-partial", message, ("met", "partial", text), "list it in one of them")

    def _check_kind(self, context: RuleContext) -> None:
        """A formula whose kind shows it can never meet the condition is refused now, not at every row."""
        kind, reads = context.value_kind, _READS[self.condition]
        if kind is None or kind == "any" or kind == reads:
            return
        context.report(
            "value-type",
            f"met '{self.condition}' compares {_KIND_WORDS[reads]}, but the formula gives {_KIND_WORDS[kind]}",
            ("met", self.condition),
        )

    @property
    def direction(self) -> Direction:
        if self.condition == "at_least":
            return "increasing"
        if self.condition in ("at_most", "by"):
            return "decreasing"  # a later date meets a deadline less
        return "none"

    @functools.cached_property
    def condition_text(self) -> str:
        """The condition as written after the value: '≥ 95', '≤ 5', '≤ 2022-12-31', '∈ {达成, 已完成}'."""
        if self.condition == "equals":
            return "∈ {" + ", ".join(self.equals) + "}"
        if self.condition == "by":
            return f"≤ {self.by}"
        return f"{'≥' if self.condition == 'at_least' else '≤'} {plain(self.bound)}"

    @functools.cached_property
    def missed_text(self) -> str:
        """The condition's opposite, as a missed target is shown: '< 95', '> 2022-12-31', '∉ {达成}'."""
        if self.condition == "equals":
            return "∉ {" + ", ".join(self.equals) + "}"
        if self.condition == "by":
            return f"> {self.by}"
        return f"{'<' if self.condition == 'at_least' else '>'} {plain(self.bound)}"

    def met(self, value: Any) -> bool:
        """Whether ``value`` meets the condition; RuleFailure when it is of the wrong kind."""
        reads = _READS[self.condition]
        if reads == "number":
            if value.__class__ is not Decimal:
                raise RuleFailure(f"the met rule compares a number, but the value is {_seen(value)}")
            return value >= self.bound if self.condition == "at_least" else value <= self.bound
        if value.__class__ is not str:
            raise RuleFailure(f"the met rule compares {_KIND_WORDS[reads]}, but the value is {_seen(value)}")
        if reads == "text":
            return value in self.equals
        day = iso_date(value)
        if day is None:
            raise RuleFailure(f"the met rule compares a date, but the value is {_seen(value)}")
        return day <= self.by  # ISO dates of four-digit years sort as the days do

    def score(self, value: Any, env: Mapping[str, Any]) -> tuple[Decimal, MetStep]:
        condition = self.condition_text
        if self.met(value):
            return self.weight, MetStep(
                value=value, condition=condition, met=True, partial=None, points=self.weight
            )
        partial = self.partial.get(value) if value.__class__ is str else None
        if partial is not None:
            return partial, MetStep(
                value=value, condition=condition, met=False, partial=value, points=partial
            )
        return self.otherwise, MetStep(
            value=value, condition=condition, met=False, partial=None, points=self.otherwise
        )

    def describe(self, step: MetStep, texts: Catalogue | None = None) -> str:
        texts = texts or english()
        value = step.value if isinstance(step.value, str) else shown(step.value)
        key = "met" if step.met else "partial" if step.partial is not None else "missed"
        return texts.text(
            f"outcome.met.{key}",
            value=value,
            condition=step.condition,
            missed=self.missed_text,
            points=plain(step.points),
        )

    def invert(self, op: Op, t: Fraction, value: Any, env: Mapping[str, Any]) -> list[Target] | str:
        """A number's condition is the condition met (or missed); text and dates are named in words."""
        full_ok = holds(Fraction(self.weight), op, t)
        rest_ok = holds(Fraction(self.otherwise), op, t)
        if self.condition in ("at_least", "at_most") and full_ok != rest_ok:
            bound = Fraction(self.bound)
            if self.condition == "at_least":
                return [("≥", bound, None)] if full_ok else [("<", bound, None)]
            return [("≤", bound, None)] if full_ok else [(">", bound, None)]
        if full_ok == rest_ok and not self.partial:
            return "met rule: meeting the target or not gives the same answer here"
        want = [f"meets {self.condition_text}"] if full_ok else [f"misses {self.condition_text}"]
        want += [
            f"= {text} ({plain(points)})"
            for text, points in self.partial.items()
            if holds(Fraction(points), op, t)
        ]
        return "met rule (not invertible): the value would need to be one that " + "; or ".join(want)


def _seen(value: Any) -> str:
    if value.__class__ is Decimal:
        return f"the number {plain(value)}"
    if value.__class__ is bool:
        return "true" if value else "false"
    return f"{clip(str(value))!r}"
