"""Results as plain data, exact JSON and JSON Schema, all generated from the result classes themselves.

A result class is a dataclass; its JSON object holds its public fields in order. A class that shows more or
other than its fields (a computed ``outcome``, a renamed key) lists them in ``__json__``: attribute names, or
``"key=attribute"`` to rename. A property that returns :data:`OMIT` leaves its key out. :func:`json_schema`
reads the same declarations and the type hints, so the data and its schema cannot drift apart.

Decimals stay :class:`~decimal.Decimal` in plain data and are written as exact JSON numbers (read them back
with ``json.loads(text, parse_float=Decimal)``); a float never comes near them.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .numbers import in_context, plain


class _Omit:
    """Returned by a property to leave its key out of the JSON object."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()


def is_record(value: Any) -> bool:
    """Whether ``value`` is a result record: a dataclass instance or a named tuple."""
    if isinstance(value, tuple):
        return hasattr(value, "_fields")
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _is_record_type(hint: Any) -> bool:
    if not isinstance(hint, type):
        return False
    return dataclasses.is_dataclass(hint) or (issubclass(hint, tuple) and hasattr(hint, "_fields"))


@cache
def json_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(key, attribute) pairs of a result class's JSON object, in order."""
    declared: Sequence[str] | None = cls.__dict__.get("__json__")
    if declared is None:
        if issubclass(cls, tuple):
            names = list(cls._fields)  # type: ignore[attr-defined]  # a named tuple; tuple declares no _fields
        elif dataclasses.is_dataclass(cls):
            names = [field.name for field in dataclasses.fields(cls) if not field.name.startswith("_")]
        else:
            raise TypeError(f"{cls.__name__} is neither a dataclass nor a named tuple")
        return tuple((name, name) for name in names)
    pairs = []
    for entry in declared:
        key, _, attribute = entry.partition("=")
        pairs.append((key, attribute or key))
    return tuple(pairs)


@in_context
def to_data(value: Any) -> Any:
    """Plain data (dicts, lists, str, bool, None and exact Decimals) for a result or anything inside one."""
    if value is None or isinstance(value, str | bool | int | Decimal):
        return value
    if is_record(value):
        data = {}
        record: type = type(value)
        for key, attribute in json_fields(record):
            item = getattr(value, attribute)
            if item is not OMIT:
                data[key] = to_data(item)
        return data
    if isinstance(value, BaseModel):
        return to_data(value.model_dump(exclude_none=True))
    if isinstance(value, Mapping):
        return {str(key): to_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(item) for item in value]
    raise TypeError(f"{type(value).__name__} has no JSON form")


class JsonForm:
    """Base of result classes: their plain data and JSON text, generated (see the module docstring)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data; numbers stay :class:`~decimal.Decimal` (exact)."""
        data: dict[str, Any] = to_data(self)
        return data

    @in_context
    def to_json(self, indent: int | None = 2) -> str:
        """JSON text; decimals are written as exact numbers (read them back with ``parse_float=Decimal``)."""
        return to_json(self, indent)


def to_json(value: Any, indent: int | None = 2) -> str:
    """JSON text for a result or plain data; decimals are written as exact numbers."""
    return _encode(to_data(value), indent, 0)


#: Characters json leaves as they are that a terminal or viewer would act on: DEL, C1 controls and the
#: direction controls (json itself escapes the C0 controls).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _string(text: str) -> str:
    """A JSON string, with every control and direction character escaped (``\\u202e``)."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _encode(value: Any, indent: int | None, level: int) -> str:
    if isinstance(value, Decimal):
        return plain(value) if value.is_finite() else json.dumps(str(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        items = [(_string(str(k)), _encode(v, indent, level + 1)) for k, v in value.items()]
        return _container("{", "}", [f"{k}: {v}" for k, v in items], indent, level)
    if isinstance(value, list):
        return _container("[", "]", [_encode(v, indent, level + 1) for v in value], indent, level)
    return json.dumps(value, ensure_ascii=False)


def _container(open_: str, close: str, parts: list[str], indent: int | None, level: int) -> str:
    if not parts:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(parts) + close
    pad = " " * (indent * (level + 1))
    return open_ + "\n" + ",\n".join(pad + p for p in parts) + "\n" + " " * (indent * level) + close


# --- schema -----------------------------------------------------------------------------------------


@in_context
def json_schema(cls: type, title: str | None = None) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the JSON object :func:`to_json` writes for instances of ``cls``."""
    definitions: dict[str, Any] = {}
    root = _object_schema(cls, definitions)
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema["title"] = title or cls.__name__
    schema.update(root)
    if definitions:
        schema["$defs"] = definitions
    return schema


def _object_schema(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    hints = _hints(cls)
    properties = {key: _type_schema(hints[attribute], definitions) for key, attribute in json_fields(cls)}
    always = [key for key, attribute in json_fields(cls) if not _may_omit(cls, attribute)]
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": always}
    schema["additionalProperties"] = False
    if cls.__doc__:
        schema["description"] = " ".join(cls.__doc__.split())
    return schema


def _hints(cls: type) -> dict[str, Any]:
    """Type hints of the class's fields and of the return values of its properties."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is object:
            continue
        hints.update(typing.get_type_hints(klass))
        for name, member in vars(klass).items():
            if isinstance(member, property) and member.fget is not None:
                hints[name] = typing.get_type_hints(member.fget).get("return", Any)
    return hints


def _may_omit(cls: type, attribute: str) -> bool:
    member = getattr(cls, attribute, None)
    if not isinstance(member, property) or member.fget is None:
        return False
    return _Omit in get_args(typing.get_type_hints(member.fget).get("return"))


_SCALARS: dict[Any, dict[str, Any]] = {
    Decimal: {"type": "number"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    str: {"type": "string"},
    type(None): {"type": "null"},
}


def _type_schema(hint: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    if hint in _SCALARS:
        return dict(_SCALARS[hint])
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        members = [_type_schema(arg, definitions) for arg in args if arg is not _Omit]
        return members[0] if len(members) == 1 else {"anyOf": members}
    if origin in (tuple, list) or (origin is not None and issubclass(origin, Sequence)):
        if origin is tuple and args and args[-1] is not Ellipsis:
            items = [_type_schema(arg, definitions) for arg in args]
            return {"type": "array", "prefixItems": items, "minItems": len(args), "maxItems": len(args)}
        return {"type": "array", "items": _type_schema(args[0], definitions) if args else {}}
    if origin is not None and issubclass(origin, Mapping):
        value = _type_schema(args[1], definitions) if len(args) == 2 else {}
        return {"type": "object", "additionalProperties": value}
    if _is_record_type(hint):
        if hint.__name__ not in definitions:
            definitions[hint.__name__] = {}  # placeholder: a class may refer to itself
            definitions[hint.__name__] = _object_schema(hint, definitions)
        return {"$ref": f"#/$defs/{hint.__name__}"}
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint.model_json_schema(by_alias=True)
    return {}
