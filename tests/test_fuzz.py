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

Invariants: nothing but :class:`scoring.ScoringError` escapes (a :class:`~scoring.DefinitionError` from
``parse_set``, a :class:`~scoring.DataError` from the rest); every problem has a code and a non-empty message
of bounded length; when the input is a file, every problem has a location in that file (or in the set file,
for evaluation problems) with 1 ≤ line ≤ the number of lines and 1 ≤ column ≤ the line's length + 1. A
successful result holds no NaN or infinity, has 0 ≤ total ≤ maximum (or a range within it), rows and groups
within their weights, and renders in every format; a loaded set dumps to YAML that loads to an equal set.

Budget: the ``quick`` profile (default, derandomized so CI is repeatable) keeps this file at about 20 s.
``SCORING_FUZZ_PROFILE=campaign`` gives every target ``SCORING_FUZZ_EXAMPLES`` examples (default 20000) with
fresh random seeds; ``scripts/fuzz.py`` sets both. The quick profile does not shrink, so a failure costs
little time; the campaign shrinks and prints minimal examples. The tests at the end (``test_bug_*``) are
the engine bugs fuzzing found, one minimal deterministic reproduction each.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import scoring
from scoring import DataError, DefinitionError, ScoringError
from scoring.formats.yaml import parse_yaml
from scoring.report.reproduce import reproduction_text as reproduction
from scoring.report.score import explain, markdown, table, to_csv
from scoring.rules import RULE_KINDS
from scoring.serialize import to_json

from .strategies import set_plans, to_yaml, unit_data

ROOT = Path(__file__).resolve().parent.parent
#: The strategies over the shipped files hold their whole text, which Hypothesis warns about when it prints them.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

# --- budget ------------------------------------------------------------------------------------------

PROFILE = os.environ.get("SCORING_FUZZ_PROFILE", "quick")
CAMPAIGN_EXAMPLES = int(os.environ.get("SCORING_FUZZ_EXAMPLES", "20000"))
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
#: The quick profile does not shrink: a failure is reported as found, at once, instead of costing the suite
#: minutes (the minimal reproductions are the test_bug_* tests below, and scripts/fuzz.py shrinks). Neither
#: profile runs the 'explain' phase, which re-runs a failing example under a tracer.
settings.register_profile(
    "scoring-fuzz-quick",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_HEALTH,
    phases=[Phase.explicit, Phase.generate],
)
settings.register_profile(
    "scoring-fuzz-campaign",
    deadline=None,
    database=None,
    max_examples=CAMPAIGN_EXAMPLES,
    suppress_health_check=_HEALTH,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    print_blob=True,
)
if PROFILE not in ("quick", "campaign"):
    raise ValueError(f"SCORING_FUZZ_PROFILE must be 'quick' or 'campaign', not {PROFILE!r}")


def budget(quick_examples: int) -> settings:
    """Settings of one target: ``quick_examples`` in the quick profile, the campaign's budget otherwise."""
    if PROFILE == "campaign":
        return settings(settings.get_profile("scoring-fuzz-campaign"))
    return settings(settings.get_profile("scoring-fuzz-quick"), max_examples=quick_examples)


#: Cases run per target (read by scripts/fuzz.py); ``DEADLINE`` (time.monotonic) stops a campaign early.
CASES: Counter[str] = Counter()
DEADLINE: float | None = None


class OutOfTime(BaseException):
    """Raised by a target when a campaign's time budget is spent (a BaseException: Hypothesis lets it out)."""


def _count(target: str) -> None:
    if DEADLINE is not None and time.monotonic() > DEADLINE:
        raise OutOfTime(target)
    CASES[target] += 1


# --- shipped files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shipped:
    """A shipped indicator set, loaded under its path relative to the repository root."""

    source: str
    text: str
    indicator_set: scoring.IndicatorSet


@dataclass(frozen=True)
class Example:
    """A shipped unit data file, the set it names, and its data as exact plain values."""

    source: str
    text: str
    set_source: str
    data: dict[str, Any]


def _load_shipped() -> tuple[dict[str, Shipped], list[Example]]:
    sets: dict[str, Shipped] = {}
    for path in sorted((ROOT / "indicators").glob("*.yaml")):
        source = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        sets[source] = Shipped(source, text, scoring.parse_set(text, source))
    examples = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = parse_yaml(text, path.name).data
        set_source = (Path("examples") / data["set"]).as_posix()
        set_source = os.path.normpath(set_source).replace(os.sep, "/")
        examples.append(Example(path.relative_to(ROOT).as_posix(), text, set_source, data))
    return sets, examples


SETS, EXAMPLES = _load_shipped()
SET_FILES = [(s.source, s.text) for s in SETS.values()]
UNIT_FILES = [(e.source, e.text) for e in EXAMPLES]


def test_shipped_files_found():
    assert len(SETS) >= 4 and len(EXAMPLES) >= 4
    assert all(e.set_source in SETS for e in EXAMPLES)


# --- invariants --------------------------------------------------------------------------------------

#: Problems about a text as a whole, located by file alone: too large; a unit with no published: section
#: given to reproduce().
WHOLE_TEXT_CODES = frozenset({"file-too-large", "no-published"})
#: Problems with no location at all (documented: nothing-applicable is about the unit, not a place).
UNLOCATED_CODES = frozenset({"nothing-applicable"})
#: Longest problem text (message and hint) accepted: a message quotes a formula (≤ 1000 characters) at most.
MAX_PROBLEM_TEXT = 2000
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a line break


