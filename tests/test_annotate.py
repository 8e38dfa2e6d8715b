"""The extraction's path to the rules' matches (``annotate.rule_matches``, no spaCy
``Doc``) gives what the spaCy pipeline's components put on a ``Doc``, and the pipeline
itself still works as the public API."""

from __future__ import annotations

import pytest

from nlp_pipeline import annotate, events
from nlp_pipeline.ingest import read_document
from nlp_pipeline.quantities import find_quantities
from nlp_pipeline.segment import segment

from .conftest import DOCS, SHARED, needs_shared

SENTENCES = [
    "",
    " ",
    "围绕五类重点人群，全区科协组织举办各类科普培训、讲座、报告会等900场次，线上线下参与人数4万余人次。",
    "10月1日至7日在芦淞航空小镇开展航空航天系列科普活动，活动期间吸引游客日均流量超10000人次。",
    "工作实绩：第38届“青少年科创大赛”，获国赛二等奖1项，省赛一等奖2项，二等奖2项，三等奖5项。",
    "2.行政运行（项）。年初预算为120.5万元，支出决算为118.3万元，完成年初预算的98%。",
    "由区科协主办的“平安家庭”创建活动  共 3 场，参与群众 500 人\n",
    "举办讲座",
    "讲座3次",
    "COVID-19 检测 100%，《科普中国》读书会12期",
]


def _doc_path(text: str, year: int | None) -> dict[str, list]:
    doc = annotate.annotate(text, year, find_quantities(text))
    return {key: annotate.matches(doc, key) for key in annotate.KEYS}


def _fast_path(text: str, year: int | None) -> dict[str, list]:
    return annotate.rule_matches(text, year, find_quantities(text))


@pytest.mark.parametrize("text", SENTENCES)
def test_rule_matches_are_the_pipelines_matches(text: str) -> None:
    assert _fast_path(text, 2024) == _doc_path(text, 2024)


def test_rule_matches_on_every_sentence_of_the_bundled_reports() -> None:
    paths = sorted(DOCS.iterdir())
    if SHARED.is_dir():
        paths += sorted((SHARED / "corpus-extra").glob("*.txt"))[:4]
    checked = 0
    for path in paths:
        doc = read_document(path)
        for sentence in segment(doc):
            assert _fast_path(sentence.text, doc.year) == _doc_path(sentence.text, doc.year), (
                sentence.text
            )
            checked += 1
    assert checked > 500


def test_find_events_without_a_doc_is_find_events_of_the_doc() -> None:
    for path in sorted(DOCS.iterdir()):
        for sentence in segment(read_document(path)):
            text = sentence.text
            doc = annotate.make_doc(text)
            assert annotate.find_events(text) == events.find_events(doc), text
            assert annotate.tokens(text) == [(t.idx, t.text) for t in doc], text


def test_the_spacy_pipeline_still_annotates_a_doc() -> None:
    nlp = annotate.build_nlp()
    assert nlp.pipe_names == ["nlp_quantities", "nlp_events", "nlp_budget_lines", "nlp_context"]
    text = "2024年3月，区科协在芦淞航空小镇举办科普讲座10场，参与群众4万余人次。"
    doc = nlp(text)
    assert [s.text for s in doc.spans["quantities"]] == ["10场", "4万余人次"]
    assert [s._.match.text for s in doc.spans["events"]] == ["科普讲座"]
    assert [s._.chars for s in doc.spans["quantities"]] == [
        (q.start, q.end) for q in find_quantities(text)
    ]
    assert {key: annotate.matches(doc, key) for key in annotate.KEYS} == _fast_path(text, None)


@needs_shared
def test_rule_matches_on_the_state_council_reports() -> None:
    for path in sorted((SHARED / "corpus-extra").glob("*.txt"))[4:]:
        doc = read_document(path)
        for sentence in segment(doc):
            text = sentence.text
            assert _fast_path(text, doc.year) == _doc_path(text, doc.year), text
