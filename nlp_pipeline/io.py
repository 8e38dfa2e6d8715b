"""Write: activity records to JSON Lines, CSV or Parquet, never half-written.

``to_dataframe`` flattens records to one row per quantity with the record's
fields alongside (pandas). ``RecordWriter`` streams records to a temporary file
beside the target and renames it into place only when the run completes, so an
interrupted run leaves the previous output intact and no partial file under the
target's name. In resume mode it instead appends to the target document by
document and keeps a manifest of the documents done (``OUT.manifest``), so a
killed run can be picked up where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from .ingest import doc_id_for, read_bytes
from .schema import ActivityRecord

if TYPE_CHECKING:  # pandas is imported on first use: JSONL output never loads it
    import pandas as pd

FORMATS = ("jsonl", "csv", "parquet")


@dataclass(frozen=True)
class RenderedRecords:
    """One document's records already rendered as JSON Lines, with their counts.

    Worker processes send these instead of the records themselves when the output
    is JSONL: the parent then only writes text, and its share of the two cores
    (unpickling record objects, encoding JSON) goes to extraction instead.
    """

    jsonl: str
    records: int
    quantities: int


def render_jsonl(records: list[ActivityRecord]) -> RenderedRecords:
    """``records`` as the JSONL text ``RecordWriter`` would write for them."""
    return RenderedRecords(
        "".join(_json_line(rec) for rec in records),
        len(records),
        sum(len(rec.quantities) for rec in records),
    )


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
    "event_line",
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
    "rates",
]


_QUANTITY_COLUMNS = COLUMNS[COLUMNS.index("kind") : COLUMNS.index("rates")]


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
        "event_line": record.event.line if record.event else None,
        "date": record.date.text if record.date else None,
        "date_value": record.date.value if record.date else None,
        "location": record.location.text if record.location else None,
        "organizers": "、".join(o.text for o in record.organizers) or None,
        "rates": _rates_json(record),
    }
    rows = []
    for q in record.quantities:
        row = dict(base)
        row.update({name: getattr(q, name) for name in _QUANTITY_COLUMNS})
        row["value"] = float(q.value)
        rows.append(row)
    return rows


def _rates_json(record: ActivityRecord) -> str | None:
    """A record's rates as their JSON list (SCHEMA.md), or None where it has none."""
    if not record.rates:
        return None
    return json.dumps([r.to_dict() for r in record.rates], ensure_ascii=False)


def to_dataframe(records: Iterable[ActivityRecord]) -> pd.DataFrame:
    """A pandas DataFrame with one row per quantity (columns: ``COLUMNS``)."""
    import pandas as pd

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


class ResumeError(ValueError):
    """The output and its resume manifest do not agree; the message says what to do."""


def manifest_path(path: Path) -> Path:
    """The resume manifest kept beside a JSONL output: ``OUT.manifest``."""
    return path.with_name(path.name + ".manifest")


def resume_key(path: Path) -> str:
    """What ``--resume`` knows an input file by: its doc_id and the SHA-256 of its bytes.

    Raises ``IngestError`` when the file cannot be read.
    """
    digest = hashlib.sha256(read_bytes(path)).hexdigest()
    return f"{doc_id_for(path)}:{digest}"


