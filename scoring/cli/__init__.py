"""The ``scoring`` command. Each command is one module of this package that registers its own sub-parser.

Exit status: 0 when all is well, 1 when an input file is invalid (every problem is printed, one per line,
as ``file:line:column: message — hint``), 2 for a usage error (a bad option value included), 130 when
interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..engine.evaluate import engine_version
from ..errors import OptionError, ScoringError
from . import check, explain, margins, montecarlo, reproduce, schema, score, sensitivity, tune, weights
from .common import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_problems, reading_options

#: The commands, in the order ``scoring --help`` lists them.
COMMANDS = (check, score, explain, reproduce, tune, weights, margins, sensitivity, montecarlo, schema)


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _utf8_stdout()
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except OptionError as exc:
        print_problems(exc.problems, f"scoring {args.command}: ")
        return EXIT_USAGE
    except ScoringError as exc:
        print_problems(exc.problems)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(f"scoring {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _utf8_stdout() -> None:
    """Chinese labels must print even where the locale is not UTF-8 (Windows consoles, CI)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
