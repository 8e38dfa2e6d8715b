"""View: one self-contained HTML page per document, its records highlighted in its text.

``write_views`` reads each input, extracts its records and writes ``<doc_id>.html`` (the
raw text exactly as read, which every span indexes) plus an ``index.html`` listing the
documents with their counts. Each page holds its own CSS and JavaScript: nothing is
loaded from the network.

On a page every quantity is highlighted in its kind's colour, events are underlined,
dates, places and organizers dotted; hovering or clicking a quantity or an event shows
its record in the side panel and highlights the sentence, the event and the quantities
that belong together. ``page.html#q3`` opens a page with quantity ``q3`` selected.

Every finding of ``check`` is marked too: the figures it used are underlined together
in the colour of its status (ok, mismatch, unmet), a mismatch's message is written
beside its last figure, and hovering or clicking shows the finding in the side panel
with all its figures highlighted; ``page.html#f2`` opens finding ``f2``. The index
counts each document's mismatches.

With gold records (``--gold``), quantities are outlined by their scoring outcome, as
``evaluate.list_errors`` reports it: ``miss`` (a gold quantity not found; drawn from the
gold record), ``extra`` (found, not in gold), ``attach`` (paired, but attached to another
event than gold's), ``attr`` (paired, an attribute differs) or ``ok``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .check import Finding, check_document
from .evaluate import evaluate, list_errors, load_gold_dir
from .formats import READERS
from .golddocs import GoldError, load, locate
from .ingest import Document, IngestError, iter_input_files, read_document
from .page import ERRORS_SEEN, SCRIPT_ERRORS_CSS, page
from .patterns import PatternError
from .run import process_document
from .schema import QUANTITY_KINDS, ActivityRecord, Event, Quantity
from .tables import read_document_tables

__all__ = ["DocumentSummary", "STATUSES", "render_document", "render_index", "write_views"]

KIND_COLOURS: dict[str, str] = {
    "sessions": "#bfdbfe",
    "participants": "#bbf7d0",
    "award": "#fde68a",
    "money": "#fecaca",
    "count": "#ddd6fe",
}
# Scoring outcome -> (outline colour and style, legend text); see the module docstring.
STATUSES: dict[str, tuple[str, str]] = {
    "ok": ("1px solid #16a34a", "correct"),
    "miss": ("2px dashed #dc2626", "missed (in gold, not found)"),
    "extra": ("2px solid #f97316", "extra (found, not in gold)"),
    "attach": ("2px solid #9333ea", "wrong event attached"),
    "attr": ("2px dotted #0891b2", "attribute differs"),
}
_STATUS_RANK = {"ok": 0, "attr": 1, "attach": 2}
# Finding status -> underline colour.
FINDING_COLOURS: dict[str, str] = {"ok": "#16a34a", "mismatch": "#dc2626", "unmet": "#d97706"}


@dataclass
class DocumentSummary:
    """One row of the index page."""

    doc_id: str
    page: str
    source: str
    chars: int
    records: int
    kinds: dict[str, int]
    events: int
    statuses: dict[str, int] | None = None
    f1: float | None = None
    findings: dict[str, int] = field(default_factory=dict)

    @property
    def mismatches(self) -> int:
        return self.findings.get("mismatch", 0) + self.findings.get("unmet", 0)

    @property
    def quantities(self) -> int:
        return sum(self.kinds.values())


@dataclass
class _Mark:
    """A highlighted span of the raw text."""

    start: int
    end: int
    classes: tuple[str, ...]
    ref: str | None = None  # item or event id, for data-q / data-e and the anchor
    title: str | None = None


@dataclass
class _Item:
    """One quantity shown on the page (predicted, or a gold one that was missed)."""

    id: str
    quantity: Quantity
    record: ActivityRecord
    source: str
    status: str | None = None
    notes: list[str] = field(default_factory=list)
    event_id: str | None = None


# ------------------------------------------------------------------------ the data


def _mention_json(m: Any) -> dict[str, Any] | None:
    return None if m is None else m.to_dict()


def _record_json(record: ActivityRecord) -> dict[str, Any]:
    return {
        "record_id": record.record_id,
        "section": record.section,
        "sentence": _mention_json(record.sentence),
        "event": _mention_json(record.event),
        "date": _mention_json(record.date),
        "location": _mention_json(record.location),
        "organizers": [o.to_dict() for o in record.organizers],
    }


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _summary(q: Quantity) -> str:
    """One line for a quantity's tooltip: ``money 50000 元 (exact, grant)``."""
    extras = [q.qualifier] + [x for x in (q.role, q.level, q.object) if x]
    return f"{q.kind} {_number(q.value)} {q.unit} ({', '.join(extras)})"


