"""Why no plan exists: the rule groups in conflict, and the smallest relaxation.

Two solves of one model in which staffing (per year), the most regular rounds
(per year), coverage (per target) and the office's fixed decisions (per
decision, 锁定事项) are switchable groups
(:class:`planner.model.Relaxation`):

1. *Conflict*: every group is assumed to hold; when CP-SAT proves that
   impossible, ``sufficient_assumptions_for_infeasibility`` names a set of
   groups that cannot hold together.
2. *Relaxation*: the groups may be relaxed at a cost per unit (one more
   drafted cadre or leader per round in a year, one more round in a year, a
   target moved beyond the term, a decision set aside); the cheapest plan
   says what would make the plan possible.

Rules that are not switchable (calendar, horizon, rounds in sequence, ...)
stay hard; when they alone conflict, the conflict has no switchable group.

Before both, a count (:mod:`constraints.team_rounds`): when the term offers
fewer team-rounds than its units need, the rules are proven in conflict at
once, and the count is a reason given (the groups, when the conflict solve
names them in time, are the other).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from constraints.coverage import UNCOVERED
from constraints.team_rounds import TeamRoundCount, count_team_rounds
from constraints.fixed_decisions import DROPPED
from planner.build import build_model
from planner.check import Violation
from planner.decisions import decision_text
from planner.greedy import add_greedy_hint
from planner.loading import bundled_scenario_path
from planner.model import PlanModel
from planner.model_types import Relax, Relaxation
from planner.rules import RELAXABLE, Relaxable
from planner.scenario import Scenario
from planner.scenario_settings import LevelStaff
from planner.solve import SolveSettings, run_solver, solver_for
from planner.solver import status_of
from planner.status import SolveStatus
from planner.vocabulary import CITY, Committee, Kind

# Cost of one unit of each relaxation: the relaxation proposed is the cheapest.
RELAX_COSTS = {"drafted": 1, "leaders": 2, "rounds": 4, DROPPED: 6, UNCOVERED: 8}


@dataclass(frozen=True)
class GroupFinding:
    """One rule group (conflict) or one relaxation, with the objects it names."""

    rule: Relax
    key: str  # a year, a target id, or the index of a fixed decision
    slack: str = ""  # which relaxation: drafted, leaders, rounds, dropped or uncovered
    amount: int = 0


@dataclass(frozen=True)
class Explanation:
    status: SolveStatus  # INFEASIBLE: a conflict was proven; FEASIBLE: the rules can all hold; UNKNOWN: no proof in time
    conflict: tuple[GroupFinding, ...]
    relaxations: tuple[GroupFinding, ...]
    relaxation_status: SolveStatus
    count: TeamRoundCount | None = None  # the team-round count, when it proves the conflict


def _relaxations_by_literal(m: PlanModel) -> dict[int, Relaxation]:
    return {r.holds.index: r for r in m.relaxations}


def find_conflict(m: PlanModel, settings: SolveSettings) -> tuple[SolveStatus, tuple[GroupFinding, ...]]:
    """Assume every switchable group holds; a proven conflict names groups that cannot."""
    m.cp.clear_objective()
    m.cp.clear_hints()
    m.cp.add_assumptions([r.holds for r in m.relaxations])
    # Several workers find the proof far sooner here; the finishing worker still reports a core.
    solver = solver_for(settings)
    status = status_of(solver, run_solver(solver, m))
    m.cp.clear_assumptions()
    if status != SolveStatus.INFEASIBLE:
        return status, ()
    by_literal = _relaxations_by_literal(m)
    core = [by_literal[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_literal]
    return status, tuple(GroupFinding(r.rule, r.key) for r in core)


def _hint_with_every_team(m: PlanModel) -> None:
    """Hint a greedy plan that may send every team (the slacks pay for the staff it lacks).

    The greedy reads the pools from ``m.data``; the constraints are built already.
    """
    data = m.data
    teams = len(data.teams)
    ample = LevelStaff(drafted_pool=teams * data.policy.max_team_size.regular, leader_pool=teams)
    m.data = replace(data, policy=data.policy.model_copy(update={"staff": ample}))
    try:
        add_greedy_hint(m)
    finally:
        m.data = data


def cheapest_relaxation(m: PlanModel, settings: SolveSettings) -> tuple[SolveStatus, tuple[GroupFinding, ...], float]:
    """Solve with every group relaxable at a cost; report the relaxations used and the
    bound on their cost (above 0: every plan needs some relaxation)."""
    m.cp.clear_assumptions()
    m.cp.minimize(sum(RELAX_COSTS[name] * amount for r in m.relaxations for name, amount in r.amounts.items()))
    if settings.hint:
        _hint_with_every_team(m)
    solver = solver_for(settings)
    status = status_of(solver, run_solver(solver, m))
    if not status.has_plan:
        return status, (), 0.0
    used = []
    for r in m.relaxations:
        for name, amount in r.amounts.items():
            value = int(solver.value(amount))
            if value:
                used.append(GroupFinding(r.rule, r.key, name, value))
    return status, tuple(used), solver.best_objective_bound


def hard_model(scenario: Scenario, committee: Committee) -> PlanModel:
    """Only the hard rules, every group switchable: soft rules would only slow the proofs."""
    return build_model(scenario, committee, relax=frozenset(Relax), soft=False)


def explain(scenario: Scenario, committee: Committee = CITY, settings: SolveSettings = SolveSettings()) -> Explanation:
    """Why the hard rules of ``committee``'s plan cannot all hold, and what would make them hold;
    each of the two solves gets half of ``settings.time_limit``."""
    model = hard_model(scenario, committee)
    count = count_team_rounds(model)
    half = replace(settings, time_limit=settings.time_limit / 2)
    status, conflict = find_conflict(model, half)
    # find_conflict leaves the model as built (no assumptions, objective or hints): reuse it.
    relax_status, relaxations, bound = cheapest_relaxation(model, half)
    if count is not None and count.deficit:
        return Explanation(SolveStatus.INFEASIBLE, conflict, relaxations, relax_status, count)
    if status == SolveStatus.UNKNOWN and relax_status.has_plan:
        if not relaxations:
            # A plan that needs no relaxation is a plan of the rules as stated.
            status = SolveStatus.FEASIBLE
        elif bound > 0:
            # Every plan needs some relaxation: the rules as stated have none.
            status = SolveStatus.INFEASIBLE
    return Explanation(status, conflict, relaxations, relax_status)


# ------------------------------------------------------------------ wording
TEXT = {
    "zh": {
        "staffing": "人员配备 (组长与最低人数), {year}年: {n}个组需要{need}人, 在编{filled}人 + 可抽调{pool}人{exchange}"
                    "; 缺组长{leaderless}个组, 组长库{leader_pool}人",
        "rounds": "每年轮次, {year}年: 常规巡察至多{most}轮",
        "coverage": "全覆盖: {names}",
        "drafted": "{year}年每轮多抽调{amount}名干部 (可抽调 {pool} → {new}人)",
        "leaders": "{year}年组长库增加{amount}人 ({pool} → {new}人)",
        "more_rounds": "{year}年多安排{amount}轮常规巡察 ({most} → {new}轮)",
        "uncovered": "将以下单位移到本届之后: {names}",
        "fixed": "锁定事项: {decision}",
        "count": "组次不够 (人员配备、每年轮次与日历、每组单位数与全覆盖合起来不能成立): 抽调干部库{pool}人{exchange}、组长库{leader_pool}人, "
                 "每轮至多派出{teams_out}个组, 本届至多{rounds}轮常规巡察 (每年至多{most}轮, 日历排不下的除外), "
                 "共{available}组次; 覆盖全部单位至少需要{needed}组次 (整组巡察的单位{whole}个; 其余{others}个单位工作量合计{effort}, "
                 "每组每轮至多{per_team}个单位、工作量{max_effort}), 至少{deficit}个单位排不下",
        "fixed_only": "以上锁定事项互相矛盾, 或与日历、规划期、轮次先后等不可放宽的规则矛盾",
        "dropped": "取消锁定事项: {decision}",
        "sep": "、",
        "exchange": " (常规巡察每轮其中{lent}人上派下挂)",
        "more": " 等{n}个单位",
        "infeasible": "无可行方案: 以下硬性规则不能同时成立",
        "no_group": "冲突不在可放宽的规则组内 (日历、禁止进驻时段、规划期、轮次先后等)",
        "feasible": "全部硬性规则可以同时成立",
        "unknown": "在时限内未能判断硬性规则能否同时成立",
        "relax": "最小的放宽 (以下各项同时做到即可排出方案):",
        "relax_unproven": "时限内找到的放宽 (以下各项同时做到即可排出方案, 未证明最小):",
        "no_core": "时限内未找出具体冲突的规则组; 下列放宽已证明必不可少",
        "no_relax": "在时限内未找到可行的放宽方案",
        "relax_useless": "增加抽调干部、组长或轮次, 或将单位移出本届, 都不能排出方案",
        "command": "抽调干部数、组长库和每年轮次上限是全届统一的设置, 按需要最多的一年取值, 可直接运行:",
        "command_moved": "(移出本届的单位不是设置项, 须在巡察对象表中调整)",
    },
    "en": {
        "staffing": "Staffing (leader and minimum size), {year}: {n} teams need {need} people, {filled} on staff "
                    "+ {pool} drafted{exchange}; {leaderless} teams without a leader, leader pool {leader_pool}",
        "rounds": "Rounds per year, {year}: at most {most} regular rounds",
        "coverage": "Full coverage: {names}",
        "drafted": "{year}: draft {amount} more cadres per round ({pool} → {new})",
        "leaders": "{year}: {amount} more drafted leaders ({pool} → {new})",
        "more_rounds": "{year}: {amount} more regular round ({most} → {new})",
        "uncovered": "Move beyond the term: {names}",
        "fixed": "Fixed decision: {decision}",
        "count": "Too few team-rounds (staffing, rounds per year and the calendar, units per team and full coverage cannot "
                 "all hold): the pools ({pool} drafted{exchange}, {leader_pool} leaders) staff at most {teams_out} teams a round "
                 "and the term has at most {rounds} regular rounds ({most} a year, less those the calendar has no room "
                 "for), {available} team-rounds; covering every unit needs at "
                 "least {needed} ({whole} units that take a team alone; {others} others of effort {effort} in all, "
                 "at most {per_team} units and effort {max_effort} to a team-round), so at least {deficit} units "
                 "are left out",
        "fixed_only": "These fixed decisions contradict each other, or the calendar, horizon or round order",
        "dropped": "Set aside the fixed decision: {decision}",
        "sep": ", ",
        "exchange": ", {lent} of them lent to the other level in a regular round",
        "more": " and {n} more",
        "infeasible": "No feasible plan: these hard rules cannot all hold",
        "no_group": "The conflict lies outside the switchable groups (calendar, blackouts, horizon, round order)",
        "feasible": "All hard rules can hold together",
        "unknown": "Could not decide within the time limit whether the hard rules can all hold",
        "relax": "Smallest relaxation that makes a plan possible (all of):",
        "relax_unproven": "Relaxation found in the time limit (all of; not proven smallest):",
        "no_core": "The conflicting groups were not found in the time limit; the relaxation below is proven needed",
        "no_relax": "No relaxation found within the time limit",
        "relax_useless": "No number of drafted cadres, leaders or rounds, nor moving units beyond the term, makes a plan",
        "command": "The pools and the rounds per year are one setting for the whole term; with the largest year's need:",
        "command_moved": "(units moved beyond the term are not a setting: change the table of units)",
    },
}


def staffing_figures(scenario: Scenario, committee: Committee = CITY) -> dict[str, int]:
    """What sending every team at once in a regular round takes, against the staff there is."""
    teams = scenario.teams_of(committee)
    policy = scenario.policy(committee)
    size = policy.min_team_size.for_kind(Kind.REGULAR)
    return {
        "n": len(teams),
        "need": sum(max(size, t.filled + (not t.has_leader)) for t in teams),
        "filled": sum(t.filled for t in teams),
        "pool": policy.staff.drafted_pool,
        "leaderless": sum(not t.has_leader for t in teams),
        "leader_pool": policy.staff.leader_pool,
        "lent": policy.lent,
    }


def _names(names: list[str], text: dict[str, str], shown: int = 10) -> str:
    listed = text["sep"].join(names[:shown])
    return listed + (text["more"].format(n=len(names) - shown) if len(names) > shown else "")


def expected_violations(violations: list[Violation], left_out: list[str]) -> tuple[list[Violation], list[Violation]]:
    """Split the checker's findings: coverage of the targets left out on purpose, and the rest."""
    gaps = [v for v in violations if v.rule == "coverage" and v.targets and set(v.targets) <= set(left_out)]
    return gaps, [v for v in violations if v not in gaps]


