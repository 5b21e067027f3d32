"""The published figures of a reproduction beside the computed ones: the model the 复核 sheet
(:mod:`scoring.report.reproduce_sheet`) and the HTML report (:mod:`scoring.report.html_reproduce`) share.

Every figure the unit's ``published:`` section gives is one line: each row's points (and its printed
weight), each group's subtotal (and its printed weight), the total and the grade. A line holds the computed
figure (a number, or a range while rows are unknown), the published one, their difference (computed minus
published, when both are numbers, as the findings' messages give it), a status and the findings about it.
A status is good (the figure is reproduced), open (consistent with a result still undetermined: a row in
its range, a total attainable) or bad (a difference, a rounding the set does not declare, an
inconsistency of the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..audit.findings import Finding, Reproduction
from ..audit.reproduce import trace_of
from ..audit.table import points_of
from ..engine.result import Result
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import ZERO, fixed, in_context, plain, value_text, written_places
from .problems import MESSAGES_LANGUAGE, finding_text
from .score import number_of
from .sheet_style import GRADE_COLOURS

#: The tone of each status: good (reproduced), open (not contradicted, not determined), bad.
TONES = {
    "match": "good",
    "in_range": "open",
    "attainable": "open",
    "rounding": "bad",
    "mismatch": "bad",
    "out_of_reach": "bad",
    "inconsistent": "bad",
    "not_in_set": "bad",
    "not_counted": "bad",
}
#: The fill of each tone: green, amber, red (the grade colours of the other workbooks).
TONE_COLOURS = {"good": GRADE_COLOURS[0], "open": GRADE_COLOURS[2], "bad": GRADE_COLOURS[3]}


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureLine:
    """One published figure beside the computed one."""

    #: indicator, group, total or grade.
    kind: str
    #: The row's id, the group's path, 'total' or 'grade' (the subject of the findings about it).
    subject: str
    label: str
    #: What the figure is: points, weight or grade.
    figure: str
    #: The computed figure: a number, a grade (or the grades possible, joined by '/'), or None.
    computed: Decimal | str | None
    #: While rows are unknown: the range the computed figure lies in.
    computed_range: tuple[Decimal, Decimal] | None
    published: Decimal | str | None
    #: The decimals the set shows this figure with (points and weights: ``places``; the total:
    #: ``total_places``).
    places: int
    status: str
    findings: tuple[Finding, ...] = ()

    @property
    def difference(self) -> Decimal | None:
        """Computed minus published, when both are numbers (the sign the findings' messages use)."""
        if isinstance(self.computed, Decimal) and isinstance(self.published, Decimal):
            return self.computed - self.published
        return None

    @property
    def tone(self) -> str:
        return TONES[self.status]


def _status(line_findings: list[Finding], known: bool, matched: bool, figure: str) -> str:
    """A line's status from the findings about it and whether its subject matched."""
    reproduction = [f for f in line_findings if f.source == "reproduction"]
    if reproduction:
        check = reproduction[0].check
        return {"rounding": "rounding", "attainable": "out_of_reach"}.get(check, "mismatch")
    if line_findings:
        return "mismatch" if figure == "weight" else "inconsistent"
    if figure == "weight" or (matched and known):
        return "match"
    return "in_range" if matched else "mismatch"


class _Lines:
    """Builds the figure lines of one reproduction."""

    def __init__(self, rep: Reproduction, indicator_set: IndicatorSet) -> None:
        self.rep, self.set = rep, indicator_set
        self.places = indicator_set.rounding.places
        self.lines: list[FigureLine] = []
        self.matched = set(rep.matched)

    def findings(self, subject: str, weight: bool) -> list[Finding]:
        return [f for f in self.rep.findings if f.subject == subject and (f.check == "weight") == weight]

    def points(
        self,
        kind: str,
        subject: str,
        label: str,
        computed: Decimal | None,
        span: tuple[Decimal, Decimal] | None,
        published: Decimal,
        status: str | None = None,
    ) -> None:
        """A line of published points; ``status`` given for a row the set lacks or leaves out."""
        found = self.findings(subject, weight=False)
        if status is None:
            status = _status(found, computed is not None, subject in self.matched, "points")
        places = self.set.rounding.total_places if kind == "total" else self.places
        self.lines.append(
            FigureLine(
                kind=kind,
                subject=subject,
                label=label,
                figure="points",
                computed=computed,
                computed_range=span,
                published=published,
                places=places,
                status=status,
                findings=tuple(found),
            )
        )

    def weight(self, kind: str, subject: str, label: str, computed: Decimal, printed: Decimal | None) -> None:
        """A line of a printed weight, when the table prints one."""
        if printed is None:
            return
        found = self.findings(subject, weight=True)
        self.lines.append(
            FigureLine(
                kind=kind,
                subject=subject,
                label=label,
                figure="weight",
                computed=computed,
                computed_range=None,
                published=printed,
                places=self.places,
                status=_status(found, True, True, "weight"),
                findings=tuple(found),
            )
        )

    def values(self) -> None:
        """A line per printed value (``published.values``), at the decimals it is printed with."""
        for figure in self.rep.figures:
            if figure.kind != "value":
                continue
            printed = figure.published
            places = written_places(printed) if isinstance(printed, Decimal) else 0
            self.lines.append(
                FigureLine(
                    kind="value",
                    subject=figure.subject,
                    label=self.label_of(figure.subject),
                    figure="value",
                    computed=figure.computed,
                    computed_range=None,
                    published=printed,
                    places=places,
                    status=_value_status(figure.status),
                    findings=tuple(
                        f for f in self.rep.findings if f.subject == figure.subject and f.check == "value"
                    ),
                )
            )

    def label_of(self, name: str) -> str:
        declared = self.set.inputs.get(name)
        if declared is not None and declared.label:
            return declared.label
        indicator = self.set.by_id.get(name)
        return indicator.label if indicator is not None else name

    def rows(self, result: Result) -> None:
        published = self.rep.published
        rows = {row.id: row for row in result.indicators}
        for indicator_id in _in_order(published.indicators, list(rows)):
            points, printed = points_of(published.indicators[indicator_id])
            row = rows.get(indicator_id)
            if row is None:
                self.points("indicator", indicator_id, indicator_id, None, None, points, "not_in_set")
            elif not row.counted:
                self.points("indicator", row.id, row.label, None, None, points, "not_counted")
            else:
                self.points("indicator", row.id, row.label, row.points, row.points_range, points)
            if row is not None:
                self.weight("indicator", row.id, row.label, self.set.by_id[row.id].weight, printed)

    def groups(self, result: Result) -> None:
        published = self.rep.published
        groups = {group.path: group for group in result.groups}
        for path in _in_order(published.groups, list(groups)):
            points, printed = points_of(published.groups[path])
            group = groups.get(path)
            if group is None:
                self.points("group", path, path, None, None, points, "not_in_set")
                continue
            weight = sum((self.set.by_id[member].weight for member in group.members), ZERO)
            self.points("group", path, group.label, group.points, group.points_range, points)
            self.weight("group", path, group.label, weight, printed)

    def total_and_grade(self, result: Result, total_label: str, grade_label: str) -> None:
        published = self.rep.published
        if published.total is not None:
            open_total = result.total is None and "total attainable" in self.matched
            status = "attainable" if open_total and not self.findings("total", weight=False) else None
            self.points(
                "total", "total", total_label, result.total, result.total_range, published.total, status
            )
        if published.grade is not None:
            found = self.findings("grade", weight=False)
            computed = result.grade or "/".join(result.grades_possible)
            status = _status(found, result.grade is not None, "grade" in self.matched, "grade")
            self.lines.append(
                FigureLine(
                    kind="grade",
                    subject="grade",
                    label=grade_label,
                    figure="grade",
                    computed=computed,
                    computed_range=None,
                    published=published.grade,
                    places=0,
                    status=status,
                    findings=tuple(found),
                )
            )


def _value_status(status: str) -> str:
    return {"reproduced": "match", "consistent": "in_range"}.get(status, "mismatch")


def _in_order(published: dict[str, Any], order: list[str]) -> list[str]:
    """The published subjects in the set's order, then those the set does not have (as published)."""
    known = [subject for subject in order if subject in published]
    return known + [subject for subject in published if subject not in order]


@in_context
def figure_lines(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> list[FigureLine]:
    """Every published figure beside the computed one: the rows (in the set's order, then rows the set does
    not have), the groups, the total and the grade, each with its status and the findings about it."""
    built = _Lines(rep, indicator_set)
    built.rows(rep.result)
    built.groups(rep.result)
    built.total_and_grade(rep.result, texts.text("row.total"), texts.text("row.grade"))
    built.values()
    return built.lines


def verdict_key(rep: Reproduction) -> str:
    """The verdict as a catalogue key under ``reproduce.verdict``: ok, audit, nothing, open or not (the same verdict
    as the text report's last line)."""
    if rep.ok:
        return "ok"
    if rep.reproduced:
        return "audit"
    if not rep.figures:
        return "nothing"
    return "open" if rep.verdict == "consistent" else "not"


def verdict(rep: Reproduction, texts: Catalogue) -> tuple[str, str]:
    """(tone, text) of the verdict."""
    key = verdict_key(rep)
    unknown = sum(1 for row in rep.result.indicators if row.status == "unknown")
    tone = {"ok": "good", "open": "open"}.get(key, "bad")
    return tone, texts.text(f"reproduce.verdict.{key}", count=unknown)


def range_text(span: tuple[Decimal, Decimal] | None, places: int) -> str:
    """A range of points as ``low–high`` at ``places`` decimals."""
    if span is None:
        return ""
    return f"{fixed(span[0], places)}–{fixed(span[1], places)}"


def published_summary(rep: Reproduction, texts: Catalogue) -> str:
    """What the published section gives, naming only what it gives."""
    published, t = rep.published, "reproduce.text."
    parts = []
    if published.total is not None:
        parts.append(texts.text(t + "total", total=plain(published.total)))
    if published.grade is not None:
        parts.append(texts.text(t + "grade", grade=published.grade))
    for entries, key in (
        (published.indicators, "rows"),
        (published.groups, "groups"),
        (published.values, "values"),
    ):
        if entries:
            parts.append(number_of(texts, t + key, len(entries)))
    return texts.text(t + "separator").join(parts) or texts.text(t + "nothing")


def summary_lines(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> list[str]:
    """What was published (with its source) and what was computed, in a line each, and what the unknown
    rows must add up to when the published total is attainable."""
    result, published = rep.result, rep.published
    places = indicator_set.rounding.total_places
    none = texts.text("reproduce.none")
    what = published_summary(rep, texts)  # only what the table gives: no total spoken of that is not there
    lines = [texts.text("reproduce.published_line", what=what, source=published.source or none)]
    total = (
        fixed(result.total, places) if result.total is not None else range_text(result.total_range, places)
    )
    grade = result.grade or "/".join(result.grades_possible)
    lines.append(texts.text("reproduce.computed_line", total=total, grade=grade))
    if rep.attainable and rep.required_unknown is not None:
        low, high = rep.required_unknown
        need = plain(low) if low == high else f"{plain(low)}–{plain(high)}"
        lines.append(texts.text("reproduce.required", need=need))
    return lines


def finding_notes(
    findings: tuple[Finding, ...], texts: Catalogue, checks: bool = True, result: Result | None = None
) -> str:
    """The findings' messages in the language of ``texts``, a line each (``[check] message`` unless
    ``checks`` is false), each followed by the row's trace when it has one (in the language too when the
    ``result`` it comes from is given)."""
    lines = []
    for finding in findings:
        message = finding_text(finding.check, finding.message, texts)
        lines.append(f"[{finding.check}] {message}" if checks else message)
        if finding.trace:
            lines.append(texts.text("reproduce.trace", trace=finding_trace(finding, texts, result)))
    return "\n".join(lines)


def finding_trace(finding: Finding, texts: Catalogue, result: Result | None) -> str | None:
    """A finding's trace in the language of ``texts``: the row's outcome in its words, then its inputs and
    value as the audit wrote them; the audit's English trace when the row is not at hand."""
    row = next((r for r in result.indicators if r.id == finding.subject), None) if result else None
    if texts.language == MESSAGES_LANGUAGE or row is None or finding.trace != trace_of(row):
        return finding.trace
    inputs = ", ".join(f"{name} = {value_text(value)}" for name, value in row.inputs.items())
    value = f"；{texts.text('report.value')} {value_text(row.value)}" if row.value is not None else ""
    return row.outcome_text(texts) + (f" [{inputs}{value}]" if inputs else "")
