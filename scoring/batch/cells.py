"""A chunk of text cells read for scoring: clean cells become columns for the fast path, and every row can
be written out as unit data for the scalar engine.

Cells are text (:mod:`scoring.tables`); a number is read from its text. The fast path takes a cell only
when it is a plain decimal number (``-12.5``, ``3e2``); anything else — ``87.70%``, ``1,234.56``, full-width
digits, a date — sends its row to the scalar engine with the text as given, where the unit-data checks
refuse it with their hint, exactly as in a YAML file. true/false cells read ``true``/``false``,
``是``/``否``, ``1``/``0`` (as written, in capitals or capitalised: ``TRUE``, ``True``). ``不适用`` or ``N/A``
in an input's cell marks every indicator that needs the input not applicable; ``未知`` or ``unknown`` marks
them unknown.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from ..columnar.approx import ULP, Bool, Num
from ..columnar.evaluate import Columns
from ..columnar.rational import LIMIT, Rat, RatOps
from ..model.indicator_set import IndicatorSet
from .layout import Layout

NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_NUMBER = re.compile(NUMBER_PATTERN)
NOT_APPLICABLE_TEXTS = frozenset({"不适用", "n/a"})
UNKNOWN_TEXTS = frozenset({"未知", "unknown"})
TRUE_TEXTS = frozenset({"true", "是", "1", "yes"})
FALSE_TEXTS = frozenset({"false", "否", "0", "no"})
#: Texts a ``.na`` or ``.unknown`` column reads as a mark (besides the true texts).
MARK_TEXTS = TRUE_TEXTS | NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS | {"x", "✓", "√"}
#: Award points with more decimals than this go to the scalar engine.
AWARD_PLACES = 6


@functools.cache
def spellings(texts: frozenset[str]) -> frozenset[str]:
    """The forms of ``texts`` a cell may take: as written, in capitals, capitalised (``true``, ``TRUE``,
    ``True``); the fast path and the engine's path read marks and true/false alike through them."""
    return frozenset(form for text in texts for form in (text, text.upper(), text.capitalize()))


def _arrow() -> tuple[Any, Any]:
    import pyarrow
    import pyarrow.compute

    return pyarrow, pyarrow.compute