def yaml_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def _where(error: BaseException) -> str:
    """The innermost frames of an escaped exception: where in the engine it was raised."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return "".join(traceback.format_list(frames))


def check_problems(error: BaseException, files: Mapping[str, str] | None) -> None:
    """The invariants every error must keep. ``files`` maps source → text when the input was files."""
    assert isinstance(error, ScoringError), f"{type(error).__name__} escaped: {error!r}\n{_where(error)}"
    assert error.problems, "a ScoringError without problems"
    assert str(error).strip()
    for problem in error.problems:
        assert isinstance(problem.code, str) and problem.code, f"problem without code: {problem!r}"
        assert isinstance(problem.message, str) and problem.message.strip(), f"empty message: {problem!r}"
        size = len(problem.message) + len(problem.hint or "")
        assert size <= MAX_PROBLEM_TEXT, (
            f"[{problem.code}] message of {size} characters: {str(problem)[:300]}…"
        )
        location = problem.location
        if files is None:  # data passed as a mapping: '<data>: values.x', or the set's file
            if location is not None and location.line is None:
                assert location.file.startswith("<data>"), f"odd location {location!r}: {problem}"
            continue
        if problem.code in UNLOCATED_CODES:
            continue
        assert location is not None, f"[{problem.code}] problem without location: {problem}"
        assert location.file in files, f"[{problem.code}] location {location} not in {sorted(files)}"
        if problem.code in WHOLE_TEXT_CODES:
            continue
        assert location.line is not None and location.column is not None, (
            f"[{problem.code}] location without line and column: {problem}"
        )
        lines = yaml_lines(files[location.file])
        if (location.line, location.column) == (len(lines) + 1, 1):
            continue  # the end of a text without a final line break (YAML's end-of-stream mark)
        assert 1 <= location.line <= len(lines), f"[{problem.code}] line outside the text: {problem}"
        assert 1 <= location.column <= len(lines[location.line - 1]) + 1, (
            f"[{problem.code}] column outside line {location.line} ({lines[location.line - 1]!r}): {problem}"
        )


def _decimals(value: Any) -> Iterator[Decimal]:
    if isinstance(value, Decimal):
        yield value
    elif isinstance(value, float):
        yield Decimal(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _decimals(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _decimals(item)


def check_result(indicator_set: scoring.IndicatorSet, result: scoring.Result) -> None:
    """A successful result is finite, within its bounds, and renders in every format."""
    data = result.to_dict()
    for number in _decimals(data):
        assert number.is_finite(), f"non-finite number {number} in the result"
    maximum = result.maximum
    assert maximum == indicator_set.total
    labels = [grade.label for grade in indicator_set.grades]
    if result.total is not None:
        assert 0 <= result.total <= maximum, f"total {result.total} outside 0 to {maximum}"
        assert result.grade in labels
    else:
        assert result.total_range is not None
        low, high = result.total_range
        assert 0 <= low <= high <= maximum, f"total range {low} to {high} outside 0 to {maximum}"
        assert result.grades_possible and set(result.grades_possible) <= set(labels)
    for row in result.indicators:
        if row.points is not None:
            assert 0 <= row.points <= row.weight, f"{row.id}: {row.points} points of {row.weight}"
        else:
            assert row.points_range is not None
            low, high = row.points_range
            assert 0 <= low <= high <= row.weight, f"{row.id}: range {low} to {high} of {row.weight}"
        assert row.outcome.strip()
    for group in result.groups:
        if group.points is not None:
            assert 0 <= group.points <= group.weight, f"group {group.path}: {group.points} of {group.weight}"
    assert result.to_json()
    assert table(result, indicator_set)
    assert markdown(result, indicator_set)
    assert to_csv(result)
    assert explain(result, indicator_set)


def check_reproduction(indicator_set: scoring.IndicatorSet, rep: scoring.Reproduction) -> None:
    check_result(indicator_set, rep.result)
    for finding in rep.findings:
        assert finding.source in ("reproduction", "audit")
        assert finding.message.strip() and len(finding.message) <= MAX_PROBLEM_TEXT
    assert to_json(rep.to_dict())
    assert reproduction(rep, indicator_set)
    assert rep.ok == (rep.reproduced and not rep.audit_findings)


def check_set_roundtrip(indicator_set: scoring.IndicatorSet) -> None:
    """A loaded set dumps to YAML that loads to an equal set."""
    again = scoring.parse_set(indicator_set.dump(), "<dump>")
    assert again == indicator_set


# --- checks (one per kind of input) ------------------------------------------------------------------


def run_set_text(text: str, source: str = "set.yaml") -> None:
    """Load ``text`` as a set; if it loads, score the shipped example units that fit it."""
    try:
        indicator_set = scoring.parse_set(text, source)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | OutOfTime):
            raise
        check_problems(exc, {source: text})
        assert isinstance(exc, DefinitionError), f"parse_set raised {type(exc).__name__}: {exc}"
        return
    check_set_roundtrip(indicator_set)
    for example in EXAMPLES:
        if example.set_source == source:
            run_unit_text(example.text, example.source, indicator_set, {source: text})


def run_unit_text(
    text: str,
    source: str,
    indicator_set: scoring.IndicatorSet,
    set_files: Mapping[str, str] | None = None,
) -> None:
    """Load ``text`` as unit data for ``indicator_set``; if it loads, evaluate and reproduce it."""
    files = {source: text, **(set_files or {indicator_set.source: SETS[indicator_set.source].text})}
    try:
        unit = scoring.parse_unit(text, source, indicator_set=indicator_set)
        result = scoring.evaluate(indicator_set, unit)
        check_result(indicator_set, result)
        check_reproduction(indicator_set, scoring.reproduce(indicator_set, unit, result))
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | OutOfTime | AssertionError):
            raise
        check_problems(exc, files)
        assert isinstance(exc, DataError), f"unit data raised {type(exc).__name__}: {exc}"


def run_mapping(indicator_set: scoring.IndicatorSet, data: Any, published: bool = False) -> None:
    """Evaluate ``data`` (a mapping, as an embedding tool passes it); reproduce it when asked."""
    try:
        if published:
            unit = scoring.unit_from_mapping(data, indicator_set)
            check_reproduction(indicator_set, scoring.reproduce(indicator_set, unit))
        else:
            check_result(indicator_set, scoring.evaluate(indicator_set, data))
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | OutOfTime | AssertionError):
            raise
        check_problems(exc, None)
        assert isinstance(exc, DataError), f"unit data raised {type(exc).__name__}: {exc}"


# --- strategies: values ------------------------------------------------------------------------------

EXTREME_DECIMALS = [
    Decimal("1E+100"),
    Decimal("-1E+100"),
    Decimal("1E-100"),
    Decimal("1E+20000"),
    Decimal("-1E+20000"),
    Decimal("1E-20000"),
    Decimal("9" * 60),
    Decimal("0." + "0" * 40 + "1"),
    Decimal("-0"),
    Decimal("0.000"),
    Decimal("1E+999999"),
    Decimal("NaN"),
    Decimal("-Infinity"),
    Decimal("Infinity"),
    Decimal("sNaN"),
]

#: Numbers as people copy them out of spreadsheets, and other text that looks numeric.
NUMBER_TEXTS = st.one_of(
    st.builds(
        lambda n, fmt: fmt.format(n),
        st.decimals(min_value=-(10**7), max_value=10**7, places=2),
        st.sampled_from(["{}", "{}%", " {} % ", "{:,}", "{:,}%", "¥{}", "{}万元", "{}％", "({})"]),
    ),
    st.sampled_from(["1,234.56", "87.70%", "1.234,56", "１２３", "٣", "1e3", "0x1F", "- 5", "", " ", "N/A"]),
)

NUMBERS = st.one_of(
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(EXTREME_DECIMALS),
    st.integers(min_value=-(10**80), max_value=10**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(0, 120),
)

SCALARS = st.one_of(NUMBERS, st.booleans(), st.none(), st.text(max_size=12), NUMBER_TEXTS)

WILD_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _known_keys() -> list[str]:
    from scoring.formats.validate import _known_keys as format_keys

    keys = set(RULE_KINDS) | {"value", "<<"} | set(format_keys())
    return sorted(keys)


KNOWN_KEYS = _known_keys()
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8))


def _dumpable(value: Any) -> Any:
    """``value`` with what YAML cannot dump (sNaN) replaced; Decimal NaN/Infinity become floats."""
    if isinstance(value, Decimal):
        if value.is_snan():
            return float("nan")
        return float(value) if not value.is_finite() else value
    if isinstance(value, dict):
        return {str(k): _dumpable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dumpable(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Writes a Decimal as its plain text, which the loader reads back exactly."""


