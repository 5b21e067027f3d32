"""The model: an indicator set validated and built once, and units' data bound to it."""

from .indicator_set import Grade, Group, Indicator, IndicatorSet
from .loading import load_set, load_unit, parse_set, parse_unit, unit_from_mapping
from .unit import Override, Unit, Unknown

__all__ = [
    "Grade",
    "Group",
    "Indicator",
    "IndicatorSet",
    "Override",
    "Unit",
    "Unknown",
    "load_set",
    "load_unit",
    "parse_set",
    "parse_unit",
    "unit_from_mapping",
]
