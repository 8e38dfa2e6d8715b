"""Events, dates, places and organizers in a sentence.

``find_events`` takes a tokenized sentence (a spaCy ``Doc`` made by the jieba
segmenter) and returns event phrases with their type: a phrase ends in a head
word (``讲座``, ``培训班``, ``项目``…) that ends a token and extends left over the
modifier tokens until a verb, a clause break or a figure. ``find_dates``,
``find_locations`` and ``find_organizers`` work on the sentence text. Every rule
comes from ``patterns/events.yaml``; every span is an index into the text given.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import regex

from . import patterns, prefilter
from .quantities import CLAUSE_BREAKS, clause_bounds, is_han, quoted_regions

if TYPE_CHECKING:
    from spacy.tokens import Doc

_ORDINAL = regex.compile(r"第[\d一二三四五六七八九十百]{1,4}$")


@dataclass(frozen=True)
class EventMatch:
    start: int
    end: int
    text: str
    type: str
    line: str | None = None  # a budget line's canonical name (budget.find_lines)


@dataclass(frozen=True)
class TextMatch:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True)
class _Rules:
    heads: regex.Pattern[str]
    # the head words by their first character, longest first (the order of ``heads``)
    head_words: dict[str, tuple[str, ...]]
    head_type: dict[str, str]
    refine: list[tuple[str, str]]
    stops: frozenset[str]
    inner_punct: str
    max_chars: int
    generic: frozenset[str]
    not_before: tuple[str, ...]
    decided_by: tuple[str, ...]
    generic_prefixes: tuple[str, ...]
    min_bare_head: int
    bare_line_heads: frozenset[str]
    bare_after: tuple[str, ...]
    held_verbs: tuple[str, ...]
    means_before: tuple[str, ...]
    means_heads: tuple[str, ...]
    respectively_pair: regex.Pattern[str]
    money_objects: frozenset[str]
    colon_title: regex.Pattern[str]
    colon_title_not: regex.Pattern[str]
    service_nouns: tuple[str, ...]
    restating_verbs: frozenset[str]
    measure_back: regex.Pattern[str]
    report_source: regex.Pattern[str]
    programme_heading: regex.Pattern[str]
    outcome_ends: tuple[str, ...]
    action_not_ending: tuple[str, ...]
    examples_ending: tuple[str, ...]
    payment_nouns: tuple[str, ...]
    list_first: regex.Pattern[str]
    list_next: regex.Pattern[str]
    insurance_enrolled: regex.Pattern[str]
    money_purpose: regex.Pattern[str]
    housing_words: tuple[str, ...]
    dwelling_units: frozenset[str]
    verb_nouns: tuple[str, ...]
    time_frame_ends: tuple[str, ...]
    conjunctions: tuple[str, ...]
    action_fillers: tuple[str, ...]
    max_title_chars: int
    phrase_patterns: list[tuple[regex.Pattern[str], str]]
    dates: list[tuple[regex.Pattern[str], str]]
    date_not_after: tuple[str, ...]
    location: regex.Pattern[str]
    place_words: tuple[str, ...]
    organizers: list[regex.Pattern[str]]
    org_split: regex.Pattern[str]
    org_drop: regex.Pattern[str]
    money_only_type: str
    award_only_type: str
    forward_cues: tuple[str, ...]
    action_heads: tuple[str, ...]
    item_units: frozenset[str]
    refer_back: regex.Pattern[str]
    refer_noun: regex.Pattern[str]
    pointer_kind: regex.Pattern[str]
    statistics: regex.Pattern[str]
    revenue: regex.Pattern[str]
    revenue_over_rate: regex.Pattern[str]
    counted_subject: regex.Pattern[str]
    serving_opening: regex.Pattern[str]
    from_to: regex.Pattern[str]
    created_verbs: tuple[str, ...]
    done_to: regex.Pattern[str]
    level_reached: regex.Pattern[str]
    done_to_object: regex.Pattern[str]
    report_opening: regex.Pattern[str]
    handout_verbs: tuple[str, ...]
    populations: frozenset[str]
    making_adverbs: tuple[str, ...]
    case_verbs: tuple[str, ...]
    fund_drawn: regex.Pattern[str]
    problem_solved: regex.Pattern[str]
    list_item: regex.Pattern[str]
    recipient_opening: regex.Pattern[str]
    period_openings: tuple[str, ...]
    introduction: regex.Pattern[str]
    continuing_ends: tuple[str, ...]
    prize_verbs: tuple[str, ...]
    fund_filler: regex.Pattern[str]
    light_object: regex.Pattern[str]
    light_object_not: regex.Pattern[str]
    item_name: regex.Pattern[str]
    item_not: regex.Pattern[str]
    pointer: regex.Pattern[str]
    scope_prefix: regex.Pattern[str]
    subject_not_starting: tuple[str, ...]
    subject_not_exact: frozenset[str]
    part_not_ending: tuple[str, ...]
    entered_verbs: regex.Pattern[str]
    action_verbs: regex.Pattern[str]
    people_verbs: regex.Pattern[str]
    action_min_chars: int
    object_min_chars: int
    frequency_units: tuple[str, ...]
    people_verb_gap: int
    subject_kinds: frozenset[str]
    people_verbs_not: tuple[str, ...]
    benefit_before: regex.Pattern[str]
    benefit_after: regex.Pattern[str]
    opening_topic: list[regex.Pattern[str]]
    clause_subject: regex.Pattern[str]
    subject_not_holding: tuple[str, ...]
    subject_counted: tuple[str, ...]
    payment_verbs: frozenset[str]
    project_back: regex.Pattern[str]
    item_attendance: regex.Pattern[str]
    judging_step: regex.Pattern[str]
    judged: regex.Pattern[str]
    respectively: regex.Pattern[str]
    head_modifiers: frozenset[str]
    modified_heads: frozenset[str]
    respectively_gap: regex.Pattern[str]
    item_prefix: regex.Pattern[str]
    project_named: regex.Pattern[str]
    measure_prefixes: tuple[str, ...]
    subject_not_ending: tuple[str, ...]
    counted_measures: tuple[str, ...]
    subject_adverbs: regex.Pattern[str]
    subject_time: regex.Pattern[str]
    part_opening: regex.Pattern[str]
    opening_object: regex.Pattern[str]
    clause_object: regex.Pattern[str]
    effect_verbs: tuple[str, ...]
    subject_orgs: tuple[str, ...]


def _by_first_char(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``words`` by their first character, each character's longest first."""
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        by_first.setdefault(w[:1], []).append(w)
    return {ch: tuple(ws) for ch, ws in by_first.items()}


def _words(data: dict, key: str, name: str, template: str = "{}") -> regex.Pattern[str]:
    """The rule file's word list ``key`` as a pattern (``patterns.compile_words``)."""
    return patterns.compile_words(data.get(key, []), name, key, template)


