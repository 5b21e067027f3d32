"""Totals and their parts: inputs declared ``sum_of`` other inputs (a table's total line and its sub-lines).

A set checks that each total's parts are declared number inputs and that no total is, through its parts, a
part of itself. A unit may give a total, its parts, or both: a total it does not give is the sum of its parts
(when it gives them all); a total it gives beside all its parts is left as given, and the audit checks that
they agree (:mod:`scoring.audit.subfigures`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..errors import did_you_mean
from ..formats.set_format import InputSpec
from ..numbers import ZERO

#: The input types a sum may be of, and how messages name the others.
_NUMBERS = ("number", "integer")
_KINDS = {"boolean": "true/false", "text": "text", "date": "date"}

#: A problem of a set's sums: code, message, path in the set file, subject, hint.
SumProblem = tuple[str, str, tuple[str | int, ...], str, str | None]


def sum_problems(inputs: Mapping[str, InputSpec]) -> Iterator[SumProblem]:
    """Parts that are not number inputs, and totals that are (through their parts) a part of themselves."""
    for name, item in inputs.items():
        for index, part in enumerate(item.sum_of or ()):
            path = ("inputs", name, "sum_of", index)
            declared = inputs.get(part)
            if declared is None:
                hint = did_you_mean(part, inputs) or "declare it under inputs: as well"
                yield "sum-of", f"'{name}' is the sum of '{part}', which is not an input", path, name, hint
            elif declared.type not in _NUMBERS or item.type not in _NUMBERS:
                kind = item.type if item.type not in _NUMBERS else declared.type
                message = (
                    f"'{name}' is the sum of '{part}': a sum is of number inputs, not {_KINDS[kind]} ones"
                )
                yield "sum-of", message, path, name, None
    for name in inputs:
        trail = _cycle(name, inputs)
        if trail:
            message = f"'{name}' is, through its parts, a part of itself: {' → '.join(trail)}"
            yield "sum-of", message, ("inputs", name, "sum_of"), name, "a total's parts are its sub-lines"


def _cycle(start: str, inputs: Mapping[str, InputSpec]) -> list[str]:
    """The path from ``start`` back to itself through ``sum_of`` parts, or [] when there is none."""
    trail = [start]

    def parts(name: str) -> list[str]:
        declared = inputs.get(name)
        return list(declared.sum_of or ()) if declared is not None else []

    def visit(name: str) -> bool:
        for part in parts(name):
            if part == start:
                trail.append(part)
                return True
            if part not in trail:
                trail.append(part)
                if visit(part):
                    return True
                trail.pop()
        return False

    return trail if visit(start) else []


def totals_of(inputs: Mapping[str, InputSpec]) -> dict[str, tuple[str, ...]]:
    """Each total → its parts, for the inputs declared ``sum_of``."""
    return {name: tuple(item.sum_of) for name, item in inputs.items() if item.sum_of}


#: Each total → its parts (a set's :attr:`~scoring.model.indicator_set.IndicatorSet.totals`).
Totals = Mapping[str, tuple[str, ...]]


def complete_sums(totals: Totals, values: dict[str, Any]) -> set[str]:
    """Add to ``values`` every total the unit does not give but whose parts it does (parts may be totals
    computed the same way); return the names computed. Run on a set whose sums have no cycle."""
    computed: set[str] = set()
    progress = bool(totals)  # most sets declare no sum: nothing to do per unit
    while progress:
        progress = False
        for name, parts in totals.items():
            if name in values or not all(isinstance(values.get(part), Decimal) for part in parts):
                continue
            values[name] = sum((values[part] for part in parts), ZERO)
            computed.add(name)
            progress = True
    return computed


def resum(totals: Totals, summed: frozenset[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the totals in ``summed`` (those a unit did not give) summed again from their parts, as
    after a change of a part: an analysis that moves a part moves its total."""
    fresh = {name: value for name, value in values.items() if name not in summed}
    complete_sums(totals, fresh)
    return fresh


def parts_behind(totals: Totals, summed: frozenset[str], names: Iterable[str]) -> set[str]:
    """``names`` with each total in ``summed`` replaced by its parts (and theirs): the figures a unit gave."""
    found: set[str] = set()
    for name in names:
        if name in summed:
            found |= parts_behind(totals, summed, totals[name])
        else:
            found.add(name)
    return found
