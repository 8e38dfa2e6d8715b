"""Matching: the rules' matches of a sentence, what the spaCy pipeline's components find
(``annotate``), computed from the text and its jieba tokens without spaCy.

``rule_matches(text, year, figures)`` gives, by span group, the lists of matches the
components keep beside a ``Doc``'s spans (``annotate.matches``): figures, events,
budget lines, dates, places, organizers. Extraction reads only these, so it builds
no ``Doc``, no spans, and does not import spaCy, which saves about half a second of
every run's start-up. ``tests/test_annotate.py`` checks both paths agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, partial
from typing import Any

from . import budget, events, patterns, quantities, tokenize
from ._startup import import_jieba

jieba = import_jieba()


@cache
def load_userdict() -> None:
    """Add the domain words of ``patterns/userdict.txt`` to jieba (once per process)."""
    path = patterns.userdict_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise patterns.PatternError(f"{path}: cannot read: {exc.strerror or exc}") from None
    for lineno, line in enumerate(lines, 1):
        parts = line.split()
        if not parts or line.startswith("#"):
            continue
        if len(parts) > 3 or (len(parts) >= 2 and not parts[1].isdigit()):
            raise patterns.PatternError(f"{path}:{lineno}: expected 'word [frequency] [tag]'")
        jieba.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None)


# The span groups the components fill, in the order they run.
KEYS = ("quantities", "events", "lines", "dates", "locations", "organizers")


# spaCy's ``Language.max_length``, the longest text the pipeline of build_nlp takes.
MAX_LENGTH = 1_000_000


@cache
def prepare() -> None:
    """jieba quiet and the user dictionary loaded: what the tokens need (once)."""
    jieba.setLogLevel(60)
    load_userdict()


def _check_length(text: str) -> None:
    """For a text longer than spaCy's pipeline takes, its own error, as
    ``annotate.make_doc`` gives it (spaCy is imported only then)."""
    prepare()
    if len(text) > MAX_LENGTH:
        from .annotate import make_doc

        make_doc(text)


def tokens(text: str) -> list[tuple[int, str]]:
    """``[(t.idx, t.text) for t in make_doc(text)]``, without building the ``Doc``."""
    _check_length(text)
    return tokenize.tokens(text)


def find_events(
    text: str, blocked: list[tuple[int, int]] | None = None
) -> list[events.EventMatch]:
    """``events.find_events(make_doc(text), blocked)``, without building the ``Doc`` and
    cutting the text no further than the rules read its tokens."""
    _check_length(text)
    return events.events_in(text, partial(tokenize.tokens_before, text), blocked)


def rule_matches(
    text: str, year: int | None, found: list[quantities.QuantityMatch]
) -> dict[str, list]:
    """``{key: matches(annotate(text, year, found), key) for key in KEYS}``, without the
    ``Doc``: each component's matches, less those ``Doc.char_span`` makes no span of (a
    range that starts or ends outside the text, which no rule yields)."""
    _check_length(text)
    n = len(text)

    def kept(found_matches: Iterable[Any]) -> list:
        return [m for m in found_matches if 0 <= m.start < n and 0 < m.end <= n]

    figures = kept(found)
    return {
        "quantities": figures,
        "events": kept(find_events(text, [(q.start, q.end) for q in figures])),
        "lines": kept(budget.find_lines(text)),
        "dates": kept(events.find_dates(text, year)),
        "locations": kept(events.find_locations(text)),
        "organizers": kept(events.find_organizers(text)),
    }
