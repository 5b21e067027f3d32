"""``scoring check FILE...``: validate indicator sets and unit data files (units are evaluated too).

A directory stands for its unit files (``*.yaml``/``*.yml``, in name order), as in the analyses; the sets the
units name are read once. More than one file checked ends with a summary line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..analysis.cohort import unit_files
from ..analysis.progress import advance
from ..engine import evaluate
from ..errors import Problem, ScoringError
from ..formats.yaml import load_yaml
from ..language import Catalogue
from ..model import IndicatorSet, load_set, load_unit
from ..report.progress import showing_progress
from ..report.text import safe
from ..serialize import to_data, to_json
from .common import Commands, print_problems, texts_for, warning_prefix, write
from .exits import EXIT_INVALID, EXIT_OK

#: What the command prints for a file that is valid: the catalogue's ``analysis.check.<key>``.
SET_OK, UNIT_OK = "set_ok", "unit_ok"
COMPLETE, WITH_UNKNOWN = "complete", "with_unknown"
DERIVE_OK, DERIVE_UNCHECKED = "derive_ok", "derive_unchecked"
#: The ``format:`` of a weights derivation file (docs/weights.md).
DERIVE_FORMAT = "scoring-derive/1"
NO_FILES = "no set or unit files (.yaml or .yml) in {paths}"
NO_FILES_HINT = "name set or unit files, or folders that hold unit files"


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check", parents=[reading], help="validate indicator sets and unit data files"
    )
    check.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="set or unit file (told apart by content), or a directory of unit files",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="how to print problems")
    check.set_defaults(run=run)


#: A line saying what a valid file is: its catalogue key (under ``analysis.check``) and the values.
Line = tuple[str, dict[str, object]]


def _check_file(
    path: Path, encoding: str | None, root: Path | None, sets: dict[Path, IndicatorSet]
) -> tuple[Line, tuple[Problem, ...]]:
    """A line saying what the file is, when it is valid (raises :class:`ScoringError` otherwise), and what in
    a unit's data scores but looks mistaken."""
    data = load_yaml(path, encoding).data
    if isinstance(data, dict) and data.get("format") == DERIVE_FORMAT:
        return _check_derivation(path, data, sets), ()
    if isinstance(data, dict) and not {"format", "indicators", "grades", "total"}.isdisjoint(data):
        indicator_set = load_set(path, encoding)
        sets.setdefault(path.resolve(), indicator_set)  # a derivation file later in the run may name it
        return (SET_OK, {"path": path, "id": indicator_set.id, "count": len(indicator_set.indicators)}), ()
    unit = load_unit(path, sets=sets, encoding=encoding, root=root)
    result = evaluate(unit.indicator_set, unit)  # formulas can still fail on this unit's figures
    state = COMPLETE if result.complete else WITH_UNKNOWN
    line = (UNIT_OK, {"path": path, "name": unit.name, "set": unit.indicator_set.id, "state": state})
    return line, result.warnings


def _check_derivation(path: Path, data: dict[str, object], sets: dict[Path, IndicatorSet]) -> Line:
    """A weights derivation file names its set by id: checked in full against a set checked in the same run
    (sets and units read before it), else only said to be one (it is not a set, nor unit data)."""
    from ..analysis.derive import derive

    named = str(data.get("set", ""))
    levels = data.get("levels")
    count = len(levels) if isinstance(levels, list) else 0
    for indicator_set in sets.values():
        if indicator_set.id == named:
            derive(path, indicator_set)  # raises every problem of the file, located
            return DERIVE_OK, {"path": path, "set": named, "count": count}
    return DERIVE_UNCHECKED, {"path": path, "set": named}


def _texts(args: argparse.Namespace, sets: dict[Path, IndicatorSet]) -> Catalogue:
    """The words of the summary: --lang, else the language of the sets the units named (when they agree),
    else the locale."""
    languages = {indicator_set.language for indicator_set in sets.values()}
    return texts_for(args, next(iter(sets.values())) if len(languages) == 1 else None)


def run(args: argparse.Namespace) -> int:
    files = unit_files(args.files)
    problems: list[Problem] = []
    if not files:
        paths = ", ".join(str(path) for path in args.files)
        problems.append(Problem("no-units", NO_FILES.format(paths=paths), None, "FILE", NO_FILES_HINT))
    seen: set[Problem] = set()  # a set with problems, named by many units, is reported once
    summaries: list[Line] = []
    warnings: list[Problem] = []
    sets: dict[Path, IndicatorSet] = {}
    with showing_progress("check", texts=texts_for(args, None)):
        for done, path in enumerate(files, 1):
            try:
                summary, found = _check_file(path, args.encoding, args.root, sets)
                summaries.append(summary)
                warnings.extend(found)
            except ScoringError as exc:
                problems.extend(p for p in exc.problems if p not in seen)
                seen.update(exc.problems)
            advance("checking files", done, len(files))
    shown = ScoringError(problems).problems if problems else ()  # at most limits.MAX_PROBLEMS, and a count
    bad = len(files) - len(summaries)
    if args.format == "json":
        counts = {"checked": len(files), "ok": len(summaries), "with_problems": bad}
        data = {"ok": not problems, "files": counts, "problems": to_data(list(shown))}
        write(to_json({**data, "warnings": to_data(warnings)}) + "\n")
    else:
        texts = _texts(args, sets)
        for key, values in summaries:
            if "state" in values:
                values = {**values, "state": texts.text(f"analysis.check.{values['state']}")}
            print(safe(texts.text(f"analysis.check.{key}", **values)))
        print_problems(warnings, warning_prefix(texts), texts)
        print_problems(shown, texts=texts)
        if len(files) > 1:
            print(texts.text("analysis.check.summary", files=len(files), ok=len(summaries), bad=bad))
    return EXIT_INVALID if problems else EXIT_OK
