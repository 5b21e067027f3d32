"""The ``scoring`` command: check, score, explain, reproduce, tune, weights, margins, sensitivity,
montecarlo, schema.

Exit status: 0 when all is well, 1 when an input file is invalid (every problem is printed, one per line,
as ``file:line:column: message — hint``), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..audit.reproduce import reproduce
from ..engine.evaluate import evaluate
from ..engine.result import to_json
from ..errors import ScoringError
from ..formats import models as spec
from ..formats.yaml import load_yaml
from ..model.indicator_set import IndicatorSet, load_set
from ..model.unit import Unit, load_unit
from ..report import score as render
from ..version import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scoring",
        description="Evaluate units' data against YAML indicator sets: per-indicator, group and total scores.",
    )
    parser.add_argument("--version", action="version", version=f"scoring {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--encoding", metavar="NAME", help="read the YAML files in this encoding (default UTF-8), e.g. gbk"
    )

    check = commands.add_parser(
        "check", parents=[reading], help="validate indicator sets and unit data files"
    )
    check.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="set or unit file (told apart by content)"
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="how to print problems")

    score = commands.add_parser(
        "score", parents=[reading], help="score a unit: each indicator, group subtotals, total and grade"
    )
    score.add_argument("unit", type=Path, metavar="UNIT", help="unit data file")
    score.add_argument(
        "--set", type=Path, dest="set_path", metavar="SET", help="indicator set (default: the unit's set:)"
    )
    score.add_argument("--format", choices=render.FORMATS, default="table")

    explain = commands.add_parser("explain", parents=[reading], help="show why each indicator got its points")
    explain.add_argument("unit", type=Path, metavar="UNIT", help="unit data file")
    explain.add_argument("ids", nargs="*", metavar="ID", help="indicators to explain (default: all)")
    explain.add_argument("--set", type=Path, dest="set_path", metavar="SET")

    reproduce = commands.add_parser(
        "reproduce",
        parents=[reading],
        help="check a published result against the unit's figures, and audit the published table",
    )
    reproduce.add_argument("unit", type=Path, metavar="UNIT", help="unit data file with a published: section")
    reproduce.add_argument("--set", type=Path, dest="set_path", metavar="SET")
    reproduce.add_argument("--format", choices=("text", "json"), default="text")

    tune = commands.add_parser(
        "tune",
        parents=[reading],
        help="what a weight change does to every unit's total, grade and rank (before/after)",
    )
    tune.add_argument(
        "units", nargs="+", type=Path, metavar="UNITS", help="unit files or directories of them"
    )
    tune.add_argument(
        "--set", type=Path, dest="set_path", metavar="SET", help="score every unit against this set"
    )
    tune.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="ID=W",
        help="new weight of an indicator or group (repeatable)",
    )
    tune.add_argument(
        "--weights", type=Path, metavar="FILE", help="YAML file of weights: {weights: {...}, rescale: ...}"
    )
    tune.add_argument(
        "--rescale",
        choices=("proportional", "none"),
        help="proportional (default): keep the total by scaling the other weights; none: let the total change",
    )
    tune.add_argument("--format", choices=("table", "json", "csv"), default="table")

    def cohort_command(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, parents=[reading])
        command.add_argument("units", nargs="+", type=Path, metavar="UNITS", help="unit files or directories")
        command.add_argument(
            "--set", type=Path, dest="set_path", metavar="SET", help="score every unit against this set"
        )
        command.add_argument("--format", choices=("table", "json", "csv"), default="table")
        return command

    cohort_command("weights", "effective weights: each indicator's share of the total and of the variation")
    margins = cohort_command(
        "margins", "grade margins: points to the next grade, and the value change that would do it"
    )
    margins.add_argument(
        "--places",
        action="append",
        default=[],
        metavar="INPUT=K",
        help="search an input's value in steps of 10^-K",
    )
    sensitivity = cohort_command(
        "sensitivity", "one-at-a-time: each weight moved by ±DELTA, ranked by influence"
    )
    sensitivity.add_argument("--delta", required=True, metavar="D", help="points to move each weight by")
    sensitivity.add_argument("--groups", action="store_true", help="move group weights too")
    sensitivity.add_argument("--rescale", choices=("proportional", "none"), default="proportional")
    montecarlo = cohort_command(
        "montecarlo", "Monte Carlo: totals, grades and ranks under sampled weightings"
    )
    montecarlo.add_argument(
        "-n", "--samples", type=int, default=1000, help="number of weightings (default 1000)"
    )
    montecarlo.add_argument("--method", choices=("uniform", "dirichlet"), default="uniform")
    montecarlo.add_argument(
        "--spread", default="10", metavar="P", help="uniform: ±P%% per weight (default 10)"
    )
    montecarlo.add_argument(
        "--concentration", default="100", metavar="C", help="dirichlet concentration (default 100)"
    )
    montecarlo.add_argument("--seed", type=int, help="random seed (default: fresh, recorded in the output)")
    montecarlo.add_argument("--interval", default="5,95", metavar="LO,HI", help="percentiles (default 5,95)")
    montecarlo.add_argument("--no-progress", action="store_true", help="no progress bar")

    schema = commands.add_parser("schema", help="print the JSON Schema of a file format (for editors)")
    schema.add_argument("kind", choices=("set", "unit"), nargs="?", default="set")
    return parser


def _load(unit_path: Path, set_path: Path | None, encoding: str | None) -> tuple[IndicatorSet, Unit]:
    indicator_set = load_set(set_path, encoding) if set_path is not None else None
    unit = load_unit(unit_path, indicator_set, encoding=encoding)
    return unit.indicator_set, unit


def _check(files: Sequence[Path], output_format: str, encoding: str | None) -> int:
    problems = []
    summaries = []
    for path in files:
        try:
            document = load_yaml(path, encoding)
            data = document.data
            if isinstance(data, dict) and not {"format", "indicators", "grades", "total"}.isdisjoint(data):
                indicator_set = load_set(path, encoding)
                summaries.append(
                    f"{path}: ok — set '{indicator_set.id}', {len(indicator_set.indicators)} indicators"
                )
            else:
                unit = load_unit(path, encoding=encoding)
                result = evaluate(unit.indicator_set, unit)  # formulas can still fail on this unit's figures
                state = "complete" if result.complete else "with unknown rows"
                summaries.append(
                    f"{path}: ok — unit '{unit.name}' for set '{unit.indicator_set.id}', {state}"
                )
        except ScoringError as exc:
            problems.extend(exc.problems)
    if output_format == "json":
        print(
            json.dumps(
                {"ok": not problems, "problems": [p.to_dict() for p in problems]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for line in summaries:
            print(line)
        for problem in problems:
            print(problem, file=sys.stderr)
    return EXIT_INVALID if problems else EXIT_OK


def _score(unit_path: Path, set_path: Path | None, output_format: str, encoding: str | None) -> int:
    indicator_set, unit = _load(unit_path, set_path, encoding)
    result = evaluate(indicator_set, unit)
    if output_format == "json":
        text = result.to_json() + "\n"
    elif output_format == "csv":
        text = render.to_csv(result)
    elif output_format == "markdown":
        text = render.markdown(result, indicator_set)
    else:
        text = render.table(result, indicator_set)
    sys.stdout.write(text)
    return EXIT_OK


def _explain(unit_path: Path, set_path: Path | None, ids: Sequence[str], encoding: str | None) -> int:
    indicator_set, unit = _load(unit_path, set_path, encoding)
    unknown = [i for i in ids if i not in indicator_set.by_id]
    if unknown:
        print(
            f"scoring explain: no indicator {', '.join(map(repr, unknown))} in set '{indicator_set.id}'",
            file=sys.stderr,
        )
        print("indicators: " + ", ".join(indicator_set.by_id), file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render.explain(evaluate(indicator_set, unit), indicator_set, ids))
    return EXIT_OK


def _reproduce(unit_path: Path, set_path: Path | None, output_format: str, encoding: str | None) -> int:
    indicator_set, unit = _load(unit_path, set_path, encoding)
    if unit.published is None:
        print(f"{unit_path}: the unit data has no published: section to reproduce", file=sys.stderr)
        return EXIT_INVALID
    outcome = reproduce(indicator_set, unit)
    if output_format == "json":
        sys.stdout.write(to_json(outcome.to_dict()) + "\n")
    else:
        sys.stdout.write(render.reproduction(outcome, indicator_set))
    return EXIT_OK if outcome.ok else EXIT_INVALID


def _tune(args: argparse.Namespace) -> int:
    from ..analysis import reweight as weights
    from ..analysis import tune
    from ..analysis.cohort import load_cohort

    changes = weights.changes_from(args.weight)
    rescale = args.rescale
    if args.weights is not None:
        from_file, file_rescale = weights.load_weight_file(args.weights, args.encoding)
        changes = from_file + changes
        rescale = rescale or file_rescale
    if not changes:
        print("scoring tune: give at least one --weight ID=W or --weights FILE", file=sys.stderr)
        return EXIT_USAGE
    cohort = load_cohort(args.units, args.set_path, args.encoding)
    report = tune.tune(cohort, changes, rescale or "proportional")
    if args.format == "json":
        sys.stdout.write(to_json(report.to_dict()) + "\n")
    elif args.format == "csv":
        sys.stdout.write(tune.render_csv(report))
    else:
        sys.stdout.write(tune.render_table(report))
    return EXIT_OK


def _analysis(args: argparse.Namespace) -> int:
    """weights, margins, sensitivity, montecarlo: load the cohort, run, print in the chosen format."""
    from decimal import Decimal, InvalidOperation

    from ..analysis.cohort import load_cohort

    cohort = load_cohort(args.units, args.set_path, args.encoding)
    text: str
    if args.command == "weights":
        from ..analysis import effective_weights as influence

        report = influence.effective_weights(cohort)
        text = {"json": lambda: report.to_json() + "\n", "csv": lambda: influence.weights_csv(report)}.get(
            args.format, lambda: influence.weights_table(report)
        )()
    elif args.command == "margins":
        from ..analysis import margins

        places = {}
        for option in args.places:
            name, _, digits = option.partition("=")
            if not digits.isdigit():
                print(f"scoring margins: --places takes INPUT=K, not {option!r}", file=sys.stderr)
                return EXIT_USAGE
            places[name.strip()] = int(digits)
        unknown = [name for name in places if name not in cohort.indicator_set.inputs]
        if unknown:
            print(
                f"scoring margins: --places names no input {', '.join(map(repr, unknown))}", file=sys.stderr
            )
            return EXIT_USAGE
        reports = margins.margins(cohort, places or None)
        if args.format == "json":
            text = margins.margins_json(reports, cohort.indicator_set) + "\n"
        elif args.format == "csv":
            text = margins.margins_csv(reports)
        else:
            text = margins.margins_table(reports, cohort.indicator_set)
    else:
        from ..analysis import uncertainty

        try:
            if args.command == "sensitivity":
                result: Any = uncertainty.sensitivity(
                    cohort, Decimal(args.delta), groups=args.groups, rescale=args.rescale
                )
                table, csv_text = uncertainty.sensitivity_table, uncertainty.sensitivity_csv
            else:
                low, _, high = args.interval.partition(",")
                result = uncertainty.monte_carlo(
                    cohort,
                    args.samples,
                    method=args.method,
                    spread=Decimal(args.spread),
                    concentration=Decimal(args.concentration),
                    seed=args.seed,
                    interval=(Decimal(low), Decimal(high)),
                    progress=False if args.no_progress else None,
                )
                table, csv_text = uncertainty.monte_carlo_table, uncertainty.monte_carlo_csv
        except (ValueError, InvalidOperation) as exc:
            print(f"scoring {args.command}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except ImportError as exc:
            print(f"scoring {args.command}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        if args.format == "json":
            text = to_json(result.to_dict()) + "\n"
        elif args.format == "csv":
            text = csv_text(result)
        else:
            text = table(result)
    sys.stdout.write(text)
    return EXIT_OK


def _schema(kind: str) -> int:
    model = spec.SetSpec if kind == "set" else spec.UnitSpec
    print(to_json(model.model_json_schema(by_alias=True)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _utf8_stdout()
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.files, args.format, args.encoding)
        if args.command == "score":
            return _score(args.unit, args.set_path, args.format, args.encoding)
        if args.command == "explain":
            return _explain(args.unit, args.set_path, args.ids, args.encoding)
        if args.command == "reproduce":
            return _reproduce(args.unit, args.set_path, args.format, args.encoding)
        if args.command == "tune":
            return _tune(args)
        if args.command in ("weights", "margins", "sensitivity", "montecarlo"):
            return _analysis(args)
        return _schema(args.kind)
    except ScoringError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK


def _utf8_stdout() -> None:
    """Chinese labels must print even where the locale is not UTF-8 (Windows consoles, CI)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
