"""The resource budget as a ratio: the costliest payloads of the corpus against loading the shipped Hunan set.

SECURITY.md promises that no set or unit data, however hostile, costs more than :data:`RATIO` times loading
``indicators/hunan-department-overall.yaml`` (a real 100-point set), nor more than 100 MB. Wall times on a
shared machine vary; their ratio, measured in CPU time in one process with the runs interleaved, does not
vary much.
The payloads here are the costliest members of the classes of ``test_attack_classes.py`` and
``test_yaml_attacks.py``, at full size (there they are smaller, to keep the suite quick); each must also
stay within 100 MB.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring import limits

from .budget import MEGABYTES, can_fork_and_measure, peak_in_child
from .conftest import cpu_seconds

ROOT = Path(__file__).resolve().parents[2]
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"

#: No payload may cost more than this many loads of the Hunan set (see SECURITY.md for what was measured).
RATIO = 200


def _set_with(rule: str) -> str:
    return (
        "format: scoring/1\nid: budget\ntotal: 10\ngrades: [{label: A, min: 0}]\ninputs: {x: {}}\n"
        f"indicators:\n  - {{id: row, weight: 10, formula: x, rule: {rule}}}\n"
    )


def _payloads() -> dict[str, Callable[[], Any]]:
    hunan = scoring.load_set(HUNAN)
    items = (limits.MAX_BYTES - 100) // 2
    overlapping = ", ".join(f"{{from: {i}, points: 1}}" for i in range(10_000))
    disjoint = ", ".join(f"{{from: {i}, below: {i + 1}, points: 1}}" for i in range(10_000))
    judgments = "".join(f"  j{i}: {{tier: a, points: 1e99, reason: r}}\n" for i in range(20_000))
    unknown = ", ".join(f"unknown_input_{i}: 1" for i in range(10_000))
    # the most ids the byte cap allows, each unknown (a did-you-mean is tried for each until the cap)
    not_applicable = ", ".join(f"n{i}" for i in range(95_000))
    return {
        "a list at the node cap under the byte cap": lambda: scoring.parse_set(
            "extra: [" + ",".join(["1"] * items) + "]\n"
        ),
        "10,000 overlapping bands": lambda: scoring.parse_set(_set_with(f"{{bands: [{overlapping}]}}")),
        "10,000 disjoint bands": lambda: scoring.parse_set(_set_with(f"{{bands: [{disjoint}]}}")),
        "20,000 refused judgments": lambda: scoring.parse_unit("judgments:\n" + judgments, "u.yaml", hunan),
        "10,000 unknown inputs": lambda: scoring.parse_unit(f"values: {{{unknown}}}\n", "u.yaml", hunan),
        "95,000 unknown ids not applicable": lambda: scoring.parse_unit(
            f"not_applicable: [{not_applicable}]\n", "u.yaml", hunan
        ),
        "an alias bomb": lambda: scoring.parse_set(
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            )
        ),
    }


def _seconds(call: Callable[[], Any]) -> float:
    """CPU seconds of this process: unlike wall time, not stretched when other processes (or the suite's
    other worker) take the cores, so the ratio holds on a shared machine."""
    start = cpu_seconds()
    with contextlib.suppress(scoring.ScoringError):
        call()
    return cpu_seconds() - start


@pytest.mark.slow
def test_no_payload_costs_more_than_the_stated_multiple_of_a_real_set() -> None:
    payloads = _payloads()
    reference = min(_seconds(lambda: scoring.load_set(HUNAN)) for _ in range(5))
    worst = {}
    for label, call in payloads.items():  # each payload between loads of the reference
        worst[label] = _seconds(call)
        reference = min(reference, _seconds(lambda: scoring.load_set(HUNAN)))
        if can_fork_and_measure():
            megabytes = peak_in_child(call)
            assert megabytes <= MEGABYTES, (
                f"{label}: grew the process by {megabytes:.0f} MB (at most {MEGABYTES})"
            )
    ratios = {label: seconds / reference for label, seconds in worst.items()}
    slowest = max(ratios, key=lambda label: ratios[label])
    print(f"\nHunan set loads in {reference * 1000:.1f} ms; payloads cost " +
          ", ".join(f"{label} {ratio:.0f}×" for label, ratio in sorted(ratios.items(), key=lambda item: -item[1])))  # fmt: skip
    assert ratios[slowest] <= RATIO, (
        f"{slowest} costs {ratios[slowest]:.0f} loads of the Hunan set (at most {RATIO})"
    )
