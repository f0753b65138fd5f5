"""County rounds in step with the city's (上下联动, 市县同步启动)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind


SYNC = "sync"


def add_rounds_in_step(m: PlanModel) -> None:
    """Soft, or hard with ``linkage.sync_hard``: in a whole-city plan every regular round of a
    county starts within ``sync_weeks`` of a city regular round (县区常规巡察与市委同步启动),
    and a county special round whose theme the city also runs starts within ``sync_weeks`` of
    the city's (各县区同步开展类似内容的专项机动巡察). The city's rounds are fixed (its calendar).

    With s_r the start of city regular round r and W the sync weeks, for county slot j:
      near[j,r] => |start_j - s_r| <= W,   sum_r near[j,r] <= 1,   step_j = sum_r near[j,r] <= active_j;
      a special slot j of a theme the city starts at s:  step_j => |start_j - s| <= W.
    Penalised: sum_j (active_j - step_j) (hard: step_j = active_j).
    """
    calendar = m.data.calendar
    if calendar is None or m.data.linkage is None:
        return
    cp, weeks, hard = m.cp, m.data.linkage.sync_weeks, m.data.linkage.sync_hard
    parts = {}
    for slot in m.slots_of(Kind.REGULAR):
        near = []
        for city in calendar.regular:
            literal = cp.new_bool_var(f"near_{slot.label}_{city.number}")
            cp.add(slot.start >= city.start - weeks).only_enforce_if(literal)
            cp.add(slot.start <= city.start + weeks).only_enforce_if(literal)
            near.append(literal)
        cp.add(sum(near) <= slot.active)
        parts[slot.label] = slot.active - sum(near)
    for slot in m.slots_of(Kind.SPECIAL):
        start = calendar.special_start(slot.theme)
        if start is None:
            continue
        step = cp.new_bool_var(f"step_{slot.label}")
        cp.add(slot.start >= start - weeks).only_enforce_if(step)
        cp.add(slot.start <= start + weeks).only_enforce_if(step)
        parts[slot.label] = 1 - step
    if hard:
        for expr in parts.values():
            cp.add(expr == 0)
    elif parts:
        m.add_penalty(Penalty(SYNC, m.data.policy.weights.sync, sum(parts.values()), parts))
