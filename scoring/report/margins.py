"""``scoring margins`` as text and CSV: each unit's margins up and down, and each indicator's way across."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..analysis.margins import (
    Assignment,
    GradeMargin,
    IndicatorMargin,
    MarginsReport,
    Solution,
    UnitMargins,
    ValueTarget,
)
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet
from ..numbers import fixed, in_context, plain, shown
from .csv import VALUE_PLACES, Cell, at, csv_text, upto
from .text import pad, text_output

#: The language the analysis writes its notes in: a report in it prints them as they are.
NOTES_LANGUAGE = "en"
#: A band (or the gap scored 'otherwise') a value condition enters, as the bands rule names it.
_BAND = re.compile(r"band (?P<number>\d+)(?: '(?P<label>.*)')? (?P<interval>\S.*): (?P<points>\S+)")
_GAP = re.compile(r"otherwise (?P<interval>\S.*): (?P<points>\S+)")


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + plain(abs(value))


class _Words:
    """The catalogue's ``analysis.margins`` texts."""

    def __init__(self, texts: Catalogue, indicator_set: IndicatorSet | None = None) -> None:
        self.texts, self.indicator_set = texts, indicator_set

    @property
    def english(self) -> bool:
        """Whether the notes are printed as the analysis wrote them."""
        return self.texts.language == NOTES_LANGUAGE

    def __call__(self, key: str, **values: object) -> str:
        return self.texts.text(f"analysis.margins.{key}", **values)

    def side(self, side: str) -> str:
        """``up`` or ``down`` in words, padded to five columns."""
        return pad(self(side), 5)

    def kind(self, kind: str) -> str:
        """A rule kind in words (its id when the catalogue does not know it)."""
        key, known = f"analysis.margins.kind.{kind}", self.texts.keys()
        return self.texts.text(key) if key in known else kind

    def note(
        self, english: str | None, key: str | None, values: Sequence[tuple[str, str]], row: str = ""
    ) -> str:
        """A note of the analysis in the catalogue's words (as written when it has no key, or in English)."""
        if key is None or self.english:
            return english or ""
        fields = dict(values)
        if "want" in fields:
            fields["want"] = self(f"note.want_{fields['want']}")
        if "kind" in fields:
            fields["kind"] = self.kind(fields["kind"])
        if "policy" in fields:
            fields["policy"] = self.texts.text(f"outcome.not_applicable.{fields['policy']}")
        if key == "cases_need":
            fields["cases"] = self._cases(row, fields["cases"], fields["otherwise"] == "yes")
        if key == "met_need":
            fields["partial"] = self._partial(row, fields["partial"])
        return self(f"note.{key}", **fields)

    def _cases(self, indicator_id: str, numbers: str, otherwise: bool) -> str:
        """The cases (by number) of a cases rule, and 'otherwise', with their conditions and points."""
        assert self.indicator_set is not None  # a cases note is said from its rule
        rule = self.indicator_set.indicator(indicator_id).rule
        parts = []
        for number in filter(None, numbers.split(",")):
            case = rule.cases[int(number) - 1]  # type: ignore[attr-defined]
            label = self("note.case_label", label=case.label) if case.label else ""
            condition = case.condition.text if case.condition is not None else "?"
            parts.append(self("note.case", number=number, label=label, condition=condition,
                              points=plain(case.points)))  # fmt: skip
        if otherwise:
            parts.append(self("note.otherwise", points=plain(rule.otherwise)))  # type: ignore[attr-defined]
        return self("separator").join(parts)

    def _partial(self, indicator_id: str, texts: str) -> str:
        """The values of a met rule that give partial points (named by their text), with the points."""
        assert self.indicator_set is not None  # a met note is said from its rule
        partial = self.indicator_set.indicator(indicator_id).rule.partial  # type: ignore[attr-defined]
        return "".join(
            self("note.met_partial", text=text, points=plain(partial[text]))
            for text in texts.split("\x1f")
            if text
        )

    def piece(self, piece: str) -> str:
        """The band a condition enters, as the bands rule names it, in the catalogue's words."""
        if self.english:
            return piece
        if match := _BAND.fullmatch(piece):
            label = self("note.case_label", label=match["label"]) if match["label"] else ""
            return self("piece_band", number=match["number"], label=label, interval=match["interval"],
                        points=match["points"])  # fmt: skip
        if match := _GAP.fullmatch(piece):
            return self("piece_otherwise", interval=match["interval"], points=match["points"])
        return piece