def _key_figures(group: Relaxable, key: str, scenario: Scenario) -> dict[str, str]:
    """What a group's key names, for its wording: the year, or the decision in the office's words."""
    if group.key == "decision":
        return {"decision": decision_text(scenario.fixed[int(key)], scenario)}
    return {group.key: key}


def describe(explanation: Explanation, scenario: Scenario, lang: str = "zh", committee: Committee = CITY) -> list[str]:
    """The explanation as lines for the office, in ``lang`` (zh or en)."""
    text = TEXT[lang]
    names = {t.id: (t.name if lang == "zh" else t.id) for t in scenario.targets}
    staff = staffing_figures(scenario, committee)
    exchange = text["exchange"].format(lent=staff["lent"]) if staff["lent"] else ""
    most = scenario.policy(committee).rounds.regular.rounds_per_year_max
    status = explanation.status
    lines = [text["infeasible" if status == SolveStatus.INFEASIBLE else "feasible" if status.has_plan else "unknown"]]
    # A group keyed by target is listed on one line; the others have a line each.
    uncovered = [names[f.key] for f in explanation.conflict if RELAXABLE[f.rule].key == "target"]
    count = explanation.count
    if count is not None:
        lines.append("  - " + text["count"].format(
            pool=staff["pool"], exchange=exchange, leader_pool=staff["leader_pool"], available=count.available, needed=count.needed,
            deficit=count.deficit, teams_out=count.teams_out, rounds=count.rounds, most=most, whole=count.whole,
            others=count.others, effort=count.effort, per_team=count.per_team, max_effort=count.max_effort))
    for f in explanation.conflict:
        group = RELAXABLE[f.rule]
        if group.key != "target":
            lines.append("  - " + text[group.conflict].format(
                **_key_figures(group, f.key, scenario), exchange=exchange, most=most, **staff))
    if uncovered:
        lines.append("  - " + text[RELAXABLE[Relax.COVERAGE].conflict].format(names=_names(uncovered, text)))
    if explanation.conflict and all(f.rule == Relax.FIXED for f in explanation.conflict):
        lines.append("  " + text["fixed_only"])
    if status == SolveStatus.INFEASIBLE and not explanation.conflict and count is None:
        lines.append("  - " + text["no_group" if not explanation.relaxations else "no_core"])
    if status.has_plan:
        return lines
    if not explanation.relaxations:
        if status != SolveStatus.INFEASIBLE:
            return lines
        return lines + [text["relax_useless" if explanation.relaxation_status == SolveStatus.INFEASIBLE else "no_relax"]]
    return lines + relaxation_lines(explanation.relaxations, explanation.relaxation_status, scenario, committee, lang)


