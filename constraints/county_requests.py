"""The city's calendar leaves room for the counties' rounds (市县一盘棋: 市委日程照应县区)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind

REQUESTS = "county_requests"
TEAM_ROUNDS = "county_team_rounds"
# Under hard sync a request the city misses leaves a county without a plan: it outweighs the city's own rules.
HARD_SYNC_FACTOR = 10


def add_county_requests(m: PlanModel) -> None:
    """The coupling pass of a whole-city plan only, when the city is drafted again for its counties.

    Soft: where the counties' regular rounds start (from a first drafting against the city's
    calendar), some city regular round starts within ``sync_weeks``, so that every county can
    start with the city (县区常规巡察与市委同步启动). A county that could not keep in step asks
    for the weeks it needed; a county in step asks to keep its weeks.

    Hard: the city's special rounds the counties' specials follow, and its cross windows, stay
    where they were, so the counties' first plans still fit them (the regular rounds move, and
    the specials no county follows).
    This binds the redraft only, not the plan: the checker sees the final calendar, which the
    counties follow by the sync rule.

    With q_k a requested week, c_k the county rounds starting there, s_r and a_r the start and
    activity of city regular slot r, W the sync weeks, (t, w) a held special of theme t starting
    in week w, and x_i the held start of cross window i:
      near[k,r] => |s_r - q_k| <= W  and  near[k,r] => a_r,   met_k <= sum_r near[k,r];
      sum over special slots j of theme t of held[j] >= 1,  held[j] => a_j and s_j = w;
      start(cross_i) = x_i.
    Penalised: sum_k c_k (1 - met_k), weighted by the sync weight (times HARD_SYNC_FACTOR when
    sync is hard).

    Soft, too: a county whose teams cannot keep in step with enough team-rounds for its units
    (constraints.team_rounds.InStep) asks for more city regular rounds. With N the team-rounds
    it needs, n its teams, c of them on a cross round, and u_r (city slot r active and starting
    outside every cross shadow lo < s_r < hi):
      short >= N - (n - c) * sum_r a_r - c * sum_r u_r,   short >= 0,
    each team-round short weighted as a request missed. The pass reports the city's objective
    without these terms.
    """
    asks = m.data.requests
    if asks is None or m.data.linkage is None:
        return
    cp, weeks = m.cp, m.data.linkage.sync_weeks
    parts = {}
    for week, count in asks.regular:
        met = cp.new_bool_var(f"request_{week}")
        near = []
        for slot in m.slots_of(Kind.REGULAR):
            literal = cp.new_bool_var(f"request_{week}_{slot.label}")
            cp.add(slot.start >= week - weeks).only_enforce_if(literal)
            cp.add(slot.start <= week + weeks).only_enforce_if(literal)
            cp.add_implication(literal, slot.active)
            near.append(literal)
        cp.add(met <= sum(near))
        parts[f"week{week}"] = count * (1 - met)
    for theme, week in asks.special:
        held = []
        for slot in m.slots_of(Kind.SPECIAL):
            if slot.theme == theme:
                literal = cp.new_bool_var(f"held_{theme}_{slot.label}")
                cp.add(slot.start == week).only_enforce_if(literal)
                cp.add_implication(literal, slot.active)
                held.append(literal)
        cp.add_bool_or(held)
    for window, week in zip(m.cross_windows, asks.cross):
        cp.add(window.start == week)
    weight = m.data.policy.weights.sync * (HARD_SYNC_FACTOR if m.data.linkage.sync_hard else 1)
    if parts:
        m.add_penalty(Penalty(REQUESTS, weight, sum(parts.values()), parts))
    short = {}
    for asked in asks.team_rounds:
        regular = m.slots_of(Kind.REGULAR)
        clear = []
        for slot in regular:
            literal = cp.new_bool_var(f"clear_{asked.county}_{slot.label}")
            cp.add_implication(literal, slot.active)
            for lo, hi in asked.shadows:
                before, after = cp.new_bool_var(""), cp.new_bool_var("")
                cp.add(slot.start <= lo).only_enforce_if(before)
                cp.add(slot.start >= hi).only_enforce_if(after)
                cp.add_bool_or([before, after]).only_enforce_if(literal)
            clear.append(literal)
        gap = cp.new_int_var(0, asked.needed, f"short_{asked.county}")
        cp.add(gap >= asked.needed - (asked.teams - asked.cross_teams) * sum(s.active for s in regular)
               - asked.cross_teams * sum(clear))
        short[asked.county] = gap
    if short:
        m.add_penalty(Penalty(TEAM_ROUNDS, weight, sum(short.values()), short))