@cache
def rules() -> _Rules:
    name = "events"
    data = patterns.load(name)
    heads: dict[str, list[str]] = patterns.require(data, "heads", dict, name)
    head_type = {w: t for t, words in heads.items() for w in words}
    loc = patterns.require(data, "location", dict, name)
    return _Rules(
        heads=patterns.compile_regex(patterns.alternation(list(head_type)), name, "heads"),
        head_words=_by_first_char(head_type),
        head_type=head_type,
        refine=[(r["cue"], r["type"]) for r in data.get("refine", [])],
        stops=frozenset(patterns.require(data, "stops", list, name)),
        inner_punct=str(data.get("inner_punct", "")),
        max_chars=int(data.get("max_chars", 60)),
        generic=frozenset(data.get("generic", [])),
        not_before=tuple(data.get("not_before", [])),
        decided_by=tuple(data.get("decided_by", [])),
        generic_prefixes=tuple(data.get("generic_prefixes", [])),
        min_bare_head=int(data.get("min_bare_head_chars", 3)),
        bare_line_heads=frozenset(data.get("bare_line_heads", [])),
        bare_after=tuple(data.get("bare_after", [])),
        held_verbs=tuple(patterns.require(data, "held_verbs", list, name)),
        means_before=tuple(patterns.require(data, "means_before", list, name)),
        means_heads=tuple(patterns.require(data, "means_heads", list, name)),
        respectively_pair=patterns.compile_regex(
            patterns.require(data, "respectively_pair", str, name), name, "respectively_pair"
        ),
        money_objects=frozenset(patterns.require(data, "money_objects", list, name)),
        colon_title=patterns.compile_regex(
            patterns.require(data, "colon_title", str, name), name, "colon_title"
        ),
        colon_title_not=patterns.compile_regex(
            patterns.require(data, "colon_title_not", str, name), name, "colon_title_not"
        ),
        service_nouns=tuple(patterns.require(data, "service_nouns", list, name)),
        restating_verbs=frozenset(patterns.require(data, "restating_verbs", list, name)),
        measure_back=patterns.optional_regex(data, "measure_back", name),
        report_source=patterns.optional_regex(data, "report_source", name),
        programme_heading=patterns.optional_regex(data, "programme_heading", name),
        outcome_ends=tuple(data.get("outcome_ends", [])),
        action_not_ending=tuple(data.get("action_not_ending", [])),
        examples_ending=tuple(data.get("examples_ending", [])),
        payment_nouns=tuple(data.get("payment_nouns", [])),
        list_first=patterns.optional_regex(data, "list_first", name),
        list_next=patterns.optional_regex(data, "list_next", name),
        insurance_enrolled=patterns.optional_regex(data, "insurance_enrolled", name),
        money_purpose=patterns.optional_regex(data, "money_purpose", name),
        housing_words=tuple(data.get("housing_words", [])),
        dwelling_units=frozenset(data.get("dwelling_units", [])),
        verb_nouns=tuple(patterns.require(data, "verb_nouns", list, name)),
        time_frame_ends=tuple(patterns.require(data, "time_frame_ends", list, name)),
        conjunctions=tuple(patterns.require(data, "conjunctions", list, name)),
        action_fillers=tuple(
            sorted(patterns.require(data, "action_fillers", list, name), key=len, reverse=True)
        ),
        max_title_chars=int(data.get("max_title_chars", 15)),
        phrase_patterns=[
            (patterns.compile_regex(p["regex"], name, "phrase_patterns"), str(p["type"]))
            for p in data.get("phrase_patterns", [])
        ],
        dates=[
            (patterns.compile_regex(d["regex"], name, "dates"), str(d["value"]))
            for d in patterns.require(data, "dates", list, name)
        ],
        date_not_after=tuple(data.get("date_not_after", [])),
        location=patterns.compile_regex(loc["regex"], name, "location.regex"),
        place_words=tuple(loc.get("place_words", [])),
        organizers=[
            patterns.compile_regex(o["regex"], name, "organizers")
            for o in data.get("organizers", [])
        ],
        org_split=patterns.compile_regex(data.get("org_split", "、"), name, "org_split"),
        org_drop=patterns.optional_regex(data, "org_drop_suffix", name),
        money_only_type=str(data.get("money_only_type", "project")),
        award_only_type=str(data.get("award_only_type", "recognition")),
        forward_cues=tuple(data.get("forward_cues", [])),
        action_heads=tuple(data.get("action_heads", [])),
        item_units=frozenset(data.get("item_units", [])),
        action_verbs=_words(data, "action_verbs", name),
        people_verbs=patterns.compile_words(
            data.get("action_verbs", []) + patterns.require(data, "people_verbs_more", list, name),
            name,
            "people_verbs_more",
        ),
        action_min_chars=int(data.get("action_min_chars", 4)),
        object_min_chars=int(data.get("object_min_chars", 2)),
        frequency_units=tuple(data.get("frequency_units", [])),
        people_verb_gap=int(data.get("people_verb_gap", 10)),
        subject_kinds=frozenset(data.get("subject_kinds", ["participants"])),
        people_verbs_not=tuple(data.get("people_verbs_not", [])),
        benefit_before=_words(data, "benefit_before", name, "(?:{})$"),
        benefit_after=patterns.optional_regex(data, "benefit_after", name),
        opening_topic=[
            patterns.compile_regex(t, name, "opening_topic") for t in data.get("opening_topic", [])
        ],
        refer_back=patterns.optional_regex(data, "refer_back", name),
        refer_noun=patterns.optional_regex(data, "refer_noun", name),
        pointer_kind=patterns.optional_regex(data, "pointer_kind", name),
        statistics=_words(data, "statistics", name),
        revenue=patterns.optional_regex(data, "revenue", name),
        revenue_over_rate=patterns.optional_regex(data, "revenue_over_rate", name),
        counted_subject=patterns.optional_regex(data, "counted_subject", name),
        serving_opening=patterns.optional_regex(data, "serving_opening", name),
        from_to=patterns.optional_regex(data, "from_to", name),
        created_verbs=tuple(data.get("created_verbs", [])),
        done_to=patterns.optional_regex(data, "done_to", name),
        level_reached=patterns.compile_regex(
            patterns.require(data, "level_reached", str, name), name, "level_reached"
        ),
        done_to_object=patterns.compile_regex(
            patterns.require(data, "done_to_object", str, name), name, "done_to_object"
        ),
        report_opening=patterns.optional_regex(data, "report_opening", name),
        handout_verbs=tuple(data.get("handout_verbs", [])),
        populations=frozenset(data.get("populations", [])),
        making_adverbs=tuple(data.get("making_adverbs", [])),
        case_verbs=tuple(data.get("case_verbs", [])),
        fund_drawn=patterns.optional_regex(data, "fund_drawn", name),
        problem_solved=patterns.optional_regex(data, "problem_solved", name),
        list_item=patterns.optional_regex(data, "list_item", name),
        recipient_opening=patterns.optional_regex(data, "recipient_opening", name),
        period_openings=tuple(data.get("period_openings", [])),
        introduction=patterns.optional_regex(data, "introduction", name),
        continuing_ends=tuple(data.get("continuing_ends", [])),
        prize_verbs=tuple(data.get("prize_verbs", [])),
        fund_filler=patterns.optional_regex(data, "fund_filler", name),
        light_object=patterns.optional_regex(data, "light_object", name),
        light_object_not=patterns.optional_regex(data, "light_object_not", name),
        item_name=patterns.optional_regex(data, "item_name", name),
        item_not=patterns.compile_words(data.get("item_not", []), name, "item_not"),
        pointer=patterns.optional_regex(data, "pointer", name),
        scope_prefix=patterns.compile_regex(
            "^(?:" + patterns.alternation(list(data.get("generic_prefixes", []))) + "|[、和及与])+",
            name,
            "generic_prefixes",
        ),
        subject_not_starting=tuple(data.get("subject_not_starting", [])),
        subject_not_exact=frozenset(data.get("subject_not_exact", [])),
        part_not_ending=tuple(data.get("part_not_ending", [])),
        entered_verbs=patterns.compile_words(data.get("entered_verbs", []), name, "entered_verbs"),
        clause_subject=patterns.optional_regex(data, "clause_subject", name),
        subject_not_holding=tuple(data.get("subject_not_holding", [])),
        subject_counted=tuple(data.get("subject_counted", [])),
        payment_verbs=frozenset(data.get("payment_verbs", [])),
        project_back=patterns.optional_regex(data, "project_back", name),
        item_attendance=patterns.optional_regex(data, "item_attendance", name),
        judging_step=patterns.optional_regex(data, "judging_step", name),
        judged=patterns.optional_regex(data, "judged", name),
        respectively=patterns.optional_regex(data, "respectively", name),
        head_modifiers=frozenset(data.get("head_modifiers", [])),
        modified_heads=frozenset(data.get("modified_heads", [])),
        respectively_gap=patterns.optional_regex(data, "respectively_gap", name),
        item_prefix=patterns.optional_regex(data, "item_prefix", name),
        project_named=patterns.optional_regex(data, "project_named", name),
        measure_prefixes=tuple(data.get("measure_prefixes", [])),
        subject_not_ending=tuple(data.get("subject_not_ending", [])),
        counted_measures=tuple(data.get("counted_measures", [])),
        subject_adverbs=_words(data, "subject_adverbs", name, "(?:{})+"),
        subject_time=patterns.optional_regex(data, "subject_time", name),
        part_opening=patterns.optional_regex(data, "part_opening", name),
        opening_object=patterns.optional_regex(data, "opening_object", name),
        clause_object=patterns.compile_regex(
            "(?:同时|并|还|进一步)?" + str(data.get("opening_object", "(?!)")).lstrip("^"),
            name,
            "opening_object",
        ),
        effect_verbs=tuple(data.get("effect_verbs", [])),
        subject_orgs=tuple(data.get("subject_orgs", [])),
    )


