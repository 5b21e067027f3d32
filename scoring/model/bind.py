"""Binding a unit's data to an indicator set: every check that needs both, each problem located.

Six independent checks, run in turn so that every problem is reported at once: the values against the
declared inputs, the not-applicable marks, the unknown rows, the overrides, the judgments, and what is
missing (inputs an indicator needs, judgments a judged row needs).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .. import limits
from ..errors import DataError, Location, Problem, ProblemList, clip, closest, describe, did_you_mean
from ..formats.set_format import InputSpec
from ..formats.unit_format import PanelJudgment, UnitSpec
from ..formats.yaml import Document
from ..numbers import ZERO, as_decimal, number_hint, plain, python_scalar, within_magnitude
from ..rules.judgment import Award, JudgmentRule
from ..rules.met import DATE_HINT, iso_date
from .indicator_set import IndicatorSet
from .labels import id_of_label, input_of_label
from .panel_bind import bind_panel
from .sums import complete_sums
from .unit import Override, Unit, Unknown
from .value_hints import unit_in_value_hint


def bind(
    model: UnitSpec, indicator_set: IndicatorSet, source: str, sha256: str, document: Document | None
) -> Unit:
    """The unit's data checked against the set; raises :class:`DataError` listing every problem."""
    binder = _Binder(model, indicator_set, source, document)
    values = binder.check_values()
    summed = complete_sums(indicator_set.totals, values)
    binder.check_sums(values, summed)
    not_applicable = binder.check_not_applicable()
    unknown = binder.check_unknown(not_applicable)
    overrides = binder.check_overrides(not_applicable)
    judgments = binder.check_judgments(not_applicable, overrides, unknown)
    binder.check_missing(not_applicable, overrides, unknown, values)
    binder.check_published(values)
    binder.problems.raise_if_any(DataError)
    return Unit(
        spec=model,
        indicator_set=indicator_set,
        source=source,
        sha256=sha256,
        values=values,
        not_applicable=not_applicable,
        judgments=judgments,
        overrides=overrides,
        unknown=unknown,
        document=document,
        summed=frozenset(summed),
    )


