"""The ``scoring`` command. Each command is one module of this package that registers its own sub-parser.

Exit status: 0 when all is well, 1 when an input file is invalid (every problem is printed, one per line,
as ``file:line:column: message — hint``), 2 for a usage error (a bad option value included), 130 when
interrupted (Ctrl-C).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .exits import EXIT_INTERRUPTED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    The engine and the commands load here, not when this module is imported, so that Ctrl-C while they
    load ends in one line too, as it does while a command runs.
    """
    try:
        from .program import run

        return run(argv)
    except KeyboardInterrupt:
        print("scoring: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
