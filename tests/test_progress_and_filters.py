"""Long work shows progress on a terminal, and long output can be cut: ``margins`` shows the feasible answers
(``--all`` for the rest) of the indicators asked for, ``check`` takes directories and ends with a summary,
and every command over many units draws progress on stderr when it is a terminal, and nothing otherwise."""

from __future__ import annotations

import io
import json
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import scoring
import scoring.report.progress as progress_module
from scoring.analysis.cohort import load_cohort
from scoring.analysis.margins import _named_in_words as named_in_words
from scoring.analysis.margins import margins
from scoring.analysis.progress import advance, listening
from scoring.cli import main
from scoring.model import load_set

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "examples" / "synthetic"
DEMO = ROOT / "examples" / "demo.yaml"
DEMO_SET = ROOT / "indicators" / "demo.yaml"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- margins: feasible answers by default, --all, --indicator ----------------------------------------------


def test_margins_keep_only_feasible_answers_and_count_the_rest() -> None:
    cohort = load_cohort([COHORT])
    full = margins(cohort, limit=4)
    cut = margins(cohort, limit=4, feasible_only=True)
    every = [item for unit in full.units for item in unit.indicators]
    kept = [item for unit in cut.units for item in unit.indicators]
    assert kept == [item for item in every if item.feasible]
    assert 0 < len(kept) < len(every) and cut.hidden == len(every) - len(kept) and full.hidden == 0
    assert all(item.solutions or item.rule == "cases" for item in kept)
    # an answer without a solution is kept only when a case would give the points
    assert not any(item.feasible for item in every if not item.solutions and item.rule != "cases")


def test_a_cases_rule_is_feasible_when_a_case_gives_enough() -> None:
    rule = load_set(DEMO_SET).indicator("balance_control").rule  # cases worth 3, 2, otherwise 0
    assert named_in_words(rule, "≥", Fraction(5, 2))
    assert not named_in_words(rule, "≥", Fraction(7, 2))
    assert named_in_words(rule, "≤", Fraction(1))  # otherwise 0
    assert not named_in_words(load_set(DEMO_SET).indicator("staff_control_rate").rule, "≥", Fraction(1))


def test_margins_command_hides_infeasible_answers_unless_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, cut, _ = _run(capsys, "margins", str(DEMO))
    assert code == 0
    assert "answers without one are left out (--all shows them)" in cut
    assert "already at full marks" not in cut and "but the row has only" not in cut
    assert "cases rule (not invertible): the data would need to meet case 1" in cut  # feasible, in words
    _, every, _ = _run(capsys, "margins", str(DEMO), "--all")
    assert "already at full marks (5)" in every and "left out" not in every
    _, data, _ = _run(capsys, "margins", str(DEMO), "--format", "json")
    report = json.loads(data)
    assert report["hidden"] == 19 and all(i["feasible"] for u in report["units"] for i in u["indicators"])


def test_margins_indicator_filter(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["margins", str(COHORT), "--limit", "3", "--all", "--format", "json"]
    code, out, _ = _run(capsys, *args, "--indicator", "budget_completion_rate", "--indicator", "quality_rate")
    assert code == 0
    report = json.loads(out)
    assert report["indicators"] == ["budget_completion_rate", "quality_rate"]
    for unit in report["units"]:
        assert [i["id"] for i in unit["indicators"]] == ["budget_completion_rate"] * 2 + ["quality_rate"] * 2
    _, text, _ = _run(capsys, "margins", str(DEMO), "--indicator", "funds_compliance")
    assert "Indicators: funds_compliance." in text and "budget_completion_rate" not in text
    assert "funds_compliance" in text and "nonconforming_cases 2 → 1" in text


def test_margins_indicator_unknown_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "margins", str(DEMO), "--indicator", "budget_completion_rat")
    assert code == 2 and out == ""
    assert "no indicator 'budget_completion_rat'" in err and "budget_completion_rate" in err  # did you mean


# --- check DIR ---------------------------------------------------------------------------------------------


@pytest.fixture
def unit_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    for path in sorted(COHORT.glob("dept-0[1-3].yaml")):
        text = path.read_text(encoding="utf-8").replace(
            "set: ../../indicators/", f"set: {ROOT / 'indicators'}/"
        )
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_check_a_directory_ends_with_a_summary(unit_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "check", str(unit_folder))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 4 and all(": ok — unit " in line for line in lines[:3])
    assert lines[-1] == "3 files checked: 3 ok, 0 with problems"
    code, out, _ = _run(capsys, "check", str(DEMO))
    assert code == 0 and "files checked" not in out  # one file: no summary


def test_check_a_directory_with_problems(unit_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = unit_folder / "dept-02.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("staff_in_post:", "staff_in_pst:"), encoding="utf-8"
    )
    code, out, err = _run(capsys, "check", str(unit_folder), str(DEMO_SET))
    assert code == 1
    assert out.splitlines()[-1] == "4 files checked: 3 ok, 1 with problems"
    assert f"{broken}:" in err and "staff_in_pst" in err
    code, out, _ = _run(capsys, "check", str(unit_folder), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["files"] == {"checked": 3, "ok": 2, "with_problems": 1} and not data["ok"]


def test_check_reads_the_set_once_and_reports_its_problems_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_set = tmp_path / "set.yaml"
    bad_set.write_text(
        DEMO_SET.read_text(encoding="utf-8").replace("weight: 5\n", "weight: 6\n", 1), encoding="utf-8"
    )
    folder = tmp_path / "units"
    folder.mkdir()
    text = DEMO.read_text(encoding="utf-8")
    for name in ("a", "b", "c"):
        unit = text.replace("set: ../indicators/demo.yaml", f"set: {bad_set}").replace(
            "unit: 示例部门", f"unit: {name}"
        )
        (folder / f"{name}.yaml").write_text(unit, encoding="utf-8")
    code, out, err = _run(capsys, "check", str(folder))
    assert code == 1
    assert err.count("indicator weights add up to 101, not the total 100") == 1
    assert out.splitlines()[-1] == "3 files checked: 0 ok, 3 with problems"


def test_check_an_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "check", str(tmp_path))
    assert out == ""
    assert code == 1 and "no set or unit files" in err


