"""Avoidance (回避)."""

from __future__ import annotations

from constraints.views import Draft, EarlierRound
from planner.model import PlanModel
from planner.tables import Team


def add_avoidance(m: PlanModel) -> None:
    """Hard: no team inspects a unit it has ties to (回避), and no team goes
    twice to the same unit (a follow-up is done by a different team).

    x[i,k,t] = 0 for t in avoid_teams(i);
    for each target i and team t: sum_k x[i,k,t] <= 1 over all rounds k.
    """
    for i, target in enumerate(m.data.targets):
        by_team: dict[int, list] = {}
        for _k, t, v in m.x_of_target.get(i, []):
            if m.data.teams[t].id in target.avoid_teams:
                m.cp.add(v == 0)
            by_team.setdefault(t, []).append(v)
        if target.follow_up:
            for literals in by_team.values():
                m.cp.add_at_most_one(literals)


def avoidance_allows(draft: Draft, t: int, members: list[int], i: int) -> bool:
    """Greedy guard: unit ``i`` does not avoid team ``t``."""
    return draft.data.teams[t].id not in draft.data.targets[i].avoid_teams


def team_avoided(round_: EarlierRound, team: Team | None) -> str | None:
    """Why-fact: the unit must avoid the team, whatever the round."""
    return f"{team.name}须回避本单位" if team is not None and team.id in round_.target.avoid_teams else None
