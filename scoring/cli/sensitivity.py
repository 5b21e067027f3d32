"""``scoring sensitivity UNITS... --delta D``: each weight moved by ±D, ranked by influence."""

from __future__ import annotations

import argparse

from ..analysis.sensitivity import sensitivity
from ..report.sensitivity import sensitivity_csv, sensitivity_table
from .common import Commands, add_rescale_option, cohort_command, cohort_of, texts_for, write_analysis
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = "one-at-a-time: each weight moved by ±DELTA, ranked by influence"
    command = cohort_command(commands, reading, "sensitivity", about, run)
    command.add_argument("--delta", required=True, metavar="D", help="points to move each weight by")
    command.add_argument("--groups", action="store_true", help="move group weights too")
    add_rescale_option(command, "proportional")


def run(args: argparse.Namespace) -> int:
    report = sensitivity(cohort_of(args), args.delta, groups=args.groups, rescale=args.rescale)
    write_analysis(
        args,
        "sensitivity",
        report,
        report.indicator_set,
        lambda: sensitivity_csv(report),
        lambda: sensitivity_table(report, texts=texts_for(args, report.indicator_set)),
    )
    return EXIT_OK
