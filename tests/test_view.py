"""The document view and the evaluation report: HTML content, escaping, gold colours."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from nlp_pipeline.cli import main
from nlp_pipeline.evaluate import evaluate, format_report
from nlp_pipeline.report import render_report
from nlp_pipeline.schema import ActivityRecord, DateMention, Event, Mention, Quantity
from nlp_pipeline.view import STATUSES, render_document, render_index, write_views

RAW = (
    "一、科普活动\r\n"
    "3月，举办院士专家进校园活动10余场，参与学生1500余人次。\r\n"
    "获一等奖1名，争取补助资金5万元。\r\n"
)
DOC = "demo"


def mention(text: str, cls: type = Mention, **extra) -> Mention:
    start = RAW.index(text)
    return cls(text, start, start + len(text), **extra)


def quantity(text: str, kind: str, value: float, unit: str, **extra) -> Quantity:
    return mention(text, Quantity, kind=kind, value=value, unit=unit, **extra)


LINE2 = "3月，举办院士专家进校园活动10余场，参与学生1500余人次。"
LINE3 = "获一等奖1名，争取补助资金5万元。"


def records(event_for_money: bool = True, role: str = "grant") -> list[ActivityRecord]:
    event = mention("院士专家进校园活动", Event, type="lecture")
    return [
        ActivityRecord(
            doc_id=DOC,
            sentence=mention(LINE2),
            event=event,
            date=mention("3月", DateMention, value="2024-03"),
            quantities=[
                quantity("10余场", "sessions", 10, "场", qualifier="over"),
                quantity("1500余人次", "participants", 1500, "人次", qualifier="over"),
            ],
            record_id=f"{DOC}:0000",
        ),
        ActivityRecord(
            doc_id=DOC,
            sentence=mention(LINE3),
            event=event if event_for_money else None,
            quantities=[
                quantity("1名", "award", 1, "名", level="一等奖"),
                quantity("5万元", "money", 50000, "元", role=role),
            ],
            record_id=f"{DOC}:0001",
        ),
    ]


def text_html(page: str) -> str:
    """The HTML of the page's document text, the ``<pre id="text">`` element."""
    body = re.search(r'<pre id="text">(.*?)</pre>', page, re.S)
    assert body is not None
    return body.group(1)


def shown_text(page: str) -> str:
    """The document text as the page shows it."""
    return html.unescape(re.sub(r"<[^>]+>", "", text_html(page)))


def page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def spans_with(page: str, cls: str) -> list[str]:
    """Texts of the highlighted pieces of the document whose class list holds ``cls``."""
    pattern = r'<span class="([^"]*)"[^>]*>([^<]*)</span>'
    found = re.findall(pattern, text_html(page))
    return [html.unescape(t) for c, t in found if cls in c.split()]


def test_page_shows_the_raw_text_exactly_with_quantities_by_kind() -> None:
    page = render_document(RAW, DOC, records())
    assert shown_text(page) == RAW
    assert spans_with(page, "k-sessions") == ["10余场"]
    assert spans_with(page, "k-participants") == ["1500余人次"]
    assert spans_with(page, "k-award") == ["1名"]
    assert spans_with(page, "k-money") == ["5万元"]
    assert spans_with(page, "ev") == ["院士专家进校园活动"]
    assert spans_with(page, "men-date") == ["3月"]
    for kind in ("sessions", "participants", "award", "money", "count"):
        assert f"q k-{kind}" in page  # legend


def test_page_data_links_events_and_quantities_with_their_records() -> None:
    page = render_document(RAW, DOC, records())
    data = page_data(page)
    assert sorted(data["items"]) == ["q0", "q1", "q2", "q3"]
    assert data["events"]["e0"]["items"] == ["q0", "q1", "q2", "q3"]
    money = data["items"]["q3"]
    assert money["quantity"]["role"] == "grant" and money["event"] == "e0"
    assert money["record"]["sentence"]["text"] == LINE3
    assert data["items"]["q0"]["record"]["date"]["value"] == "2024-03"
    # the first piece of each quantity is its anchor, for page.html#q3
    assert re.search(r'id="q3"[^>]*>5万元<', page)
    assert 'data-e="e0"' in page


def test_page_is_self_contained() -> None:
    page = render_document(RAW, DOC, records())
    assert "<link" not in page and " src=" not in page
    assert "http:" not in page and "https:" not in page
    assert "<style>" in page and page.count("<script>") == 2