_Dumper.add_representer(
    Decimal,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:float" if "." in format(value, "f") else "tag:yaml.org,2002:int",
        format(value, "f"),
    ),
)


# --- strategies: text --------------------------------------------------------------------------------

YAML_ALPHABET = st.sampled_from(
    list(" \n\t:-{}[],&*!|>'\"%@#?~.0123456789eE+_xyzab/\\\x00\x01\x85\u2028\ufeff指标")
)


@st.composite
def random_texts(draw) -> str:
    """Text with no structure, text made of YAML's punctuation, and key: value lines of known keys."""
    kind = draw(st.sampled_from(["any", "yaml-chars", "lines"]))
    if kind == "any":
        return draw(st.text(max_size=300))
    if kind == "yaml-chars":
        return "".join(draw(st.lists(YAML_ALPHABET, max_size=200)))
    lines = []
    for _ in range(draw(st.integers(1, 15))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 6]))
        key = draw(st.sampled_from(KNOWN_KEYS))
        value = draw(
            st.one_of(
                st.just(""),
                st.sampled_from(
                    ["1", "5", "-1", "0.5", "x", "[a, b]", "{a: 1}", "true", ".nan", "scoring/1"]
                ),
                st.text(max_size=10),
            )
        )
        dash = draw(st.sampled_from(["", "", "- "]))
        lines.append(f"{indent}{dash}{key}: {value}")
    return "\n".join(lines) + "\n"


@st.composite
def yaml_documents(draw) -> str:
    """Random structures (biased towards the keys of the formats) dumped as YAML."""
    tree = draw(
        st.recursive(
            SCALARS,
            lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
            max_leaves=25,
        )
    )
    if draw(st.booleans()):
        top = {"format": "scoring/1", "id": "x", "total": Decimal(10), "grades": [{"label": "A", "min": 0}]}
        top.update(draw(st.dictionaries(KEYS, st.just(tree) | WILD_VALUES, max_size=4)))
        tree = top
    flow = draw(st.sampled_from([None, True, False]))
    return yaml.dump(
        _dumpable(tree), Dumper=_Dumper, allow_unicode=True, default_flow_style=flow, sort_keys=False
    )


#: Tokens a number in a shipped file may be replaced with.
NUMBER_TOKENS = [
    '"5"',
    "'87.70%'",
    "87.70%",
    "1,234.56",
    "-1",
    "-0.0",
    "0",
    ".nan",
    ".inf",
    "-.inf",
    "1.0e+60",
    "-1.0e+60",
    "1.0e+20000",
    "1.0e-20000",
    "1.0e+99999",
    "9" * 59,
    "1e3",
    "0x1F",
    "017",
    "1:30",
    "1_000",
    "true",
    "null",
    "~",
    "[]",
    "{}",
    "[1, 2]",
    "0.0000000000000000000000000001",
    "１２",
    "",
]
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.%])")


