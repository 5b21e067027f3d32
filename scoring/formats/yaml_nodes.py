"""YAML events → plain Python data, with the location of every key and item, in one pass.

PyYAML's event stream (libyaml's parser when available) is read once; no node tree is composed. Only what a
set or unit file needs is built: text, numbers, true/false, null, lists and mappings. While reading, the
document is measured — nodes, nesting depth, and, because an alias repeats its anchor, the nodes and
characters it stands for each time it is used — so an alias bomb or a deep nest is refused before it costs
anything.

Numbers become :class:`~decimal.Decimal` from their written ASCII digits (``0.1`` is exactly one tenth;
``０１``, ``٥٠`` are text, not numbers). An explicit tag (``!!str 5``, ``!!bool 335``, ``!foo``) is refused:
what a value is follows from how it is written. Duplicate keys, which YAML readers silently collapse, are
errors.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import yaml
from yaml.resolver import Resolver

from .. import limits
from ..errors import DefinitionError, Location, Problem, clip
from ..numbers import within_magnitude

Path_ = tuple[str | int, ...]

TAG = "tag:yaml.org,2002:"
#: Numbers as people write them, in ASCII digits: optional sign, digits, optional fraction and exponent.
PLAIN_NUMBER = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_BOOLEANS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
#: First characters of plain scalars that YAML 1.1 may read as something other than text.
_MAYBE_NOT_TEXT = frozenset("yYnNtTfFoO-+0123456789.<~=")
#: The tag YAML 1.1 gives a scalar: (node class, text, (implicit plain, implicit quoted)) → tag. Its type is
#: declared here because types-PyYAML leaves ``Resolver.resolve`` unannotated.
_resolve_tag: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = Resolver().resolve
#: libyaml's parser when PyYAML was built with it (about ten times faster), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def refuse(code: str, message: str, where: Location, hint: str | None = None) -> DefinitionError:
    return DefinitionError(Problem(code, message, where, hint=hint))


def _too_large(what: str, where: Location) -> DefinitionError:
    message = f"document expands to more than {what} (aliases count each time they are used)"
    return refuse("yaml-too-large", message, where, "remove repeated aliases (&name / *name)")


@dataclass
class _Anchor:
    """What an anchored value holds, recorded while it is read, so that an alias can repeat it."""

    path: Path_
    value: Any = None
    done: bool = False
    nodes: int = 0
    characters: int = 0
    #: Positions, refused paths and problems inside it, relative to it.
    positions: list[tuple[Path_, Location]] = field(default_factory=list)
    rejected: list[Path_] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class EventReader:
    """Builds located plain data from a YAML event stream (see the module docstring)."""

    def __init__(self, text: str, source: str) -> None:
        self.events: Iterator[Any] = iter(yaml.parse(text, Loader=_SAFE_LOADER))
        self.source = source
        self.positions: dict[Path_, Location] = {}
        self.rejected: set[Path_] = set()
        self.problems: list[Problem] = []
        self.anchors: dict[str, _Anchor] = {}
        #: The anchored values being read (an alias inside one is repeated into it too).
        self.recording: list[_Anchor] = []
        self.depth = 0
        self.nodes = 0
        self.characters = 0

    def at(self, mark: Any) -> Location:
        return Location(self.source, mark.line + 1, mark.column + 1)

    def read(self) -> tuple[Any, bool]:
        """(the document's value, whether there is a document); raises for a document that is too large,
        too deep or not one document."""
        next(self.events)  # StreamStart
        event = next(self.events)
        if isinstance(event, yaml.StreamEndEvent):
            return None, False
        value = self.value(next(self.events), ())  # the document's node, after DocumentStart
        next(self.events)  # DocumentEnd
        event = next(self.events)
        if not isinstance(event, yaml.StreamEndEvent):
            where = self.at(event.start_mark)
            raise refuse("yaml-syntax", "YAML syntax error: expected a single document in the stream", where)
        return value, True

    # --- what is recorded ---------------------------------------------------------------------------------

    def count(self, nodes: int, characters: int, mark: Any) -> None:
        """Add to the document's measure (and the anchors being read); refuse it past the limits."""
        self.nodes += nodes
        self.characters += characters
        for anchor in self.recording:
            anchor.nodes += nodes
            anchor.characters += characters
        if self.nodes > limits.MAX_NODES:
            raise _too_large(f"{limits.MAX_NODES} nodes", self.at(mark))
        if self.characters > limits.MAX_EXPANDED_CHARS:
            raise _too_large(f"{limits.MAX_EXPANDED_CHARS} characters of text", self.at(mark))

    def locate(self, path: Path_, where: Location) -> None:
        self.positions[path] = where
        for anchor in self.recording:
            anchor.positions.append((path[len(anchor.path) :], where))

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        for anchor in self.recording:
            anchor.problems.append(_relative(problem, len(anchor.path)))

    def refused(self, path: Path_) -> None:
        self.rejected.add(path)
        for anchor in self.recording:
            anchor.rejected.append(path[len(anchor.path) :])

    # --- values -------------------------------------------------------------------------------------------

    def value(self, event: Any, path: Path_, where: Location | None = None) -> Any:
        """The value an event starts, read to its end (``where``: its location, when already made)."""
        if event.__class__ is yaml.ScalarEvent and event.anchor is None:  # the common case, kept short
            return self.scalar(event, path, where)
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event, path)
        name = getattr(event, "anchor", None)
        anchor = None
        if name is not None:
            anchor = self.anchors[name] = _Anchor(path)
            self.recording.append(anchor)
        if isinstance(event, yaml.ScalarEvent):
            value = self.scalar(event, path, where)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            value = self.collection(event, path)
        else:  # pragma: no cover - the parser gives nodes here
            raise refuse("yaml-syntax", "YAML syntax error: expected a value", self.at(event.start_mark))
        if anchor is not None:
            self.recording.remove(anchor)
            anchor.value, anchor.done = value, True
        return value

    def alias(self, event: Any, path: Path_) -> Any:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:  # the event parser leaves this to a composer, which is not used here
            raise refuse(
                "yaml-syntax",
                f"the alias '*{clip(event.anchor)}' names no anchor written before it",
                self.at(event.start_mark),
                "write the anchor (&name) on a value above the alias (*name); anchors on keys are not supported",
            )
        if not anchor.done:
            raise refuse(
                "yaml-alias-loop",
                "an alias refers to the list or mapping that contains it, which never ends",
                self.at(event.start_mark),
                "remove the alias (*name) inside its own anchor (&name)",
            )
        self.count(anchor.nodes, anchor.characters, event.start_mark)
        for relative, where in anchor.positions:
            if relative:  # the alias's own place is located by its key or item
                self.locate((*path, *relative), where)
        for relative in anchor.rejected:
            self.refused((*path, *relative))
        for problem in anchor.problems:
            self.problem(_rerooted(problem, path))
        return anchor.value

    def collection(self, event: Any, path: Path_) -> Any:
        self.depth += 1
        if self.depth > limits.MAX_DEPTH:
            raise refuse(
                "yaml-too-deep",
                f"lists and mappings are nested too deeply (more than {limits.MAX_DEPTH} levels)",
                self.at(event.start_mark),
                "indicator sets and unit data need only a few levels",
            )
        self.count(1, 0, event.start_mark)
        if event.tag is not None:
            self.problem(_tag_problem(event.tag, self.at(event.start_mark)))
        value = self.sequence(path) if isinstance(event, yaml.SequenceStartEvent) else self.mapping(path)
        self.depth -= 1
        return value

    def next_item(self) -> Any:
        """The next node event of a collection, or None at its end."""
        event = next(self.events)
        return None if isinstance(event, yaml.CollectionEndEvent) else event

    def sequence(self, path: Path_) -> list[Any]:
        items: list[Any] = []
        while (event := self.next_item()) is not None:
            item_path = (*path, len(items))
            where = self.at(event.start_mark)
            self.locate(item_path, where)
            items.append(self.value(event, item_path, where))
        return items

    def mapping(self, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Location] = {}
        while (event := self.next_item()) is not None:
            key, where = self.key(event, path)
            if key is not None and key in first_seen:
                self.problem(
                    Problem(
                        "duplicate-key",
                        f"duplicate key '{clip(key)}' (first written at line {first_seen[key].line})",
                        where,
                        clip(key),
                        "YAML keeps only one of them; remove or rename one",
                    )
                )
                key = None
            if key is None:
                self.skip(next(self.events))
                continue
            first_seen[key] = where
            self.locate((*path, key), where)
            result[key] = self.value(next(self.events), (*path, key))
        return result

    def skip(self, event: Any) -> None:
        """Read past a value that is not kept (counted, so that it cannot hide a bomb)."""
        self.value(event, ("<skipped>",))

    def key(self, event: Any, path: Path_) -> tuple[str | None, Location]:
        """A mapping key as text, or None when it cannot be one (the problem is reported)."""
        where = self.at(event.start_mark)
        if not isinstance(event, yaml.ScalarEvent):
            self.skip(event)
            self.problem(Problem("yaml-key", "a key must be plain text, not a list or mapping", where))
            return None, where
        self.count(1, len(event.value), event.start_mark)
        if event.tag is not None:
            self.problem(_tag_problem(event.tag, where))
            return None, where
        if event.anchor is not None:
            hint = "anchor the value instead (key: &name value)"
            self.problem(Problem("yaml-key", "an anchor (&name) on a key is not supported", where, hint=hint))
        if event.value == "<<" and not event.style:
            hint = "write the keys out in full"
            self.problem(Problem("yaml-merge", "merge keys ('<<') are not supported", where, hint=hint))
            return None, where
        return str(event.value), where

    def scalar(self, event: Any, path: Path_, where: Location | None = None) -> Any:
        if self.recording or self.nodes >= limits.MAX_NODES or self.characters >= limits.MAX_EXPANDED_CHARS:
            self.count(1, len(event.value), event.start_mark)
        else:  # the common case, counted without the call
            self.nodes += 1
            self.characters += len(event.value)
        where = where or self.at(event.start_mark)
        problem: Problem | None
        if event.tag is not None:
            value, problem = None, _tag_problem(event.tag, where)
        else:
            value, problem = read_scalar(event.value, event.style, where)
        if problem is not None:
            self.refused(path)
            subject = problem.subject or (str(path[-1]) if path else None)  # the key the value belongs to
            self.problem(replace(problem, subject=subject, path=path))
        return value


