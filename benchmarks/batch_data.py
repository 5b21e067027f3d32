"""A seeded table of SYNTHETIC departments for ``indicators/hunan-department-overall.yaml``, at any size.

The rows are made up, like ``examples/synthetic`` (no name, figure or judgment describes a real department),
and follow the model of ``scripts/generate_synthetic_units.py`` vectorised with numpy, simplified where the
per-cohort rules make no sense for a million rows: each row draws an overall quality (bell-shaped, the bottom
7% halved), four noisy traits (discipline, execution, governance, delivery) and 0–5 named weaknesses (more
for weaker rows), and derives every input from them at the magnitudes of the seed case. The cohort-level
guarantees of the script (stratified ranks, each key weakness at least twice) are dropped; the mix is kept:
about 20% of rows have no construction at all (楼堂馆所面积控制率 and 投资概算控制率 not applicable), 15% more
no 楼堂馆所, 70% (the non-ecological kinds of department) mark 生态效益 not applicable, and 2% made no budget
adjustment at all (the 预算控制率 band "equals 0"). Judged rows carry a tier, points (one decimal) inside it
and a reason.

Columns, all text: ``unit``; one per input of the set, by its name (numbers with the places the YAML
examples use — 2 for money, areas and percentages, none for counts and approved areas; booleans
``true``/``false``; empty where the row's indicator is not applicable); ``<id>.tier``, ``<id>.points`` and
``<id>.reason`` per judged indicator (empty when not applicable); ``<id>.na`` (``true`` or empty) for the
three indicators a row may mark not applicable.

Determinism: rows are drawn in fixed chunks of :data:`CHUNK_ROWS`, chunk ``k`` from
``numpy.random.default_rng([seed, k])`` and always drawn in full, so row ``i`` is the same whatever ``count``
(the first 200 rows of a million-row table are the 200-row table). Text is rendered by pyarrow when it is
installed and by numpy otherwise (the same strings, about ten times slower).

    python benchmarks/batch_data.py --rows 1000000 --out /tmp/units.csv [--seed 2019]
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import sys
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

try:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv
except ImportError:  # the project's test extra has numpy but not pyarrow
    pa = None

HERE = Path(__file__).resolve().parent
if str(HERE.parent / "scripts") not in sys.path:
    sys.path.insert(0, str(HERE.parent / "scripts"))

import generate_synthetic_units as synthetic  # noqa: E402

#: The set these rows are made for (and that benchmarks/hunan_numpy.py hard-codes).
SET_PATH = HERE.parent / "indicators" / "hunan-department-overall.yaml"
DEFAULT_SEED = 2019
#: Rows drawn per generator; fixed, so that a row does not depend on how many rows are asked for.
CHUNK_ROWS = 1 << 16

#: A column of text: a pyarrow string array, or a numpy unicode array when pyarrow is missing.
Column = Any

#: Every input of the set, in the set's order, with the decimal places of its text (None: a boolean).
INPUTS: dict[str, int | None] = {
    "staff_in_post": 0,
    "staff_quota": 0,
    "sangong_actual": 2,
    "sangong_prior": 2,
    "sangong_budget": 2,
    "basic_budget_initial": 2,
    "basic_budget_added": 2,
    "basic_spent": 2,
    "project_budget_initial": 2,
    "project_budget_added": 2,
    "project_spent": 2,
    "prior_carryover": 2,
    "building_area_actual": 2,
    "building_area_approved": 0,
    "investment_actual": 2,
    "investment_approved": 2,
    "has_budget_rules": None,
    "has_finance_rules": None,
    "has_project_rules": None,
    "has_special_fund_rules": None,
    "has_internal_control_review": None,
    "disclosed": None,
    "disclosed_as_required": None,
    "has_asset_rules": None,
    "has_asset_purchase_approval": None,
    "has_asset_income_rules": None,
    "fixed_assets_in_use": 2,
    "fixed_assets_total": 2,
    "tasks_planned": 0,
    "tasks_done": 0,
    "tasks_on_time": 0,
    "tasks_up_to_standard": 0,
    "key_tasks_assigned": 0,
    "key_tasks_done": 0,
    "satisfaction": 2,
}
#: Judged indicators and their weights (every one has the tiers 好 ≥ 0.8, 中 ≥ 0.6, 差 ≥ 0 of the weight).
JUDGED = synthetic.JUDGED_WEIGHTS
TIERS = tuple(label for label, _ in synthetic.TIERS)
#: Indicators a row may mark not applicable (the set gives each full marks), and the inputs they drop.
NOT_APPLICABLE = {
    "building_area_control": ("building_area_actual", "building_area_approved"),
    "investment_estimate_control": ("investment_actual", "investment_approved"),
    "ecological_benefit": (),
}
COLUMNS: tuple[str, ...] = (
    "unit",
    *INPUTS,
    *(f"{row}.{part}" for row in JUDGED for part in ("tier", "points", "reason")),
    *(f"{row}.na" for row in NOT_APPLICABLE),
)

WEAKNESSES = synthetic.WEAKNESSES
_ECOLOGICAL = np.array([eco for _, eco, _ in synthetic.DEPARTMENTS])
_INTENSITY = np.array([intensity for _, _, intensity in synthetic.DEPARTMENTS])
#: Standard-normal quantiles of the script's rank thresholds (0.07, 0.25, 0.4, 0.8): quality is 0.65 + 0.18·z,
#: so a rank below a threshold is z below its quantile.
_Z07, _Z25, _Z40, _Z80 = -1.475791, -0.674490, -0.253347, 0.841621


# --- text, through pyarrow when it is there -------------------------------------------------------------


def _decimal_text(scaled: np.ndarray, places: int) -> Column:
    """Integers counting 10^-places as decimal text with exactly ``places`` decimals ("-0.05", "12")."""
    scaled = np.ascontiguousarray(scaled, dtype=np.int64)
    if pa is not None:
        if not places:
            return pa.array(scaled).cast(pa.string())
        # the same integers read as a decimal array, cast to text (decimal64 is pyarrow 18+, and faster)
        if hasattr(pa, "decimal64"):
            decimal, buffer = pa.decimal64(18, places), pa.py_buffer(scaled)
        else:
            words = np.empty((len(scaled), 2), np.int64)
            words[:, 0], words[:, 1] = scaled, scaled >> 63  # the high word of a decimal128: the sign
            decimal, buffer = pa.decimal128(18, places), pa.py_buffer(words)
        return pa.Array.from_buffers(decimal, len(scaled), [None, buffer]).cast(pa.string())
    magnitude = np.abs(scaled)
    text = (magnitude // 10**places).astype(np.str_)
    if places:
        fraction = np.char.zfill((magnitude % 10**places).astype(np.str_), places)
        text = np.char.add(np.char.add(text, "."), fraction)
    return np.where(scaled < 0, np.char.add("-", text), text)


def _choose(index: np.ndarray, labels: Sequence[str]) -> Column:
    """``labels[index[i]]`` for every row."""
    if pa is not None:
        indices = pa.array(np.asarray(index, dtype=np.int32))
        return pa.DictionaryArray.from_arrays(indices, pa.array(labels, pa.string())).dictionary_decode()
    return np.array(labels)[index]


def _where(mask: np.ndarray, yes: Column | str, no: Column | str) -> Column:
    if pa is not None:
        return pc.if_else(pa.array(mask), yes, no)
    return np.where(mask, yes, no)


def _join(*parts: Column | str) -> Column:
    if pa is not None:
        return pc.binary_join_element_wise(*parts, "")
    return functools.reduce(np.char.add, parts)


def _zfill(column: Column, width: int) -> Column:
    if pa is not None:
        return pc.utf8_lpad(column, width, "0")
    return np.char.zfill(column, width)


def _to_list(column: Column) -> list[str]:
    return column.to_pylist() if pa is not None else column.tolist()


# --- the model --------------------------------------------------------------------------------------------


def _cents(value: np.ndarray) -> np.ndarray:
    """An amount as whole counts of 0.01, never below zero."""
    return np.maximum(np.rint(value * 100), 0).astype(np.int64)


def _chunk(seed: int, index: int, rows: int = CHUNK_ROWS) -> dict[str, Column]:
    """The first ``rows`` rows of chunk ``index`` of the stream of ``seed`` (rows ``index·CHUNK_ROWS`` on), as
    text columns. The whole chunk is drawn, so a row is the same whatever ``rows``; only ``rows`` are
    rendered as text (the costly part)."""
    n = CHUNK_ROWS
    rng = np.random.default_rng([seed, index])
    uniform, normal = rng.uniform, rng.normal

    # latent traits (the script's, with the rank read off the normal draw instead of stratified)
    z = rng.standard_normal(n)
    quality = np.clip(0.65 + 0.18 * z, 0.02, 1.0)
    quality = np.where(z < _Z07, quality / 2, quality)
    discipline, execution, governance, delivery = np.clip(quality + normal(0, 0.12, (4, n)), 0.0, 1.0)
    draw = rng.random(n)
    count = np.select(
        [z >= _Z80, z >= _Z40, z >= _Z25, z >= _Z07],
        [
            np.where(draw < 0.25, 1, 0),
            np.where(draw < 0.25, 0, np.where(draw < 0.9, 1, 2)),
            np.where(draw < 0.5, 1, 2),
            np.where(draw < 0.5, 2, 3),
        ],
        5,
    )
    keys = rng.random((n, len(WEAKNESSES)))  # a sample of `count` weaknesses: the smallest keys
    kth = np.take_along_axis(np.sort(keys, axis=1), np.maximum(count - 1, 0)[:, None], axis=1)
    weak = dict(zip(WEAKNESSES, ((keys <= kth) & (count[:, None] > 0)).T, strict=True))
    kind = rng.integers(0, len(synthetic.DEPARTMENTS), n)
    ecological, intensity = _ECOLOGICAL[kind], _INTENSITY[kind]
    site = rng.random(n)
    has_investment, has_building = site >= 0.2, site >= 0.35
    construction = weak["construction"] & has_investment

    v: dict[str, np.ndarray] = {}
    # 投入: staff quota and 三公经费
    quota = np.clip(np.rint(np.exp(normal(np.log(260), 0.65, n))), 40, 1200).astype(np.int64)
    staff_rate = np.where(
        weak["staff"], 100 + uniform(1.5, 12, n), np.minimum(100, 100 - normal(2 + 10 * discipline, 3))
    )
    in_post = quota * staff_rate / 100
    v["staff_in_post"] = np.where(staff_rate > 100, np.ceil(in_post), np.rint(in_post)).astype(np.int64)
    v["staff_quota"] = quota
    prior = _cents(quota * uniform(0.55, 1.35, n))
    change = np.where(weak["sangong"], uniform(2, 13, n), normal(-1.5 - 10 * discipline, 3))
    actual = _cents(prior / 100 * (1 + change / 100))
    v["sangong_actual"], v["sangong_prior"] = actual, prior
    v["sangong_budget"] = _cents(np.maximum(prior, actual) / 100 * uniform(0.97, 1.3, n))

    # 过程/预算执行: budgets, adjustments (a net cut is all 基本支出), spending
    basic_initial = _cents(quota * uniform(26, 44, n))
    project_initial = _cents(basic_initial / 100 * intensity * np.exp(normal(-0.6, 0.45, n)))
    adjustment_rate = np.where(
        weak["adjustment"], uniform(24, 55, n), np.maximum(-3, normal(27 - 24 * discipline, 6))
    )
    adjustment_rate = np.where(rng.random(n) < 0.02, 0.0, adjustment_rate)
    adjustment = np.rint((basic_initial + project_initial) * adjustment_rate / 100).astype(np.int64)
    basic_added = np.where(
        adjustment < 0, adjustment, np.rint(adjustment * uniform(0.2, 0.5, n)).astype(np.int64)
    )
    carryover = _cents(project_initial / 100 * uniform(0.05, 0.35, n))
    project_added = carryover + adjustment - basic_added
    basic_total, project_total = basic_initial + basic_added, project_initial + project_added
    completion = np.where(
        weak["completion"], uniform(80, 94, n), np.minimum(99.6, normal(91 + 9 * execution, 2.5))
    )
    basic_spent = _cents(basic_total / 100 * uniform(0.975, 1.004, n))
    spent_total = _cents((basic_total + project_total) / 100 * completion / 100)
    project_spent = np.minimum(np.maximum(spent_total - basic_spent, project_total * 3 // 10), project_total)
    v |= {
        "basic_budget_initial": basic_initial,
        "basic_budget_added": basic_added,
        "basic_spent": basic_spent,
        "project_budget_initial": project_initial,
        "project_budget_added": project_added,
        "project_spent": project_spent,
        "prior_carryover": carryover,
    }

    # construction: mostly within the approval, overruns for the weakness and now and then without it
    area_approved = np.rint(uniform(3000, 26000, n)).astype(np.int64)
    area_rate = np.where(construction, uniform(101, 110, n), np.minimum(100, normal(98.5, 1.5, n)))
    slip = ~construction & (rng.random(n) < 0.25 * (1 - discipline))
    area_rate = np.where(slip, uniform(100.2, 103.5, n), area_rate)
    v["building_area_actual"] = _cents(area_approved * area_rate / 100)
    v["building_area_approved"] = area_approved
    investment_approved = _cents(uniform(800, 12000, n))
    investment_rate = np.where(construction, uniform(101, 114, n), np.minimum(100, normal(97, 2.5, n)))
    slip = ~construction & (rng.random(n) < 0.3 * (1 - discipline))
    investment_rate = np.where(slip, uniform(100.2, 104, n), investment_rate)
    v["investment_actual"] = _cents(investment_approved / 100 * investment_rate / 100)
    v["investment_approved"] = investment_approved

    # 预算管理 and 资产管理: rules and disclosure missing more often under weak governance
    def has(base_missing: float) -> np.ndarray:
        return rng.random(n) >= base_missing * (1.2 - governance)

    for name, base in (
        ("has_budget_rules", 0.05),
        ("has_finance_rules", 0.05),
        ("has_project_rules", 0.25),
        ("has_special_fund_rules", 0.35),
        ("has_internal_control_review", 0.7),
    ):
        v[name] = has(base)
    v["disclosed"] = has(0.04)
    v["disclosed_as_required"] = v["disclosed"] & has(0.45)
    for name, base in (
        ("has_asset_rules", 0.1),
        ("has_asset_purchase_approval", 0.15),
        ("has_asset_income_rules", 0.5),
    ):
        v[name] = has(base)
    assets_total = _cents(quota * uniform(15, 60, n))
    utilization = np.where(
        weak["assets"], uniform(62, 86, n), np.minimum(99.8, normal(88 + 10 * governance, 3))
    )
    v["fixed_assets_in_use"] = _cents(assets_total / 100 * utilization / 100)
    v["fixed_assets_total"] = assets_total

    # 产出: tasks (at least one done, so that 质量达标率 has a denominator)
    late_weak = weak["delivery"]
    planned = rng.integers(18, 65, n)
    undone = np.clip(np.rint(normal((1 - delivery) * 3 + 3 * late_weak, 1)), 0, planned - 1).astype(np.int64)
    done = planned - undone
    late = np.maximum(0, np.rint(normal((1 - delivery) * 0.08 * planned + 0.1 * planned * late_weak, 1)))
    substandard = np.maximum(0, np.rint(normal((1 - delivery) * 0.06 * done, 0.8)))
    assigned = rng.integers(5, 19, n)
    key_undone = np.maximum(0, np.rint(normal((1 - delivery) * 1.6 + 1.5 * late_weak, 0.7)))
    v |= {
        "tasks_planned": planned,
        "tasks_done": done,
        "tasks_on_time": np.maximum(0, done - late).astype(np.int64),
        "tasks_up_to_standard": np.maximum(0, done - substandard).astype(np.int64),
        "key_tasks_assigned": assigned,
        "key_tasks_done": np.maximum(0, assigned - key_undone).astype(np.int64),
    }
    # 效果
    v["satisfaction"] = _cents(np.minimum(99.5, normal(82 + 14 * delivery, 3)))

    # judged rows: a share of the weight → points (one decimal, at least 5% of the weight) → its tier
    cases = np.maximum(0, np.rint(normal(4.5 * (1 - governance) - 0.5, 1))).astype(np.int64)
    cases += np.where(weak["compliance"], rng.integers(4, 8, n), 0)
    shares = {
        "funds_compliance": 1 - 0.055 * cases - uniform(0, 0.04, n),
        "basic_information": 0.5 + 0.45 * governance + normal(0, 0.06, n),
        "asset_safety": 0.5 + 0.45 * governance + normal(0, 0.06, n) - 0.1 * weak["assets"],
        "economic_benefit": 0.55 + 0.42 * delivery + normal(0, 0.07, n),
        "social_benefit": 0.55 + 0.42 * delivery + normal(0, 0.06, n),
        "ecological_benefit": 0.6 + 0.38 * delivery + normal(0, 0.07, n),
    }
    picks = rng.random((len(shares), n))  # which reason of the tier's
    issue = rng.integers(0, len(synthetic.COMPLIANCE_ISSUES), n)

    # render the first `rows` rows only
    v = {name: value[:rows] for name, value in v.items()}
    shares = {row: share[:rows] for row, share in shares.items()}
    picks, issue, cases = picks[:, :rows], issue[:rows], cases[:rows]
    na = {
        "building_area_control": ~has_building[:rows],
        "investment_estimate_control": ~has_investment[:rows],
        "ecological_benefit": ~ecological[:rows],
    }
    numbers = _zfill(_decimal_text(np.arange(index * n + 1, index * n + rows + 1), 0), 6)
    columns: dict[str, Column] = {"unit": _join("示例部门", numbers, "（虚构）")}
    for name, places in INPUTS.items():
        value = v[name]
        columns[name] = _where(value, "true", "false") if places is None else _decimal_text(value, places)
    for row, dropped in NOT_APPLICABLE.items():
        for name in dropped:
            columns[name] = _where(na[row], "", columns[name])
    for k, (row, share) in enumerate(shares.items()):
        weight = JUDGED[row]
        tenths = np.rint(np.clip(share, 0.05, 1.0) * weight * 10).astype(np.int64)
        tier = np.where(tenths >= 8 * weight, 0, np.where(tenths >= 6 * weight, 1, 2))
        if row == "funds_compliance":
            action = _choose(np.where(tier == 0, 0, 1), ("已整改", "需整改"))
            found = _join(
                "抽查发现",
                _decimal_text(cases, 0),
                "项不合规事项，如",
                _choose(issue, synthetic.COMPLIANCE_ISSUES),
                "；",
                action,
                "。",
            )
            reason = _where(cases == 0, "抽查会计凭证及专项资金拨付，未发现不合规事项。", found)
        else:
            options = [synthetic.REASONS[row][label] for label in TIERS]
            offsets = np.cumsum([0, *(len(o) for o in options)])[:-1]
            sizes = np.array([len(o) for o in options])
            pick = offsets[tier] + (picks[k] * sizes[tier]).astype(np.int64)
            reason = _choose(pick, [text for o in options for text in o])
        texts = {"tier": _choose(tier, TIERS), "points": _decimal_text(tenths, 1), "reason": reason}
        for part, text in texts.items():
            column = text
            if row in NOT_APPLICABLE:
                column = _where(na[row], "", text)
            columns[f"{row}.{part}"] = column
    for row, mask in na.items():
        columns[f"{row}.na"] = _where(mask, "true", "")
    return {name: columns[name] for name in COLUMNS}


# --- the API ----------------------------------------------------------------------------------------------


def iter_chunks(count: int, seed: int = DEFAULT_SEED) -> Iterator[dict[str, Column]]:
    """The first ``count`` rows of the stream of ``seed``, in chunks of at most :data:`CHUNK_ROWS` rows.

    Chunks are drawn on a few threads (numpy and pyarrow release the GIL), at most one ahead per thread.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    chunks = -(-count // CHUNK_ROWS)
    workers = max(1, min(os.cpu_count() or 1, 4, chunks))

    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[dict[str, Column]]] = deque()
        for index in range(chunks):
            rows = min(CHUNK_ROWS, count - index * CHUNK_ROWS)
            pending.append(pool.submit(_chunk, seed, index, rows))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def generate_columns(count: int, seed: int = DEFAULT_SEED) -> dict[str, Column]:
    """All ``count`` rows as one text column per name: pyarrow chunked arrays (one chunk per
    :data:`CHUNK_ROWS`, not copied together), or numpy arrays without pyarrow."""
    pieces: dict[str, list[Column]] = {name: [] for name in COLUMNS}
    for chunk in iter_chunks(count, seed):
        for name, column in chunk.items():
            pieces[name].append(column)
    if pa is not None:
        return {name: pa.chunked_array(columns, pa.string()) for name, columns in pieces.items()}
    return {
        name: np.concatenate(columns) if columns else np.array([], str) for name, columns in pieces.items()
    }