# --- progress ----------------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_advance_goes_to_the_listener_of_the_block_only() -> None:
    heard: list[tuple[str, int, int]] = []
    advance("nobody listens", 1, 2)
    with listening(lambda *event: heard.append(event)):
        advance("scoring units", 1, 2)
        with listening(None):
            advance("muted", 1, 1)
        advance("scoring units", 2, 2)
    advance("after", 1, 1)
    assert heard == [("scoring units", 1, 2), ("scoring units", 2, 2)]


def test_cohort_loops_report_progress() -> None:
    heard: list[tuple[str, int, int]] = []
    with listening(lambda *event: heard.append(event)):
        cohort = load_cohort([COHORT])
        margins(cohort, limit=2)
    phases = [phase for phase, _, _ in heard]
    assert heard.count(("reading units", 24, 24)) == 1 and ("grade margins", 2, 2) in heard
    assert ("scoring units", 2, 2) in heard and phases.index("reading units") < phases.index("grade margins")


COMMANDS = {
    "tune": (["tune", str(COHORT), "--weight", "过程/预算执行=25"], ["reading units", "scoring units"]),
    "weights": (["weights", str(COHORT)], ["reading units", "scoring units"]),
    "sensitivity": (["sensitivity", str(COHORT), "--delta", "1"], ["reading units", "weightings"]),
    "margins": (["margins", str(COHORT), "--limit", "2"], ["reading units", "grade margins"]),
    "check": (["check", str(COHORT)], ["checking files"]),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_progress_on_a_terminal_and_silence_elsewhere(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, phases = COMMANDS[command]
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0)
    code, quiet_out, quiet_err = _run(capsys, *argv)  # stderr captured: not a terminal
    assert code == 0 and quiet_err == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(argv) == 0
    assert capsys.readouterr().out == quiet_out  # the output itself does not change
    drawn = terminal.getvalue()
    for phase in phases:
        assert f"{command}: {phase}" in drawn


def test_progress_without_tqdm_draws_a_line_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm fails
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_module.showing_progress("weights"):
        load_cohort([COHORT]).evaluate()
    drawn = terminal.getvalue()
    assert "weights: reading units [" in drawn and "24/24 files" in drawn and "24/24 units" in drawn
    assert drawn.endswith("\r")  # the line is wiped when done
    update, close = progress_module.progress_bar("Monte Carlo", enabled=True)
    assert update is not None
    update(5, 10)
    update(10, 10)
    close()
    assert "Monte Carlo [" in terminal.getvalue() and "10/10 weightings" in terminal.getvalue()


def test_quick_work_draws_nothing_before_the_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 60)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    for tqdm_module in (None, sys.modules.get("tqdm")):
        if tqdm_module is None:
            monkeypatch.setitem(sys.modules, "tqdm", None)
        else:
            monkeypatch.setitem(sys.modules, "tqdm", tqdm_module)
        with progress_module.showing_progress("weights"):
            load_cohort([COHORT]).evaluate()
    assert terminal.getvalue() == ""


def test_no_progress_silences_every_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["montecarlo", str(COHORT), "-n", "20", "--seed", "1", "--no-progress"]) == 0
    assert terminal.getvalue() == ""
    assert main(["montecarlo", str(COHORT), "-n", "20", "--seed", "1"]) == 0
    assert "montecarlo: reading units" in terminal.getvalue()
    capsys.readouterr()


def test_a_table_cohort_reports_the_rows_it_scores() -> None:
    pytest.importorskip("pyarrow")
    from scoring.analysis.effective_weights import effective_weights
    from scoring.batch.cohort import TableCohort

    root = Path(__file__).resolve().parent.parent
    table = root / "examples" / "synthetic" / "departments.csv"
    indicator_set = scoring.load_set(root / "indicators" / "hunan-department-overall.yaml")
    heard: list[tuple[str, int, int]] = []
    with listening(lambda *event: heard.append(event)):
        effective_weights(TableCohort(indicator_set, [table]))
    assert ("scoring departments.csv", 24, 0) in heard


def test_progress_speaks_the_commands_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring.language import Catalogue

    zh, en = Catalogue("zh"), Catalogue("en")
    for phase in ("reading units", "scoring units", "grade margins", "weightings", "checking files"):
        assert progress_module.phase_text(phase, en) == phase  # English as the loops say it
        assert progress_module.phase_text(phase, zh) != phase
    assert progress_module.phase_text("scoring units.csv", zh) == "评分 units.csv"
    assert progress_module.phase_text("something new", zh) == "something new"
    monkeypatch.setattr(progress_module, "DELAY_SECONDS", 0)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["weights", str(COHORT), "--lang", "zh"]) == 0
    assert "weights: 读取单位" in terminal.getvalue() and "weights: 单位评分" in terminal.getvalue()
