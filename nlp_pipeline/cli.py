"""The ``nlp-pipeline`` command: ``extract``, ``check``, ``summarize``, ``evaluate``,
``evaluate-indicators``, ``validate-gold``, ``view``.

Exit codes: 0 when everything succeeded; 1 when some input files (or gold
files) failed, each reported on stderr as ``path: what is wrong``; 2 for a
usage error (bad options, a malformed pattern file, an output ``--resume``
cannot continue); 130 and 143 when stopped by Ctrl-C or SIGTERM. ``--debug``
adds tracebacks for unexpected errors.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from . import __version__
from .ingest import IngestError, iter_input_files, read_document
from .io import FORMATS, RecordWriter, ResumeError, format_for, resume_key
from .limits import Interrupted, terminate_as_interrupt
from .patterns import PatternError
from .schema import ActivityRecord

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
# Seconds one input file may take (extract --timeout).
DEFAULT_TIMEOUT = 300.0

_T = TypeVar("_T")


class Failure:
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _progress(items: Iterable[_T], total: int, enabled: bool) -> Iterator[_T]:
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, unit="file", file=sys.stderr, leave=False)


def _not_yet_done(
    files: list[Path], completed: set[str], keys: dict[Path, str], failures: list[Failure]
) -> tuple[list[Path], int]:
    """``--resume``: the files not in the output yet (their keys go to ``keys``), and
    how many are."""
    todo: list[Path] = []
    skipped = 0
    for path in files:
        try:
            key = resume_key(path)
        except IngestError as exc:
            failures.append(Failure(path, str(exc)))
            print(f"{path}: {exc}", file=sys.stderr)
            continue
        if key in completed:
            skipped += 1
        else:
            keys[path] = key
            todo.append(path)
    return todo, skipped


def cmd_extract(args: argparse.Namespace) -> int:
    inputs = [Path(p) for p in args.paths]
    files, failures = input_files(inputs)
    out = None if args.output in (None, "-") else Path(args.output)
    fmt = format_for(out or Path("-.jsonl"), args.format)
    if out is None and fmt != "jsonl":
        print("nlp-pipeline: error: --format csv/parquet needs -o FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 1:
        print("nlp-pipeline: error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.resume and (out is None or fmt != "jsonl" or args.append or args.engine == "dask"):
        print(
            "nlp-pipeline: error: --resume needs -o FILE.jsonl (not --append, not --engine dask)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.engine == "dask":
        from .distributed import cmd_extract_dask

        return cmd_extract_dask(args, files, failures)
    from .parallel import extract_files

    show_progress = not args.no_progress and sys.stderr.isatty() and len(files) > 1
    save_text = Path(args.save_text) if args.save_text else None
    started = time.perf_counter()
    done = skipped = 0
    keys: dict[Path, str] = {}
    done_paths: list[Path] = []
    try:
        with (
            terminate_as_interrupt(),
            RecordWriter(
                out, fmt, append=args.append, stream=sys.stdout, resume=args.resume
            ) as writer,
        ):
            if args.resume:
                files, skipped = _not_yet_done(files, writer.completed, keys, failures)
            results = extract_files(
                files, args.workers, args.debug, save_text, args.timeout, jsonl=fmt == "jsonl"
            )
            for path, records, error in _progress(results, len(files), show_progress):
                if error is not None:
                    failures.append(Failure(path, error))
                    print(f"{path}: {error}", file=sys.stderr)
                    continue
                writer.write(records, keys.get(path))
                done_paths.append(path)
                done += 1
    except (KeyboardInterrupt, Interrupted) as exc:
        if args.resume:
            kept = "finished files kept, rerun with --resume to go on"
        else:
            kept = "previous output unchanged" if out else "records so far are on stdout"
        reason = str(exc) or "Ctrl-C"
        print(f"nlp-pipeline: interrupted ({reason}); {kept}", file=sys.stderr)
        return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)
    except ResumeError as exc:
        print(f"nlp-pipeline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PatternError:
        raise  # main() reports it: a usage error
    except (OSError, ValueError) as exc:
        print(f"nlp-pipeline: error: cannot write {out}: {exc}", file=sys.stderr)
        return EXIT_FAILURES
    if args.indicators:
        status = _write_indicators(done_paths, Path(args.indicators), failures)
        if status != EXIT_OK:
            return status
    elapsed = time.perf_counter() - started
    print(
        f"extract: {done} files, {writer.records} records, {writer.quantities} quantities, "
        f"{len(failures)} failures"
        + (f", {skipped} files already done (--resume)" if args.resume else "")
        + f" in {elapsed:.1f}s"
        + (f" -> {out}" if out else ""),
        file=sys.stderr,
    )
    return report_failures(failures)


def _write_indicators(paths: list[Path], out: Path, failures: list[Failure]) -> int:
    """``extract --indicators FILE``: the indicator records of the files extracted."""
    from .io import write_atomic
    from .tables import read_document_tables

    lines: list[str] = []
    for path in paths:
        try:
            doc = read_document(path)
        except IngestError as exc:
            failures.append(Failure(path, str(exc)))
            continue
        for ind in read_document_tables(doc).indicators:
            lines.append(json.dumps(ind.to_dict(), ensure_ascii=False) + "\n")
    try:
        write_atomic(out, "".join(lines))
    except OSError as exc:
        print(f"nlp-pipeline: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURES
    print(f"extract: {len(lines)} indicator records -> {out}", file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check_document, render_findings, summarize
    from .evaluate import GoldError, load_predictions
    from .io import write_atomic
    from .run import process_document
    from .tables import read_document_tables

    files, failures = input_files([Path(p) for p in args.paths])
    out = None if args.output in (None, "-") else Path(args.output)
    fmt = args.format or ("csv" if out is not None and out.suffix.lower() == ".csv" else "jsonl")
    given = None
    if args.records:
        try:
            given = load_predictions(Path(args.records))
        except GoldError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
    started = time.perf_counter()
    results = []
    show_progress = not args.no_progress and sys.stderr.isatty() and len(files) > 1
    try:
        with terminate_as_interrupt():
            for path in _progress(files, len(files), show_progress):
                try:
                    doc = read_document(path)
                    if given is None:
                        records = process_document(doc)
                    else:
                        records = given.get(doc.doc_id, [])
                        if not records:
                            print(
                                f"{path}: no records for {doc.doc_id} in {args.records}",
                                file=sys.stderr,
                            )
                    results.append(check_document(doc, records, read_document_tables(doc)))
                except IngestError as exc:
                    failures.append(Failure(path, str(exc)))
                    print(f"{path}: {exc}", file=sys.stderr)
    except (KeyboardInterrupt, Interrupted) as exc:
        print(f"nlp-pipeline: interrupted ({exc or 'Ctrl-C'}); nothing written", file=sys.stderr)
        return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)
    findings = [f for r in results for f in r.findings]
    text = render_findings(findings, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            write_atomic(out, text)
        except OSError as exc:
            print(
                f"nlp-pipeline: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr
            )
            return EXIT_FAILURES
    counts = ", ".join(
        f"{sum(f.status == s for f in findings)} {s}" for s in ("ok", "mismatch", "unmet")
    )
    unchecked = sum(len(r.unchecked) for r in results)
    print(
        f"check: {len(results)} files, {len(findings)} findings ({counts}); "
        f"{unchecked} claims not checkable; {len(failures)} failures "
        f"in {time.perf_counter() - started:.1f}s" + (f" -> {out}" if out else ""),
        file=sys.stderr,
    )
    for line in summarize(results):
        print(line, file=sys.stderr)
    return report_failures(failures)


def input_files(paths: list[Path]) -> tuple[list[Path], list[Failure]]:
    """The files to read under ``paths``, and the ones that cannot be (each said on stderr)."""
    failures: list[Failure] = []
    files: list[Path] = []
    for path, problem in iter_input_files(paths):
        if problem is None:
            files.append(path)
        else:
            failures.append(Failure(path, problem))
            print(f"{path}: {problem}", file=sys.stderr)
    return files, failures


def report_failures(failures: Sequence[object]) -> int:
    """List the failed files after a batch's summary; the exit code they give."""
    if not failures:
        return EXIT_OK
    print("failed:", file=sys.stderr)
    for f in failures:
        print(f"  {f}", file=sys.stderr)
    return EXIT_FAILURES


