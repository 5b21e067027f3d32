"""A loaded indicator set: validated as a whole, with formulas compiled and rules built once.

:func:`load_set` reads a YAML file; every problem in it — shape, weights, grades, bands, formulas — is
collected and raised together as one :class:`~scoring.errors.DefinitionError`, each with file:line:column.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import keyword
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..errors import DefinitionError, Location, Problem, ProblemList, did_you_mean
from ..formats import models as spec
from ..formats.validate import validate
from ..formats.yaml import Document, load_yaml, parse_yaml
from ..formula import RESERVED_NAMES, Formula, check_formula, compile_formula
from ..numbers import ZERO, decimal_places, plain
from ..rules import Rule, build_rule


@dataclass(frozen=True, eq=False)
class Indicator:
    """One row of the table: what is measured (formula), how it scores (rule) and its weight."""

    id: str
    label: str
    group: str | None
    weight: Decimal
    #: Weight the rule's points are written at; points scale by ``weight / reference_weight``.
    reference_weight: Decimal
    formula: Formula | None
    rule: Rule
    not_applicable: spec.NotApplicablePolicy
    spec: spec.IndicatorSpec
    #: Inputs this indicator needs, directly or through derived names.
    needs_inputs: frozenset[str]
    #: Derived names this indicator needs, directly or through other derived names.
    needs_derived: frozenset[str]
    #: Names shown in the trace: those the formula and rule read directly.
    trace_names: tuple[str, ...]
    location: Location

    @property
    def direction(self) -> str:
        return self.rule.direction


@dataclass(frozen=True)
class Group:
    """A node of the group tree; ``path`` levels are separated by '/'."""

    path: str
    label: str
    declared_weight: Decimal | None
    members: tuple[str, ...]
    depth: int


@dataclass(frozen=True)
class Grade:
    label: str
    min: Decimal


@dataclass(frozen=True, eq=False)
class IndicatorSet:
    """A validated indicator set ready to evaluate units. Build it with :func:`load_set` or :func:`parse_set`."""

    spec: spec.SetSpec
    source: str
    sha256: str
    total: Decimal
    grades: tuple[Grade, ...]
    inputs: Mapping[str, spec.InputSpec]
    #: Derived names in evaluation order (each after the names it uses).
    derived: tuple[tuple[str, Formula], ...]
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    by_id: Mapping[str, Indicator] = field(repr=False)
    #: For each indicator (by position), the positions in ``groups`` of the groups it belongs to.
    group_slots: tuple[tuple[int, ...], ...] = field(repr=False, default=())

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str | None:
        return self.spec.version

    @property
    def title(self) -> str:
        return self.spec.title or self.spec.id

    @property
    def rounding(self) -> spec.Rounding:
        return self.spec.rounding

    def grade_for(self, points: Decimal, maximum: Decimal | None = None) -> str:
        """Grade band for ``points`` out of ``maximum`` (default: the set's total).

        Bands are written on the scale of the total the file declares; any other maximum (a group's weight,
        a total changed by reweighting) is graded on its percentage. Compared without dividing, so a value
        exactly on a band's minimum gets that band.
        """
        scale = self.spec.total
        maximum = self.total if maximum is None else maximum
        if maximum == scale:
            for grade in self.grades:
                if points >= grade.min:
                    return grade.label
        else:  # points / maximum ≥ min / scale
            for grade in self.grades:
                if points * scale >= grade.min * maximum:
                    return grade.label
        return self.grades[-1].label

    def grades_between(self, low: Decimal, high: Decimal) -> tuple[str, ...]:
        """Grades of every total from ``low`` to ``high`` (out of the set's total), highest first."""
        order = [grade.label for grade in self.grades]  # highest first
        return tuple(order[order.index(self.grade_for(high)) : order.index(self.grade_for(low)) + 1])

    def indicator(self, indicator_id: str) -> Indicator:
        return self.by_id[indicator_id]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IndicatorSet):
            return NotImplemented
        weights = [(i.id, i.weight) for i in self.indicators]
        return (
            self.spec == other.spec
            and self.total == other.total
            and weights == [(i.id, i.weight) for i in other.indicators]
        )

    def __hash__(self) -> int:
        return hash((self.spec.id, self.sha256))

    def dump(self) -> str:
        """The set as YAML text in the ``scoring/1`` format (loading it gives an equal set)."""
        return dump_spec(self.spec)

    def reweighted(self, weights: Mapping[str, Decimal], total: Decimal | None = None) -> IndicatorSet:
        """A copy with some indicator weights (and optionally the total) changed; rule points scale along.

        The new weights must add up to the (new) total; the grade bands stay on the total's scale.
        """
        unknown = [key for key in weights if key not in self.by_id]
        new_total = self.total if total is None else total
        problems = [
            Problem("unknown-indicator", f"no indicator '{key}'", None, key, did_you_mean(key, self.by_id))
            for key in unknown
        ]
        problems += [
            Problem("weight", f"weight of '{key}' must be above 0, not {plain(value)}", None, key)
            for key, value in weights.items()
            if value <= 0
        ]
        places, total_places = self.rounding.places, self.rounding.total_places
        problems += [
            Problem(
                "weight-places",
                f"weight {plain(value)} of '{key}' has more decimals than rounding.places ({places})",
            )
            for key, value in weights.items()
            if decimal_places(value) > places
        ]
        if decimal_places(new_total) > total_places:
            problems.append(
                Problem(
                    "total-places", f"total {plain(new_total)} has more decimals than rounding.total_places"
                )
            )
        indicators = tuple(replace(i, weight=weights.get(i.id, i.weight)) for i in self.indicators)
        weight_sum = sum((i.weight for i in indicators), ZERO)
        if not problems and weight_sum != new_total:
            problems.append(
                Problem(
                    "weights-sum", f"weights add up to {plain(weight_sum)}, not the total {plain(new_total)}"
                )
            )
        if problems:
            raise DefinitionError(problems)
        # the result's provenance must name these weights, not the file's: hash them with the file's hash
        weights_text = ";".join(f"{i.id}={i.weight}" for i in indicators) + f";total={new_total}"
        unchanged = new_total == self.total and all(
            a.weight == b.weight for a, b in zip(indicators, self.indicators, strict=True)
        )
        digest = (
            self.sha256 if unchanged else hashlib.sha256(f"{self.sha256};{weights_text}".encode()).hexdigest()
        )
        return replace(
            self, total=new_total, indicators=indicators, by_id={i.id: i for i in indicators}, sha256=digest
        )


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = plain(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_spec(model: spec.SetSpec | spec.UnitSpec) -> str:
    """YAML text for a spec model, omitting unset keys."""
    data = model.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


class _Builder:
    """Checks a shape-valid set spec as a whole and builds the runtime set."""

    def __init__(
        self,
        model: spec.SetSpec,
        document: Document,
        positions: list[int] | None = None,
        weights: list[Decimal] | None = None,
    ) -> None:
        self.model = model
        self.document = document
        self.problems = ProblemList()
        #: When some indicators were left out for shape problems: the file position of each one kept.
        #: Checks over all indicators (weight sums) are then skipped, as their result would mislead.
        self.positions = positions
        #: Every indicator's weight, when all are readable even though some indicators were left out.
        self.weights = weights

    def report(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        subject: str | None,
        hint: str | None = None,
    ):
        self.problems.add(Problem(code, message, self.document.locate(path), subject, hint))

    def build(self) -> IndicatorSet:
        model = self.model
        self.check_inputs()
        self.check_total()
        derived = self.compile_derived()
        grades = self.check_grades()
        indicators = self.build_indicators(dict(derived))
        groups = self.build_groups(indicators)
        self.problems.raise_if_any(DefinitionError)
        return IndicatorSet(
            spec=model,
            source=self.document.source,
            sha256=self.document.sha256,
            total=model.total,
            grades=grades,
            inputs=dict(model.inputs),
            derived=tuple(derived),
            groups=groups,
            indicators=tuple(indicators),
            by_id={i.id: i for i in indicators},
            group_slots=_group_slots(indicators, groups),
        )

    def check_name(self, name: str, path: tuple[str | int, ...], what: str) -> None:
        if unicodedata.normalize("NFKC", name) != name:
            self.report(
                "name",
                f"{what} name '{name}' has characters Python reads as others (full-width letters or digits)",
                path,
                name,
                f"write '{unicodedata.normalize('NFKC', name)}'",
            )
        elif not name.isidentifier() or name.startswith("_"):
            self.report(
                "name",
                f"{what} name '{name}' is not a valid name",
                path,
                name,
                "use letters, digits and '_', starting with a letter",
            )
        elif name in RESERVED_NAMES or keyword.iskeyword(name):
            self.report("name", f"{what} name '{name}' is reserved", path, name, "choose another name")

    def check_inputs(self) -> None:
        for name, item in self.model.inputs.items():
            path = ("inputs", name)
            self.check_name(name, path, "input")
            if item.type == "boolean" and (item.min is not None or item.max is not None):
                self.report("input-bounds", f"boolean input '{name}' cannot have min or max", path, name)
            if item.min is not None and item.max is not None and item.min > item.max:
                self.report(
                    "input-bounds",
                    f"input '{name}' has min {plain(item.min)} above max {plain(item.max)}",
                    path,
                    name,
                )

    def compile_derived(self) -> list[tuple[str, Formula]]:
        inputs = set(self.model.inputs)
        names = inputs | set(self.model.derived)
        checked: dict[str, frozenset[str]] = {}
        compiled: dict[str, Formula] = {}
        for name, text in self.model.derived.items():
            path = ("derived", name)
            self.check_name(name, path, "derived")
            if name in inputs:
                self.report("derived-clash", f"'{name}' is both an input and a derived name", path, name)
                continue
            problems, _, used = check_formula(text, names, self.document.locate(path), name)
            if problems:
                self.problems.extend(problems)
                continue
            checked[name] = used
            compiled[name] = compile_formula(text, names, self.document.locate(path), name)
        order = self.order_derived(checked)
        return [(name, compiled[name]) for name in order]

    def order_derived(self, uses: dict[str, frozenset[str]]) -> list[str]:
        """Topological order of derived names; reports cycles."""
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == "done":
                return
            if state.get(name) == "active":
                cycle = [*trail[trail.index(name) :], name]
                self.report(
                    "derived-cycle",
                    "derived names form a cycle: " + " → ".join(cycle),
                    ("derived", name),
                    name,
                    "break the cycle: a derived name cannot depend on itself",
                )
                return
            state[name] = "active"
            for used in sorted(uses[name]):
                if used in uses:
                    visit(used, [*trail, name])
            state[name] = "done"
            order.append(name)

        for name in uses:
            visit(name, [])
        return order

    def check_total(self) -> None:
        total, places = self.model.total, self.model.rounding.total_places
        if decimal_places(total) > places:
            self.report(
                "total-places",
                f"total {plain(total)} has more decimals than rounding.total_places ({places})",
                ("total",),
                None,
                "full marks must round to exactly the total; raise total_places or change the total",
            )

    def check_grades(self) -> tuple[Grade, ...]:
        grades = tuple(Grade(g.label, g.min) for g in self.model.grades)
        for index, (higher, lower) in enumerate(itertools.pairwise(grades)):
            if lower.min >= higher.min:
                self.report(
                    "grades-order",
                    f"grade '{lower.label}' (min {plain(lower.min)}) must have a lower min than "
                    f"'{higher.label}' (min {plain(higher.min)})",
                    ("grades", index + 1, "min"),
                    lower.label,
                    "list grades from the highest down",
                )
        if grades[-1].min != 0:
            self.report(
                "grades-floor",
                f"the lowest grade '{grades[-1].label}' must start at 0, not {plain(grades[-1].min)}",
                ("grades", len(grades) - 1, "min"),
                grades[-1].label,
                "otherwise low totals would have no grade",
            )
        if grades[0].min > self.model.total:
            self.report(
                "grades-top",
                f"grade '{grades[0].label}' needs {plain(grades[0].min)}, above the total {plain(self.model.total)}",
                ("grades", 0, "min"),
                grades[0].label,
            )
        labels = [g.label for g in grades]
        for index, label in enumerate(labels):
            if label in labels[:index]:
                self.report(
                    "grades-label", f"grade label '{label}' is used twice", ("grades", index, "label"), label
                )
        return grades

    def build_indicators(self, derived: Mapping[str, Formula]) -> list[Indicator]:
        model = self.model
        names = set(model.inputs) | set(model.derived)
        seen: dict[str, int] = {}
        indicators: list[Indicator] = []
        places = model.rounding.places
        for index, item in enumerate(model.indicators):
            base: tuple[str | int, ...] = (
                "indicators",
                index if self.positions is None else self.positions[index],
            )
            if item.id in seen:
                self.report(
                    "duplicate-id",
                    f"indicator id '{item.id}' is used twice (first at indicator {seen[item.id] + 1})",
                    (*base, "id"),
                    item.id,
                )
            seen.setdefault(item.id, index)
            if decimal_places(item.weight) > places:
                self.report(
                    "weight-places",
                    f"weight {plain(item.weight)} of '{item.id}' has more decimals than rounding.places ({places})",
                    (*base, "weight"),
                    item.id,
                    "points are rounded to rounding.places; a weight must be exact at that precision",
                )
            if item.group is not None and any(not part.strip() for part in item.group.split("/")):
                self.report(
                    "group-path", f"group path '{item.group}' has an empty level", (*base, "group"), item.id
                )
            indicator = self.build_indicator(item, base, names, derived)
            if indicator is not None:
                indicators.append(indicator)
        weights = [i.weight for i in model.indicators] if self.positions is None else self.weights
        weight_sum = sum(weights or (), ZERO)
        if weights is not None and weight_sum != model.total:
            self.report(
                "weights-sum",
                f"indicator weights add up to {plain(weight_sum)}, not the total {plain(model.total)}",
                ("total",),
                None,
                "change a weight or the total",
            )
        return indicators

    def build_indicator(
        self,
        item: spec.IndicatorSpec,
        base: tuple[str | int, ...],
        names: set[str],
        derived: Mapping[str, Formula],
    ) -> Indicator | None:
        start = len(self.problems.items)
        formula: Formula | None = None
        if item.formula is not None:
            where = self.document.locate((*base, "formula"))
            problems, _, _ = check_formula(item.formula, names, where, item.id)
            self.problems.extend(problems)
            if not problems:
                formula = compile_formula(item.formula, names, where, item.id)
        conditions: list[Formula | None] = []
        if isinstance(item.rule, spec.CasesRule):
            allowed = names | ({"value"} if item.formula is not None else set())
            for i, case in enumerate(item.rule.cases):
                where = self.document.locate((*base, "rule", "cases", i, "when"))
                problems, _, _ = check_formula(case.when, allowed, where, item.id)
                self.problems.extend(problems)
                conditions.append(None if problems else compile_formula(case.when, allowed, where, item.id))

        def report(code: str, message: str, path: tuple[str | int, ...], hint: str | None) -> None:
            self.report(code, f"{message} (indicator '{item.id}')", (*base, "rule", *path), item.id, hint)

        target: Formula | None = None
        if isinstance(item.rule, spec.RatioRule) and isinstance(item.rule.ratio.target, str):
            where = self.document.locate((*base, "rule", "ratio", "target"))
            problems, _, _ = check_formula(item.rule.ratio.target, names, where, item.id)
            self.problems.extend(problems)
            if not problems:
                target = compile_formula(item.rule.ratio.target, names, where, item.id)
        rule = build_rule(item.rule, item.weight, conditions, report, target)
        if rule.needs_value and item.formula is None:
            self.report(
                "formula-missing",
                f"indicator '{item.id}' has a {rule.kind} rule, which scores a value, but no formula",
                base,
                item.id,
                "add 'formula:' giving the value to score",
            )
        if not rule.allows_value and item.formula is not None:
            self.report(
                "formula-unused",
                f"indicator '{item.id}' has a {rule.kind} rule, which takes no formula",
                (*base, "formula"),
                item.id,
                "remove 'formula:'",
            )
        if isinstance(item.rule, spec.ChecklistRule):
            self.check_checklist(item, item.rule, base)
        if item.direction is not None and item.direction != rule.direction:
            self.report(
                "direction",
                f"indicator '{item.id}' declares direction {item.direction}, but its rule is {rule.direction}",
                (*base, "direction"),
                item.id,
            )
        if len(self.problems.items) > start:
            return None
        direct = (formula.names if formula else frozenset()) | (rule.input_names() - {"value"})
        return Indicator(
            id=item.id,
            label=item.label or item.id,
            group=item.group.strip("/") if item.group else None,
            weight=item.weight,
            reference_weight=item.weight,
            formula=formula,
            rule=rule,
            not_applicable=item.not_applicable or self.model.not_applicable,
            spec=item,
            needs_inputs=_names_behind(direct, derived)[0],
            needs_derived=_names_behind(direct, derived)[1],
            trace_names=tuple(sorted(direct)),
            location=self.document.locate(base),
        )

    def check_checklist(
        self, item: spec.IndicatorSpec, rule: spec.ChecklistRule, base: tuple[str | int, ...]
    ) -> None:
        seen: set[str] = set()
        for i, entry in enumerate(rule.checklist):
            name = entry.input
            path = (*base, "rule", "checklist", i, "input")
            declared = self.model.inputs.get(name)
            if declared is None:
                self.report(
                    "unknown-name",
                    f"checklist item of '{item.id}' names undeclared input '{name}'",
                    path,
                    item.id,
                    did_you_mean(name, self.model.inputs) or "declare it under inputs with type: boolean",
                )
            elif declared.type != "boolean":
                self.report(
                    "checklist-input",
                    f"checklist input '{name}' of '{item.id}' must have type: boolean",
                    path,
                    item.id,
                )
            if name in seen:
                self.report(
                    "checklist-duplicate",
                    f"checklist of '{item.id}' lists input '{name}' twice",
                    path,
                    item.id,
                )
            seen.add(name)

    def build_groups(self, indicators: list[Indicator]) -> tuple[Group, ...]:
        members: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            if indicator.group is None:
                continue
            parts = indicator.group.split("/")
            for depth in range(1, len(parts) + 1):
                members.setdefault("/".join(parts[:depth]), []).append(indicator)
        groups = []
        for path, items in members.items():
            declared = self.model.groups.get(path)
            weight = sum((i.weight for i in items), ZERO)
            complete = self.positions is None
            if (
                complete
                and declared is not None
                and declared.weight is not None
                and declared.weight != weight
            ):
                self.report(
                    "group-weight",
                    f"group '{path}' declares weight {plain(declared.weight)}, but its indicators add up to {plain(weight)}",
                    ("groups", path, "weight"),
                    path,
                    "members: " + ", ".join(f"{i.id} {plain(i.weight)}" for i in items),
                )
            label = declared.label if declared is not None and declared.label else path.split("/")[-1]
            groups.append(
                Group(
                    path,
                    label,
                    declared.weight if declared else None,
                    tuple(i.id for i in items),
                    path.count("/"),
                )
            )
        for path in self.model.groups:
            if path not in members and self.positions is None:
                self.report(
                    "group-unused",
                    f"group '{path}' has no indicators",
                    ("groups", path),
                    path,
                    did_you_mean(path, members) or "set 'group:' on its indicators or remove it",
                )
        return tuple(groups)


def _group_slots(indicators: Iterable[Indicator], groups: tuple[Group, ...]) -> tuple[tuple[int, ...], ...]:
    position = {group.path: index for index, group in enumerate(groups)}
    slots = []
    for indicator in indicators:
        parts = indicator.group.split("/") if indicator.group else []
        slots.append(tuple(position["/".join(parts[: depth + 1])] for depth in range(len(parts))))
    return tuple(slots)


def _names_behind(
    names: Iterable[str], derived: Mapping[str, Formula]
) -> tuple[frozenset[str], frozenset[str]]:
    """(inputs, derived names) reached from ``names`` through derived formulas."""
    inputs: set[str] = set()
    through: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in inputs or name in through:
            continue
        if name in derived:
            through.add(name)
            stack.extend(derived[name].names)
        else:
            inputs.add(name)
    return frozenset(inputs), frozenset(through)


def build_set(document: Document) -> IndicatorSet:
    """Validate a parsed document as an indicator set, reporting every problem at once."""
    problems = list(document.problems)
    model, shape_problems = validate(spec.SetSpec, document)
    problems += shape_problems
    positions = weights = None
    if model is None:
        model, positions, weights = _valid_part(document, shape_problems)
        if model is None:
            raise DefinitionError(problems)
    try:
        indicator_set = _Builder(model, document, positions, weights).build()
    except DefinitionError as exc:
        problems += exc.problems
    if problems:
        raise DefinitionError(problems)
    return indicator_set


#: Parts of a set that may be set aside when they have a shape problem, so the rest is still checked.
_OPTIONAL_PARTS = frozenset({"title", "version", "source", "description", "not_applicable", "rounding", "groups", "inputs", "derived"})  # fmt: skip


def _valid_part(
    document: Document, problems: list[Problem]
) -> tuple[spec.SetSpec | None, list[int] | None, list[Decimal] | None]:
    """The set with its shape problems set aside, so that every other check can still run.

    Indicators with a problem are left out; a bad key in an optional part (an input's ``type``, a group's
    ``weight``, ``rounding``, a derived formula that is not text, an unknown top-level key) is removed, so its
    default applies. Returns (model, file positions of the indicators kept, every indicator's weight if all
    are numbers); (None, None, None) when a required part (format, id, total, grades) is itself wrong.
    """
    nothing: tuple[None, None, None] = (None, None, None)
    if not isinstance(document.data, dict):
        return nothing
    data = copy.deepcopy(document.data)
    items = data.get("indicators")
    if not isinstance(items, list):
        return nothing
    bad: set[int] = set()
    for problem in problems:
        index = _indicator_position(document, problem)
        if index is not None:
            bad.add(index)
            continue
        path = problem.path or ()
        if not path or not (path[0] in _OPTIONAL_PARTS or (len(path) == 1 and problem.code == "unknown-key")):
            return nothing
        if path[0] == "derived" and len(path) >= 2 and isinstance(data.get("derived"), dict):
            data["derived"][path[1]] = "0"  # keeps the name declared, so formulas using it are still checked
        elif not _remove(data, path):
            return nothing
    kept = [i for i in range(len(items)) if i not in bad]
    if not kept:
        return nothing
    try:
        model = spec.SetSpec.model_validate({**data, "indicators": [items[i] for i in kept]})
    except ValueError:
        return nothing
    weights = [item.get("weight") if isinstance(item, dict) else None for item in items]
    readable = all(isinstance(w, Decimal) and w.is_finite() for w in weights)
    return model, kept, weights if readable else None  # type: ignore[return-value]


def _remove(data: dict[str, Any], path: tuple[str | int, ...]) -> bool:
    """Delete the key a path ends at (inside mappings only); False when the path does not lead to one."""
    container: Any = data
    for part in path[:-1]:
        if not isinstance(container, dict) or part not in container:
            return False
        container = container[part]
    if isinstance(container, dict) and path[-1] in container:
        del container[path[-1]]
        return True
    return False


def _indicator_position(document: Document, problem: Problem) -> int | None:
    """Which indicator (by position) a problem lies in, if any."""
    path = problem.path or ()
    if len(path) >= 3 and path[0] == "indicators" and isinstance(path[1], int):
        return path[1]
    return None


def parse_set(text: str, source: str = "<set>") -> IndicatorSet:
    """Load an indicator set from YAML text; ``source`` names it in error messages."""
    return build_set(parse_yaml(text, source))


def load_set(path: str | Path, encoding: str | None = None) -> IndicatorSet:
    """Load and validate an indicator set file; raises :class:`DefinitionError` listing every problem.

    Files are UTF-8; give ``encoding`` (e.g. ``"gbk"``) for a file saved in another encoding.
    """
    return build_set(load_yaml(Path(path), encoding))
