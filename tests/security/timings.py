"""The time of every payload the corpus runs, and the report of the slowest ones at the end of a session.

Kept apart from ``conftest.py`` so that the root conftest can gather it from pytest-xdist's workers: each
worker hands its timings over when it finishes (``workeroutput``), and the controller, which runs no test,
prints the report of all of them.
"""

from __future__ import annotations

from typing import Any

#: (label, seconds) of every timed payload in this process.
TIMINGS: list[tuple[str, float]] = []


def report(terminalreporter: Any) -> None:
    """The section "security: slowest payloads": the count and total, then the five slowest of each kind."""
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