@st.composite
def mutated(draw, files: list[tuple[str, str]]) -> tuple[str, str]:
    """A shipped file with one to four byte-level or line-level mutations: (source, text)."""
    source, text = draw(st.sampled_from(files))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(
            st.sampled_from(
                ["flip", "insert", "delete", "swap", "duplicate", "drop", "indent", "number", "value", "tab"]
            )
        )
        if op in ("flip", "insert", "delete"):
            at = draw(st.integers(0, max(0, len(text) - 1)))
            if op == "flip":
                text = text[:at] + draw(YAML_ALPHABET | st.characters()) + text[at + 1 :]
            elif op == "insert":
                text = text[:at] + "".join(draw(st.lists(YAML_ALPHABET, min_size=1, max_size=3))) + text[at:]
            else:
                text = text[:at] + text[at + draw(st.integers(1, 8)) :]
            continue
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "duplicate":  # a duplicate key when the line is 'key: value'
            lines.insert(i + 1 if draw(st.booleans()) else j, lines[i])
        elif op == "drop":  # drops a key
            del lines[i]
        elif op == "indent":
            lines[i] = lines[i][2:] if draw(st.booleans()) else "  " + lines[i]
        elif op == "tab":
            lines[i] = "\t" + lines[i].lstrip(" ")
        elif op == "number":
            numbers = [m for line in lines for m in _NUMBER.finditer(line)]
            candidates = [(k, m) for k, line in enumerate(lines) for m in _NUMBER.finditer(line)]
            if numbers:
                k, match = draw(st.sampled_from(candidates))
                token = draw(st.sampled_from(NUMBER_TOKENS))
                lines[k] = lines[k][: match.start()] + token + lines[k][match.end() :]
        else:  # op == "value": replace whatever follows 'key: ' on a line
            line = lines[i]
            if ": " in line and not line.lstrip().startswith("#"):
                key = line.split(": ", 1)[0]
                lines[i] = f"{key}: {draw(st.sampled_from(NUMBER_TOKENS))}"
        text = "\n".join(lines)
    return source, text


# --- strategies: structural mutations of valid documents ---------------------------------------------


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


@st.composite
def mutate_tree(draw, tree: Any, values: st.SearchStrategy[Any] = WILD_VALUES) -> Any:
    """``tree`` with one to three changes at random places: a key dropped, renamed (a typo) or duplicated
    into a list; a value replaced, nulled, wrapped in a list, or a number turned into text."""
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(tree) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = tree
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        op = draw(st.sampled_from(["drop", "rename", "replace", "replace", "null", "wrap", "text"]))
        current = parent[last]
        if op == "drop":
            del parent[last]
        elif op == "rename" and isinstance(parent, dict):
            name = str(last)
            cut = draw(st.integers(0, len(name)))
            typo = name[:cut] + draw(st.sampled_from(["", "x", "_", " "])) + name[cut + 1 :]
            parent[typo if typo not in parent else typo + "2"] = parent.pop(last)
        elif op == "null":
            parent[last] = None
        elif op == "wrap":
            parent[last] = [current]
        elif op == "text" and isinstance(current, Decimal | int | float) and not isinstance(current, bool):
            parent[last] = draw(st.sampled_from([f"{current}", f"{current}%", f"{current:,}"]))
        else:
            parent[last] = draw(values)
    return tree


@st.composite
def generated_sets(draw) -> str:
    """A valid generated set, structurally mutated, as YAML text."""
    plan = draw(set_plans(max_indicators=4))
    tree = plan.spec
    if draw(st.integers(0, 4)):
        tree = draw(mutate_tree(tree, WILD_VALUES.map(_dumpable)))
    return to_yaml(_dumpable(tree))


@st.composite
def generated_data(draw) -> tuple[str, Any]:
    """A valid generated set (as text) and unit data for it, mutated."""
    plan = draw(set_plans(max_indicators=4))
    data = draw(unit_data(plan))
    if draw(st.integers(0, 4)):
        data = draw(mutate_tree(data))
    return plan.text(), data


# --- strategies: data for the shipped sets -----------------------------------------------------------


def _near_miss(name: str) -> str:
    return name[:-1] if len(name) > 2 else name + "x"


@dataclass(frozen=True)
class _Pieces:
    """Strategies for one shipped example, built once (building strategies per draw is slow)."""

    example: Example
    names: st.SearchStrategy[str]
    extra_names: st.SearchStrategy[str]
    ids_or_other: st.SearchStrategy[str]
    judged: st.SearchStrategy[list[tuple[str, tuple[str, ...]]]]
    number: st.SearchStrategy[Any]
    entry: st.SearchStrategy[Any]
    grade: st.SearchStrategy[str]
    paths: st.SearchStrategy[str]
    ids: st.SearchStrategy[str]


def _pieces(example: Example) -> _Pieces:
    indicator_set = SETS[example.set_source].indicator_set
    ids = [i.id for i in indicator_set.indicators]
    names = sorted(set(indicator_set.inputs) | set(example.data.get("values", {})))
    derived = [name for name, _ in indicator_set.derived]
    judged = [
        (i.id, tuple(getattr(i.rule, "tiers", ())))
        for i in indicator_set.indicators
        if i.rule.kind == "judgment"
    ]
    plausible = st.decimals(min_value=-5, max_value=max(indicator_set.total, 1) + 5, places=2)
    number = st.one_of(plausible, plausible, st.decimals(min_value=0, max_value=100, places=4), NUMBERS)
    return _Pieces(
        example=example,
        names=st.sampled_from(names),
        extra_names=st.one_of(
            st.sampled_from([_near_miss(n) for n in names]),
            st.sampled_from(ids),
            st.sampled_from(derived or ids),
            st.text(max_size=8),
        ),
        ids_or_other=st.one_of(
            st.sampled_from(ids), st.sampled_from([_near_miss(i) for i in ids]), st.text(max_size=6)
        ),
        judged=st.lists(st.sampled_from(judged), max_size=2, unique=True) if judged else st.just([]),
        number=number,
        entry=st.one_of(number, st.fixed_dictionaries({"points": number}, optional={"weight": number})),
        grade=st.sampled_from([g.label for g in indicator_set.grades]) | st.text(max_size=3),
        paths=st.sampled_from([g.path for g in indicator_set.groups] or ["x"]) | st.text(max_size=5),
        ids=st.sampled_from(ids) | st.text(max_size=5),
    )


