"""Each stage through its public function: ingest, segment, numbers, quantities, events, records."""

from __future__ import annotations

from nlp_pipeline.annotate import make_doc
from nlp_pipeline.events import find_dates, find_events, find_locations, find_organizers
from nlp_pipeline.ingest import decode_bytes, document_from_text, normalize, reporting_year
from nlp_pipeline.numbers import parse_number, qualifier_for
from nlp_pipeline.quantities import find_quantities
from nlp_pipeline.records import extract_document
from nlp_pipeline.segment import segment


def _raw_of(mapped, raw: str, start: int, end: int) -> str:
    rs, re_ = mapped.raw_span(start, end)
    return raw[rs:re_]


def test_normalize_removes_spaces_inside_numbers_and_keeps_the_map() -> None:
    raw = "支出决算为 414.89 万元，２０２４ 年"
    mapped = normalize(raw)
    assert mapped.text == "支出决算为414.89万元，2024年"
    i = mapped.text.index("414.89万元")
    assert _raw_of(mapped, raw, i, i + len("414.89万元")) == "414.89 万元"


def test_normalize_strips_html_and_markdown_emphasis() -> None:
    raw = "<p>举办<b>讲座</b>10&nbsp;场</p>**重点**"
    mapped = normalize(raw)
    assert "举办讲座10场" in mapped.text
    assert "重点" in mapped.text and "*" not in mapped.text
    i = mapped.text.index("10场")
    assert _raw_of(mapped, raw, i, i + 3) == "10&nbsp;场"


def test_half_width_clause_marks_in_chinese_prose_become_chinese_ones() -> None:
    raw = "支出12.5万元,下降3%;其中:讲座4场。Hello, world; 1,055.4%, 10:30"
    mapped = normalize(raw)
    assert mapped.text == "支出12.5万元，下降3%；其中：讲座4场。Hello,world;1,055.4%，10:30"
    i = mapped.text.index("，下降")
    assert _raw_of(mapped, raw, i, i + 1) == ","  # the raw comma, one for one


def test_ruby_pinyin_after_a_character_is_removed() -> None:
    raw = "1萬(wàn)多名職工報名，获奖(a)类"
    mapped = normalize(raw)
    assert mapped.text.startswith("1万多名职工报名") or mapped.text.startswith("1萬多名")
    assert "(a)" in mapped.text and "wàn" not in mapped.text


def test_converter_bookmarks_are_removed() -> None:
    raw = "其中：\n[bookmark: _GoBack]一是科普经费，预算支出8万元"
    mapped = normalize(raw)
    assert mapped.text == "其中：\n一是科普经费，预算支出8万元"


def test_html_cells_become_tabs() -> None:
    mapped = normalize("<tr><td>科普长廊维护</td><td>2次</td></tr>")
    assert "\t" in mapped.text


def test_decode_detects_gb18030_and_bom() -> None:
    text = "举办科普讲座10余场"
    assert decode_bytes(text.encode("gb18030"))[0] == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode())[0] == text


def test_reporting_year_from_name_or_title() -> None:
    assert reporting_year("", "jianghan-2024-final-accounts") == 2024
    assert reporting_year("2023 年度部门决算公开", "report") == 2023
    assert reporting_year("无年份", "report") is None


def test_segment_joins_pdf_line_breaks_and_sets_sections() -> None:
    raw = (
        "# 第一部分 概况\n\n## 一、工作完成情况\n\n"
        "开展科普讲座\n\n10场，参与群众500人。\n\n下一段。"
    )
    sentences = segment(document_from_text(raw, "d"))
    texts = [s.text for s in sentences]
    assert "开展科普讲座10场，参与群众500人。" in texts
    first = sentences[0]
    assert first.section == "第一部分 概况 > 一、工作完成情况"
    rs, re_ = first.raw_span()
    assert raw[rs:re_] == "开展科普讲座\n\n10场，参与群众500人。"


def test_segment_sets_tables_aside_but_keeps_prose_cells() -> None:
    raw = (
        "指标\t目标\t完成\n科普长廊维护\t2次\t2次\n"
        "完成情况\t开展科普相关活动3场次，定期更换橱窗。\n"
    )
    sentences = segment(document_from_text(raw, "d"))
    assert [s.text for s in sentences] == ["开展科普相关活动3场次，定期更换橱窗。"]
    assert sentences[0].in_table


def test_a_prose_cell_is_its_own_whole_sentence() -> None:
    raw = "<table><tr><td>学术交流</td><td>已完成。2023年举办学术交流活动3场</td></tr></table>"
    sentences = segment(document_from_text(raw, "d"))
    assert [s.text for s in sentences] == ["已完成。2023年举办学术交流活动3场"]
    rs, re_ = sentences[0].raw_span()
    assert raw[rs:re_] == "已完成。2023年举办学术交流活动3场"


def test_a_table_flattened_one_cell_per_line_is_set_aside() -> None:
    raw = "科普长廊维护\n2次\n2次\n5\n\n举办科普讲座10场。\n"
    sentences = segment(document_from_text(raw, "d"))
    assert [s.text for s in sentences] == ["举办科普讲座10场。"]


def test_list_item_title_is_kept_for_events() -> None:
    raw = "（三）具体情况\n1. 行政运行。年初预算为 156.59 万元，支出决算为 156.59 万元。\n"
    records = extract_document(document_from_text(raw, "d"))
    assert len(records) == 1
    assert records[0].event is not None and records[0].event.text == "行政运行"
    assert records[0].event.type == "project"
    assert [q.role for q in records[0].quantities] == ["budget", "spent"]


