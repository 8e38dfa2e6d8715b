"""The activity-record data model and its JSON form (see SCHEMA.md).

Every stage after ``ingest`` exchanges these dataclasses. ``ActivityRecord.to_dict``
produces exactly the JSON Lines object that SCHEMA.md defines, and
``ActivityRecord.from_dict`` reads it back (gold files use the same format).
All spans are ``[start, end)`` indices into the raw text of the input file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUANTITY_KINDS: tuple[str, ...] = ("sessions", "participants", "award", "money", "count")
QUALIFIERS: tuple[str, ...] = ("exact", "over", "at_least", "about", "nearly", "under")
MONEY_ROLES: tuple[str, ...] = ("budget", "spent", "income", "grant", "change", "other")
RATE_KINDS: tuple[str, ...] = ("execution", "change", "share", "other")
EVENT_TYPES: tuple[str, ...] = (
    "popularization",
    "training",
    "lecture",
    "academic",
    "competition",
    "exhibition",
    "meeting",
    "visit",
    "recognition",
    "establishment",
    "publicity",
    "project",
    "other",
)


class SchemaError(ValueError):
    """A record or one of its fields does not follow SCHEMA.md."""


@dataclass(frozen=True)
class Mention:
    """A piece of the source text: its surface form and raw ``[start, end)`` span."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": [self.start, self.end]}

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Event(Mention):
    """An activity or budget line; ``line`` is a budget line's canonical name."""

    type: str = "other"
    line: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "span": [self.start, self.end], "type": self.type}
        if self.line is not None:
            out["line"] = self.line
        return out


@dataclass(frozen=True)
class Rate(Mention):
    """A percentage stated about a record's figures; ``value`` is a fraction."""

    kind: str = "other"
    value: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "span": [self.start, self.end],
            "value": _plain_number(self.value),
        }


@dataclass(frozen=True)
class DateMention(Mention):
    value: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": [self.start, self.end], "value": self.value}


@dataclass(frozen=True)
class Quantity(Mention):
    kind: str = "count"
    value: float = 0
    unit: str = ""
    qualifier: str = "exact"
    level: str | None = None
    role: str | None = None
    object: str | None = None
    currency: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "span": [self.start, self.end],
            "value": _plain_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
        }
        if self.kind == "award":
            out["level"] = self.level
        if self.kind == "money":
            out["role"] = self.role
            if self.currency:
                out["currency"] = self.currency
        if self.kind == "count":
            out["object"] = self.object
        return out


@dataclass
class ActivityRecord:
    doc_id: str
    sentence: Mention
    quantities: list[Quantity] = field(default_factory=list)
    event: Event | None = None
    date: DateMention | None = None
    location: Mention | None = None
    organizers: list[Mention] = field(default_factory=list)
    section: str | None = None
    record_id: str | None = None
    rates: list[Rate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "record_id": self.record_id,
            "section": self.section,
            "sentence": self.sentence.to_dict(),
            "event": self.event.to_dict() if self.event else None,
            "date": self.date.to_dict() if self.date else None,
            "location": self.location.to_dict() if self.location else None,
            "organizers": [o.to_dict() for o in self.organizers],
            "quantities": [q.to_dict() for q in self.quantities],
            "rates": [r.to_dict() for r in self.rates],
        }

    @classmethod
    def from_dict(cls, data: Any) -> ActivityRecord:
        """Build a record from its JSON form; raise ``SchemaError`` naming the bad field."""
        if not isinstance(data, dict):
            raise SchemaError("a record must be a JSON object")
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            raise SchemaError("'doc_id' must be a non-empty string")
        quantities_raw = data.get("quantities", [])
        if not isinstance(quantities_raw, list):
            raise SchemaError("'quantities' must be a list")
        organizers_raw = data.get("organizers", []) or []
        if not isinstance(organizers_raw, list):
            raise SchemaError("'organizers' must be a list")
        rates_raw = data.get("rates", []) or []
        if not isinstance(rates_raw, list):
            raise SchemaError("'rates' must be a list")
        section = data.get("section")
        if section is not None and not isinstance(section, str):
            raise SchemaError("'section' must be a string or null")
        record_id = data.get("record_id")
        if record_id is not None and not isinstance(record_id, str):
            raise SchemaError("'record_id' must be a string or null")
        return cls(
            doc_id=doc_id,
            record_id=record_id,
            section=section,
            sentence=_mention(data.get("sentence"), "sentence"),
            event=_event(data.get("event")),
            date=_date(data.get("date")),
            location=_mention(data["location"], "location") if data.get("location") else None,
            organizers=[_mention(o, "organizers[]") for o in organizers_raw],
            quantities=[_quantity(q, i) for i, q in enumerate(quantities_raw)],
            rates=[_rate(r, i) for i, r in enumerate(rates_raw)],
        )


