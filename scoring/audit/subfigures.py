"""The printed figures below the points: totals against their sub-lines, and printed intermediate values
(``published.values``) against what the unit's figures give.

Both are audits of the table against itself: the unit's figures are the table's printed figures, so a total
that its sub-lines do not add up to, or a printed rate that its own budget lines contradict, is an
inconsistency of the table, found without the set's rules.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ..engine import environment
from ..engine.result import Result
from ..model.indicator_set import IndicatorSet
from ..model.unit import Unit
from ..numbers import ZERO, number_meant, plain, quantum_for, round_to, value_text, written_places
from .findings import FigureStatus, Finding, PublishedFigure
from .rounding import exact_text


def sum_findings(indicator_set: IndicatorSet, unit: Unit) -> list[Finding]:
    """Each total the unit gives beside all its parts, when the parts do not add up to it."""
    findings = []
    given = unit.spec.values
    for name, parts in indicator_set.totals.items():
        total = unit.values.get(name)
        figures = [unit.values.get(part) for part in parts]
        if name not in given or not isinstance(total, Decimal):
            continue
        if not all(isinstance(figure, Decimal) for figure in figures):
            continue
        numbers: list[Decimal] = [figure for figure in figures if isinstance(figure, Decimal)]
        added = sum(numbers, ZERO)
        if added == total:
            continue
        # a printed figure with decimals may be off by half a unit of its last one; whole numbers and
        # zeros are taken as exact (a blank line is no rounding, and amounts in whole units are counted)
        slack = sum(
            (quantum_for(written_places(n)) / 2 for n in [*numbers, total] if written_places(n)), ZERO
        )
        shown = " + ".join(plain(n) for n in numbers)
        label = _label(indicator_set, name)
        if abs(added - total) <= slack:
            message = (
                f"{label}: its sub-lines {', '.join(parts)} add up to {shown} = {plain(added)}, the printed "
                f"total is {plain(total)} — within the rounding of the printed figures"
            )
            check = "rounding"
        else:
            message = (
                f"{label}: its sub-lines {', '.join(parts)} add up to {shown} = {plain(added)}, not to the "
                f"printed total {plain(total)} (a difference of {plain(total - added)})"
            )
            check = "sum"
        findings.append(Finding(source="audit", check=check, subject=name, message=message, computed=added,
                                published=total))  # fmt: skip
    return findings


def value_figures(
    indicator_set: IndicatorSet, unit: Unit, result: Result
) -> list[tuple[PublishedFigure, Finding | None]]:
    """Each printed value of ``published.values`` beside what the unit's figures give, at the decimals it is
    printed with: its status, and the finding when they differ."""
    published = unit.published
    if published is None or not published.values:
        return []
    env, _ = environment(indicator_set, unit.values)
    rows = {row.id: row for row in result.indicators}
    out: list[tuple[PublishedFigure, Finding | None]] = []
    for name, printed in published.values.items():
        row = rows.get(name)
        computed = row.value if row is not None and name not in env else env.get(name)
        label = _label(indicator_set, name)
        if computed is None:
            figure = PublishedFigure(kind="value", subject=name, status="consistent", published=printed)
            out.append((figure, None))
            continue
        equal, shown = _agrees(computed, printed, indicator_set)
        status: FigureStatus = "reproduced" if equal else "not_reproduced"
        figure = PublishedFigure(kind="value", subject=name, status=status, published=printed, computed=shown)
        finding = None
        if not equal:
            gives = _text(shown)
            if isinstance(computed, Decimal) and computed != shown:
                gives = f"{exact_text(computed)} ({_text(shown)} at the printed decimals)"
            message = f"{label}: the table prints {_text(printed)}, its own figures give {gives}"
            finding = Finding(source="audit", check="value", subject=name, message=message, computed=shown,
                              published=printed)  # fmt: skip
        out.append((figure, finding))
    return out


def _agrees(computed: Any, printed: Decimal | str, indicator_set: IndicatorSet) -> tuple[bool, Any]:
    """Whether the computed value is the printed one at the printed decimals, and the computed value as
    compared (rounded to those decimals)."""
    if isinstance(printed, str) and isinstance(computed, Decimal) and not isinstance(computed, bool):
        # a number written as text, as tables print it ('93.50%', '1,234.56'): compared as that number
        meant = number_meant(printed)
        if meant is not None:
            printed = Decimal(meant)
    if isinstance(computed, bool) or isinstance(printed, str) or not isinstance(computed, Decimal):
        shown = value_text(computed) if isinstance(computed, bool) else _text(computed)
        return shown.strip() == _text(printed).strip(), shown
    rounded = round_to(computed, written_places(printed), indicator_set.rounding.mode)
    return rounded == printed, rounded


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # as written: a printed 93.60 keeps its last zero
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _label(indicator_set: IndicatorSet, name: str) -> str:
    """'name' (label) for an input, or an indicator."""
    declared = indicator_set.inputs.get(name)
    label = declared.label if declared is not None else None
    indicator = indicator_set.by_id.get(name)
    if indicator is not None and indicator.label != name:
        label = indicator.label
    return f"'{name}' ({label})" if label and label != name else f"'{name}'"
