"""Checks that span a scenario's tables and settings: unique ids, references between tables,
settings that belong to the other level, fixed decisions that cannot be kept, and sizes.

:class:`planner.scenario.Scenario` runs them from its own validator, so this module reads a
scenario through :class:`CheckedScenario` and never imports it; :mod:`planner.loading` defers
them (``DEFER_CROSS_CHECK``) and runs them itself to point at rows and cells.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import ValidationError

from planner.messages import error_message
from planner.scenario_settings import (
    CalendarRules,
    CountyPolicy,
    CrossInspection,
    Horizon,
    Names,
    Policy,
    RoundPolicy,
    Staff,
)
from planner.tables import PAIR_DECISIONS, Audit, DecisionKind, FixedDecision, Target, Team
from planner.vocabulary import MAX_TARGETS_PER_PLAN, Committee, Frozen, Level


# Validation context key: the loader runs the cross-table checks itself to locate rows.
DEFER_CROSS_CHECK = "defer_cross_check"


class CheckedScenario(Protocol):
    """What the checks read of a scenario: :class:`planner.scenario.Scenario` has all of it."""

    @property
    def names(self) -> Names: ...
    @property
    def counties(self) -> tuple[str, ...]: ...
    @property
    def horizon(self) -> Horizon: ...
    @property
    def calendar(self) -> CalendarRules: ...
    @property
    def rounds(self) -> RoundPolicy: ...
    @property
    def staff(self) -> Staff: ...
    @property
    def cross_inspection(self) -> CrossInspection: ...
    @property
    def county_defaults(self) -> CountyPolicy: ...
    @property
    def counties_policy(self) -> dict[str, dict[str, Any]]: ...
    @property
    def targets(self) -> tuple[Target, ...]: ...
    @property
    def teams(self) -> tuple[Team, ...]: ...
    @property
    def fixed(self) -> tuple[FixedDecision, ...]: ...
    @property
    def audits(self) -> tuple[Audit, ...]: ...
    @property
    def own_county(self) -> bool: ...
    @property
    def committees(self) -> list[Committee]: ...
    def policy(self, committee: Committee = ...) -> Policy: ...
    def targets_of(self, committee: Committee = ...) -> list[Target]: ...
    def riding_villages(self, committee: Committee = ...) -> list[Target]: ...
    def cross_cycle(self) -> tuple[str, ...]: ...
    def cross_units(self, index: int, county: str) -> list[Target]: ...


class CrossProblem(Frozen):
    """A problem found across tables: ``index`` is the item's position in ``table``."""

    table: str
    index: int | None
    field: str
    message: str


