"""summarize: one row per report, every figure traceable, totals never added to parts."""

from __future__ import annotations

import math
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from nlp_pipeline import patterns
from nlp_pipeline.ingest import read_document
from nlp_pipeline.io import to_dataframe
from nlp_pipeline.schema import ActivityRecord
from nlp_pipeline.summarize import (
    Cell,
    Profile,
    line_role,
    long_table,
    profile_document,
    profile_text,
    read_findings,
    records_from_rows,
    summarize,
)

from .summary_fixtures import Group, Report, final_accounts, money, reports

GOLD_DOCS = Path(__file__).resolve().parent.parent / "gold" / "docs"


def table_of(*built: Report, findings: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells: list[Cell] = []
    table = summarize(((r.profile, r.records) for r in built), findings, cells.extend)
    return table, long_table(cells)


def row(table: pd.DataFrame, doc_id: str) -> pd.Series:
    return table.set_index("doc_id").loc[doc_id]


# ----------------------------------------------------------------------- profiles


@pytest.mark.parametrize(
    "example", patterns.load("summarize")["examples"], ids=lambda e: e["title"].split("\n")[0]
)
def test_title_examples(example: dict) -> None:
    lines = example["title"].splitlines()
    headings = [line for line in lines if line.strip()[:2] in ("一、", "二、", "三、")]
    got = profile_text("x", lines, headings, example["title"])
    assert (got.body, got.year, got.genre) == (example["body"], example["year"], example["genre"])


def test_gold_documents_are_profiled_from_their_text_not_their_names() -> None:
    got = {
        p.doc_id: (p.body, p.year, p.genre)
        for p in (profile_document(read_document(f)) for f in sorted(GOLD_DOCS.iterdir()))
    }
    assert got == {
        "dongxihu-2024-selfeval": ("东西湖区科学技术协会", 2024, "performance_self_evaluation"),
        "hongshan-2024-selfeval": ("武汉市洪山区科学技术协会", 2024, "performance_self_evaluation"),
        "jianghan-2024-final-accounts": ("武汉市江汉区科学技术协会", 2024, "final_accounts"),
        "lusong-2024-selfeval": ("株洲市芦淞区科学技术协会", 2024, "performance_self_evaluation"),
    }


# -------------------------------------------------------------------- budget lines


def test_line_roles() -> None:
    assert line_role("收支总计") == "other"
    assert line_role("本年收入合计") == line_role("财政拨款收入") == "income"
    assert line_role("基本支出") == line_role("三公经费/公务接待费") == "spent"
    assert line_role("科学技术支出/科学技术普及/科普活动") == "spent"


def expected_line_values(records: list[ActivityRecord], year: int | None) -> dict[str, float]:
    """The rule of the module docstring, written again: first figure of the line's role."""
    expected: dict[str, float] = {}
    for record in sorted(records, key=lambda r: r.sentence.start):
        if record.event is None or record.event.line is None:
            continue
        if year is not None and record.date is not None and record.date.value[:4] != str(year):
            continue
        for q in sorted(record.quantities, key=lambda q: q.start):
            if q.kind != "money" or q.unit != "元":
                continue
            if q.role == line_role(record.event.line):
                expected.setdefault(record.event.line, q.value)
            elif q.role == "budget":
                expected.setdefault(record.event.line + ":budget", q.value)
    return expected


def test_every_line_value_equals_the_record_it_comes_from() -> None:
    built = reports()
    table, _ = table_of(*built)
    assert len(table) == len(built)
    checked = 0
    for report in built:
        got = row(table, report.profile.doc_id)
        expected = expected_line_values(report.records, report.profile.year)
        line_columns = [
            c
            for c in table.columns
            if c not in ("doc_id", "body", "year", "genre", "records", "execution_rate")
            and not c.endswith(":yoy")
            and c.split(":")[0] not in ("sessions", "participants", "awards", "mismatches")
        ]
        for column in line_columns:
            if column in expected:
                assert got[column] == pytest.approx(expected[column]), (report.profile, column)
                checked += 1
            else:
                assert math.isnan(got[column]), (report.profile.doc_id, column)
    assert checked >= 30


def test_a_line_stated_twice_is_taken_once_the_first() -> None:
    r = Report("x-2024", "某局", 2024, "final_accounts")
    r.say(
        "基本支出263.69万元。",
        Group([money("263.69万元", 2636900, "spent")], "基本支出", "project", "基本支出"),
    )
    r.say(
        "基本支出263.96万元。",
        Group([money("263.96万元", 2639600, "spent")], "基本支出", "project", "基本支出"),
    )
    table, long = table_of(r)
    assert row(table, "x-2024")["基本支出"] == 2636900
    assert list(long[long.measure == "基本支出"].text) == ["263.69万元"]


def test_other_roles_and_other_years_are_not_the_line_value() -> None:
    r = Report("x-2024", "某局", 2024, "final_accounts")
    r.say(
        "2023年度三公经费支出0.8万元。",
        Group([money("0.8万元", 8000, "spent")], "三公经费", "project", "三公经费", date="2023"),
    )
    r.say(
        "三公经费比上年减少0.3万元，支出0.5万元。",
        Group(
            [money("0.3万元", 3000, "change"), money("0.5万元", 5000, "spent")],
            "三公经费",
            "project",
            "三公经费",
        ),
    )
    got = row(table_of(r)[0], "x-2024")
    assert got["三公经费"] == 5000
    assert "三公经费:budget" not in got.index or math.isnan(got["三公经费:budget"])


def test_a_total_and_its_parts_keep_their_own_columns() -> None:
    got = row(table_of(final_accounts("x-2024", "某局", 2024, 379.43, 400.0, 0))[0], "x-2024")
    assert got["本年支出合计"] == pytest.approx(3794300)
    assert got["基本支出"] + got["项目支出"] == pytest.approx(3794300)
    assert got["三公经费"] == got["三公经费/公务接待费"] == 0


# ------------------------------------------------------- activities: totals, parts


def activity(text: str, *groups: Group) -> pd.Series:
    r = Report("a-2024", "某协会", 2024, "work_summary").say(text, *groups)
    return row(table_of(r)[0], "a-2024")


def test_a_total_is_not_added_to_its_parts() -> None:
    got = activity(
        "举办各类活动120场，其中讲座45场、培训30期。",
        Group([("120场", "sessions", 120, None)], "各类活动", "popularization"),
        Group([("45场", "sessions", 45, None)], "讲座", "lecture"),
        Group([("30期", "sessions", 30, None)], "培训", "training"),
    )
    assert got["sessions"] == 120
    assert got["sessions:popularization"] == 120
    assert "sessions:lecture" not in got.index and "sessions:training" not in got.index


def test_parts_are_only_of_their_own_kind_and_clause_group() -> None:
    got = activity(
        "参与群众4万人次，其中青少年1万人次，举办讲座20场；开展培训30期，包括线上10期。",
        Group([("4万人次", "participants", 40000, None), ("1万人次", "participants", 10000, None)]),
        Group([("20场", "sessions", 20, None)], "讲座", "lecture"),
        Group([("30期", "sessions", 30, None), ("10期", "sessions", 10, None)], "培训", "training"),
    )
    # 1万 is a part of 4万; 20场 follows 其中 but no sessions figure precedes it: counted;
    # 30期 starts a new clause group; 10期 is its part.
    assert got["participants"] == 40000
    assert got["sessions"] == 50
    assert got["sessions:lecture"] == 20 and got["sessions:training"] == 30


def test_figures_without_a_part_marker_add_up() -> None:
    got = activity(
        "举办讲座10场、培训5期，获奖3项。",
        Group([("10场", "sessions", 10, None)], "讲座", "lecture"),
        Group([("5期", "sessions", 5, None), ("3项", "award", 3, None)], "培训", "training"),
    )
    assert got["sessions"] == 15 and got["awards"] == 3 and got["awards:training"] == 3


def test_parts_in_a_later_sentence_are_not_added_to_their_total() -> None:
    r = Report("a-2024", "某协会", 2024, "work_summary")
    r.say("举办活动100场。", Group([("100场", "sessions", 100, None)], "活动", "other"))
    r.say("其中讲座40场。", Group([("40场", "sessions", 40, None)], "讲座", "lecture"))
    assert row(table_of(r)[0], "a-2024")["sessions"] == 100


def test_an_enumeration_after_a_marked_total_lists_its_parts() -> None:
    r = Report("a-2024", "某协会", 2024, "work_summary")
    total = Group([("90场次", "sessions", 90, None)], "讲座", "lecture")
    r.say("举办各类讲座、培训等90场次。", total)
    r.say("一是开展培训20场。", Group([("20场", "sessions", 20, None)], "培训", "training"))
    r.say("二是开展讲座10场。", Group([("10场", "sessions", 10, None)], "讲座", "lecture"))
    r.say("另举办展览5场。", Group([("5场", "sessions", 5, None)], "展览", "exhibition"))
    got = row(table_of(r)[0], "a-2024")
    assert got["sessions"] == 95  # 90, and the exhibition after the list; not 20 nor 10


def test_an_enumeration_without_a_marked_total_adds_up() -> None:
    r = Report("a-2024", "某协会", 2024, "work_summary")
    r.say("举办讲座30场。", Group([("30场", "sessions", 30, None)], "讲座", "lecture"))
    r.say("一是开展培训20场。", Group([("20场", "sessions", 20, None)], "培训", "training"))
    assert row(table_of(r)[0], "a-2024")["sessions"] == 50


# ------------------------------------------------------------ execution, yoy, sort


def test_execution_rate_is_spent_over_budget_else_the_stated_rate() -> None:
    table, long = table_of(*reports())
    assert row(table, "putuo-finance-2024")["execution_rate"] == pytest.approx(3012.5 / 3100)
    r = Report("s-2024", "某局", 2024, "performance_self_evaluation")
    r.say(
        "一般公共预算财政拨款支出完成年初预算的93.1%。",
        Group(
            [],
            "一般公共预算财政拨款支出",
            "project",
            "一般公共预算财政拨款支出",
            rates=[("93.1%", "execution", 0.931)],
        ),
    )
    table, long = table_of(r)
    assert row(table, "s-2024")["execution_rate"] == pytest.approx(0.931)
    assert list(long[long.measure == "execution_rate"].text) == ["93.1%"]


def test_rows_of_one_body_sit_together_by_year_with_year_on_year_differences() -> None:
    table, _ = table_of(*reports())
    assert list(zip(table.body, table.year, strict=True)) == [
        ("上海市普陀区财政局", 2022),
        ("上海市普陀区财政局", 2024),
        ("株洲市芦淞区科学技术协会", 2024),
        ("武汉市江汉区科学技术协会", 2023),
        ("武汉市江汉区科学技术协会", 2024),
    ]
    jianghan = row(table, "jianghan-2024")
    assert jianghan["本年支出合计:yoy"] == pytest.approx((414.89 - 576.0) * 10_000)
    assert jianghan["三公经费:yoy"] == pytest.approx(-5000)
    assert math.isnan(row(table, "jianghan-2023")["本年支出合计:yoy"])  # no 2022 report
    assert math.isnan(row(table, "putuo-finance-2024")["本年支出合计:yoy"])  # 2022 is not 2023
    assert "本年支出合计:budget:yoy" not in table.columns
    columns = list(table.columns)
    assert columns[:5] == ["doc_id", "body", "year", "genre", "records"]
    assert columns.index("收支总计") < columns.index("本年支出合计") < columns.index("基本支出")
    assert (
        columns[columns.index("基本支出") + 1 : columns.index("基本支出") + 3]
        == [
            "基本支出:budget",
            "基本支出:yoy",
        ]
        or columns[columns.index("基本支出") + 1] == "基本支出:yoy"
    )


# ------------------------------------------------------------------- traceability


def test_every_cell_leads_back_to_the_figures_it_sums() -> None:
    built = reports()
    table, long = table_of(*built)
    raw = {r.profile.doc_id: r.raw for r in built}
    for record in long.itertuples(index=False):
        start, end = record.span
        text = raw[record.doc_id][start:end]
        assert text == record.text or " ÷ " in record.text
        assert record.record_id.startswith(record.doc_id + ":")
    sums = long.groupby(["doc_id", "measure"])["value"].sum()
    for (doc_id, measure), value in sums.items():
        assert row(table, doc_id)[measure] == pytest.approx(value)
    measured = table.drop(columns=["doc_id", "body", "year", "genre", "records"])
    yoy = [c for c in measured.columns if c.endswith(":yoy")]
    assert measured.drop(columns=yoy).notna().sum().sum() == len(sums)


def test_mismatches_count_the_findings_of_check() -> None:
    findings = read_findings(
        [
            '{"doc_id": "jianghan-2024", "check": "sum", "status": "mismatch", "message": "m",'
            ' "evidence": [{"text": "414.89万元", "span": [9, 18]}]}\n',
            '{"doc_id": "jianghan-2024", "check": "repeat", "status": "mismatch"}\n',
            '{"doc_id": "jianghan-2024", "check": "share", "status": "ok"}\n',
            "\n",
        ]
    )
    table, long = table_of(*reports(), findings=findings)
    assert row(table, "jianghan-2024")["mismatches"] == 2
    assert row(table, "jianghan-2023")["mismatches"] == 0
    assert "mismatches" not in table_of(*reports())[0].columns
    assert sorted(long[long.measure == "mismatches"].text) == [
        "",
        "",
        "",
        "",
        "",
        "repeat",
        "sum: m",
    ]
    with pytest.raises(ValueError, match="line 1"):
        read_findings(['{"doc_id": "x"}'])


def test_records_read_back_from_flat_rows_give_the_same_summary() -> None:
    built = reports()
    flat = to_dataframe(r for report in built for r in report.records)
    back = list(records_from_rows(flat.to_dict("records")))
    profiles = {r.profile.doc_id: r.profile for r in built}
    grouped: dict[str, list[ActivityRecord]] = {}
    for record in back:
        grouped.setdefault(record.doc_id, []).append(record)
    again = summarize((profiles[d], rs) for d, rs in grouped.items())
    pd.testing.assert_frame_equal(again, table_of(*built)[0])


# ------------------------------------------------------------------------- memory


def _many(documents: int, records_per_document: int) -> Iterator[tuple[Profile, list]]:
    """Documents whose records are made afresh, as extraction hands them over."""
    template = final_accounts("t", "某局", 2024, 100.0, 110.0, 1.0).records
    for n in range(documents):
        records = [
            replace(t, quantities=list(t.quantities), record_id=f"{n}:{i}")
            for i in range(records_per_document)
            for t in [template[i % len(template)]]
        ]
        yield Profile(f"doc-{n:05d}", f"局{n % 50}", 2000 + n % 20, "final_accounts"), records


def _peak(documents: int, records_per_document: int) -> int:
    tracemalloc.start()
    try:
        summarize(_many(documents, records_per_document))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_follows_the_reports_not_their_records() -> None:
    few, many = _peak(200, 10), _peak(200, 60)
    assert many < few * 1.5, (few, many)


def test_line_values_of_real_reports_equal_the_records_they_come_from() -> None:
    """The bundled reports and every PDF of ../shared/corpus-pdf/, through real extraction."""
    from nlp_pipeline.run import process_document
    from nlp_pipeline.summarize import profile_document, summarize

    from .conftest import GOLD, SHARED

    documents = [read_document(p) for p in sorted((GOLD / "docs").iterdir())]
    if SHARED.is_dir():
        documents += [read_document(p) for p in sorted((SHARED / "corpus-pdf").glob("*.pdf"))]
    extracted = [(profile_document(d), process_document(d)) for d in documents]
    table = summarize(iter(extracted)).set_index("doc_id")
    checked = 0
    for profile, records in extracted:
        expected = expected_line_values(records, profile.year)
        for column, value in expected.items():
            assert table.loc[profile.doc_id, column] == pytest.approx(value), column
            checked += 1
    assert checked >= (90 if SHARED.is_dir() else 20)