def relaxation_lines(relaxations: tuple[GroupFinding, ...], status: SolveStatus, scenario: Scenario,
                     committee: Committee = CITY, lang: str = "zh") -> list[str]:
    """The relaxation found (proven smallest when ``status`` is OPTIMAL), one line each, and the
    ``xuncha plan`` line with its settings."""
    text = TEXT[lang]
    names = {t.id: (t.name if lang == "zh" else t.id) for t in scenario.targets}
    staff = staffing_figures(scenario, committee)
    most = scenario.policy(committee).rounds.regular.rounds_per_year_max
    lines = [text["relax_unproven" if status != SolveStatus.OPTIMAL else "relax"]]
    moved = []
    for f in relaxations:
        year, name = f.key, f.slack
        if name == "drafted":
            lines.append("  - " + text["drafted"].format(year=year, amount=f.amount, pool=staff["pool"],
                                                         new=staff["pool"] + f.amount))
        elif name == "leaders":
            lines.append("  - " + text["leaders"].format(year=year, amount=f.amount, pool=staff["leader_pool"],
                                                         new=staff["leader_pool"] + f.amount))
        elif name == "rounds":
            lines.append("  - " + text["more_rounds"].format(year=year, amount=f.amount, most=most, new=most + f.amount))
        elif name == DROPPED:
            lines.append("  - " + text["dropped"].format(decision=decision_text(scenario.fixed[int(year)], scenario)))
        elif name == UNCOVERED:
            moved.append(names[f.key])
    if moved:
        lines.append("  - " + text["uncovered"].format(names=_names(moved, text)))
    settings = relaxed_settings(relaxations, scenario, committee)
    if settings:
        lines.append(text["command"])
        lines.append("  " + plan_command(settings, committee, scenario.source))
        if moved:
            lines.append("  " + text["command_moved"])
    return lines


