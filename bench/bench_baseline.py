"""Benchmark: the optimizer against what the office would do instead (issue 8, part 5).

On the Shangluo city plan and three generated variants (tests/variants.py),
in one run: (a) the hand-planning baseline of bench/hand_plan.py (units in
list order, rounds filled team by team), (b) the greedy plan alone, (c) CP-SAT
at 10 s and (d) at 60 s. Each plan is scored from its table by
planner.score (the units of plan.json) and checked by planner.check; the
table gives score, units left out, violations and time. Run from the
repository root:

    python3 bench/bench_baseline.py --variants 2,4,8 --limits 10,60
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from planner.check import check_plan
from planner.export import solution_frame
from planner.greedy import add_greedy_hint
from planner.loading import load_scenario
from planner.plan import PlanDir
from planner.scenario import Scenario
from planner.score import score_plan
from planner.solve import SolveSettings, draft_plan, plan_model, to_solution
from planner.solver import completion_solver, status_of
from planner.status import SolveStatus, StopReason
from planner.vocabulary import CITY

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from hand_plan import hand_plan  # noqa: E402
from variants import SHANGLUO, make_variant  # noqa: E402


def judged(name: str, method: str, scenario: Scenario, frame, seconds: float, extra: dict | None = None) -> dict:
    plan = PlanDir(Path("."), frame, {})
    violations = check_plan(scenario, plan, [CITY])
    score = score_plan(scenario, plan, [CITY])
    return {"scenario": name, "method": method, "score": score.soft_total, "uncovered": len(score.uncovered),
            "violations": len(violations), "by_rule": dict(Counter(v.rule for v in violations)),
            "seconds": round(seconds, 1), "load": round(os.getloadavg()[0], 1), **(extra or {})}


def greedy_plan(scenario: Scenario):
    model = plan_model(scenario)
    add_greedy_hint(model)
    solver = completion_solver(10.0)
    status = status_of(solver, solver.solve(model.cp))
    return to_solution(model, solver, status, 0.0, StopReason.PROOF, SolveSettings())


def run(name: str, scenario: Scenario, limits: list[float]) -> list[dict]:
    rows = []
    started = time.monotonic()
    rows.append(judged(name, "hand", scenario, hand_plan(scenario), time.monotonic() - started))
    started = time.monotonic()
    greedy = greedy_plan(scenario)
    rows.append(judged(name, "greedy", scenario, solution_frame(greedy, scenario), time.monotonic() - started))
    for limit in limits:
        started = time.monotonic()
        solution = draft_plan(scenario, CITY, SolveSettings(time_limit=limit), allow_uncovered=True)
        seconds = time.monotonic() - started
        if solution.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            rows.append({"scenario": name, "method": f"cp-sat {limit:g}s", "status": solution.status.value})
            continue
        soft_bound = max(0.0, solution.best_bound - 100_000 * solution.uncovered_bound)
        rows.append(judged(name, f"cp-sat {limit:g}s", scenario, solution_frame(solution, scenario), seconds,
                           {"bound": soft_bound, "gap": round(solution.gap, 4)}))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", default="2,4,8", help="seeds of tests/variants.py")
    parser.add_argument("--limits", default="10,60", help="CP-SAT time limits (s)")
    args = parser.parse_args()
    limits = [float(x) for x in args.limits.split(",")]
    cases = [("shangluo", load_scenario(SHANGLUO))]
    with tempfile.TemporaryDirectory() as tmp:
        for seed in (int(x) for x in args.variants.split(",")):
            variant = make_variant(seed, Path(tmp) / f"v{seed}")
            print(json.dumps({"variant": seed, **variant.facts}, ensure_ascii=False, default=str), flush=True)
            cases.append((f"variant {seed}", variant.scenario))
        for name, scenario in cases:
            for row in run(name, scenario, limits):
                print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
