"""Tests for nlp_pipeline.evaluate: loading, gold validation, scoring and reports."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from nlp_pipeline.evaluate import (
    GoldError,
    evaluate,
    find_document,
    format_errors,
    format_markdown_table,
    format_report,
    list_errors,
    load_gold_dir,
    load_jsonl,
    load_predictions,
    read_raw,
    validate_gold,
    values_equal,
)
from nlp_pipeline.schema import ActivityRecord

DOC = "demo-2024"
RAW = (
    "一、科普活动\r\n"
    "3月，在新华社区举办院士专家进校园活动10余场，参与学生1500余人次。\r\n"
    "科普知识竞赛获一等奖1名，争取补助资金5万元。\r\n"
    "全年支出决算为5.47万元。\r\n"
)
LINE2 = "3月，在新华社区举办院士专家进校园活动10余场，参与学生1500余人次。"
LINE3 = "科普知识竞赛获一等奖1名，争取补助资金5万元。"
LINE4 = "全年支出决算为5.47万元。"


def m(text: str, within: str | None = None) -> dict[str, Any]:
    """A mention dict for the first occurrence of ``text`` (inside ``within`` if given)."""
    base = RAW.index(within) if within else 0
    start = RAW.index(text, base)
    return {"text": text, "span": [start, start + len(text)]}


def q(kind: str, text: str, value: float, unit: str, within: str, **extra: Any) -> dict[str, Any]:
    out = {"kind": kind, **m(text, within), "value": value, "unit": unit, "qualifier": "exact"}
    out.update(extra)
    return out


def gold_dicts() -> list[dict[str, Any]]:
    return [
        {
            "doc_id": DOC,
            "sentence": m(LINE2),
            "event": {**m("院士专家进校园活动"), "type": "lecture"},
            "date": {**m("3月"), "value": "2024-03"},
            "location": m("新华社区"),
            "organizers": [],
            "quantities": [
                q("sessions", "10余场", 10, "场", LINE2, qualifier="over"),
                q("participants", "1500余人次", 1500, "人次", LINE2, qualifier="over"),
            ],
        },
        {
            "doc_id": DOC,
            "sentence": m(LINE3),
            "event": {**m("科普知识竞赛"), "type": "competition"},
            "date": None,
            "location": None,
            "quantities": [
                q("award", "1名", 1, "名", LINE3, level="一等奖"),
                q("money", "5万元", 50000, "元", LINE3, role="grant"),
            ],
        },
        {
            "doc_id": DOC,
            "sentence": m(LINE4),
            "event": None,
            "quantities": [q("money", "5.47万元", 54700, "元", LINE4, role="spent")],
        },
    ]


def records(dicts: list[dict[str, Any]]) -> dict[str, list[ActivityRecord]]:
    out: dict[str, list[ActivityRecord]] = {}
    for d in dicts:
        rec = ActivityRecord.from_dict(d)
        out.setdefault(rec.doc_id, []).append(rec)
    return out


def score(
    pred_dicts: list[dict[str, Any]], gold: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return evaluate(records(gold or gold_dicts()), records(pred_dicts)).to_json()


# ---------------------------------------------------------------------------- scoring


def test_perfect_prediction_scores_one() -> None:
    result = score(gold_dicts())
    for key in ("quantity", "record", "event", "event_untyped"):
        assert result[key]["f1"] == 1.0, key
        assert result[key]["p"] == result[key]["r"] == 1.0
    assert result["quantity"]["tp"] == result["quantity"]["gold"] == 5
    assert result["event"]["gold"] == 2
    assert set(result["per_kind"]) == {"sessions", "participants", "award", "money", "count"}
    assert result["per_kind"]["money"] == {
        "p": 1.0,
        "r": 1.0,
        "f1": 1.0,
        "tp": 2,
        "gold": 2,
        "pred": 2,
    }
    assert result["per_kind"]["count"]["f1"] == 0.0  # nothing to count: 0, not an error
    attrs = result["attributes"]
    assert set(attrs) == {"qualifier", "unit", "level", "role", "date", "location", "event_type"}
    assert attrs["level"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert attrs["role"]["total"] == 2
    assert attrs["date"]["total"] == 2 and attrs["date"]["accuracy"] == 1.0
    assert result["per_document"][DOC]["quantity"]["f1"] == 1.0
    assert list_errors(records(gold_dicts()), records(gold_dicts())) == []
    json.dumps(result)  # serializable


def test_missed_quantity() -> None:
    pred = gold_dicts()
    del pred[0]["quantities"][1]
    result = score(pred)
    assert result["quantity"]["tp"] == 4
    assert result["quantity"]["p"] == 1.0
    assert result["quantity"]["r"] == pytest.approx(0.8)
    assert result["per_kind"]["participants"]["r"] == 0.0
    errors = list_errors(records(gold_dicts()), records(pred))
    assert [(e.category, e.text, e.value) for e in errors] == [("MISS", "1500余人次", 1500)]
    assert errors[0].gold_event == "院士专家进校园活动"
    assert errors[0].sentence == LINE2


def test_extra_quantity() -> None:
    pred = gold_dicts()
    pred[0]["quantities"].insert(0, q("count", "3月", 3, "月", LINE2))
    result = score(pred)
    assert result["quantity"]["tp"] == 5
    assert result["quantity"]["r"] == 1.0
    assert result["quantity"]["p"] == pytest.approx(5 / 6)
    assert result["per_kind"]["count"] == {
        "p": 0.0,
        "r": 0.0,
        "f1": 0.0,
        "tp": 0,
        "gold": 0,
        "pred": 1,
    }
    errors = list_errors(records(gold_dicts()), records(pred))
    assert [(e.category, e.kind, e.text) for e in errors] == [("EXTRA", "count", "3月")]


def test_wrong_value_is_not_paired() -> None:
    pred = gold_dicts()
    pred[0]["quantities"][0]["value"] = 100
    result = score(pred)
    assert result["quantity"]["tp"] == 4
    assert result["per_kind"]["sessions"]["tp"] == 0
    cats = sorted(e.category for e in list_errors(records(gold_dicts()), records(pred)))
    assert cats == ["EXTRA", "MISS"]


def test_wrong_kind_is_not_paired() -> None:
    pred = gold_dicts()
    pred[0]["quantities"][1]["kind"] = "count"
    result = score(pred)
    assert result["quantity"]["tp"] == 4
    assert result["per_kind"]["participants"] == {
        "p": 0.0,
        "r": 0.0,
        "f1": 0.0,
        "tp": 0,
        "gold": 1,
        "pred": 0,
    }
    assert result["per_kind"]["count"]["pred"] == 1


def test_values_equal() -> None:
    assert values_equal(0, 0)
    assert values_equal(54700, 54700.00000000001)
    assert not values_equal(54700, 54701)
    assert not values_equal(0, 1e-12)


def test_overlapping_spans_pair() -> None:
    pred = gold_dicts()
    pred[0]["quantities"][0].update(m("10余", LINE2))  # without the unit
    pred[0]["quantities"][1].update(m("学生1500余人", LINE2))  # wider on the left
    result = score(pred)
    assert result["quantity"]["f1"] == 1.0
    assert result["record"]["f1"] == 1.0


def test_adjacent_spans_do_not_pair() -> None:
    pred = gold_dicts()
    pred[0]["quantities"][0].update(m("，参与", LINE2))  # touches "10余场" but no overlap
    assert score(pred)["quantity"]["tp"] == 4


def test_wrong_event_gives_quantity_tp_but_record_error() -> None:
    pred = gold_dicts()
    pred[1]["event"] = {**m("争取补助资金"), "type": "project"}
    result = score(pred)
    assert result["quantity"]["f1"] == 1.0
    assert result["record"]["tp"] == 3
    assert result["record"]["gold"] == result["record"]["pred"] == 5
    assert result["record"]["f1"] == pytest.approx(0.6)
    assert result["per_document"][DOC]["record"]["tp"] == 3
    assert result["event_untyped"]["tp"] == 1
    errors = list_errors(records(gold_dicts()), records(pred))
    assert [(e.category, e.text) for e in errors] == [("ATTACH", "1名"), ("ATTACH", "5万元")]
    assert errors[0].gold_event == "科普知识竞赛"
    assert errors[0].pred_event == "争取补助资金"


def test_both_null_events_agree_and_null_vs_event_does_not() -> None:
    assert score(gold_dicts())["record"]["tp"] == 5  # record 3 has event null on both sides
    pred = gold_dicts()
    pred[2]["event"] = {**m("支出决算"), "type": "project"}
    result = score(pred)
    assert result["record"]["tp"] == 4
    assert result["event"]["pred"] == 3
    assert result["event"]["p"] == pytest.approx(2 / 3)
    errors = list_errors(records(gold_dicts()), records(pred))
    assert [(e.category, e.gold_event, e.pred_event) for e in errors] == [
        ("ATTACH", None, "支出决算")
    ]


def test_event_typed_vs_untyped() -> None:
    pred = gold_dicts()
    pred[0]["event"]["type"] = "training"
    pred[0]["event"].update(m("进校园活动"))  # overlapping, not identical
    result = score(pred)
    assert result["event"]["tp"] == 1
    assert result["event"]["f1"] == pytest.approx(0.5)
    assert result["event_untyped"]["tp"] == 2
    assert result["event_untyped"]["f1"] == 1.0
    assert result["attributes"]["event_type"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert result["record"]["f1"] == 1.0  # attachment ignores the type


def test_events_are_deduplicated_by_span() -> None:
    gold = gold_dicts()
    gold[2]["event"] = copy.deepcopy(gold[1]["event"])  # two records share one event
    gold[2]["event"]["type"] = "project"  # ignored: the first occurrence's type is kept
    pred = copy.deepcopy(gold)
    result = score(pred, gold)
    assert result["event"]["gold"] == result["event"]["pred"] == 2
    assert result["event"]["f1"] == 1.0


def test_attribute_accuracies() -> None:
    pred = gold_dicts()
    pred[0]["quantities"][0]["qualifier"] = "exact"
    pred[0]["quantities"][1]["unit"] = "人"
    pred[1]["quantities"][0]["level"] = None
    pred[1]["quantities"][1]["role"] = "budget"
    pred[0]["date"] = None
    pred[0]["location"] = m("院士专家")  # present on both sides but no overlap
    result = score(pred)
    attrs = result["attributes"]
    assert attrs["qualifier"] == {"correct": 4, "total": 5, "accuracy": 0.8}
    assert attrs["unit"] == {"correct": 4, "total": 5, "accuracy": 0.8}
    assert attrs["level"] == {"correct": 0, "total": 1, "accuracy": 0.0}
    assert attrs["role"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert attrs["date"] == {"correct": 1, "total": 2, "accuracy": 0.5}  # null == null counts
    assert attrs["location"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert result["quantity"]["f1"] == 1.0
    errors = list_errors(records(gold_dicts()), records(pred))
    found = {(e.attribute, e.gold_value, e.pred_value) for e in errors}
    assert found == {
        ("qualifier", "over", "exact"),
        ("unit", "人次", "人"),
        ("level", "一等奖", None),
        ("role", "grant", "budget"),
    }
    assert all(e.category == "ATTR" for e in errors)


def test_accuracy_is_none_without_pairs() -> None:
    gold = [d for d in gold_dicts() if d["sentence"]["text"] == LINE4]
    result = score(gold, gold)
    assert result["attributes"]["level"] == {"correct": 0, "total": 0, "accuracy": None}
    assert result["event"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "gold": 0, "pred": 0}


def test_greedy_pairing_in_reading_order() -> None:
    # One predicted span overlapping two gold quantities of equal kind and value.
    raw_gold = [
        {
            "doc_id": DOC,
            "sentence": m(LINE2),
            "quantities": [
                {"kind": "count", "text": "10", "span": [0, 2], "value": 10},
                {"kind": "count", "text": "10", "span": [3, 5], "value": 10},
            ],
        }
    ]
    raw_pred = copy.deepcopy(raw_gold)
    raw_pred[0]["quantities"] = [{"kind": "count", "text": "x", "span": [1, 4], "value": 10}]
    result = score(raw_pred, raw_gold)
    assert result["quantity"]["tp"] == 1
    errors = list_errors(records(raw_gold), records(raw_pred))
    assert [(e.category, e.start) for e in errors] == [("MISS", 3)]


def test_missing_and_unknown_documents() -> None:
    gold = records(gold_dicts())
    other = copy.deepcopy(gold_dicts())
    for d in other:
        d["doc_id"] = "other"
    gold.update(records([d for d in other if d["sentence"]["text"] == LINE4]))
    pred = records(gold_dicts())
    pred.update(records([{**gold_dicts()[0], "doc_id": "not-in-gold"}]))
    result = evaluate(gold, pred)
    assert result.quantity.gold == 6 and result.quantity.pred == 5 and result.quantity.tp == 5
    assert result.per_document["other"]["quantity"].r == 0.0
    assert "not-in-gold" not in result.per_document
    assert result.ignored_documents == ["not-in-gold"]


# ---------------------------------------------------------------------------- reports


def test_reports_render() -> None:
    pred = gold_dicts()
    del pred[0]["quantities"][1]
    pred[1]["quantities"][1]["role"] = "budget"
    pred[1]["event"] = {**m("争取补助资金"), "type": "project"}
    gold_r, pred_r = records(gold_dicts()), records(pred)
    result = evaluate(gold_r, pred_r)
    report = format_report(result)
    for word in ("quantity", "event_untyped", "participants", "qualifier", DOC):
        assert word in report
    table = format_markdown_table(result)
    assert table.startswith("| metric |")
    assert "| quantity: money |" in table
    text = format_errors(list_errors(gold_r, pred_r))
    assert text.startswith(f"== {DOC} ==")
    assert "MISS   [participants] 1500余人次 (1500) @" in text
    assert "event=院士专家进校园活动 | sentence: " + LINE2 in text
    assert "role: gold='grant' pred='budget'" in text
    assert "ATTACH" in text
    assert format_errors([]) == ""


# --------------------------------------------------------------------------- loading


def write_jsonl(path: Path, dicts: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts), "utf-8")


def test_load_round_trip(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_jsonl(gold_dir / f"{DOC}.jsonl", gold_dicts())
    (gold_dir / "empty-doc.jsonl").write_text("\n\n", "utf-8")
    gold = load_gold_dir(gold_dir)
    assert sorted(gold) == [DOC, "empty-doc"]
    assert gold["empty-doc"] == []
    assert len(gold[DOC]) == 3
    pred_file = tmp_path / "pred.jsonl"
    write_jsonl(pred_file, gold_dicts())
    assert evaluate(gold, load_predictions(pred_file)).quantity.f1 == 1.0
    assert load_predictions(gold_dir)[DOC] == gold[DOC]
    assert len(load_jsonl(pred_file)) == 3


def test_load_jsonl_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = [json.dumps(gold_dicts()[0], ensure_ascii=False), "", "{not json"]
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(GoldError, match=r"bad\.jsonl:3: invalid JSON"):
        load_jsonl(bad)
    bad.write_bytes(b"\xff\xfe{}\n")
    with pytest.raises(GoldError, match=r"bad\.jsonl:1: invalid UTF-8"):
        load_jsonl(bad)
    broken = gold_dicts()[:2]
    broken[1]["quantities"][0]["kind"] = "people"
    write_jsonl(bad, broken)
    with pytest.raises(GoldError, match=r"bad\.jsonl:2: schema error: .*kind"):
        load_jsonl(bad)


def test_load_gold_dir_errors(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "wrong-name.jsonl", gold_dicts())
    with pytest.raises(GoldError, match=r"wrong-name\.jsonl:1: doc_id"):
        load_gold_dir(tmp_path)
    (tmp_path / "wrong-name.jsonl").unlink()
    (tmp_path / f"{DOC}.jsonl").write_text('{"doc_id": "x"\n', "utf-8")
    with pytest.raises(GoldError, match=rf"{DOC}\.jsonl:1: "):
        load_gold_dir(tmp_path)


def test_read_raw_and_find_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + "第一行\r\n".encode())
    (tmp_path / "b.md").write_bytes("科普活动3场\r\n".encode("gb18030"))
    assert read_raw(tmp_path / "a.txt") == "第一行\r\n"
    assert read_raw(tmp_path / "b.md") == "科普活动3场\r\n"
    assert find_document(tmp_path, "b") == tmp_path / "b.md"
    assert find_document(tmp_path, "c") is None


# ------------------------------------------------------------------------ validation


@pytest.fixture()
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    gold_dir, docs_dir = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs_dir.mkdir()
    # With a BOM and CRLF line ends: spans index the decoded text without the BOM.
    (docs_dir / f"{DOC}.txt").write_bytes(b"\xef\xbb\xbf" + RAW.encode("utf-8"))
    return gold_dir, docs_dir


def check(dirs: tuple[Path, Path], dicts: list[dict[str, Any]]) -> list[str]:
    gold_dir, docs_dir = dirs
    write_jsonl(gold_dir / f"{DOC}.jsonl", dicts)
    return validate_gold(gold_dir, docs_dir)


def test_validate_valid_gold(dirs: tuple[Path, Path]) -> None:
    assert check(dirs, gold_dicts()) == []


def test_validate_bad_json_line(dirs: tuple[Path, Path]) -> None:
    gold_dir, docs_dir = dirs
    lines = [json.dumps(d, ensure_ascii=False) for d in gold_dicts()]
    lines.insert(1, '{"doc_id": ')
    (gold_dir / f"{DOC}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    problems = validate_gold(gold_dir, docs_dir)
    assert len(problems) == 1
    assert f"{DOC}.jsonl:2: invalid JSON" in problems[0]


def test_validate_span_text_mismatch(dirs: tuple[Path, Path]) -> None:
    gold = gold_dicts()
    gold[1]["quantities"][1]["text"] = "5万"
    gold[0]["event"]["span"][0] += 1
    problems = check(dirs, gold)
    assert len(problems) == 2
    assert f"{DOC}.jsonl:1: event text '院士专家进校园活动' does not match" in problems[0]
    assert f"{DOC}.jsonl:2: quantities[1] text '5万' does not match" in problems[1]


def test_validate_span_outside_document(dirs: tuple[Path, Path]) -> None:
    gold = gold_dicts()
    gold[2]["sentence"]["span"] = [len(RAW) - 2, len(RAW) + 5]
    problems = check(dirs, gold)
    assert any(":3: sentence span" in p and "outside the document" in p for p in problems)


def test_validate_quantity_outside_sentence(dirs: tuple[Path, Path]) -> None:
    gold = gold_dicts()
    moved = gold[1]["quantities"].pop(1)
    gold[2]["quantities"].append(moved)
    problems = check(dirs, gold)
    assert len(problems) == 1
    assert f"{DOC}.jsonl:3: quantities[1] '5万元'" in problems[0]
    assert "outside its sentence span" in problems[0]


def test_validate_overlapping_duplicates(dirs: tuple[Path, Path]) -> None:
    gold = gold_dicts()
    gold.append({**copy.deepcopy(gold[0]), "quantities": [q("sessions", "余场", 10, "场", LINE2)]})
    problems = check(dirs, gold)
    assert len(problems) == 1
    assert f"{DOC}.jsonl:4: overlapping duplicate quantities" in problems[0]


def test_validate_unknown_kind(dirs: tuple[Path, Path]) -> None:
    gold = gold_dicts()
    gold[0]["quantities"][0]["kind"] = "people"
    problems = check(dirs, gold)
    assert len(problems) == 1
    assert f"{DOC}.jsonl:1: schema error" in problems[0]
    assert "'people'" in problems[0]


def test_validate_role_and_level(dirs: tuple[Path, Path]) -> None:
    gold = gold_dicts()
    del gold[1]["quantities"][0]["level"]
    gold[2]["quantities"][0]["role"] = None
    problems = check(dirs, gold)
    assert len(problems) == 2
    assert f"{DOC}.jsonl:2: quantities[0] is an award and needs a 'level' key" in problems[0]
    assert f"{DOC}.jsonl:3: quantities[0] is money and needs a 'role'" in problems[1]
    gold[1]["quantities"][0]["level"] = None  # null is allowed
    assert len(check(dirs, gold)) == 1


def test_validate_doc_id_and_missing_document(dirs: tuple[Path, Path]) -> None:
    gold_dir, docs_dir = dirs
    gold = gold_dicts()
    gold[1]["doc_id"] = "someone-else"
    assert check(dirs, gold) == [
        f"{gold_dir / DOC}.jsonl:2: doc_id 'someone-else' differs from the file name '{DOC}'"
    ]
    write_jsonl(gold_dir / "no-such-doc.jsonl", [])
    problems = validate_gold(gold_dir, docs_dir)
    assert any("no-such-doc.jsonl:1: source document" in p for p in problems)
