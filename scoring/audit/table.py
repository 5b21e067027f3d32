"""The audit of a published table on its own: is it consistent with itself (and with the set's weights)?

Rows within [0, weight], rows adding up to the published subtotals and total (within rounding), the grade
matching the total's band, and printed weights matching the set. Only published figures (and the set) are
used, never the computation.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..engine.result import Result
from ..formats.unit_format import Published, PublishedRow
from ..model.indicator_set import IndicatorSet
from ..numbers import ZERO, plain
from .findings import Finding
from .rounding import exact_text, match


def audit_table(indicator_set: IndicatorSet, result: Result, published: Published) -> list[Finding]:
    """Every inconsistency of the published table (run inside the engine's decimal context)."""
    audit = _Audit(indicator_set, result, published)
    audit.rows()
    audit.groups()
    audit.total()
    audit.grade()
    return audit.findings


def points_of(entry: Decimal | PublishedRow) -> tuple[Decimal, Decimal | None]:
    """(points, printed weight or None) of a published row or subtotal."""
    return (entry.points, entry.weight) if isinstance(entry, PublishedRow) else (entry, None)


class _Audit:
    def __init__(self, indicator_set: IndicatorSet, result: Result, published: Published) -> None:
        self.set = indicator_set
        self.result = result
        self.published = published
        self.findings: list[Finding] = []
        self.counted = {row.id for row in result.indicators if row.counted}

    def add(self, check: str, subject: str, message: str, computed: object, published: object) -> None:
        self.findings.append(
            Finding(
                source="audit",
                check=check,
                subject=subject,
                message=message,
                computed=computed,
                published=published,
            )
        )

    def rows(self) -> None:
        for indicator_id, entry in self.published.indicators.items():
            indicator = self.set.by_id.get(indicator_id)
            if indicator is None:
                continue
            points, printed = points_of(entry)
            if printed is not None and printed != indicator.weight:
                message = (
                    f"the table prints weight {plain(printed)} for '{indicator_id}', the set has "
                    f"{plain(indicator.weight)}"
                )
                self.add("weight", indicator_id, message, indicator.weight, printed)
            weight = printed if printed is not None else indicator.weight
            if not 0 <= points <= weight:
                message = f"'{indicator_id}' is given {plain(points)} points, outside 0 to its weight {plain(weight)}"
                self.add("row-range", indicator_id, message, None, points)

    def groups(self) -> None:
        groups = {group.path: group for group in self.result.groups}
        for path, entry in self.published.groups.items():
            group = groups.get(path)
            if group is None:
                continue
            points, printed = points_of(entry)
            weight = sum((self.set.indicator(member).weight for member in group.members), ZERO)
            if printed is not None and printed != weight:
                message = (
                    f"the table prints weight {plain(printed)} for group '{path}', its indicators in the set "
                    f"add up to {plain(weight)}"
                )
                self.add("weight", path, message, weight, printed)
            rows = self.published_points(member for member in group.members if member in self.counted)
            if rows is not None:
                self.check_sum(
                    "group-sum", path, sum(rows, ZERO), points, self.set.rounding.places, f"group '{path}'"
                )

    def total(self) -> None:
        published = self.published.total
        if published is None:
            return
        rows = self.published_points(row.id for row in self.result.indicators if row.id in self.counted)
        if rows is None:
            rows = self.top_level_points()
            if rows is None:
                return
        result = self.result
        row_sum = sum(rows, ZERO)
        exact = row_sum * result.maximum / result.attainable if result.scale is not None else row_sum
        self.check_sum("total-sum", "total", exact, published, self.set.rounding.total_places, "the total")

    def top_level_points(self) -> list[Decimal] | None:
        """The published subtotals of the top-level groups and the published rows outside any group, when
        the table prints all of them."""
        top = [group.path for group in self.result.groups if group.depth == 0]
        if not top or any(path not in self.published.groups for path in top):
            return None
        ungrouped = self.published_points(
            row.id for row in self.result.indicators if row.group is None and row.id in self.counted
        )
        if ungrouped is None:
            return None
        return [points_of(self.published.groups[path])[0] for path in top] + ungrouped

    def check_sum(
        self, check: str, subject: str, exact: Decimal, published: Decimal, places: int, what: str
    ) -> None:
        equal, rounding = match(exact, published, places, self.set.rounding.mode)
        if equal:
            return
        if rounding:
            message = (
                f"the published rows add up to {exact_text(exact)}, which gives {what} {plain(published)} only "
                f"when {rounding}"
            )
            self.add("rounding", subject, message, exact, published)
            return
        message = f"the published rows add up to {exact_text(exact)}, not to {what} {plain(published)}"
        self.add(check, subject, message, exact, published)

    def grade(self) -> None:
        total, grade = self.published.total, self.published.grade
        if total is None or grade is None:
            return
        expected = self.set.grade_for(total)
        if expected != grade:
            message = f"a total of {plain(total)} earns grade {expected} in the set's bands, but the table says {grade}"
            self.add("grade-band", "grade", message, expected, grade)

    def published_points(self, ids: Iterable[str]) -> list[Decimal] | None:
        """The published points of these rows, or None unless the table gives every one of them."""
        points = []
        for indicator_id in ids:
            entry = self.published.indicators.get(indicator_id)
            if entry is None:
                return None
            points.append(points_of(entry)[0])
        return points
