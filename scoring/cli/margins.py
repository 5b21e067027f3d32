"""``scoring margins UNITS...``: points to the next grade up and down, and the change of each figure that
would do it."""

from __future__ import annotations

import argparse

from ..analysis.margins import MAX_SEARCH_PLACES, margins
from ..report.margins import margins_csv, margins_table
from .common import Commands, cohort_command, cohort_of, usage_error, write
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = "grade margins: points to the next grade, and the value change that would do it"
    command = cohort_command(commands, reading, "margins", about, run)
    command.add_argument(
        "--places",
        action="append",
        default=[],
        metavar="INPUT=K",
        help="search an input's value in steps of 10^-K",
    )


def run(args: argparse.Namespace) -> int:
    places = {}
    for option in args.places:
        name, _, digits = option.partition("=")
        if not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_SEARCH_PLACES:
            return usage_error(
                "margins", f"--places takes INPUT=K with K from 0 to {MAX_SEARCH_PLACES}, not {option!r}"
            )
        places[name.strip()] = int(digits)
    report = margins(cohort_of(args), places or None)  # places naming no input: an OptionError (exit 2)
    if args.format == "json":
        write(report.to_json() + "\n")
    else:
        write(margins_csv(report) if args.format == "csv" else margins_table(report))
    return EXIT_OK
