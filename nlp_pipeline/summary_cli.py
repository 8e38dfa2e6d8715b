"""``nlp-pipeline summarize``: reports (or their records) in, the summary table out.

Inputs: documents (``PATH…``: extracted here, on ``--workers`` processes through
``parallel.extract_files``, or on Dask with ``--engine dask``), or ``--records FILE``:
the JSON Lines of ``extract`` (or its Parquet file or folder). Each document's records
are summarized as they arrive and then dropped (``summarize.summarize``), so memory
follows the number of reports, not of records. Outputs: ``-o`` the summary (CSV or
Parquet by its suffix), ``--long`` the cells behind it, ``--html DIR`` the dashboard.

With ``--engine dask`` the extraction writes the partitioned Parquet of ``extract
--engine dask`` (into ``--parquet DIR``, or a temporary folder), and the summary is
computed from it with ``dask.dataframe``: the rows grouped by document, each group
summarized by the same function as locally.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli import EXIT_FAILURES, EXIT_USAGE, Failure, input_files, report_failures
from .ingest import IngestError, doc_id_for, read_document
from .io import COLUMNS, FrameWriter, write_frame
from .limits import Interrupted, terminate_as_interrupt
from .schema import ActivityRecord, SchemaError
from .summarize import (
    LONG_COLUMNS,
    Cell,
    Profile,
    profile_document,
    profile_records,
    read_findings,
    records_from_rows,
    summarize,
    summarize_document,
    summary_table,
)

if TYPE_CHECKING:
    import pandas as pd

TABLE_FORMATS = ("csv", "parquet")
# Long-table rows written at once.
LONG_BATCH = 20_000
# extract's columns a summary reads from partitioned Parquet (places and organizers not).
DASK_COLUMNS = [c for c in COLUMNS if c not in ("location", "organizers")]


class UsageError(ValueError):
    """The options do not fit together; the message says why."""


def long_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("doc_id", text),
            ("measure", text),
            ("value", pa.float64()),
            ("unit", text),
            ("record_id", text),
            ("span", pa.list_(pa.int64())),
            ("text", text),
        ]
    )


class LongWriter:
    """The long table, written in batches as documents are summarized."""

    def __init__(self, writer: FrameWriter) -> None:
        self.writer = writer
        self.rows: list[dict[str, Any]] = []
        self.written = False

    def add(self, cells: list[Cell]) -> None:
        self.rows.extend(c.to_row() for c in cells)
        if len(self.rows) >= LONG_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the rows held; the first call writes the header even with none."""
        import pandas as pd

        if self.rows or not self.written:
            self.writer.write(pd.DataFrame(self.rows, columns=list(LONG_COLUMNS)))
            self.written = True
        self.rows = []


def table_format(path: Path, what: str) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in TABLE_FORMATS:
        raise UsageError(f"{what} {path}: give a .csv or .parquet file name")
    return suffix


