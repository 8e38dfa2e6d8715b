"""Every example kept beside the rules in patterns/ runs here (Duckling-style corpora)."""

from __future__ import annotations

import pytest

from nlp_pipeline import (
    budget,
    events,
    extract_text,
    numbers,
    patterns,
    quantities,
    rates,
    segment,
)
from nlp_pipeline.annotate import make_doc
from nlp_pipeline.ingest import normalize


def _examples(name: str) -> list[dict]:
    return patterns.load(name).get("examples", [])


@pytest.mark.parametrize("example", _examples("numbers"), ids=lambda e: e["text"])
def test_number_examples(example: dict) -> None:
    assert numbers.parse_number(example["text"]) == pytest.approx(example["value"])


@pytest.mark.parametrize("example", _examples("quantities"), ids=lambda e: e["text"])
def test_quantity_examples(example: dict) -> None:
    got = quantities.find_quantities(normalize(example["text"]).text)
    expect = example["expect"] or []
    assert len(got) == len(expect), [q.text for q in got]
    for q, want in zip(got, expect, strict=True):
        for key, value in want.items():
            actual = getattr(q, key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert actual == pytest.approx(value), key
            elif key == "text":
                assert actual.replace(" ", "") == value.replace(" ", "")
            else:
                assert actual == value, key


@pytest.mark.parametrize("example", _examples("events"), ids=lambda e: e["text"])
def test_event_examples(example: dict) -> None:
    text = normalize(example["text"]).text
    if "events" in example:
        got = [{"text": e.text, "type": e.type} for e in events.find_events(make_doc(text))]
        assert got == example["events"]
    if "dates" in example:
        got_dates = [{"text": d.text, "value": d.value} for d in events.find_dates(text, 2024)]
        assert got_dates == [
            {"text": d["text"], "value": str(d["value"])} for d in example["dates"]
        ]
    if "locations" in example:
        assert [loc.text for loc in events.find_locations(text)] == example["locations"]
    if "organizers" in example:
        assert [o.text for o in events.find_organizers(text)] == example["organizers"]
    if "records" in example:  # which event each figure is attached to, in whole records
        got_records = [
            {"quantity": q.text, "event": r.event.text if r.event else None}
            for r in extract_text(text, "example-2024")
            for q in r.quantities
        ]
        assert got_records == example["records"]


@pytest.mark.parametrize("example", _examples("budget"), ids=lambda e: e["text"])
def test_budget_line_examples(example: dict) -> None:
    text = normalize(example["text"]).text
    got = [{"text": m.text, "line": m.line} for m in budget.find_lines(text)]
    assert got == example["expect"]
    if "records" in example:
        got_records = [
            {"quantity": q.text, "event": r.event.text if r.event else None,
             "line": r.event.line if r.event else None, "role": q.role}
            for r in extract_text(example["text"], "example-2024")
            for q in r.quantities
        ]
        assert got_records == example["records"]


@pytest.mark.parametrize("example", _examples("rates"), ids=lambda e: e["text"])
def test_rate_examples(example: dict) -> None:
    text = normalize(example["text"]).text
    figures = quantities.find_quantities(text)
    got = [
        {"kind": r.kind, "text": r.text, "value": round(r.value, 6),
         "figure": figures[r.figure].text}
        for r in rates.find_rates(text, figures)
    ]
    want = [
        {**e, "text": e["text"].replace(" ", ""), "value": round(e["value"], 6)}
        for e in example["expect"]
    ]
    assert got == want


@pytest.mark.parametrize(
    "example", _examples("segment"), ids=lambda e: e.get("line", e.get("cell", ""))
)
def test_segment_examples(example: dict) -> None:
    if "cell" in example:
        got = "prose" if segment.is_prose_cell(example["cell"]) else "table"
    else:
        got = segment.classify_line(normalize(example["line"]).text, example["line"])[0]
    assert got == example["expect"]


@pytest.mark.parametrize("example", _examples("tokenizer"), ids=lambda e: e["text"])
def test_userdict_examples(example: dict) -> None:
    tokens = [t.text for t in make_doc(example["text"])]
    for word in example["tokens_include"]:
        assert word in tokens


def test_every_pattern_file_has_examples() -> None:
    for name in ("numbers", "quantities", "events", "segment", "tokenizer", "budget", "rates"):
        assert _examples(name), name
