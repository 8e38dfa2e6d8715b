"""Check: one test per check kind on records built here (not on today's extraction),
the CLI, and the findings on real documents."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from nlp_pipeline.check import CHECKS, check_document, render_findings
from nlp_pipeline.cli import main
from nlp_pipeline.ingest import document_from_text
from nlp_pipeline.schema import ActivityRecord, Event, Rate
from nlp_pipeline.tables import read_document_tables

from .conftest import DOCS
from .test_patterns import records_with_roles


def _check(text: str, roles: list[str], only: str | None = None):
    doc = document_from_text(text, "example-2024")
    records = records_with_roles(doc, roles)
    result = check_document(doc, records, read_document_tables(doc))
    if only is not None:
        result.findings = [f for f in result.findings if f.check == only]
        result.unchecked = [u for u in result.unchecked if u.check == only]
    return doc, result


FINAL_ACCOUNTS = (
    "一般公共预算财政拨款支出决算表\n单位：万元\n项目\t\t合计\t基本支出\t项目支出\n"
    "201\t一般公共服务支出\t264.87\t62.63\t202.24\n"
    "20139\t社会工作事务\t264.87\t62.63\t202.24\n"
    "2013901\t行政运行\t51.32\t51.32\t\n"
    "合计\t\t307.82\t105.58\t202.24\n"
    "注：本表反映部门本年度一般公共预算财政拨款支出情况。\n"
    "五、一般公共预算财政拨款支出决算情况说明\n"
)


def test_table_compares_a_narrative_line_with_the_table_the_section_explains() -> None:
    text = FINAL_ACCOUNTS + (
        "一般公共预算财政拨款支出307.82万元，主要用于：一般公共服务支出（类）264.78万元。\n"
        "1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。全年预算为52.00万元，"
        "支出决算为51.32万元。\n"
    )
    doc, result = _check(text, ["spent", "spent", "budget", "spent"], only="table")
    got = [(f.status, f.message.split(":")[0]) for f in result.findings]
    assert got == [("ok", "一般公共预算财政拨款支出"), ("mismatch", "一般公共服务支出"),
                   ("ok", "行政运行")]  # fmt: skip
    mismatch = result.findings[1]
    assert [e.text for e in mismatch.evidence] == ["264.78万元", "264.87"]
    table_cell = mismatch.evidence[1]
    assert table_cell.table is not None and "一般公共预算财政拨款支出决算表" in table_cell.table
    assert doc.raw[table_cell.start : table_cell.end] == "264.87"


def test_table_ignores_lines_of_other_sections_and_years() -> None:
    text = FINAL_ACCOUNTS.replace("五、一般公共预算财政拨款支出决算情况说明", "十二、其他") + (
        "一般公共服务支出（类）200.00万元。\n"
    )
    assert _check(text, ["spent"], only="table")[1].findings == []


def test_target_reports_unmet_indicators_and_counts_those_not_comparable() -> None:
    text = (
        "一级指标\t二级指标\t三级指标\t年初目标值\t实际完成值\t得分\n"
        "产出指标\t数量指标\t举办讲座场次\t≥12场\t15场\t10\n"
        "\t成本指标\t经费使用限额\t≤51万元\t56万元\t2\n"
        "\t质量指标\t参与度\t≥90%\t9次\t3\n"
    )
    _, result = _check(text, [], only="target")
    assert [(f.status, f.stated, f.computed) for f in result.findings] == [
        ("ok", 12, 15),
        ("unmet", 510000, 560000),
    ]
    assert [u.reason for u in result.unchecked] == ["target and actual not comparable"]


def test_rates_on_records_are_used_as_given() -> None:
    text = "全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。\n"
    doc = document_from_text(text, "x-2024")
    (record,) = records_with_roles(doc, ["budget", "spent"])
    start = text.index("98.69%")
    record.rates = [Rate("98.69%", start, start + 6, kind="execution", value=0.9669)]
    result = check_document(doc, [record], read_document_tables(doc))
    assert [(f.check, f.status) for f in result.findings] == [("execution_rate", "mismatch")]


def test_event_line_names_the_budget_line() -> None:
    text = "本年支出合计307.82万元。另一项支出307.80万元。\n"
    doc = document_from_text(text, "x-2024")
    records = records_with_roles(doc, ["spent", "spent"])
    second = records[1]
    span = second.quantities[0]
    records[1] = ActivityRecord(
        doc.doc_id, second.sentence, second.quantities,
        event=Event("另一项支出", span.start - 5, span.start, type="project", line="本年支出合计"),
    )  # fmt: skip
    result = check_document(doc, records, read_document_tables(doc))
    assert [(f.check, f.status) for f in result.findings] == [("repeat", "mismatch")]


def test_every_finding_carries_the_spans_of_the_figures_it_used() -> None:
    text = (
        "本年支出合计307.82万元，其中：基本支出105.58万元，占34.30%；项目支出202.24万元，占65.70%。\n"
        "与2023年度相比，本年支出合计减少50.00万元，下降14%。\n"
    )
    doc, result = _check(text, ["spent", "spent", "spent", "change"])
    assert {f.check for f in result.findings} == {"sum", "share", "change_rate", "direction"}
    for f in result.findings:
        assert len(f.evidence) >= 2
        for e in f.evidence:
            assert doc.raw[e.start : e.end] == e.text


def test_a_zero_base_gives_no_finding_but_is_counted() -> None:
    text = "年初预算为0万元，支出决算为5.00万元，完成年初预算的100%。\n"
    _, result = _check(text, ["budget", "spent"], only="execution_rate")
    assert result.findings == []
    assert [u.reason for u in result.unchecked] == ["zero base"]


def test_findings_as_csv_one_row_each() -> None:
    _, result = _check("本年支出合计30.00万元，其中：基本支出10.00万元，项目支出20.00万元。\n",
                       ["spent", "spent", "spent"])  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(render_findings(result.findings, "csv"))))
    assert len(rows) == 1
    assert rows[0]["check"] == "sum" and rows[0]["status"] == "ok"
    assert rows[0]["evidence"] == "30.00万元 | 10.00万元 | 20.00万元"


def test_every_check_kind_has_a_function_with_a_docstring() -> None:
    assert list(CHECKS) == ["execution_rate", "change_rate", "change_amount", "share", "sum",
                            "direction", "repeat", "table", "target"]  # fmt: skip
    assert all(fn.__doc__ for fn in CHECKS.values())


def test_cli_check_writes_findings_and_a_summary(tmp_path: Path, capsys) -> None:
    out = tmp_path / "findings.jsonl"
    doc = DOCS / "jianghan-2024-final-accounts.md"
    assert main(["check", str(doc), "-o", str(out)]) == 0
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    err = capsys.readouterr().err
    assert f"{len(findings)} findings" in err and "claims not checkable" in err
    assert "  share " in err  # the per-kind table
    mismatches = {f["message"] for f in findings if f["status"] == "mismatch"}
    assert any("stated 0.7%" in m for m in mismatches)  # 28.18 of 414.89 is 6.79%
    assert any("347.25" in m for m in mismatches)  # the text's 347.26 against table 6
    for f in findings:
        assert set(f) == {"doc_id", "check", "status", "stated", "computed", "message",
                          "evidence"}  # fmt: skip
        assert f["status"] in ("ok", "mismatch", "unmet")


def test_cli_check_reuses_an_extraction(tmp_path: Path, capsys) -> None:
    doc = DOCS / "lusong-2024-selfeval.txt"
    records = tmp_path / "records.jsonl"
    assert main(["extract", str(doc), "-o", str(records), "--workers", "1"]) == 0
    fresh, reused = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["check", str(doc), "-o", str(fresh)]) == 0
    assert main(["check", str(doc), "--records", str(records), "-o", str(reused)]) == 0
    assert fresh.read_text(encoding="utf-8") == reused.read_text(encoding="utf-8")
    assert fresh.read_text(encoding="utf-8").startswith("doc_id,check,status")
    capsys.readouterr()


def test_cli_check_bad_records_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert main(["check", str(DOCS / "lusong-2024-selfeval.txt"), "--records", str(bad)]) == 2
    assert "bad.jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["dongxihu-2024-selfeval.txt"])
def test_a_real_inconsistency_in_a_bundled_report(name: str) -> None:
    from nlp_pipeline import extract_file
    from nlp_pipeline.ingest import read_document

    doc = read_document(DOCS / name)
    result = check_document(doc, extract_file(DOCS / name), read_document_tables(doc))
    (found,) = [f for f in result.findings if f.status == "mismatch"]
    assert found.check == "change_amount"  # 432.63 + 21.4 is 454.03, not 456.73
    assert [e.text for e in found.evidence] == ["432.63万元", "21.4万元", "456.73万元"]
