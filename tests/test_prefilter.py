"""prefilter: a pattern is skipped only on a text where it cannot match."""

from __future__ import annotations

import pytest
import regex

from nlp_pipeline import budget, events, prefilter, quantities, rates, segment
from nlp_pipeline.ingest import read_document

from .conftest import DOCS


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        ("(?P<e>[^，。]{4,20}?)(?:最低|最高)?(?:从|由)(?=\\d)", "从由"),
        ("今年", "今"),
        ("(?:联合|携手)(?P<o>.{2,6})", "携联"),
        ("a?b*", None),  # may match the empty string
        ("(?i)abc", None),  # flags: not read
        ("\\p{Han}+", None),  # regex-only syntax
        ("(?:abc){e<=1}", None),  # fuzzy
        ("[^a]b|c", "bc"),
        ("x(?!y)", "x"),
        ("\\d+年", "年"),
        ("\\d+", None),
    ],
)
def test_required_chars(pattern: str, chars: str | None) -> None:
    assert prefilter.required_chars(pattern) == chars


def _rule_patterns() -> list[regex.Pattern[str]]:
    found: list[regex.Pattern[str]] = []

    def walk(obj: object, depth: int = 0) -> None:
        if isinstance(obj, regex.Pattern):
            found.append(obj)
        elif depth < 3 and isinstance(obj, (list, tuple)):
            for item in obj:
                walk(item, depth + 1)
        elif depth < 3 and isinstance(obj, dict):
            for item in obj.values():
                walk(item, depth + 1)

    for module in (events, quantities, budget, rates, segment):
        rules = module.rules()
        for name in rules.__dataclass_fields__:
            walk(getattr(rules, name))
    return found


def test_no_rule_is_skipped_on_a_text_where_it_matches() -> None:
    texts = []
    for path in sorted(DOCS.iterdir()):
        raw = read_document(path).text
        texts += raw.splitlines() + [raw]
    for pattern in _rule_patterns():
        for text in texts:
            if not prefilter.may_match(pattern, text):
                assert pattern.search(text) is None, (pattern.pattern, text)
