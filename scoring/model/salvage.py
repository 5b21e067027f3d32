"""The part of a set with shape problems that can still be checked, so every problem is reported at once.

A set whose shape is wrong somewhere (an indicator's misspelt key, an input's unknown type) is not built;
but its other checks — weights, grades, formulas, bands — should still run, so that a user fixing the file
sees all of its problems in one pass. :func:`salvage` sets the faulty parts aside.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import Problem
from ..formats.set_format import SetSpec
from ..formats.yaml import Document

#: Parts of a set that may be set aside when they have a shape problem, so the rest is still checked.
_OPTIONAL_PARTS = frozenset({"title", "version", "source", "description", "not_applicable", "rounding", "groups", "inputs", "derived"})  # fmt: skip


@dataclass(frozen=True)
class Salvaged:
    """A set model built from the indicators that had no shape problem."""

    model: SetSpec
    #: File position of each indicator kept (``model.indicators[i]`` is the file's ``positions[i]``).
    positions: tuple[int, ...]
    #: Every indicator's weight, when all are numbers (so the weights can still be added up).
    weights: tuple[Decimal, ...] | None


def salvage(document: Document, problems: list[Problem]) -> Salvaged | None:
    """The set with its shape problems set aside, or None when a required part (format, id, total, grades)
    is itself wrong.

    Indicators with a problem are left out; a bad key in an optional part (an input's ``type``, a group's
    ``weight``, ``rounding``, a derived formula that is not text, an unknown top-level key) is removed, so its
    default applies.
    """
    if not isinstance(document.data, dict) or not isinstance(document.data.get("indicators"), list):
        return None
    data = copy.deepcopy(document.data)
    items = data["indicators"]
    bad: set[int] = set()
    for problem in problems:
        path = problem.path or ()
        if len(path) >= 3 and path[0] == "indicators" and isinstance(path[1], int):
            bad.add(path[1])
        elif not _set_aside(data, path, problem):
            return None
    kept = tuple(i for i in range(len(items)) if i not in bad)
    if not kept:
        return None
    try:
        model = SetSpec.model_validate({**data, "indicators": [items[i] for i in kept]})
    except ValueError:
        return None
    weights = [item.get("weight") if isinstance(item, dict) else None for item in items]
    readable = tuple(w for w in weights if isinstance(w, Decimal) and w.is_finite())
    return Salvaged(model, kept, readable if len(readable) == len(weights) else None)


def _set_aside(data: dict[str, Any], path: tuple[str | int, ...], problem: Problem) -> bool:
    """Remove the faulty key of an optional part (its default then applies); False when it cannot be."""
    if not path or not (path[0] in _OPTIONAL_PARTS or (len(path) == 1 and problem.code == "unknown-key")):
        return False
    if path[0] == "derived" and len(path) >= 2 and isinstance(data.get("derived"), dict):
        data["derived"][path[1]] = "0"  # keeps the name declared, so formulas using it are still checked
        return True
    container: Any = data
    for part in path[:-1]:
        if not isinstance(container, dict) or part not in container:
            return False
        container = container[part]
    if isinstance(container, dict) and path[-1] in container:
        del container[path[-1]]
        return True
    return False
