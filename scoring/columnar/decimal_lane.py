"""The last lane before the whole engine: single points the exact lane could not settle, computed with the
engine's own Decimal code.

Some points depend on the engine's 50-digit rounding itself: 23 / 24 × 100 × 3 / 100 is exactly 2.875 in
rationals, and the engine's non-terminating 95.8333… × 3 / 100 may land on 2.875 or just below it. Only the
engine's arithmetic can say, so these points are computed by it — the row's environment (its values and
derived names, :func:`scoring.engine.evaluate.environment`), the indicator's formula and rule
(:func:`~scoring.engine.evaluate.score_indicator`), the weight and the rounding — for just the points
concerned, without binding and scoring the whole unit again. A row where this fails (a formula or rule
failing, a derived name failing, a judged row) is left to the whole engine, which reports it.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..engine.evaluate import at_weight, environment, score_indicator
from ..engine.failures import FAILURES
from ..model.indicator_set import IndicatorSet
from ..numbers import CONTEXT, ROUNDING_MODES, quantum_for
from .exact import to_units


def reference_cells(
    indicator_set: IndicatorSet, values: Mapping[str, Any], indexes: Iterable[int]
) -> dict[int, Decimal] | None:
    """The points at the reference weight, unrounded, of the given indicators (by index) for one row with
    these checked ``values``, exactly as the engine computes them; None when the row must be scored by the
    whole engine."""
    with decimal.localcontext(CONTEXT):
        env, failed = environment(indicator_set, values)
        points: dict[int, Decimal] = {}
        for index in indexes:
            indicator = indicator_set.indicators[index]
            if indicator.rule.judged or not indicator.needs_derived.isdisjoint(failed):
                return None
            try:
                _, points[index], _ = score_indicator(indicator, env, None)  # type: ignore[arg-type]
            except FAILURES:
                return None
    return points


def score_cells(
    indicator_set: IndicatorSet, values: Mapping[str, Any], indexes: Iterable[int]
) -> dict[int, int] | None:
    """The rounded points (integers of ``10^-places``) of the given indicators (by index) for one row with
    these checked ``values``; None when the row must be scored by the whole engine."""
    reference = reference_cells(indicator_set, values, indexes)
    if reference is None:
        return None
    rounding = indicator_set.rounding
    quantum, mode = quantum_for(rounding.places), ROUNDING_MODES[rounding.mode]
    points: dict[int, int] = {}
    with decimal.localcontext(CONTEXT):
        for index, value in reference.items():
            indicator = indicator_set.indicators[index]
            exact = at_weight(value, indicator.weight, indicator.reference_weight)
            points[index] = to_units(exact.quantize(quantum, rounding=mode), rounding.places)
    return points
