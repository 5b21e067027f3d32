"""``scoring reproduce UNIT -o X.xlsx``: the unit's 评分表 and a 复核 (Reproduction) sheet setting every
published figure beside the computed one, and the model of those figures that the HTML report shares.

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
from ..engine.result import Result
from ..formats.unit_format import PublishedRow
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import ZERO, fixed, in_context, plain
from .sheet_style import GRADE_COLOURS, Styles, column_width
from .workbook import ScoreSheet, xlsxwriter

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

    def points(self, kind: str, subject: str, label: str, computed: Decimal | None,
               span: tuple[Decimal, Decimal] | None, published: Decimal, status: str | None = None) -> None:  # fmt: skip
        """A line of published points; ``status`` given for a row the set lacks or leaves out."""
        found = self.findings(subject, weight=False)
        if status is None:
            status = _status(found, computed is not None, subject in self.matched, "points")
        places = self.set.rounding.total_places if kind == "total" else self.places
        self.lines.append(FigureLine(kind=kind, subject=subject, label=label, figure="points", computed=computed,
                                     computed_range=span, published=published, places=places, status=status,
                                     findings=tuple(found)))  # fmt: skip

    def weight(self, kind: str, subject: str, label: str, computed: Decimal, printed: Decimal | None) -> None:
        """A line of a printed weight, when the table prints one."""
        if printed is None:
            return
        found = self.findings(subject, weight=True)
        self.lines.append(FigureLine(kind=kind, subject=subject, label=label, figure="weight", computed=computed,
                                     computed_range=None, published=printed, places=self.places,
                                     status=_status(found, True, True, "weight"), findings=tuple(found)))  # fmt: skip

    def rows(self, result: Result) -> None:
        published = self.rep.published
        rows = {row.id: row for row in result.indicators}
        for indicator_id in _in_order(published.indicators, list(rows)):
            points, printed = _entry(published.indicators[indicator_id])
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
            points, printed = _entry(published.groups[path])
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
            self.lines.append(FigureLine(kind="grade", subject="grade", label=grade_label, figure="grade",
                                         computed=computed, computed_range=None, published=published.grade,
                                         places=0, status=status, findings=tuple(found)))  # fmt: skip


def _entry(entry: Decimal | PublishedRow) -> tuple[Decimal, Decimal | None]:
    return (entry.points, entry.weight) if isinstance(entry, PublishedRow) else (entry, None)


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
    return built.lines


def verdict_key(rep: Reproduction) -> str:
    """The verdict as a catalogue key under ``reproduce.verdict``: ok, audit, open or not (the same verdict
    as the text report's last line)."""
    if rep.ok:
        return "ok"
    if rep.reproduced:
        return "audit"
    if not rep.result.complete and rep.attainable is not False and not rep.differences:
        return "open"
    return "not"


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


def summary_lines(rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue) -> list[str]:
    """What was published (with its source) and what was computed, in a line each, and what the unknown
    rows must add up to when the published total is attainable."""
    result, published = rep.result, rep.published
    places = indicator_set.rounding.total_places
    none = texts.text("reproduce.none")
    shown_total = none if published.total is None else plain(published.total)
    lines = [texts.text("reproduce.published_line", total=shown_total, grade=published.grade or none,
                        source=published.source or none)]  # fmt: skip
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


# --- the 复核 sheet ----------------------------------------------------------------------------------------

#: The columns of the 复核 sheet, by their keys under ``reproduce.column``, and the widest each grows.
_COLUMNS = {"kind": 8, "subject": 24, "label": 30, "figure": 8, "computed": 14, "published": 14,
            "difference": 14, "status": 16, "notes": 70}  # fmt: skip
#: The columns of the findings listed below the figures (a blank key leaves the column empty).
_FINDING_COLUMNS = ("source", "check", "subject", "label", "computed", "published", "", "", "message")
_FONT = {"font_name": "等线", "font_size": 10, "valign": "vcenter", "border": 1}


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class _Formats:
    """The 复核 sheet's cell formats by tone, decimals and wrapping, each made once per workbook."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[str | None, int | None, bool], Any] = {}

    def get(self, tone: str | None, places: int | None = None, wrap: bool = False) -> Any:
        key = (tone, places, wrap)
        if key not in self.made:
            spec: dict[str, Any] = dict(_FONT)
            if tone is not None:
                spec["bg_color"] = TONE_COLOURS[tone]
            if places is not None:
                spec["num_format"] = "0" if places == 0 else "0." + "0" * places
            if wrap:
                spec.update(text_wrap=True, valign="top")
            self.made[key] = self.book.add_format(spec)
        return self.made[key]


class ReproductionSheet:
    """Writes the 复核 sheet of one reproduction into a worksheet of an xlsxwriter workbook: the verdict,
    what was published and computed, a line per published figure filled by its tone, the findings, and the
    set's and data's hashes."""

    def __init__(self, book: Any, styles: Styles, texts: Catalogue) -> None:
        self.styles, self.texts, self.formats = styles, texts, _Formats(book)

    def write(self, sheet: Any, rep: Reproduction, indicator_set: IndicatorSet) -> None:
        texts, last = self.texts, len(_COLUMNS) - 1
        sheet.merge_range(
            0, 0, 0, last, texts.text("reproduce.title", unit=rep.result.unit), self.styles.title
        )
        tone, text = verdict(rep, texts)
        sheet.merge_range(1, 0, 1, last, text, self.formats.get(tone))
        row = 2
        for line_text in summary_lines(rep, indicator_set, texts):
            sheet.merge_range(row, 0, row, last, line_text, self.formats.get(None))
            row += 1
        header = [texts.text(f"reproduce.column.{key}") for key in _COLUMNS]
        sheet.write_row(row, 0, header, self.styles.header)
        sheet.freeze_panes(row + 1, 0)
        widths = [column_width(text) for text in header]
        for line in figure_lines(rep, indicator_set, texts):
            row += 1
            shown = self._line(sheet, row, line)
            widths = [max(width, column_width(text)) for width, text in zip(widths, shown, strict=True)]
        row = self._findings(sheet, row + 2, rep, widths)
        self._footer(sheet, row + 2, rep.result, indicator_set)
        for column, widest in enumerate(_COLUMNS.values()):
            sheet.set_column(column, column, min(widths[column], widest))

    def _line(self, sheet: Any, row: int, line: FigureLine) -> list[str]:
        """Writes one figure line; returns the text of each cell (for the column widths)."""
        texts, formats, tone = self.texts, self.formats, line.tone
        plain_cells = [texts.text(f"reproduce.kind.{line.kind}"), line.subject, line.label,
                       texts.text(f"reproduce.figure.{line.figure}")]  # fmt: skip
        for column, text in enumerate(plain_cells):
            sheet.write_string(row, column, text, formats.get(tone))
        shown = self._computed(sheet, row, line)
        places = line.places
        if isinstance(line.published, Decimal):
            places = max(places, _decimals(line.published))
            sheet.write_number(row, 5, float(line.published), formats.get(tone, places))
            published = fixed(line.published, places)
        else:
            published = line.published or ""
            sheet.write_string(row, 5, published, formats.get(tone))
        difference = line.difference
        if difference is None:
            sheet.write_blank(row, 6, None, formats.get(tone))
        else:
            sheet.write_number(row, 6, float(difference), formats.get(tone, places))
        status = texts.text(f"reproduce.status.{line.status}")
        sheet.write_string(row, 7, status, formats.get(tone))
        notes = finding_notes(line.findings, texts)
        sheet.write_string(row, 8, notes, formats.get(tone, wrap=True))
        shown_difference = "" if difference is None else fixed(difference, places)
        return [*plain_cells, shown, published, shown_difference, status, notes]

    def _computed(self, sheet: Any, row: int, line: FigureLine) -> str:
        """Writes the computed figure: a number at the set's places, a grade, a range, or why there is none."""
        tone = line.tone
        if isinstance(line.computed, Decimal):
            sheet.write_number(row, 4, float(line.computed), self.formats.get(tone, line.places))
            return fixed(line.computed, line.places)
        if isinstance(line.computed, str):
            text = line.computed
        elif line.computed_range is not None:
            text = range_text(line.computed_range, line.places)
        elif line.status == "not_counted":
            text = self.texts.text("row.not_counted")
        else:
            text = self.texts.text("reproduce.none")
        sheet.write_string(row, 4, text, self.formats.get(tone))
        return text

    def _findings(self, sheet: Any, row: int, rep: Reproduction, widths: list[int]) -> int:
        """The findings below the figures, under their own header; returns the last row written."""
        texts, last = self.texts, len(_COLUMNS) - 1
        sheet.merge_range(row, 0, row, last, texts.text("reproduce.findings"), self.styles.subtotal)
        if not rep.findings:
            sheet.merge_range(
                row + 1, 0, row + 1, last, texts.text("reproduce.no_findings"), self.formats.get(None)
            )
            return row + 1
        header = [texts.text(f"reproduce.column.{key}") if key else "" for key in _FINDING_COLUMNS]
        sheet.write_row(row + 1, 0, header, self.styles.header)
        labels = {r.id: r.label for r in rep.result.indicators} | {g.path: g.label for g in rep.result.groups}
        for offset, finding in enumerate(rep.findings, start=2):
            cells = [texts.text(f"reproduce.source.{finding.source}"), finding.check, finding.subject,
                     labels.get(finding.subject, ""), finding.computed, finding.published, None, None,
                     finding_notes((finding,), texts, checks=False)]  # fmt: skip
            for column, value in enumerate(cells):
                self._finding_cell(sheet, row + offset, column, value)
            widths[1] = max(widths[1], column_width(finding.check))
        return row + 1 + len(rep.findings)

    def _finding_cell(self, sheet: Any, row: int, column: int, value: object) -> None:
        if isinstance(value, Decimal):
            sheet.write_number(row, column, float(value), self.formats.get(None))
        elif value is None:
            sheet.write_blank(row, column, None, self.formats.get(None))
        else:
            sheet.write_string(row, column, str(value), self.formats.get(None, wrap=column == 8))

    def _footer(self, sheet: Any, row: int, result: Result, indicator_set: IndicatorSet) -> None:
        provenance, texts = result.provenance, self.texts
        lines = [
            texts.text(
                "footer.set",
                title=indicator_set.title,
                id=indicator_set.id,
                version=indicator_set.version or "—",
            ),
            texts.text("footer.set_hash", sha256=provenance.set.sha256),
            texts.text("footer.data", source=provenance.data.source, sha256=provenance.data.sha256),
        ]
        for offset, text in enumerate(lines):
            sheet.merge_range(row + offset, 0, row + offset, len(_COLUMNS) - 1, text, self.styles.footer)


def finding_notes(findings: tuple[Finding, ...], texts: Catalogue, checks: bool = True) -> str:
    """The findings' messages, a line each (``[check] message`` unless ``checks`` is false), each
    followed by the row's trace when it has one."""
    lines = []
    for finding in findings:
        lines.append(f"[{finding.check}] {finding.message}" if checks else finding.message)
        if finding.trace:
            lines.append(texts.text("reproduce.trace", trace=finding.trace))
    return "\n".join(lines)


def write_reproduction_workbook(
    path: str, rep: Reproduction, indicator_set: IndicatorSet, texts: Catalogue
) -> None:
    """A workbook of two sheets: the unit's 评分表 and the 复核 sheet (shown first when it opens)."""
    book = xlsxwriter().Workbook(path, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        styles = Styles(book)
        score = book.add_worksheet(texts.text("sheet.score"))
        ScoreSheet(book, styles, texts).write(score, rep.result, indicator_set)
        sheet = book.add_worksheet(texts.text("reproduce.sheet"))
        ReproductionSheet(book, styles, texts).write(sheet, rep, indicator_set)
        sheet.activate()
    finally:
        book.close()
