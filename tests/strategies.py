"""Hypothesis strategies: valid ``scoring/1`` indicator sets and unit data that fit them.

A *plan* is the set as a plain mapping (what a user writes in YAML) plus what the generator knows about
each indicator — which input its formula grows with, the interesting values of its rule (limits, band
bounds, targets), and a value that earns full marks — so tests can build data that moves an indicator in
a chosen direction or gives it full marks. Numbers are :class:`~decimal.Decimal` with a few places and
are written to YAML as their plain text, which the loader reads back exactly.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import strategies as st

from scoring.numbers import decimal_places

KINDS = ("deduct", "bands", "ratio", "linear", "met", "cases", "checklist", "judgment")
#: Rule kinds that score the value of the indicator's formula (met: its number conditions, at_least/at_most).
VALUE_KINDS = ("deduct", "bands", "ratio", "linear", "met")
POLICIES = ("full", "rescale", "zero")
MODES = ("half_up", "half_even", "down", "up")
GROUP_PATHS = (None, "A", "A/x", "A/y", "B", "B/z/w", "效果/满意度")
STEP = Decimal("0.01")


def decimals(low: int, high: int, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Decimals from ``low`` to ``high`` with at most ``places`` decimals, written with exactly that many."""
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: Decimal(n).scaleb(-places))


def share_of(weight: Decimal, low: int = 0) -> st.SearchStrategy[Decimal]:
    """Points between ``low``/20 of ``weight`` and the whole weight, in twentieths (exact decimals)."""
    return st.integers(low, 20).map(lambda n: weight * n / 20)


@dataclass
class IndicatorPlan:
    id: str
    kind: str
    weight: Decimal
    spec: dict[str, Any]
    #: Number input the formula's value grows with (strictly increasing), if the indicator has a formula.
    value_input: str | None = None
    #: Input value that makes the formula give a wanted value.
    to_input: Callable[[Decimal], Decimal] = lambda v: v
    #: Formula value that earns full marks, when the generator knows one.
    full_value: Decimal | None = None
    #: Boolean inputs (checklist items), in file order.
    flags: tuple[str, ...] = ()
    #: (label, min_share) of a judgment rule, highest first.
    tiers: tuple[tuple[str, Decimal], ...] = ()
    #: Interesting values of the formula's value (rule parameters) for rules that score a value.
    marks: list[Decimal] = field(default_factory=list)
    #: Interesting values per input name: rule parameters mapped to the input, with near neighbours.
    landmarks: dict[str, list[Decimal]] = field(default_factory=dict)


