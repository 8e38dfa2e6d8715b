"""Numbers: Chinese and Arabic numerals, 万/亿 multipliers, qualifier words.

``parse_number`` turns a written number (``1,234.5``, ``一千二百``, ``4.8万``,
``逾万``'s ``万``) into a float; ``qualifier_for`` names the qualifier of a word
(``余`` → ``over``). The tables come from ``patterns/numbers.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from . import patterns


@dataclass(frozen=True)
class NumberRules:
    digits: dict[str, int]
    small_units: dict[str, int]
    large_units: dict[str, int]
    prefix: dict[str, str]
    suffix: dict[str, str]
    post: dict[str, str]
    point: str

    @property
    def chinese_chars(self) -> str:
        return "".join(self.digits) + "".join(self.small_units) + "".join(self.large_units)


def _invert(groups: dict[str, list[str]]) -> dict[str, str]:
    return {word: qualifier for qualifier, words in groups.items() for word in words}


@cache
def rules() -> NumberRules:
    name = "numbers"
    data = patterns.load(name)
    quals = patterns.require(data, "qualifiers", dict, name)
    return NumberRules(
        digits={str(k): int(v) for k, v in patterns.require(data, "digits", dict, name).items()},
        small_units={str(k): int(v) for k, v in data["small_units"].items()},
        large_units={str(k): int(v) for k, v in data["large_units"].items()},
        prefix=_invert(quals.get("prefix", {})),
        suffix=_invert(quals.get("suffix", {})),
        post=_invert(quals.get("post", {})),
        point=str(data.get("point", "点")),
    )


def parse_number(text: str) -> float | None:
    """Value of a written number, or None when it is not one.

    Handles Arabic numbers with thousands separators and decimals, Chinese
    numerals (``一千二百``, ``两万``, ``十``, positional ``二〇二四``) and mixed forms
    (``4.8万``, ``1.5亿``, ``12万亿``).
    """
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    r = rules()
    # Split off trailing large units applied to an Arabic number: 4.8万, 12万亿.
    head = text
    factor = 1
    while head and head[-1] in r.large_units and not _is_chinese_numeral(head):
        factor *= r.large_units[head[-1]]
        head = head[:-1]
    if head and _is_arabic(head):
        try:
            return float(Decimal(head) * factor)
        except InvalidOperation:
            return None
    if _is_chinese_numeral(text):
        return _parse_chinese(text, r)
    return _parse_chinese_decimal(text, r)


def _is_arabic(text: str) -> bool:
    if text.count(".") > 1 or text.startswith(".") or text.endswith("."):
        return False
    return all(ch.isdigit() or ch == "." for ch in text) and any(ch.isdigit() for ch in text)


def _is_chinese_numeral(text: str) -> bool:
    chars = rules().chinese_chars
    return bool(text) and all(ch in chars for ch in text)


def _parse_chinese(text: str, r: NumberRules) -> float | None:
    if all(ch in r.digits for ch in text) and len(text) > 1:
        # Positional digits: 二〇二四 -> 2024.
        return float("".join(str(r.digits[ch]) for ch in text))
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in r.digits:
            digit = r.digits[ch]
        elif ch in r.small_units:
            section += (1 if digit is None else digit) * r.small_units[ch]
            digit = None
        elif ch in r.large_units:
            unit = r.large_units[ch]
            written = digit is not None or section != 0  # 零万 is zero, a bare 万 one 万
            section += digit or 0
            if unit > 10000 and total:
                # 亿 after 万 (一万亿, 三千万亿) multiplies all that came before.
                total = (total + section) * unit
            else:
                total += (section if written else 1) * unit
            section = 0
            digit = None
    section += digit or 0
    return float(total + section)


def _parse_chinese_decimal(text: str, r: NumberRules) -> float | None:
    """A Chinese numeral with a decimal point 点 (``六点三万亿``, ``八点五``): the whole
    part read as a numeral, the digits after 点 one by one, then any 万/亿 after them."""
    whole, sep, rest = text.partition(r.point)
    if not sep or not whole or not _is_chinese_numeral(whole):
        return None
    factor = 1
    while rest and rest[-1] in r.large_units:
        factor *= r.large_units[rest[-1]]
        rest = rest[:-1]
    if not rest or not all(ch in r.digits for ch in rest):
        return None
    integer = _parse_chinese(whole, r)
    if integer is None:
        return None
    fraction = "".join(str(r.digits[ch]) for ch in rest)
    return float((Decimal(int(integer)) + Decimal("0." + fraction)) * factor)


def qualifier_for(word: str, position: str) -> str | None:
    """The qualifier a word expresses in ``position`` (prefix, suffix or post)."""
    r = rules()
    table = {"prefix": r.prefix, "suffix": r.suffix, "post": r.post}[position]
    return table.get(word)
