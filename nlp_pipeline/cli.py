"""The ``nlp-pipeline`` command: ``extract``, ``evaluate``, ``validate-gold``.

Exit codes: 0 when everything succeeded; 1 when some input files (or gold
files) failed, each reported on stderr as ``path: what is wrong``; 2 for a
usage error. ``--debug`` adds tracebacks for unexpected errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import __version__
from .ingest import IngestError, iter_input_files, read_document
from .io import FORMATS, RecordWriter, format_for
from .patterns import PatternError
from .records import extract_document
from .schema import ActivityRecord

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2


class Failure:
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def process_file(path: Path, debug: bool = False) -> tuple[list[ActivityRecord], str | None]:
    """Records of one file, or an error message; never raises for bad input."""
    try:
        return extract_document(read_document(path)), None
    except IngestError as exc:
        return [], str(exc)
    except PatternError:
        raise
    except RecursionError:
        return [], "input too deeply nested to process"
    except MemoryError:
        return [], "out of memory while processing this file"
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
        if debug:
            traceback.print_exc()
        return [], f"internal error: {type(exc).__name__}: {exc}"


def _progress(items: list[Path], enabled: bool) -> Iterator[Path]:
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, unit="file", file=sys.stderr, leave=False)


def cmd_extract(args: argparse.Namespace) -> int:
    inputs = [Path(p) for p in args.paths]
    failures: list[Failure] = []
    files: list[Path] = []
    for path, problem in iter_input_files(inputs):
        if problem is None:
            files.append(path)
        else:
            failures.append(Failure(path, problem))
            print(f"{path}: {problem}", file=sys.stderr)
    out = None if args.output in (None, "-") else Path(args.output)
    fmt = format_for(out or Path("-.jsonl"), args.format)
    if out is None and fmt != "jsonl":
        print("nlp-pipeline: error: --format csv/parquet needs -o FILE", file=sys.stderr)
        return EXIT_USAGE
    show_progress = not args.no_progress and sys.stderr.isatty() and len(files) > 1
    started = time.perf_counter()
    try:
        with RecordWriter(out, fmt, append=args.append, stream=sys.stdout) as writer:
            for path in _progress(files, show_progress):
                records, error = process_file(path, args.debug)
                if error is not None:
                    failures.append(Failure(path, error))
                    print(f"{path}: {error}", file=sys.stderr)
                    continue
                writer.write(records)
    except KeyboardInterrupt:
        print("nlp-pipeline: interrupted; previous output left unchanged", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:
        print(f"nlp-pipeline: error: cannot write {out}: {exc}", file=sys.stderr)
        return EXIT_FAILURES
    elapsed = time.perf_counter() - started
    done = len(files) - sum(1 for f in failures if f.path in set(files))
    print(
        f"extract: {done} files, {writer.records} records, {writer.quantities} quantities, "
        f"{len(failures)} failures in {elapsed:.1f}s" + (f" -> {out}" if out else ""),
        file=sys.stderr,
    )
    if failures:
        print("failed:", file=sys.stderr)
        for f in failures:
            print(f"  {f}", file=sys.stderr)
        return EXIT_FAILURES
    return EXIT_OK


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


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import (
        GoldError,
        evaluate,
        find_document,
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
                path = find_document(docs, doc_id)
                if path is None:
                    print(f"{docs}: no document for gold file {doc_id}.jsonl", file=sys.stderr)
                    return EXIT_FAILURES
                records, error = process_file(path, args.debug)
                if error is not None:
                    print(f"{path}: {error}", file=sys.stderr)
                    return EXIT_FAILURES
                pred[doc_id] = records
    except GoldError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILURES
    result = evaluate(gold, pred)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_report(result))
    if args.errors:
        print(format_errors(list_errors(gold, pred)))
    if getattr(args, "html", None):
        from .report import write_report

        write_report(result, Path(args.html))
    return EXIT_OK


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
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")
    ex.add_argument("--debug", action="store_true", help="tracebacks for unexpected errors")
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser("evaluate", help="score records against a gold set (SCHEMA.md)")
    ev.add_argument("--gold", required=True, help="folder of <doc_id>.jsonl gold files")
    ev.add_argument("--docs", help="folder of the gold documents (default: GOLD/docs)")
    ev.add_argument("--pred", help="predicted JSONL (default: run extraction on the documents)")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("--errors", action="store_true", help="list every miss, extra and mismatch")
    ev.add_argument("--debug", action="store_true", help="tracebacks for unexpected errors")
    ev.set_defaults(func=cmd_evaluate)

    vg = sub.add_parser("validate-gold", help="check a gold set against its documents")
    vg.add_argument("gold", help="folder of <doc_id>.jsonl gold files")
    vg.add_argument("--docs", help="folder of the gold documents (default: GOLD/docs)")
    vg.set_defaults(func=cmd_validate_gold)
    return parser


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
