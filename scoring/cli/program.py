"""The ``scoring`` command's parser, with the sub-parser each command module registers, and its run."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..engine.evaluate import engine_version
from ..errors import OptionError, ScoringError
from ..language import Catalogue, catalogue, choose_language
from . import (
    batch,
    check,
    explain,
    margins,
    montecarlo,
    panel,
    reproduce,
    schema,
    score,
    sensitivity,
    tune,
    weights,
)
from .common import check_encoding, print_problems, reading_options
from .exits import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_USAGE

#: The commands, in the order ``scoring --help`` lists them.
COMMANDS = (
    check,
    score,
    batch,
    explain,
    reproduce,
    tune,
    weights,
    margins,
    sensitivity,
    montecarlo,
    panel,
    schema,
)


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``scoring`` command, with every command's sub-parser."""
    top = argparse.ArgumentParser(
        prog="scoring",
        description="Evaluate units' data against YAML indicator sets: per-indicator, group and total scores.",
    )
    top.add_argument("--version", action="version", version=f"scoring {engine_version()}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    reading = reading_options()
    for command in COMMANDS:
        command.register(commands, reading)
    return top


def run(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run the command; returns the exit status."""
    _utf8_stdout()
    args = parser().parse_args(argv)
    try:
        check_encoding(getattr(args, "encoding", None))
        status: int = args.run(args)
        return status
    except OptionError as exc:
        print_problems(exc.problems, f"scoring {args.command}: ", _problem_texts(args))
        return EXIT_USAGE
    except ScoringError as exc:
        print_problems(exc.problems, texts=_problem_texts(args))
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(f"scoring {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _problem_texts(args: argparse.Namespace) -> Catalogue:
    """The language problems print in: ``--lang``, else the locale (the set may not have loaded)."""
    return catalogue(choose_language(getattr(args, "lang", None), None))


def _utf8_stdout() -> None:
    """Chinese labels must print even where the locale is not UTF-8 (Windows consoles, CI)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")
