"""Scenario: everything the planning office enters, as one immutable, validated object.

The scenario is read from a folder (``scenario.yaml`` plus tables) by
:mod:`planner.loading`; this module holds only the models and the checks that
span several tables. Every number the planner uses is a field here with a
default, never a constant in code.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from planner.messages import error_message
from planner.scenario_settings import (
    CalendarRules,
    CountyPolicy,
    CrossInspection,
    DocumentSettings,
    Horizon,
    Linkage,
    Names,
    Policy,
    RoundPolicy,
    SoftRules,
    Staff,
    VillagePolicy,
    Weights,
    merged,
)
from planner.tables import PAIR_DECISIONS, Audit, DecisionKind, FixedDecision, Target, Team
from planner.vocabulary import CITY, MAX_TARGETS_PER_PLAN, Committee, Frozen, Level, Name


# Validation context key: the loader runs the cross-table checks itself to locate rows.
DEFER_CROSS_CHECK = "defer_cross_check"


# Settings only a city committee's scenario has; a county's own (names.level: county) refuses or ignores them.
CITY_ONLY_SETTINGS = ("counties", "linkage", "cross_inspection", "county_defaults", "counties_policy")


def unused_settings(scenario: Scenario) -> frozenset[str]:
    """Dotted keys of scenario.yaml that the scenario's level does not use (not listed, not written)."""
    if scenario.own_county:
        return frozenset((*CITY_ONLY_SETTINGS, "staff.city", "names.city"))
    return frozenset(("staff.county", "names.county"))


# Fields of a Scenario that come from its tables or from the program, never from scenario.yaml.
NOT_SETTINGS = ("targets", "teams", "fixed", "audits", "source", "sha256")


