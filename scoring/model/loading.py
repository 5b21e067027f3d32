"""Reading indicator sets (a YAML file or text) and unit data (a YAML file or text, or a Python mapping an
embedding tool builds), every problem reported at once."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import DataError, DefinitionError, Location, Problem, clip, clip_middle, did_you_mean
from ..formats.files import read_text
from ..formats.set_format import SetSpec
from ..formats.unit_format import UnitSpec
from ..formats.validate import validate
from ..formats.yaml import Document, load_yaml, parse_yaml
from ..numbers import in_context
from .bind import bind, normalize
from .build import SetBuilder
from .indicator_set import IndicatorSet
from .salvage import salvage
from .unit import Unit


@in_context
def build_set(document: Document) -> IndicatorSet:
    """Validate a parsed document as an indicator set, reporting every problem at once."""
    problems = list(document.problems)
    model, shape_problems = validate(SetSpec, document)
    if model is None and _looks_like(document, _UNIT_KEYS, _SET_KEYS):
        raise DefinitionError([_wrong_file(document, "not-a-set")])
    problems += shape_problems
    salvaged = None
    if model is None:
        salvaged = salvage(document, shape_problems)
        if salvaged is None:
            raise DefinitionError(problems)
        model = salvaged.model
    try:
        indicator_set = SetBuilder(model, document, salvaged).build()
    except DefinitionError as exc:
        problems += exc.problems
    if problems:
        raise DefinitionError(problems)
    return indicator_set


@in_context
def parse_set(text: str, source: str = "<set>") -> IndicatorSet:
    """Load an indicator set from YAML text; ``source`` names it in error messages."""
    return build_set(parse_yaml(text, source))


@in_context
def load_set(path: str | Path, encoding: str | None = None) -> IndicatorSet:
    """Load and validate an indicator set file; raises :class:`DefinitionError` listing every problem.

    Files are UTF-8; give ``encoding`` (e.g. ``"gbk"``) for a file saved in another encoding.
    """
    return build_set(load_yaml(Path(path), encoding))


@in_context
def parse_unit(
    text: str,
    source: str = "<unit>",
    indicator_set: IndicatorSet | None = None,
    base_dir: Path | None = None,
    *,
    sets: dict[Path, IndicatorSet] | None = None,
    encoding: str | None = None,
    root: str | Path | bool = True,
) -> Unit:
    """Load unit data from YAML text. Without ``indicator_set``, the file's ``set:`` is loaded from ``base_dir``
    (default: the working directory), read with ``encoding`` when given.

    Text may come from anyone, so by default (``root=True``) the set it names must lie inside ``base_dir``:
    ``set: ../../../etc/secret.yaml`` is refused before anything is read. Give ``root`` a directory to allow
    sets anywhere under it, or ``False`` to allow any path.

    ``sets`` caches indicator sets by resolved path, for callers loading many units of one set.
    """
    try:
        document = parse_yaml(text, source)
    except DefinitionError as exc:
        raise DataError(exc.kept, exc.omitted) from None
    model, problems = validate(UnitSpec, document)
    problems = [*document.problems, *problems]
    if model is None and _looks_like(document, _SET_KEYS, _UNIT_KEYS):
        raise DataError([_wrong_file(document, "not-a-unit")])
    if model is None:
        raise DataError(problems)
    if indicator_set is None:
        base = base_dir or Path.cwd()
        confined = (base if root is True else Path(root)) if root is not False else None
        set_path = _set_path(model, document, base, confined, problems)
        indicator_set = sets.get(set_path) if sets is not None else None
        if indicator_set is None:
            indicator_set = load_set(set_path, encoding)
            if sets is not None:
                sets[set_path] = indicator_set
    try:
        unit = bind(model, indicator_set, source, document.sha256, document)
    except DataError as exc:
        raise DataError([*problems, *exc.kept], exc.omitted) from None
    if problems:
        raise DataError(problems)
    return unit


#: Top-level keys only an indicator set has, and only unit data has.
_SET_KEYS = frozenset({"format", "indicators", "grades", "total", "inputs", "groups", "derived", "rounding"})
_UNIT_KEYS = frozenset({"set", "unit", "values", "judgments", "overrides", "unknown", "published", "period"})


def _looks_like(document: Document, own: frozenset[str], other: frozenset[str]) -> bool:
    """Whether the document is the other kind of file: top-level keys of that kind and none of this one's."""
    keys = set(document.data) if isinstance(document.data, dict) else set()
    return bool(keys & own) and not keys & other


def _wrong_file(document: Document, code: str) -> Problem:
    """One problem for a set given where unit data is expected (``not-a-unit``), or the other way round."""
    name = document.source
    if code == "not-a-unit":
        message = "this file is an indicator set, not unit data"
        hint = f"check the set with 'scoring check {clip(name)}', or score a unit under it with 'scoring score UNIT --set {clip(name)}'"
    else:
        message = "this file is unit data, not an indicator set"
        hint = (
            f"score it with 'scoring score {clip(name)}' (its set: names its set), or give the set it names"
        )
    return Problem(code, message, document.locate(()), hint=hint)


