"""Soft: mixed rounds (合理搭配)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind


def add_mixed_rounds(m: PlanModel) -> None:
    """Soft: each regular round mixes party, government, institution,
    enterprise and area units (党群、政府、事业、国企合理搭配).

    Penalised: for each active regular round k, the number of groups short of
    ``mix_min_groups`` (capped by the groups that exist):
      shortfall_k = max(0, min_groups * active_k - sum_g present[k,g]),
      present[k,g] = max_{i in g, t} x[i,k,t].
    Both are equalities, so every plan reports its own shortfall (the scorer
    of planner.score recomputes it from the table).
    """
    groups = sorted({m.data.group(t) for t in m.data.targets})
    need = min(m.data.policy.soft.mix_min_groups, len(groups))
    parts = {}
    for slot in m.slots_of(Kind.REGULAR):
        present = []
        for g in groups:
            flag = m.cp.new_bool_var(f"mix_{g}_{slot.label}")
            members = [v for i, _t, v in m.round_literals(slot.index) if m.data.group(m.data.targets[i]) == g]
            if members:
                m.cp.add_max_equality(flag, members)
            else:
                m.cp.add(flag == 0)
            present.append(flag)
        shortfall = m.cp.new_int_var(0, need, f"mix_short_{slot.label}")
        m.cp.add_max_equality(shortfall, [0, need * slot.active - sum(present)])
        parts[slot.label] = shortfall
    m.add_penalty(Penalty("mixed_rounds", m.data.policy.weights.mixed_rounds, sum(parts.values()), parts))
