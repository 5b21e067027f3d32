"""Reading files: text with bounded reads, YAML with the location of every value, and the pydantic models of
each file format (indicator set, unit data, weights), with their problems located."""

from .set_format import SetSpec
from .unit_format import UnitSpec
from .weights_format import WeightsSpec

__all__ = ["SetSpec", "UnitSpec", "WeightsSpec"]
