"""Why is this unit in this round? What holds it there, and what moving it one round earlier costs.

The plan is read from its directory. The round before the unit's regular
round is read off the table (which teams went out, how full they were, whom
they must avoid); then the plan is solved again, started from itself, with
the unit pinned one regular round earlier, and the objective and each soft
rule's weighted penalty are compared with the plan's own, or with a better
plan found by solving the plan again. The two solves share one time limit.
The unit may be named by its 编号 or its full name; a name that matches no
unit gets the closest names as suggestions.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

import pandas as pd

from constraints.views import EarlierRound
from planner.decide import Proven, Verdict, compare
from planner.export import OBJECTIVE_NOTE, RULE_LABELS, STATUS_LABELS, solution_frame
from planner.build import build_model
from planner.model import PlanModel
from planner.plan import PlanDir, read_plan
from planner.rules import WHY_FACTS
from planner.scenario import Scenario
from planner.score import regular_positions
from planner.solution import Solution
from planner.solve import SolveSettings, solve
from planner.status import SolveStatus
from planner.tables import Target
from planner.vocabulary import CITY, KIND_LABELS, Committee, Kind
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
    status: SolveStatus | None  # of the re-solve (None when there is no earlier round)
    objective_before: float | None
    objective_after: float | None
    costs: tuple[RuleCost, ...]
    moved: Solution | None = None  # the plan with the unit one round earlier
    reference_resolved: bool = False  # the cost is measured against a re-solved, better plan
    verdict: Verdict | None = None  # whether the cost is proven (the bounds separate the two plans)
    settle_seconds: float = 0.0  # solved on to decide the cost
    settle_budget: float = 0.0

    @property
    def cost(self) -> float | None:
        if self.objective_before is None or self.objective_after is None:
            return None
        return self.objective_after - self.objective_before


def _round_facts(scenario: Scenario, committee: Committee, frame: pd.DataFrame, target: Target,
                 number: int) -> list[str]:
    """Why the unit is not already in round ``number``, as far as the table shows: the rules'
    why-facts about the round, then for each team the first that has one."""
    seen = EarlierRound(number, frame[frame["round"] == number], target, scenario.policy(committee).rounds,
                        {t.id: t.effort for t in scenario.targets})
    facts = [fact for why in WHY_FACTS if (fact := why(seen, None))]
    for team in scenario.teams_of(committee):
        fact = next((fact for why in WHY_FACTS if (fact := why(seen, team))), None)
        if fact:
            facts.append(fact)
    return facts


@dataclass(frozen=True)
class _Reference:
    """The plan a move is measured against: objective, raw penalties, weights, parts."""

    objective: float | None
    penalties: dict[str, int]
    weights: dict[str, int]
    parts: dict[str, dict[str, int]]
    resolved: bool  # True when re-solving the plan found a better one than the file's
    bound: float | None = None  # proven: no plan scores below it
    frame: pd.DataFrame | None = None  # the plan's table


def _reference(plan: PlanDir, scenario: Scenario, committee: Committee, settings: SolveSettings) -> _Reference:
    """The plan as written, or a better one found by re-solving it for the same time.

    A move measured against a plan that is not optimal could look like a gain.
    """
    meta = plan.meta
    bound = max(0.0, meta.get("best_bound") or 0.0)
    written = _Reference(meta.get("objective"), meta.get("penalties", {}), meta.get("weights", {}),
                         meta.get("penalty_parts", {}), False, bound, plan.assignments)
    again = solve(build_model(scenario, committee), settings, start=plan.assignments)
    if again.has_plan:
        bound = max(bound, again.best_bound)
    if again.has_plan and (written.objective is None or again.objective < written.objective):
        return _Reference(again.objective, again.penalties, again.weights, again.penalty_parts, True, bound,
                          solution_frame(again, scenario))
    return dataclasses.replace(written, bound=bound)


def _rule_costs(reference: _Reference, solution: Solution, label: Callable[[str], str]) -> tuple[RuleCost, ...]:
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
        costs.append(RuleCost(rule, b, a, tuple((label(name), change) for name, change in changes[:6] if change)))
    return tuple(sorted(costs, key=lambda c: c.before - c.after))


def find_target(scenario: Scenario, text: str, committee: Committee = CITY) -> Target:
    """The committee's unit named ``text`` (its 编号 or full name); ValueError with suggestions if none."""
    targets = scenario.targets_of(committee)
    found = next((t for t in targets if text in (t.id, t.name)), None)
    if found is not None:
        return found
    names = {t.name: t for t in targets}
    close = [n for n in names if text and text in n][:5] or get_close_matches(text, list(names), n=5, cutoff=0.4)
    hint = f"; 是否要找: {'、'.join(f'{n} ({names[n].id})' for n in close)}" if close else ""
    raise ValueError(f"{scenario.policy(committee).committee}的巡察对象中没有编号或名称为 '{text}' 的单位{hint}")


