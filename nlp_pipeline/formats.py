"""Formats: the text of PDF, DOCX and HTML inputs, and saving the text spans index.

``READERS`` maps a lower-case file suffix to a function that takes the file's bytes and
returns its plain text. ``ingest.read_document`` uses it for these suffixes; the text it
returns is then the document's raw text, so every span of the output indexes it. Since
that text is not the file's bytes, ``save_text`` writes it out (``extract --save-text``)
so a user can check ``text[start:end]``.

- PDF (pypdf): the text layer, page by page, pages separated by a blank line. A PDF
  without one (a scan) raises ``IngestError`` saying so. ``read_pdf_tables`` reads the
  ruled tables of a PDF as cell values (pdfplumber); ``tables`` finds each cell again
  in the pypdf text, which the spans index.
- DOCX (python-docx): the body's paragraphs and tables in order; a table row is one line
  with its cells separated by tabs (a merged cell is written once).
- HTML (stdlib ``html.parser``): the visible text; block elements start new lines, table
  cells are tab-separated, ``script``/``style``/``head`` are dropped, white space is
  collapsed as a browser does (except in ``pre``).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .ingest import Document, IngestError, decode_bytes

__all__ = [
    "READERS",
    "PdfTable",
    "read_docx",
    "read_html",
    "read_pdf",
    "read_pdf_tables",
    "save_text",
]


def read_pdf(data: bytes) -> str:
    """The text layer of a PDF; ``IngestError`` if it has none or cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError("PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError) as exc:
        raise IngestError(f"cannot read PDF: {exc}") from None
    if not any(page.strip() for page in pages):
        raise IngestError(
            f"PDF has no text layer (scanned?): {len(pages)} page(s) and no extractable "
            "text; run OCR on it first"
        )
    return "\n\n".join(page.rstrip() for page in pages) + "\n"


@dataclass(frozen=True)
class PdfTable:
    """One ruled table of a PDF page as pdfplumber reads it: rows of cell strings, with
    ``None`` for the cells a merged cell covers."""

    page: int  # 1-based
    rows: list[list[str | None]]


def read_pdf_tables(data: bytes) -> list[PdfTable]:
    """The ruled tables of every page of a PDF, in reading order (pdfplumber's
    ``extract_tables`` with its default, line-based settings); ``IngestError`` if the
    PDF cannot be read."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    found: list[PdfTable] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                found += [PdfTable(number, rows) for rows in page.extract_tables() if rows]
                page.close()
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError) as exc:
        raise IngestError(f"cannot read the tables of the PDF: {exc}") from None
    return found


def read_docx(data: bytes) -> str:
    """Paragraphs and tables of a Word document's body, in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = [
            _table_text(block) if isinstance(block, Table) else block.text
            for block in document.iter_inner_content()
        ]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        # SyntaxError: lxml's XMLSyntaxError derives from it
        raise IngestError(f"cannot read DOCX: {type(exc).__name__}: {exc}") from None
    text = "\n".join(blocks).strip("\n")
    if not text.strip():
        raise IngestError("DOCX has no text")
    return text + "\n"


def _table_text(table: Any) -> str:
    """A table as lines of tab-separated cells; merged cells are written once."""
    seen: set[Any] = set()  # <w:tc> elements written; held so lxml keeps their identity
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            element = cell._tc
            if element is previous:
                continue
            previous = element
            if element in seen:
                cells.append("")
                continue
            seen.add(element)
            cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip())
        lines.append("\t".join(cells))
    return "\n".join(lines)


_SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "iframe", "object"}
_LINE_BLOCKS = {
    "address", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form",
    "header", "hr", "li", "main", "nav", "aside", "tr", "caption", "center", "option",
}  # fmt: skip
_PARAGRAPH_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote", "pre",
    "section", "article",
}  # fmt: skip
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")


class _TextParser(HTMLParser):
    """Collects the visible text of an HTML page (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.cell_depth = 0
        self.cells_in_row = 0
        self.pending = 0  # 0 nothing, 1 a line break, 2 a blank line, before the next text
        self.cell_pending = False
        self.at_line_start = True

    def _break(self, level: int) -> None:
        if self.cell_depth:
            self._text(" ")
        else:
            self.pending = max(self.pending, level)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip_depth = 0  # a page that never closes its <head>
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if tag == "tr":
            if self.cell_depth == 0:
                self.cells_in_row = 0
            self._break(1)
        elif tag in ("td", "th"):
            if self.cell_depth == 0:
                self.cell_pending = self.cells_in_row > 0
                self.cells_in_row += 1
            self.cell_depth += 1
        elif tag in _PARAGRAPH_BLOCKS:
            self._break(2)
        elif tag in _LINE_BLOCKS:
            self._break(1)
        if tag == "pre":
            self.pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in ("td", "th"):
            self.cell_depth = max(0, self.cell_depth - 1)
        elif tag in _PARAGRAPH_BLOCKS:
            self._break(2)
        elif tag in _LINE_BLOCKS:
            self._break(1)
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self._text(data if self.pre_depth else _COLLAPSE.sub(" ", data))

    def _text(self, text: str) -> None:
        breaking = self.pending or self.cell_pending
        if not self.pre_depth and (breaking or self.at_line_start):
            text = text.lstrip(" ")
        if not text:
            return
        if breaking:
            if self.parts:
                self.parts[-1] = self.parts[-1].rstrip(" ")
            if self.pending and self.parts:
                self.parts.append("\n" * self.pending)
            if self.cell_pending:
                self.parts.append("\t")
            self.pending = 0
            self.cell_pending = False
        self.parts.append(text)
        self.at_line_start = text.endswith("\n")


def read_html(data: bytes) -> str:
    """The visible text of an HTML page (UTF-8, UTF-16 with BOM or GB18030)."""
    source, _ = decode_bytes(data)
    parser = _TextParser()
    parser.feed(source)
    parser.close()
    lines = [line.rstrip(" ") for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise IngestError("HTML page has no visible text")
    return text + "\n"


READERS: dict[str, Callable[[bytes], str]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
}


def save_text(doc: Document, directory: Path) -> Path:
    """Write the raw text that ``doc``'s spans index to ``directory/<doc_id>.txt`` (UTF-8).

    Line endings are written as they are, so ``text[start:end]`` holds for the file read
    back with ``open(path, encoding="utf-8", newline="")``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{doc.doc_id}.txt"
    with open(target, "w", encoding="utf-8", newline="") as fh:
        fh.write(doc.raw)
    return target