class _Binder:
    def __init__(
        self, model: UnitSpec, indicator_set: IndicatorSet, source: str, document: Document | None
    ) -> None:
        self.model = model
        self.set = indicator_set
        self.source = source
        self.document = document
        self.problems = ProblemList()
        #: Indicators that a misspelt id in not_applicable, unknown, overrides or judgments most likely
        #: names: what they would need is not reported as missing (the misspelling is the one problem).
        self.probably_meant: set[str] = set()
        #: Inputs given under their label instead of their name: not reported as missing too.
        self.given_by_label: set[str] = set()

    def where(self, *path: str | int) -> Location:
        if self.document is not None:
            return self.document.locate(path)
        return Location(self.source, keys=path)

    def unknown_indicator(self, indicator_id: str, *path: str | int) -> None:
        if self.problems.skip():
            return
        labelled = id_of_label(self.set, indicator_id)
        meant = labelled or (None if self.problems.full else closest(indicator_id, self.set.by_id))
        if meant is not None:
            self.probably_meant.add(meant)
        hint = f"did you mean '{meant}'?" if meant is not None else None
        if labelled is not None:
            hint = f"'{clip(indicator_id)}' is the label of '{labelled}': write its id, {labelled}"
        self.problems.add(
            Problem(
                "unknown-indicator",
                f"no indicator '{clip(indicator_id)}' in the set",
                self.where(*path),
                indicator_id,
                hint,
            )
        )

    def clash(self, code: str, indicator_id: str, message: str, *path: str | int) -> None:
        self.problems.add(Problem(code, message, self.where(*path), indicator_id, "remove one of them"))

    def check_values(self) -> dict[str, Decimal | bool | str]:
        values: dict[str, Decimal | bool | str] = {}
        refused = self.document.rejected if self.document is not None else frozenset()
        derived_names = {name for name, _ in self.set.derived}
        for name, value in self.model.values.items():
            if ("values", name) in refused:
                continue  # refused while reading; that problem is reported with the file's
            declared = self.set.inputs.get(name)
            if declared is None and self.problems.skip():
                continue
            where = self.where("values", name)
            if declared is None:
                if name in derived_names:
                    hint = "it is derived from a formula in the set; remove it here"
                elif name in self.set.by_id:
                    hint = "it is an indicator; give the inputs its formula uses"
                elif (labelled := input_of_label(self.set, name)) is not None:
                    self.given_by_label.add(labelled)
                    hint = f"'{clip(name)}' is the label of input '{labelled}': write it as {labelled}:"
                else:
                    close = None if self.problems.full else did_you_mean(name, self.set.inputs)
                    hint = close or "declare it in the set's inputs or remove it"
                self.problems.add(
                    Problem("unknown-input", f"unknown input '{clip(name)}'", where, clip(name), hint)
                )
                continue
            checked = check_value(name, value, declared, where)
            if isinstance(checked, Problem):
                self.problems.add(checked)
            else:
                values[name] = checked
        return values

    def check_sums(self, values: Mapping[str, object], summed: set[str]) -> None:
        """A total summed from its parts meets its own declaration (bounds, whole number) as a given one must."""
        for name in sorted(summed):
            declared = self.set.inputs[name]
            checked = check_value(name, values[name], declared, self.where("values"))
            if isinstance(checked, Problem):
                parts = " + ".join(declared.sum_of or ())
                message = f"{checked.message} (the sum of its parts {parts})"
                self.problems.add(
                    dataclasses.replace(checked, message=message, hint="check the parts' figures")
                )

    def check_not_applicable(self) -> frozenset[str]:
        for index, indicator_id in enumerate(self.model.not_applicable):
            if indicator_id not in self.set.by_id:
                self.unknown_indicator(indicator_id, "not_applicable", index)
        return frozenset(self.model.not_applicable)

    def check_unknown(self, not_applicable: frozenset[str]) -> dict[str, Unknown]:
        model = self.model
        unknown: dict[str, Unknown] = {}
        as_mapping = isinstance(model.unknown, dict)
        entries = (
            model.unknown.items() if isinstance(model.unknown, dict) else ((i, None) for i in model.unknown)
        )
        for index, (indicator_id, entry) in enumerate(entries):
            place = ("unknown", indicator_id if as_mapping else index)
            indicator = self.set.by_id.get(indicator_id)
            if indicator is None:
                self.unknown_indicator(indicator_id, *place)
                continue
            clash = [what for what, ids in (("not_applicable", not_applicable), ("overrides", model.overrides)) if indicator_id in ids]  # fmt: skip
            judged = model.judgments.get(indicator_id)
            if judged is not None and (isinstance(judged, PanelJudgment) or judged.points is not None):
                clash.append("judgments (with points)")
            if clash:
                message = f"'{indicator_id}' is marked unknown but also listed under {' and '.join(clash)}"
                self.clash("unknown-clash", indicator_id, message, *place)
                continue
            weight = indicator.reference_weight
            low = entry.min if entry is not None and entry.min is not None else ZERO
            high = entry.max if entry is not None and entry.max is not None else weight
            if not ZERO <= low <= high <= weight:
                self.problems.add(
                    Problem(
                        "unknown-range",
                        f"unknown '{indicator_id}' is given the range {plain(low)} to {plain(high)}, which must "
                        f"lie within 0 to its weight {plain(weight)} with min ≤ max",
                        self.where(*place),
                        indicator_id,
                    )
                )
                continue
            unknown[indicator_id] = Unknown(low=low, high=high, reason=entry.reason if entry else None)
        return unknown

    def check_overrides(self, not_applicable: frozenset[str]) -> dict[str, Override]:
        overrides: dict[str, Override] = {}
        for indicator_id, override in self.model.overrides.items():
            indicator = self.set.by_id.get(indicator_id)
            if indicator is None:
                self.unknown_indicator(indicator_id, "overrides", indicator_id)
                continue
            if indicator_id in not_applicable:
                message = f"'{indicator_id}' is both not applicable and overridden"
                self.clash("override-na", indicator_id, message, "overrides", indicator_id)
            if not ZERO <= override.points <= indicator.reference_weight:
                self.problems.add(
                    Problem(
                        "override-points",
                        f"override of '{indicator_id}' gives {plain(override.points)} points, outside 0 to its "
                        f"weight {plain(indicator.reference_weight)}",
                        self.where("overrides", indicator_id, "points"),
                        indicator_id,
                    )
                )
            overrides[indicator_id] = Override(points=override.points, reason=override.reason)
        return overrides

    def check_judgments(
        self, not_applicable: frozenset[str], overrides: Mapping[str, Override], unknown: dict[str, Unknown]
    ) -> dict[str, Award]:
        """The judgments with points; a judgment with a tier but no points makes its row unknown within the
        tier (added to ``unknown``)."""
        judgments: dict[str, Award] = {}
        for indicator_id, judgment in self.model.judgments.items():
            if isinstance(judgment, PanelJudgment):
                if self.judged_tier(indicator_id, None, not_applicable) is not None:
                    award = bind_panel(self.set, indicator_id, judgment, self.problems, self.where)
                    if isinstance(award, Award):
                        judgments[indicator_id] = award
                    elif award is not None and indicator_id not in overrides:
                        unknown[indicator_id] = award
                continue
            bounds = self.judged_tier(indicator_id, judgment.tier, not_applicable)
            if bounds is None:
                continue
            low, high = bounds
            if judgment.points is None:
                if indicator_id not in overrides:  # an override decides the row's points
                    unknown[indicator_id] = Unknown(
                        low=low, high=high, tier=judgment.tier, reason=judgment.reason
                    )
            elif not low <= judgment.points <= high:
                self.problems.add(
                    Problem(
                        "judgment-points",
                        f"judgment of '{indicator_id}' gives {plain(judgment.points)} points, outside tier "
                        f"'{judgment.tier}' ({plain(low)} to {plain(high)})",
                        self.where("judgments", indicator_id, "points"),
                        indicator_id,
                        "choose the tier the points belong to, or points inside the tier",
                    )
                )
            else:
                judgments[indicator_id] = Award(
                    tier=judgment.tier, points=judgment.points, reason=judgment.reason
                )
        return judgments

    def judged_tier(
        self, indicator_id: str, tier: str | None, not_applicable: frozenset[str]
    ) -> tuple[Decimal, Decimal] | None:
        """The points a judged row's tier allows (its whole range for a panel, ``tier`` None), or None (with
        the problem reported) when the row cannot be judged there."""
        indicator = self.set.by_id.get(indicator_id)
        if indicator is None:
            self.unknown_indicator(indicator_id, "judgments", indicator_id)
            return None
        if indicator_id in not_applicable:
            message = f"'{indicator_id}' is both not applicable and judged"
            self.clash("judgment-na", indicator_id, message, "judgments", indicator_id)
            return None
        rule = indicator.rule
        if not isinstance(rule, JudgmentRule):
            self.problems.add(
                Problem(
                    "judgment-rule",
                    f"'{indicator_id}' is scored by a {rule.kind} rule, not by judgment",
                    self.where("judgments", indicator_id),
                    indicator_id,
                    "use overrides: to correct a computed score",
                )
            )
            return None
        if tier is None:
            return ZERO, indicator.reference_weight
        bounds = rule.tier_range(tier)
        if bounds is None:
            self.problems.add(
                Problem(
                    "judgment-tier",
                    f"'{indicator_id}' has no tier '{tier}'",
                    self.where("judgments", indicator_id, "tier"),
                    indicator_id,
                    "tiers: " + ", ".join(rule.tiers),
                )
            )
        return bounds

    def check_missing(
        self,
        not_applicable: frozenset[str],
        overrides: Mapping[str, Override],
        unknown: Mapping[str, Unknown],
        values: Mapping[str, object],
    ) -> None:
        """Judgments that judged rows need, and inputs that the rows to be scored need."""
        missing: dict[str, list[str]] = {}
        for indicator in self.set.indicators:
            if indicator.id in not_applicable or indicator.id in overrides or indicator.id in unknown:
                continue
            if indicator.id in self.probably_meant:
                continue
            if indicator.rule.judged and indicator.id not in self.model.judgments:
                label = f" ({indicator.label})" if indicator.label != indicator.id else ""
                self.problems.add(
                    Problem(
                        "judgment-missing",
                        f"no judgment given for '{indicator.id}'{label}",
                        self.where("judgments"),
                        indicator.id,
                        "add judgments: {"
                        + indicator.id
                        + ": {tier, points, reason}} or mark it not_applicable",
                    )
                )
            for name in sorted(indicator.needs_inputs):
                given = name in values or name in self.model.values or name in self.given_by_label
                if not given and not self.bad_part(name, values):
                    missing.setdefault(name, []).append(indicator.id)
        for name, needed_by in missing.items():
            parts = self.set.inputs[name].sum_of
            also = f" (or all of its parts: {', '.join(parts)})" if parts else ""
            self.problems.add(
                Problem(
                    "missing-input",
                    f"missing input '{name}', needed by {', '.join(needed_by)}",
                    self.where("values"),
                    name,
                    f"add it{also} under values:, or mark those indicators not_applicable",
                )
            )

    def bad_part(self, name: str, values: Mapping[str, object]) -> bool:
        """Whether a total is missing because one of its parts was given but refused: that part's problem is
        the one to report."""
        parts = self.set.inputs[name].sum_of or ()
        return any((part in self.model.values and part not in values) or self.bad_part(part, values)
                   for part in parts if part in self.set.inputs)  # fmt: skip

    def check_published(self, values: Mapping[str, object]) -> None:
        """The printed figures of ``published.values`` name inputs, derived names or indicators."""
        published = self.model.published
        if published is None:
            return
        known = {*self.set.inputs, *(name for name, _ in self.set.derived), *self.set.by_id}
        for name in published.values:
            if name not in known:
                hint = did_you_mean(name, known) or "name an input, a derived name or an indicator id"
                message = (
                    f"published value '{clip(name)}' is not an input, derived name or indicator of the set"
                )
                self.problems.add(Problem("published-value", message, self.where("published", "values", name),
                                          clip(name), hint))  # fmt: skip


