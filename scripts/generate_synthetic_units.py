"""Generate SYNTHETIC department units for ``indicators/hunan-department-overall.yaml``.

The units are made up. No figure, name or judgment describes a real department: the generator draws a few
latent traits per unit and derives every input from them, so that the rows of one unit move together the way
they do in real evaluation reports (a department that overspends its staff quota tends to let 三公经费 grow
and to adjust its budget heavily). They exist to give weight tuning, effective weights, grade margins and the
Monte Carlo analysis a realistic cohort to work on (issue 5, "Many units").

Usage (from the repository root)::

    python scripts/generate_synthetic_units.py                 # --seed 2019 --count 24 --out examples/synthetic
    python scripts/generate_synthetic_units.py --seed 7 --count 40 --out /tmp/cohort

Output: ``dept-01.yaml`` … ``dept-NN.yaml`` in ``--out``; stale ``dept-*.yaml`` files from an earlier, larger
run that carry this generator's header are removed, so the directory always holds exactly one cohort. Each
file's ``set:`` is ``../../indicators/hunan-department-overall.yaml`` (right for ``examples/synthetic``); to
use another directory, pass the set explicitly (``scoring score --set ...``, ``load_cohort(paths, set)``).

Determinism: everything is drawn from one ``random.Random(seed)`` (never the global generator), in a fixed
order; every number is turned into a ``Decimal`` with a fixed number of decimals before it is written, and
the YAML is written by hand, so the same seed and count give byte-identical files. (``random``'s generator and
its ``random``/``gauss``/``sample``/``shuffle`` have been stable across CPython 3 releases; ``math.exp`` comes
from the platform's C library, which could in principle move a last digit across a rounding step on another
platform.) ``tests/test_synthetic.py`` checks that the shipped files are what the default seed produces.

The model
---------
Per unit (all traits in [0, 1], higher is better):

* ``quality`` — overall standing. A rank is stratified over the cohort (one draw in each 1/N slice, in
  shuffled order) so every cohort spreads from weak to strong instead of clustering by chance; quality is
  that rank through a normal quantile (mean 0.65, sd 0.18), so most units are fair to good and the tails are
  thin, and the bottom 7% (a department in real trouble) get half of it.
* ``discipline`` (budget discipline: staff quota, 三公经费, budget adjustments, construction overruns),
  ``execution`` (spending the budget on time), ``governance`` (rules, compliance, records, assets) and
  ``delivery`` (tasks, key tasks, benefits, satisfaction) — each ``quality`` plus Gaussian noise.
* ``weaknesses`` — named problems, more for weaker units (mostly 0–1 above the 40th percentile, 1–3 below,
  5 in the bottom 7%; each of staff, sangong, completion, compliance at least twice in a cohort of 12+): ``staff`` (over the staff quota), ``sangong``
  (三公经费 growing), ``completion`` (low budget completion), ``adjustment`` (heavy budget adjustment),
  ``construction`` (building/investment overruns; only with a construction project), ``compliance`` (many
  non-compliant spending cases), ``assets`` (idle fixed assets), ``delivery`` (tasks late or unfinished).
  Each named weakness pushes its rows clearly into deduction territory, whatever the unit's quality.
* Size: the staff quota is log-normal (about 40–1200); budgets, 三公经费 and fixed assets scale with it, at
  magnitudes like those of the seed case (examples/hunan-hrss-2019.yaml: 382 编制, 18 320 万元 基本支出,
  19 577 万元 项目支出, 301 万元 三公经费).

N/A: about 20% of units have no 基本建设 project at all (投资概算控制率 and 楼堂馆所面积控制率 both not
applicable) and about 15% more have construction but no 楼堂馆所 (面积控制率 not applicable); units whose
duties have nothing ecological mark 生态效益 not applicable, as the set allows (all three score full marks).
Judged rows get ``{tier, points, reason}`` with points (one decimal) inside the tier and a short reason that
states the finding behind them. Nothing is ``unknown``: every row is scored.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import NormalDist

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 2019
DEFAULT_COUNT = 24
DEFAULT_OUT = ROOT / "examples" / "synthetic"
SET_PATH = "../../indicators/hunan-department-overall.yaml"
SCRIPT = "scripts/generate_synthetic_units.py"
MARKER = "# SYNTHETIC DATA"
NORMAL = NormalDist()
FILE_PATTERN = re.compile(r"dept-\d+\.yaml")

WEAKNESSES = (
    "staff",
    "sangong",
    "completion",
    "adjustment",
    "construction",
    "compliance",
    "assets",
    "delivery",
)
WEAKNESS_LABELS = {
    "staff": "在职人员超编",
    "sangong": "“三公经费”增长",
    "completion": "预算完成率偏低",
    "adjustment": "预算调整幅度大",
    "construction": "建设项目超面积、超概算",
    "compliance": "资金使用不合规事项多",
    "assets": "固定资产闲置",
    "delivery": "工作任务完成不及时",
}
#: Weaknesses every cohort of at least 12 units shows at least twice (the ones the brief of issue 5 names).
KEY_WEAKNESSES = ("staff", "sangong", "completion", "compliance")

#: Fictitious departments of a fictitious province (示例省): (name, duties touch ecology, project intensity).
DEPARTMENTS: tuple[tuple[str, bool, float], ...] = (
    ("示例省教育发展厅", False, 1.6),
    ("示例省科技创新厅", False, 2.2),
    ("示例省工业和信息化厅", False, 1.4),
    ("示例省民族宗教事务委员会", False, 0.5),
    ("示例省民政服务厅", False, 1.8),
    ("示例省司法行政厅", False, 0.7),
    ("示例省人力资源服务厅", False, 1.2),
    ("示例省自然资源厅", True, 1.5),
    ("示例省生态环境厅", True, 1.9),
    ("示例省住房和城乡建设厅", True, 1.3),
    ("示例省交通运输厅", True, 2.5),
    ("示例省水利厅", True, 2.4),
    ("示例省农业农村厅", True, 2.1),
    ("示例省商务发展厅", False, 1.1),
    ("示例省文化和旅游厅", False, 1.0),
    ("示例省卫生健康委员会", False, 1.7),
    ("示例省退役军人事务厅", False, 0.9),
    ("示例省应急管理厅", False, 1.2),
    ("示例省审计厅", False, 0.4),
    ("示例省市场监督管理局", False, 0.8),
    ("示例省广播电视局", False, 0.7),
    ("示例省体育局", False, 0.9),
    ("示例省统计局", False, 0.5),
    ("示例省林业局", True, 2.0),
    ("示例省医疗保障局", False, 0.6),
    ("示例省地方金融监督管理局", False, 0.4),
    ("示例省粮食和物资储备局", False, 1.3),
    ("示例省机关事务管理局", False, 1.5),
    ("示例省乡村振兴局", True, 2.3),
    ("示例省信访局", False, 0.3),
)

COMPLIANCE_ISSUES = (
    "个别合同未注明签订日期",
    "少量资金串项目列支",
    "会议费超标准列支",
    "公务接待缺少公函",
    "差旅费报销超标准",
    "部分采购未执行政府采购程序",
    "专项资金以拨代支",
    "个别支出凭证附件不全",
    "超范围发放津补贴",
    "往来款长期挂账未清理",
)

REASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "basic_information": {
        "好": (
            "会计资料真实完整，项目库与资产台账齐全。",
            "基础数据与财务、业务系统数据一致，支出凭证齐全。",
        ),
        "中": ("项目库信息不完整，部分支出凭证附件缺失。", "业务数据分散在多个系统，统计口径不一。"),
        "差": ("基础数据缺失较多，项目库未建立，资产台账与账面不符。",),
    },
    "asset_safety": {
        "好": ("资产账实相符，处置均履行报批手续。", "年度盘点账实相符，出租收入及时上缴。"),
        "中": ("部分资产未及时入账，个别处置手续不全。", "个别资产出租未经审批，收入上缴不及时。"),
        "差": ("盘点发现账实不符，资产出租收入未上缴。",),
    },
    "economic_benefit": {
        "好": ("履职对行业发展的带动作用明显，有量化成效。", "主要经济指标完成年度目标。"),
        "中": ("经济效益有所体现，但缺少量化证据。", "部分经济指标未达年度目标。"),
        "差": ("经济效益不明显，主要指标未完成。",),
    },
    "social_benefit": {
        "好": ("主要民生指标完成年度目标，社会反响较好。", "重点民生实事按期完成，服务对象普遍认可。"),
        "中": ("部分民生指标未达年度目标。", "政策落实效果有待提高，群众反映问题整改较慢。"),
        "差": ("重点任务推进滞后，社会反映问题较多。",),
    },
    "ecological_benefit": {
        "好": ("生态保护与治理目标按期完成。", "履职中落实生态环保要求，成效明显。"),
        "中": ("部分生态治理任务进度滞后。",),
        "差": ("生态治理目标未完成。",),
    },
}

#: Judgment tiers of the set (all judged rows use the same shares): label, min_share.
TIERS = (("好", Decimal("0.8")), ("中", Decimal("0.6")), ("差", Decimal(0)))
JUDGED_WEIGHTS = {
    "funds_compliance": 8,
    "basic_information": 7,
    "asset_safety": 5,
    "economic_benefit": 2,
    "social_benefit": 5,
    "ecological_benefit": 1,
}


def dec(value: float, places: int = 2) -> Decimal:
    """A float as an exact decimal with ``places`` decimals (half-up), via its shortest repr."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def quant(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(value, low), high)


