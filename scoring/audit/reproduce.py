"""Reproduce a published result and audit the published table's own arithmetic.

Two independent questions, as an auditor asks them:

- *Reproduction*: does the published total (grade, rows, subtotals) follow from the unit's figures under the
  set's rules? Each published figure is compared with the computed one, equal when they agree at the
  coarser of the two precisions. With unknown rows, the question becomes whether the published total is
  attainable, and what the unknown rows must add up to for it to hold.
- *Audit*: is the published table consistent with itself? Rows within [0, weight], rows adding up to the
  published subtotals and total (within rounding), the grade matching the total's band, and printed weights
  matching the set. This uses only published figures (and the set), never our computation.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..engine.evaluate import evaluate
from ..engine.result import IndicatorResult, Result
from ..errors import DataError, Location, Problem
from ..formats import models as spec
from ..model.indicator_set import IndicatorSet
from ..model.unit import Unit
from ..numbers import CONTEXT, ROUNDING_MODES, plain, quantum_for, round_to, written_places

Source = Literal["reproduction", "audit"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference or inconsistency, with the numbers on both sides and the row's trace."""

    source: Source
    #: What was checked: total, grade, row, group, attainable, rounding, row-range, weight, group-sum,
    #: total-sum, grade-band.
    check: str
    #: 'total', 'grade', an indicator id or a group path.
    subject: str
    message: str
    computed: Any = None
    published: Any = None
    #: The row's trace (rule outcome and inputs) when the finding concerns one row.
    trace: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "check": self.check,
            "subject": self.subject,
            "message": self.message,
            "computed": self.computed,
            "published": self.published,
            "trace": self.trace,
        }


@dataclass(frozen=True, slots=True)
class Bound:
    """An interval end: value and whether the interval includes it."""

    value: Decimal
    closed: bool


@dataclass
class Reproduction:
    """The outcome of :func:`reproduce`: findings, what matched, and what the unknown rows would need."""

    result: Result
    published: spec.Published
    findings: list[Finding] = field(default_factory=list)
    #: Subjects compared and found equal (e.g. 'total', 'grade', row ids).
    matched: list[str] = field(default_factory=list)
    #: With unknown rows and a published total: whether that total is attainable.
    attainable: bool | None = None
    #: With unknown rows: the range the unknown rows' points must add up to for the published total.
    required_unknown: tuple[Decimal, Decimal] | None = None

    @property
    def reproduced(self) -> bool:
        """Every published figure follows from the data (impossible to claim while rows are unknown)."""
        return self.result.complete and not self.differences

    @property
    def differences(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "reproduction"]

    @property
    def audit_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "audit"]

    @property
    def ok(self) -> bool:
        """Reproduced and the audit is clean."""
        return self.reproduced and not self.audit_findings

    def rows_by_status(self) -> dict[str, list[IndicatorResult]]:
        grouped: dict[str, list[IndicatorResult]] = {}
        for row in self.result.indicators:
            grouped.setdefault(row.status, []).append(row)
        return grouped

    def rows_by_basis(self) -> dict[str, list[IndicatorResult]]:
        """Rows by what their points rest on: scored, judged, overridden, not_applicable, tier (judged
        within a tier without points) and unknown (no basis in the data)."""
        grouped = self.rows_by_status()
        unknown = grouped.pop("unknown", [])
        tier = [row for row in unknown if getattr(row._step, "tier", None)]
        rest = [row for row in unknown if not getattr(row._step, "tier", None)]
        return {**grouped, **({"tier": tier} if tier else {}), **({"unknown": rest} if rest else {})}

    def to_dict(self) -> dict[str, Any]:
        published = self.published.model_dump(exclude_none=True)
        return {
            **self.result.provenance.to_dict(),
            "unit": self.result.unit,
            "period": self.result.period,
            "reproduced": self.reproduced,
            "audit_clean": not self.audit_findings,
            "ok": self.ok,
            "published": published,
            "computed": {
                "total": self.result.total,
                "grade": self.result.grade,
                "total_range": list(self.result.total_range) if self.result.total_range else None,
                "grades_possible": list(self.result.grades_possible),
            },
            "attainable": self.attainable,
            "required_unknown": list(self.required_unknown) if self.required_unknown else None,
            "rows": {status: [row.id for row in rows] for status, rows in self.rows_by_basis().items()},
            "matched": self.matched,
            "findings": [f.to_dict() for f in self.findings],
        }


def rounds_to(value: Decimal, published: Decimal, places: int, mode: str) -> bool:
    """Whether ``value`` rounded to ``places`` with ``mode`` gives ``published``."""
    return round_to(value, places, mode) == published  # type: ignore[arg-type]


