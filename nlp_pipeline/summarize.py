"""Summarize: each report's activity records → one row per report, to compare departments.

Takes a document's ``Profile`` (reporting body, year and genre, read from its title and
headings: ``profile_document``, or ``profile_records`` when only records are at hand)
and its records, and returns its ``DocumentSummary``: one row of the summary table and
the cells behind it, each a figure of one record (``Cell``: the long table, so every
number leads back to its sentence). ``summary_table`` puts the rows of many reports
into one pandas table, the same body's reports together by year, with year-on-year
differences. ``summarize`` does both for documents given one at a time (a generator
fed by extraction): it keeps each document's row and hands its cells on.

The row (SCHEMA.md "Summaries"; rules and their examples in ``patterns/summarize.yaml``):

- ``doc_id``, ``body``, ``year``, ``genre`` (``GENRES``), ``records``;
- ``<line>``: a budget line's figure this year, in yuan. It is the first money quantity,
  in reading order, of the line's role on a record whose ``event.line`` is that line and
  that is dated this report's year or not dated; the role is the line's kind in
  patterns/budget.yaml (``budget.line_role``: totals ``other``, income lines ``income``,
  spending lines ``spent``). ``<line>:budget`` likewise with role ``budget``. A line
  stated twice counts once (the first: a disagreement is ``check``'s ``repeat`` finding, not a sum);
  lines are never added up, so a total and its parts stay in their own columns;
- ``<line>:yoy``: this year's ``<line>`` less the same body's the year before;
- ``execution_rate``: spent ÷ budget of ``一般公共预算财政拨款支出``, else the
  execution rate stated on that line (a fraction);
- ``sessions``, ``participants``, ``awards`` and the same per event type
  (``sessions:lecture``; ``:none`` without an event): sums over this year's records,
  where a figure that is a part of a total in its own sentence (``举办活动120场，
  其中讲座45场``) is not added: the total counts, once;
- ``mismatches``: the findings of ``check`` with status ``mismatch`` (given findings).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import regex

from . import budget, patterns
from .ingest import Document, reporting_year
from .schema import ActivityRecord, DateMention, Event, Mention, Quantity, Rate
from .segment import classify_line

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACTIVITY_KINDS",
    "GENRES",
    "LONG_COLUMNS",
    "ROW_COLUMNS",
    "Cell",
    "DocumentSummary",
    "Profile",
    "long_table",
    "line_role",
    "parts_of_totals",
    "profile_document",
    "profile_records",
    "profile_text",
    "read_findings",
    "records_from_rows",
    "summarize",
    "summarize_document",
    "summary_table",
]

GENRES: tuple[str, ...] = ("final_accounts", "performance_self_evaluation", "work_summary", "other")
# Quantity kind -> the measure it sums into.
ACTIVITY_KINDS: dict[str, str] = {
    "sessions": "sessions",
    "participants": "participants",
    "award": "awards",
}
LONG_COLUMNS: tuple[str, ...] = ("doc_id", "measure", "value", "unit", "record_id", "span", "text")
ROW_COLUMNS: tuple[str, ...] = ("doc_id", "body", "year", "genre", "records")
EXECUTION_RATE = "execution_rate"
MISMATCHES = "mismatches"
BUDGET_SUFFIX = ":budget"
YOY_SUFFIX = ":yoy"
_YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class Profile:
    """Which report a document is: who reports, for which year, in which genre."""

    doc_id: str
    body: str | None
    year: int | None
    genre: str = "other"


@dataclass(frozen=True)
class Cell:
    """One figure behind a summary cell: a row of the long table.

    ``value`` is what the figure adds to the cell named ``measure`` (a cell is the sum
    of its figures; a budget line has one). ``record_id`` and ``start``/``end`` (the raw
    span) say where it is written; ``text`` is the figure as written.
    """

    doc_id: str
    measure: str
    value: float
    unit: str
    record_id: str | None
    start: int | None
    end: int | None
    text: str

    def to_row(self) -> dict[str, Any]:
        span = None if self.start is None or self.end is None else [self.start, self.end]
        return {
            "doc_id": self.doc_id,
            "measure": self.measure,
            "value": float(self.value),
            "unit": self.unit,
            "record_id": self.record_id,
            "span": span,
            "text": self.text,
        }


@dataclass
class DocumentSummary:
    """A report's row of the summary table and the cells behind its figures."""

    profile: Profile
    records: int
    cells: list[Cell] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The summary row: the profile, the record count and each measure's sum."""
        out: dict[str, Any] = {
            "doc_id": self.profile.doc_id,
            "body": self.profile.body,
            "year": self.profile.year,
            "genre": self.profile.genre,
            "records": self.records,
        }
        for cell in self.cells:
            out[cell.measure] = out.get(cell.measure, 0.0) + float(cell.value)
        return out


