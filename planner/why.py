"""Why is this unit in this round? What holds it there, and what moving it one round earlier costs.

The plan is read from its directory. The round before the unit's regular
round is read off the table (which teams went out, how full they were, whom
they must avoid); then the plan is solved again, started from itself, with
the unit pinned one regular round earlier, and the objective and each soft
rule's weighted penalty are compared with the plan's own, or with a better
plan found by solving the plan again for the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.export import RULE_LABELS, STATUS_LABELS
from planner.model import build_model
from planner.plan import PlanDir, read_plan
from planner.scenario import CITY, Committee, Kind, Scenario, Target
from planner.score import regular_positions
from planner.solution import Solution
from planner.solve import SolveSettings, solve
from planner.whatif import weighted_penalties


@dataclass(frozen=True)
class RuleCost:
    rule: str
    before: int  # weighted penalty in the plan
    after: int  # weighted penalty with the unit one round earlier
    objects: tuple[tuple[str, int], ...]  # the objects whose penalty changed most, with the change


@dataclass(frozen=True)
class Why:
    target: Target
    round: int  # the unit's round number in the plan
    earlier: int | None  # the regular round before it, if any
    held_by: tuple[str, ...]  # what the table shows about the earlier round
    status: str  # of the re-solve ("" when there is no earlier round)
    objective_before: float | None
    objective_after: float | None
    costs: tuple[RuleCost, ...]
    moved: Solution | None = None  # the plan with the unit one round earlier
    reference_resolved: bool = False  # the cost is measured against a re-solved, better plan

    @property
    def cost(self) -> float | None:
        if self.objective_before is None or self.objective_after is None:
            return None
        return self.objective_after - self.objective_before


def _round_facts(scenario: Scenario, committee: Committee, frame: pd.DataFrame, target: Target,
                 number: int) -> list[str]:
    """Why the unit is not already in round ``number``, as far as the table shows."""
    rounds = scenario.policy(committee).rounds
    policy = rounds.regular
    rows = frame[frame["round"] == number]
    efforts = {t.id: t.effort for t in scenario.targets}
    facts = []
    weeks = (rows["onsite_end"].max() - rows["onsite_start"].min()).days // 7 + 1
    need = policy.onsite_weeks_for(target.category)
    if need > weeks:
        facts.append(f"第{number}轮进驻{weeks}周, 本单位需要{need}周 (整轮须延长, 与前后轮次、禁止进驻时段相碰)")
    out = set(rows["team"])
    for team in scenario.teams_of(committee):
        if team.id in target.avoid_teams:
            facts.append(f"{team.name}须回避本单位")
        elif team.id not in out:
            facts.append(f"{team.name}未参加第{number}轮 (人员、组长或上一轮任务所限)")
        else:
            mine = rows[rows["team"] == team.id]
            load = sum(efforts.get(t, 0) for t in mine["target"])
            if load + target.effort > rounds.max_effort_per_team or len(mine) >= rounds.max_units_per_team:
                facts.append(f"{team.name}在第{number}轮已有{len(mine)}个单位、工作量{load}, "
                             f"再加本单位 (工作量{target.effort}) 超过每组上限 "
                             f"({rounds.max_units_per_team}个单位、工作量{rounds.max_effort_per_team})")
    return facts


@dataclass(frozen=True)
class _Reference:
    """The plan a move is measured against: objective, raw penalties, weights, parts."""

    objective: float | None
    penalties: dict[str, int]
    weights: dict[str, int]
    parts: dict[str, dict[str, int]]
    resolved: bool  # True when re-solving the plan found a better one than the file's


def _reference(plan: PlanDir, scenario: Scenario, committee: Committee, settings: SolveSettings) -> _Reference:
    """The plan as written, or a better one found by re-solving it for the same time.

    A move measured against a plan that is not optimal could look like a gain.
    """
    meta = plan.meta
    written = _Reference(meta.get("objective"), meta.get("penalties", {}), meta.get("weights", {}),
                         meta.get("penalty_parts", {}), False)
    again = solve(build_model(scenario, committee), settings, start=plan.assignments)
    if again.has_plan and (written.objective is None or again.objective < written.objective):
        return _Reference(again.objective, again.penalties, again.weights, again.penalty_parts, True)
    return written


def _rule_costs(reference: _Reference, solution: Solution) -> tuple[RuleCost, ...]:
    before = weighted_penalties(reference.penalties, reference.weights)
    after = weighted_penalties(solution.penalties, solution.weights)
    costs = []
    for rule in dict.fromkeys([*before, *after]):
        b, a = before.get(rule, 0), after.get(rule, 0)
        if a == b:
            continue
        weight = solution.weights.get(rule, 1)
        old, new = reference.parts.get(rule, {}), solution.penalty_parts.get(rule, {})
        changes = sorted(((name, (new.get(name, 0) - old.get(name, 0)) * weight) for name in new.keys() | old.keys()),
                         key=lambda item: (-abs(item[1]), item[0]))
        costs.append(RuleCost(rule, b, a, tuple((name, change) for name, change in changes[:6] if change)))
    return tuple(sorted(costs, key=lambda c: c.before - c.after))


def why(scenario: Scenario, plan_dir: Path, target_id: str, settings: SolveSettings,
        committee: Committee = CITY) -> Why:
    """What holds ``target_id`` in its regular round, and the cost of one round earlier.

    The cost is measured against the plan, or against a better plan found by
    re-solving it for the same time (so this takes up to twice ``settings.time_limit``).
    Raises ValueError when the plan has no regular round for that unit.
    """
    plan = read_plan(plan_dir)
    frame = plan.assignments[plan.assignments["county"] == committee.county]
    targets = {t.id: (i, t) for i, t in enumerate(scenario.targets_of(committee))}
    mine = frame[(frame["target"] == target_id) & (frame["kind"] == Kind.REGULAR.value)]
    if target_id not in targets or mine.empty:
        raise ValueError(f"方案中没有巡察对象 '{target_id}' 的常规巡察")
    index, target = targets[target_id]
    number = int(mine["round"].iloc[0])
    regular = sorted(frame.loc[frame["kind"] == Kind.REGULAR.value, "round"].unique())
    position = regular.index(number)
    if position == 0:
        return Why(target, number, None, (), "", plan.meta.get("objective"), None, ())
    earlier = int(regular[position - 1])
    facts = tuple(_round_facts(scenario, committee, frame, target, earlier))
    reference = _reference(plan, scenario, committee, settings)
    model = build_model(scenario, committee)
    # The slot the earlier round holds: its year and its place in the year, as risk-first ranks it.
    rounds = [[r for r in frame.itertuples() if r.round == n] for n in regular]
    ranks = regular_positions(rounds, model.data.grid, model.data.round_policy(Kind.REGULAR).rounds_per_year_max)
    model.cp.add(model.target_round_rank(index) == ranks[position - 1])
    solution = solve(model, settings, start=frame)
    if not solution.has_plan:
        return Why(target, number, earlier, facts, solution.status, reference.objective, None, (),
                   reference_resolved=reference.resolved)
    return Why(target, number, earlier, facts, solution.status, reference.objective, solution.objective,
               _rule_costs(reference, solution), solution, reference.resolved)


def describe_why(found: Why) -> list[str]:
    """The answer as lines for the office, in Chinese."""
    t = found.target
    lines = [f"{t.name} ({t.id}) 在第{found.round}轮 (常规巡察)。"]
    if found.earlier is None:
        return lines + ["它已在第一轮常规巡察, 不能再提前。"]
    lines.append(f"提前到第{found.earlier}轮时, 原方案中:")
    lines += [f"  - {fact}" for fact in found.held_by] or ["  - 该轮尚有空位, 提前受其他轮次安排牵动"]
    if found.objective_after is None:
        return lines + [f"提前一轮后无法排出方案 ({STATUS_LABELS.get(found.status, found.status)}): 硬性规则不允许。"]
    cost = found.cost
    if found.reference_resolved:
        lines.append(f"原方案未达最优; 以同样时限重排得到的更好方案 (目标值 {found.objective_before:.0f}) 为基准。")
    lines.append(f"提前一轮后重新求解 ({STATUS_LABELS.get(found.status, found.status)}): 目标值 "
                 f"{found.objective_before:.0f} → {found.objective_after:.0f}, 代价 {cost:+.0f}")
    if cost < 0:
        lines.append("  (代价为负: 基准方案仍未达最优, 可加大 --time-limit 重算)")
    for c in found.costs:
        lines.append(f"  - {RULE_LABELS.get(c.rule, c.rule)}: {c.before} → {c.after} ({c.after - c.before:+d})")
        lines += [f"      {name}: {change:+d}" for name, change in c.objects]
    return lines
