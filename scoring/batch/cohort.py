"""A cohort read from tables: every analysis over many units (tune, weights, margins, sensitivity, Monte
Carlo) takes a sheet of units as it takes a folder of unit files.

What the analyses need comes from the columnar path, one pass over the table per set, without a Result per
unit: totals under any weighting (``tune``), the rounded row points (effective weights), each row's points
at the reference weights (the matrix of sensitivity and Monte Carlo). Only grade margins, which search each
unit's figures, read rows as units — those it works on (:meth:`TableCohort.pick`). A row that cannot be
scored stops the analysis, with every such row's problems at their cells, as a unit file with a problem
stops it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from ..analysis.cohort import Cohort, ReferenceTable, Total, UnitRows
from ..analysis.progress import advance
from ..columnar.decimal_lane import reference_cells
from ..columnar.exact import units_to_decimal
from ..errors import DataError, Location, Problem, ScoringError
from ..model import IndicatorSet, Unit, unit_from_mapping
from . import score_table
from .cells import Chunk
from .layout import plan_layout
from .reference import ReferencePart
from .run import CHUNK_ROWS, BatchScores


class TableCohort(Cohort):
    """The units of one or more tables, under one indicator set (see the module docstring)."""

    paths: tuple[Path, ...]
    options: dict[str, Any]

    def __init__(
        self,
        indicator_set: IndicatorSet,
        paths: Sequence[str | Path],
        options: Mapping[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "indicator_set", indicator_set)
        object.__setattr__(self, "paths", tuple(Path(p) for p in paths))
        object.__setattr__(self, "options", dict(options or {}))

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """Every row as a unit bound to the set (read once, when an analysis asks for them all)."""
        units = [unit for _, unit in self._units(None)]
        _check_names([unit.name for unit in units], self.paths)
        return tuple(units)

    def size(self) -> int:
        return len(self.totals())

    def pick(self, indexes: Sequence[int]) -> Cohort:
        """The units of the rows at these positions (counted over the tables in order), read alone."""
        found = dict(self._units(set(indexes)))
        return Cohort(self.indicator_set, tuple(found[i] for i in indexes))

    def _units(self, wanted: set[int] | None) -> Iterator[tuple[int, Unit]]:
        """(position, unit) of the rows wanted (every row: None); every problem at once, as one error."""
        from ..tables import open_table

        problems: list[Problem] = []
        base = 0
        for path in self.paths:
            source = open_table(path, **_reading(self.options))
            layout = plan_layout(
                self.indicator_set,
                source.headers,
                source.name,
                duplicates=source.duplicates,
                **_mapping(self.options),
            )
            count = 0
            for part in source.chunks(CHUNK_ROWS):
                chunk = Chunk(self.indicator_set, layout, part.table, part.first_row)
                for row in range(chunk.rows):
                    position = base + part.first_row + row
                    if wanted is not None and position not in wanted:
                        continue
                    where = str(source.where(part.first_row + row))
                    try:
                        yield position, unit_from_mapping(chunk.mapping(row), self.indicator_set, where)
                    except ScoringError as error:
                        problems.extend(error.problems)
                count = part.first_row + chunk.rows
            base += count
        if problems:
            raise DataError(problems)

    def totals(self, indicator_set: IndicatorSet | None = None, what: str = "this analysis") -> list[Total]:
        """Each row's total and grade under ``indicator_set``, on the columnar path (under the cohort's own
        set, computed once)."""
        if indicator_set is None or indicator_set is self.indicator_set:
            return self._own_totals(what)
        return self._totals(indicator_set, what)

    def _own_totals(self, what: str) -> list[Total]:
        if "own_totals" not in self.__dict__:
            self.__dict__["own_totals"] = self._totals(self.indicator_set, what)
        totals: list[Total] = self.__dict__["own_totals"]
        return totals

    def _totals(self, indicator_set: IndicatorSet | None, what: str) -> list[Total]:
        target = indicator_set or self.indicator_set
        totals: list[Total] = []
        problems: list[Problem] = []
        names: list[str] = []
        for path in self.paths:
            scores = self._score(target, path)
            problems += [p for row in sorted(scores.errors) for p in scores.errors[row]]
            problems += _unknown_rows(scores, what)
            names += scores.names
            totals += _totals(scores, target)
        if problems:
            raise DataError(problems)
        _check_names(names, self.paths)
        return totals

    def reference_table(self, reference_set: IndicatorSet, what: str = "this analysis") -> ReferenceTable:
        """Every row's points at the reference weights as arrays, on the columnar path."""
        parts: list[ReferencePart] = []
        problems: list[Problem] = []
        names: list[str] = []
        for path in self.paths:
            scores = self._score(reference_set, path, reference=True)
            problems += [p for row in sorted(scores.errors) for p in scores.errors[row]]
            problems += _unknown_rows(scores, what)
            parts += scores.reference
            names += scores.names
        if problems:
            raise DataError(problems)
        _check_names(names, self.paths)
        return reference_table(reference_set, names, parts)

    def _score(self, indicator_set: IndicatorSet, path: Path, reference: bool = False) -> BatchScores:
        """One table scored on the columnar path, its rows counted as they are scored (for a progress bar)."""
        return score_table(
            indicator_set,
            path,
            reference=reference,
            progress=lambda done: advance(f"scoring {path.name}", done, 0),
            **_reading(self.options),
            **_mapping(self.options),
        )

    def rows(self, what: str = "this analysis") -> list[UnitRows]:
        """Each row's rounded points under the cohort's set, on the columnar path."""
        rows: list[UnitRows] = []
        problems: list[Problem] = []
        names: list[str] = []
        for path in self.paths:
            scores = self._score(self.indicator_set, path)
            problems += [p for row in sorted(scores.errors) for p in scores.errors[row]]
            problems += _unknown_rows(scores, what)
            names += scores.names
            rows += _unit_rows(scores, self.indicator_set)
        if problems:
            raise DataError(problems)
        _check_names(names, self.paths)
        return rows


