"""The shell every HTML report shares: one self-contained file (styles, scripts and the charting library
inline, nothing fetched when it opens), charts drawn by plotly, tables sortable and filterable.

Every text from a set or a unit is escaped (``html.escape``); numbers shown in the page carry their exact
value in ``data-value`` attributes, so a reader (or a test) can check them against the engine.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..errors import import_extra
from ..language import Catalogue
from ..model.indicator_set import IndicatorSet

_STYLE = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:2rem auto;
max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;
vertical-align:top}th{background:#eef2f8;cursor:default}td.n,th.n{text-align:right;white-space:nowrap}
tr.group td{background:#f5f5f5;font-weight:600}td:first-child{min-width:9rem}.muted{color:#666;font-size:.85rem}
th.sortable{cursor:pointer}th.sortable:after{content:" ⇅";color:#999}
input.filter{margin:.5rem 0;padding:.3rem;width:18rem}details{margin:.2rem 0}
.grade-0{background:#C6EFCE}.grade-1{background:#DDEBF7}.grade-2{background:#FFEB9C}.grade-3{background:#FFC7CE}
"""

#: Sorting a table by a clicked header and filtering its rows by a typed text; our own few lines, no library.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th.sortable").forEach(function (th, index) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.from(body.rows), up = th.dataset.order !== "asc";
      rows.sort(function (a, b) {
        var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
        var p = parseFloat(x), q = parseFloat(y);
        var c = (isNaN(p) || isNaN(q)) ? String(x).localeCompare(String(y)) : p - q;
        return up ? c : -c;
      });
      th.dataset.order = up ? "asc" : "desc";
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
document.querySelectorAll("input.filter").forEach(function (input) {
  var table = document.getElementById(input.dataset.table);
  input.addEventListener("input", function () {
    var text = input.value.toLowerCase();
    Array.from(table.tBodies[0].rows).forEach(function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(text) >= 0 ? "" : "none";
    });
  });
});
"""


def plotly() -> Any:
    """The ``plotly.graph_objects`` module, or a ``needs-reports`` error naming the extra."""
    import_extra("plotly", "needs-reports", "HTML reports need plotly, which is not installed", "reports")
    return import_extra("plotly.graph_objects", "needs-reports", "HTML reports need plotly", "reports")


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def chart(figure: Any, name: str) -> str:
    """A plotly figure as a ``<div>`` (the library itself is inlined once, by :func:`page`)."""
    figure.update_layout(
        margin={"l": 40, "r": 20, "t": 40, "b": 40},
        font={"family": '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif'},
        template="plotly_white",
    )
    body: str = figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{name}",
        config={"displaylogo": False, "responsive": True},
    )
    return f'<div class="chart" data-chart="{escape(name)}">{body}</div>'


def page(title: str, language: str, sections: list[str], note: str) -> str:
    """A whole HTML document: the title, the sections in order, a note at the foot."""
    import plotly.offline

    library = plotly.offline.get_plotlyjs()
    lang = "zh-CN" if language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style>"
        f"<script>{library}</script></head>\n<body>\n<h1>{escape(title)}</h1>\n"
        + "\n".join(sections)
        + f'\n<p class="muted">{escape(note)}</p>\n<script>{_SCRIPT}</script>\n</body></html>\n'
    )


def table(
    header: list[tuple[str, bool]],
    rows: list[list[tuple[str, str | None, str]]],
    *,
    table_id: str | None = None,
    sortable: bool = False,
    row_classes: list[str] | None = None,
) -> str:
    """A table. ``header``: (text, numeric) per column; each cell (shown text, exact value or None, CSS
    class). A sortable table sorts on ``data-value`` (the exact value, or the text)."""
    classes = "sortable" if sortable else ""
    head = "".join(
        f'<th class="{"n " if numeric else ""}{"sortable" if sortable else ""}">{escape(text)}</th>'
        for text, numeric in header
    )
    lines = []
    for index, row in enumerate(rows):
        cells = "".join(
            f'<td class="{escape(css)}" data-value="{escape(value if value is not None else shown)}">'
            f"{escape(shown)}</td>"
            for shown, value, css in row
        )
        row_class = f' class="{escape(row_classes[index])}"' if row_classes else ""
        lines.append(f"<tr{row_class}>{cells}</tr>")
    ident = f' id="{escape(table_id)}"' if table_id else ""
    return (
        f'<table{ident} class="{classes}"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(lines)
        + "</tbody></table>"
    )


def section(title: str, body: str, name: str) -> str:
    return f'<section data-section="{escape(name)}"><h2>{escape(title)}</h2>\n{body}\n</section>'


def data_script(name: str, data: Any) -> str:
    """Figures for a reader to check, as JSON in a script block that does not run."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{escape(name)}">{text}</script>'


def generated_note(texts: Catalogue, indicator_set: IndicatorSet) -> str:
    """The note at a report's foot: the set and the engine that made it."""
    from ..engine.evaluate import engine_version

    return texts.text(
        "report.generated",
        id=indicator_set.id,
        version=indicator_set.version or "",
        engine="scoring",
        engine_version=engine_version(),
    )
