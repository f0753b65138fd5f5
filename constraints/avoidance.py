"""Avoidance (回避)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import PlanModel


def add_avoidance(m: PlanModel) -> None:
    """Hard: no team inspects a unit it has ties to (回避), and no team goes
    twice to the same unit (a follow-up is done by a different team).

    x[i,k,t] = 0 for t in avoid_teams(i);
    for each target i and team t: sum_k x[i,k,t] <= 1 over all rounds k.
    """
    team_index = {team.id: t for t, team in enumerate(m.data.teams)}
    for (i, _k, t), v in m.x.items():
        if m.data.teams[t].id in m.data.targets[i].avoid_teams:
            m.cp.add(v == 0)
    for i, target in enumerate(m.data.targets):
        if not target.follow_up:
            continue
        for t in team_index.values():
            m.cp.add_at_most_one(v for (ii, _k, tt), v in m.x.items() if ii == i and tt == t)