# ------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rules:
    title: regex.Pattern[str]
    marker_genres: dict[str, str]
    title_max_lines: int
    title_search_lines: int
    body_suffixes: tuple[str, ...]
    body_cues: list[regex.Pattern[str]]
    not_body: regex.Pattern[str]
    body_search_lines: int
    abbreviations: dict[str, str]
    vocabulary: dict[str, list[str]]
    heading_weight: int
    genre_min_score: int
    line_order: list[str]
    execution_line: str
    part_markers: regex.Pattern[str]
    group_ends: str
    enumeration_starts: tuple[str, ...]
    total_words: regex.Pattern[str]


@cache
def rules() -> _Rules:
    name = "summarize"
    data = patterns.load(name)
    markers: dict[str, list[str]] = patterns.require(data, "title_markers", dict, name)
    marker_genres = {m: genre for genre, words in markers.items() for m in words}
    unknown = set(markers) - set(GENRES)
    if unknown:
        raise patterns.PatternError(
            f"{patterns.patterns_dir() / 'summarize.yaml'}: 'title_markers': unknown genre "
            f"{sorted(unknown)[0]!r} (one of {', '.join(GENRES)})"
        )
    tail = str(data.get("title_tail", ""))
    title = (
        rf"^(?:(?P<y1>{_YEAR})年度?)?(?P<body>[^\d]*?)(?:(?P<y2>{_YEAR})年度?)?"
        rf"(?P<marker>{patterns.alternation(list(marker_genres))}){tail}$"
    )
    cues = patterns.require(data, "body_cues", list, name)
    return _Rules(
        title=patterns.compile_regex(title, name, "title_markers"),
        marker_genres=marker_genres,
        title_max_lines=int(data.get("title_max_lines", 3)),
        title_search_lines=int(data.get("title_search_lines", 15)),
        body_suffixes=tuple(patterns.require(data, "body_suffixes", list, name)),
        body_cues=[patterns.compile_regex(c, name, "body_cues") for c in cues],
        not_body=patterns.compile_regex(
            patterns.require(data, "not_body", str, name), name, "not_body"
        ),
        body_search_lines=int(data.get("body_search_lines", 5)),
        abbreviations=dict(data.get("abbreviations") or {}),
        vocabulary=patterns.require(data, "genre_vocabulary", dict, name),
        heading_weight=int(data.get("heading_weight", 3)),
        genre_min_score=int(data.get("genre_min_score", 4)),
        line_order=list(data.get("line_order") or []),
        execution_line=patterns.require(data, "execution_line", str, name),
        part_markers=patterns.compile_regex(
            patterns.alternation(patterns.require(data, "part_markers", list, name)),
            name,
            "part_markers",
        ),
        group_ends=str(data.get("clause_group_ends", "；;。")),
        enumeration_starts=tuple(str(w) for w in data.get("enumeration_starts", [])),
        total_words=patterns.compile_words(
            [str(w) for w in data.get("total_words", [])], name, "total_words"
        ),
    )


# ---------------------------------------------------------------------- profiles


