"""The five-year plan overview (巡察工作五年规划): per year its rounds, units and coverage."""

from __future__ import annotations

import pandas as pd

from planner.gantt import gantt_bytes
from planner.printouts.document import Document, Heading, Paragraph, Picture, Table
from planner.printouts.rounds import committee_name, covered, kind_label, round_frame, select, short_name, span_cn
from planner.scenario import CITY, Level, Scenario

YEAR_COLUMNS = ("年度", "轮次", "常规巡察", "专项巡察", "巡察“回头看”", "巡察单位", "累计巡察", "累计覆盖率")
YEAR_WIDTHS = (9, 12, 10, 10, 13, 10, 10, 12)
ROUND_COLUMNS = ("轮次", "类型", "进驻时间", "巡察组", "被巡察单位")
ROUND_WIDTHS = (9, 15, 30, 9, 57)


def report_document(table: pd.DataFrame, scenario: Scenario) -> Document:
    rows = select(table, Level.CITY.value)
    rounds = round_frame(rows)
    committee = committee_name(scenario)
    years = scenario.horizon.years
    due = len(scenario.targets_of(CITY))
    year_of = rows["round"].map(rounds["year"])
    done_total = len(covered(rows))
    intro = (
        f"{committee}本届任期 ({years[0]}—{years[-1]}年) 共安排巡察{len(rounds)}轮, "
        f"应巡察单位{due}个, 规划巡察{done_total}个, 覆盖率{done_total / due:.0%}。"
        if due
        else f"{committee}本届任期共安排巡察{len(rounds)}轮。"
    )
    overview = []
    sections = []
    for year in years:
        in_year = rounds[rounds["year"] == year]
        units = len(covered(rows[year_of == year]))
        so_far = len(covered(rows[year_of <= year]))
        kinds = in_year["kind"].value_counts()
        numbers = f"第{in_year.index.min()}—{in_year.index.max()}轮" if len(in_year) else "—"
        overview.append(
            (f"{year}年", numbers, *(str(kinds.get(k, 0)) for k in ("regular", "special", "follow_up")), str(units),
             str(so_far), f"{so_far / due:.0%}" if due else "—")
        )
        if in_year.empty:
            continue
        body = []
        for number, r in in_year.iterrows():
            names = dict.fromkeys(short_name(n, scenario) for n in rows[rows["round"] == number]["target_name"])
            body.append((f"第{number}轮", kind_label(r.kind), span_cn(r.onsite_start, r.onsite_end), str(r.teams),
                         "、".join(names)))
        sections += [
            Heading(f"{year}年", 2),
            Paragraph(f"安排巡察{len(in_year)}轮, 巡察单位{units}个; 至年底累计巡察{so_far}个单位"
                      + (f", 占应巡察单位的{so_far / due:.0%}。" if due else "。")),
            Table(ROUND_COLUMNS, tuple(body), ROUND_WIDTHS),
        ]
    blocks = [
        Paragraph(intro),
        Heading("一、年度安排与覆盖进度"),
        Table(YEAR_COLUMNS, tuple(overview), YEAR_WIDTHS),
        Heading("二、各年度轮次"),
        *sections,
        Picture(gantt_bytes(table, scenario), "图: 巡察工作安排甘特图 (编号所指单位见图下)"),
    ]
    return Document(f"{committee}巡察工作五年规划 ({years[0]}—{years[-1]}年)", tuple(blocks))

