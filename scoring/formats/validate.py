"""Validate located YAML data against a pydantic model, turning each pydantic error into a located problem."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Location, Problem, describe, did_you_mean
from ..fields import StrictModel
from ..numbers import number_hint
from ..rules import RULE_KINDS
from .yaml import Document

Model = TypeVar("Model", bound=BaseModel)
Path_ = tuple[str | int, ...]


@cache
def _known_keys() -> frozenset[str]:
    """Every key any model of the formats accepts (for did-you-mean on unknown keys)."""
    keys: set[str] = set()
    models: list[type[BaseModel]] = [StrictModel]
    while models:
        model = models.pop()
        models.extend(model.__subclasses__())
        keys.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(keys)


@cache
def _side_by_side() -> frozenset[tuple[str, str]]:
    """Pairs of keys that some model of the formats has side by side (to say where a misplaced key goes)."""
    pairs: set[tuple[str, str]] = set()
    models: list[type[BaseModel]] = [StrictModel]
    while models:
        model = models.pop()
        models.extend(model.__subclasses__())
        keys = [field.alias or name for name, field in model.model_fields.items()]
        pairs.update((a, b) for a in keys for b in keys if a != b)
    return frozenset(pairs)


def _misplaced(path: Path_) -> tuple[str, Path_] | None:
    """For an unknown key that belongs beside the key it was written under ('otherwise' inside one of
    'cases'): where it belongs, in words, and the path of the mapping it belongs in."""
    key = str(path[-1])
    for index in range(len(path) - 2, -1, -1):
        holder = path[index]
        if isinstance(holder, str):
            break
    else:
        return None
    if (holder, key) not in _side_by_side():
        return None
    if index == len(path) - 2:
        inside = "inside it"
    else:
        inside = f"inside one {holder[:-1]}" if holder.endswith("s") else "inside one of its items"
    return f"'{key}' belongs beside '{holder}', not {inside}", path[:index]


def _unknown_key(error: _Error) -> tuple[str, str | None]:
    key = str(error.key)
    misplaced = _misplaced(error.path) if error.path else None
    if misplaced:
        return f"unknown key '{key}'", misplaced[0]
    # a key the formats know elsewhere is out of place, not misspelt: suggesting a near name (or itself) misleads
    return f"unknown key '{key}'", None if key in _known_keys() else did_you_mean(key, _known_keys())


def _document_path(loc: tuple[str | int, ...], data: Any, missing: bool = False) -> Path_:
    """The path in the document that a pydantic location points at.

    Pydantic inserts the labels of union members and tagged rules (('rule', 'deduct', 'deduct', 'per'),
    ('target', 'decimal')); they are not keys of the data, so walking the data drops them. For a
    ``missing`` error the last part is kept: it names the missing key.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        match node:
            case dict() if part in node:
                node = node[part]
            case list() if isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            case _ if not (missing and index == len(loc) - 1):
                continue
        path.append(part)
    return tuple(path)


def _owner(path: Path_, document: Document) -> str:
    """' (indicator 'x')' when the path lies inside an indicator that has an id, else ''."""
    data = document.data
    if len(path) < 2 or path[0] != "indicators" or not isinstance(path[1], int) or not isinstance(data, dict):
        return ""
    items = data.get("indicators")
    if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
        indicator_id = items[path[1]].get("id")
        if isinstance(indicator_id, str):
            return f" (indicator '{indicator_id}')"
    return ""


@dataclass(frozen=True)
class _Error:
    """One pydantic error, with what every message needs."""

    kind: str
    path: Path_
    key: str | None
    value: Any
    context: dict[str, Any]
    message: str


#: A message (and hint) for one kind of pydantic error.
_Describe = Callable[[_Error], tuple[str, str | None]]


def _number(error: _Error) -> tuple[str, str | None]:
    if error.kind == "finite_number" or (
        error.kind == "decimal_parsing" and isinstance(error.value, Decimal)
    ):
        return f"'{error.key}' must be a finite number, not {describe(error.value)}", None
    hint = _number_text_hint(error.value) if isinstance(error.value, str) else None
    return f"'{error.key}' must be a number, not {describe(error.value)}", hint


