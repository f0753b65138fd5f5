"""Soft: risk first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.model_types import Penalty

if TYPE_CHECKING:
    from planner.model import PlanModel


def add_risk_first(m: PlanModel) -> None:
    """Soft: units with higher risk (信访、审计发现, long since the last
    inspection) are inspected earlier in the term (风险高的先巡).

    Penalised: sum_i priority_i * rank_i, with rank_i the ordinal of target i's
    regular round (0 = first) and priority_i = risk_i (+1 when overdue).
    """
    parts = {
        target.id: m.data.priority(target) * m.target_round_rank(i)
        for i, target in enumerate(m.data.targets)
    }
    m.add_penalty(Penalty("risk_first", m.data.policy.weights.risk_first, sum(parts.values()), parts))
