"""Assemble: annotated sentences into ``ActivityRecord``s with raw offsets.

Takes a ``Sentence`` (from segment) and its rule matches (``matching.rule_matches``,
what the spaCy pipeline's components find) and returns the sentence's records. Each
figure takes one event: the phrase of its sentence that attach
(``patterns/attach.yaml``) chooses, or the budget line it is; failing those, the
budget line its list item's title or heading names (``1. 行政运行。年初预算为…``), the
activity an earlier sentence named that it reports on, its clause's subject or
action, or none. A statistic of the economy takes none. Figures that take the same
event make one record, so a sentence that holds several activities gives several.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Generic, TypeVar

import regex

from . import budget, events, matching, rates
from .attach import attach, attach_line, breakdown_aside, list_item
from .ingest import Document
from .quantities import (
    QuantityMatch,
    blank,
    breaks_down_between,
    clause_bounds,
    declared_unit,
    find_quantities,
    has_role_cue,
    is_base_level,
    is_change_of_previous,
    is_han,
    item_start,
    money_role,
    opens_breakdown,
    with_bare_money,
)
from .schema import ActivityRecord, DateMention, Event, Mention, Quantity, Rate
from .segment import Sentence, segment


def extract_document(doc: Document) -> list[ActivityRecord]:
    """All activity records of a document, in reading order, with record ids."""
    records: list[ActivityRecord] = []
    previous: Sentence | None = None
    previous_bare = False  # the previous sentence held no figure
    history: list[Sentence] = []  # the sentences before this one under its heading
    lead: list[Sentence] = []  # the first sentences under the heading: a story's opening
    previous_found: list[ActivityRecord] = []  # the records of the sentence before
    declared: tuple[str | None, float] | None = None  # a unit declared for the section
    intro: Sentence | None = None  # the sentence introducing the enumeration going on
    for sentence in segment(doc):
        if declared is not None and declared[0] != sentence.section:
            declared = None  # (a declaration holds for its own section)
        here = declared_unit(sentence.text)
        bare = (0, declared[1]) if declared is not None else None
        if here is not None:
            bare, declared = here, (sentence.section, here[1])
        same = previous is not None and previous.paragraph == sentence.paragraph
        # A paragraph that refers back by a pointer (活动现场，…) may do so to the last
        # sentence of the paragraph before it, under the same heading.
        under_same_heading = previous is not None and previous.section == sentence.section
        earlier = previous if not same and under_same_heading else None
        if not under_same_heading:
            history, lead, intro = [], [], None
        if events.opens_enumeration(sentence.text):
            # 开展了…系列宣传活动。一是…: the enumeration's introduction, if it has one
            introduced = previous is not None and previous_bare and events.introduces(previous.text)
            intro = previous if introduced else None
        before, before_bare = (previous if same else None), previous_bare
        if intro is not None and events.continues_enumeration(sentence.text):
            # …；二是群发短信12000多条: a later item, under the same introduction
            before, before_bare, earlier = intro, True, None
        found = sentence_records(doc, sentence, before, before_bare, earlier, history, bare, lead)
        if same and previous_found:
            _execution_after(doc, previous, sentence, found, previous_found)
        previous_found = found
        records.extend(found)
        history = [*history[-_HISTORY + 1 :], sentence]
        if len(lead) < _LEAD:
            lead.append(sentence)
        previous, previous_bare = sentence, not found
    for i, rec in enumerate(records):
        rec.record_id = f"{doc.doc_id}:{i:04d}"
    return records


def _execution_after(
    doc: Document,
    previous: Sentence | None,
    sentence: Sentence,
    found: list[ActivityRecord],
    before: list[ActivityRecord],
) -> None:
    """An execution rate opening a sentence right after a semicolon that describes no
    figure of its own (…支出决算189.74万元，比上年减少53.7万元；完成年初预算的98%，决算数大于
    预算数…) describes what the sentence before spent: it goes to that record."""
    if previous is None or not previous.text.rstrip().endswith(("；", ";")):
        return
    if "%" not in sentence.text and "百分之" not in sentence.text:
        return
    given = {(rt.start, rt.end) for r in found for rt in r.rates}
    money = [(r, q) for r in before for q in r.quantities if q.kind == "money"]
    spent = [(r, q) for r, q in money if q.role == "spent"] or money
    if not spent:
        return
    record = spent[-1][0]
    for rate in rates.read_rates(sentence.text):
        if rate.kind == "execution" and clause_bounds(sentence.text, rate.start, rate.end)[0] == 0:
            m = _mention(doc, sentence, rate.start, rate.end)
            if (m.start, m.end) not in given:
                record.rates.append(Rate(m.text, m.start, m.end, rate.kind, rate.value))


_T = TypeVar("_T")


class _Once(Generic[_T]):
    """``fn(*args)``, worked out at the first call only and kept for the calls after (what
    a sentence may carry from the ones before, read only if one of its figures asks).
    A plain object: ``functools.cache`` over a ``partial``, built for every sentence,
    cost more than most of them are ever used."""

    __slots__ = ("_fn", "_args", "_value")

    def __init__(self, fn: Callable[..., _T], *args: object) -> None:
        self._fn: Callable[..., _T] | None = fn
        self._args = args
        self._value: _T | None = None

    def __call__(self) -> _T:
        if self._fn is not None:
            self._value = self._fn(*self._args)
            self._fn, self._args = None, ()
        return self._value  # type: ignore[return-value]


def sentence_records(
    doc: Document,
    sentence: Sentence,
    previous: Sentence | None = None,
    previous_bare: bool = False,
    earlier: Sentence | None = None,
    history: list[Sentence] | None = None,
    bare: tuple[int, float] | None = None,
    lead: list[Sentence] | None = None,
) -> list[ActivityRecord]:
    """The records of one sentence. ``previous`` is the paragraph's sentence before it:
    where this one refers back (``举办…机器人大赛。共有300多名选手参加比赛``), the
    activity named last there is the event of figures that name none here; so is the
    activity that ``previous`` ends with where it holds no figure (``previous_bare``) and
    so introduces what follows (``一是开展…技术培训。先后组建授课群5个…``), and, where a
    sentence opening with a pointer (``活动现场，…``) or, after a sentence with no figure,
    with a statistic's opener (``据统计，…``) starts a paragraph, the last activity of
    ``earlier``, the sentence before it under the same heading. Where the sentence
    before pointed back itself, a pointer here points to the sentence that one pointed
    to (``history``: the sentences before this one under its heading). ``bare`` is where a
    unit declared for the section (单位：万元) holds from in this sentence and what it
    multiplies: bare numbers after a money word there are money. ``lead`` is the first
    sentences under the heading, where a story names its activity: a pointer by a kind word
    (活动现场，…) reaches them past the sentences ``history`` holds."""
    found = find_quantities(sentence.text)
    if bare is not None:
        found = with_bare_money(sentence.text, found, bare[1], bare[0])
    if not found:
        return []
    lent_role = _whole_role(previous, sentence.text) if previous is not None else None
    matched = matching.rule_matches(sentence.text, doc.year, found)
    topic: Callable[[], Event | None] | None = None
    topic_kinds = _CARRIED_KINDS
    outputs_of_topic = False  # the sentence opens by pointing back (此次活动…, 活动现场，…)
    if previous is not None and events.tells_source(previous.text):
        previous = None  # …这是记者从…会议上获悉的。据悉，…: the meeting is no activity of theirs
    if earlier is not None and events.tells_source(earlier.text):
        earlier = None
    back = events.refers_back(sentence.text) or (previous_bare and events.reports_on(sentence.text))
    pointed = _Once(_antecedent, history or [])  # read only if asked
    if previous is None and earlier is not None and back:
        previous = earlier
    if previous is not None and previous_bare and not back and not events.sums_up(sentence.text):
        # (…活动。全年发放…: a period's total is no report on the activity introduced)
        topic = _Once(_introduced, doc, previous)
    elif previous is not None and back:
        noun = events.refer_noun(sentence.text) or events.pointed_kind(sentence.text)
        older = [s for s in history or [] if s.paragraph == previous.paragraph]
        reach = [*(s for s in lead or [] if s not in (history or [])), *(history or [])]
        topic = _Once(_topic_back, doc, pointed, previous, older, noun, reach)
        outputs_of_topic = noun is not None
    elif previous is not None and previous.text.rstrip().endswith(events.continuing_ends()):
        # A list of prizes goes on after a semicolon: its earlier part's competition.
        topic, topic_kinds = _Once(_competition, doc, previous), frozenset({"award"})
    campaign = None
    if (previous or earlier) is not None and not events.sums_up(sentence.text):
        campaign = _Once(_campaign_before, doc, pointed, previous or earlier, history or [])
    if events.judges(sentence.text):
        # …最终评定出一等奖各2名: the judging reports on the contest named under the heading,
        # also in a paragraph before
        contest_from = list(history or [])
    else:
        contest_from = [s for s in history or [] if s.paragraph == sentence.paragraph]
    paragraph_topic = _Once(_paragraph_contest, doc, contest_from) if contest_from else None
    return assemble(
        doc,
        sentence,
        matched,
        topic,
        topic_kinds,
        campaign,
        paragraph_topic,
        lent_role,
        outputs_of_topic,
    )


# The roles of a total its parts, listed in the next sentence, share.
_LENT_ROLES = frozenset({"budget", "spent", "income", "grant"})


def _whole_role(previous: Sentence, text: str) -> str | None:
    """Where ``text`` lists the parts (其中，…) of the total ``previous`` ends with, that
    total's role; else None."""
    if not opens_breakdown(text):
        return None
    roles = [q.role for q in find_quantities(previous.text) if q.kind == "money"]
    return roles[-1] if roles and roles[-1] in _LENT_ROLES else None


