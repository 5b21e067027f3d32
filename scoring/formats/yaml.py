"""YAML text → plain Python data, with the location of every key and item.

Only safe YAML is read: values are built from PyYAML's event stream by :mod:`scoring.formats.yaml_nodes`,
never constructed from a tag, and measured as they are read (nodes, depth, and every alias counted each time
it is used), so an alias bomb is refused in microseconds instead of exhausting memory.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .. import limits
from ..errors import Location, Problem
from .files import read_text
from .yaml_nodes import EventReader, Path_, refuse

_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
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
    #: Data without lines (given as a Python mapping): located by the keys leading to a value.
    by_keys: bool = False

    def locate(self, path: Sequence_) -> Location:
        """Location of the value at ``path``; falls back to the nearest enclosing part that has one. Data
        without positions (a Python mapping) is located by the keys leading to the value."""
        key = tuple(path)
        if self.by_keys:
            return Location(self.source, keys=key)
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


def parse_yaml(text: str, source: str) -> Document:
    """Parse one YAML document into located plain data.

    Raises :class:`DefinitionError` when the text is not YAML at all (or too large, deep or repetitive);
    lesser problems (duplicate keys, tags) are kept in :attr:`Document.problems` so the caller reports them
    with its own.
    """
    text = text.removeprefix("\ufeff")  # a BOM is not content (load_yaml strips it too: same hash)
    if len(text) > limits.MAX_BYTES:
        message = f"text is {len(text)} characters; the limit is {limits.MAX_BYTES}"
        raise refuse("file-too-large", message, Location(source))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    reader = EventReader(text, source)
    data, found = _read(reader, text, source)
    if not found:
        return Document(None, source, {}, digest)
    positions = {(): Location(source, 1, 1), **reader.positions}
    return Document(data, source, positions, digest, tuple(reader.problems), frozenset(reader.rejected))


def _read(reader: EventReader, text: str, source: str) -> tuple[Any, bool]:
    """The document read from its events, with YAML's own errors turned into located problems."""
    try:
        return reader.read()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(source, mark.line + 1, mark.column + 1) if mark else Location(source)
        if "nesting depth" in str(exc.problem):  # newer libyaml stops deep nesting itself
            message = f"lists and mappings are nested too deeply (more than {limits.MAX_DEPTH} levels)"
            raise refuse(
                "yaml-too-deep", message, where, "indicator sets and unit data need only a few levels"
            ) from None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        hint = "indent with spaces, not tabs" if mark is not None and _tab_near(text, mark.line) else None
        raise refuse("yaml-syntax", message, where, hint) from None
    except yaml.reader.ReaderError as exc:  # a control character: it has an offset but no mark
        # libyaml reports a byte offset into the UTF-8 text; count lines and columns in characters
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
        breaks = list(_LINE_BREAK.finditer(before))  # YAML's line breaks, NEL and the Unicode ones included
        line = len(breaks) + 1
        column = len(before) - (breaks[-1].end() if breaks else 0) + 1
        raise refuse(
            "yaml-syntax",
            f"the file holds a control character (code {exc.character:#x}), which YAML does not allow",
            Location(source, line, column),
            "remove it; it often comes from copying out of a PDF or Excel",
        ) from None
    except yaml.YAMLError as exc:
        raise refuse("yaml-syntax", f"YAML error: {str(exc)[:200]}", Location(source, 1, 1)) from None


def _tab_near(text: str, line: int) -> bool:
    """Whether a tab stands in the leading white space of the line an error points at (or the one before)."""
    lines = text.splitlines()
    nearby = lines[max(0, line - 1) : line + 1]
    return any("\t" in row[: len(row) - len(row.lstrip())] for row in nearby)


def load_yaml(path: Path, encoding: str | None = None) -> Document:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path, encoding), str(path))
