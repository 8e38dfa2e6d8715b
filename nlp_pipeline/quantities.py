"""Quantities: find every figure in a sentence and describe it.

Takes a sentence's normalized text and returns ``QuantityMatch``es: span (in
that text), kind, value in base units, unit, qualifier, and the award level,
money role or counted object. Figures are matched with regular expressions on
the normalized text (jieba splits numbers from their units); the clause around
a figure decides its kind and role. All rules come from
``patterns/quantities.yaml`` and ``patterns/numbers.yaml``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import regex

from . import numbers, patterns

CLAUSE_BREAKS = "，。；：！？,;:!?"
_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"'}
_MAX_QUOTED = 40
_OPENING = regex.compile("|".join(regex.escape(k) for k in _QUOTE_PAIRS))
_OBJECT_STOPS = regex.compile(r"[，。；：、（()“”\"《》,;:\d]")
_OBJECT_END = regex.compile(r"[，。；：（()“”\"《》,;:\d]")
# Qualifier and linking words a noun before its number ends with (环保手册超过…, 岗位近…).
_OBJECT_TAIL = regex.compile(
    r"(?:超过|突破|达到|达|近|约|共计|共有|共|累计|合计|总计|逾|超|为|有)+$"
)


@dataclass(frozen=True)
class QuantityMatch:
    start: int
    end: int
    text: str
    kind: str
    value: float
    unit: str
    qualifier: str
    level: str | None = None
    role: str | None = None
    object: str | None = None
    currency: str | None = None


@dataclass(frozen=True)
class _Rules:
    figure: regex.Pattern[str]
    figure_mixed: regex.Pattern[str]
    unit_kind: dict[str, str]
    currencies: dict[str, str]
    multipliers: dict[str, int]
    award_cues: regex.Pattern[str]
    staff_cues: regex.Pattern[str]
    attend_before: regex.Pattern[str]
    attend_after: regex.Pattern[str]
    trained_after: regex.Pattern[str]
    taught_before: regex.Pattern[str]
    issue_cues: regex.Pattern[str]
    award_not: regex.Pattern[str]
    population: regex.Pattern[str]
    household_people: regex.Pattern[str]
    household_served: regex.Pattern[str]
    line_words: frozenset[str]
    fund_names: regex.Pattern[str]
    shared_unit_cue: regex.Pattern[str]
    visit_cues: regex.Pattern[str]
    base_before: regex.Pattern[str]
    sessions_noun: regex.Pattern[str]
    head_count: regex.Pattern[str]
    medal_tally: regex.Pattern[str]
    per_head: regex.Pattern[str]
    change_of_previous: regex.Pattern[str]
    bare_change: regex.Pattern[str]
    medal_levels: dict[str, str]
    presenter_cues: regex.Pattern[str]
    attendee_modifiers: tuple[str, ...]
    participant_nouns: regex.Pattern[str]
    sessions_after: tuple[str, ...]
    sessions_before: regex.Pattern[str]
    person_units: frozenset[str]
    award_units: frozenset[str]
    levels: regex.Pattern[str]
    role_cues: regex.Pattern[str]
    role_of: dict[str, str]
    carried_roles: frozenset[str]
    spending_verbs: regex.Pattern[str]
    sum_words: frozenset[str]
    compared_as_spent: regex.Pattern[str]
    breakdown_opening: regex.Pattern[str]
    implicit: regex.Pattern[str]
    implicit_before: regex.Pattern[str]
    implicit_units: dict[str, tuple[str, str]]
    implicit_reached: regex.Pattern[str]
    article_units: frozenset[str]
    qualifier_words: frozenset[str]
    quoted_level: regex.Pattern[str]
    named_prize: regex.Pattern[str]
    article_before: tuple[str, ...]
    article_after: regex.Pattern[str]
    not_after: tuple[str, ...]
    honours_named: tuple[str, ...]
    not_before: tuple[str, ...]
    not_before_bare: tuple[str, ...]
    exclude: regex.Pattern[str]
    breakdown: regex.Pattern[str]
    views: regex.Pattern[str]
    views_people: regex.Pattern[str]
    served_list: regex.Pattern[str]
    served_list_not: regex.Pattern[str]
    unit_declaration: regex.Pattern[str]
    bare_money_cue: regex.Pattern[str]
    bare_number: regex.Pattern[str]
    befell_after: regex.Pattern[str]
    jobs_cues: regex.Pattern[str]
    jobs_after: regex.Pattern[str]
    capacity: regex.Pattern[str]
    zero_money: regex.Pattern[str]
    class_size: regex.Pattern[str]
    trained_frame: regex.Pattern[str]
    served_frame: regex.Pattern[str]
    object_verbs: regex.Pattern[str]


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.\d{1,8})?"
# A number doubled by a PDF's overlapping text layer (36.9436.94 万元): two identical
# halves, each a number with decimals, so that the whole is no number. Anything less
# certain (36.9436.9, or 1010, which may be a thousand and ten) gives no such figure.
# Digits with Chinese units inside (2万6千, 1亿2000万): each part times its unit.
_MIXED = r"\d{1,4}(?:亿\d{1,4}万|万\d{1,4}千|万\d{1,3}百|千\d{1,3}百)"
_MIXED_NUMBER = regex.compile(_MIXED)
_MIXED_HINT = regex.compile(r"\d[亿万千]\d")
_MIXED_PART = regex.compile(r"(\d+)([亿万千百])")
_MIXED_UNIT = {"亿": 100000000, "万": 10000, "千": 1000, "百": 100}
_DOUBLED = r"(?P<half>(?:\d{1,3}(?:,\d{3})+|\d{1,15})\.\d{1,8})(?P=half)"


@cache
def rules() -> _Rules:
    name = "quantities"
    data = patterns.load(name)
    nr = numbers.rules()
    units: dict[str, list[str]] = patterns.require(data, "units", dict, name)
    unit_kind = {u: kind for kind, words in units.items() for u in words}
    currencies = {str(k): str(v) for k, v in data.get("currencies", {}).items()}
    all_units = list(unit_kind) + list(currencies)
    multipliers = {str(k): int(v) for k, v in data.get("multipliers", {}).items()}
    chinese = regex.escape(nr.chinese_chars)
    suffix = patterns.alternation(list(nr.suffix))
    # 六点三万亿元: a Chinese numeral's decimals (numbers.yaml's point)
    point = rf"(?:{regex.escape(nr.point)}[{regex.escape(''.join(nr.digits))}]{{1,6}})?"
    figure = (
        rf"(?P<pre>{patterns.alternation(list(nr.prefix))})?"
        rf"(?<![\dA-Za-z.\-])(?P<num>@MIXED@{_DOUBLED}|{_NUMBER}|(?<![{chinese}])[{chinese}]{{1,12}}{point})"
        r"(?![\d])"
        rf"(?P<suf1>{suffix})?"
        rf"(?P<mult>{patterns.alternation(list(multipliers))})?"
        # 4万多亿元, 1千多万元: a second multiplier after the qualifier
        rf"(?:(?P<suf2>{suffix})(?P<mult2>{patterns.alternation(list(multipliers))})?)?"
        rf"(?P<unit>{patterns.alternation(all_units)})"
        rf"(?P<post>{patterns.alternation(list(nr.post))})?"
    )
    implicit_units = {
        str(noun): (str(spec[0]), str(spec[1]))
        for noun, spec in data.get("implicit_units", {}).items()
    }
    nouns = patterns.alternation(list(implicit_units)) or "(?!)"
    large_figure = (
        rf"(?P<pre>{patterns.alternation(list(nr.prefix))})?"
        rf"(?<![\dA-Za-z.\-])(?P<num>(?:{_NUMBER})(?:{suffix})? ?(?:万亿|亿|万)"
        rf"|(?<![{chinese}几数])[{chinese}]{{1,8}}{point}[万亿]"
        # 上亿群众, 上万家企业: 上 (over) and a bare 万 or 亿
        rf"|(?<=(?<![\p{{Han}}])上|[，、；：]上)(?:亿|万))(?P<suf2>{suffix})?"
    )
    modifiers = patterns.alternation(list(data.get("implicit_modifiers", [])))
    modifier = rf"(?:{modifiers})*?" if modifiers else ""
    implicit = rf"{large_figure}(?={modifier}(?P<noun>{nouns}))"
    # The noun before the figure, a few words between, the figure ending its clause:
    # 农村贫困人口减少1386万，
    implicit_before = (
        rf"(?P<noun>{nouns})[^，。；：、\d“”（）]{{0,{int(data.get('implicit_gap', 6))}}}?"
        rf"(?P<figure>{large_figure}(?P<post2>以上|左右|上下|以下)?)(?=[，。；、！？（(]|$)"
    )
    cues = patterns.require(data, "kind_cues", dict, name)
    roles: dict[str, list[str]] = patterns.require(data, "money_roles", dict, name)
    role_of = {w: role for role, words in roles.items() for w in words}

    def alt(words: list[str], key: str) -> regex.Pattern[str]:
        return patterns.compile_words(words, name, key)

    def cue_regex(key: str) -> regex.Pattern[str]:
        return patterns.optional_regex(cues, key, name, f"kind_cues.{key}")

    def compiled(key: str) -> regex.Pattern[str]:
        return patterns.compile_regex(patterns.require(data, key, str, name), name, key)

    return _Rules(
        figure=patterns.compile_regex(figure.replace("@MIXED@", ""), name, "units"),
        # Digits with Chinese units inside (2万6千) are tried only where the text has them:
        # an alternative more at every position costs the most-run pattern a tenth.
        figure_mixed=patterns.compile_regex(figure.replace("@MIXED@", _MIXED + "|"), name, "units"),
        unit_kind=unit_kind,
        currencies=currencies,
        multipliers=multipliers,
        award_cues=alt(cues["award"], "kind_cues.award"),
        staff_cues=alt(cues["staff"] + cues.get("people_counted", []), "kind_cues.staff"),
        attend_before=cue_regex("attend_before"),
        attend_after=cue_regex("attend_after"),
        trained_after=cue_regex("trained_after"),
        taught_before=cue_regex("taught_before"),
        issue_cues=alt(cues.get("issues", []), "kind_cues.issues"),
        award_not=alt(cues.get("award_not", []), "kind_cues.award_not"),
        population=cue_regex("population"),
        household_people=cue_regex("household_people"),
        household_served=cue_regex("household_served"),
        line_words=frozenset(data.get("staged_line_words", [])),
        fund_names=alt(data.get("fund_names", []), "fund_names"),
        shared_unit_cue=alt(data.get("shared_unit_cues", []), "shared_unit_cues"),
        visit_cues=alt(cues.get("visits", []), "kind_cues.visits"),
        base_before=patterns.optional_regex(data, "base_before", name),
        sessions_noun=cue_regex("sessions_noun"),
        head_count=patterns.optional_regex(data, "head_count", name),
        medal_tally=patterns.optional_regex(data, "medal_tally", name),
        per_head=patterns.optional_regex(data, "per_head", name),
        change_of_previous=patterns.optional_regex(data, "change_of_previous", name),
        bare_change=patterns.optional_regex(data, "bare_change", name),
        medal_levels={str(k): str(v) for k, v in (data.get("medal_levels") or {}).items()},
        presenter_cues=alt(cues["presenters"], "kind_cues.presenters"),
        attendee_modifiers=tuple(cues.get("attendee_modifiers", [])),
        participant_nouns=alt(cues.get("participant_nouns", []), "kind_cues.participant_nouns"),
        sessions_after=tuple(cues.get("sessions_after", [])),
        sessions_before=cue_regex("sessions_before"),
        person_units=frozenset(data.get("person_units", [])),
        award_units=frozenset(data.get("award_units", [])),
        levels=alt(data.get("award_levels", []), "award_levels"),
        role_cues=alt(list(role_of), "money_roles"),
        role_of=role_of,
        carried_roles=frozenset(data.get("money_roles_carried", [])),
        sum_words=frozenset(data.get("sum_words", [])),
        spending_verbs=patterns.compile_words(
            data.get("spending_verbs", []),
            name,
            "spending_verbs",
            "(?:{})(?:了)?[^\\d，。；、]{{0,8}}",  # the verb, then the grant's modifiers
        ),
        compared_as_spent=patterns.optional_regex(data, "compared_as_spent", name),
        breakdown_opening=patterns.optional_regex(data, "breakdown_opening", name),
        breakdown=patterns.optional_regex(data, "breakdown", name),
        views=cue_regex("views"),
        views_people=cue_regex("views_people"),
        served_list=cue_regex("served_list"),
        served_list_not=cue_regex("served_list_not"),
        unit_declaration=compiled("unit_declaration"),
        bare_money_cue=compiled("bare_money_cue"),
        bare_number=compiled("bare_number"),
        befell_after=cue_regex("befell_after"),
        jobs_cues=cue_regex("jobs"),
        jobs_after=cue_regex("jobs_after"),
        capacity=cue_regex("capacity"),
        zero_money=patterns.optional_regex(data, "zero_money", name),
        class_size=cue_regex("class_size"),
        trained_frame=cue_regex("trained_frame"),
        served_frame=cue_regex("served_frame"),
        implicit=patterns.compile_regex(implicit, name, "implicit_units"),
        implicit_before=patterns.compile_regex(implicit_before, name, "implicit_units"),
        implicit_units=implicit_units,
        implicit_reached=patterns.optional_regex(data, "implicit_reached", name),
        article_units=frozenset(data.get("article_units", [])),
        qualifier_words=frozenset(data.get("qualifier_words", [])),
        quoted_level=patterns.optional_regex(data, "quoted_level", name),
        named_prize=patterns.optional_regex(data, "named_prize", name),
        article_before=tuple(data.get("article_before", [])),
        article_after=patterns.optional_regex(data, "article_after", name),
        not_after=tuple(data.get("not_after", [])),
        honours_named=tuple(data.get("honours_named", [])),
        not_before=tuple(data.get("not_before", [])),
        not_before_bare=tuple(data.get("not_before_bare", [])),
        exclude=patterns.compile_regex(
            "|".join(f"(?:{p})" for p in data.get("exclude", [])) or r"(?!)", name, "exclude"
        ),
        object_verbs=alt(patterns.require(data, "object_stops", list, name), "object_stops"),
    )


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of short quoted or titled stretches (“…”, 《…》): names, not prose."""
    regions: list[tuple[int, int]] = []
    n = len(text)
    done = 0
    for m in _OPENING.finditer(text):
        i = m.start()
        if i < done:
            continue
        j = text.find(_QUOTE_PAIRS[m.group()], i + 1, min(n, i + 2 + _MAX_QUOTED))
        if j > 0:
            regions.append((i, j + 1))
            done = j + 1
    return regions


