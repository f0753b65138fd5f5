"""Blackout periods: no on-site work over the Spring Festival, National Day, etc."""

from __future__ import annotations

from planner.model import PlanModel


def add_blackouts(m: PlanModel) -> None:
    """Hard: no on-site day (进驻) falls in a blackout period (春节, 国庆 and any
    dates the scenario adds). A week with any blackout day is closed.

    With B the closed weeks grouped into runs [a, b):
      for each round k: NoOverlap({window_k} + {[a, b) : runs of B}).
    Every team's on-site span lies inside its round's window.
    """
    fixed = [m.cp.new_fixed_size_interval_var(a, b - a, f"blackout_{a}") for a, b in m.data.grid.blocked_runs()]
    for slot in m.slots:
        m.cp.add_no_overlap([slot.window, *fixed])
