"""Capacity: 1-3 units per team and round, bounded by effort."""

from __future__ import annotations

from constraints.views import Draft, EarlierRound
from planner.model import PlanModel
from planner.tables import Team
from planner.vocabulary import Kind


def add_team_capacity(m: PlanModel) -> None:
    """Hard: in a regular (or follow-up) round a team that goes out covers 1 to
    ``max_units_per_team`` units whose summed effort stays within
    ``max_effort_per_team``; a unit of a ``whole_team_categories`` category (a
    county, or a town with its villages) takes the whole team (整组巡察).
    Villages riding with their town (巡镇带村) are part of the town's work.

    For each round k (not special) and team t:
      x[i,k,t] => used[k,t],
      used[k,t] <= sum_i x[i,k,t],
      sum_i c_i * x[i,k,t] <= max_units * used[k,t],
      sum_i e_i * x[i,k,t] <= max_effort * used[k,t],
      x[w,k,t] => sum_{i != w} x[i,k,t] = 0  for w of a whole-team category,
    with c_i = 1 and e_i = effort_i, except c_w = max_units and e_w = max(effort_w,
    max_effort) for a whole-team unit w: it fills its team's round, and saying so in
    the sums (not only in the implication) lets the bound see a team-round per such unit.
    """
    rounds = m.data.policy.rounds
    whole = {i for i, target in enumerate(m.data.targets) if target.category in rounds.whole_team_categories}
    units_of = {i: rounds.max_units_per_team if i in whole else 1 for i in range(len(m.data.targets))}
    effort_of = {i: max(target.effort, rounds.max_effort_per_team) if i in whole else target.effort
                 for i, target in enumerate(m.data.targets)}
    for slot in m.slots:
        if slot.kind == Kind.SPECIAL:
            continue
        for t in range(len(m.data.teams)):
            used, pairs = m.used[slot.index, t], m.in_round(slot.index, t)
            for _, v in pairs:
                m.cp.add_implication(v, used)
            count = sum(v for _, v in pairs)
            m.cp.add(count >= used)
            m.cp.add(sum(units_of[i] * v for i, v in pairs) <= rounds.max_units_per_team * used)
            m.cp.add(sum(effort_of[i] * v for i, v in pairs) <= rounds.max_effort_per_team * used)
            for i, v in pairs:
                if i in whole:
                    m.cp.add(count == 1).only_enforce_if(v)


def capacity_allows(draft: Draft, t: int, members: list[int], i: int) -> bool:
    """Greedy guard: unit ``i`` fits beside ``members`` in a team's round (a whole-team unit goes alone)."""
    rounds = draft.data.policy.rounds
    alone = bool(members) and (draft.whole_team(i) or any(draft.whole_team(j) for j in members))
    return (not alone and len(members) < rounds.max_units_per_team
            and draft.effort(members) + draft.data.targets[i].effort <= rounds.max_effort_per_team)


def team_full(round_: EarlierRound, team: Team | None) -> str | None:
    """Why-fact: a team that went out had no room left for the unit."""
    if team is None or team.id not in round_.out:
        return None
    rounds, target, number = round_.rounds, round_.target, round_.number
    mine = round_.rows[round_.rows["team"] == team.id]
    load = sum(round_.efforts.get(t, 0) for t in mine["target"])
    if load + target.effort > rounds.max_effort_per_team or len(mine) >= rounds.max_units_per_team:
        return (f"{team.name}在第{number}轮已有{len(mine)}个单位、工作量{load}, "
                f"再加本单位 (工作量{target.effort}) 超过每组上限 "
                f"({rounds.max_units_per_team}个单位、工作量{rounds.max_effort_per_team})")
    return None
