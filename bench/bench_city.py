"""Benchmark: the Shangluo city plan (112 targets, 5 teams, 2027-2031).

Measures, per seed: the time to the greedy hint, to the first feasible plan,
and objective / bound / gap at checkpoints of the solve. Prints one JSON line
per seed and the medians. Run from the repository root:

    python3 bench/bench_city.py --seeds 3 --time-limit 60
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from planner.greedy import add_greedy_hint
from planner.loading import load_scenario
from planner.model import build_model
from planner.solve import Progress, SolveSettings, solve

CHECKPOINTS = (5.0, 10.0, 30.0, 60.0)


def run(seed: int, time_limit: float) -> dict:
    scenario = load_scenario()
    started = time.monotonic()
    model = build_model(scenario)
    built = time.monotonic() - started
    complete = add_greedy_hint(model)
    hinted = time.monotonic() - started
    seen: list[Progress] = []
    solution = solve(model, SolveSettings(time_limit=time_limit, seed=seed, hint=False), seen.append)
    at = {}
    for mark in CHECKPOINTS:
        best = [p for p in seen if p.elapsed <= mark]
        if best and mark <= time_limit:
            at[f"gap_at_{mark:g}s"] = round(best[-1].gap, 4)
    return {
        "seed": seed,
        "build_s": round(built, 2),
        "hint_complete": complete,
        "build_and_hint_s": round(hinted, 2),
        "first_solution_s": round(seen[0].elapsed, 2) if seen else None,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.best_bound,
        "final_gap": round(solution.gap, 4) if solution.gap is not None else None,
        **at,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    rows = []
    for seed in range(args.seeds):
        rows.append(run(seed, args.time_limit))
        print(json.dumps(rows[-1]), flush=True)
    for key in ("build_and_hint_s", "first_solution_s", "final_gap", *(f"gap_at_{m:g}s" for m in CHECKPOINTS)):
        values = [r[key] for r in rows if r.get(key) is not None]
        if values:
            print(f"median {key}: {statistics.median(values)}")


if __name__ == "__main__":
    main()
