"""Benchmark: the Shangluo city plan (112 targets, 5 teams, 2027-2031).

Measures, per seed: the time to the greedy hint, to the first feasible plan,
and objective / bound / gap at checkpoints of the solve. Prints one JSON line
per seed and the medians, with the load average before and after. Run from
the repository root:

    python3 bench/bench_city.py --seeds 3 --time-limit 60
    python3 bench/bench_city.py --seeds 3 --param num_workers=4 --param linearization_level=2
    python3 bench/bench_city.py --seeds 1 --only drafted_cadres
    python3 bench/bench_city.py --seeds 1 --only risk_first --drop add_rounds_in_sequence

``--param`` sets any CP-SAT parameter after the planner's own (a worker count
below the planner's minimum of 8 included), for experiments.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from ortools.sat.python import cp_model

from planner import rules
from planner.greedy import add_greedy_hint
from planner.loading import load_scenario
from planner.solve import plan_model
from planner.solver import new_solver, status_of

CHECKPOINTS = (5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


class _Trace(cp_model.CpSolverSolutionCallback):
    def __init__(self):
        super().__init__()
        self.points: list[tuple[float, float, float]] = []

    def on_solution_callback(self) -> None:
        self.points.append((self.wall_time, self.objective_value, self.best_objective_bound))


def _value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def run(seed: int, time_limit: float, params: dict, scenario_path: str | None = None, only: str | None = None) -> dict:
    scenario = load_scenario(scenario_path)
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    model = plan_model(scenario)
    built = time.monotonic() - started
    complete = add_greedy_hint(model)
    if only:  # one soft rule alone, every unit covered: how far its own bound is from its plans
        model.cp.add(model.uncovered == 0)
        model.cp.minimize(next(p.expr for p in model.penalties if p.rule == only))
    hinted = time.monotonic() - started
    solver = new_solver(time_limit, seed=seed, from_plan=True)  # as plan's search from a whole hint
    for key, value in params.items():
        if hasattr(getattr(solver.parameters, key), "extend"):  # a list: names joined by '+'
            getattr(solver.parameters, key).extend(str(value).split("+"))
        else:
            setattr(solver.parameters, key, value)
    trace = _Trace()
    bounds: list[tuple[float, float]] = []
    solve_started = time.monotonic()
    solver.best_bound_callback = lambda bound: bounds.append((time.monotonic() - solve_started, bound))
    status = status_of(solver, solver.solve(model.cp, trace))
    gap_of = lambda obj, bound: abs(obj - max(0.0, bound)) / max(abs(obj), 1e-9)  # noqa: E731
    at = {}
    for mark in CHECKPOINTS:
        best = [p for p in trace.points if p[0] <= mark]
        if best and mark <= time_limit:
            bound = max([b for t, b in bounds if t <= mark] + [best[-1][2]])
            at[f"gap_at_{mark:g}s"] = round(gap_of(best[-1][1], bound), 4)
    return {
        "seed": seed,
        "params": params,
        "load_before": round(load_before, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "build_s": round(built, 2),
        "hint_complete": complete,
        "build_and_hint_s": round(hinted, 2),
        "first_solution_s": round(trace.points[0][0], 2) if trace.points else None,
        "status": status.value,
        "wall_s": round(solver.wall_time, 1),
        "objective": solver.objective_value if status.has_plan else None,
        "bound": solver.best_objective_bound,
        "final_gap": round(gap_of(solver.objective_value, solver.best_objective_bound), 4) if status.has_plan else None,
        "bound_trace": [(round(t, 1), b) for t, b in bounds],
        **at,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--param", action="append", default=[], help="CP-SAT parameter key=value")
    parser.add_argument("--scenario", default=None)
    parser.add_argument("--only", default=None, help="minimise this soft rule alone (e.g. drafted_cadres), unweighted")
    parser.add_argument("--drop", action="append", default=[],
                        help="leave out a hard rule (its function's name, e.g. add_rounds_in_sequence): which rule "
                             "holds the plans above the bound; the plans are then not valid")
    args = parser.parse_args()
    unknown = set(args.drop) - {rule.__name__ for rule in rules.HARD_RULES}
    if unknown:
        parser.error(f"no hard rule named {', '.join(sorted(unknown))}")
    rules.HARD_RULES = tuple(r for r in rules.HARD_RULES if r.__name__ not in args.drop)
    params = {k: _value(v) for k, v in (p.split("=", 1) for p in args.param)}
    rows = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        rows.append(run(seed, args.time_limit, params, args.scenario, args.only))
        print(json.dumps(rows[-1]), flush=True)
    for key in ("build_and_hint_s", "first_solution_s", "objective", "bound", "final_gap",
                *(f"gap_at_{m:g}s" for m in CHECKPOINTS)):
        values = [r[key] for r in rows if r.get(key) is not None]
        if values:
            print(f"median {key}: {statistics.median(values)}")


if __name__ == "__main__":
    main()
