"""scoring — a rule-based scoring engine.

Indicator sets (YAML: inputs, formulas, weights, scoring rules, grade bands) are evaluated against one
unit's data to give per-indicator, group and total scores, each with the trace of how it was reached::

    import scoring

    indicator_set = scoring.load_set("indicators/demo.yaml")
    unit = scoring.load_unit("examples/demo.yaml", indicator_set)
    result = scoring.evaluate(indicator_set, unit)
    print(result.total, result.grade)
"""

from .audit.reproduce import Finding, Reproduction, reproduce
from .engine.evaluate import evaluate
from .engine.result import GroupResult, IndicatorResult, Result
from .errors import (
    DataError,
    DefinitionError,
    EvaluationError,
    FormulaError,
    Location,
    Problem,
    ScoringError,
)
from .model.indicator_set import IndicatorSet, load_set, parse_set
from .model.unit import Unit, load_unit, parse_unit, unit_from_mapping
from .version import __version__

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
    "unit_from_mapping",
]
