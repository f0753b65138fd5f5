"""What a run plans: one committee, every county side by side, or the whole city (市县一盘棋).

The command line names it with ``--level`` and ``--county``; :func:`scope_of` turns those into a
:class:`Scope`, or an :class:`OptionError` whose message says, in one line, why they name nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.empty_level import nothing_to_plan
from planner.scenario import Scenario
from planner.vocabulary import CITY, WHOLE_LEVEL, Committee, Level

LEVELS = (Level.CITY.value, Level.COUNTY.value, WHOLE_LEVEL)


class OptionError(Exception):
    """The options name something this scenario has not, or a value not allowed; the message is one
    line for a person (exit 2)."""


def one_of(value: str, allowed: tuple[str, ...], option: str) -> None:
    """An OptionError unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise OptionError(f"{option} {value}: 应为 {' 或 '.join(allowed)}")


@dataclass(frozen=True)
class Scope:
    """The committees planned, and whether as the whole city: the counties against the city's calendar."""

    committees: tuple[Committee, ...]
    whole: bool = False

    @classmethod
    def one(cls, committee: Committee) -> Scope:
        return cls((committee,))

    @classmethod
    def counties(cls, scenario: Scenario) -> Scope:
        return cls(tuple(Committee(c) for c in scenario.counties))

    @classmethod
    def whole_city(cls, scenario: Scenario) -> Scope:
        return cls(tuple(scenario.committees), whole=True)

    @property
    def single(self) -> Committee | None:
        """The committee when only one is planned (a whole city without counties too)."""
        return self.committees[0] if len(self.committees) == 1 else None

    @property
    def apart(self) -> tuple[Committee, ...]:
        """The committees planned on their own: none in a whole-city plan, whose counties follow the city."""
        return () if self.whole else self.committees

    @property
    def first(self) -> Committee:
        return self.committees[0]


def committee_of(scenario: Scenario, county: str) -> Committee:
    """The committee ``--county`` names (the scenario's own when empty)."""
    if county and county not in scenario.counties:
        raise OptionError(f"--county {county}: 未知的县区, 应为 {'、'.join(scenario.counties)} 之一")
    return Committee(county) if county else scenario.home


def scope_of(scenario: Scenario, level: str, county: str) -> Scope:
    """What ``--level``/``--county`` name: the city, one county, every county, or the whole city;
    no ``--level``: the scenario's own committee."""
    if scenario.own_county and level in (Level.CITY.value, WHOLE_LEVEL):
        raise OptionError(f"--level {level}: 本场景为{scenario.policy(scenario.home).committee}单独编制 "
                         "(names.level: county), 没有市委方案; 不加 --level 即可")
    level = level or scenario.names.level.value
    if level not in LEVELS:
        raise OptionError(f"--level {level}: 应为 city (市委)、county (县区委) 或 all (全市)")
    if level == WHOLE_LEVEL and county:
        raise OptionError("--county 只用于 --level county (全市方案含每个县区)")
    if level == WHOLE_LEVEL:
        return Scope.whole_city(scenario)
    if county:  # --county alone means that county's committee
        return Scope.one(committee_of(scenario, county))
    if level == Level.CITY.value:
        return Scope.one(CITY)
    return Scope.counties(scenario)


def check_something_to_plan(scenario: Scenario, committee: Committee) -> None:
    """An OptionError when the committee has no units, no teams or no room for a round."""
    reason = nothing_to_plan(scenario, committee)
    if reason:
        raise OptionError(reason)
