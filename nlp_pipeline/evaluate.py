"""Load, validate and score activity records against gold (see SCHEMA.md, "Scoring").

Gold and predictions share one format: JSON Lines of ``ActivityRecord`` objects.

Scoring, per document:

- Quantities of gold and prediction are flattened (each with its parent record), sorted
  in reading order (span start) and paired one to one, greedily: each gold quantity in
  turn takes the first unused predicted quantity of the same ``kind``, an equal ``value``
  (relative difference below 1e-9) and an overlapping span.
- A quantity pair is a *record* true positive when the two parent records also agree on
  the event: both ``null``, or both present with overlapping spans.
- Events are the distinct event spans of a document's records, paired the same way where
  spans overlap (and, for the typed score, types are equal).
- Attribute accuracies are counted over paired quantities (``qualifier``, ``unit``,
  ``level`` for awards, ``role`` for money) and over paired untyped events (``date``,
  ``location``, ``event_type``).

All scores are micro-averaged over the gold documents. A gold document with no
predictions counts as all misses; predicted documents absent from gold are ignored.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nlp_pipeline.golddocs import GoldError, load_raw, locate
from nlp_pipeline.ingest import IngestError, raw_text, read_bytes
from nlp_pipeline.schema import (
    QUANTITY_KINDS,
    ActivityRecord,
    Event,
    Mention,
    Quantity,
    Rate,
    SchemaError,
)

__all__ = [
    "Accuracy",
    "ErrorItem",
    "EvalResult",
    "GoldError",
    "QUANTITY_ATTRIBUTES",
    "EVENT_ATTRIBUTES",
    "Score",
    "evaluate",
    "find_document",
    "format_errors",
    "format_markdown_table",
    "format_report",
    "list_errors",
    "load_gold_dir",
    "load_jsonl",
    "load_predictions",
    "read_raw",
    "validate_gold",
    "values_equal",
]

QUANTITY_ATTRIBUTES: tuple[str, ...] = ("qualifier", "unit", "level", "role")
EVENT_ATTRIBUTES: tuple[str, ...] = ("date", "location", "event_type")

_UTF8_BOM = b"\xef\xbb\xbf"
_T = TypeVar("_T")


# --------------------------------------------------------------------------- loading


def read_raw(path: Path) -> str:
    """Return a document's raw text, the string that all spans index into: read and
    decoded exactly as ``extract`` reads it (``ingest.raw_text``), line endings kept.
    Raises ``IngestError`` for a file that cannot be read."""
    return raw_text(read_bytes(path), path)[0]


def _jsonl_lines(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """Yield ``(lineno, object, None)`` or ``(lineno, None, problem)`` per non-blank line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield 0, None, f"cannot read file: {exc.strerror or exc}"
        return
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    for lineno, raw_line in enumerate(data.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield lineno, None, f"invalid UTF-8 at byte {exc.start} of the line"
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})"
            continue
        yield lineno, obj, None


def _parse_record(obj: Any) -> tuple[ActivityRecord | None, str | None]:
    try:
        return ActivityRecord.from_dict(obj), None
    except SchemaError as exc:
        return None, f"schema error: {exc}"


def load_jsonl(path: Path) -> list[ActivityRecord]:
    """Read one JSON Lines file of records; blank lines are skipped.

    Raises ``GoldError("path:line: problem")`` on the first invalid UTF-8, invalid JSON
    or schema error.
    """
    records: list[ActivityRecord] = []
    for lineno, obj, problem in _jsonl_lines(path):
        if problem is None:
            record, problem = _parse_record(obj)
            if record is not None:
                records.append(record)
                continue
        raise GoldError(f"{path}:{lineno}: {problem}")
    return records


def _jsonl_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.jsonl") if p.is_file())


