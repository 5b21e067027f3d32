"""Subpackages whose modules load on first use, so that ``import scoring`` stays light (no numpy, no tables)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from types import ModuleType


def submodules_on_demand(package: str, path: Iterable[str]) -> Callable[[str], ModuleType]:
    """A module ``__getattr__`` (PEP 562) for ``package`` that imports its module ``name`` when first asked
    for ``package.name``: ``scoring.analysis.cohort`` works after a plain ``import scoring``."""
    names = frozenset(info.name for info in pkgutil.iter_modules(list(path)))

    def load(name: str) -> ModuleType:
        if name in names:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return load
