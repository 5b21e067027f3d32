"""The language reports speak: chosen once per command, texts read from one catalogue file per language.

The catalogues are ``locales/en.yaml`` and ``locales/zh.yaml`` in the package: nested mappings of text,
looked up by dotted keys (``column.points``), ``{name}`` filled in with :meth:`Catalogue.text`. No text a
report shows lives in code; a test checks that both catalogues have the same keys.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path

import yaml

#: The languages a report speaks.
LANGUAGES = ("zh", "en")
_LOCALES = Path(__file__).with_name("locales")


@functools.cache
def _texts(language: str) -> Mapping[str, str]:
    """A catalogue flattened to dotted keys (our own file, read with the safe loader)."""
    data = yaml.safe_load((_LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}{key}.", value)
        else:
            flat[prefix[:-1]] = str(node)

    walk("", data)
    return flat


class Catalogue:
    """The texts of one language."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no catalogue for language {language!r}")
        self.language = language
        self._texts = _texts(language)

    def text(self, key: str, **values: object) -> str:
        """The text at ``key`` with its ``{name}`` fields filled in. A missing key is a bug: KeyError."""
        template = self._texts[key]
        return template.format(**values) if values else template

    def keys(self) -> frozenset[str]:
        return frozenset(self._texts)


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """``zh`` or ``en`` from the locale variables (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, first set wins);
    None when they name neither."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            head = value.split(".")[0].split("_")[0].lower()
            return head if head in LANGUAGES else None
    return None


def choose_language(
    requested: str | None, set_language: str | None, environ: Mapping[str, str] | None = None
) -> str:
    """The language a command speaks: ``--lang``, else the set's ``language:``, else the locale, else
    English."""
    return requested or set_language or locale_language(environ) or "en"


def catalogue(language: str) -> Catalogue:
    """The catalogue of ``language`` (one of :data:`LANGUAGES`)."""
    return Catalogue(language)