def _setting_prefix(committee: Committee) -> str:
    """Where a committee's pools and round policy are set: the city's own keys, or its county's block."""
    return "" if committee == CITY else f"counties_policy.{committee.county}."


def relaxed_settings(relaxations: tuple[GroupFinding, ...], scenario: Scenario, committee: Committee = CITY
                     ) -> dict[str, int]:
    """The relaxation as ``--set`` values: each pool and the rounds per year are one value for the
    whole term, so each takes its largest year's need."""
    policy = scenario.policy(committee)
    prefix = _setting_prefix(committee)
    staff = "staff.city." if committee == CITY else "staff."
    current = {"drafted": (f"{prefix}{staff}drafted_pool", policy.staff.drafted_pool),
               "leaders": (f"{prefix}{staff}leader_pool", policy.staff.leader_pool),
               "rounds": (f"{prefix}rounds.regular.rounds_per_year_max", policy.rounds.regular.rounds_per_year_max)}
    wanted: dict[str, int] = {}
    for f in relaxations:
        if f.slack in current:
            key, now = current[f.slack]
            wanted[key] = max(wanted.get(key, now), now + f.amount)
    return wanted


def plan_command(settings: dict[str, int], committee: Committee = CITY, source: str = "") -> str:
    """A ready-to-run ``xuncha plan`` line with these settings (``source``: the scenario folder,
    named unless it is the bundled one)."""
    folder = f" {shlex.quote(source)}" if source and Path(source).resolve() != bundled_scenario_path().resolve() else ""
    where = "" if committee == CITY else f" --level county --county {committee.county}"
    return "xuncha plan" + folder + where + "".join(f" --set {key}={value}" for key, value in settings.items())
