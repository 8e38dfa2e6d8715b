"""Every example kept beside the rules in patterns/ runs here (Duckling-style corpora)."""

from __future__ import annotations

import pytest

from nlp_pipeline import (
    attach,
    budget,
    check,
    events,
    extract_text,
    numbers,
    patterns,
    quantities,
    rates,
    records,
    segment,
    tables,
)
from nlp_pipeline.annotate import make_doc
from nlp_pipeline.ingest import Document, document_from_text, normalize
from nlp_pipeline.schema import ActivityRecord, Mention, Quantity


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


def _records(text: str, roles: bool = False) -> list[dict]:
    """Each figure of ``text`` with its event (and its money role where ``roles``: given
    for money figures only)."""
    return [
        {"quantity": q.text, "event": r.event.text if r.event else None}
        | ({"role": q.role} if roles and q.kind == "money" else {})
        for r in extract_text(normalize(text).text, "example-2024")
        for q in r.quantities
    ]


@pytest.mark.parametrize("example", _examples("attach"), ids=lambda e: e["text"])
def test_attach_examples(example: dict) -> None:
    """An example that gives a role for a money figure gives it for every one of them."""
    roles = any("role" in r for r in example["records"])
    assert _records(example["text"], roles) == example["records"]


_STEPS = patterns.load("attach")["order"]


@pytest.mark.parametrize("step", _STEPS, ids=lambda s: s["rule"] + ": " + s["example"]["text"])
def test_attach_step_examples(step: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step's example attaches as written, and its ``by`` figure by that step."""
    chosen: dict[str, str | None] = {}

    def spy(text, q, *args):  # type: ignore[no-untyped-def]
        found, rule = attach.decide(text, q, *args)
        chosen[q.text] = rule
        return found

    monkeypatch.setattr(records, "attach", spy)
    example = step["example"]
    assert _records(example["text"]) == example["records"]
    assert chosen[example["by"]] == step["rule"]


def test_every_attach_rule_is_a_step() -> None:
    assert {s["rule"] for s in _STEPS} == set(attach.RULES)
    assert [s.name for s in attach.rules()] == [s["rule"] for s in _STEPS]


@pytest.mark.parametrize("example", _examples("budget"), ids=lambda e: e["text"])
def test_budget_line_examples(example: dict) -> None:
    text = normalize(example["text"]).text
    got = [{"text": m.text, "line": m.line} for m in budget.find_lines(text)]
    assert got == example["expect"]
    if "records" in example:
        got_records = [
            {
                "quantity": q.text,
                "event": r.event.text if r.event else None,
                "line": r.event.line if r.event else None,
                "role": q.role,
            }
            for r in extract_text(example["text"], "example-2024")
            for q in r.quantities
        ]
        assert got_records == example["records"]


@pytest.mark.parametrize("example", _examples("rates"), ids=lambda e: e["text"])
def test_rate_examples(example: dict) -> None:
    text = normalize(example["text"]).text
    figures = quantities.find_quantities(text)
    got = [
        {
            "kind": r.kind,
            "text": r.text,
            "value": round(r.value, 6),
            "figure": figures[r.figure].text,
        }
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


def _table_examples(group: str) -> list[dict]:
    return patterns.load("tables")["examples"][group]


@pytest.mark.parametrize("example", _table_examples("values"), ids=lambda e: e["cell"])
def test_table_value_examples(example: dict) -> None:
    got = tables.parse_value(example["cell"])
    if example["expect"] == "none":
        assert got is None
        return
    assert got is not None
    want = example["expect"]
    assert got.unit == want["unit"] and got.comparator == want["comparator"]
    assert got.value == (None if want["value"] is None else pytest.approx(want["value"]))


@pytest.mark.parametrize("example", _table_examples("rows"), ids=lambda e: e["row"])
def test_indicator_row_examples(example: dict) -> None:
    text = (example["header"] + "\n" if "header" in example else "") + example["row"] + "\n"
    doc = document_from_text(text, "example-2024")
    found = tables.indicator_records(doc.doc_id, doc.raw, tables.read_tables(doc))
    if example["expect"] == "none":
        assert found == []
        return
    assert len(found) == 1
    got = found[0].to_dict()
    assert doc.raw[slice(*got["name"]["span"])] == got["name"]["text"]
    for key, want in example["expect"].items():
        value = got[key]["text"].replace(" ", "") if isinstance(got[key], dict) else got[key]
        if key == "name":
            value = got["name"]["text"]
        assert value == want, key


@pytest.mark.parametrize("example", _table_examples("lines"), ids=lambda e: e["name"])
def test_table_line_examples(example: dict) -> None:
    assert tables.line_alias(example["name"]) == example["line"]


@pytest.mark.parametrize("example", _table_examples("titles"), ids=lambda e: e["caption"])
def test_table_title_examples(example: dict) -> None:
    assert tables.final_accounts_table(example["caption"]) == example["table"]


def records_with_roles(doc: Document, roles: list[str]) -> list[ActivityRecord]:
    """A record per sentence holding figures, found by the quantity rules; the money
    figures take ``roles`` in reading order (records built without event attachment)."""
    given = iter(roles)
    records = []
    for sentence in segment.segment(doc):
        found = []
        for m in quantities.find_quantities(sentence.text):
            start, end = sentence.raw_span(m.start, m.end)
            role = next(given) if m.kind == "money" else None
            found.append(
                Quantity(doc.raw[start:end], start, end, kind=m.kind, value=m.value,
                         unit=m.unit, qualifier=m.qualifier, role=role)
            )  # fmt: skip
        if found:
            start, end = sentence.raw_span()
            records.append(
                ActivityRecord(doc.doc_id, Mention(doc.raw[start:end], start, end), found)
            )
    assert next(given, None) is None, "more roles than money figures"
    return records


def _check_examples() -> list[tuple[str, dict]]:
    return [(kind, e) for kind, es in patterns.load("check")["examples"].items() for e in es]


@pytest.mark.parametrize(("kind", "example"), _check_examples(), ids=lambda e: str(e)[:40])
def test_check_examples(kind: str, example: dict) -> None:
    doc = document_from_text(example["text"] + "\n", "example-2024")
    records = records_with_roles(doc, example.get("roles", []))
    found = check.check_document(doc, records, tables.read_document_tables(doc)).findings
    got = sorted((f.check, f.status) for f in found)
    assert got == sorted((e["check"], e["status"]) for e in example["expect"]), [
        f.message for f in found
    ]
    for want in example["expect"]:
        for key in ("stated", "computed"):
            if key in want:
                close = [pytest.approx(want[key], abs=5e-5) == getattr(f, key) for f in found]
                pairs = zip(close, found, strict=True)
                assert any(c and f.check == want["check"] for c, f in pairs), key
    for f in found:
        for e in f.evidence:
            assert e.start is None or doc.raw[e.start : e.end] == e.text


def test_every_pattern_file_has_examples() -> None:
    for name in ("numbers", "quantities", "events", "segment", "tokenizer", "budget", "rates"):
        assert _examples(name), name
    assert all(_table_examples(group) for group in ("values", "rows", "lines", "titles"))
    kinds = {kind for kind, _ in _check_examples()}
    assert kinds == set(check.CHECKS)


def test_loading_the_attachment_steps_reads_no_error_location(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # patterns.where parses the file again (slow, pure-Python YAML): only errors may ask it
    def where(*args: object) -> str:
        raise AssertionError("where() called for a valid file")

    attach.rules.cache_clear()
    monkeypatch.setattr(patterns, "where", where)
    try:
        assert len(attach.rules()) == len(_STEPS)
    finally:
        attach.rules.cache_clear()