def _items(
    doc_id: str, records: list[ActivityRecord], gold: list[ActivityRecord] | None
) -> tuple[list[_Item], dict[str, dict[str, Any]]]:
    """The page's quantities (with scoring status if gold is given) and its events."""
    items = [
        _Item(f"q{i}", q, r, "prediction")
        for i, (q, r) in enumerate((q, r) for r in records for q in r.quantities)
    ]
    events: dict[tuple[int, int], str] = {}
    event_data: dict[str, dict[str, Any]] = {}
    for it in items:
        ev: Event | None = it.record.event
        if ev is None:
            continue
        key = (ev.start, ev.end)
        if key not in events:
            events[key] = f"e{len(events)}"
            event_data[events[key]] = {
                "event": ev.to_dict(),
                "record": _record_json(it.record),
                "items": [],
            }
        it.event_id = events[key]
        event_data[it.event_id]["items"].append(it.id)
    if gold is not None:
        items += _score_items(doc_id, items, records, gold)
    return items, event_data


def _score_items(
    doc_id: str, items: list[_Item], records: list[ActivityRecord], gold: list[ActivityRecord]
) -> list[_Item]:
    """Set each predicted item's status from ``list_errors``; return the missed gold items."""
    errors = list_errors({doc_id: gold}, {doc_id: records})
    by_quantity = {id(it.quantity): it for it in items}
    misses: list[_Item] = []
    for error in errors:
        if error.category == "MISS":
            assert error.gold_quantity is not None and error.gold_record is not None
            note = f"missed: gold event {error.gold_event or '(none)'}"
            misses.append(
                _Item(
                    f"g{len(misses)}",
                    error.gold_quantity,
                    error.gold_record,
                    "gold",
                    "miss",
                    [note],
                )
            )
            continue
        it = by_quantity[id(error.pred_quantity)]
        if error.category == "EXTRA":
            it.status = "extra"
            it.notes.append("extra: not in gold")
            continue
        status = "attach" if error.category == "ATTACH" else "attr"
        if _STATUS_RANK[status] > _STATUS_RANK.get(it.status or "ok", 0):
            it.status = status
        if error.category == "ATTACH":
            it.notes.append(
                f"wrong event: gold {error.gold_event or '(none)'}, "
                f"predicted {error.pred_event or '(none)'}"
            )
        else:
            it.notes.append(
                f"{error.attribute}: gold {error.gold_value!r}, predicted {error.pred_value!r}"
            )
    for it in items:
        if it.status is None:
            it.status = "ok"
    return misses


def _item_json(it: _Item) -> dict[str, Any]:
    return {
        "quantity": it.quantity.to_dict(),
        "record": _record_json(it.record),
        "source": it.source,
        "status": it.status,
        "notes": it.notes,
        "event": it.event_id,
    }


