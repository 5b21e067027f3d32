"""``scoring montecarlo UNITS...``: totals, grade probabilities and rank intervals under sampled weightings."""

from __future__ import annotations

import argparse

from ..analysis.montecarlo import monte_carlo
from ..report.montecarlo import monte_carlo_csv, monte_carlo_table
from ..report.progress import progress_bar
from .common import Commands, cohort_command, cohort_of, texts_for, usage_error, write_analysis
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = "Monte Carlo: totals, grades and ranks under sampled weightings"
    command = cohort_command(commands, reading, "montecarlo", about, run)
    command.add_argument(
        "-n", "--samples", type=int, default=1000, help="number of weightings (default 1000)"
    )
    command.add_argument("--method", choices=("uniform", "dirichlet"), default="uniform")
    command.add_argument("--spread", default="10", metavar="P", help="uniform: ±P%% per weight (default 10)")
    command.add_argument(
        "--concentration", default="100", metavar="C", help="dirichlet concentration (default 100)"
    )
    command.add_argument("--seed", type=int, help="random seed (default: fresh, recorded in the output)")
    command.add_argument("--interval", default="5,95", metavar="LO,HI", help="percentiles (default 5,95)")
    command.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    levels = args.interval.split(",")
    if len(levels) != 2:
        message = f"--interval takes LO,HI (two percentages), not {args.interval!r}"
        return usage_error("montecarlo", message, args, "interval", given=repr(args.interval))
    low, high = levels
    cohort = cohort_of(args)
    words = texts_for(args, None)  # the set's language is not known yet: --lang, else the locale
    label, unit = words.text("text.cli.progress.montecarlo"), words.text("text.cli.progress.weightings")
    update, close = progress_bar(label, False if args.no_progress else None, unit)
    try:
        report = monte_carlo(
            cohort,
            args.samples,
            method=args.method,
            spread=args.spread,
            concentration=args.concentration,
            seed=args.seed,
            interval=(low, high),
            progress=update,
        )
    finally:
        close()
    write_analysis(
        args,
        "montecarlo",
        report,
        report.indicator_set,
        lambda: monte_carlo_csv(report),
        lambda: monte_carlo_table(report, texts=texts_for(args, report.indicator_set)),
    )
    return EXIT_OK
