"""``scoring score UNIT``: each indicator, group subtotals, total and grade."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine import evaluate
from ..report import score as render
from ..report.csv import csv_document
from .common import Commands, add_excel_option, add_set_option, bom_for_set, csv_bom, load, texts_for, write
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    score = commands.add_parser(
        "score", parents=[reading], help="score a unit: each indicator, group subtotals, total and grade"
    )
    score.add_argument("unit", type=Path, metavar="UNIT", help="unit data file")
    add_set_option(score, "indicator set (default: the unit's set:)")
    score.add_argument("--format", choices=render.FORMATS, default="table")
    score.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE: .xlsx the 评分表 workbook, .html a report with charts, else --format's text",
    )
    score.set_defaults(run=run)
    add_excel_option(score)


def run(args: argparse.Namespace) -> int:
    indicator_set, unit = load(args.unit, args.set_path, args.encoding, args.root, args.lang)
    result = evaluate(indicator_set, unit)
    bom_for_set(args, indicator_set)
    suffix = Path(args.output).suffix.lower() if args.output else ""
    if suffix == ".xlsx":
        from ..report.workbook import write_unit_workbook

        write_unit_workbook(args.output, result, indicator_set, texts_for(args, indicator_set))
        return EXIT_OK
    if suffix in (".html", ".htm"):
        from ..report.html_unit import unit_report

        text = unit_report(result, indicator_set, texts_for(args, indicator_set))
        Path(args.output).write_text(text, encoding="utf-8")
        return EXIT_OK
    by_suffix = {".csv": "csv", ".json": "json", ".md": "markdown"}
    if suffix in by_suffix and args.format == "table":  # -o scores.csv: the file's kind, unless --format says
        args.format = by_suffix[suffix]
    if args.format == "json":
        text = result.to_json() + "\n"
    elif args.format == "csv":
        text = render.to_csv(result)
    elif args.format == "markdown":
        text = render.markdown(result, indicator_set, texts_for(args, indicator_set))
    else:
        text = render.table(result, indicator_set, texts_for(args, indicator_set))
    if args.output:
        Path(args.output).write_text(csv_document(text, bom=csv_bom(args, indicator_set)), encoding="utf-8")
    else:
        write(text)
    return EXIT_OK
