"""Ingest: read a file, decode it, normalize it for matching, keep the way back.

Takes a path (or a ``str`` already in memory) and returns a ``Document``: the raw
text exactly as decoded (every span in the output indexes this string), and a
``MappedText`` whose characters are the normalized text and whose two offset arrays
map each normalized character back to the raw ``[start, end)`` it came from.

Normalization only ever replaces a character by one character, replaces a run
(an HTML tag or entity) by one character, or deletes characters; so the map is
monotone and ``raw[start:end]`` is always a faithful highlight. Text in Traditional
script is matched in Simplified (OpenCC's t2s, character for character, so the map
is unchanged), while every span still indexes the Traditional text as read.
"""

from __future__ import annotations

import codecs
import errno
import html
import re
import stat
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    import opencc

# Suffixes a directory walk picks up; .pdf/.docx/.html/.htm are read by formats.READERS.
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".pdf", ".docx", ".html", ".htm")

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

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16-LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Larger files are refused (see read_bytes).
MAX_FILE_BYTES = 64 * 1024 * 1024
# Share of the non-ASCII bytes that may be undecodable (replaced by U+FFFD).
_MAX_BAD_SHARE = 0.01
_NON_ASCII = bytes(range(0x80, 0x100))
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes kept by the surrogateescape handler
_NOT_BLANK = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Characters outside ASCII, Latin-1, general punctuation, CJK and full-width forms.
_UNCOMMON = re.compile(
    "[^\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u4dbf"
    "\u4e00-\u9fff\uff00-\uffef]"
)

_FULLWIDTH_KEEP = set("，。；：！？（）、“”‘’《》【】")
_BLOCK_TAGS = {"p", "br", "div", "tr", "table", "thead", "tbody", "li", "ul", "ol"}
_BLOCK_TAGS |= {f"h{i}" for i in range(1, 7)}
_CELL_TAGS = {"td", "th"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})\b[^<>]{0,500}?/?>")
# An entity, also escaped again by a careless page (&amp;nbsp; for &nbsp;).
_ENTITY = re.compile(r"&(?:amp;){0,3}(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")
# Spaces of every width, also the no-break ones web pages put inside figures (36.94&nbsp;万元).
_SPACES = " \u3000\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
# Zero-width characters and the soft hyphen: invisible, and always removed (1\u200b0场 is 10场).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


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

    - Binary formats are refused by their signature (PDF, ZIP/DOCX, PNG, …), by
      NUL bytes or by decoding into control characters; so are empty files and
      files holding only white space.
    - A byte order mark decides: UTF-8, UTF-16 or UTF-32 (strict).
    - UTF-16 without a mark is recognised by its NUL bytes, so only when the text
      holds some ASCII (line breaks, digits), and only if it decodes cleanly.
    - Otherwise the bytes must be UTF-8 or GB18030 (a superset of GBK/GB2312);
      see ``_decode_lines`` for files that mix the two or hold invalid bytes.

    ``name`` is unused; kept for callers that pass the file's name.
    """
    if not data:
        raise IngestError("empty file")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"binary file: looks like {what}, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            break
    else:
        text, encoding = _decode_unmarked(data)
    if not text:
        raise IngestError("empty file (only a byte order mark)")
    if not _NOT_BLANK.search(text):
        raise IngestError("file holds only white space")
    if _looks_like_garbage(text):
        raise IngestError(f"binary file: decoded as {encoding} it is not text")
    return text, encoding


def _decode_unmarked(data: bytes) -> tuple[str, str]:
    found = _utf16_without_bom(data)
    if found is not None:
        return found
    if b"\x00" in data[:65536]:
        raise IngestError("binary file: contains NUL bytes (not UTF-8, GB18030 or UTF-16 text)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_lines(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(f"invalid {encoding} at byte {exc.start}: {exc.reason}") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte order mark: decodes cleanly into common characters.

    Where both byte orders do, the one that puts the NUL bytes on the high side of
    more characters wins (ASCII ``a`` is ``61 00`` in UTF-16-LE).
    """
    sample = data[:65536]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    nul_high = {"utf-16-le": sample[1::2].count(0), "utf-16-be": sample[0::2].count(0)}
    best: tuple[float, int, str, str] | None = None
    for encoding, nuls in nul_high.items():
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        common = 1 - _uncommon_share(text)
        if common >= 0.9 and (best is None or (common, nuls) > best[:2]):
            best = (common, nuls, text, encoding)
    return None if best is None else (best[2], best[3])


def _uncommon_share(text: str) -> float:
    sample = text[:20000]
    return len(_UNCOMMON.findall(sample)) / len(sample) if sample else 0.0


