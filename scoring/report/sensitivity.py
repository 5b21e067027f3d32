"""``scoring sensitivity`` as text and CSV: targets ranked by influence, the grade changes, the moves skipped."""

from __future__ import annotations

from ..analysis.sensitivity import SensitivityReport, SensitivityStep
from ..language import Catalogue
from ..numbers import fixed, in_context, plain
from .csv import PERCENT_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output


@text_output
@in_context
def sensitivity_table(report: SensitivityReport, *, texts: Catalogue | None = None) -> str:
    """Targets ranked by influence, then every grade change, then the moves that were not possible, in the
    words of ``texts`` (English when not given)."""
    texts = texts or Catalogue("en")
    s = report.indicator_set
    title = texts.text(
        "analysis.sensitivity.title",
        title=s.title,
        delta=plain(report.delta),
        rescale=texts.text(f"analysis.rescale.{report.rescale}"),
        units=len(report.units),
    )
    lines = [title, "", *_influence_lines(report, texts), "", *_grade_change_lines(report, texts)]
    skipped = [step for step in report.steps if step.skipped]
    if skipped:
        lines += ["", texts.text("analysis.sensitivity.skipped")]
        for step in skipped:
            sign = "+" if step.direction > 0 else "−"
            name = _name(report, texts, step.target, step.kind)
            lines.append(f"  {name} {sign}{plain(report.delta)}: {skipped_text(report, step, texts)}")
    return "\n".join(lines) + "\n"


def skipped_text(report: SensitivityReport, step: SensitivityStep, texts: Catalogue | None) -> str:
    """Why a move was not possible, in the words of ``texts``: by the problem's code where the catalogue has
    it (``analysis.sensitivity.skip.<code>``), else as the analysis wrote it (in English)."""
    key = f"analysis.sensitivity.skip.{step.skipped_code}"
    known = texts.keys() if texts is not None else frozenset()
    if texts is None or texts.language == "en" or key not in known:
        return step.skipped or ""
    places = report.indicator_set.rounding.places
    return texts.text(key, target=step.target, after=fixed(step.weight_after, places),
                      total=plain(step.maximum))  # fmt: skip


def _header(texts: Catalogue, *keys: str) -> list[str]:
    return [texts.text(f"analysis.sensitivity.{key}") for key in keys]


def _name(report: SensitivityReport, texts: Catalogue, target: str, kind: str) -> str:
    """A target as every table of the report names it: an indicator by its label, a group by its path."""
    if kind == "indicator":
        indicator = report.indicator_set.by_id.get(target)
        return indicator.label if indicator is not None else target
    return texts.text("analysis.sensitivity.group", id=target)


def _influence_lines(report: SensitivityReport, texts: Catalogue) -> list[str]:
    s = report.indicator_set
    tp = s.rounding.total_places
    # on a total of 100 that the moves keep, points are percentage points: one column says both
    same = s.total == 100 and report.rescale != "none"
    moves = {(step.target, step.kind, step.direction): step for step in report.steps}
    rows = []
    for item in report.influence:
        after = [moves[item.target, item.kind, direction] for direction in (-1, 1)]
        weights = " / ".join("—" if step.skipped else plain(step.weight_after) for step in after)
        name = _name(report, texts, item.target, item.kind)
        rows.append([str(item.rank), name, plain(item.weight), weights, fixed(item.mean_abs_change, tp + 2),
                     fixed(item.max_abs_change, tp), fixed(item.mean_abs_percent_change, 3), str(item.grade_changes),
                     str(item.largest_rank_move)])  # fmt: skip
    header = _header(texts, "rank", "target", "weight", "moved", "mean_change", "max_change", "mean_percent",
                     "grade_changes", "rank_move")  # fmt: skip
    right = [True, False, True, True, True, True, True, True, True]
    if same:
        del header[6], right[6]
        for row in rows:
            del row[6]
    return table_lines(header, rows, right)


def _grade_change_lines(report: SensitivityReport, texts: Catalogue) -> list[str]:
    tp = report.indicator_set.rounding.total_places
    changes = []
    for step in report.steps:
        if step.skipped:
            continue
        sign = "+" if step.direction > 0 else "−"
        for u in step.grade_changed():
            changes.append([_name(report, texts, step.target, step.kind), f"{sign}{plain(report.delta)}", report.units[u],
                            f"{fixed(report.totals[u], tp)} → {fixed(step.total_at(u), tp)}",
                            f"{report.grades[u]} → {step.grade_at(u)}"])  # fmt: skip
    if not changes:
        return [texts.text("analysis.sensitivity.no_changes")]
    header = _header(texts, "target", "move", "unit", "total", "grade")
    return [
        texts.text("analysis.sensitivity.changes_title"),
        *table_lines(header, changes, [False, True, False, True, False]),
    ]


@in_context
def sensitivity_csv(report: SensitivityReport, texts: Catalogue | None = None) -> str:
    """One row per target, direction and unit (skipped moves: one row without unit figures): weights at
    ``rounding.places``, totals and changes at ``rounding.total_places``, percentage points with at most
    :data:`~scoring.report.csv.PERCENT_PLACES` decimals. Why a move was skipped is in the words of ``texts``
    (as the analysis wrote it, in English, when not given)."""
    places, tp = report.indicator_set.rounding.places, report.indicator_set.rounding.total_places
    header = ["target", "kind", "direction", "weight_before", "weight_after", "unit", "total_before", "total_after",
              "change", "percent_change", "grade_before", "grade_after", "grade_changed", "rank_before",
              "rank_after", "skipped"]  # fmt: skip
    rows: list[list[Cell]] = []
    for step in report.steps:
        head: list[Cell] = [step.target, step.kind, step.sign, at(step.weight_before, places),
                            at(step.weight_after, places)]  # fmt: skip
        if step.skipped:
            rows.append([*head, "", "", "", "", "", "", "", "", "", "", skipped_text(report, step, texts)])
            continue
        for u, name in enumerate(report.units):
            changed = step.grades[u] != report.grades[u]
            rows.append([*head, name, at(report.totals[u], tp), at(step.totals[u], tp), at(step.changes[u], tp),
                         upto(step.percent_changes[u], PERCENT_PLACES), report.grades[u], step.grades[u],
                         "yes" if changed else "no", report.ranks[u], step.ranks[u], ""])  # fmt: skip
    return csv_text(header, rows)
