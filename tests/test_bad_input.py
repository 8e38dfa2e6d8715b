"""Bad input: every kind of unusable or odd file through the CLI and the API.

A batch mixing good reports with bad files must report each bad file on one stderr line
(``path: what is wrong``) and in the summary, exit 1, and still write the good files'
records exactly as a clean run does. Also: usage errors (exit 2), interrupted runs that
leave the previous output intact, ``--append``, ``--resume`` after a kill, ``--timeout``,
and malformed pattern and gold files named by file and line.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

import nlp_pipeline.cli as cli
import nlp_pipeline.run as run_stage
from nlp_pipeline import (
    IngestError,
    attach,
    events,
    extract_file,
    extract_text,
    numbers,
    patterns,
    quantities,
    segment,
)
from nlp_pipeline.formats import read_html
from nlp_pipeline.ingest import iter_input_files, read_document
from nlp_pipeline.io import RecordWriter, manifest_path

from .conftest import DOCS, GOLD, ROOT

GOOD = ["hongshan-2024-selfeval.md", "lusong-2024-selfeval.txt"]
TEXT = (DOCS / "lusong-2024-selfeval.txt").read_text(encoding="utf-8")


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0"))


def _zip() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>2024年举办讲座10场</w:document>")
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
_rng = random.Random(4)

# name -> (bytes, what stderr says about it)
BAD: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (" \n\t\u3000\r\n".encode(), "file holds only white space"),
    "bom-only.txt": (b"\xef\xbb\xbf", "empty file (only a byte order mark)"),
    "report-pdf.txt": (PDF, "binary file: looks like a PDF file, not text"),
    "report-docx.txt": (_zip(), "binary file: looks like a ZIP archive (DOCX/XLSX?), not text"),
    "chart-png.txt": (_png(), "binary file: looks like a PNG image, not text"),
    "noise.txt": (_rng.randbytes(20000), "binary file: contains NUL bytes"),
    "high-noise.txt": (
        bytes(_rng.randrange(0x80, 0x100) for _ in range(20000)),
        "cannot decode: ",
    ),
    "control.txt": (bytes(_rng.randrange(1, 32) for _ in range(5000)), "binary file: decoded as"),
}


def _mixed() -> tuple[bytes, str]:
    lines = TEXT.split("\n")
    data = b"\n".join(line.encode("gbk" if i % 2 else "utf-8") for i, line in enumerate(lines))
    return data, TEXT


def _nested_html() -> str:
    return "<div>" * 20000 + "<table><tr><td>" + TEXT + "<p class='x" + "<b>" * 500


# name -> (bytes, the text the records' spans index): read, decoded and processed.
ODD: dict[str, tuple[bytes, str]] = {
    "bom.txt": (b"\xef\xbb\xbf" + TEXT.encode(), TEXT),
    "gbk.txt": (TEXT.encode("gbk"), TEXT),
    "gb18030.txt": (TEXT.encode("gb18030"), TEXT),
    "utf16.txt": (TEXT.encode("utf-16"), TEXT),
    "utf16le-no-bom.txt": (TEXT.encode("utf-16-le"), TEXT),
    "utf16be-no-bom.txt": (TEXT.encode("utf-16-be"), TEXT),
    "mixed-utf8-gbk.txt": _mixed(),
    "cut-off.txt": ((TEXT + "科").encode()[:-1], TEXT + "\ufffd"),
    "one-line.txt": (TEXT.replace("\n", "").encode(), TEXT.replace("\n", "")),
    "digits.txt": (b"1" * 20000, "1" * 20000),
    "wan.txt": (("万" * 20000).encode(), "万" * 20000),
    "html-in-text.txt": (_nested_html().encode(), _nested_html()),
    "nested.html": (
        _nested_html().encode(),
        read_html(_nested_html().encode()),
    ),
}


def _json(records: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(json.dumps(r.to_dict(), ensure_ascii=False)) for r in records]


def expected_records(corpus_records: dict[str, list[Any]]) -> dict[str, list[dict[str, Any]]]:
    """doc_id -> the records a clean run gives (good reports and odd-but-usable files)."""
    want = {Path(name).stem: _json(corpus_records[Path(name).stem]) for name in GOOD}
    for name, (_, raw) in ODD.items():
        records = _json(extract_text(raw, Path(name).stem))
        if records:
            want[Path(name).stem] = records
    return want


def output_records(path: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        found.setdefault(record["doc_id"], []).append(record)
    return found


def write_good(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in GOOD:
        shutil.copyfile(DOCS / name, folder / name)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class Stderr:
    """The stderr of ``extract``: per-file lines, the summary line, the failed list."""

    def __init__(self, text: str) -> None:
        assert "Traceback" not in text
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("extract: "))
        self.reports = lines[:at]
        self.summary = lines[at]
        self.failed = [line[2:] for line in lines[at + 2 :]] if at + 1 < len(lines) else []
        assert not self.failed or lines[at + 1] == "failed:"

    def about(self, path: Path) -> str:
        """The one line reporting ``path``; also listed in the summary."""
        mine = [line for line in self.reports if line.startswith(f"{path}: ")]
        assert len(mine) == 1, (path, self.reports)
        assert mine[0] in self.failed
        return mine[0][len(f"{path}: ") :]


# --- a batch holding every kind of bad input --------------------------------------------


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[Path, str]:
    """A folder of good, odd and bad files; returns the bad paths and their messages."""
    folder = tmp_path / "in"
    write_good(folder)
    problems: dict[Path, str] = {}
    for name, (data, message) in BAD.items():
        (folder / name).write_bytes(data)
        problems[folder / name] = message
    for name, (data, _) in ODD.items():
        (folder / name).write_bytes(data)
    sub = folder / "sub"
    sub.mkdir()
    (sub / "loop").symlink_to(folder)
    problems[sub / "loop"] = f"symbolic link loop (back to {folder}), skipped"
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    problems[folder / "dangling.txt"] = "broken symbolic link"
    (folder / "self.txt").symlink_to("self.txt")
    problems[folder / "self.txt"] = "symbolic link loop"
    os.mkfifo(folder / "pipe.txt")
    problems[folder / "pipe.txt"] = "not a regular file (a device, pipe or socket)"
    locked_file = folder / "locked.txt"
    locked_file.write_text(TEXT, encoding="utf-8")
    problems[locked_file] = "permission denied"
    locked_dir = folder / "locked"
    locked_dir.mkdir()
    (locked_dir / "inside.txt").write_text(TEXT, encoding="utf-8")
    problems[locked_dir] = "cannot list folder: permission denied"
    deny_permission(monkeypatch, {locked_file}, {locked_dir})
    problems[tmp_path / "missing.txt"] = "no such file or directory"
    return problems


def deny_permission(monkeypatch: pytest.MonkeyPatch, files: set[Path], dirs: set[Path]) -> None:
    """Tests run as root, who may read anything: refuse these paths as a mode 000 would."""
    import nlp_pipeline.ingest as ingest

    real_open, real_iterdir = open, Path.iterdir

    def fake_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path) in files:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def fake_iterdir(self: Path) -> Iterator[Path]:
        if self in dirs:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(ingest, "open", fake_open, raising=False)
    monkeypatch.setattr(Path, "iterdir", fake_iterdir)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_batch_reports_each_bad_file_and_keeps_the_good_records(
    batch: dict[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    corpus_records: dict[str, list[Any]],
    workers: str,
) -> None:
    out = tmp_path / "out.jsonl"
    missing = tmp_path / "missing.txt"
    code, stdout, stderr = run(
        ["extract", str(tmp_path / "in"), str(missing), "-o", str(out), "--workers", workers],
        capsys,
    )
    assert code == cli.EXIT_FAILURES
    assert stdout == ""
    report = Stderr(stderr)
    for path, message in batch.items():
        assert report.about(path).startswith(message), path
    assert len(report.failed) == len(batch)
    assert report.summary.startswith(f"extract: {len(GOOD) + len(ODD)} files, ")
    assert f", {len(batch)} failures in " in report.summary
    assert output_records(out) == expected_records(corpus_records)


def test_cli_clean_batch_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus_records: dict[str, list[Any]]
) -> None:
    write_good(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    code, _, stderr = run(["extract", str(tmp_path / "in"), "-o", str(out)], capsys)
    assert code == cli.EXIT_OK
    assert Stderr(stderr).failed == []
    assert output_records(out) == {Path(n).stem: _json(corpus_records[Path(n).stem]) for n in GOOD}


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["extract"],
        ["extract", "IN", "--format", "csv"],
        ["extract", "IN", "--workers", "0"],
        ["extract", "IN", "--timeout", "soon"],
        ["extract", "IN", "--resume"],
        ["extract", "IN", "--resume", "-o", "OUT.csv"],
        ["extract", "IN", "--resume", "--append", "-o", "OUT.jsonl"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_good(tmp_path / "IN")
    argv = [a.replace("IN", str(tmp_path / "IN")).replace("OUT", str(tmp_path / "o")) for a in argv]
    code, _, stderr = run(argv, capsys)
    assert code == cli.EXIT_USAGE
    assert "Traceback" not in stderr and stderr.strip()
    assert not list(tmp_path.glob("o*"))


# --- the API ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BAD))
def test_api_refuses_bad_files(name: str, tmp_path: Path) -> None:
    data, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        extract_file(path)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("name", sorted(ODD))
def test_api_reads_odd_files_as_their_text(name: str, tmp_path: Path) -> None:
    data, raw = ODD[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert read_document(path).raw == raw
    assert _json(extract_file(path)) == _json(extract_text(raw, path.stem))


def test_api_refuses_paths_that_are_not_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    cases = {
        tmp_path / "missing.txt": "no such file or directory",
        tmp_path: "is a directory",
        tmp_path / "pipe.txt": "not a regular file",
        tmp_path / "loop.txt": "symbolic link loop",
    }
    for path, message in cases.items():
        with pytest.raises(IngestError, match=message):
            extract_file(path)


def test_api_refuses_files_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nlp_pipeline.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(IngestError, match=r"file too large: 2,000 bytes \(the limit is 1,000\)"):
        extract_file(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_real_permission_errors(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    folder = tmp_path / "folder"
    folder.mkdir()
    folder.chmod(0)
    try:
        with pytest.raises(IngestError, match="permission denied"):
            extract_file(locked)
        problems = dict(iter_input_files([folder]))
        assert problems[folder] == "cannot list folder: permission denied"
    finally:
        folder.chmod(0o755)


def test_symlink_loops_and_second_links_are_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_good(folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")
    (tmp_path / "link").symlink_to(folder)
    found = list(iter_input_files([folder, tmp_path / "link"]))
    assert [path.name for path, problem in found if problem is None] == GOOD
    assert dict(found) == {
        **{folder / name: None for name in GOOD},
        folder / "sub" / "up": f"symbolic link loop (back to {folder}), skipped",
        tmp_path / "link": f"same folder as {folder}, already read; skipped",
    }


# --- text copied from web pages and PDFs -----------------------------------------------

COPIED = (
    "2024年举办科普讲座1\u200b0场，参与群众1\u00a0500人次。\n"  # zero-width, no-break space
    "支出决算为36.94&nbsp;万元，年初预算为40&amp;nbsp;万元。\n"  # entities, one escaped twice
    "举办讲座１0场，参与群众１５00人次。\n"  # full-width digits among half-width ones
    "上年结转36.9436.94 万元。\n"  # doubled by a PDF's overlapping text layer
    "年中追加36.9436.9 万元。\n"  # not two identical halves: no figure
)


def test_text_copied_from_web_pages_and_pdfs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "copied-2024.txt"
    path.write_text(COPIED, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(["extract", str(path), "-o", str(out), "--workers", "1"], capsys)[0] == 0
    found = [q for r in output_records(out)["copied-2024"] for q in r["quantities"]]
    for q in found:
        start, end = q["span"]
        assert COPIED[start:end] == q["text"]
    assert [(q["text"], q["kind"], q["value"], q.get("role")) for q in found] == [
        ("1\u200b0场", "sessions", 10, None),
        ("1\u00a0500人次", "participants", 1500, None),
        ("36.94&nbsp;万元", "money", 369400, "spent"),
        ("40&amp;nbsp;万元", "money", 400000, "budget"),
        ("１0场", "sessions", 10, None),
        ("１５00人次", "participants", 1500, None),
        ("36.9436.94 万元", "money", 369400, "other"),
    ]


def _hard_wrapped(text: str, width: int) -> str:
    """``text`` with every line longer than ``width`` cut into lines of ``width``
    characters (table rows aside), as a page copied from a fixed-width view."""
    lines = []
    for line in text.split("\n"):
        if len(line) <= width or "\t" in line or "|" in line:
            lines.append(line)
        else:
            lines.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(lines)


def _figures(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Each figure with its event, line breaks taken out of the texts."""
    return [
        (
            q["kind"], q["value"], q["unit"], q["qualifier"], q.get("role"), q.get("level"),
            q["text"].replace("\n", ""),
            r["event"] and (r["event"]["text"].replace("\n", ""), r["event"]["type"]),
        )
        for r in records
        for q in r["quantities"]
    ]  # fmt: skip


