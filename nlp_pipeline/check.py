"""Check: where a report contradicts itself.

Takes a ``Document``, its activity records and its tables (``tables.read_document_tables``)
and returns a ``CheckResult``: one ``Finding`` per claim that arithmetic can check
(SCHEMA.md, "Findings"), and the claims found that could not be checked (a base or a
part missing), so that coverage is visible rather than assumed.

Each check kind is one function (``CHECKS``), fed the document's statements: its
sentences with the money and count figures its records hold (role, line) and the
rates they state. A record without ``rates`` (an extraction made before rates existed)
has the percentages of its sentence read here, by the cue words of
``patterns/check.yaml``. A figure's budget line is its event's ``line`` where the
record gives one, else the line named just before it (or by its list item's title).

Rounding is judged by the digits written: a stated figure written with *d* decimals is
consistent when a value within the rounding of every figure used rounds to it; the
same figure written twice agrees when the finer one rounds to the coarser (24.21 and
24.2 agree, 347.26 and 347.25 do not). A zero base gives no finding.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from . import patterns
from .ingest import Document
from .quantities import clause_bounds
from .schema import ActivityRecord
from .segment import Sentence, segment
from .tables import DocumentTables, IndicatorRecord, TableFigure, line_alias, line_aliases

__all__ = [
    "CHECKS",
    "CheckResult",
    "Evidence",
    "Finding",
    "STATUSES",
    "Unchecked",
    "check_document",
    "render_findings",
    "summarize",
]

STATUSES: tuple[str, ...] = ("ok", "mismatch", "unmet")


# ------------------------------------------------------------------------ findings


@dataclass(frozen=True)
class Evidence:
    """A figure a finding used: its text and raw span, and the table it is a cell of
    (``None`` for narrative figures). A table cell not found in the text has no span."""

    text: str
    start: int | None
    end: int | None
    table: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "span": None if self.start is None else [self.start, self.end],
        }
        if self.table is not None:
            out["table"] = self.table
        return out


@dataclass(frozen=True)
class Finding:
    """One checked claim (SCHEMA.md, "Findings")."""

    doc_id: str
    check: str
    status: str  # ok | mismatch | unmet
    stated: float | None
    computed: float | None
    message: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "check": self.check,
            "status": self.status,
            "stated": _plain(self.stated),
            "computed": _plain(self.computed),
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @property
    def start(self) -> int:
        """Where the finding is in the text: its first figure with a span."""
        return next((e.start for e in self.evidence if e.start is not None), 0)


@dataclass(frozen=True)
class Unchecked:
    """A claim found but not checkable, and why (``zero base``, ``no budget figure``…)."""

    doc_id: str
    check: str
    reason: str
    evidence: tuple[Evidence, ...]


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)


def _plain(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, 10)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


# ------------------------------------------------------------------------ the rules


@dataclass(frozen=True)
class _Rules:
    percent: regex.Pattern[str]
    direction_before: regex.Pattern[str]
    directions: dict[str, int]  # word -> +1 | -1 | 0 (either)
    rate_kinds: list[tuple[str, str]]  # (cue, kind), longest first
    change_signs: list[tuple[str, int]]
    budget_kinds: list[tuple[str, str]]
    before_change: tuple[str, ...]
    after_change: tuple[str, ...]
    balance: tuple[str, ...]
    parts_follow: regex.Pattern[str]
    total_follows: regex.Pattern[str]
    list_heads: tuple[str, ...]
    budget_comparison: regex.Pattern[str]
    comparison_ops: dict[str, str]
    equal_words: dict[str, str]
    roughly_equal: float
    role_words: regex.Pattern[str]
    role_suffix: regex.Pattern[str]
    line_prefix: regex.Pattern[str]
    purpose_words: tuple[str, ...]
    other_year: regex.Pattern[str]
    year: regex.Pattern[str]
    budget_context: tuple[str, ...]
    actual_words: tuple[str, ...]
    indicator_overlap: int


@cache
def rules() -> _Rules:
    name = "check"
    data = patterns.load(name)
    directions = patterns.require(data, "rate_directions", dict, name)
    signs = {"up": 1, "down": -1, "either": 0}
    words = {w: signs[k] for k, ws in directions.items() for w in ws}
    kinds = patterns.require(data, "rate_kinds", dict, name)
    change_signs = [(w, -1) for w in data.get("change_down", [])]
    change_signs += [(w, 1) for w in data.get("change_up", [])]

    def alt(key: str) -> regex.Pattern[str]:
        return patterns.compile_words(patterns.require(data, key, list, name), name, key)

    return _Rules(
        percent=patterns.compile_regex(
            patterns.require(data, "percent", str, name), name, "percent"
        ),
        direction_before=patterns.compile_regex(
            f"(?:{patterns.alternation(list(words))})(?:了|为)?$", name, "rate_directions"
        ),
        directions=words,
        rate_kinds=sorted(
            ((cue, kind) for kind, cues in kinds.items() for cue in cues),
            key=lambda pair: len(pair[0]),
            reverse=True,
        ),
        change_signs=sorted(change_signs, key=lambda pair: len(pair[0]), reverse=True),
        budget_kinds=[(w, kind) for kind, ws in data.get("budget_kinds", {}).items() for w in ws],
        before_change=tuple(data.get("before_change", [])),
        after_change=tuple(data.get("after_change", [])),
        balance=tuple(data.get("balance", [])),
        parts_follow=alt("parts_follow"),
        total_follows=alt("total_follows"),
        list_heads=tuple(data.get("list_heads", [])),
        budget_comparison=patterns.compile_regex(
            patterns.require(data, "budget_comparison", str, name), name, "budget_comparison"
        ),
        comparison_ops=dict(data.get("comparison_ops", {})),
        equal_words=dict(data.get("equal_words", {})),
        roughly_equal=float(data.get("roughly_equal", 0.05)),
        role_words=patterns.compile_regex(
            f"^(?:{patterns.alternation(data.get('role_words', []))})+$", name, "role_words"
        ),
        role_suffix=patterns.compile_regex(
            f"(?:{patterns.alternation(data.get('role_words', []))})+$", name, "role_words"
        ),
        line_prefix=patterns.compile_regex(
            f"^(?:{patterns.alternation(data.get('line_prefixes', []))})*$", name, "line_prefixes"
        ),
        purpose_words=tuple(data.get("purpose_words", [])),
        other_year=patterns.compile_regex(data.get("other_year", "$^"), name, "other_year"),
        year=regex.compile(r"((?:19|20)\d\d)\s*年"),
        budget_context=tuple(data.get("budget_context", [])),
        actual_words=tuple(data.get("actual_words", [])),
        indicator_overlap=int(data.get("indicator_overlap", 6)),
    )


# ------------------------------------------------------------------------ statements


@dataclass(frozen=True)
class Figure:
    """A money or count figure of a statement, as its record gives it."""

    text: str
    start: int  # raw span
    end: int
    pos: int  # [pos, pos_end) in the statement's normalized text
    pos_end: int
    value: float  # base units (yuan for money)
    kind: str
    unit: str
    role: str | None
    exact: bool
    decimals: int
    factor: float  # base units per unit written (万元: 10000)
    line: str | None = None

    @property
    def money(self) -> bool:
        return self.kind == "money" and self.unit == "元"

    def half(self) -> float:
        """Half the last written digit, in base units (what rounding may hide); a count
        written as a whole number is exact."""
        if self.kind != "money" and self.decimals == 0 and self.factor == 1:
            return 0.0
        return 0.5 * 10.0**-self.decimals * self.factor

    def evidence(self) -> Evidence:
        return Evidence(self.text, self.start, self.end)

    @property
    def actual(self) -> bool:
        """A figure of what was received or spent (not a budget, a change or a grant)."""
        return self.role in (None, "spent", "income", "other")


@dataclass(frozen=True)
class StatedRate:
    """A percentage stated about the statement's figures; ``value`` a signed fraction."""

    text: str
    start: int
    end: int
    pos: int
    pos_end: int
    kind: str
    value: float
    signed: bool  # a direction word is written with it
    decimals: int
    cue: str  # the clause text before it (占本年支出合计的, 完成年初预算的…)

    def half(self) -> float:
        return 0.5 * 10.0 ** -(self.decimals + 2)

    def evidence(self) -> Evidence:
        return Evidence(self.text, self.start, self.end)


