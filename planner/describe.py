"""Plain-language summaries of a scenario, as tables a person reads (Chinese labels)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from planner.calendar import blackout_periods
from planner.decisions import decision_text
from planner.scenario import Scenario
from planner.tables import DECISION_LABELS, Team
from planner.vocabulary import CATEGORIES, CATEGORY_LABELS, CITY, Committee, Level

LEVEL_LABELS = {Level.CITY: "市级", Level.COUNTY: "县级"}


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def scenario_summary(scenario: Scenario) -> list[Table]:
    """Counts per level, category and county; teams and posts; drafting pools; horizon; blackouts."""
    h = scenario.horizon
    city_own = sum(1 for t in scenario.targets if t.level == Level.CITY and t.category != "county")
    counties = sum(1 for t in scenario.targets if t.category == "county")
    elevated = sum(1 for t in scenario.targets if t.elevated)
    county_units = [t for t in scenario.targets if t.level == Level.COUNTY and t.category != "village"]
    city_villages = sum(1 for t in scenario.targets_of(CITY) if t.category == "village")
    if scenario.own_county:
        own = scenario.targets_of(scenario.home)
        riding = len(scenario.riding_villages(scenario.home))
        villages = sum(1 for t in own if t.category == "village")
        rows: tuple[tuple[str, str], ...] = (
            ("党委", f"{scenario.names.committee} (本级为县区委单独编制)"),
            ("规划期", f"{h.start} 至 {h.end}"),
            ("巡察对象 (不含村)", str(len(own) - villages)),
            ("村(社区)", f"{villages} (随镇巡察 {riding}, 单独巡察 {villages - riding})"),
            ("计划回头看", str(sum(1 for t in own if t.follow_up))),
            ("锁定事项", f"{len(scenario.fixed)} 条"),
        )
    else:
        rows = (
            ("党委", scenario.names.committee),
            ("规划期", f"{h.start} 至 {h.end}"),
            ("市本级巡察对象", str(city_own)),
            ("县(区)", str(counties)),
            ("提级巡察镇办", str(elevated)),
            ("市委巡察对象合计", f"{city_own + counties + elevated} (= {city_own} + {counties} + {elevated})"),
            ("县级巡察对象 (不含村)", f"{len(county_units)} (县区委巡察 {len(county_units) - elevated}, 市委提级 {elevated})"),
            ("村(社区)", f"{sum(1 for t in scenario.targets if t.category == 'village')} "
                         f"(其中随市委提级巡察的镇办一并巡察 {city_villages})"),
            ("计划回头看", str(sum(1 for t in scenario.targets if t.follow_up))),
            ("锁定事项", f"{len(scenario.fixed)} 条"),
        )
    head = Table("场景概况", ("项目", "内容"), rows)
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
    elevated_in = Counter(t.county for t in scenario.targets if t.elevated)

    def county_row(label: str, names: tuple[str, ...]) -> tuple[str, ...]:
        counts = [sum(per_county[(c, k)] for c in names) for k in county_cats]
        units = sum(counts[:-1])
        return (label, *map(str, counts[:-1]), str(units), str(sum(elevated_in[c] for c in names)), str(counts[-1]))

    per_county_table = Table(
        "各县区巡察对象",
        ("县区", "镇办", "党政机关", "事业单位", "国企", "其他", "县级单位合计", "其中提级巡察镇办", "村(社区)"),
        (*(county_row(c, (c,)) for c in scenario.counties), county_row("合计", scenario.counties)),
    )
    team_rows = [_staff_row(LEVEL_LABELS[Level.CITY], scenario.teams_of(CITY))]
    for county in scenario.counties:
        team_rows.append(_staff_row(f"{LEVEL_LABELS[Level.COUNTY]} {county}", scenario.teams_of(Committee(county))))
    team_rows.append(_staff_row(f"{LEVEL_LABELS[Level.COUNTY]}合计", [t for t in scenario.teams if t.level == Level.COUNTY]))
    teams = Table(
        "巡察组与在编人员 (在编/编制)",
        ("范围", "组数", "组长", "副组长", "联络员", "合计"),
        tuple(row for row in team_rows if row[1] != "0"),
    )
    pools = Table(
        "抽调人员 (每轮可抽调)",
        ("党委", "抽调干部", "抽调组长 (组长库)"),
        tuple((label, str(staff.drafted_pool), str(staff.leader_pool))
              for label, staff in ((_committee_label(c), scenario.policy(c).staff) for c in scenario.committees)),
    )
    blackouts = Table(
        "禁止进驻时段",
        ("名称", "开始", "结束"),
        tuple((p.name, str(p.start), str(p.end)) for p in blackout_periods(scenario)),
    )
    tables = [head, categories, per_county_table, teams, pools, blackouts]
    if scenario.fixed:
        tables.append(Table("锁定事项", ("类型", "内容"), tuple(
            (DECISION_LABELS[d.kind], decision_text(d, scenario)) for d in scenario.fixed)))
    return tables


def _committee_label(committee: Committee) -> str:
    return LEVEL_LABELS[Level.CITY] if committee.level == Level.CITY else f"{LEVEL_LABELS[Level.COUNTY]} {committee.county}"


def _staff_row(label: str, teams: list[Team]) -> tuple[str, ...]:
    """Teams, then filled/posts per role and in all."""
    row = [label, str(len(teams))]
    for role in ("leader", "deputy", "liaison"):
        filled = sum(getattr(t, f"{role}_filled") for t in teams)
        posts = sum(getattr(t, f"{role}_posts") for t in teams)
        row.append(f"{filled}/{posts}")
    row.append(f"{sum(t.filled for t in teams)}/{sum(t.posts for t in teams)}")
    return tuple(row)
