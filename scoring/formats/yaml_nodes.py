"""Composed YAML nodes → plain Python data, with the location of every key and item.

Only what a set or unit file needs is built: text, numbers, true/false, null, lists and mappings. Numbers
become :class:`~decimal.Decimal` from their written ASCII digits (``0.1`` is exactly one tenth; ``０１``,
``٥٠`` are text, not numbers). An explicit tag (``!!str 5``, ``!!bool 335``, ``!foo``) is refused: what a
value is follows from how it is written. Duplicate keys, which PyYAML silently collapses, are errors.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .. import limits
from ..errors import Location, Problem, clip
from ..numbers import within_magnitude

Path_ = tuple[str | int, ...]

TAG = "tag:yaml.org,2002:"
#: Numbers as people write them, in ASCII digits: optional sign, digits, optional fraction and exponent.
PLAIN_NUMBER = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_BOOLEANS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_RESOLVER = Resolver()


class TooLarge(Exception):
    """The document has more nodes than the limit."""


def explicit_tag(node: ScalarNode) -> bool:
    """Whether a scalar carries a tag written in the file (rather than one its form implies)."""
    implied = (True, False) if not node.style else (False, True)
    return bool(node.tag != _RESOLVER.resolve(ScalarNode, node.value, implied))


class NodeBuilder:
    """Builds plain data from a node tree, recording positions and problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.positions: dict[Path_, Location] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.rejected: set[Path_] = set()

    def at(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.source, mark.line + 1, mark.column + 1)

    def refuse(
        self, code: str, message: str, node: Node, hint: str | None = None, subject: str | None = None
    ) -> None:
        self.problems.append(Problem(code, message, self.at(node), subject, hint))

    def build(self, node: Node, path: Path_, key_node: Node | None = None) -> Any:
        self.nodes += 1
        if self.nodes > limits.MAX_NODES:
            raise TooLarge
        self.positions[path] = self.at(key_node if key_node is not None else node)
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in (TAG + "map", TAG + "seq"):
            self.unsupported_tag(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        before = len(self.problems)
        value = self.scalar(node)
        if len(self.problems) > before:
            self.rejected.add(path)
            subject = str(path[-1]) if path else None  # the key the refused value belongs to
            self.problems[before:] = [
                replace(p, subject=p.subject or subject, path=path) for p in self.problems[before:]
            ]
        return value

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Location] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in first_seen:
                self.refuse(
                    "duplicate-key",
                    f"duplicate key '{clip(key)}' (first written at line {first_seen[key].line})",
                    key_node,
                    "YAML keeps only one of them; remove or rename one",
                    subject=clip(key),
                )
                continue
            first_seen[key] = self.at(key_node)
            result[key] = self.build(value_node, (*path, key), key_node)
        return result

    def key(self, node: Node) -> str | None:
        """A mapping key as text, or None when it cannot be one (the problem is reported)."""
        if not isinstance(node, ScalarNode):
            self.refuse("yaml-key", "a key must be plain text, not a list or mapping", node)
            return None
        if node.tag == TAG + "merge":
            self.refuse(
                "yaml-merge", "merge keys ('<<') are not supported", node, "write the keys out in full"
            )
            return None
        if explicit_tag(node) or not node.tag.startswith(TAG):
            self.unsupported_tag(node)
            return None
        return str(node.value)

    def scalar(self, node: ScalarNode) -> Any:
        if explicit_tag(node):
            self.unsupported_tag(node)
            return None
        tag, text = node.tag, str(node.value)
        if tag in (TAG + "int", TAG + "float"):
            return self.number(node)
        if tag == TAG + "str" and not node.style and PLAIN_NUMBER.match(text.replace("_", "")):
            return self.number(node)  # unquoted 1e6 or 0090: YAML 1.1 calls them text, people mean numbers
        if tag in (TAG + "str", TAG + "timestamp"):
            return text
        if tag == TAG + "bool" and text.lower() in _BOOLEANS:
            return _BOOLEANS[text.lower()]
        if tag == TAG + "null":
            return None
        self.unsupported_tag(node)
        return None

    def unsupported_tag(self, node: Node) -> None:
        self.refuse(
            "yaml-tag",
            f"unsupported YAML tag '{clip(node.tag)}'",
            node,
            "only plain strings, numbers, booleans, lists and mappings are allowed",
        )

    def number(self, node: ScalarNode) -> Decimal | None:
        text = str(node.value)
        if len(text) > limits.MAX_NUMBER_CHARS:
            self.refuse("number-too-long", f"number literal of {len(text)} characters is too long", node)
            return None
        cleaned = text.replace("_", "")
        if not PLAIN_NUMBER.match(cleaned) and cleaned.lower().lstrip("+-") not in (".inf", ".nan"):
            # YAML 1.1 would read 0100 as octal 64, 0x10 as 16 and 42:40 as base-60 2560: numbers here are
            # read from their written decimal digits only
            self.refuse(
                "yaml-number",
                f"'{text}' is not a plain decimal number",
                node,
                "write decimal digits (e.g. 2560 or 12.5), or quote it if it is text",
            )
            return None
        try:
            number = _decimal(cleaned)
        except (ValueError, decimal.InvalidOperation):
            self.refuse("yaml-number", f"cannot read '{text}' as a number", node)
            return None
        if number.is_finite() and not within_magnitude(number):
            bound = limits.MAX_MAGNITUDE
            self.refuse(
                "number-magnitude",
                f"'{text}' is outside the numbers this tool accepts (10^-{bound} to 10^{bound})",
                node,
                "check the figure's unit (万元, 元, %)",
            )
            return None
        return number


def _decimal(cleaned: str) -> Decimal:
    """The Decimal a plain number or YAML's .inf/.nan spells."""
    lowered = cleaned.lower()
    if lowered in (".nan", "+.nan", "-.nan") or lowered.endswith(".inf"):
        return Decimal("NaN") if "nan" in lowered else Decimal(lowered.replace(".inf", "Infinity"))
    return Decimal(lowered)  # leading zeros are decimal here: 0100 is 100
