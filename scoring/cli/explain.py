"""``scoring explain UNIT [ID...]``: why each indicator (or those named) got its points; with ``--top N`` or
``--against median UNITS...``, the rows that lost most points, ranked (the 扣分清单)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine import evaluate
from ..engine.result import Result
from ..errors import clip, did_you_mean
from ..model import IndicatorSet
from ..model.labels import id_of_label
from ..report import score as render
from ..report.text import safe
from .common import Commands, add_excel_option, add_set_option, cohort_of, load, texts_for, write
from .exits import EXIT_OK, EXIT_USAGE

#: What the command says (English for now; the catalogue will hold them).
HELP = {
    "command": "show why each indicator got its points, or the rows that lost most points",
    "ids": "indicators to explain (default: all)",
    "top": "list the N rows that lost most points (weight − points), ranked, each with its outcome",
    "against": "rank the rows by the points lost against the median points of the row over UNITS (unit files "
    "or directories, or SET TABLE...: a set and tables of units, as the analyses take them) instead of "
    "against full marks",
    "format": "output of --top/--against (the explanation itself is text)",
}
AGAINST_WHAT = (
    "--against takes 'median' and then the cohort's UNITS, e.g. --against median examples/synthetic"
)
FORMAT_ALONE = "--format json or csv applies to --top or --against (the rows that lost points)"


def positive(text: str) -> int:
    """A --top value: a whole number of 1 or more (argparse reports anything else)."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    explain = commands.add_parser("explain", parents=[reading], help=HELP["command"])
    explain.add_argument("unit", type=Path, metavar="UNIT", help="unit data file")
    explain.add_argument("ids", nargs="*", metavar="ID", help=HELP["ids"])
    add_set_option(explain)
    explain.add_argument("--top", type=positive, metavar="N", help=HELP["top"])
    explain.add_argument("--against", nargs="+", metavar=("median", "UNITS"), help=HELP["against"])
    explain.add_argument("--format", choices=("table", "json", "csv"), default="table", help=HELP["format"])
    explain.set_defaults(run=run)
    add_excel_option(explain)


def run(args: argparse.Namespace) -> int:
    indicator_set, unit = load(args.unit, args.set_path, args.encoding, args.root, args.lang)
    # a label, as every table shows it, names its indicator too
    args.ids = [i if i in indicator_set.by_id else id_of_label(indicator_set, i) or i for i in args.ids]
    unknown = [i for i in args.ids if i not in indicator_set.by_id]
    if unknown:
        return _unknown_ids(indicator_set, unknown)
    if args.top is not None or args.against is not None:
        return _deductions(args, indicator_set, evaluate(indicator_set, unit))
    if args.format != "table":
        print(safe(f"scoring explain: {FORMAT_ALONE}"), file=sys.stderr)
        return EXIT_USAGE
    write(
        render.explain(evaluate(indicator_set, unit), indicator_set, args.ids, texts_for(args, indicator_set))
    )
    return EXIT_OK


def _unknown_ids(indicator_set: IndicatorSet, unknown: list[str]) -> int:
    hints = [did_you_mean(name, indicator_set.by_id) for name in unknown]
    message = f"no indicator {', '.join(repr(clip(name)) for name in unknown)} in set '{indicator_set.id}'"
    if all(hints):
        message += " — " + "; ".join(hint for hint in hints if hint)
    print(safe(f"scoring explain: {message}"), file=sys.stderr)
    if not all(hints):
        print(safe("indicators: " + ", ".join(indicator_set.by_id)), file=sys.stderr)
    return EXIT_USAGE


def _deductions(args: argparse.Namespace, indicator_set: IndicatorSet, result: Result) -> int:
    from ..analysis.deductions import Against, deductions
    from ..report.deductions import deductions_csv, deductions_table

    cohort = None
    if args.against is not None:
        if args.against[0] != "median" or len(args.against) < 2:
            print(safe(f"scoring explain: {AGAINST_WHAT}"), file=sys.stderr)
            return EXIT_USAGE
        cohort_args = argparse.Namespace(**{**vars(args), "units": [Path(p) for p in args.against[1:]]})
        cohort_args.sheet = cohort_args.columns = cohort_args.id_column = None
        cohort = cohort_of(cohort_args).evaluate()
    against: Against = "median" if cohort is not None else "full"
    report = deductions(indicator_set, result, cohort, against=against, top=args.top, ids=args.ids)
    if args.format == "json":
        write(report.to_json() + "\n")
    else:
        write(
            deductions_csv(report)
            if args.format == "csv"
            else deductions_table(report, texts_for(args, indicator_set))
        )
    return EXIT_OK
