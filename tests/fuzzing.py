"""The fuzzing harness: hostile inputs, the checks every outcome must pass, and the budget of a target.

``tests/test_fuzz.py`` holds the fuzz targets (and ``scripts/fuzz.py`` runs them as a longer campaign);
``tests/test_fuzz_regressions.py`` pins the bugs they found. This module holds what both use:

- the shipped files in ``indicators/`` and ``examples/`` (:data:`SETS`, :data:`EXAMPLES`), the seeds of the
  byte-level mutations;
- the invariants (:func:`check_problems`, :func:`check_result`, :func:`check_reproduction`,
  :func:`check_set_roundtrip`) and the runners that apply them to one input (:func:`run_set_text`,
  :func:`run_unit_text`, :func:`run_mapping`: the call may succeed or fail with a ScoringError that keeps the
  invariants), and :func:`expect_scoring_error`, for a call that must fail with a given located error;
- the strategies of hostile input: random text, random YAML documents, mutated shipped files, mutated
  generated sets and data, random data for the shipped sets, random published tables, random formulas;
- :func:`budget`, the Hypothesis settings of one target under the profiles of ``tests/profiles.py``.

Invariants: nothing but :class:`scoring.ScoringError` escapes (a :class:`~scoring.DefinitionError` from
``parse_set``, a :class:`~scoring.DataError` from the rest); every problem has a code and a non-empty message
of bounded length; when the input is a file, every problem has a location in that file (or in the set file,
for evaluation problems) with 1 ≤ line ≤ the number of lines and 1 ≤ column ≤ the line's length + 1. A
successful result holds no NaN or infinity, has 0 ≤ total ≤ maximum (or a range within it), rows and groups
within their weights, and renders in every format; a loaded set dumps to YAML that loads to an equal set.

Budget: ``SCORING_FUZZ_PROFILE=quick`` (the default) runs a target with its quick number of examples under
the ``fuzz-quick`` profile (scaled like every other test under ``HYPOTHESIS_PROFILE=ci``);
``SCORING_FUZZ_PROFILE=campaign`` gives every target ``SCORING_FUZZ_EXAMPLES`` examples (default 20000) under
``fuzz-campaign``, with fresh random seeds and shrinking. ``scripts/fuzz.py`` sets both.
"""

from __future__ import annotations

import copy
import os
import re
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st

import scoring
from scoring import DataError, DefinitionError, ScoringError
from scoring.formats.yaml import parse_yaml
from scoring.report.reproduce import reproduction_text as reproduction
from scoring.report.score import explain, markdown, table, to_csv
from scoring.rules import RULE_KINDS
from scoring.serialize import to_json

from .profiles import scaled
from .strategies import set_plans, to_yaml, unit_data

ROOT = Path(__file__).resolve().parent.parent

# --- budget ------------------------------------------------------------------------------------------

PROFILE = os.environ.get("SCORING_FUZZ_PROFILE", "quick")
if PROFILE not in ("quick", "campaign"):
    raise ValueError(f"SCORING_FUZZ_PROFILE must be 'quick' or 'campaign', not {PROFILE!r}")


def budget(quick_examples: int) -> settings:
    """Settings of one target: ``quick_examples`` (scaled by the loaded profile: the same under ``dev``) in
    the quick profile, the campaign's budget otherwise."""
    if PROFILE == "campaign":
        return settings(settings.get_profile("fuzz-campaign"))
    return settings(settings.get_profile("fuzz-quick"), max_examples=scaled(quick_examples))


class OutOfTime(BaseException):
    """Raised by a target when a campaign's time budget is spent (a BaseException: Hypothesis lets it out)."""


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


def expect_scoring_error(
    call: Callable[[], Any],
    files: Mapping[str, str] | None,
    error: type[ScoringError],
    *,
    codes: Sequence[str] | None = None,
    at: Sequence[str | None] | None = None,
) -> list[scoring.Problem]:
    """Run ``call``, which must raise ``error`` keeping the invariants of :func:`check_problems`; fail if it
    returns or raises anything else. ``codes`` and ``at`` are, when given, the codes and the locations (as
    text: ``set.yaml:3:8``, ``<data>: values.x``; None for no location) of all the problems, in order.
    Returns the problems."""
    try:
        returned = call()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        check_problems(exc, files)
        assert isinstance(exc, error), f"expected {error.__name__}, got {type(exc).__name__}: {exc}"
        problems = list(exc.problems)  # type: ignore[attr-defined]
        shown = "\n".join(f"[{p.code}] {p}" for p in problems)
        if codes is not None:
            assert [p.code for p in problems] == list(codes), shown
        if at is not None:
            where = [None if p.location is None else str(p.location) for p in problems]
            assert where == list(at), shown
        return problems
    raise AssertionError(f"expected {error.__name__}, but the call succeeded and returned {returned!r:.200}")


def position(text: str, needle: str) -> str:
    """``line:column`` (1-based) of the first ``needle`` in ``text``, for :func:`expect_scoring_error`'s
    ``at``; lines as YAML counts them."""
    before = text[: text.index(needle)]
    lines = yaml_lines(before)
    return f"{len(lines)}:{len(lines[-1]) + 1}"


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
    #: Examples in the quick profile under `dev` (tests/test_fuzz.py stays near 15 s).
    quick: int
