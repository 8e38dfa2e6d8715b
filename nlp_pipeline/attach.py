"""Attach: the event phrase of its sentence that a figure belongs to.

``attach`` takes a sentence's text, one figure (from quantities) and the sentence's
event phrases (from events) and returns the phrase the figure belongs to, or None.
It tries the rules ``patterns/attach.yaml`` lists, in that order, each for the kinds
of figure the file gives it; the first rule that names a phrase wins. The file also
holds an example of each rule and the sentence examples (each figure of a sentence
with the event it takes) that the pattern tests run. A rule is a small function here
over the figure's ``Scene``: its clause and its ``、``-item, and the phrases before
and after it there and in the sentence.

``attach_line`` does the same for money and the budget lines a sentence names.
What no rule attaches is the records stage's to give a topic, a title or none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

import regex

from . import events, patterns
from .quantities import QuantityMatch, clause_bounds

__all__ = [
    "RULES",
    "Scene",
    "attach",
    "attach_line",
    "breakdown_aside",
    "decide",
    "list_item",
    "rules",
]


class Scene:
    """One figure in its sentence, with what the rules look at, worked out when asked."""

    def __init__(
        self,
        text: str,
        q: QuantityMatch,
        candidates: Iterable[events.EventMatch],
        active: Iterable[events.EventMatch],
        busy: Collection[events.EventMatch],
    ) -> None:
        self.text = text
        self.q = q
        cands = list(candidates)
        if "（" in text or "(" in text:
            # An activity named inside an aside (接待22批次（其中外事接待1批次），230人次) is no
            # event of the figures outside it.
            cands = _outside_asides(text, q, cands)
        self.left, self.right = clause_bounds(text, q.start, q.end)
        self.item_left = text.rfind("、", self.left, q.start) + 1
        if (
            self.item_left > self.left
            and q.kind != "award"  # 评选…“排头兵”20人、…团队10家: one rating's list
            and any(ch.isdigit() for ch in text[self.left : self.item_left])
            and events.states_own_item(text[self.item_left : q.start])
        ):
            # …助餐服务860人次、适老化改造42户: an earlier item with a figure of its own
            # keeps its event
            cands = [e for e in cands if not (self.left <= e.start and e.end <= self.item_left)]
        self.cands = cands
        self.active = active
        self.busy = busy

    @cached_property
    def same(self) -> list[events.EventMatch]:
        """The phrases of the figure's clause."""
        return [e for e in self.cands if e.start >= self.left and e.end <= self.right]

    @cached_property
    def before_same(self) -> list[events.EventMatch]:
        """The phrases before the figure in its clause; in a list whose item states its
        own action (发放手册2000份、健康义诊300人次), those of its own item only."""
        text, q = self.text, self.q
        found = [e for e in self.same if e.end <= q.start]
        if self.item_left > self.left and events.acts_before(
            text, self.item_left, q.start, q.end, self.right
        ):
            found = [e for e in found if e.start >= self.item_left]
        return found

    @cached_property
    def after_same(self) -> list[events.EventMatch]:
        """The phrases after the figure in its clause, not past another item of a list
        (unless it sums the list up: …等活动)."""
        text, q = self.text, self.q
        after = [e for e in self.same if e.start >= q.end]
        return [
            e
            for e in after
            if "、" not in text[q.end : e.start]
            or "等" in text[q.end : e.start]
            # 4个单位、5名个人被表彰为…: the subjects of one passive verb share its honour
            or (q.kind == "award" and "被" in text[q.end : e.start])
        ]

    @cached_property
    def before(self) -> list[events.EventMatch]:
        """The ``active`` phrases before the figure in the sentence (one whose clause
        holds a figure, or that comes before the sentence's first figure)."""
        allowed = set(self.active)
        return [e for e in self.cands if e.end <= self.q.start and e in allowed]

    @cached_property
    def blocked(self) -> bool:
        """True where the nearest active phrase before is ``busy`` (its clause has figures
        of its own) and the figure's own clause states something of its own: an action
        by a verb, a subject, a list item's name, or a count that opens it."""
        text, q, left = self.text, self.q, self.left
        if not self.before or self.before[-1] not in self.busy:
            return False
        last = self.before[-1]
        return bool(
            events.acts_before(text, left, q.start, q.end, self.right, last.text, last.type)
            or events.clause_subject(text, left, q.start, q.text, q.kind) is not None
            or list_item(text, q, left) is not None
            or (q.kind == "count" and last.end <= left and _opens_clause(text, left, q))
        )


