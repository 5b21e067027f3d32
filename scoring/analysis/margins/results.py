"""What grade margins find: each unit's distance to the next grade, and each indicator's way across."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ...model.indicator_set import IndicatorSet, SetIdentity
from ...numbers import plain, shown
from ...rules import Op
from ...serialize import JsonForm

Side = Literal["up", "down"]

#: A note's values by name (names, numbers and grades as text), to fill the note's catalogue text.
NoteValues = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A note in English (the data the JSON keeps) and as a catalogue key (``analysis.margins.note.<key>``)
    with the values it is filled with, which a report in another language says instead."""

    english: str | None
    key: str | None = None
    values: NoteValues = ()


def note(english: str, key: str, **values: object) -> Note:
    """A note said in English and as ``key`` with ``values`` (as text: they are shown as they are)."""
    return Note(english, key, tuple((name, str(value)) for name, value in values.items()))


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeMargin(JsonForm):
    """The smallest change of a unit's row sum that changes its grade, up or down."""

    __json__ = ("side", "grade", "change", "row_sum", "total", "room", "reachable")
    side: Side
    #: The grade reached.
    grade: str
    #: Signed change of the row sum (a multiple of 10^-places): positive up, negative down.
    change: Decimal
    row_sum: Decimal
    #: The rounded total at the new row sum.
    total: Decimal
    #: How far the rows that follow the data or a judgment (not N/A, not overridden) can move that way.
    room: Decimal

    @property
    def reachable(self) -> bool:
        return abs(self.change) <= self.room


