"""Dashboard: the summary table as one self-contained HTML page.

``render_dashboard(table)`` takes the table of ``summarize.summary_table`` and returns
the page: a sortable, filterable table of every report, each linked to its ``view``
page (``<doc_id>.html``, in the same folder or under ``view_href``), and inline SVG
charts: spending by budget line, execution rate, 三公经费 and activities per
department. CSS, JavaScript and charts are inline: nothing is loaded from the network.
``write_dashboard`` writes it as ``DIR/dashboard.html``.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .page import ERRORS_SEEN, SCRIPT_ERRORS_CSS, page
from .summarize import ACTIVITY_KINDS, BUDGET_SUFFIX, EXECUTION_RATE, MISMATCHES, YOY_SUFFIX

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_dashboard", "write_dashboard"]

PAGE_NAME = "dashboard.html"
SANGONG = "三公经费"
COLOURS = ("#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#9333ea", "#0891b2", "#db2777", "#65a30d")
# Spending lines drawn side by side per department (most reports' first).
MAX_CHART_LINES = 6
BAR_HEIGHT = 12
LABEL_WIDTH = 260
CHART_WIDTH = 720


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _stated(value: Any) -> bool:
    return value is not None and not _missing(value)


def _label(row: dict[str, Any]) -> str:
    """A department and year: ``武汉市江汉区科学技术协会 2024`` (the doc_id without a body)."""
    body = row.get("body")
    name = body if isinstance(body, str) and body else str(row["doc_id"])
    year = row.get("year")
    return f"{name} {year}" if not _missing(year) and year is not None else name


def _money(value: float) -> str:
    return f"{value / 10_000:,.2f}"


def _cell_text(column: str, value: Any) -> str:
    if _missing(value) or value is None:
        return ""
    if column == EXECUTION_RATE:
        return f"{value * 100:.1f}%"
    if column == "year":
        return str(int(value))
    if column == "records" or column.split(":")[0] in (
        *ACTIVITY_KINDS.values(),
        MISMATCHES,
    ):
        return f"{value:,.0f}"
    if isinstance(value, (int, float)):
        return _money(float(value))
    return str(value)


def _is_line(column: str) -> bool:
    head = column.split(":")[0]
    return head not in (*ACTIVITY_KINDS.values(), MISMATCHES, EXECUTION_RATE) and column not in (
        "doc_id",
        "body",
        "year",
        "genre",
        "records",
    )


def _table(rows: list[dict[str, Any]], columns: Sequence[str], view_href: str) -> str:
    head = "".join(
        f'<th data-col="{i}" data-type="{"text" if c in ("doc_id", "body", "genre") else "num"}"'
        f' title="{_esc(_column_title(c))}">{_esc(c)}</th>'
        for i, c in enumerate(columns)
    )
    body = []
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            sort = "" if _missing(value) or value is None else str(value)
            if column == "doc_id":
                href = view_href + quote(f"{row['doc_id']}.html")
                shown = f'<a class="view" href="{_esc(href)}">{_esc(row["doc_id"])}</a>'
            else:
                shown = _esc(_cell_text(column, value))
            cells.append(f'<td data-v="{_esc(sort)}">{shown}</td>')
        genre = _esc(row.get("genre") or "")
        body.append(f'<tr data-genre="{genre}">' + "".join(cells) + "</tr>")
    return (
        f'<table id="reports"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _column_title(column: str) -> str:
    if column == EXECUTION_RATE:
        return "一般公共预算财政拨款支出: spent ÷ budget (or the stated rate)"
    if column.endswith(BUDGET_SUFFIX):
        return f"{column.removesuffix(BUDGET_SUFFIX)}: budget, 万元"
    if column.endswith(YOY_SUFFIX):
        return f"{column.removesuffix(YOY_SUFFIX)}: change on the year before, 万元"
    if _is_line(column):
        return f"{column}: this year's figure, 万元"
    return column


def _bars(
    title: str,
    chart_id: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    unit: str,
    scale: float = 1.0,
) -> str:
    """A horizontal bar chart: per label, one bar per series (grouped, never stacked)."""
    present = [(name, values) for name, values in series if any(map(_stated, values))]
    kept = [i for i in range(len(labels)) if any(_stated(v[i]) for _, v in present)]
    if not present or not kept:
        return (
            f'<section class="chart" id="{chart_id}"><h2>{_esc(title)}</h2>'
            f'<p class="none">No report states these figures.</p></section>'
        )
    top = max(float(v) for _, values in present for v in values if _stated(v)) or 1.0
    group = BAR_HEIGHT * len(present) + 8
    height = group * len(kept) + 30
    plot = CHART_WIDTH - LABEL_WIDTH - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" '
        f'role="img" aria-label="{_esc(title)}">'
    ]
    for row, i in enumerate(kept):
        y0 = 10 + row * group
        parts.append(
            f'<text class="lbl" x="{LABEL_WIDTH - 6}" y="{y0 + group / 2}" '
            f'text-anchor="end" dominant-baseline="middle">{_esc(labels[i])}</text>'
        )
        for s, (name, values) in enumerate(present):
            value = values[i]
            if not _stated(value):
                continue
            assert value is not None
            width = max(1.0, plot * float(value) / top)
            y = y0 + s * BAR_HEIGHT
            colour = COLOURS[s % len(COLOURS)]
            shown = f"{float(value) * scale:,.2f}".rstrip("0").rstrip(".")
            parts.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{colour}"><title>{_esc(labels[i])} · '
                f"{_esc(name)}: {shown} {_esc(unit)}</title></rect>"
                f'<text class="val" x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR_HEIGHT / 2}" '
                f'dominant-baseline="middle">{shown}</text>'
            )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key"><i style="background:{COLOURS[s % len(COLOURS)]}"></i>'
        f"{_esc(name)}</span>"
        for s, (name, _) in enumerate(present)
    )
    return (
        f'<section class="chart" id="{chart_id}"><h2>{_esc(title)}</h2>'
        f'<div class="legend">{legend} <span class="unit">({_esc(unit)})</span></div>'
        f"{''.join(parts)}</section>"
    )


def _spending_lines(columns: Sequence[str], rows: list[dict[str, Any]]) -> list[str]:
    """The spending lines (not income, not totals of 收支, not 三公) most reports state."""
    from .summarize import line_role

    lines = [
        c
        for c in columns
        if _is_line(c) and ":" not in c and line_role(c) == "spent" and not c.startswith(SANGONG)
    ]
    stated = {c: sum(1 for r in rows if _stated(r.get(c))) for c in lines}
    return sorted(lines, key=lambda c: -stated[c])[:MAX_CHART_LINES]


def _charts(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    labels = [_label(r) for r in rows]

    def values(column: str) -> list[float | None]:
        return [r.get(column) if not _missing(r.get(column)) else None for r in rows]

    spending = [(c, values(c)) for c in _spending_lines(columns, rows)]
    sangong = [(c, values(c)) for c in columns if c.startswith(SANGONG) and ":" not in c]
    sangong += [(c, values(c)) for c in (SANGONG + BUDGET_SUFFIX,) if c in columns]
    activity = [(m, values(m)) for m in ACTIVITY_KINDS.values() if m in columns]
    return "".join(
        [
            _bars("Spending by budget line", "chart-spending", labels, spending, "万元", 1e-4),
            _bars(
                "Budget execution rate (一般公共预算财政拨款支出)",
                "chart-execution",
                labels,
                [(EXECUTION_RATE, values(EXECUTION_RATE))],
                "%",
                100.0,
            ),
            _bars("三公经费 per department", "chart-sangong", labels, sangong, "万元", 1e-4),
            _bars("Activities per department", "chart-activities", labels, activity, "count"),
        ]
    )


_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; color: #111827; background: #f9fafb; }
header { padding: 10px 20px; background: #1f2937; color: #f9fafb; }
header h1 { margin: 0; font-size: 18px; }
header .meta { font-size: 13px; color: #d1d5db; }
main { padding: 12px 20px; }
#controls { margin: 0 0 8px; display: flex; gap: 12px; align-items: center; }
#controls input { width: 320px; padding: 4px 8px; }
#wrap { overflow: auto; max-height: 60vh; background: #fff; border: 1px solid #e5e7eb; }
#reports { border-collapse: collapse; font-size: 13px; }
#reports th { position: sticky; top: 0; background: #f3f4f6; cursor: pointer; white-space: nowrap;
  padding: 4px 8px; border-bottom: 1px solid #d1d5db; user-select: none; }
#reports th.asc::after { content: " ▲"; } #reports th.desc::after { content: " ▼"; }
#reports td { padding: 3px 8px; border-top: 1px solid #f3f4f6; text-align: right;
  white-space: nowrap; }
#reports td:nth-child(-n+4) { text-align: left; }
#reports tr.hidden { display: none; }
#charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(720px, 1fr)); gap: 12px;
  margin-top: 14px; }
.chart { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 12px;
  overflow-x: auto; }
.chart h2 { font-size: 14px; margin: 0 0 4px; }
.legend .key { margin-right: 10px; } .legend i { display: inline-block; width: 10px;
  height: 10px; margin-right: 4px; }
.lbl, .val { font-size: 11px; fill: #374151; }
.none, .unit { color: #6b7280; }
"""