def _paragraph_contest(doc: Document, before: list[Sentence]) -> Event | None:
    """The competition the last earlier sentence of the paragraph that named one named:
    whose prizes a later sentence that names none reports (举办…书画大赛。…共评出一等奖12个)."""
    for sentence in reversed(before):
        found = _competition(doc, sentence)
        if found is not None:
            return found
    return None


# How many sentences back a pointer after pointers may reach, and how many opening
# sentences under a heading a pointer by a kind word reaches besides.
_HISTORY = 6
_LEAD = 2


def _antecedent(history: list[Sentence]) -> Sentence | None:
    """Where the sentence before pointed back itself (活动现场…。据悉，此次…), the last
    sentence before it that did not: what the pointers point to; else None."""
    if not history or not events.refers_back(history[-1].text):
        return None
    if any(e.type not in _NOT_POINTED for e in _events_in(history[-1].text)):
        return None  # 活动现场，…开展了健康知识宣传活动。据统计，此次活动…: the one it names
    return next((s for s in reversed(history[:-1]) if not events.refers_back(s.text)), None)


# Types of event a sentence that points back names without making it what a later pointer
# points to: a generic one, a budget's, and how the activity was reported (媒体报道).
_NOT_POINTED = frozenset({"other", "project", "publicity"})

# The kinds of figure an earlier sentence's activity is carried to (money is a line's).
_CARRIED_KINDS = frozenset({"sessions", "participants", "award", "count"})


def _campaign_before(
    doc: Document,
    pointed: Callable[[], Sentence | None],
    before: Sentence,
    history: list[Sentence],
) -> Event | None:
    """The campaign of the sentence the one before pointed to, else of ``before``, else
    of the sentence before that in the paragraph (a tally of what was handed out may follow
    one that said where: …开展…宣传活动。现场设咨询台。发放…份)."""
    first = pointed() or before
    found = _campaign(doc, first)
    if found is None:
        older = [s for s in history[:-1] if s.paragraph == first.paragraph and s is not first]
        if older:
            found = _campaign(doc, older[-1])
    return found


def _campaign(doc: Document, sentence: Sentence) -> Event | None:
    """The last campaign or activity (no budget line; of type ``other`` only a …活动 or
    …行动) a sentence names, for the handing out and putting up that the sentence after it
    reports (…开展“3·15”宣传活动。…发放宣传资料700余份…)."""
    found = [
        e
        for e in _events_in(sentence.text)
        if e.type != "project" and (e.type != "other" or e.text.endswith(("活动", "行动")))
    ]
    return _as_event(doc, sentence, found[-1]) if found else None


def _competition(doc: Document, sentence: Sentence) -> Event | None:
    """The last competition a sentence piece names, for the prizes of the piece after it."""
    found = [e for e in _events_in(sentence.text) if e.type == "competition"]
    return _as_event(doc, sentence, found[-1]) if found else None


def _topic(doc: Document, sentence: Sentence, noun: str | None = None) -> Event | None:
    """The last activity a sentence names (for the sentence after it): the last whose
    phrase ends in ``noun`` where the sentence after names it so (工程共…), else the
    last of a type other than ``other``."""
    named = _events_in(sentence.text)
    found = [e for e in named if noun is not None and e.text.endswith(noun)]
    typed = [e for e in named if e.type != "other"]
    # How an activity was reported (…得到媒体报道) is no activity a pointer points back to.
    found = found or [e for e in typed if e.type != "publicity"] or typed
    return _as_event(doc, sentence, found[-1]) if found else None


