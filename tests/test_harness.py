"""The test suite's own configuration: Hypothesis profiles (``tests/profiles.py``, loaded by the root
``conftest.py``) and the ``slow`` marker (``pyproject.toml``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import profiles

ROOT = Path(__file__).resolve().parent.parent


def _expected_profile(config: pytest.Config) -> str:
    return config.getoption("--hypothesis-profile") or profiles.selected_profile()


def test_profiles_are_registered():
    dev = settings.get_profile("dev")
    assert dev.max_examples == profiles.DEV_EXAMPLES
    assert dev.deadline is None
    assert HealthCheck.too_slow in dev.suppress_health_check
    assert not dev.derandomize  # the same wherever it runs: not inherited from Hypothesis's CI profile
    ci = settings.get_profile("ci")
    assert ci.max_examples > dev.max_examples
    assert ci.deadline is None and HealthCheck.too_slow in ci.suppress_health_check
    assert ci.derandomize and ci.database is None
    quick = settings.get_profile("fuzz-quick")
    assert quick.derandomize and quick.database is None and Phase.shrink not in quick.phases
    campaign = settings.get_profile("fuzz-campaign")
    assert campaign.max_examples == profiles.CAMPAIGN_EXAMPLES and Phase.shrink in campaign.phases


def test_profile_selection():
    assert profiles.selected_profile({}) == "dev"
    assert profiles.selected_profile({"HYPOTHESIS_PROFILE": ""}) == "dev"
    assert profiles.selected_profile({"HYPOTHESIS_PROFILE": "ci"}) == "ci"


def test_the_selected_profile_is_loaded(pytestconfig: pytest.Config):
    assert settings.get_current_profile_name() == _expected_profile(pytestconfig)


def test_examples_scale_with_the_profile(pytestconfig: pytest.Config):
    factor = settings.get_profile(_expected_profile(pytestconfig)).max_examples / profiles.DEV_EXAMPLES
    assert profiles.scaled(300) == int(300 * factor)
    assert profiles.examples(60).max_examples == int(60 * factor)
    assert profiles.examples(60).deadline is None


@given(st.integers())
def test_a_plain_given_test_runs_under_the_profile(number: int):
    """No @settings here: the loaded profile applies (no deadline, its number of examples)."""
    assert settings.default.deadline is None
    assert (
        settings.default.max_examples
        == settings.get_profile(settings.get_current_profile_name()).max_examples
    )


def test_hypothesis_tests_are_marked_slow(request: pytest.FixtureRequest):
    items = {item.name: item for item in request.session.items}
    if "test_a_plain_given_test_runs_under_the_profile" not in items:
        pytest.skip("run with the rest of tests/test_harness.py")
    assert items["test_a_plain_given_test_runs_under_the_profile"].get_closest_marker("slow")
    assert not request.node.get_closest_marker("slow")


def test_slow_marker_is_registered_and_markers_are_strict(pytestconfig: pytest.Config):
    assert any(line.split(":")[0].strip() == "slow" for line in pytestconfig.getini("markers"))
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    addopts = options["addopts"].split()
    assert "--strict-markers" in addopts
    assert "-m" not in addopts and not any(o.startswith("-m") for o in addopts), (
        "the default run must run all"
    )


def test_no_test_module_keeps_its_own_profile():
    """Hypothesis settings live in tests/profiles.py: no module registers a profile or keeps a shared copy
    of settings (``FAST = settings(...)``); a test that needs other settings uses ``profiles.examples``."""
    registers = re.compile(r"\.register_profile\(")
    copied = re.compile(r"^\w+\s*=\s*(hypothesis\.)?settings\(", re.MULTILINE)
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name == "profiles.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not registers.search(text), f"{path.relative_to(ROOT)} registers a Hypothesis profile"
        assert not copied.search(text), f"{path.relative_to(ROOT)} keeps its own copy of Hypothesis settings"
