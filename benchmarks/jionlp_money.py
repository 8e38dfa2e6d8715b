"""Money figures side by side: JioNLP's ``extract_money`` and nlp_pipeline on the gold set.

JioNLP is in the ``bench`` extra, never a runtime dependency::

    pip install -e ".[bench]"
    python3 benchmarks/jionlp_money.py [--gold gold] [--docs gold/docs]

Both systems are scored on the gold ``money`` quantities with the project's matching
rule (SCHEMA.md, "Scoring"): gold and predicted mentions, in reading order, are paired
one to one where the values are equal (relative difference below 1e-9) and the spans
overlap; the kind is ``money`` on both sides by construction.

What each system sees:

- nlp_pipeline runs on the whole document (``extract_file``); its mentions are the
  quantities of kind ``money``.
- JioNLP cannot tell prose from table rows, which gold leaves out, so it runs on the
  prose: the sentence spans of the gold records and of our own records, overlapping
  spans merged, each passed to ``extract_money`` on its own. Its ``offset`` (into the
  string passed) plus the region start gives the raw span. A second row runs JioNLP on
  each whole document, tables included, as a user calling it on a report would.

JioNLP's value: ``detail["num"]`` as a float. For a vague amount or a range it gives a
pair of bounds (``5万余元`` -> ``["50000.00", "60000.00"]``, ``2-3万元``); the lower
bound is taken, which is how SCHEMA.md values ``5万余元`` (50000). ``detail["case"]`` is
the currency; like SCHEMA.md, the value stays in that currency (no conversion).

Besides P/R/F1 the table gives, over *located* gold amounts (paired with a prediction
whose span overlaps, whatever its value), the share with the right value and the share
with exactly the gold span. The errors follow: wrong values, misses, spurious amounts
and span differences, with counts and examples.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp_pipeline import extract_file
from nlp_pipeline.evaluate import (
    find_document,
    greedy_pairs,
    load_gold_dir,
    read_raw,
    values_equal,
)
from nlp_pipeline.schema import ActivityRecord

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_PER_CATEGORY = 3

ExtractMoney = Callable[[str], list[dict[str, Any]]]


@dataclass(frozen=True)
class Money:
    """One amount of money (or, for ``kind`` other than money, a quantity) of document ``doc``."""

    start: int
    end: int
    text: str
    value: float
    kind: str = "money"
    doc: str = ""

    def overlaps(self, other: Money) -> bool:
        return self.doc == other.doc and self.start < other.end and other.start < self.end


@dataclass
class MoneyScore:
    """Pairing of one system's money mentions against gold, over one or more documents."""

    gold: int = 0
    pred: int = 0
    tp: int = 0
    located: int = 0
    exact_span: int = 0
    wrong_value: list[tuple[Money, Money]] = field(default_factory=list)
    missed: list[Money] = field(default_factory=list)
    spurious: list[Money] = field(default_factory=list)
    span_differs: list[tuple[Money, Money]] = field(default_factory=list)

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    @property
    def value_accuracy(self) -> float | None:
        return self.tp / self.located if self.located else None

    @property
    def span_accuracy(self) -> float | None:
        return self.exact_span / self.located if self.located else None

    def add(self, other: MoneyScore) -> None:
        """Add another document's counts and error lists to these."""
        self.gold += other.gold
        self.pred += other.pred
        self.tp += other.tp
        self.located += other.located
        self.exact_span += other.exact_span
        self.wrong_value += other.wrong_value
        self.missed += other.missed
        self.spurious += other.spurious
        self.span_differs += other.span_differs


def _reading_order(items: Iterable[Money]) -> list[Money]:
    return sorted(items, key=lambda m: (m.start, m.end))


def _same_amount(g: Money, p: Money) -> bool:
    return values_equal(g.value, p.value) and g.overlaps(p)


def _overlapping(g: Money, p: Money) -> bool:
    return g.overlaps(p)