def _inside(pos: int, regions: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in regions)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding ``[start, end)``: between the nearest clause breaks."""
    breaks = _clause_breaks(text)
    before = bisect_left(breaks, start)  # the breaks before start
    after = bisect_left(breaks, end)  # the first break at or after end
    left = breaks[before - 1] + 1 if before > 0 else 0
    right = breaks[after] if after < len(breaks) else max(end, len(text))
    return left, right


_BREAK = regex.compile("[" + regex.escape(CLAUSE_BREAKS) + "]")


@lru_cache(maxsize=16)
def _clause_breaks(text: str) -> list[int]:
    """Where ``text``'s clause breaks are. Kept for the few texts at hand: the rules ask
    clause_bounds of the same sentence some ten times, once per figure and rule."""
    return [m.start() for m in _BREAK.finditer(text) if not _groups_digits(text, m.start())]


def _groups_digits(text: str, i: int) -> bool:
    """True where ``text[i]`` is a comma grouping digits (326,417.50): no clause break."""
    return (
        text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
    )


def declared_unit(text: str) -> tuple[int, float] | None:
    """Where the last unit declaration of ``text`` (单位：万元) ends, and what it multiplies
    a bare number by; None where ``text`` declares none."""
    if "单位" not in text:
        return None
    found = list(rules().unit_declaration.finditer(text))
    if not found:
        return None
    m = found[-1]
    multiplier = 1.0  # 单位：万元: 10,000 yuan; 百万 is 百 times 万, by the figures' multipliers
    for ch in m.group("mult") or "":
        multiplier *= rules().multipliers[ch]
    return m.end(), multiplier


def with_bare_money(
    text: str, found: list[QuantityMatch], multiplier: float, start: int = 0
) -> list[QuantityMatch]:
    """``found`` with the bare numbers of ``text`` from ``start`` on that a money word stands
    right before (收入合计356.12): money in the declared unit, ``multiplier`` yuan each."""
    r = rules()
    extra: list[QuantityMatch] = []
    for m in r.bare_number.finditer(text, start):
        s, e = m.span()
        if any(q.start < e and s < q.end for q in found):
            continue
        if r.bare_money_cue.search(text, max(0, s - 12), s) is None:
            continue  # a bare number after any other word stays unread
        value = numbers.parse_number(m.group().replace(",", ""))
        if value is None:
            continue
        extra.append(
            QuantityMatch(
                start=s,
                end=e,
                text=m.group(),
                kind="money",
                value=round(value * multiplier, 6),
                unit="元",
                qualifier="exact",
                role=money_role(text, s, e),
            )
        )
    return sorted([*found, *extra], key=lambda q: q.start) if extra else found


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity in ``text`` (one sentence), in reading order."""
    r = rules()
    pattern = r.figure_mixed if _MIXED_HINT.search(text) else r.figure
    m = pattern.search(text)
    large = "万" in text or "亿" in text  # the only figures read without a unit
    medals = _MEDAL_HINT.search(text) is not None
    if m is None and not large and not medals and "人数" not in text and "零" not in text:
        return []  # most sentences: nothing to read, no regions to find
    quoted = quoted_regions(text)
    excluded = [(x.start(), x.end()) for x in r.exclude.finditer(text)]
    found: list[QuantityMatch] = []
    while m is not None:
        q = _build(text, m, r, quoted, excluded)
        if q is None:
            m = pattern.search(text, m.start("num") + 1)
            continue
        found.append(q)
        m = pattern.search(text, m.end())
    if "、" in text or "上年" in text or "去年" in text or "上一年" in text:
        found.extend(_shared_unit(text, r, found))
    if "人数" in text:
        found.extend(_head_counts(text, r, found, quoted))
    if medals:
        found.extend(_medals(text, r, found, quoted))
    if large:
        found.extend(_implicit_people(text, r, quoted, found, excluded))
    if "零" in text:
        found.extend(
            QuantityMatch(
                z.start(),
                z.end(),
                z.group(),
                "money",
                0.0,
                "元",
                "exact",
                role=money_role(text, z.start(), z.end()),
            )
            for z in r.zero_money.finditer(text)
            if not any(q.start < z.end() and z.start() < q.end for q in found)
        )
    found.sort(key=lambda x: x.start)
    if "比" in text or "较" in text:
        found = _changes_of_previous(text, r, found)
    if r.breakdown.search(text):
        found = _breakdowns(text, r, found)
    return found


