"""A progress bar on stderr for long runs (Monte Carlo, batch scoring), drawn by tqdm."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

#: Progress callback: (done, total).
Progress = Callable[[int, int], None]


def progress_bar(
    label: str, enabled: bool | None = None, unit: str = "weightings"
) -> tuple[Progress | None, Callable[[], None]]:
    """A progress callback drawing a bar on stderr, and a function to close it.

    ``enabled=None`` shows it only when stderr is a terminal. The bar needs tqdm (in the ``fast`` extra);
    without it there is no bar.
    """
    if enabled is None:
        enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
    if not enabled:
        return None, lambda: None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm comes with the fast extra
        return None, lambda: None
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            # a total of 0 is not known yet (rows of a CSV): the bar then counts without a percentage
            bar = tqdm(total=total or None, desc=label, file=sys.stderr, unit=unit, leave=False)
        bar.update(done - bar.n)
        if total and done >= total:
            bar.refresh()  # the last step is drawn even when it comes sooner than tqdm redraws

    def close() -> None:
        if bar is not None:
            bar.close()

    return update, close
