"""One round at a time per team."""

from __future__ import annotations

from planner.model import PlanModel


def add_one_round_at_a_time(m: PlanModel) -> None:
    """Hard: a team's busy span (preparation + on-site + report writing) never
    overlaps another of its rounds (一个巡察组同一时间只承担一轮任务).

    For each team t: NoOverlap({busy[k,t] : k a round slot}), where busy[k,t]
    = [start_k - prep_k, start_k + onsite[k,t] + report_k) is present iff the
    team goes out in round k.
    """
    for t in range(len(m.data.teams)):
        m.cp.add_no_overlap([m.busy[k, t] for k in range(len(m.slots))])