def _changes_of_previous(
    text: str, r: _Rules, found: list[QuantityMatch]
) -> list[QuantityMatch]:
    """A people figure whose clause only compares with last year takes the kind of the
    figure right before it, of the same unit (农民工总量…万人，比上年增加52万人: counted)."""
    out = list(found)
    for i in range(1, len(out)):
        q, before = out[i], out[i - 1]
        if q.kind != "participants" or before.kind != "count" or before.unit != q.unit:
            continue
        left, _ = clause_bounds(text, q.start, q.end)
        if r.change_of_previous.fullmatch(text, left, q.start):
            out[i] = replace(q, kind=before.kind)
    return out


_ITEM_BREAKS = "，、；：,;:"


_HOUSEHOLDS = frozenset({"户", "户次"})


def _breakdowns(text: str, r: _Rules, found: list[QuantityMatch]) -> list[QuantityMatch]:
    """People figures after a breakdown word are of the kind of the total of people they
    break down (干部15人，其中藏族4人、回族6人; 培训学员200人，其中教师80人), and households
    of the total of households (救助24户，其中：保华镇2户). A figure
    whose own item says its people attend or are trained keeps its kind."""
    out = list(found)
    totals: dict[str, QuantityMatch] = {}  # the last total of people, and of households
    for i, q in enumerate(found):
        if q.kind == "money":
            continue  # 救助24户，发放资金…万元，其中：保华镇2户…: money between is no new total
        group = "people" if q.unit in r.person_units else None
        if q.unit in _HOUSEHOLDS:
            group = "households"
        if group is None or q.kind not in ("count", "participants"):
            totals.clear()
            continue
        total = totals.get(group)
        if total is None:
            totals[group] = q
            continue
        item_left = max(text.rfind(ch, 0, q.start) for ch in _ITEM_BREAKS) + 1
        attends = (
            r.attend_before.search(text, item_left, q.start)
            or r.attend_after.match(text, q.end)
            or r.trained_after.match(text, q.end)
        )
        if q.kind != total.kind and not attends and r.breakdown.search(text, total.end, q.start):
            obj = counted_object(text, q.start, q.end) if total.kind == "count" else None
            out[i] = replace(q, kind=total.kind, object=obj)
    return out