def reference_table(
    indicator_set: IndicatorSet, names: list[str], parts: list[ReferencePart]
) -> ReferenceTable:
    """The chunks' reference points as one table; points known exactly already are given a float too (so
    the matrix recomputes them only near a rounding boundary), the others computed when asked for."""
    import numpy as np

    def stack(key: str) -> Any:
        return (
            np.concatenate([getattr(part, key) for part in parts])
            if parts
            else np.zeros((0, len(indicator_set.indicators)))
        )

    approx, error = stack("approx"), stack("error")
    known: dict[tuple[int, int], Decimal] = {}
    values: dict[int, dict[str, Any]] = {}
    base = 0
    for part in parts:
        for (row, j), value in part.known.items():
            known[base + row, j] = value
            approx[base + row, j] = float(value)
            error[base + row, j] = abs(float(value)) * 2.0**-52
        values.update({base + row: found for row, found in part.values.items()})
        base += len(part.exact)

    def resolve(u: int, j: int) -> Decimal:
        if (u, j) not in known:
            found = reference_cells(indicator_set, values[u], [j])
            assert found is not None  # the float lane computed this point: the engine's code does too
            known[u, j] = found[j]
        return known[u, j]

    places = parts[0].places if parts else tuple(0 for _ in indicator_set.indicators)
    exact = stack("exact").astype(bool)
    exact &= ~np.isin(
        np.arange(exact.size).reshape(exact.shape), []
    )  # (known cells keep their exact flag off)
    return ReferenceTable(
        units=tuple(names),
        places=places,
        exact_units=stack("exact_units").astype(np.int64),
        exact=stack("exact").astype(bool),
        approx=approx,
        error=error,
        not_applicable=stack("na").astype(bool),
        resolve=resolve,
    )


def _unit_rows(scores: BatchScores, indicator_set: IndicatorSet) -> list[UnitRows]:
    """Rounded points (0 where a row is left out) and the attainable total of every row of a batch."""
    import numpy as np

    counted = scores.array("counted")
    points = np.where(counted, scores.array("points"), 0).tolist()
    weights = [indicator.weight for indicator in indicator_set.indicators]
    attainable: dict[tuple[bool, ...], Decimal] = {}  # few distinct patterns of rows left out
    rows = []
    for name, values, mask in zip(scores.names, points, counted.tolist(), strict=True):
        key = tuple(mask)
        if key not in attainable:
            attainable[key] = sum((w for w, kept in zip(weights, key, strict=True) if kept), Decimal(0))
        rows.append(UnitRows(name, tuple(values), attainable[key]))
    return rows


def _reading(options: Mapping[str, Any]) -> dict[str, Any]:
    return {key: options[key] for key in ("sheet", "header_row", "encoding") if options.get(key) is not None}


def _mapping(options: Mapping[str, Any]) -> dict[str, Any]:
    found = {"columns": options.get("columns"), "id_column": options.get("id_column")}
    return {key: value for key, value in found.items() if value is not None}


def _totals(scores: BatchScores, indicator_set: IndicatorSet) -> list[Total]:
    places = indicator_set.rounding.total_places
    labels = [grade.label for grade in indicator_set.grades]
    return [
        Total(name, units_to_decimal(int(total), places), labels[int(grade)], indicator_set.total)
        for name, total, grade in zip(scores.names, scores.array("total"), scores.array("grade"), strict=True)
    ]


def _unknown_rows(scores: BatchScores, what: str) -> list[Problem]:
    known = scores.array("total_known")
    return [
        Problem(
            "unknown-rows",
            f"unit '{scores.names[row]}' has unknown rows; {what} needs every row known",
            Location(scores.source),
            scores.names[row],
            "give the figures or judgments, or leave the unit out",
        )
        for row in range(scores.rows)
        if not known[row] and row not in scores.errors
    ]


def _check_names(names: list[str], paths: Sequence[Path]) -> None:
    seen: set[str] = set()
    problems = []
    for name in names:
        if name in seen:
            message = f"two rows hold unit '{name}'"
            hint = "name each unit once (the id column: unit, 单位 or 单位名称)"
            problems.append(
                Problem("duplicate-unit", message, Location(", ".join(map(str, paths))), name, hint)
            )
        seen.add(name)
    if problems:
        raise DataError(problems)
