"""Plant inconsistencies into real reports and measure how many `check` finds.

    python3 benchmarks/plant.py                      # bundled reports + ../shared/corpus-pdf
    python3 benchmarks/plant.py --pdf none --limit 50 --json

The documents are copied into a temporary folder (a PDF as the text pypdf extracts,
saved as .txt), and `check` runs on each copy as it is: its findings on the unaltered
documents are reported by status, every mismatch listed, for a reader to judge.

Then, one at a time, a claim that an unaltered document states consistently (an `ok`
finding) is broken by changing one thing it rests on:

- a stated figure or rate: its first significant digit goes up by one (9 becomes 1,
  a zero 5), so 307.82 万元 becomes 407.82 万元 and 98.69% 18.69%;
- a comparison word: 小于 and 大于, 低于 and 高于, 减少 and 增加, 下降 and 增长 trade places;
- an indicator's actual value: set on the wrong side of its target (half a target it
  must reach, twice one it must stay under).

A change the rounding of the claim's figures could hide (0.01 万元 more in a claim
that also rests on 8 万元, written without decimals) is no inconsistency by the
digits written, and is not planted.

The mutated copy is checked again from scratch (extraction, tables, checks). A planted
inconsistency counts as found when a finding of the same check kind that is not `ok`
uses the changed text. Recall is reported per check kind: found ÷ planted, where a
change counts once for every kind that had an `ok` finding resting on it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp_pipeline.check import CHECKS, check_document  # noqa: E402
from nlp_pipeline.formats import read_pdf, save_text  # noqa: E402
from nlp_pipeline.ingest import document_from_text, read_bytes, read_document  # noqa: E402
from nlp_pipeline.records import extract_document  # noqa: E402
from nlp_pipeline.tables import parse_value, read_document_tables  # noqa: E402

WORD_SWAPS = {
    "小于": "大于", "大于": "小于", "低于": "高于", "高于": "低于", "减少": "增加",
    "增加": "减少", "下降": "增长", "增长": "下降", "降低": "提高", "提高": "降低",
}  # fmt: skip


@dataclass(frozen=True)
class Mutation:
    """One planted inconsistency: ``text[start:end]`` becomes ``new``."""

    doc_id: str
    start: int
    end: int
    old: str
    new: str
    kinds: tuple[str, ...]  # the check kinds whose ok findings rested on the old text


@dataclass
class Report:
    documents: int = 0
    unaltered: dict[str, dict[str, int]] = field(default_factory=dict)
    mismatches: list[dict] = field(default_factory=list)
    planted: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    missed: list[dict] = field(default_factory=list)

    def recall(self) -> dict[str, float]:
        return {k: self.found.get(k, 0) / n for k, n in self.planted.items() if n}


def findings_of(doc_id: str, text: str) -> list[dict]:
    """The findings of one document's text, as JSON objects."""
    doc = document_from_text(text, doc_id)
    result = check_document(doc, extract_document(doc), read_document_tables(doc))
    return [f.to_dict() for f in result.findings]


def bump_digit(number: str) -> str | None:
    """The first significant digit up by one (9 → 1, an all-zero figure's first 0 → 5)."""
    for i, ch in enumerate(number):
        if ch.isdigit() and ch != "0":
            return number[:i] + ("1" if ch == "9" else str(int(ch) + 1)) + number[i + 1 :]
    first = next((i for i, ch in enumerate(number) if ch.isdigit()), None)
    return None if first is None else number[:first] + "5" + number[first + 1 :]


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figure_mutation(text: str) -> str | None:
    """A figure or rate with its first number's leading digit raised."""
    m = _NUMBER.search(text)
    if m is None:
        return None
    new = bump_digit(m.group())
    return None if new is None else text[: m.start()] + new + text[m.end() :]


def word_mutation(text: str) -> str | None:
    """A comparison word turned into its opposite."""
    for word, opposite in WORD_SWAPS.items():
        if word in text:
            return text.replace(word, opposite, 1)
    return None