def check_value(
    name: str, value: object, declared: InputSpec, where: Location
) -> Decimal | bool | str | Problem:
    """The value of an input if it fits the input's declaration, else the problem."""

    def problem(message: str, hint: str | None = None) -> Problem:
        return Problem("input-value", message, where, name, hint)

    if declared.type == "boolean":
        if isinstance(value, bool):
            return value
        quoted = isinstance(value, str)
        hint = "write true or false, unquoted (yes, 是 → true; no, 否 → false)" if quoted else None
        return problem(f"input '{name}' must be true or false, not {describe(value)}", hint)
    if declared.type == "text":
        if not isinstance(value, str):
            return problem(f"input '{name}' must be text, not {describe(value)}", "write the text in quotes")
        if not value.strip():
            return problem(f"input '{name}' is empty text", "write what the source says, e.g. 达成")
        return value.strip()
    if declared.type == "date":
        day = iso_date(value)
        if day is None:
            shown = f"the text {clip(value)!r}" if isinstance(value, str) else describe(value)
            return problem(f"input '{name}' must be a date, not {shown}", DATE_HINT)
        return day
    if isinstance(value, bool):
        return problem(f"input '{name}' must be a number, not {describe(value)}", "write the number itself")
    if isinstance(value, str):
        hint = number_hint(value) or unit_in_value_hint(value, declared.unit)
        return problem(f"input '{name}' must be a number, not the text {value!r}", hint)
    if not isinstance(value, Decimal):
        return problem(f"input '{name}' must be a number, not {describe(value)}")
    if not value.is_finite():
        return problem(f"input '{name}' must be a finite number, not {value}")
    if not within_magnitude(value):
        bound = limits.MAX_MAGNITUDE
        return problem(f"input '{name}' is {describe(value)}, outside 10^-{bound} to 10^{bound}")
    if declared.type == "integer" and value != value.to_integral_value():
        return problem(f"input '{name}' must be a whole number, not {plain(value)}")
    if declared.min is not None and value < declared.min:
        return problem(f"input '{name}' is {plain(value)}, below its minimum {plain(declared.min)}")
    if declared.max is not None and value > declared.max:
        return problem(f"input '{name}' is {plain(value)}, above its maximum {plain(declared.max)}")
    return value