@dataclass
class SetPlan:
    spec: dict[str, Any]
    indicators: list[IndicatorPlan]

    @property
    def total(self) -> Decimal:
        return self.spec["total"]

    def indicator(self, indicator_id: str) -> IndicatorPlan:
        return next(i for i in self.indicators if i.id == indicator_id)

    def policy(self, indicator_id: str) -> str:
        return self.indicator(indicator_id).spec.get("not_applicable") or self.spec["not_applicable"]

    def counted(self, indicator_id: str, not_applicable: Sequence[str]) -> bool:
        """Whether the row counts toward the total (not a rescaled N/A row)."""
        return indicator_id not in not_applicable or self.policy(indicator_id) != "rescale"

    def text(self) -> str:
        return to_yaml(self.spec)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when present: faster
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def to_yaml(data: Any) -> str:
    """YAML text; decimals are written as their plain text (the loader reads them back exactly)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


# --- rules -------------------------------------------------------------------------------------------


def _band_spec(low: Decimal | None, low_closed: bool, high: Decimal | None, high_closed: bool) -> dict:
    band: dict[str, Any] = {}
    if low is not None:
        band["from" if low_closed else "above"] = low
    if high is not None:
        band["upto" if high_closed else "below"] = high
    return band


def _point_inside(band: dict) -> Decimal:
    if "equals" in band:
        return band["equals"]
    low = band.get("from", band.get("above"))
    high = band.get("upto", band.get("below"))
    if low is None:
        return high if "upto" in band else high - 1
    if high is None:
        return low if "from" in band else low + 1
    return low if "from" in band else (low + high) / 2


@st.composite
def bands_rule(draw, weight: Decimal) -> tuple[dict, list[Decimal], Decimal | None]:
    """Bands that partition the number line (or part of it, with ``otherwise``); no two overlap."""
    cuts = sorted(draw(st.sets(decimals(-100, 200, 1), min_size=1, max_size=4)))
    # Each cut belongs to the band on its left, on its right, or to its own 'equals' band.
    owners = [draw(st.sampled_from(["left", "right", "alone"])) for _ in cuts]
    bands: list[dict] = []
    low: Decimal | None = None
    low_closed = False
    for cut, owner in zip(cuts, owners, strict=True):
        bands.append(_band_spec(low, low_closed, cut, owner == "left"))
        if owner == "alone":
            bands.append({"equals": cut})
        low, low_closed = cut, owner == "right"
    bands.append(_band_spec(low, low_closed, None, False))
    shape = draw(st.sampled_from(["increasing", "decreasing", "any"]))
    points = [draw(share_of(weight)) for _ in bands]
    if shape != "any":
        points.sort(reverse=shape == "decreasing")
    for band, p in zip(bands, points, strict=True):
        band["points"] = p
    rule: dict[str, Any] = {}
    if draw(st.booleans()):
        keep = draw(st.lists(st.booleans(), min_size=len(bands), max_size=len(bands)))
        kept = [band for band, k in zip(bands, keep, strict=True) if k] or bands[:1]
        rule["bands"] = kept
        rule["otherwise"] = draw(share_of(weight))
    else:
        rule["bands"] = bands
    full = next((_point_inside(b) for b in rule["bands"] if b["points"] == weight), None)
    if draw(st.booleans()):
        rule["bands"][0]["label"] = "第一档"
    return rule, list(cuts), full


@st.composite
def deduct_rule(draw, weight: Decimal) -> tuple[dict, list[Decimal], Decimal | None]:
    """A deduct rule: one limit (over or under), two (under and over), or a target with a tolerance."""
    limit = draw(decimals(-50, 150, 1))
    side = draw(st.sampled_from(["over", "under", "both", "target"]))
    per = draw(st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal(1), Decimal(2), Decimal(5)]))
    limits: dict[str, Decimal] = {}
    if side in ("over", "under"):
        limits[side] = limit
        lower, upper = (limit, None) if side == "under" else (None, limit)
    elif side == "both":
        upper = limit + draw(decimals(0, 20, 1))  # as wide as 0: one value gets full marks
        limits.update(under=limit, over=upper)
        lower = limit
    else:
        limits["target"] = limit
        tolerance = draw(st.one_of(st.none(), decimals(0, 5, 1)))
        if tolerance is not None:
            limits["tolerance"] = tolerance
        lower, upper = limit - (tolerance or 0), limit + (tolerance or 0)
    spec = {
        **limits,
        "per": per,
        "points": draw(share_of(weight, low=1)),
        "steps": draw(st.sampled_from(["whole", "started", "exact"])),
    }
    marks = [upper + per * k for k in range(4)] if upper is not None else []
    marks += [lower - per * k for k in range(4)] if lower is not None else []
    return {"deduct": spec}, marks, lower if lower is not None else upper


@st.composite
def value_rule(draw, kind: str, weight: Decimal) -> tuple[dict, list[Decimal], Decimal | None]:
    """A rule scoring a value: the rule mapping, its interesting values, a value earning full marks."""
    if kind == "deduct":
        return draw(deduct_rule(weight))
    if kind == "met":
        bound = draw(decimals(-50, 150, 1))
        condition = draw(st.sampled_from(["at_least", "at_most"]))
        otherwise = weight * draw(st.integers(0, 19)) / 20  # below the weight
        return {"met": {condition: bound, "otherwise": otherwise}}, [bound], bound
    if kind == "bands":
        return draw(bands_rule(weight))
    if kind == "ratio":
        target = draw(decimals(1, 150, 1))
        spec = {"target": target}
        if draw(st.booleans()):
            spec["lower_better"] = draw(st.booleans())
        return {"ratio": spec}, [target, Decimal(0)], target
    assert kind == "linear"
    zero_at, full_at = draw(st.lists(decimals(-50, 150, 1), min_size=2, max_size=2, unique=True))
    return {"linear": {"zero_at": zero_at, "full_at": full_at}}, [zero_at, full_at], full_at


def _neighbours(values: Sequence[Decimal]) -> list[Decimal]:
    return sorted({v + d for v in values for d in (-STEP, Decimal(0), STEP)})


@st.composite
def indicator_plans(
    draw, index: int, places: int, kinds: Sequence[str], policies: Sequence[str | None]
) -> tuple[IndicatorPlan, dict[str, dict], dict[str, str]]:
    """One indicator with the inputs and derived names it alone uses."""
    kind = draw(st.sampled_from(kinds))
    weight = Decimal(draw(st.integers(10**places, 20 * 10**places))).scaleb(-places)
    iid = f"ind{index}"
    spec: dict[str, Any] = {"id": iid, "label": f"指标 {index}", "weight": weight}
    group = draw(st.sampled_from(GROUP_PATHS))
    if group is not None:
        spec["group"] = group
    plan = IndicatorPlan(iid, kind, weight, spec)
    inputs: dict[str, dict] = {}
    derived: dict[str, str] = {}

    def add_formula() -> None:
        x = f"x{index}"
        inputs[x] = draw(st.sampled_from([{}, {"label": f"输入 {index}"}, {"unit": "%", "type": "number"}]))
        shift = draw(decimals(-20, 20, 1))
        how = draw(st.sampled_from(["plain", "derived", "halved"]))
        if how == "plain":
            spec["formula"] = x
        elif how == "derived":
            derived[f"d{index}"] = f"{x} + ({shift})"
            spec["formula"] = f"d{index}"
            plan.to_input = lambda v: v - shift
        else:
            spec["formula"] = f"({x} - ({shift})) / 2"
            plan.to_input = lambda v: v * 2 + shift
        plan.value_input = x

    if kind in VALUE_KINDS:
        add_formula()
        rule, marks, plan.full_value = draw(value_rule(kind, weight))
        assert plan.value_input is not None
        plan.marks = _neighbours(marks)
        plan.landmarks[plan.value_input] = _neighbours([plan.to_input(m) for m in marks])
    elif kind == "cases":
        y = f"y{index}"
        inputs[y] = {}
        thresholds = sorted(draw(st.sets(decimals(-50, 150, 0), min_size=1, max_size=3)))
        plan.landmarks[y] = _neighbours(thresholds)
        with_value = draw(st.booleans())
        if with_value:
            add_formula()
            assert plan.value_input is not None
            plan.landmarks[plan.value_input] = _neighbours(thresholds)
        subject = "value" if with_value else y
        cases = []
        for t in thresholds:
            op = draw(st.sampled_from(["<", "<=", "==", ">", ">=", "!="]))
            when = f"{subject} {op} {t}"
            if draw(st.booleans()):
                when = f"{when} and {y} >= {thresholds[0]} or not {y} < 0"
            cases.append({"when": when, "points": draw(share_of(weight))})
        rule = {"cases": cases, "otherwise": draw(share_of(weight))}
    elif kind == "checklist":
        units = int(weight.scaleb(places))
        count = min(draw(st.integers(1, 4)), units)
        cuts = (
            sorted(draw(st.sets(st.integers(1, units - 1), min_size=count - 1, max_size=count - 1)))
            if count > 1
            else []
        )
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, units], strict=True)]
        plan.flags = tuple(f"b{index}_{j}" for j in range(count))
        for flag in plan.flags:
            inputs[flag] = {"type": "boolean"}
        items = [
            {"input": flag, "points": Decimal(part).scaleb(-places)}
            for flag, part in zip(plan.flags, parts, strict=True)
        ]
        rule = {"checklist": items}
    else:
        assert kind == "judgment"
        shares = sorted(
            draw(st.sets(st.sampled_from(["0.9", "0.8", "0.75", "0.6", "0.5", "0.2"]), max_size=3)),
            key=Decimal,
            reverse=True,
        )
        labels = ["好", "较好", "中", "差"]
        plan.tiers = tuple((labels[i], Decimal(s)) for i, s in enumerate([*shares, "0"][: len(shares) + 1]))
        rule = {"judgment": {"tiers": [{"label": label, "min_share": s} for label, s in plan.tiers]}}
    spec["rule"] = rule
    policy = draw(st.sampled_from(policies))
    if policy is not None:
        spec["not_applicable"] = policy
    return plan, inputs, derived


@st.composite
def set_plans(
    draw,
    kinds: Sequence[str] = KINDS,
    set_policies: Sequence[str] = POLICIES,
    indicator_policies: Sequence[str | None] = (None, None, *POLICIES),
    max_indicators: int = 7,
) -> SetPlan:
    """A valid indicator set: weights add up to the total, every rule's points lie within its weight."""
    places = draw(st.integers(0, 3))
    rounding = {
        "places": places,
        "total_places": 0,  # drawn below: at least the total's own decimals, as the loader requires
        "mode": draw(st.sampled_from(MODES)),
    }
    count = draw(st.integers(1, max_indicators))
    indicators: list[IndicatorPlan] = []
    inputs: dict[str, dict] = {}
    derived: dict[str, str] = {}
    for index in range(count):
        plan, more_inputs, more_derived = draw(indicator_plans(index, places, kinds, indicator_policies))
        indicators.append(plan)
        inputs.update(more_inputs)
        derived.update(more_derived)
    total = sum((i.weight for i in indicators), Decimal(0))
    rounding["total_places"] = draw(st.integers(decimal_places(total), 3))
    tenths = sorted(draw(st.sets(st.integers(1, 1000), max_size=3)), reverse=True)
    grades = [{"label": f"G{n}", "min": total * n / 1000} for n in tenths]
    grades.append({"label": "G0", "min": Decimal(0)})
    groups: dict[str, dict] = {}
    for i in indicators:
        path = i.spec.get("group")
        if path is None:
            continue
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix not in groups and draw(st.booleans()):
                members = [j.weight for j in indicators if (j.spec.get("group") or "").startswith(prefix)]
                # Prefix matches are exact here: no path in GROUP_PATHS is a text prefix of another level.
                groups[prefix] = {"label": f"组 {prefix}", "weight": sum(members, Decimal(0))}
    spec: dict[str, Any] = {
        "format": "scoring/1",
        "id": "generated-set",
        "title": "生成的指标体系",
        "version": "1",
        "total": total,
        "rounding": rounding,
        "grades": grades,
        "not_applicable": draw(st.sampled_from(set_policies)),
        "inputs": inputs,
    }
    if derived:
        spec["derived"] = derived
    if groups:
        spec["groups"] = groups
    spec["indicators"] = [i.spec for i in indicators]
    return SetPlan(spec, indicators)


