"""scoring — a rule-based scoring engine.

Indicator sets (YAML: inputs, formulas, weights, scoring rules, grade bands) are evaluated against one
unit's data to give per-indicator, group and total scores, each with the trace of how it was reached::

    import scoring

    indicator_set = scoring.load_set("indicators/demo.yaml")
    unit = scoring.load_unit("examples/demo.yaml", indicator_set)
    result = scoring.evaluate(indicator_set, unit)
    print(result.total, result.grade)

The names listed in ``__all__`` are the stable API. The analyses over many units live in
:mod:`scoring.analysis` and the outputs in :mod:`scoring.report`. Everything loads on first use: ``import
scoring`` costs almost nothing (the command line can answer Ctrl-C from its first moment, a tool can import
it at start-up), the engine loads with the first name used, and numpy only with the analyses that need it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .lazy import submodules_on_demand

if TYPE_CHECKING:  # what the names below are, for type checkers and readers; loaded on first use
    from .audit.findings import Finding, Reproduction
    from .audit.reproduce import reproduce
    from .batch import score_frame, score_table
    from .engine.evaluate import evaluate
    from .engine.result import GroupResult, IndicatorResult, Result
    from .errors import (
        DataError,
        DefinitionError,
        EvaluationError,
        FormulaError,
        Location,
        OptionError,
        Problem,
        ScoringError,
    )
    from .model import IndicatorSet, Unit, load_set, load_unit, parse_set, parse_unit, unit_from_mapping

    __version__: str

#: Where each name of the API is defined.
_HOMES = {
    **dict.fromkeys(("Finding", "Reproduction", "reproduce"), ".audit"),
    "evaluate": ".engine",
    **dict.fromkeys(("score_frame", "score_table"), ".batch"),
    **dict.fromkeys(("GroupResult", "IndicatorResult", "Result"), ".engine.result"),
    **dict.fromkeys(
        (
            "DataError",
            "DefinitionError",
            "EvaluationError",
            "FormulaError",
            "Location",
            "OptionError",
            "Problem",
            "ScoringError",
        ),
        ".errors",
    ),
    **dict.fromkeys(
        ("IndicatorSet", "Unit", "load_set", "load_unit", "parse_set", "parse_unit", "unit_from_mapping"),
        ".model",
    ),
}
_submodule = submodules_on_demand(__name__, __path__)


def __getattr__(name: str) -> Any:
    """Load a name of the API (or a subpackage, ``scoring.analysis``) when it is first used."""
    if name == "__version__":
        value: Any = importlib.import_module(".engine.evaluate", __name__).engine_version()
    elif name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    else:
        return _submodule(name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DataError",
    "DefinitionError",
    "EvaluationError",
    "Finding",
    "FormulaError",
    "GroupResult",
    "IndicatorResult",
    "IndicatorSet",
    "Location",
    "OptionError",
    "Problem",
    "Reproduction",
    "Result",
    "ScoringError",
    "Unit",
    "__version__",
    "evaluate",
    "load_set",
    "load_unit",
    "parse_set",
    "parse_unit",
    "reproduce",
    "score_frame",
    "score_table",
    "unit_from_mapping",
]
