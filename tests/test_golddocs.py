"""Gold documents found in place: the docs.json manifest, its checks, and the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from nlp_pipeline.cli import main
from nlp_pipeline.evaluate import validate_gold
from nlp_pipeline.golddocs import GoldError, load, load_raw, locate, read_manifest

from .conftest import HELDOUT, gold_set, needs_shared

SOURCE = "前言。\n举办科普讲座10余场，参与群众4万余人次。\n结尾。\n"
EXCERPT_START = SOURCE.index("举办")
EXCERPT_END = SOURCE.index("结尾")


def _gold_set(tmp_path: Path, sha: str | None = None) -> tuple[Path, Path]:
    """A gold folder whose one document is an excerpt of a file outside it."""
    corpus = tmp_path / "shared"
    corpus.mkdir()
    source = corpus / "report.txt"
    source.write_text(SOURCE, encoding="utf-8")
    gold = tmp_path / "repo" / "gold"
    gold.mkdir(parents=True)
    digest = sha or hashlib.sha256(source.read_bytes()).hexdigest()
    manifest = {
        "demo-2024-excerpt": {
            "path": "../../shared/report.txt",
            "sha256": digest,
            "range": [EXCERPT_START, EXCERPT_END],
        }
    }
    (gold / "docs.json").write_text(json.dumps(manifest), encoding="utf-8")
    excerpt = SOURCE[EXCERPT_START:EXCERPT_END]
    s, e = excerpt.index("10余场"), excerpt.index("10余场") + 4
    record = {
        "doc_id": "demo-2024-excerpt",
        "sentence": {"text": excerpt[:-1], "span": [0, len(excerpt) - 1]},
        "event": {"text": "科普讲座", "span": [2, 6], "type": "lecture"},
        "quantities": [
            {"kind": "sessions", "text": "10余场", "span": [s, e], "value": 10,
             "unit": "场", "qualifier": "over"},
        ],
    }
    (gold / "demo-2024-excerpt.jsonl").write_text(
        json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return gold, source


def test_an_excerpt_is_cut_at_load_time_and_its_spans_index_it(tmp_path: Path) -> None:
    gold, source = _gold_set(tmp_path)
    found = locate(gold, gold / "docs", "demo-2024-excerpt")
    assert found is not None and found.path.resolve() == source.resolve()
    raw = load_raw(found)
    assert raw == SOURCE[EXCERPT_START:EXCERPT_END]
    doc = load(found)
    assert doc.doc_id == "demo-2024-excerpt" and doc.year == 2024
    assert validate_gold(gold, gold / "docs") == []


def test_a_changed_source_is_one_clear_line(tmp_path: Path) -> None:
    gold, _ = _gold_set(tmp_path, sha="0" * 64)
    problems = validate_gold(gold, gold / "docs")
    assert len(problems) == 1
    assert "docs.json" in problems[0] and "sha256" in problems[0] and "changed" in problems[0]


def test_a_missing_source_is_one_clear_line(tmp_path: Path, capsys) -> None:
    gold, source = _gold_set(tmp_path)
    source.unlink()
    assert main(["validate-gold", str(gold)]) == 1
    err = capsys.readouterr().err
    assert "missing" in err and "Traceback" not in err
    assert main(["evaluate", "--gold", str(gold)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "report.txt is missing" in err[0]


@pytest.mark.parametrize(
    "entry, problem",
    [
        ({"sha256": "ab"}, "needs a 'path'"),
        ({"path": "x.txt", "sha256": "ab"}, "64 hex digits"),
        ({"path": "x.txt", "range": [5, 2]}, "'range'"),
    ],
)
def test_a_broken_manifest_names_itself(tmp_path: Path, entry: dict, problem: str) -> None:
    (tmp_path / "docs.json").write_text(json.dumps({"d": entry}), encoding="utf-8")
    with pytest.raises(GoldError, match=problem) as info:
        read_manifest(tmp_path)
    assert "docs.json" in str(info.value)


def test_evaluate_scores_an_excerpt_in_place(tmp_path: Path, capsys) -> None:
    gold, _ = _gold_set(tmp_path)
    assert main(["evaluate", "--gold", str(gold), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["quantity"]["tp"] == 1 and scores["quantity"]["gold"] == 1


@needs_shared
def test_the_heldout_set_reads_its_excerpts_from_shared() -> None:
    assert validate_gold(HELDOUT, HELDOUT / "docs") == []
    gold, pred = gold_set(HELDOUT)
    assert set(pred) == set(gold) and all(pred.values())


def test_no_third_party_text_is_tracked() -> None:
    import subprocess

    root = Path(__file__).resolve().parent.parent
    listed = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=False
    ).stdout.split()
    if not listed:
        pytest.skip("not a git checkout")
    allowed_docs = {"gold/docs/"}
    for name in listed:
        assert not name.endswith((".pdf", ".docx")), name
        if name.endswith((".txt", ".md")) and "/docs/" in name:
            assert any(name.startswith(a) for a in allowed_docs), name
        assert not name.startswith("benchmarks/corpus/"), name


def test_view_gold_pages_the_gold_documents_found_in_place(tmp_path: Path) -> None:
    gold, _ = _gold_set(tmp_path)
    out = tmp_path / "view"
    assert main(["view", "--gold", str(gold), "-o", str(out)]) == 0
    page = (out / "demo-2024-excerpt.html").read_text(encoding="utf-8")
    assert "10余场" in page and "前言" not in page
    assert main(["view", "-o", str(out)]) == 2
