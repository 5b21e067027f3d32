"""File-format models back to YAML text (numbers written exactly as their decimal digits)."""

from __future__ import annotations

from decimal import Decimal

import yaml
from pydantic import BaseModel

from ..numbers import plain


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = plain(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(model: BaseModel) -> str:
    """YAML text for a file-format model, omitting unset keys."""
    data = model.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