def _margin_line(margin: GradeMargin | None, side: str, places: int, total_places: int, words: _Words) -> str:
    if margin is None:
        return f"  {words.side(side)} {words('top' if side == 'up' else 'lowest')}"
    room = "" if margin.reachable else words(f"room_{side}", room=plain(margin.room))
    text = words("margin", grade=margin.grade, change=_signed(margin.change), rows=fixed(margin.row_sum, places),
                 total=fixed(margin.total, total_places), room=room)  # fmt: skip
    return f"  {words.side(side)} {text}"


def _target_text(target: ValueTarget, words: _Words) -> str:
    """A condition on the value (as :class:`ValueTarget` says it, in the catalogue's words)."""
    text = words("target", op=target.op, bound=shown(target.bound))
    if target.change is not None and target.op in ("≥", "≤"):  # an open bound is passed, not reached
        text += f" ({'+' if target.change > 0 else '−'}{shown(abs(target.change))})"
    return text + (f" [{words.piece(target.piece)}]" if target.piece else "")


def _assignment_text(change: Assignment, words: _Words, kind: str) -> str:
    if isinstance(change.new, bool) or isinstance(change.current, bool):
        return f"{change.name} → {words('true' if change.new else 'false')}"
    if kind in ("judgment", "override") and not words.english:  # the points awarded: named by the kind
        sign = "+" if change.new > change.current else "−"
        name = words(f"note.points_{kind}")
        return f"{name} {plain(change.current)} → {plain(change.new)} ({sign}{plain(abs(change.new - change.current))})"
    return str(change)


def _solution_text(solution: Solution, words: _Words) -> str:
    """A change that moves the row across (as :class:`Solution` says it, in the catalogue's words)."""
    text = " + ".join(_assignment_text(change, words, solution.kind) for change in solution.changes)
    if solution.note:
        text += words("note.aside", note=words.note(solution.note, solution.note_key, solution.note_values))
    if solution.also_moves:
        moved = ", ".join(
            f"{m.id} {plain(m.points_before)}→{plain(m.points_after)}" for m in solution.also_moves
        )
        text += words("also_moves", moved=moved)
        if not solution.verified:
            text += words("graded", grade=solution.grade)
            if solution.unit_crossing is not None:
                text += words("crossing", value=plain(solution.unit_crossing))
        text += words("also_moves_end")
    return text + (" ✓" if solution.verified else " ✗")


def _indicator_text(item: IndicatorMargin, words: _Words) -> str:
    parts: list[str] = []
    if item.needed is not None:
        parts.append(words("needs_up" if item.side == "up" else "needs_down", points=plain(item.needed)))
    if item.targets:
        parts.append(words("or").join(_target_text(t, words) for t in item.targets))
    if item.solutions:
        parts.append(words("separator").join(_solution_text(s, words) for s in item.solutions))
    if item.note:
        parts.append(words.note(item.note, item.note_key, item.note_values, item.id))
    if not parts:
        return ""
    rest = "".join(words("separator") + part for part in parts[1:])
    return parts[0] + rest


def _unit_block(report: UnitMargins, places: int, total_places: int, words: _Words) -> str:
    scale = words("scale", scale=shown(report.scale)) if report.scale is not None else ""
    lines = [
        words(
            "unit",
            unit=report.unit,
            total=fixed(report.total, total_places),
            grade=report.grade,
            rows=fixed(report.row_sum, places),
            scale=scale,
        ),
        _margin_line(report.up, "up", places, total_places, words),
        _margin_line(report.down, "down", places, total_places, words),
        "",
    ]
    seen: set[str] = set()
    for item in report.indicators:
        if (report.up if item.side == "up" else report.down) is None:
            continue  # the unit line says it: already in the top (lowest) grade
        if item.id not in seen:
            seen.add(item.id)
            points = "—" if item.points is None else fixed(item.points, places)
            value = words("value", value=shown(item.value)) if isinstance(item.value, Decimal) else ""
            label = item.label if item.label != item.id else ""
            line = words("indicator", id=item.id, label=label, rule=words.kind(item.rule), points=points,
                         weight=plain(item.weight), value=value)  # fmt: skip
            lines.append(f"  {line}".replace("  (", " ("))
        lines.append(f"    {words.side(item.side)} {_indicator_text(item, words)}")
    return "\n".join(lines)