class RecordWriter:
    """Stream records to ``path``, never leaving a half-written file behind.

    By default the records go to a temporary file beside ``path`` that replaces
    it only when the run completes (``os.replace``): an interrupted run leaves the
    previous output as it was and nothing under its name. ``append=True`` (JSONL
    only) starts that temporary file from a copy of the existing output, so the
    records already there are kept. ``path`` ``None`` writes JSONL to ``stream``
    (standard output) instead. Either way a manifest left beside ``path`` by an
    earlier ``resume`` run no longer describes it and is removed.

    ``resume=True`` (JSONL only) writes to ``path`` itself, one document at a
    time, and after each document appends a line to ``manifest_path(path)``: the
    document's key (see ``resume_key``) and the output's size after it. Opening
    it again cuts off whatever a killed run wrote after its last manifest line;
    ``completed`` then holds the keys of the documents already written, which
    the caller skips.
    """

    def __init__(
        self,
        path: Path | None,
        fmt: str = "jsonl",
        append: bool = False,
        stream: IO[str] | None = None,
        resume: bool = False,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        if append and fmt != "jsonl":
            raise ValueError("--append works with JSONL output only")
        if resume and (fmt != "jsonl" or path is None):
            raise ValueError("--resume needs JSONL output to a file (-o OUT.jsonl)")
        self.path = path
        self.fmt = fmt
        self.append = append
        self.stream = stream
        self.resume = resume
        self.completed: set[str] = set()
        self._tmp: Path | None = None
        self._fh: IO[str] | None = None
        self._out: IO[bytes] | None = None
        self._manifest: IO[bytes] | None = None
        self._committed = 0
        self._parquet: _ParquetSink | None = None
        self._csv_header = True
        self.records = 0
        self.quantities = 0

    def __enter__(self) -> RecordWriter:
        if self.path is None:
            self._fh = self.stream
            return self
        directory = self.path.parent if str(self.path.parent) else Path(".")
        directory.mkdir(parents=True, exist_ok=True)
        if self.resume:
            self._open_resume()
            return self
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        self._tmp = Path(tmp)
        if self.fmt in ("jsonl", "csv"):
            if self.append and self.path.exists():
                _copy_ending_in_newline(self.path, self._tmp)
            self._fh = open(self._tmp, "a", encoding="utf-8", newline="")
        else:
            self._parquet = _ParquetSink(self._tmp, _arrow_schema())
        return self

    def _open_resume(self) -> None:
        assert self.path is not None
        manifest = manifest_path(self.path)
        entries, manifest_size = _read_manifest(manifest)
        self._committed = entries[-1][1] if entries else 0
        size = self.path.stat().st_size if self.path.exists() else 0
        if size and not manifest.exists():
            raise ResumeError(
                f"{self.path} exists but was not written with --resume (no {manifest.name}); "
                "move it away or run without --resume"
            )
        if size < self._committed:
            raise ResumeError(
                f"{self.path} is shorter than {manifest.name} says ({size} < "
                f"{self._committed} bytes); delete {manifest.name} to start over"
            )
        self.completed = {key for key, _ in entries}
        self._out = _open_at(self.path, self._committed)  # drops what a killed run left
        self._manifest = _open_at(manifest, manifest_size)  # and a torn manifest line

    def write(
        self, records: list[ActivityRecord] | RenderedRecords, key: str | None = None
    ) -> None:
        """Write one document's records (call once per document, in order).

        ``records`` may come already rendered (``render_jsonl``) for JSONL output.
        ``key`` (resume mode) marks the document done once its records are on disk.
        """
        if isinstance(records, RenderedRecords) and self.fmt != "jsonl":
            raise ValueError(f"records rendered as JSONL cannot be written as {self.fmt}")
        if self.fmt == "jsonl":
            if not isinstance(records, RenderedRecords):
                records = render_jsonl(records)
            self.records += records.records
            self.quantities += records.quantities
            if self._out is not None:
                self._write_resume(records, key)
            else:
                assert self._fh is not None
                self._fh.write(records.jsonl)
            return
        assert isinstance(records, list)
        self.records += len(records)
        self.quantities += sum(len(r.quantities) for r in records)
        frame = to_dataframe(records)
        if self.fmt == "csv":
            assert self._fh is not None
            frame.to_csv(self._fh, index=False, header=self._csv_header)
            self._csv_header = False
        elif len(frame):
            assert self._parquet is not None
            self._parquet.write(frame)

    def _write_resume(self, rendered: RenderedRecords, key: str | None) -> None:
        assert self._out is not None and self._manifest is not None
        if key is None:
            raise ValueError("resume mode: every document needs its key")
        self._out.write(rendered.jsonl.encode("utf-8"))
        self._out.flush()
        os.fsync(self._out.fileno())  # the records are on disk before the manifest says so
        self._committed = self._out.tell()
        entry = {"key": key, "records": rendered.records, "offset": self._committed}
        self._manifest.write(json.dumps(entry).encode("ascii") + b"\n")
        self._manifest.flush()
        self.completed.add(key)

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
        if self._out is not None:
            self._close_resume()
            return
        replaced = False
        try:
            self._close_temporary()
            if exc_type is None and self._tmp is not None:
                os.chmod(self._tmp, _new_file_mode(self.path))
                os.replace(self._tmp, self.path)
                replaced = True
                manifest_path(self.path).unlink(missing_ok=True)
        finally:
            if not replaced and self._tmp is not None:
                self._tmp.unlink(missing_ok=True)

    def _close_temporary(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        if self._parquet is not None:
            self._parquet.close()

    def _close_resume(self) -> None:
        assert self._out is not None and self._manifest is not None
        try:
            self._out.truncate(self._committed)  # an interrupted document's records
        finally:
            self._out.close()
            self._manifest.close()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file beside it, renamed
    into place once complete: ``path`` is never half-written."""
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _json_line(record: ActivityRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"


def _read_manifest(manifest: Path) -> tuple[list[tuple[str, int]], int]:
    """``(key, offset)`` of each complete manifest line, and their size in bytes.

    Reading stops at a torn or invalid line (a run killed while writing it).
    """
    entries: list[tuple[str, int]] = []
    size = 0
    try:
        data = manifest.read_bytes()
    except FileNotFoundError:
        return entries, size
    for line in data.split(b"\n")[:-1]:
        try:
            entry = json.loads(line)
            key, offset = str(entry["key"]), int(entry["offset"])
        except (ValueError, TypeError, KeyError):
            break
        if entries and offset < entries[-1][1]:
            break
        entries.append((key, offset))
        size += len(line) + 1
    return entries, size


def _open_at(path: Path, size: int) -> IO[bytes]:
    """Open ``path`` for writing (created if missing), cut to ``size`` bytes, at its end."""
    fh = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o666), "r+b")
    fh.truncate(size)
    fh.seek(size)
    return fh


def _copy_ending_in_newline(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with open(target, "rb+") as fh:
        size = fh.seek(0, os.SEEK_END)
        if size:
            fh.seek(size - 1)
            if fh.read(1) != b"\n":
                fh.write(b"\n")


def _new_file_mode(path: Path) -> int:
    """The permissions of the file being replaced, else the default for a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


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


class FrameWriter:
    """Write pandas frames to one CSV or Parquet file, appended frame by frame, atomically.

    Like ``RecordWriter``: the frames go to a temporary file beside ``path`` that
    replaces it only when the block ends without an error. ``schema`` (a
    ``pyarrow.Schema``) fixes the Parquet columns; by default the first frame's.
    """

    def __init__(self, path: Path, fmt: str, schema: Any = None) -> None:
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"unknown table format {fmt!r}; use csv or parquet")
        self.path = path
        self.fmt = fmt
        self.schema = schema
        self._tmp: Path | None = None
        self._fh: IO[str] | None = None
        self._parquet: _ParquetSink | None = None
        self._header = True

    def __enter__(self) -> FrameWriter:
        directory = self.path.parent if str(self.path.parent) else Path(".")
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        self._tmp = Path(tmp)
        if self.fmt == "csv":
            self._fh = open(self._tmp, "w", encoding="utf-8", newline="")
        else:
            self._parquet = _ParquetSink(self._tmp, self.schema)
        return self

    def write(self, frame: pd.DataFrame) -> None:
        if self.fmt == "csv":
            assert self._fh is not None
            frame.to_csv(self._fh, index=False, header=self._header)
            self._header = False
            return
        assert self._parquet is not None
        self._parquet.write(frame)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._tmp is not None
        replaced = False
        try:
            if self._fh is not None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
            if self._parquet is not None and exc_type is None:
                self._parquet.close()
            if exc_type is None:
                os.chmod(self._tmp, _new_file_mode(self.path))
                os.replace(self._tmp, self.path)
                replaced = True
        finally:
            if not replaced:
                self._tmp.unlink(missing_ok=True)


class _ParquetSink:
    """Frames appended to one Parquet file at ``path``: the columns of ``schema`` (a
    ``pyarrow.Schema``), else of the first frame; closed with an empty table of the schema
    where no frame came."""

    def __init__(self, path: Path, schema: Any = None) -> None:
        self.path = path
        self.schema = schema
        self._writer: Any = None

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        if self._writer is None:
            self.schema = table.schema
            self._writer = pq.ParquetWriter(str(self.path), table.schema)
        self._writer.write_table(table)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            return
        import pyarrow.parquet as pq

        if self.schema is None:
            raise ValueError("an empty Parquet table needs a schema")
        pq.write_table(self.schema.empty_table(), str(self.path))


def write_frame(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write one frame to ``path`` as CSV or Parquet, atomically (``FrameWriter``)."""
    with FrameWriter(path, fmt) as writer:
        writer.write(frame)