def test_hard_wrapped_pages_give_the_records_of_the_unwrapped_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus_records: dict[str, list[Any]]
) -> None:
    folder = tmp_path / "wrapped"
    folder.mkdir()
    raws = {}
    for path in sorted(DOCS.iterdir()):
        raws[path.stem] = _hard_wrapped(path.read_text(encoding="utf-8"), 24)
        (folder / path.name).write_text(raws[path.stem], encoding="utf-8")
        assert segment.wrap_width(raws[path.stem]) == 24
    out = tmp_path / "out.jsonl"
    assert run(["extract", str(folder), "-o", str(out), "--workers", "1"], capsys)[0] == 0
    found = output_records(out)
    for doc_id, raw in raws.items():
        assert _figures(found[doc_id]) == _figures(_json(corpus_records[doc_id])), doc_id
        for record in found[doc_id]:
            for q in record["quantities"]:
                start, end = q["span"]
                assert raw[start:end] == q["text"]


def test_pages_that_are_not_hard_wrapped_are_left_as_they_are() -> None:
    bundled = list(DOCS.iterdir())
    shared = ROOT.parent / "shared" / "corpus-extra"
    bundled += sorted(shared.glob("*.txt")) if shared.is_dir() else []
    assert len(bundled) >= 4
    for path in bundled:
        assert segment.wrap_width(path.read_text(encoding="utf-8")) is None, path
    # Three lines of one length, among ten longer ones, are a coincidence.
    lines = ["一" * 20] * 3 + ["二" * n for n in range(30, 40)]
    assert segment.wrap_width("\n".join([*lines, ""])) is None
    assert segment.wrap_width("\n".join([*lines[:5], ""])) == 20