PIECES = st.sampled_from([_pieces(example) for example in EXAMPLES])
_BOUND = st.one_of(st.none(), NUMBERS)
_UNKNOWN_ENTRY = st.fixed_dictionaries(
    {}, optional={"min": _BOUND, "max": _BOUND, "reason": st.text(max_size=5)}
)
_OVERRIDE = st.fixed_dictionaries({"points": NUMBERS, "reason": st.sampled_from(["更正", ""])})
_SECTIONS = st.sampled_from(
    ["values", "not_applicable", "unknown", "judgments", "overrides", "unit", "published"]
)


@st.composite
def shipped_data(draw) -> tuple[str, dict[str, Any]]:
    """A shipped example's data with random changes to values, N/A, unknown rows, judgments and overrides."""
    pieces = draw(PIECES)
    data = copy.deepcopy(pieces.example.data)
    data.pop("set", None)
    data.pop("published", None)
    values = data.setdefault("values", {})
    for name in draw(st.lists(pieces.names, max_size=2, unique=True)):
        values.pop(name, None)
    for name in draw(st.lists(pieces.names, max_size=5, unique=True)):
        values[name] = draw(WILD_VALUES)
    for name in draw(st.lists(pieces.extra_names, max_size=2)):
        values[name] = draw(NUMBERS)
    if draw(st.integers(0, 3)) == 0:
        data["not_applicable"] = draw(st.lists(pieces.ids_or_other, max_size=4))
    if draw(st.integers(0, 3)) == 0:
        data["unknown"] = draw(
            st.lists(pieces.ids_or_other, max_size=3)
            | st.dictionaries(pieces.ids_or_other, _UNKNOWN_ENTRY, max_size=3)
        )
    judgments = data.setdefault("judgments", {})
    for indicator_id, tiers in draw(pieces.judged):
        if draw(st.integers(0, 2)) == 0:
            judgments.pop(indicator_id, None)
        else:
            judgments[indicator_id] = {
                "tier": draw(st.sampled_from(tiers or ("x",)) | st.text(max_size=3)),
                "points": draw(_BOUND),
                "reason": draw(st.sampled_from(["评价", ""])),
            }
    if draw(st.integers(0, 3)) == 0:
        data["overrides"] = draw(st.dictionaries(pieces.ids_or_other, _OVERRIDE, max_size=3))
    if draw(st.integers(0, 9)) == 0:  # a whole section of the wrong type
        data[draw(_SECTIONS)] = draw(WILD_VALUES)
    return pieces.example.set_source, data


@st.composite
def published_data(draw) -> tuple[str, dict[str, Any]]:
    """A shipped example's data (unchanged) with a random published table."""
    pieces = draw(PIECES)
    data = copy.deepcopy(pieces.example.data)
    data.pop("set", None)
    published: dict[str, Any] = {}
    if draw(st.booleans()):
        published["total"] = draw(pieces.number)
    if draw(st.booleans()):
        published["grade"] = draw(pieces.grade)
    if draw(st.booleans()):
        published["indicators"] = draw(st.dictionaries(pieces.ids, pieces.entry, max_size=12))
    if draw(st.booleans()):
        published["groups"] = draw(st.dictionaries(pieces.paths, pieces.entry, max_size=4))
    if draw(st.integers(0, 9)) == 0:
        published = draw(WILD_VALUES)
    data["published"] = published
    return pieces.example.set_source, data


# --- strategies: formulas --------------------------------------------------------------------------

_ATOMS = st.one_of(
    st.sampled_from(["x", "y", "b", "value", "True", "False", "xx", "min", "__import__"]),
    st.sampled_from(
        ["0", "1", "2", "0.5", "100", "1e5", "1.5e-3", "1_000", "0x10", "9" * 40, "1e400", "-0.0"]
    ),
    st.decimals(min_value=-1000, max_value=1000, places=3).map(str),
    st.sampled_from(["lambda: 1", "[x for x in ()]", "'text'", "f'{x}'", "(y := 1)", "*x", "x, y"]),
)
_BINARY = [
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    ">=",
    "and",
    "or",
    "//",
    "<<",
    "|",
    "is",
]


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(_BINARY), inner),
        st.builds(lambda op, a: f"{op}{a}", st.sampled_from(["-", "+", "not ", "~"]), inner),
        st.builds(lambda a: f"({a})", inner),
        st.builds(lambda a, b, c: f"{a} if {b} else {c}", inner, inner, inner),
        st.builds(
            lambda name, args: f"{name}({', '.join(args)})",
            st.sampled_from(["min", "max", "abs", "round", "clamp", "eval", "getattr", "int"]),
            st.lists(inner, max_size=4),
        ),
        st.builds(lambda a, tail: f"{a}{tail}", inner, st.sampled_from([".real", "[0]", ".__class__", "()"])),
    )


FORMULAS = st.recursive(_ATOMS, _extend, max_leaves=12)

