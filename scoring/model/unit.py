"""One unit's data (the figures, N/A marks, judgments and overrides), checked against an indicator set.

A :class:`Unit` is always bound to the set it was checked against, so evaluation does no checking of its
own. Every problem — a missing input and the indicators that need it, a value of the wrong type, a
judgment outside its tier — is reported at once as a :class:`~scoring.errors.DataError` (the checks are
in :mod:`scoring.model.bind`; reading it in :mod:`scoring.model.loading`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from ..formats.unit_format import Published, UnitSpec
from ..formats.yaml import Document
from ..rules.judgment import Award
from ..rules.panel import Panel
from .indicator_set import IndicatorSet


@dataclass(frozen=True, slots=True, kw_only=True)
class Unknown:
    """An indicator whose points are not known: they lie somewhere in [low, high] (reference weight). It is
    also the unknown row's trace step."""

    kind: ClassVar[str] = "unknown"
    __json__ = ("kind", "low", "high", "tier", "reason")
    low: Decimal
    high: Decimal
    #: The judgment tier that narrows the range, with the evaluator's reason, when one was given.
    tier: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PanelUnknown(Unknown):
    """A panel row some of whose raters gave no points: the range is what the panel can still give."""

    __json__ = ("kind", "low", "high", "tier", "reason", "panel")  # type: ignore[assignment]  # one key more
    panel: Panel


@dataclass(frozen=True, slots=True, kw_only=True)
class Override:
    """Points an evaluator set for a row in place of the computed ones (at the rule's weight), and why."""

    points: Decimal
    reason: str


@dataclass(frozen=True, eq=False)
class Unit:
    """A unit's data bound to an indicator set. Build with :func:`load_unit`, :func:`parse_unit` or
    :func:`unit_from_mapping`."""

    spec: UnitSpec
    indicator_set: IndicatorSet
    source: str
    sha256: str
    #: Input values: Decimal for numbers, bool for booleans, str for text and for dates (their ISO text).
    values: Mapping[str, Decimal | bool | str]
    not_applicable: frozenset[str]
    judgments: Mapping[str, Award]
    overrides: Mapping[str, Override]
    #: Indicators whose points are not known: id → range of possible points (at the reference weight).
    unknown: Mapping[str, Unknown] = field(default_factory=dict)
    document: Document | None = None
    #: Totals the unit does not give, summed from their parts (inputs declared ``sum_of``).
    summed: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.spec.unit or Path(self.source).stem

    @property
    def period(self) -> str | None:
        return self.spec.period

    @property
    def published(self) -> Published | None:
        return self.spec.published

    def bind(self, indicator_set: IndicatorSet) -> Unit:
        """The same data checked against another indicator set."""
        from .bind import bind

        return bind(self.spec, indicator_set, self.source, self.sha256, self.document)
