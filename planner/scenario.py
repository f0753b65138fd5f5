"""Scenario: everything the planning office enters, as one immutable, validated object.

The scenario is read from a folder (``scenario.yaml`` plus tables) by
:mod:`planner.loading`; this module holds only the models and the checks that
span several tables. Every number the planner uses is a field here with a
default, never a constant in code.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


# Validation context key: the loader runs the cross-table checks itself to locate rows.
DEFER_CROSS_CHECK = "defer_cross_check"

# Bounds of what the solver, the calendar and the printouts can hold; beyond them input is refused.
INT32_MAX = 2**31 - 1  # CP-SAT's parameters and this model's products stay within 64 bits
MAX_ID_CHARS = 40
MAX_NAME_CHARS = 100  # the longest real unit name is under 40 characters; printouts are tried at 100
FIRST_YEAR, LAST_YEAR = 1900, 2098  # lunardate covers 1900-2099; blackouts look a year past the horizon
MAX_HORIZON_YEARS = 10  # two terms (届) of five years
MAX_ROUNDS_PER_YEAR = 12
MAX_THEMES = 50
MAX_TARGETS_PER_PLAN = 1000  # a committee's plan; the largest real one has 350 (bench/README.md)

Name = Annotated[str, Field(max_length=MAX_NAME_CHARS, pattern=r"^[^\r\n]*$")]
Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^[^\r\n]*$")]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
Weight = Annotated[int, Field(ge=0, le=1_000_000)]  # weight x penalty summed over the plan stays within 64 bits


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(str, Enum):
    CITY = "city"
    COUNTY = "county"


class Kind(str, Enum):
    REGULAR = "regular"
    SPECIAL = "special"
    CROSS = "cross"
    FOLLOW_UP = "follow_up"


CITY_CATEGORIES = (
    "party_work_organ",
    "party_mass_other",
    "people_org",
    "gov_department",
    "gov_subordinate",
    "city_soe",
    "dev_zone",
)
COUNTY_CATEGORIES = ("town", "county_organ", "institution", "county_soe", "other")
CATEGORIES = CITY_CATEGORIES + ("county",) + COUNTY_CATEGORIES + ("village",)

CATEGORY_LABELS = {
    "party_work_organ": "市委工作机关及直属单位",
    "party_mass_other": "其他党群机关单位",
    "people_org": "市级人民团体",
    "gov_department": "市政府工作部门及管理机构",
    "gov_subordinate": "政府部门下属单位",
    "city_soe": "市管国有企业",
    "dev_zone": "开发区",
    "county": "县(区)",
    "town": "镇(街道)",
    "county_organ": "县级党政机关",
    "institution": "事业单位",
    "county_soe": "县属国有企业",
    "other": "其他单位",
    "village": "村(社区)",
}

# Groups used by the "mixed rounds" rule (合理搭配: 党群、政府、事业、企业 and areas).
CATEGORY_GROUP = {
    "party_work_organ": "party",
    "party_mass_other": "party",
    "people_org": "party",
    "gov_department": "government",
    "county_organ": "government",
    "gov_subordinate": "institution",
    "institution": "institution",
    "city_soe": "enterprise",
    "county_soe": "enterprise",
    "dev_zone": "area",
    "county": "area",
    "town": "area",
    "other": "institution",
    "village": "area",
}

KIND_LABELS = {
    Kind.REGULAR: "常规巡察",
    Kind.SPECIAL: "专项巡察",
    Kind.CROSS: "交叉巡察",
    Kind.FOLLOW_UP: "巡察“回头看”",
}


class Names(Frozen):
    committee: Name = Field("中共商洛市委", min_length=1, description="党委名称, 用于打印件标题")
    city: Name = Field("商洛市", min_length=1)
    office: Name = Field("中共商洛市委巡察工作领导小组办公室", min_length=1)
    team_prefix: Name = Field("市委", description="巡察组名称前缀")


class Horizon(Frozen):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end <= self.start:
            raise ValueError(f"结束日期 {self.end} 不晚于开始日期 {self.start}")
        if self.start.year < FIRST_YEAR or self.end.year > LAST_YEAR:
            raise ValueError(f"规划期应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间 (按农历推算春节的范围), "
                             f"填写为 {self.start} 至 {self.end}")
        if len(self.years) > MAX_HORIZON_YEARS:
            raise ValueError(f"规划期跨 {len(self.years)} 个年度, 超过上限 {MAX_HORIZON_YEARS} 个")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def whole_weeks(self) -> int:
        """Monday-to-Sunday weeks inside the horizon (the week grid the model plans on)."""
        first_monday = self.start + dt.timedelta(days=-self.start.weekday() % 7)
        return max(0, ((self.end - first_monday).days + 1) // 7)


class Period(Frozen):
    name: Name = Field(min_length=1)
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}")
        return self


class CalendarRules(Frozen):
    """Blackout periods: no on-site work (进驻) on any of these days."""

    spring_festival: bool = True
    spring_festival_days_before: int = Field(1, ge=0, le=30, description="除夕起算: 春节前几天")
    spring_festival_days_after: int = Field(7, ge=0, le=30, description="正月初一后几天")
    national_day: bool = True
    national_day_days: int = Field(7, ge=1, le=15, description="国庆假期天数, 自10月1日起")
    extra: tuple[Period, ...] = ()


class KindPolicy(Frozen):
    """Round policy of one kind of round (常规 / 专项 / 回头看)."""

    rounds_per_year_min: int = Field(0, ge=0, le=MAX_ROUNDS_PER_YEAR)
    rounds_per_year_max: int = Field(3, ge=0, le=MAX_ROUNDS_PER_YEAR)
    onsite_weeks: int = Field(6, ge=1, le=26, description="默认进驻周数")
    onsite_weeks_by_category: dict[str, Annotated[int, Field(ge=1, le=26)]] = Field(default_factory=dict)
    prep_weeks: int = Field(2, ge=0, le=8, description="进驻前准备周数 (含提前10天通知)")
    report_weeks: int = Field(4, ge=0, le=12, description="进驻结束后撰写报告周数")

    @model_validator(mode="after")
    def _bounds(self) -> KindPolicy:
        if self.rounds_per_year_max < self.rounds_per_year_min:
            raise ValueError("每年轮次上限小于下限")
        unknown = set(self.onsite_weeks_by_category) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"onsite_weeks_by_category 中有未知类别: {sorted(unknown)}")
        return self

    def onsite_weeks_for(self, category: str) -> int:
        return self.onsite_weeks_by_category.get(category, self.onsite_weeks)


class SpecialTheme(Frozen):
    """One special/mobile round (专项机动巡察) with its theme."""

    name: Name = Field(min_length=1)
    scope_units: int = Field(ge=1, le=INT32_MAX, description="本轮专项检查涉及的单位数")
    max_teams: int = Field(5, ge=1, le=INT32_MAX)
    year: int | None = Field(None, description="指定年度, 留空由模型安排")


class SpecialPolicy(KindPolicy):
    rounds_per_year_max: int = Field(1, ge=0, le=MAX_ROUNDS_PER_YEAR)
    onsite_weeks: int = Field(4, ge=1, le=26, description="专项巡察最短进驻周数")
    max_onsite_weeks: int = Field(10, ge=1, le=26, description="专项巡察进驻周数上限 (硬)")
    target_onsite_weeks: int = Field(5, ge=1, le=26, description="超过此周数按“短小精悍”规则计罚")
    units_per_team_week: int = Field(1, ge=1, le=INT32_MAX, description="每组每周可检查的单位数")
    prep_weeks: int = Field(1, ge=0, le=8)
    report_weeks: int = Field(2, ge=0, le=12)
    themes: tuple[SpecialTheme, ...] = Field((), max_length=MAX_THEMES)


class FollowUpPolicy(KindPolicy):
    rounds_per_year_max: int = Field(1, ge=0, le=MAX_ROUNDS_PER_YEAR)
    onsite_weeks: int = Field(3, ge=1, le=26)
    prep_weeks: int = Field(1, ge=0, le=8)
    report_weeks: int = Field(2, ge=0, le=12)
    min_gap_weeks: int = Field(26, ge=0, le=INT32_MAX, description="常规巡察进驻结束至回头看进驻的最短间隔 (整改期)")


class RoundPolicy(Frozen):
    regular: KindPolicy = KindPolicy(
        rounds_per_year_min=2,
        rounds_per_year_max=3,
        onsite_weeks=6,
        onsite_weeks_by_category={"county": 10, "town": 10},
    )
    special: SpecialPolicy = SpecialPolicy()
    follow_up: FollowUpPolicy = FollowUpPolicy()
    max_units_per_team: int = Field(3, ge=1, le=INT32_MAX, description="每组每轮常规巡察最多单位数")
    max_effort_per_team: int = Field(3, ge=1, le=INT32_MAX, description="每组每轮工作量上限")

    @model_validator(mode="after")
    def _some_regular_round(self) -> RoundPolicy:
        if self.regular.rounds_per_year_max < 1:
            raise ValueError("regular.rounds_per_year_max 为 0: 没有常规巡察轮次, 无法安排巡察对象")
        return self

    def policy(self, kind: Kind) -> KindPolicy:
        return {Kind.REGULAR: self.regular, Kind.SPECIAL: self.special, Kind.FOLLOW_UP: self.follow_up}[kind]


class LevelStaff(Frozen):
    drafted_pool: Count = Field(description="每轮可抽调干部数")
    leader_pool: Count = Field(description="每轮可抽调组长数 (组长库)")


class TeamSizes(Frozen):
    regular: int = Field(5, ge=1, le=INT32_MAX)
    special: int = Field(4, ge=1, le=INT32_MAX)
    follow_up: int = Field(4, ge=1, le=INT32_MAX)

    def for_kind(self, kind: Kind) -> int:
        return getattr(self, Kind(kind).value if kind != Kind.CROSS else "regular")


class Staff(Frozen):
    city: LevelStaff = LevelStaff(drafted_pool=15, leader_pool=2)
    county: LevelStaff = LevelStaff(drafted_pool=10, leader_pool=1)
    min_team_size: TeamSizes = TeamSizes()
    max_team_size: TeamSizes = TeamSizes(regular=7, special=6, follow_up=5)

    @model_validator(mode="after")
    def _sizes(self) -> Staff:
        for kind in ("regular", "special", "follow_up"):
            if getattr(self.max_team_size, kind) < getattr(self.min_team_size, kind):
                raise ValueError(f"max_team_size.{kind} 小于 min_team_size.{kind}")
        return self

    def for_level(self, level: Level) -> LevelStaff:
        return self.city if Level(level) == Level.CITY else self.county


class Weights(Frozen):
    """Weights of the soft rules; a weight of 0 switches the rule off."""

    risk_first: Weight = 2
    mixed_rounds: Weight = 20
    even_team_load: Weight = 10
    even_year_load: Weight = 5
    short_special: Weight = 30
    last_year_room: Weight = 10
    drafted_cadres: Weight = 3


class SoftRules(Frozen):
    mix_min_groups: int = Field(3, ge=1, le=5, description="每轮常规巡察至少搭配的单位类别数")
    last_year_share: float = Field(0.6, ge=0, le=1, description="末年常规工作量不超过平均年度的比例")
    overdue_years: int = Field(4, ge=1, le=INT32_MAX, description="距上次巡察超过此年数的单位优先")


class Target(Frozen):
    id: Id
    name: Name = Field(min_length=1)
    level: Level
    county: Name = ""
    category: str = Field(max_length=MAX_ID_CHARS)
    sector: Name = ""
    effort: int = Field(1, ge=1, le=10)
    risk: int = Field(3, ge=1, le=5)
    last_inspected: dt.date | None = None
    town: Name = ""
    elevated: bool = False
    follow_up: bool = False
    avoid_teams: tuple[Id, ...] = ()

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"未知类别 '{value}', 应为: {', '.join(CATEGORIES)}")
        return value


class Team(Frozen):
    id: Id
    name: Name = Field(min_length=1)
    level: Level
    county: Name = ""
    leader_posts: Count = 1
    leader_filled: Count = 0
    deputy_posts: Count = 1
    deputy_filled: Count = 0
    liaison_posts: Count = 1
    liaison_filled: Count = 0

    @model_validator(mode="after")
    def _filled_within_posts(self) -> Team:
        for role in ("leader", "deputy", "liaison"):
            if getattr(self, f"{role}_filled") > getattr(self, f"{role}_posts"):
                raise ValueError(f"{role}_filled (在编) 超过 {role}_posts (编制)")
        return self

    @property
    def posts(self) -> int:
        return self.leader_posts + self.deputy_posts + self.liaison_posts

    @property
    def filled(self) -> int:
        return self.leader_filled + self.deputy_filled + self.liaison_filled

    @property
    def has_leader(self) -> bool:
        return self.leader_filled > 0


class Scenario(Frozen):
    """A whole planning scenario. Immutable; use :meth:`replace` for what-if copies."""

    names: Names = Names()
    counties: tuple[Name, ...] = Field((), max_length=100)
    horizon: Horizon
    calendar: CalendarRules = CalendarRules()
    rounds: RoundPolicy = RoundPolicy()
    staff: Staff = Staff()
    weights: Weights = Weights()
    soft: SoftRules = SoftRules()
    targets: tuple[Target, ...]
    teams: tuple[Team, ...]
    source: str = Field("", description="the folder this scenario was read from")
    sha256: str = Field("", description="digest of the scenario files")

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

    def targets_of(self, level: Level, county: str = "") -> list[Target]:
        """Targets inspected by the committee of ``level`` (and ``county``)."""
        level = Level(level)
        if level == Level.CITY:
            return [t for t in self.targets if t.level == Level.CITY or t.elevated]
        return [
            t
            for t in self.targets
            if t.level == Level.COUNTY and not t.elevated and (not county or t.county == county)
        ]

    def teams_of(self, level: Level, county: str = "") -> list[Team]:
        level = Level(level)
        return [t for t in self.teams if t.level == level and (not county or t.county == county)]


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
    regular = scenario.rounds.regular
    shortest = regular.prep_weeks + min([regular.onsite_weeks, *regular.onsite_weeks_by_category.values()]) + regular.report_weeks
    if h.whole_weeks < shortest:
        add("scenario", None, "horizon.end", f"规划期 {h.start} 至 {h.end} 只有 {h.whole_weeks} 个整周, "
            f"容不下一轮常规巡察 (准备、进驻和报告至少 {shortest} 周)")
    position = {id(t): i for i, t in enumerate(scenario.targets)}
    committees = [("市委", "level", scenario.targets_of(Level.CITY))]
    committees += [(f"{c}委", "county", scenario.targets_of(Level.COUNTY, c)) for c in scenario.counties]
    for committee, field, targets in committees:
        if len(targets) > MAX_TARGETS_PER_PLAN:
            add("targets", position[id(targets[MAX_TARGETS_PER_PLAN])], field,
                f"{committee}的巡察对象共 {len(targets)} 个, 超过一次规划能安排的 {MAX_TARGETS_PER_PLAN} 个 (自此行起超出)")
    return problems
