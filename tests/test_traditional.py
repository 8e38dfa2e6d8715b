"""Traditional script: read in Simplified for matching, every span into the text as read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import opencc
import pytest

import nlp_pipeline.ingest as ingest
from nlp_pipeline import extract_text
from nlp_pipeline.cli import main
from nlp_pipeline.ingest import is_traditional, normalize, to_simplified

from .conftest import DOCS

_S2T = opencc.OpenCC("s2t")
SENTENCE = "舉辦各類科普培訓、講座、報告會等900場次，線上線下參與人數4萬餘人次"


def _without_texts(value: Any) -> Any:
    """A record's JSON without what differs between the scripts: the texts as written."""
    if isinstance(value, dict):
        return {k: _without_texts(v) for k, v in value.items() if k not in ("text", "section")}
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    return value


def _texts(value: Any) -> list[tuple[str, list[int]]]:
    """Every ``(text, span)`` of a record's JSON."""
    if isinstance(value, list):
        return [pair for v in value for pair in _texts(v)]
    if not isinstance(value, dict):
        return []
    found = [(value["text"], value["span"])] if "span" in value else []
    return found + [pair for v in value.values() for pair in _texts(v)]


def test_the_traditional_sentence_gives_its_record() -> None:
    (record,) = extract_text(SENTENCE, "demo-2024")
    found = record.to_dict()
    assert found["event"]["text"] == "各類科普培訓、講座、報告會"
    assert found["event"]["type"] == "lecture"
    assert [
        (q["kind"], q["text"], q["value"], q["unit"], q["qualifier"]) for q in found["quantities"]
    ] == [
        ("sessions", "900場次", 900, "场次", "exact"),
        ("participants", "4萬餘人次", 40000, "人次", "over"),
    ]
    for text, (start, end) in _texts(found):
        assert SENTENCE[start:end] == text


def test_conversion_keeps_the_map_of_the_text_as_read() -> None:
    raw = "<p>舉辦講座&nbsp;１0場，參與群眾1 500人次。</p>"
    simplified = normalize("<p>举办讲座&nbsp;１0场，参与群众1 500人次。</p>")
    converted = normalize(raw)
    assert converted.text == simplified.text == "\n举办讲座10场，参与群众1500人次。\n"
    assert list(converted.starts) == list(simplified.starts)
    assert list(converted.ends) == list(simplified.ends)


def test_simplified_text_is_not_converted_and_never_loads_opencc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_opencc() -> None:
        raise AssertionError("OpenCC loaded for Simplified text")

    monkeypatch.setattr(ingest, "_t2s", no_opencc)
    for path in sorted(DOCS.iterdir()):
        raw = path.read_text(encoding="utf-8")
        assert not is_traditional(raw)
        normalize(raw)
    # A Traditional quotation in a Simplified report is left as it is.
    raw = (DOCS / "lusong-2024-selfeval.txt").read_text(encoding="utf-8")
    assert not is_traditional(raw + SENTENCE * 3)


def test_a_conversion_that_changes_the_length_keeps_the_original_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Lengthening:
        """t2s, except that one phrase comes out a character longer."""

        def convert(self, text: str) -> str:
            return _T2S.convert(text).replace("报告会", "报告大会")

    _T2S = opencc.OpenCC("t2s")
    monkeypatch.setattr(ingest, "_t2s", Lengthening)
    text = "舉辦講座10場，報告會3場。\n參與人數4萬餘人次"
    assert to_simplified(text) == "举办讲座10场，報告會3場。\n参与人数4万余人次"


def test_traditional_copies_of_the_gold_documents_give_the_same_records(
    tmp_path: Path, corpus_records: dict[str, list[Any]]
) -> None:
    folder = tmp_path / "traditional"
    folder.mkdir()
    raws = {}
    for path in sorted(DOCS.iterdir()):
        simplified = path.read_text(encoding="utf-8")
        traditional = _S2T.convert(simplified)
        assert len(traditional) == len(simplified) and traditional != simplified
        assert is_traditional(traditional)
        (folder / path.name).write_text(traditional, encoding="utf-8")
        raws[path.stem] = traditional
    shutil.copyfile(DOCS / "lusong-2024-selfeval.txt", folder / "simplified-2024.txt")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 0
    found: dict[str, list[dict[str, Any]]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found.setdefault(record["doc_id"], []).append(record)
    assert set(found) == {*raws, "simplified-2024"}
    for doc_id, raw in raws.items():
        want = [json.loads(json.dumps(r.to_dict())) for r in corpus_records[doc_id]]
        assert len(found[doc_id]) == len(want) > 20
        assert [_without_texts(r) for r in found[doc_id]] == [_without_texts(r) for r in want]
        for record in found[doc_id]:
            for text, (start, end) in _texts(record):
                assert raw[start:end] == text