def part_namer(model: PlanModel, scenario: Scenario, frame: pd.DataFrame) -> Callable[[str], str]:
    """Names of penalty parts as the office says them, with the round numbers of the plan ``frame``.

    Parts are named by the model: a unit's 编号, a round slot ('regular#4'),
    a slot and team ('regular#4/C5'), a theme or a year. Slots of a kind are
    used in start order, so the n-th slot of a kind is the plan's n-th round of it.
    """
    numbers = {kind: sorted(frame.loc[frame["kind"] == kind.value, "round"].unique()) for kind in Kind}
    themes = dict(zip(frame.loc[frame["kind"] == Kind.SPECIAL.value, "target_name"],
                      frame.loc[frame["kind"] == Kind.SPECIAL.value, "round"]))
    targets = {t.id: t.name for t in scenario.targets}
    teams = {t.id: t.name for t in scenario.teams}

    def round_of(label: str) -> str:
        slot = next(s for s in model.slots if s.label == label)
        if slot.kind == Kind.SPECIAL:
            number = themes.get(slot.theme)
            return f"第{number}轮 ({slot.theme})" if number else slot.theme
        ordinal = model.slots_of(slot.kind).index(slot)
        rounds = numbers[slot.kind]
        return f"第{rounds[ordinal]}轮" if ordinal < len(rounds) else f"未启用的{KIND_LABELS[slot.kind]}轮次"

    def name(part: str) -> str:
        slot = re.fullmatch(r"(\w+#\d+)(?:/(.+))?", part)
        if slot:
            team = slot.group(2)
            return round_of(slot.group(1)) + (f" {teams.get(team, team)}" if team else "")
        if part in targets:
            return targets[part]
        return f"{part}年" if part.isdigit() else part

    return name


def why(scenario: Scenario, plan_dir: Path, target: str, settings: SolveSettings,
        committee: Committee = CITY, settle_budget: float | None = None) -> Why:
    """What holds ``target`` (编号 or name) in its regular round, and the cost of one round earlier.

    While the bounds do not prove the cost, the two are solved on for up to
    ``settle_budget`` seconds (default: twice the time limit); ``verdict`` says what is proven.

    The cost is measured against the plan, or against a better plan found by
    re-solving it; the two solves share ``settings.time_limit``: a third to
    re-solve the plan, the rest (what is left) to plan the move, the harder task.
    Raises ValueError when the plan has no regular round for that unit.
    """
    started = time.monotonic()
    plan = read_plan(plan_dir)
    frame = plan.assignments[plan.assignments["county"] == committee.county]
    found = find_target(scenario, target, committee)
    targets = {t.id: i for i, t in enumerate(scenario.targets_of(committee))}
    mine = frame[(frame["target"] == found.id) & (frame["kind"] == Kind.REGULAR.value)]
    if mine.empty:
        raise ValueError(f"方案中没有 {found.name} ({found.id}) 的常规巡察 (未覆盖)")
    index = targets[found.id]
    number = int(mine["round"].iloc[0])
    regular = sorted(frame.loc[frame["kind"] == Kind.REGULAR.value, "round"].unique())
    position = regular.index(number)
    if position == 0:
        return Why(found, number, None, (), None, plan.meta.get("objective"), None, ())
    earlier = int(regular[position - 1])
    facts = tuple(_round_facts(scenario, committee, frame, found, earlier))
    first = dataclasses.replace(settings, time_limit=max(1.0, settings.time_limit / 3))
    reference = _reference(plan, scenario, committee, first)
    rounds = [[r for r in frame.itertuples() if r.round == n] for n in regular]

    def moved_model() -> PlanModel:
        model = build_model(scenario, committee)
        # The slot the earlier round holds: its year and its place in the year, as risk-first ranks it.
        ranks = regular_positions(rounds, model.data.grid, model.data.round_policy(Kind.REGULAR).rounds_per_year_max)
        model.cp.add(model.target_round_rank(index) == ranks[position - 1])
        return model

    model = moved_model()
    left = settings.time_limit - (time.monotonic() - started)
    solution = solve(model, dataclasses.replace(settings, time_limit=max(1.0, left)), start=frame)
    if not solution.has_plan:
        return Why(found, number, earlier, facts, solution.status, reference.objective, None, (),
                   reference_resolved=reference.resolved)
    budget = 2 * settings.time_limit if settle_budget is None else settle_budget
    reference, solution, spent = _settle(scenario, committee, settings, reference, solution, moved_model, budget)
    verdict = None
    if reference.objective is not None and reference.bound is not None:
        verdict = compare(Proven(reference.objective, reference.bound), Proven(solution.objective, solution.best_bound))
    namer = part_namer(model, scenario, solution_frame(solution, scenario))
    return Why(found, number, earlier, facts, solution.status, reference.objective, solution.objective,
               _rule_costs(reference, solution, namer), solution, reference.resolved, verdict, spent, budget)