_SCRIPT = (
    """
(function () {
  "use strict";
  var table = document.getElementById("reports");
  var tbody = table.tBodies[0];
  var filter = document.getElementById("filter");
  var genre = document.getElementById("genre");
  var shown = document.getElementById("shown");
  function value(tr, col, type) {
    var v = tr.cells[col].getAttribute("data-v");
    if (type === "num") { return v === "" ? null : parseFloat(v); }
    return v;
  }
  function sortBy(th) {
    var col = +th.getAttribute("data-col");
    var type = th.getAttribute("data-type");
    var dir = th.classList.contains("asc") ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      c.classList.remove("asc", "desc");
    });
    th.classList.add(dir === 1 ? "asc" : "desc");
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = value(a, col, type), y = value(b, col, type);
      if (x === null || x === "") { return (y === null || y === "") ? 0 : 1; }
      if (y === null || y === "") { return -1; }
      if (type === "num") { return dir * (x - y); }
      return dir * x.localeCompare(y, "zh");
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    document.documentElement.setAttribute("data-sorted", th.textContent + ":" + dir);
  }
  function applyFilter() {
    var words = filter.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    var g = genre.value;
    var count = 0;
    Array.prototype.forEach.call(tbody.rows, function (tr) {
      var text = tr.textContent.toLowerCase();
      var ok = (!g || tr.getAttribute("data-genre") === g) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      tr.classList.toggle("hidden", !ok);
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
    document.documentElement.setAttribute("data-shown", String(count));
  }
  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest ? e.target.closest("th") : null;
    if (th) { sortBy(th); }
  });
  filter.addEventListener("input", applyFilter);
  genre.addEventListener("change", applyFilter);
  applyFilter();
  document.documentElement.setAttribute("data-rows", String(tbody.rows.length));
"""
    + ERRORS_SEEN
    + """  document.documentElement.setAttribute("data-dashboard-ready", "1");
}());
"""
)