def preimage(published: Decimal, places: int, mode: str) -> tuple[Bound, Bound]:
    """The exact values that round to ``published`` at ``places`` with ``mode`` (for values ≥ 0)."""
    half = quantum_for(places) / 2
    if mode == "half_up":
        return Bound(published - half, True), Bound(published + half, False)
    if mode == "half_even":
        even = int(published.scaleb(places, context=CONTEXT)) % 2 == 0
        return Bound(published - half, even), Bound(published + half, even)
    if mode == "down":
        return Bound(published, True), Bound(published + 2 * half, False)
    return Bound(published - 2 * half, False), Bound(published, True)


def _points_of(entry: Decimal | spec.PublishedRow) -> tuple[Decimal, Decimal | None]:
    if isinstance(entry, spec.PublishedRow):
        return entry.points, entry.weight
    return entry, None


def _trace(row: IndicatorResult) -> str:
    inputs = ", ".join(f"{name} = {_plain(value)}" for name, value in row.inputs.items())
    value = f"; value {_plain(row.value)}" if row.value is not None else ""
    return f"{row.outcome}" + (f" [{inputs}{value}]" if inputs else "")


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(round_to(value, 4)) if value.as_tuple().exponent < -4 else plain(value)  # type: ignore[operator]
    return str(value)


