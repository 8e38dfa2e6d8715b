"""The benchmark's own parts (benchmarks/bench.py): its corpus and its ceiling run."""

from __future__ import annotations

from pathlib import Path

from .conftest import DOCS, load_benchmark

bench = load_benchmark("bench")


def test_corpus_reaches_the_size_with_a_new_name_per_copy(tmp_path: Path) -> None:
    bases = bench.base_texts([])
    corpus = bench.build_corpus(bases, 600_000, tmp_path / "c")
    names = [p.name for p in corpus.files]
    assert corpus.bytes >= 600_000
    assert corpus.bytes == sum(p.stat().st_size for p in corpus.files)
    assert len(set(names)) == len(names) > len(bases)
    in_quarter = sorted(corpus.quarter.iterdir())
    assert len(in_quarter) == corpus.quarter_files
    assert corpus.quarter_bytes == sum(p.stat().st_size for p in in_quarter)
    assert 600_000 // 4 <= corpus.quarter_bytes < corpus.bytes
    assert corpus.files[0].read_bytes() == bases[0].read_bytes()


def test_jieba_in_two_processes_times_from_the_common_start(tmp_path: Path) -> None:
    files = sorted(DOCS.iterdir())
    run = bench.jieba_in_processes(files, 2, tmp_path, delay=3.0)
    assert 0 < run.seconds < 30
    shares = [
        (tmp_path / f"share-{i}.txt").read_text(encoding="utf-8").splitlines() for i in range(2)
    ]
    assert sorted(shares[0] + shares[1]) == sorted(map(str, files))
    assert shares[0] and shares[1]


def test_a_table_row_gives_rates_and_the_ratio_to_the_floor() -> None:
    run = bench.Run(seconds=2.0, max_rss_mb=150.4, returncode=0, stderr="", others=0.25)
    row = bench.table_row("x", 10, 4_000_000, run, 1_000_000)
    assert row == "| x | 2.0 | 5.0 | 2.000 | 2.00 | 150 | 0.25 |"


def test_extra_folders_default_to_shared_and_a_missing_one_is_said(tmp_path: Path, capsys) -> None:
    assert bench.extra_folders(["none"]) == []
    missing = tmp_path / "nowhere"
    assert bench.extra_folders([str(missing)]) == []
    assert "not found: running without it" in capsys.readouterr().err
    assert bench.extra_folders([str(tmp_path)]) == [tmp_path]
    default = bench.extra_folders([])
    assert default == ([bench.DEFAULT_EXTRA] if bench.DEFAULT_EXTRA.is_dir() else [])
    bases = bench.base_texts([])
    assert bases and all(p.parent == DOCS for p in bases)


def test_a_summary_row_gives_time_rate_and_memory() -> None:
    run = bench.Run(seconds=4.0, max_rss_mb=180.6, returncode=0, stderr="", others=None)
    assert bench.summary_row("x", 10, run) == "| x | 4.0 | 2.5 | 181 |"
