"""The five-year plan overview (巡察工作五年规划) of one committee: per year its rounds, units and coverage.

The city's overview of a whole-city plan adds a part on 市县联动 (linked
sectors, county rounds in step, visits into each county, the cross cycle)
and the whole city's chart beside the city's own.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.gantt import gantt_bytes
from planner.linkage import is_whole_table
from planner.printouts.annual import CN_NUMBERS
from planner.printouts.document import Document, Heading, Paragraph, Picture, Table
from planner.printouts.rounds import (
    committee_name,
    covered,
    due_targets,
    kind_label,
    round_details,
    round_frame,
    select,
    short_names,
    span_cn,
    term_plan_name,
)
from planner.printouts.settings import document_header, signature
from planner.printouts.whole_city import (
    OUT_OF_STEP_COLUMNS,
    SECTOR_COLUMNS,
    SYNC_COLUMNS,
    SYNC_INTRO,
    VISIT_COLUMNS,
    whole_city_view,
)
from planner.scenario import Scenario
from planner.vocabulary import WHOLE_LEVEL, Level

YEAR_COLUMNS = ("年度", "轮次", "常规巡察", "专项巡察", "巡察“回头看”", "巡察单位", "累计巡察", "累计覆盖率")
ROUND_COLUMNS = ("轮次", "类型", "进驻时间", "巡察组", "被巡察单位或检查范围")
CHART = "巡察工作安排甘特图"
WHOLE_CHART = "市县巡察轮次安排甘特图"


def report_document(table: pd.DataFrame, scenario: Scenario, *, level: str = Level.CITY.value, county: str = "",
                    date: dt.date | None = None) -> Document:
    rows = select(table, level, county)
    if rows.empty:
        raise ValueError(f"方案中没有{committee_name(scenario, level, county)}的巡察安排")
    rounds = round_frame(rows)
    committee = committee_name(scenario, level, county)
    years = scenario.horizon.years
    due = len(due_targets(scenario, level, county))
    year_of = rows["round"].map(rounds["year"])
    done_total = len(covered(rows))
    span = f"{years[0]}—{years[-1]}年"
    intro = f"本届任期（{span}）{committee}共安排巡察{len(rounds)}轮"
    intro += f"，应巡察单位{due}个，规划巡察{done_total}个，覆盖率{done_total / due:.0%}。" if due else "。"
    names = short_names(rows["target_name"], scenario, level, county)
    overview = []
    sections = []
    for year in years:
        in_year = rounds[rounds["year"] == year]
        units = len(covered(rows[year_of == year]))
        so_far = len(covered(rows[year_of <= year]))
        kinds = in_year["kind"].value_counts()
        numbers = f"第{in_year.index.min()}—{in_year.index.max()}轮" if len(in_year) > 1 else (
            f"第{in_year.index.min()}轮" if len(in_year) else "—")
        overview.append(
            (f"{year}年", numbers, *(str(kinds.get(k, 0)) for k in ("regular", "special", "follow_up")), str(units),
             str(so_far), f"{so_far / due:.0%}" if due else "—")
        )
        if in_year.empty:
            continue
        body = []
        for number in in_year.index:
            detail = round_details(rows, scenario, int(number), level, county)
            extent = (detail.extent() if detail.theme is not None
                      else "、".join(dict.fromkeys(names[u.name] for t in detail.teams for u in t.units)))
            body.append((f"第{number}轮", kind_label(detail.kind), span_cn(detail.onsite_start, detail.onsite_end),
                         str(len(detail.teams)), extent))
        share = f"，占应巡察单位的{so_far / due:.0%}" if due else ""
        sections += [
            Heading(f"（{CN_NUMBERS[len(sections) // 3]}）{year}年", 2),
            Paragraph(f"安排巡察{len(in_year)}轮，巡察单位{units}个；至年底累计巡察{so_far}个单位{share}。"),
            Table(ROUND_COLUMNS, tuple(body), wrap=(4,), centred=(0, 3)),
        ]
    blocks = [
        Paragraph(intro),
        Heading("一、年度安排与覆盖进度"),
        Table(YEAR_COLUMNS, tuple(overview), centred=tuple(range(8))),
        Heading("二、各年度轮次"),
        *sections,
    ]
    charts = [Picture(gantt_bytes(table, scenario, level=level, county=county), CHART)]
    if level == Level.CITY.value and is_whole_table(table, scenario):
        blocks += whole_city_blocks(table, scenario, "三")
        charts.append(Picture(gantt_bytes(table, scenario, level=WHOLE_LEVEL), WHOLE_CHART))
    return Document(
        (f"{committee}{term_plan_name(scenario)}", f"（{span}）"),
        tuple(blocks),
        signature(scenario, level, county, date),
        document_header(scenario),
        attachments=tuple(charts),
    )


def whole_city_blocks(table: pd.DataFrame, scenario: Scenario, number: str) -> list:
    """The 市县联动 part of a whole-city plan: linked sectors, rounds in step, visits into counties, cross cycle."""
    view = whole_city_view(table, scenario)
    blocks = [
        Heading(f"{number}、市县联动"),
        Paragraph(view.overview),
        Heading("（一）联动系统", 2),
        Paragraph("市委每轮常规巡察确定联动系统，县区在同步开展的轮次中巡察本县区该系统的单位。"),
        Table(SECTOR_COLUMNS, view.sector_rows, wrap=(3,), centred=(0,)),
        Heading("（二）县区轮次同步", 2),
        Paragraph(view.sync_text),
    ]
    if view.out_of_step_rows:
        blocks.append(Table(OUT_OF_STEP_COLUMNS, view.out_of_step_rows, wrap=(3,), centred=(0, 1)))
    blocks += [Paragraph(SYNC_INTRO), Table(SYNC_COLUMNS, view.sync_rows, wrap=(2,), centred=(0,))]
    if view.special_text:
        blocks.append(Paragraph(view.special_text))
    blocks += [
        Heading("（三）县区外来进驻", 2),
        Paragraph(view.visit_text),
        Table(VISIT_COLUMNS, view.visit_rows, wrap=(3,), centred=(0,)),
        Heading("（四）县区之间交叉巡察", 2),
    ]
    lines = [f"第{CN_NUMBERS[i]}次：{line}" if len(view.cross_lines) > 1 else line
             for i, line in enumerate(view.cross_lines)]
    return blocks + [Paragraph(line + ("" if line.endswith("。") else "。")) for line in lines or ["本届未安排县区之间交叉巡察"]]