def _topic_back(
    doc: Document,
    pointed: Callable[[], Sentence | None],
    previous: Sentence,
    older: list[Sentence],
    noun: str | None,
    heading: Sequence[Sentence] = (),
) -> Event | None:
    """What a sentence that refers back names: the activity of the sentence the one before
    pointed to, else of the sentence before, else of the last earlier sentence of that
    paragraph that named one (举办…大赛。赛事分为…四个组别。比赛共评出…). Where the
    sentence names it by a bare noun, one ending in that noun first (工程共…), from any
    earlier sentence under the same ``heading``."""
    first = pointed() or previous
    sentences = [first, *(s for s in reversed(older) if s is not first and s is not previous)]
    if noun is not None:
        # a kind word reaches back under the heading, past paragraphs that name no such
        # activity (…宣传活动。\n活动围绕…。\n活动中，共悬挂…)
        sentences += [s for s in reversed(heading) if s not in sentences]
        named = [
            (sentence, e)
            for sentence in sentences
            for e in reversed(_events_in(sentence.text))
            if e.text.endswith(noun)
        ]
        if named:
            # A bare mention (…明确了宣传活动的内容) yields to a longer name before it, and a
            # generic one (…参加宣传活动) to a name in quotation marks (举办了“…咨询日”活动).
            sentence, found_event = next(
                ((s, e) for s, e in named if "“" in e.text or "《" in e.text),
                next(((s, e) for s, e in named if len(e.text) > len(noun)), named[0]),
            )
            return _as_event(doc, sentence, found_event)
    for sentence in sentences:
        if (found := _topic(doc, sentence)) is not None:
            return found
    return None


def _introduced(doc: Document, sentence: Sentence) -> Event | None:
    """The activity a list item's opening sentence, with no figure, ends with
    (一是开展…技术培训。), or None."""
    text = sentence.text.rstrip()
    if not events.introduces(text):
        return None
    found = _events_in(text)
    if not found or not events.ends_sentence(text, found[-1].end):
        return None
    return _as_event(doc, sentence, found[-1])


@lru_cache(maxsize=32)
def _events_in(text: str) -> tuple[events.EventMatch, ...]:
    """The event phrases of an earlier sentence, tokenized once however many of the
    sentence after's figures ask (topic, campaign, competition)."""
    return tuple(matching.find_events(text))


def _as_event(doc: Document, sentence: Sentence, found: events.EventMatch) -> Event:
    """An event phrase of ``sentence`` as a record's event, with raw offsets."""
    m = _mention(doc, sentence, found.start, found.end)
    return Event(m.text, m.start, m.end, found.type)


# No money figure before in the sentence (a group key no figure has).
_NO_MONEY = object()


