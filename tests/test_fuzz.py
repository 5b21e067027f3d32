"""Fuzz tests (issue 4, "Fuzzing"): random and mutated input never gets past the library's own errors.

Targets (each a Hypothesis property; ``scripts/fuzz.py`` runs the same ones with a large budget):

- ``set_text`` / ``unit_text``: random text, random YAML documents, and the shipped files in ``indicators/``
  and ``examples/`` with byte-level mutations (characters flipped, inserted and deleted; lines swapped,
  duplicated, dropped and re-indented; numbers turned into text, huge, negative, NaN, ...), fed to
  :func:`scoring.parse_set` and to :func:`scoring.parse_unit` with a shipped set; what loads is evaluated.
- ``generated_set``: valid generated sets (``tests/strategies.py``) with one to three structural mutations.
- ``formula``: random expressions (allowed and forbidden constructs) as a formula and a ``cases`` condition,
  scored with random values when the set loads.
- ``shipped_data`` / ``generated_data``: random data (values of every type, random N/A, unknown rows,
  judgments, overrides) passed as a mapping to :func:`scoring.evaluate`.
- ``published``: :func:`scoring.reproduce` with random published tables.

The strategies, the invariants every outcome must keep and the budget are in ``tests/fuzzing.py``; the bugs
these targets found are pinned, one minimal deterministic reproduction each, in
``tests/test_fuzz_regressions.py``. The tests at the end check the harness itself.

Budget: the ``fuzz-quick`` profile (default, derandomized so CI is repeatable) keeps this file at about
15 s. ``SCORING_FUZZ_PROFILE=campaign`` gives every target ``SCORING_FUZZ_EXAMPLES`` examples (default 20000)
with fresh random seeds; ``scripts/fuzz.py`` sets both and reads :data:`TARGETS`, :data:`CASES`,
:data:`DEADLINE` and :class:`OutOfTime` from this module. The quick profile does not shrink, so a failure
costs little time; the campaign shrinks and prints minimal examples.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scoring
from scoring import DataError, DefinitionError

from .fuzzing import (
    EXAMPLES,
    ROOT,
    SET_FILES,
    SETS,
    UNIT_FILES,
    OutOfTime,  # scripts/fuzz.py catches test_fuzz.OutOfTime
    Target,
    budget,
    check_problems,
    check_reproduction,
    check_result,
    check_set_roundtrip,
    expect_scoring_error,
    formula_cases,
    generated_data,
    generated_sets,
    mutated,
    published_data,
    random_texts,
    run_mapping,
    run_set_text,
    run_unit_text,
    shipped_data,
    yaml_documents,
)
from .strategies import to_yaml

#: The strategies over the shipped files hold their whole text, which Hypothesis warns about when it prints them.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

#: Cases run per target (read by scripts/fuzz.py); ``DEADLINE`` (time.monotonic) stops a campaign early.
CASES: Counter[str] = Counter()
DEADLINE: float | None = None


def _count(target: str) -> None:
    if DEADLINE is not None and time.monotonic() > DEADLINE:
        raise OutOfTime(target)
    CASES[target] += 1


# --- targets -----------------------------------------------------------------------------------------


def _set_text(case: tuple[str, str]) -> None:
    source, text = case
    _count("set_text")
    run_set_text(text, source)


def _unit_text(case: tuple[str, str]) -> None:
    source, text = case
    _count("unit_text")
    example = next((e for e in EXAMPLES if e.source == source), EXAMPLES[0])
    run_unit_text(text, "u.yaml", SETS[example.set_source].indicator_set)


def _generated_set(text: str) -> None:
    _count("generated_set")
    run_set_text(text, "generated.yaml")


def _generated_data(case: tuple[str, Any]) -> None:
    text, data = case
    _count("generated_data")
    run_mapping(scoring.parse_set(text, "generated.yaml"), data)


def _formula(case: tuple[str, dict[str, Any]]) -> None:
    text, values = case
    _count("formula")
    try:
        indicator_set = scoring.parse_set(text, "formula.yaml")
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | OutOfTime):
            raise
        check_problems(exc, {"formula.yaml": text})
        assert isinstance(exc, DefinitionError), f"parse_set raised {type(exc).__name__}: {exc}"
        return
    run_unit_text(to_yaml({"values": values}), "u.yaml", indicator_set, {"formula.yaml": text})


def _shipped_data(case: tuple[str, Any]) -> None:
    set_source, data = case
    _count("shipped_data")
    run_mapping(SETS[set_source].indicator_set, data)


def _published(case: tuple[str, Any]) -> None:
    set_source, data = case
    _count("published")
    run_mapping(SETS[set_source].indicator_set, data, published=True)


_ANY_TEXT = st.one_of(random_texts(), yaml_documents())
TARGETS: dict[str, Target] = {
    target.name: target
    for target in [
        Target(
            "set_text",
            st.one_of(st.tuples(st.just("set.yaml"), _ANY_TEXT), mutated(SET_FILES), mutated(SET_FILES)),
            _set_text,
            150,
        ),
        Target(
            "unit_text",
            st.one_of(
                st.tuples(st.sampled_from([e.source for e in EXAMPLES]), _ANY_TEXT), mutated(UNIT_FILES)
            ),
            _unit_text,
            200,
        ),
        Target("generated_set", generated_sets(), _generated_set, 40),
        Target("generated_data", generated_data(), _generated_data, 30),
        Target("formula", formula_cases(), _formula, 200),
        Target("shipped_data", shipped_data(), _shipped_data, 200),
        Target("published", published_data(), _published, 150),
    ]
}


def _fuzz_test(name: str) -> Callable[..., None]:
    target = TARGETS[name]

    @pytest.mark.slow
    @budget(target.quick)
    @given(case=target.strategy)
    def test(case: Any) -> None:
        target.check(case)

    test.__name__ = test.__qualname__ = f"test_fuzz_{name}"
    test.__doc__ = f"Fuzz target '{name}': only ScoringError escapes, with located, readable problems."
    return test


test_fuzz_set_text = _fuzz_test("set_text")
test_fuzz_unit_text = _fuzz_test("unit_text")
test_fuzz_generated_set = _fuzz_test("generated_set")
test_fuzz_generated_data = _fuzz_test("generated_data")
test_fuzz_formula = _fuzz_test("formula")
test_fuzz_shipped_data = _fuzz_test("shipped_data")
test_fuzz_published = _fuzz_test("published")

# --- the harness itself catches what it should -------------------------------------------------------


def test_shipped_files_found():
    assert len(SETS) >= 4 and len(EXAMPLES) >= 4
    assert all(e.set_source in SETS for e in EXAMPLES)


def test_check_problems_rejects_escapes_and_bad_locations():
    with pytest.raises(AssertionError, match="escaped"):
        check_problems(ValueError("boom"), None)
    bad = DefinitionError(scoring.Problem("x", "m", scoring.Location("set.yaml", 4, 1)))
    with pytest.raises(AssertionError, match="line outside"):
        check_problems(bad, {"set.yaml": "a: 1\n"})
    unlocated = DefinitionError(scoring.Problem("x", "m", scoring.Location("set.yaml")))
    with pytest.raises(AssertionError, match="without line"):
        check_problems(unlocated, {"set.yaml": "a: 1\n"})
    check_problems(
        DefinitionError(scoring.Problem("x", "m", scoring.Location("set.yaml", 2, 1))), {"set.yaml": "a: 1\n"}
    )


def test_shipped_files_pass_every_check():
    for shipped in SETS.values():
        run_set_text(shipped.text, shipped.source)
        check_set_roundtrip(shipped.indicator_set)
    for example in EXAMPLES:
        indicator_set = SETS[example.set_source].indicator_set
        run_unit_text(example.text, example.source, indicator_set)
        data = {k: v for k, v in example.data.items() if k != "set"}
        run_mapping(indicator_set, data, published=True)
        # the runners accept a located ScoringError; the shipped files must do better: they score
        unit = scoring.parse_unit(example.text, example.source, indicator_set=indicator_set)
        result = scoring.evaluate(indicator_set, unit)
        check_result(indicator_set, result)
        if "published" in data:
            check_reproduction(indicator_set, scoring.reproduce(indicator_set, unit, result))
            check_reproduction(
                indicator_set,
                scoring.reproduce(indicator_set, scoring.unit_from_mapping(data, indicator_set)),
            )
        else:
            files = {example.source: example.text, example.set_source: SETS[example.set_source].text}
            expect_scoring_error(
                lambda s=indicator_set, u=unit, r=result: scoring.reproduce(s, u, r),
                files,
                DataError,
                codes=["no-published"],
            )
    assert any("published" in example.data for example in EXAMPLES)


def _raise(error: BaseException) -> Callable[[], Any]:
    def call() -> Any:
        raise error

    return call


LOCATED = DefinitionError(scoring.Problem("number-magnitude", "m", scoring.Location("set.yaml", 1, 4)))


def test_expect_scoring_error_fails_when_the_call_succeeds():
    with pytest.raises(AssertionError, match="expected DefinitionError, but the call succeeded"):
        expect_scoring_error(lambda: 42, {"set.yaml": "a: 1\n"}, DefinitionError)
    with pytest.raises(AssertionError, match="succeeded"):
        expect_scoring_error(lambda: None, None, DataError, codes=[], at=[])


def test_expect_scoring_error_checks_class_code_location_and_invariants():
    files = {"set.yaml": "a: 1\n"}
    problems = expect_scoring_error(
        _raise(LOCATED), files, DefinitionError, codes=["number-magnitude"], at=["set.yaml:1:4"]
    )
    assert [p.code for p in problems] == ["number-magnitude"]
    expect_scoring_error(_raise(LOCATED), files, scoring.ScoringError)  # a subclass is the class expected
    with pytest.raises(AssertionError, match="expected DataError, got DefinitionError"):
        expect_scoring_error(_raise(LOCATED), files, DataError)
    with pytest.raises(AssertionError, match="number-magnitude"):
        expect_scoring_error(_raise(LOCATED), files, DefinitionError, codes=["type"])
    with pytest.raises(AssertionError, match=r"set\.yaml:1:4"):
        expect_scoring_error(_raise(LOCATED), files, DefinitionError, at=["set.yaml:1:1"])
    with pytest.raises(AssertionError, match="column outside"):  # the invariants still apply
        expect_scoring_error(_raise(LOCATED), {"set.yaml": ""}, DefinitionError)
    with pytest.raises(AssertionError, match="ValueError escaped"):
        expect_scoring_error(_raise(ValueError("boom")), files, DefinitionError)


@pytest.mark.slow  # a child process
def test_campaign_script_runs_every_target():
    """scripts/fuzz.py imports this module (and tests/fuzzing.py, tests/profiles.py) outside pytest."""
    done = subprocess.run(
        [sys.executable, "scripts/fuzz.py", "--examples", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"{len(TARGETS)} targets, 2 examples each" in done.stdout
    for name in TARGETS:
        assert re.search(rf"^{name} +\d+ cases .* ok$", done.stdout, re.MULTILINE), done.stdout
    assert done.stdout.rstrip().endswith("no failures")


def test_every_target_has_a_test():
    assert {f"test_fuzz_{name}" for name in TARGETS} <= set(globals())
    for name in TARGETS:
        assert any(mark.name == "slow" for mark in getattr(globals()[f"test_fuzz_{name}"], "pytestmark", []))
