"""Prefilter: skip a regular expression on a text that cannot hold a match.

A rule such as ``(?P<event>[^，。]{4,20}?)(?:从|由)(?=\\d)`` is tried at every position of
every sentence, 4 to 20 characters at a time, although it can only match where 从 or 由
is. ``required_chars(pattern)`` reads the pattern (with Python's own regular-expression
parser) for a few characters of which every match must hold at least one, so a
caller can skip the search on a text that holds none of them: the matches are the
same, found or not, only faster.

It answers ``None`` (no prefilter: always search) for anything it does not fully
understand: a pattern the parser rejects or reads another way than ``regex`` may
(flags, fuzzy ``{e<=1}`` counts, ``\\p{..}`` classes, sets of sets), or one whose
required characters are many.
"""

from __future__ import annotations

import warnings
from typing import Any

import regex

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# More characters than this and a prefilter hardly ever skips anything.
MAX_CHARS = 8
# Syntax that regex reads differently from Python's re (or that re does not know).
_REGEX_ONLY = ("\\p", "\\P", "\\X", "\\m", "\\M", "\\G", "\\K", "(?V", "(?r", "(?f", "(?|", "[[")


def required_chars(pattern: str) -> str | None:
    """Characters of which every match of ``pattern`` holds one, or None if unknown."""
    if any(s in pattern for s in _REGEX_ONLY) or _has_fuzzy(pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _p.parse(pattern)
    except Exception:  # noqa: BLE001 - any doubt: no prefilter
        return None
    if parsed.state.flags & ~(_c.SRE_FLAG_UNICODE):
        return None
    found = _required(list(parsed))
    if not found or len(found) > MAX_CHARS:
        return None
    return "".join(sorted(found))


def _has_fuzzy(pattern: str) -> bool:
    """``{e<=1}``, ``{i,d}``…: regex's fuzzy counts, which re reads as literal text."""
    for i, ch in enumerate(pattern):
        if ch == "{" and pattern[i + 1 : i + 2] in ("e", "i", "d", "s"):
            return True
    return False


def _required(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The smallest known set of characters one of which a match of ``items`` holds."""
    best: set[str] | None = None
    for op, av in items:
        found = _item(op, av)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _item(op: Any, av: Any) -> set[str] | None:
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is _c.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is _c.RANGE and sub_av[1] - sub_av[0] < MAX_CHARS:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:  # NEGATE, CATEGORY (\d, \w), a wide range
                return None
        return chars
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        low, _, sub = av
        return _required(list(sub)) if low >= 1 else None
    if op is _c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return _required(list(sub)) if not add_flags and not del_flags else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _required(list(av))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _required(list(alternative))
            if found is None:
                return None
            union |= found
        return union
    if op is _c.ASSERT:  # a lookahead or lookbehind: its text is in the string too
        _, sub = av
        return _required(list(sub))
    return None  # ANY, AT, ASSERT_NOT, GROUPREF, CATEGORY…


_PROBES: dict[object, regex.Pattern[str] | None] = {}


def may_match(pattern: regex.Pattern[str], text: str) -> bool:
    """False only where ``pattern`` cannot match anywhere in ``text`` (it lacks every
    character ``required_chars`` names); True otherwise, so the caller searches."""
    try:
        probe = _PROBES[pattern]
    except KeyError:
        chars = required_chars(pattern.pattern)
        probe = regex.compile(f"[{regex.escape(chars)}]") if chars else None
        _PROBES[pattern] = probe
    return probe is None or probe.search(text) is not None
