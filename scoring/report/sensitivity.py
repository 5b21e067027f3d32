"""``scoring sensitivity`` as text and CSV: targets ranked by influence, the grade changes, the moves skipped."""

from __future__ import annotations

from ..analysis.sensitivity import SensitivityReport
from ..numbers import fixed, in_context, plain
from .csv import PERCENT_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output


@text_output
@in_context
def sensitivity_table(report: SensitivityReport) -> str:
    """Targets ranked by influence, then every grade change, then the moves that were not possible."""
    s = report.indicator_set
    lines = [
        f"One-at-a-time sensitivity: {s.title} — each weight moved by ±{plain(report.delta)} "
        f"(rescale {report.rescale}), {len(report.units)} units",
        "",
        *_influence_lines(report),
        "",
        *_grade_change_lines(report),
    ]
    skipped = [step for step in report.steps if step.skipped]
    if skipped:
        lines += ["", "Moves not possible"]
        for step in skipped:
            sign = "+" if step.direction > 0 else "−"
            lines.append(f"  {step.target} {sign}{plain(report.delta)}: {step.skipped}")
    return "\n".join(lines) + "\n"


def _influence_lines(report: SensitivityReport) -> list[str]:
    s = report.indicator_set
    tp = s.rounding.total_places
    labels = {i.id: i.label for i in s.indicators}
    moves = {(step.target, step.kind, step.direction): step for step in report.steps}
    rows = []
    for item in report.influence:
        after = [moves[item.target, item.kind, direction] for direction in (-1, 1)]
        weights = " / ".join("—" if step.skipped else plain(step.weight_after) for step in after)
        name = labels.get(item.target, item.target) if item.kind == "indicator" else f"[group] {item.target}"
        rows.append([str(item.rank), name, plain(item.weight), weights, fixed(item.mean_abs_change, tp + 2),
                     fixed(item.max_abs_change, tp), fixed(item.mean_abs_percent_change, 3), str(item.grade_changes),
                     str(item.largest_rank_move)])  # fmt: skip
    header = [
        "#",
        "weight of",
        "weight",
        "−Δ / +Δ",
        "mean |Δ total|",
        "max |Δ|",
        "mean |Δ %|",
        "grade chg",
        "rank move",
    ]
    return table_lines(header, rows, [True, False, True, True, True, True, True, True, True])


def _grade_change_lines(report: SensitivityReport) -> list[str]:
    tp = report.indicator_set.rounding.total_places
    changes = []
    for step in report.steps:
        if step.skipped:
            continue
        sign = "+" if step.direction > 0 else "−"
        for u in step.grade_changed():
            changes.append([step.target, f"{sign}{plain(report.delta)}", report.units[u],
                            f"{fixed(report.totals[u], tp)} → {fixed(step.total_at(u), tp)}",
                            f"{report.grades[u]} → {step.grade_at(u)}"])  # fmt: skip
    if not changes:
        return ["No grade changes."]
    header = ["weight of", "move", "unit", "total", "grade"]
    return ["Grade changes", *table_lines(header, changes, [False, True, False, True, False])]


@in_context
def sensitivity_csv(report: SensitivityReport) -> str:
    """One row per target, direction and unit (skipped moves: one row without unit figures): weights at
    ``rounding.places``, totals and changes at ``rounding.total_places``, percentage points with at most
    :data:`~scoring.report.csv.PERCENT_PLACES` decimals."""
    places, tp = report.indicator_set.rounding.places, report.indicator_set.rounding.total_places
    header = ["target", "kind", "direction", "weight_before", "weight_after", "unit", "total_before", "total_after",
              "change", "percent_change", "grade_before", "grade_after", "grade_changed", "rank_before",
              "rank_after", "skipped"]  # fmt: skip
    rows: list[list[Cell]] = []
    for step in report.steps:
        head: list[Cell] = [step.target, step.kind, step.sign, at(step.weight_before, places),
                            at(step.weight_after, places)]  # fmt: skip
        if step.skipped:
            rows.append([*head, "", "", "", "", "", "", "", "", "", "", step.skipped])
            continue
        for u, name in enumerate(report.units):
            changed = step.grades[u] != report.grades[u]
            rows.append([*head, name, at(report.totals[u], tp), at(step.totals[u], tp), at(step.changes[u], tp),
                         upto(step.percent_changes[u], PERCENT_PLACES), report.grades[u], step.grades[u],
                         "yes" if changed else "no", report.ranks[u], step.ranks[u], ""])  # fmt: skip
    return csv_text(header, rows)
