"""Ingest: read a file, decode it, normalize it for matching, keep the way back.

Takes a path (or a ``str`` already in memory) and returns a ``Document``: the raw
text exactly as decoded (every span in the output indexes this string), and a
``MappedText`` whose characters are the normalized text and whose two offset arrays
map each normalized character back to the raw ``[start, end)`` it came from.

Normalization only ever replaces a character by one character, replaces a run
(an HTML tag or entity) by one character, or deletes characters; so the map is
monotone and ``raw[start:end]`` is always a faithful highlight.
"""

from __future__ import annotations

import html
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

# File signatures of formats that are not text: refused, never decoded into garbage.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX/XLSX?)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE file (DOC/XLS?)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"Rar!", "a RAR archive"),
)

_FULLWIDTH_KEEP = set("，。；：！？（）、“”‘’《》【】")
_BLOCK_TAGS = {"p", "br", "div", "tr", "table", "thead", "tbody", "li", "ul", "ol"}
_BLOCK_TAGS |= {f"h{i}" for i in range(1, 7)}
_CELL_TAGS = {"td", "th"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})\b[^<>]{0,500}?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")
_SPACES = " \u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"


class IngestError(ValueError):
    """The file cannot be read as a text document; the message says why."""


class MappedText:
    """Normalized text plus, for each character, the raw span it came from."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: array, ends: array) -> None:
        if not (len(text) == len(starts) == len(ends)):
            raise ValueError("offset arrays must match the text length")
        self.text = text
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized ``[start, end)`` (non-empty) to the raw ``[start, end)``."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    @classmethod
    def concat(cls, parts: list[MappedText]) -> MappedText:
        starts = array("q")
        ends = array("q")
        for p in parts:
            starts.extend(p.starts)
            ends.extend(p.ends)
        return cls("".join(p.text for p in parts), starts, ends)


@dataclass
class Document:
    doc_id: str
    raw: str
    mapped: MappedText
    year: int | None
    path: Path | None = None
    encoding: str = "utf-8"

    @property
    def text(self) -> str:
        return self.mapped.text


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)`` or raise ``IngestError``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised by their
    marks; otherwise the bytes must be valid UTF-8 or, failing that, GB18030
    (a superset of GBK and GB2312). Binary formats are refused by signature or by
    NUL bytes.
    """
    if not data.strip():
        raise IngestError("empty file" if not data else "file holds only white space")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"binary file: looks like {what}, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data[:65536]:
        raise IngestError("binary file: contains NUL bytes (not UTF-8/GB18030 text)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"cannot decode: not valid UTF-8 or GB18030 (bad byte at offset {exc.start})"
        ) from None
    if _looks_like_garbage(text):
        raise IngestError("cannot decode: not valid UTF-8, and as GB18030 it is not text")
    return text, "gb18030"


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"invalid {encoding} byte at offset {exc.start}") from None


def _looks_like_garbage(text: str) -> bool:
    """GB18030 decodes almost any byte string: reject results full of control or rare chars."""
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xE000 <= ord(ch) <= 0xF8FF
    )
    return bad / len(sample) > 0.01


def read_document(path: Path | str) -> Document:
    """Read and normalize one text file. Raises ``IngestError`` for unusable input."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise IngestError("is a directory") from None
    except PermissionError:
        raise IngestError("permission denied") from None
    except FileNotFoundError:
        raise IngestError("no such file") from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}") from None
    raw, encoding = decode_bytes(data, str(path))
    doc = document_from_text(raw, doc_id_for(path))
    doc.path = path
    doc.encoding = encoding
    return doc


def doc_id_for(path: Path) -> str:
    """SCHEMA.md: the input file's name without its extension."""
    return path.stem


def document_from_text(raw: str, doc_id: str) -> Document:
    """Normalize text already in memory into a ``Document``."""
    return Document(doc_id=doc_id, raw=raw, mapped=normalize(raw), year=reporting_year(raw, doc_id))


_YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年")
_YEAR_IN_ID = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


def reporting_year(raw: str, doc_id: str) -> int | None:
    """The year a report is about: from its file name, else its first lines, else None.

    A report's first written year is usually its subject (``2024 年度…决算``); a
    work report dated in March speaks of the previous year, which its title also
    states, so the file name wins where it gives one.
    """
    m = _YEAR_IN_ID.search(doc_id)
    if m:
        return int(m.group(1))
    m = _YEAR_IN_TITLE.search(raw[:2000])
    return int(m.group(1)) if m else None


