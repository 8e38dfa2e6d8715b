"""``extract --engine dask``: a LocalCluster writes the rows a local run writes."""

from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip(
    "dask.distributed",
    reason="dask[distributed] is not installed (pip install 'nlp-pipeline[dask]')",
)

import pandas as pd  # noqa: E402

from nlp_pipeline.cli import main  # noqa: E402
from nlp_pipeline.distributed import extract_to_parquet, part_name  # noqa: E402

from .conftest import command, kill_and_count_survivors, wait_for  # noqa: E402

GOLD_DOCS = sorted((Path(__file__).resolve().parent.parent / "gold" / "docs").iterdir())


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # Threads in this process: fast to start and independent of the number of cores.
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("local") / "local.parquet"
    assert main(["extract", *map(str, GOLD_DOCS), "-o", str(out), "--workers", "1"]) == 0
    return pd.read_parquet(out)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    ordered = frame.sort_values(["doc_id", "record_id"], kind="stable")
    return ordered.reset_index(drop=True)


def test_dask_rows_equal_the_local_run(
    client: Any, local_rows: pd.DataFrame, tmp_path: Path
) -> None:
    summary = extract_to_parquet(GOLD_DOCS, tmp_path, client, files_per_partition=3)
    assert summary.partitions == 2 and not summary.failures
    assert sorted(p.name for p in tmp_path.iterdir()) == [part_name(0), part_name(1)]
    rows = pd.read_parquet(tmp_path)
    assert len(rows) == len(local_rows) == summary.quantities > 100
    pd.testing.assert_frame_equal(_sorted(rows), _sorted(local_rows))
    pd.testing.assert_frame_equal(rows, local_rows)  # parts in order: the local order


def test_cli_engine_dask_on_a_scheduler(
    client: Any, local_rows: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    address = client.scheduler.address
    args = ["extract", *map(str, GOLD_DOCS), str(empty), "-o", str(out)]
    assert main([*args, "--engine", "dask", "--scheduler", address]) == 1
    assert f"{empty}: empty file" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_parquet(out), local_rows)
    # A second run must not mix its parts with the first one's.
    assert main([*args, "--engine", "dask", "--scheduler", address]) == 2
    assert "already holds" in capsys.readouterr().err


@pytest.mark.parametrize("extra", [[], ["-o", "x.csv", "--format", "csv"], ["-o", "d", "--append"]])
def test_cli_engine_dask_usage_errors(extra: list[str], tmp_path: Path) -> None:
    assert main(["extract", str(GOLD_DOCS[0]), "--engine", "dask", *extra]) == 2


def test_local_cluster_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    # distributed's own guard: each worker process first starts a thread reading a pipe
    # whose other end only the parent holds, and exits when the kernel closes it.
    import psutil

    folder = tmp_path / "in"
    folder.mkdir()
    for path in GOLD_DOCS:
        shutil.copyfile(path, folder / path.name)
    out = tmp_path / "out"
    argv, env = command("extract", str(folder), "-o", str(out), "--engine", "dask")
    proc = subprocess.Popen(
        [*argv, "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )

    def workers_started() -> bool:
        """Both worker processes have started: each has its connections to the scheduler."""
        try:
            children = psutil.Process(proc.pid).children()
            workers = [p for p in children if "spawn_main" in " ".join(p.cmdline())]
            return len(workers) == 2 and all(p.net_connections("inet") for p in workers)
        except psutil.NoSuchProcess:
            return False

    try:
        wait_for(workers_started, 120, proc, every=0.2)
        assert kill_and_count_survivors(proc, seconds=3) == []
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