def test_everything_is_html_escaped() -> None:
    raw = 'a <script>alert("x")</script> & b 举办讲座3场。'
    start = raw.index("3场")
    q = Quantity("3场", start, start + 2, kind="sessions", value=3, unit="场")
    sentence = Mention(raw, 0, len(raw))
    record = ActivityRecord(doc_id="<doc>", sentence=sentence, quantities=[q])
    page = render_document(raw, '<doc id="1">', [record], source="<src>")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; b" in page
    assert "&lt;doc id=&quot;1&quot;&gt;" in page and "&lt;src&gt;" in page
    assert "</script>alert" not in page
    data = page_data(page)
    assert data["items"]["q0"]["record"]["sentence"]["text"] == raw
    assert shown_text(page) == raw


def test_gold_marks_misses_extras_wrong_events_and_attributes() -> None:
    gold = records(event_for_money=False)
    pred = records(role="spent")
    # a missed gold quantity, an extra predicted one
    gold[0].quantities = gold[0].quantities[:1] + [
        quantity("3月", "count", 3, "月"),
        gold[0].quantities[1],
    ]
    del pred[0].quantities[0]
    pred[0].quantities.insert(0, quantity("10余场", "sessions", 11, "场"))
    page = render_document(RAW, DOC, pred, gold)
    assert sorted(spans_with(page, "st-miss")) == ["10余场", "3月"]
    assert spans_with(page, "st-extra") == ["10余场"]
    assert spans_with(page, "st-attach") == ["1名", "5万元"]
    assert spans_with(page, "st-ok") == ["1500余人次"]
    data = page_data(page)
    money = next(it for it in data["items"].values() if it["quantity"]["text"] == "5万元")
    assert money["status"] == "attach"
    assert any("role: gold 'grant', predicted 'spent'" in n for n in money["notes"])
    assert any("wrong event" in n for n in money["notes"])
    misses = [it for it in data["items"].values() if it["status"] == "miss"]
    assert {it["source"] for it in misses} == {"gold"}
    # each outcome has its own colour, defined in the page and shown in the legend
    colours = {style.split()[-1] for style, _ in STATUSES.values()}
    assert len(colours) == len(STATUSES)
    for name, (style, label) in STATUSES.items():
        assert f".st-{name} {{ outline: {style};" in page
        assert label in page


def test_attribute_only_mismatch_is_marked_attr() -> None:
    page = render_document(RAW, DOC, records(role="spent"), records())
    assert spans_with(page, "st-attr") == ["5万元"]
    assert spans_with(page, "st-attach") == []
    assert len(spans_with(page, "st-ok")) == 3


