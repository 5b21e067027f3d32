"""Batch benchmark: a table of SYNTHETIC departments scored against the Hunan set, in memory and end to end.

Usage::

    python benchmarks/batch.py                 # 1,000,000 rows in memory, 1,000,000-row CSV, 100,000-row XLSX
    python benchmarks/batch.py --quick         # a smoke run (20,000 rows; about 15 s)
    python benchmarks/batch.py --strict        # exit 1 when a required ratio is not met

The rows come from ``benchmarks/batch_data.py`` (seeded, made like ``examples/synthetic``). What is timed,
best of a few rounds in this process (the machines are shared and noisy: read the ratios, not the times):

(a) ``scoring.score_frame`` on the rows already in memory as a polars DataFrame of text cells, as a sheet
    gives them — the columnar path: float lane, exact lane, the engine's Decimal for single points;
(b) ``benchmarks/hunan_numpy.py``: the same set written by hand in numpy, exact int64 arithmetic on the
    inputs scaled to their decimal places, reading the same text cells (``prepare``) and scoring (``score``);
(c) ``scoring.evaluate`` per row on 10,000 rows (each row's unit mapping made beforehand), extrapolated;
(d) GoRules ``zen-engine`` is not measured: its decision graphs have no exact decimal arithmetic with the
    set's rounding, so the same set cannot be written in it to agree on every point.

Before timing, (a) and (b) must agree on every indicator's points, every group subtotal, every total and
grade, and (a) with (c) on a sample of rows; any difference prints MISMATCH and exits 1.

Printed: a/b (required ≤ 3, aimed at ≤ 1.5) and c/a (required ≥ 100). End to end, ``scoring batch`` as a
child process on a CSV and an XLSX written beforehand: wall time and peak memory (required for the
1,000,000-row CSV: under 30 s and 2 GiB on a 2-core machine). Then ``tune``, ``weights``, ``sensitivity``
and ``margins`` (its default limit) over a 100,000-row CSV, each end to end (required: under 20 s and 2 GiB;
``margins`` under 60 s).
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import batch_data  # noqa: E402
import hunan_numpy  # noqa: E402

import scoring  # noqa: E402
from scoring.batch.output import decimals  # noqa: E402


def best(function: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    """The shortest of ``rounds`` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def compare(scored: Any, hand: dict[str, Any], indicator_set: scoring.IndicatorSet) -> list[str]:
    """Every column (a) gives against (b)'s integers written as the same decimal text."""
    import pyarrow.compute as pc

    table = scored.to_arrow()
    places, total_places = indicator_set.rounding.places, indicator_set.rounding.total_places
    problems = []
    checks = [(i.id, hand[i.id], places) for i in indicator_set.indicators]
    checks += [(g.path, hand[g.path], places) for g in indicator_set.groups]
    checks.append(("total", hand["total"], total_places))
    for name, counts, digits in checks:
        mine = table.column(name).combine_chunks()
        theirs = decimals(counts, digits)
        if not pc.all(pc.equal(mine, theirs)).as_py():
            problems.append(f"MISMATCH in column {name}")
    grades = [hunan_numpy.GRADES[g] for g in hand["grade"].tolist()]
    if table.column("grade").to_pylist() != grades:
        problems.append("MISMATCH in column grade")
    if pc.any(pc.not_equal(table.column("status"), "ok")).as_py():
        problems.append("MISMATCH: rows that did not score")
    return problems


def scalar_sample(
    columns: dict[str, Any], indicator_set: scoring.IndicatorSet, scored: Any, step: int
) -> list[str]:
    table = scored.to_arrow()
    totals = table.column("total").to_pylist()
    problems = []
    for i in range(0, len(totals), step):
        result = scoring.evaluate(indicator_set, batch_data.row_mapping(columns, i))
        if result.total != totals[i]:
            problems.append(f"MISMATCH row {i}: engine {result.total}, batch {totals[i]}")
    return problems


def end_to_end(arguments: list[str], command: str = "batch") -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of ``scoring COMMAND`` in a child process. The peak is the child's
    own high-water mark (``VmHWM`` in /proc, polled): ``getrusage`` would count the pages a child inherits
    from this large process before it execs."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "scoring", command, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    status = Path(f"/proc/{child.pid}/status")
    while child.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(
            f"MISMATCH: scoring batch failed: {child.stderr.read()[-2000:] if child.stderr else ''}"
        )
    return wall, peak / 1024


#: The analyses over a table, their options, and the time each is required to stay under (seconds).
ANALYSES = (
    ("tune", ["--weight", "过程/预算执行=25"], 20),
    ("weights", [], 20),
    ("sensitivity", ["--delta", "1"], 20),
    ("margins", [], 60),
)