FORMULA_SET = """\
format: scoring/1
id: f
total: 20
grades: [{label: A, min: 10}, {label: B, min: 0}]
inputs: {x: {}, y: {}, b: {type: boolean}}
indicators:
  - id: a
    weight: 10
    formula: FORMULA
    rule: {ratio: {target: 100}}
  - id: c
    weight: 10
    formula: x
    rule: {cases: [{when: CONDITION, points: 5}], otherwise: 10}
"""

#: Input values for formulas: zero, signs, fractions, and the ends of what the loader accepts (10^±24).
FORMULA_VALUES = st.one_of(
    st.sampled_from(
        [Decimal(0), Decimal(1), Decimal(-1), Decimal("1E+24"), Decimal("-1E+24"), Decimal("1E-24")]
    ),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3),
)


@st.composite
def formula_cases(draw) -> tuple[str, dict[str, Any]]:
    """A set whose formula and case condition are random expressions (quoted), and values to score."""
    quote = lambda text: '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    text = FORMULA_SET.replace("FORMULA", quote(draw(FORMULAS))).replace("CONDITION", quote(draw(FORMULAS)))
    values = {"x": draw(FORMULA_VALUES), "y": draw(FORMULA_VALUES), "b": draw(st.booleans())}
    return text, values


# --- targets -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    check: Callable[[Any], None]
    #: Examples in the quick profile (the whole file stays near 20 s).
    quick: int


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


# --- the checks themselves catch what they should ----------------------------------------------------


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
    for example in EXAMPLES:
        run_unit_text(example.text, example.source, SETS[example.set_source].indicator_set)
        data = {k: v for k, v in example.data.items() if k != "set"}
        run_mapping(SETS[example.set_source].indicator_set, data, published=True)


# --- engine bugs found by fuzzing: minimal reproductions ---------------------------------------------
# Each test_bug_* reproduces one bug fuzzing found, and failed when it was written (see the report on
# issue 4); they stay as regression tests. A failing one is an open gap in the guarantees of SECURITY.md.

MINI = """\
format: scoring/1
id: t
total: 10
grades:
  - {label: A, min: 8}
  - {label: B, min: 0}
inputs:
  x: {min: 0}
indicators:
  - id: a
    weight: 10
    formula: x * 2
    rule: {ratio: {target: 100}}
"""


@pytest.fixture(scope="module")
def mini() -> scoring.IndicatorSet:
    return scoring.parse_set(MINI, "set.yaml")


def _only_scoring_errors(call: Callable[[], Any], files: Mapping[str, str] | None) -> list[scoring.Problem]:
    """Run ``call``; it may succeed or raise a ScoringError that keeps the invariants. Returns the problems."""
    try:
        call()
    except BaseException as exc:
        check_problems(exc, files)
        return list(exc.problems)  # type: ignore[attr-defined]
    return []


def _python(code: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_bug_deeply_nested_flow_collections_crashed_the_interpreter():
    """30 000 nested '[' (60 KB, far below the 5 MB cap) killed the process with SIGSEGV: the composer of
    PyYAML's C extension recurses once per level with no depth check. Run in a child process."""
    code = (
        "import scoring\n"
        "try:\n"
        "    scoring.parse_set('[' * 50000 + ']' * 50000, 'set.yaml')\n"
        "except scoring.ScoringError as exc:\n"
        "    print(exc.problems[0].code)\n"
    )
    done = _python(code, timeout=60)
    assert done.returncode == 0, f"interpreter died (exit {done.returncode}): {done.stderr[-500:]}"
    assert done.stdout.strip() == "yaml-too-deep"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("weight: 10", "weight: 1.0e+60"),  # 'weights add up to …' message: plain() quantizes past 50 digits
        ("total: 10", "total: 1.0e+60"),
        ("target: 100", "target: -1.0e+60"),
        ("x: {min: 0}", "x: {min: 1.0e+60, max: 1}"),
        ("weight: 10", "weight: 1.0e+20000"),  # decimal_places(): normalize() overflows Emax 10 000
        ("total: 10", "total: 1.0e+10001"),
    ],
    ids=["weight-1e60", "total-1e60", "target-1e60", "min-1e60", "weight-1e20000", "total-1e10001"],
)
def test_bug_huge_numbers_in_a_set_escaped_as_decimal_errors(old: str, new: str):
    """These raised decimal.InvalidOperation (plain() quantizing past 50 digits for a message) or
    decimal.Overflow (decimal_places() normalizing past Emax)."""
    text = MINI.replace(old, new)
    assert text != MINI
    _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})


@pytest.mark.parametrize(
    "value",
    ["-1.0e+60", "1.0e+20000", "-1.0e+20000", "1.0e+23", "-1.0e+23"],
    ids=["below-min-1e60", "overflow-1e20000", "below-min-1e20000", "1e23", "below-min-1e23"],
)
def test_bug_huge_unit_values_in_a_file_escaped_as_decimal_errors(mini, value: str):
    """-1e60 below min 0: the message's plain(value) raised InvalidOperation; 1e20000: the formula overflowed
    (fine), then the evaluation message's plain() of the input raised InvalidOperation."""
    text = f"values: {{x: {value}}}\n"
    files = {"u.yaml": text, "set.yaml": MINI}
    _only_scoring_errors(
        lambda: scoring.evaluate(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini)), files
    )


@pytest.mark.parametrize(
    "value",
    [Decimal("1E+20000"), Decimal("-1E+20000"), -(10**100), Decimal("1E+60"), Decimal("1E+999999")],
    ids=["1e20000", "-1e20000", "-10**100", "1e60", "1e999999"],
)
def test_bug_huge_values_from_a_mapping_escaped_or_flooded_the_message(mini, value):
    """Data from a mapping: x = 1E+20000 made 'x * 2' overflow and decimal.Overflow escaped from
    numbers.plain() while the message was built; with the first magnitude check (10^24) the message wrote
    every digit: "input 'x' is 1000…0 (20 001 digits), outside 10^-24 to 10^24"."""
    _only_scoring_errors(lambda: scoring.evaluate(mini, {"values": {"x": value}}), None)


