"""Grade margins: how far each unit is from the next grade up and down, and what would take it there.

Unit level. The total is ``round(row_sum × scale, total_places)`` (``scale`` is 1, or ``total / attainable``
when not-applicable rows were rescaled away) and its grade is read from the bands. Rows are rounded to
``rounding.places``, so the row sum moves in steps of ``q = 10^-places``. The margin up is the smallest
increase of the row sum, in steps of ``q``, that gives a higher grade; the margin down the smallest decrease
that gives a lower one. Both are found by bisection over whole steps (the grade can only rise with the row
sum) and checked by construction: the grade changes at the margin and not one step before it.

Indicator level. A row changing from ``p`` to ``p'`` points moves the row sum by ``p' − p``, so to cross
the boundary up it needs ``p' ≥ p + margin`` (down: ``p' ≤ p − margin``), with ``p'`` the row's *rounded*
points at its current weight. This is solved in three steps:

1. **Rounding and weight.** The set of exact points that round to at least (at most) the needed points is a
   half-line whose end and openness depend on the rounding mode (half_up: ``x ≥ p − q/2``; half_even: the
   same, closed only when ``p / q`` is even; down: ``x ≥ p``; up: ``x > p − q``); dividing by
   ``weight / reference weight`` gives the condition on the rule's points.
2. **The rule**, inverted exactly (rational arithmetic) to a condition on the formula's value:

   - deduct — the number of steps that may (must) be taken off, then the excess that gives it: ``whole``
     steps change at multiples of ``per`` (``value < limit + (k+1)·per``), ``started`` steps just past them
     (``value ≤ limit + k·per``), ``exact`` continuously;
   - ratio — ``value ≥ t·target/weight`` (lower is better: ``value ≤ target·weight/t``), with the unit's own
     target when the target is a formula;
   - linear — ``value ≥ zero_at + t·(full_at − zero_at)/weight`` (reversed when decreasing);
   - bands — the nearest band (or 'otherwise' gap) on each side of the value whose points suffice, entered
     at its near bound, open or closed as the band declares it.

   Cases and checklists are not inverted: the report lists the cases that would give enough points, or the
   checklist items that would need to change (each one that suffices alone, else the fewest that do
   together). A judgment reports the points the evaluator would need to award (in steps of ``q``, at the
   weight the rule is written at), and whether that is inside the current tier or needs another; an
   overridden row the override needed. N/A rows do not follow the data, and a row already at full marks
   (zero), or needing more than it can give, is said to be so.
3. **The formula**, for each number input behind the indicator (directly or through derived names): the
   input is moved alone, in steps of its **precision**, until the value condition holds — found by doubling
   the step and then bisecting (exact Decimal arithmetic throughout). The precision is 1 for integer inputs
   and otherwise the decimals the unit's figure is written with (``487.24`` → 0.01, ``92.5`` → 0.1,
   ``1880`` → 1), unless ``places`` says otherwise. The search is within the input's declared min/max and
   assumes the formula moves monotonically with the input between the current value and the answer (true
   of sums, differences, products and quotients away from a zero divisor); every answer is then checked:
   the row reaches the needed points at the reported value and not one step before. Both directions are
   tried, so a non-monotone rule or formula can give an answer each way. An input the rule itself reads (a
   ratio's target) is searched on the row's points directly. A boolean input is flipped.

Every answer is finally verified by evaluating the whole unit with the changed data: ``verified`` means the
grade changes at the reported value and not one step (of the precision) before. An input that also feeds
other rows moves them too (``also_moves``); when that stops the grade changing exactly there, the answer is
not verified, and the input is searched again on the unit's grade itself (``unit_crossing``: where the grade
does change, all rows recomputed). An answer at which another row cannot be scored (a zero divisor) is
dropped and named in the note.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from ...engine import evaluate
from ...engine.result import IndicatorResult, Result
from ...errors import OptionError, Problem, clip, did_you_mean
from ...model.indicator_set import Indicator, IndicatorSet
from ...model.labels import label_hint
from ...model.unit import Unit
from ...numbers import from_fraction, in_context, plain
from ...rules import Op
from ...rules.base import holds
from ...rules.cases import CasesRule
from ...rules.met import MetRule
from ..cohort import Cohort, require_complete
from ..progress import advance
from .awards import award, checklist
from .context import UnitContext, grade_margin, rounding_condition
from .inputs import input_solutions
from .results import (
    Assignment,
    GradeMargin,
    IndicatorMargin,
    MarginsReport,
    MovedRow,
    Note,
    Side,
    Solution,
    UnitMargins,
    ValueTarget,
)
from .results import note as _note
from .search import search
from .select import select_units

#: Most decimals an input may be searched in (``places``): as many as rounding.places allows.
MAX_SEARCH_PLACES = 12


@in_context
def unit_margins(
    indicator_set: IndicatorSet,
    unit: Unit,
    result: Result | None = None,
    places: Mapping[str, int] | None = None,
    indicators: Sequence[str] = (),
) -> UnitMargins:
    """Margins of one unit to the next grade up and down, and each indicator's way across.

    ``places`` sets the precision (decimals) to search a number input in, by input name; by default the
    decimals the unit's figure is written with (1 for integer inputs). ``indicators`` (ids) limits the
    indicators worked out to those. See the module docstring.
    """
    check_places(indicator_set, places or {})
    check_indicators(indicator_set, indicators)
    if unit.indicator_set is not indicator_set:
        unit = unit.bind(indicator_set)
    result = result if result is not None else evaluate(indicator_set, unit)
    require_complete([result], "grade margins")
    ctx = UnitContext(indicator_set, unit, result, places or {})
    up, down = grade_margin(ctx, "up"), grade_margin(ctx, "down")
    rows = []
    for indicator in indicator_set.indicators:
        if indicators and indicator.id not in indicators:
            continue
        row = ctx.rows[indicator.id]
        rows.append(indicator_margin(ctx, indicator, row, "up", up))
        rows.append(indicator_margin(ctx, indicator, row, "down", down))
    assert result.total is not None
    return UnitMargins(
        unit=result.unit,
        grade=ctx.grade,
        total=result.total,
        row_sum=result.row_sum,
        scale=result.scale,
        up=up,
        down=down,
        indicators=tuple(rows),
    )


def check_places(indicator_set: IndicatorSet, places: Mapping[str, int]) -> None:
    """An :class:`OptionError` for each ``places`` entry that names no number input of the set or is not a
    whole number from 0 to :data:`MAX_SEARCH_PLACES`."""
    problems = []
    for name, decimals in places.items():
        declared = indicator_set.inputs.get(name)
        if declared is None or declared.type == "boolean":
            hint = did_you_mean(name, [n for n, i in indicator_set.inputs.items() if i.type != "boolean"])
            message = f"places names no number input '{clip(name)}'"
            problems.append(Problem("option", message, None, "places", hint))
        elif (
            isinstance(decimals, bool)
            or not isinstance(decimals, int)
            or not 0 <= decimals <= MAX_SEARCH_PLACES
        ):
            message = f"places for '{clip(name)}' must be a whole number from 0 to {MAX_SEARCH_PLACES}, not {clip(repr(decimals))}"
            problems.append(Problem("option", message, None, "places"))
    if problems:
        raise OptionError(problems)


def check_indicators(indicator_set: IndicatorSet, ids: Sequence[str]) -> None:
    """An :class:`OptionError` (``unknown-indicator``) for each id that is not an indicator of the set."""
    problems = [
        Problem("unknown-indicator", f"no indicator '{clip(name)}'", None, name,
                label_hint(indicator_set, name) or did_you_mean(name, indicator_set.by_id))
        for name in ids
        if name not in indicator_set.by_id
    ]  # fmt: skip
    if problems:
        raise OptionError(problems)


@in_context
def margins(
    cohort: Cohort,
    places: Mapping[str, int] | None = None,
    results: Sequence[Result] | None = None,
    *,
    limit: int | None = None,
    units: Sequence[str] = (),
    indicators: Sequence[str] = (),
    feasible_only: bool = False,
) -> MarginsReport:
    """:func:`unit_margins` for every unit of the cohort (all must be complete) — or for the units named,
    or, with ``limit``, for the ``limit`` units nearest a grade boundary (on a tie, the first in the
    cohort), in the cohort's order: a large cohort's margins are asked for where a grade is at stake.

    ``indicators`` (ids) limits the indicators worked out; ``feasible_only`` leaves out the answers that
    find no change of the data taking the unit across (counted in the report's ``hidden``)."""
    check_places(cohort.indicator_set, places or {})
    check_indicators(cohort.indicator_set, indicators)
    selection = Note("")
    if results is None and (units or (limit is not None and limit < cohort.size())):
        cohort, selection = select_units(cohort, limit, units)
    results = list(results) if results is not None else cohort.evaluate()
    require_complete(results, "grade margins")
    rows = []
    for done, (unit, result) in enumerate(zip(cohort.units, results, strict=True), 1):
        rows.append(unit_margins(cohort.indicator_set, unit, result, places, indicators))
        advance("grade margins", done, len(results))
    hidden = 0
    if feasible_only:
        kept = [tuple(item for item in row.indicators if item.feasible) for row in rows]
        hidden = sum(len(row.indicators) - len(items) for row, items in zip(rows, kept, strict=True))
        rows = [dataclasses.replace(row, indicators=items) for row, items in zip(rows, kept, strict=True)]
    return MarginsReport(indicator_set=cohort.indicator_set, units=tuple(rows), selection=selection.english or None,
                         selection_key=selection.key, selection_values=selection.values,
                         indicators=tuple(indicators), hidden=hidden)  # fmt: skip


def indicator_margin(
    ctx: UnitContext, indicator: Indicator, row: IndicatorResult, side: Side, margin: GradeMargin | None
) -> IndicatorMargin:
    """What change of this one row would move the unit across ``margin``, through the row's rule."""
    answer = _Answer(indicator, row, side)
    if margin is None:
        grade = "top" if side == "up" else "lowest"
        return answer(_note(f"already in the {grade} grade", grade))
    if row.status == "not_applicable":
        english = f"not applicable ({row.not_applicable}): its points do not depend on the data"
        return answer(_note(english, "not_applicable", policy=row.not_applicable))
    assert row.points is not None
    points, weight = row.points, row.weight
    needed = points + margin.change
    impossible = _impossible(points, weight, needed, margin.change, side)
    if impossible:
        return answer(impossible)
    op, bound = rounding_condition(needed, side, ctx.places, ctx.mode)
    t = bound * Fraction(indicator.reference_weight) / Fraction(weight)  # on the rule's points
    if row.status == "overridden":
        solution = award(ctx, indicator, side, op, t, "override")
        english = f"overridden ({row.reason}): the points are the evaluator's, not computed from the data"
        note = _note(english, "overridden", reason=row.reason)
        return answer(note, needed, solutions=[solution] if solution else ())
    rule = indicator.rule
    if rule.margin_way == "award":
        solution = award(ctx, indicator, side, op, t, "judgment")
        if solution is None:
            english = "judged: no award within 0 to the weight gives enough points"
            return answer(_note(english, "judged_none"), needed)
        return answer(None, needed, solutions=[solution])
    if rule.margin_way == "items":
        solutions = checklist(ctx, indicator, row, side, op, t)
        english = "checklist: no change of its items gives enough points"
        return answer(None if solutions else _note(english, "checklist_none"), needed,
                      solutions=solutions)  # fmt: skip
    raw = rule.invert(op, t, row.value, ctx.env(ctx.unit.values))
    if isinstance(raw, str):
        return answer(_in_words(raw, rule, op, t), needed, feasible=_named_in_words(rule, op, t))
    value = row.value
    assert isinstance(value, Decimal)
    targets = [
        ValueTarget(
            op=target_op,
            bound=from_fraction(bound),
            exact=Fraction(from_fraction(bound)) == bound,
            change=from_fraction(bound - Fraction(value)),
            piece=piece,
        )
        for target_op, bound, piece in raw
    ]
    solutions, unscorable = input_solutions(ctx, indicator, side, needed, raw)
    return answer(_search_note(not solutions and bool(indicator.needs_inputs), unscorable), needed, targets,
                  solutions)  # fmt: skip


def _search_note(no_input: bool, unscorable: Sequence[str]) -> Note | None:
    """What the input search leaves to say: no single input reaches the points, another row cannot be
    scored at some answers."""
    notes, keys = [], []
    if no_input:
        notes.append("no single input reaches it within its declared range")
        keys.append("no_input")
    if unscorable:
        notes.append(f"at {', '.join(unscorable)} another row cannot be scored")
        keys.append("unscorable")
    if not notes:
        return None
    return _note("; ".join(notes), "_".join(keys), at=", ".join(unscorable))


def _impossible(
    points: Decimal, weight: Decimal, needed: Decimal, change: Decimal, side: Side
) -> Note | None:
    """Why the row cannot make the move at all, if it cannot."""
    if side == "up" and points >= weight:
        return _note(f"already at full marks ({plain(weight)})", "full_marks", weight=plain(weight))
    if side == "down" and points <= 0:
        return _note("already at 0 points", "zero_points")
    if needed > weight:
        english = (
            f"would need {plain(needed)} points (+{plain(change)}), but the row gives at most "
            f"{plain(weight)} (+{plain(weight - points)})"
        )
        return _note(english, "above_weight", needed=plain(needed), change=plain(change), weight=plain(weight),
                     room=plain(weight - points))  # fmt: skip
    if needed < 0:
        english = f"would need to lose {plain(-change)} points, but the row has only {plain(points)}"
        return _note(english, "below_zero", change=plain(-change), points=plain(points))
    return None


def _in_words(english: str, rule: object, op: Op, t: Fraction) -> Note:
    """A rule's answer in words (its ``invert`` gave no condition on the value) as a note: the cases worth
    enough points by number (a report says them from the rule), or one of the rules' other answers."""
    if isinstance(rule, CasesRule):
        good = [str(i) for i, case in enumerate(rule.cases, 1) if holds(Fraction(case.points), op, t)]
        otherwise = holds(Fraction(rule.otherwise), op, t)
        if good or otherwise:
            return _note(english, "cases_need", cases=",".join(good), otherwise="yes" if otherwise else "")
        return _note(english, "cases_none", want="up" if op in ("≥", ">") else "down")
    want = "at least" if op in ("≥", ">") else "at most"
    if english == f"no band gives {want} the points needed":
        return _note(english, "bands_none", want="up" if op in ("≥", ">") else "down")
    kind = getattr(rule, "kind", "")
    if english == f"{kind} rule: not invertible":
        return _note(english, "not_invertible", kind=kind)
    if english == "met rule: meeting the target or not gives the same answer here":
        return _note(english, "met_same")
    if isinstance(rule, MetRule) and english.startswith("met rule (not invertible)"):
        meets = holds(Fraction(rule.weight), op, t)
        partial = [text for text, points in rule.partial.items() if holds(Fraction(points), op, t)]
        condition = rule.condition_text if meets else rule.missed_text
        return _note(english, "met_need", condition=condition, partial="\x1f".join(partial))
    return Note(english)  # said in English only


def _named_in_words(rule: object, op: Op, t: Fraction) -> bool:
    """Whether a rule that is not inverted names conditions of the data that give the points: a cases rule
    with a case (or 'otherwise') worth enough."""
    if not isinstance(rule, CasesRule):
        return False
    return any(holds(Fraction(points), op, t) for points in (*(c.points for c in rule.cases), rule.otherwise))


class _Answer:
    """Builds one row's :class:`IndicatorMargin`."""

    def __init__(self, indicator: Indicator, row: IndicatorResult, side: Side) -> None:
        self.indicator, self.row, self.side = indicator, row, side

    def __call__(
        self,
        note: Note | None,
        needed: Decimal | None = None,
        targets: Sequence[ValueTarget] = (),
        solutions: Sequence[Solution] = (),
        feasible: bool = False,
    ) -> IndicatorMargin:
        row = self.row
        return IndicatorMargin(
            id=self.indicator.id,
            label=self.indicator.label,
            side=self.side,
            rule=self.indicator.rule.kind,
            status=row.status,
            weight=row.weight,
            points=row.points,
            value=row.value,
            needed=needed,
            targets=tuple(targets),
            solutions=tuple(solutions),
            note=note.english if note else None,
            note_key=note.key if note else None,
            note_values=note.values if note else (),
            feasible=feasible or bool(solutions),
        )


__all__ = [
    "Assignment",
    "GradeMargin",
    "IndicatorMargin",
    "MarginsReport",
    "MovedRow",
    "Solution",
    "UnitMargins",
    "ValueTarget",
    "margins",
    "rounding_condition",
    "search",
    "unit_margins",
]
