"""YAML text → plain Python data, with the location of every key and item.

Only safe YAML is read (the node graph of ``yaml.SafeLoader``; nothing is constructed from a tag we do not
know). Numbers become :class:`~decimal.Decimal` built from their written text, so ``0.1`` is exactly one
tenth. Duplicate keys, which PyYAML silently collapses, are errors. Alias expansion is counted, so a
"billion laughs" document is refused instead of exhausting memory.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import limits
from ..errors import DefinitionError, Location, Problem, ProblemList
from ..numbers import within_magnitude
from .files import read_text

Path_ = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
#: Numbers as people write them: optional sign, digits, optional fraction and exponent.
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


Sequence_ = tuple[str | int, ...] | list[str | int]


class _TooLarge(Exception):
    pass


class _AliasLoop(Exception):
    pass


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.positions: dict[Path_, Location] = {}
        self.problems = ProblemList()
        self.nodes = 0
        self.rejected: set[Path_] = set()
        self._constructor = yaml.SafeLoader("")

    def at(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.source, mark.line + 1, mark.column + 1)

    def build(self, node: Node, path: Path_, key_node: Node | None = None) -> Any:
        self.nodes += 1
        if self.nodes > limits.MAX_NODES:
            raise _TooLarge
        self.positions[path] = self.at(key_node if key_node is not None else node)
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in (_TAG + "map", _TAG + "seq"):
            self._unsupported_tag(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        before = len(self.problems.items)
        value = self._scalar(node)
        if len(self.problems.items) > before:
            self.rejected.add(path)
            subject = str(path[-1]) if path else None  # the key the refused value belongs to
            self.problems.items[before:] = [
                replace(p, subject=p.subject or subject, path=path) for p in self.problems.items[before:]
            ]
        return value

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.add(
                    Problem("yaml-key", "a key must be plain text, not a list or mapping", self.at(key_node))
                )
                continue
            if key_node.tag not in (_TAG + "str", _TAG + "merge", _TAG + "int", _TAG + "float", _TAG + "bool",
                                    _TAG + "null", _TAG + "timestamp"):  # fmt: skip
                self._unsupported_tag(key_node)
                continue
            if key_node.tag == _TAG + "merge":
                self.problems.add(
                    Problem(
                        "yaml-merge",
                        "merge keys ('<<') are not supported",
                        self.at(key_node),
                        hint="write the keys out in full",
                    )
                )
                continue
            key = str(key_node.value)
            if key in first_seen:
                self.problems.add(
                    Problem(
                        "duplicate-key",
                        f"duplicate key '{key}' (first written at line {first_seen[key].line})",
                        self.at(key_node),
                        subject=key,
                        hint="YAML keeps only one of them; remove or rename one",
                    )
                )
                continue
            first_seen[key] = self.at(key_node)
            result[key] = self.build(value_node, (*path, key), key_node)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag in (_TAG + "int", _TAG + "float"):
            return self._number(node)
        if (
            tag == _TAG + "str"
            and not node.style  # plain, not quoted (libyaml gives "" where PyYAML gives None)
            and _PLAIN_NUMBER.match(str(node.value).replace("_", ""))
        ):
            return self._number(node)  # unquoted 1e6 or 0090: YAML 1.1 calls them text, people mean numbers
        if tag in (_TAG + "str", _TAG + "timestamp"):
            return str(node.value)
        if tag in (_TAG + "bool", _TAG + "null"):
            return self._constructor.construct_object(node)
        self._unsupported_tag(node)
        return None

    def _unsupported_tag(self, node: Node) -> None:
        self.problems.add(
            Problem(
                "yaml-tag",
                f"unsupported YAML tag '{node.tag}'",
                self.at(node),
                hint="only plain strings, numbers, booleans, lists and mappings are allowed",
            )
        )

    def _number(self, node: ScalarNode) -> Decimal | None:
        text = str(node.value)
        if len(text) > limits.MAX_NUMBER_CHARS:
            self.problems.add(
                Problem(
                    "number-too-long", f"number literal of {len(text)} characters is too long", self.at(node)
                )
            )
            return None
        cleaned = text.replace("_", "")
        if not _PLAIN_NUMBER.match(cleaned) and cleaned.lower().lstrip("+-") not in (".inf", ".nan"):
            # YAML 1.1 would read 0100 as octal 64, 0x10 as 16 and 42:40 as base-60 2560: numbers here are
            # read from their written decimal digits only
            self.problems.add(
                Problem(
                    "yaml-number",
                    f"'{text}' is not a plain decimal number",
                    self.at(node),
                    hint="write decimal digits (e.g. 2560 or 12.5), or quote it if it is text",
                )
            )
            return None
        try:
            number = self._decimal(cleaned)
            if number.is_finite() and not within_magnitude(number):
                self.problems.add(
                    Problem(
                        "number-magnitude",
                        f"'{text}' is outside the numbers this tool accepts (10^-{limits.MAX_MAGNITUDE} to 10^{limits.MAX_MAGNITUDE})",
                        self.at(node),
                        hint="check the figure's unit (万元, 元, %)",
                    )
                )
                return None
            return number
        except (ValueError, decimal.InvalidOperation):
            self.problems.add(Problem("yaml-number", f"cannot read '{text}' as a number", self.at(node)))
            return None

    @staticmethod
    def _decimal(cleaned: str) -> Decimal:
        """The Decimal a plain number or YAML's .inf/.nan spells."""
        lowered = cleaned.lower()
        if lowered in (".nan", "+.nan", "-.nan") or lowered.endswith(".inf"):
            return Decimal("NaN") if "nan" in lowered else Decimal(lowered.replace(".inf", "Infinity"))
        return Decimal(lowered)  # leading zeros are decimal here: 0100 is 100