class Scenario(Frozen):
    """A whole planning scenario. Immutable; use :meth:`replace` for what-if copies."""

    names: Names = Field(Names(), description="名称")
    document: DocumentSettings = Field(DocumentSettings(), description="打印件的落款、成文日期、份号和密级")
    counties: tuple[Name, ...] = Field((), max_length=100, description="所辖县区, 如 [商州区, 洛南县]")
    horizon: Horizon = Field(description="规划期")
    calendar: CalendarRules = Field(CalendarRules(), description="禁止进驻时段")
    rounds: RoundPolicy = Field(RoundPolicy(), description="轮次安排")
    staff: Staff = Field(Staff(), description="人员")
    weights: Weights = Field(Weights(), description="软性规则权重 (0 = 不考虑该规则)")
    soft: SoftRules = Field(SoftRules(), description="软性规则参数")
    villages: VillagePolicy = Field(VillagePolicy(), description="村(社区)巡察")
    linkage: Linkage = Field(Linkage(), description="市县联动")
    cross_inspection: CrossInspection = Field(CrossInspection(), description="县区交叉巡察")
    county_defaults: CountyPolicy = Field(CountyPolicy(), description="各县区委")
    counties_policy: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="某一县区另定的设置, 如 {洛南县: {staff: {drafted_pool: 8}}}")
    targets: tuple[Target, ...] = Field(description="巡察对象 (表格)")
    teams: tuple[Team, ...] = Field(description="巡察组 (表格)")
    fixed: tuple[FixedDecision, ...] = Field((), description="锁定事项 (表格)")
    audits: tuple[Audit, ...] = Field((), description="审计计划 (表格 audits.csv, 可省略)")
    source: str = Field("", description="the folder this scenario was read from")
    sha256: str = Field("", description="digest of the scenario files")

    @model_validator(mode="before")
    @classmethod
    def _county_defaults_for_own_level(cls, data: Any) -> Any:
        """A county committee's own scenario (names.level: county): what it leaves out takes a
        county's defaults (CountyPolicy), not a city's, and its one county is its ``counties``."""
        if not isinstance(data, dict) or not isinstance(data.get("names"), dict):
            return data
        names = data["names"]
        if names.get("level") not in (Level.COUNTY, Level.COUNTY.value) or not names.get("county"):
            return data
        county = names["county"]
        base = CountyPolicy().model_dump()
        given = {key: (value if isinstance(value, dict) else {}) for key, value in data.items()}
        out = dict(data, names={**{k: base[k].replace("{county}", county)
                                   for k in ("committee", "office", "team_prefix")}, **names})
        out.setdefault("counties", (county,))
        for key in ("rounds", "weights", "soft", "villages"):
            if isinstance(data.get(key, {}), dict):
                out[key] = merged(base[key], given.get(key, {}))
        if isinstance(data.get("staff", {}), dict):
            staff = dict(given.get("staff", {}))
            staff["county"] = merged(base["staff"], staff.get("county") or {})
            for key in ("min_team_size", "max_team_size"):
                staff[key] = merged(base[key], staff.get(key) or {})
            out["staff"] = staff
        return out

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        if info.context and info.context.get(DEFER_CROSS_CHECK):
            return self
        problems = cross_check(self)
        if problems:
            raise ValueError("; ".join(p.message for p in problems))
        return self

    def replace(self, **changes: Any) -> Scenario:
        """Return a validated copy with ``changes`` applied (a what-if variant)."""
        data = self.model_dump()
        data.update(changes)
        return Scenario.model_validate(data)

    @property
    def home(self) -> Committee:
        """The committee this scenario plans for (本级): the city's, or one county's of its own."""
        return Committee(self.names.county)

    @property
    def own_county(self) -> bool:
        """A county or district committee plans on its own: no city, no linkage, no cross rounds."""
        return self.names.level == Level.COUNTY

    @property
    def committees(self) -> list[Committee]:
        """The city committee, then each county committee in the order of ``counties``;
        a county's own scenario has its one committee."""
        if self.own_county:
            return [self.home]
        return [CITY, *(Committee(c) for c in self.counties)]

    def policy(self, committee: Committee = CITY) -> Policy:
        """Every setting of ``committee``'s plan: the city's settings, or a county's resolved ones
        (a county's own scenario: its top-level settings, as a city's are)."""
        if committee.level == Level.CITY or (self.own_county and committee == self.home):
            return Policy(
                committee=self.names.committee,
                office=self.names.office,
                team_prefix=self.names.team_prefix,
                rounds=self.rounds,
                staff=self.staff.county if self.own_county and self.staff.county else self.staff.city,
                min_team_size=self.staff.min_team_size,
                max_team_size=self.staff.max_team_size,
                weights=self.weights,
                soft=self.soft,
                villages=self.villages,
            )
        own = self.counties_policy.get(committee.county, {})
        county = CountyPolicy.model_validate(merged(self.county_defaults.model_dump(), own))
        return county.resolved(committee.county)

    def targets_of(self, committee: Committee = CITY) -> list[Target]:
        """Targets inspected by ``committee``: the city's own units, the towns it elevates and
        their villages (提级巡察), or a county's units and villages that the city does not take."""
        elevated = {t.id for t in self.targets if t.elevated}
        if committee.level == Level.CITY:
            return [t for t in self.targets if t.level == Level.CITY or t.elevated or t.town in elevated]
        return [t for t in self.targets if t.level == Level.COUNTY and not t.elevated and t.town not in elevated
                and t.county == committee.county]

    def teams_of(self, committee: Committee = CITY) -> list[Team]:
        return [t for t in self.teams if t.level == committee.level and t.county == committee.county]

    def riding_villages(self, committee: Committee = CITY) -> list[Target]:
        """Villages of ``committee`` inspected with their town (巡镇带村): the city takes every village
        of a town it elevates; a county inspects a key village alone (直接巡)."""
        targets = self.targets_of(committee)
        towns = {t.id for t in targets if t.category == "town"}
        key_risk = self.policy(committee).villages.key_risk
        return [t for t in targets if t.category == "village" and t.town in towns
                and (committee == CITY or t.risk < key_risk)]

    def decisions_of(self, committee: Committee = CITY) -> list[tuple[int, FixedDecision]]:
        """(row index, decision) of the fixed decisions about ``committee``'s units or teams."""
        units = {t.id for t in self.targets_of(committee)}
        teams = {t.id for t in self.teams_of(committee)}
        return [(n, d) for n, d in enumerate(self.fixed)
                if (d.target in units) or (d.kind == DecisionKind.UNAVAILABLE and d.team in teams)]
    def cross_cycle(self) -> tuple[str, ...]:
        """The counties in cross-inspection order: each inspects the next, the last the first."""
        return self.cross_inspection.cycle or self.counties

    def cross_inspected(self, county: str) -> str:
        """The county whose units ``county``'s teams inspect in a cross round."""
        cycle = self.cross_cycle()
        return cycle[(cycle.index(county) + 1) % len(cycle)]

    def linkable_sectors(self) -> frozenset[str]:
        """Sectors every county has units of: a city round can link them with every county (上下联动)."""
        per_county = [{t.sector for t in self.targets_of(Committee(c)) if t.sector and t.category != "village"}
                      for c in self.counties]
        return frozenset.intersection(*map(frozenset, per_county)) if per_county else frozenset()

    def cross_weeks(self) -> int:
        """On-site weeks a cross round needs: the longest stay of any unit in it, a town's with all its villages."""
        cross = self.cross_inspection
        weeks = [cross.onsite_weeks]
        for n in range(len(cross.rounds)):
            for county in self.counties:
                villages = self.policy(Committee(county)).villages  # the inspecting team stays
                for unit in self.cross_units(n, self.cross_inspected(county)):
                    riders = sum(1 for t in self.targets if t.category == "village" and t.town == unit.id)
                    weeks.append(villages.town_weeks(cross.policy.onsite_weeks_for(unit.category), riders))
        return max(weeks)

    def cross_units(self, index: int, county: str) -> list[Target]:
        """Units of ``county`` that another county inspects in cross round ``index``: the riskiest
        of the round's categories (ties by id), never a key village or a unit the city takes."""
        cross = self.cross_inspection.rounds[index]
        own = [t for t in self.targets_of(Committee(county)) if t.category in cross.categories and not t.follow_up]
        return sorted(own, key=lambda t: (-t.risk, t.id))[: cross.units_per_county]


class CrossProblem(Frozen):
    """A problem found across tables: ``index`` is the item's position in ``table``."""

    table: str
    index: int | None
    field: str
    message: str


def cross_check(scenario: Scenario) -> list[CrossProblem]:
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


def _own_level_problems(scenario: Scenario) -> list[CrossProblem]:
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


def _cross_inspector(scenario: Scenario, county: str) -> str:
    """The county whose teams inspect ``county``'s units in a cross round."""
    cycle = scenario.cross_cycle()
    return cycle[cycle.index(county) - 1] if county in cycle else county


def _decision_problems(scenario: Scenario) -> list[CrossProblem]:
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