#: A number with a word after it, as tables print figures: '5分', '90 points'.
_NUMBER_AND_WORD = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*([^\d\s.,%+-].*?)\s*$")


def _number_text_hint(text: str) -> str | None:
    """The number to write for a number given as text: '87.70%', '1,234', '5分'."""
    hint = number_hint(text)
    found = _NUMBER_AND_WORD.match(unicodedata.normalize("NFKC", text)) if hint is None else None
    if found is not None:
        hint = f"write {found.group(1)} (a plain number, without '{found.group(2)}')"
    return hint


def _text(error: _Error) -> tuple[str, str | None]:
    hint = f'quote it: {error.key}: "{describe(error.value)}"' if isinstance(error.value, Decimal) else None
    return f"'{error.key}' must be text, not {describe(error.value)}", hint


def _name(error: _Error) -> tuple[str, str | None]:
    hint = "use letters, digits and '_', starting with a letter" + (
        "; '-' and '.' may follow" if error.path == ("id",) else ""
    )
    return f"{error.key} '{error.value}' is not a valid name", hint


_BOUNDS = {
    "greater_than": "above",
    "greater_than_equal": "at least",
    "less_than": "below",
    "less_than_equal": "at most",
}


def _bound(error: _Error) -> tuple[str, str | None]:
    limit = next(iter(error.context.values()), None)
    return f"'{error.key}' must be {_BOUNDS[error.kind]} {describe(limit)}, not {describe(error.value)}", None


def _rule_kind(error: _Error) -> tuple[str, str | None]:
    value = error.value
    found = [k for k in RULE_KINDS if isinstance(value, dict) and k in value]
    if found:
        message = f"a rule has exactly one kind, but this one has {' and '.join(found)}"
    else:
        keys = ", ".join(map(str, value)) if isinstance(value, dict) else describe(value)
        message = f"a rule needs one of: {', '.join(RULE_KINDS)} (found {keys or 'nothing'})"
    single = isinstance(value, dict) and len(value) == 1
    return message, did_you_mean(next(iter(value)), RULE_KINDS) if single else None


def _simple(template: str) -> _Describe:
    """A message from a template over the key, the value described, and the 'expected' of the context."""

    def message(error: _Error) -> tuple[str, str | None]:
        expected = error.context.get("expected", "one of the allowed values")
        return template.format(key=error.key, value=describe(error.value), expected=expected), None

    return message


#: (our problem code, how to say it) for each of pydantic's error types.
_KINDS: dict[str, tuple[str, _Describe]] = {
    "missing": ("missing-key", _simple("missing required key '{key}'")),
    "extra_forbidden": ("unknown-key", _unknown_key),
    **dict.fromkeys(
        ("decimal_type", "decimal_parsing", "float_type", "float_parsing", "is_instance_of", "finite_number"),
        ("type", _number),
    ),
    **dict.fromkeys(
        ("int_type", "int_parsing", "int_from_float"),
        ("type", _simple("'{key}' must be a whole number, not {value}")),
    ),
    "string_type": ("type", _text),
    **dict.fromkeys(
        ("bool_type", "bool_parsing"), ("type", _simple("'{key}' must be true or false, not {value}"))
    ),
    **dict.fromkeys(
        ("dict_type", "model_type", "model_attributes_type"),
        ("type", _simple("'{key}' must be a mapping (key: value lines), not {value}")),
    ),
    "list_type": ("type", _simple("'{key}' must be a list, not {value}")),
    "string_pattern_mismatch": ("name", _name),
    **dict.fromkeys(_BOUNDS, ("invalid-value", _bound)),
    "literal_error": ("invalid-value", _simple("'{key}' must be {expected}, not {value}")),
    **dict.fromkeys(("too_short", "string_too_short"), ("empty", _simple("'{key}' must not be empty"))),
    "string_too_long": ("invalid-value", _simple("'{key}' is too long")),
    "rule_kind": ("rule-kind", _rule_kind),
}


def _problem(raw: Any, document: Document, path: Path_) -> Problem:
    error = _Error(
        raw["type"], path, str(path[-1]) if path else None, raw.get("input"), raw.get("ctx") or {}, raw["msg"]
    )
    code, say = _KINDS.get(error.kind, ("invalid-value", _fallback))
    message, hint = say(error)
    # a missing key is reported where its mapping is; anything else where it is
    where: Location = document.locate(path[:-1] if error.kind == "missing" else path)
    return Problem(code, message + _owner(path, document), where, error.key, hint, path)


