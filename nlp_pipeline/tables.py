"""Tables: a document's tables read as cells; indicator records; final-accounts figures.

Takes a ``Document`` (and, for a PDF, the ruled tables pdfplumber finds in it) and
returns:

- ``Table``s of cells, from every form a table arrives in: tab-separated rows (also
  HTML and DOCX tables, which ingest and formats turn into tabs), Markdown pipe rows,
  lines of PDF text where a row is flattened into space-separated fields, and PDF
  tables read as tables (``formats.read_pdf_tables``), each cell found again in the
  document's text so that it has a span;
- ``IndicatorRecord``s, one per row of a performance-target table (SCHEMA.md,
  "Indicator records");
- ``TableFigure``s: the line / column / value figures of the nine tables of a
  final-accounts report (收入支出决算总表 … “三公”经费支出决算表), in yuan;
- ``ExecutionRow``s: the 预算数 / 执行数 / 执行率 rows of a self-evaluation form.

``read_document_tables`` does all of this for one document. Table rows never give
activity records (``segment`` sets them aside); this module is where they are read.
The rules are data in ``patterns/tables.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from . import patterns
from .formats import PdfTable
from .ingest import Document, IngestError, normalize, read_bytes
from .schema import Mention, SchemaError
from .segment import classify_line

__all__ = [
    "Cell",
    "DocumentTables",
    "ExecutionRow",
    "IndicatorRecord",
    "IndicatorValue",
    "Table",
    "TableFigure",
    "final_accounts_figures",
    "final_accounts_table",
    "indicator_records",
    "line_alias",
    "line_aliases",
    "parse_value",
    "read_document_tables",
    "read_tables",
]

_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_ORDINAL = regex.compile(r"^[一二三四五六七八九十]{1,3}、")
_SPACE = re.compile(r"\s+")


# ------------------------------------------------------------------------ the rules


@dataclass(frozen=True)
class _Rules:
    header_words: list[tuple[str, str]]  # (word, role), longest words first
    level1_words: frozenset[str]
    level_max_chars: int
    row_stops: tuple[str, ...]
    prefix_comparators: list[tuple[str, str]]
    suffix_comparators: list[tuple[str, str]]
    multipliers: dict[str, int]
    value: regex.Pattern[str]
    qualitative: list[regex.Pattern[str]]
    upper_bound_words: tuple[str, ...]
    cost_levels: frozenset[str]
    titles: list[tuple[str, str]]  # (title, table name), longest first
    column_lines: dict[str, dict[str, str]]
    total_lines: dict[str, str]
    row_lines: dict[str, dict[str, str]]
    lines_in_columns: frozenset[str]
    title_slack: int
    table_ends: tuple[str, ...]
    default_unit: str
    units: dict[str, int]
    skip_columns: frozenset[str]
    stray_words: frozenset[str]
    aliases: list[tuple[str, str]]  # (alias, canonical line), longest first


@cache
def rules() -> _Rules:
    name = "tables"
    data = patterns.load(name)
    header = patterns.require(data, "indicator_header", dict, name)
    comparators = patterns.require(data, "comparators", dict, name)
    tables = patterns.require(data, "final_accounts", list, name)
    lines = patterns.require(data, "lines", dict, name)
    return _Rules(
        header_words=_longest_first(
            (word, role) for role, words in header.items() for word in words
        ),
        level1_words=frozenset(data.get("level1_words", [])),
        level_max_chars=int(data.get("level_max_chars", 12)),
        row_stops=tuple(data.get("row_stops", [])),
        prefix_comparators=_longest_first(
            (w, op) for op, words in comparators.get("prefix", {}).items() for w in words
        ),
        suffix_comparators=_longest_first(
            (w, op) for op, words in comparators.get("suffix", {}).items() for w in words
        ),
        multipliers={str(k): int(v) for k, v in data.get("multipliers", {}).items()},
        value=patterns.compile_regex(patterns.require(data, "value", str, name), name, "value"),
        qualitative=[
            patterns.compile_regex(p, name, "qualitative") for p in data.get("qualitative", [])
        ],
        upper_bound_words=tuple(data.get("upper_bound_words", [])),
        cost_levels=frozenset(data.get("cost_levels", [])),
        titles=_longest_first((title, t["name"]) for t in tables for title in t["titles"]),
        column_lines={t["name"]: dict(t.get("column_lines", {})) for t in tables},
        total_lines={t["name"]: t["total_line"] for t in tables if t.get("total_line")},
        row_lines={t["name"]: dict(t.get("row_lines", {})) for t in tables},
        lines_in_columns=frozenset(t["name"] for t in tables if t.get("lines_in_columns")),
        title_slack=int(data.get("title_slack", 24)),
        table_ends=tuple(data.get("table_ends", [])),
        default_unit=str(data.get("default_unit", "万元")),
        units={str(k): int(v) for k, v in data.get("units", {}).items()},
        skip_columns=frozenset(data.get("skip_columns", [])),
        stray_words=frozenset(data.get("stray_words", [])),
        aliases=_longest_first((alias, line) for line, words in lines.items() for alias in words),
    )


def _longest_first(pairs: Any) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


# ------------------------------------------------------------------------ cells and tables


@dataclass(frozen=True)
class Cell:
    """One table cell: its text with white space removed (for matching), and the raw
    ``[start, end)`` span it was found at (``None`` when a PDF cell is not in the text)."""

    text: str
    start: int | None = None
    end: int | None = None

    def mention(self, raw: str) -> Mention | None:
        if self.start is None or self.end is None:
            return None
        return Mention(raw[self.start : self.end], self.start, self.end)


@dataclass
class Table:
    """A table of a document: rows of cells, where it is and what its caption says."""

    index: int
    form: str  # tab | pipe | form (space-separated fields) | pdf
    rows: list[list[Cell]]
    start: int
    end: int
    title: str | None = None
    page: int | None = None

    @property
    def ref(self) -> str:
        """A reference a person can follow: ``table 3 “收入决算表” (PDF page 6)``."""
        out = f"table {self.index}"
        if self.title:
            out += f" “{self.title}”"
        if self.page is not None:
            out += f" (PDF page {self.page})"
        return out


def read_tables(doc: Document, pdf_tables: Sequence[PdfTable] = ()) -> list[Table]:
    """Every table of a document, in reading order.

    With ``pdf_tables`` (a PDF's ruled tables), those are the tables, each cell found
    again in ``doc.raw``; tables of the text that none of them covers are kept too.
    Otherwise the final-accounts tables are read from their captions down (their rows
    may be flattened PDF text), and other tables as runs of table lines.
    """
    lines = list(_text_lines(doc))
    if pdf_tables:
        tables = _pdf_tables(doc, pdf_tables, lines)
        covered = [(t.start, t.end) for t in tables]
    else:
        tables = _caption_tables(doc, lines)
        covered = [(t.start, t.end) for t in tables]
    for table in _line_tables(doc, lines):
        if not any(a < table.end and table.start < b for a, b in covered):
            tables.append(table)
    tables.sort(key=lambda t: t.start)
    for number, table in enumerate(tables, 1):
        table.index = number
    return tables


@dataclass(frozen=True)
class _TextLine:
    start: int  # normalized offsets of the line (without its line break)
    end: int
    raw_start: int
    raw_end: int
    kind: str  # blank | tab | pipe | form | text
    text: str  # normalized


def _text_lines(doc: Document) -> Iterator[_TextLine]:
    text = doc.mapped.text
    pos = 0
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        raw_start, raw_end = doc.mapped.raw_span(pos, end) if text else (0, 0)
        raw_line = doc.raw[raw_start:raw_end]
        yield _TextLine(pos, end, raw_start, raw_end, _line_kind(line, raw_line), line)
        if nl < 0:
            break
        pos = nl + 1


def _line_kind(line: str, raw_line: str) -> str:
    stripped = line.strip()
    if not stripped:
        return "blank"
    if "\t" in line:
        return "tab"
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return "pipe"
    if classify_line(line, raw_line)[0] == "table":
        return "form"
    return "text"


def _line_cells(doc: Document, line: _TextLine) -> list[Cell]:
    """The cells of one table line, each with its raw span."""
    if line.kind == "tab":
        return _split_mapped(doc, line.start, line.end, "\t")
    if line.kind == "pipe":
        cells = _split_mapped(doc, line.start, line.end, "|")
        return cells[1:-1] if len(cells) >= 2 and not cells[0].text else cells
    return _raw_fields(doc, line.raw_start, line.raw_end)


def _split_mapped(doc: Document, start: int, end: int, sep: str) -> list[Cell]:
    text = doc.mapped.text
    cells: list[Cell] = []
    pos = start
    while True:
        nxt = text.find(sep, pos, end)
        stop = end if nxt < 0 else nxt
        cells.append(_mapped_cell(doc, pos, stop))
        if nxt < 0:
            return cells
        pos = nxt + 1


def _mapped_cell(doc: Document, start: int, end: int) -> Cell:
    text = doc.mapped.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return Cell("")
    raw_start, raw_end = doc.mapped.raw_span(start, end)
    return Cell(_SPACE.sub("", text[start:end]), raw_start, raw_end)


def _raw_fields(doc: Document, raw_start: int, raw_end: int) -> list[Cell]:
    """Space-separated fields of a raw line (flattened PDF text, form lines)."""
    return [
        Cell(_SPACE.sub("", normalize(m.group()).text), raw_start + m.start(), raw_start + m.end())
        for m in re.finditer(r"\S+", doc.raw[raw_start:raw_end])
    ]


def _line_tables(doc: Document, lines: list[_TextLine]) -> Iterator[Table]:
    """Runs of table lines (blank lines between them allowed); the text line just
    before a run is its caption."""
    run: list[_TextLine] = []
    caption: str | None = None
    last_text: str | None = None
    for line in [*lines, None]:
        if line is not None and line.kind in ("tab", "pipe", "form"):
            if not run:
                caption = last_text
            run.append(line)
            continue
        if line is not None and line.kind == "blank":
            continue
        if run:
            rows = [cells for cells in (_line_cells(doc, ln) for ln in run) if not _rule_row(cells)]
            if rows:
                yield Table(0, run[0].kind, rows, run[0].raw_start, run[-1].raw_end, caption)
            run = []
        if line is not None:
            last_text = line.text.strip()[:80]


def _rule_row(cells: list[Cell]) -> bool:
    """A Markdown separator row (``|---|:--:|``) or a row of dashes."""
    filled = [c.text for c in cells if c.text]
    return bool(filled) and all(re.fullmatch(r":?-{2,}:?", t) for t in filled)


# ------------------------------------------------------------------------ final-accounts tables


def final_accounts_table(caption: str) -> str | None:
    """The final-accounts table a caption names (``2024年度收入决算表`` → ``收入决算表``),
    or ``None``; a caption is a short line holding the title."""
    r = rules()
    caption = _SPACE.sub("", caption)
    for title, table in r.titles:
        if title in caption and len(caption) <= len(title) + r.title_slack:
            if "情况" in caption or "，" in caption or "。" in caption:
                return None
            return table
    return None


def _caption_tables(doc: Document, lines: list[_TextLine]) -> list[Table]:
    """Final-accounts tables read from the text: from a caption line to a note
    (``注：``), the next caption or the next part of the report."""
    r = rules()
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        name = final_accounts_table(lines[i].text) if lines[i].kind == "text" else None
        if name is None:
            i += 1
            continue
        j = i + 1
        body: list[_TextLine] = []
        while j < len(lines):
            text = lines[j].text.strip()
            if text.lstrip("#* ").startswith(r.table_ends) or (
                lines[j].kind == "text" and final_accounts_table(text) is not None
            ):
                break
            if lines[j].kind != "blank":
                body.append(lines[j])
            j += 1
        rows = _caption_rows(doc, body)
        if any(_figure_cells(row) for row in rows):
            caption = _SPACE.sub("", lines[i].text).lstrip("#*")
            tables.append(
                Table(0, body[0].kind, rows, lines[i].raw_start, body[-1].raw_end, caption)
            )
        i = j
    return tables


def _caption_rows(doc: Document, body: list[_TextLine]) -> list[list[Cell]]:
    """Rows of a final-accounts table in text. Tab and pipe lines are rows as they are;
    a flattened PDF row may run over several lines (a code, then its name, then its
    figures), which are joined into one row: a row that starts with a code goes on
    until its first figure."""
    rows: list[list[Cell]] = []
    pending: list[Cell] = []
    for line in body:
        if line.kind in ("tab", "pipe"):
            if pending:
                rows.append(_flat_row(pending))
                pending = []
            rows.append(_line_cells(doc, line))
            continue
        fields = _raw_fields(doc, line.raw_start, line.raw_end)
        if pending and _CODE.match(pending[0].text) and not _has_figure(pending):
            pending += fields
        else:
            if pending:
                rows.append(_flat_row(pending))
            pending = fields
        if pending and _NUMBER.match(pending[-1].text) and _has_figure(pending[-1:]):
            rows.append(_flat_row(pending))
            pending = []
    if pending:
        rows.append(_flat_row(pending))
    return rows


def _has_figure(cells: list[Cell]) -> bool:
    return any(_NUMBER.match(c.text) and not _CODE.match(c.text) for c in cells)


def _flat_row(fields: list[Cell]) -> list[Cell]:
    """A flattened row's fields as cells: a leading code (``201 06 01`` is 2010601),
    consecutive words joined into one name (``机关事业单位基本养老保险缴费 支出``),
    each figure a cell of its own; stray header words (类 款 项) dropped."""
    stray = rules().stray_words
    fields = [f for f in fields if f.text not in stray]
    cells: list[Cell] = []
    i = 0
    while i < len(fields):
        f = fields[i]
        if re.fullmatch(r"\d{3}", f.text) and (not cells or not _CODE.match(cells[-1].text)):
            code = f
            while i + 1 < len(fields) and re.fullmatch(r"\d{2}", fields[i + 1].text):
                i += 1
                code = Cell(code.text + fields[i].text, code.start, fields[i].end)
            cells.append(code)
        elif _NUMBER.match(f.text) or (_ORDINAL.match(f.text) and cells and _is_word(cells[-1])):
            cells.append(f)
        elif cells and _is_word(cells[-1]) and not _CODE.match(cells[-1].text):
            last = cells[-1]
            cells[-1] = Cell(last.text + f.text, last.start, f.end)
        else:
            cells.append(f)
        i += 1
    return cells


def _is_word(cell: Cell) -> bool:
    return bool(cell.text) and not _NUMBER.match(cell.text)


def _figure_cells(row: list[Cell]) -> list[Cell]:
    return [c for c in row if _NUMBER.match(c.text) and not _CODE.match(c.text)]


# ------------------------------------------------------------------------ PDF tables


def _pdf_tables(doc: Document, found: Sequence[PdfTable], lines: list[_TextLine]) -> list[Table]:
    """pdfplumber's tables, each cell found again in the text pypdf gave the document.
    A table that goes on from the previous page (same columns, no header of its own)
    is joined to it."""
    tables: list[Table] = []
    cursor = 0
    previous: PdfTable | None = None
    for pdf_table in found:
        before = cursor
        rows, cursor, first = _locate_cells(doc.raw, pdf_table.rows, cursor)
        if not any(c.text for row in rows for c in row):
            continue
        start = first if first is not None else before
        title = _caption_between(lines, tables[-1].end if tables else 0, start)
        continues = (
            previous is not None
            and title is None
            and pdf_table.page == previous.page + 1
            and len(pdf_table.rows[0]) == len(previous.rows[0])
        )
        if continues:
            tables[-1].rows += rows
            tables[-1].end = max(tables[-1].end, cursor)
        else:
            tables.append(Table(0, "pdf", rows, start, max(start, cursor), title, pdf_table.page))
        previous = pdf_table
    return tables


def _locate_cells(
    raw: str, rows: list[list[str | None]], cursor: int
) -> tuple[list[list[Cell]], int, int | None]:
    """Cells with their spans, found in ``raw`` with white space allowed between their
    characters. Figures are in the same order in both texts, so each figure is looked
    for a little after the previous one (the table's first cell within a page or two);
    a word (a header, a line name) only near the figures of its row, since headers
    are often laid out differently. A cell not found keeps no span."""
    first: int | None = None
    out: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = []
        words_from = cursor
        for value in row:
            text = _SPACE.sub("", value) if value else ""
            if not text:
                cells.append(Cell(""))
                continue
            figure = bool(_NUMBER.match(text))
            start = cursor if figure else words_from
            window = 3000 if first is None else 400 if figure else 150
            m = _cell_pattern(text).search(raw, start, start + window + len(text) * 4)
            if m is None:
                cells.append(Cell(normalize(text).text))
                continue
            cells.append(Cell(normalize(text).text, m.start(), m.end()))
            first = m.start() if first is None else first
            words_from = m.end()
            if figure or first == m.start():
                cursor = m.end()
        out.append(cells)
    return out, cursor, first


@cache
def _cell_pattern(text: str) -> re.Pattern[str]:
    """A cell's characters with any white space between them, standing apart from the
    text around it (``收入`` is not the start of the caption ``收入支出决算总表``)."""
    return re.compile(r"(?<!\S)" + r"\s*".join(re.escape(ch) for ch in text) + r"(?!\S)")


def _caption_between(lines: list[_TextLine], raw_from: int, raw_to: int) -> str | None:
    """The final-accounts caption of a PDF table: the last caption line between the
    previous table and this one, at most a few lines above it."""
    starts = [ln.raw_start for ln in lines]
    end = bisect_left(starts, raw_to)
    start = max(bisect_left(starts, raw_from), end - 6)
    for line in reversed(lines[start:end]):
        if line.kind == "text" and final_accounts_table(line.text) is not None:
            return _SPACE.sub("", line.text)
    return None


def _data_row(row: list[Cell]) -> bool:
    """A row of figures under a line name or code (not a header row)."""
    return bool(_figure_cells(row)) and any(
        (_CODE.match(c.text) or (c.text and not _NUMBER.match(c.text)))
        and c.text not in rules().stray_words
        for c in row
    )


# ------------------------------------------------------------------------ values of cells


@dataclass(frozen=True)
class ParsedValue:
    """A target or actual cell read: ``value`` in base units (a percentage as a
    fraction), ``None`` for a qualitative cell."""

    value: float | None
    unit: str | None
    comparator: str | None


def parse_value(cell: str) -> ParsedValue | None:
    """Read a target or actual cell (``≥12场``, ``≤15.5万元``, ``95%``, ``逐年上升``);
    ``None`` when the cell is no value (a name, a sentence, a bare number)."""
    r = rules()
    text = _SPACE.sub("", normalize(cell).text)
    if not text:
        return None
    if any(p.match(text) for p in r.qualitative):
        return ParsedValue(None, None, None)
    comparator = "="
    for word, op in r.prefix_comparators:
        if text.startswith(word):
            comparator, text = op, text[len(word) :]
            break
    else:
        for word, op in r.suffix_comparators:
            if text.endswith(word) and len(text) > len(word):
                comparator, text = op, text[: -len(word)]
                break
    m = r.value.match(text)
    if m is None or not m.group("unit"):
        return None
    number = float(m.group("num").replace(",", ""))
    unit = m.group("unit")
    if unit in ("%", "‰"):
        return ParsedValue(number / (100 if unit == "%" else 1000), unit, comparator)
    if len(unit) > 1 and unit[0] in r.multipliers:
        number *= r.multipliers[unit[0]]
        unit = unit[1:]
    if any(ch.isdigit() for ch in unit):
        return None
    return ParsedValue(number, unit, comparator)


def _bare_number(text: str) -> float | None:
    return float(text.replace(",", "")) if _NUMBER.match(text) else None


# ------------------------------------------------------------------------ indicator records


@dataclass(frozen=True)
class IndicatorValue(Mention):
    """A target or actual cell: as written, with its value, unit and comparator."""

    value: float | None = None
    unit: str | None = None
    comparator: str | None = None

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        return {
            "text": self.text,
            "span": [self.start, self.end],
            "value": value,
            "unit": self.unit,
            "comparator": self.comparator,
        }


@dataclass
class IndicatorRecord:
    """One row of a performance-target table (SCHEMA.md, "Indicator records")."""

    doc_id: str
    name: Mention
    indicator_id: str | None = None
    level1: str | None = None
    level2: str | None = None
    target: IndicatorValue | None = None
    actual: IndicatorValue | None = None
    weight: float | None = None
    score: float | None = None
    met: bool | None = None
    table: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "indicator_id": self.indicator_id,
            "level1": self.level1,
            "level2": self.level2,
            "name": self.name.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "actual": self.actual.to_dict() if self.actual else None,
            "weight": _plain(self.weight),
            "score": _plain(self.score),
            "met": self.met,
        }

    @classmethod
    def from_dict(cls, data: Any) -> IndicatorRecord:
        """An indicator record from its JSON form; ``SchemaError`` names the bad field."""
        if not isinstance(data, dict):
            raise SchemaError("an indicator record must be a JSON object")
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            raise SchemaError("'doc_id' must be a non-empty string")
        name = _mention_of(data.get("name"), "name")
        if name is None:
            raise SchemaError("'name' must be an object with 'text' and 'span'")
        met = data.get("met")
        if met is not None and not isinstance(met, bool):
            raise SchemaError("'met' must be true, false or null")
        return cls(
            doc_id=doc_id,
            indicator_id=_optional(data, "indicator_id", str),
            level1=_optional(data, "level1", str),
            level2=_optional(data, "level2", str),
            name=name,
            target=_value_of(data.get("target"), "target"),
            actual=_value_of(data.get("actual"), "actual"),
            weight=_optional(data, "weight", (int, float)),
            score=_optional(data, "score", (int, float)),
            met=met,
        )


def _plain(value: float | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _optional(data: dict[str, Any], key: str, kind: Any) -> Any:
    value = data.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise SchemaError(f"'{key}' has the wrong type")
    return value


def _mention_of(data: Any, where: str) -> Mention | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise SchemaError(f"'{where}' must be an object with 'text' and 'span'")
    span = data.get("span")
    if not (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
        and 0 <= span[0] <= span[1]
    ):
        raise SchemaError(f"'{where}.span' must be [start, end) integers")
    return Mention(data["text"], span[0], span[1])


def _value_of(data: Any, where: str) -> IndicatorValue | None:
    base = _mention_of(data, where)
    if base is None:
        return None
    value = data.get("value")
    if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise SchemaError(f"'{where}.value' must be a number or null")
    comparator = data.get("comparator")
    if comparator not in (None, ">=", ">", "<=", "<", "="):
        raise SchemaError(f"'{where}.comparator' must be one of >=, >, <=, <, = or null")
    return IndicatorValue(
        base.text, base.start, base.end, value, _optional(data, "unit", str), comparator
    )


@dataclass
class _Header:
    """The roles of an indicator table's columns, from its header row."""

    roles: dict[int, str] = field(default_factory=dict)

    def column(self, role: str) -> int | None:
        return next((c for c, r in self.roles.items() if r == role), None)


def _header(row: list[Cell]) -> _Header | None:
    roles: dict[int, str] = {}
    for col, cell in enumerate(row):
        for word, role in rules().header_words:
            if word in cell.text:
                roles.setdefault(col, role)
                break
    found = set(roles.values())
    if len(found) >= 2 and ("target" in found or "actual" in found or "name" in found):
        return _Header(roles)
    return None


def _is_level(text: str) -> bool:
    r = rules()
    return (
        text.endswith("指标")
        and len(text) <= r.level_max_chars
        and not any(word in text for word, _ in r.header_words)
    )


@dataclass
class _Levels:
    level1: str | None = None
    level2: str | None = None


def indicator_records(doc_id: str, raw: str, tables: Sequence[Table]) -> list[IndicatorRecord]:
    """The indicator records of a document's tables, one per row of a
    performance-target table, ``indicator_id`` numbered in reading order."""
    out: list[IndicatorRecord] = []
    for table in tables:
        if table.title and final_accounts_table(table.title):
            continue
        header: _Header | None = None
        levels = _Levels()
        for row in table.rows:
            found = _header(row)
            if found is not None:
                header, levels = found, _Levels()
                continue
            record = _indicator_row(doc_id, raw, row, header, levels)
            if record is not None:
                record.table = table.index
                record.indicator_id = f"{doc_id}:I{len(out) + 1:03d}"
                out.append(record)
    return out


def _indicator_row(
    doc_id: str, raw: str, cells: list[Cell], header: _Header | None, levels: _Levels
) -> IndicatorRecord | None:
    """One row as an indicator record (levels carried over from the rows above), or
    ``None`` for a row that is no indicator."""
    r = rules()
    cells = _split_form_levels(cells)
    filled = [i for i, c in enumerate(cells) if c.text]
    if not filled or cells[filled[0]].text.startswith(r.row_stops):
        return None
    name_at = _name_column(cells)
    if name_at is None:
        return None
    before = [(i, cells[i].text) for i in range(name_at) if cells[i].text]
    if any(not _is_level(text) for _, text in before):
        return None
    _update_levels(levels, before, name_at, header)
    after = cells[name_at + 1 :]
    values = [parse_value(c.text) if c.text else None for c in after[:2]]
    if not any(v is not None for v in values):
        if _is_level(cells[name_at].text):
            _update_levels(levels, [(name_at, cells[name_at].text)], name_at + 1, header)
        return None
    target = _indicator_value(raw, after[0], values[0]) if values else None
    actual = _indicator_value(raw, after[1], values[1]) if len(values) > 1 else None
    name = cells[name_at].mention(raw)
    if name is None:
        return None
    weight, score = _weight_and_score([c.text for c in after[2:] if c.text], header)
    return IndicatorRecord(
        doc_id=doc_id,
        name=Mention(name.text.strip(), name.start, name.end),
        level1=levels.level1,
        level2=levels.level2,
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        met=_met(target, actual, levels, name.text),
    )


def _split_form_levels(cells: list[Cell]) -> list[Cell]:
    """Fields of a flattened form line: the name's words joined into one cell (a
    level word stays a cell of its own)."""
    out: list[Cell] = []
    for cell in cells:
        prev = out[-1] if out else None
        joinable = (
            prev is not None
            and prev.text
            and cell.text
            and prev.start is not None
            and cell.start is not None
            and prev.end is not None
            and cell.start - prev.end <= 2
            and _plain_word(prev.text)
            and _plain_word(cell.text)
            and not _is_level(prev.text)
            and not _is_level(cell.text)
        )
        if joinable and prev is not None:
            out[-1] = Cell(prev.text + cell.text, prev.start, cell.end)
        else:
            out.append(cell)
    return out


def _plain_word(text: str) -> bool:
    return parse_value(text) is None and _bare_number(text) is None


def _name_column(cells: list[Cell]) -> int | None:
    """The indicator name: the last filled cell before the row's run of values."""
    for i in range(len(cells) - 1, -1, -1):
        text = cells[i].text
        if not text or parse_value(text) is not None or _bare_number(text) is not None:
            continue
        return i
    return None


def _update_levels(
    levels: _Levels, found: list[tuple[int, str]], name_at: int, header: _Header | None
) -> None:
    r = rules()
    if not found:
        return
    if len(found) >= 2:
        levels.level1, levels.level2 = found[-2][1], found[-1][1]
        return
    col, text = found[0]
    role = None
    if header is not None and (name_col := header.column("name")) is not None:
        role = header.roles.get(col + name_col - name_at)
    if text not in r.level1_words:
        role = "level2"
    elif role not in ("level1", "level2"):
        role = "level1"
    if role == "level1":
        levels.level1, levels.level2 = text, None
    else:
        levels.level2 = text


def _indicator_value(raw: str, cell: Cell, parsed: ParsedValue | None) -> IndicatorValue | None:
    mention = cell.mention(raw)
    if parsed is None or mention is None:
        return None
    return IndicatorValue(
        mention.text, mention.start, mention.end, parsed.value, parsed.unit, parsed.comparator
    )


def _weight_and_score(
    numbers: list[str], header: _Header | None
) -> tuple[float | None, float | None]:
    values = [v for v in (_bare_number(t) for t in numbers) if v is not None]
    if not values:
        return None, None
    roles = set(header.roles.values()) if header is not None else set()
    if "weight" in roles and "score" not in roles:
        return values[0], None
    if len(values) >= 2 and ("weight" in roles or "score" not in roles):
        return values[0], values[1]
    return None, values[0]


def _met(
    target: IndicatorValue | None, actual: IndicatorValue | None, levels: _Levels, name: str
) -> bool | None:
    """Whether the actual meets the target: both figures in the same unit, compared by
    the target's comparator. A bare target (=) is reached at or above it, or, for an
    indicator that caps something (a 限额, money under a cost level), at or below it."""
    if target is None or actual is None or target.value is None or actual.value is None:
        return None
    if target.unit != actual.unit:
        return None
    t, a = target.value, actual.value
    op = target.comparator or "="
    if op == "=":
        r = rules()
        capped = any(w in name for w in r.upper_bound_words) or (
            target.unit == "元" and bool({levels.level1, levels.level2} & r.cost_levels)
        )
        op = "<=" if capped else ">="
    return {
        ">=": a >= t - 1e-9,
        ">": a > t,
        "<=": a <= t + 1e-9,
        "<": a < t,
    }[op]


# ------------------------------------------------------------------------ final-accounts figures


def line_aliases() -> list[tuple[str, str]]:
    """``(alias, canonical line)`` pairs of patterns/tables.yaml, longest alias first."""
    return rules().aliases


def line_alias(text: str) -> str | None:
    """The canonical line a name or phrase names (``年初财政拨款结转和结余`` →
    ``年初结转和结余``): the alias that ends latest in it, the longest of those."""
    text = _SPACE.sub("", text)
    best: tuple[int, int, str] | None = None
    for alias, line in rules().aliases:
        pos = text.rfind(alias)
        if pos < 0:
            continue
        key = (pos + len(alias), len(alias), line)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


@dataclass(frozen=True)
class TableFigure:
    """One figure of a final-accounts table: the line (row) and column it stands in,
    its value in yuan, and the cell it was read from."""

    table: str  # canonical table name (patterns/tables.yaml)
    line: str  # canonical line: a 类/款/项 path or a named line
    column: str  # the column's header (决算数, 本年支出合计, 基本支出…), "" if unknown
    total: bool  # the line's first figure: its total
    value: float
    cell: Cell
    decimals: int
    ref: str  # the table, for a person: table 5 “…” (PDF page 8)


def final_accounts_figures(tables: Sequence[Table]) -> list[TableFigure]:
    """Line/column/value figures of a document's final-accounts tables (those whose
    caption names one of the nine tables)."""
    names = _code_names(tables)
    figures: list[TableFigure] = []
    for table in tables:
        name = final_accounts_table(table.title) if table.title else None
        if name is None:
            continue
        figures += _table_figures(table, name, names)
    return figures


def _code_names(tables: Sequence[Table]) -> dict[str, str]:
    """Classification codes and their names, from every table of the document."""
    names: dict[str, str] = {}
    for table in tables:
        for raw_row in table.rows:
            row = _merge_codes(raw_row)
            for i, cell in enumerate(row[:-1]):
                if _CODE.match(cell.text):
                    following = next((c.text for c in row[i + 1 :] if c.text), "")
                    if following and not _NUMBER.match(following):
                        names.setdefault(cell.text, following)
    return names


def _table_figures(table: Table, name: str, codes: dict[str, str]) -> list[TableFigure]:
    r = rules()
    factor = _unit_factor(table)
    lines_in_columns = name in r.lines_in_columns
    header_rows: list[list[Cell]] = []
    paths: dict[int, list[str]] | None = None
    figures: list[TableFigure] = []
    for raw_row in table.rows:
        row = _merge_codes(raw_row)
        is_data = _data_row(row) or (lines_in_columns and bool(_figure_cells(row)))
        if not is_data or _column_numbers(row):
            if paths is None:
                header_rows.append(row)
            continue
        if paths is None:
            width = max(len(r_) for r_ in table.rows)
            labelled = table.form in ("pdf", "tab", "pipe")
            paths = _column_paths(header_rows, width) if labelled else {}
        if lines_in_columns:
            figures += _column_line_figures(table, name, row, paths, factor)
        else:
            figures += _row_figures(table, name, row, paths, codes, factor)
    return figures


def _row_figures(
    table: Table,
    name: str,
    row: list[Cell],
    paths: dict[int, list[str]],
    codes: dict[str, str],
    factor: int,
) -> list[TableFigure]:
    """The figures of one row: each after the line name (or code) it stands under.
    A row may hold several lines side by side (收入 | 支出 of the total table)."""
    r = rules()
    figures: list[TableFigure] = []
    line: str | None = None
    after_code = first = False
    for col, cell in enumerate(row):
        text = cell.text
        if not text or text in r.stray_words:
            continue
        if _CODE.match(text) and col + 1 < len(row):
            line, after_code, first = _code_path(text, codes), True, True
            continue
        if not _NUMBER.match(text):
            if not after_code:
                line = _row_line(text)
            after_code, first = False, True
            continue
        label = paths[col][-1] if paths.get(col) else ""
        if label in r.skip_columns or line is None:
            continue
        here = r.row_lines.get(name, {}).get(line, line)
        if line in ("合计", "小计"):
            if not label and not first:
                continue  # a flattened total row: which column is not known
            table_lines = r.column_lines.get(name, {})
            here = (
                table_lines.get(label)
                or (r.total_lines.get(name) if first else None)
                or line_alias(label)
                or label
                or line
            )
        figures.append(_figure(table, name, here, label, first, cell, factor))
        first = False
    return figures


def _merge_codes(row: list[Cell]) -> list[Cell]:
    """Codes written over three cells (``201 | 06 | 01``) as one (``2010601``)."""
    out = list(row)
    for i, cell in enumerate(out):
        if not re.fullmatch(r"\d{3}", cell.text):
            continue
        code, end = cell.text, cell.end
        j = i + 1
        while j < len(out) and j <= i + 2 and re.fullmatch(r"\d{2}|", out[j].text):
            if out[j].text:
                code, end = code + out[j].text, out[j].end
                out[j] = Cell("")
            j += 1
        out[i] = Cell(code, cell.start, end)
    return out


def _column_numbers(row: list[Cell]) -> bool:
    """A row of column numbers (栏次: 1 2 3 …), not figures."""
    numbers = [c.text for c in row if c.text]
    return len(numbers) >= 2 and numbers == [str(n) for n in range(1, len(numbers) + 1)]


def _column_line_figures(
    table: Table, name: str, row: list[Cell], paths: dict[int, list[str]], factor: int
) -> list[TableFigure]:
    """The “三公” table: its lines are columns (合计, 因公出国（境）费…) over 预算数 and
    决算数, its figures one row."""
    figures = []
    for col, cell in enumerate(row):
        path = paths.get(col, [])
        if not _NUMBER.match(cell.text) or not path:
            continue
        line = next((ln for ln in (line_alias(p) for p in reversed(path[:-1])) if ln), "三公经费")
        figures.append(_figure(table, name, line, path[-1], True, cell, factor))
    return figures


def _figure(
    table: Table, name: str, line: str, column: str, total: bool, cell: Cell, factor: int
) -> TableFigure:
    number = cell.text.replace(",", "")
    decimals = len(number.split(".")[1]) if "." in number else 0
    return TableFigure(
        table=name,
        line=line,
        column=column,
        total=total,
        value=float(number) * factor,
        cell=cell,
        decimals=decimals,
        ref=table.ref,
    )


def _row_line(text: str) -> str:
    """A row's line: a named line (本年收入合计), else the name without its ordinal
    (``一、一般公共服务支出`` is the class 一般公共服务支出)."""
    text = _ORDINAL.sub("", text)
    return line_alias(text) if _is_named_line(text) else text


def _is_named_line(text: str) -> bool:
    line = line_alias(text)
    if line is None:
        return False
    endings = [a for a, ln in rules().aliases if ln == line and text.endswith(a)]
    return bool(endings) and len(text) - max(len(a) for a in endings) <= 6


def _code_path(code: str, names: dict[str, str]) -> str:
    """``2013901`` → ``一般公共服务支出/社会工作事务/行政运行`` (names of the code's
    prefixes found in the document's tables)."""
    parts = [names.get(code[:n]) for n in (3, 5, 7) if len(code) >= n]
    return "/".join(p for p in parts if p) or code


def _column_paths(header_rows: list[list[Cell]], width: int) -> dict[int, list[str]]:
    """Each column's header texts, top down (``合计 > 决算数``). A cell a merged cell
    covers (empty) takes the text of the cell above it when that one is written or
    itself covered from above, else of the cell to its left."""
    stray = rules().stray_words
    grid: list[list[tuple[str, str]]] = []  # (text, origin: cell | up | left | none)
    for r, row in enumerate(header_rows):
        out: list[tuple[str, str]] = []
        for c in range(width):
            text = row[c].text if c < len(row) else ""
            above = grid[r - 1][c] if r else ("", "none")
            if text and not _NUMBER.match(text) and text not in stray:
                out.append((text, "cell"))
            elif text:  # a column number or 栏次 under the header: the header goes on
                out.append((above[0], "up" if above[0] else "none"))
            elif above[1] in ("cell", "up"):
                out.append((above[0], "up"))
            elif c and out[c - 1][0]:
                out.append((out[c - 1][0], "left"))
            else:
                out.append(("", "none"))
        grid.append(out)
    paths: dict[int, list[str]] = {}
    for c in range(width):
        path: list[str] = []
        for row_cells in grid:
            text = row_cells[c][0]
            if text and (not path or path[-1] != text):
                path.append(text)
        paths[c] = path
    return paths


def _unit_factor(table: Table) -> int:
    r = rules()
    for row in table.rows[:4]:
        for cell in row:
            for unit, factor in sorted(r.units.items(), key=lambda kv: -len(kv[0])):
                if f"单位：{unit}" in cell.text or f"（{unit}）" in cell.text:
                    return factor
    return r.units.get(r.default_unit, 10000)


# ------------------------------------------------------------------------ execution rows


@dataclass(frozen=True)
class ExecutionRow:
    """A self-evaluation form's budget execution: 预算数 (A), 执行数 (B), 执行率 (B/A)."""

    budget: Cell
    spent: Cell
    rate: Cell
    factor: int
    ref: str


def execution_rows(tables: Sequence[Table]) -> list[ExecutionRow]:
    """The 预算数 / 执行数 / 执行率 figures under a header naming those columns."""
    out: list[ExecutionRow] = []
    for table in tables:
        columns: dict[str, int] | None = None
        for row in table.rows:
            named = _execution_columns(row)
            if named is not None:
                columns = named
                continue
            if columns is None:
                continue
            budget, spent, rate = (_figure_at(row, columns[k]) for k in ("budget", "spent", "rate"))
            if budget is not None and spent is not None and rate is not None:
                out.append(ExecutionRow(budget, spent, rate, _unit_factor(table), table.ref))
                columns = None
    return out


def _execution_columns(row: list[Cell]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for col, cell in enumerate(row):
        if cell.text.startswith("预算数"):
            found.setdefault("budget", col)
        elif cell.text.startswith("执行数"):
            found.setdefault("spent", col)
        elif cell.text.startswith("执行率"):
            found.setdefault("rate", col)
    return found if len(found) == 3 else None


def _figure_at(row: list[Cell], col: int) -> Cell | None:
    """The figure of ``row`` in column ``col``, if that cell holds one."""
    if col < len(row) and re.fullmatch(r"\d[\d,]*(?:\.\d+)?%?", row[col].text):
        return row[col]
    return None


# ------------------------------------------------------------------------ one document


@dataclass
class DocumentTables:
    """Everything ``tables`` reads from one document."""

    tables: list[Table]
    indicators: list[IndicatorRecord]
    figures: list[TableFigure]
    executions: list[ExecutionRow]


def read_document_tables(doc: Document) -> DocumentTables:
    """The tables of one document, read; a PDF's ruled tables with pdfplumber (its
    text is still pypdf's, as ``doc.raw``)."""
    from .formats import read_pdf_tables

    pdf: list[PdfTable] = []
    if doc.path is not None and doc.path.suffix.lower() == ".pdf":
        try:
            pdf = read_pdf_tables(read_bytes(doc.path))
        except IngestError:
            pdf = []
    tables = read_tables(doc, pdf)
    return DocumentTables(
        tables=tables,
        indicators=indicator_records(doc.doc_id, doc.raw, tables),
        figures=final_accounts_figures(tables),
        executions=execution_rows(tables),
    )