@dataclass(frozen=True, slots=True, kw_only=True)
class ValueTarget(JsonForm):
    """A condition on the indicator's formula value that gives the row the points it needs."""

    op: Op
    bound: Decimal
    #: False when the bound is a rational number that Decimal shows rounded to 50 digits.
    exact: bool
    #: bound − the current value.
    change: Decimal | None
    #: For bands: the band or 'otherwise' range that is entered there.
    piece: str | None = None

    def __str__(self) -> str:
        text = f"value {self.op} {shown(self.bound)}"
        if self.change is not None and self.op in ("≥", "≤"):  # an open bound is passed, not reached
            text += f" ({'+' if self.change > 0 else '−'}{shown(abs(self.change))})"
        return text + (f" [{self.piece}]" if self.piece else "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment(JsonForm):
    """One figure of the unit's data changed: an input, a judgment's points or an override's points."""

    __json__ = ("name", "current", "new", "change")
    name: str
    current: Decimal | bool
    new: Decimal | bool

    @property
    def change(self) -> Decimal | None:
        if isinstance(self.current, bool) or isinstance(self.new, bool):
            return None
        return self.new - self.current

    def __str__(self) -> str:
        if isinstance(self.new, bool) or isinstance(self.current, bool):
            return f"{self.name} → {'true' if self.new else 'false'}"
        change = self.new - self.current
        sign = "+" if change > 0 else "−"
        return f"{self.name} {plain(self.current)} → {plain(self.new)} ({sign}{plain(abs(change))})"


@dataclass(frozen=True, slots=True, kw_only=True)
class MovedRow(JsonForm):
    """Another row whose points a change moves too."""

    __json__ = ("id", "points_before", "points_after")
    id: str
    points_before: Decimal
    points_after: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Solution(JsonForm):
    """A change of the unit's data that, alone, moves the row (and so the unit) across the grade boundary."""

    __json__ = (
        "kind",
        "changes",
        "places",
        "grade",
        "verified",
        "also_moves",
        "unit_crossing",
        "note",
        "tier",
    )
    #: input: a number input; flip: a boolean input; checklist: items; judgment / override: points awarded.
    kind: Literal["input", "flip", "checklist", "judgment", "override"]
    changes: tuple[Assignment, ...]
    #: Decimals of the steps a number input was moved in (None when not a number search).
    places: int | None
    #: The unit's grade with this change (evaluated in full).
    grade: str
    #: Full evaluation of the unit with the change: the grade changes there and (for a number or points)
    #: not one step before it.
    verified: bool
    #: Other rows whose points the change moves too.
    also_moves: tuple[MovedRow, ...] = ()
    #: For an input that also feeds other rows, when the unit's grade does not change exactly at the new
    #: value: the value of the input at which it does (searched on the whole unit; None if not found).
    unit_crossing: Decimal | None = None
    note: str | None = None
    #: For a judgment: the tier the new points belong to (the current one when it allows them).
    tier: str | None = None
    #: ``note`` as a catalogue key and its values (see :class:`Note`); not in the JSON, which keeps ``note``.
    note_key: str | None = None
    note_values: NoteValues = ()

    def __str__(self) -> str:
        text = " + ".join(str(change) for change in self.changes)
        if self.note:
            text += f" ({self.note})"
        if self.also_moves:
            moved = ", ".join(
                f"{m.id} {plain(m.points_before)}→{plain(m.points_after)}" for m in self.also_moves
            )
            text += f" (also moves {moved}"
            if not self.verified:
                text += f"; the unit is graded {self.grade} there"
                if self.unit_crossing is not None:
                    text += f", and its grade changes at {plain(self.unit_crossing)}"
            text += ")"
        return text + (" ✓" if self.verified else " ✗")


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorMargin(JsonForm):
    """What change of one indicator alone would move its unit to the next grade up or down."""

    __json__ = ("id", "label", "side", "rule", "status", "weight", "points", "value", "needed", "needed_op",
                "feasible", "targets", "solutions", "note")  # fmt: skip
    id: str
    label: str
    side: Side
    rule: str
    status: str
    weight: Decimal
    #: The row's rounded points now.
    points: Decimal | None
    value: Decimal | bool | str | None
    #: The rounded points the row needs: at least this (up) or at most this (down). None when not solvable.
    needed: Decimal | None = None
    targets: tuple[ValueTarget, ...] = ()
    solutions: tuple[Solution, ...] = ()
    #: Plain words: why there is no answer, or what the answer depends on.
    note: str | None = None
    #: Whether a change of the unit's data is found that takes the row there: a solution, or (for a rule
    #: that is not inverted, such as cases) conditions named in the note that would give the points.
    feasible: bool = False
    #: ``note`` as a catalogue key and its values (see :class:`Note`); not in the JSON, which keeps ``note``.
    note_key: str | None = None
    note_values: NoteValues = ()

    @property
    def needed_op(self) -> str | None:
        return ("≥" if self.side == "up" else "≤") if self.needed is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitMargins(JsonForm):
    """A unit's distance to the next grade up and down, and each indicator's way there."""

    unit: str
    grade: str
    total: Decimal
    row_sum: Decimal
    scale: Decimal | None
    up: GradeMargin | None
    down: GradeMargin | None
    indicators: tuple[IndicatorMargin, ...]

    def indicator(self, indicator_id: str, side: Side) -> IndicatorMargin:
        for item in self.indicators:
            if item.id == indicator_id and item.side == side:
                return item
        raise KeyError((indicator_id, side))


@dataclass(frozen=True, kw_only=True)
class MarginsReport(JsonForm):
    """The margins of every unit of a cohort."""

    __json__ = ("set", "selection", "indicators", "hidden", "units")
    indicator_set: IndicatorSet
    units: tuple[UnitMargins, ...]
    #: Which units were chosen when not all of them (``margins(..., limit=, units=)``), in words.
    selection: str | None = None
    #: ``selection`` as a catalogue key and its values (see :class:`Note`).
    selection_key: str | None = None
    selection_values: NoteValues = ()
    #: The indicators whose margins were worked out, when not all of them (``margins(..., indicators=)``).
    indicators: tuple[str, ...] = ()
    #: How many (indicator, side) answers were left out as not feasible (``margins(..., feasible_only=True)``).
    hidden: int = 0

    @property
    def set(self) -> SetIdentity:
        return self.indicator_set.identity
