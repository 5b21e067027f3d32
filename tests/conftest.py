"""What every test shares: an English locale, so that outputs that follow the locale (the language of
reports, the byte order mark of CSV) do not change with the machine's. Tests of the locale rule pass their
own environment."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "C.UTF-8")
