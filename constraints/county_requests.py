"""The city's calendar leaves room for the counties' rounds (市县一盘棋: 市委日程照应县区)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.scenario import Kind

REQUESTS = "county_requests"
# Under hard sync a request the city misses leaves a county without a plan: it outweighs the city's own rules.
HARD_SYNC_FACTOR = 10


def add_county_requests(m: PlanModel) -> None:
    """Soft, in the coupling pass of a whole-city plan only: where the counties' rounds start
    (each county's regular round starts from a first drafting against the city's calendar), some
    city regular round starts within ``sync_weeks``, so that every county can start with the city
    (县区常规巡察与市委同步启动). A county that could not keep in step asks for the weeks it needed;
    a county in step asks to keep its weeks.

    With q_k a requested week, c_k the county rounds starting there, s_r and a_r the start and
    activity of city regular slot r, and W the sync weeks:
      near[k,r] => |s_r - q_k| <= W  and  near[k,r] => a_r,   met_k <= sum_r near[k,r].
    Penalised: sum_k c_k (1 - met_k), weighted by the sync weight (times HARD_SYNC_FACTOR when
    sync is hard). The pass reports the city's objective without this term.
    """
    if not m.data.requests or m.data.linkage is None:
        return
    cp, weeks = m.cp, m.data.linkage.sync_weeks
    slots = m.slots_of(Kind.REGULAR)
    parts = {}
    for week, count in m.data.requests:
        met = cp.new_bool_var(f"request_{week}")
        near = []
        for slot in slots:
            literal = cp.new_bool_var(f"request_{week}_{slot.label}")
            cp.add(slot.start >= week - weeks).only_enforce_if(literal)
            cp.add(slot.start <= week + weeks).only_enforce_if(literal)
            cp.add_implication(literal, slot.active)
            near.append(literal)
        cp.add(met <= sum(near))
        parts[f"week{week}"] = count * (1 - met)
    weight = m.data.policy.weights.sync * (HARD_SYNC_FACTOR if m.data.linkage.sync_hard else 1)
    m.add_penalty(Penalty(REQUESTS, weight, sum(parts.values()), parts))
