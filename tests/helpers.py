"""Small builders for tests: a set with given indicators, scored against given values."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import scoring

GRADES = [
    {"label": "优", "min": 90},
    {"label": "良", "min": 80},
    {"label": "中", "min": 60},
    {"label": "差", "min": 0},
]


def set_text(indicators: list[dict[str, Any]], **top: Any) -> str:
    """YAML text (JSON is YAML) of a set holding ``indicators``; numbers are written as their exact text."""
    total = top.pop("total", None)
    if total is None:
        total = sum(Decimal(str(i["weight"])) for i in indicators)
    inputs = top.pop("inputs", None)
    if inputs is None:
        names = {n for i in indicators for n in _names(i.get("formula", ""))}
        inputs = {name: {} for name in sorted(names)}
    data = {
        "format": "scoring/1",
        "id": "test-set",
        "total": total,
        "grades": top.pop("grades", None) or [{**g, "min": Decimal(total) * g["min"] / 100} for g in GRADES],
        "inputs": inputs,
        "indicators": indicators,
        **top,
    }
    return (
        json.dumps(data, default=_number, ensure_ascii=False, indent=1)
        .replace('"__num__', "")
        .replace('__"', "")
    )


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"__num__{value}__"
    raise TypeError(value)


def _names(formula: str) -> list[str]:
    import re

    reserved = {"min", "max", "abs", "round", "clamp", "and", "or", "not", "if", "else", "True", "False"}
    return [w for w in re.findall(r"[A-Za-z_]\w*", formula) if w not in reserved]


def one(
    rule: dict[str, Any], weight: Any = 5, formula: str | None = "x", **extra: Any
) -> scoring.IndicatorSet:
    """A set with a single indicator 'row' scored by ``rule``."""
    indicator: dict[str, Any] = {"id": "row", "weight": weight, "rule": rule, **extra}
    if formula is not None:
        indicator["formula"] = formula
    return scoring.parse_set(set_text([indicator]), "set.yaml")


def points(indicator_set: scoring.IndicatorSet, **values: Any) -> Decimal:
    """Rounded points of indicator 'row' for the given input values."""
    exact = {k: Decimal(v) if isinstance(v, str) else v for k, v in values.items()}
    result = scoring.evaluate(indicator_set, {"values": exact})
    return result.indicator("row").points


def console_script(executable: str = sys.executable) -> Path:
    """The ``scoring`` console script installed beside ``executable``: ``bin/scoring`` in a POSIX virtualenv,
    ``Scripts\\scoring.exe`` on Windows (beside ``Scripts\\python.exe`` in a virtualenv, in ``Scripts\\`` under
    the directory of ``python.exe`` in a base installation). Found without PATH, so the test does not need
    an activated virtualenv."""
    directory = Path(executable).parent
    candidates = [directory / "scoring", directory / "scoring.exe", directory / "Scripts" / "scoring.exe"]
    found = [path for path in candidates if path.is_file()]
    assert found, (
        f"no console script 'scoring' beside {executable}: looked for {[str(p) for p in candidates]}"
    )
    return found[0]
