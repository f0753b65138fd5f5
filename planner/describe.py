"""Plain-language summaries of a scenario, as tables a person reads (Chinese labels)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.calendar import blackout_periods
from planner.scenario import CATEGORIES, CATEGORY_LABELS, Level, Scenario, Team

LEVEL_LABELS = {Level.CITY: "市级", Level.COUNTY: "县级"}


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def scenario_summary(scenario: Scenario) -> list[Table]:
    """Counts per level, category and county; teams and posts; drafting pools; horizon; blackouts."""
    h = scenario.horizon
    head = Table(
        "场景概况",
        ("项目", "内容"),
        (
            ("党委", scenario.names.committee),
            ("规划期", f"{h.start} 至 {h.end}"),
            ("市委巡察对象 (含县区和提级巡察镇办)", str(len(scenario.targets_of(Level.CITY)))),
            ("县区巡察对象 (不含村)", str(sum(1 for t in scenario.targets if t.level == Level.COUNTY and t.category != "village"))),
            ("村(社区)", str(sum(1 for t in scenario.targets if t.category == "village"))),
            ("其中由市委提级巡察的镇办", str(sum(1 for t in scenario.targets if t.elevated))),
            ("计划回头看", str(sum(1 for t in scenario.targets if t.follow_up))),
        ),
    )
    by_cat = Counter((t.level, t.category) for t in scenario.targets)
    categories = Table(
        "按层级和类别",
        ("层级", "类别", "代码", "数量"),
        tuple(
            (LEVEL_LABELS[level], CATEGORY_LABELS[cat], cat, str(by_cat[(level, cat)]))
            for level in Level
            for cat in CATEGORIES
            if by_cat[(level, cat)]
        ),
    )
    county_cats = ("town", "county_organ", "institution", "county_soe", "other", "village")
    per_county = Counter((t.county, t.category) for t in scenario.targets if t.level == Level.COUNTY)

    def county_row(label: str, counties: tuple[str, ...]) -> tuple[str, ...]:
        counts = [sum(per_county[(c, k)] for c in counties) for k in county_cats]
        return (label, *map(str, counts), str(sum(counts)))

    counties = Table(
        "各县区巡察对象",
        ("县区", "镇办", "党政机关", "事业单位", "国企", "其他", "村(社区)", "合计"),
        (*(county_row(c, (c,)) for c in scenario.counties), county_row("合计", scenario.counties)),
    )
    team_rows = [_staff_row(LEVEL_LABELS[Level.CITY], scenario.teams_of(Level.CITY))]
    for county in scenario.counties:
        team_rows.append(_staff_row(f"{LEVEL_LABELS[Level.COUNTY]} {county}", scenario.teams_of(Level.COUNTY, county)))
    team_rows.append(_staff_row(f"{LEVEL_LABELS[Level.COUNTY]}合计", scenario.teams_of(Level.COUNTY)))
    teams = Table(
        "巡察组与在编人员 (在编/编制)",
        ("范围", "组数", "组长", "副组长", "联络员", "合计"),
        tuple(row for row in team_rows if row[1] != "0"),
    )
    staff = scenario.staff
    pools = Table(
        "抽调人员 (每轮可抽调)",
        ("层级", "抽调干部", "抽调组长 (组长库)"),
        tuple((LEVEL_LABELS[level], str(staff.for_level(level).drafted_pool), str(staff.for_level(level).leader_pool))
              for level in Level),
    )
    blackouts = Table(
        "禁止进驻时段",
        ("名称", "开始", "结束"),
        tuple((p.name, str(p.start), str(p.end)) for p in blackout_periods(scenario)),
    )
    return [head, categories, counties, teams, pools, blackouts]


def _staff_row(label: str, teams: list[Team]) -> tuple[str, ...]:
    """Teams, then filled/posts per role and in all."""
    row = [label, str(len(teams))]
    for role in ("leader", "deputy", "liaison"):
        filled = sum(getattr(t, f"{role}_filled") for t in teams)
        posts = sum(getattr(t, f"{role}_posts") for t in teams)
        row.append(f"{filled}/{posts}")
    row.append(f"{sum(t.filled for t in teams)}/{sum(t.posts for t in teams)}")
    return tuple(row)