def profile_document(document: Document) -> Profile:
    """The profile of a document read whole: its title, first lines and headings."""
    lines = document.text.splitlines()
    headings = [line for line in lines if classify_line(line)[0] == "heading"]
    return profile_text(document.doc_id, lines, headings, document.text, document.year)


def profile_records(doc_id: str, records: Sequence[ActivityRecord]) -> Profile:
    """The profile of a document known only by its records: their headings and sentences.

    A title is rarely a sentence with a figure, so the body is usually found only where
    a sentence names it (``东西湖区科协共有编制人数4人``); the year is the file name's.
    """
    headings: list[str] = []
    for record in records:
        for part in (record.section or "").split(" > "):
            if part and part not in headings:
                headings.append(part)
    sentences = [r.sentence.text for r in records]
    text = "\n".join(headings + sentences)
    return profile_text(doc_id, sentences, headings, text, reporting_year(text, doc_id))


def profile_text(
    doc_id: str,
    lines: Sequence[str],
    headings: Sequence[str],
    text: str,
    year: int | None = None,
) -> Profile:
    """A profile from a document's lines (title first), headings and whole text.

    The title names body, year and genre; failing a title, the first prose lines may
    name the body, the headings and words vote for the genre, and ``year`` is used.
    """
    r = rules()
    body, title_year, genre = _title(lines, r)
    if body is None:
        body = _body_in_prose(lines, r)
    return Profile(
        doc_id=doc_id,
        body=body,
        year=title_year if title_year is not None else year,
        genre=genre or _genre_by_vocabulary(headings, text, r),
    )


def _squeeze(line: str) -> str:
    return "".join(line.split()).lstrip("#").strip("*_")


def _title(lines: Sequence[str], r: _Rules) -> tuple[str | None, int | None, str | None]:
    """``(body, year, genre)`` of the first title among the first lines, else Nones.

    A title may wrap over up to ``title_max_lines`` lines; the earliest title wins, so
    a table of contents below it (``第二部分 …局2024年度部门决算表``) does not.
    """
    head = [_squeeze(line) for line in lines if line.strip()][: r.title_search_lines]
    for start in range(len(head)):
        for size in range(1, min(r.title_max_lines, len(head) - start) + 1):
            m = r.title.match("".join(head[start : start + size]))
            if m is None:
                continue
            body = m.group("body")
            year = m.group("y1") or m.group("y2")
            if body and not _is_body(body, r):
                continue
            return (
                _expand(body, r) if body else None,
                int(year) if year else None,
                r.marker_genres[m.group("marker")],
            )
    return None, None, None


def _is_body(name: str, r: _Rules) -> bool:
    if r.not_body.match(name):
        return False
    return any(name.endswith(s) and len(name) > len(s) for s in r.body_suffixes) or (
        name in r.body_suffixes and len(name) >= 3
    )


def _expand(body: str, r: _Rules) -> str:
    for short, full in r.abbreviations.items():
        if body.endswith(short):
            return body[: -len(short)] + full
    return body


def _body_in_prose(lines: Sequence[str], r: _Rules) -> str | None:
    prose = [
        line.strip()
        for line in lines
        if line.strip() and classify_line(line)[0] not in ("heading", "table")
    ]
    for line in prose[: r.body_search_lines]:
        for cue in r.body_cues:
            m = cue.search(line)
            if m and _is_body(m.group("body"), r):
                return _expand(m.group("body"), r)
    return None


def _genre_by_vocabulary(headings: Sequence[str], text: str, r: _Rules) -> str:
    scores: dict[str, int] = {}
    for genre, words in r.vocabulary.items():
        in_headings = sum(1 for h in headings for w in words if w in h)
        scores[genre] = r.heading_weight * in_headings + sum(text.count(w) for w in words)
    best = max(scores, key=lambda g: scores[g], default="other")
    return best if scores.get(best, 0) >= r.genre_min_score else "other"


# ----------------------------------------------------------------- the summary