def cmd_summarize(args: argparse.Namespace) -> int:
    try:
        return _summarize(args)
    except UsageError as exc:
        print(f"nlp-pipeline summarize: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _summarize(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    long_out = Path(args.long) if args.long else None
    html_dir = Path(args.html) if args.html else None
    if out is None and long_out is None and html_dir is None:
        raise UsageError("nothing to write: give -o FILE, --long FILE or --html DIR")
    if not args.paths and not args.records:
        raise UsageError("give documents, or --records FILE")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    fmt = table_format(out, "-o") if out else "csv"
    long_fmt = table_format(long_out, "--long") if long_out else "csv"
    findings = None
    if args.findings:
        try:
            with open(args.findings, encoding="utf-8") as fh:
                findings = read_findings(fh)
        except (OSError, ValueError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            print(f"{args.findings}: {message}", file=sys.stderr)
            return EXIT_FAILURES
    if args.records and not Path(args.records).exists():
        print(f"{args.records}: no such file or directory", file=sys.stderr)
        return EXIT_FAILURES
    started = time.perf_counter()
    failures: list[Failure] = []
    try:
        with terminate_as_interrupt(), ExitStack() as stack:
            long_writer = None
            if long_out is not None:
                writer = stack.enter_context(FrameWriter(long_out, long_fmt, long_schema()))
                long_writer = LongWriter(writer)
            if args.engine == "dask":
                table = _dask_summary(args, findings, failures, long_writer)
            else:
                documents = _documents(args, failures)
                on_cells = long_writer.add if long_writer is not None else None
                table = summarize(documents, findings, on_cells)
            if long_writer is not None:
                long_writer.flush()
            if out is not None:
                write_frame(table, out, fmt)
            if html_dir is not None:
                from .dashboard import write_dashboard

                view_dir = Path(args.view_dir) if args.view_dir else None
                write_dashboard(table, html_dir, view_dir)
    except (KeyboardInterrupt, Interrupted) as exc:
        reason = str(exc) or "Ctrl-C"
        print(f"nlp-pipeline: interrupted ({reason}); previous output unchanged", file=sys.stderr)
        return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)
    except (IngestError, SchemaError) as exc:
        print(f"{args.records}: {exc}", file=sys.stderr)
        return EXIT_FAILURES
    except OSError as exc:
        print(f"nlp-pipeline: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURES
    elapsed = time.perf_counter() - started
    written = ", ".join(str(p) for p in (out, long_out, html_dir) if p is not None)
    print(
        f"summarize: {len(table)} reports, {len(failures)} failures in {elapsed:.1f}s -> {written}",
        file=sys.stderr,
    )
    return report_failures(failures)


def _input_files(paths: Sequence[str], failures: list[Failure]) -> list[Path]:
    files, unreadable = input_files([Path(p) for p in paths])
    failures.extend(unreadable)
    return files


def _profile(path: Path, failures: list[Failure]) -> Profile | None:
    try:
        return profile_document(read_document(path))
    except IngestError as exc:
        failures.append(Failure(path, str(exc)))
        print(f"{path}: {exc}", file=sys.stderr)
        return None


def _documents(
    args: argparse.Namespace, failures: list[Failure]
) -> Iterator[tuple[Profile, Sequence[ActivityRecord]]]:
    """Each document's profile and records, one document at a time."""
    files = _input_files(args.paths, failures)
    if args.records:
        yield from _documents_of_records(Path(args.records), files, failures)
        return
    from .parallel import extract_files

    for path, records, error in extract_files(files, args.workers, args.debug, None, args.timeout):
        if error is not None:
            failures.append(Failure(path, error))
            print(f"{path}: {error}", file=sys.stderr)
            continue
        profile = _profile(path, failures)
        if profile is not None:
            assert isinstance(records, list)
            yield profile, records


def _documents_of_records(
    source: Path, files: list[Path], failures: list[Failure]
) -> Iterator[tuple[Profile, Sequence[ActivityRecord]]]:
    """Records read back, grouped by document; profiles from ``files`` where given."""
    by_id = {doc_id_for(path): path for path in files}
    seen: set[str] = set()
    for doc_id, records in _grouped(_read_records(source)):
        if doc_id in seen:
            raise SchemaError(f"the records of {doc_id} are not together (a file appended twice?)")
        seen.add(doc_id)
        path = by_id.get(doc_id)
        profile = _profile(path, failures) if path else profile_records(doc_id, records)
        if profile is not None:
            yield profile, records
    for doc_id, path in by_id.items():
        if doc_id not in seen:  # a document without records still has its row
            profile = _profile(path, failures)
            if profile is not None:
                yield profile, []


def _grouped(records: Iterable[ActivityRecord]) -> Iterator[tuple[str, list[ActivityRecord]]]:
    doc_id: str | None = None
    group: list[ActivityRecord] = []
    for record in records:
        if record.doc_id != doc_id:
            if doc_id is not None:
                yield doc_id, group
            doc_id, group = record.doc_id, []
        group.append(record)
    if doc_id is not None:
        yield doc_id, group


def _read_records(source: Path) -> Iterator[ActivityRecord]:
    """Records of an ``extract`` output: JSON Lines, or a Parquet file or folder."""
    if source.is_dir() or source.suffix.lower() == ".parquet":
        yield from records_from_rows(_parquet_rows(source))
        return
    with open(source, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield ActivityRecord.from_dict(json.loads(line))
            except (ValueError, SchemaError) as exc:
                raise SchemaError(f"line {number}: {exc}") from None


def _parquet_rows(source: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    parts = sorted(source.glob("*.parquet")) if source.is_dir() else [source]
    for part in parts:
        for batch in pq.ParquetFile(part).iter_batches(batch_size=4096):
            yield from batch.to_pylist()


# --------------------------------------------------------------------------- Dask


def _group_records(rows: pd.DataFrame) -> tuple[str, list[ActivityRecord]]:
    """A ``groupby.apply`` group's doc_id (its key: pandas leaves the column out) and
    records, in reading order."""
    doc_id = str(rows.name)
    ordered = rows.assign(doc_id=doc_id).sort_values(
        ["sentence_start", "record_id", "start"], kind="stable"
    )
    return doc_id, list(records_from_rows(ordered.to_dict("records")))


def _cells_of_group(rows: pd.DataFrame) -> pd.DataFrame:
    """One document's flat rows → the cells of its summary (a ``groupby.apply`` task)."""
    import pandas as pd

    doc_id, records = _group_records(rows)
    profile = profile_records(doc_id, records)
    cells = summarize_document(profile, records).cells
    frame = pd.DataFrame([_flat_cell(c) for c in cells], columns=list(_CELL_META))
    return frame.astype(_CELL_META)


def _profile_of_group(rows: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    p = profile_records(*_group_records(rows))
    frame = pd.DataFrame([{"doc_id": p.doc_id, "body": p.body, "year": p.year, "genre": p.genre}])
    return frame.astype(_PROFILE_META)


_CELL_META = {
    "doc_id": "object",
    "measure": "object",
    "value": "float64",
    "unit": "object",
    "record_id": "object",
    "start": "float64",
    "end": "float64",
    "text": "object",
}
_PROFILE_META = {"doc_id": "object", "body": "object", "year": "float64", "genre": "object"}


def _flat_cell(cell: Cell) -> dict[str, Any]:
    return {
        "doc_id": cell.doc_id,
        "measure": cell.measure,
        "value": cell.value,
        "unit": cell.unit,
        "record_id": cell.record_id,
        "start": cell.start,
        "end": cell.end,
        "text": cell.text,
    }


def _dask_summary(
    args: argparse.Namespace,
    findings: dict[str, list[dict[str, Any]]] | None,
    failures: list[Failure],
    long_writer: LongWriter | None,
) -> pd.DataFrame:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--engine dask needs Dask: pip install 'nlp-pipeline[dask]'") from None
    with ExitStack() as stack:
        if args.scheduler:
            client = stack.enter_context(Client(args.scheduler))
        else:
            from .parallel import default_workers

            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=args.workers or default_workers(),
                    threads_per_worker=1,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))
        files = _input_files(args.paths, failures)
        if args.records:
            parquet = Path(args.records)
            if not (parquet.is_dir() or parquet.suffix.lower() == ".parquet"):
                raise UsageError("--engine dask reads --records from Parquet (extract's -o DIR)")
        else:
            parquet = _extract_parquet(args, files, client, stack, failures)
        return dask_summary(parquet, files, client, findings, long_writer)


def _extract_parquet(
    args: argparse.Namespace,
    files: list[Path],
    client: Any,
    stack: ExitStack,
    failures: list[Failure],
) -> Path:
    from .distributed import extract_to_parquet

    if args.parquet:
        target = Path(args.parquet)
    else:
        target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="summarize-")))
    try:
        done = extract_to_parquet(files, target, client, debug=args.debug)
    except FileExistsError as exc:
        raise UsageError(f"{exc}; remove them or choose another --parquet") from None
    for path, message in done.failures:
        failures.append(Failure(Path(path), message))
        print(f"{path}: {message}", file=sys.stderr)
    return target


