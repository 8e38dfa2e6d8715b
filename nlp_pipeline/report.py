"""Report: an evaluation's figures as one self-contained HTML page with charts.

``write_report`` (``evaluate --html FILE``) renders the ``EvalResult`` that the text
report prints: headline scores, per-kind precision/recall/F1 as grouped bars, attribute
accuracies as horizontal bars, and a per-document table. Charts are inline SVG built
here; the page loads nothing from the network and runs no script. The text report
itself is included at the end, so every figure can be checked against it.
"""

from __future__ import annotations

import html
from pathlib import Path

from .evaluate import EvalResult, Score, format_report

__all__ = ["render_report", "write_report"]

SERIES: tuple[tuple[str, str], ...] = (("P", "#60a5fa"), ("R", "#34d399"), ("F1", "#6366f1"))

_CSS = """
body { margin: 0; font: 14px/1.5 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  sans-serif; color: #111827; background: #f9fafb; }
header { padding: 12px 24px; background: #1f2937; color: #f9fafb; }
header h1 { margin: 0; font-size: 20px; }
header .meta { color: #d1d5db; font-size: 13px; }
main { padding: 8px 24px 24px; display: flex; flex-wrap: wrap; gap: 16px; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 16px 12px; }
section.wide { flex-basis: 100%; }
h2 { font-size: 16px; margin: 8px 0; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px; border-bottom: 1px solid #f3f4f6; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { color: #374151; font-weight: 600; border-bottom: 1px solid #d1d5db; }
svg text { font-family: inherit; }
pre { font-size: 12px; background: #f3f4f6; padding: 8px; overflow: auto; }
.none { color: #9ca3af; }
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _f(value: float) -> str:
    return f"{value:.3f}"


def _legend(x: float, y: float) -> str:
    parts = []
    for i, (name, colour) in enumerate(SERIES):
        dx = x + i * 52
        parts.append(
            f'<rect x="{dx}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{dx + 16}" y="{y}" font-size="12">{name}</text>'
        )
    return "".join(parts)


def score_chart(rows: list[tuple[str, Score]], title: str) -> str:
    """Grouped vertical bars of P, R and F1 per row, on a 0–1 axis, as inline SVG."""
    left, top, plot_h, group_w, bar_w = 44, 34, 200, 120, 26
    width = left + group_w * max(1, len(rows)) + 10
    height = top + plot_h + 60
    out = [
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}">',
        f'<text x="{left}" y="16" font-size="13" font-weight="600">{_esc(title)}</text>',
        _legend(width - 160, 16),
    ]
    for i in range(5):
        value = i / 4
        y = top + plot_h - value * plot_h
        out.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y}" y2="{y}" stroke="#e5e7eb"/>'
            f'<text x="{left - 6}" y="{y + 4}" font-size="11" text-anchor="end" '
            f'fill="#6b7280">{value:.2f}</text>'
        )
    for g, (name, s) in enumerate(rows):
        x0 = left + g * group_w + (group_w - 3 * bar_w) / 2
        for j, ((series, colour), value) in enumerate(zip(SERIES, (s.p, s.r, s.f1), strict=True)):
            h = value * plot_h
            x = x0 + j * bar_w
            y = top + plot_h - h
            out.append(
                f'<rect class="bar" x="{x}" y="{y}" width="{bar_w - 3}" height="{h}" '
                f'fill="{colour}"><title>{_esc(name)} {series} = {_f(value)}</title></rect>'
                f'<text x="{x + (bar_w - 3) / 2}" y="{y - 3}" font-size="10" '
                f'text-anchor="middle">{value:.2f}</text>'
            )
        cx = left + g * group_w + group_w / 2
        out.append(
            f'<text x="{cx}" y="{top + plot_h + 16}" font-size="12" text-anchor="middle">'
            f"{_esc(name)}</text>"
            f'<text x="{cx}" y="{top + plot_h + 32}" font-size="10" text-anchor="middle" '
            f'fill="#6b7280">gold {s.gold} · pred {s.pred}</text>'
            f'<text x="{cx}" y="{top + plot_h + 46}" font-size="10" text-anchor="middle" '
            f'fill="#6b7280">tp {s.tp}</text>'
        )
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#9ca3af"/>')
    out.append("</svg>")
    return "".join(out)


def accuracy_chart(result: EvalResult) -> str:
    """Horizontal bars of attribute accuracies; attributes with nothing to check say so."""
    label_w, bar_w, row_h, top = 90, 240, 26, 10
    rows = list(result.attributes.items())
    width = label_w + bar_w + 120
    height = top + row_h * len(rows) + 6
    out = [
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="attribute accuracy">'
    ]
    for i, (name, acc) in enumerate(rows):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{_esc(name)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="#f3f4f6"/>'
        )
        if acc.accuracy is None:
            out.append(
                f'<text x="{label_w + 8}" y="{y + 15}" font-size="11" fill="#9ca3af">'
                "nothing to check</text>"
            )
            continue
        out.append(
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{acc.accuracy * bar_w:.1f}" '
            f'height="16" fill="#f59e0b"><title>{_esc(name)} = {_f(acc.accuracy)}</title></rect>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="12">'
            f"{_f(acc.accuracy)} ({acc.correct}/{acc.total})</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _bar_cell(value: float) -> str:
    """A score with a small inline bar behind it, for table cells."""
    return (
        f'<svg width="60" height="10" role="img" aria-label="{_f(value)}">'
        f'<rect width="60" height="10" fill="#f3f4f6"/>'
        f'<rect width="{value * 60:.1f}" height="10" fill="#6366f1"/></svg> {_f(value)}'
    )


def _score_table(rows: list[tuple[str, Score]], title: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in (title, "P", "R", "F1", "tp", "gold", "pred"))
    body = "".join(
        f"<tr><td>{_esc(name)}</td><td>{_f(s.p)}</td><td>{_f(s.r)}</td>"
        f"<td>{_bar_cell(s.f1)}</td><td>{s.tp}</td><td>{s.gold}</td><td>{s.pred}</td></tr>"
        for name, s in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _document_table(result: EvalResult) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in ("document", "qty P", "qty R", "qty F1", "tp", "gold", "pred", "record F1")
    )
    rows = []
    for doc_id, scores in result.per_document.items():
        q, r = scores["quantity"], scores["record"]
        rows.append(
            f"<tr><td>{_esc(doc_id)}</td><td>{_f(q.p)}</td><td>{_f(q.r)}</td>"
            f"<td>{_bar_cell(q.f1)}</td><td>{q.tp}</td><td>{q.gold}</td><td>{q.pred}</td>"
            f"<td>{_bar_cell(r.f1)}</td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_report(result: EvalResult, title: str = "Evaluation report") -> str:
    """The report page for ``result`` (figures identical to ``format_report``)."""
    headline = [
        ("quantity", result.quantity),
        ("record", result.record),
        ("event", result.event),
        ("event_untyped", result.event_untyped),
    ]
    kinds = list(result.per_kind.items())
    ignored = (
        "<p>Ignored (no gold): " + _esc(", ".join(result.ignored_documents)) + "</p>"
        if result.ignored_documents
        else ""
    )
    meta = (
        f"{len(result.per_document)} documents · {result.quantity.gold} gold quantities · "
        f"{result.quantity.pred} predicted · quantity F1 {_f(result.quantity.f1)} · "
        f"record F1 {_f(result.record.f1)}"
    )
    body = (
        f"<header><h1>{_esc(title)}</h1><div class='meta'>{_esc(meta)}</div></header><main>"
        f'<section id="headline"><h2>Headline scores</h2>{score_chart(headline, "metric")}'
        f"{_score_table(headline, 'metric')}</section>"
        f'<section id="attributes"><h2>Attribute accuracy</h2>{accuracy_chart(result)}'
        "<p class='none'>Over paired quantities (qualifier, unit, level, role) and paired "
        "events (date, location, event_type).</p></section>"
        f'<section id="kinds"><h2>Quantities by kind</h2>{score_chart(kinds, "kind")}'
        f"{_score_table(kinds, 'kind')}</section>"
        f'<section id="documents" class="wide"><h2>Per document</h2>{_document_table(result)}'
        f"{ignored}</section>"
        '<section id="text-report" class="wide"><details><summary>Text report</summary>'
        f"<pre>{_esc(format_report(result))}</pre></details></section></main>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def write_report(result: EvalResult, path: Path) -> None:
    """Write the report page to ``path`` (UTF-8), creating its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(result), encoding="utf-8")