def _fullwidth(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E and ch not in _FULLWIDTH_KEEP:
        return chr(code - 0xFEE0)
    return ch


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _is_ascii_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


class _Builder:
    """Accumulates normalized characters with their raw spans."""

    def __init__(self, size_hint: int) -> None:
        self.chars: list[str] = []
        self.starts = array("q")
        self.ends = array("q")

    def add(self, ch: str, start: int, end: int) -> None:
        self.chars.append(ch)
        self.starts.append(start)
        self.ends.append(end)

    def last(self) -> str:
        return self.chars[-1] if self.chars else "\n"

    def build(self) -> MappedText:
        return MappedText("".join(self.chars), self.starts, self.ends)


def _markup_runs(raw: str) -> Iterator[tuple[int, int, str | None]]:
    """Yield ``(start, end, replacement)`` for HTML tags, entities and Markdown emphasis."""
    pattern = re.compile(_TAG.pattern + "|" + _ENTITY.pattern + r"|\*\*|__")
    for m in pattern.finditer(raw):
        token = m.group(0)
        if token in ("**", "__"):
            yield m.start(), m.end(), None
        elif token.startswith("&"):
            decoded = html.unescape(token)
            yield m.start(), m.end(), decoded if len(decoded) == 1 else None
        else:
            name = (m.group(2) or "").lower()
            if name in _CELL_TAGS:
                yield m.start(), m.end(), "\t" if not m.group(1) else None
            elif name in _BLOCK_TAGS:
                yield m.start(), m.end(), "\n"
            else:
                yield m.start(), m.end(), None


def normalize(raw: str) -> MappedText:
    """Normalize raw text for matching; see the module docstring for what changes.

    - HTML tags are removed (cells become tabs, block tags line breaks), entities
      decoded, Markdown ``**``/``__`` removed;
    - full-width digits, letters and ASCII symbols become half-width (Chinese
      punctuation such as ，。；（） is kept);
    - ``\\r`` is dropped; spaces are removed except between two Latin letters, so
      ``414.89 万元`` reads ``414.89万元`` and ``2024 年`` reads ``2024年``.

    Line breaks are kept: joining PDF-wrapped lines is the segmenter's job.
    """
    b = _Builder(len(raw))
    runs = _markup_runs(raw)
    next_run = next(runs, None)
    pending_space: tuple[int, int] | None = None
    i = 0
    n = len(raw)
    while i < n:
        if next_run is not None and next_run[0] == i:
            start, end, repl = next_run
            next_run = next(runs, None)
            if repl is not None:
                if repl in _SPACES:
                    pending_space = pending_space or (start, end)
                else:
                    pending_space = None
                    b.add(repl, start, end)
            i = end
            continue
        ch = raw[i]
        if ch == "\r":
            i += 1
            continue
        if ch in _SPACES:
            pending_space = pending_space or (i, i + 1)
            i += 1
            continue
        ch = _fullwidth(ch)
        if pending_space is not None:
            if _is_ascii_letter(b.last()) and _is_ascii_letter(ch):
                b.add(" ", *pending_space)
            pending_space = None
        b.add(ch, i, i + 1)
        i += 1
    return b.build()


def iter_input_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Expand paths to files, recursively and in sorted order.

    Yields ``(path, problem)``: ``problem`` is ``None`` for a file to process, or a
    one-line reason for a path that cannot be used (missing, a symlink loop).
    Directories yield their text files (``TEXT_SUFFIXES``); a file named
    explicitly is always yielded, whatever its suffix.
    """
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen_dirs)
        elif path.exists():
            yield path, None
        elif path.is_symlink():
            yield path, "broken symbolic link"
        else:
            yield path, "no such file or directory"


def _walk(directory: Path, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, str | None]]:
    try:
        st = directory.stat()
    except OSError as exc:
        yield directory, f"cannot read directory: {exc.strerror or exc}"
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield directory, "directory already visited (symbolic link loop?), skipped"
        return
    seen.add(key)
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        yield directory, f"cannot list directory: {exc.strerror or exc}"
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            yield entry, f"cannot read: {exc.strerror or exc}"
            continue
        if is_dir:
            yield from _walk(entry, seen)
        elif entry.suffix.lower() in TEXT_SUFFIXES:
            yield entry, None
