"""``scoring tune UNITS... --weight ID=W``: what a weight change does to every unit's total, grade and rank."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..analysis.reweight import changes_from, load_weight_file
from ..analysis.tune import saved_set, tune
from ..errors import OptionError, Problem
from ..report.text import safe
from ..report.tune import ORDERS, tune_csv, tune_table
from .common import (
    Commands,
    add_rescale_option,
    cohort_command,
    cohort_of,
    texts_for,
    usage_error,
    write_analysis,
)
from .exits import EXIT_OK

#: What the command says on stderr when it saves the tuned set.
WROTE_SCALED = "scoring tune: wrote {path} (rule points at the new weights; {kept} kept as written)"
WROTE_UNSCALED = "scoring tune: wrote {path} (every rule kept as written, with its rule_weight)"
CANNOT_WRITE = "cannot write the tuned set to {path}: {error}"


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
    command.add_argument(
        "--order",
        choices=ORDERS,
        default="rank",
        help="list units by their rank after the change (default) or as the files or rows came",
    )
    command.add_argument(
        "--write-set",
        type=Path,
        metavar="FILE",
        help="also save the tuned set as a set file: the new weights, rule points scaled to them, and where it "
        "came from in comments (checked to give every unit its new total)",
    )


def run(args: argparse.Namespace) -> int:
    changes = changes_from(args.weight)
    rescale = args.rescale
    if args.weights is not None:
        from_file, file_rescale = load_weight_file(args.weights, args.encoding)
        changes = from_file + changes
        rescale = rescale or file_rescale
    if not changes:
        return usage_error("tune", "give at least one --weight ID=W or --weights FILE", args, "no_weights")
    cohort = cohort_of(args)
    report = tune(cohort, changes, rescale or "proportional")
    if args.write_set is not None:
        saved = saved_set(report, cohort, args.write_set.name)
        try:
            args.write_set.write_text(saved.text, encoding="utf-8")
        except OSError as exc:
            message = CANNOT_WRITE.format(path=args.write_set, error=exc.strerror or exc)
            raise OptionError(Problem("write-set", message, None, "--write-set")) from None
        kept = ", ".join(saved.kept) or "no row"
        done = WROTE_SCALED if saved.scaled else WROTE_UNSCALED
        print(safe(done.format(path=args.write_set, kept=kept)), file=sys.stderr)
    write_analysis(
        args,
        "tune",
        report,
        report.before,
        lambda: tune_csv(report, args.order),
        lambda: tune_table(report, texts=texts_for(args, report.before), order=args.order),
    )
    return EXIT_OK