def dask_summary(
    parquet: Path,
    files: Sequence[Path],
    client: Any,
    findings: dict[str, list[dict[str, Any]]] | None = None,
    long_writer: LongWriter | None = None,
) -> pd.DataFrame:
    """The summary of the partitioned Parquet of ``extract --engine dask``, with Dask.

    The rows are grouped by document with ``dask.dataframe`` and each group summarized
    (``_cells_of_group``); the cells are summed per document and measure on the
    cluster. Profiles come from ``files`` (read on the cluster) where given, else from
    the records.
    """
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    rows = dd.read_parquet(str(parquet), columns=DASK_COLUMNS)
    by_doc = rows.groupby("doc_id")
    # the group key comes back as the index, beside the doc_id column: dropped
    cells = by_doc.apply(_cells_of_group, meta=_CELL_META).reset_index(drop=True)
    sums = cells.groupby(["doc_id", "measure"])["value"].sum()
    counts = by_doc["record_id"].nunique()
    if files:
        profiles: Any = db.from_sequence([str(f) for f in files]).map(_profile_of_path)
    else:
        profiles = by_doc.apply(_profile_of_group, meta=_PROFILE_META).reset_index(drop=True)
    frames = [sums, counts] + ([cells] if long_writer is not None else [])
    if not files:
        frames.append(profiles)
    results = list(dask.compute(*frames, scheduler=client))
    sums_done, counts_done = results[0], results[1]
    cells_done = results[2] if long_writer is not None else None
    profiles_done = profiles.compute(scheduler=client) if files else results[-1]
    if files:
        known = {p.doc_id: p for p in profiles_done if p is not None}
    else:
        frame = profiles_done
        known = {
            doc_id: Profile(
                doc_id,
                None if pd.isna(body) else body,
                None if pd.isna(year) else int(year),
                genre,
            )
            for doc_id, body, year, genre in frame[["doc_id", "body", "year", "genre"]].itertuples(
                index=False
            )
        }
    measures = sums_done.unstack("measure") if len(sums_done) else pd.DataFrame()
    doc_ids = list(dict.fromkeys([*known, *counts_done.index]))
    rows_out: list[dict[str, Any]] = []
    for doc_id in doc_ids:
        profile = known.get(doc_id) or Profile(doc_id, None, None)
        summary = summarize_document(
            profile, [], None if findings is None else findings.get(doc_id, [])
        )
        row = summary.row()
        row["records"] = int(counts_done.get(doc_id, 0))
        if doc_id in measures.index:
            row.update({m: v for m, v in measures.loc[doc_id].items() if not pd.isna(v)})
        rows_out.append(row)
        if long_writer is not None:
            long_writer.add([c for c in summary.cells])
    if long_writer is not None:
        assert cells_done is not None
        long_writer.add(_cells_from_frame(cells_done))
    return summary_table(rows_out)


def _profile_of_path(path: str) -> Profile | None:
    try:
        return profile_document(read_document(Path(path)))
    except IngestError:
        return None


def _cells_from_frame(frame: pd.DataFrame) -> list[Cell]:
    import pandas as pd

    return [
        Cell(
            str(row.doc_id),
            str(row.measure),
            float(row.value),
            str(row.unit),
            None if pd.isna(row.record_id) else str(row.record_id),
            None if pd.isna(row.start) else int(row.start),
            None if pd.isna(row.end) else int(row.end),
            str(row.text),
        )
        for row in frame.itertuples(index=False)
    ]
