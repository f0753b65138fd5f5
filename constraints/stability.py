"""Stability: a re-plan stays close to the plan it replaces (稳定调整)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.model import PlanModel
from planner.model_types import Anchor, Penalty
from planner.vocabulary import Kind


MOVED_UNITS = "moved_units"
MOVED_WEEKS = "moved_weeks"
TEAM_CHANGES = "team_changes"
STABILITY_TERMS = (MOVED_UNITS, MOVED_WEEKS, TEAM_CHANGES)


def add_stability(m: PlanModel) -> None:
    """Soft, weighted above the soft rules: units keep the dates and teams they have in the
    plan being replaced (已通知的时间不变), so a re-plan moves as few units as it must, as
    little as it must. Nothing happens without a baseline (``m.baseline``).

    For a unit i of the baseline at week w_i with team tau_i, s_i its new first
    on-site week (x[i,k,t] => s_i = start_k) and c_i = sum_{k,t} x[i,k,t]:
      moved_i in {0, 1},  moved_i = 0 => s_i = w_i,  moved_i >= 1 - c_i,
      weeks_i >= |s_i - w_i|,  team_i = 1 - sum_k x[i,k,tau_i];
    a special round (by theme) counts as one unit, its team changes as the
    teams that join or leave it. Penalised:
      move_weight * sum moved_i + week_weight * sum weeks_i + team_weight * sum team_i.
    """
    if m.baseline is None:
        return
    moved: dict[str, cp_model.LinearExprT] = {}
    weeks: dict[str, cp_model.LinearExprT] = {}
    teams: dict[str, cp_model.LinearExprT] = {}
    target_index = {t.id: i for i, t in enumerate(m.data.targets)}
    themes = {s.theme: s for s in m.slots_of(Kind.SPECIAL)}
    for anchor in m.baseline.anchors:
        if anchor.kind == Kind.SPECIAL:
            slot = themes.get(anchor.theme)
            if slot is None:
                continue
            key = anchor.theme
            start, covered = slot.start, 1
            teams[key] = sum(1 - m.used[slot.index, t] if team.id in anchor.teams else m.used[slot.index, t]
                             for t, team in enumerate(m.data.teams))
        else:
            i = target_index.get(anchor.target)
            literals = m.assigned(i, anchor.kind) if i is not None else []
            if not literals:
                continue
            key = f"{anchor.target}/{anchor.kind.value}"
            start = m.cp.new_int_var(0, m.horizon_weeks, f"stay_start_{key}")
            for k, _t, v in literals:
                m.cp.add(start == m.slots[k].start).only_enforce_if(v)
            covered = sum(v for _k, _t, v in literals)
            teams[key] = 1 - sum(v for _k, t, v in literals if m.data.teams[t].id in anchor.teams)
        moved[key], weeks[key] = _distance(m, key, start, covered, anchor)
    b = m.baseline
    m.add_penalty(Penalty(MOVED_UNITS, b.move_weight, sum(moved.values()), moved))
    m.add_penalty(Penalty(MOVED_WEEKS, b.week_weight, sum(weeks.values()), weeks))
    m.add_penalty(Penalty(TEAM_CHANGES, b.team_weight, sum(teams.values()), teams))


def _distance(m: PlanModel, key: str, start: cp_model.LinearExprT, covered: cp_model.LinearExprT,
              anchor: Anchor) -> tuple[cp_model.IntVar, cp_model.IntVar]:
    """(moved, weeks): whether the start differs from the anchor's (or the unit is left out), and by how much."""
    moved = m.cp.new_bool_var(f"moved_{key}")
    m.cp.add(start == anchor.start_week).only_enforce_if(~moved)
    m.cp.add(moved + covered >= 1)
    weeks = m.cp.new_int_var(0, m.horizon_weeks, f"moved_weeks_{key}")
    m.cp.add(weeks >= start - anchor.start_week)
    m.cp.add(weeks >= anchor.start_week - start)
    return moved, weeks
