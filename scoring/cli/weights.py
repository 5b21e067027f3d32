"""``scoring weights UNITS...``: effective weights, each indicator's share of the total and of the variation."""

from __future__ import annotations

import argparse

from ..analysis.effective_weights import effective_weights
from ..report.weights import weights_csv, weights_table
from .common import Commands, cohort_command, cohort_of, texts_for, write_analysis
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = "effective weights: each indicator's share of the total and of the variation"
    cohort_command(commands, reading, "weights", about, run)


def run(args: argparse.Namespace) -> int:
    report = effective_weights(cohort_of(args))
    write_analysis(
        args,
        "weights",
        report,
        report.indicator_set,
        lambda: weights_csv(report),
        lambda: weights_table(report, texts=texts_for(args, report.indicator_set)),
    )
    return EXIT_OK
