"""Benchmark: when each committee's solve in a whole-city plan ends (the phases of planner.whole).

Prints, for one time limit and seed, the seconds at which each solve ended with its status,
objective and bound, then the wall time, the committees planned and what the coupling pass saw.
Run from the repository root:

    PYTHONPATH=. python3 bench/bench_phases.py 60 0
"""

from __future__ import annotations

import os
import sys
import time

from planner.loading import load_scenario
from planner.parallel import CommitteeProgress
from planner.solve import SolveSettings
from planner.whole import draft_whole


def main() -> None:
    limit = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    scenario = load_scenario()
    began = time.monotonic()

    def ended(report: CommitteeProgress) -> None:
        if report.progress is None and report.solution is not None:
            s = report.solution
            print(f"{time.monotonic() - began:6.1f} s  {report.committee.key:6s} {s.status.value} "
                  f"objective={s.objective} bound={s.best_bound}", flush=True)

    solutions, _stopped, coupling = draft_whole(scenario, SolveSettings(time_limit=limit, seed=seed), 2, ended)
    planned = sum(s.has_plan for s in solutions)
    print(f"wall {time.monotonic() - began:.1f} s, {planned} of {len(scenario.counties) + 1} committees planned, "
          f"load {os.getloadavg()[0]:.1f}")
    print(coupling)


if __name__ == "__main__":  # worker processes are spawned: they import this module
    main()