def cross_check(scenario: CheckedScenario) -> list[CrossProblem]:
    """Rules that span tables (ids, references), in the order a reader fixes them."""
    problems: list[CrossProblem] = []

    def add(table: str, index: int | None, field: str, message: str) -> None:
        problems.append(CrossProblem(table=table, index=index, field=field, message=message))

    if not scenario.targets:
        add("targets", None, "", "巡察对象名单为空")
    if not scenario.teams:
        add("teams", None, "", "巡察组名单为空")
    for table, items in (("targets", scenario.targets), ("teams", scenario.teams)):
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                add(table, index, "id", f"编号 '{item.id}' 重复")
            seen.add(item.id)
    counties = set(scenario.counties)
    team_ids = {t.id for t in scenario.teams}
    towns = {t.id for t in scenario.targets if t.category == "town"}
    for index, t in enumerate(scenario.targets):
        if t.county and t.county not in counties:
            add("targets", index, "county", f"未知的县区 '{t.county}'")
        if t.level == Level.COUNTY and t.category != "county" and not t.county:
            add("targets", index, "county", "县级巡察对象必须填写所属县区")
        for team in t.avoid_teams:
            if team not in team_ids:
                add("targets", index, "avoid_teams", f"未知的巡察组 '{team}'")
        if t.category == "village" and t.town not in towns:
            add("targets", index, "town", f"所属镇办 '{t.town}' 不存在")
        if t.last_inspected and t.last_inspected > scenario.horizon.end:
            add("targets", index, "last_inspected", f"{t.last_inspected} 晚于规划期")
    for index, team in enumerate(scenario.teams):
        if team.county and team.county not in counties:
            add("teams", index, "county", f"未知的县区 '{team.county}'")
        if team.level == Level.COUNTY and not team.county:
            add("teams", index, "county", "县级巡察组必须填写所属县区")
    h = scenario.horizon
    for index, period in enumerate(scenario.calendar.extra):
        for bound, outside in (("start", period.start < h.start), ("end", period.end > h.end)):
            if outside:
                add(
                    "scenario",
                    index,
                    f"calendar.extra[{index}].{bound}",
                    f"禁止进驻时段 '{period.name}' ({period.start} 至 {period.end}) 超出规划期 ({h.start} 至 {h.end})",
                )
    for index, theme in enumerate(scenario.rounds.special.themes):
        if theme.year is not None and theme.year not in scenario.horizon.years:
            add("scenario", index, f"rounds.special.themes[{index}].year", f"{theme.year} 年不在规划期内")
    problems += _decision_problems(scenario)
    for index, theme in enumerate(scenario.rounds.special.themes):
        for county in theme.counties:
            if county not in counties:
                add("scenario", index, f"rounds.special.themes[{index}].counties", f"未知的县区 '{county}'")
    problems += _own_level_problems(scenario)
    cross = scenario.cross_inspection
    if cross.rounds and len(counties) < 3 and not scenario.own_county:
        add("scenario", None, "cross_inspection.rounds", "交叉巡察须循环进行, 至少要有3个县区 (两个县区只能互相巡察)")
    if cross.cycle and sorted(cross.cycle) != sorted(scenario.counties):
        add("scenario", None, "cross_inspection.cycle", f"交叉顺序应恰好列出每个县区一次: {'、'.join(scenario.counties)}")
    for index, cross_round in enumerate(cross.rounds):
        if cross_round.year not in scenario.horizon.years:
            add("scenario", index, f"cross_inspection.rounds[{index}].year", f"{cross_round.year} 年不在规划期内")
    target_ids = {t.id for t in scenario.targets}
    for index, audit in enumerate(scenario.audits):
        if audit.unit not in target_ids:
            add("audits", index, "unit", f"未知的巡察对象 '{audit.unit}'")
        if audit.year not in scenario.horizon.years:
            add("audits", index, "year", f"{audit.year} 年不在规划期内")
    for county in scenario.counties_policy:
        if county not in counties:
            add("scenario", None, f"counties_policy.{county}", f"未知的县区 '{county}'")
    for index, theme in enumerate(scenario.county_defaults.rounds.special.themes):
        if theme.year is not None and theme.year not in scenario.horizon.years:
            add("scenario", index, f"county_defaults.rounds.special.themes[{index}].year", f"{theme.year} 年不在规划期内")
    for county in scenario.counties:
        if county not in scenario.counties_policy:
            continue
        where = f"counties_policy.{county}"
        try:
            policy = scenario.policy(Committee(county))
        except ValidationError as exc:
            for error in exc.errors():
                loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
                add("scenario", None, where + loc, error_message(error))
            continue
        for index, theme in enumerate(policy.rounds.special.themes):
            if theme.year is not None and theme.year not in scenario.horizon.years:
                add("scenario", index, f"{where}.rounds.special.themes[{index}].year", f"{theme.year} 年不在规划期内")
    regular = scenario.rounds.regular
    shortest = regular.prep_weeks + min([regular.onsite_weeks, *regular.onsite_weeks_by_category.values()]) + regular.report_weeks
    if h.whole_weeks < shortest:
        add("scenario", None, "horizon.end", f"规划期 {h.start} 至 {h.end} 只有 {h.whole_weeks} 个整周, "
            f"容不下一轮常规巡察 (准备、进驻和报告至少 {shortest} 周)")
    position = {id(t): i for i, t in enumerate(scenario.targets)}
    for committee in scenario.committees:
        targets = scenario.targets_of(committee)
        if len(targets) > MAX_TARGETS_PER_PLAN:
            name = "市委" if committee.level == Level.CITY else f"{committee.county}委"
            add("targets", position[id(targets[MAX_TARGETS_PER_PLAN])], "county" if committee.county else "level",
                f"{name}的巡察对象共 {len(targets)} 个, 超过一次规划能安排的 {MAX_TARGETS_PER_PLAN} 个 (自此行起超出)")
    return problems


