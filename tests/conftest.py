"""Shared fixtures: the bundled documents and a pipeline warmed up once; helpers for
runs started as a command."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "gold"
DOCS = GOLD / "docs"
HELDOUT = ROOT / "gold-heldout"
# The corpora read in place, beside the repository (never copied into it).
SHARED = ROOT.parent / "shared"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"{SHARED} (the corpora read in place) is not beside the repository"
)


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/NAME.py`` (not a package) as a module, for testing its parts."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus_paths() -> list[Path]:
    return sorted(DOCS.iterdir())


@pytest.fixture(scope="session")
def corpus_records(corpus_paths: list[Path]) -> dict[str, list]:
    from nlp_pipeline import extract_file

    return {p.stem: extract_file(p) for p in corpus_paths}


def gold_set(gold_dir: Path) -> tuple[dict[str, list], dict[str, list]]:
    """A gold folder and the pipeline's records for each of its documents, found in place
    (``golddocs``: the docs folder, or ``docs.json`` for the corpora of ``../shared/``)."""
    from nlp_pipeline.evaluate import load_gold_dir
    from nlp_pipeline.golddocs import load, locate
    from nlp_pipeline.run import process_document

    gold = load_gold_dir(gold_dir)
    pred = {}
    for doc_id in gold:
        source = locate(gold_dir, gold_dir / "docs", doc_id)
        assert source is not None, doc_id
        pred[doc_id] = process_document(load(source))
    return gold, pred


# --- a run started as a command, killed with -9 ---------------------------------------


def command(*args: str) -> tuple[list[str], dict[str, str]]:
    """``nlp-pipeline ARGS`` as a command line, running this checkout's code."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", "nlp_pipeline.cli", *args], {**os.environ, "PYTHONPATH": path}


def wait_for(
    condition: Callable[[], bool],
    seconds: float,
    proc: subprocess.Popen[bytes],
    every: float = 0.02,
) -> None:
    """Wait until ``condition()`` holds (asked ``every`` seconds) while ``proc`` runs,
    for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(every)


def kill_and_count_survivors(proc: subprocess.Popen[bytes], seconds: float) -> list[int]:
    """SIGKILL ``proc``; the pids of its descendants still alive ``seconds`` later."""
    import psutil

    def alive(p: psutil.Process) -> bool:
        # An orphan that died may stay a zombie until its new parent reaps it.
        try:
            return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    descendants = psutil.Process(proc.pid).children(recursive=True)
    assert descendants
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + seconds
    while any(map(alive, descendants)) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [p for p in descendants if alive(p)]
    for p in survivors:  # leave nothing running, whatever the test says
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    return [p.pid for p in survivors]
