"""The annual plan (年度巡察工作计划) of one committee, as the office files it.

The year's rounds (those starting in it, and a round continuing from the
year before, marked as such), then one part per round: its dates, staff
against the pools, and each team with its leader, size and units (a special
round gives its theme, scope and what it checks instead), and a closing
table of coverage per category: this year, cumulatively and still remaining.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from planner.printouts.document import Document, Heading, Paragraph, Signature, Table
from planner.printouts.rounds import (
    LEADER_SOURCES,
    RoundDetail,
    category_label,
    committee_name,
    covered,
    date_cn,
    due_targets,
    kind_label,
    round_details,
    round_frame,
    rounds_touching,
    select,
    span_cn,
    staff_pools,
)
from planner.printouts.settings import document_header, signature
from planner.scenario import CATEGORIES, Level, Scenario

CN_NUMBERS = "一二三四五六七八九十"
ROUND_COLUMNS = ("轮次", "类型", "进驻时间", "巡察组", "巡察范围")
TEAM_COLUMNS = ("巡察组", "组长", "人数", "抽调", "进驻时间", "被巡察单位", "所属系统")
SPECIAL_TEAM_COLUMNS = ("巡察组", "组长", "人数", "抽调", "进驻时间")
COVERAGE_COLUMNS = ("类别", "应巡察", "本年度", "累计", "尚余", "累计覆盖率")


@dataclass(frozen=True)
class Coverage:
    category: str
    due: int
    this_year: int
    so_far: int

    @property
    def remaining(self) -> int:
        return self.due - self.so_far

    @property
    def share(self) -> float | None:
        return self.so_far / self.due if self.due else None


@dataclass(frozen=True)
class AnnualPlan:
    committee: str
    year: int
    rounds: tuple[RoundDetail, ...]
    started_before: frozenset[int]
    coverage: tuple[Coverage, ...]
    follow_up_units: int
    pools: tuple[int, int]
    signature: Signature
    level: str = Level.CITY.value

    @property
    def title(self) -> str:
        return f"{self.committee}{self.year}年度巡察工作计划"

    @property
    def starting(self) -> tuple[RoundDetail, ...]:
        return tuple(r for r in self.rounds if r.number not in self.started_before)


def annual_plan(table: pd.DataFrame, scenario: Scenario, year: int, *, level: str = Level.CITY.value,
                county: str = "", date: dt.date | None = None) -> AnnualPlan:
    """The committee's plan for ``year``: rounds on site in it; units count in the year their round starts."""
    rows = select(table, level, county)
    rounds = round_frame(rows)
    touching = rounds_touching(rounds, year)
    if touching.empty:
        raise ValueError(f"方案中没有 {year} 年进驻的轮次")
    year_of = rows["round"].map(rounds["year"])
    this_year = covered(rows[year_of == year])["category"].value_counts()
    so_far = covered(rows[year_of <= year])["category"].value_counts()
    due = pd.Series(due_targets(scenario, level, county), dtype=object).value_counts()
    coverage = tuple(
        Coverage(category_label(c), int(due[c]), int(this_year.get(c, 0)), int(so_far.get(c, 0)))
        for c in CATEGORIES if c in due.index
    )
    year_rows = rows[year_of == year]
    return AnnualPlan(
        committee=committee_name(scenario, level, county),
        year=year,
        rounds=tuple(round_details(rows, scenario, n, level, county) for n in touching.index),
        started_before=frozenset(int(n) for n in touching.index[touching["year"] < year]),
        coverage=coverage,
        follow_up_units=year_rows[year_rows["kind"] == "follow_up"]["target"].nunique(),
        pools=staff_pools(scenario, level, county),
        signature=signature(scenario, level, county, date),
        level=level,
    )


def annual_document(plan: AnnualPlan, scenario: Scenario) -> Document:
    blocks: list = [Paragraph(_intro(plan)), Heading("一、全年轮次安排"), _round_list(plan), Heading("二、各轮巡察安排")]
    for i, detail in enumerate(plan.rounds):
        blocks += [Heading(f"（{CN_NUMBERS[i] if i < 10 else i + 1}）{detail.label}", 2),
                   Paragraph(round_summary(detail, plan.pools, plan.year, detail.number in plan.started_before)),
                   team_table(detail)]
    blocks += [Heading("三、巡察全覆盖进度"), coverage_table(plan)]
    if plan.follow_up_units:
        blocks.append(Paragraph(f"另安排巡察“回头看”{plan.follow_up_units}个单位，不计入覆盖数。"))
    return Document((plan.title,), tuple(blocks), plan.signature, document_header(scenario))