def _head_counts(
    text: str, r: _Rules, taken: list[QuantityMatch], quoted: list[tuple[int, int]]
) -> list[QuantityMatch]:
    """A bare number after a head count's noun is that many people, at any size
    (参与人数超过2600，): the noun says what is counted."""
    out: list[QuantityMatch] = []
    for m in r.head_count.finditer(text):
        start, end = m.span("figure")
        if _inside(start, quoted) or any(t.start < end and start < t.end for t in taken):
            continue
        value = numbers.parse_number(m.group("num"))
        if value is None:
            continue
        pre, figure = m.group("pre"), m.group("figure")
        if figure.endswith(("余", "多")):
            qualifier = numbers.qualifier_for(figure[-1], "suffix") or "exact"
        else:
            qualifier = (numbers.qualifier_for(pre, "prefix") or "exact") if pre else "exact"
        out.append(
            QuantityMatch(start, end, text[start:end], "participants", value, "人", qualifier)
        )
    return out


# A numeral touching a metal: the only place a medal tally (patterns: medal_tally) can be.
_MEDAL_HINT = regex.compile(r"[一二两三四五六七八九十\d][金银铜]")


def _medals(
    text: str, r: _Rules, taken: list[QuantityMatch], quoted: list[tuple[int, int]]
) -> list[QuantityMatch]:
    """Medals told without a measure word (夺得两金一银): each numeral and metal is that
    many awards, the metal its unit and its medal the level."""
    out: list[QuantityMatch] = []
    for m in r.medal_tally.finditer(text):
        start, end = m.span()
        if _inside(start, quoted) or any(t.start < end and start < t.end for t in taken):
            continue
        value = numbers.parse_number(m.group("num"))
        if value is None:
            continue
        medal = m.group("medal")
        level = r.medal_levels.get(medal)
        out.append(
            QuantityMatch(start, end, m.group(), "award", value, medal, "exact", level=level)
        )
    return out


# Bare numbers listed before a figure, each perhaps with its own 万/亿 (6万亿、2.5万亿和8000亿元).
_BARE_LIST = regex.compile(r"(?:(?<![\d.,])\d[\d,]*(?:\.\d+)?(?:万亿|亿|万|千)?(?:、|和|及|与))+$")
_BARE_NUMBER = regex.compile(r"\d[\d,]*(?:\.\d+)?")
_BARE_ITEM = regex.compile(r"(?<![\d.,])(?P<num>\d[\d,]*(?:\.\d+)?)(?P<mult>万亿|亿|万|千)?")
# Last year's level written bare between a comparison and the change (较上年2.08减少0.03万元).
_BARE_BASE = regex.compile(
    r"(?:比|较|与)(?:上年|去年|上年度|上一年)(?:的)?(?!(?:19|20)\d\d(?![\d.]))(?P<num>(?<![\d.,])\d[\d,]*(?:\.\d+)?)"
    r"(?:相比)?(?:增加|减少|下降|增长|上升|降低|节约|压减)$"
)


