"""The settings of ``scenario.yaml``, one model for each key: the committee's names, printout
particulars, the horizon and its blackout calendar, round policies, staff, weights of the soft
rules, villages, linkage, cross inspection, and a county committee's settings.

:class:`Policy` is one committee's settings resolved, what the rules and the greedy read.
Every field has its bounds and its Chinese description here; checks that span the settings
and the tables are in :mod:`planner.validation`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from planner.tables import Team
from planner.vocabulary import (
    CATEGORIES,
    COUNTY_CATEGORIES,
    FIRST_YEAR,
    INT32_MAX,
    LAST_YEAR,
    MAX_HORIZON_YEARS,
    MAX_ROUNDS_PER_YEAR,
    MAX_TARGETS_PER_PLAN,
    MAX_THEMES,
    Count,
    Frozen,
    Kind,
    Level,
    Name,
    Weight,
)


class Names(Frozen):
    """The committee the scenario plans for (本级党委): a city committee with its counties (the
    default), or one county or district committee (县委、区委、开发区党工委) with its own units."""

    level: Level = Field(Level.CITY, description="本级党委的层级: city (市委, 含所辖县区) 或 county (县委、区委、党工委)")
    county: Name = Field("", description="本级为县区委时: 县区名 (如 柞水县), 巡察对象和巡察组的所属县区")
    committee: Name = Field("中共商洛市委", min_length=1, description="党委名称, 用于打印件标题")
    city: Name = Field("商洛市", min_length=1, description="市名")
    office: Name = Field("中共商洛市委巡察工作领导小组办公室", min_length=1, description="巡察办全称, 用于落款")
    team_prefix: Name = Field("市委", description="巡察组名称前缀")

    @model_validator(mode="after")
    def _county_named(self) -> Names:
        if self.level == Level.COUNTY and not self.county:
            raise ValueError("county: 本级为县区委 (level: county) 时须写明县区名, 如 柞水县")
        if self.level == Level.CITY and self.county:
            raise ValueError("county: 只用于本级为县区委 (level: county); 市委的县区写在 counties")
        return self


class DocumentSettings(Frozen):
    """What a printout carries besides the plan (GB/T 9704): 落款, 成文日期, 份号, 密级."""

    issuer: Name = Field("", description="发文机关署名 (落款); 留空用 names.office")
    date: dt.date | None = Field(None, description="成文日期; 留空用打印当天")
    copy_number: int | None = Field(None, ge=1, le=999999, description="份号, 印为6位数字")
    classification: str = Field("", pattern="^(|秘密|机密|绝密)$", description="密级: 秘密、机密或绝密, 留空不印")
    secrecy_period: Name = Field("", description="保密期限, 如 5年; 与密级同印")


class Horizon(Frozen):
    start: dt.date = Field(description="规划期开始日期")
    end: dt.date = Field(description="规划期结束日期")

    # Field validators, not a model validator: the loader's stand-in for an unreadable horizon skips them.
    @field_validator("start", "end")
    @classmethod
    def _in_lunar_years(cls, day: dt.date) -> dt.date:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间 (按农历推算春节的范围), 填写为 {day}")
        return day

    @field_validator("end")
    @classmethod
    def _not_too_long(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end.year - start.year + 1 > MAX_HORIZON_YEARS:
            raise ValueError(f"规划期跨 {end.year - start.year + 1} 个年度, 超过上限 {MAX_HORIZON_YEARS} 个")
        return end

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if self.end <= self.start:
            raise ValueError(f"结束日期 {self.end} 不晚于开始日期 {self.start}")
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
    name: Name = Field(min_length=1, description="时段名称")
    start: dt.date = Field(description="开始日期")
    end: dt.date = Field(description="结束日期")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}")
        return self


class CalendarRules(Frozen):
    """Blackout periods: no on-site work (进驻) on any of these days."""

    spring_festival: bool = Field(True, description="春节期间不进驻 (按农历逐年推算)")
    spring_festival_days_before: int = Field(1, ge=0, le=30, description="除夕起算: 春节前几天")
    spring_festival_days_after: int = Field(7, ge=0, le=30, description="正月初一后几天")
    national_day: bool = Field(True, description="国庆假期不进驻")
    national_day_days: int = Field(7, ge=1, le=15, description="国庆假期天数, 自10月1日起")
    extra: tuple[Period, ...] = Field((), description="另加的禁止进驻时段, 如 [{name: 两会, start: 2028-03-03, end: 2028-03-12}]")


class KindPolicy(Frozen):
    """Round policy of one kind of round (常规 / 专项 / 回头看)."""

    rounds_per_year_min: int = Field(0, ge=0, le=MAX_ROUNDS_PER_YEAR, description="每年至少轮次")
    rounds_per_year_max: int = Field(3, ge=0, le=MAX_ROUNDS_PER_YEAR, description="每年至多轮次")
    onsite_weeks: int = Field(6, ge=1, le=26, description="默认进驻周数")
    onsite_weeks_by_category: dict[str, Annotated[int, Field(ge=1, le=26)]] = Field(default_factory=dict, description="按类别另定的进驻周数, 如 {county: 10, town: 10}")
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

    name: Name = Field(min_length=1, description="专项巡察主题")
    scope_units: int = Field(ge=1, le=INT32_MAX, description="本轮专项检查涉及的单位数")
    scope: str = Field("", description="检查范围 (哪些单位或领域), 印在工作计划中")
    focus: str = Field("", description="检查内容, 印在工作计划中")
    max_teams: int = Field(5, ge=1, le=INT32_MAX, description="本轮最多派出的巡察组数")
    year: int | None = Field(None, description="指定年度, 留空由模型安排")
    counties: tuple[str, ...] = Field((), description="市委专项巡察进驻的县区 (计入对县区的打扰)")
    all_counties: bool = Field(False, description="市委专项巡察进驻全部县区")


class SpecialPolicy(KindPolicy):
    rounds_per_year_max: int = Field(1, ge=0, le=MAX_ROUNDS_PER_YEAR, description="每年至多轮次")
    onsite_weeks: int = Field(4, ge=1, le=26, description="最短进驻周数")
    max_onsite_weeks: int = Field(10, ge=1, le=26, description="进驻周数上限 (硬性)")
    target_onsite_weeks: int = Field(5, ge=1, le=26, description="超过此周数按“短小精悍”规则计罚")
    units_per_team_week: int = Field(1, ge=1, le=INT32_MAX, description="每组每周可检查的单位数")
    prep_weeks: int = Field(1, ge=0, le=8, description="进驻前准备周数")
    report_weeks: int = Field(2, ge=0, le=12, description="进驻结束后撰写报告周数")
    themes: tuple[SpecialTheme, ...] = Field((), max_length=MAX_THEMES, description="各轮主题, 每个主题一轮: [{name: 主题, scope_units: 单位数, max_teams: 组数, year: 年度}]")

    def scope_weeks(self, theme: SpecialTheme, teams: int) -> int:
        """Weeks ``teams`` teams need on site for the theme's scope: ceil(scope / (teams * rate))."""
        return -(-theme.scope_units // (teams * self.units_per_team_week))


class FollowUpPolicy(KindPolicy):
    rounds_per_year_max: int = Field(1, ge=0, le=MAX_ROUNDS_PER_YEAR, description="每年至多轮次")
    onsite_weeks: int = Field(3, ge=1, le=26, description="进驻周数")
    prep_weeks: int = Field(1, ge=0, le=8, description="进驻前准备周数")
    report_weeks: int = Field(2, ge=0, le=12, description="进驻结束后撰写报告周数")
    min_gap_weeks: int = Field(26, ge=0, le=INT32_MAX, description="常规巡察进驻结束至回头看进驻的最短间隔 (整改期)")


class RoundPolicy(Frozen):
    regular: KindPolicy = Field(
        KindPolicy(
            rounds_per_year_min=2,
            rounds_per_year_max=3,
            onsite_weeks=6,
            onsite_weeks_by_category={"county": 10, "town": 10},
        ),
        description="常规巡察",
    )
    special: SpecialPolicy = Field(SpecialPolicy(), description="专项巡察")
    follow_up: FollowUpPolicy = Field(FollowUpPolicy(), description="巡察“回头看”")
    max_units_per_team: int = Field(3, ge=1, le=INT32_MAX, description="每组每轮常规巡察最多单位数")
    max_effort_per_team: int = Field(3, ge=1, le=INT32_MAX, description="每组每轮工作量上限")
    whole_team_categories: tuple[str, ...] = Field(
        ("county", "town"), description="整组巡察的类别: 县区、巡镇带村的镇办, 一组一轮只巡察这一个单位")
    units_per_year_min: int = Field(0, ge=0, le=MAX_TARGETS_PER_PLAN, description="每年 (整年在规划期内的年度) 常规巡察至少"
                                    "巡察的单位数, 随镇巡察的村不计; 0 表示不限")
    revisit_weeks: int = Field(0, ge=0, le=8, description="回访督查: 首年之后每年每组留出的连续周数 (不进驻其他轮次), "
                               "对上一年巡察过的单位逐个回访督查整改; 0 表示不安排")
    extra_rules: tuple[str, ...] = Field((), description="另行启用的可选硬性规则的编号 (见 docs/domain.md 第3.1节), "
                                         "如 [sectors_apart]: 同一巡察组相邻两轮常规巡察不巡察同一系统; 默认不启用")

    @field_validator("whole_team_categories")
    @classmethod
    def _known_categories(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"未知类别: {', '.join(unknown)}")
        return value

    @model_validator(mode="after")
    def _some_regular_round(self) -> RoundPolicy:
        if self.regular.rounds_per_year_max < 1:
            raise ValueError("regular.rounds_per_year_max 为 0: 没有常规巡察轮次, 无法安排巡察对象")
        return self

    def policy(self, kind: Kind) -> KindPolicy:
        return {Kind.REGULAR: self.regular, Kind.SPECIAL: self.special, Kind.FOLLOW_UP: self.follow_up}[kind]


class LevelStaff(Frozen):
    drafted_pool: Count = Field(description="每轮可抽调干部数 (人才库)")
    leader_pool: Count = Field(description="每轮可抽调组长数 (组长库)")


class TeamSizes(Frozen):
    regular: int = Field(5, ge=1, le=INT32_MAX, description="常规巡察")
    special: int = Field(4, ge=1, le=INT32_MAX, description="专项巡察")
    follow_up: int = Field(4, ge=1, le=INT32_MAX, description="回头看")

    def for_kind(self, kind: Kind) -> int:
        return getattr(self, Kind(kind).value if kind != Kind.CROSS else "regular")


def _sizes_ordered(low: TeamSizes, high: TeamSizes) -> None:
    for kind in ("regular", "special", "follow_up"):
        if getattr(high, kind) < getattr(low, kind):
            raise ValueError(f"max_team_size.{kind} 小于 min_team_size.{kind}")


class Staff(Frozen):
    """Staff settings: the city committee's (a county's are in ``county_defaults``), or a county's own."""

    city: LevelStaff = Field(LevelStaff(drafted_pool=15, leader_pool=2), description="市委")
    county: LevelStaff | None = Field(None, description="本级为县区委 (names.level: county) 时的本级人员; "
                                      "市委方案中不填 (各县区的写在 county_defaults.staff)")
    min_team_size: TeamSizes = Field(TeamSizes(), description="每组最少人数 (含组长)")
    max_team_size: TeamSizes = Field(TeamSizes(regular=7, special=6, follow_up=5), description="每组最多人数")

    @model_validator(mode="after")
    def _sizes(self) -> Staff:
        _sizes_ordered(self.min_team_size, self.max_team_size)
        return self


class Weights(Frozen):
    """Weights of the soft rules; a weight of 0 switches the rule off."""

    risk_first: Weight = Field(2, description="权重: 风险高的先巡")
    mixed_rounds: Weight = Field(20, description="权重: 各轮合理搭配单位类别")
    even_team_load: Weight = Field(10, description="权重: 各组任务均衡")
    even_year_load: Weight = Field(5, description="权重: 年度任务均衡")
    short_special: Weight = Field(30, description="权重: 专项巡察短小精悍")
    last_year_room: Weight = Field(10, description="权重: 末年留出回头看和机动巡察空间")
    drafted_cadres: Weight = Field(3, description="权重: 少抽调干部")
    county_quiet: Weight = Field(60, description="权重: 市委对同一县区的进驻相隔过近 (每对)")
    linked_sectors: Weight = Field(15, description="权重: 联动系统未联动 (市委每个系统, 县区每轮每个系统)")
    sync: Weight = Field(40, description="权重: 县区轮次未与市委同步 (每轮)")
    audit_sync: Weight = Field(10, description="权重: 有审计安排的单位未在审计当年巡察 (每个单位)")


class SoftRules(Frozen):
    mix_min_groups: int = Field(3, ge=1, le=5, description="每轮常规巡察至少搭配的单位类别数")
    last_year_share: float = Field(0.6, ge=0, le=1, description="末年常规工作量不超过平均年度的比例")
    overdue_years: int = Field(4, ge=1, le=INT32_MAX, description="距上次巡察超过此年数的单位优先")


class VillagePolicy(Frozen):
    """How villages and communities (村/社区) are inspected: with their town (巡镇带村), by the
    team and in the round that inspects the town, or alone (直接巡) when their risk is high.

    A town's stay grows with the villages that ride with it:
    weeks = min(max_town_weeks, town weeks + ceil(villages / villages_per_extra_week)).
    """

    key_risk: int = Field(5, ge=1, le=6, description="风险不低于此值的村单独巡察 (直接巡); 6 表示都随镇巡察")
    villages_per_extra_week: int = Field(5, ge=1, le=INT32_MAX, description="随镇巡察的村每满此数 (不足也算), 该镇进驻时间增加1周")
    max_town_weeks: int = Field(12, ge=1, le=26, description="巡镇带村时进驻周数上限")

    def town_weeks(self, base: int, villages: int) -> int:
        """On-site weeks of a town (``base`` alone) with ``villages`` riding with it."""
        if not villages:
            return base
        return max(base, min(self.max_town_weeks, base + -(-villages // self.villages_per_extra_week)))


class Linkage(Frozen):
    """How the city's and the counties' rounds go together (市县联动, 上下联动, 同步启动)."""

    sync_weeks: int = Field(3, ge=0, le=26, description="县区常规巡察在市委某轮常规巡察进驻前后此周数内进驻, 视为同步")
    sync_hard: bool = Field(True, description="同步为硬性规则 (false: 软性规则, 按权重计代价)")
    sectors_per_round: int = Field(2, ge=0, le=5, description="每轮常规巡察联动的系统数")
    quiet_months: int = Field(6, ge=0, le=36, description="市委对同一县区的各次进驻同轮进行或至少相隔此月数")
    quiet_hard: bool = Field(True, description="相隔为硬性规则 (false: 软性规则, 按权重计代价)")
    exchange_up: int = Field(0, ge=0, le=10, description="上派: 市委每轮常规巡察选派参加每个县区巡察的市级干部人数, "
                                                        "从市级每轮可抽调干部中扣除")
    exchange_down: int = Field(0, ge=0, le=10, description="下挂: 每个县区每轮常规巡察抽调参加市委巡察的县区干部人数, "
                                                          "从该县区每轮可抽调干部中扣除")

    @property
    def quiet_weeks(self) -> int:
        return -(-self.quiet_months * 52 // 12)


class CrossRound(Frozen):
    """One cross inspection (交叉巡察): each county's teams inspect units of the next county in the cycle."""

    year: int = Field(description="开展年度")
    units_per_county: int = Field(2, ge=1, le=20, description="每个县区交由外县区巡察的单位数")
    categories: tuple[str, ...] = Field(("town",), description="交叉巡察的单位类别 (按风险从高到低选取)")

    @field_validator("categories")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(COUNTY_CATEGORIES))
        if unknown:
            raise ValueError(f"交叉巡察只选县级单位, 未知类别: {', '.join(unknown)}")
        return value


class CrossInspection(Frozen):
    """县区之间异地交叉巡察, organised by the city: the county -> county map is one cycle."""

    rounds: tuple[CrossRound, ...] = Field((), max_length=MAX_ROUNDS_PER_YEAR, description="各次交叉巡察")
    cycle: tuple[str, ...] = Field((), description="交叉顺序: 每个县区巡察其后一个, 最后一个巡察第一个; 留空按 counties 顺序")
    onsite_weeks: int = Field(6, ge=1, le=26, description="进驻周数 (镇办另按随镇巡察的村加周数)")
    prep_weeks: int = Field(1, ge=0, le=8, description="进驻前准备周数")
    report_weeks: int = Field(3, ge=0, le=12, description="进驻结束后撰写报告周数")

    @property
    def policy(self) -> KindPolicy:
        """The round policy a cross round follows (at most one a year is the scenario's choice of years)."""
        return KindPolicy(rounds_per_year_max=len(self.rounds), onsite_weeks=self.onsite_weeks,
                          prep_weeks=self.prep_weeks, report_weeks=self.report_weeks)


class Policy(Frozen):
    """Every setting of one committee's plan, resolved: what the rules and the greedy read."""

    committee: str
    office: str
    team_prefix: str
    rounds: RoundPolicy
    staff: LevelStaff
    min_team_size: TeamSizes
    max_team_size: TeamSizes
    weights: Weights
    soft: SoftRules
    villages: VillagePolicy
    lent: int = 0  # drafted cadres each regular round lends to the other level (上派下挂)

    def drafted_pool_for(self, kind: Kind) -> int:
        """The drafted cadres a round of ``kind`` may take: the pool, less those lent in a regular round."""
        return self.staff.drafted_pool - (self.lent if kind == Kind.REGULAR else 0)

    def need_drafted(self, team: Team, kind: Kind) -> int:
        """Drafted cadres a team needs to reach the minimum size (a drafted leader counts)."""
        present = team.filled + (0 if team.has_leader else 1)
        return max(0, self.min_team_size.for_kind(kind) - present)

    def too_large(self, team: Team, kind: Kind) -> bool:
        """A team whose filled posts (and a drafted leader) exceed the largest size never goes out in ``kind``."""
        return team.filled + (0 if team.has_leader else 1) > self.max_team_size.for_kind(kind)


class CountyPolicy(Frozen):
    """Settings of a county committee; ``{county}`` in the names is the county's name.

    ``county_defaults`` in scenario.yaml sets them for every county,
    ``counties_policy: {洛南县: {...}}`` overrides any of them for one county.
    """

    committee: str = Field("中共{county}委", min_length=1, description="县区党委名称, {county} 代表县区名")
    office: str = Field("中共{county}委巡察工作领导小组办公室", min_length=1, description="县区巡察办全称")
    team_prefix: str = Field("{county}委", description="县区巡察组名称前缀")
    rounds: RoundPolicy = Field(
        RoundPolicy(
            regular=KindPolicy(
                rounds_per_year_min=2,
                rounds_per_year_max=4,
                onsite_weeks=4,
                onsite_weeks_by_category={"town": 6},
                prep_weeks=1,
                report_weeks=3,
            ),
            max_units_per_team=4,
            max_effort_per_team=4,
        ),
        description="轮次安排",
    )
    staff: LevelStaff = Field(LevelStaff(drafted_pool=10, leader_pool=1), description="人员")
    min_team_size: TeamSizes = Field(TeamSizes(), description="每组最少人数 (含组长)")
    max_team_size: TeamSizes = Field(TeamSizes(regular=7, special=6, follow_up=5), description="每组最多人数")
    weights: Weights = Field(Weights(), description="软性规则权重")
    soft: SoftRules = Field(SoftRules(), description="软性规则参数")
    villages: VillagePolicy = Field(VillagePolicy(), description="村(社区)巡察")

    @model_validator(mode="after")
    def _sizes(self) -> CountyPolicy:
        _sizes_ordered(self.min_team_size, self.max_team_size)
        return self

    def resolved(self, county: str) -> Policy:
        fields = self.model_dump()
        for name in ("committee", "office", "team_prefix"):
            fields[name] = fields[name].replace("{county}", county)
        return Policy.model_validate(fields)


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` laid over it, nested mappings merged key by key."""
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out