@dataclass
class Statement:
    """A sentence with the figures its records hold and the rates it states."""

    index: int
    sentence: Sentence
    figures: list[Figure]
    rates: list[StatedRate]
    previous: Statement | None = None  # the sentence before, in the same section and item
    next: Statement | None = None  # the sentence after, likewise

    @property
    def text(self) -> str:
        return self.sentence.text

    def money(self) -> list[Figure]:
        return [f for f in self.figures if f.money and f.exact]

    def label(self, pos: int) -> str:
        """The text of the statement's clause just before ``pos``, after the figure or
        rate before it."""
        stop = max(
            [f.pos_end for f in self.figures if f.pos_end <= pos]
            + [r.pos_end for r in self.rates if r.pos_end <= pos]
            + [0]
        )
        return self.text[stop:pos]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.sentence.raw_span(start, end)


def _statements(doc: Document, records: Sequence[ActivityRecord]) -> list[Statement]:
    sentences = segment(doc)
    starts = [s.raw_span()[0] for s in sentences]
    figures: dict[int, list[tuple[Any, ActivityRecord]]] = {}
    rates: dict[int, list[Any]] = {}
    for record in records:
        for q in record.quantities:
            i = _sentence_of(sentences, starts, q.start)
            if i is not None:
                figures.setdefault(i, []).append((q, record))
        for rate in record.rates:
            i = _sentence_of(sentences, starts, rate.start)
            if i is not None:
                rates.setdefault(i, []).append(rate)
    out: list[Statement] = []
    for i, sentence in enumerate(sentences):
        figs = sorted(
            (_figure(sentence, q, record) for q, record in figures.get(i, [])),
            key=lambda f: f.pos,
        )
        stated = (
            [_record_rate(sentence, r) for r in rates[i]] if i in rates else _read_rates(sentence)
        )
        out.append(Statement(i, sentence, figs, sorted(stated, key=lambda r: r.pos)))
    for prev, cur in itertools.pairwise(out):
        same_item = _title(cur) is None or _title(prev) == _title(cur)
        if prev.sentence.section == cur.sentence.section and same_item:
            cur.previous, prev.next = prev, cur
    return out


def _title(stmt: Statement) -> str | None:
    return stmt.sentence.title.text if stmt.sentence.title is not None else None


def _sentence_of(sentences: list[Sentence], starts: list[int], raw: int) -> int | None:
    i = bisect_right(starts, raw) - 1
    if i >= 0 and raw < sentences[i].raw_span()[1]:
        return i
    return None


def _norm_pos(sentence: Sentence, raw: int) -> int:
    return bisect_left(sentence.mapped.starts, raw)


_NUMBER_TEXT = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")


def _figure(sentence: Sentence, q: Any, record: ActivityRecord) -> Figure:
    m = _NUMBER_TEXT.search(q.text)
    number = (
        float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else "")) if m else 0
    )
    if number:
        factor = q.value / number
    else:
        factor = 1e8 if "亿" in q.text else 1e4 if "万" in q.text else 1000 if "千" in q.text else 1
    line = record.event.line if record.event is not None else None
    return Figure(
        text=q.text,
        start=q.start,
        end=q.end,
        pos=_norm_pos(sentence, q.start),
        pos_end=_norm_pos(sentence, q.end),
        value=float(q.value),
        kind=q.kind,
        unit=q.unit,
        role=q.role,
        exact=q.qualifier == "exact",
        decimals=len(m.group(2) or "") if m else 0,
        factor=round(factor, 6),
        line=line,
    )


def _record_rate(sentence: Sentence, rate: Any) -> StatedRate:
    pos = _norm_pos(sentence, rate.start)
    pos_end = _norm_pos(sentence, rate.end)
    m = rules().percent.search(sentence.text, pos)
    decimals = len(m.group("num").split(".")[1]) if m and "." in m.group("num") else 0
    signed = rules().direction_before.search(
        sentence.text[max(0, pos - 8) : m.start() if m else pos]
    )
    return StatedRate(
        rate.text, rate.start, rate.end, pos, pos_end, rate.kind, float(rate.value),
        signed is not None, decimals, _clause_before(sentence.text, pos),
    )  # fmt: skip


def _read_rates(sentence: Sentence) -> list[StatedRate]:
    """The percentages of a sentence whose records carry no rates, with their kinds."""
    r = rules()
    text = sentence.text
    out: list[StatedRate] = []
    for m in r.percent.finditer(text):
        cue = _clause_before(text, m.start())
        kind = _rate_kind(cue)
        if kind is None:
            continue
        number = m.group("num")
        value = float(number) / 100
        start = m.start()
        direction = r.direction_before.search(text, max(0, start - 8), start)
        sign = 1
        if direction is not None:
            start = direction.start()
            sign = next(
                (s for w, s in sorted(r.directions.items(), key=lambda kv: -len(kv[0]))
                 if direction.group().startswith(w)),
                1,
            )  # fmt: skip
        raw_start, raw_end = sentence.raw_span(start, m.end())
        out.append(
            StatedRate(
                text=sentence.mapped.text[start : m.end()],
                start=raw_start,
                end=raw_end,
                pos=start,
                pos_end=m.end(),
                kind=kind,
                value=value * (sign if sign else 1),
                signed=direction is not None and sign != 0,
                decimals=len(number.split(".")[1]) if "." in number else 0,
                cue=cue,
            )
        )
    return out


