"""Benchmark: the whole Shangluo plan (the city and its seven counties, 市县一盘棋).

For each time limit: wall time, the time by which every committee had a plan,
objective and the decomposition's bound (the city's bound plus each county's
bound given the city's calendar), and the linkage figures read off the table:
share of county regular rounds in step with a city round, sectors linked,
pairs of visits into a county closer than the quiet period, the checker's findings; and what the coupling pass
found and did (counties without a plan in step with the city's first calendar, the
county rounds in step then, the weeks the city's redraft was asked to meet, the city's
own objective first and final, whether the first board was kept). Run from the
repository root:

    python3 bench/bench_whole.py --time-limits 60,300 --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pandas as pd

from planner.check import check_plan
from planner.export import solution_frame
from planner.linkage import linkage_of
from planner.loading import load_scenario
from planner.parallel import CommitteeProgress
from planner.plan import PlanDir
from planner.solve import SolveSettings
from planner.vocabulary import Kind
from planner.whole import draft_whole


def run(time_limit: float, jobs: int, seed: int) -> dict:
    scenario = load_scenario()
    started = time.monotonic()
    first: dict[str, float] = {}

    def seen(report: CommitteeProgress) -> None:
        if report.progress is not None or (report.solution is not None and report.solution.has_plan):
            first.setdefault(report.committee.key, time.monotonic() - started)

    solutions, stopped, coupling = draft_whole(scenario, SolveSettings(time_limit=time_limit, seed=seed), jobs, seen)
    wall = time.monotonic() - started
    frame = pd.concat([solution_frame(s, scenario) for s in solutions if s.has_plan], ignore_index=True)
    linkage = linkage_of(frame, scenario)
    violations = check_plan(scenario, PlanDir(Path("."), frame, {}), [s.committee for s in solutions if s.has_plan])
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
        "check_violations": len(violations),
        "first_violations": [v.message for v in violations[:3]],
        "counties_without_plan": {s.committee.key: s.stopped_by.value if s.stopped_by else None
                                  for s in solutions[1:] if not s.has_plan},
        "city_regular_rounds": sum(1 for r in solutions[0].rounds if r.kind == Kind.REGULAR),
        "coupling": {
            "first_failed": list(coupling.failed),
            "first_in_step": f"{coupling.in_step_first}/{coupling.county_rounds}",
            "redrafted": coupling.redrafted,
            "requested": coupling.requested,
            "unmet": coupling.unmet,
            "city_objective": coupling.city_objective,
            "kept_first": coupling.kept_first,
            "short_of_team_rounds": {a.county: a.needed for a in coupling.short},
            "team_rounds_still_short": coupling.short_left,
        },
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limits", default="60,300")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seeds", default="0", help="comma-separated: one run per seed and time limit")
    args = parser.parse_args()
    for limit in (float(v) for v in args.time_limits.split(",")):
        for seed in (int(v) for v in args.seeds.split(",")):
            print(json.dumps(run(limit, args.jobs, seed), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
