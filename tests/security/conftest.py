"""Shared machinery of the attack corpus: a hang guard, timing of every rejection, and a report of the slowest.

Each payload runs under :func:`time_limit` (``SIGALRM`` via ``setitimer``), which interrupts a loader stuck in
Python code and makes the test fail instead of hang; a C call that never returns is caught by the
``faulthandler`` watchdog, which dumps the stacks and ends the session. Elapsed times are collected and the
slowest are printed in the terminal summary.
"""

from __future__ import annotations

import faulthandler
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

#: Hard backstop per test: a payload stuck in C code (where SIGALRM cannot interrupt) ends the session.
WATCHDOG_SECONDS = 60

#: (label, seconds) of every timed payload in this session.
TIMINGS: list[tuple[str, float]] = []


class Hang(Exception):
    """Raised inside a payload that runs past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`Hang` after ``seconds`` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    """What a timed call did: its result or the exception it raised, and how long it took."""

    label: str
    seconds: float
    result: Any = None
    error: BaseException | None = None

    def raised(self) -> BaseException:
        """The exception raised; fails the test when the call returned normally or hung."""
        if isinstance(self.error, Hang):
            pytest.fail(f"{self.label}: did not finish within its time limit ({self.error})")
        if self.error is None:
            pytest.fail(f"{self.label}: accepted (returned {type(self.result).__name__}), expected an error")
        return self.error


def run_timed(label: str, call: Callable[[], Any], limit: float = 1.0) -> Outcome:
    """Run ``call`` under :func:`time_limit`, record its time, and return what happened (never raises Hang)."""
    start = time.perf_counter()
    try:
        with time_limit(limit):
            result = call()
    except BaseException as exc:  # recorded and judged by the caller
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcome = Outcome(label, time.perf_counter() - start, error=exc)
    else:
        outcome = Outcome(label, time.perf_counter() - start, result=result)
    TIMINGS.append((label, outcome.seconds))
    return outcome


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("security: slowest payloads")
    terminalreporter.write_line(f"{len(TIMINGS)} payloads timed; total {sum(t for _, t in TIMINGS):.2f} s")
    kinds: dict[str, list[tuple[str, float]]] = {}
    for label, seconds in TIMINGS:
        kinds.setdefault(label.split(" ", 1)[0], []).append((label, seconds))
    for kind, timings in sorted(kinds.items()):
        slowest = sorted(timings, key=lambda item: item[1], reverse=True)[:5]
        terminalreporter.write_line(f"{kind} ({len(timings)} timed, slowest first):")
        for label, seconds in slowest:
            terminalreporter.write_line(f"  {seconds * 1000:9.1f} ms  {label[:110]}")
