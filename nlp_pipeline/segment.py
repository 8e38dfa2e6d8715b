"""Segment: a ``Document`` into sections, narrative paragraphs and sentences.

Takes the normalized, offset-mapped text of ingest and returns ``Sentence``s
(in reading order) that each know their heading path (``section``), their
paragraph, and the list-item title of that paragraph (``1. 行政运行。…`` gives
``行政运行``), which is where an event may be named outside the sentence.

Table rows (tab- or pipe-separated, HTML cells turned into tabs by ingest) and
form lines flattened out of self-evaluation tables are set aside; only a table
cell that is itself a prose sentence with a verb comes back, as its own paragraph.
Hard line breaks and blank lines inside a sentence (PDF wrapping) are joined, and so
are the lines of a page hard-wrapped every N characters (``unwrap``).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from . import patterns
from .ingest import Document, MappedText
from .quantities import find_quantities


@dataclass(frozen=True)
class Sentence:
    """One sentence: normalized text with raw offsets, and where it sits."""

    mapped: MappedText
    section: str | None
    paragraph: int
    title: MappedText | None
    in_table: bool = False
    # The innermost heading's text after its number (where a budget line may be named).
    heading: MappedText | None = None

    @property
    def text(self) -> str:
        return self.mapped.text

    def raw_span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        return self.mapped.raw_span(start, len(self.mapped) if end is None else end)


@dataclass(frozen=True)
class _Rules:
    headings: list[tuple[regex.Pattern[str], int]]
    markdown_base: int
    heading_max_chars: int
    sentence_end: str
    closing_marks: str
    max_sentence_chars: int
    cell_starts: tuple[str, ...]
    cell_punct: str
    cell_verbs: regex.Pattern[str]
    cell_min_chars: int
    form_min_figures: int
    form_figure: regex.Pattern[str]
    enumeration_starts: tuple[str, ...]
    prose_run_on: regex.Pattern[str]
    caption: regex.Pattern[str]
    date_field: regex.Pattern[str]
    date_units: tuple[str, ...]
    prose_punct: regex.Pattern[str]
    heading_run_on_chars: int
    inner_ends: str
    wrap_min_width: int
    wrap_min_lines: int
    wrap_share: float


@cache
def rules() -> _Rules:
    name = "segment"
    data = patterns.load(name)
    headings = [
        (patterns.compile_regex(h["regex"], name, "headings"), int(h["rank"]))
        for h in patterns.require(data, "headings", list, name)
    ]
    verbs = patterns.require(data, "cell_prose_verbs", list, name)
    return _Rules(
        headings=headings,
        markdown_base=int(data.get("markdown_base", 5)),
        heading_max_chars=int(data.get("heading_max_chars", 40)),
        sentence_end=patterns.require(data, "sentence_end", str, name),
        closing_marks=str(data.get("closing_marks", "")),
        max_sentence_chars=int(data.get("max_sentence_chars", 600)),
        cell_starts=tuple(patterns.require(data, "cell_prose_starts", list, name)),
        cell_punct=str(data.get("cell_prose_punct", "，。；")),
        cell_verbs=patterns.compile_regex(patterns.alternation(verbs), name, "cell_prose_verbs"),
        cell_min_chars=int(data.get("cell_prose_min_chars", 8)),
        form_min_figures=int(data.get("form_line_min_figures", 2)),
        form_figure=patterns.compile_regex(data["form_figure"], name, "form_figure"),
        enumeration_starts=tuple(data.get("enumeration_starts", [])),
        prose_run_on=patterns.optional_regex(data, "prose_run_on", name),
        caption=patterns.optional_regex(data, "caption", name),
        date_field=patterns.optional_regex(data, "date_field", name),
        date_units=tuple(data.get("date_units", ["年"])),
        prose_punct=patterns.compile_regex(
            data.get("prose_punct", "[，。；]"), name, "prose_punct"
        ),
        heading_run_on_chars=int(data.get("heading_run_on_chars", 30)),
        inner_ends=str(data.get("inner_sentence_ends", "；;")),
        wrap_min_width=int(data.get("wrap_min_width", 16)),
        wrap_min_lines=int(data.get("wrap_min_lines", 3)),
        wrap_share=float(data.get("wrap_share", 0.5)),
    )


_MD_HEADING = regex.compile(r"^(#{1,6})\s*")
_BULLET = regex.compile(r"^[-*+]\s+|^[-*+](?=[一二三四五六七八九十第（(\d])")


@dataclass(frozen=True)
class _Line:
    kind: str  # blank | heading | item | prose | table
    start: int
    end: int
    rank: int = 0
    body: int = 0  # where the text after a list marker starts (items)


def classify_line(text: str, raw_line: str | None = None) -> tuple[str, int, int]:
    """Classify one normalized line: ``(kind, heading rank, offset of the body)``.

    ``kind`` is ``blank``, ``heading``, ``item`` (a numbered list item that is a
    paragraph), ``prose`` or ``table``. ``raw_line`` (the line as written, with its
    spaces) lets flattened form lines be recognised.
    """
    r = rules()
    stripped = text.strip()
    if not stripped:
        return "blank", 0, 0
    if "\t" in text or (stripped.startswith("|") and stripped.count("|") >= 2):
        return "table", 0, 0
    if raw_line is not None and _is_form_line(raw_line):
        return "table", 0, 0
    offset = len(text) - len(text.lstrip())
    md = _MD_HEADING.match(text[offset:])
    hashes = 0
    if md:
        hashes = len(md.group(1))
        offset += md.end()
    bullet = _BULLET.match(text[offset:])
    if bullet:
        offset += bullet.end()
    rest = text[offset:]
    for pattern, rank in r.headings:
        m = pattern.match(rest)
        if m:
            body = rest[m.end() :].strip()
            if hashes or (_heading_like(body, r) and not find_quantities(body)):
                return "heading", rank, offset + m.end()
            return "item", rank, offset + m.end()
    if hashes:
        return "heading", r.markdown_base + 10 * (hashes - 1), offset
    return "prose", 0, 0


def _heading_like(body: str, r: _Rules) -> bool:
    if len(body) > r.heading_max_chars:
        return False
    inner = body[:-1] if body and body[-1] in r.sentence_end else body
    return not any(ch in r.sentence_end for ch in inner)


def _is_form_line(raw_line: str) -> bool:
    """A table row flattened into space-separated fields (indicator, target, actual…).

    A prose line wrapped by a PDF also has figures between spaces; it shows itself by
    a figure whose unit runs on into the sentence (``0 辆、应急保障用车``), and its years
    (``2024 年度``) are no figures."""
    fields = raw_line.split()
    if len(fields) < 3:
        return False
    r = rules()
    if r.prose_punct.search(raw_line) or r.prose_run_on.search(raw_line):
        return False
    figures = sum(
        1
        for f, following in zip(fields, [*fields[1:], ""], strict=True)
        if r.form_figure.match(f)
        and not (r.date_field.match(f) and following.startswith(r.date_units))
    )
    return figures >= r.form_min_figures


def is_prose_cell(cell: str) -> bool:
    """True where a table cell is itself a sentence with a verb (SCHEMA.md's exception)."""
    r = rules()
    cell = cell.strip()
    if len(cell) < r.cell_min_chars:
        return False
    if cell.startswith(r.cell_starts):
        return True
    return any(ch in cell for ch in r.cell_punct) and r.cell_verbs.search(cell) is not None


def wrap_width(raw: str, r: _Rules | None = None) -> int | None:
    """The width a page was hard-wrapped at (its lines cut every N characters), or None.

    That is the commonest length of the lines at least ``wrap_min_width`` long, where
    at least ``wrap_min_lines`` lines have it and they are at least ``wrap_share`` of
    the lines that long or longer: a page's own paragraphs seldom share a length.
    Lengths are of the lines as read (a ``\\r`` before the line break counts).
    """
    r = r or rules()
    lengths = Counter(len(line) for line in raw.split("\n")[:-1])
    long = {n: count for n, count in lengths.items() if n >= r.wrap_min_width}
    if not long:
        return None
    width, count = max(long.items(), key=lambda item: (item[1], item[0]))
    longer = sum(c for n, c in long.items() if n >= width)
    return width if count >= max(r.wrap_min_lines, r.wrap_share * longer) else None


def unwrap(doc: Document) -> MappedText:
    """``doc.mapped`` without the line breaks of hard wrapping (``wrap_width``).

    A line as long as the wrap width runs on into the next one: its line break is
    removed, or becomes a space between two Latin letters. It is kept where the line
    ends a sentence and the next one opens a heading or list item: a page's own line
    break that falls at the wrap width. (A heading exactly as long as the wrap width
    cannot be told from the start of a longer one: it runs on.)
    """
    r = rules()
    width = wrap_width(doc.raw, r)
    mapped = doc.mapped
    if width is None:
        return mapped
    raw, text = doc.raw, mapped.text
    parts: list[MappedText] = []
    start = 0
    nl = text.find("\n")
    while nl >= 0:
        at = mapped.starts[nl]
        line_start = raw.rfind("\n", 0, at) + 1
        if raw[at] == "\n" and at - line_start == width and not _opens_block(text, nl, r):
            parts.append(mapped.slice(start, nl))
            if nl > 0 and _latin(text[nl - 1]) and _latin(text[nl + 1 : nl + 2]):
                parts.append(MappedText(" ", array("q", [at]), array("q", [at + 1])))
            start = nl + 1
        nl = text.find("\n", nl + 1)
    parts.append(mapped.slice(start, len(text)))
    return MappedText.concat(parts)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _opens_block(text: str, nl: int, r: _Rules) -> bool:
    """Whether the line after ``text[nl]`` opens a heading or list item after a sentence end."""
    if nl == 0 or text[nl - 1] not in r.sentence_end + r.closing_marks:
        return False
    end = text.find("\n", nl + 1)
    line = text[nl + 1 : end if end >= 0 else len(text)].lstrip()
    md = _MD_HEADING.match(line)
    if md:
        return True
    bullet = _BULLET.match(line)
    rest = line[bullet.end() :] if bullet else line
    return bullet is not None or any(pattern.match(rest) for pattern, _ in r.headings)


def _lines(doc: Document, mapped: MappedText) -> Iterator[_Line]:
    text = mapped.text
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if end > pos or nl >= 0:
            line = text[pos:end]
            raw_line = None
            if end > pos:
                rs, re_ = mapped.raw_span(pos, end)
                raw_line = doc.raw[rs:re_]
            kind, rank, body = classify_line(line, raw_line)
            yield _Line(kind, pos, end, rank, pos + body)
        if nl < 0:
            break
        pos = nl + 1


_HEADING_MARKUP = regex.compile(r"<[^<>]{0,200}>|\*\*|__")
_HEADING_MARKER = regex.compile(r"^\s*#{1,6}\s*|^\s*[-*+]\s+")


def _heading_text(doc: Document, mapped: MappedText, line: _Line) -> str:
    rs, re_ = mapped.raw_span(line.start, line.end)
    raw = "".join(doc.raw[rs:re_].splitlines())  # a heading hard-wrapped over two lines
    raw = _HEADING_MARKUP.sub("", raw)
    raw = _HEADING_MARKER.sub("", raw)
    return " ".join(raw.split())


def segment(doc: Document) -> list[Sentence]:
    """Split a document into narrative sentences; tables are set aside."""
    r = rules()
    mapped = unwrap(doc)
    sentences: list[Sentence] = []
    # (rank, heading text, Markdown level of an unnumbered Markdown heading or 0)
    stack: list[tuple[int, str, int]] = []
    heading: MappedText | None = None
    para: list[MappedText] = []
    para_title: MappedText | None = None
    para_index = 0

    def flush() -> None:
        nonlocal para, para_title, para_index
        para = _drop_cell_runs(para, r)
        if para:
            joined = MappedText.concat(para)
            section = " > ".join(t for _, t, _ in stack) or None
            for s, e in split_sentences(joined.text, r):
                sentences.append(
                    Sentence(joined.slice(s, e), section, para_index, para_title, heading=heading)
                )
            para_index += 1
        para = []
        para_title = None

    lines = _join_wrapped_headings(mapped, list(_lines(doc, mapped)), r)
    for line in lines:
        if line.kind == "blank":
            continue
        if line.kind == "table":
            flush()
            section = " > ".join(t for _, t, _ in stack) or None
            for cell in _prose_cells(mapped, line):
                # SCHEMA.md: a prose cell is its own sentence, whole (已完成。2023年举办…3场).
                for s, e in _bounded_spans(cell.text, r):
                    sentences.append(
                        Sentence(cell.slice(s, e), section, para_index, None, in_table=True)
                    )
                para_index += 1
            continue
        if line.kind == "heading":
            flush()
            md = _MD_HEADING.match(mapped.text[line.start : line.end].lstrip())
            level = len(md.group(1)) if md else 0
            unnumbered = level if line.body == line.start + len(md.group(0) if md else "") else 0
            while stack and (
                stack[-1][0] >= line.rank or (level and stack[-1][2] and stack[-1][2] >= level)
            ):
                stack.pop()
            stack.append((line.rank, _heading_text(doc, mapped, line), unnumbered))
            heading = _joined(mapped, line.body, line.end)
            continue
        piece_start = line.start
        close = _bracket_close(mapped.text, line.body, line.end) if line.kind == "item" else -1
        if close >= 0:
            piece_start = close + 1  # 【康复工作】…: the item's title, outside its sentence
        piece = _trimmed(mapped, piece_start, line.end)
        if piece is None:
            continue
        if line.kind != "item" and r.caption.match(piece.text) is not None:
            flush()  # 宣传活动现场: a photo's caption, no sentence of the report
            continue
        if line.kind == "item":
            flush()
            para_title = _item_title(mapped, line.body, line.end, r)
        elif para and para[-1].text and _ends_paragraph(para[-1].text, piece.text, r):
            flush()
        para.append(piece)
    flush()
    return sentences


def _wrap_width(mapped: MappedText, lines: list[_Line], r: _Rules) -> int | None:
    """The width at which the text is hard-wrapped (PDF text), or None where it is not:
    most prose lines end mid-sentence, and the median length of those is the width."""
    ends = r.sentence_end + r.closing_marks + "：:，,、"
    prose = [ln for ln in lines if ln.kind in ("prose", "item") and ln.end - ln.start >= 10]
    open_ended = sorted(ln.end - ln.start for ln in prose if mapped.text[ln.end - 1] not in ends)
    if len(prose) < 4 or open_ended and len(open_ended) * 2 <= len(prose) or not open_ended:
        return None
    return open_ended[len(open_ended) // 2]


def _join_wrapped_headings(mapped: MappedText, lines: list[_Line], r: _Rules) -> list[_Line]:
    """In hard-wrapped text, a numbered heading cut by the line break runs on into the next
    line up to its sentence end (``3、…（款）其他社会工作`` + ``事务支出（项）。主要用于…``):
    the heading takes that piece (``_Line.start`` to the piece's end, joined in the map as
    the line break is), and the rest of the next line stays prose."""
    width = _wrap_width(mapped, lines, r)
    if width is None:
        return lines
    text = mapped.text
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        j = i + 1
        while j < len(lines) and lines[j].kind == "blank":
            j += 1  # a page break between the two halves
        nxt = lines[j] if j < len(lines) else None
        head = text[line.body : line.end].rstrip()
        if (
            line.kind == "heading"
            and head
            and head[-1] not in r.sentence_end + "：:"
            and line.end - line.start >= width * 0.8  # cut by the margin, not ended
            and nxt is not None
            and nxt.kind == "prose"
        ):
            piece = text[nxt.start : nxt.end]
            room = r.heading_run_on_chars
            cut = next((k for k, ch in enumerate(piece[: room + 1]) if ch in r.sentence_end), -1)
            if cut >= 0 and not any(ch in "，：,:" or ch.isdigit() for ch in piece[:cut]):
                out.append(_Line("heading", line.start, nxt.start + cut + 1, line.rank, line.body))
                if nxt.start + cut + 1 < nxt.end:
                    out.append(_Line("prose", nxt.start + cut + 1, nxt.end))
                i = j + 1
                continue
        out.append(line)
        i += 1
    return out


def _ends_paragraph(previous: str, line: str, r: _Rules) -> bool:
    """Whether a line starts a new paragraph after ``previous``: after a sentence end,
    or after a colon when the line opens an enumeration (其中：\n一是…)."""
    last = previous[-1]
    if last in r.sentence_end:
        return True
    if last in r.closing_marks:
        # 。” ends a sentence; a bare ” or ） mid-sentence is a PDF line wrap (为“良”\n的项目)
        before = previous.rstrip(r.closing_marks)[-1:]
        return not before or before in r.sentence_end or not line[:1].isalnum()
    return last in "：:" and line.startswith(r.enumeration_starts)


def _drop_cell_runs(lines: list[MappedText], r: _Rules) -> list[MappedText]:
    """Drop runs of a table flattened one cell per line (PDF text): three or more
    short lines without sentence punctuation, several of them bare figures (2次, ≥90%)."""
    kept: list[MappedText] = []
    run: list[MappedText] = []
    for line in [*lines, None]:
        if (
            line is not None
            and len(line.text) <= 20
            and not any(c in line.text for c in "，。；,;")
        ):
            run.append(line)
            continue
        figures = sum(1 for cell in run if r.form_figure.match(cell.text))
        if not (len(run) >= 3 and figures >= r.form_min_figures):
            kept.extend(run)
        run = []
        if line is not None:
            kept.append(line)
    return kept


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trimmed(mapped: MappedText, start: int, end: int) -> MappedText | None:
    start, end = _strip(mapped.text, start, end)
    return mapped.slice(start, end) if end > start else None


def _joined(mapped: MappedText, start: int, end: int) -> MappedText | None:
    """``[start, end)`` with its line breaks (and the spaces around them) taken out."""
    pieces: list[MappedText] = []
    pos = start
    while pos < end:
        nl = mapped.text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        piece = _trimmed(mapped, pos, stop)
        if piece is not None:
            pieces.append(piece)
        pos = stop + 1
    return MappedText.concat(pieces) if pieces else None


def _bracket_close(text: str, body: int, end: int) -> int:
    """Where the 】 of a list item's bracketed title (【康复工作】…) opening at ``body``
    stands, or -1 where the item opens with none."""
    return text.find("】", body, end) if text.startswith("【", body) else -1


def _item_title(mapped: MappedText, body: int, end: int, r: _Rules) -> MappedText | None:
    """The title of a list item: its text up to the first sentence end or colon."""
    text = mapped.text
    if (close := _bracket_close(text, body, end)) > body + 1:
        return _trimmed(mapped, body + 1, close)  # 【康复工作】…: the words inside
    stop = body
    while stop < end and text[stop] not in r.sentence_end + "：:，":
        stop += 1
    return _trimmed(mapped, body, stop)


def _prose_cells(mapped: MappedText, line: _Line) -> Iterator[MappedText]:
    text = mapped.text
    sep = "\t" if "\t" in text[line.start : line.end] else "|"
    pos = line.start
    while pos <= line.end:
        nxt = text.find(sep, pos, line.end)
        cell_end = line.end if nxt < 0 else nxt
        if is_prose_cell(text[pos:cell_end]):
            cell = _trimmed(mapped, pos, cell_end)
            if cell is not None:
                yield cell
        if nxt < 0:
            break
        pos = nxt + 1


def split_sentences(text: str, r: _Rules | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence: ends at 。！？； (with closing quotes), or
    at ``max_sentence_chars`` (cut at the next comma) so no sentence is unbounded."""
    r = r or rules()
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _sentence_end(r.sentence_end, r.closing_marks).finditer(text):
        if m.group()[0] in r.inner_ends and _inside_brackets(text, start, m.start()):
            continue  # （其中，…的项目1个；…的项目0个）: a list inside brackets runs on
        _add_bounded(text, start, m.end(), spans, r.max_sentence_chars)
        start = m.end()
    _add_bounded(text, start, len(text), spans, r.max_sentence_chars)
    return spans


def _inside_brackets(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` lies inside brackets opened since ``start`` and closed later in
    the text (within a sentence's length)."""
    depth = text.count("（", start, pos) + text.count("(", start, pos)
    depth -= text.count("）", start, pos) + text.count(")", start, pos)
    if depth <= 0:
        return False
    return "）" in text[pos : pos + 300] or ")" in text[pos : pos + 300]


def _bounded_spans(text: str, r: _Rules) -> list[tuple[int, int]]:
    """The whole text as one span, cut only where it exceeds the sentence bound."""
    spans: list[tuple[int, int]] = []
    _add_bounded(text, 0, len(text), spans, r.max_sentence_chars)
    return spans


@cache
def _sentence_end(ends: str, closing: str) -> regex.Pattern[str]:
    return regex.compile(f"[{regex.escape(ends)}][{regex.escape(closing)}]*")


_LONG_CUT = regex.compile("[，,、]")


def _add_bounded(text: str, start: int, end: int, spans: list[tuple[int, int]], limit: int) -> None:
    """Add ``text[start:end]``, cut at the first comma past ``limit`` characters
    (or hard at twice the limit) as often as needed: no sentence is unbounded."""
    while end - start > limit:
        m = _LONG_CUT.search(text, start + limit, min(end, start + 2 * limit))
        cut = m.end() if m else start + 2 * limit
        if cut >= end:
            break
        _add_span(text, start, cut, spans)
        start = cut
    _add_span(text, start, end, spans)


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    start, end = _strip(text, start, end)
    if end > start:
        spans.append((start, end))
