"""Horizon: everything inside the term."""

from __future__ import annotations

from planner.model import PlanModel


def add_within_horizon(m: PlanModel) -> None:
    """Hard: every busy span (preparation, on-site, report) lies inside the term.

    For each round k and team t with used[k,t]:
      start_k - prep_k >= 0  and  start_k + onsite[k,t] + report_k <= W,
    W = the number of whole weeks in the horizon.
    """
    for (k, t), used in m.used.items():
        slot = m.slots[k]
        m.cp.add(slot.start - slot.prep >= 0).only_enforce_if(used)
        m.cp.add(slot.start + m.onsite[k, t] + slot.report <= m.horizon_weeks).only_enforce_if(used)
