"""Reading a weight-derivation file against a set: each level's members, its judgments or allocations
checked and located, and the shares each level gives its members (see :mod:`.derive` for the whole)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from ..errors import DefinitionError, Problem, did_you_mean
from ..formats.derive_format import DeriveSpec, Judgments, LevelSpec
from ..formats.validate import validate
from ..formats.yaml import Document, load_yaml
from ..model.indicator_set import IndicatorSet
from ..numbers import ZERO, from_fraction, plain
from ..serialize import JsonForm
from .ahp import (
    RANDOM_INDICES,
    SCALE_MAX,
    SCALE_MIN,
    Method,
    Priorities,
    RandomIndex,
    aggregate,
    complete,
    judgment_text,
    nearest_on_scale,
    priorities,
)
from .weighting import budget_weights, equal_weights

Kind = Literal["ahp", "budget", "equal"]
DEFAULT_POINTS = Decimal(100)
#: At most this many missing pairs are named in one problem.
_NAMED_PAIRS = 6


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a level: a sub-group (``key`` its path) or an indicator (``key`` its id)."""

    name: str
    key: str
    is_group: bool
    weight: Decimal


def members_of(indicator_set: IndicatorSet, group: str | None) -> list[Member]:
    """The members of a level: the top level (``None``) or a group's; sub-groups first, then indicators."""
    depth = 0 if group is None else group.count("/") + 1
    prefix = "" if group is None else group + "/"
    members = [
        Member(g.path[len(prefix) :], g.path, True, _group_weight(indicator_set, g.members))
        for g in indicator_set.groups
        if g.depth == depth and g.path.startswith(prefix)
    ]
    members += [Member(i.id, i.id, False, i.weight) for i in indicator_set.indicators if i.group == group]
    return members


def _group_weight(indicator_set: IndicatorSet, ids: Sequence[str]) -> Decimal:
    return sum((indicator_set.by_id[i].weight for i in ids), ZERO)


@dataclass(frozen=True, kw_only=True)
class Level(JsonForm):
    """One level's members and the shares the file gives them."""

    __json__ = ("group", "kind", "members", "shares", "priorities", "experts", "experts_cr")
    #: The group path; None for the top level.
    group: str | None
    kind: Kind
    members: tuple[str, ...]
    #: Each member's share of the level's weight (adding up to 1).
    shares: tuple[Decimal, ...]
    #: The AHP result (for ``kind == 'ahp'``).
    priorities: Priorities | None = None
    #: Who judged or allocated (empty for a single matrix or equal weights).
    experts: tuple[str, ...] = ()
    #: Each expert's own consistency ratio, when several experts judged.
    experts_cr: tuple[Decimal, ...] = ()
    keys: tuple[str, ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        return self.group if self.group is not None else "top"


@dataclass
class _Reader:
    """Collects the problems of one file while its levels are read."""

    document: Document
    indicator_set: IndicatorSet
    method: Method
    table: RandomIndex
    accept_inconsistent: bool
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, message: str, path: tuple[str | int, ...], subject: str | None = None,
               hint: str | None = None) -> None:  # fmt: skip
        self.problems.append(Problem(code, message, self.document.locate(path), subject, hint))


def read_levels(
    path: str | Path,
    indicator_set: IndicatorSet,
    *,
    method: Method | None = None,
    accept_inconsistent: bool = False,
    encoding: str | None = None,
) -> tuple[DeriveSpec, Document, list[Level]]:
    """The file's levels against ``indicator_set``; every problem is raised together as a DefinitionError."""
    document = load_yaml(Path(path), encoding)
    spec, problems = validate(DeriveSpec, document)
    problems = [*document.problems, *problems]
    if spec is None or problems:
        raise DefinitionError(problems)
    reader = _Reader(
        document, indicator_set, method or spec.method or "eigenvector", spec.random_index or "saaty1980",
        accept_inconsistent,
    )  # fmt: skip
    if spec.set is not None and spec.set != indicator_set.id:
        reader.report("derive-set", f"the file is for set '{spec.set}', not '{indicator_set.id}'", ("set",))
    levels = _levels(reader, spec)
    if reader.problems:
        raise DefinitionError(reader.problems)
    return spec, document, levels