class _Reproducer:
    def __init__(self, indicator_set: IndicatorSet, result: Result, published: spec.Published) -> None:
        self.set = indicator_set
        self.result = result
        self.published = published
        self.rounding = indicator_set.spec.rounding
        self.out = Reproduction(result, published)
        self.rows = {row.id: row for row in result.indicators}
        self.groups = {group.path: group for group in result.groups}

    def add(self, finding: Finding) -> None:
        key = (finding.source, finding.check, finding.subject)
        if not any((f.source, f.check, f.subject) == key for f in self.out.findings):
            self.out.findings.append(finding)

    def run(self) -> Reproduction:
        self.compare_total()
        self.compare_grade()
        self.compare_rows()
        self.compare_groups()
        self.audit_rows()
        self.audit_groups()
        self.audit_total()
        self.audit_grade()
        return self.out

    def match(self, exact: Decimal, published: Decimal, places: int) -> tuple[bool, str | None]:
        """Whether ``published`` is ``exact`` at the set's precision; if not, what rounding would explain it.

        Equal means equal after rounding both to the set's places with its mode: a table printing fewer
        decimals than the set declares does not count as reproducing it, but the explanation says so.
        """
        mode = self.rounding.mode
        if round_to(exact, places, mode) == round_to(published, places, mode):  # type: ignore[arg-type]
            return True, None
        reasons = [
            f"rounded {m}" for m in ROUNDING_MODES if m != mode and rounds_to(exact, published, places, m)
        ]
        written = written_places(published)
        if written < places and rounds_to(exact, published, written, mode):
            reasons.append(f"rounded to {written} decimals")
        if not reasons:
            return False, None
        return False, f"{' or '.join(reasons)}, where the set declares {places} decimals {mode}"

    # --- reproduction ---------------------------------------------------------------------------------

    def compare_total(self) -> None:
        published = self.published.total
        if published is None:
            return
        result, places = self.result, self.rounding.total_places
        if result.total is None:
            self.feasibility(published)
            return
        exact = result.total_exact
        assert exact is not None
        equal, rounding = self.match(exact, published, places)
        if equal:
            self.out.matched.append("total")
        elif rounding:
            self.add(
                Finding(
                    "reproduction",
                    "rounding",
                    "total",
                    f"the published total {plain(published)} is the computed {plain(exact)} {rounding}",
                    result.total,
                    published,
                )
            )
        else:
            self.add(
                Finding(
                    "reproduction",
                    "total",
                    "total",
                    f"computed total {plain(result.total)} differs from the published {plain(published)} "
                    f"by {plain(result.total - published)}",
                    result.total,
                    published,
                )
            )

    def feasibility(self, published: Decimal) -> None:
        result = self.result
        assert result.total_range is not None and result.unknown_range is not None
        low, high = preimage(published, self.rounding.total_places, self.rounding.mode)
        # total_exact = (row_sum + unknown) × maximum / attainable  →  bounds on the unknown rows' sum
        factor_num, factor_den = result.attainable, result.maximum
        need_low = low.value * factor_num / factor_den - result.row_sum
        need_high = high.value * factor_num / factor_den - result.row_sum
        step = quantum_for(self.rounding.places)
        # the unknown rows' sum is a sum of rounded rows: a multiple of the row precision
        first = _multiple_at_least(need_low, step, low.closed)
        last = _multiple_at_most(need_high, step, high.closed)
        first = max(first, result.unknown_range[0])
        last = min(last, result.unknown_range[1])
        if first <= last:
            self.out.attainable = True
            self.out.required_unknown = (first, last)
            self.out.matched.append("total attainable")
        else:
            self.out.attainable = False
            total_low, total_high = result.total_range
            self.add(
                Finding(
                    "reproduction",
                    "attainable",
                    "total",
                    f"the published total {plain(published)} is outside the attainable range "
                    f"{plain(total_low)} to {plain(total_high)}, whatever the unknown rows score",
                    f"{plain(total_low)} to {plain(total_high)}",
                    published,
                )
            )

    def compare_grade(self) -> None:
        published = self.published.grade
        if published is None:
            return
        result = self.result
        labels = [grade.label for grade in self.set.grades]
        if published not in labels:
            self.add(
                Finding(
                    "reproduction",
                    "grade",
                    "grade",
                    f"the published grade '{published}' is not a grade of the set ({', '.join(labels)})",
                    result.grade,
                    published,
                )
            )
        elif published in result.grades_possible:
            self.out.matched.append("grade")
        else:
            computed = result.grade or " or ".join(result.grades_possible)
            self.add(
                Finding(
                    "reproduction",
                    "grade",
                    "grade",
                    f"computed grade {computed} differs from the published {published}",
                    computed,
                    published,
                )
            )

    def compare_rows(self) -> None:
        places = self.rounding.places
        for indicator_id, entry in self.published.indicators.items():
            row = self.rows.get(indicator_id)
            if row is None:
                self.add(
                    Finding(
                        "reproduction",
                        "row",
                        indicator_id,
                        f"the published table lists '{indicator_id}', which is not a row of the set",
                    )
                )
                continue
            points, _ = _points_of(entry)
            if not row.counted:
                self.add(
                    Finding(
                        "reproduction",
                        "row",
                        indicator_id,
                        f"'{indicator_id}' is not applicable and left out (rescale), but the table gives it "
                        f"{plain(points)} points",
                        None,
                        points,
                        _trace(row),
                    )
                )
                continue
            if row.points_exact is None:
                assert row.points_range is not None
                low, high = row.points_range
                if low <= points <= high:
                    self.out.matched.append(indicator_id)
                else:
                    self.add(
                        Finding(
                            "reproduction",
                            "row",
                            indicator_id,
                            f"'{indicator_id}' is unknown here, but its possible points {plain(low)} to "
                            f"{plain(high)} exclude the published {plain(points)}",
                            f"{plain(low)} to {plain(high)}",
                            points,
                            _trace(row),
                        )
                    )
                continue
            equal, rounding = self.match(row.points_exact, points, places)
            if equal:
                self.out.matched.append(indicator_id)
            else:
                what = f"is the computed {plain(row.points_exact)} {rounding}" if rounding else "differs"
                self.add(
                    Finding(
                        "reproduction",
                        "rounding" if rounding else "row",
                        indicator_id,
                        f"'{indicator_id}' ({row.label}): the published {plain(points)} {what}; computed "
                        f"{plain(row.points if row.points is not None else Decimal(0))} points",
                        row.points,
                        points,
                        _trace(row),
                    )
                )

    def compare_groups(self) -> None:
        places = self.rounding.places
        for path, entry in self.published.groups.items():
            group = self.groups.get(path)
            points, _ = _points_of(entry)
            if group is None:
                self.add(
                    Finding(
                        "reproduction",
                        "group",
                        path,
                        f"the published table lists '{path}', which is not a group of the set",
                    )
                )
                continue
            if group.points is None:
                assert group.points_range is not None
                low, high = group.points_range
                if low <= points <= high:
                    self.out.matched.append(path)
                else:
                    self.add(
                        Finding(
                            "reproduction",
                            "group",
                            path,
                            f"group '{path}' can score {plain(low)} to {plain(high)} here, not the published "
                            f"{plain(points)}",
                            f"{plain(low)} to {plain(high)}",
                            points,
                        )
                    )
                continue
            equal, rounding = self.match(group.points, points, places)
            if equal:
                self.out.matched.append(path)
            else:
                what = f"is the computed {plain(group.points)} {rounding}" if rounding else "differs"
                self.add(
                    Finding(
                        "reproduction",
                        "rounding" if rounding else "group",
                        path,
                        f"group '{path}': the published {plain(points)} {what}; computed {plain(group.points)}",
                        group.points,
                        points,
                    )
                )

    # --- audit of the published table ---------------------------------------------------------------

    def audit_rows(self) -> None:
        for indicator_id, entry in self.published.indicators.items():
            indicator = self.set.by_id.get(indicator_id)
            if indicator is None:
                continue
            points, printed_weight = _points_of(entry)
            if printed_weight is not None and printed_weight != indicator.weight:
                self.add(
                    Finding(
                        "audit",
                        "weight",
                        indicator_id,
                        f"the table prints weight {plain(printed_weight)} for '{indicator_id}', the set has "
                        f"{plain(indicator.weight)}",
                        indicator.weight,
                        printed_weight,
                    )
                )
            weight = printed_weight if printed_weight is not None else indicator.weight
            if not 0 <= points <= weight:
                self.add(
                    Finding(
                        "audit",
                        "row-range",
                        indicator_id,
                        f"'{indicator_id}' is given {plain(points)} points, outside 0 to its weight {plain(weight)}",
                        None,
                        points,
                    )
                )

    def audit_groups(self) -> None:
        for path, entry in self.published.groups.items():
            group = self.groups.get(path)
            if group is None:
                continue
            points, printed_weight = _points_of(entry)
            set_weight = sum((self.set.indicator(member).weight for member in group.members), Decimal(0))
            if printed_weight is not None and printed_weight != set_weight:
                self.add(
                    Finding(
                        "audit",
                        "weight",
                        path,
                        f"the table prints weight {plain(printed_weight)} for group '{path}', its indicators in "
                        f"the set add up to {plain(set_weight)}",
                        set_weight,
                        printed_weight,
                    )
                )
            members = self.counted_members(group.members)
            rows = self.published_points(members)
            if rows is None:
                continue
            self.check_sum(
                "group-sum", path, sum(rows, Decimal(0)), points, self.rounding.places, f"group '{path}'"
            )

    def audit_total(self) -> None:
        published = self.published.total
        if published is None:
            return
        members = self.counted_members(row.id for row in self.result.indicators)
        rows = self.published_points(members)
        if rows is None:
            top = [group.path for group in self.result.groups if group.depth == 0]
            ungrouped = [row.id for row in self.result.indicators if row.group is None and row.counted]
            if not top or any(path not in self.published.groups for path in top):
                return
            rows = [_points_of(self.published.groups[path])[0] for path in top]
            more = self.published_points(ungrouped)
            if more is None:
                return
            rows += more
        row_sum = sum(rows, Decimal(0))
        result = self.result
        exact = row_sum * result.maximum / result.attainable if result.scale is not None else row_sum
        self.check_sum("total-sum", "total", exact, published, self.rounding.total_places, "the total")

    def check_sum(
        self, check: str, subject: str, exact: Decimal, published: Decimal, places: int, what: str
    ) -> None:
        equal, rounding = self.match(exact, published, places)
        if equal:
            return
        if rounding:
            self.add(
                Finding(
                    "audit",
                    "rounding",
                    subject,
                    f"the published rows add up to {plain(exact)}, which gives {what} {plain(published)} only "
                    f"when {rounding}",
                    exact,
                    published,
                )
            )
            return
        self.add(
            Finding(
                "audit",
                check,
                subject,
                f"the published rows add up to {plain(exact)}, not to {what} {plain(published)}",
                exact,
                published,
            )
        )

    def audit_grade(self) -> None:
        total, grade = self.published.total, self.published.grade
        if total is None or grade is None:
            return
        expected = self.set.grade_for(total)
        if expected != grade:
            self.add(
                Finding(
                    "audit",
                    "grade-band",
                    "grade",
                    f"a total of {plain(total)} earns grade {expected} in the set's bands, but the table says {grade}",
                    expected,
                    grade,
                )
            )

    def counted_members(self, ids: Iterable[str]) -> list[str]:
        return [i for i in ids if self.rows[i].counted]

    def published_points(self, ids: list[str]) -> list[Decimal] | None:
        """The published points of these rows, or None unless the table gives every one of them."""
        if any(i not in self.published.indicators for i in ids):
            return None
        return [_points_of(self.published.indicators[i])[0] for i in ids]


def _multiple_at_least(value: Decimal, step: Decimal, closed: bool) -> Decimal:
    multiple = (value / step).to_integral_value(rounding="ROUND_CEILING") * step
    return multiple if closed or multiple != value else multiple + step


def _multiple_at_most(value: Decimal, step: Decimal, closed: bool) -> Decimal:
    multiple = (value / step).to_integral_value(rounding="ROUND_FLOOR") * step
    return multiple if closed or multiple != value else multiple - step


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
    published = unit.published
    with decimal.localcontext(CONTEXT):
        return _Reproducer(indicator_set, result, published).run()
