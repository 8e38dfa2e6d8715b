"""Shared fixtures: the bundled documents and a pipeline warmed up once."""

from __future__ import annotations

import importlib.util
import sys
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
