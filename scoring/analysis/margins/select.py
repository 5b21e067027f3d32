"""Which units of a large cohort to work out margins for: those named, or those nearest a grade boundary.

Working out a unit's margins searches each of its figures, tens of milliseconds a unit; for a cohort of a
hundred thousand the question is rarely "every unit" but "the units whose grade is at stake". Nearness is
measured on the totals alone (the cohort's :meth:`~scoring.analysis.cohort.Cohort.totals`, on the
columnar path for a table): the gap to the current grade's minimum or to the next grade's, whichever is
smaller.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ...errors import OptionError, Problem, clip, did_you_mean
from ..cohort import Cohort
from .results import Note, note


def select_units(cohort: Cohort, limit: int | None, named: Sequence[str]) -> tuple[Cohort, Note]:
    """The sub-cohort of the units named (every name must exist), or of the ``limit`` nearest a grade
    boundary; and a line saying which were chosen."""
    totals = cohort.totals(what="grade margins")
    names = [total.unit for total in totals]
    if named:
        index = {name: i for i, name in enumerate(names)}
        problems = [
            Problem(
                "unknown-unit", f"no unit '{clip(name)}' in the cohort", None, name, did_you_mean(name, names)
            )
            for name in named
            if name not in index
        ]
        if problems:
            raise OptionError(problems)
        chosen = sorted({index[name] for name in named})
        english = f"{len(chosen)} named units of {len(names)}"
        return cohort.pick(chosen), note(english, "named", n=len(chosen), of=len(names))
    assert limit is not None
    minimums = sorted({grade.min for grade in cohort.indicator_set.grades if grade.min > 0})
    scale = Decimal(cohort.indicator_set.grades_total)

    def gap(position: int) -> Decimal:
        total = totals[position]
        percent = total.total * scale / total.maximum  # grades are on the grades' scale
        return min((abs(percent - minimum) for minimum in minimums), default=Decimal(0))

    nearest = sorted(range(len(totals)), key=lambda i: (gap(i), i))[:limit]
    chosen = sorted(nearest)
    english = f"the {len(chosen)} units nearest a grade boundary, of {len(names)}"
    return cohort.pick(chosen), note(english, "nearest", n=len(chosen), of=len(names))
