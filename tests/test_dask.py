"""Scoring on a Dask cluster: two worker processes give what one machine gives, ranks over the whole table."""

from __future__ import annotations

from pathlib import Path

import pytest

import scoring

from .test_batch import HUNAN, as_table, synthetic_rows

dd = pytest.importorskip("dask.dataframe")
pandas = pytest.importorskip("pandas")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster_client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_a_cluster_of_two_workers_scores_as_one_machine(cluster_client) -> None:
    from scoring.dask import score_dataframe

    indicator_set = scoring.load_set(HUNAN)
    rows = synthetic_rows()
    rows[4]["staff_in_post"] = "87.70%"  # a failing row travels back with its problem
    frame = as_table(rows)[0].to_pandas()
    expected = scoring.score_frame(indicator_set, frame)
    ddf = dd.from_pandas(frame, npartitions=3)
    scored = score_dataframe(indicator_set, ddf).compute()
    assert len(scored) == len(rows) and scored.index.tolist() == list(range(len(rows)))
    assert set(cluster_client.run(lambda: 1)) and len(cluster_client.scheduler_info()["workers"]) == 2
    assert list(scored.columns) == list(expected.columns)
    for column in expected.columns:
        mine, theirs = scored[column].tolist(), expected[column].tolist()
        if column == "error":  # the location names the partition on the cluster
            assert [m is None for m in mine] == [t is None for t in theirs]
            assert "87.70" in mine[4] and mine[4].startswith("partition 0:row 5, column staff_in_post")
            continue
        assert [None if pandas.isna(v) else v for v in mine] == [
            None if pandas.isna(v) else v for v in theirs
        ], column


def test_batch_dask_option_scores_a_csv_on_the_cluster(cluster_client, tmp_path: Path) -> None:
    from scoring.cli.program import run as main

    source = tmp_path / "units.csv"
    as_table(synthetic_rows())[0].to_pandas().to_csv(source, index=False)
    out = tmp_path / "scores.csv"
    address = cluster_client.scheduler.address
    status = main(["batch", str(HUNAN), str(source), "-o", str(out), "--dask", address])
    assert status == 0
    single = tmp_path / "single.csv"
    assert main(["batch", str(HUNAN), str(source), "-o", str(single)]) == 0
    assert out.read_text(encoding="utf-8") == single.read_text(encoding="utf-8")
