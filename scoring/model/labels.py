"""Indicators named by their label where an id is expected: readers see labels (预算完成率) in every table, so
they type them. A label that belongs to one indicator stands for its id; the hint says which id it is."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace

from ..errors import Problem
from ..formats.set_format import InputSpec
from .indicator_set import IndicatorSet


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def id_of_label(indicator_set: IndicatorSet, label: str) -> str | None:
    """The id of the one indicator with this label (full-width forms alike), or None when none or several."""
    found = [i.id for i in indicator_set.indicators if _key(i.label) == _key(label)]
    return found[0] if len(found) == 1 else None


def label_hint(indicator_set: IndicatorSet, name: str) -> str | None:
    """For a label written where an id is expected: which indicator's label it is, and its id."""
    meant = id_of_label(indicator_set, name)
    return None if meant is None else f"'{name}' is the label of '{meant}': name it by its id, {meant}"


def input_of_label(indicator_set: IndicatorSet, label: str) -> str | None:
    """The name of the one input with this label, or None when none or several."""
    found = [
        name for name, spec in indicator_set.inputs.items() if spec.label and _key(spec.label) == _key(label)
    ]
    return found[0] if len(found) == 1 else None


_UNKNOWN_NAME = re.compile(r"^unknown name '(.*)' in formula")


def with_label_hints(problems: list[Problem], inputs: Mapping[str, InputSpec]) -> list[Problem]:
    """Formula problems, an unknown name that is an input's label ('在职人员数') hinted with the input's name."""
    labels: dict[str, list[str]] = {}
    for name, spec in inputs.items():
        if spec.label:
            labels.setdefault(_key(spec.label), []).append(name)
    hinted = []
    for problem in problems:
        found = _UNKNOWN_NAME.match(problem.message) if problem.code == "unknown-name" else None
        written = found.group(1) if found else ""
        names = labels.get(_key(written), []) if written else []
        if len(names) == 1:
            hint = f"'{written}' is the label of input '{names[0]}': a formula names it {names[0]}"
            problem = replace(problem, hint=hint)
        hinted.append(problem)
    return hinted
