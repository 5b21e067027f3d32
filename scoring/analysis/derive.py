"""Deriving a set's weights from a derivation file (``scoring weights derive``): AHP, budget allocation or
equal weights for some levels of the group tree, multiplied down the hierarchy and apportioned exactly.

Down the tree from the set's total, each level's weight is divided among its members by the shares the file
gives that level — or, for a level the file does not name, in the proportions of the members' current
weights — and rounded to the set's ``rounding.places`` by the largest-remainder method (as ``reweight``
does), so that every group's weight is exact and the members of each level add up exactly to it, down to
the indicators, whose weights add up to the total. Each indicator's exact global share (the product of its
shares down the tree) is kept beside its rounded weight.

The result records where the weights came from: the file's sha256, the method, the random-index table and
each level's consistency ratio (:func:`provenance_lines`); a derived set carries them in its ``source`` and
in its header comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import DefinitionError, Problem
from ..formats.dump import dump_yaml
from ..formats.weights_format import WeightsSpec
from ..model.indicator_set import SAVED_SCALED, IndicatorSet, SetIdentity
from ..model.loading import parse_set
from ..numbers import ONE, ZERO, in_context, plain
from ..serialize import JsonForm
from .ahp import Method, RandomIndex
from .derive_levels import Level, members_of, read_levels
from .reweight import apportion

#: The first line of a derived file's header (YAML comments).
DERIVED_BY = "Weights derived by 'scoring weights derive' from {file} (sha256 {sha256})"


@dataclass(frozen=True, slots=True, kw_only=True)
class DerivedWeight(JsonForm):
    """One indicator's or group's weight before and after, with its exact share of the total."""

    __json__ = ("id", "label", "group", "before", "after", "share")
    id: str
    label: str
    #: Whether this is a group (``id`` is its path).
    group: bool
    before: Decimal
    after: Decimal
    #: The product of its shares down the tree (its unrounded weight is ``share × total``).
    share: Decimal


@dataclass(frozen=True, kw_only=True)
class Derivation(JsonForm):
    """Weights derived from a derivation file for a set, and the set with them."""

    __json__ = ("set", "file", "sha256", "method", "random_index", "total", "levels", "groups", "indicators",
                "accepted_inconsistent")  # fmt: skip
    before: IndicatorSet
    after: IndicatorSet
    #: The derivation file as given, and the sha256 of its text.
    file: str
    sha256: str
    method: Method
    random_index: RandomIndex
    levels: tuple[Level, ...]
    groups: tuple[DerivedWeight, ...]
    indicators: tuple[DerivedWeight, ...]
    #: Levels whose CR is 0.10 or more, kept because --accept-inconsistent was given.
    accepted_inconsistent: tuple[str, ...] = ()
    title: str | None = None
    source: str | None = None

    @property
    def set(self) -> SetIdentity:
        return self.before.identity

    @property
    def total(self) -> Decimal:
        return self.before.total


@in_context
def derive(
    path: str | Path,
    indicator_set: IndicatorSet,
    *,
    method: Method | None = None,
    accept_inconsistent: bool = False,
    encoding: str | None = None,
) -> Derivation:
    """The set's weights derived from the file at ``path`` (see the module docstring). Problems in the file, a
    level with CR ≥ 0.10 (unless ``accept_inconsistent``) and a weight that rounds to 0 at the set's places
    raise a :class:`DefinitionError`."""
    spec, document, levels = read_levels(
        path, indicator_set, method=method, accept_inconsistent=accept_inconsistent, encoding=encoding
    )
    by_group = {level.group: level for level in levels}
    places = indicator_set.rounding.places
    weights: dict[str, Decimal] = {}
    shares: dict[str, Decimal] = {}
    problems: list[Problem] = []
    pending: list[tuple[str | None, Decimal, Decimal]] = [(None, indicator_set.total, ONE)]
    while pending:
        group, weight, share = pending.pop(0)
        members = members_of(indicator_set, group)
        level = by_group.get(group)
        if level is not None:
            parts = dict(zip(level.keys, level.shares, strict=True))
        else:  # not named in the file: the members keep their proportions
            whole = sum((m.weight for m in members), ZERO)
            parts = {m.key: m.weight / whole for m in members}
        rounded = apportion({key: weight * part for key, part in parts.items()}, weight, places)
        for member in members:
            weights[member.key] = rounded[member.key]
            shares[member.key] = share * parts[member.key]
            if rounded[member.key] <= 0:
                problems.append(_zero(member.key, places))
            elif member.is_group:
                pending.append((member.key, rounded[member.key], shares[member.key]))
    if problems:
        raise DefinitionError(problems)
    after = indicator_set.reweighted({i.id: weights[i.id] for i in indicator_set.indicators})
    inconsistent = tuple(
        level.name for level in levels if level.priorities is not None and not level.priorities.consistent
    )
    return Derivation(
        before=indicator_set, after=after, file=str(path), sha256=document.sha256,
        method=method or spec.method or "eigenvector", random_index=spec.random_index or "saaty1980",
        levels=tuple(levels), groups=_groups(indicator_set, weights, shares),
        indicators=_indicators(indicator_set, weights, shares), accepted_inconsistent=inconsistent,
        title=spec.title, source=spec.source,
    )  # fmt: skip


def _zero(key: str, places: int) -> Problem:
    return Problem(
        "derive-zero-weight",
        f"'{key}' gets a weight of 0 at the set's {places} decimal places",
        None,
        key,
        "give it more weight in the judgments, or more rounding.places to the set",
    )


def _groups(
    s: IndicatorSet, weights: dict[str, Decimal], shares: dict[str, Decimal]
) -> tuple[DerivedWeight, ...]:
    return tuple(
        DerivedWeight(
            id=g.path,
            label=g.label,
            group=True,
            before=sum((s.by_id[m].weight for m in g.members), ZERO),
            after=weights[g.path],
            share=shares[g.path],
        )
        for g in s.groups
    )


def _indicators(
    s: IndicatorSet, weights: dict[str, Decimal], shares: dict[str, Decimal]
) -> tuple[DerivedWeight, ...]:
    return tuple(
        DerivedWeight(
            id=i.id, label=i.label, group=False, before=i.weight, after=weights[i.id], share=shares[i.id]
        )
        for i in s.indicators
    )


def _level_text(level: Level) -> str:
    name = level.name
    if level.kind == "equal":
        return f"{name}: equal weights"
    if level.kind == "budget":
        return f"{name}: budget allocation by {len(level.experts)} expert(s)"
    assert level.priorities is not None
    experts = f", {len(level.experts)} experts' judgments combined by geometric mean" if level.experts else ""
    return f"{name}: AHP CR {level.priorities.cr:.4f}{experts}"


def provenance_lines(derivation: Derivation) -> list[str]:
    """Where the weights came from, one line each: the file and its hash, the method, each level."""
    method = {"eigenvector": "principal eigenvector", "geometric": "row geometric mean",
              "arithmetic": "row mean of the column-normalised matrix"}[derivation.method]  # fmt: skip
    table = {"saaty1980": "Saaty 1980", "saaty2005": "Saaty 2005"}[derivation.random_index]
    lines = [
        DERIVED_BY.format(file=Path(derivation.file).name, sha256=derivation.sha256),
        f"AHP priorities by the {method}; random indices {table}; shares multiplied down the group tree, "
        "apportioned by largest remainder",
        *(f"  {_level_text(level)}" for level in derivation.levels),
    ]
    if derivation.accepted_inconsistent:
        lines.append("  accepted although CR ≥ 0.10: " + ", ".join(derivation.accepted_inconsistent))
    return lines


def source_text(derivation: Derivation) -> str:
    """The derived set's ``source``: the set's own, then the derivation in one line."""
    levels = "; ".join(_level_text(level) for level in derivation.levels)
    own = derivation.before.spec.source
    derived = (
        f"weights derived ({derivation.method}, RI {derivation.random_index}) from "
        f"{Path(derivation.file).name} sha256 {derivation.sha256}: {levels}"
    )
    return f"{own} | {derived}" if own else derived


def weights_file_text(derivation: Derivation) -> str:
    """A weights file (as ``scoring tune --weights`` reads) giving every indicator its derived weight."""
    spec = WeightsSpec(weights={w.id: w.after for w in derivation.indicators}, rescale="none")
    return dump_yaml(spec, provenance_lines(derivation))


@in_context
def derived_set_text(derivation: Derivation, name: str = "derived.yaml") -> str:
    """The derived set as the text of a set file: the new weights, rule points scaled to them where they scale
    exactly, its ``source`` and header recording the derivation. The text is loaded again and must give the
    derived weights (a DefinitionError otherwise)."""
    after = derivation.after
    spec = after.saved_spec(scaled=True)
    spec = spec.model_copy(update={"source": source_text(derivation)})
    header = [*after.origin_lines(), "", SAVED_SCALED, "", *provenance_lines(derivation)]
    text = dump_yaml(spec, header)
    saved = parse_set(text, name)
    got = {i.id: i.weight for i in saved.indicators}
    wanted = {i.id: i.weight for i in after.indicators}
    if got != wanted:  # the dump is meant to round-trip; say so rather than write a different set
        differ = ", ".join(f"{k} {plain(got[k])} ≠ {plain(v)}" for k, v in wanted.items() if got.get(k) != v)
        raise DefinitionError(
            Problem("derive-saved", f"the saved set does not keep the derived weights: {differ}")
        )
    return text
