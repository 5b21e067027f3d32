"""The command line: each command, each output format, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.cli import main
from tests.helpers import console_script

ROOT = Path(__file__).resolve().parent.parent
DEMO_UNIT = "examples/demo.yaml"
DEMO_SET = "indicators/demo.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_score_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", DEMO_UNIT)
    assert code == 0, err
    assert "在职人员控制率" in out
    assert "87.7%" in out
    assert "Total 79.4 / 100  grade 中" in out
    assert "band 2 [80, 90): 8" in out  # the rule outcome is shown beside the points


def test_score_json_is_exact_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", DEMO_UNIT, "--format", "json")
    assert code == 0
    data = json.loads(out, parse_float=Decimal)
    assert data["total"] == Decimal("79.4")
    assert data["grade"] == "中"
    assert data["set"]["id"] == "demo-department"
    assert len(data["set"]["sha256"]) == 64
    assert len(data["data"]["sha256"]) == 64
    assert data["engine"]["version"]
    rows = {row["id"]: row for row in data["indicators"]}
    assert rows["staff_control_rate"]["inputs"] == {"staff_in_post": 335, "staff_quota": 382}
    assert str(rows["staff_control_rate"]["value"]).startswith("87.69633507853403141361256544502617801")
    assert rows["building_area_control"]["status"] == "not_applicable"
    assert {g["path"] for g in data["groups"]} >= {"投入", "投入/预算配置", "过程/预算执行"}


def test_score_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", DEMO_UNIT, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    kinds = [row["kind"] for row in rows]
    assert kinds.count("indicator") == 14
    assert kinds[-1] == "total"
    assert rows[-1]["points"] == "79.4"
    points = sum(Decimal(row["points"]) for row in rows if row["kind"] == "indicator")
    assert points == Decimal("79.4")


def test_score_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", DEMO_UNIT, "--format", "markdown")
    assert code == 0
    assert "| **投入** | 15.00 |  | 14.50 | 96.67% 优 |" in out
    assert out.count("\n|") >= 25


def test_score_with_explicit_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", DEMO_UNIT, "--set", DEMO_SET, "--format", "json")
    assert code == 0
    assert json.loads(out)["total"] == 79.4


def test_explain_selected(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", DEMO_UNIT, "budget_completion_rate")
    assert code == 0
    assert "budget_completion_rate — 预算完成率" in out
    assert "formula  budget_spent / budget_total * 100" in out
    assert "budget_total = 37897.23" in out
    assert "1 whole step of 5 × 2 = −2" in out
    assert "points   3.00 of 5" in out
    assert "staff_control_rate" not in out


def test_explain_all_and_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", DEMO_UNIT)
    assert code == 0
    assert out.count(" — ") >= 14
    code, _, err = run(capsys, "explain", DEMO_UNIT, "nope")
    assert code == 2
    assert "no indicator 'nope'" in err


def test_check_ok_and_invalid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", DEMO_SET, DEMO_UNIT)
    assert code == 0
    assert "demo-department" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(DEMO_SET).read_text(encoding="utf-8").replace("weight: 5\n", "weight: 6\n", 1), encoding="utf-8"
    )
    code, _, err = run(capsys, "check", str(bad))
    assert code == 1
    assert f"{bad}:" in err
    assert "indicator weights add up to 101, not the total 100" in err


def test_check_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: scoring/1\nid: x\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", str(bad))
    assert code == 1
    problems = json.loads(out)["problems"]
    assert {p["message"] for p in problems} >= {
        "missing required key 'total'",
        "missing required key 'indicators'",
    }
    assert all(p["line"] == 1 for p in problems)


def test_invalid_data_exits_1_without_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    unit = tmp_path / "unit.yaml"
    unit.write_text(f"set: {Path(DEMO_SET).resolve()}\nvalues: {{staff_in_post: 335}}\n", encoding="utf-8")
    code, _, err = run(capsys, "score", str(unit))
    assert code == 1
    assert "missing input 'staff_quota', needed by staff_control_rate" in err
    assert "Traceback" not in err


def test_missing_file_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "no/such/file.yaml")
    assert code == 1
    assert "no/such/file.yaml: file not found" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["score"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["score", DEMO_UNIT, "--format", "xml"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("kind", ["set", "unit"])
def test_schema(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    code, out, _ = run(capsys, "schema", kind)
    assert code == 0
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    expected = {"set": {"indicators", "grades", "total"}, "unit": {"values", "judgments", "overrides"}}[kind]
    assert expected <= set(schema["properties"])


def test_console_script_found_beside_the_interpreter(tmp_path: Path) -> None:
    posix = tmp_path / "venv" / "bin"
    posix.mkdir(parents=True)
    (posix / "scoring").write_text("", encoding="utf-8")
    assert console_script(str(posix / "python")) == posix / "scoring"
    windows_venv = tmp_path / "win-venv" / "Scripts"
    windows_venv.mkdir(parents=True)
    (windows_venv / "scoring.exe").write_text("", encoding="utf-8")
    assert console_script(str(windows_venv / "python.exe")) == windows_venv / "scoring.exe"
    windows_base = tmp_path / "Python311"
    (windows_base / "Scripts").mkdir(parents=True)
    (windows_base / "Scripts" / "scoring.exe").write_text("", encoding="utf-8")
    assert console_script(str(windows_base / "python.exe")) == windows_base / "Scripts" / "scoring.exe"
    with pytest.raises(AssertionError, match="no console script"):
        console_script(str(tmp_path / "python"))


@pytest.mark.slow  # two child processes
def test_python_dash_m_and_console_script() -> None:
    """Both entry points score the demo, with the script's directory taken off PATH: neither depends on an
    activated virtualenv."""
    script = console_script()
    path = os.environ.get("PATH", "").split(os.pathsep)
    env = {
        **os.environ,
        "PATH": os.pathsep.join(p for p in path if p and Path(p).resolve() != script.parent.resolve()),
    }
    for command in ([sys.executable, "-m", "scoring"], [str(script)]):
        done = subprocess.run(
            [*command, "score", DEMO_UNIT],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "grade 中" in done.stdout


def test_explain_suggests_the_id_meant(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, "explain", DEMO_UNIT, "staff_contol_rate")
    assert code == 2
    assert err.strip().endswith("did you mean 'staff_control_rate'?")
    assert "indicators:" not in err  # the list only when nothing is close
    code, _, err = run(capsys, "explain", DEMO_UNIT, "zzz")
    assert code == 2 and "indicators: goal_reasonableness" in err


@pytest.mark.parametrize("interval", ["5", "5,95,99", ""])
def test_interval_needs_two_levels(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, interval: str
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run(capsys, "montecarlo", "examples/synthetic", "-n", "10", "--interval", interval)
    assert code == 2
    assert err.strip() == f"scoring montecarlo: --interval takes LO,HI (two percentages), not {interval!r}"


def test_an_empty_folder_of_units_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "weights", str(tmp_path))
    assert code == 1
    assert f"no unit files (.yaml or .yml) in {tmp_path}" in err
