"""Progress on stderr for long runs: a bar drawn by tqdm when it is installed, else a line of its own.

Drawn only when stderr is a terminal (a pipe or a log file gets nothing). :func:`progress_bar` gives a
callback for one loop (Monte Carlo's weightings, batch scoring's rows); :func:`showing_progress` listens to
every loop of an analysis (:mod:`scoring.analysis.progress`: reading units, scoring them, searching margins,
scoring weightings), one bar per phase, each drawn only once its phase has run for :data:`DELAY_SECONDS`,
so quick commands print nothing extra.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from ..analysis.progress import listening
from ..language import Catalogue

#: Progress callback: (done, total).
Progress = Callable[[int, int], None]

#: Seconds a phase of :func:`showing_progress` runs before its bar is first drawn.
DELAY_SECONDS = 0.5
#: Seconds between two redraws of the line drawn without tqdm.
_REDRAW_SECONDS = 0.1
_BAR_WIDTH = 24


def on_terminal(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (default stderr) is a terminal."""
    stream = stream if stream is not None else sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


class _Line:
    """A one-line bar of its own on ``stream``, redrawn in place (for when tqdm is not installed)."""

    def __init__(self, label: str, unit: str, stream: TextIO, delay: float) -> None:
        self.label, self.unit, self.stream, self.delay = label, unit, stream, delay
        self.start = time.monotonic()
        self.drawn_at: float | None = None
        self.width = 0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        finished = bool(total) and done >= total
        if now - self.start < self.delay or (
            self.drawn_at is not None and now - self.drawn_at < _REDRAW_SECONDS and not finished
        ):
            return
        self.drawn_at = now
        if total:
            filled = _BAR_WIDTH * min(done, total) // total
            text = f"{self.label} [{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total} {self.unit}"
        else:
            text = f"{self.label} {done} {self.unit}"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.drawn_at is not None:  # leave the line empty, as tqdm's leave=False does
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _bar(label: str, unit: str, stream: TextIO, delay: float = 0) -> tuple[Progress, Callable[[], None]]:
    """(update, close) of a bar drawn by tqdm, or by :class:`_Line` without it, first drawn after
    ``delay`` seconds."""
    try:
        from tqdm import tqdm
    except ImportError:
        line = _Line(label, unit, stream, delay)
        return line.update, line.close
    bar: Any = None
    started = time.monotonic()

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            # a total of 0 is not known yet (rows of a CSV): the bar then counts without a percentage
            bar = tqdm(total=total or None, desc=label, file=stream, unit=unit, leave=False, delay=delay)
        bar.update(done - bar.n)
        if total and done >= total and time.monotonic() - started >= delay:
            bar.refresh()  # the last step is drawn even when it comes sooner than tqdm redraws

    def close() -> None:
        if bar is not None:
            bar.close()

    return update, close


def progress_bar(
    label: str, enabled: bool | None = None, unit: str = "weightings"
) -> tuple[Progress | None, Callable[[], None]]:
    """A progress callback drawing a bar on stderr, and a function to close it.

    ``enabled=None`` shows it only when stderr is a terminal; without it the callback is None.
    """
    if not (on_terminal() if enabled is None else enabled):
        return None, lambda: None
    return _bar(label, unit, sys.stderr)


#: The unit each phase of :mod:`scoring.analysis.progress` counts in.
_UNITS = {"reading units": "files", "scoring units": "units", "grade margins": "units", "weightings": "weightings",
          "checking files": "files"}  # fmt: skip


def phase_text(phase: str, texts: Catalogue | None) -> str:
    """A phase's name in the words of ``texts`` (the catalogues' ``progress:`` section; a table being scored
    is ``scoring NAME``); as the loop said it without a catalogue, or for a phase the catalogue lacks."""
    if texts is None:
        return phase
    if phase in _UNITS:
        return texts.text(f"progress.{phase.replace(' ', '_')}")
    if phase.startswith("scoring "):
        return texts.text("progress.scoring_table", name=phase.removeprefix("scoring "))
    return phase


@contextmanager
def showing_progress(
    label: str, enabled: bool | None = None, texts: Catalogue | None = None
) -> Iterator[None]:
    """Draw a bar on stderr for each phase of the work done inside the ``with`` block (one at a time,
    labelled ``label: phase``, the phase in the words of ``texts``); ``enabled=None`` draws only when
    stderr is a terminal."""
    if not (on_terminal() if enabled is None else enabled):
        yield
        return
    stream = sys.stderr
    current: list[Any] = [None, None, None]  # phase, update, close

    def listen(phase: str, done: int, total: int) -> None:
        if phase != current[0]:
            if current[2] is not None:
                current[2]()
            shown = f"{label}: {phase_text(phase, texts)}"
            update, close = _bar(shown, _UNITS.get(phase, "items"), stream, DELAY_SECONDS)
            current[:] = [phase, update, close]
        current[1](done, total)

    try:
        with listening(listen):
            yield
    finally:
        if current[2] is not None:
            current[2]()
