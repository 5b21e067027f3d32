"""``scoring tune UNITS... --weight ID=W``: what a weight change does to every unit's total, grade and rank."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..analysis.reweight import changes_from, load_weight_file
from ..analysis.tune import tune
from ..report.tune import tune_csv, tune_table
from .common import Commands, add_rescale_option, cohort_command, cohort_of, usage_error, write
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = "what a weight change does to every unit's total, grade and rank (before/after)"
    command = cohort_command(commands, reading, "tune", about, run)
    command.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="ID=W",
        help="new weight of an indicator or group (repeatable)",
    )
    command.add_argument(
        "--weights", type=Path, metavar="FILE", help="YAML file of weights: {weights: {...}, rescale: ...}"
    )
    add_rescale_option(command, None)  # the weights file may say, else proportional


def run(args: argparse.Namespace) -> int:
    changes = changes_from(args.weight)
    rescale = args.rescale
    if args.weights is not None:
        from_file, file_rescale = load_weight_file(args.weights, args.encoding)
        changes = from_file + changes
        rescale = rescale or file_rescale
    if not changes:
        return usage_error("tune", "give at least one --weight ID=W or --weights FILE")
    report = tune(cohort_of(args), changes, rescale or "proportional")
    if args.format == "json":
        write(report.to_json() + "\n")
    else:
        write(tune_csv(report) if args.format == "csv" else tune_table(report))
    return EXIT_OK