def _shared_unit(text: str, r: _Rules, found: list[QuantityMatch]) -> list[QuantityMatch]:
    """Bare numbers listed before a figure share its unit (收、支总计分别为3120.50、
    3098.27万元; 分别举办3、5场): money always, other kinds after 分别 or 各."""
    out: list[QuantityMatch] = []
    for q in found:
        if not q.text[:1].isdigit():
            continue
        listed = _BARE_LIST.search(text, 0, q.start)
        if listed is not None:
            run_start, run_end = listed.span()
        elif q.kind == "money" and (base := _BARE_BASE.search(text, max(0, q.start - 24), q.start)):
            # 较上年2.08减少0.03万元: last year's level, written bare before the change
            run_start, run_end = base.span("num")
        else:
            continue
        if text[max(0, run_start - 1) : run_start] == "第":
            continue  # ordinals (第1、2期)
        if q.kind != "money" and not r.shared_unit_cue.search(
            text, max(0, run_start - 8), run_start
        ):
            continue
        own = _BARE_NUMBER.match(q.text)
        own_value = numbers.parse_number(own.group()) if own else None
        if not own_value:
            continue
        factor = q.value / own_value  # the figure's 万/亿 (and unit) on its bare number
        for n in _BARE_ITEM.finditer(text, run_start, run_end):
            value = numbers.parse_number(n.group("num"))
            if value is None or any(f.start < n.end() and n.start() < f.end for f in found):
                continue
            # an item's own 万/亿 stands for the figure's (6万亿、2.5万亿和8000亿元)
            scale = r.multipliers[n.group("mult")] if n.group("mult") else factor
            role = money_role(text, n.start(), n.end()) if q.kind == "money" else None
            out.append(
                replace(
                    q,
                    start=n.start(),
                    end=n.end(),
                    text=n.group(),
                    value=round(value * scale, 6),
                    qualifier="exact",
                    role=role,
                )
            )
    return out


def _implicit_people(
    text: str,
    r: _Rules,
    quoted: list[tuple[int, int]],
    taken: list[QuantityMatch],
    excluded: list[tuple[int, int]] = [],  # noqa: B006 (read only)
) -> list[QuantityMatch]:
    """Large round figures of people written without a unit: 6600多万纳税人, 近14亿人口,
    or after their noun at the end of a clause: 贫困人口减少1386万."""
    out: list[QuantityMatch] = []
    after = [(m, m.span()) for m in r.implicit.finditer(text)]
    before = [(m, m.span("figure")) for m in r.implicit_before.finditer(text, overlapped=True)]
    for m, (start, end) in sorted(after + before, key=lambda item: item[1]):
        if (
            _inside(start, quoted)
            or any(s <= start < e for s, e in excluded)
            or any(t.start < end and start < t.end for t in taken + out)
        ):
            continue
        suffix = m.group("suf2") or next((s for s in ("余", "多") if s in m.group("num")), None)
        value = numbers.parse_number(m.group("num").replace("余", "").replace("多", ""))
        unit, kind = r.implicit_units[m.group("noun")]
        if value is None or (value < 10000 and kind != "money"):  # 0.85万 of money is read
            continue
        if kind == "count" and r.implicit_reached.search(text, max(0, start - 10), start):
            kind = "participants"  # 惠及2000多万低收入人口: the people an action reached
        elif kind == "participants" and r.jobs_after.match(text, max(m.end(), m.end("noun"))):
            kind = "count"  # 有12万失业人员实现了再就业: jobs found, counted
        pre = m.group("pre")
        if not (pre or suffix) and _units_only(m.group("num")):
            continue  # a bare 百万/千万 names (百万农民培育行动); only 逾万人, 上亿群众 count
        post = m.groupdict().get("post2")
        if suffix:
            qualifier = numbers.qualifier_for(suffix, "suffix") or "exact"
        elif pre:
            qualifier = numbers.qualifier_for(pre, "prefix") or "exact"
        elif post:
            qualifier = numbers.qualifier_for(post, "post") or "exact"
        else:
            qualifier = "exact"
        role = money_role(text, start, end) if kind == "money" else None
        obj = m.group("noun") if kind == "count" else None  # 14亿多人口: people, counted
        out.append(
            QuantityMatch(
                start,
                end,
                text[start:end],
                kind,
                round(value, 6),
                unit,
                qualifier,
                role=role,
                object=obj,
            )
        )
    return out


def _build(
    text: str,
    m: regex.Match[str],
    r: _Rules,
    quoted: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
) -> QuantityMatch | None:
    num = m.group("num")
    start, end = m.span()
    nstart = m.start("num")
    unit = m.group("unit")
    if _inside(nstart, quoted) or any(s < end and nstart < e for s, e in excluded):
        return None
    pre = m.group("pre")
    if pre and text[max(0, start - 1) : start + len(pre)] in r.qualifier_words:
        # 签约268家, 节约5万元: the qualifier-looking character belongs to a word.
        start, pre = nstart, None
    if (
        text.endswith(r.not_after, 0, start) and not text.endswith(r.honours_named, 0, start)
    ) or text.startswith(r.not_before, end):
        return None
    if not unit and text.startswith(r.not_before_bare, end):
        return None  # 十分重要, 3时20分: no figure
    if not _plausible_chinese(num, m, r, text, start):
        return None
    if _MIXED_NUMBER.fullmatch(num):
        value: float | None = sum(int(n) * _MIXED_UNIT[u] for n, u in _MIXED_PART.findall(num))
    else:
        value = numbers.parse_number(m.group("half") or num)
    if value is None:
        return None
    for group in ("mult", "mult2"):
        if m.group(group):
            value *= r.multipliers[m.group(group)]
    qualifier = _qualifier(m, pre)
    currency = r.currencies.get(unit)
    kind = "money" if currency is not None or unit == "元" else _kind(text, m, unit, r)
    role = level = obj = None
    if kind == "money":
        role = money_role(text, start, end)
    elif kind == "award":
        level = award_level(text, start, end)
    elif kind == "count":
        if not num[0].isdigit() and _restates_list(text, start, value):
            return None  # 医疗、养老、失业三项保险: the list's length, no count
        obj = counted_object(text, nstart, end)
    return QuantityMatch(
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        value=round(value, 6),
        unit=unit,
        qualifier=qualifier,
        level=level,
        role=role,
        object=obj,
        currency=currency if currency and currency != "CNY" else None,
    )


