"""The JSON Schemas ``scoring schema`` prints describe what the library reads and writes.

Every shipped file is valid against its format's schema, and the JSON result of every shipped unit — and of
results with N/A, unknown, judged and overridden rows — is valid against the result schema, which refuses
keys it does not list. A schema that drifted from the code would fail here.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import scoring
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((ROOT / "indicators").glob("*.yaml"))
UNITS = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "synthetic").glob("*.yaml"))


@functools.cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    """The validator of the schema ``scoring schema KIND`` prints (made once per kind: the suite stays quick)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["schema", kind]) == 0
    schema = json.loads(printed.getvalue())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(kind: str, instance: Any) -> list[str]:
    return [
        f"{list(error.absolute_path)}: {error.message}" for error in _validator(kind).iter_errors(instance)
    ]


class _DatesAsText(yaml.SafeLoader):
    """YAML as editors (YAML 1.2) and this tool read it: an unquoted 2022-12-31 is text, not a date."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)  # a SafeLoader


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_shipped_sets_match_the_set_schema(path: Path) -> None:
    assert _errors("set", _load(path)) == []


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_shipped_units_match_the_unit_schema(path: Path) -> None:
    assert _errors("unit", _load(path)) == []


def test_weights_schema_accepts_a_weights_file_and_refuses_a_stray_key() -> None:
    assert _errors("weights", {"weights": {"a": 5, "投入/预算配置": 10}, "rescale": "proportional"}) == []
    assert _errors("weights", {"weights": {"a": 5}, "scale": "none"}) != []


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_score_json_of_every_shipped_unit_matches_the_result_schema(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    code = main(["score", str(path), "--format", "json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out, parse_float=Decimal)
    assert _errors("result", result) == []


def test_result_schema_covers_every_status_and_refuses_unknown_keys() -> None:
    indicator_set = scoring.load_set(ROOT / "indicators" / "demo.yaml")
    data = yaml.safe_load((ROOT / "examples" / "demo.yaml").read_text(encoding="utf-8"))
    del data["set"]
    computed = [
        i.id for i in indicator_set.indicators if i.formula is not None and i.id not in data["not_applicable"]
    ]
    data["unknown"] = [computed[0]]
    data["overrides"] = {computed[1]: {"points": 1, "reason": "checked by hand"}}
    changed = scoring.unit_from_mapping(data, indicator_set)
    result = scoring.evaluate(indicator_set, changed)
    statuses = {row.status for row in result.indicators}
    assert statuses == {"not_applicable", "unknown", "overridden", "scored", "judged"}
    document = json.loads(result.to_json(), parse_float=Decimal)
    assert len(document["indicators"]) == len(indicator_set.indicators)
    assert _errors("result", document) == []
    document["indicators"][0]["colour"] = "red"
    document["surprise"] = 1
    assert len(_errors("result", document)) == 2
