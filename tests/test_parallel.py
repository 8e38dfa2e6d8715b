"""``extract --workers N``: the same output, in the same order, as one process."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nlp_pipeline import parallel
from nlp_pipeline.cli import main
from nlp_pipeline.io import RecordWriter, RenderedRecords, manifest_path, render_jsonl
from nlp_pipeline.parallel import default_workers, extract_files
from nlp_pipeline.run import process_file
from nlp_pipeline.schema import ActivityRecord

from .conftest import command, kill_and_count_survivors, wait_for

GOLD_DOCS = sorted((Path(__file__).resolve().parent.parent / "gold" / "docs").iterdir())


def _extract(tmp_path: Path, name: str, *args: str) -> bytes:
    out = tmp_path / name
    code = main(["extract", *map(str, GOLD_DOCS), "-o", str(out), "--no-progress", *args])
    assert code == 0
    return out.read_bytes()


def test_two_workers_write_what_one_writes(tmp_path: Path) -> None:
    one = _extract(tmp_path, "one.jsonl", "--workers", "1")
    two = _extract(tmp_path, "two.jsonl", "--workers", "2")
    assert one.count(b"\n") > 100
    assert two == one


@pytest.mark.parametrize("how", [["-o", "{dir}/out.csv"], ["-o", "{dir}/out.jsonl", "--resume"]])
def test_csv_and_resume_output_do_not_depend_on_workers(tmp_path: Path, how: list[str]) -> None:
    outputs = []
    for workers in ("1", "2"):
        folder = tmp_path / workers
        folder.mkdir()
        argv = [arg.format(dir=folder) for arg in how]
        code = main(["extract", *map(str, GOLD_DOCS), "--no-progress", "--workers", workers, *argv])
        assert code == 0
        outputs.append(Path(argv[1]).read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") > 100


def test_stdout_output_does_not_depend_on_workers(capsys: pytest.CaptureFixture[str]) -> None:
    printed = []
    for workers in ("1", "2"):
        assert main(["extract", *map(str, GOLD_DOCS), "--no-progress", "--workers", workers]) == 0
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1] and printed[0].count("\n") > 100


def test_results_keep_input_order_and_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty-2024.txt"
    empty.write_text("", encoding="utf-8")
    files = [GOLD_DOCS[0], empty, *GOLD_DOCS[1:]]
    results = list(extract_files(files, workers=2))
    assert [path for path, _, _ in results] == files
    _, records, error = results[1]
    assert records == [] and error == process_file(empty)[1] == "empty file"
    for path, records, error in results[:1] + results[2:]:
        assert error is None
        assert [r.to_dict() for r in records] == [r.to_dict() for r in process_file(path)[0]]


def test_workers_can_send_records_rendered_as_jsonl(tmp_path: Path) -> None:
    empty = tmp_path / "empty-2024.txt"
    empty.write_text("", encoding="utf-8")
    files = [*GOLD_DOCS[:2], empty]
    rendered = list(extract_files(files, workers=2, jsonl=True))
    in_process = list(extract_files(files, workers=1, jsonl=True))  # records: same process
    assert [(p, e) for p, _, e in rendered] == [(p, e) for p, _, e in in_process]
    for (_, sent, _), (_, records, _) in zip(rendered, in_process, strict=True):
        assert isinstance(sent, RenderedRecords) and isinstance(records, list)
        assert sent == render_jsonl(records)
    first = rendered[0][1]
    assert isinstance(first, RenderedRecords) and first.records > 10
    assert first.quantities == sum(len(r.quantities) for r in in_process[0][1])


@pytest.mark.parametrize("workers", [1, 2])
def test_loaded_objects_are_hidden_from_the_collector_during_a_run_only(workers: int) -> None:
    results = extract_files(GOLD_DOCS[:2], workers=workers)
    assert gc.get_freeze_count() == 0
    next(results)
    assert gc.get_freeze_count() > 1000
    list(results)
    assert gc.get_freeze_count() == 0
    stopped = extract_files(GOLD_DOCS[:2], workers=workers)
    next(stopped)
    stopped.close()  # a run abandoned half-way (an error in the caller, Ctrl-C)
    assert gc.get_freeze_count() == 0


def test_the_writer_writes_rendered_records_as_it_writes_records(tmp_path: Path) -> None:
    records, _ = process_file(GOLD_DOCS[0])
    for resume in (False, True):
        plain, rendered = tmp_path / f"plain-{resume}.jsonl", tmp_path / f"rendered-{resume}.jsonl"
        with RecordWriter(plain, resume=resume) as writer:
            writer.write(records, "k")
        with RecordWriter(rendered, resume=resume) as other:
            other.write(render_jsonl(records), "k")
        assert rendered.read_bytes() == plain.read_bytes()
        assert (other.records, other.quantities) == (writer.records, writer.quantities)
    csv = RecordWriter(tmp_path / "out.csv", "csv")
    with pytest.raises(ValueError, match="cannot be written as csv"), csv as writer:
        writer.write(render_jsonl(records))
    assert not (tmp_path / "out.csv").exists()


def test_cli_reports_a_failed_file_as_path_and_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(GOLD_DOCS[0]), str(empty), "-o", str(out), "--workers", "2"])
    assert code == 1
    assert f"{empty}: empty file" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").count("\n") > 0


def test_workers_must_be_positive(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(GOLD_DOCS[0]), "-o", str(out), "--workers", "0"]) == 2
    assert not out.exists()


def test_default_is_every_core() -> None:
    assert default_workers() >= 1
    assert list(extract_files([], workers=None)) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: workers see the patch")
def test_a_dying_worker_fails_its_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = tmp_path / "crash-2024.txt"
    crash.write_text("2024年开展活动3场。", encoding="utf-8")

    def process_or_die(path: Path, *options: object) -> tuple[list[ActivityRecord], str | None]:
        if path == crash:
            os._exit(1)
        return process_file(path, *options)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "process_file", process_or_die)
    files = [GOLD_DOCS[0], crash, *GOLD_DOCS[1:]]
    results = list(extract_files(files, workers=2))
    assert [(path, error) for path, _, error in results] == [
        (path, parallel.WORKER_DIED if path == crash else None) for path in files
    ]
    assert all(records for path, records, _ in results if path != crash)


# --- workers die with their parent -----------------------------------------------------

SLOW = (GOLD_DOCS[-1].read_text(encoding="utf-8") + "\n") * 8  # about 27,000 characters


def test_workers_exit_when_the_parent_is_killed_and_resume_completes_the_output(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in GOLD_DOCS:
        shutil.copyfile(path, folder / path.name)
    for name in ("slow-1.txt", "slow-2.txt"):
        (folder / name).write_text(SLOW, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    argv, env = command("extract", str(folder), "-o", str(out), "--resume", "--workers", "2")
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        manifest = manifest_path(out)
        wait_for(lambda: manifest.exists() and manifest.read_bytes().count(b"\n") >= 1, 60, proc)
        assert kill_and_count_survivors(proc, seconds=3) == []
    finally:
        if proc.poll() is None:
            proc.kill()
    assert manifest.read_bytes().count(b"\n") < len(GOLD_DOCS) + 2  # killed half-way

    assert main(["extract", str(folder), "-o", str(out), "--resume", "--workers", "2"]) == 0
    clean = tmp_path / "clean.jsonl"
    assert main(["extract", str(folder), "-o", str(clean), "--workers", "2"]) == 0
    assert out.read_bytes() == clean.read_bytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="os.fork")
def test_a_worker_without_the_kernel_s_help_exits_when_its_parent_is_gone(
    tmp_path: Path,
) -> None:
    # The portable fallback alone: a grandchild watching its parent, which is then killed.
    script = (
        "import os, sys, time\n"
        "from nlp_pipeline import parallel\n"
        "parallel._kill_me_with_my_parent = lambda: None\n"
        "parent = os.getpid()\n"
        "if os.fork() == 0:\n"
        "    parallel.exit_with_parent(parent)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    argv, env = command()
    proc = subprocess.Popen(
        [argv[0], "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        assert kill_and_count_survivors(proc, seconds=2 + 2 * parallel.PARENT_POLL_SECONDS) == []
    finally:
        if proc.poll() is None:
            proc.kill()