def render_dashboard(table: pd.DataFrame, view_href: str = "") -> str:
    """The dashboard page of a summary table; ``view_href`` prefixes the view links."""
    rows = table.to_dict("records")
    columns = [c for c in table.columns if not c.endswith(YOY_SUFFIX) or table[c].notna().any()]
    if view_href and not view_href.endswith("/"):
        view_href += "/"
    genres = sorted({str(r["genre"]) for r in rows if r.get("genre")})
    options = '<option value="">all genres</option>' + "".join(
        f'<option value="{_esc(g)}">{_esc(g)}</option>' for g in genres
    )
    bodies = len({r["body"] for r in rows if isinstance(r.get("body"), str)})
    body = (
        "<header><h1>Compare departments</h1>"
        f'<div class="meta">{len(rows)} reports · {bodies} bodies · money in 万元 '
        "(the tables hold yuan) · click a column to sort, a document to read it</div></header>"
        '<main><div id="controls"><input id="filter" type="search" '
        'placeholder="filter: body, year, doc id…">'
        f'<select id="genre">{options}</select>'
        f'<span><span id="shown">{len(rows)}</span> of {len(rows)} shown</span></div>'
        f'<div id="wrap">{_table(rows, columns, view_href)}</div>'
        f'<div id="charts">{_charts(rows, columns)}</div></main>'
    )
    return page("Compare departments", body, _CSS + SCRIPT_ERRORS_CSS, _SCRIPT)


def write_dashboard(table: pd.DataFrame, out_dir: Path, view_dir: Path | None = None) -> Path:
    """Write ``out_dir/dashboard.html``; links go to ``view_dir`` (default: ``out_dir``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    href = "" if view_dir is None else Path(os.path.relpath(view_dir, out_dir)).as_posix()
    if href == ".":
        href = ""
    path = out_dir / PAGE_NAME
    path.write_text(render_dashboard(table, href), encoding="utf-8")
    return path