@pytest.mark.parametrize(
    "published",
    [
        {"total": Decimal("1E+100")},
        {"total": 5, "indicators": {"a": Decimal("1E+100")}},
        {"indicators": {"a": {"points": Decimal("1E+60")}}},
    ],
    ids=["total", "row", "row-mapping"],
)
def test_bug_reproduce_with_a_huge_published_figure_escaped(mini, published: dict[str, Any]):
    """round_to(published, …) quantized in the 50-digit context: InvalidOperation escaped reproduce()."""
    data = {"values": {"x": 5}, "published": published}
    _only_scoring_errors(lambda: scoring.reproduce(mini, scoring.unit_from_mapping(data, mini)), None)


def test_bug_reproduce_with_unknown_rows_and_a_huge_published_total_escaped(mini):
    """With unknown rows the total's feasibility is solved: preimage() of a published total of 1E+20000
    overflowed and decimal.Overflow escaped reproduce()."""
    data = {"values": {"x": 5}, "unknown": ["a"], "published": {"total": Decimal("1E+20000")}}
    _only_scoring_errors(lambda: scoring.reproduce(mini, scoring.unit_from_mapping(data, mini)), None)


def test_bug_reproduce_crashed_when_a_row_computed_as_zero_differed(mini):
    """The commonest finding of all — the table gives a row points, the data gives it none — crashed:
    reproduce() wrote plain(row.points or 0), the int 0 replaced Decimal('0.00'), and numbers.plain()
    raised AttributeError: 'int' object has no attribute 'is_finite'."""
    text = "values: {x: 0}\npublished: {total: 5, indicators: {a: 5}}\n"

    def run() -> None:
        rep = scoring.reproduce(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini))
        assert [f.subject for f in rep.differences] == ["total", "a"]

    _only_scoring_errors(run, {"u.yaml": text, "set.yaml": MINI})


@pytest.mark.parametrize("published", ["{total: 1.0e+100}", "{total: 5, indicators: {a: 1.0e+60}}"])
def test_bug_huge_published_figure_in_a_file(mini, published: str):
    """The same through a file (the loader's magnitude check refuses these first)."""
    text = f"values: {{x: 5}}\npublished: {published}\n"
    _only_scoring_errors(
        lambda: scoring.reproduce(mini, scoring.parse_unit(text, "u.yaml", indicator_set=mini)),
        {"u.yaml": text, "set.yaml": MINI},
    )


def test_bug_deeply_nested_mapping_data_escaped_as_recursion_error(mini):
    """unit_from_mapping's _normalize() recursed without a limit: RecursionError escaped evaluate()."""
    data: dict[str, Any] = {}
    inner = data
    for _ in range(3000):
        inner["a"] = {}
        inner = inner["a"]
    _only_scoring_errors(lambda: scoring.evaluate(mini, {"values": {"x": data}}), None)


CHECKLIST_SET = """\
format: scoring/1
id: t
total: 10
grades: [{label: A, min: 0}]
inputs: {ok: {type: boolean}}
indicators:
  - {id: c, weight: 10, rule: {checklist: [{input: ok, points: 10}]}}
"""


def test_bug_overridden_checklist_without_its_input_raised_key_error():
    """An overridden row needs no inputs, but the engine still ran its rule for 'computed_points': the
    checklist rule read env[name] and KeyError (not among the failures it catches) escaped evaluate()."""
    indicator_set = scoring.parse_set(CHECKLIST_SET, "set.yaml")
    text = "overrides: {c: {points: 5, reason: checked by hand}}\n"

    def run() -> None:
        result = scoring.evaluate(
            indicator_set, scoring.parse_unit(text, "u.yaml", indicator_set=indicator_set)
        )
        assert result.total == 5

    _only_scoring_errors(run, {"u.yaml": text, "set.yaml": CHECKLIST_SET})


def test_bug_control_character_error_had_no_line_or_column():
    """A control character is a YAML ReaderError (not a MarkedYAMLError): the problem had no line and
    column, and its message leaked PyYAML's '"<unicode string>", position 195'."""
    text = MINI + "\x01"
    problems = _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})
    assert problems and "<unicode string>" not in problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\ntitle: 名称\x01\n", 2, 10),
        ("title: 指标体系说明\x1f\n", 1, 14),
        ("a: 1\x85b: \x01\n", 2, 4),
        ("a: 1\r\nb: \x01\n", 2, 4),
    ],
    ids=["chinese-before", "chinese-same-line", "nel-line-break", "crlf"],
)
def test_bug_control_character_location_after_non_ascii_text(text: str, line: int, column: int):
    """libyaml reports a control character's place as a byte offset into the UTF-8 text; the loader counted
    it as characters, so after Chinese text the line and column were wrong ('a: 1\ntitle: 名称\x01' was
    reported at 3:3, not 2:10), and YAML's other line breaks (NEL) were not counted."""
    problems = _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})
    assert [p.location for p in problems] == [scoring.Location("set.yaml", line, column)]


def test_bug_too_deep_document_had_no_line_or_column():
    """'yaml-too-deep' had no line or column."""
    text = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})


def test_bug_recursive_alias_had_no_line_or_column():
    """'&a [*a]' was reported as 'nested too deeply', with no line or column."""
    text = "a: &a [*a]\n"
    _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})


