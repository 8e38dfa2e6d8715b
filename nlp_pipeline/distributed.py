"""Extraction on a Dask cluster: files to records to partitioned Parquet.

Needs the ``dask`` extra (``pip install "nlp-pipeline[dask]"``). On one machine::

    from dask.distributed import Client, LocalCluster
    from nlp_pipeline.distributed import extract_to_parquet

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        summary = extract_to_parquet(paths, "out/", client=client)

and on a real cluster ``Client("tcp://scheduler:8786")`` instead. The files are cut
into chunks of ``files_per_partition`` in input order (by default enough chunks for
four per worker thread, of at most ``MAX_FILES_PER_PARTITION`` files; a ``dask.bag``
with one chunk per partition); each task extracts its chunk's files and writes
``OUTDIR/part-00000.parquet``, ``part-00001.parquet``… with one row per quantity and
the columns of ``nlp_pipeline.io.to_dataframe`` (the same file the local
``--format parquet`` writes). Reading the folder back in part order
(``pandas.read_parquet(OUTDIR)``) gives the rows of a local run, in the same order.

The workers read the input paths and write into ``OUTDIR`` themselves: on a cluster of
several machines both must be on a file system every worker mounts at the same path,
and every worker needs ``nlp_pipeline`` installed (with its ``patterns/``). Dask runs
tasks in worker threads, where the per-file ``--timeout`` (a ``SIGALRM`` timer) cannot
act: a runaway file holds its task until it ends.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cli import EXIT_FAILURES, EXIT_USAGE, Failure, report_failures
from .io import RecordWriter
from .parallel import default_workers, warm_up
from .run import process_file

MAX_FILES_PER_PARTITION = 64
PARTITIONS_PER_THREAD = 4
PART_GLOB = "part-*.parquet"


@dataclass
class Summary:
    """What a distributed run did: counts, and the files that failed with why."""

    files: int = 0
    partitions: int = 0
    records: int = 0
    quantities: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def part_name(index: int) -> str:
    """The file name of partition ``index`` (sorts in partition order)."""
    return f"part-{index:05d}.parquet"


def _extract_chunk(
    chunk: tuple[int, list[str]], outdir: str, debug: bool
) -> tuple[int, int, int, list[tuple[str, str]]]:
    """One task: extract a chunk's files into one Parquet file; return its counts."""
    index, paths = chunk
    warm_up()
    failures: list[tuple[str, str]] = []
    with RecordWriter(Path(outdir) / part_name(index), "parquet") as writer:
        for path in paths:
            records, error = process_file(Path(path), debug)
            if error is not None:
                failures.append((path, error))
            else:
                writer.write(records)
    return len(paths), writer.records, writer.quantities, failures


def _partition_size(files: int, client: Any) -> int:
    threads = sum(client.nthreads().values()) if client is not None else default_workers()
    per_partition = -(-files // (max(1, threads) * PARTITIONS_PER_THREAD))
    return max(1, min(MAX_FILES_PER_PARTITION, per_partition))


def extract_to_parquet(
    files: Iterable[Path | str],
    outdir: Path | str,
    client: Any = None,
    files_per_partition: int | None = None,
    debug: bool = False,
) -> Summary:
    """Extract ``files`` on Dask into ``outdir/part-NNNNN.parquet``; see the module docstring.

    ``client`` is a ``dask.distributed.Client``; ``None`` uses Dask's current default
    scheduler. ``outdir`` must not already hold part files (a stale part from an
    earlier, larger run would be read back with the new ones): ``FileExistsError``.
    """
    import dask.bag as db

    given = [str(p) for p in files]
    # Workers have their own working directory: they get absolute paths.
    paths = [str(Path(p).absolute()) for p in given]
    shown = dict(zip(paths, given, strict=True))
    if files_per_partition is None:
        files_per_partition = _partition_size(len(paths), client)
    if files_per_partition < 1:
        raise ValueError("files_per_partition must be at least 1")
    out = Path(outdir).absolute()
    if out.is_dir() and any(out.glob(PART_GLOB)):
        raise FileExistsError(f"{out} already holds {PART_GLOB} files")
    out.mkdir(parents=True, exist_ok=True)
    chunks = [
        (i, paths[start : start + files_per_partition])
        for i, start in enumerate(range(0, len(paths), files_per_partition))
    ]
    summary = Summary(files=len(paths), partitions=len(chunks))
    if not chunks:
        return summary
    bag = db.from_sequence(chunks, npartitions=len(chunks)).map(_extract_chunk, str(out), debug)
    results = client.compute(bag).result() if client is not None else bag.compute()
    for _, records, quantities, failures in results:
        summary.records += records
        summary.quantities += quantities
        summary.failures.extend((shown[path], error) for path, error in failures)
    return summary


def cmd_extract_dask(args: argparse.Namespace, files: list[Path], failures: list[Failure]) -> int:
    """``nlp-pipeline extract --engine dask``: the CLI side of ``extract_to_parquet``."""
    if args.output in (None, "-"):
        print("nlp-pipeline: error: --engine dask needs -o DIR", file=sys.stderr)
        return EXIT_USAGE
    if args.format not in (None, "parquet") or args.append or getattr(args, "save_text", None):
        print(
            "nlp-pipeline: error: --engine dask writes Parquet only "
            "(no --format jsonl/csv, --append or --save-text)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print(
            "nlp-pipeline: error: --engine dask needs Dask: pip install 'nlp-pipeline[dask]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    out = Path(args.output)
    started = time.perf_counter()
    try:
        if args.scheduler:
            with Client(args.scheduler) as client:
                summary = extract_to_parquet(files, out, client, debug=args.debug)
        else:
            workers = args.workers or default_workers()
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                ) as cluster,
                Client(cluster) as client,
            ):
                summary = extract_to_parquet(files, out, client, debug=args.debug)
    except FileExistsError as exc:
        print(f"nlp-pipeline: error: {exc}; remove them or choose another -o", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"nlp-pipeline: error: cannot write {out}: {exc}", file=sys.stderr)
        return EXIT_FAILURES
    for path, message in summary.failures:
        failures.append(Failure(Path(path), message))
        print(f"{path}: {message}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(
        f"extract: {summary.files - len(summary.failures)} files, {summary.records} records, "
        f"{summary.quantities} quantities, {len(failures)} failures in {elapsed:.1f}s "
        f"-> {out}/ ({summary.partitions} Parquet parts)",
        file=sys.stderr,
    )
    return report_failures(failures)
