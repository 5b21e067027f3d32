"""One unit's data (the figures, N/A marks, judgments and overrides), checked against an indicator set.

A :class:`Unit` is always bound to the set it was checked against, so evaluation does no checking of its
own. Every problem — a missing input and the indicators that need it, a value of the wrong type, a
judgment outside its tier — is reported at once as a :class:`~scoring.errors.DataError`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import DataError, DefinitionError, Location, Problem, ProblemList, describe, did_you_mean
from ..formats import models as spec
from ..formats.validate import validate
from ..formats.yaml import MAX_DEPTH, MAX_MAGNITUDE, Document, parse_yaml, read_text, within_magnitude
from ..numbers import ZERO, plain
from ..rules import Award, JudgmentRule
from .indicator_set import IndicatorSet, load_set


@dataclass(frozen=True, slots=True)
class Unknown:
    """An indicator whose points are not known: they lie somewhere in [low, high] (reference weight)."""

    low: Decimal
    high: Decimal
    #: The judgment tier that narrows the range, with the evaluator's reason, when one was given.
    tier: str | None = None
    reason: str | None = None


@dataclass(frozen=True, eq=False)
class Unit:
    """A unit's data bound to an indicator set. Build with :func:`load_unit`, :func:`parse_unit` or :func:`unit_from_mapping`."""

    spec: spec.UnitSpec
    indicator_set: IndicatorSet
    source: str
    sha256: str
    #: Input values: Decimal for numbers, bool for booleans.
    values: Mapping[str, Decimal | bool]
    not_applicable: frozenset[str]
    judgments: Mapping[str, Award]
    overrides: Mapping[str, Award]
    #: Indicators whose points are not known: id → range of possible points (at the reference weight).
    unknown: Mapping[str, Unknown] = field(default_factory=dict)
    document: Document | None = None

    @property
    def name(self) -> str:
        return self.spec.unit or Path(self.source).stem

    @property
    def period(self) -> str | None:
        return self.spec.period

    @property
    def published(self) -> spec.Published | None:
        return self.spec.published

    def bind(self, indicator_set: IndicatorSet) -> Unit:
        """The same data checked against another indicator set."""
        return _bind(self.spec, indicator_set, self.source, self.sha256, self.document)


_NUMBER_TEXT = re.compile(r"^\s*[-+]?[\d,]*\.?\d+\s*%?\s*$", re.ASCII)