def _relative(problem: Problem, depth: int) -> Problem:
    return problem if problem.path is None else replace(problem, path=problem.path[depth:])


def _rerooted(problem: Problem, path: Path_) -> Problem:
    return problem if problem.path is None else replace(problem, path=(*path, *problem.path))


def _tag_problem(tag: str, where: Location) -> Problem:
    return Problem(
        "yaml-tag",
        f"unsupported YAML tag '{clip(tag)}'",
        where,
        hint="only plain strings, numbers, booleans, lists and mappings are allowed",
    )


def read_scalar(text: str, style: str | None, where: Location) -> tuple[Any, Problem | None]:
    """The value a scalar written as ``text`` (quoted when ``style``) stands for, or the problem with it."""
    if style:  # quoted or block text: always text
        return text, None
    cleaned = text.replace("_", "")
    if PLAIN_NUMBER.match(cleaned):  # unquoted 1e6 or 0090: YAML 1.1 calls them text, people mean numbers
        return _plain_number(text, cleaned, where)
    if not text or text[0] in _MAYBE_NOT_TEXT:
        tag = _resolve_tag(yaml.ScalarNode, text, (True, False))
        if tag in (TAG + "int", TAG + "float"):
            return read_number(text, where)
        if tag == TAG + "bool":
            return _BOOLEANS[text.lower()], None
        if tag == TAG + "null":
            return None, None
    return text, None


