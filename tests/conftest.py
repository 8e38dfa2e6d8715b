"""Shared fixtures: the bundled documents and a pipeline warmed up once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "gold"
DOCS = GOLD / "docs"


@pytest.fixture(scope="session")
def corpus_paths() -> list[Path]:
    return sorted(DOCS.iterdir())


@pytest.fixture(scope="session")
def corpus_records(corpus_paths: list[Path]) -> dict[str, list]:
    from nlp_pipeline import extract_file

    return {p.stem: extract_file(p) for p in corpus_paths}