def line_role(line: str) -> str:
    """The money role whose figure is a budget line's value: the line's kind in
    patterns/budget.yaml (the same role extraction gives the line's figures)."""
    return budget.line_role(line)


def summarize_document(
    profile: Profile,
    records: Sequence[ActivityRecord],
    findings: Sequence[Mapping[str, Any]] | None = None,
) -> DocumentSummary:
    """One report's summary: its budget lines, execution rate, activities, mismatches.

    ``findings`` are the report's findings of ``check`` (objects with at least
    ``check`` and ``status``); ``None`` when none were given, so ``mismatches`` stays
    empty rather than 0.
    """
    this_year = [r for r in records if _of_year(r, profile.year)]
    cells = _line_cells(profile.doc_id, this_year)
    cells += _execution_cells(profile.doc_id, this_year, cells)
    cells += _activity_cells(profile.doc_id, this_year)
    if findings is not None:
        cells += _mismatch_cells(profile.doc_id, findings)
    return DocumentSummary(profile, len(records), cells)


def _of_year(record: ActivityRecord, year: int | None) -> bool:
    """Whether a record speaks of the report's year: not dated, or dated that year."""
    if year is None or record.date is None:
        return True
    return record.date.value[:4] == str(year)


def _rmb(q: Quantity) -> bool:
    return q.kind == "money" and q.currency is None and q.unit == "元"


def _cell(doc_id: str, measure: str, q: Quantity, record: ActivityRecord) -> Cell:
    return Cell(doc_id, measure, float(q.value), q.unit, record.record_id, q.start, q.end, q.text)


def _line_cells(doc_id: str, records: Sequence[ActivityRecord]) -> list[Cell]:
    """The first figure of each line's role, and of its budget, in reading order."""
    found: dict[str, Cell] = {}
    for record in sorted(records, key=lambda r: r.sentence.start):
        line = record.event.line if record.event else None
        if not line:
            continue
        measures = {line_role(line): line, "budget": line + BUDGET_SUFFIX}
        for q in sorted(record.quantities, key=lambda q: q.start):
            measure = measures.get(q.role or "") if _rmb(q) else None
            if measure is not None and measure not in found:
                found[measure] = _cell(doc_id, measure, q, record)
    return list(found.values())


def _execution_cells(
    doc_id: str, records: Sequence[ActivityRecord], lines: Sequence[Cell]
) -> list[Cell]:
    """Spent ÷ budget of the execution line, else the rate stated on it.

    A computed rate's long row points at the spent figure (its span and text as written,
    so the row still indexes the document); the budget it is divided by is the row of
    ``<line>:budget``."""
    line = rules().execution_line
    by_measure = {c.measure: c for c in lines}
    spent, budget = by_measure.get(line), by_measure.get(line + BUDGET_SUFFIX)
    if spent is not None and budget is not None and budget.value:
        return [
            Cell(
                doc_id,
                EXECUTION_RATE,
                spent.value / budget.value,
                "fraction",
                spent.record_id,
                spent.start,
                spent.end,
                spent.text,
            )
        ]
    for record in sorted(records, key=lambda r: r.sentence.start):
        if record.event is None or record.event.line != line:
            continue
        for rate in record.rates:
            if rate.kind == "execution":
                return [
                    Cell(
                        doc_id,
                        EXECUTION_RATE,
                        rate.value,
                        "fraction",
                        record.record_id,
                        rate.start,
                        rate.end,
                        rate.text,
                    )
                ]
    return []


