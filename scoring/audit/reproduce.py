"""Reproduce a published result and audit the published table's own arithmetic.

Two independent questions, as an auditor asks them:

- *Reproduction*: does the published total (grade, rows, subtotals) follow from the unit's figures under the
  set's rules? Each published figure is compared with the computed one, equal when they agree at the
  coarser of the two precisions. With unknown rows, the question becomes whether the published total is
  attainable, and what the unknown rows must add up to for it to hold.
- *Audit* (:mod:`scoring.audit.table`): is the published table consistent with itself?
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..engine import evaluate
from ..engine.result import IndicatorResult, Range, Result
from ..errors import DataError, Location, Problem
from ..formats.unit_format import Published
from ..model.indicator_set import IndicatorSet
from ..model.unit import Unit
from ..numbers import CONTEXT, fixed, plain, quantum_for, value_text
from .findings import FigureStatus, Finding, PublishedFigure, Reproduction
from .panel import panel_checks
from .rounding import exact_text, match, multiple_at_least, multiple_at_most, preimage
from .subfigures import sum_findings, value_figures
from .table import audit_table, points_of


def trace_of(row: IndicatorResult) -> str:
    """A row's trace in one line: its outcome, its inputs and its value."""
    inputs = ", ".join(f"{name} = {value_text(value)}" for name, value in row.inputs.items())
    value = f"; value {value_text(row.value)}" if row.value is not None else ""
    return f"{row.outcome}" + (f" [{inputs}{value}]" if inputs else "")


@dataclass(frozen=True)
class _Figure:
    """A computed row or subtotal, ready to be compared with its published figure."""

    subject: str
    check: str
    #: indicator or group: the kind of published figure it is.
    kind: str
    #: How the message names it: "'id' (label)" or "group 'path'".
    name: str
    #: The exact figure and the figure as rounded (None for both when it is a range).
    exact: Decimal | None
    rounded: Decimal | None
    points_range: Range | None
    #: What follows the computed figure in a message (" points" for rows).
    unit: str
    outside: Callable[[Decimal, Decimal, Decimal], str]
    trace: str | None = None


