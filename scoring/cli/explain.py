"""``scoring explain UNIT [ID...]``: why each indicator (or those named) got its points."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine import evaluate
from ..errors import clip, did_you_mean
from ..report import score as render
from ..report.text import safe
from .common import Commands, add_set_option, load, write
from .exits import EXIT_OK, EXIT_USAGE


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    explain = commands.add_parser("explain", parents=[reading], help="show why each indicator got its points")
    explain.add_argument("unit", type=Path, metavar="UNIT", help="unit data file")
    explain.add_argument("ids", nargs="*", metavar="ID", help="indicators to explain (default: all)")
    add_set_option(explain)
    explain.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    indicator_set, unit = load(args.unit, args.set_path, args.encoding, args.root)
    unknown = [i for i in args.ids if i not in indicator_set.by_id]
    if unknown:
        hints = [did_you_mean(name, indicator_set.by_id) for name in unknown]
        message = (
            f"no indicator {', '.join(repr(clip(name)) for name in unknown)} in set '{indicator_set.id}'"
        )
        if all(hints):
            message += " — " + "; ".join(hint for hint in hints if hint)
        print(safe(f"scoring explain: {message}"), file=sys.stderr)
        if not all(hints):
            print(safe("indicators: " + ", ".join(indicator_set.by_id)), file=sys.stderr)
        return EXIT_USAGE
    write(render.explain(evaluate(indicator_set, unit), indicator_set, args.ids))
    return EXIT_OK
