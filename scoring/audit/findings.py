"""What reproducing a published result finds: each difference or inconsistency, and the outcome as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ..engine.result import IndicatorResult, Result
from ..formats.unit_format import Published
from ..serialize import OMIT, JsonForm, _Omit
from .panel import PanelCheck

Source = Literal["reproduction", "audit"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(JsonForm):
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


#: A published figure's status: reproduced (determined and equal), consistent (it depends on rows or figures
#: not known and lies within what they allow), not_reproduced.
FigureStatus = Literal["reproduced", "consistent", "not_reproduced"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedFigure(JsonForm):
    """One figure the unit's ``published:`` section gives, and whether it follows from the data."""

    #: total, grade, indicator (a row's points), group (a subtotal) or value (a printed intermediate value).
    kind: Literal["total", "grade", "indicator", "group", "value"]
    #: 'total', 'grade', the indicator id, the group path or the value's name.
    subject: str
    status: FigureStatus
    published: Any
    #: The computed figure: a number, a grade, a range as text ('49.6 to 92.0'), or None.
    computed: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ComputedSummary:
    total: Decimal | None
    grade: str | None
    total_range: tuple[Decimal, Decimal] | None
    grades_possible: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Reproduction(JsonForm):
    """The outcome of :func:`scoring.reproduce`: findings, what matched, and what the unknown rows would need."""

    __json__ = ("set", "data", "engine", "unit", "period", "verdict", "reproduced", "audit_clean", "ok",
                "published", "computed", "attainable", "required_unknown", "rows", "figures", "matched",
                "findings", "gap", "panels=panel_rows")  # fmt: skip
    result: Result
    published: Published
    #: Every published figure with its status, in the order total, grade, rows, groups, values.
    figures: tuple[PublishedFigure, ...] = ()
    findings: tuple[Finding, ...] = ()
    #: Subjects compared and found equal (e.g. 'total', 'grade', row ids).
    matched: tuple[str, ...] = ()
    #: With unknown rows and a published total: whether that total is attainable.
    attainable: bool | None = None
    #: With unknown rows: the range the unknown rows' points must add up to for the published total.
    required_unknown: tuple[Decimal, Decimal] | None = None
    #: For the published total and grade when either is out of reach or not determined: the smallest changes
    #: that would make it hold (:class:`scoring.analysis.gap.Gap`, one per figure).
    gap: tuple[Any, ...] = ()
    #: For each published row a panel scored: which aggregation rules give the printed figure.
    panels: tuple[PanelCheck, ...] = ()

    @property
    def panel_rows(self) -> tuple[PanelCheck, ...] | _Omit:
        """:attr:`panels` in the JSON, left out when no published row was scored by a panel."""
        return self.panels or OMIT

    @property
    def reproduced(self) -> bool:
        """Every published figure is determined by the data and equal to the computed one. Rows that are
        unknown do not stand in the way unless a published figure depends on them."""
        figures = self.figures
        return bool(figures) and all(f.status == "reproduced" for f in figures) and not self.differences

    @property
    def verdict(self) -> FigureStatus:
        """reproduced (every figure), not_reproduced (at least one), else consistent: no figure contradicted,
        some not determined."""
        if self.reproduced:
            return "reproduced"
        if self.differences or any(figure.status == "not_reproduced" for figure in self.figures):
            return "not_reproduced"
        return "consistent"

    def figure(self, subject: str, kind: str | None = None) -> PublishedFigure | None:
        """The status of the published figure about ``subject`` (of ``kind``, when subjects repeat)."""
        return next((f for f in self.figures if f.subject == subject and kind in (None, f.kind)), None)

    @property
    def differences(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "reproduction"]

    @property
    def audit_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "audit"]

    @property
    def audit_clean(self) -> bool:
        return not self.audit_findings

    @property
    def ok(self) -> bool:
        """Reproduced and the audit is clean."""
        return self.reproduced and self.audit_clean

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
        tier = [row for row in unknown if row.tier]
        rest = [row for row in unknown if not row.tier]
        return {**grouped, **({"tier": tier} if tier else {}), **({"unknown": rest} if rest else {})}

    # --- the JSON form ----------------------------------------------------------------------------------

    @property
    def set(self) -> Any:
        return self.result.provenance.set

    @property
    def data(self) -> Any:
        return self.result.provenance.data

    @property
    def engine(self) -> Any:
        return self.result.provenance.engine

    @property
    def unit(self) -> str:
        return self.result.unit

    @property
    def period(self) -> str | None:
        return self.result.period

    @property
    def computed(self) -> ComputedSummary:
        result = self.result
        return ComputedSummary(
            total=result.total,
            grade=result.grade,
            total_range=result.total_range,
            grades_possible=result.grades_possible,
        )

    @property
    def rows(self) -> dict[str, list[str]]:
        return {status: [row.id for row in rows] for status, rows in self.rows_by_basis().items()}
