"""File-format models back to YAML text (numbers written exactly as their decimal digits)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
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


def comment_line(text: str) -> str:
    """``text`` as one YAML comment line: line breaks and other control or format characters (which could end
    the comment, or hide what follows) written as visible escapes."""
    escaped = "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    return f"# {escaped}".rstrip()


def dump_yaml(model: BaseModel, header: Sequence[str] = ()) -> str:
    """YAML text for a file-format model, omitting unset keys; ``header`` lines come first, as comments."""
    data = model.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return "".join(comment_line(line) + "\n" for line in header) + text
