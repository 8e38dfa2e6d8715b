"""tokenize.make_doc gives the Doc spaCy's jieba tokenizer gives: same words, spaces, offsets."""

from __future__ import annotations

import random

import pytest

from nlp_pipeline import tokenize
from nlp_pipeline.annotate import build_nlp
from nlp_pipeline.ingest import read_document
from nlp_pipeline.segment import segment

from .conftest import DOCS, SHARED

EDGE_CASES = [
    "",
    " ",
    "  举办 讲座  10 场\n",
    "\r\n举办\r\n讲座\t\t",
    "“科普中国”云课堂、科普e站 3个，COVID-19 检测 100%",
    "ａｂｃ１２３ 　全角\u3000空格\xa0不换行",
    "举办科普讲座900场次，培训班3期，参加人数达4万余人次。",
    "2024年1-6月，C++与Python#培训&交流._活动",
]


def _spacy_tokens(text: str) -> list[tuple[int, str, str]]:
    return [(t.idx, t.text, t.whitespace_) for t in build_nlp().make_doc(text)]


def _assert_same(text: str) -> None:
    nlp = build_nlp()
    doc = tokenize.make_doc(nlp.vocab, text)
    expected = _spacy_tokens(text)
    assert [(t.idx, t.text, t.whitespace_) for t in doc] == expected, text
    assert doc.user_data["tokens"] == [(i, t) for i, t, _ in expected], text


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_spacy(text: str) -> None:
    _assert_same(text)


def test_every_sentence_and_line_of_the_bundled_reports_matches_spacy() -> None:
    paths = sorted(DOCS.iterdir()) + sorted((SHARED / "corpus-extra").glob("*.txt"))[:3]
    for path in paths:
        doc = read_document(path)
        for sentence in segment(doc):
            _assert_same(sentence.text)
        for line in doc.raw.splitlines():
            _assert_same(line)


def test_random_texts_match_spacy() -> None:
    rnd = random.Random(5)
    alphabet = list("  \t\n\r\u3000\xa0aB1.%-+#&_，。、（）“”的了是在年月日万元")
    alphabet += ["举办", "活动", "项目", "培训", "会议"]
    for _ in range(3000):
        _assert_same("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))))


def test_cut_is_jiebas_cut() -> None:
    build_nlp()  # the user dictionary loaded
    for path in sorted(DOCS.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert tokenize.cut(text) == [w for w in tokenize.jieba.cut(text) if w]


def _assert_tokens_before(text: str) -> None:
    every = tokenize.tokens(text)
    for end in range(len(text) + 2):
        before = tokenize.tokens_before(text, end)
        assert before == every[: len(before)], (text, end)  # a prefix of the tokens
        assert [t for t in every if t[0] < end] == [t for t in before if t[0] < end], (text, end)


def test_tokens_are_the_docs_tokens() -> None:
    nlp = build_nlp()
    for text in EDGE_CASES:
        assert tokenize.tokens(text) == tokenize.make_doc(nlp.vocab, text).user_data["tokens"]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_tokens_before_is_a_prefix_holding_every_token_before_the_end(text: str) -> None:
    build_nlp()
    _assert_tokens_before(text)


def test_tokens_before_on_random_texts_and_the_bundled_reports() -> None:
    build_nlp()
    rnd = random.Random(7)
    alphabet = list("  \t\n\r\u3000\xa0aB1.%-+#&_，。、（）“”的了是在年月日万元")
    alphabet += ["举办", "活动", "项目", "培训", "会议", "科普讲座", "参与人数"]
    for _ in range(1500):
        _assert_tokens_before("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))))
    for path in sorted(DOCS.iterdir()):
        for sentence in list(segment(read_document(path)))[::7]:
            _assert_tokens_before(sentence.text)