Rule = Callable[[Scene], "events.EventMatch | None"]

# What a rule returns to say the figure takes none of the sentence's phrases (its own
# clause names what it is of, which the records stage reads): no later rule is tried.
OWN_CLAUSE = events.EventMatch(-1, -1, "", "other")


def _named_right_after(s: Scene) -> events.EventMatch | None:
    """2场学术交流活动, 300人的培训: the activity named right after a count of it."""
    for e in s.after_same:
        if e.start <= s.q.end + 1 and s.text[s.q.end : e.start] in ("", "的"):
            return e
    return None


def _contest_entered(s: Scene) -> events.EventMatch | None:
    """参加…大赛，获华东赛区选拔赛三等奖2人次: the contest entered, not the round's name."""
    if not s.before_same:
        return None
    return events.entered_contest(s.text, s.left, s.before_same[-1], s.cands)


def _done_to(s: Scene) -> events.EventMatch | None:
    """对全市10处教育基地进行提档升级: what was done to the things counted."""
    if (
        s.after_same
        and "对" in s.text[s.left : s.q.start]
        and events.done_to(s.text, s.q.end, s.after_same[0].start)
    ):
        return s.after_same[0]
    return None


def _nearest_before_in_clause(s: Scene) -> events.EventMatch | None:
    """举办科普讲座12场: the nearest phrase before the figure in its clause."""
    return s.before_same[-1] if s.before_same else None


def _honour_named_before(s: Scene) -> events.EventMatch | None:
    """评选表彰区级巾帼文明岗8个、三八红旗手15人: the honour the figure's own item names before
    it, ending in an honour's noun (after a conferring verb in the item, or from the item's
    start; a list ending in 等 whole from the verb), where none is named after the figure."""
    text, q = s.text, s.q
    w = _words()
    verbs = list(w.conferring_verbs.finditer(text, s.left, q.start))
    start = max(s.left, s.item_left)
    if verbs and (verbs[-1].end() > start or text[q.start - 1 : q.start] == "等"):
        start = verbs[-1].end()  # …评选…家庭、…家庭等50户: the whole list after the verb
    end = q.start
    while end > start and text[end - 1] in "等的为共计达 ":
        end -= 1
    name = text[start:end].lstrip("，,、 ")
    start = end - len(name)
    if not (2 <= len(name) <= w.honour_max_chars) or any(c.isdigit() for c in name):
        return None
    if not name.endswith(w.honour_nouns) or w.conferring_verbs.search(text, q.end, s.right):
        return None  # …工作者9人获评“…”: the honour is named after the figure
    if (
        events.rules().action_verbs.search(name)
        or any(ch in "，。；：" for ch in name)
        or name.endswith("奖")  # 一等奖5名: the prize's grade, its level
    ):
        return None
    return events.EventMatch(start, end, name, "recognition")


def _light_verb_object(s: Scene) -> events.EventMatch | None:
    """…系统，组织开展全员消防演练3轮: a light verb names the clause's own activity, which
    no phrase of an earlier clause takes."""
    light = events.light_object(s.text, s.left, s.q.start)
    return events.as_event(light) if light else None


def _own_work(s: Scene) -> events.EventMatch | None:
    """开展普法宣传活动，审查规范性文件23件，调解矛盾纠纷215件: a clause that opens with a verb
    of work done case by case (``own_work_verbs``) states an action of its own, not an
    output of an activity named before; a verb the earlier activity names continues it
    (开展安全大检查，检查企业120家)."""
    text, q = s.text, s.q
    left = max(s.left, s.item_left)
    opening = _OWN_WORK_OPENERS.sub("", text[left : q.start])
    verb = _words().own_work_verbs.match(opening)
    if verb is None or opening[verb.end() : verb.end() + 1] in _BODY_SUFFIXES:
        return None  # 检查组共检查…: a body named for the work, not the work
    if any(verb.group() in e.text for e in s.before):
        return None
    action = events.clause_action(text, left, s.right, q.start, q.end, q.kind)
    return events.as_event(action) if action is not None else None


