"""``scoring check FILE...``: validate indicator sets and unit data files (units are evaluated too)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine import evaluate
from ..errors import Problem, ScoringError
from ..formats.yaml import load_yaml
from ..model import load_set, load_unit
from ..report.text import safe
from ..serialize import to_data, to_json
from .common import Commands, print_problems, write
from .exits import EXIT_INVALID, EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check", parents=[reading], help="validate indicator sets and unit data files"
    )
    check.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="set or unit file (told apart by content)"
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="how to print problems")
    check.set_defaults(run=run)


def _check_file(path: Path, encoding: str | None, root: Path | None) -> str:
    """A line saying what the file is, when it is valid (raises :class:`ScoringError` otherwise)."""
    data = load_yaml(path, encoding).data
    if isinstance(data, dict) and not {"format", "indicators", "grades", "total"}.isdisjoint(data):
        indicator_set = load_set(path, encoding)
        return f"{path}: ok — set '{indicator_set.id}', {len(indicator_set.indicators)} indicators"
    unit = load_unit(path, encoding=encoding, root=root)
    result = evaluate(unit.indicator_set, unit)  # formulas can still fail on this unit's figures
    state = "complete" if result.complete else "with unknown rows"
    return f"{path}: ok — unit '{unit.name}' for set '{unit.indicator_set.id}', {state}"


def run(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    summaries = []
    for path in args.files:
        try:
            summaries.append(_check_file(path, args.encoding, args.root))
        except ScoringError as exc:
            problems.extend(exc.problems)
    if args.format == "json":
        write(to_json({"ok": not problems, "problems": to_data(problems)}) + "\n")
    else:
        for line in summaries:
            print(safe(line))
        print_problems(problems)
    return EXIT_INVALID if problems else EXIT_OK