def _decode_lines(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not all UTF-8, line by line.

    A line valid in only one of UTF-8 and GB18030 takes that one. A line valid in
    both (ASCII, short lines), or with at most one character's worth of non-ASCII
    bytes, takes the encoding most of the file's non-ASCII bytes lean to. A line
    valid in neither, such as the last line of a download cut off inside a
    character, is decoded in the encoding it mostly is with its bad bytes replaced
    by U+FFFD; more than ``_MAX_BAD_SHARE`` of the file's non-ASCII bytes that way
    and the file is refused.
    """
    lines = [_Line(raw) for raw in data.split(b"\n")]
    utf8_bytes = sum(line.non_ascii for line in lines if line.lean == "utf-8")
    majority = "utf-8" if utf8_bytes * 2 >= _non_ascii(data) else "gb18030"
    parts: list[str] = []
    used: set[str] = set()
    bad = 0
    first_bad: int | None = None
    offset = 0
    for line in lines:
        encoding = line.encoding(majority)
        text, line_bad, where = line.decode(encoding)
        parts.append(text)
        used.add(encoding)
        if line_bad and first_bad is None:
            first_bad = offset + where
        bad += line_bad
        offset += len(line.raw) + 1
    if bad > max(3, _non_ascii(data) * _MAX_BAD_SHARE):
        raise IngestError(
            f"cannot decode: {bad} bytes are neither UTF-8 nor GB18030 text "
            f"(the first at byte {first_bad})"
        )
    label = "+".join(sorted(used))
    if bad:
        label += f" ({bad} undecodable bytes replaced by U+FFFD)"
    return "\n".join(parts), label


class _Line:
    """One line of bytes, what it is valid in and which encoding it leans to."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.non_ascii = _non_ascii(raw)
        self.utf8_ok = _valid(raw, "utf-8")
        self.gb_ok = _valid(raw, "gb18030")
        self.lean = "utf-8" if self.utf8_ok or _mostly_utf8(raw) else "gb18030"

    def encoding(self, majority: str) -> str:
        # Valid in both, or too few non-ASCII bytes to tell (one cut-off character).
        if (self.utf8_ok and self.gb_ok) or self.non_ascii <= 3:
            return majority
        return self.lean

    def decode(self, encoding: str) -> tuple[str, int, int]:
        """``(text, bad bytes, offset of the first)``; bad bytes become U+FFFD."""
        try:
            return self.raw.decode(encoding), 0, 0
        except UnicodeDecodeError as exc:
            where = exc.start
        bad = _escaped(self.raw.decode(encoding, "surrogateescape"))
        return self.raw.decode(encoding, "replace"), bad, where


def _mostly_utf8(data: bytes) -> bool:
    """More valid UTF-8 multi-byte characters than bad bytes: UTF-8, not GBK, text."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad = _escaped(escaped)
    return len(escaped) - len(escaped.encode("ascii", "ignore")) - bad >= bad


def _escaped(text: str) -> int:
    """How many undecodable bytes the surrogateescape handler kept in ``text``."""
    return len(text) - len(_ESCAPED.sub("", text))


def _valid(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii(data: bytes) -> int:
    return len(data) - len(data.translate(None, _NON_ASCII))


_GARBAGE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")


def _looks_like_garbage(text: str) -> bool:
    """Decoded binary data: many control or private-use characters (GB18030 decodes much)."""
    sample = text[:20000]
    if not sample:
        return False
    return len(_GARBAGE.findall(sample)) / len(sample) > 0.01


def read_bytes(path: Path | str) -> bytes:
    """The bytes of a regular file, or ``IngestError`` saying why it cannot be read.

    Files over ``MAX_FILE_BYTES`` are refused: memory grows in proportion to the
    text (normalization peaks near 25 bytes per character), so one huge file
    could exhaust the machine.
    """
    path = Path(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IngestError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise IngestError("not a regular file (a device, pipe or socket)")
        if st.st_size > MAX_FILE_BYTES:
            raise IngestError(_too_large(st.st_size))
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise IngestError(_os_problem(path, exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise IngestError(_too_large(len(data)))
    return data


def _too_large(size: int) -> str:
    return f"file too large: {size:,} bytes (the limit is {MAX_FILE_BYTES:,})"


def _os_problem(path: Path, exc: OSError) -> str:
    """A one-line reason for an ``OSError`` about ``path``."""
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "no such file or directory"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot read: {exc.strerror or exc}"


def read_document(path: Path | str) -> Document:
    """Read and normalize one input file. Raises ``IngestError`` for unusable input."""
    path = Path(path)
    return document_from_bytes(read_bytes(path), path)


def raw_text(data: bytes, path: Path) -> tuple[str, str]:
    """A file's text as read (the string every span indexes) and its encoding or
    format: PDF/DOCX/HTML by suffix, else decoded text."""
    from .formats import READERS  # here: formats imports this module

    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        return reader(data), path.suffix.lower().lstrip(".")
    return decode_bytes(data, str(path))


def document_from_bytes(data: bytes, path: Path) -> Document:
    """A ``Document`` from a file's bytes (see ``raw_text``)."""
    raw, encoding = raw_text(data, path)
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


def _is_ascii_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _ranges(codes: list[int]) -> str:
    """A character class's body for the characters ``codes`` (sorted), as ranges."""
    out: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(re.escape(chr(codes[i])) + ("-" + re.escape(chr(codes[j])) if j > i else ""))
        i = j + 1
    return "".join(out)


# The full-width forms _fullwidth changes: those it keeps (，（）…) are copied with the
# text around them instead of matched one by one.
_WIDE_CHANGED = _ranges([c for c in range(0xFF01, 0xFF5F) if chr(c) not in _FULLWIDTH_KEEP])

# Everything normalize changes; the text between two matches is copied as it is. (The
# pinyin of a ruby opens with a half-width bracket only: a full-width one is kept
# punctuation, which was matched first and left as it is.) The ``regex`` module scans
# text for this alternation about four times as fast as ``re``, with the same matches.
_CHANGES = regex.compile(
    _TAG.pattern
    + "|"
    + _ENTITY.pattern
    + r"|\*\*|__|\r|\[bookmark:[^\]\n]{0,80}\]|(?P<spaces>["
    + _SPACES
    + _INVISIBLE
    + r"]+)|(?P<wide>["
    + _WIDE_CHANGED
    + "])"
    # Half-width clause marks written in Chinese prose (pasted web text, some PDFs): the
    # Chinese mark, so the rules read one set of punctuation (…万元,下降 → …万元，下降).
    + r"|(?<=[\u4e00-\u9fff”）%])(?P<half>[,;:!?])(?![\dA-Za-z])"
    # A comma between numbers that is no thousands separator (各是412.50,414.30万元) separates
    # a list: the Chinese 、 (see _lists_numbers).
    + r"|(?<=\d)(?P<listcomma>,)(?=\d)"
    # A list item's number glued to a count that opens it (2.36个村卫生室…, 3.12场演出…):
    # no decimal counts whole things, so the point ends the item's number, as 、 does.
    + r"|(?:(?<=^\d)|(?<=\n\d)|(?<=^\d\d)|(?<=\n\d\d))(?P<listdot>\.)"
    + r"(?=\d+(?:个|场|次|家|所|名|位|项|处|座|条|支|台|件|篇|期|批|户|村)"
    + r"(?!百分点|月|工作日|小时|季度|学期))"
    # Pinyin a web page's ruby left after a character (1萬(wàn)多名, 獎(jiǎng)): removed; it
    # holds a tone-marked vowel, so a list marker like (a) stays.
    + r"|(?<=[\u4e00-\u9fff])\((?P<pinyin>[a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,5})[)）]"
)
_CHINESE_MARK = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


_THOUSANDS_GROUP = re.compile(r"\d{3}(?!\d)")


def _lists_numbers(raw: str, comma: int) -> bool:
    """True where the comma at ``comma``, between digits, separates two numbers: the
    number before it ends in one or two decimals (412.50,414.30) or what follows is not a
    group of three digits (4125,4143); 1,286.45 and 2,000,000 keep their thousands
    separators."""
    i = comma
    while i > 0 and raw[i - 1].isdigit():
        i -= 1
    if i > 0 and raw[i - 1] == "." and comma - i <= 2:
        return True  # …50,414: the comma follows a fraction of cents (a doubled PDF text
        # layer, 1,234.561,234.56, runs on with three digits and is left as it is)
    return _THOUSANDS_GROUP.match(raw, comma + 1) is None


# The longest run of offsets 0, 1, 2… kept between documents (8 bytes each).
_IDENTITY_KEPT = 1 << 20
_identity = [array("q")]


def _offsets(n: int) -> array:
    """``array("q", range(m))`` for some ``m >= n``: the offsets copied text takes, sliced
    from one array (a copy of machine words) instead of made from Python ints."""
    kept = _identity[0]
    if len(kept) >= n:
        return kept
    made = array("q", range(max(n, min(2 * len(kept), _IDENTITY_KEPT))))
    if len(made) <= _IDENTITY_KEPT:
        _identity[0] = made
    return made


class _Builder:
    """Accumulates normalized text with, per character, the raw span it came from."""

    def __init__(self, size: int) -> None:
        self.parts: list[str] = []
        self.starts = array("q")
        self.ends = array("q")
        self.last = "\n"
        self.offsets = _offsets(size + 1)  # for a raw text of ``size`` characters

    def copy(self, raw: str, start: int, end: int) -> None:
        """Copy ``raw[start:end]`` unchanged (one raw character per character)."""
        if end > start:
            self.parts.append(raw[start:end])
            self.starts.extend(self.offsets[start:end])
            self.ends.extend(self.offsets[start + 1 : end + 1])
            self.last = raw[end - 1]

    def add(self, ch: str, start: int, end: int) -> None:
        """One normalized character standing for ``raw[start:end]``."""
        self.parts.append(ch)
        self.starts.append(start)
        self.ends.append(end)
        self.last = ch

    def build(self) -> MappedText:
        return MappedText("".join(self.parts), self.starts, self.ends)


def _markup(token: str, closing: bool, name: str) -> str | None:
    """What an HTML tag, entity, Markdown mark or converter's bookmark becomes:
    one character, or None."""
    if token in ("**", "__") or token.startswith("[bookmark:"):
        return None
    if token.startswith("&"):
        while token.startswith("&amp;") and len(token) > len("&amp;"):
            token = "&" + token[len("&amp;") :]
        decoded = html.unescape(token)
        return decoded if len(decoded) == 1 else None
    name = name.lower()
    if name in _CELL_TAGS:
        return None if closing else "\t"
    if name in _BLOCK_TAGS:
        return "\n"
    return None


def _between_letters(b: _Builder, raw: str, end: int) -> bool:
    """Whether a space ending at ``raw[end]`` stands between two Latin letters."""
    following = _fullwidth(raw[end]) if end < len(raw) else ""
    return _is_ascii_letter(b.last) and _is_ascii_letter(following)


def normalize(raw: str) -> MappedText:
    """Normalize raw text for matching; see the module docstring for what changes.

    - HTML tags are removed (cells become tabs, block tags line breaks), entities
      decoded, Markdown ``**``/``__`` and converters' ``[bookmark: …]`` marks removed;
    - full-width digits, letters and ASCII symbols become half-width (Chinese
      punctuation such as ，。；（） is kept); half-width clause marks ``,;:!?`` right after a
      Chinese character, a closing quote or bracket, or ``%`` become the Chinese ones
      (pasted web text writes ``…万元,下降…``), so the rules read one set of marks; the
      tone-marked pinyin a page's ruby leaves after a character (``萬(wàn)``) is removed;
    - ``\\r`` is dropped; spaces (also no-break ones and ``&nbsp;``) are removed
      except between two Latin letters, so ``414.89 万元`` reads ``414.89万元`` and
      ``2024 年`` reads ``2024年``; zero-width characters and soft hyphens are removed;
    - text in Traditional script (``is_traditional``) is converted to Simplified
      character for character (``to_simplified``), so the rules, written for
      Simplified, read it; each character keeps its raw offsets.

    Line breaks are kept: joining PDF-wrapped lines is the segmenter's job. Runs
    of unchanged text are copied whole, so the cost is linear and small.
    """
    b = _Builder(len(raw))
    pos = 0
    for m in _CHANGES.finditer(raw):
        start, end = m.span()
        b.copy(raw, pos, start)
        pos = end
        token = m.group(0)
        if m.group("wide") is not None:
            b.add(_fullwidth(token), start, end)
        elif m.group("half") is not None:
            b.add(_CHINESE_MARK[token], start, end)
        elif m.group("listdot") is not None:
            b.add("、", start, end)
        elif m.group("listcomma") is not None:
            b.add("、" if _lists_numbers(raw, start) else token, start, end)
        elif m.group("pinyin") is not None:
            continue
        elif m.group("spaces") is not None:
            if _between_letters(b, raw, end) and token.strip(_INVISIBLE):
                b.add(" ", start, end)
        elif token != "\r":
            repl = _markup(token, bool(m.group(1)), m.group(2) or "")
            if repl is None or repl in _INVISIBLE:
                continue
            if repl not in _SPACES:
                b.add(repl, start, end)
            elif _between_letters(b, raw, end):
                b.add(" ", start, end)
    b.copy(raw, pos, len(raw))
    mapped = b.build()
    if is_traditional(mapped.text):
        mapped = MappedText(to_simplified(mapped.text), mapped.starts, mapped.ends)
    return mapped


# Traditional script. A text is Traditional where at least TRADITIONAL_SHARE of the
# Chinese characters of a sample are ones OpenCC's t2s changes (in Traditional
# reports about a third are; in Simplified ones none).
TRADITIONAL_SHARE = 0.1
_MIN_TRADITIONAL = 2  # characters t2s changes, however short the text
_SAMPLE_PIECES = 4
_SAMPLE_CHARS = 2000  # per piece, spread over the text
_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CLAUSE_MARKS = re.compile("([，。；：！？、,;:!?])")


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in Traditional script (see TRADITIONAL_SHARE).

    Cheap for Simplified text, which never loads OpenCC: GB2312, the Simplified
    character set, holds only 16 of the 4,572 characters t2s changes, so a sample
    that GB2312 encodes but for a few characters (``·``, ``—``, a rare name) is
    no Traditional text, and it takes two encodings to tell.
    """
    sample = _sample(text)
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    outside_gb2312 = sample.encode("gb2312", "replace").count(b"?") - sample.count("?")
    if outside_gb2312 < max(_MIN_TRADITIONAL, TRADITIONAL_SHARE / 2 * non_ascii):
        return False
    chinese = "".join(_CHINESE.findall(sample))
    changed = sum(a != b for a, b in zip(chinese, to_simplified(chinese), strict=True))
    return changed >= max(_MIN_TRADITIONAL, TRADITIONAL_SHARE * len(chinese))


def _sample(text: str) -> str:
    """The whole text, or ``_SAMPLE_PIECES`` stretches spread evenly over a long one."""
    if len(text) <= _SAMPLE_PIECES * _SAMPLE_CHARS:
        return text
    step = len(text) // _SAMPLE_PIECES
    return "".join(text[i * step : i * step + _SAMPLE_CHARS] for i in range(_SAMPLE_PIECES))


@cache
def _t2s() -> opencc.OpenCC:
    import opencc  # only for Traditional text: Simplified runs never load it

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` converted to Simplified script by OpenCC, character for character:
    the result has the same length, and each character stands where its original was.

    OpenCC converts phrases, not only characters, and a phrase could change length: a
    line whose conversion does is converted clause by clause, and a clause whose
    conversion does keeps its original characters.
    """
    converter = _t2s()
    lines = text.split("\n")
    converted = converter.convert(text).split("\n")
    if len(converted) != len(lines):
        converted = [converter.convert(line) for line in lines]
    return "\n".join(
        new if len(new) == len(old) else _clause_by_clause(old, converter)
        for old, new in zip(lines, converted, strict=True)
    )


def _clause_by_clause(line: str, converter: opencc.OpenCC) -> str:
    parts = []
    for part in _CLAUSE_MARKS.split(line):
        new = converter.convert(part)
        parts.append(new if len(new) == len(part) else part)
    return "".join(parts)


def iter_input_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """Expand paths to files, recursively and in sorted order.

    Yields ``(path, problem)``: ``problem`` is ``None`` for a file to process, or a
    one-line reason for a path that cannot be used (missing, unreadable, a
    symbolic link loop). Directories yield their files with a ``TEXT_SUFFIXES``
    suffix; a file named explicitly is always yielded, whatever its suffix. A
    directory reached a second time (a symbolic link back to an ancestor, or a
    second link to the same folder) is reported once and not read again.
    """
    seen: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            st = path.stat()
        except OSError as exc:
            yield path, _os_problem(path, exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, seen)
        else:
            yield path, None


def _walk(directory: Path, seen: dict[tuple[int, int], Path]) -> Iterator[tuple[Path, str | None]]:
    try:
        st = directory.stat()
    except OSError as exc:
        yield directory, _os_problem(directory, exc)
        return
    key = (st.st_dev, st.st_ino)
    first = seen.get(key)
    if first is not None:
        if first == directory or first in directory.parents:
            yield directory, f"symbolic link loop (back to {first}), skipped"
        else:
            yield directory, f"same folder as {first}, already read; skipped"
        return
    seen[key] = directory
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        yield directory, f"cannot list folder: {_os_problem(directory, exc)}"
        return
    for entry in entries:
        wanted = entry.suffix.lower() in TEXT_SUFFIXES
        try:
            is_dir = stat.S_ISDIR(entry.stat().st_mode)
        except OSError as exc:
            if wanted:  # a broken or looping link, or no permission
                yield entry, _os_problem(entry, exc)
            continue
        if is_dir:
            yield from _walk(entry, seen)
        elif wanted:
            yield entry, None
