"""``scoring panel UNITS...``: inter-rater agreement of the units' panels — each rater's deviation from the
panels, the widest spreads, Kendall's W per judged row."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..analysis.panel import panel_agreement
from ..report.panel import panel_csv, panel_table
from .common import Commands, cohort_command, cohort_of, texts_for, write_analysis
from .exits import EXIT_OK


def register(commands: Commands, reading: argparse.ArgumentParser) -> None:
    about = "inter-rater agreement of panels: each rater's deviation, the widest spreads, Kendall's W per row"
    command = cohort_command(commands, reading, "panel", about, run)
    command.add_argument(
        "--top", type=int, default=10, metavar="N", help="list the N widest spreads (default 10)"
    )


def run(args: argparse.Namespace) -> int:
    cohort = cohort_of(args)
    report = panel_agreement(cohort, top=args.top)
    output = getattr(args, "output", None) or ""
    suffix = Path(output).suffix.lower()
    texts = texts_for(args, cohort.indicator_set)
    if suffix == ".xlsx":
        from ..report.panel_outputs import write_panel_workbook

        write_panel_workbook(output, report, texts)
    elif suffix in (".html", ".htm"):
        from ..report.panel_outputs import panel_report

        Path(output).write_text(panel_report(report, cohort.indicator_set, texts), encoding="utf-8")
    else:
        write_analysis(
            args,
            "panel",
            report,
            cohort.indicator_set,
            lambda: panel_csv(report),
            lambda: panel_table(report, texts=texts),
        )
    return EXIT_OK
