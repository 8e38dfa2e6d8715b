"""Evaluate indicator records: gold indicator records + predicted ones → scores.

SCHEMA.md, "Indicator records": names are paired one to one where their spans overlap
(each gold record, in reading order, takes the first unpaired prediction that overlaps
it); the scores are name P/R/F1 and, on the pairs, the accuracy of ``target.value``,
``actual.value``, the target's ``comparator``, ``score`` and ``met``.

A gold folder holds ``<doc_id>.jsonl`` files of indicator records; its documents are
found as for the activity gold (``golddocs``: ``docs.json``, else ``GOLD/docs``).
``load_indicator_gold`` checks every span against the document's text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .evaluate import Accuracy, Score, greedy_pairs, values_equal
from .golddocs import GoldError, load, locate
from .schema import SchemaError
from .tables import IndicatorRecord, IndicatorValue, read_document_tables

__all__ = [
    "ATTRIBUTES",
    "IndicatorScores",
    "evaluate_indicators",
    "format_indicator_report",
    "load_indicator_file",
    "load_indicator_gold",
    "predict_indicators",
]

ATTRIBUTES = ("target", "actual", "comparator", "score", "met")


@dataclass
class IndicatorScores:
    name: Score
    attributes: dict[str, Accuracy]
    per_document: dict[str, Score] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name.to_json(),
            "attributes": {k: a.to_json() for k, a in self.attributes.items()},
            "per_document": {d: s.to_json() for d, s in self.per_document.items()},
        }


def load_indicator_file(path: Path) -> dict[str, list[IndicatorRecord]]:
    """Indicator records of one JSONL file, by doc_id; ``GoldError`` names a bad line."""
    grouped: dict[str, list[IndicatorRecord]] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = IndicatorRecord.from_dict(json.loads(line))
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from None
        except SchemaError as exc:
            raise GoldError(f"{path}:{lineno}: {exc}") from None
        grouped.setdefault(record.doc_id, []).append(record)
    return grouped


def load_indicator_gold(gold_dir: Path) -> tuple[dict[str, list[IndicatorRecord]], dict]:
    """The gold indicator records of a folder and each document (``golddocs``), every
    span checked against the document's text."""
    gold: dict[str, list[IndicatorRecord]] = {}
    docs = {}
    for path in sorted(gold_dir.glob("*.jsonl")):
        for doc_id, records in load_indicator_file(path).items():
            gold.setdefault(doc_id, []).extend(records)
    for doc_id, records in gold.items():
        source = locate(gold_dir, gold_dir / "docs", doc_id)
        if source is None:
            raise GoldError(f"{gold_dir}: no document for {doc_id} (nor in docs.json)")
        doc = load(source)
        for record in records:
            mentions = [record.name] + [v for v in (record.target, record.actual) if v]
            for m in mentions:
                if doc.raw[m.start : m.end] != m.text:
                    raise GoldError(
                        f"{gold_dir / (doc_id + '.jsonl')}: {record.indicator_id}: "
                        f"span [{m.start}, {m.end}) is {doc.raw[m.start : m.end]!r}, "
                        f"not {m.text!r}"
                    )
        docs[doc_id] = doc
    return gold, docs


def predict_indicators(docs: dict) -> dict[str, list[IndicatorRecord]]:
    """The indicator records the pipeline reads from each document."""
    return {doc_id: read_document_tables(doc).indicators for doc_id, doc in docs.items()}


def _overlap(g: IndicatorRecord, p: IndicatorRecord) -> bool:
    return g.name.start < p.name.end and p.name.start < g.name.end


def _value(v: IndicatorValue | None) -> float | None:
    return None if v is None else v.value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return values_equal(float(a), float(b))
    return a == b


def evaluate_indicators(
    gold: dict[str, list[IndicatorRecord]], pred: dict[str, list[IndicatorRecord]]
) -> IndicatorScores:
    """Name P/R/F1 (spans overlap) and attribute accuracies on the pairs, micro over
    the gold documents."""
    tp = n_gold = n_pred = 0
    counts = {a: [0, 0] for a in ATTRIBUTES}
    per_document: dict[str, Score] = {}
    for doc_id in sorted(gold):
        g, p = gold[doc_id], pred.get(doc_id, [])
        pairs = greedy_pairs(g, p, _overlap)
        per_document[doc_id] = Score.from_counts(len(pairs), len(g), len(p))
        tp, n_gold, n_pred = tp + len(pairs), n_gold + len(g), n_pred + len(p)
        for gi, pi in pairs:
            a, b = g[gi], p[pi]
            got = {
                "target": (_value(a.target), _value(b.target)),
                "actual": (_value(a.actual), _value(b.actual)),
                "comparator": (
                    a.target.comparator if a.target else None,
                    b.target.comparator if b.target else None,
                ),
                "score": (a.score, b.score),
                "met": (a.met, b.met),
            }
            for name, (want, have) in got.items():
                counts[name][0] += _same(want, have)
                counts[name][1] += 1
    return IndicatorScores(
        name=Score.from_counts(tp, n_gold, n_pred),
        attributes={a: Accuracy(c, t) for a, (c, t) in counts.items()},
        per_document=per_document,
    )


def format_indicator_report(scores: IndicatorScores, markdown: bool = False) -> str:
    """The scores as a plain table (or Markdown)."""
    s = scores.name
    if markdown:
        lines = [
            "| metric | P | R | F1 | tp | gold | pred |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| indicator name | {s.p:.3f} | {s.r:.3f} | {s.f1:.3f} | {s.tp} | {s.gold} "
            f"| {s.pred} |",
            "",
            "| attribute | accuracy | correct | total |",
            "|---|---:|---:|---:|",
        ]
        for name, acc in scores.attributes.items():
            value = "n/a" if acc.accuracy is None else f"{acc.accuracy:.3f}"
            lines.append(f"| {name} | {value} | {acc.correct} | {acc.total} |")
        return "\n".join(lines) + "\n"
    lines = [
        f"indicator name  P {s.p:.3f}  R {s.r:.3f}  F1 {s.f1:.3f}  "
        f"(tp {s.tp}, gold {s.gold}, pred {s.pred})"
    ]
    for name, acc in scores.attributes.items():
        value = "n/a" if acc.accuracy is None else f"{acc.accuracy:.3f}"
        lines.append(f"  {name:<11} accuracy {value}  ({acc.correct}/{acc.total})")
    for doc_id, score in scores.per_document.items():
        lines.append(f"  {doc_id}: name F1 {score.f1:.3f} ({score.tp}/{score.gold})")
    return "\n".join(lines)