def test_bug_huge_exponent_in_a_whole_number_field_was_slow():
    """'places: 1.0e+9999999' (20 characters) took ~9 s (1.0e+99999999: ~15 min): pydantic turned the
    Decimal into a Python int digit by digit before checking 'at most 6'. Run in a child process."""
    code = "import scoring\ntry: scoring.parse_set('rounding: {places: 1.0e+9999999}\\n')\nexcept scoring.ScoringError: pass\n"
    try:
        _python(code, timeout=4)
    except subprocess.TimeoutExpired:
        pytest.fail("loading 'rounding: {places: 1.0e+9999999}' took more than 4 s")


def test_bug_messages_printed_every_digit_of_a_huge_number():
    """'places: 1.0e+9999' gave "'places' must be at most 6, not 1000…" with all 10 000 digits."""
    text = MINI.replace("total: 10", "total: 10\nrounding: {places: 1.0e+9999}")
    problems = _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})
    assert problems


@pytest.mark.parametrize(
    "data",
    [
        {"unit": Decimal("1E+20000"), "values": {"x": 1}},
        {"values": {"x": [Decimal("1E+20000")]}, "period": Decimal("-1E+5000")},
        {"values": {"x": 1}, "judgments": {"a": {"tier": Decimal("1E+20000"), "reason": "r"}}},
    ],
    ids=["unit", "period", "tier"],
)
def test_bug_messages_from_a_mapping_printed_every_digit(mini, data: dict[str, Any]):
    """describe() wrote a Decimal in full: "'unit' must be text, not 1000…" was 20 026 characters long."""
    problems = _only_scoring_errors(lambda: scoring.evaluate(mini, data), None)
    assert problems


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("values: {x: 5}\npublished: {indicators: {a: '5'}}\n", "'decimal'"),
        ("values: {x: 5}\npublished: {indicators: {a: '5'}}\n", "'PublishedRow'"),
        ("values: {x: 5}\nunknown: 5\n", "'list[str]'"),
        ("values: {x: 5}\nunknown: 5\n", "'dict[str,UnknownRow]'"),
    ],
    ids=["published-decimal", "published-row", "unknown-list", "unknown-dict"],
)
def test_bug_union_type_names_leaked_into_messages(mini, text: str, leaked: str):
    """A value of a union type (number or {points, weight}; list or mapping) got one message per union
    member, named by pydantic's internal tag: "'decimal' must be a number, not '5'"."""
    problems = _only_scoring_errors(
        lambda: scoring.parse_unit(text, "u.yaml", indicator_set=mini), {"u.yaml": text}
    )
    assert problems
    assert not any(leaked in p.message for p in problems), "\n".join(map(str, problems))


def test_bug_ratio_target_union_names_leaked_into_messages():
    """'target: [1]' gave "'decimal' must be a number" and "'str' must be text"."""
    text = MINI.replace("target: 100", "target: [1]")
    problems = _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})
    assert not any(p.message.startswith(("'decimal'", "'str'")) for p in problems), "\n".join(
        map(str, problems)
    )


def test_bug_formula_with_leading_space_got_a_false_number_error():
    """formula: "  x + 1.5" — the checker sliced the unstripped text with offsets from the stripped one and
    reported "number '+ 1' is not a decimal number"; the formula is fine."""
    text = MINI.replace("formula: x * 2", 'formula: "  x + 1.5"')
    scoring.parse_set(text, "set.yaml")


def test_bug_fullwidth_digit_in_a_name_could_not_be_used():
    """Python NFKC-normalizes identifiers when parsing, so the formula '指标１' (full-width 1, as Chinese input
    methods type it) read '指标1': "unknown name '指标1' … did you mean '指标１'?", a loop with no way out.
    Either such a name works, or every place it is written is refused with a hint whose advice, followed,
    gives a set that loads."""
    text = MINI.replace("x: {min: 0}", "指标１: {min: 0}").replace("formula: x * 2", "formula: 指标１ * 2")
    try:
        indicator_set = scoring.parse_set(text, "set.yaml")
    except DefinitionError as exc:
        check_problems(exc, {"set.yaml": text})
        hints = {p.hint for p in exc.problems}
        assert {p.location.line for p in exc.problems if p.location} == {8, 12}  # the input and the formula
        assert hints == {"write '指标1'"}, "\n".join(map(str, exc.problems))
        scoring.parse_set(text.replace("指标１", "指标1"), "set.yaml")
        return
    assert scoring.evaluate(indicator_set, {"values": {"指标１": 50}}).total == 10


def test_bug_tiny_values_were_shown_as_zero(mini):
    """1.0e-20000 underflowed in plain() (Emin −10 000): 'weights add up to 0' and '… not 0' named a number
    the file does not hold."""
    text = MINI.replace("weight: 10", "weight: 1.0e-20000")
    problems = _only_scoring_errors(lambda: scoring.parse_set(text, "set.yaml"), {"set.yaml": text})
    assert problems and not any("add up to 0," in p.message for p in problems), "\n".join(map(str, problems))


@pytest.mark.parametrize("written", ["1.0e+30", "0x1F", "1" * 61], ids=["range", "hex", "too-long"])
def test_bug_refused_number_under_values_cascades(mini, written: str):
    """A number the loader refuses (out of range, not decimal, too long) under values: becomes None, and the
    unit check adds "input 'x' must be a number, not nothing" — a second, misleading problem for the same
    figure. Elsewhere (a set's weight, an override's points) a refused number gives one problem."""
    text = f"values: {{x: {written}}}\n"
    problems = _only_scoring_errors(
        lambda: scoring.parse_unit(text, "u.yaml", indicator_set=mini), {"u.yaml": text, "set.yaml": MINI}
    )
    assert len(problems) == 1, "\n".join(map(str, problems))


def test_every_target_has_a_test():
    assert {f"test_fuzz_{name}" for name in TARGETS} <= set(globals())
