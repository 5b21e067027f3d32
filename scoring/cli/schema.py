"""``scoring schema [set|unit|weights|result]``: the JSON Schema of a file format or of the result, for
editors and tools."""

from __future__ import annotations

import argparse

from pydantic import BaseModel

from ..engine.result import Result
from ..formats import SetSpec, UnitSpec, WeightsSpec
from ..serialize import json_schema, to_json
from .common import Commands, write
from .exits import EXIT_OK

_FORMATS: dict[str, type[BaseModel]] = {"set": SetSpec, "unit": UnitSpec, "weights": WeightsSpec}


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a file format or of a result (for editors)"
    )
    schema.add_argument("kind", choices=(*_FORMATS, "result"), nargs="?", default="set")
    schema.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.kind == "result":
        write(to_json(json_schema(Result, "scoring result")) + "\n")
    else:
        write(to_json(_FORMATS[args.kind].model_json_schema(by_alias=True)) + "\n")
    return EXIT_OK
