"""``scoring weights`` as text and CSV: each indicator's and group's nominal and effective weight."""

from __future__ import annotations

from ..analysis.effective_weights import EffectiveWeights, Influence
from ..language import Catalogue
from ..numbers import fixed, in_context, percent, plain, shown
from .csv import SHARE_PLACES, STATISTIC_EXTRA_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output

#: The catalogue words of the table: the six column headers, then the section and flag words.
_WORDS = (
    "weight",
    "nominal",
    "variation",
    "mean",
    "sd",
    "mean_of_weight",
    "groups",
    "indicators",
    "same_everywhere",
)


@text_output
@in_context
def weights_table(report: EffectiveWeights, *, texts: Catalogue | None = None) -> str:
    """Fixed-width table: groups (indented by depth), then indicators, with nominal and variation shares, in
    the words of ``texts`` (English when not given)."""
    texts = texts or Catalogue("en")
    s = report.indicator_set
    places = s.rounding.places
    words = {key: texts.text(f"analysis.weights.{key}") for key in _WORDS}
    header = ["", *(words[key] for key in _WORDS[:6])]

    def cells(item: Influence, name: str, flag: str = "") -> list[str]:
        return [
            name,
            plain(item.weight),
            percent(item.nominal_share),
            percent(item.variation_share),
            fixed(item.mean, places),
            fixed(item.std, places),
            percent(item.mean_share_of_weight) + flag,
        ]

    body: list[list[str]] = []
    if report.groups:
        body.append([words["groups"], "", "", "", "", "", ""])
        body.extend(cells(g, "  " * (g.id.count("/") + 1) + g.label) for g in report.groups)
    body.append([words["indicators"], "", "", "", "", "", ""])
    for item in report.indicators:
        name = f"  {item.id} {item.label}" if item.label != item.id else f"  {item.id}"
        body.append(cells(item, name, words["same_everywhere"] if item.decides_nothing else ""))
    version = " " + s.version if s.version else ""
    totals = {"mean": fixed(report.total_mean, places), "sd": fixed(report.total_std, places)}
    lines = [
        texts.text(
            "analysis.weights.title", title=s.title, id=s.id, version=version, units=len(report.units)
        ),
        texts.text("analysis.weights.legend"),
        "",
        *table_lines(header, body, (False, True, True, True, True, True, False)),
        "",
        texts.text("analysis.weights.totals", **totals, variance=shown(report.total_variance)),
    ]
    if report.note:
        lines.append(texts.text("analysis.weights.note", note=weights_note(report, texts)))
    return "\n".join(lines) + "\n"


def weights_note(report: EffectiveWeights, texts: Catalogue) -> str:
    """Why the variation shares are missing, in the words of ``texts`` (English: as the analysis wrote it)."""
    if texts.language == "en" or report.note_key is None:
        return report.note or ""
    return texts.text(f"analysis.weights.notes.{report.note_key}", **dict(report.note_values))


@in_context
def weights_csv(report: EffectiveWeights) -> str:
    """One row per group, then per indicator: weights at ``rounding.places``, shares as fractions (0.2 =
    20%) with at most :data:`~scoring.report.csv.SHARE_PLACES` decimals, statistics with at most
    :data:`~scoring.report.csv.STATISTIC_EXTRA_PLACES` decimals more than the points."""
    places = report.indicator_set.rounding.places
    stat = places + STATISTIC_EXTRA_PLACES
    header = ["kind", "id", "label", "weight", "nominal_share", "variation_share", "mean", "mean_share_of_weight",
              "variance", "std", "covariance", "members"]  # fmt: skip
    rows: list[list[Cell]] = [
        [
            item.kind,
            item.id,
            item.label,
            at(item.weight, places),
            upto(item.nominal_share, SHARE_PLACES),
            upto(item.variation_share, SHARE_PLACES),
            upto(item.mean, stat),
            upto(item.mean_share_of_weight, SHARE_PLACES),
            upto(item.variance, stat),
            upto(item.std, stat),
            upto(item.covariance, stat),
            " ".join(item.members),
        ]
        for item in (*report.groups, *report.indicators)
    ]
    return csv_text(header, rows)
