"""The public API and the command line, end to end on the bundled reports."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp_pipeline import extract_file, extract_text, to_dataframe
from nlp_pipeline.cli import main
from nlp_pipeline.io import COLUMNS

from .conftest import DOCS, needs_shared


def _mentions(record) -> list:
    items = [record.sentence, *record.quantities, *record.organizers]
    items += [m for m in (record.event, record.date, record.location) if m is not None]
    return items


def test_every_span_maps_back_to_the_raw_text(corpus_records, corpus_paths) -> None:
    for path in corpus_paths:
        raw = path.read_bytes().decode("utf-8")
        records = corpus_records[path.stem]
        assert records, path.name
        for record in records:
            for m in _mentions(record):
                assert raw[m.start : m.end] == m.text
            for q in record.quantities:
                assert record.sentence.start <= q.start and q.end <= record.sentence.end


def test_no_record_comes_from_a_table_row(corpus_records, corpus_paths) -> None:
    for path in corpus_paths:
        raw = path.read_bytes().decode("utf-8")
        for record in corpus_records[path.stem]:
            line_start = raw.rfind("\n", 0, record.sentence.start) + 1
            line_end = raw.find("\n", record.sentence.end)
            line = raw[line_start : line_end if line_end >= 0 else len(raw)]
            if "\t" in line:  # only a prose cell of a table may yield records
                assert "\t" not in record.sentence.text


def test_each_quantity_belongs_to_exactly_one_record(corpus_records) -> None:
    for records in corpus_records.values():
        spans = [(q.start, q.end) for r in records for q in r.quantities]
        assert len(spans) == len(set(spans))


def test_extract_text_and_dataframe() -> None:
    records = extract_text("2024年举办科普讲座10余场，参与群众4万余人次。", "demo")
    assert records[0].doc_id == "demo"
    frame = to_dataframe(records)
    assert list(frame.columns) == COLUMNS
    assert frame["value"].tolist() == [10.0, 40000.0]
    assert frame["event"].tolist() == ["科普讲座", "科普讲座"]


def test_record_json_follows_the_schema(corpus_records) -> None:
    record = corpus_records["dongxihu-2024-selfeval"][0].to_dict()
    assert set(record) == {
        "doc_id",
        "record_id",
        "section",
        "sentence",
        "event",
        "date",
        "location",
        "organizers",
        "quantities",
        "rates",
    }
    assert isinstance(record["rates"], list)
    assert record["record_id"] == "dongxihu-2024-selfeval:0000"


def test_cli_extract_jsonl(tmp_path: Path, capsys) -> None:
    out = tmp_path / "records.jsonl"
    assert main(["extract", str(DOCS), "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 100
    first = json.loads(lines[0])
    assert first["doc_id"] == "dongxihu-2024-selfeval"
    err = capsys.readouterr().err
    assert "extract: 4 files" in err and "0 failures" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_cli_extract_tables(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"records.{fmt}"
    assert main(["extract", str(DOCS / "lusong-2024-selfeval.txt"), "-o", str(out)]) == 0
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    expected = to_dataframe(extract_file(DOCS / "lusong-2024-selfeval.txt"))
    assert len(frame) == len(expected)
    assert frame["text"].tolist() == expected["text"].tolist()


def test_cli_usage_error_and_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["extract"]) == 2
    assert main(["extract", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o.jsonl")]) == 1
    assert "missing.txt: no such file" in capsys.readouterr().err


@needs_shared  # gold/docs.json names the PDFs read in place from ../shared/
def test_cli_evaluate_json_on_bundled_gold(capsys) -> None:
    assert main(["evaluate", "--gold", str(DOCS.parent), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    for key in ("quantity", "record", "event", "event_untyped", "per_kind", "attributes"):
        assert key in scores
    assert set(scores["per_kind"]) == {"sessions", "participants", "award", "money", "count"}


_ALPHABET = st.sampled_from(
    list("举办开展科普讲座活动培训会议参与群众人次场万元亿余近约第届年月日，。；、“”《》（）")
    + list("0123456789.一二三四五六七八九十百千万 \n\t<>/bp#*-|")
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_spans_always_map_back_on_arbitrary_input(text: str) -> None:
    for record in extract_text(text, "fuzz"):
        for m in _mentions(record):
            assert text[m.start : m.end] == m.text
