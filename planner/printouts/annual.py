"""The annual plan (年度巡察工作计划) of one committee, as the office files it.

The year's rounds (those starting in it, and a round continuing from the
year before, marked as such), then one part per round: its dates, staff
against the pools, and each team with its leader, size and units (a special
round gives its theme, scope and what it checks instead), and a closing
table of coverage per category: this year, cumulatively and still remaining.
In the city's plan of a whole-city plan each regular round also names its
linked sectors and the county rounds that start with it (县区同步开展的轮次).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from planner.linkage import RoundRef, is_whole_table, linkage_of
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
    exchange_note,
    lent_cadres,
    staff_pools,
    team_revisits,
    term_plan_name,
)
from planner.printouts.settings import document_header, signature
from planner.printouts.whole_city import county_round_name
from planner.scenario import Scenario
from planner.vocabulary import CATEGORIES, Committee, Level

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
class RoundLink:
    """A city regular round in a whole-city plan: its linked sectors, each with the counties that
    inspect their units of it in step, and the county rounds in step with it."""

    sectors: tuple[tuple[str, tuple[str, ...]], ...]
    county_rounds: tuple[RoundRef, ...]

    def text(self, year: int) -> str:
        sectors = "、".join(f"{sector}（{'、'.join(counties)}同轮巡察）" if counties else f"{sector}（县区未同轮巡察）"
                            for sector, counties in self.sectors)
        text = f"联动系统：{sectors}。" if sectors else "本轮未确定联动系统。"
        by_day: dict[dt.date, list[str]] = {}
        for r in self.county_rounds:
            by_day.setdefault(r.start, []).append(county_round_name(r))
        started = "；".join(f"{'、'.join(names)}（{date_cn(day, with_year=day.year != year)}进驻）"
                            for day, names in sorted(by_day.items()))
        return text + (f"县区同步开展的轮次：{started}。" if started else "本轮没有县区同步开展常规巡察。")


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
    lent: int = 0  # drafted cadres a regular round lends to the other level (上派下挂)
    county: str = ""
    level: str = Level.CITY.value
    links: dict[int, RoundLink] = field(default_factory=dict)  # city regular round -> 市县联动, whole-city plans only
    revisits: tuple[tuple[str, dt.date, dt.date], ...] = ()  # (team, first day, last day): 回访督查 windows
    revisit_weeks: int = 0
    term_plan: str = "巡察工作五年规划"

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
        lent=lent_cadres(scenario, level, county),
        county=county,
        level=level,
        links=_links(table, scenario) if level == Level.CITY.value and is_whole_table(table, scenario) else {},
        revisits=tuple((team, first, last) for team, y, first, last in team_revisits(rows, scenario, Committee(county))
                       if y == year) if county or level == Level.CITY.value else (),
        revisit_weeks=policy_weeks(scenario, level, county),
        term_plan=term_plan_name(scenario),
    )


def policy_weeks(scenario: Scenario, level: str, county: str) -> int:
    """Weeks each team keeps for 回访督查 in the committee's plan (0 for all counties together)."""
    if level != Level.CITY.value and not county:
        return 0
    return scenario.policy(Committee(county)).rounds.revisit_weeks


def _links(table: pd.DataFrame, scenario: Scenario) -> dict[int, RoundLink]:
    linkage = linkage_of(table, scenario)
    order = {c: i for i, c in enumerate(scenario.counties)}
    return {r.number: RoundLink(
        tuple((s, tuple(sorted(linkage.links.get((r.number, s), ()), key=lambda c: order.get(c, 0))))
              for s in linkage.sectors.get(r.number, ())),
        tuple(sorted(linkage.starting_with(r), key=lambda c: (c.start, order.get(c.county, 0)))))
        for r in linkage.city_rounds}


def annual_document(plan: AnnualPlan, scenario: Scenario) -> Document:
    blocks: list = [Paragraph(_intro(plan)), Heading("一、全年轮次安排"), _round_list(plan), Heading("二、各轮巡察安排")]
    for i, detail in enumerate(plan.rounds):
        blocks += [Heading(f"（{CN_NUMBERS[i] if i < 10 else i + 1}）{detail.label}", 2),
                   Paragraph(round_summary(detail, plan.pools, plan.year, detail.number in plan.started_before,
                                                           exchange_note(detail.kind, plan.county, plan.lent)))]
        if detail.number in plan.links:
            blocks.append(Paragraph(plan.links[detail.number].text(plan.year)))
        blocks.append(team_table(detail))
    if plan.revisits:
        blocks += [Heading("三、回访督查"),
                   Paragraph(f"各巡察组在本年度常规巡察间隙安排{plan.revisit_weeks}周，对{plan.year - 1}年巡察的单位逐个开展"
                             "回访督查，每个单位一两天，督促整改落实，不作为单独的巡察轮次。"),
                   Table(("巡察组", "回访督查时间"), tuple((team, span_cn(first, last)) for team, first, last in plan.revisits),
                         centred=())]
    blocks += [Heading(f"{'四' if plan.revisits else '三'}、巡察全覆盖进度"), coverage_table(plan)]
    if plan.follow_up_units:
        blocks.append(Paragraph(f"另安排巡察“回头看”{plan.follow_up_units}个单位，不计入覆盖数。"))
    return Document((plan.title,), tuple(blocks), plan.signature, document_header(scenario))


def _intro(plan: AnnualPlan) -> str:
    starting = plan.starting
    kinds = pd.Series([r.kind for r in starting], dtype=object).value_counts()
    kind_text = "、".join(f"{kind_label(k)}{kinds[k]}轮" for k in kinds.index)
    team_rounds = sum(len(r.teams) for r in starting)
    units = sum(c.this_year for c in plan.coverage)
    text = (f"根据{plan.term_plan}，{plan.year}年{plan.committee}安排巡察{len(starting)}轮（{kind_text}），"
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
                  started_before: bool = False, exchange: str = "") -> str:
    """进驻时间, teams and people against the pools (``exchange``: what the pool lends, 上派下挂),
    and what the round inspects."""
    drafted_pool, leader_pool = pools
    text = f"进驻时间：{span_cn(detail.onsite_start, detail.onsite_end)}。"
    if started_before:
        text += f"本轮于{detail.onsite_start.year}年开始进驻，巡察单位计入{detail.onsite_start.year}年度。"
    elif year is not None and detail.onsite_end.year > year:
        text += f"本轮跨年度进行，{detail.onsite_end.year}年继续进驻。"
    text += f"派出巡察组{len(detail.teams)}个、巡察干部{detail.people}人，其中需抽调干部{detail.drafted}人（可抽调{drafted_pool}人{exchange}）"
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