# --- unit data ---------------------------------------------------------------------------------------


def number_near(landmarks: Sequence[Decimal]) -> st.SearchStrategy[Decimal]:
    """A value: often one of the rule's interesting values (or a hair off it), otherwise anything."""
    anything = decimals(-200, 300, 2)
    if not landmarks:
        return anything
    return st.one_of(st.sampled_from(list(landmarks)), anything)


@st.composite
def awards(draw, plan: IndicatorPlan) -> dict[str, Any]:
    """A judgment inside one of the indicator's tiers."""
    index = draw(st.integers(0, len(plan.tiers) - 1))
    label, low_share = plan.tiers[index]
    high_share = Decimal(1) if index == 0 else plan.tiers[index - 1][1]
    low, high = low_share * plan.weight, high_share * plan.weight
    points = low + (high - low) * draw(st.integers(0, 20)) / 20
    return {"tier": label, "points": points, "reason": "评价人员判断"}


@st.composite
def unit_data(draw, plan: SetPlan, not_applicable: bool = True, overrides: bool = True) -> dict[str, Any]:
    """Unit data for ``plan`` as a mapping (the unit-data format): values, N/A, judgments, overrides."""
    values: dict[str, Any] = {}
    landmarks: dict[str, list[Decimal]] = {}
    for i in plan.indicators:
        landmarks.update(i.landmarks)
    for name, declared in plan.spec["inputs"].items():
        if declared.get("type") == "boolean":
            values[name] = draw(st.booleans())
        else:
            value = draw(number_near(landmarks.get(name, [])))
            if value == value.to_integral_value() and draw(st.booleans()):
                value = int(value)  # an embedding tool may pass ints
            values[name] = value
    ids = [i.id for i in plan.indicators]
    na = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))) if not_applicable else []
    rest = [i for i in ids if i not in na]
    overridden = draw(st.lists(st.sampled_from(rest), unique=True, max_size=2)) if overrides and rest else []
    data: dict[str, Any] = {"unit": "生成的单位", "period": "2024", "values": values}
    if na:
        data["not_applicable"] = na
    judgments = {
        i.id: draw(awards(i))
        for i in plan.indicators
        if i.kind == "judgment" and i.id not in na and i.id not in overridden
    }
    if judgments:
        data["judgments"] = judgments
    if overridden:
        data["overrides"] = {
            iid: {"points": draw(share_of(plan.indicator(iid).weight)), "reason": "评价人员更正"}
            for iid in overridden
        }
    return data


