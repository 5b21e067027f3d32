"""The resource budget every payload of the corpus must keep: 2 s and 100 MB, whether accepted or refused.

:func:`within_budget` runs a payload under the corpus's time limit (``run_timed``), timed, and measures the
memory it takes at its peak. On Linux the payload runs once more in a forked child whose peak resident size
is reset before it starts (``/proc/self/clear_refs``), so the peak is real memory — C allocations such as
libyaml's included — and costs only the payload's own time; elsewhere the second run is under
``tracemalloc``. The test fails when the payload hangs, takes longer than :data:`SECONDS`, grows the process
by more than :data:`MEGABYTES`, or ends in anything but a :class:`scoring.ScoringError` (a traceback). Every
cost is recorded, so that the slowest payload can be compared with loading the shipped Hunan set
(``test_budget.py``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import scoring

from .conftest import run_timed

#: Wall-clock limit of one payload (generous: CI machines are shared; the ratio test is the strict one).
SECONDS = 2.0
#: Peak of memory one payload may add to the process, in megabytes.
MEGABYTES = 100


@dataclass(frozen=True)
class Cost:
    label: str
    seconds: float
    megabytes: float


#: The cost of every payload run in this session (read by test_budget.py).
COSTS: list[Cost] = []


def _status_kilobytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def peak_in_child(call: Callable[[], Any]) -> float:
    """Megabytes ``call`` adds to the resident size at its peak, measured in a forked child."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: reset the peak, run, report the growth
        os.close(reader)
        try:
            Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
            before = _status_kilobytes("VmRSS")
            with contextlib.suppress(scoring.ScoringError):
                call()
            grown = _status_kilobytes("VmHWM") - before
            os.write(writer, str(grown).encode())
        finally:
            os._exit(0)
    os.close(writer)
    report = os.read(reader, 64)
    os.close(reader)
    os.waitpid(pid, 0)
    return int(report) / 1024 if report else float("inf")


def _peak_traced(label: str, call: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        run_timed(f"{label} (memory)", call, limit=10 * SECONDS)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def can_fork_and_measure() -> bool:
    return sys.platform.startswith("linux") and os.access("/proc/self/clear_refs", os.W_OK)


def within_budget(label: str, call: Callable[[], Any]) -> Any:
    """Run ``call`` within the budget; return its result, or the :class:`scoring.ScoringError` it raised."""
    outcome = run_timed(label, call, limit=SECONDS)
    if outcome.error is not None and not isinstance(outcome.error, scoring.ScoringError):
        outcome.raised()  # a hang fails here with its own message
        pytest.fail(
            f"{label}: {type(outcome.error).__name__}: {outcome.error} (a traceback, not a located error)"
        )
    peak = peak_in_child(call) if can_fork_and_measure() else _peak_traced(label, call)
    COSTS.append(Cost(label, outcome.seconds, peak))
    assert peak <= MEGABYTES, (
        f"{label}: grew the process by {peak:.0f} MB at its peak (budget {MEGABYTES} MB)"
    )
    assert outcome.seconds <= SECONDS, f"{label}: took {outcome.seconds:.2f} s (budget {SECONDS} s)"
    return outcome.error if outcome.error is not None else outcome.result


def refused(label: str, call: Callable[[], Any], code: str | None = None) -> scoring.ScoringError:
    """Run ``call`` within the budget and return the error it must end in (with ``code`` among its problems)."""
    outcome = within_budget(label, call)
    if not isinstance(outcome, scoring.ScoringError):
        pytest.fail(f"{label}: accepted, expected a located error")
    if code is not None:
        codes = [problem.code for problem in outcome.problems]
        assert code in codes, f"{label}: no {code!r} problem in {codes}: {outcome}"
    return outcome