def _clause_before(text: str, pos: int) -> str:
    start, _ = clause_bounds(text, pos, pos)
    return text[start:pos]


def _clause_after(text: str, pos: int) -> str:
    m = re.search(r"[，,；;。：:]", text[pos:])
    return text[pos : pos + m.start()] if m else text[pos:]


def _rate_kind(cue: str) -> str | None:
    best: tuple[int, str] | None = None
    for word, kind in rules().rate_kinds:
        at = cue.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), kind)
    if best is not None:
        return best[1]
    return "other" if cue else None


# ------------------------------------------------------------------------ lines


_PATH = regex.compile(
    r"(?P<lei>[^（(）)，。；：、\s\d.．]+?)[（(]类[）)](?:支出)?"
    r"(?:(?P<kuan>[^（(）)，。；：、\s]+?)[（(]款[）)])?"
    r"(?:(?P<xiang>[^（(）)，。；：、\s]+?)[（(]项[）)])?"
)
# A heading cut where a PDF line ended (…（款）行政单位离退休 / （项）。): the 项 without its mark.
_CUT_ITEM = regex.compile(r"[（(]款[）)](?P<xiang>[^（(）)，。；：、\s]+)$")


@dataclass
class _Lines:
    """The document's own line names (from its tables), to name narrative figures."""

    paths: list[str]

    def resolve(self, parts: list[str], cut: bool = False) -> str | None:
        """A narrative path (or a name) as the tables write it, where they do. With
        ``cut``, the last name may be the start of the table's (a heading cut short);
        it must then match one table line, else there is no line."""
        want = [_trim(p) for p in parts]
        found = []
        for path in self.paths:
            names = [_trim(n) for n in path.split("/")]
            if len(names) != len(want) or names[:-1] != want[:-1]:
                continue
            if names[-1] == want[-1] or (cut and names[-1].startswith(want[-1])):
                found.append(path)
        if len(found) == 1:
            return found[0]
        return None if cut else "/".join(parts)

    def by_name(self, name: str) -> str | None:
        """The table line whose last name is ``name`` (one only)."""
        key = _trim(name)
        if len(key) < 3:
            return None
        found = {p for p in self.paths if _trim(p.split("/")[-1]) == key}
        items = {p for p in found if p.count("/") == 2}  # a 项 of the classification first
        for candidates in (items, found):
            if len(candidates) == 1:
                return candidates.pop()
        return None


def _trim(name: str) -> str:
    """A name without a closing 支出 (其他科学技术普及 is 其他科学技术普及支出)."""
    return name[:-2] if name.endswith("支出") and len(name) >= 6 else name


def _line_of(stmt: Statement, fig: Figure, lines: _Lines, opening: str = "") -> str | None:
    """The budget line a figure states: its record's ``line``; else the line named in
    its clause just before it; else, where that clause only names the figure's role
    (年初预算为, 支出决算为), the line of its list item's title (``opening``: the first
    sentence of the figure's section, where a title cut short as a heading goes on)."""
    if fig.line:
        return fig.line
    r = rules()
    piece = re.split(r"[，,；;：:。]", stmt.label(fig.pos))[-1]
    piece = _ENUMERATOR.sub("", piece)
    if any(w in piece for w in r.purpose_words):
        return None
    named = _named_line(piece, lines)
    if named is not None:
        return named
    rest = _YEAR_PREFIX.sub("", piece)
    if rest and not r.role_words.match(rest):
        return None
    title = stmt.sentence.title.text if stmt.sentence.title is not None else None
    if title is None:
        title = _item_heading(stmt.sentence.section, opening)
    return _named_line(title, lines) if title else None


_ITEM_REST = re.compile(r"^[^。；：:，,]*?[（(]项[）)]")


def _item_heading(section: str | None, opening: str) -> str | None:
    """A numbered list item that became a heading, its title cut where a PDF line
    ended (``5、社会保障和就业支出（类）…（款）`` / ``行政单位离退休（项）。主要用于…``):
    the heading with the rest of the title that opens its first sentence."""
    heading = section.split(" > ")[-1] if section else ""
    m = re.match(r"^\d{1,2}[、.．]\s*", heading)
    if m is None:
        return None
    rest = _ITEM_REST.match(opening)
    return heading[m.end() :] + (rest.group() if rest else "")


_ENUMERATOR = re.compile(r"^(?:[（(]?[\d一二三四五六七八九十]{1,2}[）).、．]|其中)+")
_YEAR_PREFIX = re.compile(r"^.*?(?:19|20)\d\d\s*年度?")


def _named_line(text: str, lines: _Lines) -> str | None:
    """The line a phrase names: a 类/款/项 path (…（类）…（款）…（项）); a line name
    of patterns/tables.yaml standing alone in it (after the report's name and year,
    before role words only: 2024年度一般公共预算财政拨款支出年初预算为); or a line of
    the document's tables by its name (行政运行)."""
    found = list(_PATH.finditer(text))
    if found:
        m = found[-1]
        parts = [m.group("lei") + ("" if m.group("lei").endswith("支出") else "支出")]
        parts += [m.group(k) for k in ("kuan", "xiang") if m.group(k)]
        cut = _CUT_ITEM.search(text) if m.group("kuan") and not m.group("xiang") else None
        if cut is not None:
            return lines.resolve([*parts, cut.group("xiang")], cut=True)
        return lines.resolve(parts)
    alias = _standing_alias(text)
    if alias is not None:
        return alias
    name = rules().role_suffix.sub("", text.strip())
    return lines.by_name(name) if name else None


def _standing_alias(text: str) -> str | None:
    r = rules()
    best: tuple[int, int, str] | None = None
    for alias, line in line_aliases():
        at = text.rfind(alias)
        if at < 0:
            continue
        prefix, suffix = text[:at], text[at + len(alias) :]
        if not r.line_prefix.match(_YEAR_PREFIX.sub("", prefix)):
            continue
        if suffix and not r.role_words.match(suffix):
            continue
        key = (at + len(alias), len(alias), line)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _budget_kind(label: str) -> str:
    for word, kind in rules().budget_kinds:
        if word in label:
            return kind
    return ""