@text_output
@in_context
def margins_table(report: MarginsReport, *, texts: Catalogue | None = None) -> str:
    """Plain text: per unit the margins up and down, then each indicator's way across, in the words of
    ``texts`` (English when not given)."""
    words = _Words(texts or Catalogue("en"), report.indicator_set)
    rounding = report.indicator_set.rounding
    blocks = [_unit_block(unit, rounding.places, rounding.total_places, words) for unit in report.units]
    selection = words.note(report.selection, report.selection_key, report.selection_values)
    heading = [words("selection", selection=selection)] if report.selection else []
    if report.indicators:
        heading.append(words("indicators", ids=", ".join(report.indicators)))
    if report.hidden:
        n = report.hidden
        heading.append(words("hidden", hidden=words(f"hidden_{'one' if n == 1 else 'many'}", n=n)))
    head = "\n".join(heading) + "\n\n" if heading else ""
    return head + "\n\n".join(blocks) + "\n\n" + words("legend") + "\n"


@in_context
def margins_csv(report: MarginsReport, texts: Catalogue | None = None) -> str:
    """One row per unit margin and per indicator solution (an indicator without one gets one row): totals
    at ``rounding.total_places``, points at ``rounding.places``, values and conditions on them with at most
    :data:`~scoring.report.csv.VALUE_PLACES` decimals, the unit's figures as they are. The notes are in the
    words of ``texts`` (as the analysis wrote them, in English, when not given)."""
    words = _Words(texts or Catalogue(NOTES_LANGUAGE), report.indicator_set)
    places, tp = report.indicator_set.rounding.places, report.indicator_set.rounding.total_places
    header = ["unit", "grade", "total", "side", "grade_reached", "row_sum_change", "indicator", "rule", "status",
              "points", "needed", "value", "value_targets", "kind", "changes", "places", "grade_after", "verified",
              "also_moves", "unit_crossing", "note"]  # fmt: skip
    rows: list[list[Cell]] = []
    for unit in report.units:
        head: list[Cell] = [unit.unit, unit.grade, at(unit.total, tp)]
        by_side = {"up": unit.up, "down": unit.down}
        for side, margin in by_side.items():
            edge = "top" if side == "up" else "lowest"
            note = "" if margin else words.note(f"already in the {edge} grade", edge, ())
            rows.append([*head, side, margin.grade if margin else "", at(margin.change if margin else None, places),
                         *[""] * 14, note])  # fmt: skip
        for item in unit.indicators:
            margin = by_side[item.side]
            common = [*head, item.side, margin.grade if margin else "", at(margin.change if margin else None, places),
                      item.id, item.rule, item.status, at(item.points, places), at(item.needed, places),
                      upto(item.value, VALUE_PLACES),
                      " or ".join(f"{t.op} {shown(t.bound, VALUE_PLACES)}" for t in item.targets)]  # fmt: skip
            item_note = words.note(item.note, item.note_key, item.note_values, item.id)
            if not item.solutions:
                rows.append([*common, "", "", "", "", "", "", "", item_note])
            for s in item.solutions:
                changes = "; ".join(f"{_change_name(c, s, words)}={_cell(c.new, words)}" for c in s.changes)
                moves = "; ".join(f"{m.id}={fixed(m.points_after, places)}" for m in s.also_moves)
                rows.append([*common, s.kind, changes, s.places, s.grade, s.verified, moves, s.unit_crossing,
                             words.note(s.note, s.note_key, s.note_values) or item_note])  # fmt: skip
    return csv_text(header, rows)


def _change_name(change: Assignment, solution: Solution, words: _Words) -> str:
    """The figure a change sets: an input's name, or the points awarded, named by the kind of award."""
    if solution.kind in ("judgment", "override") and not words.english:
        return words(f"note.points_{solution.kind}")
    return change.name


def _cell(value: Decimal | bool, words: _Words) -> str:
    if isinstance(value, bool):
        return words("true" if value else "false")  # English: true / false, as the data writes them
    return plain(value)