def assemble(
    doc: Document,
    sentence: Sentence,
    matched: Mapping[str, list],
    topic: Callable[[], Event | None] | None = None,
    topic_kinds: frozenset[str] = _CARRIED_KINDS,
    campaign: Callable[[], Event | None] | None = None,
    paragraph_topic: Callable[[], Event | None] | None = None,
    lent_role: str | None = None,
    outputs_of_topic: bool = False,
) -> list[ActivityRecord]:
    """Group the sentence's figures by the event each belongs to, from the rules'
    matches ``matched`` (``matching.rule_matches``: figures, events, lines, dates,
    locations, organizers). ``campaign`` gives
    the activity the sentence before named, whose handing out and putting up this
    sentence may report by verb phrases (``发放宣传资料…份``); ``paragraph_topic`` the
    activity an earlier sentence of the paragraph named, for figures nothing else names;
    ``lent_role`` the role of the total whose parts this sentence lists, for money
    figures with no role cue of their own. ``outputs_of_topic`` says the sentence opens
    by pointing back to ``topic`` (此次活动…, 活动现场，…): what its clauses hand out or
    serve (发放资料…份, 为群众提供咨询…人次) is that activity's output, not events of their
    own."""
    figures: list[QuantityMatch] = list(matched["quantities"])
    lines = [_line_event(m) for m in matched["lines"]]
    title, title_named = _title_event(doc, sentence)
    if any(budget.is_bare(m.text) for m in lines) and (
        title is not None or _context_line(doc, sentence, "money") is not None
    ):
        # 2.行政运行。支出5万元。: the title names the line, the bare word only the column
        lines = [m for m in lines if not budget.is_bare(m.text)]
    found_events: list[events.EventMatch] = [
        e
        for e in matched["events"]
        if not any(e.start < ln.end and ln.start < e.end for ln in lines)
    ]
    if sources := events.source_spans(sentence.text):
        # 记者从全省民政工作会议上获悉，…: the meeting told the figures, they are not its
        found_events = [
            e for e in found_events if not any(s <= e.start and e.end <= t for s, t in sources)
        ]
    objects = _counted_objects(sentence.text, figures, found_events)
    found_events = [e for e in found_events if e not in objects]
    busy = _busy(sentence.text, figures, found_events)
    active = _active(figures, found_events, busy)
    groups: dict[object, list[QuantityMatch]] = {}
    fallbacks: list[tuple[QuantityMatch, events.TextMatch]] = []
    event_of: dict[object, Event | None] = {}
    handing_out = False  # a figure took the campaign for what it handed out
    last_key: object = None  # the group of the figure before, and where it ends
    last_end = 0
    respective = _respective(sentence.text, figures, [*found_events, *lines])
    placed: list[tuple[QuantityMatch, object]] = []  # figures with an event, and its group
    previous_money: object = _NO_MONEY  # the group of the last money figure
    for q in figures:
        key: object
        left = clause_bounds(sentence.text, q.start, q.end)[0]  # the figure's clause
        # A statistic (实现地区生产总值215亿元) or how many there are (规上企业数量由200家增加到
        # 260家) is no activity's figure: no event, and nothing falls back to one.
        if (
            previous_money is not _NO_MONEY
            and q.kind == "money"
            and (
                is_base_level(sentence.text, left, q.start)
                or is_change_of_previous(sentence.text, left, q.start)
            )
        ):
            # …支出为1860元，比上年的1712元增长…: last year's level of the same measure
            groups.setdefault(previous_money, []).append(q)
            continue
        joined = _aside_whole(sentence.text, q, placed, event_of, found_events)
        measured = joined is None and (
            event_of.get(last_key) is not None
            and last_end <= left
            and events.measures_back(sentence.text, left, q.start)
        )
        if measured:  # 救助…患儿120人，资助金额36万元: the money of what the clause before did
            joined = last_key
            if isinstance(last_key, tuple):  # its parts after it (（省资金…、市资金…）) follow
                ks, ke = last_key
                fallbacks.append((q, events.TextMatch(ks, ke, sentence.text[ks:ke])))
        if joined is not None:
            groups.setdefault(joined, []).append(q)
            last_key, last_end = joined, q.end
            previous_money = joined if q.kind == "money" else previous_money
            placed.append((q, joined))
            continue
        stated = _statistic(sentence.text, q, found_events, lines)
        if stated and q.kind == "money" and _statistic_role(sentence.text, q) == "other":
            # …一般公共预算收入52亿元，固定资产投资突破400亿元: a statistic its own clause
            # names takes no role an earlier clause would lend it
            q = replace(q, role="other")
        if not stated and (q.start, q.end) in respective:
            ev = respective[(q.start, q.end)]  # …宣传、建设、培训，分别5、3、2万元: one each
        elif not stated:
            ev = attach(sentence.text, q, found_events, active, busy)
            if q.kind == "money" and ev is not None and events.is_payment(ev.text):
                # 开展走访慰问…，发放慰问金4000元: the money of the visits named before it
                held = [
                    e for e in found_events if e.end <= ev.start and not events.is_payment(e.text)
                ]
                ev = held[-1] if held else ev
            ev = attach_line(sentence.text, q, ev, lines)
            if ev is None or ev.end <= left:
                ev = _project(sentence.text, q, left) or ev
            if (
                outputs_of_topic
                and ev is not None
                and q.kind in topic_kinds
                and ev.start >= left
                and events.hands_out(events.strip_recipient(sentence.text[left : ev.end]))
            ):
                ev = None  # 本次活动…，为居民提供法律咨询90余人次: the activity's
            ev = _framed_in_own_clause(sentence.text, q, left, ev) or ev
            if q.kind == "money" and (ev is None or ev.line is None):
                right = clause_bounds(sentence.text, q.start, q.end)[1]
                purpose = events.money_purpose(sentence.text, q.end, right)
                if purpose is not None:  # 投入180万元实施防贫保险: what the money is spent on
                    ev = events.EventMatch(
                        purpose.start, purpose.end, purpose.text, events.money_only_type()
                    )
            insured = (
                events.insurance_of(sentence.text, left, q.start)
                if q.kind == "participants"
                else None
            )
            if insured is not None:  # 城乡居民养老保险参保64.5万人: the insurance's people
                ev = events.EventMatch(insured.start, insured.end, insured.text, "other")
            stated = ev is not None and (
                _counts_a_change(sentence.text, q, ev) or _counts_made(sentence.text, q, ev, left)
            )
        if not stated and ev is not None and q.kind in ("money", "count"):
            # …城乡居民人均可支配收入分别达到…万元、…万元: a statistic named is no activity
            stated = events.statistic_end(sentence.text, ev.start, ev.end) == ev.end
        if stated:
            groups.setdefault(None, []).append(q)
            event_of[None] = None
            previous_money = None if q.kind == "money" else previous_money
            continue
        if ev is not None and (part := _part_named(sentence.text, q, ev)) is not None:
            ev = part
        # what the figure's own clause names, and the total it breaks down: asked by a title
        # first, then by the branches below, worked out once
        own = _Once(_own_event, sentence.text, q, figures)
        whole = _Once(_whole_of, sentence.text, q, placed)
        if ev is not None:
            key = (ev.start, ev.end)
            m = _mention(doc, sentence, ev.start, ev.end)
            event_of[key] = Event(m.text, m.start, m.end, ev.type, ev.line)
        elif (context_line := _context_line(doc, sentence, q.kind)) is not None:
            # The list item or heading names the budget line the paragraph's figures are.
            key = "line"
            event_of[key] = context_line
        elif (
            title is not None
            and (title_named or q.kind == "money")
            and not (
                title_named
                and (
                    _names_action(own())
                    or _carried(sentence.text, q, fallbacks) is not None
                    or whole() is not None
                )
            )
        ):
            # A title with no event word names a budget line: it takes money only. A title
            # naming an activity yields to the figure's clause's own action (【…】…接待来访
            # 326批), to the action an earlier figure took (…326批1150人次) and to the total
            # a part breaks down: it names the figures whose sentence names nothing.
            key = "title"
            event_of[key] = title
        elif (total := whole()) is not None:
            key = total  # 共接种疫苗…剂，其中，首针…剂: a part of the total's
        elif (
            topic is not None
            and q.kind in topic_kinds
            and not events.is_case_work(own())
            and not (q.kind == "count" and _opens_by_making(sentence.text, left, q.start))
            and (carried := topic()) is not None
        ):
            # (…打击…活动。…，起诉420人: case work names its own action)
            key = "topic"
            event_of[key] = carried
        elif (
            last_key is not None
            and event_of.get(last_key) is not None
            and events.restates(sentence.text, q.start, q.end)
        ):
            key = last_key  # …可用财力突破50亿元，达到52.3亿元: the same measure, said exactly
        elif (action := own()) is not None or (
            action := _carried(sentence.text, q, fallbacks)
        ) is not None:
            if events.is_effect(action) and event_of.get(last_key) is not None and last_end <= left:
                # 发行…债券置换存量债务3.2万亿元，降低利息负担约2000亿元: what the clause
                # before did achieved it (an effect names no action of its own)
                groups.setdefault(last_key, []).append(q)
                last_end = q.end
                continue
            if (measured := events.measured_activity(sentence.text, left, action)) is not None:
                action = measured  # 接待批次为48个: the reception's
                same = [
                    k
                    for k, e in event_of.items()
                    if isinstance(k, tuple)
                    and e is not None
                    and e.line is None
                    and e.text.endswith(action.text)
                ]
                if same:  # …，接待人次为390人: the reception already named
                    groups[same[-1]].append(q)
                    last_key, last_end = same[-1], q.end
                    continue
            fallbacks.append((q, action))
            if (
                campaign is not None
                and q.kind != "money"
                and events.hands_out(action.text)
                and (held := campaign()) is not None
            ):
                key = "campaign"  # 发放宣传资料5000份: the campaign's, not an event
                event_of[key] = held
                handing_out = True
            else:
                key = (action.start, action.end)
                m = _mention(doc, sentence, action.start, action.end)
                event_of[key] = Event(m.text, m.start, m.end, events.event_type(action.text, ""))
        elif handing_out and q.kind != "money" and not _acts(sentence.text, q):
            key = "campaign"  # …发放了手册600余本，折页900余份: the same handing out
        elif (
            paragraph_topic is not None
            and q.kind == "award"
            and (carried := paragraph_topic()) is not None
        ):
            key = "paragraph"  # …举办…书画大赛。…共评出一等奖12个: the paragraph's contest
            event_of[key] = carried
        elif _next_item(sentence.text, q, last_key, last_end, event_of):
            key = last_key  # 办理民事案件…件、行政案件…件: the list goes on under its verb
        else:
            key = None
            event_of[key] = None
        groups.setdefault(key, []).append(q)
        last_key, last_end = key, q.end
        if q.kind == "money":
            previous_money = key
        if event_of.get(key) is not None:
            placed.append((q, key))
    dates: list[events.DateMatch] = list(matched["dates"])
    locations: list[events.TextMatch] = list(matched["locations"])
    organizers: list[events.TextMatch] = list(matched["organizers"])
    sentence_mention = _mention(doc, sentence, 0, len(sentence.text))
    date = _date(doc, sentence, dates)
    location = _mention(doc, sentence, locations[0].start, locations[0].end) if locations else None
    out: list[ActivityRecord] = []
    for key, qs in groups.items():
        out.append(
            ActivityRecord(
                doc_id=doc.doc_id,
                section=sentence.section,
                sentence=sentence_mention,
                event=_typed_by_figures(event_of[key], qs),
                date=date,
                location=location,
                organizers=[],
                quantities=[
                    _quantity(
                        doc,
                        sentence,
                        _lend_role(
                            sentence.text,
                            _with_line_role(sentence.text, q, event_of[key], lines),
                            lent_role,
                        ),
                    )
                    for q in qs
                ],
            )
        )
    _give_organizers(doc, sentence, out, organizers)
    _give_rates(doc, sentence, out, figures)
    out.sort(key=lambda r: r.quantities[0].start)
    return out


