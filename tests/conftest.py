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
