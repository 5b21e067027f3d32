"""Reproducing a published result from a unit's figures, and auditing the published table on its own."""

from .findings import Finding, Reproduction
from .reproduce import reproduce

__all__ = ["Finding", "Reproduction", "reproduce"]
