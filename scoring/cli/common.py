"""What every command shares: exit codes, the options that read files, loading a unit with its set, and
printing problems."""

from __future__ import annotations

import argparse
import codecs
import functools
import sys
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import Protocol

from ..analysis.cohort import Cohort, load_cohort
from ..errors import OptionError, Problem, clip
from ..language import LANGUAGES, Catalogue, catalogue, choose_language
from ..model import IndicatorSet, Unit, load_set, load_unit
from ..model.panel_bind import panel_warnings
from ..model.value_hints import value_warnings
from ..report.csv import csv_document
from ..report.problems import problem_text
from ..report.progress import showing_progress
from ..report.text import safe
from ..serialize import JsonForm
from .exits import EXIT_USAGE

#: What a command's module provides: ``register`` adds its sub-parser, whose ``run`` default runs it.
Run = Callable[[argparse.Namespace], int]


class Commands(Protocol):
    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser: ...


def check_encoding(name: str | None) -> None:
    """Refuse an ``--encoding`` that names no text encoding: a usage error on one line, before any file is
    read (argparse would print its usage block first)."""
    if name is None:
        return
    try:
        known = getattr(codecs.lookup(name), "_is_text_encoding", True)
        message = f"{clip(name, 40)!r} is not a text encoding"
    except LookupError:
        known, message = False, f"unknown encoding {clip(name, 40)!r}"
    if not known:
        hint = "name one such as utf-8 or gb18030 (which reads GBK files too)"
        raise OptionError(Problem("encoding", message, None, "--encoding", hint))


def reading_options() -> argparse.ArgumentParser:
    """The options of every command that reads files."""
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--encoding",
        metavar="NAME",
        help="read the YAML files in this encoding (default UTF-8), e.g. gbk",
    )
    reading.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="read the sets that units name (set:) only from under this directory",
    )
    reading.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the language of reports and workbooks (default: the set's language:, else the locale)",
    )
    return reading


def texts_for(args: argparse.Namespace, indicator_set: IndicatorSet | None) -> Catalogue:
    """The catalogue a command's reports speak: --lang, else the set's ``language:``, else the locale."""
    requested = getattr(args, "lang", None)
    return catalogue(choose_language(requested, indicator_set.language if indicator_set else None))