@dataclass
class Traits:
    quality: float
    discipline: float
    execution: float
    governance: float
    delivery: float
    weaknesses: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """What the cohort-level draws decided for one unit."""

    index: int
    name: str
    ecological: bool
    project_intensity: float
    traits: Traits
    has_investment: bool
    has_building: bool


def plan_cohort(rng: random.Random, count: int) -> list[Plan]:
    """Names, stratified quality, weaknesses and N/A marks for the whole cohort."""
    departments = rng.sample(DEPARTMENTS, min(count, len(DEPARTMENTS)))
    for i in range(len(departments), count):  # more units than names: numbered ones of a drawn kind
        _, eco, intensity = rng.choice(DEPARTMENTS)
        departments.append((f"示例厅局{i + 1:02d}", eco, intensity))
    slots = list(range(count))
    rng.shuffle(slots)
    ranks = [(slot + rng.random()) / count for slot in slots]  # stratified: one in each 1/N slice

    traits = []
    for rank in ranks:
        quality = clamp(0.65 + 0.18 * NORMAL.inv_cdf(rank), 0.02, 1.0)  # bell-shaped: most are fair to good
        if rank < 0.07:  # the bottom 7%: a department in real trouble
            quality /= 2
        noisy = [clamp(quality + rng.gauss(0, 0.12)) for _ in range(4)]
        draw = rng.random()
        if rank >= 0.8:
            k = 1 if draw < 0.25 else 0
        elif rank >= 0.4:
            k = 0 if draw < 0.25 else 1 if draw < 0.9 else 2
        elif rank >= 0.25:
            k = 1 if draw < 0.5 else 2
        elif rank >= 0.07:
            k = 2 if draw < 0.5 else 3
        else:
            k = 5
        traits.append(
            Traits(quality, *noisy, weaknesses=sorted(rng.sample(WEAKNESSES, k), key=WEAKNESSES.index))
        )

    no_investment = set(rng.sample(range(count), round(count * 0.2)))
    rest = [i for i in range(count) if i not in no_investment]
    no_building = no_investment | set(rng.sample(rest, min(len(rest), round(count * 0.15))))

    if count >= 12:  # make sure the weaknesses the tuning work is about each show up at least twice
        for weakness in KEY_WEAKNESSES:
            holders = [i for i in range(count) if weakness in traits[i].weaknesses]
            candidates = [
                i for i in range(count) if weakness not in traits[i].weaknesses and traits[i].quality < 0.8
            ]
            while len(holders) < 2 and candidates:
                chosen = rng.choice(candidates)
                candidates.remove(chosen)
                holders.append(chosen)
                traits[chosen].weaknesses = sorted(
                    [*traits[chosen].weaknesses, weakness], key=WEAKNESSES.index
                )

    plans = []
    for i, ((name, eco, intensity), trait) in enumerate(zip(departments, traits, strict=True)):
        if i in no_investment:  # no construction at all: nothing to overrun
            trait.weaknesses = [w for w in trait.weaknesses if w != "construction"]
        plans.append(Plan(i + 1, name, eco, intensity, trait, i not in no_investment, i not in no_building))
    return plans