# ------------------------------------------------------------------------ arithmetic


def _box(
    fn: Callable[..., float], values: Sequence[tuple[float, float]]
) -> tuple[float, float] | None:
    """The range of ``fn`` over the box of its arguments' rounding intervals
    (``(value, half)`` each); ``None`` where it is undefined somewhere in the box."""
    outs = []
    for corner in itertools.product(*[(v - h, v + h) for v, h in values]):
        try:
            outs.append(fn(*corner))
        except ZeroDivisionError:
            return None
    return min(outs), max(outs)


def _consistent(stated: float, half: float, span: tuple[float, float]) -> bool:
    eps = 1e-9 * max(1.0, abs(stated))
    return span[0] - eps <= stated + half and stated - half <= span[1] + eps


def _same(a: Figure | tuple[float, float], b: Figure | tuple[float, float]) -> bool:
    """The same figure written twice: the finer one rounds to the coarser, at the
    coarser's last digit (``(value, half)`` pairs or figures)."""
    (va, ha), (vb, hb) = (x if isinstance(x, tuple) else (x.value, x.half()) for x in (a, b))
    half = max(ha, hb)
    return abs(va - vb) <= half + 1e-9 * max(1.0, abs(va), abs(vb))


def _money(value: float) -> str:
    """Yuan as 万元 with two decimals (the unit of these reports)."""
    return f"{value / 10000:,.2f} 万元"


def _pct(value: float, decimals: int) -> str:
    return f"{value * 100:.{decimals}f}%"


# ------------------------------------------------------------------------ context


@dataclass
class _Context:
    doc: Document
    statements: list[Statement]
    tables: DocumentTables
    lines: _Lines
    line_cache: dict[tuple[int, int], str | None] = field(default_factory=dict)
    openings: dict[str, str] = field(default_factory=dict)  # section -> its first sentence

    def __post_init__(self) -> None:
        for stmt in self.statements:
            self.openings.setdefault(stmt.sentence.section or "", stmt.text)

    @property
    def doc_id(self) -> str:
        return self.doc.doc_id

    def line(self, stmt: Statement, fig: Figure) -> str | None:
        key = (stmt.index, fig.start)
        if key not in self.line_cache:
            opening = self.openings.get(stmt.sentence.section or "", "")
            self.line_cache[key] = _line_of(stmt, fig, self.lines, opening)
        return self.line_cache[key]

    def finding(
        self,
        check: str,
        ok: bool,
        stated: float | None,
        computed: float | None,
        message: str,
        evidence: Sequence[Evidence],
        failed: str = "mismatch",
    ) -> Finding:
        status = "ok" if ok else failed
        one_line = re.sub(r"\s*\n\s*", "", message)
        return Finding(self.doc_id, check, status, stated, computed, one_line, tuple(evidence))

    def stated_line(self, stmt: Statement, fig: Figure) -> str | None:
        """The line of a figure that states a line's budget or its actual figure, for
        comparing with other statements of it: not a change or a grant, not last
        year's, and not a figure of uncertain role (an actual figure after a budget
        word in its sentence, its own words naming no spending: 部门预算收入 X 万元，
        其中：财政拨款收入 Y 万元)."""
        if fig.role in ("change", "grant") or self.other_year(stmt.label(fig.pos)):
            return None
        r = rules()
        uncertain = fig.role != "budget" and not any(
            w in stmt.label(fig.pos) for w in r.actual_words
        )
        if uncertain and any(w in stmt.text[: fig.pos] for w in r.budget_context):
            return None
        return self.line(stmt, fig)

    def same_line(self, stmt: Statement, a: Figure, b: Figure) -> bool:
        """Whether two figures may be of one line: their lines agree where both are
        named (the figures may be in this statement or the one before)."""
        la = self._line_anywhere(stmt, a)
        lb = self._line_anywhere(stmt, b)
        return la is None or lb is None or la == lb

    def _line_anywhere(self, stmt: Statement, fig: Figure) -> str | None:
        for source in _with_previous(stmt):
            if fig in source.figures:
                return self.line(source, fig)
        return None

    def other_year(self, label: str) -> bool:
        """Whether a figure's label names the year before or another year than the report's."""
        r = rules()
        if r.other_year.search(label):
            return True
        return any(int(y) != self.doc.year for y in r.year.findall(label))

    def unchecked(self, check: str, reason: str, evidence: Sequence[Evidence]) -> Unchecked:
        return Unchecked(self.doc_id, check, reason, tuple(evidence))


Result = Iterator[Finding | Unchecked]


def _is_change(stmt: Statement, fig: Figure) -> bool:
    """A change amount: so marked, or written right after a direction word (减少 X 万元)."""
    return fig.role == "change" or _change_sign(stmt, fig) != 0


def _before(stmt: Statement, pos: int, want: Callable[[Figure], bool]) -> Figure | None:
    found = [f for f in stmt.money() if f.pos_end <= pos and want(f)]
    return found[-1] if found else None


def _with_previous(stmt: Statement) -> list[Statement]:
    return [stmt] + ([stmt.previous] if stmt.previous is not None else [])


def _subject(stmt: Statement, fig: Figure, ctx: _Context) -> str:
    line = ctx.line(stmt, fig)
    return f"{line.split('/')[-1]}: " if line else ""


# ------------------------------------------------------------------------ the checks


def check_execution_rate(ctx: _Context) -> Result:
    """An execution rate against spent ÷ budget of the same line (the budget the rate
    names, 年初 or 全年, where it names one); a self-evaluation form's 预算数 / 执行数 /
    执行率 row likewise."""
    for stmt in ctx.statements:
        for rate in (r for r in stmt.rates if r.kind == "execution"):
            spent = budget = None
            for source in _with_previous(stmt):
                pos = rate.pos if source is stmt else len(source.text)
                spent = spent or _before(source, pos, lambda f: f.role == "spent")
                budget = budget or _named_budget(source, pos, rate.cue)
            if spent is None or budget is None:
                missing = "no spent figure" if spent is None else "no budget figure"
                yield ctx.unchecked("execution_rate", missing, [rate.evidence()])
                continue
            evidence = [budget.evidence(), spent.evidence(), rate.evidence()]
            if not ctx.same_line(stmt, spent, budget):
                yield ctx.unchecked("execution_rate", "budget of another line", evidence)
                continue
            claim = f"{_subject(stmt, spent, ctx)}{spent.text} spent of {budget.text} budgeted"
            yield _stated_ratio(ctx, "execution_rate", rate, spent, budget, claim, evidence)
    for row in ctx.tables.executions:
        yield from _execution_row(ctx, row)