def _set_path(
    model: UnitSpec, document: Document, base_dir: Path, root: Path | None, problems: list[Problem]
) -> Path:
    """Where the set the unit names is (raises, with the problems so far, when it names none, or one
    outside ``root``)."""
    if model.set is None:
        problem = Problem(
            "set-missing",
            "the unit data names no indicator set",
            document.locate(()),
            hint="add 'set: path/to/set.yaml' (relative to this file)",
        )
        raise DataError([*problems, problem])
    if Path(model.set).suffix.lower() not in (".yaml", ".yml"):
        problem = Problem(
            "set-path",
            f"set: '{model.set}' is not a .yaml or .yml file",
            document.locate(("set",)),
            hint="set: names the indicator set's YAML file, relative to this file",
        )
        raise DataError([*problems, problem])
    if "\0" in model.set:
        hint = "name the set's file without it"
        problem = Problem("set-path", "set: holds a NUL character", document.locate(("set",)), hint=hint)
        raise DataError([*problems, problem])
    if len(model.set) > _MAX_PATH or any(len(part.encode()) > _MAX_NAME for part in Path(model.set).parts):
        message = f"set: '{clip(model.set)}' is longer than a file path can be"
        hint = f"a path has at most {_MAX_PATH} characters, a file or folder name at most {_MAX_NAME} bytes"
        raise DataError([*problems, Problem("set-path", message, document.locate(("set",)), hint=hint)])
    path = (base_dir / model.set).resolve()
    if root is not None and not path.is_relative_to(root.resolve()):
        problem = Problem(
            "set-outside-root",
            f"set: '{clip(model.set)}' lies outside {root}, where sets may be read from",
            document.locate(("set",)),
            hint="keep the set under that directory, or allow another one (--root DIR; root= in the API)",
        )
        raise DataError([*problems, problem])
    if not _exists(path):
        raise DataError([*problems, _set_not_found(model.set, path, document.locate(("set",)))])
    return path


#: Longest path, and longest file or folder name (in bytes), that common file systems allow.
_MAX_PATH, _MAX_NAME = 4096, 255


def _exists(path: Path) -> bool:
    """Whether anything is at ``path``; an error asking (permissions) counts as yes: reading it reports it."""
    try:
        return path.exists()
    except OSError:
        return True


def _set_not_found(written: str, path: Path, where: Location) -> Problem:
    """The problem of a ``set:`` that names no file, with the nearest set file's name when one is close."""
    nearby = []
    if path.parent.is_dir():  # a few hundred names at most: enough for a hint, bounded for a huge folder
        candidates = itertools.islice(path.parent.iterdir(), 500)
        nearby = [entry.name for entry in candidates if entry.suffix.lower() in (".yaml", ".yml")]
    guess = did_you_mean(path.name, nearby)
    hint = (f"{guess} (" if guess else "") + "set: is relative to the unit file; or give the set with --set"
    hint += ")" if guess else ""
    message = f"set: '{clip(written)}' not found (looked for {clip_middle(str(path))})"
    return Problem("set-not-found", message, where, hint=hint)


@in_context
def load_unit(
    path: str | Path,
    indicator_set: IndicatorSet | None = None,
    *,
    sets: dict[Path, IndicatorSet] | None = None,
    encoding: str | None = None,
    root: str | Path | None = None,
) -> Unit:
    """Load a unit data file and check it against ``indicator_set`` (default: the set its ``set:`` names).

    Files are UTF-8; give ``encoding`` (e.g. ``"gbk"``) for a file saved in another encoding. A unit file's
    ``set:`` may name a file anywhere (sets usually sit in a folder beside the units'); give ``root`` to
    refuse sets outside that directory.
    """
    path = Path(path)
    try:
        text = read_text(path, encoding)
    except DefinitionError as exc:
        raise DataError(exc.kept, exc.omitted) from None
    confined: str | Path | bool = root if root is not None else False
    return parse_unit(
        text, str(path), indicator_set, path.parent, sets=sets, encoding=encoding, root=confined
    )


@in_context
def unit_from_mapping(data: Mapping[str, Any], indicator_set: IndicatorSet, source: str = "<data>") -> Unit:
    """Unit data from a Python mapping (as an embedding tool builds it).

    Numbers may be Decimal, int, float or numpy scalars (a float is read from its shortest repr, so 0.1 is
    exactly 0.1); text is not a number, as in YAML files.
    """
    refused: list[Problem] = []
    normalized = normalize(data, refused, source)
    if refused:
        raise DataError(refused)
    document = Document(normalized, source, {}, _sha256_of(normalized), by_keys=True)
    model, problems = validate(UnitSpec, document)
    if model is None:
        raise DataError(problems)
    return bind(model, indicator_set, source, document.sha256, None)


def _sha256_of(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
