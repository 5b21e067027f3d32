"""The Hypothesis profiles of the test suite, in one place.

- ``dev`` (the default): what the suite has always run — 40 examples a test, no deadline (the engine's first
  call in a process is slower than the rest), the too-slow health check off (generated sets are large).
- ``ci``: five times the examples, derandomized and without the example database, so a CI run is repeatable
  and a failure prints the blob that reproduces it. Select it with ``HYPOTHESIS_PROFILE=ci`` or
  ``--hypothesis-profile=ci``.
- ``fuzz-quick`` and ``fuzz-campaign``: the budgets of the fuzz targets (``tests/test_fuzz.py``). The quick one
  is derandomized and does not shrink (a failure is reported at once; the pinned minimal reproductions are
  in ``tests/test_fuzz_regressions.py``); the campaign (``scripts/fuzz.py``, which sets
  ``SCORING_FUZZ_PROFILE=campaign``) gives every target ``SCORING_FUZZ_EXAMPLES`` examples from fresh seeds
  and shrinks. Neither runs the 'explain' phase, which re-runs a failing example under a tracer.

The root ``conftest.py`` imports this module and loads the profile chosen; ``scripts/fuzz.py`` runs outside
pytest and gets the fuzz profiles through ``tests/fuzzing.py``, which imports this module too. A test that
needs a different number of examples uses :func:`examples`, which scales with the loaded profile.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from hypothesis import HealthCheck, Phase, settings

#: Examples per test under the ``dev`` profile; :func:`examples` scales other counts against it.
DEV_EXAMPLES = 40
CI_EXAMPLES = 5 * DEV_EXAMPLES
#: The profile loaded when neither ``HYPOTHESIS_PROFILE`` nor ``--hypothesis-profile`` names one.
DEFAULT_PROFILE = "dev"
#: Examples per fuzz target in a campaign (``scripts/fuzz.py --examples`` sets the variable).
CAMPAIGN_EXAMPLES = int(os.environ.get("SCORING_FUZZ_EXAMPLES", "20000"))

_FUZZ_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
#: Hypothesis's own defaults: the parent of every profile here, so that none inherits from whatever profile
#: happens to be loaded (Hypothesis loads its own "ci" when it sees a CI variable).
_HYPOTHESIS_DEFAULT = settings.get_profile("default")

settings.register_profile(
    "dev",
    _HYPOTHESIS_DEFAULT,
    max_examples=DEV_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    settings.get_profile("dev"),
    max_examples=CI_EXAMPLES,
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.register_profile(
    "fuzz-quick",
    _HYPOTHESIS_DEFAULT,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_FUZZ_HEALTH,
    phases=[Phase.explicit, Phase.generate],
)
settings.register_profile(
    "fuzz-campaign",
    _HYPOTHESIS_DEFAULT,
    deadline=None,
    database=None,
    max_examples=CAMPAIGN_EXAMPLES,
    suppress_health_check=_FUZZ_HEALTH,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    print_blob=True,
)


def selected_profile(environ: Mapping[str, str] = os.environ) -> str:
    """The profile named by ``HYPOTHESIS_PROFILE``, else ``dev`` (``--hypothesis-profile`` wins over both:
    Hypothesis's pytest plugin loads it after the root conftest has loaded this one)."""
    return environ.get("HYPOTHESIS_PROFILE") or DEFAULT_PROFILE


def scaled(dev_examples: int) -> int:
    """``dev_examples`` scaled by the loaded profile's examples against ``dev``'s (the same under ``dev``)."""
    return max(1, dev_examples * settings.default.max_examples // DEV_EXAMPLES)


def examples(dev_examples: int) -> settings:
    """The loaded profile with ``dev_examples`` examples under ``dev`` (scaled alike under ``ci``): for a test
    whose examples cost much less (or much more) than most. Say why where it is used."""
    return settings(max_examples=scaled(dev_examples))
