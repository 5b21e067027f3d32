"""YAML text → plain Python data, with the location of every key and item.

Only safe YAML is read (the node graph of ``yaml.SafeLoader``; values are built by
:mod:`scoring.formats.yaml_nodes`, never constructed from a tag). Before anything is built, the document is
measured from PyYAML's event stream (node count, nesting depth) and then as composed, with every alias
counted each time it is used (nodes and characters), so an alias bomb is refused in microseconds instead of
exhausting memory.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import limits
from ..errors import DefinitionError, Location, Problem
from .files import read_text
from .yaml_nodes import NodeBuilder, Path_, TooLarge

_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Sequence_ = tuple[str | int, ...] | list[str | int]


@dataclass(frozen=True)
class Document:
    """Parsed YAML data plus where each part of it was written."""

    data: Any
    source: str
    positions: dict[Path_, Location]
    sha256: str
    #: Problems that did not stop parsing (duplicate keys, unsupported tags); the data keeps the first
    #: of duplicated keys so later checks can still run and report everything at once.
    problems: tuple[Problem, ...] = ()
    #: Paths of values refused while reading (their problem is reported; later checks skip them).
    rejected: frozenset[Path_] = frozenset()

    def locate(self, path: Sequence_) -> Location:
        """Location of the value at ``path``; falls back to the nearest enclosing part that has one."""
        key = tuple(path)
        while key:
            found = self.positions.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return self.positions.get((), Location(self.source, 1, 1))

    def nested(self, key: str) -> Document:
        """The same document as the value of ``key`` in a mapping (for a format's shorter form)."""
        positions = {(key, *path): where for path, where in self.positions.items()}
        positions[()] = self.positions.get((), Location(self.source, 1, 1))
        rejected = frozenset((key, *path) for path in self.rejected)
        return replace(self, data={key: self.data}, positions=positions, rejected=rejected)


class _AliasLoop(Exception):
    pass


def _refuse(code: str, message: str, where: Location, hint: str | None = None) -> DefinitionError:
    return DefinitionError(Problem(code, message, where, hint=hint))


def parse_yaml(text: str, source: str) -> Document:
    """Parse one YAML document into located plain data.

    Raises :class:`DefinitionError` when the text is not YAML at all (or too large, deep or repetitive);
    lesser problems (duplicate keys, tags) are kept in :attr:`Document.problems` so the caller reports them
    with its own.
    """
    text = text.removeprefix("\ufeff")  # a BOM is not content (load_yaml strips it too: same hash)
    if len(text) > limits.MAX_BYTES:
        message = f"text is {len(text)} characters; the limit is {limits.MAX_BYTES}"
        raise _refuse("file-too-large", message, Location(source))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    root = _compose(text, source)
    builder = NodeBuilder(source)
    data: Any = None
    if root is not None:
        _measure(root, source)
        try:
            data = builder.build(root, ())
        except TooLarge:
            message = f"document expands to more than {limits.MAX_NODES} nodes (aliases count each time they are used)"
            raise _refuse(
                "yaml-too-large", message, Location(source, 1, 1), "remove deeply repeated aliases"
            ) from None
        except RecursionError:
            message = "document is nested too deeply (an alias may refer to the mapping that contains it)"
            raise _refuse("yaml-too-deep", message, Location(source, 1, 1)) from None
    return Document(
        data, source, builder.positions, digest, tuple(builder.problems), frozenset(builder.rejected)
    )


def _compose(text: str, source: str) -> Node | None:
    """The node tree of the text, after its shape is checked on the cheap event stream."""
    try:
        _check_shape(
            text, source
        )  # before composing: node trees are costly to build and deep ones crash libyaml
        root: Node | None = yaml.compose(text, Loader=_SAFE_LOADER)
        return root
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
        if "nesting depth" in str(exc.problem):  # newer libyaml stops deep nesting itself
            raise _too_deep(where) from None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        hint = "indent with spaces, not tabs" if mark is not None and _tab_near(text, mark.line) else None
        raise _refuse("yaml-syntax", message, where, hint) from None
    except yaml.reader.ReaderError as exc:  # a control character: it has an offset but no mark
        # libyaml reports a byte offset into the UTF-8 text; count lines and columns in characters
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        breaks = list(_LINE_BREAK.finditer(before))  # YAML's line breaks, NEL and the Unicode ones included
        line = len(breaks) + 1
        column = len(before) - (breaks[-1].end() if breaks else 0) + 1
        raise _refuse(
            "yaml-syntax",
            f"the file holds a control character (code {exc.character:#x}), which YAML does not allow",
            Location(source, line, column),
            "remove it; it often comes from copying out of a PDF or Excel",
        ) from None
    except yaml.YAMLError as exc:
        raise _refuse("yaml-syntax", f"YAML error: {str(exc)[:200]}", Location(source, 1, 1)) from None


def _too_deep(where: Location) -> DefinitionError:
    return _refuse(
        "yaml-too-deep",
        f"lists and mappings are nested too deeply (more than {limits.MAX_DEPTH} levels)",
        where,
        "indicator sets and unit data need only a few levels",
    )


def _measure(root: Node, source: str) -> None:
    """Refuse a document whose aliases expand it beyond the node or character limits."""
    try:
        nodes, characters = _expanded_size(root, {})
    except _AliasLoop:
        raise _refuse(
            "yaml-alias-loop",
            "an alias refers to the list or mapping that contains it, which never ends",
            Location(source, 1, 1),
            "remove the alias (*name) inside its own anchor (&name)",
        ) from None
    if nodes > limits.MAX_NODES:
        message = (
            f"document expands to more than {limits.MAX_NODES} nodes (aliases count each time they are used)"
        )
        raise _refuse(
            "yaml-too-large", message, Location(source, 1, 1), "remove repeated aliases (&name / *name)"
        )
    if characters > limits.MAX_EXPANDED_CHARS:
        message = (
            f"document expands to more than {limits.MAX_EXPANDED_CHARS} characters of text (aliases count each "
            "time they are used)"
        )
        raise _refuse(
            "yaml-too-large", message, Location(source, 1, 1), "remove repeated aliases (&name / *name)"
        )


def _expanded_size(node: Node, sizes: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(nodes, characters of text) the document has once every alias is expanded, computed once per
    distinct node (so an alias bomb is measured in microseconds rather than built)."""
    known = sizes.get(id(node))
    if known == (-1, -1):
        raise _AliasLoop
    if known is not None:
        return known
    sizes[id(node)] = (-1, -1)  # in progress: meeting it again below means it contains itself
    nodes, characters = 1, len(node.value) if isinstance(node, ScalarNode) else 0
    children: list[Node] = []
    if isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, SequenceNode):
        children = node.value
    for child in children:
        child_nodes, child_characters = _expanded_size(child, sizes)
        nodes, characters = nodes + child_nodes, characters + child_characters
        if nodes > limits.MAX_NODES or characters > limits.MAX_EXPANDED_CHARS:
            break
    sizes[id(node)] = (nodes, characters)
    return nodes, characters


def _check_shape(text: str, source: str) -> None:
    """Refuse documents with too many nodes or too deep a nesting, from the cheap event stream."""
    depth = 0
    nodes = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.NodeEvent):  # scalars, aliases and the start of lists and mappings
            nodes += 1
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.MAX_DEPTH:
                mark = event.start_mark
                raise _too_deep(Location(source, mark.line + 1, mark.column + 1))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if nodes > limits.MAX_NODES:
            mark = event.start_mark
            where = Location(source, mark.line + 1, mark.column + 1)
            message = f"document has more than {limits.MAX_NODES} nodes"
            raise _refuse("yaml-too-large", message, where, "split it, or remove what is not needed")


def _tab_near(text: str, line: int) -> bool:
    """Whether a tab stands in the leading white space of the line an error points at (or the one before)."""
    lines = text.splitlines()
    nearby = lines[max(0, line - 1) : line + 1]
    return any("\t" in row[: len(row) - len(row.lstrip())] for row in nearby)


def load_yaml(path: Path, encoding: str | None = None) -> Document:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path, encoding), str(path))
