"""The indicator gold: valid, reproducible from its sheets, and scored above its floors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from nlp_pipeline.cli import main
from nlp_pipeline.evaluate_indicators import (
    evaluate_indicators,
    load_indicator_gold,
    predict_indicators,
)

from .conftest import ROOT

GOLD = ROOT / "gold-indicators"


def test_gold_spans_hold_and_the_sheets_give_the_gold_files() -> None:
    gold, _ = load_indicator_gold(GOLD)  # raises on a span that does not hold
    assert sum(len(v) for v in gold.values()) == 103
    spec = importlib.util.spec_from_file_location(
        "sheets", GOLD / "annotation" / "sheet_to_jsonl.py"
    )
    assert spec is not None and spec.loader is not None
    sheets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sheets)
    for sheet in sorted((GOLD / "annotation").glob("*.yaml")):
        lines = (GOLD / f"{sheet.stem}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        assert sheets.convert(sheet) == rows


def test_indicator_scores_stay_above_their_floors() -> None:
    gold, docs = load_indicator_gold(GOLD)
    scores = evaluate_indicators(gold, predict_indicators(docs))
    assert scores.name.f1 >= 0.95
    for name in ("target", "actual", "comparator", "score", "met"):
        assert scores.attributes[name].accuracy >= 0.95, name


def test_cli_evaluate_indicators_json(tmp_path: Path, capsys) -> None:
    assert main(["evaluate-indicators", "--gold", str(GOLD), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"name", "attributes", "per_document"}
    assert set(result["attributes"]) == {"target", "actual", "comparator", "score", "met"}
    pred = tmp_path / "pred.jsonl"
    pred.write_text("", encoding="utf-8")
    assert main(["evaluate-indicators", "--gold", str(GOLD), "--pred", str(pred), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"]["tp"] == 0
