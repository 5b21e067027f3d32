"""A hand-written, exact numpy scorer of ``indicators/hunan-department-overall.yaml`` — the batch baseline.

Every constant of the set is written out here (that is the point of a hand-written baseline); if the set
changes, this file is wrong until it is changed too, and ``tests/test_batch_data.py`` says so.

Exactness: inputs are parsed once (:func:`prepare`) into int64 counts of 10^-2 (money, areas, the
satisfaction percentage) or of 1 (the integer inputs), judged points into counts of 0.01. :func:`score`
then uses integers only: a formula ``a / b * 100`` compared with a bound ``c`` becomes ``100·a ≥ c·b``
(``b > 0``), whole steps become floor divisions, and a ratio rule's share of the weight is rounded half-up
to the set's 2 places as ``(2·num + den) // (2·den)``. Rows come out as int64 counts of 0.01 points,
subtotals likewise, the total as int64 counts of 0.1 (``total_places: 1``, half-up) and grades as indices
into :data:`GRADES`. Nothing is a float, so nothing lands on the wrong side of a band edge or of a
half-way point; floats do (issue: "plain float64 rounded half-up gets 2% of totals wrong").

Bounds: exact while every scaled input is below 10^15 in magnitude (the largest product is 800 × an input);
:func:`prepare` refuses larger ones, rows the engine refuses (a zero denominator, a negative count, judged
points outside their tier) and rows these formulas do not cover although the engine would score them (a
negative budget), naming the first such row.

    from hunan_numpy import prepare, score      # benchmarks/ on sys.path
    results = score(prepare(columns))           # columns: name → texts (list, numpy or pyarrow array)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

try:
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # parsing falls back to numpy string functions (slower, same results)
    pa = None

#: Places of rows and subtotals, and of the total (the set's rounding: {places: 2, total_places: 1, half_up}).
PLACES, TOTAL_PLACES = 2, 1
#: Grade labels by index, and each one's minimum (a total ≥ 90 is 优; groups are graded on their share).
GRADES = ("优", "良", "中", "差")
GRADE_MINIMUMS = (90, 80, 60, 0)

#: Inputs and the power of ten their texts are counted in (None: a boolean).
INPUTS: dict[str, int | None] = {
    **dict.fromkeys(("staff_in_post", "staff_quota"), 0),
    **dict.fromkeys(
        (
            "sangong_actual",
            "sangong_prior",
            "sangong_budget",
            "basic_budget_initial",
            "basic_budget_added",
            "basic_spent",
            "project_budget_initial",
            "project_budget_added",
            "project_spent",
            "prior_carryover",
            "building_area_actual",
            "building_area_approved",
            "investment_actual",
            "investment_approved",
        ),
        2,
    ),
    **dict.fromkeys(
        (
            "has_budget_rules",
            "has_finance_rules",
            "has_project_rules",
            "has_special_fund_rules",
            "has_internal_control_review",
            "disclosed",
            "disclosed_as_required",
            "has_asset_rules",
            "has_asset_purchase_approval",
            "has_asset_income_rules",
        )
    ),
    **dict.fromkeys(("fixed_assets_in_use", "fixed_assets_total"), 2),
    **dict.fromkeys(
        (
            "tasks_planned",
            "tasks_done",
            "tasks_on_time",
            "tasks_up_to_standard",
            "key_tasks_assigned",
            "key_tasks_done",
        ),
        0,
    ),
    "satisfaction": 2,
}
#: Inputs the set declares ``min: 0`` (``staff_quota`` has ``min: 1``; the two ``*_added`` may be negative).
NON_NEGATIVE = tuple(
    name
    for name in INPUTS
    if INPUTS[name] is not None and not name.endswith("_added") and name != "staff_quota"
)

#: Indicators in the set's order: id → (leaf group, weight).
INDICATORS: dict[str, tuple[str, int]] = {
    "staff_control_rate": ("投入/预算配置", 5),
    "sangong_change_rate": ("投入/预算配置", 8),
    "budget_completion_rate": ("过程/预算执行", 5),
    "budget_control_rate": ("过程/预算执行", 5),
    "building_area_control": ("过程/预算执行", 5),
    "investment_estimate_control": ("过程/预算执行", 5),
    "budget_management_rules": ("过程/预算管理", 5),
    "funds_compliance": ("过程/预算管理", 8),
    "disclosure": ("过程/预算管理", 5),
    "basic_information": ("过程/预算管理", 7),
    "asset_management_rules": ("过程/资产管理", 6),
    "asset_safety": ("过程/资产管理", 5),
    "fixed_asset_utilization": ("过程/资产管理", 5),
    "completion_rate": ("产出/职责履行", 4),
    "timeliness_rate": ("产出/职责履行", 3),
    "quality_rate": ("产出/职责履行", 3),
    "key_task_completion": ("产出/职责履行", 4),
    "economic_benefit": ("效果/履职效益", 2),
    "social_benefit": ("效果/履职效益", 5),
    "ecological_benefit": ("效果/履职效益", 1),
    "satisfaction_rate": ("效果/履职效益", 4),
}
#: Judged indicators; every one has the tiers 好 [0.8, 1], 中 [0.6, 0.8], 差 [0, 0.6] of its weight.
JUDGED = (
    "funds_compliance",
    "basic_information",
    "asset_safety",
    "economic_benefit",
    "social_benefit",
    "ecological_benefit",
)
TIERS = ("好", "中", "差")
TIER_SHARES = ((8, 10), (6, 8), (0, 6))  # (min, max) share of the weight in tenths, both ends allowed
#: Indicators a row may mark not applicable (policy full: the weight), and the inputs they then leave out.
NOT_APPLICABLE = {
    "building_area_control": ("building_area_actual", "building_area_approved"),
    "investment_estimate_control": ("investment_actual", "investment_approved"),
    "ecological_benefit": (),
}


def _groups() -> dict[str, tuple[int, tuple[str, ...]]]:
    groups: dict[str, tuple[int, tuple[str, ...]]] = {}
    for row, (leaf, weight) in INDICATORS.items():
        for path in (leaf.split("/")[0], leaf):
            total, members = groups.get(path, (0, ()))
            groups[path] = (total + weight, (*members, row))
    return groups


#: Every group, parents before their children as the engine lists them → (weight, member indicators).
GROUPS = _groups()
#: Scaled inputs must stay below this (× 800 at most, in int64).
LIMIT = 10**15

Prepared = dict[str, np.ndarray]
Results = dict[str, np.ndarray]


# --- parsing ------------------------------------------------------------------------------------------------


class _Texts:
    """One column of text, with its empty cells (null or "") found once."""

    def __init__(self, column: Any) -> None:
        if pa is not None:
            if isinstance(column, pa.ChunkedArray):
                column = column.combine_chunks()
            self.arrow = column if isinstance(column, pa.Array) else pa.array(column, pa.string())
            self.empty = pc.fill_null(pc.equal(self.arrow, ""), True).to_numpy(zero_copy_only=False)
        else:
            self.text = np.asarray(column, dtype=np.str_)
            self.empty = self.text == ""

    def scaled(self, power: int, name: str) -> np.ndarray:
        """The numbers as int64 counts of 10^-power; an empty cell is 0. Refuses text with more decimals."""
        if pa is not None:
            text = pc.if_else(pa.array(self.empty), "0", self.arrow) if self.empty.any() else self.arrow
            # cast to a decimal type of this scale (which refuses more places), then read its integer words:
            # a decimal64 is the int64 itself, a decimal128 two little-endian words, the low one the int64
            wide = not hasattr(pa, "decimal64")  # decimal64 is pyarrow 18+
            try:
                if not power:  # an integer cast is four times faster
                    return text.cast(pa.int64()).to_numpy()
                decimals = text.cast((pa.decimal128 if wide else pa.decimal64)(18, power))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise ValueError(f"{name}: not a number with at most {power} decimals: {exc}") from None
            words = np.frombuffer(decimals.buffers()[1], dtype=np.int64)
            step, start = (2, 2 * decimals.offset) if wide else (1, decimals.offset)
            return words[start : start + step * len(decimals) : step]
        text = np.where(self.empty, "0", self.text)
        negative = np.char.startswith(text, "-")
        whole, _, fraction = np.char.partition(np.char.lstrip(text, "-+"), ".").T
        if (np.char.str_len(fraction) > power).any():
            raise ValueError(f"{name}: a number with more than {power} decimals")
        try:
            magnitude = whole.astype(np.int64) * 10**power
            if power:
                magnitude += np.char.ljust(fraction, power, "0").astype(np.int64)
        except ValueError as exc:
            raise ValueError(f"{name}: not a number: {exc}") from None
        return np.where(negative, -magnitude, magnitude)

    def equals(self, text: str) -> np.ndarray:
        if pa is not None:
            return pc.fill_null(pc.equal(self.arrow, text), False).to_numpy(zero_copy_only=False)
        return self.text == text


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def prepare(columns: Mapping[str, Any]) -> Prepared:
    """The texts of a batch as the arrays :func:`score` needs: each input scaled to int64 (booleans as
    bool), ``<id>.na`` as bool, ``<id>.tier`` as an index into :data:`TIERS`, ``<id>.points`` as counts of
    0.01. Raises ValueError naming the first row that cannot be scored (see the module's docstring)."""
    prepared: Prepared = {}
    na = {row: _Texts(columns[f"{row}.na"]).equals("true") for row in NOT_APPLICABLE}
    for row, mask in na.items():
        prepared[f"{row}.na"] = mask
    never = np.zeros(len(mask), bool)  # the N/A mark of inputs and rows that cannot be N/A
    optional = {name: na[row] for row, names in NOT_APPLICABLE.items() for name in names}
    for name, power in INPUTS.items():
        texts = _Texts(columns[name])
        needed = ~optional.get(name, never)
        if (texts.empty & needed).any():
            raise ValueError(f"row {_first(texts.empty & needed)}: {name} is empty")
        if power is None:
            truth = texts.equals("true")
            if (~truth & ~texts.equals("false") & needed).any():
                raise ValueError(
                    f"row {_first(~truth & ~texts.equals('false') & needed)}: {name} is not true/false"
                )
            prepared[name] = truth
        else:
            prepared[name] = texts.scaled(power, name)
    for row in JUDGED:
        weight = INDICATORS[row][1]
        needed = ~na.get(row, never)
        tier_texts, points_texts = _Texts(columns[f"{row}.tier"]), _Texts(columns[f"{row}.points"])
        tier = np.full(len(needed), -1, np.int64)  # -1: no tier
        for index, label in enumerate(TIERS):
            tier[tier_texts.equals(label)] = index
        points = points_texts.scaled(PLACES, f"{row}.points")
        low = np.array([lo for lo, _ in TIER_SHARES])[tier] * weight * 10  # share tenths → counts of 0.01
        high = np.array([hi for _, hi in TIER_SHARES])[tier] * weight * 10
        wrong = needed & ((tier < 0) | (points < low) | (points > high))
        if wrong.any():
            raise ValueError(f"row {_first(wrong)}: {row} has no tier or points outside it")
        prepared[f"{row}.tier"], prepared[f"{row}.points"] = tier, points

    p = prepared
    checks = {
        "staff_quota below 1": p["staff_quota"] < 1,
        "a negative amount or count": np.logical_or.reduce([p[name] < 0 for name in NON_NEGATIVE]),
        "satisfaction above 100": p["satisfaction"] > 100_00,
        "sangong_prior is 0": p["sangong_prior"] == 0,
        "budget_total is not above 0 (the engine scores a negative one; this scorer does not)": (
            _budget_total(p) <= 0
        ),
        "the initial budget is 0": p["basic_budget_initial"] + p["project_budget_initial"] == 0,
        "building_area_approved is 0": ~na["building_area_control"] & (p["building_area_approved"] == 0),
        "investment_approved is 0": ~na["investment_estimate_control"] & (p["investment_approved"] == 0),
        "fixed_assets_total is 0": p["fixed_assets_total"] == 0,
        "tasks_planned is 0": p["tasks_planned"] == 0,
        "tasks_done is 0": p["tasks_done"] == 0,
        "an input of 10^15 or more in its scaled units": np.logical_or.reduce(
            [np.abs(p[name]) >= LIMIT for name, power in INPUTS.items() if power is not None]
        ),
    }
    for problem, mask in checks.items():
        if mask.any():
            raise ValueError(f"row {_first(mask)}: {problem}")
    return prepared


def _budget_total(p: Prepared) -> np.ndarray:
    """budget_total = (basic_budget_initial + basic_budget_added) + (project_budget_initial + project_budget_added)."""
    return (
        p["basic_budget_initial"]
        + p["basic_budget_added"]
        + p["project_budget_initial"]
        + p["project_budget_added"]
    )


# --- scoring ------------------------------------------------------------------------------------------------


def _over_whole(actual: np.ndarray, limit: np.ndarray, points: int, weight: int) -> np.ndarray:
    """deduct {over: 100, per: 1, steps: whole} on actual / limit * 100 (limit > 0): the whole percentage
    points above 100 are floor(100·actual / limit) − 100; ``points`` (counts of 0.01) off for each."""
    steps = np.maximum((100 * actual) // limit - 100, 0)
    return np.maximum(weight - points * steps, 0)


def score(p: Prepared) -> Results:
    """Every row's points, every group's subtotal and grade, the total and the grade, for every row at once.

    Keys: each indicator id → int64 counts of 0.01 points; each group path → int64 counts of 0.01;
    ``"<path>.grade"`` and ``"grade"`` → int8 index into :data:`GRADES`; ``"total"`` → int64 counts of 0.1.
    """
    r: Results = {}
    na = {row: p[f"{row}.na"] for row in NOT_APPLICABLE}

    # 投入/预算配置
    # staff_control_rate = staff_in_post / staff_quota * 100; deduct over 100, per 1, 0.5, whole
    r["staff_control_rate"] = _over_whole(p["staff_in_post"], p["staff_quota"], 50, 500)
    # sangong_change_rate = (actual − prior) / prior * 100; deduct over 0, per 1, 0.8, whole:
    # steps = floor(100·(actual − prior) / prior) when positive
    prior = p["sangong_prior"]
    steps = np.maximum((100 * (p["sangong_actual"] - prior)) // prior, 0)
    r["sangong_change_rate"] = np.maximum(800 - 80 * steps, 0)

    # 过程/预算执行
    # budget_completion_rate = spent_total / budget_total * 100; deduct under 100, per 5, 2, whole:
    # steps = floor((100 − x) / 5) = floor(20·(budget − spent) / budget) when positive
    budget = _budget_total(p)
    spent = p["basic_spent"] + p["project_spent"]
    steps = np.maximum((20 * (budget - spent)) // budget, 0)
    r["budget_completion_rate"] = np.maximum(500 - 200 * steps, 0)
    # budget_control_rate = adjustment / initial * 100; bands =0 → 5, (0,10] → 4, (10,20] → 3, (20,30] → 2,
    # >30 → 0, otherwise (a net cut) 5.  x ≤ c  ⇔  100·adjustment ≤ c·initial (initial > 0)
    adjustment = p["basic_budget_added"] + p["project_budget_added"] - p["prior_carryover"]
    initial = p["basic_budget_initial"] + p["project_budget_initial"]
    r["budget_control_rate"] = np.select(
        [adjustment <= 0, 100 * adjustment <= 10 * initial, 100 * adjustment <= 20 * initial],
        [500, 400, 300],
        np.where(100 * adjustment <= 30 * initial, 200, 0),
    )
    # building_area_control, investment_estimate_control: actual / approved * 100, as staff; N/A: full (5)
    for row, actual, approved in (
        ("building_area_control", "building_area_actual", "building_area_approved"),
        ("investment_estimate_control", "investment_actual", "investment_approved"),
    ):
        limit = np.where(
            na[row], 1, p[approved]
        )  # an N/A row's empty inputs are 0: keep the division defined
        r[row] = np.where(na[row], 500, _over_whole(p[actual], limit, 50, 500))

    # 过程/预算管理
    r["budget_management_rules"] = 100 * (
        p["has_budget_rules"].astype(np.int64)
        + p["has_finance_rules"]
        + p["has_project_rules"]
        + p["has_special_fund_rules"]
        + p["has_internal_control_review"]
    )
    r["funds_compliance"] = p["funds_compliance.points"]
    r["disclosure"] = np.where(
        p["disclosed"] & p["disclosed_as_required"], 500, np.where(p["disclosed"], 300, 0)
    )
    r["basic_information"] = p["basic_information.points"]

    # 过程/资产管理
    r["asset_management_rules"] = 200 * (
        p["has_asset_rules"].astype(np.int64) + p["has_asset_purchase_approval"] + p["has_asset_income_rules"]
    )
    r["asset_safety"] = p["asset_safety.points"]
    # fixed_asset_utilization = in_use / total * 100; bands from 90 → 5, [80,90) → 4, [70,80) → 3, [60,70) → 2
    in_use, total = 100 * p["fixed_assets_in_use"], p["fixed_assets_total"]
    r["fixed_asset_utilization"] = np.select(
        [in_use >= 90 * total, in_use >= 80 * total, in_use >= 70 * total, in_use >= 60 * total],
        [500, 400, 300, 200],
        0,
    )

    # 产出/职责履行
    planned, done = p["tasks_planned"], p["tasks_done"]
    # completion_rate = done / planned * 100; ratio target 100, weight 4: min(done / planned, 1) · 400
    # counts of 0.01, half-up: floor(400·done / planned + 1/2) = (800·done + planned) // (2·planned)
    r["completion_rate"] = np.where(done >= planned, 400, (800 * done + planned) // (2 * planned))
    # timeliness_rate = on_time / planned * 100; bands from 95 → 3, [90,95) → 2, [80,90) → 1
    on_time = 100 * p["tasks_on_time"]
    r["timeliness_rate"] = np.select(
        [on_time >= 95 * planned, on_time >= 90 * planned, on_time >= 80 * planned], [300, 200, 100], 0
    )
    # quality_rate = up_to_standard / done * 100; ratio target 100, weight 3, as completion_rate
    good = p["tasks_up_to_standard"]
    r["quality_rate"] = np.where(good >= done, 300, (600 * good + done) // (2 * done))
    # key_task_completion = assigned − done (integers); deduct over 0, per 1, 1 point, whole
    missing = np.maximum(p["key_tasks_assigned"] - p["key_tasks_done"], 0)
    r["key_task_completion"] = np.maximum(400 - 100 * missing, 0)

    # 效果/履职效益
    r["economic_benefit"] = p["economic_benefit.points"]
    r["social_benefit"] = p["social_benefit.points"]
    r["ecological_benefit"] = np.where(na["ecological_benefit"], 100, p["ecological_benefit.points"])
    # satisfaction_rate = satisfaction (counts of 0.01%); bands from 90 → 4, 80 → 3, 70 → 2, 60 → 1
    s = p["satisfaction"]
    r["satisfaction_rate"] = np.select(
        [s >= 90_00, s >= 80_00, s >= 70_00, s >= 60_00], [400, 300, 200, 100], 0
    )

    # subtotals: sums of the rounded rows, graded on points / weight ≥ min / 100  ⇔  counts ≥ min · weight
    results: Results = {row: r[row] for row in INDICATORS}
    for path, (weight, members) in GROUPS.items():
        subtotal = np.sum([r[row] for row in members], axis=0)
        results[path] = subtotal
        results[f"{path}.grade"] = _grade(subtotal, weight)
    row_sum = np.sum([r[row] for row in INDICATORS], axis=0)
    results["total"] = (row_sum + 5) // 10  # counts of 0.01 → 0.1, half-up (the sum is never negative)
    results["grade"] = _grade(results["total"] * 10, 100)
    return results


def _grade(counts: np.ndarray, weight: int) -> np.ndarray:
    """Grade index of points (counts of 0.01) out of ``weight``: the first band with counts ≥ min · weight."""
    grade = np.full(counts.shape, len(GRADES) - 1, np.int8)
    for index in range(len(GRADES) - 2, -1, -1):
        grade[counts >= GRADE_MINIMUMS[index] * weight] = index
    return grade


def score_hunan(columns: Mapping[str, Any]) -> Results:
    """:func:`prepare` then :func:`score`: the whole batch from its texts."""
    return score(prepare(columns))
