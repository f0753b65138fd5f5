"""Cross inspection between counties (县区之间异地交叉巡察), organised by the city."""

from __future__ import annotations

from planner.model import PlanModel


def add_cross_windows(m: PlanModel) -> None:
    """Hard: each cross round of the scenario is held by the city in its year, in one on-site
    window that every county's teams share (the city organises it), with no on-site day in a
    blackout period and preparation and report inside the term. The teams' work in it is in
    the county plans, drafted against this window (see planner.whole).

    For each cross round r with window [c_r, c_r + L) (L = the longest stay of any unit in it):
      first_week(year_r) <= c_r < first_week(year_r + 1),
      NoOverlap({[c_r, c_r + L)} + blackout runs),
      c_r - prep >= 0,  c_r + L + report <= W.
    """
    if not m.cross_windows:
        return
    policy = m.data.cross.policy
    blackouts = [m.cp.new_fixed_size_interval_var(a, b - a, f"cross_blackout_{a}") for a, b in m.data.grid.blocked_runs()]
    for cross in m.cross_windows:
        m.cp.add_no_overlap([cross.window, *blackouts])
        m.cp.add(cross.start - policy.prep_weeks >= 0)
        m.cp.add(cross.start + cross.weeks + policy.report_weeks <= m.horizon_weeks)
