"""Hostile YAML: alias bombs, duplicate keys, caps, deep nesting, encodings, tags, merge keys, odd documents.

Every attack goes through the public entry points (``scoring.parse_set``, ``scoring.load_set``,
``scoring.parse_unit``, ``scoring.load_unit``) and must end in a :class:`scoring.DefinitionError` (sets) or
:class:`scoring.DataError` (unit data) with the expected problem code, the key words of its message and the
line it points at — quickly, and without running anything.
"""

from __future__ import annotations

import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import scoring
from scoring import limits as loader

from .conftest import run_timed

SET = """\
format: scoring/1
id: yaml-attack
title: 项目支出绩效自评
total: 10
grades:
  - {label: 优, min: 8}
  - {label: 差, min: 0}
inputs:
  x: {label: 执行数, min: 0}
  y: {label: 预算数, min: 1}
indicators:
  - id: victim
    label: 预算执行率
    weight: 10
    formula: x / y * 100
    rule:
      bands:
        - {from: 90, points: 10}
        - {below: 90, points: 5}
"""

UNIT = """\
unit: 示例单位
period: "2024"
values:
  x: 92.8
  y: 100
"""


@pytest.fixture(scope="module")
def indicator_set() -> scoring.IndicatorSet:
    return scoring.parse_set(SET, "set.yaml")


def test_base_documents_are_valid(indicator_set: scoring.IndicatorSet) -> None:
    result = scoring.evaluate(indicator_set, scoring.parse_unit(UNIT, "unit.yaml", indicator_set))
    assert result.total == 10


# --- helpers ------------------------------------------------------------------------------------------


def with_line(text: str, line: int, new: str) -> str:
    """``text`` with ``new`` inserted as line number ``line`` (1-based)."""
    lines = text.splitlines(keepends=True)
    lines.insert(line - 1, new if new.endswith("\n") else new + "\n")
    return "".join(lines)