def test_a_title_without_an_event_word_names_only_money() -> None:
    raw = "1.数量指标：新增城镇就业3260人。\n2.行政运行。支出决算为5万元。\n"
    records = extract_document(document_from_text(raw, "d"))
    assert [(r.event.text if r.event else None) for r in records] == [None, "行政运行"]


def test_numbers_and_qualifiers() -> None:
    assert parse_number("一千二百") == 1200
    assert parse_number("4.8万") == 48000
    assert parse_number("abc") is None
    assert qualifier_for("余", "suffix") == "over"
    assert qualifier_for("近", "prefix") == "nearly"


def test_quantities_kinds_and_values() -> None:
    found = find_quantities("举办讲座10余场，参与群众近6000余人次，获一等奖2项，获补助5.47万元")
    assert [(q.kind, q.value, q.qualifier) for q in found] == [
        ("sessions", 10, "over"),
        ("participants", 6000, "over"),
        ("award", 2, "exact"),
        ("money", 54700, "exact"),
    ]
    assert found[2].level == "一等奖"
    assert found[3].role == "grant"


def test_events_dates_places_organizers() -> None:
    text = "10月1日至7日，联合团区委、科技局在芦淞航空小镇开展航空航天系列科普活动3场"
    evs = find_events(make_doc(text))
    assert [e.text for e in evs] == ["航空航天系列科普活动"]
    assert evs[0].type == "popularization"
    assert [d.value for d in find_dates(text, 2024)] == ["2024-10-01/2024-10-07"]
    assert [loc.text for loc in find_locations(text)] == ["芦淞航空小镇"]
    assert [o.text for o in find_organizers(text)] == ["团区委", "科技局"]


def test_several_activities_in_one_sentence_give_several_records() -> None:
    text = "开展院士专家进校园活动6场次，参与学生1200余人次；举办科技周系列讲座10余场次。"
    records = extract_document(document_from_text(text.replace("；", "，"), "d"))
    events = [r.event.text for r in records if r.event]
    assert events == ["院士专家进校园活动", "科技周系列讲座"]
    assert [len(r.quantities) for r in records] == [2, 1]


def test_a_total_named_by_one_column_takes_that_columns_role() -> None:
    text = "本单位2023年度收入总计512.30万元，支出总计498.10万元。收、支总计各为1.2万元。"
    doc = document_from_text(text, "t")
    roles = {q.text: q.role for r in extract_document(doc) for q in r.quantities}
    assert roles == {"512.30万元": "income", "498.10万元": "spent", "1.2万元": "other"}


def test_a_comma_between_numbers_that_is_no_thousands_separator_lists_them() -> None:
    assert normalize("各是412.50,414.30万元").text == "各是412.50、414.30万元"
    assert normalize("收入1,286.45万元，共2,000,000元").text == "收入1,286.45万元，共2,000,000元"


def test_a_list_items_number_glued_to_the_count_it_opens_ends_at_its_point() -> None:
    text = "二、惠民\n2.36个书屋更新图书900册。\n13.5场演出\n增长\n1.5个百分点，预计0.5个月"
    norm = normalize(text).text
    assert norm.splitlines()[1:3] == ["2、36个书屋更新图书900册。", "13、5场演出"]
    assert norm.endswith("增长\n1.5个百分点，预计0.5个月")  # decimals that are decimals
    found = [q.text for r in extract_document(document_from_text(text, "t")) for q in r.quantities]
    assert found[:2] == ["36个", "900册"]


def test_the_parts_listed_after_a_total_take_its_role() -> None:
    text = (
        "上级下达补助资金1500万元。其中，文化云建设40万元，年初结转结余3万元。"
        "本年支出合计980万元。其中：基本支出700万元，人员经费120万元。"
        "三公经费中，公务接待费3.2万元，比预算数减少0.5万元。"
    )
    doc = document_from_text(text, "t")
    roles = {q.text: q.role for r in extract_document(doc) for q in r.quantities}
    assert roles == {
        "1500万元": "grant",
        "40万元": "grant",  # a part of the grant
        "3万元": "other",  # a cue of its own
        "980万元": "spent",
        "700万元": "spent",
        "120万元": "spent",
        "3.2万元": "spent",  # an outturn set against the budget
        "0.5万元": "change",
    }


def test_an_execution_rate_after_a_semicolon_describes_what_the_sentence_before_spent() -> None:
    text = (
        "本年支出决算189.74万元，比上年减少5.3万元；完成年初预算的98%，决算数大于预算数2.1万元。"
        "本年收入12万元；增长5%。"
    )
    records = extract_document(document_from_text(text, "t"))
    rates = {
        q.text: [(r.kind, r.value) for r in rec.rates] for rec in records for q in rec.quantities
    }
    assert rates["189.74万元"] == [("execution", 0.98)]
    assert all(not rates[k] for k in ("2.1万元", "12万元"))  # a change names its own subject


def test_a_unit_declared_for_a_section_reads_bare_money_after_a_money_word() -> None:
    text = (
        "一、收入支出决算总体情况\n（单位：万元）\n本年收入合计386.4，本年支出合计371.25。\n"
        "参加培训人员35，编制数12。\n"
        "二、其他情况说明\n本年收入合计7。\n"
    )
    doc = document_from_text(text, "t")
    found = {(q.text, q.value, q.role) for r in extract_document(doc) for q in r.quantities}
    # under the declaration, a bare number after a money word is money in its unit; after any
    # other word it stays unread; the next section has no declaration of its own
    assert found == {("386.4", 3864000, "income"), ("371.25", 3712500, "spent")}


def test_a_bare_number_in_a_flattened_table_row_is_no_money() -> None:
    text = "单位：万元\n一、一般公共预算财政拨款 1,820.40 一、一般公共服务支出 1,245.10 1,245.10\n"
    assert [q for r in extract_document(document_from_text(text, "t")) for q in r.quantities] == []
