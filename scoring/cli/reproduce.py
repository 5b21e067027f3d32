"""``scoring reproduce UNIT``: check the unit's published result against its figures, and audit the table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..audit import Reproduction, reproduce
from ..model import IndicatorSet
from ..report.csv import csv_document
from ..report.reproduce import reproduction_csv, reproduction_text
from ..report.text import safe
from .common import Commands, add_excel_option, add_set_option, bom_for_set, csv_bom, load, texts_for, write
from .exits import EXIT_INVALID, EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    command = commands.add_parser(
        "reproduce",
        parents=[reading],
        help="check a published result against the unit's figures, and audit the published table",
    )
    command.add_argument("unit", type=Path, metavar="UNIT", help="unit data file with a published: section")
    add_set_option(command)
    command.add_argument("--format", choices=("text", "json", "csv"), default="text")
    command.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE: .xlsx the 评分表 and a 复核 sheet, .html a report with a chart, else --format's text",
    )
    command.set_defaults(run=run)
    add_excel_option(command)


def run(args: argparse.Namespace) -> int:
    indicator_set, unit = load(args.unit, args.set_path, args.encoding, args.root, args.lang)
    if unit.published is None:
        line = texts_for(args, indicator_set).text("reproduce.text.no_published", unit=args.unit)
        print(safe(line), file=sys.stderr)
        return EXIT_INVALID
    outcome = reproduce(indicator_set, unit)
    bom_for_set(args, indicator_set)
    _output(args, outcome, indicator_set)
    return EXIT_OK if outcome.ok else EXIT_INVALID


def _output(args: argparse.Namespace, outcome: Reproduction, indicator_set: IndicatorSet) -> None:
    """The outcome where and as the options ask: a workbook, an HTML report, or text, JSON or CSV."""
    suffix = Path(args.output).suffix.lower() if args.output else ""
    if suffix == ".xlsx":
        from ..report.reproduce_sheet import write_reproduction_workbook

        write_reproduction_workbook(args.output, outcome, indicator_set, texts_for(args, indicator_set))
        return
    if suffix in (".html", ".htm"):
        from ..report.html_reproduce import reproduction_report

        text = reproduction_report(outcome, indicator_set, texts_for(args, indicator_set))
        Path(args.output).write_text(text, encoding="utf-8")
        return
    if args.format == "json":
        text = outcome.to_json() + "\n"
    elif args.format == "csv":
        text = reproduction_csv(outcome, indicator_set)
    else:
        text = reproduction_text(outcome, indicator_set, texts_for(args, indicator_set))
    if args.output:
        Path(args.output).write_text(csv_document(text, bom=csv_bom(args, indicator_set)), encoding="utf-8")
    else:
        write(text)