def _is_punct(token_text: str) -> bool:
    return not any(ch.isalnum() for ch in token_text)


def find_events(doc: Doc, blocked: list[tuple[int, int]] | None = None) -> list[EventMatch]:
    """Event phrases of a tokenized sentence; ``blocked`` spans (figures) bound them."""
    text = doc.user_data.get("text") or doc.text  # Doc.text is rebuilt on every access
    tokens = doc.user_data.get("tokens") or [(t.idx, t.text) for t in doc]
    return events_in(text, lambda end: tokens, blocked)


# The tokens of a text (``(idx, text)`` pairs, as ``tokenize.tokens``) or a prefix of
# them holding every token that starts before the end given.
TokensBefore = Callable[[int], list[tuple[int, str]]]


def events_in(
    text: str, tokens_before: TokensBefore, blocked: list[tuple[int, int]] | None = None
) -> list[EventMatch]:
    """``find_events`` of ``text``, whose tokens ``tokens_before`` gives: only those up to
    the end of the last head word that may start a phrase are asked for (the rules read
    no token after a head), and none where no head word may."""
    r = rules()
    blocked = blocked or []
    titles = [(s, e) for s, e in quoted_regions(text) if text[s] == "《"]
    heads = []
    for hs, he, head in _heads_in(text, r):
        if any(s < he and hs < e for s, e in blocked):
            continue
        if text.startswith(r.not_before, he) or any(s < hs and he < e - 1 for s, e in titles):
            continue  # an organization's name, or a word inside a book title
        if text.startswith(r.decided_by, he) and r.head_type.get(head) == "meeting":
            continue  # …党组会议研究决定，安排…: who decided, no activity of the figures
        heads.append((hs, he, head))
    tokens = tokens_before(max(he for _, he, _ in heads)) if heads else []
    starts = [s for s, _ in tokens]
    token_ends = {s + len(t) for s, t in tokens}
    candidates: list[EventMatch] = []
    for hs, he, head in heads:
        if he not in token_ends:
            continue
        first = bisect_right(starts, hs) - 1  # the token holding the head's start
        prefix = text[starts[first] : hs]
        if (
            prefix
            and (prefix in r.stops or any(ch in CLAUSE_BREAKS for ch in prefix))
            and not (_modifies_head(tokens, first, prefix, head, r))
        ):
            left = hs  # the head's token starts with a verb (出席会议): stop there
        else:
            left = _extend_left(text, tokens, first, he, blocked, r)
        end = he
        phrase = text[left:end]
        if phrase.count("“") > phrase.count("”") and text[end : end + 1] == "”":
            end += 1
        left = _trim_left(text, left, end)
        ordinal = _ORDINAL.search(text, 0, left) if text[left : left + 1] in "届次期" else None
        if ordinal is not None and ordinal.end() == left:
            left = ordinal.start()  # keep a name's ordinal whole: 第38届“青少年科创大赛”
        phrase = text[left:end]
        if (
            phrase == head
            and len(phrase) < r.min_bare_head
            and not (any(e == left for s, e in blocked) and r.head_type.get(phrase) != "project")
            and not (
                any(s == end for s, e in blocked)
                and (
                    phrase in r.bare_line_heads
                    or (
                        phrase not in r.action_heads
                        and r.head_type.get(phrase) not in ("recognition", "project")
                    )
                )
            )
            and not (text.endswith(r.bare_after, 0, left) and text[end : end + 1] in "，。；,;")
        ):
            continue  # a bare verb (培训农工), unless a figure counts it (6场讲座, 讲座3次)
        if len(phrase) < 2 or is_generic(phrase):
            continue
        if text.endswith(r.means_before, max(0, left - 2), left) or phrase.startswith(
            r.means_before
        ):
            continue  # 依托…云平台，开展…: the means an activity used
        if phrase.endswith(r.means_heads) and (
            text.endswith("通过", max(0, left - 2), left) or phrase.startswith("通过")
        ):
            continue  # 通过…交易平台采购…: the channel used
        if _frames_time(text, end, r):
            continue  # 自2019年实施…工程以来，…: when, not what was done
        candidates.append(EventMatch(left, end, phrase, event_type(phrase, head)))
    for pattern, etype in r.phrase_patterns:
        if not prefilter.may_match(pattern, text):
            continue
        for m in pattern.finditer(text):
            s, e = m.span("event")
            if s < e and not any(bs < e and s < be for bs, be in blocked):
                candidates.append(EventMatch(s, e, text[s:e], etype))
    return _outermost(candidates)


def _frames_time(text: str, end: int, r: _Rules) -> bool:
    """True where the clause holding a phrase that ends at ``end`` ends in a time frame
    (…项目以来，)."""
    _, right = clause_bounds(text, end - 1, end)
    return text.endswith(r.time_frame_ends, end, right)


def _heads_in(text: str, r: _Rules) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of the head words in ``text``: at each position the longest
    that starts there, as ``r.heads.finditer(text, overlapped=True)`` finds them (the
    alternation is longest first). Looked up by the position's character, which is about
    twice as fast as the regex's alternation of some 250 words."""
    found: list[tuple[int, int, str]] = []
    by_first = r.head_words
    for i, ch in enumerate(text):
        words = by_first.get(ch)
        if words is not None:
            for w in words:
                if text.startswith(w, i):
                    found.append((i, i + len(w), w))
                    break
    return found


def has_stop(doc: Doc) -> bool:
    """True where a tokenized phrase holds a verb or function word of the stop list."""
    return has_stop_in([t.text for t in doc])


def has_stop_in(words: Iterable[str]) -> bool:
    """``has_stop`` of a phrase's token texts."""
    stops = rules().stops
    return any(w in stops for w in words)


def is_generic(phrase: str) -> bool:
    """True for phrases that name no activity (totals, bare heads, 上级科普经费, 中央、省级
    项目资金, pointers such as 此次活动)."""
    r = rules()
    if phrase in r.generic or r.judging_step.fullmatch(phrase):
        return True
    if prefilter.may_match(r.pointer, phrase) and r.pointer.match(phrase):
        return True
    if not phrase.startswith(r.generic_prefixes):
        return False
    rest = r.scope_prefix.sub("", phrase)
    return rest != phrase and rest in r.generic


def _modifies_head(
    tokens: list[tuple[int, str]], index: int, prefix: str, head: str, r: _Rules
) -> bool:
    """True where a head's token opens with a verb of ``head_modifiers`` after a noun
    (平安家庭|创建活动, “…”|创建活动): the verb names the activity's kind."""
    if prefix not in r.head_modifiers or head not in r.modified_heads or index == 0:
        return False
    return _names_a_kind_after(tokens[index - 1][1], r)


def _names_a_kind_after(prev: str, r: _Rules) -> bool:
    """True where a token before a head-modifying verb is a noun or a quoted name (辅具,
    “…”), so the verb names the activity's kind rather than bounding its phrase."""
    return (is_han(prev[-1:]) or prev.endswith("”")) and prev not in r.stops