_BODY_SUFFIXES = frozenset("组站员室部队处科股")
_OWN_WORK_OPENERS = regex.compile(
    r"^[\s，,；;、]*(?:全年|年内|今年以来|共|累计|先后|依法|及时|认真|共计)*"
)


@dataclass(frozen=True)
class _Words:
    """The word lists of ``patterns/attach.yaml`` that its rules read."""

    own_work_verbs: regex.Pattern[str]
    conferring_verbs: regex.Pattern[str]
    honour_nouns: tuple[str, ...]
    honour_max_chars: int


@cache
def _words() -> _Words:
    name = "attach"
    data = patterns.load(name)
    return _Words(
        own_work_verbs=patterns.compile_words(
            patterns.require(data, "own_work_verbs", list, name), name, "own_work_verbs"
        ),
        conferring_verbs=patterns.compile_words(
            patterns.require(data, "conferring_verbs", list, name), name, "conferring_verbs"
        ),
        honour_nouns=tuple(patterns.require(data, "honour_nouns", list, name)),
        honour_max_chars=int(data.get("honour_max_chars", 20)),
    )


def _nearest_after_in_clause(s: Scene) -> events.EventMatch | None:
    """5人获评“…”, 36个村开展…活动: the nearest phrase after the figure in its clause."""
    return s.after_same[0] if s.after_same else None


def _title_yields(s: Scene) -> events.EventMatch | None:
    """（三）科普活动开展：12所学校开展…实践活动: a title before a colon yields to the
    clause's own phrase."""
    if not (s.before and s.after_same):
        return None
    title_end = clause_bounds(s.text, s.before[-1].start, s.before[-1].end)[1]
    return s.after_same[0] if s.text[title_end : title_end + 1] in ("：", ":") else None


def _prized_before(s: Scene) -> events.EventMatch | None:
    """…星级评定工作，经过实地评审，评选出一星级15家: the competition or rating before."""
    prized = [e for e in s.before if e.type in _PRIZED]
    return prized[-1] if prized else None


def _active_before(s: Scene) -> events.EventMatch | None:
    """…举办…培训班，培训学员200人: the nearest active phrase before, unless it is busy and
    the figure's clause states something of its own (…新增税费优惠超过2.2万亿元，增发1万亿元
    国债…)."""
    if s.q.kind == "count" and events.counts_measured(s.text, s.left, s.q.start, s.right):
        return None  # …，32个市级项目完成投资…: how many projects, no earlier phrase's figure
    return s.before[-1] if s.before and not s.blocked else None


def _served_in_own_clause(s: Scene) -> events.EventMatch | None:
    """…实施危房改造，为120户低保家庭提供就业帮扶: people a clause opens by serving (为…) take
    the service their own clause names after them, not an earlier clause's."""
    if not events.opens_serving(s.text, s.left, s.q.start):
        return None
    if s.after_same:
        return s.after_same[0]
    # …，为75名高校毕业生落实了岗位: what the clause says it did, no earlier clause's phrase;
    # …，为3.52万户困难家庭送去关爱: no action named, so the activity before may hold them
    q = s.q
    named = events.clause_action(s.text, s.left, s.right, q.start, q.end, q.kind)
    return OWN_CLAUSE if named is not None else None


def _counted_subject(s: Scene) -> events.EventMatch | None:
    """…等项目进展顺利，32个市级项目完成投资150亿元: a money figure whose own clause opens
    with a count of things and measures them (完成投资, 实现…) is those things', not what an
    earlier clause named."""
    found = events.counted_subject(s.text, s.left, s.q.start)
    return events.as_event(found) if found is not None else None


def _own_clause_action(s: Scene) -> events.EventMatch | None:
    """加快专项债券发行使用，分两期投放政策性开发性金融工具7400亿元: where the active phrase
    before stands in an earlier clause of its own, with no figure there, and names a
    programme or thing rather than an activity held (no holding verb before it), a
    figure whose clause states an action by a verb and its object is that action's."""
    if not s.before or s.left == 0:
        return None
    last = s.before[-1]
    if last.end > s.left or last in s.busy or last.type not in _NOT_HELD_TYPES:
        return None
    text = s.text
    if events.is_held(text, last):
        return None  # 开展…行动，…; 深化…实践活动，…: what the activity held did
    action = events.clause_action(text, s.left, s.right, s.q.start, s.q.end, s.q.kind)
    if (
        action is None
        or events.is_effect(action)
        or events.is_generic(action.text)
        or events.ends_in_verb(action.text)
        or events.names_bare_money(action.text)
    ):
        # …，今年先发行1万亿元: a verb with no object names nothing of its own; …项目，完成
        # 投资8.6亿元: a bare money word is the programme's
        return None
    return events.as_event(action)


