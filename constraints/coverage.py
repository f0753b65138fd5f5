"""Full coverage (全覆盖)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.scenario import Kind

if TYPE_CHECKING:
    from planner.model import PlanModel


def add_full_coverage(m: PlanModel) -> None:
    """Hard: every target is inspected exactly once in the term (全覆盖), and every
    target planned for a follow-up (回头看) gets exactly one follow-up round.

    For each target i:   sum_{k regular, t} x[i,k,t] = 1,
    and if follow_up(i): sum_{k follow-up, t} x[i,k,t] = 1.
    """
    for i, target in enumerate(m.data.targets):
        m.cp.add_exactly_one(v for _, _, v in m.assigned(i, Kind.REGULAR))
        if target.follow_up:
            m.cp.add_exactly_one(v for _, _, v in m.assigned(i, Kind.FOLLOW_UP))


def add_follow_up_after_rectification(m: PlanModel) -> None:
    """Hard: a follow-up (回头看) starts only after the rectification period
    (整改期) that follows the target's regular round.

    With R_i the week the regular on-site window of target i ends:
      x[i,k,t] (k regular)  =>  R_i = start_k + onsite[k,t]
      x[i,f,t] (f follow-up) =>  start_f >= R_i + min_gap_weeks
    """
    gap = m.data.scenario.rounds.follow_up.min_gap_weeks
    for i, target in enumerate(m.data.targets):
        if not target.follow_up:
            continue
        regular_end = m.cp.new_int_var(0, m.horizon_weeks, f"regular_end_{target.id}")
        for k, t, v in m.assigned(i, Kind.REGULAR):
            m.cp.add(regular_end == m.slots[k].start + m.onsite[k, t]).only_enforce_if(v)
        for f, _, v in m.assigned(i, Kind.FOLLOW_UP):
            m.cp.add(m.slots[f].start >= regular_end + gap).only_enforce_if(v)
