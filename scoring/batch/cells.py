"""A chunk of text cells read for scoring: clean cells become columns for the fast path, and every row can
be written out as unit data for the scalar engine.

Cells are text (:mod:`scoring.tables`); a number is read from its text. The fast path takes a cell only
when it is a plain decimal number (``-12.5``, ``3e2``); anything else — ``87.70%``, ``1,234.56``, full-width
digits, a date — sends its row to the scalar engine with the text as given, where the unit-data checks
refuse it with their hint, exactly as in a YAML file. true/false cells read ``true``/``false``,
``是``/``否``, ``1``/``0`` (any case). ``不适用`` or ``N/A`` in an input's cell marks every indicator that
needs the input not applicable; ``未知`` or ``unknown`` marks them unknown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..columnar.approx import ULP, Bool, Num
from ..columnar.evaluate import Columns
from ..columnar.rational import LIMIT, Rat, RatOps
from ..model.indicator_set import IndicatorSet
from .layout import Layout

NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
#: Whole numbers of at most 15 digits, which a float holds exactly.
EXACT_PATTERN = r"^[+-]?\d{1,15}$"
NOT_APPLICABLE_TEXTS = frozenset({"不适用", "n/a"})
UNKNOWN_TEXTS = frozenset({"未知", "unknown"})
TRUE_TEXTS = frozenset({"true", "是", "1", "yes"})
FALSE_TEXTS = frozenset({"false", "否", "0", "no"})
#: Texts a ``.na`` or ``.unknown`` column reads as a mark (besides the true texts).
MARK_TEXTS = TRUE_TEXTS | NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS | {"x", "✓", "√"}
#: Award points with more decimals than this go to the scalar engine.
AWARD_PLACES = 6


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
        _, pc = _arrow()
        self.text = [pc.utf8_trim_whitespace(column) for column in table.columns]
        self._python: dict[int, list[str | None]] = {}

    def cells(self, column: int) -> list[str | None]:
        """A column's cells as Python strings (made once, for the rows the scalar engine needs)."""
        if column not in self._python:
            self._python[column] = self.text[column].to_pylist()
        return self._python[column]

    def lowered(self, column: int) -> Any:
        _, pc = _arrow()
        return pc.fill_null(pc.utf8_lower(self.text[column]), "")

    def matches(self, column: int, texts: Iterable[str]) -> Any:
        pyarrow, pc = _arrow()
        found = pc.is_in(self.lowered(column), value_set=pyarrow.array(sorted(texts)))
        return found.to_numpy(zero_copy_only=False)

    def empty(self, column: int) -> Any:
        _, pc = _arrow()
        return pc.equal(self.lowered(column), "").to_numpy(zero_copy_only=False)

    # --- the fast path -------------------------------------------------------------------------------

    def columns(self, exact: bool = False) -> Columns:
        """The chunk as the columnar evaluator takes it; rows it cannot take are ``forced``. Numbers are
        floats with their bounds, or with ``exact`` rationals (:mod:`scoring.columnar.rational`)."""
        import numpy as np

        rows = self.rows
        forced = np.zeros(rows, dtype=bool)
        values: dict[str, Any] = {}
        present: dict[str, Any] = {}
        marked_na: dict[str, Any] = {}
        for name, spec in self.set.inputs.items():
            column = self.layout.inputs.get(name)
            if column is None:
                continue
            value: Any
            value, usable, bad = (self._booleans if spec.type == "boolean" else self._numbers)(column, spec)
            if exact and spec.type != "boolean":
                value = self._rationals(column, usable)
            values[name], present[name] = value, usable
            forced |= bad
            na = self.matches(column, NOT_APPLICABLE_TEXTS)
            forced |= self.matches(column, UNKNOWN_TEXTS)
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
        import numpy as np

        pyarrow, pc = _arrow()
        text = pc.fill_null(self.text[column], "")
        clean = pc.match_substring_regex(text, NUMBER_PATTERN).to_numpy(zero_copy_only=False)
        exact = pc.match_substring_regex(text, EXACT_PATTERN).to_numpy(zero_copy_only=False)
        cleaned = pc.if_else(pyarrow.array(clean), text, "nan")
        v = pc.cast(cleaned, pyarrow.float64()).to_numpy(zero_copy_only=False)
        blank = self.empty(column)
        marks = self.matches(column, NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS)
        size = np.abs(v)
        out_of_range = clean & ((size > 1e24) | ((size < 1e-24) & (size > 0)))
        limits = np.zeros(self.rows, dtype=bool)
        if spec.min is not None:
            limits |= ~(v >= float(spec.min)) | (np.abs(v - float(spec.min)) <= 4 * ULP * size)
        if spec.max is not None:
            limits |= ~(v <= float(spec.max)) | (np.abs(v - float(spec.max)) <= 4 * ULP * size)
        if spec.type == "integer":
            limits |= ~exact
        bad = (~clean & ~blank & ~marks) | out_of_range | (clean & limits)
        error = np.where(exact, 0.0, size * ULP)
        return Num(v, error), clean, bad

    def _rationals(self, column: int, usable: Any) -> Rat:
        """A number column as exact rationals, read from each cell's text (for the few rows the float lane
        left unsure; a value too large for int64 is not ok, and goes to the scalar engine)."""
        import numpy as np

        num = np.zeros(self.rows, dtype=np.int64)
        den = np.ones(self.rows, dtype=np.int64)
        ok = np.zeros(self.rows, dtype=bool)
        for row, text in enumerate(self.cells(column)):
            if not usable[row] or text is None:
                continue
            n, d = Decimal(text).as_integer_ratio()
            if abs(n) < LIMIT and d < LIMIT:
                num[row], den[row], ok[row] = n, d, True
        return RatOps(np, self.rows).make(num, den, ok, np.ones(self.rows, dtype=bool))

    def _booleans(self, column: int, spec: Any) -> tuple[Bool, Any, Any]:
        import numpy as np

        true = self.matches(column, TRUE_TEXTS)
        false = self.matches(column, FALSE_TEXTS)
        blank = self.empty(column) | self.matches(column, NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS)
        return Bool(true, np.zeros(self.rows, dtype=bool)), true | false, ~(true | false | blank)

    def _awards(self, indicator_id: str, na: Any) -> tuple[tuple[Any, int], Any]:
        """Award points (exact integers of 10^-AWARD_PLACES) and the rows the scalar engine must check: an
        award outside its tier, an unknown tier, no reason, points missing (the row is then unknown within
        its tier) or not a plain number of at most AWARD_PLACES decimals."""
        import numpy as np

        pyarrow, pc = _arrow()
        columns = [self.layout.mark(indicator_id, suffix) for suffix in ("tier", "points", "reason")]
        tier_column, points_column, reason_column = columns
        if tier_column is None or points_column is None or reason_column is None:
            return (np.zeros(self.rows, dtype=np.int64), AWARD_PLACES), ~na
        rule: Any = self.set.by_id[indicator_id].rule
        labels = list(rule.tiers)
        tier = pc.index_in(pc.fill_null(self.text[tier_column], ""), value_set=pyarrow.array(labels))
        tier_index = pc.fill_null(tier, -1).to_numpy(zero_copy_only=False)
        text = pc.fill_null(self.text[points_column], "")
        pattern = rf"^[+-]?(\d{{1,12}}(\.\d{{0,{AWARD_PLACES}}})?|\.\d{{1,{AWARD_PLACES}}})$"
        clean = pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False)
        v = pc.cast(pc.if_else(pyarrow.array(clean), text, "0"), pyarrow.float64()).to_numpy(
            zero_copy_only=False
        )
        # at most 12 + 6 digits: v·10^6 is within 2^-53·10^18 < ½ of the whole number it stands for
        exact = np.rint(v * 10**AWARD_PLACES).astype(np.int64)
        scale = 10**AWARD_PLACES
        low = np.asarray([math.ceil(rule.tiers[label][0] * scale) for label in labels] + [0], dtype=np.int64)
        high = np.asarray(
            [math.floor(rule.tiers[label][1] * scale) for label in labels] + [0], dtype=np.int64
        )
        inside = (tier_index >= 0) & (exact >= low[tier_index]) & (exact <= high[tier_index])
        judged = ~(self.empty(tier_column) & self.empty(points_column))
        bad = ~clean | ~inside | self.empty(reason_column)
        bad = np.where(na, judged, bad)
        return (exact, AWARD_PLACES), bad

    # --- the scalar path -----------------------------------------------------------------------------

    def unit_name(self, row: int) -> str:
        column = self.layout.id_column
        name = self.cells(column)[row] if column is not None else None
        return name or f"row {self.first_row + row + 1}"

    def mapping(self, row: int) -> dict[str, Any]:
        """The row as unit data (the unit-data format as a mapping), for :func:`scoring.evaluate`."""
        values: dict[str, Any] = {}
        na: set[str] = set()
        unknown: set[str] = set()
        for name, column in self.layout.inputs.items():
            text = self.cells(column)[row]
            if not text:
                continue
            lowered = text.lower()
            if lowered in NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS:
                needing = {i.id for i in self.set.indicators if name in i.needs_inputs}
                (na if lowered in NOT_APPLICABLE_TEXTS else unknown).update(needing)
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
            tier = (self.cells(tier_column)[row] or "").lower() if tier_column is not None else ""
            if tier in NOT_APPLICABLE_TEXTS:
                na.add(key)
            elif tier in UNKNOWN_TEXTS:
                unknown.add(key)
            judgment = self._judgment(key, row)
            if judgment is not None:
                judgments[key] = judgment
        data: dict[str, Any] = {"unit": self.unit_name(row), "values": values}
        data.update(not_applicable=sorted(na), unknown=sorted(unknown - na), judgments=judgments)
        return data

    def _mark_text(self, indicator_id: str, suffix: str, row: int) -> bool:
        column = self.layout.mark(indicator_id, suffix)
        text = self.cells(column)[row] if column is not None else None
        return bool(text) and text.lower() in MARK_TEXTS  # type: ignore[union-attr]

    def _judgment(self, indicator_id: str, row: int) -> dict[str, Any] | None:
        cells = {
            suffix: self.cells(column)[row]
            for suffix in ("tier", "points", "reason")
            if (column := self.layout.mark(indicator_id, suffix)) is not None
        }
        tier = cells.get("tier")
        if not tier or tier.lower() in NOT_APPLICABLE_TEXTS | UNKNOWN_TEXTS:
            return None  # no judgment, or a mark (read by _tier_mark)
        judgment: dict[str, Any] = {"tier": tier, "reason": cells.get("reason") or ""}
        text = cells.get("points")
        if text:
            judgment["points"] = _cell_value(text, "number")
        return judgment


def _decimal(text: str | None) -> Decimal | None:
    if not text or len(text) > 40:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _cell_value(text: str, kind: str) -> Any:
    """A cell as unit data: a Decimal from a plain number's text, true/false, or the text itself (which
    the unit-data checks refuse with their hint)."""
    import re

    if kind == "boolean":
        lowered = text.lower()
        if lowered in TRUE_TEXTS:
            return True
        if lowered in FALSE_TEXTS:
            return False
        return text
    if re.fullmatch(NUMBER_PATTERN, text):
        return Decimal(text)
    return text