def _settle(scenario: Scenario, committee: Committee, settings: SolveSettings, reference: _Reference,
            moved: Solution, moved_model: Callable[[], PlanModel], budget: float) -> tuple[_Reference, Solution, float]:
    """Solve on while the bounds do not prove the cost: each time the side (the plan, or the plan with
    the unit moved) whose range is wider, from its best plan, until proven or ``budget`` seconds are spent."""
    spent = 0.0
    while spent < budget - 1 and reference.objective is not None and reference.bound is not None:
        before, after = Proven(reference.objective, reference.bound), Proven(moved.objective, moved.best_bound)
        if compare(before, after).proven or max(before.uncertainty, after.uncertainty) == 0:
            break
        limit = dataclasses.replace(settings, time_limit=min(settings.time_limit, budget - spent))
        started = time.monotonic()
        if after.uncertainty >= before.uncertainty:
            again = solve(moved_model(), limit, start=solution_frame(moved, scenario))
            if again.has_plan:
                bound = max(moved.best_bound, again.best_bound)
                moved = dataclasses.replace(again if again.objective < moved.objective else moved, best_bound=bound)
        else:
            again = solve(build_model(scenario, committee), limit, start=reference.frame)
            if again.has_plan:
                bound = max(reference.bound, again.best_bound)
                if again.objective < reference.objective:
                    reference = _Reference(again.objective, again.penalties, again.weights, again.penalty_parts,
                                           True, bound, solution_frame(again, scenario))
                else:
                    reference = dataclasses.replace(reference, bound=bound)
        spent += time.monotonic() - started
    return reference, moved, spent


def describe_why(found: Why) -> list[str]:
    """The answer as lines for the office, in Chinese."""
    t = found.target
    lines = [f"{t.name} ({t.id}) 在第{found.round}轮 (常规巡察)。"]
    if found.earlier is None:
        return lines + ["它已在第一轮常规巡察, 不能再提前。"]
    lines.append(f"提前到第{found.earlier}轮时, 原方案中:")
    lines += [f"  - {fact}" for fact in found.held_by] or ["  - 该轮尚有空位, 提前受其他轮次安排牵动"]
    if found.objective_after is None and found.status == SolveStatus.INFEASIBLE:
        return lines + ["提前一轮后无法排出方案: 已证明硬性规则不允许。"]
    if found.objective_after is None:
        return lines + ["在时限内没有找到把它提前一轮的方案 (未证明不可行); 可加大 --time-limit 重试。"]
    cost = found.cost
    if found.reference_resolved:
        lines.append(f"原方案未达最优; 以重新求解得到的更好方案 (目标值 {found.objective_before:.0f}) 为基准。")
    lines.append(f"提前一轮后重新求解 ({STATUS_LABELS[found.status]}): 目标值 "
                 f"{found.objective_before:.0f} → {found.objective_after:.0f} ({OBJECTIVE_NOTE}), 代价 {cost:+.0f}")
    if cost < 0:
        lines.append("  (代价为负: 基准方案仍未达最优, 可加大 --time-limit 重算)")
    if found.verdict is not None:
        spent = f"; 为此继续求解了 {found.settle_seconds:.0f} 秒 (上限 {found.settle_budget:.0f} 秒)" \
            if found.settle_seconds else ""
        lines.append(f"代价是否已证明: {found.verdict.text()}{spent}。")
    for c in found.costs:
        lines.append(f"  - {RULE_LABELS.get(c.rule, c.rule)}: {c.before} → {c.after} ({c.after - c.before:+d})")
        lines += [f"      {name}: {change:+d}" for name, change in c.objects]
    return lines