_LIST_LAST = regex.compile(r"(?:以及|和|及|与)")


def _restates_list(text: str, start: int, value: float) -> bool:
    """True where a numeral right after a 、-list of its clause says how many items it
    has (基本养老、失业、工伤三项社会保险): the list restated, no count of its own."""
    left, _ = clause_bounds(text, start, start)
    items = text[left:start].split("、")
    closed = items[-1].endswith("等")  # …、刑法、诉讼法等七个法律部门: the list summed up
    if closed:
        items[-1] = items[-1][:-1]
    if len(items) < 2 or not items[-1] or any(len(item) > 12 for item in items[1:]):
        return False
    parts = len(items) + (1 if not closed and _LIST_LAST.search(items[-1]) else 0)
    return parts == value


def _units_only(num: str) -> bool:
    """True for a numeral of multipliers alone (万, 百万, 千万): no digit says how many."""
    nr = numbers.rules()
    return all(ch in nr.large_units or ch in nr.small_units for ch in num)


def _plausible_chinese(num: str, m: regex.Match[str], r: _Rules, text: str, start: int) -> bool:
    if num[0].isdigit():
        return True
    bare = _units_only(num) and num != "十"
    if bare and not (m.group("pre") or m.group("suf1") or m.group("suf2")):
        # A bare 万/千/百 counts only with a qualifier: 逾万人, 近万条, 百余场.
        return False
    if num == "一" and m.group("unit") in r.article_units:
        return False
    # 作为一项重要任务, 一场精彩的盛宴: an article, not a count.
    return not (
        num == "一"
        and (text.endswith(r.article_before, 0, start) or r.article_after.match(m.string, m.end()))
    )


def _qualifier(m: regex.Match[str], pre: str | None) -> str:
    """The qualifier nearest the number wins; a suffix (余/多) beats a prefix on a tie."""
    suffix = m.group("suf1") or m.group("suf2")
    if suffix:
        return numbers.qualifier_for(suffix, "suffix") or "exact"
    if pre:
        return numbers.qualifier_for(pre, "prefix") or "exact"
    post = m.group("post")
    if post:
        return numbers.qualifier_for(post, "post") or "exact"
    return "exact"


def _kind(text: str, m: regex.Match[str], unit: str, r: _Rules) -> str:
    kind = r.unit_kind.get(unit, "count")
    left, right = clause_bounds(text, m.start(), m.end())
    if kind == "sessions" and r.befell_after.match(text, m.end(), right):
        return "count"  # 经历5轮强降雨过程: what befell the place, held by no one
    clause = text[left:right]
    if unit in r.award_units and _speaks_of_awards(clause, r):
        return "award"
    if (
        unit in r.award_units
        and left > 0
        and r.levels.match(text, left) is not None
        and _speaks_of_awards(text[:left], r)
    ):
        return "award"  # …评选出一星级农家乐22家，二星级30家: the prizes go on
    if unit in ("个", "项", "项次") and (
        text[: m.start()].endswith(r.sessions_after) or r.sessions_before.match(text, m.end())
    ):
        return "sessions"
    if unit in ("批", "期", "轮") and text[: m.start()].endswith("分"):
        return "sessions"  # 分三批发放…: how many times it was done
    if unit in ("个", "项", "次") and r.sessions_noun.search(text, left, m.start()):
        return "sessions"  # 公务接待批次260个: the noun before counts times
    if unit == "次" and r.views.search(text, max(left, m.start() - 12), m.start()):
        return "count"  # 阅读量2万余次: clicks, not times held
    if unit in r.person_units and r.views_people.search(text, max(left, m.start() - 12), m.start()):
        return "count"  # 阅读量达815万人次, 粉丝31万人: pages opened, no one taking part
    if unit == "批" and r.visit_cues.search(text, left, m.start()):
        return "sessions"  # 接待来访326批: visits received, as 批次
    if unit == "期" and r.issue_cues.search(text, left, m.start()):
        return "count"  # issues of a bulletin or a board (编印《…简报》12期, 更换展板3期)
    if unit == "户" and r.household_people.match(text, m.end(), right):
        return "participants"  # 帮扶860户贫困户: people reached, by household
    if (unit == "户" or unit in r.person_units) and r.household_served.search(
        text, max(left, m.start() - 16), m.start()
    ):
        return "participants"  # 救助困难职工44户, 慰问困难职工30名: people an act of help reached
    if (
        (unit == "户" or unit in r.person_units)
        and (served := r.served_list.search(text, max(0, m.start() - 80), m.start()))
        and not r.served_list_not.search(
            text, _item_start_after(text, served.start(), m.start()), m.start()
        )
    ):
        return "participants"  # 慰问困难职工86人，大病职工24人: the same help goes on
    if unit in r.person_units:
        # The figure's own item of a list (带队教师3名、学生30名): its neighbours' nouns
        # say nothing of it.
        item_left, item_right = _item_bounds(text, m.start(), m.end(), left, right)
        near_start = max(item_left, m.start() - 8)
        near = text[near_start : min(item_right, m.end() + 8)]
        trained = (
            (
                r.trained_after.match(text, m.end(), right) is not None
                or r.class_size.search(text, left, m.start()) is not None
                or r.taught_before.search(text, left, m.start()) is not None
            )
            or (
                "对" in text[left : m.start()]
                and r.trained_frame.match(text, m.end(), right) is not None
            )
            or (
                "为" in text[max(left, m.start() - 6) : m.start()]
                and r.served_frame.match(text, m.end(), right) is not None
            )
        )
        attends = (
            trained
            or r.attend_before.search(text, left, m.start())
            or r.attend_after.match(text, m.end(), right)
        )
        if r.capacity.search(text, left, m.start()):
            return "count"  # 新增机场容量4亿人次: a capacity, no people
        if r.staff_cues.search(clause) and unit != "人次" and not attends:
            return "count"
        if unit == "人次" and r.jobs_cues.search(clause) and not attends:
            return "count"  # 务工就业人数1520人次, 返乡创业86人次: jobs, counted by the time
        if r.population.fullmatch(text, left, m.start()):
            return "count"  # 今年高校毕业生预计超过900万人: a population, no activity's
        own = r.participant_nouns.match(text, m.end())
        if own is not None and not r.presenter_cues.match(text, own.end()):
            return "participants"  # 为30名群众义诊, 12名学生随带队教师…: the people it names
        figure_at = m.start() - near_start
        presenters = [
            w
            for w in r.presenter_cues.finditer(near)
            # 28支代表队360名运动员: a word right after another figure is that one's thing
            if not (w.end() <= figure_at and _after_figure(near, w.start()))
        ]
        if not presenters:
            return "participants"  # 机关干部80余人参加培训, 培训基层干部200人
        if trained:
            return "participants"  # 教师60余人参加培训: taught, not teaching
        word = presenters[-1]
        if text[: near_start + word.start()].endswith(r.attendee_modifiers):
            return "participants"  # 参会专家学者300余人: experts who attend
        if word.end() <= figure_at and any(
            word.end() <= p.start() and p.end() <= figure_at
            for p in r.participant_nouns.finditer(near)
        ):
            return "participants"  # 志愿者服务群众3000人次: the 群众 are counted
        return "count"
    return kind


