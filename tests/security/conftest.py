"""Shared machinery of the attack corpus: a hang guard, timing of every rejection, and a report of the slowest.

Each payload runs under :func:`time_limit`, which interrupts a loader stuck in Python code with :class:`Hang`
and makes the test fail instead of hang. Two ways, chosen per call:

- ``SIGALRM`` via ``setitimer`` where the platform has it and the call runs in the main thread (Linux, macOS):
  the signal handler raises :class:`Hang` in the payload;
- elsewhere (Windows has no ``SIGALRM``; any platform off the main thread) a watcher thread raises
  :class:`Hang` in the payload's thread when the time is up, through CPython's
  ``PyThreadState_SetAsyncExc``. Like a signal handler it takes effect between two bytecodes.

Neither can stop a C call that never returns: that is caught by the ``faulthandler`` watchdog (which works
everywhere), which dumps the stacks and ends the session. On an interpreter with neither ``SIGALRM`` nor
``PyThreadState_SetAsyncExc`` the watchdog is the only guard. Budgets are in CPU seconds (which do not grow
when other processes share the cores); the guard allows :data:`WALL_HEADROOM` times as much wall time. The
times are collected and the slowest are printed in the terminal summary.
"""

from __future__ import annotations

import ctypes
import faulthandler
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

import pytest

from . import timings

#: A payload counts as hung after this many times its CPU budget in wall time.
WALL_HEADROOM = 5
#: Hard backstop per test: a payload stuck in C code (where neither way can interrupt it) ends the session.
WATCHDOG_SECONDS = 60


class Hang(Exception):
    """Raised inside a payload that runs past its time limit."""


#: Whether this platform has SIGALRM and setitimer (not Windows).
HAS_ALARM = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
#: CPython's PyThreadState_SetAsyncExc(thread id, exception type or NULL), or None on other interpreters.
_set_async_exc: Any = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)


def limit_mechanism() -> str:
    """How :func:`time_limit` interrupts a block in the calling thread: "alarm", "thread" or "none"."""
    if HAS_ALARM and threading.current_thread() is threading.main_thread():
        return "alarm"
    if _set_async_exc is not None:
        return "thread"
    return "none"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`Hang` after ``seconds``: by SIGALRM in the main thread where there is
    one, by a watcher thread elsewhere (see the module's docstring)."""
    mechanism = limit_mechanism()
    if mechanism == "alarm":
        with _alarm_limit(seconds):
            yield
    elif mechanism == "thread":
        with _thread_limit(seconds):
            yield
    else:  # the faulthandler watchdog is the only guard
        yield


@contextmanager
def _alarm_limit(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_limit(seconds: float) -> Iterator[None]:
    class Expired(Hang):
        """The exception the watcher raises (asynchronously: a type, created without arguments)."""

        def __str__(self) -> str:
            return f"still running after {seconds} s"

    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(ctypes.c_ulong(target), ctypes.py_object(Expired))

    watcher = threading.Timer(seconds, expire)
    watcher.daemon = True
    watcher.start()
    try:
        yield
    finally:
        watcher.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:  # raised already, or still pending: then withdraw it, the block is over
                _set_async_exc(ctypes.c_ulong(target), None)


@dataclass
class Outcome:
    """What a timed call did: its result or the exception it raised, and the CPU seconds it took."""

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


def cpu_seconds() -> float:
    """CPU time of this process (to the nanosecond: ``os.times`` counts in ticks of 10 ms) and of its
    children that have ended (user and system)."""
    if resource is None:  # Windows: no children's times
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_timed(label: str, call: Callable[[], Any], limit: float = 1.0) -> Outcome:
    """Run ``call``, record its time, and return what happened (never raises Hang).

    ``limit`` is a budget of CPU seconds, which the caller checks against ``Outcome.seconds``: CPU time is
    what a payload costs, and it does not stretch when the machine is shared (the suite runs one worker per
    core). The hang guard interrupts the call only after :data:`WALL_HEADROOM` times ``limit`` of wall time.
    """
    start = cpu_seconds()
    try:
        with time_limit(limit * WALL_HEADROOM):
            result = call()
    except BaseException as exc:  # recorded and judged by the caller
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcome = Outcome(label, cpu_seconds() - start, error=exc)
    else:
        outcome = Outcome(label, cpu_seconds() - start, result=result)
    timings.TIMINGS.append((label, outcome.seconds))
    return outcome


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