# --- bounded time -----------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["1", "2"])
def test_timeout_makes_a_runaway_file_that_files_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    corpus_records: dict[str, list[Any]],
    workers: str,
) -> None:
    folder = tmp_path / "in"
    write_good(folder)
    line = "2024年举办科普讲座10余场，参与群众1500余人，".encode()
    huge = folder / "huge-one-line.txt"
    huge.write_bytes(line * (20_000_000 // len(line)))  # 20 MB, no line break
    out = tmp_path / "out.jsonl"
    argv = ["extract", str(folder), "-o", str(out), "--timeout", "0.5", "--workers", workers]
    code, _, stderr = run(argv, capsys)
    assert code == cli.EXIT_FAILURES
    assert Stderr(stderr).about(huge) == "took longer than 0.5 s (--timeout); skipped"
    assert output_records(out) == {Path(n).stem: _json(corpus_records[Path(n).stem]) for n in GOOD}
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


# --- nothing half-written ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_writer_interrupted_leaves_previous_output(
    fmt: str, tmp_path: Path, corpus_records: dict[str, list[Any]]
) -> None:
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(b"previous output\n")
    records = corpus_records[Path(GOOD[0]).stem]
    with pytest.raises(KeyboardInterrupt), RecordWriter(out, fmt) as writer:
        writer.write(records)
        raise KeyboardInterrupt
    assert out.read_bytes() == b"previous output\n"
    assert list(tmp_path.iterdir()) == [out]


def test_writer_failing_to_finish_leaves_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus_records: dict[str, list[Any]]
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"previous output\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError), RecordWriter(out) as writer:
        writer.write(corpus_records[Path(GOOD[0]).stem])
    assert out.read_bytes() == b"previous output\n"
    assert list(tmp_path.iterdir()) == [out]


def test_writer_gives_new_output_the_usual_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with RecordWriter(out):
        pass
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def _interrupt_at(
    monkeypatch: pytest.MonkeyPatch, call: int, interrupt: Callable[[], None]
) -> None:
    """Make the ``call``-th document processed by the CLI interrupt the run."""
    real = run_stage.process_document
    calls = []

    def extract(doc: Any) -> Any:
        calls.append(doc.doc_id)
        if len(calls) == call:
            interrupt()
        return real(doc)

    monkeypatch.setattr(run_stage, "process_document", extract)


def _raise_keyboard_interrupt() -> None:
    raise KeyboardInterrupt


def _send_sigterm() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)  # the handler raises before this ends


