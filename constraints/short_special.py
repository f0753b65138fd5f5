"""Soft: special rounds short and focused."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind


def add_short_special(m: PlanModel) -> None:
    """Soft: a special round (专项巡察) stays short and focused (短小精悍),
    unlike the 2020 round that ran four months.

    Penalised: sum_s max(0, onsite_s - target_onsite_weeks).
    """
    target = m.data.policy.rounds.special.target_onsite_weeks
    parts = {}
    for slot in m.slots_of(Kind.SPECIAL):
        over = m.cp.new_int_var(0, m.horizon_weeks, f"special_over_{slot.label}")
        m.cp.add_max_equality(over, [0, slot.onsite - target])
        parts[slot.theme] = over
    if parts:
        m.add_penalty(Penalty("short_special", m.data.policy.weights.short_special, sum(parts.values()), parts))