def parse_yaml(text: str, source: str) -> Document:
    """Parse one YAML document into located plain data.

    Raises :class:`DefinitionError` when the text is not YAML at all; lesser problems (duplicate keys,
    unsupported tags) are kept in :attr:`Document.problems` so the caller reports them with its own.
    """
    import hashlib

    text = text.removeprefix("\ufeff")  # a BOM is not content (load_yaml strips it too: same hash)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if len(text) > limits.MAX_BYTES:
        raise DefinitionError(
            Problem(
                "file-too-large",
                f"text is {len(text)} characters; the limit is {limits.MAX_BYTES}",
                Location(source),
            )
        )
    try:
        _check_shape(
            text, source
        )  # before composing: node trees are costly to build and deep ones crash libyaml
        root = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
        if "nesting depth" in str(exc.problem):  # newer libyaml stops deep nesting itself
            raise DefinitionError(
                Problem(
                    "yaml-too-deep",
                    f"lists and mappings are nested too deeply (more than {limits.MAX_DEPTH} levels)",
                    where,
                    hint="indicator sets and unit data need only a few levels",
                )
            ) from None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        hint = "indent with spaces, not tabs" if mark is not None and _tab_near(text, mark.line) else None
        raise DefinitionError(Problem("yaml-syntax", message, where, hint=hint)) from None
    except yaml.reader.ReaderError as exc:  # a control character: it has an offset but no mark
        # libyaml reports a byte offset into the UTF-8 text; count lines and columns in characters
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        breaks = list(_LINE_BREAK.finditer(before))  # YAML's line breaks, NEL and the Unicode ones included
        line = len(breaks) + 1
        column = len(before) - (breaks[-1].end() if breaks else 0) + 1
        raise DefinitionError(
            Problem(
                "yaml-syntax",
                f"the file holds a control character (code {exc.character:#x}), which YAML does not allow",
                Location(source, line, column),
                hint="remove it; it often comes from copying out of a PDF or Excel",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise DefinitionError(Problem("yaml-syntax", f"YAML error: {exc}", Location(source, 1, 1))) from None
    try:
        size = _expanded_size(root, {}) if root is not None else 0
    except _AliasLoop:
        raise DefinitionError(
            Problem(
                "yaml-alias-loop",
                "an alias refers to the list or mapping that contains it, which never ends",
                Location(source, 1, 1),
                hint="remove the alias (*name) inside its own anchor (&name)",
            )
        ) from None
    if size > limits.MAX_NODES:
        raise DefinitionError(
            Problem(
                "yaml-too-large",
                f"document expands to more than {limits.MAX_NODES} nodes (aliases count each time they are used)",
                Location(source, 1, 1),
                hint="remove repeated aliases (&name / *name)",
            )
        )
    builder = _Builder(source)
    if root is None:
        data: Any = None
    else:
        try:
            data = builder.build(root, ())
        except _TooLarge:
            raise DefinitionError(
                Problem(
                    "yaml-too-large",
                    f"document expands to more than {limits.MAX_NODES} nodes (aliases count each time they are used)",
                    Location(source, 1, 1),
                    hint="remove deeply repeated aliases",
                )
            ) from None
        except RecursionError:
            raise DefinitionError(
                Problem(
                    "yaml-too-deep",
                    "document is nested too deeply (an alias may refer to the mapping that contains it)",
                    Location(source, 1, 1),
                )
            ) from None
    return Document(
        data, source, builder.positions, digest, tuple(builder.problems.items), frozenset(builder.rejected)
    )


def _expanded_size(node: Node, sizes: dict[int, int]) -> int:
    """Nodes the document has once every alias is expanded, computed once per distinct node (so an alias
    bomb is measured in microseconds rather than built)."""
    known = sizes.get(id(node))
    if known == -1:
        raise _AliasLoop
    if known is not None:
        return known
    sizes[id(node)] = -1  # in progress: meeting it again below means it contains itself
    total = 1
    if isinstance(node, MappingNode):
        for key, value in node.value:
            total += _expanded_size(key, sizes) + _expanded_size(value, sizes)
            if total > limits.MAX_NODES:
                break
    elif isinstance(node, SequenceNode):
        for item in node.value:
            total += _expanded_size(item, sizes)
            if total > limits.MAX_NODES:
                break
    sizes[id(node)] = total
    return total


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
                raise DefinitionError(
                    Problem(
                        "yaml-too-deep",
                        f"lists and mappings are nested too deeply (more than {limits.MAX_DEPTH} levels)",
                        Location(source, mark.line + 1, mark.column + 1),
                        hint="indicator sets and unit data need only a few levels",
                    )
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if nodes > limits.MAX_NODES:
            mark = event.start_mark
            raise DefinitionError(
                Problem(
                    "yaml-too-large",
                    f"document has more than {limits.MAX_NODES} nodes",
                    Location(source, mark.line + 1, mark.column + 1),
                    hint="split it, or remove what is not needed",
                )
            )


def _tab_near(text: str, line: int) -> bool:
    """Whether a tab stands in the leading white space of the line an error points at (or the one before)."""
    lines = text.splitlines()
    nearby = lines[max(0, line - 1) : line + 1]
    return any("\t" in row[: len(row) - len(row.lstrip())] for row in nearby)


def load_yaml(path: Path, encoding: str | None = None) -> Document:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path, encoding), str(path))