def violating_actual(finding: dict) -> tuple[dict, str] | None:
    """For an indicator that meets its target: its actual cell and a value on the wrong
    side of the target (half of a target to reach, twice one to stay under)."""
    name, *cells = finding["evidence"]
    if len(cells) != 2:
        return None
    target, actual = cells
    t, a = parse_value(target["text"]), parse_value(actual["text"])
    m = _NUMBER.search(actual["text"])
    n = _NUMBER.search(target["text"])
    if t is None or a is None or t.value is None or a.value is None or m is None or n is None:
        return None
    if a.value != t.value:
        capped = a.value < t.value
    else:
        capped = t.comparator in ("<=", "<") or "限额" in name["text"]
    value = float(n.group().replace(",", "")) * (2 if capped else 0.5) + (1 if capped else 0)
    decimals = len(m.group().split(".")[1]) if "." in m.group() else 0
    number = f"{value:.{decimals}f}" if decimals else str(int(value))
    return actual, actual["text"][: m.start()] + number + actual["text"][m.end() :]


def _amount(text: str) -> tuple[float, float] | None:
    """A money or count figure's value and half its last written digit, in base units
    (None for a rate)."""
    m = _NUMBER.search(text)
    if m is None or "%" in text:
        return None
    number = m.group().replace(",", "")
    factor = 1e8 if "亿" in text else 1e4 if "万" in text else 1.0
    decimals = len(number.split(".")[1]) if "." in number else 0
    return float(number) * factor, 0.5 * 10.0**-decimals * factor


def beyond_rounding(finding: dict, old: str, new: str) -> bool:
    """Whether changing ``old`` to ``new`` breaks the claim by more than the rounding of
    the figures it rests on could hide (a change to a rate or a word always does)."""
    before, after = _amount(old), _amount(new)
    if before is None or after is None:
        return True
    halves = [a[1] for e in finding["evidence"] if (a := _amount(e["text"])) is not None]
    return abs(after[0] - before[0]) > 2 * sum(halves)


def mutations(doc_id: str, text: str, findings: list[dict]) -> list[Mutation]:
    """One mutation per piece of text that ok findings rest on, with their kinds."""
    planned: dict[tuple[int, int, str], set[str]] = {}
    for f in findings:
        if f["status"] != "ok":
            continue
        if f["check"] == "target" and len(f["evidence"]) == 2:  # a narrative count
            start, end = f["evidence"][0]["span"]
            new = figure_mutation(text[start:end])
            if new is not None:
                planned.setdefault((start, end, new), set()).add("target")
            continue
        if f["check"] == "target":
            found = violating_actual(f)
            if found is not None:
                cell, new = found
                planned.setdefault((*cell["span"], new), set()).add("target")
            continue
        for i, e in enumerate(f["evidence"]):
            if e["span"] is None or e.get("table"):
                continue
            if i == 0 and f["check"] in ("execution_rate", "share") and f["computed"] == 0:
                continue  # nothing over any base is still nothing: no inconsistency
            start, end = e["span"]
            old = text[start:end]
            if f["check"] == "direction":
                new = word_mutation(old) if not _NUMBER.search(old) else None
            else:
                new = figure_mutation(old)
            if new is not None and new != old and beyond_rounding(f, old, new):
                planned.setdefault((start, end, new), set()).add(f["check"])
    return [
        Mutation(doc_id, start, end, text[start:end], new, tuple(sorted(kinds)))
        for (start, end, new), kinds in sorted(planned.items())
    ]


def run_mutation(item: tuple[Mutation, str]) -> tuple[Mutation, list[str]]:
    """The check kinds that report the planted change (a finding not ok, using it)."""
    m, text = item
    changed = text[: m.start] + m.new + text[m.end :]
    end = m.start + len(m.new)
    hit = []
    for f in findings_of(m.doc_id, changed):
        if f["status"] == "ok" or f["check"] not in m.kinds:
            continue
        spans = [e["span"] for e in f["evidence"] if e["span"] is not None]
        if any(s < end and m.start < e for s, e in spans):
            hit.append(f["check"])
    return m, sorted(set(hit))


