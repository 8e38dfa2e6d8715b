"""Annotate: a sentence's text into a spaCy ``Doc`` carrying the rule matches.

The pipeline is ``spacy.blank("zh")`` with the jieba segmenter (and the domain
user dictionary ``patterns/userdict.txt``) plus three registered components,
each with one job:

- ``nlp_quantities``: figures → ``doc.spans["quantities"]``
- ``nlp_events``: event phrases → ``doc.spans["events"]``
- ``nlp_budget_lines``: budget lines of the final-accounts template → ``doc.spans["lines"]``
- ``nlp_context``: dates, places, organizers → ``doc.spans["dates"|"locations"|"organizers"]``

Every span keeps the rule's full result in ``span._.match`` and its exact
character offsets in ``span._.chars`` (a figure inside a jieba token is widened
to whole tokens for the ``Span`` with ``alignment_mode="expand"``, but its own
offsets are kept). The reporting year a date needs is ``doc.user_data["year"]``.

Extraction only reads the rules' matches, so it asks ``rule_matches`` for them: the
same lists the components keep, computed from the text and its jieba tokens without
building a ``Doc`` or its spans (``tests/test_annotate.py`` checks the two agree).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, partial
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import budget, events, patterns, quantities, tokenize
from ._startup import import_jieba

jieba = import_jieba()

for _name in ("match", "chars"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


# doc.user_data key of each span group's matches, kept beside the spans (see matches).
_MATCHES = "matches"


def _open(doc: Doc, *keys: str) -> None:
    """Start the span groups ``keys`` afresh (and their kept matches)."""
    kept = doc.user_data.setdefault(_MATCHES, {})
    for key in keys:
        doc.spans[key] = []
        kept[key] = []


def _add_span(doc: Doc, key: str, start: int, end: int, label: str, match: object) -> None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:  # only for an empty range, which no rule yields
        return
    ext = span._
    ext.match = match
    ext.chars = (start, end)
    doc.spans[key].append(span)
    doc.user_data[_MATCHES][key].append(match)


def matches(doc: Doc, key: str) -> list:
    """``[span._.match for span in doc.spans[key]]``, read from the list the components
    keep beside the spans (asking each span for its extension costs more than the rule)."""
    kept = doc.user_data.get(_MATCHES)
    if kept is not None and key in kept:
        return list(kept[key])
    return [span._.match for span in doc.spans.get(key, [])]


@Language.component("nlp_quantities")
def quantity_component(doc: Doc) -> Doc:
    _open(doc, "quantities")
    found = doc.user_data.get("quantities")
    if found is None:
        found = quantities.find_quantities(doc.user_data.get("text") or doc.text)
    for q in found:
        _add_span(doc, "quantities", q.start, q.end, q.kind, q)
    return doc


@Language.component("nlp_events")
def event_component(doc: Doc) -> Doc:
    _open(doc, "events")
    blocked = [(q.start, q.end) for q in matches(doc, "quantities")]
    for e in events.find_events(doc, blocked):
        _add_span(doc, "events", e.start, e.end, e.type, e)
    return doc


@Language.component("nlp_budget_lines")
def budget_line_component(doc: Doc) -> Doc:
    _open(doc, "lines")
    for m in budget.find_lines(doc.user_data.get("text") or doc.text):
        _add_span(doc, "lines", m.start, m.end, "LINE", m)
    return doc


@Language.component("nlp_context")
def context_component(doc: Doc) -> Doc:
    _open(doc, "dates", "locations", "organizers")
    text = doc.user_data.get("text") or doc.text
    for d in events.find_dates(text, doc.user_data.get("year")):
        _add_span(doc, "dates", d.start, d.end, "DATE", d)
    for loc in events.find_locations(text):
        _add_span(doc, "locations", loc.start, loc.end, "LOC", loc)
    for org in events.find_organizers(text):
        _add_span(doc, "organizers", org.start, org.end, "ORG", org)
    return doc


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


@cache
def build_nlp() -> Language:
    """The blank Chinese pipeline with the jieba segmenter and the rule components."""
    jieba.setLogLevel(60)
    load_userdict()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("nlp_quantities")
    nlp.add_pipe("nlp_events")
    nlp.add_pipe("nlp_budget_lines")
    nlp.add_pipe("nlp_context")
    return nlp


@cache
def _components(nlp: Language) -> tuple:
    """The pipeline's components (``nlp.pipeline`` builds its list anew at each call)."""
    return tuple(proc for _, proc in nlp.pipeline)


def make_doc(text: str) -> Doc:
    """Tokenize only (no rule components): ``build_nlp().make_doc(text)``, made faster
    (``tokenize.make_doc``: the same tokens, their offsets kept for the event rules)."""
    nlp = build_nlp()
    if len(text) > nlp.max_length:
        return nlp.make_doc(text)  # spaCy's own error for a text too long
    return tokenize.make_doc(nlp.vocab, text)


def annotate(text: str, year: int | None, found: list[quantities.QuantityMatch]) -> Doc:
    """Run the pipeline on one sentence whose figures ``found`` are already known."""
    nlp = build_nlp()
    doc = make_doc(text)
    doc.user_data["text"] = text
    doc.user_data["year"] = year
    doc.user_data["quantities"] = found
    for proc in _components(nlp):
        doc = proc(doc)
    return doc


# The span groups the components fill, in the order they run.
KEYS = ("quantities", "events", "lines", "dates", "locations", "organizers")


def _check_length(text: str) -> None:
    """spaCy's own error for a text longer than the pipeline takes, as ``make_doc``."""
    nlp = build_nlp()  # also loads the user dictionary the tokens need
    if len(text) > nlp.max_length:
        nlp.make_doc(text)


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