def _extend_left(
    text: str,
    tokens: list[tuple[int, str]],
    token_index: int,
    head_end: int,
    blocked: list[tuple[int, int]],
    r: _Rules,
) -> int:
    """Walk left over modifier tokens; inside quotation marks only the length bounds it."""
    left = tokens[token_index][0]
    text_depth = text[left:head_end].count("”") - text[left:head_end].count("“")
    j = token_index - 1
    while j >= 0:
        idx, t = tokens[j]
        end = idx + len(t)
        if head_end - idx > r.max_chars or t.isspace() or (end < left and text[end:left].isspace()):
            break  # a space (a form cell's edge) bounds a phrase, even as a token's trailing one
        if blocked and any(s < end and idx < e for s, e in blocked):
            break
        word = t.isalpha()  # (most tokens: Han words, no digit, quote or punctuation)
        depth = text_depth if word else text_depth + t.count("”") - t.count("“")
        quoted = depth > 0 or (text_depth > 0 and not word and "“" in t)
        if not quoted:
            if t == "的" and j > 0 and tokens[j - 1][1].endswith("”"):
                # a quoted name joined by 的 (“利剑斩污”的专项行动) is the phrase's own
                left = idx
                j -= 1
                continue
            if (
                t in r.head_modifiers
                and j == token_index - 1
                and j > 0
                and tokens[token_index][1] in r.modified_heads
                and _names_a_kind_after(tokens[j - 1][1], r)
            ):
                # 辅具免费发放活动, 作品征集活动: a verb right before the head, after a
                # noun, names the activity's kind
                text_depth = depth
                left = idx
                j -= 1
                continue
            if t in r.stops:
                break
            if not word and (
                any(ch.isdigit() for ch in t)
                or any(ch in CLAUSE_BREAKS for ch in t)
                or (_is_punct(t) and not all(ch in r.inner_punct for ch in t))
            ):
                break
        text_depth = depth
        left = idx
        j -= 1
    return left


def _trim_left(text: str, left: int, end: int) -> int:
    """Drop what a phrase cannot start with (、 ” ） 等 / or an unmatched （), and the 年 of
    a year written before it."""
    while left < end:
        ch = text[left]
        if ch in "、”’）)—-·等/" or (ch in "（(" and not any(c in "）)" for c in text[left:end])):
            left += 1
        elif ch == "年" and left > 0 and text[left - 1].isdigit():
            left += 2 if text[left + 1 : left + 2] == "度" else 1  # 2024年省级…资金: no year
        elif ch in "个届次期天日周月" and left > 0 and text[left - 1].isdigit():
            # 第12个“世界气象日”科普活动, 连续5天推送…: an ordinal's measure word or a span of
            # days is no part of the name
            left += 1
        elif ch in _MARKER_FIRST and (marker := _LIST_MARKER.match(text, left, end)) is not None:
            left = marker.end()  # （三）、科普活动: the list marker is no part of the name
        else:
            break
    return left


_MARKER_FIRST = frozenset("（(一二三四五六七八九十")
_LIST_MARKER = regex.compile(
    r"[（(][一二三四五六七八九十\d]{1,3}[）)][、.，]?|[一二三四五六七八九十]{1,3}、"
)


def _outermost(cands: list[EventMatch]) -> list[EventMatch]:
    """Of overlapping candidates keep the one whose head ends last (then the longest)."""
    cands.sort(key=lambda e: (-e.end, e.start))
    kept: list[EventMatch] = []
    for c in cands:
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda e: e.start)
    return kept


def event_type(phrase: str, head: str) -> str:
    """The type of an event phrase: its head's type, refined for generic heads (活动…)."""
    r = rules()
    etype = r.head_type.get(head, "other")
    if etype == "other":
        for cue, refined in r.refine:
            if cue in phrase:
                return refined
    return etype


def max_title_chars() -> int:
    """How long a list-item title may be to stand as an event by itself."""
    return rules().max_title_chars


def leads_forward(clause: str) -> bool:
    """True where a clause names partners of an activity named later (联合…等17个部门)."""
    return any(cue in clause for cue in rules().forward_cues)


def names_an_action(phrase: str) -> bool:
    """True where an event phrase ends in an action word (改造, 搬迁…): a count right
    after it counts what the action did, not the thing the phrase names."""
    return phrase.endswith(rules().action_heads)


def counts_items(unit: str | None) -> bool:
    """True where a count's unit counts items (项, 个…), so a phrase right before it is
    the thing counted, not an event."""
    return unit in rules().item_units


def clause_action(
    text: str, left: int, right: int, start: int, end: int, kind: str = ""
) -> TextMatch | None:
    """The action a clause ``[left, right)`` states about its figure ``[start, end)`` of
    ``kind``: from an action verb before the figure up to it; else the words after the
    figure, up to the clause's end, a 、 or the next figure, where a verb opens them
    (``4次降低存款准备金率``), the figure is a frequency (``两次全面降准``) or a verb stands
    right before it (``解决6434万农村人口饮水安全问题``; for money the thing given may be
    short: ``发放200亿元补贴``); else, for people and counted things, from the verb that
    follows their noun (``为1700多万困难群众发放生活补贴``, ``28个省份实现了…``); else None."""
    r = rules()
    min_chars = r.action_min_chars
    benefit = _beneficiaries(text, left, right, start, end, r)
    if benefit is not None:
        return benefit
    if kind in ("sessions", "participants") and (light := light_object(text, left, start)):
        return light  # 开展普法巡讲24次: the object of a light verb, counted by the figure
    to = text.rfind("对", left, start)
    if kind in r.subject_kinds and to >= 0 and start - to <= 8:
        done = r.done_to_object.match(text, end, right)
        if done is not None and not is_generic(done.group("object")):
            # 对全镇3100间沿街商铺进行消防排查: what was done to what the figure counts
            return TextMatch(done.start("object"), done.end("object"), done.group("object"))
    stop = next(
        (i for i in range(end, right) if text[i] in "、（(" or text[i].isdigit()), right
    )  # a list item ends at 、, the next figure or an aside
    left = max(left, text.rfind("、", left, start) + 1)  # the figure's own list item
    before = r.action_verbs.search(text, left, start)
    while before is not None and text.startswith(r.verb_nouns, before.end()):
        # 村级人民调解委员会86个: a verb inside a body's name is no action
        before = r.action_verbs.search(text, before.end(), start)
    if before is not None and kind == "participants" and before.group() in r.people_verbs_not:
        return None  # 实现4.2万贫困群众脱贫: an outcome reached, no action of theirs
    if before is not None and start - before.start() >= r.action_min_chars:
        s, e = before.start(), start
    elif (
        r.action_verbs.match(text, end, stop)
        or (before is not None and before.end() >= start - 1)
        or (kind == "sessions" and text[start:end].endswith(r.frequency_units))
    ):
        s, e = end, stop  # 4次降低存款准备金率; 解决6434万农村人口饮水安全问题
        if before is not None and not text[end:stop].strip("，。；、 "):
            if kind == "money" and before.group() in r.payment_verbs:
                return None  # 省财政厅拨付86万元: who paid, no action's name
            s, e = left, start  # nothing after it: the clause names it (紧急转移安置…人次)
            s += len(text[s:e]) - len(strip_period(text[s:e]))  # (全年起诉…人: 起诉)
        elif before is not None and before.end() >= start - 1 and kind == "money":
            min_chars = r.object_min_chars  # 发放200亿元补贴
    elif (
        kind in r.subject_kinds
        and (verb := r.people_verbs.search(text, end, min(stop, end + r.people_verb_gap)))
        and not (kind == "participants" and verb.group().startswith(r.people_verbs_not))
        and text[verb.end() : verb.end() + 1] != "的"  # …地方实施的审批事项: a modifier
        and text[verb.start() - 1 : verb.start()] != "的"  # …八项行动的落实: a noun
        and not text.startswith(r.verb_nouns, verb.end())  # 12个矛盾纠纷调处中心: a body
    ):
        s, e = verb.start(), stop  # 为1700多万困难和重度残疾人发放生活或护理补贴
    else:
        return None
    e = _without_fillers(text, s, e)
    if s >= end and text[s:e].rstrip("，。；、 ").endswith(r.outcome_ends):
        return None  # 实现20个贫困村退出: an outcome reached, no action
    if text[s:e].endswith(r.action_not_ending):
        return None  # 办理业务量120745笔: a volume of work, no action
    if text.startswith(r.case_verbs, s):
        min_chars = min(min_chars, 2)  # 起诉1.5万人, 审结35773件: the bare verb names it
    if e - s < min_chars or any(ch.isdigit() for ch in text[s:e]):
        return None
    return TextMatch(s, e, text[s:e])


