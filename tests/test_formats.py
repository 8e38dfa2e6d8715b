"""PDF, DOCX and HTML inputs: their text is extracted, and spans index that text."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from nlp_pipeline import extract_file
from nlp_pipeline.cli import main
from nlp_pipeline.formats import READERS, read_html
from nlp_pipeline.ingest import IngestError, iter_input_files, read_document
from nlp_pipeline.run import process_file

LINE1 = "全年举办科普讲座12场，参与群众1500余人次。"
LINE2 = "争取补助资金5万元，获一等奖1名。"


def make_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with one page per call; an empty ``lines`` gives a blank page (no text)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        pdf.drawString(72, 750 - 20 * i, line)
    pdf.showPage()
    pdf.save()
    return path


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("一、科普活动", level=1)
    document.add_paragraph(LINE1)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("指标", "目标", "完成情况"), strict=True):
        cell.text = text
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "合并单元格"
    table.cell(1, 2).text = "已完成"
    document.add_paragraph(LINE2)
    document.save(str(path))
    return path


def assert_spans_index(raw: str, records: list) -> None:
    for record in records:
        for q in record.quantities:
            assert raw[q.start : q.end] == q.text


def test_pdf_text_layer_in_chinese_is_read(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "report.pdf", [LINE1, LINE2])
    doc = read_document(path)
    assert doc.doc_id == "report"
    assert LINE1 in doc.raw and LINE2 in doc.raw
    records = extract_file(path)
    texts = [q.text for r in records for q in r.quantities]
    assert "12场" in texts and "5万元" in texts
    assert_spans_index(doc.raw, records)


def test_pdf_without_text_layer_says_so(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(IngestError, match=r"PDF has no text layer \(scanned\?\)"):
        read_document(path)
    records, error = process_file(path)
    assert records == [] and error is not None and "no text layer" in error


def test_damaged_pdf_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF")
    with pytest.raises(IngestError, match="PDF"):
        read_document(path)


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "report.docx"))
    assert doc.raw.splitlines() == [
        "一、科普活动",
        LINE1,
        "指标\t目标\t完成情况",
        "合并单元格\t已完成",
        LINE2,
    ]
    records = extract_file(tmp_path / "report.docx")
    assert "1500余人次" in [q.text for r in records for q in r.quantities]
    assert_spans_index(doc.raw, records)


def test_damaged_docx_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")
    with pytest.raises(IngestError, match="cannot read DOCX"):
        read_document(path)


def test_html_visible_text_blocks_and_cells() -> None:
    page = (
        "<html><head><title>标题</title><style>p {color: red}</style></head><body>"
        "<script>var s = '<p>12场</p>';</script>"
        "<h1>一、科普活动</h1><p>全年举办科普讲座12场，\n  参与群众&nbsp;1500余人次。<br>第二行</p>"
        "<table><tr><th>指标</th><th> 目标 </th></tr><tr><td>讲座<p>场次</p></td><td>10</td></tr>"
        "</table><ul><li>甲</li><li>乙 &amp; 丙</li></ul></body></html>"
    )
    text = read_html(page.encode("utf-8"))
    assert text == (
        "一、科普活动\n\n全年举办科普讲座12场， 参与群众\u00a01500余人次。\n第二行\n\n"
        "指标\t目标\n讲座 场次\t10\n\n甲\n乙 & 丙\n"
    )


def test_html_file_in_gb18030_and_unclosed_head(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes("<html><head><title>x</title><body><p>举办讲座3场。</p>".encode("gb18030"))
    doc = read_document(path)
    assert doc.raw == "举办讲座3场。\n"
    assert [q.text for r in extract_file(path) for q in r.quantities] == ["3场"]


def test_html_without_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>x()</script></head><body> </body></html>")
    with pytest.raises(IngestError, match="no visible text"):
        read_document(path)


def test_directory_walk_picks_up_the_formats(tmp_path: Path) -> None:
    for name in ("a.pdf", "b.DOCX", "c.html", "d.htm", "e.txt", "f.png"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.name for p, problem in iter_input_files([tmp_path]) if problem is None]
    assert found == ["a.pdf", "b.DOCX", "c.html", "d.htm", "e.txt"]
    assert set(READERS) == {".pdf", ".docx", ".html", ".htm"}


def test_save_text_lets_a_user_check_every_span(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "report.docx")
    out, texts = tmp_path / "out.jsonl", tmp_path / "texts"
    assert main(["extract", str(source), "-o", str(out), "--save-text", str(texts)]) == 0
    saved = (texts / "report.txt").read_text(encoding="utf-8")
    assert saved == read_document(source).raw
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records
    for record in records:
        for q in record["quantities"]:
            start, end = q["span"]
            assert saved[start:end] == q["text"]


def test_save_text_of_a_text_file_keeps_it_as_decoded(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_bytes(("\ufeff" + "标题\r\n" + LINE1 + "\r\n").encode("utf-8"))
    records, error = process_file(source, save_text=tmp_path / "texts")
    assert error is None and records
    with open(tmp_path / "texts" / "notes.txt", encoding="utf-8", newline="") as fh:
        saved = fh.read()
    assert saved == "标题\r\n" + LINE1 + "\r\n"
    assert_spans_index(saved, records)
