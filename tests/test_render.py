"""Renderers: group tree layout and column alignment."""

from __future__ import annotations

import unicodedata

import scoring
from scoring.report import score as render
from tests.helpers import set_text


def _result_for_scattered_groups() -> tuple[scoring.Result, scoring.IndicatorSet]:
    ratio = {"ratio": {"target": 100}}
    text = set_text(
        [
            {"id": "a", "label": "A", "group": "G/H", "weight": 20, "formula": "x", "rule": ratio},
            {"id": "b", "label": "B", "group": "K", "weight": 40, "formula": "x", "rule": ratio},
            {"id": "c", "label": "C", "group": "G/H", "weight": 30, "formula": "x", "rule": ratio},
            {"id": "d", "label": "D", "weight": 10, "formula": "x", "rule": ratio},
        ]
    )
    indicator_set = scoring.parse_set(text)
    return scoring.evaluate(indicator_set, {"values": {"x": 50}}), indicator_set


def test_each_group_appears_once_above_all_its_members() -> None:
    result, indicator_set = _result_for_scattered_groups()
    lines = render.table(result, indicator_set).splitlines()
    names = [line.split()[0] for line in lines[4:-2] if line.strip()]
    assert names == ["G", "H", "A", "C", "K", "B", "D"]


def test_columns_align_with_wide_characters() -> None:
    """Right-aligned Points cells end at the same terminal column on every row, CJK labels included."""
    unit = scoring.load_unit("examples/demo.yaml")
    text = render.table(scoring.evaluate(unit.indicator_set, unit), unit.indicator_set)
    lines = text.splitlines()
    header = lines[2]
    points_end = header.index("Points") + len("Points")  # the header is ASCII
    for line in lines[4:]:
        if not line or line.startswith("Total"):
            continue
        columns, cut = 0, 0
        while columns < points_end:
            columns += 2 if unicodedata.east_asian_width(line[cut]) in "WF" else 1
            cut += 1
        assert columns == points_end, line
        assert line[cut - 1] in "0123456789—", line  # the last character of the points figure
        assert line[cut : cut + 2] == "  ", line


def test_markdown_marks_groups_bold() -> None:
    result, indicator_set = _result_for_scattered_groups()
    text = render.markdown(result, indicator_set)
    assert "| **G** |" in text
    assert "**H**" in text
    assert "| D |" in text