def _levels(reader: _Reader, spec: DeriveSpec) -> list[Level]:
    paths = [g.path for g in reader.indicator_set.groups]
    seen: set[str | None] = set()
    levels = []
    for index, level in enumerate(spec.levels):
        at: tuple[str | int, ...] = ("levels", index)
        if level.group is not None and level.group not in paths:
            hint = did_you_mean(level.group, paths)
            reader.report(
                "derive-group", f"the set has no group '{level.group}'", (*at, "group"), level.group, hint
            )
            continue
        if level.group in seen:
            reader.report("derive-level-twice", f"level '{level.group or 'top'}' is given twice", at)
            continue
        seen.add(level.group)
        given = [k for k in ("judgments", "experts", "allocations", "equal") if getattr(level, k) is not None]
        if len(given) != 1:
            what = ", ".join(given) if given else "none"
            reader.report(
                "derive-method", f"a level gives exactly one of judgments, experts, allocations, equal (here: {what})",
                at, hint="split it into one level per group",
            )  # fmt: skip
            continue
        if getattr(level, given[0]) == []:
            reader.report(
                "derive-method", f"'{given[0]}' lists nobody", (*at, given[0]), hint="give at least one"
            )
            continue
        built = _level(reader, level, at, members_of(reader.indicator_set, level.group))
        if built is not None:
            levels.append(built)
    return levels


def _level(
    reader: _Reader, level: LevelSpec, at: tuple[str | int, ...], members: list[Member]
) -> Level | None:
    names = [m.name for m in members]
    common: dict[str, Any] = {
        "group": level.group,
        "members": tuple(names),
        "keys": tuple(m.key for m in members),
    }
    if level.equal:
        return Level(
            kind="equal", shares=tuple(from_fraction(s) for s in equal_weights(len(names))), **common
        )
    if level.allocations is not None:
        shares = _allocations(reader, level, at, names)
        experts = tuple(a.name for a in level.allocations)
        return None if shares is None else Level(kind="budget", shares=shares, experts=experts, **common)
    if len(names) > len(RANDOM_INDICES[reader.table]):
        count = len(RANDOM_INDICES[reader.table])
        reader.report("ahp-size", f"{len(names)} criteria; the {reader.table} random indices cover at most {count}",
                      at, hint="split the level into sub-groups")  # fmt: skip
        return None
    if level.experts is not None:
        matrices = [_matrix(reader, e.judgments, (*at, "experts", i, "judgments"), names)
                    for i, e in enumerate(level.experts)]  # fmt: skip
        if any(m is None for m in matrices) or not matrices:
            return None
        full = [complete(len(names), m) for m in matrices if m is not None]
        matrix = aggregate(full)
        experts = tuple(e.name for e in level.experts)
        own = tuple(priorities(m, reader.method, reader.table).cr for m in full)
        result = priorities(matrix, reader.method, reader.table)
        _check_consistency(reader, result, names, at, level.group)
        return Level(
            kind="ahp", shares=result.weights, priorities=result, experts=experts, experts_cr=own, **common
        )
    assert level.judgments is not None
    upper = _matrix(reader, level.judgments, (*at, "judgments"), names)
    if upper is None:
        return None
    result = priorities(complete(len(names), upper), reader.method, reader.table)
    _check_consistency(reader, result, names, (*at, "judgments"), level.group, level.judgments)
    return Level(kind="ahp", shares=result.weights, priorities=result, **common)


def judgment_value(value: Decimal | str) -> Fraction:
    """A judgment as written: a number, or ``a/b`` text, as an exact rational (``a/0`` is 0: refused later)."""
    if isinstance(value, Decimal):
        return Fraction(value)
    top, _, bottom = value.partition("/")
    denominator = Fraction(Decimal(bottom.strip()))
    return Fraction(Decimal(top.strip())) / denominator if denominator else Fraction(0)


