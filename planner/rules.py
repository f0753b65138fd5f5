"""The rule registry: every hard rule once, with all that reads it.

Each :class:`Rule` holds its id, the office's wording, the rule families that add it to the
model, the checker functions that re-verify it on the exported table
(:mod:`planner.rule_checks`), and where it has them: the greedy's guard, the group explain may
relax, and the fact ``why`` reads off a plan's table. The model adds the hard rules' families
(:data:`HARD_RULES`, in this order; see :mod:`planner.build`), :func:`planner.check.check_plan`
runs the checks in this order too, the greedy's ``can_take`` asks every guard
(:data:`GUARDS`), explain words the relaxable groups (:data:`RELAXABLE`) and why states the
facts (:data:`WHY_FACTS`). An id names the rule in the checker's findings; :attr:`Rule.modules`
names the ``constraints/`` modules that hold it. A rule with no family holds by construction
(the exported table's form, its round numbers).

Adding a rule: one ``constraints/`` module (its families, its check, and where it has them its
guard and why-fact), its entry here, its file ``tests/rules/test_<id>.py``. A rule the office may
switch on (:attr:`Rule.optional`) holds only for a committee whose ``rounds.extra_rules`` names its
id: its families and its check read that setting. A rule that reads a trait of
a unit the symmetry breaking does not tell apart names it (:attr:`Rule.tells_apart`). A rule
across rounds needs no guard: the greedy's hint may then break it, and CP-SAT repairs the hint.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from constraints.avoidance import add_avoidance, avoidance_allows, team_avoided
from constraints.blackout import add_blackouts
from constraints.capacity import add_team_capacity, capacity_allows, team_full
from constraints.county_visits import add_county_quiet
from constraints.coverage import UNCOVERED, add_follow_up_after_rectification, add_full_coverage
from constraints.cross_inspection import add_cross_windows
from constraints.fixed_decisions import DROPPED, add_fixed_decisions
from constraints.horizon import add_within_horizon
from constraints.revisit import add_revisit_windows
from constraints.round_policy import add_rounds_per_year, add_special_round_scope, add_units_per_year, round_too_short
from constraints.round_sequence import add_rounds_in_sequence
from constraints.sectors_apart import add_sectors_apart, sector_of, sectors_kept_apart
from constraints.staffing import add_staffing, team_not_out
from constraints.sync import add_rounds_in_step
from constraints.team_overlap import add_one_round_at_a_time
from constraints.views import Guard, WhyFact
from planner.loading import InputProblem
from planner.model import PlanModel
from planner.model_types import Relax
from planner.scenario import Scenario
from planner.scenario_settings import Policy
from planner.tables import Target
from planner.rule_checks import (
    CheckedPlan,
    Finding,
    avoid_lists_honoured,
    busy_span_holds_onsite,
    county_rounds_in_step,
    county_visits_apart,
    cross_inspection_away_from_home,
    cross_rounds_form_one_cycle,
    drafting_within_pools,
    fixed_decisions_kept,
    follow_ups_as_planned,
    no_onsite_in_blackout,
    no_team_returns,
    one_round_at_a_time,
    onsite_long_enough,
    regular_and_special_apart,
    revisit_windows_kept,
    rounds_numbered_in_order,
    rounds_per_year_within_policy,
    rows_well_formed,
    special_rounds_sized,
    targets_inspected_once,
    team_load_within_capacity,
    team_rows_share_dates,
    teams_properly_staffed,
    themes_run_once,
    villages_with_their_town,
    within_horizon,
)

Family = Callable[[PlanModel], None]
Check = Callable[[CheckedPlan], Iterable[Finding]]


@dataclass(frozen=True)
class Relaxable:
    """A rule group explain may switch off (:class:`planner.model_types.Relax`) and its wording."""

    group: Relax
    key: str  # what a group's key names: "year", "target" (listed on one line) or "decision"
    conflict: str  # explain's line for the group in conflict (a key of planner.explain.TEXT)
    slacks: tuple[str, ...]  # how far it is relaxed (Relaxation.amounts), each worded in explain


@dataclass(frozen=True)
class Rule:
    id: str
    wording: str  # the office's name for it, which begins each of the checker's findings
    model: tuple[Family, ...]
    check: tuple[Check, ...]
    guard: Guard | None = None  # may the greedy's team take a unit beside its others in a round?
    relax: Relaxable | None = None
    why: WhyFact | None = None  # why the unit is not in the round before its own
    hard: bool = True  # False: soft, or hard where the scenario says (the whole-city rules)
    optional: bool = False  # True: only where a committee's rounds.extra_rules names the id
    tells_apart: Callable[[Target], Hashable] | None = None  # the trait of a unit it reads, for symmetry

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.__module__.removeprefix("constraints.") for f in self.model))


# In the order of docs/domain.md section 3.1.
RULES = (
    Rule("table", "表格", (), (rows_well_formed,)),
    Rule("coverage", "覆盖", (add_full_coverage, add_follow_up_after_rectification),  # 1 全覆盖, 回头看 after 整改
         (targets_inspected_once, follow_ups_as_planned, themes_run_once),
         relax=Relaxable(Relax.COVERAGE, "target", "coverage", (UNCOVERED,))),
    Rule("team_overlap", "一组一轮", (add_one_round_at_a_time,),  # 2
         (team_rows_share_dates, busy_span_holds_onsite, one_round_at_a_time)),
    Rule("revisit", "回访督查", (add_revisit_windows,), (revisit_windows_kept,)),  # 每组每年 (首年除外) 留出回访上一年单位的时段
    Rule("kind_overlap", "常规与专项", (add_rounds_in_sequence,), (regular_and_special_apart,)),  # 3 常规与专项不并行
    Rule("round_numbering", "轮次编号", (), (rounds_numbered_in_order,)),
    Rule("staff", "人员", (add_staffing,), (teams_properly_staffed, drafting_within_pools),  # 4 组长与人数, 抽调不超库
         relax=Relaxable(Relax.STAFFING, "year", "staffing", ("drafted", "leaders")), why=team_not_out),
    # 5 每组1-3个单位 (村随镇走: planner.model.CommitteeData)
    Rule("capacity", "工作量", (add_team_capacity,), (team_load_within_capacity, villages_with_their_town),
         guard=capacity_allows, why=team_full),
    Rule("avoidance", "回避", (add_avoidance,),  # 6
         (avoid_lists_honoured, no_team_returns, cross_inspection_away_from_home),
         guard=avoidance_allows, why=team_avoided),
    Rule("blackout", "禁止进驻", (add_blackouts,), (no_onsite_in_blackout,)),  # 7 春节、国庆不进驻
    Rule("horizon", "规划期", (add_within_horizon,), (within_horizon,)),  # 8
    # 每年轮次; 专项巡察的组数与时长; 每年常规巡察至少巡察的单位数
    Rule("round_policy", "轮次规则", (add_rounds_per_year, add_special_round_scope, add_units_per_year),
         (onsite_long_enough, special_rounds_sized, rounds_per_year_within_policy),
         relax=Relaxable(Relax.ROUNDS, "year", "rounds", ("rounds",)), why=round_too_short),
    # 定年度、定轮次、定组、不早于/不晚于、组不可用、同轮/不同轮/不同组
    Rule("fixed", "锁定事项", (add_fixed_decisions,), (fixed_decisions_kept,),
         relax=Relaxable(Relax.FIXED, "decision", "fixed", (DROPPED,))),
    # 同一巡察组相邻两轮常规巡察不巡察同一系统 (可选: rounds.extra_rules)
    Rule("sectors_apart", "系统轮换", (add_sectors_apart,), (sectors_kept_apart,), optional=True, tells_apart=sector_of),
    Rule("cross", "交叉巡察", (add_cross_windows,), (cross_rounds_form_one_cycle,)),  # 市委统一组织的进驻时段
    Rule("sync", "上下联动", (add_rounds_in_step,), (county_rounds_in_step,), hard=False),  # 县区轮次与市委同步
    Rule("quiet", "不重复打扰", (add_county_quiet,), (county_visits_apart,), hard=False),  # 对县区不重复打扰
)

HARD_RULES = tuple(family for rule in RULES if rule.hard for family in rule.model)
GUARDS = tuple(rule.guard for rule in RULES if rule.guard)
RELAXABLE = {rule.relax.group: rule.relax for rule in RULES if rule.relax}

# The order planner.why asks the why-facts in, for each team the first that has one: a team the
# unit must avoid is named for that, whether it went out or not; a team out, for its load.
WHY_ORDER = ("round_policy", "avoidance", "staff", "capacity")
WHY_FACTS = tuple(rule.why for id_ in WHY_ORDER for rule in RULES if rule.id == id_ and rule.why)

OPTIONAL = tuple(rule.id for rule in RULES if rule.optional)


def distinctions(policy: Policy) -> tuple[Callable[[Target], Hashable], ...]:
    """The traits of a unit that the rules on for ``policy``'s committee tell apart."""
    return tuple(rule.tells_apart for rule in RULES
                 if rule.tells_apart and (not rule.optional or rule.id in policy.rounds.extra_rules))


def unknown_rules(scenario: Scenario) -> list[InputProblem]:
    """Each id in a committee's ``rounds.extra_rules`` that names no optional rule."""
    problems = []
    for committee in scenario.committees:
        own = "extra_rules" in scenario.counties_policy.get(committee.county, {}).get("rounds", {})
        key = "rounds.extra_rules" if committee == scenario.home else \
            f"counties_policy.{committee.county}.rounds.extra_rules" if own else "county_defaults.rounds.extra_rules"
        for rule_id in scenario.policy(committee).rounds.extra_rules:
            if rule_id not in OPTIONAL:
                known = "、".join(OPTIONAL) or "无"
                problems.append(InputProblem("scenario.yaml", None, key, f"未知的可选规则 '{rule_id}' (可选: {known})"))
    return list(dict.fromkeys(problems))
