"""Evaluation: one unit scored against one set, with the trace of every point."""

from .evaluate import at_weight, engine_version, environment, evaluate, rounded_total, score_indicator
from .failures import FAILURES, number_or_bool
from .result import GroupResult, IndicatorResult, Provenance, Result

__all__ = [
    "FAILURES",
    "GroupResult",
    "IndicatorResult",
    "Provenance",
    "Result",
    "at_weight",
    "engine_version",
    "environment",
    "evaluate",
    "number_or_bool",
    "rounded_total",
    "score_indicator",
]