def test_write_views_pages_index_and_failures(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.txt").write_text(RAW, encoding="utf-8")
    (docs / "b&b.txt").write_text(RAW, encoding="utf-8")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "view"
    summaries, failures = write_views([docs], out)
    assert [s.page for s in summaries] == ["b&b.html", "index-2.html"]
    assert failures == [f"{docs / 'empty.txt'}: empty file"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="b%26b.html"' in index and 'href="index-2.html"' in index
    assert "empty file" in index
    assert summaries[0].quantities > 0
    assert f"<td>{summaries[0].quantities}</td>" in index
    page = (out / "index-2.html").read_bytes().decode("utf-8")
    assert shown_text(page) == RAW
    assert 'href="index.html"' in page


def test_pages_of_an_earlier_run_are_not_inputs(tmp_path: Path) -> None:
    (tmp_path / f"{DOC}.txt").write_text(RAW, encoding="utf-8")
    for _ in range(2):
        summaries, failures = write_views([tmp_path], tmp_path / "view")
        assert [s.page for s in summaries] == [f"{DOC}.html"] and failures == []
    assert sorted(p.name for p in (tmp_path / "view").iterdir()) == [f"{DOC}.html", "index.html"]


def test_render_index_with_gold_columns() -> None:
    from nlp_pipeline.view import DocumentSummary

    kinds = {"sessions": 1, "participants": 0, "award": 0, "money": 2, "count": 0}
    rows = [
        DocumentSummary("a", "a.html", "a.txt", 10, 2, kinds, 1, dict.fromkeys(STATUSES, 1), 0.5),
        DocumentSummary("b", "b.html", "b.txt", 10, 0, dict.fromkeys(kinds, 0), 0),
    ]
    index = render_index(rows)
    assert "<th>miss</th>" in index and "<td>0.500</td>" in index
    assert "no gold" in index


def test_cli_view_with_gold(tmp_path: Path) -> None:
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    (docs / f"{DOC}.txt").write_text(RAW, encoding="utf-8")
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) for r in records()]
    (gold / f"{DOC}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "view"
    assert main(["view", str(docs), "-o", str(out), "--gold", str(gold)]) == 0
    page = (out / f"{DOC}.html").read_text(encoding="utf-8")
    assert spans_with(page, "st-ok")
    assert "quantity F1" in (out / "index.html").read_text(encoding="utf-8")
    assert main(["view", str(tmp_path / "missing.txt"), "-o", str(out)]) == 1
    assert main(["view", str(docs), "-o", str(out), "--gold", str(tmp_path / "nope")]) == 1


# ------------------------------------------------------------------------- report


def eval_result():
    gold = {DOC: records(), "<b>other": records()}
    pred = {DOC: records(role="spent"), "<b>other": records()[:1], "stray": records()}
    return evaluate(gold, pred)


def test_report_has_charts_from_the_same_figures() -> None:
    result = eval_result()
    page = render_report(result)
    # P, R and F1 bars for the four headline metrics and the five kinds
    assert page.count('<rect class="bar"') == 3 * (4 + 5) + sum(
        1 for a in result.attributes.values() if a.accuracy is not None
    )
    for kind, s in result.per_kind.items():
        assert f"{kind} F1 = {s.f1:.3f}" in page
    role = result.attributes["role"]
    assert f"{role.accuracy:.3f} ({role.correct}/{role.total})" in page
    q = result.per_document[DOC]["quantity"]
    assert f"<td>{DOC}</td><td>{q.p:.3f}</td><td>{q.r:.3f}</td>" in page
    assert html.escape(format_report(result), quote=True) in page
    assert "Ignored (no gold): stray" in page


def test_report_of_nothing_to_score() -> None:
    page = render_report(evaluate({DOC: []}, {}))
    assert page.count("nothing to check") == len(evaluate({DOC: []}, {}).attributes)
    assert page.count('<rect class="bar"') == 3 * (4 + 5)  # zero-height bars


def test_report_is_escaped_and_self_contained() -> None:
    page = render_report(eval_result())
    assert "<b>other" not in page and "&lt;b&gt;other" in page
    assert "<script" not in page and "http" not in page and "<link" not in page


def test_cli_evaluate_html(tmp_path: Path) -> None:
    gold, docs = tmp_path / "gold", tmp_path / "gold" / "docs"
    docs.mkdir(parents=True)
    (docs / f"{DOC}.txt").write_text(RAW, encoding="utf-8")
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) for r in records()]
    (gold / f"{DOC}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = tmp_path / "out" / "report.html"
    assert main(["evaluate", "--gold", str(gold), "--pred", str(pred), "--html", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "Quantities by kind" in page and "<svg" in page
    assert "1.000" in page


def test_findings_are_marked_with_their_figures_and_messages() -> None:
    from nlp_pipeline.check import Evidence, Finding

    money = RAW.index("5万元")
    sessions = RAW.index("10余场")
    figure = Evidence("10余场", sessions, sessions + 4)
    ok = Finding(DOC, "sum", "ok", 1, 1, "parts add up", (figure,))
    bad = Finding(
        DOC, "table", "mismatch", 50000, 60000, "5万元 in the text, 6 in table 1",
        (Evidence("5万元", money, money + 3), Evidence("6", None, None, "table 1")),
    )  # fmt: skip
    page = render_document(RAW, DOC, records(), findings=[ok, bad])
    assert shown_text(page) == RAW  # the message is shown by CSS, not added to the text
    assert spans_with(page, "fd-mismatch") == ["5万元"]
    assert spans_with(page, "fd-ok") == ["10余场"]
    message = "table mismatch: 5万元 in the text, 6 in table 1"
    assert re.search(f'data-f="f1" data-msg="{message}"', page)
    data = page_data(page)
    assert data["findings"]["f1"]["spans"] == [[money, money + 3]]
    assert data["findings"]["f1"]["evidence"][1]["table"] == "table 1"
    findings_list = page[page.index('<div id="findings">') : page.index("<h2>Quantities</h2>")]
    assert findings_list.index("mismatch") < findings_list.index(">ok<")  # mismatches first
    assert "2 findings, 1 mismatches" in page


def test_index_counts_mismatches_per_document(tmp_path: Path) -> None:
    from .conftest import DOCS

    summaries, failures = write_views([DOCS / "dongxihu-2024-selfeval.txt"], tmp_path)
    assert not failures and summaries[0].mismatches == 1  # 432.63 + 21.4 ≠ 456.73
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<th>mismatches</th>" in index and "1 mismatches" in index
    page = (tmp_path / "dongxihu-2024-selfeval.html").read_text(encoding="utf-8")
    assert "fd-mismatch" in page and "change_amount mismatch" in page
