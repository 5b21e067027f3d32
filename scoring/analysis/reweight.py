"""Changing an indicator set's weights: by indicator or by group, keeping the total or letting it move.

Weights are points that people print in a table, so new weights are always exact at the set's precision
(``rounding.places``): a group weight spread over its members, or the other weights rescaled to keep the
total, are apportioned by the largest-remainder method so they still add up exactly. Points written in
rules scale with their indicator's weight (rules are shares of the weight).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from ..errors import DefinitionError, Location, Problem, did_you_mean
from ..formats.yaml import load_yaml
from ..model.indicator_set import IndicatorSet
from ..numbers import CONTEXT, ZERO, plain, quantum_for

Rescale = Literal["proportional", "none"]


@dataclass(frozen=True, slots=True)
class WeightChange:
    """A new weight for one indicator (by id) or one group (by path)."""

    target: str
    weight: Decimal


def parse_weight(text: str) -> WeightChange:
    """``'id=8'`` or ``'过程/预算执行=25'`` → a :class:`WeightChange`."""
    target, sep, number = text.rpartition("=")
    problem = None
    if not sep or not target.strip():
        problem = f"'{text}' is not ID=WEIGHT"
    else:
        try:
            weight = Decimal(number.strip())
        except InvalidOperation:
            problem = f"weight '{number.strip()}' in '{text}' is not a number"
        else:
            if not weight.is_finite():
                problem = f"weight '{number.strip()}' in '{text}' is not a finite number"
    if problem is not None:
        raise DefinitionError(
            Problem("weight-option", problem, Location("--weight"), hint="e.g. --weight staff_control_rate=8")
        )
    return WeightChange(target.strip(), weight)


def load_weight_file(
    path: str | Path, encoding: str | None = None
) -> tuple[list[WeightChange], Rescale | None]:
    """A weights YAML file: ``{weights: {target: weight, ...}, rescale: proportional|none}`` or a bare mapping."""
    document = load_yaml(Path(path), encoding)
    data = document.data
    problems = list(document.problems)
    rescale: Rescale | None = None
    if isinstance(data, dict) and "weights" in data:
        unknown = [key for key in data if key not in ("weights", "rescale")]
        problems += [
            Problem(
                "unknown-key",
                f"unknown key '{key}'",
                document.locate((key,)),
                key,
                "use weights: and rescale:",
            )
            for key in unknown
        ]
        if data.get("rescale") is not None:
            if data["rescale"] not in ("proportional", "none"):
                problems.append(
                    Problem(
                        "rescale",
                        f"rescale must be proportional or none, not {data['rescale']!r}",
                        document.locate(("rescale",)),
                    )
                )
            else:
                rescale = data["rescale"]
        data = data["weights"]
        prefix: tuple[str, ...] = ("weights",)
    else:
        prefix = ()
    changes = []
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "weights-file",
                "a weights file maps indicator ids or group paths to weights",
                document.locate(prefix),
            )
        )
    else:
        for target, weight in data.items():
            if isinstance(weight, bool) or not isinstance(weight, Decimal) or not weight.is_finite():
                problems.append(
                    Problem(
                        "type",
                        f"weight of '{target}' must be a number",
                        document.locate((*prefix, target)),
                        target,
                    )
                )
            else:
                changes.append(WeightChange(str(target), weight))
    if problems:
        raise DefinitionError(problems)
    return changes, rescale


def apportion(amounts: Mapping[str, Decimal], total: Decimal, places: int) -> dict[str, Decimal]:
    """Round ``amounts`` to ``places`` decimals so that they add up exactly to ``total``.

    Largest remainder: every amount is rounded down, then the units still missing go to the largest
    remainders (ties to the earlier key). ``total`` must itself be exact at ``places``.
    """
    quantum = quantum_for(places)
    floors = {
        key: (value / quantum).to_integral_value(rounding="ROUND_FLOOR") for key, value in amounts.items()
    }
    missing = int((total / quantum) - sum(floors.values(), ZERO))
    order = sorted(amounts, key=lambda key: -(amounts[key] / quantum - floors[key]))
    for key in order[: max(missing, 0)]:
        floors[key] += 1
    return {key: floors[key] * quantum for key in amounts}


def _spread(indicator_set: IndicatorSet, group_path: str, weight: Decimal) -> dict[str, Decimal]:
    group = next(g for g in indicator_set.groups if g.path == group_path)
    current = {member: indicator_set.indicator(member).weight for member in group.members}
    old = sum(current.values(), ZERO)
    return apportion({k: v * weight / old for k, v in current.items()}, weight, indicator_set.rounding.places)


def reweight(
    indicator_set: IndicatorSet, changes: Iterable[WeightChange], rescale: Rescale = "proportional"
) -> IndicatorSet:
    """The set with new weights for some indicators and groups.

    ``rescale='proportional'`` keeps the total: the weights not named are scaled together to make up the
    difference. ``rescale='none'`` leaves them as they are, so the total changes; grades are then read on
    the percentage of the new total. All problems are reported together as a :class:`DefinitionError`.
    """
    import decimal

    changes = list(changes)
    problems: list[Problem] = []
    paths = {group.path for group in indicator_set.groups}
    places = indicator_set.rounding.places
    new: dict[str, Decimal] = {}
    source: dict[str, str] = {}
    with decimal.localcontext(CONTEXT):
        for change in changes:
            where = Location(f"weight {change.target}")
            if change.weight <= 0:
                problems.append(
                    Problem("weight", f"weight of '{change.target}' must be above 0", where, change.target)
                )
                continue
            if change.target in indicator_set.by_id:
                spread = {change.target: change.weight}
            elif change.target in paths:
                spread = _spread(indicator_set, change.target, change.weight)
            else:
                hint = did_you_mean(change.target, [*indicator_set.by_id, *paths])
                problems.append(
                    Problem(
                        "unknown-target",
                        f"no indicator or group '{change.target}'",
                        where,
                        change.target,
                        hint,
                    )
                )
                continue
            for indicator_id, weight in spread.items():
                if indicator_id in new:
                    problems.append(
                        Problem(
                            "weight-twice",
                            f"'{indicator_id}' gets a weight from both '{source[indicator_id]}' and '{change.target}'",
                            where,
                            indicator_id,
                            "name each indicator once, directly or through one group",
                        )
                    )
                new[indicator_id] = weight
                source[indicator_id] = change.target
        if problems:
            raise DefinitionError(problems)
        others = {i.id: i.weight for i in indicator_set.indicators if i.id not in new}
        changed = sum(new.values(), ZERO)
        if rescale == "proportional":
            total = indicator_set.total
            remaining = total - changed
            if others and remaining <= 0:
                raise DefinitionError(
                    Problem(
                        "weights-exceed",
                        f"the new weights add up to {plain(changed)}, leaving nothing of the total {plain(total)} "
                        "for the other indicators",
                        Location("weights"),
                        hint="lower the new weights, or use rescale: none",
                    )
                )
            if not others and changed != total:
                raise DefinitionError(
                    Problem(
                        "weights-sum",
                        f"every weight is given and they add up to {plain(changed)}, not the total {plain(total)}",
                        Location("weights"),
                        hint="use rescale: none to let the total change",
                    )
                )
            old = sum(others.values(), ZERO)
            scaled = {k: v * remaining / old for k, v in others.items()} if others else {}
            new.update(apportion(scaled, remaining, places) if others else {})
        else:
            new.update(others)
            total = sum(new.values(), ZERO)
        return indicator_set.reweighted(new, total=total)


def weights_of(indicator_set: IndicatorSet) -> dict[str, Decimal]:
    """Indicator id → weight."""
    return {indicator.id: indicator.weight for indicator in indicator_set.indicators}


def changes_from(options: Sequence[str]) -> list[WeightChange]:
    """Parse every ``--weight`` option, reporting all malformed ones together."""
    changes, problems = [], []
    for option in options:
        try:
            changes.append(parse_weight(option))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DefinitionError(problems)
    return changes