def replace_line(text: str, line: int, new: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[line - 1] = new if new.endswith("\n") else new + "\n"
    return "".join(lines)


def expect(
    label: str,
    call: Callable[[], Any],
    error_type: type[scoring.ScoringError],
    code: str,
    words: tuple[str, ...] = (),
    line: int | None = None,
    limit: float = 1.0,
) -> scoring.Problem:
    """Run ``call`` timed; it must raise ``error_type`` with a ``code`` problem holding ``words`` at ``line``."""
    outcome = run_timed(label, call, limit)
    error = outcome.raised()
    if not isinstance(error, error_type):
        pytest.fail(f"{label}: raised {type(error).__name__}: {error!r}, expected {error_type.__name__}")
    matching = [p for p in error.problems if p.code == code]
    assert matching, f"{label}: no '{code}' problem in:\n{error}"
    problem = matching[0]
    text = f"{problem.message} {problem.hint or ''}"
    for word in words:
        assert word.lower() in text.lower(), f"{label}: {word!r} not in {text!r}"
    if line is not None:
        assert problem.location is not None and problem.location.line == line, (
            f"{label}: expected line {line}, got {problem.location}"
        )
    assert outcome.seconds < limit
    return problem


def parse_set(text: str) -> Callable[[], Any]:
    return lambda: scoring.parse_set(text, "set.yaml")


def parse_unit(text: str, indicator_set: scoring.IndicatorSet) -> Callable[[], Any]:
    return lambda: scoring.parse_unit(text, "unit.yaml", indicator_set)


# --- alias bombs ---------------------------------------------------------------------------------------


def laughs_lists(levels: int = 9, width: int = 10) -> str:
    rows = [f"bomb0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        rows.append(f"bomb{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(rows) + "\n"


def laughs_mappings(levels: int = 9, width: int = 10) -> str:
    rows = ["bomb0: &a0 {" + ", ".join(f"k{i}: lol" for i in range(width)) + "}"]
    for level in range(1, levels):
        rows.append(
            f"bomb{level}: &a{level} {{" + ", ".join(f"k{i}: *a{level - 1}" for i in range(width)) + "}"
        )
    return "\n".join(rows) + "\n"


BOMB_WORDS = ("more than 100000 nodes", "aliases")
#: "Fast" for a document that expands to the full node cap: about 1 s here, with room for a loaded machine.
BOMB_LIMIT = 3.0


def test_billion_laughs_of_lists_in_a_set() -> None:
    problem = expect(
        "yaml billion laughs (lists) in set",
        parse_set(SET + laughs_lists()),
        scoring.DefinitionError,
        "yaml-too-large",
        BOMB_WORDS,
        limit=BOMB_LIMIT,
    )
    assert problem.location is not None and problem.location.file == "set.yaml"


def test_billion_laughs_of_mappings_in_a_set() -> None:
    expect(
        "yaml billion laughs (mappings) in set",
        parse_set(SET + laughs_mappings()),
        scoring.DefinitionError,
        "yaml-too-large",
        BOMB_WORDS,
        limit=BOMB_LIMIT,
    )


def test_billion_laughs_in_unit_data(
    indicator_set: scoring.IndicatorSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unit files go through the same counting (with a smaller cap, to keep the suite fast)."""
    monkeypatch.setattr(loader, "MAX_NODES", 20_000)
    expect(
        "yaml billion laughs (lists) in unit, cap 20000",
        parse_unit(UNIT + laughs_lists(), indicator_set),
        scoring.DataError,
        "yaml-too-large",
        ("more than 20000 nodes", "aliases"),
        limit=BOMB_LIMIT,
    )


@pytest.mark.parametrize("text", ["loop: &a [*a]\n", "loop: &a {next: *a}\n"], ids=["list", "mapping"])
def test_self_referencing_alias_is_refused(text: str) -> None:
    expect(
        f"yaml recursive alias {text!r}", parse_set(SET + text), scoring.DefinitionError, "yaml-alias-loop"
    )


@pytest.mark.parametrize(
    "text",
    ["description: *nowhere\n", "extra: [1, *later]\nmore: &later 2\n", "&k title: a\ndescription: *k\n"],
    ids=["never written", "written after", "on a key"],
)
def test_alias_to_no_anchor_is_refused_not_read_as_null(text: str) -> None:
    """The event parser does not check aliases (PyYAML's composer does, and it is not used): an alias to no
    anchor must be refused where it is written, not read as an empty value."""
    call = parse_set(SET + text)
    expect(
        f"yaml alias to no anchor {text!r}",
        call,
        scoring.DefinitionError,
        "yaml-syntax",
        ("names no anchor",),
    )


def test_anchor_on_a_key_is_reported() -> None:
    error = expect(
        "yaml anchor on a key",
        parse_set(SET + "&k extra: 1\n"),
        scoring.DefinitionError,
        "yaml-key",
        ("anchor",),
    )
    assert error.location is not None and error.location.line == SET.count("\n") + 1


# --- duplicate keys ------------------------------------------------------------------------------------

SET_DUPLICATES = [
    # id, line to insert at (or replace with '='), text, key, line of the duplicate, line of the first
    ("top-level", 3, "id: again", "id", 3, 2),
    ("input", 10, "  x: {min: 5}", "x", 10, 9),
    ("indicator-field", 15, "    weight: 5", "weight", 15, 14),
    ("inside-input-flow-mapping", "=9", "  x: {label: 执行数, min: 0, label: 另一个}", "label", 9, 9),
    ("inside-band", "=18", "        - {from: 90, points: 10, from: 95}", "from", 18, 18),
    ("inside-grade", "=6", "  - {label: 优, min: 8, min: 9}", "min", 6, 6),
    ("quoted-and-plain", 3, '"id": again', "id", 3, 2),
]


@pytest.mark.parametrize(
    ("where", "new", "key", "line", "first"),
    [case[1:] for case in SET_DUPLICATES],
    ids=[case[0] for case in SET_DUPLICATES],
)
def test_duplicate_key_in_set(where: int | str, new: str, key: str, line: int, first: int) -> None:
    text = replace_line(SET, int(where[1:]), new) if isinstance(where, str) else with_line(SET, where, new)
    problem = expect(
        f"yaml duplicate key {key!r} in set",
        parse_set(text),
        scoring.DefinitionError,
        "duplicate-key",
        (f"duplicate key '{key}'", f"first written at line {first}"),
        line,
    )
    assert problem.subject == key


@pytest.mark.parametrize(
    ("where", "new", "key", "line", "first"),
    [(5, "  x: 95", "x", 5, 4), (2, "unit: 另一个", "unit", 2, 1), (6, "values: {}", "values", 6, 3)],
    ids=["value", "top-level", "values-block"],
)
def test_duplicate_key_in_unit(
    indicator_set: scoring.IndicatorSet, where: int, new: str, key: str, line: int, first: int
) -> None:
    problem = expect(
        f"yaml duplicate key {key!r} in unit",
        parse_unit(with_line(UNIT, where, new), indicator_set),
        scoring.DataError,
        "duplicate-key",
        (f"duplicate key '{key}'", f"first written at line {first}"),
        line,
    )
    assert problem.subject == key


# --- size and node-count caps --------------------------------------------------------------------------


def test_file_over_the_byte_cap_is_refused_before_parsing(
    tmp_path: Path, indicator_set: scoring.IndicatorSet
) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(SET.encode() + b"#" + b"x" * (loader.MAX_BYTES - len(SET.encode())) + b"\n")
    size = path.stat().st_size
    assert size > loader.MAX_BYTES
    words = (f"{size} bytes", f"limit is {loader.MAX_BYTES}")
    problem = expect(
        "yaml file over byte cap (set)",
        lambda: scoring.load_set(path),
        scoring.DefinitionError,
        "file-too-large",
        words,
    )
    assert problem.location is not None and problem.location.file == str(path)
    expect(
        "yaml file over byte cap (unit)",
        lambda: scoring.load_unit(path, indicator_set),
        scoring.DataError,
        "file-too-large",
        words,
    )


def test_text_over_the_byte_cap_is_refused() -> None:
    text = SET + "#" + "x" * loader.MAX_BYTES + "\n"
    expect(
        "yaml text over byte cap", parse_set(text), scoring.DefinitionError, "file-too-large", ("characters",)
    )


def test_node_count_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cap itself, checked with a small limit so the test stays fast."""
    monkeypatch.setattr(loader, "MAX_NODES", 1000)
    wide = SET + "extra: [" + ", ".join(["1"] * 1000) + "]\n"
    expect(
        "yaml node cap (flat)", parse_set(wide), scoring.DefinitionError, "yaml-too-large", ("1000 nodes",)
    )
    aliased = SET + "base: &b [" + ", ".join(["1"] * 100) + "]\nmore: [" + ", ".join(["*b"] * 10) + "]\n"
    expect(
        "yaml node cap (aliases)", parse_set(aliased), scoring.DefinitionError, "yaml-too-large", ("aliases",)
    )
    below = SET + "extra: [" + ", ".join(["1"] * 900) + "]\n"
    expect("yaml under node cap", parse_set(below), scoring.DefinitionError, "unknown-key", ("extra",), 20)


def test_document_over_the_node_cap_is_refused_fast() -> None:
    """HOLE: the node cap is checked while building data from the composed node graph, so PyYAML first
    composes every node of the document. A 4.8 MB file (under the byte cap) of 2.4 million list items takes
    about 20 s and 800 MB before it is refused. Fix (scoring/loader.py, parse_yaml): count events with
    ``yaml.parse`` (or a composer subclass) and stop at MAX_NODES before building the node graph."""
    items = (loader.MAX_BYTES - 100) // 2
    text = "extra: [" + ",".join(["1"] * items) + "]\n"
    assert len(text) < loader.MAX_BYTES
    expect(
        "yaml 2.4M nodes under byte cap",
        parse_set(text),
        scoring.DefinitionError,
        "yaml-too-large",
        limit=2.0,
    )


# --- deep nesting --------------------------------------------------------------------------------------

DEEP = {
    "flow-lists-10000": "extra: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "flow-mappings-2000": "extra: " + "{a: " * 2_000 + "1" + "}" * 2_000 + "\n",
    "block-lists-10000": "extra:\n  " + "- " * 10_000 + "x\n",
    "block-mappings-1000": "extra:\n" + "".join(" " * (i + 2) + f"k{i}:\n" for i in range(1000)),
}


@pytest.mark.parametrize("text", list(DEEP.values()), ids=list(DEEP))
def test_deep_nesting_is_refused(text: str, request: pytest.FixtureRequest) -> None:
    label = f"yaml deep nesting {request.node.callspec.id}"
    expect(
        label,
        parse_set(SET + text),
        scoring.DefinitionError,
        "yaml-too-deep",
        ("nested too deeply",),
        limit=2.0,
    )


def test_deep_nesting_error_is_located() -> None:
    """WEAK: 'yaml-too-deep' carries no line (and no hint), unlike every other YAML problem."""
    problem = expect(
        "yaml deep nesting located",
        parse_set(SET + "extra: " + "[" * 2_000 + "]" * 2_000 + "\n"),
        scoring.DefinitionError,
        "yaml-too-deep",
    )
    assert problem.location is not None and problem.location.line == 20, str(problem)


_CHILD = """\
import scoring
try:
    scoring.parse_set("extra: " + "[" * {depth} + "]" * {depth} + "\\n", "set.yaml")
except scoring.DefinitionError as exc:
    print(exc.problems[0].code)
"""


def _child(depth: int, stack_bytes: int | None) -> subprocess.CompletedProcess[str]:
    def limit_stack() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_STACK, (stack_bytes, stack_bytes))

    return subprocess.run(
        [sys.executable, "-c", _CHILD.format(depth=depth)],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=limit_stack if stack_bytes else None,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX stack limits")
@pytest.mark.parametrize(
    ("depth", "stack_bytes"),
    [(10_000, 1 << 20)],
    ids=["10000-levels-1MB-stack"],
)
def test_deep_nesting_does_not_crash_the_process(depth: int, stack_bytes: int | None) -> None:
    """HOLE: libyaml's composer (yaml.CSafeLoader, used by loader.parse_yaml) recurses in C for each nesting
    level, so a 60 KB document of 30 000 nested '[' kills the process with SIGSEGV (default 8 MB stack, after
    about 1.7 s) before our RecursionError guard in _Builder.build is reached; with a 1 MB stack (common for
    worker threads) 5 000 levels are enough, which is what this test runs (cheaply, in a child process).
    Fix (scoring/loader.py, parse_yaml): before ``yaml.compose``, scan ``yaml.parse`` events (libyaml's parser
    keeps an explicit stack) and refuse a depth above, say, 100 with 'yaml-too-deep' and the line."""
    child = run_timed(f"yaml {depth} nested lists in a child process", lambda: _child(depth, stack_bytes), 30)
    assert child.error is None, child.error
    completed = child.result
    assert completed.returncode == 0, f"child died with {completed.returncode}: {completed.stderr[-500:]}"
    assert completed.stdout.strip() == "yaml-too-deep"


# --- encodings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_file_gets_an_error_naming_utf8_and_gbk(
    tmp_path: Path, indicator_set: scoring.IndicatorSet, encoding: str
) -> None:
    text = SET if encoding == "gbk" else replace_line(SET, 3, "title: 项目€𠀀")  # € and 𠀀 are not in GBK
    path = tmp_path / f"{encoding}.yaml"
    path.write_bytes(text.encode(encoding))
    words = ("not valid UTF-8", "GBK", "save it as UTF-8")
    expect(
        f"yaml {encoding} set", lambda: scoring.load_set(path), scoring.DefinitionError, "encoding", words, 3
    )
    unit_path = tmp_path / f"{encoding}-unit.yaml"
    unit_path.write_bytes(UNIT.encode(encoding))
    expect(
        f"yaml {encoding} unit",
        lambda: scoring.load_unit(unit_path, indicator_set),
        scoring.DataError,
        "encoding",
        words,
        1,
    )


def test_latin1_file_gets_an_error_naming_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(SET.encode().replace("项目支出绩效自评".encode(), "café".encode("latin-1")))
    expect(
        "yaml latin-1 set", lambda: scoring.load_set(path), scoring.DefinitionError, "encoding", ("UTF-8",), 3
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_file_gets_an_error_naming_utf8(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.yaml"
    path.write_bytes(SET.encode(encoding))  # "utf-16" writes a BOM
    problem = expect(
        f"yaml {encoding} set",
        lambda: scoring.load_set(path),
        scoring.DefinitionError,
        "encoding",
        ("UTF-8",),
    )
    assert "GBK" not in (problem.hint or "")


def test_utf16_file_is_not_called_gbk(tmp_path: Path) -> None:
    """WEAK (misleading): UTF-16-LE text (Notepad's "Unicode") also decodes as GB18030, so the hint wrongly says
    the file "looks like GBK/GB18030". Fix (scoring/loader.py, read_text): recognise UTF-16/32 BOMs and NUL
    bytes first and say "the file is UTF-16; save it as UTF-8"; only then try GB18030."""
    path = tmp_path / "utf16le.yaml"
    path.write_bytes(SET.encode("utf-16-le"))
    problem = expect(
        "yaml utf-16-le set", lambda: scoring.load_set(path), scoring.DefinitionError, "encoding", ("UTF-8",)
    )
    assert "GBK" not in (problem.hint or ""), problem.hint


def test_utf8_bom_is_accepted(tmp_path: Path, indicator_set: scoring.IndicatorSet) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SET.encode())
    loaded = scoring.load_set(path)
    assert loaded.sha256 == indicator_set.sha256  # the hash is of the text, BOM removed
    unit_path = tmp_path / "bom-unit.yaml"
    unit_path.write_bytes(b"\xef\xbb\xbf" + UNIT.encode())
    assert scoring.evaluate(loaded, scoring.load_unit(unit_path, loaded)).total == 10
    assert scoring.parse_set("\ufeff" + SET, "set.yaml").indicators[0].id == "victim"


# --- tags ----------------------------------------------------------------------------------------------

TAG_PAYLOADS = [
    # id, the value written for 'title' (line 3), a fragment of the tag the error must name
    ("os-system", '!!python/object/apply:os.system ["touch {canary}"]', "python/object/apply:os.system"),
    (
        "subprocess",
        '!!python/object/apply:subprocess.check_call [["touch", "{canary}"]]',
        "subprocess.check_call",
    ),
    ("open-apply", '!!python/object/apply:builtins.open ["{canary}", "w"]', "builtins.open"),
    ("open-new", '!!python/object/new:builtins.open ["{canary}", "w"]', "python/object/new"),
    ("open-mapping", '!!python/object/apply:builtins.open {{args: ["{canary}", "w"]}}', "builtins.open"),
    ("python-name", "!!python/name:os.system", "python/name:os.system"),
    ("python-module", "!!python/module:os", "python/module:os"),
    ("python-object", "!!python/object:builtins.object {{a: 1}}", "python/object:builtins.object"),
    ("python-tuple", "!!python/tuple [1, 2]", "python/tuple"),
    ("python-bytes", "!!python/bytes aGk=", "python/bytes"),
    ("verbatim", '!<tag:yaml.org,2002:python/object/apply:builtins.open> ["{canary}", "w"]', "builtins.open"),
    ("custom-scalar", "!foo bar", "!foo"),
    ("custom-sequence", "!foo [1, 2]", "!foo"),
    ("custom-mapping", "!foo {{a: 1}}", "!foo"),
    ("binary", "!!binary aGk=", "binary"),
    ("set", "!!set {{a, b}}", "set"),
    ("omap", "!!omap [a: 1]", "omap"),
    ("pairs", "!!pairs [a: 1]", "pairs"),
]


@pytest.mark.parametrize(("value", "tag"), [c[1:] for c in TAG_PAYLOADS], ids=[c[0] for c in TAG_PAYLOADS])
def test_tag_is_refused_and_nothing_runs(tmp_path: Path, value: str, tag: str) -> None:
    canary = tmp_path / "canary"
    text = replace_line(SET, 3, "title: " + value.format(canary=canary))
    expect(
        f"yaml tag {tag}",
        parse_set(text),
        scoring.DefinitionError,
        "yaml-tag",
        ("unsupported YAML tag", tag),
        3,
    )
    assert not canary.exists(), "the tag was constructed: the canary file exists"


def test_tag_payloads_are_live(tmp_path: Path) -> None:
    """Control: the canary payload really creates the file when YAML is loaded unsafely, so its absence above
    proves it was never constructed."""
    canary = tmp_path / "canary"
    yaml.unsafe_load(f'!!python/object/apply:builtins.open ["{canary}", "w"]').close()
    assert canary.exists()


def test_tag_directive_shorthand_is_refused(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    text = "%TAG !p! tag:yaml.org,2002:python/\n---\n" + replace_line(
        SET, 3, f'title: !p!object/apply:builtins.open ["{canary}", "w"]'
    )
    expect("yaml %TAG shorthand", parse_set(text), scoring.DefinitionError, "yaml-tag", ("builtins.open",), 5)
    assert not canary.exists()


@pytest.mark.parametrize(
    ("line", "value"),
    [(5, "grades: !foo"), (8, "inputs: !!python/object:builtins.object"), (16, "    rule: !foo")],
    ids=["sequence", "mapping", "nested-mapping"],
)
def test_tag_on_block_collections_is_refused(line: int, value: str) -> None:
    expect(
        f"yaml tag on block collection line {line}",
        parse_set(replace_line(SET, line, value)),
        scoring.DefinitionError,
        "yaml-tag",
        ("tag",),
        line,
    )


def test_tag_in_unit_data_is_refused(tmp_path: Path, indicator_set: scoring.IndicatorSet) -> None:
    canary = tmp_path / "canary"
    text = replace_line(UNIT, 4, f'  x: !!python/object/apply:builtins.open ["{canary}", "w"]')
    expect(
        "yaml tag in unit",
        parse_unit(text, indicator_set),
        scoring.DataError,
        "yaml-tag",
        ("builtins.open",),
        4,
    )
    assert not canary.exists()


def test_tag_on_a_key_is_refused() -> None:
    """WEAK: a tag on a mapping key is silently dropped (loader._Builder._mapping checks key tags only for
    '<<'), although the docs say every non-standard tag is refused. Nothing is constructed, but the file is
    accepted as if the tag were not there. Fix: call _unsupported_tag for key nodes whose tag is not str/int."""
    text = replace_line(SET, 3, "!!python/name:os.system title: 项目支出绩效自评")
    expect("yaml tag on a key", parse_set(text), scoring.DefinitionError, "yaml-tag", ("python/name",), 3)


# --- merge keys, complex keys, multi-document streams ------------------------------------------------


def test_merge_key_is_refused() -> None:
    text = replace_line(SET, 10, "  y:\n    <<: *base\n    label: 预算数")
    text = replace_line(text, 9, "  x: &base {label: 执行数, min: 0}")
    expect(
        "yaml merge key",
        parse_set(text),
        scoring.DefinitionError,
        "yaml-merge",
        ("merge keys", "write the keys out"),
        11,
    )


def test_merge_key_with_a_list_is_refused() -> None:
    text = replace_line(SET, 10, "  y: {<<: [*base, *base], min: 1}")
    text = replace_line(text, 9, "  x: &base {label: 执行数, min: 0}")
    expect("yaml merge list", parse_set(text), scoring.DefinitionError, "yaml-merge", ("merge keys",), 10)


def test_complex_key_is_refused() -> None:
    text = with_line(SET, 3, "? [a, b]\n: 1")
    expect("yaml complex key", parse_set(text), scoring.DefinitionError, "yaml-key", ("plain text",), 3)


@pytest.mark.parametrize(
    ("extra", "line"),
    [("---\nformat: scoring/1\n", 20), ("...\n---\nid: other\n", 21), ("---\n", 20)],
    ids=["second-document", "end-marker-then-document", "empty-second-document"],
)
def test_multi_document_stream_is_refused(extra: str, line: int, indicator_set: scoring.IndicatorSet) -> None:
    expect(
        "yaml multi-document set",
        parse_set(SET + extra),
        scoring.DefinitionError,
        "yaml-syntax",
        ("document",),
        line,
    )
    unit_line = line - SET.count("\n") + UNIT.count("\n")
    expect(
        "yaml multi-document unit",
        parse_unit(UNIT + extra, indicator_set),
        scoring.DataError,
        "yaml-syntax",
        ("document",),
        unit_line,
    )


def test_trailing_content_after_end_marker_is_refused() -> None:
    expect(
        "yaml content after ...",
        parse_set(SET + "...\nid: other\n"),
        scoring.DefinitionError,
        "yaml-syntax",
        (),
        21,
    )


# --- top level, tabs, numbers ----------------------------------------------------------------------------

TOP_LEVEL = [
    ("list", "- format: scoring/1\n- id: x\n", "a list"),
    ("scalar", "just some text\n", "'just some text'"),
    ("number", "42\n", "42"),
    ("empty", "", "empty"),
    ("comments-only", "# nothing here\n", "empty"),
    ("null", "~\n", "empty"),
    ("empty-document", "---\n...\n", "empty"),
]


@pytest.mark.parametrize(("text", "word"), [c[1:] for c in TOP_LEVEL], ids=[c[0] for c in TOP_LEVEL])
def test_wrong_top_level_type(text: str, word: str, indicator_set: scoring.IndicatorSet) -> None:
    words = ("must be a mapping", word)
    expect(f"yaml top-level {word} set", parse_set(text), scoring.DefinitionError, "top-level", words, 1)
    expect(
        f"yaml top-level {word} unit",
        parse_unit(text, indicator_set),
        scoring.DataError,
        "top-level",
        words,
        1,
    )


@pytest.mark.parametrize(
    ("line", "new"),
    [(9, "\tx: {label: 执行数, min: 0}"), (10, "  \ty: {min: 1}"), (13, "\t\tlabel: 预算执行率")],
    ids=["tab-indent", "space-then-tab", "two-tabs"],
)
def test_tab_indentation_gets_a_hint(line: int, new: str) -> None:
    expect(
        "yaml tab indentation",
        parse_set(replace_line(SET, line, new)),
        scoring.DefinitionError,
        "yaml-syntax",
        ("indent with spaces, not tabs",),
        line,
    )


def test_tab_indentation_in_unit_gets_a_hint(indicator_set: scoring.IndicatorSet) -> None:
    text = replace_line(UNIT, 4, "\tx: 92.8")
    expect(
        "yaml tab in unit", parse_unit(text, indicator_set), scoring.DataError, "yaml-syntax", ("tabs",), 4
    )


def test_overlong_number_literal_is_refused() -> None:
    text = replace_line(SET, 14, "    weight: 1" + "0" * 100)
    expect(
        "yaml 101-digit number",
        parse_set(text),
        scoring.DefinitionError,
        "number-too-long",
        ("101 characters",),
        14,
    )


@pytest.mark.parametrize(
    "number",
    ["1.0e+99999", "1.0e+10001", "9" * 55, "1.0e+300"],
    ids=["exponent-99999", "exponent-10001", "55-digits", "exponent-300"],
)
def test_huge_numbers_in_a_set_are_definition_errors(number: str) -> None:
    """HOLE: YAML numbers up to 60 characters are accepted whatever their size, and a weight/total such as
    1.0e+99999 (beyond the arithmetic's Emax) or a 55-digit integer (beyond its 50-digit precision) escapes
    as a raw decimal.Overflow / InvalidOperation from definition.check_total (numbers.decimal_places) and
    numbers.plain. Fix: refuse numbers whose magnitude is beyond numbers.MAX_EXPONENT (or a saner bound)
    in loader._Builder._number, and make numbers.plain total for every finite Decimal."""
    text = replace_line(replace_line(SET, 4, f"total: {number}"), 14, f"    weight: {number}")
    outcome = run_timed(f"yaml huge number {number[:12]} as weight", parse_set(text))
    if outcome.error is None:
        return  # accepted and handled exactly is fine too
    error = outcome.raised()
    trace = "".join(traceback.format_exception(error, limit=-3))
    assert isinstance(error, scoring.DefinitionError), f"raised {type(error).__name__}:\n{trace}"
    assert all(p.location is not None and p.location.line is not None for p in error.problems)
