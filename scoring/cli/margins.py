"""``scoring margins UNITS...``: points to the next grade up and down, and the change of each figure that
would do it."""

from __future__ import annotations

import argparse

from ..analysis.margins import MAX_SEARCH_PLACES, margins
from ..report.margins import margins_csv, margins_table
from .common import Commands, cohort_command, cohort_of, texts_for, usage_error, write_analysis
from .exits import EXIT_OK

#: Units whose margins the command works out unless told otherwise: those nearest a grade boundary.
DEFAULT_LIMIT = 100


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
    command.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"only the N units nearest a grade boundary (default {DEFAULT_LIMIT}; 0 for every unit)",
    )
    command.add_argument(
        "--unit", action="append", default=[], metavar="NAME", help="only this unit (repeat for more)"
    )
    command.add_argument(
        "--indicator", action="append", default=[], metavar="ID", help="only this indicator (repeat for more)"
    )
    command.add_argument(
        "--all",
        action="store_true",
        dest="show_all",
        help="also the answers that find no change crossing a grade boundary (default: only those that do)",
    )


def run(args: argparse.Namespace) -> int:
    places = {}
    for option in args.places:
        name, _, digits = option.partition("=")
        if not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_SEARCH_PLACES:
            message = f"--places takes INPUT=K with K from 0 to {MAX_SEARCH_PLACES}, not {option!r}"
            return usage_error("margins", message, args, "places", most=MAX_SEARCH_PLACES, given=repr(option))
        places[name.strip()] = int(digits)
    if args.limit < 0:
        message = f"--limit takes a number of units, 0 for all, not {args.limit}"
        return usage_error("margins", message, args, "limit", given=args.limit)
    limit = args.limit or None
    # places naming no input, a unit or an indicator named that is not there: an OptionError (exit 2)
    report = margins(cohort_of(args), places or None, limit=limit, units=args.unit, indicators=args.indicator,
                     feasible_only=not args.show_all)  # fmt: skip
    write_analysis(
        args,
        "margins",
        report,
        report.indicator_set,
        lambda: margins_csv(report),
        lambda: margins_table(report, texts=texts_for(args, report.indicator_set)),
    )
    return EXIT_OK
