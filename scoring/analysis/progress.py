"""How far long work over many units has got: the loops report here, whoever listens draws it.

An analysis over a large cohort spends its time in a few loops — reading the unit files, scoring every unit,
searching each unit's margins, scoring the weightings of the matrix path. Each loop calls :func:`advance`
with what it is doing and how far it is; a caller that wants to show it (the command line draws a bar on a
terminal, :mod:`scoring.report.progress`) listens for the duration of a call with :func:`listening`. With no
listener, :func:`advance` costs one context-variable lookup. The listener is held in a context variable, so
it follows the calling thread (and asyncio task) and never leaks into another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: A listener: (what is being done, how many done, out of how many; 0 when not known).
Listener = Callable[[str, int, int], None]

_LISTENER: ContextVar[Listener | None] = ContextVar("scoring_progress", default=None)


def advance(phase: str, done: int, total: int) -> None:
    """Say that ``done`` of ``total`` items of ``phase`` (e.g. "scoring units") are done."""
    listener = _LISTENER.get()
    if listener is not None:
        listener(phase, done, total)


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Send every :func:`advance` made inside the ``with`` block (in this thread) to ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)
