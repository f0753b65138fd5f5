"""Benchmark: the whole Shangluo plan (the city and its seven counties, 市县一盘棋).

For each time limit: wall time, the time by which every committee had a plan,
objective and the decomposition's bound (the city's bound plus each county's
bound given the city's calendar), and the linkage figures read off the table:
share of county regular rounds in step with a city round, sectors linked,
pairs of visits into a county closer than the quiet period. Run from the
repository root:

    python3 bench/bench_whole.py --time-limits 60,300 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import time

import pandas as pd

from planner.export import solution_frame
from planner.linkage import linkage_of
from planner.loading import load_scenario
from planner.parallel import CommitteeProgress
from planner.solve import SolveSettings
from planner.whole import draft_whole


def run(time_limit: float, jobs: int, seed: int) -> dict:
    scenario = load_scenario()
    started = time.monotonic()
    first: dict[str, float] = {}

    def seen(report: CommitteeProgress) -> None:
        if report.progress is not None or (report.solution is not None and report.solution.has_plan):
            first.setdefault(report.committee.key, time.monotonic() - started)

    solutions, stopped, _coupling = draft_whole(scenario, SolveSettings(time_limit=time_limit, seed=seed), jobs, seen)
    wall = time.monotonic() - started
    frame = pd.concat([solution_frame(s, scenario) for s in solutions if s.has_plan], ignore_index=True)
    linkage = linkage_of(frame, scenario)
    objective = sum(s.objective for s in solutions if s.objective is not None)
    bound = sum(s.best_bound for s in solutions if s.best_bound is not None)
    return {
        "time_limit": time_limit,
        "seed": seed,
        "wall_s": round(wall, 1),
        "every_committee_planned_s": round(max(first.values()), 1) if len(first) == len(solutions) else None,
        "complete": all(s.complete for s in solutions) and not stopped,
        "objective": round(objective),
        "bound": round(bound),
        "gap": round((objective - bound) / objective, 4) if objective else None,
        "city_gap": round(solutions[0].gap, 4) if solutions[0].gap is not None else None,
        "county_gaps": {s.committee.key: round(s.gap, 3) for s in solutions[1:] if s.gap is not None},
        "sync_share": round(linkage.sync_share, 3) if linkage.sync_share is not None else None,
        "sectors_linked": len(linkage.sectors_linked),
        "sectors_named": len({s for names in linkage.sectors.values() for s in names}),
        "visits_too_close": sum(len(pairs) for pairs in linkage.close.values()),
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limits", default="60,300")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for limit in (float(v) for v in args.time_limits.split(",")):
        print(json.dumps(run(limit, args.jobs, args.seed), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