def _fallback(error: _Error) -> tuple[str, str | None]:
    return (f"'{error.key}': {error.message}" if error.key is not None else error.message), None


def _misspelt(paths: list[Path_], errors: list[Any]) -> dict[Path_, tuple[str, Path_]]:
    """A misspelt key ('wieght') is one problem, not an unknown key plus a missing 'weight': for each
    misspelt key's path, the hint and the path of the missing key it stands for."""
    missing_by_parent: dict[Path_, list[str]] = {}
    for error, path in zip(errors, paths, strict=True):
        if error["type"] == "missing":
            missing_by_parent.setdefault(path[:-1], []).append(str(path[-1]))
    found: dict[Path_, tuple[str, Path_]] = {}
    for error, path in zip(errors, paths, strict=True):
        candidates = missing_by_parent.get(path[:-1])
        if error["type"] != "extra_forbidden" or not candidates:
            continue
        close = did_you_mean(str(path[-1]), candidates)
        if close is not None:
            meant = next(key for key in candidates if close == f"did you mean '{key}'?")
            found[path] = (close, (*path[:-1], meant))
    return found


def _moved(paths: list[Path_], errors: list[Any], data: Any) -> set[Path_]:
    """Missing keys that a misplaced key accounts for: the key where it belongs ('otherwise' of the rule),
    and the required keys of a list item that holds nothing but misplaced keys."""
    moved: dict[Path_, set[str]] = {}
    accounted: set[Path_] = set()
    for error, path in zip(errors, paths, strict=True):
        found = _misplaced(path) if error["type"] == "extra_forbidden" and path else None
        if found is not None:
            # a rule's kind label ('cases') is also its list's key, so pydantic's path to the missing key
            # may walk into the list: both paths stand for it
            holder = path[len(found[1])]
            accounted.update({(*found[1], path[-1]), (*found[1], holder, path[-1])})
            moved.setdefault(path[:-1], set()).add(str(path[-1]))
    for error, path in zip(errors, paths, strict=True):
        if error["type"] == "missing" and path[:-1] in moved:
            item = _at(data, path[:-1])
            if isinstance(item, dict) and set(map(str, item)) <= moved[path[:-1]]:
                accounted.add(path)
    return accounted


def _at(data: Any, path: Path_) -> Any:
    """The value at ``path`` in plain data (None when there is none)."""
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
            continue
        if not (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)):
            return None
        data = data[part]
    return data


def _refused(rejected: Iterable[Path_]) -> Callable[[Path_], bool]:
    """Whether a path lies inside, or holds, a value refused while reading (its problem is reported)."""
    refused = frozenset(rejected)
    holders = frozenset(bad[:i] for bad in refused for i in range(len(bad) + 1))
    return lambda path: path in holders or any(path[:i] in refused for i in range(len(path)))


def validate(model: type[Model], document: Document) -> tuple[Model | None, list[Problem]]:
    """The model built from the document, or None and the located problems."""
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"{describe(document.data)}"
        message = f"the file must be a mapping of keys, but it is {what}"
        return None, [Problem("top-level", message, document.locate(()))]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        errors = exc.errors()
    paths = [
        _document_path(tuple(error["loc"]), document.data, error["type"] == "missing") for error in errors
    ]
    misspelt = _misspelt(paths, errors)
    meant = {missing for _, missing in misspelt.values()} | _moved(paths, errors, document.data)
    refused = _refused(document.rejected)
    problems: list[Problem] = []
    seen: set[Path_] = set()
    for error, path in zip(errors, paths, strict=True):
        if error["type"] == "missing" and path in meant:
            continue  # said with the misspelt key
        if refused(path):
            continue  # a value in it was refused while reading, and that problem is already reported
        if error["type"] != "extra_forbidden" and path in seen:
            continue  # one value failing several members of a union: one problem
        seen.add(path)
        problem = _problem(error, document, path)
        if path in misspelt:
            problem = replace(problem, hint=misspelt[path][0])
        problems.append(problem)
    return None, problems