def _matrix(
    reader: _Reader, judgments: Judgments, at: tuple[str | int, ...], names: list[str]
) -> dict[tuple[int, int], Fraction] | None:
    """The judgments above the diagonal by position, or None after reporting what is wrong with them."""
    before = len(reader.problems)
    position = {name: i for i, name in enumerate(names)}
    upper: dict[tuple[int, int], Fraction] = {}
    for row, columns in judgments.items():
        if row not in position:
            reader.report("ahp-criterion", f"'{row}' is not a member of this level ({', '.join(names)})",
                          (*at, row), row, did_you_mean(row, names))  # fmt: skip
            continue
        for column, written in columns.items():
            where = (*at, row, column)
            if column not in position:
                reader.report("ahp-criterion", f"'{column}' is not a member of this level ({', '.join(names)})",
                              where, column, did_you_mean(column, names))  # fmt: skip
                continue
            value = judgment_value(written)
            i, j = position[row], position[column]
            if i == j:
                reader.report("ahp-judgment", f"'{row}' is compared with itself", where, row)
            elif value <= 0:
                reader.report("ahp-judgment", f"judgment {row} : {column} must be positive", where, row)
            elif not SCALE_MIN <= value <= SCALE_MAX:
                reader.report("ahp-judgment-range", f"judgment {row} : {column} = {judgment_text(value)} is "
                              "outside Saaty's scale 1/9 … 9", where, row, "use 1–9 or their reciprocals")  # fmt: skip
            elif (min(i, j), max(i, j)) in upper:
                reader.report("ahp-twice", f"the pair {row} / {column} is judged twice", where, row,
                              "give each pair once, in either order")  # fmt: skip
            else:
                upper[(min(i, j), max(i, j))] = value if i < j else 1 / value
    missing = [
        (names[i], names[j])
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if (i, j) not in upper
    ]
    if missing and len(reader.problems) == before:
        pairs = ", ".join(f"{a} / {b}" for a, b in missing[:_NAMED_PAIRS]) + (
            " …" if len(missing) > _NAMED_PAIRS else ""
        )
        reader.report("ahp-missing", f"{len(missing)} comparison(s) missing: {pairs}", at,
                      hint=f"judge every pair of the {len(names)} members once")  # fmt: skip
    return upper if len(reader.problems) == before else None


def _check_consistency(
    reader: _Reader,
    result: Priorities,
    names: list[str],
    at: tuple[str | int, ...],
    group: str | None,
    judgments: Judgments | None = None,
) -> None:
    """Refuse a matrix with CR ≥ 0.10 (unless accepted), located at its most inconsistent judgment."""
    if result.consistent or reader.accept_inconsistent or result.worst is None:
        return
    worst = result.worst
    a, b = names[worst.row], names[worst.column]
    path: tuple[str | int, ...] = at
    if judgments is not None:
        path = (*at, a, b) if b in judgments.get(a, {}) else (*at, b, a)
    suggestion = judgment_text(nearest_on_scale(worst.implied))
    message = (
        f"the judgments of level '{group or 'top'}' are inconsistent: CR {result.cr:.4f} ≥ 0.10; the most "
        f"inconsistent is {a} : {b} = {worst.given} (the priorities imply {worst.implied:.2f}, about {suggestion})"
    )
    reader.report("ahp-inconsistent", message, path, a, "revise that judgment, or pass --accept-inconsistent")


def _allocations(
    reader: _Reader, level: LevelSpec, at: tuple[str | int, ...], names: list[str]
) -> tuple[Decimal, ...] | None:
    """Budget allocation: every expert's points checked (every member named, none negative, the points
    adding up to the level's ``points``), then the mean shares."""
    assert level.allocations is not None
    before = len(reader.problems)
    budget = level.points if level.points is not None else DEFAULT_POINTS
    if budget <= 0:
        reader.report("derive-points", f"the points each expert divides must be above 0, not {plain(budget)}",
                      (*at, "points"), hint="leave points: out for 100")  # fmt: skip
        return None
    rows: list[list[Fraction]] = []
    for index, allocation in enumerate(level.allocations):
        where = (*at, "allocations", index, "points")
        for name in allocation.points:
            if name not in names:
                reader.report("ahp-criterion", f"'{name}' is not a member of this level ({', '.join(names)})",
                              (*where, name), name, did_you_mean(name, names))  # fmt: skip
        absent = [n for n in names if n not in allocation.points]
        if absent:
            reader.report("derive-points-missing", f"{allocation.name} gives no points to {', '.join(absent)}",
                          where, allocation.name, "give every member its points (0 is allowed)")  # fmt: skip
        negative = [n for n, p in allocation.points.items() if p < 0]
        if negative:
            reader.report("derive-points", f"{allocation.name} gives negative points to {', '.join(negative)}",
                          where, allocation.name)  # fmt: skip
        total = sum(allocation.points.values(), ZERO)
        if total != budget:
            reader.report("derive-points-sum", f"{allocation.name}'s points add up to {plain(total)}, not "
                          f"{plain(budget)}", where, allocation.name, "set points: on the level if the budget is not 100")  # fmt: skip
        rows.append([Fraction(allocation.points.get(n, ZERO)) for n in names])
    if len(reader.problems) > before:
        return None
    shares = budget_weights(rows)
    zero = [n for n, s in zip(names, shares, strict=True) if s == 0]
    if zero:
        reader.report("derive-zero-weight", f"no expert gives any points to {', '.join(zero)}", at,
                      hint="every member needs a weight above 0")  # fmt: skip
        return None
    return tuple(from_fraction(s) for s in shares)