def _own_level_problems(scenario: CheckedScenario) -> list[CrossProblem]:
    """Settings that belong to the other level: a county's own scenario has no city, counties,
    cross rounds or city themes; a city's has no ``staff.county``."""
    problems: list[CrossProblem] = []

    def add(table: str, index: int | None, field: str, message: str) -> None:
        problems.append(CrossProblem(table=table, index=index, field=field, message=message))

    if not scenario.own_county:
        if scenario.staff.county is not None:
            add("scenario", None, "staff.county", "只用于本级为县区委 (names.level: county); 各县区的人员写在 county_defaults.staff")
        return problems
    county = scenario.names.county
    own = f"本级为{county}委 (names.level: county)"
    if scenario.counties != (county,):
        add("scenario", None, "counties", f"{own}, 不填所辖县区 (或只填 {county})")
    if scenario.cross_inspection.rounds:
        add("scenario", None, "cross_inspection.rounds", f"{own}, 不设县区交叉巡察 (由市委统筹)")
    if scenario.counties_policy:
        add("scenario", None, "counties_policy", f"{own}, 本级设置直接写在 rounds、staff 等项中")
    for index, theme in enumerate(scenario.rounds.special.themes):
        if theme.counties or theme.all_counties:
            add("scenario", index, f"rounds.special.themes[{index}].counties", f"{own}, 专项巡察不进驻其他县区")
    for index, t in enumerate(scenario.targets):
        if t.level != Level.COUNTY:
            add("targets", index, "level", f"{own}, 巡察对象都是县级 (填写为市级)")
        elif t.category == "county":
            add("targets", index, "category", f"{own}, 县(区)本身不是本级的巡察对象")
    for index, team in enumerate(scenario.teams):
        if team.level != Level.COUNTY:
            add("teams", index, "level", f"{own}, 巡察组都是县级 (填写为市级)")
    return problems


def _cross_inspector(scenario: CheckedScenario, county: str) -> str:
    """The county whose teams inspect ``county``'s units in a cross round."""
    cycle = scenario.cross_cycle()
    return cycle[cycle.index(county) - 1] if county in cycle else county


def _decision_problems(scenario: CheckedScenario) -> list[CrossProblem]:
    """Fixed decisions that name unknown units or teams, a team of another committee, a
    village that rides with its town, a unit given up to a cross round, or a time outside the term."""
    problems: list[CrossProblem] = []
    if not scenario.fixed:
        return problems
    owner = {t.id: c for c in scenario.committees for t in scenario.targets_of(c)}
    riding = {}
    for committee in scenario.committees:
        try:
            riding |= {t.id: t.town for t in scenario.riding_villages(committee)}
        except ValidationError:
            continue  # a county's settings in error are reported on their own
    names = {t.id: t.name for t in scenario.targets}
    teams = {t.id: t for t in scenario.teams}
    h = scenario.horizon
    # A unit given up to a cross round (异地交叉巡察) is in no round of its own committee's to lock.
    crossed: dict[str, str] = {}
    for n in range(len(scenario.cross_inspection.rounds)):
        for county in scenario.counties:
            try:
                units = scenario.cross_units(n, county)
            except ValidationError:
                continue
            for unit in units:
                crossed[unit.id] = f"第{n + 1}次交叉巡察中由{_cross_inspector(scenario, county)}巡察"
    for t in scenario.targets:
        if t.category == "village" and t.town in crossed:
            crossed[t.id] = f"随所属镇办 {names[t.town]} 在{crossed[t.town]}"

    def add(index: int, field: str, message: str) -> None:
        problems.append(CrossProblem(table="fixed", index=index, field=field, message=message))

    for index, d in enumerate(scenario.fixed):
        for field in ("target", "other"):
            unit = getattr(d, field)
            if unit and unit not in owner:
                add(index, field, f"未知的巡察对象 '{unit}'")
            elif unit in riding:
                add(index, field, f"{names[unit]} 随所属镇办 {names[riding[unit]]} 巡察 (巡镇带村), 请对该镇办锁定")
            elif unit in crossed:
                add(index, field, f"{names[unit]} {crossed[unit]}, 不在本县区的轮次中, 不能锁定; "
                                  "请删去该锁定事项或调整 cross_inspection")
        if d.kind in PAIR_DECISIONS and {d.target, d.other} <= set(owner) and owner[d.target] != owner[d.other]:
            add(index, "other", f"{names[d.other]} 与 {names[d.target]} 不由同一党委巡察")
        team = teams.get(d.team)
        if d.team and team is None:
            add(index, "team", f"未知的巡察组 '{d.team}'")
        elif team is not None and d.target in owner and Committee(team.county) != owner[d.target]:
            add(index, "team", f"{team.name} 不能巡察 {names[d.target]} (不属于同一党委)")
        if d.year is not None:
            for year in d.year:
                if year not in h.years:
                    add(index, "year", f"{year} 年不在规划期内 ({h.start.year}-{h.end.year})")
                    break
        if d.kind == DecisionKind.UNAVAILABLE:
            if d.start and d.end and (d.end < h.start or d.start > h.end):
                add(index, "start", f"时段 {d.start} 至 {d.end} 不在规划期内 ({h.start} 至 {h.end})")
        else:
            for field in ("start", "end"):
                day = getattr(d, field)
                if day is not None and not h.start <= day <= h.end:
                    add(index, field, f"{day} 不在规划期内 ({h.start} 至 {h.end})")
    return problems
