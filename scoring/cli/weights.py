"""``scoring weights UNITS...``: effective weights, each indicator's share of the total and of the variation
(with ``--compare entropy,critic``, beside data-driven weights); ``scoring weights derive FILE --set SET``:
weights derived from pairwise comparisons (AHP), experts' point allocations or equal weights."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..analysis.derive import derive, derived_set_text, weights_file_text
from ..analysis.effective_weights import effective_weights
from ..analysis.weighting import CROSS_METHODS, CrossMethod, cross_check
from ..errors import OptionError, Problem
from ..model import load_set
from ..report.derive import cross_csv, cross_table, derive_csv, derive_table
from ..report.text import safe
from ..report.weights import weights_csv, weights_table
from .common import Commands, cohort_command, cohort_of, texts_for, write, write_analysis
from .exits import EXIT_OK

#: The first of UNITS that selects the derivation mode (a unit folder of that name: give it as ./x/../derive).
DERIVE = "derive"
#: The options that only the derivation mode reads.
_TABLE_ONLY = (("sheet", "--sheet"), ("columns", "--columns"), ("id_column", "--id-column"))
_DERIVE_ONLY = (
    ("method", "--method"),
    ("accept_inconsistent", "--accept-inconsistent"),
    ("write_set", "--write-set"),
)


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = (
        "effective weights: each indicator's share of the total and of the variation; "
        "'weights derive FILE --set SET': weights from pairwise comparisons (AHP) or experts' points"
    )
    command = cohort_command(commands, reading, "weights", about, run)
    command.add_argument(
        "--compare",
        metavar="METHODS",
        help="print the declared and effective weights beside data-driven ones: entropy, critic or both "
        "(entropy,critic)",
    )
    derive_options = command.add_argument_group("weights derive FILE --set SET")
    derive_options.add_argument(
        "--method",
        choices=("eigenvector", "geometric", "arithmetic"),
        help="priorities by the principal eigenvector (default, or the file's method:), the row geometric mean "
        "(方根法) or the row mean of the column-normalised matrix (和积法)",
    )
    derive_options.add_argument(
        "--accept-inconsistent",
        action="store_true",
        help="derive weights even from a matrix whose consistency ratio is 0.10 or more",
    )
    derive_options.add_argument(
        "--write-set",
        type=Path,
        metavar="FILE",
        help="also save the set with the derived weights (its source and header record the derivation)",
    )


def run(args: argparse.Namespace) -> int:
    if args.units and str(args.units[0]) == DERIVE:
        return run_derive(args)
    given = [option for name, option in _DERIVE_ONLY if getattr(args, name)]
    if given:
        raise _usage(f"{', '.join(given)}: only with 'scoring weights derive FILE --set SET'", given[0])
    if args.compare is not None:
        return run_compare(args, _methods(args.compare))
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


def _usage(message: str, subject: str, hint: str | None = None) -> OptionError:
    return OptionError(Problem("weights-option", message, None, subject, hint))


def _methods(text: str) -> list[CrossMethod]:
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in CROSS_METHODS]
    if unknown or not names:
        raise _usage(
            f"--compare '{text}': name entropy, critic or both", "--compare", "e.g. --compare entropy,critic"
        )
    return [method for method in CROSS_METHODS if method in names]


def run_compare(args: argparse.Namespace, methods: list[CrossMethod]) -> int:
    """Declared and effective weights beside entropy and/or CRITIC weights over the cohort."""
    if Path(args.output or "").suffix.lower() in (".xlsx", ".html", ".htm"):
        raise _usage("--compare writes text, JSON or CSV, not a workbook or HTML report", "--output")
    report = cross_check(cohort_of(args), methods)
    indicator_set = report.effective.indicator_set
    if args.format == "json":
        text = report.to_json() + "\n"
    elif args.format == "csv":
        text = cross_csv(report)
    else:
        text = cross_table(report, texts=texts_for(args, indicator_set))
    _emit(args, text)
    return EXIT_OK


def run_derive(args: argparse.Namespace) -> int:
    """``scoring weights derive FILE --set SET``: the derived weights level by level; ``-o`` writes them as a
    weights file, ``--write-set`` the set with them."""
    files = args.units[1:]
    if len(files) != 1 or args.set_path is None:
        raise _usage("give one derivation file and the set: scoring weights derive FILE --set SET", "derive")
    if args.compare is not None:
        raise _usage("--compare: only with 'scoring weights UNITS...'", "--compare")
    tables = [option for name, option in _TABLE_ONLY if getattr(args, name)]
    if tables:
        raise _usage(f"{', '.join(tables)}: 'weights derive' reads no tables of units", tables[0])
    if args.output and Path(args.output).suffix.lower() not in (".yaml", ".yml"):
        raise _usage("-o writes the derived weights as a weights file: name it .yaml", "--output")
    indicator_set = load_set(args.set_path, args.encoding)
    derivation = derive(
        files[0],
        indicator_set,
        method=args.method,
        accept_inconsistent=args.accept_inconsistent,
        encoding=args.encoding,
    )
    texts = texts_for(args, indicator_set)
    if args.write_set is not None:
        _save(args.write_set, derived_set_text(derivation, args.write_set.name), "--write-set")
        print(safe(texts.text("analysis.derive.wrote", path=args.write_set)), file=sys.stderr)
    if args.output:
        _save(Path(args.output), weights_file_text(derivation), "--output")
        print(safe(texts.text("analysis.derive.wrote", path=args.output)), file=sys.stderr)
    if args.format == "json":
        write(derivation.to_json() + "\n")
    elif args.format == "csv":
        write(derive_csv(derivation))
    else:
        write(derive_table(derivation, texts=texts))
    return EXIT_OK


def _emit(args: argparse.Namespace, text: str) -> None:
    if args.output:
        _save(Path(args.output), text, "--output")
    else:
        write(text)


def _save(path: Path, text: str, option: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _usage(f"cannot write {path}: {exc.strerror or exc}", option) from None
