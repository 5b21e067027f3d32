"""Scoring a table too large for one machine: the columnar evaluator run per partition on a Dask cluster.

:func:`score_dataframe` maps :func:`scoring.score_frame` over the partitions of a Dask DataFrame (the
``dask`` extra). Each worker receives the set as its YAML text (compiled formulas do not travel between
processes) and builds it once; a partition is scored exactly as on one machine, and the ranks, which need
every total, are computed in a second, small pass: the count of each distinct total is gathered (a few
thousand values at most), and each partition ranks its rows against it.

Without an id column, units are named by their row in the whole table (the frame's index + 1), and a
problem's location names the partition (``partition 3:row 7, column x``).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .errors import Problem, ScoringError, import_extra
from .model.indicator_set import IndicatorSet


def _dask() -> Any:
    message = "scoring on a Dask cluster needs dask[distributed] and pandas"
    return import_extra("dask.dataframe", "needs-dask", message, "dask")


def client(address: str) -> Any:
    """A client of the Dask cluster at ``address`` (``tcp://host:8786``), to use in a ``with`` block."""
    _dask()
    distributed: Any = importlib.import_module("distributed")
    return distributed.Client(address)


@lru_cache(maxsize=8)
def _set_from_text(text: str, digest: str) -> IndicatorSet:
    """The set, parsed once per worker process (keyed by its text's hash)."""
    from .model import parse_set

    return parse_set(text, f"<set {digest[:12]}>")


def _score_partition(
    frame: Any,
    text: str,
    digest: str,
    columns: Mapping[str, str] | None,
    id_column: str | None,
    partition_info: dict[str, Any] | None = None,
) -> Any:
    from .batch import score_frame

    indicator_set = _set_from_text(text, digest)
    number = partition_info["number"] if partition_info else 0
    if id_column is None and not any(h in frame.columns for h in ("unit", "单位", "单位名称")):
        frame = frame.assign(unit=[f"row {int(i) + 1}" for i in frame.index])
    scored = score_frame(
        indicator_set, frame, columns=columns, id_column=id_column, name=f"partition {number}"
    )
    scored.index = frame.index
    return scored.drop(columns=["rank"])


def score_dataframe(
    indicator_set: IndicatorSet,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    id_column: str | None = None,
) -> Any:
    """Score every row of a Dask DataFrame on its cluster: a Dask DataFrame of the wide scores
    (:func:`scoring.score_frame`'s columns, ranks over the whole table), computed lazily."""
    _dask()
    import pandas

    text = indicator_set.dump()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    sample = _score_partition(frame._meta, text, digest, columns, id_column)
    scored = frame.map_partitions(_score_partition, text, digest, columns, id_column, meta=sample)
    counts = scored["total"].dropna().value_counts().compute()
    totals = sorted(counts.index, reverse=True)
    above = {}
    seen = 0
    for total in totals:  # competition rank: 1 + how many totals are higher
        above[total] = seen + 1
        seen += int(counts[total])

    order = [*sample.columns[:5], "rank", *sample.columns[5:]]  # rank after grade, as score_frame has it

    def rank(part: Any) -> Any:
        return part.assign(rank=part["total"].map(above).astype("Int64"))[order]

    meta = sample.assign(rank=pandas.Series(dtype="Int64"))[order]
    return scored.map_partitions(rank, meta=meta)


def read_table(path: Any, *, encoding: str | None = None) -> Any:
    """A CSV or Parquet file as a Dask DataFrame of text cells, read by the cluster's workers."""
    from pathlib import Path

    dd = _dask()
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".tsv"):
        separator = "\t" if suffix == ".tsv" else ","
        return dd.read_csv(str(path), dtype=str, sep=separator, encoding=encoding or "utf-8-sig", keep_default_na=False, na_values=[""])  # fmt: skip
    if suffix in (".parquet", ".pq"):
        return dd.read_parquet(str(path))
    message = f"--dask reads CSV and Parquet tables, not '{Path(path).name}'"
    raise ScoringError(Problem("table-suffix", message, None, str(path), "save the sheet as CSV or Parquet"))