def _without_fillers(text: str, s: int, e: int) -> int:
    """``e`` moved back over the filler words (``action_fillers``) and spaces ``text[s:e]``
    ends in."""
    fillers = rules().action_fillers
    while e > s:
        if text[e - 1].isspace():
            e -= 1
            continue
        filler = next((f for f in fillers if text.endswith(f, s, e)), None)
        if filler is None:
            return e
        e -= len(filler)
    return e


def as_event(found: TextMatch) -> EventMatch:
    """A phrase found by a clause rule (a light verb's object, a part, a project, a listed
    item) as an event, typed by its words."""
    return EventMatch(found.start, found.end, found.text, event_type(found.text, ""))


def light_object(text: str, left: int, start: int) -> TextMatch | None:
    """The object of a light verb (开展, 组织, 举办…) right before a figure at ``start``
    in the clause from ``left`` (开展普法巡讲24次: 普法巡讲), unless generic; else None."""
    r = rules()
    light = r.light_object.search(text, left, start)
    if light is None or is_generic(light.group("object")):
        return None
    if r.light_object_not.match(light.group("object")):
        return None  # 组织全县420名干部观看…: a scope, no activity
    return TextMatch(light.start("object"), light.end("object"), light.group("object"))


def acts_before(
    text: str,
    left: int,
    start: int,
    end: int,
    right: int,
    continued: str = "",
    continued_type: str = "",
) -> bool:
    """True where the clause ``[left, right)`` of a figure ``[start, end)`` states an action
    of its own: an action verb before the figure with an object, between them or after the
    figure (增发1万亿元国债支持…). A verb with no object continues the clause before
    (…工程740万套，基本建成511万套), and so does a verb that names the activity
    ``continued`` again (…等培训活动80余场次，培训农民6000余人次) or one of its kind
    ``continued_type`` (举办…研修班2期，培训学员120名); a verb phrase ending in 的 right
    before the figure only qualifies the thing counted (已经完成整改的0个)."""
    if text[left:start].rstrip().endswith("的"):
        return False
    verbs = list(rules().action_verbs.finditer(text, left, start))
    if not verbs:
        return False
    verb = verbs[-1]
    if continued and verb.group() in continued:
        return False
    if (
        continued_type not in ("", "other")
        and rules().head_type.get(verb.group()) == continued_type
    ):
        return False
    return bool(text[verb.end() : start].strip() or text[end:right].strip("，。；、 "))


def _beneficiaries(
    text: str, left: int, right: int, start: int, end: int, r: _Rules
) -> TextMatch | None:
    """What reached the people a figure counts: the clause's words before 惠及, or the
    clause before a clause that ends in 受益."""
    verb = r.benefit_before.search(text, left, start)
    if verb is not None and verb.start() - left >= r.action_min_chars:
        return _phrase(text, left, verb.start())
    if verb is not None and not text[left : verb.start()].strip() and left > 0:
        # 惠及 opens its clause: those the clause before reached (…实现跨省直接结算，惠及…)
        prev_left, _ = clause_bounds(text, left - 1, left - 1)
        return _phrase(text, prev_left, left - 1)
    if r.benefit_after.search(text[end:right]) and left > 0:
        prev_left, _ = clause_bounds(text, left - 1, left - 1)
        return _phrase(text, prev_left, left - 1)
    return None


def _phrase(text: str, s: int, e: int) -> TextMatch | None:
    while s < e and (text[s].isspace() or text[s] in "，、"):
        s += 1
    if e - s < rules().action_min_chars or any(ch.isdigit() for ch in text[s:e]):
        return None
    return TextMatch(s, e, text[s:e])


def clause_subject(
    text: str, left: int, start: int, figure: str = "", kind: str = ""
) -> TextMatch | None:
    """The subject of a clause that states a measure of it right before its figure
    (``全国财政收入突破…``: 财政收入), or None where the subject is a counted thing or a
    measure (贫困人口, 参与人数), generic, a span of time, or opens with a verb. A
    ``figure`` that opens with its measure verb (突破18万亿元) needs none before it. A
    count's subject is the thing it counts (新登记注册市场主体达到…户): never its event."""
    r = rules()
    if kind == "count":
        return None
    while left < start and (text[left].isspace() or text[left] in "，、（"):
        left += 1
    m = r.clause_subject.match(text[left:start])
    if m is None or (m.group("verb") is None and not figure.startswith(r.measure_prefixes)):
        return None
    phrase = m.group("event").strip()
    if (
        len(phrase) < 2
        or r.subject_adverbs.fullmatch(phrase)
        or r.subject_time.match(phrase)
        or any(w in phrase for w in r.subject_not_holding)
        or (kind != "money" and any(w in phrase for w in r.subject_counted))
        or phrase.endswith(r.subject_not_ending)
        or is_generic(phrase)
        or r.action_verbs.match(phrase)
        or any(phrase.startswith(w) for w in r.stops if len(w) > 1)
        or phrase.startswith(r.subject_not_starting)
        or phrase in r.subject_not_exact
    ):
        return None
    s = left + m.start("event") + (len(m.group("event")) - len(m.group("event").lstrip()))
    return TextMatch(s, s + len(phrase), phrase)


def colon_title(text: str, start: int) -> TextMatch | None:
    """The name a sentence opens with before a colon (二、困难学生生活补助：520人), for a figure at
    ``start`` after that colon; None where the name is generic, a statistic, or a report's
    own label or lead-in (工作实绩, 主要预期目标是: ``colon_title_not``)."""
    m = rules().colon_title.match(text)
    if m is None or m.end() > start:
        return None
    phrase = m.group("event").strip()
    if (
        len(phrase) < 2
        or is_generic(phrase)
        or rules().colon_title_not.search(phrase)
        or statistic_end(text, m.start("event"), m.end())
    ):
        return None
    s = m.start("event") + (len(m.group("event")) - len(m.group("event").lstrip()))
    return TextMatch(s, s + len(phrase), phrase)


def service_given(text: str, left: int, start: int, kind: str) -> TextMatch | None:
    """For people counted right after a noun phrase of the service they were given, with no
    verb (失能老人居家照护260人), that phrase; else None."""
    r = rules()
    if kind != "participants":
        return None
    left = max(left, text.rfind("、", left, start) + 1)
    while left < start and (text[left].isspace() or text[left] in "，,；;、（("):
        left += 1
    phrase = strip_period(text[left:start])
    s = start - len(phrase)
    if not (3 <= len(phrase) <= 20) or not phrase.endswith(r.service_nouns):
        return None
    if any(ch.isdigit() or ch in "，。；：“”（）()" for ch in phrase) or is_generic(phrase):
        return None
    return TextMatch(s, start, phrase)


def measured_activity(text: str, left: int, action: TextMatch) -> TextMatch | None:
    """Where an action phrase ends in a measure of itself (接待批次, 接待人次), the activity
    measured: the clause from ``left`` up to the measure (国内公务接待); else None."""
    r = rules()
    measure = next((m for m in r.counted_measures if action.text.endswith(m)), None)
    if measure is None:
        return None
    end = action.end - len(measure)
    while left < end and (text[left].isspace() or text[left] in "，,；;、："):
        left += 1
    start = min(left, action.start) if left < end else action.start
    if end - start < 2:
        return None
    return TextMatch(start, end, text[start:end])


