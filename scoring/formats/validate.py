"""Validate located YAML data against a pydantic model, turning each pydantic error into a located problem."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Location, Problem, describe, did_you_mean
from . import models as spec
from .yaml import Document

Model = TypeVar("Model", bound=BaseModel)


@cache
def _known_keys() -> frozenset[str]:
    """Every key any model of the formats accepts (for did-you-mean on unknown keys)."""
    keys: set[str] = set()
    for model in vars(spec).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            keys.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(keys)


def _document_path(loc: tuple[str | int, ...], data: Any, missing: bool = False) -> tuple[str | int, ...]:
    """The path in the document that a pydantic location points at.

    Pydantic inserts the labels of union members and tagged rules (('rule', 'deduct', 'deduct', 'per'),
    ('target', 'decimal')); they are not keys of the data, so walking the data drops them. For a
    ``missing`` error the last part is kept: it names the missing key.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif not (missing and index == len(loc) - 1):
            continue
        path.append(part)
    return tuple(path)


def _owner(path: tuple[str | int, ...], document: Document) -> str:
    """' (indicator 'x')' when the path lies inside an indicator that has an id, else ''."""
    if (
        len(path) >= 2
        and path[0] == "indicators"
        and isinstance(path[1], int)
        and isinstance(document.data, dict)
    ):
        items = document.data.get("indicators")
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            indicator_id = items[path[1]].get("id")
            if isinstance(indicator_id, str):
                return f" (indicator '{indicator_id}')"
    return ""


#: Our problem codes for pydantic's error types.
_CODES = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "string_pattern_mismatch": "name",
    "rule_kind": "rule-kind",
    "too_short": "empty",
    "string_too_short": "empty",
    **dict.fromkeys(
        ("decimal_type", "decimal_parsing", "is_instance_of", "float_type", "float_parsing", "int_type", "int_parsing", "int_from_float",
         "string_type", "bool_type", "bool_parsing", "dict_type", "model_type", "model_attributes_type", "list_type",
         "finite_number"),
        "type",
    ),
}  # fmt: skip

_BOUNDS = {
    "greater_than": "above",
    "greater_than_equal": "at least",
    "less_than": "below",
    "less_than_equal": "at most",
}


def _problem(error: Any, document: Document) -> Problem:
    path = _document_path(tuple(error["loc"]), document.data, error["type"] == "missing")
    where: Location = document.locate(path)
    key = str(path[-1]) if path else None
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    hint = None
    if kind == "missing":
        message = f"missing required key '{key}'"
        where = document.locate(path[:-1])
    elif kind == "extra_forbidden":
        message = f"unknown key '{key}'"
        hint = did_you_mean(str(key), _known_keys())
    elif kind == "finite_number" or (kind == "decimal_parsing" and isinstance(value, Decimal)):
        message = f"'{key}' must be a finite number, not {describe(value)}"
    elif kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing", "is_instance_of"):
        message = f"'{key}' must be a number, not {describe(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"'{key}' must be a whole number, not {describe(value)}"
    elif kind == "string_type":
        message = f"'{key}' must be text, not {describe(value)}"
        if isinstance(value, Decimal):
            hint = f'quote it: {key}: "{describe(value)}"'

    elif kind in ("bool_type", "bool_parsing"):
        message = f"'{key}' must be true or false, not {describe(value)}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"'{key}' must be a mapping (key: value lines), not {describe(value)}"
    elif kind == "list_type":
        message = f"'{key}' must be a list, not {describe(value)}"
    elif kind == "string_pattern_mismatch":
        message = f"{key} '{value}' is not a valid name"
        hint = "use letters, digits and '_', starting with a letter" + (
            "; '-' and '.' may follow" if path == ("id",) else ""
        )
    elif kind in _BOUNDS:
        limit = next(iter(context.values()), None)
        message = f"'{key}' must be {_BOUNDS[kind]} {describe(limit)}, not {describe(value)}"
    elif kind == "literal_error":
        message = (
            f"'{key}' must be {context.get('expected', 'one of the allowed values')}, not {describe(value)}"
        )
    elif kind in ("too_short", "string_too_short"):
        message = f"'{key}' must not be empty"
    elif kind == "string_too_long":
        message = f"'{key}' is too long"
    elif kind == "rule_kind":
        found = [k for k in spec.RULE_KINDS if isinstance(value, dict) and k in value]
        kinds = ", ".join(spec.RULE_KINDS)
        if found:
            message = f"a rule has exactly one kind, but this one has {' and '.join(found)}"
        else:
            keys = ", ".join(map(str, value)) if isinstance(value, dict) else describe(value)
            message = f"a rule needs one of: {kinds} (found {keys or 'nothing'})"
        hint = (
            did_you_mean(next(iter(value)), spec.RULE_KINDS)
            if isinstance(value, dict) and len(value) == 1
            else None
        )
    else:
        message = f"'{key}': {error['msg']}" if key is not None else error["msg"]
    code = _CODES.get(kind, "invalid-value")
    return Problem(code, message + _owner(path, document), where, key, hint, path)


def _merge_misspelt(errors: list[Any], data: Any) -> tuple[list[Any], dict[tuple[Any, ...], str]]:
    """A misspelt key ('wieght') is one problem, not an unknown key plus a missing 'weight'.

    Returns the errors without such 'missing' ones, and the hint for each misspelt key's path.
    """
    paths = [_document_path(tuple(error["loc"]), data, error["type"] == "missing") for error in errors]
    missing = {
        (path[:-1], path[-1]) for error, path in zip(errors, paths, strict=True) if error["type"] == "missing"
    }
    hints: dict[tuple[Any, ...], str] = {}
    dropped: set[tuple[Any, ...]] = set()
    for error, path in zip(errors, paths, strict=True):
        if error["type"] != "extra_forbidden":
            continue
        candidates = [key for parent, key in missing if parent == path[:-1]]
        hint = did_you_mean(str(path[-1]), map(str, candidates))
        if hint is not None:
            hints[path] = hint
            dropped.add((*path[:-1], hint.split("'")[1]))
    kept = [
        e for e, path in zip(errors, paths, strict=True) if not (e["type"] == "missing" and path in dropped)
    ]
    return kept, hints


def validate(model: type[Model], document: Document) -> tuple[Model | None, list[Problem]]:
    """The model built from the document, or None and the located problems."""
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"{describe(document.data)}"
        problem = Problem(
            "top-level",
            f"the file must be a mapping of keys, but it is {what}",
            Location(document.source, 1, 1),
        )
        return None, [problem]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        errors, hints = _merge_misspelt(exc.errors(), document.data)
        problems: list[Problem] = []
        seen: set[tuple[str | int, ...]] = set()
        for error in errors:
            path = _document_path(tuple(error["loc"]), document.data, error["type"] == "missing")
            if any(path[: len(bad)] == bad or bad[: len(path)] == path for bad in document.rejected):
                continue  # a value in it was refused while reading, and that problem is already reported
            if error["type"] != "extra_forbidden" and path in seen:
                continue  # one value failing several members of a union: one problem
            seen.add(path)
            problem = _problem(error, document)
            hint = hints.get(path)
            problems.append(problem if hint is None else replace(problem, hint=hint))
        return None, problems