def load_gold_dir(gold_dir: Path) -> dict[str, list[ActivityRecord]]:
    """Load every ``*.jsonl`` directly in ``gold_dir``, keyed by file stem (the doc_id).

    A file with no records is a document annotated as having no quantities. A record
    whose ``doc_id`` differs from its file's stem raises ``GoldError``.
    """
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: not a directory")
    gold: dict[str, list[ActivityRecord]] = {}
    for path in _jsonl_files(gold_dir):
        records: list[ActivityRecord] = []
        for lineno, obj, problem in _jsonl_lines(path):
            record = None
            if problem is None:
                record, problem = _parse_record(obj)
            if record is None:
                raise GoldError(f"{path}:{lineno}: {problem}")
            if record.doc_id != path.stem:
                raise GoldError(
                    f"{path}:{lineno}: doc_id {record.doc_id!r} differs from the file name "
                    f"{path.stem!r}"
                )
            records.append(record)
        gold[path.stem] = records
    return gold


def load_predictions(path: Path) -> dict[str, list[ActivityRecord]]:
    """Load predictions from one JSONL file or a directory of them, grouped by doc_id."""
    files = _jsonl_files(path) if path.is_dir() else [path]
    grouped: dict[str, list[ActivityRecord]] = {}
    for file in files:
        for record in load_jsonl(file):
            grouped.setdefault(record.doc_id, []).append(record)
    return grouped


def find_document(docs_dir: Path, doc_id: str) -> Path | None:
    """Return the file in ``docs_dir`` whose name without extension is ``doc_id``."""
    if not docs_dir.is_dir():
        return None
    matches = sorted(p for p in docs_dir.iterdir() if p.is_file() and p.stem == doc_id)
    return matches[0] if matches else None


# ------------------------------------------------------------------------ validation


def _check_span(raw: str, mention: Mention, where: str) -> str | None:
    if mention.end > len(raw):
        return (
            f"{where} span [{mention.start}, {mention.end}] lies outside the document "
            f"(length {len(raw)})"
        )
    found = raw[mention.start : mention.end]
    if found != mention.text:
        return (
            f"{where} text {mention.text!r} does not match raw[{mention.start}:{mention.end}]"
            f" = {found!r}"
        )
    return None


def _record_problems(record: ActivityRecord, obj: dict[str, Any], raw: str | None) -> list[str]:
    """Problems of one parsed record that ``from_dict`` does not catch."""
    problems: list[str] = []
    mentions: list[tuple[str, Mention]] = [("sentence", record.sentence)]
    if record.event is not None:
        mentions.append(("event", record.event))
    if record.date is not None:
        mentions.append(("date", record.date))
    if record.location is not None:
        mentions.append(("location", record.location))
    mentions += [(f"organizers[{i}]", o) for i, o in enumerate(record.organizers)]
    mentions += [(f"quantities[{i}]", q) for i, q in enumerate(record.quantities)]
    mentions += [(f"rates[{i}]", r) for i, r in enumerate(record.rates)]
    if raw is not None:
        for where, mention in mentions:
            problem = _check_span(raw, mention, where)
            if problem:
                problems.append(problem)
    sentence = record.sentence
    raw_quantities = obj.get("quantities") or []
    for i, q in enumerate(record.quantities):
        where = f"quantities[{i}]"
        if q.start >= q.end:
            problems.append(f"{where} has an empty span [{q.start}, {q.end}]")
        if not (sentence.start <= q.start and q.end <= sentence.end):
            problems.append(
                f"{where} {q.text!r} [{q.start}, {q.end}] lies outside its sentence span "
                f"[{sentence.start}, {sentence.end}]"
            )
        if not math.isfinite(q.value):
            problems.append(f"{where}.value must be a finite number")
        if q.kind == "money" and q.role is None:
            problems.append(f"{where} is money and needs a 'role'")
        if q.kind == "award" and "level" not in raw_quantities[i]:
            problems.append(f"{where} is an award and needs a 'level' key (null allowed)")
    for i, rate in enumerate(record.rates):
        if not (sentence.start <= rate.start and rate.end <= sentence.end):
            problems.append(
                f"rates[{i}] {rate.text!r} [{rate.start}, {rate.end}] lies outside its "
                f"sentence span [{sentence.start}, {sentence.end}]"
            )
    return problems


