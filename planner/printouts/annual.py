"""The annual plan (年度巡察工作计划) of the city committee, as the office files it.

One section per round of the year (第N轮, its kind and on-site dates, then
each team with its leader, size and drafted cadres and the units it
inspects), and a closing table of coverage per category: this year,
cumulatively and still remaining.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planner.printouts.document import Document, Heading, Paragraph, Table
from planner.printouts.rounds import (
    LEADER_LABELS,
    category_label,
    committee_name,
    covered,
    date_cn,
    kind_label,
    round_frame,
    rows_of_year,
    select,
    span_cn,
)
from planner.scenario import CATEGORIES, CITY, Level, Scenario

TEAM_COLUMNS = ("巡察组", "组长", "人数", "其中抽调", "进驻时间", "被巡察单位", "类别", "系统(领域)")
TEAM_WIDTHS = (16, 10, 6, 7, 18, 24, 18, 13)
COVERAGE_COLUMNS = ("类别", "应巡察", "本年度", "累计", "尚余", "累计覆盖率")
COVERAGE_WIDTHS = (34, 12, 12, 12, 12, 14)
SPECIAL_CONTENT = "专项巡察内容"


@dataclass(frozen=True)
class RoundSection:
    number: int
    kind: str
    heading: str
    summary: str
    table: Table


@dataclass(frozen=True)
class AnnualPlan:
    title: str
    year: int
    intro: str
    rounds: tuple[RoundSection, ...]
    round_list: Table
    coverage: Table
    note: str


def annual_plan(table: pd.DataFrame, scenario: Scenario, year: int) -> AnnualPlan:
    """The city committee's plan for ``year``: rounds whose on-site phase starts in it."""
    rows = select(table, Level.CITY.value)
    rounds = round_frame(rows)
    this_year = rounds[rounds["year"] == year]
    if this_year.empty:
        raise ValueError(f"方案中没有 {year} 年开始进驻的轮次")
    committee = committee_name(scenario)
    sections = tuple(
        _round_section(number, rows[rows["round"] == number], scenario) for number in this_year.index
    )
    year_rows = rows_of_year(rows, year)
    units = covered(year_rows)
    kinds = this_year["kind"].value_counts()
    kind_text = "、".join(f"{kind_label(k)}{kinds[k]}轮" for k in kinds.index)
    team_rounds = year_rows.drop_duplicates(["round", "team"]).shape[0]
    intro = (
        f"{year}年, {committee}共安排巡察{len(this_year)}轮 ({kind_text}), "
        f"派出巡察组{team_rounds}个组次, 巡察单位{len(units)}个。"
    )
    round_list = Table(
        ("轮次", "类型", "进驻时间", "巡察组", "巡察单位"),
        tuple(
            (f"第{n}轮", kind_label(r.kind), span_cn(r.onsite_start, r.onsite_end), str(r.teams), str(r.units))
            for n, r in this_year.iterrows()
        ),
        (10, 16, 36, 10, 12),
    )
    follow_up = year_rows[year_rows["kind"] == "follow_up"]["target"].nunique()
    note = f"另安排巡察“回头看”{follow_up}个单位, 不计入覆盖数。" if follow_up else ""
    return AnnualPlan(
        title=f"{committee}{year}年度巡察工作计划",
        year=year,
        intro=intro,
        rounds=sections,
        round_list=round_list,
        coverage=_coverage(rows, rounds, scenario, year),
        note=note,
    )


def _round_section(number: int, rows: pd.DataFrame, scenario: Scenario) -> RoundSection:
    kind = str(rows["kind"].iloc[0])
    start, end = min(rows["onsite_start"]), max(rows["onsite_end"])
    teams = rows["team"].nunique()
    heading = f"第{number}轮 {kind_label(kind)}"
    if kind == "special":
        theme = str(rows["target_name"].iloc[0])
        scope = next((t.scope_units for t in scenario.rounds.special.themes if t.name == theme), None)
        heading += f": {theme}"
        extent = f", 检查单位约{scope}个" if scope else ""
        summary = f"进驻时间: {span_cn(start, end)}。派出巡察组{teams}个{extent}。"
    else:
        summary = f"进驻时间: {span_cn(start, end)}。派出巡察组{teams}个, 巡察单位{rows['target'].nunique()}个。"
    order = {c: i for i, c in enumerate(CATEGORIES)}
    body: list[tuple[str | None, ...]] = []
    for _, team in rows.groupby("team", sort=True):
        first = team.iloc[0]
        head = (
            str(first.get("team_name") or first["team"]),
            LEADER_LABELS.get(first["leader"], first["leader"]),
            str(first["team_size"]),
            str(first["drafted"]),
            f"{date_cn(min(team['onsite_start']), False)}至{date_cn(max(team['onsite_end']), False)}",
        )
        units = team.sort_values(["category", "target_name"], key=lambda s: s.map(order) if s.name == "category" else s)
        for i, (_, unit) in enumerate(units.iterrows()):
            category = category_label(unit["category"]) if unit["category"] else SPECIAL_CONTENT
            body.append((head if i == 0 else (None,) * len(head)) + (unit["target_name"], category, unit["sector"]))
    return RoundSection(number, kind, heading, summary, Table(TEAM_COLUMNS, tuple(body), TEAM_WIDTHS))


def _coverage(rows: pd.DataFrame, rounds: pd.DataFrame, scenario: Scenario, year: int) -> Table:
    """Units per category: to inspect in the term, this year, up to this year, still remaining."""
    due = pd.Series([t.category for t in scenario.targets_of(CITY)]).value_counts()
    year_of = rows["round"].map(rounds["year"])
    this_year = covered(rows[year_of == year])["category"].value_counts()
    so_far = covered(rows[year_of <= year])["category"].value_counts()
    body = []
    for category in (c for c in CATEGORIES if c in due.index):
        total, done = int(due[category]), int(so_far.get(category, 0))
        body.append((category_label(category), total, int(this_year.get(category, 0)), done, total - done))
    total = tuple(sum(r[i] for r in body) for i in range(1, 5))
    body.append(("合计", *total))
    cells = tuple(
        (label, str(t), str(y), str(d), str(r), f"{d / t:.0%}" if t else "—") for label, t, y, d, r in body
    )
    return Table(COVERAGE_COLUMNS, cells, COVERAGE_WIDTHS)


def annual_document(plan: AnnualPlan) -> Document:
    blocks: list = [Paragraph(plan.intro), Heading("一、全年轮次安排"), plan.round_list, Heading("二、各轮巡察安排")]
    for section in plan.rounds:
        blocks += [Heading(section.heading, 2), Paragraph(section.summary), section.table]
    blocks += [Heading("三、巡察全覆盖进度"), plan.coverage]
    if plan.note:
        blocks.append(Paragraph(plan.note))
    return Document(plan.title, tuple(blocks))