def _plain_number(value: float) -> float | int:
    """Write whole numbers as JSON integers (``1500`` rather than ``1500.0``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _span(data: dict[str, Any], where: str) -> tuple[int, int]:
    span = data.get("span")
    if (
        not isinstance(span, list)
        or len(span) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)
    ):
        raise SchemaError(f"'{where}.span' must be a list of two integers")
    start, end = span
    if not 0 <= start <= end:
        raise SchemaError(f"'{where}.span' must satisfy 0 <= start <= end, got {span}")
    return start, end


def _text(data: dict[str, Any], where: str) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        raise SchemaError(f"'{where}.text' must be a string")
    return text


def _mention(data: Any, where: str) -> Mention:
    if not isinstance(data, dict):
        raise SchemaError(f"'{where}' must be an object with 'text' and 'span'")
    start, end = _span(data, where)
    return Mention(_text(data, where), start, end)


def _event(data: Any) -> Event | None:
    if data is None:
        return None
    base = _mention(data, "event")
    etype = data.get("type")
    if etype not in EVENT_TYPES:
        raise SchemaError(f"'event.type' must be one of {', '.join(EVENT_TYPES)}, got {etype!r}")
    line = _optional_str(data, "line", "event")
    return Event(base.text, base.start, base.end, etype, line)


def _rate(data: Any, index: int) -> Rate:
    where = f"rates[{index}]"
    base = _mention(data, where)
    kind = data.get("kind")
    if kind not in RATE_KINDS:
        raise SchemaError(f"'{where}.kind' must be one of {', '.join(RATE_KINDS)}, got {kind!r}")
    value = data.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise SchemaError(f"'{where}.value' must be a number (a fraction: 93.1% is 0.931)")
    return Rate(base.text, base.start, base.end, kind=kind, value=value)


def _date(data: Any) -> DateMention | None:
    if data is None:
        return None
    base = _mention(data, "date")
    value = data.get("value")
    if not isinstance(value, str) or not value:
        raise SchemaError("'date.value' must be a non-empty string")
    return DateMention(base.text, base.start, base.end, value)


def _optional_str(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise SchemaError(f"'{where}.{key}' must be a string or null")
    return value


def _quantity(data: Any, index: int) -> Quantity:
    where = f"quantities[{index}]"
    base = _mention(data, where)
    kind = data.get("kind")
    if kind not in QUANTITY_KINDS:
        raise SchemaError(
            f"'{where}.kind' must be one of {', '.join(QUANTITY_KINDS)}, got {kind!r}"
        )
    value = data.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise SchemaError(f"'{where}.value' must be a number")
    qualifier = data.get("qualifier", "exact")
    if qualifier not in QUALIFIERS:
        raise SchemaError(f"'{where}.qualifier' must be one of {', '.join(QUALIFIERS)}")
    role = _optional_str(data, "role", where)
    if kind == "money" and role is not None and role not in MONEY_ROLES:
        raise SchemaError(f"'{where}.role' must be one of {', '.join(MONEY_ROLES)}")
    unit = data.get("unit", "")
    if not isinstance(unit, str):
        raise SchemaError(f"'{where}.unit' must be a string")
    return Quantity(
        base.text,
        base.start,
        base.end,
        kind=kind,
        value=value,
        unit=unit,
        qualifier=qualifier,
        level=_optional_str(data, "level", where),
        role=role,
        object=_optional_str(data, "object", where),
        currency=_optional_str(data, "currency", where),
    )
