"""What names reach and how they look: the inputs behind a formula through derived names, the groups an
indicator belongs to, and the characters that set two lookalike names apart."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from ..formula import Formula
from .indicator_set import Group, Indicator


def names_behind(
    names: Iterable[str], derived: Mapping[str, Formula]
) -> tuple[frozenset[str], frozenset[str]]:
    """(inputs, derived names) reached from ``names`` through derived formulas."""
    inputs: set[str] = set()
    through: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in inputs or name in through:
            continue
        if name in derived:
            through.add(name)
            stack.extend(derived[name].names)
        else:
            inputs.add(name)
    return frozenset(inputs), frozenset(through)


def group_slots(indicators: Iterable[Indicator], groups: tuple[Group, ...]) -> tuple[tuple[int, ...], ...]:
    position = {group.path: index for index, group in enumerate(groups)}
    slots = []
    for indicator in indicators:
        parts = indicator.group.split("/") if indicator.group else []
        slots.append(tuple(position["/".join(parts[: depth + 1])] for depth in range(len(parts))))
    return tuple(slots)


def foreign_characters(name: str, other: str) -> str:
    """The characters of ``name`` that ``other`` does not have, named (U+0430 CYRILLIC SMALL LETTER A)."""
    extra = [ch for ch in dict.fromkeys(name) if ch not in other]
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch in extra[:3]) or "the same letters"
