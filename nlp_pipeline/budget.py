"""Budget lines: where a sentence names a line of the final-accounts template.

``find_lines`` takes a sentence's normalized text and returns the budget lines it
names (``收入支出总计``, ``基本支出``, ``“三公”经费``, the 类/款/项 names of the
functional classification…), each with its canonical ``line`` (the same in every
report) and the role a money figure of the line has when its clause names none.
Every form comes from ``patterns/budget.yaml``; every span indexes the text given.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from . import patterns
from .quantities import clause_bounds, is_han

# Half-width brackets are matched as the full-width ones the lexicon writes.
_BRACKETS = str.maketrans("()", "（）")


@dataclass(frozen=True)
class LineMatch:
    start: int
    end: int
    text: str
    line: str
    kind: str  # income | spent | other: the role of a money figure with no cue of its own
    # A heading that names this line names it for every figure under it: the 类/款/项
    # names of the classification, and lines marked ``heading: true`` (国有资产).
    heading: bool = False


@dataclass(frozen=True)
class _Rules:
    forms: regex.Pattern[str]
    line_of: dict[str, tuple[str, str]]
    kind_of: dict[str, str]
    form_kind: dict[str, str]
    heading_lines: frozenset[str]
    classification: regex.Pattern[str]
    drop_prefix: regex.Pattern[str]
    compound_forms: frozenset[str]
    allowed_before: str
    opening_forms: frozenset[str]
    opening: regex.Pattern[str]
    bare_forms: frozenset[str]
    comparison_clause: regex.Pattern[str]
    bare_next: regex.Pattern[str]


@cache
def rules() -> _Rules:
    name = "budget"
    data = patterns.load(name)
    lines = patterns.require(data, "lines", dict, name)
    line_of: dict[str, tuple[str, str]] = {}
    for canonical, entry in lines.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("forms"), list):
            raise patterns.PatternError(
                f"{patterns.where(name, str(canonical))}: line {canonical!r} needs a list of forms"
            )
        kind = str(entry.get("kind", "other"))
        for form in entry["forms"]:
            line_of[str(form).translate(_BRACKETS)] = (str(canonical), kind)
    return _Rules(
        forms=patterns.compile_regex(patterns.alternation(list(line_of)), name, "lines"),
        line_of=line_of,
        kind_of={canonical: kind for canonical, kind in line_of.values()},
        form_kind={str(k): str(v) for k, v in (data.get("form_kinds") or {}).items()},
        heading_lines=frozenset(str(c) for c, e in lines.items() if e.get("heading")),
        classification=patterns.compile_regex(
            patterns.require(data, "classification", str, name), name, "classification"
        ),
        drop_prefix=patterns.compile_regex(
            data.get("classification_drop_prefix", "(?!)"), name, "classification_drop_prefix"
        ),
        compound_forms=frozenset(str(f) for f in data.get("compound_forms", [])),
        allowed_before=str(data.get("allowed_before", "")),
        opening_forms=frozenset(str(f) for f in data.get("opening_forms", [])),
        opening=patterns.optional_regex(data, "opening", name),
        bare_forms=frozenset(str(f) for f in data.get("bare_forms", [])),
        comparison_clause=patterns.optional_regex(data, "comparison_clause", name),
        bare_next=patterns.optional_regex(data, "bare_next", name),
    )


@lru_cache(maxsize=1024)
def find_lines(text: str) -> tuple[LineMatch, ...]:
    """The budget lines named in ``text``, in reading order, none overlapping. Cached:
    a sentence is asked again for each of its money figures, a heading for each of its
    paragraph's figures."""
    r = rules()
    matched = text.translate(_BRACKETS)
    found: list[LineMatch] = []
    for m in r.classification.finditer(matched):
        start = m.start()
        lei = m.group("lei")
        drop = r.drop_prefix.match(lei)
        if drop:
            start += drop.end()
            lei = lei[drop.end() :]
        parts = [lei] + [m.group(g) for g in ("kuan", "xiang") if m.group(g)]
        found.append(
            LineMatch(start, m.end(), text[start : m.end()], "/".join(parts), "spent", True)
        )
    for m in r.forms.finditer(matched):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        before = matched[m.start() - 1 : m.start()]
        bare = m.group() in r.bare_forms
        opening = bare or m.group() in r.opening_forms
        if bare:
            if not _opens_bare(matched, m.start(), r):
                continue  # 公务接待36人次，支出0.8万元: the activity's spending, no line
        elif opening and not _opens(matched, m.start(), r):
            continue  # 科普经费，预算支出8万元: a role of the item named before, no line
        if (
            m.group() in r.compound_forms
            and is_han(before)
            and before not in r.allowed_before
            and not opening  # 民政局部门预算收入…: opening its clause after the unit's name
        ):
            continue  # the tail of a longer name: 科普经费项目支出
        canonical, kind = r.line_of[m.group()]
        found.append(
            LineMatch(
                m.start(),
                m.end(),
                text[m.start() : m.end()],
                canonical,
                kind,
                canonical in r.heading_lines,
            )
        )
    found.sort(key=lambda f: f.start)
    return tuple(found)


def is_bare(text: str) -> bool:
    """True for a bare column word (收入, 支出) naming the unit's total."""
    return text in rules().bare_forms


def is_budget_row(text: str) -> bool:
    """True for a budget document's own row (预算收入, 支出预算: the opening forms)."""
    return text in rules().opening_forms


def line_role(line: str, form: str = "") -> str:
    """The role of a money figure of ``line`` whose clause names none: the kind of the
    ``form`` it is written in where that form names one column of a total (收入总计:
    income), else the line's kind (income, spent, other); a line of the classification
    is spending."""
    r = rules()
    return r.form_kind.get(form) or r.kind_of.get(line, "spent")


def _opens_bare(text: str, start: int, r: _Rules) -> bool:
    """True where a bare 收入 or 支出 that opens its clause opens the sentence, or follows
    a clause that only compares (与上年相比，…) or one that opens with a bare form too
    (收入…元，支出…元): the unit's total, not the spending of what the clause before named."""
    if not r.bare_next.match(text, start + 2):
        return False  # 支出决算为…, 收入主要来源于…: a role word or a topic, no line
    clause = _clause_opened(text, start, r)
    if clause is None:
        return False  # 人均可支配收入…: the tail of another name
    left, before = clause
    if left == 0:
        return True
    if r.comparison_clause.fullmatch(text, before, left - 1):
        return True
    opener = r.opening.match(text, before, left - 1)
    at = opener.end() if opener else before
    return any(text.startswith(form, at) for form in r.bare_forms)


def _opens(text: str, start: int, r: _Rules) -> bool:
    """True where a form at ``start`` opens its clause (after at most a year and a
    unit's name) and the clause before it, if any, states a figure: it is then the
    line, not the role of an item the clause before named."""
    clause = _clause_opened(text, start, r)
    if clause is None:
        return False
    left, before = clause
    return left == 0 or any(ch.isdigit() for ch in text[before : left - 1])


def _clause_opened(text: str, start: int, r: _Rules) -> tuple[int, int] | None:
    """Where a form at ``start`` opens its clause (after at most a year and a unit's
    name): the clause's start and the start of the clause before it (0 where there is
    none); else None."""
    left, _ = clause_bounds(text, start, start)
    if not r.opening.fullmatch(text, left, start):
        return None
    before = clause_bounds(text, left - 1, left - 1)[0] if left > 0 else 0
    return left, before