def _stated_ratio(
    ctx: _Context,
    check: str,
    rate: StatedRate,
    part: Figure,
    whole: Figure,
    claim: str,
    evidence: Sequence[Evidence],
) -> Finding | Unchecked:
    """A rate stated as ``part`` ÷ ``whole`` (execution, share): consistent when the ratio,
    over the rounding of both figures, rounds to it; a zero base is not checkable."""
    span = None
    if whole.value != 0:
        span = _box(lambda a, b: a / b, [(part.value, part.half()), (whole.value, whole.half())])
    if span is None:
        return ctx.unchecked(check, "zero base", evidence)
    computed = part.value / whole.value
    return ctx.finding(
        check,
        _consistent(rate.value, rate.half(), span),
        rate.value,
        computed,
        f"{claim} is {_pct(computed, rate.decimals + 1)}, stated {rate.text}",
        evidence,
    )


def _named_budget(stmt: Statement, pos: int, cue: str) -> Figure | None:
    """The budget figure a rate or comparison refers to: the one of the kind it names
    (年初预算, 全年预算), else the last one before it."""
    budgets = [f for f in stmt.money() if f.pos_end <= pos and f.role == "budget"]
    kind = _budget_kind(cue)
    if kind:
        named = [f for f in budgets if _budget_kind(stmt.label(f.pos)) == kind]
        if named:
            return named[-1]
    return budgets[-1] if budgets else None


def _execution_row(ctx: _Context, row: Any) -> Result:
    def value(text: str) -> float:
        return float(text.rstrip("%").replace(",", ""))

    def decimals(text: str) -> int:
        number = text.rstrip("%")
        return len(number.split(".")[1]) if "." in number else 0

    budget, spent = value(row.budget.text), value(row.spent.text)
    stated = value(row.rate.text) / 100
    raw = ctx.doc.raw
    evidence = [
        Evidence(raw[c.start : c.end], c.start, c.end, row.ref)
        for c in (row.budget, row.spent, row.rate)
        if c.start is not None
    ]
    if budget == 0:
        yield ctx.unchecked("execution_rate", "zero base", evidence)
        return
    half = 0.5 * 10.0 ** -max(2, decimals(row.budget.text), decimals(row.spent.text))
    span = _box(lambda s, b: s / b, [(spent, half), (budget, half)])
    assert span is not None
    d = decimals(row.rate.text)
    yield ctx.finding(
        "execution_rate",
        _consistent(stated, 0.5 * 10.0 ** -(d + 2), span),
        stated,
        spent / budget,
        f"{row.ref}: 执行数 {row.spent.text} of 预算数 {row.budget.text} is "
        f"{_pct(spent / budget, d + 1)}, stated {row.rate.text}",
        evidence,
    )


def _change_sign(stmt: Statement, fig: Figure) -> int:
    """+1 or -1 by the direction word written right before a change amount, 0 if none."""
    before = stmt.text[max(0, fig.pos - 6) : fig.pos]
    for word, sign in rules().change_signs:
        if before.endswith(word) or before.endswith(word + "了"):
            return sign
    return 0


def check_change_rate(ctx: _Context) -> Result:
    """A change rate against the change amount ÷ last year's figure, last year's figure
    being this year's minus the change (SCHEMA.md)."""
    for stmt in ctx.statements:
        for rate in (r for r in stmt.rates if r.kind == "change"):
            change = _before(stmt, rate.pos, lambda f, s=stmt: _is_change(s, f))
            if change is None:
                yield ctx.unchecked("change_rate", "no change amount", [rate.evidence()])
                continue
            current = _before(stmt, change.pos, lambda f, s=stmt: not _is_change(s, f))
            if current is None and stmt.previous is not None:
                prev = stmt.previous
                current = _before(prev, len(prev.text), lambda f, s=prev: not _is_change(s, f))
            if current is None:
                yield ctx.unchecked(
                    "change_rate",
                    "no figure the change is of",
                    [change.evidence(), rate.evidence()],
                )
                continue
            sign = _change_sign(stmt, change) or (1 if rate.value >= 0 else -1)
            evidence = [current.evidence(), change.evidence(), rate.evidence()]
            base = current.value - sign * change.value
            if abs(base) <= current.half() + change.half():
                yield ctx.unchecked("change_rate", "zero base", evidence)
                continue
            span = _box(
                lambda t, c, s=sign: s * c / (t - s * c),
                [(current.value, current.half()), (change.value, change.half())],
            )
            if span is None or base < 0:
                yield ctx.unchecked("change_rate", "zero base", evidence)
                continue
            computed = sign * change.value / base
            stated = rate.value if rate.signed else abs(rate.value) * (1 if computed >= 0 else -1)
            word = "减少" if sign < 0 else "增加"
            yield ctx.finding(
                "change_rate",
                _consistent(stated, rate.half(), span),
                stated,
                computed,
                f"{_subject(stmt, current, ctx)}{word} {change.text} to {current.text}: "
                f"{_pct(computed, rate.decimals + 1)} of last year's {_money(base)}, "
                f"stated {rate.text}",
                evidence,
            )


def check_change_amount(ctx: _Context) -> Result:
    """A figure before a change, the change and the figure after it all written (this
    year, last year and the change; a budget, its adjustment and the adjusted budget or
    the spending, less any balance carried over): after = before ± change."""
    r = rules()
    for stmt in ctx.statements:
        money = stmt.money()
        changes = [f for f in money if _is_change(stmt, f)]
        for change in changes:
            before = [f for f in money if f.pos < change.pos and f not in changes]
            base = next(
                (f for f in reversed(before) if _ends_with_any(stmt.label(f.pos), r.before_change)),
                None,
            )
            if base is None:
                continue
            after = [f for f in money if f.pos > change.pos and f not in changes]
            result = next(
                (f for f in after if _ends_with_any(stmt.label(f.pos), r.after_change)), None
            )
            if result is None and stmt.label(base.pos).startswith(("比", "较")):
                result = next((f for f in reversed(before) if f.pos < base.pos), None)
            if result is None:
                continue
            balance = next(
                (
                    f
                    for f in after
                    if f.pos > result.pos and _ends_with_any(stmt.label(f.pos), r.balance)
                ),
                None,
            )
            sign = _change_sign(stmt, change)
            if sign == 0:
                yield ctx.unchecked("change_amount", "no direction word", [change.evidence()])
                continue
            figures = [base, change, result] + ([balance] if balance else [])
            leftover = balance.value if balance else 0.0
            expected = base.value + sign * change.value - leftover
            span = _box(
                lambda b, c, x, s=sign: b + s * c - x,
                [(base.value, base.half()), (change.value, change.half()),
                 (leftover, balance.half() if balance else 0.0)],
            )  # fmt: skip
            assert span is not None
            word = "减少" if sign < 0 else "增加"
            rest = f" less {balance.text} carried over" if balance else ""
            yield ctx.finding(
                "change_amount",
                _consistent(result.value, result.half(), span),
                result.value,
                expected,
                f"{base.text} {word} {change.text}{rest} gives {_money(expected)}, "
                f"stated {result.text}",
                [f.evidence() for f in figures],
            )