@pytest.mark.parametrize(
    ("interrupt", "code"), [(_raise_keyboard_interrupt, 130), (_send_sigterm, 143)]
)
def test_cli_interrupted_leaves_previous_output(
    interrupt: Callable[[], None],
    code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_good(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"previous output\n")
    _interrupt_at(monkeypatch, 2, interrupt)
    handler = signal.getsignal(signal.SIGTERM)
    argv = ["extract", str(tmp_path / "in"), "-o", str(out), "--workers", "1"]
    got, _, stderr = run(argv, capsys)
    assert got == code
    assert "interrupted" in stderr and "output unchanged" in stderr
    assert "Traceback" not in stderr
    assert out.read_bytes() == b"previous output\n"
    assert sorted(tmp_path.iterdir()) == [tmp_path / "in", out]
    assert signal.getsignal(signal.SIGTERM) == handler


def test_append_keeps_earlier_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus_records: dict[str, list[Any]]
) -> None:
    first, second = (DOCS / name for name in GOOD)
    out = tmp_path / "out.jsonl"
    assert run(["extract", str(first), "-o", str(out)], capsys)[0] == 0
    out.write_bytes(out.read_bytes().rstrip(b"\n"))  # a file without a final newline
    assert run(["extract", str(second), "-o", str(out), "--append"], capsys)[0] == 0
    want = {Path(n).stem: _json(corpus_records[Path(n).stem]) for n in GOOD}
    assert output_records(out) == want
    before = out.read_bytes()
    manifest_path(out).write_text("stale\n")
    assert run(["extract", str(second), "-o", str(out), "--append"], capsys)[0] == 0
    assert len(out.read_bytes().splitlines()) == len(before.splitlines()) + len(want[second.stem])
    assert not manifest_path(out).exists()  # a manifest no longer describes the output


