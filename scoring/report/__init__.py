"""Presentation: results and analyses as text tables, Markdown, CSV and JSON, for people and machines.

Nothing below this package prints or formats for display; every command's output is made here.
"""

from __future__ import annotations

from ..lazy import submodules_on_demand

__getattr__ = submodules_on_demand(__name__, __path__)