# ---------------------------------------------------------------------- rendering


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _marks(items: list[_Item], events: dict[str, dict[str, Any]]) -> list[_Mark]:
    marks: list[_Mark] = []
    sentences: set[tuple[int, int]] = set()
    mentions: set[tuple[int, int, str]] = set()
    for it in items:
        q = it.quantity
        classes = ["q", f"k-{q.kind}"] + ([f"st-{it.status}"] if it.status else [])
        title = _summary(q) + (f" [{it.status}]" if it.status and it.status != "ok" else "")
        marks.append(_Mark(q.start, q.end, tuple(classes), it.id, title))
        r = it.record
        sentences.add((r.sentence.start, r.sentence.end))
        if it.source == "prediction":
            for name, m in (("date", r.date), ("loc", r.location)):
                if m is not None:
                    mentions.add((m.start, m.end, name))
            mentions.update((o.start, o.end, "org") for o in r.organizers)
    for eid, data in events.items():
        start, end = data["event"]["span"]
        marks.append(_Mark(start, end, ("ev",), eid, f"event: {data['event']['type']}"))
    marks += [_Mark(s, e, ("sn",)) for s, e in sorted(sentences)]
    marks += [_Mark(s, e, ("men", f"men-{kind}")) for s, e, kind in sorted(mentions)]
    return marks


def _finding_marks(findings: Sequence[Finding]) -> list[_Mark]:
    """Each finding's figures, marked as one (``data-f``); a mismatch's message goes
    beside its last figure (``data-msg``, shown by CSS, so the text stays as read)."""
    marks: list[_Mark] = []
    for i, f in enumerate(findings):
        spans = [(e.start, e.end) for e in f.evidence if e.start is not None and e.end]
        for j, (start, end) in enumerate(spans):
            classes = ("fd", f"fd-{f.status}")
            if f.status != "ok" and j == len(spans) - 1:
                classes += ("fd-note",)
            marks.append(_Mark(start, end, classes, f"f{i}", f"{f.check} {f.status}: {f.message}"))
    return marks


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "check": f.check,
        "status": f.status,
        "message": f.message,
        "spans": [[e.start, e.end] for e in f.evidence if e.start is not None],
        "evidence": [e.to_dict() for e in f.evidence],
    }


def _render_text(raw: str, marks: list[_Mark]) -> str:
    """The raw text as HTML: each piece covered by marks is a span with all their classes."""
    n = len(raw)
    marks = [m for m in marks if 0 <= m.start < min(m.end, n)]
    cuts = sorted({0, n} | {m.start for m in marks} | {min(m.end, n) for m in marks})
    by_start: dict[int, list[_Mark]] = {}
    for m in marks:
        by_start.setdefault(m.start, []).append(m)
    active: list[_Mark] = []
    anchored: set[str] = set()
    out: list[str] = []
    for a, b in pairwise(cuts):
        active = [m for m in active if m.end > a] + by_start.get(a, [])
        text = _esc(raw[a:b])
        if not active:
            out.append(text)
            continue
        classes: list[str] = []
        attrs: dict[str, str] = {"data-a": str(a), "data-b": str(b)}
        for m in active:
            classes += [c for c in m.classes if c not in classes]
            if m.ref is None:
                continue
            if m.ref.startswith("f"):  # a piece may be a figure of several findings
                attrs["data-f"] = f"{attrs['data-f']} {m.ref}" if "data-f" in attrs else m.ref
                if "fd-note" in m.classes and m.end <= b:
                    attrs["data-msg"] = m.title or ""
            else:
                attrs.setdefault("data-e" if m.ref.startswith("e") else "data-q", m.ref)
            if m.title:
                attrs["title"] = attrs["title"] + "; " + m.title if "title" in attrs else m.title
            if m.ref not in anchored and "id" not in attrs:  # the first piece free for it
                anchored.add(m.ref)
                attrs["id"] = m.ref
        attr_text = "".join(f' {k}="{_esc(v)}"' for k, v in attrs.items())
        out.append(f'<span class="{" ".join(classes)}"{attr_text}>{text}</span>')
    return "".join(out)


def _json_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<`` can close it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
  "PingFang SC", sans-serif; color: #111827; background: #f9fafb; }