def score_money(gold: Iterable[Money], pred: Iterable[Money]) -> MoneyScore:
    """Score one document's predicted money mentions against its gold money quantities.

    Matched (true positive): SCHEMA.md's rule, equal value and overlapping spans. The
    gold and predictions left over are paired again on overlap alone: those pairs are
    located amounts with a wrong value; what is still left is missed or spurious.
    """
    g_items, p_items = _reading_order(gold), _reading_order(pred)
    score = MoneyScore(gold=len(g_items), pred=len(p_items))
    matched = greedy_pairs(g_items, p_items, _same_amount)
    g_rest = sorted(set(range(len(g_items))) - {g for g, _ in matched})
    p_rest = sorted(set(range(len(p_items))) - {p for _, p in matched})
    near = [
        (g_rest[i], p_rest[j])
        for i, j in greedy_pairs(
            [g_items[g] for g in g_rest], [p_items[p] for p in p_rest], _overlapping
        )
    ]
    near_g, near_p = {g for g, _ in near}, {p for _, p in near}
    score.tp = len(matched)
    score.located = len(matched) + len(near)
    for g, p in matched + near:
        if (g_items[g].start, g_items[g].end) == (p_items[p].start, p_items[p].end):
            score.exact_span += 1
        else:
            score.span_differs.append((g_items[g], p_items[p]))
    score.wrong_value = [(g_items[g], p_items[p]) for g, p in near]
    score.missed = [g_items[g] for g in g_rest if g not in near_g]
    score.spurious = [p_items[p] for p in p_rest if p not in near_p]
    return score


# ------------------------------------------------------------------------ the systems


def jionlp_value(detail: dict[str, Any]) -> float:
    """The value of a JioNLP money ``detail``: its number, the lower bound of a pair."""
    num = detail["num"]
    if isinstance(num, list):
        num = num[0]
    return float(num)


