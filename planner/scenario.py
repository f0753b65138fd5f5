"""Scenario: everything the planning office enters, as one immutable, validated object.

The scenario is read from a folder (``scenario.yaml`` plus tables) by
:mod:`planner.loading`; this module holds the :class:`Scenario` model and its lookups
(which units and teams are whose, a committee's resolved settings, cross rounds). Its
parts live below it: the vocabulary (:mod:`planner.vocabulary`), the settings
(:mod:`planner.scenario_settings`), the table rows (:mod:`planner.tables`) and the checks
that span several tables (:mod:`planner.validation`), which its validator runs.
Every number the planner uses is a field with a default, never a constant in code.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, model_validator

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
from planner.tables import Audit, DecisionKind, FixedDecision, Target, Team
from planner.validation import DEFER_CROSS_CHECK, cross_check
from planner.vocabulary import CITY, Committee, Frozen, Level, Name


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
                lent=0 if self.own_county else self.linkage.exchange_up * len(self.counties),
            )
        own = self.counties_policy.get(committee.county, {})
        county = CountyPolicy.model_validate(merged(self.county_defaults.model_dump(), own))
        return county.resolved(committee.county).model_copy(update={"lent": self.linkage.exchange_down})

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