def _opening_activity(s: Scene) -> events.EventMatch | None:
    """此次活动中，…开展应急演练5场，悬挂横幅40余条: where another clause's busy phrase
    yields, the activity the sentence opened with (one with no figure of its own)."""
    if not s.blocked:  # (blocked holds only where there is an active phrase before)
        return None
    opening = [e for e in s.before if e not in s.busy]
    return opening[-1] if opening else None


def _handed_out_by(s: Scene) -> events.EventMatch | None:
    """开展宣传活动21场，悬挂横幅50余条: what an activity handed out or put up is its output,
    busy or not; after a pointer, the activity pointed to takes it."""
    if not s.blocked:
        return None
    last = s.before[-1]
    text = s.text
    if (
        last.end <= s.left
        and events.hands_out(events.strip_joining(text[s.left : s.q.start]))
        and not events.points_back(text[: last.start])
    ):
        return last
    return None


def _named_forward(s: Scene) -> events.EventMatch | None:
    """联合…等17个部门，举办…活动: in a clause that names partners, the nearest phrase
    after the figure in the sentence."""
    if not events.leads_forward(s.text[s.left : s.right]):
        return None
    after = [e for e in s.cands if e.start >= s.q.end]
    return after[0] if after else None


# The types of an earlier phrase that a clause's own action may stand apart from.
_NOT_HELD_TYPES = frozenset({"project", "other"})

# Every rule attach.yaml may name.
RULES: dict[str, Rule] = {
    "own_clause_action": _own_clause_action,
    "counted_subject": _counted_subject,
    "served_in_own_clause": _served_in_own_clause,
    "honour_named_before": _honour_named_before,
    "named_right_after": _named_right_after,
    "contest_entered": _contest_entered,
    "done_to": _done_to,
    "nearest_before_in_clause": _nearest_before_in_clause,
    "light_verb_object": _light_verb_object,
    "own_work": _own_work,
    "nearest_after_in_clause": _nearest_after_in_clause,
    "title_yields": _title_yields,
    "prized_before": _prized_before,
    "active_before": _active_before,
    "opening_activity": _opening_activity,
    "handed_out_by": _handed_out_by,
    "named_forward": _named_forward,
}

_KINDS = frozenset({"sessions", "participants", "award", "money", "count"})


@dataclass(frozen=True)
class _Step:
    name: str
    rule: Rule
    kinds: frozenset[str]


@cache
def rules() -> tuple[_Step, ...]:
    """The rules of ``patterns/attach.yaml``, in their order."""
    name = "attach"
    data = patterns.load(name)
    order = patterns.require(data, "order", list, name)
    steps: list[_Step] = []
    for i, entry in enumerate(order):

        def problem(message: str, i: int = i) -> patterns.PatternError:
            # where() reads the file again: only for the error
            return patterns.PatternError(f"{patterns.where(name, 'order')}[{i}]: {message}")

        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
            raise problem("each step must be a mapping with a 'rule'")
        rule = RULES.get(entry["rule"])
        if rule is None:
            raise problem(f"unknown rule {entry['rule']!r} ({', '.join(RULES)})")
        kinds = entry.get("kinds", sorted(_KINDS))
        if not isinstance(kinds, list) or not set(kinds) <= _KINDS:
            raise problem(f"'kinds' must list kinds of {sorted(_KINDS)}")
        steps.append(_Step(entry["rule"], rule, frozenset(kinds)))
    return tuple(steps)


def attach(
    text: str,
    q: QuantityMatch,
    candidates: Iterable[events.EventMatch],
    active: Iterable[events.EventMatch] = (),
    busy: Collection[events.EventMatch] = (),
) -> events.EventMatch | None:
    """The event phrase of ``text`` a figure belongs to: the first that a rule of
    ``patterns/attach.yaml`` names, trying them in order; else None.

    ``candidates`` are the sentence's event phrases; ``active`` those whose clause
    holds a figure or that come before the sentence's first figure; ``busy`` those
    whose clause has figures of its own.
    """
    return decide(text, q, candidates, active, busy)[0]