def merge_regions(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def jionlp_mentions(
    raw: str, regions: Iterable[tuple[int, int]], extract: ExtractMoney, doc: str = ""
) -> list[Money]:
    """JioNLP's money mentions in ``regions`` of ``raw``, with raw spans."""
    found: list[Money] = []
    for start, end in regions:
        for item in extract(raw[start:end]):
            m_start, m_end = item["offset"]
            value = jionlp_value(item["detail"])
            found.append(Money(start + m_start, start + m_end, item["text"], value, doc=doc))
    return found


def record_quantities(records: Iterable[ActivityRecord]) -> list[Money]:
    """Every quantity of ``records`` as a ``Money`` carrying its kind and document."""
    return [
        Money(q.start, q.end, q.text, q.value, q.kind, r.doc_id)
        for r in records
        for q in r.quantities
    ]


def load_extract_money() -> ExtractMoney:
    """JioNLP's ``extract_money`` with parsing; exits with a message if it is not installed.

    JioNLP prints a banner on stdout when imported; it is swallowed.
    """
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import jionlp
    except ImportError:
        sys.exit(
            "jionlp is not installed: pip install -e '.[bench]' (or pip install jionlp), "
            "then run this script again"
        )

    def extract(text: str) -> list[dict[str, Any]]:
        return jionlp.ner.extract_money(text, with_parsing=True)

    return extract


# ---------------------------------------------------------------------------- report


@dataclass
class SystemRun:
    """One system's score over all gold documents."""

    name: str
    score: MoneyScore = field(default_factory=MoneyScore)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def format_table(runs: Sequence[SystemRun]) -> str:
    """The Markdown score table, one row per system."""
    lines = [
        "| System | Gold | Predicted | Matched | P | R | F1 | Located | Value acc. | Exact span |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        s = run.score
        lines.append(
            f"| {run.name} | {s.gold} | {s.pred} | {s.tp} | {s.p:.3f} | {s.r:.3f} | "
            f"{s.f1:.3f} | {s.located} | {_pct(s.value_accuracy)} | {_pct(s.span_accuracy)} |"
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _show(m: Money) -> str:
    return f"`{m.text.strip() or m.text}` ({_number(m.value)})"


def _span_difference(g: Money, p: Money) -> str:
    if p.text.strip() == g.text.strip():
        return "same text, spaces around it included or left out"
    if p.start <= g.start and g.end <= p.end:
        return "wider than gold"
    if g.start <= p.start and p.end <= g.end:
        return "narrower than gold"
    return "shifted against gold"


def in_table_row(raw: str, m: Money) -> bool:
    """Whether the line holding ``m`` is a table row (tab- or pipe-separated, or HTML)."""
    line_start = raw.rfind("\n", 0, m.start) + 1
    line_end = raw.find("\n", m.end)
    line = raw[line_start : len(raw) if line_end < 0 else line_end]
    return "\t" in line or "|" in line or "<td" in line


def _categories(
    score: MoneyScore,
    others: Sequence[Money],
    gold_others: Sequence[Money],
    raws: dict[str, str],
) -> list[tuple[str, list[str]]]:
    """Error categories of one system: ``(title, example lines)``; counts are lengths."""
    wrong = [f"gold {_show(g)} → {_show(p)}" for g, p in score.wrong_value]
    found_other: list[str] = []
    not_found: list[str] = []
    for g in score.missed:
        hit = next((o for o in others if o.overlaps(g)), None)
        if hit is not None:
            found_other.append(f"{_show(g)} extracted as {hit.kind} `{hit.text}`")
        else:
            not_found.append(_show(g))
    other_kind: list[str] = []
    table: list[str] = []
    not_gold: list[str] = []
    for p in score.spurious:
        hit = next((o for o in gold_others if o.overlaps(p)), None)
        if hit is not None:
            other_kind.append(f"{_show(p)}, gold: {hit.kind} `{hit.text}`")
        elif in_table_row(raws[p.doc], p):
            table.append(_show(p))
        else:
            not_gold.append(_show(p))
    spans: dict[str, list[str]] = {}
    for g, p in score.span_differs:
        spans.setdefault(_span_difference(g, p), []).append(f"gold `{g.text}`, got `{p.text}`")
    return [
        ("wrong value (counted as a miss and a spurious amount)", wrong),
        ("missed: extracted as another kind", found_other),
        ("missed: not found", not_found),
        ("spurious: gold has another kind there", other_kind),
        ("spurious: in a table row (gold annotates prose only)", table),
        ("spurious: no gold quantity there", not_gold),
    ] + [(f"span differs (not scored): {name}", items) for name, items in spans.items()]


def format_failures(name: str, categories: Sequence[tuple[str, list[str]]]) -> str:
    """A Markdown list of the non-empty categories with counts and a few examples."""
    lines = [f"**{name}**", ""]
    shown = [(title, items) for title, items in categories if items]
    if not shown:
        lines.append("- no errors")
    for title, items in shown:
        examples = "; ".join(items[:EXAMPLES_PER_CATEGORY])
        lines.append(f"- {title}: {len(items)} — {examples}")
    return "\n".join(lines)


def run(gold_dir: Path, docs_dir: Path, extract: ExtractMoney) -> str:
    """Score both systems on every gold document; return the Markdown report."""
    gold = load_gold_dir(gold_dir)
    ours = SystemRun("nlp_pipeline")
    jio = SystemRun("JioNLP (prose sentences)")
    jio_whole = SystemRun("JioNLP (whole document, tables included)")
    our_others: list[Money] = []
    gold_others: list[Money] = []
    raws: dict[str, str] = {}
    missing: list[str] = []
    for doc_id in sorted(gold):
        path = find_document(docs_dir, doc_id)
        if path is None:
            missing.append(doc_id)
            continue
        raw = raws[doc_id] = read_raw(path)
        predicted = extract_file(path)
        gold_q = record_quantities(gold[doc_id])
        our_q = record_quantities(predicted)
        gold_money = [m for m in gold_q if m.kind == "money"]
        regions = merge_regions(
            (r.sentence.start, r.sentence.end) for r in [*gold[doc_id], *predicted]
        )
        ours.score.add(score_money(gold_money, [m for m in our_q if m.kind == "money"]))
        jio.score.add(score_money(gold_money, jionlp_mentions(raw, regions, extract, doc_id)))
        whole = jionlp_mentions(raw, [(0, len(raw))], extract, doc_id)
        jio_whole.score.add(score_money(gold_money, whole))
        our_others += [m for m in our_q if m.kind != "money"]
        gold_others += [m for m in gold_q if m.kind != "money"]
    if missing:
        sys.exit(f"source documents not found in {docs_dir}: {', '.join(missing)}")
    parts = [format_table([ours, jio, jio_whole])]
    for system, others in ((ours, our_others), (jio, []), (jio_whole, [])):
        categories = _categories(system.score, others, gold_others, raws)
        parts.append(format_failures(system.name, categories))
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "gold", help="gold directory")
    parser.add_argument(
        "--docs", type=Path, default=None, help="source documents (default: GOLD/docs)"
    )
    args = parser.parse_args(argv)
    extract = load_extract_money()
    print(run(args.gold, args.docs or args.gold / "docs", extract))
    return 0


if __name__ == "__main__":
    sys.exit(main())
