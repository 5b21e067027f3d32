"""Validate located YAML data against a pydantic model, turning each pydantic error into a located problem."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import spec
from .errors import Location, Problem, did_you_mean
from .loader import Document

Model = TypeVar("Model", bound=BaseModel)


@cache
def _known_keys() -> frozenset[str]:
    """Every key any model of the formats accepts (for did-you-mean on unknown keys)."""
    keys: set[str] = set()
    for model in vars(spec).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            keys.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(keys)


def _document_path(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop the tag pydantic inserts after a rule key (('rule', 'deduct', 'deduct', 'per') → ('rule', 'deduct', 'per'))."""
    path: list[str | int] = []
    skip_next_tag = False
    for part in loc:
        if skip_next_tag and part in spec.RULE_KINDS:
            skip_next_tag = False
            continue
        skip_next_tag = part == "rule"
        path.append(part)
    return tuple(path)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _problem(error: Any, document: Document) -> Problem:
    path = _document_path(tuple(error["loc"]))
    where: Location = document.locate(path)
    key = str(path[-1]) if path else None
    kind = error["type"]
    value = error.get("input")
    hint = None
    if kind == "missing":
        message = f"missing required key '{key}'"
        where = document.locate(path[:-1])
    elif kind == "extra_forbidden":
        message = f"unknown key '{key}'"
        hint = did_you_mean(str(key), _known_keys())
    elif kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing"):
        message = f"'{key}' must be a number, not {_describe(value)}"
    elif kind == "finite_number" or (kind == "decimal_parsing" and isinstance(value, Decimal)):
        message = f"'{key}' must be a finite number, not {_describe(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"'{key}' must be a whole number, not {_describe(value)}"
    elif kind in ("string_type",):
        message = f"'{key}' must be text, not {_describe(value)}"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"'{key}' must be true or false, not {_describe(value)}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"'{key}' must be a mapping (key: value lines), not {_describe(value)}"
    elif kind == "list_type":
        message = f"'{key}' must be a list, not {_describe(value)}"
    elif kind == "string_pattern_mismatch":
        message = f"'{value}' is not a valid name"
        hint = "use letters, digits and '_', starting with a letter"
    elif kind == "too_short":
        message = f"'{key}' must not be empty"
    elif kind == "string_too_long":
        message = f"'{key}' is too long"
    else:
        message = f"'{key}': {error['msg']}" if key is not None else error["msg"]
    return Problem(kind if kind != "rule_kind" else "rule-kind", message, where, key, hint)


def validate(model: type[Model], document: Document) -> tuple[Model | None, list[Problem]]:
    """The model built from the document, or None and the located problems."""
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"{_describe(document.data)}"
        problem = Problem(
            "top-level",
            f"the file must be a mapping of keys, but it is {what}",
            Location(document.source, 1, 1),
        )
        return None, [problem]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        return None, [_problem(error, document) for error in exc.errors()]