body.doc { height: 100vh; display: flex; flex-direction: column; overflow: hidden; }
header { padding: 10px 20px; background: #1f2937; color: #f9fafb; }
header h1 { margin: 0; font-size: 18px; }
header a { color: #93c5fd; }
header .meta { font-size: 13px; color: #d1d5db; }
main { display: flex; gap: 16px; padding: 12px 20px; }
body.doc main { flex: 1; min-height: 0; }
#text { flex: 1; min-width: 0; margin: 0; padding: 16px 20px; background: #fff;
  border: 1px solid #e5e7eb; border-radius: 6px; white-space: pre-wrap; overflow: auto;
  overflow-wrap: anywhere; font: inherit; line-height: 1.9; }
aside { width: 380px; flex: none; overflow: auto; background: #fff; border: 1px solid #e5e7eb;
  border-radius: 6px; padding: 10px 14px; font-size: 13px; }
aside h2 { font-size: 14px; margin: 10px 0 6px; }
.legend span.sw { display: inline-block; margin: 2px 6px 2px 0; padding: 0 6px; }
#panel table, #list table { border-collapse: collapse; width: 100%; }
#panel th { text-align: left; color: #6b7280; font-weight: normal; width: 90px;
  vertical-align: top; padding: 1px 6px 1px 0; }
#panel td { padding: 1px 0; overflow-wrap: anywhere; }
#panel .notes { color: #b91c1c; }
#list td { padding: 1px 4px; border-top: 1px solid #f3f4f6; }
#list a { color: inherit; text-decoration: none; }
#list tr:hover { background: #f3f4f6; }
.q { border-radius: 3px; cursor: pointer; }
.ev { text-decoration: underline 2px #1d4ed8; text-underline-offset: 4px; cursor: pointer; }
.men { text-decoration: underline dotted 2px #6b7280; text-underline-offset: 4px; }
.men-date { text-decoration-color: #0d9488; }
.men-loc { text-decoration-color: #a16207; }
.men-org { text-decoration-color: #be185d; }
.ev.men { text-decoration: underline 2px #1d4ed8; }
.sn.rel { background: #fef9c3; }
.ev.rel-ev { background: #dbeafe; }
.sel { box-shadow: 0 0 0 2px #111827; }
.rel-q { box-shadow: 0 0 0 2px #6b7280; }
.fd { border-bottom: 2px solid #16a34a; cursor: pointer; }
.fd-mismatch { border-bottom: 3px solid #dc2626; background: #fee2e2; }
.fd-unmet { border-bottom: 3px solid #d97706; background: #ffedd5; }
.fd-note::after { content: " ◀ " attr(data-msg); color: #b91c1c; font-size: 12px;
  background: #fff; border: 1px solid #fca5a5; border-radius: 3px; padding: 0 4px;
  margin-left: 2px; }
#findings td { padding: 1px 4px; border-top: 1px solid #f3f4f6; vertical-align: top; }
#findings a { color: inherit; text-decoration: none; }
.none { color: #6b7280; }
"""

_PAGE_SCRIPT = (
    """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);
  var segs = Array.prototype.slice.call(document.querySelectorAll("#text span[data-a]"));
  var panel = document.getElementById("panel");
  var pinned = null;
  var MARKS = ["sel", "rel", "rel-q", "rel-ev"];

  function clear() {
    segs.forEach(function (s) { MARKS.forEach(function (c) { s.classList.remove(c); }); });
  }
  function mark(span, cls) {
    if (!span) { return; }
    segs.forEach(function (s) {
      if (+s.dataset.a < span[1] && span[0] < +s.dataset.b) { s.classList.add(cls); }
    });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function row(table, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var tr = el("tr");
    tr.appendChild(el("th", label));
    tr.appendChild(el("td", value));
    table.appendChild(tr);
  }
  function mention(m, extra) {
    if (!m) { return null; }
    return m.text + (extra ? " → " + extra : "") + "  [" + m.span[0] + ", " + m.span[1] + ")";
  }
  function recordRows(table, r) {
    row(table, "event", r.event ? mention(r.event, r.event.type) : "(none)");
    row(table, "date", r.date ? mention(r.date, r.date.value) : null);
    row(table, "location", mention(r.location));
    row(table, "organizers", r.organizers.map(function (o) { return o.text; }).join("、"));
    row(table, "section", r.section);
    row(table, "sentence", r.sentence ? r.sentence.text : null);
    row(table, "record", r.record_id);
  }
  function related(r) {
    mark(r.sentence && r.sentence.span, "rel");
    mark(r.event && r.event.span, "rel-ev");
  }
  function showItem(id) {
    var it = data.items[id];
    var q = it.quantity;
    panel.textContent = "";
    panel.appendChild(el("h2", (it.source === "gold" ? "gold quantity " : "quantity ") + id));
    var table = el("table");
    row(table, "text", mention(q));
    row(table, "kind", q.kind);
    row(table, "value", q.value);
    row(table, "unit", q.unit);
    row(table, "qualifier", q.qualifier);
    row(table, "role", q.role);
    row(table, "level", q.level);
    row(table, "object", q.object);
    row(table, "currency", q.currency);
    row(table, "status", it.status);
    recordRows(table, it.record);
    panel.appendChild(table);
    it.notes.forEach(function (n) { panel.appendChild(el("div", n, "notes")); });
    Object.keys(data.findings).forEach(function (fid) {
      var f = data.findings[fid];
      if (f.spans.some(function (sp) { return sp[0] < q.span[1] && q.span[0] < sp[1]; })) {
        panel.appendChild(el("div", f.check + " " + f.status + ": " + f.message,
                             f.status === "ok" ? "" : "notes"));
      }
    });
    related(it.record);
    if (it.event) {
      data.events[it.event].items.forEach(function (other) {
        mark(data.items[other].quantity.span, "rel-q");
      });
    }
    mark(q.span, "sel");
  }
  function showEvent(id) {
    var ev = data.events[id];
    panel.textContent = "";
    panel.appendChild(el("h2", "event " + id));
    var table = el("table");
    row(table, "text", mention(ev.event, ev.event.type));
    recordRows(table, ev.record);
    row(table, "quantities", ev.items.map(function (i) {
      var q = data.items[i].quantity;
      return q.text + " (" + q.kind + ")";
    }).join("; "));
    panel.appendChild(table);
    related(ev.record);
    ev.items.forEach(function (i) { mark(data.items[i].quantity.span, "rel-q"); });
    mark(ev.event.span, "sel");
  }
  function showFinding(id) {
    var f = data.findings[id];
    panel.textContent = "";
    panel.appendChild(el("h2", "finding " + id + ": " + f.check + ", " + f.status));
    panel.appendChild(el("div", f.message, f.status === "ok" ? "" : "notes"));
    var table = el("table");
    f.evidence.forEach(function (e) {
      row(table, e.table ? "table" : "figure",
          e.text + (e.span ? "  [" + e.span[0] + ", " + e.span[1] + ")" : "")
          + (e.table ? "  " + e.table : ""));
    });
    panel.appendChild(table);
    f.spans.forEach(function (span) { mark(span, "sel"); });
  }
  function show(id) {
    clear();
    if (data.items[id]) { showItem(id); return true; }
    if (data.events[id]) { showEvent(id); return true; }
    if (data.findings[id]) { showFinding(id); return true; }
    return false;
  }
  function target(e) {
    var s = e.target.closest ? e.target.closest("span[data-a]") : null;
    if (!s) { return null; }
    return s.dataset.q || s.dataset.e || (s.dataset.f ? s.dataset.f.split(" ")[0] : null);
  }
  document.getElementById("text").addEventListener("mouseover", function (e) {
    var id = target(e);
    if (id && !pinned) { show(id); }
  });
  document.getElementById("text").addEventListener("click", function (e) {
    var id = target(e);
    pinned = id;  // a click outside the highlights lets hovering show records again
    if (id) { show(id); history.replaceState(null, "", "#" + id); }
  });
  function fromHash() {
    var id = location.hash.slice(1);
    if (id && show(id)) { pinned = id; }
    return id;
  }
  function scrollToHash() {
    var first = document.getElementById(fromHash());
    if (first) { first.scrollIntoView({block: "center"}); }
  }
  window.addEventListener("hashchange", scrollToHash);
  window.addEventListener("load", scrollToHash);
  fromHash();
  document.documentElement.setAttribute("data-highlights", String(
    document.querySelectorAll("#text .q").length));
  document.documentElement.setAttribute("data-findings", String(
    Object.keys(data.findings).length));
"""
    + ERRORS_SEEN
    + """  document.documentElement.setAttribute("data-view-ready", "1");
}());
"""
)


def _page(title: str, body: str, css: str = "", script: str = "", body_class: str = "") -> str:
    """A whole page: the view's CSS plus ``css``, ``body``, then ``script``."""
    return page(title, body, _CSS + SCRIPT_ERRORS_CSS + css, script, body_class)

def _legend(gold: bool) -> str:
    parts = (
        [f'<span class="sw q k-{kind}">{_esc(kind)}</span>' for kind in QUANTITY_KINDS]
        + [
            '<span class="sw ev">event</span>',
            '<span class="sw men men-date">date</span>',
            '<span class="sw men men-loc">place</span>',
            '<span class="sw men men-org">organizer</span>',
            "<br>",
        ]
        + [f'<span class="sw fd fd-{s}">finding {s}</span>' for s in FINDING_COLOURS]
    )
    if gold:
        parts.append("<br>")
        parts += [
            f'<span class="sw q st-{name}">{_esc(text)}</span>'
            for name, (_, text) in STATUSES.items()
        ]
    return '<div class="legend">' + "".join(parts) + "</div>"


def _status_css() -> str:
    kinds = "".join(f".q.k-{k} {{ background: {c}; }}\n" for k, c in KIND_COLOURS.items())
    statuses = "".join(
        f".st-{name} {{ outline: {style}; outline-offset: 1px; }}\n"
        for name, (style, _) in STATUSES.items()
    )
    return kinds + statuses


def _list_html(items: list[_Item]) -> str:
    if not items:
        return '<p class="none">No quantities found.</p>'
    rows = []
    for it in sorted(items, key=lambda it: (it.quantity.start, it.quantity.end)):
        q = it.quantity
        status = f'<span class="q st-{it.status}">{_esc(it.status)}</span>' if it.status else ""
        rows.append(
            f'<tr><td><a href="#{it.id}"><span class="q k-{q.kind}">{_esc(q.text)}</span></a>'
            f"</td><td>{_esc(q.kind)}</td><td>{_esc(_number(q.value))} {_esc(q.unit)}</td>"
            f"<td>{status}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return '<p class="none">No findings.</p>'
    order = sorted(range(len(findings)), key=lambda i: (findings[i].status == "ok", i))
    rows = [
        f'<tr><td><a href="#f{i}"><span class="fd fd-{findings[i].status}">'
        f"{_esc(findings[i].status)}</span></a></td><td>{_esc(findings[i].check)}</td>"
        f'<td><a href="#f{i}">{_esc(findings[i].message)}</a></td></tr>'
        for i in order
    ]
    return "<table>" + "".join(rows) + "</table>"


def render_document(
    raw: str,
    doc_id: str,
    records: list[ActivityRecord],
    gold: list[ActivityRecord] | None = None,
    source: str = "",
    index_href: str | None = "index.html",
    findings: Sequence[Finding] = (),
) -> str:
    """The HTML page of one document: ``raw`` with ``records`` (and ``gold``, and the
    findings of ``check``) marked."""
    page, _ = _render(raw, doc_id, records, gold, source, index_href, findings)
    return page


def _render(
    raw: str,
    doc_id: str,
    records: list[ActivityRecord],
    gold: list[ActivityRecord] | None,
    source: str,
    index_href: str | None,
    findings: Sequence[Finding] = (),
) -> tuple[str, dict[str, int] | None]:
    items, events = _items(doc_id, records, gold)
    statuses: dict[str, int] | None = None
    if gold is not None:
        statuses = {name: sum(1 for it in items if it.status == name) for name in STATUSES}
    data = {
        "items": {it.id: _item_json(it) for it in items},
        "events": events,
        "findings": {f"f{i}": _finding_json(f) for i, f in enumerate(findings)},
    }
    n_pred = sum(1 for it in items if it.source == "prediction")
    meta = [
        f"{len(records)} records",
        f"{n_pred} quantities",
        f"{len(events)} events",
        f"{len(raw)} characters",
    ]
    if statuses is not None:
        meta += [f"{statuses[name]} {name}" for name in STATUSES]
    if findings:
        failed = sum(f.status != "ok" for f in findings)
        meta.append(f"{len(findings)} findings, {failed} mismatches")
    back = f'<a href="{_esc(index_href)}">← all documents</a> · ' if index_href else ""
    origin = f"{_esc(source)} · " if source else ""
    text = _render_text(raw, _marks(items, events) + _finding_marks(findings))
    body = (
        f"<header><h1>{_esc(doc_id)}</h1>"
        f'<div class="meta">{back}{origin}{_esc(" · ".join(meta))}</div></header>\n'
        f'<main><pre id="text">{text}</pre>\n'
        f"<aside><h2>Legend</h2>{_legend(gold is not None)}"
        '<div id="panel"><p class="none">Hover over or click a highlight to see its record.'
        "</p></div>"
        f'<h2>Findings</h2><div id="findings">{_findings_html(findings)}</div>'
        f'<h2>Quantities</h2><div id="list">{_list_html(items)}</div></aside></main>\n'
        f'<script type="application/json" id="view-data">{_json_script(data)}</script>'
    )
    page = _page(doc_id, body, _status_css(), _PAGE_SCRIPT, "doc")
    return page, statuses


def render_index(summaries: Sequence[DocumentSummary], failures: Iterable[str] = ()) -> str:
    """The index page: one row per document with its counts (and scores with gold)."""
    gold = any(s.statuses is not None for s in summaries)
    head = ["document", "source", "characters", "records", "quantities"]
    head += list(QUANTITY_KINDS) + ["events", "findings", "mismatches"]
    if gold:
        head += list(STATUSES) + ["quantity F1"]
    rows = []
    for s in summaries:
        cells = [
            f'<a href="{_esc(quote(s.page))}">{_esc(s.doc_id)}</a>',
            _esc(s.source),
            str(s.chars),
            str(s.records),
            str(s.quantities),
        ]
        cells += [str(s.kinds.get(k, 0)) for k in QUANTITY_KINDS] + [str(s.events)]
        cells += [str(sum(s.findings.values())), str(s.mismatches)]
        if gold:
            if s.statuses is None:
                cells += ['<span class="none">no gold</span>'] + [""] * len(STATUSES)
            else:
                cells += [str(s.statuses[name]) for name in STATUSES]
                cells.append("" if s.f1 is None else f"{s.f1:.3f}")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    failed = "".join(f"<li>{_esc(f)}</li>" for f in failures)
    body = (
        "<header><h1>Documents</h1>"
        f'<div class="meta">{len(summaries)} documents · '
        f"{sum(s.quantities for s in summaries)} quantities · "
        f"{sum(s.mismatches for s in summaries)} mismatches</div></header>\n"
        '<main><div id="index"><table><thead><tr>'
        + "".join(f"<th>{_esc(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + (f"<h2>Failed</h2><ul>{failed}</ul>" if failed else "")
        + "</div></main>"
    )
    index_css = (
        "#index table { border-collapse: collapse; background: #fff; }\n"
        "#index th, #index td { border: 1px solid #e5e7eb; padding: 4px 10px; }\n"
        "#index td { text-align: right; } #index td:first-child, #index td:nth-child(2) "
        "{ text-align: left; }\n"
    )
    return _page("Documents", body, index_css + _status_css())


def _page_name(doc_id: str, taken: set[str]) -> str:
    """``<doc_id>.html``, made unique and never ``index.html``."""
    name = f"{doc_id}.html"
    n = 2
    while name.lower() in taken or name.lower() == "index.html":
        name = f"{doc_id}-{n}.html"
        n += 1
    taken.add(name.lower())
    return name


def _gold_inputs(
    gold_dir: Path, doc_ids: list[str]
) -> Iterator[tuple[Path, str | None, Callable[[], Document]]]:
    """The documents of a gold folder, found in place (``golddocs``)."""
    for doc_id in doc_ids:
        source = locate(gold_dir, gold_dir / "docs", doc_id)
        if source is None:
            yield gold_dir / f"{doc_id}.jsonl", "no document for this gold file", Document
            continue
        yield source.path, None, partial(load, source)


def write_views(
    paths: list[Path], out_dir: Path, gold_dir: Path | None = None
) -> tuple[list[DocumentSummary], list[str]]:
    """Write a page per input document and ``index.html`` into ``out_dir``.

    Returns the summaries of the pages written and one ``path: problem`` line per input
    that failed. Files inside ``out_dir`` are not inputs (pages of an earlier run).
    Raises ``GoldError`` if ``gold_dir`` cannot be read.
    """
    gold = load_gold_dir(gold_dir) if gold_dir is not None else None
    inputs: list[tuple[Path, str | None, Callable[[], Document]]] = [
        (path, problem, partial(read_document, path))
        for path, problem in iter_input_files(paths)  # before writing: pages are .html
    ]
    if not paths and gold_dir is not None and gold is not None:
        inputs = list(_gold_inputs(gold_dir, sorted(gold)))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = out_dir.resolve()
    summaries: list[DocumentSummary] = []
    failures: list[str] = []
    taken: set[str] = set()
    for path, problem, read in inputs:
        if written in path.resolve().parents:
            continue  # a page of an earlier run, in the folder being viewed
        if problem is not None:
            failures.append(f"{path}: {problem}")
            continue
        try:
            doc = read()
            records = process_document(doc)
            findings = check_document(doc, records, read_document_tables(doc)).findings
        except (IngestError, GoldError) as exc:
            failures.append(f"{path}: {exc}")
            continue
        except PatternError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
            failures.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
            continue
        doc_gold = gold.get(doc.doc_id) if gold is not None else None
        source = str(path)
        if path.suffix.lower() in READERS:
            source += " (text extracted from the file; spans index this text)"
        name = _page_name(doc.doc_id, taken)
        page, statuses = _render(
            doc.raw, doc.doc_id, records, doc_gold, source, "index.html", findings
        )
        (out_dir / name).write_text(page, encoding="utf-8")
        kinds = {k: 0 for k in QUANTITY_KINDS}
        for r in records:
            for q in r.quantities:
                kinds[q.kind] = kinds.get(q.kind, 0) + 1
        f1 = None
        if doc_gold is not None:
            result = evaluate({doc.doc_id: doc_gold}, {doc.doc_id: records})
            f1 = result.quantity.f1
        summaries.append(
            DocumentSummary(
                doc_id=doc.doc_id,
                page=name,
                source=path.name,
                chars=len(doc.raw),
                records=len(records),
                kinds=kinds,
                events=len({(r.event.start, r.event.end) for r in records if r.event}),
                statuses=statuses,
                f1=f1,
                findings={st: sum(f.status == st for f in findings) for st in FINDING_COLOURS},
            )
        )
    (out_dir / "index.html").write_text(render_index(summaries, failures), encoding="utf-8")
    return summaries, failures
