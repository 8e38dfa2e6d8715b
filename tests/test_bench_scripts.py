"""Tests for the benchmark scripts' pure parts: benchmarks/jionlp_money.py's scoring and mapping."""

from __future__ import annotations

from typing import Any

import pytest

from nlp_pipeline.evaluate import evaluate
from nlp_pipeline.schema import ActivityRecord, Mention, Quantity

from .conftest import load_benchmark

jm = load_benchmark("jionlp_money")

RAW = "争取补助资金5万元，其中支出决算为 0 万元，2024年度预算数 414.89 万元。\n项目\t预算\t12万元\n"


def money(text: str, value: float, nth: int = 0) -> Any:
    start = -1
    for _ in range(nth + 1):
        start = RAW.index(text, start + 1)
    return jm.Money(start, start + len(text), text, value, doc="d")


def test_score_money_pairs_like_the_project_scorer() -> None:
    gold = [money("5万元", 50000), money("0 万元", 0), money("414.89 万元", 4148900)]
    pred = [
        money(" 414.89 万元", 4148900),  # wider span: still a match
        money("元，2024", 2024),  # overlaps the zero amount with a wrong value
        money("5万元", 50000),
        money("12万元", 120000),  # table cell
    ]
    score = jm.score_money(gold, pred)
    assert (score.tp, score.gold, score.pred, score.located, score.exact_span) == (2, 3, 4, 3, 1)
    assert score.p == pytest.approx(0.5)
    assert score.r == pytest.approx(2 / 3)
    assert score.value_accuracy == pytest.approx(2 / 3)
    assert [(g.text, p.text) for g, p in score.wrong_value] == [("0 万元", "元，2024")]
    assert score.missed == []
    assert [p.text for p in score.spurious] == ["12万元"]
    assert jm.in_table_row(RAW, score.spurious[0])
    assert not jm.in_table_row(RAW, gold[0])

    def record(items: list[Any]) -> ActivityRecord:
        quantities = [
            Quantity(m.text, m.start, m.end, kind="money", value=m.value, unit="元", role="other")
            for m in items
        ]
        return ActivityRecord("d", Mention(RAW, 0, len(RAW)), quantities)

    reference = evaluate({"d": [record(gold)]}, {"d": [record(pred)]}).per_kind["money"]
    assert (reference.tp, reference.gold, reference.pred) == (score.tp, score.gold, score.pred)


def test_same_value_elsewhere_is_no_match() -> None:
    gold = [money("5万元", 50000)]
    pred = [jm.Money(0, 2, "争取", 50000, doc="d"), jm.Money(6, 9, "5万元", 50000, doc="other")]
    score = jm.score_money(gold, pred)
    assert score.tp == 0
    assert [g.text for g in score.missed] == ["5万元"]
    assert len(score.spurious) == 2


def test_jionlp_mentions_map_offsets_and_take_the_lower_bound() -> None:
    def fake_extract(text: str) -> list[dict[str, Any]]:
        assert text == RAW[6:10]
        return [
            {"text": "5万元", "offset": [0, 3], "detail": {"num": ["50000.00", "60000.00"]}},
            {"text": "元，", "offset": [2, 4], "detail": {"num": "1.00"}},
        ]

    found = jm.jionlp_mentions(RAW, [(6, 10)], fake_extract, "d")
    assert [(m.start, m.end, m.value) for m in found] == [(6, 9, 50000.0), (8, 10, 1.0)]
    assert RAW[found[0].start : found[0].end] == "5万元"


def test_merge_regions() -> None:
    assert jm.merge_regions([(10, 20), (0, 5), (15, 30), (30, 40)]) == [(0, 5), (10, 30), (30, 40)]


def test_real_jionlp_values_in_yuan() -> None:
    pytest.importorskip("jionlp")
    extract = jm.load_extract_money()
    text = "全年预算数为414.89 万元。"
    (found,) = jm.jionlp_mentions(text, [(0, len(text))], extract)
    assert found.value == pytest.approx(4148900)
    assert text[found.start : found.end].strip() == "414.89 万元"


plant = load_benchmark("plant")


def test_plant_changes_the_leading_digit_and_swaps_comparison_words() -> None:
    assert plant.bump_digit("307.82") == "407.82"
    assert plant.bump_digit("9.55") == "1.55"
    assert plant.bump_digit("0.00") == "5.00"
    assert plant.figure_mutation("占 98.69%") == "占 18.69%"
    assert plant.word_mutation("决算数小于预算数") == "决算数大于预算数"
    assert plant.word_mutation("减少") == "增加"


def test_plant_skips_changes_the_rounding_could_hide() -> None:
    finding = {"evidence": [{"text": "8万元"}, {"text": "0.01万元"}, {"text": "19.84万元"}]}
    assert not plant.beyond_rounding(finding, "0.01万元", "0.02万元")
    assert plant.beyond_rounding(finding, "19.84万元", "29.84万元")


def test_planted_inconsistencies_are_found(tmp_path) -> None:
    text = "本年支出合计30.00万元，其中：基本支出10.00万元，项目支出20.00万元。\n"
    findings = plant.findings_of("demo-2024", text)
    assert [(f["check"], f["status"]) for f in findings] == [("sum", "ok")]
    planned = plant.mutations("demo-2024", text, findings)
    assert [m.new for m in planned] == ["40.00万元", "20.00万元", "30.00万元"]
    for m in planned:
        assert plant.run_mutation((m, text))[1] == ["sum"]