def is_held(text: str, phrase: EventMatch) -> bool:
    """True where a holding verb (开展, 实施…: ``held_verbs``) stands right before ``phrase``
    in ``text``, or the phrase names an activity by its head (…活动, …行动): an activity
    held, not a programme or thing named."""
    r = rules()
    return text.endswith(r.held_verbs, max(0, phrase.start - 4), phrase.start) or any(
        phrase.text.endswith(head) for head in r.modified_heads
    )


def is_cut(phrase: str) -> bool:
    """True where a phrase found by its clause is cut short of a name: it ends in a
    conjunction (…实验室和, …预案和: the figure after it opens a conjunct of its own) or
    holds a book title's close without its open (…办法》《…》等)."""
    r = rules()
    if phrase.endswith(r.conjunctions):
        return True
    close = phrase.find("》")
    return close >= 0 and "《" not in phrase[:close]


def names_bare_money(action: str) -> bool:
    """True where an action is a verb and a bare money word (募集资金, 完成投资): it names no
    action of its own."""
    return object_of(action) in rules().money_objects


def object_of(phrase: str) -> str:
    """An action phrase without the action verb it opens with (完成投资: 投资)."""
    m = rules().action_verbs.match(phrase)
    return phrase[m.end() :] if m else phrase


def ends_in_verb(phrase: str) -> bool:
    """True where a phrase ends in an action verb (今年先发行): a verb with no object."""
    return any(m.end() == len(phrase) for m in rules().action_verbs.finditer(phrase))


def is_effect(action: TextMatch) -> bool:
    """True where an action opens with an effect verb (降低企业税负): what a policy achieved."""
    return action.text.startswith(rules().effect_verbs)


def part_name(text: str, left: int, start: int) -> TextMatch | None:
    """The part a clause opened by 其中 names before its figure (其中减免社保费…), or None
    where it names none, or only a measure, a statistic, a generic word or a prize grade."""
    r = rules()
    m = r.part_opening.match(text[left:start])
    if m is None:
        return None
    phrase = m.group("event").strip()
    if (
        len(phrase) < 2
        or is_generic(phrase)
        or phrase.endswith(r.subject_not_ending)
        or any(w in phrase for w in r.subject_not_holding + r.subject_counted)
        or phrase.endswith(r.part_not_ending)
    ):
        return None
    s = left + m.start("event")
    return TextMatch(s, s + len(phrase), phrase)


def opening_object(text: str, left: int = 0, start: int = 0) -> TextMatch | None:
    """The object of the policy verb a sentence's first clause is (加快推进新型城镇化，…:
    新型城镇化), else of the clause right before the figure's (…，同时设立…基金，首期规模…),
    or None; also None for a figure whose clause ``[left, start)`` before it names an
    organization as its own subject (…公司新签约…)."""
    r = rules()
    m = r.opening_object.match(text)
    if m is None and left > 1:
        # Else the clause right before the figure's, where it is a policy of its own
        # with no figure (…，同时设立国家融资担保基金，首期规模达到…).
        prev, _ = clause_bounds(text, left - 1, left - 1)
        if prev > 0 and not any(ch.isdigit() for ch in text[prev : left - 1]):
            m = r.clause_object.match(text, prev)
    if m is None or is_generic(m.group("topic")):
        return None
    if any(w in text[left:start] for w in r.subject_orgs):
        return None
    return TextMatch(m.start("topic"), m.end("topic"), m.group("topic"))


def opening_topic(text: str) -> TextMatch | None:
    """The topic a sentence opens with (扶贫攻坚力度加大，…), or None."""
    for pattern in rules().opening_topic:
        m = pattern.search(text)
        if m is not None:
            return TextMatch(m.start("topic"), m.end("topic"), m.group("topic"))
    return None


def refers_back(text: str) -> bool:
    """True where a sentence names an activity only by a bare word that refers back to
    the one its paragraph named before (参加比赛, 本次活动, 活动期间)."""
    return points_back(text) or refer_noun(text) is not None


def done_to(text: str, start: int, end: int) -> bool:
    """True where ``text[start:end]``, between a figure after 对 and an event phrase, says
    the event was done to what the figure counts (…进行了, …开展)."""
    return rules().done_to.fullmatch(text, start, end) is not None


def points_back(text: str) -> bool:
    """True where ``text`` holds a word pointing back (此次活动, 活动现场, 参加比赛); unlike
    ``refers_back``, a bare noun opening it (行动以来) is none."""
    return rules().refer_back.search(text) is not None


def entered_contest(
    text: str, left: int, prize: EventMatch, candidates: list[EventMatch]
) -> EventMatch | None:
    """The competition an earlier clause says was entered (参加…大赛), where the event
    before an award figure in its own clause only names the prize (获…选拔赛三等奖): the
    phrase comes right after a prize verb. None otherwise."""
    r = rules()
    if not text[left : prize.start].endswith(r.prize_verbs):
        return None
    for e in reversed(candidates):
        if e.end > left or e.type != "competition":
            continue
        clause_left = text.rfind("，", 0, e.start) + 1
        if r.entered_verbs.search(text, clause_left, e.start):
            return e
    return None


def names_funds_only(before: str) -> bool:
    """True where a clause names nothing before its money but generic funds (补助资金,
    共计, 金额为)."""
    r = rules()
    words = r.fund_filler.sub("", before.strip(" ，、"))
    return not words or is_generic(words)


_AMOUNT_END = regex.compile(r"\d\s*(?:万亿|亿|万|千)?\s*元\s*[，,；;、]\s*$")
_LIST_OPENING = regex.compile(
    r"(?:其中|具体为|具体是|包括|分别为|主要为|主要是|主要包括)\s*[：:]\s*$"
)


def opens_list(text: str, left: int) -> bool:
    """True where the text before ``left`` opens a list of amounts (其中：, 具体为：)."""
    return _LIST_OPENING.search(text, max(0, left - 8), left) is not None


def ends_in_amount(text: str, left: int) -> bool:
    """True where the clause before ``left`` ends in an amount of money (…620万元，)."""
    return _AMOUNT_END.search(text, max(0, left - 24), left) is not None


def item_name(text: str, left: int, start: int) -> TextMatch | None:
    """The name a list item gives its money where the clause is that name and the amount
    alone (其中：河道清淤工程620万元，河道清淤整治180万元): the name, or None where the
    clause says more (a verb, a role or a change: 比上年增加…) or names nothing specific."""
    r = rules()
    m = r.item_name.match(text, left, start)
    if m is None:
        return None
    s, e = m.span("event")
    phrase = text[s:e]
    if (
        is_generic(phrase)
        or r.item_not.search(phrase)
        or phrase.startswith(r.subject_not_starting)
        or any(phrase.startswith(w) for w in r.stops if len(w) > 1)
        or r.action_verbs.search(phrase)
    ):
        return None
    return TextMatch(s, e, phrase)


def continuing_ends() -> tuple[str, ...]:
    """Marks ending a sentence piece that the next piece goes on from (；)."""
    return tuple(rules().continuing_ends)


def introduces(text: str) -> bool:
    """True where a sentence opens a list item and names what the item is about (not a
    programme's heading: ``names_programme``)."""
    return rules().introduction.match(text) is not None and not names_programme(text)


def names_programme(text: str) -> bool:
    """True for a heading naming a programme carried out ((一)大力实施创新引领行动): a field
    of work, no activity of the figures under it."""
    return rules().programme_heading.match(text.strip()) is not None


def ends_sentence(text: str, end: int) -> bool:
    """True where only closing punctuation follows ``end`` in a sentence."""
    return all(not ch.isalnum() for ch in text[end:])


def sums_up(text: str) -> bool:
    """True where a sentence opens as a total over a period (全年发放…, 累计…): no report
    on the activity named before it."""
    return text.startswith(rules().period_openings)