def parts_of_totals(sentence: Mention, quantities: Sequence[Quantity]) -> set[int]:
    """Indexes into ``quantities`` (all of one sentence) of the figures that are parts.

    After a part marker (``其中``, ``包括``), the figures of a kind up to the end of the
    clause group are parts of the last figure of that kind before the marker in the
    same clause group, when there is one: ``举办活动120场，其中讲座45场、培训30期``
    makes 45 and 30 parts of 120.
    """
    r = rules()
    text = sentence.text
    parts: set[int] = set()
    for m in r.part_markers.finditer(text):
        group_start = max(text.rfind(ch, 0, m.start()) for ch in r.group_ends) + 1
        ends = [i for i in (text.find(ch, m.end()) for ch in r.group_ends) if i >= 0]
        group_end = min(ends, default=len(text))
        lo, marker, hi = (sentence.start + x for x in (group_start, m.start(), group_end))
        for kind in {q.kind for q in quantities}:
            before = [q for q in quantities if q.kind == kind and lo <= q.start < marker]
            if not before:
                continue
            parts.update(
                i
                for i, q in enumerate(quantities)
                if q.kind == kind and m.end() + sentence.start <= q.start < hi
            )
    return parts


def _activity_cells(doc_id: str, records: Sequence[ActivityRecord]) -> list[Cell]:
    """Sessions, participants and awards, in all and per event type; parts left out,
    within a sentence (``parts_of_totals``) and in the sentences after it that list them
    (``later_parts``)."""
    by_sentence: dict[tuple[int, int], list[tuple[Quantity, ActivityRecord]]] = {}
    for record in records:
        key = (record.sentence.start, record.sentence.end)
        by_sentence.setdefault(key, []).extend(
            (q, record) for q in record.quantities if q.kind in ACTIVITY_KINDS
        )
    cells: list[Cell] = []
    later = later_parts([(pairs[0][1], [q for q, _ in pairs]) for pairs in _in_order(by_sentence)])
    for pairs in _in_order(by_sentence):
        pairs.sort(key=lambda p: p[0].start)
        parts = parts_of_totals(pairs[0][1].sentence, [q for q, _ in pairs])
        for i, (q, record) in enumerate(pairs):
            if i in parts or (q.start, q.end) in later:
                continue
            measure = ACTIVITY_KINDS[q.kind]
            event_type = record.event.type if record.event else "none"
            cells.append(_cell(doc_id, measure, q, record))
            cells.append(_cell(doc_id, f"{measure}:{event_type}", q, record))
    return cells


def _in_order(
    by_sentence: dict[tuple[int, int], list[tuple[Quantity, ActivityRecord]]],
) -> list[list[tuple[Quantity, ActivityRecord]]]:
    return [pairs for _, pairs in sorted(by_sentence.items()) if pairs]


def later_parts(
    sentences: Sequence[tuple[ActivityRecord, Sequence[Quantity]]],
) -> set[tuple[int, int]]:
    """Spans of the figures that are parts of a total stated in an earlier sentence.

    ``sentences``: in reading order, a record of each sentence (for its text and section)
    with the sentence's activity figures. A sentence opening with a part marker
    (``其中讲座40场。``) lists parts of the figures of its kind in the sentence before it; a
    sentence opening an enumeration (``一是…``) lists parts of the totals a summary word
    marks (``举办各类…等900场次。``), until a sentence with figures that is neither, or a new
    section."""
    r = rules()
    parts: set[tuple[int, int]] = set()
    before: dict[str, bool] = {}  # kind -> whether a summary word marks it a total
    section: str | None = None
    for record, quantities in sentences:
        text = record.sentence.text.lstrip()
        if record.section != section:
            before, section = {}, record.section
        opens_parts = r.part_markers.match(text) is not None
        enumerates = text.startswith(r.enumeration_starts)
        if opens_parts or enumerates:
            for q in quantities:
                if q.kind in before and (opens_parts or before[q.kind]):
                    parts.add((q.start, q.end))
            continue
        if quantities:
            before = {}
            for q in quantities:
                left = max(0, q.start - record.sentence.start - 30)
                clause = text[left : q.start - record.sentence.start]
                before[q.kind] = before.get(q.kind, False) or bool(r.total_words.search(clause))
    return parts