def _aside_whole(
    text: str,
    q: QuantityMatch,
    placed: list[tuple[QuantityMatch, object]],
    event_of: dict[object, Event | None],
    found: list[events.EventMatch],
) -> object | None:
    """The group of the figure an aside holding ``q`` breaks down (…康复82人（其中，辅助器具4人、
    假肢4人）), where that figure has an event and ``q``'s own item names none; else None."""
    opens = breakdown_aside(text, q)
    if opens is None:
        return None
    whole = next((k for p, k in reversed(placed) if p.end <= opens), None)
    if whole is None or event_of.get(whole) is None or _names_own_part(text, q, opens, found):
        return None
    return whole


def _names_own_part(
    text: str, q: QuantityMatch, opens: int, found: list[events.EventMatch]
) -> bool:
    """True where the part ``q`` of an aside opening at ``opens`` names an activity of its
    own in its item (举办培训班6期（其中线上培训2期）: the online training)."""
    item = max(opens, *(text.rfind(ch, opens, q.start) for ch in "，,、；;")) + 1
    return any(item <= e.start and e.end <= q.start for e in found)


def _next_item(
    text: str,
    q: QuantityMatch,
    last_key: object,
    last_end: int,
    event_of: dict[object, Event | None],
) -> bool:
    """True where a figure that names nothing of its own opens a ``、``-item right after the
    figure before, which took an event (办理民事案件31.6万件、行政案件7.8万件; 保障性住房开工
    …万套、竣工…万套、分配入住…万套): the list goes on under the first item's activity."""
    if last_key is None or event_of.get(last_key) is None:
        return False
    between = text[last_end : q.start]
    return between.startswith("、") and events.continues_list(between[1:])


def _give_rates(
    doc: Document, sentence: Sentence, records: list[ActivityRecord], figures: list[QuantityMatch]
) -> None:
    """Each rate goes to the record holding the figure it describes."""
    found = rates.find_rates(sentence.text, figures)
    if not found:
        return
    record_at = {(q.start, q.end): r for r in records for q in r.quantities}
    for rate in found:
        q = figures[rate.figure]
        record = record_at.get(sentence.raw_span(q.start, q.end))
        if record is not None:
            m = _mention(doc, sentence, rate.start, rate.end)
            record.rates.append(Rate(m.text, m.start, m.end, rate.kind, rate.value))


def _typed_by_figures(event: Event | None, figures: list[QuantityMatch]) -> Event | None:
    """Money-only events are budget lines; award-only ones, unless competitions, honours."""
    if event is None:
        return None
    if event.line is not None:
        return event
    if all(q.kind == "money" for q in figures):
        return Event(event.text, event.start, event.end, events.money_only_type())
    if event.type != "competition" and all(q.kind == "award" for q in figures):
        return Event(event.text, event.start, event.end, events.award_only_type())
    return event


def _with_line_role(
    text: str, q: QuantityMatch, event: Event | None, lines: list[events.EventMatch]
) -> QuantityMatch:
    """A money figure of a budget line takes its role from the cues of its clause outside
    the names of the sentence's ``lines`` (收入支出总计 holds 支出 but is a total), else
    from the line."""
    if q.kind != "money" or event is None or event.line is None:
        return q
    role = money_role(blank(text, [(m.start, m.end) for m in lines]), q.start, q.end, False)
    if role == "other":
        # A budget document's own row (预算收入, 支出预算) is budgeted, whatever its line.
        # (the sentence's own line match: the event's text is the raw one, maybe Traditional)
        own = [m for m in lines if m.line == event.line]
        # ... and so are the parts that follow a budget row (支出预算…万元，其中：基本支出…万元;
        # 收入预算…万元，包括…)
        row = any(budget.is_budget_row(m.text) for m in own) or (
            breaks_down_between(text, 0, q.start)
            and any(budget.is_budget_row(m.text) and m.end <= q.start for m in lines)
        )
        named = [m.text for m in own if m.end <= q.start] or [m.text for m in own]
        role = "budget" if row else budget.line_role(event.line, named[-1] if named else "")
    return replace(q, role=role) if role != q.role else q


def _whole_of(
    text: str, q: QuantityMatch, placed: list[tuple[QuantityMatch, object]]
) -> object | None:
    """The group of the total a figure with no event of its own breaks down: the last
    earlier figure of its kind and unit that has an event and stands before a breakdown
    word (其中, 包括…) that stands before the figure, or None."""
    for total, key in reversed(placed):
        if (
            total.kind == q.kind
            and total.unit == q.unit
            and breaks_down_between(text, total.end, q.start)
        ):
            return key  # (past the parts before it: …其中，甲…剂，乙…剂)
    return None


