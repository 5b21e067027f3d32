"""Many units against one indicator set: loading them together, ranking them, comparing rankings.

Every analysis over several units (tuning, effective weights, margins, sensitivity, Monte Carlo) takes a
:class:`Cohort` — the set plus the units bound to it — so any source of units (files, a directory, later a
CSV or Excel sheet) feeds the same code.
"""

from __future__ import annotations

import bisect
import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..engine import evaluate
from ..engine.result import Result
from ..errors import DataError, Location, Problem, ScoringError, clip
from ..model import IndicatorSet, Unit, load_set, load_unit
from ..numbers import CONTEXT, ZERO, in_context
from .progress import advance


@dataclass(frozen=True, slots=True)
class Total:
    """A unit's total and grade, out of ``maximum``."""

    unit: str
    total: Decimal
    grade: str
    maximum: Decimal


@dataclass(frozen=True, slots=True)
class UnitRows:
    """A unit's rounded row points as its total counts them: integers of ``10^-places``, 0 for a row left
    out by the rescale policy; ``attainable`` is the weight of the rows counted (the set's total when none
    is left out)."""

    unit: str
    points: tuple[int, ...]
    attainable: Decimal


@dataclass(frozen=True, slots=True)
class ReferenceRows:
    """A unit's rows at the weights the set's rules are written at: each row's points there, unrounded
    (``points_exact``; None for a not-applicable row), and each not-applicable row's policy."""

    unit: str
    points: tuple[Decimal | None, ...]
    policies: tuple[str | None, ...]


@dataclass(frozen=True, eq=False)
class ReferenceTable:
    """Every unit's rows at the reference weights as arrays (units × indicators), as a cohort read from a
    table gives them: ``P`` exactly as ``exact_units`` (integers of ``10^-places[j]``) where ``exact``,
    else as a float ``approx`` within ``error`` of it (``error`` infinite where there is none);
    ``not_applicable`` rows have none. ``resolve(u, j)`` gives any ``P`` exactly, as the engine computes it
    (for the few entries the matrix must recompute exactly)."""

    units: tuple[str, ...]
    places: tuple[int, ...]
    exact_units: Any
    exact: Any
    approx: Any
    error: Any
    not_applicable: Any
    resolve: Callable[[int, int], Decimal]


def reference_rows(result: Result) -> ReferenceRows:
    points = tuple(None if row.status == "not_applicable" else row.points_exact for row in result.indicators)
    policies = tuple(row.not_applicable for row in result.indicators)
    return ReferenceRows(result.unit, points, policies)


def unit_rows(result: Result, places: int) -> UnitRows:
    scaled = [
        row.points.scaleb(places) if row.counted and row.points is not None else ZERO
        for row in result.indicators
    ]
    return UnitRows(result.unit, tuple(int(points) for points in scaled), result.attainable)


@dataclass(frozen=True)
class Cohort:
    """An indicator set and the units to compare under it (all bound to that set)."""

    indicator_set: IndicatorSet
    units: tuple[Unit, ...]

    def evaluate(self, indicator_set: IndicatorSet | None = None) -> list[Result]:
        """Each unit's result, under ``indicator_set`` (default: the cohort's own)."""
        target = indicator_set or self.indicator_set
        results = []
        for done, unit in enumerate(self.units, 1):
            results.append(evaluate(target, unit))
            advance("scoring units", done, len(self.units))
        return results

    def totals(self, indicator_set: IndicatorSet | None = None, what: str = "this analysis") -> list[Total]:
        """Each unit's total and grade under ``indicator_set`` (default: the cohort's own); every row must
        be known. A cohort read from a table computes them on the columnar path, without a Result per unit."""
        results = self.evaluate(indicator_set)
        require_complete(results, what)
        return [Total(r.unit, r.total, r.grade, r.maximum) for r in results]  # type: ignore[arg-type]

    def size(self) -> int:
        """How many units the cohort holds."""
        return len(self.units)

    def pick(self, indexes: Sequence[int]) -> Cohort:
        """The cohort of the units at these positions (in this order)."""
        return Cohort(self.indicator_set, tuple(self.units[i] for i in indexes))

    def reference_table(
        self, reference_set: IndicatorSet, what: str = "this analysis"
    ) -> ReferenceTable | None:
        """The units' rows at the reference weights as arrays, when the cohort has them so (a table's);
        None for units held one by one (then :meth:`reference` gives them)."""
        return None

    def reference(self, reference_set: IndicatorSet, what: str = "this analysis") -> list[ReferenceRows]:
        """Each unit's rows under ``reference_set`` (the cohort's set at the weights its rules are written
        at); every row must be known. A cohort read from a table computes them on the columnar path."""
        results = self.evaluate(reference_set)
        require_complete(results, what)
        return [reference_rows(result) for result in results]

    def rows(self, what: str = "this analysis") -> list[UnitRows]:
        """Each unit's rounded row points under the cohort's set; every row must be known. A cohort read
        from a table computes them on the columnar path."""
        results = self.evaluate()
        require_complete(results, what)
        places = self.indicator_set.rounding.places
        return [unit_rows(result, places) for result in results]

    @property
    def names(self) -> list[str]:
        return [unit.name for unit in self.units]


