"""Benchmark: a plan for every feasible scenario variant (issue 8, part 1).

Draws full-size variants of the Shangluo city plan with the generator of
tests/variants.py (term start month, extra blackouts, pools, vacant posts,
±30% units, 4-7 teams, follow-up share, input encoding), plans each with
``draft_plan`` and a search limit, and reports per variant: a plan that the
independent checker accepts, or an infeasibility that ``explain`` proves, or
a failure (no plan in time although the rules can hold, or undecided). Prints
one JSON line per variant, then the counts. Run from the repository root:

    python3 bench/bench_variants.py --first-seed 100 --count 40 --time-limit 10
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

from constraints.coverage import UNCOVERED_WEIGHT
from planner.check import check_plan
from planner.explain import explain
from planner.export import solution_frame
from planner.plan import PlanDir
from planner.scenario import CITY
from planner.solve import Progress, SolveSettings, draft_plan
from planner.solver import SolveStatus

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from variants import make_variant  # noqa: E402


def run(seed: int, time_limit: float, folder: Path, small: bool, deterministic: bool = False) -> dict:
    variant = make_variant(seed, folder / f"v{seed}", small=small)
    load = os.getloadavg()[0]
    started = time.monotonic()
    complete_at: list[float] = []

    def seen(p: Progress) -> None:
        if p.objective < UNCOVERED_WEIGHT and not complete_at:
            complete_at.append(time.monotonic() - started)

    settings = SolveSettings(time_limit=time_limit, deterministic=deterministic)
    solution = draft_plan(variant.scenario, CITY, settings, seen)
    row = {"seed": seed, **variant.facts, "load": round(load, 1), "status": solution.status.value,
           "seconds": round(time.monotonic() - started, 1),
           "first_complete_s": round(complete_at[0], 1) if complete_at else None}
    if solution.has_plan:
        frame = solution_frame(solution, variant.scenario)
        violations = check_plan(variant.scenario, PlanDir(Path("."), frame, {}), [CITY])
        row.update(outcome="plan" if not violations else "plan_rejected", violations=len(violations),
                   objective=solution.objective, bound=solution.best_bound, gap=round(solution.gap, 4))
        return row
    found = explain(variant.scenario, CITY, settings=SolveSettings(time_limit=max(60.0, time_limit)))
    row.update(uncovered_left=len(solution.uncovered), uncovered_bound=solution.uncovered_bound,
               explain=found.status.value, by_count=found.count is not None)
    if found.status == SolveStatus.INFEASIBLE:
        row["outcome"] = "infeasible_proven"
    elif solution.status == SolveStatus.INFEASIBLE:
        # The plan's own search proved that every plan leaves units out.
        row["outcome"] = "infeasible_proven_by_plan"
    elif found.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL):
        row["outcome"] = "FAIL_feasible_but_no_plan"
    else:
        row["outcome"] = "FAIL_undecided"
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--small", action="store_true", help="CI-sized variants (a third of the units, two years)")
    parser.add_argument("--deterministic", action="store_true", help="time limits in deterministic seconds")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first_seed, args.first_seed + args.count):
            rows.append(run(seed, args.time_limit, Path(tmp), args.small, args.deterministic))
            print(json.dumps(rows[-1], ensure_ascii=False, default=str), flush=True)
    print(json.dumps(dict(Counter(r["outcome"] for r in rows)), ensure_ascii=False))
    firsts = sorted(r["first_complete_s"] for r in rows if r.get("first_complete_s") is not None)
    if firsts:
        print(f"first complete plan: median {firsts[len(firsts) // 2]} s, max {firsts[-1]} s")


if __name__ == "__main__":
    main()
