"""A committee with nothing to plan: no units, no teams, or no week a regular round can start in.

These are not infeasible plans: there is no plan to look for. ``plan`` and ``explain`` say so in
plain words (exit 2) before any model is built, instead of a proof that "no plan exists".
"""

from __future__ import annotations

from planner.calendar import WeekGrid
from planner.scenario import Scenario
from planner.vocabulary import CITY, Committee, Level


def nothing_to_plan(scenario: Scenario, committee: Committee) -> str | None:
    """Why ``committee`` has nothing to plan, in one Chinese sentence; None when it has."""
    policy = scenario.policy(committee)
    name = policy.committee
    targets = scenario.targets_of(committee)
    if not targets:
        hint = ""
        if committee == CITY and any(t.level == Level.COUNTY for t in scenario.targets):
            hint = (" 如为县区委单独编制, 在 scenario.yaml 的 names 中写明 level: county 和 county: 县区名; "
                    "或用 --level county --county 县区名。")
        return f"{name}: 本级没有巡察对象 (巡察对象表中没有由{name}巡察的单位), 无需编制方案。{hint}"
    if not scenario.teams_of(committee):
        return f"{name}: 本级没有巡察组 (巡察组表中没有{name}的巡察组), 排不出任何一轮巡察。"
    regular = policy.rounds.regular
    shortest = min(regular.onsite_weeks_for(t.category) for t in targets if t.category != "village") \
        if any(t.category != "village" for t in targets) else regular.onsite_weeks
    grid = WeekGrid.of(scenario)
    if not grid.open_starts(shortest, regular.prep_weeks, regular.report_weeks):
        h = scenario.horizon
        return (f"{name}: 规划期内排不下任何一轮常规巡察: 每轮准备 {regular.prep_weeks} 周、进驻至少 {shortest} 周、"
                f"报告 {regular.report_weeks} 周, 而 {h.start} 至 {h.end} 的 {grid.n_weeks} 个整周除去禁止进驻时段"
                f"后没有这样连续的时段。请延长规划期、缩短准备或报告周数, 或减少禁止进驻时段。")
    return None