def unit_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named, with each directory replaced by its ``*.yaml``/``*.yml`` files in name order."""
    files: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            files.extend(
                sorted(p for p in item.iterdir() if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
            )
        else:
            files.append(item)
    return files


@in_context
def load_cohort(
    paths: Sequence[str | Path],
    indicator_set: IndicatorSet | str | Path | None = None,
    encoding: str | None = None,
    root: str | Path | None = None,
) -> Cohort:
    """Load unit files and directories against one set (default: the set the first unit names).

    Every file must name the same set (or the set must be given). All problems of all files are reported
    together as one :class:`DataError`. ``root`` confines the sets the units name to a directory.
    """
    files = unit_files(paths)
    if isinstance(indicator_set, str | Path):
        indicator_set = load_set(indicator_set, encoding)
    if not files:
        raise DataError(
            Problem(
                "no-units",
                f"no unit files (.yaml or .yml) in {', '.join(clip(str(p)) for p in paths)}"
                if paths
                else "no unit files given",
                None,
                "UNITS",
                "name unit files, or folders that hold them",
            )
        )
    units: list[Unit] = []
    problems: list[Problem] = []
    explicit, sets = indicator_set, dict[Path, IndicatorSet]()
    for done, path in enumerate(files, 1):
        advance("reading units", done, len(files))  # said as each file is read
        try:
            unit = load_unit(path, explicit, sets=sets, encoding=encoding, root=root)
        except ScoringError as exc:
            problems.extend(exc.problems)
            continue
        if indicator_set is None:
            indicator_set = unit.indicator_set
        elif unit.indicator_set.sha256 != indicator_set.sha256:
            problems.append(
                Problem(
                    "different-set",
                    f"this unit uses set '{unit.indicator_set.id}' ({unit.indicator_set.source}), not "
                    f"'{indicator_set.id}' ({indicator_set.source}) like the first unit",
                    Location(str(path)),
                    hint="compare units of one set, or pass --set to score them all against one",
                )
            )
            continue
        units.append(unit)
    seen: set[str] = set()
    for unit in units:
        if unit.name in seen:
            message = f"two files hold unit '{unit.name}'"
            problems.append(Problem("duplicate-unit", message, Location(unit.source), unit.name))
        seen.add(unit.name)
    if problems:
        raise DataError(problems)
    assert indicator_set is not None
    return Cohort(indicator_set, tuple(units))


def ranks(values: Sequence[Decimal]) -> list[int]:
    """Competition ranks, highest value first: 95, 90, 90, 80 → 1, 2, 2, 4."""
    ordered = sorted(values)
    return [1 + len(ordered) - bisect.bisect_right(ordered, value) for value in values]


def average_ranks(values: Sequence[Decimal]) -> list[Decimal]:
    """Ranks with ties sharing the average of their places (as Spearman's coefficient needs)."""
    ordered = sorted(values)
    result = []
    for value in values:
        below, upto = bisect.bisect_left(ordered, value), bisect.bisect_right(ordered, value)
        above, tied = len(ordered) - upto, upto - below
        result.append(Decimal(2 * above + tied + 1) / 2)
    return result


@in_context
def spearman(first: Sequence[Decimal], second: Sequence[Decimal]) -> Decimal | None:
    """Spearman's rank correlation of two lists of totals (None when either has no variation)."""
    with decimal.localcontext(CONTEXT):
        a, b = average_ranks(first), average_ranks(second)
        count = len(a)
        if count < 2:
            return None
        mean_a, mean_b = sum(a, ZERO) / count, sum(b, ZERO) / count
        covariance = sum(((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True)), ZERO)
        spread_a = sum(((x - mean_a) ** 2 for x in a), ZERO)
        spread_b = sum(((y - mean_b) ** 2 for y in b), ZERO)
        if spread_a == 0 or spread_b == 0:
            return None
        return covariance / (spread_a * spread_b).sqrt()


def require_complete(results: Sequence[Result], what: str) -> None:
    """Analyses over totals need every row known; name each unit that has unknown rows."""
    problems = [
        Problem(
            "unknown-rows",
            f"unit '{result.unit}' has unknown rows ({', '.join(r.id for r in result.indicators if r.status == 'unknown')}); "
            f"{what} needs every row known",
            Location(result.provenance.data.source),
            result.unit,
            "give the figures or judgments, or leave the unit out",
        )
        for result in results
        if not result.complete
    ]
    if problems:
        raise DataError(problems)
