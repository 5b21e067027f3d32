"""What every test shares: an English locale, so that outputs that follow the locale (the language of
reports, the byte order mark of CSV) do not change with the machine's (tests of the locale rule pass their
own environment); and the headless browser the HTML reports are opened in: Debian's chromium driven by
playwright. Without chromium (or playwright) the browser tests skip, except where
``SCORING_REQUIRE_BROWSER=1`` (CI sets it): there a missing browser fails them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "C.UTF-8")


# --- the browser of the HTML tests (test_browser*.py) ---------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium's own background traffic stays off: this machine has no network to give it.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(what: str) -> None:
    if os.environ.get("SCORING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{what} is required here (SCORING_REQUIRE_BROWSER=1)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright")
    if CHROMIUM is None:
        _missing("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