def generate_rows(count: int, seed: int = DEFAULT_SEED) -> dict[str, list[str]]:
    """All ``count`` rows as Python lists of text (for small counts: a million rows would need gigabytes)."""
    return {name: _to_list(column) for name, column in generate_columns(count, seed).items()}


def write_csv(path: str | Path, count: int, seed: int = DEFAULT_SEED) -> None:
    """``count`` rows as a UTF-8 CSV with a header line, written chunk by chunk (memory stays bounded)."""
    path = Path(path)
    if pa is not None:
        schema = pa.schema([(name, pa.string()) for name in COLUMNS])
        with pa_csv.CSVWriter(path, schema) as writer:
            for chunk in iter_chunks(count, seed):
                writer.write_table(pa.table(chunk, schema=schema))
        if not count:  # CSVWriter writes the header with the first batch
            path.write_text(",".join(f'"{name}"' for name in COLUMNS) + "\n", encoding="utf-8")
        return
    with path.open("w", encoding="utf-8", newline="") as file:
        writer_ = csv.writer(file, lineterminator="\n")
        writer_.writerow(COLUMNS)
        for chunk in iter_chunks(count, seed):
            writer_.writerows(zip(*(chunk[name].tolist() for name in COLUMNS), strict=True))


def _cell(column: Any, i: int) -> str:
    value = column[i]
    if hasattr(value, "as_py"):  # a pyarrow scalar
        value = value.as_py()
    return "" if value is None else str(value)


