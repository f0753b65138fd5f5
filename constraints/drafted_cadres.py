"""Soft: as few drafted cadres as possible."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty


def add_few_drafted_cadres(m: PlanModel) -> None:
    """Soft: drafting is hard (抽调难), so use as few drafted cadre-weeks as
    possible: prefer teams with more permanent staff and shorter rounds.

    Penalised: sum_{k,t} d[t,kind_k] * (prep_k*used[k,t] + onsite[k,t] + report_k*used[k,t]).
    """
    parts = {}
    for (k, t), used in m.used.items():
        slot, team = m.slots[k], m.data.teams[t]
        need = m.data.need_drafted(team, slot.kind)
        if need:
            parts[f"{slot.label}/{team.id}"] = need * ((slot.prep + slot.report) * used + m.onsite[k, t])
    if parts:
        m.add_penalty(Penalty("drafted_cadres", m.data.policy.weights.drafted_cadres, sum(parts.values()), parts))