# --- resume -----------------------------------------------------------------------------


def test_resume_after_interruption_and_kill_equals_a_clean_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(DOCS.iterdir()):
        shutil.copyfile(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    clean = tmp_path / "clean.jsonl"
    assert run(["extract", str(folder), "-o", str(clean)], capsys)[0] == 1

    out = tmp_path / "out.jsonl"
    argv = ["extract", str(folder), "-o", str(out), "--resume", "--workers", "1"]
    with monkeypatch.context() as patch:
        _interrupt_at(patch, 3, _raise_keyboard_interrupt)  # two reports done, one begun
        code, _, stderr = run(argv, capsys)
    assert code == 130 and "rerun with --resume" in stderr
    manifest = manifest_path(out)
    assert len(manifest.read_text().splitlines()) == 2
    assert clean.read_bytes().startswith(out.read_bytes())
    # What a kill -9 can leave: half a record, half a manifest line.
    with open(out, "ab") as fh:
        fh.write(b'{"doc_id": "jianghan-2024-final-accounts", "rec')
    with open(manifest, "ab") as fh:
        fh.write(b'{"key": "jiangh')

    code, _, stderr = run(argv, capsys)
    assert code == 1  # empty.txt, again
    report = Stderr(stderr)
    assert report.about(folder / "empty.txt") == "empty file"
    assert ", 2 files already done (--resume)" in report.summary
    assert out.read_bytes() == clean.read_bytes()
    assert len(manifest.read_text().splitlines()) == 4

    code, _, stderr = run(argv, capsys)
    assert ", 4 files already done (--resume)" in Stderr(stderr).summary
    assert out.read_bytes() == clean.read_bytes()


def test_resume_refuses_output_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_good(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"doc_id": "other"}\n')
    argv = ["extract", str(tmp_path / "in"), "-o", str(out), "--resume"]
    code, _, stderr = run(argv, capsys)
    assert code == cli.EXIT_USAGE
    assert "was not written with --resume" in stderr
    assert out.read_bytes() == b'{"doc_id": "other"}\n'

    manifest_path(out).write_text('{"key": "x:0", "records": 1, "offset": 999}\n')
    code, _, stderr = run(argv, capsys)
    assert code == cli.EXIT_USAGE
    assert "is shorter than out.jsonl.manifest says" in stderr
    assert out.read_bytes() == b'{"doc_id": "other"}\n'

    assert run(["extract", str(tmp_path / "in"), "-o", str(out)], capsys)[0] == 0
    assert not manifest_path(out).exists()  # a plain run replaced the output
    assert run(argv, capsys)[0] == cli.EXIT_USAGE


# --- malformed pattern and gold files ---------------------------------------------------


def _clear_rule_caches() -> None:
    for cached in (
        patterns.load,
        numbers.rules,
        quantities.rules,
        events.rules,
        segment.rules,
        attach.rules,
    ):
        cached.cache_clear()


@pytest.fixture
def patterns_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of ``patterns/`` that the pipeline reads instead (NLP_PIPELINE_PATTERNS)."""
    copy = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", copy)
    monkeypatch.setenv(patterns.PATTERNS_ENV, str(copy))
    _clear_rule_caches()
    yield copy
    _clear_rule_caches()


def _break_line(path: Path, lineno: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(lineno - 1, text + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def _one_line_error(patterns_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out = tmp_path / "out.jsonl"
    argv = ["extract", str(DOCS / GOOD[0]), "-o", str(out), "--workers", "1"]
    code, _, stderr = run(argv, capsys)
    assert code == cli.EXIT_USAGE
    assert len(stderr.splitlines()) == 1, stderr
    assert not out.exists()
    return stderr.strip()


def test_broken_yaml_pattern_file_is_named_with_its_line(
    patterns_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = patterns_copy / "segment.yaml"
    _break_line(broken, 3, "oops: this: is not YAML")
    message = _one_line_error(patterns_copy, tmp_path, capsys)
    assert message.startswith(f"nlp-pipeline: {broken}:3: invalid YAML: ")


def test_duplicate_key_in_a_pattern_file_is_named_with_its_line(
    patterns_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # YAML keeps the last of two equal keys silently: the first key's rules would vanish.
    broken = patterns_copy / "quantities.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lineno = next(i for i, line in enumerate(lines, 1) if line.startswith("  budget: ["))
    lines.insert(lineno - 1, "  budget: [预算]")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _one_line_error(patterns_copy, tmp_path, capsys)
    assert message.startswith(f"nlp-pipeline: {broken}:{lineno + 1}: invalid YAML: ")
    assert "duplicate key 'budget'" in message


def test_bad_regular_expression_is_named_with_its_line(
    patterns_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = patterns_copy / "events.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lineno = next(i for i, line in enumerate(lines, 1) if "regex: '" in line)
    lines[lineno - 1] = lines[lineno - 1].replace("regex: '", "regex: '(?P<unclosed>", 1)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _one_line_error(patterns_copy, tmp_path, capsys)
    assert message.startswith(f"nlp-pipeline: {broken}:{lineno}: ")
    assert "bad regular expression" in message


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        ("  - rule: nearest_in_spirit", "unknown rule 'nearest_in_spirit'"),
        ("  - {rule: title_yields, kinds: [prizes]}", "'kinds' must list kinds of"),
    ],
)
def test_an_unknown_attachment_rule_is_named_with_its_file(
    patterns_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], step: str, problem: str
) -> None:
    broken = patterns_copy / "attach.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines.insert(lines.index("order:") + 1, step)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _one_line_error(patterns_copy, tmp_path, capsys)
    assert message.startswith(f"nlp-pipeline: {broken}:"), message
    assert problem in message


@pytest.fixture
def gold_copy(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    (gold / "docs").mkdir(parents=True)
    name = "lusong-2024-selfeval"
    shutil.copyfile(GOLD / f"{name}.jsonl", gold / f"{name}.jsonl")
    shutil.copyfile(DOCS / f"{name}.txt", gold / "docs" / f"{name}.txt")
    return gold / f"{name}.jsonl"


@pytest.mark.parametrize(
    ("line", "problem"),
    [("{not json", "invalid JSON"), ('{"doc_id": "lusong-2024-selfeval"}', "")],
)
def test_broken_gold_file_is_named_with_its_line(
    gold_copy: Path, line: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = gold_copy.read_text(encoding="utf-8").splitlines()
    lines[2] = line
    gold_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = str(gold_copy.parent)
    for argv in (["evaluate", "--gold", gold], ["validate-gold", gold]):
        code, _, stderr = run(argv, capsys)
        assert code == cli.EXIT_FAILURES, argv
        assert f"{gold_copy}:3: {problem}" in stderr, argv
        assert "Traceback" not in stderr


# --- the console script, killed mid-run -------------------------------------------------


def test_console_script_killed_mid_run_leaves_previous_output(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(DOCS / "lusong-2024-selfeval.txt", folder / "a.txt")
    (folder / "b-slow.txt").write_text(TEXT * 300, encoding="utf-8")  # ~1M characters
    shutil.copyfile(DOCS / "lusong-2024-selfeval.txt", folder / "c.txt")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"previous output\n")
    script = shutil.which("nlp-pipeline")
    command = [script] if script else [sys.executable, "-m", "nlp_pipeline.cli"]
    proc = subprocess.Popen(
        [*command, "extract", str(folder), "-o", str(out), "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size for p in tmp_path.glob(".out.jsonl.*.tmp")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no records written within a minute"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # a.txt written, b-slow.txt still running
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "interrupted (stopped by SIGTERM); previous output unchanged" in stderr
    assert "Traceback" not in stderr
    assert out.read_bytes() == b"previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]