def decide(
    text: str,
    q: QuantityMatch,
    candidates: Iterable[events.EventMatch],
    active: Iterable[events.EventMatch] = (),
    busy: Collection[events.EventMatch] = (),
) -> tuple[events.EventMatch | None, str | None]:
    """``attach``'s phrase with the name of the rule that chose it (None, None where no
    rule names one): why a figure took its event."""
    scene = Scene(text, q, candidates, active, busy)
    for step in rules():
        if q.kind in step.kinds and (found := step.rule(scene)) is not None:
            return (None if found is OWN_CLAUSE else found), step.name
    return None, None


def attach_line(
    text: str,
    q: QuantityMatch,
    activity: events.EventMatch | None,
    lines: list[events.EventMatch],
) -> events.EventMatch | None:
    """The budget line a money figure is, where its sentence names one.

    The line nearest before the figure in its clause, unless an activity stands
    nearer (``开展…活动，经费5万元`` stays the activity's); failing that, for a figure
    whose clause names nothing, the line the sentence's earlier clauses name (the
    subject carried on: ``…支出年初预算为0万元，全年预算为321.02万元``). Other
    figures, and money with no line, keep ``activity``.
    """
    if q.kind != "money" or not lines:
        return activity
    if "（" in text or "(" in text:
        # a line named inside an aside (…985万元（含年初结转结余50万元），…) is none of the
        # figures outside it
        lines = _outside_asides(text, q, lines)
    left, right = clause_bounds(text, q.start, q.end)
    before = [ln for ln in lines if left <= ln.start and ln.end <= q.start]
    if before:
        line = before[-1]
        if activity is None or activity.end <= line.start or activity.start >= q.end:
            return line
        return activity
    if activity is not None:
        return activity
    earlier = [ln for ln in lines if ln.end <= left]
    return earlier[-1] if earlier else None


def list_item(text: str, q: QuantityMatch, left: int) -> events.TextMatch | None:
    """The name of a money figure's list item, where its clause (or 、-item) is a name and
    the amount, and the one before it ends in an amount (…620万元，河道清淤整治180万元)
    or opens the list (具体为：…)."""
    if q.kind != "money":
        return None
    item_left = text.rfind("、", left, q.start) + 1
    if item_left > left:
        left = item_left  # 具体为：医疗补助收入5.50万元、公务员医疗补助12.30万元
    elif left < 2:
        return None
    if not (events.ends_in_amount(text, left) or events.opens_list(text, left)):
        return None
    return events.item_name(text, left, q.start)


def _opens_clause(text: str, left: int, q: QuantityMatch) -> bool:
    """True where the figure is its clause's subject, opening it (…，19个村全部脱贫出列): a
    statement of its own, not one more figure of another clause's activity."""
    return left > 0 and not text[left : q.start].strip(_OPENERS)


_OPENERS = "，,；; 累计共全年又有近超过逾约其中先后"

# The types of event whose prizes an award figure reports, before any nearer event.
_PRIZED = frozenset({"competition", "recognition"})

_ASIDE = regex.compile(r"[（(][^（()）]*[）)]")


def _outside_asides(
    text: str, q: QuantityMatch, found: list[events.EventMatch]
) -> list[events.EventMatch]:
    """``found`` without the phrases inside a bracketed aside that does not hold ``q``."""
    asides = _asides(text)
    return [
        e
        for e in found
        if not any(s <= e.start and e.end <= t and not s <= q.start < t for s, t in asides)
    ]


def breakdown_aside(text: str, q: QuantityMatch) -> int | None:
    """Where the bracketed aside holding ``q`` opens, if it breaks down the figure before it
    (…康复82人（其中，康复训练28人、辅助器具4人）); else None."""
    if "（" not in text and "(" not in text:
        return None
    for s, t in _asides(text):
        if s <= q.start < t and text[s + 1 : t].lstrip().startswith("其中"):
            return s
    return None


@lru_cache(maxsize=64)
def _asides(text: str) -> list[tuple[int, int]]:
    """Bracketed asides of a sentence, brackets included."""
    return [m.span() for m in _ASIDE.finditer(text)]