def read_number(text: str, where: Location) -> tuple[Decimal | None, Problem | None]:
    """The Decimal a number YAML recognises spells, or why it is not one this tool accepts."""
    cleaned = text.replace("_", "")
    if not PLAIN_NUMBER.match(cleaned) and cleaned.lower().lstrip("+-") not in (".inf", ".nan"):
        if len(text) > limits.MAX_NUMBER_CHARS:
            return None, Problem(
                "number-too-long", f"number literal of {len(text)} characters is too long", where
            )
        # YAML 1.1 would read 0100 as octal 64, 0x10 as 16 and 42:40 as base-60 2560: numbers here are
        # read from their written decimal digits only
        hint = "write decimal digits (e.g. 2560 or 12.5), or quote it if it is text"
        return None, Problem("yaml-number", f"'{clip(text)}' is not a plain decimal number", where, hint=hint)
    return _plain_number(text, cleaned, where)


def _plain_number(text: str, cleaned: str, where: Location) -> tuple[Decimal | None, Problem | None]:
    """The Decimal of a number already known to be written plainly (or YAML's .inf/.nan)."""
    if len(text) > limits.MAX_NUMBER_CHARS:
        return None, Problem(
            "number-too-long", f"number literal of {len(text)} characters is too long", where
        )
    try:
        number = _decimal(cleaned)
    except (ValueError, decimal.InvalidOperation):
        return None, Problem("yaml-number", f"cannot read '{text}' as a number", where)
    if number.is_finite() and not within_magnitude(number):
        bound = limits.MAX_MAGNITUDE
        message = f"'{text}' is outside the numbers this tool accepts (10^-{bound} to 10^{bound})"
        return None, Problem("number-magnitude", message, where, hint="check the figure's unit (万元, 元, %)")
    return number, None


def _decimal(cleaned: str) -> Decimal:
    """The Decimal a plain number or YAML's .inf/.nan spells."""
    lowered = cleaned.lower()
    if lowered in (".nan", "+.nan", "-.nan") or lowered.endswith(".inf"):
        return Decimal("NaN") if "nan" in lowered else Decimal(lowered.replace(".inf", "Infinity"))
    return Decimal(lowered)  # leading zeros are decimal here: 0100 is 100