def row_mapping(columns: Mapping[str, Any], i: int) -> dict[str, Any]:
    """Row ``i`` as a unit mapping for :func:`scoring.evaluate`: numbers as :class:`~decimal.Decimal` of their
    text, booleans as ``bool``, empty cells left out, judged rows as ``{tier, points, reason}``."""
    values: dict[str, Any] = {}
    for name, places in INPUTS.items():
        text = _cell(columns[name], i)
        if text:
            values[name] = (text == "true") if places is None else Decimal(text)
    not_applicable = [row for row in NOT_APPLICABLE if _cell(columns[f"{row}.na"], i) == "true"]
    judgments = {
        row: {
            "tier": _cell(columns[f"{row}.tier"], i),
            "points": Decimal(_cell(columns[f"{row}.points"], i)),
            "reason": _cell(columns[f"{row}.reason"], i),
        }
        for row in JUDGED
        if row not in not_applicable
    }
    return {
        "unit": _cell(columns["unit"], i),
        "values": values,
        "not_applicable": not_applicable,
        "judgments": judgments,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True, help="number of rows")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.rows < 0:
        parser.error("--rows must not be negative")
    start = time.perf_counter()
    write_csv(args.out, args.rows, args.seed)
    elapsed = time.perf_counter() - start
    size = args.out.stat().st_size / 1e6
    print(
        f"wrote {args.rows} synthetic rows to {args.out} ({size:.1f} MB) in {elapsed:.1f} s (seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