def _lend_role(text: str, q: QuantityMatch, lent_role: str | None) -> QuantityMatch:
    """A part of a total (其中，…经费47万元) with no role cue of its own takes the total's."""
    if lent_role is None or q.kind != "money" or q.role != "other":
        return q
    return q if has_role_cue(text, q.start, q.end) else replace(q, role=lent_role)


def _statistic(
    text: str, q: QuantityMatch, found: list[events.EventMatch], lines: list[events.EventMatch]
) -> bool:
    """True where the figure's own clause (or 、-item) names a statistic of the economy
    before it, with no event or budget line between them: a figure of no activity."""
    if q.kind not in ("money", "count"):
        return False
    left = item_start(text, clause_bounds(text, q.start, q.end)[0], q.start)
    if q.kind == "count" and events.reaches_level(text, left, q.start):
        return True  # …，示范社增加到27家: how many there are now
    if q.kind == "count" and events.is_population(q.object):
        return True  # 在9000多万人口的大省…: how many people live there
    stat_end = events.statistic_end(text, left, q.start)
    if stat_end is None and left > 0 and text[left - 1] in "：:":
        # a title naming the statistic opens the clause (（二）二产增加值：完成40亿元)
        title_left, _ = clause_bounds(text, left - 1, left - 1)
        if events.statistic_end(text, title_left, left - 1) is not None:
            return True
    if stat_end is None:
        return False
    # an event that ends at the statistic or holds it (全省生产总值从…) is the statistic named
    return not any(stat_end < e.end <= q.start and e.start >= left for e in (*found, *lines))


def _statistic_role(text: str, q: QuantityMatch) -> str:
    """The role of a money figure that a statistic its clause names before it measures, from
    its own clause's cues outside the statistic's name (固定资产投资完成…亿元: the name holds
    投资, which says nothing of spending), none lent by an earlier clause."""
    left = item_start(text, clause_bounds(text, q.start, q.end)[0], q.start)
    stat_end = events.statistic_end(text, left, q.start)
    if stat_end is not None:
        text = blank(text, [(left, stat_end)])
    return money_role(text, q.start, q.end, lend=False)


def _framed_in_own_clause(
    text: str, q: QuantityMatch, left: int, ev: events.EventMatch | None
) -> events.EventMatch | None:
    """What the figure's own clause names it of by a frame that outweighs any phrase the
    attachment found: the revenue right before a money figure (…；财政总收入18.6亿元), the
    fund or budgets it was drawn from (…，从…基金预算、…经营预算调入85亿元), the problem solved
    for the people before it (…，980万群众的饮水问题得到解决); else None."""
    found: events.EventMatch | None = None
    if q.kind == "money":
        found = _revenue(text, q, ev)
        if (drawn := events.fund_drawn(text, left, q.start)) is not None:
            found = events.EventMatch(drawn.start, drawn.end, drawn.text, events.money_only_type())
    elif q.kind == "participants" and (solved := events.problem_solved(text, q.end)) is not None:
        found = events.EventMatch(solved.start, solved.end, solved.text, "other")
    return found


def _revenue(text: str, q: QuantityMatch, ev: events.EventMatch | None) -> events.EventMatch | None:
    """The revenue a money figure's own clause names right before it (…；财政总收入18.6亿元，
    增长9%), where no event of that clause is nearer the figure."""
    left = item_start(text, clause_bounds(text, q.start, q.end)[0], q.start)
    found = events.revenue_named(text, left, q.start)
    if found is None or (ev is not None and found.start < ev.end <= q.start):
        return None  # a budget line or event at the revenue or nearer: it stands
    return events.EventMatch(found.start, found.end, found.text, events.money_only_type())


def _project(text: str, q: QuantityMatch, left: int) -> events.EventMatch | None:
    """The project a figure's clause (from ``left``) speaks of again by a measure of it
    (…，总投资860万元), named earlier in the sentence, where no event of its own clause
    names the figure."""
    found = events.project_before(text, left, q.start)
    return events.as_event(found) if found is not None else None


def _respective(
    text: str, figures: list[QuantityMatch], found: list[events.EventMatch]
) -> dict[tuple[int, int], events.EventMatch]:
    """Figures after 分别 paired one to one with the items listed before it, where their
    numbers agree: each figure's item (an event or budget line found over the item, else
    the item itself, unless generic)."""
    out: dict[tuple[int, int], events.EventMatch] = {}
    for cue in _RESPECTIVELY.finditer(text):
        items = events.respective_items(text, cue.start())
        if not items or any(events.statistic_end(text, i.start, i.end) for i in items):
            continue  # 城区、郊区GDP分别为…: statistics, no items' events
        stop = text.find("。", cue.end())
        stop = len(text) if stop < 0 else stop
        after = [q for q in figures if cue.end() <= q.start < stop]
        if not after or not events.distributes(text, cue.end(), after[0].start):
            continue
        # the figures of 分别 run on in a list: up to the first that is not the next item
        after = after[: len(items)]
        if len(after) != len(items) or any(
            not (
                set(text[a.end : b.start]) <= _LIST_GAP
                or _LIST_NOUN_GAP.fullmatch(text, a.end, b.start)
            )
            for a, b in zip(after, after[1:], strict=False)
        ):
            continue
        for q, item in zip(after, items, strict=True):
            own = [e for e in found if e.start < item.end and item.start < e.end]
            if own:
                out[(q.start, q.end)] = own[-1]
            elif not events.is_generic(item.text):
                out[(q.start, q.end)] = events.as_event(item)
    return out


_RESPECTIVELY = regex.compile("分别")
_LIST_GAP = set("、，,和及与 ")
# ... or the people a figure counts and a joiner (3200名高龄老人和860名…)
_LIST_NOUN_GAP = regex.compile(r"[^\d，。；：、]{1,10}?[和及与、]")


def _counts_made(text: str, q: QuantityMatch, ev: events.EventMatch, left: int) -> bool:
    """True where a count's own clause (from ``left``) opens by making what it counts (…工程，
    新增百亿企业2户) and its event comes from an earlier clause or is the thing made (新建3家
    孝老食堂): how many were made, no activity's."""
    if q.kind != "count":
        return False
    if ev.end > left and (ev.start < left or ev.type in _HELD):
        return False  # 新建…活动阵地…, 组建…培训班3个: an activity's, not a thing made
    if ev.end > left and events.houses(ev.text, q.unit):
        return False  # 建成安居富民工程31.5万户: the programme's dwellings
    return _opens_by_making(text, left, q.start)


