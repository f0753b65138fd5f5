"""Staff: a leader and the minimum working size, drafted cadres within the pools."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import PlanModel


def add_staffing(m: PlanModel) -> None:
    """Hard: a team goes out only with a leader (组长: permanent, or drafted from
    the leader pool 组长库) and at least its minimum working size, counting
    filled posts plus drafted cadres (抽调干部); drafted cadres in one round
    never exceed the pool. Vacant posts are not people.

    Team t needs d[t,kind] = max(0, min_size[kind] - filled[t] - (no leader[t]))
    drafted cadres, so for each round k:
      sum_{t without leader} used[k,t] <= leader_pool,
      sum_t d[t,kind_k] * used[k,t] <= drafted_pool,
      filled[t] + (no leader[t]) > max_size[kind_k]  =>  used[k,t] = 0.
    """
    staff, sizes = m.data.staff, m.data.scenario.staff.max_team_size
    for slot in m.slots:
        k = slot.index
        leaderless = [m.used[k, t] for t, team in enumerate(m.data.teams) if not team.has_leader]
        if leaderless:
            m.cp.add(sum(leaderless) <= staff.leader_pool)
        m.cp.add(
            sum(m.data.need_drafted(team, slot.kind) * m.used[k, t] for t, team in enumerate(m.data.teams))
            <= staff.drafted_pool
        )
        for t, team in enumerate(m.data.teams):
            if team.filled + (not team.has_leader) > sizes.for_kind(slot.kind):
                m.cp.add(m.used[k, t] == 0)
