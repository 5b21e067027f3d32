"""The screenshots in README.md, made from the shipped examples: the unit report, the cohort report and
the 评分表 workbook (its cells, merges and fills read back with openpyxl and drawn as an HTML table, since
no spreadsheet program runs here), each opened in Debian's chromium through playwright.

Usage: ``python scripts/report_screenshots.py`` (needs the test extra and chromium; writes docs/images/).
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
HUNAN = ROOT / "indicators" / "hunan-department-overall.yaml"
UNIT = ROOT / "examples" / "synthetic" / "dept-04.yaml"
TABLE = ROOT / "examples" / "synthetic" / "departments.csv"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def sheet_as_html(path: Path) -> str:
    """The first sheet of a workbook as an HTML table: values (cached), merged cells, fills, bold."""
    import openpyxl

    sheet = openpyxl.load_workbook(path, data_only=True).active
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    hidden: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (
            merged.max_row - merged.min_row + 1,
            merged.max_col - merged.min_col + 1,
        )
        hidden |= {
            (r, c)
            for r in range(merged.min_row, merged.max_row + 1)
            for c in range(merged.min_col, merged.max_col + 1)
        }
    rows = []
    for r in range(1, sheet.max_row + 1):
        cells = []
        for c in range(1, sheet.max_column + 1):
            if (r, c) in hidden and (r, c) not in spans:
                continue
            cell = sheet.cell(r, c)
            rowspan, colspan = spans.get((r, c), (1, 1))
            value = cell.value
            if isinstance(value, float):
                value = (
                    f"{value:.{max(cell.number_format.count('0') - 1, 0)}f}"
                    if "." in cell.number_format
                    else f"{value:g}"
                )
            fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
            style = f"background:#{str(fill)[-6:]};" if fill and isinstance(fill, str) else ""
            style += "font-weight:bold;" if cell.font and cell.font.b else ""
            text = html.escape("" if value is None else str(value)).replace("\n", "<br>")
            cells.append(f'<td rowspan="{rowspan}" colspan="{colspan}" style="{style}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    style = (
        "body{font-family:'Noto Sans CJK SC',sans-serif;font-size:12px;margin:12px}"
        "table{border-collapse:collapse}td{border:1px solid #bbb;padding:3px 5px;max-width:260px;vertical-align:middle}"
    )
    return f"<html><head><meta charset='utf-8'><style>{style}</style></head><body><table>{''.join(rows)}</table></body></html>"


def main() -> int:
    from playwright.sync_api import sync_playwright

    from scoring.cli import main as scoring

    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        work = Path(folder)
        scoring(["score", str(UNIT), "--set", str(HUNAN), "-o", str(work / "unit.html"), "--lang", "zh"])
        scoring(["score", str(UNIT), "--set", str(HUNAN), "-o", str(work / "unit.xlsx"), "--lang", "zh"])
        scoring(["batch", str(HUNAN), str(TABLE), "-o", str(work / "cohort.html"), "--lang", "zh"])
        (work / "sheet.html").write_text(sheet_as_html(work / "unit.xlsx"), encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        for page_name, image, height in (
            ("unit.html", "report-unit.png", 1100),
            ("cohort.html", "report-cohort.png", 1100),
            ("sheet.html", "workbook.png", 900),
        ):
            page = browser.new_page(viewport={"width": 1200, "height": height})
            page.goto((work / page_name).as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(IMAGES / image))
            print(f"wrote docs/images/{image}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
