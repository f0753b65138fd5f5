"""Soft: risk first."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty


def add_risk_first(m: PlanModel) -> None:
    """Soft: units with higher risk (信访、审计发现, long since the last
    inspection) are inspected earlier in the term (风险高的先巡).

    Penalised: sum_i priority_i * rank_i, priority_i = risk_i (+1 when overdue),
    rank_i the position of target i's regular round in the term:
      rank_i = R * (year of the round - first year) + its place among the regular
      rounds of that year (0 = first), R = rounds_per_year_max,
    so a unit gains the same by moving one round earlier within a year as by
    moving from a year's first round to the last one of the year before, and a
    year with fewer rounds does not pull the later years' units forward.
    """
    parts = {
        target.id: m.data.priority(target) * m.target_round_rank(i)
        for i, target in enumerate(m.data.targets)
    }
    m.add_penalty(Penalty("risk_first", m.data.policy.weights.risk_first, sum(parts.values()), parts))
