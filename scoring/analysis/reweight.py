"""Changing an indicator set's weights: by indicator or by group, keeping the total or letting it move.

Weights are points that people print in a table, so new weights are always exact at the set's precision
(``rounding.places``): a group weight spread over its members, or the other weights rescaled to keep the
total, are apportioned by the largest-remainder method so they still add up exactly. Points written in
rules scale with their indicator's weight (rules are shares of the weight).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from .. import limits
from ..errors import DefinitionError, Location, OptionError, Problem, did_you_mean
from ..formats.validate import validate
from ..formats.weights_format import WeightsSpec
from ..formats.yaml import load_yaml
from ..model.indicator_set import IndicatorSet
from ..model.labels import label_hint
from ..numbers import CONTEXT, ZERO, decimal_places, plain, quantum_for, within_magnitude

Rescale = Literal["proportional", "none"]


@dataclass(frozen=True, slots=True)
class WeightChange:
    """A new weight for one indicator (by id) or one group (by path), and where it was written (a weights
    file's line; None when it was given as an option or through the API)."""

    target: str
    weight: Decimal
    location: Location | None = field(default=None, compare=False)


def parse_weight(text: str) -> WeightChange:
    """``'id=8'`` or ``'过程/预算执行=25'`` → a :class:`WeightChange` (an :class:`OptionError` otherwise)."""
    target, sep, number = text.rpartition("=")
    problem = None
    if not sep or not target.strip():
        problem = f"--weight '{text}' is not ID=WEIGHT"
    else:
        try:
            weight = Decimal(number.strip())
        except InvalidOperation:
            problem = f"weight '{number.strip()}' in --weight '{text}' is not a number"
        else:
            if not weight.is_finite():
                problem = f"weight '{number.strip()}' in --weight '{text}' is not a finite number"
            elif not within_magnitude(weight):
                bound = limits.MAX_MAGNITUDE
                problem = (
                    f"weight '{number.strip()}' in --weight '{text}' is outside 10^-{bound} to 10^{bound}"
                )
    if problem is not None:
        raise OptionError(
            Problem("weight-option", problem, None, "--weight", "e.g. --weight staff_control_rate=8")
        )
    return WeightChange(target.strip(), weight)


def changes_from(options: Sequence[str]) -> list[WeightChange]:
    """Parse every ``--weight`` option, reporting all malformed ones together."""
    changes: list[WeightChange] = []
    problems: list[Problem] = []
    for option in options:
        try:
            changes.append(parse_weight(option))
        except OptionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise OptionError(problems)
    return changes


def load_weight_file(
    path: str | Path, encoding: str | None = None
) -> tuple[list[WeightChange], Rescale | None]:
    """A weights YAML file: ``{weights: {target: weight, ...}, rescale: proportional|none}``, or the mapping of
    weights alone."""
    document = load_yaml(Path(path), encoding)
    if isinstance(document.data, dict) and "weights" not in document.data:
        document = document.nested("weights")
    model, problems = validate(WeightsSpec, document)
    problems = [*document.problems, *problems]
    if model is None or problems:
        raise DefinitionError(problems)
    changes = [
        WeightChange(str(target), weight, document.locate(("weights", target)))
        for target, weight in model.weights.items()
    ]
    return changes, model.rescale


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
    the percentage of the new total. All problems are reported together: as a :class:`DefinitionError`
    located in the weights file when the changes come from one, else as an :class:`OptionError`.
    """
    changes = list(changes)
    with decimal.localcontext(CONTEXT):
        new, problems = _new_weights(indicator_set, changes)
        if not problems:
            others = {i.id: i.weight for i in indicator_set.indicators if i.id not in new}
            total, problem = _fill(indicator_set, new, others, rescale)
            problems += [problem] if problem is not None else []
        if problems:
            from_file = any(change.location is not None for change in changes)
            raise (DefinitionError if from_file else OptionError)(problems)
        return indicator_set.reweighted(new, total=total)


def _new_weights(
    indicator_set: IndicatorSet, changes: list[WeightChange]
) -> tuple[dict[str, Decimal], list[Problem]]:
    """Indicator id → new weight, from the changes named (a group's weight spread over its members)."""
    problems: list[Problem] = []
    paths = {group.path for group in indicator_set.groups}
    new: dict[str, Decimal] = {}
    source: dict[str, str] = {}
    for change in changes:
        where, target = change.location, change.target
        if change.weight <= 0:
            problems.append(Problem("weight", f"weight of '{target}' must be above 0", where, target))
            continue
        if decimal_places(change.weight) > indicator_set.rounding.places:
            places = indicator_set.rounding.places
            message = f"weight {plain(change.weight)} of '{target}' has more decimals than rounding.places ({places})"
            problems.append(Problem("weight-places", message, where, target))
            continue
        if target in indicator_set.by_id:
            spread = {target: change.weight}
        elif target in paths:
            spread = _spread(indicator_set, target, change.weight)
        else:
            hint = label_hint(indicator_set, target) or did_you_mean(target, [*indicator_set.by_id, *paths])
            problems.append(
                Problem("unknown-target", f"no indicator or group '{target}'", where, target, hint)
            )
            continue
        for indicator_id, weight in spread.items():
            if indicator_id in new:
                problems.append(
                    Problem(
                        "weight-twice",
                        f"'{indicator_id}' gets a weight from both '{source[indicator_id]}' and '{target}'",
                        where,
                        indicator_id,
                        "name each indicator once, directly or through one group",
                    )
                )
            new[indicator_id] = weight
            source[indicator_id] = target
    return new, problems


def _fill(
    indicator_set: IndicatorSet, new: dict[str, Decimal], others: dict[str, Decimal], rescale: Rescale
) -> tuple[Decimal, Problem | None]:
    """Complete ``new`` with the weights not named, as ``rescale`` says; returns the new total (or a problem)."""
    changed = sum(new.values(), ZERO)
    if rescale != "proportional":
        new.update(others)
        return sum(new.values(), ZERO), None
    total = indicator_set.total
    remaining = total - changed
    if others and remaining <= 0:
        return total, Problem(
            "weights-exceed",
            f"the new weights add up to {plain(changed)}, leaving nothing of the total {plain(total)} for the "
            "other indicators",
            hint="lower the new weights, or use rescale: none",
        )
    if not others:
        if changed == total:
            return total, None
        return total, Problem(
            "weights-sum",
            f"every weight is given and they add up to {plain(changed)}, not the total {plain(total)}",
            hint="use rescale: none to let the total change",
        )
    old = sum(others.values(), ZERO)
    scaled = {k: v * remaining / old for k, v in others.items()}
    new.update(apportion(scaled, remaining, indicator_set.rounding.places))
    return total, None


def weights_of(indicator_set: IndicatorSet) -> dict[str, Decimal]:
    """Indicator id → weight."""
    return {indicator.id: indicator.weight for indicator in indicator_set.indicators}
