"""Rates: the percentages a sentence states about its own figures.

``find_rates`` takes a sentence's normalized text and its figures (from quantities)
and returns each rate with its kind (execution, change, share, other), its value as a
fraction (``下降 28%`` is -0.28) and the figure it describes: the nearest figure
before it in its clause or the clause before, else the first after it in its clause.
A percentage that describes no figure (a pass rate in a clause of its own, a price
index in a sentence about jobs) gives no rate. Cue words come from
``patterns/rates.yaml``; every span indexes the text given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import regex

from . import numbers, patterns
from .quantities import QuantityMatch, clause_bounds

# 1,055.4%: a comma grouping digits is part of the number
PERCENT = regex.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*%")
# 百分之八点五: a percentage written in Chinese numerals
_CHINESE_PERCENT = "百分之"


@dataclass(frozen=True)
class RateMatch:
    start: int
    end: int
    text: str
    kind: str
    value: float
    figure: int  # index of the figure it describes in the figures given


@dataclass(frozen=True)
class _Rules:
    window: int
    direction: regex.Pattern[str]
    sign_of: dict[str, int]
    down: regex.Pattern[str]
    cues: regex.Pattern[str]
    kind_of: dict[str, str]
    percent: regex.Pattern[str]
    comparison: regex.Pattern[str]
    stem_rate: regex.Pattern[str]
    respectively: regex.Pattern[str]
    rate_joiner: regex.Pattern[str]
    share_opening: regex.Pattern[str]
    list_joiner: regex.Pattern[str]
    own_statistic: regex.Pattern[str]


@cache
def rules() -> _Rules:
    name = "rates"
    data = patterns.load(name)
    up = patterns.require(data, "up", list, name)
    down = patterns.require(data, "down", list, name)
    both = list(data.get("both", []))
    sign_of = {w: 1 for w in up} | {w: -1 for w in down} | {w: 0 for w in both}
    kind_of = {w: kind for kind in ("execution", "share", "other") for w in data.get(kind, [])}
    kind_of |= {w: "change" for w in sign_of}
    return _Rules(
        window=int(data.get("window", 16)),
        direction=patterns.compile_regex(
            "(?:" + patterns.alternation(list(sign_of)) + r")\s?$", name, "up"
        ),
        sign_of=sign_of,
        down=patterns.compile_regex(patterns.alternation(down), name, "down"),
        cues=patterns.compile_regex(patterns.alternation(list(kind_of)), name, "execution"),
        kind_of=kind_of,
        percent=_percent_pattern(),
        comparison=patterns.optional_regex(data, "comparison", name),
        stem_rate=patterns.optional_regex(data, "stem_rate", name),
        respectively=patterns.optional_regex(data, "respectively", name),
        rate_joiner=patterns.optional_regex(data, "rate_joiner", name),
        share_opening=patterns.compile_regex(
            patterns.require(data, "share_opening", str, name), name, "share_opening"
        ),
        list_joiner=patterns.compile_regex(
            patterns.require(data, "list_joiner", str, name), name, "list_joiner"
        ),
        own_statistic=patterns.optional_regex(data, "own_statistic", name),
    )


def _percent_pattern() -> regex.Pattern[str]:
    """``12.5%`` or ``百分之十二点五`` (numbers.yaml's digits, units and point)."""
    nr = numbers.rules()
    chinese = regex.escape(nr.chinese_chars)
    digits = regex.escape("".join(nr.digits))
    return regex.compile(
        rf"{PERCENT.pattern}|{_CHINESE_PERCENT}[{chinese}]{{1,8}}"
        rf"(?:{regex.escape(nr.point)}[{digits}]{{1,6}})?"
    )


def find_rates(text: str, figures: list[QuantityMatch]) -> list[RateMatch]:
    """The rates of a sentence, each with the index of the figure it describes."""
    if not figures:
        return []
    out: list[RateMatch] = []
    read = read_rates(text)
    shared = _respective(text, figures, read)
    for i, rate in enumerate(read):
        if i in shared:
            out.append(replace(rate, figure=shared[i]))
            continue
        figure = _described(
            text, figures, rate.start, rate.end, rate.kind == "other", rate.kind == "change"
        )
        if figure is None and rate.kind == "execution":
            # …支出826.40万元，主要用于…，完成年初预算97.5%: what was spent, clauses back
            money = [i for i, q in enumerate(figures) if q.kind == "money" and q.end <= rate.start]
            figure = money[-1] if money else None
        if figure is not None:
            out.append(replace(rate, figure=figure))
    return out


def _respective(
    text: str, figures: list[QuantityMatch], rates: list[RateMatch]
) -> dict[int, int]:
    """Rates listed after 分别 (…80套、…12个、…300个，分别完成年度任务的96%、105%、88%;
    …3200万人次，…260亿元，分别增长12%和15%): the i-th of a run of N describes the i-th of
    the last N figures before 分别, in order. Index of each such rate -> its figure."""
    r = rules()
    out: dict[int, int] = {}
    i = 0
    while i < len(rates):
        m = r.respectively.search(text, max(0, rates[i].start - 16), rates[i].start)
        if m is None:
            i += 1
            continue
        run = [i]
        while run[-1] + 1 < len(rates) and r.rate_joiner.fullmatch(
            text, rates[run[-1]].end, rates[run[-1] + 1].start
        ):
            run.append(run[-1] + 1)
        before = [k for k, q in enumerate(figures) if q.end <= m.start()]
        if len(run) >= 2 and len(before) >= len(run):
            out.update(zip(run, before[-len(run) :], strict=True))
        i = run[-1] + 1
    return out


def read_rates(text: str) -> list[RateMatch]:
    """Every percentage of a sentence with its kind and value, describing no figure yet
    (``figure`` is -1)."""
    if "%" not in text and _CHINESE_PERCENT not in text:
        return []
    r = rules()
    out: list[RateMatch] = []
    for m in r.percent.finditer(text):
        start, end = m.span()
        left, _ = clause_bounds(text, start, end)
        # A minus sign written before the number (增速-0.25%) is the rate's own.
        minus = start > 0 and text[start - 1] == "-" and not text[start - 2 : start - 1].isdigit()
        if minus:
            start -= 1
        direction = r.direction.search(text, max(0, start - 8), start)
        kind, sign = "other", -1 if minus else 1
        if direction is not None:
            word = direction.group().rstrip()
            start = direction.start()
            kind, sign = "change", r.sign_of[word]
            if sign == 0:  # 增长（下降）: the sign of the change the sentence states
                rest = text[: direction.start()] + text[direction.end() :]
                sign = -1 if r.down.search(rest) else 1
            if minus:
                sign = -sign
        elif out and r.list_joiner.fullmatch(text, out[-1].end, start):
            # a later item of a list of rates (占全市比重21.5%、33.8%) is of the first's kind
            kind = out[-1].kind
            if kind == "change":
                sign = (1 if out[-1].value >= 0 else -1) * (-1 if minus else 1)
        else:
            cues = list(r.cues.finditer(text, max(left, start - r.window), start))
            if cues:
                kind = r.kind_of[cues[-1].group()]
                if kind == "change":
                    sign = r.sign_of[cues[-1].group()] * (-1 if minus else 1)
        number = _percent_value(m.group())
        if number is None:
            continue
        out.append(RateMatch(start, end, text[start:end], kind, sign * number / 100, -1))
    return out


def _percent_value(written: str) -> float | None:
    """The number of ``12.5%`` or of ``百分之十二点五``."""
    if written.startswith(_CHINESE_PERCENT):
        return numbers.parse_number(written[len(_CHINESE_PERCENT) :])
    return float(written.rstrip("%").strip().replace(",", ""))


def _described(
    text: str,
    figures: list[QuantityMatch],
    start: int,
    end: int,
    strict: bool,
    change: bool = False,
) -> int | None:
    """The figure a percentage at ``[start, end)`` describes (index), or None.

    The nearest figure before it in its clause, or in the clause just before (``基本支出
    105.58万元，占34.30%``), or before clauses of rates only; else the first after it in
    its clause (``增长6.7%，达到…`` has none). ``strict`` (a percentage with no cue, or a
    pass rate) keeps only its own clause."""
    r = rules()
    left, right = clause_bounds(text, start, end)
    prev_left = left if strict or left == 0 else clause_bounds(text, left - 1, left - 1)[0]
    # A rate opening its clause (较上年增4.1%) reaches back over short clauses that state
    # only rates of the same figure (…86.5万元，完成预算92.4%，较上年增4.1%); one with a
    # subject of its own (居民消费价格上涨2%) describes that subject.
    opens_clause = (
        start - left <= 4
        or r.comparison.fullmatch(text, left, start) is not None
        # a share opening its clause (…产值2830亿元，同比增长13.5%，占…总产值的77.9%)
        or r.share_opening.match(text, left, start) is not None
    )
    if change and r.own_statistic.fullmatch(text, left, start) and not any(
        left <= q.start and q.end <= start for q in figures
    ):
        prev_left = left  # …减免税费56.2亿元，财政收入增长4.8%: the revenue's, no figure here
    while (
        not strict
        and opens_clause
        and prev_left > 0
        and "%" in text[prev_left:left]
        and left - prev_left <= 16
        and not any(prev_left <= q.start and q.end <= start for q in figures)
    ):
        prev_left = clause_bounds(text, prev_left - 1, prev_left - 1)[0]
    if strict and left > 0:
        # A rate named by the verb of the clause before (调解纠纷215件，调解成功率97%; 培训
        # 学员120人，培训合格率100%) is of that clause's figure.
        stem = r.stem_rate.fullmatch(text, left, start)
        if stem is not None:
            prev = clause_bounds(text, left - 1, left - 1)[0]
            verb = stem.group("stem")
            if verb is None or verb in text[prev : left - 1]:
                prev_left = prev
    before = [i for i, q in enumerate(figures) if prev_left <= q.start and q.end <= start]
    if before:
        return before[-1]
    after = [i for i, q in enumerate(figures) if q.start >= end and q.end <= right]
    return after[0] if after else None
