"""Tables: every form of table read into cells; indicator records; final-accounts figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp_pipeline.cli import main
from nlp_pipeline.formats import save_text
from nlp_pipeline.ingest import document_from_text, read_document
from nlp_pipeline.tables import (
    IndicatorRecord,
    final_accounts_figures,
    indicator_records,
    read_document_tables,
    read_tables,
)

from .conftest import DOCS, SHARED, needs_shared

SOCIAL_WORK = SHARED / "corpus-pdf" / "putuo-social-work-dept-2024-final-accounts.pdf"

HEADER = ["一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "分值", "得分"]
ROWS = [
    ["产出指标", "数量指标", "举办科普讲座场次", "≥12场", "15场", "10", "10"],
    ["", "质量指标", "讲座满意度", "≥90%", "85%", "10", "8"],
    ["效益指标", "社会效益指标", "公众科学素质", "稳步提升", "稳步提升", "10", "10"],
]


def _names(text: str) -> list[tuple[str | None, str, str | None, str | None, bool | None]]:
    doc = document_from_text(text, "example-2024")
    found = indicator_records(doc.doc_id, doc.raw, read_tables(doc))
    for ind in found:
        assert doc.raw[ind.name.start : ind.name.end] == ind.name.text
        for value in (ind.target, ind.actual):
            assert value is None or doc.raw[value.start : value.end] == value.text
    return [
        (i.level2, i.name.text, i.target and i.target.text, i.actual and i.actual.text, i.met)
        for i in found
    ]


EXPECTED = [
    ("数量指标", "举办科普讲座场次", "≥12场", "15场", True),
    ("质量指标", "讲座满意度", "≥90%", "85%", False),
    ("社会效益指标", "公众科学素质", "稳步提升", "稳步提升", None),
]


def test_the_same_table_in_every_form_gives_the_same_indicators() -> None:
    tab = "\n".join("\t".join(r) for r in [HEADER, *ROWS])
    pipe = "\n".join("| " + " | ".join(r) + " |" for r in [HEADER, ["---"] * 7, *ROWS])
    html = (
        "<table>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in [HEADER, *ROWS])
        + "</table>"
    )
    flat = "\n".join(" ".join(c for c in r if c) for r in [HEADER, *ROWS])
    for text in (tab, pipe, html, flat):
        assert _names("绩效自评表\n" + text + "\n") == EXPECTED, text


def test_indicator_record_json_round_trips() -> None:
    doc = document_from_text("\t".join(HEADER) + "\n" + "\t".join(ROWS[0]) + "\n", "x-2024")
    (ind,) = indicator_records(doc.doc_id, doc.raw, read_tables(doc))
    data = ind.to_dict()
    assert data["indicator_id"] == "x-2024:I001"
    assert data["target"] == {
        "text": "≥12场",
        "span": data["target"]["span"],
        "value": 12,
        "unit": "场",
        "comparator": ">=",
    }
    assert (data["weight"], data["score"], data["met"]) == (10, 10, True)
    assert IndicatorRecord.from_dict(json.loads(json.dumps(data))).to_dict() == data


def test_table_rows_still_give_no_activity_records() -> None:
    from nlp_pipeline import extract_text

    text = "\t".join(HEADER) + "\n" + "\t".join(ROWS[0]) + "\n"
    assert extract_text(text, "x-2024") == []


def test_bundled_documents_tables() -> None:
    hongshan = read_document_tables(read_document(DOCS / "hongshan-2024-selfeval.md"))
    assert len(hongshan.indicators) == 50
    assert [i.met for i in hongshan.indicators].count(False) == 4  # 经费使用限额 exceeded
    assert len(hongshan.executions) == 3
    jianghan = read_document_tables(read_document(DOCS / "jianghan-2024-final-accounts.md"))
    by_key = {(f.table, f.line, f.column): f.value for f in jianghan.figures}
    assert by_key[("支出决算表", "本年支出合计", "本年支出合计")] == pytest.approx(4148900)
    assert by_key[("支出决算表", "基本支出", "基本支出")] == pytest.approx(2242300)
    path = ("一般公共预算财政拨款支出决算表", "科学技术支出/科学技术普及/科普活动", "小计")
    assert by_key[path] == pytest.approx(1386600)
    assert by_key[("收入支出决算总表", "科学技术支出", "金额")] == pytest.approx(3472600)


def test_a_flattened_final_accounts_table_under_its_caption() -> None:
    text = (
        "一般公共预算财政拨款支出决算表\n单位：万元\n项目\n合计 基本支出 项目支出\n"
        "201 一般公共服务 支出 264.87 62.63 202.24\n20139 社会工作事务 264.87 62.63 202.24\n"
        "2013901\n行 政\n运行\n51.32 51.32\n合计 307.82 105.58 202.24\n注：本表反映…\n"
    )
    doc = document_from_text(text, "x-2024")
    figures = {(f.line, f.value) for f in final_accounts_figures(read_tables(doc)) if f.total}
    assert figures == {
        ("一般公共服务支出", 2648700),
        ("一般公共服务支出/社会工作事务", 2648700),
        ("一般公共服务支出/社会工作事务/行政运行", 513200),
        ("一般公共预算财政拨款支出", 3078200),
    }


@pytest.fixture(scope="module")
def social_work():
    doc = read_document(SOCIAL_WORK)
    return doc, read_document_tables(doc)


@needs_shared
def test_pdf_tables_are_read_as_tables_with_spans_into_the_pypdf_text(social_work) -> None:
    doc, found = social_work
    titles = [t.title for t in found.tables if t.form == "pdf" and t.title]
    assert len(titles) == 9  # the nine tables, each by its caption
    assert all(f.cell.start is not None for f in found.figures)
    for f in found.figures:
        assert doc.raw[f.cell.start : f.cell.end].replace(" ", "") == f.cell.text
    lines = {(f.table, f.line, f.column): f.value for f in found.figures}
    assert lines[("收入支出决算总表", "本年收入合计", "决算数")] == pytest.approx(3078200)
    item = ("一般公共预算财政拨款支出决算表", "一般公共服务支出/社会工作事务/行政运行", "合计")
    assert lines[item] == pytest.approx(513200)
    basic = ("一般公共预算财政拨款基本支出决算表", "公用经费", "决算数")
    assert lines[basic] == pytest.approx(102300)


@needs_shared
def test_the_pdf_text_saved_as_txt_gives_the_same_line_totals(social_work, tmp_path) -> None:
    doc, found = social_work
    txt = read_document(save_text(doc, tmp_path))
    flat = read_document_tables(txt).figures

    def totals(figures) -> set[tuple[str, str, float]]:
        return {(f.table, f.line, round(f.value)) for f in figures if f.total}

    assert totals(flat) == totals(found.figures) - {
        f for f in totals(found.figures) if f[0].endswith("“三公”经费支出决算表")
    }


def test_extract_writes_indicator_records(tmp_path: Path, capsys) -> None:
    out = tmp_path / "indicators.jsonl"
    doc = str(DOCS / "hongshan-2024-selfeval.md")
    args = ["extract", doc, "-o", str(tmp_path / "r.jsonl"), "--indicators", str(out)]
    assert main([*args, "--workers", "1"]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50 and rows[0]["indicator_id"] == "hongshan-2024-selfeval:I001"
    assert "50 indicator records" in capsys.readouterr().err

