"""Write unit data files as one table, a row per unit: the layout ``scoring batch`` reads.

    python scripts/units_to_table.py examples/synthetic/dept-*.yaml -o examples/synthetic/departments.csv

Columns: ``单位`` (the unit's name), one per input headed by the input's label in the set (its name when it has
no label), ``<id>.na`` for rows marked not applicable, ``<id>.tier``/``.points``/``.reason`` for judged rows.
Overrides and unknown rows have no column and are refused.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

import scoring
from scoring.formats.yaml import load_yaml


def cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def table_rows(paths: list[Path], indicator_set: scoring.IndicatorSet) -> list[dict[str, str]]:
    rows = []
    for path in paths:
        data = load_yaml(path).data
        if data.get("overrides") or data.get("unknown"):
            raise SystemExit(f"{path}: overrides and unknown rows have no column in a table")
        row = {"单位": data.get("unit") or path.stem}
        for name, value in data.get("values", {}).items():
            row[indicator_set.inputs[name].label or name] = cell(value)
        for key in data.get("not_applicable", []):
            row[f"{key}.na"] = "true"
        for key, judgment in data.get("judgments", {}).items():
            row.update({f"{key}.tier": judgment["tier"], f"{key}.points": cell(judgment["points"])})
            row[f"{key}.reason"] = judgment["reason"]
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("units", nargs="+", type=Path)
    parser.add_argument(
        "--set", dest="set_path", type=Path, default=Path("indicators/hunan-department-overall.yaml")
    )
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    indicator_set = scoring.load_set(args.set_path)
    rows = table_rows(sorted(args.units), indicator_set)
    headers = list(dict.fromkeys(key for row in rows for key in row))
    with args.output.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, headers, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