def _opens_by_making(text: str, left: int, start: int) -> bool:
    """True where the clause from ``left`` opens, up to ``start``, with a verb of making
    (新建, 新增, 组建…), after any period words (全年新建…)."""
    return events.creates(events.strip_period(text[left:start].lstrip("，,；; ")))


# Types of event that are held, not made: a count made with one in its clause is its.
_HELD = frozenset(
    {"popularization", "training", "lecture", "academic", "competition", "exhibition", "meeting"}
)


def _counts_a_change(text: str, q: QuantityMatch, ev: events.EventMatch) -> bool:
    """True where a count is a term of ``由a增加到b`` and its event is the thing counted,
    named in the same clause before the frame (规上企业数量由200家增加到260家): a statistic
    of how many there are, no activity's figure."""
    if q.kind not in ("count", "sessions", "participants"):
        return False
    left, _ = clause_bounds(text, q.start, q.end)
    frame = events.from_to_start(text, left, q.start)
    return frame is not None and left <= ev.start and ev.end <= frame


def _fallback_event(text: str, q: QuantityMatch) -> events.TextMatch | None:
    """For a figure no event phrase, line, title or earlier sentence names: its clause's
    subject where the clause states a measure of it (财政收入突破…); else the action its
    clause states (发行…债券3.2万亿元, …惠及1100多万学生), unless it is an effect (降低…
    税负) and the sentence opens with a policy (全面推开营改增试点，…), whose figure it then
    is; else that policy, for figures other than counts; else, other than for money and
    counts, the topic the sentence opens with (扶贫攻坚力度加大，…)."""
    left, right = clause_bounds(text, q.start, q.end)
    if q.kind == "count" and events.counts_measured(text, left, q.start, right):
        return None  # 32个市级项目完成投资…亿元: how many projects, no action's figure
    found = (
        events.clause_subject(text, left, q.start, q.text, q.kind)
        or list_item(text, q, left)
        or _colon_title(text, q)
        or events.service_given(text, left, q.start, q.kind)
    )
    if found is not None:
        return None if events.is_cut(found.text) else found
    action = events.clause_action(text, left, right, q.start, q.end, q.kind)
    if action is not None and events.is_cut(action.text):
        return None  # 3个…实验室和3个隔离点: the figure opens a conjunct of its own
    if action is not None and q.kind == "money" and events.names_bare_money(action.text):
        return None  # 共募集资金260余万元: money raised, no action named
    if (
        action is not None
        and q.kind == "count"
        and (events.creates(action.text) or _opens_by_making(text, left, q.start))
    ):
        return None  # 新建乡镇食堂4家, 新建3家食堂: how many were made, no activity's figure
    if action is not None and q.kind == "count" and events.lists_examples(action.text):
        return None  # 引进…研究中心等10个合作项目: examples of what is counted, no action
    if action is not None and not events.is_effect(action):
        return action
    policy = events.opening_object(text, left, q.start) if left > 0 and q.kind != "count" else None
    found = policy or action
    if found is None and q.kind not in ("money", "count"):
        found = events.opening_topic(text)
    return found


def _colon_title(text: str, q: QuantityMatch) -> events.TextMatch | None:
    """The name before the colon a figure's sentence opens with (二、困难学生生活补助：520人), for
    figures other than counts (a count counts its own thing); not a budget line's name
    (公务用车运行维护费：…), which the budget stage reads."""
    if q.kind == "count":
        return None
    found = events.colon_title(text, q.start)
    return None if found is None or budget.find_lines(found.text) else found


def _own_event(
    text: str, q: QuantityMatch, figures: list[QuantityMatch]
) -> events.TextMatch | None:
    """What a figure's own clause names it of (its action, subject or list item: 接待来访
    326批, 发放助学金62万元), cut before any other figure: its fallback event."""
    return _clipped(_fallback_event(text, q), figures)


def _names_action(own: events.TextMatch | None) -> bool:
    """True where a figure's own clause names more than a verb alone (…，共计接待150人次
    names nothing a title does not)."""
    return own is not None and not events.ends_in_verb(own.text)


def _clipped(
    action: events.TextMatch | None, figures: list[QuantityMatch]
) -> events.TextMatch | None:
    """``action`` cut before a figure it runs into (为…孕产妇每年免费筛查一次: 免费筛查), or None
    where too little is left."""
    if action is None:
        return None
    cut = min((q.start for q in figures if action.start < q.start < action.end), default=None)
    if cut is None:
        return action
    text = action.text[: cut - action.start].rstrip("，,、 每")
    if len(text) < 2:
        return None
    return events.TextMatch(action.start, action.start + len(text), text)


def _acts(text: str, q: QuantityMatch) -> bool:
    """True where a figure's own clause states an action of its own by a verb."""
    left, right = clause_bounds(text, q.start, q.end)
    return events.acts_before(text, left, q.start, q.end, right)


def _line_event(m: budget.LineMatch) -> events.EventMatch:
    return events.EventMatch(m.start, m.end, m.text, events.money_only_type(), m.line)


def _context_line(doc: Document, sentence: Sentence, kind: str) -> Event | None:
    """The budget line a figure is by its paragraph's list-item title or heading.

    A title that names a line names it for the paragraph's money. A heading does so
    only where it is a line of the classification itself (``1、…（类）…（款）…（项）。``)
    or a line marked so in patterns/budget.yaml (``国有资产占有使用情况``): a heading such as
    ``项目支出情况`` opens a discussion whose totals are not that line's. A paragraph
    with a title that names no line takes nothing from the heading above it.
    """
    if kind not in ("money", "count"):
        return None
    piece, from_heading = (
        (sentence.title, False) if sentence.title is not None else (sentence.heading, True)
    )
    if piece is None:
        return None
    found = budget.find_lines(piece.text)
    if not found:
        return None
    m = found[-1]
    if kind == "count" and not from_heading:
        return None
    if from_heading and not m.heading:
        return None
    rs, re_ = piece.raw_span(m.start, m.end)
    return Event(doc.raw[rs:re_], rs, re_, events.money_only_type(), m.line)


def _counted_objects(
    text: str, figures: list[QuantityMatch], found: list[events.EventMatch]
) -> set[events.EventMatch]:
    """Event phrases that are the thing a count counts (绩效项目共有3项, 3项…计划项目)."""
    out = set()
    for q in figures:
        if q.kind != "count":
            continue
        for e in found:
            if e.start >= q.end:
                gap_after: str | None = text[q.end : e.start]
            else:  # a phrase found over the unit (个国家重点帮扶) starts right after it
                gap_after = "" if q.start < e.start < q.end else None
            gap_before = text[e.end : q.start] if e.end <= q.start else None
            # A phrase right after a count names what is counted, even one ending in an
            # action word (160个国家乡村振兴重点帮扶县); a count right after an action
            # (改造620多万套) counts what it did, not the action.
            if (
                gap_after is not None
                and len(gap_after) <= 1
                and not any(ch in "，；。：、" for ch in gap_after)
            ) or (
                gap_before is not None
                and not events.names_an_action(e.text)
                and gap_before in ("", "共有", "共", "达", "为", "有")
                and events.counts_items(q.unit)
                # …联赛共有32支队伍: the noun after the unit is what is counted
                and not (gap_before and _names_after(text, q.end))
            ):
                out.add(e)
    return out