def _ends_with_any(label: str, words: Sequence[str]) -> bool:
    piece = re.split(r"[，,；;。]", label)[-1]
    return any(w in piece for w in words)


def check_share(ctx: _Context) -> Result:
    """A share against part ÷ total: the total named after 占 (占本年支出合计的), or the
    head of the list the part is in (…支出 X 万元，其中：…, 主要用于以下方面：…)."""
    named_totals = _line_figures(ctx)
    for stmt in ctx.statements:
        for rate in (r for r in stmt.rates if r.kind == "share"):
            previous = max((r.pos_end for r in stmt.rates if r.pos_end <= rate.pos), default=0)
            part = _before(stmt, rate.pos, lambda f, p=previous: f.pos >= p)
            if part is None:
                yield ctx.unchecked("share", "no part figure", [rate.evidence()])
                continue
            total = _named_total(rate, named_totals) or _list_head(stmt, part, ctx.statements)
            if total is None or total is part:
                yield ctx.unchecked("share", "no total figure", [part.evidence(), rate.evidence()])
                continue
            evidence = [total.evidence(), part.evidence(), rate.evidence()]
            claim = f"{_subject(stmt, part, ctx)}{part.text} of {total.text}"
            yield _stated_ratio(ctx, "share", rate, part, total, claim, evidence)


def _line_figures(ctx: _Context) -> dict[str, Figure]:
    """The first actual figure of each named line in the narrative (totals a share names)."""
    out: dict[str, Figure] = {}
    for stmt in ctx.statements:
        for fig in stmt.money():
            line = ctx.line(stmt, fig)
            if line and fig.actual and not ctx.other_year(stmt.label(fig.pos)):
                out.setdefault(line, fig)
    return out


def _named_total(rate: StatedRate, totals: dict[str, Figure]) -> Figure | None:
    at = rate.cue.rfind("占")
    named = rate.cue[at + 1 :].rstrip("的") if at >= 0 else ""
    line = line_alias(named) if named else None
    return totals.get(line) if line else None


def _list_head(stmt: Statement, part: Figure, statements: list[Statement]) -> Figure | None:
    """The total heading the list a part is in: the statement's first figure when a
    list word (其中, 主要用于…) stands between it and the part; else the same in the
    sentences before, joined to this one by semicolons."""
    r = rules()
    current: Statement | None = stmt
    limit = part.pos
    while current is not None:
        money = current.money()
        if money and money[0].pos < limit and money[0] is not part:
            between = current.text[money[0].pos_end : limit]
            if any(w in between for w in r.list_heads) or between.rstrip().endswith(("：", ":")):
                return money[0]
        prev = current.previous or _item_before(current, statements)
        if prev is None or not (
            prev.text.endswith(("；", ";", "：", ":")) or prev.sentence.title is not None
        ):
            return None
        current, limit = prev, len(prev.text)
    return None


def _item_before(stmt: Statement, statements: list[Statement]) -> Statement | None:
    """For the first sentence of a numbered list item, the sentence before the item
    (the end of the item before it, or the list's lead-in) in the same section."""
    if stmt.sentence.title is None or stmt.index == 0:
        return None
    before = statements[stmt.index - 1]
    return before if before.sentence.section == stmt.sentence.section else None


def check_sum(ctx: _Context) -> Result:
    """A total and its parts (其中：…, 包括…, …共计): the parts add up to the total.
    A list may run over sentences joined by semicolons; a part may open a list of its
    own (…基本支出 55.09 万元，其中：人员经费…)."""
    seen: set[int] = set()
    for stmt in ctx.statements:
        if stmt.index in seen:
            continue
        group = _enumeration(stmt)
        seen.update(s.index for s in group)
        for total, parts in _sum_claims(group):
            yield from _sum_finding(ctx, total, parts)


def _enumeration(stmt: Statement) -> list[Statement]:
    """A sentence and those after it in its paragraph while each ends with a semicolon."""
    group = [stmt]
    while group[-1].text.endswith(("；", ";")) and group[-1].next is not None:
        group.append(group[-1].next)
    return group


def _sum_claims(group: list[Statement]) -> Iterator[tuple[Figure, list[Figure]]]:
    """The totals and parts of a run of sentences: its figures and list words in order."""
    r = rules()
    items: list[tuple[str, Any]] = []  # (fig, Figure) | (open, in parentheses) | (close|total, …)
    for i, stmt in enumerate(group):
        text = stmt.text
        events: list[tuple[int, str, Any]] = [(f.pos, "fig", f) for f in stmt.figures]
        for m in r.parts_follow.finditer(text):
            events.append((m.start(), "open", m.start() > 0 and text[m.start() - 1] in "（("))
        events += [(m.start(), "total", None) for m in r.total_follows.finditer(text)]
        events += [(m.start(), "close", None) for m in re.finditer(r"[）)]", text)]
        if i == 0 and r.parts_follow.match(text) and stmt.previous and stmt.previous.figures:
            items.append(("fig", stmt.previous.figures[-1]))
        items += [(kind, value) for _, kind, value in sorted(events, key=lambda e: e[0])]
    return _parse_sums(items)


def _parse_sums(items: list[tuple[str, Any]]) -> Iterator[tuple[Figure, list[Figure]]]:
    """Totals and their parts: a list word opens a list whose total is the figure just
    before it (a part of an open list may open one of its own); a list opened inside
    parentheses closes with them; 共计 sums the figures written before it."""
    open_lists: list[tuple[Figure, list[Figure], bool]] = []  # (total, parts, in parentheses)
    last: Figure | None = None
    before: list[Figure] = []
    for i, (kind, value) in enumerate(items):
        if kind == "fig":
            (open_lists[-1][1] if open_lists else before).append(value)
            last = value
        elif kind == "open" and last is not None:
            open_lists.append((last, [], bool(value)))
        elif kind == "close" and open_lists and open_lists[-1][2]:
            total, parts, _ = open_lists.pop()
            yield total, parts
        elif kind == "total" and not open_lists:
            total = next((v for k, v in items[i + 1 :] if k == "fig"), None)
            if total is not None:
                yield total, [f for f in before if f.kind == total.kind and f.unit == total.unit]
            before = []
    while open_lists:
        total, parts, _ = open_lists.pop()
        yield total, parts


