"""Soft: inspection and audit of a unit in the same year (巡审联动)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind


AUDIT = "audit_sync"


def add_audit_sync(m: PlanModel) -> None:
    """Soft: a unit the audit office plans to audit in year y (audits.csv) is inspected in a
    round whose on-site phase starts in year y (巡审联动, 审计和巡察同期进行); a village riding
    with its town goes with the town's round.

    For audit (i, y), over regular and cross slots k:
      z[i,k] <= sum_t x[i,k,t],  z[i,k] <= in_year[k,y];   penalised: sum_audits (1 - sum_k z[i,k]).
    """
    parts = {}
    for i, year, unit in m.data.audits:
        hits = []
        for k, _t, v in m.x_of_target.get(i, []):
            slot = m.slots[k]
            if slot.kind not in (Kind.REGULAR, Kind.CROSS) or year not in m.year_flags(slot):
                continue
            z = m.cp.new_bool_var(f"audit_{unit}_{slot.label}_{_t}")
            m.cp.add(z <= v)
            m.cp.add(z <= slot.in_year[year])
            hits.append(z)
        parts[unit] = 1 - sum(hits)
    if parts:
        m.add_penalty(Penalty(AUDIT, m.data.policy.weights.audit_sync, sum(parts.values()), parts))