def _number_hint(text: str) -> str | None:
    """For text such as '87.70%' or '1,234.56', the plain number the user probably meant."""
    text = unicodedata.normalize("NFKC", text)  # full-width １２３，％ as Chinese input methods type them
    if not _NUMBER_TEXT.match(text):
        return None
    cleaned = text.strip().replace(",", "").rstrip("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    # keep the digits as written (87.70 stays 87.70) unless they need normalising (0090 → 90)
    return (
        cleaned if cleaned.lstrip("+-")[:1] != "0" or cleaned.lstrip("+-").startswith("0.") else plain(number)
    )


def _check_value(
    name: str, value: object, declared: spec.InputSpec, where: Location
) -> tuple[object, Problem | None]:
    def problem(message: str, hint: str | None = None) -> tuple[object, Problem]:
        return None, Problem("input-value", message, where, name, hint)

    if declared.type == "boolean":
        if isinstance(value, bool):
            return value, None
        return problem(f"input '{name}' must be true or false, not {describe(value)}")
    if isinstance(value, bool):
        return problem(f"input '{name}' must be a number, not {describe(value)}", "write the number itself")
    if isinstance(value, str):
        meant = _number_hint(value)
        hint = f"write {meant} (a plain number, without % or thousands separators)" if meant else None
        return problem(f"input '{name}' must be a number, not the text {value!r}", hint)
    if not isinstance(value, Decimal):
        return problem(f"input '{name}' must be a number, not {describe(value)}")
    if not value.is_finite():
        return problem(f"input '{name}' must be a finite number, not {value}")
    if not within_magnitude(value):
        return problem(
            f"input '{name}' is {describe(value)}, outside 10^-{MAX_MAGNITUDE} to 10^{MAX_MAGNITUDE}"
        )
    if declared.type == "integer" and value != value.to_integral_value():
        return problem(f"input '{name}' must be a whole number, not {plain(value)}")
    if declared.min is not None and value < declared.min:
        return problem(f"input '{name}' is {plain(value)}, below its minimum {plain(declared.min)}")
    if declared.max is not None and value > declared.max:
        return problem(f"input '{name}' is {plain(value)}, above its maximum {plain(declared.max)}")
    return value, None


def _bind(
    model: spec.UnitSpec, indicator_set: IndicatorSet, source: str, sha256: str, document: Document | None
) -> Unit:
    problems = ProblemList()

    def where(*path: str | int) -> Location:
        return (
            document.locate(path)
            if document is not None
            else Location(f"{source}: {'.'.join(map(str, path))}")
        )

    by_id = indicator_set.by_id
    derived_names = {name for name, _ in indicator_set.derived}
    values: dict[str, Decimal | bool] = {}
    refused = document.rejected if document is not None else frozenset()
    for name, value in model.values.items():
        if ("values", name) in refused:
            continue  # refused while reading; that problem is reported with the file's
        declared = indicator_set.inputs.get(name)
        if declared is None:
            if name in derived_names:
                hint = "it is derived from a formula in the set; remove it here"
            elif name in by_id:
                hint = "it is an indicator; give the inputs its formula uses"
            else:
                hint = (
                    did_you_mean(name, indicator_set.inputs) or "declare it in the set's inputs or remove it"
                )
            problems.add(
                Problem("unknown-input", f"unknown input '{name}'", where("values", name), name, hint)
            )
            continue
        checked, problem = _check_value(name, value, declared, where("values", name))
        if problem is not None:
            problems.add(problem)
        else:
            values[name] = checked  # type: ignore[assignment]

    not_applicable = frozenset(model.not_applicable)
    for index, indicator_id in enumerate(model.not_applicable):
        if indicator_id not in by_id:
            problems.add(_unknown_indicator(indicator_id, by_id, where("not_applicable", index)))
    unknown: dict[str, Unknown] = {}
    entries = model.unknown.items() if isinstance(model.unknown, dict) else ((i, None) for i in model.unknown)
    for index, (indicator_id, entry) in enumerate(entries):
        place = ("unknown", indicator_id if isinstance(model.unknown, dict) else index)
        indicator = by_id.get(indicator_id)
        if indicator is None:
            problems.add(_unknown_indicator(indicator_id, by_id, where(*place)))
            continue
        clash = [
            what
            for what, ids in (("not_applicable", not_applicable), ("overrides", model.overrides))
            if indicator_id in ids
        ]
        judged = model.judgments.get(indicator_id)
        if judged is not None and judged.points is not None:
            clash.append("judgments (with points)")
        if clash:
            problems.add(
                Problem(
                    "unknown-clash",
                    f"'{indicator_id}' is marked unknown but also listed under {' and '.join(clash)}",
                    where(*place),
                    indicator_id,
                    "remove one of them",
                )
            )
            continue
        weight = indicator.reference_weight
        low = entry.min if entry is not None and entry.min is not None else ZERO
        high = entry.max if entry is not None and entry.max is not None else weight
        if not ZERO <= low <= high <= weight:
            problems.add(
                Problem(
                    "unknown-range",
                    f"unknown '{indicator_id}' is given the range {plain(low)} to {plain(high)}, which must lie "
                    f"within 0 to its weight {plain(weight)} with min ≤ max",
                    where(*place),
                    indicator_id,
                )
            )
            continue
        unknown[indicator_id] = Unknown(low, high, None, entry.reason if entry is not None else None)
    overrides: dict[str, Award] = {}
    for indicator_id, override in model.overrides.items():
        indicator = by_id.get(indicator_id)
        if indicator is None:
            problems.add(_unknown_indicator(indicator_id, by_id, where("overrides", indicator_id)))
            continue
        if indicator_id in not_applicable:
            problems.add(
                Problem(
                    "override-na",
                    f"'{indicator_id}' is both not applicable and overridden",
                    where("overrides", indicator_id),
                    indicator_id,
                    "remove one of them",
                )
            )
        if not ZERO <= override.points <= indicator.reference_weight:
            problems.add(
                Problem(
                    "override-points",
                    f"override of '{indicator_id}' gives {plain(override.points)} points, outside 0 to its weight "
                    f"{plain(indicator.reference_weight)}",
                    where("overrides", indicator_id, "points"),
                    indicator_id,
                )
            )
        overrides[indicator_id] = Award("override", override.points, override.reason)
    judgments: dict[str, Award] = {}
    for indicator_id, judgment in model.judgments.items():
        indicator = by_id.get(indicator_id)
        if indicator is None:
            problems.add(_unknown_indicator(indicator_id, by_id, where("judgments", indicator_id)))
            continue
        if indicator_id in not_applicable:
            problems.add(
                Problem(
                    "judgment-na",
                    f"'{indicator_id}' is both not applicable and judged",
                    where("judgments", indicator_id),
                    indicator_id,
                    "remove one of them",
                )
            )
            continue
        rule = indicator.rule
        if not isinstance(rule, JudgmentRule):
            problems.add(
                Problem(
                    "judgment-rule",
                    f"'{indicator_id}' is scored by a {rule.kind} rule, not by judgment",
                    where("judgments", indicator_id),
                    indicator_id,
                    "use overrides: to correct a computed score",
                )
            )
            continue
        bounds = rule.tier_range(judgment.tier)
        if bounds is None:
            problems.add(
                Problem(
                    "judgment-tier",
                    f"'{indicator_id}' has no tier '{judgment.tier}'",
                    where("judgments", indicator_id, "tier"),
                    indicator_id,
                    "tiers: " + ", ".join(rule.tiers),
                )
            )
            continue
        low, high = bounds
        if judgment.points is None:
            if indicator_id not in overrides:  # an override decides the row's points
                unknown[indicator_id] = Unknown(low, high, judgment.tier, judgment.reason)
            continue
        if not low <= judgment.points <= high:
            problems.add(
                Problem(
                    "judgment-points",
                    f"judgment of '{indicator_id}' gives {plain(judgment.points)} points, outside tier "
                    f"'{judgment.tier}' ({plain(low)} to {plain(high)})",
                    where("judgments", indicator_id, "points"),
                    indicator_id,
                    "choose the tier the points belong to, or points inside the tier",
                )
            )
            continue
        judgments[indicator_id] = Award(judgment.tier, judgment.points, judgment.reason)

    missing: dict[str, list[str]] = {}
    for indicator in indicator_set.indicators:
        if indicator.id in not_applicable or indicator.id in overrides or indicator.id in unknown:
            continue
        if isinstance(indicator.rule, JudgmentRule) and indicator.id not in model.judgments:
            problems.add(
                Problem(
                    "judgment-missing",
                    f"no judgment given for '{indicator.id}'"
                    + (f" ({indicator.label})" if indicator.label != indicator.id else ""),
                    where("judgments"),
                    indicator.id,
                    "add judgments: {" + indicator.id + ": {tier, points, reason}} or mark it not_applicable",
                )
            )
        for name in sorted(indicator.needs_inputs):
            if name not in model.values:
                missing.setdefault(name, []).append(indicator.id)
    for name, needed_by in missing.items():
        problems.add(
            Problem(
                "missing-input",
                f"missing input '{name}', needed by {', '.join(needed_by)}",
                where("values"),
                name,
                "add it under values:, or mark those indicators not_applicable",
            )
        )
    problems.raise_if_any(DataError)
    return Unit(
        model, indicator_set, source, sha256, values, not_applicable, judgments, overrides, unknown, document
    )


def _unknown_indicator(indicator_id: str, by_id: Mapping[str, Any], where: Location) -> Problem:
    return Problem(
        "unknown-indicator",
        f"no indicator '{indicator_id}' in the set",
        where,
        indicator_id,
        did_you_mean(indicator_id, by_id),
    )


def parse_unit(
    text: str,
    source: str = "<unit>",
    indicator_set: IndicatorSet | None = None,
    base_dir: Path | None = None,
    *,
    sets: dict[Path, IndicatorSet] | None = None,
    encoding: str | None = None,
) -> Unit:
    """Load unit data from YAML text. Without ``indicator_set``, the file's ``set:`` is loaded from ``base_dir``
    (read with ``encoding`` when given).

    ``sets`` caches indicator sets by resolved path, for callers loading many units of one set.
    """
    try:
        document = parse_yaml(text, source)
    except DefinitionError as exc:
        raise DataError(exc.problems) from None
    model, problems = validate(spec.UnitSpec, document)
    problems = [*document.problems, *problems]
    if model is None:
        raise DataError(problems)
    if indicator_set is None:
        if model.set is None:
            raise DataError(
                [
                    *problems,
                    Problem(
                        "set-missing",
                        "the unit data names no indicator set",
                        document.locate(()),
                        hint="add 'set: path/to/set.yaml' (relative to this file)",
                    ),
                ]
            )
        if Path(model.set).suffix.lower() not in (".yaml", ".yml"):
            raise DataError(
                [
                    *problems,
                    Problem(
                        "set-path",
                        f"set: '{model.set}' is not a .yaml or .yml file",
                        document.locate(("set",)),
                        hint="set: names the indicator set's YAML file, relative to this file",
                    ),
                ]
            )
        set_path = ((base_dir or Path.cwd()) / model.set).resolve()
        indicator_set = sets.get(set_path) if sets is not None else None
        if indicator_set is None:
            indicator_set = load_set(set_path, encoding)
            if sets is not None:
                sets[set_path] = indicator_set
    try:
        unit = _bind(model, indicator_set, source, document.sha256, document)
    except DataError as exc:
        raise DataError([*problems, *exc.problems]) from None
    if problems:
        raise DataError(problems)
    return unit


def load_unit(
    path: str | Path,
    indicator_set: IndicatorSet | None = None,
    *,
    sets: dict[Path, IndicatorSet] | None = None,
    encoding: str | None = None,
) -> Unit:
    """Load a unit data file and check it against ``indicator_set`` (default: the set its ``set:`` names).

    Files are UTF-8; give ``encoding`` (e.g. ``"gbk"``) for a file saved in another encoding.
    """
    path = Path(path)
    try:
        text = read_text(path, encoding)
    except DefinitionError as exc:
        raise DataError(exc.problems) from None
    return parse_unit(text, str(path), indicator_set, path.parent, sets=sets, encoding=encoding)


def unit_from_mapping(data: Mapping[str, Any], indicator_set: IndicatorSet, source: str = "<data>") -> Unit:
    """Unit data from a Python mapping (as an embedding tool builds it).

    Numbers may be Decimal, int or float (a float is read from its shortest repr, so 0.1 is exactly 0.1);
    text is not a number, as in YAML files.
    """
    refused: list[Problem] = []
    normalized = _normalize(data, refused, source)
    if refused:
        raise DataError(refused)
    document = Document(normalized, source, {}, _sha256_of(normalized))
    model, problems = validate(spec.UnitSpec, document)
    if model is None:
        raise DataError([Problem(p.code, p.message, None, p.subject, p.hint) for p in problems])
    return _bind(model, indicator_set, source, document.sha256, None)


def _normalize(value: Any, refused: list[Problem], source: str, path: tuple[str | int, ...] = ()) -> Any:
    """Floats become Decimal from their shortest text (0.1 → Decimal('0.1')), ints become Decimal.

    Numbers beyond the magnitude limit are refused (into ``refused``), as they are in files.
    """
    if len(path) > MAX_DEPTH:
        raise DataError(Problem("too-deep", f"the data is nested more than {MAX_DEPTH} levels deep", None))
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = (
            value if isinstance(value, Decimal) else Decimal(value if isinstance(value, int) else repr(value))
        )
        if not number.is_finite() or within_magnitude(number):
            return number  # NaN and infinities are refused where they are used, with their own message
        where = Location(f"{source}: {'.'.join(map(str, path))}")
        message = f"{describe(number)} is outside 10^-{MAX_MAGNITUDE} to 10^{MAX_MAGNITUDE}"
        refused.append(Problem("number-magnitude", message, where, str(path[-1]) if path else None))
        return None
    if isinstance(value, Mapping):
        return {str(k): _normalize(v, refused, source, (*path, str(k))) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalize(v, refused, source, (*path, i)) for i, v in enumerate(value)]
    return value


def _sha256_of(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