def states_own_item(item: str) -> bool:
    """True where a 、-item's words before its figure state a thing done of their own
    (…助餐服务860人次、适老化改造42户): at least ``_ITEM_MIN_HAN`` Han characters and no
    word of attendance (…讲座12场、参与群众3000人次 speaks of the lecture)."""
    han = sum(1 for ch in item if is_han(ch))
    return han >= _ITEM_MIN_HAN and rules().item_attendance.search(item) is None


_ITEM_MIN_HAN = 4


# Marks and joining words a clause may open with before its action (，同时…, 还…, 累计…).
_JOINING = "，,；;、 并还同时共累计"


def strip_joining(clause: str) -> str:
    """A clause's words without the marks and joining words it opens with (，同时发放…: 发放…)."""
    return clause.lstrip(_JOINING)


def strip_recipient(clause: str) -> str:
    """A clause's words without the recipient it opens with (向居民发放…, 为群众提供…: 发放…,
    提供…) and the joining words before (，同时, 还)."""
    clause = strip_joining(clause)
    m = rules().recipient_opening.match(clause)
    return clause[m.end() :] if m is not None else clause


def continues_list(item: str) -> bool:
    """True where the text of a ``、``-item before its figure only names another thing of
    the same list or the next stage (行政案件, 宣传品, 竣工): no activity of its own. An item
    that opens by making something (、新增卫生室3家) counts what there is now instead."""
    r = rules()
    return r.list_item.fullmatch(item) is not None and not item.startswith(r.created_verbs)


def hands_out(action: str) -> bool:
    """True where an action phrase hands out, puts up or shows something (发放宣传资料,
    悬挂横幅): a campaign's output, not an event of its own where one was named."""
    return strip_period(action).lstrip("共").startswith(rules().handout_verbs)


def reports_on(text: str) -> bool:
    """True where a sentence opens as a report on what was just described (据统计，…)."""
    return rules().report_opening.match(text) is not None


def opens_enumeration(text: str) -> bool:
    """True for the first item of an enumeration (一是…, 首先…)."""
    return rules().list_first.match(text) is not None


def continues_enumeration(text: str) -> bool:
    """True for a later item of an enumeration (二是…, 其次…)."""
    return rules().list_next.match(text) is not None


def insurance_of(text: str, left: int, start: int) -> TextMatch | None:
    """The insurance a clause ``[left, start)`` names right before the people enrolled in it
    (城乡居民养老保险参保64.5万人), or None."""
    item = max(left, text.rfind("、", left, start) + 1)
    m = rules().insurance_enrolled.search(text, item, start)
    if m is None or m.end() != start:
        return None
    return TextMatch(m.start("event"), m.end("event"), m.group("event"))


def money_purpose(text: str, end: int, right: int) -> TextMatch | None:
    """What a money figure ending at ``end`` is spent on, named right after it up to its
    clause's end ``right`` (投入180万元实施防贫保险: 防贫保险), or None."""
    m = rules().money_purpose.match(text, end, right)
    if m is None:
        return None
    return TextMatch(m.start("event"), m.end("event"), m.group("event"))


def houses(phrase: str, unit: str | None) -> bool:
    """True where ``phrase`` names a housing programme and ``unit`` counts dwellings
    (安居富民工程, 万户): the dwellings it built are its figures."""
    r = rules()
    return unit in r.dwelling_units and any(w in phrase for w in r.housing_words)


def lists_examples(phrase: str) -> bool:
    """True for an action phrase that names examples of what its count counts (引进…等)."""
    return phrase.endswith(rules().examples_ending)


def is_payment(phrase: str) -> bool:
    """True for a phrase naming money handed out by what it is (慰问金, 慰问品和慰问金)."""
    return phrase.endswith(rules().payment_nouns)


def tells_source(text: str) -> bool:
    """True for a sentence telling where the report was learned (这是记者从…会议上获悉的):
    the occasion of the telling, no activity of the figures after it."""
    return rules().report_source.search(text) is not None


def source_spans(text: str) -> list[tuple[int, int]]:
    """Where a sentence tells where its report was learned (记者从…会议上获悉，…): no event
    phrase there is an activity of the sentence's figures."""
    return [m.span() for m in rules().report_source.finditer(text)]


def pointed_kind(text: str) -> str | None:
    """The kind a pointer near the sentence's start names (此次宣传活动… → 宣传活动; 在本次
    集中宣传活动中 → 集中宣传活动), or None where the pointer names none or there is none."""
    m = rules().pointer_kind.search(text, 0, 24)
    return m.group("kind") if m is not None else None


def statistic_end(text: str, left: int, start: int) -> int | None:
    """Where the last statistic of a place's economy named in the clause ``[left, start)``
    before a figure ends (全区实现地区生产总值…, 固定资产投资完成…), or None."""
    found = list(rules().statistics.finditer(text, left, start))
    return found[-1].end() if found else None


def counted_subject(text: str, left: int, start: int) -> TextMatch | None:
    """The things a clause ``[left, start)`` opens by counting and then measures (32个市级项目
    完成投资…: 市级项目), or None."""
    m = _counted(text, left, start)
    if m is None:
        return None
    return TextMatch(left + m.start("event"), left + m.end("event"), m.group("event"))


def _counted(text: str, left: int, start: int) -> regex.Match[str] | None:
    """The match of ``counted_subject`` over the clause ``[left, start)``, unless generic."""
    m = rules().counted_subject.match(text[left:start])
    return None if m is None or is_generic(m.group("event")) else m


def opens_serving(text: str, left: int, start: int) -> bool:
    """True where the clause ``[left, start)`` before a figure only opens by serving (全年为…,
    累计为…): the people after 为 are whom the clause's own service reached."""
    return rules().serving_opening.fullmatch(text[left:start].strip()) is not None


def counts_measured(text: str, left: int, start: int, right: int) -> bool:
    """True for a count at ``start`` that opens its clause ``[left, right)`` and whose things
    the clause then measures (32个市级项目完成投资…亿元): how many there were, no event's."""
    i = start  # the next figure's start, after the count's own digits
    while i < right and (text[i].isdigit() or text[i] == "."):
        i += 1
    nxt = next((j for j in range(i, right) if text[j].isdigit()), None)
    m = _counted(text, left, nxt) if nxt is not None else None
    return m is not None and left + m.start("count") == start


def revenue_named(text: str, left: int, start: int) -> TextMatch | None:
    """The revenue a money figure's clause ``[left, start)`` ends by naming (财政总收入18.6
    亿元, 地方财政收入完成…): the revenue line, its event."""
    m = rules().revenue.search(text, left, start)
    if m is None and left > 0:
        # 全口径财政收入五年年均增长9%，达到840亿元: the revenue and its rate in the clause before
        before = clause_bounds(text, left - 1, left - 1)[0]
        rate = rules().revenue_over_rate.search(text, before, start)
        m = rules().revenue.search(text, before, rate.start()) if rate is not None else None
    if m is None:
        return None
    return TextMatch(m.start("event"), m.end("event"), m.group("event"))


def restates(text: str, start: int, end: int) -> bool:
    """True where the clause of a figure ``[start, end)`` is only a verb of measure and the
    figure (…突破50亿元，达到52.3亿元): the figure says again what the clause before
    measured. Words after the figure make the verb another (为60名学员安排了岗位: 为 serves)."""
    left, right = clause_bounds(text, start, end)
    if text[end:right].strip("，,；;。 "):
        return False
    return text[left:start].strip("，,；; ") in rules().restating_verbs


def measures_back(text: str, left: int, start: int) -> bool:
    """True where the clause ``[left, start)`` before a figure names only a measure of what
    the clause before did (…，资助金额36万元; …，完成年度目标任务5000人次): the figure is that
    activity's."""
    clause = text[left:start].strip("，,；;（( ")
    return bool(clause) and rules().measure_back.fullmatch(clause) is not None