def judged(weight: int, share: float) -> tuple[str, Decimal]:
    """Tier and points (one decimal, inside the tier) for a share of the weight."""
    points = dec(clamp(share, 0.05, 1.0) * weight, 1)
    for label, min_share in TIERS:
        if points >= min_share * weight:
            return label, points
    raise AssertionError("the last tier starts at 0")


def build_unit(rng: random.Random, plan: Plan) -> dict:
    """Every value, N/A mark and judgment of one unit."""
    t = plan.traits
    weak = set(t.weaknesses)
    values: dict[str, Decimal | bool | int] = {}

    # ---- 投入: staff quota and 三公经费
    quota = int(clamp(round(math.exp(rng.gauss(math.log(260), 0.65))), 40, 1200))
    if "staff" in weak:
        staff_rate = 100 + rng.uniform(1.5, 12)
    else:
        staff_rate = min(100.0, 100 - rng.gauss(2 + 10 * t.discipline, 3))
    in_post = quota * staff_rate / 100
    values["staff_in_post"] = math.ceil(in_post) if staff_rate > 100 else round(in_post)
    values["staff_quota"] = quota

    sangong_prior = dec(quota * rng.uniform(0.55, 1.35))
    change = rng.uniform(2, 13) if "sangong" in weak else rng.gauss(-1.5 - 10 * t.discipline, 3)
    sangong_actual = quant(sangong_prior * (1 + dec(change, 4) / 100))
    values["sangong_actual"] = sangong_actual
    values["sangong_prior"] = sangong_prior
    # the year's 三公 budget: usually above both years' spending (a unit with growing 三公 may overrun it)
    values["sangong_budget"] = quant(max(sangong_prior, sangong_actual) * dec(rng.uniform(0.97, 1.3), 4))

    # ---- 过程/预算执行: budgets, adjustments, spending
    basic_initial = dec(quota * rng.uniform(26, 44))
    project_initial = dec(float(basic_initial) * plan.project_intensity * math.exp(rng.gauss(-0.6, 0.45)))
    if "adjustment" in weak:
        adjustment_rate = rng.uniform(24, 55)
    else:
        adjustment_rate = max(-3.0, rng.gauss(27 - 24 * t.discipline, 6))
    adjustment = quant((basic_initial + project_initial) * dec(adjustment_rate, 4) / 100)
    # a net cut is all 基本支出; otherwise 20–50% of the adjustment is 基本支出, the rest 项目支出
    basic_added = adjustment if adjustment < 0 else quant(adjustment * dec(rng.uniform(0.2, 0.5), 4))
    carryover = quant(project_initial * dec(rng.uniform(0.05, 0.35), 4))
    project_added = carryover + adjustment - basic_added
    basic_total = basic_initial + basic_added
    project_total = project_initial + project_added

    if "completion" in weak:
        completion = rng.uniform(80, 94)
    else:
        completion = min(99.6, rng.gauss(91 + 9 * t.execution, 2.5))
    basic_spent = quant(basic_total * dec(rng.uniform(0.975, 1.004), 4))
    spent_total = quant((basic_total + project_total) * dec(completion, 4) / 100)
    project_spent = min(max(spent_total - basic_spent, quant(project_total * Decimal("0.3"))), project_total)
    values |= {
        "basic_budget_initial": basic_initial,
        "basic_budget_added": basic_added,
        "basic_spent": basic_spent,
        "project_budget_initial": project_initial,
        "project_budget_added": project_added,
        "project_spent": project_spent,
        "prior_carryover": carryover,
    }

    not_applicable = []
    if plan.has_building:
        approved = dec(rng.uniform(3000, 26000), 0)
        rate = rng.uniform(101, 110) if "construction" in weak else min(100.0, rng.gauss(98.5, 1.5))
        if rng.random() < 0.25 * (1 - t.discipline) and "construction" not in weak:
            rate = rng.uniform(100.2, 103.5)  # a little over: the odd overrun even without a named weakness
        values["building_area_actual"] = quant(approved * dec(rate, 4) / 100)
        values["building_area_approved"] = approved
    else:
        not_applicable.append("building_area_control")
    if plan.has_investment:
        approved = dec(rng.uniform(800, 12000))
        rate = rng.uniform(101, 114) if "construction" in weak else min(100.0, rng.gauss(97, 2.5))
        if rng.random() < 0.3 * (1 - t.discipline) and "construction" not in weak:
            rate = rng.uniform(100.2, 104)
        values["investment_actual"] = quant(approved * dec(rate, 4) / 100)
        values["investment_approved"] = approved
    else:
        not_applicable.append("investment_estimate_control")

    # ---- 过程/预算管理 and 资产管理: rules, disclosure, compliance, records, assets
    g = t.governance

    def has(base_missing: float) -> bool:
        return rng.random() >= base_missing * (1.2 - g)

    values |= {
        "has_budget_rules": has(0.05),
        "has_finance_rules": has(0.05),
        "has_project_rules": has(0.25),
        "has_special_fund_rules": has(0.35),
        "has_internal_control_review": has(0.7),
    }
    disclosed = has(0.04)
    values["disclosed"] = disclosed
    values["disclosed_as_required"] = disclosed and has(0.45)
    values |= {
        "has_asset_rules": has(0.1),
        "has_asset_purchase_approval": has(0.15),
        "has_asset_income_rules": has(0.5),
    }
    assets_total = dec(quota * rng.uniform(15, 60))
    utilization = rng.uniform(62, 86) if "assets" in weak else min(99.8, rng.gauss(88 + 10 * g, 3))
    values["fixed_assets_in_use"] = quant(assets_total * dec(utilization, 4) / 100)
    values["fixed_assets_total"] = assets_total

    # ---- 产出/职责履行: tasks
    p = t.delivery
    planned = rng.randint(18, 64)
    late_weak = "delivery" in weak
    undone = min(planned, max(0, round(rng.gauss((1 - p) * 3 + (3 if late_weak else 0), 1))))
    done = planned - undone
    late = max(0, round(rng.gauss((1 - p) * 0.08 * planned + (0.1 * planned if late_weak else 0), 1)))
    on_time = max(0, done - late)
    substandard = max(0, round(rng.gauss((1 - p) * 0.06 * done, 0.8)))
    assigned = rng.randint(5, 18)
    key_undone = max(0, round(rng.gauss((1 - p) * 1.6 + (1.5 if late_weak else 0), 0.7)))
    values |= {
        "tasks_planned": planned,
        "tasks_done": done,
        "tasks_on_time": on_time,
        "tasks_up_to_standard": max(0, done - substandard),
        "key_tasks_assigned": assigned,
        "key_tasks_done": max(0, assigned - key_undone),
    }

    # ---- 效果/履职效益
    values["satisfaction"] = dec(min(99.5, rng.gauss(82 + 14 * p, 3)))

    # ---- judged rows
    judgments: dict[str, tuple[str, Decimal, str]] = {}
    cases = max(0, round(rng.gauss(4.5 * (1 - g) - 0.5, 1)))
    if "compliance" in weak:
        cases += rng.randint(4, 7)
    tier, points = judged(8, 1 - 0.055 * cases - rng.uniform(0, 0.04))
    if cases == 0:
        reason = "抽查会计凭证及专项资金拨付，未发现不合规事项。"
    else:
        found = rng.sample(COMPLIANCE_ISSUES, min(cases, 3))
        more = "等" if cases > 3 else ""
        action = "已整改" if tier == "好" else "需整改"
        reason = f"抽查发现{cases}项不合规事项：{'、'.join(found)}{more}；{action}。"
    judgments["funds_compliance"] = (tier, points, reason)

    shares = {
        "basic_information": 0.5 + 0.45 * g + rng.gauss(0, 0.06),
        "asset_safety": 0.5 + 0.45 * g + rng.gauss(0, 0.06) - (0.1 if "assets" in weak else 0),
        "economic_benefit": 0.55 + 0.42 * p + rng.gauss(0, 0.07),
        "social_benefit": 0.55 + 0.42 * p + rng.gauss(0, 0.06),
        "ecological_benefit": 0.6 + 0.38 * p + rng.gauss(0, 0.07),
    }
    for row, share in shares.items():
        if row == "ecological_benefit" and not plan.ecological:
            not_applicable.append(row)
            continue
        tier, points = judged(JUDGED_WEIGHTS[row], share)
        judgments[row] = (tier, points, rng.choice(REASONS[row][tier]))

    return {"values": values, "not_applicable": not_applicable, "judgments": judgments}


