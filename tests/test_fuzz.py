"""Fuzz and adversarial input: the numbers parser against cn2an, the whole pipeline on
random text (no exception, every span faithful), and every rule pattern on long runs of
digits, 、, quote marks and 万 (completing at all is the test: no timings are measured,
the suite's run time is the guard against super-linear rules).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import cn2an
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp_pipeline import events, extract_text, quantities, segment
from nlp_pipeline.ingest import decode_bytes
from nlp_pipeline.numbers import parse_number
from nlp_pipeline.schema import ActivityRecord, Mention

FUZZ = settings(max_examples=80, deadline=None)

# --- numbers: cn2an as the oracle -------------------------------------------------------


@FUZZ
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_numerals_agree_with_cn2an(n: int) -> None:
    assert parse_number(cn2an.an2cn(n)) == n


@FUZZ
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_financial_numerals_agree_with_cn2an(n: int) -> None:
    # 大写: 壹仟贰佰叁拾肆
    assert parse_number(cn2an.an2cn(n, "up")) == n


@pytest.mark.parametrize("n", [10**12, 2 * 10**12 + 5, 123 * 10**12 + 4567 * 10**4])
def test_numerals_of_trillions_agree_with_cn2an(n: int) -> None:
    assert parse_number(cn2an.an2cn(n)) == n


@FUZZ
@given(st.integers(min_value=0, max_value=10**15), st.booleans())
def test_arabic_numbers(n: int, grouped: bool) -> None:
    assert parse_number(f"{n:,}" if grouped else str(n)) == n


@FUZZ
@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["万", "亿"]))
def test_arabic_number_with_multiplier(n: int, unit: str) -> None:
    assert parse_number(f"{n}{unit}") == n * {"万": 10**4, "亿": 10**8}[unit]


@FUZZ
@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿0123456789.,余多", max_size=30))
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or value >= 0


# --- the whole pipeline on random text --------------------------------------------------

FRAGMENTS = [
    "举办", "开展", "科普讲座", "培训班", "活动", "项目", "经费", "支出决算为", "年初预算",
    "参与群众", "共计", "万元", "元", "人次", "人", "场", "场次", "次", "个", "所", "名",
    "余", "多", "近", "约", "超过", "以上", "左右", "万", "亿", "一千二百", "十", "两",
    "2024年", "5月30日", "在", "社区", "联合", "区委宣传部", "、", "，", "。", "；", "：",
    "“", "”", "《", "》", "（", "）", "(", ")", "%", "第", "\n", "\n\n", "\t", "\r\n",
    " ", "\u3000", "\ufeff", "１２３", "ＡＢ", "<p>", "</p>", "<td>", "</td>", "<br/>",
    "<div class=\"x\">", "<", ">", "&nbsp;", "&amp;", "&#20320;", "**", "__", "# ", "## ",
    "1.", "（一）", "一、", "- ", "|", "\u200b",
]  # fmt: skip
PIECES = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.integers(min_value=0, max_value=10**9).map(str),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False).map(str),
    st.text(alphabet="科普讲座培训万元人次场一二三四五六七八九十百千零0123456789", max_size=8),
    st.text(max_size=4),
)
DOCUMENTS = st.lists(PIECES, max_size=60).map("".join)


def spans(record: ActivityRecord) -> Iterator[Mention]:
    yield record.sentence
    for mention in (record.event, record.date, record.location):
        if mention is not None:
            yield mention
    yield from record.organizers
    yield from record.quantities


def assert_faithful(raw: str, records: list[ActivityRecord]) -> None:
    for record in records:
        for mention in spans(record):
            assert 0 <= mention.start <= mention.end <= len(raw), mention
            assert raw[mention.start : mention.end] == mention.text, mention


@FUZZ
@given(DOCUMENTS)
def test_pipeline_on_random_text(text: str) -> None:
    assert_faithful(text, extract_text(text, "fuzz"))


@FUZZ
@given(DOCUMENTS, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_decoded_bytes_keep_spans_faithful(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="ignore")
    try:
        raw, _ = decode_bytes(data)
    except ValueError:  # IngestError: empty, blank or not text; refused with a reason
        return
    assert_faithful(raw, extract_text(raw, "fuzz"))


# --- every rule pattern on adversarial input --------------------------------------------

SIZE = 100_000  # characters; linear rules take well under a second on each
ADVERSARIAL = {
    "digits": "1" * SIZE,
    "digits with separators": "1,000," * (SIZE // 6),
    "enumeration commas": "、" * SIZE,
    "Chinese quote marks": "“" * SIZE,
    "ASCII quote marks": '"' * SIZE,
    "book title marks": "《" * SIZE,
    "wan": "万" * SIZE,
    "numeral run": "一二三四五六七八九十百千万亿" * (SIZE // 14),
    "figures and commas": "1万、“" * (SIZE // 4),
    "years": "2024年" * (SIZE // 5),
    "unclosed tags": "<div " * (SIZE // 5),
}


def _patterns(value: Any, name: str) -> Iterator[tuple[str, regex.Pattern[str]]]:
    if isinstance(value, regex.Pattern):
        yield name, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _patterns(item, f"{name}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _patterns(item, f"{name}[{key!r}]")


def compiled_rules() -> list[tuple[str, regex.Pattern[str]]]:
    found = []
    for module in (quantities, events, segment):
        rules = module.rules()
        for field in dataclasses.fields(rules):
            found += _patterns(getattr(rules, field.name), f"{module.__name__}.{field.name}")
    return found


def test_rule_files_compile_to_patterns() -> None:
    assert len(compiled_rules()) >= 10


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_every_rule_completes_on_adversarial_input(kind: str) -> None:
    text = ADVERSARIAL[kind]
    slow = []
    for name, pattern in compiled_rules():
        # A linear rule takes well under a second here; one that tries every position of a
        # long run again (an unanchored \d+ inside an alternation) takes minutes. The
        # generous limit turns that into a failure naming the rule instead of a hung suite.
        try:
            for _ in pattern.finditer(text, timeout=30):
                pass
        except TimeoutError:
            slow.append(name)
    assert not slow, f"super-linear on {kind!r}: {slow}"


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_pipeline_completes_on_adversarial_input(kind: str) -> None:
    text = ADVERSARIAL[kind]
    assert_faithful(text, extract_text(text, "adversarial"))
