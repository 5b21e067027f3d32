"""Run a longer fuzz campaign over the targets of ``tests/test_fuzz.py`` (issue 4, "Fuzzing").

    python scripts/fuzz.py --examples 20000 [--seconds N] [--target NAME ...]

Each target (random and mutated YAML for the set and unit loaders, random data for ``evaluate``, random
published tables for ``reproduce``) runs with Hypothesis at the given budget, from fresh random seeds, with
shrinking: a failure is printed with its minimal example. The script prints how many cases ran per target
and in total, and exits 1 if any target failed. ``--seconds`` caps the wall time of the whole campaign
(shared evenly between the targets); without it each target runs until it has ``--examples`` examples.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import traceback
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=20000, help="examples per target (default 20000)")
    parser.add_argument("--seconds", type=float, default=None, help="wall-time budget of the whole campaign")
    parser.add_argument("--target", action="append", help="run only these targets (repeatable)")
    args = parser.parse_args(argv)

    os.environ["SCORING_FUZZ_PROFILE"] = "campaign"
    os.environ["SCORING_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    from tests import test_fuzz  # after the profile is chosen

    names = args.target or list(test_fuzz.TARGETS)
    unknown = [name for name in names if name not in test_fuzz.TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; targets: {', '.join(test_fuzz.TARGETS)}")
    share = args.seconds / len(names) if args.seconds else None
    print(f"fuzz campaign: {len(names)} targets, {args.examples} examples each", end="")
    print(f", at most {share:.0f} s each" if share else "", flush=True)

    failed: list[str] = []
    started = time.monotonic()
    for name in names:
        test = getattr(test_fuzz, f"test_fuzz_{name}")
        before = test_fuzz.CASES[name]
        test_fuzz.DEADLINE = time.monotonic() + share if share else None
        begin = time.monotonic()
        report = io.StringIO()
        status = "ok"
        try:
            with redirect_stdout(report):  # Hypothesis prints seeds and examples; keep them for failures
                test()
        except test_fuzz.OutOfTime:
            status = "ok (time budget reached)"
        except BaseException as exc:  # report every failure and go on
            if isinstance(exc, KeyboardInterrupt):
                raise
            status = "FAILED"
            failed.append(name)
            print(f"\n=== {name}: FAILED ===")
            print(report.getvalue().rstrip())
            print("".join(traceback.format_exception(exc))[-20000:])
        ran = test_fuzz.CASES[name] - before
        elapsed = time.monotonic() - begin
        print(
            f"{name:<16} {ran:>8} cases  {elapsed:8.1f} s  {ran / max(elapsed, 1e-9):8.0f}/s  {status}",
            flush=True,
        )
    total = sum(test_fuzz.CASES[name] for name in names)
    print(f"{'total':<16} {total:>8} cases  {time.monotonic() - started:8.1f} s")
    if failed:
        print(f"failed targets: {', '.join(failed)}")
        return 1
    print("no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
