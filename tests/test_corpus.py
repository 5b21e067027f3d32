"""The corpus of published tables (examples/published/): every case is a set and a unit that check, speaks
Chinese and names its source, is listed in README.md, and its verdict there is the one `scoring reproduce`
gives. Each case's figures and findings are pinned in test_corpus_projects.py, test_corpus_departments.py,
test_corpus_graded.py and test_corpus_reports.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import scoring
from scoring.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "published"
CASES = sorted(path for path in CORPUS.glob("*.yaml") if not path.name.endswith(".set.yaml"))
WORDS = {"reproduced": "reproduced", "not determined": "consistent", "not reproduced": "not_reproduced"}


def readme_verdicts() -> dict[str, str]:
    """case → verdict, from the README's corpus table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| \[`([\w-]+)`\]\(examples/published/[\w-]+\.yaml\) \|.*\| \*\*([a-z ]+)\*\*", text, re.M
    )
    return {case: WORDS[word] for case, word in rows}


def test_the_corpus_is_as_broad_as_promised() -> None:
    assert len(CASES) >= 8
    forms = {case.name.split("-")[0] for case in CASES}
    assert forms == {"project", "department"}


def test_every_case_is_pinned_in_detail() -> None:
    """Each case's figures and findings are pinned in one of the corpus test files."""
    pinned = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "tests").glob("test_corpus_*.py"))
    assert [case.stem for case in CASES if f'"{case.stem}"' not in pinned] == []


def test_readme_lists_every_case() -> None:
    assert sorted(readme_verdicts()) == sorted(case.stem for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_each_case_is_a_set_and_a_unit_that_check_and_speak_chinese(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_file = CORPUS / f"{case.stem}.set.yaml"
    indicator_set = scoring.load_set(set_file)
    assert indicator_set.language == "zh" and indicator_set.source  # every case names its source
    assert main(["check", str(set_file)]) == 0
    assert main(["check", str(case)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_each_verdict_is_the_one_readme_gives(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = scoring.load_unit(case)
    outcome = scoring.reproduce(unit.indicator_set, unit)
    assert outcome.verdict == readme_verdicts()[case.stem]
    assert outcome.figures, "a corpus case publishes at least one figure"
    assert main(["reproduce", str(case)]) == (0 if outcome.ok else 1)
    capsys.readouterr()