def cmd_validate_gold(args: argparse.Namespace) -> int:
    from .evaluate import validate_gold

    gold = Path(args.gold)
    docs = Path(args.docs) if args.docs else gold / "docs"
    if not gold.is_dir():
        print(f"{gold}: not a directory", file=sys.stderr)
        return EXIT_USAGE
    problems = validate_gold(gold, docs)
    for p in problems:
        print(p, file=sys.stderr)
    n = len(list(gold.glob("*.jsonl")))
    print(f"validate-gold: {n} files, {len(problems)} problems", file=sys.stderr)
    return EXIT_FAILURES if problems else EXIT_OK


def cmd_view(args: argparse.Namespace) -> int:
    from .evaluate import GoldError
    from .view import write_views

    out = Path(args.output)
    if not args.paths and not args.gold:
        print("nlp-pipeline view: give documents, or --gold to view its documents", file=sys.stderr)
        return EXIT_USAGE
    try:
        summaries, failures = write_views(
            [Path(p) for p in args.paths], out, Path(args.gold) if args.gold else None
        )
    except GoldError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILURES
    except OSError as exc:
        print(f"nlp-pipeline: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURES
    for failure in failures:
        print(failure, file=sys.stderr)
    print(
        f"view: {len(summaries)} pages, {len(failures)} failures -> {out / 'index.html'}",
        file=sys.stderr,
    )
    return EXIT_FAILURES if failures else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import (
        GoldError,
        evaluate,
        format_errors,
        format_report,
        list_errors,
        load_gold_dir,
        load_predictions,
    )

    gold_dir = Path(args.gold)
    docs = Path(args.docs) if args.docs else gold_dir / "docs"
    try:
        gold = load_gold_dir(gold_dir)
        if args.pred:
            pred = load_predictions(Path(args.pred))
        else:
            pred = {}
            for doc_id in sorted(gold):
                records, error = _gold_document_records(gold_dir, docs, doc_id)
                if error is not None:
                    print(error, file=sys.stderr)
                    return EXIT_FAILURES
                pred[doc_id] = records
    except GoldError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILURES
    result = evaluate(gold, pred)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif args.markdown:
        from .evaluate import format_markdown_table

        print(format_markdown_table(result), end="")
    else:
        print(format_report(result))
    if args.errors:
        print(format_errors(list_errors(gold, pred)))
    if args.html:
        from .report import write_report

        try:
            write_report(result, Path(args.html))
        except OSError as exc:
            print(f"{args.html}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILURES
    return EXIT_OK


def cmd_evaluate_indicators(args: argparse.Namespace) -> int:
    from .evaluate_indicators import (
        evaluate_indicators,
        format_indicator_report,
        load_indicator_file,
        load_indicator_gold,
        predict_indicators,
    )
    from .golddocs import GoldError

    try:
        gold, docs = load_indicator_gold(Path(args.gold))
        pred = load_indicator_file(Path(args.pred)) if args.pred else predict_indicators(docs)
    except (GoldError, IngestError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILURES
    scores = evaluate_indicators(gold, pred)
    if args.json:
        print(json.dumps(scores.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_indicator_report(scores, markdown=args.markdown), end="\n")
    return EXIT_OK


def _gold_document_records(
    gold_dir: Path, docs: Path, doc_id: str
) -> tuple[list[ActivityRecord], str | None]:
    """The records of a gold file's document, found in place (``golddocs``), or an error."""
    from .golddocs import load, locate
    from .run import process_document

    source = locate(gold_dir, docs, doc_id)
    if source is None:
        return [], f"{docs}: no document for gold file {doc_id}.jsonl (nor in docs.json)"
    try:
        return process_document(load(source)), None
    except IngestError as exc:
        return [], f"{source.path}: {exc}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlp-pipeline",
        description="Extract grounded activity records from Chinese government work reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract activity records from files or folders")
    ex.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    ex.add_argument("-o", "--output", help="output file (default: JSONL on standard output)")
    ex.add_argument("--format", choices=FORMATS, help="output format (default: from -o suffix)")
    ex.add_argument(
        "--append", action="store_true", help="keep records already in the JSONL output"
    )
    ex.add_argument(
        "--save-text",
        metavar="DIR",
        help="also write each document's text, which spans index, to DIR/<doc_id>.txt",
    )
    ex.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes (default: all cores; 1: in this process)",
    )
    ex.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local processes, or a Dask cluster writing partitioned Parquet to -o DIR",
    )
    ex.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster)",
    )
    ex.add_argument(
        "--resume",
        action="store_true",
        help="write -o FILE.jsonl as files finish, skip files already in it (OUT.manifest)",
    )
    ex.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a file after this long (default {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    ex.add_argument(
        "--indicators",
        metavar="FILE",
        help="also write the indicator records of performance-target tables to FILE (JSONL)",
    )
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")
    ex.add_argument("--debug", action="store_true", help="tracebacks for unexpected errors")
    ex.set_defaults(func=cmd_extract)

    ck = sub.add_parser("check", help="find where reports contradict themselves (findings)")
    ck.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    ck.add_argument("-o", "--output", help="findings file (default: on standard output)")
    ck.add_argument(
        "--format", choices=("jsonl", "csv"), help="JSON Lines, or CSV with one row per finding"
    )
    ck.add_argument(
        "--records", metavar="FILE", help="reuse an extraction (JSONL) instead of extracting"
    )
    ck.add_argument("--no-progress", action="store_true", help="no progress bar")
    ck.set_defaults(func=cmd_check)

    ev = sub.add_parser("evaluate", help="score records against a gold set (SCHEMA.md)")
    ev.add_argument("--gold", required=True, help="folder of <doc_id>.jsonl gold files")
    ev.add_argument("--docs", help="folder of the gold documents (default: GOLD/docs)")
    ev.add_argument("--pred", help="predicted JSONL (default: run extraction on the documents)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--markdown", action="store_true", help="print the scores as Markdown tables")
    ev.add_argument("--errors", action="store_true", help="list every miss, extra and mismatch")
    ev.add_argument("--html", metavar="FILE", help="also write an HTML report with charts")
    ev.add_argument("--debug", action="store_true", help="tracebacks for unexpected errors")
    ev.set_defaults(func=cmd_evaluate)

    ei = sub.add_parser(
        "evaluate-indicators", help="score indicator records against an indicator gold set"
    )
    ei.add_argument("--gold", required=True, help="folder of <doc_id>.jsonl indicator records")
    ei.add_argument("--pred", help="predicted indicators (JSONL; default: read the documents)")
    ei.add_argument("--json", action="store_true", help="print the scores as JSON")
    ei.add_argument("--markdown", action="store_true", help="print the scores as Markdown")
    ei.set_defaults(func=cmd_evaluate_indicators)

    vg = sub.add_parser("validate-gold", help="check a gold set against its documents")
    vg.add_argument("gold", help="folder of <doc_id>.jsonl gold files")
    vg.add_argument("--docs", help="folder of the gold documents (default: GOLD/docs)")
    vg.set_defaults(func=cmd_validate_gold)

    vw = sub.add_parser("view", help="write an HTML page per document, records highlighted")
    vw.add_argument(
        "paths", nargs="*", help="files or folders (searched recursively); default: --gold's"
    )
    vw.add_argument("-o", "--output", required=True, help="folder for the pages and index.html")
    vw.add_argument("--gold", help="folder of gold files: mark misses, extras, wrong events")
    vw.set_defaults(func=cmd_view)
    _add_summarize_parser(sub)
    return parser


def cmd_summarize(args: argparse.Namespace) -> int:
    from .summary_cli import cmd_summarize as run

    return run(args)


def _add_summarize_parser(sub: argparse._SubParsersAction) -> None:
    sm = sub.add_parser("summarize", help="one row per report: budget lines, activities")
    sm.add_argument("paths", nargs="*", help="files or folders (searched recursively)")
    sm.add_argument("-o", "--output", help="the summary table: FILE.parquet or FILE.csv")
    sm.add_argument(
        "--records", metavar="FILE", help="extract's records (JSONL, or Parquet file/folder)"
    )
    sm.add_argument("--findings", metavar="FILE", help="check's findings (JSONL): mismatches")
    sm.add_argument(
        "--long", metavar="FILE", help="also the figure behind each cell (.csv/.parquet)"
    )
    sm.add_argument("--html", metavar="DIR", help="also a dashboard, DIR/dashboard.html")
    sm.add_argument("--view-dir", metavar="DIR", help="where view's <doc_id>.html pages are")
    sm.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all)")
    sm.add_argument("--engine", choices=("local", "dask"), default="local")
    sm.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address")
    sm.add_argument("--parquet", metavar="DIR", help="--engine dask: keep the records here")
    sm.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    sm.add_argument("--debug", action="store_true", help="tracebacks for unexpected errors")
    sm.set_defaults(func=cmd_summarize)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(args.func(args))
    except PatternError as exc:
        print(f"nlp-pipeline: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