def _names_after(text: str, end: int) -> bool:
    """True where a noun follows a count's unit (28支代表队): the count names its object."""
    return is_han(text[end : end + 1])


def _part_named(text: str, q: QuantityMatch, ev: events.EventMatch) -> events.EventMatch | None:
    """The part a figure's own clause names after 其中, where the event it took comes from
    an earlier clause (…减税降费…，其中减免社保费1.7万亿元: 减免社保费), else None."""
    left, _ = clause_bounds(text, q.start, q.end)
    if ev.start >= left:
        return None
    part = events.part_name(text, left, q.start)
    return events.as_event(part) if part is not None else None


def _carried(
    text: str, q: QuantityMatch, fallbacks: list[tuple[QuantityMatch, events.TextMatch]]
) -> events.TextMatch | None:
    """The event an earlier figure of the sentence took by ``_fallback_event``, for a
    figure other than a count that takes none itself: one of the same clause (…参保人数
    增加1.4亿、覆盖10.5亿人), or for people, of any earlier clause (…改造棚户区住房4200多万套，
    上亿人出棚进楼), or for money whose clause names only funds (…，补助资金9.6万元)."""
    if not fallbacks or q.kind == "count":  # each item of a list counts its own thing
        return None
    left, right = clause_bounds(text, q.start, q.end)
    same = [a for p, a in fallbacks if left <= p.start and p.end <= right]
    if same:
        return same[-1]
    if q.kind == "money" and events.names_funds_only(text[left : q.start]):
        return fallbacks[-1][1]  # …发放冬季取暖补助，补助资金9.6万元: the subsidy's money
    return fallbacks[-1][1] if q.kind == "participants" else None


def _busy(text: str, figures: list[QuantityMatch], found: list[events.EventMatch]) -> list:
    """Events whose own clause holds a figure, or a percentage (…普及率从80%提高到87%,
    多年累计改造农村危房2400多万户: the rate's subject is told, the next clause's action is
    its own)."""
    percents = [m.span() for m in rates.PERCENT.finditer(text)] if "%" in text else []
    out = []
    for e in found:
        left, right = clause_bounds(text, e.start, e.end)
        if any(left <= q.start and q.end <= right for q in figures) or any(
            left <= s and t <= right for s, t in percents
        ):
            out.append(e)
    return out


def _active(
    figures: list[QuantityMatch], found: list[events.EventMatch], busy: list[events.EventMatch]
) -> list:
    """Events that are ``busy`` (their clause holds a figure), or that come before the
    sentence's first figure."""
    first = min((q.start for q in figures), default=float("inf"))
    taken = set(busy)
    return [e for e in found if e in taken or e.end <= first]


def _title_event(doc: Document, sentence: Sentence) -> tuple[Event | None, bool]:
    """The event named by the sentence's list-item title, if it has one, and whether
    an event word named it (else the whole short title stands for a budget line)."""
    title = sentence.title
    if title is None:
        return None, False
    s_start, s_end = sentence.raw_span(0, len(sentence.text))
    t_start, t_end = title.raw_span(0, len(title.text))
    if s_start <= t_start and t_end <= s_end:
        return None, False  # （四）已完成…1068人、…74家: the item is the sentence, no title of it
    if events.names_programme(title.text):
        return None, False  # （一）大力实施创新引领行动: a field of work, no activity
    found = title_phrase(title.text)
    if found is None:
        return None, False
    start, end, etype, named = found
    rs, re_ = title.raw_span(start, end)
    # A yearbook entry's bracketed title (【康复工作】) names what its figures report on.
    bracketed = doc.raw[max(0, t_start - 1) : t_start] == "【"
    return Event(doc.raw[rs:re_], rs, re_, etype), named or bracketed


@lru_cache(maxsize=256)
def title_phrase(text: str) -> tuple[int, int, str, bool] | None:
    """``(start, end, type, named by an event word)`` of the event a list-item title
    names, or None. Cached: every sentence of a list item asks for the same title."""
    cut = next((i for i, ch in enumerate(text) if ch.isdigit()), len(text))
    if cut < 2:
        return None
    title_tokens = matching.tokens(text[:cut])
    found = events.events_in(text[:cut], lambda end: title_tokens)
    if found:
        ev = found[-1]
        return ev.start, ev.end, ev.type, True
    if (
        cut <= events.max_title_chars()
        and not events.has_stop_in(t for _, t in title_tokens)
        and not events.is_generic(text[:cut])
    ):
        # A short title with no verb names a budget line: 1. 行政运行。年初预算为…
        return 0, cut, "other", False
    return None


def _mention(doc: Document, sentence: Sentence, start: int, end: int) -> Mention:
    rs, re_ = sentence.raw_span(start, end)
    return Mention(doc.raw[rs:re_], rs, re_)


def _quantity(doc: Document, sentence: Sentence, q: QuantityMatch) -> Quantity:
    m = _mention(doc, sentence, q.start, q.end)
    return Quantity(
        m.text,
        m.start,
        m.end,
        kind=q.kind,
        value=q.value,
        unit=q.unit,
        qualifier=q.qualifier,
        level=q.level,
        role=q.role,
        object=q.object,
        currency=q.currency,
    )


def _date(doc: Document, sentence: Sentence, dates: list[events.DateMatch]) -> DateMention | None:
    if not dates:
        return None
    d = dates[0]
    m = _mention(doc, sentence, d.start, d.end)
    return DateMention(m.text, m.start, m.end, d.value)


def _give_organizers(
    doc: Document,
    sentence: Sentence,
    records: list[ActivityRecord],
    organizers: list[events.TextMatch],
) -> None:
    """Each organizer goes to the record whose event follows it most closely."""
    if not records:
        return
    for org in organizers:
        m = _mention(doc, sentence, org.start, org.end)
        following = [r for r in records if r.event is not None and r.event.start >= m.end]
        target = min(following, key=lambda r: r.event.start) if following else records[0]  # type: ignore[union-attr]
        target.organizers.append(m)
