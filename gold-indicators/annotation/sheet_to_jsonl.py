"""Turn an annotation sheet (``<doc_id>.yaml``) into ``../<doc_id>.jsonl``.

The sheet lists each indicator row as read from the document's tables, with its values
written by hand. Spans are found here by searching the document's raw text for each
name, then its target and actual after it, in reading order, on lines that are table
rows; a cell that cannot be found stops the run, naming it. Run from the repository root:

    python3 gold-indicators/annotation/sheet_to_jsonl.py
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent.parent / "gold" / "docs"


def _value(spec: str | None) -> tuple[float | None, str | None, str | None]:
    if spec in (None, "-"):
        return None, None, None
    number, unit, comparator = spec.split()
    return float(number), unit, comparator


def _plain(value: float | None) -> float | int | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def convert(sheet: Path) -> list[dict]:
    doc_id = sheet.stem
    raw = next(p for p in DOCS.iterdir() if p.stem == doc_id).read_text(encoding="utf-8")
    rows, levels, pos = [], [None, None], 0

    def find(text: str, start: int) -> list[int]:
        """The next occurrence of ``text`` in a table row (a line with cells)."""
        at = raw.find(text, start)
        while at >= 0:
            line_start = raw.rfind("\n", 0, at) + 1
            line_end = raw.find("\n", at)
            if "\t" in raw[line_start:line_end] or "|" in raw[line_start:line_end]:
                return [at, at + len(text)]
            at = raw.find(text, at + 1)
        raise SystemExit(f"{sheet.name}: {text!r} not found in a table after offset {start}")

    for item in yaml.safe_load(sheet.read_text(encoding="utf-8")):
        if isinstance(item, dict):
            levels = item.get("levels", levels)
            continue
        name, target, target_value, actual, actual_value, weight, score, met = item
        span = find(name, pos)
        record = {"doc_id": doc_id, "indicator_id": f"{doc_id}:I{len(rows) + 1:03d}",
                  "level1": levels[0], "level2": levels[1],
                  "name": {"text": name, "span": span}}  # fmt: skip
        pos = span[1]
        for key, text, spec in (("target", target, target_value), ("actual", actual, actual_value)):
            if text is None:
                record[key] = None
                continue
            cell = find(text, pos)
            pos = cell[1]
            value, unit, comparator = _value(spec)
            record[key] = {"text": text, "span": cell, "value": _plain(value), "unit": unit,
                           "comparator": comparator}  # fmt: skip
        record.update({"weight": weight, "score": score, "met": met})
        rows.append(record)
    return rows


def main() -> None:
    for sheet in sorted(HERE.glob("*.yaml")):
        rows = convert(sheet)
        out = HERE.parent / f"{sheet.stem}.jsonl"
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                       encoding="utf-8")  # fmt: skip
        print(f"{out}: {len(rows)} indicator records")


if __name__ == "__main__":
    main()
