"""``scoring reproduce UNIT``: check the unit's published result against its figures, and audit the table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..audit import reproduce
from ..report.reproduce import reproduction_text
from ..report.text import safe
from .common import Commands, add_set_option, load, write
from .exits import EXIT_INVALID, EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    command = commands.add_parser(
        "reproduce",
        parents=[reading],
        help="check a published result against the unit's figures, and audit the published table",
    )
    command.add_argument("unit", type=Path, metavar="UNIT", help="unit data file with a published: section")
    add_set_option(command)
    command.add_argument("--format", choices=("text", "json"), default="text")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    indicator_set, unit = load(args.unit, args.set_path, args.encoding, args.root)
    if unit.published is None:
        print(safe(f"{args.unit}: the unit data has no published: section to reproduce"), file=sys.stderr)
        return EXIT_INVALID
    outcome = reproduce(indicator_set, unit)
    write(outcome.to_json() + "\n" if args.format == "json" else reproduction_text(outcome, indicator_set))
    return EXIT_OK if outcome.ok else EXIT_INVALID