def normalize(value: Any, refused: list[Problem], source: str, path: tuple[str | int, ...] = ()) -> Any:
    """Data given as Python values, as the YAML reader would give it: floats become Decimal from their shortest
    text (0.1 → Decimal('0.1')), ints become Decimal. Numbers beyond the magnitude limit are refused (into
    ``refused``), as they are in files."""
    if len(path) > limits.MAX_DEPTH:
        message = f"the data is nested more than {limits.MAX_DEPTH} levels deep"
        where = Location(source, keys=tuple(clip(str(key)) for key in path[: limits.MAX_DEPTH + 1]))
        raise DataError(Problem("too-deep", message, where))
    value = python_scalar(value)  # a cell of a DataFrame: a numpy int, float or bool
    number = as_decimal(value)
    if number is not None:
        if not number.is_finite() or within_magnitude(number):
            return number  # NaN and infinities are refused where they are used, with their own message
        bound = limits.MAX_MAGNITUDE
        message = f"{describe(number)} is outside 10^-{bound} to 10^{bound}"
        where = Location(source, keys=path)
        refused.append(Problem("number-magnitude", message, where, str(path[-1]) if path else None))
        return None
    if isinstance(value, Mapping):
        return {str(k): normalize(v, refused, source, (*path, str(k))) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v, refused, source, (*path, i)) for i, v in enumerate(value)]
    return value