def full_marks(plan: SetPlan, not_applicable: Sequence[str] = ()) -> dict[str, Any]:
    """Unit data giving every applicable indicator its whole weight.

    Values are chosen so the rule itself gives full marks where the generator knows such a value; cases
    rules, and bands rules without a full-mark band, get an override of the whole weight instead.
    """
    values: dict[str, Any] = {}
    for name, declared in plan.spec["inputs"].items():
        values[name] = True if declared.get("type") == "boolean" else Decimal(0)
    judgments: dict[str, Any] = {}
    overrides: dict[str, Any] = {}
    for i in plan.indicators:
        if i.id in not_applicable:
            continue
        if i.kind == "judgment":
            judgments[i.id] = {"tier": i.tiers[0][0], "points": i.weight, "reason": "满分"}
        elif i.full_value is not None and i.value_input is not None:
            values[i.value_input] = i.to_input(i.full_value)
        elif i.kind != "checklist":
            overrides[i.id] = {"points": i.weight, "reason": "满分"}
    data: dict[str, Any] = {"values": values, "not_applicable": list(not_applicable)}
    if judgments:
        data["judgments"] = judgments
    if overrides:
        data["overrides"] = overrides
    return data


def shuffled(plan: SetPlan, permute: Callable[[list], list]) -> dict[str, Any]:
    """The set mapping with indicators, inputs, derived names, groups, bands and checklist items reordered.

    ``permute`` returns a permutation of the list it is given. Grades (highest first) and cases (first
    match wins) keep their order: their order has meaning.
    """
    spec = copy.deepcopy(plan.spec)
    for key in ("inputs", "derived", "groups"):
        if key in spec:
            spec[key] = dict(permute(list(spec[key].items())))
    spec["indicators"] = permute(spec["indicators"])
    for item in spec["indicators"]:
        rule = item["rule"]
        if "bands" in rule:
            rule["bands"] = permute(rule["bands"])
        if "checklist" in rule:
            rule["checklist"] = permute(rule["checklist"])
    return spec
