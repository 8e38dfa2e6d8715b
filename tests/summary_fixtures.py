"""Small reports written as records, for the summary and dashboard tests.

``sentence_records`` builds the records of one sentence: figures are found in the
sentence's text in order, so every span is exact (``raw[start:end] == text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp_pipeline.schema import ActivityRecord, DateMention, Event, Mention, Quantity, Rate
from nlp_pipeline.summarize import Profile

UNITS = {"sessions": "场", "participants": "人次", "award": "项", "money": "元", "count": "个"}


@dataclass
class Group:
    """One record of a sentence: its event and figures ``(text, kind, value, role)``."""

    figures: list[tuple[str, str, float, str | None]]
    event: str | None = None
    type: str = "other"
    line: str | None = None
    date: str | None = None
    rates: list[tuple[str, str, float]] = field(default_factory=list)


def sentence_records(
    doc_id: str, start: int, text: str, groups: list[Group], first_id: int
) -> list[ActivityRecord]:
    """The records of sentence ``text`` at raw offset ``start`` (record ids from ``first_id``)."""
    sentence = Mention(text, start, start + len(text))
    cursor = 0
    records = []
    for n, group in enumerate(groups):
        event = None
        if group.event is not None:
            at = text.index(group.event)
            event = Event(
                group.event, start + at, start + at + len(group.event), group.type, group.line
            )
        quantities = []
        for figure, kind, value, role in group.figures:
            at = text.index(figure, cursor)
            cursor = at + len(figure)
            unit = UNITS[kind] if kind != "sessions" or not figure.endswith("期") else "期"
            quantities.append(
                Quantity(
                    figure,
                    start + at,
                    start + cursor,
                    kind=kind,
                    value=value,
                    unit=unit,
                    role=role if kind == "money" else None,
                )
            )
        rates = []
        for rate_text, kind, value in group.rates:
            at = text.index(rate_text)
            rates.append(Rate(rate_text, start + at, start + at + len(rate_text), kind, value))
        date = None
        if group.date is not None:
            date = DateMention(group.date[:4] + "年", start, start + 5, group.date)
        records.append(
            ActivityRecord(
                doc_id=doc_id,
                record_id=f"{doc_id}:{first_id + n:04d}",
                sentence=sentence,
                quantities=quantities,
                event=event,
                date=date,
                rates=rates,
            )
        )
    return records


class Report:
    """A report built sentence by sentence, as ``extract`` would give its records."""

    def __init__(self, doc_id: str, body: str | None, year: int | None, genre: str) -> None:
        self.profile = Profile(doc_id, body, year, genre)
        self.raw = ""
        self.records: list[ActivityRecord] = []

    def say(self, text: str, *groups: Group) -> Report:
        start = len(self.raw)
        self.raw += text + "\n"
        self.records += sentence_records(
            self.profile.doc_id, start, text, list(groups), len(self.records)
        )
        return self


def money(figure: str, value: float, role: str) -> tuple[str, str, float, str]:
    return (figure, "money", value, role)


def final_accounts(
    doc_id: str, body: str, year: int, spent: float, budget: float, sangong: float
) -> Report:
    """A final-accounts report stating its totals, parts, general budget and 三公经费."""
    wan = 10_000
    base, project = round(spent * 0.6, 2), round(spent - round(spent * 0.6, 2), 2)
    r = Report(doc_id, body, year, "final_accounts")
    r.say(
        f"{year}年度收、支总计{spent}万元。",
        Group([money(f"{spent}万元", spent * wan, "other")], "收、支总计", "project", "收支总计"),
    )
    r.say(
        f"{year}年度本年支出合计{spent}万元，其中：基本支出{base}万元，项目支出{project}万元。",
        Group(
            [money(f"{spent}万元", spent * wan, "spent")], "本年支出合计", "project", "本年支出合计"
        ),
        Group([money(f"{base}万元", base * wan, "spent")], "基本支出", "project", "基本支出"),
        Group([money(f"{project}万元", project * wan, "spent")], "项目支出", "project", "项目支出"),
    )
    r.say(
        f"财政拨款收入{spent}万元。",
        Group(
            [money(f"{spent}万元", spent * wan, "income")],
            "财政拨款收入",
            "project",
            "财政拨款收入",
        ),
    )
    r.say(
        f"{year}年度一般公共预算财政拨款支出年初预算为{budget}万元，支出决算为{spent}万元。",
        Group(
            [
                money(f"{budget}万元", budget * wan, "budget"),
                money(f"{spent}万元", spent * wan, "spent"),
            ],
            "一般公共预算财政拨款支出",
            "project",
            "一般公共预算财政拨款支出",
        ),
    )
    r.say(
        f"“三公”经费财政拨款支出{sangong}万元，其中公务接待费{sangong}万元。",
        Group(
            [money(f"{sangong}万元", sangong * wan, "spent")], "“三公”经费", "project", "三公经费"
        ),
        Group(
            [money(f"{sangong}万元", sangong * wan, "spent")],
            "公务接待费",
            "project",
            "三公经费/公务接待费",
        ),
    )
    r.say(
        "全年举办各类活动120场，其中讲座45场、培训30期，参与群众5000人次。",
        Group([("120场", "sessions", 120, None)], "各类活动", "popularization"),
        Group([("45场", "sessions", 45, None)], "讲座", "lecture"),
        Group(
            [("30期", "sessions", 30, None), ("5000人次", "participants", 5000, None)],
            "培训",
            "training",
        ),
    )
    return r


def reports() -> list[Report]:
    """Three bodies over up to three years, and a self-evaluation with activities."""
    jianghan = "武汉市江汉区科学技术协会"
    out = [
        final_accounts("jianghan-2023", jianghan, 2023, 576.0, 580.0, 0.5),
        final_accounts("jianghan-2024", jianghan, 2024, 414.89, 414.89, 0.0),
        final_accounts("putuo-finance-2024", "上海市普陀区财政局", 2024, 3012.5, 3100.0, 2.4),
        final_accounts("putuo-finance-2022", "上海市普陀区财政局", 2022, 2800.0, 2900.0, 3.1),
    ]
    selfeval = Report(
        "lusong-2024", "株洲市芦淞区科学技术协会", 2024, "performance_self_evaluation"
    )
    selfeval.say(
        "全年预算数491.27万元，实际执行数485.77万元，执行率98.88%。",
        Group(
            [money("491.27万元", 4912700, "budget"), money("485.77万元", 4857700, "spent")],
            "全年预算数",
            "project",
            "一般公共预算财政拨款支出",
            rates=[("98.88%", "execution", 0.9888)],
        ),
    )
    selfeval.say(
        "开展科普讲座10场，参与1200人次；举办青少年科技大赛1届，获奖20项。",
        Group(
            [("10场", "sessions", 10, None), ("1200人次", "participants", 1200, None)],
            "科普讲座",
            "lecture",
        ),
        Group(
            [("1届", "sessions", 1, None), ("20项", "award", 20, None)],
            "青少年科技大赛",
            "competition",
        ),
    )
    out.append(selfeval)
    return out
