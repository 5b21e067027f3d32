"""Scoring rules: each turns an indicator's value into points at the rule's reference weight.

Every module of this package other than ``base`` and ``panel`` (a judged row's raters) is one rule kind (see
:mod:`scoring.rules.base` for what a kind provides); they are found here, by walking the package, so a new
kind is one new module.
"""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import BaseModel, Discriminator, Tag

from ..fields import StrictModel
from .base import REGISTRY, Direction, MarginWay, Op, Rule, RuleContext, RuleFailure, Target, register

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

#: The rule kinds, by the key that names each in a rule mapping (alphabetical).
RULE_KINDS: tuple[str, ...] = tuple(sorted(REGISTRY))


def rule_kind(data: Any) -> str | None:
    """Which rule kind a rule mapping is, by the one kind key it holds."""
    if isinstance(data, BaseModel):
        data = data.model_dump(by_alias=True)
    if not isinstance(data, dict):
        return None
    kinds = [k for k in RULE_KINDS if k in data]
    return kinds[0] if len(kinds) == 1 else None


if TYPE_CHECKING:
    RuleSpec = StrictModel
else:
    #: The shape of any rule mapping: a union of the kinds' shapes, told apart by their one key.
    RuleSpec = Annotated[
        Union[tuple(Annotated[REGISTRY[kind].shape, Tag(kind)] for kind in RULE_KINDS)],  # noqa: UP007
        Discriminator(
            rule_kind,
            custom_error_type="rule_kind",
            custom_error_message="a rule needs exactly one of: " + ", ".join(RULE_KINDS),
        ),
    ]


_BY_SHAPE: dict[type[StrictModel], Any] = {rule.shape: rule for rule in REGISTRY.values()}


def build_rule(shape: StrictModel, weight: Decimal, context: RuleContext) -> Rule:
    """The runtime rule for a shape-valid rule mapping; its problems go to ``context``."""
    rule: Rule = _BY_SHAPE[type(shape)](weight, shape, context)
    return rule


__all__ = [
    "RULE_KINDS",
    "Direction",
    "MarginWay",
    "Op",
    "Rule",
    "RuleContext",
    "RuleFailure",
    "RuleSpec",
    "Target",
    "build_rule",
    "register",
    "rule_kind",
]