def _mismatch_cells(doc_id: str, findings: Sequence[Mapping[str, Any]]) -> list[Cell]:
    """One cell per mismatch finding (value 1), at its first figure where it gives one."""
    cells = [Cell(doc_id, MISMATCHES, 0.0, "findings", None, None, None, "")]
    for finding in findings:
        if finding.get("status") != "mismatch":
            continue
        start = end = None
        evidence = finding.get("evidence") or []
        if evidence and isinstance(evidence[0], dict):
            span = evidence[0].get("span")
            if isinstance(span, list) and len(span) == 2:
                start, end = int(span[0]), int(span[1])
        text = f"{finding.get('check')}: {finding.get('message') or ''}".strip(": ")
        cells.append(Cell(doc_id, MISMATCHES, 1.0, "findings", None, start, end, text))
    return cells


def read_findings(lines: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Findings JSON Lines (``doc_id``, ``check``, ``status``…) grouped by document.

    Raises ``ValueError`` naming the line of a malformed finding.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            finding = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: invalid JSON: {exc.msg}") from None
        if not isinstance(finding, dict) or not all(
            isinstance(finding.get(k), str) for k in ("doc_id", "check", "status")
        ):
            raise ValueError(f"line {number}: a finding needs 'doc_id', 'check' and 'status'")
        out.setdefault(finding["doc_id"], []).append(finding)
    return out


# ---------------------------------------------------------------------- the table


def _line_columns(measures: Iterable[str]) -> list[str]:
    """Budget-line columns in template order, each followed by its budget and yoy."""
    other = {EXECUTION_RATE, MISMATCHES, *ACTIVITY_KINDS.values()}
    lines = {
        m.removesuffix(BUDGET_SUFFIX)
        for m in measures
        if m not in other and m.split(":")[0] not in ACTIVITY_KINDS.values()
    }
    order = {name: i for i, name in enumerate(rules().line_order)}
    ranked = sorted(lines, key=lambda line: (order.get(line, len(order)), line))
    return [c for line in ranked for c in (line, line + BUDGET_SUFFIX, line + YOY_SUFFIX)]


def summary_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The summary: one row per report, sorted by body then year, with ``<line>:yoy``.

    ``rows`` are ``DocumentSummary.row()`` dictionaries. Columns: ``ROW_COLUMNS``, the
    budget lines (``_line_columns``), ``execution_rate``, the activity measures, then
    ``mismatches``; a column only where some report has a value for it.
    """
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    for column in ROW_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype="object")
    frame["year"] = frame["year"].astype("Int64")
    frame["records"] = frame["records"].astype("Int64")
    frame = frame.sort_values(["body", "year", "doc_id"], na_position="last", kind="stable")
    frame = frame.reset_index(drop=True)
    measures = [c for c in frame.columns if c not in ROW_COLUMNS]
    lines = _line_columns(measures)
    yoy = _year_on_year(
        frame, [c.removesuffix(YOY_SUFFIX) for c in lines if c.endswith(YOY_SUFFIX)]
    )
    frame = pd.concat([frame, yoy], axis=1)
    activity = sorted(
        (m for m in measures if m.split(":")[0] in ACTIVITY_KINDS.values()),
        key=lambda m: (list(ACTIVITY_KINDS.values()).index(m.split(":")[0]), ":" in m, m),
    )
    tail = [c for c in (EXECUTION_RATE,) if c in frame.columns] + activity
    tail += [c for c in (MISMATCHES,) if c in frame.columns]
    columns = [*ROW_COLUMNS, *(c for c in lines if c in frame.columns), *tail]
    frame = frame[columns]
    numeric = [c for c in columns if c not in ROW_COLUMNS]
    frame[numeric] = frame[numeric].astype("float64")
    return frame


def _year_on_year(frame: pd.DataFrame, lines: Sequence[str]) -> pd.DataFrame:
    """Each of ``lines`` less the same body's the year before (NaN where either lacks)."""
    import pandas as pd

    present = [line for line in lines if line in frame.columns]
    known = frame.dropna(subset=["body", "year"]).drop_duplicates(["body", "year"])
    before = known[["body", "year", *present]].assign(year=known["year"] + 1)
    aligned = frame[["body", "year"]].merge(before, on=["body", "year"], how="left")
    out = pd.DataFrame(index=frame.index)
    for line in lines:
        if line in present:
            previous = aligned[line].to_numpy(dtype="float64", na_value=math.nan)
            out[line + YOY_SUFFIX] = frame[line].astype("float64") - previous
        else:
            out[line + YOY_SUFFIX] = math.nan
    return out


def long_table(cells: Iterable[Cell]) -> pd.DataFrame:
    """The long table: one row per figure behind a cell (columns ``LONG_COLUMNS``)."""
    import pandas as pd

    return pd.DataFrame([c.to_row() for c in cells], columns=list(LONG_COLUMNS))


def summarize(
    documents: Iterable[tuple[Profile, Sequence[ActivityRecord]]],
    findings: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    on_cells: Callable[[list[Cell]], None] | None = None,
) -> pd.DataFrame:
    """The summary table of documents given one at a time with their records.

    Only each document's row is kept, never its records, so memory does not grow with
    the records: ``documents`` may be a generator fed by extraction. The cells behind
    each row go to ``on_cells`` (for the long table) as each document is done.
    ``findings`` (by doc_id) fill ``mismatches``; without them it is left out.
    """
    rows: list[dict[str, Any]] = []
    for profile, records in documents:
        found = None if findings is None else findings.get(profile.doc_id, [])
        summary = summarize_document(profile, records, found)
        rows.append(summary.row())
        if on_cells is not None:
            on_cells(summary.cells)
    return summary_table(rows)


# ------------------------------------------------------- records from table rows


def records_from_rows(rows: Iterable[Mapping[str, Any]]) -> Iterator[ActivityRecord]:
    """Records rebuilt from the flat rows of ``io.to_dataframe`` (one per quantity).

    Enough of each record for a summary: its sentence, event (with ``line``), date
    value, quantities and rates; consecutive rows of one ``record_id`` are one record.
    """
    current: ActivityRecord | None = None
    for row in rows:
        key = (row["doc_id"], row["record_id"])
        if current is None or (current.doc_id, current.record_id) != key:
            if current is not None:
                yield current
            current = _record_of_row(row)
        current.quantities.append(_quantity_of_row(row))
    if current is not None:
        yield current


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _record_of_row(row: Mapping[str, Any]) -> ActivityRecord:
    sentence = Mention(str(row["sentence"]), int(row["sentence_start"]), int(row["sentence_end"]))
    event = None
    if not _missing(row.get("event")) and not _missing(row.get("event_start")):
        event = Event(
            str(row["event"]),
            int(row["event_start"]),
            int(row["event_end"]),
            str(row.get("event_type") or "other"),
            _text(row.get("event_line")),
        )
    date = None
    if not _missing(row.get("date_value")):
        date = DateMention(str(row.get("date") or ""), 0, 0, str(row["date_value"]))
    rates = [
        Rate(r["text"], r["span"][0], r["span"][1], r["kind"], float(r["value"]))
        for r in json.loads(_text(row.get("rates")) or "[]")
    ]
    return ActivityRecord(
        doc_id=str(row["doc_id"]),
        record_id=_text(row.get("record_id")),
        section=_text(row.get("section")),
        sentence=sentence,
        event=event,
        date=date,
        rates=rates,
    )


def _quantity_of_row(row: Mapping[str, Any]) -> Quantity:
    return Quantity(
        str(row["text"]),
        int(row["start"]),
        int(row["end"]),
        kind=str(row["kind"]),
        value=float(row["value"]),
        unit=str(row.get("unit") or ""),
        qualifier=str(row.get("qualifier") or "exact"),
        level=_text(row.get("level")),
        role=_text(row.get("role")),
        object=_text(row.get("object")),
        currency=_text(row.get("currency")),
    )
