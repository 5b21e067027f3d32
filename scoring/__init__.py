"""scoring — a rule-based scoring engine.

Indicator sets (YAML: inputs, formulas, weights, scoring rules, grade bands) are evaluated against one
unit's data to give per-indicator, group and total scores, each with the trace of how it was reached::

    import scoring

    indicator_set = scoring.load_set("indicators/demo.yaml")
    unit = scoring.load_unit("examples/demo.yaml", indicator_set)
    result = scoring.evaluate(indicator_set, unit)
    print(result.total, result.grade)

The names listed in ``__all__`` are the stable API. The analyses over many units live in
:mod:`scoring.analysis` and the outputs in :mod:`scoring.report`; both load on first use, so ``import scoring``
stays light (numpy, for one, is loaded only by the analyses that need it).
"""

from __future__ import annotations

from .audit import Finding, Reproduction, reproduce
from .engine import evaluate
from .engine.evaluate import engine_version
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
from .lazy import submodules_on_demand
from .model import IndicatorSet, Unit, load_set, load_unit, parse_set, parse_unit, unit_from_mapping

__version__ = engine_version()

# subpackages not imported above (``scoring.analysis``, ``scoring.report``) load when first used
__getattr__ = submodules_on_demand(__name__, __path__)


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
    "unit_from_mapping",
]
