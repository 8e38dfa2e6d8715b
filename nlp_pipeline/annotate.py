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

Extraction only reads the rules' matches, so it asks ``matching.rule_matches`` for
them (also here, as ``rule_matches``): the same lists the components keep, computed
from the text and its jieba tokens without building a ``Doc`` or its spans, nor
importing spaCy (``tests/test_annotate.py`` checks the two agree).
"""

from __future__ import annotations

from functools import cache

from ._startup import import_spacy

spacy = import_spacy()  # before any spacy.* import, so without spaCy's CLI (see _startup)
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402

from . import budget, events, quantities, tokenize  # noqa: E402
from .matching import (  # noqa: E402, F401  (the spaCy-free path, also offered here)
    KEYS,
    find_events,
    jieba,
    load_userdict,
    prepare,
    rule_matches,
    tokens,
)

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
def build_nlp() -> Language:
    """The blank Chinese pipeline with the jieba segmenter and the rule components."""
    prepare()
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