class _Reproducer:
    def __init__(self, indicator_set: IndicatorSet, unit: Unit, result: Result, published: Published) -> None:
        self.set = indicator_set
        self.unit = unit
        self.result = result
        self.published = published
        self.figures: list[PublishedFigure] = []
        self.rounding = indicator_set.rounding
        self.findings: list[Finding] = []
        self.matched: list[str] = []
        self.attainable: bool | None = None
        self.required: tuple[Decimal, Decimal] | None = None
        self.rows = {row.id: row for row in result.indicators}
        self.groups = {group.path: group for group in result.groups}

    def add(self, finding: Finding) -> None:
        """Record a finding, once per source, check and subject."""
        key = (finding.source, finding.check, finding.subject)
        if not any((f.source, f.check, f.subject) == key for f in self.findings):
            self.findings.append(finding)

    def run(self) -> Reproduction:
        self.compare_total()
        self.compare_grade()
        for indicator_id, entry in self.published.indicators.items():
            self.compare_row(indicator_id, points_of(entry)[0])
        for path, entry in self.published.groups.items():
            self.compare_group(path, points_of(entry)[0])
        for figure, finding in value_figures(self.set, self.unit, self.result):
            self.figures.append(figure)
            if finding is not None:
                self.add(finding)
        for finding in [
            *audit_table(self.set, self.result, self.published),
            *sum_findings(self.set, self.unit),
        ]:
            self.add(finding)
        gaps: tuple[Any, ...] = ()
        if any(f.kind in ("total", "grade") and f.status != "reproduced" for f in self.figures):
            from ..analysis.gap import published_gaps  # the margins solver, loaded only when needed

            gaps = published_gaps(self.set, self.unit, self.result)
        return Reproduction(
            result=self.result,
            published=self.published,
            gap=gaps,
            figures=tuple(self.figures),
            findings=tuple(self.findings),
            matched=tuple(self.matched),
            attainable=self.attainable,
            required_unknown=self.required,
            panels=panel_checks(self.set, self.unit, self.published),
        )

    def reproduction(self, check: str, subject: str, message: str, computed: object = None,
                     published: object = None, trace: str | None = None) -> None:  # fmt: skip
        self.add(Finding(source="reproduction", check=check, subject=subject, message=message,
                         computed=computed, published=published, trace=trace))  # fmt: skip

    def status(
        self, kind: str, subject: str, status: FigureStatus, published: object, computed: object
    ) -> None:
        self.figures.append(PublishedFigure(kind=kind, subject=subject, status=status,  # type: ignore[arg-type]
                                            published=published, computed=computed))  # fmt: skip

    def compare_total(self) -> None:
        published = self.published.total
        if published is None:
            return
        result = self.result
        if result.total is None or result.total_exact is None:
            self.feasibility(published)
            return
        exact = result.total_exact
        equal, rounding = match(exact, published, self.rounding.total_places, self.rounding.mode)
        self.status("total", "total", "reproduced" if equal else "not_reproduced", published, result.total)
        if equal:
            self.matched.append("total")
        elif rounding:
            message = f"the published total {plain(published)} is the computed {exact_text(exact)} {rounding}"
            self.reproduction("rounding", "total", message, result.total, published)
        else:
            message = (
                f"computed total {plain(result.total)} differs from the published {plain(published)} "
                f"by {plain(result.total - published)}"
            )
            self.reproduction("total", "total", message, result.total, published)

    def feasibility(self, published: Decimal) -> None:
        """Whether the unknown rows can add up to what the published total needs, and to what."""
        result = self.result
        assert result.total_range is not None and result.unknown_range is not None
        low, high = preimage(published, self.rounding.total_places, self.rounding.mode)
        # total_exact = (row_sum + unknown) × maximum / attainable  →  bounds on the unknown rows' sum
        need_low = low.value * result.attainable / result.maximum - result.row_sum
        need_high = high.value * result.attainable / result.maximum - result.row_sum
        step = quantum_for(self.rounding.places)
        # the unknown rows' sum is a sum of rounded rows: a multiple of the row precision
        first = max(multiple_at_least(need_low, step, low.closed), result.unknown_range[0])
        last = min(multiple_at_most(need_high, step, high.closed), result.unknown_range[1])
        total_low, total_high = result.total_range
        places = self.rounding.total_places
        span = f"{fixed(total_low, places)} to {fixed(total_high, places)}"
        self.status("total", "total", "consistent" if first <= last else "not_reproduced", published, span)
        if first <= last:
            self.attainable = True
            self.required = (first, last)
            self.matched.append("total attainable")
            return
        self.attainable = False
        message = (
            f"the published total {plain(published)} is outside the attainable range "
            f"{plain(total_low)} to {plain(total_high)}, whatever the unknown rows score"
        )
        self.reproduction("attainable", "total", message, span, published)

    def compare_grade(self) -> None:
        published = self.published.grade
        if published is None:
            return
        result = self.result
        labels = [grade.label for grade in self.set.grades]
        computed = result.grade or " or ".join(result.grades_possible)
        if result.grade == published:
            status: FigureStatus = "reproduced"
        else:
            status = (
                "consistent"
                if result.grade is None and published in result.grades_possible
                else "not_reproduced"
            )
        self.status("grade", "grade", status, published, computed)
        if published not in labels:
            message = f"the published grade '{published}' is not a grade of the set ({', '.join(labels)})"
            self.reproduction("grade", "grade", message, result.grade, published)
        elif published in result.grades_possible:
            self.matched.append("grade")
        else:
            message = f"computed grade {computed} differs from the published {published}"
            self.reproduction("grade", "grade", message, computed, published)

    def compare_row(self, indicator_id: str, points: Decimal) -> None:
        row = self.rows.get(indicator_id)
        if row is None:
            message = f"the published table lists '{indicator_id}', which is not a row of the set"
            self.reproduction("row", indicator_id, message)
            self.status("indicator", indicator_id, "not_reproduced", points, None)
            return
        if not row.counted:
            message = (
                f"'{indicator_id}' is not applicable and left out (rescale), but the table gives it "
                f"{plain(points)} points"
            )
            self.reproduction("row", indicator_id, message, None, points, trace_of(row))
            self.status("indicator", indicator_id, "not_reproduced", points, None)
            return
        figure = _Figure(
            subject=indicator_id,
            check="row",
            kind="indicator",
            name=f"'{indicator_id}' ({row.label})",
            exact=row.points_exact,
            rounded=row.points if row.points is not None else Decimal(0),
            points_range=row.points_range,
            unit=" points",
            outside=lambda low, high, p: (
                f"'{indicator_id}' is unknown here, but its possible points {plain(low)} to {plain(high)} "
                f"exclude the published {plain(p)}"
            ),
            trace=trace_of(row),
        )
        self.compare(figure, points)

    def compare_group(self, path: str, points: Decimal) -> None:
        group = self.groups.get(path)
        if group is None:
            message = f"the published table lists '{path}', which is not a group of the set"
            self.reproduction("group", path, message)
            self.status("group", path, "not_reproduced", points, None)
            return
        figure = _Figure(
            subject=path,
            check="group",
            kind="group",
            name=f"group '{path}'",
            exact=group.points,
            rounded=group.points,
            points_range=group.points_range,
            unit="",
            outside=lambda low, high, p: (
                f"group '{path}' can score {plain(low)} to {plain(high)} here, not the published {plain(p)}"
            ),
        )
        self.compare(figure, points)

    def compare(self, figure: _Figure, published: Decimal) -> None:
        """One computed row or subtotal against its published figure: equal, off by rounding, or different."""
        if figure.exact is None or figure.rounded is None:
            assert figure.points_range is not None
            low, high = figure.points_range
            inside = low <= published <= high
            status: FigureStatus = "consistent" if inside else "not_reproduced"
            self.status(figure.kind, figure.subject, status, published, f"{plain(low)} to {plain(high)}")
            if inside:
                self.matched.append(figure.subject)
            else:
                message = figure.outside(low, high, published)
                self.reproduction(figure.check, figure.subject, message, f"{plain(low)} to {plain(high)}",
                                  published, figure.trace)  # fmt: skip
            return
        equal, rounding = match(figure.exact, published, self.rounding.places, self.rounding.mode)
        self.status(figure.kind, figure.subject, "reproduced" if equal else "not_reproduced", published,
                    figure.rounded)  # fmt: skip
        if equal:
            self.matched.append(figure.subject)
            return
        what = f"is the computed {exact_text(figure.exact)} {rounding}" if rounding else "differs"
        message = f"{figure.name}: the published {plain(published)} {what}; computed {plain(figure.rounded)}{figure.unit}"
        check = "rounding" if rounding else figure.check
        self.reproduction(check, figure.subject, message, figure.rounded, published, figure.trace)


def reproduce(indicator_set: IndicatorSet, unit: Unit, result: Result | None = None) -> Reproduction:
    """Compare the unit's ``published`` figures with the computed result, and audit them on their own."""
    if unit.indicator_set is not indicator_set:
        unit = unit.bind(indicator_set)
    if unit.published is None:
        raise DataError(
            Problem(
                "no-published",
                "the unit data has no published: section to reproduce",
                Location(unit.source),
                unit.name,
                "add published: {total: ..., grade: ...} with the figures to check",
            )
        )
    if result is None:
        result = evaluate(indicator_set, unit)
    with decimal.localcontext(CONTEXT):
        return _Reproducer(indicator_set, unit, result, unit.published).run()