def documents(docs: Path, pdf: Path | None, workdir: Path) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` of each report, copied into ``workdir`` (a PDF as its text)."""
    for path in sorted(p for p in docs.iterdir() if p.suffix in (".txt", ".md")):
        copy = workdir / path.name
        copy.write_bytes(read_bytes(path))
        doc = read_document(copy)
        yield doc.doc_id, doc.raw
    if pdf is None or not pdf.is_dir():
        return
    for path in sorted(pdf.glob("*.pdf")):
        doc = document_from_text(read_pdf(read_bytes(path)), path.stem)
        copy = save_text(doc, workdir)
        yield doc.doc_id, read_document(copy).raw


def plant(docs: Path, pdf: Path | None, workers: int, limit: int | None) -> Report:
    report = Report()
    with tempfile.TemporaryDirectory(prefix="plant-") as tmp:
        texts = dict(documents(docs, pdf, Path(tmp)))
    report.documents = len(texts)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        originals = dict(zip(texts, pool.map(findings_of, texts, texts.values()), strict=True))
        jobs: list[tuple[Mutation, str]] = []
        for doc_id, findings in originals.items():
            counts = report.unaltered.setdefault(doc_id, {})
            for f in findings:
                counts[f["status"]] = counts.get(f["status"], 0) + 1
                if f["status"] != "ok":
                    report.mismatches.append(f)
            jobs += [(m, texts[doc_id]) for m in mutations(doc_id, texts[doc_id], findings)]
        if limit is not None:
            jobs = jobs[:: max(1, len(jobs) // limit)][:limit]
        for m, hit in pool.map(run_mutation, jobs, chunksize=4):
            for kind in m.kinds:
                report.planted[kind] = report.planted.get(kind, 0) + 1
                if kind in hit:
                    report.found[kind] = report.found.get(kind, 0) + 1
                else:
                    report.missed.append({**asdict(m), "kind": kind})
    return report


def format_report(report: Report) -> str:
    lines = [f"{report.documents} documents", "", "Findings on the unaltered documents:"]
    lines.append("| document | ok | mismatch | unmet |")
    lines.append("|---|---:|---:|---:|")
    for doc_id, counts in report.unaltered.items():
        row = " | ".join(str(counts.get(s, 0)) for s in ("ok", "mismatch", "unmet"))
        lines.append(f"| {doc_id} | {row} |")
    lines += ["", "Planted inconsistencies found (recall):"]
    lines += ["| check | planted | found | recall |", "|---|---:|---:|---:|"]
    recall = report.recall()
    for kind in CHECKS:
        if kind in report.planted:
            n, k = report.planted[kind], report.found.get(kind, 0)
            lines.append(f"| {kind} | {n} | {k} | {recall[kind]:.3f} |")
    total, hit = sum(report.planted.values()), sum(report.found.values())
    lines.append(f"| all | {total} | {hit} | {hit / total if total else 0:.3f} |")
    lines += ["", "Mismatches and unmet targets on the unaltered documents:"]
    lines += [
        f"- {f['doc_id']}: {f['check']} {f['status']}: {f['message']}" for f in report.mismatches
    ]
    if report.missed:
        lines += ["", "Planted and not found:"]
        lines += [f"- {m['doc_id']} [{m['start']}, {m['end']}) {m['old']!r} → {m['new']!r} "
                  f"({m['kind']})" for m in report.missed]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "gold" / "docs")
    parser.add_argument("--pdf", default=str(ROOT.parent / "shared" / "corpus-pdf"),
                        help="folder of PDFs to add (their text), or 'none'")  # fmt: skip
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, help="plant at most this many (spread evenly)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    pdf = None if args.pdf == "none" else Path(args.pdf)
    if pdf is not None and not pdf.is_dir():
        print(f"plant: {pdf} not found: the bundled reports only", file=sys.stderr)
        pdf = None
    report = plant(args.docs, pdf, args.workers, args.limit)
    if args.json:
        print(json.dumps({**asdict(report), "recall": report.recall()}, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
