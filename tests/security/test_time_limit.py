"""The hang guard of the attack corpus (``conftest.py``): a payload stuck in Python code fails its test instead
of hanging it, by SIGALRM where there is one and by a watcher thread elsewhere (Windows, other threads)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from . import conftest
from . import timings as timings_module
from .conftest import Hang, Outcome, limit_mechanism, run_timed, time_limit

#: A payload stuck in Python code: it would run for this long if nothing interrupted it.
STUCK_SECONDS = 10.0
LIMIT = 0.1


def _stuck() -> str:
    end = time.monotonic() + STUCK_SECONDS
    while time.monotonic() < end:
        pass
    return "not interrupted"


@pytest.fixture
def timings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float]]:
    """A fresh list of timings, so these payloads stay out of the session's report of the slowest."""
    fresh: list[tuple[str, float]] = []
    monkeypatch.setattr(timings_module, "TIMINGS", fresh)
    return fresh


@pytest.fixture(params=["alarm", "thread"])
def mechanism(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way of interrupting, in the main thread; 'thread' is what Windows uses (no SIGALRM)."""
    if request.param == "alarm" and not conftest.HAS_ALARM:
        pytest.skip("no SIGALRM on this platform")
    if request.param == "thread":
        if conftest._set_async_exc is None:
            pytest.skip("no PyThreadState_SetAsyncExc on this interpreter")
        monkeypatch.setattr(conftest, "HAS_ALARM", False)  # as on Windows
    assert limit_mechanism() == request.param
    return request.param


def test_stuck_payload_fails_instead_of_hanging(mechanism: str, timings: list[tuple[str, float]]):
    started = time.monotonic()
    outcome = run_timed("test stuck payload", _stuck, LIMIT)
    elapsed = time.monotonic() - started
    assert isinstance(outcome.error, Hang), f"{mechanism}: {outcome}"
    assert f"still running after {LIMIT * conftest.WALL_HEADROOM} s" in str(outcome.error)
    assert elapsed < STUCK_SECONDS / 2, f"{mechanism}: interrupted only after {elapsed:.1f} s"
    assert timings == [("test stuck payload", outcome.seconds)]
    assert LIMIT <= outcome.seconds < STUCK_SECONDS / 2
    with pytest.raises(pytest.fail.Exception, match="did not finish within its time limit"):
        outcome.raised()


def test_quick_payload_is_not_interrupted_later(mechanism: str, timings: list[tuple[str, float]]):
    """A call that finishes in time returns its result, and no Hang arrives after the block has ended."""
    outcome = run_timed("test quick payload", lambda: 42, LIMIT)
    assert outcome == Outcome("test quick payload", outcome.seconds, result=42)
    end = time.monotonic() + 2 * LIMIT
    while time.monotonic() < end:  # Python code past the limit: a late Hang would be raised here
        pass
    with pytest.raises(pytest.fail.Exception, match="accepted"):
        outcome.raised()
    assert [label for label, _ in timings] == ["test quick payload"]


def test_errors_pass_through_the_limit(mechanism: str, timings: list[tuple[str, float]]):
    def refuse() -> None:
        raise ValueError("refused")

    error = run_timed("test refused payload", refuse, LIMIT).raised()
    assert isinstance(error, ValueError)
    with pytest.raises(ValueError), time_limit(LIMIT):
        refuse()


def test_payload_in_another_thread_is_interrupted_too(timings: list[tuple[str, float]]):
    """Off the main thread SIGALRM cannot be used (the guard used to do nothing there): the watcher does."""
    if conftest._set_async_exc is None:
        pytest.skip("no PyThreadState_SetAsyncExc on this interpreter")
    seen: dict[str, Any] = {}

    def worker() -> None:
        seen["mechanism"] = limit_mechanism()
        seen["outcome"] = run_timed("test stuck payload in a thread", _stuck, LIMIT)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    thread.join(STUCK_SECONDS / 2)
    assert not thread.is_alive(), "the payload in a thread was not interrupted"
    assert seen["mechanism"] == "thread"
    assert isinstance(seen["outcome"].error, Hang)


def test_slowest_payloads_are_reported(timings: list[tuple[str, float]]):
    timings.extend([("yaml a", 0.5), ("yaml b", 0.25), ("formula c", 0.001)])
    lines: list[str] = []

    class Reporter:
        def section(self, title: str) -> None:
            lines.append(f"== {title}")

        def write_line(self, line: str) -> None:
            lines.append(line)

    timings_module.report(Reporter())
    assert lines[0] == "== security: slowest payloads"
    assert lines[1] == "3 payloads timed; total 0.75 s"
    assert "yaml (2 timed, slowest first):" in lines
    assert lines.index("      500.0 ms  yaml a") < lines.index("      250.0 ms  yaml b")