def scalar(value: Decimal | bool | int | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def render(plan: Plan, unit: dict, seed: int, count: int) -> str:
    t = plan.traits
    weaknesses = "、".join(WEAKNESS_LABELS[w] for w in t.weaknesses) or "无"
    lines = [
        f"{MARKER} — a fictitious department with made-up figures; NOT real data about any department.",
        f"# Generated by {SCRIPT} --seed {seed} --count {count} (unit {plan.index} of {count}).",
        "# Do not edit by hand: change the script and re-run it (tests/test_synthetic.py checks the files match).",
        f"# Latent traits (0–1): quality {t.quality:.2f}, discipline {t.discipline:.2f}, "
        f"execution {t.execution:.2f}, governance {t.governance:.2f}, delivery {t.delivery:.2f}; "
        f"weaknesses: {', '.join(t.weaknesses) or 'none'}.",
        f"set: {SET_PATH}",
        f"unit: {scalar(plan.name + '（虚构）')}",
        'period: "2019"',
        "description: "
        + scalar(
            f"合成示例数据（虚构部门、虚构数字），供权重调整与敏感性分析使用，不代表任何真实部门。生成器设定的薄弱环节：{weaknesses}。"
        ),
        "values:",
    ]
    lines += [f"  {name}: {scalar(value)}" for name, value in unit["values"].items()]
    if unit["not_applicable"]:
        lines.append(f"not_applicable: [{', '.join(unit['not_applicable'])}]")
    lines.append("judgments:")
    for row, (tier, points, reason) in unit["judgments"].items():
        lines.append(f"  {row}: {{tier: {tier}, points: {points}, reason: {scalar(reason)}}}")
    return "\n".join(lines) + "\n"


def generate(seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT) -> dict[str, str]:
    """File name → text of every unit of the cohort."""
    if count < 1:
        raise ValueError("count must be at least 1")
    rng = random.Random(seed)
    plans = plan_cohort(rng, count)
    width = max(2, len(str(count)))
    return {
        f"dept-{plan.index:0{width}d}.yaml": render(plan, build_unit(rng, plan), seed, count)
        for plan in plans
    }


def write(files: dict[str, str], out: Path) -> list[Path]:
    """Write the files (UTF-8, LF) and remove stale generated ``dept-*.yaml`` files; return the removed ones."""
    out.mkdir(parents=True, exist_ok=True)
    removed = []
    for path in sorted(out.iterdir()):
        stale = FILE_PATTERN.fullmatch(path.name) and path.name not in files
        if stale and path.read_text(encoding="utf-8").startswith(MARKER):
            path.unlink()
            removed.append(path)
    for name, text in files.items():
        (out / name).write_bytes(text.encode("utf-8"))
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--count", type=int, default=DEFAULT_COUNT, help=f"number of units (default {DEFAULT_COUNT})"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default examples/synthetic)"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    files = generate(args.seed, args.count)
    removed = write(files, args.out)
    for path in removed:
        print(f"removed stale {path}", file=sys.stderr)
    print(f"wrote {len(files)} synthetic units to {args.out} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