def analyses(folder: Path, rows: int) -> None:
    """Each analysis over a CSV of ``rows`` units, end to end in a child process."""
    path = folder / "cohort.csv"
    batch_data.write_csv(path, rows)
    for command, options, required in ANALYSES:
        if command == "margins" and rows < 100_000:
            options = [*options, "--limit", "10"]  # a smoke run: fewer searches
        wall, peak = end_to_end([str(batch_data.SET_PATH), str(path), *options], command)
        note = f"(required < {required} s, < 2048 MiB at 100,000)"
        print(f"scoring {command:<11} {rows:,} rows: {wall:6.1f} s, peak {peak:,.0f} MiB  {note}")


def write_xlsx(path: Path, columns: dict[str, Any]) -> None:
    import xlsxwriter

    names = list(columns)
    lists = [batch_data._to_list(columns[name]) for name in names]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("units")
    sheet.write_row(0, 0, names)
    for row, cells in enumerate(zip(*lists, strict=True), start=1):
        for col, cell in enumerate(cells):
            if cell:
                sheet.write_string(row, col, cell)
    book.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run on 20,000 rows")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a required ratio is not met")
    parser.add_argument("--rows", type=int, help="rows in memory and in the CSV (default 1,000,000)")
    args = parser.parse_args(argv)
    import polars

    rows = args.rows or (20_000 if args.quick else 1_000_000)
    xlsx_rows = min(rows, 2_000 if args.quick else 100_000)
    scalar_rows = 500 if args.quick else 10_000
    rounds = 1 if args.quick else 3
    indicator_set = scoring.load_set(batch_data.SET_PATH)
    columns = batch_data.generate_columns(rows, batch_data.DEFAULT_SEED)
    frame = polars.DataFrame(columns)
    print(f"{rows:,} synthetic rows of {indicator_set.id} ({len(indicator_set.indicators)} indicators)")

    scoring.score_frame(indicator_set, frame.head(100))  # warm up: imports, first pyarrow kernels
    time_a, scored = best(lambda: scoring.score_frame(indicator_set, frame), rounds)
    hand_columns = {name: frame.get_column(name).to_arrow() for name in frame.columns}
    time_b, hand = best(lambda: hunan_numpy.score(hunan_numpy.prepare(hand_columns)), rounds)
    problems = compare(scored, hand, indicator_set)
    problems += scalar_sample(columns, indicator_set, scored, max(rows // 200, 1))
    mappings = [batch_data.row_mapping(columns, i) for i in range(scalar_rows)]
    time_c, _ = best(lambda: [scoring.evaluate(indicator_set, m) for m in mappings], 1)
    time_c *= rows / scalar_rows
    if problems:
        print("\n".join(problems[:20]))
        return 1
    print(f"(a) score_frame        {time_a:8.2f} s  {time_a / rows * 1e6:7.2f} µs/unit")
    print(
        f"(b) hand-written numpy {time_b:8.2f} s  {time_b / rows * 1e6:7.2f} µs/unit  (agree on every point)"
    )
    print(
        f"(c) evaluate() per row {time_c:8.2f} s  {time_c / rows * 1e6:7.2f} µs/unit  (extrapolated from {scalar_rows:,})"
    )
    print("(d) zen-engine         not measured (see the docstring)")
    print(
        f"a/b = {time_a / time_b:.2f}  (required ≤ 3, aim ≤ 1.5);  c/a = {time_c / time_a:.0f}  (required ≥ 100)"
    )

    with tempfile.TemporaryDirectory() as folder:
        csv_path, xlsx_path = Path(folder) / "units.csv", Path(folder) / "units.xlsx"
        batch_data.write_csv(csv_path, rows)
        write_xlsx(xlsx_path, batch_data.generate_columns(xlsx_rows, batch_data.DEFAULT_SEED))
        wall, peak = end_to_end(
            [str(batch_data.SET_PATH), str(csv_path), "-o", str(Path(folder) / "out.csv")]
        )
        print(
            f"scoring batch, {rows:,}-row CSV:  {wall:6.1f} s, peak {peak:,.0f} MiB  (required < 30 s, < 2048 MiB at 1,000,000)"
        )
        wall, peak = end_to_end(
            [str(batch_data.SET_PATH), str(xlsx_path), "-o", str(Path(folder) / "out.xlsx")]
        )
        print(f"scoring batch, {xlsx_rows:,}-row XLSX: {wall:6.1f} s, peak {peak:,.0f} MiB")
        analyses(Path(folder), 500 if args.quick else 100_000)
    met = time_a / time_b <= 3 and time_c / time_a >= 100
    print("required ratios met" if met else "required ratios NOT met")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