def validate_gold(gold_dir: Path, docs_dir: Path) -> list[str]:
    """Check every gold file; return one-line problems ``"file:line: problem"`` (empty if valid).

    Checks: UTF-8, JSON and schema; doc_id equal to the file stem; the source document
    exists in ``docs_dir``; every span lies within the document and ``raw[start:end] ==
    text``; each quantity lies inside its record's sentence; no two quantities of a
    document overlap; money quantities have a ``role``; award quantities have a ``level``
    key.
    """
    if not gold_dir.is_dir():
        return [f"{gold_dir}:0: not a directory"]
    problems: list[str] = []
    for path in _jsonl_files(gold_dir):
        doc_id = path.stem
        parsed: list[tuple[int, ActivityRecord, dict[str, Any]]] = []
        for lineno, obj, problem in _jsonl_lines(path):
            record = None
            if problem is None:
                record, problem = _parse_record(obj)
            if record is None:
                problems.append(f"{path}:{lineno}: {problem}")
                continue
            if record.doc_id != doc_id:
                problems.append(
                    f"{path}:{lineno}: doc_id {record.doc_id!r} differs from the file name "
                    f"{doc_id!r}"
                )
            parsed.append((lineno, record, obj))

        raw: str | None = None
        first_line = parsed[0][0] if parsed else 1
        try:
            source = locate(gold_dir, docs_dir, doc_id)
        except GoldError as exc:
            problems.append(str(exc))
            source = None
        else:
            if source is None:
                problems.append(
                    f"{path}:{first_line}: source document {doc_id!r} not found in {docs_dir} "
                    f"nor in {gold_dir / 'docs.json'}"
                )
        if source is not None:
            try:
                raw = load_raw(source)
            except GoldError as exc:
                problems.append(str(exc))
            except IngestError as exc:
                problems.append(f"{path}:{first_line}: cannot read source document: {exc}")

        spans: list[tuple[int, int, int, str]] = []
        for lineno, record, obj in parsed:
            for problem in _record_problems(record, obj, raw):
                problems.append(f"{path}:{lineno}: {problem}")
            spans += [(q.start, q.end, lineno, q.text) for q in record.quantities]
        spans.sort()
        widest: tuple[int, int, int, str] | None = None
        for item in spans:
            start, end, lineno, text = item
            if widest is not None and start < widest[1] and start < end:
                problems.append(
                    f"{path}:{lineno}: overlapping duplicate quantities: {text!r} "
                    f"[{start}, {end}] overlaps {widest[3]!r} [{widest[0]}, {widest[1]}] "
                    f"(line {widest[2]})"
                )
            if widest is None or end > widest[1]:
                widest = item
    return problems


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 with the counts they come from."""

    p: float
    r: float
    f1: float
    tp: int
    gold: int
    pred: int

    @classmethod
    def from_counts(cls, tp: int, gold: int, pred: int) -> Score:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return cls(p=p, r=r, f1=f1, tp=tp, gold=gold, pred=pred)

    def to_json(self) -> dict[str, Any]:
        return {
            "p": self.p,
            "r": self.r,
            "f1": self.f1,
            "tp": self.tp,
            "gold": self.gold,
            "pred": self.pred,
        }


@dataclass(frozen=True)
class Accuracy:
    """Share of paired items whose attribute agrees; ``accuracy`` is None when none apply."""

    correct: int
    total: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass
class EvalResult:
    """All figures of one evaluation run; ``to_json`` gives the ``evaluate --json`` object."""

    quantity: Score
    record: Score
    event: Score
    event_untyped: Score
    per_kind: dict[str, Score]
    attributes: dict[str, Accuracy]
    per_document: dict[str, dict[str, Score]]
    ignored_documents: list[str] = field(default_factory=list)
    rate: Score = field(default_factory=lambda: Score.from_counts(0, 0, 0))
    record_per_kind: dict[str, Score] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "quantity": self.quantity.to_json(),
            "record": self.record.to_json(),
            "event": self.event.to_json(),
            "event_untyped": self.event_untyped.to_json(),
            "per_kind": {k: s.to_json() for k, s in self.per_kind.items()},
            "rate": self.rate.to_json(),
            "record_per_kind": {k: s.to_json() for k, s in self.record_per_kind.items()},
            "attributes": {k: a.to_json() for k, a in self.attributes.items()},
            "per_document": {
                doc: {name: s.to_json() for name, s in scores.items()}
                for doc, scores in self.per_document.items()
            },
            "documents": len(self.per_document),
            "ignored_documents": list(self.ignored_documents),
        }


def values_equal(a: float, b: float) -> bool:
    """Equal values: relative difference below 1e-9 (two zeros are equal)."""
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


@dataclass(frozen=True)
class _QItem:
    quantity: Quantity
    record: ActivityRecord


@dataclass(frozen=True)
class _EItem:
    event: Event
    record: ActivityRecord


@dataclass
class _DocAlignment:
    gold: list[_QItem]
    pred: list[_QItem]
    pairs: list[tuple[int, int]]

    def unpaired_gold(self) -> list[int]:
        used = {g for g, _ in self.pairs}
        return [i for i in range(len(self.gold)) if i not in used]

    def unpaired_pred(self) -> list[int]:
        used = {p for _, p in self.pairs}
        return [i for i in range(len(self.pred)) if i not in used]


def _flatten(records: list[ActivityRecord]) -> list[_QItem]:
    items = [_QItem(q, r) for r in records for q in r.quantities]
    items.sort(key=lambda it: (it.quantity.start, it.quantity.end))
    return items


def _quantities_match(g_item: _QItem, p_item: _QItem) -> bool:
    g, p = g_item.quantity, p_item.quantity
    return g.kind == p.kind and values_equal(g.value, p.value) and g.overlaps(p)


def greedy_pairs(
    gold: Sequence[_T], pred: Sequence[_T], match: Callable[[_T, _T], bool]
) -> list[tuple[int, int]]:
    """Pair indices one to one: each gold item in order takes the first unused match."""
    used = [False] * len(pred)
    pairs: list[tuple[int, int]] = []
    for g, g_item in enumerate(gold):
        for p, p_item in enumerate(pred):
            if not used[p] and match(g_item, p_item):
                used[p] = True
                pairs.append((g, p))
                break
    return pairs


def _align(gold: list[ActivityRecord], pred: list[ActivityRecord]) -> _DocAlignment:
    g_items, p_items = _flatten(gold), _flatten(pred)
    pairs = greedy_pairs(g_items, p_items, _quantities_match)
    return _DocAlignment(g_items, p_items, pairs)


def _rates(records: list[ActivityRecord]) -> list[Rate]:
    return sorted((r for rec in records for r in rec.rates), key=lambda r: (r.start, r.end))


def _rates_match(g: Rate, p: Rate) -> bool:
    return g.kind == p.kind and values_equal(g.value, p.value) and g.overlaps(p)


def _events_agree(a: Event | None, b: Event | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.overlaps(b)


def _distinct_events(records: list[ActivityRecord]) -> list[_EItem]:
    """Distinct event spans in reading order; the first record naming a span represents it."""
    seen: dict[tuple[int, int], _EItem] = {}
    for record in records:
        ev = record.event
        if ev is not None and (ev.start, ev.end) not in seen:
            seen[(ev.start, ev.end)] = _EItem(ev, record)
    return sorted(seen.values(), key=lambda it: (it.event.start, it.event.end))


def _events_match(g: _EItem, p: _EItem) -> bool:
    return g.event.overlaps(p.event)


def _events_match_typed(g: _EItem, p: _EItem) -> bool:
    return g.event.overlaps(p.event) and g.event.type == p.event.type


def _attribute_checks(g: Quantity, p: Quantity) -> list[tuple[str, Any, Any]]:
    """The quantity attributes that apply to a pair: ``(name, gold value, pred value)``."""
    checks: list[tuple[str, Any, Any]] = [
        ("qualifier", g.qualifier, p.qualifier),
        ("unit", g.unit, p.unit),
    ]
    if g.kind == "award":
        checks.append(("level", g.level, p.level))
    if g.kind == "money":
        checks.append(("role", g.role, p.role))
    return checks


def _location_agrees(a: Mention | None, b: Mention | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.overlaps(b)


class _Counts:
    def __init__(self) -> None:
        self.tp = 0
        self.gold = 0
        self.pred = 0

    def score(self) -> Score:
        return Score.from_counts(self.tp, self.gold, self.pred)


def evaluate(
    gold: dict[str, list[ActivityRecord]], pred: dict[str, list[ActivityRecord]]
) -> EvalResult:
    """Score predictions against gold, both keyed by doc_id (see the module docstring).

    Every gold document is scored; one missing from ``pred`` counts as all misses.
    Predicted documents absent from ``gold`` are ignored (listed in
    ``EvalResult.ignored_documents``).
    """
    quantity, record, event, event_untyped = _Counts(), _Counts(), _Counts(), _Counts()
    per_kind = {kind: _Counts() for kind in QUANTITY_KINDS}
    record_kind = {kind: _Counts() for kind in QUANTITY_KINDS}
    rate = _Counts()
    attr_correct = dict.fromkeys(QUANTITY_ATTRIBUTES + EVENT_ATTRIBUTES, 0)
    attr_total = dict.fromkeys(QUANTITY_ATTRIBUTES + EVENT_ATTRIBUTES, 0)
    per_document: dict[str, dict[str, Score]] = {}

    for doc_id in sorted(gold):
        gold_records = gold[doc_id]
        pred_records = pred.get(doc_id, [])
        al = _align(gold_records, pred_records)

        doc_q, doc_r = _Counts(), _Counts()
        for counts in (quantity, record, doc_q, doc_r):
            counts.gold += len(al.gold)
            counts.pred += len(al.pred)
        for table in (per_kind, record_kind):
            for it in al.gold:
                table.setdefault(it.quantity.kind, _Counts()).gold += 1
            for it in al.pred:
                table.setdefault(it.quantity.kind, _Counts()).pred += 1
        for g, p in al.pairs:
            gi, pi = al.gold[g], al.pred[p]
            quantity.tp += 1
            doc_q.tp += 1
            per_kind[gi.quantity.kind].tp += 1
            if _events_agree(gi.record.event, pi.record.event):
                record.tp += 1
                doc_r.tp += 1
                record_kind[gi.quantity.kind].tp += 1
            for name, gv, pv in _attribute_checks(gi.quantity, pi.quantity):
                attr_total[name] += 1
                attr_correct[name] += gv == pv
        per_document[doc_id] = {"quantity": doc_q.score(), "record": doc_r.score()}
        g_rates, p_rates = _rates(gold_records), _rates(pred_records)
        rate.gold += len(g_rates)
        rate.pred += len(p_rates)
        rate.tp += len(greedy_pairs(g_rates, p_rates, _rates_match))

        g_events, p_events = _distinct_events(gold_records), _distinct_events(pred_records)
        for counts in (event, event_untyped):
            counts.gold += len(g_events)
            counts.pred += len(p_events)
        event.tp += len(greedy_pairs(g_events, p_events, _events_match_typed))
        untyped_pairs = greedy_pairs(g_events, p_events, _events_match)
        event_untyped.tp += len(untyped_pairs)
        for g, p in untyped_pairs:
            ge, pe = g_events[g], p_events[p]
            g_date = ge.record.date.value if ge.record.date else None
            p_date = pe.record.date.value if pe.record.date else None
            checks = (
                ("date", g_date == p_date),
                ("location", _location_agrees(ge.record.location, pe.record.location)),
                ("event_type", ge.event.type == pe.event.type),
            )
            for name, ok in checks:
                attr_total[name] += 1
                attr_correct[name] += ok

    return EvalResult(
        quantity=quantity.score(),
        record=record.score(),
        event=event.score(),
        event_untyped=event_untyped.score(),
        per_kind={kind: counts.score() for kind, counts in per_kind.items()},
        attributes={name: Accuracy(attr_correct[name], attr_total[name]) for name in attr_total},
        per_document=per_document,
        ignored_documents=sorted(set(pred) - set(gold)),
        rate=rate.score(),
        record_per_kind={kind: counts.score() for kind, counts in record_kind.items()},
    )


# ----------------------------------------------------------------------- error lists


@dataclass(frozen=True)
class ErrorItem:
    """One scoring error.

    ``category`` is ``MISS`` (gold quantity unpaired), ``EXTRA`` (predicted quantity
    unpaired), ``ATTACH`` (pair whose events disagree) or ``ATTR`` (pair whose
    ``attribute`` differs: ``gold_value`` vs ``pred_value``). ``text``, ``start``, ``end``
    and ``value`` describe the gold quantity, or the predicted one for ``EXTRA``.
    """

    category: str
    doc_id: str
    kind: str
    text: str
    start: int
    end: int
    value: float
    gold_event: str | None
    pred_event: str | None
    sentence: str
    attribute: str | None = None
    gold_value: Any = None
    pred_value: Any = None
    # The quantities and gold record themselves, for tools that mark them (the view).
    gold_quantity: Quantity | None = None
    pred_quantity: Quantity | None = None
    gold_record: ActivityRecord | None = None


def _error_item(
    category: str,
    doc_id: str,
    it: _QItem,
    gold_event: Event | None,
    pred_event: Event | None,
    pred: _QItem | None = None,
    **extra: Any,
) -> ErrorItem:
    """An error about ``it`` (the gold item, or the predicted one for EXTRA); ``pred`` is
    the predicted partner of a paired gold item."""
    q = it.quantity
    is_gold = category != "EXTRA"
    partner = it if not is_gold else pred
    return ErrorItem(
        category=category,
        doc_id=doc_id,
        kind=q.kind,
        text=q.text,
        start=q.start,
        end=q.end,
        value=q.value,
        gold_event=gold_event.text if gold_event else None,
        pred_event=pred_event.text if pred_event else None,
        sentence=it.record.sentence.text,
        gold_quantity=q if is_gold else None,
        pred_quantity=partner.quantity if partner else None,
        gold_record=it.record if is_gold else None,
        **extra,
    )


def list_errors(
    gold: dict[str, list[ActivityRecord]], pred: dict[str, list[ActivityRecord]]
) -> list[ErrorItem]:
    """Every miss, extra, wrong attachment and attribute mismatch, by document and position.

    Uses the same pairing as ``evaluate``; predicted documents absent from gold are ignored.
    """
    items: list[ErrorItem] = []
    for doc_id in sorted(gold):
        al = _align(gold[doc_id], pred.get(doc_id, []))
        doc_items: list[ErrorItem] = []
        for g in al.unpaired_gold():
            it = al.gold[g]
            doc_items.append(_error_item("MISS", doc_id, it, it.record.event, None))
        for p in al.unpaired_pred():
            it = al.pred[p]
            doc_items.append(_error_item("EXTRA", doc_id, it, None, it.record.event))
        for g, p in al.pairs:
            gi, pi = al.gold[g], al.pred[p]
            ge, pe = gi.record.event, pi.record.event
            if not _events_agree(ge, pe):
                doc_items.append(_error_item("ATTACH", doc_id, gi, ge, pe, pi))
            for name, gv, pv in _attribute_checks(gi.quantity, pi.quantity):
                if gv != pv:
                    doc_items.append(
                        _error_item(
                            "ATTR",
                            doc_id,
                            gi,
                            ge,
                            pe,
                            pi,
                            attribute=name,
                            gold_value=gv,
                            pred_value=pv,
                        )
                    )
        doc_items.sort(key=lambda e: (e.start, e.end))
        items += doc_items
    return items


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _format_error(item: ErrorItem) -> str:
    head = (
        f"{item.category:<6} [{item.kind}] {_one_line(item.text)} ({_number(item.value)}) "
        f"@{item.start}-{item.end}"
    )
    if item.category == "MISS":
        events = f"event={item.gold_event}"
    elif item.category == "EXTRA":
        events = f"event={item.pred_event}"
    else:
        events = f"gold event={item.gold_event} pred event={item.pred_event}"
    if item.category == "ATTR":
        head += f"  {item.attribute}: gold={item.gold_value!r} pred={item.pred_value!r}"
    return f"{head}  {events} | sentence: {_one_line(item.sentence)}"


def format_errors(items: list[ErrorItem]) -> str:
    """Readable error list, one line per item, grouped under a header per document."""
    lines: list[str] = []
    current: str | None = None
    for item in items:
        if item.doc_id != current:
            if lines:
                lines.append("")
            lines.append(f"== {item.doc_id} ==")
            current = item.doc_id
        lines.append(_format_error(item))
    return "\n".join(lines) + ("\n" if lines else "")


# ------------------------------------------------------------------------- reporting


def _score_row(name: str, s: Score, width: int) -> str:
    return f"{name:<{width}}  {s.p:6.3f} {s.r:6.3f} {s.f1:6.3f}  {s.tp:6d} {s.gold:6d} {s.pred:6d}"


def _score_table(rows: list[tuple[str, Score]], title: str) -> list[str]:
    width = max([len(title)] + [len(name) for name, _ in rows])
    header = f"{title:<{width}}  {'P':>6} {'R':>6} {'F1':>6}  {'tp':>6} {'gold':>6} {'pred':>6}"
    return [header, "-" * len(header)] + [_score_row(n, s, width) for n, s in rows]


def _headline(result: EvalResult) -> list[tuple[str, Score]]:
    return [
        ("quantity", result.quantity),
        ("record", result.record),
        ("event", result.event),
        ("event_untyped", result.event_untyped),
        ("rate", result.rate),
    ]


def format_report(result: EvalResult) -> str:
    """Plain-text report: headline scores, per kind, attribute accuracies, per document."""
    lines = _score_table(_headline(result), "metric")
    lines.append("")
    lines += _score_table(list(result.per_kind.items()), "kind")
    lines.append("")
    width = max(len("attribute"), *(len(k) for k in result.attributes))
    header = f"{'attribute':<{width}}  {'accuracy':>8}  {'correct':>7} {'total':>6}"
    lines += [header, "-" * len(header)]
    for name, acc in result.attributes.items():
        shown = "-" if acc.accuracy is None else f"{acc.accuracy:.3f}"
        lines.append(f"{name:<{width}}  {shown:>8}  {acc.correct:7d} {acc.total:6d}")
    lines.append("")
    width = max([len("document")] + [len(d) for d in result.per_document])
    header = (
        f"{'document':<{width}}  {'qty P':>6} {'qty R':>6} {'qty F1':>6}  "
        f"{'tp':>5} {'gold':>5} {'pred':>5}  {'rec F1':>6}"
    )
    lines += [header, "-" * len(header)]
    for doc_id, scores in result.per_document.items():
        q, r = scores["quantity"], scores["record"]
        lines.append(
            f"{doc_id:<{width}}  {q.p:6.3f} {q.r:6.3f} {q.f1:6.3f}  "
            f"{q.tp:5d} {q.gold:5d} {q.pred:5d}  {r.f1:6.3f}"
        )
    if result.ignored_documents:
        lines.append("")
        lines.append("ignored (no gold): " + ", ".join(result.ignored_documents))
    return "\n".join(lines) + "\n"


def format_markdown_table(result: EvalResult) -> str:
    """Markdown table of the headline scores and the per-kind quantity scores."""
    lines = [
        "| metric | P | R | F1 | tp | gold | pred |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = _headline(result) + [(f"quantity: {k}", s) for k, s in result.per_kind.items()]
    rows += [(f"record: {k}", s) for k, s in result.record_per_kind.items()]
    for name, s in rows:
        lines.append(
            f"| {name} | {s.p:.3f} | {s.r:.3f} | {s.f1:.3f} | {s.tp} | {s.gold} | {s.pred} |"
        )
    lines += ["", "| attribute | accuracy | correct | total |", "|---|---:|---:|---:|"]
    for name, acc in result.attributes.items():
        value = "n/a" if acc.accuracy is None else f"{acc.accuracy:.3f}"
        lines.append(f"| {name} | {value} | {acc.correct} | {acc.total} |")
    return "\n".join(lines) + "\n"
