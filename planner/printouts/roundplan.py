"""The work plan of one round (每轮巡察工作方案): its task, timetable and staffing.

The staffing table lists every seat of every team (组长, 副组长, 联络员, 组员),
each as in post (在编, a filled post in teams.csv) or drafted (抽调, from the
plan's drafted counts), with blank cells where the office writes names, and
the round's drafted cadres and leaders against the pools it may draw on.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.printouts.annual import team_table
from planner.printouts.document import Document, Heading, Paragraph, Table
from planner.printouts.rounds import (
    LEADER_SOURCES,
    RoundDetail,
    committee_name,
    date_cn,
    kind_label,
    round_details,
    round_frame,
    select,
    span_cn,
    exchange_note,
    lent_cadres,
    staff_pools,
)
from planner.printouts.settings import document_header, signature
from planner.scenario import Scenario
from planner.vocabulary import Level

STAFF_COLUMNS = ("巡察组", "职务", "人员来源", "姓名", "工作单位及职务")
DAY = dt.timedelta(days=1)


def round_document(table: pd.DataFrame, scenario: Scenario, number: int, *, level: str = Level.CITY.value,
                   county: str = "", date: dt.date | None = None) -> Document:
    rows = select(table, level, county)
    detail = round_details(rows, scenario, number, level, county)
    committee = committee_name(scenario, level, county)
    year = int(round_frame(rows).loc[number, "year"])
    pools = staff_pools(scenario, level, county)
    intro = (f"根据{committee}{year}年度巡察工作计划，定于{span_cn(detail.onsite_start, detail.onsite_end)}"
             f"开展第{number}轮{kind_label(detail.kind)}。为做好本轮巡察工作，制定本方案。")
    blocks = [
        Paragraph(intro),
        Heading("一、巡察任务"),
        Paragraph(_task(detail)),
        team_table(detail),
        Heading("二、时间安排"),
        *_timetable(detail),
        Heading("三、人员配备"),
        Paragraph(staffing_summary(detail, pools, exchange_note(detail.kind, county, lent_cadres(scenario, level, county)))),
        staffing_table(detail),
    ]
    return Document((f"{committee}第{number}轮巡察工作方案",), tuple(blocks),
                    signature(scenario, level, county, date), document_header(scenario))


def _task(detail: RoundDetail) -> str:
    teams = len(detail.teams)
    if detail.theme is not None:
        theme = detail.theme
        text = f"本轮开展{theme.name}，派出巡察组{teams}个。检查范围：{detail.extent()}"
        return text + (f"；检查内容：{theme.focus}。" if theme.focus else "。")
    return f"本轮派出巡察组{teams}个，对{detail.unit_count}个单位开展{kind_label(detail.kind)}，分工如下。"


def _timetable(detail: RoundDetail) -> list[Paragraph]:
    same_dates = len({(t.onsite_start, t.onsite_end) for t in detail.teams}) == 1
    onsite = span_cn(detail.onsite_start, detail.onsite_end) + ("" if same_dates else "，各组进驻时间见上表")
    steps = [
        f"（一）准备阶段：{span_cn(detail.busy_start, detail.onsite_start - DAY)}。"
        "完成人员抽调、业务培训和进驻准备，进驻前向被巡察单位发出巡察通知。",
        f"（二）进驻阶段：{onsite}。",
        f"（三）报告阶段：{span_cn(detail.onsite_end + DAY, detail.busy_end)}。"
        f"形成巡察报告，于{date_cn(detail.busy_end)}前按程序报告巡察情况。",
    ]
    return [Paragraph(s) for s in steps]


def staffing_summary(detail: RoundDetail, pools: tuple[int, int], exchange: str = "") -> str:
    """本轮需抽调12人 / 可抽调15人 (``exchange``: what the pool lends, 上派下挂), and the same for
    leaders, with any shortfall and vacancy."""
    drafted_pool, leader_pool = pools
    in_post = sum(not m.drafted for t in detail.teams for m in t.members)
    text = (f"本轮共需巡察干部{detail.people}人，其中在编{in_post}人、抽调{detail.people - in_post}人。"
            f"需从人才库抽调干部{detail.drafted}人，可抽调{drafted_pool}人")
    text += exchange
    if detail.drafted > drafted_pool:
        text += f"，缺{detail.drafted - drafted_pool}人"
    text += f"；需从组长库抽调组长{detail.drafted_leaders}人，可抽调{leader_pool}人"
    if detail.drafted_leaders > leader_pool:
        text += f"，缺{detail.drafted_leaders - leader_pool}人"
    text += "。"
    vacant = [f"{t.name}{'和'.join(dict.fromkeys(t.vacant))}" for t in detail.teams if t.vacant]
    if vacant:
        text += "、".join(vacant) + "岗位空缺，由抽调干部补足人数。"
    return text


def staffing_table(detail: RoundDetail) -> Table:
    rows: list[tuple[str | None, ...]] = []
    for team in detail.teams:
        for i, member in enumerate(team.members):
            rows.append((team.name if i == 0 else None, member.role, LEADER_SOURCES[member.drafted], "", ""))
    return Table(STAFF_COLUMNS, tuple(rows), wrap=(4, 3), centred=(1, 2))