def _item_start_after(text: str, start: int, end: int) -> int:
    """Where the last ``，``/``、`` item of ``text[start:end]`` begins."""
    return max(text.rfind("，", start, end), text.rfind("、", start, end)) + 1


def _after_figure(text: str, at: int) -> bool:
    """True where a digit stands in the three characters before ``at`` (28支|代表队): the word
    there is another figure's thing."""
    return any(c.isdigit() for c in text[max(0, at - 3) : at])


def _speaks_of_awards(text: str, r: _Rules) -> bool:
    """True where ``text`` holds an award cue outside a meeting named for an award
    (二百余人出席表彰大会 speaks of none)."""
    return r.award_cues.search(text) is not None and (
        r.award_cues.search(r.award_not.sub(_blank, text)) is not None
    )


def _blank(m: regex.Match[str]) -> str:
    return " " * len(m.group())


def item_start(text: str, left: int, start: int) -> int:
    """Where the ``、``-item that holds a figure at ``start`` begins, in the clause from
    ``left``."""
    return max(left, text.rfind("、", left, start) + 1)


def _item_bounds(text: str, start: int, end: int, left: int, right: int) -> tuple[int, int]:
    """The ``、``-item of the clause ``[left, right)`` that holds ``[start, end)``."""
    item_right = text.find("、", end, right)
    return item_start(text, left, start), right if item_right < 0 else item_right


def is_han(ch: str) -> bool:
    """True for one CJK unified ideograph (an empty string is none)."""
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _counted_next(text: str, at: int) -> bool:
    """True where a number starts at ``at``."""
    ch = text[at : at + 1]
    return bool(ch) and (ch.isdigit() or ch in "一二三四五六七八九十两")


def award_level(text: str, start: int, end: int) -> str | None:
    """The prize grade nearest a figure in its clause: just before it, else after it."""
    r = rules()
    left, right = clause_bounds(text, start, end)
    quoted = quoted_regions(text)
    found = [
        (lm.start(), lm.end(), lm.group())
        for lm in r.levels.finditer(text, left, right)
        if not _inside(lm.start(), quoted)
    ]
    # A grade the prize word goes on from is the prize (优秀组织奖5个, not 优秀组织).
    found = [
        (s, e + 1, lv + "奖")
        if text[e : e + 1] == "奖" and not is_han(text[e + 1 : e + 2])
        else (s, e, lv)
        for s, e, lv in found
    ]
    # A prize named in quotes (“优秀健康科普作品奖”, “优秀”称号) is a level too, and so is one
    # named without a grade as its list item's own (…、优秀指导奖10个).
    # A quoted honour right before a count (“先进集体”6个) is that count's level only.
    found += [
        (lm.start(), lm.end(), lm.group("level"))
        for lm in r.quoted_level.finditer(text, left, right)
        if lm.end() == start or not _counted_next(text, lm.end())
    ]
    found += [
        (lm.start("level"), lm.end("level"), lm.group("level"))
        for lm in r.named_prize.finditer(text, left, right)
        if not any(lm.start("level") <= s and e <= lm.end("level") for s, e, _ in found)
    ]
    # The figure's own item of a list first: a neighbour's grade is not its own
    # (鼓励奖40名、1个优秀个人奖).
    item_left, item_right = _item_bounds(text, start, end, left, right)
    own = [f for f in found if item_left <= f[0] and f[1] <= item_right]
    found = own or found
    best: tuple[int, str] | None = None
    for s, e, level in found:
        if e <= start:
            dist = start - e
        elif s >= end:
            dist = s - end + 1000
        else:
            continue
        if best is None or dist < best[0]:
            best = (dist, level)
    return best[1] if best else None


_RATE_AFTER = regex.compile(r"(?:了|约|近)?\s*(?:-?\d+(?:\.\d+)?\s*%|百分之)")


