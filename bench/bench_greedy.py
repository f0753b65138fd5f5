"""Benchmark: units the greedy hint leaves out, over full-size scenario variants.

For each variant of tests/variants.py, builds the city model and runs the
greedy passes that ``add_greedy_hint`` runs (no CP-SAT search), and prints the
units the chosen pass leaves out (without a regular round, or without a
follow-up they are due; a special theme without its round counts as one), the
passes run and their time; then the sum. Infeasible
variants count too: fewer units out is a better start for the search either way.
With ``--score``, also the objective of the hint once CP-SAT completes it with every
decision fixed (none if it does not complete within 10 deterministic seconds), to
compare two versions of the greedy on the plans they start the search from.
Run from the repository root:

    python3 bench/bench_greedy.py --first-seed 0 --count 40
    python3 bench/bench_greedy.py --first-seed 100 --count 70 --score
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from planner.greedy import best_greedy, complete_hint
from planner.loading import load_scenario
from planner.solve import plan_model
from planner.warm_start import hinted_objective

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from variants import SHANGLUO, make_variant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--score", action="store_true", help="complete each hint and report its objective")
    args = parser.parse_args()
    base = load_scenario(SHANGLUO)
    total = 0
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(args.first_seed, args.first_seed + args.count):
            model = plan_model(make_variant(seed, Path(folder) / f"v{seed}", base=base).scenario)
            started = time.monotonic()
            greedy = best_greedy(model)
            row = {"seed": seed, "left_out": greedy.left_out(), "seconds": round(time.monotonic() - started, 2)}
            total += row["left_out"]
            if args.score:
                greedy.hint()
                row["hint_objective"] = hinted_objective(model) if complete_hint(model, 10.0) else None
            print(json.dumps(row))
    print(json.dumps({"left_out_total": total}))


if __name__ == "__main__":
    main()