def _sum_finding(ctx: _Context, total: Figure, parts: list[Figure]) -> Result:
    parts = [p for p in parts if p.kind == total.kind and p.unit == total.unit and p is not total]
    parts = [p for p in parts if p.role != "change"]
    if len(parts) < 2:
        return
    if total.money and any(p.actual != total.actual for p in parts):
        return
    evidence = [total.evidence()] + [p.evidence() for p in parts]
    if not total.exact or not all(p.exact for p in parts):
        yield ctx.unchecked("sum", "approximate figures", evidence)
        return
    computed = sum(p.value for p in parts)
    half = sum(p.half() for p in parts)
    yield ctx.finding(
        "sum",
        _consistent(total.value, total.half(), (computed - half, computed + half)),
        total.value,
        computed,
        f"parts {' + '.join(p.text for p in parts)} = {_amount(computed, total)}, "
        f"stated total {total.text}",
        evidence,
    )


def _amount(value: float, like: Figure) -> str:
    if like.money:
        return _money(value)
    return f"{value:g}{like.unit}"


def check_direction(ctx: _Context) -> Result:
    """A comparison word against the order of the two figures it compares: 决算数
    大于/小于/等于 预算数, 与预算数(基本)持平; and a change's direction word against its
    rate's (增加 … 下降 is a contradiction)."""
    r = rules()
    for stmt in ctx.statements:
        for m in r.budget_comparison.finditer(stmt.text):
            op = r.comparison_ops.get(m.group("op")) or r.equal_words.get(m.group("eq") or "")
            if op is None:
                continue
            spent = budget = None
            for source in _with_previous(stmt):
                pos = m.start() if source is stmt else len(source.text)
                spent = spent or _before(source, pos, lambda f: f.role == "spent")
                budget = budget or _named_budget(source, pos, m.group("kind") or "")
            raw_start, raw_end = stmt.raw_span(m.start(), m.end())
            word = Evidence(ctx.doc.raw[raw_start:raw_end], raw_start, raw_end)
            if spent is None or budget is None:
                yield ctx.unchecked("direction", "a figure compared is missing", [word])
                continue
            yield _comparison(ctx, op, spent, budget, word)
        yield from _change_words(ctx, stmt)


def _comparison(ctx: _Context, op: str, spent: Figure, budget: Figure, word: Evidence) -> Finding:
    diff = spent.value - budget.value
    same = _same(spent, budget)
    # written to different digits, figures that agree at the coarser one may be in either order
    either = same and not math.isclose(spent.half(), budget.half())
    eps = 1e-9 * max(1.0, abs(budget.value))
    if op == "~":
        ok = same or abs(diff) <= rules().roughly_equal * abs(budget.value)
    elif op == "=":
        ok = same
    elif op == ">":
        ok = diff > eps and not same or either
    else:
        ok = diff < -eps and not same or either
    relation = "=" if _same(spent, budget) else ">" if diff > 0 else "<"
    return ctx.finding(
        "direction",
        ok,
        None,
        diff,
        f"{word.text}: spent {spent.text} {relation} budget {budget.text}",
        [budget.evidence(), spent.evidence(), word],
    )


def _change_words(ctx: _Context, stmt: Statement) -> Result:
    for rate in (r for r in stmt.rates if r.kind == "change" and r.signed):
        change = _before(stmt, rate.pos, lambda f, s=stmt: _is_change(s, f))
        if change is None:
            continue
        sign = _change_sign(stmt, change)
        if sign == 0:
            continue
        raw_start, raw_end = stmt.raw_span(change.pos - 2, change.pos)
        word = Evidence(ctx.doc.raw[raw_start:raw_end], raw_start, raw_end)
        agree = (sign > 0) == (rate.value > 0)
        yield ctx.finding(
            "direction",
            agree,
            None,
            None,
            f"{word.text} {change.text} and {rate.text}: "
            + ("the same direction" if agree else "opposite directions"),
            [word, change.evidence(), rate.evidence()],
        )


def check_repeat(ctx: _Context) -> Result:
    """The same budget line (same role: budget, or what was received or spent) stated
    twice in the narrative: the values agree."""
    first: dict[tuple[str, str], Figure] = {}
    for stmt in ctx.statements:
        for fig in stmt.money():
            line = ctx.stated_line(stmt, fig)
            label = stmt.label(fig.pos)
            if line is None:
                continue
            role = f"budget:{_budget_kind(label)}" if fig.role == "budget" else "actual"
            key = (line, role)
            if key not in first:
                first[key] = fig
                continue
            earlier = first[key]
            yield ctx.finding(
                "repeat",
                _same(earlier, fig),
                fig.value,
                earlier.value,
                f"{line.split('/')[-1]}: {fig.text} here, {earlier.text} earlier",
                [earlier.evidence(), fig.evidence()],
            )


def check_table(ctx: _Context) -> Result:
    """A narrative figure of a budget line against the same line in the document's own
    tables: the table the section explains (五、一般公共预算财政拨款支出决算情况说明 →
    一般公共预算财政拨款支出决算表), the line's total, or the 预算数 / 决算数 of the “三公”
    table."""
    if not ctx.tables.figures:
        return
    by_table: dict[str, list[TableFigure]] = {}
    for tf in ctx.tables.figures:
        by_table.setdefault(tf.table, []).append(tf)
    for stmt in ctx.statements:
        consulted = _section_tables(stmt.sentence.section)
        if not consulted:
            continue
        for fig in stmt.money():
            line = ctx.stated_line(stmt, fig)
            if line is None:
                continue
            match = _table_match(by_table, consulted, line, fig)
            if match:
                yield _table_finding(ctx, stmt, fig, line, match)


def _table_match(
    by_table: dict[str, list[TableFigure]], consulted: list[str], line: str, fig: Figure
) -> list[TableFigure]:
    for name in consulted:
        found = [tf for tf in by_table.get(name, []) if tf.line == line]
        if name.endswith("经费支出决算表"):
            column = "预算数" if fig.role == "budget" else "决算数"
            found = [tf for tf in found if tf.column == column]
        elif fig.role == "budget":
            found = []
        else:
            found = [tf for tf in found if tf.total]
        if found:
            return found
    return []


