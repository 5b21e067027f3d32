"""``scoring weights derive`` and ``scoring weights --compare`` as text and CSV: derived weights level by
level with their consistency, and declared weights beside entropy and CRITIC weights."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..analysis.derive import Derivation, DerivedWeight
from ..analysis.derive_levels import Level
from ..analysis.weighting import CrossCheck
from ..language import Catalogue
from ..numbers import fixed, in_context, percent, plain
from .csv import SHARE_PLACES, Cell, at, csv_text, upto
from .text import table_lines, text_output

_TABLES = {"saaty1980": "Saaty 1980", "saaty2005": "Saaty 2005"}


def _level_lines(level: Level, words: Catalogue, labels: dict[str, str]) -> list[str]:
    def word(key: str, **values: object) -> str:
        return words.text(f"analysis.derive.{key}", **values)

    name = word("top") if level.group is None else level.group
    lines = [word("level", name=name, kind=word(level.kind))]
    if level.experts:
        lines.append(word("experts", names=", ".join(level.experts)))
    if level.experts_cr:
        lines.append(word("expert_cr", values=", ".join(f"{cr:.4f}" for cr in level.experts_cr)))
    p = level.priorities
    if p is not None:
        verdict = word("consistent") if p.consistent else word("inconsistent")
        figures = {
            "lambda_max": f"{p.lambda_max:.4f}",
            "ci": f"{p.ci:.4f}",
            "ri": f"{p.ri:.2f}",
            "cr": f"{p.cr:.4f}",
        }
        lines.append(word("consistency", **figures, verdict=verdict))
        if p.worst is not None and not p.consistent:
            a, b = level.members[p.worst.row], level.members[p.worst.column]
            lines.append(word("worst", a=a, b=b, given=p.worst.given, implied=f"{p.worst.implied:.2f}"))
    rows = [
        [f"  {member}" + (f" {labels[key]}" if labels.get(key, member) != member else ""), f"{share:.4f}"]
        for member, key, share in zip(level.members, level.keys, level.shares, strict=True)
    ]
    return [*lines, *table_lines([word("member"), word("share")], rows, (False, True)), ""]


def _weight_rows(items: Sequence[DerivedWeight], places: int, indent: bool) -> list[list[str]]:
    rows = []
    for item in items:
        name = (
            ("  " * (item.id.count("/") + 1) + item.label) if indent else f"  {item.id} {item.label}".rstrip()
        )
        rows.append([name, plain(item.before), fixed(item.after, places), percent(item.share, 2)])
    return rows


@text_output
@in_context
def derive_table(derivation: Derivation, *, texts: Catalogue | None = None) -> str:
    """Each level's members and shares (with λmax, CI, RI, CR for AHP), then every group's and indicator's
    weight before and after, in the words of ``texts`` (English when not given)."""
    texts = texts or Catalogue("en")
    s = derivation.before
    places = s.rounding.places

    def word(key: str, **values: object) -> str:
        return texts.text(f"analysis.derive.{key}", **values)

    version = " " + s.version if s.version else ""
    labels = {g.path: g.label for g in s.groups} | {i.id: i.label for i in s.indicators}
    lines = [
        word("title", title=s.title, id=s.id, version=version, file=Path(derivation.file).name),
        word("method", method=word(derivation.method), table=_TABLES[derivation.random_index], places=places),
        "",
    ]
    for level in derivation.levels:
        lines += _level_lines(level, texts, labels)
    header = ["", word("before"), word("after"), word("global")]
    body = [[word("groups"), "", "", ""], *_weight_rows(derivation.groups, places, True)]
    body += [[word("indicators"), "", "", ""], *_weight_rows(derivation.indicators, places, False)]
    lines += table_lines(header, body, (False, True, True, True))
    return "\n".join(lines) + "\n"


@in_context
def derive_csv(derivation: Derivation) -> str:
    """One row per group, then per indicator: weight before and after, and the exact share of the total."""
    places = derivation.before.rounding.places
    rows: list[list[Cell]] = [
        ["group" if item.group else "indicator", item.id, item.label, at(item.before, places),
         at(item.after, places), upto(item.share, SHARE_PLACES)]
        for item in (*derivation.groups, *derivation.indicators)
    ]  # fmt: skip
    return csv_text(["kind", "id", "label", "before", "after", "share"], rows)


def _share(value: Decimal | None) -> str:
    return percent(value) if value is not None else "—"


@text_output
@in_context
def cross_table(report: CrossCheck, *, texts: Catalogue | None = None) -> str:
    """Every indicator's declared and variation share beside its entropy and CRITIC weights."""
    texts = texts or Catalogue("en")
    s = report.effective.indicator_set

    def word(key: str, **values: object) -> str:
        return texts.text(f"analysis.cross.{key}", **values)

    methods = list(report.methods)
    header = ["", word("weight"), word("declared"), word("variation"), *(word(m) for m in methods)]
    body = []
    for row in report.indicators:
        name = f"{row.id} {row.label}" if row.label != row.id else row.id
        found = {"entropy": row.entropy, "critic": row.critic}
        body.append([name, plain(row.weight), _share(row.nominal_share), _share(row.variation_share),
                     *(_share(found[m]) for m in methods)])  # fmt: skip
    version = " " + s.version if s.version else ""
    lines = [
        word("title", title=s.title, id=s.id, version=version, units=report.units),
        word("legend"),
        "",
        *table_lines(header, body, (False, *([True] * (len(header) - 1)))),
    ]
    notes = [n for n in (report.note, report.effective.note) if n]
    lines += ["", *(word("note", note=n) for n in notes)] if notes else []
    return "\n".join(lines) + "\n"


@in_context
def cross_csv(report: CrossCheck) -> str:
    """One row per indicator: weight, then each share as a fraction (0.2 = 20%)."""
    places = report.effective.indicator_set.rounding.places
    rows: list[list[Cell]] = [
        [row.id, row.label, at(row.weight, places), upto(row.nominal_share, SHARE_PLACES),
         upto(row.variation_share, SHARE_PLACES), upto(row.entropy, SHARE_PLACES), upto(row.critic, SHARE_PLACES)]
        for row in report.indicators
    ]  # fmt: skip
    return csv_text(["id", "label", "weight", "declared_share", "variation_share", "entropy", "critic"], rows)
