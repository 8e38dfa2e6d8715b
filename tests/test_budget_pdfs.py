"""The real final-accounts PDFs (read in place from ../shared/corpus-pdf/): the PDF path
end to end, budget lines with their canonical names, rates, roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp_pipeline.cli import main
from nlp_pipeline.evaluate import evaluate, validate_gold
from nlp_pipeline.formats import read_pdf

from .conftest import GOLD, SHARED, gold_set, needs_shared

PDFS = sorted((SHARED / "corpus-pdf").glob("putuo-*.pdf")) if SHARED.is_dir() else []

pytestmark = needs_shared


@pytest.fixture(scope="module")
def pdf_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("pdf") / "records.jsonl"
    assert main(["extract", *map(str, PDFS), "-o", str(out), "--workers", "1"]) == 0
    grouped: dict[str, list[dict]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        grouped.setdefault(record["doc_id"], []).append(record)
    return grouped


def test_every_span_indexes_the_pdf_text(pdf_records: dict[str, list[dict]]) -> None:
    assert len(pdf_records) == 3
    for path in PDFS:
        raw = read_pdf(path.read_bytes())
        for record in pdf_records[path.stem]:
            items = [record["sentence"], *record["quantities"], *record["rates"]]
            items += [record["event"]] if record["event"] else []
            for item in items:
                start, end = item["span"]
                assert raw[start:end] == item["text"]


def test_template_lines_have_their_canonical_names(pdf_records: dict[str, list[dict]]) -> None:
    for doc_id, records in pdf_records.items():
        lines = {r["event"]["line"] for r in records if r["event"] and "line" in r["event"]}
        for line in ("收支总计", "本年收入合计", "财政拨款收入", "本年支出合计", "基本支出",
                     "一般公共预算财政拨款支出", "人员经费", "公用经费", "政府采购"):
            assert line in lines, (doc_id, line)
        assert any("/" in line and not line.startswith(("三公", "政府采购")) for line in lines)
        money = [(r, q) for r in records for q in r["quantities"] if q["kind"] == "money"]
        with_line = [q for r, q in money if r["event"] and r["event"].get("line")]
        # what is left: performance-management amounts (编报绩效目标…), which are no line
        assert len(with_line) >= 0.9 * len(money), doc_id


def test_a_classification_item_names_its_figures(pdf_records: dict[str, list[dict]]) -> None:
    records = pdf_records["putuo-social-work-dept-2024-final-accounts"]
    item = [r for r in records if r["event"] and r["event"].get("line")
            == "一般公共服务支出/社会工作事务/行政运行"]
    assert item, "the 1、…（项）。 item's line"
    roles = [q["role"] for r in item for q in r["quantities"]]
    assert roles == ["budget", "spent"]
    assert [rate["kind"] for r in item for rate in r["rates"]] == ["execution"]


def test_the_pdf_gold_validates_and_scores_above_its_floors() -> None:
    assert validate_gold(GOLD, GOLD / "docs") == []
    gold, pred = gold_set(GOLD)
    pdf_gold = {k: v for k, v in gold.items() if k.startswith("putuo-")}
    result = evaluate(pdf_gold, {k: pred[k] for k in pdf_gold})
    assert result.per_kind["money"].f1 >= 0.99
    assert result.record_per_kind["money"].f1 >= 0.95
    assert result.rate.f1 >= 0.95
    assert result.attributes["role"].accuracy >= 0.97


def test_the_template_pdf_reads_without_failure(tmp_path: Path) -> None:
    template = SHARED / "corpus-pdf" / "mof-final-accounts-template.pdf"
    assert main(["extract", str(template), "-o", str(tmp_path / "t.jsonl")]) == 0
