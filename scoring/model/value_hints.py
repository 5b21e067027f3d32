"""What a figure written the way a report prints it probably means: a unit written into the value
('20101.67万元'), a percentage given as a fraction (0.9153 for 91.53%)."""

from __future__ import annotations

import re
import unicodedata
import weakref
from decimal import Decimal

from ..errors import Problem, clip
from ..numbers import plain
from .unit import Unit

#: A number followed by something that is not part of it: the figure with its unit, as a report prints it.
_WITH_UNIT = re.compile(r"^\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*([^\d\s.,+-][^\d]*?)\s*$")


def unit_in_value_hint(text: str, unit: str | None) -> str | None:
    """For a value written with its unit ('20101.67万元'), the hint: the bare number, and that units belong
    in the set, in the input's ``unit:``. None when the text is not a number followed by a unit."""
    found = _WITH_UNIT.match(unicodedata.normalize("NFKC", text))
    if found is None:
        return None
    number, written = found.group(1).replace(",", ""), found.group(2)
    if unit is None:
        return (
            f"write {number}: the value is the bare number; a unit belongs in the set, as the input's unit:"
        )
    if written == unicodedata.normalize("NFKC", unit):
        return f"write {number}: the value is the bare number; its unit ({clip(unit)}) is the input's unit: in the set"
    return (
        f"write the figure in {clip(unit)} (the input's unit: in the set) as a bare number, "
        f"without '{clip(written)}'"
    )


def looks_like_fraction(value: Decimal, unit: str | None) -> bool:
    """Whether a value for a percentage input looks like a fraction of one (0.9153 meant as 91.53%): the
    unit is ``%`` and 0 < |value| ≤ 1. Zero is a percentage like any other, and so is a value above 1."""
    return unit is not None and unit.strip() in ("%", "％") and 0 < abs(value) <= 1


#: Each unit's warnings, found once (a unit is immutable and bound to one set).
_WARNINGS: weakref.WeakKeyDictionary[Unit, tuple[Problem, ...]] = weakref.WeakKeyDictionary()


def value_warnings(unit: Unit) -> tuple[Problem, ...]:
    """What in a unit's data scores but looks mistaken: a percentage input given as a fraction of one.
    Warnings do not stop scoring; a result carries them and the command line prints them."""
    found = _WARNINGS.get(unit)
    if found is None:
        found = _WARNINGS[unit] = tuple(_fractions(unit))
    return found


def _fractions(unit: Unit) -> list[Problem]:
    inputs = unit.indicator_set.inputs
    warnings = []
    for name, value in unit.values.items():
        declared = inputs.get(name)
        if declared is None or not isinstance(value, Decimal) or isinstance(value, bool):
            continue
        if declared.max is not None and declared.max <= 1:
            continue  # the set itself keeps this percentage as a fraction
        if looks_like_fraction(value, declared.unit):
            where = unit.document.locate(("values", name)) if unit.document is not None else None
            percent = plain(value * 100)
            message = f"input '{name}' is {plain(value)} with unit %: it looks like a fraction of one"
            hint = f"if the source prints {percent}%, write {percent}"
            warnings.append(Problem("percent-fraction", message, where, name, hint, ("values", name)))
    return warnings
