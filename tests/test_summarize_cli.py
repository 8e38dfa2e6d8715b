"""``nlp-pipeline summarize`` end to end on the bundled reports: structure, not figures."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nlp_pipeline.cli import main

GOLD_DOCS = Path(__file__).resolve().parent.parent / "gold" / "docs"
DOC_IDS = sorted(p.stem for p in GOLD_DOCS.iterdir())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("summary")
    findings = out / "findings.jsonl"
    findings.write_text(
        json.dumps({"doc_id": DOC_IDS[0], "check": "sum", "status": "mismatch"}) + "\n",
        encoding="utf-8",
    )
    args = [
        "summarize",
        str(GOLD_DOCS),
        "-o",
        str(out / "summary.parquet"),
        "--long",
        str(out / "long.csv"),
        "--findings",
        str(findings),
        "--html",
        str(out / "html"),
        "--workers",
        "1",
    ]
    assert main(args) == 0
    assert (
        main(["extract", str(GOLD_DOCS), "-o", str(out / "records.jsonl"), "--workers", "1"]) == 0
    )
    return out


def test_one_row_per_report_with_its_profile(run: Path) -> None:
    table = pd.read_parquet(run / "summary.parquet")
    assert sorted(table.doc_id) == DOC_IDS
    assert list(table.columns[:5]) == ["doc_id", "body", "year", "genre", "records"]
    assert set(table.genre) <= {"final_accounts", "performance_self_evaluation"}
    assert table.body.notna().all() and (table.year == 2024).all()
    assert (table.records > 0).all()
    assert table.set_index("doc_id")["mismatches"].to_dict() == {
        d: (1 if d == DOC_IDS[0] else 0) for d in DOC_IDS
    }
    assert {"sessions", "participants", "awards"} <= set(table.columns)


def test_the_long_table_holds_every_cell(run: Path) -> None:
    table = pd.read_parquet(run / "summary.parquet").set_index("doc_id")
    long = pd.read_csv(run / "long.csv")
    assert list(long.columns) == ["doc_id", "measure", "value", "unit", "record_id", "span", "text"]
    for (doc_id, measure), value in long.groupby(["doc_id", "measure"])["value"].sum().items():
        assert table.loc[doc_id, measure] == pytest.approx(value)
    figures = long[long.record_id.notna()]
    raw = {d: (GOLD_DOCS / f"{d}").with_suffix("") for d in DOC_IDS}
    texts = {d: next(GOLD_DOCS.glob(f"{d}.*")).read_text(encoding="utf-8") for d in raw}
    for doc_id, span, text in figures[["doc_id", "span", "text"]].itertuples(index=False):
        start, end = json.loads(span)
        assert texts[doc_id][start:end] == text


def test_records_in_give_the_rows_of_documents_in(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.csv"
    args = ["summarize", "--records", str(run / "records.jsonl"), str(GOLD_DOCS), "-o", str(out)]
    assert main(args) == 0
    table = pd.read_parquet(run / "summary.parquet").drop(columns=["mismatches"])
    again = pd.read_csv(out)
    again["year"] = again["year"].astype("Int64")
    again["records"] = again["records"].astype("Int64")
    pd.testing.assert_frame_equal(again, table, check_dtype=False)
    # without the documents, the profile comes from the records alone
    alone = tmp_path / "alone.csv"
    assert main(["summarize", "--records", str(run / "records.jsonl"), "-o", str(alone)]) == 0
    assert sorted(pd.read_csv(alone).doc_id) == DOC_IDS


def test_the_dashboard_is_written(run: Path) -> None:
    page = (run / "html" / "dashboard.html").read_text(encoding="utf-8")
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    for doc_id in DOC_IDS:
        assert f'href="{doc_id}.html"' in page


@pytest.mark.parametrize(
    "args",
    [
        ["summarize", str(GOLD_DOCS)],
        ["summarize", "-o", "x.csv"],
        ["summarize", str(GOLD_DOCS), "-o", "x.xlsx"],
        ["summarize", str(GOLD_DOCS), "-o", "x.csv", "--workers", "0"],
    ],
)
def test_usage_errors(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2


def test_a_bad_file_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "s.csv"
    assert (
        main(["summarize", str(GOLD_DOCS / "lusong-2024-selfeval.txt"), str(empty), "-o", str(out)])
        == 1
    )
    assert f"{empty}: empty file" in capsys.readouterr().err
    assert list(pd.read_csv(out).doc_id) == ["lusong-2024-selfeval"]


def test_engine_dask_gives_the_local_summary(run: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] not installed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        out = tmp_path / "dask.parquet"
        args = ["summarize", str(GOLD_DOCS), "-o", str(out), "--engine", "dask"]
        args += ["--scheduler", client.scheduler.address, "--parquet", str(tmp_path / "parts")]
        assert main(args) == 0
        from_parts = tmp_path / "from-parts.parquet"
        args = ["summarize", "--records", str(tmp_path / "parts"), "-o", str(from_parts)]
        assert main([*args, "--engine", "dask", "--scheduler", client.scheduler.address]) == 0
    local = pd.read_parquet(run / "summary.parquet").drop(columns=["mismatches"])
    pd.testing.assert_frame_equal(pd.read_parquet(out), local)
    parts = pd.read_parquet(from_parts)
    assert sorted(parts.doc_id) == DOC_IDS
    measures = [c for c in local.columns if c not in ("body", "year", "genre")]
    pd.testing.assert_frame_equal(
        parts.set_index("doc_id").sort_index()[measures[1:]],
        local.set_index("doc_id").sort_index()[measures[1:]],
    )


def test_missing_records_or_findings_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "s.csv")
    assert main(["summarize", "--records", str(tmp_path / "none.jsonl"), "-o", out]) == 1
    assert "none.jsonl: no such file or directory" in capsys.readouterr().err
    bad = tmp_path / "findings.jsonl"
    bad.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    assert main(["summarize", str(GOLD_DOCS), "--findings", str(bad), "-o", out]) == 1
    assert "line 1: a finding needs" in capsys.readouterr().err
