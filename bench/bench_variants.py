"""Benchmark: a plan for every feasible scenario variant (issue 8, part 1; issue 28, part 4).

Draws full-size variants with the generators of tests/variants.py: of the
Shangluo city plan (term start month, extra blackouts, pools, vacant posts,
±30% units, 4-7 teams, follow-up share, input encoding) and, with
``--county-count``, of a county office's own plan (Zhashui). Plans each with
``draft_plan`` and a search limit, and reports per variant: a plan that the
independent checker accepts, or an infeasibility that ``explain`` proves (or
that only the plan's own search proves), or a failure (no plan in time
although the rules can hold, or undecided). Prints one JSON line per variant,
then the counts and a Markdown table per kind. Run from the repository root:

    python3 bench/bench_variants.py --first-seed 0 --count 25 --county-count 25 --time-limit 10
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
from planner.scenario import Scenario
from planner.solve import Progress, SolveSettings, draft_plan
from planner.status import SolveStatus
from planner.vocabulary import CITY, Committee

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from variants import Variant, make_county_variant, make_variant  # noqa: E402


def committee_of(scenario: Scenario) -> Committee:
    """The committee a variant plans for: a county office's own, or the city."""
    return scenario.home if scenario.own_county else CITY


def run(variant: Variant, time_limit: float, deterministic: bool = False) -> dict:
    committee = committee_of(variant.scenario)
    load = os.getloadavg()[0]
    started = time.monotonic()
    complete_at: list[float] = []

    def seen(p: Progress) -> None:
        if p.objective < UNCOVERED_WEIGHT and not complete_at:
            complete_at.append(time.monotonic() - started)

    settings = SolveSettings(time_limit=time_limit, deterministic=deterministic)
    solution = draft_plan(variant.scenario, committee, settings, seen)
    row = {"kind": "county" if variant.scenario.own_county else "city", "seed": variant.seed, **variant.facts, "load": round(load, 1), "status": solution.status.value,
           "seconds": round(time.monotonic() - started, 1),
           "first_complete_s": round(complete_at[0], 1) if complete_at else None}
    if solution.has_plan:
        frame = solution_frame(solution, variant.scenario)
        violations = check_plan(variant.scenario, PlanDir(Path("."), frame, {}), [committee])
        row.update(outcome="plan" if not violations else "plan_rejected", violations=len(violations),
                   objective=solution.objective, bound=solution.best_bound, gap=round(solution.gap, 4))
        return row
    found = explain(variant.scenario, committee, settings=SolveSettings(time_limit=max(60.0, time_limit)))
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


# The table's columns: what each outcome counts as.
COLUMNS = {
    "plan": "plans (checked)",
    "plan_rejected": "plans the checker rejects",
    "infeasible_proven": "proven infeasible (explain's proof)",
    "infeasible_proven_by_plan": "proven infeasible (the plan search's proof only)",
    "FAIL_feasible_but_no_plan": "undecided: the hard rules hold, no plan in time",
    "FAIL_undecided": "undecided: neither plan nor proof",
}


def table(rows: list[dict]) -> list[str]:
    """One Markdown row per kind of variant: how many ended in each outcome, and which seeds."""
    lines = ["| variants | " + " | ".join(COLUMNS.values()) + " | first complete plan: median, max |",
             "| --- |" + " --- |" * (len(COLUMNS) + 1)]
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        seeds = [r["seed"] for r in mine]
        cells = []
        for outcome in COLUMNS:
            hit = [str(r["seed"]) for r in mine if r["outcome"] == outcome]
            cells.append(f"{len(hit)} ({', '.join(hit)})" if hit and outcome != "plan" else str(len(hit)))
        firsts = sorted(r["first_complete_s"] for r in mine if r.get("first_complete_s") is not None)
        first = f"{firsts[len(firsts) // 2]} s, {firsts[-1]} s" if firsts else "-"
        lines.append(f"| {kind} {min(seeds)}-{max(seeds)} | " + " | ".join(cells) + f" | {first} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("--count", type=int, default=40, help="city variants")
    parser.add_argument("--county-count", type=int, default=0, help="county variants (a county office's own plan)")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--small", action="store_true", help="CI-sized variants (a third of the units, two years)")
    parser.add_argument("--deterministic", action="store_true", help="time limits in deterministic seconds")
    args = parser.parse_args()
    rows = []
    seeds = range(args.first_seed, args.first_seed + max(args.count, args.county_count))
    makers = [(make_variant, "city", args.count), (make_county_variant, "county", args.county_count)]
    with tempfile.TemporaryDirectory() as tmp:
        for make, kind, count in makers:
            for seed in seeds[:count]:
                variant = make(seed, Path(tmp) / f"{kind}{seed}", small=args.small)
                rows.append(run(variant, args.time_limit, args.deterministic))
                print(json.dumps(rows[-1], ensure_ascii=False, default=str), flush=True)
    print(json.dumps(dict(Counter(r["outcome"] for r in rows)), ensure_ascii=False))
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
