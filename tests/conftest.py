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
