"""The wheel holds the whole package: every module (the rule kinds are found by walking their package, so a
module left out would silently remove a kind) and ``py.typed``, so type checkers read the annotations."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_every_module_and_py_typed(tmp_path: Path) -> None:
    # built from a copy, so a stale build/ folder of the checkout can neither add nor hide modules
    source = tmp_path / "source"
    shutil.copytree(ROOT / "scoring", source / "scoring", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    # the test extra installs the build backend, so the wheel is built offline and at once
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        str(source),
        "--no-deps",
        "--no-build-isolation",
        "--quiet",
    ]
    built = subprocess.run(
        [*command, "--wheel-dir", str(tmp_path)], capture_output=True, text=True, timeout=300, check=False
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("scoring_engine-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {path.relative_to(ROOT).as_posix() for path in (ROOT / "scoring").rglob("*.py")}
    assert {name for name in names if name.endswith(".py")} == expected
    assert "scoring/py.typed" in names
    metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
    assert "Name: scoring-engine" in zipfile.ZipFile(wheel).read(metadata).decode()