class Chunk:
    """One chunk's cells (a pyarrow table of text) under a :class:`Layout`."""

    def __init__(self, indicator_set: IndicatorSet, layout: Layout, table: Any, first_row: int) -> None:
        self.set = indicator_set
        self.layout = layout
        self.first_row = first_row
        self.table = table
        self.rows = table.num_rows
        #: The cells as text, stripped of surrounding white space by the readers, empty ones null.
        self.text = table.columns
        self._python: dict[int, list[str | None]] = {}
        self._encoded: dict[int, tuple[list[str | None], Any]] = {}

    def cells(self, column: int) -> list[str | None]:
        """A column's cells as Python strings (made once, for the rows the scalar engine needs)."""
        if column not in self._python:
            self._python[column] = self.text[column].to_pylist()
        return self._python[column]

    def cell(self, column: int, row: int) -> str | None:
        """One cell as a Python string (a whole column is converted only when already asked for)."""
        if column in self._python:
            return self._python[column][row]
        value: str | None = self.text[column][row].as_py()
        return value

    def matches(self, column: int, texts: Iterable[str], few: bool = True) -> Any:
        """Where a cell is one of ``texts`` in any common case (``true``, ``True``, ``TRUE``). A column of
        ``few`` distinct cells (marks, true/false, tiers) looks each up once; a column of numbers is
        searched whole."""
        import numpy as np

        forms = spellings(frozenset(texts))
        if not few:
            pyarrow, pc = _arrow()
            found = pc.is_in(self.text[column], value_set=pyarrow.array(sorted(forms)))
            return found.to_numpy(zero_copy_only=False)
        distinct, indexes = self._distinct(column)
        lookup = np.asarray([value in forms for value in distinct] + [False], dtype=bool)
        return lookup[indexes]

    def empty(self, column: int) -> Any:
        _, pc = _arrow()
        return pc.fill_null(pc.equal(self.text[column], ""), True).to_numpy(zero_copy_only=False)

    # --- the fast path -------------------------------------------------------------------------------

    def columns(self, exact: bool = False, inputs: Collection[str] | None = None) -> Columns:
        """The chunk as the columnar evaluator takes it; rows it cannot take are ``forced``. Numbers are
        floats with their bounds, or with ``exact`` rationals (:mod:`scoring.columnar.rational`); ``inputs``
        limits them to those named (rows the float lane left in doubt need the inputs in doubt only)."""
        import numpy as np

        rows = self.rows
        forced = np.zeros(rows, dtype=bool)
        values: dict[str, Any] = {}
        present: dict[str, Any] = {}
        marked_na: dict[str, Any] = {}
        for name, spec in self.set.inputs.items():
            column = self.layout.inputs.get(name)
            if column is None or (inputs is not None and name not in inputs):
                continue
            if spec.type in ("text", "date"):
                # no column of text or dates: every row scoring an indicator that reads one lacks the input
                # here, so the evaluator forces it to the scalar engine (its marks are read there too)
                continue
            value: Any
            value, usable, bad = (self._booleans if spec.type == "boolean" else self._numbers)(column, spec)
            if exact and spec.type != "boolean":
                value = self._rationals(column, value, usable)
            values[name], present[name] = value, usable
            forced |= bad
            if usable.all():
                continue  # no cell holds a mark
            few = spec.type == "boolean"
            na = self.matches(column, NOT_APPLICABLE_TEXTS, few)
            forced |= self.matches(column, UNKNOWN_TEXTS, few)
            if na.any():
                for indicator in self.set.indicators:
                    if name in indicator.needs_inputs:
                        marked_na[indicator.id] = marked_na.get(indicator.id, False) | na
        not_applicable: dict[str, Any] = {}
        awards: dict[str, tuple[Any, int]] = {}
        for indicator in self.set.indicators:
            na = marked_na.get(indicator.id, np.zeros(rows, dtype=bool))
            na = na | self._marked(indicator.id, "na")
            forced |= self._marked(indicator.id, "unknown")
            tier_column = self.layout.mark(indicator.id, "tier")
            if tier_column is not None:
                na = na | self.matches(tier_column, NOT_APPLICABLE_TEXTS)
                forced |= self.matches(tier_column, UNKNOWN_TEXTS)
            if indicator.rule.judged:
                award, bad = self._awards(indicator.id, na)
                if indicator.id in self.layout.raters:
                    bad = bad | ~na  # a panel's raters are aggregated by the exact engine
                forced |= bad
                awards[indicator.id] = award
            if na.any():
                not_applicable[indicator.id] = na
        return Columns(rows, values, present, not_applicable, awards, forced)

    def _marked(self, indicator_id: str, suffix: str) -> Any:
        import numpy as np

        column = self.layout.mark(indicator_id, suffix)
        if column is None:
            return np.zeros(self.rows, dtype=bool)
        return self.matches(column, MARK_TEXTS)

    def _numbers(self, column: int, spec: Any) -> tuple[Num, Any, Any]:
        """(the column as floats with their bounds, where a value is usable, the rows to force to the scalar
        engine: a cell that is not a plain number, a mark, or a number the unit-data checks refuse)."""
        import numpy as np

        pyarrow, pc = _arrow()
        text = self.text[column]
        try:  # most columns hold nothing but numbers: one cast, no pattern to match
            floats = pc.cast(text, pyarrow.float64())
            clean = floats.is_valid().to_numpy(zero_copy_only=False)
            wrong = np.zeros(self.rows, dtype=bool)
        except pyarrow.ArrowInvalid:
            filled = pc.fill_null(text, "")
            clean = pc.match_substring_regex(filled, NUMBER_PATTERN).to_numpy(zero_copy_only=False)
            floats = pc.cast(pc.if_else(pyarrow.array(clean), filled, "nan"), pyarrow.float64())
            marks = self.matches(column, NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS, few=False)
            wrong = ~clean & ~self.empty(column) & ~marks
        v = floats.fill_null(np.nan).to_numpy(zero_copy_only=False)
        size = np.abs(v)
        # nan, inf and numbers beyond 10^±24 are refused by the checks; an exponent may underflow to 0
        # (the engine refuses |x| ≥ 10^24 and 0 < |x| < 10^-24; a float within 10^-9 of either bound is
        # left to it, the text deciding)
        refused = clean & (
            ~np.isfinite(v) | (size >= 1e24 * (1 - 1e-9)) | ((size > 0) & (size < 1e-24 * (1 + 1e-9)))
        )
        zeros = np.nonzero(clean & (v == 0))[0]
        if len(zeros):
            written = pc.match_substring(text.take(zeros), "e", ignore_case=True)
            refused[zeros] |= written.to_numpy(zero_copy_only=False)
        # a whole float of a text of at most 15 characters is that very number (floats hold every decimal
        # of 15 digits apart), so it carries no error
        short = pc.fill_null(pc.less_equal(pc.binary_length(text), 15), False).to_numpy(zero_copy_only=False)
        exact = short & (v == np.trunc(v)) & (size < 2.0**53)
        limits = np.zeros(self.rows, dtype=bool)
        if spec.min is not None:
            limits |= ~(v >= float(spec.min)) | (np.abs(v - float(spec.min)) <= 4 * ULP * size)
        if spec.max is not None:
            limits |= ~(v <= float(spec.max)) | (np.abs(v - float(spec.max)) <= 4 * ULP * size)
        if spec.type == "integer":
            limits |= ~exact
        bad = wrong | refused | (clean & limits)
        return Num(v, np.where(exact, 0.0, size * ULP)), clean & ~refused, bad

    def _rationals(self, column: int, floats: Any, usable: Any) -> Rat:
        """A number column as exact rationals. A plain decimal of at most 15 digits with k decimals is
        ``n / 10^k`` where ``n`` is its float times ``10^k``, rounded (``n < 10^15 < 2^53``, and the float is
        within half a unit of it); other cells (an exponent, more digits) are read from their text one by one."""
        import numpy as np

        _, pc = _arrow()
        text = pc.fill_null(self.text[column], "")
        length = pc.binary_length(text).to_numpy(zero_copy_only=False)
        point = pc.find_substring(text, ".").to_numpy(zero_copy_only=False)
        plain = pc.match_substring_regex(text, r"^[+-]?\d*\.?\d*$").to_numpy(zero_copy_only=False)
        places = np.where(point >= 0, length - point - 1, 0)
        simple = usable & plain & (length <= 15)  # at most 15 digits: the float holds the decimal apart
        scale = 10.0 ** np.where(simple, places, 0)
        num = np.where(simple, np.rint(floats.v * scale), 0).astype(np.int64)
        den = np.where(simple, scale, 1).astype(np.int64)
        ok = simple.copy()
        for row in np.nonzero(usable & ~simple)[0]:
            n, d = Decimal(self.cell(column, int(row)) or "0").as_integer_ratio()
            if abs(n) < LIMIT and d < LIMIT:
                num[row], den[row], ok[row] = n, d, True
        return RatOps(np, self.rows).make(num, den, ok, np.ones(self.rows, dtype=bool))

    def _booleans(self, column: int, spec: Any) -> tuple[Bool, Any, Any]:
        import numpy as np

        true = self.matches(column, TRUE_TEXTS)
        false = self.matches(column, FALSE_TEXTS)
        blank = self.empty(column) | self.matches(column, NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS)
        return Bool(true, np.zeros(self.rows, dtype=bool)), true | false, ~(true | false | blank)

    def _distinct(self, column: int) -> tuple[list[str | None], Any]:
        """A column's distinct cells and each row's index into them (-1 for an empty cell), made once:
        columns such as marks, tiers and awarded points hold few distinct texts, each then read once."""
        if column not in self._encoded:
            _, pc = _arrow()
            encoded = pc.dictionary_encode(self.text[column]).combine_chunks()
            indexes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
            self._encoded[column] = (encoded.dictionary.to_pylist(), indexes)
        return self._encoded[column]

    def _awards(self, indicator_id: str, na: Any) -> tuple[tuple[Any, int], Any]:
        """Award points (exact integers of 10^-AWARD_PLACES) and the rows the scalar engine must check: an
        award outside its tier, an unknown tier, no reason, points missing (the row is then unknown within
        its tier) or not a plain number of at most AWARD_PLACES decimals."""
        import numpy as np

        columns = [self.layout.mark(indicator_id, suffix) for suffix in ("tier", "points", "reason")]
        tier_column, points_column, reason_column = columns
        if tier_column is None or points_column is None or reason_column is None:
            return (np.zeros(self.rows, dtype=np.int64), AWARD_PLACES), ~na
        rule: Any = self.set.by_id[indicator_id].rule
        scale = Decimal(10) ** AWARD_PLACES
        tiers, tier_index = self._distinct(tier_column)
        # each distinct tier's lowest and highest award in units (an unknown tier allows none)
        low = [math.ceil(rule.tiers[t][0] * scale) if t in rule.tiers else 1 for t in tiers] + [1]
        high = [math.floor(rule.tiers[t][1] * scale) if t in rule.tiers else 0 for t in tiers] + [0]
        texts, points_index = self._distinct(points_column)
        units = [_award_units(text, scale) for text in texts] + [None]
        clean = np.asarray([u is not None for u in units])[points_index]
        exact = np.asarray([u or 0 for u in units], dtype=np.int64)[points_index]
        inside = (exact >= np.asarray(low, dtype=np.int64)[tier_index]) & (
            exact <= np.asarray(high, dtype=np.int64)[tier_index]
        )
        judged = ~(self.empty(tier_column) & self.empty(points_column))
        bad = ~clean | ~inside | self.empty(reason_column)
        return (exact, AWARD_PLACES), np.where(na, judged, bad)

    # --- the scalar path -----------------------------------------------------------------------------

    def unit_names(self) -> list[str]:
        """Every row's unit name: its id cell, or ``row N`` (N counted from 1 over the table)."""
        column = self.layout.id_column
        cells = self.cells(column) if column is not None else [None] * self.rows
        return [name or f"row {self.first_row + row + 1}" for row, name in enumerate(cells)]

    def values(self, row: int, names: Collection[str] | None = None) -> dict[str, Any]:
        """A row's input values (those ``names``, by default all), as the unit-data checks give them (for a
        row with no bad cell)."""
        values: dict[str, Any] = {}
        for name, column in self.layout.inputs.items():
            if names is not None and name not in names:
                continue
            text = self.cells(column)[row]  # (read for the few rows of a chunk the lanes leave in doubt)
            if text and text not in spellings(NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS):
                values[name] = _cell_value(text, self.set.inputs[name].type)
        return values

    def unit_name(self, row: int) -> str:
        column = self.layout.id_column
        name = self.cell(column, row) if column is not None else None
        return name or f"row {self.first_row + row + 1}"

    def mapping(self, row: int) -> dict[str, Any]:
        """The row as unit data (the unit-data format as a mapping), for :func:`scoring.evaluate`."""
        values: dict[str, Any] = {}
        na: set[str] = set()
        unknown: set[str] = set()
        for name, column in self.layout.inputs.items():
            text = self.cell(column, row)
            if not text:
                continue
            if text in spellings(NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS):
                needing = {i.id for i in self.set.indicators if name in i.needs_inputs}
                (na if text in spellings(NOT_APPLICABLE_TEXTS) else unknown).update(needing)
                continue
            values[name] = _cell_value(text, self.set.inputs[name].type)
        judgments: dict[str, Any] = {}
        for indicator in self.set.indicators:
            key = indicator.id
            if self._mark_text(key, "na", row):
                na.add(key)
            if self._mark_text(key, "unknown", row):
                unknown.add(key)
            tier_column = self.layout.mark(key, "tier")
            tier = (self.cell(tier_column, row) or "") if tier_column is not None else ""
            if tier in spellings(NOT_APPLICABLE_TEXTS):
                na.add(key)
            elif tier in spellings(UNKNOWN_TEXTS):
                unknown.add(key)
            judgment = self._panel(key, row) if key in self.layout.raters else self._judgment(key, row)
            if judgment is not None:
                judgments[key] = judgment
        data: dict[str, Any] = {"unit": self.unit_name(row), "values": values}
        data.update(not_applicable=sorted(na), unknown=sorted(unknown - na), judgments=judgments)
        return data

    def _mark_text(self, indicator_id: str, suffix: str, row: int) -> bool:
        column = self.layout.mark(indicator_id, suffix)
        text = self.cell(column, row) if column is not None else None
        return bool(text) and text in spellings(MARK_TEXTS)

    def rater_columns(self, indicator_id: str, row: int) -> list[tuple[str, int]]:
        """The raters of a panel row who scored this row of the table (their cell is not empty), in order."""
        columns = self.layout.raters.get(indicator_id, ())
        return [(name, column) for name, column in columns if self.cell(column, row)]

    def _panel(self, indicator_id: str, row: int) -> dict[str, Any] | None:
        """A panel row's judgment from its rater columns (``unknown`` in a cell: that rater's points are not
        known) and its ``<id>.reason`` column, the panel's note; None when no rater scored this row."""
        raters = []
        for name, column in self.rater_columns(indicator_id, row):
            text = self.cell(column, row) or ""
            points = "unknown" if text in spellings(UNKNOWN_TEXTS) else _cell_value(text, "number")
            raters.append({"name": name, "points": points})
        if not raters:
            return None
        reason_column = self.layout.mark(indicator_id, "reason")
        reason = self.cell(reason_column, row) if reason_column is not None else None
        return {"raters": raters, "reason": reason} if reason else {"raters": raters}

    def _judgment(self, indicator_id: str, row: int) -> dict[str, Any] | None:
        cells = {
            suffix: self.cell(column, row)
            for suffix in ("tier", "points", "reason")
            if (column := self.layout.mark(indicator_id, suffix)) is not None
        }
        tier = cells.get("tier")
        if not tier or tier in spellings(NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS):
            return None  # no judgment, or a mark (read by _tier_mark)
        judgment: dict[str, Any] = {"tier": tier, "reason": cells.get("reason") or ""}
        text = cells.get("points")
        if text:
            judgment["points"] = _cell_value(text, "number")
        return judgment


def _award_units(text: str | None, scale: Decimal) -> int | None:
    """Awarded points as a whole number of 10^-AWARD_PLACES, or None when the text is not a plain number
    with at most that many decimals."""
    if text is None or not _NUMBER.fullmatch(text) or len(text) > 30:
        return None
    units = Decimal(text) * scale
    return int(units) if units == units.to_integral_value() and abs(units) < 2**62 else None


def _cell_value(text: str, kind: str) -> Any:
    """A cell as unit data: a Decimal from a plain number's text, true/false, or the text itself (which
    the unit-data checks refuse with their hint)."""

    if kind in ("text", "date"):
        return text  # checked as text or an ISO date when bound
    if kind == "boolean":
        if text in spellings(TRUE_TEXTS):
            return True
        if text in spellings(FALSE_TEXTS):
            return False
        return text
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    return text
