"""Checking a set as a whole and building it: names, weights, grades, formulas, rules and groups.

Every problem — weights, grades, bands, formulas — is collected and raised together as one
:class:`~scoring.errors.DefinitionError`, each with file:line:column (see :func:`scoring.model.loading.build_set`).
"""

from __future__ import annotations

import itertools
import keyword
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal

from .. import limits
from ..errors import DefinitionError, Problem, ProblemList, clip, did_you_mean
from ..formats.set_format import IndicatorSpec, SetSpec
from ..formats.yaml import Document
from ..formula import INPUT_KINDS, RESERVED_NAMES, TEXTUAL, Formula, Kind, parse_formula
from ..numbers import ZERO, decimal_places, plain
from ..rules import Rule, build_rule
from .confusables import confusable_pairs
from .indicator_set import Grade, Group, Indicator, IndicatorSet
from .labels import with_label_hints
from .names import foreign_characters, group_slots, names_behind
from .rule_context import BuildingRuleContext
from .salvage import Salvaged
from .stale import WEIGHT_CODES, StaleWeights
from .sums import sum_problems

Path_ = tuple[str | int, ...]


class SetBuilder:
    """Checks a shape-valid set model as a whole and builds the runtime set."""

    def __init__(self, model: SetSpec, document: Document, salvaged: Salvaged | None = None) -> None:
        self.model = model
        self.document = document
        self.problems = ProblemList()
        #: Set when some indicators were left out for shape problems; checks over all indicators (weights
        #: adding up, groups) are then skipped or use what could still be read.
        self.salvaged = salvaged
        #: The names formulas may read, with what they hold (a number, true/false, or either).
        self.names: dict[str, Kind] = {name: INPUT_KINDS[item.type] for name, item in model.inputs.items()}
        self.names.update(dict.fromkeys(model.derived, "any"))
        #: (group, weight) of indicators not built for a problem in their formula or rule: they still count
        #: in their groups' weights, so that one typo does not also read as wrong group weights.
        self.not_built: list[tuple[str, Decimal, str]] = []
        #: Weights that no longer fit their rules: the sums they explain are not reported again.
        self.stale = StaleWeights()

    @property
    def complete(self) -> bool:
        """Whether every indicator of the file is here (none was left out for a shape problem)."""
        return self.salvaged is None

    def report(
        self, code: str, message: str, path: Path_, subject: str | None, hint: str | None = None
    ) -> None:
        self.problems.add(Problem(code, message, self.document.locate(path), subject, hint))

    def formula(self, text: str, path: Path_, subject: str, allowed: Mapping[str, Kind]) -> Formula | None:
        formula, problems = parse_formula(text, allowed, self.document.locate(path), subject)
        self.problems.extend(with_label_hints(problems, self.model.inputs))
        return formula

    def build(self) -> IndicatorSet:
        model = self.model
        self.check_inputs()
        self.check_lookalikes()
        self.check_total()
        derived = self.compile_derived()
        grades = self.check_grades()
        indicators = self.build_indicators(dict(derived))
        self.check_weights_sum()
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
            group_slots=group_slots(indicators, groups),
        )

    # --- names and numbers ----------------------------------------------------------------------------

    def check_name(self, name: str, path: Path_, what: str) -> None:
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
            if item.type in ("boolean", "text", "date") and (item.min is not None or item.max is not None):
                self.report("input-bounds", f"{item.type} input '{name}' cannot have min or max", path, name)
            if item.min is not None and item.max is not None and item.min > item.max:
                message = f"input '{name}' has min {plain(item.min)} above max {plain(item.max)}"
                self.report("input-bounds", message, path, name)
        for code, message, where, total, hint in sum_problems(self.model.inputs):
            self.report(code, message, where, total, hint)

    def check_lookalikes(self) -> None:
        """Input and derived names (one namespace), and indicator ids, that look like another but are not."""
        namespaces = (
            ("inputs", [*self.model.inputs, *self.model.derived]),
            ("indicators", [i.id for i in self.model.indicators]),
        )
        for part, names in namespaces:
            for first, later in confusable_pairs(names):
                path: Path_ = ("inputs", later) if later in self.model.inputs else ("derived", later)
                if part == "indicators":
                    path = (
                        "indicators",
                        self.position([i.id for i in self.model.indicators].index(later)),
                        "id",
                    )
                self.report(
                    "name-lookalike",
                    f"name '{later}' looks the same as '{first}' but is written with other characters "
                    f"({foreign_characters(later, first)})",
                    path,
                    later,
                    "use one spelling, in one script",
                )

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
        scale = self.model.grades_total or self.model.total
        if grades[0].min > scale:
            self.report(
                "grades-top",
                f"grade '{grades[0].label}' needs {plain(grades[0].min)}, above the total {plain(scale)}",
                ("grades", 0, "min"),
                grades[0].label,
            )
        seen: set[str] = set()
        for index, grade in enumerate(grades):
            if grade.label in seen:
                message = f"grade label '{grade.label}' is used twice"
                self.report("grades-label", message, ("grades", index, "label"), grade.label)
            seen.add(grade.label)
        return grades

    # --- derived names --------------------------------------------------------------------------------

    def compile_derived(self) -> list[tuple[str, Formula]]:
        inputs = set(self.model.inputs)
        compiled: dict[str, Formula] = {}
        for name, text in self.model.derived.items():
            path = ("derived", name)
            self.check_name(name, path, "derived")
            if name in inputs:
                self.report("derived-clash", f"'{name}' is both an input and a derived name", path, name)
                continue
            formula = self.formula(text, path, name, self.names)
            if formula is not None and formula.kind in TEXTUAL:  # derived names are read as numbers
                self.report(
                    "formula-type",
                    f"derived '{name}' gives {formula.kind}; a derived name must give a number or true/false",
                    path,
                    name,
                    "use the input itself as the indicator's formula, scored by a met rule",
                )
            elif formula is not None:
                compiled[name] = formula
        return [(name, compiled[name]) for name in self.order_derived(compiled)]

    def order_derived(self, formulas: Mapping[str, Formula]) -> list[str]:
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
            for used in sorted(formulas[name].names):
                if used in formulas:
                    visit(used, [*trail, name])
            state[name] = "done"
            order.append(name)

        for name in formulas:
            visit(name, [])
        return order

    # --- indicators -----------------------------------------------------------------------------------

    def position(self, index: int) -> int:
        """The file position of the ``index``-th indicator of the model."""
        return index if self.salvaged is None else self.salvaged.positions[index]

    def build_indicators(self, derived: Mapping[str, Formula]) -> list[Indicator]:
        seen: dict[str, int] = {}
        indicators: list[Indicator] = []
        places = self.model.rounding.places
        for index, item in enumerate(self.model.indicators):
            base: Path_ = ("indicators", self.position(index))
            if item.id in seen:
                message = f"indicator id '{item.id}' is used twice (first at indicator {seen[item.id] + 1})"
                self.report("duplicate-id", message, (*base, "id"), item.id)
            seen.setdefault(item.id, index)
            start = len(self.problems.items)
            for weight, key in ((item.weight, "weight"), (item.rule_weight, "rule_weight")):
                if weight is not None and decimal_places(weight) > places:
                    self.report(
                        "weight-places",
                        f"{key} {plain(weight)} of '{item.id}' has more decimals than rounding.places ({places})",
                        (*base, key),
                        item.id,
                        "points are rounded to rounding.places; a weight must be exact at that precision",
                    )
            if not self.check_group_path(item, base):
                continue  # its groups cannot be built
            indicator = self.build_indicator(item, base, derived)
            if any(p.code in WEIGHT_CODES for p in self.problems.items[start:]):
                self.stale.add(_paths(item.group), item.weight, item.rule)
            if indicator is not None:
                indicators.append(indicator)
            elif item.group is not None:
                self.not_built.append((item.group, item.weight, item.id))
        return indicators

    def check_group_path(self, item: IndicatorSpec, base: Path_) -> bool:
        """Whether the indicator's group path can be used (a problem is reported when not)."""
        if item.group is None:
            return True
        levels = item.group.count("/") + 1
        if levels > limits.MAX_GROUP_LEVELS:
            message = f"group path of '{item.id}' has {levels} levels; at most {limits.MAX_GROUP_LEVELS} are allowed"
            self.report(
                "group-path", message, (*base, "group"), item.id, "indicator tables have two or three levels"
            )
            return False
        if any(not part.strip() for part in item.group.split("/")):
            message = f"group path '{clip(item.group)}' has an empty level"
            self.report("group-path", message, (*base, "group"), item.id)
            return False
        return True

    def build_indicator(
        self, item: IndicatorSpec, base: Path_, derived: Mapping[str, Formula]
    ) -> Indicator | None:
        start = len(self.problems.items)
        formula = None
        if item.formula is not None:
            formula = self.formula(item.formula, (*base, "formula"), item.id, self.names)
        reference = item.rule_weight or item.weight
        rule = build_rule(item.rule, reference, BuildingRuleContext(self, item, base))
        self.check_rule_fits(item, base, rule)
        if formula is not None and formula.kind in TEXTUAL and not rule.scores_textual:
            self.report(
                "value-type",
                f"indicator '{item.id}' has a {rule.kind} rule, which scores a number, but its formula gives "
                f"{formula.kind}",
                (*base, "formula"),
                item.id,
                "score text and dates with a met rule",
            )
        if len(self.problems.items) > start:
            return None
        direct = (formula.names if formula else frozenset()) | (rule.input_names() - {"value"})
        inputs, through = names_behind(direct, derived)
        return Indicator(
            id=item.id,
            label=item.label or item.id,
            group=item.group.strip("/") if item.group else None,
            weight=item.weight,
            reference_weight=reference,
            formula=formula,
            rule=rule,
            not_applicable=item.not_applicable or self.model.not_applicable,
            spec=item,
            needs_inputs=inputs,
            needs_derived=through,
            trace_names=tuple(sorted(direct)),
            location=self.document.locate(base),
        )

    def check_rule_fits(self, item: IndicatorSpec, base: Path_, rule: Rule) -> None:
        """The indicator's formula and declared direction against what its rule takes and does."""
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
        if item.direction is not None and item.direction != rule.direction:
            self.report(
                "direction",
                f"indicator '{item.id}' declares direction {item.direction}, but its rule is {rule.direction}",
                (*base, "direction"),
                item.id,
            )

    def check_weights_sum(self) -> None:
        model = self.model
        if self.salvaged is None:
            weights: Iterable[Decimal] | None = [i.weight for i in model.indicators]
        else:
            weights = self.salvaged.weights
        if weights is None:
            return
        weight_sum = sum(weights, ZERO)
        if weight_sum != model.total and not self.stale.explains(weight_sum, model.total):
            self.report(
                "weights-sum",
                f"indicator weights add up to {plain(weight_sum)}, not the total {plain(model.total)}",
                ("total",),
                None,
                "change a weight or the total",
            )

    # --- groups ---------------------------------------------------------------------------------------

    def build_groups(self, indicators: list[Indicator]) -> tuple[Group, ...]:
        members: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            for path in _paths(indicator.group):
                members.setdefault(path, []).append(indicator)
        not_built: dict[str, list[tuple[str, Decimal]]] = {}  # path → (id, weight) of rows left out
        for group, weight_of_item, indicator_id in self.not_built:
            for path in _paths(group):
                not_built.setdefault(path, []).append((indicator_id, weight_of_item))
        groups = []
        for path, items in members.items():
            declared = self.model.groups.get(path)
            every = [(i.id, i.weight) for i in items] + not_built.get(
                path, []
            )  # the hint lists what it adds up
            weight = sum((w for _, w in every), ZERO)
            if (
                self.complete
                and declared is not None
                and declared.weight is not None
                and declared.weight != weight
                and not self.stale.explains(weight, declared.weight, path)
            ):
                self.report(
                    "group-weight",
                    f"group '{path}' declares weight {plain(declared.weight)}, but its indicators add up to {plain(weight)}",
                    ("groups", path, "weight"),
                    path,
                    "members: " + ", ".join(f"{member} {plain(w)}" for member, w in every),
                )
            label = declared.label if declared is not None and declared.label else path.split("/")[-1]
            weight_declared = declared.weight if declared else None
            groups.append(Group(path, label, weight_declared, tuple(i.id for i in items), path.count("/")))
        if self.complete:
            for path in self.model.groups:
                if path not in members and path not in not_built:
                    self.report(
                        "group-unused",
                        f"group '{path}' has no indicators",
                        ("groups", path),
                        path,
                        did_you_mean(path, members) or "set 'group:' on its indicators or remove it",
                    )
        return tuple(groups)


def _paths(group: str | None) -> list[str]:
    """The group and every group above it: 'a/b/c' → ['a', 'a/b', 'a/b/c']."""
    if group is None:
        return []
    parts = group.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
