"""CSV that Excel opens: every command's ``--format csv`` writes numbers at a stated precision (never the
fifty digits of an exact quotient), a byte order mark with ``--excel``, and no cell a spreadsheet would read
as a formula — a unit or a label named ``=1+1`` comes out as text."""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.report.csv import BOM, at, cell_text, csv_bytes, csv_document, csv_text, upto
from scoring.report.reproduce import reproduction_csv

ROOT = Path(__file__).resolve().parent.parent
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
COHORT = ROOT / "examples" / "synthetic"
DEMO = ROOT / "examples" / "demo.yaml"
INJECTED = "=1+1"

#: Every command that writes CSV, with the arguments it needs after the units.
COHORT_COMMANDS: dict[str, list[str]] = {
    "tune": ["--weight", "过程/预算执行=25"],
    "weights": [],
    "margins": ["--limit", "0"],
    "sensitivity": ["--delta", "1", "--groups"],
    "montecarlo": ["-n", "50", "--seed", "3", "--no-progress"],
}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Hunan set with an indicator and a group labelled ``=1+1``, and the synthetic cohort under it
    with its first unit named ``=1+1``: (set, folder of units)."""
    folder = tmp_path_factory.mktemp("injected")
    set_text = HUNAN.read_text(encoding="utf-8")
    set_text = set_text.replace("label: 在职人员控制率", f"label: '{INJECTED}'", 1)
    set_text = set_text.replace(
        "  投入/预算配置: {weight: 13}", f"  投入/预算配置: {{weight: 13, label: '{INJECTED}'}}", 1
    )
    assert set_text.count(INJECTED) == 2
    set_path = folder / "set.yaml"
    set_path.write_text(set_text, encoding="utf-8")
    units = folder / "units"
    units.mkdir()
    for path in sorted(COHORT.glob("dept-*.yaml"))[:8]:
        shutil.copy(path, units / path.name)
    first = units / "dept-01.yaml"
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r'(?m)^unit: ".*"$', f'unit: "{INJECTED}"', text, count=1), encoding="utf-8")
    return set_path, units


def _no_live_formula(text: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(("=", "@", "\t", "\r")):
                pytest.fail(f"live formula in cell {cell!r}")
            if cell.startswith(("+", "-")):
                assert re.fullmatch(r"[+-]([0-9]+\.?[0-9]*|\.[0-9]+)?", cell), cell


@pytest.mark.parametrize("command", sorted(COHORT_COMMANDS))
def test_a_unit_named_like_a_formula_is_text_in_every_cohort_csv(
    command: str, injected: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    set_path, units = injected
    text = _run(
        capsys, command, str(units), "--set", str(set_path), *COHORT_COMMANDS[command], "--format", "csv"
    )
    _no_live_formula(text)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + INJECTED in cells
    if command == "weights":  # the indicator's and the group's label
        labels = {row["id"]: row["label"] for row in _rows(text)}
        assert labels["staff_control_rate"] == labels["投入/预算配置"] == "'" + INJECTED


def test_a_label_and_a_unit_named_like_a_formula_are_text_in_score_csv(
    injected: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    set_path, units = injected
    text = _run(capsys, "score", str(units / "dept-01.yaml"), "--set", str(set_path), "--format", "csv")
    _no_live_formula(text)
    rows = {(row["kind"], row["id"]): row for row in _rows(text)}
    assert rows["indicator", "staff_control_rate"]["label"] == "'" + INJECTED
    assert rows["group", "投入/预算配置"]["label"] == "'" + INJECTED
    assert rows["total", ""]["label"] == "'" + INJECTED


#: Decimals a number in any CSV may have at most: values and shares (6) and statistics (places + 4).
MOST_DECIMALS = 6


def _decimals(cell: str) -> int | None:
    """Decimals of a cell holding a number, None for any other cell."""
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell):
        return None
    return len(cell.partition(".")[2])


@pytest.mark.parametrize("command", sorted(COHORT_COMMANDS))
def test_no_cohort_csv_writes_long_decimals(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(capsys, command, str(COHORT), *COHORT_COMMANDS[command], "--format", "csv")
    rows = _rows(text)
    decimals = [d for row in rows for d in map(_decimals, row.values()) if d is not None]
    assert decimals and max(decimals) <= MOST_DECIMALS
    # totals at total_places (1), weights and points at places (2)
    for column in (
        "total",
        "total_before",
        "total_after",
        "weight",
        "weight_before",
        "weight_after",
        "points",
    ):
        places = 2 if column.startswith(("weight", "points")) else 1
        shown = [row[column] for row in rows if row.get(column)]
        assert all(_decimals(cell) == places for cell in shown), (column, shown[:5])


def test_score_csv_points_at_the_set_places_and_values_rounded(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {row["id"]: row for row in _rows(_run(capsys, "score", str(DEMO), "--format", "csv"))}
    staff = rows["staff_control_rate"]
    assert (staff["weight"], staff["points"]) == ("5.00", "5.00")
    assert staff["value"] == "87.696335"  # 335 / 382 × 100, a quotient of 50 digits in the engine
    assert rows[""]["points"] == "79.4" and rows[""]["weight"] == "100.0"
    weights = _rows(_run(capsys, "weights", str(COHORT), "--format", "csv"))
    group = next(row for row in weights if row["id"] == "投入")
    assert group["variation_share"] == "0.126573" and group["nominal_share"] == "0.13"


@pytest.mark.parametrize("command", sorted(COHORT_COMMANDS))
def test_excel_adds_a_byte_order_mark_once(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = [command, str(COHORT), *COHORT_COMMANDS[command]]
    if command == "margins":
        args += ["--limit", "2"]
    plain = _run(capsys, *args, "--format", "csv")
    excel = _run(capsys, *args, "--format", "csv", "--excel")
    assert not plain.startswith(BOM) and excel == BOM + plain
    json_text = _run(capsys, *args, "--format", "json", "--excel")
    assert json_text.startswith("{")  # only CSV gets the mark


def test_the_writer_neutralises_formulas_and_keeps_numbers() -> None:
    assert cell_text("=1+1") == "'=1+1" and cell_text("@SUM(A1)") == "'@SUM(A1)"
    assert cell_text("+cmd") == "'+cmd" and cell_text("-2+3") == "'-2+3" and cell_text("\tx") == "'\\x09x"
    assert cell_text("-0.5") == "-0.5" and cell_text(Decimal("-0.5")) == "-0.5"
    assert cell_text(at(Decimal("1.5"), 2)) == "1.50" and cell_text(at(Decimal("-0.001"), 2)) == "0.00"
    assert (
        cell_text(upto(Decimal(1) / Decimal(3), 6)) == "0.333333"
        and cell_text(upto(Decimal("0.5"), 6)) == "0.5"
    )
    assert upto(True, 6) is True and at(None, 2) is None and upto(None, 2) is None
    text = csv_text(["a", "=b"], [[INJECTED, at(Decimal(2), 1)]])
    assert text == "a,'=b\n'=1+1,2.0\n"
    assert csv_document(text, bom=False) == text and csv_document(text, bom=True) == BOM + text
    assert csv_document(BOM + text, bom=True) == BOM + text  # never twice
    assert csv_bytes(text, bom=True) == b"\xef\xbb\xbf" + text.encode("utf-8")
    assert csv_bytes("单位\n", bom=False) == "单位\n".encode()


def test_reproduction_csv_sets_computed_beside_published() -> None:
    from tests.test_reproduce import run, small_set, table

    outcome = run(table(indicators={"b": Decimal("18.5")}, total=Decimal("92.2")), unit=INJECTED)
    rows = {(row["kind"], row["id"]): row for row in _rows(reproduction_csv(outcome, small_set()))}
    a, b, total = rows["indicator", "a"], rows["indicator", "b"], rows["total", ""]
    assert (a["basis"], a["weight"], a["points"], a["published"], a["findings"]) == (
        "scored",
        "30.00",
        "27.45",
        "27.45",
        "",
    )
    assert b["points"] == "18.45" and b["published"] == "18.5" and b["findings"].startswith("[")
    assert rows["group", "G1"]["points"] == "45.90" and rows["group", "G1"]["published"] == "45.9"
    assert total["label"] == "'" + INJECTED and total["points"] == "92.1" and total["published"] == "92.2"
    assert total["grade"] == total["published_grade"] == "优" and "92.2" in total["findings"]
    _no_live_formula(reproduction_csv(outcome, small_set()))