def reaches_level(text: str, left: int, start: int) -> bool:
    """True where ``text[left:start]`` is only a thing and the level it reached (信用村增加到):
    the count after it says how many there are now."""
    while left < start and text[left] in "，,；;、 ":
        left += 1
    return rules().level_reached.fullmatch(text, left, start) is not None


def from_to_start(text: str, left: int, start: int) -> int | None:
    """Where the frame ``由…增加到`` opens, for a figure at ``start`` that is its first or
    second term (规上企业由200家增加到260家), in the clause from ``left``; else None."""
    m = rules().from_to.search(text, left, start)
    return m.start() if m is not None else None


def strip_period(text: str) -> str:
    """``text`` without the period words it opens with (全年新增…: 新增…)."""
    openings = rules().period_openings
    changed = True
    while changed:
        changed = False
        for w in openings:
            if text.startswith(w):
                text, changed = text[len(w) :], True
    return text


def problem_solved(text: str, end: int, right: int | None = None) -> TextMatch | None:
    """The problem a people figure ending at ``end`` is followed by as solved (…万群众的饮水
    问题得到解决: 群众的饮水问题), up to ``right``, or None."""
    m = rules().problem_solved.match(text, end, len(text) if right is None else right)
    return TextMatch(m.start("event"), m.end("event"), m.group("event")) if m else None


def is_case_work(action: TextMatch | None) -> bool:
    """True where an action opens with a verb of case work (起诉…, 审结…, 判处…)."""
    return action is not None and action.text.startswith(rules().case_verbs)


def fund_drawn(text: str, left: int, start: int) -> TextMatch | None:
    """The fund a money figure's clause ``[left, start)`` says it was drawn from (从…基金
    调入…亿元), or None."""
    m = rules().fund_drawn.search(text, left, start)
    return TextMatch(m.start("event"), m.end("event"), m.group("event")) if m else None


def is_population(counted: str | None) -> bool:
    """True where a count's object is the people living in a place (14亿多人口): a
    statistic, no activity's figure."""
    return counted is not None and counted in rules().populations


def creates(action: str) -> bool:
    """True where an action is the making of what its figure counts (新建乡镇食堂…个, 先后
    印发…规划)."""
    r = rules()
    for adverb in r.making_adverbs:
        if action.startswith(adverb):
            action = action[len(adverb) :]
            break
    return action.startswith(r.created_verbs)


def refer_noun(text: str) -> str | None:
    """The bare noun a sentence opens with to name what its paragraph named before
    (工程共新建…: the 工程 just named; 培训以案例教学为主), or None."""
    m = rules().refer_noun.match(text)
    return m.group("noun") if m is not None else None


def project_before(text: str, left: int, start: int) -> TextMatch | None:
    """The project a clause ``[left, start)`` speaks of again where it opens with a measure
    of it (…承担…道路提档改造任务，总投资860万元，涉及5个行政村): the last project the
    sentence names before the clause, or None."""
    r = rules()
    while left < start and text[left] in "，,；; ":
        left += 1
    if not r.project_back.match(text, left, start):
        return None
    found = None
    for m in r.project_named.finditer(text, 0, left):
        found = m
    if found is None:
        return None
    return TextMatch(found.start("project"), found.end("project"), found.group("project"))


def respective_items(text: str, cue_start: int) -> list[TextMatch]:
    """The items a 分别 at ``cue_start`` distributes its figures over: the 、-list that
    ends right before it or before the comma before it (用于宣传、建设、培训等，分别5、3、2
    万元), each without the verb opening the list or the 等 closing it; [] where none."""
    r = rules()
    m = None
    end = cue_start
    for _ in range(2):  # the clause of 分别, then the one before it
        while end > 0 and text[end - 1] in "，, ":
            end -= 1
        if end == 0:
            return []
        left, _ = clause_bounds(text, end - 1, end - 1)
        m = r.respectively.search(text, left, end)
        if m is None or m.end() != end:
            m = r.respectively_pair.search(text, left, end)
        if m is not None and m.end() == end:
            break
        m, end = None, left
    if m is None:
        return []
    out: list[TextMatch] = []
    pos = m.start()
    if "、" in m.group():
        pieces = m.group().split("、")
    else:  # two items joined by 和/及/与
        pieces = regex.split("和|及|与", m.group(), maxsplit=1)
    for piece in pieces:
        s, e = pos, pos + len(piece)
        pos = e + 1
        lead = r.item_prefix.match(text, s, e)
        if lead is not None:
            s = lead.end()
        while e > s and text[e - 1] in "等和及 ":
            e -= 1
        if e - s < 2:
            return []
        out.append(TextMatch(s, e, text[s:e]))
    return out


def distributes(text: str, cue_end: int, start: int) -> bool:
    """True where the words between 分别 and its first figure only say what the figures
    are (分别为…, 分别增加…), so the figures are the items'; a verb with an object (分别举办
    讲座…) makes them figures of that action."""
    return rules().respectively_gap.fullmatch(text, cue_end, start) is not None


def judges(text: str) -> bool:
    """True where a sentence reports a contest's judging (…评定出一等奖…名, 共决出…)."""
    return rules().judged.search(text) is not None


def award_only_type() -> str:
    """The type given to an event whose only figures are awards (not a competition)."""
    return rules().award_only_type


def money_only_type() -> str:
    """The type given to an event whose only figures are money (a budget line)."""
    return rules().money_only_type


def find_dates(text: str, year: int | None) -> list[DateMatch]:
    """Dates in ``text``; a year not written is ``year`` (the report's own)."""
    r = rules()
    found: list[DateMatch] = []
    for pattern, template in r.dates:
        for m in pattern.finditer(text):
            if any(m.start() < d.end and d.start < m.end() for d in found):
                continue
            if text[: m.start()].endswith(r.date_not_after):
                continue
            value = _date_value(m, template, year)
            if value is not None:
                found.append(DateMatch(m.start(), m.end(), m.group(), value))
    found.sort(key=lambda d: d.start)
    return found


def _date_value(m: regex.Match[str], template: str, year: int | None) -> str | None:
    groups = m.groupdict()
    y = groups.get("y") or (str(year) if year else None)
    if y is None:
        return None
    parts: dict[str, str] = {"y": y, "y_next": str(int(y) + 1)}
    if groups.get("y2"):
        parts["y2"] = groups["y2"]
    for key in ("m", "d", "m2", "d2"):
        val = groups.get(key)
        if val is not None:
            num = int(val)
            if (key.startswith("m") and not 1 <= num <= 12) or (
                key.startswith("d") and not 1 <= num <= 31
            ):
                return None
            parts[key] = f"{num:02d}"
    try:
        return template.format(**parts)
    except KeyError:
        return None


def find_locations(text: str) -> list[TextMatch]:
    """Places where an activity was held: ``在<place>开展/举行…``."""
    r = rules()
    out = []
    for m in r.location.finditer(text):
        loc = m.group("loc")
        if loc.endswith(r.place_words):
            out.append(TextMatch(m.start("loc"), m.end("loc"), loc))
    return out


def find_organizers(text: str) -> list[TextMatch]:
    """Bodies that organized or partnered: ``联合A、B等N个部门``, ``由A主办``."""
    r = rules()
    out: list[TextMatch] = []
    for pattern in r.organizers:
        for m in pattern.finditer(text):
            start = m.start("orgs")
            chunk = m.group("orgs")
            drop = r.org_drop.search(chunk)
            if drop:
                chunk = chunk[: drop.start()]
            pos = 0
            for piece in r.org_split.split(chunk):
                offset = chunk.find(piece, pos)
                pos = offset + len(piece)
                name = piece.strip()
                if len(name) >= 2 and not any(ch.isdigit() for ch in name):
                    s = start + offset
                    if not any(o.start < s + len(piece) and s < o.end for o in out):
                        out.append(TextMatch(s, s + len(piece), piece))
    out.sort(key=lambda o: o.start)
    return out
