"""Suite-wide test configuration: the Hypothesis profile, and the ``slow`` marker on property tests.

The profiles are defined in ``tests/profiles.py`` (``scripts/fuzz.py`` needs them outside pytest too):
``dev`` is loaded unless ``HYPOTHESIS_PROFILE`` names another (``HYPOTHESIS_PROFILE=ci``); the option
``--hypothesis-profile=ci`` of Hypothesis's pytest plugin overrides both, as the plugin loads it after this
file. Hypothesis itself would load its own ``ci`` profile when it sees a ``CI`` variable; the suite loads
``dev`` all the same, so a run costs the same everywhere unless ``ci`` is asked for.

``slow`` (registered in ``pyproject.toml``, with ``--strict-markers``) marks the tests that take most of the
suite's time: every Hypothesis test is marked here (from a third of a second to two seconds each under
``dev``, and five times that under ``ci``); tests that start a child process are marked where they are
written. The default run runs them all; ``pytest -m "not slow"`` leaves them out.

The suite runs on every core (``-n auto`` of pytest-xdist, in ``pyproject.toml``; ``-n 0`` runs it in one
process). The security corpus's report of its slowest payloads is gathered here from the workers.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings

from tests.profiles import selected_profile
from tests.security import timings

try:
    from hypothesis import is_hypothesis_test
except ImportError:  # public from Hypothesis 6.10x on; the project accepts 6.100
    from hypothesis.internal.detection import is_hypothesis_test

settings.load_profile(selected_profile())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.slow)


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:  # an xdist worker: hand the timings to the controller
        worker_output["security_timings"] = list(timings.TIMINGS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    timings.TIMINGS.extend(tuple(item) for item in node.workeroutput.get("security_timings", ()))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    timings.report(terminalreporter)