def add_set_option(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    parser.add_argument("--set", type=Path, dest="set_path", metavar="SET", help=help_text)


def cohort_command(
    commands: Commands,
    reading: argparse.ArgumentParser,
    name: str,
    about: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """The sub-parser of a command over many units: UNITS..., --set and --format, and the reading options."""
    parser = commands.add_parser(name, parents=[reading], help=about)
    parser.add_argument(
        "units",
        nargs="+",
        type=Path,
        metavar="UNITS",
        help="unit files or directories; or SET TABLE...: a set and tables of units (.csv, .xlsx, .parquet)",
    )
    add_set_option(parser, "score every unit against this set")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet of an XLSX table (default: the first)")
    parser.add_argument(
        "--columns", type=Path, metavar="MAP", help="a table's column map (see scoring batch)"
    )
    parser.add_argument("--id-column", metavar="HEADER", help="a table's column naming each unit")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE: .xlsx a workbook (the units ranked, then the analysis), .html a report with "
        "its chart, else --format's output",
    )
    parser.set_defaults(run=run)
    add_excel_option(parser)
    _show_progress(parser)
    return parser


def _show_progress(parser: argparse.ArgumentParser) -> None:
    """Wrap the parser's run so that its long loops (reading, scoring, searching the units) draw progress on
    stderr when it is a terminal (and the command has no ``--no-progress``)."""
    run: Run = parser.get_default("run")

    @functools.wraps(run)
    def run_with_progress(args: argparse.Namespace) -> int:
        enabled = False if getattr(args, "no_progress", False) else None
        with showing_progress(args.command, enabled, texts_for(args, None)):
            return run(args)

    parser.set_defaults(run=run_with_progress)


#: Whether the next :func:`write` of the running command begins with a byte order mark (see :func:`csv_bom`).
_BOM_PENDING: ContextVar[bool] = ContextVar("scoring_bom_pending", default=False)


def csv_bom(args: argparse.Namespace, indicator_set: IndicatorSet | None = None) -> bool:
    """Whether the command's CSV output begins with a UTF-8 byte order mark, which Excel needs to read it as
    UTF-8: with ``--excel``, or when the command speaks Chinese (``--lang zh``, the set's ``language: zh``
    once the set is known, or a Chinese locale), as Excel on a Chinese Windows would otherwise show the text
    garbled. The one place that decides it."""
    if getattr(args, "format", None) != "csv":
        return False
    return bool(getattr(args, "excel", False)) or texts_for(args, indicator_set).language == "zh"


def bom_for_set(args: argparse.Namespace, indicator_set: IndicatorSet) -> None:
    """Once the set is loaded: a Chinese set's CSV on stdout begins with the byte order mark too."""
    if csv_bom(args, indicator_set):
        _BOM_PENDING.set(True)


def add_excel_option(parser: argparse.ArgumentParser) -> None:
    """``--excel`` for a command that writes CSV: call it after the parser's ``run`` default is set (it
    wraps the run so that the output :func:`write` prints begins with the byte order mark)."""
    parser.add_argument(
        "--excel",
        action="store_true",
        help="with --format csv: begin with a UTF-8 byte order mark, so that Excel reads Chinese text right",
    )
    run: Run = parser.get_default("run")

    @functools.wraps(run)
    def run_with_bom(args: argparse.Namespace) -> int:
        token = _BOM_PENDING.set(csv_bom(args))
        try:
            return run(args)
        finally:
            _BOM_PENDING.reset(token)

    parser.set_defaults(run=run_with_bom)


def add_rescale_option(parser: argparse.ArgumentParser, default: str | None) -> None:
    """--rescale, for the commands that change weights."""
    parser.add_argument(
        "--rescale",
        choices=("proportional", "none"),
        default=default,
        help="proportional (default): keep the total by scaling the other weights; none: let the total change",
    )


def load(
    unit_path: Path,
    set_path: Path | None,
    encoding: str | None,
    root: Path | None = None,
    lang: str | None = None,
) -> tuple[IndicatorSet, Unit]:
    """A unit and the set it is scored against (``set_path``, or the set the unit names); what in its data
    looks mistaken is printed as warnings, in ``lang`` (else the set's language, else the locale's)."""
    indicator_set = load_set(set_path, encoding) if set_path is not None else None
    unit = load_unit(unit_path, indicator_set, encoding=encoding, root=root)
    texts = catalogue(choose_language(lang, unit.indicator_set.language))
    print_problems(
        value_warnings(unit) + panel_warnings(unit), warning_prefix(texts), texts
    )  # it scores, but looks mistaken
    return unit.indicator_set, unit


def cohort_of(args: argparse.Namespace) -> Cohort:
    """The units the command compares: unit files and folders, or tables of units under a set given first
    (``SET TABLE...``) or with ``--set``."""
    from ..tables import TABLE_SUFFIXES

    tables = [path for path in args.units if path.suffix.lower() in TABLE_SUFFIXES]
    if not tables:
        return load_cohort(args.units, args.set_path, args.encoding, args.root)
    from ..batch.cohort import TableCohort
    from .batch import column_map

    others = [path for path in args.units if path not in tables]
    set_path = args.set_path
    if set_path is None and len(others) == 1:
        set_path, others = others[0], []
    if set_path is None or others:
        message = "tables of units are scored under a set named first (SET TABLE...) or with --set, and without unit files"
        raise OptionError(
            Problem("units-table", message, None, "UNITS", f"e.g. scoring {args.command} SET units.csv")
        )
    options = {"encoding": args.encoding, "sheet": args.sheet, "id_column": args.id_column}
    options["columns"] = column_map(args.columns, args.encoding) if args.columns else None
    return TableCohort(load_set(set_path, args.encoding), tables, options)


def write(text: str) -> None:
    """Print an output (every renderer's output is already safe; JSON escapes its own); CSV for Excel
    begins with the byte order mark (:func:`csv_bom`)."""
    if _BOM_PENDING.get():
        _BOM_PENDING.set(False)
        text = csv_document(text, bom=True)
    sys.stdout.write(text)


def warning_prefix(texts: Catalogue | None) -> str:
    """What leads a warning's line: 'warning: ', or its words in the command's language."""
    return (texts or catalogue("en")).text("problem.warning")


def print_problems(problems: Iterable[Problem], prefix: str = "", texts: Catalogue | None = None) -> None:
    """Each problem on a line of stderr (its text made safe to print: it may quote a stranger's file), in the
    language of ``texts`` (as the engine wrote it when None; see :func:`..report.problems.problem_text`)."""
    for problem in problems:
        print(safe(f"{prefix}{problem_text(problem, texts)}"), file=sys.stderr)


def usage_error(
    command: str, message: str, args: argparse.Namespace | None = None, key: str = "", **values: object
) -> int:
    """A usage error on one line: ``message`` (English), or, when the command speaks another language, the
    catalogue's ``text.cli.usage.<key>`` filled with ``values``."""
    texts = texts_for(args, None) if args is not None and key else None
    if texts is None or texts.language == "en":
        print(safe(f"scoring {command}: {message}"), file=sys.stderr)
    else:
        line = texts.text(
            "text.cli.usage.line", command=command, message=texts.text(f"text.cli.usage.{key}", **values)
        )
        print(safe(line), file=sys.stderr)
    return EXIT_USAGE


def write_analysis(
    args: argparse.Namespace,
    kind: str,
    report: JsonForm,
    indicator_set: IndicatorSet,
    csv_text: Callable[[], str],
    table_text: Callable[[], str],
) -> None:
    """An analysis' output: to ``-o FILE`` (a workbook, an HTML report, or the text of ``--format``) or to
    standard output."""
    output: str = getattr(args, "output", None) or ""
    suffix = Path(output).suffix.lower()
    if suffix in (".xlsx", ".html", ".htm"):
        from ..report.analysis_outputs import analysis_report, write_analysis_workbook

        texts = texts_for(args, indicator_set)
        if suffix == ".xlsx":
            write_analysis_workbook(output, kind, report, indicator_set, texts, csv_text())
        else:
            Path(output).write_text(analysis_report(kind, report, indicator_set, texts, csv_text()), "utf-8")
        return
    if args.format == "json":
        text = report.to_json() + "\n"
    else:
        text = csv_text() if args.format == "csv" else table_text()
    if output:
        Path(output).write_bytes(csv_document(text, bom=csv_bom(args)).encode("utf-8"))
    else:
        write(text)
