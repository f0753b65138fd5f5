"""Staff: a leader and the minimum working size, drafted cadres within the pools."""

from __future__ import annotations

from constraints.executed_rounds import pinned_slots
from constraints.views import EarlierRound
from planner.model import PlanModel
from planner.model_types import Relax
from planner.tables import Team


def add_staffing(m: PlanModel) -> None:
    """Hard: a team goes out only with a leader (组长: permanent, or drafted from
    the leader pool 组长库) and at least its minimum working size, counting
    filled posts plus drafted cadres (抽调干部); drafted cadres in one round
    never exceed the pool. Vacant posts are not people. With staff exchange (上派下挂) a
    regular round lends e cadres to the other level, which the pool gives up during it: the
    city e_up per county, a county e_down (they join the other level's round on top of its
    team's size).

    Team t needs d[t,kind] = max(0, min_size[kind] - filled[t] - (no leader[t]))
    drafted cadres, so for each round k:
      sum_{t without leader} used[k,t] <= leader_pool,
      sum_t d[t,kind_k] * used[k,t] <= drafted_pool - lent[kind_k],
      filled[t] + (no leader[t]) > max_size[kind_k]  =>  used[k,t] = 0.
    Switchable per year (Relax.STAFFING): in rounds starting in year y the
    pools grow by slacks a_y (leaders) and b_y (drafted cadres).
    Executed rounds (re-planning) went out with the staff of their day and
    are not held to today's pools.
    """
    staff, policy, teams = m.data.staff, m.data.policy, m.data.teams
    slacks = _pool_slacks(m)
    executed = pinned_slots(m)
    for slot in m.slots:
        k = slot.index
        if k in executed:
            continue
        leaderless = round_leaderless(m, k)
        drafted = round_drafted(m, k)
        if slacks is None:
            limits = [([], {"leaders": 0, "drafted": 0})]
        else:
            limits = [([flag], slacks[year]) for year, flag in m.year_flags(slot).items()]
        for when, more in limits:
            if leaderless:
                m.cp.add(sum(leaderless) <= staff.leader_pool + more["leaders"]).only_enforce_if(when)
            m.cp.add(drafted <= policy.drafted_pool_for(slot.kind) + more["drafted"]).only_enforce_if(when)
        for t, team in enumerate(teams):
            if policy.too_large(team, slot.kind):
                m.cp.add(m.used[k, t] == 0)


def round_leaderless(m: PlanModel, k: int) -> list:
    """used[k,t] of the teams without a leader of their own: each takes one from the leader pool."""
    return [m.used[k, t] for t, team in enumerate(m.data.teams) if not team.has_leader]


def round_drafted(m: PlanModel, k: int):
    """sum_t d[t,kind_k] * used[k,t]: the drafted cadres round ``k`` takes from the pool."""
    kind = m.slots[k].kind
    return sum(m.data.need_drafted(team, kind) * m.used[k, t] for t, team in enumerate(m.data.teams))


def _pool_slacks(m: PlanModel) -> dict[int, dict] | None:
    """Year -> slacks of the leader and drafted pools, when staffing is switchable."""
    if Relax.STAFFING not in m.relax:
        return None
    n = len(m.data.teams)
    most = n * m.data.policy.max_team_size.regular
    return {year: m.relaxation(Relax.STAFFING, str(year), {"leaders": (0, n), "drafted": (0, most)}).amounts
            for year in m.data.years}


def team_not_out(round_: EarlierRound, team: Team | None) -> str | None:
    """Why-fact: the team did not go out in the round."""
    if team is None or team.id in round_.out:
        return None
    return f"{team.name}未参加第{round_.number}轮 (人员、组长或上一轮任务所限)"