def _table_finding(
    ctx: _Context, stmt: Statement, fig: Figure, line: str, found: list[TableFigure]
) -> Finding:
    best = min(found, key=lambda tf: abs(tf.value - fig.value))
    ok = _same(fig, (best.value, _cell_half(best)))
    cell = best.cell
    text = ctx.doc.raw[cell.start : cell.end] if cell.start is not None else cell.text
    name = line.split("/")[-1]
    where = f"{best.ref}, {name}" + (f" × {best.column}" if best.column else "")
    return ctx.finding(
        "table",
        ok,
        fig.value,
        best.value,
        f"{name}: {fig.text} in the text, {text} in {best.ref}",
        [fig.evidence(), Evidence(text, cell.start, cell.end, where)],
    )


def _cell_half(tf: TableFigure) -> float:
    number = float(tf.cell.text.replace(",", ""))
    factor = tf.value / number if number else 10000
    return 0.5 * 10.0**-tf.decimals * factor


@cache
def _section_map() -> list[tuple[str, list[str]]]:
    data = patterns.load("tables").get("sections", [])
    return sorted(((s["cue"], list(s["tables"])) for s in data), key=lambda p: -len(p[0]))


def _section_tables(section: str | None) -> list[str]:
    """The tables a section of the 情况说明 explains (patterns/tables.yaml, sections)."""
    if not section:
        return []
    last = section.split(" > ")
    for heading in reversed(last):
        for cue, tables in _section_map():
            if cue in heading:
                return tables
    return []


def check_target(ctx: _Context) -> Result:
    """An indicator's actual against its target, by the target's comparator: ok, or
    unmet; an indicator whose target and actual cannot be compared (a qualitative
    cell, different units) is a claim not checkable. And a narrative count against the
    indicator row that counts the same thing: its sentence shares a long stretch of
    the indicator's name (定期更换科普橱窗) and the figure is in the actual's unit."""
    for ind in ctx.tables.indicators:
        evidence = [Evidence(ind.name.text, ind.name.start, ind.name.end)]
        evidence += [Evidence(v.text, v.start, v.end) for v in (ind.target, ind.actual) if v]
        if ind.met is None:
            if ind.target is not None and ind.actual is not None and ind.target.value is not None:
                yield ctx.unchecked("target", "target and actual not comparable", evidence)
        else:
            yield _target_finding(ctx, ind, evidence)
        yield from _narrative_counts(ctx, ind)


def _narrative_counts(ctx: _Context, ind: IndicatorRecord) -> Result:
    actual = ind.actual
    if actual is None or actual.value is None or not actual.unit or actual.unit == "%":
        return
    name = re.sub(r"\s+", "", ind.name.text)
    for stmt in ctx.statements:
        for fig in stmt.figures:
            if fig.money or not fig.exact or fig.unit != actual.unit:
                continue
            clause = _clause_before(stmt.text, fig.pos) + _clause_after(stmt.text, fig.pos_end)
            if _common_run(name, clause) < rules().indicator_overlap:
                continue
            yield ctx.finding(
                "target",
                math.isclose(fig.value, actual.value),
                fig.value,
                actual.value,
                f"{name}: {fig.text} in the text, {actual.text} in the indicator table",
                [fig.evidence(), Evidence(actual.text, actual.start, actual.end)],
            )


def _common_run(a: str, b: str) -> int:
    """The length of the longest stretch of characters ``a`` and ``b`` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best


def _target_finding(ctx: _Context, ind: IndicatorRecord, evidence: list[Evidence]) -> Finding:
    assert ind.target is not None and ind.actual is not None
    return ctx.finding(
        "target",
        bool(ind.met),
        ind.target.value,
        ind.actual.value,
        f"{ind.name.text}: actual {ind.actual.text} against target {ind.target.text}"
        + ("" if ind.met else ", not met"),
        evidence,
        failed="unmet",
    )


CHECKS: dict[str, Callable[[_Context], Result]] = {
    "execution_rate": check_execution_rate,
    "change_rate": check_change_rate,
    "change_amount": check_change_amount,
    "share": check_share,
    "sum": check_sum,
    "direction": check_direction,
    "repeat": check_repeat,
    "table": check_table,
    "target": check_target,
}


def check_document(
    doc: Document,
    records: Sequence[ActivityRecord],
    doc_tables: DocumentTables,
    checks: Sequence[str] = tuple(CHECKS),
) -> CheckResult:
    """Every finding of one document, in the order of the text, and the claims found
    that could not be checked."""
    statements = _statements(doc, records)
    paths = sorted({tf.line for tf in doc_tables.figures})
    ctx = _Context(doc, statements, doc_tables, _Lines(paths))
    result = CheckResult()
    for name in checks:
        for item in CHECKS[name](ctx):
            if isinstance(item, Finding):
                result.findings.append(item)
            else:
                result.unchecked.append(item)
    result.findings.sort(key=lambda f: (f.start, f.check))
    return result


# ------------------------------------------------------------------------ output

CSV_COLUMNS = ["doc_id", "check", "status", "stated", "computed", "message", "evidence", "spans"]


def render_findings(findings: Sequence[Finding], fmt: str = "jsonl") -> str:
    """Findings as JSON Lines (SCHEMA.md), or CSV with one row per finding (the
    evidence texts joined by `` | ``, their spans as ``start-end``; a table figure's
    table after its text)."""
    if fmt == "jsonl":
        return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in findings)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        writer.writerow(
            [
                f.doc_id,
                f.check,
                f.status,
                "" if f.stated is None else _plain(f.stated),
                "" if f.computed is None else _plain(f.computed),
                f.message,
                " | ".join(
                    re.sub(r"\s+", " ", e.text) + (f" ({e.table})" if e.table else "")
                    for e in f.evidence
                ),
                " ".join("" if e.start is None else f"{e.start}-{e.end}" for e in f.evidence),
            ]
        )
    return out.getvalue()


def summarize(results: Sequence[CheckResult]) -> list[str]:
    """Lines counting findings by check kind and status, and the claims found but not
    checkable with their reasons (coverage)."""
    lines = []
    for name in CHECKS:
        found = [f for r in results for f in r.findings if f.check == name]
        skipped = [u for r in results for u in r.unchecked if u.check == name]
        if not found and not skipped:
            continue
        counts = " ".join(f"{sum(f.status == s for f in found)} {s}" for s in STATUSES)
        reasons: dict[str, int] = {}
        for u in skipped:
            reasons[u.reason] = reasons.get(u.reason, 0) + 1
        why = ", ".join(
            f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])
        )
        lines.append(
            f"  {name:<15}{counts}; {len(skipped)} not checkable" + (f" ({why})" if why else "")
        )
    return lines