def money_role(
    text: str, start: int, end: int, outturn: bool = True, lend: bool = True
) -> str:
    """Role of a money figure from the nearest cue word (see patterns/quantities.yaml).
    ``outturn``: a figure with no cue that the next clause sets against the budget is
    spent (off for a budget line's figure, whose line says what it is). ``lend``: a
    figure with no cue of its own takes what an earlier clause's cue says it is (off for
    a statistic its own clause names)."""
    r = rules()
    left, right = clause_bounds(text, start, end)
    if "《" in text:  # a cue inside a title (《关于下达…预算的通知》) says nothing of the figure
        text = blank(text, [(s, e) for s, e in quoted_regions(text) if text[s] == "《"])
    if r.base_before.search(text, left, start):
        # 比上年9.6亿元增加1.2亿元: last year's level, neither the change nor a new cue;
        # what the figure is comes from the clause's subject.
        base = _last_carried(text, start, r)
        if base is not None and _per_head(text, base.start(), base.end(), r):
            return "other"  # 生均…支出为…元，比上年的…元增长…: last year's average
        return r.role_of[base.group()] if base else "other"
    if r.per_head.search(text, left, start):
        return "other"  # 生均…事业费支出为1860元: an average per head, a statistic
    # A change word whose own figure is a rate (年均增长6.2%、达到4800亿元) is that rate's:
    # it says nothing of the amount after it.
    found = [
        c
        for c in r.role_cues.finditer(text, left, start)
        if not (r.role_of[c.group()] == "change" and _RATE_AFTER.match(text, c.end()))
    ]
    if (
        len(found) >= 2
        and r.role_of[found[-1].group()] == "grant"
        and r.spending_verbs.fullmatch(text, found[-2].start(), found[-1].start())
    ):
        return "spent"  # 支出培训补贴资金4331万元: the grant's money spent
    if (
        len(found) >= 2
        and found[-1].group() in r.sum_words
        and not text[found[-1].end() : start].strip()
    ):
        found.pop()  # 争取…协作款物合计1084万元: the sum's word says nothing of the money
    cues = [c.group() for c in found]
    level = bool(cues) and r.role_of[cues[-1]] == "level"
    cues = [c for c in cues if r.role_of[c] != "level"]
    cue = cues[-1] if cues else None
    if cue in r.line_words and _staged(text, left, start, r):
        cue = "预算"  # 部门预算项目支出64.2万元: the budget's spending line, not spending
    if cue is None and not level:
        after = r.role_cues.search(text, end, right)
        if after is not None and _RATE_AFTER.match(text, after.end()):
            after = None  # 生产总值215亿元、增长5%: the figure's rate, not a change amount
        cue = after.group() if after and r.role_of[after.group()] != "level" else None
    if cue is None and not level and outturn and r.compared_as_spent.match(text, right):
        return "spent"  # …差旅费7.5万元，比预算数减少2万元: an outturn set against the budget
    if cue is None and not level and lend:
        # Earlier clauses lend only what a figure is (budget, spent, income), not how
        # it moved: 增长6.6%，总量突破90万亿元 is no change amount.
        carried = _last_carried(text, left, r)
        cue = carried.group() if carried else None
        if carried is not None and cue in r.line_words:
            line_left, _ = clause_bounds(text, carried.start(), carried.end())
            if _staged(text, line_left, carried.start(), r):
                cue = "预算"  # …部门预算项目支出64.2万元，分别是…经费5万元: the budget's items
    return r.role_of[cue] if cue else "other"


def is_change_of_previous(text: str, left: int, start: int) -> bool:
    """True where the clause ``[left, start)`` before a figure only compares it with last
    year or only says it is a change (…，增加620亿元): a change of the figure before."""
    r = rules()
    return (
        r.change_of_previous.fullmatch(text, left, start) is not None
        or r.bare_change.fullmatch(text, left, start) is not None
    )


def is_base_level(text: str, left: int, start: int) -> bool:
    """True where the clause ``[left, start)`` before a figure sets it up as last year's
    level (比上年的1712元增长…): the level compared with, not a figure of its own."""
    return rules().base_before.search(text, left, start) is not None


def breaks_down_between(text: str, start: int, end: int) -> bool:
    """True where a breakdown word (其中, 包括, 含…) stands in ``text[start:end]``: what
    follows it lists the parts of a total named before."""
    return rules().breakdown.search(text, start, end) is not None


def opens_breakdown(text: str) -> bool:
    """True for a sentence that lists the parts of the sentence before's total (其中，…)."""
    return rules().breakdown_opening.match(text) is not None


def has_role_cue(text: str, start: int, end: int) -> bool:
    """True where the money figure's own clause holds a role cue (结余 and 合计 too)."""
    left, right = clause_bounds(text, start, end)
    cues = rules().role_cues
    return cues.search(text, left, start) is not None or cues.search(text, end, right) is not None


def _per_head(text: str, start: int, end: int, r: _Rules) -> bool:
    """True where the cue ``text[start:end]`` is the spending or income of an average per
    head its clause names (生均…事业费支出, 人均消费支出)."""
    left, _ = clause_bounds(text, start, end)
    return r.per_head.search(text, left, end) is not None


def _last_carried(text: str, end: int, r: _Rules) -> regex.Match[str] | None:
    """The last cue before ``end`` of a role an earlier clause lends (budget, spent,
    income), or None."""
    cues = r.role_cues.finditer(text, 0, end)
    # A nearer cue of what a figure is not (总财力, 可支配收入: other) ends what is lent:
    # 预算支出增长一倍，可用财力超过80亿元，为82.6亿元 is no budget.
    said = [c for c in cues if r.role_of[c.group()] in (*r.carried_roles, "other")]
    if not said or r.role_of[said[-1].group()] == "other":
        return None
    return said[-1]


def _staged(text: str, left: int, start: int, r: _Rules) -> bool:
    """True where a budget word (预算, not a fund's name such as 一般公共预算) stands before
    ``start`` in its clause: a spending line of a budget, not spending."""
    clause = r.fund_names.sub(_blank, text[left:start])
    return "预算" in clause and "决算" not in clause


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each ``[start, end)`` of ``spans`` replaced by as many spaces, so no
    cue is read inside them and every offset stays where it was."""
    for s, e in spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return text


def counted_object(text: str, nstart: int, end: int) -> str | None:
    """The thing counted: the words after the unit, else the noun before the number."""
    r = rules()
    after = text[end : end + 16]
    if after[:1] == "、":
        after = ""
    stop = _OBJECT_END.search(after)
    if stop:
        after = after[: stop.start()]
    verb = r.object_verbs.search(after)
    if verb:
        after = after[: verb.start()]
    after = after.strip().removesuffix("的")  # 来自12所学校的…选手: 学校
    if after:
        return after[:12]
    before = text[max(0, nstart - 12) : nstart]
    stop_positions = [mm.end() for mm in _OBJECT_STOPS.finditer(before)]
    if stop_positions:
        before = before[stop_positions[-1] :]
    verbs = list(r.object_verbs.finditer(before))
    if verbs:
        before = before[verbs[-1].end() :]
    before = _OBJECT_TAIL.sub("", before.strip())
    return before or None
