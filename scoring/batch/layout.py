"""Which column of a table feeds what: inputs by name or label, the unit's id, judgments and marks.

A column maps to an input when its header is the input's name or its label (the header as printed in the
office's sheet, e.g. 在职人员数), or when a mapping file says so (``--columns map.yaml``: header → input
name or ``<indicator>.tier`` etc.). Judged rows read ``<indicator>.tier``, ``<indicator>.points`` and
``<indicator>.reason``; ``<indicator>.na`` and ``<indicator>.unknown`` mark rows not applicable or unknown.
A judged row scored by a panel reads one column per rater, ``<indicator>.<rater>`` (any other text after the
dot names a rater; the cell holds the rater's points, or ``unknown``), unless the row has a ``.tier`` column.
The id column is the first headed ``unit``, ``单位`` or ``单位名称`` (or the one named with ``id_column``);
without one, units are named by their row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import DataError, Location, OptionError, Problem, clip, did_you_mean
from ..model.indicator_set import IndicatorSet

#: Headers taken as the unit's id, in order of preference.
ID_HEADERS = ("unit", "单位", "单位名称")
#: Suffixes of the per-indicator columns.
SUFFIXES = ("tier", "points", "reason", "na", "unknown")


@dataclass
class Layout:
    """Column indexes: ``inputs`` (input name → column), ``marks`` ((indicator id, suffix) → column),
    ``id_column`` (None: units are named by their row)."""

    headers: tuple[str, ...]
    inputs: dict[str, int] = field(default_factory=dict)
    marks: dict[tuple[str, str], int] = field(default_factory=dict)
    id_column: int | None = None
    unused: list[str] = field(default_factory=list)
    #: Judged indicator id → its raters' columns, (rater name, column), in the table's order.
    raters: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def mark(self, indicator_id: str, suffix: str) -> int | None:
        return self.marks.get((indicator_id, suffix))


def plan_layout(
    indicator_set: IndicatorSet,
    headers: Sequence[str],
    source: str,
    *,
    renames: Mapping[str, str] | None = None,
    id_column: str | None = None,
    duplicates: Mapping[str, Sequence[int]] | None = None,
) -> Layout:
    """Map the headers onto the set; raise a :class:`DataError` naming every column that cannot be used
    (a duplicated header that is needed, an input no column gives and no N/A column excuses)."""
    layout = Layout(tuple(headers))
    by_label = {spec.label: name for name, spec in indicator_set.inputs.items() if spec.label}
    problems: list[Problem] = []
    doubled = dict(duplicates or {})
    where = Location(source)
    for index, header in enumerate(headers):
        target = (renames or {}).get(header, header)
        if target not in indicator_set.inputs:  # a name wins over another input's label
            target = by_label.get(target, target)
        if target in layout.inputs:  # the input's name and its label both head a column
            first = headers[layout.inputs[target]]
            message = f"the input '{target}' is given by two columns, '{clip(first)}' and '{clip(header)}'"
            problems.append(Problem("duplicate-column", message, where, target, "keep one of them"))
            continue
        claimed = _claim(layout, indicator_set, target, index)
        if claimed and header in doubled:
            columns = ", ".join(str(c + 1) for c in doubled[header])
            message = f"the header '{clip(header)}' appears in more than one column ({columns})"
            hint = "rename one of them, or map each with --columns"
            problems.append(Problem("duplicate-column", message, where, header, hint))
        if not claimed:
            layout.unused.append(header)
    for judged in [key for key in layout.raters if layout.mark(key, "tier") is not None]:
        # a row with a <id>.tier column is one evaluator's judgment: its other <id>.x columns are no raters
        layout.unused += [layout.headers[column] for _, column in layout.raters.pop(judged)]
    layout.id_column = _id_column(headers, id_column, source)
    problems += _missing_inputs(indicator_set, layout, source)
    if problems:
        raise DataError(problems)
    return layout


def _claim(layout: Layout, indicator_set: IndicatorSet, target: str, index: int) -> bool:
    if target in indicator_set.inputs and target not in layout.inputs:
        layout.inputs[target] = index
        return True
    indicator_id, dot, suffix = target.rpartition(".")
    if dot and suffix in SUFFIXES and indicator_id in indicator_set.by_id:
        layout.marks.setdefault((indicator_id, suffix), index)
        return True
    indicator_id, dot, rater = target.partition(".")
    indicator = indicator_set.by_id.get(indicator_id)
    if dot and rater and indicator is not None and indicator.rule.judged:
        layout.raters.setdefault(indicator_id, []).append((rater, index))
        return True
    return False


def _id_column(headers: Sequence[str], named: str | None, source: str) -> int | None:
    if named is not None:
        if named not in headers:
            hint = did_you_mean(named, headers) or "headers: " + ", ".join(clip(h, 30) for h in headers[:20])
            raise OptionError(
                Problem("id-column", f"no column '{clip(named)}' in {source}", None, named, hint)
            )
        return list(headers).index(named)
    for candidate in ID_HEADERS:
        if candidate in headers:
            return list(headers).index(candidate)
    return None


def _summed(indicator_set: IndicatorSet, layout: Layout, name: str) -> bool:
    """Whether the table gives the input as the sum of its parts' columns (a total without its own column:
    its rows go to the scalar engine, where the unit's checks sum the parts)."""
    parts = indicator_set.inputs[name].sum_of if name in indicator_set.inputs else None
    return bool(parts) and all(
        part in layout.inputs or _summed(indicator_set, layout, part) for part in parts or ()
    )


def _missing_inputs(indicator_set: IndicatorSet, layout: Layout, source: str) -> list[Problem]:
    """An input no column gives is a problem of the whole table unless every indicator needing it can be
    marked not applicable (or unknown) row by row."""
    missing: dict[str, list[str]] = {}
    for indicator in indicator_set.indicators:
        if layout.mark(indicator.id, "na") is not None or layout.mark(indicator.id, "unknown") is not None:
            continue
        for name in sorted(indicator.needs_inputs):
            if name not in layout.inputs and not _summed(indicator_set, layout, name):
                missing.setdefault(name, []).append(indicator.id)
        judged = indicator.rule.judged and indicator.id not in layout.raters  # a panel needs no tier column
        if judged and layout.mark(indicator.id, "tier") is None:
            missing.setdefault(f"{indicator.id}.tier", []).append(indicator.id)
    problems = []
    for name, needed_by in missing.items():
        spec = indicator_set.inputs.get(name)
        label = f" ({spec.label})" if spec is not None and spec.label else ""
        close = did_you_mean(name, layout.unused) or (
            did_you_mean(spec.label, layout.unused) if spec is not None and spec.label else None
        )
        hint = (
            close or "add the column (headed by the name or the label), or map a header to it with --columns"
        )
        message = f"no column for '{name}'{label}, needed by {', '.join(needed_by)}"
        problems.append(Problem("missing-column", message, Location(source), name, hint))
    return problems