def _intro(plan: AnnualPlan) -> str:
    starting = plan.starting
    kinds = pd.Series([r.kind for r in starting], dtype=object).value_counts()
    kind_text = "、".join(f"{kind_label(k)}{kinds[k]}轮" for k in kinds.index)
    team_rounds = sum(len(r.teams) for r in starting)
    units = sum(c.this_year for c in plan.coverage)
    text = (f"根据巡察工作五年规划，{plan.year}年{plan.committee}安排巡察{len(starting)}轮（{kind_text}），"
            f"派出巡察组{team_rounds}个组次，对{units}个单位开展巡察")
    special = [r for r in starting if r.theme is not None]
    if special:
        text += "".join(f"，开展{r.theme.name}（{r.extent()}）" for r in special)
    text += "。"
    for r in plan.rounds:
        if r.number in plan.started_before:
            text += f"{r.onsite_start.year}年开始的第{r.number}轮延续至{date_cn(r.onsite_end)}。"
        elif r.onsite_end.year > plan.year:
            text += f"第{r.number}轮进驻延续至{date_cn(r.onsite_end)}。"
    return text + "具体安排如下。" if starting else text


def _round_list(plan: AnnualPlan) -> Table:
    rows = tuple(
        (f"第{r.number}轮" + ("（续）" if r.number in plan.started_before else ""), kind_label(r.kind),
         span_cn(r.onsite_start, r.onsite_end), str(len(r.teams)), r.extent())
        for r in plan.rounds
    )
    return Table(ROUND_COLUMNS, rows, wrap=(4,), centred=(0, 3))


def round_summary(detail: RoundDetail, pools: tuple[int, int], year: int | None = None,
                  started_before: bool = False) -> str:
    """进驻时间, teams and people against the pools, and what the round inspects."""
    drafted_pool, leader_pool = pools
    text = f"进驻时间：{span_cn(detail.onsite_start, detail.onsite_end)}。"
    if started_before:
        text += f"本轮于{detail.onsite_start.year}年开始进驻，巡察单位计入{detail.onsite_start.year}年度。"
    elif year is not None and detail.onsite_end.year > year:
        text += f"本轮跨年度进行，{detail.onsite_end.year}年继续进驻。"
    text += f"派出巡察组{len(detail.teams)}个、巡察干部{detail.people}人，其中需抽调干部{detail.drafted}人（可抽调{drafted_pool}人）"
    if detail.drafted_leaders:
        text += f"、从组长库抽调组长{detail.drafted_leaders}人（可抽调{leader_pool}人）"
    if detail.theme is None:
        return text + f"；巡察单位{detail.unit_count}个。"
    theme = detail.theme
    text += f"。专项巡察主题：{theme.name}；检查范围：{detail.extent()}"
    return text + (f"；检查内容：{theme.focus}。" if theme.focus else "。")


def team_table(detail: RoundDetail) -> Table:
    """Each team with leader, people and dates, and (regular rounds) its units, one per line."""
    rows: list[tuple[str | None, ...]] = []
    for team in detail.teams:
        head = (team.name, LEADER_SOURCES[team.leader_drafted], str(team.size), str(team.drafted),
                span_cn(team.onsite_start, team.onsite_end, with_year=False))
        if detail.theme is not None:
            rows.append(head)
            continue
        for i, unit in enumerate(team.units or (None,)):
            cells = (unit.described, unit.sector) if unit else ("", "")
            rows.append((head if i == 0 else (None,) * len(head)) + cells)
    if detail.theme is not None:
        return Table(SPECIAL_TEAM_COLUMNS, tuple(rows), wrap=(4,), centred=(1, 2, 3))
    return Table(TEAM_COLUMNS, tuple(rows), wrap=(5,), centred=(1, 2, 3))


def coverage_table(plan: AnnualPlan) -> Table:
    rows = [(c.category, c.due, c.this_year, c.so_far, c.remaining) for c in plan.coverage]
    rows.append(("合计", *(sum(r[i] for r in rows) for i in range(1, 5))))
    cells = tuple(
        (label, str(due), str(year), str(done), str(left), f"{done / due:.0%}" if due else "—")
        for label, due, year, done, left in rows
    )
    return Table(COVERAGE_COLUMNS, cells, wrap=(0,), centred=(1, 2, 3, 4, 5))
