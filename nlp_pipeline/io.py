"""Write: activity records to JSON Lines, CSV or Parquet, never half-written.

``to_dataframe`` flattens records to one row per quantity with the record's
fields alongside (pandas). ``RecordWriter`` streams records to a temporary file
beside the target and renames it into place only when the run completes, so an
interrupted run leaves the previous output intact and no partial file under the
target's name.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pandas as pd

from .schema import ActivityRecord

FORMATS = ("jsonl", "csv", "parquet")

COLUMNS = [
    "doc_id",
    "record_id",
    "section",
    "sentence",
    "sentence_start",
    "sentence_end",
    "event",
    "event_start",
    "event_end",
    "event_type",
    "date",
    "date_value",
    "location",
    "organizers",
    "kind",
    "text",
    "start",
    "end",
    "value",
    "unit",
    "qualifier",
    "level",
    "role",
    "object",
    "currency",
]


def record_rows(record: ActivityRecord) -> list[dict[str, Any]]:
    """One flat row per quantity of a record."""
    base: dict[str, Any] = {
        "doc_id": record.doc_id,
        "record_id": record.record_id,
        "section": record.section,
        "sentence": record.sentence.text,
        "sentence_start": record.sentence.start,
        "sentence_end": record.sentence.end,
        "event": record.event.text if record.event else None,
        "event_start": record.event.start if record.event else None,
        "event_end": record.event.end if record.event else None,
        "event_type": record.event.type if record.event else None,
        "date": record.date.text if record.date else None,
        "date_value": record.date.value if record.date else None,
        "location": record.location.text if record.location else None,
        "organizers": "、".join(o.text for o in record.organizers) or None,
    }
    rows = []
    for q in record.quantities:
        row = dict(base)
        row.update(
            kind=q.kind,
            text=q.text,
            start=q.start,
            end=q.end,
            value=float(q.value),
            unit=q.unit,
            qualifier=q.qualifier,
            level=q.level,
            role=q.role,
            object=q.object,
            currency=q.currency,
        )
        rows.append(row)
    return rows


def to_dataframe(records: Iterable[ActivityRecord]) -> pd.DataFrame:
    """A pandas DataFrame with one row per quantity (columns: ``COLUMNS``)."""
    rows = [row for rec in records for row in record_rows(rec)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("sentence_start", "sentence_end", "event_start", "event_end", "start", "end"):
        frame[col] = frame[col].astype("Int64")
    return frame


def format_for(path: Path, requested: str | None) -> str:
    """The output format: as requested, else from the file suffix, else JSONL."""
    if requested:
        return requested
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "jsonl"


class RecordWriter:
    """Stream records to ``path`` atomically (a temporary file renamed at the end).

    ``append=True`` (JSONL only) starts from a copy of the existing output, so the
    records already there are kept, and still replaces the file only at the end.
    ``path`` ``None`` writes JSONL to ``stream`` (standard output) instead.
    """

    def __init__(
        self,
        path: Path | None,
        fmt: str = "jsonl",
        append: bool = False,
        stream: IO[str] | None = None,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        if append and fmt != "jsonl":
            raise ValueError("--append works with JSONL output only")
        self.path = path
        self.fmt = fmt
        self.append = append
        self.stream = stream
        self._tmp: Path | None = None
        self._fh: IO[str] | None = None
        self._parquet: Any = None
        self._csv_header = True
        self.records = 0
        self.quantities = 0

    def __enter__(self) -> RecordWriter:
        if self.path is None:
            self._fh = self.stream
            return self
        directory = self.path.parent if str(self.path.parent) else Path(".")
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        self._tmp = Path(tmp)
        if self.fmt in ("jsonl", "csv"):
            self._fh = open(self._tmp, "w", encoding="utf-8", newline="")
            if self.append and self.path.exists():
                with open(self.path, encoding="utf-8") as old:
                    for line in old:
                        self._fh.write(line if line.endswith("\n") else line + "\n")
        return self

    def write(self, records: list[ActivityRecord]) -> None:
        """Write one document's records (call once per document, in order)."""
        self.records += len(records)
        self.quantities += sum(len(r.quantities) for r in records)
        if self.fmt == "jsonl":
            assert self._fh is not None
            for rec in records:
                self._fh.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
            return
        frame = to_dataframe(records)
        if self.fmt == "csv":
            assert self._fh is not None
            frame.to_csv(self._fh, index=False, header=self._csv_header)
            self._csv_header = False
        elif len(frame):
            self._write_parquet(frame)

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, schema=_arrow_schema(), preserve_index=False)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self._tmp), _arrow_schema())
        self._parquet.write_table(table)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.path is None:
            if self._fh is not None:
                self._fh.flush()
            return
        try:
            if self._fh is not None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
            if self.fmt == "parquet":
                if self._parquet is None:
                    import pyarrow.parquet as pq

                    pq.write_table(_arrow_schema().empty_table(), str(self._tmp))
                else:
                    self._parquet.close()
        finally:
            if exc_type is None and self._tmp is not None:
                os.replace(self._tmp, self.path)
            elif self._tmp is not None and self._tmp.exists():
                self._tmp.unlink()


def _arrow_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    integer = pa.int64()
    types = {
        "sentence_start": integer,
        "sentence_end": integer,
        "event_start": integer,
        "event_end": integer,
        "start": integer,
        "end": integer,
        "value": pa.float64(),
    }
    return pa.schema([(c, types.get(c, text)) for c in COLUMNS])
